/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark's packets, written field by field (no scapy, no pcap):
 * what a client behind the CLAT sends on lan4 (4->6) and what comes back
 * on mesh6 (6->4). Sizes are those of real stacks: a Linux TCP SYN with
 * its usual 20 bytes of options, a 36-byte UDP payload, a default ping
 * (56 bytes of data), and a port unreachable quoting the whole datagram.
 * Pure C: checksums come from lib/pkt.
 */
#include "bench.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "hdr.h"

#define TCP_SYN_HLEN	40	/* 20 + MSS, SACK-permitted, TS, NOP, WS */
#define UDP_PAYLOAD	36
#define ECHO_PAYLOAD	56

#define CLIENT_PORT	40000
#define REMOTE_PORT	443
#define DNS_PORT	53
#define CLOSED_PORT	33434

/* RFC 6052 /96s of the CLAT (seed 003 names): local6 from clat_range +
 * MAC 12:34:56:78:9a:bc, pool6 the PLAT prefix of the mesh. */
static const uint8_t local6[16] = {
	0xfd, 0xdd, 0x13, 0x37, 0x13, 0x37, 0x12, 0x34,
	0x56, 0x78, 0x9a, 0xbc,
};
static const uint8_t pool6[16] = {
	0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, 0xab, 0xcd,
	0xef, 0x01, 0x23, 0x45,
};

void
bench_cfg(struct xlat_cfg *cfg)
{
	xlat_cfg_init(cfg);
	memcpy(cfg->local6.addr, local6, 16);
	cfg->local6.len = 96;
	cfg->has_local6 = 1;
	memcpy(cfg->pool6.addr, pool6, 16);
	cfg->pool6.len = 96;
	cfg->has_pool6 = 1;
}

static void
embed96(const uint8_t *pfx, uint32_t v4_host, uint8_t *out)
{
	uint32_t v4 = htonl(v4_host);

	memcpy(out, pfx, 12);
	memcpy(out + 12, &v4, 4);
}

void
bench_client6(uint8_t *out)
{
	embed96(local6, BENCH_CLIENT4, out);
}

void
bench_remote6(uint8_t *out)
{
	embed96(pool6, BENCH_REMOTE4, out);
}

/* Put a checksum (network order) at offset 'off' of 'l4'. */
static void
put_csum(uint8_t *l4, unsigned int off, uint32_t pseudo, uint32_t len)
{
	uint16_t c;

	l4[off] = 0;
	l4[off + 1] = 0;
	c = pkt_csum_finish(pkt_csum_partial(l4, len, pseudo));
	memcpy(l4 + off, &c, 2);
}

static void
fill(uint8_t *p, unsigned int len, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

/* IPv4 header, DF set, TTL 64, checksum filled. Addresses host order. */
static void
ip4_hdr(uint8_t *b, uint16_t tot, uint8_t proto, uint32_t src,
	uint32_t dst, uint16_t id)
{
	struct pkt_ip4 ip = {
		.ver_ihl = 0x45,
		.tot_len = htons(tot),
		.id = htons(id),
		.frag = htons(PKT_IP4_DF),
		.ttl = 64,
		.proto = proto,
		.src = htonl(src),
		.dst = htonl(dst),
	};

	pkt_ip4_set_csum(&ip);
	memcpy(b, &ip, sizeof(ip));
}

static void
ip6_hdr(uint8_t *b, uint16_t plen, uint8_t nexthdr, const uint8_t *src,
	const uint8_t *dst)
{
	struct pkt_ip6 ip = {
		.vtc_flow = htonl(6u << 28),
		.payload_len = htons(plen),
		.nexthdr = nexthdr,
		.hop_limit = 64,
	};

	memcpy(ip.src, src, 16);
	memcpy(ip.dst, dst, 16);
	memcpy(b, &ip, sizeof(ip));
}

/* A SYN as Linux sends it; returns its length. */
static uint16_t
tcp_syn(uint8_t *l4, uint16_t mss)
{
	static const uint8_t opts[20] = {
		2, 4, 0, 0,			/* MSS, filled below */
		4, 2,				/* SACK permitted */
		8, 10, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, /* timestamps */
		1,				/* NOP */
		3, 3, 7,			/* window scale 7 */
	};
	struct pkt_tcp t = {
		.sport = htons(CLIENT_PORT),
		.dport = htons(REMOTE_PORT),
		.seq = htonl(0x1d2c3b4a),
		.off = (TCP_SYN_HLEN / 4) << 4,
		.flags = 0x02,			/* SYN */
		.win = htons(64240),
	};

	memcpy(l4, &t, sizeof(t));
	memcpy(l4 + sizeof(t), opts, sizeof(opts));
	l4[sizeof(t) + 2] = (uint8_t)(mss >> 8);
	l4[sizeof(t) + 3] = (uint8_t)mss;
	return TCP_SYN_HLEN;
}

/* UDP header and payload, checksum left to the caller. */
static uint16_t
udp(uint8_t *l4, uint16_t sport, uint16_t dport)
{
	struct pkt_udp u = {
		.sport = htons(sport),
		.dport = htons(dport),
		.len = htons(PKT_UDP_HLEN + UDP_PAYLOAD),
	};

	memcpy(l4, &u, sizeof(u));
	fill(l4 + sizeof(u), UDP_PAYLOAD, 0x40);
	return PKT_UDP_HLEN + UDP_PAYLOAD;
}

/* Echo request header and payload, checksum left to the caller. */
static uint16_t
echo(uint8_t *l4, uint8_t type)
{
	struct pkt_icmp e = { .type = type };

	e.echo.id = htons(0x4d58);
	e.echo.seq = htons(1);
	memcpy(l4, &e, sizeof(e));
	fill(l4 + sizeof(e), ECHO_PAYLOAD, 0x10);
	return PKT_ICMP_HLEN + ECHO_PAYLOAD;
}

/* A whole IPv4 UDP datagram from 'src' to 'dst' (host order). */
static uint16_t
udp4_pkt(uint8_t *b, uint32_t src, uint32_t dst, uint16_t sport,
	 uint16_t dport)
{
	uint16_t l4_len = udp(b + PKT_IP4_HLEN, sport, dport);
	uint16_t tot = PKT_IP4_HLEN + l4_len;

	ip4_hdr(b, tot, PKT_PROTO_UDP, src, dst, 0x1234);
	put_csum(b + PKT_IP4_HLEN, 6,
		 pkt_pseudo4_sum(htonl(src), htonl(dst), PKT_PROTO_UDP, l4_len),
		 l4_len);
	return tot;
}

static uint16_t
udp6_pkt(uint8_t *b, const uint8_t *src, const uint8_t *dst, uint16_t sport,
	 uint16_t dport)
{
	uint16_t l4_len = udp(b + PKT_IP6_HLEN, sport, dport);

	ip6_hdr(b, l4_len, PKT_PROTO_UDP, src, dst);
	put_csum(b + PKT_IP6_HLEN, 6,
		 pkt_pseudo6_sum(src, dst, PKT_PROTO_UDP, l4_len), l4_len);
	return PKT_IP6_HLEN + l4_len;
}

static uint16_t
build_tcp4(uint8_t *b)
{
	uint16_t l4_len = tcp_syn(b + PKT_IP4_HLEN, 1460);

	ip4_hdr(b, PKT_IP4_HLEN + l4_len, PKT_PROTO_TCP, BENCH_CLIENT4,
		BENCH_REMOTE4, 0x1234);
	put_csum(b + PKT_IP4_HLEN, 16,
		 pkt_pseudo4_sum(htonl(BENCH_CLIENT4), htonl(BENCH_REMOTE4),
				 PKT_PROTO_TCP, l4_len), l4_len);
	return PKT_IP4_HLEN + l4_len;
}

static uint16_t
build_udp4(uint8_t *b)
{
	return udp4_pkt(b, BENCH_CLIENT4, BENCH_REMOTE4, CLIENT_PORT,
			DNS_PORT);
}

static uint16_t
build_echo4(uint8_t *b)
{
	uint16_t l4_len = echo(b + PKT_IP4_HLEN, PKT_ICMP4_ECHO);

	ip4_hdr(b, PKT_IP4_HLEN + l4_len, PKT_PROTO_ICMP, BENCH_CLIENT4,
		BENCH_REMOTE4, 0x1234);
	put_csum(b + PKT_IP4_HLEN, 2, 0, l4_len);
	return PKT_IP4_HLEN + l4_len;
}

/* The client tells the remote host that nothing listens on the port its
 * datagram went to, quoting the whole datagram. */
static uint16_t
build_err4(uint8_t *b)
{
	uint8_t *l4 = b + PKT_IP4_HLEN;
	struct pkt_icmp h = {
		.type = PKT_ICMP4_UNREACH,
		.code = PKT_ICMP4_UNREACH_PORT,
	};
	uint16_t l4_len;

	memcpy(l4, &h, sizeof(h));
	l4_len = PKT_ICMP_HLEN + udp4_pkt(l4 + PKT_ICMP_HLEN, BENCH_REMOTE4,
					  BENCH_CLIENT4, DNS_PORT,
					  CLOSED_PORT);
	ip4_hdr(b, PKT_IP4_HLEN + l4_len, PKT_PROTO_ICMP, BENCH_CLIENT4,
		BENCH_REMOTE4, 0x1235);
	put_csum(l4, 2, 0, l4_len);
	return PKT_IP4_HLEN + l4_len;
}

static uint16_t
build_tcp6(uint8_t *b)
{
	uint8_t src[16], dst[16];
	uint16_t l4_len = tcp_syn(b + PKT_IP6_HLEN, 1440);

	bench_remote6(src);
	bench_client6(dst);
	/* The SYN comes from the remote host this time. */
	b[PKT_IP6_HLEN + 0] = REMOTE_PORT >> 8;
	b[PKT_IP6_HLEN + 1] = REMOTE_PORT & 0xff;
	b[PKT_IP6_HLEN + 2] = CLIENT_PORT >> 8;
	b[PKT_IP6_HLEN + 3] = CLIENT_PORT & 0xff;
	ip6_hdr(b, l4_len, PKT_PROTO_TCP, src, dst);
	put_csum(b + PKT_IP6_HLEN, 16,
		 pkt_pseudo6_sum(src, dst, PKT_PROTO_TCP, l4_len), l4_len);
	return PKT_IP6_HLEN + l4_len;
}

static uint16_t
build_udp6(uint8_t *b)
{
	uint8_t src[16], dst[16];

	bench_remote6(src);
	bench_client6(dst);
	return udp6_pkt(b, src, dst, DNS_PORT, CLIENT_PORT);
}

static uint16_t
build_echo6(uint8_t *b)
{
	uint8_t src[16], dst[16];
	uint16_t l4_len = echo(b + PKT_IP6_HLEN, PKT_ICMP6_ECHO);

	bench_remote6(src);
	bench_client6(dst);
	ip6_hdr(b, l4_len, PKT_PROTO_ICMP6, src, dst);
	put_csum(b + PKT_IP6_HLEN, 2,
		 pkt_pseudo6_sum(src, dst, PKT_PROTO_ICMP6, l4_len), l4_len);
	return PKT_IP6_HLEN + l4_len;
}

/* The remote side (through the PLAT) says port unreachable about a
 * datagram the client sent. */
static uint16_t
build_err6(uint8_t *b)
{
	uint8_t src[16], dst[16], *l4 = b + PKT_IP6_HLEN;
	struct pkt_icmp h = {
		.type = PKT_ICMP6_UNREACH,
		.code = PKT_ICMP6_UNREACH_PORT,
	};
	uint16_t l4_len;

	bench_remote6(src);
	bench_client6(dst);
	memcpy(l4, &h, sizeof(h));
	l4_len = PKT_ICMP_HLEN + udp6_pkt(l4 + PKT_ICMP_HLEN, dst, src,
					  CLIENT_PORT, CLOSED_PORT);
	ip6_hdr(b, l4_len, PKT_PROTO_ICMP6, src, dst);
	put_csum(l4, 2, pkt_pseudo6_sum(src, dst, PKT_PROTO_ICMP6, l4_len),
		 l4_len);
	return PKT_IP6_HLEN + l4_len;
}

/*
 * NAT64 in2out: a 464XLAT client, 'client4' (host order) under the CLAT
 * /96, sends UDP from 'sport' to the remote host under the PLAT prefix
 * (pool6): what a PLAT receives from the mesh.
 */
void
bench_build_nat64(struct bench_pkt *p, uint32_t client4, uint16_t sport)
{
	uint8_t src[16], dst[16];

	memset(p, 0, sizeof(*p));
	p->name = "nat64-in2out";
	p->v6 = 1;
	embed96(local6, client4, src);
	bench_remote6(dst);
	p->len = udp6_pkt(p->data, src, dst, sport, DNS_PORT);
}

static const struct {
	const char *name;
	int v6;
	uint16_t (*build)(uint8_t *b);
} scenarios[] = {
	{ "tcp-syn", 0, build_tcp4 },
	{ "udp", 0, build_udp4 },
	{ "icmp-echo", 0, build_echo4 },
	{ "icmp-err", 0, build_err4 },
	{ "tcp-syn", 1, build_tcp6 },
	{ "udp", 1, build_udp6 },
	{ "icmp-echo", 1, build_echo6 },
	{ "icmp-err", 1, build_err6 },
};

unsigned int
bench_n_pkts(void)
{
	return sizeof(scenarios) / sizeof(scenarios[0]);
}

void
bench_build(unsigned int i, struct bench_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->name = scenarios[i].name;
	p->v6 = scenarios[i].v6;
	p->len = scenarios[i].build(p->data);
}
