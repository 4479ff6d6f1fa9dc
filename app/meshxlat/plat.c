/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PLAT: stateful NAT64 (RFC 6146) in the data path, on lib/nat64's
 * shards and lib/xlat's header translation.
 *
 *  - ST_NAT64_IN: IPv6 to the PLAT prefix (from the mesh, or from this
 *    node's own CLAT) becomes IPv4 from the pool. The flow's shard is a
 *    hash of the client's IPv6 address (nat64_ports_owner_in2out()).
 *  - ST_NAT64_OUT: IPv4 to a pool address becomes IPv6 to the client. The
 *    shard is the owner of the port (nat64_owner_out2in()): each worker
 *    allocates from its own slice of every pool entry's ports.
 *
 * A packet on a worker that does not own its flow goes to the owner
 * (handoff.c). Each worker is the only
 * writer of its shard; it expires sessions a bounded number per turn,
 * answers held SYNs whose time ran out (ICMP port unreachable, RFC 6146
 * section 3.5.2.2), and passes the block log records to the main lcore
 * through a ring, which writes them out: workers never log.
 *
 * The control plane reads a shard only through mx_worker_call(), which
 * runs a function on the owner between two of its bursts. At a clean
 * shutdown the shards are saved to the snapshot file; at start they are
 * restored from it, so established sessions survive an upgrade.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "csum.h"
#include "hdr.h"
#include "mx.h"
#include "nat64.h"
#include "parse.h"
#include "stage.h"
#include "xlat.h"

#define EVENT_RING	4096	/* block log records to the main lcore */
#define EXPIRE_BUDGET	64	/* sessions expired per worker turn */
#define HOLDS_BURST	16
/* Reassembly (RFC 6146 section 3.4): FRAGMENT_MIN is 2 s (section 4). */
#define FRAG_TIMEOUT_S	2
#define FRAG_FLOWS	4096	/* packets in reassembly, per worker */
#define JUMBO_MBUFS	4095
#define JUMBO_ROOM	9000	/* the biggest reassembled packet kept */

/* --- set-up -------------------------------------------------------------- */

/* The 'plat' section as lib/nat64's config. */
static int
nat64_cfg_of(const struct conf_plat *k, struct nat64_cfg *c, char *err)
{
	char msg[NAT64_ERR_SIZE];
	unsigned int i;

	nat64_cfg_init(c);
	for (i = 0; i < k->n_pool4; i++) {
		const struct conf_pool4 *p = &k->pool4[i];

		c->pool4[i].addr = p->pfx.addr;
		c->pool4[i].len = p->pfx.len;
		c->pool4[i].port_lo = p->port_lo;
		c->pool4[i].port_hi = p->port_hi;
		c->pool4[i].protos =
			((p->protos & CONF_PROTO_TCP) ? NAT64_PROTO_TCP : 0) |
			((p->protos & CONF_PROTO_UDP) ? NAT64_PROTO_UDP : 0) |
			((p->protos & CONF_PROTO_ICMP) ? NAT64_PROTO_ICMP : 0);
	}
	c->n_pool4 = k->n_pool4;
	for (i = 0; i < k->n_static; i++) {
		const struct conf_static_bib *b = &k->static_bib[i];

		memcpy(c->static_bib[i].addr6, b->ip6, 16);
		c->static_bib[i].addr4 = b->ip4;
		c->static_bib[i].port6 = b->port6;
		c->static_bib[i].port4 = b->port4;
		c->static_bib[i].proto = b->proto;
	}
	c->n_static = k->n_static;
	c->udp_timeout = k->t_udp;
	c->tcp_est_timeout = k->t_tcp_est;
	c->tcp_trans_timeout = k->t_tcp_trans;
	c->tcp_syn_hold = k->t_syn_hold;
	c->icmp_timeout = k->t_icmp;
	c->max_sessions = k->max_sessions;
	c->max_sessions_per_client = k->max_sessions_per_client;
	c->block_size = k->block_size;
	c->max_held_syns = k->max_held_syns;
	c->address_dependent_filtering = k->adf;
	c->seed = rte_rdtsc();
	if (nat64_cfg_validate(c, msg, sizeof(msg)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "plat: %s", msg);
		return -EINVAL;
	}
	return 0;
}

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
mx_plat_now_ms(const struct mx_dp *dp)
{
	return rte_rdtsc() / (dp->tsc_hz / 1000) * dp->plat->clock_speed;
}

/* Restore the shards from the snapshot file; on any error start empty. */
static void
restore(struct mx_dp *dp)
{
	struct mx_plat *pl = dp->plat;
	char err[NAT64_ERR_SIZE] = "";
	unsigned int i;
	long got, total = 0;
	FILE *f;

	f = fopen(pl->snapshot, "rb");
	if (f == NULL) {
		if (errno != ENOENT)
			fprintf(stderr, "meshxlat: plat.snapshot: %s: %s; "
				"starting with no sessions\n", pl->snapshot,
				strerror(errno));
		return;
	}
	for (i = 0; i < dp->n_workers; i++) {
		got = nat64_shard_restore(pl->shards[i], nat64_snap_read_file,
					  f, mx_plat_now_ms(dp), wall_ms(), err,
					  sizeof(err));
		if (got < 0)
			break;
		total += got;
	}
	fclose(f);
	if (i < dp->n_workers) {
		/* All or nothing: a half-restored box would be worse. */
		for (i = 0; i < dp->n_workers; i++) {
			nat64_shard_free(pl->shards[i]);
			pl->shards[i] = nat64_shard_create(&pl->cfg, i,
							   dp->n_workers, 0);
		}
		fprintf(stderr, "meshxlat: plat.snapshot: %s: refused: %s; "
			"starting with no sessions\n", pl->snapshot, err);
		return;
	}
	printf("meshxlat: restored %ld PLAT sessions from %s\n", total,
	       pl->snapshot);
	/* Now, not at exit: stdout is a file or the journal's pipe. */
	fflush(stdout);
}

int
mx_plat_init(struct mx_dp *dp, const struct conf *c, unsigned int clock_speed,
	     char *err)
{
	const struct conf_plat *k = &c->plat;
	struct mx_plat *pl;
	unsigned int i, j;
	uint32_t mgmt;

	if (!k->enabled)
		return 0;
	pl = rte_zmalloc("mx_plat", sizeof(*pl), RTE_CACHE_LINE_SIZE);
	if (pl == NULL)
		goto nomem;
	dp->plat = pl;
	pl->clock_speed = clock_speed != 0 ? clock_speed : 1;
	if (nat64_cfg_of(k, &pl->cfg, err) != 0)
		return -EINVAL;
	if (k->has_plat_prefix) {
		pl->prefix = k->plat_prefix;
	} else {
		const struct mx_port *p = mx_port_by_conf(dp, k->mesh_port);

		if (p == NULL || xlat_node_prefix(&k->plat_range,
				p->mac.addr_bytes, &pl->prefix) != 0) {
			snprintf(err, CONF_ERR_SIZE, "plat.plat_range: no "
				 "mesh port MAC to build the PLAT prefix");
			return -EINVAL;
		}
	}
	/* Seed 003: every PLAT answers on its prefix + 192.0.0.1. */
	mgmt = htonl(0xc0000001);
	xlat_rfc6052_embed(&pl->prefix, mgmt, pl->mgmt6);
	for (i = 0; i < k->n_pool4; i++)
		pl->pool[i] = k->pool4[i].pfx;
	pl->n_pool = k->n_pool4;
	for (j = 0; j < dp->n_ports; j++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[j]];

		if (!p->is_mirror && c->ports[p->conf_idx].role == CONF_ROLE_WAN4)
			pl->wan4_ports |= 1ull << p->id;
	}
	pl->ports = nat64_ports_create(&pl->cfg, dp->n_workers, err,
				       CONF_ERR_SIZE);
	if (pl->ports == NULL)
		return -EINVAL;
	for (i = 0; i < dp->n_workers; i++) {
		char name[RTE_RING_NAMESIZE];

		pl->shards[i] = nat64_shard_create(&pl->cfg, i, dp->n_workers,
						   0);
		if (pl->shards[i] == NULL) {
			snprintf(err, CONF_ERR_SIZE, "plat: cannot create the "
				 "session tables (%u sessions per worker): %s",
				 (k->max_sessions + dp->n_workers - 1) /
				 dp->n_workers, strerror(errno));
			return -ENOMEM;
		}
		snprintf(name, sizeof(name), "mx_nat64ev%u", i);
		pl->events[i] = rte_ring_create_elem(name,
				sizeof(struct nat64_event), EVENT_RING,
				SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (pl->events[i] == NULL)
			goto nomem;
	}
	pl->jumbo = rte_pktmbuf_pool_create("mx_jumbo", JUMBO_MBUFS, 32, 0,
			RTE_PKTMBUF_HEADROOM + JUMBO_ROOM, SOCKET_ID_ANY);
	if (pl->jumbo == NULL)
		goto nomem;
	for (i = 0; i < dp->n_workers; i++) {
		pl->frag[i] = rte_ip_frag_table_create(FRAG_FLOWS / 8, 8,
				FRAG_FLOWS, dp->tsc_hz * FRAG_TIMEOUT_S,
				SOCKET_ID_ANY);
		pl->frag_dr[i] = rte_zmalloc("mx_frag_dr",
					     sizeof(*pl->frag_dr[i]), 0);
		if (pl->frag[i] == NULL || pl->frag_dr[i] == NULL)
			goto nomem;
	}
	snprintf(pl->snapshot, sizeof(pl->snapshot), "%s", k->snapshot);
	if (pl->snapshot[0] != '\0')
		restore(dp);
	if (k->block_log[0] != '\0') {
		pl->block_log = fopen(k->block_log, "a");
		if (pl->block_log == NULL) {
			snprintf(err, CONF_ERR_SIZE, "plat.block_log: %s: %s",
				 k->block_log, strerror(errno));
			return -errno;
		}
	}
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "plat: out of memory: %s",
		 rte_strerror(rte_errno));
	return -ENOMEM;
}

/* 'ms' of the NAT64 clock as UTC wall-clock time, ISO 8601. */
static void
iso_time(const struct mx_dp *dp, uint64_t ms, char *buf, size_t size)
{
	uint64_t now = mx_plat_now_ms(dp);
	int64_t wall = (int64_t)wall_ms() -
		       (int64_t)(now - ms) / (int64_t)dp->plat->clock_speed;
	time_t t = (time_t)(wall / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), size - strlen(buf), ".%03dZ",
		 (int)(wall % 1000));
}

/*
 * The block log (RFC 6888 REQ-12, RFC 7422: one line per port block):
 *   alloc|free PROTO CLIENT POOLADDR LO-HI START END|- node=CLAT/96
 * with times in UTC; the client's /96 is its CLAT prefix, the mesh node
 * it is behind (seed 003).
 */
static void
write_events(struct mx_dp *dp)
{
	struct mx_plat *pl = dp->plat;
	struct nat64_event ev[32];
	unsigned int i, n, k;

	for (i = 0; i < dp->n_workers; i++) {
		if (pl->events[i] == NULL)
			continue;	/* mx_plat_init() stopped before it */
		while ((n = rte_ring_sc_dequeue_burst_elem(pl->events[i], ev,
				sizeof(ev[0]), RTE_DIM(ev), NULL)) > 0) {
			if (pl->block_log == NULL)
				continue;
			for (k = 0; k < n; k++) {
				const struct nat64_event *e = &ev[k];
				char client[INET6_ADDRSTRLEN];
				char node[INET6_ADDRSTRLEN];
				char start[48], end[48] = "-";
				uint8_t pfx[16] = { 0 };
				uint32_t a4 = htonl(e->addr4);
				char addr[INET_ADDRSTRLEN];

				memcpy(pfx, e->client, 12);
				inet_ntop(AF_INET6, e->client, client,
					  sizeof(client));
				inet_ntop(AF_INET6, pfx, node, sizeof(node));
				inet_ntop(AF_INET, &a4, addr, sizeof(addr));
				iso_time(dp, e->start_ms, start, sizeof(start));
				if (e->type == NAT64_EV_BLOCK_FREE)
					iso_time(dp, e->end_ms, end,
						 sizeof(end));
				fprintf(pl->block_log, "%s %s %s %s %u-%u %s "
					"%s node=%s/96\n",
					e->type == NAT64_EV_BLOCK_FREE ?
					"free" : "alloc",
					e->proto == PKT_PROTO_TCP ? "tcp" :
					e->proto == PKT_PROTO_UDP ? "udp" :
					"icmp", client, addr, e->port_lo,
					e->port_hi, start, end, node);
			}
			fflush(pl->block_log);
		}
	}
}

void
mx_plat_poll(struct mx_dp *dp)
{
	if (dp->plat != NULL)
		write_events(dp);
}

void
mx_plat_fini(struct mx_dp *dp)
{
	struct mx_plat *pl = dp->plat;
	struct nat64_hold h[64];
	unsigned int i, j, n;

	if (pl == NULL)
		return;
	/* The workers have stopped: their shards are ours now. */
	for (i = 0; i < dp->n_workers; i++) {
		if (pl->shards[i] == NULL)
			continue;
		while ((n = nat64_shard_holds_flush(pl->shards[i],
				mx_plat_now_ms(dp), h, RTE_DIM(h))) > 0)
			for (j = 0; j < n; j++)
				rte_pktmbuf_free(h[j].cookie);
	}
	if (pl->snapshot[0] != '\0' && pl->shards[0] != NULL) {
		char tmp[CONF_PATH_SIZE + 8];
		FILE *f;
		int rc = 0;

		/* Write aside, then rename: a crash never leaves half a
		 * snapshot under the real name. */
		snprintf(tmp, sizeof(tmp), "%s.new", pl->snapshot);
		f = fopen(tmp, "wb");
		for (i = 0; f != NULL && rc == 0 && i < dp->n_workers; i++)
			rc = nat64_shard_save(pl->shards[i],
					      nat64_snap_write_file, f,
					      mx_plat_now_ms(dp), wall_ms());
		if (f == NULL || rc != 0 || fclose(f) != 0 ||
		    rename(tmp, pl->snapshot) != 0)
			fprintf(stderr, "meshxlat: plat.snapshot: cannot save "
				"%s: %s\n", pl->snapshot, strerror(errno));
		else
			printf("meshxlat: PLAT sessions saved to %s\n",
			       pl->snapshot);
	}
	write_events(dp);
	for (i = 0; i < dp->n_workers; i++) {
		nat64_shard_free(pl->shards[i]);
		rte_ring_free(pl->events[i]);
	}
	for (i = 0; i < dp->n_workers; i++) {
		if (pl->frag_dr[i] != NULL)
			rte_ip_frag_free_death_row(pl->frag_dr[i], 0);
		if (pl->frag[i] != NULL)	/* it takes no NULL */
			rte_ip_frag_table_destroy(pl->frag[i]);
		rte_free(pl->frag_dr[i]);
	}
	rte_mempool_free(pl->jumbo);
	nat64_ports_free(pl->ports);
	if (pl->block_log != NULL)
		fclose(pl->block_log);
	rte_free(pl);
	dp->plat = NULL;
}

int
mx_plat_answers_arp(const struct mx_dp *dp, uint16_t port, uint32_t a)
{
	const struct mx_plat *pl = dp->plat;
	unsigned int i;

	if (pl == NULL || !((pl->wan4_ports >> port) & 1))
		return 0;
	for (i = 0; i < pl->n_pool; i++)
		if (pkt_pfx4_match(&pl->pool[i], a))
			return 1;
	return 0;
}

/* --- the worker side ----------------------------------------------------- */

void
mx_plat_worker_init(struct mx_worker *w)
{
	if (w->dp->plat == NULL)
		return;
	w->shard = w->dp->plat->shards[w->id];
	w->frag = w->dp->plat->frag[w->id];
	w->frag_dr = w->dp->plat->frag_dr[w->id];
}

/* Free what reassembly threw out; the expired ones are counted. */
static void
frag_housekeeping(struct mx_worker *w)
{
	struct rte_ip_frag_death_row *dr = w->frag_dr;
	uint32_t before = dr->cnt;

	rte_ip_frag_table_del_expired_entries(w->frag, dr, w->now_tsc);
	w->drops[PKT_DROP_NAT64_REASS_TIMEOUT] += dr->cnt - before;
	rte_ip_frag_free_death_row(dr, 3);
}

/*
 * One buffer for a reassembled chain: the stages and the translator read
 * headers and payload in one piece. The 14 bytes before the packet (the
 * Ethernet header, which a held SYN answer reads) come along.
 */
static struct rte_mbuf *
flatten(struct mx_worker *w, struct rte_mbuf *m, struct meta *x)
{
	const struct rte_mbuf *s;
	struct rte_mbuf *n;
	uint8_t *d;

	if (m->nb_segs == 1)
		return m;
	if (m->pkt_len > JUMBO_ROOM) {
		drop(w, m, x, PKT_DROP_NAT64_REASS_TOO_BIG);
		return NULL;
	}
	n = rte_pktmbuf_alloc(w->dp->plat->jumbo);
	if (n == NULL) {
		w->ev[MX_EV_nombuf]++;
		drop(w, m, x, PKT_DROP_NAT64_REASS_TOO_BIG);
		return NULL;
	}
	d = rte_pktmbuf_mtod(n, uint8_t *);
	memcpy(d - PKT_ETH_HLEN, rte_pktmbuf_mtod(m, uint8_t *) - PKT_ETH_HLEN,
	       PKT_ETH_HLEN);
	for (s = m; s != NULL; s = s->next) {
		memcpy(d, rte_pktmbuf_mtod(s, const uint8_t *), s->data_len);
		d += s->data_len;
	}
	n->data_len = (uint16_t)m->pkt_len;
	n->pkt_len = m->pkt_len;
	n->port = m->port;
	rte_pktmbuf_free(m);
	return n;
}

/*
 * A fragment in, and perhaps a whole packet out (RFC 6146 section 3.4:
 * ports are in the first fragment only, so the PLAT reassembles).
 * Returns the packet, reparsed into 'x', or NULL when the fragment was
 * kept (x->next is then ST_DONE) or dropped.
 */
static struct rte_mbuf *
reassemble(struct mx_worker *w, struct rte_mbuf *m, struct meta *x, int v6)
{
	uint8_t *l3 = l3_of(m);
	struct rte_mbuf *r;
	enum pkt_drop e;

	m->l2_len = 0;
	if (v6) {
		/* DPDK reassembles only a fragment header right after the
		 * IPv6 header. */
		if (x->l3.frag_off != PKT_IP6_HLEN) {
			drop(w, m, x, PKT_DROP_NAT64_FRAGMENT);
			return NULL;
		}
		m->l3_len = PKT_IP6_HLEN + 8;
		r = rte_ipv6_frag_reassemble_packet(w->frag, w->frag_dr, m,
				w->now_tsc, (struct rte_ipv6_hdr *)l3,
				(struct rte_ipv6_fragment_ext *)(l3 +
								 PKT_IP6_HLEN));
	} else {
		m->l3_len = (l3[0] & 0xf) * 4;
		r = rte_ipv4_frag_reassemble_packet(w->frag, w->frag_dr, m,
				w->now_tsc, (struct rte_ipv4_hdr *)l3);
	}
	if (r == NULL) {
		/* Kept for the rest of the packet, or thrown on the death
		 * row (which frees it). */
		x->next = ST_DONE;
		return NULL;
	}
	r = flatten(w, r, x);
	if (r == NULL)
		return NULL;
	/* DPDK fixes the length and offset of a reassembled IPv4 header
	 * but not its checksum, which the translation drops anyway. */
	e = v6 ? pkt_parse_ip6(l3_of(r), r->data_len, &x->l3) :
		 pkt_parse_ip4(l3_of(r), r->data_len, 0, &x->l3);
	if (e != PKT_DROP_NONE) {
		drop(w, r, x, e);
		return NULL;
	}
	x->reass = 1;
	w->ev[MX_EV_nat64_reassembled]++;
	return r;
}

/* The answer to a held SYN whose time ran out, or its quiet end. */
static void
hold_done(struct mx_worker *w, const struct nat64_hold *h)
{
	struct rte_mbuf *m = h->cookie;
	struct meta x;

	if (!h->expired) {
		w->drops[PKT_DROP_NAT64_SYN_RELEASED]++;
		rte_pktmbuf_free(m);
		return;
	}
	memset(&x, 0, sizeof(x));
	x.trace = NO_TRACE;
	/* The Ethernet header is still in front of the IPv4 packet. */
	memcpy(&x.smac, l3_of(m) - PKT_ETH_HLEN + PKT_ETH_ALEN,
	       sizeof(x.smac));
	if (pkt_parse_ip4(l3_of(m), m->data_len, 0, &x.l3) != PKT_DROP_NONE) {
		drop(w, m, &x, PKT_DROP_NAT64_SYN_TIMEOUT);
		return;
	}
	mx_reject4(w, m->port, m, &x, PKT_ICMP4_UNREACH,
		   PKT_ICMP4_UNREACH_PORT, 0, PKT_DROP_NAT64_SYN_TIMEOUT);
}

void
mx_plat_turn(struct mx_worker *w)
{
	struct mx_plat *pl = w->dp->plat;
	struct nat64_hold h[HOLDS_BURST];
	struct nat64_event ev[16];
	unsigned int n, i;

	/* One clock read a turn: the sessions' ms and the fragments' TSC
	 * (reassembly times out in seconds; a burst's skew does not show). */
	w->now_tsc = rte_rdtsc();
	w->now_ms = w->now_tsc / (w->dp->tsc_hz / 1000) * pl->clock_speed;
	nat64_shard_expire(w->shard, w->now_ms, EXPIRE_BUDGET);
	frag_housekeeping(w);
	n = nat64_shard_holds_pop(w->shard, w->now_ms, h, RTE_DIM(h));
	for (i = 0; i < n; i++)
		hold_done(w, &h[i]);
	n = nat64_shard_events_drain(w->shard, ev, RTE_DIM(ev));
	if (n > 0) {
		i = rte_ring_sp_enqueue_burst_elem(pl->events[w->id], ev,
						   sizeof(ev[0]), n, NULL);
		w->ev[MX_EV_nat64_block_log_lost] += n - i;
	}
}

/* --- translating --------------------------------------------------------- */

static const uint8_t verdict_drop[NAT64_VERDICT_MAX] = {
	[NAT64_OK] = PKT_DROP_NONE,
	[NAT64_HELD] = PKT_DROP_NONE,
	[NAT64_PROTO] = PKT_DROP_NAT64_PROTO,
	[NAT64_NO_BIB] = PKT_DROP_NAT64_NO_BIB,
	[NAT64_FILTERED] = PKT_DROP_NAT64_FILTERED,
	[NAT64_NO_SESSION] = PKT_DROP_NAT64_NO_SESSION,
	[NAT64_POOL_EXHAUSTED] = PKT_DROP_NAT64_POOL_EXHAUSTED,
	[NAT64_CLIENT_BLOCKS] = PKT_DROP_NAT64_CLIENT_BLOCKS,
	[NAT64_MAX_SESSIONS] = PKT_DROP_NAT64_MAX_SESSIONS,
	[NAT64_CLIENT_SESSIONS] = PKT_DROP_NAT64_CLIENT_SESSIONS,
	[NAT64_MAX_CLIENTS] = PKT_DROP_NAT64_TABLE_FULL,
	[NAT64_MAX_BLOCKS] = PKT_DROP_NAT64_TABLE_FULL,
	[NAT64_TABLE_FULL] = PKT_DROP_NAT64_TABLE_FULL,
	[NAT64_HOLD_FULL] = PKT_DROP_NAT64_HOLD_FULL,
	[NAT64_HOLD_DUP] = PKT_DROP_NAT64_HOLD_DUP,
};

/* RFC 6146 3.5.1.1 and 3.5.2.1: when no IPv4 transport address or BIB
 * entry can be had, "the NAT64 SHOULD send an ICMPv6 Destination
 * Unreachable error message with Code 3 (Address Unreachable)". */
static int
exhausted(enum nat64_verdict v)
{
	return v == NAT64_POOL_EXHAUSTED || v == NAT64_CLIENT_BLOCKS ||
	       v == NAT64_MAX_SESSIONS || v == NAT64_CLIENT_SESSIONS ||
	       v == NAT64_MAX_CLIENTS || v == NAT64_MAX_BLOCKS ||
	       v == NAT64_TABLE_FULL;
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * The ports of a transport header: TCP and UDP their two ports, ICMP
 * queries their identifier twice. Returns 0, or -1 when 'l4' ('len'
 * bytes) is too short or not a query.
 */
static int
l4_ports(uint8_t proto, const uint8_t *l4, uint32_t len, uint16_t *sport,
	 uint16_t *dport)
{
	switch (proto) {
	case PKT_PROTO_TCP:
	case PKT_PROTO_UDP:
		if (len < 4)
			return -1;
		*sport = rd16(l4);
		*dport = rd16(l4 + 2);
		return 0;
	case PKT_PROTO_ICMP:
	case PKT_PROTO_ICMP6:
		if (len < 6)
			return -1;
		*sport = *dport = rd16(l4 + 4);
		return 0;
	default:
		return -1;
	}
}

static int
icmp6_is_query(uint8_t type)
{
	return type == PKT_ICMP6_ECHO || type == PKT_ICMP6_ECHO_REPLY;
}

static int
icmp4_is_query(uint8_t type)
{
	return type == PKT_ICMP4_ECHO || type == PKT_ICMP4_ECHO_REPLY;
}

static int
icmp4_is_error(uint8_t type)
{
	return type == PKT_ICMP4_UNREACH || type == PKT_ICMP4_TIME_EXCEEDED ||
	       type == PKT_ICMP4_PARAMPROB;
}

/*
 * The flow an IPv6 packet to the PLAT prefix belongs to, as 'in2out'
 * tuple. For an ICMPv6 error it is the flow of the quoted packet, which
 * went from the IPv4 side to the client ('*is_err' set: look up only).
 * Returns PKT_DROP_NONE or why not.
 */
static enum pkt_drop
tuple6_of(const struct mx_plat *pl, const uint8_t *l3, const struct pkt_l3 *in,
	  struct nat64_tuple6 *t, int *is_err)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;
	const uint8_t *l4 = l3 + in->l4_off;
	uint32_t len = in->len - in->l4_off;
	uint16_t sp, dp;

	*is_err = 0;
	memset(t, 0, sizeof(*t));
	if (in->is_frag)
		return PKT_DROP_NAT64_FRAGMENT;
	if (in->l4_proto == PKT_PROTO_ICMP6 && len >= 1 &&
	    !icmp6_is_query(l4[0])) {
		const uint8_t *iip = l4 + PKT_ICMP_HLEN;
		struct pkt_l3 inner;
		uint8_t proto;

		if (l4[0] >= 128)		/* informational, not a query */
			return PKT_DROP_XLAT_ICMP_TYPE;
		if (len < PKT_ICMP_HLEN + PKT_IP6_HLEN)
			return PKT_DROP_XLAT_ICMP_INNER;
		/* The quoted packet: the remote (under the prefix) to the
		 * client; it may be cut short, its ports must be there. */
		if (pkt_parse_ip6(iip, len - PKT_ICMP_HLEN, &inner) !=
		    PKT_DROP_NONE && len - PKT_ICMP_HLEN < PKT_IP6_HLEN + 8u)
			return PKT_DROP_XLAT_ICMP_INNER;
		if (!pkt_pfx6_match(&pl->prefix, iip + 8))
			return PKT_DROP_NAT64_NO_SESSION;
		proto = iip[6];
		if (proto == PKT_PROTO_ICMP6) {
			if (!icmp6_is_query(iip[40]))
				return PKT_DROP_XLAT_ICMP_INNER;
			proto = PKT_PROTO_ICMP;
		}
		if (l4_ports(iip[6], iip + PKT_IP6_HLEN,
			     len - PKT_ICMP_HLEN - PKT_IP6_HLEN, &sp, &dp) != 0)
			return PKT_DROP_XLAT_ICMP_INNER;
		memcpy(t->addr6, iip + 24, 16);
		t->rem4 = ntohl(xlat_rfc6052_extract(&pl->prefix, iip + 8));
		t->port6 = dp;
		t->rport = sp;
		t->proto = proto;
		*is_err = 1;
		return PKT_DROP_NONE;
	}
	if (l4_ports(in->l4_proto, l4, len, &sp, &dp) != 0)
		return in->l4_proto == PKT_PROTO_TCP ||
		       in->l4_proto == PKT_PROTO_UDP ||
		       in->l4_proto == PKT_PROTO_ICMP6 ?
		       PKT_DROP_L4_TRUNC : PKT_DROP_NAT64_PROTO;
	memcpy(t->addr6, ip->src, 16);
	t->rem4 = ntohl(xlat_rfc6052_extract(&pl->prefix, ip->dst));
	t->port6 = sp;
	t->rport = dp;
	t->proto = in->l4_proto == PKT_PROTO_ICMP6 ? PKT_PROTO_ICMP :
		   in->l4_proto;
	return PKT_DROP_NONE;
}

/*
 * The client an IPv6 packet to the PLAT prefix belongs to, whose shard
 * owns its flow: its source; for an ICMPv6 error, which a router on the
 * way may have sent, the destination of the quoted packet (the error's
 * tuple is the quoted packet's, RFC 6146 3.4), as in tuple6_of().
 */
static const uint8_t *
client6_of(const uint8_t *l3, const struct pkt_l3 *in)
{
	const uint8_t *l4 = l3 + in->l4_off;
	uint32_t len = in->len - in->l4_off;

	if (in->l4_proto == PKT_PROTO_ICMP6 && !in->is_frag &&
	    len >= PKT_ICMP_HLEN + PKT_IP6_HLEN && l4[0] < 128)
		return l4 + PKT_ICMP_HLEN + 24;
	return ((const struct pkt_ip6 *)l3)->src;
}

/*
 * The same for an IPv4 packet to the pool ('out2in' tuple). For an ICMP
 * error: the flow of the quoted packet, which the client sent.
 */
static enum pkt_drop
tuple4_of(const uint8_t *l3, const struct pkt_l3 *in, struct nat64_tuple4 *t,
	  int *is_err)
{
	const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3;
	const uint8_t *l4 = l3 + in->l4_off;
	uint32_t len = in->len - in->l4_off;
	uint16_t sp, dp;

	*is_err = 0;
	memset(t, 0, sizeof(*t));
	if (in->is_frag)
		return PKT_DROP_NAT64_FRAGMENT;
	if (in->l4_proto == PKT_PROTO_ICMP && len >= 1 &&
	    !icmp4_is_query(l4[0])) {
		const uint8_t *iip = l4 + PKT_ICMP_HLEN;
		uint32_t ilen = len - PKT_ICMP_HLEN, ihl;
		uint8_t proto;

		if (!icmp4_is_error(l4[0]))
			return PKT_DROP_XLAT_ICMP_TYPE;
		if (len < PKT_ICMP_HLEN + PKT_IP4_HLEN || (iip[0] >> 4) != 4)
			return PKT_DROP_XLAT_ICMP_INNER;
		ihl = (iip[0] & 0xfu) * 4u;
		if (ihl < PKT_IP4_HLEN || ilen < ihl + 4)
			return PKT_DROP_XLAT_ICMP_INNER;
		proto = iip[9];
		if (proto == PKT_PROTO_ICMP && !icmp4_is_query(iip[ihl]))
			return PKT_DROP_XLAT_ICMP_INNER;
		if (l4_ports(proto, iip + ihl, ilen - ihl, &sp, &dp) != 0)
			return PKT_DROP_XLAT_ICMP_INNER;
		/* The quoted packet left from the pool: its source is ours. */
		memcpy(&t->addr4, iip + 12, 4);
		memcpy(&t->rem4, iip + 16, 4);
		t->addr4 = ntohl(t->addr4);
		t->rem4 = ntohl(t->rem4);
		t->port4 = sp;
		t->rport = dp;
		t->proto = proto;
		*is_err = 1;
		return PKT_DROP_NONE;
	}
	if (l4_ports(in->l4_proto, l4, len, &sp, &dp) != 0)
		return in->l4_proto == PKT_PROTO_TCP ||
		       in->l4_proto == PKT_PROTO_UDP ||
		       in->l4_proto == PKT_PROTO_ICMP ?
		       PKT_DROP_L4_TRUNC : PKT_DROP_NAT64_PROTO;
	t->addr4 = ntohl(ip->dst);
	t->rem4 = ntohl(ip->src);
	t->port4 = dp;
	t->rport = sp;
	t->proto = in->l4_proto;
	return PKT_DROP_NONE;
}

/*
 * A pool address may be a wan port's own address too (CONFIG-DRAFT; seed
 * 003 gives the PLAT ports 9000-10000 of 10.23.0.9 "so the kernel's own
 * masquerade on the same address never collides"): the PLAT takes what a
 * pool4 entry serves, the rest of that address is the box's. An ICMP
 * error goes by the packet it quotes; a fragment or a truncated packet
 * stays with the PLAT, which counts it.
 */
int
mx_plat_for_box4(const struct mx_dp *dp, const uint8_t *l3,
		 const struct pkt_l3 *in)
{
	struct nat64_tuple4 t;
	enum pkt_drop r;
	int is_err;

	r = tuple4_of(l3, in, &t, &is_err);
	if (r == PKT_DROP_NAT64_PROTO || r == PKT_DROP_XLAT_ICMP_TYPE)
		return 1;
	return r == PKT_DROP_NONE &&
	       nat64_owner_out2in(dp->plat->ports, t.addr4, t.port4,
				  t.proto) < 0;
}

static uint8_t
tcp_flags_of(const uint8_t *l3, const struct pkt_l3 *in)
{
	if (in->l4_proto != PKT_PROTO_TCP || in->len - in->l4_off < 14)
		return 0;
	return l3[in->l4_off + 13] & (NAT64_TCP_FIN | NAT64_TCP_SYN |
				      NAT64_TCP_RST);
}

static int
in_pool(const struct mx_plat *pl, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < pl->n_pool; i++)
		if (pkt_pfx4_match(&pl->pool[i], a))
			return 1;
	return 0;
}

/*
 * The PLAT's own ICMPv6 error about a packet of a roamed client (seed
 * 003) goes back to the address the packet came from, CLATB:CLIENTIP,
 * quoting it as it came (RFC 4443 2.4): the rofromD remap of
 * stage_nat64_in is undone through its rotoB pair, CLATD:CLIENTIP ->
 * CLATB. Else the error would go to CLATD, the node the client left.
 */
static void
roam_unmap(struct mx_worker *w, struct rte_mbuf *m, struct meta *x)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3_of(m);
	const uint8_t *pfx;

	if (x->roamed != 2 || w->roam == NULL)
		return;
	pfx = roam_table_lookup(w->roam, ROAM_TO, ip->src, w->now_ms);
	if (pfx != NULL && roam_netmap6(l3_of(m), m->data_len, ROAM_SRC,
					pfx) == PKT_DROP_NONE)
		x->roamed = 1;
}

static void
reject6(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	struct meta *x, uint8_t type, uint8_t code, uint32_t word,
	enum pkt_drop why)
{
	roam_unmap(w, m, x);
	mx_reject6(w, port, m, x, type, code, word, why);
}

/*
 * The end of NAT64_IN for one packet with its session's addresses and
 * ports in 'nat': route, MTU, translate, and where it goes next.
 */
static void
in_finish(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	  struct meta *x, const struct xlat_nat *nat)
{
	const struct mx_dp *dp = w->dp;
	const struct mx_plat *pl = dp->plat;
	struct pkt_ip6 *ip = (struct pkt_ip6 *)l3_of(m);
	const struct mx_nh *nh;
	struct xlat_ctx ctx;
	struct xlat_out out;
	uint32_t dst4, mtu4, size;
	enum pkt_drop r;
	uint64_t idx;
	int hairpin;

	dst4 = ntohl(nat->dst4);
	rte_fib_lookup_bulk(w->snap->fib4, &dst4, &idx, 1);
	nh = &w->snap->nh[idx];
	if (nh->type == MX_NH_MISS) {
		reject6(w, port, m, x, PKT_ICMP6_UNREACH,
			   PKT_ICMP6_UNREACH_NOROUTE, 0,
			   PKT_DROP_NO_ROUTE);
		return;
	}
	/* As stage_xlat64: too big for IPv4 and DF to be set (over
	 * 1260 bytes) earns a packet too big (RFC 7915 5.1). */
	mtu4 = nh->type == MX_NH_FWD ? dp->ports[nh->port].mtu : 65535;
	size = x->l3.len - x->l3.l4_off + PKT_IP4_HLEN;
	x->frag_size = 0;
	if (size > mtu4 && x->l3.l4_proto != PKT_PROTO_ICMP6) {
		/* Its sender fragmented it already: fragments it
		 * stays (DF clear), no packet too big. */
		if (size > 1260 && !x->reass) {
			reject6(w, port, m, x, PKT_ICMP6_PKT_TOO_BIG,
				   0, RTE_MAX((uint32_t)PKT_IP6_MIN_MTU,
				   mtu4 + x->l3.len - size),
				   PKT_DROP_MTU_EXCEEDED);
			return;
		}
		x->frag_size = (uint16_t)mtu4;
	}
	/* The router's decrement. A packet that turns around inside
	 * (RFC 6146 3.8) gets it from the out2in stage, so that the box is
	 * one hop, as for SIIT hairpinning (RFC 7757 4.2). */
	hairpin = nh->type == MX_NH_PLAT || in_pool(pl, dst4);
	if (!hairpin)
		ip->hop_limit--;
	memset(&ctx, 0, sizeof(ctx));
	ctx.mtu4 = (uint16_t)mtu4;
	ctx.mtu6 = dp->ports[port].mtu;
	ctx.tailroom = rte_pktmbuf_tailroom(m);
	ctx.self4 = nat->src4;
	ctx.ip4_id = htons(w->ip4_id++);
	ctx.nat = nat;
	r = xlat64(&w->snap->xlat, &ctx, (uint8_t *)ip, &x->l3, &out);
	if (r != PKT_DROP_NONE) {
		if (!hairpin)
			ip->hop_limit++;
		roam_unmap(w, m, x);
		mx_reject64(w, port, m, x, r);
		return;
	}
	mx_set_l3(m, &out);
	if (x->reass) {
		struct pkt_ip4 *o4 = (struct pkt_ip4 *)out.l3;
		uint16_t f = o4->frag;

		/* RFC 7915 5.1 sets DF on big packets; this one came
		 * in fragments and may leave in fragments. */
		o4->frag &= (uint16_t)~htons(PKT_IP4_DF);
		o4->csum = pkt_csum_replace(o4->csum, ntohs(f),
					    ntohs(o4->frag));
	}
	w->ev[MX_EV_nat64_in2out]++;
	if (hairpin) {
		/* RFC 6146 3.8: to another client of this PLAT. */
		if (pkt_parse_ip4(l3_of(m), m->data_len, 0, &x->l3) !=
		    PKT_DROP_NONE) {
			drop(w, m, x, PKT_DROP_XLAT_ICMP_INNER);
			return;
		}
		w->ev[MX_EV_nat64_hairpin]++;
		x->next = ST_NAT64_OUT;
		x->translated = 1;
		return;
	}
	if (nh->type != MX_NH_FWD) {
		drop(w, m, x, PKT_DROP_XLAT_DST);
		return;
	}
	mx_to_neigh4(x, nh, dst4);
}

/* The verdicts of a bulk in2out call, packet by packet. */
static void
in_bulk(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	struct meta *mt, const uint16_t *idx, const struct nat64_tuple6 *t6,
	const uint8_t *flags, unsigned int k)
{
	struct nat64_tuple4 t4[NAT64_BULK_MAX];
	uint8_t verdict[NAT64_BULK_MAX];
	unsigned int j;

	nat64_in2out_bulk(w->shard, t6, flags, k, w->now_ms, t4, verdict);
	for (j = 0; j < k; j++) {
		struct rte_mbuf *m = pkts[idx[j]];
		struct meta *x = &mt[idx[j]];
		enum nat64_verdict v = verdict[j];
		struct xlat_nat nat;

		if (v != NAT64_OK) {
			if (exhausted(v) && x->l3.l4_proto != PKT_PROTO_ICMP6)
				reject6(w, port, m, x, PKT_ICMP6_UNREACH,
					   PKT_ICMP6_UNREACH_ADDR, 0,
					   verdict_drop[v]);
			else
				drop(w, m, x, verdict_drop[v]);
			continue;
		}
		memset(&nat, 0, sizeof(nat));
		nat.src4 = htonl(t4[j].addr4);
		nat.dst4 = htonl(t4[j].rem4);
		nat.sport = t4[j].port4;
		nat.dport = t4[j].rport;
		in_finish(w, port, m, x, &nat);
	}
}

/*
 * NAT64_IN over the burst: the first pass hands off, reassembles and
 * builds the tuples; sessions are then looked up (and created) in bulk,
 * so their cache misses overlap (lib/nat64: ~140 cycles per packet at
 * 1 M sessions, 3-6 times less than one at a time).
 */
void
stage_nat64_in(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	       struct meta *mt, uint16_t n)
{
	const struct mx_plat *pl = w->dp->plat;
	struct nat64_tuple6 t6[NAT64_BULK_MAX];
	uint8_t flags[NAT64_BULK_MAX];
	uint16_t idx[NAT64_BULK_MAX];
	unsigned int k = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct meta *x = &mt[i];
		struct nat64_tuple4 t4;
		enum nat64_verdict v;
		struct xlat_nat nat;
		struct pkt_ip6 *ip;
		unsigned int owner;
		enum pkt_drop r;
		int is_err;

		if (x->next != ST_NAT64_IN)
			continue;
		/* Seed 003 on the PLAT: a roamed client's new address
		 * CLATB:CLIENTIP is its old CLATD:CLIENTIP again, before
		 * the owner is chosen, so its sessions are found. */
		if (w->roam != NULL && !x->roamed) {
			int hit;

			r = roam_apply(w->roam, ROAM_STEP_PLAT_IN2OUT, NULL,
				       w->now_ms, l3_of(m), m->data_len, &hit);
			if (r != PKT_DROP_NONE) {
				drop(w, m, x, r);
				continue;
			}
			/* 2: remapped, which roam_unmap() undoes */
			x->roamed = (uint8_t)(1 + hit);
			w->ev[MX_EV_roam_plat_in] += (unsigned int)hit;
		}
		ip = (struct pkt_ip6 *)l3_of(m);
		owner = nat64_ports_owner_in2out(pl->ports,
				client6_of((const uint8_t *)ip, &x->l3));
		if (owner != w->id) {
			mx_handoff(w, m, x, port, owner, ST_NAT64_IN);
			continue;
		}
		if (x->l3.is_frag) {
			m = reassemble(w, m, x, 1);
			if (m == NULL)
				continue;
			pkts[i] = m;
			ip = (struct pkt_ip6 *)l3_of(m);
		}
		if (ip->hop_limit <= 1) {
			reject6(w, port, m, x, PKT_ICMP6_TIME_EXCEEDED, 0, 0,
				   PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		r = tuple6_of(pl, (const uint8_t *)ip, &x->l3, &t6[k], &is_err);
		if (r != PKT_DROP_NONE) {
			drop(w, m, x, r);
			continue;
		}
		if (!is_err) {
			flags[k] = tcp_flags_of((uint8_t *)ip, &x->l3);
			idx[k++] = i;
			if (k == NAT64_BULK_MAX) {
				in_bulk(w, port, pkts, mt, idx, t6, flags, k);
				k = 0;
			}
			continue;
		}
		/* Packets before it in the burst may create the session it
		 * is about: they go first. */
		if (k != 0) {
			struct nat64_tuple6 t = t6[k];

			in_bulk(w, port, pkts, mt, idx, t6, flags, k);
			k = 0;
			t6[0] = t;
		}
		/* RFC 6146 3.5.4: the flow must exist; nothing changes. The
		 * quoted packet went remote -> client: it becomes remote ->
		 * pool. */
		v = nat64_in2out_lookup(w->shard, &t6[k], &t4);
		if (v != NAT64_OK) {
			drop(w, m, x, verdict_drop[v]);
			continue;
		}
		memset(&nat, 0, sizeof(nat));
		nat.src4 = htonl(t4.addr4);
		nat.dst4 = xlat_rfc6052_extract(&pl->prefix, ip->dst);
		nat.isrc4 = htonl(t4.rem4);
		nat.idst4 = htonl(t4.addr4);
		nat.isport = t4.rport;
		nat.idport = t4.port4;
		in_finish(w, port, m, x, &nat);
	}
	if (k != 0)
		in_bulk(w, port, pkts, mt, idx, t6, flags, k);
}

/* The end of NAT64_OUT for one packet: route, MTU, translate, next. */
static void
out_finish(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
	   struct meta *x, const struct xlat_nat *nat, int is_err)
{
	const struct mx_dp *dp = w->dp;
	const struct mx_plat *pl = dp->plat;
	struct pkt_ip4 *ip = (struct pkt_ip4 *)l3_of(m);
	const struct mx_nh *nh;
	const uint8_t *roam = NULL;
	uint8_t dst6[1][16];
	struct xlat_ctx ctx;
	struct xlat_out out;
	uint32_t mtu6;
	enum pkt_drop r;
	uint64_t idx;

	/* The client may sit behind this node's own CLAT: the full
	 * IPv6 table decides (translate, or forward). */
	memcpy(dst6[0], nat->dst6, 16);
	/* Seed 003: a roamed client's old address CLATD:CLIENTIP is
	 * routed to its new one, CLATB:CLIENTIP. */
	if (w->roam != NULL &&
	    (roam = roam_table_lookup(w->roam, ROAM_TO, nat->dst6,
				      w->now_ms)) != NULL)
		memcpy(dst6[0], roam, ROAM_PFX_LEN);
	rte_fib6_lookup_bulk(w->snap->fib6, dst6, &idx, 1);
	nh = &w->snap->nh[idx];
	if (nh->type == MX_NH_MISS) {
		mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
			   PKT_ICMP4_UNREACH_NET, 0, PKT_DROP_NO_ROUTE);
		return;
	}
	if (nh->type != MX_NH_FWD && nh->type != MX_NH_XLAT) {
		drop(w, m, x, PKT_DROP_XLAT_DST);
		return;
	}
	mtu6 = nh->type == MX_NH_FWD ? dp->ports[nh->port].mtu : 65535;
	/* As stage_xlat46 (RFC 7915 section 4): DF set -> the sender
	 * learns the size; DF clear -> IPv6 fragments no bigger than
	 * lowest_ipv6_mtu; errors are cut to 1280 by the translator. */
	x->frag_size = 0;
	if (!is_err && x->l3.len + 20 > mtu6 &&
	    (ntohs(ip->frag) & PKT_IP4_DF)) {
		mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
			   PKT_ICMP4_UNREACH_NEEDFRAG, mtu6 - 20,
			   PKT_DROP_MTU_EXCEEDED);
		return;
	}
	if (!is_err && nh->type == MX_NH_FWD &&
	    x->l3.len + 20 > RTE_MIN(mtu6,
			(uint32_t)w->snap->xlat.lowest_ipv6_mtu) &&
	    !(ntohs(ip->frag) & PKT_IP4_DF)) {
		x->frag_size = (uint16_t)RTE_MIN(mtu6,
			(uint32_t)w->snap->xlat.lowest_ipv6_mtu);
		/* RFC 7915 4.1: the fragment id comes from IPv4. */
		m->hash.usr = ntohs(ip->id);
	}
	memset(&ctx, 0, sizeof(ctx));
	/* Room for the Ethernet header that goes in front later. */
	ctx.headroom = rte_pktmbuf_headroom(m) - PKT_ETH_HLEN;
	ctx.tailroom = rte_pktmbuf_tailroom(m);
	ctx.mtu4 = dp->ports[port].mtu;
	ctx.mtu6 = (uint16_t)RTE_MIN(mtu6, 65535u);
	ctx.self6 = pl->mgmt6;
	ctx.nat = nat;
	r = xlat46(&w->snap->xlat, &ctx, (uint8_t *)ip, &x->l3, &out);
	if (r != PKT_DROP_NONE) {
		drop(w, m, x, r);
		return;
	}
	/* The router's decrement, on the IPv6 header (no checksum):
	 * a refused packet was quoted as it arrived. */
	/* To this node's CLAT, its 6->4 stage makes the decrement: one
	 * hop through the box. */
	if (nh->type != MX_NH_XLAT)
		((struct pkt_ip6 *)out.l3)->hop_limit--;
	mx_set_l3(m, &out);
	w->ev[MX_EV_nat64_out2in]++;
	if (roam != NULL) {
		r = roam_netmap6(l3_of(m), m->data_len, ROAM_DST, roam);
		if (r != PKT_DROP_NONE) {
			drop(w, m, x, r);
			return;
		}
		w->ev[MX_EV_roam_plat_out]++;
	}
	if (nh->type == MX_NH_XLAT) {
		/* To a client of this node's CLAT: on to 6->4. */
		if (pkt_parse_ip6(l3_of(m), m->data_len, &x->l3) !=
		    PKT_DROP_NONE) {
			drop(w, m, x, PKT_DROP_XLAT_ICMP_INNER);
			return;
		}
		x->next = ST_XLAT64;
		x->translated = 1;
		return;
	}
	/* The address routed, a roamed client's new one: on a link
	 * route it is also the neighbour to resolve. */
	mx_to_neigh6(x, nh, dst6[0]);
}

static void
out_bulk(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	 struct meta *mt, const uint16_t *idx, const struct nat64_tuple4 *t4,
	 const uint8_t *flags, void *const *cookies, unsigned int k)
{
	const struct mx_plat *pl = w->dp->plat;
	struct nat64_tuple6 t6[NAT64_BULK_MAX];
	uint8_t verdict[NAT64_BULK_MAX];
	unsigned int j;

	nat64_out2in_bulk(w->shard, t4, flags, k, w->now_ms, cookies, t6,
			  verdict);
	for (j = 0; j < k; j++) {
		struct rte_mbuf *m = pkts[idx[j]];
		struct meta *x = &mt[idx[j]];
		const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3_of(m);
		enum nat64_verdict v = verdict[j];
		struct xlat_nat nat;

		if (v == NAT64_HELD) {
			/* The shard keeps the packet for up to
			 * TCP_INCOMING_SYN (RFC 6146 3.5.2.2). */
			w->ev[MX_EV_nat64_held]++;
			x->next = ST_DONE;
			continue;
		}
		if (v != NAT64_OK) {
			if (v == NAT64_FILTERED)
				mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
					   PKT_ICMP4_UNREACH_ADMIN, 0,
					   verdict_drop[v]);
			else if (v == NAT64_HOLD_FULL)
				mx_reject4(w, port, m, x, PKT_ICMP4_UNREACH,
					   PKT_ICMP4_UNREACH_PORT, 0,
					   verdict_drop[v]);
			else
				drop(w, m, x, verdict_drop[v]);
			continue;
		}
		memset(&nat, 0, sizeof(nat));
		xlat_rfc6052_embed(&pl->prefix, ip->src, nat.src6);
		memcpy(nat.dst6, t6[j].addr6, 16);
		/* The session's IPv6 side: for ICMP both "ports" are the
		 * client's identifier (RFC 6146 3.5.3), which xlat writes
		 * from sport; for TCP and UDP it is the remote's port. */
		nat.sport = t6[j].rport;
		nat.dport = t6[j].port6;
		out_finish(w, port, m, x, &nat, 0);
	}
}

void
stage_nat64_out(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
		struct meta *mt, uint16_t n)
{
	const struct mx_plat *pl = w->dp->plat;
	struct nat64_tuple4 t4[NAT64_BULK_MAX];
	void *cookies[NAT64_BULK_MAX];
	uint8_t flags[NAT64_BULK_MAX];
	uint16_t idx[NAT64_BULK_MAX];
	unsigned int k = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct meta *x = &mt[i];
		struct nat64_tuple6 t6;
		enum nat64_verdict v;
		struct xlat_nat nat;
		struct pkt_ip4 *ip;
		enum pkt_drop r;
		int owner, is_err;

		if (x->next != ST_NAT64_OUT)
			continue;
		if (x->l3.is_frag) {
			/* Before the owner: only the first fragment says
			 * which port, hence which worker. */
			m = reassemble(w, m, x, 0);
			if (m == NULL)
				continue;
			pkts[i] = m;
		}
		ip = (struct pkt_ip4 *)l3_of(m);
		r = tuple4_of((const uint8_t *)ip, &x->l3, &t4[k], &is_err);
		if (r != PKT_DROP_NONE) {
			drop(w, m, x, r);
			continue;
		}
		owner = nat64_owner_out2in(pl->ports, t4[k].addr4, t4[k].port4,
					   t4[k].proto);
		if (owner < 0) {
			drop(w, m, x, is_err ? PKT_DROP_NAT64_NO_SESSION :
			     PKT_DROP_NAT64_NO_BIB);
			continue;
		}
		if ((unsigned int)owner != w->id) {
			mx_handoff(w, m, x, port, (unsigned int)owner,
				   ST_NAT64_OUT);
			continue;
		}
		if (ip->ttl <= 1) {
			mx_reject4(w, port, m, x, PKT_ICMP4_TIME_EXCEEDED, 0, 0,
				   PKT_DROP_TTL_EXCEEDED);
			continue;
		}
		if (!is_err) {
			flags[k] = tcp_flags_of((uint8_t *)ip, &x->l3);
			cookies[k] = (flags[k] & NAT64_TCP_SYN) ? m : NULL;
			idx[k++] = i;
			if (k == NAT64_BULK_MAX) {
				out_bulk(w, port, pkts, mt, idx, t4, flags,
					 cookies, k);
				k = 0;
			}
			continue;
		}
		if (k != 0) {
			struct nat64_tuple4 t = t4[k];

			out_bulk(w, port, pkts, mt, idx, t4, flags, cookies, k);
			k = 0;
			t4[0] = t;
		}
		v = nat64_out2in_lookup(w->shard, &t4[k], &t6);
		if (v != NAT64_OK) {
			drop(w, m, x, verdict_drop[v]);
			continue;
		}
		/* The error came from a router or the remote; the quoted
		 * packet becomes the client's own. */
		memset(&nat, 0, sizeof(nat));
		xlat_rfc6052_embed(&pl->prefix, ip->src, nat.src6);
		memcpy(nat.dst6, t6.addr6, 16);
		memcpy(nat.isrc6, t6.addr6, 16);
		xlat_rfc6052_embed(&pl->prefix, htonl(t4[k].rem4), nat.idst6);
		nat.isport = t6.port6;
		nat.idport = t4[k].rport;
		out_finish(w, port, m, x, &nat, 1);
	}
	if (k != 0)
		out_bulk(w, port, pkts, mt, idx, t4, flags, cookies, k);
}

/* --- calls from the control lcore ----------------------------------------- */

#define MX_CALL_BUSY	((void (*)(struct mx_worker *, void *))1)

void
mx_worker_poll_call(struct mx_worker *w)
{
	void (*fn)(struct mx_worker *, void *) = w->call_fn;

	if (fn == NULL || fn == MX_CALL_BUSY)
		return;
	if (!__atomic_compare_exchange_n(&w->call_fn, &fn, MX_CALL_BUSY, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	fn(w, w->call_arg);
	__atomic_store_n(&w->call_fn, NULL, __ATOMIC_RELEASE);
}

int
mx_worker_call(struct mx_worker *w, void (*fn)(struct mx_worker *, void *),
	       void *arg, double timeout_s)
{
	uint64_t end = rte_get_timer_cycles() +
		       (uint64_t)(timeout_s * (double)rte_get_timer_hz());
	void (*expect)(struct mx_worker *, void *) = NULL;

	w->call_arg = arg;
	if (!__atomic_compare_exchange_n(&w->call_fn, &expect, fn, 0,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EBUSY;
	for (;;) {
		void (*now)(struct mx_worker *, void *) =
			__atomic_load_n(&w->call_fn, __ATOMIC_ACQUIRE);

		if (now == NULL)
			return 0;
		if (rte_get_timer_cycles() > end && now == fn) {
			expect = fn;
			/* Not started: take it back. Started: wait on. */
			if (__atomic_compare_exchange_n(&w->call_fn, &expect,
							NULL, 0,
							__ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return -ETIMEDOUT;
		}
		rte_pause();
	}
}
