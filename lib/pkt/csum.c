/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internet checksum helpers (RFC 1071, RFC 1624). Used by the translators
 * for checksum-neutral rewrites and by the router code for the packets it
 * builds (ICMP errors, ARP/ND answers).
 */
#include "csum.h"

#include <arpa/inet.h>
#include <string.h>

#include "hdr.h"

uint16_t
pkt_csum_finish(uint32_t sum)
{
	return htons((uint16_t)~pkt_csum_fold(sum));
}

uint16_t
pkt_csum_replace(uint16_t csum, uint32_t old_sum, uint32_t new_sum)
{
	uint32_t s;

	/* HC' = ~(~HC + ~m + m') with m, m' the folded old and new sums. */
	s = (uint16_t)~ntohs(csum);
	s += (uint16_t)~pkt_csum_fold(old_sum);
	s += pkt_csum_fold(new_sum);
	return htons((uint16_t)~pkt_csum_fold(s));
}

uint32_t
pkt_addr4_sum(uint32_t src, uint32_t dst)
{
	/* src and dst are in network order, as in the header. */
	uint32_t s = ntohl(src), d = ntohl(dst);

	return (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff);
}

uint32_t
pkt_addr6_sum(const uint8_t *src, const uint8_t *dst)
{
	uint64_t s = 0;
	uint32_t w[8];
	int i;

	/* Two addresses, eight native words: the hot path of every
	 * translated packet, so no byte loop (see pkt_csum_partial). */
	memcpy(w, src, 16);
	memcpy(w + 4, dst, 16);
	for (i = 0; i < 8; i++)
		s += w[i];
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ntohs((uint16_t)s);
}

uint32_t
pkt_pseudo4_sum(uint32_t src, uint32_t dst, uint8_t proto, uint32_t l4_len)
{
	return pkt_addr4_sum(src, dst) + proto + l4_len;
}

uint32_t
pkt_pseudo6_sum(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		uint32_t l4_len)
{
	return pkt_addr6_sum(src, dst) + (l4_len >> 16) + (l4_len & 0xffff) +
	       proto;
}

void
pkt_ip4_set_csum(struct pkt_ip4 *ip)
{
	ip->csum = 0;
	ip->csum = pkt_csum_finish(pkt_csum_partial(ip, pkt_ip4_hlen(ip), 0));
}

int
pkt_ip4_csum_ok(const struct pkt_ip4 *ip)
{
	return pkt_csum_fold(pkt_csum_partial(ip, pkt_ip4_hlen(ip), 0)) ==
	       0xffff;
}

uint16_t
pkt_l4_csum_fix(uint8_t proto, uint16_t csum, uint32_t old_sum,
		uint32_t new_sum)
{
	uint16_t c;

	if (proto == 17 && csum == 0)
		return 0;
	c = pkt_csum_replace(csum, old_sum, new_sum);
	return proto == 17 && c == 0 ? 0xffff : c;
}
