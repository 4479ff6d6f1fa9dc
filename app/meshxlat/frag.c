/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fragmentation of packets that are too big for the next hop and may be
 * fragmented: IPv4 without DF (RFC 791 section 3.2, "fragmentation"), and
 * translated IPv4-without-DF as IPv6 with fragment headers (RFC 7915
 * section 4: identification from the IPv4 one, in 'hash.usr'). Each
 * fragment is a new mbuf from the worker's pool; the original is freed.
 * A fragment that cannot be allocated loses the packet (counted nombuf):
 * the receiver's reassembly would fail without it anyway.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "csum.h"
#include "hdr.h"
#include "mx.h"

static void
frags4(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
       const struct rte_ether_addr *dmac, uint16_t size)
{
	const uint8_t *pkt = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct pkt_ip4 *ip = (const struct pkt_ip4 *)pkt;
	uint32_t hlen = pkt_ip4_hlen(ip), len = m->pkt_len, chunk, off;
	uint16_t fo = ntohs(ip->frag), base = fo & PKT_IP4_OFFMASK;

	chunk = (size - hlen) & ~7u;
	for (off = hlen; off < len; off += chunk) {
		uint32_t n = RTE_MIN(chunk, len - off);
		struct rte_mbuf *f = rte_pktmbuf_alloc(w->dp->pool);
		struct pkt_ip4 *fip;
		uint8_t *d;
		int last = off + n >= len;

		if (f == NULL || (d = (uint8_t *)rte_pktmbuf_append(f,
					(uint16_t)(hlen + n))) == NULL) {
			rte_pktmbuf_free(f);
			w->ev[MX_EV_nombuf]++;
			break;
		}
		/* Options are copied into every fragment: only the ones
		 * with the copy flag should be, but a translated packet
		 * has none. */
		memcpy(d, pkt, hlen);
		memcpy(d + hlen, pkt + off, n);
		fip = (struct pkt_ip4 *)d;
		fip->tot_len = htons((uint16_t)(hlen + n));
		fip->frag = htons((uint16_t)((base + (off - hlen) / 8) |
				  (!last || (fo & PKT_IP4_MF) ? PKT_IP4_MF : 0)));
		pkt_ip4_set_csum(fip);
		w->ev[MX_EV_frag_out]++;
		mx_tx_eth(w, f, port, dmac, PKT_ETHERTYPE_IP4);
	}
	rte_pktmbuf_free(m);
}

static void
frags6(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
       const struct rte_ether_addr *dmac, uint16_t size)
{
	const uint8_t *pkt = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)pkt;
	uint32_t len = m->pkt_len, start = PKT_IP6_HLEN, chunk, off;
	uint16_t base = 0;
	uint32_t id = htonl(m->hash.usr & 0xffff);
	uint8_t nh = ip->nexthdr, more = 0;

	if (nh == PKT_PROTO_FRAGMENT) {
		/* Already a fragment (of an IPv4 fragment): split it
		 * further, keeping its identity and offset. */
		const struct pkt_ip6_frag *of = (const void *)(pkt + start);

		nh = of->nexthdr;
		base = ntohs(of->off_m) >> 3;
		more = ntohs(of->off_m) & 1;
		id = of->id;
		start += sizeof(*of);
	}
	chunk = (size - PKT_IP6_HLEN - sizeof(struct pkt_ip6_frag)) & ~7u;
	for (off = start; off < len; off += chunk) {
		uint32_t n = RTE_MIN(chunk, len - off);
		struct rte_mbuf *f = rte_pktmbuf_alloc(w->dp->pool);
		struct pkt_ip6 *fip;
		struct pkt_ip6_frag *fh;
		uint8_t *d;
		int last = off + n >= len;

		if (f == NULL || (d = (uint8_t *)rte_pktmbuf_append(f,
				(uint16_t)(PKT_IP6_HLEN + sizeof(*fh) + n))) ==
				NULL) {
			rte_pktmbuf_free(f);
			w->ev[MX_EV_nombuf]++;
			break;
		}
		memcpy(d, pkt, PKT_IP6_HLEN);
		fip = (struct pkt_ip6 *)d;
		fip->nexthdr = PKT_PROTO_FRAGMENT;
		fip->payload_len = htons((uint16_t)(sizeof(*fh) + n));
		fh = (struct pkt_ip6_frag *)(d + PKT_IP6_HLEN);
		fh->nexthdr = nh;
		fh->reserved = 0;
		fh->off_m = htons((uint16_t)(((base + (off - start) / 8) << 3) |
				  (!last || more ? 1 : 0)));
		fh->id = id;
		memcpy(fh + 1, pkt + off, n);
		w->ev[MX_EV_frag_out]++;
		mx_tx_eth(w, f, port, dmac, PKT_ETHERTYPE_IP6);
	}
	rte_pktmbuf_free(m);
}

void
mx_tx_frags(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
	    const struct rte_ether_addr *dmac, uint16_t ethertype,
	    uint16_t size)
{
	if (ethertype == PKT_ETHERTYPE_IP4)
		frags4(w, m, port, dmac, size);
	else
		frags6(w, m, port, dmac, size);
}
