/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DDNS agent's config: JSON -> 'struct ddns_conf', every key, type
 * and value checked, errors naming the key path and the value the way
 * lib/conf does ("hosts[1].mac: \"12:34\": not a MAC address"). Names
 * and the zone are checked strictly (letters, digits, '-', '_', dots)
 * because they end up in nsupdate's input, where a newline or a blank
 * would be a second command. The shape is in doc/home-gateway.md.
 */
#include "ddns.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include <jansson.h>

#include "conf.h"
#include "conf_json.h"

/* Number member 'key' of 'obj' in [min, max]; 'integer': no fraction. */
static int
get_num(struct conf_json *x, json_t *obj, const char *key, double min,
	double max, int integer, double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t n = conf_json_push(x, key);
	int rc = 0;

	if (v == NULL) {
		/* optional: '*out' keeps its default */
	} else if (integer ? !json_is_integer(v) : !json_is_number(v)) {
		rc = conf_json_fail(x, v, "must be %s",
				    integer ? "an integer" : "a number");
	} else if (json_number_value(v) < min || json_number_value(v) > max) {
		rc = conf_json_fail(x, v, "must be between %g and %g", min,
				    max);
	} else {
		*out = json_number_value(v);
	}
	conf_json_pop(x, n);
	return rc;
}

/*
 * A domain name (RFC 1035 section 2.3.4 sizes; letters, digits, '-' and
 * '_' for SRV-style labels): 0 or a reason.
 */
static const char *
name_invalid(const char *s)
{
	size_t label = 0, i, len = strlen(s);

	if (len == 0)
		return "must not be empty";
	if (len > 253 + 1)
		return "longer than 253 characters";
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (label == 0)
				return "has an empty label";
			label = 0;
			continue;
		}
		if (!isalnum(ch) && ch != '-' && ch != '_')
			return "may only have letters, digits, '-', '_' "
			       "and dots";
		if (++label > 63)
			return "has a label longer than 63 characters";
	}
	return NULL;
}

/* 'name' ends with the labels of 'zone' (both absolute). */
static int
in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (n < z || strcasecmp(name + n - z, zone) != 0)
		return 0;
	return n == z || name[n - z - 1] == '.';
}

static int
load_server(struct conf_json *x, json_t *o, struct ddns_conf *c)
{
	static const char *const known[] = { "address", "port", NULL };
	uint8_t a[16];
	double port = 53;
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, known)))
		return rc;
	rc = conf_json_str(x, o, "address", 1, c->server, sizeof(c->server),
			   NULL);
	if (rc != 0)
		return rc;
	if (inet_pton(AF_INET6, c->server, a) != 1 &&
	    inet_pton(AF_INET, c->server, a) != 1) {
		size_t n = conf_json_push(x, "address");

		rc = conf_json_fail(x, json_object_get(o, "address"),
			  "not an IPv4 or IPv6 address (names are not "
			  "resolved: the agent must not depend on DNS)");
		conf_json_pop(x, n);
		return rc;
	}
	if ((rc = get_num(x, o, "port", 1, 65535, 1, &port)) != 0)
		return rc;
	c->port = (uint16_t)port;
	return 0;
}

static int
load_host(struct conf_json *x, json_t *o, struct ddns_conf *c,
	  struct ddns_host *h)
{
	static const char *const known[] = { "name", "suffix", "mac", NULL };
	char buf[64];
	const char *bad;
	int rc, has_suffix, has_mac;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, known)))
		return rc;
	if ((rc = conf_json_str(x, o, "name", 1, h->name, sizeof(h->name),
				NULL)))
		return rc;
	n = conf_json_push(x, "name");
	if (strcmp(h->name, "@") == 0) {
		snprintf(h->fqdn, sizeof(h->fqdn), "%s", c->zone);
	} else if ((bad = name_invalid(h->name)) != NULL) {
		rc = conf_json_fail(x, json_object_get(o, "name"), "%s", bad);
	} else if (h->name[strlen(h->name) - 1] == '.') {
		snprintf(h->fqdn, sizeof(h->fqdn), "%s", h->name);
		if (!in_zone(h->fqdn, c->zone))
			rc = conf_json_fail(x, json_object_get(o, "name"),
				  "not inside the zone %s", c->zone);
	} else if (strlen(h->name) + 1 + strlen(c->zone) >= sizeof(h->fqdn)) {
		rc = conf_json_fail(x, json_object_get(o, "name"),
			  "too long with the zone");
	} else {
		/* fits: checked just above */
		strcpy(h->fqdn, h->name);
		strcat(h->fqdn, ".");
		strcat(h->fqdn, c->zone);
	}
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;

	rc = conf_json_str(x, o, "suffix", 0, buf, sizeof(buf), &has_suffix);
	if (rc == 0)
		rc = conf_json_str(x, o, "mac", 0, buf, sizeof(buf), &has_mac);
	if (rc != 0)
		return rc;
	if (has_suffix == has_mac)
		return conf_json_fail(x, NULL,
				      "give exactly one of \"suffix\" and "
				      "\"mac\"");
	if (has_suffix) {
		conf_json_str(x, o, "suffix", 1, buf, sizeof(buf), NULL);
		if (ddns_suffix_parse(buf, h->suffix) != 0) {
			n = conf_json_push(x, "suffix");
			rc = conf_json_fail(x, json_object_get(o, "suffix"),
				  "not an interface id (an IPv6 address in "
				  "::/64, e.g. \"::1234:5678:abcd:ef01\")");
			conf_json_pop(x, n);
		}
		return rc;
	}
	if (conf_parse_mac(buf, h->mac) != 0) {
		n = conf_json_push(x, "mac");
		rc = conf_json_fail(x, json_object_get(o, "mac"),
			  "not a MAC address (12:34:56:78:9a:bc)");
		conf_json_pop(x, n);
		return rc;
	}
	h->from_mac = 1;
	ddns_eui64(h->mac, h->suffix);
	return 0;
}

static int
load_hosts(struct conf_json *x, json_t *a, struct ddns_conf *c)
{
	size_t i, j, n;
	json_t *v;
	int rc;

	if (!json_is_array(a))
		return conf_json_fail(
			x, a,
			"must be an array of {\"name\", \"suffix\" "
			"or \"mac\"}");
	if (json_array_size(a) == 0)
		return conf_json_fail(x, a, "must name at least one host");
	if (json_array_size(a) > DDNS_MAX_HOSTS)
		return conf_json_fail(x, NULL, "more than %d hosts",
				      DDNS_MAX_HOSTS);
	json_array_foreach(a, i, v) {
		n = conf_json_push_idx(x, i);
		rc = load_host(x, v, c, &c->hosts[i]);
		for (j = 0; rc == 0 && j < i; j++)
			if (strcasecmp(c->hosts[j].fqdn, c->hosts[i].fqdn) ==
			    0) {
				size_t k = conf_json_push(x, "name");

				rc = conf_json_fail(
					x, json_object_get(v, "name"),
					"the same name as hosts[%zu]", j);
				conf_json_pop(x, k);
			}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
		c->n_hosts++;
	}
	return 0;
}

static int
load_source(struct conf_json *x, json_t *o, struct ddns_conf *c)
{
	static const char *const known[] = { "meshxlat", "linux", NULL };
	static const char *const mx_keys[] = { "socket", "port", NULL };
	static const char *const lx_keys[] = { "interface", NULL };
	json_t *m, *l;
	size_t n;
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, known)))
		return rc;
	m = json_object_get(o, "meshxlat");
	l = json_object_get(o, "linux");
	if ((m == NULL) == (l == NULL))
		return conf_json_fail(x, NULL,
				      "give exactly one of \"meshxlat\" "
				      "({\"socket\", \"port\"}) and \"linux\" "
				      "({\"interface\"})");
	if (m != NULL) {
		c->source = DDNS_SRC_MESHXLAT;
		n = conf_json_push(x, "meshxlat");
		rc = conf_json_object(x, m);
		if (rc == 0)
			rc = conf_json_keys(x, m, mx_keys);
		if (rc == 0)
			rc = conf_json_str(x, m, "socket", 1, c->socket,
				     sizeof(c->socket), NULL);
		if (rc == 0)
			rc = conf_json_str(x, m, "port", 1, c->port_name,
				     sizeof(c->port_name), NULL);
		conf_json_pop(x, n);
		return rc;
	}
	c->source = DDNS_SRC_LINUX;
	n = conf_json_push(x, "linux");
	rc = conf_json_object(x, l);
	if (rc == 0)
		rc = conf_json_keys(x, l, lx_keys);
	if (rc == 0)
		rc = conf_json_str(x, l, "interface", 1, c->ifname,
			     sizeof(c->ifname), NULL);
	conf_json_pop(x, n);
	return rc;
}

static int
load_retry(struct conf_json *x, json_t *o, struct ddns_conf *c)
{
	static const char *const known[] = { "min", "max", "after_auth_error",
					     NULL };
	double min = c->retry_min_ms / 1000.0, max = c->retry_max_ms / 1000.0;
	double auth = c->auth_retry_s;
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, known)))
		return rc;
	if ((rc = get_num(x, o, "min", 0.1, 3600, 0, &min)) != 0 ||
	    (rc = get_num(x, o, "max", 0.1, 86400, 0, &max)) != 0 ||
	    (rc = get_num(x, o, "after_auth_error", 10, 604800, 1, &auth)))
		return rc;
	if (max < min) {
		size_t n = conf_json_push(x, "max");

		rc = conf_json_fail(x, json_object_get(o, "max"),
			  "must not be below min (%g)", min);
		conf_json_pop(x, n);
		return rc;
	}
	c->retry_min_ms = (uint32_t)(min * 1000 + 0.5);
	c->retry_max_ms = (uint32_t)(max * 1000 + 0.5);
	c->auth_retry_s = (uint32_t)auth;
	return 0;
}

static int
load(struct conf_json *x, json_t *root, struct ddns_conf *c)
{
	static const char *const known[] = { "zone", "server", "key", "ttl",
		"hosts", "source", "retry", "timeout", "$comment", NULL };
	const char *bad;
	double ttl = 300, timeout = 10;
	json_t *v;
	size_t n, len;
	int rc;

	memset(c, 0, sizeof(*c));
	c->port = 53;
	c->retry_min_ms = 1000;
	c->retry_max_ms = 60000;
	c->auth_retry_s = 3600;

	if ((rc = conf_json_object(x, root)) != 0 ||
	    (rc = conf_json_keys(x, root, known)) != 0)
		return rc;

	rc = conf_json_str(x, root, "zone", 1, c->zone, sizeof(c->zone) - 1,
			   NULL);
	if (rc != 0)
		return rc;
	n = conf_json_push(x, "zone");
	if ((bad = name_invalid(c->zone)) != NULL)
		rc = conf_json_fail(x, json_object_get(root, "zone"), "%s",
				    bad);
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	len = strlen(c->zone);
	if (c->zone[len - 1] != '.')
		memcpy(c->zone + len, ".", 2);

	n = conf_json_push(x, "server");
	v = json_object_get(root, "server");
	rc = v == NULL ? conf_json_fail(x, NULL, "missing")
		       : load_server(x, v, c);
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;

	rc = conf_json_str(x, root, "key", 1, c->key_file, sizeof(c->key_file),
		     NULL);
	if (rc != 0)
		return rc;
	if ((rc = get_num(x, root, "ttl", 1, 604800, 1, &ttl)) != 0)
		return rc;
	c->ttl = (uint32_t)ttl;
	if ((rc = get_num(x, root, "timeout", 1, 300, 1, &timeout)) != 0)
		return rc;
	c->timeout_s = (uint32_t)timeout;

	n = conf_json_push(x, "hosts");
	v = json_object_get(root, "hosts");
	rc = v == NULL ? conf_json_fail(x, NULL, "missing")
		       : load_hosts(x, v, c);
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;

	n = conf_json_push(x, "source");
	v = json_object_get(root, "source");
	rc = v == NULL ? conf_json_fail(x, NULL, "missing")
		       : load_source(x, v, c);
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;

	v = json_object_get(root, "retry");
	if (v != NULL) {
		n = conf_json_push(x, "retry");
		rc = load_retry(x, v, c);
		conf_json_pop(x, n);
	}
	return rc;
}

int
ddns_conf_load_string(const char *text, size_t len, const char *name,
		      struct ddns_conf *c, char *err)
{
	struct conf_json x = { .err = err, .err_size = DDNS_ERR_SIZE };
	json_error_t je;
	json_t *root;
	int rc;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		memset(c, 0, sizeof(*c));
		snprintf(err, DDNS_ERR_SIZE, "%s:%d:%d: %s",
			 name != NULL ? name : "(config)", je.line, je.column,
			 je.text);
		return -EINVAL;
	}
	rc = load(&x, root, c);
	json_decref(root);
	return rc;
}

int
ddns_conf_load_file(const char *path, struct ddns_conf *c, char *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if (f == NULL) {
		snprintf(err, DDNS_ERR_SIZE, "%s: %s", path, strerror(errno));
		return -errno;
	}
	for (;;) {
		size_t got;

		if (len + 4096 > cap) {
			char *b;

			cap = cap == 0 ? 8192 : 2 * cap;
			if (cap > (1u << 20)) {
				snprintf(err, DDNS_ERR_SIZE,
					 "%s: larger than 1 MiB", path);
				rc = -EFBIG;
				goto out;
			}
			b = realloc(buf, cap);
			if (b == NULL) {
				snprintf(err, DDNS_ERR_SIZE, "out of memory");
				rc = -ENOMEM;
				goto out;
			}
			buf = b;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, DDNS_ERR_SIZE, "%s: read error", path);
		rc = -EIO;
		goto out;
	}
	rc = ddns_conf_load_string(buf, len, path, c, err);
out:
	free(buf);
	fclose(f);
	return rc;
}

/* Skip blanks and comments (#, //, C style) of named.conf syntax. */
static size_t
skip_blank(const char *t, size_t len, size_t i)
{
	while (i < len) {
		if (isspace((unsigned char)t[i])) {
			i++;
		} else if (t[i] == '#' ||
			   (t[i] == '/' && i + 1 < len && t[i + 1] == '/')) {
			while (i < len && t[i] != '\n')
				i++;
		} else if (t[i] == '/' && i + 1 < len && t[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(t[i] == '*' && t[i + 1] == '/'))
				i++;
			i = i + 2 < len ? i + 2 : len;
		} else {
			break;
		}
	}
	return i;
}

/* A word or a "quoted string" at 'i' into 'out'; the index after it. */
static size_t
token(const char *t, size_t len, size_t i, char *out, size_t size)
{
	size_t o = 0;

	i = skip_blank(t, len, i);
	if (i < len && t[i] == '"') {
		for (i++; i < len && t[i] != '"'; i++)
			if (o + 1 < size)
				out[o++] = t[i];
		if (i < len)
			i++;
	} else if (i < len && strchr("{};", t[i]) != NULL) {
		if (o + 1 < size)
			out[o++] = t[i];
		i++;
	} else {
		for (; i < len && !isspace((unsigned char)t[i]) &&
		     strchr("{};\"", t[i]) == NULL; i++)
			if (o + 1 < size)
				out[o++] = t[i];
	}
	out[o] = '\0';
	return i;
}

int
ddns_key_parse(const char *text, size_t len, char *name, size_t name_size,
	       char *alg, size_t alg_size, char *err, size_t err_size)
{
	char tok[DDNS_NAME_SIZE];
	size_t i = 0, j;
	int depth = 0, have_secret = 0;

	name[0] = '\0';
	alg[0] = '\0';
	i = token(text, len, i, tok, sizeof(tok));
	if (strcmp(tok, "key") != 0) {
		snprintf(err, err_size, "does not start with a key clause "
			 "(key \"name\" { algorithm ...; secret \"...\"; };), "
			 "as tsig-keygen writes");
		return -EINVAL;
	}
	i = token(text, len, i, name, name_size);
	if (name[0] == '\0' || strcmp(name, "{") == 0) {
		snprintf(err, err_size, "the key clause has no name");
		name[0] = '\0';
		return -EINVAL;
	}
	for (j = 0; name[j] != '\0'; j++)
		if (!isgraph((unsigned char)name[j])) {
			snprintf(err, err_size, "the key name has blanks or "
				 "control characters");
			name[0] = '\0';
			return -EINVAL;
		}
	i = token(text, len, i, tok, sizeof(tok));
	if (strcmp(tok, "{") != 0) {
		snprintf(err, err_size, "key \"%s\": no '{'", name);
		return -EINVAL;
	}
	depth = 1;
	while (depth > 0 && i < len) {
		i = token(text, len, i, tok, sizeof(tok));
		if (strcmp(tok, "{") == 0) {
			depth++;
		} else if (strcmp(tok, "}") == 0) {
			depth--;
		} else if (depth == 1 && strcmp(tok, "algorithm") == 0) {
			i = token(text, len, i, alg, alg_size);
		} else if (depth == 1 && strcmp(tok, "secret") == 0) {
			i = token(text, len, i, tok, sizeof(tok));
			have_secret = tok[0] != '\0' && strcmp(tok, ";") != 0;
		} else if (tok[0] == '\0') {
			break;
		}
	}
	if (depth != 0) {
		snprintf(err, err_size, "key \"%s\": the clause is not closed",
			 name);
		return -EINVAL;
	}
	if (alg[0] == '\0' || strcmp(alg, ";") == 0) {
		snprintf(err, err_size, "key \"%s\": no algorithm", name);
		alg[0] = '\0';
		return -EINVAL;
	}
	if (!have_secret) {
		snprintf(err, err_size, "key \"%s\": no secret", name);
		return -EINVAL;
	}
	return 0;
}
