/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The translator over the control socket: siit.config.get shows what the
 * RFC 7915 engine runs with; clat.plat.get/set/del read and choose the
 * PLAT prefix of the CLAT at run time (seed 003's set_platprefix and
 * del_platprefix, what the mesh agent calls when babel finds a better
 * PLAT). A change is a config transaction: a copy of the running config
 * with the new prefix goes through mx_ctl_apply(), so the workers switch
 * between two bursts and no packet sees half of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "ctl.h"
#include "mx.h"

static void
out_pfx6(struct ctl_out *o, const char *key, int has,
	 const struct pkt_pfx6 *p)
{
	if (has)
		ctl_out_ip6(o, key, p->addr, p->len);
	else
		ctl_out_null(o, key);
}

static int
siit_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_snap *sn = x->dp->snap;
	const struct xlat_cfg *c = &sn->xlat;
	unsigned int i;

	(void)a;
	ctl_out_str(o, "mode", !sn->xlat_on ? "off" :
		    sn->clat_on ? "clat" : "siit");
	out_pfx6(o, "pool6", c->has_pool6, &c->pool6);
	out_pfx6(o, "clat_prefix", c->has_local6, &c->local6);
	ctl_out_u64(o, "eamt_entries", c->n_eam);
	ctl_out_arr(o, "rfc6791v4");
	for (i = 0; i < c->n_rfc6791v4; i++)
		ctl_out_ip4(o, NULL, c->rfc6791v4[i].addr, c->rfc6791v4[i].len);
	ctl_out_end(o);
	out_pfx6(o, "rfc6791v6", c->has_rfc6791v6, &c->rfc6791v6);
	ctl_out_u64(o, "lowest_ipv6_mtu", c->lowest_ipv6_mtu);
	ctl_out_bool(o, "amend_udp_checksum_zero", c->amend_udp_csum0);
	ctl_out_bool(o, "zeroize_traffic_class", c->zeroize_tc);
	if (c->tos_override_on)
		ctl_out_u64(o, "override_tos", c->tos_override);
	else
		ctl_out_null(o, "override_tos");
	return 0;
}

static int
need_clat(struct mx_ctl *x, struct ctl_out *o)
{
	if (!x->dp->snap->clat_on)
		return ctl_err(o, CTL_E_FAILED, NULL, "this node runs no CLAT "
			       "(the config has no clat section)");
	return 0;
}

static int
plat_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct conf_clat *k;
	int rc;

	(void)a;
	if ((rc = need_clat(x, o)) != 0)
		return rc;
	k = &x->dp->snap->conf->clat;
	out_pfx6(o, "prefix", k->has_plat_prefix, &k->plat_prefix);
	out_pfx6(o, "plat_range", k->plat_range.len != 0, &k->plat_range);
	out_pfx6(o, "clat_prefix", 1, &x->dp->snap->xlat.local6);
	return 0;
}

/* Switch to 'pfx' (NULL: no PLAT). */
static int
plat_change(struct mx_ctl *x, struct ctl_out *o, const struct pkt_pfx6 *pfx)
{
	const struct conf_clat *old = &x->dp->snap->conf->clat;
	struct pkt_pfx6 was_pfx = old->plat_prefix;
	const int had = old->has_plat_prefix;
	uint32_t moved;
	char err[CONF_ERR_SIZE], was[INET6_ADDRSTRLEN + 4] = "";
	char now[INET6_ADDRSTRLEN + 4] = "";
	struct conf *c;
	int rc;

	if (old->has_plat_prefix) {
		inet_ntop(AF_INET6, old->plat_prefix.addr, was, sizeof(was));
		snprintf(was + strlen(was), sizeof(was) - strlen(was), "/%u",
			 old->plat_prefix.len);
	}
	if (pfx != NULL) {
		inet_ntop(AF_INET6, pfx->addr, now, sizeof(now));
		snprintf(now + strlen(now), sizeof(now) - strlen(now), "/%u",
			 pfx->len);
	}
	if ((pfx == NULL && !old->has_plat_prefix) ||
	    (pfx != NULL && old->has_plat_prefix &&
	     memcmp(pfx, &old->plat_prefix, sizeof(*pfx)) == 0)) {
		if (pfx != NULL)
			ctl_out_str(o, "prefix", now);
		else
			ctl_out_null(o, "prefix");
		ctl_out_bool(o, "changed", 0);
		return 0;
	}
	c = conf_dup(x->dp->snap->conf);
	if (c == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	c->clat.has_plat_prefix = pfx != NULL;
	if (pfx != NULL)
		c->clat.plat_prefix = *pfx;
	else
		memset(&c->clat.plat_prefix, 0, sizeof(c->clat.plat_prefix));
	/* A siit section beside the clat follows it (conf's rule: its pool6
	 * is absent or the PLAT prefix). */
	c->siit.has_pool6 = 0;
	rc = mx_ctl_apply(x, c, err);
	if (rc != 0) {
		conf_free(c);
		return ctl_err(o, CTL_E_FAILED, "prefix", "%s", err);
	}
	/* Seed 003: set_platprefix keeps the clients of the old PLAT on
	 * it, del_platprefix moves them. */
	if (!had)
		moved = 0;
	else if (pfx != NULL)
		moved = mx_roam_plat_changed(x, &was_pfx);
	else
		moved = mx_roam_plat_gone(x, &was_pfx);
	mx_ctl_event(x, "clat.plat.changed", "prefix", pfx != NULL ? now : "",
		     "previous", was, NULL);
	if (pfx != NULL)
		ctl_out_str(o, "prefix", now);
	else
		ctl_out_null(o, "prefix");
	ctl_out_str(o, "previous", was[0] != '\0' ? was : "");
	ctl_out_bool(o, "changed", 1);
	if (x->dp->roam_db != NULL)
		ctl_out_u64(o, pfx != NULL ? "pinned" : "unpinned", moved);
	return 0;
}

static int
plat_set(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *v = ctl_arg(a, "prefix");
	struct mx_ctl *x = arg;
	struct pkt_pfx6 p;
	int rc;

	if ((rc = need_clat(x, o)) != 0)
		return rc;
	if (v->family != 6 || !xlat_rfc6052_len_ok(v->p6.len))
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: must be an "
			       "IPv6 prefix of length 32, 40, 48, 56, 64 or 96 "
			       "(RFC 6052 section 2.2)");
	p = v->p6;
	/* As clat.plat_prefix in the config: bits 64-71 (the u octet) must
	 * be zero below /96, where they are host bits; a /96 may hold
	 * anything there, because seed 003 builds a node's PLAT prefix from
	 * plat_range + its MAC (lib/xlat/clat.c). */
	if (p.len < 96 && p.addr[8] != 0)
		return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: bits 64-71 "
			       "must be zero (RFC 6052 section 2.2)");
	return plat_change(x, o, &p);
}

static int
plat_del(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *v = ctl_arg(a, "prefix");
	struct mx_ctl *x = arg;
	int rc;

	if ((rc = need_clat(x, o)) != 0)
		return rc;
	/* A PLAT other than the current one: only its pinned clients. */
	if (v != NULL && v->set) {
		const struct conf_clat *k = &x->dp->snap->conf->clat;

		if (v->family != 6)
			return ctl_err(o, CTL_E_PARAMS, "prefix", "prefix: must "
				       "be an IPv6 prefix");
		if (!k->has_plat_prefix ||
		    memcmp(&v->p6, &k->plat_prefix, sizeof(v->p6)) != 0) {
			ctl_out_bool(o, "changed", 0);
			ctl_out_u64(o, "unpinned", mx_roam_plat_gone(x, &v->p6));
			return 0;
		}
	}
	return plat_change(x, o, NULL);
}

static const struct ctl_param set_params[] = {
	{ .name = "prefix", .type = CTL_T_PFX, .required = 1,
	  .help = "the PLAT's RFC 6052 prefix, e.g. 64:ff9b:1:abcd:ef01:2345::/96" },
	{ .name = NULL },
};

static const struct ctl_param del_params[] = {
	{ .name = "prefix", .type = CTL_T_PFX,
	  .help = "the PLAT that is gone (default: the current one); its "
		  "pinned clients move to the current PLAT" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "siit.config.get", .fn = siit_get,
	  .help = "the RFC 7915 translator's running configuration" },
	{ .method = "clat.plat.get", .fn = plat_get,
	  .help = "the PLAT prefix the CLAT sends IPv4 destinations to" },
	{ .method = "clat.plat.set", .fn = plat_set, .params = set_params,
	  .flags = CTL_F_WRITE,
	  .help = "choose the PLAT (as seed 003's set_platprefix)" },
	{ .method = "clat.plat.del", .fn = plat_del, .params = del_params,
	  .flags = CTL_F_WRITE,
	  .help = "a PLAT is gone (seed 003's del_platprefix): the current "
		  "one, and IPv4 is refused until one is set, or another, and "
		  "the clients pinned to it move" },
};

int
mx_cmd_xlat_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
