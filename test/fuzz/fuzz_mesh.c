/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the mesh agent's parsers of outside input
 * (app/agents/mesh). The first byte chooses:
 *   0  the rest is a datagram of the roaming exchange: mesh_msg_verify()
 *      under a fixed key (what any host on the mesh can send);
 *   1  the rest, up to its last 32 bytes, is a message that gets a valid
 *      HMAC appended first (and its timestamp set near the receiver's
 *      clock by the last byte), so that the checks behind the HMAC (time,
 *      replay, leases, fields) see arbitrary authentic input; an accepted
 *      message must encode back to the very same bytes, and must be
 *      refused as a replay the second time;
 *   2  the rest is lines from babeld's local interface, applied to a
 *      route table; the PLAT candidates must be /96s inside plat_range,
 *      sorted by metric, each metric finite;
 *   3  the rest is the agent's JSON config.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mesh.h"

#include "fuzz.h"

#define NOW	1800000000ull

static const uint8_t KEY[32] = "fuzz-site-key-fuzz-site-key-32b";

static void
datagram(const uint8_t *d, size_t n, int sign)
{
	static struct mesh_replay rc;
	const struct mesh_verify_cfg vc = { .key = KEY, .key_len = 32,
		.window_s = 30, .lease_max = 86400 };
	uint8_t buf[MESH_MSG_MAX + 64], again[MESH_MSG_MAX];
	struct mesh_msg m;
	enum mesh_reject r;
	unsigned int md = 0;
	size_t len = n;

	if (n > sizeof(buf) - 32)
		return;
	memcpy(buf, d, n);
	if (sign) {
		/* The timestamp: NOW - 128 .. NOW + 127 by the last byte
		 * (signed; 0 is NOW), so both sides of the window are
		 * reached. */
		if (n >= 12)
			for (int i = 0; i < 8; i++)
				buf[4 + i] = (uint8_t)((NOW + (int8_t)d[n - 1])
						       >> (56 - 8 * i));
		HMAC(EVP_sha256(), KEY, 32, buf, n, buf + n, &md);
		CHECK(md == 32);
		len = n + 32;
	}
	mesh_replay_init(&rc);
	r = mesh_msg_verify(&vc, &rc, buf, len, NOW, &m);
	CHECK(r < MESH_REJ_MAX);
	CHECK(mesh_reject_name(r) != NULL);
	if (r != MESH_REJ_NONE)
		return;
	CHECK(len == mesh_msg_size(m.type));
	CHECK(m.type == MESH_MSG_CLAIM || (m.lease >= 1 && m.lease <= 86400));
	CHECK(mesh_msg_encode(&m, KEY, 32, again, sizeof(again)) == len);
	CHECK(memcmp(again, buf, len) == 0);
	CHECK(mesh_msg_verify(&vc, &rc, buf, len, NOW, &m) == MESH_REJ_replay);
}

static void
babel(const uint8_t *d, size_t n)
{
	static struct mesh_routes t;
	struct mesh_cand c[MESH_MAX_CANDS];
	struct pkt_pfx6 range = { .addr = { 0, 0x64, 0xff, 0x9b, 0, 1 },
				  .len = 48 };
	size_t s = 0, i;
	unsigned int k, j;

	mesh_routes_init(&t);
	for (i = 0; i <= n; i++) {
		if (i < n && d[i] != '\n')
			continue;
		{
			struct mesh_babel_route r;
			enum mesh_babel_verb v;
			int bad;

			v = mesh_babel_parse((const char *)d + s, i - s, &r,
					     &bad);
			CHECK(v <= MESH_BABEL_BAD);
			if (v == MESH_BABEL_ADD || v == MESH_BABEL_CHANGE ||
			    v == MESH_BABEL_FLUSH) {
				CHECK(!bad);
				CHECK(memchr(r.id, '\0', sizeof(r.id)) != NULL);
				mesh_routes_apply(&t, v, &r);
			}
		}
		s = i + 1;
	}
	CHECK(t.n <= MESH_MAX_ROUTES);
	k = mesh_routes_cands(&t, &range, c, MESH_MAX_CANDS);
	CHECK(k <= MESH_MAX_CANDS);
	for (j = 0; j < k; j++) {
		CHECK(c[j].prefix.len == 96);
		CHECK(c[j].metric < MESH_METRIC_INF);
		CHECK(pkt_pfx6_match(&range, c[j].prefix.addr));
		CHECK(j == 0 || c[j - 1].metric <= c[j].metric);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0:
		datagram(data + 1, size - 1, 0);
		break;
	case 1:
		datagram(data + 1, size - 1, 1);
		break;
	case 2:
		babel(data + 1, size - 1);
		break;
	default: {
		struct mesh_conf c;
		char err[MESH_ERR_SIZE];

		if (mesh_conf_load_string((const char *)data + 1, size - 1,
					  "fuzz", &c, err) != 0)
			CHECK(memchr(err, '\0', sizeof(err)) != NULL &&
			      err[0] != '\0');
		break;
	}
	}
	return 0;
}
