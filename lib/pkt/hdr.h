/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire headers and small helpers shared by every library that looks at a
 * packet. Pure C: no DPDK, so the translators, the firewall parser and
 * their unit tests and fuzzers build without EAL. All multi-byte fields are
 * in network byte order, as on the wire; the structs are packed and only
 * ever used through pointers into a packet buffer after a length check
 * (see parse.c).
 */
#ifndef PKT_HDR_H
#define PKT_HDR_H

#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#define PKT_ETH_ALEN		6
#define PKT_ETH_HLEN		14
#define PKT_ETHERTYPE_IP4	0x0800
#define PKT_ETHERTYPE_ARP	0x0806
#define PKT_ETHERTYPE_VLAN	0x8100
#define PKT_ETHERTYPE_IP6	0x86dd

#define PKT_IP4_HLEN		20
#define PKT_IP6_HLEN		40
#define PKT_UDP_HLEN		8
#define PKT_TCP_HLEN		20
#define PKT_ICMP_HLEN		8

#define PKT_PROTO_HOPOPTS	0
#define PKT_PROTO_ICMP		1
#define PKT_PROTO_TCP		6
#define PKT_PROTO_UDP		17
#define PKT_PROTO_ROUTING	43
#define PKT_PROTO_FRAGMENT	44
#define PKT_PROTO_ICMP6		58
#define PKT_PROTO_NONE		59
#define PKT_PROTO_DSTOPTS	60

/* IPv4 flags/fragment offset field, host order after ntohs(). */
#define PKT_IP4_DF		0x4000
#define PKT_IP4_MF		0x2000
#define PKT_IP4_OFFMASK		0x1fff

/* ICMPv4 types and codes (RFC 792, RFC 1191). */
#define PKT_ICMP4_ECHO_REPLY	0
#define PKT_ICMP4_UNREACH	3
#define PKT_ICMP4_UNREACH_NET	0
#define PKT_ICMP4_UNREACH_HOST	1
#define PKT_ICMP4_UNREACH_PROTO	2
#define PKT_ICMP4_UNREACH_PORT	3
#define PKT_ICMP4_UNREACH_NEEDFRAG 4
#define PKT_ICMP4_UNREACH_SRCFAIL 5
#define PKT_ICMP4_UNREACH_ADMIN	13
#define PKT_ICMP4_ECHO		8
#define PKT_ICMP4_TIME_EXCEEDED	11
#define PKT_ICMP4_PARAMPROB	12

/* ICMPv6 types (RFC 4443, RFC 4861). */
#define PKT_ICMP6_UNREACH	1
#define PKT_ICMP6_UNREACH_NOROUTE 0
#define PKT_ICMP6_UNREACH_ADMIN	1
#define PKT_ICMP6_UNREACH_ADDR	3
#define PKT_ICMP6_UNREACH_PORT	4
#define PKT_ICMP6_PKT_TOO_BIG	2
#define PKT_ICMP6_TIME_EXCEEDED	3
#define PKT_ICMP6_PARAMPROB	4
#define PKT_ICMP6_ECHO		128
#define PKT_ICMP6_ECHO_REPLY	129
#define PKT_ICMP6_RS		133
#define PKT_ICMP6_RA		134
#define PKT_ICMP6_NS		135
#define PKT_ICMP6_NA		136
#define PKT_ICMP6_REDIRECT	137
#define PKT_ND_OPT_SLLA		1
#define PKT_ND_OPT_TLLA		2
#define PKT_ND_NA_ROUTER	0x80000000u
#define PKT_ND_NA_SOLICITED	0x40000000u
#define PKT_ND_NA_OVERRIDE	0x20000000u

#define PKT_ARP_HRD_ETHER	1
#define PKT_ARP_OP_REQUEST	1
#define PKT_ARP_OP_REPLY	2

/* IPv6 minimum link MTU (RFC 8200 section 5). */
#define PKT_IP6_MIN_MTU		1280

struct pkt_eth {
	uint8_t dst[PKT_ETH_ALEN];
	uint8_t src[PKT_ETH_ALEN];
	uint16_t type;
} __attribute__((packed));

struct pkt_ip4 {
	uint8_t ver_ihl;	/* version 4, IHL in 32-bit words */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag;		/* flags and fragment offset */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t src;
	uint32_t dst;
} __attribute__((packed));

struct pkt_ip6 {
	uint32_t vtc_flow;	/* version 6, traffic class, flow label */
	uint16_t payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	uint8_t src[16];
	uint8_t dst[16];
} __attribute__((packed));

struct pkt_ip6_frag {
	uint8_t nexthdr;
	uint8_t reserved;
	uint16_t off_m;		/* offset in 8-byte units << 3, M flag in bit 0 */
	uint32_t id;
} __attribute__((packed));

struct pkt_udp {
	uint16_t sport;
	uint16_t dport;
	uint16_t len;
	uint16_t csum;
} __attribute__((packed));

struct pkt_tcp {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t off;		/* data offset << 4 */
	uint8_t flags;
	uint16_t win;
	uint16_t csum;
	uint16_t urp;
} __attribute__((packed));

/* ICMPv4 and ICMPv6 share this 8-byte header. */
struct pkt_icmp {
	uint8_t type;
	uint8_t code;
	uint16_t csum;
	union {
		struct { uint16_t id, seq; } echo;
		uint32_t word;	/* unused, MTU, pointer, NA flags ... */
	};
} __attribute__((packed));

struct pkt_arp {
	uint16_t hrd;
	uint16_t pro;
	uint8_t hln;
	uint8_t pln;
	uint16_t op;
	uint8_t sha[PKT_ETH_ALEN];
	uint32_t spa;
	uint8_t tha[PKT_ETH_ALEN];
	uint32_t tpa;
} __attribute__((packed));

/* Host-order IPv4 address with a prefix length. */
struct pkt_pfx4 {
	uint32_t addr;
	uint8_t len;
};

struct pkt_pfx6 {
	uint8_t addr[16];
	uint8_t len;
};

static inline uint32_t
pkt_mask4(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static inline int
pkt_pfx4_match(const struct pkt_pfx4 *p, uint32_t addr)
{
	return ((addr ^ p->addr) & pkt_mask4(p->len)) == 0;
}

/* True when the first 'len' bits of 'a' and 'b' are equal. */
static inline int
pkt_bits_equal(const uint8_t *a, const uint8_t *b, unsigned int len)
{
	unsigned int bytes = len / 8, rem = len % 8, i;

	/* Word by word: no libc call on the translator's hot path. */
	for (i = 0; i + 4 <= bytes; i += 4) {
		uint32_t x, y;

		memcpy(&x, a + i, 4);
		memcpy(&y, b + i, 4);
		if (x != y)
			return 0;
	}
	for (; i < bytes; i++)
		if (a[i] != b[i])
			return 0;
	if (rem == 0)
		return 1;
	return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - rem))) == 0;
}

static inline int
pkt_pfx6_match(const struct pkt_pfx6 *p, const uint8_t *addr)
{
	return pkt_bits_equal(p->addr, addr, p->len);
}

/* 1 when 'p' has a bit set past its length ("2001:db8::1/64"). */
static inline int
pkt_pfx6_host_bits(const struct pkt_pfx6 *p)
{
	unsigned int i;

	for (i = p->len; i < 128; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return 1;
	return 0;
}

/* Give 'a' the first 'len' bits of 'pfx', keeping its other bits: a
 * renumbering, or an ip6tables NETMAP. */
static inline void
pkt_ip6_set_prefix(uint8_t *a, const uint8_t *pfx, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		a[i] = pfx[i];
	if (len % 8 != 0) {
		uint8_t m = (uint8_t)(0xff00u >> (len % 8));

		a[i] = (uint8_t)((pfx[i] & m) | (a[i] & ~m));
	}
}

static inline unsigned int
pkt_ip4_hlen(const struct pkt_ip4 *ip)
{
	return (ip->ver_ihl & 0x0f) * 4u;
}

static inline int
pkt_ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline int
pkt_ip6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline int
pkt_ip4_is_multicast(uint32_t a)
{
	return (a & 0xf0000000u) == 0xe0000000u;
}

/* Solicited-node multicast address of 'a' (RFC 4291 section 2.7.1). */
static inline void
pkt_ip6_solicited_node(const uint8_t *a, uint8_t *out)
{
	static const uint8_t base[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
					  0, 0, 0, 0x01, 0xff };

	memcpy(out, base, sizeof(base));
	memcpy(out + 13, a + 13, 3);
}

/* Multicast MAC for an IPv6 multicast address (RFC 2464 section 7). */
static inline void
pkt_ip6_mcast_mac(const uint8_t *a, uint8_t *mac)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, a + 12, 4);
}

/* Modified EUI-64 link-local address from a MAC (RFC 4291 appendix A). */
static inline void
pkt_ip6_linklocal_from_mac(const uint8_t *mac, uint8_t *out)
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02;
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

#endif /* PKT_HDR_H */
