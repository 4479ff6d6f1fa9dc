/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One firewall rule, field by field: the setters that check each value
 * (the line parser in rule_parse.c and lib/conf's JSON object form both
 * call them, so both forms accept and refuse exactly the same things),
 * the checks across fields (fw_rule_finish()), equality, the chain alias
 * table and the name tables of the rule language (protocols, services,
 * ICMPv6 types, states, targets, reject answers, log levels).
 */
#include "fw.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "fw_priv.h"
#include "hdr.h"

int
fw_fail(struct fw_err *err, enum fw_field f, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -EINVAL;
	err->col = 0;
	err->field = f;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Strict decimal: digits only, at most 'max'. */
static int
parse_uint(const char *s, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* ---- Names -------------------------------------------------------------- */

static const char *const chain_names[FW_CHAIN_MAX] = {
	"INPUT", "FORWARD", "OUTPUT",
};

const char *
fw_chain_name(enum fw_chain c)
{
	return (unsigned int)c < FW_CHAIN_MAX ? chain_names[c] : "?";
}

static const char *const target_names[FW_TARGET_MAX] = {
	"", "ACCEPT", "DROP", "REJECT", "LOG", "RETURN",
};

const char *
fw_target_name(enum fw_target t)
{
	return (unsigned int)t < FW_TARGET_MAX ? target_names[t] : "?";
}

/* --reject-with names: the canonical one first, then ip6tables' aliases. */
static const struct {
	const char *name;
	enum fw_reject r;
} reject_names[] = {
	{ "icmp6-adm-prohibited", FW_REJECT_ADM_PROHIBITED },
	{ "icmp6-no-route", FW_REJECT_NO_ROUTE },
	{ "icmp6-addr-unreachable", FW_REJECT_ADDR_UNREACH },
	{ "icmp6-port-unreachable", FW_REJECT_PORT_UNREACH },
	{ "icmp6-policy-fail", FW_REJECT_POLICY_FAIL },
	{ "icmp6-reject-route", FW_REJECT_REJECT_ROUTE },
	{ "tcp-reset", FW_REJECT_TCP_RESET },
	{ "adm-prohibited", FW_REJECT_ADM_PROHIBITED },
	{ "no-route", FW_REJECT_NO_ROUTE },
	{ "addr-unreach", FW_REJECT_ADDR_UNREACH },
	{ "port-unreach", FW_REJECT_PORT_UNREACH },
	{ "policy-fail", FW_REJECT_POLICY_FAIL },
	{ "reject-route", FW_REJECT_REJECT_ROUTE },
};

const char *
fw_reject_name(enum fw_reject r)
{
	unsigned int i;

	for (i = 0; i < sizeof(reject_names) / sizeof(reject_names[0]); i++)
		if (reject_names[i].r == r)
			return reject_names[i].name;
	return "?";
}

/*
 * Protocols by name, as ip6tables knows them from /etc/protocols (the
 * common ones; any other is given by number). The first name of a number
 * is the one fw_rule_format() writes.
 */
static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 },
	{ "icmp6", 58 }, { "udplite", 136 }, { "sctp", 132 }, { "dccp", 33 },
	{ "esp", 50 }, { "ah", 51 }, { "gre", 47 }, { "ipv6-mh", 135 },
	{ "mh", 135 }, { "ospf", 89 }, { "vrrp", 112 }, { "pim", 103 },
	{ "l2tp", 115 }, { "ipip", 4 }, { "ipv6", 41 },
};

const char *
fw_proto_name(uint8_t proto)
{
	unsigned int i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	return NULL;
}

/* Service names a port may be given by (the common part of services(5)). */
static const struct {
	const char *name;
	uint16_t port;
} services[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 },
	{ "smtp", 25 }, { "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 },
	{ "tftp", 69 }, { "http", 80 }, { "kerberos", 88 }, { "pop3", 110 },
	{ "ntp", 123 }, { "imap", 143 }, { "snmp", 161 }, { "bgp", 179 },
	{ "ldap", 389 }, { "https", 443 }, { "submissions", 465 },
	{ "isakmp", 500 }, { "syslog", 514 }, { "dhcpv6-client", 546 },
	{ "dhcpv6-server", 547 }, { "submission", 587 }, { "ldaps", 636 },
	{ "domain-s", 853 }, { "imaps", 993 }, { "pop3s", 995 },
	{ "openvpn", 1194 }, { "l2tp", 1701 }, { "mqtt", 1883 },
	{ "ipsec-nat-t", 4500 }, { "babel", 6696 },
};

/* ip6tables' ICMPv6 type names (libxt_icmp6), aliases marked. */
const struct fw_icmp6_name fw_icmp6_names[] = {
	{ "destination-unreachable", 1, 0, 255, 0 },
	{ "no-route", 1, 0, 0, 0 },
	{ "communication-prohibited", 1, 1, 1, 0 },
	{ "beyond-scope", 1, 2, 2, 0 },
	{ "address-unreachable", 1, 3, 3, 0 },
	{ "port-unreachable", 1, 4, 4, 0 },
	{ "failed-policy", 1, 5, 5, 0 },
	{ "reject-route", 1, 6, 6, 0 },
	{ "packet-too-big", 2, 0, 255, 0 },
	{ "time-exceeded", 3, 0, 255, 0 },
	{ "ttl-exceeded", 3, 0, 255, 1 },
	{ "ttl-zero-during-transit", 3, 0, 0, 0 },
	{ "ttl-zero-during-reassembly", 3, 1, 1, 0 },
	{ "parameter-problem", 4, 0, 255, 0 },
	{ "bad-header", 4, 0, 0, 0 },
	{ "unknown-header-type", 4, 1, 1, 0 },
	{ "unknown-option", 4, 2, 2, 0 },
	{ "echo-request", 128, 0, 255, 0 },
	{ "ping", 128, 0, 255, 1 },
	{ "echo-reply", 129, 0, 255, 0 },
	{ "pong", 129, 0, 255, 1 },
	{ "mld-listener-query", 130, 0, 255, 0 },
	{ "mld-listener-report", 131, 0, 255, 0 },
	{ "mld-listener-done", 132, 0, 255, 0 },
	{ "router-solicitation", 133, 0, 255, 0 },
	{ "router-advertisement", 134, 0, 255, 0 },
	{ "neighbour-solicitation", 135, 0, 255, 0 },
	{ "neighbor-solicitation", 135, 0, 255, 1 },
	{ "neighbour-advertisement", 136, 0, 255, 0 },
	{ "neighbor-advertisement", 136, 0, 255, 1 },
	{ "redirect", 137, 0, 255, 0 },
	{ "mld2-listener-report", 143, 0, 255, 0 },
};
const unsigned int fw_n_icmp6_names =
	sizeof(fw_icmp6_names) / sizeof(fw_icmp6_names[0]);

const char *
fw_icmp6_name_of(uint8_t type, uint8_t code_lo, uint8_t code_hi)
{
	unsigned int i;

	for (i = 0; i < fw_n_icmp6_names; i++) {
		const struct fw_icmp6_name *n = &fw_icmp6_names[i];

		if (!n->alias && n->type == type && n->code_lo == code_lo &&
		    n->code_hi == code_hi)
			return n->name;
	}
	return NULL;
}

int
fw_icmp6_parse(const char *text, enum fw_field f, uint8_t *type,
	       uint8_t *code_lo, uint8_t *code_hi, struct fw_err *err)
{
	char num[8];
	const char *slash;
	uint32_t t, c;
	size_t len, i;

	for (i = 0; i < fw_n_icmp6_names; i++) {
		if (strcasecmp(text, fw_icmp6_names[i].name) == 0) {
			*type = fw_icmp6_names[i].type;
			*code_lo = fw_icmp6_names[i].code_lo;
			*code_hi = fw_icmp6_names[i].code_hi;
			return 0;
		}
	}
	slash = strchr(text, '/');
	len = slash != NULL ? (size_t)(slash - text) : strlen(text);
	for (i = 0; i < len; i++)
		if (text[i] < '0' || text[i] > '9')
			return fw_fail(err, f, "unknown ICMPv6 type (a name "
				       "such as echo-request or packet-too-big, "
				       "type or type/code; 'ip6tables -p icmpv6 "
				       "-h' lists the names)");
	if (len == 0 || len >= sizeof(num))
		return fw_fail(err, f, "ICMPv6 type must be 0-255");
	memcpy(num, text, len);
	num[len] = '\0';
	if (parse_uint(num, 255, &t) != 0)
		return fw_fail(err, f, "ICMPv6 type must be 0-255");
	*type = (uint8_t)t;
	if (slash == NULL) {
		*code_lo = 0;
		*code_hi = 255;
		return 0;
	}
	if (parse_uint(slash + 1, 255, &c) != 0)
		return fw_fail(err, f, "ICMPv6 code must be 0-255");
	*code_lo = (uint8_t)c;
	*code_hi = (uint8_t)c;
	return 0;
}

static const char *const state_names[] = {
	"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED",
};

void
fw_state_names(uint32_t state, char *buf, size_t size)
{
	static const unsigned int order[] = { 1, 3, 2, 0, 4 };
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	/* NEW, RELATED, ESTABLISHED, INVALID, UNTRACKED: iptables-save's. */
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if ((state & (1u << order[i])) == 0)
			continue;
		if (off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
						off ? "," : "",
						state_names[order[i]]);
	}
}

/* ---- Chain aliases ------------------------------------------------------ */

static const struct fw_alias default_aliases[] = {
	{ "INPUT", FW_CHAIN_INPUT },
	{ "FORWARD", FW_CHAIN_FORWARD },
	{ "OUTPUT", FW_CHAIN_OUTPUT },
	{ "input_rule", FW_CHAIN_INPUT },
	{ "forwarding_rule", FW_CHAIN_FORWARD },
	{ "forwarding_lan_rule", FW_CHAIN_FORWARD },
	{ "output_rule", FW_CHAIN_OUTPUT },
};
#define N_BUILTIN	3	/* the first entries: not re-pointable */

void
fw_aliases_init(struct fw_aliases *al)
{
	unsigned int i;

	memset(al, 0, sizeof(*al));
	for (i = 0; i < sizeof(default_aliases) / sizeof(default_aliases[0]);
	     i++)
		al->a[al->n++] = default_aliases[i];
}

int
fw_aliases_lookup(const struct fw_aliases *al, const char *name,
		  enum fw_chain *chain)
{
	unsigned int i;

	for (i = 0; i < al->n; i++) {
		if (strcmp(al->a[i].name, name) == 0) {
			*chain = al->a[i].chain;
			return 0;
		}
	}
	return -ENOENT;
}

/* A chain name as ip6tables takes it: no blanks, no leading '-' or '!'. */
static int
check_chain_name(const char *name, struct fw_err *err)
{
	const char *p;

	if (*name == '\0')
		return fw_fail(err, FW_FIELD_CHAIN, "chain name is empty");
	if (strlen(name) > FW_CHAIN_NAME_MAX)
		return fw_fail(err, FW_FIELD_CHAIN,
			       "chain name longer than %d characters",
			       FW_CHAIN_NAME_MAX);
	if (*name == '-' || *name == '!')
		return fw_fail(err, FW_FIELD_CHAIN,
			       "chain name must not start with '-' or '!'");
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return fw_fail(err, FW_FIELD_CHAIN,
				       "chain name must not contain blanks "
				       "or control characters");
	return 0;
}

int
fw_aliases_add(struct fw_aliases *al, const char *name, const char *chain,
	       struct fw_err *err)
{
	enum fw_chain c;
	unsigned int i;
	int rc;

	rc = check_chain_name(name, err);
	if (rc != 0)
		return rc;
	if (strcasecmp(chain, "input") == 0)
		c = FW_CHAIN_INPUT;
	else if (strcasecmp(chain, "forward") == 0)
		c = FW_CHAIN_FORWARD;
	else if (strcasecmp(chain, "output") == 0)
		c = FW_CHAIN_OUTPUT;
	else
		return fw_fail(err, FW_FIELD_CHAIN, "'%s' is not a built-in "
			       "chain (input, forward or output)", chain);
	for (i = 0; i < al->n; i++) {
		if (strcmp(al->a[i].name, name) != 0)
			continue;
		if (i < N_BUILTIN && al->a[i].chain != c)
			return fw_fail(err, FW_FIELD_CHAIN, "'%s' is a built-in "
				       "chain, not an alias", name);
		al->a[i].chain = c;
		return 0;
	}
	if (al->n >= FW_ALIASES_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "more than %d chain aliases",
			       FW_ALIASES_MAX);
	snprintf(al->a[al->n].name, sizeof(al->a[al->n].name), "%s", name);
	al->a[al->n].chain = c;
	al->n++;
	return 0;
}

/* ---- The setters -------------------------------------------------------- */

void
fw_rule_init(struct fw_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->chain = FW_CHAIN_MAX;	/* fw_rule_finish() wants one set */
	r->reject_with = FW_REJECT_ADM_PROHIBITED;
	r->log_level = 4;		/* warning, as ip6tables' LOG */
	r->in.port = FW_PORT_NONE;
	r->out.port = FW_PORT_NONE;
}

int
fw_rule_set_chain(struct fw_rule *r, const struct fw_aliases *al,
		  const char *name, struct fw_err *err)
{
	struct fw_aliases def;
	enum fw_chain c;
	int rc;

	rc = check_chain_name(name, err);
	if (rc != 0)
		return rc;
	if (al == NULL) {
		fw_aliases_init(&def);
		al = &def;
	}
	if (fw_aliases_lookup(al, name, &c) != 0)
		return fw_fail(err, FW_FIELD_CHAIN, "unknown chain (INPUT, "
			       "FORWARD, OUTPUT or an alias such as "
			       "forwarding_rule)");
	r->chain = c;
	snprintf(r->chain_name, sizeof(r->chain_name), "%s", name);
	return 0;
}

int
fw_rule_set_addr(struct fw_rule *r, int dst, const char *text, int inv,
		 struct fw_err *err)
{
	enum fw_field f = dst ? FW_FIELD_DST : FW_FIELD_SRC;
	struct fw_addr_match *m = dst ? &r->dst : &r->src;
	uint8_t addr[16], mask[16], v4[4];
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t len = slash != NULL ? (size_t)(slash - text) : strlen(text);
	uint32_t plen;
	unsigned int i;

	if (len == 0)
		return fw_fail(err, f, "address is empty");
	if (len >= sizeof(buf))
		return fw_fail(err, f, "not an IPv6 address");
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1) {
		if (strchr(buf, ',') != NULL)
			return fw_fail(err, f, "one address per rule "
				       "(ip6tables would add one rule for each)");
		if (inet_pton(AF_INET, buf, v4) == 1)
			return fw_fail(err, f, "IPv4 address in an IPv6 rule");
		return fw_fail(err, f, "not an IPv6 address (host names are "
			       "not looked up)");
	}
	if (slash == NULL) {
		memset(mask, 0xff, sizeof(mask));
	} else if (fw_all_digits(slash + 1) || slash[1] == '\0') {
		if (parse_uint(slash + 1, 128, &plen) != 0)
			return fw_fail(err, f, "prefix length must be 0-128");
		for (i = 0; i < 16; i++) {
			unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

			mask[i] = bits >= 8 ? 0xff :
				  (uint8_t)(0xff00u >> bits);
		}
	} else if (strlen(slash + 1) >= sizeof(buf) ||
		   inet_pton(AF_INET6, slash + 1, mask) != 1) {
		return fw_fail(err, f, "mask must be a prefix length (0-128) or "
			       "an IPv6 mask such as ::ffff:ffff:ffff:ffff");
	}
	for (i = 0; i < 16; i++) {
		m->addr[i] = addr[i] & mask[i];
		m->mask[i] = mask[i];
	}
	m->inv = inv ? 1 : 0;
	return 0;
}

int
fw_rule_set_proto(struct fw_rule *r, const char *text, int inv,
		  struct fw_err *err)
{
	uint32_t v = 256;
	unsigned int i;

	if (fw_all_digits(text)) {
		if (parse_uint(text, 255, &v) != 0)
			return fw_fail(err, FW_FIELD_PROTO,
				       "protocol number must be 0-255");
	} else if (strcasecmp(text, "all") == 0) {
		v = 0;
	} else if (strcasecmp(text, "icmp") == 0) {
		v = 1;
	} else {
		for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]);
		     i++)
			if (strcasecmp(text, proto_names[i].name) == 0)
				v = proto_names[i].proto;
		if (v == 256)
			return fw_fail(err, FW_FIELD_PROTO, "unknown protocol "
				       "(tcp, udp, icmpv6, all, another name "
				       "such as esp, or 0-255)");
	}
	if (v == 0) {		/* ip6tables: 0 is "all" */
		if (inv)
			return fw_fail(err, FW_FIELD_PROTO, "'! -p all' would "
				       "match nothing");
		r->proto_set = 0;
		r->proto_inv = 0;
		r->proto = 0;
		return 0;
	}
	if (v == 1)
		return fw_fail(err, FW_FIELD_PROTO, "icmp is IPv4's; use "
			       "icmpv6 in an IPv6 rule");
	r->proto = (uint8_t)v;
	r->proto_set = 1;
	r->proto_inv = inv ? 1 : 0;
	return 0;
}

/* One port: a number or a service name. */
static int
parse_port(const char *s, enum fw_field f, uint16_t *out, struct fw_err *err)
{
	uint32_t v;
	unsigned int i;

	if (fw_all_digits(s)) {
		if (parse_uint(s, 65535, &v) != 0)
			return fw_fail(err, f, "port must be 0-65535");
		*out = (uint16_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (strcmp(s, services[i].name) == 0) {
			*out = services[i].port;
			return 0;
		}
	}
	if (*s == '\0')
		return fw_fail(err, f, "port is empty");
	if (*s == '-')
		return fw_fail(err, f, "port must be 0-65535");
	return fw_fail(err, f, "'%s' is neither a port (0-65535) nor a "
		       "service name meshxlat knows (ssh, http, https, domain, "
		       "...)", s);
}

/* "a", "a:b", ":b", "a:" into one range. */
static int
parse_range(const char *s, size_t len, enum fw_field f,
	    struct fw_port_range *r, struct fw_err *err)
{
	char lo[24], hi[24];
	const char *colon = memchr(s, ':', len);
	size_t n1 = colon != NULL ? (size_t)(colon - s) : len;
	size_t n2 = colon != NULL ? len - n1 - 1 : 0;
	int rc;

	if (n1 >= sizeof(lo) || n2 >= sizeof(hi))
		return fw_fail(err, f, "port must be 0-65535");
	memcpy(lo, s, n1);
	lo[n1] = '\0';
	if (colon == NULL) {
		rc = parse_port(lo, f, &r->lo, err);
		r->hi = r->lo;
		return rc;
	}
	memcpy(hi, colon + 1, n2);
	hi[n2] = '\0';
	if (n1 == 0 && n2 == 0)
		return fw_fail(err, f, "port range ':' has no ends");
	r->lo = 0;
	r->hi = 65535;
	if (n1 > 0 && (rc = parse_port(lo, f, &r->lo, err)) != 0)
		return rc;
	if (n2 > 0 && (rc = parse_port(hi, f, &r->hi, err)) != 0)
		return rc;
	if (r->lo > r->hi)
		return fw_fail(err, f, "port range is empty (%u > %u)",
			       r->lo, r->hi);
	return 0;
}

int
fw_rule_set_ports(struct fw_rule *r, int dst, const char *text, int multi,
		  int inv, struct fw_err *err)
{
	enum fw_field f = dst ? FW_FIELD_DPORT : FW_FIELD_SPORT;
	struct fw_port_match m;
	const char *p = text;
	unsigned int weight = 0;
	int rc;

	memset(&m, 0, sizeof(m));
	if (!multi && strchr(text, ',') != NULL)
		return fw_fail(err, f, "one port or range (a list needs "
			       "-m multiport --%s)", dst ? "dports" : "sports");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (len == 0)
			return fw_fail(err, f, multi ? "empty port in the list" :
				       "port is empty");
		if (m.n == FW_PORTS_MAX)
			return fw_fail(err, f, "more than %d ports",
				       FW_PORTS_MAX);
		rc = parse_range(p, len, f, &m.r[m.n], err);
		if (rc != 0)
			return rc;
		weight += m.r[m.n].lo == m.r[m.n].hi ? 1 : 2;
		m.n++;
		if (weight > FW_PORTS_MAX)
			return fw_fail(err, f, "more than %d ports (a range "
				       "counts as two)", FW_PORTS_MAX);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	m.inv = inv ? 1 : 0;
	m.multi = multi ? 1 : 0;
	*(dst ? &r->dport : &r->sport) = m;
	return 0;
}

int
fw_rule_set_icmp6(struct fw_rule *r, const char *text, int inv,
		  struct fw_err *err)
{
	struct fw_icmp6_match m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = fw_icmp6_parse(text, FW_FIELD_ICMP6, &m.type, &m.code_lo,
			    &m.code_hi, err);
	if (rc != 0)
		return rc;
	m.set = 1;
	m.inv = inv ? 1 : 0;
	r->icmp6 = m;
	return 0;
}

int
fw_rule_set_iface(struct fw_rule *r, int out, const char *name, int inv,
		  struct fw_err *err)
{
	enum fw_field f = out ? FW_FIELD_OUT : FW_FIELD_IN;
	struct fw_if_match *m = out ? &r->out : &r->in;
	size_t len = strlen(name);
	size_t i;

	if (len == 0)
		return fw_fail(err, f, "interface name is empty");
	if (len > FW_IFNAME_MAX)
		return fw_fail(err, f, "interface name longer than %d "
			       "characters", FW_IFNAME_MAX);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch <= ' ' || ch == 0x7f || ch == '/' || ch == ':')
			return fw_fail(err, f, "interface name must not "
				       "contain blanks, '/' or ':'");
	}
	if (name[len - 1] == '+')
		return fw_fail(err, f, "interface wildcards ('eth+') are not "
			       "supported: name the port");
	memset(m, 0, sizeof(*m));
	memcpy(m->name, name, len);
	m->inv = inv ? 1 : 0;
	m->port = FW_PORT_NONE;
	return 0;
}

int
fw_rule_set_state(struct fw_rule *r, enum fw_state_kind kind,
		  const char *list, int inv, struct fw_err *err)
{
	const char *p = list;
	uint32_t set = 0;
	unsigned int i;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]);
		     i++) {
			if (strlen(state_names[i]) == len &&
			    strncasecmp(p, state_names[i], len) == 0)
				break;
		}
		if (i == sizeof(state_names) / sizeof(state_names[0])) {
			if ((len == 4 && (strncasecmp(p, "SNAT", 4) == 0 ||
					  strncasecmp(p, "DNAT", 4) == 0)))
				return fw_fail(err, FW_FIELD_STATE, "SNAT and "
					       "DNAT states do not exist here: "
					       "the firewall does no NAT");
			return fw_fail(err, FW_FIELD_STATE, "unknown state "
				       "(NEW, ESTABLISHED, RELATED, INVALID, "
				       "UNTRACKED, comma separated)");
		}
		set |= 1u << i;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (inv)
		set = FW_STATE_ALL & ~set;
	if (set == 0)
		return fw_fail(err, FW_FIELD_STATE, "the inverted state list "
			       "matches no state");
	r->state = (uint8_t)set;
	r->state_kind = kind == FW_STATE_KIND_STATE ? FW_STATE_KIND_STATE :
			FW_STATE_KIND_CONNTRACK;
	return 0;
}

/* Text a log line or a listing may carry: no control characters. */
static int
check_text(const char *text, size_t max, enum fw_field f, const char *what,
	   struct fw_err *err)
{
	const unsigned char *p;

	if (strlen(text) > max)
		return fw_fail(err, f, "%s longer than %zu characters", what,
			       max);
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			return fw_fail(err, f, "%s must not contain control "
				       "characters", what);
	return 0;
}

int
fw_rule_set_comment(struct fw_rule *r, const char *text, struct fw_err *err)
{
	int rc = check_text(text, FW_COMMENT_MAX, FW_FIELD_COMMENT, "comment",
			    err);

	if (rc != 0)
		return rc;
	snprintf(r->comment, sizeof(r->comment), "%s", text);
	return 0;
}

int
fw_rule_set_target(struct fw_rule *r, const char *text, struct fw_err *err)
{
	unsigned int t;

	for (t = FW_TARGET_ACCEPT; t < FW_TARGET_MAX; t++) {
		if (strcmp(text, target_names[t]) == 0) {
			r->target = (enum fw_target)t;
			return 0;
		}
	}
	for (t = FW_TARGET_ACCEPT; t < FW_TARGET_MAX; t++)
		if (strcasecmp(text, target_names[t]) == 0)
			return fw_fail(err, FW_FIELD_TARGET, "targets are upper "
				       "case: %s", target_names[t]);
	return fw_fail(err, FW_FIELD_TARGET, "unknown target (ACCEPT, DROP, "
		       "REJECT, LOG or RETURN; jumps to other chains are not "
		       "supported)");
}

int
fw_rule_set_reject_with(struct fw_rule *r, const char *text,
			struct fw_err *err)
{
	unsigned int i;

	for (i = 0; i < sizeof(reject_names) / sizeof(reject_names[0]); i++) {
		if (strcmp(text, reject_names[i].name) == 0) {
			r->reject_with = reject_names[i].r;
			return 0;
		}
	}
	return fw_fail(err, FW_FIELD_REJECT, "unknown reject answer "
		       "(icmp6-adm-prohibited, icmp6-no-route, "
		       "icmp6-addr-unreachable, icmp6-port-unreachable, "
		       "icmp6-policy-fail, icmp6-reject-route, tcp-reset)");
}

int
fw_rule_set_log_prefix(struct fw_rule *r, const char *text,
		       struct fw_err *err)
{
	int rc = check_text(text, FW_LOG_PREFIX_MAX, FW_FIELD_LOG_PREFIX,
			    "log prefix", err);

	if (rc != 0)
		return rc;
	snprintf(r->log_prefix, sizeof(r->log_prefix), "%s", text);
	return 0;
}

int
fw_rule_set_log_level(struct fw_rule *r, const char *text, struct fw_err *err)
{
	static const struct {
		const char *name;
		uint8_t level;
	} levels[] = {
		{ "emerg", 0 }, { "panic", 0 }, { "alert", 1 }, { "crit", 2 },
		{ "err", 3 }, { "error", 3 }, { "warning", 4 }, { "warn", 4 },
		{ "notice", 5 }, { "info", 6 }, { "debug", 7 },
	};
	uint32_t v;
	unsigned int i;

	if (fw_all_digits(text)) {
		if (parse_uint(text, 7, &v) != 0)
			return fw_fail(err, FW_FIELD_LOG_LEVEL,
				       "log level must be 0-7");
		r->log_level = (uint8_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcasecmp(text, levels[i].name) == 0) {
			r->log_level = levels[i].level;
			return 0;
		}
	}
	return fw_fail(err, FW_FIELD_LOG_LEVEL, "unknown log level (0-7 or "
		       "emerg, alert, crit, error, warning, notice, info, "
		       "debug)");
}

static int
proto_is(const struct fw_rule *r, uint8_t proto)
{
	return r->proto_set && !r->proto_inv && r->proto == proto;
}

int
fw_rule_finish(struct fw_rule *r, struct fw_err *err)
{
	if ((unsigned int)r->chain >= FW_CHAIN_MAX)
		return fw_fail(err, FW_FIELD_CHAIN, "no chain");
	if (r->target == FW_TARGET_NONE)
		return fw_fail(err, FW_FIELD_TARGET, "no target: add -j ACCEPT, "
			       "DROP, REJECT, LOG or RETURN");
	if ((r->sport.n || r->dport.n) && !proto_is(r, PKT_PROTO_TCP) &&
	    !proto_is(r, PKT_PROTO_UDP))
		return fw_fail(err, r->dport.n ? FW_FIELD_DPORT :
			       FW_FIELD_SPORT, "ports need -p tcp or -p udp");
	if (r->icmp6.set && !proto_is(r, PKT_PROTO_ICMP6))
		return fw_fail(err, FW_FIELD_ICMP6, "--icmpv6-type needs "
			       "-p icmpv6");
	if (r->target != FW_TARGET_REJECT &&
	    r->reject_with != FW_REJECT_ADM_PROHIBITED)
		return fw_fail(err, FW_FIELD_REJECT, "--reject-with needs "
			       "-j REJECT");
	if (r->target == FW_TARGET_REJECT &&
	    r->reject_with == FW_REJECT_TCP_RESET &&
	    !proto_is(r, PKT_PROTO_TCP))
		return fw_fail(err, FW_FIELD_REJECT, "tcp-reset needs -p tcp");
	if (r->target != FW_TARGET_LOG && r->log_prefix[0] != '\0')
		return fw_fail(err, FW_FIELD_LOG_PREFIX, "--log-prefix needs "
			       "-j LOG");
	if (r->target != FW_TARGET_LOG && r->log_level != 4)
		return fw_fail(err, FW_FIELD_LOG_LEVEL, "--log-level needs "
			       "-j LOG");
	if (r->chain == FW_CHAIN_INPUT && r->out.name[0] != '\0')
		return fw_fail(err, FW_FIELD_OUT, "-o cannot be used in INPUT "
			       "(packets for this box have no output port)");
	if (r->chain == FW_CHAIN_OUTPUT && r->in.name[0] != '\0')
		return fw_fail(err, FW_FIELD_IN, "-i cannot be used in OUTPUT "
			       "(packets from this box have no input port)");
	return 0;
}

/* ---- Equality ----------------------------------------------------------- */

static int
addr_equal(const struct fw_addr_match *a, const struct fw_addr_match *b)
{
	return a->inv == b->inv && memcmp(a->addr, b->addr, 16) == 0 &&
	       memcmp(a->mask, b->mask, 16) == 0;
}

static int
ports_equal(const struct fw_port_match *a, const struct fw_port_match *b)
{
	unsigned int i;

	if (a->n != b->n || a->inv != b->inv || a->multi != b->multi)
		return 0;
	for (i = 0; i < a->n && i < FW_PORTS_MAX; i++)
		if (a->r[i].lo != b->r[i].lo || a->r[i].hi != b->r[i].hi)
			return 0;
	return 1;
}

static int
if_equal(const struct fw_if_match *a, const struct fw_if_match *b)
{
	return a->inv == b->inv &&
	       strncmp(a->name, b->name, sizeof(a->name)) == 0;
}

int
fw_rule_equal(const struct fw_rule *a, const struct fw_rule *b)
{
	if (a->chain != b->chain || !addr_equal(&a->src, &b->src) ||
	    !addr_equal(&a->dst, &b->dst) || a->proto_set != b->proto_set ||
	    a->state != b->state || a->state_kind != b->state_kind ||
	    !ports_equal(&a->sport, &b->sport) ||
	    !ports_equal(&a->dport, &b->dport) ||
	    a->icmp6.set != b->icmp6.set || !if_equal(&a->in, &b->in) ||
	    !if_equal(&a->out, &b->out) || a->target != b->target ||
	    a->reject_with != b->reject_with ||
	    a->log_level != b->log_level)
		return 0;
	if (a->proto_set &&
	    (a->proto != b->proto || a->proto_inv != b->proto_inv))
		return 0;
	if (a->icmp6.set &&
	    (a->icmp6.inv != b->icmp6.inv || a->icmp6.type != b->icmp6.type ||
	     a->icmp6.code_lo != b->icmp6.code_lo ||
	     a->icmp6.code_hi != b->icmp6.code_hi))
		return 0;
	return strncmp(a->log_prefix, b->log_prefix,
		       sizeof(a->log_prefix)) == 0 &&
	       strncmp(a->comment, b->comment, sizeof(a->comment)) == 0;
}
