/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the lib/roam tests and benchmark: the nodes of seed 003's
 * walk-through and their prefixes, and a small IPv6 packet builder whose
 * checksums are computed from scratch with lib/pkt's functions (and
 * verified against unit.h's independent reference sum).
 *
 * The walk-through: client 192.168.0.23 got its lease at node D, roamed
 * from node A to node B, and keeps PLAT C as its IPv4 exit. Node prefixes
 * are the site /48s plus the node's MAC (seed 003): clat_range
 * fddd:1337:1337::/48, plat_range 64:ff9b:1::/48 (RFC 8215), MACs
 * 02:00:5e:00:00:0a..0e for nodes A..E. Node B's CLAT has since chosen
 * PLAT E for new clients ("PLATB" in the seed's POSTROUTING rule).
 */
#ifndef ROAM_TEST_H
#define ROAM_TEST_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "csum.h"
#include "hdr.h"
#include "roam.h"

enum { NODE_A, NODE_B, NODE_C, NODE_D, NODE_E, N_NODES };

static const uint8_t node_mac[N_NODES][6] = {
	{ 0x02, 0x00, 0x5e, 0x00, 0x00, 0x0a },
	{ 0x02, 0x00, 0x5e, 0x00, 0x00, 0x0b },
	{ 0x02, 0x00, 0x5e, 0x00, 0x00, 0x0c },
	{ 0x02, 0x00, 0x5e, 0x00, 0x00, 0x0d },
	{ 0x02, 0x00, 0x5e, 0x00, 0x00, 0x0e },
};
static const uint8_t clat_range[6] = { 0xfd, 0xdd, 0x13, 0x37, 0x13, 0x37 };
static const uint8_t plat_range[6] = { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 };

/* Seed 003: a /48 range plus the node's MAC gives the node's /96. */
static inline void
rt_node_pfx(const uint8_t *range, int node, uint8_t *pfx)
{
	memcpy(pfx, range, 6);
	memcpy(pfx + 6, node_mac[node], 6);
}

static inline void
rt_clat(int node, uint8_t *pfx)
{
	rt_node_pfx(clat_range, node, pfx);
}

static inline void
rt_plat(int node, uint8_t *pfx)
{
	rt_node_pfx(plat_range, node, pfx);
}

/* /96 'pfx' + IPv4 's' (dotted quad) -> 'a' (RFC 6052 section 2.2). */
static inline void
rt_addr(const uint8_t *pfx, const char *s, uint8_t *a)
{
	struct in_addr v4;

	memcpy(a, pfx, ROAM_PFX_LEN);
	if (inet_pton(AF_INET, s, &v4) != 1)
		memset(&v4, 0xff, sizeof(v4));
	memcpy(a + 12, &v4, 4);
}

#define RT_CLIENT	"192.168.0.23"
#define RT_SERVER	"1.2.3.4"

/* ---- packets --------------------------------------------------------- */

/* Offset of the checksum in a transport header, -1 for none. */
static inline int
rt_csum_off(uint8_t proto)
{
	return proto == PKT_PROTO_TCP ? 16 : proto == PKT_PROTO_UDP ? 6 :
	       proto == PKT_PROTO_ICMP6 ? 2 : -1;
}

/* Sum of the transport bytes at 'l4' with the pseudo-header of 'ip6'. */
static inline uint16_t
rt_l4_fold(const uint8_t *ip6, const uint8_t *l4, uint32_t n, uint8_t proto)
{
	return pkt_csum_fold(pkt_csum_partial(l4, n,
			pkt_pseudo6_sum(ip6 + 8, ip6 + 24, proto, n)));
}

/* Write the transport checksum from scratch (lib/pkt functions). */
static inline void
rt_l4_set(const uint8_t *ip6, uint8_t *l4, uint32_t n, uint8_t proto)
{
	int co = rt_csum_off(proto);
	uint16_t c;

	l4[co] = 0;
	l4[co + 1] = 0;
	c = pkt_csum_finish(pkt_csum_partial(l4, n,
			pkt_pseudo6_sum(ip6 + 8, ip6 + 24, proto, n)));
	if (proto == PKT_PROTO_UDP && c == 0)
		c = 0xffff;
	memcpy(l4 + co, &c, 2);
}

/*
 * A whole IPv6 packet of 'plen' payload bytes at 'p': header only; the
 * caller writes the payload. Traffic class and flow label non-zero so that
 * a rewrite that touched them would show.
 */
static inline uint32_t
rt_ip6(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t nh,
       uint16_t plen)
{
	p[0] = 0x6b;
	p[1] = 0x81;
	p[2] = 0x23;
	p[3] = 0x45;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = 63;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return PKT_IP6_HLEN;
}

/* Payload bytes that are not all alike. */
static inline void
rt_fill(uint8_t *p, uint32_t n, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 3));
}

/*
 * An unfragmented TCP (20-byte header), UDP or ICMPv6 echo request
 * packet with 'data' payload bytes and a correct checksum. Returns its
 * length.
 */
static inline uint32_t
rt_pkt(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t proto,
       uint16_t sport, uint16_t dport, uint32_t data)
{
	uint32_t hl = proto == PKT_PROTO_TCP ? PKT_TCP_HLEN :
		      proto == PKT_PROTO_UDP ? PKT_UDP_HLEN : PKT_ICMP_HLEN;
	uint32_t n = hl + data;
	uint8_t *l4 = p + PKT_IP6_HLEN;

	rt_ip6(p, src, dst, proto, (uint16_t)n);
	memset(l4, 0, hl);
	rt_fill(l4 + hl, data, sport ^ dport);
	switch (proto) {
	case PKT_PROTO_TCP:
		l4[0] = (uint8_t)(sport >> 8);
		l4[1] = (uint8_t)sport;
		l4[2] = (uint8_t)(dport >> 8);
		l4[3] = (uint8_t)dport;
		l4[4] = 0x12;		/* seq */
		l4[11] = 0x77;		/* ack */
		l4[12] = 5 << 4;
		l4[13] = 0x18;		/* PSH ACK */
		l4[14] = 0xff;
		break;
	case PKT_PROTO_UDP:
		l4[0] = (uint8_t)(sport >> 8);
		l4[1] = (uint8_t)sport;
		l4[2] = (uint8_t)(dport >> 8);
		l4[3] = (uint8_t)dport;
		l4[4] = (uint8_t)(n >> 8);
		l4[5] = (uint8_t)n;
		break;
	default:
		l4[0] = PKT_ICMP6_ECHO;
		l4[4] = (uint8_t)(sport >> 8);
		l4[5] = (uint8_t)sport;
		l4[7] = (uint8_t)dport;
		break;
	}
	rt_l4_set(p, l4, n, proto);
	return PKT_IP6_HLEN + n;
}

/*
 * An ICMPv6 error of 'type' from 'src' to 'dst' quoting the first 'qlen'
 * bytes of the packet 'q', with a correct ICMPv6 checksum. Returns its
 * length.
 */
static inline uint32_t
rt_icmp_err(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t type,
	    const uint8_t *q, uint32_t qlen)
{
	uint8_t *ic = p + PKT_IP6_HLEN;
	uint32_t n = PKT_ICMP_HLEN + qlen;

	rt_ip6(p, src, dst, PKT_PROTO_ICMP6, (uint16_t)n);
	memset(ic, 0, PKT_ICMP_HLEN);
	ic[0] = type;
	ic[1] = type == PKT_ICMP6_UNREACH ? PKT_ICMP6_UNREACH_PORT : 0;
	if (type == PKT_ICMP6_PKT_TOO_BIG) {
		ic[6] = 0x05;	/* MTU 1280 */
		ic[7] = 0x00;
	}
	memcpy(ic + PKT_ICMP_HLEN, q, qlen);
	rt_l4_set(p, ic, n, PKT_PROTO_ICMP6);
	return PKT_IP6_HLEN + n;
}

#endif /* ROAM_TEST_H */
