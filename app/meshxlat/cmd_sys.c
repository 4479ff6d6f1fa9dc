/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands about the daemon itself: what it is (sys.info.get), stopping
 * it (sys.quit), the command list (ctl.method.list, from which doc/rpc.md
 * and the CLI help come), DPDK log levels, and config reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>
#include <rte_version.h>

#include "ctl.h"
#include "mx.h"

static int
sys_info(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	const struct mx_snap *sn = x->dp->snap;

	(void)a;
	ctl_out_str(o, "version", MX_VERSION);
	ctl_out_str(o, "dpdk", rte_version());
	ctl_out_i64(o, "pid", getpid());
	ctl_out_real(o, "uptime_s", mx_now() - x->t_start);
	ctl_out_u64(o, "workers", x->dp->n_workers);
	ctl_out_u64(o, "ports", x->dp->n_ports);
	ctl_out_str(o, "config", x->config_path != NULL ? x->config_path :
		    "(embedded demo)");
	ctl_out_u64(o, "config_generation", sn->gen);
	ctl_out_u64(o, "reloads", x->reloads);
	ctl_out_u64(o, "reload_errors", x->reload_errors);
	ctl_out_str(o, "mode", !sn->xlat_on ? "router" :
		    sn->clat_on ? "clat" : "siit");
	return 0;
}

static int
sys_quit(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;

	(void)a;
	x->quit = 1;
	ctl_out_bool(o, "stopping", 1);
	return 0;
}

static const char *
type_name(enum ctl_type t)
{
	static const char *const names[] = {
		[CTL_T_STR] = "string", [CTL_T_INT] = "integer",
		[CTL_T_BOOL] = "boolean", [CTL_T_IP] = "address",
		[CTL_T_PFX] = "prefix", [CTL_T_MAC] = "mac",
		[CTL_T_ENUM] = "enum",
	};

	return (unsigned int)t < RTE_DIM(names) ? names[t] : "?";
}

static int
method_one(const struct ctl_cmd *c, void *arg)
{
	struct ctl_out *o = arg;
	unsigned int i, n = ctl_cmd_n_params(c);

	ctl_out_obj(o, NULL);
	ctl_out_str(o, "method", c->method);
	ctl_out_str(o, "help", c->help);
	ctl_out_bool(o, "changes_state", (c->flags & CTL_F_WRITE) != 0);
	ctl_out_arr(o, "params");
	for (i = 0; i < n; i++) {
		const struct ctl_param *p = &c->params[i];

		ctl_out_obj(o, NULL);
		ctl_out_str(o, "name", p->name);
		ctl_out_str(o, "type", type_name(p->type));
		ctl_out_bool(o, "required", p->required);
		if (p->type == CTL_T_INT) {
			ctl_out_i64(o, "min", p->min);
			ctl_out_i64(o, "max", p->max);
		}
		if (p->type == CTL_T_ENUM)
			ctl_out_str(o, "choices", p->choices);
		ctl_out_str(o, "help", p->help != NULL ? p->help : "");
		ctl_out_end(o);
	}
	ctl_out_end(o);
	ctl_out_end(o);
	return 0;
}

static int
method_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;

	(void)a;
	ctl_out_arr(o, "methods");
	ctl_cmd_walk(x->reg, method_one, o);
	ctl_out_end(o);
	return 0;
}

/*
 * DPDK 22.11 lists log types only as text (rte_log_list_types):
 * "id N: NAME, level is LEVEL" per line.
 */
static int
log_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *pat = ctl_arg(a, "prefix");
	char *buf = NULL, *line, *save = NULL;
	size_t size = 0;
	FILE *f;

	(void)arg;
	f = open_memstream(&buf, &size);
	if (f == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	rte_log_list_types(f, pat != NULL ? pat->s : NULL);
	fclose(f);
	ctl_out_u64(o, "global_level", rte_log_get_global_level());
	ctl_out_arr(o, "types");
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], level[32];
		unsigned int id;

		if (sscanf(line, " id %u: %127[^,], level is %31s", &id, name,
			   level) != 3)
			continue;
		ctl_out_obj(o, NULL);
		ctl_out_str(o, "type", name);
		ctl_out_str(o, "level", level);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	free(buf);
	return 0;
}

static int
log_set(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const char *pattern = ctl_arg(a, "pattern")->s;
	/* The enum index is the RTE_LOG_* level minus one. */
	uint32_t level = (uint32_t)ctl_arg(a, "level")->i + 1;

	(void)arg;
	if (rte_log_set_level_pattern(pattern, level) != 0)
		return ctl_err(o, CTL_E_PARAMS, "pattern", "pattern '%s': "
			       "not a valid log type pattern", pattern);
	ctl_out_str(o, "pattern", pattern);
	ctl_out_u64(o, "level", level);
	return 0;
}

static int
config_reload(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *file = ctl_arg(a, "file");
	struct mx_ctl *x = arg;
	char err[CONF_ERR_SIZE] = "";
	struct conf *c = NULL;
	const char *path;
	double t0 = mx_now();
	char gen[16];
	int rc;

	path = file != NULL ? file->s : x->config_path;
	if (path == NULL)
		return ctl_err(o, CTL_E_PARAMS, "file", "running the embedded "
			       "demo: give file=PATH");
	rc = conf_load_file(path, &c, err);
	if (rc == 0) {
		rc = mx_ctl_apply(x, c, err);
		if (rc != 0)
			conf_free(c);
	}
	if (rc != 0) {
		x->reload_errors++;
		return ctl_err(o, CTL_E_FAILED, "file", "%s (the running "
			       "config is unchanged)", err);
	}
	x->reloads++;
	snprintf(gen, sizeof(gen), "%u", x->dp->snap->gen);
	mx_ctl_event(x, "config.reloaded", "file", path, "generation", gen,
		     NULL);
	ctl_out_str(o, "file", path);
	ctl_out_u64(o, "generation", x->dp->snap->gen);
	ctl_out_real(o, "seconds", mx_now() - t0);
	return 0;
}

static const struct ctl_param log_get_params[] = {
	{ .name = "prefix", .type = CTL_T_STR,
	  .help = "only log types starting with this" },
	{ .name = NULL },
};

static const struct ctl_param log_set_params[] = {
	{ .name = "pattern", .type = CTL_T_STR, .required = 1,
	  .help = "log type or glob, e.g. 'lib.eal' or 'pmd.*'" },
	{ .name = "level", .type = CTL_T_ENUM, .required = 1,
	  .choices = "emerg|alert|crit|error|warning|notice|info|debug",
	  .help = "the new level" },
	{ .name = NULL },
};

static const struct ctl_param reload_params[] = {
	{ .name = "file", .type = CTL_T_STR,
	  .help = "config to load (default: the one meshxlat started with)" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "sys.info.get", .fn = sys_info,
	  .help = "version, uptime, workers, config file and generation" },
	{ .method = "sys.quit", .fn = sys_quit, .flags = CTL_F_WRITE,
	  .help = "stop meshxlat (as SIGTERM does)" },
	{ .method = "ctl.method.list", .fn = method_list,
	  .help = "every command with its parameters" },
	{ .method = "log.level.get", .fn = log_get, .params = log_get_params,
	  .help = "DPDK log types and their levels" },
	{ .method = "log.level.set", .fn = log_set, .params = log_set_params,
	  .flags = CTL_F_WRITE, .help = "set the level of matching log types" },
	{ .method = "config.reload", .fn = config_reload,
	  .params = reload_params, .flags = CTL_F_WRITE,
	  .help = "load a config and switch to it without losing a packet; "
		  "the old one stays on any error" },
};

int
mx_cmd_sys_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
