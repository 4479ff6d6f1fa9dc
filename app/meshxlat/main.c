/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat: EAL and arguments, the config, setting up ports, tables and
 * workers, then the main lcore's control loop (the control socket and the
 * CLI, neighbour learning, snapshot reclaim, stats, idle exit, signals)
 * until asked to stop, and an orderly shutdown.
 *
 *   meshxlat [EAL options] -- [--config FILE] [--socket PATH]
 *            [--stats-interval S] [--idle-exit MS] [--stats-json FILE] [-i]
 *
 * With no EAL options it supplies a no-hugepage command line itself, and
 * with no --config it runs the embedded demo (conf/demo.json) on two
 * net_pcap ports fed from the bundled pcaps in conf/demo/.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "cli.h"
#include "conf.h"
#include "ctl.h"
#include "demo_conf.h"
#include "mx.h"

volatile int mx_quit;

struct opts {
	const char *config;
	const char *socket;		/* --socket: overrides control.socket */
	unsigned int clock_speed;	/* --nat64-clock-speed (tests) */
	const char *stats_json;
	unsigned int stats_interval;	/* s, 0 = off */
	unsigned int idle_exit_ms;	/* 0 = off */
	int interactive;
	int demo;
};

static void
on_signal(int sig)
{
	(void)sig;
	mx_quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: meshxlat [EAL options] -- [--config FILE] "
		"[--socket PATH]\n"
		"                [--stats-interval S] [--idle-exit MS] "
		"[--stats-json FILE] [-i]\n"
		"       meshxlat --counters-md | --rpc-md | --cli-md | "
		"--check-config FILE\n\n"
		"  --config FILE        JSON config (doc/configuration.md); "
		"without it the\n"
		"                       embedded demo runs on net_pcap ports\n"
		"  --socket PATH        serve the JSON-RPC control socket at "
		"PATH (default:\n"
		"                       control.socket when the config has a "
		"control section)\n"
		"  --stats-interval S   print counters every S seconds\n"
		"  --idle-exit MS       exit once no port received anything "
		"for MS ms\n"
		"  --stats-json FILE    write every counter to FILE at exit\n"
		"  -i                   interactive command line on stdin\n"
		"  --nat64-clock-speed N  run NAT64 lifetimes N times faster "
		"(tests only)\n"
		"  --counters-md        print doc/counters.md and exit\n"
		"  --rpc-md, --cli-md   print doc/rpc.md or doc/cli.md and exit\n"
		"  --check-config FILE  check a config file and exit\n\n"
		"Without EAL options meshxlat runs with --no-huge -m 512 "
		"--no-shconf --no-pci\n-l 0,1 (no hugepages, no root needed "
		"for pcap ports).\n");
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'S' },
		{ "nat64-clock-speed", required_argument, NULL, 'k' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "idle-exit", required_argument, NULL, 'x' },
		{ "stats-json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ih", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'k':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 100000) {
				fprintf(stderr, "meshxlat: --nat64-clock-speed "
					"%s: not a number 1..100000\n", optarg);
				return -EINVAL;
			}
			o->clock_speed = (unsigned int)v;
			break;
		case 's':
		case 'x':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 0 || v > 86400000) {
				fprintf(stderr, "meshxlat: --%s %s: not a "
					"number of %s\n",
					c == 's' ? "stats-interval" :
					"idle-exit", optarg,
					c == 's' ? "seconds" : "ms");
				return -EINVAL;
			}
			if (c == 's')
				o->stats_interval = (unsigned int)v;
			else
				o->idle_exit_ms = (unsigned int)v;
			break;
		case 'j':
			o->stats_json = optarg;
			break;
		case 'i':
			o->interactive = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "meshxlat: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/*
 * Where the demo writes its output: the build tree, or a private folder
 * in /tmp for a user who may not write there.
 */
static const char *
demo_out_dir(void)
{
	static char dir[256];

	if (dir[0] != '\0')
		return dir;
	mkdir(MX_DEMO_OUT, 0755);
	if (access(MX_DEMO_OUT, W_OK) == 0) {
		snprintf(dir, sizeof(dir), "%s", MX_DEMO_OUT);
	} else {
		snprintf(dir, sizeof(dir), "/tmp/meshxlat-demo-%u",
			 (unsigned int)getuid());
		mkdir(dir, 0700);
	}
	return dir;
}

/*
 * No EAL options given: a command line that works without hugepages and,
 * for the demo, the two pcap ports. Returns a new argv, which must live
 * until rte_eal_cleanup().
 */
static char **
default_eal_args(int argc, char **argv, int demo, int *new_argc)
{
	static char vdev0[1024], vdev1[1024], cores[32];
	char **nv;
	int n = 0, i;

	nv = calloc((size_t)argc + 20, sizeof(*nv));
	if (nv == NULL)
		return NULL;
	nv[n++] = argv[0];
	nv[n++] = "--no-huge";
	nv[n++] = "-m";
	nv[n++] = "512";
	nv[n++] = "--no-shconf";
	nv[n++] = "--no-pci";
	nv[n++] = "--no-telemetry";
	nv[n++] = "--file-prefix";
	nv[n++] = demo ? "meshxlat-demo" : "meshxlat";
	/* Two lcores even on one CPU: the worker sleeps when idle. */
	snprintf(cores, sizeof(cores), "%s",
		 sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "0,1" : "0@0,1@0");
	nv[n++] = strchr(cores, '@') ? "--lcores" : "-l";
	nv[n++] = cores;
	nv[n++] = "--log-level";
	nv[n++] = "lib.eal:warning";
	if (demo) {
		const char *out = demo_out_dir();

		snprintf(vdev0, sizeof(vdev0), "net_pcap0,rx_pcap=%s/lan4-in.pcap,"
			 "tx_pcap=%s/lan4-out.pcap", MX_DEMO_DATA, out);
		snprintf(vdev1, sizeof(vdev1), "net_pcap1,rx_pcap=%s/mesh-in.pcap,"
			 "tx_pcap=%s/mesh-out.pcap", MX_DEMO_DATA, out);
		nv[n++] = "--vdev";
		nv[n++] = vdev0;
		nv[n++] = "--vdev";
		nv[n++] = vdev1;
	}
	for (i = 1; i < argc; i++)
		nv[n++] = argv[i];
	*new_argc = n;
	return nv;
}


static int
setup_workers(struct mx_dp *dp, struct mx_worker **w, char *err)
{
	unsigned int lcore, i = 0;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		char name[32];

		if (i == dp->n_workers)
			break;
		w[i] = rte_zmalloc("mx_worker", sizeof(*w[i]),
				   RTE_CACHE_LINE_SIZE);
		if (w[i] == NULL)
			goto nomem;
		w[i]->id = i;
		w[i]->lcore = lcore;
		w[i]->dp = dp;
		snprintf(name, sizeof(name), "mx_learn%u", i);
		w[i]->learn = rte_ring_create_elem(name,
				sizeof(struct mx_learn), 1024, rte_socket_id(),
				RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (w[i]->learn == NULL)
			goto nomem;
		i++;
	}
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "cannot allocate worker %u: %s", i,
		 rte_strerror(rte_errno));
	return -ENOMEM;
}

static void
free_workers(struct mx_dp *dp, struct mx_worker **w)
{
	unsigned int i;

	for (i = 0; i < dp->n_workers; i++) {
		if (w[i] == NULL)
			continue;
		rte_ring_free(w[i]->learn);
		rte_free(w[i]);
		w[i] = NULL;
	}
}

static void
print_demo_intro(const struct mx_dp *dp)
{
	const struct xlat_cfg *x = &dp->snap->xlat;
	char a[64];

	inet_ntop(AF_INET6, x->local6.addr, a, sizeof(a));
	printf("meshxlat demo: CLAT on two pcap ports (no hardware, no "
	       "hugepages)\n  lan4 clients 192.168.0.0/24 -> CLAT prefix "
	       "%s/%u\n", a, x->local6.len);
	inet_ntop(AF_INET6, x->pool6.addr, a, sizeof(a));
	printf("  IPv4 destinations -> PLAT prefix %s/%u\n  reading %s/"
	       "{lan4,mesh}-in.pcap\n", a, x->pool6.len, MX_DEMO_DATA);
}

static void
control_loop(struct mx_ctl *x, const struct opts *o, struct mx_cli *cli)
{
	struct mx_dp *dp = x->dp;
	struct mx_worker **w = x->w;
	uint64_t last_rx = UINT64_MAX;
	double last_change = mx_now(), last_print = last_change;
	unsigned int i;

	while (!mx_quit && !x->quit) {
		uint64_t rx = 0;
		unsigned int pending = 0;
		double t;

		for (i = 0; i < dp->n_workers; i++) {
			unsigned int j;

			mx_neigh_drain(dp, w[i]);
			for (j = 0; j < dp->n_ports; j++)
				rx += w[i]->rx_pkts[dp->port_ids[j]];
			pending += w[i]->pending_now;
		}
		t = mx_now();
		if (rx != last_rx || pending != 0) {
			last_rx = rx;
			last_change = t;
		}
		if (o->idle_exit_ms != 0 &&
		    (t - last_change) * 1000.0 >= o->idle_exit_ms)
			break;
		if (o->stats_interval != 0 &&
		    t - last_print >= o->stats_interval) {
			mx_stats_print(stdout, dp, w, t - x->t_start);
			fflush(stdout);
			last_print = t;
		}
		if (cli != NULL && mx_cli_poll(cli) != 0)
			break;
		/* Waits up to 1 ms for the socket: the loop's pace. */
		mx_ctl_poll(x, 1);
	}
	mx_quit = 1;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct mx_dp *dp = NULL;
	struct mx_worker *w[MX_MAX_WORKERS] = { NULL };
	struct mx_cli *cli = NULL;
	struct mx_ctl x = { 0 };
	struct conf *c = NULL;
	char err[CONF_ERR_SIZE] = "";
	char **eal_argv = argv;
	int eal_argc = argc, n, rc = 1, have_eal, i;

	if (argc == 2 && strcmp(argv[1], "--counters-md") == 0) {
		mx_counters_md(stdout);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--rpc-md") == 0 ||
			  strcmp(argv[1], "--cli-md") == 0)) {
		/* The registry alone: no EAL, no handler runs. */
		if (mx_ctl_init(&x, err) != 0) {
			fprintf(stderr, "meshxlat: %s\n", err);
			return 1;
		}
		if (argv[1][2] == 'r')
			ctl_doc_rpc_md(stdout, x.reg);
		else
			ctl_doc_cli_md(stdout, x.reg);
		mx_ctl_fini(&x);
		return 0;
	}
	/* Like nginx -t: check a config without starting anything. */
	if (argc == 3 && strcmp(argv[1], "--check-config") == 0) {
		if (conf_load_file(argv[2], &c, err) != 0) {
			fprintf(stderr, "meshxlat: config: %s\n", err);
			return 1;
		}
		printf("%s: ok, %u ports, %u routes, %u neighbours%s\n",
		       argv[2], c->n_ports, c->n_routes, c->n_neighs,
		       c->clat.enabled ? ", CLAT" : "");
		conf_free(c);
		return 0;
	}
	have_eal = argc > 1 && strcmp(argv[1], "--") != 0 &&
		   strcmp(argv[1], "-h") != 0 && strcmp(argv[1], "--help") != 0;
	/* Peek at our own options to know whether the demo runs. */
	for (i = 1, o.demo = 1; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0 ||
		    strncmp(argv[i], "--config=", 9) == 0)
			o.demo = 0;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (!have_eal) {
		eal_argv = default_eal_args(argc, argv, o.demo, &eal_argc);
		if (eal_argv == NULL)
			return 1;
	}

	n = rte_eal_init(eal_argc, eal_argv);
	if (n < 0) {
		fprintf(stderr, "meshxlat: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	if (parse_opts(eal_argc - n, eal_argv + n, &o) != 0)
		goto out_eal;
	if (o.demo && o.idle_exit_ms == 0 && !o.interactive)
		o.idle_exit_ms = 500;

	rc = o.config != NULL ? conf_load_file(o.config, &c, err) :
	     conf_load_string(mx_demo_conf, "embedded demo config", &c, err);
	if (rc != 0) {
		fprintf(stderr, "meshxlat: config: %s\n", err);
		rc = 1;
		goto out_eal;
	}
	rc = 1;

	dp = rte_zmalloc("mx_dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL) {
		fprintf(stderr, "meshxlat: out of memory\n");
		goto out_conf;
	}
	dp->tsc_hz = rte_get_tsc_hz();
	dp->burst = c->workers.burst;
	dp->idle_sleep_us = c->workers.idle_sleep_us;
	dp->n_workers = rte_lcore_count() - 1;
	if (c->workers.lcores != 0 && c->workers.lcores < dp->n_workers)
		dp->n_workers = c->workers.lcores;
	if (dp->n_workers > MX_MAX_WORKERS)
		dp->n_workers = MX_MAX_WORKERS;
	if (dp->n_workers == 0) {
		fprintf(stderr, "meshxlat: no worker lcore: give EAL at least "
			"two lcores (e.g. -l 0,1); the main one runs the "
			"control plane only\n");
		goto out_dp;
	}
	if (c->workers.lcores > dp->n_workers)
		fprintf(stderr, "meshxlat: workers.lcores is %u but EAL has "
			"%u worker lcores: using %u\n", c->workers.lcores,
			dp->n_workers, dp->n_workers);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (mx_ports_init(dp, c, err) != 0 || mx_plat_init(dp, c, o.clock_speed, err) != 0 ||
	    mx_fw_init(dp, c, err) != 0 || mx_roam_init(dp, c, err) != 0 ||
	    mx_neigh_init(dp, c, err) != 0 ||
	    mx_rcu_init(dp, err) != 0 || mx_neigh_rcu(dp, err) != 0 ||
	    mx_handoff_init(dp, err) != 0 ||
	    setup_workers(dp, w, err) != 0) {
		fprintf(stderr, "meshxlat: %s\n", err);
		goto out_tables;
	}
	dp->snap = mx_snap_build(dp, c, err);
	if (dp->snap == NULL) {
		fprintf(stderr, "meshxlat: %s\n", err);
		goto out_tables;
	}
	c = NULL;		/* the snapshot owns it now */
	mx_fw_publish(dp, dp->snap, NULL);
	x.dp = dp;
	x.w = w;
	x.config_path = o.config;
	if (mx_ctl_init(&x, err) != 0 || mx_ctl_listen(&x, o.socket, err) != 0 ||
	    mx_kroute_init(&x, err) != 0) {
		fprintf(stderr, "meshxlat: %s\n", err);
		goto out_tables;
	}
	if (o.demo)
		print_demo_intro(dp);
	if (o.interactive && (cli = mx_cli_create(&x)) == NULL) {
		fprintf(stderr, "meshxlat: cannot start the command line\n");
		goto out_tables;
	}

	mx_telemetry_init(&x);
	x.t_start = mx_now();
	for (i = 0; i < (int)dp->n_workers; i++)
		rte_eal_remote_launch(mx_worker_main, w[i], w[i]->lcore);
	control_loop(&x, &o, cli);
	rte_eal_mp_wait_lcore();
	for (i = 0; i < (int)dp->n_workers; i++)
		mx_neigh_drain(dp, w[i]);

	mx_stats_print(stdout, dp, w, mx_now() - x.t_start);
	if (o.demo)
		printf("  translated packets written to %s/{mesh,lan4}-out.pcap"
		       " (open them with tcpdump -r or wireshark)\n",
		       demo_out_dir());
	rc = 0;
	if (o.stats_json != NULL &&
	    mx_stats_json(o.stats_json, dp, w, mx_now() - x.t_start) != 0) {
		fprintf(stderr, "meshxlat: cannot write %s: %s\n",
			o.stats_json, strerror(errno));
		rc = 1;
	}
out_tables:
	mx_telemetry_fini();
	mx_cli_free(cli);
	if (x.dp != NULL)
		mx_tap_fini(&x);
	mx_kroute_fini();
	mx_ctl_fini(&x);
	mx_ports_fini(dp);
	free_workers(dp, w);
	mx_handoff_fini(dp);
	mx_plat_fini(dp);
	mx_rcu_fini(dp);
	mx_snap_free(dp->snap);
	dp->snap = NULL;
	mx_fw_fini(dp);
	mx_roam_fini(dp);
	mx_neigh_fini(dp);
out_dp:
	rte_free(dp);
out_conf:
	conf_free(c);
out_eal:
	rte_eal_cleanup();
	if (eal_argv != argv)
		free(eal_argv);
	return rc;
}
