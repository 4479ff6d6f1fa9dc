/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: conf_load_string() on arbitrary text, then
 * conf_free(), so LeakSanitizer reports anything the loader forgets on
 * any error path. A loaded config must hold what conf.h promises (counts
 * within their bounds, references to existing ports); an error must come
 * with a terminated message. Short inputs also go through the parsers
 * the CLI and RPC share (conf_parse_pfx4/pfx6/mac).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#include "fuzz.h"

static void
check_conf(const struct conf *c)
{
	unsigned int i;

	CHECK(c->n_ports <= CONF_MAX_PORTS);
	for (i = 0; i < c->n_ports; i++) {
		const struct conf_port *p = &c->ports[i];

		CHECK(memchr(p->name, 0, sizeof(p->name)) != NULL);
		CHECK(memchr(p->device, 0, sizeof(p->device)) != NULL);
		CHECK(memchr(p->kernel_mirror, 0,
			     sizeof(p->kernel_mirror)) != NULL);
		CHECK(p->role < CONF_ROLE_MAX);
		CHECK(p->n_ip4 <= CONF_MAX_ADDRS && p->n_ip6 <= CONF_MAX_ADDRS);
		CHECK(conf_port_index(c, p->name) == (int)i);
	}
	for (i = 0; i < c->n_routes; i++) {
		CHECK(c->routes[i].family == 4 || c->routes[i].family == 6);
		CHECK(c->routes[i].port < c->n_ports);
	}
	for (i = 0; i < c->n_neighs; i++) {
		CHECK(c->neighs[i].family == 4 || c->neighs[i].family == 6);
		CHECK(c->neighs[i].port < c->n_ports);
	}
	if (c->clat.enabled)
		CHECK(c->clat.client_port < c->n_ports);
	CHECK(c->siit.n_eamt <= CONF_MAX_EAM);
	for (i = 0; i < c->siit.n_eamt; i++)
		CHECK(128u - c->siit.eamt[i].p6.len ==
		      32u - c->siit.eamt[i].p4.len);
	CHECK(c->siit.n_rfc6791v4 <= CONF_MAX_RFC6791);
	CHECK(c->siit.n_plateaus <= CONF_MAX_PLATEAUS);
	for (i = 1; i < c->siit.n_plateaus; i++)
		CHECK(c->siit.mtu_plateaus[i] < c->siit.mtu_plateaus[i - 1]);
	CHECK(memchr(c->control.socket, 0, sizeof(c->control.socket)) != NULL);
}

static void
short_parsers(const char *s)
{
	struct pkt_pfx4 p4;
	struct pkt_pfx6 p6;
	uint8_t mac[PKT_ETH_ALEN];

	if (conf_parse_pfx4(s, &p4) == 0)
		CHECK(p4.len <= 32);
	if (conf_parse_pfx6(s, &p6) == 0)
		CHECK(p6.len <= 128);
	(void)conf_parse_mac(s, mac);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONF_ERR_SIZE];
	struct conf *c = NULL;
	char *s;
	int rc;

	if (size > 256 * 1024)
		return 0;
	s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	memset(err, 0x7f, sizeof(err));
	rc = conf_load_string(s, "fuzz", &c, err);
	if (rc == 0) {
		CHECK(c != NULL);
		check_conf(c);
		conf_free(c);
	} else {
		CHECK(rc < 0);
		CHECK(memchr(err, 0, sizeof(err)) != NULL);
	}
	if (size < 64)
		short_parsers(s);
	free(s);
	return 0;
}
