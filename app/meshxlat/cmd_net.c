/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes and neighbours over the control socket. Routes come from the
 * current snapshot (route.list shows the config's routes and what the
 * ports add; route.lookup asks the same rte_fib the workers use). The
 * neighbour table has one writer, this lcore, so neigh.add/del/flush
 * change it directly; readers on the workers are lock-free and deleted
 * slots are reused only after an RCU grace period.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_fib.h>
#include <rte_fib6.h>

#include "ctl.h"
#include "mx.h"

static const char *const nh_type_names[] = {
	[MX_NH_MISS] = "none", [MX_NH_FWD] = "forward",
	[MX_NH_LOCAL] = "local", [MX_NH_XLAT] = "translate",
};

static void
out_route(struct ctl_out *o, const char *type,
	  int family, const void *pfx, int len, const struct mx_port *p,
	  const void *via)
{
	ctl_out_obj(o, NULL);
	if (family == 4)
		ctl_out_ip4(o, "prefix", *(const uint32_t *)pfx, len);
	else
		ctl_out_ip6(o, "prefix", pfx, len);
	ctl_out_str(o, "type", type);
	ctl_out_str(o, "port", p != NULL ? p->name : "-");
	if (via == NULL)
		ctl_out_str(o, "via", "on-link");
	else if (family == 4)
		ctl_out_ip4(o, "via", *(const uint32_t *)via, -1);
	else
		ctl_out_ip6(o, "via", via, -1);
	ctl_out_end(o);
}

static int
route_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_dp *dp = x->dp;
	const struct mx_snap *sn = dp->snap;
	const struct conf *c = sn->conf;
	unsigned int i, j;

	(void)a;
	ctl_out_arr(o, "routes");
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];
		const struct mx_port *p = mx_port_by_conf(dp, r->port);

		const char *type = !r->kernel ? "static" :
				   r->local ? "kernel-local" : "kernel";

		if (r->family == 4)
			out_route(o, type, 4, &r->pfx4.addr, r->pfx4.len,
				  p, r->has_via ? &r->via4 : NULL);
		else
			out_route(o, type, 6, r->pfx6.addr, r->pfx6.len,
				  p, r->has_via ? r->via6 : NULL);
	}
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];

		if (p->is_mirror)
			continue;
		for (j = 0; j < p->n_ip4; j++) {
			uint32_t net = p->ip4[j].addr & pkt_mask4(p->ip4[j].len);

			out_route(o, "connected", 4, &net, p->ip4[j].len, p,
				  NULL);
		}
		for (j = 0; j < sn->addr6[p->id].n; j++)
			out_route(o, "connected", 6, sn->addr6[p->id].a[j].addr,
				  sn->addr6[p->id].a[j].len, p, NULL);
	}
	if (sn->clat_on)
		out_route(o, "translate (CLAT prefix)", 6,
			  sn->xlat.local6.addr, sn->xlat.local6.len, NULL, NULL);
	else if (sn->xlat_on && sn->xlat.has_pool6)
		out_route(o, "translate (pool6)", 6, sn->xlat.pool6.addr,
			  sn->xlat.pool6.len, NULL, NULL);
	for (i = 0; i < sn->xlat.n_eam; i++)
		out_route(o, "translate (EAM)", 6, sn->xlat.eam6[i].p6.addr,
			  sn->xlat.eam6[i].p6.len, NULL, NULL);
	ctl_out_end(o);
	mx_kroute_stats(o);
	return 0;
}

static int
route_lookup(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *ip = ctl_arg(a, "ip");
	struct mx_ctl *x = arg;
	const struct mx_dp *dp = x->dp;
	const struct mx_snap *sn = dp->snap;
	const struct mx_nh *nh;
	uint64_t idx = 0;

	/* The main lcore is a reader like the workers: the tables of a
	 * published snapshot never change. */
	if (ip->family == 4) {
		uint32_t a4 = ip->p4.addr;

		rte_fib_lookup_bulk(sn->fib4, &a4, &idx, 1);
	} else {
		uint8_t a6[1][16];

		memcpy(a6[0], ip->p6.addr, 16);
		rte_fib6_lookup_bulk(sn->fib6, a6, &idx, 1);
	}
	nh = &sn->nh[idx];
	if (ip->family == 4)
		ctl_out_ip4(o, "ip", ip->p4.addr, -1);
	else
		ctl_out_ip6(o, "ip", ip->p6.addr, -1);
	ctl_out_str(o, "type", nh_type_names[nh->type]);
	if (nh->type == MX_NH_FWD || nh->type == MX_NH_LOCAL)
		ctl_out_str(o, "port", nh->port < MX_MAX_PORTS ?
			    dp->ports[nh->port].name : "-");
	if (nh->type == MX_NH_FWD && nh->has_via) {
		if (ip->family == 4)
			ctl_out_ip4(o, "via", nh->via4, -1);
		else
			ctl_out_ip6(o, "via", nh->via6, -1);
	}
	return 0;
}

struct neigh_walk {
	struct ctl_out *o;
	const struct mx_dp *dp;
	int port;			/* filter, or -1 */
};

static void
neigh_fields(struct ctl_out *o, const struct mx_dp *dp,
	     const struct mx_neigh_key *k, const struct rte_ether_addr *mac,
	     int is_static)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(k->addr, v4mapped, 12) == 0) {
		uint32_t a;

		memcpy(&a, k->addr + 12, 4);
		ctl_out_ip4(o, "ip", ntohl(a), -1);
	} else {
		ctl_out_ip6(o, "ip", k->addr, -1);
	}
	ctl_out_mac(o, "mac", mac->addr_bytes);
	ctl_out_str(o, "port", k->port < MX_MAX_PORTS ?
		    dp->ports[k->port].name : "-");
	ctl_out_str(o, "type", is_static ? "static" : "learned");
}

static int
neigh_one(const struct mx_neigh_key *k, const struct rte_ether_addr *mac,
	  int is_static, void *arg)
{
	const struct neigh_walk *nw = arg;

	if (nw->port >= 0 && k->port != nw->port)
		return 0;
	ctl_out_obj(nw->o, NULL);
	neigh_fields(nw->o, nw->dp, k, mac, is_static);
	ctl_out_end(nw->o);
	return 0;
}

/* The port named by 'port' (required for neigh.add/del), as a DPDK id. */
static int
arg_port(const struct ctl_args *a, struct ctl_out *o, const struct mx_dp *dp,
	 uint16_t *id)
{
	const struct ctl_val *v = ctl_arg(a, "port");
	const struct mx_port *p;

	if (v == NULL)
		return ctl_err(o, CTL_E_PARAMS, "port", "port: missing");
	p = mx_port_by_name(dp, v->s);
	if (p == NULL || p->is_mirror)
		return ctl_err(o, CTL_E_NOT_FOUND, "port", "port '%s': no "
			       "such port (port.list shows them)", v->s);
	*id = p->id;
	return 0;
}

static int
neigh_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct neigh_walk nw = { .o = o, .dp = x->dp, .port = -1 };
	uint16_t id;
	int rc;

	if (ctl_arg(a, "port") != NULL) {
		if ((rc = arg_port(a, o, x->dp, &id)) != 0)
			return rc;
		nw.port = id;
	}
	ctl_out_arr(o, "neighbours");
	mx_neigh_walk(x->dp, neigh_one, &nw);
	ctl_out_end(o);
	return 0;
}

static void
key_of(const struct ctl_val *ip, uint16_t port, struct mx_neigh_key *k)
{
	if (ip->family == 4)
		mx_neigh_key4(k, port, ip->p4.addr);
	else
		mx_neigh_key6(k, port, ip->p6.addr);
}

static int
neigh_add(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *ip = ctl_arg(a, "ip"), *mac = ctl_arg(a, "mac");
	struct mx_ctl *x = arg;
	struct mx_neigh_key k;
	struct rte_ether_addr m;
	uint16_t id;
	int rc;

	if ((rc = arg_port(a, o, x->dp, &id)) != 0)
		return rc;
	if (mac->mac[0] & 1)
		return ctl_err(o, CTL_E_PARAMS, "mac", "mac: a multicast "
			       "address cannot be a neighbour");
	key_of(ip, id, &k);
	memcpy(m.addr_bytes, mac->mac, RTE_ETHER_ADDR_LEN);
	if (mx_neigh_set_static(x->dp, &k, &m) != 0)
		return ctl_err(o, CTL_E_LIMIT, NULL, "the neighbour table is "
			       "full");
	neigh_fields(o, x->dp, &k, &m, 1);
	return 0;
}

static int
neigh_del(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *ip = ctl_arg(a, "ip");
	struct mx_ctl *x = arg;
	struct mx_neigh_key k;
	uint16_t id;
	int rc;

	if ((rc = arg_port(a, o, x->dp, &id)) != 0)
		return rc;
	key_of(ip, id, &k);
	if (mx_neigh_del(x->dp, &k) != 0)
		return ctl_err(o, CTL_E_NOT_FOUND, "ip", "no neighbour with "
			       "that address on that port");
	ctl_out_bool(o, "deleted", 1);
	return 0;
}

static int
neigh_flush(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *st = ctl_arg(a, "static");
	struct mx_ctl *x = arg;

	ctl_out_u64(o, "deleted", mx_neigh_flush(x->dp, st != NULL && st->i));
	return 0;
}

static const struct ctl_param lookup_params[] = {
	{ .name = "ip", .type = CTL_T_IP, .required = 1,
	  .help = "IPv4 or IPv6 destination" },
	{ .name = NULL },
};

static const struct ctl_param list_params[] = {
	{ .name = "port", .type = CTL_T_STR, .help = "only this port" },
	{ .name = NULL },
};

static const struct ctl_param add_params[] = {
	{ .name = "ip", .type = CTL_T_IP, .required = 1,
	  .help = "the neighbour's IPv4 or IPv6 address" },
	{ .name = "mac", .type = CTL_T_MAC, .required = 1,
	  .help = "its MAC address" },
	{ .name = "port", .type = CTL_T_STR, .required = 1,
	  .help = "the port it is on" },
	{ .name = NULL },
};

static const struct ctl_param del_params[] = {
	{ .name = "ip", .type = CTL_T_IP, .required = 1,
	  .help = "the neighbour's address" },
	{ .name = "port", .type = CTL_T_STR, .required = 1,
	  .help = "the port it is on" },
	{ .name = NULL },
};

static const struct ctl_param flush_params[] = {
	{ .name = "static", .type = CTL_T_BOOL,
	  .help = "static entries too (default: learned ones only)" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "route.list", .fn = route_list,
	  .help = "static, connected and translated prefixes" },
	{ .method = "route.lookup", .fn = route_lookup, .params = lookup_params,
	  .help = "what the data path does with a destination" },
	{ .method = "neigh.list", .fn = neigh_list, .params = list_params,
	  .help = "the neighbour table (ARP and ND), static and learned" },
	{ .method = "neigh.add", .fn = neigh_add, .params = add_params,
	  .flags = CTL_F_WRITE,
	  .help = "add or replace a static neighbour" },
	{ .method = "neigh.del", .fn = neigh_del, .params = del_params,
	  .flags = CTL_F_WRITE, .help = "remove a neighbour" },
	{ .method = "neigh.flush", .fn = neigh_flush, .params = flush_params,
	  .flags = CTL_F_WRITE, .help = "remove learned neighbours" },
};

int
mx_cmd_net_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
