/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Micro-benchmark of the firewall's rte_acl classification (meson
 * benchmark 'fw_acl'; prints, never asserts on time): for 10, 1 000 and
 * 10 000 random rules of two kinds (host rules only, the seed's shape;
 * mixed shapes, test/lib/fw_gen.h), the build time and the cycles per
 * packet of fw_acl_classify() over bursts of 32 keys, with each classify
 * method this CPU has. Mixed rules are built the default way (in parts
 * from 64 rules on) and, as "mixed1", forced into one context. The keys are random but fixed and warm in cache,
 * so the figures are the classifier's own cost, not memory stalls. Run
 * on hugepages for figures to compare (shared/DPDK-NOTES.md: --no-huge
 * costs 1.5-2.5x); EAL arguments may be given on the command line.
 *
 *   bench_fw_acl [EAL options | KIND...]
 *
 * KIND (hosts, mixed, mixed1) runs only those kinds, with the default EAL
 * options (bench/all --quick runs "hosts" alone).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>

#include "fw.h"

#include "fw_gen.h"

#define N_KEYS		4096
#define BURST		32
#define PASSES		4
#define TRIALS		31

static const char *const algs[] = {
	"default", "sse", "avx2", "avx512x16", "avx512x32", "scalar",
};

/* Best-of-TRIALS cycles per packet of classifying 'keys' by BURST. */
static double
cycles_per_pkt(const struct fw_acl *acl, const uint8_t **keys)
{
	uint32_t res[BURST];
	uint64_t best = UINT64_MAX;
	unsigned int t, p, i;

	for (i = 0; i < N_KEYS; i += BURST)	/* warm up */
		fw_acl_classify(acl, keys + i, res, BURST);
	for (t = 0; t < TRIALS; t++) {
		uint64_t start = rte_rdtsc_precise(), c;

		for (p = 0; p < PASSES; p++)
			for (i = 0; i < N_KEYS; i += BURST)
				fw_acl_classify(acl, keys + i, res, BURST);
		c = rte_rdtsc_precise() - start;
		if (c < best)
			best = c;
	}
	return (double)best / (PASSES * N_KEYS);
}

static void
bench(const char *kind, uint32_t gen_mode, uint32_t n,
      enum fw_acl_split split, const uint8_t **keys, struct fw_key *k)
{
	struct fw_acl_opts opts = { split, 0 };
	uint32_t seed = 0xbe7c0000u + n, i, a;
	enum fw_chain c = FW_CHAIN_FORWARD;
	struct fw_ruleset *rs;
	struct timespec t0, t1;
	struct fw_acl *acl;
	char err[256];
	double ms;

	rs = gen_ruleset(&seed, c, n, gen_mode);
	if (rs == NULL) {
		printf("%-6s %6u  ruleset: out of memory\n", kind, n);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	acl = fw_acl_build_opts(rs, c, "bench", 0, &opts, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (acl == NULL) {
		printf("%-6s %6u  build failed: %s\n", kind, n, err);
		fw_ruleset_free(rs);
		return;
	}
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	for (i = 0; i < N_KEYS; i++) {
		gen_key(&seed, &k[i]);
		keys[i] = (const uint8_t *)&k[i];
	}
	printf("%-6s %6u %7u %5u %9.1f", kind, n, fw_acl_acl_rules(acl),
	       fw_acl_parts(acl), ms);
	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		int w = strlen(algs[a]) > 8 ? 9 : 8;

		if (fw_acl_set_alg(acl, algs[a]) != 0)
			printf(" %*s", w, "n/a");
		else
			printf(" %*.1f", w, cycles_per_pkt(acl, keys));
	}
	printf("\n");
	fflush(stdout);
	fw_acl_free(acl);
	fw_ruleset_free(rs);
}

int
main(int argc, char **argv)
{
	static char *def_argv[] = {
		"bench_fw_acl", "--no-huge", "-m", "512", "--no-shconf",
		"--no-pci", "--no-telemetry", "-l", "0",
		"--log-level=lib.eal:error", "--file-prefix=mx-bench-fw-acl",
	};
	static const uint32_t sizes[] = { 10, 1000, 10000 };
	const uint8_t **keys = malloc(N_KEYS * sizeof(*keys));
	struct fw_key *k = malloc(N_KEYS * sizeof(*k));
	int kinds = 7;			/* hosts, mixed, mixed1 */
	unsigned int i;

	if (keys == NULL || k == NULL)
		return 1;
	if (argc > 1 && argv[1][0] != '-') {
		int a;

		kinds = 0;
		for (a = 1; a < argc; a++) {
			if (strcmp(argv[a], "hosts") == 0)
				kinds |= 1;
			else if (strcmp(argv[a], "mixed") == 0)
				kinds |= 2;
			else if (strcmp(argv[a], "mixed1") == 0)
				kinds |= 4;
			else {
				fprintf(stderr, "bench_fw_acl: unknown kind "
					"'%s' (hosts, mixed, mixed1)\n",
					argv[a]);
				return 1;
			}
		}
		argc = 1;
	}
	if (argc <= 1) {
		argc = sizeof(def_argv) / sizeof(def_argv[0]);
		argv = def_argv;
	}
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "bench_fw_acl: EAL init failed\n");
		return 1;
	}
	printf("fw_acl classify, bursts of %u keys, %u distinct keys, "
	       "TSC %" PRIu64 " MHz\n", BURST, N_KEYS,
	       rte_get_tsc_hz() / 1000000);
	printf("%-6s %6s %7s %5s %9s %8s %8s %8s %9s %9s %8s\n", "rules",
	       "n", "acl", "parts", "build ms", algs[0], algs[1], algs[2],
	       algs[3], algs[4], algs[5]);
	printf("%-37s cycles per packet (n/a: not on this CPU/EAL)\n", "");
	for (i = 0; (kinds & 1) && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench("hosts", GEN_HOSTS, sizes[i], FW_ACL_SPLIT_AUTO, keys, k);
	for (i = 0; (kinds & 2) && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench("mixed", sizes[i] >= 1000 ? 8 : 1, sizes[i],
		      FW_ACL_SPLIT_AUTO, keys, k);
	for (i = 0; (kinds & 4) && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench("mixed1", sizes[i] >= 1000 ? 8 : 1, sizes[i],
		      FW_ACL_SPLIT_NEVER, keys, k);
	free(keys);
	free(k);
	rte_eal_cleanup();
	return 0;
}
