/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/roam netmap.c: the /96 rewrite keeps every checksum right. Each
 * result is checked by recomputing the checksums from scratch with
 * lib/pkt's functions and with unit.h's independent reference sum: TCP,
 * UDP (zero checksum kept, computed zero sent as 0xffff), ICMPv6 echo,
 * ICMPv6 errors quoting UDP, TCP and echo (whole and cut short, with
 * extension headers), first and non-first fragments, extension headers.
 * Truncated and malformed inputs are refused, unchanged, from buffers
 * allocated to their exact size (ASan sees any read past the end).
 */
#include "unit.h"

#include <stdlib.h>

#include "parse.h"
#include "roam.h"
#include "roam_test.h"

static uint8_t clatb[12], clatd[12], platc[12], plate[12];
static uint8_t client_b[16], client_d[16], server_c[16];

static int
setup(void **state)
{
	(void)state;
	rt_clat(NODE_B, clatb);
	rt_clat(NODE_D, clatd);
	rt_plat(NODE_C, platc);
	rt_plat(NODE_E, plate);
	rt_addr(clatb, RT_CLIENT, client_b);
	rt_addr(clatd, RT_CLIENT, client_d);
	rt_addr(platc, RT_SERVER, server_c);
	return 0;
}

/* Both reference sums agree that the transport checksum verifies. */
static void
assert_l4_ok(const uint8_t *ip, uint32_t l4_off, uint32_t n, uint8_t proto)
{
	assert_int_equal(rt_l4_fold(ip, ip + l4_off, n, proto), 0xffff);
	assert_int_equal(unit_l4_sum6(ip + 8, ip + 24, proto, ip + l4_off, n),
			 0xffff);
}

/* Run the rewrite on an exact-size heap copy of 'p' (ASan bounds). */
static enum pkt_drop
netmap_exact(uint8_t *p, uint32_t n, int which, const uint8_t *pfx)
{
	uint8_t *h = malloc(n > 0 ? n : 1);
	enum pkt_drop r;

	assert_non_null(h);
	memcpy(h, p, n);
	r = roam_netmap6(h, n, which, pfx);
	memcpy(p, h, n);
	free(h);
	return r;
}

/* Everything but the 12 rewritten bytes and checksum fields is equal. */
static void
assert_same_except(const uint8_t *a, const uint8_t *b, uint32_t n,
		   const uint32_t *offs, unsigned int n_offs)
{
	uint32_t i;
	unsigned int k;

	for (i = 0; i < n; i++) {
		int skip = 0;

		for (k = 0; k < n_offs; k++)
			if (i >= offs[2 * k] && i < offs[2 * k] + offs[2 * k + 1])
				skip = 1;
		if (!skip && a[i] != b[i])
			fail_msg("byte %u changed: %02x -> %02x", i, a[i], b[i]);
	}
}

static void
check_simple(uint8_t proto, int which, uint32_t data)
{
	uint8_t p[1600], orig[1600];
	uint32_t n, offs[4];
	const uint8_t *pfx = which == ROAM_SRC ? clatd : platc;

	uint8_t server_e[16];

	/* SRC: C in2out, CLATB -> CLATD. DST: B out, PLATE -> PLATC. */
	rt_addr(plate, RT_SERVER, server_e);
	n = rt_pkt(p, client_b, which == ROAM_SRC ? server_c : server_e,
		   proto, 40000, 443, data);
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, which, pfx), PKT_DROP_NONE);
	assert_memory_equal(p + (which == ROAM_SRC ? 8 : 24), pfx, 12);
	assert_memory_equal(p + (which == ROAM_SRC ? 20 : 36),
			    orig + (which == ROAM_SRC ? 20 : 36), 4);
	assert_l4_ok(p, 40, n - 40, proto);
	offs[0] = which == ROAM_SRC ? 8 : 24;
	offs[1] = 12;
	offs[2] = 40 + (uint32_t)rt_csum_off(proto);
	offs[3] = 2;
	assert_same_except(orig, p, n, offs, 2);
}

static void
test_netmap_tcp_src_and_dst(void **state)
{
	uint32_t d;

	(void)state;
	for (d = 0; d < 6; d++) {	/* odd and even payloads */
		check_simple(PKT_PROTO_TCP, ROAM_SRC, d * 37);
		check_simple(PKT_PROTO_TCP, ROAM_DST, d * 37);
	}
}

static void
test_netmap_udp_src_and_dst(void **state)
{
	uint32_t d;

	(void)state;
	for (d = 0; d < 6; d++) {
		check_simple(PKT_PROTO_UDP, ROAM_SRC, d * 37);
		check_simple(PKT_PROTO_UDP, ROAM_DST, d * 37);
	}
}

static void
test_netmap_icmp6_echo(void **state)
{
	(void)state;
	check_simple(PKT_PROTO_ICMP6, ROAM_SRC, 56);
	check_simple(PKT_PROTO_ICMP6, ROAM_DST, 57);
}

/* A UDP checksum of zero ("none") stays zero; nothing else changes. */
static void
test_netmap_udp_zero_checksum_kept(void **state)
{
	uint8_t p[256];
	uint32_t n;

	(void)state;
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_UDP, 1, 2, 10);
	p[46] = p[47] = 0;
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd), PKT_DROP_NONE);
	assert_int_equal(p[46] | p[47], 0);
	assert_memory_equal(p + 8, clatd, 12);
}

/*
 * When the new checksum comes out as zero, UDP sends 0xffff (RFC 8200
 * section 8.1): find a payload word that makes it so.
 */
static void
test_netmap_udp_computed_zero_is_ffff(void **state)
{
	uint8_t p[256], q[256];
	uint32_t n, w;
	int found = 0;

	(void)state;
	for (w = 0; w < 0x10000 && !found; w++) {
		n = rt_pkt(p, client_b, server_c, PKT_PROTO_UDP, 1, 2, 2);
		p[48] = (uint8_t)(w >> 8);
		p[49] = (uint8_t)w;
		rt_l4_set(p, p + 40, n - 40, PKT_PROTO_UDP);
		/* From scratch after the rewrite: would it be zero? */
		memcpy(q, p, n);
		memcpy(q + 8, clatd, 12);
		q[46] = q[47] = 0;
		if (unit_l4_sum6(q + 8, q + 24, PKT_PROTO_UDP, q + 40,
				 n - 40) != 0xffff)
			continue;
		found = 1;
		assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd),
				 PKT_DROP_NONE);
		assert_int_equal(unit_rd16(p + 46), 0xffff);
		assert_l4_ok(p, 40, n - 40, PKT_PROTO_UDP);
	}
	assert_true(found);
}

/* Same prefix: nothing to do, nothing changes. */
static void
test_netmap_same_prefix_is_noop(void **state)
{
	uint8_t p[256], orig[256];
	uint32_t n;

	(void)state;
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_TCP, 1, 2, 3);
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatb), PKT_DROP_NONE);
	assert_memory_equal(p, orig, n);
}

/*
 * An ICMPv6 error from a router behind PLAT C about the client's flow,
 * the quoted packet going from the client to the server. ROAM_DST: at C
 * out2in, the outer destination goes CLATD -> CLATB and so does the
 * quoted source. ROAM_SRC: at node B in, the outer source goes PLATC ->
 * PLATE and so does the quoted destination. The quoted transport
 * checksum and the ICMPv6 checksum verify from scratch. 'cut': quote
 * only that many bytes (0: all).
 */
static void
check_error(uint8_t type, uint8_t iproto, int which, uint32_t cut)
{
	uint8_t q[512], full[512], p[1024], orig[1024], router[16];
	uint32_t qn, n, il4 = 40 + 8 + 40, co = (uint32_t)rt_csum_off(iproto);
	const uint8_t *client = which == ROAM_DST ? client_d : client_b;
	const uint8_t *new_pfx = which == ROAM_DST ? clatb : plate;
	uint32_t o_new = which == ROAM_DST ? 8 : 24;	/* in the quote */
	uint32_t o_other = which == ROAM_DST ? 24 : 8;

	rt_addr(platc, "203.0.113.1", router);
	qn = rt_pkt(q, client, server_c, iproto, 40000, 53, 40);
	n = rt_icmp_err(p, router, client, type, q, cut ? cut : qn);
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, which, new_pfx), PKT_DROP_NONE);

	/* The outer address, and the quoted one on the other side. */
	assert_memory_equal(p + (which == ROAM_DST ? 24 : 8), new_pfx, 12);
	assert_memory_equal(p + 48 + o_new, new_pfx, 12);
	assert_memory_equal(p + 48 + o_new + 12, orig + 48 + o_new + 12, 4);
	assert_memory_equal(p + 48 + o_other, orig + 48 + o_other, 16);
	assert_l4_ok(p, 40, n - 40, PKT_PROTO_ICMP6);

	/* The quoted transport checksum is the one of the rewritten
	 * packet, computed from scratch over the whole of it. */
	memcpy(full, q, qn);
	memcpy(full + o_new, new_pfx, 12);
	rt_l4_set(full, full + 40, qn - 40, iproto);
	assert_l4_ok(full, 40, qn - 40, iproto);
	if (cut == 0 || cut >= 40 + co + 2) {
		assert_memory_equal(p + il4 + co, full + 40 + co, 2);
	} else if (cut > 40 + co) {
		/* Half a checksum field quoted: left as it was. */
		assert_int_equal(p[il4 + co], orig[il4 + co]);
	}
	if (cut == 0)
		assert_l4_ok(p + 48, 40, qn - 40, iproto);
}

static void
test_netmap_icmp6_error_inner_udp(void **state)
{
	(void)state;
	check_error(PKT_ICMP6_UNREACH, PKT_PROTO_UDP, ROAM_DST, 0);
	check_error(PKT_ICMP6_UNREACH, PKT_PROTO_UDP, ROAM_SRC, 0);
	check_error(PKT_ICMP6_TIME_EXCEEDED, PKT_PROTO_UDP, ROAM_DST, 0);
}

static void
test_netmap_icmp6_error_inner_tcp(void **state)
{
	(void)state;
	check_error(PKT_ICMP6_PKT_TOO_BIG, PKT_PROTO_TCP, ROAM_DST, 0);
	check_error(PKT_ICMP6_PARAMPROB, PKT_PROTO_TCP, ROAM_SRC, 0);
	check_error(PKT_ICMP6_UNREACH, PKT_PROTO_ICMP6, ROAM_DST, 0);
}

/* Quotes cut short: the inner checksum is fixed when it is there. */
static void
test_netmap_icmp6_error_quote_cut_short(void **state)
{
	uint32_t cut;

	(void)state;
	for (cut = 40; cut <= 40 + 28; cut++) {
		check_error(PKT_ICMP6_UNREACH, PKT_PROTO_TCP, ROAM_DST, cut);
		check_error(PKT_ICMP6_UNREACH, PKT_PROTO_UDP, ROAM_SRC, cut);
	}
}

/* A quoted address of another /96 (not this host) stays as it is. */
static void
test_netmap_icmp6_error_other_inner_untouched(void **state)
{
	uint8_t q[256], p[512], orig[512], other[16];
	uint32_t qn, n;

	(void)state;
	rt_addr(plate, "9.9.9.9", other);
	qn = rt_pkt(q, other, server_c, PKT_PROTO_UDP, 1, 2, 8);
	n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q, qn);
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, ROAM_DST, clatb), PKT_DROP_NONE);
	assert_memory_equal(p + 24, clatb, 12);
	assert_memory_equal(p + 48, orig + 48, qn);
	assert_l4_ok(p, 40, n - 40, PKT_PROTO_ICMP6);
}

/* A quote with extension headers before its transport header. */
static void
test_netmap_icmp6_error_inner_exthdrs(void **state)
{
	uint8_t q[256], p[512], full[256];
	uint32_t qn, n, i;

	(void)state;
	/* Inner: IPv6, hop-by-hop (8), dest opts (16), UDP + 12 bytes. */
	rt_ip6(q, client_d, server_c, PKT_PROTO_HOPOPTS, 8 + 16 + 20);
	memset(q + 40, 0, 24);
	q[40] = PKT_PROTO_DSTOPTS;
	q[41] = 0;
	q[42] = 1;		/* PadN */
	q[43] = 4;
	q[48] = PKT_PROTO_UDP;
	q[49] = 1;
	q[50] = 1;
	q[51] = 12;
	qn = rt_pkt(full, client_d, server_c, PKT_PROTO_UDP, 5, 6, 12);
	memcpy(q + 64, full + 40, 20);
	rt_l4_set(q, q + 64, 20, PKT_PROTO_UDP);
	qn = 84;
	n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q, qn);
	assert_int_equal(netmap_exact(p, n, ROAM_DST, clatb), PKT_DROP_NONE);
	assert_l4_ok(p, 40, n - 40, PKT_PROTO_ICMP6);
	assert_memory_equal(p + 48 + 8, clatb, 12);
	assert_l4_ok(p + 48, 64, 20, PKT_PROTO_UDP);
	/* Cut inside the extension headers: the address still changes. */
	for (i = 41; i < 64 + 8; i++) {
		n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q, i);
		assert_int_equal(netmap_exact(p, n, ROAM_DST, clatb),
				 PKT_DROP_NONE);
		assert_memory_equal(p + 48 + 8, clatb, 12);
		assert_l4_ok(p, 40, n - 40, PKT_PROTO_ICMP6);
	}
}

/* An error whose quote has no whole IPv6 header, or not version 6. */
static void
test_netmap_icmp6_error_bad_quote_refused(void **state)
{
	uint8_t q[256], p[512], orig[512];
	uint32_t qn, n, cut;

	(void)state;
	qn = rt_pkt(q, client_d, server_c, PKT_PROTO_UDP, 1, 2, 8);
	for (cut = 0; cut < 40; cut++) {
		n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q,
				cut);
		memcpy(orig, p, n);
		assert_int_equal(netmap_exact(p, n, ROAM_DST, clatb),
				 PKT_DROP_XLAT_ICMP_INNER);
		assert_memory_equal(p, orig, n);
	}
	q[0] = 0x45;
	n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q, qn);
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, ROAM_DST, clatb),
			 PKT_DROP_XLAT_ICMP_INNER);
	assert_memory_equal(p, orig, n);
}

/*
 * Fragments: a UDP datagram of 200 bytes in two fragments. The first
 * carries the UDP header; its checksum, over the whole datagram, verifies
 * after reassembly. The second changes its address only.
 */
static void
test_netmap_fragments(void **state)
{
	uint8_t whole[512], f1[512], f2[512], orig2[512], re[512];
	uint32_t n, l4n = 8 + 192, part = 96;

	(void)state;
	n = rt_pkt(whole, client_b, server_c, PKT_PROTO_UDP, 7, 8, 192);
	assert_int_equal(n, 40 + l4n);
	/* First: header, fragment header (offset 0, M), first 96 bytes. */
	rt_ip6(f1, client_b, server_c, PKT_PROTO_FRAGMENT, 8 + part);
	memset(f1 + 40, 0, 8);
	f1[40] = PKT_PROTO_UDP;
	f1[43] = 1;			/* M */
	f1[47] = 0x42;			/* id */
	memcpy(f1 + 48, whole + 40, part);
	/* Second: offset 96 (12 units), the rest. */
	rt_ip6(f2, client_b, server_c, PKT_PROTO_FRAGMENT,
	       (uint16_t)(8 + l4n - part));
	memset(f2 + 40, 0, 8);
	f2[40] = PKT_PROTO_UDP;
	f2[42] = (uint8_t)((part >> 3) >> 5);
	f2[43] = (uint8_t)(((part >> 3) << 3) & 0xf8);
	f2[47] = 0x42;
	memcpy(f2 + 48, whole + 40 + part, l4n - part);
	memcpy(orig2, f2, 48 + l4n - part);

	assert_int_equal(netmap_exact(f1, 48 + part, ROAM_SRC, clatd),
			 PKT_DROP_NONE);
	assert_int_equal(netmap_exact(f2, 48 + l4n - part, ROAM_SRC, clatd),
			 PKT_DROP_NONE);
	assert_memory_equal(f1 + 8, clatd, 12);
	assert_memory_equal(f2 + 8, clatd, 12);
	/* The later fragment: only the address. */
	assert_memory_equal(f2 + 20, orig2 + 20, 48 + l4n - part - 20);
	assert_memory_equal(f2, orig2, 8);
	/* Reassemble and verify from scratch. */
	memcpy(re, f1, 40);
	re[6] = PKT_PROTO_UDP;
	memcpy(re + 40, f1 + 48, part);
	memcpy(re + 40 + part, f2 + 48, l4n - part);
	assert_l4_ok(re, 40, l4n, PKT_PROTO_UDP);
}

/* Hop-by-hop and destination options before TCP: walked, fixed. */
static void
test_netmap_extension_headers(void **state)
{
	uint8_t p[512], t[256];
	uint32_t tn;

	(void)state;
	tn = rt_pkt(t, client_b, server_c, PKT_PROTO_TCP, 9, 10, 30) - 40;
	rt_ip6(p, client_b, server_c, PKT_PROTO_HOPOPTS, (uint16_t)(16 + tn));
	memset(p + 40, 0, 16);
	p[40] = PKT_PROTO_DSTOPTS;
	p[42] = 1;
	p[43] = 4;
	p[48] = PKT_PROTO_TCP;
	p[50] = 1;
	p[51] = 4;
	memcpy(p + 56, t + 40, tn);
	assert_int_equal(netmap_exact(p, 56 + tn, ROAM_SRC, clatd),
			 PKT_DROP_NONE);
	assert_l4_ok(p, 56, tn, PKT_PROTO_TCP);
}

/* Nine extension headers: more than lib/pkt walks. Refused, unchanged. */
static void
test_netmap_too_many_exthdrs(void **state)
{
	uint8_t p[512], orig[512];
	uint32_t i, n = 40 + 9 * 8 + 8;

	(void)state;
	rt_ip6(p, client_b, server_c, PKT_PROTO_DSTOPTS, (uint16_t)(n - 40));
	memset(p + 40, 0, n - 40);
	for (i = 0; i < 9; i++) {
		p[40 + i * 8] = i == 8 ? PKT_PROTO_UDP : PKT_PROTO_DSTOPTS;
		p[40 + i * 8 + 2] = 1;
		p[40 + i * 8 + 3] = 4;
	}
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd),
			 PKT_DROP_IP6_EXTHDR);
	assert_memory_equal(p, orig, n);
}

/*
 * A routing header with segments left: a destination rewrite is refused
 * (the checksum covers the final destination); a source rewrite works.
 */
static void
test_netmap_routing_header_segments_left(void **state)
{
	uint8_t p[512], orig[512], t[256], final[16];
	uint32_t tn, n;

	(void)state;
	rt_addr(plate, "5.6.7.8", final);
	tn = rt_pkt(t, client_b, final, PKT_PROTO_UDP, 9, 10, 10) - 40;
	rt_ip6(p, client_b, server_c, PKT_PROTO_ROUTING, (uint16_t)(24 + tn));
	memset(p + 40, 0, 24);
	p[40] = PKT_PROTO_UDP;
	p[41] = 2;		/* 24 bytes */
	p[42] = 0;		/* type 0 layout, as RFC 8200 4.4 draws it */
	p[43] = 1;		/* segments left */
	memcpy(p + 48, final, 16);
	memcpy(p + 64, t + 40, tn);
	n = 64 + tn;
	memcpy(orig, p, n);
	assert_int_equal(netmap_exact(p, n, ROAM_DST, plate),
			 PKT_DROP_XLAT_SEGMENTS_LEFT);
	assert_memory_equal(p, orig, n);
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd), PKT_DROP_NONE);
	/* The UDP checksum uses the final destination. */
	memcpy(t + 8, clatd, 12);
	assert_int_equal(unit_l4_sum6(t + 8, final, PKT_PROTO_UDP, p + 64, tn),
			 0xffff);
}

/*
 * Every prefix of a valid packet, its payload length kept or made to
 * match, from an exact-size buffer: a drop leaves it unchanged, and a
 * success only happens when the transport header is whole.
 */
static void
sweep(const uint8_t *pkt, uint32_t n, int which)
{
	uint8_t p[1024], orig[1024];
	uint32_t k;
	int fix;

	for (fix = 0; fix <= 1; fix++)
		for (k = 0; k < n; k++) {
			enum pkt_drop r;

			memcpy(p, pkt, k);
			if (fix && k >= 40) {
				p[4] = (uint8_t)((k - 40) >> 8);
				p[5] = (uint8_t)(k - 40);
			}
			memcpy(orig, p, k);
			r = netmap_exact(p, k, which, clatd);
			if (r != PKT_DROP_NONE)
				assert_memory_equal(p, orig, k);
			if (!fix && k < n)
				assert_int_not_equal(r, PKT_DROP_NONE);
		}
}

static void
test_netmap_truncated_refused_in_bounds(void **state)
{
	uint8_t p[512], q[256], orig[512];
	uint32_t n, qn;

	(void)state;
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_TCP, 1, 2, 20);
	sweep(p, n, ROAM_SRC);
	/* Payload length 10 with a TCP header of 20: L4_TRUNC. */
	p[4] = 0;
	p[5] = 10;
	memcpy(orig, p, 50);
	assert_int_equal(netmap_exact(p, 50, ROAM_SRC, clatd),
			 PKT_DROP_L4_TRUNC);
	assert_memory_equal(p, orig, 50);
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_UDP, 1, 2, 20);
	sweep(p, n, ROAM_SRC);
	p[5] = 4;
	assert_int_equal(netmap_exact(p, 44, ROAM_SRC, clatd),
			 PKT_DROP_L4_TRUNC);
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_ICMP6, 1, 2, 20);
	sweep(p, n, ROAM_DST);
	p[5] = 2;
	assert_int_equal(netmap_exact(p, 42, ROAM_SRC, clatd),
			 PKT_DROP_L4_TRUNC);
	qn = rt_pkt(q, client_d, server_c, PKT_PROTO_TCP, 1, 2, 20);
	n = rt_icmp_err(p, server_c, client_d, PKT_ICMP6_UNREACH, q, qn);
	sweep(p, n, ROAM_DST);

	/* Shorter than a header, another version, length past the end. */
	assert_int_equal(netmap_exact(p, 0, ROAM_SRC, clatd),
			 PKT_DROP_IP6_TRUNC);
	assert_int_equal(netmap_exact(p, 39, ROAM_SRC, clatd),
			 PKT_DROP_IP6_TRUNC);
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_UDP, 1, 2, 20);
	p[0] = 0x45;
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd),
			 PKT_DROP_IP6_VERSION);
	p[0] = 0x60;
	p[5]++;
	assert_int_equal(netmap_exact(p, n, ROAM_SRC, clatd),
			 PKT_DROP_IP6_LEN);
}

/* Bytes past the payload length (a link trailer) are never touched. */
static void
test_netmap_trailer_untouched(void **state)
{
	uint8_t p[512];
	uint32_t n;

	(void)state;
	n = rt_pkt(p, client_b, server_c, PKT_PROTO_UDP, 1, 2, 3);
	memset(p + n, 0x5a, 16);
	assert_int_equal(netmap_exact(p, n + 16, ROAM_SRC, clatd),
			 PKT_DROP_NONE);
	assert_l4_ok(p, 40, n - 40, PKT_PROTO_UDP);
	assert_int_equal(p[n], 0x5a);
	assert_int_equal(p[n + 15], 0x5a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netmap_tcp_src_and_dst),
		cmocka_unit_test(test_netmap_udp_src_and_dst),
		cmocka_unit_test(test_netmap_icmp6_echo),
		cmocka_unit_test(test_netmap_udp_zero_checksum_kept),
		cmocka_unit_test(test_netmap_udp_computed_zero_is_ffff),
		cmocka_unit_test(test_netmap_same_prefix_is_noop),
		cmocka_unit_test(test_netmap_icmp6_error_inner_udp),
		cmocka_unit_test(test_netmap_icmp6_error_inner_tcp),
		cmocka_unit_test(test_netmap_icmp6_error_quote_cut_short),
		cmocka_unit_test(test_netmap_icmp6_error_other_inner_untouched),
		cmocka_unit_test(test_netmap_icmp6_error_inner_exthdrs),
		cmocka_unit_test(test_netmap_icmp6_error_bad_quote_refused),
		cmocka_unit_test(test_netmap_fragments),
		cmocka_unit_test(test_netmap_extension_headers),
		cmocka_unit_test(test_netmap_too_many_exthdrs),
		cmocka_unit_test(test_netmap_routing_header_segments_left),
		cmocka_unit_test(test_netmap_truncated_refused_in_bounds),
		cmocka_unit_test(test_netmap_trailer_untouched),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
