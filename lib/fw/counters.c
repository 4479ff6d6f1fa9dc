/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-rule packet and byte counters. Each worker has one array per chain
 * of the snapshot it classifies with and adds to the slot the classify
 * result names (fw_counters_add(), inline in fw.h); the control lcore
 * keeps one more array with the totals of arrays already retired, and
 * moves counts between layouts by rule id with fw_counters_fold() when the
 * ruleset changes. See struct fw_counters in fw.h for the whole protocol.
 */
#include "fw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_LINE	64

struct fw_counters *
fw_counters_create(const struct fw_ruleset *rs, enum fw_chain c)
{
	uint32_t n = rs->chain[c].n, i;
	size_t head = sizeof(struct fw_counters) +
		      ((size_t)n + 1) * sizeof(struct fw_counter);
	size_t size = head + ((size_t)n + 1) * sizeof(uint32_t);
	struct fw_counters *fc;

	/* Whole cache lines: two workers' arrays never share one. */
	size = (size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	fc = aligned_alloc(CACHE_LINE, size);
	if (fc == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(fc, 0, size);
	fc->n = n;
	fc->ids = (uint32_t *)((char *)fc + head);
	fc->ids[0] = 0;
	for (i = 0; i < n; i++)
		fc->ids[i + 1] = rs->chain[c].rules[i].id;
	return fc;
}

void
fw_counters_free(struct fw_counters *fc)
{
	free(fc);
}

struct slot {
	uint32_t id;
	uint32_t slot;
};

static int
slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void
add_from(struct fw_counter *d, const struct fw_counter *s)
{
	d->pkts += __atomic_load_n(&s->pkts, __ATOMIC_RELAXED);
	d->bytes += __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
}

/* The slot of 'id' in 'dst' through the sorted index 'ix', or 0. */
static uint32_t
find_slot(const struct fw_counters *dst, const struct slot *ix, uint32_t id)
{
	uint32_t lo = 0, hi = dst->n, i;

	if (ix == NULL) {	/* no memory for the index: scan */
		for (i = 1; i <= dst->n; i++)
			if (dst->ids[i] == id)
				return i;
		return 0;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ix[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < dst->n && ix[lo].id == id ? ix[lo].slot : 0;
}

uint32_t
fw_counters_fold(struct fw_counters *dst, const struct fw_counters *src)
{
	struct slot *ix;
	uint32_t i, carried = 0;

	add_from(&dst->c[0], &src->c[0]);
	if (dst->n == src->n &&
	    memcmp(dst->ids, src->ids, (dst->n + 1) * sizeof(uint32_t)) == 0) {
		for (i = 1; i <= src->n; i++)
			add_from(&dst->c[i], &src->c[i]);
		return src->n;
	}
	ix = dst->n > 0 ? malloc(dst->n * sizeof(*ix)) : NULL;
	if (ix != NULL) {
		for (i = 0; i < dst->n; i++) {
			ix[i].id = dst->ids[i + 1];
			ix[i].slot = i + 1;
		}
		qsort(ix, dst->n, sizeof(*ix), slot_cmp);
	}
	for (i = 1; i <= src->n; i++) {
		uint32_t j = find_slot(dst, ix, src->ids[i]);

		if (j == 0)
			continue;	/* the rule was deleted */
		add_from(&dst->c[j], &src->c[i]);
		carried++;
	}
	free(ix);
	return carried;
}

struct fw_counter
fw_counters_get(const struct fw_counters *fc, uint32_t id)
{
	struct fw_counter r = { 0, 0 };
	uint32_t i;

	for (i = 0; i <= fc->n; i++) {
		if (fc->ids[i] == id) {
			r.pkts = __atomic_load_n(&fc->c[i].pkts,
						 __ATOMIC_RELAXED);
			r.bytes = __atomic_load_n(&fc->c[i].bytes,
						  __ATOMIC_RELAXED);
			break;
		}
	}
	return r;
}
