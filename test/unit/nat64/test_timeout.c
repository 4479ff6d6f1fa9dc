/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/timeout.c: expiry with a fake clock (no sleeps). Sessions go
 * exactly one second after their lifetime ran out and never before, a
 * refresh extends them, the budget bounds the work of one call, long
 * lifetimes go round the wheel, a clock that jumps far ahead still frees
 * everything, and a random workload agrees with a model of last-seen
 * times second by second.
 */
#include "nat64_test.h"

#define REM	IP4(198, 51, 100, 1)

static enum nat64_verdict
flow(struct nat64_shard *sh, uint32_t i, uint64_t now)
{
	struct nat64_tuple6 t = nt_t6(i / 50, (uint16_t)(1000 + i), REM, 53,
				      PKT_PROTO_UDP);
	struct nat64_tuple4 o;

	return nat64_in2out(sh, &t, 0, now, &o);
}

static struct nat64_shard *
mk(uint32_t cap)
{
	struct nat64_cfg c;

	nt_cfg(&c);
	c.max_blocks_per_client = 16;
	return nt_shard(&c, 0, 1, cap);
}

static void
test_expire_exactly_after_lifetime_and_refresh(void **state)
{
	struct nat64_shard *sh = mk(64);

	(void)state;
	assert_int_equal(flow(sh, 0, T0), NAT64_OK);
	assert_int_equal(flow(sh, 1, T0 + 999), NAT64_OK);	/* same second */
	assert_int_equal(flow(sh, 2, T0 + SEC), NAT64_OK);
	assert_int_equal(nat64_shard_expire(sh, T0 + 300 * SEC + 999, 100), 0);
	assert_int_equal(nat64_shard_expire(sh, T0 + 301 * SEC, 100), 2);
	/* Flow 2, refreshed at +200 s, lives until +500 s. */
	assert_int_equal(flow(sh, 2, T0 + 200 * SEC), NAT64_OK);
	assert_int_equal(nat64_shard_expire(sh, T0 + 500 * SEC, 100), 0);
	assert_int_equal(nat64_shard_expire(sh, T0 + 501 * SEC, 100), 1);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_expire_budget_bounds_one_call(void **state)
{
	struct nat64_shard *sh = mk(1024);
	unsigned int total = 0, n, calls = 0;
	uint32_t i;

	(void)state;
	for (i = 0; i < 500; i++)
		assert_int_equal(flow(sh, i, T0), NAT64_OK);
	do {
		n = nat64_shard_expire(sh, T0 + 301 * SEC, 64);
		assert_true(n <= 64);
		total += n;
		calls++;
		nt_check(sh);
	} while (n != 0);
	assert_int_equal(total, 500);
	assert_true(calls >= 8);
	nat64_shard_free(sh);
}

static void
test_expire_after_long_pause(void **state)
{
	struct nat64_shard *sh = mk(1024);
	unsigned int total = 0, n;
	uint32_t i;

	(void)state;
	for (i = 0; i < 300; i++)
		assert_int_equal(flow(sh, i, T0 + i * 7 * SEC), NAT64_OK);
	/* Nobody called expire for a day. */
	do {
		n = nat64_shard_expire(sh, T0 + 86400 * SEC, 1000);
		total += n;
	} while (n != 0);
	assert_int_equal(total, 300);
	nt_check(sh);
	/* The wheel carries on from there. */
	assert_int_equal(flow(sh, 0, T0 + 86400 * SEC), NAT64_OK);
	assert_int_equal(nat64_shard_expire(sh, T0 + 86700 * SEC, 10), 0);
	assert_int_equal(nat64_shard_expire(sh, T0 + 86701 * SEC, 10), 1);
	nat64_shard_free(sh);
}

/* Alive sessions, as a bitmap of flow numbers (port6 - 1000). */
static int
mark(const struct nat64_sess_info *s, void *arg)
{
	uint8_t *alive = arg;

	alive[s->port6 - 1000] = 1;
	return 0;
}

static void
test_expire_matches_model(void **state)
{
	enum { FLOWS = 400, SECS = 1500 };
	struct nat64_shard *sh = mk(1024);
	uint64_t last[FLOWS];
	uint8_t alive[FLOWS];
	uint32_t seed = 99, i, t;

	(void)state;
	for (i = 0; i < FLOWS; i++)
		last[i] = 0;
	for (t = 0; t < SECS; t++) {
		uint64_t now = T0 + t * SEC + unit_rand(&seed) % SEC;
		uint32_t k, cur = 0;

		for (k = 0; k < 3; k++) {
			i = unit_rand(&seed) % FLOWS;
			assert_int_equal(flow(sh, i, now), NAT64_OK);
			last[i] = now / SEC;
		}
		nat64_shard_expire(sh, now, 100000);
		memset(alive, 0, sizeof(alive));
		nat64_shard_walk_sess(sh, NULL, &cur, 0, now, mark, alive);
		for (i = 0; i < FLOWS; i++) {
			int want = last[i] != 0 && now / SEC - last[i] <= 300;

			if (alive[i] != want)
				fail_msg("t=%u flow %u: alive %u, last seen %llu s ago",
					 t, i, alive[i],
					 (unsigned long long)(now / SEC - last[i]));
		}
		if (t % 100 == 0)
			nt_check(sh);
	}
	nat64_shard_free(sh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expire_exactly_after_lifetime_and_refresh),
		cmocka_unit_test(test_expire_budget_bounds_one_call),
		cmocka_unit_test(test_expire_after_long_pause),
		cmocka_unit_test(test_expire_matches_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
