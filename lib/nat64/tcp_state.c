/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TCP state machine of RFC 6146 section 3.5.2.2 as a table: one row
 * per state, one column per event, each cell the next state and what
 * happens to the lifetime. sess.c looks the cell up for every TCP packet
 * that hits a session; timeout.c uses the timeout column. The unit test
 * test_tcp_state.c holds the same table written from the RFC's sentences.
 *
 * Choices where the RFC is silent:
 *  - Events: RST wins over SYN, SYN over FIN (a SYN+ACK is a SYN).
 *  - A FIN in ESTABLISHED, or any segment in V4/V6 FIN RCV other than
 *    the other side's FIN, refreshes TCP_EST ("Else ... the lifetime is
 *    set to TCP_EST" of the FIN RCV states, applied to the FIN that
 *    enters them too).
 *  - V4 INIT, V6 INIT (but a V6 SYN) and V4 FIN + V6 FIN RCV forward
 *    without refreshing: the RFC sets no lifetime there.
 *  - ESTABLISHED timing out moves to TRANS for TCP_TRANS; the probe the
 *    RFC suggests is not sent (this core has no packet path), so an idle
 *    connection is dropped after TCP_EST + TCP_TRANS.
 *  - CLOSED + V4 SYN: the session is created only when the filtering
 *    lets the SYN through (sess.c); otherwise it is held (timeout.c).
 */
#include "nat64.h"

#include "nat64_priv.h"

#define S(n, l) { NAT64_TCP_##n, NAT64_LIFE_##l }

static const struct nat64_tcp_step tcp_table[NAT64_TCP_N][NAT64_TEV_N] = {
	/*	      V6 SYN        V4 SYN        V6 FIN        V4 FIN
	 *	      V6 RST        V4 RST        V6 other      V4 other */
	[NAT64_TCP_CLOSED] = {
		S(V6_INIT, TRANS), S(V4_INIT, TRANS), S(CLOSED, KEEP),
		S(CLOSED, KEEP), S(CLOSED, KEEP), S(CLOSED, KEEP),
		S(CLOSED, KEEP), S(CLOSED, KEEP),
	},
	[NAT64_TCP_V4_INIT] = {
		S(ESTAB, EST), S(V4_INIT, KEEP), S(V4_INIT, KEEP),
		S(V4_INIT, KEEP), S(V4_INIT, KEEP), S(V4_INIT, KEEP),
		S(V4_INIT, KEEP), S(V4_INIT, KEEP),
	},
	[NAT64_TCP_V6_INIT] = {
		S(V6_INIT, TRANS), S(ESTAB, EST), S(V6_INIT, KEEP),
		S(V6_INIT, KEEP), S(V6_INIT, KEEP), S(V6_INIT, KEEP),
		S(V6_INIT, KEEP), S(V6_INIT, KEEP),
	},
	[NAT64_TCP_ESTAB] = {
		S(ESTAB, EST), S(ESTAB, EST), S(V6_FIN, EST),
		S(V4_FIN, EST), S(TRANS, TRANS), S(TRANS, TRANS),
		S(ESTAB, EST), S(ESTAB, EST),
	},
	[NAT64_TCP_V4_FIN] = {
		S(V4_FIN, EST), S(V4_FIN, EST), S(V4V6_FIN, TRANS),
		S(V4_FIN, EST), S(V4_FIN, EST), S(V4_FIN, EST),
		S(V4_FIN, EST), S(V4_FIN, EST),
	},
	[NAT64_TCP_V6_FIN] = {
		S(V6_FIN, EST), S(V6_FIN, EST), S(V6_FIN, EST),
		S(V4V6_FIN, TRANS), S(V6_FIN, EST), S(V6_FIN, EST),
		S(V6_FIN, EST), S(V6_FIN, EST),
	},
	[NAT64_TCP_V4V6_FIN] = {
		S(V4V6_FIN, KEEP), S(V4V6_FIN, KEEP), S(V4V6_FIN, KEEP),
		S(V4V6_FIN, KEEP), S(V4V6_FIN, KEEP), S(V4V6_FIN, KEEP),
		S(V4V6_FIN, KEEP), S(V4V6_FIN, KEEP),
	},
	[NAT64_TCP_TRANS] = {
		S(ESTAB, EST), S(ESTAB, EST), S(ESTAB, EST),
		S(ESTAB, EST), S(TRANS, KEEP), S(TRANS, KEEP),
		S(ESTAB, EST), S(ESTAB, EST),
	},
};

/* When the lifetime runs out: ESTABLISHED goes to TRANS, the rest close. */
static const struct nat64_tcp_step tcp_timeout[NAT64_TCP_N] = {
	[NAT64_TCP_CLOSED] = S(CLOSED, DELETE),
	[NAT64_TCP_V4_INIT] = S(CLOSED, DELETE),
	[NAT64_TCP_V6_INIT] = S(CLOSED, DELETE),
	[NAT64_TCP_ESTAB] = S(TRANS, TRANS),
	[NAT64_TCP_V4_FIN] = S(CLOSED, DELETE),
	[NAT64_TCP_V6_FIN] = S(CLOSED, DELETE),
	[NAT64_TCP_V4V6_FIN] = S(CLOSED, DELETE),
	[NAT64_TCP_TRANS] = S(CLOSED, DELETE),
};

#undef S

static const char *const state_names[NAT64_TCP_N] = {
	"CLOSED", "V4 INIT", "V6 INIT", "ESTABLISHED", "V4 FIN RCV",
	"V6 FIN RCV", "V4 FIN + V6 FIN RCV", "TRANS",
};

const char *
nat64_tcp_state_name(unsigned int s)
{
	return s < NAT64_TCP_N ? state_names[s] : "?";
}

enum nat64_tcp_event
nat64_tcp_event(int from_v6, uint8_t tcp_flags)
{
	unsigned int v4 = from_v6 ? 0 : 1;

	if (tcp_flags & NAT64_TCP_RST)
		return (enum nat64_tcp_event)(NAT64_TEV_V6_RST + v4);
	if (tcp_flags & NAT64_TCP_SYN)
		return (enum nat64_tcp_event)(NAT64_TEV_V6_SYN + v4);
	if (tcp_flags & NAT64_TCP_FIN)
		return (enum nat64_tcp_event)(NAT64_TEV_V6_FIN + v4);
	return (enum nat64_tcp_event)(NAT64_TEV_V6_OTHER + v4);
}

struct nat64_tcp_step
nat64_tcp_next(unsigned int state, enum nat64_tcp_event ev)
{
	static const struct nat64_tcp_step closed = {
		NAT64_TCP_CLOSED, NAT64_LIFE_DELETE
	};

	if (state >= NAT64_TCP_N || (unsigned int)ev >= NAT64_TEV_N)
		return closed;
	return tcp_table[state][ev];
}

struct nat64_tcp_step
nat64_tcp_timeout(unsigned int state)
{
	return tcp_timeout[state < NAT64_TCP_N ? state : NAT64_TCP_CLOSED];
}

uint8_t
nat64_tcp_cls(uint8_t life, uint8_t cls)
{
	switch (life) {
	case NAT64_LIFE_EST:
		return NAT64_CLS_TCP_EST;
	case NAT64_LIFE_TRANS:
		return NAT64_CLS_TCP_TRANS;
	default:
		return cls;
	}
}
