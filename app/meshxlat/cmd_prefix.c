/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prefix.get/set/del: the ISP's delegated prefix changes (seed 002: "the
 * prefix allocation changes regularly"), and the client of DHCPv6 prefix
 * delegation (RFC 8415 section 6.3: an odhcp6c or dhcpcd hook) tells us.
 *
 * A port's delegated prefix is the prefix of its first global unicast
 * (2000::/3) address; every address of the port inside it, the static
 * routes and static neighbours inside it move to the new prefix and keep
 * their interface ids (RFC 4291 section 2.5.1), in one config transaction
 * (mx_ctl_apply), so the box never forwards with half a renumbering.
 * Learned neighbours in the old prefix are flushed: those hosts renumber
 * too. Suffix firewall rules (seed 002's ::1234:5678:abcd:ef01/
 * ::ffff:ffff:ffff:ffff) keep matching untouched; rules that name the old
 * prefix are listed in the answer, because an operator must rewrite them.
 *
 * prefix.del parks the port's addresses in the prefix (the prefix was
 * withdrawn: RFC 8415 section 18.2.10.1, valid lifetime 0) so that the
 * next prefix.set brings them back under the new prefix.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "fw.h"
#include "mx.h"

/* Addresses prefix.del took away, by config port index. */
static struct parked {
	struct pkt_pfx6 pfx;		/* the prefix they were in, len 0: none */
	uint8_t n;
	struct pkt_pfx6 a[CONF_MAX_ADDRS];
} parked[CONF_MAX_PORTS];

static int
is_global(const uint8_t *a)
{
	return (a[0] & 0xe0) == 0x20;	/* 2000::/3, RFC 4291 section 2.4 */
}

/* The delegated prefix of config port 'cp' into 'pfx': 0, or -ENOENT. */
static int
port_prefix(const struct conf_port *cp, struct pkt_pfx6 *pfx)
{
	unsigned int i;

	for (i = 0; i < cp->n_ip6; i++)
		if (is_global(cp->ip6[i].addr)) {
			memset(pfx, 0, sizeof(*pfx));
			pkt_ip6_set_prefix(pfx->addr, cp->ip6[i].addr,
					   cp->ip6[i].len);
			pfx->len = cp->ip6[i].len;
			return 0;
		}
	return -ENOENT;
}

static void
fmt_pfx6(const struct pkt_pfx6 *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (p == NULL || p->len == 0) {
		buf[0] = '\0';
		return;
	}
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, p->len);
}

/* 'a' inside 'from' moves into 'to' (its bits past to->len kept). */
static int
move_addr(uint8_t *a, const struct pkt_pfx6 *from, const struct pkt_pfx6 *to)
{
	if (!pkt_pfx6_match(from, a))
		return 0;
	pkt_ip6_set_prefix(a, to->addr, to->len);
	return 1;
}

/*
 * Does address match 'm' (a rule's -s or -d) depend on the bits of
 * 'pfx'? A prefix-style mask that covers some of them and agrees with
 * 'pfx' there names the old prefix; a suffix mask (seed 002) does not.
 */
static int
names_prefix(const struct fw_addr_match *m, const struct pkt_pfx6 *pfx)
{
	unsigned int i, bits;

	for (i = 0; i < 16 && m->mask[i] == 0; i++)
		;
	if (i == 16 || i * 8 >= pfx->len)
		return 0;	/* any address, or only bits below the prefix */
	for (i = 0, bits = 0; i < pfx->len; i++) {
		unsigned int bit = 0x80u >> (i % 8);

		if (!(m->mask[i / 8] & bit))
			continue;
		bits++;
		if ((m->addr[i / 8] & bit) != (pfx->addr[i / 8] & bit))
			return 0;
	}
	return bits != 0;
}

static void
out_fw_rules(struct ctl_out *o, const struct mx_ctl *x,
	     const struct pkt_pfx6 *old)
{
	const struct fw_ruleset *rs = x->dp->snap->conf->firewall.rs;
	char line[FW_FORMAT_MAX];
	unsigned int c, i;

	ctl_out_arr(o, "fw_rules");
	for (c = 0; rs != NULL && old != NULL && c < FW_CHAIN_MAX; c++)
		for (i = 0; i < fw_ruleset_count(rs, c); i++) {
			const struct fw_rule *r = fw_ruleset_rule(rs, c, i);

			if (!names_prefix(&r->src, old) &&
			    !names_prefix(&r->dst, old))
				continue;
			fw_rule_format(r, line, sizeof(line));
			ctl_out_obj(o, NULL);
			ctl_out_u64(o, "id", r->id);
			ctl_out_str(o, "rule", line);
			ctl_out_end(o);
		}
	ctl_out_end(o);
}

static void
out_addrs(struct ctl_out *o, const struct conf_port *cp)
{
	unsigned int i;

	ctl_out_arr(o, "addresses");
	for (i = 0; i < cp->n_ip6; i++)
		ctl_out_ip6(o, NULL, cp->ip6[i].addr, cp->ip6[i].len);
	ctl_out_end(o);
}

static int
arg_port(const struct ctl_args *a, struct ctl_out *o, const struct mx_ctl *x,
	 const struct mx_port **pp)
{
	const char *name = ctl_arg(a, "port")->s;

	*pp = mx_port_by_name(x->dp, name);
	if (*pp == NULL)
		return ctl_err(o, CTL_E_NOT_FOUND, "port", "port '%s': no "
			       "such port", name);
	return 0;
}

/*
 * Move config port 'ci' of 'c' from 'old' to 'to' (NULL: prefix.del) and
 * everything inside 'old' with it; 'pk' is what the port has parked, and
 * will have once 'c' runs.
 */
static void
renumber(struct conf *c, unsigned int ci, const struct pkt_pfx6 *old,
	 const struct pkt_pfx6 *to, struct parked *pk)
{
	struct conf_port *cp = &c->ports[ci];
	unsigned int i, n = 0;

	if (to == NULL) {
		pk->pfx = *old;
		pk->n = 0;
	}
	for (i = 0; i < cp->n_ip6; i++) {
		struct pkt_pfx6 a = cp->ip6[i];

		if (pkt_pfx6_match(old, a.addr) && a.len >= old->len) {
			if (to == NULL) {
				pk->a[pk->n++] = a;
				continue;
			}
			move_addr(a.addr, old, to);
			/* A longer prefix than the address's own (a /56
			 * for a /64 address) keeps the address's length. */
			if (a.len < to->len)
				a.len = to->len;
		}
		cp->ip6[n++] = a;
	}
	cp->n_ip6 = (uint8_t)n;
	if (to == NULL)
		return;
	/* Back from prefix.del: what it parked comes back renumbered. */
	if (pk->pfx.len != 0 && memcmp(&pk->pfx, old, sizeof(*old)) == 0) {
		for (i = 0; i < pk->n && cp->n_ip6 < CONF_MAX_ADDRS; i++) {
			struct pkt_pfx6 a = pk->a[i];

			move_addr(a.addr, old, to);
			if (a.len < to->len)
				a.len = to->len;
			cp->ip6[cp->n_ip6++] = a;
		}
	}
	memset(pk, 0, sizeof(*pk));
	for (i = 0; i < c->n_routes; i++) {
		struct conf_route *r = &c->routes[i];

		if (r->family != 6)
			continue;
		if (r->pfx6.len >= old->len &&
		    move_addr(r->pfx6.addr, old, to) && r->pfx6.len < to->len)
			r->pfx6.len = to->len;
		if (r->has_via)
			move_addr(r->via6, old, to);
	}
	for (i = 0; i < c->n_neighs; i++)
		if (c->neighs[i].family == 6 && c->neighs[i].port == ci)
			move_addr(c->neighs[i].ip6, old, to);
}

/* The prefix a port is in now, or the one prefix.del parked. */
static int
current(const struct conf_port *cp, unsigned int ci, struct pkt_pfx6 *pfx)
{
	if (port_prefix(cp, pfx) == 0)
		return 0;
	if (parked[ci].pfx.len != 0) {
		*pfx = parked[ci].pfx;
		return 0;
	}
	return -ENOENT;
}

static int
change(struct mx_ctl *x, struct ctl_out *o, const struct mx_port *p,
       const struct pkt_pfx6 *to)
{
	const struct conf *cur = x->dp->snap->conf;
	const unsigned int ci = p->conf_idx;
	char err[CONF_ERR_SIZE], was[INET6_ADDRSTRLEN + 4];
	char now[INET6_ADDRSTRLEN + 4];
	struct pkt_pfx6 old, live;
	int has_old, is_live, rc;
	struct parked pk = parked[ci];
	struct conf *c;

	is_live = port_prefix(&cur->ports[ci], &live) == 0;
	has_old = current(&cur->ports[ci], ci, &old) == 0;
	fmt_pfx6(is_live ? &live : NULL, was, sizeof(was));
	fmt_pfx6(to, now, sizeof(now));
	ctl_out_str(o, "port", p->name);
	ctl_out_str(o, "prefix", now);
	ctl_out_str(o, "previous", was);
	if ((to == NULL && !is_live) ||
	    (to != NULL && is_live && memcmp(to, &live, sizeof(*to)) == 0)) {
		ctl_out_bool(o, "changed", 0);
		out_addrs(o, &cur->ports[ci]);
		out_fw_rules(o, x, NULL);
		return 0;
	}
	if (to != NULL && !has_old && cur->ports[ci].n_ip6 >= CONF_MAX_ADDRS)
		return ctl_err(o, CTL_E_LIMIT, "port", "port '%s' has %u IPv6 "
			       "addresses already", p->name, CONF_MAX_ADDRS);
	c = conf_dup(cur);
	if (c == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	if (has_old) {
		renumber(c, ci, &old, to, &pk);
	} else {
		/* A port without a prefix so far: the box takes ::1 in
		 * it, as routers commonly do. */
		struct pkt_pfx6 a = *to;

		a.addr[15] |= 1;
		c->ports[ci].ip6[c->ports[ci].n_ip6++] = a;
	}
	if ((rc = mx_ctl_apply(x, c, err)) != 0) {
		conf_free(c);
		return ctl_err(o, CTL_E_FAILED, "prefix", "%s", err);
	}
	parked[ci] = pk;
	if (is_live) {
		struct pkt_pfx6 gone = live;

		ctl_out_u64(o, "neighbours_flushed",
			    mx_neigh_flush_pfx6(x->dp, p->id, &gone));
	}
	ctl_out_bool(o, "changed", 1);
	out_addrs(o, &c->ports[ci]);
	out_fw_rules(o, x, has_old ? &old : NULL);
	mx_ctl_event(x, "prefix.changed", "port", p->name, "prefix", now,
		     "previous", was, NULL);
	return 0;
}

static int
prefix_set(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *v = ctl_arg(a, "prefix");
	struct mx_ctl *x = arg;
	const struct mx_port *p;
	struct pkt_pfx6 to;
	int rc;

	if ((rc = arg_port(a, o, x, &p)) != 0)
		return rc;
	if (v->family != 6)
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: must be an "
			       "IPv6 prefix");
	to = v->p6;
	if (to.len < 16 || to.len > 64)
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: /%u: a "
			       "delegated prefix is /16 to /64", to.len);
	if (!is_global(to.addr))
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: not a "
			       "global unicast prefix (2000::/3, RFC 4291 "
			       "section 2.4)");
	if (pkt_pfx6_host_bits(&to))
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: bits past "
			       "/%u are set", to.len);
	return change(x, o, p, &to);
}

static int
prefix_del(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_port *p;
	int rc;

	if ((rc = arg_port(a, o, x, &p)) != 0)
		return rc;
	return change(x, o, p, NULL);
}

static int
prefix_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_dp *dp = x->dp;
	const struct conf *c = dp->snap->conf;
	unsigned int i;

	(void)a;
	ctl_out_arr(o, "prefixes");
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];
		const struct conf_port *cp;
		struct pkt_pfx6 pfx;
		char buf[INET6_ADDRSTRLEN + 4];
		int live;

		if (p->is_mirror)
			continue;
		cp = &c->ports[p->conf_idx];
		live = port_prefix(cp, &pfx) == 0;
		if (!live && parked[p->conf_idx].pfx.len == 0 &&
		    cp->role != CONF_ROLE_WAN6 && cp->role != CONF_ROLE_MESH6)
			continue;
		fmt_pfx6(live ? &pfx : NULL, buf, sizeof(buf));
		ctl_out_obj(o, NULL);
		ctl_out_str(o, "port", p->name);
		ctl_out_str(o, "prefix", buf);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param set_params[] = {
	{ .name = "port", .type = CTL_T_STR, .required = 1,
	  .help = "the port to renumber, e.g. lan6" },
	{ .name = "prefix", .type = CTL_T_PFX, .required = 1,
	  .help = "its new prefix, e.g. 2001:db8:7:2::/64" },
	{ .name = NULL },
};

static const struct ctl_param del_params[] = {
	{ .name = "port", .type = CTL_T_STR, .required = 1,
	  .help = "the port whose prefix was withdrawn" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "prefix.get", .fn = prefix_get,
	  .help = "each port's delegated IPv6 prefix" },
	{ .method = "prefix.set", .fn = prefix_set, .params = set_params,
	  .flags = CTL_F_WRITE,
	  .help = "renumber a port to a new delegated prefix (a DHCPv6-PD "
		  "hook calls this)" },
	{ .method = "prefix.del", .fn = prefix_del, .params = del_params,
	  .flags = CTL_F_WRITE,
	  .help = "the port's delegated prefix was withdrawn" },
};

int
mx_cmd_prefix_init(struct mx_ctl *x, char *err)
{
	memset(parked, 0, sizeof(parked));
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
