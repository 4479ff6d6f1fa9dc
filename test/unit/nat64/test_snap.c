/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat64/snap.c: snapshots. A round trip keeps every session, BIB
 * entry and block, with lifetimes shortened by the wall-clock time the
 * box was down; sessions that ran out meanwhile are dropped with what
 * only they held; several shards share one file; and a corrupt, truncated
 * or mismatched snapshot (every single-byte truncation, bit flips, other
 * pool, shard, shard count or version, a full or busy shard) is refused
 * with a message and leaves the shard empty.
 */
#include "nat64_test.h"

#include <stdlib.h>

#include "nat64_priv.h"

#define REM	IP4(198, 51, 100, 1)
#define WALL	(1700000000ULL * SEC)

/* Seed 003 with the whole port range, room for every client's blocks. */
static void
snap_cfg(struct nat64_cfg *c)
{
	nt_cfg(c);
	c->pool4[0].port_lo = 1024;
	c->pool4[0].port_hi = 65535;
}

static void
fill(struct nat64_shard *sh, unsigned int shard, unsigned int n_shards,
     uint32_t flows, uint64_t now)
{
	struct nat64_tuple4 o, r;
	struct nat64_tuple6 back;
	uint32_t i, made = 0;

	for (i = 0; made < flows; i++) {
		uint8_t proto = i % 3 == 0 ? PKT_PROTO_TCP
			       : i % 3 == 1 ? PKT_PROTO_UDP : PKT_PROTO_ICMP;
		struct nat64_tuple6 t = nt_t6(i % 17, (uint16_t)(2000 + i),
					      REM + i % 4, 443, proto);

		if (nat64_owner_in2out(t.addr6, n_shards) != shard)
			continue;
		assert_int_equal(nat64_in2out(sh, &t, NAT64_TCP_SYN, now, &o),
				 NAT64_OK);
		if (proto == PKT_PROTO_TCP && i % 2 == 0) {
			r = nt_reply(&o);
			assert_int_equal(nat64_out2in(sh, &r, NAT64_TCP_SYN |
						      0x10, now, NULL, &back),
					 NAT64_OK);
		}
		made++;
	}
}

struct dump {
	unsigned int n;
	struct nat64_sess_info s[512];
};

static int
dump_one(const struct nat64_sess_info *s, void *arg)
{
	struct dump *d = arg;

	if (d->n < 512)
		d->s[d->n] = *s;
	d->n++;
	return 0;
}

static int
cmp_info(const void *a, const void *b)
{
	const struct nat64_sess_info *x = a, *y = b;
	int r = memcmp(x->addr6, y->addr6, 16);

	if (r != 0)
		return r;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	if (x->port6 != y->port6)
		return x->port6 - y->port6;
	return x->rem4 < y->rem4 ? -1 : x->rem4 > y->rem4;
}

static void
dump(const struct nat64_shard *sh, uint64_t now, struct dump *d)
{
	uint32_t cur = 0;

	d->n = 0;
	nat64_shard_walk_sess(sh, NULL, &cur, 0, now, dump_one, d);
	qsort(d->s, d->n, sizeof(d->s[0]), cmp_info);
}

static struct nat64_membuf
membuf(size_t size)
{
	struct nat64_membuf m = { malloc(size), size, 0, 0 };

	assert_non_null(m.buf);
	return m;
}

/* A shard of 'c' with 'flows' flows, saved into 'm' at T0. */
static struct nat64_shard *
saved(const struct nat64_cfg *c, uint32_t flows, struct nat64_membuf *m)
{
	struct nat64_shard *sh = nt_shard(c, 0, 1, 512);

	fill(sh, 0, 1, flows, T0);
	assert_int_equal(nat64_shard_save(sh, nat64_snap_write_mem, m, T0,
					  WALL), 0);
	return sh;
}

static void
test_snap_round_trip_keeps_everything(void **state)
{
	struct nat64_cfg c;
	struct nat64_shard *a, *b;
	struct nat64_membuf m = membuf(1 << 20);
	struct nat64_stats sa, sb;
	static struct dump da, db;
	char err[NAT64_ERR_SIZE] = "";
	uint32_t i;
	long n;

	(void)state;
	snap_cfg(&c);
	a = nt_shard(&c, 0, 1, 512);
	fill(a, 0, 1, 200, T0);
	assert_int_equal(nat64_shard_save(a, nat64_snap_write_mem, &m,
					  T0 + 10 * SEC, WALL), 0);
	/* Restart: another monotonic clock, 20 s of wall time later. */
	b = nt_shard(&c, 0, 1, 512);
	n = nat64_shard_restore(b, nat64_snap_read_mem, &m, 5 * SEC,
				WALL + 20 * SEC, err, sizeof(err));
	if (n < 0)
		fail_msg("restore: %s", err);
	assert_int_equal(n, 200);
	assert_int_equal(m.pos, m.len);
	nt_check(b);
	dump(a, T0 + 30 * SEC, &da);
	dump(b, 5 * SEC, &db);
	assert_int_equal(da.n, db.n);
	for (i = 0; i < da.n; i++) {
		assert_memory_equal(da.s[i].addr6, db.s[i].addr6, 16);
		assert_int_equal(da.s[i].addr4, db.s[i].addr4);
		assert_int_equal(da.s[i].port4, db.s[i].port4);
		assert_int_equal(da.s[i].rport, db.s[i].rport);
		assert_int_equal(da.s[i].state, db.s[i].state);
		assert_int_equal(da.s[i].expires_in_s, db.s[i].expires_in_s);
	}
	nat64_shard_stats(a, &sa);
	nat64_shard_stats(b, &sb);
	assert_memory_equal(sa.sessions, sb.sessions, sizeof(sa.sessions));
	assert_memory_equal(sa.bibs, sb.bibs, sizeof(sa.bibs));
	assert_memory_equal(sa.blocks, sb.blocks, sizeof(sa.blocks));
	assert_memory_equal(sa.ports_free, sb.ports_free,
			    sizeof(sa.ports_free));
	assert_int_equal(sa.clients, sb.clients);
	/* Restored flows carry on: the reply of a UDP flow finds it. */
	for (i = 0; i < db.n; i++)
		if (db.s[i].proto == PKT_PROTO_UDP) {
			struct nat64_tuple4 r = nt_t4(db.s[i].addr4,
						      db.s[i].port4,
						      db.s[i].rem4,
						      db.s[i].rport,
						      PKT_PROTO_UDP);
			struct nat64_tuple6 back;

			assert_int_equal(nat64_out2in(b, &r, 0, 6 * SEC, NULL,
						      &back), NAT64_OK);
			break;
		}
	/* And expire on their shortened lifetime: UDP 300 - 30. */
	nat64_shard_expire(b, 5 * SEC + 271 * SEC, 100000);
	nat64_shard_stats(b, &sb);
	assert_int_equal(sb.sessions[NAT64_I_UDP], 1);	/* the refreshed one */
	assert_int_equal(sb.sessions[NAT64_I_ICMP], 0);
	nt_check(b);
	nat64_shard_free(a);
	nat64_shard_free(b);
	free(m.buf);
}

static void
test_snap_drops_what_ran_out_while_down(void **state)
{
	struct nat64_cfg c;
	struct nat64_shard *a, *b;
	struct nat64_membuf m = membuf(1 << 20);
	struct nat64_event ev[64];
	struct nat64_stats st;
	char err[NAT64_ERR_SIZE] = "";
	unsigned int k, frees = 0;
	long n;

	(void)state;
	snap_cfg(&c);
	a = saved(&c, 90, &m);
	/* Down for 10 minutes: only TCP survives (240 s transitory for the
	 * half-open ones is gone too; established ones stay). */
	b = nt_shard(&c, 0, 1, 512);
	n = nat64_shard_restore(b, nat64_snap_read_mem, &m, T0,
				WALL + 600 * SEC, err, sizeof(err));
	if (n < 0)
		fail_msg("restore: %s", err);
	nat64_shard_stats(b, &st);
	assert_int_equal(st.sessions[NAT64_I_UDP], 0);
	assert_int_equal(st.sessions[NAT64_I_ICMP], 0);
	assert_int_equal(st.sessions[NAT64_I_TCP], (uint64_t)n);
	assert_true(n > 0 && n < 30);
	assert_int_equal(st.blocks[NAT64_I_UDP], 0);
	assert_int_equal(st.bibs[NAT64_I_UDP], 0);
	/* The blocks that had nothing left are logged as freed now. */
	for (k = nat64_shard_events_drain(b, ev, 64); k > 0; k--)
		frees += ev[k - 1].type == NAT64_EV_BLOCK_FREE;
	assert_true(frees > 0);
	nt_check(b);
	nat64_shard_free(a);
	nat64_shard_free(b);
	free(m.buf);
}

static void
test_snap_several_shards_in_one_file(void **state)
{
	enum { N = 3 };
	struct nat64_cfg c;
	struct nat64_shard *a[N], *b[N];
	struct nat64_membuf m = membuf(1 << 20);
	char err[NAT64_ERR_SIZE] = "";
	unsigned int i;

	(void)state;
	snap_cfg(&c);
	for (i = 0; i < N; i++) {
		a[i] = nt_shard(&c, i, N, 256);
		b[i] = nt_shard(&c, i, N, 256);
		fill(a[i], i, N, 40, T0);
		assert_int_equal(nat64_shard_save(a[i], nat64_snap_write_mem,
						  &m, T0, WALL), 0);
	}
	for (i = 0; i < N; i++) {
		long n = nat64_shard_restore(b[i], nat64_snap_read_mem, &m, T0,
					     WALL, err, sizeof(err));

		if (n != 40)
			fail_msg("shard %u: %ld: %s", i, n, err);
		nt_check(b[i]);
	}
	assert_int_equal(m.pos, m.len);
	/* Sections in the wrong order are refused. */
	m.pos = 0;
	nat64_shard_free(b[1]);
	b[1] = nt_shard(&c, 1, N, 256);
	assert_int_equal(nat64_shard_restore(b[1], nat64_snap_read_mem, &m, T0,
					     WALL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "section of shard 0 of 3"));
	for (i = 0; i < N; i++) {
		nat64_shard_free(a[i]);
		nat64_shard_free(b[i]);
	}
	free(m.buf);
}

/* Restore 'm' into a fresh shard of 'c', expecting refusal 'rc' (0: any
 * error) with 'needle' in the message. */
static void
refused(const struct nat64_cfg *c, unsigned int id, unsigned int n,
	struct nat64_membuf *m, long rc, const char *needle)
{
	struct nat64_shard *sh = nt_shard(c, id, n, 512);
	struct nat64_stats st;
	char err[NAT64_ERR_SIZE] = "";
	long got;

	m->pos = 0;
	got = nat64_shard_restore(sh, nat64_snap_read_mem, m, T0, WALL, err,
				  sizeof(err));
	/* rc 0: any refusal will do. */
	if ((rc != 0 && got != rc) || got >= 0 ||
	    (needle != NULL && strstr(err, needle) == NULL))
		fail_msg("got %ld \"%s\", want %ld \"%s\"", got, err, rc,
			 needle != NULL ? needle : "");
	nat64_shard_stats(sh, &st);
	assert_int_equal(st.sessions[0] + st.sessions[1] + st.sessions[2], 0);
	assert_int_equal(st.bibs[0] + st.bibs[1] + st.bibs[2],
			 st.static_bibs);
	assert_int_equal(st.blocks[0] + st.blocks[1] + st.blocks[2], 0);
	assert_int_equal(st.clients, st.static_bibs ? 1 : 0);
	nt_check(sh);
	nat64_shard_free(sh);
}

static void
test_snap_refuses_corrupt_truncated_mismatched(void **state)
{
	struct nat64_cfg c, d;
	struct nat64_shard *a;
	struct nat64_membuf m = membuf(1 << 16);
	size_t len, cut, i;
	uint8_t *orig;

	(void)state;
	snap_cfg(&c);
	a = saved(&c, 20, &m);
	len = m.len;
	orig = malloc(len);
	assert_non_null(orig);
	memcpy(orig, m.buf, len);
	/* Every truncation. */
	for (cut = 0; cut < len; cut++) {
		m.len = cut;
		refused(&c, 0, 1, &m, -EBADMSG, "truncated");
	}
	m.len = len;
	/* A flipped bit anywhere: refused, by the checks or the CRC. */
	for (i = 0; i < len; i += 7) {
		m.buf[i] ^= (uint8_t)(1u << (i % 8));
		refused(&c, 0, 1, &m, i < 8 || i >= 64 ? -EBADMSG : 0, NULL);
		memcpy(m.buf, orig, len);
	}
	/* Named refusals. */
	m.buf[0] = 'X';
	refused(&c, 0, 1, &m, -EBADMSG, "bad magic");
	memcpy(m.buf, orig, len);
	m.buf[8] = 2;
	refused(&c, 0, 1, &m, -EINVAL, "version 2");
	memcpy(m.buf, orig, len);
	m.buf[len - 1] ^= 0x80;
	refused(&c, 0, 1, &m, -EBADMSG, "checksum");
	memcpy(m.buf, orig, len);
	refused(&c, 0, 2, &m, -EINVAL, "section of shard 0 of 1");
	d = c;
	d.pool4[0].port_hi = 65534;
	refused(&d, 0, 1, &m, -EINVAL, "pool layout differs");
	d = c;
	d.block_size = 32;
	refused(&d, 0, 1, &m, -EINVAL, "pool layout differs");
	d = c;
	d.max_sessions = 10;
	d.max_sessions_per_client = 10;
	{
		struct nat64_shard *sh = nt_shard(&d, 0, 1, 10);
		char err[NAT64_ERR_SIZE];

		m.pos = 0;
		assert_int_equal(nat64_shard_restore(sh, nat64_snap_read_mem,
						     &m, T0, WALL, err,
						     sizeof(err)), -ENOSPC);
		assert_non_null(strstr(err, "shard holds"));
		nt_check(sh);
		nat64_shard_free(sh);
	}
	/* A shard with state is not restored into. */
	m.pos = 0;
	{
		char err[NAT64_ERR_SIZE];

		assert_int_equal(nat64_shard_restore(a, nat64_snap_read_mem,
						     &m, T0, WALL, err,
						     sizeof(err)), -EBUSY);
		assert_non_null(strstr(err, "not empty"));
	}
	nat64_shard_free(a);
	free(orig);
	free(m.buf);
}

/* A well-formed (CRC and all) section whose records lie. */
static void
test_snap_refuses_inconsistent_records(void **state)
{
	struct nat64_cfg c;
	struct nat64_shard *a;
	struct nat64_membuf m = membuf(1 << 16);
	uint8_t *orig;
	size_t len;
	uint32_t crc;

	(void)state;
	snap_cfg(&c);
	a = saved(&c, 3, &m);	/* one TCP, one UDP, one ICMP block */
	len = m.len;
	assert_int_equal(len, 64 + 3 * 32 + 3 * 40 + 4);
	orig = malloc(len);
	assert_non_null(orig);
	memcpy(orig, m.buf, len);
#define RESEAL()							\
	do {								\
		crc = nat64_crc32(0, m.buf, len - 4);			\
		m.buf[len - 4] = (uint8_t)crc;				\
		m.buf[len - 3] = (uint8_t)(crc >> 8);			\
		m.buf[len - 2] = (uint8_t)(crc >> 16);			\
		m.buf[len - 1] = (uint8_t)(crc >> 24);			\
	} while (0)
	/* The same block twice. */
	memcpy(m.buf + 64 + 32, m.buf + 64, 32);
	RESEAL();
	refused(&c, 0, 1, &m, -EBADMSG, "no free block");
	memcpy(m.buf, orig, len);
	/* A block that is not a block start. */
	m.buf[64 + 20]++;
	RESEAL();
	refused(&c, 0, 1, &m, -EBADMSG, "block 0");
	memcpy(m.buf, orig, len);
	/* A session whose port is in no block of its client. */
	m.buf[64 + 96 + 15] ^= 1;	/* another client */
	RESEAL();
	refused(&c, 0, 1, &m, -EBADMSG, "session 0");
	memcpy(m.buf, orig, len);
	/* A session twice. */
	memcpy(m.buf + 64 + 96 + 40, m.buf + 64 + 96, 40);
	RESEAL();
	refused(&c, 0, 1, &m, -EBADMSG, "session 1");
	memcpy(m.buf, orig, len);
	/* A bad state. */
	m.buf[64 + 96 + 31] = 9;
	RESEAL();
	refused(&c, 0, 1, &m, -EBADMSG, "state 9");
	memcpy(m.buf, orig, len);
	/* Sealed again unchanged: accepted. */
	RESEAL();
	{
		struct nat64_shard *sh = nt_shard(&c, 0, 1, 512);
		char err[NAT64_ERR_SIZE] = "";

		m.pos = 0;
		assert_int_equal(nat64_shard_restore(sh, nat64_snap_read_mem,
						     &m, T0, WALL, err,
						     sizeof(err)), 3);
		nat64_shard_free(sh);
	}
#undef RESEAL
	nat64_shard_free(a);
	free(orig);
	free(m.buf);
}

static void
test_snap_file_and_crc(void **state)
{
	struct nat64_cfg c;
	struct nat64_shard *a, *b;
	char err[NAT64_ERR_SIZE] = "";
	FILE *f;

	(void)state;
	/* The CRC-32 check value (IEEE 802.3). */
	assert_int_equal(nat64_crc32(0, "123456789", 9), 0xcbf43926);
	snap_cfg(&c);
	a = nt_shard(&c, 0, 1, 256);
	b = nt_shard(&c, 0, 1, 256);
	fill(a, 0, 1, 30, T0);
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(nat64_shard_save(a, nat64_snap_write_file, f, T0,
					  WALL), 0);
	rewind(f);
	assert_int_equal(nat64_shard_restore(b, nat64_snap_read_file, f, T0,
					     WALL, err, sizeof(err)), 30);
	fclose(f);
	nt_check(b);
	nat64_shard_free(a);
	nat64_shard_free(b);
}

static void
test_snap_static_entries_and_config_change(void **state)
{
	struct nat64_cfg c, d;
	struct nat64_shard *a, *b;
	struct nat64_membuf m = membuf(1 << 16);
	struct nat64_tuple4 in;
	struct nat64_tuple6 back;
	char err[NAT64_ERR_SIZE] = "";

	(void)state;
	snap_cfg(&c);
	nt_static(&c, 300, 25, 9025, PKT_PROTO_TCP);
	a = nt_shard(&c, 0, 1, 256);
	in = nt_t4(IP4(10, 23, 0, 9), 9025, REM, 1111, PKT_PROTO_TCP);
	assert_int_equal(nat64_out2in(a, &in, NAT64_TCP_SYN, T0, NULL, &back),
			 NAT64_OK);
	fill(a, 0, 1, 10, T0);
	assert_int_equal(nat64_shard_save(a, nat64_snap_write_mem, &m, T0,
					  WALL), 0);
	b = nt_shard(&c, 0, 1, 256);
	assert_int_equal(nat64_shard_restore(b, nat64_snap_read_mem, &m, T0,
					     WALL, err, sizeof(err)), 11);
	nt_check(b);
	nat64_shard_free(b);
	/* The static entry is gone from the config: its session is
	 * skipped, the rest restored. */
	d = c;
	d.n_static = 0;
	b = nt_shard(&d, 0, 1, 256);
	m.pos = 0;
	assert_int_equal(nat64_shard_restore(b, nat64_snap_read_mem, &m, T0,
					     WALL, err, sizeof(err)), 10);
	nt_check(b);
	nat64_shard_free(b);
	nat64_shard_free(a);
	free(m.buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snap_round_trip_keeps_everything),
		cmocka_unit_test(test_snap_drops_what_ran_out_while_down),
		cmocka_unit_test(test_snap_several_shards_in_one_file),
		cmocka_unit_test(test_snap_refuses_corrupt_truncated_mismatched),
		cmocka_unit_test(test_snap_refuses_inconsistent_records),
		cmocka_unit_test(test_snap_file_and_crc),
		cmocka_unit_test(test_snap_static_entries_and_config_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
