/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands of the interactive command line: "show stats", "show ports",
 * "help", "quit". The control socket issue replaces this small set with
 * the one command registry that RPC and CLI share.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_ethdev.h>

#include "mx.h"

struct mx_cli {
	struct cmdline *cl;
	struct mx_dp *dp;
	struct mx_worker **w;
	int quit;
};

/* cmdline passes only its own 'data' pointer: one CLI per process. */
static struct mx_cli *the_cli;

struct cmd_show_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
cmd_show_parsed(void *res, struct cmdline *cl, void *data)
{
	const struct cmd_show_result *r = res;
	struct mx_cli *c = the_cli;
	unsigned int i;

	(void)cl;
	(void)data;
	if (strcmp(r->what, "stats") == 0) {
		mx_stats_print(stdout, c->dp, c->w, 0);
	} else {
		for (i = 0; i < c->dp->n_ports; i++) {
			const struct mx_port *p =
				&c->dp->ports[c->dp->port_ids[i]];

			printf("%-16s id %u  mac " RTE_ETHER_ADDR_PRT_FMT
			       "  mtu %u  %s%s\n", p->name, p->id,
			       RTE_ETHER_ADDR_BYTES(&p->mac), p->mtu,
			       p->is_mirror ? "kernel mirror" :
			       conf_role_name(c->dp->conf->ports[p->conf_idx].role),
			       c->dp->clat_on && p->id == c->dp->clat_port ?
			       " (CLAT clients)" : "");
		}
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_show_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, show, "show");
static cmdline_parse_token_string_t cmd_show_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, what, "stats#ports");

static cmdline_parse_inst_t cmd_show = {
	.f = cmd_show_parsed,
	.data = NULL,
	.help_str = "show stats|ports: counters, or ports and their roles",
	.tokens = { (void *)&cmd_show_show, (void *)&cmd_show_what, NULL },
};

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_word_parsed(void *res, struct cmdline *cl, void *data)
{
	const struct cmd_word_result *r = res;

	(void)data;
	if (strcmp(r->word, "quit") == 0) {
		the_cli->quit = 1;
		cmdline_quit(cl);
		return;
	}
	printf("commands:\n  show stats   counters so far\n"
	       "  show ports   ports, MACs, MTUs and roles\n"
	       "  quit         stop meshxlat (as SIGTERM does)\n");
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_word_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "quit#help");

static cmdline_parse_inst_t cmd_word = {
	.f = cmd_word_parsed,
	.data = NULL,
	.help_str = "quit: stop meshxlat; help: list the commands",
	.tokens = { (void *)&cmd_word_word, NULL },
};

static cmdline_parse_ctx_t main_ctx[] = {
	(cmdline_parse_inst_t *)&cmd_show,
	(cmdline_parse_inst_t *)&cmd_word,
	NULL,
};

struct mx_cli *
mx_cli_create(struct mx_dp *dp, struct mx_worker **w)
{
	struct mx_cli *c;

	if (the_cli != NULL)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->dp = dp;
	c->w = w;
	c->cl = cmdline_stdin_new(main_ctx, "meshxlat> ");
	if (c->cl == NULL) {
		free(c);
		return NULL;
	}
	the_cli = c;
	return c;
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
	if (c == NULL)
		return;
	cmdline_stdin_exit(c->cl);
	the_cli = NULL;
	free(c);
}
