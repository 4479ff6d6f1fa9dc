/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fw/ruleset.c and counters.c: the ip6tables changes (append, insert,
 * replace, delete by number and by rule, flush, policy) and their errors,
 * rule ids across changes and reloads, interface resolution, the
 * reference matcher on hand-made keys (the seed's suffix rule, inverted
 * matches, ICMPv6 types, states, interfaces, LOG), the verdict order
 * (established, rules, RETURN, allow-list, policy, default_inbound), and
 * per-rule counters carried over by rule id.
 */
#include "unit.h"

#include "fw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static struct fw_ruleset *
rs_new(void)
{
	struct fw_ruleset *rs = fw_ruleset_create();

	assert_non_null(rs);
	return rs;
}

static void
apply(struct fw_ruleset *rs, const char *line)
{
	struct fw_err err;

	if (fw_ruleset_apply_line(rs, line, &err) != 0)
		fail_msg("'%s': %s", line, err.msg);
}

static void
apply_fails(struct fw_ruleset *rs, const char *line, int rc, const char *msg)
{
	struct fw_err err;

	assert_int_equal(fw_ruleset_apply_line(rs, line, &err), rc);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("'%s':\n got  '%s'\n want '%s'", line, err.msg, msg);
}

/* The chain as canonical lines, one per rule, joined with '|'. */
static const char *
dump(const struct fw_ruleset *rs, enum fw_chain c)
{
	static char out[4096];
	char line[FW_FORMAT_MAX];
	uint32_t i;

	out[0] = '\0';
	for (i = 0; i < fw_ruleset_count(rs, c); i++) {
		fw_rule_format(fw_ruleset_rule(rs, c, i), line, sizeof(line));
		if (i > 0)
			strcat(out, "|");
		strcat(out, line);
	}
	return out;
}

static void
addr(const char *text, uint8_t *a)
{
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

static void
key(struct fw_key *k, const char *src, const char *dst, uint8_t proto,
    uint16_t sport, uint16_t dport, uint16_t in, uint16_t out, uint32_t st)
{
	uint8_t s[16], d[16];

	addr(src, s);
	addr(dst, d);
	fw_key_fill(k, s, d, proto, sport, dport, in, out, st);
}

/* The reference matcher's result for a key of these fields. */
static uint32_t
slow(const struct fw_ruleset *rs, enum fw_chain c, const char *src,
     const char *dst, uint8_t proto, uint16_t sport, uint16_t dport,
     uint16_t in, uint16_t out, uint32_t st, uint32_t *log)
{
	struct fw_key k;

	key(&k, src, dst, proto, sport, dport, in, out, st);
	return fw_ruleset_match_slow(rs, c, &k, log);
}

/* The verdict when no rule matched, for a packet 2a00::1 -> 2001:db8::1. */
static enum fw_target
no_rule_verdict(const struct fw_ruleset *rs, enum fw_chain c, uint8_t proto,
		uint16_t sport, uint32_t st)
{
	struct fw_key k;

	key(&k, "2a00::1", "2001:db8::1", proto, sport, 0, 1, 0, st);
	return fw_ruleset_verdict(rs, c, &k, 0, NULL);
}

static int
resolve(void *arg, const char *name, uint16_t *port)
{
	static const char *const ports[] = { "lan", "wan", "br-lan", "lo" };
	unsigned int i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		if (strcmp(name, ports[i]) == 0) {
			*port = i == 3 ? FW_PORT_NONE : (uint16_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

static void
test_ruleset_defaults(void **state)
{
	struct fw_ruleset *rs = rs_new();

	(void)state;
	assert_int_equal(rs->policy[FW_CHAIN_INPUT], FW_TARGET_DROP);
	assert_int_equal(rs->policy[FW_CHAIN_FORWARD], FW_TARGET_DROP);
	assert_int_equal(rs->policy[FW_CHAIN_OUTPUT], FW_TARGET_ACCEPT);
	assert_int_equal(rs->default_inbound, FW_TARGET_DROP);
	assert_int_equal(rs->accept_established, 1);
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_INPUT), 0);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2001:db8::1",
			 "2001:db8::2", 6, 1, 2, 0, 1, FW_STATE_NEW, NULL), 0);
	fw_ruleset_free(rs);
	fw_ruleset_free(NULL);
}

static void
test_ruleset_append_insert_replace_delete(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_rule r;
	struct fw_err err;

	(void)state;
	apply(rs, "-A INPUT -p tcp --dport 22 -j ACCEPT");
	apply(rs, "-A input_rule -p tcp --dport 80 -j ACCEPT");
	apply(rs, "-I INPUT -p tcp --dport 1 -j DROP");
	apply(rs, "-I INPUT 4 -p tcp --dport 443 -j ACCEPT");
	apply(rs, "-I INPUT 3 -p udp --dport 53 -j ACCEPT");
	assert_string_equal(dump(rs, FW_CHAIN_INPUT),
		"-A INPUT -p tcp -m tcp --dport 1 -j DROP|"
		"-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT|"
		"-A INPUT -p udp -m udp --dport 53 -j ACCEPT|"
		"-A input_rule -p tcp -m tcp --dport 80 -j ACCEPT|"
		"-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT");
	/* Ids in order of addition, whatever the position. */
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 0)->id, 3);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 1)->id, 1);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 2)->id, 5);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 4)->id, 4);
	/* Replace keeps the id (and so the counters). */
	apply(rs, "-R INPUT 2 -p tcp --dport 2222 -j ACCEPT");
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 1)->id, 1);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_INPUT, 1)->dport.r[0].lo,
			 2222);
	/* Delete by number, by rule (first equal one). */
	apply(rs, "-D INPUT 1");
	apply(rs, "-D INPUT -p tcp --dport 443 -j ACCEPT");
	assert_string_equal(dump(rs, FW_CHAIN_INPUT),
		"-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT|"
		"-A INPUT -p udp -m udp --dport 53 -j ACCEPT|"
		"-A input_rule -p tcp -m tcp --dport 80 -j ACCEPT");
	/* An alias deletes a rule written with another name of the chain. */
	apply(rs, "-D INPUT -p tcp --dport 80 -j ACCEPT");
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_INPUT), 2);
	/* Errors change nothing. */
	apply_fails(rs, "-D INPUT 3", -ENOENT, "INPUT has 2 rules: no rule 3");
	apply_fails(rs, "-R INPUT 5 -j DROP", -ENOENT,
		    "INPUT has 2 rules: no rule 5");
	apply_fails(rs, "-I INPUT 4 -j DROP", -EINVAL,
		    "INPUT has 2 rules: cannot insert at 4");
	apply_fails(rs, "-D INPUT -p tcp --dport 9 -j ACCEPT", -ENOENT,
		    "no rule in INPUT is this rule (-D needs the whole rule, "
		    "target included)");
	apply_fails(rs, "-A INPUT -p tcp --dport 99999 -j ACCEPT", -EINVAL,
		    "column 17: '--dport 99999': port must be 0-65535");
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_INPUT), 2);
	/* Appending a rule that never went through fw_rule_finish(). */
	fw_rule_init(&r);
	assert_int_equal(fw_ruleset_append(rs, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "no chain");
	r.chain = FW_CHAIN_FORWARD;
	assert_int_equal(fw_ruleset_append(rs, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "no target: add -j ACCEPT, DROP, REJECT, "
			    "LOG or RETURN");
	assert_int_equal(fw_ruleset_apply(rs, 99, &r, &err), -EINVAL);
	assert_int_equal(fw_ruleset_apply(rs, FW_OP_NONE, &r, &err), 0);
	/* Flush one chain, then all. */
	apply(rs, "-A FORWARD -j ACCEPT");
	apply(rs, "-F INPUT");
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_INPUT), 0);
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_FORWARD), 1);
	apply(rs, "-F");
	apply(rs, "-X");
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_FORWARD), 0);
	fw_ruleset_free(rs);
}

static void
test_ruleset_many_rules_grow(void **state)
{
	struct fw_ruleset *rs = rs_new();
	char line[96];
	uint32_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(line, sizeof(line), "-A FORWARD -p udp --dport %u "
			 "-j ACCEPT", i);
		apply(rs, line);
	}
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_FORWARD), 5000);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 4999)->
			 dport.r[0].lo, 4999);
	fw_ruleset_free(rs);
}

static void
test_ruleset_policies_and_default_inbound(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_err err;

	(void)state;
	assert_int_equal(fw_ruleset_set_default_inbound(rs, "accept", &err), 0);
	assert_int_equal(rs->policy[FW_CHAIN_INPUT], FW_TARGET_ACCEPT);
	assert_int_equal(rs->policy[FW_CHAIN_FORWARD], FW_TARGET_ACCEPT);
	apply(rs, "-P FORWARD DROP");
	/* An explicit -P wins over default_inbound, whatever the order. */
	assert_int_equal(fw_ruleset_set_default_inbound(rs, "REJECT", &err),
			 0);
	assert_int_equal(rs->policy[FW_CHAIN_INPUT], FW_TARGET_REJECT);
	assert_int_equal(rs->policy[FW_CHAIN_FORWARD], FW_TARGET_DROP);
	assert_int_equal(rs->policy[FW_CHAIN_OUTPUT], FW_TARGET_ACCEPT);
	assert_int_equal(fw_ruleset_set_default_inbound(rs, "maybe", &err),
			 -EINVAL);
	assert_string_equal(err.msg, "default_inbound is \"drop\", \"reject\" "
			    "or \"accept\"");
	assert_int_equal(fw_ruleset_set_policy(rs, FW_CHAIN_OUTPUT,
					       FW_TARGET_LOG, &err), -EINVAL);
	assert_int_equal(fw_ruleset_set_policy(rs, FW_CHAIN_MAX,
					       FW_TARGET_DROP, &err), -EINVAL);
	fw_ruleset_free(rs);
}

static void
test_ruleset_icmp6_allow_list(void **state)
{
	static const char *const names[] = {
		"packet-too-big", "destination-unreachable", "time-exceeded",
		"parameter-problem", "echo-request", "echo-reply",
	};
	struct fw_ruleset *rs = rs_new();
	struct fw_err err;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(fw_ruleset_icmp6_allow(rs, names[i], &err), 0);
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "echo-request", &err), 0);
	assert_int_equal(rs->n_icmp6_allow, 6);
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "133/0", &err), 0);
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "mystery", &err), -EINVAL);
	assert_int_equal(err.field, FW_FIELD_ICMP6);
	/* Allowed types pass a DROP policy, others do not. */
	assert_int_equal(no_rule_verdict(rs, FW_CHAIN_FORWARD, 58,
					 fw_icmp6_port(2, 0), FW_STATE_INVALID),
			 FW_TARGET_ACCEPT);
	assert_int_equal(no_rule_verdict(rs, FW_CHAIN_INPUT, 58,
					 fw_icmp6_port(133, 0),
					 FW_STATE_UNTRACKED), FW_TARGET_ACCEPT);
	assert_int_equal(no_rule_verdict(rs, FW_CHAIN_INPUT, 58,
					 fw_icmp6_port(133, 1),
					 FW_STATE_UNTRACKED), FW_TARGET_DROP);
	assert_int_equal(no_rule_verdict(rs, FW_CHAIN_FORWARD, 58,
					 fw_icmp6_port(137, 0),
					 FW_STATE_UNTRACKED), FW_TARGET_DROP);
	/* The same port number on UDP is not ICMPv6. */
	assert_int_equal(no_rule_verdict(rs, FW_CHAIN_FORWARD, 17,
					 fw_icmp6_port(2, 0), FW_STATE_NEW),
			 FW_TARGET_DROP);
	while (rs->n_icmp6_allow < FW_ICMP6_ALLOW_MAX) {
		char t[8];

		snprintf(t, sizeof(t), "%u", 200 + rs->n_icmp6_allow);
		assert_int_equal(fw_ruleset_icmp6_allow(rs, t, &err), 0);
	}
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "1/0", &err), -EINVAL);
	fw_ruleset_free(rs);
}

/* The order of struct fw_ruleset: established, rules, allow-list, policy. */
static void
test_ruleset_verdict_order(void **state)
{
	struct fw_ruleset *rs = rs_new();
	const struct fw_rule *by;
	struct fw_err err;
	struct fw_key k;
	uint32_t res, log;

	(void)state;
	apply(rs, "-A FORWARD -p tcp --dport 25 -j REJECT --reject-with "
	      "tcp-reset");
	apply(rs, "-A FORWARD -p icmpv6 --icmpv6-type echo-request -j DROP");
	apply(rs, "-A FORWARD -p udp -j LOG --log-prefix udp");
	apply(rs, "-A FORWARD -p udp --dport 53 -j ACCEPT");
	apply(rs, "-A FORWARD -p udp --dport 54 -j RETURN");
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "echo-request", &err), 0);
	assert_int_equal(fw_ruleset_icmp6_allow(rs, "echo-reply", &err), 0);

	key(&k, "2a00::1", "2001:db8::1", 6, 1000, 25, 1, 0, FW_STATE_NEW);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, &log);
	assert_int_equal(res, 1);
	assert_int_equal(log, 0);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    &by), FW_TARGET_REJECT);
	assert_ptr_equal(by, fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 0));
	/* Established first: the rule does not see it. */
	key(&k, "2a00::1", "2001:db8::1", 6, 1000, 25, 1, 0,
	    FW_STATE_ESTABLISHED);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, 1, &by),
			 FW_TARGET_ACCEPT);
	assert_null(by);
	rs->accept_established = 0;
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, 1, &by),
			 FW_TARGET_REJECT);
	rs->accept_established = 1;
	/* A rule's DROP beats the allow-list. */
	key(&k, "2a00::1", "2001:db8::1", 58, fw_icmp6_port(128, 0), 0, 1, 0,
	    FW_STATE_NEW);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, NULL);
	assert_int_equal(res, 2);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    NULL), FW_TARGET_DROP);
	key(&k, "2a00::1", "2001:db8::1", 58, fw_icmp6_port(129, 0), 0, 1, 0,
	    FW_STATE_INVALID);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, NULL);
	assert_int_equal(res, 0);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    NULL), FW_TARGET_ACCEPT);
	/* LOG goes on to the next rule and is reported. */
	key(&k, "2a00::1", "2001:db8::1", 17, 1000, 53, 1, 0, FW_STATE_NEW);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, &log);
	assert_int_equal(res, 4);
	assert_int_equal(log, 3);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    NULL), FW_TARGET_ACCEPT);
	/* RETURN ends the rules: the policy decides. */
	key(&k, "2a00::1", "2001:db8::1", 17, 1000, 54, 1, 0, FW_STATE_NEW);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, &log);
	assert_int_equal(res, 5);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    &by), FW_TARGET_DROP);
	assert_null(by);
	/* Nothing matched: the policy; a LOG alone does not decide. */
	key(&k, "2a00::1", "2001:db8::1", 17, 1000, 99, 1, 0, FW_STATE_NEW);
	res = fw_ruleset_match_slow(rs, FW_CHAIN_FORWARD, &k, &log);
	assert_int_equal(res, 0);
	assert_int_equal(log, 3);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    NULL), FW_TARGET_DROP);
	apply(rs, "-P FORWARD ACCEPT");
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, res,
					    NULL), FW_TARGET_ACCEPT);
	/* A result past the chain is treated as none. */
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_FORWARD, &k, 99,
					    NULL), FW_TARGET_ACCEPT);
	fw_ruleset_free(rs);
}

/* The reference matcher on the seed's rules. */
static void
test_match_slow_seed_rules(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_err err;
	struct fw_key k;
	uint32_t log;

	(void)state;
	apply(rs, "-A forwarding_rule -d ::1234:5678:abcd:ef01/"
	      "::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment "
	      "--comment \"Inbound-HTTPS\" -o br-lan -j ACCEPT");
	apply(rs, "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT");
	apply(rs, "-A INPUT -p icmpv6 --icmpv6-type packet-too-big -j ACCEPT");
	apply(rs, "-A INPUT -m state --state NEW -p tcp --dport 22 -j ACCEPT");
	apply(rs, "-A INPUT -i lo -j ACCEPT");
	apply(rs, "-A INPUT -j LOG");
	apply(rs, "-P INPUT DROP");

	/* Unresolved interfaces never match. */
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1",
			 "2001:1111:2222:3333:1234:5678:abcd:ef01", 6, 5000,
			 443, 1, 2, FW_STATE_NEW, NULL), 0);
	assert_int_equal(fw_ruleset_resolve(rs, resolve, NULL, &err), 0);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1",
			 "2001:1111:2222:3333:1234:5678:abcd:ef01", 6, 5000,
			 443, 1, 2, FW_STATE_NEW, NULL), 1);
	/* Any prefix, same suffix. */
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1",
			 "fd00::1234:5678:abcd:ef01", 6, 5000, 443, 1, 2,
			 FW_STATE_NEW, NULL), 1);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1",
			 "fd00::1234:5678:abcd:ef02", 6, 5000, 443, 1, 2,
			 FW_STATE_NEW, NULL), 0);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1",
			 "fd00::1234:5678:abcd:ef01", 6, 5000, 443, 1, 0,
			 FW_STATE_NEW, NULL), 0);
	/* INPUT: the script's order. */
	assert_int_equal(slow(rs, FW_CHAIN_INPUT, "2a00::1", "2001:db8::1", 6,
			 5000, 80, 1, FW_PORT_NONE, FW_STATE_ESTABLISHED,
			 &log), 1);
	assert_int_equal(slow(rs, FW_CHAIN_INPUT, "2a00::1", "2001:db8::1", 58,
			 fw_icmp6_port(2, 0), 0, 1, FW_PORT_NONE,
			 FW_STATE_INVALID, &log), 2);
	assert_int_equal(slow(rs, FW_CHAIN_INPUT, "2a00::1", "2001:db8::1", 6,
			 5000, 22, 1, FW_PORT_NONE, FW_STATE_NEW, &log), 3);
	assert_int_equal(slow(rs, FW_CHAIN_INPUT, "2a00::1", "2001:db8::1", 6,
			 5000, 23, 1, FW_PORT_NONE, FW_STATE_NEW, &log), 0);
	assert_int_equal(log, 5);
	key(&k, "2a00::1", "2001:db8::1", 6, 5000, 23, 1, FW_PORT_NONE,
	    FW_STATE_NEW);
	assert_int_equal(fw_ruleset_verdict(rs, FW_CHAIN_INPUT, &k, 0, NULL),
			 FW_TARGET_DROP);
	/* "lo" resolves to a port no packet has. */
	assert_int_equal(slow(rs, FW_CHAIN_INPUT, "::1", "::1", 6, 5000, 23,
			 FW_PORT_NONE, FW_PORT_NONE, FW_STATE_NEW, &log), 4);
	fw_ruleset_free(rs);
}

static void
test_match_slow_inversions_and_states(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_err err;

	(void)state;
	apply(rs, "-A FORWARD ! -s 2001:db8::/32 -p udp -m multiport "
	      "! --dports 53,123,1000:2000 -j DROP");
	apply(rs, "-A FORWARD -p icmpv6 ! --icmpv6-type 1/4 -j REJECT");
	apply(rs, "-A FORWARD -m conntrack ! --ctstate NEW,UNTRACKED -j "
	      "ACCEPT");
	apply(rs, "-A FORWARD ! -i wan -j RETURN");
	apply(rs, "-A FORWARD ! -p tcp -j DROP");
	assert_int_equal(fw_ruleset_resolve(rs, resolve, NULL, &err), 0);

	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 17, 1,
			 80, 1, 0, FW_STATE_NEW, NULL), 1);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 17, 1,
			 1500, 1, 0, FW_STATE_NEW, NULL), 5);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2001:db8::9", "::2", 17,
			 1, 80, 1, 0, FW_STATE_NEW, NULL), 5);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 58,
			 fw_icmp6_port(1, 4), 0, 1, 0, FW_STATE_RELATED, NULL),
			 3);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 58,
			 fw_icmp6_port(1, 3), 0, 1, 0, FW_STATE_RELATED, NULL),
			 2);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 6, 1, 2,
			 1, 0, FW_STATE_INVALID, NULL), 3);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 6, 1, 2,
			 1, 0, FW_STATE_NEW, NULL), 0);
	assert_int_equal(slow(rs, FW_CHAIN_FORWARD, "2a00::1", "::2", 6, 1, 2,
			 0, 1, FW_STATE_NEW, NULL), 4);
	fw_ruleset_free(rs);
}

static void
test_ruleset_resolve_errors(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_err err;

	(void)state;
	apply(rs, "-A FORWARD -i lan -o wan -j ACCEPT");
	apply(rs, "-A FORWARD -i lan -o dmz -j ACCEPT");
	assert_int_equal(fw_ruleset_resolve(rs, resolve, NULL, &err), -ENOENT);
	assert_string_equal(err.msg, "FORWARD rule 2: interface 'dmz' is not "
			    "a port of this box");
	assert_int_equal(err.field, FW_FIELD_OUT);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 0)->out.port, 1);
	fw_ruleset_free(rs);
}

/* A reload keeps the id of every rule that did not change. */
static void
test_ruleset_replace_carries_ids(void **state)
{
	struct fw_ruleset *rs = rs_new(), *next = rs_new(), *cp;
	uint32_t ids[4];
	unsigned int i;

	(void)state;
	apply(rs, "-A FORWARD -p tcp --dport 1 -j ACCEPT");
	apply(rs, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(rs, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(rs, "-A INPUT -p tcp --dport 3 -j ACCEPT");
	for (i = 0; i < 3; i++)
		ids[i] = fw_ruleset_rule(rs, FW_CHAIN_FORWARD, i)->id;
	ids[3] = fw_ruleset_rule(rs, FW_CHAIN_INPUT, 0)->id;

	apply(next, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(next, "-A FORWARD -p tcp --dport 9 -j ACCEPT");
	apply(next, "-A FORWARD -p tcp --dport 1 -j ACCEPT");
	apply(next, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(next, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(next, "-A OUTPUT -p tcp --dport 3 -j ACCEPT");
	apply(next, "-P OUTPUT DROP");
	assert_int_equal(fw_ruleset_replace(rs, next), 0);
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_FORWARD), 5);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 0)->id, ids[1]);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 1)->id, 5);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 2)->id, ids[0]);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 3)->id, ids[2]);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 4)->id, 6);
	/* Another chain is another rule. */
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_INPUT), 0);
	assert_int_equal(fw_ruleset_rule(rs, FW_CHAIN_OUTPUT, 0)->id, 7);
	assert_int_equal(rs->policy[FW_CHAIN_OUTPUT], FW_TARGET_DROP);
	assert_int_equal(rs->next_id, 8);
	/* Copies are deep. */
	cp = fw_ruleset_copy(rs);
	assert_non_null(cp);
	apply(cp, "-F");
	assert_int_equal(fw_ruleset_count(rs, FW_CHAIN_FORWARD), 5);
	assert_int_equal(cp->next_id, 8);
	fw_ruleset_free(cp);
	fw_ruleset_free(next);
	fw_ruleset_free(rs);
}

/* Counters follow the rule id when rules come and go around them. */
static void
test_counters_follow_rule_id(void **state)
{
	struct fw_ruleset *rs = rs_new();
	struct fw_counters *w1, *w2, *total, *next_total, *next_w;
	struct fw_counter c;
	uint32_t id_a, id_b, id_c;

	(void)state;
	apply(rs, "-A FORWARD -p tcp --dport 1 -j ACCEPT");
	apply(rs, "-A FORWARD -p tcp --dport 2 -j ACCEPT");
	apply(rs, "-A FORWARD -p tcp --dport 3 -j ACCEPT");
	id_a = fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 0)->id;
	id_b = fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 1)->id;
	id_c = fw_ruleset_rule(rs, FW_CHAIN_FORWARD, 2)->id;
	w1 = fw_counters_create(rs, FW_CHAIN_FORWARD);
	w2 = fw_counters_create(rs, FW_CHAIN_FORWARD);
	total = fw_counters_create(rs, FW_CHAIN_FORWARD);
	assert_true(w1 != NULL && w2 != NULL && total != NULL);
	assert_int_equal((uintptr_t)w1 % 64, 0);
	assert_int_equal(w1->n, 3);
	/* Workers add by classify result; slot 0 is "no rule". */
	fw_counters_add(w1, 1, 100);
	fw_counters_add(w1, 2, 200);
	fw_counters_add(w2, 2, 50);
	fw_counters_add(w2, 3, 60);
	fw_counters_add(w2, 0, 70);
	fw_counters_add(w2, 9, 70);	/* past the end: ignored */
	c = fw_counters_get(w2, id_c);
	assert_int_equal(c.pkts, 1);
	assert_int_equal(c.bytes, 60);

	/* A rule inserted before and one deleted: a new snapshot. */
	apply(rs, "-I FORWARD -p udp -j ACCEPT");
	apply(rs, "-D FORWARD 3");	/* was --dport 2 (id_b) */
	next_total = fw_counters_create(rs, FW_CHAIN_FORWARD);
	next_w = fw_counters_create(rs, FW_CHAIN_FORWARD);
	assert_non_null(next_total);
	assert_non_null(next_w);
	fw_counters_add(next_w, 3, 1000);	/* id_c, at its new slot */
	/* Control: old totals, then (after the grace period) each worker. */
	assert_int_equal(fw_counters_fold(next_total, total), 2);
	assert_int_equal(fw_counters_fold(next_total, w1), 2);
	assert_int_equal(fw_counters_fold(next_total, w2), 2);
	c = fw_counters_get(next_total, id_a);
	assert_int_equal(c.pkts, 1);
	assert_int_equal(c.bytes, 100);
	c = fw_counters_get(next_total, id_b);	/* deleted */
	assert_int_equal(c.pkts, 0);
	c = fw_counters_get(next_total, 0);
	assert_int_equal(c.pkts, 1);
	assert_int_equal(c.bytes, 70);
	/* The total of id_c: the control's plus the live worker's. */
	assert_int_equal(fw_counters_fold(next_total, next_w), 3);
	c = fw_counters_get(next_total, id_c);
	assert_int_equal(c.pkts, 2);
	assert_int_equal(c.bytes, 1060);
	assert_int_equal(fw_counters_get(next_total, 12345).pkts, 0);
	fw_counters_free(w1);
	fw_counters_free(w2);
	fw_counters_free(total);
	fw_counters_free(next_total);
	fw_counters_free(next_w);
	fw_counters_free(NULL);
	fw_ruleset_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ruleset_defaults),
		cmocka_unit_test(test_ruleset_append_insert_replace_delete),
		cmocka_unit_test(test_ruleset_many_rules_grow),
		cmocka_unit_test(test_ruleset_policies_and_default_inbound),
		cmocka_unit_test(test_ruleset_icmp6_allow_list),
		cmocka_unit_test(test_ruleset_verdict_order),
		cmocka_unit_test(test_match_slow_seed_rules),
		cmocka_unit_test(test_match_slow_inversions_and_states),
		cmocka_unit_test(test_ruleset_resolve_errors),
		cmocka_unit_test(test_ruleset_replace_carries_ids),
		cmocka_unit_test(test_counters_follow_rule_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
