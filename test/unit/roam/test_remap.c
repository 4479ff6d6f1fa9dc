/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/roam remap.c: seed 003's walk-through, table-driven. Client
 * 192.168.0.23 got its lease at node D (CLATD), roamed from node A to
 * node B (CLATB), and keeps PLAT C; node B's CLAT has meanwhile chosen
 * PLAT E for new clients. Node B holds proamD (ROAM_CLAT CLATB:client ->
 * PLATC); PLAT C holds rofromD (ROAM_FROM CLATB:client -> CLATD) and
 * rotoB (ROAM_TO CLATD:client -> CLATB); node A holds nothing any more.
 * For TCP, UDP and ICMPv6 echo: which rewrites happen on B and on C, in
 * both directions, that the way out and the way back invert each other,
 * that an ICMPv6 error follows its flow, and that expired entries and
 * other clients are left alone. Each expected packet is built from
 * scratch and compared byte for byte (checksums included).
 */
#include "unit.h"

#include "roam.h"
#include "roam_test.h"

#define LEASE	3600	/* seconds; 'now' is in seconds here */

static struct roam_table *tab[N_NODES];	/* NULL: node holds nothing */
static uint8_t plat_b[12];		/* node B's current PLAT: PLAT E */

/* An address of the walk-through: 'c'lat or 'p'lat range, node, IPv4. */
struct ad {
	char range;
	int node;
	const char *v4;
};

static void
mk(const struct ad *d, uint8_t *a)
{
	uint8_t pfx[12];

	if (d->range == 'c')
		rt_clat(d->node, pfx);
	else
		rt_plat(d->node, pfx);
	rt_addr(pfx, d->v4, a);
}

static int
setup(void **state)
{
	struct roam_db *b = roam_db_create(16, 0xb0b), *c =
		roam_db_create(16, 0xc0c), *a = roam_db_create(16, 0xa0a);
	uint8_t clatb_client[16], clatd_client[16], platc[12], clatb[12],
		clatd[12];

	(void)state;
	if (a == NULL || b == NULL || c == NULL)
		return -1;
	rt_clat(NODE_B, clatb);
	rt_clat(NODE_D, clatd);
	rt_plat(NODE_C, platc);
	rt_plat(NODE_E, plat_b);
	rt_addr(clatb, RT_CLIENT, clatb_client);
	rt_addr(clatd, RT_CLIENT, clatd_client);

	/* Node A served the client before: its entry went with the CLAIM. */
	if (roam_db_add(a, ROAM_CLAT, clatb_client, platc, LEASE, NULL) != 0 ||
	    roam_db_del(a, ROAM_CLAT, clatb_client, NULL) != 0)
		return -1;
	/* ipset add proamD CLATB:CLIENTIP timeout LEASETIME */
	if (roam_db_add(b, ROAM_CLAT, clatb_client, platc, LEASE, NULL) != 0)
		return -1;
	/* ipset add rotoB CLATD:CLIENTIP / rofromD CLATB:CLIENTIP */
	if (roam_db_add(c, ROAM_TO, clatd_client, clatb, LEASE, NULL) != 0 ||
	    roam_db_add(c, ROAM_FROM, clatb_client, clatd, LEASE, NULL) != 0)
		return -1;
	tab[NODE_A] = roam_table_build(a);
	tab[NODE_B] = roam_table_build(b);
	tab[NODE_C] = roam_table_build(c);
	roam_db_free(a);
	roam_db_free(b);
	roam_db_free(c);
	return tab[NODE_A] && tab[NODE_B] && tab[NODE_C] ? 0 : -1;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < N_NODES; i++) {
		roam_table_free(tab[i]);
		tab[i] = NULL;
	}
	return 0;
}

struct rcase {
	const char *what;
	int node;
	enum roam_step step;
	struct ad src, dst;		/* in */
	struct ad osrc, odst;		/* expected out */
	int remapped;
};

#define CB(ip) { 'c', NODE_B, ip }
#define CD(ip) { 'c', NODE_D, ip }
#define PC(ip) { 'p', NODE_C, ip }
#define PE(ip) { 'p', NODE_E, ip }

static const struct rcase cases[] = {
	{ "B out: proamD src -> dst NETMAP PLATC", NODE_B,
	  ROAM_STEP_CLAT_OUT, CB(RT_CLIENT), PE(RT_SERVER),
	  CB(RT_CLIENT), PC(RT_SERVER), 1 },
	{ "C in2out: rofromD src -> src NETMAP CLATD", NODE_C,
	  ROAM_STEP_PLAT_IN2OUT, CB(RT_CLIENT), PC(RT_SERVER),
	  CD(RT_CLIENT), PC(RT_SERVER), 1 },
	{ "C out2in: rotoB dst -> dst NETMAP CLATB", NODE_C,
	  ROAM_STEP_PLAT_OUT2IN, PC(RT_SERVER), CD(RT_CLIENT),
	  PC(RT_SERVER), CB(RT_CLIENT), 1 },
	{ "B in: from PLATC to proamD -> src NETMAP PLATB", NODE_B,
	  ROAM_STEP_CLAT_IN, PC(RT_SERVER), CB(RT_CLIENT),
	  PE(RT_SERVER), CB(RT_CLIENT), 1 },
	/* Left alone. */
	{ "B out: a client that did not roam", NODE_B, ROAM_STEP_CLAT_OUT,
	  CB("192.168.0.99"), PE(RT_SERVER),
	  CB("192.168.0.99"), PE(RT_SERVER), 0 },
	{ "B in: reply from the current PLAT already", NODE_B,
	  ROAM_STEP_CLAT_IN, PE(RT_SERVER), CB(RT_CLIENT),
	  PE(RT_SERVER), CB(RT_CLIENT), 0 },
	{ "B in: from PLATC to a client that did not roam", NODE_B,
	  ROAM_STEP_CLAT_IN, PC(RT_SERVER), CB("192.168.0.99"),
	  PC(RT_SERVER), CB("192.168.0.99"), 0 },
	{ "B in: outgoing step does not match replies", NODE_B,
	  ROAM_STEP_CLAT_OUT, PC(RT_SERVER), CB(RT_CLIENT),
	  PC(RT_SERVER), CB(RT_CLIENT), 0 },
	{ "C in2out: a client still at D", NODE_C, ROAM_STEP_PLAT_IN2OUT,
	  CD("192.168.0.50"), PC(RT_SERVER),
	  CD("192.168.0.50"), PC(RT_SERVER), 0 },
	{ "C in2out: the old address itself is not remapped", NODE_C,
	  ROAM_STEP_PLAT_IN2OUT, CD(RT_CLIENT), PC(RT_SERVER),
	  CD(RT_CLIENT), PC(RT_SERVER), 0 },
	{ "C out2in: to the new address already", NODE_C,
	  ROAM_STEP_PLAT_OUT2IN, PC(RT_SERVER), CB(RT_CLIENT),
	  PC(RT_SERVER), CB(RT_CLIENT), 0 },
	{ "C: the CLAT steps find no proamD on a PLAT", NODE_C,
	  ROAM_STEP_CLAT_OUT, CB(RT_CLIENT), PE(RT_SERVER),
	  CB(RT_CLIENT), PE(RT_SERVER), 0 },
	{ "B: the PLAT steps find no rofromD on node B", NODE_B,
	  ROAM_STEP_PLAT_IN2OUT, CB(RT_CLIENT), PC(RT_SERVER),
	  CB(RT_CLIENT), PC(RT_SERVER), 0 },
	{ "A: released the client, rewrites nothing", NODE_A,
	  ROAM_STEP_CLAT_OUT, CB(RT_CLIENT), PE(RT_SERVER),
	  CB(RT_CLIENT), PE(RT_SERVER), 0 },
	{ "D: has no table at all", NODE_D,
	  ROAM_STEP_PLAT_OUT2IN, PC(RT_SERVER), CD(RT_CLIENT),
	  PC(RT_SERVER), CD(RT_CLIENT), 0 },
};

static const uint8_t protos[] = { PKT_PROTO_TCP, PKT_PROTO_UDP,
				  PKT_PROTO_ICMP6 };

/* Build 'c' for 'proto' in and expected; apply at 'now'. */
static void
run_case(const struct rcase *c, uint8_t proto, uint64_t now, int expired)
{
	uint8_t s[16], d[16], os[16], od[16], in[256], want[256];
	uint32_t n;
	int remapped = -1;

	mk(&c->src, s);
	mk(&c->dst, d);
	mk(&c->osrc, os);
	mk(&c->odst, od);
	n = rt_pkt(in, s, d, proto, 40000, 53, 33);
	if (c->remapped && !expired)
		assert_int_equal(rt_pkt(want, os, od, proto, 40000, 53, 33), n);
	else
		memcpy(want, in, n);
	assert_int_equal(roam_apply(tab[c->node], c->step, plat_b, now, in, n,
				    &remapped), PKT_DROP_NONE);
	if (memcmp(in, want, n) != 0 ||
	    remapped != (c->remapped && !expired))
		fail_msg("%s (proto %u, now %lu): wrong packet or flag %d",
			 c->what, proto, (unsigned long)now, remapped);
}

static void
test_remap_seed_walkthrough_table(void **state)
{
	size_t i, p;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (p = 0; p < sizeof(protos); p++)
			run_case(&cases[i], protos[p], 1, 0);
}

/* At the lease's end every rewrite stops, with no table rebuilt. */
static void
test_remap_expired_lease_rewrites_nothing(void **state)
{
	size_t i, p;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (p = 0; p < sizeof(protos); p++) {
			run_case(&cases[i], protos[p], LEASE - 1, 0);
			run_case(&cases[i], protos[p], LEASE, 1);
		}
}

/* Node B with no PLAT selected: replies are not remapped. */
static void
test_remap_clat_in_without_plat(void **state)
{
	uint8_t s[16], d[16], in[256], copy[256];
	const struct ad src = PC(RT_SERVER), dst = CB(RT_CLIENT);
	uint32_t n;
	int remapped = -1;

	(void)state;
	mk(&src, s);
	mk(&dst, d);
	n = rt_pkt(in, s, d, PKT_PROTO_UDP, 53, 40000, 10);
	memcpy(copy, in, n);
	assert_int_equal(roam_apply(tab[NODE_B], ROAM_STEP_CLAT_IN, NULL, 1,
				    in, n, &remapped), PKT_DROP_NONE);
	assert_int_equal(remapped, 0);
	assert_memory_equal(in, copy, n);
	/* Short buffers are refused before any lookup reads them. */
	assert_int_equal(roam_apply(tab[NODE_B], ROAM_STEP_CLAT_IN, plat_b, 1,
				    in, 39, &remapped), PKT_DROP_IP6_TRUNC);
}

/*
 * The whole trip: what the client sends through B reaches C's NAT64 as
 * it did from D before the roam (CLATD:client -> PLATC:server), and the
 * NAT64's reply reaches B's CLAT as a reply from B's current PLAT (PLATE:
 * server -> CLATB:client): out and back invert each other.
 */
static void
test_remap_round_trip_inverts(void **state)
{
	const struct ad cb = CB(RT_CLIENT), cd = CD(RT_CLIENT),
		pc = PC(RT_SERVER), pe = PE(RT_SERVER);
	uint8_t acb[16], acd[16], apc[16], ape[16], pkt[256], want[256];
	uint32_t n;
	size_t p;
	int r;

	(void)state;
	mk(&cb, acb);
	mk(&cd, acd);
	mk(&pc, apc);
	mk(&pe, ape);
	for (p = 0; p < sizeof(protos); p++) {
		/* Out: B's CLAT made this from the client's IPv4 packet. */
		n = rt_pkt(pkt, acb, ape, protos[p], 40000, 443, 100 + p);
		assert_int_equal(roam_apply(tab[NODE_B], ROAM_STEP_CLAT_OUT,
					    plat_b, 1, pkt, n, &r), 0);
		assert_int_equal(roam_apply(tab[NODE_C],
					    ROAM_STEP_PLAT_IN2OUT, NULL, 1,
					    pkt, n, &r), 0);
		rt_pkt(want, acd, apc, protos[p], 40000, 443, 100 + p);
		assert_memory_equal(pkt, want, n);

		/* Back: C's NAT64 made this from the server's reply. */
		n = rt_pkt(pkt, apc, acd, protos[p], 443, 40000, 7 + p);
		assert_int_equal(roam_apply(tab[NODE_C],
					    ROAM_STEP_PLAT_OUT2IN, NULL, 1,
					    pkt, n, &r), 0);
		assert_int_equal(roam_apply(tab[NODE_B], ROAM_STEP_CLAT_IN,
					    plat_b, 1, pkt, n, &r), 0);
		rt_pkt(want, ape, acb, protos[p], 443, 40000, 7 + p);
		assert_memory_equal(pkt, want, n);
	}
}

/*
 * An ICMPv6 error about the client's flow follows it: at C (out2in) the
 * outer destination and the quoted source go to CLATB; at B (in) the
 * outer source and the quoted destination go from PLATC to PLATE, which
 * is what B's CLAT expects of an error from its PLAT.
 */
static void
test_remap_icmp_error_follows_flow(void **state)
{
	const struct ad cb = CB(RT_CLIENT), cd = CD(RT_CLIENT),
		pc = PC(RT_SERVER), pe = PE(RT_SERVER),
		rc = PC("203.0.113.1"), re = PE("203.0.113.1");
	uint8_t acb[16], acd[16], apc[16], ape[16], arc[16], are[16];
	uint8_t q[128], pkt[256], want[256];
	uint32_t qn, n;
	int r;

	(void)state;
	mk(&cb, acb);
	mk(&cd, acd);
	mk(&pc, apc);
	mk(&pe, ape);
	mk(&rc, arc);
	mk(&re, are);
	/* C's NAT64 translated an ICMPv4 unreachable from a router. */
	qn = rt_pkt(q, acd, apc, PKT_PROTO_UDP, 40000, 53, 20);
	n = rt_icmp_err(pkt, arc, acd, PKT_ICMP6_UNREACH, q, qn);
	assert_int_equal(roam_apply(tab[NODE_C], ROAM_STEP_PLAT_OUT2IN, NULL,
				    1, pkt, n, &r), PKT_DROP_NONE);
	assert_int_equal(r, 1);
	qn = rt_pkt(q, acb, apc, PKT_PROTO_UDP, 40000, 53, 20);
	rt_icmp_err(want, arc, acb, PKT_ICMP6_UNREACH, q, qn);
	assert_memory_equal(pkt, want, n);

	assert_int_equal(roam_apply(tab[NODE_B], ROAM_STEP_CLAT_IN, plat_b,
				    1, pkt, n, &r), PKT_DROP_NONE);
	assert_int_equal(r, 1);
	qn = rt_pkt(q, acb, ape, PKT_PROTO_UDP, 40000, 53, 20);
	rt_icmp_err(want, are, acb, PKT_ICMP6_UNREACH, q, qn);
	assert_memory_equal(pkt, want, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remap_seed_walkthrough_table),
		cmocka_unit_test(test_remap_expired_lease_rewrites_nothing),
		cmocka_unit_test(test_remap_clat_in_without_plat),
		cmocka_unit_test(test_remap_round_trip_inverts),
		cmocka_unit_test(test_remap_icmp_error_follows_flow),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
