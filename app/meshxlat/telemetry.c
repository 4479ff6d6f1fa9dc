/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key counters for DPDK telemetry clients (usertools/dpdk-telemetry.py
 * and anything speaking its v2 socket, /var/run/dpdk/PREFIX/
 * dpdk_telemetry.v2): /meshxlat/stats (totals), /meshxlat/drops (per
 * reason), /meshxlat/ports (per port, with the port name as parameter).
 * The callbacks run on DPDK's telemetry thread: they only read counters
 * (the same summing as stats.get) and the port table, which is fixed
 * while the workers run. Not registered when EAL runs with
 * --no-telemetry (the default command line of the demo).
 */
#include <string.h>

#include <rte_telemetry.h>

#include "mx.h"

/* Cleared before the workers and ports go away (mx_telemetry_fini). */
static const struct mx_ctl *volatile tel_x;

#define TEL_READY()					\
	do {						\
		if (tel_x == NULL)			\
			return -1;			\
	} while (0)

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct mx_dp *dp;
	struct mx_totals t;
	uint64_t rx = 0, tx = 0, drops = 0;
	unsigned int i;

	(void)cmd;
	(void)params;
	TEL_READY();
	dp = tel_x->dp;
	mx_stats_sum(dp, tel_x->w, &t);
	for (i = 0; i < dp->n_ports; i++) {
		rx += t.rx_pkts[dp->port_ids[i]];
		tx += t.tx_pkts[dp->port_ids[i]];
	}
	for (i = 1; i < PKT_DROP_MAX; i++)
		drops += t.drops[i];
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_pkts", rx);
	rte_tel_data_add_dict_u64(d, "tx_pkts", tx);
	rte_tel_data_add_dict_u64(d, "dropped", drops);
	for (i = 0; i < MX_EV_MAX; i++)
		rte_tel_data_add_dict_u64(d, mx_event_name(i), t.ev[i]);
	rte_tel_data_add_dict_u64(d, "busy_cycles", t.busy_cycles);
	return 0;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mx_totals t;
	unsigned int i;

	(void)cmd;
	(void)params;
	TEL_READY();
	mx_stats_sum(tel_x->dp, tel_x->w, &t);
	rte_tel_data_start_dict(d);
	for (i = 1; i < PKT_DROP_MAX; i++)
		rte_tel_data_add_dict_u64(d, pkt_drop_name(i), t.drops[i]);
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct mx_dp *dp;
	struct mx_totals t;
	unsigned int i;

	(void)cmd;
	TEL_READY();
	dp = tel_x->dp;
	mx_stats_sum(dp, tel_x->w, &t);
	rte_tel_data_start_dict(d);
	for (i = 0; i < dp->n_ports; i++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[i]];
		char key[RTE_TEL_MAX_STRING_LEN];

		if (params != NULL && *params != '\0' &&
		    strcmp(params, p->name) != 0)
			continue;
		snprintf(key, sizeof(key), "%s_rx_pkts", p->name);
		rte_tel_data_add_dict_u64(d, key, t.rx_pkts[p->id]);
		snprintf(key, sizeof(key), "%s_tx_pkts", p->name);
		rte_tel_data_add_dict_u64(d, key, t.tx_pkts[p->id]);
		snprintf(key, sizeof(key), "%s_rx_bytes", p->name);
		rte_tel_data_add_dict_u64(d, key, t.rx_bytes[p->id]);
		snprintf(key, sizeof(key), "%s_tx_bytes", p->name);
		rte_tel_data_add_dict_u64(d, key, t.tx_bytes[p->id]);
	}
	return 0;
}

void
mx_telemetry_init(const struct mx_ctl *x)
{
	tel_x = x;
	rte_telemetry_register_cmd("/meshxlat/stats", tel_stats,
		"meshxlat totals: packets in, out, dropped, events. No parameters");
	rte_telemetry_register_cmd("/meshxlat/drops", tel_drops,
		"meshxlat drops per reason (doc/counters.md). No parameters");
	rte_telemetry_register_cmd("/meshxlat/ports", tel_ports,
		"meshxlat packets and bytes per port. Parameter: a port name");
}

void
mx_telemetry_fini(void)
{
	tel_x = NULL;
}
