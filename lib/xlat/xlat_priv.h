/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the two directions of the translator. */
#ifndef XLAT_PRIV_H
#define XLAT_PRIV_H

#include <stdint.h>

/* Offset of the checksum field inside each transport header. */
#define XLAT_TCP_CSUM_OFF	16
#define XLAT_UDP_CSUM_OFF	6
#define XLAT_ICMP_CSUM_OFF	2

static inline uint16_t
xlat_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Store a network-order 16-bit value at an unaligned address. */
static inline void
xlat_wr16n(uint8_t *p, uint16_t v_net)
{
	const uint8_t *b = (const uint8_t *)&v_net;

	p[0] = b[0];
	p[1] = b[1];
}

static inline uint16_t
xlat_rd16n(const uint8_t *p)
{
	uint16_t v;
	uint8_t *b = (uint8_t *)&v;

	b[0] = p[0];
	b[1] = p[1];
	return v;
}

#endif /* XLAT_PRIV_H */
