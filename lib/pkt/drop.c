/* SPDX-License-Identifier: BSD-3-Clause */
/* Names and descriptions of the drop reasons, generated from drop.h. */
#include "drop.h"

#define PKT_DROP_NAME(n, k, d) k,
#define PKT_DROP_DESC(n, k, d) d,
static const char *const names[] = { PKT_DROP_LIST(PKT_DROP_NAME) };
static const char *const descs[] = { PKT_DROP_LIST(PKT_DROP_DESC) };

const char *
pkt_drop_name(unsigned int r)
{
	return r < PKT_DROP_MAX ? names[r] : "?";
}

const char *
pkt_drop_desc(unsigned int r)
{
	return r < PKT_DROP_MAX ? descs[r] : "?";
}
