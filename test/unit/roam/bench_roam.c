/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Micro-benchmark of lib/roam (meson benchmark "roam", never a test: it
 * prints figures and asserts nothing about time). A PLAT's table of
 * 'entries' (default 64 k, argv[1]) ROAM_FROM entries over 256 node /96s
 * is built; then, in random order, one at a time and in bursts of 32
 * with roam_table_prefetch() first:
 *  - lookups that hit and lookups that miss (same /96s, other clients);
 *  - roam_apply(ROAM_STEP_PLAT_IN2OUT) on 4096 UDP packets (lookup +
 *    /96 rewrite + checksum fix) whose sources are set, before each run,
 *    to the next 4096 keys of the random order: the packets are in cache
 *    (earlier stages touched them), the buckets are not;
 *  - the same with sources that miss.
 * Each figure is the median of RUNS runs, in TSC cycles and ns per
 * operation. Also prints the bytes of the table per entry.
 *
 *   build/test/unit/bench_roam [ENTRIES]
 */
#include "unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "roam.h"
#include "roam_test.h"

#define RUNS	15
#define BURST	32
#define NPKT	4096
#define PKT_STRIDE 128
#define NODES	256

static uint64_t
ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t
tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#else
	return ns_now();
#endif
}

/* Entry 'i' of the pairs: key CLAT(node i % NODES):10.x.y.z. */
static void
addr_of(uint32_t i, int other_side, uint8_t *a)
{
	uint32_t c = i / 2;

	rt_clat(NODE_B, a);
	a[10] = (uint8_t)((c % NODES) + (other_side ? 1 : 0));
	a[11] = other_side ? 0xdd : 0xbb;
	a[12] = 10;
	a[13] = (uint8_t)(c >> 16);
	a[14] = (uint8_t)(c >> 8);
	a[15] = (uint8_t)c;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct fig {
	double cycles, ns;
};

static struct fig
median(double *cy, double *ns)
{
	struct fig f;

	qsort(cy, RUNS, sizeof(*cy), cmp_d);
	qsort(ns, RUNS, sizeof(*ns), cmp_d);
	f.cycles = cy[RUNS / 2];
	f.ns = ns[RUNS / 2];
	return f;
}

static void
print_fig(const char *what, struct fig f)
{
	printf("  %-36s %7.1f cycles %7.1f ns\n", what, f.cycles, f.ns);
}

static volatile uintptr_t sink;

/* Lookups of 'keys' ('n' of 16 bytes), one at a time or in bursts. */
static struct fig
bench_lookup(const struct roam_table *t, const uint8_t *keys, uint32_t n,
	     int burst)
{
	double cy[RUNS], ns[RUNS];
	uintptr_t acc = 0;
	uint32_t i, j;
	int r;

	for (r = 0; r < RUNS; r++) {
		uint64_t c0 = tsc(), t0 = ns_now();

		if (!burst) {
			for (i = 0; i < n; i++)
				acc ^= (uintptr_t)roam_table_lookup(t,
					ROAM_FROM, keys + 16 * (size_t)i, 1);
		} else {
			for (i = 0; i + BURST <= n; i += BURST) {
				for (j = 0; j < BURST; j++)
					roam_table_prefetch(t, ROAM_FROM,
						keys + 16 * (size_t)(i + j));
				for (j = 0; j < BURST; j++)
					acc ^= (uintptr_t)roam_table_lookup(t,
						ROAM_FROM,
						keys + 16 * (size_t)(i + j), 1);
			}
		}
		cy[r] = (double)(tsc() - c0) / n;
		ns[r] = (double)(ns_now() - t0) / n;
	}
	sink = acc;
	return median(cy, ns);
}

/*
 * roam_apply over the NPKT packets. Before each run (not timed) the
 * packets get the source addresses of the next NPKT 'keys', as the
 * stages before would have touched their headers: the packets are in
 * cache, the table's buckets are not, as on a worker.
 */
static struct fig
bench_apply(const struct roam_table *t, uint8_t *pkts, uint32_t len,
	    const uint8_t *keys, uint32_t n, uint64_t *hits)
{
	double cy[RUNS], ns[RUNS];
	uint32_t i;
	int r, m;

	*hits = 0;
	for (r = 0; r < RUNS; r++) {
		uint64_t c0, t0;

		for (i = 0; i < NPKT; i++)
			memcpy(pkts + (size_t)i * PKT_STRIDE + 8, keys + 16 *
			       (((size_t)r * NPKT + i) % n), 16);
		c0 = tsc();
		t0 = ns_now();

		for (i = 0; i < NPKT; i++) {
			if (roam_apply(t, ROAM_STEP_PLAT_IN2OUT, NULL, 1,
				       pkts + (size_t)i * PKT_STRIDE, len,
				       &m) != PKT_DROP_NONE)
				abort();
			*hits += (uint64_t)m;
		}
		cy[r] = (double)(tsc() - c0) / NPKT;
		ns[r] = (double)(ns_now() - t0) / NPKT;
	}
	return median(cy, ns);
}

int
main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 65536;
	uint8_t a[16], b[16], server[16], platc[12], *hit, *miss, *pkts;
	struct roam_db *db;
	struct roam_table *t;
	uint32_t i, rnd = 2026, len = 0;
	uint64_t hits, t0;

	n &= ~1u;
	if (n < 2 || n > ROAM_CAPACITY_MAX) {
		fprintf(stderr, "bench_roam: ENTRIES 2..%u\n",
			ROAM_CAPACITY_MAX);
		return 1;
	}
	db = roam_db_create(n, 0x5eed5eed5eedULL);
	hit = malloc(16 * (size_t)n);
	miss = malloc(16 * (size_t)n);
	pkts = malloc((size_t)NPKT * PKT_STRIDE);
	if (db == NULL || hit == NULL || miss == NULL || pkts == NULL) {
		fprintf(stderr, "bench_roam: out of memory\n");
		return 1;
	}
	t0 = ns_now();
	for (i = 0; i < n; i += 2) {
		addr_of(i, 0, a);
		addr_of(i, 1, b);
		/* rofromD both ways round: a packet flips at each pass. */
		if (roam_db_add(db, ROAM_FROM, a, b, 1000, NULL) != 0 ||
		    roam_db_add(db, ROAM_FROM, b, a, 1000, NULL) != 0)
			abort();
	}
	printf("roam bench: %u entries, %u /96s, db filled in %.1f ms\n", n,
	       roam_db_prefixes(db), (double)(ns_now() - t0) / 1e6);
	t0 = ns_now();
	t = roam_table_build(db);
	if (t == NULL)
		abort();
	printf("  table: built in %.1f ms, %zu bytes, %.1f bytes per entry\n",
	       (double)(ns_now() - t0) / 1e6, roam_table_size(t),
	       (double)roam_table_size(t) / n);

	/* Keys in random order; misses: the same /96s, other clients. */
	for (i = 0; i < n; i++)
		addr_of(i, i & 1, hit + 16 * (size_t)i);
	for (i = n - 1; i > 0; i--) {
		uint32_t j = unit_rand(&rnd) % (i + 1);

		memcpy(a, hit + 16 * (size_t)i, 16);
		memcpy(hit + 16 * (size_t)i, hit + 16 * (size_t)j, 16);
		memcpy(hit + 16 * (size_t)j, a, 16);
	}
	for (i = 0; i < n; i++) {
		memcpy(miss + 16 * (size_t)i, hit + 16 * (size_t)i, 16);
		miss[16 * (size_t)i + 12] = 11;
	}
	for (i = 0; i < n; i++)
		if (roam_table_lookup(t, ROAM_FROM, hit + 16 * (size_t)i, 1) ==
		    NULL ||
		    roam_table_lookup(t, ROAM_FROM, miss + 16 * (size_t)i, 1)
		    != NULL)
			abort();

	printf("  lookups, random order, median of %d runs:\n", RUNS);
	print_fig("hit", bench_lookup(t, hit, n, 0));
	print_fig("miss", bench_lookup(t, miss, n, 0));
	print_fig("hit, bursts of 32 prefetched", bench_lookup(t, hit, n, 1));
	print_fig("miss, bursts of 32 prefetched",
		  bench_lookup(t, miss, n, 1));

	/* UDP packets from random clients (18 bytes of data: 66 bytes). */
	rt_plat(NODE_C, platc);
	rt_addr(platc, RT_SERVER, server);
	for (i = 0; i < NPKT; i++)
		len = rt_pkt(pkts + (size_t)i * PKT_STRIDE,
			     hit + 16 * (size_t)(unit_rand(&rnd) % n), server,
			     PKT_PROTO_UDP, (uint16_t)(1024 + i), 53, 18);
	printf("  roam_apply on %u UDP packets of %u bytes:\n", NPKT, len);
	print_fig("lookup + rewrite (hit)",
		  bench_apply(t, pkts, len, hit, n, &hits));
	if (hits != (uint64_t)NPKT * RUNS)
		abort();
	print_fig("lookup only (miss)",
		  bench_apply(t, pkts, len, miss, n, &hits));
	if (hits != 0)
		abort();

	roam_table_free(t);
	roam_db_free(db);
	free(hit);
	free(miss);
	free(pkts);
	return 0;
}
