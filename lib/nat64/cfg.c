/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NAT64 configuration: defaults (RFC 6146 section 4 lifetimes), the
 * one validation every consumer runs before building a layout or a shard,
 * and the names of the verdicts. Messages name the field and the value in
 * the words of the config's 'plat' section, without the "plat." prefix
 * that lib/conf adds.
 */
#include "nat64.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nat64_priv.h"

#define NAT64_VERDICT_NAME(n, k, d) k,
#define NAT64_VERDICT_DESC(n, k, d) d,
static const char *const verdict_names[] = {
	NAT64_VERDICT_LIST(NAT64_VERDICT_NAME)
};
static const char *const verdict_descs[] = {
	NAT64_VERDICT_LIST(NAT64_VERDICT_DESC)
};

const char *
nat64_verdict_name(unsigned int v)
{
	return v < NAT64_VERDICT_MAX ? verdict_names[v] : "?";
}

const char *
nat64_verdict_desc(unsigned int v)
{
	return v < NAT64_VERDICT_MAX ? verdict_descs[v] : "?";
}

void
nat64_cfg_init(struct nat64_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->udp_timeout = 300;
	c->tcp_est_timeout = 7440;
	c->tcp_trans_timeout = 240;
	c->tcp_syn_hold = 6;
	c->icmp_timeout = 60;
	c->max_sessions = 1u << 20;
	c->max_sessions_per_client = 2048;
	c->block_size = 64;
	c->max_held_syns = 256;
	c->event_ring = 4096;
}

int
nat64_err(char *err, size_t size, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && size > 0) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* A config error: the message, then -EINVAL. */
#define FAIL(err, size, ...) nat64_err(err, size, -EINVAL, __VA_ARGS__)

static void
fmt4(uint32_t a, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
}

static const char *
proto_name(uint8_t proto)
{
	switch (proto) {
	case PKT_PROTO_TCP:
		return "tcp";
	case PKT_PROTO_UDP:
		return "udp";
	case PKT_PROTO_ICMP:
		return "icmp";
	default:
		return "?";
	}
}

/* RFC 6146 section 4 (and RFC 5382 REQ-5, RFC 5508 REQ-1) minimums. */
static int
check_timeouts(const struct nat64_cfg *c, char *err, size_t size)
{
	static const struct {
		const char *name;
		size_t off;
		uint32_t min;
		uint32_t max;
	} t[] = {
		{ "udp", offsetof(struct nat64_cfg, udp_timeout), 120,
		  NAT64_MAX_TIMEOUT },
		{ "tcp_est", offsetof(struct nat64_cfg, tcp_est_timeout), 7440,
		  NAT64_MAX_TIMEOUT },
		{ "tcp_trans", offsetof(struct nat64_cfg, tcp_trans_timeout),
		  240, NAT64_MAX_TIMEOUT },
		{ "tcp_syn_hold", offsetof(struct nat64_cfg, tcp_syn_hold), 6,
		  600 },
		{ "icmp", offsetof(struct nat64_cfg, icmp_timeout), 60,
		  NAT64_MAX_TIMEOUT },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v;

		memcpy(&v, (const char *)c + t[i].off, sizeof(v));
		if (v < t[i].min || v > t[i].max)
			return FAIL(err, size,
				    "timeouts.%s: %u: must be between %u and %u seconds (RFC 6146 section 4)",
				    t[i].name, v, t[i].min, t[i].max);
	}
	return 0;
}

static int
check_pool(const struct nat64_cfg *c, char *err, size_t size)
{
	uint64_t addrs = 0, blocks = 0;
	unsigned int i, j;
	char a[16];

	if (c->n_pool4 == 0 || c->n_pool4 > NAT64_MAX_POOL4)
		return FAIL(err, size, "pool4: %u entries: need 1 to %u",
			    c->n_pool4, NAT64_MAX_POOL4);
	for (i = 0; i < c->n_pool4; i++) {
		const struct nat64_pool4 *p = &c->pool4[i];
		uint32_t n_addr, range;

		fmt4(p->addr, a, sizeof(a));
		if (p->len < 16 || p->len > 32)
			return FAIL(err, size,
				    "pool4[%u].prefix: %s/%u: length must be 16 to 32",
				    i, a, p->len);
		if ((p->addr & ~pkt_mask4(p->len)) != 0)
			return FAIL(err, size,
				    "pool4[%u].prefix: %s/%u: host bits set",
				    i, a, p->len);
		if (p->protos == 0 || (p->protos & ~NAT64_PROTO_ALL) != 0)
			return FAIL(err, size,
				    "pool4[%u].protocols: 0x%x: need tcp, udp and/or icmp",
				    i, p->protos);
		if (p->port_lo == 0 || p->port_lo > p->port_hi)
			return FAIL(err, size,
				    "pool4[%u].ports: %u-%u: %s", i,
				    p->port_lo, p->port_hi,
				    p->port_lo == 0 ? "port 0 is not a port"
						    : "range is empty");
		n_addr = 1u << (32 - p->len);
		range = (uint32_t)p->port_hi - p->port_lo + 1;
		addrs += n_addr;
		blocks += (uint64_t)n_addr *
			  ((range + c->block_size - 1) / c->block_size) *
			  (uint64_t)__builtin_popcount(p->protos);
		for (j = 0; j < i; j++) {
			const struct nat64_pool4 *q = &c->pool4[j];
			uint32_t m = pkt_mask4(p->len < q->len ? p->len
							       : q->len);

			if ((p->protos & q->protos) != 0 &&
			    ((p->addr ^ q->addr) & m) == 0 &&
			    p->port_lo <= q->port_hi &&
			    q->port_lo <= p->port_hi)
				return FAIL(err, size,
					    "pool4[%u]: %s/%u ports %u-%u overlaps pool4[%u] for the same protocol",
					    i, a, p->len, p->port_lo,
					    p->port_hi, j);
		}
	}
	if (addrs > NAT64_MAX_POOL_ADDRS)
		return FAIL(err, size,
			    "pool4: %llu addresses: at most %u",
			    (unsigned long long)addrs, NAT64_MAX_POOL_ADDRS);
	if (blocks > (1u << 28))
		return FAIL(err, size,
			    "pool4: %llu blocks of %u ports: at most %u; use a larger block_size",
			    (unsigned long long)blocks, c->block_size,
			    1u << 28);
	return 0;
}

/* The pool4 entry serving addr4:port4 for 'proto', or -1. */
static int
pool_find(const struct nat64_cfg *c, uint8_t proto, uint32_t addr4,
	  uint16_t port4)
{
	int pi = nat64_pi(proto);
	unsigned int i;

	for (i = 0; i < c->n_pool4; i++) {
		const struct nat64_pool4 *p = &c->pool4[i];

		if (pi >= 0 && (p->protos & (1u << pi)) != 0 &&
		    ((addr4 ^ p->addr) & pkt_mask4(p->len)) == 0 &&
		    port4 >= p->port_lo && port4 <= p->port_hi)
			return (int)i;
	}
	return -1;
}

static int
check_static(const struct nat64_cfg *c, char *err, size_t size)
{
	unsigned int i, j;
	char a[16];

	if (c->n_static > NAT64_MAX_STATIC)
		return FAIL(err, size, "static_bib: %u entries: at most %u",
			    c->n_static, NAT64_MAX_STATIC);
	for (i = 0; i < c->n_static; i++) {
		const struct nat64_static *s = &c->static_bib[i];

		fmt4(s->addr4, a, sizeof(a));
		if (nat64_pi(s->proto) < 0)
			return FAIL(err, size,
				    "static_bib[%u].protocol: %u: need tcp, udp or icmp",
				    i, s->proto);
		if (pool_find(c, s->proto, s->addr4, s->port4) < 0)
			return FAIL(err, size,
				    "static_bib[%u]: %s:%u is not in pool4 for %s",
				    i, a, s->port4, proto_name(s->proto));
		if (s->addr6[0] == 0xff)
			return FAIL(err, size,
				    "static_bib[%u].ipv6: multicast address",
				    i);
		for (j = 0; j < i; j++) {
			const struct nat64_static *t = &c->static_bib[j];
			int same6 = memcmp(s->addr6, t->addr6, 16) == 0;

			if (same6 && s->addr4 != t->addr4)
				return FAIL(err, size,
					    "static_bib[%u].ipv4: %s: static_bib[%u] maps the same client to another address (paired pooling, RFC 6888 REQ-2)",
					    i, a, j);
			if (s->proto != t->proto)
				continue;
			if (same6 && s->port6 == t->port6)
				return FAIL(err, size,
					    "static_bib[%u]: same ipv6, port6 and protocol as static_bib[%u]",
					    i, j);
			if (s->addr4 == t->addr4 && s->port4 == t->port4)
				return FAIL(err, size,
					    "static_bib[%u]: %s:%u already used by static_bib[%u]",
					    i, a, s->port4, j);
		}
	}
	return 0;
}

int
nat64_cfg_validate(const struct nat64_cfg *c, char *err, size_t err_size)
{
	int rc;

	if (c->block_size == 0 || c->block_size > NAT64_MAX_BLOCK_SIZE)
		return FAIL(err, err_size,
			    "block_size: %u: must be between 1 and %u",
			    c->block_size, NAT64_MAX_BLOCK_SIZE);
	rc = check_pool(c, err, err_size);
	if (rc == 0)
		rc = check_timeouts(c, err, err_size);
	if (rc == 0)
		rc = check_static(c, err, err_size);
	if (rc != 0)
		return rc;
	if (c->max_sessions == 0 || c->max_sessions > NAT64_SESSIONS_LIMIT)
		return FAIL(err, err_size,
			    "max_sessions: %u: must be between 1 and %u",
			    c->max_sessions, NAT64_SESSIONS_LIMIT);
	if (c->max_sessions_per_client == 0 ||
	    c->max_sessions_per_client > c->max_sessions)
		return FAIL(err, err_size,
			    "max_sessions_per_client: %u: must be between 1 and max_sessions (%u)",
			    c->max_sessions_per_client, c->max_sessions);
	if (c->max_blocks_per_client > 65535)
		return FAIL(err, err_size,
			    "max_blocks_per_client: %u: at most 65535",
			    c->max_blocks_per_client);
	if (c->max_held_syns > 65536)
		return FAIL(err, err_size,
			    "max_held_syns: %u: at most 65536",
			    c->max_held_syns);
	if (c->event_ring == 0 || c->event_ring > (1u << 20))
		return FAIL(err, err_size,
			    "event_ring: %u: must be between 1 and %u",
			    c->event_ring, 1u << 20);
	if (c->address_dependent_filtering > 1)
		return FAIL(err, err_size,
			    "address_dependent_filtering: %u: must be 0 or 1",
			    c->address_dependent_filtering);
	return 0;
}
