/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address mapping for the translator: the EAMT (RFC 7757) first, longest
 * prefix wins in either direction, then RFC 6052 with pool6 (and, for a
 * CLAT, its own prefix for the client-side hosts).
 */
#include "xlat.h"

#include <arpa/inet.h>
#include <string.h>

/* RFC 1191 section 7: the plateau table, for ICMP errors with MTU 0. */
static const uint16_t rfc1191_plateaus[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

void
xlat_cfg_init(struct xlat_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->lowest_ipv6_mtu = PKT_IP6_MIN_MTU;
	c->plateaus = rfc1191_plateaus;
	c->n_plateaus = sizeof(rfc1191_plateaus) / sizeof(rfc1191_plateaus[0]);
}

/* The Well-Known Prefix 64:ff9b::/96 (RFC 6052 section 2.1). */
static int
is_wkp(const struct pkt_pfx6 *p)
{
	static const uint8_t wkp[12] = { 0x00, 0x64, 0xff, 0x9b };

	return p->len == 96 && pkt_bits_equal(p->addr, wkp, 96);
}

/*
 * RFC 6052 section 3.1 says the Well-Known Prefix MUST NOT represent
 * non-global IPv4 addresses. We refuse the ranges that are never a valid
 * unicast peer (this network, loopback, link local, multicast, reserved
 * and broadcast) and translate the private, shared and documentation
 * ones: CLATs reach internal IPv4 networks through the WKP, which is why
 * draft-ietf-v6ops-nat64-wkp-1918 removes the restriction (see
 * doc/conformance/rfc7915.md).
 */
static int
non_global4(uint32_t a_net)
{
	static const struct { uint32_t net; uint8_t len; } special[] = {
		{ 0x00000000, 8 },	/* "this network" */
		{ 0x7f000000, 8 },	/* loopback */
		{ 0xa9fe0000, 16 },	/* link local */
		{ 0xe0000000, 4 },	/* multicast */
		{ 0xf0000000, 4 },	/* reserved, limited broadcast */
	};
	uint32_t a = ntohl(a_net);
	unsigned int i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (((a ^ special[i].net) & pkt_mask4(special[i].len)) == 0)
			return 1;
	return 0;
}

/* Write the low 'bits' bits of 'v4' (host order) into the end of 'out'. */
static void
put_suffix(uint8_t *out, uint32_t v4, unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < bits; i++) {
		unsigned int bit = 127 - i;

		if (v4 & (1u << i))
			out[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		else
			out[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	}
}

static uint32_t
get_suffix(const uint8_t *a, unsigned int bits)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < bits; i++) {
		unsigned int bit = 127 - i;

		if (a[bit / 8] & (0x80 >> (bit % 8)))
			v |= 1u << i;
	}
	return v;
}

int
xlat_addr46(const struct xlat_cfg *c, uint32_t v4, int is_src, uint8_t *out6)
{
	uint32_t h = ntohl(v4);
	unsigned int i;

	/* RFC 7757 section 3.2: EAMT before the algorithmic mapping. */
	for (i = 0; i < c->n_eam; i++) {
		const struct xlat_eam *e = &c->eam4[i];

		if (((h ^ ntohl(e->p4)) & pkt_mask4(e->len4)) == 0) {
			memcpy(out6, e->p6.addr, 16);
			put_suffix(out6, h, 32u - e->len4);
			return 0;
		}
	}
	if (is_src && c->has_local6) {
		xlat_rfc6052_embed(&c->local6, v4, out6);
		return 0;
	}
	if (!c->has_pool6 || (is_wkp(&c->pool6) && non_global4(v4)))
		return -1;
	xlat_rfc6052_embed(&c->pool6, v4, out6);
	return 0;
}

int
xlat_addr64(const struct xlat_cfg *c, const uint8_t *v6, int is_src,
	    uint32_t *v4)
{
	unsigned int i;

	for (i = 0; i < c->n_eam; i++) {
		const struct xlat_eam *e = &c->eam6[i];

		if (pkt_pfx6_match(&e->p6, v6)) {
			uint32_t suffix = get_suffix(v6, 128u - e->p6.len);

			*v4 = htonl((ntohl(e->p4) & pkt_mask4(e->len4)) | suffix);
			return 0;
		}
	}
	/* A CLAT's clients are destinations in its own prefix. */
	if (!is_src && c->has_local6) {
		if (!pkt_pfx6_match(&c->local6, v6))
			return -1;
		*v4 = xlat_rfc6052_extract(&c->local6, v6);
		return 0;
	}
	if (!c->has_pool6 || !pkt_pfx6_match(&c->pool6, v6))
		return -1;
	*v4 = xlat_rfc6052_extract(&c->pool6, v6);
	if (is_wkp(&c->pool6) && non_global4(*v4))
		return -2;	/* an address no one may use: a martian */
	return 0;
}
