/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lifetimes: the session timer wheel and the held IPv4 SYNs.
 *
 * Sessions. Each timer class (UDP, ICMP, TCP_EST, TCP_TRANS) has one
 * lifetime; a session is due when now > seen + lifetime (RFC 6146 section
 * 3.5: "at least" the lifetime, so up to one second more at our
 * resolution). The wheel has NAT64_WHEEL one-second slots; a session is
 * linked on the slot of the first second it may be due, and a refresh on
 * the fast path only stamps 'seen': when expiry reaches the slot it
 * re-links the session further on instead of freeing it. A state change
 * that shortens the lifetime (ESTABLISHED -> TRANS) moves the session at
 * once. nat64_shard_expire() works through at most 'budget' sessions and
 * NAT64_WHEEL slots per call, so a worker never stalls on a full slot.
 *
 * Held SYNs (RFC 6146 section 3.5.2.2): a fixed table, a FIFO in arrival
 * order (all have the same TCP_INCOMING_SYN, so it is also deadline
 * order) and an index by tuple so that an IPv6 SYN of the same flow can
 * release its partner in O(1).
 */
#include "nat64.h"

#include <string.h>

#include "nat64_priv.h"

static uint32_t
deadline(const struct nat64_shard *sh, const struct nat64_sess *s)
{
	return s->seen + sh->timeout[s->cls];
}

static void
link_head(struct nat64_shard *sh, uint32_t s, uint32_t slot)
{
	struct nat64_sess *e = &sh->sess[s];
	uint32_t head = sh->wheel[slot];

	e->slot = (uint16_t)slot;
	e->prev = NAT64_NIL;
	e->next = head;
	if (head != NAT64_NIL)
		sh->sess[head].prev = s;
	sh->wheel[slot] = s;
}

void
nat64_wheel_add(struct nat64_shard *sh, uint32_t s)
{
	uint32_t t = deadline(sh, &sh->sess[s]) + 1;

	if ((int32_t)(t - sh->wheel_t) <= 0)
		t = sh->wheel_t + 1;
	link_head(sh, s, t & (NAT64_WHEEL - 1));
}

/* Unlink; only the head of a list knows its slot, so a new head inherits
 * it. A session on no list is left alone. */
void
nat64_wheel_del(struct nat64_shard *sh, uint32_t s)
{
	struct nat64_sess *e = &sh->sess[s];

	if (e->slot == NAT64_SLOT_NONE)
		return;
	if (e->prev != NAT64_NIL) {
		sh->sess[e->prev].next = e->next;
	} else {
		sh->wheel[e->slot] = e->next;
		if (e->next != NAT64_NIL)
			sh->sess[e->next].slot = e->slot;
	}
	if (e->next != NAT64_NIL)
		sh->sess[e->next].prev = e->prev;
	e->prev = NAT64_NIL;
	e->next = NAT64_NIL;
	e->slot = NAT64_SLOT_NONE;
}

uint32_t
nat64_sess_left(const struct nat64_shard *sh, uint32_t s, uint32_t now_s)
{
	int32_t left = (int32_t)(deadline(sh, &sh->sess[s]) - now_s);

	return left < 0 ? 0 : (uint32_t)left;
}

unsigned int
nat64_shard_expire(struct nat64_shard *sh, uint64_t now_ms,
		   unsigned int budget)
{
	uint32_t now = nat64_now_s(now_ms), steps = 0;
	unsigned int freed = 0, work = 0;

	while (work < budget) {
		uint32_t s = sh->wheel[NAT64_PENDING], slot;
		struct nat64_sess *e;

		if (s == NAT64_NIL) {
			if ((int32_t)(now - sh->wheel_t) <= 0 ||
			    steps++ >= NAT64_WHEEL)
				break;
			if (now - sh->wheel_t > NAT64_WHEEL)
				sh->wheel_t = now - NAT64_WHEEL;
			sh->wheel_t++;
			slot = sh->wheel_t & (NAT64_WHEEL - 1);
			s = sh->wheel[slot];
			sh->wheel[slot] = NAT64_NIL;
			sh->wheel[NAT64_PENDING] = s;
			if (s != NAT64_NIL)
				sh->sess[s].slot = NAT64_PENDING;
			continue;
		}
		work++;
		nat64_wheel_del(sh, s);
		e = &sh->sess[s];
		if ((int32_t)(now - deadline(sh, e)) <= 0) {
			nat64_wheel_add(sh, s);	/* refreshed meanwhile */
			continue;
		}
		if (e->cls == NAT64_CLS_TCP_EST || e->cls == NAT64_CLS_TCP_TRANS) {
			struct nat64_tcp_step st = nat64_tcp_timeout(e->state);

			if (st.life != NAT64_LIFE_DELETE) {
				e->state = st.next;
				e->cls = nat64_tcp_cls(st.life, e->cls);
				e->seen = now;
				nat64_wheel_add(sh, s);
				continue;
			}
		}
		nat64_sess_release(sh, s, now_ms);
		sh->expired++;
		freed++;
	}
	return freed;
}

/* Held SYNs. */

static void
hold_unlink(struct nat64_shard *sh, uint32_t i, uint32_t *head,
	    uint32_t *tail)
{
	struct nat64_holdent *h = &sh->hold[i];

	if (h->prev != NAT64_NIL)
		sh->hold[h->prev].next = h->next;
	else
		*head = h->next;
	if (h->next != NAT64_NIL)
		sh->hold[h->next].prev = h->prev;
	else
		*tail = h->prev;
}

static void
hold_append(struct nat64_shard *sh, uint32_t i, uint32_t *head,
	    uint32_t *tail)
{
	struct nat64_holdent *h = &sh->hold[i];

	h->next = NAT64_NIL;
	h->prev = *tail;
	if (*tail != NAT64_NIL)
		sh->hold[*tail].next = i;
	else
		*head = i;
	*tail = i;
}

void
nat64_hold_reset(struct nat64_shard *sh)
{
	uint32_t i;

	for (i = 0; i < sh->cap_hold; i++) {
		sh->hold[i].state = NAT64_HOLD_FREE;
		sh->hold[i].cookie = NULL;
		sh->hold[i].next = i + 1 < sh->cap_hold ? i + 1 : NAT64_NIL;
	}
	sh->free_hold = sh->cap_hold ? 0 : NAT64_NIL;
	sh->hold_head = sh->hold_tail = NAT64_NIL;
	sh->rel_head = sh->rel_tail = NAT64_NIL;
	sh->n_hold = 0;
	nat64_idx_clear(&sh->hi);
}

struct hold_key {
	uint32_t addr4, rem4;
	uint16_t port4, rport;
};

static int
hold_eq(const struct nat64_shard *sh, uint32_t i, const void *key)
{
	const struct nat64_holdent *h = &sh->hold[i];
	const struct hold_key *k = key;

	return h->addr4 == k->addr4 && h->rem4 == k->rem4 &&
	       h->port4 == k->port4 && h->rport == k->rport;
}

static uint32_t
hold_find(const struct nat64_shard *sh, const struct hold_key *k)
{
	return nat64_idx_find(sh, &sh->hi,
			      nat64_h_hold(sh, k->addr4, k->port4, k->rem4,
					   k->rport),
			      hold_eq, k);
}

enum nat64_verdict
nat64_hold_add(struct nat64_shard *sh, const struct nat64_tuple4 *t,
	       uint64_t now_ms, void *cookie)
{
	struct hold_key k = { t->addr4, t->rem4, t->port4, t->rport };
	struct nat64_holdent *h;
	uint32_t i;

	if (hold_find(sh, &k) != NAT64_NIL)
		return NAT64_HOLD_DUP;
	i = sh->free_hold;
	if (i == NAT64_NIL)
		return NAT64_HOLD_FULL;
	if (nat64_idx_add(&sh->hi, nat64_h_hold(sh, k.addr4, k.port4, k.rem4,
						k.rport), i, &sh->rng) != 0)
		return NAT64_HOLD_FULL;
	h = &sh->hold[i];
	sh->free_hold = h->next;
	h->deadline_ms = now_ms + sh->hold_ms;
	h->cookie = cookie;
	h->addr4 = k.addr4;
	h->rem4 = k.rem4;
	h->port4 = k.port4;
	h->rport = k.rport;
	h->state = NAT64_HOLD_HELD;
	hold_append(sh, i, &sh->hold_head, &sh->hold_tail);
	sh->n_hold++;
	return NAT64_HELD;
}

int
nat64_hold_release(struct nat64_shard *sh, uint32_t addr4, uint16_t port4,
		   uint32_t rem4, uint16_t rport)
{
	struct hold_key k = { addr4, rem4, port4, rport };
	uint32_t i;

	if (sh->n_hold == 0)
		return 0;
	i = hold_find(sh, &k);
	if (i == NAT64_NIL)
		return 0;
	nat64_idx_del(&sh->hi, nat64_h_hold(sh, addr4, port4, rem4, rport), i);
	hold_unlink(sh, i, &sh->hold_head, &sh->hold_tail);
	sh->hold[i].state = NAT64_HOLD_RELEASED;
	hold_append(sh, i, &sh->rel_head, &sh->rel_tail);
	return 1;
}

/* Give entry i back to the caller in 'out' and free it. */
static void
hold_out(struct nat64_shard *sh, uint32_t i, uint64_t now_ms,
	 struct nat64_hold *out)
{
	struct nat64_holdent *h = &sh->hold[i];

	out->cookie = h->cookie;
	out->t.addr4 = h->addr4;
	out->t.port4 = h->port4;
	out->t.rem4 = h->rem4;
	out->t.rport = h->rport;
	out->t.proto = PKT_PROTO_TCP;
	out->expired = 0;
	if (h->state == NAT64_HOLD_RELEASED) {
		hold_unlink(sh, i, &sh->rel_head, &sh->rel_tail);
	} else {
		nat64_idx_del(&sh->hi, nat64_h_hold(sh, h->addr4, h->port4,
						    h->rem4, h->rport), i);
		hold_unlink(sh, i, &sh->hold_head, &sh->hold_tail);
		out->expired = h->deadline_ms <= now_ms;
		sh->holds_expired += out->expired;
	}
	h->state = NAT64_HOLD_FREE;
	h->cookie = NULL;
	h->next = sh->free_hold;
	sh->free_hold = i;
	sh->n_hold--;
}

static unsigned int
holds_pop(struct nat64_shard *sh, uint64_t now_ms, struct nat64_hold *out,
	  unsigned int n, int all)
{
	unsigned int k = 0;

	while (k < n && sh->rel_head != NAT64_NIL)
		hold_out(sh, sh->rel_head, now_ms, &out[k++]);
	while (k < n && sh->hold_head != NAT64_NIL &&
	       (all || sh->hold[sh->hold_head].deadline_ms <= now_ms))
		hold_out(sh, sh->hold_head, now_ms, &out[k++]);
	return k;
}

unsigned int
nat64_shard_holds_pop(struct nat64_shard *sh, uint64_t now_ms,
		      struct nat64_hold *out, unsigned int n)
{
	return holds_pop(sh, now_ms, out, n, 0);
}

unsigned int
nat64_shard_holds_flush(struct nat64_shard *sh, uint64_t now_ms,
			struct nat64_hold *out, unsigned int n)
{
	return holds_pop(sh, now_ms, out, n, 1);
}
