/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /96 NETMAP of an IPv6 address with incremental checksums (roam.h):
 * what seed 003's "ip6tables -t nat ... -j NETMAP --to P/96" rules do to
 * a packet, without conntrack. The upper 96 bits of the source or the
 * destination change; the low 32 bits (the IPv4 address of the client or
 * of the server, RFC 6052) stay.
 *
 * Every checksum that covers the address is fixed by difference (RFC
 * 1624 eqn. 3), never recomputed over the payload:
 *  - TCP, UDP and ICMPv6 carry the address in their pseudo-header (RFC
 *    8200 section 8.1); a first fragment carries the transport header, a
 *    later one does not (RFC 8200 section 4.5) and only its address
 *    changes;
 *  - an ICMPv6 error (RFC 4443 section 2.4 (c)) quotes the packet that
 *    caused it, which went the other way: when the outer destination is
 *    rewritten, the quoted source is the same host's address, and the
 *    reverse. That inner address changes too (when its /96 is the one
 *    replaced), and so do the inner transport checksum (when the quoted
 *    bytes hold it) and the ICMPv6 checksum, which covers the quoted bytes.
 *
 * Everything is checked before the first byte is written, so a packet
 * that is refused leaves unchanged.
 */
#include "roam.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "hdr.h"
#include "parse.h"
#include "roam_priv.h"

#define OFF_SRC		8
#define OFF_DST		24
#define OFF_PLEN	4

/* What the rewrite of the quoted packet will write. */
struct inner_plan {
	uint8_t *addr;		/* quoted address to rewrite, or NULL */
	uint8_t *csum;		/* its transport checksum field, or NULL */
	uint16_t csum_old, csum_new;	/* network order */
};

/*
 * Plan the rewrite of the packet quoted by an ICMPv6 error at 'ic' ('n'
 * bytes of ICMPv6 message). 'old' is the outer address's current /96.
 * Returns PKT_DROP_NONE or PKT_DROP_XLAT_ICMP_INNER; writes nothing
 * (the inner payload length is clamped for the walk and put back).
 */
static enum pkt_drop
plan_inner(uint8_t *ic, uint32_t n, int which, const uint8_t *old,
	   uint32_t old_s, uint32_t new_s, struct inner_plan *pl)
{
	uint8_t *in = ic + PKT_ICMP_HLEN;
	uint32_t avail, room;
	uint16_t plen_n;
	struct pkt_l3 il;
	enum pkt_drop r;
	int co;

	memset(pl, 0, sizeof(*pl));
	if (n < PKT_ICMP_HLEN + PKT_IP6_HLEN)
		return PKT_DROP_XLAT_ICMP_INNER;
	avail = n - PKT_ICMP_HLEN;
	if ((in[0] >> 4) != 6)
		return PKT_DROP_XLAT_ICMP_INNER;
	/* Outer destination rewritten: the quoted packet came from there. */
	pl->addr = in + (which == ROAM_DST ? OFF_SRC : OFF_DST);
	if (!roam_pfx_eq(pl->addr, old)) {
		/* Not the host being mapped: leave the quote alone. */
		pl->addr = NULL;
		return PKT_DROP_NONE;
	}

	/*
	 * The quote is usually cut short (RFC 4443 section 2.4 (c)), so its
	 * payload length claims more than there is. Let pkt_parse_ip6() walk
	 * the extension headers over the bytes that are there by clamping
	 * that field for the walk; it goes back at once.
	 */
	plen_n = pkt_rd16n(in + OFF_PLEN);
	room = avail - PKT_IP6_HLEN;
	if (ntohs(plen_n) > room)
		pkt_wr16n(in + OFF_PLEN, htons((uint16_t)room));
	r = pkt_parse_ip6(in, avail, &il);
	pkt_wr16n(in + OFF_PLEN, plen_n);

	/*
	 * A quote whose header chain is cut short, a later fragment, or an
	 * inner destination that is not the final one (RFC 8200 section
	 * 8.1) has no transport checksum over this address: the address
	 * alone changes. Errors are rare; their use (PMTUD, unreachables)
	 * is worth more than a perfect quote.
	 */
	if (r != PKT_DROP_NONE || !il.first_frag ||
	    (which == ROAM_SRC && il.seg_left_off != 0))
		return PKT_DROP_NONE;
	co = pkt_l4_pseudo_csum_off(il.l4_proto);
	if (co < 0 || (uint32_t)il.l4_off + (uint32_t)co + 2 > il.len)
		return PKT_DROP_NONE;
	pl->csum = in + il.l4_off + co;
	pl->csum_old = pkt_rd16n(pl->csum);
	pl->csum_new = pkt_l4_csum_fix(il.l4_proto, pl->csum_old, old_s, new_s);
	return PKT_DROP_NONE;
}

enum pkt_drop
roam_netmap6(uint8_t *l3, uint32_t len, int which, const uint8_t *pfx)
{
	struct inner_plan pl = { 0 };
	uint32_t old_s, new_s, l4len, in_old = 0, in_new = 0;
	uint8_t *addr, *l4;
	struct pkt_l3 l;
	enum pkt_drop r;
	int co;

	r = pkt_parse_ip6(l3, len, &l);
	if (r != PKT_DROP_NONE)
		return r;
	addr = l3 + (which == ROAM_DST ? OFF_DST : OFF_SRC);
	if (roam_pfx_eq(addr, pfx))
		return PKT_DROP_NONE;
	/*
	 * With segments left, the destination field is the next waypoint
	 * and the pseudo-header holds the final destination (RFC 8200
	 * section 8.1): a /96 map of a waypoint is not what the rules mean.
	 */
	if (which == ROAM_DST && l.seg_left_off != 0)
		return PKT_DROP_XLAT_SEGMENTS_LEFT;

	if (!l.first_frag) {
		memcpy(addr, pfx, ROAM_PFX_LEN);
		return PKT_DROP_NONE;
	}
	old_s = pkt_csum_partial(addr, ROAM_PFX_LEN, 0);
	new_s = pkt_csum_partial(pfx, ROAM_PFX_LEN, 0);
	l4 = l3 + l.l4_off;
	l4len = l.len - l.l4_off;
	co = pkt_l4_pseudo_csum_off(l.l4_proto);
	switch (l.l4_proto) {
	case PKT_PROTO_TCP:
		if (l4len < PKT_TCP_HLEN)
			return PKT_DROP_L4_TRUNC;
		break;
	case PKT_PROTO_UDP:
		if (l4len < PKT_UDP_HLEN)
			return PKT_DROP_L4_TRUNC;
		break;
	case PKT_PROTO_ICMP6:
		if (l4len < 4)
			return PKT_DROP_L4_TRUNC;
		if (l4[0] >= PKT_ICMP6_UNREACH && l4[0] <= PKT_ICMP6_PARAMPROB) {
			r = plan_inner(l4, l4len, which, addr, old_s, new_s,
				       &pl);
			if (r != PKT_DROP_NONE)
				return r;
		}
		break;
	default:
		break;	/* no checksum over the address that we know of */
	}

	/* Checked: now write. The quote first, its bytes feed the outer sum. */
	if (pl.addr != NULL) {
		in_old = old_s;
		in_new = new_s;
		if (pl.csum != NULL) {
			in_old += ntohs(pl.csum_old);
			in_new += ntohs(pl.csum_new);
			pkt_wr16n(pl.csum, pl.csum_new);
		}
		memcpy(pl.addr, pfx, ROAM_PFX_LEN);
	}
	if (co >= 0)
		pkt_wr16n(l4 + co,
			  pkt_l4_csum_fix(l.l4_proto, pkt_rd16n(l4 + co),
					  old_s + in_old, new_s + in_new));
	memcpy(addr, pfx, ROAM_PFX_LEN);
	return PKT_DROP_NONE;
}
