/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside lib/roam: the hash, the db's entry layout and the lookup table's
 * slot layout, shared by db.c, table.c and remap.c.
 */
#ifndef ROAM_PRIV_H
#define ROAM_PRIV_H

#include <stdint.h>
#include <string.h>

#include "roam.h"

/* Slots per bucket: four 16-byte slots fill one 64-byte cache line. */
#define ROAM_BUCKET_SLOTS	4
#define ROAM_CACHE_LINE		64

/*
 * One slot of the lookup table. The key address is split: its low 32
 * bits (the client's IPv4 address, RFC 6052) are kept here, its upper 96
 * bits as an index into the table's prefix array, where the target /96
 * is too. A mesh has few /96s (one per node), so the slot is 16 bytes
 * instead of the 40 a full key, target and time would take.
 */
struct roam_slot {
	uint32_t lo;		/* key address bytes 12..15, as in memory */
	uint16_t kp;		/* key address bytes 0..11: prefix index */
	uint16_t tp;		/* target /96: prefix index */
	uint64_t expires;	/* 0: empty slot (an entry never has 0) */
};

/* The table for one kind: 'mask' + 1 buckets of ROAM_BUCKET_SLOTS. */
struct roam_sub {
	const struct roam_slot *slots;
	uint64_t seed;		/* hash key of this kind */
	uint32_t mask;		/* buckets - 1 */
	uint32_t n;		/* entries */
	uint32_t max_probe;	/* most buckets any key sits past its home */
};

struct roam_table {
	struct roam_sub sub[ROAM_KIND_MAX];
	const uint8_t (*pfx)[ROAM_PFX_LEN];	/* interned /96 prefixes */
	uint32_t n_pfx;
	uint32_t count;
	size_t size;		/* bytes of the whole allocation */
};

/* Hash key of 'kind' under the db's secret 'seed'. */
static inline uint64_t
roam_kind_seed(uint64_t seed, unsigned int kind)
{
	return seed ^ (0x9e3779b97f4a7c15ULL * (kind + 1));
}

/* 64x64->128 multiply, the halves xored: every input bit reaches the
 * low bits that pick the bucket. */
static inline uint64_t
roam_fold_mul(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	__extension__ unsigned __int128 m = (unsigned __int128)a * b;

	return (uint64_t)m ^ (uint64_t)(m >> 64);
#else
	uint64_t x = a * 0xff51afd7ed558ccdULL ^ b;

	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 29);
#endif
}

/*
 * Keyed hash of a 16-byte address: two multiplies. The secret keeps
 * remote hosts (who choose the addresses of the misses) from aiming at
 * one bucket; the db's keys come from the authenticated control plane.
 */
static inline uint64_t
roam_hash(uint64_t kseed, const uint8_t *addr)
{
	uint64_t w0, w1;

	memcpy(&w0, addr, 8);
	memcpy(&w1, addr + 8, 8);
	return roam_fold_mul(roam_fold_mul(w0 ^ kseed,
					   w1 ^ 0x2d358dccaa6c78a5ULL) ^
			     (kseed >> 7), 0x8bb84b93962eacc9ULL);
}

/* True when the first 12 bytes of 'a' and 'b' are equal. */
static inline int
roam_pfx_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x0, y0;
	uint32_t x1, y1;

	memcpy(&x0, a, 8);
	memcpy(&y0, b, 8);
	memcpy(&x1, a + 8, 4);
	memcpy(&y1, b + 8, 4);
	return ((x0 ^ y0) | (uint64_t)(x1 ^ y1)) == 0;
}

/* db.c for table.c: the entries and the prefix array as they are. */
struct roam_db_ent {
	struct roam_entry e;
	uint32_t hash;		/* low 32 bits of roam_hash(), for the index */
	uint16_t kp;		/* prefix index of e.addr[0..11] */
	uint16_t tp;		/* prefix index of e.target */
};

const struct roam_db_ent *roam_db_ents(const struct roam_db *db,
				       uint32_t *n);
const uint8_t (*roam_db_pfx(const struct roam_db *db,
			    uint32_t *n))[ROAM_PFX_LEN];
uint64_t roam_db_seed(const struct roam_db *db);

#endif /* ROAM_PRIV_H */
