/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the lib/nat64 unit tests: the configuration of seed 003 (a
 * PLAT on 10.23.0.9 with ports 9000-10000, tcp/udp/icmp), builders for
 * tuples, and a check that runs nat64_shard_check() and fails the test
 * with its message.
 */
#ifndef NAT64_TEST_H
#define NAT64_TEST_H

#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "nat64.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* Seed 003: 10.23.0.9/32, ports 9000-10000, every protocol. */
static inline void
nt_cfg(struct nat64_cfg *c)
{
	nat64_cfg_init(c);
	c->n_pool4 = 1;
	c->pool4[0].addr = IP4(10, 23, 0, 9);
	c->pool4[0].len = 32;
	c->pool4[0].protos = NAT64_PROTO_ALL;
	c->pool4[0].port_lo = 9000;
	c->pool4[0].port_hi = 10000;
	c->max_sessions = 4096;
	c->max_blocks_per_client = 4;
	c->seed = 42;
}

/* Client n: a CLAT address fddd:1337:1337:1234:5678:9abc::192.168.x.y. */
static inline void
nt_client(uint8_t *a6, uint32_t n)
{
	static const uint8_t pfx[12] = { 0xfd, 0xdd, 0x13, 0x37, 0x13, 0x37,
					 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };

	memcpy(a6, pfx, 12);
	a6[12] = 192;
	a6[13] = 168;
	a6[14] = (uint8_t)(n >> 8);
	a6[15] = (uint8_t)n;
}

/* One more static BIB entry in 'c': client n, port6 <-> 10.23.0.9:port4. */
static inline void
nt_static(struct nat64_cfg *c, uint32_t client, uint16_t port6,
	  uint16_t port4, uint8_t proto)
{
	struct nat64_static *s = &c->static_bib[c->n_static++];

	nt_client(s->addr6, client);
	s->addr4 = IP4(10, 23, 0, 9);
	s->port6 = port6;
	s->port4 = port4;
	s->proto = proto;
}

static inline struct nat64_tuple6
nt_t6(uint32_t client, uint16_t port6, uint32_t rem4, uint16_t rport,
      uint8_t proto)
{
	struct nat64_tuple6 t;

	memset(&t, 0, sizeof(t));
	nt_client(t.addr6, client);
	t.port6 = port6;
	t.rem4 = rem4;
	t.rport = rport;
	t.proto = proto;
	return t;
}

static inline struct nat64_tuple4
nt_t4(uint32_t addr4, uint16_t port4, uint32_t rem4, uint16_t rport,
      uint8_t proto)
{
	struct nat64_tuple4 t;

	memset(&t, 0, sizeof(t));
	t.addr4 = addr4;
	t.port4 = port4;
	t.rem4 = rem4;
	t.rport = rport;
	t.proto = proto;
	return t;
}

/* The reply direction of what in2out returned. */
static inline struct nat64_tuple4
nt_reply(const struct nat64_tuple4 *o)
{
	return nt_t4(o->addr4, o->port4, o->rem4, o->rport, o->proto);
}

static inline struct nat64_shard *
nt_shard(const struct nat64_cfg *c, unsigned int id, unsigned int n,
	 uint32_t cap)
{
	struct nat64_shard *sh = nat64_shard_create(c, id, n, cap);

	assert_non_null(sh);
	return sh;
}

#define nt_check(sh)							\
	do {								\
		char err_[NAT64_ERR_SIZE] = "";				\
		int rc_ = nat64_shard_check((sh), err_, sizeof(err_));	\
		if (rc_ != 0)						\
			fail_msg("invariant: %s", err_);		\
	} while (0)

/* One second in the caller's clock, and a start far from zero. */
#define SEC	1000ULL
#define T0	(1000000ULL * SEC)

#endif /* NAT64_TEST_H */
