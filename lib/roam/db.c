/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control plane's remap database (roam.h): the entries in a dense
 * array (walks, expiry and delete-by-target are linear scans over it),
 * an open-addressing index from (kind, address) to the array, and the
 * interned /96 prefixes with reference counts, whose indexes the lookup
 * table's 16-byte slots carry (table.c). One writer, no locks; the
 * workers never see this, only the tables built from it.
 */
#include "roam.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "roam_priv.h"

#define NIL	0u		/* empty index slot (entries are 1-based) */

struct roam_db {
	struct roam_db_ent *ents;	/* [cap], 'n' in use, dense */
	uint32_t *idx;			/* [imask + 1]: entry + 1, or NIL */
	uint8_t (*pfx)[ROAM_PFX_LEN];	/* [pcap] interned /96 prefixes */
	uint32_t *prefs;		/* [pcap] references from entries */
	uint32_t *pidx;			/* [pimask + 1]: prefix + 1, or NIL */
	uint64_t seed;
	uint64_t kseed[ROAM_KIND_MAX];
	uint32_t n, cap, imask;
	uint32_t n_kind[ROAM_KIND_MAX];
	uint32_t pn;			/* prefixes used, live or not */
	uint32_t plive;			/* prefixes with references */
	uint32_t pcap, pimask;
};

const char *
roam_kind_name(unsigned int kind)
{
	static const char *const names[ROAM_KIND_MAX] = {
		[ROAM_CLAT] = "clat",
		[ROAM_FROM] = "from",
		[ROAM_TO] = "to",
	};

	return kind < ROAM_KIND_MAX ? names[kind] : "?";
}

static uint32_t
pow2_at_least(uint64_t x)
{
	uint32_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

struct roam_db *
roam_db_create(uint32_t capacity, uint64_t seed)
{
	struct roam_db *db;
	unsigned int k;

	if (capacity == 0 || capacity > ROAM_CAPACITY_MAX) {
		errno = EINVAL;
		return NULL;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return NULL;
	db->cap = capacity;
	db->seed = seed;
	for (k = 0; k < ROAM_KIND_MAX; k++)
		db->kseed[k] = roam_kind_seed(seed, k);
	/* Index at most half full: short probes, and always an empty slot. */
	db->imask = pow2_at_least(2ull * capacity) - 1;
	/*
	 * Each entry brings at most two new prefixes, and a replace holds
	 * its old target while it takes the new one: one more.
	 */
	db->pcap = capacity >= ROAM_PFX_MAX / 2 ? ROAM_PFX_MAX :
		   2 * capacity + 1;
	db->pimask = pow2_at_least(2ull * db->pcap) - 1;
	db->ents = calloc(capacity, sizeof(*db->ents));
	db->idx = calloc(db->imask + 1ull, sizeof(*db->idx));
	db->pfx = calloc(db->pcap, sizeof(*db->pfx));
	db->prefs = calloc(db->pcap, sizeof(*db->prefs));
	db->pidx = calloc(db->pimask + 1ull, sizeof(*db->pidx));
	if (db->ents == NULL || db->idx == NULL || db->pfx == NULL ||
	    db->prefs == NULL || db->pidx == NULL) {
		roam_db_free(db);
		errno = ENOMEM;
		return NULL;
	}
	return db;
}

void
roam_db_free(struct roam_db *db)
{
	if (db == NULL)
		return;
	free(db->ents);
	free(db->idx);
	free(db->pfx);
	free(db->prefs);
	free(db->pidx);
	free(db);
}

/* ---- interned prefixes --------------------------------------------- */

static uint32_t
pfx_hash(const struct roam_db *db, const uint8_t *p)
{
	uint8_t a[16];

	memcpy(a, p, ROAM_PFX_LEN);
	memset(a + ROAM_PFX_LEN, 0, 4);
	return (uint32_t)roam_hash(db->seed ^ 0x5bd1e995u, a);
}

/* Index of prefix 'p', live or not, or -1. */
static int32_t
pfx_find(const struct roam_db *db, const uint8_t *p)
{
	uint32_t s = pfx_hash(db, p) & db->pimask, v;

	while ((v = db->pidx[s]) != NIL) {
		if (roam_pfx_eq(db->pfx[v - 1], p))
			return (int32_t)(v - 1);
		s = (s + 1) & db->pimask;
	}
	return -1;
}

static uint16_t
pfx_append(struct roam_db *db, const uint8_t *p)
{
	uint32_t s = pfx_hash(db, p) & db->pimask, i = db->pn++;

	memcpy(db->pfx[i], p, ROAM_PFX_LEN);
	db->prefs[i] = 0;
	while (db->pidx[s] != NIL)
		s = (s + 1) & db->pimask;
	db->pidx[s] = i + 1;
	return (uint16_t)i;
}

/*
 * Renumber the prefixes without the unreferenced ones. Tables already
 * built keep their own copy, so only the db's entries follow.
 */
static void
pfx_compact(struct roam_db *db)
{
	uint16_t *map;
	uint32_t i, j = 0, pn = db->pn;

	map = malloc(sizeof(*map) * (pn > 0 ? pn : 1));
	if (map == NULL)
		return;		/* stays full: the caller says -ENOBUFS */
	for (i = 0; i < pn; i++) {
		if (db->prefs[i] == 0)
			continue;
		map[i] = (uint16_t)j;
		if (i != j) {
			memcpy(db->pfx[j], db->pfx[i], ROAM_PFX_LEN);
			db->prefs[j] = db->prefs[i];
		}
		j++;
	}
	memset(db->pidx, 0, (db->pimask + 1ull) * sizeof(*db->pidx));
	db->pn = 0;
	for (i = 0; i < j; i++) {
		uint32_t refs = db->prefs[i];

		pfx_append(db, db->pfx[i]);
		db->prefs[i] = refs;
	}
	for (i = 0; i < db->n; i++) {
		db->ents[i].kp = map[db->ents[i].kp];
		db->ents[i].tp = map[db->ents[i].tp];
	}
	free(map);
}

/*
 * Make room for 'need' prefixes not yet interned. Returns 0 or -ENOBUFS.
 * Afterwards pfx_get() of those prefixes cannot fail or renumber.
 */
static int
pfx_reserve(struct roam_db *db, uint32_t need)
{
	if (db->pn + need <= db->pcap)
		return 0;
	if (db->plive + need > db->pcap)
		return -ENOBUFS;
	pfx_compact(db);
	return db->pn + need <= db->pcap ? 0 : -ENOBUFS;
}

/* Take a reference on 'p' (after pfx_reserve() when it is new). */
static uint16_t
pfx_get(struct roam_db *db, const uint8_t *p)
{
	int32_t f = pfx_find(db, p);
	uint16_t i = f >= 0 ? (uint16_t)f : pfx_append(db, p);

	if (db->prefs[i]++ == 0)
		db->plive++;
	return i;
}

static void
pfx_put(struct roam_db *db, uint16_t i)
{
	/* An unreferenced prefix stays in the index until a compaction:
	 * the PLAT or node it names is likely to come back. */
	if (--db->prefs[i] == 0)
		db->plive--;
}

/* ---- entries -------------------------------------------------------- */

static uint32_t
ent_hash(const struct roam_db *db, unsigned int kind, const uint8_t *addr)
{
	return (uint32_t)roam_hash(db->kseed[kind], addr);
}

/* The index slot of (kind, addr), or of the empty slot ending its probe. */
static uint32_t
ent_slot(const struct roam_db *db, unsigned int kind, const uint8_t *addr,
	 uint32_t h)
{
	uint32_t s = h & db->imask, v;

	while ((v = db->idx[s]) != NIL) {
		const struct roam_db_ent *d = &db->ents[v - 1];

		if (d->hash == h && d->e.kind == kind &&
		    memcmp(d->e.addr, addr, 16) == 0)
			break;
		s = (s + 1) & db->imask;
	}
	return s;
}

/*
 * Empty index slot 's' and shift later members of its cluster back so
 * that no probe breaks (linear probing without tombstones).
 */
static void
idx_remove(struct roam_db *db, uint32_t s)
{
	uint32_t j = s, home, v;

	for (;;) {
		j = (j + 1) & db->imask;
		v = db->idx[j];
		if (v == NIL)
			break;
		home = db->ents[v - 1].hash & db->imask;
		/* Move v back to s unless its home lies cyclically in (s, j]. */
		if ((s < j) ? (home <= s || home > j) : (home <= s && home > j)) {
			db->idx[s] = v;
			s = j;
		}
	}
	db->idx[s] = NIL;
}

/* Remove the entry at array position 'i' and its index slot 's'. */
static void
ent_remove(struct roam_db *db, uint32_t i, uint32_t s)
{
	struct roam_db_ent *d = &db->ents[i];
	uint32_t last = db->n - 1;

	idx_remove(db, s);
	pfx_put(db, d->kp);
	pfx_put(db, d->tp);
	db->n_kind[d->e.kind]--;
	if (i != last) {
		const struct roam_db_ent *m = &db->ents[last];

		/* The last entry moves into the hole: repoint its slot. */
		s = ent_slot(db, m->e.kind, m->e.addr, m->hash);
		db->idx[s] = i + 1;
		*d = *m;
	}
	db->n = last;
}

/* Remove the entry at array position 'i', finding its index slot. */
static void
ent_remove_at(struct roam_db *db, uint32_t i)
{
	const struct roam_db_ent *d = &db->ents[i];

	ent_remove(db, i, ent_slot(db, d->e.kind, d->e.addr, d->hash));
}

int
roam_db_add(struct roam_db *db, unsigned int kind, const uint8_t *addr,
	    const uint8_t *target, uint64_t expires, struct roam_entry *old)
{
	struct roam_db_ent *d;
	uint32_t h, s, v, need;
	int rc;

	if (db == NULL || addr == NULL || target == NULL ||
	    kind >= ROAM_KIND_MAX || expires == 0)
		return -EINVAL;
	h = ent_hash(db, kind, addr);
	s = ent_slot(db, kind, addr, h);
	v = db->idx[s];
	if (v != NIL) {
		d = &db->ents[v - 1];
		rc = pfx_reserve(db, pfx_find(db, target) < 0);
		if (rc < 0)
			return rc;
		if (old != NULL)
			*old = d->e;
		/* A compaction may have renumbered d->tp: put it after. */
		{
			uint16_t tp = pfx_get(db, target);

			pfx_put(db, d->tp);
			d->tp = tp;
		}
		memcpy(d->e.target, target, ROAM_PFX_LEN);
		d->e.expires = expires;
		return 1;
	}
	if (db->n == db->cap)
		return -ENOSPC;
	need = pfx_find(db, addr) < 0;
	if (!roam_pfx_eq(addr, target))
		need += pfx_find(db, target) < 0;
	rc = pfx_reserve(db, need);
	if (rc < 0)
		return rc;
	d = &db->ents[db->n];
	memset(d, 0, sizeof(*d));
	memcpy(d->e.addr, addr, 16);
	memcpy(d->e.target, target, ROAM_PFX_LEN);
	d->e.expires = expires;
	d->e.kind = (uint8_t)kind;
	d->hash = h;
	d->kp = pfx_get(db, addr);
	d->tp = pfx_get(db, target);
	db->idx[s] = ++db->n;
	db->n_kind[kind]++;
	return 0;
}

int
roam_db_del(struct roam_db *db, unsigned int kind, const uint8_t *addr,
	    struct roam_entry *old)
{
	uint32_t s, v;

	if (db == NULL || addr == NULL || kind >= ROAM_KIND_MAX)
		return -ENOENT;
	s = ent_slot(db, kind, addr, ent_hash(db, kind, addr));
	v = db->idx[s];
	if (v == NIL)
		return -ENOENT;
	if (old != NULL)
		*old = db->ents[v - 1].e;
	ent_remove(db, v - 1, s);
	return 0;
}

const struct roam_entry *
roam_db_find(const struct roam_db *db, unsigned int kind, const uint8_t *addr)
{
	uint32_t v;

	if (db == NULL || addr == NULL || kind >= ROAM_KIND_MAX)
		return NULL;
	v = db->idx[ent_slot(db, kind, addr, ent_hash(db, kind, addr))];
	return v == NIL ? NULL : &db->ents[v - 1].e;
}

/* What the bulk deletions select. */
struct sel {
	const uint8_t *target;	/* NULL: any */
	uint64_t now;		/* with 'expired' */
	unsigned int kind;	/* ROAM_KIND_ANY: any */
	int expired;		/* only entries with expires <= now */
};

static int
selected(const struct roam_entry *e, const struct sel *s)
{
	return (s->kind == ROAM_KIND_ANY || e->kind == s->kind) &&
	       (s->target == NULL || roam_pfx_eq(e->target, s->target)) &&
	       (!s->expired || s->now >= e->expires);
}

/* Delete the entries 's' selects, showing each to 'fn' first. */
static uint32_t
remove_selected(struct roam_db *db, const struct sel *s, roam_entry_fn *fn,
		void *arg)
{
	uint32_t i, n = 0;

	/* Backwards: the entry that moves into a hole was seen already. */
	for (i = db->n; i-- > 0;) {
		const struct roam_entry *e = &db->ents[i].e;

		if (!selected(e, s))
			continue;
		if (fn != NULL)
			fn(e, arg);
		ent_remove_at(db, i);
		n++;
	}
	return n;
}

uint32_t
roam_db_del_target(struct roam_db *db, unsigned int kind,
		   const uint8_t *target, roam_entry_fn *fn, void *arg)
{
	const struct sel s = { .target = target, .kind = kind };

	if (db == NULL || target == NULL || kind > ROAM_KIND_ANY)
		return 0;
	return remove_selected(db, &s, fn, arg);
}

uint32_t
roam_db_expire(struct roam_db *db, uint64_t now, roam_entry_fn *fn,
	       void *arg)
{
	const struct sel s = { .now = now, .kind = ROAM_KIND_ANY,
			       .expired = 1 };

	if (db == NULL)
		return 0;
	return remove_selected(db, &s, fn, arg);
}

uint32_t
roam_db_flush(struct roam_db *db, unsigned int kind)
{
	const struct sel s = { .kind = kind };

	if (db == NULL || kind > ROAM_KIND_ANY)
		return 0;
	return remove_selected(db, &s, NULL, NULL);
}

int
roam_db_walk(const struct roam_db *db, roam_walk_fn *fn, void *arg)
{
	uint32_t i;
	int rc;

	if (db == NULL || fn == NULL)
		return 0;
	for (i = 0; i < db->n; i++) {
		rc = fn(&db->ents[i].e, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

uint32_t
roam_db_count(const struct roam_db *db)
{
	return db == NULL ? 0 : db->n;
}

uint32_t
roam_db_count_kind(const struct roam_db *db, unsigned int kind)
{
	return db == NULL || kind >= ROAM_KIND_MAX ? 0 : db->n_kind[kind];
}

uint32_t
roam_db_capacity(const struct roam_db *db)
{
	return db == NULL ? 0 : db->cap;
}

uint32_t
roam_db_prefixes(const struct roam_db *db)
{
	return db == NULL ? 0 : db->plive;
}

const struct roam_db_ent *
roam_db_ents(const struct roam_db *db, uint32_t *n)
{
	*n = db->n;
	return db->ents;
}

const uint8_t (*roam_db_pfx(const struct roam_db *db,
			    uint32_t *n))[ROAM_PFX_LEN]
{
	*n = db->pn;
	return (const uint8_t (*)[ROAM_PFX_LEN])db->pfx;
}

uint64_t
roam_db_seed(const struct roam_db *db)
{
	return db->seed;
}
