/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control plane on the main lcore: the one command registry (lib/ctl)
 * filled by the cmd_*.c groups, the JSON-RPC control socket, events, and
 * config changes as transactions (mx_ctl_apply: validate everything, build
 * a snapshot, publish it, then report success; Jool's atomic_config.c).
 *
 * Nothing here touches a packet or waits for a worker: a published
 * snapshot is freed by mx_snap_reclaim() once the workers have passed a
 * quiescent point, checked each time the control loop turns.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "mx.h"

double
mx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
mx_ctl_register(struct mx_ctl *x, struct ctl_cmd *cmds, unsigned int n,
		char *err)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		cmds[i].arg = x;
		rc = ctl_register(x->reg, &cmds[i]);
		if (rc != 0) {
			snprintf(err, CONF_ERR_SIZE, "command %s: %s",
				 cmds[i].method, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int
mx_ctl_init(struct mx_ctl *x, char *err)
{
	int rc;

	x->reg = ctl_registry_create();
	if (x->reg == NULL) {
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		return -ENOMEM;
	}
	if ((rc = ctl_events_register(x->reg)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "events commands: %s",
			 strerror(-rc));
		return rc;
	}
	if ((rc = mx_cmd_sys_init(x, err)) != 0 ||
	    (rc = mx_cmd_stats_init(x, err)) != 0 ||
	    (rc = mx_cmd_net_init(x, err)) != 0 ||
	    (rc = mx_cmd_xlat_init(x, err)) != 0 ||
	    (rc = mx_cmd_prefix_init(x, err)) != 0 ||
	    (rc = mx_cmd_roam_init(x, err)) != 0 ||
	    (rc = mx_cmd_tap_init(x, err)) != 0 ||
	    (rc = mx_cmd_plat_init(x, err)) != 0 ||
	    (rc = mx_cmd_fw_init(x, err)) != 0)
		return rc;
	return 0;
}

int
mx_ctl_listen(struct mx_ctl *x, const char *path, char *err)
{
	const struct conf_control *k = &x->dp->snap->conf->control;
	struct ctl_rpc_cfg cfg = {
		.path = path != NULL ? path : k->socket,
		.mode = k->mode,
		.gid = (gid_t)-1,
		.max_clients = k->max_clients,
	};

	if (path == NULL && !k->enabled)
		return 0;
	if (k->group[0] != '\0') {
		struct group *g = getgrnam(k->group);

		if (g == NULL) {
			snprintf(err, CONF_ERR_SIZE, "control.group: '%s': no "
				 "such group", k->group);
			return -ENOENT;
		}
		cfg.gid = g->gr_gid;
	}
	x->rpc = ctl_rpc_create(x->reg, &cfg, err, CONF_ERR_SIZE);
	return x->rpc != NULL ? 0 : -EINVAL;
}

void
mx_ctl_fini(struct mx_ctl *x)
{
	mx_cmd_fw_fini();
	ctl_rpc_free(x->rpc);
	x->rpc = NULL;
	ctl_registry_free(x->reg);
	x->reg = NULL;
}

void
mx_ctl_poll(struct mx_ctl *x, int timeout_ms)
{
	if (x->rpc != NULL)
		ctl_rpc_poll(x->rpc, timeout_ms);
	else if (timeout_ms > 0)
		nanosleep(&(struct timespec){ .tv_nsec = timeout_ms * 1000000L },
			  NULL);
	if (x->dp->tap != NULL)
		mx_tap_poll(x);
	mx_plat_poll(x->dp);
	mx_plat_events(x);
	mx_fw_poll(x);
	mx_fw_commit_poll(x);
	mx_roam_poll(x);
	mx_kroute_poll(x);
	mx_snap_reclaim(x->dp);
}

struct ev_pairs {
	const char *kv[16];
	unsigned int n;
};

static void
fill_pairs(struct ctl_out *o, void *arg)
{
	const struct ev_pairs *p = arg;
	unsigned int i;

	for (i = 0; i + 1 < p->n; i += 2)
		ctl_out_str(o, p->kv[i], p->kv[i + 1]);
}

void
mx_ctl_event(struct mx_ctl *x, const char *name, ...)
{
	struct ev_pairs p = { .n = 0 };
	const char *s;
	va_list ap;

	if (x->rpc == NULL)
		return;
	va_start(ap, name);
	while (p.n < RTE_DIM(p.kv) && (s = va_arg(ap, const char *)) != NULL)
		p.kv[p.n++] = s;
	va_end(ap);
	ctl_rpc_event(x->rpc, name, fill_pairs, &p);
}

/*
 * What a running daemon cannot change: its ports (devices, queues, MACs
 * and addresses are set up once), its workers and its control socket.
 * Returns 0, or -EINVAL with the first difference named in 'err'.
 */
static int
check_fixed(const struct conf *old, const struct conf *c, char *err)
{
	unsigned int i;

	if (old->n_ports != c->n_ports) {
		snprintf(err, CONF_ERR_SIZE, "ports: %u ports instead of %u: "
			 "ports cannot change while running; restart "
			 "meshxlat", c->n_ports, old->n_ports);
		return -EINVAL;
	}
	for (i = 0; i < c->n_ports; i++) {
		struct conf_port a = old->ports[i], b = c->ports[i];

		/* IPv6 addresses may change: the ISP's delegated prefix
		 * does (prefix.set, doc/home-gateway.md). */
		a.n_ip6 = b.n_ip6 = 0;
		memset(a.ip6, 0, sizeof(a.ip6));
		memset(b.ip6, 0, sizeof(b.ip6));
		if (memcmp(&a, &b, sizeof(a)) != 0) {
			snprintf(err, CONF_ERR_SIZE, "ports[%u] (%s): changed: "
				 "ports cannot change while running; restart "
				 "meshxlat", i, c->ports[i].name);
			return -EINVAL;
		}
	}
	if (memcmp(&old->workers, &c->workers, sizeof(c->workers)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "workers: changed: restart "
			 "meshxlat to change workers");
		return -EINVAL;
	}
	if (memcmp(&old->plat, &c->plat, offsetof(struct conf_plat,
						    static_bib)) != 0 ||
	    (c->plat.n_static != 0 &&
	     memcmp(old->plat.static_bib, c->plat.static_bib,
		    c->plat.n_static * sizeof(*c->plat.static_bib)) != 0) ||
	    strcmp(old->plat.snapshot, c->plat.snapshot) != 0 ||
	    strcmp(old->plat.block_log, c->plat.block_log) != 0) {
		snprintf(err, CONF_ERR_SIZE, "plat: changed: restart "
			 "meshxlat to change the PLAT (its sessions are "
			 "kept in plat.snapshot)");
		return -EINVAL;
	}
	if (memcmp(&old->firewall.conn, &c->firewall.conn,
		   sizeof(c->firewall.conn)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "firewall.conntrack: changed: "
			 "restart meshxlat to resize connection tracking");
		return -EINVAL;
	}
	if (old->roam.enabled != c->roam.enabled ||
	    old->roam.max_entries != c->roam.max_entries) {
		snprintf(err, CONF_ERR_SIZE, "roam: turned on or off or "
			 "resized: restart meshxlat");
		return -EINVAL;
	}
	if (memcmp(&old->control, &c->control, sizeof(c->control)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "control: changed: restart "
			 "meshxlat to move the control socket");
		return -EINVAL;
	}
	return 0;
}

static void
neigh_key_of(const struct mx_dp *dp, const struct conf_neigh *e,
	     struct mx_neigh_key *k)
{
	const struct mx_port *p = mx_port_by_conf(dp, e->port);
	uint16_t port = p != NULL ? p->id : MX_NO_PORT;

	if (e->family == 4)
		mx_neigh_key4(k, port, e->ip4);
	else
		mx_neigh_key6(k, port, e->ip6);
}

/* Static neighbours of the old config that the new one drops go; the
 * new ones are set (replacing learned entries for the same address). */
static int
apply_neighs(struct mx_dp *dp, const struct conf *old, const struct conf *c,
	     char *err)
{
	struct mx_neigh_key k, k2;
	unsigned int i, j;

	for (i = 0; i < old->n_neighs; i++) {
		neigh_key_of(dp, &old->neighs[i], &k);
		for (j = 0; j < c->n_neighs; j++) {
			neigh_key_of(dp, &c->neighs[j], &k2);
			if (memcmp(&k, &k2, sizeof(k)) == 0)
				break;
		}
		if (j == c->n_neighs)
			mx_neigh_del(dp, &k);
	}
	for (i = 0; i < c->n_neighs; i++) {
		struct rte_ether_addr mac;

		neigh_key_of(dp, &c->neighs[i], &k);
		memcpy(mac.addr_bytes, c->neighs[i].mac, RTE_ETHER_ADDR_LEN);
		if (mx_neigh_set_static(dp, &k, &mac) != 0) {
			snprintf(err, CONF_ERR_SIZE, "neighbours[%u]: the "
				 "neighbour table is full", i);
			return -ENOSPC;
		}
	}
	return 0;
}

int
mx_ctl_apply(struct mx_ctl *x, struct conf *c, char *err)
{
	struct mx_dp *dp = x->dp;
	const struct conf *old = dp->snap->conf;
	struct mx_snap *sn;
	int rc;

	if ((rc = check_fixed(old, c, err)) != 0 ||
	    (rc = mx_kroute_merge(c, err)) != 0)
		return rc;
	/* Route tables are ~100 MB: let the previous change's go first. */
	mx_snap_reclaim_wait(dp, 0.1);
	sn = mx_snap_build(dp, c, err);
	/* Out of memory while old tables still wait for a slow worker (a
	 * loaded machine descheduled it): wait for them, then once more. */
	if (sn == NULL && dp->n_retired > 0) {
		mx_snap_reclaim_wait(dp, 2.0);
		sn = mx_snap_build(dp, c, err);
	}
	if (sn == NULL)
		return -EINVAL;
	/* The neighbours go first: a route of the new config may need a
	 * static neighbour it brings. A failure here leaves the table with
	 * the new statics added, which the old routes do not mind. */
	if ((rc = apply_neighs(dp, old, c, err)) != 0 ||
	    (rc = mx_snap_publish(dp, sn, err)) != 0) {
		sn->conf = NULL;	/* the caller frees 'c' */
		mx_snap_free(sn);
		return rc;
	}
	return 0;
}
