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

uint8_t *
xlat_hdr64(const struct xlat_cfg *cfg, const struct pkt_ip6 *ip6,
	   const struct pkt_ip6_frag *frag, uint32_t src4, uint32_t dst4,
	   uint32_t l4_len, uint8_t proto4, uint16_t id, uint8_t *end)
{
	struct pkt_ip4 ip4;
	uint32_t tot = PKT_IP4_HLEN + l4_len;
	uint8_t tc = (uint8_t)(ntohl(ip6->vtc_flow) >> 20);

	ip4.ver_ihl = 0x45;
	ip4.tos = cfg->tos_override_on ? cfg->tos_override : tc;
	ip4.tot_len = htons((uint16_t)tot);
	if (frag != NULL) {
		uint16_t om = ntohs(frag->off_m);

		/* Section 5.1.1: the fragment's identity carries over. */
		ip4.id = htons((uint16_t)ntohl(frag->id));
		ip4.frag = htons((uint16_t)((om >> 3) |
					    ((om & 1) ? PKT_IP4_MF : 0)));
	} else {
		/*
		 * Section 5.1: DF set when the IPv4 packet is larger than
		 * 1260 bytes, so path MTU discovery keeps working for what
		 * could not have been fragmented on the IPv6 side.
		 */
		ip4.id = id;
		ip4.frag = htons(tot > 1260 ? PKT_IP4_DF : 0);
	}
	ip4.ttl = ip6->hop_limit;
	ip4.proto = proto4;
	ip4.src = src4;
	ip4.dst = dst4;
	/* The constant length lets the sum unroll. */
	ip4.csum = 0;
	ip4.csum = pkt_csum_finish(pkt_csum_partial(&ip4, PKT_IP4_HLEN, 0));
	memcpy(end - PKT_IP4_HLEN, &ip4, sizeof(ip4));
	return end - PKT_IP4_HLEN;
}

enum pkt_drop
xlat64(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx, uint8_t *l3,
       const struct pkt_l3 *in, struct xlat_out *out)
{
	const struct pkt_ip6 *ip6 = (const struct pkt_ip6 *)l3;
	const struct pkt_ip6_frag *frag = NULL;
	struct pkt_ip6 hdr;
	struct pkt_ip6_frag fhdr;
	uint8_t *l4 = l3 + in->l4_off, *start, proto = in->l4_proto;
	uint32_t l4_len = in->len - in->l4_off, src4, dst4;
	int is_err = 0, more = 0, rc;
	enum pkt_drop r;

	/* Section 5.1: a routing header with segments left is not ours to
	 * skip; the caller answers with a parameter problem. */
	if (in->seg_left_off != 0)
		return PKT_DROP_XLAT_SEGMENTS_LEFT;
	if (in->is_frag) {
		memcpy(&fhdr, l3 + in->frag_off, sizeof(fhdr));
		frag = &fhdr;
		more = ntohs(fhdr.off_m) & 1;
		/*
		 * Headers after the fragment header belong to the fragmented
		 * part: dropping them from one fragment would break the
		 * offsets of the others (section 5.1 "SHOULD be dropped").
		 */
		if (in->first_frag && in->l4_off != in->frag_off + 8u)
			return PKT_DROP_XLAT_FRAG_EXTHDR;
		/* As in 4->6: an ICMP message split in fragments cannot
		 * have its checksum fixed. */
		if (proto == PKT_PROTO_ICMP6)
			return PKT_DROP_XLAT_FRAGMENT;
	}
	if (proto == PKT_PROTO_ICMP6 && in->first_frag && l4_len >= 1)
		is_err = l4[0] < 128;
	/* ICMPv4 (or IGMP) carried over IPv6 would come out as the real
	 * thing, unchecked: the mirror of 4->6 refusing 58. */
	if (proto == PKT_PROTO_ICMP || proto == 2)
		return PKT_DROP_XLAT_PROTO;

	if (ctx->nat != NULL) {
		/* NAT64: the session's addresses (RFC 6146 section 3.7). */
		src4 = ctx->nat->src4;
		dst4 = ctx->nat->dst4;
	} else if (xlat_addr64(cfg, ip6->dst, 0, &dst4) != 0) {
		return PKT_DROP_XLAT_DST;
	} else if ((rc = xlat_addr64(cfg, ip6->src, 1, &src4)) != 0) {
		/* RFC 7915 section 5.1 and RFC 6791: an ICMPv6 error from
		 * a router with no IPv4 form gets an address of our pool;
		 * an "illegal" source is silently dropped (section 5.1). */
		if (rc == -2)
			return PKT_DROP_IP4_MARTIAN;
		if (!is_err)
			return PKT_DROP_XLAT_SRC;
		if (cfg->n_rfc6791v4 > 0) {
			const struct pkt_pfx4 *p =
				&cfg->rfc6791v4[ctx->hash % cfg->n_rfc6791v4];
			uint32_t host = p->len >= 32 ? 0 :
				(ctx->hash >> 8) & ~pkt_mask4(p->len);

			src4 = htonl(p->addr | host);
		} else {
			src4 = ctx->self4;
		}
	}
	memcpy(&hdr, ip6, sizeof(hdr));

	if (proto == PKT_PROTO_ICMP6) {
		struct xlat_icmp_job j = {
			.l3 = l3, .len = in->len, .l4_off = in->l4_off,
			.src4 = src4, .dst4 = dst4,
		};

		if (l4_len < PKT_ICMP_HLEN)
			return PKT_DROP_L4_TRUNC;
		if (ctx->nat != NULL && !is_err)
			xlat_nat_ports(proto, l4, l4_len, ctx->nat->sport, 0);
		r = xlat_icmp64(cfg, ctx, &j);
		if (r != PKT_DROP_NONE)
			return r;
		l4 = j.l3 + j.l4_off;
		l4_len = j.len - j.l4_off;
		start = xlat_hdr64(cfg, &hdr, NULL, src4, dst4, l4_len,
				   PKT_PROTO_ICMP, ctx->ip4_id, l4);
		goto done;
	}

	if (ctx->nat != NULL && in->first_frag)
		xlat_nat_ports(proto, l4, l4_len, ctx->nat->sport,
			       ctx->nat->dport);
	r = xlat_l4_csum(proto, l4, l4_len, l4_len,
			 pkt_addr6_sum(ip6->src, ip6->dst),
			 pkt_addr4_sum(src4, dst4), 0, 0, in->first_frag, more,
			 0, 0);
	if (r != PKT_DROP_NONE)
		return r;
	start = xlat_hdr64(cfg, &hdr, frag, src4, dst4, l4_len, proto,
			   ctx->ip4_id, l4);
done:
	out->l3 = start;
	out->len = (uint32_t)(l4 + l4_len - start);
	return PKT_DROP_NONE;
}
