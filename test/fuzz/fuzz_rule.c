/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: fw_rule_parse() on arbitrary text (config lines and
 * control-socket input reach it). An accepted rule must format to a
 * line that parses back into an equal rule, and format again to the same
 * text; applying it to a ruleset must not crash or leak, and the
 * reference matcher must take a key built from the input. An error must
 * come with a terminated message and a column within the line.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#include "fuzz.h"

static void
round_trip(const struct fw_rule *r)
{
	static char buf[FW_FORMAT_MAX], again_buf[FW_FORMAT_MAX];
	struct fw_rule again;
	struct fw_err err;
	int n, op;

	n = fw_rule_format(r, buf, sizeof(buf));
	CHECK(n > 0 && (size_t)n < sizeof(buf));
	CHECK(strlen(buf) == (size_t)n);
	op = fw_rule_parse(buf, &again, &err);
	CHECK(op == FW_OP_APPEND);
	CHECK(fw_rule_equal(r, &again));
	n = fw_rule_format(&again, again_buf, sizeof(again_buf));
	CHECK(n > 0 && strcmp(buf, again_buf) == 0);
}

/* The ruleset takes the command; the slow matcher takes any key. */
static void
apply(const char *line, const uint8_t *data, size_t size)
{
	struct fw_ruleset *rs = fw_ruleset_create();
	uint8_t a[16] = { 0 }, b[16] = { 0 };
	struct fw_err err;
	struct fw_key k;
	uint32_t log, res;
	unsigned int c;
	int rc;

	if (rs == NULL)
		return;
	rc = fw_ruleset_apply_line(rs, line, &err);
	CHECK(rc <= 0);
	if (rc < 0)
		CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	memcpy(a, data, size < 16 ? size : 16);
	if (size > 16)
		memcpy(b, data + 16, size - 16 < 16 ? size - 16 : 16);
	fw_key_fill(&k, a, b, size > 32 ? data[32] : 6, (uint16_t)size,
		    (uint16_t)(size * 7), 0, 1, 1u << (size % 5));
	for (c = 0; c < FW_CHAIN_MAX; c++) {
		res = fw_ruleset_match_slow(rs, (enum fw_chain)c, &k, &log);
		CHECK(res <= fw_ruleset_count(rs, (enum fw_chain)c));
		CHECK(log == 0 || log < res || res == 0);
		(void)fw_ruleset_verdict(rs, (enum fw_chain)c, &k, res, NULL);
	}
	fw_ruleset_free(rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_rule r;
	struct fw_err err;
	char *line;
	int op;

	if (size > FW_LINE_MAX + 16)
		return 0;
	line = malloc(size + 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';	/* the API takes C strings: stop at a NUL */
	op = fw_rule_parse(line, &r, &err);
	if (op < 0) {
		CHECK(op == -EINVAL);
		CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		CHECK(err.msg[0] != '\0');
		CHECK(err.col <= strlen(line) + 1);
	} else {
		CHECK(op < FW_OP_MAX);
		if (op == FW_OP_APPEND || op == FW_OP_INSERT ||
		    op == FW_OP_REPLACE || (op == FW_OP_DELETE && r.pos == 0))
			round_trip(&r);
	}
	apply(line, data, size);
	free(line);
	return 0;
}
