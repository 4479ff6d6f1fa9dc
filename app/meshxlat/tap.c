/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Looking at live traffic without stopping it: packet capture to a
 * pcapng file (capture.start/stop/get) and a packet trace that records
 * the path of the next N matching packets through the stages
 * (trace.start/get/stop).
 *
 * The control plane publishes what to look at as one immutable
 * 'struct mx_tap' (NULL: nothing, which costs a worker one load and one
 * branch per burst). Workers copy captured packets (rte_pcapng_copy, from
 * a pool of their own size) and finished trace records into two
 * multi-producer rings; the main lcore drains them each loop turn and
 * writes the file, so no worker ever makes a syscall. Everything is
 * bounded: the file by max_packets and max_bytes (the capture stops
 * itself and says so with a capture.stopped event), the rings and the
 * copy pool by their size (what does not fit is counted as tap_lost).
 * A replaced tap and its rings are freed after an RCU grace period, like
 * a config snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pcapng.h>
#include <rte_ring.h>

#include "ctl.h"
#include "mx.h"

#define CAP_RING	4096	/* copies in flight to the main lcore */
#define CAP_POOL	4095	/* copy buffers, 2 KB each: a bigger packet
				 * takes several (rte_pktmbuf_copy chains) */
#define TRACE_RING	1024
#define TRACE_MAX	1000	/* packets per trace */

struct tap_res;

_Static_assert(sizeof(struct mx_trace_rec) % 4 == 0,
	       "rte_ring elements are multiples of 4 bytes");

/* What the control plane keeps about the current capture and trace. */
struct tap_state {
	struct mx_tap next;		/* filters for the next publish */
	struct tap_res *cap;		/* a capture runs */
	struct tap_res *trace;		/* a trace runs */
	/* capture */
	rte_pcapng_t *pcapng;
	int fd;
	char path[CONF_PATH_SIZE];
	uint64_t max_packets, max_bytes;
	uint64_t packets, bytes;
	double started;
	char stopped_why[64];
	/* trace: records collected so far */
	struct mx_trace_rec *recs;
	unsigned int n_recs, want;
	uint32_t trace_left;		/* decremented by workers */
};

static struct tap_state ts = { .fd = -1 };
static unsigned int tap_gen;

/* --- worker side -------------------------------------------------------- */

void
mx_tap_capture(struct mx_worker *w, const struct mx_tap *t,
	       struct rte_mbuf **pkts, uint16_t n, uint16_t port, int dir)
{
	uint64_t now = rte_get_tsc_cycles();
	struct rte_mbuf *copies[MX_BURST_MAX];
	unsigned int k = 0, sent;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *c;

		c = rte_pcapng_copy(port, w->id, pkts[i], t->cap_pool,
				    t->snaplen, now,
				    dir == MX_TAP_TX ? RTE_PCAPNG_DIRECTION_OUT :
				    RTE_PCAPNG_DIRECTION_IN);
		if (c == NULL) {
			w->ev[MX_EV_tap_lost]++;
			continue;
		}
		copies[k++] = c;
	}
	if (k == 0)
		return;
	sent = rte_ring_mp_enqueue_burst(t->cap_ring, (void **)copies, k, NULL);
	for (i = (uint16_t)sent; i < k; i++)
		rte_pktmbuf_free(copies[i]);
	w->ev[MX_EV_tap_lost] += k - sent;
}

int
mx_tap_trace_match(const struct mx_tap *t, const struct rte_mbuf *m,
		   uint16_t port)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t left;
	uint16_t et;

	if (t->trace_port != MX_NO_PORT && t->trace_port != port)
		return 0;
	if (m->data_len < 14)
		return t->trace_family == 0 && !t->trace_has_addr ? 1 : 0;
	et = (uint16_t)(p[12] << 8 | p[13]);
	if (t->trace_family == 4 && et != 0x0800)
		return 0;
	if (t->trace_family == 6 && et != 0x86dd)
		return 0;
	if (t->trace_has_addr) {
		if (t->trace_addr.len <= 32 && et == 0x0800 &&
		    m->data_len >= 34 && t->trace_addr4) {
			uint32_t s, d;

			memcpy(&s, p + 26, 4);
			memcpy(&d, p + 30, 4);
			if (!pkt_pfx4_match(&t->trace_pfx4, ntohl(s)) &&
			    !pkt_pfx4_match(&t->trace_pfx4, ntohl(d)))
				return 0;
		} else if (!t->trace_addr4 && et == 0x86dd &&
			   m->data_len >= 54) {
			if (!pkt_pfx6_match(&t->trace_addr, p + 22) &&
			    !pkt_pfx6_match(&t->trace_addr, p + 38))
				return 0;
		} else {
			return 0;
		}
	}
	/* Take one of the packets still wanted, if any is left. */
	left = __atomic_load_n(t->trace_left, __ATOMIC_RELAXED);
	while (left > 0)
		if (__atomic_compare_exchange_n(t->trace_left, &left, left - 1,
						0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return 1;
	return 0;
}

void
mx_tap_trace_emit(struct mx_worker *w, const struct mx_tap *t,
		  const struct mx_trace_rec *r)
{
	if (rte_ring_mp_enqueue_elem(t->trace_ring, (void *)(uintptr_t)r,
				     sizeof(*r)) != 0)
		w->ev[MX_EV_tap_lost]++;
}

/* --- control side ------------------------------------------------------- */

/* Rings and pools outlive the tap that names them by a grace period. */
struct tap_res {
	struct rte_ring *ring;
	struct rte_mempool *pool;	/* capture copies, or NULL */
};

static void
res_free(void *p)
{
	struct tap_res *r = p;
	void *m;

	if (r == NULL)
		return;
	if (r->pool != NULL)
		while (rte_ring_dequeue(r->ring, &m) == 0)
			rte_pktmbuf_free(m);
	rte_ring_free(r->ring);
	rte_mempool_free(r->pool);
	free(r);
}

/* Build a tap from the current state and publish it (NULL when there is
 * nothing to look at). */
static int
tap_publish(struct mx_ctl *x, char *err)
{
	struct mx_tap *t = NULL;

	if (ts.cap != NULL || ts.trace != NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL) {
			snprintf(err, CONF_ERR_SIZE, "out of memory");
			return -ENOMEM;
		}
		*t = ts.next;
		t->cap_on = ts.cap != NULL;
		t->cap_ring = ts.cap != NULL ? ts.cap->ring : NULL;
		t->cap_pool = ts.cap != NULL ? ts.cap->pool : NULL;
		t->trace_on = ts.trace != NULL;
		t->trace_ring = ts.trace != NULL ? ts.trace->ring : NULL;
		t->trace_left = &ts.trace_left;
	}
	return mx_publish_ptr(x->dp, (void **)&x->dp->tap, t, free, err);
}

static struct tap_res *
res_create(const char *what, unsigned int elem)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct tap_res *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	tap_gen++;
	snprintf(name, sizeof(name), "mx_%sr%u", what, tap_gen);
	r->ring = elem == 0 ?
		rte_ring_create(name, CAP_RING, SOCKET_ID_ANY, RING_F_SC_DEQ) :
		rte_ring_create_elem(name, elem, TRACE_RING, SOCKET_ID_ANY,
				     RING_F_SC_DEQ);
	if (r->ring != NULL && elem == 0) {
		snprintf(name, sizeof(name), "mx_%sp%u", what, tap_gen);
		r->pool = rte_pktmbuf_pool_create(name, CAP_POOL, 0, 0,
				rte_pcapng_mbuf_size(RTE_MBUF_DEFAULT_DATAROOM),
				SOCKET_ID_ANY);
	}
	if (r->ring == NULL || (elem == 0 && r->pool == NULL)) {
		res_free(r);
		return NULL;
	}
	return r;
}

/* Write what the workers copied; stop at the limits. */
static void
capture_drain(struct mx_ctl *x)
{
	struct rte_mbuf *m[64];
	unsigned int n, i;

	if (ts.cap == NULL)
		return;
	while (ts.stopped_why[0] == '\0' &&
	       (n = rte_ring_sc_dequeue_burst(ts.cap->ring, (void **)m,
					      RTE_DIM(m), NULL)) > 0) {
		unsigned int keep = n;
		ssize_t wrote = 0;

		if (ts.packets + keep > ts.max_packets)
			keep = (unsigned int)(ts.max_packets - ts.packets);
		if (keep > 0)
			wrote = rte_pcapng_write_packets(ts.pcapng, m,
							 (uint16_t)keep);
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(m[i]);
		if (wrote < 0) {
			snprintf(ts.stopped_why, sizeof(ts.stopped_why),
				 "write error: %s", strerror(errno));
			break;
		}
		ts.packets += keep;
		ts.bytes += (uint64_t)wrote;
		if (ts.packets >= ts.max_packets)
			snprintf(ts.stopped_why, sizeof(ts.stopped_why),
				 "max_packets reached");
		else if (ts.bytes >= ts.max_bytes)
			snprintf(ts.stopped_why, sizeof(ts.stopped_why),
				 "max_bytes reached");
	}
	if (ts.stopped_why[0] != '\0') {
		char err[CONF_ERR_SIZE];

		mx_tap_capture_stop(x, err);
	}
}

static void
trace_drain(void)
{
	struct mx_trace_rec r;

	if (ts.trace == NULL)
		return;
	while (rte_ring_sc_dequeue_elem(ts.trace->ring, &r, sizeof(r)) == 0)
		if (ts.n_recs < ts.want)
			ts.recs[ts.n_recs++] = r;
}

void
mx_tap_poll(struct mx_ctl *x)
{
	capture_drain(x);
	trace_drain();
}

int
mx_tap_capture_start(struct mx_ctl *x, const struct mx_cap_req *q, char *err)
{
	int rc;

	if (ts.cap != NULL) {
		snprintf(err, CONF_ERR_SIZE, "a capture to %s is running: "
			 "capture.stop first", ts.path);
		return -EBUSY;
	}
	ts.fd = open(q->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (ts.fd < 0) {
		rc = -errno;
		snprintf(err, CONF_ERR_SIZE, "%s: %s", q->file, strerror(errno));
		return rc;
	}
	ts.pcapng = rte_pcapng_fdopen(ts.fd, NULL, NULL, "meshxlat " MX_VERSION,
				      NULL);
	if (ts.pcapng == NULL) {
		snprintf(err, CONF_ERR_SIZE, "%s: cannot start a pcapng file: "
			 "%s", q->file, rte_strerror(rte_errno));
		close(ts.fd);
		rc = -EIO;
		goto fail;
	}
	ts.cap = res_create("cap", 0);
	if (ts.cap == NULL) {
		snprintf(err, CONF_ERR_SIZE, "no memory for the capture: %s",
			 rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto fail_close;
	}
	ts.next.cap_port = q->port;
	ts.next.cap_dir = q->dir;
	ts.next.cap_drop = q->drop;
	ts.next.snaplen = q->snaplen;
	snprintf(ts.path, sizeof(ts.path), "%s", q->file);
	ts.max_packets = q->max_packets;
	ts.max_bytes = q->max_bytes;
	ts.packets = ts.bytes = 0;
	ts.stopped_why[0] = '\0';
	ts.started = mx_now();
	if ((rc = tap_publish(x, err)) != 0) {
		res_free(ts.cap);
		ts.cap = NULL;
		goto fail_close;
	}
	return 0;
fail_close:
	rte_pcapng_close(ts.pcapng);
	ts.pcapng = NULL;
fail:
	ts.fd = -1;
	unlink(q->file);
	return rc;
}

int
mx_tap_capture_stop(struct mx_ctl *x, char *err)
{
	struct tap_res *res = ts.cap;
	char pk[24], by[24];
	int rc;

	if (res == NULL) {
		snprintf(err, CONF_ERR_SIZE, "no capture is running");
		return -ENOENT;
	}
	if (ts.stopped_why[0] == '\0') {
		capture_drain(x);
		if (ts.cap == NULL)	/* it hit a limit meanwhile */
			return 0;
		snprintf(ts.stopped_why, sizeof(ts.stopped_why),
			 "capture.stop");
	}
	ts.cap = NULL;
	if ((rc = tap_publish(x, err)) != 0) {
		ts.cap = res;
		return rc;
	}
	/* Workers may still copy into the ring until the grace period. */
	mx_retire(x->dp, res, res_free);
	rte_pcapng_close(ts.pcapng);	/* closes the descriptor too */
	ts.pcapng = NULL;
	ts.fd = -1;
	snprintf(pk, sizeof(pk), "%lu", (unsigned long)ts.packets);
	snprintf(by, sizeof(by), "%lu", (unsigned long)ts.bytes);
	mx_ctl_event(x, "capture.stopped", "file", ts.path, "packets", pk,
		     "bytes", by, "why", ts.stopped_why, NULL);
	return 0;
}

void
mx_tap_capture_status(struct ctl_out *o)
{
	ctl_out_bool(o, "running", ts.cap != NULL);
	ctl_out_str(o, "file", ts.path);
	ctl_out_u64(o, "packets", ts.packets);
	ctl_out_u64(o, "bytes", ts.bytes);
	if (ts.cap != NULL)
		ctl_out_real(o, "seconds", mx_now() - ts.started);
	else
		ctl_out_str(o, "stopped_by", ts.stopped_why);
}

int
mx_tap_trace_start(struct mx_ctl *x, const struct mx_trace_req *q, char *err)
{
	struct tap_res *res = ts.trace;
	int rc;

	if (q->count == 0 || q->count > TRACE_MAX) {
		snprintf(err, CONF_ERR_SIZE, "count: 1..%u", TRACE_MAX);
		return -EINVAL;
	}
	/* Stop taking packets while the new trace is set up. */
	__atomic_store_n(&ts.trace_left, 0, __ATOMIC_RELEASE);
	free(ts.recs);
	ts.n_recs = 0;
	ts.want = 0;
	ts.recs = calloc(q->count, sizeof(*ts.recs));
	if (ts.recs == NULL)
		goto nomem;
	if (res == NULL) {
		res = res_create("trc", sizeof(struct mx_trace_rec));
		if (res == NULL)
			goto nomem;
	} else {
		struct mx_trace_rec r;

		/* Records of the last trace still in the ring. */
		while (rte_ring_sc_dequeue_elem(res->ring, &r, sizeof(r)) == 0)
			;
	}
	ts.trace = res;
	ts.want = q->count;
	ts.next.trace_port = q->port;
	ts.next.trace_family = q->family;
	ts.next.trace_has_addr = q->has_addr;
	ts.next.trace_addr4 = q->addr4;
	ts.next.trace_pfx4 = q->pfx4;
	ts.next.trace_addr = q->pfx6;
	if ((rc = tap_publish(x, err)) != 0)
		return rc;
	__atomic_store_n(&ts.trace_left, q->count, __ATOMIC_RELEASE);
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "no memory for the trace");
	return -ENOMEM;
}

int
mx_tap_trace_stop(struct mx_ctl *x, char *err)
{
	struct tap_res *res = ts.trace;
	int rc;

	__atomic_store_n(&ts.trace_left, 0, __ATOMIC_RELEASE);
	if (res == NULL)
		return 0;
	trace_drain();
	ts.trace = NULL;
	if ((rc = tap_publish(x, err)) != 0) {
		ts.trace = res;
		return rc;
	}
	mx_retire(x->dp, res, res_free);
	return 0;
}

static void
out_head(struct ctl_out *o, const uint8_t *h, unsigned int len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint16_t et;

	if (len < 14) {
		ctl_out_str(o, "summary", "runt frame");
		return;
	}
	et = (uint16_t)(h[12] << 8 | h[13]);
	if (et == 0x0800 && len >= 34) {
		inet_ntop(AF_INET, h + 26, a, sizeof(a));
		inet_ntop(AF_INET, h + 30, b, sizeof(b));
		ctl_out_fmt(o, "summary", "IPv4 %s > %s proto %u ttl %u", a, b,
			    h[23], h[22]);
	} else if (et == 0x86dd && len >= 54) {
		inet_ntop(AF_INET6, h + 22, a, sizeof(a));
		inet_ntop(AF_INET6, h + 38, b, sizeof(b));
		ctl_out_fmt(o, "summary", "IPv6 %s > %s next %u hlim %u", a,
			    b, h[20], h[21]);
	} else if (et == 0x0806) {
		ctl_out_str(o, "summary", "ARP");
	} else {
		ctl_out_fmt(o, "summary", "ethertype 0x%04x", et);
	}
}

void
mx_tap_trace_out(struct mx_ctl *x, struct ctl_out *o)
{
	const struct mx_dp *dp = x->dp;
	unsigned int i, j;

	trace_drain();
	ctl_out_bool(o, "running", ts.trace != NULL && ts.n_recs < ts.want);
	ctl_out_u64(o, "wanted", ts.want);
	ctl_out_u64(o, "traced", ts.n_recs);
	ctl_out_arr(o, "packets");
	for (i = 0; i < ts.n_recs; i++) {
		const struct mx_trace_rec *r = &ts.recs[i];
		char path[256] = "";
		size_t off = 0;

		for (j = 0; j < r->n_steps && off < sizeof(path); j++)
			off += (size_t)snprintf(path + off, sizeof(path) - off,
				"%s%s", j > 0 ? " > " : "",
				mx_stage_name(r->steps[j]));
		ctl_out_obj(o, NULL);
		ctl_out_u64(o, "worker", r->worker);
		ctl_out_str(o, "port", dp->ports[r->rx_port].name);
		ctl_out_u64(o, "len", r->len);
		out_head(o, r->head, r->head_len);
		ctl_out_str(o, "path", path);
		if (r->why != 0)
			ctl_out_fmt(o, "verdict", "drop %s",
				    pkt_drop_name(r->why));
		else if (r->out_port < MX_MAX_PORTS)
			ctl_out_fmt(o, "verdict", "tx %s",
				    dp->ports[r->out_port].name);
		else
			ctl_out_str(o, "verdict", "answered or consumed");
		ctl_out_end(o);
	}
	ctl_out_end(o);
}

void
mx_tap_fini(struct mx_ctl *x)
{
	char err[CONF_ERR_SIZE];

	if (ts.cap != NULL)
		mx_tap_capture_stop(x, err);
	mx_tap_trace_stop(x, err);
	free(ts.recs);
	ts.recs = NULL;
}
