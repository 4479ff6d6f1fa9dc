/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/roam's /96 rewrite on arbitrary bytes, directly
 * (roam_netmap6) and through a table (roam_apply), in a heap buffer of
 * exactly the input's size so that ASan sees any access past it.
 *
 * Input: two selector bytes, then the IPv6 packet (bytes after the
 * payload length are a link trailer).
 *
 *   byte 0  bits 0-1  0: roam_netmap6 source, 1: destination,
 *                     2, 3: roam_apply with step (byte 1 bits 0-1)
 *           bits 2-3  the new /96: one of three fixed prefixes, or the
 *                     packet's own (a no-op)
 *           bit 4     roam_apply: the table holds the packet's key (hit)
 *           bit 5     roam_apply: no current PLAT (NULL) for CLAT_IN
 *           bit 6     roam_apply: the entry has expired
 *   byte 1  bits 0-1  the roam_step
 *
 * Invariants:
 *  - a refused packet is left exactly as it was;
 *  - an accepted one still parses the same (pkt_parse_ip6), its trailer
 *    is untouched, the rewritten address has the new /96 and its low 32
 *    bits, and a transport checksum (TCP, UDP other than 0, ICMPv6) of an
 *    unfragmented packet that verified before verifies after;
 *  - roam_netmap6 back to the old /96 gives the old address back, with
 *    the checksum still verifying.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "hdr.h"
#include "parse.h"
#include "roam.h"

#include "fuzz.h"

static const uint8_t pfxs[3][ROAM_PFX_LEN] = {
	{ 0xfd, 0xdd, 0x13, 0x37, 0x13, 0x37, 0x02, 0x00, 0x5e, 0, 0, 0x0b },
	{ 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, 0x02, 0x00, 0x5e, 0, 0, 0x0c },
	{ 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff },
};

static int
csum_off(uint8_t proto)
{
	return proto == PKT_PROTO_TCP ? 16 : proto == PKT_PROTO_UDP ? 6 :
	       proto == PKT_PROTO_ICMP6 ? 2 : -1;
}

/* The transport checksum of an unfragmented packet verifies. */
static int
l4_ok(const uint8_t *ip, const struct pkt_l3 *l)
{
	uint32_t n = l->len - l->l4_off;
	int co = csum_off(l->l4_proto);

	if (l->is_frag || co < 0 || n < (uint32_t)co + 2)
		return 0;
	if (l->l4_proto == PKT_PROTO_UDP && ip[l->l4_off + 6] == 0 &&
	    ip[l->l4_off + 7] == 0)
		return 0;
	return pkt_csum_fold(pkt_csum_partial(ip + l->l4_off, n,
			pkt_pseudo6_sum(ip + 8, ip + 24, l->l4_proto, n))) ==
	       0xffff;
}

/* A table of one entry for 'step' that the packet at 'p' hits. */
static struct roam_table *
table_for(enum roam_step step, const uint8_t *p, uint32_t len,
	  const uint8_t *pfx, uint64_t expires)
{
	struct roam_db *db = roam_db_create(4, 0x1234);
	struct roam_table *t;
	static const uint8_t other[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					   0, 0, 0, 0, 10, 0, 0, 1 };
	const uint8_t *key = other, *tgt = pfx;
	unsigned int kind = ROAM_FROM;

	CHECK(db != NULL);
	if (len >= PKT_IP6_HLEN) {
		switch (step) {
		case ROAM_STEP_CLAT_OUT:
			kind = ROAM_CLAT;
			key = p + 8;
			break;
		case ROAM_STEP_CLAT_IN:
			kind = ROAM_CLAT;
			key = p + 24;
			tgt = p + 8;	/* replies from the pinned PLAT */
			break;
		case ROAM_STEP_PLAT_IN2OUT:
			key = p + 8;
			break;
		default:
			kind = ROAM_TO;
			key = p + 24;
			break;
		}
	}
	CHECK(roam_db_add(db, kind, key, tgt, expires, NULL) == 0);
	t = roam_table_build(db);
	CHECK(t != NULL);
	roam_db_free(db);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *pfx;
	uint8_t sel, sel1, *p, *orig, old[ROAM_PFX_LEN];
	struct pkt_l3 before, after;
	uint32_t len;
	enum pkt_drop r, pr;
	int which = -1, ok_before = 0, remapped = 0;

	if (size < 2 || size > 65535 + 2)
		return 0;
	sel = data[0];
	sel1 = data[1];
	data += 2;
	len = (uint32_t)(size - 2);
	p = malloc(len > 0 ? len : 1);
	orig = malloc(len > 0 ? len : 1);
	CHECK(p != NULL && orig != NULL);
	memcpy(p, data, len);
	memcpy(orig, data, len);

	pr = pkt_parse_ip6(p, len, &before);
	if (pr == PKT_DROP_NONE)
		ok_before = l4_ok(p, &before);
	if (((sel >> 2) & 3) == 3)
		pfx = len >= PKT_IP6_HLEN ? orig + 8 + 16 * (sel & 1) :
		      pfxs[0];
	else
		pfx = pfxs[(sel >> 2) & 3];

	if ((sel & 3) < 2) {
		which = sel & 1;
		r = roam_netmap6(p, len, which, pfx);
	} else {
		enum roam_step step = (enum roam_step)(sel1 & 3);
		struct roam_table *t = NULL;
		uint64_t now = 100;

		if (sel & 0x10)
			t = table_for(step, orig, len, pfx,
				      (sel & 0x40) ? now : now + 1);
		r = roam_apply(t, step, (sel & 0x20) ? NULL : pfx, now, p, len,
			       &remapped);
		roam_table_free(t);
		CHECK(remapped == 0 || r == PKT_DROP_NONE);
		if (remapped)
			which = step == ROAM_STEP_CLAT_IN ||
				step == ROAM_STEP_PLAT_IN2OUT ? ROAM_SRC :
				ROAM_DST;
		/* With no matching entry, nothing may change; with one, the
		 * packet is rewritten or refused. */
		if (!(sel & 0x10) || (sel & 0x40))
			CHECK(remapped == 0);
		else if (len >= PKT_IP6_HLEN &&
			 !(step == ROAM_STEP_CLAT_IN && (sel & 0x20)))
			CHECK(remapped || r != PKT_DROP_NONE);
	}
	CHECK(r < PKT_DROP_MAX);
	if (r != PKT_DROP_NONE || which < 0) {
		CHECK(memcmp(p, orig, len) == 0);
		goto done;
	}

	/* Accepted and rewritten: it had parsed, and parses the same. */
	CHECK(pr == PKT_DROP_NONE);
	CHECK(pkt_parse_ip6(p, len, &after) == PKT_DROP_NONE);
	CHECK(after.len == before.len && after.l4_off == before.l4_off &&
	      after.l4_proto == before.l4_proto &&
	      after.is_frag == before.is_frag);
	CHECK(memcmp(p + before.len, orig + before.len, len - before.len) ==
	      0);
	CHECK(memcmp(p, orig, 8) == 0);
	memcpy(old, orig + 8 + 16 * which, ROAM_PFX_LEN);
	/* Every target and the current PLAT of table_for() are 'pfx'. */
	CHECK(memcmp(p + 8 + 16 * which, pfx, ROAM_PFX_LEN) == 0);
	CHECK(memcmp(p + 8 + 16 * which + 12, orig + 8 + 16 * which + 12,
		     4) == 0);
	CHECK(memcmp(p + 8 + 16 * !which, orig + 8 + 16 * !which, 16) == 0);
	if (ok_before)
		CHECK(l4_ok(p, &after));

	/* And back. */
	r = roam_netmap6(p, len, which, old);
	CHECK(r == PKT_DROP_NONE);
	CHECK(memcmp(p + 8, orig + 8, 32) == 0);
	if (ok_before)
		CHECK(l4_ok(p, &after));
done:
	free(orig);
	free(p);
	return 0;
}
