/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-bench: cycles per packet of each translator stage on real
 * DPDK mbufs, next to a floor measured in the same run.
 *
 *   meshxlat-bench [EAL options --] [--packets N] [--reps R] [--csv FILE]
 *
 * Each scenario (pkts.c) fills N mbufs and times whole passes over them
 * with rte_rdtsc, three times over, each pass doing a little more per
 * packet than the last:
 *
 *   reset   copy the pristine packet back into the mbuf (160 bytes, the
 *           same for every scenario), at the offset where the daemon has
 *           its IP header once Ethernet is stripped, and restore
 *           data_off/data_len/pkt_len
 *   +parse  ... then pkt_parse_ip4() (header checksum on) / pkt_parse_ip6()
 *   +xlat   ... then xlat46()/xlat64() with a per-packet struct xlat_ctx
 *           as the daemon builds it, and data_off/data_len/pkt_len set
 *           to the translated packet
 *   +roam-miss, +roam-hit
 *           ... with roaming on, as node B of seed 003 (doc/roaming.md):
 *           a table of ROAM_ENTRIES kind clat entries, looked up as the
 *           worker does it, 4->6: by the client's key before xlat46, and
 *           on a hit the destination /96 NETMAP'd after it (roam_clat_out
 *           in worker.c); 6->4: roam_apply(ROAM_STEP_CLAT_IN) before
 *           xlat64, the reply coming from the client's kept PLAT on a hit
 *           (its pristine packet is the scenario's with that source /96).
 *           The miss is a client without an entry, what every packet of
 *           a node with a roam section pays; the hit is a roamed client.
 *           One flow: its bucket stays in cache (lib/roam's own benchmark
 *           has lookups in random order over the table).
 *
 * The NAT64 scenario (--nat64-sessions S, default 1 M) is a PLAT's
 * established in2out flows: S sessions are created in a lib/nat64 shard
 * (16 UDP flows per 464XLAT client), then each pass gives its mbufs the
 * next flows of a shuffled list, so the lookups land all over a table
 * far bigger than the caches. Its stages: reset (copy + patch in the
 * flow's source, port and UDP checksum), +parse, +lookup (the tuple and
 * nat64_in2out_bulk() over bursts of 32, as the daemon's NAT64_IN
 * stage), +xlat (then xlat64() with the session's addresses and ports).
 *
 * --pcap FILE (up to 8 times) adds a scenario per address family found
 * in FILE (Ethernet frames, e.g. pktgen-scripts/gen_clat.py's replays,
 * which use this CLAT's prefixes): mbuf i holds packet i of the file
 * (modulo the count), so a scenario can mix flows, protocols and sizes.
 * The whole packet is copied in once; each pass resets its first 160
 * bytes as above (translation never moves or changes the payload past
 * the headers).
 *
 * The floor is the least a 4->6 translator can do: on the same mbufs, the
 * same reset, then prepend 20 bytes and write a 40-byte IPv6 header, no
 * checksum work. Every figure is the median over R passes (min also
 * shown), divided by N; "net" subtracts the scenario's own reset, and
 * both are also given as a multiple of the floor. Nothing asserts on
 * time: the exit status is 0 unless setup fails (EAL, memory, or a
 * scenario that does not translate to a packet that verifies).
 *
 * With no EAL options it runs with --no-huge, like the daemon; figures
 * without hugepages are 1.5-2.5x high (shared/DPDK-NOTES.md).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>

#include "csum.h"
#include "hdr.h"
#include "nat64.h"
#include "parse.h"
#include "roam.h"
#include "xlat.h"

#include "bench.h"

#define DEF_PACKETS	4096
#define DEF_REPS	11
#define DEF_NAT64	(1u << 20)	/* sessions of the NAT64 scenario */
/* Entries of the roaming table (+roam stages): 64 k clients. */
#define ROAM_ENTRIES	65536u
/* Targets the entries spread over (a mesh's PLATs). */
#define ROAM_PLATS	64u
#define MTU		1500
#define NAT_PER_CLIENT	16		/* flows per client, as bench_nat64 */
#define NAT_BURST	32		/* lookups per bulk call */
#define MAX_PCAPS	8
#define PCAP_STRIDE	2048		/* bytes per stored packet */
#define PCAP_MAX_L3	1600		/* larger packets are skipped */

/*
 * Bytes the reset copies, whatever the packet's size: a constant-size
 * rte_memcpy is a few straight moves, the same for every scenario. With
 * the exact length the reset alone varied from 11 to 18 cycles with the
 * size (60-64 B packets were the slow ones) and came out dearer than
 * reset + floor rewrite.
 */
#define COPY_SIZE	160

/* Where the IP header sits once the daemon has stripped Ethernet. */
#define L3_OFF		(RTE_PKTMBUF_HEADROOM + PKT_ETH_HLEN)

enum stage {
	ST_RESET,
	ST_PARSE,
	ST_XLAT,
	ST_ROAM_MISS,
	ST_ROAM_HIT,
	ST_FLOOR,
	ST_LOOKUP,			/* NAT64: + tuple and session lookup */
};

static const char *const stage_names[] = {
	[ST_RESET] = "reset",
	[ST_PARSE] = "+parse",
	[ST_XLAT] = "+xlat",
	[ST_ROAM_MISS] = "+roam-miss",
	[ST_ROAM_HIT] = "+roam-hit",
	[ST_FLOOR] = "rewrite",
	[ST_LOOKUP] = "+lookup",
};

struct opts {
	unsigned int packets;
	unsigned int reps;
	unsigned int nat64;		/* sessions; 0: no NAT64 scenario */
	const char *csv;
	const char *pcap[MAX_PCAPS];
	unsigned int n_pcap;
};

struct bench {
	struct rte_mbuf **m;
	unsigned int n;
	struct xlat_cfg cfg;
	uint8_t self6[16];
	uint8_t local6[12];		/* the floor's two prefixes */
	uint8_t pool6[12];
	uint16_t ip4_id;		/* host order, like the worker's */
	uint64_t errs;			/* packets a timed pass dropped */
	/* Roaming: ROAM_ENTRIES - 1 other clients, and the same plus the
	 * bench's client kept on PLAT 'platc'. */
	struct roam_table *roam_miss, *roam_hit;
	uint8_t platc[ROAM_PFX_LEN];
	uint64_t now;
};

/* One line of the table. */
struct row {
	char scenario[32];
	enum stage stage;
	double median;			/* cycles per packet */
	double min;
	double reset;			/* this scenario's reset median */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: meshxlat-bench [EAL options --] [--packets N] "
		"[--reps R] [--nat64-sessions S] [--pcap FILE]... "
		"[--csv FILE]\n\n"
		"  --packets N  mbufs per scenario (default %u; try 65536)\n"
		"  --reps R     timed passes per figure, median reported "
		"(default %u)\n"
		"  --nat64-sessions S  sessions of the NAT64 in2out scenario "
		"(default %u;\n"
		"               4096 to 4194304, 0: leave it out)\n"
		"  --pcap FILE  also time the IPv4 and the IPv6 packets of "
		"this pcap\n"
		"               (Ethernet), packet i in mbuf i; up to %u "
		"files\n"
		"  --csv FILE   also write the table as CSV\n\n"
		"Without EAL options: --no-huge -m 512 --no-shconf --no-pci "
		"--no-telemetry -l 0\n--file-prefix mxbench (figures without "
		"hugepages run 1.5-2.5x high).\n",
		DEF_PACKETS, DEF_REPS, DEF_NAT64, MAX_PCAPS);
}

static int
parse_uint(const char *s, unsigned int lo, unsigned int hi, unsigned int *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || x < lo || x > hi)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

/* Returns 0, 1 for --help, or -1. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "packets", required_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "csv", required_argument, NULL, 'c' },
		{ "nat64-sessions", required_argument, NULL, 's' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_uint(optarg, 1, 1u << 20, &o->packets) != 0) {
				fprintf(stderr, "meshxlat-bench: --packets %s: "
					"want 1 to 1048576\n", optarg);
				return -1;
			}
			break;
		case 'r':
			if (parse_uint(optarg, 1, 1000, &o->reps) != 0) {
				fprintf(stderr, "meshxlat-bench: --reps %s: "
					"want 1 to 1000\n", optarg);
				return -1;
			}
			break;
		case 'c':
			o->csv = optarg;
			break;
		case 'p':
			if (o->n_pcap == MAX_PCAPS) {
				fprintf(stderr, "meshxlat-bench: at most %u "
					"--pcap\n", MAX_PCAPS);
				return -1;
			}
			o->pcap[o->n_pcap++] = optarg;
			break;
		case 's':
			if (parse_uint(optarg, 0, 1u << 22, &o->nat64) != 0 ||
			    (o->nat64 != 0 && o->nat64 < 4096)) {
				fprintf(stderr, "meshxlat-bench: "
					"--nat64-sessions %s: want 0 or 4096 "
					"to 4194304\n", optarg);
				return -1;
			}
			break;
		case 'h':
			return 1;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "meshxlat-bench: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/*
 * EAL options are those before a "--" that is not argv[1]. Without any,
 * the daemon's no-hugepage command line, on one lcore. Returns a new argv
 * (free it after rte_eal_cleanup()), or NULL.
 */
static char **
eal_args(int argc, char **argv, int *new_argc)
{
	static char *const defaults[] = {
		"--no-huge", "-m", "512", "--no-shconf", "--no-pci",
		"--no-telemetry", "-l", "0", "--file-prefix", "mxbench",
		"--log-level", "lib.eal:warning",
	};
	unsigned int nd = RTE_DIM(defaults), i;
	int k, n = 0, dd = -1;
	char **nv;

	for (k = 1; k < argc; k++)
		if (strcmp(argv[k], "--") == 0) {
			dd = k;
			break;
		}
	nv = calloc((size_t)argc + nd + 2, sizeof(*nv));
	if (nv == NULL)
		return NULL;
	nv[n++] = argv[0];
	if (dd > 1) {
		for (k = 1; k < argc; k++)
			nv[n++] = argv[k];
	} else {
		for (i = 0; i < nd; i++)
			nv[n++] = defaults[i];
		nv[n++] = "--";
		for (k = dd == 1 ? 2 : 1; k < argc; k++)
			nv[n++] = argv[k];
	}
	*new_argc = n;
	return nv;
}

/* The first "model name" of /proc/cpuinfo, or "?". */
static void
cpu_model(char *buf, size_t size)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, size, "?");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) != 0 || colon == NULL)
			continue;
		colon += strspn(colon, ": \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, size, "%s", colon);
		break;
	}
	fclose(f);
}

/* ---- the timed work, one packet at a time ---- */

static inline void
reset(struct rte_mbuf *m, const struct bench_pkt *p)
{
	m->data_off = L3_OFF;
	rte_memcpy(rte_pktmbuf_mtod(m, uint8_t *), p->data, COPY_SIZE);
	m->data_len = p->len;
	m->pkt_len = p->len;
}

/*
 * The floor: a 4->6 header swap with nothing checked or summed. The
 * addresses are embedded in /96s by copying (what RFC 6052 costs at its
 * cheapest), the other fields copied as RFC 7915 section 4.1 says.
 */
static inline int
floor46(const struct bench *b, struct rte_mbuf *m)
{
	const struct pkt_ip4 *ip4 = rte_pktmbuf_mtod(m, struct pkt_ip4 *);
	uint32_t src = ip4->src, dst = ip4->dst;
	uint16_t plen = htons((uint16_t)(ntohs(ip4->tot_len) - PKT_IP4_HLEN));
	uint8_t tos = ip4->tos, proto = ip4->proto, ttl = ip4->ttl;
	struct pkt_ip6 *ip6;

	ip6 = (struct pkt_ip6 *)rte_pktmbuf_prepend(m,
			PKT_IP6_HLEN - PKT_IP4_HLEN);
	if (unlikely(ip6 == NULL))
		return -1;
	ip6->vtc_flow = htonl(6u << 28 | (uint32_t)tos << 20);
	ip6->payload_len = plen;
	ip6->nexthdr = proto;
	ip6->hop_limit = ttl;
	memcpy(ip6->src, b->local6, 12);
	memcpy(ip6->src + 12, &src, 4);
	memcpy(ip6->dst, b->pool6, 12);
	memcpy(ip6->dst + 12, &dst, 4);
	return 0;
}

/* Parse and translate one packet as the daemon's CLAT stages do. */
static inline enum pkt_drop
xlat_one(const struct bench *b, struct rte_mbuf *m, const enum stage st,
	 const int v6, uint16_t *ip4_id)
{
	uint8_t *l3 = rte_pktmbuf_mtod(m, uint8_t *);
	struct xlat_ctx ctx;
	struct xlat_out out;
	struct pkt_l3 in;
	enum pkt_drop r;

	r = v6 ? pkt_parse_ip6(l3, m->data_len, &in) :
		 pkt_parse_ip4(l3, m->data_len, 1, &in);
	if (r != PKT_DROP_NONE || st == ST_PARSE)
		return r;

	ctx = (struct xlat_ctx){
		/* room for the Ethernet header the daemon prepends later */
		.headroom = rte_pktmbuf_headroom(m) - PKT_ETH_HLEN,
		.mtu4 = MTU,
		.mtu6 = MTU,
		.self4 = htonl(BENCH_SELF4),
		.self6 = b->self6,
		.hash = m->hash.rss,
		.tailroom = rte_pktmbuf_tailroom(m),
		.ip4_id = htons((*ip4_id)++),
	};

	r = v6 ? xlat64(&b->cfg, &ctx, l3, &in, &out) :
		 xlat46(&b->cfg, &ctx, l3, &in, &out);
	if (r != PKT_DROP_NONE)
		return r;
	m->data_off = (uint16_t)(out.l3 - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)out.len;
	m->pkt_len = out.len;
	return PKT_DROP_NONE;
}

/*
 * xlat_one() with roaming as the worker does it (roam_clat_out and
 * roam_clat_in in worker.c): 4->6 looks the client up before the
 * translation and rewrites the destination /96 after it; 6->4 remaps
 * the source before.
 */
static inline enum pkt_drop
roam_one(const struct bench *b, struct rte_mbuf *m,
	 const struct roam_table *t, const int v6, uint16_t *ip4_id)
{
	uint8_t *l3 = rte_pktmbuf_mtod(m, uint8_t *);
	const uint8_t *pfx = NULL;
	enum pkt_drop r;
	int hit;

	if (v6) {
		r = roam_apply(t, ROAM_STEP_CLAT_IN, b->pool6, b->now, l3,
			       m->data_len, &hit);
		if (r != PKT_DROP_NONE)
			return r;
		return xlat_one(b, m, ST_XLAT, v6, ip4_id);
	} else {
		uint8_t key[16];

		memcpy(key, b->local6, ROAM_PFX_LEN);
		memcpy(key + ROAM_PFX_LEN,
		       &((const struct pkt_ip4 *)l3)->src, 4);
		pfx = roam_table_lookup(t, ROAM_CLAT, key, b->now);
		r = xlat_one(b, m, ST_XLAT, v6, ip4_id);
		if (r != PKT_DROP_NONE || pfx == NULL)
			return r;
		return roam_netmap6(rte_pktmbuf_mtod(m, uint8_t *),
				    m->data_len, ROAM_DST, pfx);
	}
}

/* One timed pass over all mbufs; returns TSC cycles. */
static inline __attribute__((always_inline)) uint64_t
pass(struct bench *b, const struct bench_pkt *p, const enum stage st,
     const int v6)
{
	uint16_t id = b->ip4_id;
	uint64_t t0, t1, errs = 0;
	unsigned int i;

	t0 = rte_rdtsc_precise();
	for (i = 0; i < b->n; i++) {
		struct rte_mbuf *m = b->m[i];

		reset(m, p);
		if (st == ST_RESET)
			continue;
		if (st == ST_FLOOR)
			errs += floor46(b, m) != 0;
		else if (st == ST_ROAM_MISS || st == ST_ROAM_HIT)
			errs += roam_one(b, m, st == ST_ROAM_HIT ?
					 b->roam_hit : b->roam_miss, v6,
					 &id) != PKT_DROP_NONE;
		else
			errs += xlat_one(b, m, st, v6, &id) != PKT_DROP_NONE;
	}
	t1 = rte_rdtsc_precise();
	b->ip4_id = id;
	b->errs += errs;
	return t1 - t0;
}

/* One function per (stage, family), so each loop is specialised. */
#define PASS_FN(name, st, v6) \
static uint64_t \
name(struct bench *b, const struct bench_pkt *p) \
{ \
	return pass(b, p, st, v6); \
}
PASS_FN(pass_reset, ST_RESET, 0)
PASS_FN(pass_floor, ST_FLOOR, 0)
PASS_FN(pass_parse4, ST_PARSE, 0)
PASS_FN(pass_xlat4, ST_XLAT, 0)
PASS_FN(pass_parse6, ST_PARSE, 1)
PASS_FN(pass_xlat6, ST_XLAT, 1)
PASS_FN(pass_miss4, ST_ROAM_MISS, 0)
PASS_FN(pass_hit4, ST_ROAM_HIT, 0)
PASS_FN(pass_miss6, ST_ROAM_MISS, 1)
PASS_FN(pass_hit6, ST_ROAM_HIT, 1)

typedef uint64_t (*pass_fn)(struct bench *b, const struct bench_pkt *p);

static pass_fn
pass_of(enum stage st, int v6)
{
	switch (st) {
	case ST_RESET:
		return pass_reset;
	case ST_FLOOR:
		return pass_floor;
	case ST_PARSE:
		return v6 ? pass_parse6 : pass_parse4;
	case ST_ROAM_MISS:
		return v6 ? pass_miss6 : pass_miss4;
	case ST_ROAM_HIT:
		return v6 ? pass_hit6 : pass_hit4;
	case ST_XLAT:
	default:
		return v6 ? pass_xlat6 : pass_xlat4;
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One untimed pass to warm up, then 'reps' timed; fills median and min. */
static void
measure(struct bench *b, const struct bench_pkt *p, enum stage st,
	unsigned int reps, uint64_t *samples, struct row *r)
{
	pass_fn fn = pass_of(st, p->v6);
	unsigned int i;

	fn(b, p);
	for (i = 0; i < reps; i++)
		samples[i] = fn(b, p);
	qsort(samples, reps, sizeof(*samples), cmp_u64);
	r->stage = st;
	r->min = (double)samples[0] / b->n;
	if (reps % 2)
		r->median = (double)samples[reps / 2] / b->n;
	else
		r->median = (double)(samples[reps / 2 - 1] +
				     samples[reps / 2]) / 2.0 / b->n;
}

/* ---- setup: does each scenario translate to a packet that verifies? ---- */

static int
l4_sum_ok(const uint8_t *l3, uint32_t len, uint16_t l4_off, uint8_t proto,
	  int v6)
{
	const uint8_t *l4 = l3 + l4_off;
	uint32_t l4_len = len - l4_off, sum = 0;

	if (v6) {
		const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;

		sum = pkt_pseudo6_sum(ip->src, ip->dst, proto, l4_len);
	} else if (proto != PKT_PROTO_ICMP) {
		const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3;

		sum = pkt_pseudo4_sum(ip->src, ip->dst, proto, l4_len);
	}
	return pkt_csum_fold(pkt_csum_partial(l4, l4_len, sum)) == 0xffff;
}

static int
check(struct bench *b, const struct bench_pkt *p, const char *label)
{
	static const uint8_t proto46[256] = {
		[PKT_PROTO_TCP] = PKT_PROTO_TCP,
		[PKT_PROTO_UDP] = PKT_PROTO_UDP,
		[PKT_PROTO_ICMP] = PKT_PROTO_ICMP6,
		[PKT_PROTO_ICMP6] = PKT_PROTO_ICMP,
	};
	struct rte_mbuf *m = b->m[0];
	uint8_t client6[16], remote6[16], in_proto;
	struct pkt_l3 in, o;
	enum pkt_drop r;
	uint16_t id = 1;
	const uint8_t *l3;

	RTE_BUILD_BUG_ON(COPY_SIZE > BENCH_PKT_MAX);
	if (p->len > COPY_SIZE) {
		fprintf(stderr, "meshxlat-bench: %s: %u bytes, more than the "
			"%u the reset copies\n", label, p->len, COPY_SIZE);
		return -1;
	}
	reset(m, p);
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	r = p->v6 ? pkt_parse_ip6(l3, m->data_len, &in) :
		    pkt_parse_ip4(l3, m->data_len, 1, &in);
	if (r != PKT_DROP_NONE) {
		fprintf(stderr, "meshxlat-bench: %s: the built packet does "
			"not parse: %s\n", label, pkt_drop_name(r));
		return -1;
	}
	in_proto = in.l4_proto;
	r = xlat_one(b, m, ST_XLAT, p->v6, &id);
	if (r != PKT_DROP_NONE) {
		fprintf(stderr, "meshxlat-bench: %s: translator dropped the "
			"packet: %s\n", label, pkt_drop_name(r));
		return -1;
	}
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	bench_client6(client6);
	bench_remote6(remote6);
	if (p->v6) {
		const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3;

		r = pkt_parse_ip4(l3, m->data_len, 1, &o);
		if (r == PKT_DROP_NONE &&
		    (ip->src != htonl(BENCH_REMOTE4) ||
		     ip->dst != htonl(BENCH_CLIENT4)))
			r = PKT_DROP_XLAT_DST;
	} else {
		const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;

		r = pkt_parse_ip6(l3, m->data_len, &o);
		if (r == PKT_DROP_NONE &&
		    (memcmp(ip->src, client6, 16) != 0 ||
		     memcmp(ip->dst, remote6, 16) != 0))
			r = PKT_DROP_XLAT_DST;
	}
	if (r != PKT_DROP_NONE || o.len != m->data_len ||
	    o.l4_proto != proto46[in_proto] ||
	    !l4_sum_ok(l3, o.len, o.l4_off, o.l4_proto, !p->v6)) {
		fprintf(stderr, "meshxlat-bench: %s: the translated packet "
			"does not verify (%s, protocol %u, %u bytes)\n", label,
			pkt_drop_name(r), o.l4_proto, m->data_len);
		return -1;
	}
	return 0;
}

/* ---- packets from a pcap file ---- */

/* One address family's packets of one file. */
struct pcap_set {
	char name[32];
	int v6;
	unsigned int n;
	uint8_t *data;			/* n x PCAP_STRIDE bytes */
	uint16_t *len;
};

static uint32_t
pcap_u32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/*
 * Read up to 'max' IPv4 and 'max' IPv6 packets of the Ethernet pcap
 * 'path' into sets[0] (IPv4) and sets[1] (IPv6). Returns 0 or -1 with a
 * message on stderr.
 */
static int
pcap_load(const char *path, unsigned int max, struct pcap_set *sets)
{
	uint8_t gh[24], rh[16], *buf = NULL;
	unsigned int skipped = 0, k;
	const char *base = strrchr(path, '/');
	char stem[20];
	uint32_t magic;
	int swap, rc = -1, oom;
	FILE *f;

	base = base != NULL ? base + 1 : path;
	snprintf(stem, sizeof(stem), "%s", base);
	stem[strcspn(stem, ".")] = '\0';
	memset(sets, 0, 2 * sizeof(*sets));
	f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	if (fread(gh, sizeof(gh), 1, f) != 1)
		goto bad;
	memcpy(&magic, gh, 4);
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swap = 0;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swap = 1;
	else
		goto bad;
	if (pcap_u32(gh + 20, swap) != 1) {
		fprintf(stderr, "meshxlat-bench: %s: not Ethernet (link type "
			"%u)\n", path, pcap_u32(gh + 20, swap));
		goto out;
	}
	buf = malloc(65536);
	oom = buf == NULL;
	for (k = 0; k < 2; k++) {
		sets[k].v6 = (int)k;
		snprintf(sets[k].name, sizeof(sets[k].name), "pcap:%s %s",
			 stem, k ? "6->4" : "4->6");
		sets[k].data = malloc((size_t)max * PCAP_STRIDE);
		sets[k].len = calloc(max, sizeof(*sets[k].len));
		if (sets[k].data == NULL || sets[k].len == NULL)
			oom = 1;
	}
	if (oom) {
		fprintf(stderr, "meshxlat-bench: out of memory\n");
		goto out;
	}
	while (fread(rh, sizeof(rh), 1, f) == 1) {
		uint32_t incl = pcap_u32(rh + 8, swap), l3len;
		struct pcap_set *ps;
		uint16_t type;

		if (incl > 65536 || fread(buf, incl, 1, f) != 1)
			goto bad;
		if (incl < PKT_ETH_HLEN)
			continue;
		type = (uint16_t)(buf[12] << 8 | buf[13]);
		if (type != 0x0800 && type != 0x86dd)
			continue;
		ps = &sets[type == 0x86dd];
		l3len = incl - PKT_ETH_HLEN;
		if (l3len > PCAP_MAX_L3) {
			skipped++;
			continue;
		}
		if (ps->n == max) {
			if (sets[!ps->v6].n == max)
				break;
			continue;
		}
		/* Zero-padded to COPY_SIZE: the reset copies that much. */
		memset(ps->data + (size_t)ps->n * PCAP_STRIDE, 0, COPY_SIZE);
		memcpy(ps->data + (size_t)ps->n * PCAP_STRIDE,
		       buf + PKT_ETH_HLEN, l3len);
		ps->len[ps->n++] = (uint16_t)l3len;
	}
	if (skipped != 0)
		fprintf(stderr, "meshxlat-bench: %s: %u packets over %u "
			"bytes skipped\n", path, skipped, PCAP_MAX_L3);
	rc = 0;
	goto out;
bad:
	fprintf(stderr, "meshxlat-bench: %s: not a pcap file or cut short\n",
		path);
out:
	free(buf);
	fclose(f);
	return rc;
}

static void
pcap_free(struct pcap_set *ps)
{
	free(ps->data);
	free(ps->len);
	memset(ps, 0, sizeof(*ps));
}

static inline const uint8_t *
pcap_pkt(const struct pcap_set *ps, unsigned int i, uint16_t *len)
{
	unsigned int k = i % ps->n;

	*len = ps->len[k];
	return ps->data + (size_t)k * PCAP_STRIDE;
}

/* The whole packets into the mbufs (untimed; passes reset the rest). */
static void
pcap_fill(struct bench *b, const struct pcap_set *ps)
{
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		struct rte_mbuf *m = b->m[i];
		uint16_t len;
		const uint8_t *d = pcap_pkt(ps, i, &len);

		m->data_off = L3_OFF;
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), d,
		       RTE_MAX(len, (uint16_t)COPY_SIZE));
		m->data_len = len;
		m->pkt_len = len;
	}
}

static inline __attribute__((always_inline)) uint64_t
pcap_pass(struct bench *b, const struct pcap_set *ps, const enum stage st,
	  const int v6)
{
	uint16_t id = b->ip4_id;
	uint64_t t0, t1, errs = 0;
	unsigned int i;

	t0 = rte_rdtsc_precise();
	for (i = 0; i < b->n; i++) {
		struct rte_mbuf *m = b->m[i];
		uint16_t len;
		const uint8_t *d = pcap_pkt(ps, i, &len);

		m->data_off = L3_OFF;
		rte_memcpy(rte_pktmbuf_mtod(m, uint8_t *), d, COPY_SIZE);
		m->data_len = len;
		m->pkt_len = len;
		if (st == ST_RESET)
			continue;
		errs += xlat_one(b, m, st, v6, &id) != PKT_DROP_NONE;
	}
	t1 = rte_rdtsc_precise();
	b->ip4_id = id;
	b->errs += errs;
	return t1 - t0;
}

#define PCAP_PASS_FN(name, st, v6) \
static uint64_t \
name(struct bench *b, const struct pcap_set *ps) \
{ \
	return pcap_pass(b, ps, st, v6); \
}
PCAP_PASS_FN(pcap_reset4, ST_RESET, 0)
PCAP_PASS_FN(pcap_parse4, ST_PARSE, 0)
PCAP_PASS_FN(pcap_xlat4, ST_XLAT, 0)
PCAP_PASS_FN(pcap_reset6, ST_RESET, 1)
PCAP_PASS_FN(pcap_parse6, ST_PARSE, 1)
PCAP_PASS_FN(pcap_xlat6, ST_XLAT, 1)

static void
pcap_measure(struct bench *b, const struct pcap_set *ps, enum stage st,
	     unsigned int reps, uint64_t *samples, struct row *r)
{
	uint64_t (*fn)(struct bench *, const struct pcap_set *) =
		st == ST_RESET ? (ps->v6 ? pcap_reset6 : pcap_reset4) :
		st == ST_PARSE ? (ps->v6 ? pcap_parse6 : pcap_parse4) :
		(ps->v6 ? pcap_xlat6 : pcap_xlat4);
	unsigned int i;

	fn(b, ps);
	for (i = 0; i < reps; i++)
		samples[i] = fn(b, ps);
	qsort(samples, reps, sizeof(*samples), cmp_u64);
	r->stage = st;
	r->min = (double)samples[0] / b->n;
	if (reps % 2)
		r->median = (double)samples[reps / 2] / b->n;
	else
		r->median = (double)(samples[reps / 2 - 1] +
				     samples[reps / 2]) / 2.0 / b->n;
}

/*
 * Translate each distinct packet once: the figures of a file whose
 * packets drop would time the drop path. Says how many and why.
 */
static void
pcap_check(struct bench *b, const struct pcap_set *ps)
{
	unsigned int i, n = RTE_MIN(ps->n, b->n), drops = 0;
	enum pkt_drop first = PKT_DROP_NONE;
	uint16_t id = 1;

	pcap_fill(b, ps);
	for (i = 0; i < n; i++) {
		enum pkt_drop r = xlat_one(b, b->m[i], ST_XLAT, ps->v6, &id);

		if (r != PKT_DROP_NONE) {
			if (drops++ == 0)
				first = r;
		}
	}
	if (drops != 0)
		printf("%s: %u of %u packets drop (first: %s); the figures "
		       "include their drop path\n", ps->name, drops, n,
		       pkt_drop_name(first));
	pcap_fill(b, ps);
}

/* ---- NAT64: established in2out flows ---- */

/* What a flow changes in the template packet (all network order). */
struct nat_flow {
	uint32_t client4;		/* low 32 bits of the source */
	uint16_t sport;
	uint16_t csum;			/* the UDP checksum with both */
};

struct nat_bench {
	struct nat64_shard *sh;
	struct nat_flow *flows;		/* shuffled: lookups go all over */
	uint32_t n;
	uint32_t next;			/* the next pass's first flow */
	uint64_t now;			/* ms; sessions never expire here */
	struct bench_pkt pkt;		/* flow 0 */
};

/* Offsets in the IPv6 UDP packet of the fields a flow changes. */
#define NAT_OFF_SRC4	(8 + 12)
#define NAT_OFF_SPORT	PKT_IP6_HLEN
#define NAT_OFF_CSUM	(PKT_IP6_HLEN + 6)

static void
nat_flow_of(uint32_t f, uint32_t *client4, uint16_t *sport)
{
	*client4 = 0x0a000000u + f / NAT_PER_CLIENT;	/* 10.0.0.0/8 */
	*sport = (uint16_t)(20000 + f % NAT_PER_CLIENT);
}

static inline void
nat_reset(struct rte_mbuf *m, const struct bench_pkt *p,
	  const struct nat_flow *f)
{
	uint8_t *l3;

	reset(m, p);
	l3 = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(l3 + NAT_OFF_SRC4, &f->client4, 4);
	memcpy(l3 + NAT_OFF_SPORT, &f->sport, 2);
	memcpy(l3 + NAT_OFF_CSUM, &f->csum, 2);
}

/* The tuple as the daemon's tuple6_of() builds it for UDP. */
static inline void
nat_tuple(const struct bench *b, const uint8_t *l3, const struct pkt_l3 *in,
	  struct nat64_tuple6 *t)
{
	const uint8_t *l4 = l3 + in->l4_off;

	memcpy(t->addr6, l3 + 8, 16);
	t->rem4 = ntohl(xlat_rfc6052_extract(&b->cfg.pool6, l3 + 24));
	t->port6 = (uint16_t)(l4[0] << 8 | l4[1]);
	t->rport = (uint16_t)(l4[2] << 8 | l4[3]);
	t->proto = in->l4_proto;
}

/* xlat64() with the session's addresses and ports, as the PLAT does. */
static inline enum pkt_drop
nat_xlat(const struct bench *b, struct rte_mbuf *m, const struct pkt_l3 *in,
	 const struct nat64_tuple4 *t4, uint16_t *ip4_id)
{
	struct xlat_nat nat;
	struct xlat_ctx ctx;
	struct xlat_out out;
	enum pkt_drop r;

	memset(&nat, 0, sizeof(nat));
	nat.src4 = htonl(t4->addr4);
	nat.dst4 = htonl(t4->rem4);
	nat.sport = t4->port4;
	nat.dport = t4->rport;
	ctx = (struct xlat_ctx){
		.headroom = rte_pktmbuf_headroom(m) - PKT_ETH_HLEN,
		.mtu4 = MTU,
		.mtu6 = MTU,
		.self4 = nat.src4,
		.tailroom = rte_pktmbuf_tailroom(m),
		.ip4_id = htons((*ip4_id)++),
		.nat = &nat,
	};
	r = xlat64(&b->cfg, &ctx, rte_pktmbuf_mtod(m, uint8_t *), in, &out);
	if (r != PKT_DROP_NONE)
		return r;
	m->data_off = (uint16_t)(out.l3 - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)out.len;
	m->pkt_len = out.len;
	return PKT_DROP_NONE;
}

/* One timed pass over all mbufs, in bursts as the worker's stage. */
static inline __attribute__((always_inline)) uint64_t
nat_pass(struct bench *b, struct nat_bench *nb, const enum stage st)
{
	struct nat64_tuple6 t6[NAT_BURST];
	struct nat64_tuple4 t4[NAT_BURST];
	struct pkt_l3 in[NAT_BURST];
	uint8_t flags[NAT_BURST], v[NAT_BURST];
	uint16_t id = b->ip4_id;
	uint64_t t0, t1, errs = 0;
	uint32_t next = nb->next;
	unsigned int i, j, k;

	memset(t6, 0, sizeof(t6));	/* the padding stays zero */
	memset(flags, 0, sizeof(flags));
	t0 = rte_rdtsc_precise();
	for (i = 0; i < b->n; i += k) {
		k = RTE_MIN((unsigned int)NAT_BURST, b->n - i);
		for (j = 0; j < k; j++) {
			struct rte_mbuf *m = b->m[i + j];
			const uint8_t *l3;

			nat_reset(m, &nb->pkt, &nb->flows[next]);
			if (++next == nb->n)
				next = 0;
			if (st == ST_RESET)
				continue;
			l3 = rte_pktmbuf_mtod(m, const uint8_t *);
			errs += pkt_parse_ip6(l3, m->data_len, &in[j]) !=
				PKT_DROP_NONE;
			if (st != ST_PARSE)
				nat_tuple(b, l3, &in[j], &t6[j]);
		}
		if (st == ST_RESET || st == ST_PARSE)
			continue;
		nat64_in2out_bulk(nb->sh, t6, flags, k, nb->now, t4, v);
		for (j = 0; j < k; j++) {
			if (v[j] != NAT64_OK) {
				errs++;
				continue;
			}
			if (st == ST_XLAT)
				errs += nat_xlat(b, b->m[i + j], &in[j], &t4[j],
						 &id) != PKT_DROP_NONE;
		}
	}
	t1 = rte_rdtsc_precise();
	nb->next = next;
	b->ip4_id = id;
	b->errs += errs;
	return t1 - t0;
}

#define NAT_PASS_FN(name, st) \
static uint64_t \
name(struct bench *b, struct nat_bench *nb) \
{ \
	return nat_pass(b, nb, st); \
}
NAT_PASS_FN(nat_pass_reset, ST_RESET)
NAT_PASS_FN(nat_pass_parse, ST_PARSE)
NAT_PASS_FN(nat_pass_lookup, ST_LOOKUP)
NAT_PASS_FN(nat_pass_xlat, ST_XLAT)

static void
nat_measure(struct bench *b, struct nat_bench *nb, enum stage st,
	    unsigned int reps, uint64_t *samples, struct row *r)
{
	uint64_t (*fn)(struct bench *, struct nat_bench *) =
		st == ST_RESET ? nat_pass_reset :
		st == ST_PARSE ? nat_pass_parse :
		st == ST_LOOKUP ? nat_pass_lookup : nat_pass_xlat;
	unsigned int i;

	fn(b, nb);
	for (i = 0; i < reps; i++)
		samples[i] = fn(b, nb);
	qsort(samples, reps, sizeof(*samples), cmp_u64);
	r->stage = st;
	r->min = (double)samples[0] / b->n;
	if (reps % 2)
		r->median = (double)samples[reps / 2] / b->n;
	else
		r->median = (double)(samples[reps / 2 - 1] +
				     samples[reps / 2]) / 2.0 / b->n;
}

static void
nat_free(struct nat_bench *nb)
{
	if (nb->sh != NULL)
		nat64_shard_free(nb->sh);
	free(nb->flows);
	memset(nb, 0, sizeof(*nb));
}

/*
 * The shard with 'n' established UDP sessions, the flows shuffled, and
 * one packet translated and checked: it must leave as IPv4 from the
 * session's pool address and port to the remote host, checksum right.
 */
static int
nat_setup(struct bench *b, struct nat_bench *nb, uint32_t n)
{
	struct nat64_tuple6 t6;
	struct nat64_tuple4 t4;
	struct nat64_cfg c;
	struct bench_pkt p;
	struct rte_mbuf *m = b->m[0];
	struct pkt_l3 in, o;
	const uint8_t *l3;
	uint32_t f, seed = 7915, bad = 0, client0;
	uint16_t id = 1, sport0;

	memset(nb, 0, sizeof(*nb));
	nat64_cfg_init(&c);
	c.n_pool4 = 1;
	c.pool4[0].addr = 0x64400000u;		/* 100.64.0.0/20 */
	c.pool4[0].len = 20;
	c.pool4[0].protos = NAT64_PROTO_ALL;
	c.pool4[0].port_lo = 1024;
	c.pool4[0].port_hi = 65535;
	c.max_sessions = n;
	c.max_blocks_per_client = 1;
	c.seed = 0x6146;			/* the same ports every run */
	nb->sh = nat64_shard_create(&c, 0, 1, n);
	nb->flows = calloc(n, sizeof(*nb->flows));
	if (nb->sh == NULL || nb->flows == NULL) {
		fprintf(stderr, "meshxlat-bench: no memory for %u NAT64 "
			"sessions\n", n);
		nat_free(nb);
		return -1;
	}
	nb->n = n;
	nb->now = 1000000;
	for (f = 0; f < n; f++) {
		uint32_t client4;
		uint16_t sport;

		nat_flow_of(f, &client4, &sport);
		bench_build_nat64(&p, client4, sport);
		if (pkt_parse_ip6(p.data, p.len, &in) != PKT_DROP_NONE) {
			bad++;
			continue;
		}
		memset(&t6, 0, sizeof(t6));
		nat_tuple(b, p.data, &in, &t6);
		bad += nat64_in2out(nb->sh, &t6, 0, nb->now, &t4) != NAT64_OK;
		memcpy(&nb->flows[f].client4, p.data + NAT_OFF_SRC4, 4);
		memcpy(&nb->flows[f].sport, p.data + NAT_OFF_SPORT, 2);
		memcpy(&nb->flows[f].csum, p.data + NAT_OFF_CSUM, 2);
	}
	if (bad != 0) {
		fprintf(stderr, "meshxlat-bench: %u of %u NAT64 sessions not "
			"created\n", bad, n);
		nat_free(nb);
		return -1;
	}
	for (f = n - 1; f > 0; f--) {		/* Fisher-Yates */
		struct nat_flow x;
		uint32_t j;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		j = seed % (f + 1);
		x = nb->flows[f];
		nb->flows[f] = nb->flows[j];
		nb->flows[j] = x;
	}
	nat_flow_of(0, &client0, &sport0);
	bench_build_nat64(&nb->pkt, client0, sport0);
	nb->now += 1000;

	/* One packet through every stage, checked. */
	id = 1;
	nat_reset(m, &nb->pkt, &nb->flows[0]);
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	memset(&t6, 0, sizeof(t6));
	if (pkt_parse_ip6(l3, m->data_len, &in) != PKT_DROP_NONE ||
	    !l4_sum_ok(l3, in.len, in.l4_off, in.l4_proto, 1))
		goto bad;
	nat_tuple(b, l3, &in, &t6);
	if (nat64_in2out(nb->sh, &t6, 0, nb->now, &t4) != NAT64_OK ||
	    nat_xlat(b, m, &in, &t4, &id) != PKT_DROP_NONE)
		goto bad;
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	if (pkt_parse_ip4(l3, m->data_len, 1, &o) != PKT_DROP_NONE ||
	    o.l4_proto != PKT_PROTO_UDP ||
	    ((const struct pkt_ip4 *)l3)->src != htonl(t4.addr4) ||
	    ((const struct pkt_ip4 *)l3)->dst != htonl(BENCH_REMOTE4) ||
	    (uint16_t)(l3[o.l4_off] << 8 | l3[o.l4_off + 1]) != t4.port4 ||
	    !l4_sum_ok(l3, o.len, o.l4_off, o.l4_proto, 0))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "meshxlat-bench: the NAT64 scenario's packet does "
		"not translate to a packet that verifies\n");
	nat_free(nb);
	return -1;
}

/* ---- roaming: the tables and the packets of the +roam stages ---- */

/*
 * ROAM_ENTRIES - 1 kind clat entries of other clients (10.0.0.0 + i under
 * the CLAT prefix, spread over ROAM_PLATS PLATs) make the miss table;
 * with the bench's client kept on 'platc' they make the hit table.
 */
static int
roam_setup(struct bench *b)
{
	static const uint8_t platc[ROAM_PFX_LEN] = {
		0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, 0x02, 0x00,
		0x00, 0x00, 0x00, 0xc1,		/* 64:ff9b:1:200:0:c1::/96 */
	};
	struct roam_db *db;
	uint8_t key[16], tgt[ROAM_PFX_LEN];
	uint32_t i, v4;
	int rc = 0;

	memcpy(b->platc, platc, ROAM_PFX_LEN);
	b->now = 1;
	db = roam_db_create(ROAM_ENTRIES, 0x9e3779b97f4a7c15ull);
	if (db == NULL)
		return -1;
	memcpy(key, b->local6, ROAM_PFX_LEN);
	memcpy(tgt, platc, ROAM_PFX_LEN);
	for (i = 0; i < ROAM_ENTRIES - 1 && rc >= 0; i++) {
		v4 = htonl(0x0a000000u + i);
		memcpy(key + ROAM_PFX_LEN, &v4, 4);
		tgt[ROAM_PFX_LEN - 1] = (uint8_t)(0x80 + i % ROAM_PLATS);
		rc = roam_db_add(db, ROAM_CLAT, key, tgt, UINT64_MAX, NULL);
	}
	if (rc >= 0)
		b->roam_miss = roam_table_build(db);
	v4 = htonl(BENCH_CLIENT4);
	memcpy(key + ROAM_PFX_LEN, &v4, 4);
	if (rc >= 0)
		rc = roam_db_add(db, ROAM_CLAT, key, platc, UINT64_MAX, NULL);
	if (rc >= 0)
		b->roam_hit = roam_table_build(db);
	roam_db_free(db);
	if (rc < 0 || b->roam_miss == NULL || b->roam_hit == NULL) {
		fprintf(stderr, "meshxlat-bench: cannot build the roaming "
			"tables\n");
		return -1;
	}
	return 0;
}

/* The 6->4 scenario as a roamed client's reply: from PLATC, not pool6. */
static int
roam_pkt(const struct bench *b, const struct bench_pkt *p,
	 struct bench_pkt *out)
{
	*out = *p;
	if (!p->v6)
		return 0;
	return roam_netmap6(out->data, out->len, ROAM_SRC, b->platc) ==
	       PKT_DROP_NONE ? 0 : -1;
}

/*
 * Does the +roam-hit stage give what the daemon sends? 4->6: the
 * translated packet's destination is PLATC:remote; 6->4: the reply from
 * PLATC:remote is translated as one from pool6:remote. The transport
 * checksum verifies in both.
 */
static int
roam_check(struct bench *b, const struct bench_pkt *p,
	   const struct bench_pkt *pr, const char *label)
{
	struct rte_mbuf *m = b->m[0];
	uint8_t remote6[16];
	const uint8_t *l3;
	uint16_t id = 1;
	struct pkt_l3 o;
	enum pkt_drop r;
	int ok;

	reset(m, p->v6 ? pr : p);
	r = roam_one(b, m, b->roam_hit, p->v6, &id);
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	if (r == PKT_DROP_NONE)
		r = p->v6 ? pkt_parse_ip4(l3, m->data_len, 1, &o) :
			    pkt_parse_ip6(l3, m->data_len, &o);
	if (r != PKT_DROP_NONE) {
		fprintf(stderr, "meshxlat-bench: %s: +roam-hit: %s\n", label,
			pkt_drop_name(r));
		return -1;
	}
	bench_remote6(remote6);
	if (p->v6) {
		const struct pkt_ip4 *ip = (const struct pkt_ip4 *)l3;

		ok = ip->src == htonl(BENCH_REMOTE4) &&
		     ip->dst == htonl(BENCH_CLIENT4);
	} else {
		const struct pkt_ip6 *ip = (const struct pkt_ip6 *)l3;

		ok = memcmp(ip->dst, b->platc, ROAM_PFX_LEN) == 0 &&
		     memcmp(ip->dst + 12, remote6 + 12, 4) == 0;
	}
	if (!ok || !l4_sum_ok(l3, o.len, o.l4_off, o.l4_proto, !p->v6)) {
		fprintf(stderr, "meshxlat-bench: %s: +roam-hit: the packet "
			"does not verify\n", label);
		return -1;
	}
	return 0;
}

/* ---- output ---- */

static void
print_rows(FILE *f, const struct row *rows, unsigned int n_rows,
	   const struct row *fl, unsigned int packets, unsigned int reps,
	   int csv, int huge)
{
	double fl_net = fl->median - fl->reset;
	unsigned int i;

	if (csv)
		fprintf(f, "scenario,stage,packets,reps,median_cycles,"
			"min_cycles,net_cycles,ratio_floor,net_ratio_floor,"
			"hugepages\n");
	else
		fprintf(f, "%-22s %-10s %8s %8s %8s %8s %8s %8s\n",
			"scenario", "stage", "packets", "median", "min",
			"net", "x floor", "net x fl");
	for (i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];
		double net = r->median - r->reset;

		if (csv)
			fprintf(f, "%s,%s,%u,%u,%.1f,%.1f,%.1f,%.2f,%.2f,%s\n",
				r->scenario, stage_names[r->stage], packets,
				reps, r->median, r->min, net,
				r->median / fl->median, net / fl_net,
				huge ? "yes" : "no");
		else
			fprintf(f, "%-22s %-10s %8u %8.1f %8.1f %8.1f %8.2f "
				"%8.2f\n", r->scenario, stage_names[r->stage],
				packets, r->median, r->min, net,
				r->median / fl->median, net / fl_net);
	}
}

static int
write_csv(const char *path, const struct row *rows, unsigned int n_rows,
	  const struct row *fl, unsigned int packets, unsigned int reps,
	  int huge)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	print_rows(f, rows, n_rows, fl, packets, reps, 1, huge);
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* ---- main ---- */

static int
run(const struct opts *o)
{
	unsigned int n_pkts = bench_n_pkts(), n_rows = 0, i, max_rows;
	struct rte_mempool *pool = NULL;
	struct bench b = { .n = o->packets, .ip4_id = 1 };
	struct row *rows = NULL, *fl = NULL;
	struct pcap_set (*pcaps)[2] = NULL;
	uint64_t *samples = NULL;
	int huge = rte_eal_has_hugepages(), rc = -1, have_mbufs = 0;
	char cpu[128];
	struct bench_pkt p, pr;

	bench_cfg(&b.cfg);
	/* Our own address, fddd:...:9abc::1: only an untranslatable
	 * ICMPv4 error would use it, and no scenario has one. */
	memcpy(b.self6, b.cfg.local6.addr, 16);
	b.self6[15] = 1;
	memcpy(b.local6, b.cfg.local6.addr, 12);
	memcpy(b.pool6, b.cfg.pool6.addr, 12);

	max_rows = 1 + (ST_ROAM_HIT + 1) * n_pkts + 4 + 2 * 3 * MAX_PCAPS;
	rows = calloc(max_rows, sizeof(*rows));
	samples = calloc(o->reps, sizeof(*samples));
	b.m = calloc(o->packets, sizeof(*b.m));
	if (rows == NULL || samples == NULL || b.m == NULL) {
		fprintf(stderr, "meshxlat-bench: out of memory\n");
		goto out;
	}
	pool = rte_pktmbuf_pool_create("mxbench", o->packets, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL ||
	    rte_pktmbuf_alloc_bulk(pool, b.m, o->packets) != 0) {
		fprintf(stderr, "meshxlat-bench: %u mbufs: %s\n", o->packets,
			rte_strerror(rte_errno));
		goto out;
	}
	have_mbufs = 1;
	if (roam_setup(&b) != 0)
		goto out;

	for (i = 0; i < n_pkts; i++) {
		char label[32];

		bench_build(i, &p);
		snprintf(label, sizeof(label), "%s %s", p.name,
			 p.v6 ? "6->4" : "4->6");
		if (check(&b, &p, label) != 0 ||
		    roam_pkt(&b, &p, &pr) != 0 ||
		    roam_check(&b, &p, &pr, label) != 0)
			goto out;
	}

	/* The files before any timing: a bad one fails the run at once. */
	pcaps = calloc(MAX_PCAPS, sizeof(*pcaps));
	if (pcaps == NULL)
		goto out;
	for (i = 0; i < o->n_pcap; i++)
		if (pcap_load(o->pcap[i], o->packets, pcaps[i]) != 0)
			goto out;

	cpu_model(cpu, sizeof(cpu));
	printf("meshxlat-bench: %u packets x %u reps, lcore %u, TSC %.0f MHz, "
	       "cpu %s\n", o->packets, o->reps, rte_lcore_id(),
	       (double)rte_get_tsc_hz() / 1e6, cpu);
	printf("hugepages: %s\n", huge ? "yes" :
	       "no (--no-huge: figures run 1.5-2.5x high, shared/DPDK-NOTES.md)");
	printf("cycles per packet, median of %u passes; net = minus the "
	       "scenario's reset;\nfloor = reset + prepend 20 B + write a "
	       "40 B IPv6 header (tcp-syn 4->6 mbufs);\n+roam-*: +xlat with "
	       "a roaming table of %u entries (%zu bytes), one flow\n",
	       o->reps, roam_table_count(b.roam_hit),
	       roam_table_size(b.roam_hit));
	if (o->nat64 != 0)
		printf("nat64-in2out S: UDP 6->4 of a PLAT's established "
		       "flows, S sessions, a new flow\nper packet; +lookup = "
		       "parse + tuple + nat64_in2out_bulk() by %u\n",
		       NAT_BURST);
	printf("\n");

	for (i = 0; i < n_pkts; i++) {
		struct row *r;
		enum stage st;

		bench_build(i, &p);
		if (roam_pkt(&b, &p, &pr) != 0)
			goto out;
		for (st = ST_RESET; st <= ST_ROAM_HIT; st++) {
			r = &rows[1 + n_rows++];
			snprintf(r->scenario, sizeof(r->scenario), "%s %s",
				 p.name, p.v6 ? "6->4" : "4->6");
			measure(&b, st == ST_ROAM_HIT ? &pr : &p, st, o->reps,
				samples, r);
			r->reset = st == ST_RESET ? r->median :
				   r[-(int)st].reset;
			if (i == 0 && st == ST_RESET) {
				/* The floor, on the same mbufs right after
				 * their reset was timed. */
				fl = &rows[0];
				snprintf(fl->scenario, sizeof(fl->scenario),
					 "floor");
				measure(&b, &p, ST_FLOOR, o->reps, samples, fl);
				fl->reset = r->median;
			}
		}
	}
	for (i = 0; i < o->n_pcap; i++) {
		struct pcap_set *sets = pcaps[i];
		unsigned int k, st;

		for (k = 0; k < 2; k++) {
			if (sets[k].n == 0)
				continue;
			pcap_check(&b, &sets[k]);
			for (st = ST_RESET; st <= ST_XLAT; st++) {
				struct row *r = &rows[1 + n_rows++];

				RTE_BUILD_BUG_ON(sizeof(r->scenario) !=
						 sizeof(sets[k].name));
				memcpy(r->scenario, sets[k].name,
				       sizeof(r->scenario));
				pcap_measure(&b, &sets[k], (enum stage)st,
					     o->reps, samples, r);
				r->reset = st == ST_RESET ? r->median :
					   r[-(int)st].reset;
			}
		}
	}
	if (o->nat64 != 0) {
		static const enum stage nst[] = {
			ST_RESET, ST_PARSE, ST_LOOKUP, ST_XLAT,
		};
		struct nat_bench nb;
		struct row *r;
		unsigned int k;

		if (nat_setup(&b, &nb, o->nat64) != 0)
			goto out;
		for (k = 0; k < RTE_DIM(nst); k++) {
			r = &rows[1 + n_rows++];
			snprintf(r->scenario, sizeof(r->scenario),
				 "nat64-in2out %u", o->nat64);
			nat_measure(&b, &nb, nst[k], o->reps, samples, r);
			r->reset = k == 0 ? r->median : r[-(int)k].reset;
		}
		nat_free(&nb);
	}
	n_rows++;			/* the floor */
	print_rows(stdout, rows, n_rows, fl, o->packets, o->reps, 0, huge);
	if (b.errs != 0)
		printf("\nWARNING: %" PRIu64 " packets dropped in timed passes\n",
		       b.errs);
	if (o->csv != NULL &&
	    write_csv(o->csv, rows, n_rows, fl, o->packets, o->reps, huge) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; pcaps != NULL && i < o->n_pcap; i++) {
		pcap_free(&pcaps[i][0]);
		pcap_free(&pcaps[i][1]);
	}
	free(pcaps);
	if (have_mbufs)
		rte_pktmbuf_free_bulk(b.m, o->packets);
	rte_mempool_free(pool);
	roam_table_free(b.roam_miss);
	roam_table_free(b.roam_hit);
	free(b.m);
	free(samples);
	free(rows);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o = {
		.packets = DEF_PACKETS, .reps = DEF_REPS, .nat64 = DEF_NAT64,
	};
	char **nv;
	int nc, n, rc;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	nv = eal_args(argc, argv, &nc);
	if (nv == NULL) {
		fprintf(stderr, "meshxlat-bench: out of memory\n");
		return 1;
	}
	n = rte_eal_init(nc, nv);
	if (n < 0) {
		fprintf(stderr, "meshxlat-bench: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		free(nv);
		return 1;
	}
	rc = parse_opts(nc - n, nv + n, &o);
	if (rc != 0) {
		usage(rc > 0 ? stdout : stderr);
		rc = rc > 0 ? 0 : 1;
	} else {
		rc = run(&o) == 0 ? 0 : 1;
	}
	rte_eal_cleanup();
	free(nv);
	return rc;
}
