/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ctl without a socket: registration rules, argument conversion for
 * every parameter type (JSON values and CLI words), every JSON-RPC 2.0
 * error code from the specification's own examples (section 7), batches
 * and notifications, the result builder and the text rendering.
 */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl.h"

/* A handler that echoes its arguments, so conversions can be checked. */
static int
echo(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < a->n; i++) {
		const struct ctl_val *v = &a->v[i];
		const char *k = a->params[i].name;

		if (!v->set)
			continue;
		switch (a->params[i].type) {
		case CTL_T_STR:
			ctl_out_str(o, k, v->s);
			break;
		case CTL_T_INT:
		case CTL_T_BOOL:
		case CTL_T_ENUM:
			ctl_out_i64(o, k, v->i);
			break;
		case CTL_T_IP:
		case CTL_T_PFX:
			if (v->family == 4)
				ctl_out_ip4(o, k, v->p4.addr, v->p4.len);
			else
				ctl_out_ip6(o, k, v->p6.addr, v->p6.len);
			break;
		case CTL_T_MAC:
			ctl_out_mac(o, k, v->mac);
			break;
		}
	}
	return 0;
}

static int
fails(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	(void)arg;
	ctl_out_u64(o, "partial", 1);
	return ctl_err(o, CTL_E_NOT_FOUND, "ip", "no neighbour 10.0.0.1");
}

static int
nested(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	(void)arg;
	ctl_out_obj(o, "totals");
	ctl_out_u64(o, "rx", 10);
	ctl_out_end(o);
	ctl_out_arr(o, "ports");
	ctl_out_obj(o, NULL);
	ctl_out_str(o, "name", "lan4");
	ctl_out_u64(o, "rx", 7);
	ctl_out_end(o);
	ctl_out_obj(o, NULL);
	ctl_out_str(o, "name", "mesh");
	ctl_out_u64(o, "rx", 3);
	ctl_out_end(o);
	ctl_out_end(o);
	return 0;
}

/* A handler that misuses the builder: more ends than opens. */
static int
misuse(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	(void)a;
	(void)arg;
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param echo_params[] = {
	{ .name = "s", .type = CTL_T_STR },
	{ .name = "n", .type = CTL_T_INT, .min = -5, .max = 1000 },
	{ .name = "b", .type = CTL_T_BOOL },
	{ .name = "ip", .type = CTL_T_IP },
	{ .name = "pfx", .type = CTL_T_PFX },
	{ .name = "mac", .type = CTL_T_MAC },
	{ .name = "mode", .type = CTL_T_ENUM, .choices = "drop|accept|reject" },
	{ .name = "long", .type = CTL_T_STR, .max = 4096 },
	{ .name = NULL },
};

static const struct ctl_param req_params[] = {
	{ .name = "ip", .type = CTL_T_IP, .required = 1, .help = "an address" },
	{ .name = "port", .type = CTL_T_STR },
	{ .name = NULL },
};

static const struct ctl_cmd cmds[] = {
	{ .method = "test.echo.get", .params = echo_params, .fn = echo,
	  .help = "echo" },
	{ .method = "test.req.add", .params = req_params, .fn = echo,
	  .flags = CTL_F_WRITE, .help = "write" },
	{ .method = "test.fail.get", .fn = fails, .help = "fails" },
	{ .method = "test.nested.get", .fn = nested, .help = "nested" },
	{ .method = "test.misuse.get", .fn = misuse, .help = "misuse" },
};

static struct ctl_registry *
registry(void)
{
	struct ctl_registry *r = ctl_registry_create();
	unsigned int i;

	assert_non_null(r);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(ctl_register(r, &cmds[i]), 0);
	return r;
}

/* Run 'req' and return the reply parsed (NULL for no reply). */
static json_t *
call(struct ctl_registry *r, const char *req, int privileged)
{
	char *s = ctl_rpc_handle(r, req, strlen(req), NULL, privileged);
	json_t *j;

	if (s == NULL)
		return NULL;
	j = json_loads(s, JSON_DECODE_ANY, NULL);
	assert_non_null(j);
	free(s);
	return j;
}

static int
err_code(json_t *reply)
{
	json_t *e = json_object_get(reply, "error");

	assert_non_null(e);
	return (int)json_integer_value(json_object_get(e, "code"));
}

static const char *
err_field(json_t *reply)
{
	json_t *d = json_object_get(json_object_get(reply, "error"), "data");

	return d != NULL ? json_string_value(json_object_get(d, "field")) : NULL;
}

static void
test_ctl_register_rejects_bad_names_and_duplicates(void **state)
{
	static const struct ctl_param dup[] = {
		{ .name = "a", .type = CTL_T_STR },
		{ .name = "a", .type = CTL_T_INT },
		{ .name = NULL },
	};
	static const struct ctl_param noch[] = {
		{ .name = "a", .type = CTL_T_ENUM },
		{ .name = NULL },
	};
	static const char *const bad[] = {
		"", "stats", ".stats.get", "stats.get.", "stats..get",
		"Stats.get", "stats get", "stats.get-all",
	};
	struct ctl_registry *r = registry();
	struct ctl_cmd c = { .fn = echo };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.method = bad[i];
		assert_int_equal(ctl_register(r, &c), -EINVAL);
	}
	assert_int_equal(ctl_register(r, &cmds[0]), -EEXIST);
	c.method = "x.dup";
	c.params = dup;
	assert_int_equal(ctl_register(r, &c), -EINVAL);
	c.params = noch;
	assert_int_equal(ctl_register(r, &c), -EINVAL);
	c.params = NULL;
	c.fn = NULL;
	assert_int_equal(ctl_register(r, &c), -EINVAL);
	assert_null(ctl_lookup(r, "x.dup"));
	assert_ptr_equal(ctl_lookup(r, "test.echo.get"), &cmds[0]);
	ctl_registry_free(r);
	ctl_registry_free(NULL);
}

static int
collect(const struct ctl_cmd *c, void *arg)
{
	char *buf = arg;

	strcat(buf, c->method);
	strcat(buf, " ");
	return 0;
}

static void
test_ctl_walk_is_sorted(void **state)
{
	struct ctl_registry *r = registry();
	char buf[512] = "";

	(void)state;
	ctl_cmd_walk(r, collect, buf);
	assert_string_equal(buf, "test.echo.get test.fail.get test.misuse.get "
			    "test.nested.get test.req.add ");
	ctl_registry_free(r);
}

static void
test_ctl_params_by_name_every_type(void **state)
{
	struct ctl_registry *r = registry();
	json_t *rep, *res;

	(void)state;
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo.get\","
		   "\"params\":{\"s\":\"x y\",\"n\":-5,\"b\":true,"
		   "\"ip\":\"2001:db8::1\",\"pfx\":\"10.0.0.0/8\","
		   "\"mac\":\"02:00:00:00:00:0A\",\"mode\":\"reject\"}}", 1);
	res = json_object_get(rep, "result");
	assert_non_null(res);
	assert_int_equal(json_integer_value(json_object_get(rep, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(rep, "jsonrpc")),
			    "2.0");
	assert_string_equal(json_string_value(json_object_get(res, "s")), "x y");
	assert_int_equal(json_integer_value(json_object_get(res, "n")), -5);
	assert_int_equal(json_integer_value(json_object_get(res, "b")), 1);
	assert_string_equal(json_string_value(json_object_get(res, "ip")),
			    "2001:db8::1/128");
	assert_string_equal(json_string_value(json_object_get(res, "pfx")),
			    "10.0.0.0/8");
	assert_string_equal(json_string_value(json_object_get(res, "mac")),
			    "02:00:00:00:00:0a");
	assert_int_equal(json_integer_value(json_object_get(res, "mode")), 2);
	json_decref(rep);
	ctl_registry_free(r);
}

static void
test_ctl_params_by_position_and_strings_converted(void **state)
{
	struct ctl_registry *r = registry();
	json_t *rep, *res;

	(void)state;
	/* Strings for int and bool (what key=value words send), a number
	 * for a string parameter, null skips a position. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":"
		   "\"test.echo.get\",\"params\":[7,\"0x10\",\"off\",null]}", 1);
	res = json_object_get(rep, "result");
	assert_non_null(res);
	assert_string_equal(json_string_value(json_object_get(rep, "id")), "a");
	assert_string_equal(json_string_value(json_object_get(res, "s")), "7");
	assert_int_equal(json_integer_value(json_object_get(res, "n")), 16);
	assert_int_equal(json_integer_value(json_object_get(res, "b")), 0);
	assert_null(json_object_get(res, "ip"));
	json_decref(rep);
	ctl_registry_free(r);
}

static void
test_ctl_bad_params_name_the_field(void **state)
{
	static const struct {
		const char *params;
		const char *field;
	} cases[] = {
		{ "{\"n\":1001}", "n" },		/* above max */
		{ "{\"n\":-6}", "n" },			/* below min */
		{ "{\"n\":\"12abc\"}", "n" },
		{ "{\"n\":1.5}", "n" },
		{ "{\"b\":\"maybe\"}", "b" },
		{ "{\"b\":2}", "b" },
		{ "{\"ip\":\"10.0.0.1/24\"}", "ip" },	/* IP takes no length */
		{ "{\"ip\":\"10.0.0.256\"}", "ip" },
		{ "{\"ip\":5}", "ip" },
		{ "{\"pfx\":\"2001:db8::/129\"}", "pfx" },
		{ "{\"mac\":\"02:00:00:00:00\"}", "mac" },
		{ "{\"mode\":\"allow\"}", "mode" },
		{ "{\"s\":[1]}", "s" },
		{ "{\"nope\":1}", "nope" },		/* unknown parameter */
	};
	struct ctl_registry *r = registry();
	unsigned int i;
	char req[256];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *rep;

		snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"id\":%u,"
			 "\"method\":\"test.echo.get\",\"params\":%s}", i,
			 cases[i].params);
		rep = call(r, req, 1);
		assert_int_equal(err_code(rep), CTL_E_PARAMS);
		assert_non_null(err_field(rep));
		assert_string_equal(err_field(rep), cases[i].field);
		assert_int_equal(json_integer_value(json_object_get(rep, "id")),
				 i);
		json_decref(rep);
	}
	/* Too many positional parameters, and a missing required one. */
	{
		json_t *rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
				   "\"test.req.add\",\"params\":[\"1.2.3.4\","
				   "\"a\",\"b\"]}", 1);

		assert_int_equal(err_code(rep), CTL_E_PARAMS);
		json_decref(rep);
		rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
			   "\"test.req.add\",\"params\":{\"port\":\"a\"}}", 1);
		assert_int_equal(err_code(rep), CTL_E_PARAMS);
		assert_string_equal(err_field(rep), "ip");
		json_decref(rep);
	}
	ctl_registry_free(r);
}

/* A string stops at CTL_STR_MAX bytes unless its parameter's max says
 * more; too long is an error that says so, naming the field. */
static void
test_ctl_string_length_limits(void **state)
{
	static const struct {
		const char *key;
		size_t len;
		int ok;
	} cases[] = {
		{ "s", CTL_STR_MAX - 1, 1 },
		{ "s", CTL_STR_MAX, 0 },
		{ "long", CTL_STR_MAX, 1 },
		{ "long", 4095, 1 },
		{ "long", 4096, 0 },
	};
	struct ctl_registry *r = registry();
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cases[i].len + 128;
		char *req = malloc(n), *val = malloc(cases[i].len + 1);
		json_t *rep, *res;

		assert_non_null(req);
		assert_non_null(val);
		memset(val, 'x', cases[i].len);
		val[cases[i].len] = '\0';
		snprintf(req, n, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
			 "\"test.echo.get\",\"params\":{\"%s\":\"%s\"}}",
			 cases[i].key, val);
		rep = call(r, req, 1);
		if (cases[i].ok) {
			res = json_object_get(rep, "result");
			assert_non_null(res);
			assert_int_equal(strlen(json_string_value(
				json_object_get(res, cases[i].key))),
				cases[i].len);
		} else {
			assert_int_equal(err_code(rep), CTL_E_PARAMS);
			assert_string_equal(err_field(rep), cases[i].key);
			assert_non_null(strstr(json_string_value(json_object_get(
				json_object_get(rep, "error"), "message")),
				"must be shorter than"));
		}
		json_decref(rep);
		free(req);
		free(val);
	}
	ctl_registry_free(r);
}

/* The examples of JSON-RPC 2.0 section 7, with our methods. */
static void
test_ctl_spec_error_examples(void **state)
{
	struct ctl_registry *r = registry();
	json_t *rep;

	(void)state;
	/* Non-existent method. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"method\":\"foobar\",\"id\":\"1\"}",
		   1);
	assert_int_equal(err_code(rep), CTL_E_METHOD);
	assert_string_equal(json_string_value(json_object_get(rep, "id")), "1");
	json_decref(rep);
	/* Invalid JSON: parse error, id null. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"method\":\"foobar,\"params\":"
		   "\"bar\",\"baz]", 1);
	assert_int_equal(err_code(rep), CTL_E_PARSE);
	assert_true(json_is_null(json_object_get(rep, "id")));
	json_decref(rep);
	/* Invalid request object: method is a number. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}", 1);
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	json_decref(rep);
	/* Wrong version, params a string, id an object. */
	rep = call(r, "{\"jsonrpc\":\"1.0\",\"method\":\"test.echo.get\","
		   "\"id\":2}", 1);
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	assert_int_equal(json_integer_value(json_object_get(rep, "id")), 2);
	json_decref(rep);
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\","
		   "\"params\":\"x\",\"id\":3}", 1);
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	json_decref(rep);
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\","
		   "\"id\":{}}", 1);
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	assert_true(json_is_null(json_object_get(rep, "id")));
	json_decref(rep);
	/* Batch, invalid JSON. */
	rep = call(r, "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],"
		   "\"id\":\"1\"},{\"jsonrpc\":\"2.0\",\"method\"]", 1);
	assert_int_equal(err_code(rep), CTL_E_PARSE);
	json_decref(rep);
	/* Empty batch: one error, not an array. */
	rep = call(r, "[]", 1);
	assert_true(json_is_object(rep));
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	json_decref(rep);
	/* Invalid batch: one error per element. */
	rep = call(r, "[1,2,3]", 1);
	assert_int_equal(json_array_size(rep), 3);
	assert_int_equal(err_code(json_array_get(rep, 2)), CTL_E_REQUEST);
	json_decref(rep);
	/* Duplicate keys are refused at parse. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":"
		   "\"test.echo.get\"}", 1);
	assert_int_equal(err_code(rep), CTL_E_PARSE);
	json_decref(rep);
	/* A handler error keeps its code, message and field. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"test.fail.get\"}",
		   1);
	assert_int_equal(err_code(rep), CTL_E_NOT_FOUND);
	assert_string_equal(err_field(rep), "ip");
	assert_null(json_object_get(rep, "result"));
	json_decref(rep);
	/* A handler that breaks the builder gets an internal error. */
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":"
		   "\"test.misuse.get\"}", 1);
	assert_int_equal(err_code(rep), CTL_E_INTERNAL);
	json_decref(rep);
	ctl_registry_free(r);
}

static void
test_ctl_batch_mixed_with_notifications(void **state)
{
	struct ctl_registry *r = registry();
	json_t *rep;

	(void)state;
	rep = call(r, "[{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\","
		   "\"params\":{\"n\":1},\"id\":\"1\"},"
		   "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\"},"
		   "{\"foo\":\"boo\"},"
		   "{\"jsonrpc\":\"2.0\",\"method\":\"foo.get\",\"id\":\"5\"},"
		   "{\"jsonrpc\":\"2.0\",\"method\":\"test.nested.get\","
		   "\"id\":\"9\"}]", 1);
	assert_int_equal(json_array_size(rep), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_array_get(rep, 0), "result"), "n")), 1);
	assert_int_equal(err_code(json_array_get(rep, 1)), CTL_E_REQUEST);
	assert_int_equal(err_code(json_array_get(rep, 2)), CTL_E_METHOD);
	assert_non_null(json_object_get(json_array_get(rep, 3), "result"));
	json_decref(rep);
	/* Only notifications: nothing comes back, even for errors. */
	assert_null(call(r, "[{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\"},"
			 "{\"jsonrpc\":\"2.0\",\"method\":\"nope.get\"},"
			 "{\"jsonrpc\":\"2.0\",\"method\":\"test.fail.get\"}]",
			 1));
	assert_null(call(r, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo.get\","
			 "\"params\":{\"n\":99999}}", 1));
	ctl_registry_free(r);
}

static void
test_ctl_batch_is_bounded(void **state)
{
	struct ctl_registry *r = registry();
	size_t size = 300 * 64 + 2, i;
	char *req = malloc(size), *p = req;
	json_t *rep;

	(void)state;
	assert_non_null(req);
	*p++ = '[';
	for (i = 0; i < 257; i++)
		p += sprintf(p, "%s{\"jsonrpc\":\"2.0\",\"method\":\"a.b\","
			     "\"id\":1}", i > 0 ? "," : "");
	*p++ = ']';
	*p = '\0';
	rep = call(r, req, 1);
	assert_true(json_is_object(rep));
	assert_int_equal(err_code(rep), CTL_E_REQUEST);
	json_decref(rep);
	free(req);
	ctl_registry_free(r);
}

static void
test_ctl_write_needs_privilege(void **state)
{
	struct ctl_registry *r = registry();
	json_t *rep;

	(void)state;
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.req.add\","
		   "\"params\":{\"ip\":\"1.2.3.4\"}}", 0);
	assert_int_equal(err_code(rep), CTL_E_DENIED);
	json_decref(rep);
	rep = call(r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo.get\"}",
		   0);
	assert_non_null(json_object_get(rep, "result"));
	json_decref(rep);
	ctl_registry_free(r);
}

static void
test_ctl_call_words(void **state)
{
	struct ctl_registry *r = registry();
	char *argv1[] = { "10.0.0.1", "port=lan4" };
	char *argv2[] = { "port=lan4", "2001:db8::1" };
	char *argv3[] = { "1.2.3.4", "a", "b" };
	char *argv4[] = { "ip=1.2.3.4", "ip=1.2.3.5" };
	char *json = NULL, err[256];
	int rc;

	(void)state;
	rc = ctl_call_words(r, "test.req.add", 2, argv1, 1, &json, err,
			    sizeof(err));
	assert_int_equal(rc, 0);
	assert_string_equal(json, "{\"ip\":\"10.0.0.1/32\",\"port\":\"lan4\"}");
	free(json);
	/* A bare word fills the first parameter not given by name. */
	rc = ctl_call_words(r, "test.req.add", 2, argv2, 1, &json, err,
			    sizeof(err));
	assert_int_equal(rc, 0);
	assert_string_equal(json, "{\"ip\":\"2001:db8::1/128\",\"port\":\"lan4\"}");
	free(json);
	assert_int_equal(ctl_call_words(r, "test.req.add", 3, argv3, 1, &json,
					err, sizeof(err)), CTL_E_PARAMS);
	assert_null(json);
	assert_int_equal(ctl_call_words(r, "test.req.add", 2, argv4, 1, &json,
					err, sizeof(err)), CTL_E_PARAMS);
	assert_string_equal(err, "ip given twice");
	assert_int_equal(ctl_call_words(r, "test.req.add", 0, NULL, 1, &json,
					err, sizeof(err)), CTL_E_PARAMS);
	assert_string_equal(err, "ip: missing (an address)");
	assert_int_equal(ctl_call_words(r, "no.such", 0, NULL, 1, &json, err,
					sizeof(err)), CTL_E_METHOD);
	assert_int_equal(ctl_call_words(r, "test.fail.get", 0, NULL, 1, &json,
					err, sizeof(err)), CTL_E_NOT_FOUND);
	assert_string_equal(err, "no neighbour 10.0.0.1");
	ctl_registry_free(r);
}

static void
test_ctl_words_to_params_types(void **state)
{
	char *argv[] = { "n=12", "b=true", "s=lan4", "x=null", "f=1.5",
			 "q=[1]" };
	char *bad[] = { "novalue" };
	char err[128], *s;

	(void)state;
	s = ctl_words_to_params(6, argv, err, sizeof(err));
	assert_non_null(s);
	assert_string_equal(s, "{\"n\":12,\"b\":true,\"s\":\"lan4\",\"x\":null,"
			    "\"f\":1.5,\"q\":\"[1]\"}");
	free(s);
	assert_null(ctl_words_to_params(1, bad, err, sizeof(err)));
	assert_string_equal(err, "'novalue': expected key=value");
}

static void
test_ctl_render_text_tables_and_sections(void **state)
{
	struct ctl_registry *r = registry();
	char *json = NULL, err[64], *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	assert_int_equal(ctl_call_words(r, "test.nested.get", 0, NULL, 1, &json,
					err, sizeof(err)), 0);
	assert_int_equal(ctl_render_text(f, json), 0);
	assert_int_equal(ctl_render_text(f, "{\"a\":[],\"b\":null,\"c\":[1,2]}"),
			 0);
	assert_int_equal(ctl_render_text(f, "not json"), -EINVAL);
	fclose(f);
	assert_string_equal(buf, "totals:\n  rx: 10\nports:\n"
			    "  name  rx\n  lan4  7\n  mesh  3\n"
			    "a: -\nb: -\nc:\n  1\n  2\n");
	free(buf);
	free(json);
	ctl_registry_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl_register_rejects_bad_names_and_duplicates),
		cmocka_unit_test(test_ctl_walk_is_sorted),
		cmocka_unit_test(test_ctl_params_by_name_every_type),
		cmocka_unit_test(test_ctl_params_by_position_and_strings_converted),
		cmocka_unit_test(test_ctl_bad_params_name_the_field),
		cmocka_unit_test(test_ctl_string_length_limits),
		cmocka_unit_test(test_ctl_spec_error_examples),
		cmocka_unit_test(test_ctl_batch_mixed_with_notifications),
		cmocka_unit_test(test_ctl_batch_is_bounded),
		cmocka_unit_test(test_ctl_write_needs_privilege),
		cmocka_unit_test(test_ctl_call_words),
		cmocka_unit_test(test_ctl_words_to_params_types),
		cmocka_unit_test(test_ctl_render_text_tables_and_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
