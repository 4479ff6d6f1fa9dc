/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fw/rule_parse.c, rule.c and rule_format.c: every ip6tables line of
 * the seeds (shared/seeds: 002's suffix rule, 004's firewall script, 003's
 * nat lines that must be refused) loads verbatim or is refused clearly;
 * every option in its short and long form; errors name the exact column
 * and word; every accepted line survives parse -> format -> parse; the
 * object form (the setters lib/conf calls) builds the same rule.
 */
#include "unit.h"

#include "fw.h"

#include <errno.h>
#include <stdio.h>

/* Parse 'line', expecting command 'op'; check the round trip. */
static void
parse_ok(const char *line, int op, struct fw_rule *r)
{
	char buf[FW_FORMAT_MAX], buf2[FW_FORMAT_MAX];
	struct fw_rule again;
	struct fw_err err;
	int rc, n;

	rc = fw_rule_parse(line, r, &err);
	if (rc < 0)
		fail_msg("'%s': %s", line, err.msg);
	assert_int_equal(rc, op);
	if (op != FW_OP_APPEND && op != FW_OP_INSERT && op != FW_OP_REPLACE &&
	    !(op == FW_OP_DELETE && r->pos == 0))
		return;
	n = fw_rule_format(r, buf, sizeof(buf));
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	assert_int_equal((int)strlen(buf), n);
	rc = fw_rule_parse(buf, &again, &err);
	if (rc < 0)
		fail_msg("'%s' formatted as '%s': %s", line, buf, err.msg);
	assert_int_equal(rc, FW_OP_APPEND);
	if (!fw_rule_equal(r, &again))
		fail_msg("'%s' -> '%s' reads back as another rule", line, buf);
	/* Canonical: formatting again gives the same line. */
	fw_rule_format(&again, buf2, sizeof(buf2));
	assert_string_equal(buf, buf2);
}

static void
expect_err(const char *line, unsigned int col, const char *msg)
{
	struct fw_rule r;
	struct fw_err err;

	if (fw_rule_parse(line, &r, &err) != -EINVAL)
		fail_msg("'%s' was accepted", line);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("'%s':\n got  '%s'\n want '%s'", line, err.msg, msg);
	assert_int_equal(err.col, col);
}

static void
expect_format(const char *line, const char *canonical)
{
	char buf[FW_FORMAT_MAX];
	struct fw_rule r;

	parse_ok(line, FW_OP_APPEND, &r);
	fw_rule_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, canonical);
}

static void
addr(const char *text, uint8_t *a)
{
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

/* Seed 002, as the post prints it (after the "$ " prompt). */
static void
test_parse_seed002_suffix_rule_verbatim(void **state)
{
	static const char seed[] =
		"ip6tables -A forwarding_rule \\\n"
		"    -d ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff \\\n"
		"    -p tcp -m tcp \\\n"
		"    --dport 443 \\\n"
		"    -m comment --comment \"Inbound-HTTPS\" \\\n"
		"    -o br-lan -j ACCEPT";
	uint8_t want[16], mask[16];
	struct fw_rule r, one;

	(void)state;
	parse_ok(seed, FW_OP_APPEND, &r);
	assert_int_equal(r.chain, FW_CHAIN_FORWARD);
	assert_string_equal(r.chain_name, "forwarding_rule");
	addr("::1234:5678:abcd:ef01", want);
	addr("::ffff:ffff:ffff:ffff", mask);
	assert_memory_equal(r.dst.addr, want, 16);
	assert_memory_equal(r.dst.mask, mask, 16);
	assert_int_equal(r.dst.inv, 0);
	assert_int_equal(r.proto_set, 1);
	assert_int_equal(r.proto, 6);
	assert_int_equal(r.dport.n, 1);
	assert_int_equal(r.dport.r[0].lo, 443);
	assert_int_equal(r.dport.r[0].hi, 443);
	assert_string_equal(r.comment, "Inbound-HTTPS");
	assert_string_equal(r.out.name, "br-lan");
	assert_int_equal(r.target, FW_TARGET_ACCEPT);
	/* The config draft's one-line form is the same rule. */
	parse_ok("-A forwarding_rule -d ::1234:5678:abcd:ef01/"
		 "::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment "
		 "--comment \"Inbound-HTTPS\" -o br-lan -j ACCEPT",
		 FW_OP_APPEND, &one);
	assert_true(fw_rule_equal(&r, &one));
	/* With the prompt pasted too: a clear error, not a shell error. */
	expect_err("$ ip6tables -A forwarding_rule -j ACCEPT", 1,
		   "column 1: a lone '$' (a shell prompt?): start the line "
		   "with the command");
}

/* Seed 004's script, each command as the shell runs it. */
static void
test_parse_seed004_script_verbatim(void **state)
{
	static const char *const icmp[] = {
		"packet-too-big", "destination-unreachable", "time-exceeded",
		"parameter-problem", "echo-request", "echo-reply",
		"router-advertisement", "neighbour-solicitation",
		"neighbour-advertisement",
	};
	static const uint8_t icmp_type[] = {
		2, 1, 3, 4, 128, 129, 134, 135, 136,
	};
	static const char *const tcp_ports[] = { "21", "22", "53", "443" };
	char line[256];
	struct fw_rule r;
	unsigned int i;

	(void)state;
	parse_ok("/sbin/ip6tables -A INPUT -m state --state "
		 "RELATED,ESTABLISHED -j ACCEPT", FW_OP_APPEND, &r);
	assert_int_equal(r.chain, FW_CHAIN_INPUT);
	assert_int_equal(r.state, FW_STATE_RELATED | FW_STATE_ESTABLISHED);
	assert_int_equal(r.state_kind, FW_STATE_KIND_STATE);
	for (i = 0; i < sizeof(icmp) / sizeof(icmp[0]); i++) {
		snprintf(line, sizeof(line), "ip6tables -A INPUT -p icmpv6 "
			 "--icmpv6-type %s -j ACCEPT", icmp[i]);
		parse_ok(line, FW_OP_APPEND, &r);
		assert_int_equal(r.proto, 58);
		assert_int_equal(r.icmp6.set, 1);
		assert_int_equal(r.icmp6.type, icmp_type[i]);
		assert_int_equal(r.icmp6.code_lo, 0);
		assert_int_equal(r.icmp6.code_hi, 255);
	}
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "ip6tables -A INPUT -m state "
			 "--state NEW -p tcp --dport %s \\\n  -j ACCEPT",
			 tcp_ports[i]);
		parse_ok(line, FW_OP_APPEND, &r);
		assert_int_equal(r.state, FW_STATE_NEW);
		assert_int_equal(r.proto, 6);
	}
	parse_ok("ip6tables -A INPUT -m state --state NEW -p udp --dport 53 "
		 "\\\n  -j ACCEPT", FW_OP_APPEND, &r);
	assert_int_equal(r.proto, 17);
	assert_int_equal(r.dport.r[0].lo, 53);
	parse_ok("ip6tables -A INPUT -i lo -j ACCEPT", FW_OP_APPEND, &r);
	assert_string_equal(r.in.name, "lo");
	parse_ok("ip6tables -A INPUT -j LOG", FW_OP_APPEND, &r);
	assert_int_equal(r.target, FW_TARGET_LOG);
	assert_int_equal(r.log_level, 4);
	parse_ok("ip6tables -P INPUT DROP", FW_OP_POLICY, &r);
	assert_int_equal(r.chain, FW_CHAIN_INPUT);
	assert_int_equal(r.target, FW_TARGET_DROP);
	parse_ok("ip6tables -A FORWARD -j LOG", FW_OP_APPEND, &r);
	parse_ok("ip6tables -P FORWARD DROP", FW_OP_POLICY, &r);
	assert_int_equal(r.chain, FW_CHAIN_FORWARD);
	parse_ok("ip6tables -P OUTPUT ACCEPT", FW_OP_POLICY, &r);
	assert_int_equal(r.target, FW_TARGET_ACCEPT);
	/* fw_stop and fw_clear. */
	parse_ok("ip6tables -P INPUT ACCEPT", FW_OP_POLICY, &r);
	parse_ok("ip6tables -F", FW_OP_FLUSH, &r);
	assert_int_equal(r.chain, FW_CHAIN_MAX);
	parse_ok("ip6tables -X", FW_OP_DELETE_CHAINS, &r);
	expect_err("ip6tables -t mangle -P PREROUTING ACCEPT", 11,
		   "column 11: '-t mangle': only table 'filter' is supported "
		   "here");
	expect_err("ip6tables -t mangle -F", 11, "column 11: '-t mangle': "
		   "only table 'filter' is supported here");
	/* The commented-out variable line is a comment. */
	parse_ok("#IP6TABLES=\"/sbin/ip6tables -i eth0\"", FW_OP_NONE, &r);
	/* As written in the script, the variable is refused, not expanded. */
	expect_err("$IP6TABLES -A INPUT -i lo -j ACCEPT", 1,
		   "column 1: shell expansion ('$', '`') is not supported: "
		   "write the value");
}

/* Seed 003: nat-table lines are not ours, and say so. */
static void
test_parse_seed003_nat_refused(void **state)
{
	(void)state;
	expect_err("ip6tables -t nat -A PREROUTING -i clat -m set "
		   "--match-set proamD src -j NETMAP --to PLATC/96", 11,
		   "column 11: '-t nat': only table 'filter' is supported "
		   "here");
	expect_err("ip6tables -t nat -I POSTROUTING -o plat -m set "
		   "--match-set rofromD src -j NETMAP --to CLATD/96", 11,
		   "column 11: '-t nat': only table 'filter' is supported "
		   "here");
	expect_err("-A FORWARD -m set --match-set x src -j ACCEPT", 12,
		   "column 12: '-m set': ipsets are not supported (write one "
		   "rule per address)");
}

static void
test_parse_long_forms_equal_short(void **state)
{
	static const char *const pairs[][2] = {
		{ "-A INPUT -s 2001:db8::/32 -j DROP",
		  "--append INPUT --source 2001:db8::/32 --jump DROP" },
		{ "-A INPUT -s 2001:db8::/32 -j DROP",
		  "-A INPUT --src=2001:db8::/32 -j DROP" },
		{ "-A OUTPUT -d ::1 -j ACCEPT",
		  "--append OUTPUT --destination ::1/128 --jump ACCEPT" },
		{ "-A OUTPUT -d ::1 -j ACCEPT", "-A OUTPUT --dst ::1 -j ACCEPT" },
		{ "-A FORWARD -i eth0 -o eth1 -p udp --sport 53 -j ACCEPT",
		  "-A FORWARD --in-interface eth0 --out-interface eth1 "
		  "--protocol udp --source-port 53 -j ACCEPT" },
		{ "-A INPUT -p tcp --dport 22 -j ACCEPT",
		  "-A INPUT -p tcp -m tcp --destination-port 22 -j ACCEPT" },
		{ "-A INPUT -p tcp -m multiport --dports 22,80 -j ACCEPT",
		  "-A INPUT -p tcp --match multiport --destination-ports "
		  "22,80 -j ACCEPT" },
		{ "-A INPUT -p udp -m multiport --sports 1:5,9 -j ACCEPT",
		  "-A INPUT -p udp -m multiport --source-ports 1:5,9 -j "
		  "ACCEPT" },
		{ "-A INPUT -j ACCEPT", "-t filter -A INPUT -j ACCEPT" },
		{ "-A INPUT -j ACCEPT", "-A INPUT --table filter -j ACCEPT" },
		{ "-A INPUT -p icmpv6 --icmpv6-type 128 -j ACCEPT",
		  "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ping "
		  "-j ACCEPT" },
		{ "-A INPUT -p icmpv6 --icmpv6-type 135 -j ACCEPT",
		  "-A INPUT -p 58 --icmpv6-type neighbor-solicitation "
		  "-j ACCEPT" },
		{ "-A INPUT -p tcp --dport 443 -j ACCEPT",
		  "-A INPUT -p TCP --dport https -j ACCEPT" },
		{ "-A INPUT -j LOG --log-level 7",
		  "-A INPUT -j LOG --log-level debug" },
	};
	struct fw_rule a, b;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		parse_ok(pairs[i][0], FW_OP_APPEND, &a);
		parse_ok(pairs[i][1], FW_OP_APPEND, &b);
		if (!fw_rule_equal(&a, &b))
			fail_msg("'%s' != '%s'", pairs[i][0], pairs[i][1]);
	}
}

static void
test_parse_every_option(void **state)
{
	static const struct {
		const char *line;
		enum fw_reject with;
	} rejects[] = {
		{ "icmp6-adm-prohibited", FW_REJECT_ADM_PROHIBITED },
		{ "adm-prohibited", FW_REJECT_ADM_PROHIBITED },
		{ "icmp6-no-route", FW_REJECT_NO_ROUTE },
		{ "no-route", FW_REJECT_NO_ROUTE },
		{ "icmp6-addr-unreachable", FW_REJECT_ADDR_UNREACH },
		{ "addr-unreach", FW_REJECT_ADDR_UNREACH },
		{ "icmp6-port-unreachable", FW_REJECT_PORT_UNREACH },
		{ "port-unreach", FW_REJECT_PORT_UNREACH },
		{ "icmp6-policy-fail", FW_REJECT_POLICY_FAIL },
		{ "icmp6-reject-route", FW_REJECT_REJECT_ROUTE },
		{ "tcp-reset", FW_REJECT_TCP_RESET },
	};
	uint8_t a[16], m[16];
	struct fw_rule r;
	char line[160];
	unsigned int i;

	(void)state;
	/* Inverted addresses, masks with gaps, the prefix forms. */
	parse_ok("-A INPUT ! -s 2001:db8::/32 ! -d ::1/::ffff -j DROP",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.src.inv, 1);
	assert_int_equal(r.dst.inv, 1);
	parse_ok("-A INPUT -s 2001:db8:1:2:3:4:5:6/ffff:0:ffff::ff -j DROP",
		 FW_OP_APPEND, &r);
	addr("2001:0:1::6", a);		/* ANDed with the mask */
	addr("ffff:0:ffff::ff", m);
	assert_memory_equal(r.src.addr, a, 16);
	assert_memory_equal(r.src.mask, m, 16);
	parse_ok("-A INPUT -s ::/0 -j DROP", FW_OP_APPEND, &r);
	memset(m, 0, 16);
	assert_memory_equal(r.src.mask, m, 16);
	parse_ok("-A INPUT -s 2001:db8::1/63 -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.src.mask[7], 0xfe);
	assert_int_equal(r.src.mask[8], 0);
	/* Protocols. */
	parse_ok("-A INPUT ! -p tcp -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.proto_inv, 1);
	parse_ok("-A INPUT -p all -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.proto_set, 0);
	parse_ok("-A INPUT -p 0 -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.proto_set, 0);
	parse_ok("-A INPUT -p 000 -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.proto_set, 0);
	parse_ok("-A INPUT -p esp -j ACCEPT", FW_OP_APPEND, &r);
	assert_int_equal(r.proto, 50);
	parse_ok("-A INPUT -p 253 -j ACCEPT", FW_OP_APPEND, &r);
	assert_int_equal(r.proto, 253);
	/* Ports: ranges, open ends, lists, inversion. */
	parse_ok("-A INPUT -p tcp --sport 1024: --dport :1023 -j ACCEPT",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.sport.r[0].lo, 1024);
	assert_int_equal(r.sport.r[0].hi, 65535);
	assert_int_equal(r.dport.r[0].lo, 0);
	assert_int_equal(r.dport.r[0].hi, 1023);
	parse_ok("-A INPUT -p udp ! --dport 0:99 -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.dport.inv, 1);
	parse_ok("-A INPUT -p tcp -m multiport ! --dports "
		 "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -j DROP", FW_OP_APPEND,
		 &r);
	assert_int_equal(r.dport.n, 15);
	assert_int_equal(r.dport.multi, 1);
	assert_int_equal(r.dport.inv, 1);
	parse_ok("-A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,"
		 "9:10,11:12,13:14,15 -j DROP", FW_OP_APPEND, &r);
	assert_int_equal(r.dport.n, 8);
	/* ICMPv6 types by name, number and code. */
	parse_ok("-A INPUT -p icmpv6 --icmpv6-type 1/4 -j ACCEPT",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.icmp6.type, 1);
	assert_int_equal(r.icmp6.code_lo, 4);
	assert_int_equal(r.icmp6.code_hi, 4);
	parse_ok("-A INPUT -p icmpv6 ! --icmpv6-type no-route -j ACCEPT",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.icmp6.inv, 1);
	assert_int_equal(r.icmp6.code_hi, 0);
	/* Interfaces, inverted. */
	parse_ok("-A FORWARD ! -i wan ! -o lan -j ACCEPT", FW_OP_APPEND, &r);
	assert_int_equal(r.in.inv, 1);
	assert_int_equal(r.out.inv, 1);
	/* States, both modules, inversion. */
	parse_ok("-A INPUT -m conntrack --ctstate INVALID -j DROP",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.state, FW_STATE_INVALID);
	assert_int_equal(r.state_kind, FW_STATE_KIND_CONNTRACK);
	parse_ok("-A INPUT -m state ! --state INVALID,untracked -j ACCEPT",
		 FW_OP_APPEND, &r);
	assert_int_equal(r.state, FW_STATE_NEW | FW_STATE_ESTABLISHED |
			 FW_STATE_RELATED);
	/* Comments with shell quoting. */
	parse_ok("-A INPUT -m comment --comment 'a \"b\" $c' -j DROP",
		 FW_OP_APPEND, &r);
	assert_string_equal(r.comment, "a \"b\" $c");
	parse_ok("-A INPUT -m comment --comment \"x \\\"y\\\" \\\\ \\$z\" "
		 "-j DROP", FW_OP_APPEND, &r);
	assert_string_equal(r.comment, "x \"y\" \\ $z");
	parse_ok("-A INPUT -m comment --comment a\\ b -j DROP # why",
		 FW_OP_APPEND, &r);
	assert_string_equal(r.comment, "a b");
	parse_ok("-A INPUT -m comment --comment '#not a comment' -j DROP",
		 FW_OP_APPEND, &r);
	assert_string_equal(r.comment, "#not a comment");
	parse_ok("-A INPUT -m comment --comment ! -j DROP", FW_OP_APPEND, &r);
	assert_string_equal(r.comment, "!");
	parse_ok("-A INPUT -m comment --comment \"caf\xc3\xa9\" -j DROP",
		 FW_OP_APPEND, &r);
	/* Targets and their options. */
	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		snprintf(line, sizeof(line), "-A INPUT -p tcp -j REJECT "
			 "--reject-with %s", rejects[i].line);
		parse_ok(line, FW_OP_APPEND, &r);
		assert_int_equal(r.target, FW_TARGET_REJECT);
		assert_int_equal(r.reject_with, rejects[i].with);
	}
	parse_ok("-A INPUT -j REJECT", FW_OP_APPEND, &r);
	assert_int_equal(r.reject_with, FW_REJECT_ADM_PROHIBITED);
	parse_ok("-A INPUT -j LOG --log-prefix \"fw in: \" --log-level err",
		 FW_OP_APPEND, &r);
	assert_string_equal(r.log_prefix, "fw in: ");
	assert_int_equal(r.log_level, 3);
	parse_ok("-A INPUT -j RETURN", FW_OP_APPEND, &r);
	assert_int_equal(r.target, FW_TARGET_RETURN);
	/* Commands. */
	parse_ok("-I INPUT -j ACCEPT", FW_OP_INSERT, &r);
	assert_int_equal(r.pos, 1);
	parse_ok("--insert FORWARD 7 -p tcp -j ACCEPT", FW_OP_INSERT, &r);
	assert_int_equal(r.pos, 7);
	parse_ok("-R OUTPUT 2 -j DROP", FW_OP_REPLACE, &r);
	assert_int_equal(r.pos, 2);
	parse_ok("--replace OUTPUT 2 -j DROP", FW_OP_REPLACE, &r);
	parse_ok("-D INPUT 3", FW_OP_DELETE, &r);
	assert_int_equal(r.pos, 3);
	parse_ok("--delete INPUT -p tcp -j ACCEPT", FW_OP_DELETE, &r);
	assert_int_equal(r.pos, 0);
	parse_ok("--policy FORWARD ACCEPT", FW_OP_POLICY, &r);
	parse_ok("--flush FORWARD", FW_OP_FLUSH, &r);
	assert_int_equal(r.chain, FW_CHAIN_FORWARD);
	parse_ok("--delete-chain", FW_OP_DELETE_CHAINS, &r);
	parse_ok("   ", FW_OP_NONE, &r);
	parse_ok("", FW_OP_NONE, &r);
	parse_ok("ip6tables-legacy -A OUTPUT -j ACCEPT", FW_OP_APPEND, &r);
	parse_ok("/usr/sbin/ip6tables-nft -A OUTPUT -j ACCEPT", FW_OP_APPEND,
		 &r);
}

static void
test_parse_chain_aliases(void **state)
{
	static const struct {
		const char *name;
		enum fw_chain chain;
	} defaults[] = {
		{ "INPUT", FW_CHAIN_INPUT }, { "input_rule", FW_CHAIN_INPUT },
		{ "FORWARD", FW_CHAIN_FORWARD },
		{ "forwarding_rule", FW_CHAIN_FORWARD },
		{ "forwarding_lan_rule", FW_CHAIN_FORWARD },
		{ "OUTPUT", FW_CHAIN_OUTPUT }, { "output_rule", FW_CHAIN_OUTPUT },
	};
	struct fw_aliases al;
	struct fw_rule r;
	struct fw_err err;
	char line[96];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		snprintf(line, sizeof(line), "-A %s -j ACCEPT",
			 defaults[i].name);
		parse_ok(line, FW_OP_APPEND, &r);
		assert_int_equal(r.chain, defaults[i].chain);
	}
	/* Built-in names are case-sensitive, as in ip6tables. */
	expect_err("-A input -j ACCEPT", 4, "column 4: 'input': unknown chain "
		   "(INPUT, FORWARD, OUTPUT or an alias such as "
		   "forwarding_rule)");
	/* A config adds its own; built-ins cannot be re-pointed. */
	fw_aliases_init(&al);
	assert_int_equal(fw_aliases_add(&al, "wan_in", "input", &err), 0);
	assert_int_equal(fw_aliases_add(&al, "zone_lan_forward", "FORWARD",
					&err), 0);
	assert_true(fw_rule_parse_with("-A wan_in -j DROP", &al, &r, &err) > 0);
	assert_int_equal(r.chain, FW_CHAIN_INPUT);
	assert_int_equal(fw_rule_parse("-A wan_in -j DROP", &r, &err), -EINVAL);
	assert_int_equal(fw_aliases_add(&al, "wan_in", "output", &err), 0);
	assert_true(fw_rule_parse_with("-A wan_in -j DROP", &al, &r, &err) > 0);
	assert_int_equal(r.chain, FW_CHAIN_OUTPUT);
	assert_int_equal(fw_aliases_add(&al, "INPUT", "forward", &err),
			 -EINVAL);
	assert_string_equal(err.msg, "'INPUT' is a built-in chain, not an "
			    "alias");
	assert_int_equal(fw_aliases_add(&al, "x", "prerouting", &err),
			 -EINVAL);
	assert_string_equal(err.msg, "'prerouting' is not a built-in chain "
			    "(input, forward or output)");
	assert_int_equal(fw_aliases_add(&al, "a b", "input", &err), -EINVAL);
	assert_int_equal(fw_aliases_add(&al, "-x", "input", &err), -EINVAL);
	assert_int_equal(fw_aliases_add(&al,
			 "a_chain_name_longer_than_28_c", "input", &err),
			 -EINVAL);
	while (al.n < FW_ALIASES_MAX) {
		snprintf(line, sizeof(line), "alias%u", al.n);
		assert_int_equal(fw_aliases_add(&al, line, "input", &err), 0);
	}
	assert_int_equal(fw_aliases_add(&al, "one_more", "input", &err),
			 -EINVAL);
	assert_string_equal(fw_chain_name(FW_CHAIN_OUTPUT), "OUTPUT");
	assert_string_equal(fw_chain_name(FW_CHAIN_MAX), "?");
}

/* Errors: the column (1-based, in characters) and the words at fault. */
static void
test_parse_errors_name_column_and_word(void **state)
{
	(void)state;
	expect_err("-A INPUT -p tcp --dport 70000 -j ACCEPT", 17,
		   "column 17: '--dport 70000': port must be 0-65535");
	expect_err("ip6tables -A INPUT -p udp --dport=99999 -j ACCEPT", 27,
		   "column 27: '--dport=99999': port must be 0-65535");
	expect_err("-A INPUT --bogus -j ACCEPT", 10,
		   "column 10: '--bogus': unknown option");
	expect_err("-A INPUT -p tcp --dport", 17,
		   "column 17: '--dport': needs a value (missing argument)");
	expect_err("-A INPUT -s", 10,
		   "column 10: '-s': needs a value (missing argument)");
	expect_err("-A INPUT -m", 10,
		   "column 10: '-m': needs a match name (missing argument)");
	expect_err("-A", 1, "column 1: '-A': needs a chain (missing "
		   "argument)");
	expect_err("-A INPUT -s 2001:db8::/129 -j DROP", 10,
		   "column 10: '-s 2001:db8::/129': prefix length must be "
		   "0-128");
	expect_err("-A INPUT -d 10.0.0.1 -j DROP", 10,
		   "column 10: '-d 10.0.0.1': IPv4 address in an IPv6 rule");
	expect_err("-A INPUT -d example.org -j DROP", 10,
		   "column 10: '-d example.org': not an IPv6 address (host "
		   "names are not looked up)");
	expect_err("-A INPUT -d ::1,::2 -j DROP", 10,
		   "column 10: '-d ::1,::2': one address per rule (ip6tables "
		   "would add one rule for each)");
	expect_err("-A INPUT -d ::1/ffff:: -d ::2 -j DROP", 24,
		   "column 24: '-d ::2': given twice (first at column 10)");
	expect_err("-A INPUT -d ::1/zz -j DROP", 10,
		   "column 10: '-d ::1/zz': mask must be a prefix length "
		   "(0-128) or an IPv6 mask such as ::ffff:ffff:ffff:ffff");
	expect_err("-A INPUT -s ! ::1 -j DROP", 10,
		   "column 10: '-s !': '!' goes before the option ('! -s "
		   "addr'), not after it");
	expect_err("-A INPUT ! -j DROP", 10,
		   "column 10: '!': this option cannot be inverted");
	expect_err("-A INPUT ! ! -s ::1 -j DROP", 12,
		   "column 12: '!': '!' twice");
	expect_err("-A INPUT -j DROP !", 18,
		   "column 18: '!': '!' with nothing after it");
	expect_err("-A INPUT -p icmp -j DROP", 10,
		   "column 10: '-p icmp': icmp is IPv4's; use icmpv6 in an "
		   "IPv6 rule");
	expect_err("-A INPUT -p 001 -j DROP", 10,
		   "column 10: '-p 001': icmp is IPv4's; use icmpv6 in an "
		   "IPv6 rule");
	expect_err("-A INPUT -p foo -j DROP", 10,
		   "column 10: '-p foo': unknown protocol (tcp, udp, icmpv6, "
		   "all, another name such as esp, or 0-255)");
	expect_err("-A INPUT -p 256 -j DROP", 10,
		   "column 10: '-p 256': protocol number must be 0-255");
	expect_err("-A INPUT ! -p all -j DROP", 12,
		   "column 12: '-p all': '! -p all' would match nothing");
	expect_err("-A INPUT --dport 80 -p tcp -j DROP", 10,
		   "column 10: '--dport 80': needs -p tcp or -p udp before "
		   "it");
	expect_err("-A INPUT -p esp --dport 80 -j DROP", 17,
		   "column 17: '--dport 80': needs -p tcp or -p udp before "
		   "it");
	expect_err("-A INPUT -p tcp --dport 80:22 -j DROP", 17,
		   "column 17: '--dport 80:22': port range is empty (80 > "
		   "22)");
	expect_err("-A INPUT -p tcp --dport 22,80 -j DROP", 17,
		   "column 17: '--dport 22,80': one port or range (a list "
		   "needs -m multiport --dports)");
	expect_err("-A INPUT -p tcp --dport www -j DROP", 17,
		   "column 17: '--dport www': 'www' is neither a port "
		   "(0-65535) nor a service name meshxlat knows (ssh, http, "
		   "https, domain, ...)");
	expect_err("-A INPUT -p tcp --dports 1,2 -j DROP", 17,
		   "column 17: '--dports 1,2': needs -m multiport before it");
	expect_err("-A INPUT -p tcp -m multiport --dports 1,,2 -j DROP", 30,
		   "column 30: '--dports 1,,2': empty port in the list");
	expect_err("-A INPUT -p tcp -m multiport --dports "
		   "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16 -j DROP", 30,
		   "column 30: '--dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16'"
		   ": more than 15 ports (a range counts as two)");
	expect_err("-A INPUT -p tcp -m multiport --ports 1 -j DROP", 30,
		   "column 30: '--ports 1': --ports (either direction) is not "
		   "supported: use --sports or --dports");
	expect_err("-A INPUT -p tcp -m multiport -j DROP", 17,
		   "column 17: '-m multiport': needs --sports or --dports");
	expect_err("-A INPUT -p tcp -m udp -j DROP", 17,
		   "column 17: '-m udp': needs -p udp");
	expect_err("-A INPUT -m icmp6 --icmpv6-type 1 -j DROP", 10,
		   "column 10: '-m icmp6': needs -p icmpv6");
	expect_err("-A INPUT --icmpv6-type 1 -j DROP", 10,
		   "column 10: '--icmpv6-type 1': needs -p icmpv6 before it");
	expect_err("-A INPUT -p icmpv6 --icmpv6-type bogus -j DROP", 20,
		   "column 20: '--icmpv6-type bogus': unknown ICMPv6 type (a "
		   "name such as echo-request or packet-too-big, type or "
		   "type/code; 'ip6tables -p icmpv6 -h' lists the names)");
	expect_err("-A INPUT -p icmpv6 --icmpv6-type 300 -j DROP", 20,
		   "column 20: '--icmpv6-type 300': ICMPv6 type must be "
		   "0-255");
	expect_err("-A INPUT -p icmpv6 --icmpv6-type 1/x -j DROP", 20,
		   "column 20: '--icmpv6-type 1/x': ICMPv6 code must be "
		   "0-255");
	expect_err("-A INPUT -m state --state NEW,BOGUS -j DROP", 19,
		   "column 19: '--state NEW,BOGUS': unknown state (NEW, "
		   "ESTABLISHED, RELATED, INVALID, UNTRACKED, comma "
		   "separated)");
	expect_err("-A INPUT -m conntrack --ctstate DNAT -j DROP", 23,
		   "column 23: '--ctstate DNAT': SNAT and DNAT states do not "
		   "exist here: the firewall does no NAT");
	expect_err("-A INPUT -m conntrack --ctproto tcp -j DROP", 23,
		   "column 23: '--ctproto tcp': only --ctstate of "
		   "-m conntrack is supported");
	expect_err("-A INPUT --state NEW -j DROP", 10,
		   "column 10: '--state NEW': needs -m state before it");
	expect_err("-A INPUT -m state ! --state NEW,ESTABLISHED,RELATED,"
		   "INVALID,UNTRACKED -j DROP", 21,
		   "column 21: '--state NEW,ESTABLISHED,RELATED,INVALID,"
		   "UNTRACKED': the inverted state list matches no state");
	expect_err("-A INPUT -m limit --limit 5/s -j DROP", 10,
		   "column 10: '-m limit': match not supported (tcp, udp, "
		   "icmp6, multiport, state, conntrack, comment)");
	expect_err("-A INPUT --comment x -j DROP", 10,
		   "column 10: '--comment x': needs -m comment before it");
	expect_err("-A INPUT -m comment --comment \"a\tb\" -j DROP", 21,
		   "column 21: '--comment a\tb': comment must not contain "
		   "control characters");
	expect_err("-A INPUT -j ACCEPT -j DROP", 20,
		   "column 20: '-j DROP': given twice (first at column 10)");
	expect_err("-A INPUT -j accept", 10,
		   "column 10: '-j accept': targets are upper case: ACCEPT");
	expect_err("-A INPUT -j MASQUERADE", 10,
		   "column 10: '-j MASQUERADE': unknown target (ACCEPT, DROP, "
		   "REJECT, LOG or RETURN; jumps to other chains are not "
		   "supported)");
	expect_err("-A INPUT -g other", 10,
		   "column 10: '-g': jumps to other chains are not supported");
	expect_err("-A INPUT -p tcp", 1,
		   "column 1: '-A': no target: add -j ACCEPT, DROP, REJECT, "
		   "LOG or RETURN");
	expect_err("-A INPUT --reject-with tcp-reset -j REJECT", 10,
		   "column 10: '--reject-with tcp-reset': needs -j REJECT "
		   "before it");
	expect_err("-A INPUT -j REJECT --reject-with bogus", 20,
		   "column 20: '--reject-with bogus': unknown reject answer "
		   "(icmp6-adm-prohibited, icmp6-no-route, "
		   "icmp6-addr-unreachable, icmp6-port-unreachable, "
		   "icmp6-policy-fail, icmp6-reject-route, tcp-reset)");
	expect_err("-A INPUT -p udp -j REJECT --reject-with tcp-reset", 27,
		   "column 27: '--reject-with tcp-reset': tcp-reset needs "
		   "-p tcp");
	expect_err("-A INPUT -j LOG --log-prefix 0123456789012345678901234567"
		   "89", 17, "column 17: '--log-prefix 012345678901234567890123"
		   "456789': log prefix longer than 29 characters");
	expect_err("-A INPUT -j LOG --log-level 8", 17,
		   "column 17: '--log-level 8': log level must be 0-7");
	expect_err("-A INPUT -j LOG --log-uid", 17,
		   "column 17: '--log-uid': not supported (LOG takes "
		   "--log-prefix and --log-level)");
	expect_err("-A INPUT -j DROP --log-level 3", 18,
		   "column 18: '--log-level 3': needs -j LOG before it");
	expect_err("-A INPUT -o eth0 -j DROP", 10,
		   "column 10: '-o eth0': -o cannot be used in INPUT (packets "
		   "for this box have no output port)");
	expect_err("-A output_rule -i eth0 -j DROP", 16,
		   "column 16: '-i eth0': -i cannot be used in OUTPUT (packets "
		   "from this box have no input port)");
	expect_err("-A FORWARD -i eth+ -j DROP", 12,
		   "column 12: '-i eth+': interface wildcards ('eth+') are not "
		   "supported: name the port");
	expect_err("-A FORWARD -i a_name_too_long_x -j DROP", 12,
		   "column 12: '-i a_name_too_long_x': interface name longer "
		   "than 15 characters");
	expect_err("-A PREROUTING -j DROP", 4,
		   "column 4: 'PREROUTING': unknown chain (INPUT, FORWARD, "
		   "OUTPUT or an alias such as forwarding_rule)");
	expect_err("-A INPUT -j DROP -I INPUT", 18,
		   "column 18: '-I': a second command (the first is '-A' at "
		   "column 1)");
	expect_err("-s ::1 -j DROP", 1,
		   "column 1: '-s': no command (-A, -I, -R, -D, -P, -F)");
	expect_err("ip6tables", 1,
		   "column 1: 'ip6tables': no command (-A, -I, -R, -D, -P, "
		   "-F)");
	expect_err("iptables -A INPUT -j DROP", 1,
		   "column 1: 'iptables': iptables is IPv4's: write ip6tables "
		   "rules");
	expect_err("-A INPUT -j DROP extra", 18,
		   "column 18: 'extra': unexpected word (options start with "
		   "'-')");
	expect_err("-P forwarding_rule DROP", 4,
		   "column 4: 'forwarding_rule': a policy belongs to a "
		   "built-in chain (INPUT, FORWARD, OUTPUT), not to an alias");
	expect_err("-P INPUT REJECT", 10,
		   "column 10: 'REJECT': a policy is ACCEPT or DROP");
	expect_err("-P INPUT", 1,
		   "column 1: '-P': needs ACCEPT or DROP (missing argument)");
	expect_err("-P INPUT DROP -p tcp", 1,
		   "column 1: '-P': takes no rule options");
	expect_err("-F INPUT -j DROP", 1, "column 1: '-F': takes no rule "
		   "options");
	expect_err("-X mychain", 1, "column 1: '-X': there are no "
		   "user-defined chains to delete (chains are built-in or "
		   "aliases)");
	expect_err("-N mychain", 1, "column 1: '-N': user-defined chains are "
		   "not supported: configure an alias of a built-in chain "
		   "instead");
	expect_err("-L INPUT", 1, "column 1: '-L': listing and zeroing are "
		   "control commands, not rules");
	expect_err("-D INPUT 3 -j DROP", 1, "column 1: '-D': give a rule "
		   "number or a rule, not both");
	expect_err("-R INPUT -j DROP", 1, "column 1: '-R': needs a rule "
		   "number (missing argument)");
	expect_err("-I INPUT 0 -j DROP", 1, "column 1: '-I 0': rule number "
		   "must be 1-200000");
	expect_err("-A INPUT -c 1 2 -j DROP", 10, "column 10: '-c': setting "
		   "counters is not supported");
	expect_err("-A INPUT -p tcp --syn -j DROP", 17, "column 17: '--syn': "
		   "TCP flag matches are not supported (match the connection "
		   "state instead)");
	expect_err("-A INPUT --jump=DROP --src", 22,
		   "column 22: '--src': needs a value (missing argument)");
	expect_err("-A INPUT -F=x -j DROP", 10, "column 10: '-F=x': unknown "
		   "option");
	expect_err("-A INPUT --flush=x -j DROP", 10, "column 10: '--flush=x': "
		   "takes no value");
}

static void
test_parse_lexer_errors(void **state)
{
	char line[FW_LINE_MAX + 16];
	struct fw_rule r;
	struct fw_err err;
	unsigned int i;

	(void)state;
	expect_err("-A INPUT -m comment --comment \"open -j DROP", 31,
		   "column 31: quote (\") not closed");
	expect_err("-A INPUT -m comment --comment 'open -j DROP", 31,
		   "column 31: quote (') not closed");
	expect_err("-A INPUT -j DROP; rm -rf /", 17,
		   "column 17: shell operators (; & | < > ( )) are not "
		   "supported: one rule per line");
	expect_err("-A INPUT -j DROP | cat", 18,
		   "column 18: shell operators (; & | < > ( )) are not "
		   "supported: one rule per line");
	expect_err("-A INPUT -m comment --comment \"$HOME\" -j DROP", 32,
		   "column 32: shell expansion ('$', '`') is not supported: "
		   "write the value");
	expect_err("-A INPUT -m comment --comment `id` -j DROP", 31,
		   "column 31: shell expansion ('$', '`') is not supported: "
		   "write the value");
	expect_err("-A INPUT -j DROP \\", 18,
		   "column 18: '\\' at the end of the line");
	/* Columns count characters, not bytes. */
	expect_err("-A INPUT -m comment --comment \"\xc3\xa9t\xc3\xa9\" "
		   "-p tcp --dport 99999 -j DROP", 44,
		   "column 44: '--dport 99999': port must be 0-65535");
	/* Lengths. */
	memset(line, 'a', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(fw_rule_parse(line, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "line longer than 4096 bytes");
	line[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(line, "! ");
	assert_int_equal(fw_rule_parse(line, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "column 513: too many words");
	/* err may be NULL. */
	assert_int_equal(fw_rule_parse("-A", &r, NULL), -EINVAL);
}

static void
test_format_canonical_lines(void **state)
{
	(void)state;
	expect_format("ip6tables -A forwarding_rule -d "
		      "::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff -p tcp -m tcp "
		      "--dport 443 -m comment --comment \"Inbound-HTTPS\" -o "
		      "br-lan -j ACCEPT",
		      "-A forwarding_rule -d ::1234:5678:abcd:ef01/"
		      "::ffff:ffff:ffff:ffff -o br-lan -p tcp -m tcp --dport 443 "
		      "-m comment --comment Inbound-HTTPS -j ACCEPT");
	expect_format("-A INPUT -p icmpv6 --icmpv6-type 1/3 -j ACCEPT",
		      "-A INPUT -p icmpv6 -m icmp6 --icmpv6-type "
		      "address-unreachable -j ACCEPT");
	expect_format("-A INPUT -p icmpv6 --icmpv6-type 200/7 -j ACCEPT",
		      "-A INPUT -p icmpv6 -m icmp6 --icmpv6-type 200/7 -j ACCEPT");
	expect_format("-A INPUT -p icmpv6 ! --icmpv6-type 77 -j ACCEPT",
		      "-A INPUT -p icmpv6 -m icmp6 ! --icmpv6-type 77 -j ACCEPT");
	expect_format("-A INPUT -s 2001:DB8:0:0::1 -p 132 -j DROP",
		      "-A INPUT -s 2001:db8::1/128 -p sctp -j DROP");
	expect_format("-A INPUT -p 200 -j DROP", "-A INPUT -p 200 -j DROP");
	expect_format("-A INPUT -s ::/0 -j DROP", "-A INPUT -j DROP");
	expect_format("-A INPUT ! -s ::/0 -j DROP",
		      "-A INPUT ! -s ::/0 -j DROP");
	expect_format("-A INPUT -p tcp -m multiport ! --sports ssh,1000: "
		      "-j ACCEPT", "-A INPUT -p tcp -m multiport ! --sports "
		      "22,1000:65535 -j ACCEPT");
	expect_format("-A INPUT -m state --state ESTABLISHED,RELATED,NEW "
		      "-j ACCEPT", "-A INPUT -m state --state "
		      "NEW,RELATED,ESTABLISHED -j ACCEPT");
	expect_format("-A INPUT -m comment --comment 'say \"hi\" `$x` \\' "
		      "-j DROP", "-A INPUT -m comment --comment "
		      "\"say \\\"hi\\\" \\`\\$x\\` \\\\\" -j DROP");
	expect_format("-A INPUT -m comment --comment '#x' -j DROP",
		      "-A INPUT -m comment --comment \"#x\" -j DROP");
	expect_format("-A INPUT -j REJECT --reject-with icmp6-adm-prohibited",
		      "-A INPUT -j REJECT");
	expect_format("-A INPUT -p tcp -j REJECT --reject-with tcp-reset",
		      "-A INPUT -p tcp -j REJECT --reject-with tcp-reset");
	expect_format("-A INPUT -j LOG --log-prefix 'in: ' --log-level info",
		      "-A INPUT -j LOG --log-prefix \"in: \" --log-level 6");
	expect_format("-A INPUT -p udp --sport 53 -j ACCEPT",
		      "-A INPUT -p udp -m udp --sport 53 -j ACCEPT");
}

/* Truncation is reported snprintf-style, the buffer always terminated. */
static void
test_format_truncates_safely(void **state)
{
	char small[10];
	struct fw_rule r;
	int n;

	(void)state;
	parse_ok("-A INPUT -p tcp --dport 22 -j ACCEPT", FW_OP_APPEND, &r);
	n = fw_rule_format(&r, small, sizeof(small));
	assert_int_equal(n, (int)strlen("-A INPUT -p tcp -m tcp --dport 22 "
					"-j ACCEPT"));
	assert_string_equal(small, "-A INPUT ");
	assert_int_equal(fw_rule_format(&r, NULL, 0), n);
}

/* The object form lib/conf builds from JSON: same checks, same rule. */
static void
test_object_form_matches_line(void **state)
{
	struct fw_rule line, obj;
	struct fw_err err;

	(void)state;
	parse_ok("-A forwarding_rule -d ::1234:5678:abcd:ef01/"
		 "::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment "
		 "--comment Inbound-HTTPS -o br-lan -j ACCEPT", FW_OP_APPEND,
		 &line);
	fw_rule_init(&obj);
	assert_int_equal(fw_rule_set_chain(&obj, NULL, "forwarding_rule",
					   &err), 0);
	assert_int_equal(fw_rule_set_addr(&obj, 1, "::1234:5678:abcd:ef01/"
					  "::ffff:ffff:ffff:ffff", 0, &err), 0);
	assert_int_equal(fw_rule_set_proto(&obj, "tcp", 0, &err), 0);
	assert_int_equal(fw_rule_set_ports(&obj, 1, "443", 0, 0, &err), 0);
	assert_int_equal(fw_rule_set_comment(&obj, "Inbound-HTTPS", &err), 0);
	assert_int_equal(fw_rule_set_iface(&obj, 1, "br-lan", 0, &err), 0);
	assert_int_equal(fw_rule_set_target(&obj, "ACCEPT", &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), 0);
	assert_true(fw_rule_equal(&line, &obj));

	/* Setter errors: the reason only, no column, the field named. */
	assert_int_equal(fw_rule_set_ports(&obj, 1, "70000", 0, 0, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "port must be 0-65535");
	assert_int_equal(err.col, 0);
	assert_int_equal(err.field, FW_FIELD_DPORT);
	assert_int_equal(fw_rule_set_addr(&obj, 0, "", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "address is empty");
	assert_int_equal(err.field, FW_FIELD_SRC);
	assert_int_equal(fw_rule_set_state(&obj, FW_STATE_KIND_STATE, "",
					   0, &err), -EINVAL);
	assert_int_equal(err.field, FW_FIELD_STATE);
	assert_int_equal(fw_rule_set_log_level(&obj, "loud", &err), -EINVAL);
	assert_int_equal(err.field, FW_FIELD_LOG_LEVEL);
	assert_int_equal(fw_rule_set_iface(&obj, 0, "", 0, &err), -EINVAL);
	assert_string_equal(err.msg, "interface name is empty");
	assert_int_equal(fw_rule_set_iface(&obj, 0, "a/b", 0, &err), -EINVAL);
	assert_int_equal(fw_rule_set_icmp6(&obj, "", 0, &err), -EINVAL);
	assert_int_equal(fw_rule_set_ports(&obj, 0, ":", 1, 0, &err), -EINVAL);
	assert_string_equal(err.msg, "port range ':' has no ends");
	assert_int_equal(fw_rule_set_ports(&obj, 0, "-1", 0, 0, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "port must be 0-65535");
	assert_int_equal(fw_rule_set_ports(&obj, 0, "", 0, 0, &err), -EINVAL);
	assert_string_equal(err.msg, "port is empty");
	/* Checks across fields, as the line parser does them. */
	fw_rule_init(&obj);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_string_equal(err.msg, "no chain");
	assert_int_equal(fw_rule_set_chain(&obj, NULL, "INPUT", &err), 0);
	assert_int_equal(fw_rule_set_target(&obj, "DROP", &err), 0);
	assert_int_equal(fw_rule_set_ports(&obj, 1, "22", 0, 0, &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_string_equal(err.msg, "ports need -p tcp or -p udp");
	assert_int_equal(err.field, FW_FIELD_DPORT);
	assert_int_equal(fw_rule_set_proto(&obj, "udp", 1, &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_int_equal(fw_rule_set_proto(&obj, "udp", 0, &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), 0);
	assert_int_equal(fw_rule_set_icmp6(&obj, "echo-request", 0, &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_string_equal(err.msg, "--icmpv6-type needs -p icmpv6");
	fw_rule_init(&obj);
	assert_int_equal(fw_rule_set_chain(&obj, NULL, "INPUT", &err), 0);
	assert_int_equal(fw_rule_set_target(&obj, "ACCEPT", &err), 0);
	assert_int_equal(fw_rule_set_reject_with(&obj, "icmp6-no-route",
						 &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_string_equal(err.msg, "--reject-with needs -j REJECT");
	fw_rule_init(&obj);
	assert_int_equal(fw_rule_set_chain(&obj, NULL, "INPUT", &err), 0);
	assert_int_equal(fw_rule_set_target(&obj, "ACCEPT", &err), 0);
	assert_int_equal(fw_rule_set_log_prefix(&obj, "x", &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), -EINVAL);
	assert_string_equal(err.msg, "--log-prefix needs -j LOG");
	assert_int_equal(fw_rule_set_target(&obj, "LOG", &err), 0);
	assert_int_equal(fw_rule_finish(&obj, &err), 0);
	/* NULL err is allowed. */
	assert_int_equal(fw_rule_set_proto(&obj, "nope", 0, NULL), -EINVAL);
	assert_string_equal(fw_target_name(FW_TARGET_REJECT), "REJECT");
	assert_string_equal(fw_reject_name(FW_REJECT_TCP_RESET), "tcp-reset");
	assert_string_equal(fw_reject_name(FW_REJECT_MAX), "?");
}

/* Rules that differ in one thing are not equal; equal ones are. */
static void
test_rule_equal_compares_everything(void **state)
{
	static const char *const lines[] = {
		"-A INPUT -j ACCEPT",
		"-A FORWARD -j ACCEPT",
		"-A INPUT -j DROP",
		"-A INPUT -s ::1 -j ACCEPT",
		"-A INPUT ! -s ::1 -j ACCEPT",
		"-A INPUT -d ::1 -j ACCEPT",
		"-A INPUT -p tcp -j ACCEPT",
		"-A INPUT ! -p tcp -j ACCEPT",
		"-A INPUT -p udp -j ACCEPT",
		"-A INPUT -p tcp --dport 1 -j ACCEPT",
		"-A INPUT -p tcp --sport 1 -j ACCEPT",
		"-A INPUT -p tcp -m multiport --dports 1 -j ACCEPT",
		"-A INPUT -p tcp ! --dport 1 -j ACCEPT",
		"-A INPUT -p icmpv6 --icmpv6-type 1 -j ACCEPT",
		"-A INPUT -p icmpv6 --icmpv6-type 1/0 -j ACCEPT",
		"-A INPUT -i a -j ACCEPT",
		"-A INPUT ! -i a -j ACCEPT",
		"-A FORWARD -o a -j ACCEPT",
		"-A INPUT -m state --state NEW -j ACCEPT",
		"-A INPUT -m conntrack --ctstate NEW -j ACCEPT",
		"-A INPUT -m comment --comment x -j ACCEPT",
		"-A INPUT -j REJECT",
		"-A INPUT -j REJECT --reject-with icmp6-no-route",
		"-A INPUT -j LOG",
		"-A INPUT -j LOG --log-level 1",
		"-A INPUT -j LOG --log-prefix x",
	};
	struct fw_rule a, b;
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		for (j = 0; j < sizeof(lines) / sizeof(lines[0]); j++) {
			parse_ok(lines[i], FW_OP_APPEND, &a);
			parse_ok(lines[j], FW_OP_APPEND, &b);
			if (fw_rule_equal(&a, &b) != (i == j))
				fail_msg("'%s' vs '%s'", lines[i], lines[j]);
		}
	}
	/* The chain alias and the position do not count. */
	parse_ok("-A forwarding_rule -j ACCEPT", FW_OP_APPEND, &a);
	parse_ok("-I FORWARD 3 -j ACCEPT", FW_OP_INSERT, &b);
	assert_true(fw_rule_equal(&a, &b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_seed002_suffix_rule_verbatim),
		cmocka_unit_test(test_parse_seed004_script_verbatim),
		cmocka_unit_test(test_parse_seed003_nat_refused),
		cmocka_unit_test(test_parse_long_forms_equal_short),
		cmocka_unit_test(test_parse_every_option),
		cmocka_unit_test(test_parse_chain_aliases),
		cmocka_unit_test(test_parse_errors_name_column_and_word),
		cmocka_unit_test(test_parse_lexer_errors),
		cmocka_unit_test(test_format_canonical_lines),
		cmocka_unit_test(test_format_truncates_safely),
		cmocka_unit_test(test_object_form_matches_line),
		cmocka_unit_test(test_rule_equal_compares_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
