/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table: (port, IP) -> MAC in an rte_hash with lock-free
 * readers. The main lcore is its only writer: static entries from the
 * config at start, then what the workers learn from ARP and ND, which they
 * send through their SPSC 'learn' ring. Static entries are never
 * overwritten by learning. The MAC is stored in the hash's data word, so a
 * lookup is one probe and no pointer chase.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_ring.h>

#include "mx.h"

#define NEIGH_MAX	65536
#define NEIGH_STATIC	(1ull << 63)

void
mx_neigh_key4(struct mx_neigh_key *k, uint16_t port, uint32_t ip4_host)
{
	uint32_t n = htonl(ip4_host);

	memset(k, 0, sizeof(*k));
	k->port = port;
	k->addr[10] = 0xff;
	k->addr[11] = 0xff;
	memcpy(k->addr + 12, &n, 4);
}

void
mx_neigh_key6(struct mx_neigh_key *k, uint16_t port, const uint8_t *ip6)
{
	memset(k, 0, sizeof(*k));
	k->port = port;
	memcpy(k->addr, ip6, 16);
}

static uint64_t
mac_pack(const struct rte_ether_addr *mac)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		v = v << 8 | mac->addr_bytes[i];
	return v;
}

static void
mac_unpack(uint64_t v, struct rte_ether_addr *mac)
{
	int i;

	for (i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--, v >>= 8)
		mac->addr_bytes[i] = (uint8_t)v;
}

int
mx_neigh_lookup(const struct mx_dp *dp, const struct mx_neigh_key *k,
		struct rte_ether_addr *mac)
{
	void *data;

	if (rte_hash_lookup_data(dp->neigh, k, &data) < 0)
		return -ENOENT;
	mac_unpack((uint64_t)(uintptr_t)data, mac);
	return 0;
}

/* Returns 1 when the table changed, 0 when it already knew, -errno. */
static int
neigh_set(struct mx_dp *dp, const struct mx_neigh_key *k,
	  const struct rte_ether_addr *mac, int is_static)
{
	void *old;
	uint64_t v = mac_pack(mac) | (is_static ? NEIGH_STATIC : 0);

	if (rte_hash_lookup_data(dp->neigh, k, &old) >= 0) {
		if ((uint64_t)(uintptr_t)old & NEIGH_STATIC && !is_static)
			return 0;
		if ((uint64_t)(uintptr_t)old == v)
			return 0;
	}
	return rte_hash_add_key_data(dp->neigh, k, (void *)(uintptr_t)v) == 0 ?
	       1 : -ENOSPC;
}

int
mx_neigh_init(struct mx_dp *dp, const struct conf *c, char *err)
{
	struct rte_hash_parameters hp = {
		.name = "mx_neigh",
		.entries = NEIGH_MAX,
		.key_len = sizeof(struct mx_neigh_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
		/* One writer (this lcore), readers on every worker. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	unsigned int i, j;

	dp->neigh = rte_hash_create(&hp);
	if (dp->neigh == NULL) {
		snprintf(err, CONF_ERR_SIZE, "cannot create the neighbour "
			 "table: %s", rte_strerror(rte_errno));
		return -ENOMEM;
	}
	for (i = 0; i < c->n_neighs; i++) {
		const struct conf_neigh *e = &c->neighs[i];
		struct mx_neigh_key k;
		struct rte_ether_addr mac;
		uint16_t port = MX_NO_PORT;

		for (j = 0; j < dp->n_ports; j++) {
			const struct mx_port *p = &dp->ports[dp->port_ids[j]];

			if (!p->is_mirror && p->conf_idx == e->port)
				port = p->id;
		}
		if (e->family == 4)
			mx_neigh_key4(&k, port, e->ip4);
		else
			mx_neigh_key6(&k, port, e->ip6);
		memcpy(mac.addr_bytes, e->mac, RTE_ETHER_ADDR_LEN);
		if (neigh_set(dp, &k, &mac, 1) < 0) {
			snprintf(err, CONF_ERR_SIZE, "neighbours[%u]: the "
				 "neighbour table is full", i);
			return -ENOSPC;
		}
	}
	return 0;
}

void
mx_neigh_fini(struct mx_dp *dp)
{
	rte_hash_free(dp->neigh);
	dp->neigh = NULL;
}

unsigned int
mx_neigh_drain(struct mx_dp *dp, struct mx_worker *w)
{
	struct mx_learn l[32];
	unsigned int n, i, applied = 0;

	n = rte_ring_dequeue_burst_elem(w->learn, l, sizeof(l[0]), RTE_DIM(l),
					NULL);
	for (i = 0; i < n; i++) {
		int rc = neigh_set(dp, &l[i].key, &l[i].mac, 0);

		if (rc > 0)
			dp->ctl_ev[MX_EV_neigh_learned]++;
		else if (rc < 0)
			dp->ctl_ev[MX_EV_neigh_table_full]++;
		applied += rc > 0;
	}
	return applied;
}

int
mx_neigh_set_static(struct mx_dp *dp, const struct mx_neigh_key *k,
		    const struct rte_ether_addr *mac)
{
	return neigh_set(dp, k, mac, 1) < 0 ? -ENOSPC : 0;
}

int
mx_neigh_del(struct mx_dp *dp, const struct mx_neigh_key *k)
{
	/* With the RCU defer queue (mx_neigh_rcu) the slot is reused only
	 * after every worker has moved past any lookup that saw it. */
	return rte_hash_del_key(dp->neigh, k) < 0 ? -ENOENT : 0;
}

int
mx_neigh_walk(const struct mx_dp *dp,
	      int (*fn)(const struct mx_neigh_key *k,
			const struct rte_ether_addr *mac, int is_static,
			void *arg), void *arg)
{
	const void *key;
	void *data;
	uint32_t next = 0;
	int rc;

	while (rte_hash_iterate(dp->neigh, &key, &data, &next) >= 0) {
		uint64_t v = (uint64_t)(uintptr_t)data;
		struct rte_ether_addr mac;

		mac_unpack(v, &mac);
		rc = fn(key, &mac, (v & NEIGH_STATIC) != 0, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Delete the entries 'keep' says no to; learned ones only unless 'statics'. */
static unsigned int
flush_if(struct mx_dp *dp, int statics,
	 int (*keep)(const struct mx_neigh_key *k, const void *arg),
	 const void *arg)
{
	struct mx_neigh_key keys[256];
	unsigned int n, i, total = 0;

	/* Collect, then delete: deleting while iterating skips entries. */
	do {
		const void *key;
		void *data;
		uint32_t next = 0;

		n = 0;
		while (n < RTE_DIM(keys) &&
		       rte_hash_iterate(dp->neigh, &key, &data, &next) >= 0)
			if ((statics ||
			     !((uint64_t)(uintptr_t)data & NEIGH_STATIC)) &&
			    (keep == NULL || !keep(key, arg)))
				memcpy(&keys[n++], key, sizeof(keys[0]));
		for (i = 0; i < n; i++)
			total += rte_hash_del_key(dp->neigh, &keys[i]) >= 0;
	} while (n == RTE_DIM(keys));
	return total;
}

unsigned int
mx_neigh_flush(struct mx_dp *dp, int statics)
{
	return flush_if(dp, statics, NULL, NULL);
}

struct in_pfx6 {
	uint16_t port;
	const struct pkt_pfx6 *pfx;
};

static int
outside_pfx6(const struct mx_neigh_key *k, const void *arg)
{
	const struct in_pfx6 *f = arg;

	return k->port != f->port || !pkt_pfx6_match(f->pfx, k->addr);
}

unsigned int
mx_neigh_flush_pfx6(struct mx_dp *dp, uint16_t port,
		    const struct pkt_pfx6 *pfx)
{
	const struct in_pfx6 f = { .port = port, .pfx = pfx };

	return flush_if(dp, 1, outside_pfx6, &f);
}

int
mx_neigh_rcu(struct mx_dp *dp, char *err)
{
	struct rte_hash_rcu_config rc = {
		.v = dp->qsbr,
		.mode = RTE_HASH_QSBR_MODE_DQ,
	};

	if (rte_hash_rcu_qsbr_add(dp->neigh, &rc) != 0) {
		snprintf(err, CONF_ERR_SIZE, "neighbour table RCU: %s",
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}
