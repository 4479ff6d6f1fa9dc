/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/xlat46.c (RFC 7915 section 4): IPv4 TCP, UDP and ICMP echo
 * packets are built in a buffer with headroom, translated in place, and
 * every field of the IPv6 header is checked; the transport checksum must
 * verify when summed from scratch over the IPv6 pseudo-header and payload
 * (reference sum in unit.h). Also: traffic class copy and zeroize_tc,
 * IPv4 options, fragments (a fragment header carries their identity, RFC
 * 7915 section 4.1), UDP checksum zero (section 4.5, amend_udp_csum0),
 * and each drop reason (source route options, truncated transport
 * headers, untranslatable ICMP types, fragmented ICMP, headroom), where
 * the buffer must be left exactly as it was.
 */
#include "unit.h"

#include <stdio.h>

#include "xlat.h"

#include "build.h"

static enum pkt_drop
run46(const struct xlat_cfg *c, struct tpkt *p, uint32_t headroom,
      struct xlat_out *o)
{
	struct xlat_ctx x;

	t_ctx(&x);
	x.headroom = headroom;
	return t_run46(c, &x, p, o);
}

/* A dropped packet is not touched. */
static void
assert_drop46(const struct xlat_cfg *c, struct tpkt *p, uint32_t headroom,
	      enum pkt_drop want)
{
	static uint8_t before[sizeof(((struct tpkt *)0)->mem)];
	struct xlat_out o;

	memcpy(before, p->mem, sizeof(before));
	assert_int_equal(run46(c, p, headroom, &o), want);
	assert_memory_equal(before, p->mem, sizeof(before));
}

/* The IPv6 header written at o->l3 for a translated 't_ip4'. */
static void
assert_ip6_header(const struct xlat_out *o, uint8_t tc, uint32_t l4_len,
		  uint8_t nh, uint8_t hlim, const char *src, const char *dst)
{
	const uint8_t *h = o->l3;
	uint8_t a[16];

	assert_int_equal(o->len, PKT_IP6_HLEN + l4_len);
	assert_int_equal(h[0] >> 4, 6);
	assert_int_equal((h[0] & 0x0f) << 4 | h[1] >> 4, tc);
	/* RFC 7915 section 4.1: flow label zero */
	assert_int_equal(h[1] & 0x0f, 0);
	assert_int_equal(h[2], 0);
	assert_int_equal(h[3], 0);
	assert_int_equal(unit_rd16(h + 4), l4_len);
	assert_int_equal(h[6], nh);
	assert_int_equal(h[7], hlim);
	t_addr6(a, src);
	assert_memory_equal(h + 8, a, 16);
	t_addr6(a, dst);
	assert_memory_equal(h + 24, a, 16);
}

/* Everything after the checksum field (and type) is the same bytes. */
static void
assert_l4_same_but_csum(const uint8_t *got, const uint8_t *orig,
			uint32_t len, int csum_off)
{
	assert_memory_equal(got + csum_off + 2, orig + csum_off + 2,
			    len - csum_off - 2);
	if (csum_off > 2)
		assert_memory_equal(got, orig, csum_off);
}

static void
test_xlat46_tcp_fills_every_ip6_field(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[600], orig[600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_tcp(l4, 333, 1);
	s.tos = 0xb8;		/* EF */
	s.ttl = 17;
	s.id = 0xabcd;
	s.frag = PKT_IP4_DF;
	t_ip4(&p, &s, l4, n);
	memcpy(orig, p.l3 + 20, n);

	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	/* the IPv6 header ends where the IPv4 one ended */
	assert_ptr_equal(o.l3, p.l3 + 20 - 40);
	assert_ip6_header(&o, 0xb8, n, PKT_PROTO_TCP, 17, T_HOST4_6,
			  T_REMOTE4_6);
	assert_l4_same_but_csum(o.l3 + 40, orig, n, 16);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_TCP, n);
}

/* The caller decrements the TTL; the translator copies it, even 1. */
static void
test_xlat46_ttl_is_copied_not_decremented(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 10, 2);
	s.ttl = 1;
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_int_equal(o.l3[7], 1);
}

/* Where RFC 6052 puts the four IPv4 bytes for each prefix length. */
static const struct {
	unsigned int len;
	uint8_t pos[4];
} v4pos[] = {
	{ 32, { 4, 5, 6, 7 } }, { 40, { 5, 6, 7, 9 } },
	{ 48, { 6, 7, 9, 10 } }, { 56, { 7, 9, 10, 11 } },
	{ 64, { 9, 10, 11, 12 } }, { 96, { 12, 13, 14, 15 } },
};

static void
ref_embed(const struct pkt_pfx6 *p, unsigned int k, const uint8_t *v4,
	  uint8_t *out)
{
	unsigned int i;

	memset(out, 0, 16);
	memcpy(out, p->addr, p->len / 8);
	for (i = 0; i < 4; i++)
		out[v4pos[k].pos[i]] = v4[i];
}

/*
 * A plain SIIT (one pool6 for both sides) under every RFC 6052 length,
 * random addresses, TOS, payload sizes (odd ones too) and protocols.
 */
static void
test_xlat46_checksums_verify_for_every_prefix_length(void **state)
{
	static const uint8_t protos[] = { PKT_PROTO_TCP, PKT_PROTO_UDP,
					  PKT_PROTO_ICMP };
	uint32_t seed = 46;
	unsigned int k, it;

	(void)state;
	for (k = 0; k < sizeof(v4pos) / sizeof(v4pos[0]); k++) {
		for (it = 0; it < 100; it++) {
			uint8_t proto = protos[it % 3], l4[1500], orig[1500];
			uint8_t want_src[16], want_dst[16], a4[8];
			char src[16], dst[16];
			struct t_ip4 s = t_ip4_default(proto);
			struct xlat_cfg c;
			struct xlat_out o;
			struct tpkt p;
			uint32_t n, data = unit_rand(&seed) % 1400;

			xlat_cfg_init(&c);
			c.has_pool6 = 1;
			c.amend_udp_csum0 = 1;
			unit_rand_fill(&seed, c.pool6.addr, v4pos[k].len / 8);
			c.pool6.addr[0] |= 0x20;	/* never 64:ff9b:: */
			c.pool6.len = (uint8_t)v4pos[k].len;
			unit_rand_fill(&seed, a4, 8);
			a4[0] = (uint8_t)(1 + a4[0] % 223);
			a4[4] = (uint8_t)(1 + a4[4] % 223);
			snprintf(src, sizeof(src), "%u.%u.%u.%u", a4[0],
				 a4[1], a4[2], a4[3]);
			snprintf(dst, sizeof(dst), "%u.%u.%u.%u", a4[4],
				 a4[5], a4[6], a4[7]);
			s.src = src;
			s.dst = dst;
			s.tos = (uint8_t)unit_rand(&seed);
			s.udp_csum0 = it % 7 == 0;
			t_init(&p);
			if (proto == PKT_PROTO_TCP)
				n = t_tcp(l4, data, seed);
			else if (proto == PKT_PROTO_UDP)
				n = t_udp(l4, data, seed);
			else
				n = t_icmp(l4, it & 1 ? PKT_ICMP4_ECHO :
					   PKT_ICMP4_ECHO_REPLY, 0, data,
					   seed);
			t_ip4(&p, &s, l4, n);
			memcpy(orig, p.l3 + 20, n);

			assert_int_equal(run46(&c, &p, T_HEADROOM, &o),
					 PKT_DROP_NONE);
			ref_embed(&c.pool6, k, a4, want_src);
			ref_embed(&c.pool6, k, a4 + 4, want_dst);
			assert_memory_equal(o.l3 + 8, want_src, 16);
			assert_memory_equal(o.l3 + 24, want_dst, 16);
			assert_int_equal(o.l3[6], proto == PKT_PROTO_ICMP ?
					 PKT_PROTO_ICMP6 : proto);
			assert_int_equal((o.l3[0] & 0x0f) << 4 | o.l3[1] >> 4,
					 s.tos);
			t_assert_l4_csum6(o.l3, o.l3 + 40, o.l3[6], n);
			assert_l4_same_but_csum(o.l3 + 40, orig, n,
						t_csum_off(proto));
		}
	}
}

static void
test_xlat46_udp_checksum_adjusted(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[200], orig[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 101, 3);
	t_ip4(&p, &s, l4, n);
	memcpy(orig, p.l3 + 20, n);
	assert_int_not_equal(unit_rd16(orig + 6), 0);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ip6_header(&o, 0, n, PKT_PROTO_UDP, 63, T_HOST4_6, T_REMOTE4_6);
	assert_l4_same_but_csum(o.l3 + 40, orig, n, 6);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, n);
}

/*
 * RFC 7915 section 4.5: IPv6 needs a UDP checksum, so with
 * amend_udp_csum0 a whole datagram has it computed.
 */
static void
test_xlat46_udp_zero_checksum_is_computed_when_amending(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 2, 77, 1000 };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[1100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	c.amend_udp_csum0 = 1;
	s.udp_csum0 = 1;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		t_init(&p);
		n = t_udp(l4, sizes[i], 4 + i);
		t_ip4(&p, &s, l4, n);
		assert_int_equal(unit_rd16(p.l3 + 20 + 6), 0);
		assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
		t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, n);
	}
}

/* Section 4.5: without amend_udp_csum0 the datagram is dropped. */
static void
test_xlat46_udp_zero_checksum_is_xlat_udp_csum0_by_default(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[200];
	struct xlat_cfg c;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 40, 4);
	s.udp_csum0 = 1;
	t_ip4(&p, &s, l4, n);
	assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_XLAT_UDP_CSUM0);
}

/*
 * Choose the last two payload bytes so that the IPv6 UDP checksum comes
 * out as zero: IPv6 must carry it as 0xffff (RFC 8200 section 8.1, RFC
 * 768), since zero means "no checksum", which IPv6 does not allow.
 */
static uint32_t
udp_summing_to_zero6(uint8_t *l4, uint32_t data_len, const char *src6,
		     const char *dst6)
{
	uint8_t s6[16], d6[16];
	uint32_t n = t_udp(l4, data_len, 5);
	uint16_t sum;

	t_addr6(s6, src6);
	t_addr6(d6, dst6);
	unit_wr16(l4 + n - 2, 0);
	sum = unit_l4_sum6(s6, d6, PKT_PROTO_UDP, l4, n);
	unit_wr16(l4 + n - 2, (uint16_t)(0xffff - sum));
	assert_int_equal(unit_l4_sum6(s6, d6, PKT_PROTO_UDP, l4, n), 0xffff);
	return n;
}

static void
test_xlat46_udp_checksum_that_becomes_zero_is_sent_as_ffff(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = udp_summing_to_zero6(l4, 50, T_HOST4_6, T_REMOTE4_6);
	t_ip4(&p, &s, l4, n);
	assert_int_not_equal(unit_rd16(p.l3 + 20 + 6), 0);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_int_equal(unit_rd16(o.l3 + 40 + 6), 0xffff);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, n);
}

/* The same datagram with a zero IPv4 checksum: computed, then 0xffff. */
static void
test_xlat46_udp_zero_checksum_computed_as_zero_is_sent_as_ffff(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = udp_summing_to_zero6(l4, 50, T_HOST4_6, T_REMOTE4_6);
	c.amend_udp_csum0 = 1;
	s.udp_csum0 = 1;
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_int_equal(unit_rd16(o.l3 + 40 + 6), 0xffff);
}

static void
check_icmp_echo46(uint8_t type4, uint8_t type6)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP);
	uint8_t l4[100], orig[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	t_cfg_clat(&c);
	t_init(&p);
	n = t_icmp(l4, type4, 0, 56, 6);
	t_ip4(&p, &s, l4, n);
	memcpy(orig, p.l3 + 20, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ip6_header(&o, 0, n, PKT_PROTO_ICMP6, 63, T_HOST4_6,
			  T_REMOTE4_6);
	assert_int_equal(o.l3[40], type6);
	assert_int_equal(o.l3[41], 0);
	/* id, sequence and data are the same bytes */
	assert_memory_equal(o.l3 + 44, orig + 4, n - 4);
	/* ICMPv6 sums a pseudo-header (RFC 4443 section 2.3) */
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_ICMP6, n);
}

static void
test_xlat46_icmp_echo_request_becomes_icmp6_128(void **state)
{
	(void)state;
	check_icmp_echo46(PKT_ICMP4_ECHO, PKT_ICMP6_ECHO);
}

static void
test_xlat46_icmp_echo_reply_becomes_icmp6_129(void **state)
{
	(void)state;
	check_icmp_echo46(PKT_ICMP4_ECHO_REPLY, PKT_ICMP6_ECHO_REPLY);
}

/* Section 4.1: options (other than source routes) are not carried. */
static void
test_xlat46_ip4_options_are_left_behind(void **state)
{
	static const uint8_t ra[4] = { 148, 4, 0, 0 };	/* router alert */
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[64], orig[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 20, 7);
	s.opt = ra;
	s.opt_len = sizeof(ra);
	t_ip4(&p, &s, l4, n);
	memcpy(orig, p.l3 + 24, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 + 24 - 40);
	assert_ip6_header(&o, 0, n, PKT_PROTO_UDP, 63, T_HOST4_6, T_REMOTE4_6);
	assert_l4_same_but_csum(o.l3 + 40, orig, n, 6);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, n);

	/* record route is no source route */
	t_init(&p);
	s.opt = rr;
	s.opt_len = sizeof(rr);
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 + 28 - 40);
}

static void
test_xlat46_traffic_class_copies_tos(void **state)
{
	static const uint8_t tos[] = { 0x00, 0x01, 0x10, 0x2e << 2 | 1, 0xff };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(tos); i++) {
		t_init(&p);
		n = t_udp(l4, 8, 8);
		s.tos = tos[i];
		t_ip4(&p, &s, l4, n);
		assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
		assert_ip6_header(&o, tos[i], n, PKT_PROTO_UDP, 63, T_HOST4_6,
				  T_REMOTE4_6);
	}
}

static void
test_xlat46_zeroize_tc_sets_traffic_class_zero(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	c.zeroize_tc = 1;
	t_init(&p);
	n = t_tcp(l4, 8, 9);
	s.tos = 0xb9;
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ip6_header(&o, 0, n, PKT_PROTO_TCP, 63, T_HOST4_6, T_REMOTE4_6);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_TCP, n);
}

/* override_tos is the IPv6 -> IPv4 knob (RFC 7915 section 5.1). */
static void
test_xlat46_tos_override_does_not_touch_traffic_class(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	c.tos_override_on = 1;
	c.tos_override = 0x20;
	t_init(&p);
	n = t_tcp(l4, 8, 10);
	s.tos = 0x48;
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ip6_header(&o, 0x48, n, PKT_PROTO_TCP, 63, T_HOST4_6,
			  T_REMOTE4_6);
}

/* Section 4.1: a protocol other than ICMP keeps its number, untouched. */
static void
test_xlat46_other_protocol_keeps_number_and_bytes(void **state)
{
	struct t_ip4 s = t_ip4_default(47);	/* GRE */
	uint8_t l4[64], orig[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t seed = 11;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	unit_rand_fill(&seed, l4, 40);
	memcpy(orig, l4, 40);
	t_ip4(&p, &s, l4, 40);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_ip6_header(&o, 0, 40, 47, 63, T_HOST4_6, T_REMOTE4_6);
	assert_memory_equal(o.l3 + 40, orig, 40);
}

/*
 * RFC 7915 section 4.1: a fragment is translated with a fragment header
 * whose Identification holds the IPv4 one in its low 16 bits (high 16
 * zero) and whose offset and M flag are copied. A first fragment's
 * transport checksum is adjusted by the pseudo-header difference, so that
 * it verifies over the whole reassembled datagram; later fragments carry
 * no transport header and keep their bytes.
 */
static void
test_xlat46_fragment_gets_fragment_header(void **state)
{
	static const struct {
		uint16_t frag;	/* flags and offset in 8-byte units */
		uint32_t bytes;	/* of the datagram in this fragment */
	} cases[] = {
		{ PKT_IP4_MF, 64 },			/* first */
		{ PKT_IP4_MF | 8, 64 },			/* middle */
		{ 16, 40 },				/* last */
		{ PKT_IP4_DF | PKT_IP4_MF, 64 },	/* DF too */
		{ PKT_IP4_MF | 0x1fff, 8 },		/* largest offset */
	};
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[300], frag[300], s4[4], d4[4], s6[16], d6[16], whole[300];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_addr4(s4, T_HOST4);
	t_addr4(d4, T_REMOTE4);
	t_addr6(s6, T_HOST4_6);
	t_addr6(d6, T_REMOTE4_6);
	/* the whole datagram: 8 + 160 bytes, checksum over all of it */
	n = t_udp(l4, 160, 99);
	unit_wr16(l4 + 6, (uint16_t)~unit_l4_sum4(s4, d4, PKT_PROTO_UDP, l4,
						   n));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t off = (cases[i].frag & PKT_IP4_OFFMASK) * 8u;
		uint32_t len = cases[i].bytes;
		const uint8_t *h, *f;

		if (off + len > n)
			off = n - len;	/* the largest offset: any bytes */
		memcpy(frag, l4 + off, len);
		t_init(&p);
		s.id = 0xabcd;
		s.frag = cases[i].frag;
		s.proto = 253;	/* no checksum written by t_ip4 ... */
		t_ip4(&p, &s, frag, len);
		p.l3[9] = PKT_PROTO_UDP;	/* ... then it is UDP again */
		unit_wr16(p.l3 + 10, 0);
		unit_wr16(p.l3 + 10, unit_csum(p.l3, 20));
		p.proto = PKT_PROTO_UDP;

		assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
		assert_ptr_equal(o.l3, p.l3 + 20 - 48);
		assert_int_equal(o.len, 48 + len);
		h = o.l3;
		f = h + 40;
		assert_int_equal(h[0] >> 4, 6);
		assert_int_equal(unit_rd16(h + 4), 8 + len);
		assert_int_equal(h[6], PKT_PROTO_FRAGMENT);
		assert_int_equal(h[7], 63);
		assert_memory_equal(h + 8, s6, 16);
		assert_memory_equal(h + 24, d6, 16);
		assert_int_equal(f[0], PKT_PROTO_UDP);
		assert_int_equal(f[1], 0);
		assert_int_equal(unit_rd16(f + 2),
				 (cases[i].frag & PKT_IP4_OFFMASK) << 3 |
				 ((cases[i].frag & PKT_IP4_MF) ? 1 : 0));
		assert_int_equal(f[4], 0);
		assert_int_equal(f[5], 0);
		assert_int_equal(unit_rd16(f + 6), 0xabcd);
		if (off == 0 && (cases[i].frag & PKT_IP4_OFFMASK) == 0) {
			/* reassemble: the translated first fragment and the
			 * rest of the datagram sum right over IPv6 */
			memcpy(whole, l4, n);
			memcpy(whole, f + 8, len);
			assert_int_equal(unit_l4_sum6(s6, d6, PKT_PROTO_UDP,
						      whole, n), 0xffff);
			assert_memory_equal(f + 8 + 8, l4 + 8, len - 8);
		} else {
			assert_memory_equal(f + 8, l4 + off, len);
		}
	}
}

/* The same for TCP, whose checksum is always there. */
static void
test_xlat46_tcp_first_fragment_checksum_covers_the_datagram(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[600], whole[600], s4[4], d4[4], s6[16], d6[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_addr4(s4, T_HOST4);
	t_addr4(d4, T_REMOTE4);
	t_addr6(s6, T_HOST4_6);
	t_addr6(d6, T_REMOTE4_6);
	n = t_tcp(l4, 501, 98);
	unit_wr16(l4 + 16, (uint16_t)~unit_l4_sum4(s4, d4, PKT_PROTO_TCP, l4,
						    n));
	t_init(&p);
	s.proto = 253;
	s.frag = PKT_IP4_MF;
	s.id = 0x0102;
	t_ip4(&p, &s, l4, 200);
	p.l3[9] = PKT_PROTO_TCP;
	unit_wr16(p.l3 + 10, 0);
	unit_wr16(p.l3 + 10, unit_csum(p.l3, 20));
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_int_equal(o.l3[6], PKT_PROTO_FRAGMENT);
	assert_int_equal(o.l3[40], PKT_PROTO_TCP);
	memcpy(whole, l4, n);
	memcpy(whole, o.l3 + 48, 200);
	assert_int_equal(unit_l4_sum6(s6, d6, PKT_PROTO_TCP, whole, n),
			 0xffff);
}

/*
 * A first fragment with UDP checksum zero cannot have it computed (the
 * rest of the datagram is elsewhere): dropped even when amending
 * (section 4.5). A later fragment has no UDP header and goes through.
 */
static void
test_xlat46_udp_zero_checksum_in_first_fragment_is_xlat_udp_csum0(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[200];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	c.amend_udp_csum0 = 1;
	t_init(&p);
	n = t_udp(l4, 56, 97);
	s.udp_csum0 = 1;
	s.frag = PKT_IP4_MF;
	t_ip4(&p, &s, l4, n);
	assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_XLAT_UDP_CSUM0);

	t_init(&p);
	s.frag = 8;		/* last fragment, offset 64 */
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
	assert_int_equal(o.l3[6], PKT_PROTO_FRAGMENT);
}

/*
 * ICMP split in fragments cannot be translated (the ICMPv6 checksum
 * covers a pseudo-header with the length of the whole message):
 * PKT_DROP_XLAT_FRAGMENT, buffer untouched.
 */
static void
test_xlat46_fragmented_icmp_is_xlat_fragment(void **state)
{
	static const uint16_t frags[] = { PKT_IP4_MF, PKT_IP4_MF | 100, 100 };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		t_init(&p);
		n = t_icmp(l4, PKT_ICMP4_ECHO, 0, 16, 12);
		s.frag = frags[i];
		t_ip4(&p, &s, l4, n);
		assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_XLAT_FRAGMENT);
	}
}

/* A fragment needs 20 + 8 bytes more in front. */
static void
test_xlat46_fragment_needs_28_bytes_of_headroom(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 16, 96);
	s.frag = PKT_IP4_MF;
	t_ip4(&p, &s, l4, n);
	assert_drop46(&c, &p, 27, PKT_DROP_XLAT_HEADROOM);
	assert_int_equal(run46(&c, &p, 28, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 - 28);
}

static void
test_xlat46_source_route_option_is_xlat_ip4_options(void **state)
{
	static const uint8_t lsrr[8] = { 131, 7, 4, 10, 0, 0, 1, 0 };
	static const uint8_t ssrr[8] = { 137, 7, 4, 10, 0, 0, 1, 0 };
	static const uint8_t nop_lsrr[12] = { 1, 1, 1, 131, 7, 4, 10, 0, 0,
					      1, 0, 0 };
	static const uint8_t rr_lsrr[12] = { 7, 3, 4, 131, 7, 4, 10, 0, 0,
					     1, 0, 0 };
	static const struct {
		const uint8_t *opt;
		unsigned int len;
	} cases[] = {
		{ lsrr, sizeof(lsrr) }, { ssrr, sizeof(ssrr) },
		{ nop_lsrr, sizeof(nop_lsrr) }, { rr_lsrr, sizeof(rr_lsrr) },
	};
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t_init(&p);
		n = t_tcp(l4, 4, 13);
		s.opt = cases[i].opt;
		s.opt_len = cases[i].len;
		t_ip4(&p, &s, l4, n);
		assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_XLAT_IP4_OPTIONS);
	}
}

/* After End of Option List the bytes are padding, not an option. */
static void
test_xlat46_source_route_after_eol_is_ignored(void **state)
{
	static const uint8_t eol_lsrr[8] = { 0, 131, 7, 4, 10, 0, 0, 1 };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_tcp(l4, 4, 14);
	s.opt = eol_lsrr;
	s.opt_len = sizeof(eol_lsrr);
	t_ip4(&p, &s, l4, n);
	assert_int_equal(run46(&c, &p, T_HEADROOM, &o), PKT_DROP_NONE);
}

static void
test_xlat46_truncated_l4_is_l4_trunc(void **state)
{
	static const struct {
		uint8_t proto;
		uint32_t len;
	} cases[] = {
		{ PKT_PROTO_TCP, 17 }, { PKT_PROTO_TCP, 0 },
		{ PKT_PROTO_UDP, 7 }, { PKT_PROTO_UDP, 0 },
		{ PKT_PROTO_ICMP, 7 }, { PKT_PROTO_ICMP, 1 },
	};
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint8_t l4[64];
	uint32_t seed = 15;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_ip4 s = t_ip4_default(cases[i].proto);

		t_init(&p);
		unit_rand_fill(&seed, l4, sizeof(l4));
		l4[0] = PKT_ICMP4_ECHO;
		t_ip4(&p, &s, l4, cases[i].len);
		assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_L4_TRUNC);
	}
}

/*
 * A TCP header is at least 20 bytes (RFC 9293 section 3.1): 18 or 19
 * bytes hold the checksum field but are no TCP segment. The earlier
 * translator dropped them as PKT_DROP_L4_TRUNC, as it does UDP under 8.
 */
static void
test_xlat46_tcp_shorter_than_20_bytes_is_l4_trunc(void **state)
{
	static const uint32_t lens[] = { 18, 19 };
	uint32_t seed = 151;
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint8_t l4[64];

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);

		t_init(&p);
		unit_rand_fill(&seed, l4, sizeof(l4));
		t_ip4(&p, &s, l4, lens[i]);
		assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_L4_TRUNC);
	}
}

/* Section 4.2: these ICMPv4 types have no ICMPv6 twin and are dropped. */
static void
test_xlat46_icmp_without_translation_is_xlat_icmp_type(void **state)
{
	static const uint8_t types[] = {
		4,	/* source quench */
		5,	/* redirect */
		6,	/* alternate host address */
		9,	/* router advertisement */
		10,	/* router solicitation */
		13, 14,	/* timestamp, timestamp reply */
		15, 16,	/* information request/reply */
		17, 18,	/* address mask request/reply */
		30,	/* traceroute */
		42, 43,	/* extended echo (RFC 8335) */
		255,
	};
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP);
	struct xlat_cfg c;
	struct tpkt p;
	uint8_t l4[64];
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(types); i++) {
		t_init(&p);
		n = t_icmp(l4, types[i], 0, 12, 16);
		t_ip4(&p, &s, l4, n);
		assert_drop46(&c, &p, T_HEADROOM, PKT_DROP_XLAT_ICMP_TYPE);
	}
}

/* The IPv6 header is 20 bytes longer: that much headroom is needed. */
static void
test_xlat46_headroom_too_small_is_xlat_headroom(void **state)
{
	static const uint8_t ra[4] = { 148, 4, 0, 0 };
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 8, 17);
	t_ip4(&p, &s, l4, n);
	assert_drop46(&c, &p, 0, PKT_DROP_XLAT_HEADROOM);
	assert_drop46(&c, &p, 19, PKT_DROP_XLAT_HEADROOM);
	assert_int_equal(run46(&c, &p, 20, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 - 20);

	/* a 24-byte header needs only 16 */
	t_init(&p);
	s.opt = ra;
	s.opt_len = sizeof(ra);
	t_ip4(&p, &s, l4, n);
	assert_drop46(&c, &p, 15, PKT_DROP_XLAT_HEADROOM);
	assert_int_equal(run46(&c, &p, 16, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 - 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlat46_tcp_fills_every_ip6_field),
		cmocka_unit_test(test_xlat46_ttl_is_copied_not_decremented),
		cmocka_unit_test(test_xlat46_checksums_verify_for_every_prefix_length),
		cmocka_unit_test(test_xlat46_udp_checksum_adjusted),
		cmocka_unit_test(test_xlat46_udp_zero_checksum_is_computed_when_amending),
		cmocka_unit_test(test_xlat46_udp_zero_checksum_is_xlat_udp_csum0_by_default),
		cmocka_unit_test(test_xlat46_udp_checksum_that_becomes_zero_is_sent_as_ffff),
		cmocka_unit_test(test_xlat46_udp_zero_checksum_computed_as_zero_is_sent_as_ffff),
		cmocka_unit_test(test_xlat46_icmp_echo_request_becomes_icmp6_128),
		cmocka_unit_test(test_xlat46_icmp_echo_reply_becomes_icmp6_129),
		cmocka_unit_test(test_xlat46_ip4_options_are_left_behind),
		cmocka_unit_test(test_xlat46_traffic_class_copies_tos),
		cmocka_unit_test(test_xlat46_zeroize_tc_sets_traffic_class_zero),
		cmocka_unit_test(test_xlat46_tos_override_does_not_touch_traffic_class),
		cmocka_unit_test(test_xlat46_other_protocol_keeps_number_and_bytes),
		cmocka_unit_test(test_xlat46_fragment_gets_fragment_header),
		cmocka_unit_test(test_xlat46_tcp_first_fragment_checksum_covers_the_datagram),
		cmocka_unit_test(test_xlat46_udp_zero_checksum_in_first_fragment_is_xlat_udp_csum0),
		cmocka_unit_test(test_xlat46_fragmented_icmp_is_xlat_fragment),
		cmocka_unit_test(test_xlat46_fragment_needs_28_bytes_of_headroom),
		cmocka_unit_test(test_xlat46_source_route_option_is_xlat_ip4_options),
		cmocka_unit_test(test_xlat46_source_route_after_eol_is_ignored),
		cmocka_unit_test(test_xlat46_truncated_l4_is_l4_trunc),
		cmocka_unit_test(test_xlat46_tcp_shorter_than_20_bytes_is_l4_trunc),
		cmocka_unit_test(test_xlat46_icmp_without_translation_is_xlat_icmp_type),
		cmocka_unit_test(test_xlat46_headroom_too_small_is_xlat_headroom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
