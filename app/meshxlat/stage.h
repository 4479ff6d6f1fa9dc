/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the stage files share (worker.c, plat.c): the stages of the packet
 * path, the per-packet verdict, and the helpers every stage uses to drop,
 * answer with an ICMP error or pass a packet on to neighbour resolution.
 * Private to app/meshxlat.
 */
#ifndef MX_STAGE_H
#define MX_STAGE_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "mx.h"
#include "parse.h"
#include "xlat.h"

enum stage {
	ST_ETH,
	ST_ARP,
	ST_IP4,
	ST_IP6,
	ST_FW6,		/* the IPv6 firewall (firewall.c) */
	ST_LOCAL4,
	ST_LOCAL6,
	ST_XLAT46,
	ST_NAT64_IN,	/* PLAT: IPv6 to the PLAT prefix -> IPv4 (plat.c) */
	ST_NAT64_OUT,	/* PLAT: IPv4 to the pool -> IPv6 (plat.c) */
	ST_XLAT64,
	ST_FWD4,
	ST_FWD6,
	ST_NEIGH,
	ST_DONE,
};

/* What the stages know about one packet of the burst. */
struct meta {
	uint8_t next;			/* enum stage */
	uint8_t family;			/* of the neighbour to resolve */
	uint8_t l2_mcast;		/* frame was broadcast/multicast */
	uint16_t out_port;
	uint32_t nh;			/* next-hop index from the FIB */
	struct rte_ether_addr smac;	/* who sent the frame */
	struct pkt_l3 l3;
	uint16_t frag_size;		/* fragment to this size on tx, 0: no */
	uint8_t trace;			/* slot in w->trace, or NO_TRACE */
	uint8_t reass;			/* reassembled from fragments */
	uint8_t translated;		/* translated inside the box already:
					 * its sender is of the other family */
	uint8_t roamed;			/* the PLAT's roam step was taken: 1,
					 * or 2 when it remapped the source */
	uint8_t fw_chain;		/* ST_FW6: enum fw_chain */
	uint8_t fw_next;		/* ST_FW6: the stage after it */
	uint8_t hop[16];		/* neighbour address (v4: host order) */
};

#define NO_TRACE	0xff

static inline uint8_t *
l3_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, uint8_t *);
}

/* Capture or trace what is dropped, when asked to (tap.c). */
void mx_drop_tap(struct mx_worker *w, struct rte_mbuf *m, struct meta *mt,
		 enum pkt_drop why);

static inline void
drop(struct mx_worker *w, struct rte_mbuf *m, struct meta *mt,
     enum pkt_drop why)
{
	w->drops[why]++;
	if (w->tap != NULL)
		mx_drop_tap(w, m, mt, why);
	rte_pktmbuf_free(m);
	mt->next = ST_DONE;
}

/* An ICMP error about the packet at 'm' back to its sender, and the drop
 * 'why'; 'word' is the second header word (MTU, pointer). */
void mx_reject4(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
		struct meta *x, uint8_t type, uint8_t code, uint32_t word,
		enum pkt_drop why);
void mx_reject6(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
		struct meta *x, uint8_t type, uint8_t code, uint32_t word,
		enum pkt_drop why);
/* A translator's drop 'r' of an IPv6 packet, answered as RFC 7915 5.4
 * says (administratively prohibited, or silently). */
void mx_reject64(struct mx_worker *w, uint16_t port, struct rte_mbuf *m,
		 struct meta *x, enum pkt_drop r);
/* Where the packet goes once 'nh' has been chosen for destination 'dst'. */
void mx_to_neigh4(struct meta *x, const struct mx_nh *nh, uint32_t dst);
void mx_to_neigh6(struct meta *x, const struct mx_nh *nh, const uint8_t *dst);
/* The buffer now holds the translator's output 'out'. */
void mx_set_l3(struct rte_mbuf *m, const struct xlat_out *out);
/* A cheap flow hash of an IPv6 address (RFC 6791 pool picks). */
uint32_t mx_flow_hash(const uint8_t *a);

/* firewall.c: INPUT and FORWARD for IPv6 */
void stage_fw6(struct mx_worker *w, uint16_t port, struct rte_mbuf **pkts,
	       struct meta *mt, uint16_t n);

/* plat.c: the PLAT's two stages */
void stage_nat64_in(struct mx_worker *w, uint16_t port,
		    struct rte_mbuf **pkts, struct meta *mt, uint16_t n);
void stage_nat64_out(struct mx_worker *w, uint16_t port,
		     struct rte_mbuf **pkts, struct meta *mt, uint16_t n);
/* handoff.c: pass 'm' to worker 'owner', which resumes at 'stage'. */
void mx_handoff(struct mx_worker *w, struct rte_mbuf *m, struct meta *x,
		uint16_t port, unsigned int owner, uint8_t stage);
/* A handed-off packet: its stage, chain, sender and rx port, in 'x'. */
void mx_handoff_resume(struct rte_mbuf *m, struct meta *x, uint16_t *port);
/* An IPv4 packet to a pool address that is also the box's own: 1 when
 * the PLAT does not serve it (another port or protocol), so the box
 * does. */
int mx_plat_for_box4(const struct mx_dp *dp, const uint8_t *l3,
		     const struct pkt_l3 *in);

#endif /* MX_STAGE_H */
