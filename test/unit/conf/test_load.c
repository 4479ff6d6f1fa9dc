/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/conf/load.c: a full config of the sections this version supports
 * (ports, routes, neighbours, siit, clat, workers, control) is loaded and
 * every parsed field checked, defaults included; the full siit section
 * (pool6, EAMT, RFC 6791 pools, MTUs) alone and next to a CLAT; then tables
 * of bad configs, one per section, each asserting that loading fails with
 * -EINVAL and a message that starts with the key path and the value
 * ("ports[0].mtu: 70000: must be between 576 and 9000"). Also JSON syntax
 * errors (name:line:column), duplicate keys, conf_load_file(), and the
 * address, prefix and MAC parsers shared with the CLI.
 *
 * JSON is written with single quotes in this file; q() turns them into
 * double quotes before loading.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"

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
load_q(const char *json, struct conf **c, char *err)
{
	char *s = q(json);
	int rc;

	*c = NULL;
	memset(err, 0, CONF_ERR_SIZE);
	rc = conf_load_string(s, "test.json", c, err);
	free(s);
	return rc;
}

static struct conf *
load_ok(const char *json)
{
	char err[CONF_ERR_SIZE];
	struct conf *c;
	int rc = load_q(json, &c, err);

	if (rc != 0)
		print_error("unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

static const char valid[] =
	"{\n"
	"  'ports': [\n"
	"    { 'name': 'lan4', 'device': 'net_pcap0', 'role': 'lan4',\n"
	"      'mtu': 1500, 'mac': '12:34:56:78:9a:bc',\n"
	"      'ipv4': ['192.168.0.254/24'], 'ipv6': [] },\n"
	"    { 'name': 'mesh', 'device': 'net_af_packet0', 'role': 'mesh6',\n"
	"      'mtu': 1400, 'ipv6': ['2001:db8:1c0:2:1::/64'],\n"
	"      'kernel_mirror': 'mx-mesh' },\n"
	"    { 'name': 'wan', 'device': '0000:03:00.0', 'role': 'wan4',\n"
	"      'ipv4': ['10.23.0.9/24', '10.24.0.1/16'] }\n"
	"  ],\n"
	"  'routes': [\n"
	"    { 'prefix': '0.0.0.0/0', 'port': 'wan', 'via': '10.23.0.1' },\n"
	"    { 'prefix': '::/0', 'port': 'mesh', 'via': 'fe80::1' },\n"
	"    { 'prefix': '172.16.0.0/12', 'port': 'lan4' }\n"
	"  ],\n"
	"  'neighbours': [\n"
	"    { 'ip': '10.23.0.1', 'mac': '02:00:00:00:00:01', 'port': 'wan' },\n"
	"    { 'ip': 'fe80::1', 'mac': '02:00:00:00:00:02', 'port': 'mesh' }\n"
	"  ],\n"
	"  'siit': { 'zeroize_traffic_class': true, 'override_tos': 32 },\n"
	"  'clat': {\n"
	"    'clat_range': 'fddd:1337:1337::/48',\n"
	"    'plat_range': '64:ff9b:1::/48',\n"
	"    'plat_prefix': '64:ff9b:1:abcd:ef01:2345::/96',\n"
	"    'client_port': 'lan4'\n"
	"  },\n"
	"  'control': { 'socket': '/tmp/mx.sock', 'mode': '0640',\n"
	"               'group': 'meshxlat', 'max_clients': 7 },\n"
	"  'workers': { 'lcores': 'auto', 'burst': 64, 'idle_sleep_us': 10 }\n"
	"}\n";

static void
assert_ip6(const uint8_t *a, const char *s)
{
	uint8_t want[16];

	assert_int_equal(inet_pton(AF_INET6, s, want), 1);
	assert_memory_equal(a, want, 16);
}

static void
check_valid(const struct conf *c)
{
	static const uint8_t mac[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };
	static const uint8_t nmac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	const struct conf_port *p;
	const struct conf_route *r;
	const struct conf_neigh *n;

	assert_int_equal(c->n_ports, 3);
	p = &c->ports[0];
	assert_string_equal(p->name, "lan4");
	assert_string_equal(p->device, "net_pcap0");
	assert_int_equal(p->role, CONF_ROLE_LAN4);
	assert_int_equal(p->mtu, 1500);
	assert_int_equal(p->has_mac, 1);
	assert_memory_equal(p->mac, mac, 6);
	assert_int_equal(p->n_ip4, 1);
	assert_int_equal(p->ip4[0].addr, 0xc0a800fe);	/* host order */
	assert_int_equal(p->ip4[0].len, 24);
	assert_int_equal(p->n_ip6, 0);
	assert_string_equal(p->kernel_mirror, "");

	p = &c->ports[1];
	assert_string_equal(p->name, "mesh");
	assert_string_equal(p->device, "net_af_packet0");
	assert_int_equal(p->role, CONF_ROLE_MESH6);
	assert_int_equal(p->mtu, 1400);
	assert_int_equal(p->has_mac, 0);
	assert_int_equal(p->n_ip4, 0);
	assert_int_equal(p->n_ip6, 1);
	assert_ip6(p->ip6[0].addr, "2001:db8:1c0:2:1::");
	assert_int_equal(p->ip6[0].len, 64);
	assert_string_equal(p->kernel_mirror, "mx-mesh");

	p = &c->ports[2];
	assert_string_equal(p->name, "wan");
	assert_string_equal(p->device, "0000:03:00.0");
	assert_int_equal(p->role, CONF_ROLE_WAN4);
	assert_int_equal(p->mtu, 1500);		/* default */
	assert_int_equal(p->n_ip4, 2);
	assert_int_equal(p->ip4[0].addr, 0x0a170009);
	assert_int_equal(p->ip4[1].addr, 0x0a180001);
	assert_int_equal(p->ip4[1].len, 16);

	assert_int_equal(c->n_routes, 3);
	r = &c->routes[0];
	assert_int_equal(r->family, 4);
	assert_int_equal(r->pfx4.addr, 0);
	assert_int_equal(r->pfx4.len, 0);
	assert_int_equal(r->port, 2);
	assert_int_equal(r->has_via, 1);
	assert_int_equal(r->via4, 0x0a170001);
	r = &c->routes[1];
	assert_int_equal(r->family, 6);
	assert_int_equal(r->pfx6.len, 0);
	assert_int_equal(r->port, 1);
	assert_int_equal(r->has_via, 1);
	assert_ip6(r->via6, "fe80::1");
	r = &c->routes[2];
	assert_int_equal(r->family, 4);
	assert_int_equal(r->pfx4.addr, 0xac100000);
	assert_int_equal(r->pfx4.len, 12);
	assert_int_equal(r->port, 0);
	assert_int_equal(r->has_via, 0);

	assert_int_equal(c->n_neighs, 2);
	n = &c->neighs[0];
	assert_int_equal(n->family, 4);
	assert_int_equal(n->ip4, 0x0a170001);
	assert_memory_equal(n->mac, nmac, 6);
	assert_int_equal(n->port, 2);
	n = &c->neighs[1];
	assert_int_equal(n->family, 6);
	assert_ip6(n->ip6, "fe80::1");
	assert_int_equal(n->mac[5], 0x02);
	assert_int_equal(n->port, 1);

	/* A siit section next to a CLAT needs no pool6: the PLAT is one. */
	assert_int_equal(c->siit.enabled, 1);
	assert_int_equal(c->siit.zeroize_traffic_class, 1);
	assert_int_equal(c->siit.has_override_tos, 1);
	assert_int_equal(c->siit.override_tos, 32);
	assert_int_equal(c->siit.has_pool6, 0);
	assert_int_equal(c->siit.n_eamt, 0);
	assert_null(c->siit.eamt);
	assert_int_equal(c->siit.n_rfc6791v4, 0);
	assert_int_equal(c->siit.has_rfc6791v6, 0);
	assert_int_equal(c->siit.amend_udp_checksum_zero, 1);
	assert_int_equal(c->siit.lowest_ipv6_mtu, 1280);
	assert_int_equal(c->siit.n_plateaus, 11);

	assert_int_equal(c->clat.enabled, 1);
	assert_ip6(c->clat.clat_range.addr, "fddd:1337:1337::");
	assert_int_equal(c->clat.clat_range.len, 48);
	assert_ip6(c->clat.plat_range.addr, "64:ff9b:1::");
	assert_int_equal(c->clat.plat_range.len, 48);
	assert_int_equal(c->clat.has_clat_prefix, 0);
	assert_int_equal(c->clat.has_plat_prefix, 1);
	assert_ip6(c->clat.plat_prefix.addr, "64:ff9b:1:abcd:ef01:2345::");
	assert_int_equal(c->clat.plat_prefix.len, 96);
	assert_int_equal(c->clat.client_port, 0);

	assert_int_equal(c->control.enabled, 1);
	assert_string_equal(c->control.socket, "/tmp/mx.sock");
	assert_int_equal(c->control.mode, 0640);
	assert_string_equal(c->control.group, "meshxlat");
	assert_int_equal(c->control.max_clients, 7);
	assert_int_equal(c->workers.lcores, 0);		/* auto */
	assert_int_equal(c->workers.burst, 64);
	assert_int_equal(c->workers.idle_sleep_us, 10);
}

/* RFC 1191 section 7, table 7-1. */
static void
check_rfc1191_plateaus(const struct conf_siit *s)
{
	static const uint16_t want[] = { 65535, 32000, 17914, 8166, 4352,
		2002, 1492, 1006, 508, 296, 68 };
	unsigned int i;

	assert_int_equal(s->n_plateaus, 11);
	for (i = 0; i < 11; i++)
		assert_int_equal(s->mtu_plateaus[i], want[i]);
}

static void
test_conf_load_valid_config_fills_every_field(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok(valid);
	check_valid(c);
	assert_int_equal(conf_port_index(c, "wan"), 2);
	assert_int_equal(conf_port_index(c, "lan4"), 0);
	assert_int_equal(conf_port_index(c, "nope"), -1);
	conf_free(c);
}

static void
test_conf_load_minimal_config_gets_defaults(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("{'ports':[{'name':'p','device':'net_null0',"
		    "'role':'mesh6'}]}");
	assert_int_equal(c->n_ports, 1);
	assert_int_equal(c->ports[0].mtu, 1500);
	assert_int_equal(c->ports[0].has_mac, 0);
	assert_int_equal(c->n_routes, 0);
	assert_int_equal(c->n_neighs, 0);
	assert_int_equal(c->clat.enabled, 0);
	assert_int_equal(c->siit.enabled, 0);
	assert_int_equal(c->siit.zeroize_traffic_class, 0);
	assert_int_equal(c->siit.has_override_tos, 0);
	assert_int_equal(c->siit.has_pool6, 0);
	assert_int_equal(c->siit.n_eamt, 0);
	assert_null(c->siit.eamt);
	/* the CLAT uses the engine too: its MTU defaults are always set */
	assert_int_equal(c->siit.lowest_ipv6_mtu, 1280);
	check_rfc1191_plateaus(&c->siit);
	assert_int_equal(c->workers.lcores, 0);
	assert_int_equal(c->workers.burst, 32);
	assert_int_equal(c->workers.idle_sleep_us, 0);
	assert_int_equal(c->control.enabled, 0);
	assert_string_equal(c->control.socket, "/run/meshxlat/ctl.sock");
	assert_int_equal(c->control.mode, 0660);
	assert_int_equal(c->control.max_clients, 128);
	conf_free(c);
}

/* override_tos null means "copy", a number of workers is a number. */
static void
test_conf_load_null_override_tos_and_numeric_lcores(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("{'ports':[{'name':'p','device':'d','role':'lan4'},"
		    "{'name':'m','device':'e','role':'mesh6'}],"
		    "'siit':{'pool6':'64:ff9b::/96','zeroize_traffic_class':"
		    "false,'override_tos':null},'workers':{'lcores':4}}");
	assert_int_equal(c->siit.zeroize_traffic_class, 0);
	assert_int_equal(c->siit.has_override_tos, 0);
	assert_int_equal(c->workers.lcores, 4);
	conf_free(c);
}

/* An explicit clat_prefix stands in for clat_range; order is free. */
static void
test_conf_load_clat_prefix_without_range_any_key_order(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("{'clat':{'client_port':'l','clat_prefix':"
		    "'2001:db8:aaaa::/48','plat_prefix':'64:ff9b::/96'},"
		    "'ports':[{'name':'m','device':'d0','role':'mesh6'},"
		    "{'name':'l','device':'d1','role':'lan4'}]}");
	assert_int_equal(c->clat.enabled, 1);
	assert_int_equal(c->clat.has_clat_prefix, 1);
	assert_int_equal(c->clat.clat_prefix.len, 48);
	assert_int_equal(c->clat.has_plat_prefix, 1);
	assert_ip6(c->clat.plat_prefix.addr, "64:ff9b::");
	assert_int_equal(c->clat.plat_prefix.len, 96);
	assert_int_equal(c->clat.plat_range.len, 0);
	assert_int_equal(c->clat.client_port, 1);
	conf_free(c);
}

static void
test_conf_load_file_reads_the_same(void **state)
{
	char path[] = "/tmp/meshxlat-unit-XXXXXX";
	char err[CONF_ERR_SIZE];
	struct conf *c = NULL;
	char *s = q(valid);
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(s, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	free(s);
	assert_int_equal(conf_load_file(path, &c, err), 0);
	unlink(path);
	check_valid(c);
	conf_free(c);
}

static void
test_conf_load_file_missing_names_the_path(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf *c = NULL;

	(void)state;
	assert_true(conf_load_file("/nonexistent/meshxlat.json", &c, err) < 0);
	assert_null(c);
	assert_true(strncmp(err, "/nonexistent/meshxlat.json", 26) == 0);
}

/* --- bad configs --- */

struct bad {
	const char *json;
	const char *want;	/* the message starts with this */
};

static void
check_bad(const struct bad *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char err[CONF_ERR_SIZE], *want = q(cases[i].want);
		struct conf *c;
		int rc = load_q(cases[i].json, &c, err);

		if (rc != -EINVAL ||
		    strncmp(err, want, strlen(want)) != 0) {
			print_error("case %zu: %s\n  rc %d\n  got  \"%s\"\n"
				    "  want \"%s...\"\n", i, cases[i].json, rc,
				    err, want);
			free(want);
			conf_free(c);
			fail();
		}
		assert_null(c);
		free(want);
	}
}

#define LAN4 "{'name':'lan4','device':'net_pcap0','role':'lan4'}"
#define MESH "{'name':'mesh','device':'net_pcap1','role':'mesh6'}"
#define PORTS "'ports':[" LAN4 "," MESH "]"
#define PORT0(extra) "{'ports':[{'name':'lan4','device':'net_pcap0'," \
	"'role':'lan4'," extra "}]}"
#define PORT1(extra) "{'ports':[" LAN4 ",{'name':'mesh'," \
	"'device':'net_pcap1','role':'mesh6'," extra "}]}"
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
test_conf_bad_top_level(void **state)
{
	static const struct bad cases[] = {
		{ "{" PORTS ",'bogus':1}", "bogus: unknown key" },
		{ "[]", "(top): the config must be a JSON object" },
		{ "{}", "ports: must be a non-empty list of ports" },
		{ "{'ports':{}}", "ports: {}: must be a non-empty list" },
		{ "{'ports':[]}", "ports: []: must be a non-empty list" },
		{ "{" PORTS ",'plat':[]}", "plat: []: must be an object" },
		{ "{" PORTS ",'firewall':[]}", "firewall: []: must be an object" },
		{ "{" PORTS ",'roam':{'max_lease':0}}",
		  "roam.max_lease: 0: must be between 1 and 2592000" },
		{ "{" PORTS ",'roam':{'bogus':1}}", "roam.bogus: unknown key" },
		{ "{" PORTS ",'roam':[]}", "roam: []: must be an object" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

static void
test_conf_bad_ports(void **state)
{
	static const struct bad cases[] = {
		{ PORT0("'speed':10"), "ports[0].speed: unknown key" },
		{ "{'ports':['lan4']}", "ports[0]: 'lan4': must be an object" },
		{ "{'ports':[{'name':5,'device':'d','role':'lan4'}]}",
		  "ports[0].name: 5: must be a string" },
		{ "{'ports':[{'name':'','device':'d','role':'lan4'}]}",
		  "ports[0].name: '': must not be empty" },
		{ "{'ports':[{'name':'0123456789012345678901234567890123',"
		  "'device':'d','role':'lan4'}]}",
		  "ports[0].name: '0123456789012345678901234567890123': "
		  "longer than 31 characters" },
		{ "{'ports':[{'name':'a','role':'lan4'}]}",
		  "ports[0].device: missing" },
		{ "{'ports':[{'name':'a','device':'d'}]}",
		  "ports[0].role: missing" },
		{ "{'ports':[{'name':'a','device':'d','role':'lan'}]}",
		  "ports[0].role: 'lan': must be lan4, mesh6, wan4 or wan6" },
		{ PORT0("'mtu':'1500'"), "ports[0].mtu: '1500': must be an integer" },
		{ PORT0("'mtu':1500.5"), "ports[0].mtu: 1500.5: must be an integer" },
		{ PORT0("'mtu':70000"),
		  "ports[0].mtu: 70000: must be between 576 and 9000" },
		{ PORT0("'mtu':575"),
		  "ports[0].mtu: 575: must be between 576 and 9000" },
		/* RFC 8200 section 5: 1280 on IPv6 links */
		{ PORT1("'mtu':1279"),
		  "ports[1].mtu: 1279: must be between 1280 and 9000" },
		{ PORT0("'mac':'12:34:56:78:9a'"),
		  "ports[0].mac: '12:34:56:78:9a': not a MAC address" },
		{ PORT0("'mac':'12:34:56:78:9a:bcd'"),
		  "ports[0].mac: '12:34:56:78:9a:bcd': not a MAC address" },
		{ PORT0("'mac':'12-34-56-78-9a-bc'"),
		  "ports[0].mac: '12-34-56-78-9a-bc': not a MAC address" },
		{ PORT0("'mac':'zz:34:56:78:9a:bc'"),
		  "ports[0].mac: 'zz:34:56:78:9a:bc': not a MAC address" },
		{ PORT0("'mac':'01:00:5e:00:00:01'"),
		  "ports[0].mac: '01:00:5e:00:00:01': must be a unicast MAC" },
		{ PORT0("'mac':1"), "ports[0].mac: 1: must be a string" },
		{ PORT0("'ipv4':'192.168.0.1/24'"),
		  "ports[0].ipv4: '192.168.0.1/24': must be a list" },
		{ PORT0("'ipv4':['192.168.0.1']"),
		  "ports[0].ipv4[0]: '192.168.0.1': not an IPv4 address/len" },
		{ PORT0("'ipv4':['192.168.0.1/33']"),
		  "ports[0].ipv4[0]: '192.168.0.1/33': not an IPv4 address/len" },
		{ PORT0("'ipv4':['2001:db8::1/64']"),
		  "ports[0].ipv4[0]: '2001:db8::1/64': not an IPv4 address/len" },
		{ PORT0("'ipv4':['192.168.0.1/0']"),
		  "ports[0].ipv4[0]: '192.168.0.1/0': prefix length must be 1..32" },
		{ PORT0("'ipv4':['10.0.0.1/8',7]"),
		  "ports[0].ipv4[1]: 7: must be a string" },
		{ PORT0("'ipv4':['10.0.0.1/8','10.0.0.2/8','10.0.0.3/8',"
			"'10.0.0.4/8','10.0.0.5/8','10.0.0.6/8','10.0.0.7/8',"
			"'10.0.0.8/8','10.0.0.9/8']"),
		  "ports[0].ipv4: at most 8 addresses" },
		{ PORT1("'ipv6':['2001:db8::1']"),
		  "ports[1].ipv6[0]: '2001:db8::1': not an IPv6 address/len" },
		{ PORT1("'ipv6':['2001:db8::1/0']"),
		  "ports[1].ipv6[0]: '2001:db8::1/0': prefix length must be 1..128" },
		{ PORT1("'ipv6':['fe80::1/64']"),
		  "ports[1].ipv6[0]: 'fe80::1/64': must be a global or ULA "
		  "unicast address" },
		{ PORT1("'ipv6':['ff02::1/128']"),
		  "ports[1].ipv6[0]: 'ff02::1/128': must be a global or ULA" },
		{ PORT0("'ipv4':['192.168.0.0/24']"),
		  "ports[0].ipv4[0]: '192.168.0.0/24': the network or "
		  "broadcast address" },
		{ PORT0("'ipv4':['192.168.0.255/24']"),
		  "ports[0].ipv4[0]: '192.168.0.255/24': the network or "
		  "broadcast address" },
		{ "{'ports':[" LAN4 ",{'name':'w','device':'d','role':'wan4',"
		  "'ipv4':['10.0.0.1/24','10.0.0.1/16']}]}",
		  "ports[1].ipv4[0]: '10.0.0.1': address used twice" },
		{ PORT0("'kernel_mirror':'a-very-long-tap-name'"),
		  "ports[0].kernel_mirror: 'a-very-long-tap-name': longer than "
		  "15 characters" },
		{ "{'ports':[{'name':'p0','device':'d0','role':'lan4'},"
		  "{'name':'p1','device':'d1','role':'lan4'},"
		  "{'name':'p2','device':'d2','role':'lan4'},"
		  "{'name':'p3','device':'d3','role':'lan4'},"
		  "{'name':'p4','device':'d4','role':'lan4'},"
		  "{'name':'p5','device':'d5','role':'lan4'},"
		  "{'name':'p6','device':'d6','role':'lan4'},"
		  "{'name':'p7','device':'d7','role':'lan4'},"
		  "{'name':'p8','device':'d8','role':'lan4'},"
		  "{'name':'p9','device':'d9','role':'lan4'},"
		  "{'name':'pa','device':'da','role':'lan4'},"
		  "{'name':'pb','device':'db','role':'lan4'},"
		  "{'name':'pc','device':'dc','role':'lan4'},"
		  "{'name':'pd','device':'dd','role':'lan4'},"
		  "{'name':'pe','device':'de','role':'lan4'},"
		  "{'name':'pf','device':'df','role':'lan4'},"
		  "{'name':'pg','device':'dg','role':'lan4'}]}",
		  "ports: at most 16 ports" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

/*
 * A name or device used twice: the message names the key that holds it,
 * like every other message ("ports[1].name: ..."), not just the port.
 */
static void
test_conf_bad_duplicate_port_name_or_device(void **state)
{
	static const struct bad cases[] = {
		{ "{'ports':[" LAN4 "," LAN4 "]}",
		  "ports[1].name: 'lan4': name used twice" },
		{ "{'ports':[" LAN4 ",{'name':'x','device':'net_pcap0',"
		  "'role':'wan4'}]}",
		  "ports[1].device: 'net_pcap0': device used twice" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

static void
test_conf_bad_routes(void **state)
{
	static const struct bad cases[] = {
		{ "{" PORTS ",'routes':{}}", "routes: {}: must be a list" },
		{ "{" PORTS ",'routes':[5]}", "routes[0]: 5: must be an object" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0.0/8','port':'lan4',"
		  "'metric':1}]}", "routes[0].metric: unknown key" },
		{ "{" PORTS ",'routes':[{'port':'lan4'}]}",
		  "routes[0].prefix: missing" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0.0/33','port':'lan4'}]}",
		  "routes[0].prefix: '10.0.0.0/33': not an IPv4 prefix" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0/8','port':'lan4'}]}",
		  "routes[0].prefix: '10.0.0/8': not an IPv4 prefix" },
		{ "{" PORTS ",'routes':[{'prefix':'2001:db8::g/64',"
		  "'port':'mesh'}]}",
		  "routes[0].prefix: '2001:db8::g/64': not an IPv6 prefix" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0.1/8','port':'lan4'}]}",
		  "routes[0].prefix: '10.0.0.1/8': host bits set beyond /8" },
		{ "{" PORTS ",'routes':[{'prefix':'2001:db8::1/64',"
		  "'port':'mesh'}]}",
		  "routes[0].prefix: '2001:db8::1/64': host bits set beyond /64" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0.0/8'}]}",
		  "routes[0].port: missing" },
		{ "{" PORTS ",'routes':[{'prefix':'10.0.0.0/8','port':'nope'}]}",
		  "routes[0].port: 'nope': no port of that name" },
		{ "{" PORTS ",'routes':[{'prefix':'0.0.0.0/0','port':'lan4',"
		  "'via':'fe80::1'}]}",
		  "routes[0].via: 'fe80::1': gateway family differs from the "
		  "prefix" },
		{ "{" PORTS ",'routes':[{'prefix':'::/0','port':'mesh',"
		  "'via':'10.0.0.1'}]}",
		  "routes[0].via: '10.0.0.1': gateway family differs" },
		{ "{" PORTS ",'routes':[{'prefix':'::/0','port':'mesh',"
		  "'via':'ff02::1'}]}",
		  "routes[0].via: 'ff02::1': gateway must be unicast" },
		{ "{" PORTS ",'routes':[{'prefix':'0.0.0.0/0','port':'lan4',"
		  "'via':'10.0.0.1/32'}]}",
		  "routes[0].via: '10.0.0.1/32': not an IP address" },
		{ "{" PORTS ",'routes':[{'prefix':'0.0.0.0/0','port':'lan4'},"
		  "{'prefix':'10.0.0.0/8','port':'wan'}]}",
		  "routes[1].port: 'wan': no port of that name" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

static void
test_conf_bad_neighbours(void **state)
{
	static const struct bad cases[] = {
		{ "{" PORTS ",'neighbours':[{'ip':'10.0.0.1',"
		  "'mac':'02:00:00:00:00','port':'lan4'}]}",
		  "neighbours[0].mac: '02:00:00:00:00': not a MAC address" },
		{ "{" PORTS ",'neighbours':[{'ip':'10.0.0.1','port':'lan4'}]}",
		  "neighbours[0].mac: missing" },
		{ "{" PORTS ",'neighbours':[{'ip':'10.0.0.256',"
		  "'mac':'02:00:00:00:00:01','port':'lan4'}]}",
		  "neighbours[0].ip: '10.0.0.256': not an IP address" },
		{ "{" PORTS ",'neighbours':[{'ip':'10.0.0.1',"
		  "'mac':'02:00:00:00:00:01','port':'nope'}]}",
		  "neighbours[0].port: 'nope': no port of that name" },
		{ "{" PORTS ",'neighbours':[{'ip':'10.0.0.1',"
		  "'mac':'02:00:00:00:00:01','port':'lan4','ttl':3}]}",
		  "neighbours[0].ttl: unknown key" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

/* --- the siit section (RFC 7915, RFC 7757, RFC 6791) --- */

#define SIIT(body) "{" PORTS ",'siit':{" body "}}"
#define PP "'plat_prefix':'64:ff9b::/96'"

/* Every key, values off their defaults; plateaus sorted and de-duplicated. */
static void
test_conf_load_siit_full_section(void **state)
{
	static const uint16_t plateaus[] = { 65535, 9000, 1500, 1280, 68 };
	const struct conf_siit *s;
	struct conf *c;
	unsigned int i;

	(void)state;
	c = load_ok(SIIT(
		"'pool6':'64:ff9b::/96',"
		"'eamt':["
		"{'ipv6':'2001:db8:3::/120','ipv4':'1.0.0.0/24'},"
		/* overlaps [0] on the IPv4 side: longest prefix wins later */
		"{'ipv4':'1.0.0.128/25','ipv6':'2001:db8:4::/121'},"
		"{'ipv6':'2001:db8:5::1','ipv4':'192.0.2.1'},"
		/* overlaps [0] on the IPv6 side */
		"{'ipv6':'2001:db8:3::/122','ipv4':'198.51.100.0/26'}],"
		"'rfc6791v4':['203.0.113.8','198.51.100.64/29'],"
		"'rfc6791v6':'2001:db8:ffff::/64',"
		"'lowest_ipv6_mtu':1400,"
		"'mtu_plateaus':[1500,9000,68,1500,1280,65535,9000],"
		"'amend_udp_checksum_zero':true,"
		"'zeroize_traffic_class':true,"
		"'override_tos':0"));
	s = &c->siit;
	assert_int_equal(s->enabled, 1);
	assert_int_equal(s->has_pool6, 1);
	assert_ip6(s->pool6.addr, "64:ff9b::");
	assert_int_equal(s->pool6.len, 96);

	assert_int_equal(s->n_eamt, 4);
	assert_non_null(s->eamt);
	assert_ip6(s->eamt[0].p6.addr, "2001:db8:3::");
	assert_int_equal(s->eamt[0].p6.len, 120);
	assert_int_equal(s->eamt[0].p4.addr, 0x01000000);	/* host order */
	assert_int_equal(s->eamt[0].p4.len, 24);
	assert_ip6(s->eamt[1].p6.addr, "2001:db8:4::");
	assert_int_equal(s->eamt[1].p6.len, 121);
	assert_int_equal(s->eamt[1].p4.addr, 0x01000080);
	assert_int_equal(s->eamt[1].p4.len, 25);
	assert_ip6(s->eamt[2].p6.addr, "2001:db8:5::1");	/* plain addresses */
	assert_int_equal(s->eamt[2].p6.len, 128);
	assert_int_equal(s->eamt[2].p4.addr, 0xc0000201);
	assert_int_equal(s->eamt[2].p4.len, 32);
	assert_ip6(s->eamt[3].p6.addr, "2001:db8:3::");
	assert_int_equal(s->eamt[3].p6.len, 122);
	assert_int_equal(s->eamt[3].p4.addr, 0xc6336400);
	assert_int_equal(s->eamt[3].p4.len, 26);

	assert_int_equal(s->n_rfc6791v4, 2);
	assert_int_equal(s->rfc6791v4[0].addr, 0xcb007108);
	assert_int_equal(s->rfc6791v4[0].len, 32);
	assert_int_equal(s->rfc6791v4[1].addr, 0xc6336440);
	assert_int_equal(s->rfc6791v4[1].len, 29);
	assert_int_equal(s->has_rfc6791v6, 1);
	assert_ip6(s->rfc6791v6.addr, "2001:db8:ffff::");
	assert_int_equal(s->rfc6791v6.len, 64);

	assert_int_equal(s->lowest_ipv6_mtu, 1400);
	assert_int_equal(s->n_plateaus, N(plateaus));
	for (i = 0; i < N(plateaus); i++)
		assert_int_equal(s->mtu_plateaus[i], plateaus[i]);
	assert_int_equal(s->amend_udp_checksum_zero, 1);
	assert_int_equal(s->zeroize_traffic_class, 1);
	assert_int_equal(s->has_override_tos, 1);
	assert_int_equal(s->override_tos, 0);
	conf_free(c);
}

/* pool6 alone: everything else takes its default. */
static void
test_conf_load_siit_pool6_only_gets_defaults(void **state)
{
	const struct conf_siit *s;
	struct conf *c;

	(void)state;
	c = load_ok(SIIT("'pool6':'64:ff9b::/96'"));
	s = &c->siit;
	assert_int_equal(s->enabled, 1);
	assert_int_equal(s->has_pool6, 1);
	assert_int_equal(s->pool6.len, 96);
	assert_int_equal(s->n_eamt, 0);
	assert_null(s->eamt);
	assert_int_equal(s->n_rfc6791v4, 0);
	assert_int_equal(s->has_rfc6791v6, 0);
	assert_int_equal(s->lowest_ipv6_mtu, 1280);
	check_rfc1191_plateaus(s);
	assert_int_equal(s->amend_udp_checksum_zero, 1);
	assert_int_equal(s->zeroize_traffic_class, 0);
	assert_int_equal(s->has_override_tos, 0);
	conf_free(c);
}

/* RFC 6052 section 2.2: every allowed length, host bits zero. */
static void
test_conf_load_siit_pool6_every_rfc6052_length(void **state)
{
	static const struct {
		const char *addr;
		unsigned int len;
	} ok[] = {
		{ "2001:db8::", 32 }, { "2001:db8:100::", 40 },
		{ "2001:db8:122::", 48 }, { "2001:db8:122:300::", 56 },
		{ "2001:db8:122:344::", 64 }, { "64:ff9b::", 96 },
	};
	char json[256];
	struct conf *c;
	unsigned int i;

	(void)state;
	for (i = 0; i < N(ok); i++) {
		snprintf(json, sizeof(json), SIIT("'pool6':'%s/%u'"),
			 ok[i].addr, ok[i].len);
		c = load_ok(json);
		assert_int_equal(c->siit.has_pool6, 1);
		assert_int_equal(c->siit.pool6.len, ok[i].len);
		assert_ip6(c->siit.pool6.addr, ok[i].addr);
		conf_free(c);
	}
}

/* RFC 7757 section 3.3: no pool6, the EAMT alone; nulls are "none". */
static void
test_conf_load_siit_eamt_only(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok(SIIT("'pool6':null,'rfc6791v4':[],'rfc6791v6':null,"
			 "'eamt':[{'ipv6':'2001:db8:6::/96','ipv4':'0.0.0.0/0'}],"
			 "'mtu_plateaus':[1280]"));
	assert_int_equal(c->siit.enabled, 1);
	assert_int_equal(c->siit.has_pool6, 0);
	assert_int_equal(c->siit.n_eamt, 1);
	assert_int_equal(c->siit.eamt[0].p6.len, 96);
	assert_int_equal(c->siit.eamt[0].p4.addr, 0);
	assert_int_equal(c->siit.eamt[0].p4.len, 0);
	assert_int_equal(c->siit.n_rfc6791v4, 0);
	assert_int_equal(c->siit.has_rfc6791v6, 0);
	assert_int_equal(c->siit.n_plateaus, 1);
	assert_int_equal(c->siit.mtu_plateaus[0], 1280);
	conf_free(c);
}

/*
 * Next to a CLAT: pool6 may be left out or repeat the PLAT prefix (however
 * it is spelt); the EAMT and the other keys work as without one.
 */
static void
test_conf_load_siit_next_to_clat(void **state)
{
	static const char *const siit[] = {
		"'pool6':'64:ff9b:0:0::/96'",
		"'pool6':null,'eamt':null",
		"'eamt':[{'ipv6':'2001:db8:3::/120','ipv4':'1.0.0.0/24'}]",
	};
	char json[512];
	struct conf *c;
	unsigned int i;

	(void)state;
	for (i = 0; i < N(siit); i++) {
		snprintf(json, sizeof(json), "{" PORTS ",'siit':{%s},'clat':{"
			 "'clat_range':'fddd:1337:1337::/48'," PP ","
			 "'client_port':'lan4'}}", siit[i]);
		c = load_ok(json);
		assert_int_equal(c->siit.enabled, 1);
		assert_int_equal(c->clat.enabled, 1);
		assert_int_equal(c->siit.has_pool6, i == 0);
		assert_int_equal(c->siit.n_eamt, i == 2);
		conf_free(c);
	}
}

/* Room for a generated config of 'n' list entries. */
static char *
big_buf(unsigned int n, size_t *size)
{
	char *s;

	*size = 512 + (size_t)n * 80;
	s = malloc(*size);
	assert_non_null(s);
	return s;
}

/* 'n' EAM entries 2001:db8::h:l/128 <-> 10.0.h.l/32, none repeated. */
static char *
eamt_config(unsigned int n)
{
	size_t size, off;
	char *s = big_buf(n, &size);
	unsigned int i;

	off = (size_t)snprintf(s, size, "{" PORTS ",'siit':{'eamt':[");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, size - off,
					"%s{'ipv6':'2001:db8::%x:%x',"
					"'ipv4':'10.0.%u.%u'}", i ? "," : "",
					i >> 8, i & 0xff, i >> 8, i & 0xff);
	snprintf(s + off, size - off, "]}}");
	return s;
}

/* 'n' RFC 6791 addresses 10.1.0.i, or 'n' plateaus 68 + i. */
static char *
numbered_config(const char *key, unsigned int n)
{
	size_t size, off;
	char *s = big_buf(n, &size);
	unsigned int i, v4 = strcmp(key, "rfc6791v4") == 0;

	off = (size_t)snprintf(s, size, "{" PORTS ",'siit':{'pool6':"
			       "'64:ff9b::/96','%s':[", key);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, size - off,
					v4 ? "%s'10.1.0.%u'" : "%s%u",
					i ? "," : "", v4 ? i : 68 + i);
	snprintf(s + off, size - off, "]}}");
	return s;
}

static void
load_big(char *json, int want_ok, const char *want_err)
{
	char err[CONF_ERR_SIZE];
	struct conf *c;
	int rc = load_q(json, &c, err);

	free(json);
	if (want_ok) {
		if (rc != 0)
			print_error("unexpected error: %s\n", err);
		assert_int_equal(rc, 0);
		conf_free(c);
		return;
	}
	assert_int_equal(rc, -EINVAL);
	assert_null(c);
	assert_string_equal(err, want_err);
}

/* The tables are bounded: CONF_MAX_EAM, CONF_MAX_RFC6791, _PLATEAUS. */
static void
test_conf_load_siit_list_limits(void **state)
{
	char *s;
	struct conf *c;

	(void)state;
	s = eamt_config(CONF_MAX_EAM);
	c = load_ok(s);
	free(s);
	assert_int_equal(c->siit.n_eamt, CONF_MAX_EAM);
	assert_int_equal(c->siit.eamt[CONF_MAX_EAM - 1].p4.addr, 0x0a000fff);
	assert_int_equal(c->siit.eamt[CONF_MAX_EAM - 1].p6.addr[15], 0xff);
	assert_int_equal(c->siit.eamt[CONF_MAX_EAM - 1].p6.addr[13], 0x0f);
	conf_free(c);
	load_big(eamt_config(CONF_MAX_EAM + 1), 0,
		 "siit.eamt: at most 4096 entries");

	s = numbered_config("rfc6791v4", CONF_MAX_RFC6791);
	c = load_ok(s);
	free(s);
	assert_int_equal(c->siit.n_rfc6791v4, CONF_MAX_RFC6791);
	assert_int_equal(c->siit.rfc6791v4[CONF_MAX_RFC6791 - 1].addr,
			 0x0a010000 + CONF_MAX_RFC6791 - 1);
	conf_free(c);
	load_big(numbered_config("rfc6791v4", CONF_MAX_RFC6791 + 1), 0,
		 "siit.rfc6791v4: at most 64 entries");

	s = numbered_config("mtu_plateaus", CONF_MAX_PLATEAUS);
	c = load_ok(s);
	free(s);
	assert_int_equal(c->siit.n_plateaus, CONF_MAX_PLATEAUS);
	assert_int_equal(c->siit.mtu_plateaus[0], 68 + CONF_MAX_PLATEAUS - 1);
	assert_int_equal(c->siit.mtu_plateaus[CONF_MAX_PLATEAUS - 1], 68);
	conf_free(c);
	load_big(numbered_config("mtu_plateaus", CONF_MAX_PLATEAUS + 1), 0,
		 "siit.mtu_plateaus: at most 32 MTUs");
}

static void
test_conf_bad_siit(void **state)
{
	static const struct bad cases[] = {
		{ "{" PORTS ",'siit':[]}", "siit: []: must be an object" },
		{ SIIT("'foo':1"), "siit.foo: unknown key" },
		{ SIIT("'pool6':'64:ff9b::/96','zeroize_traffic_class':1"),
		  "siit.zeroize_traffic_class: 1: must be true or false" },
		{ SIIT("'pool6':'64:ff9b::/96','zeroize_traffic_class':'yes'"),
		  "siit.zeroize_traffic_class: 'yes': must be true or false" },
		{ SIIT("'pool6':'64:ff9b::/96','override_tos':256"),
		  "siit.override_tos: 256: must be between 0 and 255" },
		{ SIIT("'pool6':'64:ff9b::/96','override_tos':-1"),
		  "siit.override_tos: -1: must be between 0 and 255" },
		{ SIIT("'pool6':'64:ff9b::/96','override_tos':'0x20'"),
		  "siit.override_tos: '0x20': must be an integer" },

		/* pool6: RFC 6052 section 2.2 */
		{ SIIT("'pool6':'64:ff9b::/80'"),
		  "siit.pool6: '64:ff9b::/80': RFC 6052 prefix length must be "
		  "32, 40, 48, 56, 64 or 96" },
		{ SIIT("'pool6':'64:ff9b::/128'"),
		  "siit.pool6: '64:ff9b::/128': RFC 6052 prefix length" },
		{ SIIT("'pool6':'64:ff9b::1/96'"),
		  "siit.pool6: '64:ff9b::1/96': host bits set beyond /96" },
		{ SIIT("'pool6':'2001:db8:0:0:100::/64'"),
		  "siit.pool6: '2001:db8:0:0:100::/64': host bits set beyond /64" },
		{ SIIT("'pool6':'192.0.2.0/24'"),
		  "siit.pool6: '192.0.2.0/24': not an IPv6 prefix" },
		{ SIIT("'pool6':96"), "siit.pool6: 96: must be a string" },

		/* eamt: RFC 7757 */
		{ SIIT("'eamt':{}"), "siit.eamt: {}: must be a list" },
		{ SIIT("'eamt':[5]"), "siit.eamt[0]: 5: must be an object" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8::/120'}]"),
		  "siit.eamt[0].ipv4: missing" },
		{ SIIT("'eamt':[{'ipv4':'1.0.0.0/24'}]"),
		  "siit.eamt[0].ipv6: missing" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8::/120','ipv4':'1.0.0.0/24',"
		       "'ports':'1-9'}]"), "siit.eamt[0].ports: unknown key" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:1::/120','ipv4':'1.0.1.0/24'},"
		       "{'ipv6':'2001:db8:2::/120','ipv4':'1.0.2.0/24'},"
		       "{'ipv6':'2001:db8:3::/120','ipv4':'1.0.0.0/25'}]"),
		  "siit.eamt[2]: {'ipv6':'2001:db8:3::/120','ipv4':'1.0.0.0/25'}: "
		  "ipv6 /120 leaves 8 bits but ipv4 /25 leaves 7" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8::/64','ipv4':'1.0.0.0/8'}]"),
		  "siit.eamt[0]: {'ipv6':'2001:db8::/64','ipv4':'1.0.0.0/8'}: "
		  "ipv6 /64 leaves 64 bits but ipv4 /8 leaves 24" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8::1','ipv4':'1.0.0.0/24'}]"),
		  "siit.eamt[0]: {'ipv6':'2001:db8::1','ipv4':'1.0.0.0/24'}: "
		  "ipv6 /128 leaves 0 bits but ipv4 /24 leaves 8" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:3::1/120','ipv4':'1.0.0.0/24'}]"),
		  "siit.eamt[0].ipv6: '2001:db8:3::1/120': host bits set "
		  "beyond /120" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:3::/120','ipv4':'1.0.0.1/24'}]"),
		  "siit.eamt[0].ipv4: '1.0.0.1/24': host bits set beyond /24" },
		{ SIIT("'eamt':[{'ipv6':'1.0.0.0/24','ipv4':'1.0.0.0/24'}]"),
		  "siit.eamt[0].ipv6: '1.0.0.0/24': not an IPv6 prefix" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:3::/120','ipv4':'2001:db8::/24'}]"),
		  "siit.eamt[0].ipv4: '2001:db8::/24': not an IPv4 prefix" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:3::/120','ipv4':24}]"),
		  "siit.eamt[0].ipv4: 24: must be a string" },
		/* overlapping is fine, the same prefix twice is not */
		{ SIIT("'eamt':[{'ipv6':'2001:db8:1::/120','ipv4':'1.0.0.0/24'},"
		       "{'ipv6':'2001:db8:2::/120','ipv4':'1.0.0.0/24'}]"),
		  "siit.eamt[1].ipv4: '1.0.0.0/24': same prefix as "
		  "siit.eamt[0].ipv4" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:1::/120','ipv4':'1.0.0.0/24'},"
		       "{'ipv6':'2001:db8:2::/120','ipv4':'2.0.0.0/24'},"
		       "{'ipv6':'2001:db8:2::/120','ipv4':'3.0.0.0/24'}]"),
		  "siit.eamt[2].ipv6: '2001:db8:2::/120': same prefix as "
		  "siit.eamt[1].ipv6" },
		{ SIIT("'eamt':[{'ipv6':'2001:db8:1::5','ipv4':'1.0.0.5'},"
		       "{'ipv6':'2001:db8:2::5','ipv4':'1.0.0.5/32'}]"),
		  "siit.eamt[1].ipv4: '1.0.0.5/32': same prefix as "
		  "siit.eamt[0].ipv4" },

		/* rfc6791v4: RFC 7915 section 4.2, RFC 6791 */
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':'203.0.113.8'"),
		  "siit.rfc6791v4: '203.0.113.8': must be a list of IPv4 "
		  "addresses or prefixes" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':['203.0.113.8',8]"),
		  "siit.rfc6791v4[1]: 8: must be a string" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':['203.0.113.256']"),
		  "siit.rfc6791v4[0]: '203.0.113.256': not an IPv4 address or "
		  "prefix" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':['2001:db8::8']"),
		  "siit.rfc6791v4[0]: '2001:db8::8': not an IPv4 address or "
		  "prefix" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':['203.0.113.12/29']"),
		  "siit.rfc6791v4[0]: '203.0.113.12/29': host bits set beyond /29" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v4':['0.0.0.0/0']"),
		  "siit.rfc6791v4[0]: '0.0.0.0/0': prefix length must be 1..32" },

		/* rfc6791v6 */
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v6':'2001:db8::1/64'"),
		  "siit.rfc6791v6: '2001:db8::1/64': host bits set beyond /64" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v6':'::/0'"),
		  "siit.rfc6791v6: '::/0': prefix length must be 1..128" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v6':'203.0.113.0/24'"),
		  "siit.rfc6791v6: '203.0.113.0/24': not an IPv6 prefix" },
		{ SIIT("'pool6':'64:ff9b::/96','rfc6791v6':['2001:db8::/64']"),
		  "siit.rfc6791v6: ['2001:db8::/64']: must be a string" },

		/* MTUs: RFC 8200 section 5, RFC 1191 section 7 */
		{ SIIT("'pool6':'64:ff9b::/96','lowest_ipv6_mtu':1279"),
		  "siit.lowest_ipv6_mtu: 1279: must be between 1280 and 9000" },
		{ SIIT("'pool6':'64:ff9b::/96','lowest_ipv6_mtu':9001"),
		  "siit.lowest_ipv6_mtu: 9001: must be between 1280 and 9000" },
		{ SIIT("'pool6':'64:ff9b::/96','lowest_ipv6_mtu':'1280'"),
		  "siit.lowest_ipv6_mtu: '1280': must be an integer" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':[]"),
		  "siit.mtu_plateaus: []: must be a non-empty list of MTUs" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':1500"),
		  "siit.mtu_plateaus: 1500: must be a non-empty list of MTUs" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':null"),
		  "siit.mtu_plateaus: null: must be a non-empty list of MTUs" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':[1500,67]"),
		  "siit.mtu_plateaus[1]: 67: must be between 68 and 65535" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':[65536]"),
		  "siit.mtu_plateaus[0]: 65536: must be between 68 and 65535" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':['1500']"),
		  "siit.mtu_plateaus[0]: '1500': must be an integer" },
		{ SIIT("'pool6':'64:ff9b::/96','mtu_plateaus':[1500.0]"),
		  "siit.mtu_plateaus[0]: 1500.0: must be an integer" },
		{ SIIT("'pool6':'64:ff9b::/96','amend_udp_checksum_zero':1"),
		  "siit.amend_udp_checksum_zero: 1: must be true or false" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

/* Checks across sections, made once every section is read. */
static void
test_conf_bad_siit_cross_checks(void **state)
{
	static const struct bad cases[] = {
		{ SIIT(""), "siit: nothing to translate: give pool6 or eamt" },
		{ SIIT("'zeroize_traffic_class':true"),
		  "siit: nothing to translate: give pool6 or eamt" },
		{ SIIT("'pool6':null,'eamt':[],'rfc6791v4':['203.0.113.8']"),
		  "siit: nothing to translate: give pool6 or eamt" },
		/* without a CLAT: a translator between lan4 and mesh6 */
		{ "{'ports':[" LAN4 "],'siit':{'pool6':'64:ff9b::/96'}}",
		  "ports: no port with role mesh6: siit without clat translates "
		  "between a lan4 and a mesh6 port" },
		{ "{'ports':[" MESH "],'siit':{'eamt':[{'ipv6':'2001:db8::/120',"
		  "'ipv4':'1.0.0.0/24'}]}}",
		  "ports: no port with role lan4: siit without clat" },
		{ "{'ports':[{'name':'w','device':'d','role':'wan4'},"
		  "{'name':'v','device':'e','role':'wan6'}],"
		  "'siit':{'pool6':'64:ff9b::/96'}}",
		  "ports: no port with role lan4" },
		/* with one: the PLAT prefix is the pool6 */
		{ "{" PORTS ",'siit':{'pool6':'64:ff9b:1::/96'},'clat':{"
		  "'clat_range':'fddd:1337:1337::/48'," PP ","
		  "'client_port':'lan4'}}",
		  "siit.pool6: '64:ff9b:1::/96': must be absent or equal to "
		  "clat.plat_prefix: the CLAT" },
		{ "{" PORTS ",'siit':{'pool6':'64:ff9b::/64'},'clat':{"
		  "'clat_range':'fddd:1337:1337::/48'," PP ","
		  "'client_port':'lan4'}}",
		  "siit.pool6: '64:ff9b::/64': must be absent or equal to "
		  "clat.plat_prefix" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

#define CLAT(body) "{" PORTS ",'clat':{" body "}}"

static void
test_conf_bad_clat(void **state)
{
	static const struct bad cases[] = {
		{ CLAT("'clat_range':'fddd:1337:1337::/56','client_port':'lan4'"),
		  "clat.clat_range: 'fddd:1337:1337::/56': must be a /48" },
		{ CLAT("'clat_range':'fddd:1337::/32','client_port':'lan4'"),
		  "clat.clat_range: 'fddd:1337::/32': must be a /48" },
		{ CLAT("'clat_range':'fddd:1337:1337::1/48','client_port':'lan4'"),
		  "clat.clat_range: 'fddd:1337:1337::1/48': host bits set "
		  "beyond /48" },
		{ CLAT("'clat_range':'fddd:1337:1337::','client_port':'lan4'"),
		  "clat.clat_range: 'fddd:1337:1337::': must be a /48" },
		{ CLAT("'clat_range':'fddd:1337:1337:/48','client_port':'lan4'"),
		  "clat.clat_range: 'fddd:1337:1337:/48': not an IPv6 prefix" },
		{ CLAT("'clat_range':'10.0.0.0/8','client_port':'lan4'"),
		  "clat.clat_range: '10.0.0.0/8': not an IPv6 prefix" },
		{ CLAT("'clat_range':48,'client_port':'lan4'"),
		  "clat.clat_range: 48: must be a string" },
		{ CLAT("'client_port':'lan4'"),
		  "clat.clat_range: missing (or give clat_prefix)" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48',"
		       "'plat_range':'64:ff9b::/40','client_port':'lan4'"),
		  "clat.plat_range: '64:ff9b::/40': must be a /48" },
		{ CLAT("'clat_prefix':'fddd::/80','client_port':'lan4'"),
		  "clat.clat_prefix: 'fddd::/80': RFC 6052 prefix length must "
		  "be 32, 40, 48, 56, 64 or 96" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48',"
		       "'plat_prefix':'64:ff9b::/97','client_port':'lan4'"),
		  "clat.plat_prefix: '64:ff9b::/97': RFC 6052 prefix length" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48',"
		       "'plat_prefix':'64:ff9b::1/96','client_port':'lan4'"),
		  "clat.plat_prefix: '64:ff9b::1/96': host bits set beyond /96" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48'," PP),
		  "clat.client_port: missing" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48'," PP
		       ",'client_port':'nope'"),
		  "clat.client_port: 'nope': no port of that name" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48'," PP
		       ",'client_port':'mesh'"),
		  "clat.client_port: 'mesh': must name a port with role lan4" },
		{ CLAT("'clat_range':'fddd:1337:1337::/48','client_port':'lan4',"
		       "'pool4':[]"), "clat.pool4: unknown key" },
		{ "{" PORTS ",'clat':'on'}", "clat: 'on': must be an object" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

static void
test_conf_bad_workers_and_control(void **state)
{
	static const struct bad cases[] = {
		{ "{" PORTS ",'workers':{'lcores':'many'}}",
		  "workers.lcores: 'many': must be 'auto' or a number of "
		  "workers" },
		{ "{" PORTS ",'workers':{'lcores':0}}",
		  "workers.lcores: 0: must be between 1 and 128" },
		{ "{" PORTS ",'workers':{'lcores':129}}",
		  "workers.lcores: 129: must be between 1 and 128" },
		{ "{" PORTS ",'workers':{'lcores':true}}",
		  "workers.lcores: true: must be an integer" },
		{ "{" PORTS ",'workers':{'burst':0}}",
		  "workers.burst: 0: must be between 1 and 256" },
		{ "{" PORTS ",'workers':{'burst':257}}",
		  "workers.burst: 257: must be between 1 and 256" },
		{ "{" PORTS ",'workers':{'idle_sleep_us':-1}}",
		  "workers.idle_sleep_us: -1: must be between 0 and 100000" },
		{ "{" PORTS ",'workers':{'idle_sleep_us':100001}}",
		  "workers.idle_sleep_us: 100001: must be between 0 and 100000" },
		{ "{" PORTS ",'workers':{'threads':2}}",
		  "workers.threads: unknown key" },
		{ "{" PORTS ",'control':{'mode':'0999'}}",
		  "control.mode: '0999': must be an octal file mode such as "
		  "'0660'" },
		{ "{" PORTS ",'control':{'mode':'01777'}}",
		  "control.mode: '01777': must be an octal file mode" },
		{ "{" PORTS ",'control':{'mode':'rw'}}",
		  "control.mode: 'rw': must be an octal file mode" },
		{ "{" PORTS ",'control':{'mode':660}}",
		  "control.mode: 660: must be a string" },
		{ "{" PORTS ",'control':{'socket':''}}",
		  "control.socket: '': must not be empty" },
		{ "{" PORTS ",'control':{'path':'/x'}}",
		  "control.path: unknown key" },
		{ "{" PORTS ",'control':{'socket':'ctl.sock'}}",
		  "control.socket: 'ctl.sock': must be an absolute path" },
		{ "{" PORTS ",'control':{'max_clients':0}}",
		  "control.max_clients: 0: must be between 1 and 1024" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

/* An over-long value is cut in the message, which still names the key. */
static void
test_conf_bad_long_value_is_truncated_in_message(void **state)
{
	char json[1024], err[CONF_ERR_SIZE], *s;
	struct conf *c;
	int rc;

	(void)state;
	memset(err, 0, sizeof(err));
	snprintf(json, sizeof(json), "{" PORTS ",'control':{'socket':'/%0300d'}}",
		 0);
	s = q(json);
	rc = conf_load_string(s, "t", &c, err);
	free(s);
	assert_int_equal(rc, -EINVAL);
	assert_true(strncmp(err, "control.socket: \"/000", 21) == 0);
	assert_non_null(strstr(err, "...: longer than 255 characters"));
	assert_true(strlen(err) < 200);
}

/* --- JSON syntax --- */

static void
test_conf_invalid_json_reports_line_and_column(void **state)
{
	char err[CONF_ERR_SIZE];
	struct conf *c = NULL;
	int line, col, n = 0;

	(void)state;
	assert_int_equal(conf_load_string("{\"ports\": [}", "bad.json", &c, err),
			 -EINVAL);
	assert_null(c);
	assert_int_equal(sscanf(err, "bad.json:%d:%d: %n", &line, &col, &n), 2);
	assert_true(n > 0);
	assert_int_equal(line, 1);
	assert_int_equal(col, 12);

	assert_int_equal(conf_load_string("{\n  \"ports\": [\n    1,\n  }\n",
					  "bad.json", &c, err), -EINVAL);
	assert_int_equal(sscanf(err, "bad.json:%d:%d: %n", &line, &col, &n), 2);
	assert_int_equal(line, 4);
	assert_true(col > 0);

	assert_int_equal(conf_load_string("", "empty.json", &c, err), -EINVAL);
	assert_true(strncmp(err, "empty.json:1:", 13) == 0);
}

/* The same key twice is an error, not "the last one wins". */
static void
test_conf_duplicate_keys_are_rejected(void **state)
{
	static const char *const cases[] = {
		"{'ports':[" LAN4 "],'ports':[" MESH "]}",
		"{'ports':[{'name':'a','name':'b','device':'d','role':'lan4'}]}",
		"{" PORTS ",'workers':{'burst':8,'burst':16}}",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char err[CONF_ERR_SIZE];
		struct conf *c;

		assert_int_equal(load_q(cases[i], &c, err), -EINVAL);
		assert_null(c);
		assert_true(strncmp(err, "test.json:1:", 12) == 0);
		assert_non_null(strstr(err, "duplicate"));
	}
}

/* --- shared parsers --- */

static void
test_conf_parse_pfx4(void **state)
{
	static const char *const bad[] = { "", "/8", "10.0.0.0/", "10.0.0.0/33",
		"10.0.0.0/-1", "10.0.0.0/8x", "10.0.0/8", "10.0.0.0.0/8",
		"::/0", "10.0.0.0/8/8", "010.000.000.000/8",
		"255.255.255.255/32255.255.255.255/32" };
	struct pkt_pfx4 p;
	unsigned int i;

	(void)state;
	assert_int_equal(conf_parse_pfx4("192.0.2.0/24", &p), 0);
	assert_int_equal(p.addr, 0xc0000200);
	assert_int_equal(p.len, 24);
	assert_int_equal(conf_parse_pfx4("192.0.2.1", &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(conf_parse_pfx4("0.0.0.0/0", &p), 0);
	assert_int_equal(p.len, 0);
	for (i = 0; i < N(bad); i++) {
		if (conf_parse_pfx4(bad[i], &p) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad[i]);
			fail();
		}
	}
}

static void
test_conf_parse_pfx6(void **state)
{
	static const char *const bad[] = { "", "/64", "2001:db8::/",
		"2001:db8::/129", "2001:db8::/-1", "2001:db8::/64x",
		"2001:db8:::/64", "10.0.0.0/8", "2001:db8::/64/64",
		"1:2:3:4:5:6:7:8:9/64" };
	struct pkt_pfx6 p;
	unsigned int i;

	(void)state;
	assert_int_equal(conf_parse_pfx6("2001:db8::/32", &p), 0);
	assert_ip6(p.addr, "2001:db8::");
	assert_int_equal(p.len, 32);
	assert_int_equal(conf_parse_pfx6("::1", &p), 0);
	assert_int_equal(p.len, 128);
	assert_int_equal(conf_parse_pfx6("64:ff9b::192.0.2.33/128", &p), 0);
	assert_int_equal(p.addr[15], 33);
	for (i = 0; i < N(bad); i++) {
		if (conf_parse_pfx6(bad[i], &p) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad[i]);
			fail();
		}
	}
}

/* A prefix length is digits only: no sign, no blanks. */
static void
test_conf_parse_pfx_rejects_sign_and_space_in_length(void **state)
{
	static const char *const bad4[] = { "192.0.2.0/ 24", "192.0.2.0/+24",
					    "192.0.2.0/\t24" };
	static const char *const bad6[] = { "2001:db8::/ 32", "2001:db8::/+32" };
	struct pkt_pfx4 p4;
	struct pkt_pfx6 p6;
	unsigned int i, n = 0;

	(void)state;
	for (i = 0; i < N(bad4); i++) {
		if (conf_parse_pfx4(bad4[i], &p4) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad4[i]);
			n++;
		}
	}
	for (i = 0; i < N(bad6); i++) {
		if (conf_parse_pfx6(bad6[i], &p6) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad6[i]);
			n++;
		}
	}
	assert_int_equal(n, 0);
}

static void
test_conf_parse_mac(void **state)
{
	static const char *const bad[] = { "", "12:34:56:78:9a",
		"12:34:56:78:9a:bc:de", "12:34:56:78:9a:bcd", "123:4:56:78:9a:bc",
		"12-34-56-78-9a-bc", "12:34:56:78:9a:bg", "12:34:56:78:9a:bc ",
		"1234.5678.9abc" };
	static const uint8_t want[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };
	uint8_t mac[6];
	unsigned int i;

	(void)state;
	assert_int_equal(conf_parse_mac("12:34:56:78:9a:bc", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_int_equal(conf_parse_mac("12:34:56:78:9A:BC", mac), 0);
	assert_memory_equal(mac, want, 6);
	for (i = 0; i < N(bad); i++) {
		if (conf_parse_mac(bad[i], mac) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad[i]);
			fail();
		}
	}
}

/* Six pairs of hex digits: sscanf's sign and blank skipping do not count. */
static void
test_conf_parse_mac_rejects_sign_and_space(void **state)
{
	static const char *const bad[] = { "12:34:56:78:9a:-1",
		"12:34:56:78:9a:+b", " 2:34:56:78:9a:bc", "12: 4:56:78:9a:bc" };
	uint8_t mac[6];
	unsigned int i, n = 0;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		if (conf_parse_mac(bad[i], mac) != -EINVAL) {
			print_error("accepted \"%s\"\n", bad[i]);
			n++;
		}
	}
	assert_int_equal(n, 0);
}

static void
test_conf_role_names(void **state)
{
	(void)state;
	assert_string_equal(conf_role_name(CONF_ROLE_LAN4), "lan4");
	assert_string_equal(conf_role_name(CONF_ROLE_MESH6), "mesh6");
	assert_string_equal(conf_role_name(CONF_ROLE_WAN4), "wan4");
	assert_string_equal(conf_role_name(CONF_ROLE_WAN6), "wan6");
	assert_string_equal(conf_role_name(CONF_ROLE_MAX), "?");
}

static void
test_conf_clat_without_plat_prefix_waits_for_the_control_socket(void **state)
{
	struct conf *c = NULL, *d;
	char err[CONF_ERR_SIZE] = "";

	(void)state;
	assert_int_equal(load_q("{" PORTS ",'clat':{'clat_range':"
				"'fddd:1337:1337::/48','client_port':'lan4'},"
				"'routes':[{'prefix':'::/0','port':'mesh',"
				"'via':'fe80::1'}]}", &c, err), 0);
	assert_int_equal(c->clat.enabled, 1);
	assert_int_equal(c->clat.has_plat_prefix, 0);
	/* and a deep copy is equal but shares nothing */
	d = conf_dup(c);
	assert_non_null(d);
	assert_int_equal(d->n_routes, 1);
	assert_ptr_not_equal(d->routes, c->routes);
	assert_memory_equal(d->routes, c->routes, sizeof(*c->routes));
	conf_free(c);
	conf_free(d);
}

#define PLAT(body) "{" PORTS ",'plat':{" body "}}"
#define POOL "'pool4':[{'prefix':'10.23.0.9/32','ports':'9000-10000'}]"

static void
test_conf_load_plat_full_section(void **state)
{
	struct conf *c = NULL, *d;
	char err[CONF_ERR_SIZE] = "";
	const struct conf_plat *k;

	(void)state;
	assert_int_equal(load_q(PLAT("'plat_range':'64:ff9b:1::/48',"
		"'pool4':[{'prefix':'10.23.0.9/32','ports':'9000-10000',"
		"'protocols':['tcp','udp']},{'prefix':'10.23.1.0/24',"
		"'protocols':['icmp']}],'max_sessions':1000,"
		"'max_sessions_per_client':10,'block_size':32,"
		"'address_dependent_filtering':true,'timeouts':{'udp':120,"
		"'tcp_est':8000,'tcp_trans':300,'tcp_syn_hold':6,'icmp':61},"
		"'static_bib':[{'ipv6':'2001:db8::5','port6':2000,"
		"'ipv4':'10.23.0.9','port4':9500,'protocol':'tcp'}],"
		"'snapshot':'/var/lib/meshxlat/plat.snap',"
		"'block_log':'/var/log/blocks.log'"), &c, err), 0);
	k = &c->plat;
	assert_int_equal(k->enabled, 1);
	assert_int_equal(k->has_plat_prefix, 0);
	assert_int_equal(k->plat_range.len, 48);
	assert_int_equal(k->mesh_port, 1);	/* the mesh6 port */
	assert_int_equal(k->n_pool4, 2);
	assert_int_equal(k->pool4[0].pfx.addr, 0x0a170009);
	assert_int_equal(k->pool4[0].port_lo, 9000);
	assert_int_equal(k->pool4[0].port_hi, 10000);
	assert_int_equal(k->pool4[0].protos, CONF_PROTO_TCP | CONF_PROTO_UDP);
	assert_int_equal(k->pool4[1].port_lo, 1024);
	assert_int_equal(k->pool4[1].protos, CONF_PROTO_ICMP);
	assert_int_equal(k->max_sessions, 1000);
	assert_int_equal(k->max_sessions_per_client, 10);
	assert_int_equal(k->block_size, 32);
	assert_int_equal(k->adf, 1);
	assert_int_equal(k->t_udp, 120);
	assert_int_equal(k->t_tcp_est, 8000);
	assert_int_equal(k->t_icmp, 61);
	assert_int_equal(k->n_static, 1);
	assert_int_equal(k->static_bib[0].port4, 9500);
	assert_int_equal(k->static_bib[0].proto, PKT_PROTO_TCP);
	assert_string_equal(k->snapshot, "/var/lib/meshxlat/plat.snap");
	d = conf_dup(c);
	assert_non_null(d);
	assert_ptr_not_equal(d->plat.static_bib, c->plat.static_bib);
	assert_memory_equal(d->plat.static_bib, c->plat.static_bib,
			    sizeof(*c->plat.static_bib));
	conf_free(d);
	conf_free(c);

	/* The defaults of RFC 6146 section 4 and seed 003. */
	assert_int_equal(load_q(PLAT("'plat_prefix':'64:ff9b::/96'," POOL),
				&c, err), 0);
	k = &c->plat;
	assert_int_equal(k->has_plat_prefix, 1);
	assert_int_equal(k->max_sessions, 1u << 20);
	assert_int_equal(k->max_sessions_per_client, 2048);
	assert_int_equal(k->block_size, 64);
	assert_int_equal(k->t_udp, 300);
	assert_int_equal(k->t_tcp_est, 7440);
	assert_int_equal(k->t_tcp_trans, 240);
	assert_int_equal(k->t_syn_hold, 6);
	assert_int_equal(k->t_icmp, 60);
	assert_int_equal(k->adf, 0);
	conf_free(c);
}

static void
test_conf_bad_plat(void **state)
{
	static const struct bad cases[] = {
		{ PLAT(POOL), "plat.plat_range: missing (or give plat_prefix)" },
		{ PLAT("'plat_range':'64:ff9b::/40'," POOL),
		  "plat.plat_range: '64:ff9b::/40': must be a /48" },
		{ PLAT("'plat_prefix':'64:ff9b::/97'," POOL),
		  "plat.plat_prefix: '64:ff9b::/97'" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'"),
		  "plat.pool4: missing" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[]"),
		  "plat.pool4: []: missing" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[{'prefix':"
		       "'10.0.0.0/8'}]"),
		  "plat.pool4[0].prefix: '10.0.0.0/8': at most a /16" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[{'prefix':"
		       "'10.23.0.9/32','ports':'9000-800'}]"),
		  "plat.pool4[0].ports: '9000-800': range is empty" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[{'prefix':"
		       "'10.23.0.9/32','ports':'0-80'}]"),
		  "plat.pool4[0].ports: '0-80': must be a port or a range" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[{'prefix':"
		       "'10.23.0.9/32','protocols':['sctp']}]"),
		  "plat.pool4[0].protocols[0]: 'sctp': must be \"tcp\"" },
		{ PLAT("'plat_prefix':'64:ff9b::/96','pool4':[{'prefix':"
		       "'10.23.0.0/24','ports':'9000-9100'},{'prefix':"
		       "'10.23.0.9/32','ports':'9050-9060'}]"),
		  "plat.pool4[1]: overlaps pool4[0]" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'timeouts':"
		       "{'udp':60}"),
		  "plat.timeouts.udp: 60: must be between 120 and 604800" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'timeouts':"
		       "{'tcp_est':100}"),
		  "plat.timeouts.tcp_est: 100: must be between 7440" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'static_bib':"
		       "[{'ipv6':'2001:db8::5','port6':1,'ipv4':'10.23.0.9',"
		       "'port4':80,'protocol':'tcp'}]"),
		  "plat.static_bib[0].port4: 80: ipv4:port4 is in no "
		  "plat.pool4 entry serving tcp" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'static_bib':"
		       "[{'ipv6':'10.0.0.1','port6':1,'ipv4':'10.23.0.9',"
		       "'port4':9001,'protocol':'tcp'}]"),
		  "plat.static_bib[0].ipv6: '10.0.0.1': not an IPv6 address" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'static_bib':"
		       "[{'ipv6':'2001:db8::5','port6':1,'ipv4':'2001:db8::9',"
		       "'port4':9001,'protocol':'tcp'}]"),
		  "plat.static_bib[0].ipv4: '2001:db8::9': not an IPv4 "
		  "address" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL
		       ",'snapshot':'plat.snap'"),
		  "plat.snapshot: 'plat.snap': must be an absolute path" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL ",'nat':1"),
		  "plat.nat: unknown key" },
		{ PLAT("'plat_prefix':'64:ff9b::/96'," POOL
		       ",'max_sessions':0"),
		  "plat.max_sessions: 0: must be between 1" },
		{ "{'ports':[" LAN4 "],'plat':{'plat_range':'64:ff9b:1::/48',"
		  POOL "}}", "plat.mesh_port: missing: no port with role "
		  "mesh6" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

#define FWC(body) "{" PORTS ",'firewall':{" body "}}"

/* Seed 002's rule as users have it, and the JSON object form. */
static void
test_conf_load_firewall(void **state)
{
	struct conf *c = NULL, *d;
	char err[CONF_ERR_SIZE] = "";
	const struct fw_rule *r;

	(void)state;
	assert_int_equal(load_q(FWC("'default_inbound':'drop',"
		"'interfaces':{'br-lan':'lan4'},"
		"'chains':{'zone_lan_forward':'forward'},"
		"'icmpv6_allow':['packet-too-big','echo-request','1/4'],"
		"'rules':['-A forwarding_rule -d ::1234:5678:abcd:ef01/"
		"::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment "
		"--comment \\'Inbound-HTTPS\\' -o br-lan -j ACCEPT',"
		"{'chain':'zone_lan_forward','dst':'! 2001:db8::/32',"
		"'proto':'udp','dport':'53,123','target':'REJECT',"
		"'reject_with':'icmp6-port-unreachable'},"
		"{'chain':'input','proto':'tcp','dport':22,'state':'NEW',"
		"'target':'ACCEPT'}],"
		"'conntrack':{'max_entries':1024,'udp':60},'log_rate':5"),
		&c, err), 0);
	assert_int_equal(c->firewall.enabled, 1);
	assert_int_equal(c->firewall.n_ifaliases, 1);
	assert_string_equal(c->firewall.ifaliases[0].name, "br-lan");
	assert_int_equal(c->firewall.ifaliases[0].port, 0);
	assert_int_equal(fw_ruleset_count(c->firewall.rs, FW_CHAIN_FORWARD),
			 2);
	assert_int_equal(fw_ruleset_count(c->firewall.rs, FW_CHAIN_INPUT), 1);
	r = fw_ruleset_rule(c->firewall.rs, FW_CHAIN_FORWARD, 1);
	assert_int_equal(r->target, FW_TARGET_REJECT);
	assert_int_equal(c->firewall.rs->n_icmp6_allow, 3);
	assert_int_equal(c->firewall.conn.capacity, 1024);
	assert_int_equal(c->firewall.conn.udp, 60);
	assert_int_equal(c->firewall.log_rate, 5);
	d = conf_dup(c);
	assert_non_null(d);
	assert_ptr_not_equal(d->firewall.rs, c->firewall.rs);
	assert_int_equal(fw_ruleset_count(d->firewall.rs, FW_CHAIN_FORWARD),
			 2);
	conf_free(d);
	conf_free(c);
}

static void
test_conf_bad_firewall(void **state)
{
	static const struct bad cases[] = {
		{ FWC("'rules':['-A FORWARD -p tcp --dport 70000 -j ACCEPT']"),
		  "firewall.rules[0]: column 19: " },
		{ FWC("'rules':[{'chain':'forward','dport':'80','target':"
		      "'ACCEPT'}]"),
		  "firewall.rules[0]: " },
		{ FWC("'rules':[{'chain':'nowhere','target':'ACCEPT'}]"),
		  "firewall.rules[0].chain: 'nowhere': unknown chain" },
		{ FWC("'rules':[{'chain':'input','target':'ACCEPT','x':1}]"),
		  "firewall.rules[0].x: unknown key" },
		{ FWC("'default_inbound':'maybe'"),
		  "firewall.default_inbound: 'maybe': must be \"drop\"" },
		{ FWC("'icmpv6_allow':['no-such-type']"),
		  "firewall.icmpv6_allow[0]: 'no-such-type': " },
		{ FWC("'interfaces':{'br-lan':'nope'}"),
		  "firewall.interfaces.br-lan: 'nope': no port of that name" },
		{ FWC("'conntrack':{'max_entries':1}"),
		  "firewall.conntrack.max_entries: 1: must be between 64" },
		{ FWC("'rules':'-A FORWARD -j DROP'"),
		  "firewall.rules: '-A FORWARD -j DROP': must be a list" },
	};

	(void)state;
	check_bad(cases, N(cases));
}

static void
test_conf_free_null_is_noop(void **state)
{
	(void)state;
	conf_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_load_valid_config_fills_every_field),
		cmocka_unit_test(test_conf_load_minimal_config_gets_defaults),
		cmocka_unit_test(test_conf_load_null_override_tos_and_numeric_lcores),
		cmocka_unit_test(test_conf_load_clat_prefix_without_range_any_key_order),
		cmocka_unit_test(test_conf_load_file_reads_the_same),
		cmocka_unit_test(test_conf_load_file_missing_names_the_path),
		cmocka_unit_test(test_conf_bad_top_level),
		cmocka_unit_test(test_conf_bad_ports),
		cmocka_unit_test(test_conf_bad_duplicate_port_name_or_device),
		cmocka_unit_test(test_conf_bad_routes),
		cmocka_unit_test(test_conf_bad_neighbours),
		cmocka_unit_test(test_conf_load_siit_full_section),
		cmocka_unit_test(test_conf_load_siit_pool6_only_gets_defaults),
		cmocka_unit_test(test_conf_load_siit_pool6_every_rfc6052_length),
		cmocka_unit_test(test_conf_load_siit_eamt_only),
		cmocka_unit_test(test_conf_load_siit_next_to_clat),
		cmocka_unit_test(test_conf_load_siit_list_limits),
		cmocka_unit_test(test_conf_bad_siit),
		cmocka_unit_test(test_conf_bad_siit_cross_checks),
		cmocka_unit_test(test_conf_bad_clat),
		cmocka_unit_test(test_conf_bad_workers_and_control),
		cmocka_unit_test(test_conf_bad_long_value_is_truncated_in_message),
		cmocka_unit_test(test_conf_invalid_json_reports_line_and_column),
		cmocka_unit_test(test_conf_duplicate_keys_are_rejected),
		cmocka_unit_test(test_conf_parse_pfx4),
		cmocka_unit_test(test_conf_parse_pfx6),
		cmocka_unit_test(test_conf_parse_pfx_rejects_sign_and_space_in_length),
		cmocka_unit_test(test_conf_parse_mac),
		cmocka_unit_test(test_conf_parse_mac_rejects_sign_and_space),
		cmocka_unit_test(test_conf_role_names),
		cmocka_unit_test(test_conf_clat_without_plat_prefix_waits_for_the_control_socket),
		cmocka_unit_test(test_conf_load_plat_full_section),
		cmocka_unit_test(test_conf_bad_plat),
		cmocka_unit_test(test_conf_load_firewall),
		cmocka_unit_test(test_conf_bad_firewall),
		cmocka_unit_test(test_conf_free_null_is_noop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
