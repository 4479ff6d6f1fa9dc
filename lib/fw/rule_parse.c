/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ip6tables line parser: outside input (config files, the control
 * socket), so it is a fuzz target (test/fuzz/fuzz_rule.c).
 *
 * A line is split into words the way a POSIX shell would split it
 * ('single', "double" and backslash quoting, backslash-newline, '#'
 * comments; expansions and operators are refused, not run), then read like
 * ip6tables reads its arguments: one command (-A/-I/-R/-D/-P/-F/-X), match
 * options that need their module loaded first (-p tcp loads tcp,
 * -m multiport loads --dports), a target with its own options. Each value
 * goes through the fw_rule_set_*() setters of rule.c, the checks across
 * fields through fw_rule_finish(), so the JSON object form accepts exactly
 * the same rules. Errors name the column of the word at fault:
 * "column 23: '--dport 70000': port must be 0-65535".
 */
#include "fw.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw_priv.h"
#include "hdr.h"

#define WORDS_MAX	256

struct word {
	const char *s;			/* unquoted text, NUL-terminated */
	unsigned int col;		/* 1-based character column */
};

struct words {
	char buf[FW_LINE_MAX + 8];
	struct word w[WORDS_MAX];
	unsigned int n;
};

/* The column of byte 'off' of 'line': UTF-8 continuation bytes don't count. */
static unsigned int
column(const char *line, size_t off)
{
	unsigned int col = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static int
lex_fail(struct fw_err *err, const char *line, size_t off, const char *what)
{
	unsigned int col = column(line, off);

	err->col = col;
	err->field = FW_FIELD_COMMAND;
	snprintf(err->msg, sizeof(err->msg), "column %u: %s", col, what);
	return -EINVAL;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split 'line' into words like sh(1) does, without expanding anything:
 * '$' and '`' (outside single quotes) and the operators ; & | < > ( ) are
 * errors, '#' at the start of a word starts a comment.
 */
static int
split(const char *line, struct words *w, struct fw_err *err)
{
	size_t i = 0, o = 0;

	w->n = 0;
	for (;;) {
		size_t start;

		while (is_blank(line[i]) ||
		       (line[i] == '\\' && line[i + 1] == '\n'))
			i += line[i] == '\\' ? 2 : 1;
		if (line[i] == '\0' || line[i] == '#')
			return 0;
		if (w->n == WORDS_MAX)
			return lex_fail(err, line, i, "too many words");
		start = i;
		w->w[w->n].s = &w->buf[o];
		w->w[w->n].col = column(line, start);
		while (line[i] != '\0' && !is_blank(line[i])) {
			char c = line[i];
			size_t q;

			if (c == '\\') {
				if (line[i + 1] == '\0')
					return lex_fail(err, line, i, "'\\' at "
							"the end of the line");
				if (line[i + 1] != '\n')
					w->buf[o++] = line[i + 1];
				i += 2;
			} else if (c == '\'') {
				for (q = i + 1; line[q] != '\''; q++) {
					if (line[q] == '\0')
						return lex_fail(err, line, i,
							"quote (') not closed");
					w->buf[o++] = line[q];
				}
				i = q + 1;
			} else if (c == '"') {
				for (q = i + 1; line[q] != '"'; q++) {
					if (line[q] == '\0')
						return lex_fail(err, line, i,
							"quote (\") not closed");
					if (line[q] == '$' || line[q] == '`')
						return lex_fail(err, line, q,
							"shell expansion ('$', "
							"'`') is not supported:"
							" write the value");
					if (line[q] == '\\' &&
					    strchr("$`\"\\\n", line[q + 1]) !=
					    NULL && line[q + 1] != '\0') {
						q++;
						if (line[q] == '\n')
							continue;
					}
					w->buf[o++] = line[q];
				}
				i = q + 1;
			} else if (c == '$' && i == start &&
				   (is_blank(line[i + 1]) ||
				    line[i + 1] == '\0')) {
				return lex_fail(err, line, i, "a lone '$' (a "
						"shell prompt?): start the "
						"line with the command");
			} else if (c == '$' || c == '`') {
				return lex_fail(err, line, i, "shell expansion "
						"('$', '`') is not supported: "
						"write the value");
			} else if (strchr(";&|<>()", c) != NULL) {
				return lex_fail(err, line, i, "shell operators "
						"(; & | < > ( )) are not "
						"supported: one rule per line");
			} else {
				w->buf[o++] = c;
				i++;
			}
		}
		w->buf[o++] = '\0';
		w->n++;
	}
}

/* ---- Options ------------------------------------------------------------ */

enum opt_id {
	O_APPEND, O_INSERT, O_REPLACE, O_DELETE, O_POLICY, O_FLUSH,
	O_DELCHAIN, O_NEWCHAIN, O_RENAME, O_LIST, O_ZERO, O_TABLE,
	O_SRC, O_DST, O_PROTO, O_IN, O_OUT, O_JUMP, O_GOTO, O_MATCH,
	O_COUNTERS, O_SPORT, O_DPORT, O_SPORTS, O_DPORTS, O_PORTS,
	O_ICMP6, O_STATE, O_CTSTATE, O_CTOTHER, O_COMMENT, O_REJECT_WITH,
	O_LOG_PREFIX, O_LOG_LEVEL, O_LOG_OTHER, O_TCP_FLAGS,
};

/* Option flags. */
#define F_ARG	0x1	/* takes a value */
#define F_INV	0x2	/* may follow '!' */

static const struct opt {
	const char *name;
	enum opt_id id;
	unsigned int flags;
} opts[] = {
	{ "-A", O_APPEND, 0 }, { "--append", O_APPEND, 0 },
	{ "-I", O_INSERT, 0 }, { "--insert", O_INSERT, 0 },
	{ "-R", O_REPLACE, 0 }, { "--replace", O_REPLACE, 0 },
	{ "-D", O_DELETE, 0 }, { "--delete", O_DELETE, 0 },
	{ "-P", O_POLICY, 0 }, { "--policy", O_POLICY, 0 },
	{ "-F", O_FLUSH, 0 }, { "--flush", O_FLUSH, 0 },
	{ "-X", O_DELCHAIN, 0 }, { "--delete-chain", O_DELCHAIN, 0 },
	{ "-N", O_NEWCHAIN, 0 }, { "--new-chain", O_NEWCHAIN, 0 },
	{ "-E", O_RENAME, 0 }, { "--rename-chain", O_RENAME, 0 },
	{ "-L", O_LIST, 0 }, { "--list", O_LIST, 0 },
	{ "-S", O_LIST, 0 }, { "--list-rules", O_LIST, 0 },
	{ "-Z", O_ZERO, 0 }, { "--zero", O_ZERO, 0 },
	{ "-t", O_TABLE, F_ARG }, { "--table", O_TABLE, F_ARG },
	{ "-s", O_SRC, F_ARG | F_INV }, { "--source", O_SRC, F_ARG | F_INV },
	{ "--src", O_SRC, F_ARG | F_INV },
	{ "-d", O_DST, F_ARG | F_INV },
	{ "--destination", O_DST, F_ARG | F_INV },
	{ "--dst", O_DST, F_ARG | F_INV },
	{ "-p", O_PROTO, F_ARG | F_INV },
	{ "--protocol", O_PROTO, F_ARG | F_INV },
	{ "-i", O_IN, F_ARG | F_INV }, { "--in-interface", O_IN, F_ARG | F_INV },
	{ "-o", O_OUT, F_ARG | F_INV },
	{ "--out-interface", O_OUT, F_ARG | F_INV },
	{ "-j", O_JUMP, F_ARG }, { "--jump", O_JUMP, F_ARG },
	{ "-g", O_GOTO, F_ARG }, { "--goto", O_GOTO, F_ARG },
	{ "-m", O_MATCH, F_ARG }, { "--match", O_MATCH, F_ARG },
	{ "-c", O_COUNTERS, 0 }, { "--set-counters", O_COUNTERS, 0 },
	{ "--sport", O_SPORT, F_ARG | F_INV },
	{ "--source-port", O_SPORT, F_ARG | F_INV },
	{ "--dport", O_DPORT, F_ARG | F_INV },
	{ "--destination-port", O_DPORT, F_ARG | F_INV },
	{ "--sports", O_SPORTS, F_ARG | F_INV },
	{ "--source-ports", O_SPORTS, F_ARG | F_INV },
	{ "--dports", O_DPORTS, F_ARG | F_INV },
	{ "--destination-ports", O_DPORTS, F_ARG | F_INV },
	{ "--ports", O_PORTS, F_ARG | F_INV },
	{ "--icmpv6-type", O_ICMP6, F_ARG | F_INV },
	{ "--state", O_STATE, F_ARG | F_INV },
	{ "--ctstate", O_CTSTATE, F_ARG | F_INV },
	{ "--ctproto", O_CTOTHER, F_ARG | F_INV },
	{ "--ctorigsrc", O_CTOTHER, F_ARG | F_INV },
	{ "--ctorigdst", O_CTOTHER, F_ARG | F_INV },
	{ "--ctstatus", O_CTOTHER, F_ARG | F_INV },
	{ "--ctexpire", O_CTOTHER, F_ARG | F_INV },
	{ "--ctdir", O_CTOTHER, F_ARG },
	{ "--comment", O_COMMENT, F_ARG },
	{ "--reject-with", O_REJECT_WITH, F_ARG },
	{ "--log-prefix", O_LOG_PREFIX, F_ARG },
	{ "--log-level", O_LOG_LEVEL, F_ARG },
	{ "--log-tcp-sequence", O_LOG_OTHER, 0 },
	{ "--log-tcp-options", O_LOG_OTHER, 0 },
	{ "--log-ip-options", O_LOG_OTHER, 0 },
	{ "--log-uid", O_LOG_OTHER, 0 },
	{ "--log-macdecode", O_LOG_OTHER, 0 },
	{ "--syn", O_TCP_FLAGS, F_INV },
	{ "--tcp-flags", O_TCP_FLAGS, F_INV },
	{ "--tcp-option", O_TCP_FLAGS, F_INV },
};

/* Match modules, as bits of 'mods'. */
#define M_TCP		0x01u
#define M_UDP		0x02u
#define M_ICMP6		0x04u
#define M_MULTIPORT	0x08u
#define M_STATE		0x10u
#define M_CONNTRACK	0x20u
#define M_COMMENT	0x40u

static const struct {
	const char *name;
	uint32_t bit;
} modules[] = {
	{ "tcp", M_TCP }, { "udp", M_UDP }, { "icmp6", M_ICMP6 },
	{ "icmpv6", M_ICMP6 }, { "multiport", M_MULTIPORT },
	{ "state", M_STATE }, { "conntrack", M_CONNTRACK },
	{ "comment", M_COMMENT },
};

/* Where a field was given, for the error of a later check. */
struct where {
	unsigned int col;
	const char *opt;
	const char *val;
	int joined;			/* "--opt=val": 'opt' is the word */
};

struct pstate {
	const struct words *w;
	const struct fw_aliases *al;
	struct fw_rule *r;
	struct fw_err *err;
	unsigned int i;			/* next word */
	int op;				/* -1: no command yet */
	struct where cmd;
	struct where at[FW_FIELD_MAX];	/* col 0: not given */
	uint32_t mods;			/* loaded (-m or -p) */
	uint32_t mods_explicit;		/* by -m */
	unsigned int mod_col[8];	/* column of -m for each module bit */
	uint32_t mod_used;		/* modules whose option was given */
	int spec;			/* a match or target was given */
};

/* "column C: 'opt val': reason", the reason being 'why'. */
static int
pfail(struct pstate *ps, const struct where *at, const char *why)
{
	char reason[FW_ERR_SIZE - 128];
	char quoted[96];

	snprintf(reason, sizeof(reason), "%s", why);
	if (at->val != NULL && !at->joined)
		snprintf(quoted, sizeof(quoted), "%s %.60s%s", at->opt,
			 at->val, strlen(at->val) > 60 ? "..." : "");
	else
		snprintf(quoted, sizeof(quoted), "%.80s%s", at->opt,
			 strlen(at->opt) > 80 ? "..." : "");
	ps->err->col = at->col;
	snprintf(ps->err->msg, sizeof(ps->err->msg), "column %u: '%s': %s",
		 at->col, quoted, reason);
	return -EINVAL;
}

static int
pfail_field(struct pstate *ps, const struct where *at, enum fw_field f,
	    const char *why)
{
	ps->err->field = f;
	return pfail(ps, at, why);
}

/* A setter failed: put the column and the words in front of its reason. */
static int
pwrap(struct pstate *ps, const struct where *at)
{
	char reason[FW_ERR_SIZE - 128];
	size_t len = strnlen(ps->err->msg, sizeof(reason) - 1);

	memcpy(reason, ps->err->msg, len);
	reason[len] = '\0';
	return pfail(ps, at, reason);
}

static const struct opt *
find_opt(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

/* The next word as the value of option 'at', or an error. */
static int
take_arg(struct pstate *ps, struct where *at, const struct opt *o)
{
	const char *what = o->id == O_MATCH ? "a match name" : "a value";
	char why[160];

	if (at->val != NULL)
		return 0;	/* --opt=value */
	if (ps->i >= ps->w->n) {
		snprintf(why, sizeof(why), "needs %s (missing argument)", what);
		return pfail_field(ps, at, FW_FIELD_COMMAND, why);
	}
	at->val = ps->w->w[ps->i].s;
	if ((o->flags & F_INV) && strcmp(at->val, "!") == 0)
		return pfail_field(ps, at, FW_FIELD_COMMAND, "'!' goes before "
				   "the option ('! -s addr'), not after it");
	ps->i++;
	return 0;
}

/* A rule number after -I/-R/-D: 1..FW_RULES_MAX. */
static int
take_pos(struct pstate *ps, struct where *at, int required)
{
	const char *s;
	uint32_t v = 0;

	if (ps->i >= ps->w->n || !fw_all_digits(ps->w->w[ps->i].s)) {
		if (!required)
			return 0;
		return pfail_field(ps, at, FW_FIELD_COMMAND, "needs a rule "
				   "number (missing argument)");
	}
	s = ps->w->w[ps->i].s;
	for (; *s != '\0'; s++) {
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > FW_RULES_MAX)
			break;
	}
	at->val = ps->w->w[ps->i].s;
	ps->i++;
	if (v == 0 || v > FW_RULES_MAX) {
		char why[64];

		snprintf(why, sizeof(why), "rule number must be 1-%u",
			 FW_RULES_MAX);
		return pfail_field(ps, at, FW_FIELD_COMMAND, why);
	}
	ps->r->pos = v;
	return 0;
}

/* The next word, an argument of command 'at' that is 'what'. */
static int
next_word(struct pstate *ps, const struct where *at, enum fw_field f,
	  const char *what, struct where *w)
{
	char why[96];

	if (ps->i >= ps->w->n) {
		snprintf(why, sizeof(why), "needs %s (missing argument)", what);
		return pfail_field(ps, at, f, why);
	}
	w->col = ps->w->w[ps->i].col;
	w->opt = ps->w->w[ps->i].s;
	w->val = NULL;
	w->joined = 0;
	ps->i++;
	return 0;
}

/* The chain argument of a command. */
static int
take_chain(struct pstate *ps, struct where *at)
{
	struct where cw = { 0, "", NULL, 0 };
	int rc;

	rc = next_word(ps, at, FW_FIELD_CHAIN, "a chain", &cw);
	if (rc != 0)
		return rc;
	rc = fw_rule_set_chain(ps->r, ps->al, cw.opt, ps->err);
	if (rc != 0)
		return pwrap(ps, &cw);
	ps->at[FW_FIELD_CHAIN] = cw;
	return 0;
}

static int
command(struct pstate *ps, const struct opt *o, struct where *at)
{
	static const int op_of[] = {
		[O_APPEND] = FW_OP_APPEND, [O_INSERT] = FW_OP_INSERT,
		[O_REPLACE] = FW_OP_REPLACE, [O_DELETE] = FW_OP_DELETE,
		[O_POLICY] = FW_OP_POLICY, [O_FLUSH] = FW_OP_FLUSH,
		[O_DELCHAIN] = FW_OP_DELETE_CHAINS,
	};
	char why[96];
	int rc;

	if (ps->op >= 0) {
		snprintf(why, sizeof(why), "a second command (the first is "
			 "'%s' at column %u)", ps->cmd.opt, ps->cmd.col);
		return pfail_field(ps, at, FW_FIELD_COMMAND, why);
	}
	switch (o->id) {
	case O_NEWCHAIN:
	case O_RENAME:
		return pfail_field(ps, at, FW_FIELD_COMMAND, "user-defined "
				   "chains are not supported: configure an "
				   "alias of a built-in chain instead");
	case O_LIST:
	case O_ZERO:
		return pfail_field(ps, at, FW_FIELD_COMMAND, "listing and "
				   "zeroing are control commands, not rules");
	case O_FLUSH:
		ps->r->chain = FW_CHAIN_MAX;	/* all chains */
		if (ps->i < ps->w->n && ps->w->w[ps->i].s[0] != '-' &&
		    strcmp(ps->w->w[ps->i].s, "!") != 0) {
			rc = take_chain(ps, at);
			if (rc != 0)
				return rc;
		}
		break;
	case O_DELCHAIN:
		if (ps->i < ps->w->n && ps->w->w[ps->i].s[0] != '-')
			return pfail_field(ps, at, FW_FIELD_CHAIN, "there are "
					   "no user-defined chains to delete "
					   "(chains are built-in or aliases)");
		break;
	default:
		rc = take_chain(ps, at);
		if (rc != 0)
			return rc;
		break;
	}
	if (o->id == O_INSERT) {
		ps->r->pos = 1;
		rc = take_pos(ps, at, 0);
	} else if (o->id == O_REPLACE) {
		rc = take_pos(ps, at, 1);
	} else if (o->id == O_DELETE) {
		rc = take_pos(ps, at, 0);
	} else if (o->id == O_POLICY) {
		struct where tw = { 0, "", NULL, 0 };

		if (strcmp(ps->r->chain_name, fw_chain_name(ps->r->chain)) != 0)
			return pfail_field(ps, &ps->at[FW_FIELD_CHAIN],
					   FW_FIELD_CHAIN, "a policy belongs to "
					   "a built-in chain (INPUT, FORWARD, "
					   "OUTPUT), not to an alias");
		rc = next_word(ps, at, FW_FIELD_TARGET, "ACCEPT or DROP", &tw);
		if (rc != 0)
			return rc;
		if (strcmp(tw.opt, "ACCEPT") == 0)
			ps->r->target = FW_TARGET_ACCEPT;
		else if (strcmp(tw.opt, "DROP") == 0)
			ps->r->target = FW_TARGET_DROP;
		else
			return pfail_field(ps, &tw, FW_FIELD_TARGET, "a policy "
					   "is ACCEPT or DROP");
		ps->at[FW_FIELD_TARGET] = tw;
		rc = 0;
	} else {
		rc = 0;
	}
	if (rc != 0)
		return rc;
	ps->op = op_of[o->id];
	ps->cmd = *at;
	ps->cmd.val = NULL;
	return 0;
}

static int
need_module(struct pstate *ps, const struct where *at, uint32_t mods,
	    const char *how)
{
	char why[128];

	if ((ps->mods & mods) != 0) {
		ps->mod_used |= ps->mods & mods;
		return 0;
	}
	snprintf(why, sizeof(why), "needs %s before it", how);
	return pfail_field(ps, at, FW_FIELD_COMMAND, why);
}

/* A field given a second time. */
static int
once(struct pstate *ps, const struct where *at, enum fw_field f)
{
	char why[96];

	if (ps->at[f].col == 0)
		return 0;
	snprintf(why, sizeof(why), "given twice (first at column %u)",
		 ps->at[f].col);
	return pfail_field(ps, at, f, why);
}

static int
module(struct pstate *ps, struct where *at)
{
	unsigned int i, b;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		if (strcmp(at->val, modules[i].name) != 0)
			continue;
		ps->mods |= modules[i].bit;
		ps->mods_explicit |= modules[i].bit;
		for (b = 0; b < 8; b++)
			if (modules[i].bit == 1u << b && ps->mod_col[b] == 0)
				ps->mod_col[b] = at->col;
		return 0;
	}
	if (strcmp(at->val, "set") == 0)
		return pfail_field(ps, at, FW_FIELD_COMMAND, "ipsets are not "
				   "supported (write one rule per address)");
	return pfail_field(ps, at, FW_FIELD_COMMAND, "match not supported "
			   "(tcp, udp, icmp6, multiport, state, conntrack, "
			   "comment)");
}

/* A match or target option with its value in at->val. */
static int
option(struct pstate *ps, const struct opt *o, struct where *at, int inv)
{
	struct fw_rule *r = ps->r;
	enum fw_field f = FW_FIELD_NONE;
	int rc = 0;

	switch (o->id) {
	case O_TABLE:
		if (strcmp(at->val, "filter") != 0)
			return pfail_field(ps, at, FW_FIELD_COMMAND, "only "
					   "table 'filter' is supported here");
		return 0;
	case O_MATCH:
		return module(ps, at);
	case O_SRC:
	case O_DST:
		f = o->id == O_DST ? FW_FIELD_DST : FW_FIELD_SRC;
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_addr(r, o->id == O_DST, at->val, inv, ps->err);
		break;
	case O_PROTO:
		f = FW_FIELD_PROTO;
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_proto(r, at->val, inv, ps->err);
		if (rc == 0 && r->proto_set && !r->proto_inv)
			ps->mods |= r->proto == PKT_PROTO_TCP ? M_TCP :
				    r->proto == PKT_PROTO_UDP ? M_UDP :
				    r->proto == PKT_PROTO_ICMP6 ? M_ICMP6 : 0;
		break;
	case O_IN:
	case O_OUT:
		f = o->id == O_OUT ? FW_FIELD_OUT : FW_FIELD_IN;
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_iface(r, o->id == O_OUT, at->val, inv,
				       ps->err);
		break;
	case O_JUMP:
		f = FW_FIELD_TARGET;
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_target(r, at->val, ps->err);
		break;
	case O_SPORT:
	case O_DPORT:
		f = o->id == O_DPORT ? FW_FIELD_DPORT : FW_FIELD_SPORT;
		if ((rc = need_module(ps, at, M_TCP | M_UDP, "-p tcp or "
				      "-p udp")) != 0 ||
		    (rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_ports(r, o->id == O_DPORT, at->val, 0, inv,
				       ps->err);
		break;
	case O_SPORTS:
	case O_DPORTS:
		f = o->id == O_DPORTS ? FW_FIELD_DPORT : FW_FIELD_SPORT;
		if ((rc = need_module(ps, at, M_MULTIPORT, "-m multiport")) != 0
		    || (rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_ports(r, o->id == O_DPORTS, at->val, 1, inv,
				       ps->err);
		break;
	case O_PORTS:
		return pfail_field(ps, at, FW_FIELD_DPORT, "--ports (either "
				   "direction) is not supported: use --sports "
				   "or --dports");
	case O_ICMP6:
		f = FW_FIELD_ICMP6;
		if ((rc = need_module(ps, at, M_ICMP6, "-p icmpv6")) != 0 ||
		    (rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_icmp6(r, at->val, inv, ps->err);
		break;
	case O_STATE:
	case O_CTSTATE:
		f = FW_FIELD_STATE;
		if ((rc = need_module(ps, at, o->id == O_STATE ? M_STATE :
				      M_CONNTRACK, o->id == O_STATE ?
				      "-m state" : "-m conntrack")) != 0 ||
		    (rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_state(r, o->id == O_STATE ?
				       FW_STATE_KIND_STATE :
				       FW_STATE_KIND_CONNTRACK, at->val, inv,
				       ps->err);
		break;
	case O_CTOTHER:
		return pfail_field(ps, at, FW_FIELD_STATE, "only --ctstate of "
				   "-m conntrack is supported");
	case O_COMMENT:
		f = FW_FIELD_COMMENT;
		if ((rc = need_module(ps, at, M_COMMENT, "-m comment")) != 0 ||
		    (rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_comment(r, at->val, ps->err);
		break;
	case O_REJECT_WITH:
		f = FW_FIELD_REJECT;
		if (r->target != FW_TARGET_REJECT)
			return pfail_field(ps, at, f, "needs -j REJECT before "
					   "it");
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = fw_rule_set_reject_with(r, at->val, ps->err);
		break;
	case O_LOG_PREFIX:
	case O_LOG_LEVEL:
		f = o->id == O_LOG_PREFIX ? FW_FIELD_LOG_PREFIX :
		    FW_FIELD_LOG_LEVEL;
		if (r->target != FW_TARGET_LOG)
			return pfail_field(ps, at, f, "needs -j LOG before it");
		if ((rc = once(ps, at, f)) != 0)
			return rc;
		rc = o->id == O_LOG_PREFIX ?
		     fw_rule_set_log_prefix(r, at->val, ps->err) :
		     fw_rule_set_log_level(r, at->val, ps->err);
		break;
	default:
		return pfail_field(ps, at, FW_FIELD_COMMAND, "not supported");
	}
	if (rc != 0)
		return pwrap(ps, at);
	ps->at[f] = *at;
	ps->spec = 1;
	return 0;
}

/* What only the whole line can tell. */
static int
check_line(struct pstate *ps)
{
	static const struct {
		uint32_t bit;
		uint8_t proto;
		const char *name;
		const char *why;
	} need_proto[] = {
		{ M_TCP, PKT_PROTO_TCP, "tcp", "needs -p tcp" },
		{ M_UDP, PKT_PROTO_UDP, "udp", "needs -p udp" },
		{ M_ICMP6, PKT_PROTO_ICMP6, "icmp6", "needs -p icmpv6" },
	};
	static const struct {
		uint32_t bit;
		const char *name;
		const char *why;
	} need_opt[] = {
		{ M_MULTIPORT, "multiport", "needs --sports or --dports" },
		{ M_STATE, "state", "needs --state" },
		{ M_CONNTRACK, "conntrack", "needs --ctstate" },
		{ M_COMMENT, "comment", "needs --comment" },
	};
	struct fw_rule *r = ps->r;
	struct where at;
	unsigned int i, b;
	int rc;

	for (i = 0; i < sizeof(need_proto) / sizeof(need_proto[0]); i++) {
		if ((ps->mods_explicit & need_proto[i].bit) == 0 ||
		    (r->proto_set && !r->proto_inv &&
		     r->proto == need_proto[i].proto))
			continue;
		for (b = 0; need_proto[i].bit != 1u << b; b++)
			;
		at.col = ps->mod_col[b];
		at.opt = "-m";
		at.val = need_proto[i].name;
		at.joined = 0;
		return pfail_field(ps, &at, FW_FIELD_PROTO, need_proto[i].why);
	}
	for (i = 0; i < sizeof(need_opt) / sizeof(need_opt[0]); i++) {
		if ((ps->mods_explicit & need_opt[i].bit) == 0 ||
		    (ps->mod_used & need_opt[i].bit) != 0)
			continue;
		for (b = 0; need_opt[i].bit != 1u << b; b++)
			;
		at.col = ps->mod_col[b];
		at.opt = "-m";
		at.val = need_opt[i].name;
		at.joined = 0;
		return pfail_field(ps, &at, FW_FIELD_COMMAND, need_opt[i].why);
	}
	rc = fw_rule_finish(r, ps->err);
	if (rc != 0) {
		enum fw_field f = ps->err->field;
		const struct where *w = ps->at[f].col != 0 ? &ps->at[f] :
					&ps->cmd;

		return pwrap(ps, w);
	}
	return 0;
}

int
fw_rule_parse_with(const char *line, const struct fw_aliases *al,
		   struct fw_rule *out, struct fw_err *err)
{
	struct fw_err local;
	struct words w;
	struct pstate ps;
	struct fw_rule r;
	struct where bang = { 0, "!", NULL, 0 };
	int inv = 0, rc;

	if (err == NULL)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (strlen(line) > FW_LINE_MAX)
		return fw_fail(err, FW_FIELD_COMMAND, "line longer than %d "
			       "bytes", FW_LINE_MAX);
	rc = split(line, &w, err);
	if (rc != 0)
		return rc;
	fw_rule_init(&r);
	memset(&ps, 0, sizeof(ps));
	ps.w = &w;
	ps.al = al;
	ps.r = &r;
	ps.err = err;
	ps.op = -1;
	if (w.n == 0) {
		*out = r;
		return FW_OP_NONE;
	}
	{
		const char *base = strrchr(w.w[0].s, '/');

		base = base != NULL ? base + 1 : w.w[0].s;
		if (strcmp(base, "ip6tables") == 0 ||
		    strcmp(base, "ip6tables-legacy") == 0 ||
		    strcmp(base, "ip6tables-nft") == 0) {
			ps.i = 1;
		} else if (strncmp(base, "iptables", 8) == 0) {
			struct where at = { w.w[0].col, w.w[0].s, NULL, 0 };

			return pfail_field(&ps, &at, FW_FIELD_COMMAND,
					   "iptables is IPv4's: write "
					   "ip6tables rules");
		}
	}
	while (ps.i < w.n) {
		const struct word *wd = &w.w[ps.i++];
		struct where at = { wd->col, wd->s, NULL, 0 };
		const char *eq = NULL;
		const struct opt *o;

		if (strcmp(wd->s, "!") == 0) {
			if (inv)
				return pfail_field(&ps, &at, FW_FIELD_COMMAND,
						   "'!' twice");
			inv = 1;
			bang.col = wd->col;
			continue;
		}
		if (strncmp(wd->s, "--", 2) == 0)
			eq = strchr(wd->s, '=');
		o = find_opt(wd->s, eq != NULL ? (size_t)(eq - wd->s) :
			     strlen(wd->s));
		if (o == NULL) {
			if (wd->s[0] == '-')
				return pfail_field(&ps, &at, FW_FIELD_COMMAND,
						   "unknown option");
			return pfail_field(&ps, &at, FW_FIELD_COMMAND,
					   "unexpected word (options start "
					   "with '-')");
		}
		if (eq != NULL) {
			if ((o->flags & F_ARG) == 0)
				return pfail_field(&ps, &at, FW_FIELD_COMMAND,
						   "takes no value");
			at.val = eq + 1;
			at.joined = 1;
		}
		if (inv && (o->flags & F_INV) == 0)
			return pfail_field(&ps, &bang, FW_FIELD_COMMAND,
					   "this option cannot be inverted");
		switch (o->id) {
		case O_APPEND: case O_INSERT: case O_REPLACE: case O_DELETE:
		case O_POLICY: case O_FLUSH: case O_DELCHAIN: case O_NEWCHAIN:
		case O_RENAME: case O_LIST: case O_ZERO:
			rc = command(&ps, o, &at);
			break;
		case O_GOTO:
			rc = pfail_field(&ps, &at, FW_FIELD_TARGET, "jumps to "
					 "other chains are not supported");
			break;
		case O_COUNTERS:
			rc = pfail_field(&ps, &at, FW_FIELD_COMMAND, "setting "
					 "counters is not supported");
			break;
		case O_LOG_OTHER:
			rc = pfail_field(&ps, &at, FW_FIELD_LOG_PREFIX, "not "
					 "supported (LOG takes --log-prefix "
					 "and --log-level)");
			break;
		case O_TCP_FLAGS:
			rc = pfail_field(&ps, &at, FW_FIELD_COMMAND, "TCP flag "
					 "matches are not supported (match "
					 "the connection state instead)");
			break;
		default:
			rc = 0;
			if (o->flags & F_ARG)
				rc = take_arg(&ps, &at, o);
			if (rc == 0)
				rc = option(&ps, o, &at, inv);
			break;
		}
		if (rc != 0)
			return rc;
		inv = 0;
	}
	if (inv)
		return pfail_field(&ps, &bang, FW_FIELD_COMMAND, "'!' with "
				   "nothing after it");
	if (ps.op < 0) {
		struct where at = { w.w[0].col, w.w[0].s, NULL, 0 };

		return pfail_field(&ps, &at, FW_FIELD_COMMAND, "no command "
				   "(-A, -I, -R, -D, -P, -F)");
	}
	switch (ps.op) {
	case FW_OP_POLICY:
	case FW_OP_FLUSH:
	case FW_OP_DELETE_CHAINS:
		if (ps.spec || ps.mods_explicit)
			return pfail_field(&ps, &ps.cmd, FW_FIELD_COMMAND,
					   "takes no rule options");
		break;
	case FW_OP_DELETE:
		if (r.pos != 0) {
			if (ps.spec || ps.mods_explicit)
				return pfail_field(&ps, &ps.cmd,
						   FW_FIELD_COMMAND, "give a "
						   "rule number or a rule, not "
						   "both");
			break;
		}
		rc = check_line(&ps);
		if (rc != 0)
			return rc;
		break;
	default:
		rc = check_line(&ps);
		if (rc != 0)
			return rc;
		break;
	}
	*out = r;
	return ps.op;
}

int
fw_rule_parse(const char *line, struct fw_rule *out, struct fw_err *err)
{
	return fw_rule_parse_with(line, NULL, out, err);
}
