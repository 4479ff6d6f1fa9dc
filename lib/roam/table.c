/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The immutable lookup table (roam.h). Built on the control lcore from a
 * db, read by every worker. Per kind, a power-of-two number of 64-byte
 * buckets of four 16-byte slots (roam_priv.h), filled by linear probing
 * from bucket to bucket at most 7/8 full; the /96 prefixes of keys and
 * targets are interned in one small array that stays in cache. A lookup
 * hashes the address (two multiplies), reads its home bucket (one cache
 * line; the next one only when the home bucket is full), compares the low
 * 32 bits of the address in each slot and, on a match, the upper 96 bits
 * against the interned prefix.
 *
 * Since nothing is ever deleted from a built table, the first bucket that
 * has an empty slot ends every probe: a key placed further on would have
 * taken that slot.
 */
#include "roam.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "roam_priv.h"

static size_t
align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Buckets for 'n' entries: a power of two, slots at most 7/8 used. */
static uint32_t
buckets_for(uint32_t n)
{
	uint64_t b = 1;

	while (b * ROAM_BUCKET_SLOTS * 7 < (uint64_t)n * 8)
		b <<= 1;
	return (uint32_t)b;
}

struct roam_table *
roam_table_build(const struct roam_db *db)
{
	const struct roam_db_ent *ents;
	const uint8_t (*pfx)[ROAM_PFX_LEN];
	struct roam_slot *slots[ROAM_KIND_MAX];
	uint32_t n, n_pfx, i, nb[ROAM_KIND_MAX] = { 0 }, cnt[ROAM_KIND_MAX] = { 0 };
	size_t off, off_slots[ROAM_KIND_MAX], size;
	struct roam_table *t;
	unsigned int k;
	uint8_t *mem;

	if (db == NULL) {
		errno = EINVAL;
		return NULL;
	}
	ents = roam_db_ents(db, &n);
	pfx = roam_db_pfx(db, &n_pfx);
	for (i = 0; i < n; i++)
		cnt[ents[i].e.kind]++;

	/* One allocation: header, buckets of each kind, prefixes. */
	off = align_up(sizeof(*t), ROAM_CACHE_LINE);
	for (k = 0; k < ROAM_KIND_MAX; k++) {
		nb[k] = cnt[k] > 0 ? buckets_for(cnt[k]) : 0;
		off_slots[k] = off;
		off += (size_t)nb[k] * ROAM_BUCKET_SLOTS * sizeof(struct roam_slot);
	}
	size = align_up(off + (size_t)n_pfx * ROAM_PFX_LEN, ROAM_CACHE_LINE);
	mem = aligned_alloc(ROAM_CACHE_LINE, size);
	if (mem == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(mem, 0, size);
	t = (struct roam_table *)mem;
	t->size = size;
	t->count = n;
	t->n_pfx = n_pfx;
	memcpy(mem + off, pfx, (size_t)n_pfx * ROAM_PFX_LEN);
	t->pfx = (const uint8_t (*)[ROAM_PFX_LEN])(mem + off);
	for (k = 0; k < ROAM_KIND_MAX; k++) {
		slots[k] = (struct roam_slot *)(mem + off_slots[k]);
		t->sub[k].slots = nb[k] > 0 ? slots[k] : NULL;
		t->sub[k].mask = nb[k] > 0 ? nb[k] - 1 : 0;
		t->sub[k].n = cnt[k];
		t->sub[k].seed = roam_kind_seed(roam_db_seed(db), k);
	}

	for (i = 0; i < n; i++) {
		const struct roam_db_ent *d = &ents[i];
		struct roam_sub *sub = &t->sub[d->e.kind];
		struct roam_slot *s = slots[d->e.kind];
		uint32_t home, b, probe = 0, j;

		home = (uint32_t)roam_hash(sub->seed, d->e.addr) & sub->mask;
		for (b = home;; b = (b + 1) & sub->mask, probe++) {
			struct roam_slot *bk = &s[(size_t)b * ROAM_BUCKET_SLOTS];

			for (j = 0; j < ROAM_BUCKET_SLOTS; j++)
				if (bk[j].expires == 0)
					break;
			if (j == ROAM_BUCKET_SLOTS)
				continue;
			memcpy(&bk[j].lo, d->e.addr + 12, 4);
			bk[j].kp = d->kp;
			bk[j].tp = d->tp;
			bk[j].expires = d->e.expires;
			break;
		}
		if (probe > sub->max_probe)
			sub->max_probe = probe;
	}
	return t;
}

void
roam_table_free(struct roam_table *t)
{
	free(t);
}

const uint8_t *
roam_table_lookup(const struct roam_table *t, unsigned int kind,
		  const uint8_t *addr, uint64_t now)
{
	const struct roam_sub *sub;
	uint32_t lo, b, probe, j;

	if (t == NULL || kind >= ROAM_KIND_MAX)
		return NULL;
	sub = &t->sub[kind];
	if (sub->n == 0)
		return NULL;
	memcpy(&lo, addr + 12, 4);
	b = (uint32_t)roam_hash(sub->seed, addr) & sub->mask;
	for (probe = 0; probe <= sub->max_probe; probe++) {
		const struct roam_slot *bk =
			&sub->slots[(size_t)b * ROAM_BUCKET_SLOTS];

		for (j = 0; j < ROAM_BUCKET_SLOTS; j++) {
			const struct roam_slot *s = &bk[j];

			if (s->expires == 0)
				return NULL;	/* end of the probe */
			if (s->lo != lo || !roam_pfx_eq(t->pfx[s->kp], addr))
				continue;
			return now < s->expires ? t->pfx[s->tp] : NULL;
		}
		b = (b + 1) & sub->mask;
	}
	return NULL;
}

void
roam_table_prefetch(const struct roam_table *t, unsigned int kind,
		    const uint8_t *addr)
{
	const struct roam_sub *sub;

	if (t == NULL || kind >= ROAM_KIND_MAX)
		return;
	sub = &t->sub[kind];
	if (sub->n == 0)
		return;
	__builtin_prefetch(&sub->slots[(size_t)((uint32_t)roam_hash(sub->seed,
			addr) & sub->mask) * ROAM_BUCKET_SLOTS]);
}

uint32_t
roam_table_count(const struct roam_table *t)
{
	return t == NULL ? 0 : t->count;
}

size_t
roam_table_size(const struct roam_table *t)
{
	return t == NULL ? 0 : t->size;
}
