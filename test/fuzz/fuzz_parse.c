/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: pkt_parse_ip4() (with and without the header
 * checksum) and pkt_parse_ip6() on arbitrary bytes. The input is the
 * buffer itself (libFuzzer hands it over in an exactly sized heap block,
 * so ASan sees any read past it). On acceptance, every offset and length
 * the parser reports must stay within the input, and the checksum flag
 * may only reject more, never accept differently.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "drop.h"
#include "hdr.h"
#include "parse.h"

#include "fuzz.h"

static void
check_common(const struct pkt_l3 *l, size_t size)
{
	CHECK(l->len <= size);
	CHECK(l->l4_off <= l->len);
	CHECK(l->is_frag <= 1 && l->first_frag <= 1);
	CHECK(l->is_frag || l->first_frag);
}

static void
parse4(const uint8_t *data, size_t size)
{
	uint32_t avail = (uint32_t)size;
	struct pkt_l3 a, b;
	enum pkt_drop ra, rb;

	memset(&a, 0xee, sizeof(a));
	memset(&b, 0xee, sizeof(b));
	ra = pkt_parse_ip4(data, avail, 0, &a);
	rb = pkt_parse_ip4(data, avail, 1, &b);
	CHECK(ra < PKT_DROP_MAX && rb < PKT_DROP_MAX);
	if (ra != PKT_DROP_NONE) {
		CHECK(rb == ra);
		return;
	}
	CHECK(rb == PKT_DROP_NONE || rb == PKT_DROP_IP4_CSUM);
	if (rb == PKT_DROP_NONE)
		CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	check_common(&a, size);
	CHECK(a.l4_off >= PKT_IP4_HLEN && a.l4_off <= 60);
	CHECK(a.l4_off == (data[0] & 0x0f) * 4u);
	CHECK(a.len == (uint32_t)(data[2] << 8 | data[3]));
	CHECK(a.l4_proto == data[9]);
	CHECK(a.frag_off == 0 && a.seg_left_off == 0);
}

static void
parse6(const uint8_t *data, size_t size)
{
	uint32_t avail = (uint32_t)size;
	struct pkt_l3 l;
	enum pkt_drop r;

	memset(&l, 0xee, sizeof(l));
	r = pkt_parse_ip6(data, avail, &l);
	CHECK(r < PKT_DROP_MAX);
	if (r != PKT_DROP_NONE)
		return;
	check_common(&l, size);
	CHECK(l.len == PKT_IP6_HLEN + (uint32_t)(data[4] << 8 | data[5]));
	CHECK(l.l4_off >= PKT_IP6_HLEN);
	if (l.is_frag) {
		CHECK(l.frag_off >= PKT_IP6_HLEN);
		CHECK(l.frag_off + 8u <= l.len);
		CHECK(l.frag_off + 8u <= l.l4_off);
	} else {
		CHECK(l.frag_off == 0);
	}
	if (l.seg_left_off != 0) {
		/* Segments Left of a routing header: byte 3 of it. */
		CHECK(l.seg_left_off >= PKT_IP6_HLEN + 3u);
		CHECK(l.seg_left_off < l.len);
		CHECK(data[l.seg_left_off] != 0);
	}
	if (l.l4_off == PKT_IP6_HLEN)
		CHECK(l.l4_proto == data[6]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0x1ffff)
		return 0;
	parse4(data, size);
	parse6(data, size);
	return 0;
}
