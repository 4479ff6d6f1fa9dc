/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside a NAT64 shard: the entry layouts, the hash functions and the
 * bucketized cuckoo index that every table uses, shared by the files of
 * lib/nat64 and by nothing else.
 *
 * Memory (doc/nat64.md, "Memory"): a session is 32 bytes, a BIB entry 32,
 * a client 48, a block 32 plus its port bitmap. Entries sit in fixed
 * arrays allocated at create and are linked into free lists by index;
 * NAT64_NIL ends every list. Each index is an array of 64-byte buckets of
 * ten (16-bit signature, 32-bit entry index) slots, sized for 85 % load:
 * about 7.5 bytes per entry, one cache line per candidate bucket.
 */
#ifndef NAT64_PRIV_H
#define NAT64_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nat64.h"

#define NAT64_NIL		UINT32_MAX

/* Shard seconds = now_ms / 1000 + NAT64_T_BASE: never below any
 * lifetime, so "seen - lifetime" cannot wrap. */
#define NAT64_T_BASE		(1u << 24)

/* Timer wheel: one-second slots; longer lifetimes go round again. Slot
 * NAT64_WHEEL is the list expiry is working through. */
#define NAT64_WHEEL		4096u
#define NAT64_PENDING		NAT64_WHEEL
#define NAT64_SLOT_NONE		0xffffu	/* on no list */

/* Timer classes: each has one lifetime. */
enum nat64_cls {
	NAT64_CLS_UDP,
	NAT64_CLS_ICMP,
	NAT64_CLS_TCP_EST,
	NAT64_CLS_TCP_TRANS,
	NAT64_CLS_N,
	NAT64_CLS_FREE = 0xff,		/* a session not in use */
};

/* BIB entry flags. */
#define NAT64_BIB_LIVE		0x01
#define NAT64_BIB_STATIC	0x02

/* Client flags. */
#define NAT64_CLI_LIVE		0x01
#define NAT64_CLI_STATIC	0x02	/* holds static BIB entries: pinned */
#define NAT64_CLI_HAS4		0x04	/* 'addr4' is chosen */

/* Hold entry states. */
enum { NAT64_HOLD_FREE, NAT64_HOLD_HELD, NAT64_HOLD_RELEASED };

/* One pool4 entry cut into blocks (nat64_ports_create()). */
struct nat64_pent {
	uint32_t addr;			/* first address, host order */
	uint32_t n_addr;
	uint16_t lo, hi;		/* port range */
	uint8_t protos;			/* NAT64_PROTO_* */
	uint8_t np;			/* protocols in 'protos' */
	uint8_t pos[NAT64_NPROTO];	/* protocol index -> 0..np-1 */
	uint32_t nblk;			/* blocks per address */
	uint64_t gbase;			/* global number of its first block */
};

/* A client with static BIB entries and the shard that holds them. */
struct nat64_sclient {
	uint8_t addr6[16];
	uint32_t shard;
};

struct nat64_ports {
	uint32_t n_shards;
	uint32_t bs;			/* block size */
	uint64_t bs_recip;		/* ceil(2^32 / bs): x / bs for x < 2^16 */
	uint32_t n_ent;
	uint64_t n_blocks;		/* over all entries and addresses */
	uint64_t fingerprint;		/* of the layout, for snapshots */
	struct nat64_pent ent[NAT64_MAX_POOL4];
	uint32_t n_sclient;
	struct nat64_sclient sclient[NAT64_MAX_STATIC];	/* by addr6 */
};

/* A session: the BIB entry plus the remote end (RFC 6146 section 3.2). */
struct nat64_sess {
	uint32_t bib;			/* its BIB entry */
	uint32_t rem4;			/* remote address, host order */
	uint16_t rport;			/* remote port, 0 for ICMP */
	uint8_t state;			/* enum nat64_tcp_state */
	uint8_t cls;			/* enum nat64_cls */
	uint32_t seen;			/* last refresh, shard seconds */
	uint32_t prev;			/* wheel slot list */
	uint32_t next;			/* wheel slot list, free list */
	uint16_t slot;			/* the wheel slot it is on */
	uint16_t pad16;
	uint32_t pad32;
};

/* A BIB entry: (proto, addr6, port6) <-> (addr4, port4). */
struct nat64_bib {
	uint8_t addr6[16];
	uint32_t addr4;
	uint16_t port6;
	uint16_t port4;
	uint8_t pi;			/* protocol index */
	uint8_t flags;			/* NAT64_BIB_* */
	uint16_t pad;
	uint32_t n_sess;		/* its sessions; free-list link when free */
};

/* An IPv6 client (a subscriber, RFC 6888). */
struct nat64_client {
	uint8_t addr6[16];
	uint32_t addr4;			/* its one IPv4 address (paired pooling) */
	uint32_t n_sess;		/* sessions, all protocols */
	uint32_t n_bib;			/* BIB entries; free-list link when free */
	uint32_t blk[NAT64_NPROTO];	/* its blocks, per protocol */
	uint16_t n_blk[NAT64_NPROTO];
	uint8_t flags;			/* NAT64_CLI_* */
	uint8_t pad;
};

/* A port block allocated to a client. */
struct nat64_blk {
	uint32_t client;
	uint32_t next;			/* client's list, free list */
	uint32_t addr4;
	uint16_t lo;			/* first port */
	uint16_t n_ports;		/* block size, or less at a range end */
	uint16_t used;			/* ports bound to BIB entries */
	uint8_t pi;			/* protocol index */
	uint8_t ent;			/* pool4 entry */
	uint32_t j;			/* bit in the owner bitmap of its address */
	uint64_t start_ms;		/* for the block log */
};

/* Address-dependent filtering: sessions of a BIB entry per remote. */
struct nat64_adf {
	uint32_t bib;
	uint32_t rem4;
	uint32_t count;			/* free-list link when free */
	uint32_t pad;
};

/* A held IPv4 SYN. */
struct nat64_holdent {
	uint64_t deadline_ms;
	void *cookie;
	uint32_t addr4, rem4;
	uint16_t port4, rport;
	uint32_t prev, next;		/* held or released list, free list */
	uint8_t state;			/* NAT64_HOLD_* */
};

/* This shard's blocks of one pool4 entry. */
struct nat64_own {
	uint32_t maxcnt;		/* most blocks it owns on one address */
	uint32_t wpa;			/* bitmap words per (address, protocol) */
	size_t bits_off;		/* first word in own_bits */
	size_t free_off;		/* first counter in own_free */
};

/* A static BIB port reserved in this shard's slice. */
struct nat64_stres {
	uint32_t addr4;
	uint16_t port4;
	uint8_t pi;
};

#define NAT64_BKT_SLOTS		10

struct nat64_bkt {
	_Alignas(64) uint16_t sig[NAT64_BKT_SLOTS];
	uint32_t idx[NAT64_BKT_SLOTS];	/* NAT64_NIL: free */
	uint32_t pad;
};

struct nat64_idx {
	struct nat64_bkt *b;
	uint32_t nb;			/* buckets */
	uint32_t n;			/* entries */
};

/* The memory budget (doc/nat64.md, "Memory") rests on these. */
_Static_assert(sizeof(struct nat64_sess) == 32, "session is 32 bytes");
_Static_assert(sizeof(struct nat64_bib) == 32, "BIB entry is 32 bytes");
_Static_assert(sizeof(struct nat64_client) == 48, "client is 48 bytes");
_Static_assert(sizeof(struct nat64_blk) == 32, "block is 32 bytes");
_Static_assert(sizeof(struct nat64_adf) == 16, "ADF record is 16 bytes");
_Static_assert(sizeof(struct nat64_bkt) == 64, "bucket is a cache line");

struct nat64_shard {
	/* Fast path first. */
	struct nat64_idx s6;		/* sessions by (proto, addr6, port6, rem) */
	struct nat64_idx s4;		/* sessions by (proto, addr4, port4, rem) */
	struct nat64_sess *sess;
	struct nat64_bib *bib;
	uint64_t hkey;			/* hash key */
	uint32_t timeout[NAT64_CLS_N];	/* seconds */
	uint8_t proto_mask;		/* NAT64_PROTO_* served by the pool */
	uint8_t adf_on;
	uint16_t pad;
	uint64_t verdicts[NAT64_VERDICT_MAX];

	/* Slow path. */
	struct nat64_idx b6;		/* BIB by (proto, addr6, port6) */
	struct nat64_idx b4;		/* BIB by (proto, addr4, port4) */
	struct nat64_idx cl;		/* clients by addr6 */
	struct nat64_idx ai;		/* ADF records by (bib, rem4) */
	struct nat64_idx hi;		/* held SYNs by tuple */
	struct nat64_client *cli;
	struct nat64_blk *blk;
	uint64_t *blk_bits;		/* blk_words per block, bit = port */
	struct nat64_adf *adf;
	struct nat64_holdent *hold;
	uint32_t blk_words;
	uint32_t cap_sess, cap_bib, cap_cli, cap_blk, cap_adf, cap_hold;
	uint32_t free_sess, free_bib, free_cli, free_blk, free_adf, free_hold;
	uint32_t n_sess, n_bib, n_cli, n_blk, n_adf, n_hold;
	uint32_t n_sess_p[NAT64_NPROTO];
	uint32_t n_bib_p[NAT64_NPROTO];
	uint32_t n_blk_p[NAT64_NPROTO];
	uint32_t n_static;		/* static BIB entries installed */
	uint32_t max_cli_sess;
	uint32_t max_cli_blk;		/* per protocol */
	uint64_t hold_ms;		/* TCP_INCOMING_SYN */
	uint32_t hold_head, hold_tail;	/* held, oldest first */
	uint32_t rel_head, rel_tail;	/* released by an IPv6 SYN */
	uint32_t *wheel;		/* NAT64_WHEEL + 1 list heads */
	uint32_t wheel_t;		/* last second processed */
	uint64_t rng;			/* splitmix64 state */
	uint32_t shard_id;
	uint32_t n_shards;

	struct nat64_ports *ports;
	struct nat64_own own[NAT64_MAX_POOL4];
	uint64_t *own_bits;		/* 1: block allocated */
	uint32_t *own_free;		/* free blocks per (entry, address, proto) */
	size_t own_words, own_nfree;
	uint64_t own_blocks[NAT64_NPROTO];	/* blocks owned */
	uint64_t own_free_p[NAT64_NPROTO];	/* of which free */
	uint64_t own_ports[NAT64_NPROTO];	/* ports in owned blocks */
	struct nat64_stres *st;		/* n_st reserved static ports */
	uint32_t n_st;

	struct nat64_event *ev;		/* ring, ev_mask + 1 records */
	uint32_t ev_mask;
	uint64_t ev_head, ev_tail;	/* read and write counts */

	uint64_t created, expired, holds_expired, events_lost;
	size_t mem;			/* bytes allocated */
	struct nat64_cfg cfg;
};

/* Protocol number -> index, or -1. */
static inline int
nat64_pi(uint8_t proto)
{
	switch (proto) {
	case PKT_PROTO_TCP:
		return NAT64_I_TCP;
	case PKT_PROTO_UDP:
		return NAT64_I_UDP;
	case PKT_PROTO_ICMP:
		return NAT64_I_ICMP;
	default:
		return -1;
	}
}

static inline uint8_t
nat64_proto_of(unsigned int pi)
{
	static const uint8_t protos[NAT64_NPROTO] = {
		PKT_PROTO_TCP, PKT_PROTO_UDP, PKT_PROTO_ICMP,
	};

	return protos[pi];
}

/* The 64-bit finalizer of MurmurHash3: a bijection with full avalanche. */
static inline uint64_t
nat64_fmix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* splitmix64: the shard's PRNG (ports, blocks, cuckoo walks). */
static inline uint64_t
nat64_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform number below 'n' (n > 0) from 32 random bits. */
static inline uint32_t
nat64_rand_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((nat64_rand(s) >> 32) * n) >> 32);
}

static inline void
nat64_ld128(const uint8_t *a, uint64_t *w0, uint64_t *w1)
{
	memcpy(w0, a, 8);
	memcpy(w1, a + 8, 8);
}

/*
 * Table hashes, keyed with the shard's secret so that remote hosts cannot
 * aim collisions at one bucket. Each table has its own tweak.
 */
static inline uint64_t
nat64_h_s6(const struct nat64_shard *sh, unsigned int pi, const uint8_t *a6,
	   uint16_t port6, uint32_t rem4, uint16_t rport)
{
	uint64_t w0, w1;

	nat64_ld128(a6, &w0, &w1);
	return nat64_fmix(nat64_fmix(nat64_fmix(w0 ^ sh->hkey ^ pi) ^ w1) ^
			  ((uint64_t)rem4 << 32 | (uint64_t)port6 << 16 | rport));
}

static inline uint64_t
nat64_h_s4(const struct nat64_shard *sh, unsigned int pi, uint32_t addr4,
	   uint16_t port4, uint32_t rem4, uint16_t rport)
{
	return nat64_fmix(nat64_fmix(((uint64_t)addr4 << 32 | rem4) ^
				     sh->hkey ^ (0x100u + pi)) ^
			  ((uint64_t)port4 << 16 | rport));
}

static inline uint64_t
nat64_h_b6(const struct nat64_shard *sh, unsigned int pi, const uint8_t *a6,
	   uint16_t port6)
{
	uint64_t w0, w1;

	nat64_ld128(a6, &w0, &w1);
	return nat64_fmix(nat64_fmix(nat64_fmix(w0 ^ sh->hkey ^ (0x200u + pi)) ^
				     w1) ^ port6);
}

static inline uint64_t
nat64_h_b4(const struct nat64_shard *sh, unsigned int pi, uint32_t addr4,
	   uint16_t port4)
{
	return nat64_fmix(((uint64_t)addr4 << 32 | (uint64_t)port4 << 8 | pi) ^
			  sh->hkey ^ 0x300u);
}

static inline uint64_t
nat64_h_cl(const struct nat64_shard *sh, const uint8_t *a6)
{
	uint64_t w0, w1;

	nat64_ld128(a6, &w0, &w1);
	return nat64_fmix(nat64_fmix(w0 ^ sh->hkey ^ 0x400u) ^ w1);
}

static inline uint64_t
nat64_h_adf(const struct nat64_shard *sh, uint32_t bib, uint32_t rem4)
{
	return nat64_fmix(((uint64_t)bib << 32 | rem4) ^ sh->hkey ^ 0x500u);
}

static inline uint64_t
nat64_h_hold(const struct nat64_shard *sh, uint32_t addr4, uint16_t port4,
	     uint32_t rem4, uint16_t rport)
{
	return nat64_fmix(nat64_fmix(((uint64_t)addr4 << 32 | rem4) ^
				     sh->hkey ^ 0x600u) ^
			  ((uint64_t)port4 << 16 | rport));
}

/*
 * Bucketized cuckoo index (table.c). An entry with hash h may sit in
 * bucket b1 = (low 32 bits of h * nb) >> 32 or in its alternative
 * alt(b1, sig) = (off(sig) - b1) mod nb, where sig is the top 16 bits of
 * h. alt() is its own inverse, so an entry can move between its two
 * buckets knowing only its signature, and any bucket count works (no
 * power-of-two rounding, no division on lookup).
 */
static inline uint32_t
nat64_idx_b1(const struct nat64_idx *t, uint64_t h)
{
	return (uint32_t)(((h & 0xffffffffu) * t->nb) >> 32);
}

static inline uint16_t
nat64_idx_sig(uint64_t h)
{
	return (uint16_t)(h >> 48);
}

static inline uint32_t
nat64_idx_alt(const struct nat64_idx *t, uint32_t b, uint16_t sig)
{
	uint32_t off = (uint32_t)(((uint64_t)((uint32_t)sig * 0x9e3779b1u) *
				   t->nb) >> 32);

	return off >= b ? off - b : off + t->nb - b;
}

static inline void
nat64_idx_prefetch(const struct nat64_idx *t, uint64_t h)
{
	uint32_t b = nat64_idx_b1(t, h);

	__builtin_prefetch(&t->b[b]);
	__builtin_prefetch(&t->b[nat64_idx_alt(t, b, nat64_idx_sig(h))]);
}

typedef int (*nat64_idx_eq)(const struct nat64_shard *sh, uint32_t i,
			    const void *key);

/* The entry with hash 'h' for which 'eq' holds, or NAT64_NIL; with 'eq'
 * NULL, the first entry with the signature of 'h' (a candidate to load
 * before verifying it). Always inlined, so that 'eq' is a constant at
 * each call and inlined too. */
static inline __attribute__((always_inline)) uint32_t
nat64_idx_find(const struct nat64_shard *sh, const struct nat64_idx *t,
	       uint64_t h, nat64_idx_eq eq, const void *key)
{
	uint16_t sig = nat64_idx_sig(h);
	uint32_t b = nat64_idx_b1(t, h);
	unsigned int k, s;

	for (k = 0; k < 2; k++) {
		const struct nat64_bkt *bk = &t->b[b];

		for (s = 0; s < NAT64_BKT_SLOTS; s++)
			if (bk->sig[s] == sig && bk->idx[s] != NAT64_NIL &&
			    (eq == NULL || eq(sh, bk->idx[s], key)))
				return bk->idx[s];
		b = nat64_idx_alt(t, b, sig);
	}
	return NAT64_NIL;
}

/* cfg.c: write the message to 'err' ('size' bytes; NULL: none), return
 * 'rc'. Every error message of the library goes through here. */
int nat64_err(char *err, size_t size, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* table.c */
void *nat64_mem_alloc(size_t size);
size_t nat64_idx_size(uint32_t n_entries);
int nat64_idx_init(struct nat64_idx *t, uint32_t n_entries);
void nat64_idx_fini(struct nat64_idx *t);
void nat64_idx_clear(struct nat64_idx *t);
int nat64_idx_add(struct nat64_idx *t, uint64_t h, uint32_t val,
		  uint64_t *rng);
int nat64_idx_del(struct nat64_idx *t, uint64_t h, uint32_t val);
/* 1 when 'val' is filed under 'h' (for nat64_shard_check()). */
int nat64_idx_has(const struct nat64_idx *t, uint64_t h, uint32_t val);

/* ports.c */
int nat64_ports_build(struct nat64_ports *p, const struct nat64_cfg *c,
		      unsigned int n_shards, char *err, size_t err_size);
/* Entry of (addr4, port4) for protocol index 'pi', or -1. */
int nat64_ports_ent(const struct nat64_ports *p, unsigned int pi,
		    uint32_t addr4, uint16_t port4);
/* Block number of 'port4' in entry 'e' (port4 within the range). */
static inline uint32_t
nat64_ports_blkno(const struct nat64_ports *p, const struct nat64_pent *e,
		  uint16_t port4)
{
	return (uint32_t)(((uint64_t)(uint16_t)(port4 - e->lo) *
			   p->bs_recip) >> 32);
}
/* First block this shard owns on address 'a' of entry 'e', and how many. */
uint32_t nat64_ports_k0(const struct nat64_ports *p,
			const struct nat64_pent *e, uint32_t a,
			uint32_t shard);
uint32_t nat64_ports_cnt(const struct nat64_ports *p,
			 const struct nat64_pent *e, uint32_t a,
			 uint32_t shard);

/* block.c */
int nat64_blk_layout(struct nat64_shard *sh);
void nat64_blk_reset(struct nat64_shard *sh);
/*
 * Bind a port for a new BIB entry of client 'c' (protocol 'pi', wanting
 * 'want' as in RFC 4787 REQ-3/4: preserved, else same parity, random
 * otherwise) and return it in '*port4' with its block in '*blk'. A
 * verdict: NAT64_OK, NAT64_POOL_EXHAUSTED, NAT64_CLIENT_BLOCKS or
 * NAT64_MAX_BLOCKS.
 */
enum nat64_verdict nat64_blk_bind(struct nat64_shard *sh, uint32_t c,
				  unsigned int pi, uint16_t want,
				  uint64_t now_ms, uint16_t *port4,
				  uint32_t *blk);
/* Release port 'port4' of a dynamic BIB entry of client 'c'; frees the
 * block (and logs it) when it was the last. */
void nat64_blk_unbind(struct nat64_shard *sh, uint32_t c, unsigned int pi,
		      uint32_t addr4, uint16_t port4, uint64_t now_ms);
/* The block of client 'c' that holds addr4:port4, or NAT64_NIL. */
uint32_t nat64_blk_find(const struct nat64_shard *sh, uint32_t c,
			unsigned int pi, uint32_t addr4, uint16_t port4);
/* Allocate the block starting at addr4:lo to client 'c' (restore).
 * Returns its index, or NAT64_NIL when it is not this shard's, not a
 * block start, taken, or the table is full. */
uint32_t nat64_blk_take(struct nat64_shard *sh, uint32_t c, unsigned int pi,
			uint32_t addr4, uint16_t lo, uint64_t start_ms);
/* Bind exactly 'port4' in block 'b'; -1 when taken or reserved. */
int nat64_blk_bind_port(struct nat64_shard *sh, uint32_t b, uint16_t port4);
void nat64_blk_free(struct nat64_shard *sh, uint32_t b, uint64_t now_ms,
		    int log);
int nat64_blk_port_used(const struct nat64_shard *sh, uint32_t b,
			uint16_t port4);
/* 1 when the owned block holding addr4:port4 is allocated. */
int nat64_blk_taken(const struct nat64_shard *sh, unsigned int pi,
		    uint32_t addr4, uint16_t port4);
/* Free ports in the allocated blocks of protocol 'pi'. */
uint64_t nat64_blk_free_ports(const struct nat64_shard *sh, unsigned int pi);

/* event.c */
void nat64_event_blk(struct nat64_shard *sh, uint32_t b, uint8_t type,
		     uint64_t end_ms);

/* shard.c: entries */
uint32_t nat64_cli_find(const struct nat64_shard *sh, const uint8_t *a6);
uint32_t nat64_cli_get(struct nat64_shard *sh, const uint8_t *a6,
		       enum nat64_verdict *why);
void nat64_cli_put(struct nat64_shard *sh, uint32_t c);
uint32_t nat64_bib_find6(const struct nat64_shard *sh, unsigned int pi,
			 const uint8_t *a6, uint16_t port6);
uint32_t nat64_bib_find4(const struct nat64_shard *sh, unsigned int pi,
			 uint32_t addr4, uint16_t port4);
/* A new BIB entry of client 'c' at addr4:port4 (already bound). */
uint32_t nat64_bib_new(struct nat64_shard *sh, uint32_t c, unsigned int pi,
		       uint16_t port6, uint32_t addr4, uint16_t port4,
		       uint8_t flags);
/* Create a dynamic BIB entry for (pi, a6, port6) of client 'c'. */
enum nat64_verdict nat64_bib_create(struct nat64_shard *sh, uint32_t c,
				    unsigned int pi, uint16_t port6,
				    uint64_t now_ms, uint32_t *bib);
void nat64_bib_release(struct nat64_shard *sh, uint32_t b, uint64_t now_ms);
uint32_t nat64_sess_new(struct nat64_shard *sh, uint32_t b, uint32_t c,
			uint32_t rem4, uint16_t rport, uint8_t state,
			uint8_t cls, uint32_t now_s);
void nat64_sess_release(struct nat64_shard *sh, uint32_t s, uint64_t now_ms);
/* sess.c: the session of (pi, a6, port6, rem4, rport), or NAT64_NIL. */
uint32_t nat64_sess_find6(const struct nat64_shard *sh, unsigned int pi,
			  const uint8_t *a6, uint16_t port6, uint32_t rem4,
			  uint16_t rport);
/* ADF: the record of (b, rem4), or NAT64_NIL. */
uint32_t nat64_adf_find(const struct nat64_shard *sh, uint32_t b,
			uint32_t rem4);
/* ADF: 1 when BIB entry 'b' has a session with 'rem4'. */
int nat64_adf_has(const struct nat64_shard *sh, uint32_t b, uint32_t rem4);
/* Empty the shard (keep counters and holds), reinstall static entries. */
void nat64_shard_reset(struct nat64_shard *sh);

/* timeout.c */
static inline uint32_t
nat64_now_s(uint64_t now_ms)
{
	return (uint32_t)(now_ms / 1000) + NAT64_T_BASE;
}

void nat64_wheel_add(struct nat64_shard *sh, uint32_t s);
void nat64_wheel_del(struct nat64_shard *sh, uint32_t s);
/* Seconds 's' has left at 'now_s' (0 when due). */
uint32_t nat64_sess_left(const struct nat64_shard *sh, uint32_t s,
			 uint32_t now_s);
void nat64_hold_reset(struct nat64_shard *sh);
/* Hold a SYN: NAT64_HELD, NAT64_HOLD_FULL or NAT64_HOLD_DUP. */
enum nat64_verdict nat64_hold_add(struct nat64_shard *sh,
				  const struct nat64_tuple4 *t,
				  uint64_t now_ms, void *cookie);
/* Release the SYN held for this tuple, if any (simultaneous open):
 * returns 1 when there was one. */
int nat64_hold_release(struct nat64_shard *sh, uint32_t addr4,
		       uint16_t port4, uint32_t rem4, uint16_t rport);

/* snap.c: CRC-32 (IEEE 802.3) of 'size' bytes, continuing from 'crc'
 * (0 to start). */
uint32_t nat64_crc32(uint32_t crc, const void *buf, size_t size);

/* tcp_state.c */
uint8_t nat64_tcp_cls(uint8_t life, uint8_t cls);

#endif /* NAT64_PRIV_H */
