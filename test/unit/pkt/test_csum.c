/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pkt/csum.c: the Internet checksum (RFC 1071) against the RFC's own
 * example and a well-known IPv4 header, the incremental update (RFC 1624
 * eqn. 3) against a full recomputation over random buffers and random
 * field changes, and the pseudo-header sums against headers built byte by
 * byte. Every expectation comes from the reference sum in unit.h, never
 * from the code under test.
 */
#include "unit.h"

#include <arpa/inet.h>

#include "csum.h"
#include "hdr.h"

#define ITERATIONS	600

/* RFC 1071 section 3: 0001 f203 f4f5 f6f7 sums to ddf2 (folded). */
static void
test_csum_rfc1071_example_sums_to_ddf2(void **state)
{
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03,
					0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t c;

	(void)state;
	assert_int_equal(pkt_csum_fold(pkt_csum_partial(data, sizeof(data),
							0)), 0xddf2);
	c = pkt_csum_finish(pkt_csum_partial(data, sizeof(data), 0));
	/* The field value is in network order: 22 0d on the wire. */
	assert_int_equal(((const uint8_t *)&c)[0], 0x22);
	assert_int_equal(((const uint8_t *)&c)[1], 0x0d);
}

static void
test_csum_odd_length_pads_last_byte_with_zero(void **state)
{
	static const uint8_t data[] = { 0x01, 0x02, 0x03 };

	(void)state;
	/* 0x0102 + 0x0300 */
	assert_int_equal(pkt_csum_fold(pkt_csum_partial(data, 3, 0)), 0x0402);
	assert_int_equal(pkt_csum_fold(pkt_csum_partial(data, 1, 0)), 0x0100);
	assert_int_equal(pkt_csum_partial(data, 0, 0x1234), 0x1234);
}

static void
test_csum_fold_carries_twice(void **state)
{
	(void)state;
	assert_int_equal(pkt_csum_fold(0), 0);
	assert_int_equal(pkt_csum_fold(0xffff), 0xffff);
	/* 0x0001 + 0xffff = 0x10000 -> 0x0001: the second fold matters. */
	assert_int_equal(pkt_csum_fold(0x0001ffff), 0x0001);
	assert_int_equal(pkt_csum_fold(0xffffffff), 0xffff);
	assert_int_equal(pkt_csum_fold(0x00012345), 0x2346);
}

/* The classic header: 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7. */
static void
test_csum_ip4_header_known_value(void **state)
{
	uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
			  0x40, 0x11, 0xaa, 0xaa, 0xc0, 0xa8, 0x00, 0x01,
			  0xc0, 0xa8, 0x00, 0xc7 };
	struct pkt_ip4 *ip = (struct pkt_ip4 *)h;

	(void)state;
	assert_false(pkt_ip4_csum_ok(ip));
	pkt_ip4_set_csum(ip);
	assert_int_equal(h[10], 0xb8);
	assert_int_equal(h[11], 0x61);
	assert_true(pkt_ip4_csum_ok(ip));
	h[8]--;		/* TTL decrement without fixing the checksum */
	assert_false(pkt_ip4_csum_ok(ip));
}

/* A header with options is summed over its whole IHL. */
static void
test_csum_ip4_header_covers_options(void **state)
{
	uint8_t h[24] = { 0x46, 0x00, 0x00, 0x18, 0x12, 0x34, 0x00, 0x00,
			  0x40, 0x06, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
			  0x0a, 0x00, 0x00, 0x02, 0x94, 0x04, 0x00, 0x00 };
	struct pkt_ip4 *ip = (struct pkt_ip4 *)h;
	uint16_t want;

	(void)state;
	want = unit_csum(h, sizeof(h));
	h[10] = 0x55;	/* whatever was there is ignored */
	pkt_ip4_set_csum(ip);
	assert_int_equal(unit_rd16(h + 10), want);
	assert_true(pkt_ip4_csum_ok(ip));
	h[22] = 1;	/* an option byte */
	assert_false(pkt_ip4_csum_ok(ip));
}

/* Summing in even-sized pieces gives the same as summing all at once. */
static void
test_csum_partial_chains_over_even_splits(void **state)
{
	uint32_t seed = 0x1071;
	uint8_t buf[301];
	int it;

	(void)state;
	for (it = 0; it < ITERATIONS; it++) {
		size_t len = unit_rand(&seed) % sizeof(buf);
		size_t cut = (unit_rand(&seed) % (len + 1)) & ~(size_t)1;
		uint32_t s;

		unit_rand_fill(&seed, buf, len);
		s = pkt_csum_partial(buf, cut, 0);
		s = pkt_csum_partial(buf + cut, len - cut, s);
		assert_int_equal(pkt_csum_fold(s), unit_sum16(buf, len, 0));
	}
}

/* Large unfolded starting sums do not lose carries. */
static void
test_csum_partial_keeps_carries_of_large_sums(void **state)
{
	uint8_t buf[4096];

	(void)state;
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(pkt_csum_fold(pkt_csum_partial(buf, sizeof(buf),
							0xfffffff0u)),
			 unit_sum16(buf, sizeof(buf), 0xfffffff0u));
}

/*
 * RFC 1624: change a 2, 4 or 16 byte field of a random buffer, update the
 * checksum incrementally, and compare with summing the new buffer again.
 */
static void
test_csum_replace_equals_full_recompute_random(void **state)
{
	uint32_t seed = 1624;
	uint8_t buf[256];
	int it;

	(void)state;
	for (it = 0; it < ITERATIONS; it++) {
		static const size_t sizes[] = { 2, 4, 16 };
		size_t len = 40 + (unit_rand(&seed) % 200);
		size_t fsize = sizes[unit_rand(&seed) % 3];
		size_t coff, foff;
		uint16_t c, want, got;
		uint32_t old_sum, new_sum;

		unit_rand_fill(&seed, buf, len);
		/* even offsets; the field must not overlap the checksum */
		coff = (unit_rand(&seed) % (len / 2)) * 2;
		do {
			foff = (unit_rand(&seed) % ((len - fsize) / 2 + 1)) * 2;
		} while (foff < coff + 2 && coff < foff + fsize);

		unit_wr16(buf + coff, 0);
		c = htons(unit_csum(buf, len));
		memcpy(buf + coff, &c, 2);
		assert_int_equal(unit_sum16(buf, len, 0), 0xffff);

		old_sum = pkt_csum_partial(buf + foff, fsize, 0);
		unit_rand_fill(&seed, buf + foff, fsize);
		new_sum = pkt_csum_partial(buf + foff, fsize, 0);
		got = pkt_csum_replace(c, old_sum, new_sum);

		unit_wr16(buf + coff, 0);
		want = unit_csum(buf, len);
		assert_int_equal(ntohs(got), want);
	}
}

/*
 * The translators' use: replace one pseudo-header by another (unfolded
 * 32-bit sums on both sides) and get the checksum of the other family.
 */
static void
test_csum_replace_swaps_pseudo4_for_pseudo6(void **state)
{
	uint32_t seed = 7915;
	uint8_t l4[200], src4[4], dst4[4], src6[16], dst6[16];
	int it;

	(void)state;
	for (it = 0; it < ITERATIONS; it++) {
		size_t len = 8 + unit_rand(&seed) % (sizeof(l4) - 8);
		uint32_t s4, d4;
		uint16_t c4, c6;

		unit_rand_fill(&seed, l4, len);
		unit_rand_fill(&seed, src4, 4);
		unit_rand_fill(&seed, dst4, 4);
		unit_rand_fill(&seed, src6, 16);
		unit_rand_fill(&seed, dst6, 16);
		memcpy(&s4, src4, 4);
		memcpy(&d4, dst4, 4);
		unit_wr16(l4 + 6, 0);
		unit_wr16(l4 + 6, (uint16_t)~unit_l4_sum4(src4, dst4, 17, l4,
							  len));
		memcpy(&c4, l4 + 6, 2);
		assert_int_equal(unit_l4_sum4(src4, dst4, 17, l4, len), 0xffff);

		c6 = pkt_csum_replace(c4, pkt_addr4_sum(s4, d4),
				      pkt_addr6_sum(src6, dst6));
		memcpy(l4 + 6, &c6, 2);
		assert_int_equal(unit_l4_sum6(src6, dst6, 17, l4, len), 0xffff);
	}
}

static void
test_csum_pseudo4_sum_matches_reference(void **state)
{
	uint32_t seed = 768;
	int it;

	(void)state;
	for (it = 0; it < ITERATIONS; it++) {
		uint8_t ph[12];
		uint8_t proto = (uint8_t)unit_rand(&seed);
		uint32_t len = unit_rand(&seed) % 65536, s, d;

		unit_rand_fill(&seed, ph, 8);
		memcpy(&s, ph, 4);
		memcpy(&d, ph + 4, 4);
		ph[8] = 0;
		ph[9] = proto;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		assert_int_equal(pkt_csum_fold(pkt_pseudo4_sum(s, d, proto,
							       len)),
				 unit_sum16(ph, 12, 0));
		assert_int_equal(pkt_csum_fold(pkt_addr4_sum(s, d)),
				 unit_sum16(ph, 8, 0));
	}
}

static void
test_csum_pseudo6_sum_matches_reference(void **state)
{
	uint32_t seed = 8200;
	int it;

	(void)state;
	for (it = 0; it < ITERATIONS; it++) {
		uint8_t src[16], dst[16], ph[40];
		uint8_t proto = (uint8_t)unit_rand(&seed);
		/* include jumbo-sized lengths: 32-bit length field */
		uint32_t len = it % 4 == 0 ? unit_rand(&seed) :
			       unit_rand(&seed) % 65536;

		unit_rand_fill(&seed, src, 16);
		unit_rand_fill(&seed, dst, 16);
		memcpy(ph, src, 16);
		memcpy(ph + 16, dst, 16);
		ph[32] = (uint8_t)(len >> 24);
		ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		assert_int_equal(pkt_csum_fold(pkt_pseudo6_sum(src, dst, proto,
							       len)),
				 unit_sum16(ph, 40, 0));
		assert_int_equal(pkt_csum_fold(pkt_addr6_sum(src, dst)),
				 unit_sum16(ph, 32, 0));
	}
}

/* A UDP datagram summed with pkt_pseudo6_sum + payload verifies. */
static void
test_csum_pseudo6_plus_payload_verifies(void **state)
{
	uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint8_t udp[13] = { 0x30, 0x39, 0x00, 0x35, 0x00, 0x0d, 0, 0,
			    'h', 'e', 'l', 'l', 'o' };
	uint16_t c;

	(void)state;
	c = pkt_csum_finish(pkt_csum_partial(udp, sizeof(udp),
					     pkt_pseudo6_sum(src, dst, 17,
							     sizeof(udp))));
	memcpy(udp + 6, &c, 2);
	assert_int_equal(unit_l4_sum6(src, dst, 17, udp, sizeof(udp)), 0xffff);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_rfc1071_example_sums_to_ddf2),
		cmocka_unit_test(test_csum_odd_length_pads_last_byte_with_zero),
		cmocka_unit_test(test_csum_fold_carries_twice),
		cmocka_unit_test(test_csum_ip4_header_known_value),
		cmocka_unit_test(test_csum_ip4_header_covers_options),
		cmocka_unit_test(test_csum_partial_chains_over_even_splits),
		cmocka_unit_test(test_csum_partial_keeps_carries_of_large_sums),
		cmocka_unit_test(test_csum_replace_equals_full_recompute_random),
		cmocka_unit_test(test_csum_replace_swaps_pseudo4_for_pseudo6),
		cmocka_unit_test(test_csum_pseudo4_sum_matches_reference),
		cmocka_unit_test(test_csum_pseudo6_sum_matches_reference),
		cmocka_unit_test(test_csum_pseudo6_plus_payload_verifies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
