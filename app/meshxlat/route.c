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
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_malloc.h>

#include "mx.h"

#define MAX_NH		(1u << 15)	/* DIR24_8 with 2-byte next hops */
#define MX_FIB_NAMESIZE	32	/* rte_fib/rte_fib6 names are shorter */

static int
nh_add(struct mx_snap *sn, const struct mx_nh *nh, char *err)
{
	unsigned int i;

	for (i = 1; i < sn->n_nh; i++)
		if (memcmp(&sn->nh[i], nh, sizeof(*nh)) == 0)
			return (int)i;
	if (sn->n_nh >= MAX_NH) {
		snprintf(err, CONF_ERR_SIZE, "more than %u distinct next hops",
			 MAX_NH - 1);
		return -ENOSPC;
	}
	sn->nh[sn->n_nh] = *nh;
	return (int)sn->n_nh++;
}

static int
add4(struct mx_snap *sn, uint32_t addr, uint8_t len, const struct mx_nh *nh,
     char *err)
{
	int idx = nh_add(sn, nh, err), rc;

	if (idx < 0)
		return idx;
	rc = rte_fib_add(sn->fib4, addr, len, (uint64_t)idx);
	if (rc != 0)
		snprintf(err, CONF_ERR_SIZE, "IPv4 route %u.%u.%u.%u/%u: %s",
			 addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
			 addr & 0xff, len, rte_strerror(-rc));
	return rc;
}

static int
add6(struct mx_snap *sn, const uint8_t *addr, uint8_t len,
     const struct mx_nh *nh, char *err)
{
	int idx = nh_add(sn, nh, err), rc;
	uint8_t a[16];

	if (idx < 0)
		return idx;
	memcpy(a, addr, 16);
	rc = rte_fib6_add(sn->fib6, a, len, (uint64_t)idx);
	/* A translated packet leaves by the routes of the IPv6 world:
	 * the prefixes that stand for IPv4 hosts are not among them. */
	if (rc == 0 && nh->type != MX_NH_XLAT)
		rc = rte_fib6_add(sn->fib6_out, a, len, (uint64_t)idx);
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

int
mx_routes_init(const struct mx_dp *dp, struct mx_snap *sn,
	       const struct conf *c, char *err)
{
	struct rte_fib_conf f4;
	char name[MX_FIB_NAMESIZE];
	struct rte_fib6_conf f6;
	struct mx_nh nh;
	unsigned int i, j;
	int rc;

	sn->nh = rte_zmalloc("mx_nh", MAX_NH * sizeof(*sn->nh), 0);
	if (sn->nh == NULL)
		goto nomem;
	sn->n_nh = 1;		/* [0] = MX_NH_MISS */

	memset(&f4, 0, sizeof(f4));
	f4.type = RTE_FIB_DIR24_8;
	f4.default_nh = 0;
	f4.max_routes = 1 << 16;
	f4.dir24_8.nh_sz = RTE_FIB_DIR24_8_2B;
	f4.dir24_8.num_tbl8 = 1 << 12;
	sn->fib4 = rte_fib_create(fib_name(name, "4", sn->gen), SOCKET_ID_ANY,
				  &f4);
	if (sn->fib4 == NULL)
		goto nomem;
	memset(&f6, 0, sizeof(f6));
	f6.type = RTE_FIB6_TRIE;
	f6.default_nh = 0;
	f6.max_routes = 1 << 16;
	f6.trie.nh_sz = RTE_FIB6_TRIE_2B;
	f6.trie.num_tbl8 = 1 << 13;
	sn->fib6 = rte_fib6_create(fib_name(name, "6", sn->gen), SOCKET_ID_ANY,
				   &f6);
	sn->fib6_out = rte_fib6_create(fib_name(name, "6o", sn->gen),
				       SOCKET_ID_ANY, &f6);
	if (sn->fib6 == NULL || sn->fib6_out == NULL)
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
		nh.type = MX_NH_FWD;
		nh.port = port;
		nh.has_via = r->has_via;
		nh.via4 = r->via4;
		memcpy(nh.via6, r->via6, 16);
		rc = r->family == 4 ?
		     add4(sn, r->pfx4.addr, r->pfx4.len, &nh, err) :
		     add6(sn, r->pfx6.addr, r->pfx6.len, &nh, err);
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
			rc = add4(sn, p->ip4[j].addr & pkt_mask4(p->ip4[j].len),
				  p->ip4[j].len, &nh, err);
			if (rc != 0)
				return rc;
		}
		for (j = 0; j < p->n_ip6; j++) {
			rc = add6(sn, p->ip6[j].addr, p->ip6[j].len, &nh, err);
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
			if ((rc = add4(sn, p->ip4[j].addr, 32, &nh, err)) != 0)
				return rc;
		for (j = 0; j < p->n_ip6; j++)
			if ((rc = add6(sn, p->ip6[j].addr, 128, &nh, err)) != 0)
				return rc;
		if ((rc = add6(sn, p->ll6, 128, &nh, err)) != 0)
			return rc;
	}
	/* What the translator turns into IPv4: the CLAT prefix, or a
	 * SIIT's pool6, and the IPv6 side of every EAM. */
	memset(&nh, 0, sizeof(nh));
	nh.type = MX_NH_XLAT;
	if (sn->clat_on &&
	    (rc = add6(sn, sn->xlat.local6.addr, sn->xlat.local6.len, &nh,
		       err)) != 0)
		return rc;
	if (sn->xlat_on && !sn->clat_on && sn->xlat.has_pool6 &&
	    (rc = add6(sn, sn->xlat.pool6.addr, sn->xlat.pool6.len, &nh,
		       err)) != 0)
		return rc;
	for (i = 0; i < sn->xlat.n_eam; i++)
		if ((rc = add6(sn, sn->xlat.eam6[i].p6.addr,
			       sn->xlat.eam6[i].p6.len, &nh, err)) != 0)
			return rc;
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "cannot create the route tables: %s "
		 "(give EAL more memory with -m)", rte_strerror(rte_errno));
	return -ENOMEM;
}

void
mx_routes_fini(struct mx_snap *sn)
{
	rte_fib_free(sn->fib4);
	rte_fib6_free(sn->fib6);
	rte_fib6_free(sn->fib6_out);
	rte_free(sn->nh);
	sn->fib4 = NULL;
	sn->fib6 = NULL;
	sn->fib6_out = NULL;
	sn->nh = NULL;
}
