/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pool layout and the owner functions: which shard a packet belongs
 * to. Pure functions of the packet and the immutable layout, so the
 * worker glue can hand a packet to its owner (VPP's handoff) before any
 * table is touched, and the unit tests can check that the slices are
 * disjoint and complete.
 *
 * Each pool4 entry is cut into blocks of block_size ports per address,
 * counted from the entry's first port (the last block of the range may
 * be shorter). Blocks are numbered globally, entry after entry, address
 * after address, and dealt round-robin: block g belongs to shard
 * g mod n_shards. So every shard owns a slice of every entry in whole
 * blocks, slices of neighbouring addresses are interleaved, and a port's
 * owner is computed without a table. ICMP identifiers are ports.
 */
#include "nat64.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64_priv.h"

unsigned int
nat64_owner_in2out(const uint8_t src6[16], unsigned int n_shards)
{
	uint64_t hi = 0, lo = 0, h;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		hi = hi << 8 | src6[i];
		lo = lo << 8 | src6[8 + i];
	}
	h = nat64_fmix(hi ^ nat64_fmix(lo ^ 0x9e3779b97f4a7c15ULL));
	return (unsigned int)(((h >> 32) * n_shards) >> 32);
}

static const struct nat64_sclient *
sclient_find(const struct nat64_ports *p, const uint8_t *a6)
{
	uint32_t lo = 0, hi = p->n_sclient;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int r = memcmp(a6, p->sclient[mid].addr6, 16);

		if (r == 0)
			return &p->sclient[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

unsigned int
nat64_ports_owner_in2out(const struct nat64_ports *p, const uint8_t src6[16])
{
	if (p->n_sclient != 0) {
		const struct nat64_sclient *s = sclient_find(p, src6);

		if (s != NULL)
			return s->shard;
	}
	return nat64_owner_in2out(src6, p->n_shards);
}

int
nat64_ports_ent(const struct nat64_ports *p, unsigned int pi, uint32_t addr4,
		uint16_t port4)
{
	uint32_t i;

	for (i = 0; i < p->n_ent; i++) {
		const struct nat64_pent *e = &p->ent[i];

		if ((e->protos & (1u << pi)) != 0 &&
		    addr4 - e->addr < e->n_addr &&
		    port4 >= e->lo && port4 <= e->hi)
			return (int)i;
	}
	return -1;
}

int
nat64_owner_out2in(const struct nat64_ports *p, uint32_t addr4,
		   uint16_t port4, uint8_t proto)
{
	const struct nat64_pent *e;
	int pi = nat64_pi(proto), i;
	uint64_t g;

	if (pi < 0)
		return -1;
	i = nat64_ports_ent(p, (unsigned int)pi, addr4, port4);
	if (i < 0)
		return -1;
	e = &p->ent[i];
	g = e->gbase + (uint64_t)(addr4 - e->addr) * e->nblk +
	    nat64_ports_blkno(p, e, port4);
	return (int)(g % p->n_shards);
}

unsigned int
nat64_ports_n_shards(const struct nat64_ports *p)
{
	return p->n_shards;
}

uint32_t
nat64_ports_k0(const struct nat64_ports *p, const struct nat64_pent *e,
	       uint32_t a, uint32_t shard)
{
	uint64_t g0 = e->gbase + (uint64_t)a * e->nblk;
	uint32_t r = (uint32_t)(g0 % p->n_shards);

	return (shard + p->n_shards - r) % p->n_shards;
}

uint32_t
nat64_ports_cnt(const struct nat64_ports *p, const struct nat64_pent *e,
		uint32_t a, uint32_t shard)
{
	uint32_t k0 = nat64_ports_k0(p, e, a, shard);

	return k0 < e->nblk ? (e->nblk - 1 - k0) / p->n_shards + 1 : 0;
}

static uint64_t
fp_add(uint64_t h, uint64_t v)
{
	return nat64_fmix(h ^ v) + 0x9e3779b97f4a7c15ULL;
}

/* Add client 'a6' with its static entries in 'shard'; -1 on a conflict
 * with the shard of its earlier entries (written to '*other'). */
static int
sclient_add(struct nat64_ports *p, const uint8_t *a6, uint32_t shard,
	    uint32_t *other)
{
	uint32_t i;

	for (i = 0; i < p->n_sclient; i++) {
		int r = memcmp(a6, p->sclient[i].addr6, 16);

		if (r == 0) {
			*other = p->sclient[i].shard;
			return p->sclient[i].shard == shard ? 0 : -1;
		}
		if (r < 0)
			break;
	}
	memmove(&p->sclient[i + 1], &p->sclient[i],
		(p->n_sclient - i) * sizeof(p->sclient[0]));
	memcpy(p->sclient[i].addr6, a6, 16);
	p->sclient[i].shard = shard;
	p->n_sclient++;
	return 0;
}

int
nat64_ports_build(struct nat64_ports *p, const struct nat64_cfg *c,
		  unsigned int n_shards, char *err, size_t err_size)
{
	uint64_t gbase = 0, h;
	unsigned int i, k;
	int rc;

	rc = nat64_cfg_validate(c, err, err_size);
	if (rc != 0)
		return rc;
	if (n_shards == 0 || n_shards > NAT64_MAX_SHARDS)
		return nat64_err(err, err_size, -EINVAL,
				 "n_shards: %u: must be 1 to %u", n_shards,
				 NAT64_MAX_SHARDS);
	memset(p, 0, sizeof(*p));
	p->n_shards = n_shards;
	p->bs = c->block_size;
	p->bs_recip = ((1ULL << 32) + p->bs - 1) / p->bs;
	p->n_ent = c->n_pool4;
	h = fp_add(fp_add(0x4e41543634ULL, n_shards), p->bs);
	for (i = 0; i < c->n_pool4; i++) {
		const struct nat64_pool4 *q = &c->pool4[i];
		struct nat64_pent *e = &p->ent[i];
		uint32_t range = (uint32_t)q->port_hi - q->port_lo + 1;

		e->addr = q->addr;
		e->n_addr = 1u << (32 - q->len);
		e->lo = q->port_lo;
		e->hi = q->port_hi;
		e->protos = q->protos;
		e->nblk = (range + p->bs - 1) / p->bs;
		e->gbase = gbase;
		for (k = 0; k < NAT64_NPROTO; k++)
			e->pos[k] = (e->protos & (1u << k)) != 0 ? e->np++
								 : 0xff;
		gbase += (uint64_t)e->n_addr * e->nblk;
		h = fp_add(h, (uint64_t)q->addr << 8 | q->len);
		h = fp_add(h, (uint64_t)q->port_lo << 24 |
			      (uint64_t)q->port_hi << 8 | q->protos);
	}
	p->n_blocks = gbase;
	p->fingerprint = h;
	for (i = 0; i < c->n_static; i++) {
		const struct nat64_static *s = &c->static_bib[i];
		int own = nat64_owner_out2in(p, s->addr4, s->port4, s->proto);
		uint32_t other = 0;

		if (sclient_add(p, s->addr6, (uint32_t)own, &other) != 0)
			return nat64_err(err, err_size, -EINVAL,
					 "static_bib[%u]: port %u is in the slice of shard %d of %u, the same client's other static entries in shard %u; pick ports of one slice",
					 i, s->port4, own, n_shards, other);
	}
	return 0;
}

struct nat64_ports *
nat64_ports_create(const struct nat64_cfg *c, unsigned int n_shards,
		   char *err, size_t err_size)
{
	struct nat64_ports *p = malloc(sizeof(*p));
	int rc;

	if (p == NULL) {
		snprintf(err, err_size, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	rc = nat64_ports_build(p, c, n_shards, err, err_size);
	if (rc != 0) {
		free(p);
		errno = -rc;
		return NULL;
	}
	return p;
}

void
nat64_ports_free(struct nat64_ports *p)
{
	free(p);
}
