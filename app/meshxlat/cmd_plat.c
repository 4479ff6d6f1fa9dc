/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PLAT over the control socket: plat.stats.get (sessions, BIB
 * entries, clients, blocks and free ports of all shards, verdicts),
 * plat.session.list and plat.bib.list (filtered and paged), plat.get
 * (prefix and pool). A shard has one writer, its worker; these commands
 * read it through mx_worker_call(), which runs the read on that worker
 * between two bursts (at most 'limit' entries per call, so a page costs
 * the worker a bounded time).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ctl.h"
#include "mx.h"

#define CALL_TIMEOUT_S	1.0
#define PAGE_MAX	10000

static int
need_plat(const struct mx_ctl *x, struct ctl_out *o)
{
	if (x->dp->plat == NULL)
		return ctl_err(o, CTL_E_FAILED, NULL, "this node runs no PLAT "
			       "(the config has no plat section)");
	return 0;
}

struct stats_call {
	struct nat64_stats st;
};

static void
stats_on_worker(struct mx_worker *w, void *arg)
{
	struct stats_call *c = arg;

	nat64_shard_stats(w->shard, &c->st);
}

static const char *const proto_names[NAT64_NPROTO] = { "tcp", "udp", "icmp" };

static int
plat_stats(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct nat64_stats sum;
	unsigned int i, j;
	int rc;

	(void)a;
	if ((rc = need_plat(x, o)) != 0)
		return rc;
	memset(&sum, 0, sizeof(sum));
	ctl_out_arr(o, "shards");
	for (i = 0; i < x->dp->n_workers; i++) {
		struct stats_call c;
		uint64_t *d = (uint64_t *)&sum;
		const uint64_t *s = (const uint64_t *)&c.st;

		rc = mx_worker_call(x->w[i], stats_on_worker, &c,
				    CALL_TIMEOUT_S);
		if (rc != 0) {
			ctl_out_end(o);
			return ctl_err(o, CTL_E_FAILED, NULL, "worker %u did "
				       "not answer: %s", i, strerror(-rc));
		}
		/* every member is a uint64_t counter */
		for (j = 0; j < sizeof(sum) / sizeof(uint64_t); j++)
			d[j] += s[j];
		ctl_out_obj(o, NULL);
		ctl_out_u64(o, "shard", i);
		ctl_out_u64(o, "sessions", c.st.sessions[NAT64_I_TCP] +
			    c.st.sessions[NAT64_I_UDP] +
			    c.st.sessions[NAT64_I_ICMP]);
		ctl_out_u64(o, "capacity", c.st.capacity);
		ctl_out_u64(o, "clients", c.st.clients);
		ctl_out_u64(o, "holds", c.st.holds);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	ctl_out_obj(o, "sessions");
	for (j = 0; j < NAT64_NPROTO; j++)
		ctl_out_u64(o, proto_names[j], sum.sessions[j]);
	ctl_out_end(o);
	ctl_out_obj(o, "tcp_states");
	for (j = 0; j < NAT64_TCP_N; j++)
		ctl_out_u64(o, nat64_tcp_state_name(j), sum.tcp_states[j]);
	ctl_out_end(o);
	ctl_out_obj(o, "bib");
	for (j = 0; j < NAT64_NPROTO; j++)
		ctl_out_u64(o, proto_names[j], sum.bibs[j]);
	ctl_out_u64(o, "static", sum.static_bibs);
	ctl_out_end(o);
	ctl_out_obj(o, "blocks");
	for (j = 0; j < NAT64_NPROTO; j++)
		ctl_out_u64(o, proto_names[j], sum.blocks[j]);
	ctl_out_end(o);
	ctl_out_obj(o, "blocks_free");
	for (j = 0; j < NAT64_NPROTO; j++)
		ctl_out_u64(o, proto_names[j], sum.blocks_free[j]);
	ctl_out_end(o);
	ctl_out_obj(o, "ports_free");
	for (j = 0; j < NAT64_NPROTO; j++)
		ctl_out_u64(o, proto_names[j], sum.ports_free[j]);
	ctl_out_end(o);
	ctl_out_u64(o, "clients", sum.clients);
	ctl_out_u64(o, "capacity", sum.capacity);
	ctl_out_u64(o, "held_syns", sum.holds);
	ctl_out_u64(o, "sessions_created", sum.sessions_created);
	ctl_out_u64(o, "sessions_expired", sum.sessions_expired);
	ctl_out_u64(o, "block_log_lost", sum.events_lost);
	ctl_out_obj(o, "verdicts");
	for (j = 0; j < NAT64_VERDICT_MAX; j++)
		if (sum.verdicts[j] != 0)
			ctl_out_u64(o, nat64_verdict_name(j), sum.verdicts[j]);
	ctl_out_end(o);
	ctl_out_u64(o, "bytes_per_session",
		    nat64_mem_per_session(x->dp->plat->shards[0]));
	return 0;
}

static int
plat_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_plat *pl;
	unsigned int i;
	int rc;

	(void)a;
	if ((rc = need_plat(x, o)) != 0)
		return rc;
	pl = x->dp->plat;
	ctl_out_ip6(o, "prefix", pl->prefix.addr, pl->prefix.len);
	ctl_out_ip6(o, "address", pl->mgmt6, -1);
	ctl_out_arr(o, "pool4");
	for (i = 0; i < pl->cfg.n_pool4; i++) {
		const struct nat64_pool4 *p = &pl->cfg.pool4[i];

		ctl_out_obj(o, NULL);
		ctl_out_ip4(o, "prefix", p->addr, p->len);
		ctl_out_fmt(o, "ports", "%u-%u", p->port_lo, p->port_hi);
		ctl_out_fmt(o, "protocols", "%s%s%s",
			    (p->protos & NAT64_PROTO_TCP) ? "tcp " : "",
			    (p->protos & NAT64_PROTO_UDP) ? "udp " : "",
			    (p->protos & NAT64_PROTO_ICMP) ? "icmp" : "");
		ctl_out_end(o);
	}
	ctl_out_end(o);
	ctl_out_u64(o, "block_size", pl->cfg.block_size);
	ctl_out_u64(o, "max_sessions", pl->cfg.max_sessions);
	ctl_out_u64(o, "max_sessions_per_client",
		    pl->cfg.max_sessions_per_client);
	ctl_out_bool(o, "address_dependent_filtering",
		     pl->cfg.address_dependent_filtering);
	ctl_out_u64(o, "workers", x->dp->n_workers);
	return 0;
}

/* One page of a walk, collected on the worker, printed on the main lcore. */
struct walk_call {
	struct nat64_filter f;
	uint32_t cursor;
	unsigned int max, n;
	int bib;			/* BIB entries, else sessions */
	uint64_t now_ms;
	struct nat64_sess_info *sess;
	struct nat64_bib_info *bibs;
};

static int
take_sess(const struct nat64_sess_info *s, void *arg)
{
	struct walk_call *c = arg;

	c->sess[c->n++] = *s;
	return 0;
}

static int
take_bib(const struct nat64_bib_info *b, void *arg)
{
	struct walk_call *c = arg;

	c->bibs[c->n++] = *b;
	return 0;
}

static void
walk_on_worker(struct mx_worker *w, void *arg)
{
	struct walk_call *c = arg;

	if (c->bib)
		nat64_shard_walk_bib(w->shard, &c->f, &c->cursor, c->max,
				     take_bib, c);
	else
		nat64_shard_walk_sess(w->shard, &c->f, &c->cursor, c->max,
				      w->now_ms, take_sess, c);
}

static const char *
proto_name(uint8_t p)
{
	return p == PKT_PROTO_TCP ? "tcp" : p == PKT_PROTO_UDP ? "udp" :
	       "icmp";
}

static int
walk(const struct ctl_args *a, struct ctl_out *o, struct mx_ctl *x, int bib)
{
	const struct ctl_val *proto = ctl_arg(a, "proto");
	const struct ctl_val *client = ctl_arg(a, "client");
	const struct ctl_val *addr4 = ctl_arg(a, "addr4");
	const struct ctl_val *port4 = ctl_arg(a, "port4");
	const struct ctl_val *limit = ctl_arg(a, "limit");
	const struct ctl_val *cur = ctl_arg(a, "cursor");
	struct walk_call c;
	unsigned int shard = 0, i, total = 0;
	int rc;

	if ((rc = need_plat(x, o)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.bib = bib;
	c.max = limit != NULL ? (unsigned int)limit->i : 100;
	if (proto != NULL)
		c.f.proto = proto->i == 0 ? PKT_PROTO_TCP :
			    proto->i == 1 ? PKT_PROTO_UDP : PKT_PROTO_ICMP;
	if (client != NULL) {
		if (client->family != 6)
			return ctl_err(o, CTL_E_PARAMS, "client", "client: an "
				       "IPv6 address or prefix");
		memcpy(c.f.client, client->p6.addr, 16);
		c.f.client_len = client->p6.len;
	}
	if (addr4 != NULL) {
		if (addr4->family != 4)
			return ctl_err(o, CTL_E_PARAMS, "addr4", "addr4: an "
				       "IPv4 address");
		c.f.addr4 = addr4->p4.addr;
	}
	if (port4 != NULL)
		c.f.port4 = (uint16_t)port4->i;
	/* The cursor is "shard.position" from the last page. */
	if (cur != NULL && sscanf(cur->s, "%u.%u", &shard, &c.cursor) != 2)
		return ctl_err(o, CTL_E_PARAMS, "cursor", "cursor: '%s': give "
			       "back the next_cursor of the last page", cur->s);
	if (shard >= x->dp->n_workers)
		return ctl_err(o, CTL_E_PARAMS, "cursor", "cursor: no shard %u",
			       shard);
	if (bib)
		c.bibs = calloc(c.max, sizeof(*c.bibs));
	else
		c.sess = calloc(c.max, sizeof(*c.sess));
	if (c.bibs == NULL && c.sess == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	ctl_out_arr(o, bib ? "bib" : "sessions");
	while (shard < x->dp->n_workers && total < c.max) {
		c.n = 0;
		c.max -= total;
		rc = mx_worker_call(x->w[shard], walk_on_worker, &c,
				    CALL_TIMEOUT_S);
		c.max += total;
		if (rc != 0)
			break;
		for (i = 0; i < c.n; i++) {
			ctl_out_obj(o, NULL);
			if (bib) {
				const struct nat64_bib_info *b = &c.bibs[i];

				ctl_out_str(o, "proto", proto_name(b->proto));
				ctl_out_ip6(o, "client", b->addr6, -1);
				ctl_out_u64(o, "port6", b->port6);
				ctl_out_ip4(o, "addr4", b->addr4, -1);
				ctl_out_u64(o, "port4", b->port4);
				ctl_out_bool(o, "static", b->is_static);
				ctl_out_u64(o, "sessions", b->n_sess);
			} else {
				const struct nat64_sess_info *s = &c.sess[i];

				ctl_out_str(o, "proto", proto_name(s->proto));
				ctl_out_ip6(o, "client", s->addr6, -1);
				ctl_out_u64(o, "port6", s->port6);
				ctl_out_ip4(o, "addr4", s->addr4, -1);
				ctl_out_u64(o, "port4", s->port4);
				ctl_out_ip4(o, "remote", s->rem4, -1);
				ctl_out_u64(o, "rport", s->rport);
				ctl_out_str(o, "state", s->proto ==
					    PKT_PROTO_TCP ?
					    nat64_tcp_state_name(s->state) :
					    "-");
				ctl_out_u64(o, "expires_s", s->expires_in_s);
			}
			ctl_out_end(o);
		}
		total += c.n;
		if (c.cursor == NAT64_CURSOR_END) {
			shard++;
			c.cursor = 0;
		}
	}
	ctl_out_end(o);
	free(c.bibs);
	free(c.sess);
	if (rc != 0)
		return ctl_err(o, CTL_E_FAILED, NULL, "worker %u did not "
			       "answer: %s", shard, strerror(-rc));
	if (shard < x->dp->n_workers)
		ctl_out_fmt(o, "next_cursor", "%u.%u", shard, c.cursor);
	else
		ctl_out_null(o, "next_cursor");
	return 0;
}

static int
session_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	return walk(a, o, arg, 0);
}

static int
bib_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	return walk(a, o, arg, 1);
}

static const struct ctl_param list_params[] = {
	{ .name = "proto", .type = CTL_T_ENUM, .choices = "tcp|udp|icmp",
	  .help = "only this protocol" },
	{ .name = "client", .type = CTL_T_PFX,
	  .help = "only clients in this IPv6 prefix (or this address)" },
	{ .name = "addr4", .type = CTL_T_IP, .help = "only this pool address" },
	{ .name = "port4", .type = CTL_T_INT, .min = 1, .max = 65535,
	  .help = "only this pool port (or ICMP identifier)" },
	{ .name = "limit", .type = CTL_T_INT, .min = 1, .max = PAGE_MAX,
	  .help = "entries per page (default 100)" },
	{ .name = "cursor", .type = CTL_T_STR,
	  .help = "next_cursor of the previous page" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "plat.get", .fn = plat_get,
	  .help = "the PLAT prefix, its own address and the pool" },
	{ .method = "plat.stats.get", .fn = plat_stats,
	  .help = "sessions, BIB entries, clients, blocks, free ports, "
		  "verdicts, memory per session" },
	{ .method = "plat.session.list", .fn = session_list,
	  .params = list_params,
	  .help = "sessions (RFC 6146 session table), filtered and paged" },
	{ .method = "plat.bib.list", .fn = bib_list, .params = list_params,
	  .help = "BIB entries (client transport address <-> pool address), "
		  "filtered and paged" },
};

int
mx_cmd_plat_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}

/*
 * The event 'plat.pool.exhausted' when a client was refused for lack of
 * ports or table room since the last look: at most once a second, with
 * the count, so a flood makes one line per second, not one per packet.
 */
void
mx_plat_events(struct mx_ctl *x)
{
	static const unsigned int reasons[] = {
		PKT_DROP_NAT64_POOL_EXHAUSTED, PKT_DROP_NAT64_CLIENT_BLOCKS,
		PKT_DROP_NAT64_MAX_SESSIONS, PKT_DROP_NAT64_CLIENT_SESSIONS,
		PKT_DROP_NAT64_TABLE_FULL,
	};
	static uint64_t last[RTE_DIM(reasons)];
	static double last_t;
	double t = mx_now();
	unsigned int i, j;

	if (x->dp->plat == NULL || t - last_t < 1.0)
		return;
	last_t = t;
	for (i = 0; i < RTE_DIM(reasons); i++) {
		uint64_t sum = 0;
		char n[24];

		for (j = 0; j < x->dp->n_workers; j++)
			sum += x->w[j]->drops[reasons[i]];
		if (sum > last[i]) {
			snprintf(n, sizeof(n), "%lu",
				 (unsigned long)(sum - last[i]));
			mx_ctl_event(x, "plat.pool.exhausted", "reason",
				     pkt_drop_name(reasons[i]), "refused", n,
				     NULL);
		}
		last[i] = sum;
	}
}
