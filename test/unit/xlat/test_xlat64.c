/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/xlat64.c (RFC 7915 section 5): IPv6 TCP, UDP and ICMPv6 echo
 * packets, with and without extension headers, are translated in place and
 * every field of the IPv4 header is checked, with the header and transport
 * checksums verified from scratch. Fragments become IPv4 fragments (RFC
 * 7915 section 5.1.1). Drop reasons: fragmented ICMPv6, addresses outside
 * the prefixes, zero UDP checksum, truncated transport headers, ICMPv6
 * types without translation. Then round trips: 46 then 64 gives back the
 * IPv4 packet byte for byte, except the fields RFC 7915 leaves free
 * (identification; DF is set only above 1260 bytes), fragments included,
 * and 64 then 46 gives back the IPv6 packet except its flow label.
 */
#include "unit.h"

#include "xlat.h"

#include "build.h"

static enum pkt_drop
run64(const struct xlat_cfg *c, struct tpkt *p, struct xlat_out *o)
{
	struct xlat_ctx x;

	t_ctx(&x);
	return t_run64(c, &x, p, o);
}

static void
assert_drop64(const struct xlat_cfg *c, struct tpkt *p, enum pkt_drop want)
{
	static uint8_t before[sizeof(((struct tpkt *)0)->mem)];
	struct xlat_out o;

	memcpy(before, p->mem, sizeof(before));
	assert_int_equal(run64(c, p, &o), want);
	assert_memory_equal(before, p->mem, sizeof(before));
}

static void
assert_ip4_header(const struct xlat_out *o, uint8_t tos, uint32_t l4_len,
		  uint8_t proto, uint8_t ttl, const char *src, const char *dst)
{
	const uint8_t *h = o->l3;
	uint32_t tot = PKT_IP4_HLEN + l4_len;
	uint8_t a[4];

	assert_int_equal(o->len, tot);
	assert_int_equal(h[0], 0x45);
	assert_int_equal(h[1], tos);
	assert_int_equal(unit_rd16(h + 2), tot);
	/* identification is the translator's choice: ctx->ip4_id */
	assert_int_equal(unit_rd16(h + 4), 0x4242);
	/* section 5.1: MF 0, offset 0, DF only above 1260 bytes */
	assert_int_equal(unit_rd16(h + 6), tot > 1260 ? PKT_IP4_DF : 0);
	assert_int_equal(h[8], ttl);
	assert_int_equal(h[9], proto);
	assert_int_equal(unit_sum16(h, 20, 0), 0xffff);
	t_addr4(a, src);
	assert_memory_equal(h + 12, a, 4);
	t_addr4(a, dst);
	assert_memory_equal(h + 16, a, 4);
}

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
test_xlat64_tcp_fills_every_ip4_field(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);
	uint8_t l4[600], orig[600];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_tcp(l4, 301, 21);
	s.tc = 0xb8;
	s.flow = 0x12345;
	s.hlim = 17;
	t_ip6(&p, &s, l4, n);
	memcpy(orig, p.l3 + 40, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	/* the IPv4 header ends where the IPv6 one ended */
	assert_ptr_equal(o.l3, p.l3 + 40 - 20);
	assert_ip4_header(&o, 0xb8, n, PKT_PROTO_TCP, 17, T_REMOTE4, T_HOST4);
	assert_l4_same_but_csum(o.l3 + 20, orig, n, 16);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_TCP, n);
}

static void
test_xlat64_udp_checksum_adjusted(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 33, 1000 };
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[1100], orig[1100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		t_init(&p);
		n = t_udp(l4, sizes[i], 22 + i);
		t_ip6(&p, &s, l4, n);
		memcpy(orig, p.l3 + 40, n);
		assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
		assert_ip4_header(&o, 0, n, PKT_PROTO_UDP, 63, T_REMOTE4,
				  T_HOST4);
		assert_l4_same_but_csum(o.l3 + 20, orig, n, 6);
		t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_UDP, n);
	}
}

/* A UDP checksum that comes out zero in IPv4 is sent as 0xffff. */
static void
test_xlat64_udp_checksum_that_becomes_zero_is_sent_as_ffff(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[100], s4[4], d4[4];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint16_t sum;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 40, 23);
	t_addr4(s4, T_REMOTE4);
	t_addr4(d4, T_HOST4);
	unit_wr16(l4 + n - 2, 0);
	sum = unit_l4_sum4(s4, d4, PKT_PROTO_UDP, l4, n);
	unit_wr16(l4 + n - 2, (uint16_t)(0xffff - sum));
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(unit_rd16(o.l3 + 20 + 6), 0xffff);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_UDP, n);
}

static void
check_icmp_echo64(uint8_t type6, uint8_t type4)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6);
	uint8_t l4[100], orig[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	t_cfg_clat(&c);
	t_init(&p);
	n = t_icmp(l4, type6, 0, 57, 24);
	t_ip6(&p, &s, l4, n);
	memcpy(orig, p.l3 + 40, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_ip4_header(&o, 0, n, PKT_PROTO_ICMP, 63, T_REMOTE4, T_HOST4);
	assert_int_equal(o.l3[20], type4);
	assert_int_equal(o.l3[21], 0);
	assert_memory_equal(o.l3 + 24, orig + 4, n - 4);
	/* ICMPv4 has no pseudo-header */
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_ICMP, n);
}

static void
test_xlat64_icmp6_echo_request_becomes_icmp_8(void **state)
{
	(void)state;
	check_icmp_echo64(PKT_ICMP6_ECHO, PKT_ICMP4_ECHO);
}

static void
test_xlat64_icmp6_echo_reply_becomes_icmp_0(void **state)
{
	(void)state;
	check_icmp_echo64(PKT_ICMP6_ECHO_REPLY, PKT_ICMP4_ECHO_REPLY);
}

/* Section 5.1: DF is set only when the IPv4 packet exceeds 1260 bytes. */
static void
test_xlat64_df_set_only_above_1260_bytes(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[1400];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 1260 - 20 - 8, 25);
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(o.len, 1260);
	assert_int_equal(unit_rd16(o.l3 + 6), 0);

	t_init(&p);
	n = t_udp(l4, 1261 - 20 - 8, 25);
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(o.len, 1261);
	assert_int_equal(unit_rd16(o.l3 + 6), PKT_IP4_DF);
	assert_ip4_header(&o, 0, n, PKT_PROTO_UDP, 63, T_REMOTE4, T_HOST4);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_UDP, n);
}

/* Extension headers are consumed; the payload stays where it was. */
static void
test_xlat64_extension_headers_are_left_behind(void **state)
{
	static const uint8_t ext[24] = {
		/* hop-by-hop, 8 bytes: PadN */
		PKT_PROTO_DSTOPTS, 0, 1, 4, 0, 0, 0, 0,
		/* destination options, 16 bytes: PadN */
		PKT_PROTO_UDP, 1, 1, 12, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[100], orig[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 30, 26);
	s.ext = ext;
	s.ext_len = sizeof(ext);
	s.first_nh = PKT_PROTO_HOPOPTS;
	t_ip6(&p, &s, l4, n);
	memcpy(orig, p.l3 + 64, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_ptr_equal(o.l3, p.l3 + 64 - 20);
	assert_ip4_header(&o, 0, n, PKT_PROTO_UDP, 63, T_REMOTE4, T_HOST4);
	assert_l4_same_but_csum(o.l3 + 20, orig, n, 6);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_UDP, n);
}

/* A routing header with nothing left to visit is ignored (section 5.1). */
static void
test_xlat64_routing_header_segments_left_0_is_translated(void **state)
{
	static const uint8_t rh[8] = { PKT_PROTO_TCP, 0, 253, 0, 0, 0, 0, 0 };
	struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);
	uint8_t l4[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_tcp(l4, 10, 27);
	s.ext = rh;
	s.ext_len = sizeof(rh);
	s.first_nh = PKT_PROTO_ROUTING;
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_ip4_header(&o, 0, n, PKT_PROTO_TCP, 63, T_REMOTE4, T_HOST4);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_TCP, n);
}

/*
 * Section 5.1: "If a Routing header with a non-zero Segments Left field
 * is present, then the packet MUST NOT be translated" (and a parameter
 * problem SHOULD go back). Which drop reason is the library's call; it
 * must not be translated.
 */
static void
test_xlat64_routing_header_segments_left_is_not_translated(void **state)
{
	static const uint8_t rh[24] = { PKT_PROTO_TCP, 2, 0, 1, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);
	uint8_t l4[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_tcp(l4, 10, 28);
	s.ext = rh;
	s.ext_len = sizeof(rh);
	s.first_nh = PKT_PROTO_ROUTING;
	t_ip6(&p, &s, l4, n);
	assert_int_not_equal(run64(&c, &p, &o), PKT_DROP_NONE);
}

static void
test_xlat64_traffic_class_copied_flow_label_ignored(void **state)
{
	static const uint8_t tcs[] = { 0x00, 0x01, 0x10, 0xb9, 0xff };
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(tcs); i++) {
		t_init(&p);
		n = t_udp(l4, 8, 29);
		s.tc = tcs[i];
		s.flow = 0xfffff;
		t_ip6(&p, &s, l4, n);
		assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
		assert_ip4_header(&o, tcs[i], n, PKT_PROTO_UDP, 63, T_REMOTE4,
				  T_HOST4);
	}
}

static void
test_xlat64_tos_override_sets_tos(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);
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
	n = t_tcp(l4, 8, 30);
	s.tc = 0xb8;
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_ip4_header(&o, 0x20, n, PKT_PROTO_TCP, 63, T_REMOTE4, T_HOST4);

	/* override 0 is a value, not "off" */
	c.tos_override = 0;
	t_init(&p);
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(o.l3[1], 0);
}

/* zeroize_tc is the IPv4 -> IPv6 knob (RFC 7915 section 4.1). */
static void
test_xlat64_zeroize_tc_does_not_touch_tos(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	c.zeroize_tc = 1;
	t_init(&p);
	n = t_tcp(l4, 8, 31);
	s.tc = 0x48;
	t_ip6(&p, &s, l4, n);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(o.l3[1], 0x48);
}

static void
test_xlat64_other_protocol_keeps_number_and_bytes(void **state)
{
	struct t_ip6 s = t_ip6_default(47);
	uint8_t l4[64], orig[64];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t seed = 32;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	unit_rand_fill(&seed, l4, 40);
	memcpy(orig, l4, 40);
	t_ip6(&p, &s, l4, 40);
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_ip4_header(&o, 0, 40, 47, 63, T_REMOTE4, T_HOST4);
	assert_memory_equal(o.l3 + 20, orig, 40);
}

/* RFC 6052 section 3.1: only sources inside the PLAT prefix translate. */
static void
test_xlat64_src_outside_pool6_is_xlat_src(void **state)
{
	static const char *const srcs[] = {
		"2001:db8::1",
		T_HOST4_6,			/* the CLAT's own prefix */
		"64:ff9b:1:abcd:ef01:2344:c633:6407",	/* one bit off */
		"64:ff9b::c633:6407",		/* the well-known prefix */
	};
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		t_init(&p);
		n = t_udp(l4, 8, 33);
		s.src = srcs[i];
		t_ip6(&p, &s, l4, n);
		assert_drop64(&c, &p, PKT_DROP_XLAT_SRC);
	}
}

static void
test_xlat64_dst_outside_local6_is_xlat_dst(void **state)
{
	static const char *const dsts[] = {
		"2001:db8::1",
		T_REMOTE4_6,
		"fddd:1337:1337:1234:5678:9abd:c0a8:a",	/* other node */
	};
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(dsts) / sizeof(dsts[0]); i++) {
		t_init(&p);
		n = t_udp(l4, 8, 34);
		s.dst = dsts[i];
		t_ip6(&p, &s, l4, n);
		assert_drop64(&c, &p, PKT_DROP_XLAT_DST);
	}
}

/* RFC 8200 section 8.1: zero is no valid UDP checksum in IPv6. */
static void
test_xlat64_udp_zero_checksum_is_xlat_udp_csum0(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_init(&p);
	n = t_udp(l4, 20, 35);
	s.udp_csum0 = 1;
	t_ip6(&p, &s, l4, n);
	assert_int_equal(unit_rd16(p.l3 + 40 + 6), 0);
	assert_drop64(&c, &p, PKT_DROP_XLAT_UDP_CSUM0);
}

/* An IPv6 packet with a fragment header in front of 'l4_len' bytes. */
static void
frag6(struct tpkt *p, uint8_t proto, uint16_t off_m, uint32_t id,
      const uint8_t *l4, uint32_t l4_len)
{
	struct t_ip6 s = t_ip6_default(253);	/* t_ip6 writes no checksum */
	uint8_t fh[8] = { proto, 0 };

	unit_wr16(fh + 2, off_m);
	fh[4] = (uint8_t)(id >> 24);
	fh[5] = (uint8_t)(id >> 16);
	fh[6] = (uint8_t)(id >> 8);
	fh[7] = (uint8_t)id;
	s.ext = fh;
	s.ext_len = sizeof(fh);
	s.first_nh = PKT_PROTO_FRAGMENT;
	t_init(p);
	t_ip6(p, &s, l4, l4_len);
	p->proto = proto;
}

/*
 * RFC 7915 section 5.1.1: Total Length is the payload length less the
 * fragment header plus 20, Identification the low 16 bits of the
 * fragment header's, MF the M flag, DF zero, the offset copied. The
 * first fragment's checksum verifies over the whole datagram.
 */
static void
test_xlat64_fragment_header_becomes_ipv4_fragment_fields(void **state)
{
	static const struct {
		uint16_t off;	/* 8-byte units */
		uint8_t m;
		uint32_t bytes;
	} cases[] = {
		{ 0, 1, 64 }, { 8, 1, 64 }, { 16, 0, 40 }, { 0x1fff, 1, 8 },
	};
	uint8_t l4[300], whole[300], frag[300], s4[4], d4[4], s6[16], d6[16];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	t_addr4(s4, T_REMOTE4);
	t_addr4(d4, T_HOST4);
	t_addr6(s6, T_REMOTE4_6);
	t_addr6(d6, T_HOST4_6);
	n = t_udp(l4, 160, 42);
	unit_wr16(l4 + 6, (uint16_t)~unit_l4_sum6(s6, d6, PKT_PROTO_UDP, l4,
						   n));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t off = cases[i].off * 8u, len = cases[i].bytes;
		const uint8_t *h;

		if (off + len > n)
			off = n - len;
		memcpy(frag, l4 + off, len);
		frag6(&p, PKT_PROTO_UDP, (uint16_t)(cases[i].off << 3 |
			cases[i].m), 0x12345678, frag, len);
		assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
		/* the IPv4 header ends where the fragment header ended */
		assert_ptr_equal(o.l3, p.l3 + 48 - 20);
		assert_int_equal(o.len, 20 + len);
		h = o.l3;
		assert_int_equal(h[0], 0x45);
		assert_int_equal(unit_rd16(h + 2), 20 + len);
		assert_int_equal(unit_rd16(h + 4), 0x5678);
		assert_int_equal(unit_rd16(h + 6), cases[i].off |
				 (cases[i].m ? PKT_IP4_MF : 0));
		assert_int_equal(h[8], 63);
		assert_int_equal(h[9], PKT_PROTO_UDP);
		assert_int_equal(unit_sum16(h, 20, 0), 0xffff);
		assert_memory_equal(h + 12, s4, 4);
		assert_memory_equal(h + 16, d4, 4);
		if (cases[i].off == 0) {
			memcpy(whole, l4, n);
			memcpy(whole, h + 20, len);
			assert_int_equal(unit_l4_sum4(s4, d4, PKT_PROTO_UDP,
						      whole, n), 0xffff);
			assert_memory_equal(h + 28, l4 + 8, len - 8);
		} else {
			assert_memory_equal(h + 20, l4 + off, len);
		}
	}
}

/*
 * An atomic fragment (offset 0, M 0, RFC 6946) still has a fragment
 * header: section 5.1.1 copies its identification, and DF stays zero.
 */
static void
test_xlat64_atomic_fragment_keeps_its_identification(void **state)
{
	uint8_t l4[100];
	struct xlat_cfg c;
	struct xlat_out o;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	n = t_tcp(l4, 20, 43);
	frag6(&p, PKT_PROTO_TCP, 0, 0xcafe1234, l4, n);
	/* a checksum right for the whole (and only) fragment */
	unit_wr16(p.l3 + 48 + 16, 0);
	unit_wr16(p.l3 + 48 + 16, (uint16_t)~unit_l4_sum6(p.l3 + 8,
		  p.l3 + 24, PKT_PROTO_TCP, p.l3 + 48, n));
	assert_int_equal(run64(&c, &p, &o), PKT_DROP_NONE);
	assert_int_equal(o.len, 20 + n);
	assert_int_equal(unit_rd16(o.l3 + 4), 0x1234);
	assert_int_equal(unit_rd16(o.l3 + 6), 0);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_TCP, n);
}

/* ICMPv6 split in fragments: PKT_DROP_XLAT_FRAGMENT, buffer untouched. */
static void
test_xlat64_fragmented_icmp6_is_xlat_fragment(void **state)
{
	static const uint16_t offm[] = { 0 << 3 | 1, 100 << 3 | 1, 100 << 3 };
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(offm) / sizeof(offm[0]); i++) {
		n = t_icmp(l4, PKT_ICMP6_ECHO, 0, 16, 36);
		frag6(&p, PKT_PROTO_ICMP6, offm[i], 7, l4, n);
		assert_drop64(&c, &p, PKT_DROP_XLAT_FRAGMENT);
	}
}

/* Zero is no UDP checksum in IPv6, fragment or not. */
static void
test_xlat64_udp_zero_checksum_in_first_fragment_is_xlat_udp_csum0(void **state)
{
	uint8_t l4[64];
	struct xlat_cfg c;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	n = t_udp(l4, 32, 44);
	frag6(&p, PKT_PROTO_UDP, 1, 7, l4, n);
	assert_int_equal(unit_rd16(p.l3 + 48 + 6), 0);
	assert_drop64(&c, &p, PKT_DROP_XLAT_UDP_CSUM0);
}

static void
test_xlat64_truncated_l4_is_l4_trunc(void **state)
{
	static const struct {
		uint8_t proto;
		uint32_t len;
	} cases[] = {
		{ PKT_PROTO_TCP, 17 }, { PKT_PROTO_TCP, 0 },
		{ PKT_PROTO_UDP, 7 }, { PKT_PROTO_UDP, 0 },
		{ PKT_PROTO_ICMP6, 7 }, { PKT_PROTO_ICMP6, 1 },
	};
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint8_t l4[64];
	uint32_t seed = 37;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_ip6 s = t_ip6_default(cases[i].proto);

		t_init(&p);
		unit_rand_fill(&seed, l4, sizeof(l4));
		l4[0] = PKT_ICMP6_ECHO;
		t_ip6(&p, &s, l4, cases[i].len);
		assert_drop64(&c, &p, PKT_DROP_L4_TRUNC);
	}
}

/* As in 46: a TCP header under 20 bytes is truncated. */
static void
test_xlat64_tcp_shorter_than_20_bytes_is_l4_trunc(void **state)
{
	static const uint32_t lens[] = { 18, 19 };
	uint32_t seed = 152;
	struct xlat_cfg c;
	struct tpkt p;
	unsigned int i;
	uint8_t l4[64];

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct t_ip6 s = t_ip6_default(PKT_PROTO_TCP);

		t_init(&p);
		unit_rand_fill(&seed, l4, sizeof(l4));
		t_ip6(&p, &s, l4, lens[i]);
		assert_drop64(&c, &p, PKT_DROP_L4_TRUNC);
	}
}

/* Section 5.2: MLD, ND and unknown informational types are dropped. */
static void
test_xlat64_icmp6_without_translation_is_xlat_icmp_type(void **state)
{
	static const uint8_t types[] = {
		130, 131, 132, 143,	/* MLD */
		133, 134, 135, 136, 137,	/* ND */
		138,			/* router renumbering */
		139, 140,		/* node information */
		141, 142,		/* inverse ND */
		160, 161,		/* extended echo */
		200, 201, 255,		/* private experimentation */
	};
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6);
	struct xlat_cfg c;
	struct tpkt p;
	uint8_t l4[64];
	unsigned int i;
	uint32_t n;

	(void)state;
	t_cfg_clat(&c);
	for (i = 0; i < sizeof(types); i++) {
		t_init(&p);
		n = t_icmp(l4, types[i], 0, 16, 38);
		t_ip6(&p, &s, l4, n);
		assert_drop64(&c, &p, PKT_DROP_XLAT_ICMP_TYPE);
	}
}

/* --- round trips --- */

/* IPv4 in, through 'a' (46) and 'b' (64): the same bytes back. */
static void
round_trip_46_64(const struct xlat_cfg *a, const struct xlat_cfg *b,
		 struct tpkt *p)
{
	static uint8_t orig[sizeof(((struct tpkt *)0)->mem)];
	struct pkt_l3 in;
	struct xlat_out o6, o4;
	struct xlat_ctx x;
	int frag = (unit_rd16(p->l3 + 6) & (PKT_IP4_MF | PKT_IP4_OFFMASK)) != 0;

	t_ctx(&x);
	/* identification is free (section 5.1): give back the same */
	memcpy(&x.ip4_id, p->l3 + 4, 2);
	memcpy(orig, p->l3, p->len);
	assert_int_equal(pkt_parse_ip4(p->l3, p->len, 1, &in), PKT_DROP_NONE);
	assert_int_equal(xlat46(a, &x, p->l3, &in, &o6), PKT_DROP_NONE);
	/* the IPv6 packet is a valid one */
	assert_int_equal(pkt_parse_ip6(o6.l3, o6.len, &in), PKT_DROP_NONE);
	assert_int_equal(in.l4_off, frag ? 48 : 40);
	if (!frag)
		t_assert_l4_csum6(o6.l3, o6.l3 + 40, o6.l3[6], o6.len - 40);
	assert_int_equal(xlat64(b, &x, o6.l3, &in, &o4), PKT_DROP_NONE);
	assert_ptr_equal(o4.l3, p->l3);
	assert_int_equal(o4.len, p->len);
	assert_memory_equal(o4.l3, orig, p->len);
}

static void
test_roundtrip_46_64_gives_back_ipv4(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 2, 3, 100, 777, 1220 };
	uint32_t seed = 6145;
	struct xlat_cfg a, b;
	unsigned int i, kind;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	for (kind = 0; kind < 4; kind++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			static const uint8_t protos[] = { PKT_PROTO_TCP,
				PKT_PROTO_UDP, PKT_PROTO_ICMP, PKT_PROTO_ICMP };
			struct t_ip4 s = t_ip4_default(protos[kind]);
			uint8_t l4[1300];
			struct tpkt p;
			uint32_t n;

			if (kind == 0)
				n = t_tcp(l4, sizes[i], unit_rand(&seed));
			else if (kind == 1)
				n = t_udp(l4, sizes[i], unit_rand(&seed));
			else
				n = t_icmp(l4, kind == 2 ? PKT_ICMP4_ECHO :
					   PKT_ICMP4_ECHO_REPLY, 0, sizes[i],
					   unit_rand(&seed));
			s.tos = (uint8_t)unit_rand(&seed);
			s.ttl = (uint8_t)(1 + unit_rand(&seed) % 255);
			t_init(&p);
			t_ip4(&p, &s, l4, n);
			round_trip_46_64(&a, &b, &p);
		}
	}
}

/* Above 1260 bytes the IPv4 packet comes back with DF, as it went. */
static void
test_roundtrip_46_64_large_packet_keeps_df(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	uint8_t l4[1500];
	struct xlat_cfg a, b;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	t_init(&p);
	n = t_udp(l4, 1400, 40);
	s.frag = PKT_IP4_DF;
	t_ip4(&p, &s, l4, n);
	assert_true(p.len > 1260);
	round_trip_46_64(&a, &b, &p);
}

/* A plain SIIT (one pool6 for both directions) at every RFC 6052 length. */
static void
test_roundtrip_46_64_through_siit_pool_of_every_length(void **state)
{
	static const struct {
		const char *pfx;
		unsigned int len;
	} pools[] = {
		{ "2001:db8::", 32 }, { "2001:db8:100::", 40 },
		{ "2001:db8:122::", 48 }, { "2001:db8:122:300::", 56 },
		{ "2001:db8:122:344::", 64 }, { "64:ff9b::", 96 },
	};
	uint32_t seed = 96;
	unsigned int i, it;

	(void)state;
	for (i = 0; i < sizeof(pools) / sizeof(pools[0]); i++) {
		struct xlat_cfg c;

		t_cfg_siit(&c, pools[i].pfx, pools[i].len);
		for (it = 0; it < 30; it++) {
			static const uint8_t protos[] = { PKT_PROTO_TCP,
				PKT_PROTO_UDP, PKT_PROTO_ICMP };
			struct t_ip4 s = t_ip4_default(protos[it % 3]);
			uint8_t l4[600];
			struct tpkt p;
			uint32_t n, data = unit_rand(&seed) % 500;

			if (s.proto == PKT_PROTO_TCP)
				n = t_tcp(l4, data, unit_rand(&seed));
			else if (s.proto == PKT_PROTO_UDP)
				n = t_udp(l4, data, unit_rand(&seed));
			else
				n = t_icmp(l4, PKT_ICMP4_ECHO, 0, data,
					   unit_rand(&seed));
			/* global addresses: 64:ff9b::/96 takes only those
			 * (RFC 6052 section 3.1) */
			s.src = "151.101.1.69";
			s.dst = "198.41.0.4";
			t_init(&p);
			t_ip4(&p, &s, l4, n);
			round_trip_46_64(&c, &c, &p);
		}
	}
}

/*
 * Identification and a DF on a small packet do not survive (section 5.1
 * makes both the translator's choice); everything else does, and the
 * header checksum is right for what came back.
 */
static void
test_roundtrip_46_64_free_fields_only_differ(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_TCP);
	uint8_t l4[200], orig[300];
	struct xlat_cfg a, b;
	struct pkt_l3 in;
	struct xlat_out o6, o4;
	struct xlat_ctx x;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	t_ctx(&x);
	t_init(&p);
	n = t_tcp(l4, 100, 41);
	s.id = 0x1234;
	s.frag = PKT_IP4_DF;
	s.tos = 0x10;
	t_ip4(&p, &s, l4, n);
	memcpy(orig, p.l3, p.len);
	assert_int_equal(pkt_parse_ip4(p.l3, p.len, 1, &in), PKT_DROP_NONE);
	assert_int_equal(xlat46(&a, &x, p.l3, &in, &o6), PKT_DROP_NONE);
	assert_int_equal(pkt_parse_ip6(o6.l3, o6.len, &in), PKT_DROP_NONE);
	assert_int_equal(xlat64(&b, &x, o6.l3, &in, &o4), PKT_DROP_NONE);
	assert_int_equal(o4.len, p.len);
	assert_memory_equal(o4.l3, orig, 4);		/* ver, tos, len */
	assert_int_equal(unit_rd16(o4.l3 + 4), 0x4242);	/* ctx->ip4_id */
	assert_int_equal(unit_rd16(o4.l3 + 6), 0);	/* DF dropped */
	assert_memory_equal(o4.l3 + 8, orig + 8, 2);	/* ttl, proto */
	assert_memory_equal(o4.l3 + 12, orig + 12, 8);	/* addresses */
	assert_int_equal(unit_sum16(o4.l3, 20, 0), 0xffff);
	assert_memory_equal(o4.l3 + 20, orig + 20, n);	/* all of TCP */
}

/*
 * Fragments both ways (sections 4.1 and 5.1.1): an IPv4 fragment without
 * DF comes back byte for byte, its identification carried in the
 * fragment header.
 */
static void
test_roundtrip_46_64_fragments_give_back_ipv4(void **state)
{
	static const uint16_t frags[] = { PKT_IP4_MF, PKT_IP4_MF | 8, 8,
					  PKT_IP4_MF | 0x1fff };
	struct xlat_cfg a, b;
	unsigned int i;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
		uint8_t l4[200];
		struct tpkt p;
		uint32_t n;

		n = t_udp(l4, 56, 45 + i);
		s.frag = frags[i];
		s.id = (uint16_t)(0xfedc + i);
		t_init(&p);
		t_ip4(&p, &s, l4, n);
		round_trip_46_64(&a, &b, &p);
	}
}

/* An IPv6 fragment whose identification fits 16 bits comes back too. */
static void
test_roundtrip_64_46_fragment_gives_back_ipv6_but_flow_label(void **state)
{
	uint8_t l4[200], orig[300];
	struct xlat_cfg a, b;
	struct pkt_l3 in;
	struct xlat_out o4, o6;
	struct xlat_ctx x;
	struct tpkt p;
	uint32_t n;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	n = t_udp(l4, 72, 46);
	frag6(&p, PKT_PROTO_UDP, 8 << 3 | 1, 0x0000beef, l4, n);
	p.l3[1] |= 0x0a;	/* a flow label, to be lost */
	memcpy(orig, p.l3, p.len);
	t_ctx(&x);
	assert_int_equal(pkt_parse_ip6(p.l3, p.len, &in), PKT_DROP_NONE);
	assert_int_equal(xlat64(&a, &x, p.l3, &in, &o4), PKT_DROP_NONE);
	assert_int_equal(pkt_parse_ip4(o4.l3, o4.len, 1, &in), PKT_DROP_NONE);
	x.headroom = (uint32_t)(o4.l3 - p.mem);
	assert_int_equal(xlat46(&b, &x, o4.l3, &in, &o6), PKT_DROP_NONE);
	assert_ptr_equal(o6.l3, p.l3);
	assert_int_equal(o6.len, p.len);
	orig[1] &= 0xf0;
	assert_memory_equal(o6.l3, orig, p.len);
}

/* IPv6 in, 64 then 46: the same packet, but the flow label is gone. */
static void
test_roundtrip_64_46_gives_back_ipv6_but_flow_label(void **state)
{
	static const uint8_t protos[] = { PKT_PROTO_TCP, PKT_PROTO_UDP,
					  PKT_PROTO_ICMP6 };
	uint32_t seed = 6877;
	struct xlat_cfg a, b;
	unsigned int i;

	(void)state;
	t_cfg_clat(&a);
	t_cfg_peer(&b);
	for (i = 0; i < 60; i++) {
		struct t_ip6 s = t_ip6_default(protos[i % 3]);
		uint8_t l4[1300], orig[1400];
		struct pkt_l3 in;
		struct xlat_out o4, o6;
		struct xlat_ctx x;
		struct tpkt p;
		uint32_t n, data = unit_rand(&seed) % 1200;

		if (s.proto == PKT_PROTO_TCP)
			n = t_tcp(l4, data, unit_rand(&seed));
		else if (s.proto == PKT_PROTO_UDP)
			n = t_udp(l4, data, unit_rand(&seed));
		else
			n = t_icmp(l4, i & 1 ? PKT_ICMP6_ECHO :
				   PKT_ICMP6_ECHO_REPLY, 0, data,
				   unit_rand(&seed));
		s.tc = (uint8_t)unit_rand(&seed);
		s.flow = unit_rand(&seed) & 0xfffff;
		s.hlim = (uint8_t)(1 + unit_rand(&seed) % 255);
		t_init(&p);
		t_ip6(&p, &s, l4, n);
		memcpy(orig, p.l3, p.len);

		t_ctx(&x);
		assert_int_equal(pkt_parse_ip6(p.l3, p.len, &in),
				 PKT_DROP_NONE);
		assert_int_equal(xlat64(&a, &x, p.l3, &in, &o4), PKT_DROP_NONE);
		assert_int_equal(pkt_parse_ip4(o4.l3, o4.len, 1, &in),
				 PKT_DROP_NONE);
		x.headroom = (uint32_t)(o4.l3 - p.mem);
		assert_int_equal(xlat46(&b, &x, o4.l3, &in, &o6),
				 PKT_DROP_NONE);
		assert_ptr_equal(o6.l3, p.l3);
		assert_int_equal(o6.len, p.len);
		/* flow label zero (RFC 7915 section 4.1) */
		orig[1] &= 0xf0;
		orig[2] = 0;
		orig[3] = 0;
		assert_memory_equal(o6.l3, orig, p.len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlat64_tcp_fills_every_ip4_field),
		cmocka_unit_test(test_xlat64_udp_checksum_adjusted),
		cmocka_unit_test(test_xlat64_udp_checksum_that_becomes_zero_is_sent_as_ffff),
		cmocka_unit_test(test_xlat64_icmp6_echo_request_becomes_icmp_8),
		cmocka_unit_test(test_xlat64_icmp6_echo_reply_becomes_icmp_0),
		cmocka_unit_test(test_xlat64_df_set_only_above_1260_bytes),
		cmocka_unit_test(test_xlat64_extension_headers_are_left_behind),
		cmocka_unit_test(test_xlat64_routing_header_segments_left_0_is_translated),
		cmocka_unit_test(test_xlat64_routing_header_segments_left_is_not_translated),
		cmocka_unit_test(test_xlat64_traffic_class_copied_flow_label_ignored),
		cmocka_unit_test(test_xlat64_tos_override_sets_tos),
		cmocka_unit_test(test_xlat64_zeroize_tc_does_not_touch_tos),
		cmocka_unit_test(test_xlat64_other_protocol_keeps_number_and_bytes),
		cmocka_unit_test(test_xlat64_src_outside_pool6_is_xlat_src),
		cmocka_unit_test(test_xlat64_dst_outside_local6_is_xlat_dst),
		cmocka_unit_test(test_xlat64_udp_zero_checksum_is_xlat_udp_csum0),
		cmocka_unit_test(test_xlat64_fragment_header_becomes_ipv4_fragment_fields),
		cmocka_unit_test(test_xlat64_atomic_fragment_keeps_its_identification),
		cmocka_unit_test(test_xlat64_fragmented_icmp6_is_xlat_fragment),
		cmocka_unit_test(test_xlat64_udp_zero_checksum_in_first_fragment_is_xlat_udp_csum0),
		cmocka_unit_test(test_xlat64_truncated_l4_is_l4_trunc),
		cmocka_unit_test(test_xlat64_tcp_shorter_than_20_bytes_is_l4_trunc),
		cmocka_unit_test(test_xlat64_icmp6_without_translation_is_xlat_icmp_type),
		cmocka_unit_test(test_roundtrip_46_64_gives_back_ipv4),
		cmocka_unit_test(test_roundtrip_46_64_large_packet_keeps_df),
		cmocka_unit_test(test_roundtrip_46_64_through_siit_pool_of_every_length),
		cmocka_unit_test(test_roundtrip_46_64_free_fields_only_differ),
		cmocka_unit_test(test_roundtrip_46_64_fragments_give_back_ipv4),
		cmocka_unit_test(test_roundtrip_64_46_fragment_gives_back_ipv6_but_flow_label),
		cmocka_unit_test(test_roundtrip_64_46_gives_back_ipv6_but_flow_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
