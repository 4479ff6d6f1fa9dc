/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/roam db.c and table.c: add, replace, delete, delete by target (the
 * PLAT is gone), expiry (at once in the table, listed by
 * roam_db_expire()), a full db, the /96 prefix limit and its compaction,
 * random churn against a plain reference model, and 64 k entries all
 * found while absent keys are not.
 */
#include "unit.h"

#include <errno.h>
#include <stdlib.h>

#include "roam.h"
#include "roam_test.h"

#define SEED	0x0123456789abcdefULL

/* Key (node's CLAT /96 + IPv4 a.b.c.d from 'i') into 'a'. */
static void
key(int node, uint32_t i, uint8_t *a)
{
	rt_clat(node, a);
	a[12] = 10;
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

static void
test_db_create_rejects_bad_capacity(void **state)
{
	(void)state;
	errno = 0;
	assert_null(roam_db_create(0, SEED));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(roam_db_create(ROAM_CAPACITY_MAX + 1, SEED));
	assert_int_equal(errno, EINVAL);
	roam_db_free(NULL);
	roam_table_free(NULL);
	assert_string_equal(roam_kind_name(ROAM_CLAT), "clat");
	assert_string_equal(roam_kind_name(ROAM_FROM), "from");
	assert_string_equal(roam_kind_name(ROAM_TO), "to");
	assert_string_equal(roam_kind_name(ROAM_KIND_MAX), "?");
}

/* Adding a key that exists replaces target and expiry, reporting the old. */
static void
test_db_add_replace_find_del(void **state)
{
	struct roam_db *db = roam_db_create(8, SEED);
	uint8_t a[16], platc[12], plate[12];
	const struct roam_entry *e;
	struct roam_entry old;

	(void)state;
	assert_non_null(db);
	key(NODE_B, 23, a);
	rt_plat(NODE_C, platc);
	rt_plat(NODE_E, plate);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, platc, 100, NULL), 0);
	assert_int_equal(roam_db_count(db), 1);
	e = roam_db_find(db, ROAM_CLAT, a);
	assert_non_null(e);
	assert_memory_equal(e->target, platc, 12);
	assert_int_equal(e->expires, 100);
	/* The same address under another kind is another key. */
	assert_null(roam_db_find(db, ROAM_FROM, a));

	memset(&old, 0, sizeof(old));
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, plate, 200, &old), 1);
	assert_memory_equal(old.target, platc, 12);
	assert_memory_equal(old.addr, a, 16);
	assert_int_equal(old.expires, 100);
	assert_int_equal(old.kind, ROAM_CLAT);
	assert_int_equal(roam_db_count(db), 1);
	e = roam_db_find(db, ROAM_CLAT, a);
	assert_memory_equal(e->target, plate, 12);
	assert_int_equal(e->expires, 200);
	/* PLAT C is no longer referenced: only B's CLAT /96 and PLAT E. */
	assert_int_equal(roam_db_prefixes(db), 2);

	assert_int_equal(roam_db_del(db, ROAM_FROM, a, NULL), -ENOENT);
	assert_int_equal(roam_db_del(db, ROAM_CLAT, a, &old), 0);
	assert_memory_equal(old.target, plate, 12);
	assert_int_equal(roam_db_del(db, ROAM_CLAT, a, NULL), -ENOENT);
	assert_int_equal(roam_db_count(db), 0);
	assert_int_equal(roam_db_prefixes(db), 0);
	roam_db_free(db);
}

static void
test_db_add_rejects_bad_arguments(void **state)
{
	struct roam_db *db = roam_db_create(4, SEED);
	uint8_t a[16], t[12];

	(void)state;
	key(NODE_B, 1, a);
	rt_plat(NODE_C, t);
	assert_int_equal(roam_db_add(db, ROAM_KIND_MAX, a, t, 5, NULL),
			 -EINVAL);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 0, NULL), -EINVAL);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, NULL, t, 5, NULL),
			 -EINVAL);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, NULL, 5, NULL),
			 -EINVAL);
	assert_int_equal(roam_db_add(NULL, ROAM_CLAT, a, t, 5, NULL),
			 -EINVAL);
	assert_int_equal(roam_db_count(db), 0);
	roam_db_free(db);
}

/* A full db refuses new keys, unchanged, but still replaces and deletes. */
static void
test_db_full_is_enospc_and_unchanged(void **state)
{
	struct roam_db *db = roam_db_create(3, SEED);
	uint8_t a[16], t[12];
	uint32_t i;

	(void)state;
	rt_plat(NODE_C, t);
	assert_int_equal(roam_db_capacity(db), 3);
	for (i = 0; i < 3; i++) {
		key(NODE_B, i, a);
		assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 10, NULL), 0);
	}
	key(NODE_B, 3, a);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 10, NULL), -ENOSPC);
	assert_int_equal(roam_db_count(db), 3);
	assert_null(roam_db_find(db, ROAM_CLAT, a));
	key(NODE_B, 1, a);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 20, NULL), 1);
	assert_int_equal(roam_db_del(db, ROAM_CLAT, a, NULL), 0);
	key(NODE_B, 3, a);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 10, NULL), 0);
	assert_int_equal(roam_db_count(db), 3);
	roam_db_free(db);
}

/* A full db of one entry still takes a new target for it. */
static void
test_db_full_replace_with_new_target(void **state)
{
	struct roam_db *db = roam_db_create(1, SEED);
	uint8_t a[16], t[12];
	uint32_t i;

	(void)state;
	key(NODE_B, 1, a);
	for (i = 0; i < N_NODES; i++) {
		rt_plat((int)i, t);
		assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 10, NULL),
				 i == 0 ? 0 : 1);
		assert_memory_equal(roam_db_find(db, ROAM_CLAT, a)->target, t,
				    12);
		assert_int_equal(roam_db_prefixes(db), 2);
	}
	roam_db_free(db);
}

struct seen {
	struct roam_entry e[16];
	unsigned int n;
};

static void
record(const struct roam_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 16)
		s->e[s->n] = *e;
	s->n++;
}

static int
seen_has(const struct seen *s, unsigned int kind, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < s->n && i < 16; i++)
		if (s->e[i].kind == kind && memcmp(s->e[i].addr, a, 16) == 0)
			return 1;
	return 0;
}

/*
 * Seed 003, del_platprefix: PLAT C is gone, every client pinned to it
 * loses its entry (and is reported); clients on PLAT E and the PLAT's
 * own kinds stay.
 */
static void
test_db_del_target_removes_only_that_plat(void **state)
{
	struct roam_db *db = roam_db_create(16, SEED);
	uint8_t a[16], platc[12], plate[12];
	struct roam_table *t;
	struct seen s = { .n = 0 };
	uint32_t i;

	(void)state;
	rt_plat(NODE_C, platc);
	rt_plat(NODE_E, plate);
	for (i = 0; i < 6; i++) {
		key(NODE_B, i, a);
		assert_int_equal(roam_db_add(db, ROAM_CLAT, a,
					     i % 2 ? plate : platc, 50, NULL),
				 0);
	}
	/* A FROM entry whose target happens to equal PLAT C's bytes. */
	key(NODE_B, 100, a);
	assert_int_equal(roam_db_add(db, ROAM_FROM, a, platc, 50, NULL), 0);

	assert_int_equal(roam_db_del_target(db, ROAM_CLAT, platc, record, &s),
			 3);
	assert_int_equal(s.n, 3);
	for (i = 0; i < 6; i++) {
		key(NODE_B, i, a);
		assert_int_equal(roam_db_find(db, ROAM_CLAT, a) == NULL,
				 i % 2 == 0);
		assert_int_equal(seen_has(&s, ROAM_CLAT, a), i % 2 == 0);
	}
	assert_int_equal(roam_db_count(db), 4);
	assert_int_equal(roam_db_count_kind(db, ROAM_CLAT), 3);
	assert_int_equal(roam_db_count_kind(db, ROAM_FROM), 1);
	t = roam_table_build(db);
	key(NODE_B, 0, a);
	assert_null(roam_table_lookup(t, ROAM_CLAT, a, 1));
	key(NODE_B, 1, a);
	assert_memory_equal(roam_table_lookup(t, ROAM_CLAT, a, 1), plate, 12);
	roam_table_free(t);

	/* ROAM_KIND_ANY reaches the FROM entry too. */
	assert_int_equal(roam_db_del_target(db, ROAM_KIND_ANY, platc, NULL,
					    NULL), 1);
	assert_int_equal(roam_db_del_target(db, ROAM_KIND_ANY, platc, NULL,
					    NULL), 0);
	assert_int_equal(roam_db_count(db), 3);
	assert_int_equal(roam_db_flush(db, ROAM_FROM), 0);
	assert_int_equal(roam_db_flush(db, ROAM_KIND_ANY), 3);
	assert_int_equal(roam_db_count(db), 0);
	roam_db_free(db);
}

/*
 * An entry is there while now < expires: a table built before its time
 * stops finding it at that very time, with no writer; roam_db_expire()
 * then removes and lists exactly the entries whose time has come.
 */
static void
test_db_expiry_in_table_at_once_and_listed(void **state)
{
	struct roam_db *db = roam_db_create(8, SEED);
	uint8_t a[16], t4[12];
	struct roam_table *t;
	struct seen s = { .n = 0 };
	uint32_t i;

	(void)state;
	rt_plat(NODE_C, t4);
	for (i = 0; i < 5; i++) {
		key(NODE_B, i, a);
		/* Leases end at 100, 200, ... 500. */
		assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t4,
					     100 * (i + 1), NULL), 0);
	}
	t = roam_table_build(db);
	assert_non_null(t);
	key(NODE_B, 0, a);
	assert_non_null(roam_table_lookup(t, ROAM_CLAT, a, 0));
	assert_non_null(roam_table_lookup(t, ROAM_CLAT, a, 99));
	assert_null(roam_table_lookup(t, ROAM_CLAT, a, 100));
	assert_null(roam_table_lookup(t, ROAM_CLAT, a, UINT64_MAX));
	key(NODE_B, 2, a);
	assert_non_null(roam_table_lookup(t, ROAM_CLAT, a, 299));
	assert_null(roam_table_lookup(t, ROAM_CLAT, a, 300));

	assert_int_equal(roam_db_expire(db, 99, record, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(roam_db_expire(db, 300, record, &s), 3);
	assert_int_equal(s.n, 3);
	for (i = 0; i < 5; i++) {
		key(NODE_B, i, a);
		assert_int_equal(seen_has(&s, ROAM_CLAT, a), i < 3);
		assert_int_equal(roam_db_find(db, ROAM_CLAT, a) == NULL, i < 3);
	}
	assert_int_equal(s.e[0].expires <= 300, 1);
	assert_int_equal(roam_db_count(db), 2);
	/* The old table is a snapshot: still its own entries and times. */
	key(NODE_B, 4, a);
	assert_non_null(roam_table_lookup(t, ROAM_CLAT, a, 499));
	roam_table_free(t);
	roam_db_free(db);
}

static int
count_walk(const struct roam_entry *e, void *arg)
{
	unsigned int *n = arg;

	(void)e;
	return ++*n == 3 ? 42 : 0;
}

static void
test_db_walk_visits_and_stops(void **state)
{
	struct roam_db *db = roam_db_create(8, SEED);
	uint8_t a[16], t[12];
	unsigned int n = 0;
	uint32_t i;

	(void)state;
	rt_plat(NODE_C, t);
	for (i = 0; i < 5; i++) {
		key(NODE_B, i, a);
		roam_db_add(db, ROAM_CLAT, a, t, 9, NULL);
	}
	assert_int_equal(roam_db_walk(db, count_walk, &n), 42);
	assert_int_equal(n, 3);
	roam_db_free(db);
}

/*
 * One db holds at most ROAM_PFX_MAX distinct /96s (keys' and targets').
 * Past that, -ENOBUFS and no change; prefixes no longer used are
 * reclaimed (the db compacts them), and every entry still maps right.
 */
static void
test_db_prefix_limit_and_compaction(void **state)
{
	const uint32_t n = ROAM_PFX_MAX / 2;	/* 2 new /96s each */
	struct roam_db *db = roam_db_create(n + 10, SEED);
	uint8_t a[16], t[12];
	struct roam_table *tb;
	uint32_t i;

	(void)state;
	assert_non_null(db);
	for (i = 0; i < n; i++) {
		memset(a, 0, 16);
		a[0] = 0xfd;
		a[4] = (uint8_t)(i >> 8);
		a[5] = (uint8_t)i;
		a[15] = 1;
		memset(t, 0, 12);
		t[0] = 0x20;
		t[4] = (uint8_t)(i >> 8);
		t[5] = (uint8_t)i;
		assert_int_equal(roam_db_add(db, ROAM_FROM, a, t, 10, NULL), 0);
	}
	assert_int_equal(roam_db_prefixes(db), 2 * n);
	/* One more entry with two new /96s does not fit ... */
	memset(a, 0xee, 16);
	memset(t, 0xef, 12);
	assert_int_equal(roam_db_add(db, ROAM_FROM, a, t, 10, NULL), -ENOBUFS);
	assert_int_equal(roam_db_count(db), n);
	/* ... but one whose /96s are known does. */
	memset(a, 0, 16);
	a[0] = 0xfd;
	a[15] = 2;
	memset(t, 0, 12);
	t[0] = 0x20;
	t[5] = 1;
	assert_int_equal(roam_db_add(db, ROAM_FROM, a, t, 10, NULL), 0);
	/* Delete two entries: their four /96s go, room for the new one. */
	for (i = 100; i < 102; i++) {
		memset(a, 0, 16);
		a[0] = 0xfd;
		a[4] = (uint8_t)(i >> 8);
		a[5] = (uint8_t)i;
		a[15] = 1;
		assert_int_equal(roam_db_del(db, ROAM_FROM, a, NULL), 0);
	}
	memset(a, 0xee, 16);
	memset(t, 0xef, 12);
	assert_int_equal(roam_db_add(db, ROAM_FROM, a, t, 10, NULL), 0);

	tb = roam_table_build(db);
	assert_non_null(tb);
	assert_memory_equal(roam_table_lookup(tb, ROAM_FROM, a, 1), t, 12);
	for (i = 0; i < n; i++) {
		const uint8_t *got;

		memset(a, 0, 16);
		a[0] = 0xfd;
		a[4] = (uint8_t)(i >> 8);
		a[5] = (uint8_t)i;
		a[15] = 1;
		memset(t, 0, 12);
		t[0] = 0x20;
		t[4] = (uint8_t)(i >> 8);
		t[5] = (uint8_t)i;
		got = roam_table_lookup(tb, ROAM_FROM, a, 1);
		if (i == 100 || i == 101) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_memory_equal(got, t, 12);
	}
	roam_table_free(tb);
	roam_db_free(db);
}

/* Random adds, replaces and deletes against a plain array model. */
#define CH_KEYS		300
#define CH_OPS		30000

struct model {
	uint8_t live[ROAM_KIND_MAX][CH_KEYS];
	uint8_t tgt[ROAM_KIND_MAX][CH_KEYS];
	uint64_t exp[ROAM_KIND_MAX][CH_KEYS];
};

static void
ch_key(uint32_t i, uint8_t *a)
{
	/* Few /96s and many clients: what a mesh looks like. */
	key((int)(i % 3), i / 3, a);
}

static void
ch_tgt(uint32_t v, uint8_t *t)
{
	rt_plat((int)(v % N_NODES), t);
	t[10] = (uint8_t)(v / N_NODES);
}

static void
test_db_random_churn_matches_model(void **state)
{
	struct roam_db *db = roam_db_create(CH_KEYS * 2, SEED);
	struct model *m = calloc(1, sizeof(*m));
	uint32_t rnd = 12345, op, k, i, n;
	uint8_t a[16], t[12];

	(void)state;
	assert_non_null(db);
	assert_non_null(m);
	for (op = 0; op < CH_OPS; op++) {
		uint32_t r = unit_rand(&rnd);
		unsigned int kind = r % ROAM_KIND_MAX;
		uint64_t now = op;

		i = (r >> 4) % CH_KEYS;
		ch_key(i, a);
		switch ((r >> 16) % 8) {
		case 0: case 1: case 2: case 3: {
			uint8_t v = (uint8_t)((r >> 20) % 12);
			int rc;

			ch_tgt(v, t);
			rc = roam_db_add(db, kind, a, t, now + 1 + (r >> 24),
					 NULL);
			if (m->live[kind][i])
				assert_int_equal(rc, 1);
			else
				assert_int_equal(rc, 0);
			m->live[kind][i] = 1;
			m->tgt[kind][i] = v;
			m->exp[kind][i] = now + 1 + (r >> 24);
			break;
		}
		case 4: case 5:
			assert_int_equal(roam_db_del(db, kind, a, NULL),
					 m->live[kind][i] ? 0 : -ENOENT);
			m->live[kind][i] = 0;
			break;
		case 6: {
			uint32_t want = 0;

			for (k = 0; k < CH_KEYS; k++)
				if (m->live[kind][k] &&
				    m->exp[kind][k] <= now) {
					m->live[kind][k] = 0;
					want++;
				}
			/* expire covers every kind: do them all. */
			for (k = 0; k < CH_KEYS; k++) {
				unsigned int kk;

				for (kk = 0; kk < ROAM_KIND_MAX; kk++)
					if (kk != kind && m->live[kk][k] &&
					    m->exp[kk][k] <= now) {
						m->live[kk][k] = 0;
						want++;
					}
			}
			assert_int_equal(roam_db_expire(db, now, NULL, NULL),
					 want);
			break;
		}
		default: {
			uint8_t v = (uint8_t)((r >> 20) % 12);
			uint32_t want = 0;

			if ((r >> 28) != 0)
				break;	/* rarely: it empties a lot */
			ch_tgt(v, t);
			for (k = 0; k < CH_KEYS; k++)
				if (m->live[kind][k] && m->tgt[kind][k] == v) {
					m->live[kind][k] = 0;
					want++;
				}
			assert_int_equal(roam_db_del_target(db, kind, t, NULL,
							    NULL), want);
			break;
		}
		}
		if (op % 1000 != 999)
			continue;
		/* Every so often: the db and a fresh table agree with m. */
		{
			struct roam_table *tb = roam_table_build(db);
			unsigned int kk;

			n = 0;
			for (kk = 0; kk < ROAM_KIND_MAX; kk++)
				for (k = 0; k < CH_KEYS; k++) {
					const struct roam_entry *e;
					const uint8_t *got;

					ch_key(k, a);
					e = roam_db_find(db, kk, a);
					got = roam_table_lookup(tb, kk, a, 0);
					if (!m->live[kk][k]) {
						assert_null(e);
						assert_null(got);
						continue;
					}
					n++;
					ch_tgt(m->tgt[kk][k], t);
					assert_non_null(e);
					assert_memory_equal(e->target, t, 12);
					assert_int_equal(e->expires,
							 m->exp[kk][k]);
					assert_non_null(got);
					assert_memory_equal(got, t, 12);
				}
			assert_int_equal(roam_db_count(db), n);
			assert_int_equal(roam_table_count(tb), n);
			roam_table_free(tb);
		}
	}
	roam_db_free(db);
	free(m);
}

/*
 * 64 k entries of the three kinds from a few hundred nodes: all found
 * with their targets; absent keys (another client, another node's /96 with
 * a known client, another kind) are not. The table stays within 48 bytes
 * per entry.
 */
#define BIG	65536u

static void
big_key(uint32_t i, uint8_t *a)
{
	key((int)(i % N_NODES), 0, a);
	a[11] ^= (uint8_t)((i / N_NODES) % 200);	/* 1000 CLAT /96s */
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

static void
test_db_64k_entries_all_found_absent_not(void **state)
{
	struct roam_db *db = roam_db_create(BIG, SEED);
	struct roam_table *tb;
	uint8_t a[16], t[12];
	uint32_t i;
	size_t per;

	(void)state;
	assert_non_null(db);
	for (i = 0; i < BIG; i++) {
		big_key(i, a);
		rt_plat((int)(i % N_NODES), t);
		assert_int_equal(roam_db_add(db, i % ROAM_KIND_MAX, a, t,
					     1000 + i, NULL), 0);
	}
	big_key(0, a);
	rt_plat(NODE_E, t);
	assert_int_equal(roam_db_add(db, ROAM_CLAT, a, t, 5, NULL), 1);
	big_key(BIG, a);
	assert_int_equal(roam_db_add(db, ROAM_TO, a, t, 5, NULL), -ENOSPC);
	tb = roam_table_build(db);
	assert_non_null(tb);
	assert_int_equal(roam_table_count(tb), BIG);
	per = roam_table_size(tb) / BIG;
	print_message("table: %zu bytes, %zu per entry, %u /96s\n",
		      roam_table_size(tb), per, roam_db_prefixes(db));
	assert_true(per <= 48);
	big_key(0, a);
	rt_plat(NODE_E, t);
	assert_memory_equal(roam_table_lookup(tb, ROAM_CLAT, a, 4), t, 12);
	for (i = 1; i < BIG; i++) {
		const uint8_t *got;

		big_key(i, a);
		rt_plat((int)(i % N_NODES), t);
		got = roam_table_lookup(tb, i % ROAM_KIND_MAX, a, 1000);
		assert_non_null(got);
		assert_memory_equal(got, t, 12);
		/* Expired at its own time. */
		assert_null(roam_table_lookup(tb, i % ROAM_KIND_MAX, a,
					      1000 + i));
		/* Another kind. */
		assert_null(roam_table_lookup(tb, (i + 1) % ROAM_KIND_MAX, a,
					      0));
		/* The same client under another node's /96. */
		a[6] ^= 0x40;
		assert_null(roam_table_lookup(tb, i % ROAM_KIND_MAX, a, 0));
		a[6] ^= 0x40;
		/* Another client under the same /96. */
		a[12] = 11;
		assert_null(roam_table_lookup(tb, i % ROAM_KIND_MAX, a, 0));
	}
	roam_table_free(tb);
	roam_db_free(db);
}

/* An empty db builds a table that finds nothing. */
static void
test_table_empty(void **state)
{
	struct roam_db *db = roam_db_create(1, SEED);
	struct roam_table *tb = roam_table_build(db);
	uint8_t a[16];

	(void)state;
	assert_non_null(tb);
	key(NODE_B, 1, a);
	assert_null(roam_table_lookup(tb, ROAM_CLAT, a, 0));
	assert_null(roam_table_lookup(tb, ROAM_KIND_MAX, a, 0));
	assert_null(roam_table_lookup(NULL, ROAM_CLAT, a, 0));
	roam_table_prefetch(tb, ROAM_CLAT, a);
	assert_int_equal(roam_table_count(tb), 0);
	roam_table_free(tb);
	roam_db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_create_rejects_bad_capacity),
		cmocka_unit_test(test_db_add_replace_find_del),
		cmocka_unit_test(test_db_add_rejects_bad_arguments),
		cmocka_unit_test(test_db_full_is_enospc_and_unchanged),
		cmocka_unit_test(test_db_full_replace_with_new_target),
		cmocka_unit_test(test_db_del_target_removes_only_that_plat),
		cmocka_unit_test(test_db_expiry_in_table_at_once_and_listed),
		cmocka_unit_test(test_db_walk_visits_and_stops),
		cmocka_unit_test(test_db_prefix_limit_and_compaction),
		cmocka_unit_test(test_db_random_churn_matches_model),
		cmocka_unit_test(test_db_64k_entries_all_found_absent_not),
		cmocka_unit_test(test_table_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
