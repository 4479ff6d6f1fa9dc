/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/agents/ddns/conf.c: a full agent config is loaded and every field
 * checked, defaults included; a table of bad configs, each failing with
 * -EINVAL and a message that starts with the key path and the value, as
 * lib/conf's do ("hosts[1].mac: \"12:34\": not a MAC address"); names
 * that would smuggle a second nsupdate command (a newline, a blank) are
 * refused; the BIND key file parser on tsig-keygen's output and on
 * broken files.
 *
 * JSON is written with single quotes here; q() makes them double.
 */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ddns.h"

static char *
q(const char *s)
{
	char *d = strdup(s), *p;

	assert_non_null(d);
	for (p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static int
load_q(const char *json, struct ddns_conf *c, char *err)
{
	char *t = q(json);
	int rc = ddns_conf_load_string(t, strlen(t), "t.json", c, err);

	free(t);
	return rc;
}

static const char *full =
	"{'zone': 'home.example',"
	" 'server': {'address': '2001:db8::53', 'port': 5353},"
	" 'key': '/etc/meshxlat/ddns.key',"
	" 'ttl': 120, 'timeout': 5,"
	" 'hosts': [{'name': 'nas', 'suffix': '::1234:5678:abcd:ef01'},"
	"           {'name': 'printer', 'mac': '12:34:56:78:9a:bc'},"
	"           {'name': '@', 'suffix': '::1'},"
	"           {'name': 'www.home.example.', 'suffix': '::80'}],"
	" 'source': {'meshxlat': {'socket': '/run/meshxlat.sock',"
	"                         'port': 'lan6'}},"
	" 'retry': {'min': 0.5, 'max': 30, 'after_auth_error': 600}}";

static void
test_ddns_conf_full(void **state)
{
	static const uint8_t nas[8] = { 0x12, 0x34, 0x56, 0x78,
					0xab, 0xcd, 0xef, 0x01 };
	static const uint8_t printer[8] = { 0x10, 0x34, 0x56, 0xff,
					    0xfe, 0x78, 0x9a, 0xbc };
	struct ddns_conf c;
	char err[DDNS_ERR_SIZE] = "";

	(void)state;
	assert_int_equal(load_q(full, &c, err), 0);
	assert_string_equal(c.zone, "home.example.");
	assert_string_equal(c.server, "2001:db8::53");
	assert_int_equal(c.port, 5353);
	assert_string_equal(c.key_file, "/etc/meshxlat/ddns.key");
	assert_int_equal(c.ttl, 120);
	assert_int_equal(c.timeout_s, 5);
	assert_int_equal(c.n_hosts, 4);
	assert_string_equal(c.hosts[0].fqdn, "nas.home.example.");
	assert_memory_equal(c.hosts[0].suffix, nas, 8);
	assert_int_equal(c.hosts[0].from_mac, 0);
	assert_string_equal(c.hosts[1].fqdn, "printer.home.example.");
	assert_memory_equal(c.hosts[1].suffix, printer, 8);
	assert_int_equal(c.hosts[1].from_mac, 1);
	assert_string_equal(c.hosts[2].fqdn, "home.example.");
	assert_string_equal(c.hosts[3].fqdn, "www.home.example.");
	assert_int_equal(c.source, DDNS_SRC_MESHXLAT);
	assert_string_equal(c.socket, "/run/meshxlat.sock");
	assert_string_equal(c.port_name, "lan6");
	assert_int_equal(c.retry_min_ms, 500);
	assert_int_equal(c.retry_max_ms, 30000);
	assert_int_equal(c.auth_retry_s, 600);
}

static void
test_ddns_conf_defaults_and_linux(void **state)
{
	struct ddns_conf c;
	char err[DDNS_ERR_SIZE] = "";

	(void)state;
	assert_int_equal(load_q("{'zone': 'home.example.',"
				" 'server': {'address': '192.0.2.53'},"
				" 'key': 'k',"
				" 'hosts': [{'name': 'nas', 'suffix': '::5'}],"
				" 'source': {'linux': {'interface': 'br0'}}}",
				&c, err), 0);
	assert_string_equal(c.zone, "home.example.");
	assert_int_equal(c.port, 53);
	assert_int_equal(c.ttl, 300);
	assert_int_equal(c.timeout_s, 10);
	assert_int_equal(c.retry_min_ms, 1000);
	assert_int_equal(c.retry_max_ms, 60000);
	assert_int_equal(c.auth_retry_s, 3600);
	assert_int_equal(c.source, DDNS_SRC_LINUX);
	assert_string_equal(c.ifname, "br0");
}

#define BASE_HOSTS "'hosts': [{'name': 'nas', 'suffix': '::1'}]"
#define BASE_SRC "'source': {'linux': {'interface': 'br0'}}"
#define BASE_SRV "'server': {'address': '::1'}"

struct bad {
	const char *json;
	const char *err;	/* the message starts with this */
};

static const struct bad bad_confs[] = {
	{ "[]", "(top): []: must be an object" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  BASE_SRC ", 'zonk': 1}", "zonk: unknown key" },
	{ "{" BASE_SRV ", 'key': 'k', " BASE_HOSTS ", " BASE_SRC "}",
	  "zone: missing" },
	{ "{'zone': 5, " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  BASE_SRC "}", "zone: 5: must be a string" },
	{ "{'zone': 'home\\nexample', " BASE_SRV ", 'key': 'k', "
	  BASE_HOSTS ", " BASE_SRC "}",
	  "zone: \"home\\nexample\": may only have letters" },
	{ "{'zone': 'home..example', " BASE_SRV ", 'key': 'k', "
	  BASE_HOSTS ", " BASE_SRC "}",
	  "zone: \"home..example\": has an empty label" },
	{ "{'zone': 'h', 'key': 'k', " BASE_HOSTS ", " BASE_SRC "}",
	  "server: missing" },
	{ "{'zone': 'h', 'server': {'address': 'ns.example'}, 'key': 'k', "
	  BASE_HOSTS ", " BASE_SRC "}",
	  "server.address: \"ns.example\": not an IPv4 or IPv6 address" },
	{ "{'zone': 'h', 'server': {'address': '::1', 'port': 0}, "
	  "'key': 'k', " BASE_HOSTS ", " BASE_SRC "}",
	  "server.port: 0: must be between 1 and 65535" },
	{ "{'zone': 'h', 'server': {'address': '::1', 'port': '53'}, "
	  "'key': 'k', " BASE_HOSTS ", " BASE_SRC "}",
	  "server.port: \"53\": must be an integer" },
	{ "{'zone': 'h', " BASE_SRV ", " BASE_HOSTS ", " BASE_SRC "}",
	  "key: missing" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'ttl': 0, " BASE_HOSTS
	  ", " BASE_SRC "}", "ttl: 0: must be between 1 and 604800" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_SRC "}",
	  "hosts: missing" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [], " BASE_SRC
	  "}", "hosts: []: must name at least one host" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a',"
	  " 'suffix': '::1'}, {'name': 'b', 'mac': '12:34'}], " BASE_SRC "}",
	  "hosts[1].mac: \"12:34\": not a MAC address" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a',"
	  " 'suffix': '::1', 'mac': '12:34:56:78:9a:bc'}], " BASE_SRC "}",
	  "hosts[0]: give exactly one of \"suffix\" and \"mac\"" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a'}"
	  "], " BASE_SRC "}",
	  "hosts[0]: give exactly one of \"suffix\" and \"mac\"" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a',"
	  " 'suffix': '2001:db8::1'}], " BASE_SRC "}",
	  "hosts[0].suffix: \"2001:db8::1\": not an interface id" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a',"
	  " 'suffix': '::1/64'}], " BASE_SRC "}",
	  "hosts[0].suffix: \"::1/64\": not an interface id" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': "
	  "'a b', 'suffix': '::1'}], " BASE_SRC "}",
	  "hosts[0].name: \"a b\": may only have letters" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': "
	  "'a\\nupdate delete h. ANY', 'suffix': '::1'}], " BASE_SRC "}",
	  "hosts[0].name: \"a\\nupdate delete h. ANY\": may only have" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': "
	  "'www.other.', 'suffix': '::1'}], " BASE_SRC "}",
	  "hosts[0].name: \"www.other.\": not inside the zone h." },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', 'hosts': [{'name': 'a',"
	  " 'suffix': '::1'}, {'name': 'A.h.', 'suffix': '::2'}], "
	  BASE_SRC "}", "hosts[1].name: \"A.h.\": the same name as hosts[0]" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS "}",
	  "source: missing" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  "'source': {'linux': {'interface': 'br0'}, 'meshxlat': "
	  "{'socket': 's', 'port': 'lan6'}}}",
	  "source: give exactly one of" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  "'source': {'meshxlat': {'socket': 's'}}}",
	  "source.meshxlat.port: missing" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  "'source': {'linux': {'interface': 'a-very-long-interface'}}}",
	  "source.linux.interface: \"a-very-long-interface\": longer than 15 characters" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  BASE_SRC ", 'retry': {'min': 10, 'max': 5}}",
	  "retry.max: 5: must not be below min (10)" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  BASE_SRC ", 'retry': {'min': 0}}",
	  "retry.min: 0: must be between 0.1 and 3600" },
	{ "{'zone': 'h', " BASE_SRV ", 'key': 'k', " BASE_HOSTS ", "
	  BASE_SRC ", 'retry': {'after_auth_error': 1.5}}",
	  "retry.after_auth_error: 1.5: must be an integer" },
};

static void
test_ddns_conf_bad_names_path_and_value(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++) {
		struct ddns_conf c;
		char err[DDNS_ERR_SIZE] = "";
		int rc = load_q(bad_confs[i].json, &c, err);

		if (rc != -EINVAL ||
		    strncmp(err, bad_confs[i].err, strlen(bad_confs[i].err)))
			fail_msg("case %zu: rc %d, err \"%s\", want \"%s...\"",
				 i, rc, err, bad_confs[i].err);
	}
}

static void
test_ddns_conf_json_syntax_names_line(void **state)
{
	struct ddns_conf c;
	char err[DDNS_ERR_SIZE] = "";

	(void)state;
	assert_int_equal(ddns_conf_load_string("{\n\"zone\": }", 11, "a.json",
					       &c, err), -EINVAL);
	assert_true(strncmp(err, "a.json:2:", 9) == 0);
	assert_int_equal(ddns_conf_load_string("{\"zone\":\"a\",\"zone\":\"b\"}",
					       23, "a.json", &c, err),
			 -EINVAL);
}

static void
test_ddns_conf_file(void **state)
{
	char path[] = "/tmp/test_ddns_conf.XXXXXX", err[DDNS_ERR_SIZE];
	struct ddns_conf c;
	char *t = q(full);
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
	close(fd);
	assert_int_equal(ddns_conf_load_file(path, &c, err), 0);
	assert_int_equal(c.n_hosts, 4);
	unlink(path);
	free(t);
	assert_int_equal(ddns_conf_load_file(path, &c, err), -ENOENT);
	assert_non_null(strstr(err, path));
}

/* What tsig-keygen -a hmac-sha256 ddns-key writes. */
static const char *keygen =
	"key \"ddns-key\" {\n"
	"\talgorithm hmac-sha256;\n"
	"\tsecret \"X+gnPeSdV8d6/iyg8Fs83ehvMBs++JaofxBo5bRdff8=\";\n"
	"};\n";

static void
test_ddns_key_parse_tsig_keygen(void **state)
{
	char name[64], alg[32], err[128];
	static const char *commented =
		"# made by hand\n/* a C comment */ key home-key // here\n"
		"{ secret \"abc=\"; algorithm hmac-sha512; };";

	(void)state;
	assert_int_equal(ddns_key_parse(keygen, strlen(keygen), name,
					sizeof(name), alg, sizeof(alg), err,
					sizeof(err)), 0);
	assert_string_equal(name, "ddns-key");
	assert_string_equal(alg, "hmac-sha256");
	assert_int_equal(ddns_key_parse(commented, strlen(commented), name,
					sizeof(name), alg, sizeof(alg), err,
					sizeof(err)), 0);
	assert_string_equal(name, "home-key");
	assert_string_equal(alg, "hmac-sha512");
}

static void
test_ddns_key_parse_broken(void **state)
{
	static const struct bad keys[] = {
		{ "", "does not start with a key clause" },
		{ "zone \"x\" { };", "does not start with a key clause" },
		{ "key { algorithm a; secret \"s\"; };", "the key clause has "
		  "no name" },
		{ "key \"k\" algorithm", "key \"k\": no '{'" },
		{ "key \"k\" { algorithm hmac-sha256; };", "key \"k\": no "
		  "secret" },
		{ "key \"k\" { secret \"s\"; };", "key \"k\": no algorithm" },
		{ "key \"k\" { algorithm a; secret \"s\";", "key \"k\": the "
		  "clause is not closed" },
		{ "key \"a b\" { algorithm a; secret \"s\"; };", "the key name "
		  "has blanks" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char name[64], alg[32], err[128] = "";
		int rc = ddns_key_parse(keys[i].json, strlen(keys[i].json),
					name, sizeof(name), alg, sizeof(alg),
					err, sizeof(err));

		if (rc != -EINVAL ||
		    strncmp(err, keys[i].err, strlen(keys[i].err)) != 0)
			fail_msg("key case %zu: rc %d, err \"%s\"", i, rc, err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddns_conf_full),
		cmocka_unit_test(test_ddns_conf_defaults_and_linux),
		cmocka_unit_test(test_ddns_conf_bad_names_path_and_value),
		cmocka_unit_test(test_ddns_conf_json_syntax_names_line),
		cmocka_unit_test(test_ddns_conf_file),
		cmocka_unit_test(test_ddns_key_parse_tsig_keygen),
		cmocka_unit_test(test_ddns_key_parse_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
