/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Figures for the roaming exchange's receiver (app/agents/mesh/msg.c):
 * what one datagram costs the agent when it is accepted (HMAC, checks,
 * replay cache insert and look-up in a full cache), forged (HMAC only) or
 * too short (nothing). A benchmark: it prints, it never fails on time.
 *   meson test -C build --benchmark mesh_msg
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mesh.h"

#define NOW	1800000000ull
#define N	200000

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct mesh_replay rc;

int
main(void)
{
	static const uint8_t key[32] = "bench-site-key-bench-site-key-32";
	const struct mesh_verify_cfg vc = { .key = key, .key_len = 32,
		.window_s = 30, .lease_max = 86400 };
	struct mesh_msg m, out;
	uint8_t buf[MESH_MSG_MAX];
	unsigned int i, ok = 0;
	double t0, t;
	size_t n;

	memset(&m, 0, sizeof(m));
	m.type = MESH_MSG_ROAM;
	m.ts = NOW;
	memcpy(m.mac, "\x12\x34\x56\x78\x9a\xbc", 6);
	memset(m.clatd, 0xfd, 12);
	memset(m.clatb, 0xfc, 12);
	memset(m.platc, 0x20, 12);
	m.client = 0xc0a80017;
	m.lease = 3600;
	mesh_replay_init(&rc);

	t0 = now_s();
	for (i = 0; i < N; i++) {
		memcpy(m.nonce, &i, sizeof(i));
		n = mesh_msg_encode(&m, key, 32, buf, sizeof(buf));
		ok += n != 0;
	}
	t = now_s() - t0;
	printf("encode ROAM + HMAC:           %8.0f ns each (%u)\n",
	       t / N * 1e9, ok);

	ok = 0;
	t0 = now_s();
	for (i = 0; i < N; i++) {
		/* 50 messages a second: 1500 in the window, so the cache
		 * is full and evicts. */
		memcpy(m.nonce, &i, sizeof(i));
		m.nonce[15] = 1;
		m.ts = NOW + i / 50;
		n = mesh_msg_encode(&m, key, 32, buf, sizeof(buf));
		ok += mesh_msg_verify(&vc, &rc, buf, n, m.ts, &out) ==
		      MESH_REJ_NONE;
	}
	t = now_s() - t0;
	printf("encode + verify, accepted, replay cache of %u full:\n"
	       "                              %8.0f ns each (%u accepted, "
	       "%llu evicted)\n", MESH_REPLAY_SIZE, t / N * 1e9, ok,
	       (unsigned long long)rc.evicted);

	ok = 0;
	buf[40] ^= 1;
	t0 = now_s();
	for (i = 0; i < N; i++)
		ok += mesh_msg_verify(&vc, &rc, buf, n, m.ts, &out) ==
		      MESH_REJ_bad_mac;
	t = now_s() - t0;
	printf("verify, forged (bad_mac):     %8.0f ns each (%u refused)\n",
	       t / N * 1e9, ok);

	ok = 0;
	t0 = now_s();
	for (i = 0; i < N; i++)
		ok += mesh_msg_verify(&vc, &rc, buf, 20, NOW, &out) ==
		      MESH_REJ_truncated;
	t = now_s() - t0;
	printf("verify, truncated:            %8.0f ns each (%u refused)\n",
	       t / N * 1e9, ok);
	return 0;
}
