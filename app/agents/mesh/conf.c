/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mesh agent's config: JSON -> 'struct mesh_conf', every key, type and
 * value checked; an unknown key is an error (a typo must not silently
 * leave a default in place). Errors name the key path and the value, as
 * lib/conf does. The shape and the defaults are in doc/mesh-agent.md.
 */
#include "mesh.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "conf_json.h"

/* fail_at() for member 'key' of the object being read. */
static int
fail_at(struct conf_json *x, const char *key, json_t *v, const char *why)
{
	size_t n = conf_json_push(x, key);
	int rc = conf_json_fail(x, v, "%s", why);

	conf_json_pop(x, n);
	return rc;
}

static int
get_pfx(struct conf_json *x, json_t *o, const char *key,
	struct pkt_pfx6 *out, unsigned int len, int required, uint8_t *has)
{
	json_t *v = json_object_get(o, key);
	size_t n = conf_json_push(x, key);
	int rc = 0;

	if (v == NULL)
		rc = required ? conf_json_fail(x, NULL, "missing") : 0;
	else if (!json_is_string(v) ||
		 conf_parse_pfx6(json_string_value(v), out))
		rc = conf_json_fail(x, v, "not an IPv6 prefix");
	else if (out->len != len)
		rc = conf_json_fail(x, v, "not a /%u", len);
	else if (pkt_pfx6_host_bits(out))
		rc = conf_json_fail(x, v, "host bits set beyond /%u", len);
	else if (has != NULL)
		*has = 1;
	conf_json_pop(x, n);
	return rc;
}

static int
load_roam(struct conf_json *x, json_t *r, struct mesh_conf *c)
{
	static const char *const keys[] = { "port", "key_file",
		"clat_prefix", "plat_prefix", "client_net", "claim_if",
		"window_s", "lease_max", "claim_timeout_ms", "claim_tries",
		NULL };
	uint32_t port = c->port;
	int rc;

	if ((rc = conf_json_object(x, r)) != 0 ||
	    (rc = conf_json_keys(x, r, keys)) != 0 ||
	    (rc = conf_json_uint(x, r, "port", 1, 65535, &port)) != 0 ||
	    (rc = conf_json_str(x, r, "key_file", 1, c->key_file,
				sizeof(c->key_file), NULL)) != 0 ||
	    (rc = get_pfx(x, r, "clat_prefix", &c->clat_prefix, 96, 1,
			  NULL)) != 0 ||
	    (rc = get_pfx(x, r, "plat_prefix", &c->plat_prefix, 96, 0,
			  &c->has_plat_prefix)) != 0 ||
	    (rc = get_pfx(x, r, "client_net", &c->client_net, 64, 1,
			  NULL)) != 0 ||
	    (rc = conf_json_str(x, r, "claim_if", 0, c->claim_if,
				sizeof(c->claim_if), NULL)) != 0 ||
	    (rc = conf_json_uint(x, r, "window_s", 1, 3600,
				 &c->window_s)) != 0 ||
	    (rc = conf_json_uint(x, r, "lease_max", 1, 365 * 86400,
				 &c->lease_max)) != 0 ||
	    (rc = conf_json_uint(x, r, "claim_timeout_ms", 10, 60000,
				 &c->claim_timeout_ms)) != 0 ||
	    (rc = conf_json_uint(x, r, "claim_tries", 1, 10,
				 &c->claim_tries)) != 0)
		return rc;
	c->port = (uint16_t)port;
	c->roam = 1;
	return 0;
}

int
mesh_conf_load_string(const char *text, size_t len, const char *name,
		      struct mesh_conf *c, char *err)
{
	static const char *const keys[] = { "meshxlat_socket",
		"control_socket", "babeld", "plat_range", "select",
		"retry_min_ms", "retry_max_ms", "roam", NULL };
	static const char *const sel_keys[] = { "threshold", "hold_down_s",
		"probe_interval_ms", "probe_timeout_ms", "probe_failures",
		"bad_s", "settle_s", NULL };
	struct conf_json x = { .err = err, .err_size = MESH_ERR_SIZE };
	uint32_t hold = 30, bad = 120, settle = 15;
	json_error_t je;
	json_t *j, *s;
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(c->meshxlat_socket, sizeof(c->meshxlat_socket),
		 "/run/meshxlat/ctl.sock");
	c->sel.threshold = 96;
	c->sel.probe_failures = 3;
	c->probe_interval_ms = 2000;
	c->probe_timeout_ms = 1000;
	c->retry_min_ms = 500;
	c->retry_max_ms = 30000;
	c->port = MESH_ROAM_PORT;
	c->window_s = 30;
	c->lease_max = 86400;
	c->claim_timeout_ms = 500;
	c->claim_tries = 3;

	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		snprintf(err, MESH_ERR_SIZE, "%s:%d:%d: %s", name, je.line,
			 je.column, je.text);
		return -EINVAL;
	}
	if ((rc = conf_json_object(&x, j)) != 0)
		goto out;
	/* "meshxlat_socket": "" says this node has no meshxlat (mesh-agent.md);
	 * every other string must not be empty. */
	s = json_object_get(j, "meshxlat_socket");
	if (json_is_string(s) && json_string_length(s) == 0) {
		c->meshxlat_socket[0] = '\0';
		json_object_del(j, "meshxlat_socket");
	}
	if ((rc = conf_json_keys(&x, j, keys)) != 0 ||
	    (rc = conf_json_str(&x, j, "meshxlat_socket", 0, c->meshxlat_socket,
				sizeof(c->meshxlat_socket), NULL)) != 0 ||
	    (rc = conf_json_str(&x, j, "control_socket", 0, c->control_socket,
				sizeof(c->control_socket), NULL)) != 0 ||
	    (rc = conf_json_str(&x, j, "babeld", 1, c->babeld,
				sizeof(c->babeld), NULL)) != 0 ||
	    (rc = get_pfx(&x, j, "plat_range", &c->plat_range, 48, 1,
			  NULL)) != 0 ||
	    (rc = conf_json_uint(&x, j, "retry_min_ms", 10, 600000,
				 &c->retry_min_ms)) != 0 ||
	    (rc = conf_json_uint(&x, j, "retry_max_ms", c->retry_min_ms,
				 3600000, &c->retry_max_ms)) != 0)
		goto out;
	if (c->babeld[0] == '/' && strlen(c->babeld) >= 108) {
		rc = fail_at(&x, "babeld", json_object_get(j, "babeld"),
			     "a socket path longer than 107 bytes");
		goto out;
	}
	if (c->babeld[0] != '/') {
		char *end;
		unsigned long p = strtoul(c->babeld, &end, 10);

		if (*end != '\0' || p == 0 || p > 65535 ||
		    !isdigit((unsigned char)c->babeld[0])) {
			rc = fail_at(&x, "babeld", json_object_get(j, "babeld"),
				     "neither a socket path nor a TCP port");
			goto out;
		}
	}
	s = json_object_get(j, "select");
	if (s != NULL) {
		size_t n = conf_json_push(&x, "select");

		if ((rc = conf_json_object(&x, s)) != 0 ||
		    (rc = conf_json_keys(&x, s, sel_keys)) != 0 ||
		    (rc = conf_json_uint(&x, s, "threshold", 0, MESH_METRIC_INF,
					 &c->sel.threshold)) != 0 ||
		    (rc = conf_json_uint(&x, s, "hold_down_s", 0, 86400,
					 &hold)) != 0 ||
		    (rc = conf_json_uint(&x, s, "probe_interval_ms", 0, 600000,
					 &c->probe_interval_ms)) != 0 ||
		    (rc = conf_json_uint(&x, s, "probe_timeout_ms", 10, 60000,
					 &c->probe_timeout_ms)) != 0 ||
		    (rc = conf_json_uint(&x, s, "probe_failures", 0, 1000,
					 &c->sel.probe_failures)) != 0 ||
		    (rc = conf_json_uint(&x, s, "bad_s", 0, 86400,
					 &bad)) != 0 ||
		    (rc = conf_json_uint(&x, s, "settle_s", 0, 3600,
					 &settle)) != 0)
			goto out;
		conf_json_pop(&x, n);
	}
	if (c->probe_interval_ms == 0)
		c->sel.probe_failures = 0;
	if (c->probe_interval_ms != 0 &&
	    c->probe_timeout_ms > c->probe_interval_ms) {
		conf_json_push(&x, "select");
		rc = fail_at(&x, "probe_timeout_ms", NULL,
			     "longer than probe_interval_ms");
		goto out;
	}
	c->sel.hold_down_ms = (uint64_t)hold * 1000;
	c->sel.bad_ms = (uint64_t)bad * 1000;
	c->settle_ms = settle * 1000;
	if (json_object_get(j, "roam") != NULL) {
		size_t n = conf_json_push(&x, "roam");

		if ((rc = load_roam(&x, json_object_get(j, "roam"), c)) != 0)
			goto out;
		conf_json_pop(&x, n);
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

int
mesh_conf_load_file(const char *path, struct mesh_conf *c, char *err)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, MESH_ERR_SIZE, "%s: %s", path, strerror(errno));
		return -errno;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f) || n == sizeof(buf)) {
		snprintf(err, MESH_ERR_SIZE, "%s: %s", path, ferror(f) ?
			 "read error" : "larger than 64 KiB");
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	return mesh_conf_load_string(buf, n, path, c, err);
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int
mesh_key_parse(const char *text, size_t len, uint8_t *key, char *err)
{
	size_t i, n = 0;
	int hi = -1;

	for (i = 0; i < len; i++) {
		int v;

		if (isspace((unsigned char)text[i]))
			continue;
		v = hexval(text[i]);
		if (v < 0) {
			snprintf(err, MESH_ERR_SIZE, "key file: character %zu "
				 "is not a hex digit", i + 1);
			return -EINVAL;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == MESH_KEY_MAX) {
			snprintf(err, MESH_ERR_SIZE, "key file: more than %d "
				 "bytes", MESH_KEY_MAX);
			return -EINVAL;
		}
		key[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		snprintf(err, MESH_ERR_SIZE, "key file: an odd number of hex "
			 "digits");
		return -EINVAL;
	}
	if (n < MESH_KEY_MIN) {
		snprintf(err, MESH_ERR_SIZE, "key file: %zu bytes, at least %d "
			 "needed (openssl rand -hex 32)", n, MESH_KEY_MIN);
		return -EINVAL;
	}
	return (int)n;
}
