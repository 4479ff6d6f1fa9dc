/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/sess.c: RFC 6146 sections 3.5.1-3.5.4 through the per-packet
 * API. UDP, ICMP and TCP both ways; endpoint-independent mapping (one BIB
 * entry for every destination); endpoint-independent against
 * address-dependent filtering; lookup-only for ICMP error inners (no
 * state change); TCP without SYN; the session limits; protocols outside
 * the pool; unsolicited IPv4 SYNs held for TCP_INCOMING_SYN, released by
 * a simultaneous open, handed back when they expire; static BIB entries;
 * the bulk functions agreeing with the single ones; walks and stats.
 */
#include "nat64_test.h"

#define REM1	IP4(198, 51, 100, 1)
#define REM2	IP4(203, 0, 113, 2)
#define POOL	IP4(10, 23, 0, 9)

static struct nat64_shard *
mk(int adf, uint32_t cap)
{
	struct nat64_cfg c;

	nt_cfg(&c);
	c.address_dependent_filtering = (uint8_t)adf;
	return nt_shard(&c, 0, 1, cap);
}

static void
test_udp_both_ways_and_eim(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 5353, REM1, 53, PKT_PROTO_UDP), back;
	struct nat64_tuple6 b = nt_t6(1, 5353, REM2, 5060, PKT_PROTO_UDP);
	struct nat64_tuple4 oa, ob, r;
	struct nat64_shard *sh = mk(0, 64);
	struct nat64_stats st;

	(void)state;
	assert_int_equal(nat64_in2out(sh, &a, 0, T0, &oa), NAT64_OK);
	assert_int_equal(oa.proto, PKT_PROTO_UDP);
	assert_int_equal(oa.rem4, REM1);
	assert_int_equal(oa.rport, 53);
	/* RFC 4787 REQ-1: the same mapping for another destination. */
	assert_int_equal(nat64_in2out(sh, &b, 0, T0, &ob), NAT64_OK);
	assert_int_equal(ob.addr4, oa.addr4);
	assert_int_equal(ob.port4, oa.port4);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.bibs[NAT64_I_UDP], 1);
	assert_int_equal(st.sessions[NAT64_I_UDP], 2);
	/* The reply goes back to the client. */
	r = nt_reply(&oa);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back), NAT64_OK);
	assert_memory_equal(back.addr6, a.addr6, 16);
	assert_int_equal(back.port6, 5353);
	assert_int_equal(back.rem4, REM1);
	assert_int_equal(back.rport, 53);
	/* A third remote is let in (EIF, RFC 4787 REQ-8) with a session. */
	r = nt_t4(oa.addr4, oa.port4, IP4(192, 0, 2, 77), 7777, PKT_PROTO_UDP);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back), NAT64_OK);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.sessions[NAT64_I_UDP], 3);
	/* Nothing for a port without BIB entry. */
	r.port4 = (uint16_t)(oa.port4 + 1);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back),
			 NAT64_NO_BIB);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_adf_needs_a_session_with_the_address(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 4000, REM1, 3478, PKT_PROTO_UDP), back;
	struct nat64_tuple4 o, r;
	struct nat64_shard *sh = mk(1, 64);
	struct nat64_stats st;

	(void)state;
	assert_int_equal(nat64_in2out(sh, &a, 0, T0, &o), NAT64_OK);
	/* Another address: filtered. */
	r = nt_t4(o.addr4, o.port4, REM2, 3478, PKT_PROTO_UDP);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back),
			 NAT64_FILTERED);
	/* The same address from another port: allowed, new session. */
	r = nt_t4(o.addr4, o.port4, REM1, 3479, PKT_PROTO_UDP);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back), NAT64_OK);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.sessions[NAT64_I_UDP], 2);
	assert_int_equal(st.verdicts[NAT64_FILTERED], 1);
	nt_check(sh);
	/* When the sessions with REM1 go, so does the permission. */
	assert_int_equal(nat64_shard_expire(sh, T0 + 301 * SEC, 100), 2);
	r.rport = 3478;
	assert_int_equal(nat64_out2in(sh, &r, 0, T0 + 302 * SEC, NULL, &back),
			 NAT64_NO_BIB);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_icmp_query_identifier_is_the_port(void **state)
{
	struct nat64_tuple6 q = nt_t6(4, 0x1234, REM1, 0xffff, PKT_PROTO_ICMP);
	struct nat64_tuple6 back;
	struct nat64_tuple4 o, r;
	struct nat64_shard *sh = mk(0, 64);

	(void)state;
	assert_int_equal(nat64_in2out(sh, &q, 0, T0, &o), NAT64_OK);
	assert_int_equal(o.proto, PKT_PROTO_ICMP);
	assert_in_range(o.port4, 9000, 10000);
	assert_int_equal(o.rport, o.port4);
	/* The echo reply carries the translated identifier both ways. */
	r = nt_t4(o.addr4, o.port4, REM1, o.port4, PKT_PROTO_ICMP);
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back), NAT64_OK);
	assert_int_equal(back.port6, 0x1234);
	assert_int_equal(back.rport, 0x1234);
	/* The remote "port" is not part of an ICMP flow. */
	r.rport = 1;
	assert_int_equal(nat64_out2in(sh, &r, 0, T0, NULL, &back), NAT64_OK);
	q.rport = 7;
	assert_int_equal(nat64_in2out(sh, &q, 0, T0, &o), NAT64_OK);
	assert_int_equal(nat64_in2out_lookup(sh, &q, &o), NAT64_OK);
	nt_check(sh);
	/* ICMP lifetime is 60 s. */
	assert_int_equal(nat64_shard_expire(sh, T0 + 60 * SEC, 100), 0);
	assert_int_equal(nat64_shard_expire(sh, T0 + 61 * SEC, 100), 1);
	nat64_shard_free(sh);
}

static void
test_lookup_only_changes_nothing(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 6000, REM1, 9999, PKT_PROTO_UDP), back;
	struct nat64_tuple4 o, r, lo;
	struct nat64_shard *sh = mk(0, 64);
	struct nat64_stats before, after;

	(void)state;
	assert_int_equal(nat64_in2out(sh, &a, 0, T0, &o), NAT64_OK);
	nat64_shard_stats(sh, &before);
	/* An ICMPv4 error quoting our packet: the quoted flow, as out2in. */
	r = nt_reply(&o);
	assert_int_equal(nat64_out2in_lookup(sh, &r, &back), NAT64_OK);
	assert_memory_equal(back.addr6, a.addr6, 16);
	assert_int_equal(back.port6, 6000);
	assert_int_equal(nat64_in2out_lookup(sh, &a, &lo), NAT64_OK);
	assert_int_equal(lo.port4, o.port4);
	/* Unknown flows: no session, and none created. */
	r.rem4 = REM2;
	assert_int_equal(nat64_out2in_lookup(sh, &r, &back), NAT64_NO_SESSION);
	a.rem4 = REM2;
	assert_int_equal(nat64_in2out_lookup(sh, &a, &lo), NAT64_NO_SESSION);
	a.proto = 47;
	assert_int_equal(nat64_in2out_lookup(sh, &a, &lo), NAT64_PROTO);
	nat64_shard_stats(sh, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	/* No refresh either: the session goes at its time. */
	a.rem4 = REM1;
	a.proto = PKT_PROTO_UDP;
	assert_int_equal(nat64_in2out_lookup(sh, &a, &lo), NAT64_OK);
	assert_int_equal(nat64_shard_expire(sh, T0 + 301 * SEC, 10), 1);
	nat64_shard_free(sh);
}

static void
test_tcp_without_syn(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 7000, REM1, 80, PKT_PROTO_TCP), back;
	struct nat64_tuple6 other = nt_t6(1, 7000, REM2, 80, PKT_PROTO_TCP);
	struct nat64_tuple4 o, r;
	struct nat64_shard *sh = mk(0, 64);
	struct nat64_stats st;

	(void)state;
	/* No BIB entry: an ACK creates nothing. */
	assert_int_equal(nat64_in2out(sh, &a, 0x10, T0, &o), NAT64_NO_BIB);
	r = nt_t4(POOL, 9000, REM1, 80, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(sh, &r, 0x10, T0, NULL, &back),
			 NAT64_NO_BIB);
	/* With a BIB entry (from a SYN elsewhere), CLOSED segments pass
	 * through it without a session (RFC 6146 3.5.2.2). */
	assert_int_equal(nat64_in2out(sh, &a, NAT64_TCP_SYN, T0, &o),
			 NAT64_OK);
	assert_int_equal(nat64_in2out(sh, &other, 0x10, T0, &r), NAT64_OK);
	assert_int_equal(r.port4, o.port4);
	assert_int_equal(r.rem4, REM2);
	r = nt_t4(o.addr4, o.port4, REM2, 80, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(sh, &r, 0x10, T0, NULL, &back),
			 NAT64_OK);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.sessions[NAT64_I_TCP], 1);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_session_limits(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o;
	struct nat64_stats st;
	struct nat64_cfg c;
	uint32_t i;

	(void)state;
	nt_cfg(&c);
	c.max_sessions_per_client = 10;
	sh = nt_shard(&c, 0, 1, 32);
	for (i = 0; i < 10; i++) {
		struct nat64_tuple6 t = nt_t6(1, 100, REM1 + i, 53,
					      PKT_PROTO_UDP);

		assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o), NAT64_OK);
	}
	{
		struct nat64_tuple6 t = nt_t6(1, 100, REM2, 53, PKT_PROTO_UDP);
		struct nat64_tuple4 in = nt_t4(o.addr4, o.port4, REM2, 9,
					       PKT_PROTO_UDP);
		struct nat64_tuple6 back;

		assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o),
				 NAT64_CLIENT_SESSIONS);
		/* Inbound sessions count for the client too. */
		assert_int_equal(nat64_out2in(sh, &in, 0, T0, NULL, &back),
				 NAT64_CLIENT_SESSIONS);
	}
	/* Others fill the shard: 32 sessions. */
	for (i = 0; i < 22; i++) {
		struct nat64_tuple6 t = nt_t6(2 + i / 10, (uint16_t)(200 + i),
					      REM1, 53, PKT_PROTO_UDP);

		assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o), NAT64_OK);
	}
	{
		struct nat64_tuple6 t = nt_t6(9, 1, REM1, 53, PKT_PROTO_UDP);

		assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o),
				 NAT64_MAX_SESSIONS);
	}
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.sessions[NAT64_I_UDP], 32);
	assert_int_equal(st.capacity, 32);
	assert_int_equal(st.verdicts[NAT64_CLIENT_SESSIONS], 2);
	assert_int_equal(st.verdicts[NAT64_MAX_SESSIONS], 1);
	/* The refused client left nothing behind. */
	assert_int_equal(st.clients, 4);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_protocol_not_in_pool(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple4 o, in;
	struct nat64_tuple6 t, back;
	struct nat64_cfg c;

	(void)state;
	nt_cfg(&c);
	c.pool4[0].protos = NAT64_PROTO_TCP | NAT64_PROTO_UDP;
	sh = nt_shard(&c, 0, 1, 64);
	t = nt_t6(1, 1, REM1, 0, PKT_PROTO_ICMP);
	assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o), NAT64_PROTO);
	t.proto = 132;	/* SCTP */
	assert_int_equal(nat64_in2out(sh, &t, 0, T0, &o), NAT64_PROTO);
	in = nt_t4(POOL, 9000, REM1, 1, PKT_PROTO_ICMP);
	assert_int_equal(nat64_out2in(sh, &in, 0, T0, NULL, &back),
			 NAT64_PROTO);
	nat64_shard_free(sh);
}

static void
test_unsolicited_syn_held_then_icmp(void **state)
{
	struct nat64_tuple4 in = nt_t4(POOL, 9500, REM1, 51000, PKT_PROTO_TCP);
	struct nat64_tuple6 back;
	struct nat64_shard *sh = mk(0, 64);
	struct nat64_hold h[4];
	struct nat64_stats st;
	int pkt1, pkt2;

	(void)state;
	/* No cookie: just dropped. */
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, NULL, &back),
			 NAT64_NO_BIB);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, &pkt1,
				      &back), NAT64_HELD);
	/* A retransmission is not held twice. */
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0 + SEC, &pkt2,
				      &back), NAT64_HOLD_DUP);
	/* Outside our pool nothing is held. */
	in.addr4 = IP4(10, 23, 0, 10);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, &pkt2,
				      &back), NAT64_NO_BIB);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.holds, 1);
	nt_check(sh);
	/* TCP_INCOMING_SYN: 6 s. */
	assert_int_equal(nat64_shard_holds_pop(sh, T0 + 5999, h, 4), 0);
	assert_int_equal(nat64_shard_holds_pop(sh, T0 + 6 * SEC, h, 4), 1);
	assert_ptr_equal(h[0].cookie, &pkt1);
	assert_int_equal(h[0].expired, 1);
	assert_int_equal(h[0].t.port4, 9500);
	assert_int_equal(h[0].t.rem4, REM1);
	assert_int_equal(h[0].t.rport, 51000);
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.holds, 0);
	assert_int_equal(st.holds_expired, 1);
	assert_int_equal(st.verdicts[NAT64_HELD], 1);
	assert_int_equal(st.verdicts[NAT64_HOLD_DUP], 1);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_simultaneous_open_releases_held_syn(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 9300, REM1, 6000, PKT_PROTO_TCP), back;
	struct nat64_tuple4 in = nt_t4(POOL, 9300, REM1, 6000, PKT_PROTO_TCP);
	struct nat64_tuple4 o;
	struct nat64_shard *sh = mk(0, 64);
	struct nat64_hold h[4];
	int pkt;

	(void)state;
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, &pkt,
				      &back), NAT64_HELD);
	/* The IPv6 SYN of the same flow within 6 s, port preserved. */
	assert_int_equal(nat64_in2out(sh, &a, NAT64_TCP_SYN, T0 + 2 * SEC, &o),
			 NAT64_OK);
	assert_int_equal(o.port4, 9300);
	/* The held SYN comes back to be discarded, not answered. */
	assert_int_equal(nat64_shard_holds_pop(sh, T0 + 2 * SEC, h, 4), 1);
	assert_ptr_equal(h[0].cookie, &pkt);
	assert_int_equal(h[0].expired, 0);
	/* V4 INIT + V6 SYN = ESTABLISHED: the v4 side's ACK flows. */
	assert_int_equal(nat64_out2in(sh, &in, 0x10, T0 + 2 * SEC, NULL,
				      &back), NAT64_OK);
	nt_check(sh);
	assert_int_equal(nat64_shard_expire(sh, T0 + 7000 * SEC, 100), 0);
	nat64_shard_free(sh);
}

static void
test_held_syn_with_adf_and_flush(void **state)
{
	struct nat64_tuple6 a = nt_t6(1, 9400, REM1, 443, PKT_PROTO_TCP), back;
	struct nat64_tuple4 o, in;
	struct nat64_shard *sh = mk(1, 64);
	struct nat64_hold h[4];
	int pkt, pkt2;

	(void)state;
	assert_int_equal(nat64_in2out(sh, &a, NAT64_TCP_SYN, T0, &o),
			 NAT64_OK);
	/* The BIB entry exists, but REM2 has no session: held (ADF). */
	in = nt_t4(o.addr4, o.port4, REM2, 7000, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, NULL,
				      &back), NAT64_FILTERED);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, &pkt,
				      &back), NAT64_HELD);
	/* From REM1 (another port) the filter passes: V4 INIT session. */
	in = nt_t4(o.addr4, o.port4, REM1, 444, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, &pkt2,
				      &back), NAT64_OK);
	nt_check(sh);
	/* Shutdown hands every hold back, due or not. */
	assert_int_equal(nat64_shard_holds_flush(sh, T0, h, 4), 1);
	assert_ptr_equal(h[0].cookie, &pkt);
	assert_int_equal(h[0].expired, 0);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_hold_table_full(void **state)
{
	struct nat64_shard *sh;
	struct nat64_tuple6 back;
	struct nat64_cfg c;
	struct nat64_hold h[8];
	int pkt[4];
	uint32_t i;

	(void)state;
	nt_cfg(&c);
	c.max_held_syns = 3;
	sh = nt_shard(&c, 0, 1, 64);
	for (i = 0; i < 4; i++) {
		struct nat64_tuple4 in = nt_t4(POOL, 9000, REM1 + i, 1234,
					       PKT_PROTO_TCP);

		assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0,
					      &pkt[i], &back),
				 i < 3 ? NAT64_HELD : NAT64_HOLD_FULL);
	}
	assert_int_equal(nat64_shard_holds_pop(sh, T0 + 10 * SEC, h, 2), 2);
	assert_ptr_equal(h[0].cookie, &pkt[0]);
	assert_ptr_equal(h[1].cookie, &pkt[1]);
	assert_int_equal(nat64_shard_holds_pop(sh, T0 + 10 * SEC, h, 8), 1);
	assert_ptr_equal(h[0].cookie, &pkt[2]);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_static_bib_inbound_and_outbound(void **state)
{
	struct nat64_tuple4 in, o;
	struct nat64_tuple6 back, t;
	struct nat64_shard *sh;
	struct nat64_cfg c;

	(void)state;
	nt_cfg(&c);
	nt_static(&c, 77, 22, 9022, PKT_PROTO_TCP);
	sh = nt_shard(&c, 0, 1, 64);
	/* An IPv4 host opens a connection to the server (RFC 6146 3.5.2.2:
	 * V4 SYN with a BIB entry, EIF). */
	in = nt_t4(POOL, 9022, REM1, 40000, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(sh, &in, NAT64_TCP_SYN, T0, NULL, &back),
			 NAT64_OK);
	assert_int_equal(back.port6, 22);
	t = nt_t6(77, 22, REM1, 40000, PKT_PROTO_TCP);
	assert_int_equal(nat64_in2out(sh, &t, NAT64_TCP_SYN | 0x10, T0, &o),
			 NAT64_OK);
	assert_int_equal(o.port4, 9022);
	/* The server's own outgoing flows use the same mapping (EIM). */
	t.rem4 = REM2;
	t.rport = 443;
	assert_int_equal(nat64_in2out(sh, &t, NAT64_TCP_SYN, T0, &o),
			 NAT64_OK);
	assert_int_equal(o.port4, 9022);
	/* Its other ports get dynamic ones on the same address. */
	t.port6 = 5000;
	assert_int_equal(nat64_in2out(sh, &t, NAT64_TCP_SYN, T0, &o),
			 NAT64_OK);
	assert_int_not_equal(o.port4, 9022);
	assert_int_equal(o.addr4, POOL);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_bulk_matches_single(void **state)
{
	enum { N = 40 };
	struct nat64_tuple6 in6[N], back1[N], back2[N];
	struct nat64_tuple4 o1[N], o2[N], in4[N];
	struct nat64_shard *a = mk(0, 256), *b = mk(0, 256);
	uint8_t flags[N], v1[N], v2[N];
	void *cookies[N];
	uint32_t i, seed = 11;

	(void)state;
	/* Compared whole: no padding garbage. */
	memset(o1, 0, sizeof(o1));
	memset(o2, 0, sizeof(o2));
	memset(back1, 0, sizeof(back1));
	memset(back2, 0, sizeof(back2));
	for (i = 0; i < N; i++) {
		uint32_t r = unit_rand(&seed);

		in6[i] = nt_t6(r % 5, (uint16_t)(1000 + r % 7), REM1 + r % 3,
			       80, (r & 8) ? PKT_PROTO_TCP : PKT_PROTO_UDP);
		if (i == 7)
			in6[i].proto = 47;
		flags[i] = (r & 16) ? NAT64_TCP_SYN : 0x10;
		cookies[i] = NULL;
	}
	for (i = 0; i < N; i++)
		v1[i] = (uint8_t)nat64_in2out(a, &in6[i], flags[i], T0, &o1[i]);
	nat64_in2out_bulk(b, in6, flags, N, T0, o2, v2);
	assert_memory_equal(v1, v2, N);
	for (i = 0; i < N; i++)
		if (v1[i] == NAT64_OK)
			assert_memory_equal(&o1[i], &o2[i], sizeof(o1[i]));
	for (i = 0; i < N; i++) {
		in4[i] = v1[i] == NAT64_OK ? nt_reply(&o1[i])
			 : nt_t4(POOL, 9999, REM2, 1, PKT_PROTO_UDP);
		v1[i] = (uint8_t)nat64_out2in(a, &in4[i], flags[i], T0, NULL,
					      &back1[i]);
	}
	nat64_out2in_bulk(b, in4, flags, N, T0, cookies, back2, v2);
	assert_memory_equal(v1, v2, N);
	for (i = 0; i < N; i++)
		if (v1[i] == NAT64_OK)
			assert_memory_equal(&back1[i], &back2[i],
					    sizeof(back1[i]));
	nat64_prefetch_in2out(a, &in6[0]);
	nat64_prefetch_out2in(a, &in4[0]);
	nt_check(a);
	nt_check(b);
	nat64_shard_free(a);
	nat64_shard_free(b);
}

struct collect {
	unsigned int n;
	uint16_t port4[64];
};

static int
collect_sess(const struct nat64_sess_info *s, void *arg)
{
	struct collect *c = arg;

	if (c->n < 64)
		c->port4[c->n] = s->port4;
	c->n++;
	return 0;
}

static int
collect_bib(const struct nat64_bib_info *b, void *arg)
{
	struct collect *c = arg;

	if (c->n < 64)
		c->port4[c->n] = b->port4;
	c->n++;
	return 0;
}

static int
stop_now(const struct nat64_sess_info *s, void *arg)
{
	(void)s;
	(*(unsigned int *)arg)++;
	return 1;
}

static void
test_walk_filter_and_paging(void **state)
{
	struct nat64_shard *sh = mk(0, 256);
	struct nat64_filter f;
	struct collect col;
	struct nat64_tuple4 o;
	uint32_t i, cur, pages, stops = 0;

	(void)state;
	for (i = 0; i < 30; i++) {
		struct nat64_tuple6 t = nt_t6(i % 3, (uint16_t)(100 + i),
					      REM1, 53,
					      i % 2 ? PKT_PROTO_TCP
						    : PKT_PROTO_UDP);

		assert_int_equal(nat64_in2out(sh, &t, NAT64_TCP_SYN, T0, &o),
				 NAT64_OK);
	}
	memset(&col, 0, sizeof(col));
	cur = 0;
	assert_int_equal(nat64_shard_walk_sess(sh, NULL, &cur, 0, T0,
					       collect_sess, &col), 30);
	assert_int_equal(cur, NAT64_CURSOR_END);
	/* By protocol. */
	memset(&f, 0, sizeof(f));
	f.proto = PKT_PROTO_TCP;
	memset(&col, 0, sizeof(col));
	cur = 0;
	assert_int_equal(nat64_shard_walk_sess(sh, &f, &cur, 0, T0,
					       collect_sess, &col), 15);
	/* By client prefix: client 1 is ...c0a8:0001. */
	memset(&f, 0, sizeof(f));
	nt_client(f.client, 1);
	f.client_len = 128;
	memset(&col, 0, sizeof(col));
	cur = 0;
	assert_int_equal(nat64_shard_walk_bib(sh, &f, &cur, 0, collect_bib,
					      &col), 10);
	/* A /96 (the CLAT prefix) holds all three clients. */
	f.client_len = 96;
	memset(&col, 0, sizeof(col));
	cur = 0;
	assert_int_equal(nat64_shard_walk_bib(sh, &f, &cur, 0, collect_bib,
					      &col), 30);
	/* By pool port. */
	memset(&f, 0, sizeof(f));
	f.addr4 = POOL;
	f.port4 = col.port4[5];
	memset(&col, 0, sizeof(col));
	cur = 0;
	/* TCP and UDP may share a port number. */
	assert_in_range(nat64_shard_walk_sess(sh, &f, &cur, 0, T0,
					      collect_sess, &col), 1, 2);
	/* Pages of 7. */
	memset(&col, 0, sizeof(col));
	for (cur = 0, pages = 0; cur != NAT64_CURSOR_END; pages++)
		nat64_shard_walk_sess(sh, NULL, &cur, 7, T0, collect_sess,
				      &col);
	assert_int_equal(col.n, 30);
	assert_true(pages >= 5);
	/* A callback can stop the walk; the cursor resumes after it. */
	cur = 0;
	assert_int_equal(nat64_shard_walk_sess(sh, NULL, &cur, 0, T0, stop_now,
					       &stops), 1);
	assert_int_not_equal(cur, NAT64_CURSOR_END);
	nat64_shard_free(sh);
}

static void
test_stats_agree_with_walks(void **state)
{
	struct nat64_shard *sh = mk(0, 512);
	struct nat64_stats st;
	struct collect col;
	struct nat64_tuple4 o;
	uint32_t i, cur, total = 0, k;
	uint64_t verdicts = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		struct nat64_tuple6 t = nt_t6(i % 11, (uint16_t)(i % 37),
					      REM1 + i % 5, 53,
					      (uint8_t)(i % 3 == 0 ? PKT_PROTO_TCP
							: i % 3 == 1 ? PKT_PROTO_UDP
							: PKT_PROTO_ICMP));

		nat64_in2out(sh, &t, NAT64_TCP_SYN, T0 + i * SEC, &o);
	}
	nat64_shard_stats(sh, &st);
	memset(&col, 0, sizeof(col));
	cur = 0;
	nat64_shard_walk_sess(sh, NULL, &cur, 0, T0, collect_sess, &col);
	for (k = 0; k < NAT64_NPROTO; k++)
		total += (uint32_t)st.sessions[k];
	assert_int_equal(total, col.n);
	memset(&col, 0, sizeof(col));
	cur = 0;
	nat64_shard_walk_bib(sh, NULL, &cur, 0, collect_bib, &col);
	assert_int_equal(st.bibs[0] + st.bibs[1] + st.bibs[2], col.n);
	for (k = 0; k < NAT64_VERDICT_MAX; k++)
		verdicts += st.verdicts[k];
	assert_int_equal(verdicts, 200);
	assert_int_equal(st.sessions_created, total);
	for (k = 0; k < NAT64_NPROTO; k++)
		assert_int_equal(st.blocks[k] + st.blocks_free[k],
				 k == NAT64_I_TCP ? 16 : 16);
	assert_true(nat64_shard_mem(sh) > 512 * 64);
	assert_true(nat64_mem_per_session(sh) > 0);
	assert_int_equal(nat64_shard_capacity(sh), 512);
	nt_check(sh);
	nat64_shard_free(sh);
	nat64_shard_free(NULL);
}

/* The budget: at most 128 bytes per session of capacity, everything
 * included, once fixed costs are spread (doc/nat64.md, "Memory"). */
static void
test_memory_per_session_within_budget(void **state)
{
	struct nat64_shard *sh;
	struct nat64_cfg c;

	(void)state;
	nt_cfg(&c);
	c.pool4[0].addr = IP4(100, 64, 0, 0);
	c.pool4[0].len = 20;
	c.pool4[0].port_lo = 1024;
	c.pool4[0].port_hi = 65535;
	c.max_sessions = 1u << 19;
	sh = nt_shard(&c, 0, 1, 0);
	assert_int_equal(nat64_shard_capacity(sh), 1u << 19);
	assert_true(nat64_mem_per_session(sh) <= 128);
	assert_true(nat64_shard_mem(sh) <= 128u << 19);
	nat64_shard_free(sh);
}

static void
test_shard_create_refuses_bad_arguments(void **state)
{
	struct nat64_cfg c;

	(void)state;
	nt_cfg(&c);
	assert_null(nat64_shard_create(&c, 2, 2, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(nat64_shard_create(&c, 0, 0, 0));
	assert_null(nat64_shard_create(&c, 0, 1, (1u << 28) + 1));
	c.block_size = 0;
	assert_null(nat64_shard_create(&c, 0, 2, 0));
	assert_int_equal(errno, EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_both_ways_and_eim),
		cmocka_unit_test(test_adf_needs_a_session_with_the_address),
		cmocka_unit_test(test_icmp_query_identifier_is_the_port),
		cmocka_unit_test(test_lookup_only_changes_nothing),
		cmocka_unit_test(test_tcp_without_syn),
		cmocka_unit_test(test_session_limits),
		cmocka_unit_test(test_protocol_not_in_pool),
		cmocka_unit_test(test_unsolicited_syn_held_then_icmp),
		cmocka_unit_test(test_simultaneous_open_releases_held_syn),
		cmocka_unit_test(test_held_syn_with_adf_and_flush),
		cmocka_unit_test(test_hold_table_full),
		cmocka_unit_test(test_static_bib_inbound_and_outbound),
		cmocka_unit_test(test_bulk_matches_single),
		cmocka_unit_test(test_walk_filter_and_paging),
		cmocka_unit_test(test_stats_agree_with_walks),
		cmocka_unit_test(test_memory_per_session_within_budget),
		cmocka_unit_test(test_shard_create_refuses_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
