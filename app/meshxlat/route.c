/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding tables of a snapshot (snap.c): rte_fib (DIR24_8) for IPv4
 * and rte_fib6 (TRIE) for IPv6, holding indices into one next-hop table.
 * Inserted, most specific
 * wins: our own addresses (/32, /128, link-locals) as LOCAL, the CLAT
 * prefix as CLAT, connected subnets of the port addresses, static routes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_malloc.h>

#include "mx.h"

#define MAX_NH		(1u << 15)	/* DIR24_8 with 2-byte next hops */
#define MX_FIB_NAMESIZE	32	/* rte_fib/rte_fib6 names are shorter */

static int
nh_add(struct mx_routes *rt, const struct mx_nh *nh, char *err)
{
	unsigned int i;

	for (i = 1; i < rt->n_nh; i++)
		if (memcmp(&rt->nh[i], nh, sizeof(*nh)) == 0)
			return (int)i;
	if (rt->n_nh >= MAX_NH) {
		snprintf(err, CONF_ERR_SIZE, "more than %u distinct next hops",
			 MAX_NH - 1);
		return -ENOSPC;
	}
	rt->nh[rt->n_nh] = *nh;
	return (int)rt->n_nh++;
}

static int
add4(struct mx_routes *rt, uint32_t addr, uint8_t len, const struct mx_nh *nh,
     char *err)
{
	int idx = nh_add(rt, nh, err), rc;

	if (idx < 0)
		return idx;
	rc = rte_fib_add(rt->fib4, addr, len, (uint64_t)idx);
	if (rc != 0)
		snprintf(err, CONF_ERR_SIZE, "IPv4 route %u.%u.%u.%u/%u: %s",
			 addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
			 addr & 0xff, len, rte_strerror(-rc));
	return rc;
}

static int
add6(struct mx_routes *rt, const uint8_t *addr, uint8_t len,
     const struct mx_nh *nh, char *err)
{
	int idx = nh_add(rt, nh, err), rc;
	uint8_t a[16];

	if (idx < 0)
		return idx;
	memcpy(a, addr, 16);
	rc = rte_fib6_add(rt->fib6, a, len, (uint64_t)idx);
	/* A translated packet leaves by the routes of the IPv6 world:
	 * the prefixes that stand for IPv4 hosts are not among them. */
	if (rc == 0 && nh->type != MX_NH_XLAT)
		rc = rte_fib6_add(rt->fib6_out, a, len, (uint64_t)idx);
	if (rc != 0)
		snprintf(err, CONF_ERR_SIZE, "IPv6 route /%u: %s", len,
			 rte_strerror(-rc));
	return rc;
}

/* fib names are global in EAL: one set per snapshot generation. */
static const char *
fib_name(char *buf, const char *what, uint32_t gen)
{
	snprintf(buf, MX_FIB_NAMESIZE, "mx_fib%s_%u", what, gen);
	return buf;
}

static int
build(const struct mx_dp *dp, const struct mx_snap *snap,
      struct mx_routes *rt, const struct conf *c, char *err)
{
	struct rte_fib_conf f4;
	char name[MX_FIB_NAMESIZE];
	struct rte_fib6_conf f6;
	struct mx_nh nh;
	unsigned int i, j;
	int rc;

	rt->nh = rte_zmalloc("mx_nh", MAX_NH * sizeof(*rt->nh), 0);
	if (rt->nh == NULL)
		goto nomem;
	rt->n_nh = 1;		/* [0] = MX_NH_MISS */

	memset(&f4, 0, sizeof(f4));
	f4.type = RTE_FIB_DIR24_8;
	f4.default_nh = 0;
	f4.max_routes = 1 << 16;
	f4.dir24_8.nh_sz = RTE_FIB_DIR24_8_2B;
	f4.dir24_8.num_tbl8 = 1 << 12;
	rt->fib4 = rte_fib_create(fib_name(name, "4", snap->gen), SOCKET_ID_ANY,
				  &f4);
	if (rt->fib4 == NULL)
		goto nomem;
	memset(&f6, 0, sizeof(f6));
	f6.type = RTE_FIB6_TRIE;
	f6.default_nh = 0;
	f6.max_routes = 1 << 16;
	f6.trie.nh_sz = RTE_FIB6_TRIE_2B;
	f6.trie.num_tbl8 = 1 << 13;
	rt->fib6 = rte_fib6_create(fib_name(name, "6", snap->gen), SOCKET_ID_ANY,
				   &f6);
	rt->fib6_out = rte_fib6_create(fib_name(name, "6o", snap->gen),
				       SOCKET_ID_ANY, &f6);
	if (rt->fib6 == NULL || rt->fib6_out == NULL)
		goto nomem;

	/* Static routes first: connected subnets and own addresses below
	 * replace an identical static prefix, which is what a router does. */
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];
		uint16_t port = UINT16_MAX;

		for (j = 0; j < dp->n_ports; j++)
			if (!dp->ports[dp->port_ids[j]].is_mirror &&
			    dp->ports[dp->port_ids[j]].conf_idx == r->port)
				port = dp->port_ids[j];
		memset(&nh, 0, sizeof(nh));
		/* An address of the kernel's: for the box, through the
		 * port's mirror (ST_LOCAL6 punts what it does not answer). */
		nh.type = r->local ? MX_NH_LOCAL : MX_NH_FWD;
		nh.port = port;
		nh.has_via = r->has_via;
		nh.via4 = r->via4;
		memcpy(nh.via6, r->via6, 16);
		rc = r->family == 4 ?
		     add4(rt, r->pfx4.addr, r->pfx4.len, &nh, err) :
		     add6(rt, r->pfx6.addr, r->pfx6.len, &nh, err);
		if (rc != 0)
			return rc;
	}

	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];

		if (p->is_mirror)
			continue;
		memset(&nh, 0, sizeof(nh));
		nh.type = MX_NH_FWD;
		nh.port = p->id;
		for (j = 0; j < p->n_ip4; j++) {
			rc = add4(rt, p->ip4[j].addr & pkt_mask4(p->ip4[j].len),
				  p->ip4[j].len, &nh, err);
			if (rc != 0)
				return rc;
		}
		for (j = 0; j < snap->addr6[p->id].n; j++) {
			rc = add6(rt, snap->addr6[p->id].a[j].addr,
				  snap->addr6[p->id].a[j].len, &nh, err);
			if (rc != 0)
				return rc;
		}
	}
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];

		if (p->is_mirror)
			continue;
		memset(&nh, 0, sizeof(nh));
		nh.type = MX_NH_LOCAL;
		nh.port = p->id;
		for (j = 0; j < p->n_ip4; j++)
			if ((rc = add4(rt, p->ip4[j].addr, 32, &nh, err)) != 0)
				return rc;
		for (j = 0; j < snap->addr6[p->id].n; j++)
			if ((rc = add6(rt, snap->addr6[p->id].a[j].addr, 128,
				       &nh, err)) != 0)
				return rc;
		if ((rc = add6(rt, p->ll6, 128, &nh, err)) != 0)
			return rc;
	}
	/* What the translator turns into IPv4: the CLAT prefix, or a
	 * SIIT's pool6, and the IPv6 side of every EAM. */
	memset(&nh, 0, sizeof(nh));
	nh.type = MX_NH_XLAT;
	if (snap->clat_on &&
	    (rc = add6(rt, snap->xlat.local6.addr, snap->xlat.local6.len, &nh,
		       err)) != 0)
		return rc;
	if (snap->xlat_on && !snap->clat_on && snap->xlat.has_pool6 &&
	    (rc = add6(rt, snap->xlat.pool6.addr, snap->xlat.pool6.len, &nh,
		       err)) != 0)
		return rc;
	/* The PLAT: its prefix (from the mesh, and for this node's own
	 * CLAT's output, so in both IPv6 tables), its pool, and prefix +
	 * 192.0.0.1 as the PLAT's own address (seed 003). */
	if (dp->plat != NULL) {
		const struct mx_plat *pl = dp->plat;

		memset(&nh, 0, sizeof(nh));
		nh.type = MX_NH_PLAT;
		if ((rc = add6(rt, pl->prefix.addr, pl->prefix.len, &nh,
			       err)) != 0)
			return rc;
		rc = rte_fib6_add(rt->fib6_out, (uint8_t *)pl->prefix.addr,
				  pl->prefix.len, (uint64_t)nh_add(rt, &nh, err));
		if (rc != 0)
			return rc;
		for (i = 0; i < pl->n_pool; i++)
			if ((rc = add4(rt, pl->pool[i].addr, pl->pool[i].len,
				       &nh, err)) != 0)
				return rc;
		nh.type = MX_NH_LOCAL;
		nh.port = MX_NO_PORT;
		if ((rc = add6(rt, pl->mgmt6, 128, &nh, err)) != 0)
			return rc;
	}
	for (i = 0; i < snap->xlat.n_eam; i++)
		if ((rc = add6(rt, snap->xlat.eam6[i].p6.addr,
			       snap->xlat.eam6[i].p6.len, &nh, err)) != 0)
			return rc;
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "cannot create the route tables: %s "
		 "(give EAL more memory with -m)", rte_strerror(rte_errno));
	return -ENOMEM;
}

static void
routes_free(struct mx_routes *rt)
{
	rte_fib_free(rt->fib4);
	rte_fib6_free(rt->fib6);
	rte_fib6_free(rt->fib6_out);
	rte_free(rt->nh);
	free(rt->key);
	free(rt);
}

/* Append 'len' bytes to the key being built. */
static void
key_put(uint8_t *key, size_t *off, const void *p, size_t len)
{
	if (key != NULL)
		memcpy(key + *off, p, len);
	*off += len;
}

/*
 * Everything build() reads besides the ports (which never change while
 * running, but for their IPv6 addresses), field by field so that struct padding never counts. Returns
 * the size; writes the bytes when 'key' is not NULL.
 */
static size_t
routes_key(const struct mx_snap *sn, const struct conf *c, uint8_t *key)
{
	size_t off = 0;
	unsigned int i;

	key_put(key, &off, &c->n_routes, sizeof(c->n_routes));
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];

		key_put(key, &off, &r->family, 1);
		key_put(key, &off, &r->has_via, 1);
		key_put(key, &off, &r->port, sizeof(r->port));
		key_put(key, &off, &r->pfx4.addr, 4);
		key_put(key, &off, &r->pfx4.len, 1);
		key_put(key, &off, r->pfx6.addr, 16);
		key_put(key, &off, &r->pfx6.len, 1);
		key_put(key, &off, &r->via4, 4);
		key_put(key, &off, r->via6, 16);
		key_put(key, &off, &r->local, 1);
	}
	for (i = 0; i < MX_MAX_PORTS; i++) {
		const struct mx_addrs6 *a = &sn->addr6[i];
		unsigned int j;

		key_put(key, &off, &a->n, 1);
		for (j = 0; j < a->n; j++) {
			key_put(key, &off, a->a[j].addr, 16);
			key_put(key, &off, &a->a[j].len, 1);
		}
	}
	key_put(key, &off, &sn->clat_on, 1);
	key_put(key, &off, &sn->xlat_on, 1);
	key_put(key, &off, sn->xlat.local6.addr, 16);
	key_put(key, &off, &sn->xlat.local6.len, 1);
	/* pool6 is a route only for a plain SIIT, not for a CLAT. */
	if (!sn->clat_on) {
		key_put(key, &off, &sn->xlat.has_pool6, 1);
		key_put(key, &off, sn->xlat.pool6.addr, 16);
		key_put(key, &off, &sn->xlat.pool6.len, 1);
	}
	key_put(key, &off, &sn->xlat.n_eam, sizeof(sn->xlat.n_eam));
	for (i = 0; i < sn->xlat.n_eam; i++) {
		key_put(key, &off, sn->xlat.eam6[i].p6.addr, 16);
		key_put(key, &off, &sn->xlat.eam6[i].p6.len, 1);
	}
	return off;
}

int
mx_routes_init(const struct mx_dp *dp, struct mx_snap *sn,
	       const struct mx_snap *prev, const struct conf *c, char *err)
{
	struct mx_routes *rt;
	size_t len = routes_key(sn, c, NULL);

	rt = calloc(1, sizeof(*rt));
	if (rt != NULL)
		rt->key = malloc(len);
	if (rt == NULL || rt->key == NULL) {
		free(rt);
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		return -ENOMEM;
	}
	rt->key_len = routes_key(sn, c, rt->key);
	/* Unchanged routes (a new PLAT prefix, say): share the tables
	 * rather than build another ~100 MB set. */
	if (prev != NULL && prev->rt->key_len == rt->key_len &&
	    memcmp(prev->rt->key, rt->key, len) == 0) {
		free(rt->key);
		free(rt);
		rt = prev->rt;
	} else {
		int rc = build(dp, sn, rt, c, err);

		if (rc != 0) {
			routes_free(rt);
			return rc;
		}
	}
	rt->refcnt++;
	sn->rt = rt;
	sn->fib4 = rt->fib4;
	sn->fib6 = rt->fib6;
	sn->fib6_out = rt->fib6_out;
	sn->nh = rt->nh;
	sn->n_nh = rt->n_nh;
	return 0;
}

void
mx_routes_fini(struct mx_snap *sn)
{
	if (sn->rt != NULL && --sn->rt->refcnt == 0)
		routes_free(sn->rt);
	sn->rt = NULL;
}
