/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON-RPC 2.0 messages: one request, one notification or a batch in,
 * the reply line out (https://www.jsonrpc.org/specification). Transport
 * free: rpc.c feeds it lines from the Unix socket, the fuzzer feeds it
 * bytes.
 */
#include "ctl.h"

#include <stdlib.h>
#include <string.h>

#include "ctl_priv.h"

/* The most requests one batch may carry: a bound on the work and on the
 * reply a single line can cause. */
#define BATCH_MAX	256

static json_t *
error_reply(json_t *id, int code, const char *msg, const char *field)
{
	json_t *r = json_pack("{s:s, s:{s:i, s:s}, s:O}", "jsonrpc", "2.0",
			      "error", "code", code, "message", msg,
			      "id", id != NULL ? id : json_null());

	if (r != NULL && field != NULL)
		json_object_set_new(json_object_get(r, "error"), "data",
				    json_pack("{s:s}", "field", field));
	return r;
}

/* An id must be a string, a number or null (section 4). */
static int
valid_id(json_t *id)
{
	return json_is_string(id) || json_is_number(id) || json_is_null(id);
}

/*
 * One request object. Returns the reply (new reference), or NULL for a
 * notification, which gets no reply even when it fails (section 4.1).
 */
static json_t *
handle_one(const struct ctl_registry *r, json_t *req, void *conn,
	   int privileged)
{
	json_t *id, *ver, *method, *params, *reply;
	const struct ctl_cmd *c;
	struct ctl_out *o;
	int notification, rc;

	if (!json_is_object(req))
		return error_reply(NULL, CTL_E_REQUEST,
				   "a request must be a JSON object", NULL);
	id = json_object_get(req, "id");
	notification = id == NULL;
	if (id != NULL && !valid_id(id))
		return error_reply(NULL, CTL_E_REQUEST,
				   "id must be a string, a number or null", "id");
	ver = json_object_get(req, "jsonrpc");
	if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0)
		return error_reply(id, CTL_E_REQUEST,
				   "\"jsonrpc\" must be \"2.0\"", "jsonrpc");
	method = json_object_get(req, "method");
	if (!json_is_string(method))
		return error_reply(id, CTL_E_REQUEST,
				   "\"method\" must be a string", "method");
	params = json_object_get(req, "params");
	if (params != NULL && !json_is_object(params) &&
	    !json_is_array(params))
		return error_reply(id, CTL_E_REQUEST,
				   "\"params\" must be an object or an array",
				   "params");
	c = ctl_lookup(r, json_string_value(method));
	if (c == NULL) {
		char msg[CTL_NAME_MAX + 32];

		if (notification)
			return NULL;
		snprintf(msg, sizeof(msg), "no such method: %.*s",
			 CTL_NAME_MAX, json_string_value(method));
		return error_reply(id, CTL_E_METHOD, msg, "method");
	}
	o = ctl_out_create();
	if (o == NULL)
		return notification ? NULL :
		       error_reply(id, CTL_E_INTERNAL, "out of memory", NULL);
	rc = ctl_cmd_call(c, params, conn, privileged, o);
	if (notification)
		reply = NULL;
	else if (rc != 0)
		reply = json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0",
				  "error", ctl_out_error_obj(o), "id", id);
	else
		reply = json_pack("{s:s, s:O, s:O}", "jsonrpc", "2.0",
				  "result", ctl_out_result(o), "id", id);
	ctl_out_free(o);
	return reply;
}

static char *
dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	json_decref(v);
	return s;
}

char *
ctl_rpc_handle(const struct ctl_registry *r, const char *msg, size_t len,
	       void *conn, int privileged)
{
	json_error_t jerr;
	json_t *req, *replies, *one, *e;
	size_t i;

	req = json_loadb(msg, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
			 &jerr);
	if (req == NULL) {
		char m[256];

		snprintf(m, sizeof(m), "parse error at byte %d: %s",
			 jerr.position, jerr.text);
		return dump(error_reply(NULL, CTL_E_PARSE, m, NULL));
	}
	if (!json_is_array(req)) {
		one = handle_one(r, req, conn, privileged);
		json_decref(req);
		return one != NULL ? dump(one) : NULL;
	}
	/* A batch (section 6): an empty one is itself an invalid request. */
	if (json_array_size(req) == 0 || json_array_size(req) > BATCH_MAX) {
		json_decref(req);
		return dump(error_reply(NULL, CTL_E_REQUEST,
				json_array_size(req) == 0 ? "empty batch" :
				"batch too long (at most 256 requests)", NULL));
	}
	replies = json_array();
	json_array_foreach(req, i, e) {
		one = handle_one(r, e, conn, privileged);
		if (one != NULL && replies != NULL)
			json_array_append_new(replies, one);
		else
			json_decref(one);
	}
	json_decref(req);
	if (replies == NULL)
		return dump(error_reply(NULL, CTL_E_INTERNAL, "out of memory",
					NULL));
	if (json_array_size(replies) == 0) {
		json_decref(replies);
		return NULL;
	}
	return dump(replies);
}
