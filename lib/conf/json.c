/* SPDX-License-Identifier: BSD-3-Clause */
/* The config files' JSON reader with key paths (conf_json.h). */
#include "conf_json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
conf_json_fail(struct conf_json *x, json_t *v, const char *fmt, ...)
{
	char why[256], val[96] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (v != NULL) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		if (s != NULL) {
			snprintf(val, sizeof(val), "%.80s%s: ", s,
				 strlen(s) > 80 ? "..." : "");
			free(s);
		}
	}
	snprintf(x->err, x->err_size, "%s: %s%s",
		 x->path[0] ? x->path : "(top)", val, why);
	return -EINVAL;
}

size_t
conf_json_push(struct conf_json *x, const char *key)
{
	size_t n = strlen(x->path);

	snprintf(x->path + n, sizeof(x->path) - n, "%s%s", n ? "." : "", key);
	return n;
}

size_t
conf_json_push_idx(struct conf_json *x, size_t i)
{
	size_t n = strlen(x->path);

	snprintf(x->path + n, sizeof(x->path) - n, "[%zu]", i);
	return n;
}

void
conf_json_pop(struct conf_json *x, size_t n)
{
	x->path[n] = '\0';
}

int
conf_json_keys(struct conf_json *x, json_t *obj, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *k;

		for (k = known; *k != NULL; k++)
			if (strcmp(*k, key) == 0)
				break;
		if (*k == NULL) {
			size_t n = conf_json_push(x, key);
			int rc = conf_json_fail(x, NULL, "unknown key");

			conf_json_pop(x, n);
			return rc;
		}
	}
	return 0;
}

int
conf_json_object(struct conf_json *x, json_t *v)
{
	return json_is_object(v) ? 0 :
	       conf_json_fail(x, v, "must be an object");
}

int
conf_json_str(struct conf_json *x, json_t *obj, const char *key,
	      int required, char *buf, size_t size, int *present)
{
	json_t *v = json_object_get(obj, key);
	size_t n = conf_json_push(x, key);
	int rc = 0;

	if (present != NULL)
		*present = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			rc = conf_json_fail(x, NULL, "missing");
	} else if (!json_is_string(v)) {
		rc = conf_json_fail(x, v, "must be a string");
	} else if (json_string_length(v) == 0) {
		rc = conf_json_fail(x, v, "must not be empty");
	} else if (json_string_length(v) >= size) {
		rc = conf_json_fail(x, v, "longer than %zu characters",
				    size - 1);
	} else if (strlen(json_string_value(v)) != json_string_length(v)) {
		/* "\u0000" inside: C would see a shorter string */
		rc = conf_json_fail(x, v, "has a NUL character");
	} else {
		memcpy(buf, json_string_value(v), json_string_length(v) + 1);
		if (present != NULL)
			*present = 1;
	}
	conf_json_pop(x, n);
	return rc;
}

int
conf_json_uint(struct conf_json *x, json_t *obj, const char *key,
	       unsigned long min, unsigned long max, unsigned int *out)
{
	json_t *v = json_object_get(obj, key);
	size_t n = conf_json_push(x, key);
	int rc = 0;

	if (v == NULL) {
		/* optional: '*out' keeps its default */
	} else if (!json_is_integer(v)) {
		rc = conf_json_fail(x, v, "must be an integer");
	} else if (json_integer_value(v) < (json_int_t)min ||
		   json_integer_value(v) > (json_int_t)max) {
		rc = conf_json_fail(x, v, "must be between %lu and %lu", min,
				    max);
	} else {
		*out = (unsigned int)json_integer_value(v);
	}
	conf_json_pop(x, n);
	return rc;
}

int
conf_json_bool(struct conf_json *x, json_t *obj, const char *key,
	       uint8_t *out)
{
	json_t *v = json_object_get(obj, key);
	size_t n = conf_json_push(x, key);
	int rc = 0;

	if (v != NULL) {
		if (!json_is_boolean(v))
			rc = conf_json_fail(x, v, "must be true or false");
		else
			*out = json_is_true(v);
	}
	conf_json_pop(x, n);
	return rc;
}
