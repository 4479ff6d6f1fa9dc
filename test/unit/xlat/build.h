/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet builders for the translator tests: IPv4 and IPv6 packets with
 * TCP, UDP or ICMP payloads, written byte by byte into a buffer with
 * headroom, their checksums computed with the reference sum of unit.h
 * (never with lib/pkt), and the matching checks for translated packets.
 */
#ifndef UNIT_XLAT_BUILD_H
#define UNIT_XLAT_BUILD_H

#include "unit.h"

#include <arpa/inet.h>

#include "hdr.h"
#include "parse.h"
#include "xlat.h"

/* Like the daemon's mbufs: room in front for the longer IPv6 headers, a
 * little room behind for an RFC 4884 extension to move back. */
#define T_HEADROOM	128
#define T_TAILROOM	64

struct tpkt {
	uint8_t mem[T_HEADROOM + 2048 + T_TAILROOM];
	uint8_t *l3;		/* mem + T_HEADROOM */
	uint32_t len;		/* of the IP packet */
	uint32_t l4_off;
	uint8_t proto;		/* upper layer */
};

/* CONFIG-DRAFT: the CLAT prefix of the seed node and a PLAT /96. */
#define T_CLAT6		"fddd:1337:1337:1234:5678:9abc::"
#define T_PLAT6		"64:ff9b:1:abcd:ef01:2345::"
#define T_HOST4		"192.168.0.10"	/* behind the CLAT */
#define T_HOST4_6	"fddd:1337:1337:1234:5678:9abc:c0a8:a"
#define T_REMOTE4	"198.51.100.7"	/* on the IPv4 internet */
#define T_REMOTE4_6	"64:ff9b:1:abcd:ef01:2345:c633:6407"

static inline void
t_pfx6(struct pkt_pfx6 *p, const char *s, unsigned int len)
{
	assert_int_equal(inet_pton(AF_INET6, s, p->addr), 1);
	p->len = (uint8_t)len;
}

static inline void
t_addr6(uint8_t *a, const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

static inline void
t_addr4(uint8_t *a, const char *s)
{
	assert_int_equal(inet_pton(AF_INET, s, a), 1);
}

/*
 * The CLAT: its IPv4 clients in the CLAT /96 (local6: sources 4->6,
 * destinations 6->4), the rest of the IPv4 world in the PLAT /96 (pool6).
 */
static inline void
t_cfg_clat(struct xlat_cfg *c)
{
	xlat_cfg_init(c);
	c->has_local6 = 1;
	t_pfx6(&c->local6, T_CLAT6, 96);
	c->has_pool6 = 1;
	t_pfx6(&c->pool6, T_PLAT6, 96);
}

/* Its peer: the same two prefixes seen from the other end. */
static inline void
t_cfg_peer(struct xlat_cfg *c)
{
	xlat_cfg_init(c);
	c->has_local6 = 1;
	t_pfx6(&c->local6, T_PLAT6, 96);
	c->has_pool6 = 1;
	t_pfx6(&c->pool6, T_CLAT6, 96);
}

/* A plain SIIT: one pool6 for both directions, no EAMT. */
static inline void
t_cfg_siit(struct xlat_cfg *c, const char *pool6, unsigned int len)
{
	xlat_cfg_init(c);
	c->has_pool6 = 1;
	t_pfx6(&c->pool6, pool6, len);
}

/* The translator's own addresses (RFC 6791 fallbacks). */
#define T_SELF4		"192.0.2.254"
#define T_SELF6		"fddd:1337:1337:1234:5678:9abc:0:1"

/* Per-packet context as the daemon passes it: 1500-byte links. */
static inline void
t_ctx(struct xlat_ctx *x)
{
	static uint8_t self6[16];

	memset(x, 0, sizeof(*x));
	t_addr6(self6, T_SELF6);
	x->headroom = T_HEADROOM;
	x->tailroom = T_TAILROOM;
	x->mtu4 = 1500;
	x->mtu6 = 1500;
	t_addr4((uint8_t *)&x->self4, T_SELF4);
	x->self6 = self6;
	x->hash = 0;
	x->ip4_id = htons(0x4242);
}

static inline void
t_init(struct tpkt *p)
{
	memset(p->mem, 0, sizeof(p->mem));
	p->l3 = p->mem + T_HEADROOM;
	p->len = 0;
}

/* Transport payloads, checksum left zero: t_ip4()/t_ip6() fill it. */
static inline uint32_t
t_tcp(uint8_t *l4, uint32_t data_len, uint32_t seed)
{
	memset(l4, 0, PKT_TCP_HLEN);
	unit_wr16(l4, 40000);
	unit_wr16(l4 + 2, 443);
	l4[4] = 0x11; l4[5] = 0x22; l4[6] = 0x33; l4[7] = 0x44;
	l4[8] = 0x55; l4[9] = 0x66; l4[10] = 0x77; l4[11] = 0x88;
	l4[12] = 5 << 4;
	l4[13] = 0x18;	/* PSH ACK */
	unit_wr16(l4 + 14, 65535);
	unit_rand_fill(&seed, l4 + PKT_TCP_HLEN, data_len);
	return PKT_TCP_HLEN + data_len;
}

static inline uint32_t
t_udp(uint8_t *l4, uint32_t data_len, uint32_t seed)
{
	unit_wr16(l4, 5353);
	unit_wr16(l4 + 2, 53);
	unit_wr16(l4 + 4, (uint16_t)(PKT_UDP_HLEN + data_len));
	unit_wr16(l4 + 6, 0);
	unit_rand_fill(&seed, l4 + PKT_UDP_HLEN, data_len);
	return PKT_UDP_HLEN + data_len;
}

static inline uint32_t
t_icmp(uint8_t *l4, uint8_t type, uint8_t code, uint32_t data_len,
       uint32_t seed)
{
	l4[0] = type;
	l4[1] = code;
	unit_wr16(l4 + 2, 0);
	unit_wr16(l4 + 4, 0xbeef);	/* echo id */
	unit_wr16(l4 + 6, 7);		/* echo seq */
	unit_rand_fill(&seed, l4 + PKT_ICMP_HLEN, data_len);
	return PKT_ICMP_HLEN + data_len;
}

/* Offset of the checksum in the transport header, or -1. */
static inline int
t_csum_off(uint8_t proto)
{
	switch (proto) {
	case PKT_PROTO_TCP:
		return 16;
	case PKT_PROTO_UDP:
		return 6;
	case PKT_PROTO_ICMP:
	case PKT_PROTO_ICMP6:
		return 2;
	default:
		return -1;
	}
}

struct t_ip4 {
	uint8_t tos, ttl, proto;
	uint16_t id, frag;
	const char *src, *dst;
	const uint8_t *opt;	/* options, a multiple of 4 bytes */
	unsigned int opt_len;
	int udp_csum0;		/* leave a UDP checksum zero */
};

/* An IPv4 packet around the 'l4_len' bytes at 'l4', checksums right. */
static inline void
t_ip4(struct tpkt *p, const struct t_ip4 *s, const uint8_t *l4,
      uint32_t l4_len)
{
	uint8_t *b = p->l3, *u;
	unsigned int hlen = PKT_IP4_HLEN + s->opt_len;
	int co = t_csum_off(s->proto);

	b[0] = (uint8_t)(0x40 | hlen / 4);
	b[1] = s->tos;
	unit_wr16(b + 2, (uint16_t)(hlen + l4_len));
	unit_wr16(b + 4, s->id);
	unit_wr16(b + 6, s->frag);
	b[8] = s->ttl;
	b[9] = s->proto;
	unit_wr16(b + 10, 0);
	t_addr4(b + 12, s->src);
	t_addr4(b + 16, s->dst);
	if (s->opt_len > 0)
		memcpy(b + PKT_IP4_HLEN, s->opt, s->opt_len);
	unit_wr16(b + 10, unit_csum(b, hlen));
	u = b + hlen;
	memmove(u, l4, l4_len);
	if (co >= 0 && (uint32_t)co + 2 <= l4_len) {
		unit_wr16(u + co, 0);
		if (s->proto == PKT_PROTO_ICMP)
			unit_wr16(u + co, unit_csum(u, l4_len));
		else if (!(s->proto == PKT_PROTO_UDP && s->udp_csum0))
			unit_wr16(u + co, (uint16_t)~unit_l4_sum4(b + 12, b + 16,
					s->proto, u, l4_len));
		if (s->proto == PKT_PROTO_UDP && !s->udp_csum0 &&
		    unit_rd16(u + co) == 0)
			unit_wr16(u + co, 0xffff);
	}
	p->len = hlen + l4_len;
	p->l4_off = hlen;
	p->proto = s->proto;
}

/* Defaults: TCP-less UDP from the CLAT's host to a remote host. */
static inline struct t_ip4
t_ip4_default(uint8_t proto)
{
	struct t_ip4 s = {
		.tos = 0, .ttl = 63, .proto = proto, .id = 0, .frag = 0,
		.src = T_HOST4, .dst = T_REMOTE4,
	};

	return s;
}

struct t_ip6 {
	uint8_t tc, hlim, proto;
	uint32_t flow;
	const char *src, *dst;
	const uint8_t *ext;	/* extension headers, chained by the caller */
	unsigned int ext_len;
	uint8_t first_nh;	/* next header of the fixed header if ext */
	int udp_csum0;
};

/* An IPv6 packet; with 'ext', s->first_nh starts the chain. */
static inline void
t_ip6(struct tpkt *p, const struct t_ip6 *s, const uint8_t *l4,
      uint32_t l4_len)
{
	uint8_t *b = p->l3, *u;
	uint32_t vtf = 6u << 28 | (uint32_t)s->tc << 20 | (s->flow & 0xfffff);
	unsigned int hlen = PKT_IP6_HLEN + s->ext_len;
	int co = t_csum_off(s->proto);

	b[0] = (uint8_t)(vtf >> 24);
	b[1] = (uint8_t)(vtf >> 16);
	b[2] = (uint8_t)(vtf >> 8);
	b[3] = (uint8_t)vtf;
	unit_wr16(b + 4, (uint16_t)(s->ext_len + l4_len));
	b[6] = s->ext_len > 0 ? s->first_nh : s->proto;
	b[7] = s->hlim;
	t_addr6(b + 8, s->src);
	t_addr6(b + 24, s->dst);
	if (s->ext_len > 0)
		memcpy(b + PKT_IP6_HLEN, s->ext, s->ext_len);
	u = b + hlen;
	memmove(u, l4, l4_len);
	if (co >= 0 && (uint32_t)co + 2 <= l4_len) {
		unit_wr16(u + co, 0);
		if (!(s->proto == PKT_PROTO_UDP && s->udp_csum0))
			unit_wr16(u + co, (uint16_t)~unit_l4_sum6(b + 8, b + 24,
					s->proto, u, l4_len));
		if (s->proto == PKT_PROTO_UDP && !s->udp_csum0 &&
		    unit_rd16(u + co) == 0)
			unit_wr16(u + co, 0xffff);
	}
	p->len = hlen + l4_len;
	p->l4_off = hlen;
	p->proto = s->proto;
}

static inline struct t_ip6
t_ip6_default(uint8_t proto)
{
	struct t_ip6 s = {
		.tc = 0, .hlim = 63, .proto = proto, .flow = 0,
		.src = T_REMOTE4_6, .dst = T_HOST4_6,
	};

	return s;
}

/* The transport checksum of an IPv6 packet verifies from scratch. */
static inline void
t_assert_l4_csum6(const uint8_t *ip6, const uint8_t *l4, uint8_t proto,
		  uint32_t l4_len)
{
	assert_int_equal(unit_l4_sum6(ip6 + 8, ip6 + 24, proto, l4, l4_len),
			 0xffff);
	if (proto == PKT_PROTO_UDP)
		assert_int_not_equal(unit_rd16(l4 + 6), 0);
}

static inline void
t_assert_l4_csum4(const uint8_t *ip4, const uint8_t *l4, uint8_t proto,
		  uint32_t l4_len)
{
	if (proto == PKT_PROTO_ICMP)
		assert_int_equal(unit_sum16(l4, l4_len, 0), 0xffff);
	else
		assert_int_equal(unit_l4_sum4(ip4 + 12, ip4 + 16, proto, l4,
					      l4_len), 0xffff);
}

/* Parse (as the daemon does first) and translate the packet in 'p'. */
static inline enum pkt_drop
t_run46(const struct xlat_cfg *c, const struct xlat_ctx *x, struct tpkt *p,
	struct xlat_out *o)
{
	struct pkt_l3 in;

	assert_int_equal(pkt_parse_ip4(p->l3, p->len, 1, &in), PKT_DROP_NONE);
	return xlat46(c, x, p->l3, &in, o);
}

static inline enum pkt_drop
t_run64(const struct xlat_cfg *c, const struct xlat_ctx *x, struct tpkt *p,
	struct xlat_out *o)
{
	struct pkt_l3 in;

	assert_int_equal(pkt_parse_ip6(p->l3, p->len, &in), PKT_DROP_NONE);
	return xlat64(c, x, p->l3, &in, o);
}

#endif /* UNIT_XLAT_BUILD_H */
