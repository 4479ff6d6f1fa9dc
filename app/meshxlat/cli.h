/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive command line (-i), testpmd style, on DPDK's cmdline
 * library. It runs on the main lcore and is polled from the control loop,
 * so it never blocks a worker. Piped stdin works too (tests drive it);
 * end of input stops the daemon like "quit".
 */
#ifndef MX_CLI_H
#define MX_CLI_H

struct mx_dp;
struct mx_worker;
struct mx_cli;

struct mx_cli *mx_cli_create(struct mx_dp *dp, struct mx_worker **w);
/* Returns non-zero once the user quit or input ended. */
int mx_cli_poll(struct mx_cli *cli);
void mx_cli_free(struct mx_cli *cli);

#endif /* MX_CLI_H */
