/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remap steps of the packet path (roam.h, roam_apply()): which table
 * kind a step looks up, by which address, and what it rewrites, as seed
 * 003's ip6tables rules on node B and on PLAT C say:
 *
 *   node B  PREROUTING  -i clat -m set --match-set proamD src
 *                       -j NETMAP --to PLATC/96          ROAM_STEP_CLAT_OUT
 *           POSTROUTING -o clat -s PLATC/96 -m set --match-set proamD dst
 *                       -j NETMAP --to PLATB/96          ROAM_STEP_CLAT_IN
 *   PLAT C  POSTROUTING -o plat -m set --match-set rofromD src
 *                       -j NETMAP --to CLATD/96          ROAM_STEP_PLAT_IN2OUT
 *           PREROUTING  -i plat -m set --match-set rotoB dst
 *                       -j NETMAP --to CLATB/96          ROAM_STEP_PLAT_OUT2IN
 *
 * ("PLATB" is node B's current PLAT: the one its CLAT takes replies from.)
 */
#include "roam.h"

#include "hdr.h"
#include "roam_priv.h"

#define OFF_SRC		8
#define OFF_DST		24

enum pkt_drop
roam_apply(const struct roam_table *t, enum roam_step step,
	   const uint8_t *plat, uint64_t now, uint8_t *l3, uint32_t len,
	   int *remapped)
{
	const uint8_t *tgt;
	enum pkt_drop r;

	*remapped = 0;
	if (t == NULL || t->count == 0)
		return PKT_DROP_NONE;
	if (len < PKT_IP6_HLEN)
		return PKT_DROP_IP6_TRUNC;
	switch (step) {
	case ROAM_STEP_CLAT_OUT:
		tgt = roam_table_lookup(t, ROAM_CLAT, l3 + OFF_SRC, now);
		if (tgt == NULL)
			return PKT_DROP_NONE;
		r = roam_netmap6(l3, len, ROAM_DST, tgt);
		break;
	case ROAM_STEP_CLAT_IN:
		if (plat == NULL)
			return PKT_DROP_NONE;
		tgt = roam_table_lookup(t, ROAM_CLAT, l3 + OFF_DST, now);
		/* Only replies from the PLAT the client stays with. */
		if (tgt == NULL || !roam_pfx_eq(l3 + OFF_SRC, tgt))
			return PKT_DROP_NONE;
		r = roam_netmap6(l3, len, ROAM_SRC, plat);
		break;
	case ROAM_STEP_PLAT_IN2OUT:
		tgt = roam_table_lookup(t, ROAM_FROM, l3 + OFF_SRC, now);
		if (tgt == NULL)
			return PKT_DROP_NONE;
		r = roam_netmap6(l3, len, ROAM_SRC, tgt);
		break;
	case ROAM_STEP_PLAT_OUT2IN:
		tgt = roam_table_lookup(t, ROAM_TO, l3 + OFF_DST, now);
		if (tgt == NULL)
			return PKT_DROP_NONE;
		r = roam_netmap6(l3, len, ROAM_DST, tgt);
		break;
	default:
		return PKT_DROP_NONE;
	}
	if (r == PKT_DROP_NONE)
		*remapped = 1;
	return r;
}
