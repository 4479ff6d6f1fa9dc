/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 -> IPv4 (RFC 7915 section 5). The IPv4 header is written so that
 * it ends where the IPv6 header chain ended: the payload does not move.
 */
#include "xlat.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "xlat_priv.h"

/* ICMPv6 informational types that have an ICMPv4 twin (section 5.2). */
static int
icmp64_type(uint8_t type6, uint8_t *type4)
{
	switch (type6) {
	case PKT_ICMP6_ECHO:
		*type4 = PKT_ICMP4_ECHO;
		return 0;
	case PKT_ICMP6_ECHO_REPLY:
		*type4 = PKT_ICMP4_ECHO_REPLY;
		return 0;
	default:
		/* MLD, ND and the rest are single-hop: dropped. */
		return -1;
	}
}

enum pkt_drop
xlat64(const struct xlat_cfg *cfg, uint8_t *l3, const struct pkt_l3 *in,
       struct xlat_out *out)
{
	const struct pkt_ip6 *ip6 = (const struct pkt_ip6 *)l3;
	struct pkt_ip4 ip4;
	uint8_t *l4 = l3 + in->l4_off;
	uint32_t l4_len = in->len - in->l4_off, tot;
	uint8_t proto = in->l4_proto, tc;
	uint16_t csum;

	if (in->is_frag)
		return PKT_DROP_XLAT_FRAGMENT;
	/* Section 5.1: a routing header with segments left is not ours to
	 * skip; the caller answers with a parameter problem. */
	if (in->seg_left_off != 0)
		return PKT_DROP_XLAT_SEGMENTS_LEFT;
	if (!pkt_pfx6_match(&cfg->remote6, ip6->src))
		return PKT_DROP_XLAT_SRC;
	if (!pkt_pfx6_match(&cfg->local6, ip6->dst))
		return PKT_DROP_XLAT_DST;

	memset(&ip4, 0, sizeof(ip4));
	ip4.src = xlat_rfc6052_extract(&cfg->remote6, ip6->src);
	ip4.dst = xlat_rfc6052_extract(&cfg->local6, ip6->dst);

	switch (proto) {
	case PKT_PROTO_TCP:
		if (l4_len < PKT_TCP_HLEN)
			return PKT_DROP_L4_TRUNC;
		csum = xlat_rd16n(l4 + XLAT_TCP_CSUM_OFF);
		xlat_wr16n(l4 + XLAT_TCP_CSUM_OFF,
			   pkt_csum_replace(csum,
					pkt_addr6_sum(ip6->src, ip6->dst),
					pkt_addr4_sum(ip4.src, ip4.dst)));
		break;
	case PKT_PROTO_UDP:
		if (l4_len < PKT_UDP_HLEN)
			return PKT_DROP_L4_TRUNC;
		csum = xlat_rd16n(l4 + XLAT_UDP_CSUM_OFF);
		/* A zero UDP checksum is invalid in IPv6 (RFC 8200 8.1). */
		if (csum == 0)
			return PKT_DROP_XLAT_UDP_CSUM0;
		csum = pkt_csum_replace(csum, pkt_addr6_sum(ip6->src, ip6->dst),
					pkt_addr4_sum(ip4.src, ip4.dst));
		/* 0 means "no checksum" in IPv4: send the other zero. */
		xlat_wr16n(l4 + XLAT_UDP_CSUM_OFF, csum == 0 ? 0xffff : csum);
		break;
	case PKT_PROTO_ICMP6: {
		uint8_t type4;

		if (l4_len < PKT_ICMP_HLEN)
			return PKT_DROP_L4_TRUNC;
		if (icmp64_type(l4[0], &type4) != 0)
			return PKT_DROP_XLAT_ICMP_TYPE;
		/* ICMPv4 has no pseudo-header: take it out of the sum. */
		csum = xlat_rd16n(l4 + XLAT_ICMP_CSUM_OFF);
		csum = pkt_csum_replace(csum,
				((uint32_t)l4[0] << 8) +
				pkt_pseudo6_sum(ip6->src, ip6->dst,
						PKT_PROTO_ICMP6, l4_len),
				(uint32_t)type4 << 8);
		l4[0] = type4;
		xlat_wr16n(l4 + XLAT_ICMP_CSUM_OFF, csum);
		proto = PKT_PROTO_ICMP;
		break;
	}
	default:
		break;
	}

	tot = PKT_IP4_HLEN + l4_len;
	tc = (uint8_t)(ntohl(ip6->vtc_flow) >> 20);
	ip4.ver_ihl = 0x45;
	ip4.tos = cfg->tos_override_on ? cfg->tos_override : tc;
	ip4.tot_len = htons((uint16_t)tot);
	/*
	 * Section 5.1: identification zero; DF set when the IPv4 packet is
	 * larger than 1260 bytes, so that path MTU discovery keeps working
	 * for what could not have been fragmented on the IPv6 side.
	 */
	ip4.frag = htons(tot > 1260 ? PKT_IP4_DF : 0);
	ip4.ttl = ip6->hop_limit;
	ip4.proto = proto;
	pkt_ip4_set_csum(&ip4);

	memcpy(l4 - PKT_IP4_HLEN, &ip4, sizeof(ip4));
	out->l3 = l4 - PKT_IP4_HLEN;
	out->len = tot;
	return PKT_DROP_NONE;
}
