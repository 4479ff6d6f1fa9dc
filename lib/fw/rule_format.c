/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A rule back to text: one canonical ip6tables line in the order
 * ip6tables-save writes (-s -d -i -o -p, the matches, -j and the target's
 * options). Numbers are written as numbers (services and levels by
 * number), protocols and ICMPv6 types by their first name, masks as
 * prefix lengths when they are prefixes. fw_rule_parse() reads the line
 * back into an equal rule (the unit tests and fuzz_rule check it).
 */
#include "fw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "fw_priv.h"
#include "hdr.h"

struct out {
	char *buf;
	size_t size;
	size_t len;			/* what the whole line needs */
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
		      o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* A word, double-quoted when the shell would split or expand it. */
static void
put_word(struct out *o, const char *s)
{
	const char *p;
	int plain = *s != '\0' && *s != '#';

	for (p = s; *p != '\0' && plain; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789_.:/,+@%=-", *p) == NULL)
			plain = 0;
	if (plain) {
		put(o, " %s", s);
		return;
	}
	put(o, " \"");
	for (p = s; *p != '\0'; p++) {
		if (strchr("\"\\$`", *p) != NULL)
			put(o, "\\%c", *p);
		else
			put(o, "%c", *p);
	}
	put(o, "\"");
}

static int
prefix_len(const uint8_t *mask)
{
	int len = 0, i;

	for (i = 0; i < 16 && mask[i] == 0xff; i++)
		len += 8;
	if (i < 16) {
		uint8_t m = mask[i];

		while (m & 0x80) {
			len++;
			m = (uint8_t)(m << 1);
		}
		if (m != 0)
			return -1;
		for (i++; i < 16; i++)
			if (mask[i] != 0)
				return -1;
	}
	return len;
}

static void
put_addr(struct out *o, const char *opt, const struct fw_addr_match *m)
{
	static const uint8_t zero[16];
	char a[INET6_ADDRSTRLEN], mk[INET6_ADDRSTRLEN];
	int plen;

	if (!m->inv && memcmp(m->mask, zero, 16) == 0)
		return;
	inet_ntop(AF_INET6, m->addr, a, sizeof(a));
	plen = prefix_len(m->mask);
	if (plen >= 0) {
		put(o, "%s %s %s/%d", m->inv ? " !" : "", opt, a, plen);
	} else {
		inet_ntop(AF_INET6, m->mask, mk, sizeof(mk));
		put(o, "%s %s %s/%s", m->inv ? " !" : "", opt, a, mk);
	}
}

static void
put_iface(struct out *o, const char *opt, const struct fw_if_match *m)
{
	if (m->name[0] == '\0')
		return;
	put(o, "%s %s", m->inv ? " !" : "", opt);
	put_word(o, m->name);
}

static void
put_ports(struct out *o, const struct fw_rule *r,
	  const struct fw_port_match *m, int dst)
{
	unsigned int i;

	if (m->n == 0)
		return;
	if (m->multi)
		put(o, " -m multiport%s --%s ", m->inv ? " !" : "",
		    dst ? "dports" : "sports");
	else
		put(o, " -m %s%s --%s ", r->proto == PKT_PROTO_TCP ? "tcp" : "udp",
		    m->inv ? " !" : "", dst ? "dport" : "sport");
	for (i = 0; i < m->n && i < FW_PORTS_MAX; i++) {
		if (m->r[i].lo == m->r[i].hi)
			put(o, "%s%u", i ? "," : "", m->r[i].lo);
		else
			put(o, "%s%u:%u", i ? "," : "", m->r[i].lo,
			    m->r[i].hi);
	}
}

int
fw_rule_format(const struct fw_rule *r, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const char *name;
	char states[64];

	if (size > 0)
		buf[0] = '\0';
	put(&o, "-A");
	put_word(&o, r->chain_name[0] != '\0' ? r->chain_name :
		 fw_chain_name(r->chain));
	put_addr(&o, "-s", &r->src);
	put_addr(&o, "-d", &r->dst);
	put_iface(&o, "-i", &r->in);
	put_iface(&o, "-o", &r->out);
	if (r->proto_set) {
		name = fw_proto_name(r->proto);
		if (name != NULL)
			put(&o, "%s -p %s", r->proto_inv ? " !" : "", name);
		else
			put(&o, "%s -p %u", r->proto_inv ? " !" : "", r->proto);
	}
	put_ports(&o, r, &r->sport, 0);
	put_ports(&o, r, &r->dport, 1);
	if (r->icmp6.set) {
		put(&o, " -m icmp6%s --icmpv6-type ", r->icmp6.inv ? " !" : "");
		name = fw_icmp6_name_of(r->icmp6.type, r->icmp6.code_lo,
					r->icmp6.code_hi);
		if (name != NULL)
			put(&o, "%s", name);
		else if (r->icmp6.code_lo == r->icmp6.code_hi)
			put(&o, "%u/%u", r->icmp6.type, r->icmp6.code_lo);
		else
			put(&o, "%u", r->icmp6.type);
	}
	if (r->state != 0) {
		fw_state_names(r->state, states, sizeof(states));
		if (r->state_kind == FW_STATE_KIND_STATE)
			put(&o, " -m state --state %s", states);
		else
			put(&o, " -m conntrack --ctstate %s", states);
	}
	if (r->comment[0] != '\0') {
		put(&o, " -m comment --comment");
		put_word(&o, r->comment);
	}
	put(&o, " -j %s", fw_target_name(r->target));
	if (r->target == FW_TARGET_REJECT &&
	    r->reject_with != FW_REJECT_ADM_PROHIBITED)
		put(&o, " --reject-with %s", fw_reject_name(r->reject_with));
	if (r->log_prefix[0] != '\0') {
		put(&o, " --log-prefix");
		put_word(&o, r->log_prefix);
	}
	if (r->target == FW_TARGET_LOG && r->log_level != 4)
		put(&o, " --log-level %u", r->log_level);
	return (int)o.len;
}
