/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/tcp_state.c against RFC 6146 section 3.5.2.2, transition by
 * transition. The table below is written from the RFC's sentences (quoted
 * next to each row), independently of the library's table, and the test
 * runs every (state, event) cell: cells the RFC does not mention fall
 * under the state's "else" sentence. Then the event classification
 * (RST > SYN > FIN), the timeout column, and whole handshakes through a
 * shard: a V6-initiated open and close, a V4 RST, simultaneous close.
 */
#include "nat64_test.h"

struct rfc_row {
	unsigned int state;
	enum nat64_tcp_event ev;
	unsigned int next;
	enum nat64_tcp_life life;
	const char *rfc;
};

#define EV(x) NAT64_TEV_##x
#define ST(x) NAT64_TCP_##x
#define LF(x) NAT64_LIFE_##x

/* The cells the RFC names explicitly. */
static const struct rfc_row named[] = {
	{ ST(CLOSED), EV(V6_SYN), ST(V6_INIT), LF(TRANS),
	  "CLOSED: V6 SYN ... state moved to V6 INIT, lifetime TCP_TRANS" },
	{ ST(CLOSED), EV(V4_SYN), ST(V4_INIT), LF(TRANS),
	  "CLOSED: V4 SYN with a BIB entry, no ADF: V4 INIT, TCP_TRANS" },
	{ ST(V4_INIT), EV(V6_SYN), ST(ESTAB), LF(EST),
	  "V4 INIT: V6 SYN -> ESTABLISHED, lifetime TCP_EST" },
	{ ST(V6_INIT), EV(V4_SYN), ST(ESTAB), LF(EST),
	  "V6 INIT: V4 SYN -> ESTABLISHED, lifetime TCP_EST" },
	{ ST(V6_INIT), EV(V6_SYN), ST(V6_INIT), LF(TRANS),
	  "V6 INIT: V6 SYN -> lifetime TCP_TRANS, state unchanged" },
	{ ST(ESTAB), EV(V4_FIN), ST(V4_FIN), LF(EST),
	  "ESTABLISHED: V4 FIN -> V4 FIN RCV" },
	{ ST(ESTAB), EV(V6_FIN), ST(V6_FIN), LF(EST),
	  "ESTABLISHED: V6 FIN -> V6 FIN RCV" },
	{ ST(ESTAB), EV(V4_RST), ST(TRANS), LF(TRANS),
	  "ESTABLISHED: V4 RST -> TRANS, lifetime TCP_TRANS" },
	{ ST(ESTAB), EV(V6_RST), ST(TRANS), LF(TRANS),
	  "ESTABLISHED: V6 RST -> TRANS, lifetime TCP_TRANS" },
	{ ST(V4_FIN), EV(V6_FIN), ST(V4V6_FIN), LF(TRANS),
	  "V4 FIN RCV: V6 FIN -> V4 FIN + V6 FIN RCV, TCP_TRANS" },
	{ ST(V6_FIN), EV(V4_FIN), ST(V4V6_FIN), LF(TRANS),
	  "V6 FIN RCV: V4 FIN -> V4 FIN + V6 FIN RCV, TCP_TRANS" },
	{ ST(TRANS), EV(V4_RST), ST(TRANS), LF(KEEP),
	  "TRANS: a RST changes nothing" },
	{ ST(TRANS), EV(V6_RST), ST(TRANS), LF(KEEP),
	  "TRANS: a RST changes nothing" },
};

/* The "else" sentence of each state: what any other event does. */
static const struct {
	unsigned int next;
	enum nat64_tcp_life life;
	const char *rfc;
} otherwise[NAT64_TCP_N] = {
	[ST(CLOSED)] = { ST(CLOSED), LF(KEEP),
			 "CLOSED: other packets translated via the BIB, no state" },
	[ST(V4_INIT)] = { ST(V4_INIT), LF(KEEP),
			  "V4 INIT: else translated and forwarded, unchanged" },
	[ST(V6_INIT)] = { ST(V6_INIT), LF(KEEP),
			  "V6 INIT: else translated and forwarded, unchanged" },
	[ST(ESTAB)] = { ST(ESTAB), LF(EST),
			"ESTABLISHED: else lifetime set to TCP_EST" },
	[ST(V4_FIN)] = { ST(V4_FIN), LF(EST),
			 "V4 FIN RCV: else lifetime set to TCP_EST" },
	[ST(V6_FIN)] = { ST(V6_FIN), LF(EST),
			 "V6 FIN RCV: else lifetime set to TCP_EST" },
	[ST(V4V6_FIN)] = { ST(V4V6_FIN), LF(KEEP),
			   "V4 FIN + V6 FIN RCV: all packets translated" },
	[ST(TRANS)] = { ST(ESTAB), LF(EST),
			"TRANS: a packet other than RST -> ESTABLISHED, TCP_EST" },
};

static void
test_tcp_every_cell_follows_rfc6146(void **state)
{
	unsigned int s, e, i;

	(void)state;
	for (s = 0; s < NAT64_TCP_N; s++) {
		for (e = 0; e < NAT64_TEV_N; e++) {
			struct nat64_tcp_step got = nat64_tcp_next(s, e);
			unsigned int next = otherwise[s].next;
			unsigned int life = otherwise[s].life;
			const char *why = otherwise[s].rfc;

			for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
				if (named[i].state == s && named[i].ev == e) {
					next = named[i].next;
					life = named[i].life;
					why = named[i].rfc;
				}
			if (got.next != next || got.life != life)
				fail_msg("%s + event %u: got %s/%u, want %s/%u (%s)",
					 nat64_tcp_state_name(s), e,
					 nat64_tcp_state_name(got.next),
					 got.life, nat64_tcp_state_name(next),
					 life, why);
		}
	}
}

static void
test_tcp_timeout_column(void **state)
{
	unsigned int s;

	(void)state;
	for (s = 0; s < NAT64_TCP_N; s++) {
		struct nat64_tcp_step st = nat64_tcp_timeout(s);

		if (s == NAT64_TCP_ESTAB) {
			/* "If the lifetime expires ... moved to TRANS". */
			assert_int_equal(st.next, NAT64_TCP_TRANS);
			assert_int_equal(st.life, NAT64_LIFE_TRANS);
		} else {
			assert_int_equal(st.next, NAT64_TCP_CLOSED);
			assert_int_equal(st.life, NAT64_LIFE_DELETE);
		}
	}
	/* Out of range is CLOSED too. */
	assert_int_equal(nat64_tcp_timeout(99).life, NAT64_LIFE_DELETE);
	assert_int_equal(nat64_tcp_next(99, NAT64_TEV_V6_SYN).life,
			 NAT64_LIFE_DELETE);
}

static void
test_tcp_event_rst_wins_then_syn_then_fin(void **state)
{
	(void)state;
	assert_int_equal(nat64_tcp_event(1, NAT64_TCP_SYN), NAT64_TEV_V6_SYN);
	assert_int_equal(nat64_tcp_event(0, NAT64_TCP_SYN), NAT64_TEV_V4_SYN);
	assert_int_equal(nat64_tcp_event(0, NAT64_TCP_SYN | 0x10),
			 NAT64_TEV_V4_SYN);	/* SYN+ACK */
	assert_int_equal(nat64_tcp_event(1, NAT64_TCP_FIN | 0x10),
			 NAT64_TEV_V6_FIN);
	assert_int_equal(nat64_tcp_event(0, NAT64_TCP_RST | NAT64_TCP_SYN),
			 NAT64_TEV_V4_RST);
	assert_int_equal(nat64_tcp_event(1, NAT64_TCP_SYN | NAT64_TCP_FIN),
			 NAT64_TEV_V6_SYN);
	assert_int_equal(nat64_tcp_event(1, 0x10), NAT64_TEV_V6_OTHER);
	assert_int_equal(nat64_tcp_event(0, 0x18), NAT64_TEV_V4_OTHER);
	assert_string_equal(nat64_tcp_state_name(NAT64_TCP_V4V6_FIN),
			    "V4 FIN + V6 FIN RCV");
	assert_string_equal(nat64_tcp_state_name(42), "?");
}

struct state_of {
	uint8_t state;
	uint32_t left;
	unsigned int n;
};

static int
grab(const struct nat64_sess_info *s, void *arg)
{
	struct state_of *o = arg;

	o->state = s->state;
	o->left = s->expires_in_s;
	o->n++;
	return 0;
}

static struct state_of
only_session(struct nat64_shard *sh, uint64_t now)
{
	struct state_of o = { 0, 0, 0 };
	uint32_t cur = 0;

	nat64_shard_walk_sess(sh, NULL, &cur, 0, now, grab, &o);
	assert_int_equal(o.n, 1);
	return o;
}

/* A whole connection through a shard: the state machine is wired to the
 * packets and the lifetimes follow the table. */
static void
test_tcp_v6_open_and_close_through_shard(void **state)
{
	struct nat64_tuple6 t6 = nt_t6(1, 40000, IP4(198, 51, 100, 7), 443,
				       PKT_PROTO_TCP), back;
	struct nat64_tuple4 o4, r4;
	struct nat64_shard *sh;
	struct nat64_cfg c;
	uint64_t now = T0;

	(void)state;
	nt_cfg(&c);
	sh = nt_shard(&c, 0, 1, 64);
	assert_int_equal(nat64_in2out(sh, &t6, NAT64_TCP_SYN, now, &o4),
			 NAT64_OK);
	assert_int_equal(only_session(sh, now).state, NAT64_TCP_V6_INIT);
	assert_int_equal(only_session(sh, now).left, 240);
	r4 = nt_reply(&o4);
	assert_int_equal(nat64_out2in(sh, &r4, NAT64_TCP_SYN | 0x10, now,
				      NULL, &back), NAT64_OK);
	assert_int_equal(only_session(sh, now).state, NAT64_TCP_ESTAB);
	assert_int_equal(only_session(sh, now).left, 7440);
	now += 100 * SEC;
	assert_int_equal(nat64_in2out(sh, &t6, 0x10, now, &o4), NAT64_OK);
	assert_int_equal(only_session(sh, now).left, 7440);
	assert_int_equal(nat64_in2out(sh, &t6, NAT64_TCP_FIN | 0x10, now,
				      &o4), NAT64_OK);
	assert_int_equal(only_session(sh, now).state, NAT64_TCP_V6_FIN);
	assert_int_equal(nat64_out2in(sh, &r4, NAT64_TCP_FIN | 0x10, now,
				      NULL, &back), NAT64_OK);
	assert_int_equal(only_session(sh, now).state, NAT64_TCP_V4V6_FIN);
	assert_int_equal(only_session(sh, now).left, 240);
	/* The last ACK does not refresh. */
	now += 10 * SEC;
	assert_int_equal(nat64_in2out(sh, &t6, 0x10, now, &o4), NAT64_OK);
	assert_int_equal(only_session(sh, now).left, 230);
	nt_check(sh);
	/* Gone after TCP_TRANS, with its BIB entry. */
	assert_int_equal(nat64_shard_expire(sh, now + 231 * SEC, 100), 1);
	assert_int_equal(nat64_in2out(sh, &t6, 0x10, now + 232 * SEC, &o4),
			 NAT64_NO_BIB);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_tcp_rst_goes_to_trans_and_data_revives(void **state)
{
	struct nat64_tuple6 t6 = nt_t6(2, 40001, IP4(198, 51, 100, 7), 80,
				       PKT_PROTO_TCP), back;
	struct nat64_tuple4 o4, r4;
	struct nat64_shard *sh;
	struct nat64_cfg c;

	(void)state;
	nt_cfg(&c);
	sh = nt_shard(&c, 0, 1, 64);
	assert_int_equal(nat64_in2out(sh, &t6, NAT64_TCP_SYN, T0, &o4),
			 NAT64_OK);
	r4 = nt_reply(&o4);
	assert_int_equal(nat64_out2in(sh, &r4, NAT64_TCP_SYN | 0x10, T0, NULL,
				      &back), NAT64_OK);
	assert_int_equal(nat64_out2in(sh, &r4, NAT64_TCP_RST, T0, NULL,
				      &back), NAT64_OK);
	assert_int_equal(only_session(sh, T0).state, NAT64_TCP_TRANS);
	assert_int_equal(only_session(sh, T0).left, 240);
	/* A further RST changes nothing; data brings ESTABLISHED back. */
	assert_int_equal(nat64_in2out(sh, &t6, NAT64_TCP_RST, T0 + 5 * SEC,
				      &o4), NAT64_OK);
	assert_int_equal(only_session(sh, T0 + 5 * SEC).left, 235);
	assert_int_equal(nat64_in2out(sh, &t6, 0x10, T0 + 6 * SEC, &o4),
			 NAT64_OK);
	assert_int_equal(only_session(sh, T0 + 6 * SEC).state,
			 NAT64_TCP_ESTAB);
	assert_int_equal(only_session(sh, T0 + 6 * SEC).left, 7440);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_tcp_established_times_out_to_trans_then_closes(void **state)
{
	struct nat64_tuple6 t6 = nt_t6(3, 40002, IP4(198, 51, 100, 9), 22,
				       PKT_PROTO_TCP), back;
	struct nat64_tuple4 o4, r4;
	struct nat64_shard *sh;
	struct nat64_cfg c;
	uint64_t t;

	(void)state;
	nt_cfg(&c);
	sh = nt_shard(&c, 0, 1, 64);
	assert_int_equal(nat64_in2out(sh, &t6, NAT64_TCP_SYN, T0, &o4),
			 NAT64_OK);
	r4 = nt_reply(&o4);
	assert_int_equal(nat64_out2in(sh, &r4, NAT64_TCP_SYN | 0x10, T0, NULL,
				      &back), NAT64_OK);
	/* TCP_EST (7440 s) is longer than the wheel: it goes round. */
	t = T0 + 7440 * SEC;
	assert_int_equal(nat64_shard_expire(sh, t, 1000), 0);
	assert_int_equal(only_session(sh, t).state, NAT64_TCP_ESTAB);
	t += SEC;
	assert_int_equal(nat64_shard_expire(sh, t, 1000), 0);
	assert_int_equal(only_session(sh, t).state, NAT64_TCP_TRANS);
	assert_int_equal(only_session(sh, t).left, 240);
	nt_check(sh);
	assert_int_equal(nat64_shard_expire(sh, t + 240 * SEC, 1000), 0);
	assert_int_equal(nat64_shard_expire(sh, t + 241 * SEC, 1000), 1);
	nt_check(sh);
	nat64_shard_free(sh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_every_cell_follows_rfc6146),
		cmocka_unit_test(test_tcp_timeout_column),
		cmocka_unit_test(test_tcp_event_rst_wins_then_syn_then_fin),
		cmocka_unit_test(test_tcp_v6_open_and_close_through_shard),
		cmocka_unit_test(test_tcp_rst_goes_to_trans_and_data_revives),
		cmocka_unit_test(test_tcp_established_times_out_to_trans_then_closes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
