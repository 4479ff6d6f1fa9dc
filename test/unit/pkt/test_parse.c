/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pkt/parse.c: pkt_parse_ip4() on valid packets, on each of its drop
 * reasons (truncated, version, IHL, total length, checksum) and on the
 * fragment flags; pkt_parse_ip6() on extension header chains (hop-by-hop,
 * destination options, routing, fragment), truncated and overlong chains,
 * and later fragments, which have no upper-layer header to find.
 */
#include "unit.h"

#include "parse.h"

#include "hdr.h"

/* An IPv4 header of 'ihl' words with total length 'tot' and a good sum. */
static void
mk_ip4(uint8_t *b, unsigned int ihl, unsigned int tot, uint16_t frag,
       uint8_t proto)
{
	unsigned int i;

	memset(b, 0, ihl * 4);
	b[0] = (uint8_t)(0x40 | ihl);
	unit_wr16(b + 2, (uint16_t)tot);
	unit_wr16(b + 4, 0x1234);
	unit_wr16(b + 6, frag);
	b[8] = 64;
	b[9] = proto;
	b[12] = 192; b[13] = 0; b[14] = 2; b[15] = 1;
	b[16] = 198; b[17] = 51; b[18] = 100; b[19] = 7;
	for (i = 20; i < ihl * 4; i++)
		b[i] = 1;	/* NOP options */
	unit_wr16(b + 10, unit_csum(b, ihl * 4));
}

static void
test_parse_ip4_valid_udp(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 5, 28, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 28, 1, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.len, 28);
	assert_int_equal(l3.l4_off, 20);
	assert_int_equal(l3.l4_proto, PKT_PROTO_UDP);
	assert_int_equal(l3.is_frag, 0);
	assert_int_equal(l3.first_frag, 1);
}

/* Ethernet pads short frames: the length comes from tot_len, not avail. */
static void
test_parse_ip4_ignores_trailer(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 5, 28, 0, PKT_PROTO_TCP);
	assert_int_equal(pkt_parse_ip4(b, 46, 1, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.len, 28);
}

static void
test_parse_ip4_options_move_l4(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 6, 32, 0, PKT_PROTO_TCP);
	assert_int_equal(pkt_parse_ip4(b, 32, 1, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, 24);
	mk_ip4(b, 15, 60, 0, PKT_PROTO_TCP);
	assert_int_equal(pkt_parse_ip4(b, 60, 1, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, 60);
	assert_int_equal(l3.len, 60);
}

static void
test_parse_ip4_truncated_header_is_ip4_trunc(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 5, 20, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 19, 1, &l3), PKT_DROP_IP4_TRUNC);
	assert_int_equal(pkt_parse_ip4(b, 0, 1, &l3), PKT_DROP_IP4_TRUNC);
	assert_int_equal(pkt_parse_ip4(b, 20, 1, &l3), PKT_DROP_NONE);
}

static void
test_parse_ip4_bad_version_is_ip4_version(void **state)
{
	static const uint8_t versions[] = { 0, 5, 6, 15 };
	uint8_t b[64];
	struct pkt_l3 l3;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(versions); i++) {
		mk_ip4(b, 5, 20, 0, PKT_PROTO_UDP);
		b[0] = (uint8_t)(versions[i] << 4 | 5);
		unit_wr16(b + 10, 0);
		unit_wr16(b + 10, unit_csum(b, 20));
		assert_int_equal(pkt_parse_ip4(b, 20, 1, &l3),
				 PKT_DROP_IP4_VERSION);
	}
}

static void
test_parse_ip4_ihl_below_5_is_ip4_ihl(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;
	unsigned int ihl;

	(void)state;
	for (ihl = 0; ihl < 5; ihl++) {
		mk_ip4(b, 5, 20, 0, PKT_PROTO_UDP);
		b[0] = (uint8_t)(0x40 | ihl);
		assert_int_equal(pkt_parse_ip4(b, 20, 0, &l3), PKT_DROP_IP4_IHL);
	}
}

static void
test_parse_ip4_ihl_beyond_data_is_ip4_ihl(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 15, 60, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 59, 1, &l3), PKT_DROP_IP4_IHL);
	assert_int_equal(pkt_parse_ip4(b, 40, 1, &l3), PKT_DROP_IP4_IHL);
}

static void
test_parse_ip4_tot_len_below_hlen_is_ip4_len(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 6, 23, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 40, 1, &l3), PKT_DROP_IP4_LEN);
	mk_ip4(b, 5, 0, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 40, 1, &l3), PKT_DROP_IP4_LEN);
	mk_ip4(b, 6, 24, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 40, 1, &l3), PKT_DROP_NONE);
}

static void
test_parse_ip4_tot_len_beyond_data_is_ip4_len(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 5, 41, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 40, 1, &l3), PKT_DROP_IP4_LEN);
	mk_ip4(b, 5, 0xffff, 0, PKT_PROTO_UDP);
	assert_int_equal(pkt_parse_ip4(b, 64, 1, &l3), PKT_DROP_IP4_LEN);
}

static void
test_parse_ip4_bad_checksum_only_when_checked(void **state)
{
	uint8_t b[64];
	struct pkt_l3 l3;

	(void)state;
	mk_ip4(b, 5, 20, 0, PKT_PROTO_UDP);
	b[8]--;		/* TTL changed, checksum not */
	assert_int_equal(pkt_parse_ip4(b, 20, 1, &l3), PKT_DROP_IP4_CSUM);
	assert_int_equal(pkt_parse_ip4(b, 20, 0, &l3), PKT_DROP_NONE);
	/* the options are covered too */
	mk_ip4(b, 6, 24, 0, PKT_PROTO_UDP);
	b[23] = 0;
	assert_int_equal(pkt_parse_ip4(b, 24, 1, &l3), PKT_DROP_IP4_CSUM);
}

static void
test_parse_ip4_fragment_flags(void **state)
{
	static const struct {
		uint16_t frag;
		uint8_t is_frag, first;
	} cases[] = {
		{ 0, 0, 1 },
		{ PKT_IP4_DF, 0, 1 },			/* DF is no fragment */
		{ PKT_IP4_MF, 1, 1 },			/* first fragment */
		{ PKT_IP4_MF | 185, 1, 0 },		/* middle */
		{ 185, 1, 0 },				/* last */
		{ PKT_IP4_OFFMASK, 1, 0 },
		{ 0x8000, 0, 1 },			/* reserved bit */
	};
	uint8_t b[64];
	struct pkt_l3 l3;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_ip4(b, 5, 28, cases[i].frag, PKT_PROTO_UDP);
		assert_int_equal(pkt_parse_ip4(b, 28, 1, &l3), PKT_DROP_NONE);
		assert_int_equal(l3.is_frag, cases[i].is_frag);
		assert_int_equal(l3.first_frag, cases[i].first);
	}
}

/* --- IPv6 --- */

/* Builds an IPv6 packet one header at a time. */
struct b6 {
	uint8_t b[2048];
	uint32_t len;
	uint8_t *nh;	/* the next-header byte to patch */
};

static void
b6_init(struct b6 *p)
{
	memset(p->b, 0, sizeof(p->b));
	p->b[0] = 0x60;
	p->b[7] = 64;
	p->b[8] = 0x20; p->b[9] = 0x01; p->b[10] = 0x0d; p->b[11] = 0xb8;
	p->b[23] = 1;
	p->b[24] = 0x20; p->b[25] = 0x01; p->b[26] = 0x0d; p->b[27] = 0xb8;
	p->b[39] = 2;
	p->len = PKT_IP6_HLEN;
	p->nh = &p->b[6];
}

/* Hop-by-hop, routing or dest. options of (hlen + 1) * 8 bytes. */
static uint32_t
b6_ext(struct b6 *p, uint8_t type, uint8_t hlen)
{
	uint32_t off = p->len;

	*p->nh = type;
	p->nh = &p->b[off];
	p->b[off + 1] = hlen;
	if (type == PKT_PROTO_ROUTING)
		p->b[off + 2] = 4;	/* routing type 4 (SRH-like), any */
	else
		p->b[off + 2] = 1;	/* PadN */
	p->b[off + 3] = (uint8_t)((hlen + 1) * 8 - 4);
	p->len += (hlen + 1u) * 8u;
	return off;
}

static uint32_t
b6_frag(struct b6 *p, uint16_t offset8, int more)
{
	uint32_t off = p->len;

	*p->nh = PKT_PROTO_FRAGMENT;
	p->nh = &p->b[off];
	unit_wr16(&p->b[off + 2], (uint16_t)(offset8 << 3 | (more ? 1 : 0)));
	p->b[off + 4] = 0xca;
	p->b[off + 7] = 0xfe;
	p->len += 8;
	return off;
}

static void
b6_upper(struct b6 *p, uint8_t proto, uint32_t len)
{
	*p->nh = proto;
	p->nh = NULL;
	p->len += len;
	unit_wr16(&p->b[4], (uint16_t)(p->len - PKT_IP6_HLEN));
}

static void
test_parse_ip6_plain_udp(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_upper(&p, PKT_PROTO_UDP, 12);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.len, 52);
	assert_int_equal(l3.l4_off, 40);
	assert_int_equal(l3.l4_proto, PKT_PROTO_UDP);
	assert_int_equal(l3.is_frag, 0);
	assert_int_equal(l3.first_frag, 1);
	/* a trailer after the payload is not part of the packet */
	assert_int_equal(pkt_parse_ip6(p.b, p.len + 10, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.len, 52);
}

static void
test_parse_ip6_truncated_is_ip6_trunc(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_upper(&p, PKT_PROTO_UDP, 0);
	assert_int_equal(pkt_parse_ip6(p.b, 39, &l3), PKT_DROP_IP6_TRUNC);
	assert_int_equal(pkt_parse_ip6(p.b, 0, &l3), PKT_DROP_IP6_TRUNC);
	assert_int_equal(pkt_parse_ip6(p.b, 40, &l3), PKT_DROP_NONE);
}

static void
test_parse_ip6_bad_version_is_ip6_version(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_upper(&p, PKT_PROTO_UDP, 8);
	p.b[0] = 0x45;
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_IP6_VERSION);
	p.b[0] = 0x70;
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_IP6_VERSION);
}

static void
test_parse_ip6_payload_beyond_data_is_ip6_len(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_upper(&p, PKT_PROTO_UDP, 8);
	assert_int_equal(pkt_parse_ip6(p.b, p.len - 1, &l3), PKT_DROP_IP6_LEN);
}

static void
test_parse_ip6_walks_hbh_dstopts_routing_fragment_chain(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;
	uint32_t foff;

	(void)state;
	b6_init(&p);
	b6_ext(&p, PKT_PROTO_HOPOPTS, 0);	/* 8 */
	b6_ext(&p, PKT_PROTO_DSTOPTS, 1);	/* 16 */
	b6_ext(&p, PKT_PROTO_ROUTING, 2);	/* 24 */
	foff = b6_frag(&p, 0, 1);		/* 8, first fragment */
	b6_ext(&p, PKT_PROTO_DSTOPTS, 0);	/* 8 */
	b6_upper(&p, PKT_PROTO_TCP, 20);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, 40 + 8 + 16 + 24 + 8 + 8);
	assert_int_equal(l3.l4_proto, PKT_PROTO_TCP);
	assert_int_equal(l3.len, p.len);
	assert_int_equal(l3.is_frag, 1);
	assert_int_equal(l3.first_frag, 1);
	assert_int_equal(l3.frag_off, foff);
	assert_int_equal(foff, 40 + 8 + 16 + 24);
}

/* RFC 6946: an atomic fragment (offset 0, M 0) is still a fragment. */
static void
test_parse_ip6_atomic_fragment_is_first_fragment(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_frag(&p, 0, 0);
	b6_upper(&p, PKT_PROTO_UDP, 8);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.is_frag, 1);
	assert_int_equal(l3.first_frag, 1);
	assert_int_equal(l3.l4_off, 48);
	assert_int_equal(l3.frag_off, 40);
}

/* A later fragment stops the walk: what follows is not a header. */
static void
test_parse_ip6_later_fragment_has_no_upper_header(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_ext(&p, PKT_PROTO_HOPOPTS, 0);
	b6_frag(&p, 185, 1);
	/* payload bytes that would look like a truncated ext header */
	b6_upper(&p, PKT_PROTO_DSTOPTS, 4);
	p.b[p.len - 3] = 200;
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.is_frag, 1);
	assert_int_equal(l3.first_frag, 0);
	assert_int_equal(l3.l4_proto, PKT_PROTO_DSTOPTS);
	assert_int_equal(l3.l4_off, 40 + 8 + 8);
	assert_int_equal(l3.frag_off, 48);

	/* the last fragment (M = 0) too */
	b6_init(&p);
	b6_frag(&p, 1, 0);
	b6_upper(&p, PKT_PROTO_TCP, 0);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.first_frag, 0);
	assert_int_equal(l3.l4_proto, PKT_PROTO_TCP);
	assert_int_equal(l3.l4_off, 48);
}

static void
test_parse_ip6_no_next_header(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_ext(&p, PKT_PROTO_DSTOPTS, 0);
	b6_upper(&p, PKT_PROTO_NONE, 0);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_proto, PKT_PROTO_NONE);
	assert_int_equal(l3.l4_off, 48);
}

/* Fewer than 8 bytes left for an extension header's fixed part. */
static void
test_parse_ip6_ext_header_cut_short_is_ip6_exthdr(void **state)
{
	static const uint8_t types[] = { PKT_PROTO_HOPOPTS, PKT_PROTO_ROUTING,
		PKT_PROTO_DSTOPTS, PKT_PROTO_FRAGMENT };
	struct b6 p;
	struct pkt_l3 l3;
	unsigned int i, cut;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		for (cut = 1; cut <= 8; cut++) {
			b6_init(&p);
			if (types[i] == PKT_PROTO_FRAGMENT)
				b6_frag(&p, 0, 1);
			else
				b6_ext(&p, types[i], 0);
			b6_upper(&p, PKT_PROTO_UDP, 0);
			/* shorten the payload length, keep the bytes */
			unit_wr16(&p.b[4], (uint16_t)(8 - cut));
			assert_int_equal(pkt_parse_ip6(p.b, sizeof(p.b), &l3),
					 PKT_DROP_IP6_EXTHDR);
		}
	}
}

/* The header's own length runs past the end of the packet. */
static void
test_parse_ip6_ext_header_len_beyond_packet_is_ip6_exthdr(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_init(&p);
	b6_ext(&p, PKT_PROTO_HOPOPTS, 0);
	b6_ext(&p, PKT_PROTO_ROUTING, 0);
	b6_upper(&p, PKT_PROTO_UDP, 8);
	p.b[48 + 1] = 2;	/* routing header claims 24 bytes, 16 left */
	assert_int_equal(pkt_parse_ip6(p.b, sizeof(p.b), &l3),
			 PKT_DROP_IP6_EXTHDR);
	p.b[48 + 1] = 1;	/* 16 bytes: ends exactly at the end */
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, p.len);
	assert_int_equal(l3.l4_proto, PKT_PROTO_UDP);
}

static void
b6_chain(struct b6 *p, unsigned int n)
{
	unsigned int i;

	b6_init(p);
	for (i = 0; i < n; i++)
		b6_ext(p, PKT_PROTO_DSTOPTS, 0);
	b6_upper(p, PKT_PROTO_UDP, 8);
}

/*
 * parse.c allows MAX_EXT_HDRS (8) extension headers: "more than this is
 * an attack". Eight pass, nine do not.
 */
static void
test_parse_ip6_eight_ext_headers_pass(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_chain(&p, 7);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, 40 + 7 * 8);
	b6_chain(&p, 8);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_NONE);
	assert_int_equal(l3.l4_off, 40 + 8 * 8);
	assert_int_equal(l3.l4_proto, PKT_PROTO_UDP);
}

static void
test_parse_ip6_too_many_ext_headers_is_ip6_exthdr(void **state)
{
	struct b6 p;
	struct pkt_l3 l3;

	(void)state;
	b6_chain(&p, 9);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_IP6_EXTHDR);
	b6_chain(&p, 40);
	assert_int_equal(pkt_parse_ip6(p.b, p.len, &l3), PKT_DROP_IP6_EXTHDR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ip4_valid_udp),
		cmocka_unit_test(test_parse_ip4_ignores_trailer),
		cmocka_unit_test(test_parse_ip4_options_move_l4),
		cmocka_unit_test(test_parse_ip4_truncated_header_is_ip4_trunc),
		cmocka_unit_test(test_parse_ip4_bad_version_is_ip4_version),
		cmocka_unit_test(test_parse_ip4_ihl_below_5_is_ip4_ihl),
		cmocka_unit_test(test_parse_ip4_ihl_beyond_data_is_ip4_ihl),
		cmocka_unit_test(test_parse_ip4_tot_len_below_hlen_is_ip4_len),
		cmocka_unit_test(test_parse_ip4_tot_len_beyond_data_is_ip4_len),
		cmocka_unit_test(test_parse_ip4_bad_checksum_only_when_checked),
		cmocka_unit_test(test_parse_ip4_fragment_flags),
		cmocka_unit_test(test_parse_ip6_plain_udp),
		cmocka_unit_test(test_parse_ip6_truncated_is_ip6_trunc),
		cmocka_unit_test(test_parse_ip6_bad_version_is_ip6_version),
		cmocka_unit_test(test_parse_ip6_payload_beyond_data_is_ip6_len),
		cmocka_unit_test(test_parse_ip6_walks_hbh_dstopts_routing_fragment_chain),
		cmocka_unit_test(test_parse_ip6_atomic_fragment_is_first_fragment),
		cmocka_unit_test(test_parse_ip6_later_fragment_has_no_upper_header),
		cmocka_unit_test(test_parse_ip6_no_next_header),
		cmocka_unit_test(test_parse_ip6_ext_header_cut_short_is_ip6_exthdr),
		cmocka_unit_test(test_parse_ip6_ext_header_len_beyond_packet_is_ip6_exthdr),
		cmocka_unit_test(test_parse_ip6_eight_ext_headers_pass),
		cmocka_unit_test(test_parse_ip6_too_many_ext_headers_is_ip6_exthdr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
