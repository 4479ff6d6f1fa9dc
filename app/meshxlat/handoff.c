/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handoff: a packet whose state (a PLAT session, a firewall connection)
 * lives on another worker's shard goes to that worker over a
 * single-producer/single-consumer ring, one per ordered pair of workers
 * (VPP's handoff; ARCHITECTURE.md "Threads and state"). What the owner
 * needs to go on (the stage to resume at, the rx port for ICMP errors,
 * the sender's MAC, the firewall chain) travels in an mbuf dynamic
 * field. The owner drains its rings each loop turn, round-robin over the
 * senders. A full ring drops the packet and counts it.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "mx.h"
#include "stage.h"

#define HANDOFF_RING	1024	/* mbufs in flight between two workers */

struct handoff {
	uint32_t nh;			/* the route ST_IP6 chose (ST_FW6) */
	uint16_t rx_port;
	uint8_t stage;			/* where the owner resumes */
	uint8_t chain;			/* the firewall chain (ST_FW6) */
	uint8_t translated;		/* meta.translated */
	uint8_t roamed;			/* meta.roamed */
	uint8_t pad[2];
	struct rte_ether_addr smac;
};

static int handoff_off = -1;		/* the mbuf dynamic field */

static inline struct handoff *
handoff_of(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, handoff_off, struct handoff *);
}

int
mx_handoff_init(struct mx_dp *dp, char *err)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "meshxlat_handoff",
		.size = sizeof(struct handoff),
		.align = __alignof__(struct handoff),
	};
	unsigned int i, j;

	if (dp->n_workers < 2 || (dp->plat == NULL && !dp->fw_on))
		return 0;
	if (handoff_off < 0) {
		handoff_off = rte_mbuf_dynfield_register(&desc);
		if (handoff_off < 0)
			goto nomem;
	}
	for (i = 0; i < dp->n_workers; i++)
		for (j = 0; j < dp->n_workers; j++) {
			char name[RTE_RING_NAMESIZE];

			if (i == j)
				continue;
			snprintf(name, sizeof(name), "mx_hoff%u_%u", i, j);
			dp->handoff[i][j] = rte_ring_create(name, HANDOFF_RING,
					SOCKET_ID_ANY,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (dp->handoff[i][j] == NULL)
				goto nomem;
		}
	dp->handoff_on = 1;
	return 0;
nomem:
	snprintf(err, CONF_ERR_SIZE, "handoff rings: %s",
		 rte_strerror(rte_errno));
	return -ENOMEM;
}

void
mx_handoff_fini(struct mx_dp *dp)
{
	struct rte_mbuf *m;
	unsigned int i, j;

	for (i = 0; i < MX_MAX_WORKERS; i++)
		for (j = 0; j < MX_MAX_WORKERS; j++) {
			if (dp->handoff[i][j] == NULL)
				continue;
			while (rte_ring_dequeue(dp->handoff[i][j],
						(void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(dp->handoff[i][j]);
			dp->handoff[i][j] = NULL;
		}
}

void
mx_handoff(struct mx_worker *w, struct rte_mbuf *m, struct meta *x,
	   uint16_t port, unsigned int owner, uint8_t stage)
{
	struct handoff *h = handoff_of(m);

	h->rx_port = port;
	h->stage = stage;
	h->chain = x->fw_chain;
	h->translated = x->translated;
	h->roamed = x->roamed;
	h->nh = x->nh;
	h->smac = x->smac;
	if (rte_ring_sp_enqueue(w->dp->handoff[w->id][owner], m) != 0) {
		drop(w, m, x, PKT_DROP_HANDOFF_FULL);
		return;
	}
	w->ev[MX_EV_handoff]++;
	x->next = ST_DONE;
}

unsigned int
mx_handoff_rx(struct mx_worker *w, struct rte_mbuf **pkts, unsigned int max,
	      unsigned int *from)
{
	const struct mx_dp *dp = w->dp;
	unsigned int i, n = 0;

	for (i = 0; i < dp->n_workers && n == 0; i++) {
		unsigned int src = (*from + i) % dp->n_workers;

		if (src == w->id || dp->handoff[src][w->id] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(dp->handoff[src][w->id],
					      (void **)pkts, max, NULL);
	}
	*from = (*from + 1) % dp->n_workers;
	return n;
}

void
mx_handoff_resume(struct rte_mbuf *m, struct meta *x, uint16_t *port)
{
	const struct handoff *h = handoff_of(m);

	x->next = h->stage;
	x->fw_chain = h->chain;
	x->translated = h->translated;
	x->roamed = h->roamed;
	x->fw_next = h->chain == FW_CHAIN_INPUT ? ST_LOCAL6 : ST_FWD6;
	x->nh = h->nh;
	x->smac = h->smac;
	*port = h->rx_port;
}
