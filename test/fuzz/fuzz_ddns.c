/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the outside input of meshxlat-ddns (app/agents/ddns,
 * pure part). The first byte chooses the parser, the rest is its input:
 *
 *   0  the agent's JSON config; a loaded one must keep its promises
 *      (absolute names, counts in bounds) and its nsupdate script must
 *      have exactly one line per command: nothing in a config can add
 *      an nsupdate command
 *   1  a line from meshxlat's control socket (events, prefix.get reply),
 *      and the same bytes as a stream split into lines (2nd byte: the
 *      longest line kept, minus 1)
 *   2  a BIND key file
 *   3  nsupdate output, 4  dig output (exit status from the 2nd byte)
 *   5  an rtnetlink address dump, then the address choice
 * Errors must come with a terminated message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddns.h"

#include "fuzz.h"

static void
check_conf(const struct ddns_conf *c)
{
	static char script[DDNS_MAX_HOSTS * 2 * (DDNS_NAME_SIZE + 64) + 1024];
	unsigned int which[DDNS_MAX_HOSTS], i, lines = 0;
	uint8_t addrs[DDNS_MAX_HOSTS][16];
	size_t zl = strlen(c->zone);
	int len;

	CHECK(zl > 0 && c->zone[zl - 1] == '.');
	CHECK(c->n_hosts >= 1 && c->n_hosts <= DDNS_MAX_HOSTS);
	CHECK(c->retry_min_ms <= c->retry_max_ms);
	for (i = 0; i < c->n_hosts; i++) {
		size_t fl = strlen(c->hosts[i].fqdn);

		CHECK(fl > 0 && c->hosts[i].fqdn[fl - 1] == '.');
		which[i] = i;
		memset(addrs[i], (int)i, 16);
	}
	len = ddns_nsupdate_script(c, which, (const uint8_t (*)[16])addrs,
				   c->n_hosts, script, sizeof(script));
	CHECK(len > 0 && (size_t)len == strlen(script));
	for (i = 0; i < (unsigned int)len; i++)
		if (script[i] == '\n')
			lines++;
	CHECK(lines == 2 + 2 * c->n_hosts + 1);
}

/* A line of the stream: within the bound, and through the parser. */
static void
fuzz_line(const char *line, size_t len, void *arg)
{
	const struct ddns_lines *l = arg;
	struct ddns_prefix p;
	char why[128];

	CHECK(len > 0 && len <= l->max && memchr(line, '\n', len) == NULL);
	ddns_ctl_line(line, len, "lan6", 2, &p, why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[DDNS_ERR_SIZE], why[256];
	static struct ddns_conf c;
	const char *text;
	size_t len;

	if (size < 2)
		return 0;
	text = (const char *)data + 2;
	len = size - 2;
	switch (data[0] % 6) {
	case 0:
		if (ddns_conf_load_string(text, len, "fuzz", &c, err) == 0)
			check_conf(&c);
		else
			CHECK(memchr(err, 0, sizeof(err)) != NULL && err[0]);
		break;
	case 1: {
		struct ddns_prefix p;
		enum ddns_msg m = ddns_ctl_line(text, len, "lan6", 2, &p, why,
						sizeof(why));

		CHECK(m == DDNS_MSG_PREFIX || m == DDNS_MSG_REFRESH ||
		      m == DDNS_MSG_OTHER || m == DDNS_MSG_BAD);
		CHECK(memchr(why, 0, sizeof(why)) != NULL);
		if (m != DDNS_MSG_PREFIX)
			CHECK(!p.present);
		if (p.present)
			CHECK(p.len == 64);
		/* The same bytes as a stream, in two pieces, lines of at
		 * most 1..256 bytes. */
		{
			struct ddns_lines l = { .max = 1 + data[1] };
			size_t cut = len / 2;

			CHECK(ddns_lines_feed(&l, text, cut, fuzz_line, &l) >= 0);
			CHECK(ddns_lines_feed(&l, text + cut, len - cut,
					      fuzz_line, &l) >= 0);
			ddns_lines_free(&l);
		}
		break;
	}
	case 2: {
		char name[64], alg[32];

		if (ddns_key_parse(text, len, name, sizeof(name), alg,
				   sizeof(alg), why, sizeof(why)) == 0)
			CHECK(name[0] != '\0' && alg[0] != '\0');
		else
			CHECK(why[0] != '\0');
		break;
	}
	case 3: {
		enum ddns_result r = ddns_nsupdate_result((int8_t)data[1],
							  text, len, why,
							  sizeof(why));

		CHECK(r == DDNS_OK || r == DDNS_RETRY || r == DDNS_AUTH);
		CHECK(why[0] != '\0');
		break;
	}
	case 4: {
		uint8_t addrs[4][16];
		unsigned int n;

		if (ddns_dig_parse((int8_t)data[1], text, len,
				   "nas.home.example.", addrs, 4, &n, why,
				   sizeof(why)) == DDNS_OK)
			CHECK(n <= 4);
		else
			CHECK(n == 0);
		break;
	}
	case 5: {
		struct ddns_ifaddr a[8];
		unsigned int n = 0;
		void *buf = malloc(len + 1);
		int best;

		/* An aligned copy, as recv() into our buffer gives. */
		if (buf == NULL)
			return 0;
		memcpy(buf, text, len);
		ddns_nl_addrs(buf, len, data[1] % 4, a, 8, &n);
		CHECK(n <= 8);
		best = ddns_pick_addr(a, n);
		CHECK(best >= -1 && best < (int)n);
		free(buf);
		break;
	}
	}
	return 0;
}
