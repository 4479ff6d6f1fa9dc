/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * babeld's local interface lines (app/agents/mesh/babel.c), with lines
 * as babeld 1.12 prints them after "monitor", and the PLAT candidates
 * taken from the table they build.
 */
#include "unit.h"

#include <stdio.h>

#include <arpa/inet.h>

#include "mesh.h"

#define R_C "add route 55e1eec80890 prefix 64:ff9b:1:200:5e10:11::/96 " \
	"from ::/0 installed yes id 4c:b4:36:27:9f:28:71:d9 metric 224 "  \
	"refmetric 128 via fe80::a882:78ff:fe05:502b if mx0"

static struct mesh_routes T;

static const struct pkt_pfx6 *
range(void)
{
	static struct pkt_pfx6 r = { .len = 48 };

	inet_pton(AF_INET6, "64:ff9b:1::", r.addr);
	return &r;
}

static enum mesh_babel_verb
parse(const char *l, struct mesh_babel_route *r, int *bad)
{
	return mesh_babel_parse(l, strlen(l), r, bad);
}

static void
apply(const char *l)
{
	struct mesh_babel_route r;
	enum mesh_babel_verb v;
	int bad;

	v = parse(l, &r, &bad);
	assert_int_equal(bad, 0);
	mesh_routes_apply(&T, v, &r);
}

static void
test_babel_route_line_fields(void **state)
{
	struct mesh_babel_route r;
	uint8_t want[16];
	int bad;

	(void)state;
	assert_int_equal(parse(R_C, &r, &bad), MESH_BABEL_ADD);
	assert_int_equal(bad, 0);
	assert_string_equal(r.id, "55e1eec80890");
	assert_int_equal(r.family, 6);
	inet_pton(AF_INET6, "64:ff9b:1:200:5e10:11::", want);
	assert_memory_equal(r.prefix.addr, want, 16);
	assert_int_equal(r.prefix.len, 96);
	assert_int_equal(r.from.len, 0);
	assert_int_equal(r.installed, 1);
	assert_int_equal(r.metric, 224);
	assert_int_equal(r.refmetric, 128);
	assert_string_equal(r.ifname, "mx0");
}

static void
test_babel_other_lines(void **state)
{
	struct mesh_babel_route r;
	int bad;

	(void)state;
	assert_int_equal(parse("BABEL 1.0", &r, &bad), MESH_BABEL_OTHER);
	assert_int_equal(bad, 0);
	assert_int_equal(parse("ok", &r, &bad), MESH_BABEL_OK);
	assert_int_equal(parse("bad", &r, &bad), MESH_BABEL_BAD);
	assert_int_equal(parse("no", &r, &bad), MESH_BABEL_BAD);
	assert_int_equal(parse("add neighbour 55e1 address fe80::1 if v1 "
			       "reach ffff rxcost 96 txcost 96 cost 96", &r,
			       &bad), MESH_BABEL_OTHER);
	assert_int_equal(bad, 0);
	assert_int_equal(parse("add xroute fd64::/96-::/0 prefix fd64::/96 "
			       "from ::/0 metric 128", &r, &bad),
			 MESH_BABEL_OTHER);
	assert_int_equal(parse("", &r, &bad), MESH_BABEL_OTHER);
	/* IPv4 routes parse, as family 4. */
	assert_int_equal(parse("add route 1 prefix 10.0.0.0/8 from 0.0.0.0/0 "
			       "installed yes metric 96", &r, &bad),
			 MESH_BABEL_ADD);
	assert_int_equal(r.family, 4);
}

static void
test_babel_bad_route_lines(void **state)
{
	static const char *const lines[] = {
		"add route 1 prefix nonsense/96 installed yes metric 1",
		"add route 1 prefix 64:ff9b:1::/129 installed yes metric 1",
		"add route 1 prefix 64:ff9b:1:: installed yes metric 1",
		"add route 1 prefix 64:ff9b:1::/96 installed maybe metric 1",
		"add route 1 prefix 64:ff9b:1::/96 installed yes metric -1",
		"add route 1 prefix 64:ff9b:1::/96 installed yes metric 99999999999",
		"add route 1 prefix 64:ff9b:1::/96 installed yes",
		"change route 1 installed yes metric 5",
		"add route 0123456789012345678901234567890 prefix ::/0 metric 1",
	};
	struct mesh_babel_route r;
	unsigned int i;
	int bad;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(parse(lines[i], &r, &bad), MESH_BABEL_OTHER);
		assert_int_equal(bad, 1);
	}
	/* A flush needs only its id. */
	assert_int_equal(parse("flush route 1", &r, &bad), MESH_BABEL_FLUSH);
	assert_int_equal(bad, 0);
}

static void
test_babel_cands_installed_96_in_range_lowest(void **state)
{
	struct mesh_cand c[8];
	unsigned int n;

	(void)state;
	mesh_routes_init(&T);
	apply(R_C);
	/* Same prefix through another neighbour, not installed: ignored. */
	apply("add route 2 prefix 64:ff9b:1:200:5e10:11::/96 from ::/0 "
	      "installed no metric 100 refmetric 0 via fe80::2 if mx0");
	/* D: better. */
	apply("add route 3 prefix 64:ff9b:1:200:5e10:22::/96 from ::/0 "
	      "installed yes metric 160 refmetric 64 via fe80::3 if mx0");
	/* Out of range, wrong length, source-specific, infinite. */
	apply("add route 4 prefix 64:ff9b:2:200:5e10:33::/96 from ::/0 "
	      "installed yes metric 1 via fe80::4 if mx0");
	apply("add route 5 prefix 64:ff9b:1:200::/64 from ::/0 "
	      "installed yes metric 1 via fe80::4 if mx0");
	apply("add route 6 prefix 64:ff9b:1:200:5e10:44::/96 from 2001:db8::/32 "
	      "installed yes metric 1 via fe80::4 if mx0");
	apply("add route 7 prefix 64:ff9b:1:200:5e10:55::/96 from ::/0 "
	      "installed yes metric 65535 via fe80::4 if mx0");
	n = mesh_routes_cands(&T, range(), c, 8);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].metric, 160);
	assert_int_equal(c[0].prefix.addr[11], 0x22);
	assert_int_equal(c[1].metric, 224);

	/* change: C becomes better; flush: D goes. */
	apply("change route 55e1eec80890 prefix 64:ff9b:1:200:5e10:11::/96 "
	      "from ::/0 installed yes metric 100 refmetric 4 via fe80::2 if mx0");
	n = mesh_routes_cands(&T, range(), c, 8);
	assert_int_equal(c[0].metric, 100);
	apply("flush route 3 prefix 64:ff9b:1:200:5e10:22::/96 from ::/0 "
	      "installed yes metric 160 refmetric 64 via fe80::3 if mx0");
	n = mesh_routes_cands(&T, range(), c, 8);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].prefix.addr[11], 0x11);
	/* Installed no (babeld selected another route that is retracted). */
	apply("change route 55e1eec80890 prefix 64:ff9b:1:200:5e10:11::/96 "
	      "from ::/0 installed no metric 100 refmetric 4 via fe80::2 if mx0");
	assert_int_equal(mesh_routes_cands(&T, range(), c, 8), 0);
}

static void
test_babel_table_bounded(void **state)
{
	char line[200];
	unsigned int i;

	(void)state;
	mesh_routes_init(&T);
	for (i = 0; i < MESH_MAX_ROUTES + 10; i++) {
		snprintf(line, sizeof(line), "add route %x prefix "
			 "2001:db8:%x::/48 from ::/0 installed yes metric 1",
			 i, i & 0xffff);
		apply(line);
	}
	assert_int_equal(T.n, MESH_MAX_ROUTES);
	assert_int_equal(T.full, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_babel_route_line_fields),
		cmocka_unit_test(test_babel_other_lines),
		cmocka_unit_test(test_babel_bad_route_lines),
		cmocka_unit_test(test_babel_cands_installed_96_in_range_lowest),
		cmocka_unit_test(test_babel_table_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
