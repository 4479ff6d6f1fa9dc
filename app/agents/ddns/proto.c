/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent's conversations, as text: what it writes to nsupdate, what
 * nsupdate and dig answer and what that means for the retry policy, the
 * backoff schedule, and the lines of meshxlat's control socket
 * (prefix.get, prefix.changed). DNS itself (RFC 2136 messages, TSIG per
 * RFC 8945) is nsupdate's job; we never build a packet.
 */
#include "ddns.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include <jansson.h>

#include "conf.h"

int
ddns_nsupdate_script(const struct ddns_conf *c, const unsigned int *which,
		     const uint8_t (*addrs)[16], unsigned int n, char *buf,
		     size_t size)
{
	size_t off = 0;
	unsigned int i;
	int w;

#define ADD(...) do {							\
		w = snprintf(buf + off, size - off, __VA_ARGS__);	\
		if (w < 0 || (size_t)w >= size - off)			\
			return -ENOSPC;					\
		off += (size_t)w;					\
	} while (0)

	if (size == 0)
		return -ENOSPC;
	/*
	 * Names and the server were checked by the config loader (no
	 * blanks, no newlines), so every line here is one command.
	 */
	ADD("server %s %u\n", c->server, (unsigned int)c->port);
	ADD("zone %s\n", c->zone);
	for (i = 0; i < n; i++) {
		const struct ddns_host *h;
		char a[INET6_ADDRSTRLEN];

		if (which[i] >= c->n_hosts)
			return -EINVAL;
		h = &c->hosts[which[i]];
		inet_ntop(AF_INET6, addrs[i], a, sizeof(a));
		/* RFC 2136 2.5.2 then 2.5.1: the RRset becomes exactly a. */
		ADD("update delete %s AAAA\n", h->fqdn);
		ADD("update add %s %u AAAA %s\n", h->fqdn,
		    (unsigned int)c->ttl, a);
	}
	ADD("send\n");
#undef ADD
	return (int)off;
}

/* The next line of 'out' (not NUL-terminated) into 'line'; 0 at the end. */
static int
next_line(const char *out, size_t len, size_t *pos, char *line, size_t size)
{
	size_t s = *pos, e, n;

	if (s >= len)
		return 0;
	for (e = s; e < len && out[e] != '\n'; e++)
		;
	*pos = e + 1;
	n = e - s;
	if (n >= size)
		n = size - 1;
	memcpy(line, out + s, n);
	line[n] = '\0';
	/* Output goes to our log: no control characters. */
	for (s = 0; s < n; s++)
		if (iscntrl((unsigned char)line[s]))
			line[s] = ' ';
	return 1;
}

enum ddns_result
ddns_nsupdate_result(int status, const char *out, size_t len, char *why,
		     size_t why_size)
{
	/* What the server or nsupdate says about the key or our rights:
	 * sending again changes nothing (RFC 8945 section 5.3, RFC 2136
	 * section 3.3). NOTZONE: a name outside the zone, a config error. */
	static const char *const auth[] = { "NOTAUTH", "BADKEY", "BADSIG",
		"BADTIME", "BADTRUNC", "REFUSED", "NOTZONE", "TSIG error",
		"could not read key", "invalid key", "unknown algorithm",
		"failed to read key", NULL };
	char buf[256], *line, first[256] = "", best[256] = "";
	size_t pos = 0;
	int is_auth = 0;

	while (next_line(out, len, &pos, buf, sizeof(buf))) {
		const char *const *a;

		/* nsupdate starts some lines with "; " (a comment). */
		for (line = buf; *line == ';' || *line == ' '; line++)
			;
		if (line[0] == '\0')
			continue;
		if (first[0] == '\0')
			snprintf(first, sizeof(first), "%s", line);
		for (a = auth; *a != NULL; a++)
			if (strstr(line, *a) != NULL) {
				is_auth = 1;
				break;
			}
		if (strstr(line, "update failed") != NULL ||
		    (*a != NULL && best[0] == '\0'))
			snprintf(best, sizeof(best), "%s", line);
	}
	if (status == 0 && !is_auth) {
		snprintf(why, why_size, "ok");
		return DDNS_OK;
	}
	if (best[0] != '\0')
		snprintf(why, why_size, "%s", best);
	else if (first[0] != '\0')
		snprintf(why, why_size, "%s", first);
	else if (status < 0)
		snprintf(why, why_size, "nsupdate did not finish in time");
	else
		snprintf(why, why_size, "nsupdate exit status %d", status);
	return is_auth ? DDNS_AUTH : DDNS_RETRY;
}

enum ddns_result
ddns_dig_parse(int status, const char *out, size_t len, const char *fqdn,
	       uint8_t (*addrs)[16], unsigned int max, unsigned int *n,
	       char *why, size_t why_size)
{
	char line[512], first[256] = "", st[32] = "";
	size_t pos = 0;

	*n = 0;
	while (next_line(out, len, &pos, line, sizeof(line))) {
		char name[DDNS_NAME_SIZE], cls[16], type[16], data[64];
		const char *p;
		unsigned long ttl;

		if (line[0] == '\0')
			continue;
		if (first[0] == '\0')
			snprintf(first, sizeof(first), "%.200s", line);
		if (line[0] == ';') {
			p = strstr(line, "->>HEADER<<-");
			if (p != NULL && (p = strstr(p, "status: ")) != NULL)
				sscanf(p + 8, "%31[A-Z]", st);
			continue;
		}
		/* name ttl class type rdata, blanks between */
		if (sscanf(line, "%255s %lu %15s %15s %63s", name, &ttl, cls,
			   type, data) != 5)
			continue;
		if (strcasecmp(name, fqdn) != 0 || strcmp(cls, "IN") != 0 ||
		    strcmp(type, "AAAA") != 0)
			continue;
		if (*n < max && inet_pton(AF_INET6, data, addrs[*n]) == 1)
			(*n)++;
	}
	if (status != 0 || st[0] == '\0') {
		*n = 0;
		snprintf(why, why_size, "%s", first[0] != '\0' ? first :
			 "dig gave no answer");
		return DDNS_RETRY;
	}
	if (strcmp(st, "NOERROR") != 0 && strcmp(st, "NXDOMAIN") != 0) {
		*n = 0;
		snprintf(why, why_size, "status: %s", st);
		return DDNS_RETRY;
	}
	snprintf(why, why_size, "status: %s", st);
	return DDNS_OK;
}

uint32_t
ddns_backoff_next(uint32_t prev, uint32_t min_ms, uint32_t max_ms)
{
	uint32_t next;

	if (min_ms == 0)
		min_ms = 1;
	if (max_ms < min_ms)
		max_ms = min_ms;
	if (prev < min_ms)
		return min_ms;
	next = prev > max_ms / 2 ? max_ms : 2 * prev;
	return next < max_ms ? next : max_ms;
}

/*
 * A prefix string of the control socket: "" (none), or up to a /64. A
 * shorter one keeps only its own bits (the rest of the first 64 is zero)
 * and its length, for the caller to decide.
 */
static int
prefix_parse(json_t *v, struct ddns_prefix *p, char *why, size_t why_size)
{
	struct pkt_pfx6 pf;
	const char *s;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (!json_is_string(v)) {
		snprintf(why, why_size, "\"prefix\" is missing or not a "
			 "string");
		return -EBADMSG;
	}
	s = json_string_value(v);
	if (s[0] == '\0')
		return 0;
	if (strlen(s) != json_string_length(v) ||
	    conf_parse_pfx6(s, &pf) != 0) {
		snprintf(why, why_size, "\"prefix\": \"%.60s\" is not an "
			 "IPv6 prefix", s);
		return -EBADMSG;
	}
	if (pf.len > 64) {
		snprintf(why, why_size, "\"prefix\": \"%.60s\" is longer than "
			 "/64 (the hosts' suffixes are 64 bits)", s);
		return -EBADMSG;
	}
	p->present = 1;
	p->len = pf.len;
	for (i = 0; i < 64; i++)
		if (i < pf.len && (pf.addr[i / 8] & (0x80 >> (i % 8))))
			p->addr[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return 0;
}

static enum ddns_msg
event_line(json_t *j, const char *port, struct ddns_prefix *p, char *why,
	   size_t why_size)
{
	json_t *params = json_object_get(j, "params"), *ev, *pt;

	if (!json_is_string(json_object_get(j, "method")) ||
	    strcmp(json_string_value(json_object_get(j, "method")), "event"))
		return DDNS_MSG_OTHER;
	if (!json_is_object(params)) {
		snprintf(why, why_size, "event without params object");
		return DDNS_MSG_BAD;
	}
	ev = json_object_get(params, "event");
	if (!json_is_string(ev)) {
		snprintf(why, why_size, "event without an \"event\" name");
		return DDNS_MSG_BAD;
	}
	if (strcmp(json_string_value(ev), "prefix.changed") != 0)
		return DDNS_MSG_OTHER;
	pt = json_object_get(params, "port");
	if (!json_is_string(pt)) {
		snprintf(why, why_size, "prefix.changed without a \"port\"");
		return DDNS_MSG_BAD;
	}
	if (strcmp(json_string_value(pt), port) != 0)
		return DDNS_MSG_OTHER;
	if (prefix_parse(json_object_get(params, "prefix"), p, why,
			 why_size) != 0)
		return DDNS_MSG_BAD;
	if (p->present && p->len < 64) {
		/* A delegated /56 given to prefix.set: the port's /64 keeps
		 * its old subnet bits, which only prefix.get can tell. */
		memset(p, 0, sizeof(*p));
		return DDNS_MSG_REFRESH;
	}
	return DDNS_MSG_PREFIX;
}

static enum ddns_msg
get_reply(json_t *j, const char *port, struct ddns_prefix *p, char *why,
	  size_t why_size)
{
	json_t *res = json_object_get(j, "result"), *arr, *e;
	size_t i;

	memset(p, 0, sizeof(*p));
	arr = json_object_get(res, "prefixes");
	if (!json_is_array(arr)) {
		snprintf(why, why_size, "prefix.get: no \"prefixes\" array");
		return DDNS_MSG_BAD;
	}
	json_array_foreach(arr, i, e) {
		json_t *pt = json_object_get(e, "port");

		if (!json_is_string(pt)) {
			snprintf(why, why_size, "prefix.get: prefixes[%zu] "
				 "has no \"port\"", i);
			return DDNS_MSG_BAD;
		}
		if (strcmp(json_string_value(pt), port) != 0)
			continue;
		if (prefix_parse(json_object_get(e, "prefix"), p, why,
				 why_size) != 0)
			return DDNS_MSG_BAD;
		/* The port's own prefix, shorter than /64: its first /64. */
		if (p->present)
			p->len = 64;
		return DDNS_MSG_PREFIX;
	}
	/* The port has no renumberable prefix (yet): none. */
	return DDNS_MSG_PREFIX;
}

enum ddns_msg
ddns_ctl_line(const char *line, size_t len, const char *port, long get_id,
	      struct ddns_prefix *p, char *why, size_t why_size)
{
	json_t *j, *id, *err;
	enum ddns_msg m;

	memset(p, 0, sizeof(*p));
	snprintf(why, why_size, "ok");
	j = json_loadb(line, len, 0, NULL);
	if (!json_is_object(j)) {
		snprintf(why, why_size, "not a JSON object");
		json_decref(j);
		return DDNS_MSG_BAD;
	}
	id = json_object_get(j, "id");
	err = json_object_get(j, "error");
	if (json_object_get(j, "method") != NULL && id == NULL) {
		m = event_line(j, port, p, why, why_size);
	} else if (!json_is_integer(id)) {
		snprintf(why, why_size, "a reply without an integer id");
		m = DDNS_MSG_BAD;
	} else if (err != NULL) {
		json_t *msg = json_object_get(err, "message");

		snprintf(why, why_size, "request %lld failed: %.200s",
			 (long long)json_integer_value(id),
			 json_is_string(msg) ? json_string_value(msg) : "?");
		m = DDNS_MSG_BAD;
	} else if (json_object_get(j, "result") == NULL) {
		snprintf(why, why_size, "a reply without result or error");
		m = DDNS_MSG_BAD;
	} else if (json_integer_value(id) == get_id) {
		m = get_reply(j, port, p, why, why_size);
	} else {
		m = DDNS_MSG_OTHER;
	}
	json_decref(j);
	return m;
}

static int
lines_append(struct ddns_lines *l, const char *data, size_t n)
{
	if (n == 0)		/* an empty line: nothing to keep yet */
		return 0;
	if (l->len + n > l->cap) {
		size_t cap = l->cap ? l->cap : 4096;
		char *b;

		while (cap < l->len + n)
			cap *= 2;
		b = realloc(l->buf, cap);
		if (b == NULL)
			return -ENOMEM;
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, data, n);
	l->len += n;
	return 0;
}

int
ddns_lines_feed(struct ddns_lines *l, const char *data, size_t n,
		ddns_line_fn fn, void *arg)
{
	int dropped = 0;

	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t k = nl != NULL ? (size_t)(nl - data) : n;

		if (l->skip) {
			/* the rest of an overlong line */
		} else if (l->len + k > l->max) {
			dropped++;
			l->len = 0;
			l->skip = 1;
		} else if (lines_append(l, data, k) != 0) {
			l->len = 0;
			l->skip = nl == NULL;
			return -ENOMEM;
		}
		if (nl == NULL)
			break;
		if (!l->skip && l->len > 0)
			fn(l->buf, l->len, arg);
		l->len = 0;
		l->skip = 0;
		data += k + 1;
		n -= k + 1;
	}
	return dropped;
}

void
ddns_lines_reset(struct ddns_lines *l)
{
	l->len = 0;
	l->skip = 0;
}

void
ddns_lines_free(struct ddns_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = l->cap = 0;
	l->skip = 0;
}
