/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command registry: commands sorted by method name, parameter tables
 * checked at registration, and the one place where arguments are
 * converted from JSON (or from the CLI's "key=value" words, which become
 * JSON first) into typed 'struct ctl_val's. rpc_msg.c (JSON-RPC framing)
 * and app/meshxlat/cli.c call commands only through ctl_cmd_call().
 */
#include "ctl.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "conf.h"
#include "ctl_priv.h"

struct ctl_registry {
	const struct ctl_cmd **cmds;	/* sorted by method */
	unsigned int n, cap;
};

struct ctl_registry *
ctl_registry_create(void)
{
	return calloc(1, sizeof(struct ctl_registry));
}

void
ctl_registry_free(struct ctl_registry *r)
{
	if (r == NULL)
		return;
	free(r->cmds);
	free(r);
}

/* "<lib>.<noun>.<verb>": two or more lower-case words joined by dots. */
static int
valid_method(const char *m)
{
	size_t i, len = strlen(m);
	unsigned int dots = 0;

	if (len == 0 || len >= CTL_NAME_MAX || m[0] == '.' || m[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (m[i] == '.') {
			if (m[i + 1] == '.')
				return 0;
			dots++;
		} else if (!islower((unsigned char)m[i]) &&
			   !isdigit((unsigned char)m[i]) && m[i] != '_') {
			return 0;
		}
	}
	return dots >= 1;
}

unsigned int
ctl_cmd_n_params(const struct ctl_cmd *c)
{
	unsigned int n = 0;

	if (c->params == NULL)
		return 0;
	while (c->params[n].name != NULL)
		n++;
	return n;
}

static int
valid_params(const struct ctl_cmd *c)
{
	unsigned int n = ctl_cmd_n_params(c), i, j;

	if (n > CTL_MAX_PARAMS)
		return 0;
	for (i = 0; i < n; i++) {
		const struct ctl_param *p = &c->params[i];

		if (p->type == CTL_T_ENUM && p->choices == NULL)
			return 0;
		if (p->type == CTL_T_INT && p->min > p->max)
			return 0;
		for (j = 0; j < i; j++)
			if (strcmp(c->params[j].name, p->name) == 0)
				return 0;
	}
	return 1;
}

/* Index where 'method' is or would go. */
static unsigned int
find(const struct ctl_registry *r, const char *method, int *found)
{
	unsigned int lo = 0, hi = r->n;

	*found = 0;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = strcmp(r->cmds[mid]->method, method);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
ctl_register(struct ctl_registry *r, const struct ctl_cmd *cmd)
{
	unsigned int at;
	int found;

	if (cmd->method == NULL || !valid_method(cmd->method) ||
	    cmd->fn == NULL || !valid_params(cmd))
		return -EINVAL;
	at = find(r, cmd->method, &found);
	if (found)
		return -EEXIST;
	if (r->n == r->cap) {
		unsigned int cap = r->cap == 0 ? 32 : 2 * r->cap;
		const struct ctl_cmd **n = realloc(r->cmds, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		r->cmds = n;
		r->cap = cap;
	}
	memmove(&r->cmds[at + 1], &r->cmds[at],
		(r->n - at) * sizeof(r->cmds[0]));
	r->cmds[at] = cmd;
	r->n++;
	return 0;
}

const struct ctl_cmd *
ctl_lookup(const struct ctl_registry *r, const char *method)
{
	unsigned int at;
	int found;

	at = find(r, method, &found);
	return found ? r->cmds[at] : NULL;
}

int
ctl_cmd_walk(const struct ctl_registry *r,
	     int (*fn)(const struct ctl_cmd *c, void *arg), void *arg)
{
	unsigned int i;
	int rc;

	for (i = 0; i < r->n; i++)
		if ((rc = fn(r->cmds[i], arg)) != 0)
			return rc;
	return 0;
}

const struct ctl_val *
ctl_arg(const struct ctl_args *a, const char *name)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->params[i].name, name) == 0)
			return a->v[i].set ? &a->v[i] : NULL;
	return NULL;
}

/* --- argument conversion ----------------------------------------------- */

static int
parse_int_text(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_bool_text(const char *s, int64_t *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	unsigned int i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

/* Index of 'word' in "a|b|c", or -1. */
static int
choice_index(const char *choices, const char *word)
{
	size_t wl = strlen(word);
	const char *p = choices;
	int i = 0;

	while (*p != '\0') {
		const char *bar = strchr(p, '|');
		size_t l = bar != NULL ? (size_t)(bar - p) : strlen(p);

		if (l == wl && memcmp(p, word, l) == 0)
			return i;
		if (bar == NULL)
			break;
		p = bar + 1;
		i++;
	}
	return -1;
}

static int
parse_addr(const char *s, int want_len, struct ctl_val *v)
{
	const char *slash = strchr(s, '/');

	if (strchr(s, ':') != NULL) {
		v->family = 6;
		if (!want_len && slash != NULL)
			return -EINVAL;
		if (conf_parse_pfx6(s, &v->p6) != 0)
			return -EINVAL;
	} else {
		v->family = 4;
		if (!want_len && slash != NULL)
			return -EINVAL;
		if (conf_parse_pfx4(s, &v->p4) != 0)
			return -EINVAL;
	}
	return 0;
}

static const char *
type_word(const struct ctl_param *p)
{
	switch (p->type) {
	case CTL_T_STR:
		return "a string";
	case CTL_T_INT:
		return "an integer";
	case CTL_T_BOOL:
		return "true or false";
	case CTL_T_IP:
		return "an IPv4 or IPv6 address";
	case CTL_T_PFX:
		return "an IPv4 or IPv6 prefix (address/length)";
	case CTL_T_MAC:
		return "a MAC address such as 02:00:00:00:00:01";
	case CTL_T_ENUM:
		return "one of";
	default:
		return "?";
	}
}

/* The bytes a string parameter may not reach. */
static size_t
str_max(const struct ctl_param *p)
{
	return p->max > 0 ? (size_t)p->max : CTL_STR_MAX;
}

/*
 * Convert one JSON value for parameter 'p'. Strings are accepted for
 * every type (so "key=value" words work), numbers and booleans where they
 * fit. On error, writes the message to 'msg'.
 */
static int
convert(const struct ctl_param *p, json_t *j, struct ctl_val *v, char *msg,
	size_t msg_size)
{
	const char *s = json_is_string(j) ? json_string_value(j) : NULL;
	int rc = -EINVAL, k;

	memset(v, 0, sizeof(*v));
	switch (p->type) {
	case CTL_T_STR:
		if (json_is_integer(j)) {
			/* A name that looks like a number ("port=1"). */
			snprintf(v->buf, sizeof(v->buf), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(j));
			s = v->buf;
		}
		if (s != NULL && strlen(s) >= str_max(p)) {
			snprintf(msg, msg_size, "%s: %zu bytes: must be shorter "
				 "than %zu", p->name, strlen(s), str_max(p));
			return -E2BIG;
		}
		if (s != NULL) {
			v->s = s;
			rc = 0;
		}
		break;
	case CTL_T_INT:
		if (json_is_integer(j)) {
			v->i = json_integer_value(j);
			rc = 0;
		} else if (s != NULL) {
			rc = parse_int_text(s, &v->i);
		}
		if (rc == 0 && (v->i < p->min || v->i > p->max)) {
			snprintf(msg, msg_size, "%s: %" PRId64 ": must be "
				 "between %" PRId64 " and %" PRId64, p->name,
				 v->i, p->min, p->max);
			return -ERANGE;
		}
		break;
	case CTL_T_BOOL:
		if (json_is_boolean(j)) {
			v->i = json_is_true(j);
			rc = 0;
		} else if (json_is_integer(j) &&
			   (json_integer_value(j) == 0 ||
			    json_integer_value(j) == 1)) {
			v->i = json_integer_value(j);
			rc = 0;
		} else if (s != NULL) {
			rc = parse_bool_text(s, &v->i);
		}
		break;
	case CTL_T_IP:
	case CTL_T_PFX:
		if (s != NULL)
			rc = parse_addr(s, p->type == CTL_T_PFX, v);
		break;
	case CTL_T_MAC:
		if (s != NULL)
			rc = conf_parse_mac(s, v->mac);
		break;
	case CTL_T_ENUM:
		if (s != NULL && (k = choice_index(p->choices, s)) >= 0) {
			v->i = k;
			v->s = s;
			rc = 0;
		}
		break;
	}
	if (rc != 0) {
		char *shown = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		size_t l = shown != NULL ? strlen(shown) : 0;

		snprintf(msg, msg_size, "%s: %.*s%s: must be %s%s%s", p->name,
			 (int)(l > 64 ? 64 : l), shown != NULL ? shown : "?",
			 l > 64 ? "..." : "", type_word(p),
			 p->type == CTL_T_ENUM ? " " : "",
			 p->type == CTL_T_ENUM ? p->choices : "");
		free(shown);
		return rc;
	}
	v->set = 1;
	return 0;
}

/*
 * Fill 'a' from 'params' (an object by name, an array by position, or
 * NULL). Returns 0 or CTL_E_PARAMS with the message in 'o'.
 */
static int
bind_args(const struct ctl_cmd *c, json_t *params, struct ctl_args *a,
	  struct ctl_out *o)
{
	unsigned int n = ctl_cmd_n_params(c), i;
	char msg[256];

	a->params = c->params;
	a->n = n;
	if (json_is_array(params)) {
		if (json_array_size(params) > n)
			return ctl_err(o, CTL_E_PARAMS, NULL, "%s takes at "
				       "most %u parameters, got %zu",
				       c->method, n, json_array_size(params));
		for (i = 0; i < json_array_size(params); i++) {
			json_t *j = json_array_get(params, i);

			if (json_is_null(j))
				continue;
			if (convert(&c->params[i], j, &a->v[i], msg,
				    sizeof(msg)) != 0)
				return ctl_err(o, CTL_E_PARAMS,
					       c->params[i].name, "%s", msg);
		}
	} else if (json_is_object(params)) {
		const char *key;
		json_t *j;

		json_object_foreach(params, key, j) {
			for (i = 0; i < n; i++)
				if (strcmp(c->params[i].name, key) == 0)
					break;
			if (i == n)
				return ctl_err(o, CTL_E_PARAMS, key,
					       "%s has no parameter '%.64s'",
					       c->method, key);
			if (json_is_null(j))
				continue;
			if (convert(&c->params[i], j, &a->v[i], msg,
				    sizeof(msg)) != 0)
				return ctl_err(o, CTL_E_PARAMS, key, "%s", msg);
		}
	}
	for (i = 0; i < n; i++)
		if (c->params[i].required && !a->v[i].set)
			return ctl_err(o, CTL_E_PARAMS, c->params[i].name,
				       "%s: missing (%s)", c->params[i].name,
				       c->params[i].help != NULL ?
				       c->params[i].help : type_word(&c->params[i]));
	return 0;
}

int
ctl_cmd_call(const struct ctl_cmd *c, json_t *params, void *conn,
	     int privileged, struct ctl_out *o)
{
	struct ctl_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.conn = conn;
	a.privileged = privileged;
	if ((c->flags & CTL_F_WRITE) && !privileged)
		return ctl_err(o, CTL_E_DENIED, NULL, "%s changes state: only "
			       "root or the control group may call it",
			       c->method);
	if (params != NULL && !json_is_object(params) &&
	    !json_is_array(params))
		return ctl_err(o, CTL_E_REQUEST, "params",
			       "params must be an object or an array");
	if ((rc = bind_args(c, params, &a, o)) != 0)
		return rc;
	rc = c->fn(&a, o, c->arg);
	if (rc != 0 && !ctl_out_is_error(o))
		return ctl_err(o, CTL_E_INTERNAL, NULL, "%s failed (%d) "
			       "without saying why", c->method, rc);
	if (rc == 0 && ctl_out_is_error(o))
		return ctl_out_error_code(o);
	return rc < 0 ? rc : ctl_out_error_code(o);
}

/* --- text words ------------------------------------------------------------ */

/* Words "key=value" (or bare values by position) as a JSON object of
 * strings, keyed by the command's parameter names. */
static json_t *
words_object(const struct ctl_cmd *c, int argc, char *const *argv,
	     char *err, size_t err_size)
{
	unsigned int n = ctl_cmd_n_params(c), next = 0;
	json_t *o = json_object();
	int i;

	if (o == NULL) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char key[CTL_NAME_MAX];
		const char *val;

		if (eq != NULL && eq != argv[i] &&
		    (size_t)(eq - argv[i]) < sizeof(key)) {
			memcpy(key, argv[i], (size_t)(eq - argv[i]));
			key[eq - argv[i]] = '\0';
			val = eq + 1;
		} else {
			/* Positional: the next parameter not given yet. */
			while (next < n &&
			       json_object_get(o, c->params[next].name) != NULL)
				next++;
			if (next == n) {
				snprintf(err, err_size, "'%.64s': %s takes no "
					 "more parameters", argv[i], c->method);
				json_decref(o);
				return NULL;
			}
			snprintf(key, sizeof(key), "%s", c->params[next].name);
			val = argv[i];
		}
		if (json_object_get(o, key) != NULL) {
			snprintf(err, err_size, "%s given twice", key);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, key, json_string(val));
	}
	return o;
}

int
ctl_call_words(const struct ctl_registry *r, const char *method, int argc,
	       char *const *argv, int privileged, char **json, char *err,
	       size_t err_size)
{
	const struct ctl_cmd *c = ctl_lookup(r, method);
	struct ctl_out *o;
	json_t *params;
	int rc;

	*json = NULL;
	if (c == NULL) {
		snprintf(err, err_size, "no such command: %s", method);
		return CTL_E_METHOD;
	}
	params = words_object(c, argc, argv, err, err_size);
	if (params == NULL)
		return CTL_E_PARAMS;
	o = ctl_out_create();
	if (o == NULL) {
		json_decref(params);
		snprintf(err, err_size, "out of memory");
		return CTL_E_INTERNAL;
	}
	rc = ctl_cmd_call(c, params, NULL, privileged, o);
	if (rc != 0)
		snprintf(err, err_size, "%s", ctl_out_error_msg(o));
	else
		*json = json_dumps(ctl_out_result(o), JSON_COMPACT |
				   JSON_ENCODE_ANY);
	ctl_out_free(o);
	json_decref(params);
	if (rc == 0 && *json == NULL) {
		snprintf(err, err_size, "out of memory");
		return CTL_E_INTERNAL;
	}
	return rc;
}

char *
ctl_words_to_params(int argc, char *const *argv, char *err, size_t err_size)
{
	json_t *o = json_object();
	char *s;
	int i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char key[CTL_NAME_MAX];
		json_t *v;

		if (eq == NULL || eq == argv[i] ||
		    (size_t)(eq - argv[i]) >= sizeof(key)) {
			snprintf(err, err_size, "'%.64s': expected key=value",
				 argv[i]);
			json_decref(o);
			return NULL;
		}
		memcpy(key, argv[i], (size_t)(eq - argv[i]));
		key[eq - argv[i]] = '\0';
		/* Numbers, true, false and null as JSON; the rest as text. */
		v = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
		if (v != NULL && !json_is_number(v) && !json_is_boolean(v) &&
		    !json_is_null(v)) {
			json_decref(v);
			v = NULL;
		}
		if (v == NULL)
			v = json_string(eq + 1);
		if (json_object_get(o, key) != NULL) {
			snprintf(err, err_size, "%s given twice", key);
			json_decref(v);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, key, v);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		snprintf(err, err_size, "out of memory");
	return s;
}
