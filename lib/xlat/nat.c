/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one thing stateful NAT64 adds to RFC 7915 translation: the ports
 * (and ICMP query identifiers) of the session (RFC 6146 section 3.7,
 * "Translating the packet"). The addresses come through 'struct
 * xlat_nat' into the same steps as a stateless mapping's.
 */
#include "xlat_priv.h"

#include "csum.h"
#include "hdr.h"

/* Write the 16-bit 'v_host' at 'l4 + off'; add old and new to the sums. */
static void
rewrite(uint8_t *l4, uint32_t off, uint16_t v_host, uint32_t *old_sum,
	uint32_t *new_sum)
{
	uint16_t old = (uint16_t)(l4[off] << 8 | l4[off + 1]);

	*old_sum += old;
	*new_sum += v_host;
	l4[off] = (uint8_t)(v_host >> 8);
	l4[off + 1] = (uint8_t)v_host;
}

void
xlat_nat_ports(uint8_t proto, uint8_t *l4, uint32_t avail, uint16_t sport,
	       uint16_t dport)
{
	uint32_t old_sum = 0, new_sum = 0, csum_off;
	uint16_t csum;

	switch (proto) {
	case PKT_PROTO_TCP:
		csum_off = XLAT_TCP_CSUM_OFF;
		break;
	case PKT_PROTO_UDP:
		csum_off = XLAT_UDP_CSUM_OFF;
		break;
	case PKT_PROTO_ICMP:
	case PKT_PROTO_ICMP6:
		if (avail < 6)
			return;
		if (!(l4[0] == PKT_ICMP4_ECHO || l4[0] == PKT_ICMP4_ECHO_REPLY ||
		      l4[0] == PKT_ICMP6_ECHO || l4[0] == PKT_ICMP6_ECHO_REPLY))
			return;
		/* The type numbers do not overlap: 8/0 are ICMPv4's,
		 * 128/129 ICMPv6's; both carry the identifier at 4. */
		rewrite(l4, 4, sport, &old_sum, &new_sum);
		if (avail >= XLAT_ICMP_CSUM_OFF + 2u)
			pkt_wr16n(l4 + XLAT_ICMP_CSUM_OFF,
				  pkt_csum_replace(pkt_rd16n(l4 +
						   XLAT_ICMP_CSUM_OFF),
						   old_sum, new_sum));
		return;
	default:
		return;
	}
	if (avail < 4)
		return;
	rewrite(l4, 0, sport, &old_sum, &new_sum);
	rewrite(l4, 2, dport, &old_sum, &new_sum);
	if (avail < csum_off + 2)
		return;
	/* RFC 768: zero means "no checksum" in UDP over IPv4; it stays so
	 * (the translation amends or refuses it, RFC 7915 section 4.5). */
	csum = pkt_l4_csum_fix(proto, pkt_rd16n(l4 + csum_off), old_sum,
			       new_sum);
	pkt_wr16n(l4 + csum_off, csum);
}
