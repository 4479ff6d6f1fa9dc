/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets the box builds itself on a worker: ICMP/ICMPv6 errors (rate
 * limited, RFC 4443 section 2.4 (f), RFC 1812 section 4.3.2.8), ARP
 * requests and neighbour solicitations for next-hop resolution, and the
 * Ethernet framing + TX buffering that every outgoing packet goes through.
 * Buffers come from the mempool's per-lcore cache: no malloc, no syscall.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "csum.h"
#include "hdr.h"
#include "mx.h"

/* ICMP errors per second per worker, and the burst allowed. */
#define ICMP_RATE	1000
#define ICMP_BURST	100

/* RFC 1812 4.3.2.3 / RFC 4443 2.4 (c): how big an error may get. */
#define ICMP4_ERR_MAX	576
#define ICMP6_ERR_MAX	PKT_IP6_MIN_MTU

void
mx_tx_eth(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
	  const struct rte_ether_addr *dmac, uint16_t ethertype)
{
	struct mx_txbuf *tb = &w->tx[port];
	struct pkt_eth *eth;

	eth = (struct pkt_eth *)rte_pktmbuf_prepend(m, PKT_ETH_HLEN);
	if (eth == NULL || tb->n == MX_BURST_MAX) {
		w->drops[eth == NULL ? PKT_DROP_XLAT_HEADROOM :
			 PKT_DROP_TX_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(eth->dst, dmac->addr_bytes, PKT_ETH_ALEN);
	memcpy(eth->src, w->dp->ports[port].mac.addr_bytes, PKT_ETH_ALEN);
	eth->type = htons(ethertype);
	tb->pkts[tb->n++] = m;
}

/* Token bucket: 1 when an error may be sent now. */
static int
icmp_allowed(struct mx_worker *w)
{
	uint64_t now = rte_rdtsc(), add;

	add = (now - w->icmp_last) * ICMP_RATE / w->dp->tsc_hz;
	if (add > 0) {
		w->icmp_tokens = RTE_MIN(w->icmp_tokens + add,
					 (uint64_t)ICMP_BURST);
		w->icmp_last = now;
	}
	if (w->icmp_tokens == 0) {
		w->ev[MX_EV_icmp_ratelimited]++;
		return 0;
	}
	w->icmp_tokens--;
	return 1;
}

static struct rte_mbuf *
alloc(struct mx_worker *w)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->dp->pool);

	if (m == NULL)
		w->ev[MX_EV_nombuf]++;
	return m;
}

/* RFC 1812 section 4.3.2.7: never an error about an ICMP error. */
static int
is_icmp4_error(const uint8_t *l3, const struct pkt_l3 *in)
{
	uint8_t t;

	if (in->l4_proto != PKT_PROTO_ICMP || !in->first_frag ||
	    in->len < in->l4_off + 1u)
		return 0;
	t = l3[in->l4_off];
	return t != PKT_ICMP4_ECHO && t != PKT_ICMP4_ECHO_REPLY &&
	       t != 13 && t != 14 && t != 15 && t != 16;	/* timestamp, info */
}

void
mx_icmp4_error(struct mx_worker *w, uint16_t in_port,
	       const struct rte_ether_addr *dmac, const uint8_t *l3,
	       const struct pkt_l3 *in, uint8_t type, uint8_t code,
	       uint32_t word)
{
	const struct pkt_ip4 *orig = (const struct pkt_ip4 *)l3;
	uint32_t copy, osrc = ntohl(orig->src);
	struct pkt_ip4 *ip;
	struct pkt_icmp *ic;
	struct rte_mbuf *m;

	/* 4.3.2.7: not for later fragments, nor to non-unique sources. */
	if (!in->first_frag || is_icmp4_error(l3, in) || osrc == 0 ||
	    pkt_ip4_is_multicast(osrc) || osrc == 0xffffffffu ||
	    pkt_ip4_is_multicast(ntohl(orig->dst)) ||
	    ntohl(orig->dst) == 0xffffffffu)
		return;
	if (!icmp_allowed(w) || (m = alloc(w)) == NULL)
		return;
	copy = RTE_MIN(in->len, (uint32_t)(ICMP4_ERR_MAX - PKT_IP4_HLEN -
					   PKT_ICMP_HLEN));
	ip = (struct pkt_ip4 *)rte_pktmbuf_append(m, PKT_IP4_HLEN +
						  PKT_ICMP_HLEN + copy);
	if (ip == NULL) {
		rte_pktmbuf_free(m);
		w->ev[MX_EV_nombuf]++;
		return;
	}
	ip->ver_ihl = 0x45;
	ip->tos = 0;
	ip->tot_len = htons((uint16_t)(PKT_IP4_HLEN + PKT_ICMP_HLEN + copy));
	ip->id = 0;
	ip->frag = 0;
	ip->ttl = 64;
	ip->proto = PKT_PROTO_ICMP;
	ip->src = htonl(mx_port_src4(&w->dp->ports[in_port], osrc));
	ip->dst = orig->src;
	pkt_ip4_set_csum(ip);
	ic = (struct pkt_icmp *)(ip + 1);
	ic->type = type;
	ic->code = code;
	ic->csum = 0;
	ic->word = htonl(word);
	memcpy(ic + 1, l3, copy);
	ic->csum = pkt_csum_finish(pkt_csum_partial(ic, PKT_ICMP_HLEN + copy,
						    0));
	w->ev[MX_EV_icmp_error]++;
	mx_tx_eth(w, m, in_port, dmac, PKT_ETHERTYPE_IP4);
}

/* RFC 4443 section 2.4 (e): the cases that never get an error. */
static int
icmp6_error_forbidden(const uint8_t *l3, const struct pkt_l3 *in,
		      uint8_t type)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;
	static const uint8_t unspec[16];

	if (in->l4_proto == PKT_PROTO_ICMP6 && in->first_frag &&
	    in->len > in->l4_off && l3[in->l4_off] < 128)
		return 1;	/* (e.1) an ICMPv6 error */
	if (pkt_ip6_is_multicast(ip->dst) && type != PKT_ICMP6_PKT_TOO_BIG)
		return 1;	/* (e.2) */
	return pkt_ip6_is_multicast(ip->src) ||
	       memcmp(ip->src, unspec, 16) == 0;	/* (e.6) */
}

void
mx_icmp6_error(struct mx_worker *w, uint16_t in_port,
	       const struct rte_ether_addr *dmac, const uint8_t *l3,
	       const struct pkt_l3 *in, uint8_t type, uint8_t code,
	       uint32_t word)
{
	const struct pkt_ip6 *orig = (const struct pkt_ip6 *)l3;
	struct pkt_ip6 *ip;
	struct pkt_icmp *ic;
	struct rte_mbuf *m;
	uint32_t copy, plen;

	if (icmp6_error_forbidden(l3, in, type))
		return;
	if (!icmp_allowed(w) || (m = alloc(w)) == NULL)
		return;
	copy = RTE_MIN(in->len, (uint32_t)(ICMP6_ERR_MAX - PKT_IP6_HLEN -
					   PKT_ICMP_HLEN));
	plen = PKT_ICMP_HLEN + copy;
	ip = (struct pkt_ip6 *)rte_pktmbuf_append(m, PKT_IP6_HLEN + plen);
	if (ip == NULL) {
		rte_pktmbuf_free(m);
		w->ev[MX_EV_nombuf]++;
		return;
	}
	ip->vtc_flow = htonl(6u << 28);
	ip->payload_len = htons((uint16_t)plen);
	ip->nexthdr = PKT_PROTO_ICMP6;
	ip->hop_limit = 64;
	memcpy(ip->src, mx_port_src6(w->snap, &w->dp->ports[in_port],
				     orig->src), 16);
	memcpy(ip->dst, orig->src, 16);
	ic = (struct pkt_icmp *)(ip + 1);
	ic->type = type;
	ic->code = code;
	ic->csum = 0;
	ic->word = htonl(word);
	memcpy(ic + 1, l3, copy);
	ic->csum = pkt_csum_finish(pkt_csum_partial(ic, plen,
			pkt_pseudo6_sum(ip->src, ip->dst, PKT_PROTO_ICMP6,
					plen)));
	w->ev[MX_EV_icmp_error]++;
	mx_tx_eth(w, m, in_port, dmac, PKT_ETHERTYPE_IP6);
}

void
mx_send_arp_request(struct mx_worker *w, uint16_t port, uint32_t tip)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	const struct mx_port *p = &w->dp->ports[port];
	struct pkt_arp *a;
	struct rte_mbuf *m;

	if ((m = alloc(w)) == NULL)
		return;
	a = (struct pkt_arp *)rte_pktmbuf_append(m, sizeof(*a));
	a->hrd = htons(PKT_ARP_HRD_ETHER);
	a->pro = htons(PKT_ETHERTYPE_IP4);
	a->hln = PKT_ETH_ALEN;
	a->pln = 4;
	a->op = htons(PKT_ARP_OP_REQUEST);
	memcpy(a->sha, p->mac.addr_bytes, PKT_ETH_ALEN);
	a->spa = htonl(mx_port_src4(p, tip));
	memset(a->tha, 0, PKT_ETH_ALEN);
	a->tpa = htonl(tip);
	w->ev[MX_EV_arp_request]++;
	mx_tx_eth(w, m, port, &bcast, PKT_ETHERTYPE_ARP);
}

void
mx_send_ns(struct mx_worker *w, uint16_t port, const uint8_t *target)
{
	const struct mx_port *p = &w->dp->ports[port];
	struct rte_ether_addr dmac;
	struct pkt_ip6 *ip;
	struct pkt_icmp *ic;
	struct rte_mbuf *m;
	uint8_t *b;
	const uint16_t plen = PKT_ICMP_HLEN + 16 + 8;

	if ((m = alloc(w)) == NULL)
		return;
	ip = (struct pkt_ip6 *)rte_pktmbuf_append(m, PKT_IP6_HLEN + plen);
	ip->vtc_flow = htonl(6u << 28);
	ip->payload_len = htons(plen);
	ip->nexthdr = PKT_PROTO_ICMP6;
	ip->hop_limit = 255;	/* RFC 4861 section 7.1.1 */
	memcpy(ip->src, mx_port_src6(w->snap, p, target), 16);
	pkt_ip6_solicited_node(target, ip->dst);
	ic = (struct pkt_icmp *)(ip + 1);
	ic->type = PKT_ICMP6_NS;
	ic->code = 0;
	ic->csum = 0;
	ic->word = 0;
	b = (uint8_t *)(ic + 1);
	memcpy(b, target, 16);
	b[16] = PKT_ND_OPT_SLLA;
	b[17] = 1;
	memcpy(b + 18, p->mac.addr_bytes, PKT_ETH_ALEN);
	ic->csum = pkt_csum_finish(pkt_csum_partial(ic, plen,
			pkt_pseudo6_sum(ip->src, ip->dst, PKT_PROTO_ICMP6,
					plen)));
	pkt_ip6_mcast_mac(ip->dst, dmac.addr_bytes);
	w->ev[MX_EV_nd_solicit]++;
	mx_tx_eth(w, m, port, &dmac, PKT_ETHERTYPE_IP6);
}

/*
 * REJECT --reject-with tcp-reset: a RST for the TCP segment at 'l3' back
 * to its sender (RFC 9293 section 3.10.7.1: an ACK is answered with
 * <SEQ=SEG.ACK><CTL=RST>, anything else with <SEQ=0><ACK=SEG.SEQ+
 * SEG.LEN><CTL=RST,ACK>; a RST is never answered). Rate-limited like the
 * ICMP errors.
 */
void
mx_tcp_reset6(struct mx_worker *w, uint16_t in_port,
	      const struct rte_ether_addr *dmac, const uint8_t *l3,
	      const struct pkt_l3 *in)
{
	const struct pkt_ip6 *orig = (const struct pkt_ip6 *)l3;
	const uint8_t *t = l3 + in->l4_off;
	uint32_t seg_len, seq, ack;
	struct pkt_ip6 *ip;
	struct rte_mbuf *m;
	uint8_t *r, flags;

	if (in->l4_proto != PKT_PROTO_TCP || !in->first_frag ||
	    in->len < in->l4_off + (uint32_t)PKT_TCP_HLEN || (t[13] & 0x04) != 0)
		return;
	if (!icmp_allowed(w) || (m = alloc(w)) == NULL)
		return;
	ip = (struct pkt_ip6 *)rte_pktmbuf_append(m, PKT_IP6_HLEN +
						  PKT_TCP_HLEN);
	if (ip == NULL) {
		rte_pktmbuf_free(m);
		w->ev[MX_EV_nombuf]++;
		return;
	}
	seg_len = in->len - in->l4_off - (uint32_t)(t[12] >> 4) * 4u +
		  ((t[13] & 0x02) != 0) + ((t[13] & 0x01) != 0);
	if (t[13] & 0x10) {
		memcpy(&seq, t + 8, 4);		/* SEG.ACK, as it is */
		ack = 0;
		flags = 0x04;
	} else {
		uint32_t s;

		memcpy(&s, t + 4, 4);
		seq = 0;
		ack = htonl(ntohl(s) + seg_len);
		flags = 0x14;
	}
	ip->vtc_flow = htonl(6u << 28);
	ip->payload_len = htons(PKT_TCP_HLEN);
	ip->nexthdr = PKT_PROTO_TCP;
	ip->hop_limit = 64;
	memcpy(ip->src, orig->dst, 16);
	memcpy(ip->dst, orig->src, 16);
	r = (uint8_t *)(ip + 1);
	memset(r, 0, PKT_TCP_HLEN);
	memcpy(r, t + 2, 2);			/* ports swapped */
	memcpy(r + 2, t, 2);
	memcpy(r + 4, &seq, 4);
	memcpy(r + 8, &ack, 4);
	r[12] = 5 << 4;
	r[13] = flags;
	{
		uint16_t c = pkt_csum_finish(pkt_csum_partial(r, PKT_TCP_HLEN,
				pkt_pseudo6_sum(ip->src, ip->dst,
						PKT_PROTO_TCP, PKT_TCP_HLEN)));

		memcpy(r + 16, &c, 2);
	}
	w->ev[MX_EV_tcp_reset]++;
	mx_tx_eth(w, m, in_port, dmac, PKT_ETHERTYPE_IP6);
}
