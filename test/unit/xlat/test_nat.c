/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/xlat with a NAT64 session (struct xlat_nat, RFC 6146 section 3.7):
 * the addresses and ports of the session replace the stateless mapping in
 * both directions, for TCP, UDP and ICMP echo (identifier), and inside
 * ICMP errors (the quoted packet gets the session's addresses and ports);
 * every checksum verifies from scratch afterwards. A UDP checksum of zero
 * from IPv4 is summed over the new ports; a non-first fragment keeps its
 * bytes. The PLAT of seed 003: pool 10.23.0.9, ports 9000-10000.
 */
#include "unit.h"

#include <arpa/inet.h>

#include "xlat.h"

#include "build.h"

#define CLIENT6		"fddd:1337:1337:1234:5678:9abc:c0a8:a"
#define PLAT_REM6	"64:ff9b:1:abcd:ef01:2345:c633:6407"	/* 198.51.100.7 */
#define POOL4		"10.23.0.9"
#define REMOTE4		"198.51.100.7"
#define ROUTER4		"203.0.113.1"
#define PLAT_ROUTER6	"64:ff9b:1:abcd:ef01:2345:cb00:7101"

/* The session: client [CLIENT6]:40000 <-> POOL4:9001, remote :443. */
static void
nat_in2out(struct xlat_nat *n)
{
	memset(n, 0, sizeof(*n));
	t_addr4((uint8_t *)&n->src4, POOL4);
	t_addr4((uint8_t *)&n->dst4, REMOTE4);
	n->sport = 9001;
	n->dport = 443;
	/* an ICMPv6 error from the client quotes a packet it received */
	t_addr4((uint8_t *)&n->isrc4, REMOTE4);
	t_addr4((uint8_t *)&n->idst4, POOL4);
	n->isport = 443;
	n->idport = 9001;
}

static void
nat_out2in(struct xlat_nat *n, const char *src6)
{
	memset(n, 0, sizeof(*n));
	t_addr6(n->src6, src6);
	t_addr6(n->dst6, CLIENT6);
	n->sport = 443;
	n->dport = 40000;
	/* an ICMPv4 error quotes the packet the client sent */
	t_addr6(n->isrc6, CLIENT6);
	t_addr6(n->idst6, PLAT_REM6);
	n->isport = 40000;
	n->idport = 443;
}

static struct xlat_ctx
ctx_with(const struct xlat_nat *n)
{
	struct xlat_ctx x;

	t_ctx(&x);
	x.nat = n;
	return x;
}

static void
check_ip4(const struct xlat_out *o, const char *src, const char *dst,
	  uint8_t proto)
{
	uint8_t a[4];

	assert_int_equal(o->l3[9], proto);
	assert_int_equal(unit_sum16(o->l3, 20, 0), 0xffff);
	t_addr4(a, src);
	assert_memory_equal(o->l3 + 12, a, 4);
	t_addr4(a, dst);
	assert_memory_equal(o->l3 + 16, a, 4);
}

static void
check_ip6(const struct xlat_out *o, const char *src, const char *dst,
	  uint8_t proto)
{
	uint8_t a[16];

	assert_int_equal(o->l3[6], proto);
	t_addr6(a, src);
	assert_memory_equal(o->l3 + 8, a, 16);
	t_addr6(a, dst);
	assert_memory_equal(o->l3 + 24, a, 16);
}

static void
test_nat_in2out_tcp_and_udp_get_session_address_and_ports(void **state)
{
	static const uint8_t protos[] = { PKT_PROTO_TCP, PKT_PROTO_UDP };
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	unsigned int i;

	(void)state;
	t_cfg_clat(&c);
	nat_in2out(&n);
	x = ctx_with(&n);
	for (i = 0; i < 2; i++) {
		struct t_ip6 s = t_ip6_default(protos[i]);
		uint8_t l4[400];
		struct xlat_out o;
		struct tpkt p;
		uint32_t len;

		s.src = CLIENT6;
		s.dst = PLAT_REM6;
		t_init(&p);
		len = protos[i] == PKT_PROTO_TCP ? t_tcp(l4, 300, 5) :
		      t_udp(l4, 300, 5);
		t_ip6(&p, &s, l4, len);
		assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
		check_ip4(&o, POOL4, REMOTE4, protos[i]);
		assert_int_equal(unit_rd16(o.l3 + 20), 9001);
		assert_int_equal(unit_rd16(o.l3 + 22), 443);
		t_assert_l4_csum4(o.l3, o.l3 + 20, protos[i], len);
	}
}

static void
test_nat_in2out_echo_gets_the_session_identifier(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6);
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint8_t l4[100];
	uint32_t len;

	(void)state;
	t_cfg_clat(&c);
	nat_in2out(&n);
	x = ctx_with(&n);
	s.src = CLIENT6;
	s.dst = PLAT_REM6;
	t_init(&p);
	len = t_icmp(l4, PKT_ICMP6_ECHO, 0, 56, 9);
	t_ip6(&p, &s, l4, len);
	assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
	check_ip4(&o, POOL4, REMOTE4, PKT_PROTO_ICMP);
	assert_int_equal(o.l3[20], PKT_ICMP4_ECHO);
	assert_int_equal(unit_rd16(o.l3 + 24), 9001);	/* identifier */
	assert_int_equal(unit_rd16(o.l3 + 26), 7);	/* sequence kept */
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_ICMP, len);
}

static void
test_nat_out2in_tcp_udp_and_echo_reply(void **state)
{
	static const uint8_t protos[] = { PKT_PROTO_TCP, PKT_PROTO_UDP,
					  PKT_PROTO_ICMP };
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	unsigned int i;

	(void)state;
	t_cfg_clat(&c);
	nat_out2in(&n, PLAT_REM6);
	x = ctx_with(&n);
	for (i = 0; i < 3; i++) {
		struct t_ip4 s = t_ip4_default(protos[i]);
		uint8_t l4[400];
		struct xlat_out o;
		struct tpkt p;
		uint32_t len;

		s.src = REMOTE4;
		s.dst = POOL4;
		t_init(&p);
		len = protos[i] == PKT_PROTO_TCP ? t_tcp(l4, 100, 3) :
		      protos[i] == PKT_PROTO_UDP ? t_udp(l4, 100, 3) :
		      t_icmp(l4, PKT_ICMP4_ECHO_REPLY, 0, 32, 3);
		t_ip4(&p, &s, l4, len);
		assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
		check_ip6(&o, PLAT_REM6, CLIENT6, protos[i] == PKT_PROTO_ICMP ?
			  PKT_PROTO_ICMP6 : protos[i]);
		if (protos[i] == PKT_PROTO_ICMP) {
			assert_int_equal(o.l3[40], PKT_ICMP6_ECHO_REPLY);
			assert_int_equal(unit_rd16(o.l3 + 44), 443);
			t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_ICMP6,
					  len);
		} else {
			assert_int_equal(unit_rd16(o.l3 + 40), 443);
			assert_int_equal(unit_rd16(o.l3 + 42), 40000);
			t_assert_l4_csum6(o.l3, o.l3 + 40, protos[i], len);
		}
	}
}

/* RFC 7915 4.5 amend: the sum covers the new port. */
static void
test_nat_out2in_udp_checksum_zero_is_summed_with_new_ports(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint8_t l4[100];
	uint32_t len;

	(void)state;
	t_cfg_clat(&c);
	c.amend_udp_csum0 = 1;
	nat_out2in(&n, PLAT_REM6);
	x = ctx_with(&n);
	s.src = REMOTE4;
	s.dst = POOL4;
	s.udp_csum0 = 1;
	t_init(&p);
	len = t_udp(l4, 40, 4);
	t_ip4(&p, &s, l4, len);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	assert_int_equal(unit_rd16(o.l3 + 42), 40000);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, len);
}

/* A fragment after the first carries no ports: its bytes stay. */
static void
test_nat_out2in_later_fragment_keeps_payload(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_UDP);
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint8_t l4[64], orig[64];

	(void)state;
	t_cfg_clat(&c);
	nat_out2in(&n, PLAT_REM6);
	x = ctx_with(&n);
	s.src = REMOTE4;
	s.dst = POOL4;
	s.frag = 100;		/* offset 800 bytes */
	t_init(&p);
	memset(l4, 0x5a, sizeof(l4));
	t_ip4(&p, &s, l4, sizeof(l4));
	memcpy(orig, p.l3 + 20, sizeof(orig));
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	check_ip6(&o, PLAT_REM6, CLIENT6, PKT_PROTO_FRAGMENT);
	assert_memory_equal(o.l3 + 48, orig, sizeof(orig));
}

/*
 * An ICMPv6 error from the client about a packet it got from the remote
 * (RFC 6146 3.5.4): the quoted packet becomes REMOTE4:443 -> POOL4:9001.
 */
static void
test_nat_in2out_icmp_error_quotes_the_session(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_ICMP6), is = t_ip6_default(
		PKT_PROTO_UDP);
	uint8_t l4[600], inner[300], il4[200];
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p, q;
	uint32_t ilen, len;
	const uint8_t *ip4in;

	(void)state;
	t_cfg_clat(&c);
	nat_in2out(&n);
	x = ctx_with(&n);
	/* the packet the client received: remote :443 -> client :40000 */
	is.src = PLAT_REM6;
	is.dst = CLIENT6;
	t_init(&q);
	ilen = t_udp(il4, 50, 8);
	unit_wr16(il4, 443);
	unit_wr16(il4 + 2, 40000);
	t_ip6(&q, &is, il4, ilen);
	memcpy(inner, q.l3, q.len);
	/* port unreachable from the client */
	l4[0] = PKT_ICMP6_UNREACH;
	l4[1] = 4;
	memset(l4 + 2, 0, 6);
	memcpy(l4 + 8, inner, q.len);
	len = 8 + q.len;
	s.src = CLIENT6;
	s.dst = PLAT_REM6;
	t_init(&p);
	t_ip6(&p, &s, l4, len);
	assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
	check_ip4(&o, POOL4, REMOTE4, PKT_PROTO_ICMP);
	assert_int_equal(o.l3[20], PKT_ICMP4_UNREACH);
	assert_int_equal(o.l3[21], PKT_ICMP4_UNREACH_PORT);
	t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_ICMP, o.len - 20);
	ip4in = o.l3 + 28;
	check_ip4(&(struct xlat_out){ .l3 = (uint8_t *)ip4in }, REMOTE4, POOL4,
		  PKT_PROTO_UDP);
	assert_int_equal(unit_rd16(ip4in + 20), 443);
	assert_int_equal(unit_rd16(ip4in + 22), 9001);
	t_assert_l4_csum4(ip4in, ip4in + 20, PKT_PROTO_UDP, ilen);
}

/*
 * An ICMPv4 error from a router on the IPv4 side about what the client
 * sent (POOL4:9001 -> REMOTE4:443): the quoted packet becomes the
 * client's own [CLIENT6]:40000 -> [PLAT_REM6]:443.
 */
static void
test_nat_out2in_icmp_error_quotes_the_client_packet(void **state)
{
	struct t_ip4 s = t_ip4_default(PKT_PROTO_ICMP), is = t_ip4_default(
		PKT_PROTO_TCP);
	uint8_t l4[600], il4[200];
	struct xlat_cfg c;
	struct xlat_nat n;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p, q;
	uint32_t ilen, len;
	const uint8_t *ip6in;

	(void)state;
	t_cfg_clat(&c);
	nat_out2in(&n, PLAT_ROUTER6);
	x = ctx_with(&n);
	is.src = POOL4;
	is.dst = REMOTE4;
	t_init(&q);
	ilen = t_tcp(il4, 20, 2);
	unit_wr16(il4, 9001);
	unit_wr16(il4 + 2, 443);
	t_ip4(&q, &is, il4, ilen);
	/* time exceeded in transit */
	l4[0] = PKT_ICMP4_TIME_EXCEEDED;
	l4[1] = 0;
	memset(l4 + 2, 0, 6);
	memcpy(l4 + 8, q.l3, q.len);
	len = 8 + q.len;
	s.src = ROUTER4;
	s.dst = POOL4;
	t_init(&p);
	t_ip4(&p, &s, l4, len);
	assert_int_equal(t_run46(&c, &x, &p, &o), PKT_DROP_NONE);
	check_ip6(&o, PLAT_ROUTER6, CLIENT6, PKT_PROTO_ICMP6);
	assert_int_equal(o.l3[40], PKT_ICMP6_TIME_EXCEEDED);
	t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_ICMP6, o.len - 40);
	ip6in = o.l3 + 48;
	check_ip6(&(struct xlat_out){ .l3 = (uint8_t *)ip6in }, CLIENT6,
		  PLAT_REM6, PKT_PROTO_TCP);
	assert_int_equal(unit_rd16(ip6in + 40), 40000);
	assert_int_equal(unit_rd16(ip6in + 42), 443);
	t_assert_l4_csum6(ip6in, ip6in + 40, PKT_PROTO_TCP, ilen);
}

/* Without a session the same packets go the stateless way. */
static void
test_nat_null_is_stateless(void **state)
{
	struct t_ip6 s = t_ip6_default(PKT_PROTO_UDP);
	struct xlat_cfg c;
	struct xlat_ctx x;
	struct xlat_out o;
	struct tpkt p;
	uint8_t l4[100];
	uint32_t len;

	(void)state;
	t_cfg_clat(&c);
	t_ctx(&x);
	assert_null(x.nat);
	t_init(&p);
	len = t_udp(l4, 20, 1);
	t_ip6(&p, &s, l4, len);
	assert_int_equal(t_run64(&c, &x, &p, &o), PKT_DROP_NONE);
	check_ip4(&o, T_REMOTE4, T_HOST4, PKT_PROTO_UDP);
	assert_int_equal(unit_rd16(o.l3 + 20), 5353);
}

/*
 * A port rewrite can make a UDP checksum come out as 0x0000, which in
 * UDP means "no checksum" (RFC 768): it must be sent as 0xffff, or the
 * next step takes it for a missing checksum (in2out: dropped as
 * xlat_udp_csum0). Every value of a 2-byte payload, so that each
 * direction meets the case.
 */
static void
test_nat_udp_checksum_never_becomes_zero(void **state)
{
	struct xlat_cfg c;
	struct xlat_nat n6, n4;
	struct xlat_ctx x6, x4;
	uint32_t v;

	(void)state;
	t_cfg_clat(&c);
	nat_in2out(&n6);
	x6 = ctx_with(&n6);
	nat_out2in(&n4, PLAT_REM6);
	x4 = ctx_with(&n4);
	for (v = 0; v < 65536; v++) {
		struct t_ip6 s6 = t_ip6_default(PKT_PROTO_UDP);
		struct t_ip4 s4 = t_ip4_default(PKT_PROTO_UDP);
		uint8_t l4[PKT_UDP_HLEN + 2];
		struct xlat_out o;
		struct tpkt p;
		uint32_t len;

		len = t_udp(l4, 2, 1);
		unit_wr16(l4 + PKT_UDP_HLEN, (uint16_t)v);
		s6.src = CLIENT6;
		s6.dst = PLAT_REM6;
		t_init(&p);
		t_ip6(&p, &s6, l4, len);
		assert_int_equal(t_run64(&c, &x6, &p, &o), PKT_DROP_NONE);
		t_assert_l4_csum4(o.l3, o.l3 + 20, PKT_PROTO_UDP, len);
		assert_int_not_equal(unit_rd16(o.l3 + 26), 0);

		len = t_udp(l4, 2, 1);
		unit_wr16(l4 + PKT_UDP_HLEN, (uint16_t)v);
		s4.src = REMOTE4;
		s4.dst = POOL4;
		t_init(&p);
		t_ip4(&p, &s4, l4, len);
		assert_int_equal(t_run46(&c, &x4, &p, &o), PKT_DROP_NONE);
		t_assert_l4_csum6(o.l3, o.l3 + 40, PKT_PROTO_UDP, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nat_in2out_tcp_and_udp_get_session_address_and_ports),
		cmocka_unit_test(test_nat_in2out_echo_gets_the_session_identifier),
		cmocka_unit_test(test_nat_out2in_tcp_udp_and_echo_reply),
		cmocka_unit_test(test_nat_out2in_udp_checksum_zero_is_summed_with_new_ports),
		cmocka_unit_test(test_nat_out2in_later_fragment_keeps_payload),
		cmocka_unit_test(test_nat_in2out_icmp_error_quotes_the_session),
		cmocka_unit_test(test_nat_out2in_icmp_error_quotes_the_client_packet),
		cmocka_unit_test(test_nat_null_is_stateless),
		cmocka_unit_test(test_nat_udp_checksum_never_becomes_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
