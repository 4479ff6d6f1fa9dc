/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * babeld's local configuration interface (babeld(8), "LOCAL CONFIGURATION
 * INTERFACE"), the lines the agent cares about, and the table of routes
 * they describe. After "monitor", babeld dumps what it knows and then
 * reports every change, one line each:
 *
 *   add route 55e1eec80890 prefix fd64:1:2:3:4:5::/96 from ::/0
 *       installed yes id 4c:b4:36:27:9f:28:71:d9 metric 224 refmetric 128
 *       via fe80::a882:78ff:fe05:502b if v1
 *   change route 55e1eec80890 ... (the same fields)
 *   flush route 55e1eec80890 ...
 *
 * The first word after "route" names the route (one per neighbour and
 * prefix); "installed yes" marks the one babeld selected and put into the
 * kernel. The PLAT candidates are the installed routes of seed 003's
 * plat_range with a /96 prefix.
 */
#include "mesh.h"

#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#define TOK_MAX		64
#define MAX_TOKS	32

/* Split 'line' into words (at most MAX_TOKS, each < TOK_MAX bytes; a
 * longer word makes the line bad). Returns the count, or -1. */
static int
split(const char *line, size_t len, char tok[][TOK_MAX])
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		size_t s;

		while (i < len && (line[i] == ' ' || line[i] == '\t' ||
				   line[i] == '\r'))
			i++;
		if (i >= len)
			break;
		s = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' &&
		       line[i] != '\r')
			i++;
		if (n >= MAX_TOKS || i - s >= TOK_MAX)
			return -1;
		memcpy(tok[n], line + s, i - s);
		tok[n][i - s] = '\0';
		n++;
	}
	return n;
}

/* "a/len": IPv6 into 'p' (family 6), or an IPv4 prefix (family 4, not
 * kept). 0, or -1. */
static int
parse_pfx(const char *s, struct pkt_pfx6 *p, uint8_t *family)
{
	char addr[TOK_MAX], *end;
	const char *slash = strchr(s, '/');
	unsigned long len;
	uint8_t a4[4];

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr) ||
	    slash[1] < '0' || slash[1] > '9')
		return -1;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0')
		return -1;
	if (inet_pton(AF_INET6, addr, p->addr) == 1 && len <= 128) {
		p->len = (uint8_t)len;
		*family = 6;
		return 0;
	}
	if (inet_pton(AF_INET, addr, a4) == 1 && len <= 32) {
		memset(p, 0, sizeof(*p));
		*family = 4;
		return 0;
	}
	return -1;
}

static int
parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return -1;
	x = strtoul(s, &end, 10);
	if (*end != '\0' || x > 0xffffffffUL)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

enum mesh_babel_verb
mesh_babel_parse(const char *line, size_t len, struct mesh_babel_route *r,
		 int *bad)
{
	char tok[MAX_TOKS][TOK_MAX];
	enum mesh_babel_verb v;
	int n, i, have_prefix = 0, have_metric = 0;
	uint8_t fam_from;

	*bad = 0;
	n = split(line, len, tok);
	if (n < 0) {
		*bad = 1;
		return MESH_BABEL_OTHER;
	}
	if (n == 1 && strcmp(tok[0], "ok") == 0)
		return MESH_BABEL_OK;
	if (n >= 1 && (strcmp(tok[0], "no") == 0 || strcmp(tok[0], "bad") == 0))
		return MESH_BABEL_BAD;
	if (n < 3 || strcmp(tok[1], "route") != 0)
		return MESH_BABEL_OTHER;
	if (strcmp(tok[0], "add") == 0)
		v = MESH_BABEL_ADD;
	else if (strcmp(tok[0], "change") == 0)
		v = MESH_BABEL_CHANGE;
	else if (strcmp(tok[0], "flush") == 0)
		v = MESH_BABEL_FLUSH;
	else
		return MESH_BABEL_OTHER;

	memset(r, 0, sizeof(*r));
	if (strlen(tok[2]) >= sizeof(r->id))
		goto bad;
	strcpy(r->id, tok[2]);
	r->metric = MESH_METRIC_INF;
	/* Then "key value" pairs; unknown keys are skipped, so a newer
	 * babeld that adds fields still parses. */
	for (i = 3; i + 1 < n; i += 2) {
		const char *k = tok[i], *val = tok[i + 1];

		if (strcmp(k, "prefix") == 0) {
			if (parse_pfx(val, &r->prefix, &r->family) != 0)
				goto bad;
			have_prefix = 1;
		} else if (strcmp(k, "from") == 0) {
			if (parse_pfx(val, &r->from, &fam_from) != 0)
				goto bad;
		} else if (strcmp(k, "installed") == 0) {
			if (strcmp(val, "yes") == 0)
				r->installed = 1;
			else if (strcmp(val, "no") == 0)
				r->installed = 0;
			else
				goto bad;
		} else if (strcmp(k, "metric") == 0) {
			if (parse_u32(val, &r->metric) != 0)
				goto bad;
			have_metric = 1;
		} else if (strcmp(k, "refmetric") == 0) {
			if (parse_u32(val, &r->refmetric) != 0)
				goto bad;
		} else if (strcmp(k, "if") == 0) {
			if (strlen(val) >= sizeof(r->ifname))
				goto bad;
			strcpy(r->ifname, val);
		}
	}
	/* A flush needs only the id; add and change must say what. */
	if (v != MESH_BABEL_FLUSH && (!have_prefix || !have_metric))
		goto bad;
	return v;
bad:
	*bad = 1;
	return MESH_BABEL_OTHER;
}

void
mesh_routes_init(struct mesh_routes *t)
{
	t->n = 0;
	t->full = 0;
}

static int
find(const struct mesh_routes *t, const char *id)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->r[i].id, id) == 0)
			return (int)i;
	return -1;
}

void
mesh_routes_apply(struct mesh_routes *t, enum mesh_babel_verb v,
		  const struct mesh_babel_route *r)
{
	int i = find(t, r->id);

	switch (v) {
	case MESH_BABEL_ADD:
	case MESH_BABEL_CHANGE:
		if (i >= 0) {
			t->r[i] = *r;
		} else if (t->n < MESH_MAX_ROUTES) {
			t->r[t->n++] = *r;
		} else {
			t->full++;
		}
		break;
	case MESH_BABEL_FLUSH:
		if (i >= 0)
			t->r[i] = t->r[--t->n];
		break;
	default:
		break;
	}
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct mesh_cand *x = a, *y = b;

	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return memcmp(x->prefix.addr, y->prefix.addr, 16);
}

unsigned int
mesh_routes_cands(const struct mesh_routes *t,
		  const struct pkt_pfx6 *plat_range, struct mesh_cand *out,
		  unsigned int max)
{
	unsigned int i, j, n = 0;

	/* Padding too: callers compare lists with memcmp. */
	memset(out, 0, max * sizeof(*out));
	for (i = 0; i < t->n; i++) {
		const struct mesh_babel_route *r = &t->r[i];

		if (r->family != 6 || !r->installed || r->prefix.len != 96 ||
		    r->from.len != 0 || r->metric >= MESH_METRIC_INF ||
		    !pkt_pfx6_match(plat_range, r->prefix.addr))
			continue;
		for (j = 0; j < n; j++)
			if (memcmp(out[j].prefix.addr, r->prefix.addr, 16) == 0)
				break;
		if (j < n) {
			if (r->metric < out[j].metric)
				out[j].metric = r->metric;
			continue;
		}
		if (n == max)
			continue;
		out[n].prefix = r->prefix;
		/* Host bits below the /96 are not ours to keep. */
		memset(out[n].prefix.addr + 12, 0, 4);
		out[n].metric = r->metric;
		n++;
	}
	qsort(out, n, sizeof(*out), cand_cmp);
	return n;
}
