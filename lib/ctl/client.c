/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client side of the control socket, for meshxlatctl and the agents:
 * connect, build a request line, and take a reply line apart, so that no
 * tool outside lib/ctl needs to know JSON.
 */
#include "ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "ctl_priv.h"

int
ctl_client_connect(const char *path, char *err, size_t err_size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, err_size, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, err_size, "socket: %s", strerror(errno));
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		snprintf(err, err_size, "%s: %s%s", path, strerror(e),
			 e == ENOENT || e == ECONNREFUSED ?
			 " (is meshxlat running with a control socket?)" : "");
		close(fd);
		return -e;
	}
	return fd;
}

char *
ctl_client_request(const char *method, const char *params, long id)
{
	json_t *p = NULL, *req;
	char *s;

	if (params != NULL) {
		p = json_loads(params, 0, NULL);
		if (p == NULL)
			return NULL;
	}
	req = json_pack("{s:s, s:s, s:I}", "jsonrpc", "2.0", "method", method,
			"id", (json_int_t)id);
	if (req == NULL) {
		json_decref(p);
		return NULL;
	}
	if (p != NULL)
		json_object_set_new(req, "params", p);
	s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return s;
}

int
ctl_reply_parse(const char *line, size_t len, struct ctl_reply *r)
{
	json_t *j, *res, *e;

	memset(r, 0, sizeof(*r));
	j = json_loadb(line, len, 0, NULL);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		return -EBADMSG;
	}
	res = json_object_get(j, "result");
	e = json_object_get(j, "error");
	r->is_event = json_object_get(j, "method") != NULL &&
		      json_object_get(j, "id") == NULL;
	if (r->is_event)
		res = json_object_get(j, "params");
	if (res != NULL) {
		r->result = json_dumps(res, JSON_COMPACT | JSON_ENCODE_ANY);
	} else if (json_is_object(e)) {
		json_t *d = json_object_get(e, "data");

		r->code = (int)json_integer_value(json_object_get(e, "code"));
		snprintf(r->message, sizeof(r->message), "%s",
			 json_is_string(json_object_get(e, "message")) ?
			 json_string_value(json_object_get(e, "message")) : "");
		if (json_is_string(json_object_get(d, "field")))
			snprintf(r->field, sizeof(r->field), "%s",
				 json_string_value(json_object_get(d, "field")));
		if (r->code == 0)
			r->code = CTL_E_INTERNAL;
	} else {
		json_decref(j);
		return -EBADMSG;
	}
	r->id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return r->code == 0 && r->result == NULL ? -ENOMEM : 0;
}

int
ctl_json_pretty(const char *json, char **out)
{
	json_t *j = json_loads(json, JSON_DECODE_ANY, NULL);

	if (j == NULL)
		return -EINVAL;
	*out = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
	json_decref(j);
	return *out != NULL ? 0 : -ENOMEM;
}

int
ctl_json_get_str(const char *json, const char *key, char **out)
{
	json_t *j = json_loads(json, JSON_DECODE_ANY, NULL), *v;

	*out = NULL;
	if (j == NULL)
		return -EINVAL;
	v = json_object_get(j, key);
	if (json_is_string(v))
		*out = strdup(json_string_value(v));
	json_decref(j);
	return *out != NULL ? 0 : -ENOENT;
}
