/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the unit tests: the cmocka includes in the order cmocka wants
 * them, a fixed-seed PRNG so random tests repeat exactly, and a reference
 * Internet checksum written the slow, obvious way (RFC 1071 section 4.1),
 * independent of lib/pkt/csum.c, to check the library against.
 */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* xorshift32: small, deterministic, good enough for test data. */
static inline uint32_t
unit_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static inline void
unit_rand_fill(uint32_t *state, uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)unit_rand(state);
}

/*
 * Reference one's complement sum: add 16-bit big-endian words into a
 * 64-bit accumulator, pad an odd byte with zero, fold at the end.
 */
static inline uint16_t
unit_sum16(const uint8_t *buf, size_t len, uint64_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint64_t)buf[i] << 8 | buf[i + 1];
	if (len & 1)
		acc += (uint64_t)buf[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* Reference checksum field value (host order) over 'buf'. */
static inline uint16_t
unit_csum(const uint8_t *buf, size_t len)
{
	return (uint16_t)~unit_sum16(buf, len, 0);
}

/*
 * Sum of an upper-layer packet with its pseudo-header, built byte by byte
 * as the RFCs draw it (RFC 768 for IPv4, RFC 8200 section 8.1 for IPv6).
 * A packet whose checksum field is right sums to 0xffff.
 */
static inline uint16_t
unit_l4_sum4(const uint8_t *src, const uint8_t *dst, uint8_t proto,
	     const uint8_t *l4, size_t len)
{
	uint8_t ph[12];

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return unit_sum16(l4, len, unit_sum16(ph, sizeof(ph), 0));
}

static inline uint16_t
unit_l4_sum6(const uint8_t *src, const uint8_t *dst, uint8_t proto,
	     const uint8_t *l4, size_t len)
{
	uint8_t ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[36] = 0;
	ph[37] = 0;
	ph[38] = 0;
	ph[39] = proto;
	return unit_sum16(l4, len, unit_sum16(ph, sizeof(ph), 0));
}

static inline void
unit_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t
unit_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

#endif /* UNIT_H */
