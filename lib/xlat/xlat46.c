/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 -> IPv6 (RFC 7915 section 4). Guards first, then a straight-line
 * fill of the IPv6 header; transport checksums are adjusted by the
 * difference of the pseudo-headers (RFC 1624), never recomputed over the
 * payload, except for UDP with checksum zero (section 4.5). The payload
 * never moves: headers are written in front of it.
 */
#include "xlat.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "xlat_priv.h"

#define IPOPT_EOL	0
#define IPOPT_NOP	1
#define IPOPT_LSRR	131
#define IPOPT_SSRR	137

/*
 * Section 4.1: options are ignored, except that a packet with an
 * unexpired source route option must be dropped (and the caller answers
 * "source route failed"). A route is unexpired while its pointer has not
 * run past its length.
 */
static int
has_source_route(const uint8_t *opt, unsigned int len)
{
	unsigned int i = 0;

	while (i < len) {
		if (opt[i] == IPOPT_EOL)
			return 0;
		if (opt[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			return 0;	/* malformed: nothing to honour */
		if ((opt[i] == IPOPT_LSRR || opt[i] == IPOPT_SSRR) &&
		    (opt[i + 1] < 3 || opt[i + 2] <= opt[i + 1]))
			return 1;
		i += opt[i + 1];
	}
	return 0;
}

enum pkt_drop
xlat_l4_csum(uint8_t proto, uint8_t *l4, uint32_t avail, uint32_t l4_len,
	     uint32_t old_sum, uint32_t new_sum, uint32_t new_pseudo,
	     int amend, int first_frag, int more_frags, int inner, int to6)
{
	uint16_t csum;

	if (!first_frag)
		return PKT_DROP_NONE;	/* no transport header here */
	switch (proto) {
	case PKT_PROTO_TCP:
		if (avail < (inner ? XLAT_TCP_CSUM_OFF + 2u : PKT_TCP_HLEN))
			return inner ? PKT_DROP_NONE : PKT_DROP_L4_TRUNC;
		csum = pkt_rd16n(l4 + XLAT_TCP_CSUM_OFF);
		pkt_wr16n(l4 + XLAT_TCP_CSUM_OFF,
			  pkt_csum_replace(csum, old_sum, new_sum));
		return PKT_DROP_NONE;
	case PKT_PROTO_UDP:
		if (avail < PKT_UDP_HLEN)
			return inner ? PKT_DROP_NONE : PKT_DROP_L4_TRUNC;
		csum = pkt_rd16n(l4 + XLAT_UDP_CSUM_OFF);
		if (csum == 0 && to6) {
			/*
			 * Section 4.5: IPv6 needs a UDP checksum. Sum it
			 * when allowed and the whole datagram is here;
			 * inside an ICMP error it stays as it was.
			 */
			if (inner)
				return PKT_DROP_NONE;
			if (!amend || more_frags || avail < l4_len)
				return PKT_DROP_XLAT_UDP_CSUM0;
			csum = pkt_csum_finish(pkt_csum_partial(l4, l4_len,
								new_pseudo));
		} else if (csum == 0) {
			/* RFC 8200 8.1: zero is invalid in IPv6. */
			return inner ? PKT_DROP_NONE : PKT_DROP_XLAT_UDP_CSUM0;
		} else {
			csum = pkt_csum_replace(csum, old_sum, new_sum);
		}
		/* Zero means "no checksum": send the other zero. */
		pkt_wr16n(l4 + XLAT_UDP_CSUM_OFF, csum == 0 ? 0xffff : csum);
		return PKT_DROP_NONE;
	default:
		return PKT_DROP_NONE;
	}
}

uint8_t *
xlat_hdr46(const struct xlat_cfg *cfg, const struct pkt_ip4 *ip4,
	   const uint8_t *src6, const uint8_t *dst6, uint32_t l4_len,
	   uint8_t proto6, int frag, uint8_t *end)
{
	struct pkt_ip6 *ip6;
	uint8_t tc = cfg->zeroize_tc ? 0 : ip4->tos;

	if (frag) {
		struct pkt_ip6_frag *f = (struct pkt_ip6_frag *)
					 (end - XLAT_FRAG_HLEN);
		uint16_t fo = ntohs(ip4->frag);

		/* Section 4.1: offset and M copied, identification's
		 * low 16 bits from IPv4, high 16 bits zero. */
		f->nexthdr = proto6;
		f->reserved = 0;
		f->off_m = htons((uint16_t)((fo & PKT_IP4_OFFMASK) << 3 |
					    ((fo & PKT_IP4_MF) ? 1 : 0)));
		f->id = htonl(ntohs(ip4->id));
		end -= XLAT_FRAG_HLEN;
		l4_len += XLAT_FRAG_HLEN;
		proto6 = PKT_PROTO_FRAGMENT;
	}
	ip6 = (struct pkt_ip6 *)(end - PKT_IP6_HLEN);
	/* Section 4.1: flow label 0, traffic class from TOS. */
	ip6->vtc_flow = htonl(6u << 28 | (uint32_t)tc << 20);
	ip6->payload_len = htons((uint16_t)l4_len);
	ip6->nexthdr = proto6;
	ip6->hop_limit = ip4->ttl;
	memcpy(ip6->src, src6, 16);
	memcpy(ip6->dst, dst6, 16);
	return (uint8_t *)ip6;
}

enum pkt_drop
xlat46(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx, uint8_t *l3,
       const struct pkt_l3 *in, struct xlat_out *out)
{
	struct pkt_ip4 ip4;
	uint8_t src6[16], dst6[16], *l4, *start, proto;
	unsigned int hlen;
	uint32_t l4_len, new_sum;
	uint16_t fo;
	int frag, is_err = 0;
	enum pkt_drop r;

	memcpy(&ip4, l3, sizeof(ip4));
	hlen = in->l4_off;
	l4 = l3 + hlen;
	l4_len = in->len - hlen;
	fo = ntohs(ip4.frag);
	proto = ip4.proto;
	if (hlen > PKT_IP4_HLEN &&
	    has_source_route(l3 + PKT_IP4_HLEN, hlen - PKT_IP4_HLEN))
		return PKT_DROP_XLAT_IP4_OPTIONS;
	/*
	 * Section 4.1: a fragment keeps its identity in a fragment header.
	 * ICMP cannot be fragmented across: the ICMPv6 checksum needs the
	 * length of the whole message, which a fragment does not know.
	 */
	frag = in->is_frag;
	if (frag && proto == PKT_PROTO_ICMP)
		return PKT_DROP_XLAT_FRAGMENT;
	/*
	 * Section 4.1 copies the protocol; numbers that IPv6 reads as an
	 * extension header or as ICMPv6 would turn into a different,
	 * malformed packet there, so they are not translated.
	 */
	if (proto == 2 ||	/* IGMP: single hop, silently dropped (4.2) */
	    proto == PKT_PROTO_HOPOPTS || proto == PKT_PROTO_ROUTING ||
	    proto == PKT_PROTO_FRAGMENT || proto == PKT_PROTO_ICMP6 ||
	    proto == PKT_PROTO_DSTOPTS)
		return PKT_DROP_XLAT_PROTO;
	if (proto == PKT_PROTO_ICMP && l4_len >= 1)
		is_err = l4[0] == PKT_ICMP4_UNREACH ||
			 l4[0] == PKT_ICMP4_TIME_EXCEEDED ||
			 l4[0] == PKT_ICMP4_PARAMPROB;

	if (ctx->nat != NULL) {
		/* NAT64: the session's addresses (RFC 6146 section 3.7). */
		memcpy(src6, ctx->nat->src6, 16);
		memcpy(dst6, ctx->nat->dst6, 16);
	} else if (xlat_addr46(cfg, ip4.dst, 0, dst6) != 0) {
		return PKT_DROP_XLAT_DST;
	} else if (ctx->src_by_pool6 && cfg->has_pool6)
		xlat_rfc6052_embed(&cfg->pool6, ip4.src, src6);
	else if (xlat_addr46(cfg, ip4.src, 1, src6) != 0) {
		/* RFC 6791: an error from an address with no IPv6 form
		 * (a router on the IPv4 side) still gets through. */
		if (!is_err)
			return PKT_DROP_XLAT_SRC;
		if (cfg->has_rfc6791v6) {
			memcpy(src6, cfg->rfc6791v6.addr, 16);
			if (cfg->rfc6791v6.len <= 96)
				memcpy(src6 + 12, &ip4.src, 4);
		} else if (ctx->self6 != NULL) {
			memcpy(src6, ctx->self6, 16);
		} else {
			return PKT_DROP_XLAT_SRC;
		}
	}

	if (proto == PKT_PROTO_ICMP) {
		struct xlat_icmp_job j = {
			.l3 = l3, .len = in->len, .l4_off = hlen,
			.headroom = ctx->headroom,
		};

		if (l4_len < PKT_ICMP_HLEN)
			return PKT_DROP_L4_TRUNC;
		/* Echo keeps its place: the IPv6 header goes in front. */
		if (ctx->headroom + hlen < PKT_IP6_HLEN)
			return PKT_DROP_XLAT_HEADROOM;
		if (ctx->nat != NULL && !is_err)
			xlat_nat_ports(proto, l4, l4_len, ctx->nat->sport, 0);
		memcpy(j.src6, src6, 16);
		memcpy(j.dst6, dst6, 16);
		r = xlat_icmp46(cfg, ctx, &j);
		if (r != PKT_DROP_NONE)
			return r;
		/* The ICMPv6 message now starts at j.l3 + j.l4_off. */
		l4 = j.l3 + j.l4_off;
		l4_len = j.len - j.l4_off;
		start = xlat_hdr46(cfg, &ip4, src6, dst6, l4_len,
				   PKT_PROTO_ICMP6, 0, l4);
		goto done;
	}

	if (ctx->headroom + hlen < PKT_IP6_HLEN + (frag ? XLAT_FRAG_HLEN : 0))
		return PKT_DROP_XLAT_HEADROOM;
	if (ctx->nat != NULL && in->first_frag)
		xlat_nat_ports(proto, l4, l4_len, ctx->nat->sport,
			       ctx->nat->dport);
	new_sum = pkt_addr6_sum(src6, dst6);
	/* The full pseudo-header (for a zero UDP checksum) is the address
	 * sum plus length and protocol (RFC 8200 section 8.1). */
	r = xlat_l4_csum(proto, l4, l4_len, l4_len,
			 pkt_addr4_sum(ip4.src, ip4.dst), new_sum,
			 new_sum + (l4_len >> 16) + (l4_len & 0xffff) + proto,
			 cfg->amend_udp_csum0, in->first_frag,
			 (fo & PKT_IP4_MF) != 0, 0, 1);
	if (r != PKT_DROP_NONE)
		return r;
	start = xlat_hdr46(cfg, &ip4, src6, dst6, l4_len, proto, frag, l4);
done:
	out->l3 = start;
	out->len = (uint32_t)(l4 + l4_len - start);
	return PKT_DROP_NONE;
}
