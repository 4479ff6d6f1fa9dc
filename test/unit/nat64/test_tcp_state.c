/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/tcp_state.c against RFC 6146 section 3.5.2.2, transition by
 * transition. The table below is written from the RFC's sentences (quoted
 * next to each row), independently of the library's table, and the test
 * runs every (state, event) cell: cells the RFC does not mention fall
 * under the state's "else" sentence. Then the event classification
 * (RST > SYN > FIN) and the timeout column.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_every_cell_follows_rfc6146),
		cmocka_unit_test(test_tcp_timeout_column),
		cmocka_unit_test(test_tcp_event_rst_wins_then_syn_then_fin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
