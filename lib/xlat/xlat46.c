/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 -> IPv6 (RFC 7915 section 4). Guards first, then a straight-line
 * fill of the IPv6 header; transport checksums are adjusted by the
 * difference of the pseudo-headers (RFC 1624), never recomputed over the
 * payload, except for UDP with checksum zero (section 4.5).
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
 * RFC 7915 section 4.1: options are ignored, except that a packet with an
 * unexpired source route option must be dropped. Any LSRR/SSRR counts.
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
		if (opt[i] == IPOPT_LSRR || opt[i] == IPOPT_SSRR)
			return 1;
		if (i + 1 >= len || opt[i + 1] < 2)
			return 0;	/* malformed: nothing to honour */
		i += opt[i + 1];
	}
	return 0;
}

/* ICMPv4 informational types that have an ICMPv6 twin (section 4.2). */
static int
icmp46_type(uint8_t type4, uint8_t *type6)
{
	switch (type4) {
	case PKT_ICMP4_ECHO:
		*type6 = PKT_ICMP6_ECHO;
		return 0;
	case PKT_ICMP4_ECHO_REPLY:
		*type6 = PKT_ICMP6_ECHO_REPLY;
		return 0;
	default:
		/* Errors are translated with their inner packet: not yet. */
		return -1;
	}
}

enum pkt_drop
xlat46(const struct xlat_cfg *cfg, uint8_t *l3, const struct pkt_l3 *in,
       uint32_t headroom, struct xlat_out *out)
{
	struct pkt_ip4 ip4;
	struct pkt_ip6 *ip6;
	uint8_t src6[16], dst6[16], *l4;
	unsigned int hlen, l4_len;
	uint8_t proto, tc;
	uint16_t csum;

	memcpy(&ip4, l3, sizeof(ip4));
	hlen = in->l4_off;
	l4 = l3 + hlen;
	l4_len = in->len - hlen;
	if (hlen < PKT_IP6_HLEN && headroom < PKT_IP6_HLEN - hlen)
		return PKT_DROP_XLAT_HEADROOM;
	if (in->is_frag)
		return PKT_DROP_XLAT_FRAGMENT;
	if (hlen > PKT_IP4_HLEN &&
	    has_source_route(l3 + PKT_IP4_HLEN, hlen - PKT_IP4_HLEN))
		return PKT_DROP_XLAT_IP4_OPTIONS;

	xlat_rfc6052_embed(&cfg->local6, ip4.src, src6);
	xlat_rfc6052_embed(&cfg->remote6, ip4.dst, dst6);
	proto = ip4.proto;

	switch (proto) {
	case PKT_PROTO_TCP:
		if (l4_len < PKT_TCP_HLEN)
			return PKT_DROP_L4_TRUNC;
		csum = xlat_rd16n(l4 + XLAT_TCP_CSUM_OFF);
		xlat_wr16n(l4 + XLAT_TCP_CSUM_OFF,
			   pkt_csum_replace(csum, pkt_addr4_sum(ip4.src, ip4.dst),
					    pkt_addr6_sum(src6, dst6)));
		break;
	case PKT_PROTO_UDP:
		if (l4_len < PKT_UDP_HLEN)
			return PKT_DROP_L4_TRUNC;
		csum = xlat_rd16n(l4 + XLAT_UDP_CSUM_OFF);
		if (csum == 0) {
			/*
			 * Section 4.5: IPv6 requires a UDP checksum. An
			 * unfragmented packet is summed here (fragments
			 * are refused above).
			 */
			uint32_t s = pkt_pseudo6_sum(src6, dst6, PKT_PROTO_UDP,
						     l4_len);

			csum = pkt_csum_finish(pkt_csum_partial(l4, l4_len, s));
			if (csum == 0)
				csum = 0xffff;
		} else {
			csum = pkt_csum_replace(csum,
					pkt_addr4_sum(ip4.src, ip4.dst),
					pkt_addr6_sum(src6, dst6));
			/* Zero is "no checksum": send the other zero. */
			if (csum == 0)
				csum = 0xffff;
		}
		xlat_wr16n(l4 + XLAT_UDP_CSUM_OFF, csum);
		break;
	case PKT_PROTO_ICMP: {
		uint8_t type6;

		if (l4_len < PKT_ICMP_HLEN)
			return PKT_DROP_L4_TRUNC;
		if (icmp46_type(l4[0], &type6) != 0)
			return PKT_DROP_XLAT_ICMP_TYPE;
		/* ICMPv6 adds a pseudo-header to the sum (RFC 4443 2.3). */
		csum = xlat_rd16n(l4 + XLAT_ICMP_CSUM_OFF);
		csum = pkt_csum_replace(csum, (uint32_t)l4[0] << 8,
				((uint32_t)type6 << 8) +
				pkt_pseudo6_sum(src6, dst6, PKT_PROTO_ICMP6,
						l4_len));
		l4[0] = type6;
		xlat_wr16n(l4 + XLAT_ICMP_CSUM_OFF, csum);
		proto = PKT_PROTO_ICMP6;
		break;
	}
	default:
		/* Section 4.1: other protocols keep their number. */
		break;
	}

	/* Section 4.1: traffic class from TOS unless configured away. */
	tc = cfg->zeroize_tc ? 0 : ip4.tos;
	ip6 = (struct pkt_ip6 *)(l4 - PKT_IP6_HLEN);
	ip6->vtc_flow = htonl(6u << 28 | (uint32_t)tc << 20);
	ip6->payload_len = htons((uint16_t)l4_len);
	ip6->nexthdr = proto;
	ip6->hop_limit = ip4.ttl;
	memcpy(ip6->src, src6, 16);
	memcpy(ip6->dst, dst6, 16);

	out->l3 = (uint8_t *)ip6;
	out->len = PKT_IP6_HLEN + l4_len;
	return PKT_DROP_NONE;
}
