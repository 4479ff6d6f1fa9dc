/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The roaming exchange's messages (app/agents/mesh/msg.c): round trips,
 * and every way a receiver refuses one: forged or altered (bad MAC), the
 * wrong site key, a replayed nonce, timestamps outside the window,
 * LEASETIME 0 or above the maximum, truncated and oversized datagrams,
 * unknown versions and types, fields out of range; the replay cache's
 * bound. Also the addresses the exchange is sent to, the key file and
 * the config.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>

#include "mesh.h"

#define NOW	1800000000ull	/* 2027-01-15, Unix seconds */

static const uint8_t KEY[32] = "meshxlat-test-site-key-32-bytes";
static const uint8_t KEY2[32] = "another-site-key-of-32-bytes-xx";

static struct mesh_replay RC;

static const struct mesh_verify_cfg VC = {
	.key = KEY, .key_len = sizeof(KEY), .window_s = 30,
	.lease_max = 86400,
};

static void
pfx(const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* Seed 003's walk-through: client 192.168.0.23 of CLAT D roams to B,
 * its PLAT is C. */
static struct mesh_msg
roam_msg(uint8_t type, uint8_t n)
{
	struct mesh_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.ts = NOW;
	memset(m.nonce, n, sizeof(m.nonce));
	memcpy(m.mac, "\x12\x34\x56\x78\x9a\xbc", 6);
	memset(m.echo, 0xee, sizeof(m.echo));
	pfx("fddd:1337:1337:dddd:dddd:dddd::", m.clatd);
	pfx("fddd:1337:1337:bbbb:bbbb:bbbb::", m.clatb);
	pfx("64:ff9b:1:cccc:cccc:cccc::", m.platc);
	m.client = 0xc0a80017;
	m.lease = 3600;
	if (type == MESH_MSG_CLAIM) {
		memset(m.echo, 0, sizeof(m.echo));
		memset(m.clatd, 0, 16);
		memset(m.clatb, 0, 16);
		memset(m.platc, 0, 16);
		m.client = 0;
		m.lease = 0;
	} else if (type == MESH_MSG_INFO) {
		memset(m.clatb, 0, 16);
	} else {
		memset(m.echo, 0, sizeof(m.echo));
	}
	return m;
}

static size_t
enc(const struct mesh_msg *m, const uint8_t *key, uint8_t *buf)
{
	size_t n = mesh_msg_encode(m, key, 32, buf, MESH_MSG_MAX);

	assert_int_equal(n, mesh_msg_size(m->type));
	return n;
}

static enum mesh_reject
verify(const uint8_t *buf, size_t n, uint64_t now, struct mesh_msg *out)
{
	return mesh_msg_verify(&VC, &RC, buf, n, now, out);
}

static void
test_msg_sizes(void **state)
{
	(void)state;
	assert_int_equal(mesh_msg_size(MESH_MSG_CLAIM), 68);
	assert_int_equal(mesh_msg_size(MESH_MSG_INFO), 116);
	assert_int_equal(mesh_msg_size(MESH_MSG_ROAM), 112);
	assert_int_equal(mesh_msg_size(0), 0);
	assert_int_equal(mesh_msg_size(4), 0);
}

static void
test_msg_round_trip_each_type(void **state)
{
	uint8_t t, buf[MESH_MSG_MAX];

	(void)state;
	for (t = MESH_MSG_CLAIM; t <= MESH_MSG_ROAM; t++) {
		struct mesh_msg m = roam_msg(t, t), out;
		size_t n;

		mesh_replay_init(&RC);
		n = enc(&m, KEY, buf);
		assert_int_equal(buf[0], MESH_MSG_VERSION);
		assert_int_equal(buf[1], t);
		assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
		assert_memory_equal(&out, &m, sizeof(m));
	}
}

static void
test_msg_encode_needs_room(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_ROAM, 1);
	uint8_t buf[MESH_MSG_MAX];

	(void)state;
	assert_int_equal(mesh_msg_encode(&m, KEY, 32, buf, 111), 0);
	m.type = 9;
	assert_int_equal(mesh_msg_encode(&m, KEY, 32, buf, sizeof(buf)), 0);
}

static void
test_msg_forged_every_byte(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_ROAM, 2), out;
	uint8_t buf[MESH_MSG_MAX];
	size_t n, i;

	(void)state;
	n = enc(&m, KEY, buf);
	/* Flip one bit anywhere past the version and type bytes: the HMAC
	 * no longer verifies (the lease, the addresses, the MAC itself). */
	for (i = 2; i < n; i++) {
		mesh_replay_init(&RC);
		buf[i] ^= 0x10;
		assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_mac);
		buf[i] ^= 0x10;
	}
	mesh_replay_init(&RC);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
}

static void
test_msg_wrong_key(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_ROAM, 3), out;
	uint8_t buf[MESH_MSG_MAX];
	size_t n;

	(void)state;
	mesh_replay_init(&RC);
	n = enc(&m, KEY2, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_mac);
	/* ... and a rejected message does not burn its nonce. */
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
}

static void
test_msg_replay(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_ROAM, 4), out;
	uint8_t buf[MESH_MSG_MAX];
	size_t n;

	(void)state;
	mesh_replay_init(&RC);
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_replay);
	assert_int_equal(verify(buf, n, NOW + 29, &out), MESH_REJ_replay);
	/* A new nonce is a new message. */
	m.nonce[0] ^= 1;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
}

static void
test_msg_time_window(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_CLAIM, 5), out;
	uint8_t buf[MESH_MSG_MAX];
	size_t n;

	(void)state;
	mesh_replay_init(&RC);
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW + 31, &out), MESH_REJ_too_old);
	assert_int_equal(verify(buf, n, NOW - 31, &out), MESH_REJ_in_future);
	assert_int_equal(verify(buf, n, NOW + 30, &out), MESH_REJ_NONE);
	m.nonce[0] ^= 1;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW - 30, &out), MESH_REJ_NONE);
	/* Absurd timestamps do not wrap around. */
	m.ts = UINT64_MAX;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_in_future);
	m.ts = 0;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_too_old);
}

static void
test_msg_leases(void **state)
{
	uint8_t t, buf[MESH_MSG_MAX];

	(void)state;
	for (t = MESH_MSG_INFO; t <= MESH_MSG_ROAM; t++) {
		struct mesh_msg m = roam_msg(t, 6), out;
		size_t n;

		mesh_replay_init(&RC);
		m.lease = 0;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out),
				 MESH_REJ_lease_zero);
		m.lease = 86401;
		m.nonce[0]++;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out),
				 MESH_REJ_lease_too_long);
		m.lease = 0xffffffffu;
		m.nonce[0]++;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out),
				 MESH_REJ_lease_too_long);
		m.lease = 86400;
		m.nonce[0]++;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
		m.lease = 1;
		m.nonce[0]++;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
	}
}

static void
test_msg_truncated_and_oversized(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_INFO, 7), out;
	uint8_t buf[MESH_MSG_MAX + 8];
	size_t n, i;

	(void)state;
	mesh_replay_init(&RC);
	n = enc(&m, KEY, buf);
	for (i = 0; i < n; i++)
		assert_int_equal(verify(buf, i, NOW, &out),
				 MESH_REJ_truncated);
	memset(buf + n, 0, 8);
	for (i = n + 1; i <= n + 8; i++)
		assert_int_equal(verify(buf, i, NOW, &out),
				 MESH_REJ_oversized);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
}

static void
test_msg_version_type_fields(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_ROAM, 8), out;
	uint8_t buf[MESH_MSG_MAX];
	size_t n;

	(void)state;
	mesh_replay_init(&RC);
	n = enc(&m, KEY, buf);
	buf[0] = 2;
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_version);
	buf[0] = MESH_MSG_VERSION;
	buf[1] = 0;
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_type);
	buf[1] = 200;
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_type);

	/* Authentic but nonsense: a multicast MAC, client 0.0.0.0, a
	 * multicast CLATB, all-zero PLATC. */
	m.mac[0] = 0x01;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_field);
	m = roam_msg(MESH_MSG_ROAM, 9);
	m.client = 0;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_field);
	m = roam_msg(MESH_MSG_ROAM, 10);
	m.client = 0xe0000001;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_field);
	m = roam_msg(MESH_MSG_ROAM, 11);
	m.clatb[0] = 0xff;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_field);
	m = roam_msg(MESH_MSG_ROAM, 12);
	memset(m.platc, 0, 16);
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_bad_field);
}

static void
test_msg_replay_cache_bounded_never_twice(void **state)
{
	struct mesh_msg m = roam_msg(MESH_MSG_CLAIM, 0), out;
	uint8_t first[MESH_MSG_MAX], buf[MESH_MSG_MAX];
	size_t n, n1;
	unsigned int i;

	(void)state;
	mesh_replay_init(&RC);
	n1 = enc(&m, KEY, first);
	assert_int_equal(verify(first, n1, NOW, &out), MESH_REJ_NONE);
	/* Fill the cache within one second: the oldest goes, and the floor
	 * keeps it from being accepted again. */
	for (i = 1; i <= MESH_REPLAY_SIZE; i++) {
		memcpy(m.nonce, &i, sizeof(i));
		m.nonce[15] = 0x5a;
		m.ts = NOW + 1;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW + 1, &out), MESH_REJ_NONE);
	}
	assert_int_equal(RC.n, MESH_REPLAY_SIZE);
	assert_int_equal(RC.evicted, 1);
	assert_int_equal(RC.floor, NOW);
	assert_int_equal(verify(first, n1, NOW + 1, &out), MESH_REJ_replay);
	/* One more evicts a message of NOW + 1: from then on that second is
	 * closed (a flood costs the flooder's second, never a double
	 * acceptance), and the next second is open. */
	m.nonce[14] = 1;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW + 1, &out), MESH_REJ_NONE);
	assert_int_equal(RC.floor, NOW + 1);
	m.nonce[14] = 2;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW + 1, &out), MESH_REJ_replay);
	m.ts = NOW + 2;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW + 2, &out), MESH_REJ_NONE);
	/* Expired entries are dropped first, without raising the floor. */
	mesh_replay_init(&RC);
	for (i = 0; i < MESH_REPLAY_SIZE; i++) {
		memcpy(m.nonce, &i, sizeof(i));
		m.ts = NOW;
		n = enc(&m, KEY, buf);
		assert_int_equal(verify(buf, n, NOW, &out), MESH_REJ_NONE);
	}
	m.nonce[8] = 1;
	m.ts = NOW + 31;
	n = enc(&m, KEY, buf);
	assert_int_equal(verify(buf, n, NOW + 31, &out), MESH_REJ_NONE);
	assert_int_equal(RC.evicted, 0);
	assert_int_equal(RC.n, 1);
}

static void
test_msg_reject_names(void **state)
{
	int r;

	(void)state;
	for (r = 1; r < MESH_REJ_MAX; r++) {
		assert_non_null(mesh_reject_name(r));
		assert_string_not_equal(mesh_reject_name(r), "?");
		assert_true(strlen(mesh_reject_help(r)) > 5);
	}
	assert_string_equal(mesh_reject_name(MESH_REJ_bad_mac), "bad_mac");
	assert_string_equal(mesh_reject_name(MESH_REJ_MAX), "?");
}

static void
test_msg_addresses(void **state)
{
	struct pkt_pfx6 net = { .len = 64 }, plat = { .len = 96 };
	uint8_t a[16], want[16];

	(void)state;
	/* Seed 003's MAC, RFC 4291 appendix A: u/l bit flipped, ff:fe. */
	pfx("fddd:1337:1337:1::", net.addr);
	mesh_client_addr(&net, (const uint8_t *)"\x12\x34\x56\x78\x9a\xbc",
			 a);
	pfx("fddd:1337:1337:1:1034:56ff:fe78:9abc", want);
	assert_memory_equal(a, want, 16);
	pfx("64:ff9b:1:1234:5678:9abc::", plat.addr);
	mesh_plat_mgmt_addr(&plat, a);
	pfx("64:ff9b:1:1234:5678:9abc:c000:1", want);
	assert_memory_equal(a, want, 16);
}

static void
test_msg_key_file(void **state)
{
	char err[MESH_ERR_SIZE];
	uint8_t key[MESH_KEY_MAX];
	const char *k32 = "00112233445566778899aabbccddeeff"
			  "00112233445566778899AABBCCDDEEFF\n";

	(void)state;
	assert_int_equal(mesh_key_parse(k32, strlen(k32), key, err), 32);
	assert_int_equal(key[0], 0x00);
	assert_int_equal(key[31], 0xff);
	assert_int_equal(mesh_key_parse("0011", 4, key, err), -EINVAL);
	assert_non_null(strstr(err, "at least"));
	assert_int_equal(mesh_key_parse("zz", 2, key, err), -EINVAL);
	assert_int_equal(mesh_key_parse("001", 3, key, err), -EINVAL);
}

static void
test_msg_conf(void **state)
{
	const char *good = "{\"babeld\": \"/run/babeld.sock\","
		" \"plat_range\": \"64:ff9b:1::/48\","
		" \"select\": {\"threshold\": 50, \"hold_down_s\": 5},"
		" \"roam\": {\"key_file\": \"/etc/k\","
		"  \"clat_prefix\": \"fddd:1337:1337:1234:5678:9abc::/96\","
		"  \"client_net\": \"fddd:1337:1337:1::/64\"}}";
	static const char *const bad[] = {
		"{\"plat_range\": \"64:ff9b:1::/48\"}",
		"{\"babeld\": \"33123\", \"plat_range\": \"64:ff9b:1::/64\"}",
		"{\"babeld\": \"33123\", \"plat_range\": \"64:ff9b:1:1::/48\"}",
		"{\"babeld\": \"x\", \"plat_range\": \"64:ff9b:1::/48\"}",
		"{\"babeld\": \"33123\", \"plat_range\": \"64:ff9b:1::/48\", "
		"\"tresholds\": 1}",
		"{\"babeld\": \"33123\", \"plat_range\": \"64:ff9b:1::/48\", "
		"\"select\": {\"threshold\": -1}}",
		"{\"babeld\": \"33123\", \"plat_range\": \"64:ff9b:1::/48\", "
		"\"roam\": {\"key_file\": \"k\"}}",
		"[1]",
		"{",
	};
	struct mesh_conf c;
	char err[MESH_ERR_SIZE];
	unsigned int i;

	(void)state;
	assert_int_equal(mesh_conf_load_string(good, strlen(good), "t", &c,
					       err), 0);
	assert_int_equal(c.sel.threshold, 50);
	assert_int_equal(c.sel.hold_down_ms, 5000);
	assert_int_equal(c.roam, 1);
	assert_int_equal(c.port, MESH_ROAM_PORT);
	assert_int_equal(c.lease_max, 86400);
	assert_int_equal(c.clat_prefix.len, 96);
	assert_string_equal(c.meshxlat_socket, "/run/meshxlat/ctl.sock");
	{
		/* "": no meshxlat on this node (doc/mesh-agent.md) */
		const char *none = "{\"babeld\": \"33123\", "
			"\"plat_range\": \"64:ff9b:1::/48\", "
			"\"meshxlat_socket\": \"\"}";
		/* any other empty string is refused, with its path */
		const char *empty = "{\"babeld\": \"33123\", "
			"\"plat_range\": \"64:ff9b:1::/48\", "
			"\"select\": {\"threshold\": 1}, "
			"\"control_socket\": \"\"}";
		const char *deep = "{\"babeld\": \"33123\", "
			"\"plat_range\": \"64:ff9b:1::/48\", "
			"\"select\": {\"bad_s\": -1}}";

		assert_int_equal(mesh_conf_load_string(none, strlen(none), "t",
						       &c, err), 0);
		assert_string_equal(c.meshxlat_socket, "");
		assert_int_equal(mesh_conf_load_string(empty, strlen(empty),
						       "t", &c, err), -EINVAL);
		assert_non_null(strstr(err, "control_socket"));
		assert_int_equal(mesh_conf_load_string(deep, strlen(deep), "t",
						       &c, err), -EINVAL);
		assert_non_null(strstr(err, "select.bad_s: -1: "));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(mesh_conf_load_string(bad[i], strlen(bad[i]),
						       "t", &c, err), -EINVAL);
		assert_true(strlen(err) > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_sizes),
		cmocka_unit_test(test_msg_round_trip_each_type),
		cmocka_unit_test(test_msg_encode_needs_room),
		cmocka_unit_test(test_msg_forged_every_byte),
		cmocka_unit_test(test_msg_wrong_key),
		cmocka_unit_test(test_msg_replay),
		cmocka_unit_test(test_msg_time_window),
		cmocka_unit_test(test_msg_leases),
		cmocka_unit_test(test_msg_truncated_and_oversized),
		cmocka_unit_test(test_msg_version_type_fields),
		cmocka_unit_test(test_msg_replay_cache_bounded_never_twice),
		cmocka_unit_test(test_msg_reject_names),
		cmocka_unit_test(test_msg_addresses),
		cmocka_unit_test(test_msg_key_file),
		cmocka_unit_test(test_msg_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
