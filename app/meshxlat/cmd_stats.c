/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters and ports over the control socket: stats.get (per port, per
 * worker, per drop reason and per event, summed from the per-lcore
 * counters when read), stats.metrics.get (the same in the Prometheus text
 * format, for node_exporter's textfile collector) and port.list.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "ctl.h"
#include "mx.h"

static const char *
port_role(const struct mx_dp *dp, const struct mx_port *p)
{
	if (p->is_mirror)
		return "kernel_mirror";
	return conf_role_name(dp->snap->conf->ports[p->conf_idx].role);
}

static int
stats_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *all = ctl_arg(a, "all");
	const struct ctl_val *rm = ctl_arg(a, "reset_max");
	int zeros = all != NULL && all->i, reset = rm != NULL && rm->i;
	struct mx_ctl *x = arg;
	struct mx_dp *dp = x->dp;
	struct mx_totals t;
	unsigned int i;

	mx_stats_sum(dp, x->w, &t);
	ctl_out_real(o, "uptime_s", mx_now() - x->t_start);
	ctl_out_arr(o, "ports");
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(p->id, &es);
		ctl_out_obj(o, NULL);
		ctl_out_str(o, "port", p->name);
		ctl_out_u64(o, "rx_pkts", t.rx_pkts[p->id]);
		ctl_out_u64(o, "rx_bytes", t.rx_bytes[p->id]);
		ctl_out_u64(o, "tx_pkts", t.tx_pkts[p->id]);
		ctl_out_u64(o, "tx_bytes", t.tx_bytes[p->id]);
		ctl_out_u64(o, "rx_missed", es.imissed);
		ctl_out_u64(o, "rx_nombuf", es.rx_nombuf);
		ctl_out_u64(o, "tx_errors", es.oerrors);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	ctl_out_obj(o, "drops");
	for (i = 1; i < PKT_DROP_MAX; i++)
		if (zeros || t.drops[i] != 0)
			ctl_out_u64(o, pkt_drop_name(i), t.drops[i]);
	ctl_out_end(o);
	ctl_out_obj(o, "events");
	for (i = 0; i < MX_EV_MAX; i++)
		if (zeros || t.ev[i] != 0)
			ctl_out_u64(o, mx_event_name(i), t.ev[i]);
	ctl_out_end(o);
	ctl_out_arr(o, "workers");
	for (i = 0; i < dp->n_workers; i++) {
		const struct mx_worker *w = x->w[i];
		uint64_t rx = 0;
		unsigned int j;

		for (j = 0; j < dp->n_ports; j++)
			rx += w->rx_pkts[dp->port_ids[j]];
		ctl_out_obj(o, NULL);
		ctl_out_u64(o, "worker", w->id);
		ctl_out_u64(o, "lcore", w->lcore);
		ctl_out_u64(o, "rx_pkts", rx);
		ctl_out_u64(o, "polls", w->polls);
		ctl_out_u64(o, "busy_polls", w->busy_polls);
		ctl_out_u64(o, "busy_cycles", w->busy_cycles);
		ctl_out_real(o, "cycles_per_pkt", rx != 0 ?
			     (double)w->busy_cycles / (double)rx : 0.0);
		ctl_out_u64(o, "pending", w->pending_now);
		ctl_out_real(o, "poll_max_us", (double)w->poll_max_cycles *
			     1e6 / (double)dp->tsc_hz);
		ctl_out_end(o);
		/* A plain store the worker may race with: at worst one
		 * maximum is lost, which a statistic can afford. */
		if (reset)
			x->w[i]->poll_max_cycles = 0;
	}
	ctl_out_end(o);
	return 0;
}

/*
 * The Prometheus text exposition format (version 0.0.4): one family per
 * counter kind, labelled by port, reason, event or worker.
 */
static int
metrics_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct mx_dp *dp = x->dp;
	struct mx_totals t;
	char *buf = NULL;
	size_t size = 0;
	unsigned int i;
	FILE *f;

	(void)a;
	f = open_memstream(&buf, &size);
	if (f == NULL)
		return ctl_err(o, CTL_E_INTERNAL, NULL, "out of memory");
	mx_stats_sum(dp, x->w, &t);
	fprintf(f, "# HELP meshxlat_port_packets_total Packets per port and "
		"direction.\n# TYPE meshxlat_port_packets_total counter\n");
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];

		fprintf(f, "meshxlat_port_packets_total{port=\"%s\",dir=\"rx\"} "
			"%" PRIu64 "\n", p->name, t.rx_pkts[p->id]);
		fprintf(f, "meshxlat_port_packets_total{port=\"%s\",dir=\"tx\"} "
			"%" PRIu64 "\n", p->name, t.tx_pkts[p->id]);
	}
	fprintf(f, "# HELP meshxlat_port_bytes_total Bytes per port and "
		"direction.\n# TYPE meshxlat_port_bytes_total counter\n");
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];

		fprintf(f, "meshxlat_port_bytes_total{port=\"%s\",dir=\"rx\"} "
			"%" PRIu64 "\n", p->name, t.rx_bytes[p->id]);
		fprintf(f, "meshxlat_port_bytes_total{port=\"%s\",dir=\"tx\"} "
			"%" PRIu64 "\n", p->name, t.tx_bytes[p->id]);
	}
	fprintf(f, "# HELP meshxlat_drops_total Dropped packets by reason "
		"(doc/counters.md).\n# TYPE meshxlat_drops_total counter\n");
	for (i = 1; i < PKT_DROP_MAX; i++)
		fprintf(f, "meshxlat_drops_total{reason=\"%s\"} %" PRIu64 "\n",
			pkt_drop_name(i), t.drops[i]);
	fprintf(f, "# HELP meshxlat_events_total Things done other than "
		"drops (doc/counters.md).\n# TYPE meshxlat_events_total "
		"counter\n");
	for (i = 0; i < MX_EV_MAX; i++)
		fprintf(f, "meshxlat_events_total{event=\"%s\"} %" PRIu64 "\n",
			mx_event_name(i), t.ev[i]);
	fprintf(f, "# HELP meshxlat_worker_busy_cycles_total TSC cycles "
		"spent on polls that got packets.\n# TYPE "
		"meshxlat_worker_busy_cycles_total counter\n");
	for (i = 0; i < dp->n_workers; i++)
		fprintf(f, "meshxlat_worker_busy_cycles_total{worker=\"%u\"} "
			"%" PRIu64 "\n", i, x->w[i]->busy_cycles);
	fprintf(f, "# HELP meshxlat_uptime_seconds Seconds since start.\n"
		"# TYPE meshxlat_uptime_seconds gauge\n"
		"meshxlat_uptime_seconds %.3f\n", mx_now() - x->t_start);
	fclose(f);
	ctl_out_str(o, "text", buf);
	free(buf);
	return 0;
}

static int
port_list(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	struct mx_dp *dp = x->dp;
	unsigned int i, j;

	(void)a;
	ctl_out_arr(o, "ports");
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];
		struct rte_eth_link link;
		char name[RTE_ETH_NAME_MAX_LEN] = "";

		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(p->id, &link);
		rte_eth_dev_get_name_by_port(p->id, name);
		ctl_out_obj(o, NULL);
		ctl_out_str(o, "port", p->name);
		ctl_out_u64(o, "id", p->id);
		ctl_out_str(o, "device", name);
		ctl_out_str(o, "role", port_role(dp, p));
		ctl_out_mac(o, "mac", p->mac.addr_bytes);
		ctl_out_u64(o, "mtu", p->mtu);
		ctl_out_str(o, "link", link.link_status ? "up" : "down");
		ctl_out_u64(o, "speed_mbps", link.link_speed);
		ctl_out_u64(o, "rx_queues", p->nb_rxq);
		ctl_out_u64(o, "tx_queues", p->nb_txq);
		ctl_out_arr(o, "ipv4");
		for (j = 0; j < p->n_ip4; j++)
			ctl_out_ip4(o, NULL, p->ip4[j].addr, p->ip4[j].len);
		ctl_out_end(o);
		ctl_out_arr(o, "ipv6");
		for (j = 0; j < dp->snap->addr6[p->id].n; j++)
			ctl_out_ip6(o, NULL, dp->snap->addr6[p->id].a[j].addr,
				    dp->snap->addr6[p->id].a[j].len);
		ctl_out_end(o);
		if (p->mirror != MX_NO_PORT)
			ctl_out_str(o, "kernel_mirror",
				    dp->ports[p->mirror].name);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param stats_params[] = {
	{ .name = "all", .type = CTL_T_BOOL,
	  .help = "list counters that are zero too" },
	{ .name = "reset_max", .type = CTL_T_BOOL,
	  .help = "start a new poll_max_us period after this read" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "stats.get", .fn = stats_get, .params = stats_params,
	  .help = "counters per port, drop reason, event and worker" },
	{ .method = "stats.metrics.get", .fn = metrics_get,
	  .help = "every counter in the Prometheus text format" },
	{ .method = "port.list", .fn = port_list,
	  .help = "ports: role, MAC, MTU, link, queues, addresses" },
};

int
mx_cmd_stats_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
