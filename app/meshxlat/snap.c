/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run-time snapshots of the config: everything a worker reads that a
 * reload or a control command may change (the route tables and next
 * hops, the translator's config and EAMT, which ports translate) is
 * built into one 'struct mx_snap' on the main lcore, published by one
 * pointer store, and freed only after every worker has passed a
 * quiescent point (rte_rcu_qsbr) since the swap. A worker loads the
 * pointer once per loop turn, so a packet never sees half of two
 * configs, and nothing is dropped or misrouted by a swap (ARCHITECTURE.md
 * "Threads and state"; Jool's atomic_config.c does the same with RCU).
 *
 * The main lcore never waits for a worker: retired snapshots wait in a
 * short list with their RCU token and mx_snap_reclaim() frees those
 * whose grace period is over, each time the control loop turns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_pause.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "mx.h"

static int
cmp_eam4(const void *a, const void *b)
{
	return (int)((const struct xlat_eam *)b)->len4 -
	       (int)((const struct xlat_eam *)a)->len4;
}

static int
cmp_eam6(const void *a, const void *b)
{
	return (int)((const struct xlat_eam *)b)->p6.len -
	       (int)((const struct xlat_eam *)a)->p6.len;
}

/*
 * The translator's config from the 'siit' and 'clat' sections: a CLAT
 * maps its clients with its CLAT prefix and the rest of the IPv4 world
 * with the PLAT prefix as pool6; a plain SIIT uses pool6 for both. The
 * EAMT comes first either way, sorted longest prefix first per side.
 */
static int
setup_xlat(const struct mx_dp *dp, struct mx_snap *sn, const struct conf *c,
	   char *err)
{
	const struct conf_clat *k = &c->clat;
	const struct conf_siit *s = &c->siit;
	struct xlat_cfg *x = &sn->xlat;
	unsigned int i, j;

	xlat_cfg_init(x);
	if (!k->enabled && !s->enabled)
		return 0;
	x->zeroize_tc = s->zeroize_traffic_class;
	x->tos_override_on = s->has_override_tos;
	x->tos_override = s->override_tos;
	x->amend_udp_csum0 = s->amend_udp_checksum_zero;
	if (s->lowest_ipv6_mtu != 0)
		x->lowest_ipv6_mtu = s->lowest_ipv6_mtu;
	if (s->n_plateaus != 0) {
		x->plateaus = s->mtu_plateaus;
		x->n_plateaus = s->n_plateaus;
	}
	x->rfc6791v4 = s->rfc6791v4;
	x->n_rfc6791v4 = s->n_rfc6791v4;
	x->has_rfc6791v6 = s->has_rfc6791v6;
	x->rfc6791v6 = s->rfc6791v6;
	if (s->n_eamt != 0) {
		sn->eam4 = calloc(s->n_eamt, sizeof(*sn->eam4));
		sn->eam6 = calloc(s->n_eamt, sizeof(*sn->eam6));
		if (sn->eam4 == NULL || sn->eam6 == NULL) {
			snprintf(err, CONF_ERR_SIZE, "siit.eamt: out of memory");
			return -ENOMEM;
		}
		for (i = 0; i < s->n_eamt; i++) {
			sn->eam4[i].p6 = s->eamt[i].p6;
			sn->eam4[i].p4 = htonl(s->eamt[i].p4.addr);
			sn->eam4[i].len4 = s->eamt[i].p4.len;
		}
		memcpy(sn->eam6, sn->eam4, s->n_eamt * sizeof(*sn->eam4));
		qsort(sn->eam4, s->n_eamt, sizeof(*sn->eam4), cmp_eam4);
		qsort(sn->eam6, s->n_eamt, sizeof(*sn->eam6), cmp_eam6);
		x->eam4 = sn->eam4;
		x->eam6 = sn->eam6;
		x->n_eam = s->n_eamt;
	}

	sn->xlat_on = 1;
	if (!k->enabled) {
		/* Plain SIIT: IPv4 on every lan4 port may be translated. */
		x->has_pool6 = s->has_pool6;
		x->pool6 = s->pool6;
		for (j = 0; j < dp->n_ports; j++) {
			const struct mx_port *p = &dp->ports[dp->port_ids[j]];

			if (!p->is_mirror &&
			    c->ports[p->conf_idx].role == CONF_ROLE_LAN4)
				sn->xlat4_ports |= 1ull << p->id;
		}
		return 0;
	}
	for (j = 0; j < dp->n_ports; j++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[j]];

		if (!p->is_mirror && p->conf_idx == k->client_port)
			sn->clat_port = p->id;
	}
	if (k->has_clat_prefix) {
		x->local6 = k->clat_prefix;
	} else if (xlat_node_prefix(&k->clat_range,
			dp->ports[sn->clat_port].mac.addr_bytes,
			&x->local6) != 0) {
		snprintf(err, CONF_ERR_SIZE, "clat.clat_range: not a /48");
		return -EINVAL;
	}
	x->has_local6 = 1;
	/* No PLAT yet: IPv4 from the clients has nowhere to go until
	 * clat.plat.set names one (counted as clat_no_plat). */
	x->has_pool6 = k->has_plat_prefix;
	x->pool6 = k->plat_prefix;
	sn->clat_on = 1;
	sn->xlat4_ports = 1ull << sn->clat_port;
	return 0;
}

struct mx_snap *
mx_snap_build(const struct mx_dp *dp, struct conf *c, char *err)
{
	static uint32_t gen;
	struct mx_snap *sn;
	unsigned int i;

	sn = calloc(1, sizeof(*sn));
	if (sn == NULL) {
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		return NULL;
	}
	sn->conf = c;
	sn->gen = ++gen;
	sn->clat_port = MX_NO_PORT;
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];
		const struct conf_port *cp = &c->ports[p->conf_idx];

		if (p->is_mirror)
			continue;
		sn->addr6[p->id].n = cp->n_ip6;
		memcpy(sn->addr6[p->id].a, cp->ip6, sizeof(cp->ip6));
	}
	if (c->firewall.enabled != (dp->fw != NULL)) {
		snprintf(err, CONF_ERR_SIZE, "firewall: %s the firewall needs "
			 "a restart of meshxlat", c->firewall.enabled ?
			 "starting" : "stopping");
		sn->conf = NULL;
		mx_snap_free(sn);
		return NULL;
	}
	if (c->firewall.enabled &&
	    (sn->fw = mx_fw_snap_build(dp, c, err)) == NULL) {
		sn->conf = NULL;
		mx_snap_free(sn);
		return NULL;
	}
	if (setup_xlat(dp, sn, c, err) != 0 ||
	    mx_routes_init(dp, sn, dp->snap, c, err) != 0) {
		sn->conf = NULL;	/* the caller keeps it on failure */
		mx_snap_free(sn);
		return NULL;
	}
	return sn;
}

void
mx_snap_free(struct mx_snap *sn)
{
	if (sn == NULL)
		return;
	mx_routes_fini(sn);
	mx_fw_snap_free(sn->fw);
	free(sn->eam4);
	free(sn->eam6);
	conf_free(sn->conf);
	free(sn);
}

int
mx_rcu_init(struct mx_dp *dp, char *err)
{
	size_t sz = rte_rcu_qsbr_get_memsize(dp->n_workers);

	dp->qsbr = rte_zmalloc("mx_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (dp->qsbr == NULL ||
	    rte_rcu_qsbr_init(dp->qsbr, dp->n_workers) != 0) {
		snprintf(err, CONF_ERR_SIZE, "cannot set up RCU: %s",
			 rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

void
mx_rcu_fini(struct mx_dp *dp)
{
	unsigned int i;

	/* Workers have stopped: everything retired is unreachable. */
	for (i = 0; i < dp->n_retired; i++)
		dp->retired[i].free_fn(dp->retired[i].p);
	dp->n_retired = 0;
	rte_free(dp->qsbr);
	dp->qsbr = NULL;
}

void
mx_retire(struct mx_dp *dp, void *p, void (*free_fn)(void *p))
{
	if (p == NULL)
		return;
	if (dp->n_retired == MX_RETIRED_MAX)
		mx_snap_reclaim_wait(dp, 1.0);
	if (dp->n_retired == MX_RETIRED_MAX) {
		/* A worker has not passed a quiescent point for a second:
		 * leaking beats a use after free. */
		fprintf(stderr, "meshxlat: a worker is stuck; leaking a "
			"retired object\n");
		return;
	}
	dp->retired[dp->n_retired].p = p;
	dp->retired[dp->n_retired].free_fn = free_fn;
	dp->retired[dp->n_retired].token = rte_rcu_qsbr_start(dp->qsbr);
	dp->n_retired++;
}

int
mx_publish_ptr(struct mx_dp *dp, void **slot, void *p,
	       void (*free_fn)(void *p), char *err)
{
	void *old = *slot;

	/* Bounded: reclaim first, refuse while too many wait. */
	mx_snap_reclaim(dp);
	if (dp->n_retired == MX_RETIRED_MAX) {
		snprintf(err, CONF_ERR_SIZE, "too many changes in flight: a "
			 "worker has not passed a quiescent point (stuck?)");
		return -EBUSY;
	}
	__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	mx_retire(dp, old, free_fn);
	return 0;
}

static void
snap_free_cb(void *p)
{
	mx_snap_free(p);
}

int
mx_snap_publish(struct mx_dp *dp, struct mx_snap *sn, char *err)
{
	const struct mx_snap *old = dp->snap;
	int rc = mx_publish_ptr(dp, (void **)&dp->snap, sn, snap_free_cb, err);

	/* 'old' is retired, not freed: the next reclaim frees it. */
	if (rc == 0)
		mx_fw_publish(dp, sn, old);
	return rc;
}

void
mx_snap_reclaim_wait(struct mx_dp *dp, double max_s)
{
	uint64_t end = rte_get_timer_cycles() +
		       (uint64_t)(max_s * (double)rte_get_timer_hz());

	/* A worker turn takes microseconds: this waits for about one,
	 * bounded so that a stuck worker cannot hang the control plane. */
	while (dp->n_retired > 0 && rte_get_timer_cycles() < end) {
		mx_snap_reclaim(dp);
		if (dp->n_retired > 0)
			rte_pause();
	}
}

unsigned int
mx_snap_reclaim(struct mx_dp *dp)
{
	unsigned int i = 0, freed = 0;

	while (i < dp->n_retired) {
		if (rte_rcu_qsbr_check(dp->qsbr, dp->retired[i].token,
				       false) != 1) {
			i++;
			continue;
		}
		dp->retired[i].free_fn(dp->retired[i].p);
		dp->retired[i] = dp->retired[--dp->n_retired];
		freed++;
	}
	return freed;
}
