/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fw/conn.c with a fake clock: TCP through its states (NEW on SYN,
 * ESTABLISHED once the SYN+ACK came back, INVALID for a stray ACK, RST
 * closes, FINs close, a new SYN reopens), UDP and ICMPv6 echo
 * pseudo-connections, ICMPv6 errors RELATED to a connection, the
 * documented timeouts, bounded expiry, a full table (counted, and reusing
 * timed-out entries), and an owner hash that is the same both ways.
 */
#include "unit.h"

#include "fw.h"

#include <errno.h>
#include <stdlib.h>

#define S	1000ull		/* one second of the fake clock, in ms */

static const uint8_t A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t B[16] = { 0x2a, 0x00, 0x14, 0x50, [15] = 0x02 };
static const uint8_t C[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x03 };

static struct fw_conn_shard *
shard(uint32_t capacity)
{
	struct fw_conn_cfg cfg;
	struct fw_conn_shard *sh;

	fw_conn_cfg_init(&cfg);
	cfg.capacity = capacity;
	sh = fw_conn_create(&cfg);
	assert_non_null(sh);
	return sh;
}

static struct fw_conn_pkt
tcp(const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport,
    uint8_t flags)
{
	struct fw_conn_pkt p = { src, dst, sport, dport, 6, flags, 0 };

	return p;
}

static struct fw_conn_pkt
udp(const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport)
{
	struct fw_conn_pkt p = { src, dst, sport, dport, 17, 0, 0 };

	return p;
}

static struct fw_conn_pkt
icmp(const uint8_t *src, const uint8_t *dst, uint8_t type, uint16_t id)
{
	struct fw_conn_pkt p = { src, dst, id, 0, 58, 0, type };

	return p;
}

/* Look up, then confirm as an accepting firewall would; the state. */
static uint32_t
pass(struct fw_conn_shard *sh, struct fw_conn_pkt p, uint64_t now)
{
	uint32_t st = fw_conn_lookup(sh, &p, now);

	assert_int_equal(fw_conn_confirm(sh, &p, now), 0);
	return st;
}

#define SYN	FW_TCP_SYN
#define ACK	FW_TCP_ACK
#define FIN	FW_TCP_FIN
#define RST	FW_TCP_RST

static void
test_conn_defaults(void **state)
{
	struct fw_conn_cfg cfg;
	struct fw_conn_stats st;
	struct fw_conn_shard *sh;

	(void)state;
	fw_conn_cfg_init(&cfg);
	assert_int_equal(cfg.tcp_est, 7440);
	assert_int_equal(cfg.tcp_syn, 120);
	assert_int_equal(cfg.tcp_close, 120);
	assert_int_equal(cfg.tcp_rst, 10);
	assert_int_equal(cfg.udp, 180);
	assert_int_equal(cfg.udp_unreplied, 30);
	assert_int_equal(cfg.icmp, 30);
	assert_int_equal(cfg.other, 600);
	cfg.capacity = 0;
	assert_null(fw_conn_create(&cfg));
	assert_int_equal(errno, EINVAL);
	cfg.capacity = (1u << 30) + 1;
	assert_null(fw_conn_create(&cfg));
	sh = shard(100);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.capacity, 100);
	assert_int_equal(st.active, 0);
	fw_conn_free(sh);
	fw_conn_free(NULL);
}

static void
test_conn_tcp_handshake_new_then_established(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;
	struct fw_conn_stats st;
	uint64_t t = 1000 * S;

	(void)state;
	/* Looking up changes nothing: the SYN stays NEW until confirmed. */
	p = tcp(A, 40000, B, 443, SYN);
	assert_int_equal(fw_conn_lookup(sh, &p, t), FW_STATE_NEW);
	assert_int_equal(fw_conn_lookup(sh, &p, t), FW_STATE_NEW);
	p = tcp(B, 443, A, 40000, SYN | ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, t), FW_STATE_INVALID);
	/* Handshake. */
	assert_int_equal(pass(sh, tcp(A, 40000, B, 443, SYN), t),
			 FW_STATE_NEW);
	assert_int_equal(pass(sh, tcp(A, 40000, B, 443, SYN), t + 1),
			 FW_STATE_NEW);	/* retransmitted */
	assert_int_equal(pass(sh, tcp(B, 443, A, 40000, SYN | ACK), t + 2),
			 FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, tcp(A, 40000, B, 443, ACK), t + 3),
			 FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, tcp(B, 443, A, 40000, ACK), t + 4),
			 FW_STATE_ESTABLISHED);
	/* A SYN inside an established connection is not a new one. */
	p = tcp(A, 40000, B, 443, SYN);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 5), FW_STATE_INVALID);
	/* The same ports between other hosts are another connection. */
	p = tcp(C, 40000, B, 443, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 5), FW_STATE_INVALID);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.created, 1);
	assert_int_equal(st.active, 1);
	fw_conn_free(sh);
}

static void
test_conn_tcp_stray_packets_invalid(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;
	struct fw_conn_stats st;

	(void)state;
	p = tcp(A, 1, B, 2, ACK);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	p = tcp(A, 1, B, 2, RST);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	p = tcp(A, 1, B, 2, FIN | ACK);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	p = tcp(A, 1, B, 2, SYN | ACK);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	p = tcp(A, 1, B, 2, SYN | RST);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	/* Confirming them created nothing. */
	fw_conn_stats(sh, &st);
	assert_int_equal(st.created, 0);
	assert_int_equal(st.active, 0);
	/* Before the SYN+ACK, the opener may only repeat its SYN. */
	assert_int_equal(pass(sh, tcp(A, 1, B, 2, SYN), 0), FW_STATE_NEW);
	p = tcp(A, 1, B, 2, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, 1), FW_STATE_INVALID);
	p = tcp(B, 2, A, 1, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, 1), FW_STATE_INVALID);
	fw_conn_free(sh);
}

static void
test_conn_tcp_rst_closes_and_syn_reopens(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;
	struct fw_conn_stats st;

	(void)state;
	pass(sh, tcp(A, 5, B, 80, SYN), 0);
	pass(sh, tcp(B, 80, A, 5, SYN | ACK), 1);
	pass(sh, tcp(A, 5, B, 80, ACK), 2);
	assert_int_equal(pass(sh, tcp(B, 80, A, 5, RST), 3),
			 FW_STATE_ESTABLISHED);
	p = tcp(A, 5, B, 80, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, 4), FW_STATE_INVALID);
	/* RST state times out after 10 s, not 7440. */
	p = tcp(A, 5, B, 80, SYN);
	assert_int_equal(pass(sh, p, 5), FW_STATE_NEW);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.created, 2);
	assert_int_equal(st.active, 1);
	/* The reopened connection goes through the handshake again. */
	assert_int_equal(pass(sh, tcp(B, 80, A, 5, SYN | ACK), 6),
			 FW_STATE_ESTABLISHED);
	/* Closed by RST: gone after 10 s. */
	pass(sh, tcp(A, 5, B, 80, RST), 10 * S);
	assert_int_equal(fw_conn_expire(sh, 20 * S - 1, 64), 0);
	assert_int_equal(fw_conn_expire(sh, 20 * S, 64), 1);
	fw_conn_free(sh);
}

static void
test_conn_tcp_fin_close_and_timeouts(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;
	uint64_t t;

	(void)state;
	pass(sh, tcp(A, 5, B, 80, SYN), 0);
	/* An unanswered SYN lives 120 s. */
	assert_int_equal(fw_conn_expire(sh, 120 * S - 1, 64), 0);
	pass(sh, tcp(B, 80, A, 5, SYN | ACK), 100 * S);
	pass(sh, tcp(A, 5, B, 80, ACK), 100 * S);
	/* Established: 7440 s from the last packet. */
	t = 100 * S;
	assert_int_equal(fw_conn_expire(sh, t + 7440 * S - 1, 64), 0);
	p = tcp(A, 5, B, 80, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 7440 * S - 1),
			 FW_STATE_ESTABLISHED);
	t += 7000 * S;
	pass(sh, tcp(A, 5, B, 80, ACK), t);	/* refreshes */
	assert_int_equal(fw_conn_expire(sh, t + 7439 * S, 64), 0);
	/* FIN one way: closing timeout; both ways: still ESTABLISHED
	 * packets (the last ACKs), 120 s. */
	assert_int_equal(pass(sh, tcp(A, 5, B, 80, FIN | ACK), t),
			 FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, tcp(B, 80, A, 5, FIN | ACK), t + 1),
			 FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, tcp(A, 5, B, 80, ACK), t + 2),
			 FW_STATE_ESTABLISHED);
	p = tcp(A, 5, B, 80, ACK);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 2 + 120 * S),
			 FW_STATE_INVALID);	/* timed out */
	/* After both FINs the opener may start again with a SYN. */
	p = tcp(A, 5, B, 80, SYN);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 3), FW_STATE_NEW);
	p = tcp(B, 80, A, 5, SYN);
	assert_int_equal(fw_conn_lookup(sh, &p, t + 3), FW_STATE_INVALID);
	assert_int_equal(fw_conn_expire(sh, t + 2 + 120 * S, 64), 1);
	fw_conn_free(sh);
}

static void
test_conn_udp_pseudo_connection(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;

	(void)state;
	assert_int_equal(pass(sh, udp(A, 5000, B, 53), 0), FW_STATE_NEW);
	assert_int_equal(pass(sh, udp(A, 5000, B, 53), S), FW_STATE_NEW);
	/* Unanswered: 30 s. */
	p = udp(B, 53, A, 5000);
	assert_int_equal(fw_conn_lookup(sh, &p, 31 * S), FW_STATE_NEW);
	assert_int_equal(fw_conn_lookup(sh, &p, 30 * S), FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, p, 30 * S), FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, udp(A, 5000, B, 53), 31 * S),
			 FW_STATE_ESTABLISHED);
	/* Answered: 180 s. */
	p = udp(A, 5000, B, 53);
	assert_int_equal(fw_conn_lookup(sh, &p, 31 * S + 180 * S - 1),
			 FW_STATE_ESTABLISHED);
	assert_int_equal(fw_conn_lookup(sh, &p, 31 * S + 180 * S),
			 FW_STATE_NEW);
	/* Other ports are other flows. */
	p = udp(B, 53, A, 5001);
	assert_int_equal(fw_conn_lookup(sh, &p, 32 * S), FW_STATE_NEW);
	fw_conn_free(sh);
}

static void
test_conn_icmp6_echo_and_untracked(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt p;

	(void)state;
	p = icmp(B, A, 129, 7);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);	/* no request */
	assert_int_equal(pass(sh, icmp(A, B, 128, 7), 0), FW_STATE_NEW);
	assert_int_equal(pass(sh, icmp(B, A, 129, 7), 1), FW_STATE_ESTABLISHED);
	assert_int_equal(pass(sh, icmp(A, B, 128, 7), 2), FW_STATE_ESTABLISHED);
	/* Another identifier, or B pinging A, is another flow. */
	p = icmp(B, A, 129, 8);
	assert_int_equal(fw_conn_lookup(sh, &p, 3), FW_STATE_INVALID);
	p = icmp(B, A, 128, 7);
	assert_int_equal(fw_conn_lookup(sh, &p, 3), FW_STATE_NEW);
	p = icmp(A, B, 129, 7);
	assert_int_equal(fw_conn_lookup(sh, &p, 3), FW_STATE_INVALID);
	/* 30 s. */
	p = icmp(B, A, 129, 7);
	assert_int_equal(fw_conn_lookup(sh, &p, 2 + 30 * S),
			 FW_STATE_INVALID);
	/* Neighbour discovery is not tracked; errors need their inner. */
	p = icmp(A, B, 135, 0);
	assert_int_equal(pass(sh, p, 0), FW_STATE_UNTRACKED);
	p = icmp(A, B, 1, 0);
	assert_int_equal(pass(sh, p, 0), FW_STATE_INVALID);
	fw_conn_free(sh);
}

static void
test_conn_related_icmp6_errors(void **state)
{
	struct fw_conn_shard *sh = shard(64);
	struct fw_conn_pkt inner;

	(void)state;
	pass(sh, tcp(A, 5, B, 80, SYN), 0);
	pass(sh, udp(A, 6, B, 53), 0);
	pass(sh, icmp(A, B, 128, 9), 0);
	/* The quoted packet as it was sent, from either side. */
	inner = tcp(A, 5, B, 80, SYN);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_RELATED);
	inner = tcp(B, 80, A, 5, ACK);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_RELATED);
	inner = udp(A, 6, B, 53);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_RELATED);
	inner = icmp(A, B, 128, 9);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_RELATED);
	/* Unknown or timed-out connections, errors about errors. */
	inner = tcp(A, 5, B, 81, SYN);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_INVALID);
	inner = udp(A, 6, B, 53);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 30 * S),
			 FW_STATE_INVALID);
	inner = icmp(A, B, 3, 0);
	assert_int_equal(fw_conn_related_icmp6(sh, &inner, 1),
			 FW_STATE_INVALID);
	fw_conn_free(sh);
}

static void
test_conn_other_protocols(void **state)
{
	struct fw_conn_shard *sh = shard(8);
	struct fw_conn_pkt p = { A, B, 0, 0, 50, 0, 0 };	/* ESP */
	struct fw_conn_pkt r = { B, A, 0, 0, 50, 0, 0 };

	(void)state;
	assert_int_equal(pass(sh, p, 0), FW_STATE_NEW);
	assert_int_equal(pass(sh, r, 1), FW_STATE_ESTABLISHED);
	assert_int_equal(fw_conn_lookup(sh, &p, 600 * S), FW_STATE_ESTABLISHED);
	assert_int_equal(fw_conn_lookup(sh, &p, 601 * S), FW_STATE_NEW);
	fw_conn_free(sh);
}

/* A full table refuses new connections and counts them. */
static void
test_conn_overflow_counted_and_reused(void **state)
{
	struct fw_conn_shard *sh = shard(4);
	struct fw_conn_stats st;
	struct fw_conn_pkt p;
	uint16_t port;

	(void)state;
	for (port = 1; port <= 4; port++)
		pass(sh, udp(A, port, B, 53), 0);
	p = udp(A, 5, B, 53);
	assert_int_equal(fw_conn_lookup(sh, &p, 0), FW_STATE_NEW);
	assert_int_equal(fw_conn_confirm(sh, &p, 0), -ENOSPC);
	assert_int_equal(fw_conn_confirm(sh, &p, 1), -ENOSPC);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.overflow, 2);
	assert_int_equal(st.active, 4);
	/* Existing connections still go on. */
	assert_int_equal(pass(sh, udp(B, 53, A, 1), 2), FW_STATE_ESTABLISHED);
	/* Timed out but not swept yet: still room, by reuse. */
	for (port = 6; port <= 9; port++) {
		p.sport = port;
		assert_int_equal(fw_conn_confirm(sh, &p, 200 * S), 0);
	}
	fw_conn_stats(sh, &st);
	assert_int_equal(st.active, 4);
	assert_int_equal(st.created, 8);
	fw_conn_free(sh);
}

/* Expiry does a bounded amount of work per call and frees everything. */
static void
test_conn_expire_is_bounded(void **state)
{
	struct fw_conn_shard *sh = shard(1000);
	struct fw_conn_stats st;
	uint32_t freed = 0, n, calls = 0;
	uint16_t port;

	(void)state;
	for (port = 0; port < 1000; port++)
		pass(sh, udp(A, port, B, 53), port < 500 ? 0 : 100 * S);
	/* At 40 s the first 500 (30 s) are out, the others are not. */
	while ((n = fw_conn_expire(sh, 40 * S, 16)) > 0 || calls < 64) {
		assert_true(n <= 16);
		freed += n;
		calls++;
		if (calls > 1000)
			break;
	}
	assert_int_equal(freed, 500);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.active, 500);
	assert_int_equal(st.expired, 500);
	/* Freed entries serve new connections. */
	for (port = 0; port < 500; port++)
		assert_int_equal(fw_conn_confirm(sh, &(struct fw_conn_pkt)
				 { C, B, port, 53, 17, 0, 0 }, 41 * S), 0);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.active, 1000);
	assert_int_equal(st.overflow, 0);
	assert_int_equal(fw_conn_expire(sh, 41 * S, 0), 0);
	fw_conn_free(sh);
}

/* Both directions and ICMPv6 errors about a flow land on one shard. */
static void
test_conn_owner_is_symmetric(void **state)
{
	uint32_t seed = 0x5eed;
	unsigned int i, n, hist[8] = { 0 };

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint8_t s[16], d[16];
		uint16_t sp = (uint16_t)unit_rand(&seed);
		uint16_t dp = (uint16_t)unit_rand(&seed);
		uint8_t proto = (uint8_t)(i % 3 == 0 ? 6 : i % 3 == 1 ? 17 : 58);
		unsigned int o;

		unit_rand_fill(&seed, s, 16);
		unit_rand_fill(&seed, d, 16);
		if (i % 7 == 0)
			memcpy(d, s, 16);	/* same host, other ports */
		n = 1 + i % 8;
		o = fw_conn_owner(s, d, proto, sp, dp, n);
		assert_true(o < n);
		assert_int_equal(o, fw_conn_owner(d, s, proto, dp, sp, n));
		if (proto == 58)	/* echo: request id vs reply id */
			assert_int_equal(o, fw_conn_owner(d, s, proto, 0, sp,
							  n));
		if (n == 8)
			hist[o]++;
	}
	/* And spread evenly over the shards. */
	for (i = 0; i < 8; i++)
		assert_true(hist[i] > 200 && hist[i] < 430);
	assert_int_equal(fw_conn_owner(A, B, 6, 1, 2, 1), 0);
	assert_int_equal(fw_conn_owner(A, B, 6, 1, 2, 0), 0);
}

/* Many connections in a small table, looked up both ways. */
static void
test_conn_many_connections(void **state)
{
	struct fw_conn_shard *sh = shard(4096);
	uint32_t seed = 42, i;
	struct fw_conn_stats st;
	uint8_t (*hosts)[16] = malloc(4096 * 16);

	(void)state;
	assert_non_null(hosts);
	for (i = 0; i < 4096; i++) {
		unit_rand_fill(&seed, hosts[i], 16);
		assert_int_equal(pass(sh, tcp(hosts[i], (uint16_t)i, B, 443,
					      SYN), 0), FW_STATE_NEW);
	}
	for (i = 0; i < 4096; i++)
		assert_int_equal(pass(sh, tcp(B, 443, hosts[i], (uint16_t)i,
					      SYN | ACK), 1),
				 FW_STATE_ESTABLISHED);
	fw_conn_stats(sh, &st);
	assert_int_equal(st.active, 4096);
	assert_int_equal(st.created, 4096);
	free(hosts);
	fw_conn_free(sh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_defaults),
		cmocka_unit_test(test_conn_tcp_handshake_new_then_established),
		cmocka_unit_test(test_conn_tcp_stray_packets_invalid),
		cmocka_unit_test(test_conn_tcp_rst_closes_and_syn_reopens),
		cmocka_unit_test(test_conn_tcp_fin_close_and_timeouts),
		cmocka_unit_test(test_conn_udp_pseudo_connection),
		cmocka_unit_test(test_conn_icmp6_echo_and_untracked),
		cmocka_unit_test(test_conn_related_icmp6_errors),
		cmocka_unit_test(test_conn_other_protocols),
		cmocka_unit_test(test_conn_overflow_counted_and_reused),
		cmocka_unit_test(test_conn_expire_is_bounded),
		cmocka_unit_test(test_conn_owner_is_symmetric),
		cmocka_unit_test(test_conn_many_connections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
