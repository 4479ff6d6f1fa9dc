/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-bench: the packets it times. pkts.c writes each scenario's
 * pristine IP packet (no Ethernet header) in plain C, with correct
 * checksums, for a CLAT between a client behind it (192.168.1.2, embedded
 * in the CLAT prefix) and a host beyond the PLAT (198.51.100.10, embedded
 * in pool6). main.c copies it into the mbufs before every pass.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "xlat.h"

/* Biggest pristine packet a scenario uses (the ICMPv6 error: 132 B). */
#define BENCH_PKT_MAX	256

/* One scenario's packet, ready to copy. */
struct bench_pkt {
	const char *name;		/* "tcp-syn", "udp", ... */
	int v6;				/* IPv6 in (6->4), else IPv4 in (4->6) */
	uint16_t len;			/* bytes of the IP packet */
	uint8_t data[BENCH_PKT_MAX];
};

/* The IPv4 ends of the flows (network order). */
#define BENCH_CLIENT4	0xc0a80102u	/* 192.168.1.2, behind the CLAT */
#define BENCH_REMOTE4	0xc633640au	/* 198.51.100.10, beyond the PLAT */
#define BENCH_SELF4	0xc0a80101u	/* 192.168.1.1, the CLAT's own */

/* The CLAT config: local6 and pool6 /96s, nothing else. */
void bench_cfg(struct xlat_cfg *cfg);

/* The IPv6 forms of the two ends under bench_cfg(). */
void bench_client6(uint8_t *out);
void bench_remote6(uint8_t *out);

/* Number of scenarios, and scenario 'i' (0 .. bench_n_pkts() - 1):
 * first the four IPv4 ones (4->6), then their IPv6 counterparts. */
unsigned int bench_n_pkts(void);
void bench_build(unsigned int i, struct bench_pkt *p);

/* The NAT64 in2out scenario's packet for one flow: UDP from 'client4'
 * (host order, embedded in the CLAT /96) port 'sport' to the remote host
 * under pool6 port 53. */
void bench_build_nat64(struct bench_pkt *p, uint32_t client4, uint16_t sport);

#endif /* BENCH_H */
