/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Micro-benchmark of lib/nat64 (meson benchmark "nat64", never a test:
 * it prints figures and asserts nothing about time). One shard of
 * 'sessions' capacity (default 1 M, argv[1]) is filled with UDP flows,
 * 16 per client, on a 100.64.0.0/20 pool; then established flows are
 * looked up in random order, in2out and out2in, one at a time and in
 * bursts of 32 through the bulk calls. Prints the setup rate, ns and TSC
 * cycles per lookup, and the bytes allocated per session of capacity.
 *
 *   build/test/unit/bench_nat64 [SESSIONS [bulk]]
 *
 * "bulk" skips the one-at-a-time loops (for profiling the bulk path).
 */
#include "unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nat64.h"

#define BURST		32
#define ROUNDS		4
#define FLOWS_PER_CLIENT 16

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

static void
flow(uint32_t i, struct nat64_tuple6 *t)
{
	uint32_t c = i / FLOWS_PER_CLIENT;

	memset(t, 0, sizeof(*t));
	t->addr6[0] = 0xfd;
	t->addr6[1] = 0xdd;
	t->addr6[2] = 0x13;
	t->addr6[3] = 0x37;
	t->addr6[12] = 10;
	t->addr6[13] = (uint8_t)(c >> 16);
	t->addr6[14] = (uint8_t)(c >> 8);
	t->addr6[15] = (uint8_t)c;
	t->port6 = (uint16_t)(20000 + i % FLOWS_PER_CLIENT);
	t->rem4 = 0xc6336400u + (i % 251);	/* 198.51.100.x */
	t->rport = 443;
	t->proto = 17;
}

/* How much of the process sits on transparent huge pages (Linux). */
static void
print_huge(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "AnonHugePages:", 14) == 0)
			printf("  huge pages: %s", line + 14 + strspn(line + 14,
								      " "));
	fclose(f);
}

struct fig {
	double ns;
	double cycles;
};

static void
print_fig(const char *what, struct fig f)
{
	printf("  %-28s %7.1f ns %7.1f cycles\n", what, f.ns, f.cycles);
}

int
main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1u << 20;
	int only_bulk = argc > 2 && strcmp(argv[2], "bulk") == 0;
	struct nat64_tuple6 *t6, o6[BURST];
	struct nat64_tuple4 *t4, o4[BURST];
	uint8_t flags[BURST], v[BURST];
	struct nat64_shard *sh;
	struct nat64_cfg c;
	struct nat64_stats st;
	uint32_t seed = 1, i, k;
	uint64_t now = 1000000000ULL, t0, c0, ns, cy, bad = 0;
	struct fig single6, bulk6, single4, bulk4;

	if (n < 1024)
		n = 1024;
	nat64_cfg_init(&c);
	c.n_pool4 = 1;
	c.pool4[0].addr = 0x64400000u;	/* 100.64.0.0/20 */
	c.pool4[0].len = 20;
	c.pool4[0].protos = NAT64_PROTO_ALL;
	c.pool4[0].port_lo = 1024;
	c.pool4[0].port_hi = 65535;
	c.max_sessions = n;
	c.max_blocks_per_client = 1;
	sh = nat64_shard_create(&c, 0, 1, n);
	t6 = calloc(n, sizeof(*t6));
	t4 = calloc(n, sizeof(*t4));
	if (sh == NULL || t6 == NULL || t4 == NULL) {
		fprintf(stderr, "bench_nat64: out of memory for %u sessions\n",
			n);
		return 1;
	}
	memset(flags, 0, sizeof(flags));

	/* Setup: every flow is a miss that creates a session, a BIB entry
	 * and, every 16th, a client and a block. */
	t0 = ns_now();
	c0 = tsc();
	for (i = 0; i < n; i++) {
		flow(i, &t6[i]);
		if (nat64_in2out(sh, &t6[i], 0, now, &o4[0]) != NAT64_OK)
			bad++;
		t4[i].addr4 = o4[0].addr4;
		t4[i].port4 = o4[0].port4;
		t4[i].rem4 = o4[0].rem4;
		t4[i].rport = o4[0].rport;
		t4[i].proto = o4[0].proto;
	}
	cy = tsc() - c0;
	ns = ns_now() - t0;
	nat64_shard_stats(sh, &st);
	printf("nat64 bench: %u sessions (%" PRIu64 " BIB entries, %" PRIu64
	       " clients, %" PRIu64 " blocks), %" PRIu64 " refused\n",
	       n, st.bibs[NAT64_I_UDP], st.clients, st.blocks[NAT64_I_UDP],
	       bad);
	printf("  memory: %zu bytes, %zu bytes per session of capacity\n",
	       nat64_shard_mem(sh), nat64_mem_per_session(sh));
	print_huge();
	printf("  setup: %.2f M sessions/s, %.1f ns %.1f cycles each\n",
	       n / (ns / 1e3), (double)ns / n, (double)cy / n);

	/* Shuffle the flows once (Fisher-Yates, both arrays alike), so that
	 * the timed loops read their tuples sequentially, as a worker finds
	 * headers in cache after rx, and only the tables are random. */
	for (i = n - 1; i > 0; i--) {
		uint32_t j = unit_rand(&seed) % (i + 1);
		struct nat64_tuple6 a = t6[i];
		struct nat64_tuple4 b = t4[i];

		t6[i] = t6[j];
		t4[i] = t4[j];
		t6[j] = a;
		t4[j] = b;
	}

	/* Established flows, random order: one at a time ... */
	now += 1000;
	memset(&single6, 0, sizeof(single6));
	memset(&single4, 0, sizeof(single4));
	if (only_bulk)
		goto bulk;
	t0 = ns_now();
	c0 = tsc();
	for (k = 0; k < ROUNDS; k++)
		for (i = 0; i < n; i++)
			bad += nat64_in2out(sh, &t6[i], 0, now,
					    &o4[0]) != NAT64_OK;
	single6.cycles = (double)(tsc() - c0) / ((double)n * ROUNDS);
	single6.ns = (double)(ns_now() - t0) / ((double)n * ROUNDS);
	t0 = ns_now();
	c0 = tsc();
	for (k = 0; k < ROUNDS; k++)
		for (i = 0; i < n; i++)
			bad += nat64_out2in(sh, &t4[i], 0, now, NULL,
					    &o6[0]) != NAT64_OK;
	single4.cycles = (double)(tsc() - c0) / ((double)n * ROUNDS);
	single4.ns = (double)(ns_now() - t0) / ((double)n * ROUNDS);

	/* ... and in bursts through the staged-prefetch bulk calls. */
bulk:
	{
		uint32_t j;

		t0 = ns_now();
		c0 = tsc();
		for (k = 0; k < ROUNDS; k++)
			for (i = 0; i + BURST <= n; i += BURST) {
				nat64_in2out_bulk(sh, &t6[i], flags, BURST, now,
						  o4, v);
				for (j = 0; j < BURST; j++)
					bad += v[j] != NAT64_OK;
			}
		bulk6.cycles = (double)(tsc() - c0) / ((double)n * ROUNDS);
		bulk6.ns = (double)(ns_now() - t0) / ((double)n * ROUNDS);
		t0 = ns_now();
		c0 = tsc();
		for (k = 0; k < ROUNDS; k++)
			for (i = 0; i + BURST <= n; i += BURST) {
				nat64_out2in_bulk(sh, &t4[i], flags, BURST, now,
						  NULL, o6, v);
				for (j = 0; j < BURST; j++)
					bad += v[j] != NAT64_OK;
			}
		bulk4.cycles = (double)(tsc() - c0) / ((double)n * ROUNDS);
		bulk4.ns = (double)(ns_now() - t0) / ((double)n * ROUNDS);
	}
	printf("  established flows, random order (%u rounds):\n", ROUNDS);
	print_fig("in2out, one at a time", single6);
	print_fig("in2out, bulk of 32", bulk6);
	print_fig("out2in, one at a time", single4);
	print_fig("out2in, bulk of 32", bulk4);
	printf("  lookups that missed: %" PRIu64 "\n", bad);

	/* Expiry of everything, for the record. */
	t0 = ns_now();
	for (i = 0; nat64_shard_expire(sh, now + 400000, 1u << 20) != 0; i++)
		;
	printf("  expiry: %.1f ns per session\n",
	       (double)(ns_now() - t0) / n);
	nat64_shard_free(sh);
	free(t6);
	free(t4);
	return 0;
}
