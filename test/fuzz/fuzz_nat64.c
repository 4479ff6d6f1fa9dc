/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/nat64 driven by a byte stream read as a sequence
 * of operations on a small shard, with nat64_shard_check() after every
 * one, so any broken invariant (a session without its BIB entry, an index
 * that misses an entry, counts that disagree, a port bound twice, a block
 * bitmap out of step) traps, and ASan/UBSan/LSan watch the rest.
 *
 * Input: byte 0 picks the config (bit 0 address-dependent filtering, bits
 * 1-2 the block size 4/8/16/64, bit 3 shard 0 of 2 instead of 1 of 1, bit
 * 4 a static BIB entry). Then each operation is one byte (value mod 10)
 * and its argument bytes; the input ends at the first incomplete one.
 *   0 in2out      client, port, remote, remote port, protocol, TCP flags
 *   1 out2in      address, port lo, port hi, remote, remote port,
 *                 protocol and cookie bit, TCP flags
 *   2 expire      budget, milliseconds to advance
 *   3 clock       seconds to advance (two bytes)
 *   4 lookup      as in2out: both lookups, which must change nothing
 *   5 holds       how many to pop
 *   6 snapshot    save, maybe flip one byte (position, bit), restore into
 *                 a fresh shard; success replaces the shard, failure must
 *                 leave the fresh one empty
 *   7 raw restore length, then that many bytes as a snapshot section
 *   8 walk        protocol, client prefix length, page size; drains the
 *                 block log
 *   9 bulk        count (1-8), then six bytes per packet as in2out
 * Held SYN cookies point into a table: each must come back exactly once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nat64.h"

#define CHECK(c)				\
	do {					\
		if (!(c))			\
			__builtin_trap();	\
	} while (0)

#define POOL_A		0x0a170009u	/* 10.23.0.9 */
#define POOL_B		0xc0000200u	/* 192.0.2.0/31 */
#define N_COOKIES	16
#define SNAP_MAX	(64 * 1024)

struct fz {
	const uint8_t *p;
	size_t left;
	struct nat64_cfg cfg;
	unsigned int n_shards;
	struct nat64_shard *sh;
	uint64_t now;
	uint64_t wall;
	int cookies[N_COOKIES];
	uint8_t held[N_COOKIES];
	uint8_t snap[SNAP_MAX];
};

static int
take(struct fz *f, uint8_t *out, size_t n)
{
	if (f->left < n)
		return -1;
	memcpy(out, f->p, n);
	f->p += n;
	f->left -= n;
	return 0;
}

static uint8_t
proto_of(uint8_t b)
{
	static const uint8_t p[] = { 6, 17, 1, 47 };

	return p[b % 4];
}

static void
client(uint8_t *a6, uint8_t n)
{
	memset(a6, 0, 16);
	a6[0] = 0xfd;
	a6[1] = 0xdd;
	a6[12] = 192;
	a6[13] = 168;
	a6[15] = n % 8;
}

static void
check(struct fz *f)
{
	char err[NAT64_ERR_SIZE];

	CHECK(nat64_shard_check(f->sh, err, sizeof(err)) == 0);
}

static int
is_empty(const struct nat64_shard *sh)
{
	struct nat64_stats st;
	unsigned int k;

	nat64_shard_stats(sh, &st);
	for (k = 0; k < NAT64_NPROTO; k++)
		if (st.sessions[k] != 0 || st.blocks[k] != 0)
			return 0;
	return st.bibs[0] + st.bibs[1] + st.bibs[2] == st.static_bibs;
}

static void
t6_from(const uint8_t *a, struct nat64_tuple6 *t)
{
	memset(t, 0, sizeof(*t));
	client(t->addr6, a[0]);
	t->port6 = (uint16_t)(9000 + a[1]);
	t->rem4 = 0xc6336400u + a[2] % 4;	/* 198.51.100.x */
	t->rport = a[3];
	t->proto = proto_of(a[4]);
}

static void
op_in2out(struct fz *f, const uint8_t *a)
{
	struct nat64_tuple6 t;
	struct nat64_tuple4 o;
	enum nat64_verdict v;

	t6_from(a, &t);
	v = nat64_in2out(f->sh, &t, a[5], f->now, &o);
	CHECK(v < NAT64_VERDICT_MAX && v != NAT64_HELD);
	if (v == NAT64_OK) {
		CHECK(o.rem4 == t.rem4 && o.proto == t.proto);
		CHECK(nat64_owner_out2in(nat64_shard_ports(f->sh), o.addr4,
					 o.port4, o.proto) == 0);
	}
}

static void
op_out2in(struct fz *f, const uint8_t *a)
{
	struct nat64_tuple4 t;
	struct nat64_tuple6 o;
	enum nat64_verdict v;
	unsigned int k = a[4] % N_COOKIES;
	void *cookie = (a[5] & 0x80) && !f->held[k] ? &f->cookies[k] : NULL;

	memset(&t, 0, sizeof(t));
	t.addr4 = a[0] % 3 == 0 ? POOL_A : a[0] % 3 == 1 ? POOL_B + (a[0] & 1)
			      : 0x0a17000a;
	t.port4 = (uint16_t)(9000 + ((a[1] | a[2] << 8) % 160));
	t.rem4 = 0xc6336400u + a[3] % 4;
	t.rport = a[4];
	t.proto = proto_of(a[5]);
	v = nat64_out2in(f->sh, &t, a[6], f->now, cookie, &o);
	CHECK(v < NAT64_VERDICT_MAX);
	if (v == NAT64_HELD) {
		CHECK(cookie != NULL);
		f->held[k] = 1;
	}
	if (v == NAT64_OK)
		CHECK(o.rem4 == t.rem4 && o.proto == t.proto);
}

static void
op_lookup(struct fz *f, const uint8_t *a)
{
	struct nat64_stats before, after;
	struct nat64_tuple6 t, o6;
	struct nat64_tuple4 o4, r;

	t6_from(a, &t);
	nat64_shard_stats(f->sh, &before);
	if (nat64_in2out_lookup(f->sh, &t, &o4) == NAT64_OK) {
		memset(&r, 0, sizeof(r));
		r.addr4 = o4.addr4;
		r.port4 = o4.port4;
		r.rem4 = o4.rem4;
		r.rport = o4.rport;
		r.proto = o4.proto;
		CHECK(nat64_out2in_lookup(f->sh, &r, &o6) == NAT64_OK);
		CHECK(memcmp(o6.addr6, t.addr6, 16) == 0);
		CHECK(o6.port6 == t.port6);
	}
	nat64_shard_stats(f->sh, &after);
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);
}

static void
give_back(struct fz *f, const struct nat64_hold *h, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		long k = (int *)h[i].cookie - f->cookies;

		CHECK(k >= 0 && k < N_COOKIES && f->held[k]);
		f->held[k] = 0;
	}
}

static void
op_holds(struct fz *f, uint8_t n)
{
	struct nat64_hold h[8];

	give_back(f, h, nat64_shard_holds_pop(f->sh, f->now, h, n % 8));
}

static void
flush_holds(struct fz *f)
{
	struct nat64_hold h[8];
	unsigned int n;

	while ((n = nat64_shard_holds_flush(f->sh, f->now, h, 8)) != 0)
		give_back(f, h, n);
}

/* Restore 'm' into a fresh shard: success replaces f->sh. */
static void
restore(struct fz *f, struct nat64_membuf *m)
{
	struct nat64_shard *fresh;
	char err[NAT64_ERR_SIZE];
	long r;

	fresh = nat64_shard_create(&f->cfg, 0, f->n_shards, 32);
	CHECK(fresh != NULL);
	r = nat64_shard_restore(fresh, nat64_snap_read_mem, m, f->now,
				f->wall, err, sizeof(err));
	CHECK(nat64_shard_check(fresh, err, sizeof(err)) == 0);
	if (r < 0) {
		CHECK(is_empty(fresh));
		nat64_shard_free(fresh);
		return;
	}
	flush_holds(f);
	nat64_shard_free(f->sh);
	f->sh = fresh;
}

static void
op_snap(struct fz *f, const uint8_t *a)
{
	struct nat64_membuf m = { f->snap, sizeof(f->snap), 0, 0 };

	CHECK(nat64_shard_save(f->sh, nat64_snap_write_mem, &m, f->now,
			       f->wall) == 0);
	if ((a[0] & 1) && m.len != 0)
		f->snap[((size_t)a[0] << 8 | a[1]) % m.len] ^=
			(uint8_t)(1u << (a[1] % 8));
	f->now += 1000;
	f->wall += (uint64_t)a[1] * 1000;
	restore(f, &m);
}

static void
op_raw(struct fz *f, uint8_t len)
{
	struct nat64_membuf m = { f->snap, sizeof(f->snap), 0, 0 };

	if (take(f, f->snap, len) != 0)
		return;
	m.len = len;
	restore(f, &m);
}

static int
count_sess(const struct nat64_sess_info *s, void *arg)
{
	CHECK(s->proto == 6 || s->proto == 17 || s->proto == 1);
	(*(unsigned int *)arg)++;
	return 0;
}

static int
count_bib(const struct nat64_bib_info *b, void *arg)
{
	CHECK(b->is_static || b->n_sess > 0);
	(*(unsigned int *)arg)++;
	return 0;
}

static void
op_walk(struct fz *f, const uint8_t *a)
{
	struct nat64_filter flt;
	struct nat64_event ev[4];
	unsigned int n = 0, k = 0;
	uint32_t cur = 0;
	char line[160];

	memset(&flt, 0, sizeof(flt));
	flt.proto = a[0] & 1 ? proto_of(a[0] >> 1) : 0;
	flt.client_len = a[1];
	client(flt.client, a[1]);
	while (cur != NAT64_CURSOR_END && k++ < 1000)
		nat64_shard_walk_sess(f->sh, &flt, &cur, a[2] % 5, f->now,
				      count_sess, &n);
	CHECK(cur == NAT64_CURSOR_END);
	cur = 0;
	nat64_shard_walk_bib(f->sh, NULL, &cur, 0, count_bib, &n);
	k = nat64_shard_events_drain(f->sh, ev, 4);
	while (k-- > 0)
		CHECK(nat64_event_format(&ev[k], line, sizeof(line)) > 0);
}

static void
op_bulk(struct fz *f, uint8_t count)
{
	struct nat64_tuple6 in[8];
	struct nat64_tuple4 out[8];
	uint8_t flags[8], v[8], a[6];
	unsigned int n = count % 8 + 1, i;

	for (i = 0; i < n; i++) {
		if (take(f, a, 6) != 0)
			return;
		t6_from(a, &in[i]);
		flags[i] = a[5];
	}
	nat64_in2out_bulk(f->sh, in, flags, n, f->now, out, v);
	for (i = 0; i < n; i++)
		CHECK(v[i] < NAT64_VERDICT_MAX && v[i] != NAT64_HELD);
}

static void
setup(struct fz *f, uint8_t sel)
{
	static const uint32_t bs[] = { 4, 8, 16, 64 };
	struct nat64_cfg *c = &f->cfg;

	nat64_cfg_init(c);
	c->n_pool4 = 2;
	c->pool4[0].addr = POOL_A;
	c->pool4[0].len = 32;
	c->pool4[0].protos = NAT64_PROTO_ALL;
	c->pool4[0].port_lo = 9000;
	c->pool4[0].port_hi = 9099;
	c->pool4[1].addr = POOL_B;
	c->pool4[1].len = 31;
	c->pool4[1].protos = NAT64_PROTO_TCP | NAT64_PROTO_UDP;
	c->pool4[1].port_lo = 9100;
	c->pool4[1].port_hi = 9159;
	c->block_size = bs[(sel >> 1) & 3];
	c->address_dependent_filtering = sel & 1;
	c->max_sessions = 64;
	c->max_sessions_per_client = 12;
	c->max_blocks_per_client = 2;
	c->max_held_syns = 8;
	c->event_ring = 8;
	c->seed = sel + 1u;	/* fixed: runs repeat */
	if (sel & 0x10) {
		c->n_static = 1;
		client(c->static_bib[0].addr6, 3);
		c->static_bib[0].addr4 = POOL_A;
		c->static_bib[0].port6 = 9022;	/* in2out port 22 */
		c->static_bib[0].port4 = 9001;
		c->static_bib[0].proto = 6;
	}
	f->n_shards = sel & 8 ? 2 : 1;
	f->now = 1000000000ULL;
	f->wall = 1700000000000ULL;
	f->sh = nat64_shard_create(c, 0, f->n_shards, 32);
	CHECK(f->sh != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz fz;
	struct fz *f = &fz;
	uint8_t op, a[8];

	if (size < 1 || size > 4096)
		return 0;
	memset(f->held, 0, sizeof(f->held));
	f->p = data + 1;
	f->left = size - 1;
	setup(f, data[0]);
	while (take(f, &op, 1) == 0) {
		switch (op % 10) {
		case 0:
			if (take(f, a, 6) != 0)
				goto done;
			op_in2out(f, a);
			break;
		case 1:
			if (take(f, a, 7) != 0)
				goto done;
			op_out2in(f, a);
			break;
		case 2:
			if (take(f, a, 2) != 0)
				goto done;
			f->now += (uint64_t)a[1] * 10;
			nat64_shard_expire(f->sh, f->now, a[0] + 1u);
			break;
		case 3:
			if (take(f, a, 2) != 0)
				goto done;
			f->now += (uint64_t)(a[0] | a[1] << 8) * 1000;
			break;
		case 4:
			if (take(f, a, 6) != 0)
				goto done;
			op_lookup(f, a);
			break;
		case 5:
			if (take(f, a, 1) != 0)
				goto done;
			op_holds(f, a[0]);
			break;
		case 6:
			if (take(f, a, 2) != 0)
				goto done;
			op_snap(f, a);
			break;
		case 7:
			if (take(f, a, 1) != 0)
				goto done;
			op_raw(f, a[0]);
			break;
		case 8:
			if (take(f, a, 3) != 0)
				goto done;
			op_walk(f, a);
			break;
		default:
			if (take(f, a, 1) != 0)
				goto done;
			op_bulk(f, a[0]);
			break;
		}
		check(f);
	}
done:
	check(f);
	flush_holds(f);
	for (op = 0; op < N_COOKIES; op++)
		CHECK(!f->held[op]);
	nat64_shard_free(f->sh);
	f->sh = NULL;
	return 0;
}
