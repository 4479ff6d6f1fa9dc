/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshots: the dynamic state of a shard written out so that sessions
 * survive a restart (doc/nat64.md, "Snapshot").
 *
 * One section per shard, little-endian, fixed-size records:
 *   header   64 bytes: "MXNAT64S", version 1, header size, shard id,
 *            n_shards, fingerprint of the pool layout (pool4 entries,
 *            block size, n_shards), wall clock at save (ms), counts of
 *            block and session records, flags;
 *   blocks   32 bytes each: client, IPv4 address, first port, protocol,
 *            wall clock of the allocation (ms);
 *   sessions 40 bytes each: client address and port, IPv4 address and
 *            port, remote address and port, protocol, TCP state,
 *            seconds of lifetime left, flags (1: of a static BIB entry);
 *   CRC-32 (IEEE 802.3) of all the bytes before it.
 * A file is the sections of all shards in shard order. BIB entries are
 * rebuilt from the sessions (a dynamic BIB entry lives only with its
 * sessions); static ones come from the config. Held SYNs are packets and
 * are not saved.
 *
 * Restore reads one section into an empty shard and checks as it goes:
 * every block must be in this shard's slice and free, every port must
 * sit in one of its client's blocks, no port or flow may appear twice,
 * every field must be in range. Anything wrong refuses the whole section
 * and leaves the shard empty. Skipped, because the static BIB entries of
 * the config changed since the save: sessions of a static entry that is
 * gone, dynamic ones whose port or mapping a static entry now takes, and
 * records of clients that a static entry now routes to another shard.
 * Skipped too: sessions whose lifetime ran out while the box was down.
 */
#include "nat64.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nat64_priv.h"

#define SNAP_MAGIC		"MXNAT64S"
#define SNAP_VERSION		1
#define SNAP_HDR_SIZE		64
#define SNAP_BLK_SIZE		32
#define SNAP_SESS_SIZE		40
#define SNAP_BUF		4096

/* CRC-32 (IEEE 802.3, reflected 0xedb88320), four bits at a time. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t
nat64_crc32(uint32_t crc, const void *buf, size_t size)
{
	const uint8_t *p = buf;
	size_t i;

	crc = ~crc;
	for (i = 0; i < size; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* A buffered writer that keeps the CRC. */
struct snap_out {
	nat64_write_fn wr;
	void *arg;
	uint32_t crc;
	size_t len;
	int err;
	uint8_t buf[SNAP_BUF];
};

static void
out_flush(struct snap_out *o)
{
	if (o->len != 0 && o->err == 0)
		o->err = o->wr(o->arg, o->buf, o->len);
	o->len = 0;
}

static void
out_put(struct snap_out *o, const uint8_t *rec, size_t size)
{
	if (o->len + size > sizeof(o->buf))
		out_flush(o);
	o->crc = nat64_crc32(o->crc, rec, size);
	memcpy(o->buf + o->len, rec, size);
	o->len += size;
}

int
nat64_shard_save(const struct nat64_shard *sh, nat64_write_fn wr, void *arg,
		 uint64_t now_ms, uint64_t wall_ms)
{
	uint32_t now_s = nat64_now_s(now_ms), i;
	struct snap_out o;
	uint8_t rec[SNAP_HDR_SIZE];

	o.wr = wr;
	o.arg = arg;
	o.crc = 0;
	o.len = 0;
	o.err = 0;
	memset(rec, 0, sizeof(rec));
	memcpy(rec, SNAP_MAGIC, 8);
	put32(rec + 8, SNAP_VERSION);
	put32(rec + 12, SNAP_HDR_SIZE);
	put32(rec + 16, sh->shard_id);
	put32(rec + 20, sh->n_shards);
	put64(rec + 24, sh->ports->fingerprint);
	put64(rec + 32, wall_ms);
	put32(rec + 40, sh->n_blk);
	put32(rec + 44, sh->n_sess);
	put32(rec + 48, sh->adf_on);
	out_put(&o, rec, SNAP_HDR_SIZE);

	for (i = 0; i < sh->cap_blk; i++) {
		const struct nat64_blk *b = &sh->blk[i];
		uint64_t age;

		if (b->client == NAT64_NIL)
			continue;
		age = now_ms > b->start_ms ? now_ms - b->start_ms : 0;
		memset(rec, 0, SNAP_BLK_SIZE);
		memcpy(rec, sh->cli[b->client].addr6, 16);
		put32(rec + 16, b->addr4);
		put16(rec + 20, b->lo);
		rec[22] = nat64_proto_of(b->pi);
		put64(rec + 24, wall_ms > age ? wall_ms - age : 0);
		out_put(&o, rec, SNAP_BLK_SIZE);
	}
	for (i = 0; i < sh->cap_sess; i++) {
		const struct nat64_sess *s = &sh->sess[i];
		const struct nat64_bib *b;

		if (s->cls == NAT64_CLS_FREE)
			continue;
		b = &sh->bib[s->bib];
		memset(rec, 0, SNAP_SESS_SIZE);
		memcpy(rec, b->addr6, 16);
		put32(rec + 16, b->addr4);
		put32(rec + 20, s->rem4);
		put16(rec + 24, b->port6);
		put16(rec + 26, b->port4);
		put16(rec + 28, s->rport);
		rec[30] = nat64_proto_of(b->pi);
		rec[31] = s->state;
		put32(rec + 32, nat64_sess_left(sh, i, now_s));
		rec[36] = (b->flags & NAT64_BIB_STATIC) != 0;
		out_put(&o, rec, SNAP_SESS_SIZE);
	}
	put32(rec, o.crc);
	if (o.len + 4 > sizeof(o.buf))
		out_flush(&o);
	memcpy(o.buf + o.len, rec, 4);
	o.len += 4;
	out_flush(&o);
	return o.err;
}

/* Restore. */

struct snap_in {
	nat64_read_fn rd;
	void *arg;
	uint32_t crc;
	char *err;
	size_t err_size;
};

/* Refuse the section with a message; evaluates to 'rc'. */
#define REFUSE(in, rc, ...) \
	nat64_err((in)->err, (in)->err_size, (int)(rc), __VA_ARGS__)

/* Read exactly 'size' bytes: 0, or the reader's error, or -EBADMSG when
 * the input ends first. */
static long
in_get(struct snap_in *in, uint8_t *buf, size_t size, const char *what)
{
	size_t got = 0;

	while (got < size) {
		long n = in->rd(in->arg, buf + got, size - got);

		if (n < 0)
			return REFUSE(in, n, "read error in %s", what);
		if (n == 0 || (size_t)n > size - got)
			return REFUSE(in, -EBADMSG, "truncated in %s", what);
		got += (size_t)n;
	}
	in->crc = nat64_crc32(in->crc, buf, size);
	return 0;
}

/*
 * The client of a dynamic record: ours, created if new, on 'addr4'.
 * Returns 1 to skip the record: a static entry now sends the client to
 * another shard.
 */
static long
rec_client(struct nat64_shard *sh, struct snap_in *in, const uint8_t *a6,
	   uint32_t addr4, const char *what, uint32_t k, uint32_t *c)
{
	enum nat64_verdict why;
	struct nat64_client *cl;
	unsigned int own = nat64_ports_owner_in2out(sh->ports, a6);

	if (own != sh->shard_id) {
		if (own != nat64_owner_in2out(a6, sh->n_shards))
			return 1;
		return REFUSE(in, -EBADMSG, "%s %u: client of shard %u", what,
			      k, own);
	}
	*c = nat64_cli_get(sh, a6, &why);
	if (*c == NAT64_NIL)
		return REFUSE(in, -ENOSPC, "%s %u: client table full", what,
			      k);
	cl = &sh->cli[*c];
	if (!(cl->flags & NAT64_CLI_HAS4)) {
		cl->addr4 = addr4;
		cl->flags |= NAT64_CLI_HAS4;
	} else if (cl->addr4 != addr4) {
		return REFUSE(in, -EBADMSG,
			      "%s %u: client on two IPv4 addresses", what, k);
	}
	return 0;
}

static long
rd_blocks(struct nat64_shard *sh, struct snap_in *in, uint32_t n,
	  uint64_t now_ms, uint64_t wall_ms)
{
	uint8_t rec[SNAP_BLK_SIZE];
	uint32_t k, c;
	long rc;

	for (k = 0; k < n; k++) {
		uint32_t addr4;
		uint64_t start, age;
		int pi;

		rc = in_get(in, rec, sizeof(rec), "block records");
		if (rc != 0)
			return rc;
		addr4 = get32(rec + 16);
		pi = nat64_pi(rec[22]);
		if (pi < 0)
			return REFUSE(in, -EBADMSG, "block %u: protocol %u", k,
				      rec[22]);
		rc = rec_client(sh, in, rec, addr4, "block", k, &c);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		start = get64(rec + 24);
		age = wall_ms > start ? wall_ms - start : 0;
		if (sh->free_blk == NAT64_NIL)
			return REFUSE(in, -ENOSPC, "block %u: block table full",
				      k);
		if (nat64_blk_take(sh, c, (unsigned int)pi, addr4,
				   get16(rec + 20),
				   now_ms > age ? now_ms - age : 0) ==
		    NAT64_NIL)
			return REFUSE(in, -EBADMSG,
				      "block %u: port %u is no free block of this shard",
				      k, get16(rec + 20));
	}
	return 0;
}

static uint8_t
cls_of(int pi, uint8_t state)
{
	if (pi == NAT64_I_UDP)
		return NAT64_CLS_UDP;
	if (pi == NAT64_I_ICMP)
		return NAT64_CLS_ICMP;
	switch (state) {
	case NAT64_TCP_ESTAB:
	case NAT64_TCP_V4_FIN:
	case NAT64_TCP_V6_FIN:
		return NAT64_CLS_TCP_EST;
	default:
		return NAT64_CLS_TCP_TRANS;
	}
}

/*
 * The BIB entry of a session record: for a static record, the static
 * entry with the same mapping; for a dynamic one, the entry made by an
 * earlier record or a new one in its client's block. Returns 1 to skip
 * the record (the static entries changed).
 */
static long
rec_bib(struct nat64_shard *sh, struct snap_in *in, const uint8_t *rec,
	int pi, uint32_t k, uint32_t *b, uint32_t *c)
{
	uint32_t addr4 = get32(rec + 16), blk, other;
	uint16_t port6 = get16(rec + 24), port4 = get16(rec + 26);
	long rc;

	*b = nat64_bib_find6(sh, (unsigned int)pi, rec, port6);
	if (rec[36] & 1) {
		if (*b == NAT64_NIL ||
		    !(sh->bib[*b].flags & NAT64_BIB_STATIC) ||
		    sh->bib[*b].addr4 != addr4 || sh->bib[*b].port4 != port4)
			return 1;
		*c = nat64_cli_find(sh, rec);
		return 0;
	}
	rc = rec_client(sh, in, rec, addr4, "session", k, c);
	if (rc != 0)
		return rc;
	if (*b != NAT64_NIL) {
		const struct nat64_bib *e = &sh->bib[*b];

		if (e->flags & NAT64_BIB_STATIC)
			return 1;
		if (e->addr4 == addr4 && e->port4 == port4)
			return 0;
		return REFUSE(in, -EBADMSG,
			      "session %u: mapped to two ports", k);
	}
	other = nat64_bib_find4(sh, (unsigned int)pi, addr4, port4);
	if (other != NAT64_NIL) {
		if (sh->bib[other].flags & NAT64_BIB_STATIC)
			return 1;
		return REFUSE(in, -EBADMSG, "session %u: port %u bound twice",
			      k, port4);
	}
	blk = nat64_blk_find(sh, *c, (unsigned int)pi, addr4, port4);
	if (blk == NAT64_NIL)
		return REFUSE(in, -EBADMSG,
			      "session %u: port %u in no block of its client",
			      k, port4);
	if (nat64_blk_bind_port(sh, blk, port4) != 0)
		return 1;	/* a static entry took the port */
	*b = nat64_bib_new(sh, *c, (unsigned int)pi, port6, addr4, port4, 0);
	if (*b == NAT64_NIL)
		return REFUSE(in, -ENOSPC, "session %u: BIB table full", k);
	return 0;
}

static long
rd_sessions(struct nat64_shard *sh, struct snap_in *in, uint32_t n,
	    uint32_t now_s, uint32_t elapsed_s)
{
	uint8_t rec[SNAP_SESS_SIZE];
	long rc, restored = 0;
	uint32_t k;

	for (k = 0; k < n; k++) {
		uint32_t left, b, c, s, rem4;
		uint16_t rport;
		uint8_t state, cls;
		int pi;

		rc = in_get(in, rec, sizeof(rec), "session records");
		if (rc != 0)
			return rc;
		pi = nat64_pi(rec[30]);
		state = rec[31];
		rem4 = get32(rec + 20);
		rport = get16(rec + 28);
		if (pi < 0 || state == NAT64_TCP_CLOSED ||
		    state >= NAT64_TCP_N ||
		    (pi != NAT64_I_TCP && state != NAT64_TCP_ESTAB) ||
		    (pi == NAT64_I_ICMP && rport != 0) || rec[36] > 1)
			return REFUSE(in, -EBADMSG,
				      "session %u: protocol %u state %u flags %u",
				      k, rec[30], state, rec[36]);
		left = get32(rec + 32);
		if (left < elapsed_s)
			continue;	/* ran out while we were down */
		/* Clients left empty by skipped records go in tidy(). */
		rc = rec_bib(sh, in, rec, pi, k, &b, &c);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		if (nat64_sess_find6(sh, (unsigned int)pi, rec,
				     get16(rec + 24), rem4, rport) != NAT64_NIL)
			return REFUSE(in, -EBADMSG, "session %u: twice", k);
		cls = cls_of(pi, state);
		left -= elapsed_s;
		if (left > sh->timeout[cls])
			left = sh->timeout[cls];
		s = nat64_sess_new(sh, b, c, rem4, rport, state, cls,
				   now_s + left - sh->timeout[cls]);
		if (s == NAT64_NIL)
			return REFUSE(in, -ENOSPC, "session %u: table full",
				      k);
		restored++;
	}
	return restored;
}

/* Free what the skipped and expired records left empty, then log. */
static void
tidy(struct nat64_shard *sh, uint64_t now_ms)
{
	uint32_t i;

	for (i = 0; i < sh->cap_blk; i++)
		if (sh->blk[i].client != NAT64_NIL && sh->blk[i].used == 0)
			nat64_blk_free(sh, i, now_ms, 1);
	for (i = 0; i < sh->cap_cli; i++)
		if (sh->cli[i].flags & NAT64_CLI_LIVE)
			nat64_cli_put(sh, i);
}

long
nat64_shard_restore(struct nat64_shard *sh, nat64_read_fn rd, void *arg,
		    uint64_t now_ms, uint64_t wall_ms, char *err,
		    size_t err_size)
{
	struct snap_in in = { rd, arg, 0, err, err_size };
	uint64_t created = sh->created, saved_wall;
	uint32_t n_blk, n_sess, v, crc;
	uint8_t hdr[SNAP_HDR_SIZE];
	long rc;

	if (sh->n_sess != 0 || sh->n_bib != sh->n_static || sh->n_hold != 0 ||
	    sh->n_blk != 0)
		return REFUSE(&in, -EBUSY, "shard %u is not empty",
			      sh->shard_id);
	rc = in_get(&in, hdr, sizeof(hdr), "the header");
	if (rc != 0)
		return rc;
	if (memcmp(hdr, SNAP_MAGIC, 8) != 0)
		return REFUSE(&in, -EBADMSG,
			      "not a NAT64 snapshot (bad magic)");
	v = get32(hdr + 8);
	if (v != SNAP_VERSION || get32(hdr + 12) != SNAP_HDR_SIZE)
		return REFUSE(&in, -EINVAL,
			      "snapshot version %u, header %u bytes: this build reads version %u",
			      v, get32(hdr + 12), SNAP_VERSION);
	if (get32(hdr + 16) != sh->shard_id || get32(hdr + 20) != sh->n_shards)
		return REFUSE(&in, -EINVAL,
			      "section of shard %u of %u, restoring shard %u of %u",
			      get32(hdr + 16), get32(hdr + 20), sh->shard_id,
			      sh->n_shards);
	if (get64(hdr + 24) != sh->ports->fingerprint)
		return REFUSE(&in, -EINVAL,
			      "pool layout differs (pool4 entries or block_size changed)");
	saved_wall = get64(hdr + 32);
	n_blk = get32(hdr + 40);
	n_sess = get32(hdr + 44);
	if (n_blk > sh->cap_blk || n_sess > sh->cap_sess)
		return REFUSE(&in, -ENOSPC,
			      "%u blocks and %u sessions, shard holds %u and %u",
			      n_blk, n_sess, sh->cap_blk, sh->cap_sess);

	rc = rd_blocks(sh, &in, n_blk, now_ms, wall_ms);
	if (rc == 0)
		rc = rd_sessions(sh, &in, n_sess, nat64_now_s(now_ms),
				 wall_ms > saved_wall ?
				 (uint32_t)((wall_ms - saved_wall) / 1000 >
					    UINT32_MAX ? UINT32_MAX :
					    (wall_ms - saved_wall) / 1000) : 0);
	if (rc >= 0) {
		uint8_t tail[4];
		uint32_t want = in.crc;
		long r2 = in_get(&in, tail, sizeof(tail), "the checksum");

		crc = get32(tail);
		if (r2 != 0)
			rc = r2;
		else if (crc != want)
			rc = REFUSE(&in, -EBADMSG,
				    "checksum mismatch (%08x, computed %08x)",
				    crc, want);
	}
	sh->created = created;
	if (rc < 0) {
		nat64_shard_reset(sh);
		return rc;
	}
	tidy(sh, now_ms);
	return rc;
}

int
nat64_snap_write_file(void *arg, const void *buf, size_t size)
{
	return fwrite(buf, 1, size, arg) == size ? 0 : -EIO;
}

long
nat64_snap_read_file(void *arg, void *buf, size_t size)
{
	size_t n = fread(buf, 1, size, arg);

	return n == 0 && ferror((FILE *)arg) ? -EIO : (long)n;
}

int
nat64_snap_write_mem(void *arg, const void *buf, size_t size)
{
	struct nat64_membuf *m = arg;

	if (size > m->size - m->len)
		return -ENOSPC;
	memcpy(m->buf + m->len, buf, size);
	m->len += size;
	return 0;
}

long
nat64_snap_read_mem(void *arg, void *buf, size_t size)
{
	struct nat64_membuf *m = arg;
	size_t n = m->len - m->pos < size ? m->len - m->pos : size;

	memcpy(buf, m->buf + m->pos, n);
	m->pos += n;
	return (long)n;
}
