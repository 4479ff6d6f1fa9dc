/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: bind the config's ports to DPDK devices by name, give each one
 * rx queue per worker where the PMD has them (RSS spreads the load) and
 * one tx queue per worker (required, so workers never share a tx queue),
 * set the configured MAC, and create the kernel mirror (TAP) of a port
 * when the config asks for one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "mx.h"

#define RX_DESC 1024
#define TX_DESC 1024

static int
port_configure(struct mx_dp *dp, struct mx_port *p, char *err)
{
	struct rte_eth_conf ec;
	struct rte_eth_dev_info info;
	uint16_t q, nrx, ntx;
	uint16_t nb_rxd = RX_DESC, nb_txd = TX_DESC;
	int rc, socket;

	memset(&ec, 0, sizeof(ec));
	rc = rte_eth_dev_info_get(p->id, &info);
	if (rc != 0) {
		snprintf(err, CONF_ERR_SIZE, "port %s: no device info: %s",
			 p->name, rte_strerror(-rc));
		return rc;
	}
	nrx = (uint16_t)RTE_MIN(dp->n_workers, info.max_rx_queues);
	ntx = (uint16_t)dp->n_workers;
	if (info.max_tx_queues < ntx) {
		snprintf(err, CONF_ERR_SIZE,
			 "port %s: the device has %u tx queues and %u workers "
			 "need one each: use fewer workers (workers.lcores) or "
			 "give the device more queues", p->name,
			 info.max_tx_queues, ntx);
		return -EINVAL;
	}
	if (nrx > 1 && info.flow_type_rss_offloads != 0) {
		ec.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		ec.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	}
	if (info.max_mtu >= p->mtu && info.min_mtu <= p->mtu)
		ec.rxmode.mtu = p->mtu;
	rc = rte_eth_dev_configure(p->id, nrx, ntx, &ec);
	if (rc != 0) {
		snprintf(err, CONF_ERR_SIZE, "port %s: configure: %s", p->name,
			 rte_strerror(-rc));
		return rc;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(p->id, &nb_rxd, &nb_txd);
	socket = rte_eth_dev_socket_id(p->id);
	if (socket < 0)
		socket = 0;
	for (q = 0; q < nrx; q++) {
		rc = rte_eth_rx_queue_setup(p->id, q, nb_rxd, socket, NULL,
					    dp->pool);
		if (rc != 0) {
			snprintf(err, CONF_ERR_SIZE, "port %s: rx queue %u: %s",
				 p->name, q, rte_strerror(-rc));
			return rc;
		}
	}
	for (q = 0; q < ntx; q++) {
		rc = rte_eth_tx_queue_setup(p->id, q, nb_txd, socket, NULL);
		if (rc != 0) {
			snprintf(err, CONF_ERR_SIZE, "port %s: tx queue %u: %s",
				 p->name, q, rte_strerror(-rc));
			return rc;
		}
	}
	p->nb_rxq = nrx;
	p->nb_txq = ntx;
	return 0;
}

static int
port_start(struct mx_port *p, const struct conf_port *cp, char *err)
{
	int rc;

	if (cp != NULL && cp->has_mac) {
		memcpy(p->mac.addr_bytes, cp->mac, RTE_ETHER_ADDR_LEN);
		/*
		 * Not every PMD can change its MAC (pcap can't): then we
		 * still answer for the configured one and listen to all.
		 */
		if (rte_eth_dev_default_mac_addr_set(p->id, &p->mac) != 0)
			rte_eth_promiscuous_enable(p->id);
	} else {
		rte_eth_macaddr_get(p->id, &p->mac);
	}
	rc = rte_eth_dev_start(p->id);
	if (rc != 0) {
		snprintf(err, CONF_ERR_SIZE, "port %s: start: %s", p->name,
			 rte_strerror(-rc));
		return rc;
	}
	/* Neighbour discovery needs solicited-node multicast. */
	rte_eth_allmulticast_enable(p->id);
	return 0;
}

static int
mirror_create(struct mx_dp *dp, struct mx_port *phys, const char *ifname,
	      char *err)
{
	char name[64], args[128];
	struct mx_port *t;
	uint16_t id;
	int rc;

	snprintf(name, sizeof(name), "net_tap_mx%u", phys->id);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT,
		 ifname, RTE_ETHER_ADDR_BYTES(&phys->mac));
	rc = rte_vdev_init(name, args);
	if (rc != 0 || rte_eth_dev_get_port_by_name(name, &id) != 0) {
		snprintf(err, CONF_ERR_SIZE,
			 "port %s: kernel_mirror %s: cannot create TAP (%s; "
			 "root or CAP_NET_ADMIN needed)", phys->name, ifname,
			 rte_strerror(rc < 0 ? -rc : ENODEV));
		return rc != 0 ? rc : -ENODEV;
	}
	t = &dp->ports[id];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->is_mirror = 1;
	t->mirror = MX_NO_PORT;
	t->mirror_of = phys->id;
	t->conf_idx = phys->conf_idx;
	t->mtu = phys->mtu;
	memcpy(name, phys->name, sizeof(phys->name));
	snprintf(t->name, sizeof(t->name), "%.20s-kernel", name);
	phys->mirror = id;
	if ((rc = port_configure(dp, t, err)) != 0)
		return rc;
	if ((rc = port_start(t, NULL, err)) != 0)
		return rc;
	dp->port_ids[dp->n_ports++] = id;
	return 0;
}

static unsigned int
max_frame(const struct conf *c)
{
	unsigned int i, mtu = 1500;

	for (i = 0; i < c->n_ports; i++)
		mtu = RTE_MAX(mtu, (unsigned int)c->ports[i].mtu);
	return mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
}

int
mx_ports_init(struct mx_dp *dp, const struct conf *c, char *err)
{
	unsigned int i, n_mbufs, room;
	int rc;

	/*
	 * Enough mbufs for every rx and tx ring of every queue, the
	 * per-worker caches and TX buffers, and the neighbour queues.
	 */
	n_mbufs = 2 * c->n_ports * dp->n_workers * (RX_DESC + TX_DESC) +
		  dp->n_workers * (MX_PENDING_MAX + 512 + 4 * MX_BURST_MAX) +
		  2048;
	if (c->workers.mbufs > n_mbufs)
		n_mbufs = c->workers.mbufs;
	room = RTE_MAX((unsigned int)RTE_MBUF_DEFAULT_BUF_SIZE,
		       max_frame(c) + RTE_PKTMBUF_HEADROOM);
	dp->pool = rte_pktmbuf_pool_create("mx_pool", n_mbufs, 256, 0,
					   (uint16_t)room, rte_socket_id());
	if (dp->pool == NULL) {
		snprintf(err, CONF_ERR_SIZE,
			 "cannot create a pool of %u mbufs of %u bytes: %s "
			 "(give EAL more memory with -m)", n_mbufs, room,
			 rte_strerror(rte_errno));
		return -ENOMEM;
	}

	for (i = 0; i < c->n_ports; i++) {
		const struct conf_port *cp = &c->ports[i];
		struct mx_port *p;
		uint16_t id;

		if (rte_eth_dev_get_port_by_name(cp->device, &id) != 0) {
			snprintf(err, CONF_ERR_SIZE,
				 "ports[%u].device: \"%s\": no such DPDK device "
				 "(create it with --vdev or bind the NIC; %u "
				 "devices exist)", i, cp->device,
				 rte_eth_dev_count_avail());
			return -ENODEV;
		}
		p = &dp->ports[id];
		memset(p, 0, sizeof(*p));
		p->id = id;
		p->conf_idx = (uint16_t)i;
		p->mirror = MX_NO_PORT;
		p->mirror_of = MX_NO_PORT;
		p->mtu = cp->mtu;
		p->n_ip4 = cp->n_ip4;
		memcpy(p->ip4, cp->ip4, sizeof(p->ip4));
		snprintf(p->name, sizeof(p->name), "%s", cp->name);
		dp->port_ids[dp->n_ports++] = id;
		if ((rc = port_configure(dp, p, err)) != 0 ||
		    (rc = port_start(p, cp, err)) != 0)
			return rc;
		pkt_ip6_linklocal_from_mac(p->mac.addr_bytes, p->ll6);
		if (cp->kernel_mirror[0] != '\0' &&
		    (rc = mirror_create(dp, p, cp->kernel_mirror, err)) != 0)
			return rc;
	}
	return 0;
}

void
mx_ports_fini(struct mx_dp *dp)
{
	unsigned int i;

	for (i = 0; i < dp->n_ports; i++) {
		rte_eth_dev_stop(dp->port_ids[i]);
		rte_eth_dev_close(dp->port_ids[i]);
	}
	dp->n_ports = 0;
	rte_mempool_free(dp->pool);
	dp->pool = NULL;
}

uint32_t
mx_port_src4(const struct mx_port *p, uint32_t dst_host)
{
	unsigned int i;

	for (i = 0; i < p->n_ip4; i++)
		if (pkt_pfx4_match(&p->ip4[i], dst_host))
			return p->ip4[i].addr;
	if (p->n_ip4 > 0)
		return p->ip4[0].addr;
	/* RFC 7600 section 4.8: the IPv4 dummy address 192.0.0.8. */
	return 0xc0000008u;
}

const uint8_t *
mx_port_src6(const struct mx_snap *sn, const struct mx_port *p,
	     const uint8_t *dst)
{
	const struct mx_addrs6 *a = &sn->addr6[p->id];
	unsigned int i;

	if (dst != NULL && pkt_ip6_is_linklocal(dst))
		return p->ll6;
	for (i = 0; dst != NULL && i < a->n; i++)
		if (pkt_pfx6_match(&a->a[i], dst))
			return a->a[i].addr;
	return a->n > 0 ? a->a[0].addr : p->ll6;
}

const struct mx_port *
mx_port_by_name(const struct mx_dp *dp, const char *name)
{
	unsigned int j;

	for (j = 0; j < dp->n_ports; j++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[j]];

		if (!p->is_mirror && strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

const struct mx_port *
mx_port_by_conf(const struct mx_dp *dp, uint16_t conf_idx)
{
	unsigned int j;

	for (j = 0; j < dp->n_ports; j++) {
		const struct mx_port *p = &dp->ports[dp->port_ids[j]];

		if (!p->is_mirror && p->conf_idx == conf_idx)
			return p;
	}
	return NULL;
}
