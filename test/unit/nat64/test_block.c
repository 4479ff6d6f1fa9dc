/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/block.c: port blocks. Port preservation and parity (RFC 4787
 * REQ-3/REQ-4), a client filling its block before taking another, the
 * per-client block limit, pool exhaustion without starvation (RFC 6888
 * REQ-4), paired address pooling across protocols (RFC 6888 REQ-2), the
 * block log (RFC 6888 section 4), no port reuse before its session timed
 * out, ports of static BIB entries kept out of blocks, and every port a
 * shard hands out owned by that shard in nat64_owner_out2in().
 */
#include "nat64_test.h"

#define REM	IP4(198, 51, 100, 1)

static enum nat64_verdict
udp(struct nat64_shard *sh, uint32_t client, uint16_t sport, uint64_t now,
    struct nat64_tuple4 *out)
{
	struct nat64_tuple6 t = nt_t6(client, sport, REM, 53, PKT_PROTO_UDP);

	return nat64_in2out(sh, &t, 0, now, out);
}

static void
small_pool(struct nat64_cfg *c, uint16_t lo, uint16_t hi, uint32_t bs)
{
	nt_cfg(c);
	c->pool4[0].port_lo = lo;
	c->pool4[0].port_hi = hi;
	c->block_size = bs;
}

static void
test_block_port_preserved_when_free(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_event ev[4];
	struct nat64_cfg c;
	char line[128];

	(void)state;
	nt_cfg(&c);
	sh = nt_shard(&c, 0, 1, 256);
	assert_int_equal(udp(sh, 1, 9005, T0, &o), NAT64_OK);
	assert_int_equal(o.addr4, IP4(10, 23, 0, 9));
	assert_int_equal(o.port4, 9005);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 4), 1);
	assert_int_equal(ev[0].type, NAT64_EV_BLOCK_ALLOC);
	assert_int_equal(ev[0].port_lo, 9000);
	assert_int_equal(ev[0].port_hi, 9063);
	nat64_event_format(&ev[0], line, sizeof(line));
	assert_string_equal(line, "alloc udp fddd:1337:1337:1234:5678:9abc:c0a8:1 10.23.0.9 9000-9063 1000000000 -");
	/* The client's next flow from a port in its block keeps it too. */
	assert_int_equal(udp(sh, 1, 9040, T0, &o), NAT64_OK);
	assert_int_equal(o.port4, 9040);
	/* From a port outside the pool: a port of its block. */
	assert_int_equal(udp(sh, 1, 50000, T0, &o), NAT64_OK);
	assert_in_range(o.port4, 9000, 9063);
	assert_int_equal(o.port4 & 1, 0);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_parity_kept_when_port_taken(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_cfg c;
	uint32_t seed = 3, i;

	(void)state;
	nt_cfg(&c);
	c.max_blocks_per_client = 1;
	sh = nt_shard(&c, 0, 1, 1024);
	for (i = 0; i < 200; i++) {
		uint16_t sport = (uint16_t)(1024 + unit_rand(&seed) % 60000);

		assert_int_equal(udp(sh, 7, sport, T0, &o), NAT64_OK);
		if (i < 32)	/* while the block has ports of both parities */
			assert_int_equal(o.port4 & 1, sport & 1);
		if (i == 63)
			break;
	}
	/* 64 flows, 64 ports of one block, all different. */
	assert_int_equal(udp(sh, 7, 1, T0, &o), NAT64_CLIENT_BLOCKS);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_filled_before_next_and_limit_per_client(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_stats st;
	struct nat64_cfg c;
	uint8_t used[1001] = { 0 };
	uint32_t i;

	(void)state;
	nt_cfg(&c);
	c.max_blocks_per_client = 2;
	sh = nt_shard(&c, 0, 1, 1024);
	for (i = 0; i < 128; i++) {
		assert_int_equal(udp(sh, 9, (uint16_t)(40000 + i), T0, &o),
				 NAT64_OK);
		assert_int_equal(used[o.port4 - 9000], 0);
		used[o.port4 - 9000] = 1;
		nat64_shard_stats(sh, &st);
		assert_int_equal(st.blocks[NAT64_I_UDP], i < 64 ? 1 : 2);
	}
	assert_int_equal(udp(sh, 9, 41000, T0, &o), NAT64_CLIENT_BLOCKS);
	/* Another client is not starved. */
	assert_int_equal(udp(sh, 10, 41000, T0, &o), NAT64_OK);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.verdicts[NAT64_CLIENT_BLOCKS], 1);
	assert_int_equal(st.blocks[NAT64_I_UDP], 3);
	assert_int_equal(st.clients, 2);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_exhaustion_spares_other_clients(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_stats st;
	struct nat64_cfg c;
	uint32_t i, ok;

	(void)state;
	/* 4 blocks of 64: auto limit is a quarter, 1 block per client. */
	small_pool(&c, 9000, 9255, 64);
	c.max_blocks_per_client = 0;
	sh = nt_shard(&c, 0, 1, 1024);
	/* A greedy client gets its one block and no more. */
	for (ok = 0, i = 0; i < 300; i++)
		ok += udp(sh, 1, (uint16_t)(30000 + i), T0, &o) == NAT64_OK;
	assert_int_equal(ok, 64);
	/* Three more clients still get one block each ... */
	for (i = 2; i <= 4; i++)
		assert_int_equal(udp(sh, i, 5000, T0, &o), NAT64_OK);
	/* ... and the fifth finds the pool exhausted. */
	assert_int_equal(udp(sh, 5, 5000, T0, &o), NAT64_POOL_EXHAUSTED);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.blocks_free[NAT64_I_UDP], 0);
	assert_int_equal(st.blocks[NAT64_I_UDP], 4);
	assert_int_equal(st.ports_free[NAT64_I_UDP], 3 * 63);
	/* The other protocols have their own blocks. */
	assert_int_equal(st.blocks_free[NAT64_I_TCP], 4);
	assert_int_equal(st.ports_free[NAT64_I_TCP], 256);
	assert_int_equal(st.verdicts[NAT64_POOL_EXHAUSTED], 1);
	assert_int_equal(st.verdicts[NAT64_CLIENT_BLOCKS], 300 - 64);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_freed_with_last_session_and_logged(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_event ev[4];
	struct nat64_cfg c;
	char line[128];

	(void)state;
	nt_cfg(&c);
	sh = nt_shard(&c, 0, 1, 64);
	assert_int_equal(udp(sh, 1, 9100, T0, &o), NAT64_OK);
	assert_int_equal(o.port4, 9100);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 4), 1);
	assert_int_equal(nat64_shard_expire(sh, T0 + 300 * SEC, 10), 0);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 4), 0);
	assert_int_equal(nat64_shard_expire(sh, T0 + 301 * SEC, 10), 1);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 4), 1);
	assert_int_equal(ev[0].type, NAT64_EV_BLOCK_FREE);
	assert_int_equal(ev[0].start_ms, T0);
	assert_int_equal(ev[0].end_ms, T0 + 301 * SEC);
	assert_int_equal(ev[0].port_lo, 9064);
	assert_int_equal(ev[0].port_hi, 9127);
	nat64_event_format(&ev[0], line, sizeof(line));
	assert_string_equal(line, "free udp fddd:1337:1337:1234:5678:9abc:c0a8:1 10.23.0.9 9064-9127 1000000000 1000301000");
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_no_port_reuse_before_timeout(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_cfg c;
	uint16_t first;
	uint32_t i;

	(void)state;
	/* One block of eight ports. */
	small_pool(&c, 9000, 9007, 8);
	c.max_blocks_per_client = 1;
	sh = nt_shard(&c, 0, 1, 64);
	for (i = 0; i < 8; i++) {
		assert_int_equal(udp(sh, 1, (uint16_t)(2000 + i), T0, &o),
				 NAT64_OK);
		if (i == 0)
			first = o.port4;
	}
	/* Another client waits for the whole block. */
	assert_int_equal(udp(sh, 2, 2000, T0, &o), NAT64_POOL_EXHAUSTED);
	/* All but the first flow stay busy. */
	for (i = 1; i < 8; i++)
		assert_int_equal(udp(sh, 1, (uint16_t)(2000 + i), T0 + 200 * SEC,
				     &o), NAT64_OK);
	assert_int_equal(udp(sh, 1, 3000, T0 + 300 * SEC, &o),
			 NAT64_CLIENT_BLOCKS);
	assert_int_equal(nat64_shard_expire(sh, T0 + 300 * SEC, 100), 0);
	assert_int_equal(udp(sh, 1, 3000, T0 + 300 * SEC, &o),
			 NAT64_CLIENT_BLOCKS);
	assert_int_equal(nat64_shard_expire(sh, T0 + 301 * SEC, 100), 1);
	/* Now, and only now, the first flow's port is back. */
	assert_int_equal(udp(sh, 1, 3000, T0 + 301 * SEC, &o), NAT64_OK);
	assert_int_equal(o.port4, first);
	nt_check(sh);
	/* When the rest go, the block goes, and client 2 gets it. */
	assert_int_equal(nat64_shard_expire(sh, T0 + 801 * SEC, 100), 8);
	assert_int_equal(udp(sh, 2, 2000, T0 + 801 * SEC, &o), NAT64_OK);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_paired_address_across_protocols(void **state)
{
	struct nat64_shard *sh;
	struct nat64_cfg c;
	uint32_t i, addrs = 0, seen[4] = { 0 };

	(void)state;
	nt_cfg(&c);
	c.pool4[0].addr = IP4(192, 0, 2, 0);
	c.pool4[0].len = 30;
	sh = nt_shard(&c, 0, 1, 4096);
	for (i = 0; i < 64; i++) {
		struct nat64_tuple6 tu = nt_t6(i, 1000, REM, 53, PKT_PROTO_UDP);
		struct nat64_tuple6 tt = nt_t6(i, 1001, REM, 80, PKT_PROTO_TCP);
		struct nat64_tuple6 ti = nt_t6(i, 7, REM, 0, PKT_PROTO_ICMP);
		struct nat64_tuple4 ou, ot, oi;

		assert_int_equal(nat64_in2out(sh, &tu, 0, T0, &ou), NAT64_OK);
		assert_int_equal(nat64_in2out(sh, &tt, NAT64_TCP_SYN, T0, &ot),
				 NAT64_OK);
		assert_int_equal(nat64_in2out(sh, &ti, 0, T0, &oi), NAT64_OK);
		assert_int_equal(ou.addr4, ot.addr4);
		assert_int_equal(ou.addr4, oi.addr4);
		/* ICMP: the identifier is the port, both ways. */
		assert_int_equal(oi.rport, oi.port4);
		if (seen[ou.addr4 - IP4(192, 0, 2, 0)]++ == 0)
			addrs++;
	}
	assert_int_equal(addrs, 4);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_static_port_kept_out(void **state)
{
	struct nat64_tuple4 o, in;
	struct nat64_tuple6 back;
	struct nat64_shard *sh;
	struct nat64_stats st;
	struct nat64_cfg c;
	uint32_t i;

	(void)state;
	nt_cfg(&c);
	nt_static(&c, 500, 8080, 9010, PKT_PROTO_UDP);
	c.max_blocks_per_client = 1;
	sh = nt_shard(&c, 0, 1, 256);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.static_bibs, 1);
	assert_int_equal(st.bibs[NAT64_I_UDP], 1);
	assert_int_equal(st.ports_free[NAT64_I_UDP], 1000);
	/* A dynamic client from port 9010 gets block 0, not port 9010. */
	assert_int_equal(udp(sh, 1, 9010, T0, &o), NAT64_OK);
	assert_in_range(o.port4, 9000, 9063);
	assert_int_not_equal(o.port4, 9010);
	assert_int_equal(o.port4 & 1, 0);
	for (i = 1; i < 63; i++)
		assert_int_equal(udp(sh, 1, (uint16_t)(3000 + i), T0, &o),
				 NAT64_OK);
	/* 63 ports: the block is full. */
	assert_int_equal(udp(sh, 1, 4000, T0, &o), NAT64_CLIENT_BLOCKS);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.ports_free[NAT64_I_UDP], 1000 - 63);
	/* Inbound to the static entry works from anywhere (EIF). */
	in = nt_t4(IP4(10, 23, 0, 9), 9010, IP4(203, 0, 113, 5), 5555,
		   PKT_PROTO_UDP);
	assert_int_equal(nat64_out2in(sh, &in, 0, T0, NULL, &back), NAT64_OK);
	assert_int_equal(back.port6, 8080);
	nt_check(sh);
	/* And it stays when its sessions go. */
	nat64_shard_expire(sh, T0 + 1000 * SEC, 1000);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.bibs[NAT64_I_UDP], 1);
	assert_int_equal(st.sessions[NAT64_I_UDP], 0);
	assert_int_equal(st.clients, 1);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_block_log_overflow_counted(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_event ev[8];
	struct nat64_stats st;
	struct nat64_cfg c;
	uint32_t i;

	(void)state;
	nt_cfg(&c);
	c.event_ring = 2;
	sh = nt_shard(&c, 0, 1, 256);
	for (i = 0; i < 5; i++)
		assert_int_equal(udp(sh, i, 1000, T0, &o), NAT64_OK);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.events_lost, 3);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 8), 2);
	assert_int_equal(nat64_shard_events_drain(sh, ev, 8), 0);
	nat64_shard_free(sh);
}

/* A port a shard hands out is one nat64_owner_out2in() sends back to it,
 * for clients routed to it by nat64_ports_owner_in2out(). */
static void
test_allocated_port_is_owned_by_allocating_shard(void **state)
{
	enum { N = 3 };
	struct nat64_shard *sh[N];
	struct nat64_cfg c;
	unsigned int i, got = 0;

	(void)state;
	nt_cfg(&c);
	c.n_pool4 = 2;
	c.pool4[1].addr = IP4(203, 0, 113, 0);
	c.pool4[1].len = 30;
	c.pool4[1].protos = NAT64_PROTO_UDP | NAT64_PROTO_TCP;
	c.pool4[1].port_lo = 1024;
	c.pool4[1].port_hi = 65535;
	c.max_blocks_per_client = 2;
	for (i = 0; i < N; i++)
		sh[i] = nt_shard(&c, i, N, 2048);
	for (i = 0; i < 600; i++) {
		struct nat64_tuple6 t = nt_t6(i, (uint16_t)(20000 + i),
					      IP4(198, 51, 100, 1), 53,
					      i % 3 == 0 ? PKT_PROTO_ICMP
							 : PKT_PROTO_UDP);
		unsigned int o = nat64_ports_owner_in2out(
			nat64_shard_ports(sh[0]), t.addr6);
		struct nat64_tuple4 out;

		enum nat64_verdict v;

		assert_int_equal(o, nat64_owner_in2out(t.addr6, N));
		v = nat64_in2out(sh[o], &t, 0, T0, &out);
		/* ICMP has only the 16 blocks of 10.23.0.9 to share. */
		if (v != NAT64_OK) {
			assert_int_equal(t.proto, PKT_PROTO_ICMP);
			assert_int_equal(v, NAT64_POOL_EXHAUSTED);
			continue;
		}
		got++;
		assert_int_equal(nat64_owner_out2in(nat64_shard_ports(sh[o]),
						    out.addr4, out.port4,
						    out.proto), (int)o);
	}
	assert_true(got > 400);
	for (i = 0; i < N; i++) {
		nt_check(sh[i]);
		nat64_shard_free(sh[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_port_preserved_when_free),
		cmocka_unit_test(test_block_parity_kept_when_port_taken),
		cmocka_unit_test(test_block_filled_before_next_and_limit_per_client),
		cmocka_unit_test(test_block_exhaustion_spares_other_clients),
		cmocka_unit_test(test_block_freed_with_last_session_and_logged),
		cmocka_unit_test(test_block_no_port_reuse_before_timeout),
		cmocka_unit_test(test_block_paired_address_across_protocols),
		cmocka_unit_test(test_block_static_port_kept_out),
		cmocka_unit_test(test_block_log_overflow_counted),
		cmocka_unit_test(test_allocated_port_is_owned_by_allocating_shard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
