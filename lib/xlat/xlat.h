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
 * One Explicit Address Mapping (RFC 7757): 'p6' and 'p4' have suffixes of
 * equal length, which carry the host bits across unchanged.
 */
struct xlat_eam {
	struct pkt_pfx6 p6;
	uint32_t p4;			/* network order */
	uint8_t len4;
};

/*
 * One translator instance: how addresses map, and the knobs of RFC 7915.
 * Built by the control plane (see xlat_cfg_init()), read-only once
 * published; any number of lcores may translate with it at once.
 *
 * Address mapping (RFC 7757 section 3.2 order): the EAMT first, longest
 * prefix wins; then RFC 6052 with 'pool6'. A CLAT (RFC 6877) also sets
 * 'local6', its CLAT prefix: the IPv4 hosts on its client side are
 * embedded there (as sources 4->6, as destinations 6->4), while every other
 * IPv4 address is embedded in 'pool6', the PLAT prefix.
 */
struct xlat_cfg {
	uint8_t has_pool6;
	uint8_t has_local6;
	uint8_t has_rfc6791v6;
	uint8_t amend_udp_csum0;	/* sum UDP checksum 0 instead of dropping */
	uint8_t zeroize_tc;		/* 46: traffic class 0 instead of TOS */
	uint8_t tos_override_on;	/* 64: TOS = tos_override */
	uint8_t tos_override;
	uint16_t lowest_ipv6_mtu;	/* DF=0 IPv4 is fragmented to fit this */
	struct pkt_pfx6 pool6;
	struct pkt_pfx6 local6;
	struct pkt_pfx6 rfc6791v6;	/* sources of untranslatable ICMPv4 errors */
	const struct xlat_eam *eam4;	/* sorted by len4, longest first */
	const struct xlat_eam *eam6;	/* sorted by p6.len, longest first */
	unsigned int n_eam;
	const struct pkt_pfx4 *rfc6791v4;	/* host order */
	unsigned int n_rfc6791v4;
	const uint16_t *plateaus;	/* RFC 1191 section 7, descending */
	unsigned int n_plateaus;
};

/* Defaults: no mapping, lowest_ipv6_mtu 1280, the RFC 1191 plateaus. */
void xlat_cfg_init(struct xlat_cfg *c);

/*
 * Stateful NAT64 (RFC 6146 section 3.7) translates with the addresses and
 * ports of a session instead of a stateless mapping: the caller looked the
 * flow up (for an ICMP error, the flow of the packet inside it) and says
 * here what to write. Ports are in host order, addresses in network order
 * as everywhere in this header. An ICMP query's identifier is its port
 * ('sport'; 'dport' is ignored). Ports are rewritten only where the
 * transport header is there (first fragments; inner packets long enough).
 */
struct xlat_nat {
	uint32_t src4, dst4;		/* 64: the packet's new addresses */
	uint8_t src6[16], dst6[16];	/* 46 */
	uint16_t sport, dport;		/* its new ports */
	/* The packet inside an ICMP error, which went the other way. */
	uint32_t isrc4, idst4;		/* 64 */
	uint8_t isrc6[16], idst6[16];	/* 46 */
	uint16_t isport, idport;
};

/*
 * What the caller knows about this one packet's path: the MTUs of the
 * two sides and the addresses the translator may use as its own.
 */
struct xlat_ctx {
	uint32_t headroom;		/* 46: writable bytes before l3 */
	uint16_t mtu4;			/* MTU of the IPv4-side link */
	uint16_t mtu6;			/* MTU of the IPv6-side link */
	uint32_t self4;			/* our IPv4 address (network order) */
	const uint8_t *self6;		/* our IPv6 address */
	uint32_t hash;			/* flow hash: picks from the RFC 6791 pool */
	uint32_t tailroom;		/* writable bytes after the packet */
	uint16_t ip4_id;		/* 64: identification to use (network
					 * order) when there is no fragment
					 * header: RFC 7915 section 5.1 leaves
					 * the algorithm to the translator */
	uint8_t src_by_pool6;		/* 46: map the source with pool6 only
					 * (RFC 7757 4.2 hairpinning) */
	const struct xlat_nat *nat;	/* NAT64: addresses and ports of the
					 * session; NULL: stateless */
};

/* The result of one translation. */
struct xlat_out {
	uint8_t *l3;			/* the translated header, in the buffer */
	uint32_t len;			/* bytes of the translated packet */
};

/*
 * Address mapping, both directions; 'is_src' tells which header field the
 * address is in (a CLAT maps its clients' sources with local6). Return 0,
 * -1 when the address has no translation, or (64 only) -2 when it embeds
 * an IPv4 address that is never a valid peer (loopback, multicast, ...).
 */
int xlat_addr46(const struct xlat_cfg *c, uint32_t v4, int is_src,
		uint8_t *out6);
int xlat_addr64(const struct xlat_cfg *c, const uint8_t *v6, int is_src,
		uint32_t *v4);

/*
 * Translate the IPv4 packet at 'l3' (described by 'in') to IPv6 in place
 * (RFC 7915 section 4), ICMP errors with their inner packet included. The
 * new headers are written over and in front of the old ones; the payload
 * never moves. The TTL is copied as is (the caller, a router, decremented
 * it). Cost: a header rewrite and checksum adjustments by difference; a
 * UDP checksum of zero is summed in full when amend_udp_csum0 is on.
 */
enum pkt_drop xlat46(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
		     uint8_t *l3, const struct pkt_l3 *in,
		     struct xlat_out *out);

/*
 * Translate the IPv6 packet at 'l3' to IPv4 in place (RFC 7915 section
 * 5). The IPv4 headers end where the IPv6 headers ended: no headroom is
 * needed.
 */
enum pkt_drop xlat64(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
		     uint8_t *l3, const struct pkt_l3 *in,
		     struct xlat_out *out);

#endif /* XLAT_H */
