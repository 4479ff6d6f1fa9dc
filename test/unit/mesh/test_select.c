/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PLAT choice (app/agents/mesh/select.c) with the time passed in:
 * lowest metric first, hysteresis (threshold and hold-down), at once on
 * route loss and failed probes, no flapping back to a PLAT that failed.
 */
#include "unit.h"

#include "mesh.h"

#define THRESH	96
#define HOLD	30000
#define BAD	60000

static const struct mesh_sel_cfg CFG = {
	.threshold = THRESH, .hold_down_ms = HOLD, .probe_failures = 3,
	.bad_ms = BAD,
};

/* PLAT 'id' is 64:ff9b:1:id::/96. */
static struct mesh_cand
cand(uint8_t id, uint32_t metric)
{
	struct mesh_cand c = { .prefix = { .len = 96 }, .metric = metric };

	c.prefix.addr[0] = 0x00;
	c.prefix.addr[1] = 0x64;
	c.prefix.addr[2] = 0xff;
	c.prefix.addr[3] = 0x9b;
	c.prefix.addr[5] = 1;
	c.prefix.addr[7] = id;
	return c;
}

static uint8_t
cur(const struct mesh_sel *s)
{
	return s->has_cur ? s->cur.addr[7] : 0;
}

static void
test_select_initial_is_lowest_metric(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 300), cand(0xd, 200) };
	struct mesh_decision d;
	struct mesh_sel s;

	(void)state;
	mesh_sel_init(&s, &CFG);
	assert_int_equal(mesh_sel_eval(&s, NULL, 0, 1000, &d), 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 1000, &d), 1);
	assert_int_equal(d.reason, MESH_R_INITIAL);
	assert_int_equal(d.has_old, 0);
	assert_int_equal(d.new_pfx.addr[7], 0xd);
	assert_int_equal(d.new_metric, 200);
	assert_int_equal(cur(&s), 0xd);
	/* Nothing changes: nothing to do. */
	assert_int_equal(mesh_sel_eval(&s, c, 2, 2000, &d), 0);
	assert_int_equal(d.reason, MESH_R_NONE);
}

static void
test_select_small_difference_never_flips(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 200), cand(0xd, 250) };
	struct mesh_decision d;
	struct mesh_sel s;
	uint64_t t;

	(void)state;
	mesh_sel_init(&s, &CFG);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 1000, &d), 1);
	assert_int_equal(cur(&s), 0xc);
	/* D better by exactly the threshold, long after the hold-down. */
	c[1].metric = 200 - THRESH;
	for (t = 2000; t < 10 * HOLD; t += 1000)
		assert_int_equal(mesh_sel_eval(&s, c, 2, t, &d), 0);
	assert_int_equal(cur(&s), 0xc);
	assert_int_equal(s.held, 1);
	/* One more: better by more than the threshold. */
	c[1].metric = 103;
	assert_int_equal(mesh_sel_eval(&s, c, 2, t, &d), 1);
	assert_int_equal(d.reason, MESH_R_BETTER);
	assert_int_equal(d.old_gone, 0);
	assert_int_equal(d.old_pfx.addr[7], 0xc);
	assert_int_equal(cur(&s), 0xd);
}

static void
test_select_hold_down_after_switch(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 100), cand(0xd, 500) };
	struct mesh_decision d;
	struct mesh_sel s;

	(void)state;
	mesh_sel_init(&s, &CFG);
	mesh_sel_eval(&s, c, 2, 1000, &d);
	assert_int_equal(cur(&s), 0xc);
	/* C lost: D at once. */
	assert_int_equal(mesh_sel_eval(&s, &c[1], 1, 2000, &d), 1);
	assert_int_equal(d.reason, MESH_R_LOST);
	assert_int_equal(d.old_gone, 1);
	assert_int_equal(cur(&s), 0xd);
	/* C is back, much better: not before the hold-down has passed. */
	assert_int_equal(mesh_sel_eval(&s, c, 2, 2000 + HOLD - 1, &d), 0);
	assert_int_equal(s.held, 2);
	assert_int_equal(cur(&s), 0xd);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 2000 + HOLD, &d), 1);
	assert_int_equal(d.reason, MESH_R_BETTER);
	assert_int_equal(cur(&s), 0xc);
	assert_int_equal(s.switches, 3);
}

static void
test_select_route_lost_ignores_hold_down(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 100), cand(0xd, 500) };
	struct mesh_decision d;
	struct mesh_sel s;

	(void)state;
	mesh_sel_init(&s, &CFG);
	mesh_sel_eval(&s, c, 2, 1000, &d);
	/* Lost 1 ms after the initial choice: still at once. */
	assert_int_equal(mesh_sel_eval(&s, &c[1], 1, 1001, &d), 1);
	assert_int_equal(cur(&s), 0xd);
	/* D lost too: no PLAT. */
	assert_int_equal(mesh_sel_eval(&s, NULL, 0, 1002, &d), 1);
	assert_int_equal(d.reason, MESH_R_NONE_LEFT);
	assert_int_equal(d.has_new, 0);
	assert_int_equal(d.old_gone, 1);
	assert_int_equal(s.has_cur, 0);
	/* The first route back is chosen at once. */
	assert_int_equal(mesh_sel_eval(&s, &c[1], 1, 1003, &d), 1);
	assert_int_equal(d.reason, MESH_R_INITIAL);
	assert_int_equal(cur(&s), 0xd);
}

static void
test_select_probes_fail_then_switch_and_stay(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 100), cand(0xd, 500) };
	struct mesh_decision d;
	struct mesh_sel s;

	(void)state;
	mesh_sel_init(&s, &CFG);
	mesh_sel_eval(&s, c, 2, 1000, &d);
	mesh_sel_probe(&s, 0);
	mesh_sel_probe(&s, 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 2000, &d), 0);
	/* A reply resets the count. */
	mesh_sel_probe(&s, 1);
	mesh_sel_probe(&s, 0);
	mesh_sel_probe(&s, 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 3000, &d), 0);
	mesh_sel_probe(&s, 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 3001, &d), 1);
	assert_int_equal(d.reason, MESH_R_PROBES);
	assert_int_equal(d.old_gone, 1);
	assert_int_equal(cur(&s), 0xd);
	/* C still has the better route, but failed: not before bad_ms. */
	assert_int_equal(mesh_sel_eval(&s, c, 2, 3001 + HOLD, &d), 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 3000 + BAD, &d), 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 3001 + BAD, &d), 1);
	assert_int_equal(d.reason, MESH_R_BETTER);
	assert_int_equal(cur(&s), 0xc);
}

static void
test_select_probes_fail_no_alternative_keeps(void **state)
{
	struct mesh_cand c[] = { cand(0xc, 100) };
	struct mesh_decision d;
	struct mesh_sel s;
	int i;

	(void)state;
	mesh_sel_init(&s, &CFG);
	mesh_sel_eval(&s, c, 1, 1000, &d);
	for (i = 0; i < 10; i++)
		mesh_sel_probe(&s, 0);
	assert_int_equal(mesh_sel_eval(&s, c, 1, 2000, &d), 0);
	assert_int_equal(cur(&s), 0xc);
}

static void
test_select_probes_off(void **state)
{
	struct mesh_sel_cfg cfg = CFG;
	struct mesh_cand c[] = { cand(0xc, 100), cand(0xd, 500) };
	struct mesh_decision d;
	struct mesh_sel s;
	int i;

	(void)state;
	cfg.probe_failures = 0;
	mesh_sel_init(&s, &cfg);
	mesh_sel_eval(&s, c, 2, 1000, &d);
	for (i = 0; i < 10; i++)
		mesh_sel_probe(&s, 0);
	assert_int_equal(mesh_sel_eval(&s, c, 2, 2000, &d), 0);
	assert_int_equal(cur(&s), 0xc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_initial_is_lowest_metric),
		cmocka_unit_test(test_select_small_difference_never_flips),
		cmocka_unit_test(test_select_hold_down_after_switch),
		cmocka_unit_test(test_select_route_lost_ignores_hold_down),
		cmocka_unit_test(test_select_probes_fail_then_switch_and_stay),
		cmocka_unit_test(test_select_probes_fail_no_alternative_keeps),
		cmocka_unit_test(test_select_probes_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
