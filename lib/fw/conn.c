/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection state, one table shard per worker (the only writer).
 *
 * A connection is keyed by its two endpoints sorted (lower address and
 * port first) plus the protocol, so both directions find the same entry;
 * the entry remembers which endpoint opened it. The table is a fixed pool
 * of entries chained from a power-of-two bucket array, all allocated by
 * fw_conn_create(): nothing is allocated per packet. Timed-out entries are
 * ignored by lookups, reused in place when their connection comes back,
 * and freed by fw_conn_expire(), a bounded sweep the owner runs once per
 * loop.
 *
 * Tracking follows netfilter's meaning of the states, simplified: TCP
 * goes SYN_SENT -> SYN_RECV (SYN+ACK back) -> ESTABLISHED (ACK) -> FIN
 * (one side's FIN) -> TIME_WAIT (both FINs); an RST in any state closes.
 * Sequence numbers are not checked. A TCP packet other than a SYN without
 * an entry is INVALID (no mid-stream pick-up). UDP and other protocols are
 * pseudo-connections that become ESTABLISHED when the other side answers;
 * ICMPv6 echo uses its identifier as the port (request: source port,
 * reply: destination port, so a reply finds its request).
 *
 * The table knows nothing of rules: a ruleset swap keeps every connection.
 */
#include "fw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hdr.h"

#define NONE		UINT32_MAX
#define MAX_CAPACITY	(1u << 30)

/* Entry flags. */
#define C_USED		0x01u
#define C_ORIG_A	0x02u	/* endpoint 'a' opened the connection */
#define C_REPLIED	0x04u	/* a packet from the other side was seen */
#define C_FIN_A		0x08u	/* 'a' sent a FIN */
#define C_FIN_B		0x10u

enum tcp_state {
	TCP_NONE,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_ESTABLISHED,
	TCP_FIN,		/* one side sent FIN */
	TCP_TIME_WAIT,		/* both sides sent FIN */
	TCP_CLOSED,		/* RST seen */
};

struct conn {
	uint8_t a[16];			/* the lower endpoint */
	uint8_t b[16];
	uint16_t pa, pb;
	uint32_t next;			/* bucket chain, or the free list */
	uint32_t hash;			/* the bucket hash */
	uint8_t proto;
	uint8_t flags;			/* C_* */
	uint8_t tcp;			/* enum tcp_state */
	uint8_t pad;
	uint64_t expires_ms;
};

struct fw_conn_shard {
	struct conn *e;
	uint32_t *bucket;
	uint32_t mask;			/* buckets - 1 */
	uint32_t capacity;
	uint32_t free;			/* free list head */
	uint32_t cursor;		/* fw_conn_expire() goes on here */
	uint64_t seed;
	uint64_t to[8];			/* timeouts in ms, by TO_* */
	struct fw_conn_stats st;
};

enum {
	TO_TCP_SYN, TO_TCP_EST, TO_TCP_CLOSE, TO_TCP_RST, TO_UDP,
	TO_UDP_UNREPLIED, TO_ICMP, TO_OTHER,
};

/* A packet's connection key: endpoints sorted. */
struct nkey {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t proto;
	uint8_t from_b;			/* the packet was sent by 'b' */
};

void
fw_conn_cfg_init(struct fw_conn_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->capacity = 65536;
	cfg->tcp_syn = 120;
	cfg->tcp_est = 7440;
	cfg->tcp_close = 120;
	cfg->tcp_rst = 10;
	cfg->udp = 180;
	cfg->udp_unreplied = 30;
	cfg->icmp = 30;
	cfg->other = 600;
}

static void
make_key(struct nkey *k, const uint8_t *src, uint16_t sport,
	 const uint8_t *dst, uint16_t dport, uint8_t proto)
{
	int c = memcmp(src, dst, 16);

	k->proto = proto;
	k->from_b = c > 0 || (c == 0 && sport > dport);
	if (!k->from_b) {
		memcpy(k->a, src, 16);
		memcpy(k->b, dst, 16);
		k->pa = sport;
		k->pb = dport;
	} else {
		memcpy(k->a, dst, 16);
		memcpy(k->b, src, 16);
		k->pa = dport;
		k->pb = sport;
	}
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v * 0x9e3779b97f4a7c15ull;
	h = (h << 31 | h >> 33) * 0xbf58476d1ce4e5b9ull;
	return h;
}

/* A 64-bit hash of a sorted key: the same for both directions. */
static uint64_t
key_hash(const struct nkey *k, uint64_t seed)
{
	uint64_t h = seed ^ 0x6a09e667f3bcc909ull;

	h = mix(h, rd64(k->a));
	h = mix(h, rd64(k->a + 8));
	h = mix(h, rd64(k->b));
	h = mix(h, rd64(k->b + 8));
	h = mix(h, (uint64_t)k->pa << 24 | (uint64_t)k->pb << 8 | k->proto);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

unsigned int
fw_conn_owner(const uint8_t *src6, const uint8_t *dst6, uint8_t proto,
	      uint16_t sport, uint16_t dport, unsigned int n_shards)
{
	struct nkey k;

	if (n_shards <= 1)
		return 0;
	if (proto == PKT_PROTO_ICMP6)
		sport = dport = 0;
	make_key(&k, src6, sport, dst6, dport, proto);
	return (unsigned int)(((key_hash(&k, 0) >> 32) * n_shards) >> 32);
}

static uint64_t
ms(uint32_t s)
{
	return (uint64_t)s * 1000;
}

struct fw_conn_shard *
fw_conn_create(const struct fw_conn_cfg *cfg)
{
	struct fw_conn_shard *sh;
	uint32_t nb = 1, i;

	if (cfg->capacity == 0 || cfg->capacity > MAX_CAPACITY) {
		errno = EINVAL;
		return NULL;
	}
	while (nb < cfg->capacity)
		nb <<= 1;
	sh = calloc(1, sizeof(*sh));
	if (sh == NULL)
		goto nomem;
	sh->e = calloc(cfg->capacity, sizeof(*sh->e));
	sh->bucket = malloc((size_t)nb * sizeof(*sh->bucket));
	if (sh->e == NULL || sh->bucket == NULL)
		goto nomem_free;
	memset(sh->bucket, 0xff, (size_t)nb * sizeof(*sh->bucket));
	for (i = 0; i < cfg->capacity; i++)
		sh->e[i].next = i + 1 < cfg->capacity ? i + 1 : NONE;
	sh->free = 0;
	sh->mask = nb - 1;
	sh->capacity = cfg->capacity;
	sh->seed = (uint64_t)cfg->seed * 0x9e3779b97f4a7c15ull + 1;
	sh->to[TO_TCP_SYN] = ms(cfg->tcp_syn);
	sh->to[TO_TCP_EST] = ms(cfg->tcp_est);
	sh->to[TO_TCP_CLOSE] = ms(cfg->tcp_close);
	sh->to[TO_TCP_RST] = ms(cfg->tcp_rst);
	sh->to[TO_UDP] = ms(cfg->udp);
	sh->to[TO_UDP_UNREPLIED] = ms(cfg->udp_unreplied);
	sh->to[TO_ICMP] = ms(cfg->icmp);
	sh->to[TO_OTHER] = ms(cfg->other);
	sh->st.capacity = cfg->capacity;
	return sh;
nomem_free:
	fw_conn_free(sh);
nomem:
	errno = ENOMEM;
	return NULL;
}

void
fw_conn_free(struct fw_conn_shard *sh)
{
	if (sh == NULL)
		return;
	free(sh->e);
	free(sh->bucket);
	free(sh);
}

/* What kind of packet 'p' is to the tracker. */
enum kind {
	K_TRACKED,		/* has a connection key */
	K_UNTRACKED,		/* ICMPv6 informational other than echo */
	K_ERROR,		/* ICMPv6 error: fw_conn_related_icmp6() */
};

static enum kind
pkt_key(const struct fw_conn_pkt *p, struct nkey *k)
{
	uint16_t sport = p->sport, dport = p->dport;

	switch (p->proto) {
	case PKT_PROTO_TCP:
	case PKT_PROTO_UDP:
		break;
	case PKT_PROTO_ICMP6:
		if (p->icmp6_type < PKT_ICMP6_ECHO)
			return K_ERROR;
		if (p->icmp6_type == PKT_ICMP6_ECHO) {		/* echo request */
			dport = 0;
		} else if (p->icmp6_type == PKT_ICMP6_ECHO_REPLY) {	/* echo reply */
			dport = sport;
			sport = 0;
		} else {
			return K_UNTRACKED;
		}
		break;
	default:
		sport = dport = 0;
		break;
	}
	make_key(k, p->src, sport, p->dst, dport, p->proto);
	return K_TRACKED;
}

static int
key_equal(const struct conn *e, const struct nkey *k)
{
	return e->proto == k->proto && e->pa == k->pa && e->pb == k->pb &&
	       memcmp(e->a, k->a, 16) == 0 && memcmp(e->b, k->b, 16) == 0;
}

/* The entry of 'k' (expired or not), or NONE. */
static uint32_t
find(const struct fw_conn_shard *sh, const struct nkey *k, uint32_t h)
{
	uint32_t i;

	for (i = sh->bucket[h & sh->mask]; i != NONE; i = sh->e[i].next)
		if (sh->e[i].hash == h && key_equal(&sh->e[i], k))
			return i;
	return NONE;
}

static int
expired(const struct conn *e, uint64_t now_ms)
{
	return e->expires_ms <= now_ms;
}

static int
syn_only(uint8_t flags)
{
	return (flags & (FW_TCP_SYN | FW_TCP_ACK | FW_TCP_RST | FW_TCP_FIN))
	       == FW_TCP_SYN;
}

/* The state of a packet of a live entry 'e', sent by its opener or not. */
static uint32_t
state_of(const struct conn *e, const struct fw_conn_pkt *p, int from_orig)
{
	uint8_t f = p->tcp_flags;

	if (e->proto != PKT_PROTO_TCP) {
		if (!from_orig || (e->flags & C_REPLIED))
			return FW_STATE_ESTABLISHED;
		return FW_STATE_NEW;
	}
	switch (e->tcp) {
	case TCP_SYN_SENT:
		if (from_orig)
			return syn_only(f) || (f & FW_TCP_RST) ?
			       FW_STATE_NEW : FW_STATE_INVALID;
		if ((f & FW_TCP_RST) ||
		    (f & (FW_TCP_SYN | FW_TCP_ACK | FW_TCP_FIN)) ==
		    (FW_TCP_SYN | FW_TCP_ACK))
			return FW_STATE_ESTABLISHED;
		return FW_STATE_INVALID;
	case TCP_SYN_RECV:
		return FW_STATE_ESTABLISHED;
	case TCP_ESTABLISHED:
	case TCP_FIN:
		return syn_only(f) ? FW_STATE_INVALID : FW_STATE_ESTABLISHED;
	case TCP_TIME_WAIT:
		if (syn_only(f))
			return from_orig ? FW_STATE_NEW : FW_STATE_INVALID;
		return FW_STATE_ESTABLISHED;
	case TCP_CLOSED:
	default:
		return from_orig && syn_only(f) ? FW_STATE_NEW :
		       FW_STATE_INVALID;
	}
}

/* The state of a packet without a live entry. */
static uint32_t
state_new(const struct fw_conn_pkt *p)
{
	if (p->proto == PKT_PROTO_TCP)
		return syn_only(p->tcp_flags) ? FW_STATE_NEW : FW_STATE_INVALID;
	if (p->proto == PKT_PROTO_ICMP6 &&
	    p->icmp6_type == PKT_ICMP6_ECHO_REPLY)
		return FW_STATE_INVALID;	/* reply without a request */
	return FW_STATE_NEW;
}

static int
from_orig(const struct conn *e, const struct nkey *k)
{
	return !k->from_b == !!(e->flags & C_ORIG_A);
}

uint32_t
fw_conn_lookup(const struct fw_conn_shard *sh, const struct fw_conn_pkt *p,
	       uint64_t now_ms)
{
	struct nkey k;
	uint32_t i;

	switch (pkt_key(p, &k)) {
	case K_UNTRACKED:
		return FW_STATE_UNTRACKED;
	case K_ERROR:
		return FW_STATE_INVALID;
	default:
		break;
	}
	i = find(sh, &k, (uint32_t)key_hash(&k, sh->seed));
	if (i == NONE || expired(&sh->e[i], now_ms))
		return state_new(p);
	return state_of(&sh->e[i], p, from_orig(&sh->e[i], &k));
}

uint32_t
fw_conn_related_icmp6(const struct fw_conn_shard *sh,
		      const struct fw_conn_pkt *inner, uint64_t now_ms)
{
	struct nkey k;
	uint32_t i;

	if (pkt_key(inner, &k) != K_TRACKED)
		return FW_STATE_INVALID;	/* an error about an error */
	i = find(sh, &k, (uint32_t)key_hash(&k, sh->seed));
	if (i == NONE || expired(&sh->e[i], now_ms))
		return FW_STATE_INVALID;
	return FW_STATE_RELATED;
}

static uint64_t
timeout_of(const struct fw_conn_shard *sh, const struct conn *e)
{
	switch (e->proto) {
	case PKT_PROTO_TCP:
		switch (e->tcp) {
		case TCP_ESTABLISHED:
			return sh->to[TO_TCP_EST];
		case TCP_FIN:
		case TCP_TIME_WAIT:
			return sh->to[TO_TCP_CLOSE];
		case TCP_CLOSED:
			return sh->to[TO_TCP_RST];
		default:
			return sh->to[TO_TCP_SYN];
		}
	case PKT_PROTO_UDP:
		return sh->to[(e->flags & C_REPLIED) ? TO_UDP :
			      TO_UDP_UNREPLIED];
	case PKT_PROTO_ICMP6:
		return sh->to[TO_ICMP];
	default:
		return sh->to[TO_OTHER];
	}
}

/* Unlink entry 'i' from its bucket chain. */
static void
unlink_entry(struct fw_conn_shard *sh, uint32_t i)
{
	uint32_t *pp = &sh->bucket[sh->e[i].hash & sh->mask];

	while (*pp != i)
		pp = &sh->e[*pp].next;
	*pp = sh->e[i].next;
}

/*
 * A free entry: the free list, else a timed-out one that the sweep has
 * not freed yet, in the same bucket or among the next RECLAIM_LOOK slots
 * of the sweep (bounded work, and only when the table is full).
 */
#define RECLAIM_LOOK	64

static uint32_t
take_entry(struct fw_conn_shard *sh, uint32_t h, uint64_t now_ms)
{
	uint32_t i, n;

	if (sh->free != NONE) {
		i = sh->free;
		sh->free = sh->e[i].next;
		sh->st.active++;
		return i;
	}
	for (i = sh->bucket[h & sh->mask]; i != NONE; i = sh->e[i].next)
		if (expired(&sh->e[i], now_ms))
			goto reclaim;
	for (n = 0; n < RECLAIM_LOOK && n < sh->capacity; n++) {
		i = sh->cursor;
		sh->cursor = i + 1 < sh->capacity ? i + 1 : 0;
		if (expired(&sh->e[i], now_ms))
			goto reclaim;
	}
	return NONE;
reclaim:
	unlink_entry(sh, i);
	sh->st.expired++;
	return i;
}

/* (Re)start the connection of 'k' in entry 'i'. */
static void
open_entry(struct fw_conn_shard *sh, uint32_t i, const struct nkey *k,
	   uint32_t h, uint64_t now_ms)
{
	struct conn *e = &sh->e[i];

	memcpy(e->a, k->a, 16);
	memcpy(e->b, k->b, 16);
	e->pa = k->pa;
	e->pb = k->pb;
	e->proto = k->proto;
	e->hash = h;
	e->flags = (uint8_t)(C_USED | (k->from_b ? 0 : C_ORIG_A));
	e->tcp = k->proto == PKT_PROTO_TCP ? TCP_SYN_SENT : TCP_NONE;
	e->expires_ms = now_ms + timeout_of(sh, e);
}

static void
tcp_advance(struct conn *e, uint8_t f, int orig, int from_b)
{
	if (f & FW_TCP_RST) {
		e->tcp = TCP_CLOSED;
		return;
	}
	if (e->tcp == TCP_SYN_SENT && !orig && (f & FW_TCP_SYN))
		e->tcp = TCP_SYN_RECV;
	else if (e->tcp == TCP_SYN_RECV && orig && (f & FW_TCP_ACK) &&
		 !(f & FW_TCP_SYN))
		e->tcp = TCP_ESTABLISHED;
	if ((f & FW_TCP_FIN) && e->tcp >= TCP_SYN_RECV &&
	    e->tcp <= TCP_FIN) {
		e->flags |= from_b ? C_FIN_B : C_FIN_A;
		e->tcp = (e->flags & (C_FIN_A | C_FIN_B)) ==
			 (C_FIN_A | C_FIN_B) ? TCP_TIME_WAIT : TCP_FIN;
	}
}

int
fw_conn_confirm(struct fw_conn_shard *sh, const struct fw_conn_pkt *p,
		uint64_t now_ms)
{
	struct conn *e;
	struct nkey k;
	uint32_t h, i, st;
	int orig;

	if (pkt_key(p, &k) != K_TRACKED)
		return 0;
	h = (uint32_t)key_hash(&k, sh->seed);
	i = find(sh, &k, h);
	if (i == NONE || expired(&sh->e[i], now_ms)) {
		if (state_new(p) != FW_STATE_NEW)
			return 0;
		if (i == NONE) {
			i = take_entry(sh, h, now_ms);
			if (i == NONE) {
				sh->st.overflow++;
				return -ENOSPC;
			}
			open_entry(sh, i, &k, h, now_ms);
			sh->e[i].next = sh->bucket[h & sh->mask];
			sh->bucket[h & sh->mask] = i;
		} else {
			open_entry(sh, i, &k, h, now_ms);
		}
		sh->st.created++;
		return 0;
	}
	e = &sh->e[i];
	orig = from_orig(e, &k);
	st = state_of(e, p, orig);
	if (st == FW_STATE_INVALID)
		return 0;
	if (e->proto == PKT_PROTO_TCP && st == FW_STATE_NEW &&
	    (e->tcp == TCP_TIME_WAIT || e->tcp == TCP_CLOSED)) {
		/* A new SYN on a closed connection: start it again. */
		open_entry(sh, i, &k, h, now_ms);
		sh->st.created++;
		return 0;
	}
	if (!orig)
		e->flags |= C_REPLIED;
	if (e->proto == PKT_PROTO_TCP)
		tcp_advance(e, p->tcp_flags, orig, k.from_b);
	e->expires_ms = now_ms + timeout_of(sh, e);
	return 0;
}

uint32_t
fw_conn_expire(struct fw_conn_shard *sh, uint64_t now_ms, uint32_t budget)
{
	uint64_t look = (uint64_t)budget * 4, n;
	uint32_t freed = 0;

	for (n = 0; n < look && freed < budget; n++) {
		uint32_t i = sh->cursor;
		struct conn *e = &sh->e[i];

		sh->cursor = i + 1 < sh->capacity ? i + 1 : 0;
		if (!(e->flags & C_USED) || !expired(e, now_ms))
			continue;
		unlink_entry(sh, i);
		e->flags = 0;
		e->next = sh->free;
		sh->free = i;
		sh->st.active--;
		sh->st.expired++;
		freed++;
	}
	return freed;
}

void
fw_conn_stats(const struct fw_conn_shard *sh, struct fw_conn_stats *st)
{
	*st = sh->st;
}
