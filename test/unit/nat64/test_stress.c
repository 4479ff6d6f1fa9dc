/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64 under random operations: thousands of in2out/out2in packets
 * of every protocol and TCP flag, ICMP-error lookups, expiry with a clock
 * that jumps, held SYNs popped, snapshots taken and restored into a new
 * shard mid-run, on small shards that run out of sessions, ports and
 * clients. After every operation nat64_shard_check() proves the
 * invariants (every session's BIB entry exists, every index finds every
 * entry, counts agree, no port is bound twice, bitmaps match); the test
 * adds its own: lookups change nothing, a translated port belongs to the
 * shard that gave it, the walks agree with the stats, and every held SYN
 * comes back exactly once.
 */
#include "nat64_test.h"

#include <stdlib.h>

enum { N_SHARDS = 2, CAP = 96, OPS = 8000 };

struct world {
	struct nat64_cfg c;
	struct nat64_shard *sh[N_SHARDS];
	uint32_t seed;
	uint64_t now;
	uint64_t wall;
	int cookies[64];		/* a held SYN's cookie points here */
	uint8_t held[64];		/* 1 while the shard holds it */
	struct nat64_tuple4 seen4[64];	/* outputs to reply to */
	unsigned int n_seen4;
	uint64_t verdicts[NAT64_VERDICT_MAX];
};

/* Verdicts of all runs, for test_stress_every_limit. */
static uint64_t all_runs[NAT64_VERDICT_MAX];

static uint32_t
rnd(struct world *w, uint32_t n)
{
	return unit_rand(&w->seed) % n;
}

static uint8_t
rnd_proto(struct world *w)
{
	static const uint8_t p[] = { PKT_PROTO_TCP, PKT_PROTO_TCP,
				     PKT_PROTO_UDP, PKT_PROTO_ICMP, 47 };

	return p[rnd(w, sizeof(p))];
}

static uint8_t
rnd_flags(struct world *w)
{
	static const uint8_t f[] = { NAT64_TCP_SYN, NAT64_TCP_SYN | 0x10,
				     0x10, 0x18, NAT64_TCP_FIN | 0x10,
				     NAT64_TCP_RST, NAT64_TCP_RST | 0x10 };

	return f[rnd(w, sizeof(f))];
}

static void
check_all(struct world *w, const char *after)
{
	unsigned int i;

	for (i = 0; i < N_SHARDS; i++) {
		char err[NAT64_ERR_SIZE] = "";

		if (nat64_shard_check(w->sh[i], err, sizeof(err)) != 0)
			fail_msg("shard %u after %s: %s", i, after, err);
	}
}

static void
op_in2out(struct world *w)
{
	/* A few heavy clients among many light ones. */
	uint32_t client = rnd(w, 3) == 0 ? rnd(w, 3) : rnd(w, 60);
	struct nat64_tuple6 t = nt_t6(client, (uint16_t)(rnd(w, 40) + 9000),
				      IP4(198, 51, 100, rnd(w, 16)),
				      (uint16_t)(rnd(w, 8) + 80), rnd_proto(w));
	unsigned int s = nat64_ports_owner_in2out(nat64_shard_ports(w->sh[0]),
						  t.addr6);
	struct nat64_tuple4 o;
	enum nat64_verdict v;

	v = nat64_in2out(w->sh[s], &t, rnd_flags(w), w->now, &o);
	assert_true(v < NAT64_VERDICT_MAX && v != NAT64_HELD);
	w->verdicts[v]++;
	if (v != NAT64_OK)
		return;
	assert_int_equal(o.rem4, t.rem4);
	assert_int_equal(nat64_owner_out2in(nat64_shard_ports(w->sh[s]),
					    o.addr4, o.port4, o.proto), (int)s);
	w->seen4[w->n_seen4++ % 64] = o;
}

static void
op_out2in(struct world *w)
{
	struct nat64_tuple4 t;
	struct nat64_tuple6 o;
	enum nat64_verdict v;
	unsigned int k = rnd(w, 64), s;
	int owner;

	if (w->n_seen4 != 0 && rnd(w, 4) != 0) {
		t = nt_reply(&w->seen4[rnd(w, w->n_seen4 < 64 ? w->n_seen4
							       : 64)]);
		if (rnd(w, 3) == 0)
			t.rem4 = IP4(203, 0, 113, rnd(w, 3));
		if (rnd(w, 3) == 0)
			t.rport = (uint16_t)rnd(w, 4);
	} else {
		t = nt_t4(IP4(10, 23, 0, 9), (uint16_t)(9000 + rnd(w, 256)),
			  IP4(203, 0, 113, rnd(w, 3)), (uint16_t)rnd(w, 4),
			  rnd_proto(w));
	}
	owner = nat64_owner_out2in(nat64_shard_ports(w->sh[0]), t.addr4,
				   t.port4, t.proto);
	s = owner < 0 ? rnd(w, N_SHARDS) : (unsigned int)owner;
	v = nat64_out2in(w->sh[s], &t, rnd_flags(w), w->now,
			 w->held[k] ? NULL : &w->cookies[k], &o);
	assert_true(v < NAT64_VERDICT_MAX);
	w->verdicts[v]++;
	if (v == NAT64_HELD)
		w->held[k] = 1;
}

static void
op_lookup(struct world *w)
{
	unsigned int s = rnd(w, N_SHARDS);
	struct nat64_stats before, after;
	struct nat64_tuple6 t6 = nt_t6(rnd(w, 12), (uint16_t)(rnd(w, 24) + 9000),
				       IP4(198, 51, 100, rnd(w, 4)), 80,
				       rnd_proto(w)), o6;
	struct nat64_tuple4 o4, t4;

	nat64_shard_stats(w->sh[s], &before);
	nat64_in2out_lookup(w->sh[s], &t6, &o4);
	if (w->n_seen4 != 0) {
		t4 = nt_reply(&w->seen4[rnd(w, w->n_seen4 < 64 ? w->n_seen4
							        : 64)]);
		nat64_out2in_lookup(w->sh[s], &t4, &o6);
	}
	nat64_shard_stats(w->sh[s], &after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void
op_holds(struct world *w)
{
	struct nat64_hold h[8];
	unsigned int s, n, i;

	for (s = 0; s < N_SHARDS; s++) {
		n = nat64_shard_holds_pop(w->sh[s], w->now, h, 8);
		for (i = 0; i < n; i++) {
			unsigned int k = (unsigned int)((int *)h[i].cookie -
							w->cookies);

			assert_true(k < 64);
			assert_int_equal(w->held[k], 1);
			w->held[k] = 0;
		}
	}
}

static long
snap_roundtrip(struct world *w, unsigned int s)
{
	struct nat64_membuf m = { malloc(1 << 18), 1 << 18, 0, 0 };
	struct nat64_hold h[64];
	struct nat64_shard *fresh;
	char err[NAT64_ERR_SIZE] = "";
	unsigned int n, i;
	long r;

	assert_non_null(m.buf);
	/* Holds are packets: hand them back before the restart. */
	n = nat64_shard_holds_flush(w->sh[s], w->now, h, 64);
	for (i = 0; i < n; i++)
		w->held[(int *)h[i].cookie - w->cookies] = 0;
	assert_int_equal(nat64_shard_save(w->sh[s], nat64_snap_write_mem, &m,
					  w->now, w->wall), 0);
	fresh = nt_shard(&w->c, s, N_SHARDS, CAP);
	w->now += 1000 + rnd(w, 100000);
	w->wall += 1000 + rnd(w, 100000);
	r = nat64_shard_restore(fresh, nat64_snap_read_mem, &m, w->now,
				w->wall, err, sizeof(err));
	if (r < 0)
		fail_msg("restore: %s", err);
	nat64_shard_free(w->sh[s]);
	w->sh[s] = fresh;
	free(m.buf);
	return r;
}

static int
count_one(const struct nat64_sess_info *s, void *arg)
{
	(void)s;
	(*(uint64_t *)arg)++;
	return 0;
}

static void
walks_agree(struct world *w)
{
	unsigned int s, k;

	for (s = 0; s < N_SHARDS; s++) {
		struct nat64_stats st;
		uint64_t n = 0, want = 0;
		uint32_t cur = 0;

		nat64_shard_stats(w->sh[s], &st);
		while (cur != NAT64_CURSOR_END)
			nat64_shard_walk_sess(w->sh[s], NULL, &cur, 17, w->now,
					      count_one, &n);
		for (k = 0; k < NAT64_NPROTO; k++)
			want += st.sessions[k];
		assert_int_equal(n, want);
		assert_true(want <= CAP);
	}
}

static void
run(uint32_t seed, int adf)
{
	struct world *w = calloc(1, sizeof(*w));
	unsigned int i, restores = 0;
	uint64_t ok = 0;

	assert_non_null(w);
	nt_cfg(&w->c);
	w->c.max_sessions = CAP * N_SHARDS;
	w->c.max_sessions_per_client = 24;
	w->c.max_blocks_per_client = 1;
	w->c.max_held_syns = 16;
	w->c.block_size = 8;
	w->c.pool4[0].port_hi = 9255;	/* 32 blocks per protocol */
	w->c.address_dependent_filtering = (uint8_t)adf;
	w->c.seed = seed;
	w->seed = seed;
	w->now = T0;
	w->wall = 1700000000ULL * SEC;
	for (i = 0; i < N_SHARDS; i++)
		w->sh[i] = nt_shard(&w->c, i, N_SHARDS, 0);
	for (i = 0; i < OPS; i++) {
		uint32_t r = rnd(w, 100);

		if (r < 45)
			op_in2out(w);
		else if (r < 75)
			op_out2in(w);
		else if (r < 85)
			op_lookup(w);
		else if (r < 95)
			w->now += rnd(w, 200) == 0 ? rnd(w, 400) * SEC
						   : rnd(w, 500);
		else if (r < 98)
			nat64_shard_expire(w->sh[rnd(w, N_SHARDS)], w->now,
					   1 + rnd(w, 50));
		else if (r < 99)
			op_holds(w);
		else {
			snap_roundtrip(w, rnd(w, N_SHARDS));
			restores++;
		}
		if (i % 7 == 0)
			nat64_shard_expire(w->sh[i % N_SHARDS], w->now, 20);
		check_all(w, "an operation");
		if (i % 50 == 0)
			walks_agree(w);
	}
	/* A fresh shard starts its counters at 0: count here. */
	for (i = 0; i < NAT64_VERDICT_MAX; i++)
		if (getenv("NAT64_STRESS_VERBOSE") != NULL)
			printf("%s %llu\n", nat64_verdict_name(i),
			       (unsigned long long)w->verdicts[i]);
	ok = w->verdicts[NAT64_OK];
	assert_true(ok > OPS / 10);
	/* The limits were hit; the indexes never filled. */
	{
		static const uint8_t hit[] = {
			NAT64_HELD, NAT64_PROTO, NAT64_NO_BIB,
			NAT64_CLIENT_BLOCKS, NAT64_CLIENT_SESSIONS,
		};

		for (i = 0; i < sizeof(hit); i++)
			if (w->verdicts[hit[i]] == 0)
				fail_msg("never %s",
					 nat64_verdict_name(hit[i]));
		assert_true(w->verdicts[NAT64_POOL_EXHAUSTED] +
			    w->verdicts[NAT64_MAX_BLOCKS] > 0);
		if (adf)
			assert_true(w->verdicts[NAT64_FILTERED] > 0);
		assert_int_equal(w->verdicts[NAT64_TABLE_FULL], 0);
		for (i = 0; i < NAT64_VERDICT_MAX; i++)
			all_runs[i] += w->verdicts[i];
	}
	assert_true(restores > 10);
	/* At the end everything expires and comes back (ESTABLISHED goes
	 * through TRANS first, hence two rounds). */
	for (i = 0; i < 2 * N_SHARDS; i++) {
		w->now += 100000 * SEC;
		while (nat64_shard_expire(w->sh[i % N_SHARDS], w->now,
					  1000) != 0)
			;
		w->now += 100000 * SEC;
		while (nat64_shard_expire(w->sh[i % N_SHARDS], w->now,
					  1000) != 0)
			;
	}
	for (i = 0; i < N_SHARDS; i++) {
		struct nat64_stats st;
		unsigned int k;

		nat64_shard_stats(w->sh[i], &st);
		for (k = 0; k < NAT64_NPROTO; k++) {
			assert_int_equal(st.sessions[k], 0);
			assert_int_equal(st.blocks[k], 0);
		}
		assert_int_equal(st.clients, 0);
	}
	op_holds(w);
	for (i = 0; i < 64; i++)
		assert_int_equal(w->held[i], 0);
	check_all(w, "the end");
	for (i = 0; i < N_SHARDS; i++)
		nat64_shard_free(w->sh[i]);
	free(w);
}

static void
test_stress_eif(void **state)
{
	(void)state;
	run(1, 0);
	run(2, 0);
}

static void
test_stress_adf(void **state)
{
	(void)state;
	run(3, 1);
	run(4, 1);
}

/* Over all runs, every way to run out was taken. */
static void
test_stress_every_limit(void **state)
{
	static const uint8_t hit[] = {
		NAT64_POOL_EXHAUSTED, NAT64_MAX_BLOCKS, NAT64_MAX_SESSIONS,
		NAT64_FILTERED, NAT64_HOLD_DUP,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(hit); i++)
		if (all_runs[hit[i]] == 0)
			fail_msg("never %s", nat64_verdict_name(hit[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_eif),
		cmocka_unit_test(test_stress_adf),
		cmocka_unit_test(test_stress_every_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
