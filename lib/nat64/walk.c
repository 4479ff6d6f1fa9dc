/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Looking at a shard from the control plane: filtered, paged walks over
 * sessions and BIB entries (for the RPC and CLI "nat64.session.list" and
 * "nat64.bib.list"), the statistics, and the invariant check the unit
 * tests and the fuzzer run after every step. All of these read the
 * tables in index order and change nothing; the caller runs them on the
 * owning worker or while it is quiescent (nat64.h).
 */
#include "nat64.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64_priv.h"

static int
bib_match(const struct nat64_bib *b, const struct nat64_filter *f)
{
	if (f == NULL)
		return 1;
	if (f->proto != 0 && nat64_proto_of(b->pi) != f->proto)
		return 0;
	if (f->client_len != 0 &&
	    !pkt_bits_equal(b->addr6, f->client,
			    f->client_len > 128 ? 128 : f->client_len))
		return 0;
	if (f->addr4 != 0 && b->addr4 != f->addr4)
		return 0;
	return f->port4 == 0 || b->port4 == f->port4;
}

unsigned int
nat64_shard_walk_sess(const struct nat64_shard *sh,
		      const struct nat64_filter *f, uint32_t *cursor,
		      unsigned int max, uint64_t now_ms, nat64_sess_fn cb,
		      void *arg)
{
	uint32_t now_s = nat64_now_s(now_ms), i;
	unsigned int n = 0;

	for (i = *cursor; i < sh->cap_sess; i++) {
		const struct nat64_sess *s = &sh->sess[i];
		const struct nat64_bib *b;
		struct nat64_sess_info info;

		if (max != 0 && n >= max)
			break;
		if (s->cls == NAT64_CLS_FREE)
			continue;
		b = &sh->bib[s->bib];
		if (!bib_match(b, f))
			continue;
		memcpy(info.addr6, b->addr6, 16);
		info.addr4 = b->addr4;
		info.rem4 = s->rem4;
		info.port6 = b->port6;
		info.port4 = b->port4;
		info.rport = b->pi == NAT64_I_ICMP ? b->port4 : s->rport;
		info.proto = nat64_proto_of(b->pi);
		info.state = s->state;
		info.is_static = (b->flags & NAT64_BIB_STATIC) != 0;
		info.expires_in_s = nat64_sess_left(sh, i, now_s);
		n++;
		if (cb(&info, arg) != 0) {
			i++;
			break;
		}
	}
	*cursor = i >= sh->cap_sess ? NAT64_CURSOR_END : i;
	return n;
}

unsigned int
nat64_shard_walk_bib(const struct nat64_shard *sh,
		     const struct nat64_filter *f, uint32_t *cursor,
		     unsigned int max, nat64_bib_fn cb, void *arg)
{
	unsigned int n = 0;
	uint32_t i;

	for (i = *cursor; i < sh->cap_bib; i++) {
		const struct nat64_bib *b = &sh->bib[i];
		struct nat64_bib_info info;

		if (max != 0 && n >= max)
			break;
		if (!(b->flags & NAT64_BIB_LIVE) || !bib_match(b, f))
			continue;
		memcpy(info.addr6, b->addr6, 16);
		info.addr4 = b->addr4;
		info.port6 = b->port6;
		info.port4 = b->port4;
		info.proto = nat64_proto_of(b->pi);
		info.is_static = (b->flags & NAT64_BIB_STATIC) != 0;
		info.n_sess = b->n_sess;
		n++;
		if (cb(&info, arg) != 0) {
			i++;
			break;
		}
	}
	*cursor = i >= sh->cap_bib ? NAT64_CURSOR_END : i;
	return n;
}

void
nat64_shard_stats(const struct nat64_shard *sh, struct nat64_stats *st)
{
	unsigned int k;

	memset(st, 0, sizeof(*st));
	for (k = 0; k < NAT64_NPROTO; k++) {
		st->sessions[k] = sh->n_sess_p[k];
		st->bibs[k] = sh->n_bib_p[k];
		st->blocks[k] = sh->n_blk_p[k];
		st->blocks_free[k] = sh->own_free_p[k];
		st->ports_free[k] = nat64_blk_free_ports(sh, k);
	}
	/* Ports of free blocks: the owned ports minus those of allocated
	 * blocks and the static ones outside them. */
	for (k = 0; k < NAT64_NPROTO; k++) {
		uint64_t in_blocks = 0, st_out = 0;
		uint32_t b, i;

		for (b = 0; b < sh->cap_blk; b++)
			if (sh->blk[b].client != NAT64_NIL &&
			    sh->blk[b].pi == k)
				in_blocks += sh->blk[b].n_ports;
		for (i = 0; i < sh->n_st; i++)
			st_out += sh->st[i].pi == k &&
				  !nat64_blk_taken(sh, k, sh->st[i].addr4,
						   sh->st[i].port4);
		st->ports_free[k] += sh->own_ports[k] - in_blocks - st_out;
	}
	st->static_bibs = sh->n_static;
	st->clients = sh->n_cli;
	st->holds = sh->n_hold;
	st->capacity = sh->cap_sess;
	st->sessions_created = sh->created;
	st->sessions_expired = sh->expired;
	st->holds_expired = sh->holds_expired;
	st->events_lost = sh->events_lost;
	memcpy(st->verdicts, sh->verdicts, sizeof(st->verdicts));
}

/* A broken invariant: the message, then -EBADMSG. */
#define BAD(err, size, ...) nat64_err(err, size, -EBADMSG, __VA_ARGS__)

/* Count free-list length, refusing cycles. */
static int
list_len(uint32_t head, uint32_t cap, const void *base, size_t stride,
	 size_t link_off, uint32_t *len)
{
	uint32_t n = 0, i = head;

	while (i != NAT64_NIL) {
		uint32_t next;

		if (i >= cap || n > cap)
			return -1;
		memcpy(&next, (const char *)base + (size_t)i * stride + link_off,
		       sizeof(next));
		n++;
		i = next;
	}
	*len = n;
	return 0;
}

/* Counts rebuilt from the entries, to compare with the kept ones. */
struct recount {
	uint32_t *bib_sess;		/* sessions per BIB entry */
	uint32_t *cli_bib;		/* BIB entries per client */
	uint32_t *cli_sess;		/* sessions per client */
	uint32_t *blk_used;		/* dynamic BIB entries per block */
	uint32_t *adf;			/* sessions per ADF record */
};

static int
check_sessions(const struct nat64_shard *sh, struct recount *rc, char *err,
	       size_t size)
{
	uint32_t n = 0, np[NAT64_NPROTO] = { 0 }, i, on_wheel = 0, len;

	for (i = 0; i < sh->cap_sess; i++) {
		const struct nat64_sess *s = &sh->sess[i];
		const struct nat64_bib *b;

		if (s->cls == NAT64_CLS_FREE)
			continue;
		if (s->cls >= NAT64_CLS_N || s->bib >= sh->cap_bib)
			return BAD(err, size, "session %u: class %u bib %u",
				   i, s->cls, s->bib);
		b = &sh->bib[s->bib];
		if (!(b->flags & NAT64_BIB_LIVE))
			return BAD(err, size, "session %u: BIB %u not live",
				   i, s->bib);
		if (s->state >= NAT64_TCP_N || s->state == NAT64_TCP_CLOSED ||
		    (b->pi != NAT64_I_TCP && s->state != NAT64_TCP_ESTAB))
			return BAD(err, size, "session %u: state %u", i,
				   s->state);
		if (!nat64_idx_has(&sh->s6, nat64_h_s6(sh, b->pi, b->addr6,
						       b->port6, s->rem4,
						       s->rport), i) ||
		    !nat64_idx_has(&sh->s4, nat64_h_s4(sh, b->pi, b->addr4,
						       b->port4, s->rem4,
						       s->rport), i))
			return BAD(err, size, "session %u: not indexed", i);
		if (b->pi == NAT64_I_ICMP && s->rport != 0)
			return BAD(err, size, "session %u: ICMP rport", i);
		if (s->slot == NAT64_SLOT_NONE)
			return BAD(err, size, "session %u: not on the wheel",
				   i);
		if (sh->adf_on) {
			uint32_t a = nat64_adf_find(sh, s->bib, s->rem4);

			if (a == NAT64_NIL)
				return BAD(err, size, "session %u: no ADF record",
					   i);
			rc->adf[a]++;
		}
		rc->bib_sess[s->bib]++;
		n++;
		np[b->pi]++;
	}
	if (n != sh->n_sess || sh->s6.n != n || sh->s4.n != n)
		return BAD(err, size, "sessions: %u live, count %u, indexes %u %u",
			   n, sh->n_sess, sh->s6.n, sh->s4.n);
	for (i = 0; i < NAT64_NPROTO; i++)
		if (np[i] != sh->n_sess_p[i])
			return BAD(err, size, "sessions of proto %u: %u vs %u",
				   i, np[i], sh->n_sess_p[i]);
	for (i = 0; i <= NAT64_WHEEL; i++) {
		uint32_t s = sh->wheel[i], prev = NAT64_NIL, k = 0;

		if (s != NAT64_NIL && sh->sess[s].slot != i)
			return BAD(err, size, "wheel %u: head %u has slot %u",
				   i, s, sh->sess[s].slot);
		while (s != NAT64_NIL) {
			if (s >= sh->cap_sess || sh->sess[s].prev != prev ||
			    sh->sess[s].cls == NAT64_CLS_FREE ||
			    ++k > sh->cap_sess)
				return BAD(err, size, "wheel %u: broken at %u",
					   i, s);
			prev = s;
			s = sh->sess[s].next;
		}
		on_wheel += k;
	}
	if (on_wheel != n)
		return BAD(err, size, "wheel holds %u of %u sessions",
			   on_wheel, n);
	if (list_len(sh->free_sess, sh->cap_sess, sh->sess,
		     sizeof(struct nat64_sess),
		     offsetof(struct nat64_sess, next), &len) != 0 ||
	    len + n != sh->cap_sess)
		return BAD(err, size, "session free list");
	return 0;
}

static int
check_bibs(const struct nat64_shard *sh, struct recount *rc, char *err,
	   size_t size)
{
	uint32_t n = 0, n_static = 0, np[NAT64_NPROTO] = { 0 }, i, len;

	for (i = 0; i < sh->cap_bib; i++) {
		const struct nat64_bib *b = &sh->bib[i];
		uint32_t c, blk;

		if (!(b->flags & NAT64_BIB_LIVE))
			continue;
		if (b->pi >= NAT64_NPROTO)
			return BAD(err, size, "BIB %u: proto %u", i, b->pi);
		if (b->n_sess != rc->bib_sess[i])
			return BAD(err, size, "BIB %u: %u sessions, count %u",
				   i, rc->bib_sess[i], b->n_sess);
		if (b->n_sess == 0 && !(b->flags & NAT64_BIB_STATIC))
			return BAD(err, size, "BIB %u: no session", i);
		if (!nat64_idx_has(&sh->b6, nat64_h_b6(sh, b->pi, b->addr6,
						       b->port6), i) ||
		    !nat64_idx_has(&sh->b4, nat64_h_b4(sh, b->pi, b->addr4,
						       b->port4), i))
			return BAD(err, size, "BIB %u: not indexed", i);
		if (nat64_bib_find4(sh, b->pi, b->addr4, b->port4) != i ||
		    nat64_bib_find6(sh, b->pi, b->addr6, b->port6) != i)
			return BAD(err, size, "BIB %u: port %u bound twice",
				   i, b->port4);
		c = nat64_cli_find(sh, b->addr6);
		if (c == NAT64_NIL)
			return BAD(err, size, "BIB %u: no client", i);
		if (sh->cli[c].addr4 != b->addr4)
			return BAD(err, size,
				   "BIB %u: client on another address", i);
		rc->cli_bib[c]++;
		rc->cli_sess[c] += b->n_sess;
		if (!(b->flags & NAT64_BIB_STATIC)) {
			blk = nat64_blk_find(sh, c, b->pi, b->addr4, b->port4);
			if (blk == NAT64_NIL ||
			    !nat64_blk_port_used(sh, blk, b->port4))
				return BAD(err, size,
					   "BIB %u: port %u not in a block of its client",
					   i, b->port4);
			rc->blk_used[blk]++;
		} else {
			n_static++;
		}
		n++;
		np[b->pi]++;
	}
	if (n != sh->n_bib || sh->b6.n != n || sh->b4.n != n ||
	    n_static != sh->n_static)
		return BAD(err, size, "BIBs: %u live (%u static), count %u, indexes %u %u",
			   n, n_static, sh->n_bib, sh->b6.n, sh->b4.n);
	for (i = 0; i < NAT64_NPROTO; i++)
		if (np[i] != sh->n_bib_p[i])
			return BAD(err, size, "BIBs of proto %u", i);
	if (list_len(sh->free_bib, sh->cap_bib, sh->bib,
		     sizeof(struct nat64_bib),
		     offsetof(struct nat64_bib, n_sess), &len) != 0 ||
	    len + n != sh->cap_bib)
		return BAD(err, size, "BIB free list");
	return 0;
}

static int
check_clients(const struct nat64_shard *sh, const struct recount *rc,
	      char *err, size_t size)
{
	uint32_t n = 0, i, k, len;

	for (i = 0; i < sh->cap_cli; i++) {
		const struct nat64_client *c = &sh->cli[i];

		if (!(c->flags & NAT64_CLI_LIVE))
			continue;
		if (nat64_cli_find(sh, c->addr6) != i)
			return BAD(err, size, "client %u: not indexed", i);
		if (rc->cli_bib[i] != c->n_bib || rc->cli_sess[i] != c->n_sess)
			return BAD(err, size,
				   "client %u: %u BIBs %u sessions, counts %u %u",
				   i, rc->cli_bib[i], rc->cli_sess[i], c->n_bib,
				   c->n_sess);
		if (c->n_bib == 0 && !(c->flags & NAT64_CLI_STATIC))
			return BAD(err, size, "client %u: empty", i);
		for (k = 0; k < NAT64_NPROTO; k++) {
			uint32_t nb = 0, b;

			for (b = c->blk[k]; b != NAT64_NIL;
			     b = sh->blk[b].next) {
				if (b >= sh->cap_blk || ++nb > sh->cap_blk ||
				    sh->blk[b].client != i ||
				    sh->blk[b].pi != k ||
				    sh->blk[b].addr4 != c->addr4)
					return BAD(err, size,
						   "client %u: block list", i);
			}
			if (nb != c->n_blk[k])
				return BAD(err, size,
					   "client %u: %u blocks, count %u",
					   i, nb, c->n_blk[k]);
		}
		n++;
	}
	if (n != sh->n_cli || sh->cl.n != n)
		return BAD(err, size, "clients: %u live, count %u", n,
			   sh->n_cli);
	if (list_len(sh->free_cli, sh->cap_cli, sh->cli,
		     sizeof(struct nat64_client),
		     offsetof(struct nat64_client, n_bib), &len) != 0 ||
	    len + n != sh->cap_cli)
		return BAD(err, size, "client free list");
	return 0;
}

static int
is_static_port(const struct nat64_shard *sh, uint32_t pi, uint32_t addr4,
	       uint16_t port)
{
	uint32_t i;

	for (i = 0; i < sh->n_st; i++)
		if (sh->st[i].pi == pi && sh->st[i].addr4 == addr4 &&
		    sh->st[i].port4 == port)
			return 1;
	return 0;
}

static int
check_blocks(const struct nat64_shard *sh, const struct recount *rc,
	     char *err, size_t size)
{
	uint32_t n = 0, np[NAT64_NPROTO] = { 0 }, i, b, len;

	for (b = 0; b < sh->cap_blk; b++) {
		const struct nat64_blk *bk = &sh->blk[b];
		uint32_t p;

		if (bk->client == NAT64_NIL)
			continue;
		if (rc->blk_used[b] != bk->used || bk->used == 0)
			return BAD(err, size, "block %u: %u BIBs, used %u", b,
				   rc->blk_used[b], bk->used);
		for (p = 0; p < bk->n_ports; p++) {
			uint16_t port = (uint16_t)(bk->lo + p);
			int want = is_static_port(sh, bk->pi, bk->addr4, port) ||
				   nat64_bib_find4(sh, bk->pi, bk->addr4,
						   port) != NAT64_NIL;

			if (nat64_blk_port_used(sh, b, port) != want)
				return BAD(err, size,
					   "block %u: bit of port %u", b, port);
		}
		n++;
		np[bk->pi]++;
	}
	if (n != sh->n_blk)
		return BAD(err, size, "blocks: %u live, count %u", n,
			   sh->n_blk);
	for (i = 0; i < NAT64_NPROTO; i++) {
		if (np[i] != sh->n_blk_p[i])
			return BAD(err, size, "blocks of proto %u", i);
		if (sh->own_blocks[i] - np[i] != sh->own_free_p[i])
			return BAD(err, size,
				   "free blocks of proto %u: %llu vs %llu", i,
				   (unsigned long long)(sh->own_blocks[i] - np[i]),
				   (unsigned long long)sh->own_free_p[i]);
	}
	if (list_len(sh->free_blk, sh->cap_blk, sh->blk,
		     sizeof(struct nat64_blk),
		     offsetof(struct nat64_blk, next), &len) != 0 ||
	    len + n != sh->cap_blk)
		return BAD(err, size, "block free list");
	return 0;
}

static int
check_holds(const struct nat64_shard *sh, char *err, size_t size)
{
	uint32_t n = 0, held = 0, i;

	for (i = 0; i < sh->cap_hold; i++) {
		const struct nat64_holdent *h = &sh->hold[i];

		if (h->state == NAT64_HOLD_FREE)
			continue;
		n++;
		if (h->state == NAT64_HOLD_HELD) {
			held++;
			if (!nat64_idx_has(&sh->hi, nat64_h_hold(sh, h->addr4,
								 h->port4,
								 h->rem4,
								 h->rport), i))
				return BAD(err, size, "hold %u: not indexed",
					   i);
		}
	}
	if (n != sh->n_hold || held != sh->hi.n)
		return BAD(err, size, "holds: %u (%u held), count %u", n, held,
			   sh->n_hold);
	return 0;
}

static int
check_adf(const struct nat64_shard *sh, const struct recount *rc, char *err,
	  size_t size)
{
	uint32_t i, n = 0;

	for (i = 0; i < sh->cap_adf; i++) {
		const struct nat64_adf *a = &sh->adf[i];

		if (a->bib == NAT64_NIL)
			continue;
		if (rc->adf[i] != a->count || a->count == 0)
			return BAD(err, size, "ADF %u: %u sessions, count %u",
				   i, rc->adf[i], a->count);
		n++;
	}
	if (n != sh->n_adf || (sh->adf_on && sh->ai.n != n))
		return BAD(err, size, "ADF records: %u, count %u", n,
			   sh->n_adf);
	return 0;
}

int
nat64_shard_check(const struct nat64_shard *sh, char *err, size_t err_size)
{
	struct recount rc;
	int r = -ENOMEM;

	rc.bib_sess = calloc(sh->cap_bib, sizeof(uint32_t));
	rc.cli_bib = calloc(sh->cap_cli, sizeof(uint32_t));
	rc.cli_sess = calloc(sh->cap_cli, sizeof(uint32_t));
	rc.blk_used = calloc(sh->cap_blk ? sh->cap_blk : 1, sizeof(uint32_t));
	rc.adf = calloc(sh->cap_adf ? sh->cap_adf : 1, sizeof(uint32_t));
	if (rc.bib_sess == NULL || rc.cli_bib == NULL || rc.cli_sess == NULL ||
	    rc.blk_used == NULL || rc.adf == NULL) {
		snprintf(err, err_size, "out of memory");
		goto out;
	}
	r = check_sessions(sh, &rc, err, err_size);
	if (r == 0)
		r = check_bibs(sh, &rc, err, err_size);
	if (r == 0)
		r = check_clients(sh, &rc, err, err_size);
	if (r == 0)
		r = check_blocks(sh, &rc, err, err_size);
	if (r == 0)
		r = check_holds(sh, err, err_size);
	if (r == 0)
		r = check_adf(sh, &rc, err, err_size);
out:
	free(rc.bib_sess);
	free(rc.cli_bib);
	free(rc.cli_sess);
	free(rc.blk_used);
	free(rc.adf);
	return r;
}
