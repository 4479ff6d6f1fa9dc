/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rulesets: the ordered rules of INPUT, FORWARD and OUTPUT with their
 * policies, the ICMPv6 allow-list and the chain aliases; the changes
 * ip6tables makes (append, insert, replace, delete by number or by rule,
 * flush, policy) and a whole reload that keeps the ids of unchanged rules
 * so their counters go on. Also the reference matcher
 * (fw_ruleset_match_slow(), a plain scan in chain order: the oracle that
 * rte_acl is tested against) and the verdict that follows a match.
 *
 * Control lcore only; a published ruleset is read-only.
 */
#include "fw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "fw_priv.h"
#include "hdr.h"

struct fw_ruleset *
fw_ruleset_create(void)
{
	struct fw_ruleset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	fw_aliases_init(&rs->aliases);
	rs->default_inbound = FW_TARGET_DROP;
	rs->policy[FW_CHAIN_INPUT] = FW_TARGET_DROP;
	rs->policy[FW_CHAIN_FORWARD] = FW_TARGET_DROP;
	rs->policy[FW_CHAIN_OUTPUT] = FW_TARGET_ACCEPT;
	rs->accept_established = 1;
	rs->next_id = 1;
	return rs;
}

void
fw_ruleset_free(struct fw_ruleset *rs)
{
	unsigned int c;

	if (rs == NULL)
		return;
	for (c = 0; c < FW_CHAIN_MAX; c++)
		free(rs->chain[c].rules);
	free(rs);
}

struct fw_ruleset *
fw_ruleset_copy(const struct fw_ruleset *rs)
{
	struct fw_ruleset *cp = malloc(sizeof(*cp));
	unsigned int c;

	if (cp == NULL)
		goto nomem;
	*cp = *rs;
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		cp->chain[c].rules = NULL;
		cp->chain[c].cap = 0;
		cp->chain[c].n = 0;
	}
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		uint32_t n = rs->chain[c].n;

		if (n == 0)
			continue;
		cp->chain[c].rules = malloc(n * sizeof(struct fw_rule));
		if (cp->chain[c].rules == NULL)
			goto nomem_free;
		memcpy(cp->chain[c].rules, rs->chain[c].rules,
		       n * sizeof(struct fw_rule));
		cp->chain[c].n = n;
		cp->chain[c].cap = n;
	}
	return cp;
nomem_free:
	fw_ruleset_free(cp);
nomem:
	errno = ENOMEM;
	return NULL;
}

/* Room for one more rule in 'cr'. */
static int
grow(struct fw_chain_rules *cr, enum fw_chain c, struct fw_err *err)
{
	struct fw_rule *p;
	uint32_t cap;

	if (cr->n >= FW_RULES_MAX) {
		fw_fail(err, FW_FIELD_CHAIN, "%s is full (%u rules)",
			fw_chain_name(c), FW_RULES_MAX);
		return -ENOSPC;
	}
	if (cr->n < cr->cap)
		return 0;
	cap = cr->cap < 16 ? 16 : cr->cap * 2;
	if (cap > FW_RULES_MAX)
		cap = FW_RULES_MAX;
	p = realloc(cr->rules, cap * sizeof(*p));
	if (p == NULL) {
		fw_fail(err, FW_FIELD_NONE, "out of memory");
		return -ENOMEM;
	}
	cr->rules = p;
	cr->cap = cap;
	return 0;
}

/* A valid rule, ready to store: checked, position cleared. */
static int
prepare(const struct fw_rule *r, struct fw_rule *out, struct fw_err *err)
{
	*out = *r;
	out->pos = 0;
	return fw_rule_finish(out, err);
}

int
fw_ruleset_insert(struct fw_ruleset *rs, uint32_t pos, const struct fw_rule *r,
		  struct fw_err *err)
{
	struct fw_chain_rules *cr;
	struct fw_rule nr;
	int rc;

	rc = prepare(r, &nr, err);
	if (rc != 0)
		return rc;
	cr = &rs->chain[nr.chain];
	if (pos == 0 || pos > cr->n + 1)
		return fw_fail(err, FW_FIELD_COMMAND, "%s has %u rules: cannot "
			       "insert at %u", fw_chain_name(nr.chain), cr->n,
			       pos);
	rc = grow(cr, nr.chain, err);
	if (rc != 0)
		return rc;
	memmove(&cr->rules[pos], &cr->rules[pos - 1],
		(cr->n - (pos - 1)) * sizeof(nr));
	nr.id = rs->next_id++;
	cr->rules[pos - 1] = nr;
	cr->n++;
	return 0;
}

int
fw_ruleset_append(struct fw_ruleset *rs, const struct fw_rule *r,
		  struct fw_err *err)
{
	if ((unsigned int)r->chain >= FW_CHAIN_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "no chain");
	return fw_ruleset_insert(rs, rs->chain[r->chain].n + 1, r, err);
}

static int
check_pos(const struct fw_ruleset *rs, enum fw_chain c, uint32_t pos,
	  struct fw_err *err)
{
	if ((unsigned int)c >= FW_CHAIN_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "no chain");
	if (pos == 0 || pos > rs->chain[c].n) {
		fw_fail(err, FW_FIELD_COMMAND, "%s has %u rules: no rule %u",
			fw_chain_name(c), rs->chain[c].n, pos);
		return -ENOENT;
	}
	return 0;
}

int
fw_ruleset_replace_at(struct fw_ruleset *rs, uint32_t pos,
		      const struct fw_rule *r, struct fw_err *err)
{
	struct fw_rule nr;
	int rc;

	rc = prepare(r, &nr, err);
	if (rc != 0)
		return rc;
	rc = check_pos(rs, nr.chain, pos, err);
	if (rc != 0)
		return rc;
	nr.id = rs->chain[nr.chain].rules[pos - 1].id;
	rs->chain[nr.chain].rules[pos - 1] = nr;
	return 0;
}

int
fw_ruleset_delete_at(struct fw_ruleset *rs, enum fw_chain c, uint32_t pos,
		     struct fw_err *err)
{
	struct fw_chain_rules *cr;
	int rc;

	rc = check_pos(rs, c, pos, err);
	if (rc != 0)
		return rc;
	cr = &rs->chain[c];
	memmove(&cr->rules[pos - 1], &cr->rules[pos],
		(cr->n - pos) * sizeof(cr->rules[0]));
	cr->n--;
	return 0;
}

int
fw_ruleset_delete_match(struct fw_ruleset *rs, const struct fw_rule *r,
			struct fw_err *err)
{
	const struct fw_chain_rules *cr;
	uint32_t i;

	if ((unsigned int)r->chain >= FW_CHAIN_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "no chain");
	cr = &rs->chain[r->chain];
	for (i = 0; i < cr->n; i++)
		if (fw_rule_equal(&cr->rules[i], r))
			return fw_ruleset_delete_at(rs, r->chain, i + 1, err);
	fw_fail(err, FW_FIELD_COMMAND, "no rule in %s is this rule "
		"(-D needs the whole rule, target included)",
		fw_chain_name(r->chain));
	return -ENOENT;
}

void
fw_ruleset_flush(struct fw_ruleset *rs, enum fw_chain c)
{
	unsigned int i;

	for (i = 0; i < FW_CHAIN_MAX; i++)
		if (c == FW_CHAIN_MAX || (unsigned int)c == i)
			rs->chain[i].n = 0;
}

int
fw_ruleset_set_policy(struct fw_ruleset *rs, enum fw_chain c, enum fw_target t,
		      struct fw_err *err)
{
	if ((unsigned int)c >= FW_CHAIN_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "no chain");
	if (t != FW_TARGET_ACCEPT && t != FW_TARGET_DROP &&
	    t != FW_TARGET_REJECT)
		return fw_fail(err, FW_FIELD_TARGET, "a policy is ACCEPT, DROP "
			       "or REJECT");
	rs->policy[c] = t;
	rs->policy_set[c] = 1;
	return 0;
}

int
fw_ruleset_apply(struct fw_ruleset *rs, int op, const struct fw_rule *r,
		 struct fw_err *err)
{
	switch (op) {
	case FW_OP_NONE:
	case FW_OP_DELETE_CHAINS:
		return 0;
	case FW_OP_APPEND:
		return fw_ruleset_append(rs, r, err);
	case FW_OP_INSERT:
		return fw_ruleset_insert(rs, r->pos != 0 ? r->pos : 1, r, err);
	case FW_OP_REPLACE:
		return fw_ruleset_replace_at(rs, r->pos, r, err);
	case FW_OP_DELETE:
		if (r->pos != 0)
			return fw_ruleset_delete_at(rs, r->chain, r->pos, err);
		return fw_ruleset_delete_match(rs, r, err);
	case FW_OP_POLICY:
		return fw_ruleset_set_policy(rs, r->chain, r->target, err);
	case FW_OP_FLUSH:
		fw_ruleset_flush(rs, r->chain);
		return 0;
	default:
		return fw_fail(err, FW_FIELD_COMMAND, "unknown command %d", op);
	}
}

int
fw_ruleset_apply_line(struct fw_ruleset *rs, const char *line,
		      struct fw_err *err)
{
	struct fw_rule r;
	int op;

	op = fw_rule_parse_with(line, &rs->aliases, &r, err);
	if (op < 0)
		return op;
	return fw_ruleset_apply(rs, op, &r, err);
}

int
fw_ruleset_set_default_inbound(struct fw_ruleset *rs, const char *text,
			       struct fw_err *err)
{
	enum fw_target t;

	if (strcasecmp(text, "drop") == 0)
		t = FW_TARGET_DROP;
	else if (strcasecmp(text, "reject") == 0)
		t = FW_TARGET_REJECT;
	else if (strcasecmp(text, "accept") == 0)
		t = FW_TARGET_ACCEPT;
	else
		return fw_fail(err, FW_FIELD_TARGET, "default_inbound is "
			       "\"drop\", \"reject\" or \"accept\"");
	rs->default_inbound = t;
	if (!rs->policy_set[FW_CHAIN_INPUT])
		rs->policy[FW_CHAIN_INPUT] = t;
	if (!rs->policy_set[FW_CHAIN_FORWARD])
		rs->policy[FW_CHAIN_FORWARD] = t;
	return 0;
}

int
fw_ruleset_icmp6_allow(struct fw_ruleset *rs, const char *text,
		       struct fw_err *err)
{
	struct fw_icmp6_allow a;
	unsigned int i;
	int rc;

	rc = fw_icmp6_parse(text, FW_FIELD_ICMP6, &a.type, &a.code_lo,
			    &a.code_hi, err);
	if (rc != 0)
		return rc;
	for (i = 0; i < rs->n_icmp6_allow; i++)
		if (rs->icmp6_allow[i].type == a.type &&
		    rs->icmp6_allow[i].code_lo == a.code_lo &&
		    rs->icmp6_allow[i].code_hi == a.code_hi)
			return 0;
	if (rs->n_icmp6_allow >= FW_ICMP6_ALLOW_MAX)
		return fw_fail(err, FW_FIELD_ICMP6, "more than %d ICMPv6 "
			       "allow-list entries", FW_ICMP6_ALLOW_MAX);
	rs->icmp6_allow[rs->n_icmp6_allow++] = a;
	return 0;
}

int
fw_ruleset_resolve(struct fw_ruleset *rs, fw_port_resolve_fn fn, void *arg,
		   struct fw_err *err)
{
	unsigned int c, k;
	uint32_t i;

	for (c = 0; c < FW_CHAIN_MAX; c++) {
		for (i = 0; i < rs->chain[c].n; i++) {
			struct fw_rule *r = &rs->chain[c].rules[i];
			struct fw_if_match *m[2] = { &r->in, &r->out };

			for (k = 0; k < 2; k++) {
				uint16_t port = FW_PORT_NONE;
				int rc;

				if (m[k]->name[0] == '\0')
					continue;
				rc = fn(arg, m[k]->name, &port);
				if (rc != 0) {
					fw_fail(err, k ? FW_FIELD_OUT :
						FW_FIELD_IN, "%s rule %u: "
						"interface '%s' is not a port "
						"of this box",
						fw_chain_name((enum fw_chain)c),
						i + 1, m[k]->name);
					return rc < 0 ? rc : -ENOENT;
				}
				m[k]->port = port;
				m[k]->resolved = 1;
			}
		}
	}
	return 0;
}

/* ---- Reload: keep the ids of unchanged rules ---------------------------- */

static uint64_t
fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s, size_t max)
{
	return fnv(h, s, strnlen(s, max) + 1);
}

static uint64_t
hash_ports(uint64_t h, const struct fw_port_match *m)
{
	uint8_t hdr[3] = { m->n, m->inv, m->multi };
	unsigned int i;

	h = fnv(h, hdr, sizeof(hdr));
	for (i = 0; i < m->n && i < FW_PORTS_MAX; i++) {
		uint16_t v[2] = { m->r[i].lo, m->r[i].hi };

		h = fnv(h, v, sizeof(v));
	}
	return h;
}

/* A hash of what fw_rule_equal() compares, and of nothing else. */
static uint64_t
rule_hash(const struct fw_rule *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t v[8] = {
		(uint32_t)r->chain, r->proto_set, r->state,
		(uint32_t)r->state_kind, r->icmp6.set, (uint32_t)r->target,
		(uint32_t)r->reject_with, r->log_level,
	};

	h = fnv(h, v, sizeof(v));
	h = fnv(h, r->src.addr, 16);
	h = fnv(h, r->src.mask, 16);
	h = fnv(h, &r->src.inv, 1);
	h = fnv(h, r->dst.addr, 16);
	h = fnv(h, r->dst.mask, 16);
	h = fnv(h, &r->dst.inv, 1);
	if (r->proto_set) {
		uint8_t p[2] = { r->proto, r->proto_inv };

		h = fnv(h, p, sizeof(p));
	}
	h = hash_ports(h, &r->sport);
	h = hash_ports(h, &r->dport);
	if (r->icmp6.set) {
		uint8_t i6[4] = { r->icmp6.inv, r->icmp6.type,
				  r->icmp6.code_lo, r->icmp6.code_hi };

		h = fnv(h, i6, sizeof(i6));
	}
	h = fnv_str(h, r->in.name, sizeof(r->in.name));
	h = fnv(h, &r->in.inv, 1);
	h = fnv_str(h, r->out.name, sizeof(r->out.name));
	h = fnv(h, &r->out.inv, 1);
	h = fnv_str(h, r->log_prefix, sizeof(r->log_prefix));
	return fnv_str(h, r->comment, sizeof(r->comment));
}

struct hidx {
	uint64_t h;
	uint32_t i;
};

static int
hidx_cmp(const void *a, const void *b)
{
	const struct hidx *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Give each rule of 'nw' the id of an equal, not yet claimed rule of
 * 'old' (the first in order), or a fresh one from '*next_id'.
 */
static int
carry_ids(const struct fw_chain_rules *old, struct fw_chain_rules *nw,
	  uint32_t *next_id)
{
	struct hidx *ix = NULL;
	uint8_t *taken = NULL;
	uint32_t i;

	if (old->n > 0) {
		ix = malloc(old->n * sizeof(*ix));
		taken = calloc(old->n, 1);
		if (ix == NULL || taken == NULL) {
			free(ix);
			free(taken);
			return -ENOMEM;
		}
		for (i = 0; i < old->n; i++) {
			ix[i].h = rule_hash(&old->rules[i]);
			ix[i].i = i;
		}
		qsort(ix, old->n, sizeof(*ix), hidx_cmp);
	}
	for (i = 0; i < nw->n; i++) {
		struct fw_rule *r = &nw->rules[i];
		uint64_t h = old->n > 0 ? rule_hash(r) : 0;
		uint32_t lo = 0, hi = old->n, k;

		while (lo < hi) {	/* the first index with hash >= h */
			uint32_t mid = lo + (hi - lo) / 2;

			if (ix[mid].h < h)
				lo = mid + 1;
			else
				hi = mid;
		}
		r->id = 0;
		for (k = lo; k < old->n && ix[k].h == h; k++) {
			if (taken[ix[k].i] ||
			    !fw_rule_equal(&old->rules[ix[k].i], r))
				continue;
			taken[ix[k].i] = 1;
			r->id = old->rules[ix[k].i].id;
			break;
		}
		if (r->id == 0)
			r->id = (*next_id)++;
	}
	free(ix);
	free(taken);
	return 0;
}

int
fw_ruleset_replace(struct fw_ruleset *rs, const struct fw_ruleset *src)
{
	struct fw_ruleset *cp;
	uint32_t next_id = rs->next_id;
	unsigned int c;

	cp = fw_ruleset_copy(src);
	if (cp == NULL)
		return -ENOMEM;
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		if (carry_ids(&rs->chain[c], &cp->chain[c], &next_id) != 0) {
			fw_ruleset_free(cp);
			return -ENOMEM;
		}
	}
	for (c = 0; c < FW_CHAIN_MAX; c++)
		free(rs->chain[c].rules);
	*rs = *cp;
	rs->next_id = next_id;
	free(cp);
	return 0;
}

/* ---- Matching ----------------------------------------------------------- */

static int
ports_hit(const struct fw_port_match *m, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < m->n && i < FW_PORTS_MAX; i++)
		if (port >= m->r[i].lo && port <= m->r[i].hi)
			return !m->inv;
	return m->inv;
}

static int
if_hit(const struct fw_if_match *m, uint16_t port_net)
{
	if (m->name[0] == '\0')
		return 1;
	if (!m->resolved)
		return 0;
	return (ntohs(port_net) == m->port) != m->inv;
}

int
fw_rule_match(const struct fw_rule *r, const struct fw_key *k)
{
	if (r->proto_set && (k->proto == r->proto) == r->proto_inv)
		return 0;
	if (fw_addr_hit(k->src, r->src.mask, r->src.addr) == r->src.inv)
		return 0;
	if (fw_addr_hit(k->dst, r->dst.mask, r->dst.addr) == r->dst.inv)
		return 0;
	if (r->sport.n && !ports_hit(&r->sport, ntohs(k->sport)))
		return 0;
	if (r->dport.n && !ports_hit(&r->dport, ntohs(k->dport)))
		return 0;
	if (r->icmp6.set) {
		uint16_t tc = ntohs(k->sport);
		int hit = (tc >> 8) == r->icmp6.type &&
			  (tc & 0xff) >= r->icmp6.code_lo &&
			  (tc & 0xff) <= r->icmp6.code_hi;

		if (hit == r->icmp6.inv)
			return 0;
	}
	if (!if_hit(&r->in, k->in_port) || !if_hit(&r->out, k->out_port))
		return 0;
	if (r->state != 0 &&
	    (ntohl(k->state) & FW_STATE_ALL & ~(uint32_t)r->state) != 0)
		return 0;
	return 1;
}

uint32_t
fw_ruleset_match_slow(const struct fw_ruleset *rs, enum fw_chain c,
		      const struct fw_key *k, uint32_t *log)
{
	const struct fw_chain_rules *cr = &rs->chain[c];
	uint32_t i;

	if (log != NULL)
		*log = 0;
	for (i = 0; i < cr->n; i++) {
		const struct fw_rule *r = &cr->rules[i];

		if (!fw_rule_match(r, k))
			continue;
		if (r->target != FW_TARGET_LOG)
			return i + 1;
		if (log != NULL && *log == 0)
			*log = i + 1;
	}
	return 0;
}

enum fw_target
fw_ruleset_verdict(const struct fw_ruleset *rs, enum fw_chain c,
		   const struct fw_key *k, uint32_t result,
		   const struct fw_rule **rule)
{
	uint32_t state = ntohl(k->state);
	unsigned int i;

	if (rule != NULL)
		*rule = NULL;
	if (rs->accept_established &&
	    (state & (FW_STATE_ESTABLISHED | FW_STATE_RELATED)) != 0)
		return FW_TARGET_ACCEPT;
	if (result != 0 && result <= rs->chain[c].n) {
		const struct fw_rule *r = &rs->chain[c].rules[result - 1];

		if (r->target != FW_TARGET_RETURN &&
		    r->target != FW_TARGET_LOG) {
			if (rule != NULL)
				*rule = r;
			return r->target;
		}
	}
	if (k->proto == PKT_PROTO_ICMP6) {
		uint16_t tc = ntohs(k->sport);

		for (i = 0; i < rs->n_icmp6_allow; i++) {
			const struct fw_icmp6_allow *a = &rs->icmp6_allow[i];

			if ((tc >> 8) == a->type && (tc & 0xff) >= a->code_lo &&
			    (tc & 0xff) <= a->code_hi)
				return FW_TARGET_ACCEPT;
		}
	}
	return rs->policy[c];
}
