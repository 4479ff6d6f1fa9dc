/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A shard and its entries: creation (every table allocated here, once),
 * reset, and the life cycle of clients, BIB entries (RFC 6146 section
 * 3.1), sessions (section 3.2) and address-dependent filtering records.
 *
 * Ownership runs one way: a session holds its BIB entry, a BIB entry its
 * port (and through it its block), a block and a BIB entry their client.
 * Each is freed with the last thing that holds it: a BIB entry with its
 * last session (static ones never), a block with its last port, a client
 * with its last BIB entry (clients with static entries never). Callers
 * check the capacities before they create anything, so a packet that is
 * refused leaves no half-built state behind.
 */
#include "nat64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "nat64_priv.h"

/* Lookup keys and their comparisons, for nat64_idx_find(). */
struct cli_key {
	const uint8_t *a6;
};

struct bib6_key {
	const uint8_t *a6;
	uint16_t port6;
	uint8_t pi;
};

struct bib4_key {
	uint32_t addr4;
	uint16_t port4;
	uint8_t pi;
};

struct adf_key {
	uint32_t bib;
	uint32_t rem4;
};

static int
eq16(const uint8_t *a, const uint8_t *b)
{
	uint64_t a0, a1, b0, b1;

	nat64_ld128(a, &a0, &a1);
	nat64_ld128(b, &b0, &b1);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static int
cli_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	return eq16(sh->cli[i].addr6, ((const struct cli_key *)key)->a6);
}

static int
bib6_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct nat64_bib *b = &sh->bib[i];
	const struct bib6_key *k = key;

	return b->port6 == k->port6 && b->pi == k->pi && eq16(b->addr6, k->a6);
}

static int
bib4_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct nat64_bib *b = &sh->bib[i];
	const struct bib4_key *k = key;

	return b->addr4 == k->addr4 && b->port4 == k->port4 && b->pi == k->pi;
}

static int
adf_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct adf_key *k = key;

	return sh->adf[i].bib == k->bib && sh->adf[i].rem4 == k->rem4;
}

uint32_t
nat64_cli_find(const struct nat64_shard *sh, const uint8_t *a6)
{
	struct cli_key k = { a6 };

	return nat64_idx_find(sh, &sh->cl, nat64_h_cl(sh, a6), cli_eq, &k);
}

uint32_t
nat64_cli_get(struct nat64_shard *sh, const uint8_t *a6,
	      enum nat64_verdict *why)
{
	uint32_t c = nat64_cli_find(sh, a6);
	struct nat64_client *cl;
	unsigned int k;

	if (c != NAT64_NIL)
		return c;
	c = sh->free_cli;
	if (c == NAT64_NIL) {
		*why = NAT64_MAX_CLIENTS;
		return NAT64_NIL;
	}
	if (nat64_idx_add(&sh->cl, nat64_h_cl(sh, a6), c, &sh->rng) != 0) {
		*why = NAT64_TABLE_FULL;
		return NAT64_NIL;
	}
	cl = &sh->cli[c];
	sh->free_cli = cl->n_bib;
	memcpy(cl->addr6, a6, 16);
	cl->addr4 = 0;
	cl->n_sess = 0;
	cl->n_bib = 0;
	for (k = 0; k < NAT64_NPROTO; k++) {
		cl->blk[k] = NAT64_NIL;
		cl->n_blk[k] = 0;
	}
	cl->flags = NAT64_CLI_LIVE;
	sh->n_cli++;
	return c;
}

/* Free client c if nothing holds it any more. */
void
nat64_cli_put(struct nat64_shard *sh, uint32_t c)
{
	struct nat64_client *cl = &sh->cli[c];

	if (cl->n_bib != 0 || (cl->flags & NAT64_CLI_STATIC))
		return;
	nat64_idx_del(&sh->cl, nat64_h_cl(sh, cl->addr6), c);
	cl->flags = 0;
	cl->n_bib = sh->free_cli;
	sh->free_cli = c;
	sh->n_cli--;
}

uint32_t
nat64_bib_find6(const struct nat64_shard *sh, unsigned int pi,
		const uint8_t *a6, uint16_t port6)
{
	struct bib6_key k = { a6, port6, (uint8_t)pi };

	return nat64_idx_find(sh, &sh->b6, nat64_h_b6(sh, pi, a6, port6),
			      bib6_eq, &k);
}

uint32_t
nat64_bib_find4(const struct nat64_shard *sh, unsigned int pi, uint32_t addr4,
		uint16_t port4)
{
	struct bib4_key k = { addr4, port4, (uint8_t)pi };

	return nat64_idx_find(sh, &sh->b4, nat64_h_b4(sh, pi, addr4, port4),
			      bib4_eq, &k);
}

uint32_t
nat64_bib_new(struct nat64_shard *sh, uint32_t c, unsigned int pi,
	      uint16_t port6, uint32_t addr4, uint16_t port4, uint8_t flags)
{
	struct nat64_client *cl = &sh->cli[c];
	uint32_t b = sh->free_bib;
	struct nat64_bib *e;
	uint64_t h6, h4;

	if (b == NAT64_NIL)
		return NAT64_NIL;
	h6 = nat64_h_b6(sh, pi, cl->addr6, port6);
	h4 = nat64_h_b4(sh, pi, addr4, port4);
	if (nat64_idx_add(&sh->b6, h6, b, &sh->rng) != 0)
		return NAT64_NIL;
	if (nat64_idx_add(&sh->b4, h4, b, &sh->rng) != 0) {
		nat64_idx_del(&sh->b6, h6, b);
		return NAT64_NIL;
	}
	e = &sh->bib[b];
	sh->free_bib = e->n_sess;
	memcpy(e->addr6, cl->addr6, 16);
	e->addr4 = addr4;
	e->port6 = port6;
	e->port4 = port4;
	e->pi = (uint8_t)pi;
	e->flags = (uint8_t)(flags | NAT64_BIB_LIVE);
	e->n_sess = 0;
	cl->n_bib++;
	sh->n_bib++;
	sh->n_bib_p[pi]++;
	return b;
}

enum nat64_verdict
nat64_bib_create(struct nat64_shard *sh, uint32_t c, unsigned int pi,
		 uint16_t port6, uint64_t now_ms, uint32_t *bib)
{
	enum nat64_verdict v;
	uint16_t port4;
	uint32_t blk;

	if (sh->free_bib == NAT64_NIL)
		return NAT64_MAX_SESSIONS;
	v = nat64_blk_bind(sh, c, pi, port6, now_ms, &port4, &blk);
	if (v != NAT64_OK)
		return v;
	*bib = nat64_bib_new(sh, c, pi, port6, sh->blk[blk].addr4, port4, 0);
	if (*bib == NAT64_NIL) {
		nat64_blk_unbind(sh, c, pi, sh->blk[blk].addr4, port4, now_ms);
		return NAT64_TABLE_FULL;
	}
	return NAT64_OK;
}

void
nat64_bib_release(struct nat64_shard *sh, uint32_t b, uint64_t now_ms)
{
	struct nat64_bib *e = &sh->bib[b];
	uint32_t c;

	if (e->flags & NAT64_BIB_STATIC)
		return;
	nat64_idx_del(&sh->b6, nat64_h_b6(sh, e->pi, e->addr6, e->port6), b);
	nat64_idx_del(&sh->b4, nat64_h_b4(sh, e->pi, e->addr4, e->port4), b);
	c = nat64_cli_find(sh, e->addr6);
	nat64_blk_unbind(sh, c, e->pi, e->addr4, e->port4, now_ms);
	sh->cli[c].n_bib--;
	sh->n_bib--;
	sh->n_bib_p[e->pi]--;
	e->flags = 0;
	e->n_sess = sh->free_bib;
	sh->free_bib = b;
	nat64_cli_put(sh, c);
}

/* ADF records: how many sessions BIB entry b has with each remote. */

uint32_t
nat64_adf_find(const struct nat64_shard *sh, uint32_t b, uint32_t rem4)
{
	struct adf_key k = { b, rem4 };

	return nat64_idx_find(sh, &sh->ai, nat64_h_adf(sh, b, rem4), adf_eq,
			      &k);
}

int
nat64_adf_has(const struct nat64_shard *sh, uint32_t b, uint32_t rem4)
{
	return nat64_adf_find(sh, b, rem4) != NAT64_NIL;
}

static int
adf_add(struct nat64_shard *sh, uint32_t b, uint32_t rem4)
{
	uint32_t a = nat64_adf_find(sh, b, rem4);

	if (a != NAT64_NIL) {
		sh->adf[a].count++;
		return 0;
	}
	a = sh->free_adf;
	if (a == NAT64_NIL ||
	    nat64_idx_add(&sh->ai, nat64_h_adf(sh, b, rem4), a, &sh->rng) != 0)
		return -1;
	sh->free_adf = sh->adf[a].count;
	sh->adf[a].bib = b;
	sh->adf[a].rem4 = rem4;
	sh->adf[a].count = 1;
	sh->n_adf++;
	return 0;
}

static void
adf_del(struct nat64_shard *sh, uint32_t b, uint32_t rem4)
{
	uint32_t a = nat64_adf_find(sh, b, rem4);

	if (a == NAT64_NIL || --sh->adf[a].count != 0)
		return;
	nat64_idx_del(&sh->ai, nat64_h_adf(sh, b, rem4), a);
	sh->adf[a].bib = NAT64_NIL;
	sh->adf[a].count = sh->free_adf;
	sh->free_adf = a;
	sh->n_adf--;
}

uint32_t
nat64_sess_new(struct nat64_shard *sh, uint32_t b, uint32_t c, uint32_t rem4,
	       uint16_t rport, uint8_t state, uint8_t cls, uint32_t now_s)
{
	struct nat64_bib *be = &sh->bib[b];
	uint32_t s = sh->free_sess;
	struct nat64_sess *e;
	uint64_t h6, h4;

	if (s == NAT64_NIL)
		return NAT64_NIL;
	h6 = nat64_h_s6(sh, be->pi, be->addr6, be->port6, rem4, rport);
	h4 = nat64_h_s4(sh, be->pi, be->addr4, be->port4, rem4, rport);
	if (nat64_idx_add(&sh->s6, h6, s, &sh->rng) != 0)
		return NAT64_NIL;
	if (nat64_idx_add(&sh->s4, h4, s, &sh->rng) != 0)
		goto err_s6;
	if (sh->adf_on && adf_add(sh, b, rem4) != 0)
		goto err_s4;
	e = &sh->sess[s];
	sh->free_sess = e->next;
	e->bib = b;
	e->rem4 = rem4;
	e->rport = rport;
	e->state = state;
	e->cls = cls;
	e->seen = now_s;
	nat64_wheel_add(sh, s);
	be->n_sess++;
	sh->cli[c].n_sess++;
	sh->n_sess++;
	sh->n_sess_p[be->pi]++;
	sh->created++;
	return s;
err_s4:
	nat64_idx_del(&sh->s4, h4, s);
err_s6:
	nat64_idx_del(&sh->s6, h6, s);
	return NAT64_NIL;
}

void
nat64_sess_release(struct nat64_shard *sh, uint32_t s, uint64_t now_ms)
{
	struct nat64_sess *e = &sh->sess[s];
	struct nat64_bib *be = &sh->bib[e->bib];
	uint32_t c = nat64_cli_find(sh, be->addr6);

	nat64_idx_del(&sh->s6, nat64_h_s6(sh, be->pi, be->addr6, be->port6,
					  e->rem4, e->rport), s);
	nat64_idx_del(&sh->s4, nat64_h_s4(sh, be->pi, be->addr4, be->port4,
					  e->rem4, e->rport), s);
	nat64_wheel_del(sh, s);
	if (sh->adf_on)
		adf_del(sh, e->bib, e->rem4);
	sh->cli[c].n_sess--;
	sh->n_sess--;
	sh->n_sess_p[be->pi]--;
	e->cls = NAT64_CLS_FREE;
	e->next = sh->free_sess;
	sh->free_sess = s;
	if (--be->n_sess == 0)
		nat64_bib_release(sh, e->bib, now_ms);
}

/* Static BIB entries in this shard's slice (RFC 6146 section 3.1). */
static void
install_static(struct nat64_shard *sh)
{
	const struct nat64_cfg *c = &sh->cfg;
	enum nat64_verdict why;
	unsigned int i;

	sh->n_st = 0;
	sh->n_static = 0;
	for (i = 0; i < c->n_static; i++) {
		const struct nat64_static *s = &c->static_bib[i];
		unsigned int pi = (unsigned int)nat64_pi(s->proto);
		uint32_t cl, b;

		if (nat64_owner_out2in(sh->ports, s->addr4, s->port4,
				       s->proto) != (int)sh->shard_id)
			continue;
		sh->st[sh->n_st].addr4 = s->addr4;
		sh->st[sh->n_st].port4 = s->port4;
		sh->st[sh->n_st].pi = (uint8_t)pi;
		sh->n_st++;
		/* Sized at create: neither can fail. */
		cl = nat64_cli_get(sh, s->addr6, &why);
		if (cl == NAT64_NIL)
			continue;
		sh->cli[cl].flags |= NAT64_CLI_STATIC | NAT64_CLI_HAS4;
		sh->cli[cl].addr4 = s->addr4;
		b = nat64_bib_new(sh, cl, pi, s->port6, s->addr4, s->port4,
				  NAT64_BIB_STATIC);
		if (b != NAT64_NIL)
			sh->n_static++;
	}
}

void
nat64_shard_reset(struct nat64_shard *sh)
{
	uint32_t i;

	nat64_idx_clear(&sh->s6);
	nat64_idx_clear(&sh->s4);
	nat64_idx_clear(&sh->b6);
	nat64_idx_clear(&sh->b4);
	nat64_idx_clear(&sh->cl);
	if (sh->cap_adf)
		nat64_idx_clear(&sh->ai);
	for (i = 0; i < sh->cap_sess; i++) {
		sh->sess[i].cls = NAT64_CLS_FREE;
		sh->sess[i].slot = NAT64_SLOT_NONE;
		sh->sess[i].next = i + 1 < sh->cap_sess ? i + 1 : NAT64_NIL;
	}
	for (i = 0; i < sh->cap_bib; i++) {
		sh->bib[i].flags = 0;
		sh->bib[i].n_sess = i + 1 < sh->cap_bib ? i + 1 : NAT64_NIL;
	}
	for (i = 0; i < sh->cap_cli; i++) {
		sh->cli[i].flags = 0;
		sh->cli[i].n_bib = i + 1 < sh->cap_cli ? i + 1 : NAT64_NIL;
	}
	for (i = 0; i < sh->cap_adf; i++) {
		sh->adf[i].bib = NAT64_NIL;
		sh->adf[i].count = i + 1 < sh->cap_adf ? i + 1 : NAT64_NIL;
	}
	sh->free_sess = sh->cap_sess ? 0 : NAT64_NIL;
	sh->free_bib = sh->cap_bib ? 0 : NAT64_NIL;
	sh->free_cli = sh->cap_cli ? 0 : NAT64_NIL;
	sh->free_adf = sh->cap_adf ? 0 : NAT64_NIL;
	sh->n_sess = sh->n_bib = sh->n_cli = sh->n_adf = 0;
	memset(sh->n_sess_p, 0, sizeof(sh->n_sess_p));
	memset(sh->n_bib_p, 0, sizeof(sh->n_bib_p));
	for (i = 0; i <= NAT64_WHEEL; i++)
		sh->wheel[i] = NAT64_NIL;
	nat64_blk_reset(sh);
	install_static(sh);
}

static void *
alloc_tab(struct nat64_shard *sh, size_t n, size_t size)
{
	size_t bytes = (n ? n : 1) * size;
	void *p;

	bytes = (bytes + 63) & ~(size_t)63;
	p = nat64_mem_alloc(bytes);
	if (p != NULL)
		sh->mem += bytes;
	return p;
}

static int
alloc_idx(struct nat64_shard *sh, struct nat64_idx *t, uint32_t n)
{
	if (nat64_idx_init(t, n) != 0)
		return -1;
	sh->mem += nat64_idx_size(n);
	return 0;
}

/* A seed from the OS; if that fails, the clock and an address mixed. */
static uint64_t
os_seed(const void *salt)
{
	struct timespec ts;
	uint64_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v) &&
	    v != 0)
		return v;
	clock_gettime(CLOCK_REALTIME, &ts);
	return nat64_fmix((uint64_t)ts.tv_sec ^ (uint64_t)ts.tv_nsec << 32 ^
			  (uint64_t)(uintptr_t)salt) | 1;
}

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Capacities and limits from the config (doc/nat64.md, "Memory"). */
static void
size_tables(struct nat64_shard *sh, uint32_t capacity, unsigned int n_shards)
{
	const struct nat64_cfg *c = &sh->cfg;
	const struct nat64_ports *p = sh->ports;
	uint32_t quarter, n_st = 0, maxcnt = 0, i;
	uint64_t owned = 0;

	for (i = 0; i < c->n_static; i++)
		if (nat64_owner_out2in(p, c->static_bib[i].addr4,
				       c->static_bib[i].port4,
				       c->static_bib[i].proto) ==
		    (int)sh->shard_id)
			n_st++;
	for (i = 0; i < NAT64_NPROTO; i++)
		owned += sh->own_blocks[i];
	for (i = 0; i < p->n_ent; i++)
		if (sh->own[i].maxcnt > maxcnt)
			maxcnt = sh->own[i].maxcnt;
	sh->cap_sess = capacity ? capacity
				: (c->max_sessions + n_shards - 1) / n_shards;
	quarter = sh->cap_sess / 4 < 16 ? 16 : sh->cap_sess / 4;
	sh->cap_bib = sh->cap_sess + n_st;
	sh->cap_cli = quarter + n_st;
	sh->cap_blk = owned < quarter ? (uint32_t)owned : quarter;
	sh->cap_adf = c->address_dependent_filtering ? sh->cap_sess : 0;
	sh->cap_hold = (c->max_held_syns + n_shards - 1) / n_shards;
	sh->max_cli_sess = c->max_sessions_per_client;
	if (c->max_blocks_per_client != 0) {
		sh->max_cli_blk = c->max_blocks_per_client;
	} else {
		uint32_t need = (c->max_sessions_per_client + c->block_size -
				 1) / c->block_size;

		sh->max_cli_blk = maxcnt / 4 < need ? maxcnt / 4 : need;
		if (sh->max_cli_blk == 0)
			sh->max_cli_blk = 1;
	}
	sh->n_st = n_st;
}

struct nat64_shard *
nat64_shard_create(const struct nat64_cfg *c, unsigned int shard_id,
		   unsigned int n_shards, uint32_t capacity)
{
	struct nat64_shard *sh;
	char err[NAT64_ERR_SIZE];
	uint32_t ring, i;

	if (shard_id >= n_shards || capacity > NAT64_SESSIONS_LIMIT) {
		errno = EINVAL;
		return NULL;
	}
	sh = nat64_mem_alloc(sizeof(*sh));
	if (sh == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	sh->mem = sizeof(*sh);
	sh->cfg = *c;
	sh->shard_id = shard_id;
	sh->n_shards = n_shards;
	sh->ports = malloc(sizeof(*sh->ports));
	if (sh->ports == NULL)
		goto err_nomem;
	sh->mem += sizeof(*sh->ports);
	if (nat64_ports_build(sh->ports, c, n_shards, err, sizeof(err)) != 0) {
		nat64_shard_free(sh);
		errno = EINVAL;
		return NULL;
	}
	if (nat64_blk_layout(sh) != 0)
		goto err_nomem;
	size_tables(sh, capacity, n_shards);
	if (sh->cap_sess == 0) {
		nat64_shard_free(sh);
		errno = EINVAL;
		return NULL;
	}
	sh->timeout[NAT64_CLS_UDP] = c->udp_timeout;
	sh->timeout[NAT64_CLS_ICMP] = c->icmp_timeout;
	sh->timeout[NAT64_CLS_TCP_EST] = c->tcp_est_timeout;
	sh->timeout[NAT64_CLS_TCP_TRANS] = c->tcp_trans_timeout;
	sh->hold_ms = (uint64_t)c->tcp_syn_hold * 1000;
	sh->adf_on = c->address_dependent_filtering;
	for (i = 0; i < c->n_pool4; i++)
		sh->proto_mask |= c->pool4[i].protos;
	sh->rng = (c->seed != 0 ? c->seed : os_seed(sh)) ^
		  nat64_fmix(shard_id + 1ULL);
	sh->hkey = nat64_rand(&sh->rng);
	sh->blk_words = (c->block_size + 63) / 64;
	ring = pow2_at_least(c->event_ring);
	sh->ev_mask = ring - 1;

	sh->sess = alloc_tab(sh, sh->cap_sess, sizeof(struct nat64_sess));
	sh->bib = alloc_tab(sh, sh->cap_bib, sizeof(struct nat64_bib));
	sh->cli = alloc_tab(sh, sh->cap_cli, sizeof(struct nat64_client));
	sh->blk = alloc_tab(sh, sh->cap_blk, sizeof(struct nat64_blk));
	sh->blk_bits = alloc_tab(sh, (size_t)sh->cap_blk * sh->blk_words,
				 sizeof(uint64_t));
	sh->adf = alloc_tab(sh, sh->cap_adf, sizeof(struct nat64_adf));
	sh->hold = alloc_tab(sh, sh->cap_hold, sizeof(struct nat64_holdent));
	sh->st = alloc_tab(sh, sh->n_st, sizeof(struct nat64_stres));
	sh->ev = alloc_tab(sh, ring, sizeof(struct nat64_event));
	sh->wheel = alloc_tab(sh, NAT64_WHEEL + 1, sizeof(uint32_t));
	if (sh->sess == NULL || sh->bib == NULL || sh->cli == NULL ||
	    sh->blk == NULL || sh->blk_bits == NULL || sh->adf == NULL ||
	    sh->hold == NULL || sh->st == NULL || sh->ev == NULL ||
	    sh->wheel == NULL)
		goto err_nomem;
	if (alloc_idx(sh, &sh->s6, sh->cap_sess) != 0 ||
	    alloc_idx(sh, &sh->s4, sh->cap_sess) != 0 ||
	    alloc_idx(sh, &sh->b6, sh->cap_bib) != 0 ||
	    alloc_idx(sh, &sh->b4, sh->cap_bib) != 0 ||
	    alloc_idx(sh, &sh->cl, sh->cap_cli) != 0 ||
	    (sh->cap_adf && alloc_idx(sh, &sh->ai, sh->cap_adf) != 0) ||
	    alloc_idx(sh, &sh->hi, sh->cap_hold ? sh->cap_hold : 1) != 0)
		goto err_nomem;
	nat64_hold_reset(sh);
	nat64_shard_reset(sh);
	return sh;

err_nomem:
	nat64_shard_free(sh);
	errno = ENOMEM;
	return NULL;
}

void
nat64_shard_free(struct nat64_shard *sh)
{
	if (sh == NULL)
		return;
	nat64_idx_fini(&sh->s6);
	nat64_idx_fini(&sh->s4);
	nat64_idx_fini(&sh->b6);
	nat64_idx_fini(&sh->b4);
	nat64_idx_fini(&sh->cl);
	nat64_idx_fini(&sh->ai);
	nat64_idx_fini(&sh->hi);
	free(sh->sess);
	free(sh->bib);
	free(sh->cli);
	free(sh->blk);
	free(sh->blk_bits);
	free(sh->adf);
	free(sh->hold);
	free(sh->st);
	free(sh->ev);
	free(sh->wheel);
	free(sh->own_bits);
	free(sh->own_free);
	free(sh->ports);
	free(sh);
}

const struct nat64_ports *
nat64_shard_ports(const struct nat64_shard *sh)
{
	return sh->ports;
}

size_t
nat64_shard_mem(const struct nat64_shard *sh)
{
	return sh->mem;
}

size_t
nat64_mem_per_session(const struct nat64_shard *sh)
{
	return (sh->mem + sh->cap_sess / 2) / sh->cap_sess;
}

uint32_t
nat64_shard_capacity(const struct nat64_shard *sh)
{
	return sh->cap_sess;
}
