/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random firewall rulesets and packet keys for the rte_acl test and its
 * benchmark, from a fixed seed so every run is the same. Rules and keys
 * draw from the same small pools of prefixes, host suffixes, ports and
 * ICMPv6 types, so most keys match something and first-match order
 * matters; rules mix prefixes, the seeds' 64-bit suffix masks, exact
 * hosts, masks with gaps, multiport lists, inverted matches, states,
 * interfaces and every target (LOG included).
 */
#ifndef FW_GEN_H
#define FW_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"

#include "unit.h"

/* 0..n-1 */
static inline uint32_t
gen_below(uint32_t *s, uint32_t n)
{
	return (uint32_t)(((uint64_t)unit_rand(s) * n) >> 32);
}

static const uint8_t gen_prefixes[4][8] = {
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x0a },
	{ 0xfd, 0xdd, 0x13, 0x37, 0x13, 0x37, 0x12, 0x34 },
	{ 0x2a, 0x00, 0x14, 0x50, 0x80, 0x06, 0x00, 0x00 },
};

static const uint16_t gen_ports[] = {
	22, 53, 80, 123, 443, 1000, 1500, 2000, 5353, 8080, 51820, 0, 65535,
};

static const uint8_t gen_icmp_types[] = { 1, 2, 3, 4, 128, 129, 135, 136 };

static inline void
gen_addr(uint32_t *s, uint8_t *a)
{
	uint32_t suffix = gen_below(s, 16);

	memcpy(a, gen_prefixes[gen_below(s, 4)], 8);
	/* Stable suffixes 0x1234:5678:abcd:ef0N, N from the pool. */
	a[8] = 0x12; a[9] = 0x34; a[10] = 0x56; a[11] = 0x78;
	a[12] = 0xab; a[13] = 0xcd; a[14] = 0xef; a[15] = (uint8_t)suffix;
	if (gen_below(s, 8) == 0)
		a[15] ^= (uint8_t)unit_rand(s);	/* off the pool now and then */
}

static inline void
gen_addr_match(uint32_t *s, struct fw_addr_match *m, int gaps)
{
	uint8_t a[16], mask[16];
	uint32_t kind = gen_below(s, 20), i, len;

	memset(m, 0, sizeof(*m));
	if (kind < 8)
		return;					/* any */
	gen_addr(s, a);
	if (kind < 11) {				/* the /64 */
		memset(mask, 0, 16);
		memset(mask, 0xff, 8);
	} else if (kind < 15) {				/* suffix */
		memset(mask, 0, 16);
		memset(mask + 8, 0xff, 8);
	} else if (kind < 17) {				/* host */
		memset(mask, 0xff, 16);
	} else if (kind < 19 || !gaps) {		/* prefix /0-/128 */
		len = gen_below(s, 129);
		for (i = 0; i < 16; i++)
			mask[i] = len >= 8 * (i + 1) ? 0xff : len > 8 * i ?
				  (uint8_t)(0xff00u >> (len - 8 * i)) : 0;
	} else {					/* gaps */
		for (i = 0; i < 16; i++)
			mask[i] = (uint8_t)unit_rand(s);
	}
	for (i = 0; i < 16; i++) {
		m->addr[i] = a[i] & mask[i];
		m->mask[i] = mask[i];
	}
	/* "! -s 2001:db8::/32": inverted prefixes of up to 64 bits. */
	m->inv = mask[8] == 0 && mask[0] != 0 && gen_below(s, 6) == 0;
}

static inline void
gen_ports_match(uint32_t *s, struct fw_port_match *m)
{
	uint32_t kind = gen_below(s, 10), i, weight = 0;

	memset(m, 0, sizeof(*m));
	if (kind < 5)
		return;
	if (kind < 9) {
		uint16_t p = gen_ports[gen_below(s, sizeof(gen_ports) / 2)];

		m->n = 1;
		m->r[0].lo = p;
		m->r[0].hi = gen_below(s, 4) == 0 && p < 65000 ?
			     (uint16_t)(p + gen_below(s, 500)) : p;
	} else {
		uint32_t n = 1 + gen_below(s, 6);

		m->multi = 1;
		for (i = 0; i < n && weight < FW_PORTS_MAX - 1; i++) {
			uint16_t p = gen_ports[gen_below(s, sizeof(gen_ports) /
							 2)];

			m->r[m->n].lo = p;
			m->r[m->n].hi = gen_below(s, 3) == 0 && p < 65000 ?
					(uint16_t)(p + gen_below(s, 100)) : p;
			weight += m->r[m->n].lo == m->r[m->n].hi ? 1 : 2;
			m->n++;
		}
	}
	m->inv = gen_below(s, 10) == 0;
}

/* A host: by its stable suffix (seed 002), exactly, or by its /64. */
static inline void
gen_host(uint32_t *s, struct fw_addr_match *m)
{
	uint8_t a[16];
	uint32_t kind = gen_below(s, 4), i;

	gen_addr(s, a);
	memset(m, 0, sizeof(*m));
	for (i = 0; i < 16; i++) {
		m->mask[i] = kind < 2 ? (i >= 8 ? 0xff : 0) :
			     kind == 2 ? 0xff : (i < 8 ? 0xff : 0);
		m->addr[i] = a[i] & m->mask[i];
	}
}

/* A network: a prefix of 16 to 64 bits of a pool address. */
static inline void
gen_net(uint32_t *s, struct fw_addr_match *m)
{
	uint8_t a[16];
	uint32_t len = 16 + gen_below(s, 49), i;

	gen_addr(s, a);
	memset(m, 0, sizeof(*m));
	for (i = 0; i < 16; i++) {
		m->mask[i] = len >= 8 * (i + 1) ? 0xff : len > 8 * i ?
			     (uint8_t)(0xff00u >> (len - 8 * i)) : 0;
		m->addr[i] = a[i] & m->mask[i];
	}
}

static inline void
gen_l4(uint32_t *s, struct fw_rule *r)
{
	r->proto_set = 1;
	r->proto = gen_below(s, 3) ? 6 : 17;
	gen_ports_match(s, &r->dport);
	if (r->dport.n == 0 || gen_below(s, 6) == 0) {
		memset(&r->dport, 0, sizeof(r->dport));
		r->dport.n = 1;
		r->dport.r[0].lo = gen_ports[gen_below(s,
						sizeof(gen_ports) / 2)];
		r->dport.r[0].hi = r->dport.r[0].lo;
	}
	r->dport.inv = 0;
}

static inline void
gen_iface(uint32_t *s, enum fw_chain c, struct fw_rule *r, int inv)
{
	if (c != FW_CHAIN_OUTPUT && gen_below(s, 2) == 0) {
		snprintf(r->in.name, sizeof(r->in.name), "port%u",
			 gen_below(s, 4));
		r->in.inv = inv && gen_below(s, 3) == 0;
	} else if (c != FW_CHAIN_INPUT) {
		snprintf(r->out.name, sizeof(r->out.name), "port%u",
			 gen_below(s, 4));
		r->out.inv = inv && gen_below(s, 3) == 0;
	}
}

static inline void
gen_state(uint32_t *s, struct fw_rule *r)
{
	static const uint8_t sets[] = {
		FW_STATE_NEW, FW_STATE_NEW,
		FW_STATE_ESTABLISHED | FW_STATE_RELATED, FW_STATE_INVALID,
		FW_STATE_NEW | FW_STATE_UNTRACKED,
	};

	r->state = sets[gen_below(s, sizeof(sets))];
	r->state_kind = FW_STATE_KIND_CONNTRACK;
}

/* An ICMPv6 type from the pool, any code or one. */
static inline void
gen_icmp6(uint32_t *s, struct fw_rule *r)
{
	r->icmp6.set = 1;
	r->icmp6.type = gen_icmp_types[gen_below(s, sizeof(gen_icmp_types))];
	r->icmp6.code_lo = 0;
	r->icmp6.code_hi = 255;
	if (gen_below(s, 3) == 0) {
		r->icmp6.code_lo = (uint8_t)gen_below(s, 5);
		r->icmp6.code_hi = r->icmp6.code_lo;
	}
}

/* A host and its service: the seed's rule, by suffix, host or /64. */
static inline void
gen_rule_host(uint32_t *s, enum fw_chain c, struct fw_rule *r)
{
	gen_host(s, &r->dst);
	gen_l4(s, r);
	if (gen_below(s, 3) == 0)
		gen_state(s, r);
	if (gen_below(s, 4) == 0)
		gen_iface(s, c, r, 0);
}

/*
 * One random valid rule of chain 'c', of one of the shapes real rulesets
 * have (per-host allows by suffix, network blocks, ICMPv6 type lists,
 * state rules, interface rules, LOG rules, inverted matches), with random
 * values; 'gaps' picks masks with random gaps instead (costly for rte_acl:
 * a few per ruleset).
 */
static inline void
gen_rule(uint32_t *s, enum fw_chain c, int gaps, struct fw_rule *r)
{
	static const enum fw_target verdicts[] = {
		FW_TARGET_ACCEPT, FW_TARGET_ACCEPT, FW_TARGET_DROP,
		FW_TARGET_REJECT, FW_TARGET_RETURN,
	};
	uint32_t shape = gen_below(s, 100);

	fw_rule_init(r);
	r->chain = c;
	r->target = verdicts[gen_below(s, sizeof(verdicts) /
					   sizeof(verdicts[0]))];
	if (gaps) {
		gen_addr_match(s, &r->dst, 1);
		r->dst.inv = 0;
		gen_l4(s, r);
		return;
	}
	/* Broad rules are rare, so first matches spread over the chain. */
	if (shape < 66) {			/* a host and its service */
		gen_rule_host(s, c, r);
	} else if (shape < 76) {		/* a network and a service */
		gen_net(s, gen_below(s, 2) ? &r->src : &r->dst);
		gen_l4(s, r);
	} else if (shape < 81) {		/* an ICMPv6 type */
		r->proto_set = 1;
		r->proto = 58;
		gen_icmp6(s, r);
		gen_host(s, &r->dst);
	} else if (shape < 82) {		/* a state, maybe a port */
		gen_state(s, r);
		gen_iface(s, c, r, 0);
	} else if (shape < 83) {		/* an interface and a net */
		gen_iface(s, c, r, 1);
		gen_net(s, &r->src);
	} else if (shape < 93) {		/* source and destination */
		gen_net(s, &r->src);
		gen_host(s, &r->dst);
		gen_l4(s, r);
	} else if (shape < 97) {		/* LOG before the verdict */
		gen_host(s, &r->dst);
		if (gen_below(s, 2))
			gen_l4(s, r);
		r->target = FW_TARGET_LOG;
	} else {				/* inverted matches */
		switch (gen_below(s, 4)) {
		case 0:
			gen_net(s, &r->src);
			r->src.inv = 1;
			gen_l4(s, r);
			break;
		case 1:
			r->proto_set = 1;
			r->proto = gen_below(s, 2) ? 6 : 58;
			r->proto_inv = 1;
			gen_host(s, &r->dst);
			break;
		case 2:
			gen_host(s, &r->dst);
			gen_l4(s, r);
			r->dport.inv = 1;
			break;
		default:
			gen_l4(s, r);
			gen_ports_match(s, &r->sport);
			r->sport.inv = 1;
			break;
		}
	}
}

/*
 * A rule with every field drawn independently: inversions anywhere,
 * multiport lists, ICMPv6 codes, states, interfaces. Harder for rte_acl
 * than real rulesets (the cross product of wild and exact fields grows
 * fast), so only for small sets: it is the correctness stress.
 */
static inline void
gen_rule_wild(uint32_t *s, enum fw_chain c, struct fw_rule *r)
{
	static const enum fw_target targets[] = {
		FW_TARGET_ACCEPT, FW_TARGET_DROP, FW_TARGET_REJECT,
		FW_TARGET_LOG, FW_TARGET_RETURN,
	};
	uint32_t p = gen_below(s, 10);

	fw_rule_init(r);
	r->chain = c;
	gen_addr_match(s, &r->src, gen_below(s, 8) == 0);
	gen_addr_match(s, &r->dst, gen_below(s, 8) == 0);
	if (r->src.inv && r->dst.inv)
		r->dst.inv = 0;
	if (p < 3) {
		r->proto_set = 1;
		r->proto = 6;
	} else if (p < 5) {
		r->proto_set = 1;
		r->proto = 17;
	} else if (p < 7) {
		r->proto_set = 1;
		r->proto = 58;
	} else if (p < 8) {
		r->proto_set = 1;
		r->proto = 50;
		r->proto_inv = gen_below(s, 2);
	}
	if (r->proto_set && !r->proto_inv && r->proto != 58 &&
	    r->proto != 50) {
		gen_ports_match(s, &r->dport);
		if (gen_below(s, 4) == 0)
			gen_ports_match(s, &r->sport);
	}
	if (r->proto_set && !r->proto_inv && r->proto == 58 &&
	    gen_below(s, 3) != 0) {
		gen_icmp6(s, r);
		r->icmp6.inv = gen_below(s, 8) == 0;
	}
	if (gen_below(s, 6) == 0)
		gen_iface(s, c, r, 1);
	if (gen_below(s, 4) == 0) {
		r->state = (uint8_t)(1 + gen_below(s, FW_STATE_ALL));
		r->state_kind = FW_STATE_KIND_CONNTRACK;
	}
	r->target = targets[gen_below(s, sizeof(targets) / sizeof(targets[0]))];
}

/* "portN" -> N; anything else is unknown. */
static inline int
gen_resolve(void *arg, const char *name, uint16_t *port)
{
	(void)arg;
	if (strncmp(name, "port", 4) != 0 || name[4] < '0' || name[4] > '9' ||
	    name[5] != '\0')
		return -1;
	*port = (uint16_t)(name[4] - '0');
	return 0;
}

/*
 * A ruleset with 'n' random rules in chain 'c', interfaces resolved: the
 * first 'n_gaps' with gapped masks, then real shapes (gen_rule()); only
 * gen_rule_wild() rules when 'n_gaps' is GEN_WILD, only host rules
 * (gen_rule_host()) when it is GEN_HOSTS. NULL on failure.
 */
#define GEN_WILD	UINT32_MAX
#define GEN_HOSTS	(UINT32_MAX - 1)

static inline struct fw_ruleset *
gen_ruleset(uint32_t *s, enum fw_chain c, uint32_t n, uint32_t n_gaps)
{
	struct fw_ruleset *rs = fw_ruleset_create();
	struct fw_err err;
	struct fw_rule r;
	uint32_t i;

	if (rs == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (n_gaps == GEN_WILD) {
			gen_rule_wild(s, c, &r);
		} else if (n_gaps == GEN_HOSTS) {
			fw_rule_init(&r);
			r.chain = c;
			r.target = gen_below(s, 2) ? FW_TARGET_ACCEPT :
				   FW_TARGET_DROP;
			gen_rule_host(s, c, &r);
		} else {
			gen_rule(s, c, i < n_gaps, &r);
		}
		if (fw_ruleset_append(rs, &r, &err) != 0) {
			fprintf(stderr, "gen_ruleset: %s\n", err.msg);
			fw_ruleset_free(rs);
			return NULL;
		}
	}
	if (fw_ruleset_resolve(rs, gen_resolve, NULL, &err) != 0) {
		fprintf(stderr, "gen_ruleset: %s\n", err.msg);
		fw_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

/* A random key, mostly from the pools the rules use. */
static inline void
gen_key(uint32_t *s, struct fw_key *k)
{
	static const uint8_t protos[] = { 6, 6, 17, 17, 58, 50, 47 };
	uint8_t src[16], dst[16], proto;
	uint16_t sport, dport;

	gen_addr(s, src);
	gen_addr(s, dst);
	if (gen_below(s, 16) == 0)
		src[gen_below(s, 16)] ^= (uint8_t)unit_rand(s);
	proto = protos[gen_below(s, sizeof(protos))];
	if (proto == 58) {
		sport = fw_icmp6_port(gen_icmp_types[gen_below(s,
					sizeof(gen_icmp_types))],
				      (uint8_t)gen_below(s, 6));
		dport = 0;
	} else if (proto == 6 || proto == 17) {
		sport = gen_below(s, 2) ? gen_ports[gen_below(s,
				sizeof(gen_ports) / 2)] :
			(uint16_t)unit_rand(s);
		dport = gen_below(s, 4) ? (uint16_t)(gen_ports[gen_below(s,
				sizeof(gen_ports) / 2)] + gen_below(s, 3)) :
			(uint16_t)unit_rand(s);
	} else {
		sport = 0;
		dport = 0;
	}
	fw_key_fill(k, src, dst, proto, sport, dport,
		    (uint16_t)gen_below(s, 5), (uint16_t)gen_below(s, 5),
		    1u << gen_below(s, 5));
}

#endif /* FW_GEN_H */
