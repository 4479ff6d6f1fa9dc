/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Steps shared by the two directions of the translator and by the packet
 * inside an ICMP error (one step table per direction, reused one level
 * down, as Jool's ttp steps are).
 */
#ifndef XLAT_PRIV_H
#define XLAT_PRIV_H

#include <stdint.h>

#include "xlat.h"

/* Offset of the checksum field inside each transport header. */
#define XLAT_TCP_CSUM_OFF	16
#define XLAT_UDP_CSUM_OFF	6
#define XLAT_ICMP_CSUM_OFF	2

#define XLAT_FRAG_HLEN		8

/* Biggest translated ICMP errors: RFC 4443 section 2.4 (c), and 576 for
 * IPv4 (RFC 1812 section 4.3.2.3). */
#define XLAT_ICMP6_ERR_MAX	1280
#define XLAT_ICMP4_ERR_MAX	576

/*
 * Adjust the TCP or UDP checksum at 'l4' ('avail' bytes present, 'l4_len'
 * claimed) for a pseudo-header change from 'old_sum' to 'new_sum'. A UDP
 * checksum of zero is summed in full when 'amend' and the datagram is all
 * there (RFC 7915 section 4.5); 'new_pseudo' is the full new pseudo-header
 * sum for that. 'to6' says which way (zero is invalid only in IPv6).
 * Returns a drop reason; a header too short to hold the field is left
 * alone when 'inner' (a truncated packet inside an ICMP error).
 */
enum pkt_drop xlat_l4_csum(uint8_t proto, uint8_t *l4, uint32_t avail,
			   uint32_t l4_len, uint32_t old_sum,
			   uint32_t new_sum, uint32_t new_pseudo, int amend,
			   int first_frag, int more_frags, int inner, int to6);

/* The ICMP parts (icmp.c): translate the ICMP message at 'l4' in place,
 * inner packet included; may move the packet start ('*l3') backwards
 * (46) or forwards (64) and change its length ('*len'). */
struct xlat_icmp_job {
	uint8_t *l3;			/* start of the (outer) IP packet */
	uint32_t len;			/* its length */
	uint32_t l4_off;		/* offset of the ICMP header in it */
	uint32_t headroom;		/* 46: writable bytes before l3 */
	uint8_t src6[16], dst6[16];	/* 46: outer addresses, translated */
	uint32_t src4, dst4;		/* 64: outer addresses, translated */
};

enum pkt_drop xlat_icmp46(const struct xlat_cfg *cfg,
			  const struct xlat_ctx *ctx,
			  struct xlat_icmp_job *j);
enum pkt_drop xlat_icmp64(const struct xlat_cfg *cfg,
			  const struct xlat_ctx *ctx,
			  struct xlat_icmp_job *j);

/* Header writers: the new header (and fragment header) end at 'end'. */
uint8_t *xlat_hdr46(const struct xlat_cfg *cfg, const struct pkt_ip4 *ip4,
		    const uint8_t *src6, const uint8_t *dst6,
		    uint32_t l4_len, uint8_t proto6, int frag, uint8_t *end);
uint8_t *xlat_hdr64(const struct xlat_cfg *cfg, const struct pkt_ip6 *ip6,
		    const struct pkt_ip6_frag *frag, uint32_t src4,
		    uint32_t dst4, uint32_t l4_len, uint8_t proto4,
		    uint16_t id, uint8_t *end);

/*
 * NAT64: write ports 'sport' and 'dport' (host order) into the transport
 * header at 'l4' ('avail' bytes present) of protocol 'proto' and adjust
 * its checksum by difference (RFC 1624), so that the translation's own
 * adjustments stay valid. TCP and UDP: both ports; a UDP checksum of zero
 * stays zero. ICMP and ICMPv6 echo request and reply: the identifier
 * becomes 'sport'. Anything else, or too short: left alone.
 */
void xlat_nat_ports(uint8_t proto, uint8_t *l4, uint32_t avail,
		    uint16_t sport, uint16_t dport);

#endif /* XLAT_PRIV_H */
