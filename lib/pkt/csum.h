/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 * Sums are kept unfolded in a uint32_t over big-endian 16-bit words, so a
 * translator can subtract the pseudo-header it removes and add the one it
 * writes without touching the payload. Pure C.
 */
#ifndef PKT_CSUM_H
#define PKT_CSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

/*
 * Add the bytes of 'buf' to 'sum' as big-endian 16-bit words. Inline so
 * that the constant lengths of headers unroll.
 */
static inline uint32_t
pkt_csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = 0;
	uint32_t w;

	/*
	 * The one's complement sum does not care about byte order (RFC 1071
	 * section 2(B)): add native 32-bit words, fold, then swap once.
	 */
	while (len >= 4) {
		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		s += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint16_t h = 0;

		memcpy(&h, p, 1);	/* the odd byte, as the high half */
		s += h;
	}
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	/* Back to the big-endian view the callers add to. */
	s = ntohs((uint16_t)s);
	s += sum;
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}


/* Fold 'sum' to 16 bits (no complement). */
static inline uint16_t
pkt_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field value for 'sum', in network byte order. */
uint16_t pkt_csum_finish(uint32_t sum);

/*
 * RFC 1624 eqn. 3: the new checksum (network order) after the covered data
 * whose sum was 'old_sum' became data whose sum is 'new_sum'.
 */
uint16_t pkt_csum_replace(uint16_t csum, uint32_t old_sum, uint32_t new_sum);

/*
 * The same for a transport checksum field of protocol 'proto': a UDP
 * checksum of zero means "none" (RFC 768; invalid in IPv6 but not ours to
 * judge) and stays zero; a computed zero is sent as all ones (RFC 768,
 * RFC 8200 section 8.1), since zero would say "none" to the receiver.
 */
uint16_t pkt_l4_csum_fix(uint8_t proto, uint16_t csum, uint32_t old_sum,
			 uint32_t new_sum);

/* Offset of the checksum in a TCP, UDP or ICMPv6 header (the ones with a
 * pseudo-header), or -1. */
static inline int
pkt_l4_pseudo_csum_off(uint8_t proto)
{
	switch (proto) {
	case 6:		/* TCP */
		return 16;
	case 17:	/* UDP */
		return 6;
	case 58:	/* ICMPv6 */
		return 2;
	default:
		return -1;
	}
}

/* A 16-bit field at an unaligned address, kept in network order. */
static inline uint16_t
pkt_rd16n(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static inline void
pkt_wr16n(uint8_t *p, uint16_t v_net)
{
	memcpy(p, &v_net, 2);
}

/* Pseudo-header sums (RFC 768/793 for IPv4, RFC 8200 section 8.1). */
uint32_t pkt_pseudo4_sum(uint32_t src, uint32_t dst, uint8_t proto,
			 uint32_t l4_len);
uint32_t pkt_pseudo6_sum(const uint8_t *src, const uint8_t *dst,
			 uint8_t proto, uint32_t l4_len);

/* Sum of the two addresses only: what differs between the pseudo-headers. */
uint32_t pkt_addr4_sum(uint32_t src, uint32_t dst);
uint32_t pkt_addr6_sum(const uint8_t *src, const uint8_t *dst);

struct pkt_ip4;
/* Compute and store the IPv4 header checksum of 'ip'. */
void pkt_ip4_set_csum(struct pkt_ip4 *ip);
/* True when the header checksum of 'ip' verifies. */
int pkt_ip4_csum_ok(const struct pkt_ip4 *ip);

#endif /* PKT_CSUM_H */
