/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP translation (RFC 7915 sections 4.2, 4.3, 5.2, 5.3): the type and
 * code maps, the parameter-problem pointer maps, the MTU arithmetic of
 * "packet too big"/"fragmentation needed" with the RFC 1191 plateaus,
 * the packet inside an ICMP error (translated one level deep, truncated or
 * not, fragment or not), and RFC 4884 multi-part messages, whose length
 * attribute is recomputed and whose extensions are kept (section 4.2:
 * "the ICMPv6 Extension length attribute MUST be adjusted accordingly").
 *
 * Headers are rewritten in front of the inner transport header, which
 * never moves; only an RFC 4884 extension may move by a few bytes of
 * padding, within 'ctx->tailroom'.
 */
#include "xlat.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "xlat_priv.h"

#define NOPTR	0xff	/* pointer with no counterpart: drop */

/* What an ICMP error becomes. */
struct icmp_map {
	uint8_t type;
	uint8_t code;
	uint8_t kind;		/* MAP_* */
};

enum {
	MAP_DROP,
	MAP_PLAIN,		/* the second word is unused */
	MAP_MTU,		/* too big: MTU arithmetic */
	MAP_POINTER,		/* parameter problem: pointer map */
	MAP_NEXTHDR,		/* 46 protocol unreachable -> pointer 6 */
};

/* Section 4.2: ICMPv4 error -> ICMPv6. */
static struct icmp_map
map46(uint8_t type, uint8_t code)
{
	struct icmp_map m = { 0, 0, MAP_DROP };

	switch (type) {
	case PKT_ICMP4_UNREACH:
		m.type = PKT_ICMP6_UNREACH;
		m.kind = MAP_PLAIN;
		switch (code) {
		case 0: case 1: case 5: case 6: case 7: case 8: case 11:
		case 12:
			m.code = PKT_ICMP6_UNREACH_NOROUTE;
			break;
		case 2:		/* protocol unreachable */
			m.type = PKT_ICMP6_PARAMPROB;
			m.code = 1;
			m.kind = MAP_NEXTHDR;
			break;
		case 3:
			m.code = PKT_ICMP6_UNREACH_PORT;
			break;
		case 4:		/* fragmentation needed */
			m.type = PKT_ICMP6_PKT_TOO_BIG;
			m.code = 0;
			m.kind = MAP_MTU;
			break;
		case 9: case 10: case 13: case 15:
			m.code = PKT_ICMP6_UNREACH_ADMIN;
			break;
		default:	/* 14 (precedence violation) and unknown */
			m.kind = MAP_DROP;
			break;
		}
		break;
	case PKT_ICMP4_TIME_EXCEEDED:
		m.type = PKT_ICMP6_TIME_EXCEEDED;
		m.code = code;
		m.kind = code <= 1 ? MAP_PLAIN : MAP_DROP;
		break;
	case PKT_ICMP4_PARAMPROB:
		/* Code 0 and 2 carry a pointer; 1 (missing option) drops. */
		m.type = PKT_ICMP6_PARAMPROB;
		m.code = 0;
		m.kind = code == 0 || code == 2 ? MAP_POINTER : MAP_DROP;
		break;
	default:		/* source quench, redirect, ... */
		break;
	}
	return m;
}

/* Section 5.2: ICMPv6 error -> ICMPv4. */
static struct icmp_map
map64(uint8_t type, uint8_t code)
{
	struct icmp_map m = { 0, 0, MAP_DROP };

	switch (type) {
	case PKT_ICMP6_UNREACH:
		m.type = PKT_ICMP4_UNREACH;
		m.kind = MAP_PLAIN;
		switch (code) {
		case 0: case 2: case 3:
			m.code = PKT_ICMP4_UNREACH_HOST;
			break;
		case 1:
			m.code = 10;	/* host administratively prohibited */
			break;
		case 4:
			m.code = PKT_ICMP4_UNREACH_PORT;
			break;
		default:
			m.kind = MAP_DROP;
			break;
		}
		break;
	case PKT_ICMP6_PKT_TOO_BIG:
		m.type = PKT_ICMP4_UNREACH;
		m.code = PKT_ICMP4_UNREACH_NEEDFRAG;
		m.kind = MAP_MTU;
		break;
	case PKT_ICMP6_TIME_EXCEEDED:
		m.type = PKT_ICMP4_TIME_EXCEEDED;
		m.code = code;
		m.kind = code <= 1 ? MAP_PLAIN : MAP_DROP;
		break;
	case PKT_ICMP6_PARAMPROB:
		if (code == 0) {
			m.type = PKT_ICMP4_PARAMPROB;
			m.code = 0;
			m.kind = MAP_POINTER;
		} else if (code == 1) {
			/* Unrecognized next header: protocol unreachable. */
			m.type = PKT_ICMP4_UNREACH;
			m.code = PKT_ICMP4_UNREACH_PROTO;
			m.kind = MAP_PLAIN;
		}
		break;
	default:
		break;
	}
	return m;
}

/* Figure 3 of RFC 7915: IPv4 header offset -> IPv6 header offset. */
static uint8_t
ptr46(uint8_t p)
{
	static const uint8_t map[20] = {
		0, 1, 4, 4, NOPTR, NOPTR, NOPTR, NOPTR, 7, 6,
		NOPTR, NOPTR, 8, 8, 8, 8, 24, 24, 24, 24,
	};

	return p < 20 ? map[p] : NOPTR;
}

/* Figure 6 of RFC 7915: IPv6 header offset -> IPv4 header offset. */
static uint8_t
ptr64(uint32_t p)
{
	if (p == 0 || p == 1)
		return (uint8_t)p;
	if (p == 4 || p == 5)
		return 2;
	if (p == 6)
		return 9;
	if (p == 7)
		return 8;
	if (p >= 8 && p < 24)
		return 12;
	if (p >= 24 && p < 40)
		return 16;
	return NOPTR;	/* flow label, beyond the header */
}

/* RFC 1191 section 5: the greatest plateau below 'tot_len'. */
static uint32_t
plateau(const struct xlat_cfg *cfg, uint32_t tot_len)
{
	unsigned int i;

	for (i = 0; i < cfg->n_plateaus; i++)
		if (cfg->plateaus[i] < tot_len)
			return cfg->plateaus[i];
	return 68;	/* RFC 791: every IPv4 link carries 68 bytes */
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static void
wr32(uint8_t *p, uint32_t host)
{
	uint32_t v = htonl(host);

	memcpy(p, &v, 4);
}

/*
 * An ICMPv4 checksum covers no pseudo-header, so all-zero data sums to
 * zero: only the other zero, 0xffff, then verifies (RFC 1624 section 3).
 */
static uint16_t
nonzero(uint16_t csum)
{
	return csum == 0 ? 0xffff : csum;
}

static uint32_t
min_nz(uint32_t a, uint32_t b)
{
	return b != 0 && b < a ? b : a;
}

/*
 * RFC 4884: where the original datagram ends, from the length attribute
 * ('attr' units of 'unit' bytes). Returns the number of bytes of it, or
 * 'avail' when there is no (usable) extension; '*ext_len' gets the rest.
 */
static uint32_t
rfc4884_split(uint32_t attr, uint32_t unit, uint32_t avail,
	      uint32_t *ext_len)
{
	uint32_t olen = attr * unit;

	*ext_len = 0;
	if (attr == 0 || olen >= avail)
		return avail;	/* no extension (or a lying attribute) */
	*ext_len = avail - olen;
	return olen;
}

/*
 * After the original datagram shrank or grew to 'dlen' bytes ending at
 * 'dend', pad it so that it is a multiple of 'unit' and at least 128 bytes
 * (RFC 4884 sections 4.1, 5.1), moving the 'ext_len' bytes of extension
 * that follow. Returns the padded length, or 0 when the tailroom is short
 * (then the extension is dropped).
 */
static uint32_t
rfc4884_pad(uint8_t *dend, uint32_t dlen, uint32_t ext_len, uint32_t unit,
	    uint32_t tailroom)
{
	uint32_t want = dlen < 128 ? 128 : dlen, pad;

	want = (want + unit - 1) / unit * unit;
	pad = want - dlen;
	if (pad > tailroom)
		return 0;
	memmove(dend + pad, dend, ext_len);
	memset(dend, 0, pad);
	return want;
}

/* Inner ICMP echo 46: the type and the pseudo-header in the checksum. */
static void
inner_echo46(uint8_t *l4, uint32_t avail, uint32_t claimed,
	     const uint8_t *src6, const uint8_t *dst6)
{
	uint8_t t6 = l4[0] == PKT_ICMP4_ECHO ? PKT_ICMP6_ECHO :
		     PKT_ICMP6_ECHO_REPLY;

	if (avail >= 4)
		pkt_wr16n(l4 + XLAT_ICMP_CSUM_OFF,
			  pkt_csum_replace(pkt_rd16n(l4 + XLAT_ICMP_CSUM_OFF),
				(uint32_t)l4[0] << 8, ((uint32_t)t6 << 8) +
				pkt_pseudo6_sum(src6, dst6, PKT_PROTO_ICMP6,
						claimed)));
	l4[0] = t6;
}

/*
 * The end of both directions: the translated original datagram runs from
 * 'istart' to 'dend' and 'ext_len' bytes of RFC 4884 extension follow.
 * Pad it and set the length attribute ('has_len'; 64-bit words in byte 4
 * of ICMPv6, 32-bit words in byte 5 of ICMPv4), cap the size (1280 bytes
 * of IPv6, 576 of IPv4; section 4.2: a too long extension is "simply
 * truncated"), write the ICMP header in front and sum it.
 */
static enum pkt_drop
finish_error(struct xlat_icmp_job *j, const struct xlat_ctx *ctx,
	     const struct icmp_map *m, uint8_t *istart, uint8_t *dend,
	     uint32_t ext_len, int has_len, uint32_t word, int to6)
{
	const uint32_t unit = to6 ? 8 : 4, shift = to6 ? 24 : 16;
	const uint32_t max = to6 ? XLAT_ICMP6_ERR_MAX - PKT_IP6_HLEN :
				   XLAT_ICMP4_ERR_MAX - PKT_IP4_HLEN;
	uint32_t dlen = (uint32_t)(dend - istart), msg_len, sum = 0;
	uint8_t *ic = istart - PKT_ICMP_HLEN;

	if (ext_len != 0 && has_len) {
		uint32_t padded = rfc4884_pad(dend, dlen, ext_len, unit,
					      ctx->tailroom);

		if (padded != 0) {
			word |= (padded / unit) << shift;
			dlen = padded + ext_len;
		}
	}
	msg_len = PKT_ICMP_HLEN + dlen;
	if (msg_len > max) {
		msg_len = max;
		if (((word >> shift) & 0xff) * unit + PKT_ICMP_HLEN > msg_len)
			word &= ~(0xffu << shift);
	}
	ic[0] = m->type;
	ic[1] = m->code;
	ic[2] = 0;
	ic[3] = 0;
	wr32(ic + 4, word);
	if (to6)	/* ICMPv6 sums a pseudo-header, ICMPv4 does not */
		sum = pkt_pseudo6_sum(j->src6, j->dst6, PKT_PROTO_ICMP6,
				      msg_len);
	pkt_wr16n(ic + XLAT_ICMP_CSUM_OFF,
		  pkt_csum_finish(pkt_csum_partial(ic, msg_len, sum)));
	j->l3 = ic;
	j->l4_off = 0;
	j->len = msg_len;
	return PKT_DROP_NONE;
}

enum pkt_drop
xlat_icmp46(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
	    struct xlat_icmp_job *j)
{
	uint8_t *ic = j->l3 + j->l4_off, *in, *il4, *istart, isrc6[16],
		idst6[16], iproto;
	uint32_t len = j->len - j->l4_off, avail, ext_len, ihl, itot, ilen,
		 word = 0;
	struct icmp_map m;
	struct pkt_ip4 ip;
	uint32_t w2 = rd32(ic + 4);	/* read before headers overwrite it */
	uint16_t ifo;
	int ifrag;

	/* Informational: echo only (section 4.2, the rest is dropped). */
	/* Section 4.2 changes the type only: the code goes along. */
	if (ic[0] == PKT_ICMP4_ECHO || ic[0] == PKT_ICMP4_ECHO_REPLY) {
		inner_echo46(ic, len, len, j->src6, j->dst6);
		return PKT_DROP_NONE;
	}
	m = map46(ic[0], ic[1]);
	if (m.kind == MAP_DROP ||
	    (m.kind == MAP_POINTER && ptr46((uint8_t)(w2 >> 24)) == NOPTR))
		return PKT_DROP_XLAT_ICMP_TYPE;

	/* The packet in error: an IPv4 header, perhaps cut short. */
	in = ic + PKT_ICMP_HLEN;
	avail = rfc4884_split((w2 >> 16) & 0xff, 4, len - PKT_ICMP_HLEN,
			      &ext_len);
	if (avail < PKT_IP4_HLEN || (in[0] >> 4) != 4)
		return PKT_DROP_XLAT_ICMP_INNER;
	memcpy(&ip, in, sizeof(ip));
	ihl = pkt_ip4_hlen(&ip);
	itot = ntohs(ip.tot_len);
	if (ihl < PKT_IP4_HLEN || ihl > avail || itot < ihl)
		return PKT_DROP_XLAT_ICMP_INNER;
	il4 = in + ihl;
	ilen = avail - ihl;		/* bytes of it that are here */
	ifo = ntohs(ip.frag);
	ifrag = (ifo & (PKT_IP4_MF | PKT_IP4_OFFMASK)) != 0;
	/* The inner packet went the other way: its source is a host of
	 * the IPv6 side, its destination one of the IPv4 side. */
	if (ctx->nat != NULL) {
		memcpy(isrc6, ctx->nat->isrc6, 16);
		memcpy(idst6, ctx->nat->idst6, 16);
	} else if (xlat_addr46(cfg, ip.src, 0, isrc6) != 0 ||
		   xlat_addr46(cfg, ip.dst, 1, idst6) != 0) {
		return PKT_DROP_XLAT_ICMP_INNER;
	}
	/* Room in front (checked before anything is written): the new
	 * headers end where the inner payload starts; the outer IPv6
	 * header goes in front of the ICMPv6 one. */
	if ((size_t)(il4 - j->l3) + j->headroom <
	    PKT_IP6_HLEN + PKT_ICMP_HLEN + PKT_IP6_HLEN +
	    (ifrag ? XLAT_FRAG_HLEN : 0u))
		return PKT_DROP_XLAT_HEADROOM;
	iproto = ip.proto;
	/* NAT64: the inner packet's ports are the session's too. */
	if (ctx->nat != NULL && (ifo & PKT_IP4_OFFMASK) == 0)
		xlat_nat_ports(iproto, il4, ilen, ctx->nat->isport,
			       ctx->nat->idport);
	if ((ifo & PKT_IP4_OFFMASK) == 0) {
		if (iproto == PKT_PROTO_ICMP) {
			/* One level only: an error about an error is not
			 * translated (section 4.3). */
			if (ilen < 1 || (il4[0] != PKT_ICMP4_ECHO &&
					 il4[0] != PKT_ICMP4_ECHO_REPLY))
				return PKT_DROP_XLAT_ICMP_INNER;
			inner_echo46(il4, ilen, itot - ihl, isrc6, idst6);
		} else {
			xlat_l4_csum(iproto, il4, ilen, itot - ihl,
				     pkt_addr4_sum(ip.src, ip.dst),
				     pkt_addr6_sum(isrc6, idst6), 0, 0, 1, 0,
				     1, 1);
		}
	}
	if (iproto == PKT_PROTO_ICMP)
		iproto = PKT_PROTO_ICMP6;

	istart = xlat_hdr46(cfg, &ip, isrc6, idst6, itot - ihl, iproto, ifrag,
			    il4);

	switch (m.kind) {
	case MAP_MTU: {
		/* Section 4.2: min(advertised + 20, IPv6 next hop, IPv4
		 * next hop + 20); an MTU of zero means "use the plateaus". */
		uint32_t adv = w2 & 0xffff;

		if (adv == 0)
			adv = plateau(cfg, itot);
		word = min_nz(adv + 20, ctx->mtu6);
		word = min_nz(word, ctx->mtu4 != 0 ? ctx->mtu4 + 20u : 0);
		/*
		 * IPv6 hosts ignore a "packet too big" below 1280 (RFC 8200
		 * section 5); 1280 still gets through: 1260 bytes of IPv4
		 * leave without DF (section 5.1) and IPv4 routers fragment
		 * them (sections 4.2 and 6).
		 */
		if (word < PKT_IP6_MIN_MTU)
			word = PKT_IP6_MIN_MTU;
		break;
	}
	case MAP_POINTER: {
		uint8_t p = ptr46((uint8_t)(w2 >> 24));

		if (p == NOPTR)
			return PKT_DROP_XLAT_ICMP_TYPE;
		word = p;
		break;
	}
	case MAP_NEXTHDR:
		word = 6;	/* the IPv6 Next Header field */
		break;
	default:
		break;
	}

	/* RFC 4884 section 4.6: only these ICMPv6 types have a length. */
	return finish_error(j, ctx, &m, istart, il4 + ilen, ext_len,
			    m.type == PKT_ICMP6_UNREACH ||
			    m.type == PKT_ICMP6_TIME_EXCEEDED, word, 1);
}

/*
 * Walk the extension headers of an IPv6 packet inside an ICMPv6 error,
 * which may be cut short anywhere after its fixed header. Returns the
 * offset of the upper layer and fills 'proto' and 'frag_off', or 0.
 */
static uint32_t
inner6_walk(const uint8_t *p, uint32_t avail, uint8_t *proto,
	    uint32_t *frag_off)
{
	uint32_t off = PKT_IP6_HLEN;
	uint8_t nh = p[6];
	int i;

	*frag_off = 0;
	for (i = 0; i < 8; i++) {
		switch (nh) {
		case PKT_PROTO_HOPOPTS:
		case PKT_PROTO_ROUTING:
		case PKT_PROTO_DSTOPTS:
			if (off + 8 > avail)
				return 0;
			nh = p[off];
			off += (p[off + 1] + 1u) * 8u;
			break;
		case PKT_PROTO_FRAGMENT:
			if (off + XLAT_FRAG_HLEN > avail)
				return 0;
			*frag_off = off;
			nh = p[off];
			off += XLAT_FRAG_HLEN;
			break;
		default:
			if (off > avail)
				return 0;
			*proto = nh;
			return off;
		}
	}
	return 0;
}

enum pkt_drop
xlat_icmp64(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
	    struct xlat_icmp_job *j)
{
	const struct pkt_ip6 *outer = (const struct pkt_ip6 *)j->l3;
	uint8_t *ic = j->l3 + j->l4_off, *in, *il4, *istart, iproto;
	uint32_t len = j->len - j->l4_off, avail, ext_len, ioff, ifrag_off,
		 ilen, iclaimed, isrc4, idst4, word = 0;
	struct pkt_ip6 ip;
	struct pkt_ip6_frag f;
	struct icmp_map m;
	uint32_t w2 = rd32(ic + 4);
	uint8_t t4;

	if (ic[0] == PKT_ICMP6_ECHO || ic[0] == PKT_ICMP6_ECHO_REPLY) {
		/* ICMPv4 has no pseudo-header: take it out of the sum. */
		t4 = ic[0] == PKT_ICMP6_ECHO ? PKT_ICMP4_ECHO :
		     PKT_ICMP4_ECHO_REPLY;
		pkt_wr16n(ic + XLAT_ICMP_CSUM_OFF, nonzero(
			   pkt_csum_replace(pkt_rd16n(ic + XLAT_ICMP_CSUM_OFF),
				((uint32_t)ic[0] << 8) +
				pkt_pseudo6_sum(outer->src, outer->dst,
						PKT_PROTO_ICMP6, len),
				(uint32_t)t4 << 8)));
		ic[0] = t4;
		return PKT_DROP_NONE;
	}
	m = map64(ic[0], ic[1]);
	if (m.kind == MAP_DROP || (m.kind == MAP_POINTER && ptr64(w2) == NOPTR))
		return PKT_DROP_XLAT_ICMP_TYPE;

	in = ic + PKT_ICMP_HLEN;
	avail = len - PKT_ICMP_HLEN;
	/* RFC 4884: only destination unreachable and time exceeded. */
	if (ic[0] == PKT_ICMP6_UNREACH || ic[0] == PKT_ICMP6_TIME_EXCEEDED)
		avail = rfc4884_split(w2 >> 24, 8, avail, &ext_len);
	else
		ext_len = 0;
	if (avail < PKT_IP6_HLEN || (in[0] >> 4) != 6)
		return PKT_DROP_XLAT_ICMP_INNER;
	memcpy(&ip, in, sizeof(ip));
	ioff = inner6_walk(in, avail, &iproto, &ifrag_off);
	if (ioff == 0 || PKT_IP6_HLEN + (uint32_t)ntohs(ip.payload_len) < ioff)
		return PKT_DROP_XLAT_ICMP_INNER;
	il4 = in + ioff;
	ilen = avail - ioff;
	iclaimed = PKT_IP6_HLEN + ntohs(ip.payload_len) - ioff;
	if (ifrag_off != 0)
		memcpy(&f, in + ifrag_off, sizeof(f));
	if (ctx->nat != NULL) {
		isrc4 = ctx->nat->isrc4;
		idst4 = ctx->nat->idst4;
	} else if (xlat_addr64(cfg, ip.src, 0, &isrc4) != 0 ||
		   xlat_addr64(cfg, ip.dst, 1, &idst4) != 0) {
		return PKT_DROP_XLAT_ICMP_INNER;
	}
	/* NAT64: the inner packet's ports are the session's too. */
	if (ctx->nat != NULL &&
	    (ifrag_off == 0 || (ntohs(f.off_m) & 0xfff8) == 0))
		xlat_nat_ports(iproto, il4, ilen, ctx->nat->isport,
			       ctx->nat->idport);
	if (ifrag_off == 0 || (ntohs(f.off_m) & 0xfff8) == 0) {
		if (iproto == PKT_PROTO_ICMP6) {
			if (ilen < 1 || (il4[0] != PKT_ICMP6_ECHO &&
					 il4[0] != PKT_ICMP6_ECHO_REPLY))
				return PKT_DROP_XLAT_ICMP_INNER;
			t4 = il4[0] == PKT_ICMP6_ECHO ? PKT_ICMP4_ECHO :
			     PKT_ICMP4_ECHO_REPLY;
			if (ilen >= 4)
				pkt_wr16n(il4 + XLAT_ICMP_CSUM_OFF, nonzero(
					pkt_csum_replace(
					pkt_rd16n(il4 + XLAT_ICMP_CSUM_OFF),
					((uint32_t)il4[0] << 8) +
					pkt_pseudo6_sum(ip.src, ip.dst,
							PKT_PROTO_ICMP6,
							iclaimed),
					(uint32_t)t4 << 8)));
			il4[0] = t4;
		} else {
			xlat_l4_csum(iproto, il4, ilen, iclaimed,
				     pkt_addr6_sum(ip.src, ip.dst),
				     pkt_addr4_sum(isrc4, idst4), 0, 0, 1, 0,
				     1, 0);
		}
	}
	if (iproto == PKT_PROTO_ICMP6)
		iproto = PKT_PROTO_ICMP;
	istart = xlat_hdr64(cfg, &ip, ifrag_off != 0 ? &f : NULL, isrc4,
			    idst4, iclaimed, iproto, 0, il4);

	switch (m.kind) {
	case MAP_MTU: {
		/* Section 5.2: min(advertised - 20, IPv4 next hop, IPv6
		 * next hop - 20). */
		/* "taking into account whether or not the packet in error
		 * includes a Fragment Header": 28 bytes then, not 20. */
		uint32_t d = ifrag_off != 0 ? 28 : 20;

		word = w2 > d ? w2 - d : 0;
		word = min_nz(word, ctx->mtu4);
		word = min_nz(word, ctx->mtu6 > 20 ? ctx->mtu6 - 20u : 0);
		if (word > 0xffff)
			word = 0xffff;
		break;
	}
	case MAP_POINTER: {
		uint8_t p = ptr64(w2);

		if (p == NOPTR)
			return PKT_DROP_XLAT_ICMP_TYPE;
		word = (uint32_t)p << 24;
		break;
	}
	default:
		break;
	}

	/* ICMPv4 parameter problem has a length too (RFC 4884 4.1), but a
	 * translated one carries a pointer from section 5.2 instead. */
	return finish_error(j, ctx, &m, istart, il4 + ilen, ext_len,
			    m.type != PKT_ICMP4_PARAMPROB &&
			    m.code != PKT_ICMP4_UNREACH_NEEDFRAG, word, 0);
}
