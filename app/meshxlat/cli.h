/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive command line (-i), testpmd style, on DPDK's cmdline
 * library: every command of the registry (lib/ctl), written with spaces
 * for dots ("neigh add ip=10.0.0.1 mac=02:00:00:00:00:01 port=wan"),
 * with tab completion of the command words and "help" generated from the
 * registry. It runs on the main lcore and is polled from the control
 * loop, so it never blocks a worker. Piped stdin works too (tests drive
 * it); end of input stops the daemon like "quit".
 */
#ifndef MX_CLI_H
#define MX_CLI_H

struct mx_ctl;
struct mx_cli;

struct mx_cli *mx_cli_create(struct mx_ctl *x);
/* Returns non-zero once the user quit or input ended. */
int mx_cli_poll(struct mx_cli *cli);
void mx_cli_free(struct mx_cli *cli);

#endif /* MX_CLI_H */
