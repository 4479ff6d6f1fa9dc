/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port blocks: how a shard hands its slice of the pool to clients.
 *
 * A client (one IPv6 source address) gets whole blocks of block_size
 * ports, all on ONE IPv4 address for as long as it has state (paired
 * address pooling, RFC 6888 REQ-2 and RFC 7857 section 4), at most
 * max_blocks_per_client per protocol (RFC 6888 REQ-4: one subscriber
 * cannot starve the others). Inside its blocks a new BIB entry keeps the
 * client's port if it is free (port preservation, RFC 4787 REQ-3), else
 * takes a random free port of the same parity (RFC 4787 REQ-4, RFC 7857
 * section 9), else any random free port (RFC 6056 section 3.3.1, with the
 * shard's seeded PRNG). A new block is the one holding the client's port
 * when that one is free, else a random free block of the address. A port
 * stays bound until its BIB entry goes, which is after its last session
 * timed out, so no port is reused early; a block goes back to the shard
 * with its last port, and both events are logged (RFC 6888 section 4).
 *
 * Bookkeeping: per (pool4 entry, address, protocol) a bitmap of the
 * blocks this shard owns there (bit j = its j-th owned block, 1 =
 * allocated; bits past the count stay 1) and a free count; per allocated
 * block a record and a port bitmap (bits past the block's end and the
 * ports of static BIB entries stay 1).
 */
#include "nat64.h"

#include <stdlib.h>
#include <string.h>

#include "nat64_priv.h"

static uint64_t *
own_bits(const struct nat64_shard *sh, uint32_t e, uint32_t a, uint32_t pi)
{
	const struct nat64_own *o = &sh->own[e];
	const struct nat64_pent *pe = &sh->ports->ent[e];

	return &sh->own_bits[o->bits_off +
			     ((size_t)a * pe->np + pe->pos[pi]) * o->wpa];
}

static uint32_t *
own_free(const struct nat64_shard *sh, uint32_t e, uint32_t a, uint32_t pi)
{
	const struct nat64_pent *pe = &sh->ports->ent[e];

	return &sh->own_free[sh->own[e].free_off + (size_t)a * pe->np +
			     pe->pos[pi]];
}

static uint64_t *
blk_bits(const struct nat64_shard *sh, uint32_t b)
{
	return &sh->blk_bits[(size_t)b * sh->blk_words];
}

static int
bit_get(const uint64_t *w, uint32_t i)
{
	return (int)((w[i / 64] >> (i % 64)) & 1);
}

static void
bit_set(uint64_t *w, uint32_t i)
{
	w[i / 64] |= 1ULL << (i % 64);
}

static void
bit_clr(uint64_t *w, uint32_t i)
{
	w[i / 64] &= ~(1ULL << (i % 64));
}

/*
 * A zero bit of 'w' ('nw' words) that 'pat' allows, searching from bit
 * 'start' round to just below it; -1 when there is none.
 */
static int
find_zero(const uint64_t *w, uint32_t nw, uint32_t start, uint64_t pat)
{
	uint32_t w0 = start / 64, i;
	uint64_t m;

	m = ~w[w0] & pat & (~0ULL << (start % 64));
	if (m != 0)
		return (int)(w0 * 64 + (uint32_t)__builtin_ctzll(m));
	for (i = 1; i <= nw; i++) {
		uint32_t k = (w0 + i) % nw;

		m = ~w[k] & pat;
		if (k == w0)
			m &= (start % 64) != 0 ? (1ULL << (start % 64)) - 1 : 0;
		if (m != 0)
			return (int)(k * 64 + (uint32_t)__builtin_ctzll(m));
	}
	return -1;
}

int
nat64_blk_layout(struct nat64_shard *sh)
{
	const struct nat64_ports *p = sh->ports;
	size_t words = 0, nfree = 0;
	uint32_t e, a, k;

	for (e = 0; e < p->n_ent; e++) {
		const struct nat64_pent *pe = &p->ent[e];
		struct nat64_own *o = &sh->own[e];

		o->maxcnt = (pe->nblk + p->n_shards - 1) / p->n_shards;
		o->wpa = (o->maxcnt + 63) / 64;
		o->bits_off = words;
		o->free_off = nfree;
		words += (size_t)pe->n_addr * pe->np * o->wpa;
		nfree += (size_t)pe->n_addr * pe->np;
		for (a = 0; a < pe->n_addr; a++) {
			uint32_t cnt = nat64_ports_cnt(p, pe, a, sh->shard_id);
			uint32_t k0 = nat64_ports_k0(p, pe, a, sh->shard_id);
			uint64_t ports = 0;

			if (cnt != 0) {
				uint32_t last = k0 + (cnt - 1) * p->n_shards;
				uint32_t last_lo = pe->lo + last * p->bs;

				ports = (uint64_t)(cnt - 1) * p->bs +
					(pe->hi - last_lo + 1 < p->bs ?
					 pe->hi - last_lo + 1u : p->bs);
			}
			for (k = 0; k < NAT64_NPROTO; k++)
				if (pe->pos[k] != 0xff) {
					sh->own_blocks[k] += cnt;
					sh->own_ports[k] += ports;
				}
		}
	}
	sh->own_words = words;
	sh->own_nfree = nfree;
	sh->own_bits = calloc(words ? words : 1, sizeof(uint64_t));
	sh->own_free = calloc(nfree ? nfree : 1, sizeof(uint32_t));
	if (sh->own_bits == NULL || sh->own_free == NULL)
		return -1;
	sh->mem += (words ? words : 1) * sizeof(uint64_t) +
		   (nfree ? nfree : 1) * sizeof(uint32_t);
	return 0;
}

void
nat64_blk_reset(struct nat64_shard *sh)
{
	const struct nat64_ports *p = sh->ports;
	uint32_t e, a, k, i;

	memset(sh->own_free_p, 0, sizeof(sh->own_free_p));
	for (e = 0; e < p->n_ent; e++) {
		const struct nat64_pent *pe = &p->ent[e];
		const struct nat64_own *o = &sh->own[e];

		for (a = 0; a < pe->n_addr; a++) {
			uint32_t cnt = nat64_ports_cnt(p, pe, a, sh->shard_id);

			for (k = 0; k < NAT64_NPROTO; k++) {
				uint64_t *w;

				if (pe->pos[k] == 0xff)
					continue;
				w = own_bits(sh, e, a, k);
				memset(w, 0xff, o->wpa * sizeof(uint64_t));
				for (i = 0; i < cnt; i++)
					bit_clr(w, i);
				*own_free(sh, e, a, k) = cnt;
				sh->own_free_p[k] += cnt;
			}
		}
	}
	for (i = 0; i < sh->cap_blk; i++) {
		sh->blk[i].next = i + 1 < sh->cap_blk ? i + 1 : NAT64_NIL;
		sh->blk[i].client = NAT64_NIL;
	}
	sh->free_blk = sh->cap_blk ? 0 : NAT64_NIL;
	sh->n_blk = 0;
	memset(sh->n_blk_p, 0, sizeof(sh->n_blk_p));
}

/* Allocate owned block j of address a of entry e to client c. */
static uint32_t
blk_alloc(struct nat64_shard *sh, uint32_t c, uint32_t pi, uint32_t e,
	  uint32_t a, uint32_t j, uint64_t now_ms, int log)
{
	const struct nat64_ports *p = sh->ports;
	const struct nat64_pent *pe = &p->ent[e];
	struct nat64_client *cl = &sh->cli[c];
	uint32_t b = sh->free_blk, k, i;
	struct nat64_blk *bk;
	uint64_t *w;

	if (b == NAT64_NIL)
		return NAT64_NIL;
	bk = &sh->blk[b];
	sh->free_blk = bk->next;
	k = nat64_ports_k0(p, pe, a, sh->shard_id) + j * p->n_shards;
	bk->client = c;
	bk->addr4 = pe->addr + a;
	bk->lo = (uint16_t)(pe->lo + k * p->bs);
	bk->n_ports = (uint16_t)(pe->hi - bk->lo + 1u < p->bs ?
				 pe->hi - bk->lo + 1u : p->bs);
	bk->used = 0;
	bk->pi = (uint8_t)pi;
	bk->ent = (uint8_t)e;
	bk->j = j;
	bk->start_ms = now_ms;
	w = blk_bits(sh, b);
	memset(w, 0, sh->blk_words * sizeof(uint64_t));
	for (i = bk->n_ports; i < sh->blk_words * 64u; i++)
		bit_set(w, i);
	for (i = 0; i < sh->n_st; i++) {
		const struct nat64_stres *r = &sh->st[i];

		if (r->pi == pi && r->addr4 == bk->addr4 &&
		    r->port4 >= bk->lo && r->port4 - bk->lo < bk->n_ports)
			bit_set(w, r->port4 - bk->lo);
	}
	bit_set(own_bits(sh, e, a, pi), j);
	(*own_free(sh, e, a, pi))--;
	sh->own_free_p[pi]--;
	bk->next = cl->blk[pi];
	cl->blk[pi] = b;
	cl->n_blk[pi]++;
	sh->n_blk++;
	sh->n_blk_p[pi]++;
	if (log)
		nat64_event_blk(sh, b, NAT64_EV_BLOCK_ALLOC, 0);
	return b;
}

void
nat64_blk_free(struct nat64_shard *sh, uint32_t b, uint64_t now_ms, int log)
{
	struct nat64_blk *bk = &sh->blk[b];
	struct nat64_client *cl = &sh->cli[bk->client];
	const struct nat64_pent *pe = &sh->ports->ent[bk->ent];
	uint32_t *link = &cl->blk[bk->pi];
	uint32_t a = bk->addr4 - pe->addr;

	if (log)
		nat64_event_blk(sh, b, NAT64_EV_BLOCK_FREE, now_ms);
	while (*link != b)
		link = &sh->blk[*link].next;
	*link = bk->next;
	cl->n_blk[bk->pi]--;
	bit_clr(own_bits(sh, bk->ent, a, bk->pi), bk->j);
	(*own_free(sh, bk->ent, a, bk->pi))++;
	sh->own_free_p[bk->pi]++;
	sh->n_blk--;
	sh->n_blk_p[bk->pi]--;
	bk->client = NAT64_NIL;
	bk->next = sh->free_blk;
	sh->free_blk = b;
}

/* Take a port of block b: 'want' if free, else random of its parity,
 * else random. */
static int
blk_pick(struct nat64_shard *sh, uint32_t b, uint16_t want, uint16_t *port)
{
	struct nat64_blk *bk = &sh->blk[b];
	uint64_t *w = blk_bits(sh, b);
	uint32_t off = (uint16_t)(want - bk->lo);
	uint64_t pat;
	int i;

	if (bk->used >= bk->n_ports)
		return -1;
	if (off < bk->n_ports && !bit_get(w, off)) {
		i = (int)off;
	} else {
		uint32_t start = nat64_rand_below(&sh->rng, bk->n_ports);

		pat = ((want ^ bk->lo) & 1) != 0 ? 0xaaaaaaaaaaaaaaaaULL
						 : 0x5555555555555555ULL;
		i = find_zero(w, sh->blk_words, start, pat);
		if (i < 0)
			i = find_zero(w, sh->blk_words, start, ~0ULL);
		if (i < 0)
			return -1;
	}
	bit_set(w, (uint32_t)i);
	bk->used++;
	*port = (uint16_t)(bk->lo + i);
	return 0;
}

/* 1 when every port of owned block j on (e, a) is a static one. */
static int
all_reserved(const struct nat64_shard *sh, uint32_t e, uint32_t a,
	     uint32_t pi, uint32_t j)
{
	const struct nat64_ports *p = sh->ports;
	const struct nat64_pent *pe = &p->ent[e];
	uint32_t k = nat64_ports_k0(p, pe, a, sh->shard_id) + j * p->n_shards;
	uint32_t lo = pe->lo + k * p->bs, n = 0, i;
	uint32_t size = pe->hi - lo + 1 < p->bs ? pe->hi - lo + 1 : p->bs;

	for (i = 0; i < sh->n_st; i++) {
		const struct nat64_stres *r = &sh->st[i];

		if (r->pi == pi && r->addr4 == pe->addr + a &&
		    r->port4 >= lo && r->port4 - lo < size)
			n++;
	}
	return n >= size;
}

/* A free owned block on (e, a) for protocol pi, random; -1 if none. */
static int
free_block(struct nat64_shard *sh, uint32_t e, uint32_t a, uint32_t pi)
{
	const struct nat64_own *o = &sh->own[e];
	uint32_t cnt = nat64_ports_cnt(sh->ports, &sh->ports->ent[e], a,
				       sh->shard_id);
	uint64_t *w = own_bits(sh, e, a, pi);
	uint32_t start, tries;
	int j;

	if (*own_free(sh, e, a, pi) == 0)
		return -1;
	start = nat64_rand_below(&sh->rng, cnt);
	for (tries = 0; tries < cnt; tries++) {
		j = find_zero(w, o->wpa, start, ~0ULL);
		if (j < 0)
			return -1;
		if (sh->n_st == 0 || !all_reserved(sh, e, a, pi, (uint32_t)j))
			return j;
		start = ((uint32_t)j + 1) % cnt;
	}
	return -1;
}

/* Pick the IPv4 address of a client that has none: a random address
 * with a free block for 'pi'. */
static int
pick_addr(struct nat64_shard *sh, uint32_t pi, uint32_t *addr4)
{
	const struct nat64_ports *p = sh->ports;
	uint64_t total = 0, r, i;
	uint32_t e;

	if (sh->own_free_p[pi] == 0)
		return -1;
	for (e = 0; e < p->n_ent; e++)
		if (p->ent[e].pos[pi] != 0xff)
			total += p->ent[e].n_addr;
	r = nat64_rand_below(&sh->rng, (uint32_t)total);
	for (i = 0; i < total; i++) {
		uint64_t x = (r + i) % total;

		for (e = 0; e < p->n_ent; e++) {
			const struct nat64_pent *pe = &p->ent[e];

			if (pe->pos[pi] == 0xff)
				continue;
			if (x < pe->n_addr) {
				if (*own_free(sh, e, (uint32_t)x, pi) != 0) {
					*addr4 = pe->addr + (uint32_t)x;
					return 0;
				}
				break;
			}
			x -= pe->n_addr;
		}
	}
	return -1;
}

/* A new block for client c on its address: the one holding 'want' if
 * it is ours and free, else a random free one. */
static enum nat64_verdict
blk_new(struct nat64_shard *sh, uint32_t c, uint32_t pi, uint16_t want,
	uint64_t now_ms, uint32_t *blk)
{
	const struct nat64_ports *p = sh->ports;
	struct nat64_client *cl = &sh->cli[c];
	uint32_t e, a = 0, j = 0;
	int i, found = 0;

	if (!(cl->flags & NAT64_CLI_HAS4)) {
		if (pick_addr(sh, pi, &cl->addr4) != 0)
			return NAT64_POOL_EXHAUSTED;
		cl->flags |= NAT64_CLI_HAS4;
	}
	i = nat64_ports_ent(p, pi, cl->addr4, want);
	if (i >= 0 && nat64_owner_out2in(p, cl->addr4, want,
					 nat64_proto_of(pi)) ==
		      (int)sh->shard_id) {
		const struct nat64_pent *pe = &p->ent[i];
		uint32_t k = nat64_ports_blkno(p, pe, want);

		a = cl->addr4 - pe->addr;
		j = (k - nat64_ports_k0(p, pe, a, sh->shard_id)) / p->n_shards;
		found = !bit_get(own_bits(sh, (uint32_t)i, a, pi), j) &&
			!all_reserved(sh, (uint32_t)i, a, pi, j);
		e = (uint32_t)i;
	}
	for (e = found ? e : 0; !found && e < p->n_ent; e++) {
		const struct nat64_pent *pe = &p->ent[e];
		int jj;

		a = cl->addr4 - pe->addr;
		if (pe->pos[pi] == 0xff || a >= pe->n_addr)
			continue;
		jj = free_block(sh, e, a, pi);
		if (jj >= 0) {
			j = (uint32_t)jj;
			found = 1;
			break;
		}
	}
	if (!found)
		return NAT64_POOL_EXHAUSTED;
	if (sh->free_blk == NAT64_NIL)
		return NAT64_MAX_BLOCKS;
	*blk = blk_alloc(sh, c, pi, e, a, j, now_ms, 1);
	return NAT64_OK;
}

enum nat64_verdict
nat64_blk_bind(struct nat64_shard *sh, uint32_t c, unsigned int pi,
	       uint16_t want, uint64_t now_ms, uint16_t *port4, uint32_t *blk)
{
	struct nat64_client *cl = &sh->cli[c];
	enum nat64_verdict v;
	uint32_t b;

	/* Port preservation first, in any of the client's blocks. */
	for (b = cl->blk[pi]; b != NAT64_NIL; b = sh->blk[b].next) {
		const struct nat64_blk *bk = &sh->blk[b];
		uint32_t off = (uint16_t)(want - bk->lo);

		if (off < bk->n_ports && !bit_get(blk_bits(sh, b), off))
			break;
	}
	if (b == NAT64_NIL)
		for (b = cl->blk[pi]; b != NAT64_NIL; b = sh->blk[b].next)
			if (sh->blk[b].used < sh->blk[b].n_ports &&
			    blk_pick(sh, b, want, port4) == 0) {
				*blk = b;
				return NAT64_OK;
			}
	if (b == NAT64_NIL) {
		if (cl->n_blk[pi] >= sh->max_cli_blk)
			return NAT64_CLIENT_BLOCKS;
		v = blk_new(sh, c, pi, want, now_ms, &b);
		if (v != NAT64_OK)
			return v;
	}
	if (blk_pick(sh, b, want, port4) != 0)
		return NAT64_POOL_EXHAUSTED;	/* not reached: checked above */
	*blk = b;
	return NAT64_OK;
}

uint32_t
nat64_blk_find(const struct nat64_shard *sh, uint32_t c, unsigned int pi,
	       uint32_t addr4, uint16_t port4)
{
	uint32_t b;

	for (b = sh->cli[c].blk[pi]; b != NAT64_NIL; b = sh->blk[b].next) {
		const struct nat64_blk *bk = &sh->blk[b];

		if (bk->addr4 == addr4 && port4 >= bk->lo &&
		    port4 - bk->lo < bk->n_ports)
			return b;
	}
	return NAT64_NIL;
}

int
nat64_blk_port_used(const struct nat64_shard *sh, uint32_t b, uint16_t port4)
{
	return bit_get(blk_bits(sh, b), (uint32_t)(port4 - sh->blk[b].lo));
}

int
nat64_blk_bind_port(struct nat64_shard *sh, uint32_t b, uint16_t port4)
{
	struct nat64_blk *bk = &sh->blk[b];
	uint32_t off = (uint32_t)(port4 - bk->lo);

	if (port4 < bk->lo || off >= bk->n_ports ||
	    bit_get(blk_bits(sh, b), off))
		return -1;
	bit_set(blk_bits(sh, b), off);
	bk->used++;
	return 0;
}

void
nat64_blk_unbind(struct nat64_shard *sh, uint32_t c, unsigned int pi,
		 uint32_t addr4, uint16_t port4, uint64_t now_ms)
{
	uint32_t b = nat64_blk_find(sh, c, pi, addr4, port4);
	struct nat64_blk *bk;

	if (b == NAT64_NIL)
		return;
	bk = &sh->blk[b];
	bit_clr(blk_bits(sh, b), (uint32_t)(port4 - bk->lo));
	if (--bk->used == 0)
		nat64_blk_free(sh, b, now_ms, 1);
}

uint32_t
nat64_blk_take(struct nat64_shard *sh, uint32_t c, unsigned int pi,
	       uint32_t addr4, uint16_t lo, uint64_t start_ms)
{
	const struct nat64_ports *p = sh->ports;
	const struct nat64_pent *pe;
	uint32_t a, k, j;
	int e;

	e = nat64_ports_ent(p, pi, addr4, lo);
	if (e < 0 || nat64_owner_out2in(p, addr4, lo, nat64_proto_of(pi)) !=
		     (int)sh->shard_id)
		return NAT64_NIL;
	pe = &p->ent[e];
	if ((uint32_t)(lo - pe->lo) % p->bs != 0)
		return NAT64_NIL;
	a = addr4 - pe->addr;
	k = nat64_ports_blkno(p, pe, lo);
	j = (k - nat64_ports_k0(p, pe, a, sh->shard_id)) / p->n_shards;
	if (bit_get(own_bits(sh, (uint32_t)e, a, pi), j))
		return NAT64_NIL;
	return blk_alloc(sh, c, pi, (uint32_t)e, a, j, start_ms, 0);
}

uint64_t
nat64_blk_free_ports(const struct nat64_shard *sh, unsigned int pi)
{
	uint64_t n = 0;
	uint32_t b, i;

	for (b = 0; b < sh->cap_blk; b++) {
		const uint64_t *w;

		if (sh->blk[b].client == NAT64_NIL || sh->blk[b].pi != pi)
			continue;
		w = blk_bits(sh, b);
		for (i = 0; i < sh->blk_words; i++)
			n += (uint64_t)__builtin_popcountll(~w[i]);
	}
	return n;
}

int
nat64_blk_taken(const struct nat64_shard *sh, unsigned int pi,
		uint32_t addr4, uint16_t port4)
{
	const struct nat64_ports *p = sh->ports;
	const struct nat64_pent *pe;
	uint32_t a, k;
	int e = nat64_ports_ent(p, pi, addr4, port4);

	if (e < 0 || nat64_owner_out2in(p, addr4, port4, nat64_proto_of(pi)) !=
		     (int)sh->shard_id)
		return 0;
	pe = &p->ent[e];
	a = addr4 - pe->addr;
	k = nat64_ports_blkno(p, pe, port4);
	return bit_get(own_bits(sh, (uint32_t)e, a, pi),
		       (k - nat64_ports_k0(p, pe, a, sh->shard_id)) /
		       p->n_shards);
}
