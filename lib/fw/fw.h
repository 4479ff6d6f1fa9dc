/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 firewall: its rule language, rulesets, the key a packet is
 * classified by, the connection-state table and per-rule counters.
 *
 * A rule is written as an ip6tables line ("-A forwarding_rule -d
 * ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff -p tcp --dport 443 -j
 * ACCEPT", parsed by fw_rule_parse()) or built field by field from a JSON
 * object by lib/conf with the fw_rule_set_*() setters; both go through the
 * same validation and give the same 'struct fw_rule'. A 'struct
 * fw_ruleset' holds the rules of the three chains in order (the first
 * match wins), the chain policies, the ICMPv6 allow-list and the chain
 * aliases (OpenWrt's forwarding_rule is FORWARD here). doc/firewall.md
 * describes the language and the semantics.
 *
 * Everything in this header is pure C (libc only) and links from fw_core,
 * except the fw_acl_*() functions at the end, which compile a chain into
 * an rte_acl context and live in the DPDK glue (rule_acl.c, library 'fw').
 * fw_ruleset_match_slow() is the reference matcher: rte_acl must give the
 * same answer for every key, and the tests and the fuzzer check that.
 *
 * Threading: rules, rulesets, aliases and fw_acl contexts are built and
 * changed on the control lcore only; once published (behind an RCU-swapped
 * pointer, see ARCHITECTURE.md) a ruleset and its fw_acl contexts are
 * read-only and any number of workers may classify with them. A
 * connection table shard (struct fw_conn_shard) has exactly one writer,
 * the worker that owns it (fw_conn_owner()); it does not depend on the
 * ruleset, so connection state survives a ruleset swap. Per-rule counters
 * are written by one worker each and summed by the control lcore.
 *
 * Shutdown order: stop the workers, then fw_acl_free() each context,
 * fw_ruleset_free(), fw_conn_free() each shard, fw_counters_free().
 */
#ifndef FW_H
#define FW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

/* Limits, taken from ip6tables where it has one. */
#define FW_CHAIN_NAME_MAX	28	/* characters of a chain name */
#define FW_IFNAME_MAX		15	/* characters of an interface name */
#define FW_COMMENT_MAX		255	/* characters of -m comment */
#define FW_LOG_PREFIX_MAX	29	/* characters of --log-prefix */
#define FW_PORTS_MAX		15	/* multiport: a range counts as two */
#define FW_ALIASES_MAX		32	/* chain aliases of a ruleset */
#define FW_ICMP6_ALLOW_MAX	32	/* entries of the ICMPv6 allow-list */
#define FW_LINE_MAX		4096	/* bytes of one rule line */
#define FW_RULES_MAX		200000	/* rules per chain */
#define FW_FORMAT_MAX		2048	/* fw_rule_format() never needs more */
#define FW_ERR_SIZE		384

/* The built-in chains. Every named chain is an alias of one of them. */
enum fw_chain {
	FW_CHAIN_INPUT,		/* to this box */
	FW_CHAIN_FORWARD,	/* through this box */
	FW_CHAIN_OUTPUT,	/* from this box */
	FW_CHAIN_MAX
};

/* What a rule line asks for. */
enum fw_op {
	FW_OP_NONE,		/* blank or comment-only line: nothing */
	FW_OP_APPEND,		/* -A chain spec */
	FW_OP_INSERT,		/* -I chain [pos] spec (pos 1 by default) */
	FW_OP_REPLACE,		/* -R chain pos spec */
	FW_OP_DELETE,		/* -D chain pos, or -D chain spec */
	FW_OP_POLICY,		/* -P chain ACCEPT|DROP */
	FW_OP_FLUSH,		/* -F [chain] */
	FW_OP_DELETE_CHAINS,	/* -X without a chain: there are no user
				 * chains to delete, so nothing to do */
	FW_OP_MAX
};

enum fw_target {
	FW_TARGET_NONE,		/* not set yet */
	FW_TARGET_ACCEPT,
	FW_TARGET_DROP,
	FW_TARGET_REJECT,	/* drop and answer with 'reject_with' */
	FW_TARGET_LOG,		/* log and go on with the next rule */
	FW_TARGET_RETURN,	/* stop: the chain's policy decides */
	FW_TARGET_MAX
};

/* REJECT --reject-with: the answer sent back (ICMPv6 type 1 codes). */
enum fw_reject {
	FW_REJECT_ADM_PROHIBITED,	/* icmp6-adm-prohibited (default) */
	FW_REJECT_NO_ROUTE,		/* icmp6-no-route */
	FW_REJECT_ADDR_UNREACH,		/* icmp6-addr-unreachable */
	FW_REJECT_PORT_UNREACH,		/* icmp6-port-unreachable */
	FW_REJECT_POLICY_FAIL,		/* icmp6-policy-fail */
	FW_REJECT_REJECT_ROUTE,		/* icmp6-reject-route */
	FW_REJECT_TCP_RESET,		/* tcp-reset: a TCP RST (-p tcp only) */
	FW_REJECT_MAX
};

/*
 * Connection states (netfilter's names), one bit each. A packet is in
 * exactly one; a rule's state match is a set of them.
 */
#define FW_STATE_INVALID	0x01u	/* fits no connection (stray ACK) */
#define FW_STATE_NEW		0x02u	/* opens one, or no reply seen yet */
#define FW_STATE_ESTABLISHED	0x04u	/* a reply has been seen */
#define FW_STATE_RELATED	0x08u	/* ICMPv6 error about a connection */
#define FW_STATE_UNTRACKED	0x10u	/* not tracked (neighbour discovery) */
#define FW_STATE_ALL		0x1fu

/* How a state match was written, so fw_rule_format() writes it back. */
enum fw_state_kind {
	FW_STATE_KIND_NONE,
	FW_STATE_KIND_STATE,		/* -m state --state */
	FW_STATE_KIND_CONNTRACK,	/* -m conntrack --ctstate */
};

/* A port id no packet carries: "no port" (OUTPUT's in, INPUT's out). */
#define FW_PORT_NONE		0xffffu

/* The parts of a rule, to say which one an error is about. */
enum fw_field {
	FW_FIELD_NONE,
	FW_FIELD_COMMAND,	/* -A/-I/-D/-P ..., the table, the line */
	FW_FIELD_CHAIN,
	FW_FIELD_SRC,
	FW_FIELD_DST,
	FW_FIELD_PROTO,
	FW_FIELD_SPORT,
	FW_FIELD_DPORT,
	FW_FIELD_ICMP6,
	FW_FIELD_IN,
	FW_FIELD_OUT,
	FW_FIELD_STATE,
	FW_FIELD_COMMENT,
	FW_FIELD_TARGET,
	FW_FIELD_REJECT,
	FW_FIELD_LOG_PREFIX,
	FW_FIELD_LOG_LEVEL,
	FW_FIELD_MAX
};

/*
 * An error: what was wrong, and where. From a rule line, 'msg' reads
 * "column 23: '--dport 70000': port must be 0-65535" and 'col' is 23;
 * from a setter, 'msg' is only the reason ("port must be 0-65535") and
 * 'col' is 0, and the caller (lib/conf) prefixes its key path. 'field'
 * says which part of the rule was at fault.
 */
struct fw_err {
	unsigned int col;		/* 1-based character column, 0: none */
	enum fw_field field;
	char msg[FW_ERR_SIZE];
};

/*
 * An IPv6 address match: the packet's address ANDed with 'mask' equals
 * 'addr'. Any mask works, not only prefixes: ::ffff:ffff:ffff:ffff
 * matches the stable 64-bit suffix of a host whatever the prefix.
 */
struct fw_addr_match {
	uint8_t addr[16];		/* already ANDed with mask */
	uint8_t mask[16];		/* all zero: any address */
	uint8_t inv;			/* "! -s": match when it does not */
};

struct fw_port_range {
	uint16_t lo, hi;		/* inclusive, lo <= hi */
};

/* --sport/--dport (one range) or multiport --sports/--dports (a list). */
struct fw_port_match {
	uint8_t n;			/* ranges in r[], 0: any port */
	uint8_t inv;
	uint8_t multi;			/* written with -m multiport */
	struct fw_port_range r[FW_PORTS_MAX];
};

/* --icmpv6-type type[/code] or a name (echo-request, no-route, ...). */
struct fw_icmp6_match {
	uint8_t set;
	uint8_t inv;
	uint8_t type;
	uint8_t code_lo, code_hi;	/* 0-255 when the name has no code */
};

/* -i/-o: a port by name, resolved to a port id before compiling. */
struct fw_if_match {
	char name[FW_IFNAME_MAX + 1];	/* "": any */
	uint8_t inv;
	uint8_t resolved;		/* 'port' is valid */
	uint16_t port;			/* DPDK port id or FW_PORT_NONE */
};

/*
 * One rule. Build it with fw_rule_parse() or fw_rule_init() and the
 * setters, then fw_rule_finish(). A rule matches a packet when every
 * match that is set matches; then its target applies. Rules compare with
 * fw_rule_equal(), never memcmp().
 */
struct fw_rule {
	enum fw_chain chain;
	char chain_name[FW_CHAIN_NAME_MAX + 1];	/* as written */
	uint32_t pos;			/* -I/-R/-D position (1-based) of the
					 * command, 0: none; not a match */
	uint32_t id;			/* given by the ruleset, 0 until added;
					 * counters follow it */
	struct fw_addr_match src, dst;
	uint8_t proto_set;		/* else any protocol */
	uint8_t proto_inv;
	uint8_t proto;			/* IPv6 next header of the L4 header */
	uint8_t state;			/* FW_STATE_* set, 0: no state match */
	enum fw_state_kind state_kind;
	struct fw_port_match sport, dport;	/* TCP and UDP only */
	struct fw_icmp6_match icmp6;		/* ICMPv6 only */
	struct fw_if_match in, out;
	enum fw_target target;
	enum fw_reject reject_with;	/* REJECT only */
	uint8_t log_level;		/* LOG only, syslog 0-7, default 4 */
	char log_prefix[FW_LOG_PREFIX_MAX + 1];
	char comment[FW_COMMENT_MAX + 1];
};

/* ---- Chain aliases ----------------------------------------------------- */

struct fw_alias {
	char name[FW_CHAIN_NAME_MAX + 1];
	enum fw_chain chain;
};

/*
 * The chain names a rule may use: INPUT, FORWARD and OUTPUT always, plus
 * aliases such as OpenWrt's forwarding_rule. A config may add its own.
 */
struct fw_aliases {
	unsigned int n;
	struct fw_alias a[FW_ALIASES_MAX];
};

/*
 * The defaults: INPUT, input_rule -> input; FORWARD, forwarding_rule,
 * forwarding_lan_rule -> forward; OUTPUT, output_rule -> output.
 */
void fw_aliases_init(struct fw_aliases *al);

/*
 * Add alias 'name' for built-in chain 'chain' ("input", "forward",
 * "output", or INPUT/FORWARD/OUTPUT). An existing alias is re-pointed.
 * Returns 0 or -EINVAL (bad name, built-in name, table full).
 */
int fw_aliases_add(struct fw_aliases *al, const char *name, const char *chain,
		   struct fw_err *err);

/* The chain 'name' stands for: 0, or -ENOENT. */
int fw_aliases_lookup(const struct fw_aliases *al, const char *name,
		      enum fw_chain *chain);

/* "INPUT", "FORWARD", "OUTPUT". */
const char *fw_chain_name(enum fw_chain c);
/* "ACCEPT", "DROP", ... */
const char *fw_target_name(enum fw_target t);
/* "icmp6-adm-prohibited", ... */
const char *fw_reject_name(enum fw_reject r);

/* ---- Rules: parse, build, format -------------------------------------- */

/*
 * Parse one ip6tables command line into 'out' with the default chain
 * aliases. Accepted: an optional leading "ip6tables" word, "-t filter",
 * one command (-A/-I/-R/-D/-P/-F/-X and their long forms) and the match
 * and target options of doc/firewall.md, with shell quoting ('...',
 * "...", backslash, backslash-newline) and '#' comments. For -P, 'chain'
 * and 'target' are set; for -I/-R/-D by number, 'pos'. Returns the
 * command (enum fw_op, >= 0), or -EINVAL with 'err' naming the column and
 * the word. Cost: one pass over the line, no allocation.
 */
int fw_rule_parse(const char *line, struct fw_rule *out, struct fw_err *err);

/* fw_rule_parse() with the chain aliases 'al'. */
int fw_rule_parse_with(const char *line, const struct fw_aliases *al,
		       struct fw_rule *out, struct fw_err *err);

/*
 * Write 'r' as a canonical rule line ("-A FORWARD -d ... -j ACCEPT") into
 * 'buf' of 'size' bytes; fw_rule_parse() reads it back into an equal
 * rule. Returns the length the line needs (snprintf style: truncated when
 * >= size); FW_FORMAT_MAX bytes are always enough.
 */
int fw_rule_format(const struct fw_rule *r, char *buf, size_t size);

/* True when 'a' and 'b' have the same chain, matches and target. */
int fw_rule_equal(const struct fw_rule *a, const struct fw_rule *b);

/*
 * The object form: start from fw_rule_init() (any packet, no target), set
 * fields, then call fw_rule_finish(). The setters take the values as text,
 * as they appear in a rule line or a JSON string, check them exactly as
 * the line parser does (it calls them), and return 0 or -EINVAL with the
 * reason in 'err' ('col' 0, 'field' set). 'inv' is the "!" of a line.
 */
void fw_rule_init(struct fw_rule *r);
int fw_rule_set_chain(struct fw_rule *r, const struct fw_aliases *al,
		      const char *name, struct fw_err *err);
/* "addr", "addr/len" or "addr/mask"; 'dst' selects -d over -s. */
int fw_rule_set_addr(struct fw_rule *r, int dst, const char *text, int inv,
		     struct fw_err *err);
/* "tcp", "udp", "icmpv6" (ipv6-icmp), "all", a name or 0-255. */
int fw_rule_set_proto(struct fw_rule *r, const char *text, int inv,
		      struct fw_err *err);
/*
 * Ports: "443", "1000:2000", ":1023", "ssh"; with 'multi', a multiport
 * list "22,80,443,8000:8080" (at most 15 ports, a range counts as two).
 */
int fw_rule_set_ports(struct fw_rule *r, int dst, const char *text, int multi,
		      int inv, struct fw_err *err);
/* "echo-request", "1/4", "128". */
int fw_rule_set_icmp6(struct fw_rule *r, const char *text, int inv,
		      struct fw_err *err);
/* -i ('out' 0) or -o ('out' 1) by port name. */
int fw_rule_set_iface(struct fw_rule *r, int out, const char *name, int inv,
		      struct fw_err *err);
/* "RELATED,ESTABLISHED"; 'kind' says whether state or conntrack wrote it. */
int fw_rule_set_state(struct fw_rule *r, enum fw_state_kind kind,
		      const char *list, int inv, struct fw_err *err);
int fw_rule_set_comment(struct fw_rule *r, const char *text,
			struct fw_err *err);
/* "ACCEPT", "DROP", "REJECT", "LOG", "RETURN". */
int fw_rule_set_target(struct fw_rule *r, const char *text,
		       struct fw_err *err);
/* REJECT --reject-with "icmp6-port-unreachable", "tcp-reset", ... */
int fw_rule_set_reject_with(struct fw_rule *r, const char *text,
			    struct fw_err *err);
int fw_rule_set_log_prefix(struct fw_rule *r, const char *text,
			   struct fw_err *err);
/* "0"-"7" or a syslog level name ("warning"). */
int fw_rule_set_log_level(struct fw_rule *r, const char *text,
			  struct fw_err *err);
/*
 * The checks across fields: a target is set; ports need -p tcp or udp,
 * ICMPv6 types need -p icmpv6 (not inverted); tcp-reset needs -p tcp;
 * --reject-with only with REJECT, --log-* only with LOG; no -o in INPUT,
 * no -i in OUTPUT. Returns 0 or -EINVAL.
 */
int fw_rule_finish(struct fw_rule *r, struct fw_err *err);

/* ---- The packet key --------------------------------------------------- */

/*
 * What a packet is classified by, laid out for rte_acl: the first field
 * one byte, then groups of four bytes, all in network byte order (see
 * rule_acl.c for the field table). For ICMPv6, 'sport' carries the type
 * and code (fw_icmp6_port()) and 'dport' is 0. 'state' holds exactly one
 * FW_STATE_* bit.
 */
struct fw_key {
	uint8_t proto;			/* byte 0: L4 protocol */
	uint8_t pad[3];
	uint8_t src[16];		/* bytes 4-19 */
	uint8_t dst[16];		/* bytes 20-35 */
	uint16_t sport;			/* bytes 36-37 */
	uint16_t dport;			/* bytes 38-39 */
	uint16_t in_port;		/* bytes 40-41 */
	uint16_t out_port;		/* bytes 42-43 */
	uint32_t state;			/* bytes 44-47 */
} __attribute__((aligned(4)));

/* The ICMPv6 type and code as the key's 'sport'. */
static inline uint16_t
fw_icmp6_port(uint8_t type, uint8_t code)
{
	return (uint16_t)(type << 8 | code);
}

/*
 * Fill 'k' from parsed header fields. Ports and port ids in host order;
 * for ICMPv6 pass sport = fw_icmp6_port(type, code) and dport 0; for
 * protocols without ports pass 0 and 0. 'in_port'/'out_port' are DPDK
 * port ids or FW_PORT_NONE; 'state' is one FW_STATE_* bit
 * (fw_conn_lookup()). Cost: two 16-byte copies.
 */
static inline void
fw_key_fill(struct fw_key *k, const uint8_t *src6, const uint8_t *dst6,
	    uint8_t proto, uint16_t sport, uint16_t dport, uint16_t in_port,
	    uint16_t out_port, uint32_t state)
{
	k->proto = proto;
	k->pad[0] = 0;
	k->pad[1] = 0;
	k->pad[2] = 0;
	memcpy(k->src, src6, 16);
	memcpy(k->dst, dst6, 16);
	k->sport = htons(sport);
	k->dport = htons(dport);
	k->in_port = htons(in_port);
	k->out_port = htons(out_port);
	k->state = htonl(state);
}

/* True when the matches of 'r' (not its target) accept 'k'. */
int fw_rule_match(const struct fw_rule *r, const struct fw_key *k);

/* ---- Rulesets --------------------------------------------------------- */

/* One ICMPv6 allow-list entry: a type and a code range. */
struct fw_icmp6_allow {
	uint8_t type;
	uint8_t code_lo, code_hi;
};

struct fw_chain_rules {
	struct fw_rule *rules;		/* in order: the first match wins */
	uint32_t n;
	uint32_t cap;
};

/*
 * The rules of the three chains and what applies when none matches. A
 * packet in a chain gets, in this order (fw_ruleset_verdict()):
 *  1. ACCEPT when 'accept_established' is on and its state is
 *     ESTABLISHED or RELATED (OpenWrt does the same; default on);
 *  2. the target of the first terminating rule that matches (LOG rules
 *     only log, RETURN ends the chain: step 4);
 *  3. ACCEPT when it is ICMPv6 with a type in the allow-list;
 *  4. the chain's policy. INPUT and FORWARD start from
 *     'default_inbound' (DROP unless configured), OUTPUT from ACCEPT;
 *     "-P" lines set them.
 */
struct fw_ruleset {
	struct fw_chain_rules chain[FW_CHAIN_MAX];
	enum fw_target policy[FW_CHAIN_MAX];	/* ACCEPT, DROP or REJECT */
	uint8_t policy_set[FW_CHAIN_MAX];	/* by -P, not by default */
	enum fw_target default_inbound;
	uint8_t accept_established;
	unsigned int n_icmp6_allow;
	struct fw_icmp6_allow icmp6_allow[FW_ICMP6_ALLOW_MAX];
	struct fw_aliases aliases;
	uint32_t next_id;			/* the next rule id */
};

/*
 * A new empty ruleset: default aliases, default_inbound DROP, OUTPUT
 * policy ACCEPT, accept_established on, empty allow-list. NULL with errno
 * ENOMEM.
 */
struct fw_ruleset *fw_ruleset_create(void);
/* A deep copy (rules, ids and next_id included), or NULL (ENOMEM). */
struct fw_ruleset *fw_ruleset_copy(const struct fw_ruleset *rs);
/* Free 'rs'; NULL is a no-op. */
void fw_ruleset_free(struct fw_ruleset *rs);

/*
 * Change the rules like ip6tables does; every function checks first and
 * changes nothing on error (-EINVAL, -ENOENT for a missing rule, -ENOSPC
 * past FW_RULES_MAX, -ENOMEM). Positions are 1-based. A rule added gets
 * the next id; a replaced rule keeps its id (and so its counters).
 */
int fw_ruleset_append(struct fw_ruleset *rs, const struct fw_rule *r,
		      struct fw_err *err);
int fw_ruleset_insert(struct fw_ruleset *rs, uint32_t pos,
		      const struct fw_rule *r, struct fw_err *err);
int fw_ruleset_replace_at(struct fw_ruleset *rs, uint32_t pos,
			  const struct fw_rule *r, struct fw_err *err);
int fw_ruleset_delete_at(struct fw_ruleset *rs, enum fw_chain c, uint32_t pos,
			 struct fw_err *err);
/* Delete the first rule of r->chain equal to 'r' (ip6tables -D spec). */
int fw_ruleset_delete_match(struct fw_ruleset *rs, const struct fw_rule *r,
			    struct fw_err *err);
/* Empty chain 'c', or every chain when 'c' is FW_CHAIN_MAX. */
void fw_ruleset_flush(struct fw_ruleset *rs, enum fw_chain c);
/* -P: 't' is ACCEPT, DROP or REJECT. */
int fw_ruleset_set_policy(struct fw_ruleset *rs, enum fw_chain c,
			  enum fw_target t, struct fw_err *err);
/*
 * Apply what fw_rule_parse() returned ('op' and 'r') to 'rs'. Returns 0 or
 * a negative errno with 'err' set.
 */
int fw_ruleset_apply(struct fw_ruleset *rs, int op, const struct fw_rule *r,
		     struct fw_err *err);
/* Parse 'line' with the aliases of 'rs' and apply it. */
int fw_ruleset_apply_line(struct fw_ruleset *rs, const char *line,
			  struct fw_err *err);
/*
 * Replace all rules, policies and settings of 'rs' by those of 'src' (a
 * reload). A new rule equal to an old one of the same chain takes over
 * the old id, so its counters go on; others get fresh ids. Returns 0 or
 * -ENOMEM ('rs' unchanged).
 */
int fw_ruleset_replace(struct fw_ruleset *rs, const struct fw_ruleset *src);
/* "drop", "accept" or "reject": the INPUT and FORWARD policy unless -P. */
int fw_ruleset_set_default_inbound(struct fw_ruleset *rs, const char *text,
				   struct fw_err *err);
/* Add one allow-list entry: a type name (packet-too-big), "T" or "T/C". */
int fw_ruleset_icmp6_allow(struct fw_ruleset *rs, const char *text,
			   struct fw_err *err);

static inline uint32_t
fw_ruleset_count(const struct fw_ruleset *rs, enum fw_chain c)
{
	return rs->chain[c].n;
}

/* The rule at 0-based 'idx' of chain 'c' (no bounds check). */
static inline const struct fw_rule *
fw_ruleset_rule(const struct fw_ruleset *rs, enum fw_chain c, uint32_t idx)
{
	return &rs->chain[c].rules[idx];
}

/*
 * Port names to port ids: the callback returns 0 and sets '*port' (a
 * DPDK port id, or FW_PORT_NONE for a name that exists but never carries
 * packets, such as "lo"), or a negative errno for an unknown name.
 */
typedef int (*fw_port_resolve_fn)(void *arg, const char *name,
				  uint16_t *port);

/*
 * Resolve every -i/-o of 'rs' with 'fn'. Returns 0, or the callback's
 * error with 'err' naming the chain, rule number and interface.
 */
int fw_ruleset_resolve(struct fw_ruleset *rs, fw_port_resolve_fn fn,
		       void *arg, struct fw_err *err);

/*
 * The reference matcher, the oracle of the tests: scan chain 'c' in order
 * and return 1 + the index of the first matching rule that is not LOG, or
 * 0 when none matches: what fw_acl_classify() returns. When 'log' is not
 * NULL it gets 1 + the index of the first matching LOG rule before that
 * one, or 0. A rule with an unresolved interface never matches. Cost:
 * O(rules).
 */
uint32_t fw_ruleset_match_slow(const struct fw_ruleset *rs, enum fw_chain c,
			       const struct fw_key *k, uint32_t *log);

/*
 * The decision for a packet with key 'k' in chain 'c' whose
 * classification returned 'result' (see struct fw_ruleset for the
 * order): FW_TARGET_ACCEPT, FW_TARGET_DROP or FW_TARGET_REJECT. '*rule'
 * gets the rule that decided, or NULL (policy, allow-list, established).
 */
enum fw_target fw_ruleset_verdict(const struct fw_ruleset *rs,
				  enum fw_chain c, const struct fw_key *k,
				  uint32_t result, const struct fw_rule **rule);

/* ---- Per-rule counters ------------------------------------------------ */

struct fw_counter {
	uint64_t pkts;
	uint64_t bytes;
};

/*
 * Counters of one chain of one ruleset snapshot, for one worker (which
 * adds) or for the control lcore (which keeps the totals). Slot 0 counts
 * packets no rule decided; slot i (1..n) counts the rule with id 'ids[i]',
 * the chain's i-th rule: the classify result indexes it directly.
 *
 * Carry-over: when a ruleset changes, the control lcore creates counters
 * for the new snapshot and fw_counters_fold()s the old ones into them by
 * rule id, so a rule keeps its counts when others are added or deleted
 * around it (and over fw_ruleset_replace() when it is unchanged); a
 * deleted rule's counts go with it. A worker's old array is folded into
 * the control's totals after the RCU grace period, when no worker writes
 * it any more; reading a total is the control array plus every worker's.
 */
struct fw_counters {
	uint32_t n;			/* rules: slots 1..n */
	uint32_t *ids;			/* n + 1 ids, ids[0] = 0 */
	struct fw_counter c[];		/* n + 1 slots */
};

/* Zeroed counters for chain 'c' of 'rs' (cache-line aligned), or NULL. */
struct fw_counters *fw_counters_create(const struct fw_ruleset *rs,
				       enum fw_chain c);
void fw_counters_free(struct fw_counters *fc);

/*
 * Count a packet of 'bytes' bytes for classify result 'result' (0: no
 * rule). One writer per array; relaxed atomics so readers see whole
 * values. A result past 'n' is ignored.
 */
static inline void
fw_counters_add(struct fw_counters *fc, uint32_t result, uint32_t bytes)
{
	struct fw_counter *c;

	if (result > fc->n)
		return;
	c = &fc->c[result];
	__atomic_store_n(&c->pkts, __atomic_load_n(&c->pkts, __ATOMIC_RELAXED)
			 + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->bytes, __atomic_load_n(&c->bytes,
			 __ATOMIC_RELAXED) + bytes, __ATOMIC_RELAXED);
}

/*
 * Add the counts of 'src' into the slots of 'dst' with the same rule id
 * (slot 0 into slot 0). Reads 'src' with relaxed atomics: a worker may
 * still be adding. Returns how many rule slots were carried. Cost:
 * O((n + m) log m).
 */
uint32_t fw_counters_fold(struct fw_counters *dst,
			  const struct fw_counters *src);

/* The counts of rule 'id' (0: the no-rule slot); 0/0 when absent. */
struct fw_counter fw_counters_get(const struct fw_counters *fc, uint32_t id);

/* ---- Connection state ------------------------------------------------- */

/* Timeouts in seconds; fw_conn_cfg_init() sets the documented defaults. */
struct fw_conn_cfg {
	uint32_t capacity;		/* connections per shard */
	uint32_t seed;			/* keys the bucket hash: give each
					 * shard a random one so nobody can
					 * aim packets at one bucket */
	uint32_t tcp_syn;		/* SYN seen, no reply: 120 */
	uint32_t tcp_est;		/* established: 7440 */
	uint32_t tcp_close;		/* FIN seen: 120 */
	uint32_t tcp_rst;		/* RST seen: 10 */
	uint32_t udp;			/* UDP, reply seen: 180 */
	uint32_t udp_unreplied;		/* UDP, no reply yet: 30 */
	uint32_t icmp;			/* ICMPv6 echo: 30 */
	uint32_t other;			/* other protocols: 600 */
};

void fw_conn_cfg_init(struct fw_conn_cfg *cfg);

/* What the tracker needs from a packet. */
struct fw_conn_pkt {
	const uint8_t *src;		/* 16 bytes */
	const uint8_t *dst;		/* 16 bytes */
	uint16_t sport;			/* host order; ICMPv6 echo: the id */
	uint16_t dport;			/* host order; ICMPv6: unused */
	uint8_t proto;
	uint8_t tcp_flags;		/* TCP only: FIN 0x01 SYN 0x02 RST 0x04
					 * ACK 0x10 */
	uint8_t icmp6_type;		/* ICMPv6 only */
};

#define FW_TCP_FIN	0x01u
#define FW_TCP_SYN	0x02u
#define FW_TCP_RST	0x04u
#define FW_TCP_ACK	0x10u

struct fw_conn_stats {
	uint64_t created;
	uint64_t expired;		/* freed by fw_conn_expire() */
	uint64_t overflow;		/* not created: table full */
	uint32_t active;		/* entries in use (expired or not) */
	uint32_t capacity;
};

struct fw_conn_shard;

/*
 * A shard with room for cfg->capacity connections; all memory is taken
 * here. NULL with errno EINVAL (capacity 0 or above 2^30) or ENOMEM.
 */
struct fw_conn_shard *fw_conn_create(const struct fw_conn_cfg *cfg);
void fw_conn_free(struct fw_conn_shard *sh);

/*
 * The shard (0..n_shards-1) that owns the connection of a packet with
 * these fields. Both directions of a connection, and an ICMPv6 error about
 * it, give the same shard: the hash is over the sorted endpoints. For
 * ICMPv6 the ports are not used. Cost: a 40-byte hash.
 */
unsigned int fw_conn_owner(const uint8_t *src6, const uint8_t *dst6,
			   uint8_t proto, uint16_t sport, uint16_t dport,
			   unsigned int n_shards);

/*
 * The state of packet 'p' at time 'now_ms' (one FW_STATE_* bit), without
 * changing anything: TCP SYN without an entry is NEW, another TCP packet
 * without one INVALID; a packet of a known connection is ESTABLISHED once
 * a reply was seen, else NEW; an echo reply without a request INVALID;
 * ICMPv6 other than echo UNTRACKED (errors: use fw_conn_related_icmp6()).
 */
uint32_t fw_conn_lookup(const struct fw_conn_shard *sh,
			const struct fw_conn_pkt *p, uint64_t now_ms);

/*
 * Record that 'p' was accepted: create the connection when the packet
 * opens one, advance the TCP state, mark a reply, refresh the timeout.
 * Returns 0, or -ENOSPC when the table is full (counted in 'overflow':
 * the caller drops the packet). Packets that neither open nor belong to
 * a connection change nothing.
 */
int fw_conn_confirm(struct fw_conn_shard *sh, const struct fw_conn_pkt *p,
		    uint64_t now_ms);

/*
 * The state of an ICMPv6 error whose quoted packet is 'inner' (as it was
 * sent, source first): FW_STATE_RELATED when that packet's connection
 * exists, else FW_STATE_INVALID.
 */
uint32_t fw_conn_related_icmp6(const struct fw_conn_shard *sh,
			       const struct fw_conn_pkt *inner,
			       uint64_t now_ms);

/*
 * Free at most 'budget' timed-out connections, looking at no more than
 * 4 * 'budget' slots from where the last call stopped. Returns the number
 * freed. Bounded: call it once per worker loop.
 */
uint32_t fw_conn_expire(struct fw_conn_shard *sh, uint64_t now_ms,
			uint32_t budget);

void fw_conn_stats(const struct fw_conn_shard *sh, struct fw_conn_stats *st);

/* ---- rte_acl compilation (DPDK glue: library 'fw', not fw_core) ------- */

struct fw_acl;

/*
 * Compile chain 'c' of 'rs' into an rte_acl context named after 'name'
 * (a unique suffix is added: old and new contexts coexist during a swap)
 * on NUMA socket 'socket'. Every interface must be resolved. The first
 * matching rule in chain order wins. Returns NULL with 'err' ('errlen'
 * bytes) saying why. Control lcore only; measured here, 10 000 host rules
 * build in 2-5 s, 10 000 rules of mixed shapes in 0.4 s (doc/firewall.md).
 */
struct fw_acl *fw_acl_build(const struct fw_ruleset *rs, enum fw_chain c,
			    const char *name, int socket, char *err,
			    size_t errlen);

/* How fw_acl_build_opts() lays a chain out in rte_acl contexts. */
enum fw_acl_split {
	FW_ACL_SPLIT_AUTO,	/* parts for a large chain of mixed shapes
				 * or when one context fails, else one */
	FW_ACL_SPLIT_NEVER,	/* one context or an error */
	FW_ACL_SPLIT_ALWAYS,	/* one context per rule shape ("part") */
};

struct fw_acl_opts {
	enum fw_acl_split split;
	size_t max_size;	/* rte_acl run-time memory per context;
				 * 0: 256 MB */
};

/*
 * fw_acl_build() with options ('opts' NULL: the defaults). One context
 * classifies fastest when rte_acl keeps it in one trie; a chain that
 * mixes rules constraining the destination with rules that leave it wild
 * makes several tries (each walked per packet) or fails to build, and is
 * built in parts instead (up to five contexts by rule shape, each
 * classified in turn: doc/firewall.md has the figures).
 */
struct fw_acl *fw_acl_build_opts(const struct fw_ruleset *rs, enum fw_chain c,
				 const char *name, int socket,
				 const struct fw_acl_opts *opts, char *err,
				 size_t errlen);
void fw_acl_free(struct fw_acl *acl);

/*
 * Classify 'n' keys (pointers to struct fw_key): results[i] = 1 + the
 * index of the first matching non-LOG rule, 0 for none, exactly as
 * fw_ruleset_match_slow(). Any number of lcores at once. Returns 0.
 */
int fw_acl_classify(const struct fw_acl *acl, const uint8_t **keys,
		    uint32_t *results, uint32_t n);

/*
 * fw_acl_classify() that also sets logs[i] to 1 + the index of the first
 * LOG rule the packet passed before its result (0: none), as the 'log'
 * of fw_ruleset_match_slow(). Costs more only when the chain has LOG
 * rules.
 */
int fw_acl_classify_log(const struct fw_acl *acl, const uint8_t **keys,
			uint32_t *results, uint32_t *logs, uint32_t n);

/*
 * Pick the rte_acl classify method: "default" (the widest the CPU and
 * EAL allow: fw_acl_build()'s choice), "sse", "avx2", "scalar",
 * "avx512x16", "avx512x32". Returns 0,
 * -EINVAL for an unknown name, -ENOTSUP when this CPU lacks it. Call it
 * before publishing the context.
 */
int fw_acl_set_alg(struct fw_acl *acl, const char *alg);

/* Rules of the chain, the rte_acl rules they expanded to, contexts. */
uint32_t fw_acl_rules(const struct fw_acl *acl);
uint32_t fw_acl_acl_rules(const struct fw_acl *acl);
uint32_t fw_acl_parts(const struct fw_acl *acl);

#endif /* FW_H */
