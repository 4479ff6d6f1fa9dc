/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-packet processing: RFC 6146 section 3.5, "Filtering and Updating
 * Binding and Session Information", for UDP (3.5.1), TCP (3.5.2) and ICMP
 * queries (3.5.3), and the lookup of the packet inside an ICMP error
 * (3.5.4). The caller has parsed the packet; this file only decides and
 * updates state, and returns the tuple to write.
 *
 * The hit path (an established flow) is one hash, one bucket, the
 * session and its BIB entry; a refresh is one store into the session
 * ('seen'): the timer wheel is not touched (timeout.c). Everything else
 * (BIB entries, ports, clients, held SYNs) is the miss path.
 *
 * Filtering (RFC 4787 REQ-8, RFC 6146 sections 3.5.1.1 and 3.5.2.2):
 * endpoint-independent by default; with address_dependent_filtering an
 * IPv4 packet without a session passes only if its BIB entry has a
 * session with the packet's source address (any port). TCP follows the
 * CLOSED row of the state machine: an IPv4 SYN that passes creates a V4
 * INIT session; one with no BIB entry, or that the filter stops, is held
 * for TCP_INCOMING_SYN (timeout.c); other TCP segments without a session
 * are translated through the BIB entry and create nothing.
 */
#include "nat64.h"

#include <string.h>

#include "nat64_priv.h"

struct s6_key {
	const uint8_t *a6;
	uint32_t rem4;
	uint16_t port6;
	uint16_t rport;
	uint8_t pi;
};

struct s4_key {
	uint32_t addr4;
	uint32_t rem4;
	uint16_t port4;
	uint16_t rport;
	uint8_t pi;
};

static inline int
s6_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct nat64_sess *s = &sh->sess[i];
	const struct nat64_bib *b = &sh->bib[s->bib];
	const struct s6_key *k = key;
	uint64_t a0, a1, b0, b1;

	nat64_ld128(b->addr6, &a0, &a1);
	nat64_ld128(k->a6, &b0, &b1);
	return s->rem4 == k->rem4 && s->rport == k->rport &&
	       b->port6 == k->port6 && b->pi == k->pi &&
	       ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static inline int
s4_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct nat64_sess *s = &sh->sess[i];
	const struct nat64_bib *b = &sh->bib[s->bib];
	const struct s4_key *k = key;

	return s->rem4 == k->rem4 && s->rport == k->rport &&
	       b->addr4 == k->addr4 && b->port4 == k->port4 && b->pi == k->pi;
}

uint32_t
nat64_sess_find6(const struct nat64_shard *sh, unsigned int pi,
		 const uint8_t *a6, uint16_t port6, uint32_t rem4,
		 uint16_t rport)
{
	struct s6_key k = { a6, rem4, port6, rport, (uint8_t)pi };

	return nat64_idx_find(sh, &sh->s6,
			      nat64_h_s6(sh, pi, a6, port6, rem4, rport),
			      s6_eq, &k);
}

/* Protocol index of 'proto' if the pool serves it, else -1. */
static inline int
served(const struct nat64_shard *sh, uint8_t proto)
{
	int pi = nat64_pi(proto);

	return pi >= 0 && (sh->proto_mask & (1u << pi)) != 0 ? pi : -1;
}

/* ICMP queries: the identifier is the port; there is no remote port. */
static inline uint16_t
rport_of(int pi, uint16_t rport)
{
	return pi == NAT64_I_ICMP ? 0 : rport;
}

static inline void
key6(struct s6_key *k, const struct nat64_tuple6 *in, int pi)
{
	k->a6 = in->addr6;
	k->rem4 = in->rem4;
	k->port6 = in->port6;
	k->rport = rport_of(pi, in->rport);
	k->pi = (uint8_t)pi;
}

static inline void
key4(struct s4_key *k, const struct nat64_tuple4 *in, int pi)
{
	k->addr4 = in->addr4;
	k->rem4 = in->rem4;
	k->port4 = in->port4;
	k->rport = rport_of(pi, in->rport);
	k->pi = (uint8_t)pi;
}

static inline uint64_t
hash6(const struct nat64_shard *sh, const struct s6_key *k)
{
	return nat64_h_s6(sh, k->pi, k->a6, k->port6, k->rem4, k->rport);
}

static inline uint64_t
hash4(const struct nat64_shard *sh, const struct s4_key *k)
{
	return nat64_h_s4(sh, k->pi, k->addr4, k->port4, k->rem4, k->rport);
}

static inline void
out4(const struct nat64_bib *b, uint32_t rem4, uint16_t rport,
     struct nat64_tuple4 *out)
{
	out->addr4 = b->addr4;
	out->port4 = b->port4;
	out->rem4 = rem4;
	out->rport = b->pi == NAT64_I_ICMP ? b->port4 : rport;
	out->proto = nat64_proto_of(b->pi);
}

static inline void
out6(const struct nat64_bib *b, uint32_t rem4, uint16_t rport,
     struct nat64_tuple6 *out)
{
	memcpy(out->addr6, b->addr6, 16);
	out->port6 = b->port6;
	out->rem4 = rem4;
	out->rport = b->pi == NAT64_I_ICMP ? b->port6 : rport;
	out->proto = nat64_proto_of(b->pi);
}

/* A packet of an existing session: state machine and refresh. */
static inline void
touch(struct nat64_shard *sh, uint32_t s, int from_v6, uint8_t flags,
      uint32_t now_s)
{
	struct nat64_sess *e = &sh->sess[s];
	struct nat64_tcp_step st;
	uint8_t cls;

	if (e->cls != NAT64_CLS_TCP_EST && e->cls != NAT64_CLS_TCP_TRANS) {
		e->seen = now_s;
		return;
	}
	st = nat64_tcp_next(e->state, nat64_tcp_event(from_v6, flags));
	e->state = st.next;
	if (st.life == NAT64_LIFE_KEEP)
		return;
	e->seen = now_s;
	cls = nat64_tcp_cls(st.life, e->cls);
	if (cls != e->cls) {
		nat64_wheel_del(sh, s);
		e->cls = cls;
		nat64_wheel_add(sh, s);
	}
}

static inline enum nat64_verdict
count(struct nat64_shard *sh, enum nat64_verdict v)
{
	sh->verdicts[v]++;
	return v;
}

static uint8_t
new_cls(int pi)
{
	switch (pi) {
	case NAT64_I_UDP:
		return NAT64_CLS_UDP;
	case NAT64_I_ICMP:
		return NAT64_CLS_ICMP;
	default:
		return NAT64_CLS_TCP_TRANS;
	}
}

/* A new session for BIB entry b, after the limits. */
static enum nat64_verdict
sess_create(struct nat64_shard *sh, uint32_t b, uint32_t c, uint32_t rem4,
	    uint16_t rport, uint8_t state, uint8_t cls, uint32_t now_s,
	    uint32_t *s)
{
	if (sh->free_sess == NAT64_NIL)
		return NAT64_MAX_SESSIONS;
	if (sh->cli[c].n_sess >= sh->max_cli_sess)
		return NAT64_CLIENT_SESSIONS;
	*s = nat64_sess_new(sh, b, c, rem4, rport, state, cls, now_s);
	return *s == NAT64_NIL ? NAT64_TABLE_FULL : NAT64_OK;
}

static enum nat64_verdict
in2out_miss(struct nat64_shard *sh, const struct s6_key *k, uint8_t flags,
	    uint64_t now_ms, struct nat64_tuple4 *out)
{
	uint32_t now_s = nat64_now_s(now_ms), b, c, s;
	enum nat64_verdict v = NAT64_OK;
	uint8_t state = NAT64_TCP_ESTAB;
	int created = 0;

	b = nat64_bib_find6(sh, k->pi, k->a6, k->port6);
	if (k->pi == NAT64_I_TCP) {
		if (nat64_tcp_event(1, flags) != NAT64_TEV_V6_SYN) {
			/* CLOSED, not a SYN: through the BIB entry, if any. */
			if (b == NAT64_NIL)
				return NAT64_NO_BIB;
			out4(&sh->bib[b], k->rem4, k->rport, out);
			return NAT64_OK;
		}
		state = NAT64_TCP_V6_INIT;
	}
	if (sh->free_sess == NAT64_NIL)
		return NAT64_MAX_SESSIONS;
	c = nat64_cli_get(sh, k->a6, &v);
	if (c == NAT64_NIL)
		return v;
	if (sh->cli[c].n_sess >= sh->max_cli_sess) {
		nat64_cli_put(sh, c);
		return NAT64_CLIENT_SESSIONS;
	}
	if (b == NAT64_NIL) {
		v = nat64_bib_create(sh, c, k->pi, k->port6, now_ms, &b);
		if (v != NAT64_OK) {
			nat64_cli_put(sh, c);
			return v;
		}
		created = 1;
	}
	v = sess_create(sh, b, c, k->rem4, k->rport, state, new_cls(k->pi),
			now_s, &s);
	if (v != NAT64_OK) {
		if (created)
			nat64_bib_release(sh, b, now_ms);
		return v;
	}
	/* V4 INIT + V6 SYN -> ESTABLISHED: a held SYN of this flow is
	 * answered by this one (simultaneous open). */
	if (k->pi == NAT64_I_TCP &&
	    nat64_hold_release(sh, sh->bib[b].addr4, sh->bib[b].port4,
			       k->rem4, k->rport)) {
		sh->sess[s].state = NAT64_TCP_ESTAB;
		nat64_wheel_del(sh, s);
		sh->sess[s].cls = NAT64_CLS_TCP_EST;
		nat64_wheel_add(sh, s);
	}
	out4(&sh->bib[b], k->rem4, k->rport, out);
	return NAT64_OK;
}

static inline enum nat64_verdict
in2out_h(struct nat64_shard *sh, const struct nat64_tuple6 *in, int pi,
	 uint8_t flags, uint64_t now_ms, struct nat64_tuple4 *out, uint64_t h)
{
	struct s6_key k;
	uint32_t s;

	key6(&k, in, pi);
	s = nat64_idx_find(sh, &sh->s6, h, s6_eq, &k);
	if (s != NAT64_NIL) {
		touch(sh, s, 1, flags, nat64_now_s(now_ms));
		out4(&sh->bib[sh->sess[s].bib], k.rem4, k.rport, out);
		return count(sh, NAT64_OK);
	}
	return count(sh, in2out_miss(sh, &k, flags, now_ms, out));
}

enum nat64_verdict
nat64_in2out(struct nat64_shard *sh, const struct nat64_tuple6 *in,
	     uint8_t tcp_flags, uint64_t now_ms, struct nat64_tuple4 *out)
{
	int pi = served(sh, in->proto);
	struct s6_key k;

	if (pi < 0)
		return count(sh, NAT64_PROTO);
	key6(&k, in, pi);
	return in2out_h(sh, in, pi, tcp_flags, now_ms, out, hash6(sh, &k));
}

/* Hold an unsolicited IPv4 SYN, or drop it with 'why' without cookie. */
static enum nat64_verdict
hold(struct nat64_shard *sh, const struct s4_key *k, uint64_t now_ms,
     void *cookie, enum nat64_verdict why)
{
	struct nat64_tuple4 t = {
		.addr4 = k->addr4, .rem4 = k->rem4, .port4 = k->port4,
		.rport = k->rport, .proto = PKT_PROTO_TCP,
	};

	if (cookie == NULL)
		return why;
	return nat64_hold_add(sh, &t, now_ms, cookie);
}

static enum nat64_verdict
out2in_miss(struct nat64_shard *sh, const struct s4_key *k, uint8_t flags,
	    uint64_t now_ms, void *cookie, struct nat64_tuple6 *out)
{
	uint32_t b = nat64_bib_find4(sh, k->pi, k->addr4, k->port4), s;
	uint8_t state = NAT64_TCP_ESTAB;
	enum nat64_verdict v;
	int pass;

	pass = b != NAT64_NIL && (!sh->adf_on || nat64_adf_has(sh, b, k->rem4));
	if (k->pi == NAT64_I_TCP) {
		if (nat64_tcp_event(0, flags) != NAT64_TEV_V4_SYN) {
			if (!pass)
				return b == NAT64_NIL ? NAT64_NO_BIB
						      : NAT64_FILTERED;
			out6(&sh->bib[b], k->rem4, k->rport, out);
			return NAT64_OK;
		}
		if (b == NAT64_NIL) {
			/* Only for our own slice of the pool. */
			if (nat64_owner_out2in(sh->ports, k->addr4, k->port4,
					       PKT_PROTO_TCP) !=
			    (int)sh->shard_id)
				return NAT64_NO_BIB;
			return hold(sh, k, now_ms, cookie, NAT64_NO_BIB);
		}
		if (!pass)
			return hold(sh, k, now_ms, cookie, NAT64_FILTERED);
		state = NAT64_TCP_V4_INIT;
	} else if (!pass) {
		return b == NAT64_NIL ? NAT64_NO_BIB : NAT64_FILTERED;
	}
	v = sess_create(sh, b, nat64_cli_find(sh, sh->bib[b].addr6), k->rem4,
			k->rport, state, new_cls(k->pi), nat64_now_s(now_ms),
			&s);
	if (v != NAT64_OK)
		return v;
	out6(&sh->bib[b], k->rem4, k->rport, out);
	return NAT64_OK;
}

static inline enum nat64_verdict
out2in_h(struct nat64_shard *sh, const struct nat64_tuple4 *in, int pi,
	 uint8_t flags, uint64_t now_ms, void *cookie,
	 struct nat64_tuple6 *out, uint64_t h)
{
	struct s4_key k;
	uint32_t s;

	key4(&k, in, pi);
	s = nat64_idx_find(sh, &sh->s4, h, s4_eq, &k);
	if (s != NAT64_NIL) {
		touch(sh, s, 0, flags, nat64_now_s(now_ms));
		out6(&sh->bib[sh->sess[s].bib], k.rem4, k.rport, out);
		return count(sh, NAT64_OK);
	}
	return count(sh, out2in_miss(sh, &k, flags, now_ms, cookie, out));
}

enum nat64_verdict
nat64_out2in(struct nat64_shard *sh, const struct nat64_tuple4 *in,
	     uint8_t tcp_flags, uint64_t now_ms, void *cookie,
	     struct nat64_tuple6 *out)
{
	int pi = served(sh, in->proto);
	struct s4_key k;

	if (pi < 0)
		return count(sh, NAT64_PROTO);
	key4(&k, in, pi);
	return out2in_h(sh, in, pi, tcp_flags, now_ms, cookie, out,
			hash4(sh, &k));
}

enum nat64_verdict
nat64_in2out_lookup(const struct nat64_shard *sh,
		    const struct nat64_tuple6 *in, struct nat64_tuple4 *out)
{
	int pi = served(sh, in->proto);
	struct s6_key k;
	uint32_t s;

	if (pi < 0)
		return NAT64_PROTO;
	key6(&k, in, pi);
	s = nat64_idx_find(sh, &sh->s6, hash6(sh, &k), s6_eq, &k);
	if (s == NAT64_NIL)
		return NAT64_NO_SESSION;
	out4(&sh->bib[sh->sess[s].bib], k.rem4, k.rport, out);
	return NAT64_OK;
}

enum nat64_verdict
nat64_out2in_lookup(const struct nat64_shard *sh,
		    const struct nat64_tuple4 *in, struct nat64_tuple6 *out)
{
	int pi = served(sh, in->proto);
	struct s4_key k;
	uint32_t s;

	if (pi < 0)
		return NAT64_PROTO;
	key4(&k, in, pi);
	s = nat64_idx_find(sh, &sh->s4, hash4(sh, &k), s4_eq, &k);
	if (s == NAT64_NIL)
		return NAT64_NO_SESSION;
	out6(&sh->bib[sh->sess[s].bib], k.rem4, k.rport, out);
	return NAT64_OK;
}

void
nat64_prefetch_in2out(const struct nat64_shard *sh,
		      const struct nat64_tuple6 *in)
{
	int pi = served(sh, in->proto);
	struct s6_key k;

	if (pi < 0)
		return;
	key6(&k, in, pi);
	nat64_idx_prefetch(&sh->s6, hash6(sh, &k));
}

void
nat64_prefetch_out2in(const struct nat64_shard *sh,
		      const struct nat64_tuple4 *in)
{
	int pi = served(sh, in->proto);
	struct s4_key k;

	if (pi < 0)
		return;
	key4(&k, in, pi);
	nat64_idx_prefetch(&sh->s4, hash4(sh, &k));
}

/*
 * Bulk: hash every key (and prefetch its buckets), then load what the
 * lookups will touch in tight loops of independent loads that the core
 * runs in parallel: the first bucket of every key (the second holds the
 * key only when the first was full; loading it too measured no better),
 * the first candidate session of each, its BIB entry. Then run the
 * packets in order. Real loads, because prefetches were not enough: at
 * 1 M sessions on the project's VM, staged prefetches took a lookup from
 * about 290 ns to 145 ns, these loads to 60-70 ns (doc/nat64.md,
 * "Performance"; most prefetches seem dropped on TLB misses). The stages
 * only read, so a packet that changes state for a later one in the same
 * burst is still seen in order; a stale candidate only costs a miss.
 */
static void
warm(const struct nat64_shard *sh, const struct nat64_idx *t,
     const uint64_t *h, unsigned int n)
{
	uint32_t cand[NAT64_BULK_MAX], sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += t->b[nat64_idx_b1(t, h[i])].idx[0];
	for (i = 0; i < n; i++)
		cand[i] = nat64_idx_find(sh, t, h[i], NULL, NULL);
	for (i = 0; i < n; i++)
		if (cand[i] != NAT64_NIL)
			cand[i] = sh->sess[cand[i]].bib;
	for (i = 0; i < n; i++)
		if (cand[i] != NAT64_NIL)
			sum += sh->bib[cand[i]].port4;
	/* Keep the loads: their values are not needed. */
	__asm__ volatile("" : : "r"(sum));
}

/* Both bulk calls: 'v6' is a constant in each, so each gets its own
 * copy with the other direction's branches gone. */
static inline __attribute__((always_inline)) void
bulk(struct nat64_shard *sh, const int v6, const void *in,
     const uint8_t *tcp_flags, unsigned int n, uint64_t now_ms,
     void *const *cookies, void *out, uint8_t *verdicts)
{
	const struct nat64_tuple6 *in6 = in;
	const struct nat64_tuple4 *in4 = in;
	uint64_t h[NAT64_BULK_MAX];
	int pi[NAT64_BULK_MAX];
	unsigned int i;

	if (n == 0)
		return;
	if (n > NAT64_BULK_MAX)
		n = NAT64_BULK_MAX;
	for (i = 0; i < n; i++) {
		pi[i] = served(sh, v6 ? in6[i].proto : in4[i].proto);
		h[i] = 0;
		if (pi[i] < 0)
			continue;
		if (v6) {
			struct s6_key k;

			key6(&k, &in6[i], pi[i]);
			h[i] = hash6(sh, &k);
			nat64_idx_prefetch(&sh->s6, h[i]);
		} else {
			struct s4_key k;

			key4(&k, &in4[i], pi[i]);
			h[i] = hash4(sh, &k);
			nat64_idx_prefetch(&sh->s4, h[i]);
		}
	}
	warm(sh, v6 ? &sh->s6 : &sh->s4, h, n);
	for (i = 0; i < n; i++) {
		enum nat64_verdict v;

		if (pi[i] < 0)
			v = count(sh, NAT64_PROTO);
		else if (v6)
			v = in2out_h(sh, &in6[i], pi[i], tcp_flags[i], now_ms,
				     (struct nat64_tuple4 *)out + i, h[i]);
		else
			v = out2in_h(sh, &in4[i], pi[i], tcp_flags[i], now_ms,
				     cookies != NULL ? cookies[i] : NULL,
				     (struct nat64_tuple6 *)out + i, h[i]);
		verdicts[i] = (uint8_t)v;
	}
}

void
nat64_in2out_bulk(struct nat64_shard *sh, const struct nat64_tuple6 *in,
		  const uint8_t *tcp_flags, unsigned int n, uint64_t now_ms,
		  struct nat64_tuple4 *out, uint8_t *verdicts)
{
	bulk(sh, 1, in, tcp_flags, n, now_ms, NULL, out, verdicts);
}

void
nat64_out2in_bulk(struct nat64_shard *sh, const struct nat64_tuple4 *in,
		  const uint8_t *tcp_flags, unsigned int n, uint64_t now_ms,
		  void *const *cookies, struct nat64_tuple6 *out,
		  uint8_t *verdicts)
{
	bulk(sh, 0, in, tcp_flags, n, now_ms, cookies, out, verdicts);
}
