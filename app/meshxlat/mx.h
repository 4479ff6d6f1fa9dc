/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's run-time state: ports bound to roles, the forwarding tables
 * built from the config, the neighbour table and the per-lcore workers.
 *
 * Threading: the main lcore builds a 'struct mx_dp' before the workers
 * start and only reads it afterwards, except for the neighbour table, of
 * which it is the single writer (rte_hash with lock-free readers); workers
 * send what they learn (ARP, ND) through one SPSC ring each. A worker owns
 * its 'struct mx_worker': counters, TX buffers, the queue of packets that
 * wait for a neighbour; the main lcore reads the counters without locks
 * (64-bit stores are atomic on every target we build for).
 *
 * Shutdown order: set mx_quit, wait for the workers, stop the ports (this
 * flushes pcap output), free the tables.
 */
#ifndef MX_H
#define MX_H

#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "conf.h"
#include "drop.h"
#include "fw.h"
#include "nat64.h"
#include "roam.h"
#include "xlat.h"

#define MX_MAX_WORKERS		16
/* Config ports plus one kernel mirror (TAP) each. */
#define MX_MAX_PORTS		(2 * CONF_MAX_PORTS)
#define MX_BURST_MAX		256
#define MX_PENDING_MAX		64	/* packets waiting for ARP/ND, per worker */
#define MX_NO_PORT		UINT16_MAX
/* CLAT clients remembered per worker (direct-mapped by address: a /20
 * of clients never collides). */
#define MX_SEEN_SLOTS		4096

/* Counters that are not drops. X(name, "description") */
#define MX_EVENT_LIST(X) \
	X(xlat46, "IPv4 packets translated to IPv6 (CLAT or SIIT)") \
	X(xlat64, "IPv6 packets translated to IPv4 (CLAT or SIIT)") \
	X(xlat_hairpin, "packets translated 6->4 then back 4->6 (RFC 7757 hairpinning)") \
	X(frag_out, "fragments sent for packets too big for the next hop") \
	X(fwd4, "IPv4 packets forwarded") \
	X(fwd6, "IPv6 packets forwarded") \
	X(arp_reply, "ARP replies sent for our addresses") \
	X(arp_request, "ARP requests sent to resolve a next hop") \
	X(nd_advert, "neighbour advertisements sent for our addresses") \
	X(nd_solicit, "neighbour solicitations sent to resolve a next hop") \
	X(echo_reply, "echo replies (ICMP and ICMPv6) sent") \
	X(icmp_error, "ICMP/ICMPv6 errors sent") \
	X(icmp_ratelimited, "ICMP errors not sent because of the rate limit") \
	X(nombuf, "packets the box wanted to send but had no buffer for") \
	X(neigh_queued, "packets queued while their next hop was resolved") \
	X(neigh_learned, "neighbour entries learned or refreshed by ARP/ND") \
	X(neigh_table_full, "neighbour entries not learned because the table is full") \
	X(punt, "packets for the box passed to its kernel mirror interface") \
	X(from_kernel, "packets the kernel sent out through a mirror interface") \
	X(consumed, "ARP replies and neighbour advertisements used for learning") \
	X(tap_lost, "packets not captured and trace records lost: the capture ring or copy pool was full") \
	X(nat64_in2out, "PLAT: IPv6 packets translated to IPv4 with a session (RFC 6146)") \
	X(nat64_out2in, "PLAT: IPv4 packets translated to IPv6 with a session") \
	X(nat64_hairpin, "PLAT: packets from a client to a pool address, turned around inside (RFC 6146 3.8)") \
	X(handoff, "packets passed to the worker that owns their state (PLAT session, firewall connection)") \
	X(nat64_held, "PLAT: unsolicited IPv4 SYNs held for a simultaneous open (RFC 6146 3.5.2.2)") \
	X(nat64_block_log_lost, "PLAT: port block log records lost (the ring to the main lcore was full)") \
	X(nat64_reassembled, "PLAT: packets reassembled from fragments (RFC 6146 section 3.4)") \
	X(tcp_reset, "TCP resets sent (firewall REJECT --reject-with tcp-reset)") \
	X(fw_accepted, "firewall: packets accepted (by a rule, as established/related, by the ICMPv6 allow-list or by the policy)") \
	X(fw_log, "firewall: log records passed to the main lcore (LOG rules, dropped packets)") \
	X(fw_log_lost, "firewall: log records lost (the ring to the main lcore was full)") \
	X(fw_log_capped, "firewall: dropped packets not logged: over log_rate a second on this worker") \
	X(roam_clat_out, "roaming: packets of a roamed client sent to the PLAT it keeps (seed 003's NETMAP on the new node)") \
	X(roam_clat_in, "roaming: replies from a roamed client's PLAT given this node's PLAT prefix before 6->4") \
	X(roam_plat_in, "roaming: packets from a roamed client's new address mapped back to its old one before NAT64") \
	X(roam_plat_out, "roaming: replies to a roamed client's old address sent to its new one after NAT64")

#define MX_EV_ENUM(n, d) MX_EV_##n,
enum mx_event {
	MX_EVENT_LIST(MX_EV_ENUM)
	MX_EV_MAX
};
#undef MX_EV_ENUM

const char *mx_event_name(unsigned int e);
const char *mx_event_desc(unsigned int e);

/* One port as the data path sees it. */
struct mx_port {
	uint16_t id;			/* DPDK port id */
	uint16_t conf_idx;		/* index in conf->ports, or the mirrored port's */
	uint16_t mirror;		/* DPDK id of the TAP mirror, or MX_NO_PORT */
	uint16_t mirror_of;		/* for a TAP: the port it mirrors */
	uint16_t mtu;
	uint16_t nb_rxq, nb_txq;
	uint8_t is_mirror;
	uint8_t n_ip4;
	struct rte_ether_addr mac;
	struct pkt_pfx4 ip4[CONF_MAX_ADDRS];	/* host order */
	/* Its IPv6 addresses are in the snapshot (mx_snap.addr6): a
	 * delegated prefix changes while running (prefix.set). */
	uint8_t ll6[16];		/* fe80:: from the MAC */
	char name[CONF_NAME_SIZE];
};

/* What a route resolves to. */
enum mx_nh_type {
	MX_NH_MISS,	/* index 0: no route */
	MX_NH_FWD,	/* out of 'port', to 'via' or to the destination */
	MX_NH_LOCAL,	/* one of our own addresses */
	MX_NH_XLAT,	/* CLAT prefix, pool6 or EAM: translate 6->4 */
	MX_NH_PLAT,	/* PLAT prefix (6->4) or pool4 (4->6): NAT64 */
};

struct mx_nh {
	uint8_t type;			/* enum mx_nh_type */
	uint8_t has_via;
	uint16_t port;			/* DPDK port id */
	uint32_t via4;			/* host order */
	uint8_t via6[16];
};

/*
 * What a reload or a control command may change, as one immutable
 * snapshot (snap.c): workers load dp->snap once per loop turn.
 */
/* Route tables, shared by snapshots whose routes are the same. */
struct mx_routes {
	unsigned int refcnt;		/* snapshots using them */
	uint8_t *key;			/* what they were built from */
	size_t key_len;
	struct rte_fib *fib4;
	struct rte_fib6 *fib6, *fib6_out;
	struct mx_nh *nh;
	unsigned int n_nh;
};

/* A port's IPv6 addresses. */
struct mx_addrs6 {
	uint8_t n;
	struct pkt_pfx6 a[CONF_MAX_ADDRS];
};

struct mx_snap {
	struct conf *conf;		/* owned: the config it came from */
	uint32_t gen;			/* 1, 2, ...: names the fibs */
	struct mx_routes *rt;		/* owns the tables below */
	struct rte_fib *fib4;
	struct rte_fib6 *fib6;
	struct rte_fib6 *fib6_out;	/* fib6 without the XLAT routes: where
					 * translated packets go */
	struct mx_nh *nh;		/* next-hop table, [0] is the miss */
	unsigned int n_nh;
	/* Translation: a CLAT, or a plain SIIT between lan4 and mesh6 */
	uint8_t xlat_on;
	uint8_t clat_on;		/* CLAT mode (else SIIT mode) */
	uint16_t clat_port;		/* DPDK id of the client (lan4) port */
	uint64_t xlat4_ports;		/* bit per DPDK port: IPv4 in -> 46 */
	struct xlat_cfg xlat;
	struct xlat_eam *eam4, *eam6;	/* the EAMT, sorted both ways */
	struct mx_fw_snap *fw;		/* firewall rules compiled, or NULL */
	struct mx_addrs6 addr6[MX_MAX_PORTS];	/* by DPDK port id */
};

#define MX_RETIRED_MAX	16

/* What capture and trace look at (tap.c); NULL when nothing. */
#define MX_TAP_RX	0x1
#define MX_TAP_TX	0x2
#define MX_TAP_DROP	0x4

struct mx_tap {
	uint8_t cap_on;
	uint8_t cap_dir;		/* MX_TAP_* */
	uint16_t cap_port;		/* DPDK id, MX_NO_PORT: every port */
	int16_t cap_drop;		/* drop reason, -1: every reason */
	uint32_t snaplen;
	struct rte_ring *cap_ring;	/* copies to the main lcore */
	struct rte_mempool *cap_pool;
	uint8_t trace_on;
	uint8_t trace_family;		/* 0: any, 4, 6 */
	uint8_t trace_has_addr;
	uint8_t trace_addr4;		/* the address filter is IPv4 */
	uint16_t trace_port;		/* MX_NO_PORT: every port */
	struct pkt_pfx4 trace_pfx4;	/* source or destination within */
	struct pkt_pfx6 trace_addr;
	uint32_t *trace_left;		/* packets still wanted (atomic) */
	struct rte_ring *trace_ring;
};

#define MX_TRACE_STEPS	16	/* keeps the record a multiple of 4 bytes (rte_ring elements) */
#define MX_TRACE_SLOTS	32	/* traced packets per burst */
#define MX_TRACE_HEAD	64

/* The path of one traced packet. */
struct mx_trace_rec {
	uint8_t worker;
	uint8_t n_steps;
	uint8_t head_len;
	uint8_t pad;
	uint16_t rx_port;
	uint16_t out_port;		/* MX_NO_PORT: not sent */
	uint16_t why;			/* drop reason, 0: not dropped */
	uint16_t len;
	uint8_t steps[MX_TRACE_STEPS];	/* stages it went through */
	uint8_t head[MX_TRACE_HEAD];	/* its first bytes as received */
};

struct mx_cap_req {
	const char *file;
	uint16_t port;
	uint8_t dir;
	int16_t drop;
	uint32_t snaplen;
	uint64_t max_packets, max_bytes;
};

struct mx_trace_req {
	unsigned int count;
	uint16_t port;
	uint8_t family, has_addr, addr4;
	struct pkt_pfx4 pfx4;
	struct pkt_pfx6 pfx6;
};

/* The PLAT (plat.c): fixed once the workers run. */
struct mx_plat {
	struct nat64_cfg cfg;
	struct nat64_ports *ports;	/* who owns which flow */
	struct nat64_shard *shards[MX_MAX_WORKERS];	/* one per worker */
	struct pkt_pfx6 prefix;		/* the PLAT prefix */
	uint8_t mgmt6[16];		/* prefix + 192.0.0.1 */
	uint64_t wan4_ports;		/* bit per port: ARP for the pool */
	struct pkt_pfx4 pool[CONF_MAX_POOL4];	/* host order */
	unsigned int n_pool;
	struct rte_ring *events[MX_MAX_WORKERS];	/* block log records */
	FILE *block_log;
	char snapshot[CONF_PATH_SIZE];
	uint32_t clock_speed;		/* NAT64 clock runs this many times
					 * real time (tests); 1 in service */
	struct rte_mempool *jumbo;	/* reassembled packets, one buffer */
	struct rte_ip_frag_tbl *frag[MX_MAX_WORKERS];	/* per worker */
	struct rte_ip_frag_death_row *frag_dr[MX_MAX_WORKERS];
};

/* Everything a worker reads; built by the main lcore before the workers
 * start. Only 'snap' changes afterwards (snap.c). */
struct mx_dp {
	struct mx_plat *plat;		/* the PLAT (plat.c), or NULL */
	uint8_t fw_on;			/* the firewall runs (firewall.c) */
	struct mx_fw *fw;		/* its connection state, or NULL */
	uint8_t handoff_on;		/* the rings below exist */
	/* [from][to]: packets for the worker that owns their state */
	struct rte_ring *handoff[MX_MAX_WORKERS][MX_MAX_WORKERS];
	struct mx_snap *snap;		/* current; atomic load/store */
	struct mx_tap *tap;		/* capture and trace, or NULL */
	/* Roaming (roam.c): the main lcore's remap database and the table
	 * built from it that the workers read (atomic load/store, freed
	 * after a grace period), or NULL without a roam section. */
	struct roam_db *roam_db;
	struct roam_table *roam;
	struct rte_rcu_qsbr *qsbr;	/* workers report quiescent states */
	struct {
		void *p;
		void (*free_fn)(void *p);
		uint64_t token;
	} retired[MX_RETIRED_MAX];	/* replaced, waiting for grace */
	unsigned int n_retired;
	struct rte_hash *neigh;		/* mx_neigh_key -> MAC */
	struct rte_mempool *pool;
	struct mx_port ports[MX_MAX_PORTS];	/* by DPDK port id */
	uint16_t port_ids[MX_MAX_PORTS];	/* ports in use */
	unsigned int n_ports;
	unsigned int n_workers;
	unsigned int burst;
	unsigned int idle_sleep_us;
	uint64_t tsc_hz;
	/* counters of the main lcore (neighbour learning); workers never
	 * touch them */
	uint64_t ctl_ev[MX_EV_MAX];
};

struct mx_neigh_key {
	uint16_t port;
	uint16_t pad;
	uint8_t addr[16];		/* IPv6, or ::ffff:a.b.c.d */
};

/* A learned neighbour, sent from a worker to the main lcore. */
struct mx_learn {
	struct mx_neigh_key key;
	struct rte_ether_addr mac;
	uint8_t pad[6];			/* ring elements are 4-byte multiples */
};

/* A packet parked until its next hop answers. */
struct mx_pending {
	struct rte_mbuf *m;
	uint64_t deadline;		/* drop after this TSC */
	uint64_t next_req;		/* send the next ARP/NS at this TSC */
	struct mx_neigh_key key;
	uint16_t frag_size;		/* fragment to this size, 0: no */
};

struct mx_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[MX_BURST_MAX];
};

struct mx_worker {
	unsigned int id;		/* 0..n_workers-1, also the queue index */
	unsigned int lcore;
	const struct mx_dp *dp;
	const struct mx_snap *snap;	/* loaded at the top of each turn */
	const struct mx_tap *tap;	/* likewise */
	struct rte_ring *learn;		/* to the main lcore (SPSC) */
	uint64_t icmp_tokens;		/* ICMP error rate limit */
	uint64_t icmp_last;
	uint16_t ip4_id;		/* next IPv4 id for 6->4 (RFC 7915 5.1) */
	unsigned int n_pending;
	struct mx_pending pending[MX_PENDING_MAX];
	struct mx_txbuf tx[MX_MAX_PORTS];
	struct mx_trace_rec trace[MX_TRACE_SLOTS];	/* traced in this burst */
	/* PLAT: this worker's shard, its clock, fragments in reassembly */
	struct nat64_shard *shard;
	struct rte_ip_frag_tbl *frag;
	struct rte_ip_frag_death_row *frag_dr;
	struct fw_conn_shard *fw_conn;	/* firewall connections it owns */
	uint64_t fw_log_ms;		/* start of this second of drop logs */
	unsigned int fw_log_left;	/* drop logs left in it */
	uint64_t now_ms;		/* at the top of the turn */
	uint64_t now_tsc;		/* PLAT: the TSC read for now_ms */
	/* Roaming: the remap table of this turn (NULL: none), and the CLAT
	 * clients seen, for clat.plat.set's pins: IPv4 address << 32 |
	 * second of now_ms, one 64-bit store each, read by the main lcore. */
	const struct roam_table *roam;
	uint64_t seen[MX_SEEN_SLOTS];
	/* A call from the control lcore, run between two bursts
	 * (mx_worker_call): MX_CALL_IDLE, a function, or MX_CALL_BUSY. */
	void (*volatile call_fn)(struct mx_worker *w, void *arg);
	void *volatile call_arg;
	/* counters: written by this worker only */
	uint64_t rx_pkts[MX_MAX_PORTS], rx_bytes[MX_MAX_PORTS];
	uint64_t tx_pkts[MX_MAX_PORTS], tx_bytes[MX_MAX_PORTS];
	uint64_t drops[PKT_DROP_MAX];
	uint64_t ev[MX_EV_MAX];
	uint64_t busy_cycles;		/* cycles in polls that got packets */
	uint64_t poll_max_cycles;	/* the longest such poll (stats.get
					 * with reset_max zeroes it) */
	uint64_t polls, busy_polls;
	volatile unsigned int pending_now;	/* for idle detection */
} __rte_cache_aligned;

extern volatile int mx_quit;

/* port.c */
int mx_ports_init(struct mx_dp *dp, const struct conf *c, char *err);
void mx_ports_fini(struct mx_dp *dp);
/* The (non-mirror) port named 'name', or NULL. */
const struct mx_port *mx_port_by_name(const struct mx_dp *dp,
				      const char *name);
/* The port that is conf->ports[conf_idx] (not its mirror), or NULL. */
const struct mx_port *mx_port_by_conf(const struct mx_dp *dp,
				      uint16_t conf_idx);

/* route.c: the route tables of snapshot 'sn' */
int mx_routes_init(const struct mx_dp *dp, struct mx_snap *sn,
		   const struct mx_snap *prev, const struct conf *c, char *err);
void mx_routes_fini(struct mx_snap *sn);

/* snap.c */
/* Build a snapshot from 'c' (taken over on success). NULL: see 'err'. */
struct mx_snap *mx_snap_build(const struct mx_dp *dp, struct conf *c,
			      char *err);
void mx_snap_free(struct mx_snap *sn);
int mx_rcu_init(struct mx_dp *dp, char *err);
void mx_rcu_fini(struct mx_dp *dp);
/* Make 'sn' current; the old one is freed after a grace period. */
int mx_snap_publish(struct mx_dp *dp, struct mx_snap *sn, char *err);
/* The same for any pointer the workers read: store 'p' in '*slot' and
 * free the old value with 'free_fn' after a grace period. */
int mx_publish_ptr(struct mx_dp *dp, void **slot, void *p,
		   void (*free_fn)(void *p), char *err);
/* Free 'p' with 'free_fn' once no worker can still see it. */
void mx_retire(struct mx_dp *dp, void *p, void (*free_fn)(void *p));
/* Free retired snapshots whose grace period is over; returns how many. */
unsigned int mx_snap_reclaim(struct mx_dp *dp);
/* Reclaim, waiting up to 'max_s' seconds for the grace periods: before
 * building tables, so that at most two sets exist at once. */
void mx_snap_reclaim_wait(struct mx_dp *dp, double max_s);

/* neigh.c */
int mx_neigh_init(struct mx_dp *dp, const struct conf *c, char *err);
void mx_neigh_fini(struct mx_dp *dp);
void mx_neigh_key4(struct mx_neigh_key *k, uint16_t port, uint32_t ip4_host);
void mx_neigh_key6(struct mx_neigh_key *k, uint16_t port, const uint8_t *ip6);
int mx_neigh_lookup(const struct mx_dp *dp, const struct mx_neigh_key *k,
		    struct rte_ether_addr *mac);
/* Main lcore: apply what the workers learned; returns entries applied. */
unsigned int mx_neigh_drain(struct mx_dp *dp, struct mx_worker *w);
/* Main lcore: set a static entry (never replaced by learning). */
int mx_neigh_set_static(struct mx_dp *dp, const struct mx_neigh_key *k,
			const struct rte_ether_addr *mac);
/* Main lcore: remove one entry; -ENOENT when there is none. */
int mx_neigh_del(struct mx_dp *dp, const struct mx_neigh_key *k);
/* Main lcore: remove every learned (or, with 'statics', every) entry. */
unsigned int mx_neigh_flush(struct mx_dp *dp, int statics);
/* Delete every entry of 'port' inside 'pfx', static or learned. */
unsigned int mx_neigh_flush_pfx6(struct mx_dp *dp, uint16_t port,
				 const struct pkt_pfx6 *pfx);
/* Call 'fn' for each entry until it returns non-zero. */
int mx_neigh_walk(const struct mx_dp *dp,
		  int (*fn)(const struct mx_neigh_key *k,
			    const struct rte_ether_addr *mac, int is_static,
			    void *arg), void *arg);
/* Make the table free deleted slots after an RCU grace period. */
int mx_neigh_rcu(struct mx_dp *dp, char *err);

/* worker.c */
int mx_worker_main(void *arg);

/* reply.c: packets the box builds itself */
/*
 * Send an ICMP(v6) error about the packet at 'l3' (described by 'in') back
 * out of 'in_port' to 'dmac', unless the RFC forbids one or the rate limit
 * says no. 'word' is the second header word (MTU, pointer), host order.
 */
void mx_icmp4_error(struct mx_worker *w, uint16_t in_port,
		    const struct rte_ether_addr *dmac, const uint8_t *l3,
		    const struct pkt_l3 *in, uint8_t type, uint8_t code,
		    uint32_t word);
void mx_icmp6_error(struct mx_worker *w, uint16_t in_port,
		    const struct rte_ether_addr *dmac, const uint8_t *l3,
		    const struct pkt_l3 *in, uint8_t type, uint8_t code,
		    uint32_t word);
/* A TCP RST answering the segment at 'l3' (REJECT with tcp-reset). */
void mx_tcp_reset6(struct mx_worker *w, uint16_t in_port,
		   const struct rte_ether_addr *dmac, const uint8_t *l3,
		   const struct pkt_l3 *in);
void mx_send_arp_request(struct mx_worker *w, uint16_t port, uint32_t tip);
void mx_send_ns(struct mx_worker *w, uint16_t port, const uint8_t *target);
/* Build the Ethernet header in front of 'm' and queue it on 'port'. */
void mx_tx_eth(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
	       const struct rte_ether_addr *dmac, uint16_t ethertype);

/* frag.c: send 'm' (an IPv4 or IPv6 packet, no Ethernet header) as
 * fragments of at most 'size' bytes each (RFC 791, RFC 8200 4.5). */
void mx_tx_frags(struct mx_worker *w, struct rte_mbuf *m, uint16_t port,
		 const struct rte_ether_addr *dmac, uint16_t ethertype,
		 uint16_t size);

/* Source address for what the box sends out of 'p' to 'dst'. */
uint32_t mx_port_src4(const struct mx_port *p, uint32_t dst_host);
const uint8_t *mx_port_src6(const struct mx_snap *sn, const struct mx_port *p,
			    const uint8_t *dst);

/* control.c: the control plane of the main lcore */
struct ctl_out;
struct ctl_registry;
struct ctl_rpc;
struct ctl_cmd;
struct mx_cli;

struct mx_ctl {
	struct mx_dp *dp;
	struct mx_worker **w;
	struct ctl_registry *reg;	/* every command, all faces */
	struct ctl_rpc *rpc;		/* the socket, or NULL */
	const char *config_path;	/* NULL: the embedded demo */
	double t_start;			/* CLOCK_MONOTONIC seconds */
	int quit;			/* sys.quit was called */
	uint64_t reloads, reload_errors;
};

int mx_ctl_init(struct mx_ctl *x, char *err);
/* Open the control socket the config asks for (none without a control
 * section, or with --socket PATH). */
int mx_ctl_listen(struct mx_ctl *x, const char *path, char *err);
void mx_ctl_fini(struct mx_ctl *x);
/* Serve the socket, waiting at most 'timeout_ms'; reclaim snapshots. */
void mx_ctl_poll(struct mx_ctl *x, int timeout_ms);
/* Register 'n' commands with arg = 'x'; 0 or -errno with 'err'. */
int mx_ctl_register(struct mx_ctl *x, struct ctl_cmd *cmds, unsigned int n,
		    char *err);
/* Send event 'name' with "key": "value" string pairs (NULL-terminated). */
void mx_ctl_event(struct mx_ctl *x, const char *name, ...);
/*
 * Replace the running config with 'c' (taken over on success): checks
 * what cannot change at run time, builds a snapshot, publishes it and
 * updates the static neighbours. Returns 0 or -errno with 'err'.
 */
int mx_ctl_apply(struct mx_ctl *x, struct conf *c, char *err);
double mx_now(void);

/* The command groups (cmd_*.c). */
int mx_cmd_sys_init(struct mx_ctl *x, char *err);
int mx_cmd_stats_init(struct mx_ctl *x, char *err);
int mx_cmd_net_init(struct mx_ctl *x, char *err);
int mx_cmd_xlat_init(struct mx_ctl *x, char *err);
/* prefix.*: renumbering when the delegated prefix changes */
int mx_cmd_prefix_init(struct mx_ctl *x, char *err);

/* tap.c: capture and trace */
const char *mx_stage_name(unsigned int st);
void mx_tap_capture(struct mx_worker *w, const struct mx_tap *t,
		    struct rte_mbuf **pkts, uint16_t n, uint16_t port, int dir);
int mx_tap_trace_match(const struct mx_tap *t, const struct rte_mbuf *m,
		       uint16_t port);
void mx_tap_trace_emit(struct mx_worker *w, const struct mx_tap *t,
		       const struct mx_trace_rec *r);
void mx_tap_poll(struct mx_ctl *x);
int mx_tap_capture_start(struct mx_ctl *x, const struct mx_cap_req *q,
			 char *err);
int mx_tap_capture_stop(struct mx_ctl *x, char *err);
void mx_tap_capture_status(struct ctl_out *o);
int mx_tap_trace_start(struct mx_ctl *x, const struct mx_trace_req *q,
		       char *err);
int mx_tap_trace_stop(struct mx_ctl *x, char *err);
void mx_tap_trace_out(struct mx_ctl *x, struct ctl_out *o);
void mx_tap_fini(struct mx_ctl *x);
int mx_cmd_tap_init(struct mx_ctl *x, char *err);

/* plat.c */
int mx_plat_init(struct mx_dp *dp, const struct conf *c,
		 unsigned int clock_speed, char *err);
/* The NAT64 clock in ms (monotonic, times clock_speed). */
uint64_t mx_plat_now_ms(const struct mx_dp *dp);
/* After the workers stopped: held SYNs freed, the snapshot written. */
void mx_plat_fini(struct mx_dp *dp);
/* Main lcore: write the block log records the workers passed on. */
void mx_plat_poll(struct mx_dp *dp);
/* Is 'a' (host order) a pool address that 'port' answers ARP for? */
int mx_plat_answers_arp(const struct mx_dp *dp, uint16_t port, uint32_t a);
void mx_plat_worker_init(struct mx_worker *w);
/* Once per worker turn: the clock, expiry, held SYNs, block log. */
void mx_plat_turn(struct mx_worker *w);
/* handoff.c: packets to the worker that owns their state */
int mx_handoff_init(struct mx_dp *dp, char *err);
void mx_handoff_fini(struct mx_dp *dp);
/* Packets other workers passed to 'w' (round-robin over the sources). */
unsigned int mx_handoff_rx(struct mx_worker *w, struct rte_mbuf **pkts,
			   unsigned int max, unsigned int *from);
/* Run 'fn' on worker 'w' between two bursts; wait up to 'timeout_s'.
 * 0, -EBUSY (another call is pending) or -ETIMEDOUT (not started). */
int mx_worker_call(struct mx_worker *w, void (*fn)(struct mx_worker *, void *),
		   void *arg, double timeout_s);
void mx_worker_poll_call(struct mx_worker *w);
int mx_cmd_plat_init(struct mx_ctl *x, char *err);
/* cmd_roam.c: the remap database and roam.* (doc/roaming.md) */
int mx_roam_init(struct mx_dp *dp, const struct conf *c, char *err);
void mx_roam_fini(struct mx_dp *dp);
/* The workers' clock (now_ms): the PLAT's, or the TSC in ms. */
uint64_t mx_now_ms(const struct mx_dp *dp);
/* The CLAT's PLAT moved away from 'old': pin the clients seen lately to
 * it. Returns how many were pinned. */
uint32_t mx_roam_plat_changed(struct mx_ctl *x, const struct pkt_pfx6 *old);
/* The PLAT 'gone' is unreachable: its pinned clients move. */
uint32_t mx_roam_plat_gone(struct mx_ctl *x, const struct pkt_pfx6 *gone);
/* Expire leases, once a second. */
void mx_roam_poll(struct mx_ctl *x);
int mx_cmd_roam_init(struct mx_ctl *x, char *err);
/* kroute.c: routes and addresses from the kernel's mirrors (the
 * kernel_routes section) */
int mx_kroute_init(struct mx_ctl *x, char *err);
void mx_kroute_fini(void);
/* Put the imported routes into 'c' (replacing any it has). */
int mx_kroute_merge(struct conf *c, char *err);
void mx_kroute_poll(struct mx_ctl *x);
struct ctl_out;
void mx_kroute_stats(struct ctl_out *o);
/* Main lcore: the plat.pool.exhausted event, at most once a second. */
void mx_plat_events(struct mx_ctl *x);

/* firewall.c */
struct mx_fw_snap;
struct fw_conn_stats;
int mx_fw_init(struct mx_dp *dp, const struct conf *c, char *err);
void mx_fw_fini(struct mx_dp *dp);
struct mx_fw_snap *mx_fw_snap_build(const struct mx_dp *dp, struct conf *c,
				    char *err);
void mx_fw_snap_free(struct mx_fw_snap *fs);
/* 'sn' was published: move the rule counter totals to its rule ids. */
void mx_fw_publish(struct mx_dp *dp, struct mx_snap *sn,
		   const struct mx_snap *old);
void mx_fw_worker_init(struct mx_worker *w);
void mx_fw_turn(struct mx_worker *w, uint64_t now_ms);
/* Main lcore: log lines and fw.log events from the workers' records. */
void mx_fw_poll(struct mx_ctl *x);
/* Packets and bytes of rule 'id' of chain 'c' so far. */
struct fw_counter mx_fw_rule_counter(const struct mx_dp *dp,
				     enum fw_chain c, uint32_t id);
void mx_fw_conn_stats(const struct mx_dp *dp, unsigned int worker,
		      struct fw_conn_stats *st);
int mx_cmd_fw_init(struct mx_ctl *x, char *err);
void mx_cmd_fw_fini(void);
/* Main lcore: roll back an unconfirmed fw.commit.apply in time. */
void mx_fw_commit_poll(struct mx_ctl *x);

/* telemetry.c: register /meshxlat/... with rte_telemetry */
void mx_telemetry_init(const struct mx_ctl *x);
void mx_telemetry_fini(void);

/* stats.c */
struct mx_totals {
	uint64_t rx_pkts[MX_MAX_PORTS], rx_bytes[MX_MAX_PORTS];
	uint64_t tx_pkts[MX_MAX_PORTS], tx_bytes[MX_MAX_PORTS];
	uint64_t drops[PKT_DROP_MAX];
	uint64_t ev[MX_EV_MAX];
	uint64_t busy_cycles, polls, busy_polls;
};
void mx_stats_sum(const struct mx_dp *dp, struct mx_worker *const *w,
		  struct mx_totals *t);
void mx_stats_print(FILE *f, const struct mx_dp *dp,
		    struct mx_worker *const *w, double seconds);
int mx_stats_json(const char *path, const struct mx_dp *dp,
		  struct mx_worker *const *w, double seconds);
void mx_counters_md(FILE *f);

#endif /* MX_H */
