/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The firewall over the control socket: list the rules with their
 * counters, add or delete one, replace them all, and the seed's
 * "safe-restart": fw.commit.apply installs a ruleset that rolls back by
 * itself after 'timeout' seconds unless fw.commit.confirm comes first, so
 * a change that cuts the operator off undoes itself.
 *
 * Every change is a config transaction (mx_ctl_apply): a copy of the
 * running config with the new ruleset, compiled to rte_acl on this lcore,
 * published between two bursts. Connection state stays in the workers'
 * shards across it; rules keep their counters by id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "fw.h"
#include "mx.h"

/* A whole ruleset in one string: as much as one request may carry (the
 * socket's 1 MiB), some 10 000 rules of a home gateway. */
#define LINES_MAX	(1 << 20)

/* A commit waiting for its confirmation. */
static struct {
	struct conf *rollback;		/* the config before it */
	double deadline;
} pending;

static int
need_fw(const struct mx_ctl *x, struct ctl_out *o)
{
	if (x->dp->fw == NULL)
		return ctl_err(o, CTL_E_FAILED, NULL, "this node runs no "
			       "firewall (the config has no firewall section)");
	return 0;
}

static const struct ctl_param chain_param = {
	.name = "chain", .type = CTL_T_ENUM, .choices = "input|forward|output",
	.help = "only this chain",
};

static int
rule_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *ch = ctl_arg(a, "chain");
	struct mx_ctl *x = arg;
	const struct fw_ruleset *rs;
	char line[FW_FORMAT_MAX];
	unsigned int c, i;
	int rc;

	if ((rc = need_fw(x, o)) != 0)
		return rc;
	rs = x->dp->snap->conf->firewall.rs;
	ctl_out_arr(o, "rules");
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		if (ch != NULL && (unsigned int)ch->i != c)
			continue;
		for (i = 0; i < fw_ruleset_count(rs, c); i++) {
			const struct fw_rule *r = fw_ruleset_rule(rs, c, i);
			struct fw_counter n = mx_fw_rule_counter(x->dp, c,
								 r->id);

			fw_rule_format(r, line, sizeof(line));
			ctl_out_obj(o, NULL);
			ctl_out_str(o, "chain", fw_chain_name(c));
			ctl_out_u64(o, "index", i + 1);
			ctl_out_u64(o, "id", r->id);
			ctl_out_u64(o, "pkts", n.pkts);
			ctl_out_u64(o, "bytes", n.bytes);
			ctl_out_str(o, "rule", line);
			ctl_out_end(o);
		}
	}
	ctl_out_end(o);
	ctl_out_obj(o, "policy");
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		struct fw_counter n = mx_fw_rule_counter(x->dp, c, 0);

		ctl_out_obj(o, fw_chain_name(c));
		ctl_out_str(o, "target", fw_target_name(rs->policy[c]));
		ctl_out_u64(o, "pkts", n.pkts);
		ctl_out_u64(o, "bytes", n.bytes);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	ctl_out_bool(o, "accept_established", rs->accept_established);
	ctl_out_arr(o, "icmpv6_allow");
	for (i = 0; i < rs->n_icmp6_allow; i++)
		ctl_out_fmt(o, NULL, "%u/%u-%u", rs->icmp6_allow[i].type,
			    rs->icmp6_allow[i].code_lo,
			    rs->icmp6_allow[i].code_hi);
	ctl_out_end(o);
	return 0;
}

/* Apply 'rs' (taken over) as the running ruleset. */
static int
apply_rs(struct mx_ctl *x, struct ctl_out *o, struct fw_ruleset *rs,
	 const char *field)
{
	char err[CONF_ERR_SIZE];
	struct conf *c = conf_dup(x->dp->snap->conf);
	int rc;

	if (c == NULL) {
		fw_ruleset_free(rs);
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	}
	fw_ruleset_free(c->firewall.rs);
	c->firewall.rs = rs;
	rc = mx_ctl_apply(x, c, err);
	if (rc != 0) {
		conf_free(c);
		return ctl_err(o, CTL_E_FAILED, field, "%s (the running rules "
			       "are unchanged)", err);
	}
	ctl_out_u64(o, "generation", x->dp->snap->gen);
	return 0;
}

/* Run the ip6tables lines of 'text' (one per line) on a copy of the
 * running ruleset, or on an empty one ('fresh'). NULL with 'o' set. */
static struct fw_ruleset *
run_lines(struct mx_ctl *x, struct ctl_out *o, const char *text, int fresh,
	  const char *field)
{
	const struct fw_ruleset *cur = x->dp->snap->conf->firewall.rs;
	struct fw_ruleset *rs;
	struct fw_err e = { 0 };
	char *copy, *line, *save = NULL;
	unsigned int n = 0;

	rs = fw_ruleset_copy(cur);
	copy = strdup(text);
	if (rs == NULL || copy == NULL) {
		fw_ruleset_free(rs);
		free(copy);
		ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	if (fresh)
		fw_ruleset_flush(rs, FW_CHAIN_MAX);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (fw_ruleset_apply_line(rs, line, &e) != 0) {
			ctl_err(o, CTL_E_PARAMS, field, "line %u: %s", n, e.msg);
			fw_ruleset_free(rs);
			free(copy);
			return NULL;
		}
	}
	free(copy);
	return rs;
}

static int
rule_add(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct fw_ruleset *rs;
	int rc;

	if ((rc = need_fw(x, o)) != 0)
		return rc;
	rs = run_lines(x, o, ctl_arg(a, "line")->s, 0, "line");
	if (rs == NULL)
		return CTL_E_PARAMS;
	return apply_rs(x, o, rs, "line");
}

static int
rule_del(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct fw_ruleset *rs;
	struct fw_err e = { 0 };
	int rc;

	if ((rc = need_fw(x, o)) != 0)
		return rc;
	rs = fw_ruleset_copy(x->dp->snap->conf->firewall.rs);
	if (rs == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	if (fw_ruleset_delete_at(rs, (enum fw_chain)ctl_arg(a, "chain")->i,
				 (uint32_t)ctl_arg(a, "index")->i, &e) != 0) {
		fw_ruleset_free(rs);
		return ctl_err(o, CTL_E_NOT_FOUND, "index", "%s", e.msg);
	}
	return apply_rs(x, o, rs, "index");
}

static int
ruleset_replace(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct fw_ruleset *rs, *next;
	int rc;

	if ((rc = need_fw(x, o)) != 0)
		return rc;
	/* Built fresh, then merged so that unchanged rules keep their ids
	 * (and counters). */
	rs = run_lines(x, o, ctl_arg(a, "lines")->s, 1, "lines");
	if (rs == NULL)
		return CTL_E_PARAMS;
	next = fw_ruleset_copy(x->dp->snap->conf->firewall.rs);
	if (next == NULL || fw_ruleset_replace(next, rs) != 0) {
		fw_ruleset_free(rs);
		fw_ruleset_free(next);
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	}
	fw_ruleset_free(rs);
	return apply_rs(x, o, next, "lines");
}

static int
commit_apply(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *t = ctl_arg(a, "timeout");
	struct mx_ctl *x = arg;
	struct conf *before;
	int rc;

	if ((rc = need_fw(x, o)) != 0)
		return rc;
	if (pending.rollback != NULL)
		return ctl_err(o, CTL_E_EXISTS, NULL, "a commit waits for its "
			       "confirmation: fw.commit.confirm or let it roll "
			       "back first");
	before = conf_dup(x->dp->snap->conf);
	if (before == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	rc = ruleset_replace(a, o, arg);
	if (rc != 0) {
		conf_free(before);
		return rc;
	}
	pending.rollback = before;
	pending.deadline = mx_now() + (t != NULL ? (double)t->i : 30.0);
	ctl_out_real(o, "rolls_back_in_s", pending.deadline - mx_now());
	mx_ctl_event(x, "fw.commit.pending", NULL);
	return 0;
}

static int
commit_confirm(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;

	(void)a;
	if (pending.rollback == NULL)
		return ctl_err(o, CTL_E_NOT_FOUND, NULL, "no commit waits for "
			       "a confirmation");
	conf_free(pending.rollback);
	pending.rollback = NULL;
	ctl_out_bool(o, "confirmed", 1);
	mx_ctl_event(x, "fw.commit.confirmed", NULL);
	return 0;
}

static int
commit_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	(void)arg;
	ctl_out_bool(o, "pending", pending.rollback != NULL);
	if (pending.rollback != NULL)
		ctl_out_real(o, "rolls_back_in_s", pending.deadline - mx_now());
	return 0;
}

/* Control loop: roll an unconfirmed commit back when its time is up. */
void
mx_fw_commit_poll(struct mx_ctl *x)
{
	char err[CONF_ERR_SIZE];
	struct conf *c;

	if (pending.rollback == NULL || mx_now() < pending.deadline)
		return;
	c = pending.rollback;
	pending.rollback = NULL;
	if (mx_ctl_apply(x, c, err) != 0) {
		fprintf(stderr, "meshxlat: firewall: the rollback failed: %s\n",
			err);
		conf_free(c);
		mx_ctl_event(x, "fw.commit.rollback_failed", "error", err,
			     NULL);
		return;
	}
	printf("meshxlat: firewall: unconfirmed commit rolled back\n");
	fflush(stdout);
	mx_ctl_event(x, "fw.commit.rolled_back", NULL);
}

static int
conn_stats(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	unsigned int i;
	int rc;

	(void)a;
	if ((rc = need_fw(x, o)) != 0)
		return rc;
	ctl_out_arr(o, "workers");
	for (i = 0; i < x->dp->n_workers; i++) {
		struct fw_conn_stats st;

		/* Counters a worker writes; read racily like all stats. */
		mx_fw_conn_stats(x->dp, i, &st);
		ctl_out_obj(o, NULL);
		ctl_out_u64(o, "worker", i);
		ctl_out_u64(o, "active", st.active);
		ctl_out_u64(o, "capacity", st.capacity);
		ctl_out_u64(o, "created", st.created);
		ctl_out_u64(o, "expired", st.expired);
		ctl_out_u64(o, "overflow", st.overflow);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param list_params[] = {
	chain_param,
	{ .name = NULL },
};

static const struct ctl_param add_params[] = {
	{ .name = "line", .type = CTL_T_STR, .required = 1,
	  .max = FW_LINE_MAX + 1,
	  .help = "an ip6tables command: -A/-I/-R/-D/-P/-F ..." },
	{ .name = NULL },
};

static const struct ctl_param del_params[] = {
	{ .name = "chain", .type = CTL_T_ENUM, .required = 1,
	  .choices = "input|forward|output", .help = "the chain" },
	{ .name = "index", .type = CTL_T_INT, .required = 1, .min = 1,
	  .max = FW_RULES_MAX, .help = "1-based position (fw.rule.list)" },
	{ .name = NULL },
};

static const struct ctl_param replace_params[] = {
	{ .name = "lines", .type = CTL_T_STR, .required = 1,
	  .max = LINES_MAX,
	  .help = "the whole ruleset, ip6tables lines separated by newlines" },
	{ .name = NULL },
};

static const struct ctl_param commit_params[] = {
	{ .name = "lines", .type = CTL_T_STR, .required = 1,
	  .max = LINES_MAX,
	  .help = "the new ruleset, as for fw.ruleset.replace" },
	{ .name = "timeout", .type = CTL_T_INT, .min = 5, .max = 3600,
	  .help = "seconds until it rolls back unless confirmed (default 30)" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "fw.rule.list", .fn = rule_list, .params = list_params,
	  .help = "rules with their packet and byte counters, policies, "
		  "ICMPv6 allow-list" },
	{ .method = "fw.rule.add", .fn = rule_add, .params = add_params,
	  .flags = CTL_F_WRITE,
	  .help = "run one ip6tables command on the running rules" },
	{ .method = "fw.rule.del", .fn = rule_del, .params = del_params,
	  .flags = CTL_F_WRITE, .help = "delete a rule by its position" },
	{ .method = "fw.ruleset.replace", .fn = ruleset_replace,
	  .params = replace_params, .flags = CTL_F_WRITE,
	  .help = "replace all rules at once (unchanged rules keep their "
		  "counters)" },
	{ .method = "fw.commit.apply", .fn = commit_apply,
	  .params = commit_params, .flags = CTL_F_WRITE,
	  .help = "replace the rules, rolling back by itself unless "
		  "confirmed in time" },
	{ .method = "fw.commit.confirm", .fn = commit_confirm,
	  .flags = CTL_F_WRITE, .help = "keep the committed rules" },
	{ .method = "fw.commit.get", .fn = commit_get,
	  .help = "whether a commit waits, and for how long" },
	{ .method = "fw.conn.stats.get", .fn = conn_stats,
	  .help = "connection tracking per worker: active, created, expired, "
		  "overflow" },
};

int
mx_cmd_fw_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}

void
mx_cmd_fw_fini(void)
{
	conf_free(pending.rollback);
	pending.rollback = NULL;
}
