/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/rfc6052.c: the table of RFC 6052 section 2.4 (192.0.2.33 under
 * every allowed prefix length) run both ways, embed and extract, as Jool's
 * rfc6052_test.c does; the u-octet (bits 64..71) stays zero; bits of the
 * prefix beyond its length and the suffix are ignored; random round trips
 * for every length; and the list of allowed lengths.
 */
#include "unit.h"

#include <arpa/inet.h>

#include "xlat.h"

struct rfc6052_case {
	const char *prefix;
	unsigned int len;
	const char *v4;
	const char *v6;
};

/* RFC 6052 section 2.4, Table 2. */
static const struct rfc6052_case table[] = {
	{ "2001:db8::", 32, "192.0.2.33", "2001:db8:c000:221::" },
	{ "2001:db8:100::", 40, "192.0.2.33", "2001:db8:1c0:2:21::" },
	{ "2001:db8:122::", 48, "192.0.2.33", "2001:db8:122:c000:2:2100::" },
	{ "2001:db8:122:300::", 56, "192.0.2.33", "2001:db8:122:3c0:0:221::" },
	{ "2001:db8:122:344::", 64, "192.0.2.33",
	  "2001:db8:122:344:c0:2:2100:0" },
	{ "2001:db8:122:344::", 96, "192.0.2.33",
	  "2001:db8:122:344::192.0.2.33" },
	/* RFC 6052 section 2.1: the Well-Known Prefix */
	{ "64:ff9b::", 96, "192.0.2.33", "64:ff9b::c000:221" },
};

#define N_TABLE (sizeof(table) / sizeof(table[0]))

static void
pfx6(const char *s, unsigned int len, struct pkt_pfx6 *p)
{
	assert_int_equal(inet_pton(AF_INET6, s, p->addr), 1);
	p->len = (uint8_t)len;
}

static uint32_t
v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
test_rfc6052_table_embeds(void **state)
{
	uint8_t want[16], got[16];
	struct pkt_pfx6 p;
	unsigned int i;

	(void)state;
	for (i = 0; i < N_TABLE; i++) {
		pfx6(table[i].prefix, table[i].len, &p);
		assert_int_equal(inet_pton(AF_INET6, table[i].v6, want), 1);
		memset(got, 0xa5, sizeof(got));
		xlat_rfc6052_embed(&p, v4(table[i].v4), got);
		assert_memory_equal(got, want, 16);
	}
}

static void
test_rfc6052_table_extracts(void **state)
{
	struct pkt_pfx6 p;
	uint8_t a[16];
	unsigned int i;

	(void)state;
	for (i = 0; i < N_TABLE; i++) {
		pfx6(table[i].prefix, table[i].len, &p);
		assert_int_equal(inet_pton(AF_INET6, table[i].v6, a), 1);
		assert_true(pkt_pfx6_match(&p, a));
		assert_int_equal(xlat_rfc6052_extract(&p, a),
				 v4(table[i].v4));
	}
}

/* /40 puts 8 bits before and 24 after the u-octet. */
static void
test_rfc6052_prefix40_skips_u_octet(void **state)
{
	struct pkt_pfx6 p;
	uint8_t a[16];

	(void)state;
	pfx6("2001:db8:100::", 40, &p);
	xlat_rfc6052_embed(&p, v4("192.0.2.33"), a);
	assert_int_equal(a[5], 192);
	assert_int_equal(a[6], 0);
	assert_int_equal(a[7], 2);
	assert_int_equal(a[8], 0);	/* u-octet */
	assert_int_equal(a[9], 33);
}

/* Below /96 the u-octet is zero whatever the IPv4 address. */
static void
test_rfc6052_u_octet_stays_zero(void **state)
{
	static const unsigned int lens[] = { 32, 40, 48, 56, 64 };
	uint32_t seed = 6052;
	struct pkt_pfx6 p;
	uint8_t a[16];
	unsigned int i, it;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (it = 0; it < 100; it++) {
			pfx6("2001:db8::", lens[i], &p);
			xlat_rfc6052_embed(&p, unit_rand(&seed) | 0x01010101u,
					   a);
			assert_int_equal(a[8], 0);
		}
	}
}

/* Bits of the prefix beyond its length never leak into the address. */
static void
test_rfc6052_embed_ignores_bits_beyond_prefix(void **state)
{
	uint8_t want[16], got[16];
	struct pkt_pfx6 p;
	unsigned int i;

	(void)state;
	for (i = 0; i < N_TABLE; i++) {
		pfx6(table[i].prefix, table[i].len, &p);
		memset(p.addr + table[i].len / 8, 0xff,
		       16 - table[i].len / 8);
		assert_int_equal(inet_pton(AF_INET6, table[i].v6, want), 1);
		xlat_rfc6052_embed(&p, v4(table[i].v4), got);
		assert_memory_equal(got, want, 16);
	}
}

/* Extraction reads only the 32 address bits: suffix and u-octet ignored. */
static void
test_rfc6052_extract_ignores_suffix_and_u_octet(void **state)
{
	struct pkt_pfx6 p;
	uint8_t a[16];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < N_TABLE; i++) {
		if (table[i].len == 96)
			continue;
		pfx6(table[i].prefix, table[i].len, &p);
		assert_int_equal(inet_pton(AF_INET6, table[i].v6, a), 1);
		a[8] = 0xff;
		for (j = table[i].len / 8 + 5; j < 16; j++)
			a[j] = 0xee;
		assert_int_equal(xlat_rfc6052_extract(&p, a),
				 v4(table[i].v4));
	}
}

static void
test_rfc6052_random_round_trip_every_length(void **state)
{
	static const unsigned int lens[] = { 32, 40, 48, 56, 64, 96 };
	uint32_t seed = 4291;
	unsigned int i, it;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (it = 0; it < 200; it++) {
			struct pkt_pfx6 p;
			uint8_t a[16];
			uint32_t addr = unit_rand(&seed);

			memset(&p, 0, sizeof(p));
			unit_rand_fill(&seed, p.addr, lens[i] / 8);
			p.len = (uint8_t)lens[i];
			xlat_rfc6052_embed(&p, addr, a);
			assert_true(pkt_pfx6_match(&p, a));
			assert_int_equal(xlat_rfc6052_extract(&p, a), addr);
		}
	}
}

static void
test_rfc6052_len_ok_accepts_only_section_2_2_lengths(void **state)
{
	unsigned int len, n = 0;

	(void)state;
	for (len = 0; len <= 256; len++) {
		int want = len == 32 || len == 40 || len == 48 || len == 56 ||
			   len == 64 || len == 96;

		assert_int_equal(!!xlat_rfc6052_len_ok(len), want);
		n += want;
	}
	assert_int_equal(n, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6052_table_embeds),
		cmocka_unit_test(test_rfc6052_table_extracts),
		cmocka_unit_test(test_rfc6052_prefix40_skips_u_octet),
		cmocka_unit_test(test_rfc6052_u_octet_stays_zero),
		cmocka_unit_test(test_rfc6052_embed_ignores_bits_beyond_prefix),
		cmocka_unit_test(test_rfc6052_extract_ignores_suffix_and_u_octet),
		cmocka_unit_test(test_rfc6052_random_round_trip_every_length),
		cmocka_unit_test(test_rfc6052_len_ok_accepts_only_section_2_2_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
