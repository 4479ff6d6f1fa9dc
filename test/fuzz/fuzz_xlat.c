/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: one packet through pkt_parse_ip4()/pkt_parse_ip6()
 * and, when the parser accepts it, xlat46()/xlat64() in a heap buffer
 * laid out as the daemon gives it (headroom, packet, tailroom), so ASan
 * sees any write outside it. Then the invariants of a translated packet
 * are checked and a violation aborts (__builtin_trap).
 *
 * Input: two selector bytes, then the IP packet (trailing bytes after
 * the IP total/payload length are a link-layer trailer, kept as such).
 *
 *   byte 0  bit 0     direction: 0 IPv4->IPv6 (xlat46), 1 IPv6->IPv4
 *           bits 1-3  translator config, see cfg_build()
 *           bit 4     amend_udp_csum0
 *           bit 5     fix the IPv4 header checksum before parsing
 *           bit 6     fix the transport checksum before translating
 *           bit 7     unused
 *   byte 1  bits 0-1  headroom: 128, 64, 28, 0
 *           bits 2-3  tailroom: 64, 64, 4, 0
 *           bits 4-5  mtu4/mtu6: 1500/1500, 0/0, 576/1280, 9000/1280
 *           bit 6     ctx.self6 NULL
 *           bit 7     ctx.src_by_pool6 (hairpinning)
 *
 * Invariants after a successful translation:
 *  - no byte outside [l3 - headroom, l3 + in.len + tailroom) changed;
 *  - out->l3 .. out->l3 + out->len lies in that window;
 *  - the output re-parses (pkt_parse_ip6, or pkt_parse_ip4 with its
 *    header checksum verified) and its length is out->len;
 *  - TTL/hop limit copied;
 *  - an unfragmented TCP/UDP/ICMP packet whose transport checksum
 *    verified on input verifies on output; an IPv6 UDP checksum is never
 *    zero;
 *  - in a translated ICMPv4 error, the inner IPv4 header checksum
 *    verifies;
 *  - address mapping round trip: xlat_addr46 then xlat_addr64 gives the
 *    IPv4 address back (configs whose tables do not overlap).
 * With FUZZ_XLAT_DROP_UNTOUCHED=1 in the environment, a dropped packet
 * must also be left exactly as it was. FUZZ_XLAT_VERBOSE=1 prints the
 * verdict of every input (to see what a corpus reaches).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "hdr.h"
#include "parse.h"
#include "xlat.h"

#include "fuzz.h"

#define N_CFG 8

struct fcfg {
	struct xlat_cfg c;
	struct xlat_eam eam4[4], eam6[4];
	struct pkt_pfx4 r4[3];
	uint16_t plateaus[4];
	int round_trip;		/* tables do not overlap */
};

static struct fcfg cfgs[N_CFG];
static int drop_untouched, verbose;
static const uint8_t self6[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x1c, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 1,
};

static void
pfx6(struct pkt_pfx6 *p, const char *s, unsigned int len)
{
	if (inet_pton(AF_INET6, s, p->addr) != 1)
		abort();
	p->len = (uint8_t)len;
}

static uint32_t
a4(const char *s)
{
	uint32_t a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

/* EAMT entries given in any order; sorted longest first on each side. */
static void
eamt(struct fcfg *f, const char *const *p6, const unsigned int *len6,
     const char *const *p4, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		pfx6(&f->eam4[i].p6, p6[i], len6[i]);
		f->eam4[i].p4 = a4(p4[i]);
		f->eam4[i].len4 = (uint8_t)(len6[i] - 96);
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && f->eam4[j].len4 > f->eam4[j - 1].len4;
		     j--) {
			struct xlat_eam t = f->eam4[j];

			f->eam4[j] = f->eam4[j - 1];
			f->eam4[j - 1] = t;
		}
	/* Equal suffixes: the same order by p6.len. */
	memcpy(f->eam6, f->eam4, sizeof(f->eam6));
	f->c.eam4 = f->eam4;
	f->c.eam6 = f->eam6;
	f->c.n_eam = n;
}

static void
cfg_build(void)
{
	static const char *const e6[] = {
		"2001:db8:3::", "2001:db8:4::1", "2001:db8:3::80",
	};
	static const unsigned int e6len[] = { 120, 128, 121 };
	static const char *const e4[] = {
		"198.51.100.0", "192.0.2.1", "198.51.100.128",
	};
	struct fcfg *f;
	int i;

	for (i = 0; i < N_CFG; i++) {
		xlat_cfg_init(&cfgs[i].c);
		cfgs[i].round_trip = 1;
	}

	/* 0: the CLAT of the seed node: clients in local6, world in PLAT. */
	f = &cfgs[0];
	f->c.has_local6 = f->c.has_pool6 = 1;
	pfx6(&f->c.local6, "fddd:1337:1337:1234:5678:9abc::", 96);
	pfx6(&f->c.pool6, "64:ff9b:1:abcd:ef01:2345::", 96);

	/* 1: SIIT, Well-Known Prefix, three (overlapping) EAMT entries. */
	f = &cfgs[1];
	f->c.has_pool6 = 1;
	pfx6(&f->c.pool6, "64:ff9b::", 96);
	eamt(f, e6, e6len, e4, 3);

	/* 2: SIIT, /40 pool6, EAMT, both RFC 6791 pools. */
	f = &cfgs[2];
	f->c.has_pool6 = 1;
	pfx6(&f->c.pool6, "2001:db8:100::", 40);
	eamt(f, e6, e6len, e4, 2);
	f->r4[0].addr = 0xcb007100;	/* 203.0.113.0/28 */
	f->r4[0].len = 28;
	f->r4[1].addr = 0xc000024d;	/* 192.0.2.77/32 */
	f->r4[1].len = 32;
	f->c.rfc6791v4 = f->r4;
	f->c.n_rfc6791v4 = 2;
	f->c.has_rfc6791v6 = 1;
	pfx6(&f->c.rfc6791v6, "2001:db8:ffff::", 96);

	/* 3: SIIT, /32 pool6, /128 rfc6791v6, TOS knobs, own plateaus. */
	f = &cfgs[3];
	f->c.has_pool6 = 1;
	pfx6(&f->c.pool6, "2001:db8::", 32);
	f->c.has_rfc6791v6 = 1;
	pfx6(&f->c.rfc6791v6, "2001:db8:ffff::1", 128);
	f->c.zeroize_tc = 1;
	f->c.tos_override_on = 1;
	f->c.tos_override = 0xb8;
	f->c.lowest_ipv6_mtu = 1400;
	f->plateaus[0] = 1500;
	f->plateaus[1] = 1006;
	f->plateaus[2] = 576;
	f->c.plateaus = f->plateaus;
	f->c.n_plateaus = 3;

	/* 4: EAMT only, one /32 RFC 6791 pool. */
	f = &cfgs[4];
	eamt(f, e6, e6len, e4, 3);
	f->r4[0].addr = 0xcb007101;
	f->r4[0].len = 32;
	f->c.rfc6791v4 = f->r4;
	f->c.n_rfc6791v4 = 1;

	/* 5: CLAT with a /64 local6 and a /56 pool6, /64 rfc6791v6. */
	f = &cfgs[5];
	f->c.has_local6 = f->c.has_pool6 = 1;
	pfx6(&f->c.local6, "fddd:1337:1337:1::", 64);
	pfx6(&f->c.pool6, "2001:db8:64:6400::", 56);
	f->c.has_rfc6791v6 = 1;
	pfx6(&f->c.rfc6791v6, "2001:db8:ffff:1::", 64);

	/* 6: SIIT, /48 pool6, no plateau table. */
	f = &cfgs[6];
	f->c.has_pool6 = 1;
	pfx6(&f->c.pool6, "2001:db8:46::", 48);
	f->c.n_plateaus = 0;

	/* 7: CLAT behind WKP with an EAMT inside the CLAT prefix. */
	f = &cfgs[7];
	f->c.has_local6 = f->c.has_pool6 = 1;
	pfx6(&f->c.local6, "fddd:1337:1337:1234:5678:9abc::", 96);
	pfx6(&f->c.pool6, "64:ff9b::", 96);
	{
		static const char *const x6[] = {
			"fddd:1337:1337:1234:5678:9abc:c0a8:0",
		};
		static const unsigned int x6len[] = { 120 };
		static const char *const x4[] = { "10.0.0.0" };

		eamt(f, x6, x6len, x4, 1);
	}
	f->round_trip = 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e = getenv("FUZZ_XLAT_DROP_UNTOUCHED");

	(void)argc;
	(void)argv;
	cfg_build();
	drop_untouched = e != NULL && e[0] == '1';
	e = getenv("FUZZ_XLAT_VERBOSE");
	verbose = e != NULL && e[0] == '1';
	return 0;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t
rd32n(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static int
csum_off(uint8_t proto)
{
	switch (proto) {
	case PKT_PROTO_TCP:
		return 16;
	case PKT_PROTO_UDP:
		return 6;
	case PKT_PROTO_ICMP:
	case PKT_PROTO_ICMP6:
		return 2;
	default:
		return -1;
	}
}

/* Pseudo-header sum of the transport at 'ip' (4 or 6), 0 for ICMPv4. */
static uint32_t
pseudo(int v6, const uint8_t *ip, uint8_t proto, uint32_t l4_len)
{
	if (v6)
		return pkt_pseudo6_sum(ip + 8, ip + 24, proto, l4_len);
	if (proto == PKT_PROTO_ICMP)
		return 0;
	return pkt_pseudo4_sum(rd32n(ip + 12), rd32n(ip + 16), proto, l4_len);
}

/*
 * The transport checksum of a whole, unfragmented packet verifies.
 * A UDP checksum of zero ("none") does not count as verified.
 */
static int
l4_verifies(int v6, const uint8_t *ip, const struct pkt_l3 *l)
{
	const uint8_t *l4 = ip + l->l4_off;
	uint32_t n = l->len - l->l4_off;
	int co = csum_off(l->l4_proto);

	if (l->is_frag || co < 0 || n < (uint32_t)co + 2)
		return 0;
	if (l->l4_proto == (v6 ? PKT_PROTO_ICMP : PKT_PROTO_ICMP6))
		return 0;	/* the other family's ICMP: not ours */
	if (l->l4_proto == PKT_PROTO_UDP && rd16(l4 + 6) == 0)
		return 0;
	return pkt_csum_fold(pkt_csum_partial(l4, n,
			pseudo(v6, ip, l->l4_proto, n))) == 0xffff;
}

/* Make the transport checksum right (selector bit 6). */
static void
l4_fix(int v6, uint8_t *ip, const struct pkt_l3 *l)
{
	uint8_t *l4 = ip + l->l4_off;
	uint32_t n = l->len - l->l4_off;
	int co = csum_off(l->l4_proto);
	uint16_t c;

	if (l->is_frag || co < 0 || n < (uint32_t)co + 2)
		return;
	wr16(l4 + co, 0);
	c = (uint16_t)~pkt_csum_fold(pkt_csum_partial(l4, n,
			pseudo(v6, ip, l->l4_proto, n)));
	if (c == 0 && l->l4_proto == PKT_PROTO_UDP)
		c = 0xffff;
	wr16(l4 + co, c);
}

/* RFC 7757 round trip of the IPv4 address 'v4' as source and as dest. */
static void
check_round_trip(const struct fcfg *f, uint32_t v4)
{
	uint8_t a6[16];
	uint32_t back;
	int is_src;

	if (!f->round_trip)
		return;
	for (is_src = 0; is_src <= 1; is_src++) {
		if (xlat_addr46(&f->c, v4, is_src, a6) != 0)
			continue;
		/* What was a source 4->6 comes back as a destination. */
		CHECK(xlat_addr64(&f->c, a6, !is_src, &back) == 0);
		CHECK(back == v4);
	}
}

static void
check_out46(const uint8_t *in_ip, int in_ok, const struct xlat_out *out)
{
	const uint8_t *o6 = out->l3;
	struct pkt_l3 o;
	uint32_t n;

	CHECK(pkt_parse_ip6(o6, out->len, &o) == PKT_DROP_NONE);
	CHECK(o.len == out->len);
	CHECK(o6[7] == in_ip[8]);			/* hop limit = TTL */
	if (o.is_frag || !o.first_frag)
		return;
	n = o.len - o.l4_off;
	if (o.l4_proto == PKT_PROTO_UDP && n >= PKT_UDP_HLEN)
		CHECK(rd16(o6 + o.l4_off + 6) != 0);	/* RFC 8200 8.1 */
	if (in_ok && csum_off(o.l4_proto) >= 0 && o.l4_proto != PKT_PROTO_ICMP)
		CHECK(l4_verifies(1, o6, &o));
}

static void
check_out64(const uint8_t *in_ip, int in_ok, const struct xlat_out *out)
{
	const uint8_t *o4 = out->l3;
	struct pkt_l3 o;
	uint32_t n;

	CHECK(pkt_parse_ip4(o4, out->len, 1, &o) == PKT_DROP_NONE);
	CHECK(o.len == out->len);
	CHECK(o4[8] == in_ip[7]);			/* TTL = hop limit */
	if (o.is_frag)
		return;
	n = o.len - o.l4_off;
	if (in_ok && csum_off(o.l4_proto) >= 0 &&
	    o.l4_proto != PKT_PROTO_ICMP6)
		CHECK(l4_verifies(0, o4, &o));
	/* An ICMPv4 error: the inner IPv4 header was written whole. */
	if (o.l4_proto == PKT_PROTO_ICMP && n >= PKT_ICMP_HLEN + PKT_IP4_HLEN) {
		const uint8_t *ic = o4 + o.l4_off;

		if (ic[0] == PKT_ICMP4_UNREACH ||
		    ic[0] == PKT_ICMP4_TIME_EXCEEDED ||
		    ic[0] == PKT_ICMP4_PARAMPROB) {
			CHECK(ic[8] == 0x45);
			CHECK(pkt_ip4_csum_ok((const struct pkt_ip4 *)
					      (ic + 8)));
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t headrooms[] = { 128, 64, 28, 0 };
	static const uint32_t tailrooms[] = { 64, 64, 4, 0 };
	static const uint16_t mtus[][2] = {
		{ 1500, 1500 }, { 0, 0 }, { 576, 1280 }, { 9000, 1280 },
	};
	const struct fcfg *f;
	struct xlat_cfg c;
	struct xlat_ctx ctx;
	struct xlat_out out;
	struct pkt_l3 in;
	uint8_t sel, cs, *buf, *l3, *orig, in_hdr[PKT_IP6_HLEN];
	uint32_t len, head, tail, total, lo, hi, i;
	enum pkt_drop r;
	int v6, in_ok, udp0;

	if (size < 2 || size > 65535 + 2)
		return 0;
	sel = data[0];
	cs = data[1];
	data += 2;
	len = (uint32_t)(size - 2);
	v6 = sel & 1;
	f = &cfgs[(sel >> 1) & 7];
	c = f->c;
	c.amend_udp_csum0 = (sel >> 4) & 1;
	head = headrooms[cs & 3];
	tail = tailrooms[(cs >> 2) & 3];

	memset(&ctx, 0, sizeof(ctx));
	ctx.headroom = head;
	ctx.tailroom = tail;
	ctx.mtu4 = mtus[(cs >> 4) & 3][0];
	ctx.mtu6 = mtus[(cs >> 4) & 3][1];
	ctx.self4 = htonl(0xc0a800fe);		/* 192.168.0.254 */
	ctx.self6 = (cs & 0x40) ? NULL : self6;
	ctx.src_by_pool6 = (cs >> 7) & 1;
	ctx.hash = 0x9e3779b9u * (uint32_t)(sel ^ cs << 8 ^ len);
	ctx.ip4_id = htons(0x1234);

	/* The daemon's buffer: headroom, frame (trailer included), tail. */
	total = head + len + tail;
	buf = malloc(total > 0 ? total : 1);
	orig = malloc(total > 0 ? total : 1);
	if (buf == NULL || orig == NULL)
		abort();
	memset(buf, 0xa5, head);
	memcpy(buf + head, data, len);
	memset(buf + head + len, 0x5a, tail);
	l3 = buf + head;

	if (!v6 && (sel & 0x20) && len >= PKT_IP4_HLEN &&
	    (l3[0] & 0x0f) * 4u >= PKT_IP4_HLEN &&
	    (l3[0] & 0x0f) * 4u <= len)
		pkt_ip4_set_csum((struct pkt_ip4 *)l3);
	r = v6 ? pkt_parse_ip6(l3, len, &in) : pkt_parse_ip4(l3, len, 1, &in);
	if (r != PKT_DROP_NONE) {
		if (verbose)
			fprintf(stderr, "sel %02x/%02x parse %s\n", sel, cs,
				pkt_drop_name(r));
		goto done;
	}
	if (sel & 0x40)
		l4_fix(v6, l3, &in);
	in_ok = l4_verifies(v6, l3, &in);
	/* A zero UDP checksum amended into a real one must verify too. */
	udp0 = !in.is_frag && in.l4_proto == PKT_PROTO_UDP &&
	       in.len - in.l4_off >= PKT_UDP_HLEN &&
	       rd16(l3 + in.l4_off + 6) == 0;
	memcpy(in_hdr, l3, v6 ? PKT_IP6_HLEN : PKT_IP4_HLEN);
	memcpy(orig, buf, total);
	if (!v6) {
		check_round_trip(f, rd32n(l3 + 12));
		check_round_trip(f, rd32n(l3 + 16));
	}

	r = v6 ? xlat64(&c, &ctx, l3, &in, &out) :
		 xlat46(&c, &ctx, l3, &in, &out);
	CHECK(r < PKT_DROP_MAX);
	if (verbose)
		fprintf(stderr, "sel %02x/%02x xlat%s %s%s\n", sel, cs,
			v6 ? "64" : "46", pkt_drop_name(r),
			in_ok ? " (l4 csum ok)" : "");

	/* The window the translator may write: headroom, packet, tailroom. */
	lo = head - ctx.headroom;
	hi = head + in.len + ctx.tailroom;
	for (i = 0; i < lo; i++)
		CHECK(buf[i] == orig[i]);
	for (i = hi; i < total; i++)
		CHECK(buf[i] == orig[i]);
	if (r != PKT_DROP_NONE) {
		if (drop_untouched)
			CHECK(memcmp(buf, orig, total) == 0);
		goto done;
	}
	CHECK(out.l3 >= buf + lo && out.l3 <= buf + hi);
	CHECK(out.len <= (uint32_t)(buf + hi - out.l3));
	if (v6)
		check_out64(in_hdr, in_ok, &out);
	else
		check_out46(in_hdr, in_ok || udp0, &out);
done:
	free(orig);
	free(buf);
	return 0;
}
