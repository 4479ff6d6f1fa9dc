/* SPDX-License-Identifier: BSD-3-Clause */
/* Network-layer validation; see parse.h. */
#include "parse.h"

#include <arpa/inet.h>

#include "csum.h"
#include "hdr.h"

/* More extension headers than this is an attack, not a packet. */
#define MAX_EXT_HDRS 8

enum pkt_drop
pkt_parse_ip4(const uint8_t *l3, uint32_t avail, int check_csum,
	      struct pkt_l3 *out)
{
	const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3;
	unsigned int hlen, tot;
	uint16_t frag;

	if (avail < PKT_IP4_HLEN)
		return PKT_DROP_IP4_TRUNC;
	if ((ip->ver_ihl >> 4) != 4)
		return PKT_DROP_IP4_VERSION;
	hlen = pkt_ip4_hlen(ip);
	if (hlen < PKT_IP4_HLEN || hlen > avail)
		return PKT_DROP_IP4_IHL;
	tot = ntohs(ip->tot_len);
	if (tot < hlen || tot > avail)
		return PKT_DROP_IP4_LEN;
	if (check_csum && !pkt_ip4_csum_ok(ip))
		return PKT_DROP_IP4_CSUM;

	frag = ntohs(ip->frag);
	out->len = tot;
	out->l4_off = hlen;
	out->l4_proto = ip->proto;
	out->is_frag = (frag & (PKT_IP4_MF | PKT_IP4_OFFMASK)) != 0;
	out->first_frag = (frag & PKT_IP4_OFFMASK) == 0;
	out->frag_off = 0;
	out->seg_left_off = 0;
	return PKT_DROP_NONE;
}

enum pkt_drop
pkt_parse_ip6(const uint8_t *l3, uint32_t avail, struct pkt_l3 *out)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;
	uint32_t len, off = PKT_IP6_HLEN;
	uint8_t nh;
	int i;

	if (avail < PKT_IP6_HLEN)
		return PKT_DROP_IP6_TRUNC;
	if ((l3[0] >> 4) != 6)
		return PKT_DROP_IP6_VERSION;
	/* Jumbograms (payload length 0 + hop-by-hop option) are not for us. */
	len = PKT_IP6_HLEN + ntohs(ip->payload_len);
	if (len > avail)
		return PKT_DROP_IP6_LEN;

	out->len = len;
	out->is_frag = 0;
	out->first_frag = 1;
	out->frag_off = 0;
	out->seg_left_off = 0;
	nh = ip->nexthdr;
	/*
	 * RFC 8200 section 4: walk hop-by-hop, routing, fragment and
	 * destination options headers until an upper layer (or "no next
	 * header") is reached. Later fragments have no upper-layer header.
	 */
	/* One turn per extension header, plus one to reach the end. */
	for (i = 0; i <= MAX_EXT_HDRS; i++) {
		switch (nh) {
		case PKT_PROTO_HOPOPTS:
		case PKT_PROTO_ROUTING:
		case PKT_PROTO_DSTOPTS:
			if (off + 8 > len)
				return PKT_DROP_IP6_EXTHDR;
			if (nh == PKT_PROTO_ROUTING && l3[off + 3] != 0 &&
			    out->seg_left_off == 0)
				out->seg_left_off = (uint16_t)(off + 3);
			nh = l3[off];
			off += (l3[off + 1] + 1u) * 8u;
			if (off > len)
				return PKT_DROP_IP6_EXTHDR;
			break;
		case PKT_PROTO_FRAGMENT: {
			const struct pkt_ip6_frag *f;

			if (off + sizeof(*f) > len)
				return PKT_DROP_IP6_EXTHDR;
			f = (const struct pkt_ip6_frag *)(l3 + off);
			out->is_frag = 1;
			out->frag_off = (uint16_t)off;
			out->first_frag = (ntohs(f->off_m) & 0xfff8) == 0;
			nh = f->nexthdr;
			off += sizeof(*f);
			if (!out->first_frag) {
				out->l4_proto = nh;
				out->l4_off = (uint16_t)off;
				return PKT_DROP_NONE;
			}
			break;
		}
		default:
			out->l4_proto = nh;
			out->l4_off = (uint16_t)off;
			return PKT_DROP_NONE;
		}
	}
	return PKT_DROP_IP6_EXTHDR;
}
