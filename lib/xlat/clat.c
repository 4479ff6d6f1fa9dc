/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLAT/PLAT prefix derivation for babel meshes (seed 003, "Nodes calculate
 * their own PLAT or CLAT prefix by appending their MAC address to the /48
 * prefixes"). The result is a /96 usable with RFC 6052: bits 64..71 hold
 * the MAC's third octet; RFC 6052 section 2.2 only reserves them for
 * prefixes shorter than /96, so a /96 may hold anything there.
 */
#include "xlat.h"

#include <errno.h>
#include <string.h>

int
xlat_node_prefix(const struct pkt_pfx6 *range, const uint8_t *mac,
		 struct pkt_pfx6 *out)
{
	if (range->len != 48)
		return -EINVAL;
	memset(out->addr, 0, sizeof(out->addr));
	memcpy(out->addr, range->addr, 6);
	memcpy(out->addr + 6, mac, 6);
	out->len = 96;
	return 0;
}
