/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/ctl's request side, what a peer of the control
 * socket controls. Each input is run as one JSON-RPC message through
 * ctl_rpc_handle() against a registry with a parameter of every type;
 * the reply must be NULL (notifications only) or one line of valid JSON
 * that ctl_render_text() can print. Inputs up to 512 bytes are also
 * split into words and run the CLI way (ctl_call_words) and through
 * ctl_words_to_params. LeakSanitizer checks every error path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl.h"

#define CHECK(c)				\
	do {					\
		if (!(c))			\
			__builtin_trap();	\
	} while (0)

static int
echo(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	unsigned int i;

	(void)arg;
	ctl_out_arr(o, "args");
	for (i = 0; i < a->n; i++) {
		const struct ctl_val *v = &a->v[i];

		if (!v->set)
			continue;
		ctl_out_obj(o, NULL);
		ctl_out_str(o, "name", a->params[i].name);
		if (v->s != NULL)
			ctl_out_str(o, "s", v->s);
		ctl_out_i64(o, "i", v->i);
		if (v->family == 4)
			ctl_out_ip4(o, "ip", v->p4.addr, v->p4.len);
		else if (v->family == 6)
			ctl_out_ip6(o, "ip", v->p6.addr, v->p6.len);
		ctl_out_mac(o, "mac", v->mac);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static int
fail(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *v = ctl_arg(a, "n");

	(void)arg;
	ctl_out_u64(o, "partial", 1);
	return ctl_err(o, v != NULL && v->i < 0 ? CTL_E_LIMIT : CTL_E_FAILED,
		       "n", "failed on purpose");
}

static const struct ctl_param all_params[] = {
	{ .name = "s", .type = CTL_T_STR },
	{ .name = "n", .type = CTL_T_INT, .min = -1000, .max = 1000000 },
	{ .name = "b", .type = CTL_T_BOOL },
	{ .name = "ip", .type = CTL_T_IP },
	{ .name = "prefix", .type = CTL_T_PFX, .required = 1 },
	{ .name = "mac", .type = CTL_T_MAC },
	{ .name = "level", .type = CTL_T_ENUM, .choices = "a|bb|ccc" },
	{ .name = NULL },
};

static const struct ctl_param n_param[] = {
	{ .name = "n", .type = CTL_T_INT, .min = -5, .max = 5 },
	{ .name = NULL },
};

static const struct ctl_cmd cmds[] = {
	{ .method = "x.all.set", .params = all_params, .fn = echo,
	  .flags = CTL_F_WRITE },
	{ .method = "x.none.get", .fn = echo },
	{ .method = "x.fail.get", .params = n_param, .fn = fail },
};

static struct ctl_registry *reg;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *reply;
	FILE *devnull;

	if (reg == NULL) {
		unsigned int i;

		reg = ctl_registry_create();
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			CHECK(ctl_register(reg, &cmds[i]) == 0);
	}
	devnull = fopen("/dev/null", "w");
	CHECK(devnull != NULL);

	reply = ctl_rpc_handle(reg, (const char *)data, size, NULL,
			       size > 0 && (data[0] & 1));
	if (reply != NULL) {
		json_t *j = json_loads(reply, JSON_DECODE_ANY, NULL);

		CHECK(j != NULL);
		CHECK(json_is_object(j) || json_is_array(j));
		CHECK(strchr(reply, '\n') == NULL);
		json_decref(j);
		CHECK(ctl_render_text(devnull, reply) == 0);
		free(reply);
	}

	if (size <= 512) {
		char *buf = malloc(size + 1), *argv[16], *save = NULL, *w;
		char err[256], *json = NULL;
		int argc = 0;

		CHECK(buf != NULL);
		memcpy(buf, data, size);
		buf[size] = '\0';
		for (w = strtok_r(buf, " \n", &save); w != NULL && argc < 16;
		     w = strtok_r(NULL, " \n", &save))
			argv[argc++] = w;
		if (argc > 0) {
			int rc = ctl_call_words(reg, argv[0], argc - 1,
						argv + 1, 1, &json, err,
						sizeof(err));

			CHECK(rc != 0 || json != NULL);
			CHECK(rc == 0 || memchr(err, 0, sizeof(err)) != NULL);
			if (json != NULL)
				CHECK(ctl_render_text(devnull, json) == 0);
			free(json);
			json = ctl_words_to_params(argc, argv, err, sizeof(err));
			free(json);
		}
		free(buf);
	}
	fclose(devnull);
	return 0;
}
