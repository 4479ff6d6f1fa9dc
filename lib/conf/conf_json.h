/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The JSON reader every config of the project uses (the daemon's, and the
 * agents' meshxlat-ddns and meshxlat-mesh): a key path kept while a
 * reader walks its object, so that an error names the field and the value
 * ("plat.pool4[1].ports: \"9000-\": not a port range"), and typed getters
 * that refuse wrong types, out-of-range values and unknown keys.
 */
#ifndef MESHXLAT_CONF_JSON_H
#define MESHXLAT_CONF_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct conf_json {
	char *err;		/* the message goes here ... */
	size_t err_size;	/* ... of this many bytes */
	char path[256];		/* key path of the value being read */
};

/* Write "PATH: VALUE: why" to x->err; returns -EINVAL. 'v' may be NULL. */
int conf_json_fail(struct conf_json *x, json_t *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append ".key" or "[i]" to the path; return the length to restore with
 * conf_json_pop(). */
size_t conf_json_push(struct conf_json *x, const char *key);
size_t conf_json_push_idx(struct conf_json *x, size_t i);
void conf_json_pop(struct conf_json *x, size_t n);

/* Every key of 'obj' is in the NULL-terminated list 'known'. */
int conf_json_keys(struct conf_json *x, json_t *obj,
		   const char *const *known);
/* 'v' is an object. */
int conf_json_object(struct conf_json *x, json_t *v);

/*
 * String member 'key' of 'obj' into 'buf' (size 'size'): absent or null
 * is an error only when 'required'; an empty string, one that does not fit
 * or one with a NUL inside is refused. '*present' (may be NULL) says
 * whether a value was stored.
 */
int conf_json_str(struct conf_json *x, json_t *obj, const char *key,
		  int required, char *buf, size_t size, int *present);
/* Optional integer member in [min, max]; absent keeps '*out'. */
int conf_json_uint(struct conf_json *x, json_t *obj, const char *key,
		   unsigned long min, unsigned long max, unsigned int *out);
/* Optional boolean member; absent keeps '*out'. */
int conf_json_bool(struct conf_json *x, json_t *obj, const char *key,
		   uint8_t *out);

#endif
