/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fw/rule_acl.c with a real EAL (no hugepages): chains compiled into
 * rte_acl contexts must classify every key exactly as the reference
 * matcher fw_ruleset_match_slow() does, the LOG category included. Hand
 * cases first (the seed's suffix rule, one-bit misses under prefix,
 * suffix and gapped masks, first match wins, inverted matches, ICMPv6
 * types in the port field, states, interfaces, empty chains, errors),
 * then random rulesets of 10, 1 000 and 10 000 rules against random keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>

#include "unit.h"

#include "fw.h"

#include "fw_gen.h"

static int
eal_up(void **state)
{
	static char *argv[] = {
		"test_fw_acl", "--no-huge", "-m", "256", "--no-shconf",
		"--no-pci", "--no-telemetry", "-l", "0",
		"--log-level=lib.eal:error", "--file-prefix=mx-test-fw-acl",
	};

	(void)state;
	return rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0 ? -1 : 0;
}

static int
eal_down(void **state)
{
	(void)state;
	rte_eal_cleanup();
	return 0;
}

static struct fw_ruleset *
ruleset_of(const char *const *lines, unsigned int n)
{
	struct fw_ruleset *rs = fw_ruleset_create();
	struct fw_err err;
	unsigned int i;

	assert_non_null(rs);
	for (i = 0; i < n; i++) {
		if (fw_ruleset_apply_line(rs, lines[i], &err) != 0)
			fail_msg("%s: %s", lines[i], err.msg);
	}
	assert_int_equal(fw_ruleset_resolve(rs, gen_resolve, NULL, &err), 0);
	return rs;
}

static void
addr(const char *text, uint8_t *a)
{
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

/* Classify one key with 'acl' and check it against the slow matcher. */
static uint32_t
classify1(const struct fw_ruleset *rs, enum fw_chain c, const struct fw_acl *acl,
	  const struct fw_key *k)
{
	const uint8_t *keys[1] = { (const uint8_t *)k };
	uint32_t res, log, slow, slow_log;

	assert_int_equal(fw_acl_classify_log(acl, keys, &res, &log, 1), 0);
	slow = fw_ruleset_match_slow(rs, c, k, &slow_log);
	assert_int_equal(res, slow);
	assert_int_equal(log, slow_log);
	return res;
}

/* A key from these fields must classify to 'want' (and slow agrees). */
static void
expect1(const struct fw_ruleset *rs, enum fw_chain c, const struct fw_acl *acl,
	const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t sport,
	uint16_t dport, uint16_t in, uint16_t out, uint32_t st, uint32_t want)
{
	struct fw_key k;

	fw_key_fill(&k, src, dst, proto, sport, dport, in, out, st);
	assert_int_equal(classify1(rs, c, acl, &k), want);
}

static struct fw_acl *
build(const struct fw_ruleset *rs, enum fw_chain c)
{
	char err[256];
	struct fw_acl *acl = fw_acl_build(rs, c, "t", 0, err, sizeof(err));

	if (acl == NULL)
		fail_msg("fw_acl_build: %s", err);
	return acl;
}

/* Seed 002: the server's stable suffix, whatever the prefix. */
static void
test_acl_seed_suffix_rule(void **state)
{
	static const char *const lines[] = {
		"ip6tables -A forwarding_rule -d "
		"::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff -p tcp -m tcp "
		"--dport 443 -m comment --comment \"Inbound-HTTPS\" -o port1 "
		"-j ACCEPT",
	};
	struct fw_ruleset *rs = ruleset_of(lines, 1);
	struct fw_acl *acl = build(rs, FW_CHAIN_FORWARD);
	uint8_t src[16], dst[16];
	unsigned int bit;

	(void)state;
	addr("2001:db8::99", src);
	addr("2001:1111:2222:3333:1234:5678:abcd:ef01", dst);
	expect1(rs, FW_CHAIN_FORWARD, acl, src, dst, 6, 40000, 443, 0, 1,
		FW_STATE_NEW, 1);
	/* Another prefix (the ISP renumbered): still the server. */
	addr("2a02:aaaa:bbbb:cccc:1234:5678:abcd:ef01", dst);
	expect1(rs, FW_CHAIN_FORWARD, acl, src, dst, 6, 40000, 443, 0, 1,
		FW_STATE_NEW, 1);
	/* Any one suffix bit off: not the server. */
	for (bit = 64; bit < 128; bit++) {
		uint8_t d2[16];

		memcpy(d2, dst, 16);
		d2[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		expect1(rs, FW_CHAIN_FORWARD, acl, src, d2, 6, 40000, 443, 0,
			1, FW_STATE_NEW, 0);
	}
	/* Wrong port, protocol or output port. */
	expect1(rs, FW_CHAIN_FORWARD, acl, src, dst, 6, 40000, 80, 0, 1,
		FW_STATE_NEW, 0);
	expect1(rs, FW_CHAIN_FORWARD, acl, src, dst, 17, 40000, 443, 0, 1,
		FW_STATE_NEW, 0);
	expect1(rs, FW_CHAIN_FORWARD, acl, src, dst, 6, 40000, 443, 0, 2,
		FW_STATE_NEW, 0);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

/*
 * Every single-bit miss under a mask is a miss (DPDK-NOTES: MASK-type
 * fields gave a false positive on a 72-bit suffix; BITMASK must not).
 */
static void
test_acl_masks_never_false_positive(void **state)
{
	static const char *const masks[] = {
		"/72", "/::ff:ffff:ffff:ffff:ffff", "/::ffff:ffff:ffff:ffff",
		"/ffff:0:ffff:0:ffff:0:ffff:0", "/f0f0::f0f", "/128", "/1",
		"/0:0:0:ff00::",
	};
	unsigned int m, bit;

	(void)state;
	for (m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		char line[160];
		const char *lines[1] = { line };
		struct fw_ruleset *rs;
		struct fw_acl *acl;
		const struct fw_rule *r;
		uint8_t src[16], dst[16];

		snprintf(line, sizeof(line), "-A INPUT -s "
			 "2001:db8:1:2:1234:5678:abcd:ef01%s -j DROP", masks[m]);
		rs = ruleset_of(lines, 1);
		acl = build(rs, FW_CHAIN_INPUT);
		r = fw_ruleset_rule(rs, FW_CHAIN_INPUT, 0);
		addr("2001:db8:1:2:1234:5678:abcd:ef01", src);
		addr("::1", dst);
		expect1(rs, FW_CHAIN_INPUT, acl, src, dst, 6, 1, 2, 0,
			FW_PORT_NONE, FW_STATE_NEW, 1);
		for (bit = 0; bit < 128; bit++) {
			uint8_t s2[16];
			int in_mask = r->src.mask[bit / 8] & (0x80 >> (bit % 8));

			memcpy(s2, src, 16);
			s2[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			expect1(rs, FW_CHAIN_INPUT, acl, s2, dst, 6, 1, 2, 0,
				FW_PORT_NONE, FW_STATE_NEW, in_mask ? 0 : 1);
		}
		fw_acl_free(acl);
		fw_ruleset_free(rs);
	}
}

static void
test_acl_first_match_wins_and_log(void **state)
{
	static const char *const lines[] = {
		"-A INPUT -p tcp --dport 22 -j LOG --log-prefix ssh",
		"-A INPUT -s 2001:db8::/32 -p tcp --dport 22 -j ACCEPT",
		"-A INPUT -p tcp --dport 22 -j DROP",
		"-A INPUT -j LOG",
		"-A INPUT -p tcp -j REJECT --reject-with tcp-reset",
	};
	struct fw_ruleset *rs = ruleset_of(lines, 5);
	struct fw_acl *acl = build(rs, FW_CHAIN_INPUT);
	uint8_t in[16], out[16], me[16];
	const uint8_t *keys[3];
	uint32_t res[3], log[3];
	struct fw_key k[3];

	(void)state;
	addr("2001:db8::5", in);
	addr("2a00::5", out);
	addr("2001:db8:ffff::1", me);
	fw_key_fill(&k[0], in, me, 6, 5000, 22, 0, FW_PORT_NONE, FW_STATE_NEW);
	fw_key_fill(&k[1], out, me, 6, 5000, 22, 0, FW_PORT_NONE, FW_STATE_NEW);
	fw_key_fill(&k[2], out, me, 17, 5000, 22, 0, FW_PORT_NONE,
		    FW_STATE_NEW);
	keys[0] = (const uint8_t *)&k[0];
	keys[1] = (const uint8_t *)&k[1];
	keys[2] = (const uint8_t *)&k[2];
	assert_int_equal(fw_acl_classify_log(acl, keys, res, log, 3), 0);
	assert_int_equal(res[0], 2);	/* ACCEPT beats the later DROP */
	assert_int_equal(log[0], 1);
	assert_int_equal(res[1], 3);
	assert_int_equal(log[1], 1);
	assert_int_equal(res[2], 0);	/* UDP: only LOG 4 applies */
	assert_int_equal(log[2], 4);
	assert_int_equal(fw_acl_classify(acl, keys, res, 3), 0);
	assert_int_equal(res[0], 2);
	assert_int_equal(res[2], 0);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

static void
test_acl_inverted_icmp_state_iface(void **state)
{
	static const char *const lines[] = {
		"-A FORWARD ! -s 2001:db8::/32 -p udp -m multiport "
		"! --dports 53,123,1000:2000 -j DROP",
		"-A FORWARD -p icmpv6 --icmpv6-type echo-request -j ACCEPT",
		"-A FORWARD -p icmpv6 ! --icmpv6-type 1/4 -j REJECT",
		"-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A FORWARD ! -i port1 -o port2 -j RETURN",
		"-A FORWARD ! -p tcp -j DROP",
	};
	struct fw_ruleset *rs = ruleset_of(lines, 6);
	struct fw_acl *acl = build(rs, FW_CHAIN_FORWARD);
	uint8_t a[16], b[16], c[16];

	(void)state;
	addr("2001:db8::1", a);
	addr("2a00::1", b);
	addr("2001:db8:1::1", c);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 17, 1, 80, 0, 1, FW_STATE_NEW,
		1);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 17, 1, 1500, 0, 1,
		FW_STATE_NEW, 6);
	expect1(rs, FW_CHAIN_FORWARD, acl, a, c, 17, 1, 80, 0, 1, FW_STATE_NEW,
		6);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 58, fw_icmp6_port(128, 0), 0,
		0, 1, FW_STATE_NEW, 2);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 58, fw_icmp6_port(1, 4), 0, 0,
		1, FW_STATE_RELATED, 4);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 58, fw_icmp6_port(1, 3), 0, 0,
		1, FW_STATE_RELATED, 3);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 6, 1, 2, 0, 2,
		FW_STATE_ESTABLISHED, 4);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 6, 1, 2, 0, 2, FW_STATE_NEW,
		5);
	expect1(rs, FW_CHAIN_FORWARD, acl, b, c, 6, 1, 2, 1, 2, FW_STATE_NEW,
		0);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

static void
test_acl_empty_and_errors(void **state)
{
	static const char *const lines[] = {
		"-A INPUT ! -s ::/0 -j DROP",
	};
	struct fw_ruleset *rs = ruleset_of(lines, 1);
	struct fw_acl *acl;
	struct fw_rule r;
	struct fw_err err;
	char msg[256];
	uint8_t a[16] = { 0x20 };
	uint32_t res = 7;
	const uint8_t *keys[1];
	struct fw_key k;

	(void)state;
	/* A rule that matches nothing, and an empty chain. */
	acl = build(rs, FW_CHAIN_INPUT);
	assert_int_equal(fw_acl_acl_rules(acl), 0);
	fw_key_fill(&k, a, a, 6, 1, 2, 0, 0, FW_STATE_NEW);
	keys[0] = (const uint8_t *)&k;
	assert_int_equal(fw_acl_classify(acl, keys, &res, 1), 0);
	assert_int_equal(res, 0);
	fw_acl_free(acl);
	acl = build(rs, FW_CHAIN_OUTPUT);
	assert_int_equal(fw_acl_rules(acl), 0);
	fw_acl_free(acl);
	fw_acl_free(NULL);

	/* An interface that was never resolved. */
	assert_true(fw_rule_parse("-A INPUT -i wan -j DROP", &r, &err) > 0);
	assert_int_equal(fw_ruleset_append(rs, &r, &err), 0);
	assert_null(fw_acl_build(rs, FW_CHAIN_INPUT, "t", 0, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "'wan' is not resolved"));

	/* Inverted /128 source and destination: 128 * 128 rte_acl rules. */
	fw_ruleset_flush(rs, FW_CHAIN_MAX);
	assert_true(fw_rule_parse("-A INPUT ! -s ::1 ! -d ::2 -j DROP", &r,
				  &err) > 0);
	assert_int_equal(fw_ruleset_append(rs, &r, &err), 0);
	assert_null(fw_acl_build(rs, FW_CHAIN_INPUT, "t", 0, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "INPUT rule 1 needs 16384 rte_acl rules"));
	fw_ruleset_free(rs);

	/* Classify methods by name. */
	rs = ruleset_of(lines, 1);
	acl = build(rs, FW_CHAIN_INPUT);
	assert_int_equal(fw_acl_set_alg(acl, "nonsense"), -EINVAL);
	assert_int_equal(fw_acl_set_alg(acl, "scalar"), 0);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

/*
 * n random rules, 'n_keys' random keys: rte_acl == slow, LOG included.
 * Returns how many keys matched a rule.
 */
static uint32_t
random_case(uint32_t seed, uint32_t n, uint32_t n_gaps, uint32_t n_keys,
	    enum fw_acl_split split)
{
	struct fw_acl_opts opts = { split, 0 };
	enum fw_chain c = (enum fw_chain)(seed % FW_CHAIN_MAX);
	struct fw_ruleset *rs = gen_ruleset(&seed, c, n, n_gaps);
	struct fw_key *k = malloc(n_keys * sizeof(*k));
	const uint8_t **keys = malloc(n_keys * sizeof(*keys));
	uint32_t *res = malloc(n_keys * sizeof(*res));
	uint32_t *log = malloc(n_keys * sizeof(*log));
	uint32_t i, hits = 0, logs = 0, deepest = 0;
	uint64_t depth = 0;
	struct timespec t0, t1;
	struct fw_acl *acl;
	char err[256];
	double ms;

	assert_non_null(rs);
	assert_true(k != NULL && keys != NULL && res != NULL && log != NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	acl = fw_acl_build_opts(rs, c, "rnd", 0, &opts, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (acl == NULL)
		fail_msg("%u rules: %s", n, err);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	for (i = 0; i < n_keys; i++) {
		gen_key(&seed, &k[i]);
		keys[i] = (const uint8_t *)&k[i];
	}
	assert_int_equal(fw_acl_classify_log(acl, keys, res, log, n_keys), 0);
	for (i = 0; i < n_keys; i++) {
		uint32_t slow_log, slow;

		slow = fw_ruleset_match_slow(rs, c, &k[i], &slow_log);
		if (res[i] != slow || log[i] != slow_log) {
			char line[FW_FORMAT_MAX];
			uint32_t w = slow != 0 ? slow : res[i];

			fw_rule_format(fw_ruleset_rule(rs, c, w - 1), line,
				       sizeof(line));
			fail_msg("%u rules, key %u: rte_acl %u/%u, slow %u/%u "
				 "(rule %u: %s)", n, i, res[i], log[i], slow,
				 slow_log, w, line);
		}
		hits += slow != 0;
		logs += slow_log != 0;
		depth += slow;
		if (slow > deepest)
			deepest = slow;
	}
	print_message("%u rules (%u rte_acl rules, %u part%s): build %.1f ms; "
		      "%u keys, %u matched (at rule %.0f on average, %u at "
		      "most), %u logged\n", n, fw_acl_acl_rules(acl),
		      fw_acl_parts(acl), fw_acl_parts(acl) == 1 ? "" : "s", ms,
		      n_keys, hits, hits ? (double)depth / hits : 0.0, deepest,
		      logs);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
	free(k);
	free(keys);
	free(res);
	free(log);
	return hits;
}

static void
test_acl_random_10(void **state)
{
	uint32_t seed, hits = 0;

	(void)state;
	for (seed = 1; seed <= 60; seed++)
		hits += random_case(seed * 2654435761u, 10, 2, 2000,
				    seed & 1 ? FW_ACL_SPLIT_AUTO :
				    FW_ACL_SPLIT_ALWAYS);
	for (seed = 61; seed <= 120; seed++)
		hits += random_case(seed * 2654435761u, 10, GEN_WILD, 2000,
				    seed & 1 ? FW_ACL_SPLIT_AUTO :
				    FW_ACL_SPLIT_ALWAYS);
	/* The keys must exercise the rules, not just miss them all. */
	assert_true(hits > 120 * 2000 / 20);
}

/* Random cases: seed, rules, gen_ruleset() mode, keys, split, hits. */
struct rcase {
	uint32_t seed, n, gen, n_keys;
	enum fw_acl_split split;
	uint32_t min_hits;
};

static void
random_cases(const struct rcase *rc, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_true(random_case(rc[i].seed, rc[i].n, rc[i].gen,
					rc[i].n_keys, rc[i].split) >
			    rc[i].min_hits);
}

/* Every field drawn on its own: inversions, lists and codes anywhere. */
static void
test_acl_random_wild_200(void **state)
{
	static const struct rcase rc[] = {
		{ 0x200, 200, GEN_WILD, 20000, FW_ACL_SPLIT_AUTO, 2000 },
		{ 0x201, 200, GEN_WILD, 20000, FW_ACL_SPLIT_NEVER, 2000 },
	};

	(void)state;
	random_cases(rc, sizeof(rc) / sizeof(rc[0]));
}

static void
test_acl_random_1000(void **state)
{
	static const struct rcase rc[] = {
		{ 0x1000, 1000, 5, 20000, FW_ACL_SPLIT_AUTO, 10000 },
		{ 0x1001, 1000, 0, 20000, FW_ACL_SPLIT_ALWAYS, 10000 },
		{ 0x1002, 1000, 5, 20000, FW_ACL_SPLIT_NEVER, 10000 },
		{ 0x1003, 1000, GEN_HOSTS, 20000, FW_ACL_SPLIT_AUTO, 4000 },
	};

	(void)state;
	random_cases(rc, sizeof(rc) / sizeof(rc[0]));
}

/*
 * Host rules as a real ruleset has them: every host its own suffix or
 * its own /64 (gen_ruleset() draws from a few, which rte_acl shares).
 * Prefix rules times suffix rules is too big a product for one trie
 * (the suffix rules are copied under every prefix: 1 000 such rules took
 * 15 s to build), so the chain is built as two parts; a chain of the
 * pooled host rules stays one. Both classify as the slow matcher.
 */
static void
test_acl_prefix_per_host_splits(void **state)
{
	struct fw_ruleset *rs = fw_ruleset_create();
	enum fw_chain c = FW_CHAIN_FORWARD;
	uint32_t seed = 0x5eed, i, hits = 0;
	struct fw_acl *acl;
	struct fw_err err;
	char line[256];

	(void)state;
	assert_non_null(rs);
	for (i = 0; i < 1000; i++) {
		uint32_t a = unit_rand(&seed), b = unit_rand(&seed);
		uint16_t port = (uint16_t)(1 + i);

		if (i % 3 == 0)
			snprintf(line, sizeof(line), "-A FORWARD -d ::%x:%x:%x:"
				 "%x/::ffff:ffff:ffff:ffff -p tcp --dport %u "
				 "-j ACCEPT", a >> 16, a & 0xffff, b >> 16,
				 b & 0xffff, port);
		else if (i % 3 == 1)
			snprintf(line, sizeof(line), "-A FORWARD -d 2001:db8:"
				 "%x:%x::%x -p udp --dport %u -j ACCEPT",
				 a >> 16, a & 0xffff, b & 0xffff, port);
		else
			snprintf(line, sizeof(line), "-A FORWARD -d 2001:db8:"
				 "%x:%x::/64 -p tcp --dport %u -j DROP",
				 a >> 16, a & 0xffff, port);
		if (fw_ruleset_apply_line(rs, line, &err) != 0)
			fail_msg("%s: %s", line, err.msg);
	}
	acl = build(rs, c);
	assert_int_equal(fw_acl_parts(acl), 2);
	/* A key for every rule, its destination with random bits where the
	 * rule's mask is 0, and its port: each matches its rule, or an
	 * earlier one. */
	for (i = 0; i < 1000; i++) {
		const struct fw_rule *r = fw_ruleset_rule(rs, c, i);
		uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xbe, 0xef }, dst[16];
		struct fw_key k;
		unsigned int j;
		uint32_t res;

		for (j = 0; j < 16; j++)
			dst[j] = (uint8_t)(r->dst.addr[j] |
					   (unit_rand(&seed) & ~r->dst.mask[j]));
		fw_key_fill(&k, src, dst, r->proto, 40000, r->dport.r[0].lo, 0,
			    1, FW_STATE_NEW);
		res = classify1(rs, c, acl, &k);
		assert_true(res != 0 && res <= i + 1);
		hits += res == i + 1;
	}
	assert_true(hits > 990);
	fw_acl_free(acl);
	fw_ruleset_free(rs);

	seed = 0x1003;
	rs = gen_ruleset(&seed, c, 1000, GEN_HOSTS);
	assert_non_null(rs);
	acl = build(rs, c);
	assert_int_equal(fw_acl_parts(acl), 1);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

static void
test_acl_random_10000(void **state)
{
	static const struct rcase rc[] = {
		{ 0x10000, 10000, 8, 10000, FW_ACL_SPLIT_AUTO, 5000 },
		{ 0x10001, 10000, 8, 10000, FW_ACL_SPLIT_ALWAYS, 5000 },
		{ 0x10002, 10000, GEN_HOSTS, 10000, FW_ACL_SPLIT_AUTO, 2000 },
	};

	(void)state;
	random_cases(rc, sizeof(rc) / sizeof(rc[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acl_seed_suffix_rule),
		cmocka_unit_test(test_acl_masks_never_false_positive),
		cmocka_unit_test(test_acl_first_match_wins_and_log),
		cmocka_unit_test(test_acl_inverted_icmp_state_iface),
		cmocka_unit_test(test_acl_empty_and_errors),
		cmocka_unit_test(test_acl_random_10),
		cmocka_unit_test(test_acl_random_wild_200),
		cmocka_unit_test(test_acl_random_1000),
		cmocka_unit_test(test_acl_prefix_per_host_splits),
		cmocka_unit_test(test_acl_random_10000),
	};

	return cmocka_run_group_tests(tests, eal_up, eal_down);
}
