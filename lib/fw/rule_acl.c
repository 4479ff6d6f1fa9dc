/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A chain of a ruleset compiled into an rte_acl context (DPDK glue: this
 * is the only file of lib/fw that sees DPDK).
 *
 * The key (struct fw_key) is laid out as rte_acl wants it: the first
 * field one byte (the protocol), every later field in a group of four
 * bytes read together ('input_index'), all in network byte order. The
 * trie tests the groups in this order, the destination first: most rules
 * name a destination (a host and its service), and testing the fields
 * most rules leave wild (interfaces, state) last keeps one trie for the
 * shapes of real rulesets (measured: 10 000 mixed rules in one trie, where
 * source first needed 20 times the build time and several tries):
 *
 *   field      type     size  input  key bytes
 *   proto      BITMASK   1     0      0
 *   dst[0..3]  BITMASK   4     1-4    20-35   one field per 32-bit word
 *   src[0..3]  BITMASK   4     5-8    4-19
 *   sport      RANGE     2     9      36-37   ICMPv6: type << 8 | code
 *   dport      RANGE     2     9      38-39
 *   in_port    RANGE     2     10     40-41
 *   out_port   RANGE     2     10     42-43
 *   state      BITMASK   4     11     44-47
 *
 * Addresses are four BITMASK words, not MASK (prefix) fields, so any mask
 * compiles: a prefix, the 64-bit suffix of the seeds, or gaps. ICMPv6 has
 * no ports, so its type and code ride in the sport field: a rule
 * "--icmpv6-type echo-request" is the range 0x8000-0x80ff there, and
 * "1/4" is 0x0104 exactly. The packet's state is one bit; a rule's state
 * set S becomes "state AND (ALL - S) == 0", one BITMASK test.
 *
 * rte_acl returns the highest priority among the matching rules, so rule
 * i of n gets priority n - i: the first match in chain order wins. Its
 * userdata is i + 1 (0 is "no match"). What one rte_acl rule cannot say
 * is expanded into several with the same priority and userdata: a
 * multiport list (one per range), an inverted port range (the ranges
 * around it), an inverted address or protocol ("not equal under mask" is
 * one rule per mask bit: the bits before it equal, that one different).
 * LOG rules do not end the chain: they go into a second category, and
 * fw_acl_classify_log() reports the first LOG rule ahead of the result.
 */
#include "fw.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "fw_priv.h"

/* At most this many rte_acl rules per fw rule, and per chain. */
#define EXPAND_MAX	4096
#define ACL_RULES_MAX	(1u << 21)
/*
 * rte_acl_build()'s 'max_size': with 0 (no limit) it splits its trie at
 * a small node count and runs out of its 8 tries on a few hundred mixed
 * rules; with a limit it starts from a large node count and halves it
 * only when the run-time tables would pass the limit.
 */
#define ACL_MAX_SIZE	((size_t)256 << 20)
#define BATCH		256
#define CLASSIFY_CHUNK	32

enum {
	F_PROTO, F_SRC0, F_SRC1, F_SRC2, F_SRC3, F_DST0, F_DST1, F_DST2,
	F_DST3, F_SPORT, F_DPORT, F_IN, F_OUT, F_STATE, N_FIELDS
};

RTE_ACL_RULE_DEF(acl_rule, N_FIELDS);

static_assert(offsetof(struct fw_key, proto) == 0, "first field: 1 byte");
static_assert(offsetof(struct fw_key, src) == 4, "key layout");
static_assert(offsetof(struct fw_key, dst) == 20, "key layout");
static_assert(offsetof(struct fw_key, sport) == 36, "key layout");
static_assert(offsetof(struct fw_key, in_port) == 40, "key layout");
static_assert(offsetof(struct fw_key, state) == 44, "key layout");
static_assert(sizeof(struct fw_key) == 48, "key layout");

#define DEF(t, s, f, i, o) { .type = RTE_ACL_FIELD_TYPE_##t, .size = (s), \
	.field_index = (f), .input_index = (i), .offset = (o) }

static const struct rte_acl_field_def field_defs[N_FIELDS] = {
	DEF(BITMASK, 1, F_PROTO, 0, offsetof(struct fw_key, proto)),
	DEF(BITMASK, 4, F_DST0, 1, offsetof(struct fw_key, dst) + 0),
	DEF(BITMASK, 4, F_DST1, 2, offsetof(struct fw_key, dst) + 4),
	DEF(BITMASK, 4, F_DST2, 3, offsetof(struct fw_key, dst) + 8),
	DEF(BITMASK, 4, F_DST3, 4, offsetof(struct fw_key, dst) + 12),
	DEF(BITMASK, 4, F_SRC0, 5, offsetof(struct fw_key, src) + 0),
	DEF(BITMASK, 4, F_SRC1, 6, offsetof(struct fw_key, src) + 4),
	DEF(BITMASK, 4, F_SRC2, 7, offsetof(struct fw_key, src) + 8),
	DEF(BITMASK, 4, F_SRC3, 8, offsetof(struct fw_key, src) + 12),
	DEF(RANGE, 2, F_SPORT, 9, offsetof(struct fw_key, sport)),
	DEF(RANGE, 2, F_DPORT, 9, offsetof(struct fw_key, dport)),
	DEF(RANGE, 2, F_IN, 10, offsetof(struct fw_key, in_port)),
	DEF(RANGE, 2, F_OUT, 10, offsetof(struct fw_key, out_port)),
	DEF(BITMASK, 4, F_STATE, 11, offsetof(struct fw_key, state)),
};

/*
 * A chain compiles into up to PARTS_MAX rte_acl contexts ("parts"), by
 * the first field group a rule constrains in trie order (see
 * fw_acl_build()); classify takes the smallest result over the parts,
 * which is the first match in chain order, since a rule's userdata is
 * its position and each part returns its own first match.
 */
enum { PART_DST, PART_DST_TAIL, PART_SRC, PART_L4, PART_REST, PARTS_MAX };

struct part {
	struct rte_acl_ctx *ctx;
	uint32_t categories;		/* 1, or RTE_ACL_RESULTS_MULTIPLIER
					 * when LOG rules use category 1 */
	uint32_t n_acl;			/* rte_acl rules in it */
};

struct fw_acl {
	uint32_t n_rules;		/* rules of the chain */
	uint32_t n_acl;			/* rte_acl rules after expansion */
	uint32_t n_parts;		/* 0: no rule can match */
	struct part part[PARTS_MAX];
};

/* ---- Expansion: what one rule becomes ---------------------------------- */

struct bits128 {
	uint8_t v[16];
	uint8_t m[16];
};

/* The pieces of each dimension; a rule is their cross product. */
struct pieces {
	uint32_t n_proto, n_src, n_dst, n_sport, n_dport, n_in, n_out;
	uint8_t proto_v[8], proto_m[8];
	struct bits128 src[128], dst[128];
	struct fw_port_range sport[FW_PORTS_MAX + 1];
	struct fw_port_range dport[FW_PORTS_MAX + 1];
	struct fw_port_range in[2], out[2];
	uint32_t state_mask;
};

/*
 * "x AND m != v" over 'nbytes' bytes as pieces "x AND m' == v'": for each
 * set bit of m, from the top, the bits of m above it equal and that bit
 * different. The pieces are disjoint; none when m is 0.
 */
static uint32_t
negate_bits(const uint8_t *v, const uint8_t *m, unsigned int nbytes,
	    uint8_t (*pv)[16], uint8_t (*pm)[16])
{
	uint8_t seen[16] = { 0 };
	uint32_t n = 0;
	unsigned int byte, bit, i;

	for (byte = 0; byte < nbytes; byte++) {
		for (bit = 0x80; bit != 0; bit >>= 1) {
			if ((m[byte] & bit) == 0)
				continue;
			memcpy(pm[n], seen, 16);
			pm[n][byte] |= (uint8_t)bit;
			for (i = 0; i < 16; i++)
				pv[n][i] = v[i] & seen[i];
			pv[n][byte] |= (uint8_t)(~v[byte] & bit);
			seen[byte] |= (uint8_t)bit;
			n++;
		}
	}
	return n;
}

static uint32_t
addr_pieces(const struct fw_addr_match *a, struct bits128 *out)
{
	uint8_t pv[128][16], pm[128][16];
	uint32_t n, i;

	if (!a->inv) {
		memcpy(out[0].v, a->addr, 16);
		memcpy(out[0].m, a->mask, 16);
		return 1;
	}
	n = negate_bits(a->addr, a->mask, 16, pv, pm);
	for (i = 0; i < n; i++) {
		memcpy(out[i].v, pv[i], 16);
		memcpy(out[i].m, pm[i], 16);
	}
	return n;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct fw_port_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The ranges of 'in' (n of them), or the gaps around them when 'inv'. */
static uint32_t
range_pieces(const struct fw_port_range *in, uint32_t n, int inv,
	     struct fw_port_range *out)
{
	struct fw_port_range s[FW_PORTS_MAX];
	uint32_t next = 0, k = 0, i;

	if (!inv) {
		memcpy(out, in, n * sizeof(*in));
		return n;
	}
	memcpy(s, in, n * sizeof(*in));
	qsort(s, n, sizeof(*s), range_cmp);
	for (i = 0; i < n; i++) {
		if (s[i].lo > next) {
			out[k].lo = (uint16_t)next;
			out[k].hi = (uint16_t)(s[i].lo - 1);
			k++;
		}
		if ((uint32_t)s[i].hi + 1 > next)
			next = (uint32_t)s[i].hi + 1;
	}
	if (next <= 65535) {
		out[k].lo = (uint16_t)next;
		out[k].hi = 65535;
		k++;
	}
	return k;
}

static uint32_t
port_pieces(const struct fw_port_match *m, struct fw_port_range *out)
{
	if (m->n == 0) {
		out[0].lo = 0;
		out[0].hi = 65535;
		return 1;
	}
	return range_pieces(m->r, m->n, m->inv, out);
}

static uint32_t
if_pieces(const struct fw_if_match *m, struct fw_port_range *out)
{
	struct fw_port_range r = { m->port, m->port };

	if (m->name[0] == '\0') {
		out[0].lo = 0;
		out[0].hi = 65535;
		return 1;
	}
	return range_pieces(&r, 1, m->inv, out);
}

static int
rule_pieces(const struct fw_rule *r, struct pieces *p, char *err,
	    size_t errlen, uint32_t idx)
{
	if ((r->in.name[0] != '\0' && !r->in.resolved) ||
	    (r->out.name[0] != '\0' && !r->out.resolved)) {
		snprintf(err, errlen, "%s rule %u: interface '%s' is not "
			 "resolved to a port", fw_chain_name(r->chain), idx + 1,
			 r->in.name[0] != '\0' && !r->in.resolved ?
			 r->in.name : r->out.name);
		return -EINVAL;
	}
	if (!r->proto_set) {
		p->proto_v[0] = 0;
		p->proto_m[0] = 0;
		p->n_proto = 1;
	} else if (!r->proto_inv) {
		p->proto_v[0] = r->proto;
		p->proto_m[0] = 0xff;
		p->n_proto = 1;
	} else {
		uint8_t v[16] = { r->proto }, m[16] = { 0xff };
		uint8_t pv[8][16], pm[8][16];
		uint32_t i;

		p->n_proto = negate_bits(v, m, 1, pv, pm);
		for (i = 0; i < p->n_proto; i++) {
			p->proto_v[i] = pv[i][0];
			p->proto_m[i] = pm[i][0];
		}
	}
	p->n_src = addr_pieces(&r->src, p->src);
	p->n_dst = addr_pieces(&r->dst, p->dst);
	if (r->icmp6.set) {
		struct fw_port_range t = {
			fw_icmp6_port(r->icmp6.type, r->icmp6.code_lo),
			fw_icmp6_port(r->icmp6.type, r->icmp6.code_hi),
		};

		p->n_sport = range_pieces(&t, 1, r->icmp6.inv, p->sport);
	} else {
		p->n_sport = port_pieces(&r->sport, p->sport);
	}
	p->n_dport = port_pieces(&r->dport, p->dport);
	p->n_in = if_pieces(&r->in, p->in);
	p->n_out = if_pieces(&r->out, p->out);
	p->state_mask = r->state != 0 ? FW_STATE_ALL & ~(uint32_t)r->state : 0;
	return 0;
}

static uint64_t
n_products(const struct pieces *p)
{
	return (uint64_t)p->n_proto * p->n_src * p->n_dst * p->n_sport *
	       p->n_dport * p->n_in * p->n_out;
}

static uint32_t
word(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* Rule number 'k' of the cross product, into 'ar'. */
static void
fill_product(const struct pieces *p, uint64_t k, struct acl_rule *ar)
{
	uint32_t ip = (uint32_t)(k % p->n_proto), is, id, isp, idp, ii, io, w;

	k /= p->n_proto;
	is = (uint32_t)(k % p->n_src);
	k /= p->n_src;
	id = (uint32_t)(k % p->n_dst);
	k /= p->n_dst;
	isp = (uint32_t)(k % p->n_sport);
	k /= p->n_sport;
	idp = (uint32_t)(k % p->n_dport);
	k /= p->n_dport;
	ii = (uint32_t)(k % p->n_in);
	k /= p->n_in;
	io = (uint32_t)(k % p->n_out);

	ar->field[F_PROTO].value.u8 = p->proto_v[ip];
	ar->field[F_PROTO].mask_range.u8 = p->proto_m[ip];
	for (w = 0; w < 4; w++) {
		ar->field[F_SRC0 + w].value.u32 = word(p->src[is].v + 4 * w);
		ar->field[F_SRC0 + w].mask_range.u32 = word(p->src[is].m + 4 * w);
		ar->field[F_DST0 + w].value.u32 = word(p->dst[id].v + 4 * w);
		ar->field[F_DST0 + w].mask_range.u32 = word(p->dst[id].m + 4 * w);
	}
	ar->field[F_SPORT].value.u16 = p->sport[isp].lo;
	ar->field[F_SPORT].mask_range.u16 = p->sport[isp].hi;
	ar->field[F_DPORT].value.u16 = p->dport[idp].lo;
	ar->field[F_DPORT].mask_range.u16 = p->dport[idp].hi;
	ar->field[F_IN].value.u16 = p->in[ii].lo;
	ar->field[F_IN].mask_range.u16 = p->in[ii].hi;
	ar->field[F_OUT].value.u16 = p->out[io].lo;
	ar->field[F_OUT].mask_range.u16 = p->out[io].hi;
	ar->field[F_STATE].value.u32 = 0;
	ar->field[F_STATE].mask_range.u32 = p->state_mask;
}

/* ---- Build -------------------------------------------------------------- */

/* Below this many rules a chain is one context whatever its shapes. */
#define SPLIT_MIN	64

/*
 * The part of a rule when a chain is split: the first field group it
 * constrains in trie order (a destination prefix, a destination suffix,
 * the source, ports or ICMPv6 type, the rest). Mixing rules that
 * constrain a field with rules that leave it wild makes rte_acl copy the
 * latter under every branch of the former: the trie (and the build time)
 * grows with the product, rte_acl splits the rules over several tries,
 * each walked for every packet, and past 8 it gives up. Each part holds
 * one shape, and rte_acl drops the fields wild in all its rules.
 */
static unsigned int
part_of(const struct fw_rule *r)
{
	static const uint8_t zero[16];

	if (memcmp(r->dst.mask, zero, 4) != 0)
		return PART_DST;
	if (memcmp(r->dst.mask, zero, 16) != 0)
		return PART_DST_TAIL;	/* a suffix: the prefix is wild */
	if (r->dst.inv)
		return PART_DST;
	if (r->src.inv || memcmp(r->src.mask, zero, 16) != 0)
		return PART_SRC;
	if (r->sport.n || r->dport.n || r->icmp6.set)
		return PART_L4;
	return PART_REST;
}

/*
 * Rules by destination prefix and rules by destination suffix in one
 * trie: rte_acl copies every suffix rule (wild in the first words)
 * under every distinct prefix branch, so the trie and the build grow
 * with their product. With the few prefixes of one site that is cheap
 * and one trie classifies fastest (doc/firewall.md: 10 000 host rules
 * over 4 prefixes, a product of 20 000, build in 2-5 s and classify in
 * 75 cycles); with a prefix per host (a host by address or by its /64,
 * as real rulesets have them next to the seed's suffix rules) it is not:
 * 1 000 rules, a third by suffix, a product of 220 000, took 15 s and
 * GBs to build. Past this product the chain goes in parts (a prefix part
 * and a suffix part, two tries: 0.2 s for those 1 000 rules, about 130
 * cycles where one trie takes 75).
 */
#define DST_MIX_MAX	32768

static int
cmp_head(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* Distinct destination prefixes (first 64 bits, address and mask) of
 * the PART_DST rules times the PART_DST_TAIL rules; 0 on no memory. */
static uint64_t
dst_mix(const struct fw_chain_rules *cr, const uint8_t *part)
{
	uint8_t (*h)[16] = malloc((size_t)cr->n * 16 + 16);
	uint64_t n_tail = 0, n_head = 0;
	uint32_t i, n = 0;

	if (h == NULL)
		return 0;
	for (i = 0; i < cr->n; i++) {
		if (part[i] == PART_DST_TAIL) {
			n_tail++;
		} else if (part[i] == PART_DST) {
			memcpy(h[n], cr->rules[i].dst.addr, 8);
			memcpy(h[n] + 8, cr->rules[i].dst.mask, 8);
			n++;
		}
	}
	qsort(h, n, 16, cmp_head);
	for (i = 0; i < n; i++)
		n_head += i == 0 || memcmp(h[i], h[i - 1], 16) != 0;
	free(h);
	return n_head * n_tail;
}

static int
add_rules(struct rte_acl_ctx *ctx, const struct fw_chain_rules *cr,
	  const uint8_t *part, unsigned int which, struct pieces *p,
	  char *err, size_t errlen)
{
	struct acl_rule *batch;
	uint32_t i, nb = 0;
	int rc = 0;

	batch = calloc(BATCH, sizeof(*batch));
	if (batch == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < cr->n && rc == 0; i++) {
		const struct fw_rule *r = &cr->rules[i];
		uint64_t k, total;

		if (part[i] != which)
			continue;
		rc = rule_pieces(r, p, err, errlen, i);
		if (rc != 0)
			break;
		total = n_products(p);
		for (k = 0; k < total && rc == 0; k++) {
			struct acl_rule *ar = &batch[nb++];

			memset(ar, 0, sizeof(*ar));
			ar->data.category_mask = r->target == FW_TARGET_LOG ?
						 2u : 1u;
			ar->data.priority = (int32_t)(cr->n - i);
			ar->data.userdata = i + 1;
			fill_product(p, k, ar);
			if (nb == BATCH) {
				rc = rte_acl_add_rules(ctx,
					(const struct rte_acl_rule *)batch, nb);
				nb = 0;
			}
		}
	}
	if (rc == 0 && nb > 0)
		rc = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)batch,
				       nb);
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "rte_acl_add_rules: %s", strerror(-rc));
	free(batch);
	return rc;
}

/* Create, fill and build the context of part 'which'. */
static int
build_part(struct part *pt, const struct fw_chain_rules *cr, enum fw_chain c,
	   const uint8_t *part, unsigned int which, uint32_t n_acl,
	   int has_log, const char *name, int socket, size_t max_size,
	   struct pieces *p, char *err, size_t errlen)
{
	static uint32_t generation;
	struct rte_acl_param prm;
	struct rte_acl_config cfg;
	char uname[RTE_ACL_NAMESIZE];
	int rc;

	pt->n_acl = n_acl;
	pt->categories = has_log ? RTE_ACL_RESULTS_MULTIPLIER : 1;
	snprintf(uname, sizeof(uname), "%.18s-%u", name,
		 __atomic_fetch_add(&generation, 1, __ATOMIC_RELAXED));
	memset(&prm, 0, sizeof(prm));
	prm.name = uname;
	prm.socket_id = socket;
	prm.rule_size = RTE_ACL_RULE_SZ(N_FIELDS);
	prm.max_rule_num = n_acl;
	pt->ctx = rte_acl_create(&prm);
	if (pt->ctx == NULL) {
		snprintf(err, errlen, "rte_acl_create(%s): %s", uname,
			 strerror(rte_errno));
		return -ENOMEM;
	}
	rc = add_rules(pt->ctx, cr, part, which, p, err, errlen);
	if (rc != 0)
		return rc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.num_categories = pt->categories;
	cfg.num_fields = N_FIELDS;
	cfg.max_size = max_size;
	memcpy(cfg.defs, field_defs, sizeof(field_defs));
	rc = rte_acl_build(pt->ctx, &cfg);
	if (rc != 0)
		snprintf(err, errlen, "rte_acl_build of %s (%u rules, %u "
			 "rte_acl rules): %s", fw_chain_name(c), cr->n, n_acl,
			 strerror(-rc));
	/*
	 * rte_acl picks the widest classify method the CPU and EAL allow
	 * (AVX2 here, measured faster than SSE on these rules:
	 * doc/firewall.md); fw_acl_set_alg() overrides it.
	 */
	return rc;
}

static void
free_parts(struct fw_acl *acl)
{
	uint32_t k;

	for (k = 0; k < acl->n_parts; k++)
		rte_acl_free(acl->part[k].ctx);
	memset(acl->part, 0, sizeof(acl->part));
	acl->n_parts = 0;
}

/* Build the parts of 'acl' from 'part[]', the part of each rule. */
static int
build_parts(struct fw_acl *acl, const struct fw_chain_rules *cr,
	    enum fw_chain c, const uint8_t *part, const char *name, int socket,
	    size_t max_size, struct pieces *p, char *err, size_t errlen)
{
	uint64_t n_acl[PARTS_MAX] = { 0 };
	uint32_t has_log[PARTS_MAX] = { 0 }, i;
	unsigned int k;

	for (i = 0; i < cr->n; i++) {
		uint64_t n;

		if (rule_pieces(&cr->rules[i], p, err, errlen, i) != 0)
			return -EINVAL;
		n = n_products(p);
		n_acl[part[i]] += n;
		if (cr->rules[i].target == FW_TARGET_LOG && n > 0)
			has_log[part[i]] = 1;
	}
	for (k = 0; k < PARTS_MAX; k++) {
		int rc;

		if (n_acl[k] == 0)
			continue;	/* nothing there can match */
		rc = build_part(&acl->part[acl->n_parts++], cr, c, part, k,
				(uint32_t)n_acl[k], (int)has_log[k], name,
				socket, max_size, p, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

struct fw_acl *
fw_acl_build_opts(const struct fw_ruleset *rs, enum fw_chain c,
		  const char *name, int socket, const struct fw_acl_opts *opts,
		  char *err, size_t errlen)
{
	const struct fw_chain_rules *cr;
	struct fw_acl_opts o = { FW_ACL_SPLIT_AUTO, 0 };
	struct pieces *p = NULL;
	uint8_t *part = NULL;
	struct fw_acl *acl;
	uint64_t total = 0;
	uint32_t i, shapes = 0;
	int rc;

	err[0] = '\0';
	if (opts != NULL)
		o = *opts;
	if (o.max_size == 0)
		o.max_size = ACL_MAX_SIZE;
	if ((unsigned int)c >= FW_CHAIN_MAX) {
		snprintf(err, errlen, "no such chain");
		return NULL;
	}
	cr = &rs->chain[c];
	acl = rte_zmalloc_socket("fw_acl", sizeof(*acl), RTE_CACHE_LINE_SIZE,
				 socket);
	p = malloc(sizeof(*p));
	part = calloc(cr->n + 1, 1);
	if (acl == NULL || p == NULL || part == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	acl->n_rules = cr->n;
	for (i = 0; i < cr->n; i++) {
		uint64_t n;

		if (rule_pieces(&cr->rules[i], p, err, errlen, i) != 0)
			goto fail;
		n = n_products(p);
		if (n > EXPAND_MAX) {
			snprintf(err, errlen, "%s rule %u needs %llu rte_acl "
				 "rules (inverted matches multiply), more than "
				 "%u: split it", fw_chain_name(c), i + 1,
				 (unsigned long long)n, EXPAND_MAX);
			goto fail;
		}
		total += n;
	}
	if (total > ACL_RULES_MAX) {
		snprintf(err, errlen, "%s needs %llu rte_acl rules, more than "
			 "%u", fw_chain_name(c), (unsigned long long)total,
			 ACL_RULES_MAX);
		goto fail;
	}
	acl->n_acl = (uint32_t)total;
	/*
	 * One context for small chains and for chains whose rules all name
	 * a destination (host rules, by prefix or suffix): rte_acl keeps
	 * those in one trie, the fastest to classify. A large chain that
	 * also has rules leaving the destination wild goes in parts:
	 * measured (doc/firewall.md), they classify about as fast as the
	 * several tries rte_acl makes of such a chain, and build 10 to 30
	 * times faster. Prefix and suffix rules stay together unless their
	 * mix is costly (dst_mix()). When one context fails (past 8 tries,
	 * out of memory), parts too.
	 */
	for (i = 0; i < cr->n; i++) {
		part[i] = (uint8_t)part_of(&cr->rules[i]);
		shapes |= 1u << part[i];
	}
	if (o.split == FW_ACL_SPLIT_AUTO && cr->n >= SPLIT_MIN &&
	    (shapes & (shapes - 1)) != 0 &&
	    ((shapes & ~(1u << PART_DST | 1u << PART_DST_TAIL)) != 0 ||
	     dst_mix(cr, part) > DST_MIX_MAX))
		o.split = FW_ACL_SPLIT_ALWAYS;
	if (o.split != FW_ACL_SPLIT_ALWAYS) {
		uint8_t *one = calloc(cr->n + 1, 1);

		if (one == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		rc = build_parts(acl, cr, c, one, name, socket, o.max_size, p,
				 err, errlen);
		free(one);
		if (rc == 0)
			goto done;
		if (o.split == FW_ACL_SPLIT_NEVER || rc == -EINVAL)
			goto fail;
		free_parts(acl);
		err[0] = '\0';
	}
	if (build_parts(acl, cr, c, part, name, socket, o.max_size, p, err,
			errlen) != 0)
		goto fail;
done:
	free(part);
	free(p);
	return acl;
fail:
	free(part);
	free(p);
	fw_acl_free(acl);
	return NULL;
}

struct fw_acl *
fw_acl_build(const struct fw_ruleset *rs, enum fw_chain c, const char *name,
	     int socket, char *err, size_t errlen)
{
	return fw_acl_build_opts(rs, c, name, socket, NULL, err, errlen);
}

void
fw_acl_free(struct fw_acl *acl)
{
	if (acl == NULL)
		return;
	free_parts(acl);
	rte_free(acl);
}

int
fw_acl_set_alg(struct fw_acl *acl, const char *alg)
{
	static const struct {
		const char *name;
		enum rte_acl_classify_alg alg;
	} algs[] = {
		{ "default", RTE_ACL_CLASSIFY_DEFAULT },
		{ "scalar", RTE_ACL_CLASSIFY_SCALAR },
		{ "sse", RTE_ACL_CLASSIFY_SSE },
		{ "avx2", RTE_ACL_CLASSIFY_AVX2 },
		{ "avx512x16", RTE_ACL_CLASSIFY_AVX512X16 },
		{ "avx512x32", RTE_ACL_CLASSIFY_AVX512X32 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(algs); i++) {
		uint32_t k;
		int rc;

		if (strcmp(alg, algs[i].name) != 0)
			continue;
		for (k = 0; k < acl->n_parts; k++) {
			rc = rte_acl_set_ctx_classify(acl->part[k].ctx,
						      algs[i].alg);
			if (rc != 0)
				return rc;
		}
		return 0;
	}
	return -EINVAL;
}

uint32_t
fw_acl_rules(const struct fw_acl *acl)
{
	return acl->n_rules;
}

uint32_t
fw_acl_acl_rules(const struct fw_acl *acl)
{
	return acl->n_acl;
}

uint32_t
fw_acl_parts(const struct fw_acl *acl)
{
	return acl->n_parts;
}

/* ---- Classify ----------------------------------------------------------- */

/* The smaller of two results, 0 being "none". */
static inline uint32_t
first_of(uint32_t a, uint32_t b)
{
	return a == 0 || (b != 0 && b < a) ? b : a;
}

int
fw_acl_classify_log(const struct fw_acl *acl, const uint8_t **keys,
		    uint32_t *results, uint32_t *logs, uint32_t n)
{
	uint32_t tmp[CLASSIFY_CHUNK * RTE_ACL_MAX_CATEGORIES];
	uint32_t log[CLASSIFY_CHUNK];
	uint32_t done, i, k;
	int rc;

	if (acl->n_parts == 1 && acl->part[0].categories == 1) {
		if (logs != NULL)
			memset(logs, 0, n * sizeof(*logs));
		return rte_acl_classify(acl->part[0].ctx, keys, results, n, 1);
	}
	for (done = 0; done < n; done += CLASSIFY_CHUNK) {
		uint32_t m = RTE_MIN(n - done, (uint32_t)CLASSIFY_CHUNK);
		uint32_t *res = results + done;

		memset(res, 0, m * sizeof(*res));
		memset(log, 0, m * sizeof(*log));
		for (k = 0; k < acl->n_parts; k++) {
			const struct part *pt = &acl->part[k];
			uint32_t cat = pt->categories;

			rc = rte_acl_classify(pt->ctx, keys + done, tmp, m, cat);
			if (rc != 0)
				return rc;
			for (i = 0; i < m; i++) {
				res[i] = first_of(res[i], tmp[i * cat]);
				if (cat > 1)
					log[i] = first_of(log[i],
							  tmp[i * cat + 1]);
			}
		}
		if (logs == NULL)
			continue;
		for (i = 0; i < m; i++)
			logs[done + i] = log[i] != 0 &&
					 (res[i] == 0 || log[i] < res[i]) ?
					 log[i] : 0;
	}
	return 0;
}

int
fw_acl_classify(const struct fw_acl *acl, const uint8_t **keys,
		uint32_t *results, uint32_t n)
{
	return fw_acl_classify_log(acl, keys, results, NULL, n);
}
