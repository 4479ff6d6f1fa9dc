/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4-embedded IPv6 addresses (RFC 6052 section 2.2): the 32 bits of the
 * IPv4 address follow the prefix, skipping bits 64..71 (the "u" octet,
 * kept zero for compatibility with RFC 4291 interface identifiers).
 */
#include "xlat.h"

#include <string.h>

int
xlat_rfc6052_len_ok(unsigned int len)
{
	return len == 32 || len == 40 || len == 48 || len == 56 ||
	       len == 64 || len == 96;
}

void
xlat_rfc6052_embed(const struct pkt_pfx6 *pfx, uint32_t v4, uint8_t *out)
{
	const uint8_t *b = (const uint8_t *)&v4;
	unsigned int pos = pfx->len / 8, i;

	if (pos == 12) {	/* /96, the common case: no u-octet */
		memcpy(out, pfx->addr, 12);
		memcpy(out + 12, &v4, 4);
		return;
	}
	memset(out, 0, 16);
	memcpy(out, pfx->addr, pos);
	for (i = 0; i < 4; i++, pos++) {
		if (pos == 8)
			pos++;
		out[pos] = b[i];
	}
}

uint32_t
xlat_rfc6052_extract(const struct pkt_pfx6 *pfx, const uint8_t *a)
{
	uint32_t v4;
	uint8_t *b = (uint8_t *)&v4;
	unsigned int pos = pfx->len / 8, i;

	if (pos == 12) {
		memcpy(&v4, a + 12, 4);
		return v4;
	}
	for (i = 0; i < 4; i++, pos++) {
		if (pos == 8)
			pos++;
		b[i] = a[pos];
	}
	return v4;
}
