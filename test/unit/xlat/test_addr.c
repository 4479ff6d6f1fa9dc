/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat/addr.c: xlat_addr46() and xlat_addr64(). The EAMT (RFC 7757)
 * first, longest prefix wins on the side being looked up, the suffix
 * carried across; then RFC 6052 with pool6, where a CLAT embeds its own
 * clients in local6 (sources 4->6, destinations 6->4); the Well-Known
 * Prefix refuses non-global IPv4 addresses (RFC 6052 section 3.1) while
 * other prefixes, 64:ff9b:1::/48 included, take any; and -1 for what has
 * no translation. The EAMT arrays follow the documented contract: eam4
 * sorted by len4 longest first, eam6 by p6.len longest first.
 */
#include "unit.h"

#include <arpa/inet.h>

#include "xlat.h"

static uint32_t
a4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
a6(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void
eam(struct xlat_eam *e, const char *p6, unsigned int len6, const char *p4,
    unsigned int len4)
{
	memset(e, 0, sizeof(*e));
	a6(p6, e->p6.addr);
	e->p6.len = (uint8_t)len6;
	e->p4 = a4(p4);
	e->len4 = (uint8_t)len4;
}

static void
pfx6(struct pkt_pfx6 *p, const char *s, unsigned int len)
{
	a6(s, p->addr);
	p->len = (uint8_t)len;
}

static void
expect46(const struct xlat_cfg *c, const char *v4, int is_src,
	 const char *want6)
{
	uint8_t got[16], want[16];

	memset(got, 0xa5, sizeof(got));
	a6(want6, want);
	assert_int_equal(xlat_addr46(c, a4(v4), is_src, got), 0);
	assert_memory_equal(got, want, 16);
}

static void
expect64(const struct xlat_cfg *c, const char *v6, int is_src,
	 const char *want4)
{
	uint8_t a[16];
	uint32_t got = 0xa5a5a5a5u;

	a6(v6, a);
	assert_int_equal(xlat_addr64(c, a, is_src, &got), 0);
	assert_int_equal(got, a4(want4));
}

static void
refuse46(const struct xlat_cfg *c, const char *v4, int is_src)
{
	uint8_t got[16];

	assert_int_equal(xlat_addr46(c, a4(v4), is_src, got), -1);
}

static void
refuse64(const struct xlat_cfg *c, const char *v6, int is_src)
{
	uint8_t a[16];
	uint32_t got;

	a6(v6, a);
	assert_int_equal(xlat_addr64(c, a, is_src, &got), -1);
}

/*
 * The entries of the RFC 7757 section 3.1 example EAMT whose IPv4 and
 * IPv6 suffixes are equally long (the contract of struct xlat_eam and of
 * lib/conf): #1, #2, #3 and #6. The same four entries serve both arrays;
 * sorted by prefix length they are in the same order on either side.
 */
static struct xlat_eam rfc7757[4];

static void
cfg_rfc7757(struct xlat_cfg *c)
{
	xlat_cfg_init(c);
	eam(&rfc7757[0], "2001:db8:aaaa::", 128, "192.0.2.1", 32);
	eam(&rfc7757[1], "2001:db8:bbbb::b", 128, "192.0.2.2", 32);
	eam(&rfc7757[2], "64:ff9b::", 127, "192.0.2.224", 31);
	eam(&rfc7757[3], "2001:db8:cccc::", 124, "192.0.2.16", 28);
	c->eam4 = rfc7757;
	c->eam6 = rfc7757;
	c->n_eam = 4;
}

static void
test_addr_eamt_rfc7757_examples_46(void **state)
{
	struct xlat_cfg c;
	int is_src;

	(void)state;
	cfg_rfc7757(&c);
	for (is_src = 0; is_src < 2; is_src++) {
		expect46(&c, "192.0.2.1", is_src, "2001:db8:aaaa::");
		expect46(&c, "192.0.2.2", is_src, "2001:db8:bbbb::b");
		expect46(&c, "192.0.2.16", is_src, "2001:db8:cccc::");
		expect46(&c, "192.0.2.17", is_src, "2001:db8:cccc::1");
		expect46(&c, "192.0.2.31", is_src, "2001:db8:cccc::f");
		expect46(&c, "192.0.2.224", is_src, "64:ff9b::");
		expect46(&c, "192.0.2.225", is_src, "64:ff9b::1");
		/* no EAM, no pool6: nothing */
		refuse46(&c, "192.0.2.3", is_src);
		refuse46(&c, "192.0.2.32", is_src);
		refuse46(&c, "192.0.2.226", is_src);
	}
}

static void
test_addr_eamt_rfc7757_examples_64(void **state)
{
	struct xlat_cfg c;
	int is_src;

	(void)state;
	cfg_rfc7757(&c);
	for (is_src = 0; is_src < 2; is_src++) {
		expect64(&c, "2001:db8:aaaa::", is_src, "192.0.2.1");
		expect64(&c, "2001:db8:bbbb::b", is_src, "192.0.2.2");
		expect64(&c, "2001:db8:cccc::", is_src, "192.0.2.16");
		expect64(&c, "2001:db8:cccc::1", is_src, "192.0.2.17");
		expect64(&c, "2001:db8:cccc::f", is_src, "192.0.2.31");
		expect64(&c, "64:ff9b::1", is_src, "192.0.2.225");
		refuse64(&c, "2001:db8:aaaa::1", is_src);
		refuse64(&c, "2001:db8:bbbb::a", is_src);
		refuse64(&c, "2001:db8:cccc::10", is_src);
		refuse64(&c, "64:ff9b::2", is_src);
	}
}

/*
 * Overlapping entries (RFC 7757 section 3.2, longest prefix): an IPv4 /28
 * inside a /24, and on the IPv6 side a /124 inside a /120. eam4 is
 * sorted by len4, eam6 by p6.len, each longest first.
 */
static struct xlat_eam ov4[4], ov6[4];

static void
cfg_overlap(struct xlat_cfg *c)
{
	xlat_cfg_init(c);
	/* IPv4 side: 198.51.100.32/28 inside 198.51.100.0/24 */
	eam(&ov4[0], "2001:db8:8::", 124, "198.51.100.32", 28);
	eam(&ov4[1], "2001:db8:100::10", 124, "192.0.2.32", 28);
	eam(&ov4[2], "2001:db8:6::", 120, "198.51.100.0", 24);
	eam(&ov4[3], "2001:db8:100::", 120, "203.0.113.0", 24);
	/* IPv6 side: 2001:db8:100::10/124 inside 2001:db8:100::/120 */
	ov6[0] = ov4[0];
	ov6[1] = ov4[1];
	ov6[2] = ov4[2];
	ov6[3] = ov4[3];
	c->eam4 = ov4;
	c->eam6 = ov6;
	c->n_eam = 4;
}

static void
test_addr_eamt_longest_ipv4_prefix_wins_46(void **state)
{
	struct xlat_cfg c;

	(void)state;
	cfg_overlap(&c);
	expect46(&c, "198.51.100.33", 0, "2001:db8:8::1");
	expect46(&c, "198.51.100.32", 1, "2001:db8:8::");
	expect46(&c, "198.51.100.47", 0, "2001:db8:8::f");
	expect46(&c, "198.51.100.31", 1, "2001:db8:6::1f");
	expect46(&c, "198.51.100.48", 0, "2001:db8:6::30");
	expect46(&c, "198.51.100.255", 1, "2001:db8:6::ff");
	expect46(&c, "192.0.2.42", 0, "2001:db8:100::1a");
	expect46(&c, "203.0.113.9", 0, "2001:db8:100::9");
}

static void
test_addr_eamt_longest_ipv6_prefix_wins_64(void **state)
{
	struct xlat_cfg c;

	(void)state;
	cfg_overlap(&c);
	expect64(&c, "2001:db8:100::1a", 0, "192.0.2.42");
	expect64(&c, "2001:db8:100::10", 1, "192.0.2.32");
	expect64(&c, "2001:db8:100::1f", 1, "192.0.2.47");
	expect64(&c, "2001:db8:100::f", 0, "203.0.113.15");
	expect64(&c, "2001:db8:100::20", 1, "203.0.113.32");
	expect64(&c, "2001:db8:8::2", 0, "198.51.100.34");
	expect64(&c, "2001:db8:6::1f", 0, "198.51.100.31");
	refuse64(&c, "2001:db8:100::100", 0);
}

/* RFC 7757 section 3.2: the EAMT first, pool6 for the rest. */
static void
test_addr_eamt_before_pool6_then_pool6_fallback(void **state)
{
	struct xlat_cfg c;
	int is_src;

	(void)state;
	cfg_overlap(&c);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "2001:db8:64::", 96);
	for (is_src = 0; is_src < 2; is_src++) {
		expect46(&c, "198.51.100.7", is_src, "2001:db8:6::7");
		expect46(&c, "10.1.2.3", is_src, "2001:db8:64::a01:203");
		expect46(&c, "198.51.101.7", is_src, "2001:db8:64::c633:6507");
		expect64(&c, "2001:db8:6::7", is_src, "198.51.100.7");
		expect64(&c, "2001:db8:64::a01:203", is_src, "10.1.2.3");
		/* the pool6 form of an EAM address maps too (hairpin) */
		expect64(&c, "2001:db8:64::c633:6407", is_src,
			 "198.51.100.7");
		refuse64(&c, "2001:db8:65::a01:203", is_src);
		refuse64(&c, "2001:db8:100::100", is_src);
	}
	/* and at another RFC 6052 length (RFC 6052 section 2.4) */
	c.n_eam = 0;
	pfx6(&c.pool6, "2001:db8:100::", 40);
	expect46(&c, "192.0.2.33", 0, "2001:db8:1c0:2:21::");
	expect64(&c, "2001:db8:1c0:2:21::", 1, "192.0.2.33");
}

/*
 * A CLAT (RFC 6877): its clients are sources 4->6 and destinations 6->4
 * in local6, the CLAT prefix; everything else is in pool6, the PLAT
 * prefix. A 6->4 destination outside local6 has no translation, even in
 * pool6.
 */
static void
test_addr_clat_local6_for_clients_pool6_for_the_world(void **state)
{
	struct xlat_cfg c;

	(void)state;
	xlat_cfg_init(&c);
	c.has_local6 = 1;
	pfx6(&c.local6, "fddd:1337:1337:1234:5678:9abc::", 96);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b:1:abcd:ef01:2345::", 96);

	expect46(&c, "192.168.0.10", 1, "fddd:1337:1337:1234:5678:9abc:c0a8:a");
	expect46(&c, "192.168.0.10", 0, "64:ff9b:1:abcd:ef01:2345:c0a8:a");
	expect46(&c, "198.51.100.7", 0, "64:ff9b:1:abcd:ef01:2345:c633:6407");
	expect46(&c, "198.51.100.7", 1,
		 "fddd:1337:1337:1234:5678:9abc:c633:6407");

	expect64(&c, "fddd:1337:1337:1234:5678:9abc:c0a8:a", 0,
		 "192.168.0.10");
	expect64(&c, "64:ff9b:1:abcd:ef01:2345:c633:6407", 1, "198.51.100.7");
	/* destinations only in local6, sources only in pool6 */
	refuse64(&c, "64:ff9b:1:abcd:ef01:2345:c633:6407", 0);
	refuse64(&c, "fddd:1337:1337:1234:5678:9abc:c0a8:a", 1);
	refuse64(&c, "fddd:1337:1337:1234:5678:9abd:c0a8:a", 0);
	refuse64(&c, "2001:db8::1", 0);
	refuse64(&c, "2001:db8::1", 1);
}

/* The same CLAT with an EAM: the EAMT wins over local6 too. */
static void
test_addr_clat_eamt_wins_over_local6(void **state)
{
	static struct xlat_eam e[1];
	struct xlat_cfg c;

	(void)state;
	xlat_cfg_init(&c);
	c.has_local6 = 1;
	pfx6(&c.local6, "fddd:1337:1337:1234:5678:9abc::", 96);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b:1:abcd:ef01:2345::", 96);
	eam(&e[0], "2001:db8:aaaa::", 128, "192.168.0.10", 32);
	c.eam4 = e;
	c.eam6 = e;
	c.n_eam = 1;
	expect46(&c, "192.168.0.10", 1, "2001:db8:aaaa::");
	expect64(&c, "2001:db8:aaaa::", 0, "192.168.0.10");
}

/*
 * RFC 6052 section 3.1: the Well-Known Prefix MUST NOT be used to
 * represent non-global IPv4 addresses (RFC 6890), in either direction.
 * Two lists: the ranges that are never a unicast peer, which lib/xlat
 * refuses, and the private, shared, documentation and benchmarking
 * ranges, which RFC 6052 refuses too but lib/xlat/addr.c now translates
 * on purpose (its comment cites draft-ietf-v6ops-nat64-wkp-1918).
 */
static const char *const never_unicast[] = {
	"127.0.0.1", "169.254.1.1", "0.1.2.3", "224.0.0.1",
	"239.255.255.250", "240.0.0.1", "255.255.255.255",
};

static const char *const non_global[] = {
	"10.0.0.1", "10.255.255.254", "192.168.1.1", "172.16.0.1",
	"172.31.255.1", "100.64.0.1", "100.127.255.1", "192.0.0.8",
	"192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1",
	"198.19.255.1",
};

static const char *const global[] = {
	"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.1", "100.128.0.1",
	"192.0.3.1", "192.169.0.1", "198.20.0.1", "223.255.255.1",
	"151.101.1.69",
};

static void
assert_wkp_refuses(const char *const *list, unsigned int n)
{
	struct xlat_cfg c;
	unsigned int i;
	uint8_t v6[16];
	int is_src;

	xlat_cfg_init(&c);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b::", 96);
	for (i = 0; i < n; i++) {
		struct pkt_pfx6 p = c.pool6;

		for (is_src = 0; is_src < 2; is_src++)
			refuse46(&c, list[i], is_src);
		xlat_rfc6052_embed(&p, a4(list[i]), v6);
		for (is_src = 0; is_src < 2; is_src++) {
			uint32_t got;

			/* -2: embeds an address no one may use */
			assert_int_equal(xlat_addr64(&c, v6, is_src, &got), -2);
		}
	}
}

static void
test_addr_wkp_refuses_loopback_link_local_multicast_reserved(void **state)
{
	(void)state;
	assert_wkp_refuses(never_unicast,
			   sizeof(never_unicast) / sizeof(never_unicast[0]));
}

/*
 * RFC 6052 3.1 would refuse these too; we translate them on purpose (CLATs
 * reach internal IPv4 through the WKP, draft-ietf-v6ops-nat64-wkp-1918
 * lifts the rule; see doc/conformance/rfc7915.md).
 */
static void
test_addr_wkp_translates_private_shared_documentation(void **state)
{
	struct xlat_cfg c;
	unsigned int i;
	uint8_t v6[16];
	uint32_t got;

	(void)state;
	xlat_cfg_init(&c);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b::", 96);
	for (i = 0; i < sizeof(non_global) / sizeof(non_global[0]); i++) {
		assert_int_equal(xlat_addr46(&c, a4(non_global[i]), 0, v6), 0);
		assert_int_equal(xlat_addr64(&c, v6, 0, &got), 0);
		assert_int_equal(got, a4(non_global[i]));
	}
}

static void
test_addr_wkp_takes_global_ipv4(void **state)
{
	struct xlat_cfg c;
	unsigned int i;
	uint8_t v6[16];
	int is_src;

	(void)state;
	xlat_cfg_init(&c);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b::", 96);
	for (i = 0; i < sizeof(global) / sizeof(global[0]); i++) {
		uint32_t got;

		for (is_src = 0; is_src < 2; is_src++) {
			assert_int_equal(xlat_addr46(&c, a4(global[i]), is_src,
						     v6), 0);
			assert_int_equal(xlat_addr64(&c, v6, is_src, &got), 0);
			assert_int_equal(got, a4(global[i]));
		}
	}
	expect46(&c, "8.8.8.8", 0, "64:ff9b::808:808");
}

/*
 * Other prefixes, the local-use 64:ff9b:1::/48 (RFC 8215) and any /96
 * that is not exactly 64:ff9b::/96, represent non-global addresses.
 */
static void
test_addr_other_prefixes_take_non_global_ipv4(void **state)
{
	static const struct {
		const char *pfx;
		unsigned int len;
	} pools[] = {
		{ "64:ff9b:1::", 48 }, { "64:ff9b:1::", 96 },
		{ "2001:db8::", 96 }, { "64:ff9b::", 64 }, { "64:ff9a::", 96 },
	};
	struct xlat_cfg c;
	unsigned int i, k;

	(void)state;
	for (k = 0; k < sizeof(pools) / sizeof(pools[0]); k++) {
		xlat_cfg_init(&c);
		c.has_pool6 = 1;
		pfx6(&c.pool6, pools[k].pfx, pools[k].len);
		for (i = 0; i < sizeof(non_global) / sizeof(non_global[0]);
		     i++) {
			uint8_t v6[16];
			uint32_t got;

			assert_int_equal(xlat_addr46(&c, a4(non_global[i]), 0,
						     v6), 0);
			assert_int_equal(xlat_addr64(&c, v6, 1, &got), 0);
			assert_int_equal(got, a4(non_global[i]));
		}
		for (i = 0; i < sizeof(never_unicast) /
		     sizeof(never_unicast[0]); i++) {
			uint8_t v6[16];
			uint32_t got;

			assert_int_equal(xlat_addr46(&c, a4(never_unicast[i]),
						     1, v6), 0);
			assert_int_equal(xlat_addr64(&c, v6, 0, &got), 0);
			assert_int_equal(got, a4(never_unicast[i]));
		}
	}
	xlat_cfg_init(&c);
	c.has_pool6 = 1;
	pfx6(&c.pool6, "64:ff9b:1::", 48);
	expect46(&c, "10.0.0.1", 0, "64:ff9b:1:a00:0:100::");
	expect46(&c, "192.168.1.1", 1, "64:ff9b:1:c0a8:1:100::");
}

/* No mapping at all, or an address outside every prefix: -1. */
static void
test_addr_untranslatable_is_minus_1(void **state)
{
	struct xlat_cfg c;
	uint8_t v6[16];
	int is_src;

	(void)state;
	xlat_cfg_init(&c);
	for (is_src = 0; is_src < 2; is_src++) {
		refuse46(&c, "8.8.8.8", is_src);
		refuse64(&c, "64:ff9b::808:808", is_src);
	}
	/* a pool6 the flag says is not there */
	pfx6(&c.pool6, "64:ff9b::", 96);
	refuse46(&c, "8.8.8.8", 0);
	refuse64(&c, "64:ff9b::808:808", 1);
	c.has_pool6 = 1;
	assert_int_equal(xlat_addr46(&c, a4("8.8.8.8"), 0, v6), 0);
	refuse64(&c, "64:ff9c::808:808", 1);
	refuse64(&c, "::ffff:8.8.8.8", 0);
}

/* xlat_cfg_init(): no mapping, 1280, the RFC 1191 plateaus. */
static void
test_addr_cfg_init_defaults(void **state)
{
	static const uint16_t rfc1191[] = { 65535, 32000, 17914, 8166, 4352,
					    2002, 1492, 1006, 508, 296, 68 };
	struct xlat_cfg c;
	unsigned int i;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	xlat_cfg_init(&c);
	assert_int_equal(c.has_pool6, 0);
	assert_int_equal(c.has_local6, 0);
	assert_int_equal(c.has_rfc6791v6, 0);
	assert_int_equal(c.amend_udp_csum0, 0);
	assert_int_equal(c.n_eam, 0);
	assert_int_equal(c.n_rfc6791v4, 0);
	assert_int_equal(c.lowest_ipv6_mtu, 1280);
	assert_int_equal(c.n_plateaus, sizeof(rfc1191) / sizeof(rfc1191[0]));
	for (i = 0; i < c.n_plateaus; i++)
		assert_int_equal(c.plateaus[i], rfc1191[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_eamt_rfc7757_examples_46),
		cmocka_unit_test(test_addr_eamt_rfc7757_examples_64),
		cmocka_unit_test(test_addr_eamt_longest_ipv4_prefix_wins_46),
		cmocka_unit_test(test_addr_eamt_longest_ipv6_prefix_wins_64),
		cmocka_unit_test(test_addr_eamt_before_pool6_then_pool6_fallback),
		cmocka_unit_test(test_addr_clat_local6_for_clients_pool6_for_the_world),
		cmocka_unit_test(test_addr_clat_eamt_wins_over_local6),
		cmocka_unit_test(test_addr_wkp_refuses_loopback_link_local_multicast_reserved),
		cmocka_unit_test(test_addr_wkp_translates_private_shared_documentation),
		cmocka_unit_test(test_addr_wkp_takes_global_ipv4),
		cmocka_unit_test(test_addr_other_prefixes_take_non_global_ipv4),
		cmocka_unit_test(test_addr_untranslatable_is_minus_1),
		cmocka_unit_test(test_addr_cfg_init_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
