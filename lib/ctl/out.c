/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The result builder handlers fill (a stack of open JSON objects and
 * arrays, like DPDK's rte_tel_data), the error a handler reports, and the
 * text rendering of a result that the CLI and meshxlatctl print for
 * people.
 */
#include "ctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ctl_priv.h"

#define OUT_DEPTH	16

struct ctl_out {
	json_t *stack[OUT_DEPTH];	/* [0] is the result */
	unsigned int depth;		/* open containers, >= 1 */
	int code;			/* 0, or the error code */
	char msg[512];
	char field[CTL_NAME_MAX];
	int bad;			/* misuse by a handler: internal error */
};

struct ctl_out *
ctl_out_create(void)
{
	struct ctl_out *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->stack[0] = json_object();
	if (o->stack[0] == NULL) {
		free(o);
		return NULL;
	}
	o->depth = 1;
	return o;
}

void
ctl_out_free(struct ctl_out *o)
{
	if (o == NULL)
		return;
	json_decref(o->stack[0]);
	free(o);
}

json_t *
ctl_out_result(struct ctl_out *o)
{
	return o->stack[0];
}

int
ctl_out_is_error(const struct ctl_out *o)
{
	return o->code != 0 || o->bad;
}

int
ctl_out_error_code(const struct ctl_out *o)
{
	if (o->code != 0)
		return o->code;
	return o->bad ? CTL_E_INTERNAL : 0;
}

const char *
ctl_out_error_msg(const struct ctl_out *o)
{
	if (o->code == 0 && o->bad)
		return "internal error: the reply could not be built";
	return o->msg;
}

json_t *
ctl_out_error_obj(const struct ctl_out *o)
{
	json_t *e = json_pack("{s:i, s:s}", "code", ctl_out_error_code(o),
			      "message", ctl_out_error_msg(o));

	if (e != NULL && o->field[0] != '\0')
		json_object_set_new(e, "data",
				    json_pack("{s:s}", "field", o->field));
	return e;
}

int
ctl_err(struct ctl_out *o, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	/* The first error wins: it is the cause. */
	if (o->code != 0)
		return o->code;
	o->code = code;
	va_start(ap, fmt);
	vsnprintf(o->msg, sizeof(o->msg), fmt, ap);
	va_end(ap);
	snprintf(o->field, sizeof(o->field), "%s", field != NULL ? field : "");
	return code;
}

static void
add(struct ctl_out *o, const char *key, json_t *v)
{
	json_t *top = o->stack[o->depth - 1];
	int rc;

	if (v == NULL) {
		o->bad = 1;
		return;
	}
	if (json_is_object(top))
		rc = key != NULL ? json_object_set_new(top, key, v) : -1;
	else
		rc = json_array_append_new(top, v);
	if (rc != 0) {
		if (key == NULL && json_is_object(top))
			json_decref(v);
		o->bad = 1;
	}
}

void
ctl_out_str(struct ctl_out *o, const char *key, const char *s)
{
	add(o, key, json_string(s != NULL ? s : ""));
}

void
ctl_out_fmt(struct ctl_out *o, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add(o, key, json_string(buf));
}

void
ctl_out_u64(struct ctl_out *o, const char *key, uint64_t v)
{
	/* json_int_t is signed 64 bits; counters stay far below 2^63. */
	add(o, key, json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v));
}

void
ctl_out_i64(struct ctl_out *o, const char *key, int64_t v)
{
	add(o, key, json_integer(v));
}

void
ctl_out_bool(struct ctl_out *o, const char *key, int v)
{
	add(o, key, json_boolean(v));
}

void
ctl_out_real(struct ctl_out *o, const char *key, double v)
{
	add(o, key, json_real(v));
}

void
ctl_out_null(struct ctl_out *o, const char *key)
{
	add(o, key, json_null());
}

void
ctl_out_ip4(struct ctl_out *o, const char *key, uint32_t a, int len)
{
	char buf[INET_ADDRSTRLEN + 16];
	uint32_t n = htonl(a);
	size_t l;

	inet_ntop(AF_INET, &n, buf, INET_ADDRSTRLEN);
	l = strlen(buf);
	if (len >= 0)
		snprintf(buf + l, sizeof(buf) - l, "/%d", len);
	add(o, key, json_string(buf));
}

void
ctl_out_ip6(struct ctl_out *o, const char *key, const uint8_t *a, int len)
{
	char buf[INET6_ADDRSTRLEN + 16];
	size_t l;

	inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
	l = strlen(buf);
	if (len >= 0)
		snprintf(buf + l, sizeof(buf) - l, "/%d", len);
	add(o, key, json_string(buf));
}

void
ctl_out_mac(struct ctl_out *o, const char *key, const uint8_t *m)
{
	ctl_out_fmt(o, key, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		    m[3], m[4], m[5]);
}

static void
open_container(struct ctl_out *o, const char *key, json_t *c)
{
	if (o->depth == OUT_DEPTH || c == NULL) {
		json_decref(c);
		o->bad = 1;
		return;
	}
	json_incref(c);
	add(o, key, c);
	if (o->bad) {
		json_decref(c);
		return;
	}
	o->stack[o->depth++] = c;
	json_decref(c);		/* the parent holds it */
}

void
ctl_out_obj(struct ctl_out *o, const char *key)
{
	open_container(o, key, json_object());
}

void
ctl_out_arr(struct ctl_out *o, const char *key)
{
	open_container(o, key, json_array());
}

void
ctl_out_end(struct ctl_out *o)
{
	if (o->depth <= 1)
		o->bad = 1;
	else
		o->depth--;
}

/* --- text for people ---------------------------------------------------- */

static void
scalar_text(json_t *v, char *buf, size_t size)
{
	if (json_is_string(v)) {
		snprintf(buf, size, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(buf, size, "%.6g", json_real_value(v));
	} else if (json_is_true(v)) {
		snprintf(buf, size, "yes");
	} else if (json_is_false(v)) {
		snprintf(buf, size, "no");
	} else if (json_is_null(v)) {
		snprintf(buf, size, "-");
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		snprintf(buf, size, "%s", s != NULL ? s : "?");
		free(s);
	}
}

static int
is_table(json_t *a)
{
	size_t i;
	json_t *e;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return 0;
	json_array_foreach(a, i, e)
		if (!json_is_object(e))
			return 0;
	return 1;
}

#define TABLE_COLS	24
#define CELL_MAX	128

/* The last column is not padded: no trailing blanks. */
static void
cell_print(FILE *f, const char *s, size_t width, int last)
{
	if (last)
		fprintf(f, "%s\n", s);
	else
		fprintf(f, "%-*s  ", (int)width, s);
}

static void
render_table(FILE *f, json_t *a, int indent)
{
	const char *cols[TABLE_COLS];
	size_t width[TABLE_COLS];
	unsigned int n = 0, c;
	char cell[CELL_MAX];
	const char *key;
	size_t i;
	json_t *row, *v;

	json_array_foreach(a, i, row) {
		json_object_foreach(row, key, v) {
			for (c = 0; c < n; c++)
				if (strcmp(cols[c], key) == 0)
					break;
			if (c == n && n < TABLE_COLS) {
				cols[n] = key;
				width[n++] = strlen(key);
			}
		}
	}
	json_array_foreach(a, i, row)
		for (c = 0; c < n; c++) {
			v = json_object_get(row, cols[c]);
			scalar_text(v != NULL ? v : json_null(), cell,
				    sizeof(cell));
			if (strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	fprintf(f, "%*s", indent, "");
	for (c = 0; c < n; c++)
		cell_print(f, cols[c], width[c], c + 1 == n);
	json_array_foreach(a, i, row) {
		fprintf(f, "%*s", indent, "");
		for (c = 0; c < n; c++) {
			v = json_object_get(row, cols[c]);
			scalar_text(v != NULL ? v : json_null(), cell,
				    sizeof(cell));
			cell_print(f, cell, width[c], c + 1 == n);
		}
	}
}

static void
render(FILE *f, json_t *v, int indent)
{
	char buf[CELL_MAX * 4];
	const char *key;
	json_t *e;
	size_t i;

	if (is_table(v)) {
		render_table(f, v, indent);
		return;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (json_is_object(e) || json_is_array(e)) {
				render(f, e, indent + 2);
			} else {
				scalar_text(e, buf, sizeof(buf));
				fprintf(f, "%*s%s\n", indent, "", buf);
			}
		}
		return;
	}
	if (!json_is_object(v)) {
		scalar_text(v, buf, sizeof(buf));
		fprintf(f, "%*s%s\n", indent, "", buf);
		return;
	}
	json_object_foreach(v, key, e) {
		if (json_is_object(e) || is_table(e) ||
		    (json_is_array(e) && json_array_size(e) > 0)) {
			fprintf(f, "%*s%s:\n", indent, "", key);
			render(f, e, indent + 2);
		} else {
			scalar_text(json_is_array(e) ? json_null() : e, buf,
				    sizeof(buf));
			fprintf(f, "%*s%s: %s\n", indent, "", key, buf);
		}
	}
}

int
ctl_render_text(FILE *f, const char *json)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);

	if (v == NULL)
		return -EINVAL;
	render(f, v, 0);
	json_decref(v);
	return 0;
}
