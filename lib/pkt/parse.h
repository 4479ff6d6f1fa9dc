/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validating parsers for the network layer. Each takes a pointer to the
 * first byte of the header and the number of bytes the buffer holds from
 * there, checks everything a router must check before it trusts a field
 * (RFC 1812 section 5.2.2 for IPv4, RFC 8200 for IPv6) and fills a small
 * description. Nothing here writes to the packet. Pure C.
 */
#ifndef PKT_PARSE_H
#define PKT_PARSE_H

#include <stdint.h>

#include "drop.h"

/* What the parsers learn about one IP packet. */
struct pkt_l3 {
	uint32_t len;		/* bytes of the IP packet (trailer excluded) */
	uint16_t l4_off;	/* offset of the upper-layer header from l3 */
	uint8_t l4_proto;	/* upper-layer protocol (after ext. headers) */
	uint8_t is_frag;	/* fragment (IPv4 MF/offset, IPv6 frag hdr) */
	uint8_t first_frag;	/* not a fragment, or offset 0 */
	uint16_t frag_off;	/* IPv6 only: offset of the fragment header */
	/* IPv6 only: offset of the Segments Left byte of the first routing
	 * header whose Segments Left is not zero, else 0 */
	uint16_t seg_left_off;
};

/*
 * Validate the IPv4 header at 'l3' with 'avail' bytes in the buffer.
 * With 'check_csum' the header checksum is verified too. Returns
 * PKT_DROP_NONE and fills 'out', or the reason to drop.
 */
enum pkt_drop pkt_parse_ip4(const uint8_t *l3, uint32_t avail,
			    int check_csum, struct pkt_l3 *out);

/*
 * Validate the IPv6 header at 'l3' and walk its extension headers
 * (hop-by-hop, routing, destination options, fragment) to the upper layer.
 */
enum pkt_drop pkt_parse_ip6(const uint8_t *l3, uint32_t avail,
			    struct pkt_l3 *out);

#endif /* PKT_PARSE_H */
