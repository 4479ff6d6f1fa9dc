/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bucketized cuckoo index under every table of a shard (the lookup
 * itself is inline in nat64_priv.h). A bucket is one cache line of ten
 * (16-bit signature, 32-bit entry index) slots; an entry lives in one of
 * its two buckets. The index stores no keys: the caller verifies a
 * candidate against the entry it points to, so one index entry costs
 * 6.4 bytes, 7.5 at the 85 % load the tables are sized for.
 *
 * Insertion places the entry in a free slot of either bucket, else walks
 * a random cuckoo path (at most NAT64_KICKS moves, each to the victim's
 * other bucket) and undoes the walk if it finds no hole, so a failed
 * insert leaves the index as it was. Nothing here allocates after
 * nat64_idx_init().
 */
#include "nat64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nat64_priv.h"

#define NAT64_KICKS	128
#define NAT64_LOAD_PCT	85
#define NAT64_HUGE	(2u << 20)

/*
 * Zeroed memory for a table. A table of 2 MB or more starts on a 2 MB
 * boundary and asks for transparent huge pages: at a million sessions
 * every lookup is a TLB miss on 4 kB pages. The advice may be refused
 * (THP off); that only costs speed.
 */
void *
nat64_mem_alloc(size_t size)
{
	size_t align = size >= NAT64_HUGE ? NAT64_HUGE : 64;
	void *p;

	if (size == 0)
		size = 64;
	if (posix_memalign(&p, align, size) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (align == NAT64_HUGE)
		(void)madvise(p, size, MADV_HUGEPAGE);
#endif
	memset(p, 0, size);
	return p;
}

static uint32_t
n_buckets(uint32_t n_entries)
{
	uint64_t slots = ((uint64_t)n_entries * 100 + NAT64_LOAD_PCT - 1) /
			 NAT64_LOAD_PCT;
	uint64_t nb = (slots + NAT64_BKT_SLOTS - 1) / NAT64_BKT_SLOTS;

	return nb < 2 ? 2 : (uint32_t)nb;
}

size_t
nat64_idx_size(uint32_t n_entries)
{
	return (size_t)n_buckets(n_entries) * sizeof(struct nat64_bkt);
}

void
nat64_idx_clear(struct nat64_idx *t)
{
	uint32_t i;

	for (i = 0; i < t->nb; i++) {
		memset(t->b[i].sig, 0, sizeof(t->b[i].sig));
		memset(t->b[i].idx, 0xff, sizeof(t->b[i].idx));
		t->b[i].pad = 0;
	}
	t->n = 0;
}

int
nat64_idx_init(struct nat64_idx *t, uint32_t n_entries)
{
	t->nb = n_buckets(n_entries);
	t->b = nat64_mem_alloc((size_t)t->nb * sizeof(struct nat64_bkt));
	if (t->b == NULL)
		return -ENOMEM;
	nat64_idx_clear(t);
	return 0;
}

void
nat64_idx_fini(struct nat64_idx *t)
{
	free(t->b);
	t->b = NULL;
	t->nb = 0;
	t->n = 0;
}

static int
put_free(struct nat64_bkt *bk, uint16_t sig, uint32_t val)
{
	unsigned int s;

	for (s = 0; s < NAT64_BKT_SLOTS; s++)
		if (bk->idx[s] == NAT64_NIL) {
			bk->sig[s] = sig;
			bk->idx[s] = val;
			return 1;
		}
	return 0;
}

int
nat64_idx_add(struct nat64_idx *t, uint64_t h, uint32_t val, uint64_t *rng)
{
	struct {
		uint32_t b;
		uint32_t idx;
		uint16_t sig;
		uint8_t slot;
	} path[NAT64_KICKS];
	uint16_t sig = nat64_idx_sig(h);
	uint32_t b1 = nat64_idx_b1(t, h);
	uint32_t b2 = nat64_idx_alt(t, b1, sig);
	uint32_t cur;
	int i;

	if (put_free(&t->b[b1], sig, val) || put_free(&t->b[b2], sig, val)) {
		t->n++;
		return 0;
	}
	cur = (nat64_rand(rng) & 1) ? b2 : b1;
	for (i = 0; i < NAT64_KICKS; i++) {
		struct nat64_bkt *bk = &t->b[cur];
		unsigned int s = nat64_rand_below(rng, NAT64_BKT_SLOTS);
		uint16_t vsig = bk->sig[s];
		uint32_t vidx = bk->idx[s];

		path[i].b = cur;
		path[i].slot = (uint8_t)s;
		path[i].sig = vsig;
		path[i].idx = vidx;
		bk->sig[s] = sig;
		bk->idx[s] = val;
		sig = vsig;
		val = vidx;
		cur = nat64_idx_alt(t, cur, sig);
		if (put_free(&t->b[cur], sig, val)) {
			t->n++;
			return 0;
		}
	}
	/* No hole within reach: put every victim back where it was. */
	for (i = NAT64_KICKS - 1; i >= 0; i--) {
		struct nat64_bkt *bk = &t->b[path[i].b];

		bk->sig[path[i].slot] = path[i].sig;
		bk->idx[path[i].slot] = path[i].idx;
	}
	return -ENOSPC;
}

static struct nat64_bkt *
slot_of(const struct nat64_idx *t, uint64_t h, uint32_t val,
	unsigned int *slot)
{
	uint16_t sig = nat64_idx_sig(h);
	uint32_t b = nat64_idx_b1(t, h);
	unsigned int k, s;

	for (k = 0; k < 2; k++) {
		struct nat64_bkt *bk = &t->b[b];

		for (s = 0; s < NAT64_BKT_SLOTS; s++)
			if (bk->idx[s] == val && bk->sig[s] == sig) {
				*slot = s;
				return bk;
			}
		b = nat64_idx_alt(t, b, sig);
	}
	return NULL;
}

int
nat64_idx_del(struct nat64_idx *t, uint64_t h, uint32_t val)
{
	unsigned int s;
	struct nat64_bkt *bk = slot_of(t, h, val, &s);

	if (bk == NULL)
		return -ENOENT;
	bk->idx[s] = NAT64_NIL;
	bk->sig[s] = 0;
	t->n--;
	return 0;
}

int
nat64_idx_has(const struct nat64_idx *t, uint64_t h, uint32_t val)
{
	unsigned int s;

	return slot_of(t, h, val, &s) != NULL;
}
