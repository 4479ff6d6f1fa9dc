/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Roaming on the main lcore (seed 003, doc/roaming.md): the remap
 * database that roam.add/del/list change, and the table the workers read.
 *
 * Each change builds a new immutable table from the database (lib/roam)
 * and publishes it like a snapshot: workers load it once per turn and the
 * old one is freed after an RCU grace period, so no worker ever waits or
 * sees half a change. A lease ends in the workers at once (a lookup
 * compares it with the turn's clock); the database forgets it within a
 * second and says so with a roam.removed event.
 *
 * The clock is the workers' now_ms: the PLAT's, which --nat64-clock-speed
 * speeds up for tests, or the TSC in milliseconds.
 *
 * A node that is a CLAT pins its recent clients to their PLAT when
 * clat.plat.set picks another (seed 003's set_platprefix: "old clients
 * still use their old PLAT ... as if they roamed to it"), and unpins the
 * clients of a PLAT that is gone (del_platprefix).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_random.h>

#include "ctl.h"
#include "mx.h"

uint64_t
mx_now_ms(const struct mx_dp *dp)
{
	if (dp->plat != NULL)
		return mx_plat_now_ms(dp);
	return rte_rdtsc() / (dp->tsc_hz / 1000);
}

int
mx_roam_init(struct mx_dp *dp, const struct conf *c, char *err)
{
	if (!c->roam.enabled)
		return 0;
	dp->roam_db = roam_db_create(c->roam.max_entries, rte_rand());
	if (dp->roam_db == NULL) {
		snprintf(err, CONF_ERR_SIZE, "roam: cannot create a table of "
			 "%u entries: %s", c->roam.max_entries,
			 strerror(errno));
		return -ENOMEM;
	}
	return 0;
}

void
mx_roam_fini(struct mx_dp *dp)
{
	roam_table_free(dp->roam);
	dp->roam = NULL;
	roam_db_free(dp->roam_db);
	dp->roam_db = NULL;
}

static void
table_free_cb(void *p)
{
	roam_table_free(p);
}

/* The workers get what the database holds now. */
static int
publish(struct mx_dp *dp, char *err)
{
	struct roam_table *t = NULL;

	if (roam_db_count(dp->roam_db) != 0) {
		t = roam_table_build(dp->roam_db);
		if (t == NULL) {
			snprintf(err, CONF_ERR_SIZE, "roam: out of memory for "
				 "the table");
			return -ENOMEM;
		}
	}
	return mx_publish_ptr(dp, (void **)&dp->roam, t, table_free_cb, err);
}

/* --- entries as the socket shows them ------------------------------ */

static void
fmt96(const uint8_t *p, char *buf, size_t size)
{
	uint8_t a[16] = { 0 };

	memcpy(a, p, ROAM_PFX_LEN);
	inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	snprintf(buf + strlen(buf), size - strlen(buf), "/96");
}

static void
fmt_client(const uint8_t *addr, char *buf, size_t size)
{
	inet_ntop(AF_INET, addr + 12, buf, (socklen_t)size);
}

struct ev_ctx {
	struct mx_ctl *x;
	const char *reason;
	uint32_t n;
};

/* A roam.removed event for 'e'. The PLAT's two entries of one client go
 * together: the event names the ROAM_FROM one only. */
static void
removed_cb(const struct roam_entry *e, void *arg)
{
	struct ev_ctx *c = arg;
	char client[INET_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4];

	c->n++;
	if (e->kind == ROAM_TO)
		return;
	fmt_client(e->addr, client, sizeof(client));
	fmt96(e->target, pfx, sizeof(pfx));
	mx_ctl_event(c->x, "roam.removed", "kind",
		     e->kind == ROAM_CLAT ? "clat" : "plat", "client", client,
		     e->kind == ROAM_CLAT ? "plat" : "from", pfx,
		     "reason", c->reason, NULL);
}

/* --- the PLAT changes (cmd_xlat.c) --------------------------------- */

struct pin_ctx {
	struct mx_ctl *x;
	const uint8_t *clat96;
	const uint8_t *plat96;
	uint64_t now, expires, since_s;
	uint32_t pinned, full;
	unsigned int lease;		/* seconds, for the events */
};

static void
key_of(uint8_t *key, const uint8_t *pfx96, uint32_t ip4)
{
	memcpy(key, pfx96, ROAM_PFX_LEN);
	memcpy(key + ROAM_PFX_LEN, &ip4, 4);
}

static void
pin_one(struct pin_ctx *p, uint32_t ip4)
{
	char client[INET_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4], lease[16];
	const struct roam_entry *e;
	uint8_t key[16];
	int rc;

	key_of(key, p->clat96, ip4);
	/* A client pinned before, or roamed here, keeps its entry; one
	 * whose lease ran out (mx_roam_poll has not reaped it yet) is as
	 * absent, as the workers already take it. */
	e = roam_db_find(p->x->dp->roam_db, ROAM_CLAT, key);
	if (e != NULL && e->expires > p->now)
		return;
	rc = roam_db_add(p->x->dp->roam_db, ROAM_CLAT, key, p->plat96,
			 p->expires, NULL);
	if (rc < 0) {
		p->full++;
		return;
	}
	p->pinned++;
	/* As for roam.add: whoever mirrors the table sees the entry come
	 * (it sees it go, plat_gone or expired, too). */
	fmt_client(key, client, sizeof(client));
	fmt96(p->plat96, pfx, sizeof(pfx));
	snprintf(lease, sizeof(lease), "%u", p->lease);
	mx_ctl_event(p->x, "roam.added", "kind", "clat", "client", client,
		     "plat", pfx, "lease", lease, NULL);
}

uint32_t
mx_roam_plat_changed(struct mx_ctl *x, const struct pkt_pfx6 *old)
{
	struct mx_dp *dp = x->dp;
	const struct conf_roam *rc = &dp->snap->conf->roam;
	const struct xlat_cfg *xc = &dp->snap->xlat;
	char err[CONF_ERR_SIZE];
	struct pin_ctx p;
	uint64_t now;
	unsigned int i, j;

	if (dp->roam_db == NULL || old == NULL || old->len != 96 ||
	    xc->local6.len != 96 || rc->pin_recent == 0)
		return 0;
	now = mx_now_ms(dp);
	memset(&p, 0, sizeof(p));
	p.x = x;
	p.clat96 = xc->local6.addr;
	p.plat96 = old->addr;
	p.now = now;
	p.lease = rc->pin_lease;
	p.expires = now + (uint64_t)rc->pin_lease * 1000;
	p.since_s = now / 1000 > rc->pin_recent ?
		    now / 1000 - rc->pin_recent : 0;
	for (i = 0; i < dp->n_workers; i++)
		for (j = 0; j < MX_SEEN_SLOTS; j++) {
			uint64_t v = __atomic_load_n(&x->w[i]->seen[j],
						     __ATOMIC_RELAXED);

			if (v != 0 && (v & 0xffffffffu) >= p.since_s)
				pin_one(&p, htonl((uint32_t)(v >> 32)));
		}
	if (p.pinned != 0 && publish(dp, err) != 0)
		fprintf(stderr, "meshxlat: %s\n", err);
	if (p.full != 0)
		fprintf(stderr, "meshxlat: roam: %u clients not pinned to "
			"their PLAT: the table is full (roam.max_entries)\n",
			p.full);
	return p.pinned;
}

uint32_t
mx_roam_plat_gone(struct mx_ctl *x, const struct pkt_pfx6 *gone)
{
	struct mx_dp *dp = x->dp;
	struct ev_ctx c = { .x = x, .reason = "plat_gone" };
	char err[CONF_ERR_SIZE];

	if (dp->roam_db == NULL || gone->len != 96)
		return 0;
	roam_db_del_target(dp->roam_db, ROAM_CLAT, gone->addr, removed_cb,
			   &c);
	if (c.n != 0 && publish(dp, err) != 0)
		fprintf(stderr, "meshxlat: %s\n", err);
	return c.n;
}

void
mx_roam_poll(struct mx_ctl *x)
{
	static double last;
	struct ev_ctx c = { .x = x, .reason = "expired" };
	char err[CONF_ERR_SIZE];
	double t = mx_now();

	if (x->dp->roam_db == NULL || t - last < 1.0)
		return;
	last = t;
	roam_db_expire(x->dp->roam_db, mx_now_ms(x->dp), removed_cb, &c);
	if (c.n != 0 && publish(x->dp, err) != 0)
		fprintf(stderr, "meshxlat: %s\n", err);
}

/* --- roam.add/del/list ---------------------------------------------- */

static int
need_roam(const struct mx_ctl *x, struct ctl_out *o)
{
	if (x->dp->roam_db == NULL)
		return ctl_err(o, CTL_E_FAILED, NULL, "roaming is off (the "
			       "config has no roam section)");
	return 0;
}

/* A /96 parameter into 'out' (12 bytes). */
static int
arg96(const struct ctl_args *a, struct ctl_out *o, const char *name,
      uint8_t *out)
{
	const struct ctl_val *v = ctl_arg(a, name);

	if (v == NULL || !v->set)
		return ctl_err(o, CTL_E_PARAMS, name, "%s: missing", name);
	if (v->family != 6 || v->p6.len != 96)
		return ctl_err(o, CTL_E_PARAMS, name, "%s: must be an IPv6 "
			       "/96 (seed 003: a node's CLAT or PLAT prefix)",
			       name);
	memcpy(out, v->p6.addr, ROAM_PFX_LEN);
	return 0;
}

static int
arg_client(const struct ctl_args *a, struct ctl_out *o, uint32_t *ip4)
{
	const struct ctl_val *v = ctl_arg(a, "client");

	if (v->family != 4)
		return ctl_err(o, CTL_E_PARAMS, "client", "client: must be "
			       "the client's IPv4 address");
	*ip4 = htonl(v->p4.addr);
	return 0;
}

/*
 * Kind plat: client 'ip4' roamed from the node of CLAT /96 'from' (CLATD)
 * to that of 'to' (CLATB). Two entries, rofromD (ROAM_FROM, CLATB:ip ->
 * CLATD) and rotoB (ROAM_TO, CLATD:ip -> CLATB), that live and go
 * together: a pair is named by (client, from), as roam.del names it.
 *
 * What the new pair displaces goes whole: the pair (ip, from) with
 * another 'to' (the client roamed on: its rofromD half is keyed by the
 * older node's address), and the pair of another 'from' whose rofromD
 * key is the new one's (CLATB:ip: the address is one client's). Without
 * that, a stray half would keep remapping, and roam.del of one pair
 * would delete the other's half. Their rofromD entries are copied to
 * 'gone' (at most 2, *n_gone of them) for the roam.removed events.
 *
 * Returns 0 (added), 1 (it replaced something), -ENOSPC when the db
 * cannot take the new entries (checked first: then nothing changed), or
 * another error of roam_db_add(), after which the db is as it was.
 */
static int
plat_pair_add(struct roam_db *db, uint32_t ip4, const uint8_t *from,
	      const uint8_t *to, uint64_t expires, struct roam_entry *gone,
	      unsigned int *n_gone)
{
	uint8_t kfrom[16], kto[16], k[16];
	struct roam_entry saved[4];
	const struct roam_entry *e, *f;
	unsigned int n_saved = 0, i, need;
	int rc;

	*n_gone = 0;
	key_of(kfrom, to, ip4);		/* rofromD: CLATB:ip -> CLATD */
	key_of(kto, from, ip4);		/* rotoB: CLATD:ip -> CLATB */
	need = (roam_db_find(db, ROAM_FROM, kfrom) == NULL) +
	       (roam_db_find(db, ROAM_TO, kto) == NULL);
	/* The pair (ip, from) with another 'to': its rofromD half. */
	e = roam_db_find(db, ROAM_TO, kto);
	if (e != NULL && memcmp(e->target, to, ROAM_PFX_LEN) != 0) {
		key_of(k, e->target, ip4);
		f = roam_db_find(db, ROAM_FROM, k);
		if (f != NULL && memcmp(f->target, from, ROAM_PFX_LEN) == 0)
			saved[n_saved++] = *f;
	}
	/* The pair of another 'from' on the new rofromD key: its rotoB. */
	e = roam_db_find(db, ROAM_FROM, kfrom);
	if (e != NULL && memcmp(e->target, from, ROAM_PFX_LEN) != 0) {
		key_of(k, e->target, ip4);
		f = roam_db_find(db, ROAM_TO, k);
		if (f != NULL && memcmp(f->target, to, ROAM_PFX_LEN) == 0)
			saved[n_saved++] = *f;
	}
	if (roam_db_count(db) - n_saved + need > roam_db_capacity(db))
		return -ENOSPC;
	for (i = 0; i < n_saved; i++)
		roam_db_del(db, saved[i].kind, saved[i].addr, NULL);
	rc = roam_db_add(db, ROAM_FROM, kfrom, from, expires, &saved[2]);
	if (rc >= 0) {
		int rc2 = roam_db_add(db, ROAM_TO, kto, to, expires,
				      &saved[3]);

		if (rc2 < 0) {
			/* Back as it was: the first add, then the halves. */
			if (rc == 0)
				roam_db_del(db, ROAM_FROM, kfrom, NULL);
			else
				roam_db_add(db, ROAM_FROM, kfrom,
					    saved[2].target, saved[2].expires,
					    NULL);
			for (i = 0; i < n_saved; i++)
				roam_db_add(db, saved[i].kind, saved[i].addr,
					    saved[i].target, saved[i].expires,
					    NULL);
			return rc2;
		}
		if (rc == 1)
			gone[(*n_gone)++] = saved[2];
	} else {
		for (i = 0; i < n_saved; i++)
			roam_db_add(db, saved[i].kind, saved[i].addr,
				    saved[i].target, saved[i].expires, NULL);
		return rc;
	}
	for (i = 0; i < n_saved; i++)
		if (saved[i].kind == ROAM_FROM)
			gone[(*n_gone)++] = saved[i];
	return n_saved != 0 || rc == 1 ? 1 : 0;
}

static int
need_clat96(const struct mx_ctl *x, struct ctl_out *o)
{
	const struct mx_snap *sn = x->dp->snap;

	if (!sn->clat_on || sn->xlat.local6.len != 96)
		return ctl_err(o, CTL_E_FAILED, "kind", "kind clat: this node "
			       "runs no CLAT with a /96 CLAT prefix");
	return 0;
}

static int
need_plat(const struct mx_ctl *x, struct ctl_out *o)
{
	if (x->dp->plat == NULL)
		return ctl_err(o, CTL_E_FAILED, "kind", "kind plat: this node "
			       "runs no PLAT");
	return 0;
}

static int
roam_add(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct mx_dp *dp = x->dp;
	const int64_t lease = ctl_arg(a, "lease")->i;
	const int is_clat = ctl_arg(a, "kind")->i == 0;
	uint8_t key[16], t1[ROAM_PFX_LEN], t2[ROAM_PFX_LEN];
	char err[CONF_ERR_SIZE], client[INET_ADDRSTRLEN];
	char p1[INET6_ADDRSTRLEN + 4], p2[INET6_ADDRSTRLEN + 4];
	struct roam_entry gone[2];
	unsigned int n_gone = 0, i;
	uint64_t expires;
	uint32_t ip4 = 0;
	int rc, was_key, dropped = 0;

	if ((rc = need_roam(x, o)) != 0 || (rc = arg_client(a, o, &ip4)) != 0)
		return rc;
	/* seed 003: "set the LEASETIME in this packet to 1 seconds (worse
	 * 0)": neither 0 nor more than the operator allows. */
	if (lease < 1 || lease > dp->snap->conf->roam.max_lease)
		return ctl_err(o, CTL_E_PARAMS, "lease", "lease: %lld: must "
			       "be between 1 and %u seconds (roam.max_lease)",
			       (long long)lease, dp->snap->conf->roam.max_lease);
	expires = mx_now_ms(dp) + (uint64_t)lease * 1000;
	if (is_clat) {
		if ((rc = need_clat96(x, o)) != 0 ||
		    (rc = arg96(a, o, "plat", t1)) != 0)
			return rc;
		key_of(key, dp->snap->xlat.local6.addr, ip4);
		rc = roam_db_add(dp->roam_db, ROAM_CLAT, key, t1, expires,
				 &gone[0]);
		n_gone = rc == 1;
	} else {
		if ((rc = need_plat(x, o)) != 0 ||
		    (rc = arg96(a, o, "from", t1)) != 0 ||
		    (rc = arg96(a, o, "to", t2)) != 0)
			return rc;
		if (memcmp(t1, t2, ROAM_PFX_LEN) == 0)
			return ctl_err(o, CTL_E_PARAMS, "to", "to: the same "
				       "prefix as from");
		/* rofromD: CLATB:CLIENTIP -> CLATD; rotoB: CLATD:CLIENTIP
		 * -> CLATB. Both or neither. */
		key_of(key, t2, ip4);
		rc = plat_pair_add(dp->roam_db, ip4, t1, t2, expires, gone,
				   &n_gone);
	}
	if (rc == -ENOSPC || rc == -ENOBUFS)
		return ctl_err(o, CTL_E_LIMIT, NULL, "the remap table is full "
			       "(roam.max_entries)");
	if (rc < 0)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "roam: %s",
			       strerror(-rc));
	was_key = rc == 1;
	if ((rc = publish(dp, err)) != 0)
		return ctl_err(o, CTL_E_FAILED, NULL, "%s", err);
	fmt_client(key, client, sizeof(client));
	fmt96(t1, p1, sizeof(p1));
	ctl_out_str(o, "kind", is_clat ? "clat" : "plat");
	ctl_out_str(o, "client", client);
	if (is_clat) {
		ctl_out_str(o, "plat", p1);
	} else {
		fmt96(t2, p2, sizeof(p2));
		ctl_out_str(o, "from", p1);
		ctl_out_str(o, "to", p2);
	}
	ctl_out_u64(o, "lease", (uint64_t)lease);
	ctl_out_bool(o, "replaced", was_key || dropped);
	snprintf(err, sizeof(err), "%lld", (long long)lease);
	if (was_key || dropped) {
		struct ev_ctx c = { .x = x, .reason = "replaced" };

		for (i = 0; i < n_gone; i++)
			removed_cb(&gone[i], &c);
	}
	if (is_clat)
		mx_ctl_event(x, "roam.added", "kind", "clat", "client",
			     client, "plat", p1, "lease", err, NULL);
	else
		mx_ctl_event(x, "roam.added", "kind", "plat", "client",
			     client, "from", p1, "to", p2, "lease", err, NULL);
	return 0;
}

static int
roam_del(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct mx_dp *dp = x->dp;
	const int is_clat = ctl_arg(a, "kind")->i == 0;
	struct ev_ctx c = { .x = x, .reason = "deleted" };
	uint8_t key[16], key2[16], t1[ROAM_PFX_LEN];
	char err[CONF_ERR_SIZE];
	struct roam_entry old;
	uint32_t ip4 = 0;
	int rc;

	if ((rc = need_roam(x, o)) != 0 || (rc = arg_client(a, o, &ip4)) != 0)
		return rc;
	if (is_clat) {
		if ((rc = need_clat96(x, o)) != 0)
			return rc;
		key_of(key, dp->snap->xlat.local6.addr, ip4);
		if (roam_db_del(dp->roam_db, ROAM_CLAT, key, &old) == 0)
			removed_cb(&old, &c);
	} else {
		const struct roam_entry *e;

		if ((rc = arg96(a, o, "from", t1)) != 0)
			return rc;
		/* The ROAM_TO entry (CLATD:CLIENTIP) names the new
		 * address, whose entry goes with it. */
		key_of(key2, t1, ip4);
		e = roam_db_find(dp->roam_db, ROAM_TO, key2);
		if (e != NULL) {
			const struct roam_entry *f;

			key_of(key, e->target, ip4);
			roam_db_del(dp->roam_db, ROAM_TO, key2, NULL);
			f = roam_db_find(dp->roam_db, ROAM_FROM, key);
			if (f != NULL &&
			    memcmp(f->target, t1, ROAM_PFX_LEN) == 0 &&
			    roam_db_del(dp->roam_db, ROAM_FROM, key, &old) == 0)
				removed_cb(&old, &c);
			else
				c.n++;	/* a lone half; plat_pair_add
					 * leaves none */
		}
	}
	if (c.n != 0 && (rc = publish(dp, err)) != 0)
		return ctl_err(o, CTL_E_FAILED, NULL, "%s", err);
	ctl_out_u64(o, "removed", c.n);
	return 0;
}

struct list_ctx {
	struct ctl_out *o;
	int kind;			/* -1: every kind */
	uint64_t now;
};

static int
list_one(const struct roam_entry *e, void *arg)
{
	const struct list_ctx *l = arg;
	char client[INET_ADDRSTRLEN], p1[INET6_ADDRSTRLEN + 4];
	char p2[INET6_ADDRSTRLEN + 4];

	if (e->kind == ROAM_TO || e->expires <= l->now)
		return 0;
	if (l->kind >= 0 && (l->kind == 0) != (e->kind == ROAM_CLAT))
		return 0;
	fmt_client(e->addr, client, sizeof(client));
	ctl_out_obj(l->o, NULL);
	ctl_out_str(l->o, "kind", e->kind == ROAM_CLAT ? "clat" : "plat");
	ctl_out_str(l->o, "client", client);
	if (e->kind == ROAM_CLAT) {
		fmt96(e->target, p1, sizeof(p1));
		ctl_out_str(l->o, "plat", p1);
	} else {
		fmt96(e->target, p1, sizeof(p1));
		fmt96(e->addr, p2, sizeof(p2));
		ctl_out_str(l->o, "from", p1);
		ctl_out_str(l->o, "to", p2);
	}
	ctl_out_u64(l->o, "expires_in", (e->expires - l->now + 999) / 1000);
	ctl_out_end(l->o);
	return 0;
}

static int
roam_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct ctl_val *k = ctl_arg(a, "kind");
	struct list_ctx l = { .o = o, .kind = -1 };
	int rc;

	if ((rc = need_roam(x, o)) != 0)
		return rc;
	if (k != NULL && k->set)
		l.kind = (int)k->i;
	l.now = mx_now_ms(x->dp);
	ctl_out_arr(o, "entries");
	roam_db_walk(x->dp->roam_db, list_one, &l);
	ctl_out_end(o);
	ctl_out_u64(o, "capacity", roam_db_capacity(x->dp->roam_db));
	ctl_out_u64(o, "used", roam_db_count(x->dp->roam_db));
	return 0;
}

static const struct ctl_param add_params[] = {
	{ .name = "kind", .type = CTL_T_ENUM, .choices = "clat|plat",
	  .required = 1, .help = "clat: this node is the client's new node "
	  "(B); plat: this node is its PLAT (C)" },
	{ .name = "client", .type = CTL_T_IP, .required = 1,
	  .help = "the client's IPv4 address (CLIENTIP)" },
	{ .name = "plat", .type = CTL_T_PFX,
	  .help = "kind clat: the /96 of the PLAT the client keeps (PLATC)" },
	{ .name = "from", .type = CTL_T_PFX,
	  .help = "kind plat: the client's old CLAT /96 (CLATD)" },
	{ .name = "to", .type = CTL_T_PFX,
	  .help = "kind plat: its new node's CLAT /96 (CLATB)" },
	{ .name = "lease", .type = CTL_T_INT, .required = 1, .min = 0,
	  .max = INT32_MAX, .help = "seconds the entry lives (LEASETIME)" },
	{ .name = NULL },
};

static const struct ctl_param del_params[] = {
	{ .name = "kind", .type = CTL_T_ENUM, .choices = "clat|plat",
	  .required = 1, .help = "as roam.add" },
	{ .name = "client", .type = CTL_T_IP, .required = 1,
	  .help = "the client's IPv4 address" },
	{ .name = "from", .type = CTL_T_PFX,
	  .help = "kind plat: the client's old CLAT /96" },
	{ .name = NULL },
};

static const struct ctl_param list_params[] = {
	{ .name = "kind", .type = CTL_T_ENUM, .choices = "clat|plat",
	  .help = "only this kind" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "roam.add", .fn = roam_add, .params = add_params,
	  .flags = CTL_F_WRITE,
	  .help = "remap a roamed client (seed 003's ipset add + NETMAP)" },
	{ .method = "roam.del", .fn = roam_del, .params = del_params,
	  .flags = CTL_F_WRITE, .help = "forget a roamed client" },
	{ .method = "roam.list", .fn = roam_list, .params = list_params,
	  .help = "the remap entries with the seconds they have left" },
};

/* The config's roam.entries, as if roam.add had come for each. */
static int
add_static(struct mx_dp *dp, char *err)
{
	const struct conf_roam *rc = &dp->snap->conf->roam;
	const struct xlat_cfg *xc = &dp->snap->xlat;
	const uint64_t now = mx_now_ms(dp);
	unsigned int i;
	uint8_t key[16];
	int r;

	for (i = 0; i < rc->n_entries; i++) {
		const struct conf_roam_entry *e = &rc->entries[i];
		const uint64_t exp = now + (uint64_t)e->lease * 1000;

		if (!e->is_plat && (!dp->snap->clat_on || xc->local6.len != 96)) {
			snprintf(err, CONF_ERR_SIZE, "roam.entries[%u]: kind "
				 "clat needs a CLAT with a /96 prefix", i);
			return -EINVAL;
		}
		if (e->is_plat && dp->plat == NULL) {
			snprintf(err, CONF_ERR_SIZE, "roam.entries[%u]: kind "
				 "plat needs a plat section", i);
			return -EINVAL;
		}
		/* As roam.add: a client that roamed to where it was is
		 * no remap (and the two halves would share one key's
		 * address). */
		if (e->is_plat && memcmp(e->a, e->b, ROAM_PFX_LEN) == 0) {
			snprintf(err, CONF_ERR_SIZE, "roam.entries[%u]: to: "
				 "the same prefix as from", i);
			return -EINVAL;
		}
		if (!e->is_plat) {
			key_of(key, xc->local6.addr, e->client);
			r = roam_db_add(dp->roam_db, ROAM_CLAT, key, e->a, exp,
					NULL);
		} else {
			struct roam_entry gone[2];
			unsigned int n_gone;

			r = plat_pair_add(dp->roam_db, e->client, e->a, e->b,
					  exp, gone, &n_gone);
		}
		if (r < 0) {
			snprintf(err, CONF_ERR_SIZE, "roam.entries[%u]: %s "
				 "(roam.max_entries)", i, strerror(-r));
			return r;
		}
	}
	return rc->n_entries != 0 ? publish(dp, err) : 0;
}

int
mx_cmd_roam_init(struct mx_ctl *x, char *err)
{
	int rc;

	/* x->dp is NULL when only the registry is wanted (--rpc-md). */
	if (x->dp != NULL && x->dp->roam_db != NULL &&
	    (rc = add_static(x->dp, err)) != 0)
		return rc;
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
