/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cmdline face of the command registry. At start-up each registered
 * method becomes cmdline instances built at run time (testpmd's
 * cmd_set_fwd_mode_init does the same for its mode list): one fixed
 * string token per word of the method name, then either nothing or one
 * TOKEN_STRING_MULTI token with the arguments, because a multi-string
 * token never matches an empty rest of line. The arguments are split
 * into words ("double quotes" keep blanks) and run through
 * ctl_call_words(), the same call path as the control socket; the result
 * is printed with ctl_render_text().
 */
#include "cli.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>

#include "ctl.h"
#include "mx.h"

#define CLI_WORDS	6	/* words in a method name */
#define CLI_ARGS	32	/* argument words per command */

/* Where cmdline writes what each token matched. */
struct cli_res {
	cmdline_fixed_string_t words[CLI_WORDS];
	cmdline_multi_string_t args;
};

struct mx_cli {
	struct cmdline *cl;
	struct mx_ctl *x;
	cmdline_parse_ctx_t *ctx;	/* NULL-terminated instance list */
	unsigned int n_inst, cap_inst;
	void **allocs;			/* everything to free */
	unsigned int n_allocs, cap_allocs;
	int quit;
};

/* cmdline hands callbacks only its own 'data': one CLI per process. */
static struct mx_cli *the_cli;

static void *
keep(struct mx_cli *c, void *p)
{
	if (p == NULL)
		return NULL;
	if (c->n_allocs == c->cap_allocs) {
		unsigned int cap = c->cap_allocs == 0 ? 64 : 2 * c->cap_allocs;
		void **n = realloc(c->allocs, cap * sizeof(*n));

		if (n == NULL) {
			free(p);
			return NULL;
		}
		c->allocs = n;
		c->cap_allocs = cap;
	}
	c->allocs[c->n_allocs++] = p;
	return p;
}

/* Split 'line' in place into words; "..." groups, \" escapes. */
static int
split(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		int quoted = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (*r == '\0' || *r == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		while (*r != '\0' && (quoted || (*r != ' ' && *r != '\t' &&
						 *r != '\n' && *r != '\r'))) {
			if (*r == '"') {
				quoted = !quoted;
				r++;
				continue;
			}
			if (*r == '\\' && r[1] == '"')
				r++;
			*w++ = *r++;
		}
		if (*r != '\0')
			r++;
		*w++ = '\0';
	}
}

static void
run(struct mx_cli *c, const struct ctl_cmd *cmd, char *args)
{
	char *argv[CLI_ARGS], *json = NULL, err[512];
	int argc = args != NULL ? split(args, argv, CLI_ARGS) : 0, rc;

	if (argc < 0) {
		printf("error: more than %d arguments\n", CLI_ARGS);
		return;
	}
	rc = ctl_call_words(c->x->reg, cmd->method, argc, argv, 1, &json, err,
			    sizeof(err));
	if (rc != 0)
		printf("error %d: %s\n", rc, err);
	else
		ctl_render_text(stdout, json);
	free(json);
	fflush(stdout);
}

static void
cmd_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cli_res *r = res;

	(void)cl;
	run(the_cli, data, NULL);
	(void)r;
}

static void
cmd_parsed_args(void *res, struct cmdline *cl, void *data)
{
	struct cli_res *r = res;

	(void)cl;
	run(the_cli, data, r->args);
}

static int
add_inst(struct mx_cli *c, cmdline_parse_inst_t *inst)
{
	if (c->n_inst + 1 >= c->cap_inst) {
		unsigned int cap = c->cap_inst == 0 ? 64 : 2 * c->cap_inst;
		cmdline_parse_ctx_t *n = realloc(c->ctx, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		c->ctx = n;
		c->cap_inst = cap;
	}
	c->ctx[c->n_inst++] = inst;
	c->ctx[c->n_inst] = NULL;
	return 0;
}

static cmdline_parse_token_string_t *
word_token(struct mx_cli *c, unsigned int i, const char *word)
{
	cmdline_parse_token_string_t *t = keep(c, calloc(1, sizeof(*t)));

	if (t == NULL)
		return NULL;
	t->hdr.ops = &cmdline_token_string_ops;
	t->hdr.offset = offsetof(struct cli_res, words) +
			i * sizeof(cmdline_fixed_string_t);
	t->string_data.str = word;
	return t;
}

/* The help line: "neigh add ip=<address> mac=<mac> [port=<string>]: ..." */
static char *
help_line(const struct ctl_cmd *cmd)
{
	unsigned int i, n = ctl_cmd_n_params(cmd);
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	const char *p;

	if (f == NULL)
		return NULL;
	for (p = cmd->method; *p != '\0'; p++)
		fputc(*p == '.' ? ' ' : *p, f);
	for (i = 0; i < n; i++) {
		const struct ctl_param *q = &cmd->params[i];

		fprintf(f, " %s%s=<%s>%s", q->required ? "" : "[", q->name,
			q->type == CTL_T_ENUM ? q->choices : q->name,
			q->required ? "" : "]");
	}
	fprintf(f, ": %s", cmd->help != NULL ? cmd->help : "");
	fclose(f);
	return buf;
}

static int
build_cmd(const struct ctl_cmd *cmd, void *arg)
{
	struct mx_cli *c = arg;
	char *words = keep(c, strdup(cmd->method)), *save = NULL, *w;
	char *help = keep(c, help_line(cmd));
	cmdline_parse_token_hdr_t *toks[CLI_WORDS + 1];
	unsigned int n = 0, with_args;

	if (words == NULL || help == NULL)
		return -1;
	for (w = strtok_r(words, ".", &save); w != NULL;
	     w = strtok_r(NULL, ".", &save)) {
		if (n == CLI_WORDS)
			return -1;
		toks[n] = (cmdline_parse_token_hdr_t *)word_token(c, n, w);
		if (toks[n++] == NULL)
			return -1;
	}
	for (with_args = 0; with_args <= (ctl_cmd_n_params(cmd) > 0);
	     with_args++) {
		size_t sz = sizeof(cmdline_parse_inst_t) +
			    (n + 2) * sizeof(cmdline_parse_token_hdr_t *);
		cmdline_parse_inst_t *inst = keep(c, calloc(1, sz));
		unsigned int i;

		if (inst == NULL)
			return -1;
		inst->f = with_args ? cmd_parsed_args : cmd_parsed;
		inst->data = (void *)(uintptr_t)cmd;
		inst->help_str = help;
		for (i = 0; i < n; i++)
			inst->tokens[i] = toks[i];
		if (with_args) {
			cmdline_parse_token_string_t *t =
				keep(c, calloc(1, sizeof(*t)));

			if (t == NULL)
				return -1;
			t->hdr.ops = &cmdline_token_string_ops;
			t->hdr.offset = offsetof(struct cli_res, args);
			t->string_data.str = TOKEN_STRING_MULTI;
			inst->tokens[i++] = (cmdline_parse_token_hdr_t *)t;
		}
		inst->tokens[i] = NULL;
		if (add_inst(c, inst) != 0)
			return -1;
	}
	return 0;
}

static int
print_help(const struct ctl_cmd *cmd, void *arg)
{
	char *h = help_line(cmd);

	(void)arg;
	if (h != NULL)
		printf("  %s\n", h);
	free(h);
	return 0;
}

struct cli_word_res {
	cmdline_fixed_string_t word;
};

static void
cmd_word_parsed(void *res, struct cmdline *cl, void *data)
{
	const struct cli_word_res *r = res;

	(void)data;
	if (strcmp(r->word, "quit") == 0) {
		the_cli->quit = 1;
		cmdline_quit(cl);
		return;
	}
	printf("commands (the same as meshxlatctl and the control socket's "
	       "methods, with spaces for dots):\n");
	ctl_cmd_walk(the_cli->x->reg, print_help, NULL);
	printf("  help: this list\n  quit: stop meshxlat\n");
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_word_word =
	TOKEN_STRING_INITIALIZER(struct cli_word_res, word, "quit#help");

static cmdline_parse_inst_t cmd_word = {
	.f = cmd_word_parsed,
	.data = NULL,
	.help_str = "quit: stop meshxlat; help: list the commands",
	.tokens = { (void *)&cmd_word_word, NULL },
};

struct mx_cli *
mx_cli_create(struct mx_ctl *x)
{
	struct mx_cli *c;

	if (the_cli != NULL)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->x = x;
	if (ctl_cmd_walk(x->reg, build_cmd, c) != 0 ||
	    add_inst(c, &cmd_word) != 0)
		goto fail;
	c->cl = cmdline_stdin_new(c->ctx, "meshxlat> ");
	if (c->cl == NULL)
		goto fail;
	the_cli = c;
	return c;
fail:
	the_cli = c;
	mx_cli_free(c);
	return NULL;
}

int
mx_cli_poll(struct mx_cli *c)
{
	if (c->quit)
		return 1;
	/* cmdline_poll() reads what is there and never waits. */
	return cmdline_poll(c->cl) == RDLINE_EXITED || c->quit;
}

void
mx_cli_free(struct mx_cli *c)
{
	unsigned int i;

	if (c == NULL)
		return;
	if (c->cl != NULL)
		cmdline_stdin_exit(c->cl);
	for (i = 0; i < c->n_allocs; i++)
		free(c->allocs[i]);
	free(c->allocs);
	free(c->ctx);
	the_cli = NULL;
	free(c);
}
