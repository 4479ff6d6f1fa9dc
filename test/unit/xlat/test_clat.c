/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/clat.c: a node's /96 from its site /48 and its MAC (seed 003),
 * with the seed's own example, the rejection of every other range length,
 * and an IPv4 address embedded under the result.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>

#include "xlat.h"

static const uint8_t seed_mac[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };

static void
range(const char *s, unsigned int len, struct pkt_pfx6 *p)
{
	assert_int_equal(inet_pton(AF_INET6, s, p->addr), 1);
	p->len = (uint8_t)len;
}

/* fddd:1337:1337::/48 + 12:34:56:78:9a:bc -> ...:1234:5678:9abc::/96 */
static void
test_clat_node_prefix_seed_example(void **state)
{
	struct pkt_pfx6 r, out;
	uint8_t want[16];

	(void)state;
	range("fddd:1337:1337::", 48, &r);
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(xlat_node_prefix(&r, seed_mac, &out), 0);
	assert_int_equal(inet_pton(AF_INET6, "fddd:1337:1337:1234:5678:9abc::",
				   want), 1);
	assert_memory_equal(out.addr, want, 16);
	assert_int_equal(out.len, 96);
	assert_true(xlat_rfc6052_len_ok(out.len));
}

/* The /96 is a usable RFC 6052 prefix: 192.168.0.10 lands in the last 32. */
static void
test_clat_node_prefix_embeds_ipv4_in_last_32_bits(void **state)
{
	struct pkt_pfx6 r, out;
	struct in_addr a;
	uint8_t got[16], want[16];

	(void)state;
	range("fddd:1337:1337::", 48, &r);
	assert_int_equal(xlat_node_prefix(&r, seed_mac, &out), 0);
	assert_int_equal(inet_pton(AF_INET, "192.168.0.10", &a), 1);
	xlat_rfc6052_embed(&out, a.s_addr, got);
	assert_int_equal(inet_pton(AF_INET6,
				   "fddd:1337:1337:1234:5678:9abc:c0a8:a",
				   want), 1);
	assert_memory_equal(got, want, 16);
	assert_int_equal(xlat_rfc6052_extract(&out, got), a.s_addr);
}

static void
test_clat_node_prefix_rejects_non_48(void **state)
{
	static const unsigned int lens[] = { 0, 32, 40, 47, 49, 56, 64, 96,
					     128 };
	struct pkt_pfx6 r, out;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		range("fddd:1337:1337::", lens[i], &r);
		assert_int_equal(xlat_node_prefix(&r, seed_mac, &out), -EINVAL);
	}
}

/* Different MACs give different, non-overlapping /96s. */
static void
test_clat_node_prefix_differs_per_mac(void **state)
{
	static const uint8_t mac2[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbd };
	struct pkt_pfx6 r, a, b;

	(void)state;
	range("64:ff9b:1::", 48, &r);
	assert_int_equal(xlat_node_prefix(&r, seed_mac, &a), 0);
	assert_int_equal(xlat_node_prefix(&r, mac2, &b), 0);
	assert_false(pkt_pfx6_match(&a, b.addr));
	assert_true(pkt_pfx6_match(&r, a.addr));
	assert_true(pkt_pfx6_match(&r, b.addr));
	assert_int_equal(a.addr[15], 0);
	assert_int_equal(b.addr[11], 0xbd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clat_node_prefix_seed_example),
		cmocka_unit_test(test_clat_node_prefix_embeds_ipv4_in_last_32_bits),
		cmocka_unit_test(test_clat_node_prefix_rejects_non_48),
		cmocka_unit_test(test_clat_node_prefix_differs_per_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
