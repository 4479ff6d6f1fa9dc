/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture and trace over the control socket (the mechanics are in
 * tap.c): capture.start/stop/get write a pcapng file of a port's traffic
 * or of what one drop reason throws away; trace.start/get/stop record
 * the stages and the verdict of the next N packets matching a filter.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "mx.h"

/* The port named 'name' as a DPDK id, or MX_NO_PORT with an error. */
static int
port_arg(const struct ctl_args *a, struct ctl_out *o, const struct mx_dp *dp,
	 uint16_t *id)
{
	const struct ctl_val *v = ctl_arg(a, "port");
	unsigned int j;

	*id = MX_NO_PORT;
	if (v == NULL)
		return 0;
	for (j = 0; j < dp->n_ports; j++)
		if (strcmp(dp->ports[dp->port_ids[j]].name, v->s) == 0) {
			*id = dp->port_ids[j];
			return 0;
		}
	return ctl_err(o, CTL_E_NOT_FOUND, "port", "port '%s': no such port "
		       "(port.list shows them)", v->s);
}

static int
capture_start(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	static const uint8_t dirs[] = { MX_TAP_RX, MX_TAP_TX,
		MX_TAP_RX | MX_TAP_TX, MX_TAP_DROP };
	const struct ctl_val *dir = ctl_arg(a, "dir"), *why = ctl_arg(a, "drop");
	const struct ctl_val *snap = ctl_arg(a, "snaplen");
	const struct ctl_val *mp = ctl_arg(a, "max_packets");
	const struct ctl_val *mb = ctl_arg(a, "max_mb");
	struct mx_ctl *x = arg;
	struct mx_cap_req q = {
		.file = ctl_arg(a, "file")->s,
		.dir = MX_TAP_RX | MX_TAP_TX,
		.drop = -1,
		.snaplen = snap != NULL ? (uint32_t)snap->i : 65535,
		.max_packets = mp != NULL ? (uint64_t)mp->i : 100000,
		.max_bytes = (mb != NULL ? (uint64_t)mb->i : 100) << 20,
	};
	char err[CONF_ERR_SIZE];
	int rc;

	if ((rc = port_arg(a, o, x->dp, &q.port)) != 0)
		return rc;
	if (dir != NULL)
		q.dir = dirs[dir->i];
	if (why != NULL) {
		unsigned int r;

		for (r = 1; r < PKT_DROP_MAX; r++)
			if (strcmp(pkt_drop_name(r), why->s) == 0)
				break;
		if (r == PKT_DROP_MAX)
			return ctl_err(o, CTL_E_PARAMS, "drop", "drop '%s': no "
				       "such drop reason (doc/counters.md)",
				       why->s);
		q.drop = (int16_t)r;
		if (dir == NULL)
			q.dir = MX_TAP_DROP;
	}
	if (q.file[0] == '\0')
		return ctl_err(o, CTL_E_PARAMS, "file", "file: empty");
	rc = mx_tap_capture_start(x, &q, err);
	if (rc != 0)
		return ctl_err(o, rc == -EBUSY ? CTL_E_EXISTS : CTL_E_FAILED,
			       "file", "%s", err);
	mx_tap_capture_status(o);
	return 0;
}

static int
capture_stop(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct mx_ctl *x = arg;
	char err[CONF_ERR_SIZE];

	(void)a;
	if (mx_tap_capture_stop(x, err) != 0)
		return ctl_err(o, CTL_E_NOT_FOUND, NULL, "%s", err);
	mx_tap_capture_status(o);
	return 0;
}

static int
capture_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	(void)arg;
	mx_tap_capture_status(o);
	return 0;
}

static int
trace_start(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *n = ctl_arg(a, "count"), *fam = ctl_arg(a, "family");
	const struct ctl_val *addr = ctl_arg(a, "addr");
	struct mx_ctl *x = arg;
	struct mx_trace_req q = { .count = n != NULL ? (unsigned int)n->i : 10 };
	char err[CONF_ERR_SIZE];
	int rc;

	if ((rc = port_arg(a, o, x->dp, &q.port)) != 0)
		return rc;
	if (fam != NULL)
		q.family = fam->i == 1 ? 4 : fam->i == 2 ? 6 : 0;
	if (addr != NULL) {
		q.has_addr = 1;
		q.addr4 = addr->family == 4;
		q.pfx4 = addr->p4;
		q.pfx6 = addr->p6;
		if (q.family == 0)
			q.family = addr->family;
		else if (q.family != addr->family)
			return ctl_err(o, CTL_E_PARAMS, "addr", "addr: not of "
				       "the family asked for");
	}
	rc = mx_tap_trace_start(x, &q, err);
	if (rc != 0)
		return ctl_err(o, CTL_E_FAILED, NULL, "%s", err);
	ctl_out_u64(o, "wanted", q.count);
	return 0;
}

static int
trace_get(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	mx_tap_trace_out(arg, o);
	return 0;
}

static int
trace_stop(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	char err[CONF_ERR_SIZE];

	(void)a;
	if (mx_tap_trace_stop(arg, err) != 0)
		return ctl_err(o, CTL_E_FAILED, NULL, "%s", err);
	mx_tap_trace_out(arg, o);
	return 0;
}

static const struct ctl_param cap_params[] = {
	{ .name = "file", .type = CTL_T_STR, .required = 1,
	  .help = "the pcapng file to write (replaced)" },
	{ .name = "port", .type = CTL_T_STR,
	  .help = "only this port (default: every port)" },
	{ .name = "dir", .type = CTL_T_ENUM, .choices = "rx|tx|both|drops",
	  .help = "what to capture (default both; drops with drop=)" },
	{ .name = "drop", .type = CTL_T_STR,
	  .help = "only packets dropped for this reason (doc/counters.md)" },
	{ .name = "snaplen", .type = CTL_T_INT, .min = 64, .max = 65535,
	  .help = "bytes kept per packet (default 65535)" },
	{ .name = "max_packets", .type = CTL_T_INT, .min = 1,
	  .max = 100000000, .help = "stop after this many (default 100000)" },
	{ .name = "max_mb", .type = CTL_T_INT, .min = 1, .max = 65536,
	  .help = "stop when the file reaches this size (default 100)" },
	{ .name = NULL },
};

static const struct ctl_param trace_params[] = {
	{ .name = "count", .type = CTL_T_INT, .min = 1, .max = 1000,
	  .help = "packets to trace (default 10)" },
	{ .name = "port", .type = CTL_T_STR,
	  .help = "only packets received on this port" },
	{ .name = "family", .type = CTL_T_ENUM, .choices = "any|ipv4|ipv6",
	  .help = "only IPv4 or IPv6 packets" },
	{ .name = "addr", .type = CTL_T_PFX,
	  .help = "only packets with a source or destination in this prefix" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "capture.start", .fn = capture_start, .params = cap_params,
	  .flags = CTL_F_WRITE,
	  .help = "write packets of a port, or a drop reason, to a pcapng file" },
	{ .method = "capture.stop", .fn = capture_stop, .flags = CTL_F_WRITE,
	  .help = "finish the capture file" },
	{ .method = "capture.get", .fn = capture_get,
	  .help = "the capture: running, file, packets, bytes" },
	{ .method = "trace.start", .fn = trace_start, .params = trace_params,
	  .flags = CTL_F_WRITE,
	  .help = "record the stages and verdict of the next packets that match" },
	{ .method = "trace.get", .fn = trace_get,
	  .help = "the packets traced so far" },
	{ .method = "trace.stop", .fn = trace_stop, .flags = CTL_F_WRITE,
	  .help = "stop tracing; returns what was traced" },
};

int
mx_cmd_tap_init(struct mx_ctl *x, char *err)
{
	return mx_ctl_register(x, cmds, RTE_DIM(cmds), err);
}
