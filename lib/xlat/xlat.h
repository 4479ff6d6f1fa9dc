/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stateless IP/ICMP translation (RFC 7915) with RFC 6052 address mapping.
 *
 * This is the pure core: functions over a packet buffer and an immutable
 * config, no mbuf, no globals, no allocation, no logging, so the same code
 * runs on the workers, in the unit tests and under the fuzzers. Callers
 * (the CLAT stages in app/meshxlat) own the buffer, make sure 'headroom'
 * bytes before the IPv4 header are writable, and have validated the
 * network header with pkt_parse_ip4()/pkt_parse_ip6().
 *
 * The router part (TTL/hop-limit decrement and its ICMP error, route
 * lookup) is the caller's: RFC 7915 sections 4.1 and 5.1 let the
 * translator decrement before or after, and the caller does it before, in
 * the family the packet arrived in, so the error goes back in that family.
 *
 * Threading: a 'struct xlat_cfg' is read-only once published; any number
 * of lcores may translate with it at once.
 */
#ifndef XLAT_H
#define XLAT_H

#include <stdint.h>

#include "drop.h"
#include "hdr.h"
#include "parse.h"

/* Prefix lengths allowed by RFC 6052 section 2.2. */
int xlat_rfc6052_len_ok(unsigned int len);

/*
 * Embed IPv4 address 'v4' (network order) in 'pfx' (RFC 6052 section
 * 2.2, u-octet skipped, suffix zero) into 'out'.
 */
void xlat_rfc6052_embed(const struct pkt_pfx6 *pfx, uint32_t v4, uint8_t *out);

/*
 * Extract the IPv4 address (network order) embedded in 'a' under 'pfx'.
 * The caller has checked that 'a' lies in 'pfx'.
 */
uint32_t xlat_rfc6052_extract(const struct pkt_pfx6 *pfx, const uint8_t *a);

/*
 * A node's /96 from a site /48 and the node's MAC (seed 003: clat_range
 * or plat_range + MAC, fddd:1337:1337::/48 + 12:34:56:78:9a:bc ->
 * fddd:1337:1337:1234:5678:9abc::/96). Returns -EINVAL unless 'range' is
 * a /48.
 */
int xlat_node_prefix(const struct pkt_pfx6 *range, const uint8_t *mac,
		     struct pkt_pfx6 *out);

/*
 * One translator instance. For a CLAT (RFC 6877) 'local6' is the node's
 * CLAT prefix, which holds the IPv4 hosts behind this box, and 'remote6'
 * is the PLAT prefix, which holds every IPv4 address beyond it. For a
 * plain SIIT with one pool6, both are the pool6 prefix.
 */
struct xlat_cfg {
	struct pkt_pfx6 local6;		/* IPv4 side hosts, as IPv6 */
	struct pkt_pfx6 remote6;	/* the rest of the IPv4 world, as IPv6 */
	uint8_t zeroize_tc;		/* traffic class 0 instead of TOS copy */
	uint8_t tos_override;		/* with 'tos_override_on' */
	uint8_t tos_override_on;	/* 64: TOS = tos_override */
};

/* The result of one translation. */
struct xlat_out {
	uint8_t *l3;			/* the translated header, in the buffer */
	uint32_t len;			/* bytes of the translated packet */
};

/*
 * Translate the IPv4 packet at 'l3' (described by 'in') to IPv6 in place
 * (RFC 7915 section 4). The IPv6 header is written over and in front of
 * the IPv4 header; 'headroom' bytes before 'l3' may be used. The TTL is
 * copied as is (the caller has decremented it). Cost: a header rewrite
 * and a checksum adjustment; UDP with a zero checksum is summed in full.
 */
enum pkt_drop xlat46(const struct xlat_cfg *cfg, uint8_t *l3,
		     const struct pkt_l3 *in, uint32_t headroom,
		     struct xlat_out *out);

/*
 * Translate the IPv6 packet at 'l3' to IPv4 in place (RFC 7915 section
 * 5); the destination must lie in cfg->local6. The IPv4 header ends where
 * the IPv6 headers ended, so no headroom is needed.
 */
enum pkt_drop xlat64(const struct xlat_cfg *cfg, uint8_t *l3,
		     const struct pkt_l3 *in, struct xlat_out *out);

#endif /* XLAT_H */
