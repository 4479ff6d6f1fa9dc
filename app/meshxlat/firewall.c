/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 firewall in the data path (lib/fw; doc/firewall.md).
 *
 * ST_FW6 sits between ST_IP6 and the stages that deliver: IPv6 packets
 * forwarded between ports go through the FORWARD chain, unicast packets
 * for the box through INPUT. Neighbour discovery and link-local traffic
 * are not filtered (neighbour discovery must keep working), nor is what
 * the translators (CLAT, PLAT) produce: their IPv4 side has no IPv6
 * rules to meet. Packets the box builds itself (ICMP errors, replies)
 * leave unfiltered: the OUTPUT chain is parsed but not applied yet.
 *
 * State: each worker owns a connection shard (lib/fw conn.c); the owner
 * of a connection is a symmetric hash of its 5-tuple, so both directions
 * and the ICMPv6 errors about it meet on one worker, handed off like the
 * PLAT's flows. A packet's state (NEW, ESTABLISHED, RELATED, INVALID) is
 * looked up first and goes into the key; the chain's rte_acl context
 * classifies the burst at once; the ruleset decides (established first,
 * then the first terminating rule, the ICMPv6 allow-list, the policy);
 * an accepted packet is recorded in the connection table.
 *
 * Rules, rte_acl contexts and per-worker rule counters belong to the
 * config snapshot, so a rule change is published like any config change
 * and costs no packet; connection state stays in the shards across it.
 * Counters follow their rule by id: a snapshot's counts are folded into
 * the running totals once its grace period is over.
 *
 * LOG rules and drops become records on a ring per worker; the main lcore
 * writes them as log lines, at most log_rate a second (the rest are
 * counted), and sends them as fw.log events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <rte_malloc.h>
#include <rte_ring.h>

#include "ctl.h"
#include "fw.h"
#include "mx.h"
#include "stage.h"

#define LOG_RING	4096
#define EXPIRE_BUDGET	64

/* What the workers tell the main lcore about a logged packet. */
struct fw_logrec {
	uint8_t chain;
	uint8_t target;			/* what became of it */
	uint8_t proto;
	uint8_t logged;			/* by a LOG rule (else: a drop) */
	uint32_t rule;			/* 1-based index in the chain, 0: none */
	uint16_t in_port, out_port;
	uint16_t sport, dport;
	uint32_t len;
	uint8_t src[16], dst[16];
};

/* The connection shards and log rings: fixed while the workers run. */
struct mx_fw {
	struct fw_conn_shard *conn[MX_MAX_WORKERS];
	struct rte_ring *logs[MX_MAX_WORKERS];
	/* main lcore: totals of retired snapshots, by rule id */
	struct fw_counters *totals[FW_CHAIN_MAX];
	/* retired snapshots whose counts are not in the totals yet (a
	 * worker may still add to them): readers add them in */
	const struct mx_fw_snap *retired[MX_RETIRED_MAX + 1];
	unsigned int n_retired;
	unsigned int log_rate;
	uint64_t log_second, log_lines, log_suppressed;
	uint64_t capped_seen;	/* the workers' fw_log_capped, last second */
};

/* The snapshot's part: resolved rules compiled, counters per worker. */
struct mx_fw_snap {
	const struct fw_ruleset *rs;	/* the snapshot's conf owns it */
	struct fw_acl *acl[FW_CHAIN_MAX];
	struct fw_counters *cnt[MX_MAX_WORKERS][FW_CHAIN_MAX];
	struct mx_fw *fw;
	unsigned int n_workers;
};

/* --- set-up ---------------------------------------------------------------- */

int
mx_fw_init(struct mx_dp *dp, const struct conf *c, char *err)
{
	const struct conf_firewall *k = &c->firewall;
	struct mx_fw *fw;
	unsigned int i;

	if (!k->enabled)
		return 0;
	fw = calloc(1, sizeof(*fw));
	if (fw == NULL)
		goto nomem;
	dp->fw = fw;
	dp->fw_on = 1;
	fw->log_rate = k->log_rate;
	for (i = 0; i < dp->n_workers; i++) {
		struct fw_conn_cfg cc = k->conn;
		char name[RTE_RING_NAMESIZE];

		cc.seed = (uint32_t)rte_rdtsc() ^ (i * 0x9e3779b9u);
		fw->conn[i] = fw_conn_create(&cc);
		snprintf(name, sizeof(name), "mx_fwlog%u", i);
		fw->logs[i] = rte_ring_create_elem(name, sizeof(struct fw_logrec),
				LOG_RING, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (fw->conn[i] == NULL || fw->logs[i] == NULL)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "firewall: cannot create the connection "
		 "tables (%u entries per worker): out of memory",
		 k->conn.capacity);
	return -ENOMEM;
}

void
mx_fw_fini(struct mx_dp *dp)
{
	struct mx_fw *fw = dp->fw;
	unsigned int i;

	if (fw == NULL)
		return;
	for (i = 0; i < MX_MAX_WORKERS; i++) {
		fw_conn_free(fw->conn[i]);
		rte_ring_free(fw->logs[i]);
	}
	for (i = 0; i < FW_CHAIN_MAX; i++)
		fw_counters_free(fw->totals[i]);
	free(fw);
	dp->fw = NULL;
}

struct resolve_arg {
	const struct mx_dp *dp;
	const struct conf *c;
};

/* An interface name of the rules: an alias, a port name, or "lo". */
static int
resolve(void *arg, const char *name, uint16_t *port)
{
	const struct resolve_arg *a = arg;
	const struct conf_firewall *k = &a->c->firewall;
	const struct mx_port *p;
	int idx = -1;
	unsigned int i;

	for (i = 0; i < k->n_ifaliases; i++)
		if (strcmp(k->ifaliases[i].name, name) == 0)
			idx = k->ifaliases[i].port;
	if (idx < 0)
		idx = conf_port_index(a->c, name);
	if (idx < 0) {
		if (strcmp(name, "lo") == 0) {
			*port = FW_PORT_NONE;
			return 0;
		}
		return -ENOENT;
	}
	p = mx_port_by_conf(a->dp, (uint16_t)idx);
	if (p == NULL)
		return -ENOENT;
	*port = p->id;
	return 0;
}

void
mx_fw_snap_free(struct mx_fw_snap *fs)
{
	unsigned int i, c;

	if (fs == NULL)
		return;
	for (i = 0; fs->fw != NULL && i < fs->fw->n_retired; i++)
		if (fs->fw->retired[i] == fs) {
			fs->fw->retired[i] =
				fs->fw->retired[--fs->fw->n_retired];
			break;
		}
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		for (i = 0; i < fs->n_workers; i++) {
			/* The grace period is over: the counts are final. */
			if (fs->fw != NULL && fs->fw->totals[c] != NULL &&
			    fs->cnt[i][c] != NULL)
				fw_counters_fold(fs->fw->totals[c],
						 fs->cnt[i][c]);
			fw_counters_free(fs->cnt[i][c]);
		}
		fw_acl_free(fs->acl[c]);
	}
	free(fs);
}

struct mx_fw_snap *
mx_fw_snap_build(const struct mx_dp *dp, struct conf *c, char *err)
{
	static const enum fw_chain chains[] = { FW_CHAIN_INPUT,
						FW_CHAIN_FORWARD };
	struct resolve_arg ra = { .dp = dp, .c = c };
	struct mx_fw_snap *fs;
	struct fw_err e = { 0 };
	unsigned int i, j;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		return NULL;
	}
	fs->rs = c->firewall.rs;
	fs->n_workers = dp->n_workers;
	if (fw_ruleset_resolve(c->firewall.rs, resolve, &ra, &e) != 0) {
		snprintf(err, CONF_ERR_SIZE, "firewall.rules: %s", e.msg);
		goto fail;
	}
	for (i = 0; i < RTE_DIM(chains); i++) {
		fs->acl[chains[i]] = fw_acl_build(c->firewall.rs, chains[i],
				chains[i] == FW_CHAIN_INPUT ? "mx_fwin" :
				"mx_fwfwd", SOCKET_ID_ANY, err, CONF_ERR_SIZE);
		if (fs->acl[chains[i]] == NULL)
			goto fail;
		for (j = 0; j < dp->n_workers; j++) {
			fs->cnt[j][chains[i]] = fw_counters_create(
					c->firewall.rs, chains[i]);
			if (fs->cnt[j][chains[i]] == NULL) {
				snprintf(err, CONF_ERR_SIZE, "out of memory");
				goto fail;
			}
		}
	}
	return fs;
fail:
	mx_fw_snap_free(fs);
	return NULL;
}

/*
 * The snapshot 'sn' becomes current, 'old' (or NULL) is retired: the
 * totals move to the new ruleset's ids (rules kept over the change keep
 * their counts), and the retired snapshot's counts are folded in when it
 * is freed; until then a reader adds them in (mx_fw_rule_counter()), so
 * a rule's count never seems to go back across a change.
 */
void
mx_fw_publish(struct mx_dp *dp, struct mx_snap *sn, const struct mx_snap *old)
{
	struct mx_fw *fw = dp->fw;
	unsigned int c;

	if (fw == NULL || sn->fw == NULL)
		return;
	if (old != NULL && old->fw != NULL && old->fw->fw == fw &&
	    fw->n_retired < RTE_DIM(fw->retired))
		fw->retired[fw->n_retired++] = old->fw;
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		struct fw_counters *t = fw_counters_create(sn->fw->rs, c);

		if (t == NULL)
			continue;	/* the old totals stay: counts go on */
		if (fw->totals[c] != NULL)
			fw_counters_fold(t, fw->totals[c]);
		fw_counters_free(fw->totals[c]);
		fw->totals[c] = t;
	}
	sn->fw->fw = fw;
}

/* --- the stage ------------------------------------------------------------- */

void
mx_fw_worker_init(struct mx_worker *w)
{
	if (w->dp->fw != NULL)
		w->fw_conn = w->dp->fw->conn[w->id];
}

void
mx_fw_turn(struct mx_worker *w, uint64_t now_ms)
{
	fw_conn_expire(w->fw_conn, now_ms, EXPIRE_BUDGET);
}

/* The fields of an IPv6 packet the tracker and the key need. */
struct fw_pkt {
	struct fw_conn_pkt p;
	struct fw_conn_pkt inner;	/* an ICMPv6 error's quoted packet */
	uint8_t is_err;
	uint16_t key_sport;		/* ICMPv6: type and code */
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
fw_pkt_of(const uint8_t *l3, const struct pkt_l3 *in, struct fw_pkt *f)
{
	const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;
	const uint8_t *l4 = l3 + in->l4_off;
	uint32_t len = in->len - in->l4_off;

	memset(f, 0, sizeof(*f));
	f->p.src = ip->src;
	f->p.dst = ip->dst;
	f->p.proto = in->l4_proto;
	/* Fragments after the first carry no ports: they are matched and
	 * tracked without (doc/firewall.md). */
	if (!in->first_frag)
		return;
	switch (in->l4_proto) {
	case PKT_PROTO_TCP:
		if (len >= 14) {
			f->p.sport = rd16(l4);
			f->p.dport = rd16(l4 + 2);
			f->p.tcp_flags = l4[13];
		}
		f->key_sport = f->p.sport;
		break;
	case PKT_PROTO_UDP:
		if (len >= 4) {
			f->p.sport = rd16(l4);
			f->p.dport = rd16(l4 + 2);
		}
		f->key_sport = f->p.sport;
		break;
	case PKT_PROTO_ICMP6:
		if (len < 8)
			break;
		f->p.icmp6_type = l4[0];
		f->key_sport = fw_icmp6_port(l4[0], l4[1]);
		if (l4[0] == PKT_ICMP6_ECHO || l4[0] == PKT_ICMP6_ECHO_REPLY) {
			f->p.sport = rd16(l4 + 4);
		} else if (l4[0] < 128 && len >= 8 + PKT_IP6_HLEN) {
			const uint8_t *q = l4 + 8, *ql4 = q + PKT_IP6_HLEN;
			uint32_t qlen = len - 8 - PKT_IP6_HLEN;

			/* RFC 4443 2.4: the quoted packet names the flow. */
			f->is_err = 1;
			f->inner.src = q + 8;
			f->inner.dst = q + 24;
			f->inner.proto = q[6];
			if ((q[6] == PKT_PROTO_TCP || q[6] == PKT_PROTO_UDP) &&
			    qlen >= 4) {
				f->inner.sport = rd16(ql4);
				f->inner.dport = rd16(ql4 + 2);
			} else if (q[6] == PKT_PROTO_ICMP6 && qlen >= 6) {
				f->inner.icmp6_type = ql4[0];
				f->inner.sport = rd16(ql4 + 4);
			}
		}
		break;
	default:
		break;
	}
}

static uint8_t
reject_code(enum fw_reject r)
{
	switch (r) {
	case FW_REJECT_NO_ROUTE:
		return PKT_ICMP6_UNREACH_NOROUTE;
	case FW_REJECT_ADDR_UNREACH:
		return PKT_ICMP6_UNREACH_ADDR;
	case FW_REJECT_PORT_UNREACH:
		return PKT_ICMP6_UNREACH_PORT;
	case FW_REJECT_POLICY_FAIL:		/* RFC 4443 3.1 code 5 */
		return 5;
	case FW_REJECT_REJECT_ROUTE:		/* code 6 */
		return 6;
	default:
		return PKT_ICMP6_UNREACH_ADMIN;
	}
}

static void
log_rec(struct mx_worker *w, const struct fw_key *k, uint8_t chain,
	uint32_t rule, enum fw_target t, int logged, uint32_t len)
{
	struct fw_logrec r = {
		.chain = chain, .target = (uint8_t)t, .proto = k->proto,
		.logged = (uint8_t)logged, .rule = rule,
		.in_port = ntohs(k->in_port), .out_port = ntohs(k->out_port),
		.sport = ntohs(k->sport), .dport = ntohs(k->dport), .len = len,
	};

	memcpy(r.src, k->src, 16);
	memcpy(r.dst, k->dst, 16);
	if (rte_ring_sp_enqueue_elem(w->dp->fw->logs[w->id], &r,
				     sizeof(r)) != 0)
		w->ev[MX_EV_fw_log_lost]++;
	else
		w->ev[MX_EV_fw_log]++;
}

/*
 * A dropped packet that no LOG rule matched is logged at most log_rate
 * times a second per worker: past that the main lcore would suppress the
 * line anyway, and a scan against deny-by-default must not cost a ring
 * write per packet.
 */
static int
drop_log_ok(struct mx_worker *w)
{
	if (w->now_ms - w->fw_log_ms >= 1000) {
		w->fw_log_ms = w->now_ms;
		w->fw_log_left = w->dp->fw->log_rate;
	}
	if (w->fw_log_left == 0) {
		w->ev[MX_EV_fw_log_capped]++;
		return 0;
	}
	w->fw_log_left--;
	return 1;
}

/* Classify and decide the 'n' packets of chain 'c' listed in 'idx'. */
static void
decide(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
       struct meta *mt, enum fw_chain c, const uint16_t *idx,
       struct fw_key *keys, struct fw_pkt *fp, unsigned int n)
{
	const struct mx_fw_snap *fs = w->snap->fw;
	const uint8_t *kp[MX_BURST_MAX];
	uint32_t res[MX_BURST_MAX], logs[MX_BURST_MAX];
	unsigned int i;

	for (i = 0; i < n; i++)
		kp[i] = (const uint8_t *)&keys[i];
	fw_acl_classify_log(fs->acl[c], kp, res, logs, n);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[idx[i]];
		struct meta *x = &mt[idx[i]];
		const struct fw_rule *rule = NULL;
		enum fw_target t;

		t = fw_ruleset_verdict(fs->rs, c, &keys[i], res[i], &rule);
		fw_counters_add(fs->cnt[w->id][c], rule != NULL ? res[i] : 0,
				m->pkt_len);
		if (logs[i] != 0)
			log_rec(w, &keys[i], (uint8_t)c, logs[i], t, 1,
				m->pkt_len);
		if (t == FW_TARGET_ACCEPT) {
			if (!fp[i].is_err &&
			    fw_conn_confirm(w->fw_conn, &fp[i].p,
					    w->now_ms) != 0) {
				drop(w, m, x, PKT_DROP_FW_CONN_FULL);
				continue;
			}
			w->ev[MX_EV_fw_accepted]++;
			x->next = x->fw_next;
			continue;
		}
		if (logs[i] == 0 && drop_log_ok(w))
			log_rec(w, &keys[i], (uint8_t)c,
				rule != NULL ? res[i] : 0, t, 0, m->pkt_len);
		if (t != FW_TARGET_REJECT) {
			drop(w, m, x, PKT_DROP_FW_DROP);
		} else if (rule != NULL && rule->reject_with == FW_REJECT_TCP_RESET) {
			mx_tcp_reset6(w, port, &x->smac, l3_of(m), &x->l3);
			drop(w, m, x, PKT_DROP_FW_REJECT);
		} else {
			mx_reject6(w, port, m, x, PKT_ICMP6_UNREACH,
				   reject_code(rule != NULL ? rule->reject_with :
					       FW_REJECT_ADM_PROHIBITED),
				   0, PKT_DROP_FW_REJECT);
		}
	}
}

void
stage_fw6(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	  struct meta *mt, uint16_t n)
{
	struct fw_key keys[2][MX_BURST_MAX];
	struct fw_pkt fp[2][MX_BURST_MAX];
	uint16_t idx[2][MX_BURST_MAX];
	unsigned int k[2] = { 0, 0 };
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct meta *x = &mt[i];
		const struct pkt_ip6 *ip;
		struct fw_pkt *f;
		unsigned int owner, which;
		uint32_t state;
		uint16_t out_port;

		if (x->next != ST_FW6)
			continue;
		which = x->fw_chain == FW_CHAIN_FORWARD;
		f = &fp[which][k[which]];
		ip = (const struct pkt_ip6 *)l3_of(m);
		fw_pkt_of((const uint8_t *)ip, &x->l3, f);
		owner = f->is_err ?
			fw_conn_owner(f->inner.src, f->inner.dst,
				      f->inner.proto, f->inner.sport,
				      f->inner.dport, w->dp->n_workers) :
			fw_conn_owner(ip->src, ip->dst, f->p.proto, f->p.sport,
				      f->p.dport, w->dp->n_workers);
		if (owner != w->id) {
			mx_handoff(w, m, x, port, owner, ST_FW6);
			continue;
		}
		state = f->is_err ?
			fw_conn_related_icmp6(w->fw_conn, &f->inner, w->now_ms) :
			fw_conn_lookup(w->fw_conn, &f->p, w->now_ms);
		out_port = FW_PORT_NONE;
		if (x->fw_chain == FW_CHAIN_FORWARD)
			out_port = w->snap->nh[x->nh].port;
		fw_key_fill(&keys[which][k[which]], ip->src, ip->dst,
			    f->p.proto, f->key_sport,
			    f->p.proto == PKT_PROTO_ICMP6 ? 0 : f->p.dport,
			    port, out_port, state);
		idx[which][k[which]++] = i;
	}
	if (k[0] != 0)
		decide(w, port, pkts, mt, FW_CHAIN_INPUT, idx[0], keys[0], fp[0],
		       k[0]);
	if (k[1] != 0)
		decide(w, port, pkts, mt, FW_CHAIN_FORWARD, idx[1], keys[1],
		       fp[1], k[1]);
}

/* --- the main lcore: log lines, counters ----------------------------------- */

static const char *
port_name(const struct mx_dp *dp, uint16_t id)
{
	return id < MX_MAX_PORTS && dp->ports[id].name[0] != '\0' ?
	       dp->ports[id].name : "";
}

void
mx_fw_poll(struct mx_ctl *x)
{
	struct mx_dp *dp = x->dp;
	struct mx_fw *fw = dp->fw;
	uint64_t sec = (uint64_t)mx_now();
	unsigned int i;

	if (fw == NULL)
		return;
	if (sec != fw->log_second) {
		uint64_t capped = 0;

		/* The drops the workers did not pass on (drop_log_ok) are
		 * suppressed lines too. */
		for (i = 0; i < dp->n_workers; i++)
			capped += x->w[i]->ev[MX_EV_fw_log_capped];
		fw->log_suppressed += capped - fw->capped_seen;
		fw->capped_seen = capped;
		if (fw->log_suppressed != 0)
			printf("meshxlat: firewall: %lu log lines suppressed "
			       "(log_rate %u per second)\n",
			       (unsigned long)fw->log_suppressed, fw->log_rate);
		fw->log_second = sec;
		fw->log_lines = 0;
		fw->log_suppressed = 0;
	}
	for (i = 0; i < dp->n_workers; i++) {
		struct fw_logrec r;

		while (rte_ring_sc_dequeue_elem(fw->logs[i], &r,
						sizeof(r)) == 0) {
			const struct fw_ruleset *rs = dp->snap->conf->firewall.rs;
			const struct fw_rule *rule = NULL;
			char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
			char line[512];
			const char *pfx = "", *sep = "";
			size_t plen;

			if (fw->log_lines >= fw->log_rate) {
				fw->log_suppressed++;
				continue;
			}
			fw->log_lines++;
			if (rs != NULL && r.rule != 0 &&
			    r.rule <= fw_ruleset_count(rs, r.chain))
				rule = fw_ruleset_rule(rs, r.chain, r.rule - 1);
			inet_ntop(AF_INET6, r.src, src, sizeof(src));
			inet_ntop(AF_INET6, r.dst, dst, sizeof(dst));
			/* The shape of the kernel's LOG target lines. Users
			 * end a prefix with a space ("fw-drop: ") because the
			 * kernel adds none: add one only where it is missing,
			 * so the line reads as the kernel's would. */
			if (r.logged && rule != NULL) {
				pfx = rule->log_prefix;
				plen = strlen(pfx);
				sep = plen != 0 && pfx[plen - 1] != ' ' ? " " : "";
			}
			snprintf(line, sizeof(line), "%s%sIN=%s OUT=%s SRC=%s "
				 "DST=%s LEN=%u PROTO=%u SPT=%u DPT=%u "
				 "CHAIN=%s RULE=%u ACTION=%s", pfx, sep,
				 port_name(dp, r.in_port),
				 port_name(dp, r.out_port), src, dst, r.len,
				 r.proto, r.sport, r.dport,
				 fw_chain_name(r.chain), r.rule,
				 fw_target_name(r.target));
			printf("meshxlat: firewall: %s\n", line);
			mx_ctl_event(x, "fw.log", "line", line, NULL);
		}
	}
	fflush(stdout);
}

struct fw_counter
mx_fw_rule_counter(const struct mx_dp *dp, enum fw_chain c, uint32_t id)
{
	const struct mx_fw_snap *fs = dp->snap->fw;
	struct fw_counter sum = { 0, 0 }, one;
	unsigned int i, k;

	if (dp->fw != NULL && dp->fw->totals[c] != NULL) {
		one = fw_counters_get(dp->fw->totals[c], id);
		sum.pkts += one.pkts;
		sum.bytes += one.bytes;
	}
	for (k = 0; dp->fw != NULL && k <= dp->fw->n_retired; k++) {
		const struct mx_fw_snap *s = k < dp->fw->n_retired ?
					     dp->fw->retired[k] : fs;

		for (i = 0; s != NULL && i < s->n_workers; i++) {
			if (s->cnt[i][c] == NULL)
				continue;
			one = fw_counters_get(s->cnt[i][c], id);
			sum.pkts += one.pkts;
			sum.bytes += one.bytes;
		}
	}
	return sum;
}

void
mx_fw_conn_stats(const struct mx_dp *dp, unsigned int worker,
		 struct fw_conn_stats *st)
{
	fw_conn_stats(dp->fw->conn[worker], st);
}
