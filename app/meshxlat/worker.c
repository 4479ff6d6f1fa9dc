/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: rx burst -> stages -> tx burst, run to completion.
 *
 * Each stage is a function over the whole burst that handles the packets
 * whose verdict names it and sets their next verdict. Stages only move
 * packets forward in the order of enum stage, so one pass over the stage
 * list finishes a burst. A packet ends when a stage queues it for tx,
 * punts it to the kernel mirror, or drops it with a reason (counted).
 *
 *   ETH -> ARP                                         (answer, learn)
 *       -> IP4 -> LOCAL4                               (echo, punt)
 *              -> CLAT46 (lan4 port) -> NEIGH -> tx mesh6
 *              -> FWD4 -> NEIGH -> tx
 *       -> IP6 -> LOCAL6                               (ND, echo, punt)
 *              -> CLAT64 (dst in CLAT prefix) -> NEIGH -> tx lan4
 *              -> FWD6 -> NEIGH -> tx
 *
 * Never here: malloc, locks, syscalls, logging. Counters are this
 * worker's own.
 */
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "csum.h"
#include "hdr.h"
#include "mx.h"
#include "parse.h"
#include "stage.h"
#include "xlat.h"

/* For the packet trace (tap.c), in the order above. */
static const char *const stage_names[] = {
	"eth", "arp", "ip4", "ip6", "fw6", "local4", "local6", "xlat46",
	"nat64in",
	"nat64out", "xlat64", "fwd4", "fwd6", "neigh", "done",
};

const char *
mx_stage_name(unsigned int st)
{
	return st < RTE_DIM(stage_names) ? stage_names[st] : "?";
}

/*
 * Neighbour resolution: one request per next hop per second (RFC 1122
 * 2.3.2.1; RFC 4861 RetransTimer), and a packet waits at most that long.
 */
#define NEIGH_RETRY_MS	1000
#define NEIGH_WAIT_MS	1000

/* Capture or trace what is dropped, when asked to (tap.c). */
void
mx_drop_tap(struct mx_worker *w, struct rte_mbuf *m, struct meta *mt,
	    enum pkt_drop why)
{
	const struct mx_tap *t = w->tap;

	if (mt->trace != NO_TRACE)
		w->trace[mt->trace].why = (uint16_t)why;
	if (t->cap_on && (t->cap_dir & MX_TAP_DROP) &&
	    (t->cap_drop < 0 || t->cap_drop == (int)why) &&
	    (t->cap_port == MX_NO_PORT || t->cap_port == m->port))
		mx_tap_capture(w, t, &m, 1, m->port, MX_TAP_DROP);
}

/* An ICMP error about the packet at 'm' back to its sender, and the drop. */
void
mx_reject4(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	struct meta *x, uint8_t type, uint8_t code, uint32_t word,
	enum pkt_drop why)
{
	/* A packet translated inside the box has a sender of the other
	 * family: an ICMPv4 error about it would go to the wrong host on
	 * the wrong link. It is dropped and counted, unanswered. */
	if (!x->translated)
		mx_icmp4_error(w, port, &x->smac, l3_of(m), &x->l3, type, code,
			       word);
	drop(w, m, x, why);
}

void
mx_reject6(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	struct meta *x, uint8_t type, uint8_t code, uint32_t word,
	enum pkt_drop why)
{
	if (!x->translated)
		mx_icmp6_error(w, port, &x->smac, l3_of(m), &x->l3, type, code,
			       word);
	drop(w, m, x, why);
}

/* Queue a frame as it is (Ethernet header included). */
static void
tx_raw(struct mx_worker *w, struct rte_mbuf *m, uint16_t port)
{
	struct mx_txbuf *tb = &w->tx[port];

	if (tb->n == MX_BURST_MAX) {
		w->drops[PKT_DROP_TX_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	tb->pkts[tb->n++] = m;
}

/*
 * Hand a packet for the box to the kernel through the port's TAP mirror,
 * with its original Ethernet header (still in the headroom: the stages
 * never write there before deciding to punt).
 */
static void
punt(struct mx_worker *w, struct rte_mbuf *m, struct meta *mt, uint16_t port,
     enum pkt_drop otherwise)
{
	uint16_t mirror = w->dp->ports[port].mirror;

	if (mirror == MX_NO_PORT) {
		drop(w, m, mt, otherwise);
		return;
	}
	rte_pktmbuf_prepend(m, PKT_ETH_HLEN);
	w->ev[MX_EV_punt]++;
	tx_raw(w, m, mirror);
	mt->next = ST_DONE;
}

static void
learn(struct mx_worker *w, uint16_t port, int family, const void *addr,
      const uint8_t *mac)
{
	struct mx_learn l;

	memset(&l, 0, sizeof(l));
	if (family == 4)
		mx_neigh_key4(&l.key, port, *(const uint32_t *)addr);
	else
		mx_neigh_key6(&l.key, port, addr);
	memcpy(l.mac.addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	/* A full ring loses a refresh, which the next packet repeats. */
	rte_ring_sp_enqueue_elem(w->learn, &l, sizeof(l));
}

static int
port_has_ip4(const struct mx_port *p, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < p->n_ip4; i++)
		if (p->ip4[i].addr == a)
			return 1;
	return 0;
}

static int
port_has_ip6(const struct mx_snap *sn, const struct mx_port *p,
	     const uint8_t *a)
{
	const struct mx_addrs6 *o = &sn->addr6[p->id];
	unsigned int i;

	if (memcmp(p->ll6, a, 16) == 0)
		return 1;
	for (i = 0; i < o->n; i++)
		if (memcmp(o->a[i].addr, a, 16) == 0)
			return 1;
	return 0;
}

/* Directed broadcast of one of the port's subnets. */
static int
port_bcast4(const struct mx_port *p, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < p->n_ip4; i++)
		if (p->ip4[i].len < 31 &&
		    a == (p->ip4[i].addr | ~pkt_mask4(p->ip4[i].len)))
			return 1;
	return 0;
}

static void
stage_eth(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	  struct meta *mt, uint16_t n)
{
	const struct mx_port *p = &w->dp->ports[port];
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct pkt_eth *eth;

		if (i + 3 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 3], void *));
		/* A packet another worker handed over resumes at a later
		 * stage, its Ethernet header long gone. */
		if (mt[i].next != ST_ETH)
			continue;
		if (p->is_mirror) {
			/* The kernel sends out of the port it mirrors. */
			w->ev[MX_EV_from_kernel]++;
			tx_raw(w, m, p->mirror_of);
			mt[i].next = ST_DONE;
			continue;
		}
		if (m->nb_segs != 1) {
			drop(w, m, &mt[i], PKT_DROP_MBUF_CHAIN);
			continue;
		}
		if (m->data_len < PKT_ETH_HLEN) {
			drop(w, m, &mt[i], PKT_DROP_ETH_TRUNC);
			continue;
		}
		eth = rte_pktmbuf_mtod(m, const struct pkt_eth *);
		mt[i].l2_mcast = eth->dst[0] & 1;
		if (!mt[i].l2_mcast &&
		    memcmp(eth->dst, p->mac.addr_bytes, PKT_ETH_ALEN) != 0) {
			drop(w, m, &mt[i], PKT_DROP_ETH_NOT_US);
			continue;
		}
		memcpy(mt[i].smac.addr_bytes, eth->src, PKT_ETH_ALEN);
		switch (ntohs(eth->type)) {
		case PKT_ETHERTYPE_IP4:
			mt[i].next = ST_IP4;
			break;
		case PKT_ETHERTYPE_IP6:
			mt[i].next = ST_IP6;
			break;
		case PKT_ETHERTYPE_ARP:
			mt[i].next = ST_ARP;
			break;
		default:
			/* LLDP, VLANs...: the kernel may want them. */
			rte_pktmbuf_adj(m, PKT_ETH_HLEN);
			punt(w, m, &mt[i], port, PKT_DROP_ETH_TYPE);
			continue;
		}
		rte_pktmbuf_adj(m, PKT_ETH_HLEN);
	}
}

static void
stage_arp(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	  struct meta *mt, uint16_t n)
{
	const struct mx_port *p = &w->dp->ports[port];
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_arp *a;
		uint32_t spa, tpa;

		if (mt[i].next != ST_ARP)
			continue;
		a = rte_pktmbuf_mtod(m, struct pkt_arp *);
		if (m->data_len < sizeof(*a) ||
		    a->hrd != htons(PKT_ARP_HRD_ETHER) ||
		    a->pro != htons(PKT_ETHERTYPE_IP4) ||
		    a->hln != PKT_ETH_ALEN || a->pln != 4 ||
		    (a->sha[0] & 1)) {
			drop(w, m, &mt[i], PKT_DROP_ARP_MALFORMED);
			continue;
		}
		spa = ntohl(a->spa);
		tpa = ntohl(a->tpa);
		if (a->op == htons(PKT_ARP_OP_REQUEST)) {
			/* A pool4 address may be no port's own: a PLAT
			 * answers for its pool on wan4 ports (CONFIG-DRAFT). */
			if (!port_has_ip4(p, tpa) &&
			    !mx_plat_answers_arp(w->dp, port, tpa)) {
				drop(w, m, &mt[i], PKT_DROP_ARP_NOT_OURS);
				continue;
			}
			/* RFC 826: the requester is worth remembering. */
			if (spa != 0)
				learn(w, port, 4, &spa, a->sha);
			memcpy(a->tha, a->sha, PKT_ETH_ALEN);
			a->tpa = a->spa;
			memcpy(a->sha, p->mac.addr_bytes, PKT_ETH_ALEN);
			a->spa = htonl(tpa);
			a->op = htons(PKT_ARP_OP_REPLY);
			rte_pktmbuf_trim(m, m->data_len - sizeof(*a));
			w->ev[MX_EV_arp_reply]++;
			mx_tx_eth(w, m, port, &mt[i].smac, PKT_ETHERTYPE_ARP);
			mt[i].next = ST_DONE;
		} else if (a->op == htons(PKT_ARP_OP_REPLY)) {
			if (port_has_ip4(p, tpa) && spa != 0)
				learn(w, port, 4, &spa, a->sha);
			if (p->mirror != MX_NO_PORT) {
				punt(w, m, &mt[i], port, PKT_DROP_NONE);
			} else {
				w->ev[MX_EV_consumed]++;
				rte_pktmbuf_free(m);
				mt[i].next = ST_DONE;
			}
		} else {
			drop(w, m, &mt[i], PKT_DROP_ARP_MALFORMED);
		}
	}
}

/* RFC 1812 section 5.3.7: addresses a router never accepts. */
static int
martian4(uint32_t src, uint32_t dst)
{
	uint8_t s8 = src >> 24, d8 = dst >> 24;

	if (s8 == 127 || pkt_ip4_is_multicast(src) || src == 0xffffffffu ||
	    d8 == 0 || d8 == 127)
		return 1;
	/* 0.0.0.0 as a source only when asking for an address (DHCP). */
	return s8 == 0 && dst != 0xffffffffu;
}

static void
stage_ip4(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	  struct meta *mt, uint16_t n)
{
	const struct mx_dp *dp = w->dp;
	const struct mx_port *p = &dp->ports[port];
	uint32_t ips[MX_BURST_MAX];
	uint64_t nhs[MX_BURST_MAX];
	uint16_t idx[MX_BURST_MAX], k = 0, i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct pkt_ip4 *ip;
		enum pkt_drop r;
		uint32_t src, dst;

		if (mt[i].next != ST_IP4)
			continue;
		r = pkt_parse_ip4(l3_of(m), m->data_len, 1, &mt[i].l3);
		if (r != PKT_DROP_NONE) {
			drop(w, m, &mt[i], r);
			continue;
		}
		/* Ethernet padding is not part of the packet. */
		rte_pktmbuf_trim(m, m->data_len - mt[i].l3.len);
		ip = (const struct pkt_ip4 *)l3_of(m);
		src = ntohl(ip->src);
		dst = ntohl(ip->dst);
		if (martian4(src, dst)) {
			drop(w, m, &mt[i], PKT_DROP_IP4_MARTIAN);
			continue;
		}
		if (dst == 0xffffffffu || pkt_ip4_is_multicast(dst) ||
		    port_bcast4(p, dst) || mt[i].l2_mcast) {
			mt[i].next = ST_LOCAL4;
			continue;
		}
		idx[k] = i;
		ips[k++] = dst;
	}
	if (k == 0)
		return;
	rte_fib_lookup_bulk(w->snap->fib4, ips, nhs, k);
	for (i = 0; i < k; i++) {
		struct meta *x = &mt[idx[i]];
		const struct mx_nh *nh = &w->snap->nh[nhs[i]];

		x->nh = (uint32_t)nhs[i];
		if (nh->type == MX_NH_LOCAL)
			x->next = ST_LOCAL4;
		else if ((w->snap->xlat4_ports >> port) & 1)
			x->next = ST_XLAT46;
		else if (nh->type == MX_NH_PLAT)
			/* The pool address may be this port's own too. */
			x->next = port_has_ip4(p, ips[i]) &&
				  mx_plat_for_box4(w->dp,
						   l3_of(pkts[idx[i]]), &x->l3) ?
				  ST_LOCAL4 : ST_NAT64_OUT;
		else
			x->next = ST_FWD4;
	}
}

/* RFC 4291: addresses that never appear as a source or destination. */
static int
martian6(const struct pkt_ip6 *ip)
{
	static const uint8_t unspec[16], loop[16] = { [15] = 1 };

	return pkt_ip6_is_multicast(ip->src) ||
	       memcmp(ip->src, loop, 16) == 0 ||
	       memcmp(ip->dst, unspec, 16) == 0 ||
	       memcmp(ip->dst, loop, 16) == 0;
}

/*
 * Neighbour discovery with the box (RFC 4861: RS, RA, NS, NA, redirect)
 * is never filtered, whatever its addresses: a solicited NA and an
 * unreachability probe (section 7.3.3) travel unicast between global
 * addresses, and dropping them would cut the box off from its next hops.
 * Hop limit 255 proves the sender is on this link (section 7.1.1); ND
 * with a lower one meets INPUT like any packet, and the ND code refuses
 * it anyway.
 */
static int
nd_message(const struct pkt_ip6 *ip, const struct pkt_l3 *l3)
{
	uint8_t t;

	if (l3->l4_proto != PKT_PROTO_ICMP6 || l3->is_frag ||
	    ip->hop_limit != 255 || l3->len < l3->l4_off + 1u)
		return 0;
	t = ((const uint8_t *)ip)[l3->l4_off];
	return t >= PKT_ICMP6_RS && t <= PKT_ICMP6_REDIRECT;
}

static void
stage_ip6(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	  struct meta *mt, uint16_t n)
{
	uint8_t ips[MX_BURST_MAX][16];
	uint64_t nhs[MX_BURST_MAX];
	uint16_t idx[MX_BURST_MAX], k = 0, i;

	(void)port;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct pkt_ip6 *ip;
		enum pkt_drop r;

		if (mt[i].next != ST_IP6)
			continue;
		r = pkt_parse_ip6(l3_of(m), m->data_len, &mt[i].l3);
		if (r != PKT_DROP_NONE) {
			drop(w, m, &mt[i], r);
			continue;
		}
		rte_pktmbuf_trim(m, m->data_len - mt[i].l3.len);
		ip = (const struct pkt_ip6 *)l3_of(m);
		if (martian6(ip)) {
			drop(w, m, &mt[i], PKT_DROP_IP6_MARTIAN);
			continue;
		}
		if (pkt_ip6_is_multicast(ip->dst)) {
			mt[i].next = ST_LOCAL6;
			continue;
		}
		idx[k] = i;
		memcpy(ips[k++], ip->dst, 16);
	}
	if (k == 0)
		return;
	rte_fib6_lookup_bulk(w->snap->fib6, ips, nhs, k);
	for (i = 0; i < k; i++) {
		struct meta *x = &mt[idx[i]];
		const struct mx_nh *nh = &w->snap->nh[nhs[i]];
		const struct pkt_ip6 *ip;

		x->nh = (uint32_t)nhs[i];
		ip = (const struct pkt_ip6 *)l3_of(pkts[idx[i]]);
		if (nh->type == MX_NH_LOCAL) {
			x->next = ST_LOCAL6;
			/* INPUT: unicast to the box; neighbour discovery and
			 * link-local traffic are never filtered. */
			if (w->fw_conn != NULL &&
			    !pkt_ip6_is_linklocal(ip->src) &&
			    !pkt_ip6_is_linklocal(ip->dst) &&
			    !nd_message(ip, &x->l3)) {
				x->fw_chain = FW_CHAIN_INPUT;
				x->fw_next = ST_LOCAL6;
				x->next = ST_FW6;
			}
			continue;
		}
		if (nh->type == MX_NH_XLAT) {
			x->next = ST_XLAT64;
			continue;
		}
		if (nh->type == MX_NH_PLAT) {
			x->next = ST_NAT64_IN;
			continue;
		}
		if (pkt_ip6_is_linklocal(ip->src) ||
		    pkt_ip6_is_linklocal(ip->dst)) {
			drop(w, pkts[idx[i]], x, PKT_DROP_IP6_SCOPE);
			continue;
		}
		x->next = ST_FWD6;
		if (w->fw_conn != NULL) {
			x->fw_chain = FW_CHAIN_FORWARD;
			x->fw_next = ST_FWD6;
			x->next = ST_FW6;
		}
	}
}

static int
icmp4_csum_ok(const uint8_t *l4, uint32_t len)
{
	return pkt_csum_fold(pkt_csum_partial(l4, len, 0)) == 0xffff;
}

static void
stage_local4(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	     struct meta *mt, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_ip4 *ip;
		struct pkt_icmp *ic;
		uint32_t l4_len, dst;

		if (mt[i].next != ST_LOCAL4)
			continue;
		ip = (struct pkt_ip4 *)l3_of(m);
		dst = ntohl(ip->dst);
		l4_len = mt[i].l3.len - mt[i].l3.l4_off;
		if (ip->proto != PKT_PROTO_ICMP || mt[i].l3.is_frag) {
			punt(w, m, &mt[i], port, PKT_DROP_LOCAL_NO_PUNT);
			continue;
		}
		ic = (struct pkt_icmp *)((uint8_t *)ip + mt[i].l3.l4_off);
		if (l4_len < PKT_ICMP_HLEN) {
			drop(w, m, &mt[i], PKT_DROP_L4_TRUNC);
			continue;
		}
		if (!icmp4_csum_ok((const uint8_t *)ic, l4_len)) {
			drop(w, m, &mt[i], PKT_DROP_ICMP_CSUM);
			continue;
		}
		/* RFC 1122 3.2.2.6: answer echo sent to our unicast address. */
		if (ic->type != PKT_ICMP4_ECHO || ic->code != 0 ||
		    mt[i].l2_mcast || pkt_ip4_is_multicast(dst) ||
		    dst == 0xffffffffu || port_bcast4(&w->dp->ports[port], dst)) {
			punt(w, m, &mt[i], port, PKT_DROP_LOCAL_ICMP);
			continue;
		}
		ip->dst = ip->src;
		ip->src = htonl(dst);
		ip->ttl = 64;
		pkt_ip4_set_csum(ip);
		ic->csum = pkt_csum_replace(ic->csum, PKT_ICMP4_ECHO << 8,
					    PKT_ICMP4_ECHO_REPLY << 8);
		ic->type = PKT_ICMP4_ECHO_REPLY;
		w->ev[MX_EV_echo_reply]++;
		mx_tx_eth(w, m, port, &mt[i].smac, PKT_ETHERTYPE_IP4);
		mt[i].next = ST_DONE;
	}
}

static int
icmp6_csum_ok(const struct pkt_ip6 *ip, const uint8_t *l4, uint32_t len)
{
	uint32_t s = pkt_pseudo6_sum(ip->src, ip->dst, PKT_PROTO_ICMP6, len);

	return pkt_csum_fold(pkt_csum_partial(l4, len, s)) == 0xffff;
}

/*
 * Find option 'type' in the ND options at 'opt' ('len' bytes). Returns
 * 0 and the link-layer address in '*lla' (or NULL when absent), or -1 for
 * a malformed option list (RFC 4861 section 7.1: zero-length option).
 */
static int
nd_opt_lla(const uint8_t *opt, uint32_t len, uint8_t type,
	   const uint8_t **lla)
{
	*lla = NULL;
	while (len >= 2) {
		uint32_t olen = opt[1] * 8u;

		if (olen == 0 || olen > len)
			return -1;
		if (opt[0] == type && olen >= 8)
			*lla = opt + 2;
		opt += olen;
		len -= olen;
	}
	return len == 0 ? 0 : -1;
}

/* Answer a neighbour solicitation in place (RFC 4861 section 7.2.4). */
static void
nd_solicit_in(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	      struct meta *mt)
{
	static const uint8_t unspec[16];
	const struct mx_port *p = &w->dp->ports[port];
	struct pkt_ip6 *ip = (struct pkt_ip6 *)l3_of(m);
	uint8_t *l4 = (uint8_t *)ip + mt->l3.l4_off, target[16], to[16];
	uint32_t len = mt->l3.len - mt->l3.l4_off, flags;
	struct rte_ether_addr dmac;
	struct pkt_icmp *ic;
	const uint8_t *slla;
	int from_unspec;
	uint8_t *b;

	from_unspec = memcmp(ip->src, unspec, 16) == 0;
	/* Section 7.1.1 validity checks. */
	if (ip->hop_limit != 255 || l4[1] != 0 || len < 24 ||
	    pkt_ip6_is_multicast(l4 + 8) ||
	    nd_opt_lla(l4 + 24, len - 24, PKT_ND_OPT_SLLA, &slla) != 0 ||
	    (from_unspec && (slla != NULL || ip->dst[0] != 0xff ||
			     ip->dst[1] != 0x02 || ip->dst[11] != 0x01 ||
			     ip->dst[12] != 0xff))) {
		drop(w, m, mt, PKT_DROP_ND_INVALID);
		return;
	}
	memcpy(target, l4 + 8, 16);
	if (!port_has_ip6(w->snap, p, target)) {
		punt(w, m, mt, port, PKT_DROP_ND_NOT_OURS);
		return;
	}
	if (slla != NULL && !from_unspec)
		learn(w, port, 6, ip->src, slla);
	if (slla != NULL)
		memcpy(dmac.addr_bytes, slla, PKT_ETH_ALEN);
	else
		dmac = mt->smac;
	flags = PKT_ND_NA_ROUTER | PKT_ND_NA_OVERRIDE;
	if (from_unspec) {
		/* 7.2.4: to all-nodes, Solicited flag clear. */
		memset(to, 0, 16);
		to[0] = 0xff;
		to[1] = 0x02;
		to[15] = 0x01;
		pkt_ip6_mcast_mac(to, dmac.addr_bytes);
	} else {
		memcpy(to, ip->src, 16);
		flags |= PKT_ND_NA_SOLICITED;
	}

	/* Rewrite the buffer as the advertisement: 40 + 24 + 8 bytes (the
	 * solicitation may have been 8 bytes shorter, without its SLLA). */
	if (m->data_len > PKT_IP6_HLEN + 32)
		rte_pktmbuf_trim(m, m->data_len - (PKT_IP6_HLEN + 32));
	else if (m->data_len < PKT_IP6_HLEN + 32 &&
		 rte_pktmbuf_append(m, PKT_IP6_HLEN + 32 - m->data_len) == NULL) {
		drop(w, m, mt, PKT_DROP_XLAT_HEADROOM);
		return;
	}
	ip->vtc_flow = htonl(6u << 28);
	ip->payload_len = htons(32);
	ip->nexthdr = PKT_PROTO_ICMP6;
	ip->hop_limit = 255;
	memcpy(ip->src, target, 16);
	memcpy(ip->dst, to, 16);
	ic = (struct pkt_icmp *)(ip + 1);
	ic->type = PKT_ICMP6_NA;
	ic->code = 0;
	ic->csum = 0;
	ic->word = htonl(flags);
	b = (uint8_t *)(ic + 1);
	memcpy(b, target, 16);
	b[16] = PKT_ND_OPT_TLLA;
	b[17] = 1;
	memcpy(b + 18, p->mac.addr_bytes, PKT_ETH_ALEN);
	ic->csum = pkt_csum_finish(pkt_csum_partial(ic, 32,
			pkt_pseudo6_sum(ip->src, ip->dst, PKT_PROTO_ICMP6, 32)));
	w->ev[MX_EV_nd_advert]++;
	mx_tx_eth(w, m, port, &dmac, PKT_ETHERTYPE_IP6);
	mt->next = ST_DONE;
}

/* Learn from a neighbour advertisement (RFC 4861 section 7.1.2, 7.2.5). */
static void
nd_advert_in(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	     struct meta *mt)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3_of(m);
	const uint8_t *l4 = (const uint8_t *)ip + mt->l3.l4_off, *tlla;
	uint32_t len = mt->l3.len - mt->l3.l4_off;

	if (ip->hop_limit != 255 || l4[1] != 0 || len < 24 ||
	    pkt_ip6_is_multicast(l4 + 8) ||
	    (pkt_ip6_is_multicast(ip->dst) && (l4[4] & 0x40)) ||
	    nd_opt_lla(l4 + 24, len - 24, PKT_ND_OPT_TLLA, &tlla) != 0) {
		drop(w, m, mt, PKT_DROP_ND_INVALID);
		return;
	}
	if (tlla != NULL)
		learn(w, port, 6, l4 + 8, tlla);
	if (w->dp->ports[port].mirror != MX_NO_PORT) {
		punt(w, m, mt, port, PKT_DROP_NONE);
		return;
	}
	w->ev[MX_EV_consumed]++;
	rte_pktmbuf_free(m);
	mt->next = ST_DONE;
}

static void
stage_local6(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	     struct meta *mt, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_ip6 *ip;
		struct pkt_icmp *ic;
		uint32_t l4_len;
		uint8_t tmp[16];

		if (mt[i].next != ST_LOCAL6)
			continue;
		ip = (struct pkt_ip6 *)l3_of(m);
		if (mt[i].l3.l4_proto != PKT_PROTO_ICMP6 || mt[i].l3.is_frag) {
			punt(w, m, &mt[i], port, PKT_DROP_LOCAL_NO_PUNT);
			continue;
		}
		l4_len = mt[i].l3.len - mt[i].l3.l4_off;
		ic = (struct pkt_icmp *)((uint8_t *)ip + mt[i].l3.l4_off);
		if (l4_len < PKT_ICMP_HLEN) {
			drop(w, m, &mt[i], PKT_DROP_L4_TRUNC);
			continue;
		}
		if (!icmp6_csum_ok(ip, (const uint8_t *)ic, l4_len)) {
			drop(w, m, &mt[i], PKT_DROP_ICMP_CSUM);
			continue;
		}
		switch (ic->type) {
		case PKT_ICMP6_NS:
			nd_solicit_in(w, port, m, &mt[i]);
			continue;
		case PKT_ICMP6_NA:
			nd_advert_in(w, port, m, &mt[i]);
			continue;
		case PKT_ICMP6_ECHO:
			if (ic->code == 0 && !pkt_ip6_is_multicast(ip->dst))
				break;
			/* fall through */
		default:
			punt(w, m, &mt[i], port, PKT_DROP_LOCAL_ICMP);
			continue;
		}
		/* RFC 4443 section 4.2: the reply comes from the address
		 * the request was sent to. */
		memcpy(tmp, ip->dst, 16);
		memcpy(ip->dst, ip->src, 16);
		memcpy(ip->src, tmp, 16);
		ip->hop_limit = 64;
		ic->type = PKT_ICMP6_ECHO_REPLY;
		ic->csum = 0;
		ic->csum = pkt_csum_finish(pkt_csum_partial(ic, l4_len,
				pkt_pseudo6_sum(ip->src, ip->dst,
						PKT_PROTO_ICMP6, l4_len)));
		w->ev[MX_EV_echo_reply]++;
		mx_tx_eth(w, m, port, &mt[i].smac, PKT_ETHERTYPE_IP6);
		mt[i].next = ST_DONE;
	}
}

/* Where the packet goes once 'nh' has been chosen for destination 'dst'. */
void
mx_to_neigh4(struct meta *x, const struct mx_nh *nh, uint32_t dst)
{
	uint32_t hop = nh->has_via ? nh->via4 : dst;

	x->family = 4;
	x->out_port = nh->port;
	memcpy(x->hop, &hop, sizeof(hop));
	x->next = ST_NEIGH;
}

void
mx_to_neigh6(struct meta *x, const struct mx_nh *nh, const uint8_t *dst)
{
	x->family = 6;
	x->out_port = nh->port;
	memcpy(x->hop, nh->has_via ? nh->via6 : dst, 16);
	x->next = ST_NEIGH;
}

/*
 * RFC 7915 sections 4.4 and 5.4: a packet the translator discards gets
 * "communication administratively prohibited" back, except where the RFC
 * says to drop silently (untranslatable ICMP, single-hop protocols) and
 * for what is merely malformed.
 */
static int
xlat_drop_answered(enum pkt_drop r, int to6)
{
	return r == PKT_DROP_XLAT_SRC || r == PKT_DROP_XLAT_DST ||
	       r == PKT_DROP_XLAT_FRAGMENT || r == PKT_DROP_XLAT_FRAG_EXTHDR ||
	       /* zero is a valid UDP checksum in IPv4 only */
	       (r == PKT_DROP_XLAT_UDP_CSUM0 && to6);
}

/* A cheap flow hash for picking from the RFC 6791 pool: per packet, so
 * four loads and three xors rather than a byte loop. */
uint32_t
mx_flow_hash(const uint8_t *a)
{
	uint32_t w[4];

	memcpy(w, a, 16);
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

void
mx_set_l3(struct rte_mbuf *m, const struct xlat_out *out)
{
	m->data_off = (uint16_t)(out->l3 - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)out->len;
	m->pkt_len = out->len;
}

/* Section 5.4: the IPv6 side of xlat_drop_answered(); never about an
 * ICMPv6 message of any kind. */
void
mx_reject64(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	 struct meta *x, enum pkt_drop r)
{
	if (xlat_drop_answered(r, 0) && x->l3.l4_proto != PKT_PROTO_ICMP6)
		mx_reject6(w, port, m, x, PKT_ICMP6_UNREACH,
			PKT_ICMP6_UNREACH_ADMIN, 0, r);
	else
		drop(w, m, x, r);
}

/*
 * Roaming on the client's node (seed 003, node B): remember the client for
 * clat.plat.set's pins, and when it keeps another PLAT than the node's
 * (roam.add kind=clat, or a pin), give the translated destination 'dst6'
 * that PLAT's /96 so the route is looked up toward it. Returns the /96,
 * or NULL.
 */
static const uint8_t *
roam_clat_out(struct mx_worker *w, uint32_t src4, uint8_t *dst6)
{
	const struct xlat_cfg *xc = &w->snap->xlat;
	const uint8_t *pfx;
	uint8_t key[16];

	w->seen[ntohl(src4) % MX_SEEN_SLOTS] =
		(uint64_t)ntohl(src4) << 32 | (uint32_t)(w->now_ms / 1000);
	/* Only what goes to the PLAT: not an EAM's destination. */
	if (w->roam == NULL || xc->local6.len != 96 || !xc->has_pool6 ||
	    xc->pool6.len != 96 || !pkt_bits_equal(dst6, xc->pool6.addr, 96))
		return NULL;
	memcpy(key, xc->local6.addr, ROAM_PFX_LEN);
	memcpy(key + ROAM_PFX_LEN, &src4, 4);
	pfx = roam_table_lookup(w->roam, ROAM_CLAT, key, w->now_ms);
	if (pfx != NULL)
		memcpy(dst6, pfx, ROAM_PFX_LEN);
	return pfx;
}

/*
 * IPv4 -> IPv6 (RFC 7915 section 4): as a router first (TTL, route for
 * the translated destination, MTU), then the translation. Packets whose
 * destination has no IPv6 form are routed as IPv4.
 */
static void
stage_xlat46(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	     struct meta *mt, uint16_t n)
{
	const struct mx_dp *dp = w->dp;
	uint8_t ips[MX_BURST_MAX][16];
	const uint8_t *roam[MX_BURST_MAX];
	uint64_t nhs[MX_BURST_MAX];
	uint16_t idx[MX_BURST_MAX], k = 0, i;

	for (i = 0; i < n; i++) {
		const struct pkt_ip4 *ip;

		if (mt[i].next != ST_XLAT46)
			continue;
		ip = (const struct pkt_ip4 *)l3_of(pkts[i]);
		if (xlat_addr46(&w->snap->xlat, ip->dst, 0, ips[k]) != 0) {
			/* A CLAT without a PLAT: nothing beyond the EAMT is
			 * reachable until one is set. */
			if (w->snap->clat_on && !w->snap->xlat.has_pool6 &&
			    port == w->snap->clat_port)
				mx_reject4(w, port, pkts[i], &mt[i],
					PKT_ICMP4_UNREACH,
					PKT_ICMP4_UNREACH_NET, 0,
					PKT_DROP_CLAT_NO_PLAT);
			else
				mt[i].next = ST_FWD4;
			continue;
		}
		/* Section 4.1: the translator is a router first. */
		if (ip->ttl <= 1) {
			mx_reject4(w, port, pkts[i], &mt[i],
				PKT_ICMP4_TIME_EXCEEDED, 0, 0,
				PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		roam[k] = NULL;
		if (dp->roam_db != NULL && port == w->snap->clat_port)
			roam[k] = roam_clat_out(w, ip->src, ips[k]);
		idx[k++] = i;
	}
	if (k == 0)
		return;
	rte_fib6_lookup_bulk(w->snap->fib6_out, ips, nhs, k);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = pkts[idx[i]];
		struct meta *x = &mt[idx[i]];
		const struct mx_nh *nh = &w->snap->nh[nhs[i]];
		struct pkt_ip4 *ip = (struct pkt_ip4 *)l3_of(m);
		int df = (ntohs(ip->frag) & PKT_IP4_DF) != 0, is_err;
		uint32_t size, mtu6, limit;
		struct xlat_ctx ctx;
		struct xlat_out out;
		enum pkt_drop r;

		if (nh->type == MX_NH_MISS) {
			mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
				PKT_ICMP4_UNREACH_NET, 0, PKT_DROP_NO_ROUTE);
			continue;
		}
		if (nh->type != MX_NH_FWD && nh->type != MX_NH_PLAT) {
			drop(w, m, x, PKT_DROP_XLAT_DST);
			continue;
		}
		/*
		 * Section 4: what does not fit the IPv6 side. DF set: the
		 * sender learns the size; DF clear: fragments of at most
		 * lowest_ipv6_mtu (the path MTU an IPv6 path surely has).
		 * Translated ICMP errors are cut to 1280 bytes instead.
		 */
		/* To this node's own PLAT the packet never leaves the box:
		 * the PLAT checks the IPv4 side's MTU. */
		mtu6 = nh->type == MX_NH_FWD ? dp->ports[nh->port].mtu : 65535;
		size = x->l3.len - x->l3.l4_off + PKT_IP6_HLEN +
		       (x->l3.is_frag ? 8u : 0u);
		limit = RTE_MIN(mtu6, (uint32_t)w->snap->xlat.lowest_ipv6_mtu);
		x->frag_size = 0;
		is_err = ip->proto == PKT_PROTO_ICMP &&
			 x->l3.len > x->l3.l4_off &&
			 l3_of(m)[x->l3.l4_off] != PKT_ICMP4_ECHO &&
			 l3_of(m)[x->l3.l4_off] != PKT_ICMP4_ECHO_REPLY;
		if (!is_err && size > mtu6 && df) {
			mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
				PKT_ICMP4_UNREACH_NEEDFRAG,
				mtu6 - (size - x->l3.len), PKT_DROP_MTU_EXCEEDED);
			continue;
		}
		if (!is_err && size > limit && !df && nh->type == MX_NH_FWD) {
			x->frag_size = (uint16_t)limit;
			/* RFC 7915 4.1: the fragment id comes from IPv4. */
			m->hash.usr = ntohs(ip->id);
		}

		memset(&ctx, 0, sizeof(ctx));
		ctx.headroom = rte_pktmbuf_headroom(m) - PKT_ETH_HLEN;
		ctx.tailroom = rte_pktmbuf_tailroom(m);
		ctx.mtu4 = dp->ports[port].mtu;
		ctx.mtu6 = (uint16_t)mtu6;
		/* Only read for an ICMP error from an untranslatable
		 * router: the port's first address, no per-packet search. */
		ctx.self6 = nh->type == MX_NH_FWD ?
			    mx_port_src6(w->snap, &dp->ports[nh->port], NULL) :
			    dp->plat->mgmt6;
		r = xlat46(&w->snap->xlat, &ctx, (uint8_t *)ip, &x->l3, &out);
		if (r == PKT_DROP_XLAT_IP4_OPTIONS) {
			/* Section 4.1: "source route failed" SHOULD be
			 * returned, about the packet as it arrived. */
			mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
				PKT_ICMP4_UNREACH_SRCFAIL, 0, r);
			continue;
		}
		if (r != PKT_DROP_NONE && xlat_drop_answered(r, 1)) {
			mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
				PKT_ICMP4_UNREACH_ADMIN, 0, r);
			continue;
		}
		if (r != PKT_DROP_NONE) {
			drop(w, m, x, r);
			continue;
		}
		/* The router's decrement (section 4.1 lets it come after):
		 * on the IPv6 header, which has no checksum to fix, so a
		 * refused packet is still quoted as it arrived. To this
		 * node's own PLAT, its NAT64 stage makes it: the box is one
		 * hop, and a packet it cannot pass on is refused there. */
		if (nh->type != MX_NH_PLAT)
			((struct pkt_ip6 *)out.l3)->hop_limit--;
		mx_set_l3(m, &out);
		w->ev[MX_EV_xlat46]++;
		if (roam[i] != NULL) {
			/* Routed above by the PLAT it keeps: now its
			 * destination says so too. */
			r = roam_netmap6(l3_of(m), m->data_len, ROAM_DST,
					 roam[i]);
			if (r != PKT_DROP_NONE) {
				drop(w, m, x, r);
				continue;
			}
			w->ev[MX_EV_roam_clat_out]++;
		}
		if (nh->type == MX_NH_PLAT) {
			/* CLAT and PLAT in one box: straight to NAT64. */
			if (pkt_parse_ip6(l3_of(m), m->data_len, &x->l3) !=
			    PKT_DROP_NONE) {
				drop(w, m, x, PKT_DROP_XLAT_ICMP_INNER);
				continue;
			}
			x->next = ST_NAT64_IN;
			x->translated = 1;
			continue;
		}
		mx_to_neigh6(x, nh, ips[i]);
	}
}

/*
 * Roaming on the client's node, the way back: a reply from the PLAT a
 * roamed client keeps gets the node's current PLAT /96 as its source, so
 * 6->4 takes it (seed 003's POSTROUTING NETMAP --to PLATB/96). Sets *hit
 * when it did. Returns non-zero when the packet was dropped.
 */
static int
roam_clat_in(struct mx_worker *w, struct rte_mbuf *m, struct meta *x,
	     int *hit)
{
	const struct xlat_cfg *xc = &w->snap->xlat;
	enum pkt_drop r;

	*hit = 0;
	if (!xc->has_pool6 || xc->pool6.len != 96)
		return 0;
	r = roam_apply(w->roam, ROAM_STEP_CLAT_IN, xc->pool6.addr, w->now_ms,
		       l3_of(m), m->data_len, hit);
	if (r != PKT_DROP_NONE) {
		drop(w, m, x, r);
		return 1;
	}
	w->ev[MX_EV_roam_clat_in] += (unsigned int)*hit;
	return 0;
}

/*
 * RFC 7757 section 4.2 (hairpinning): an IPv6 node that talks to another
 * IPv6 node by the latter's EAM IPv4 address gets its packet translated
 * 6->4 and then, since that destination lives on the IPv6 side, straight
 * back 4->6. Returns 1 when the packet was handled here.
 */
static int
hairpin(struct mx_worker *w, struct rte_mbuf *m, struct meta *x,
	uint32_t dst4_host, const uint8_t *dst6_in)
{
	const struct mx_dp *dp = w->dp;
	uint32_t dst4 = htonl(dst4_host);
	uint8_t dst6[16];
	const struct mx_nh *nh;
	struct xlat_ctx ctx;
	struct xlat_out out;
	struct pkt_l3 l3;
	uint64_t idx;
	unsigned int e;
	enum pkt_drop r;

	/* Only an IPv6 destination of pool6 can hairpin: one of the EAMT
	 * names a host of the IPv4 side. */
	for (e = 0; e < w->snap->xlat.n_eam; e++)
		if (pkt_pfx6_match(&w->snap->xlat.eam6[e].p6, dst6_in))
			return 0;
	for (e = 0; e < w->snap->xlat.n_eam; e++)
		if (((dst4_host ^ ntohl(w->snap->xlat.eam4[e].p4)) &
		     pkt_mask4(w->snap->xlat.eam4[e].len4)) == 0)
			break;
	if (e == w->snap->xlat.n_eam ||
	    xlat_addr46(&w->snap->xlat, dst4, 0, dst6) != 0)
		return 0;
	rte_fib6_lookup_bulk(w->snap->fib6_out, &dst6, &idx, 1);
	nh = &w->snap->nh[idx];
	r = pkt_parse_ip4(l3_of(m), m->data_len, 0, &l3);
	if (r == PKT_DROP_NONE && nh->type != MX_NH_FWD)
		r = nh->type == MX_NH_MISS ? PKT_DROP_NO_ROUTE :
		    PKT_DROP_XLAT_DST;
	if (r == PKT_DROP_NONE) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.headroom = rte_pktmbuf_headroom(m) - PKT_ETH_HLEN;
		ctx.tailroom = rte_pktmbuf_tailroom(m);
		ctx.mtu6 = dp->ports[nh->port].mtu;
		ctx.self6 = mx_port_src6(w->snap, &dp->ports[nh->port], NULL);
		/* RFC 7757 4.2: the source by pool6, so that the peer's
		 * answer comes back through us to the address asked. */
		ctx.src_by_pool6 = 1;
		r = xlat46(&w->snap->xlat, &ctx, l3_of(m), &l3, &out);
	}
	if (r != PKT_DROP_NONE) {
		drop(w, m, x, r);
		return 1;
	}
	mx_set_l3(m, &out);
	w->ev[MX_EV_xlat_hairpin]++;
	mx_to_neigh6(x, nh, dst6);
	return 1;
}

/* IPv6 -> IPv4 (RFC 7915 section 5), the same way round. */
static void
stage_xlat64(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	     struct meta *mt, uint16_t n)
{
	const struct mx_dp *dp = w->dp;
	uint32_t ips[MX_BURST_MAX];
	uint64_t nhs[MX_BURST_MAX];
	uint16_t idx[MX_BURST_MAX], k = 0, i;

	for (i = 0; i < n; i++) {
		const struct pkt_ip6 *ip;
		uint32_t v4;

		if (mt[i].next != ST_XLAT64)
			continue;
		ip = (const struct pkt_ip6 *)l3_of(pkts[i]);
		if (ip->hop_limit <= 1) {
			mx_reject6(w, port, pkts[i], &mt[i],
				PKT_ICMP6_TIME_EXCEEDED, 0, 0,
				PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		/* Section 5.1: parameter problem pointing at the Segments
		 * Left field. */
		if (mt[i].l3.seg_left_off != 0) {
			mx_reject6(w, port, pkts[i], &mt[i], PKT_ICMP6_PARAMPROB,
				0, mt[i].l3.seg_left_off,
				PKT_DROP_XLAT_SEGMENTS_LEFT);
			continue;
		}
		if (xlat_addr64(&w->snap->xlat, ip->dst, 0, &v4) != 0) {
			mx_reject64(w, port, pkts[i], &mt[i], PKT_DROP_XLAT_DST);
			continue;
		}
		ips[k] = ntohl(v4);
		idx[k++] = i;
	}
	if (k == 0)
		return;
	rte_fib_lookup_bulk(w->snap->fib4, ips, nhs, k);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = pkts[idx[i]];
		struct meta *x = &mt[idx[i]];
		const struct mx_nh *nh = &w->snap->nh[nhs[i]];
		struct pkt_ip6 *ip = (struct pkt_ip6 *)l3_of(m);
		uint8_t dst6[16], src96[ROAM_PFX_LEN];
		uint32_t size, mtu4;
		struct xlat_ctx ctx;
		struct xlat_out out;
		enum pkt_drop r;
		int roamed = 0;

		if (nh->type == MX_NH_MISS) {
			mx_reject6(w, port, m, x, PKT_ICMP6_UNREACH,
				PKT_ICMP6_UNREACH_NOROUTE, 0,
				PKT_DROP_NO_ROUTE);
			continue;
		}
		if (nh->type != MX_NH_FWD) {
			drop(w, m, x, PKT_DROP_XLAT_DST);
			continue;
		}
		/*
		 * Too big for the IPv4 next hop: a packet that will carry
		 * DF (over 1260 bytes) or an IPv6 fragment earns the sender
		 * a "packet too big" with the IPv6 size that fits; a small
		 * packet without DF is fragmented as IPv4 (section 5.1).
		 */
		mtu4 = dp->ports[nh->port].mtu;
		size = x->l3.len - x->l3.l4_off + PKT_IP4_HLEN;
		x->frag_size = 0;
		if (size > mtu4 && x->l3.l4_proto != PKT_PROTO_ICMP6) {
			/* An IPv6 fragment too: its sender can send smaller
			 * ones, and a fragment of a fragment helps no one. */
			if (x->l3.is_frag || size > 1260) {
				mx_reject6(w, port, m, x, PKT_ICMP6_PKT_TOO_BIG, 0,
					RTE_MAX((uint32_t)PKT_IP6_MIN_MTU,
						mtu4 + x->l3.len - size),
					PKT_DROP_MTU_EXCEEDED);
				continue;
			}
			x->frag_size = (uint16_t)mtu4;
		}
		/* Roaming (seed 003, node B) only now, past every check that
		 * answers with an ICMPv6 error: those go to the source the
		 * packet came from and quote it as it came (RFC 4443 2.4). */
		if (w->roam != NULL) {
			memcpy(src96, ip->src, ROAM_PFX_LEN);
			if (roam_clat_in(w, m, x, &roamed) != 0)
				continue;
		}

		ip->hop_limit--;
		memset(&ctx, 0, sizeof(ctx));
		ctx.mtu4 = (uint16_t)mtu4;
		ctx.mtu6 = dp->ports[port].mtu;
		ctx.tailroom = rte_pktmbuf_tailroom(m);
		ctx.self4 = htonl(mx_port_src4(&dp->ports[nh->port], 0));
		ctx.hash = mx_flow_hash(ip->src);
		ctx.ip4_id = htons(w->ip4_id++);
		memcpy(dst6, ip->dst, 16);
		r = xlat64(&w->snap->xlat, &ctx, (uint8_t *)ip, &x->l3, &out);
		if (r != PKT_DROP_NONE) {
			ip->hop_limit++;
			/* As it came, for the error (see above). */
			if (roamed)
				roam_netmap6(l3_of(m), m->data_len, ROAM_SRC,
					     src96);
			mx_reject64(w, port, m, x, r);
			continue;
		}
		mx_set_l3(m, &out);
		w->ev[MX_EV_xlat64]++;
		if (w->snap->xlat.n_eam != 0 && hairpin(w, m, x, ips[i], dst6))
			continue;
		mx_to_neigh4(x, nh, ips[i]);
	}
}

static void
stage_fwd4(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	   struct meta *mt, uint16_t n)
{
	const struct mx_dp *dp = w->dp;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_ip4 *ip;
		const struct mx_nh *nh;

		if (mt[i].next != ST_FWD4)
			continue;
		ip = (struct pkt_ip4 *)l3_of(m);
		nh = &w->snap->nh[mt[i].nh];
		if (nh->type == MX_NH_MISS) {
			mx_reject4(w, port, m, &mt[i], PKT_ICMP4_UNREACH,
				PKT_ICMP4_UNREACH_NET, 0, PKT_DROP_NO_ROUTE);
			continue;
		}
		if (ip->ttl <= 1) {
			mx_reject4(w, port, m, &mt[i], PKT_ICMP4_TIME_EXCEEDED, 0,
				0, PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		/* RFC 1191: DF set -> the sender learns the MTU; DF clear
		 * -> fragments (RFC 791). */
		mt[i].frag_size = 0;
		if (mt[i].l3.len > dp->ports[nh->port].mtu) {
			if (ntohs(ip->frag) & PKT_IP4_DF) {
				mx_reject4(w, port, m, &mt[i], PKT_ICMP4_UNREACH,
					PKT_ICMP4_UNREACH_NEEDFRAG,
					dp->ports[nh->port].mtu,
					PKT_DROP_MTU_EXCEEDED);
				continue;
			}
			mt[i].frag_size = dp->ports[nh->port].mtu;
		}
		/* RFC 1624: TTL is the high byte of the word with proto. */
		ip->csum = pkt_csum_replace(ip->csum,
					    (uint32_t)ip->ttl << 8 | ip->proto,
					    (uint32_t)(ip->ttl - 1) << 8 |
					    ip->proto);
		ip->ttl--;
		w->ev[MX_EV_fwd4]++;
		mx_to_neigh4(&mt[i], nh, ntohl(ip->dst));
	}
}

static void
stage_fwd6(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	   struct meta *mt, uint16_t n)
{
	const struct mx_dp *dp = w->dp;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_ip6 *ip;
		const struct mx_nh *nh;

		if (mt[i].next != ST_FWD6)
			continue;
		ip = (struct pkt_ip6 *)l3_of(m);
		nh = &w->snap->nh[mt[i].nh];
		if (nh->type == MX_NH_MISS) {
			mx_reject6(w, port, m, &mt[i], PKT_ICMP6_UNREACH,
				PKT_ICMP6_UNREACH_NOROUTE, 0,
				PKT_DROP_NO_ROUTE);
			continue;
		}
		if (ip->hop_limit <= 1) {
			mx_reject6(w, port, m, &mt[i], PKT_ICMP6_TIME_EXCEEDED, 0,
				0, PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		if (mt[i].l3.len > dp->ports[nh->port].mtu) {
			mx_reject6(w, port, m, &mt[i], PKT_ICMP6_PKT_TOO_BIG, 0,
				dp->ports[nh->port].mtu,
				PKT_DROP_MTU_EXCEEDED);
			continue;
		}
		ip->hop_limit--;
		w->ev[MX_EV_fwd6]++;
		mx_to_neigh6(&mt[i], nh, ip->dst);
	}
}

static void
neigh_request(struct mx_worker *w, const struct mx_neigh_key *k)
{
	if (k->addr[10] == 0xff && k->addr[11] == 0xff &&
	    k->addr[0] == 0 && k->addr[9] == 0) {
		uint32_t a;

		memcpy(&a, k->addr + 12, 4);
		mx_send_arp_request(w, k->port, ntohl(a));
	} else {
		mx_send_ns(w, k->port, k->addr);
	}
}

static uint16_t
ethertype_of(const struct mx_neigh_key *k)
{
	return k->addr[10] == 0xff && k->addr[11] == 0xff && k->addr[0] == 0 ?
	       PKT_ETHERTYPE_IP4 : PKT_ETHERTYPE_IP6;
}

/* Send a routed packet, in fragments when it was found too big. */
static void
tx_routed(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
	  const struct rte_ether_addr *mac, uint16_t ethertype,
	  uint16_t frag_size)
{
	if (frag_size != 0 && m->pkt_len > frag_size)
		mx_tx_frags(w, m, port, mac, ethertype, frag_size);
	else
		mx_tx_eth(w, m, port, mac, ethertype);
}

/* Park 'm' until its next hop answers; ask for it unless already asked. */
static void
park(struct mx_worker *w, struct rte_mbuf *m, struct meta *x,
     const struct mx_neigh_key *k)
{
	uint64_t now = rte_rdtsc(), hz = w->dp->tsc_hz;
	struct mx_pending *pd;
	unsigned int i;
	int asked = 0;

	if (w->n_pending == MX_PENDING_MAX) {
		drop(w, m, x, PKT_DROP_NEIGH_QUEUE_FULL);
		return;
	}
	for (i = 0; i < w->n_pending && !asked; i++)
		asked = memcmp(&w->pending[i].key, k, sizeof(*k)) == 0;
	pd = &w->pending[w->n_pending++];
	pd->m = m;
	pd->key = *k;
	pd->frag_size = x->frag_size;
	pd->deadline = now + hz * NEIGH_WAIT_MS / 1000;
	pd->next_req = now + hz * NEIGH_RETRY_MS / 1000;
	if (!asked)
		neigh_request(w, k);
	w->ev[MX_EV_neigh_queued]++;
	x->next = ST_DONE;
}

static void pending_service(struct mx_worker *w);

/* Packets for 'k' are parked. */
static int
pending_has(const struct mx_worker *w, const struct mx_neigh_key *k)
{
	unsigned int i;

	for (i = 0; i < w->n_pending; i++)
		if (memcmp(&w->pending[i].key, k, sizeof(*k)) == 0)
			return 1;
	return 0;
}

/*
 * Parked packets are older than the burst's, so they leave first: those
 * whose next hop got resolved since, before the burst, and those of a
 * next hop that resolves in the middle of it, before the packet that
 * finds the entry. Otherwise the first packets of a flow to a new
 * neighbour would arrive after the later ones.
 */
static void
stage_neigh(struct mx_worker *w, struct rte_mbuf **pkts, struct meta *mt,
	    uint16_t n)
{
	uint16_t i;

	if (w->n_pending != 0)
		pending_service(w);
	for (i = 0; i < n; i++) {
		struct mx_neigh_key k;
		struct rte_ether_addr mac;

		if (mt[i].next != ST_NEIGH)
			continue;
		if (mt[i].family == 4) {
			uint32_t a;

			memcpy(&a, mt[i].hop, 4);
			mx_neigh_key4(&k, mt[i].out_port, a);
		} else {
			mx_neigh_key6(&k, mt[i].out_port, mt[i].hop);
		}
		if (mx_neigh_lookup(w->dp, &k, &mac) == 0) {
			if (w->n_pending != 0 && pending_has(w, &k))
				pending_service(w);
			tx_routed(w, pkts[i], mt[i].out_port, &mac,
				  mt[i].family == 4 ? PKT_ETHERTYPE_IP4 :
				  PKT_ETHERTYPE_IP6, mt[i].frag_size);
			mt[i].next = ST_DONE;
		} else {
			park(w, pkts[i], &mt[i], &k);
		}
	}
}

/*
 * Send what got resolved, drop what waited too long, ask again. Removal
 * closes the gap in order (never moves the last entry into it), so the
 * packets of one flow leave in the order they were parked.
 */
static void
pending_service(struct mx_worker *w)
{
	uint64_t now = rte_rdtsc(), hz = w->dp->tsc_hz;
	unsigned int i, kept = 0;

	for (i = 0; i < w->n_pending; i++) {
		struct mx_pending *pd = &w->pending[i];
		struct rte_ether_addr mac;

		if (mx_neigh_lookup(w->dp, &pd->key, &mac) == 0) {
			tx_routed(w, pd->m, pd->key.port, &mac,
				  ethertype_of(&pd->key), pd->frag_size);
			continue;
		}
		if (now > pd->deadline) {
			w->drops[PKT_DROP_NEIGH_TIMEOUT]++;
			rte_pktmbuf_free(pd->m);
			continue;
		}
		if (now > pd->next_req) {
			neigh_request(w, &pd->key);
			pd->next_req = now + hz * NEIGH_RETRY_MS / 1000;
		}
		if (kept != i)
			w->pending[kept] = *pd;
		kept++;
	}
	w->n_pending = kept;
	w->pending_now = kept;
}

static void
tx_flush(struct mx_worker *w)
{
	const struct mx_dp *dp = w->dp;
	unsigned int j;

	for (j = 0; j < dp->n_ports; j++) {
		uint16_t port = dp->port_ids[j], sent, k;
		struct mx_txbuf *tb = &w->tx[port];
		uint64_t bytes = 0;

		if (tb->n == 0)
			continue;
		if (w->tap != NULL && w->tap->cap_on &&
		    (w->tap->cap_dir & MX_TAP_TX) &&
		    (w->tap->cap_port == MX_NO_PORT ||
		     w->tap->cap_port == port))
			mx_tap_capture(w, w->tap, tb->pkts, tb->n, port,
				       MX_TAP_TX);
		for (k = 0; k < tb->n; k++)
			bytes += tb->pkts[k]->pkt_len;
		sent = rte_eth_tx_burst(port, (uint16_t)w->id, tb->pkts, tb->n);
		for (k = sent; k < tb->n; k++) {
			bytes -= tb->pkts[k]->pkt_len;
			rte_pktmbuf_free(tb->pkts[k]);
		}
		w->drops[PKT_DROP_TX_FULL] += tb->n - sent;
		w->tx_pkts[port] += sent;
		w->tx_bytes[port] += bytes;
		tb->n = 0;
	}
}

/* Pick the packets to trace and note what they were on arrival. */
static unsigned int
trace_begin(struct mx_worker *w, const struct mx_tap *t, uint16_t port,
	    struct rte_mbuf **pkts, struct meta *mt, uint16_t n)
{
	unsigned int k = 0;
	uint16_t i;

	for (i = 0; i < n && k < MX_TRACE_SLOTS; i++) {
		struct mx_trace_rec *r;

		if (!mx_tap_trace_match(t, pkts[i], port))
			continue;
		r = &w->trace[k];
		memset(r, 0, offsetof(struct mx_trace_rec, head));
		r->worker = (uint8_t)w->id;
		r->rx_port = port;
		r->out_port = MX_NO_PORT;
		r->len = (uint16_t)RTE_MIN(pkts[i]->pkt_len, UINT16_MAX);
		r->head_len = (uint8_t)RTE_MIN(pkts[i]->data_len,
					       MX_TRACE_HEAD);
		memcpy(r->head, rte_pktmbuf_mtod(pkts[i], uint8_t *),
		       r->head_len);
		mt[i].trace = (uint8_t)k++;
	}
	return k;
}

/* Before stage 'st': the traced packets it is about to see. */
static void
trace_step(struct mx_worker *w, const struct meta *mt, uint16_t n,
	   uint8_t st)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct mx_trace_rec *r;

		if (mt[i].trace == NO_TRACE || mt[i].next != st)
			continue;
		r = &w->trace[mt[i].trace];
		if (r->n_steps < MX_TRACE_STEPS)
			r->steps[r->n_steps++] = st;
		if (st == ST_NEIGH)
			r->out_port = mt[i].out_port;
	}
}

static void
trace_end(struct mx_worker *w, const struct mx_tap *t, const struct meta *mt,
	  uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct mx_trace_rec *r;

		if (mt[i].trace == NO_TRACE)
			continue;
		r = &w->trace[mt[i].trace];
		if (r->why != 0)
			r->out_port = MX_NO_PORT;
		mx_tap_trace_emit(w, t, r);
	}
}

/* The stages in their order, each over the whole burst; with a trace,
 * note who saw which packet. */
static void
run_stages(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	   struct meta *mt, uint16_t n, unsigned int traced)
{
#define STAGE(st, call)					\
	do {						\
		if (traced != 0)			\
			trace_step(w, mt, n, st);	\
		call;					\
	} while (0)
	STAGE(ST_ETH, stage_eth(w, port, pkts, mt, n));
	STAGE(ST_ARP, stage_arp(w, port, pkts, mt, n));
	STAGE(ST_IP4, stage_ip4(w, port, pkts, mt, n));
	STAGE(ST_IP6, stage_ip6(w, port, pkts, mt, n));
	if (w->fw_conn != NULL)
		STAGE(ST_FW6, stage_fw6(w, port, pkts, mt, n));
	STAGE(ST_LOCAL4, stage_local4(w, port, pkts, mt, n));
	STAGE(ST_LOCAL6, stage_local6(w, port, pkts, mt, n));
	STAGE(ST_XLAT46, stage_xlat46(w, port, pkts, mt, n));
	if (w->shard != NULL) {
		STAGE(ST_NAT64_IN, stage_nat64_in(w, port, pkts, mt, n));
		STAGE(ST_NAT64_OUT, stage_nat64_out(w, port, pkts, mt, n));
	}
	STAGE(ST_XLAT64, stage_xlat64(w, port, pkts, mt, n));
	STAGE(ST_FWD4, stage_fwd4(w, port, pkts, mt, n));
	STAGE(ST_FWD6, stage_fwd6(w, port, pkts, mt, n));
	STAGE(ST_NEIGH, stage_neigh(w, pkts, mt, n));
#undef STAGE
}

static void
process_burst(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	      uint16_t n)
{
	const struct mx_tap *t = w->tap;
	struct meta mt[MX_BURST_MAX];
	unsigned int traced = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		mt[i].next = ST_ETH;
		mt[i].frag_size = 0;
		mt[i].trace = NO_TRACE;
		mt[i].reass = 0;
		mt[i].translated = 0;
		mt[i].roamed = 0;
		w->rx_bytes[port] += pkts[i]->pkt_len;
	}
	w->rx_pkts[port] += n;
	if (t != NULL) {
		if (t->cap_on && (t->cap_dir & MX_TAP_RX) &&
		    (t->cap_port == MX_NO_PORT || t->cap_port == port))
			mx_tap_capture(w, t, pkts, n, port, MX_TAP_RX);
		if (t->trace_on)
			traced = trace_begin(w, t, port, pkts, mt, n);
	}
	run_stages(w, port, pkts, mt, n, traced);
	if (traced != 0)
		trace_end(w, t, mt, n);
}

/*
 * Packets another worker passed on because this one owns their PLAT
 * flow: they resume at the stage they left, in runs of one rx port (the
 * port any ICMP error about them goes out of).
 */
static void
process_handoff(struct mx_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	struct meta mt[MX_BURST_MAX];
	uint16_t ports[MX_BURST_MAX], i, start, end;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum pkt_drop r;

		mt[i].frag_size = 0;
		mt[i].trace = NO_TRACE;
		mt[i].reass = 0;
		mx_handoff_resume(m, &mt[i], &ports[i]);
		r = mt[i].next == ST_NAT64_OUT ?
		    pkt_parse_ip4(l3_of(m), m->data_len, 0, &mt[i].l3) :
		    pkt_parse_ip6(l3_of(m), m->data_len, &mt[i].l3);
		if (r != PKT_DROP_NONE)
			drop(w, m, &mt[i], r);
	}
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n && ports[end] == ports[start];
		     end++)
			;
		run_stages(w, ports[start], pkts + start, mt + start,
			   end - start, 0);
	}
}


int
mx_worker_main(void *arg)
{
	struct mx_worker *w = arg;
	const struct mx_dp *dp = w->dp;
	struct rte_mbuf *pkts[MX_BURST_MAX];
	uint16_t rxq[MX_MAX_PORTS];
	unsigned int n_rx = 0, j, from = 0;

	/* The ports that have an rx queue for this worker. */
	for (j = 0; j < dp->n_ports; j++)
		if (dp->ports[dp->port_ids[j]].nb_rxq > w->id)
			rxq[n_rx++] = dp->port_ids[j];
	w->icmp_last = rte_rdtsc();
	w->icmp_tokens = 100;

	mx_plat_worker_init(w);
	mx_fw_worker_init(w);
	rte_rcu_qsbr_thread_register(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_online(dp->qsbr, w->id);
	while (!mx_quit) {
		unsigned int got = 0;

		/* One snapshot per turn: a reload never splits a burst. */
		w->snap = __atomic_load_n(&dp->snap, __ATOMIC_ACQUIRE);
		w->tap = __atomic_load_n(&dp->tap, __ATOMIC_ACQUIRE);
		w->roam = __atomic_load_n(&dp->roam, __ATOMIC_ACQUIRE);
		if (w->shard != NULL)
			mx_plat_turn(w);	/* sets now_ms */
		else if (w->fw_conn != NULL || dp->roam_db != NULL)
			w->now_ms = mx_now_ms(dp);
		if (w->fw_conn != NULL)
			mx_fw_turn(w, w->now_ms);
		if (dp->handoff_on) {
			uint64_t t0 = rte_rdtsc();
			uint16_t n;

			n = (uint16_t)mx_handoff_rx(w, pkts, dp->burst, &from);
			if (n != 0) {
				process_handoff(w, pkts, n);
				tx_flush(w);
				got += n;
				w->busy_polls++;
				w->busy_cycles += rte_rdtsc() - t0;
			}
		}
		for (j = 0; j < n_rx; j++) {
			uint64_t t0 = rte_rdtsc();
			uint16_t n;

			n = rte_eth_rx_burst(rxq[j], (uint16_t)w->id, pkts,
					     (uint16_t)dp->burst);
			w->polls++;
			if (n == 0)
				continue;
			process_burst(w, rxq[j], pkts, n);
			tx_flush(w);
			got += n;
			w->busy_polls++;
			t0 = rte_rdtsc() - t0;
			w->busy_cycles += t0;
			if (t0 > w->poll_max_cycles)
				w->poll_max_cycles = t0;
		}
		if (w->n_pending != 0) {
			pending_service(w);
			tx_flush(w);
		}
		mx_worker_poll_call(w);
		/* Nothing of this turn's snapshot is held past here. */
		rte_rcu_qsbr_quiescent(dp->qsbr, w->id);
		if (got == 0 && dp->idle_sleep_us != 0)
			usleep(dp->idle_sleep_us);
	}
	rte_rcu_qsbr_thread_offline(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsbr, w->id);

	/* Still unresolved at shutdown: as good as timed out. */
	for (j = 0; j < w->n_pending; j++) {
		w->drops[PKT_DROP_NEIGH_TIMEOUT]++;
		rte_pktmbuf_free(w->pending[j].m);
	}
	w->n_pending = 0;
	w->pending_now = 0;
	tx_flush(w);
	return 0;
}
