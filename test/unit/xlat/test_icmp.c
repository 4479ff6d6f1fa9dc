/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/icmp.c through xlat46()/xlat64(): ICMP errors (RFC 7915
 * sections 4.2, 4.3, 5.2, 5.3). Every ICMPv4 error type and code of
 * section 4.2 and every ICMPv6 one of section 5.2 against the RFC's
 * lists; the parameter-problem pointer maps of Figures 3 and 6 entry by
 * entry; the MTU arithmetic with the RFC 1191 plateaus; the packet inside
 * the error (addresses, lengths as claimed, transport checksums that
 * verify from scratch when it is whole, truncation, fragments, one level
 * only); RFC 4884 length attributes and extensions; the size limits
 * (1280 for ICMPv6, 576 for ICMPv4); RFC 6791 sources for errors from
 * untranslatable routers. Every outer ICMP checksum is verified from
 * scratch with the reference sum of unit.h.
 *
 * The set-up is a plain SIIT with pool6 2001:db8:64::/96. 46: host H
 * (IPv6 side, H4 as IPv4) sent H4 -> D4; router R4 answers R4 -> H4.
 * 64: host D (IPv4 side) sent D -> H; an IPv6 router answers R6 -> D.
 */
#include "unit.h"

#include "xlat.h"

#include "build.h"

#define POOL6	"2001:db8:64::"
#define R4	"203.0.113.1"
#define R4_6	"2001:db8:64::cb00:7101"
#define H4	"198.51.100.7"
#define H4_6	"2001:db8:64::c633:6407"
#define D4	"192.0.2.99"
#define D4_6	"2001:db8:64::c000:263"

#define DROP	0xff	/* "silently drop" in the tables */

static void
cfg(struct xlat_cfg *c)
{
	t_cfg_siit(c, POOL6, 96);
}

static void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A transport payload of 'data' bytes for 'proto' into 'l4'. */
static uint32_t
payload(uint8_t *l4, uint8_t proto, uint32_t data, uint8_t icmp_type)
{
	uint32_t seed = 77 + data;

	switch (proto) {
	case PKT_PROTO_TCP:
		return t_tcp(l4, data, seed);
	case PKT_PROTO_UDP:
		return t_udp(l4, data, seed);
	case PKT_PROTO_ICMP:
	case PKT_PROTO_ICMP6:
		return t_icmp(l4, icmp_type, 0, data, seed);
	default:
		unit_rand_fill(&seed, l4, data);
		return data;
	}
}

/* The packet in error, 46: H4 -> D4, whole, checksums right. */
static uint32_t
inner4(uint8_t *out, uint8_t proto, uint32_t data, uint16_t frag,
       uint8_t icmp_type)
{
	struct t_ip4 s = t_ip4_default(proto);
	static uint8_t l4[2048];
	static struct tpkt p;
	uint32_t n = payload(l4, proto, data, icmp_type);

	s.src = H4;
	s.dst = D4;
	s.ttl = 3;
	s.tos = 0x28;
	s.id = 0x3456;
	s.frag = frag;
	t_init(&p);
	t_ip4(&p, &s, l4, n);
	memcpy(out, p.l3, p.len);
	return p.len;
}

/* The ICMPv4 error R4 -> H4 quoting 'qlen' bytes of 'q', then 'ext'. */
static void
err4(struct tpkt *p, uint8_t type, uint8_t code, uint32_t word,
     const uint8_t *q, uint32_t qlen, const uint8_t *ext, uint32_t ext_len)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP);
	static uint8_t l4[2048];

	s.src = R4;
	s.dst = H4;
	s.ttl = 60;
	l4[0] = type;
	l4[1] = code;
	l4[2] = 0;
	l4[3] = 0;
	wr32(l4 + 4, word);
	memcpy(l4 + 8, q, qlen);
	if (ext_len > 0)
		memcpy(l4 + 8 + qlen, ext, ext_len);
	t_init(p);
	t_ip4(p, &s, l4, 8 + qlen + ext_len);
}

/* The packet in error, 64: D4_6 -> H4_6, optional extension headers. */
static uint32_t
inner6(uint8_t *out, uint8_t proto, uint32_t data, const uint8_t *ext,
       unsigned int ext_len, uint8_t first_nh, uint8_t icmp_type)
{
	struct t_ip6 s = t_ip6_default(proto);
	static uint8_t l4[2048];
	static struct tpkt p;
	uint32_t n = payload(l4, proto, data, icmp_type);

	s.src = D4_6;
	s.dst = H4_6;
	s.hlim = 3;
	s.tc = 0x28;
	s.ext = ext;
	s.ext_len = ext_len;
	s.first_nh = first_nh;
	t_init(&p);
	t_ip6(&p, &s, l4, n);
	memcpy(out, p.l3, p.len);
	return p.len;
}

/* The ICMPv6 error 'src' -> D4_6. */
static void
err6_from(struct tpkt *p, const char *src, uint8_t type, uint8_t code,
	  uint32_t word, const uint8_t *q, uint32_t qlen, const uint8_t *ext,
	  uint32_t ext_len)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6);
	static uint8_t l4[2048];

	s.src = src;
	s.dst = D4_6;
	s.hlim = 60;
	l4[0] = type;
	l4[1] = code;
	l4[2] = 0;
	l4[3] = 0;
	wr32(l4 + 4, word);
	memcpy(l4 + 8, q, qlen);
	if (ext_len > 0)
		memcpy(l4 + 8 + qlen, ext, ext_len);
	t_init(p);
	t_ip6(p, &s, l4, 8 + qlen + ext_len);
}

static void
err6(struct tpkt *p, uint8_t type, uint8_t code, uint32_t word,
     const uint8_t *q, uint32_t qlen, const uint8_t *ext, uint32_t ext_len)
{
	err6_from(p, R4_6, type, code, word, q, qlen, ext, ext_len);
}

static enum pkt_drop
x46(const struct xlat_cfg *c, struct tpkt *p, struct xlat_out *o)
{
	struct xlat_ctx x;

	t_ctx(&x);
	return t_run46(c, &x, p, o);
}

static enum pkt_drop
x64(const struct xlat_cfg *c, struct tpkt *p, struct xlat_out *o)
{
	struct xlat_ctx x;

	t_ctx(&x);
	return t_run64(c, &x, p, o);
}

/* The outer IPv6 header and the ICMPv6 checksum, from scratch. */
static void
assert_outer6(const struct xlat_out *o, const char *src, const char *dst)
{
	uint8_t a[16];

	assert_true(o->len >= 48);
	assert_int_equal(o->l3[0] >> 4, 6);
	assert_int_equal(unit_rd16(o->l3 + 4), o->len - 40);
	assert_int_equal(o->l3[6], PKT_PROTO_ICMP6);
	assert_int_equal(o->l3[7], 60);
	t_addr6(a, src);
	assert_memory_equal(o->l3 + 8, a, 16);
	t_addr6(a, dst);
	assert_memory_equal(o->l3 + 24, a, 16);
	assert_int_equal(unit_l4_sum6(o->l3 + 8, o->l3 + 24, PKT_PROTO_ICMP6,
				      o->l3 + 40, o->len - 40), 0xffff);
}

static void
assert_outer4(const struct xlat_out *o, const char *src, const char *dst)
{
	uint8_t a[4];

	assert_true(o->len >= 28);
	assert_int_equal(o->l3[0], 0x45);
	assert_int_equal(unit_rd16(o->l3 + 2), o->len);
	assert_int_equal(o->l3[8], 60);
	assert_int_equal(o->l3[9], PKT_PROTO_ICMP);
	assert_int_equal(unit_sum16(o->l3, 20, 0), 0xffff);
	t_addr4(a, src);
	assert_memory_equal(o->l3 + 12, a, 4);
	t_addr4(a, dst);
	assert_memory_equal(o->l3 + 16, a, 4);
	assert_int_equal(unit_sum16(o->l3 + 20, o->len - 20, 0), 0xffff);
}

/* The translated inner IPv6 header at 'h'. */
static void
assert_inner6(const uint8_t *h, uint32_t payload_len, uint8_t nh)
{
	uint8_t a[16];

	assert_int_equal(h[0] >> 4, 6);
	assert_int_equal((h[0] & 0x0f) << 4 | h[1] >> 4, 0x28);
	assert_int_equal(unit_rd16(h + 4), payload_len);
	assert_int_equal(h[6], nh);
	assert_int_equal(h[7], 3);
	t_addr6(a, H4_6);
	assert_memory_equal(h + 8, a, 16);
	t_addr6(a, D4_6);
	assert_memory_equal(h + 24, a, 16);
}

static void
assert_inner4(const uint8_t *h, uint32_t tot_len, uint8_t proto)
{
	uint8_t a[4];

	assert_int_equal(h[0], 0x45);
	assert_int_equal(h[1], 0x28);
	assert_int_equal(unit_rd16(h + 2), tot_len);
	assert_int_equal(h[8], 3);
	assert_int_equal(h[9], proto);
	assert_int_equal(unit_sum16(h, 20, 0), 0xffff);
	t_addr4(a, D4);
	assert_memory_equal(h + 12, a, 4);
	t_addr4(a, H4);
	assert_memory_equal(h + 16, a, 4);
}

/* --- section 4.2: ICMPv4 errors to ICMPv6 --- */

struct map {
	uint8_t type, code;
	uint8_t type2, code2;	/* DROP: silently dropped */
};

/* RFC 7915 section 4.2, "ICMPv4 error messages", code by code. */
static const struct map map46[] = {
	/* Destination Unreachable */
	{ 3, 0, 1, 0 }, { 3, 1, 1, 0 },
	{ 3, 2, 4, 1 },		/* protocol: parameter problem, pointer 6 */
	{ 3, 3, 1, 4 },
	{ 3, 4, 2, 0 },		/* fragmentation needed: packet too big */
	{ 3, 5, 1, 0 }, { 3, 6, 1, 0 }, { 3, 7, 1, 0 }, { 3, 8, 1, 0 },
	{ 3, 9, 1, 1 }, { 3, 10, 1, 1 }, { 3, 11, 1, 0 }, { 3, 12, 1, 0 },
	{ 3, 13, 1, 1 },
	{ 3, 14, DROP, 0 },	/* host precedence violation */
	{ 3, 15, 1, 1 },
	{ 3, 16, DROP, 0 }, { 3, 255, DROP, 0 },	/* other codes */
	/* Redirect, Alternative Host Address, Source Quench */
	{ 5, 0, DROP, 0 }, { 5, 1, DROP, 0 }, { 6, 0, DROP, 0 },
	{ 4, 0, DROP, 0 },
	/* Time Exceeded: type 3, code unchanged */
	{ 11, 0, 3, 0 }, { 11, 1, 3, 1 },
	/* Parameter Problem */
	{ 12, 0, 4, 0 },	/* pointer mapped (figure 3) */
	{ 12, 1, DROP, 0 },	/* missing a required option */
	{ 12, 2, 4, 0 },	/* bad length: pointer mapped */
	{ 12, 3, DROP, 0 },
	/* unknown types */
	{ 1, 0, DROP, 0 }, { 2, 0, DROP, 0 }, { 7, 0, DROP, 0 },
	{ 19, 0, DROP, 0 }, { 40, 0, DROP, 0 }, { 254, 0, DROP, 0 },
};

static void
test_icmp46_every_error_type_and_code_of_section_4_2(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner4(q, PKT_PROTO_UDP, 20, 0, 0);
	for (i = 0; i < sizeof(map46) / sizeof(map46[0]); i++) {
		const struct map *m = &map46[i];
		/* a pointer that maps (9 -> 6), an MTU for 3/4 */
		uint32_t word = m->type == 12 ? 9u << 24 :
				m->type == 3 && m->code == 4 ? 1400 : 0;
		enum pkt_drop r;

		err4(&p, m->type, m->code, word, q, qlen, NULL, 0);
		r = x46(&c, &p, &o);
		if (m->type2 == DROP) {
			assert_int_equal(r, PKT_DROP_XLAT_ICMP_TYPE);
			continue;
		}
		assert_int_equal(r, PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.l3[40], m->type2);
		assert_int_equal(o.l3[41], m->code2);
		if (m->type == 3 && m->code == 2)
			assert_int_equal(rd32(o.l3 + 44), 6);
		else if (m->type == 3 && m->code == 4)
			assert_int_equal(rd32(o.l3 + 44), 1420);
		else if (m->type == 12)
			assert_int_equal(rd32(o.l3 + 44), 6);
		else
			assert_int_equal(rd32(o.l3 + 44), 0);
		assert_int_equal(o.len, 40 + 8 + 40 + qlen - 20);
		assert_inner6(o.l3 + 48, qlen - 20, PKT_PROTO_UDP);
	}
}

/* Figure 3: IPv4 header offset -> IPv6 header offset, n/a dropped. */
static void
test_icmp46_parameter_problem_pointer_figure_3(void **state)
{
	static const uint8_t fig3[20] = {
		0, 1, 4, 4, DROP, DROP, DROP, DROP, 7, 6,
		DROP, DROP, 8, 8, 8, 8, 24, 24, 24, 24,
	};
	static const uint8_t codes[] = { 0, 2 };
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int ptr, k;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner4(q, PKT_PROTO_TCP, 0, 0, 0);
	for (k = 0; k < sizeof(codes); k++) {
		for (ptr = 0; ptr < 256; ptr++) {
			uint8_t want = ptr < 20 ? fig3[ptr] : DROP;
			enum pkt_drop r;

			err4(&p, 12, codes[k], ptr << 24, q, qlen, NULL, 0);
			r = x46(&c, &p, &o);
			if (want == DROP) {
				assert_int_equal(r, PKT_DROP_XLAT_ICMP_TYPE);
				continue;
			}
			assert_int_equal(r, PKT_DROP_NONE);
			assert_outer6(&o, R4_6, H4_6);
			assert_int_equal(o.l3[40], 4);
			assert_int_equal(o.l3[41], 0);
			assert_int_equal(rd32(o.l3 + 44), want);
		}
	}
}

/*
 * Section 4.2, code 4: MTU = min(advertised + 20, IPv6 next hop MTU,
 * IPv4 next hop MTU + 20); an advertised 0 (no RFC 1191 router) is
 * replaced by the greatest plateau below the inner Total Length.
 */
static void
test_icmp46_fragmentation_needed_mtu_arithmetic(void **state)
{
	static const struct {
		uint16_t adv, mtu4, mtu6, inner_tot;
		uint32_t want;
	} cases[] = {
		{ 1400, 1500, 1500, 1500, 1420 },
		{ 1400, 1500, 1300, 1500, 1300 },	/* IPv6 next hop */
		{ 1400, 1280, 1500, 1500, 1300 },	/* IPv4 next hop + 20 */
		{ 1480, 1500, 1500, 1500, 1500 },
		{ 576, 9000, 9000, 1500, 1280 },	/* never below 1280 */
		{ 0, 9000, 9000, 1500, 1492 + 20 },	/* plateaus */
		{ 0, 9000, 9000, 1492, 1280 },		/* 1006 + 20, raised */
		{ 0, 9000, 9000, 1493, 1492 + 20 },
		{ 0, 9000, 9000, 600, 1280 },		/* 508 + 20, raised */
		{ 0, 9000, 9000, 8166, 4352 + 20 },
		{ 0, 65535, 65535, 65535, 32000 + 20 },
		{ 0, 9000, 1280, 1500, 1280 },		/* then the minimum */
		{ 0, 1000, 9000, 1500, 1280 },		/* 1020, raised */
	};
	uint8_t q[100];
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* only the first 28 bytes are quoted; the header claims
		 * the Total Length of the packet that was too big */
		inner4(q, PKT_PROTO_UDP, 20, PKT_IP4_DF, 0);
		unit_wr16(q + 2, cases[i].inner_tot);
		unit_wr16(q + 10, 0);
		unit_wr16(q + 10, unit_csum(q, 20));
		err4(&p, 3, 4, cases[i].adv, q, 28, NULL, 0);
		t_ctx(&x);
		x.mtu4 = cases[i].mtu4;
		x.mtu6 = cases[i].mtu6;
		assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.l3[40], 2);
		assert_int_equal(o.l3[41], 0);
		assert_int_equal(rd32(o.l3 + 44), cases[i].want);
		assert_inner6(o.l3 + 48, cases[i].inner_tot - 20u,
			      PKT_PROTO_UDP);
	}
}

/*
 * Section 4.3: the packet inside is translated like an outer one: TCP,
 * UDP, ICMP echo, with checksums that verify from scratch over the inner
 * IPv6 pseudo-header when the packet is all there.
 */
static void
test_icmp46_whole_inner_packet_checksums_verify(void **state)
{
	static const struct {
		uint8_t proto, icmp_type, nh, type6;
		uint32_t data;
	} cases[] = {
		{ PKT_PROTO_TCP, 0, PKT_PROTO_TCP, 0, 0 },
		{ PKT_PROTO_TCP, 0, PKT_PROTO_TCP, 0, 77 },
		{ PKT_PROTO_UDP, 0, PKT_PROTO_UDP, 0, 1 },
		{ PKT_PROTO_UDP, 0, PKT_PROTO_UDP, 0, 300 },
		{ PKT_PROTO_ICMP, 8, PKT_PROTO_ICMP6, 128, 56 },
		{ PKT_PROTO_ICMP, 0, PKT_PROTO_ICMP6, 129, 33 },
		{ 47, 0, 47, 0, 24 },		/* GRE: bytes as they were */
	};
	uint8_t q[600], orig[600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *ih, *il4;
		uint32_t l4_len;

		qlen = inner4(q, cases[i].proto, cases[i].data, 0,
			      cases[i].icmp_type);
		memcpy(orig, q, qlen);
		err4(&p, 3, 3, 0, q, qlen, NULL, 0);
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.l3[40], 1);
		assert_int_equal(o.l3[41], 4);
		l4_len = qlen - 20;
		assert_int_equal(o.len, 88 + l4_len);
		ih = o.l3 + 48;
		il4 = ih + 40;
		assert_inner6(ih, l4_len, cases[i].nh);
		switch (cases[i].proto) {
		case PKT_PROTO_TCP:
		case PKT_PROTO_UDP:
			t_assert_l4_csum6(ih, il4, cases[i].proto, l4_len);
			break;
		case PKT_PROTO_ICMP:
			assert_int_equal(il4[0], cases[i].type6);
			assert_int_equal(il4[1], 0);
			assert_memory_equal(il4 + 4, orig + 24, l4_len - 4);
			t_assert_l4_csum6(ih, il4, PKT_PROTO_ICMP6, l4_len);
			break;
		default:
			assert_memory_equal(il4, orig + 20, l4_len);
		}
	}
}

/*
 * The usual error quotes a part of the packet: the inner lengths stay
 * the claimed ones, and the transport checksum, when quoted, is adjusted
 * so that the whole datagram would verify over IPv6.
 */
static void
test_icmp46_truncated_inner_packet_keeps_claimed_lengths(void **state)
{
	static const uint32_t quoted[] = { 20, 21, 28, 36, 37, 60, 548 };
	uint8_t whole[1100], q[1100], s6[16], d6[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t tot;

	(void)state;
	cfg(&c);
	t_addr6(s6, H4_6);
	t_addr6(d6, D4_6);
	tot = inner4(q, PKT_PROTO_TCP, 980, PKT_IP4_DF, 0);
	assert_int_equal(tot, 1020);
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		uint32_t ql = quoted[i], got;
		const uint8_t *il4;

		err4(&p, 11, 0, 0, q, ql, NULL, 0);
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.len, 88 + ql - 20);
		assert_inner6(o.l3 + 48, 1000, PKT_PROTO_TCP);
		il4 = o.l3 + 88;
		got = ql - 20;
		if (got >= 18) {
			/* what was quoted, then the rest of the packet */
			memcpy(whole, q + 20, 1000);
			memcpy(whole, il4, got);
			assert_int_equal(unit_l4_sum6(s6, d6, PKT_PROTO_TCP,
						      whole, 1000), 0xffff);
		} else {
			assert_memory_equal(il4, q + 20, got);
		}
		if (got > 18)
			assert_memory_equal(il4 + 18, q + 38, got - 18);
	}
}

/* Shorter than an IPv4 header, or not IPv4: nothing to translate. */
static void
test_icmp46_inner_shorter_than_ip4_header_is_xlat_icmp_inner(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;

	(void)state;
	cfg(&c);
	inner4(q, PKT_PROTO_UDP, 20, 0, 0);
	err4(&p, 3, 1, 0, q, 19, NULL, 0);
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	err4(&p, 3, 1, 0, q, 0, NULL, 0);
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	q[0] = 0x65;
	err4(&p, 3, 1, 0, q, 48, NULL, 0);
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
}

/* An inner fragment gets its fragment header (section 4.1 one level down). */
static void
test_icmp46_inner_fragment_gets_fragment_header(void **state)
{
	static const uint16_t frags[] = { PKT_IP4_MF, PKT_IP4_MF | 64, 64 };
	uint8_t q[200], orig[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		const uint8_t *f;

		qlen = inner4(q, PKT_PROTO_UDP, 40, frags[i], 0);
		memcpy(orig, q, qlen);
		err4(&p, 11, 1, 0, q, qlen, NULL, 0);
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.l3[40], 3);
		assert_int_equal(o.l3[41], 1);
		assert_int_equal(o.len, 40 + 8 + 48 + qlen - 20);
		assert_inner6(o.l3 + 48, 8 + qlen - 20, PKT_PROTO_FRAGMENT);
		f = o.l3 + 88;
		assert_int_equal(f[0], PKT_PROTO_UDP);
		assert_int_equal(f[1], 0);
		assert_int_equal(unit_rd16(f + 2),
				 (frags[i] & PKT_IP4_OFFMASK) << 3 |
				 ((frags[i] & PKT_IP4_MF) ? 1 : 0));
		assert_int_equal(rd32(f + 4), 0x3456);
		if ((frags[i] & PKT_IP4_OFFMASK) == 0) {
			/* a first fragment: its own bytes are the whole
			 * datagram here, so the checksum verifies */
			t_assert_l4_csum6(o.l3 + 48, f + 8, PKT_PROTO_UDP,
					  qlen - 20);
		} else {
			assert_memory_equal(f + 8, orig + 20, qlen - 20);
		}
	}
}

/*
 * Section 4.3: one level only; an error about an error (or about an ICMP
 * message that has no translation itself) is dropped.
 */
static void
test_icmp46_inner_icmp_other_than_echo_is_xlat_icmp_inner(void **state)
{
	static const uint8_t types[] = { 3, 11, 12, 5, 13, 4 };
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(types); i++) {
		qlen = inner4(q, PKT_PROTO_ICMP, 36, 0, types[i]);
		err4(&p, 3, 1, 0, q, qlen, NULL, 0);
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	}
}

/* The inner addresses must translate too. */
static void
test_icmp46_untranslatable_inner_address_is_xlat_icmp_inner(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t qlen;

	(void)state;
	/* global addresses everywhere but the inner destination,
	 * 169.254.1.1 (link local), which has no form under the
	 * Well-Known Prefix */
	t_cfg_siit(&c, "64:ff9b::", 96);
	qlen = inner4(q, PKT_PROTO_UDP, 20, 0, 0);
	t_addr4(q + 12, "1.1.1.1");
	t_addr4(q + 16, "169.254.1.1");
	unit_wr16(q + 10, 0);
	unit_wr16(q + 10, unit_csum(q, 20));
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	t_addr4(p.l3 + 12, "8.8.8.8");
	t_addr4(p.l3 + 16, "1.1.1.1");
	unit_wr16(p.l3 + 10, 0);
	unit_wr16(p.l3 + 10, unit_csum(p.l3, 20));
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);

	/* the same with a global inner destination goes through */
	t_addr4(q + 16, "9.9.9.9");
	unit_wr16(q + 10, 0);
	unit_wr16(q + 10, unit_csum(q, 20));
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	t_addr4(p.l3 + 12, "8.8.8.8");
	t_addr4(p.l3 + 16, "1.1.1.1");
	unit_wr16(p.l3 + 10, 0);
	unit_wr16(p.l3 + 10, unit_csum(p.l3, 20));
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
	assert_outer6(&o, "64:ff9b::808:808", "64:ff9b::101:101");
}

/* Two IPv6 headers in place of two IPv4 ones: 40 bytes of headroom. */
static void
test_icmp46_error_needs_40_bytes_of_headroom(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	t_ctx(&x);
	qlen = inner4(q, PKT_PROTO_UDP, 20, 0, 0);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	x.headroom = 39;
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_XLAT_HEADROOM);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	x.headroom = 40;
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 - 40);
	assert_outer6(&o, R4_6, H4_6);

	/* an inner fragment: 8 more */
	qlen = inner4(q, PKT_PROTO_UDP, 20, PKT_IP4_MF, 0);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	x.headroom = 47;
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_XLAT_HEADROOM);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	x.headroom = 48;
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 - 48);
	assert_outer6(&o, R4_6, H4_6);
}

/* RFC 4443 section 2.4 (c): a translated ICMPv6 error fits 1280 bytes. */
static void
test_icmp46_translated_error_never_exceeds_1280_bytes(void **state)
{
	static const uint32_t quoted[] = { 1180, 1212, 1213, 1400, 1460 };
	uint8_t q[1600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner4(q, PKT_PROTO_UDP, 1452, 0, 0);
	assert_int_equal(qlen, 1480);
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		uint32_t want = 88 + quoted[i] - 20;

		err4(&p, 3, 3, 0, q, quoted[i], NULL, 0);
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_true(o.len <= 1280);
		assert_int_equal(o.len, want > 1280 ? 1280 : want);
		assert_outer6(&o, R4_6, H4_6);
		assert_inner6(o.l3 + 48, 1460, PKT_PROTO_UDP);
	}
}

/* An RFC 4884 extension structure: header and one object. */
static uint32_t
mk_ext(uint8_t *e)
{
	static const uint8_t obj[12] = { 0, 12, 2, 1, 0xde, 0xad, 0xbe,
					 0xef, 0, 0, 0, 42 };

	e[0] = 0x20;		/* version 2 */
	e[1] = 0;
	e[2] = 0;
	e[3] = 0;
	memcpy(e + 4, obj, sizeof(obj));
	unit_wr16(e + 2, unit_csum(e, 16));
	return 16;
}

/*
 * RFC 4884 (and RFC 7915 section 4.2, "the ICMPv6 Extension length
 * attribute MUST be adjusted accordingly"): an ICMPv4 time exceeded
 * whose length attribute (32-bit words) covers 128 bytes, then an
 * extension structure, becomes an ICMPv6 time exceeded whose length
 * attribute (64-bit words, first byte of the second word) covers the
 * translated datagram padded to a multiple of 8 and at least 128,
 * followed by the same extension bytes.
 */
static void
test_icmp46_rfc4884_length_and_extension_are_carried(void **state)
{
	static const struct {
		uint8_t type, code;
		uint16_t frag;
		uint32_t quoted;	/* of the inner packet, before padding */
	} cases[] = {
		{ 11, 0, 0, 128 },	/* 20 + 108 -> 40 + 108 = 148 -> 152 */
		{ 3, 1, 0, 128 },
		{ 3, 3, 0, 132 },	/* 152 exactly */
		{ 11, 0, 0, 60 },	/* zero padded to 128 by the sender */
		{ 11, 1, PKT_IP4_MF, 128 },	/* + fragment header: 160 */
		{ 3, 1, 0, 236 },	/* 256 exactly */
	};
	uint8_t q[600], ext[16], body[600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;

	(void)state;
	cfg(&c);
	mk_ext(ext);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t ql = cases[i].quoted, field = ql < 128 ? 128 : ql;
		uint32_t grown = field + 20 + (cases[i].frag ? 8 : 0);
		uint32_t padded = (grown + 7) / 8 * 8;
		const uint8_t *ic6;

		inner4(q, PKT_PROTO_UDP, 500, cases[i].frag, 0);
		memset(body, 0, sizeof(body));
		memcpy(body, q, ql);	/* quoted bytes, zero padding */
		if (ql < field)
			assert_int_equal(body[ql], 0);
		err4(&p, cases[i].type, cases[i].code, (field / 4) << 16,
		     body, field, ext, sizeof(ext));
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		ic6 = o.l3 + 40;
		assert_int_equal(ic6[4], padded / 8);
		assert_int_equal(ic6[5], 0);
		assert_int_equal(ic6[6], 0);
		assert_int_equal(ic6[7], 0);
		assert_int_equal(o.len, 40 + 8 + padded + sizeof(ext));
		/* the datagram (after the UDP header, whose checksum
		 * changed), then zeros, then the extension */
		assert_memory_equal(ic6 + 8 + grown - (field - 20) + 8,
				    body + 28, field - 28);
		assert_memory_equal(ic6 + 8 + padded, ext, sizeof(ext));
		while (grown < padded)
			assert_int_equal(ic6[8 + grown++], 0);
	}
}

/*
 * ICMPv6 Parameter Problem has no RFC 4884 length attribute: its second
 * word is the 32-bit pointer. An ICMPv4 protocol unreachable (pointer 6)
 * or parameter problem that carried a length attribute must keep that
 * pointer exact (section 4.2); the extension cannot follow.
 */
static void
test_icmp46_parameter_problem_pointer_not_overwritten_by_rfc4884(void **state)
{
	static const struct {
		uint8_t type, code;
		uint32_t word4;
		uint32_t ptr6;
	} cases[] = {
		{ 3, 2, 32u << 16, 6 },			/* protocol unreach */
		{ 12, 0, 9u << 24 | 32u << 16, 6 },	/* pointer 9 -> 6 */
		{ 12, 2, 2u << 24 | 32u << 16, 4 },	/* pointer 2 -> 4 */
	};
	uint8_t q[600], ext[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;

	(void)state;
	cfg(&c);
	mk_ext(ext);
	inner4(q, PKT_PROTO_UDP, 500, 0, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err4(&p, cases[i].type, cases[i].code, cases[i].word4, q, 128,
		     ext, sizeof(ext));
		assert_int_equal(x46(&c, &p, &o), PKT_DROP_NONE);
		assert_outer6(&o, R4_6, H4_6);
		assert_int_equal(o.l3[40], 4);
		assert_int_equal(rd32(o.l3 + 44), cases[i].ptr6);
	}
}

/* --- section 5.2: ICMPv6 errors to ICMPv4 --- */

static const struct map map64[] = {
	/* Destination Unreachable */
	{ 1, 0, 3, 1 }, { 1, 1, 3, 10 }, { 1, 2, 3, 1 }, { 1, 3, 3, 1 },
	{ 1, 4, 3, 3 },
	{ 1, 5, DROP, 0 }, { 1, 6, DROP, 0 }, { 1, 7, DROP, 0 },
	{ 1, 255, DROP, 0 },
	/* Packet Too Big */
	{ 2, 0, 3, 4 },
	/* Time Exceeded: type 11, code unchanged */
	{ 3, 0, 11, 0 }, { 3, 1, 11, 1 },
	/* Parameter Problem */
	{ 4, 0, 12, 0 },	/* pointer mapped (figure 6) */
	{ 4, 1, 3, 2 },		/* unrecognized next header */
	{ 4, 2, DROP, 0 },	/* unrecognized option */
	{ 4, 3, DROP, 0 }, { 4, 10, DROP, 0 },
	/* unknown error types */
	{ 0, 0, DROP, 0 }, { 5, 0, DROP, 0 }, { 100, 0, DROP, 0 },
	{ 127, 0, DROP, 0 },
};

static void
test_icmp64_every_error_type_and_code_of_section_5_2(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner6(q, PKT_PROTO_UDP, 20, NULL, 0, 0, 0);
	for (i = 0; i < sizeof(map64) / sizeof(map64[0]); i++) {
		const struct map *m = &map64[i];
		uint32_t word = m->type == 4 ? 7 : m->type == 2 ? 1400 : 0;
		enum pkt_drop r;

		err6(&p, m->type, m->code, word, q, qlen, NULL, 0);
		r = x64(&c, &p, &o);
		if (m->type2 == DROP) {
			assert_int_equal(r, PKT_DROP_XLAT_ICMP_TYPE);
			continue;
		}
		assert_int_equal(r, PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		assert_int_equal(o.l3[20], m->type2);
		assert_int_equal(o.l3[21], m->code2);
		if (m->type == 4 && m->code == 0)
			assert_int_equal(rd32(o.l3 + 24), 8u << 24);
		else if (m->type == 2)
			assert_int_equal(rd32(o.l3 + 24), 1380);
		else
			assert_int_equal(rd32(o.l3 + 24), 0);
		assert_int_equal(o.len, 20 + 8 + qlen - 20);
		assert_inner4(o.l3 + 28, qlen - 20, PKT_PROTO_UDP);
	}
}

/* Figure 6: IPv6 header offset -> IPv4 header offset, n/a dropped. */
static void
test_icmp64_parameter_problem_pointer_figure_6(void **state)
{
	static const uint32_t big[] = { 40, 41, 255, 256, 0x106, 0x01000006,
					0xffffffff };
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen, ptr;

	(void)state;
	cfg(&c);
	qlen = inner6(q, PKT_PROTO_TCP, 0, NULL, 0, 0, 0);
	for (ptr = 0; ptr < 40; ptr++) {
		uint8_t want = ptr <= 1 ? (uint8_t)ptr :
			       ptr <= 3 ? DROP :
			       ptr <= 5 ? 2 :
			       ptr == 6 ? 9 :
			       ptr == 7 ? 8 :
			       ptr < 24 ? 12 : 16;
		enum pkt_drop r;

		err6(&p, 4, 0, ptr, q, qlen, NULL, 0);
		r = x64(&c, &p, &o);
		if (want == DROP) {
			assert_int_equal(r, PKT_DROP_XLAT_ICMP_TYPE);
			continue;
		}
		assert_int_equal(r, PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		assert_int_equal(o.l3[20], 12);
		assert_int_equal(o.l3[21], 0);
		assert_int_equal(rd32(o.l3 + 24), (uint32_t)want << 24);
	}
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		err6(&p, 4, 0, big[i], q, qlen, NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_ICMP_TYPE);
	}
}

/* Section 5.2: MTU = min(advertised - 20, IPv4 next hop, IPv6 next hop - 20). */
static void
test_icmp64_packet_too_big_mtu_arithmetic(void **state)
{
	static const struct {
		uint32_t adv;
		uint16_t mtu4, mtu6;
		uint32_t want;
	} cases[] = {
		{ 1500, 1500, 1500, 1480 },
		{ 1280, 1500, 1500, 1260 },
		{ 1400, 1300, 1500, 1300 },	/* IPv4 next hop */
		{ 1400, 1500, 1350, 1330 },	/* IPv6 next hop - 20 */
		{ 9000, 9000, 9000, 8980 },
		{ 70000, 65535, 65535, 65515 },
	};
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner6(q, PKT_PROTO_UDP, 20, NULL, 0, 0, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err6(&p, 2, 0, cases[i].adv, q, qlen, NULL, 0);
		t_ctx(&x);
		x.mtu4 = cases[i].mtu4;
		x.mtu6 = cases[i].mtu6;
		assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		assert_int_equal(o.l3[20], 3);
		assert_int_equal(o.l3[21], 4);
		/* RFC 1191: unused 16 bits, then the next-hop MTU */
		assert_int_equal(unit_rd16(o.l3 + 24), 0);
		assert_int_equal(unit_rd16(o.l3 + 26), cases[i].want);
	}
}

static void
test_icmp64_whole_inner_packet_checksums_verify(void **state)
{
	static const struct {
		uint8_t proto, icmp_type, p4, type4;
		uint32_t data;
	} cases[] = {
		{ PKT_PROTO_TCP, 0, PKT_PROTO_TCP, 0, 0 },
		{ PKT_PROTO_TCP, 0, PKT_PROTO_TCP, 0, 91 },
		{ PKT_PROTO_UDP, 0, PKT_PROTO_UDP, 0, 3 },
		{ PKT_PROTO_UDP, 0, PKT_PROTO_UDP, 0, 400 },
		{ PKT_PROTO_ICMP6, 128, PKT_PROTO_ICMP, 8, 56 },
		{ PKT_PROTO_ICMP6, 129, PKT_PROTO_ICMP, 0, 17 },
		{ 47, 0, 47, 0, 24 },
	};
	uint8_t q[600], orig[600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *ih, *il4;
		uint32_t l4_len;

		qlen = inner6(q, cases[i].proto, cases[i].data, NULL, 0, 0,
			      cases[i].icmp_type);
		memcpy(orig, q, qlen);
		err6(&p, 1, 4, 0, q, qlen, NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		assert_int_equal(o.l3[20], 3);
		assert_int_equal(o.l3[21], 3);
		l4_len = qlen - 40;
		assert_int_equal(o.len, 48 + l4_len);
		ih = o.l3 + 28;
		il4 = ih + 20;
		assert_inner4(ih, 20 + l4_len, cases[i].p4);
		switch (cases[i].proto) {
		case PKT_PROTO_TCP:
		case PKT_PROTO_UDP:
			t_assert_l4_csum4(ih, il4, cases[i].proto, l4_len);
			break;
		case PKT_PROTO_ICMP6:
			assert_int_equal(il4[0], cases[i].type4);
			assert_int_equal(il4[1], 0);
			assert_memory_equal(il4 + 4, orig + 44, l4_len - 4);
			t_assert_l4_csum4(ih, il4, PKT_PROTO_ICMP, l4_len);
			break;
		default:
			assert_memory_equal(il4, orig + 40, l4_len);
		}
	}
}

static void
test_icmp64_truncated_inner_packet_keeps_claimed_lengths(void **state)
{
	static const uint32_t quoted[] = { 40, 41, 48, 56, 57, 80, 568 };
	uint8_t whole[1100], q[1100], s4[4], d4[4];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t tot;

	(void)state;
	cfg(&c);
	t_addr4(s4, D4);
	t_addr4(d4, H4);
	tot = inner6(q, PKT_PROTO_TCP, 1000, NULL, 0, 0, 0);
	assert_int_equal(tot, 1060);
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		uint32_t ql = quoted[i], got = ql - 40;
		const uint8_t *il4;

		err6(&p, 3, 0, 0, q, ql, NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		assert_int_equal(o.len, 28 + 20 + got);
		assert_inner4(o.l3 + 28, 1040, PKT_PROTO_TCP);
		il4 = o.l3 + 48;
		if (got >= 18) {
			memcpy(whole, q + 40, 1020);
			memcpy(whole, il4, got);
			assert_int_equal(unit_l4_sum4(s4, d4, PKT_PROTO_TCP,
						      whole, 1020), 0xffff);
		} else {
			assert_memory_equal(il4, q + 40, got);
		}
	}
}

static void
test_icmp64_inner_shorter_than_ip6_header_is_xlat_icmp_inner(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;

	(void)state;
	cfg(&c);
	inner6(q, PKT_PROTO_UDP, 20, NULL, 0, 0, 0);
	err6(&p, 1, 0, 0, q, 39, NULL, 0);
	assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	err6(&p, 1, 0, 0, q, 0, NULL, 0);
	assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	q[0] = 0x45;
	err6(&p, 1, 0, 0, q, 68, NULL, 0);
	assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
}

/* Inner extension headers are left behind; a fragment header's
 * identity goes into the inner IPv4 header (section 5.1.1). */
static void
test_icmp64_inner_fragment_and_extension_headers(void **state)
{
	static const struct {
		uint16_t off_m;
		int dstopts;
	} cases[] = {
		{ 1, 0 }, { 8 << 3 | 1, 0 }, { 8 << 3, 0 }, { 1, 1 }, { 0, 1 },
	};
	uint8_t q[300], orig[300], ext[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int el = 0, k;
		uint32_t qlen, l4_len;
		const uint8_t *ih;

		if (cases[i].dstopts) {
			/* destination options, 8 bytes of PadN */
			static const uint8_t d[8] = { PKT_PROTO_FRAGMENT, 0,
						      1, 4, 0, 0, 0, 0 };

			memcpy(ext, d, 8);
			el = 8;
		}
		ext[el] = PKT_PROTO_UDP;
		ext[el + 1] = 0;
		unit_wr16(ext + el + 2, cases[i].off_m);
		wr32(ext + el + 4, 0xabcd0123);
		k = el + 8;
		qlen = inner6(q, PKT_PROTO_UDP, 40, ext, k,
			      cases[i].dstopts ? PKT_PROTO_DSTOPTS :
			      PKT_PROTO_FRAGMENT, 0);
		memcpy(orig, q, qlen);
		err6(&p, 3, 1, 0, q, qlen, NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		l4_len = qlen - 40 - k;
		assert_int_equal(o.len, 48 + l4_len);
		ih = o.l3 + 28;
		assert_inner4(ih, 20 + l4_len, PKT_PROTO_UDP);
		assert_int_equal(unit_rd16(ih + 4), 0x0123);
		assert_int_equal(unit_rd16(ih + 6), (cases[i].off_m >> 3) |
				 ((cases[i].off_m & 1) ? PKT_IP4_MF : 0));
		if ((cases[i].off_m >> 3) == 0)
			t_assert_l4_csum4(ih, ih + 20, PKT_PROTO_UDP, l4_len);
		else
			assert_memory_equal(ih + 20, orig + 40 + k, l4_len);
	}
}

static void
test_icmp64_inner_icmp_other_than_echo_is_xlat_icmp_inner(void **state)
{
	static const uint8_t types[] = { 1, 2, 3, 4, 133, 135 };
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	for (i = 0; i < sizeof(types); i++) {
		qlen = inner6(q, PKT_PROTO_ICMP6, 36, NULL, 0, 0, types[i]);
		err6(&p, 1, 0, 0, q, qlen, NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_ICMP_INNER);
	}
}

/* RFC 1812 section 4.3.2.3: a translated ICMPv4 error fits 576 bytes. */
static void
test_icmp64_translated_error_never_exceeds_576_bytes(void **state)
{
	static const uint32_t quoted[] = { 500, 568, 569, 1000, 1232 };
	uint8_t q[1400];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	qlen = inner6(q, PKT_PROTO_UDP, 1184, NULL, 0, 0, 0);
	assert_int_equal(qlen, 1232);
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		uint32_t want = 28 + quoted[i] - 20;

		err6(&p, 1, 3, 0, q, quoted[i], NULL, 0);
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_NONE);
		assert_true(o.len <= 576);
		assert_int_equal(o.len, want > 576 ? 576 : want);
		assert_outer4(&o, R4, D4);
		assert_inner4(o.l3 + 28, 1212, PKT_PROTO_UDP);
	}
}

/*
 * RFC 4884 the other way: an ICMPv6 time exceeded or destination
 * unreachable whose length attribute (64-bit words) covers 128 bytes,
 * with an extension, becomes an ICMPv4 one whose length attribute
 * (32-bit words, second byte of the second word) covers the translated
 * datagram padded to at least 128 bytes, then the same extension.
 */
static void
test_icmp64_rfc4884_length_and_extension_are_carried(void **state)
{
	static const struct {
		uint8_t type, code, type4, code4;
		uint32_t field;		/* original datagram field */
	} cases[] = {
		{ 3, 0, 11, 0, 128 },	/* 108 -> 128 */
		{ 1, 4, 3, 3, 128 },
		{ 1, 0, 3, 1, 152 },	/* 132 exactly */
		{ 3, 1, 11, 1, 160 },	/* 140 exactly */
	};
	uint8_t q[600], ext[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;

	(void)state;
	cfg(&c);
	mk_ext(ext);
	inner6(q, PKT_PROTO_UDP, 500, NULL, 0, 0, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t field = cases[i].field, grown = field - 20;
		uint32_t padded = grown < 128 ? 128 : (grown + 3) / 4 * 4;
		const uint8_t *ic4;

		err6(&p, cases[i].type, cases[i].code, (field / 8) << 24, q,
		     field, ext, sizeof(ext));
		assert_int_equal(x64(&c, &p, &o), PKT_DROP_NONE);
		assert_outer4(&o, R4, D4);
		ic4 = o.l3 + 20;
		assert_int_equal(ic4[0], cases[i].type4);
		assert_int_equal(ic4[1], cases[i].code4);
		assert_int_equal(ic4[4], 0);
		assert_int_equal(ic4[5], padded / 4);
		assert_int_equal(unit_rd16(ic4 + 6), 0);
		assert_int_equal(o.len, 20 + 8 + padded + sizeof(ext));
		assert_memory_equal(ic4 + 8 + 28, q + 48, field - 48);
		assert_memory_equal(ic4 + 8 + padded, ext, sizeof(ext));
		while (grown < padded)
			assert_int_equal(ic4[8 + grown++], 0);
	}
}

/* --- RFC 6791: errors from routers without a translatable address --- */

static struct xlat_eam e46[2];

/* EAMT only: H4 and D4 have mappings, the router R4 has none. */
static void
cfg_eamt_only(struct xlat_cfg *c)
{
	xlat_cfg_init(c);
	memset(e46, 0, sizeof(e46));
	t_pfx6(&e46[0].p6, "2001:db8:6::", 120);
	t_addr4((uint8_t *)&e46[0].p4, "198.51.100.0");
	e46[0].len4 = 24;
	t_pfx6(&e46[1].p6, "2001:db8:2::", 120);
	t_addr4((uint8_t *)&e46[1].p4, "192.0.2.0");
	e46[1].len4 = 24;
	c->eam4 = e46;
	c->eam6 = e46;
	c->n_eam = 2;
}

static void
assert_src6(const struct xlat_out *o, const char *want)
{
	uint8_t a[16];

	t_addr6(a, want);
	assert_memory_equal(o->l3 + 8, a, 16);
	assert_int_equal(unit_l4_sum6(o->l3 + 8, o->l3 + 24, PKT_PROTO_ICMP6,
				      o->l3 + 40, o->len - 40), 0xffff);
}

/*
 * 46: the source comes from the rfc6791v6 prefix, with the IPv4 source in
 * the last 32 bits when the prefix leaves room (/96 or shorter), else
 * ctx->self6; with neither, PKT_DROP_XLAT_SRC.
 */
static void
test_icmp46_untranslatable_source_uses_rfc6791v6_then_self6(void **state)
{
	uint8_t q[200];
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint32_t qlen;

	(void)state;
	cfg_eamt_only(&c);
	t_ctx(&x);
	qlen = inner4(q, PKT_PROTO_UDP, 20, 0, 0);

	c.has_rfc6791v6 = 1;
	t_pfx6(&c.rfc6791v6, "2001:db8:ffff::", 96);
	err4(&p, 11, 0, 0, q, qlen, NULL, 0);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_src6(&o, "2001:db8:ffff::cb00:7101");
	{
		uint8_t a[16];

		/* the rest maps through the EAMT */
		t_addr6(a, "2001:db8:6::7");
		assert_memory_equal(o.l3 + 24, a, 16);
		assert_memory_equal(o.l3 + 48 + 8, a, 16);
		t_addr6(a, "2001:db8:2::63");
		assert_memory_equal(o.l3 + 48 + 24, a, 16);
	}

	t_pfx6(&c.rfc6791v6, "2001:db8:ffff:1::", 64);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_src6(&o, "2001:db8:ffff:1::cb00:7101");

	t_pfx6(&c.rfc6791v6, "2001:db8:ffff::1", 128);
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_src6(&o, "2001:db8:ffff::1");

	c.has_rfc6791v6 = 0;
	err4(&p, 12, 0, 9u << 24, q, qlen, NULL, 0);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_src6(&o, T_SELF6);

	x.self6 = NULL;
	err4(&p, 3, 1, 0, q, qlen, NULL, 0);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_XLAT_SRC);
}

/* 46: what is not an error from such a source is dropped. */
static void
test_icmp46_non_error_from_untranslatable_source_is_xlat_src(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP);
	uint8_t l4[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	cfg_eamt_only(&c);
	c.has_rfc6791v6 = 1;
	t_pfx6(&c.rfc6791v6, "2001:db8:ffff::", 96);
	s.src = R4;
	s.dst = H4;
	n = t_icmp(l4, PKT_ICMP4_ECHO, 0, 20, 5);
	t_init(&p);
	t_ip4(&p, &s, l4, n);
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_SRC);
	s.proto = PKT_PROTO_UDP;
	n = t_udp(l4, 20, 5);
	t_init(&p);
	t_ip4(&p, &s, l4, n);
	assert_int_equal(x46(&c, &p, &o), PKT_DROP_XLAT_SRC);
}

/*
 * 64: the source comes from the rfc6791v4 pool, entry picked by
 * ctx->hash, else ctx->self4.
 */
static void
test_icmp64_untranslatable_source_uses_rfc6791v4_pool_then_self4(void **state)
{
	static const uint32_t hashes[] = { 0, 1, 2, 3, 0x301, 0xffffffff };
	struct pkt_pfx4 pool[2];
	uint8_t q[200], a4[4];
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t qlen;

	(void)state;
	cfg(&c);
	pool[0].addr = 0xc0000201;	/* 192.0.2.1/32, host order */
	pool[0].len = 32;
	pool[1].addr = 0xcb007110;	/* 203.0.113.16/28 */
	pool[1].len = 28;
	c.rfc6791v4 = pool;
	c.n_rfc6791v4 = 2;
	qlen = inner6(q, PKT_PROTO_UDP, 20, NULL, 0, 0, 0);
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		uint32_t src;

		t_ctx(&x);
		x.hash = hashes[i];
		err6_from(&p, "2001:db8:ffff::1", 3, 0, 0, q, qlen, NULL, 0);
		assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
		assert_int_equal(unit_sum16(o.l3 + 20, o.len - 20, 0), 0xffff);
		assert_int_equal(unit_sum16(o.l3, 20, 0), 0xffff);
		src = rd32(o.l3 + 12);
		if (hashes[i] % 2 == 0)
			assert_int_equal(src, 0xc0000201);
		else
			assert_int_equal(src & 0xfffffff0, 0xcb007110);
		assert_inner4(o.l3 + 28, qlen - 20, PKT_PROTO_UDP);
	}

	c.n_rfc6791v4 = 0;
	t_ctx(&x);
	err6_from(&p, "2001:db8:ffff::1", 1, 4, 0, q, qlen, NULL, 0);
	assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
	t_addr4(a4, T_SELF4);
	assert_memory_equal(o.l3 + 12, a4, 4);
	assert_outer4(&o, T_SELF4, D4);
}

static void
test_icmp64_non_error_from_untranslatable_source_is_xlat_src(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6);
	static struct pkt_pfx4 pool[1] = { { 0xc0000201, 32 } };
	uint8_t l4[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	cfg(&c);
	c.rfc6791v4 = pool;
	c.n_rfc6791v4 = 1;
	s.src = "2001:db8:ffff::1";
	s.dst = D4_6;
	n = t_icmp(l4, PKT_ICMP6_ECHO, 0, 20, 6);
	t_init(&p);
	t_ip6(&p, &s, l4, n);
	assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_SRC);
	s.proto = PKT_PROTO_TCP;
	n = t_tcp(l4, 20, 6);
	t_init(&p);
	t_ip6(&p, &s, l4, n);
	assert_int_equal(x64(&c, &p, &o), PKT_DROP_XLAT_SRC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp46_every_error_type_and_code_of_section_4_2),
		cmocka_unit_test(test_icmp46_parameter_problem_pointer_figure_3),
		cmocka_unit_test(test_icmp46_fragmentation_needed_mtu_arithmetic),
		cmocka_unit_test(test_icmp46_whole_inner_packet_checksums_verify),
		cmocka_unit_test(test_icmp46_truncated_inner_packet_keeps_claimed_lengths),
		cmocka_unit_test(test_icmp46_inner_shorter_than_ip4_header_is_xlat_icmp_inner),
		cmocka_unit_test(test_icmp46_inner_fragment_gets_fragment_header),
		cmocka_unit_test(test_icmp46_inner_icmp_other_than_echo_is_xlat_icmp_inner),
		cmocka_unit_test(test_icmp46_untranslatable_inner_address_is_xlat_icmp_inner),
		cmocka_unit_test(test_icmp46_error_needs_40_bytes_of_headroom),
		cmocka_unit_test(test_icmp46_translated_error_never_exceeds_1280_bytes),
		cmocka_unit_test(test_icmp46_rfc4884_length_and_extension_are_carried),
		cmocka_unit_test(test_icmp46_parameter_problem_pointer_not_overwritten_by_rfc4884),
		cmocka_unit_test(test_icmp64_every_error_type_and_code_of_section_5_2),
		cmocka_unit_test(test_icmp64_parameter_problem_pointer_figure_6),
		cmocka_unit_test(test_icmp64_packet_too_big_mtu_arithmetic),
		cmocka_unit_test(test_icmp64_whole_inner_packet_checksums_verify),
		cmocka_unit_test(test_icmp64_truncated_inner_packet_keeps_claimed_lengths),
		cmocka_unit_test(test_icmp64_inner_shorter_than_ip6_header_is_xlat_icmp_inner),
		cmocka_unit_test(test_icmp64_inner_fragment_and_extension_headers),
		cmocka_unit_test(test_icmp64_inner_icmp_other_than_echo_is_xlat_icmp_inner),
		cmocka_unit_test(test_icmp64_translated_error_never_exceeds_576_bytes),
		cmocka_unit_test(test_icmp64_rfc4884_length_and_extension_are_carried),
		cmocka_unit_test(test_icmp46_untranslatable_source_uses_rfc6791v6_then_self6),
		cmocka_unit_test(test_icmp46_non_error_from_untranslatable_source_is_xlat_src),
		cmocka_unit_test(test_icmp64_untranslatable_source_uses_rfc6791v4_pool_then_self4),
		cmocka_unit_test(test_icmp64_non_error_from_untranslatable_source_is_xlat_src),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
