/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stateful NAT64 (RFC 6146): the pure state engine of the PLAT.
 *
 * This library keeps the Binding Information Base (BIB), the session
 * tables, the TCP state machine of RFC 6146 section 3.5.2, the port
 * blocks of the IPv4 pool and their expiry. It knows no packet, no mbuf,
 * no DPDK: the worker glue parses a packet, calls nat64_in2out() or
 * nat64_out2in() with the already parsed tuple and rewrites the headers
 * with the tuple it gets back (the RFC 7915 part is lib/xlat's). So the
 * whole engine is cmocka-testable and fuzzable without EAL.
 *
 * Sharding (shared/ARCHITECTURE.md, "Threads and state"): each worker
 * owns one 'struct nat64_shard'. A packet from the IPv6 side belongs to
 * the shard nat64_ports_owner_in2out() names (a hash of the client's
 * IPv6 address); a packet from the IPv4 side to the shard that owns its
 * destination port, nat64_owner_out2in(): every shard allocates only
 * from its own slice of each pool4 entry's port range, cut in whole
 * blocks. Both are pure functions of the packet and the pool layout
 * ('struct nat64_ports', immutable once built).
 *
 * Addresses and ports: every IPv4 address and every port in this API is
 * in HOST byte order; IPv6 addresses are 16 bytes as on the wire.
 * Protocols are the IPv4 numbers PKT_PROTO_TCP, PKT_PROTO_UDP and
 * PKT_PROTO_ICMP; ICMPv6 queries are passed as PKT_PROTO_ICMP with the
 * query identifier as port (RFC 6146 section 3.5.3: the identifier plays
 * the port on both sides; the remote "port" of an ICMP tuple is ignored
 * and returned equal to the translated identifier).
 *
 * Time: every call that needs the time takes 'now_ms', a monotonic clock
 * in milliseconds chosen by the caller (the worker's TSC, a fake clock in
 * tests); lifetimes have a resolution of one second and are never shorter
 * than configured. Snapshots also take the wall clock ('wall_ms') so that
 * lifetimes survive a restart.
 *
 * Threading contract:
 *  - A shard has ONE writer, the worker lcore that owns it; every
 *    function that takes a non-const shard, and also the walk, stats,
 *    event and snapshot functions, run on that lcore or while that lcore
 *    is known to be quiescent (the control lcore asks the owner through a
 *    message, or acts between worker stop and start). There are no locks
 *    and no atomics inside: nothing here may be called concurrently on
 *    one shard.
 *  - 'struct nat64_ports' and a validated 'struct nat64_cfg' are
 *    read-only and may be shared by all lcores.
 *  - Nothing allocates after nat64_shard_create() and nothing makes a
 *    system call; per-packet functions are O(1), expiry does at most
 *    'budget' entries per call.
 *  - Shutdown: stop the worker, hand every held SYN back with
 *    nat64_shard_holds_flush() (the cookies are the caller's packets),
 *    optionally nat64_shard_save(), then nat64_shard_free().
 */
#ifndef NAT64_H
#define NAT64_H

#include <stddef.h>
#include <stdint.h>

#include "hdr.h"

#define NAT64_MAX_POOL4		32	/* pool4 entries */
#define NAT64_MAX_STATIC	512	/* static BIB entries */
#define NAT64_MAX_SHARDS	256
#define NAT64_MAX_BLOCK_SIZE	4096	/* ports per block */
#define NAT64_MAX_POOL_ADDRS	65536	/* addresses over all pool4 entries */
#define NAT64_SESSIONS_LIMIT	(1u << 28)	/* max_sessions */
#define NAT64_MAX_TIMEOUT	604800	/* seconds (one week) */
#define NAT64_BULK_MAX		64	/* packets per bulk call */
#define NAT64_ERR_SIZE		256	/* enough for every message here */

/* Protocol mask bits of a pool4 entry. */
#define NAT64_PROTO_TCP		0x1
#define NAT64_PROTO_UDP		0x2
#define NAT64_PROTO_ICMP	0x4
#define NAT64_PROTO_ALL		0x7

/* TCP flags the state machine looks at (RFC 793 bit positions). */
#define NAT64_TCP_FIN		0x01
#define NAT64_TCP_SYN		0x02
#define NAT64_TCP_RST		0x04

/* One pool4 entry: a prefix, a port range and the protocols it serves. */
struct nat64_pool4 {
	uint32_t addr;			/* first address, host order */
	uint8_t len;			/* prefix length, 16..32 */
	uint8_t protos;			/* NAT64_PROTO_* mask */
	uint16_t port_lo;		/* first port (or ICMP id), >= 1 */
	uint16_t port_hi;		/* last port, >= port_lo */
};

/* One static BIB entry (RFC 6146 section 3.1: "manually configured"). */
struct nat64_static {
	uint8_t addr6[16];		/* the IPv6 host */
	uint32_t addr4;			/* host order, inside a pool4 entry */
	uint16_t port6;			/* its port (ICMP: identifier) */
	uint16_t port4;			/* the IPv4 port it is reached on */
	uint8_t proto;			/* PKT_PROTO_TCP, _UDP or _ICMP */
};

/*
 * The NAT64 configuration: the 'plat' section of the config
 * (shared/CONFIG-DRAFT.md) minus the prefixes, which are the translator's.
 * Fill with nat64_cfg_init(), change fields, then nat64_cfg_validate().
 */
struct nat64_cfg {
	struct nat64_pool4 pool4[NAT64_MAX_POOL4];
	unsigned int n_pool4;
	struct nat64_static static_bib[NAT64_MAX_STATIC];
	unsigned int n_static;
	/* Lifetimes in seconds (RFC 6146 section 4 names and minimums). */
	uint32_t udp_timeout;		/* UDP_DEFAULT 300, >= 120 */
	uint32_t tcp_est_timeout;	/* TCP_EST 7440, >= 7440 */
	uint32_t tcp_trans_timeout;	/* TCP_TRANS 240, >= 240 */
	uint32_t tcp_syn_hold;		/* TCP_INCOMING_SYN 6, >= 6 */
	uint32_t icmp_timeout;		/* ICMP_DEFAULT 60, >= 60 */
	uint32_t max_sessions;		/* the whole box, all shards */
	uint32_t max_sessions_per_client;	/* all protocols */
	uint32_t block_size;		/* ports per block, default 64 */
	/* Blocks a client may hold per protocol; 0: one quarter of the
	 * blocks its shard owns on one address, at most enough for
	 * max_sessions_per_client ports, at least 1. */
	uint32_t max_blocks_per_client;
	uint32_t max_held_syns;		/* held IPv4 SYNs, whole box (0: none) */
	uint32_t event_ring;		/* block log records kept per shard */
	uint8_t address_dependent_filtering;	/* else endpoint-independent */
	/* Seeds the port randomness (RFC 6056) and the hash keys; 0 (the
	 * default): drawn from the OS at nat64_shard_create(). Set it only
	 * for runs that must repeat (tests): a known seed lets remote hosts
	 * predict ports and aim hash collisions. */
	uint64_t seed;
};

/* Defaults: no pool, the RFC 6146 lifetimes, 1 M sessions, 2048 per
 * client, 64-port blocks, 256 held SYNs, 4096 log records, EIF, a seed
 * from the OS. */
void nat64_cfg_init(struct nat64_cfg *c);

/*
 * Check 'c' as a whole. Returns 0, or -EINVAL with a message in 'err'
 * ('err_size' bytes, NAT64_ERR_SIZE is enough) that names the field and
 * the value ("pool4[1].ports: 9000-800: range is empty").
 */
int nat64_cfg_validate(const struct nat64_cfg *c, char *err, size_t err_size);

/*
 * The pool layout shared by all shards: the pool4 entries cut into blocks
 * and the blocks dealt to 'n_shards' shards. Block k of address a of an
 * entry (k counts from the entry's first port, 'block_size' ports each;
 * the last block of a range may be shorter) has the global number
 * g = base(entry) + a * blocks_per_address + k, and belongs to shard
 * g mod n_shards: every shard owns a disjoint slice of every entry, and
 * the slices cover it. Returns NULL with errno EINVAL (message in 'err')
 * when 'c' is invalid or a client's static BIB entries fall in the
 * slices of different shards, ENOMEM when out of memory.
 */
struct nat64_ports *nat64_ports_create(const struct nat64_cfg *c,
				       unsigned int n_shards, char *err,
				       size_t err_size);
void nat64_ports_free(struct nat64_ports *p);

/*
 * The shard of an IPv6 client: the 64-bit finalizer of MurmurHash3
 * (fmix64) over the big-endian halves of 'src6',
 *   h = fmix64(hi ^ fmix64(lo ^ 0x9e3779b97f4a7c15)),
 * scaled to [0, n_shards) as ((h >> 32) * n_shards) >> 32. Stable across
 * runs, builds and hosts: snapshots depend on it.
 */
unsigned int nat64_owner_in2out(const uint8_t src6[16], unsigned int n_shards);

/*
 * The shard that must see IPv6 packets of 'src6': the shard whose slice
 * holds the client's static BIB entries if it has any, else
 * nat64_owner_in2out(). This is the one the worker glue calls.
 */
unsigned int nat64_ports_owner_in2out(const struct nat64_ports *p,
				      const uint8_t src6[16]);

/*
 * The shard that owns IPv4 transport address 'addr4':'port4' of 'proto'
 * (see nat64_ports_create()), or -1 when it is in no pool4 entry serving
 * 'proto'. O(number of pool4 entries).
 */
int nat64_owner_out2in(const struct nat64_ports *p, uint32_t addr4,
		       uint16_t port4, uint8_t proto);

unsigned int nat64_ports_n_shards(const struct nat64_ports *p);

/*
 * Verdicts of the per-packet functions: NAT64_OK (translate with the
 * returned tuple), NAT64_HELD (the shard kept the packet's cookie), or
 * why the packet must be dropped. The app maps each to a drop counter.
 * X(NAME, "key", "description")
 */
#define NAT64_VERDICT_LIST(X) \
	X(OK, "ok", "translated") \
	X(HELD, "held", "unsolicited IPv4 SYN stored for TCP_INCOMING_SYN (RFC 6146 section 3.5.2.2)") \
	X(PROTO, "nat64_proto", "protocol not served by the pool") \
	X(NO_BIB, "nat64_no_bib", "no BIB entry: unsolicited IPv4 packet, or IPv6 TCP without SYN and no state") \
	X(FILTERED, "nat64_filtered", "address-dependent filtering: no session with this remote address") \
	X(NO_SESSION, "nat64_no_session", "ICMP error about a flow without a session (RFC 6146 section 3.5.4)") \
	X(POOL_EXHAUSTED, "nat64_pool_exhausted", "no free port block on the client's IPv4 address") \
	X(CLIENT_BLOCKS, "nat64_client_blocks", "client holds max_blocks_per_client blocks and they are full") \
	X(MAX_SESSIONS, "nat64_max_sessions", "the shard's session table is full") \
	X(CLIENT_SESSIONS, "nat64_client_sessions", "client has max_sessions_per_client sessions") \
	X(MAX_CLIENTS, "nat64_max_clients", "the shard's client table is full") \
	X(MAX_BLOCKS, "nat64_max_blocks", "the shard's block table is full") \
	X(TABLE_FULL, "nat64_table_full", "a hash index found no room for the entry (not seen in the tests)") \
	X(HOLD_FULL, "nat64_hold_full", "unsolicited IPv4 SYN and no room to hold it (answer ICMP port unreachable)") \
	X(HOLD_DUP, "nat64_hold_dup", "IPv4 SYN for a tuple whose SYN is already held")

#define NAT64_VERDICT_ENUM(n, k, d) NAT64_##n,
enum nat64_verdict {
	NAT64_VERDICT_LIST(NAT64_VERDICT_ENUM)
	NAT64_VERDICT_MAX
};
#undef NAT64_VERDICT_ENUM

/* The key ("nat64_no_bib") and one sentence on verdict 'v'; "?" when out
 * of range. */
const char *nat64_verdict_name(unsigned int v);
const char *nat64_verdict_desc(unsigned int v);

/* The IPv6 side of a flow: client 'addr6':'port6' talking to the IPv4
 * remote 'rem4':'rport' (the IPv4 address the IPv6 destination embeds). */
struct nat64_tuple6 {
	uint8_t addr6[16];
	uint32_t rem4;
	uint16_t port6;
	uint16_t rport;
	uint8_t proto;
};

/* The IPv4 side: pool address 'addr4':'port4' and the remote. */
struct nat64_tuple4 {
	uint32_t addr4;
	uint32_t rem4;
	uint16_t port4;
	uint16_t rport;
	uint8_t proto;
};

struct nat64_shard;

/*
 * Create shard 'shard_id' of 'n_shards' for configuration 'c' (checked
 * with nat64_cfg_validate() and copied; the shard builds its own pool
 * layout, the same nat64_ports_create() returns). 'capacity' is the
 * number of sessions, 0 for ceil(max_sessions / n_shards). Every table
 * is allocated here, sized from 'capacity': BIB entries as many as
 * sessions (plus the static ones), clients and blocks a quarter of that
 * (at least 16; blocks never more than the shard owns), the SYN hold
 * table ceil(max_held_syns / n_shards). Static BIB entries whose port is
 * in this shard's slice are installed. Returns NULL with errno EINVAL
 * (bad arguments or config) or ENOMEM.
 */
struct nat64_shard *nat64_shard_create(const struct nat64_cfg *c,
				       unsigned int shard_id,
				       unsigned int n_shards,
				       uint32_t capacity);
/* The pool layout of 'sh' (valid while 'sh' is). */
const struct nat64_ports *nat64_shard_ports(const struct nat64_shard *sh);
/* Free 'sh' and everything in it; NULL is a no-op. Held SYN cookies are
 * forgotten: flush them first. */
void nat64_shard_free(struct nat64_shard *sh);

/*
 * A packet from the IPv6 side (RFC 6146 sections 3.5.1 to 3.5.3): find or
 * create the BIB entry (endpoint-independent mapping, RFC 4787 REQ-1) and
 * the session, run the TCP state machine with 'tcp_flags' (ignored for
 * UDP and ICMP), refresh the lifetime. On NAT64_OK, 'out' is the IPv4
 * tuple to write: source 'out->addr4':'out->port4', destination
 * 'out->rem4':'out->rport'. A TCP SYN that completes a simultaneous open
 * with a held IPv4 SYN releases that SYN (see nat64_shard_holds_pop()).
 * Cost: one hash lookup on a hit; BIB, block and session set-up on a miss.
 */
enum nat64_verdict nat64_in2out(struct nat64_shard *sh,
				const struct nat64_tuple6 *in,
				uint8_t tcp_flags, uint64_t now_ms,
				struct nat64_tuple4 *out);

/*
 * A packet from the IPv4 side, to 'in->addr4':'in->port4' from
 * 'in->rem4':'in->rport'. On NAT64_OK, 'out' is the IPv6 tuple: the
 * packet goes to 'out->addr6':'out->port6'. Filtering is
 * endpoint-independent unless the config asks for address-dependent
 * filtering (RFC 4787 REQ-8). An unsolicited TCP SYN (no BIB entry, or
 * filtered) is held for TCP_INCOMING_SYN seconds if 'cookie' is not NULL:
 * the verdict is then NAT64_HELD and the shard keeps 'cookie' (the
 * caller's packet) until nat64_shard_holds_pop() hands it back.
 */
enum nat64_verdict nat64_out2in(struct nat64_shard *sh,
				const struct nat64_tuple4 *in,
				uint8_t tcp_flags, uint64_t now_ms,
				void *cookie, struct nat64_tuple6 *out);

/*
 * Lookup only, for the packet inside an ICMP error (RFC 6146 section
 * 3.5.4): no state is created, changed or refreshed. 'in' is the flow
 * the quoted packet belongs to, written as for nat64_in2out() (an ICMPv6
 * error from the IPv6 side) or nat64_out2in() (an ICMPv4 error from the
 * IPv4 side). NAT64_OK or NAT64_NO_SESSION (or NAT64_PROTO).
 */
enum nat64_verdict nat64_in2out_lookup(const struct nat64_shard *sh,
				       const struct nat64_tuple6 *in,
				       struct nat64_tuple4 *out);
enum nat64_verdict nat64_out2in_lookup(const struct nat64_shard *sh,
				       const struct nat64_tuple4 *in,
				       struct nat64_tuple6 *out);

/* Prefetch the hash buckets 'in' will be looked up in: call it a few
 * packets ahead of nat64_in2out()/nat64_out2in(). */
void nat64_prefetch_in2out(const struct nat64_shard *sh,
			   const struct nat64_tuple6 *in);
void nat64_prefetch_out2in(const struct nat64_shard *sh,
			   const struct nat64_tuple4 *in);

/*
 * The same as 'n' (at most NAT64_BULK_MAX) calls of nat64_in2out() /
 * nat64_out2in() in order, with the hash buckets, sessions and BIB
 * entries of all packets loaded in stages first so that their cache
 * misses overlap (at 1 M sessions, about a third of the cost of single
 * calls; doc/nat64.md). 'tcp_flags' has one byte per packet; 'cookies'
 * may be NULL (no SYN is held). Verdicts go to 'verdicts[i]'.
 */
void nat64_in2out_bulk(struct nat64_shard *sh,
		       const struct nat64_tuple6 *in, const uint8_t *tcp_flags,
		       unsigned int n, uint64_t now_ms,
		       struct nat64_tuple4 *out, uint8_t *verdicts);
void nat64_out2in_bulk(struct nat64_shard *sh,
		       const struct nat64_tuple4 *in, const uint8_t *tcp_flags,
		       unsigned int n, uint64_t now_ms, void *const *cookies,
		       struct nat64_tuple6 *out, uint8_t *verdicts);

/*
 * Expire at most 'budget' sessions that are due at 'now_ms': free them,
 * their BIB entries when no session is left (static ones stay), their
 * blocks when no BIB entry is left (logging the block), and their client.
 * An ESTABLISHED TCP session that times out goes to TRANS for
 * TCP_TRANS instead (RFC 6146 section 3.5.2.2; no probe is sent). Uses a
 * timer wheel of one-second slots; a refresh only stamps the session, so
 * the fast path never touches the wheel. Returns the number of sessions
 * freed.
 */
unsigned int nat64_shard_expire(struct nat64_shard *sh, uint64_t now_ms,
				unsigned int budget);

/* A held IPv4 SYN handed back. */
struct nat64_hold {
	void *cookie;			/* as given to nat64_out2in() */
	struct nat64_tuple4 t;		/* its tuple */
	uint8_t expired;		/* 1: TCP_INCOMING_SYN passed, answer
					 * ICMP port unreachable (RFC 6146
					 * section 3.5.2.2); 0: discard it, an
					 * IPv6 SYN took the flow */
};

/*
 * Hand back up to 'n' held SYNs: first those released by an IPv6 SYN,
 * then those whose TCP_INCOMING_SYN passed at 'now_ms'. Returns how many
 * were written to 'out'. Call it every loop; it is O(returned).
 */
unsigned int nat64_shard_holds_pop(struct nat64_shard *sh, uint64_t now_ms,
				   struct nat64_hold *out, unsigned int n);
/* Hand back up to 'n' held SYNs whatever their time (shutdown, restore);
 * 'expired' says whether each one was due. */
unsigned int nat64_shard_holds_flush(struct nat64_shard *sh, uint64_t now_ms,
				     struct nat64_hold *out, unsigned int n);

/* One block log record (RFC 6888 section 4; per block as RFC 7422
 * argues, not per session). */
enum nat64_event_type {
	NAT64_EV_BLOCK_ALLOC,
	NAT64_EV_BLOCK_FREE,
};

struct nat64_event {
	uint8_t type;			/* enum nat64_event_type */
	uint8_t proto;			/* PKT_PROTO_* */
	uint16_t port_lo;		/* the block: port_lo..port_hi */
	uint16_t port_hi;
	uint32_t addr4;			/* host order */
	uint8_t client[16];		/* the IPv6 client holding it */
	uint64_t start_ms;		/* allocation, caller's clock */
	uint64_t end_ms;		/* release; 0 on NAT64_EV_BLOCK_ALLOC */
};

/* Move up to 'n' records, oldest first, from the shard's ring to 'out'.
 * Returns how many. */
unsigned int nat64_shard_events_drain(struct nat64_shard *sh,
				      struct nat64_event *out, unsigned int n);

/*
 * The log line of 'ev' (doc/nat64.md, "Block log"):
 *   "<alloc|free> <proto> <client6> <addr4> <lo>-<hi> <start_ms> <end_ms|->"
 * written to 'buf' ('size' bytes, 128 is enough). Returns what
 * snprintf() returns.
 */
int nat64_event_format(const struct nat64_event *ev, char *buf, size_t size);

/* What a walk reports. */
struct nat64_sess_info {
	uint8_t addr6[16];
	uint32_t addr4;
	uint32_t rem4;
	uint16_t port6;
	uint16_t port4;
	uint16_t rport;
	uint8_t proto;
	uint8_t state;			/* enum nat64_tcp_state (UDP/ICMP: ESTAB) */
	uint8_t is_static;		/* of a static BIB entry */
	uint32_t expires_in_s;		/* remaining lifetime */
};

struct nat64_bib_info {
	uint8_t addr6[16];
	uint32_t addr4;
	uint16_t port6;
	uint16_t port4;
	uint8_t proto;
	uint8_t is_static;
	uint32_t n_sess;
};

/* Walk filter: zero fields match anything. */
struct nat64_filter {
	uint8_t proto;			/* PKT_PROTO_*, 0: any */
	uint8_t client_len;		/* prefix length of 'client', 0: any */
	uint8_t client[16];
	uint32_t addr4;			/* pool address, 0: any */
	uint16_t port4;			/* pool port, 0: any */
};

#define NAT64_CURSOR_END	UINT32_MAX

typedef int (*nat64_sess_fn)(const struct nat64_sess_info *s, void *arg);
typedef int (*nat64_bib_fn)(const struct nat64_bib_info *b, void *arg);

/*
 * Call 'cb' for each session (BIB entry) that matches 'f' (NULL: all),
 * starting at '*cursor' (0 the first time) and for at most 'max' entries
 * (0: no limit). A non-zero return from 'cb' stops the walk after that
 * entry. '*cursor' is left where the next page starts, or
 * NAT64_CURSOR_END when the table is done. Entries created or freed
 * between pages may be missed or seen twice. Returns the number of
 * entries reported. O(capacity) for a whole walk.
 */
unsigned int nat64_shard_walk_sess(const struct nat64_shard *sh,
				   const struct nat64_filter *f,
				   uint32_t *cursor, unsigned int max,
				   uint64_t now_ms, nat64_sess_fn cb,
				   void *arg);
unsigned int nat64_shard_walk_bib(const struct nat64_shard *sh,
				  const struct nat64_filter *f,
				  uint32_t *cursor, unsigned int max,
				  nat64_bib_fn cb, void *arg);

enum nat64_tcp_state {
	NAT64_TCP_CLOSED,
	NAT64_TCP_V4_INIT,
	NAT64_TCP_V6_INIT,
	NAT64_TCP_ESTAB,
	NAT64_TCP_V4_FIN,		/* V4 FIN RCV */
	NAT64_TCP_V6_FIN,		/* V6 FIN RCV */
	NAT64_TCP_V4V6_FIN,		/* V4 FIN + V6 FIN RCV */
	NAT64_TCP_TRANS,
	NAT64_TCP_N
};

/* "CLOSED", "V4 INIT", ... as RFC 6146 writes them. */
const char *nat64_tcp_state_name(unsigned int s);

/* Protocol indexes of the per-protocol arrays below. */
enum { NAT64_I_TCP, NAT64_I_UDP, NAT64_I_ICMP, NAT64_NPROTO };

struct nat64_stats {
	uint64_t sessions[NAT64_NPROTO];	/* live, per protocol */
	uint64_t tcp_states[NAT64_TCP_N];	/* live TCP sessions by state */
	uint64_t bibs[NAT64_NPROTO];		/* live, static included */
	uint64_t static_bibs;
	uint64_t clients;
	uint64_t blocks[NAT64_NPROTO];		/* allocated to clients */
	uint64_t blocks_free[NAT64_NPROTO];	/* owned by the shard, free */
	uint64_t ports_free[NAT64_NPROTO];	/* in free blocks and in the
						 * free slots of allocated
						 * ones */
	uint64_t holds;				/* SYNs held now */
	uint64_t capacity;			/* sessions */
	uint64_t sessions_created;
	uint64_t sessions_expired;
	uint64_t holds_expired;
	uint64_t events_lost;			/* block log ring overflows */
	uint64_t verdicts[NAT64_VERDICT_MAX];	/* packets by verdict */
};

/* Fill 'st'. O(block table + static entries): for the control plane. */
void nat64_shard_stats(const struct nat64_shard *sh, struct nat64_stats *st);

/*
 * Bytes allocated by nat64_shard_create() for 'sh', everything included,
 * and that divided by the session capacity (doc/nat64.md, "Memory").
 */
size_t nat64_shard_mem(const struct nat64_shard *sh);
size_t nat64_mem_per_session(const struct nat64_shard *sh);
uint32_t nat64_shard_capacity(const struct nat64_shard *sh);

/*
 * Check every invariant of 'sh' (each session's BIB entry exists, the
 * indexes find every entry, counts agree, no port is bound twice, block
 * bitmaps match the BIB, the wheel holds every session once). O(size of
 * the tables), and it allocates scratch counters: for tests, fuzzers
 * and the control plane, never a worker. Returns 0, -EBADMSG with a
 * message in 'err', or -ENOMEM.
 */
int nat64_shard_check(const struct nat64_shard *sh, char *err,
		      size_t err_size);

/*
 * Snapshots (doc/nat64.md, "Snapshot"). A writer gets the bytes in order
 * and returns 0 or -errno; a reader fills 'buf' with up to 'size' bytes
 * and returns how many (fewer only at the end) or -errno.
 */
typedef int (*nat64_write_fn)(void *arg, const void *buf, size_t size);
typedef long (*nat64_read_fn)(void *arg, void *buf, size_t size);

/*
 * Write the dynamic state of 'sh' (its blocks and sessions; static BIB
 * entries come from the config) as one section: header (magic, version,
 * shard id, n_shards, a fingerprint of the pool layout, 'wall_ms' at
 * save, counts), records, CRC-32. A file holds the sections of all
 * shards in shard order. Returns 0 or the writer's error.
 */
int nat64_shard_save(const struct nat64_shard *sh, nat64_write_fn wr,
		     void *arg, uint64_t now_ms, uint64_t wall_ms);

/*
 * Read one section into the EMPTY shard 'sh' (no session, no dynamic
 * BIB entry, no held SYN; -EBUSY otherwise). Remaining lifetimes shrink
 * by the wall clock time between save and restore; sessions that ran out
 * meanwhile are dropped, and blocks, BIB entries and clients left
 * without them are freed (logged). Returns the number of sessions
 * restored, or a negative errno with a message in 'err', the shard left
 * empty: -EBADMSG (bad magic, truncated, checksum, inconsistent records),
 * -EINVAL (another version, shard, shard count or pool layout),
 * -ENOSPC (more than the shard holds), or the reader's error.
 */
long nat64_shard_restore(struct nat64_shard *sh, nat64_read_fn rd, void *arg,
			 uint64_t now_ms, uint64_t wall_ms, char *err,
			 size_t err_size);

/* Writer/reader over a stdio stream ('arg' is the FILE *). */
int nat64_snap_write_file(void *arg, const void *buf, size_t size);
long nat64_snap_read_file(void *arg, void *buf, size_t size);

/* Writer/reader over a caller's memory buffer. */
struct nat64_membuf {
	uint8_t *buf;
	size_t size;			/* bytes of 'buf' */
	size_t len;			/* bytes written */
	size_t pos;			/* read position */
};
int nat64_snap_write_mem(void *arg, const void *buf, size_t size);
long nat64_snap_read_mem(void *arg, void *buf, size_t size);

/* RFC 6146 section 3.5.2.2 as a table (tcp_state.c). */
enum nat64_tcp_event {
	NAT64_TEV_V6_SYN,
	NAT64_TEV_V4_SYN,
	NAT64_TEV_V6_FIN,
	NAT64_TEV_V4_FIN,
	NAT64_TEV_V6_RST,
	NAT64_TEV_V4_RST,
	NAT64_TEV_V6_OTHER,
	NAT64_TEV_V4_OTHER,
	NAT64_TEV_N
};

/* What a transition does to the session's lifetime. */
enum nat64_tcp_life {
	NAT64_LIFE_KEEP,		/* unchanged, not refreshed */
	NAT64_LIFE_EST,			/* set to TCP_EST */
	NAT64_LIFE_TRANS,		/* set to TCP_TRANS */
	NAT64_LIFE_DELETE,		/* the session goes (CLOSED) */
};

struct nat64_tcp_step {
	uint8_t next;			/* enum nat64_tcp_state */
	uint8_t life;			/* enum nat64_tcp_life */
};

/* The event of a segment: RST wins over SYN, SYN over FIN. */
enum nat64_tcp_event nat64_tcp_event(int from_v6, uint8_t tcp_flags);
/* The transition of 'state' on 'ev'. */
struct nat64_tcp_step nat64_tcp_next(unsigned int state,
				     enum nat64_tcp_event ev);
/* The transition of 'state' when its lifetime runs out. */
struct nat64_tcp_step nat64_tcp_timeout(unsigned int state);

#endif /* NAT64_H */
