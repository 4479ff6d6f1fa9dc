/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/ports.c and cfg.c: the owner functions and the port slices.
 * nat64_owner_in2out() is recomputed here from its documented formula;
 * the slices of every shard are disjoint and cover each pool4 entry
 * (checked port by port for several layouts and shard counts); clients
 * with static BIB entries follow their ports; and configuration errors
 * name the field and the value.
 */
#include "nat64_test.h"

#include "nat64_priv.h"

static void
test_owner_in2out_is_the_documented_hash(void **state)
{
	uint32_t seed = 7;
	unsigned int i, n, k;

	(void)state;
	for (i = 0; i < 1000; i++) {
		uint8_t a[16];
		uint64_t hi = 0, lo = 0, h;

		unit_rand_fill(&seed, a, sizeof(a));
		for (k = 0; k < 8; k++) {
			hi = hi << 8 | a[k];
			lo = lo << 8 | a[8 + k];
		}
		h = nat64_fmix(hi ^ nat64_fmix(lo ^ 0x9e3779b97f4a7c15ULL));
		for (n = 1; n <= 8; n++)
			assert_int_equal(nat64_owner_in2out(a, n),
					 (unsigned int)(((h >> 32) * n) >> 32));
	}
}

static void
test_owner_in2out_spreads_clat_clients(void **state)
{
	unsigned int count[4] = { 0 }, i;

	(void)state;
	/* CLAT clients differ only in the embedded IPv4 address. */
	for (i = 0; i < 4000; i++) {
		uint8_t a[16];

		nt_client(a, i);
		count[nat64_owner_in2out(a, 4)]++;
	}
	for (i = 0; i < 4; i++)
		assert_in_range(count[i], 850, 1150);
}

/* Every (address, port, protocol) of every entry has exactly one owner,
 * the one the global block number names, and whole blocks stay
 * together. */
static void
check_slices(const struct nat64_cfg *c, unsigned int n)
{
	struct nat64_ports *p;
	char err[NAT64_ERR_SIZE];
	uint64_t per_shard[8] = { 0 }, total = 0, g = 0, addrs = 0;
	unsigned int e;

	p = nat64_ports_create(c, n, err, sizeof(err));
	if (p == NULL)
		fail_msg("%s", err);
	assert_int_equal(nat64_ports_n_shards(p), n);
	for (e = 0; e < c->n_pool4; e++) {
		const struct nat64_pool4 *q = &c->pool4[e];
		uint32_t n_addr = 1u << (32 - q->len), a;

		addrs += n_addr;
		for (a = 0; a < n_addr; a++) {
			uint32_t port;
			int last = -1;

			for (port = q->port_lo; port <= q->port_hi; port++) {
				uint32_t k = (port - q->port_lo) / c->block_size;
				int o = nat64_owner_out2in(p, q->addr + a,
							   (uint16_t)port,
							   PKT_PROTO_UDP);

				assert_int_equal(o, (int)((g + k) % n));
				if ((port - q->port_lo) % c->block_size != 0)
					assert_int_equal(o, last);
				last = o;
				per_shard[o]++;
				total++;
			}
			g += (q->port_hi - q->port_lo + c->block_size) /
			     c->block_size;
		}
	}
	/* Blocks are dealt round-robin over all addresses: shards differ by
	 * at most a block, plus the short last block of each address. */
	for (e = 0; e < n; e++)
		assert_true(per_shard[e] + c->block_size * (1 + addrs) >=
			    total / n);
	/* Outside the pool: no owner. */
	assert_int_equal(nat64_owner_out2in(p, IP4(10, 23, 0, 8), 9000,
					    PKT_PROTO_UDP), -1);
	assert_int_equal(nat64_owner_out2in(p, c->pool4[0].addr,
					    (uint16_t)(c->pool4[0].port_lo - 1),
					    PKT_PROTO_UDP), -1);
	assert_int_equal(nat64_owner_out2in(p, c->pool4[0].addr,
					    c->pool4[0].port_lo, 47), -1);
	nat64_ports_free(p);
}

static void
test_slices_disjoint_and_complete(void **state)
{
	struct nat64_cfg c;
	unsigned int n;

	(void)state;
	nt_cfg(&c);
	for (n = 1; n <= 5; n++)
		check_slices(&c, n);
	/* Two entries, several addresses, an odd block size. */
	c.n_pool4 = 2;
	c.pool4[0].addr = IP4(192, 0, 2, 0);
	c.pool4[0].len = 30;
	c.pool4[0].port_lo = 1024;
	c.pool4[0].port_hi = 2047;
	c.pool4[1].addr = IP4(10, 23, 0, 9);
	c.pool4[1].len = 32;
	c.pool4[1].protos = NAT64_PROTO_ALL;
	c.pool4[1].port_lo = 9000;
	c.pool4[1].port_hi = 10000;
	c.block_size = 100;
	for (n = 1; n <= 8; n++)
		check_slices(&c, n);
}

/* A client with static BIB entries is routed to the shard of their
 * ports, whatever its hash says. */
static void
test_static_client_routed_to_its_port_slice(void **state)
{
	struct nat64_ports *p;
	struct nat64_cfg c;
	char err[NAT64_ERR_SIZE];
	unsigned int n = 4, i, moved = 0;

	(void)state;
	nt_cfg(&c);
	for (i = 0; i < 8; i++)	/* client 900 + i in block i */
		nt_static(&c, 900 + i, 80, (uint16_t)(9000 + 64 * i),
			  PKT_PROTO_TCP);
	p = nat64_ports_create(&c, n, err, sizeof(err));
	if (p == NULL)
		fail_msg("%s", err);
	for (i = 0; i < 8; i++) {
		const struct nat64_static *s = &c.static_bib[i];

		assert_int_equal(nat64_ports_owner_in2out(p, s->addr6),
				 nat64_owner_out2in(p, s->addr4, s->port4,
						    s->proto));
		moved += nat64_ports_owner_in2out(p, s->addr6) !=
			 nat64_owner_in2out(s->addr6, n);
	}
	assert_true(moved > 0);
	nat64_ports_free(p);

	/* Two static entries of one client in two slices: refused. */
	nt_client(c.static_bib[1].addr6, 900);
	c.static_bib[1].port6 = 81;
	assert_null(nat64_ports_create(&c, n, err, sizeof(err)));
	assert_non_null(strstr(err, "static_bib[1]"));
	/* One shard: every port is in its slice. */
	p = nat64_ports_create(&c, 1, err, sizeof(err));
	assert_non_null(p);
	nat64_ports_free(p);
}

static void
expect_invalid(const struct nat64_cfg *c, const char *needle)
{
	char err[NAT64_ERR_SIZE] = "";

	assert_int_equal(nat64_cfg_validate(c, err, sizeof(err)), -EINVAL);
	if (strstr(err, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void
test_cfg_errors_name_field_and_value(void **state)
{
	static const struct {
		size_t off;
		uint32_t v;
		const char *needle;
	} bad32[] = {
#define F(f) offsetof(struct nat64_cfg, f)
		{ F(udp_timeout), 119, "timeouts.udp: 119" },
		{ F(tcp_est_timeout), 7200, "timeouts.tcp_est: 7200" },
		{ F(tcp_trans_timeout), 0, "timeouts.tcp_trans: 0" },
		{ F(tcp_syn_hold), 5, "timeouts.tcp_syn_hold: 5" },
		{ F(icmp_timeout), 59, "timeouts.icmp: 59" },
		{ F(block_size), 0, "block_size: 0" },
		{ F(block_size), 4097, "block_size: 4097" },
		{ F(max_sessions), 0, "max_sessions: 0" },
		{ F(max_sessions_per_client), 4097, "max_sessions_per_client" },
		{ F(max_blocks_per_client), 65536, "max_blocks_per_client" },
		{ F(max_held_syns), 65537, "max_held_syns: 65537" },
		{ F(event_ring), 0, "event_ring: 0" },
#undef F
	};
	struct nat64_cfg c, d;
	char err[NAT64_ERR_SIZE];
	unsigned int i;

	(void)state;
	nt_cfg(&c);
	assert_int_equal(nat64_cfg_validate(&c, err, sizeof(err)), 0);
	d = c;
	d.pool4[0].port_lo = 10000;
	d.pool4[0].port_hi = 9000;
	expect_invalid(&d, "pool4[0].ports: 10000-9000: range is empty");
	d = c;
	d.pool4[0].port_lo = 0;
	expect_invalid(&d, "pool4[0].ports: 0-10000");
	d = c;
	d.pool4[0].len = 24;
	expect_invalid(&d, "pool4[0].prefix: 10.23.0.9/24: host bits set");
	d = c;
	d.pool4[0].len = 8;
	d.pool4[0].addr = IP4(10, 0, 0, 0);
	expect_invalid(&d, "pool4[0].prefix: 10.0.0.0/8: length");
	d = c;
	d.pool4[0].protos = 0;
	expect_invalid(&d, "pool4[0].protocols");
	d = c;
	d.n_pool4 = 0;
	expect_invalid(&d, "pool4: 0 entries");
	d = c;
	d.n_pool4 = 2;
	d.pool4[1] = d.pool4[0];
	d.pool4[1].port_lo = 9999;
	d.pool4[1].port_hi = 12000;
	d.pool4[1].protos = NAT64_PROTO_UDP;
	expect_invalid(&d, "overlaps pool4[0]");
	d.pool4[1].protos = 0;
	expect_invalid(&d, "pool4[1].protocols");
	/* The 32-bit knobs, one bad value each. */
	for (i = 0; i < sizeof(bad32) / sizeof(bad32[0]); i++) {
		d = c;
		memcpy((char *)&d + bad32[i].off, &bad32[i].v, sizeof(uint32_t));
		expect_invalid(&d, bad32[i].needle);
	}
	d = c;
	nt_static(&d, 1, 0, 9000, PKT_PROTO_TCP);
	d.static_bib[0].addr4 = IP4(10, 23, 0, 10);
	expect_invalid(&d, "static_bib[0]: 10.23.0.10:9000 is not in pool4 for tcp");
	d.static_bib[0].addr4 = IP4(10, 23, 0, 9);
	d.static_bib[0].proto = 47;
	expect_invalid(&d, "static_bib[0].protocol: 47");
	d.static_bib[0].proto = PKT_PROTO_TCP;
	assert_int_equal(nat64_cfg_validate(&d, err, sizeof(err)), 0);
	d.n_static = 2;
	d.static_bib[1] = d.static_bib[0];
	d.static_bib[1].port6 = 1;
	expect_invalid(&d, "static_bib[1]: 10.23.0.9:9000 already used");
	d.static_bib[1].port4 = 9001;
	d.static_bib[1].port6 = d.static_bib[0].port6;
	expect_invalid(&d, "same ipv6, port6 and protocol");
	/* A bad config makes no layout and no shard. */
	d = c;
	d.block_size = 0;
	assert_null(nat64_ports_create(&d, 2, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_null(nat64_ports_create(&c, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "n_shards: 0"));
}

static void
test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(nat64_verdict_name(NAT64_OK), "ok");
	assert_string_equal(nat64_verdict_name(NAT64_NO_BIB), "nat64_no_bib");
	assert_string_equal(nat64_verdict_name(NAT64_VERDICT_MAX), "?");
	assert_non_null(strstr(nat64_verdict_desc(NAT64_HELD), "3.5.2.2"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_in2out_is_the_documented_hash),
		cmocka_unit_test(test_owner_in2out_spreads_clat_clients),
		cmocka_unit_test(test_slices_disjoint_and_complete),
		cmocka_unit_test(test_static_client_routed_to_its_port_slice),
		cmocka_unit_test(test_cfg_errors_name_field_and_value),
		cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
