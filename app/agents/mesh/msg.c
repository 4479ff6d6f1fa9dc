/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The roaming exchange of seed 003 (l3roamd's CLAIM, INFO and ROAM) on the
 * wire, and what a receiver checks before it believes a message.
 *
 * Every message is one UDP datagram of a fixed size per type, all integers
 * big-endian (doc/mesh-agent.md has the picture):
 *
 *   0  version (1)   1  type (1)   2  reserved, zero (2)
 *   4  timestamp: the sender's clock, Unix seconds (8)
 *  12  nonce: 16 random bytes
 *  28  body (by type)
 *  ..  HMAC-SHA256 (RFC 2104, FIPS 180-4) under the site key over every
 *      byte before it (32)
 *
 *   CLAIM  mac(6) zero(2)                                      68 bytes
 *   INFO   mac(6) zero(2) echo(16) CLATD(12) CLIENTIP(4)
 *          LEASETIME(4) PLATC(12)                             116 bytes
 *   ROAM   mac(6) zero(2) CLATD(12) CLIENTIP(4) LEASETIME(4)
 *          CLATB(12) PLATC(12)                                112 bytes
 *
 * /96 prefixes travel as their 12 prefix bytes. Beyond the seed: INFO
 * carries the nonce of the CLAIM it answers ('echo'), so an old INFO
 * cannot be replayed to a node that did not just ask; ROAM names the PLAT
 * it is for, so a ROAM for PLAT C cannot be replayed to PLAT E.
 */
#include "mesh.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define BODY_CLAIM	8
#define BODY_INFO	56
#define BODY_ROAM	52

static const char *const reject_names[] = {
	[MESH_REJ_NONE] = "none",
#define MESH_REJ_NAME(n, d) [MESH_REJ_##n] = #n,
	MESH_REJECTS(MESH_REJ_NAME)
#undef MESH_REJ_NAME
};

static const char *const reject_help[] = {
	[MESH_REJ_NONE] = "accepted",
#define MESH_REJ_HELP(n, d) [MESH_REJ_##n] = d,
	MESH_REJECTS(MESH_REJ_HELP)
#undef MESH_REJ_HELP
};

const char *
mesh_reject_name(enum mesh_reject r)
{
	return (unsigned int)r < MESH_REJ_MAX ? reject_names[r] : "?";
}

const char *
mesh_reject_help(enum mesh_reject r)
{
	return (unsigned int)r < MESH_REJ_MAX ? reject_help[r] : "?";
}

size_t
mesh_msg_size(uint8_t type)
{
	switch (type) {
	case MESH_MSG_CLAIM:
		return MESH_MSG_HDR + BODY_CLAIM + MESH_MSG_MAC;
	case MESH_MSG_INFO:
		return MESH_MSG_HDR + BODY_INFO + MESH_MSG_MAC;
	case MESH_MSG_ROAM:
		return MESH_MSG_HDR + BODY_ROAM + MESH_MSG_MAC;
	default:
		return 0;
	}
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static int
hmac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
     uint8_t *out)
{
	unsigned int md_len = 0;

	if (HMAC(EVP_sha256(), key, (int)key_len, data, len, out,
		 &md_len) == NULL || md_len != MESH_MSG_MAC)
		return -1;
	return 0;
}

size_t
mesh_msg_encode(const struct mesh_msg *m, const uint8_t *key, size_t key_len,
		uint8_t *buf, size_t size)
{
	size_t n = mesh_msg_size(m->type);
	uint8_t *b = buf + MESH_MSG_HDR;

	if (n == 0 || size < n || key_len == 0)
		return 0;
	memset(buf, 0, n);
	buf[0] = MESH_MSG_VERSION;
	buf[1] = m->type;
	put64(buf + 4, m->ts);
	memcpy(buf + 12, m->nonce, MESH_MSG_NONCE);
	memcpy(b, m->mac, 6);
	b += 8;
	switch (m->type) {
	case MESH_MSG_INFO:
		memcpy(b, m->echo, MESH_MSG_NONCE);
		memcpy(b + 16, m->clatd, 12);
		put32(b + 28, m->client);
		put32(b + 32, m->lease);
		memcpy(b + 36, m->platc, 12);
		break;
	case MESH_MSG_ROAM:
		memcpy(b, m->clatd, 12);
		put32(b + 12, m->client);
		put32(b + 16, m->lease);
		memcpy(b + 20, m->clatb, 12);
		memcpy(b + 32, m->platc, 12);
		break;
	default:
		break;
	}
	if (hmac(key, key_len, buf, n - MESH_MSG_MAC, buf + n - MESH_MSG_MAC))
		return 0;
	return n;
}

void
mesh_replay_init(struct mesh_replay *r)
{
	memset(r, 0, sizeof(*r));
}

/* The oldest entry (the ring's tail). */
static unsigned int
tail(const struct mesh_replay *r)
{
	return (r->head + MESH_REPLAY_SIZE - r->n) % MESH_REPLAY_SIZE;
}

static int
replay_seen(const struct mesh_replay *r, uint64_t ts, const uint8_t *nonce)
{
	unsigned int i, k;

	if (ts <= r->floor)
		return 1;
	for (i = 0, k = tail(r); i < r->n; i++, k = (k + 1) % MESH_REPLAY_SIZE)
		if (r->e[k].ts == ts &&
		    memcmp(r->e[k].nonce, nonce, MESH_MSG_NONCE) == 0)
			return 1;
	return 0;
}

static void
replay_add(struct mesh_replay *r, uint64_t ts, const uint8_t *nonce,
	   uint64_t now, uint32_t window)
{
	/* Entries the time check alone refuses now need no memory. */
	while (r->n > 0 && now > window && r->e[tail(r)].ts < now - window)
		r->n--;
	if (r->n == MESH_REPLAY_SIZE) {
		unsigned int t = tail(r);

		/* Forget the oldest, but refuse everything as old as it
		 * from now on: bounded memory, no second acceptance. */
		if (r->e[t].ts > r->floor)
			r->floor = r->e[t].ts;
		r->n--;
		r->evicted++;
	}
	r->e[r->head].ts = ts;
	memcpy(r->e[r->head].nonce, nonce, MESH_MSG_NONCE);
	r->head = (r->head + 1) % MESH_REPLAY_SIZE;
	r->n++;
}

static int
zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* A /96 on the wire: not all zero, not multicast (RFC 4291 2.7). */
static int
pfx_ok(const uint8_t *p)
{
	return !zero(p, 12) && p[0] != 0xff;
}

/* A unicast IPv4 host address for a client: not 0/8, 127/8, class D/E. */
static int
ip4_ok(uint32_t a)
{
	uint8_t s = (uint8_t)(a >> 24);

	return s != 0 && s != 127 && s < 224;
}

enum mesh_reject
mesh_msg_verify(const struct mesh_verify_cfg *cfg, struct mesh_replay *rc,
		const uint8_t *buf, size_t len, uint64_t now,
		struct mesh_msg *m)
{
	uint8_t mac[MESH_MSG_MAC];
	const uint8_t *b;
	size_t want;
	uint64_t ts;

	if (len < MESH_MSG_HDR)
		return MESH_REJ_truncated;
	if (buf[0] != MESH_MSG_VERSION)
		return MESH_REJ_version;
	want = mesh_msg_size(buf[1]);
	if (want == 0)
		return MESH_REJ_type;
	if (len < want)
		return MESH_REJ_truncated;
	if (len > want)
		return MESH_REJ_oversized;
	if (hmac(cfg->key, cfg->key_len, buf, want - MESH_MSG_MAC, mac) != 0 ||
	    CRYPTO_memcmp(mac, buf + want - MESH_MSG_MAC, MESH_MSG_MAC) != 0)
		return MESH_REJ_bad_mac;
	/* Authentic from here on: what remains protects against replays
	 * and against a key holder's mistakes. */
	ts = get64(buf + 4);
	if (ts > now + cfg->window_s)
		return MESH_REJ_in_future;
	if (now > cfg->window_s && ts < now - cfg->window_s)
		return MESH_REJ_too_old;
	if (replay_seen(rc, ts, buf + 12))
		return MESH_REJ_replay;

	memset(m, 0, sizeof(*m));
	m->type = buf[1];
	m->ts = ts;
	memcpy(m->nonce, buf + 12, MESH_MSG_NONCE);
	b = buf + MESH_MSG_HDR;
	memcpy(m->mac, b, 6);
	if (buf[2] != 0 || buf[3] != 0 || b[6] != 0 || b[7] != 0 ||
	    zero(m->mac, 6) || (m->mac[0] & 1) != 0)
		return MESH_REJ_bad_field;
	b += 8;
	switch (m->type) {
	case MESH_MSG_INFO:
		memcpy(m->echo, b, MESH_MSG_NONCE);
		memcpy(m->clatd, b + 16, 12);
		m->client = get32(b + 28);
		m->lease = get32(b + 32);
		memcpy(m->platc, b + 36, 12);
		if (!pfx_ok(m->platc))
			return MESH_REJ_bad_field;
		break;
	case MESH_MSG_ROAM:
		memcpy(m->clatd, b, 12);
		m->client = get32(b + 12);
		m->lease = get32(b + 16);
		memcpy(m->clatb, b + 20, 12);
		memcpy(m->platc, b + 32, 12);
		if (!pfx_ok(m->clatb) || !pfx_ok(m->platc))
			return MESH_REJ_bad_field;
		break;
	default:
		break;
	}
	if (m->type != MESH_MSG_CLAIM) {
		if (m->lease == 0)
			return MESH_REJ_lease_zero;
		if (m->lease > cfg->lease_max)
			return MESH_REJ_lease_too_long;
		if (!pfx_ok(m->clatd) || !ip4_ok(m->client))
			return MESH_REJ_bad_field;
	}
	replay_add(rc, ts, m->nonce, now, cfg->window_s);
	return MESH_REJ_NONE;
}

void
mesh_client_addr(const struct pkt_pfx6 *net, const uint8_t *mac,
		 uint8_t *out)
{
	uint8_t ll[16];

	pkt_ip6_linklocal_from_mac(mac, ll);
	memcpy(out, net->addr, 8);
	memcpy(out + 8, ll + 8, 8);
}

void
mesh_plat_mgmt_addr(const struct pkt_pfx6 *plat, uint8_t *out)
{
	memcpy(out, plat->addr, 12);
	out[12] = 192;
	out[13] = 0;
	out[14] = 0;
	out[15] = 1;
}
