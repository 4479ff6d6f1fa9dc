/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON config -> struct conf. Each section has a reader that walks its
 * object with a key path for messages, rejects unknown keys, wrong types and
 * impossible values, and fills plain C fields. Cross-references (a route's
 * port, the CLAT's client port) are resolved after every section has been
 * read, so key order in the file does not matter.
 */
#include "conf.h"
#include "conf_json.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xlat.h"

/* A prefix length: 1 to 3 decimal digits, nothing else, at most 'max'. */
static int
parse_plen(const char *s, long max, long *out)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 3)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	*out = strtol(s, NULL, 10);
	return *out <= max ? 0 : -EINVAL;
}

int
conf_parse_pfx4(const char *s, struct pkt_pfx4 *out)
{
	char buf[32], *slash;
	struct in_addr a;
	long len = 32;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_plen(slash + 1, 32, &len) != 0)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	out->addr = ntohl(a.s_addr);
	out->len = (uint8_t)len;
	return 0;
}

int
conf_parse_pfx6(const char *s, struct pkt_pfx6 *out)
{
	char buf[64], *slash;
	long len = 128;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_plen(slash + 1, 128, &len) != 0)
			return -EINVAL;
	}
	if (inet_pton(AF_INET6, buf, out->addr) != 1)
		return -EINVAL;
	out->len = (uint8_t)len;
	return 0;
}

int
conf_parse_mac(const char *s, uint8_t *mac)
{
	int i;

	/* Exactly xx:xx:xx:xx:xx:xx; sscanf would take signs and blanks. */
	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < PKT_ETH_ALEN; i++) {
		const char *h = s + 3 * i;
		char byte[3] = { h[0], h[1], '\0' };

		if (!isxdigit((unsigned char)h[0]) ||
		    !isxdigit((unsigned char)h[1]) ||
		    (i < PKT_ETH_ALEN - 1 && h[2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	return 0;
}

/* A prefix string member: 'want' is 4 or 6; host bits must be zero. */
static int
get_prefix(struct conf_json *x, json_t *obj, const char *key, int required,
	   int want, struct pkt_pfx4 *p4, struct pkt_pfx6 *p6, int *present)
{
	char buf[64];
	int rc, have;
	size_t n;
	json_t *v = json_object_get(obj, key);

	rc = conf_json_str(x, obj, key, required, buf, sizeof(buf), &have);
	if (present != NULL)
		*present = have;
	if (rc != 0 || !have)
		return rc;
	n = conf_json_push(x, key);
	if (want == 4) {
		if (conf_parse_pfx4(buf, p4) != 0)
			rc = conf_json_fail(x, v,
					    "not an IPv4 prefix (a.b.c.d/len)");
		else if (p4->addr & ~pkt_mask4(p4->len))
			rc = conf_json_fail(x, v, "host bits set beyond /%u",
					    p4->len);
	} else {
		if (conf_parse_pfx6(buf, p6) != 0)
			rc = conf_json_fail(x, v,
					    "not an IPv6 prefix (x::/len)");
		else if (pkt_pfx6_host_bits(p6))
			rc = conf_json_fail(x, v, "host bits set beyond /%u",
					    p6->len);
	}
	conf_json_pop(x, n);
	return rc;
}

static const char *const role_names[CONF_ROLE_MAX] = {
	[CONF_ROLE_LAN4] = "lan4",
	[CONF_ROLE_MESH6] = "mesh6",
	[CONF_ROLE_WAN4] = "wan4",
	[CONF_ROLE_WAN6] = "wan6",
};

const char *
conf_role_name(enum conf_role r)
{
	return r < CONF_ROLE_MAX ? role_names[r] : "?";
}

static int
read_addr_list(struct conf_json *x, json_t *port, struct conf_port *p, int fam)
{
	const char *key = fam == 4 ? "ipv4" : "ipv6";
	json_t *arr = json_object_get(port, key), *v;
	size_t n = conf_json_push(x, key), i;
	int rc = 0;

	if (arr == NULL)
		goto out;
	if (!json_is_array(arr)) {
		rc = conf_json_fail(x, arr,
				    "must be a list of address/len strings");
		goto out;
	}
	if (json_array_size(arr) > CONF_MAX_ADDRS) {
		rc = conf_json_fail(x, NULL, "at most %d addresses",
				    CONF_MAX_ADDRS);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		size_t m = conf_json_push_idx(x, i);
		const char *s = json_string_value(v);

		if (s == NULL)
			rc = conf_json_fail(x, v, "must be a string");
		else if (fam == 4 && (conf_parse_pfx4(s, &p->ip4[i]) != 0 ||
				      strchr(s, '/') == NULL))
			rc = conf_json_fail(x, v, "not an IPv4 address/len");
		else if (fam == 6 && (conf_parse_pfx6(s, &p->ip6[i]) != 0 ||
				      strchr(s, '/') == NULL))
			rc = conf_json_fail(x, v, "not an IPv6 address/len");
		else if (fam == 4 && (p->ip4[i].len == 0 || p->ip4[i].len > 32))
			rc = conf_json_fail(x, v,
					    "prefix length must be 1..32");
		else if (fam == 6 && p->ip6[i].len == 0)
			rc = conf_json_fail(x, v,
					    "prefix length must be 1..128");
		else if (fam == 6 && (pkt_ip6_is_multicast(p->ip6[i].addr) ||
				      pkt_ip6_is_linklocal(p->ip6[i].addr)))
			rc = conf_json_fail(
				x, v,
				"must be a global or ULA unicast address "
				"(the link-local one comes from the MAC)");
		conf_json_pop(x, m);
		if (rc != 0)
			goto out;
	}
	if (fam == 4)
		p->n_ip4 = (uint8_t)json_array_size(arr);
	else
		p->n_ip6 = (uint8_t)json_array_size(arr);
out:
	conf_json_pop(x, n);
	return rc;
}

static int
read_port(struct conf_json *x, json_t *o, struct conf_port *p)
{
	static const char *const keys[] = { "name", "device", "role", "mtu",
		"mac", "ipv4", "ipv6", "kernel_mirror", NULL };
	char role[16], mac[32];
	unsigned int mtu = 1500;
	int rc, have, r;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = conf_json_str(x, o, "name", 1, p->name, sizeof(p->name),
				NULL)) ||
	    (rc = conf_json_str(x, o, "device", 1, p->device, sizeof(p->device),
				NULL)) ||
	    (rc = conf_json_str(x, o, "role", 1, role, sizeof(role), NULL)))
		return rc;
	for (r = 0; r < CONF_ROLE_MAX; r++)
		if (strcmp(role, role_names[r]) == 0)
			break;
	if (r == CONF_ROLE_MAX) {
		n = conf_json_push(x, "role");
		rc = conf_json_fail(x, json_object_get(o, "role"),
			  "must be lan4, mesh6, wan4 or wan6");
		conf_json_pop(x, n);
		return rc;
	}
	p->role = (enum conf_role)r;
	/* RFC 8200 section 5: IPv6 links carry at least 1280 bytes. */
	if ((rc = conf_json_uint(x, o, "mtu",
			   r == CONF_ROLE_MESH6 || r == CONF_ROLE_WAN6 ?
			   PKT_IP6_MIN_MTU : 576, 9000, &mtu)) != 0)
		return rc;
	p->mtu = (uint16_t)mtu;
	if ((rc = conf_json_str(x, o, "mac", 0, mac, sizeof(mac), &have)) != 0)
		return rc;
	if (have) {
		n = conf_json_push(x, "mac");
		if (conf_parse_mac(mac, p->mac) != 0)
			rc = conf_json_fail(x, json_object_get(o, "mac"),
				  "not a MAC address (12:34:56:78:9a:bc)");
		else if (p->mac[0] & 1)
			rc = conf_json_fail(x, json_object_get(o, "mac"),
				  "must be a unicast MAC");
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
		p->has_mac = 1;
	}
	if ((rc = read_addr_list(x, o, p, 4)) != 0 ||
	    (rc = read_addr_list(x, o, p, 6)) != 0)
		return rc;
	return conf_json_str(x, o, "kernel_mirror", 0, p->kernel_mirror,
		       sizeof(p->kernel_mirror), NULL);
}

static int
read_ports(struct conf_json *x, json_t *arr, struct conf *c)
{
	size_t i, j;
	json_t *v;
	int rc;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return conf_json_fail(x, arr,
				      "must be a non-empty list of ports");
	if (json_array_size(arr) > CONF_MAX_PORTS)
		return conf_json_fail(x, NULL, "at most %d ports",
				      CONF_MAX_PORTS);
	json_array_foreach(arr, i, v) {
		size_t n = conf_json_push_idx(x, i);

		rc = read_port(x, v, &c->ports[i]);
		for (j = 0; rc == 0 && j < i; j++) {
			const char *key = NULL;

			if (strcmp(c->ports[j].name, c->ports[i].name) == 0)
				key = "name";
			else if (strcmp(c->ports[j].device,
					c->ports[i].device) == 0)
				key = "device";
			if (key != NULL) {
				size_t m = conf_json_push(x, key);

				rc = conf_json_fail(x, json_object_get(v, key),
					  "%s used twice", key);
				conf_json_pop(x, m);
			}
		}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	c->n_ports = (unsigned int)json_array_size(arr);
	return 0;
}

static int
get_port_ref(struct conf_json *x, json_t *o, const char *key,
	     const struct conf *c, int required, uint16_t *out, int *present)
{
	char name[CONF_NAME_SIZE];
	int rc, have, idx;
	size_t n;

	rc = conf_json_str(x, o, key, required, name, sizeof(name), &have);
	if (present != NULL)
		*present = have;
	if (rc != 0 || !have)
		return rc;
	idx = conf_port_index(c, name);
	if (idx < 0) {
		n = conf_json_push(x, key);
		rc = conf_json_fail(x, json_object_get(o, key),
				    "no port of that name");
		conf_json_pop(x, n);
		return rc;
	}
	*out = (uint16_t)idx;
	return 0;
}

/* Parse an address member that may be either family; returns 4 or 6. */
static int
get_any_addr(struct conf_json *x, json_t *o, const char *key, uint32_t *ip4,
	     uint8_t *ip6, int *family)
{
	char buf[64];
	struct pkt_pfx4 p4;
	struct pkt_pfx6 p6;
	int rc, have;
	size_t n;

	if ((rc = conf_json_str(x, o, key, 1, buf, sizeof(buf), &have)) != 0)
		return rc;
	n = conf_json_push(x, key);
	if (strchr(buf, '/') == NULL && conf_parse_pfx4(buf, &p4) == 0) {
		*ip4 = p4.addr;
		*family = 4;
	} else if (strchr(buf, '/') == NULL && conf_parse_pfx6(buf, &p6) == 0) {
		memcpy(ip6, p6.addr, 16);
		*family = 6;
	} else {
		rc = conf_json_fail(x, json_object_get(o, key),
				    "not an IP address");
	}
	conf_json_pop(x, n);
	return rc;
}

static int
read_route(struct conf_json *x, json_t *o, const struct conf *c,
	   struct conf_route *r)
{
	static const char *const keys[] = { "prefix", "port", "via", NULL };
	char buf[64];
	int rc, fam;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = conf_json_str(x, o, "prefix", 1, buf, sizeof(buf),
				NULL)) != 0)
		return rc;
	r->family = strchr(buf, ':') != NULL ? 6 : 4;
	if ((rc = get_prefix(x, o, "prefix", 1, r->family, &r->pfx4, &r->pfx6,
			     NULL)) != 0)
		return rc;
	if ((rc = get_port_ref(x, o, "port", c, 1, &r->port, NULL)) != 0)
		return rc;
	if (json_object_get(o, "via") == NULL)
		return 0;
	if ((rc = get_any_addr(x, o, "via", &r->via4, r->via6, &fam)) != 0)
		return rc;
	n = conf_json_push(x, "via");
	if (fam != r->family)
		rc = conf_json_fail(x, json_object_get(o, "via"),
			  "gateway family differs from the prefix's");
	else if (fam == 6 && pkt_ip6_is_multicast(r->via6))
		rc = conf_json_fail(x, json_object_get(o, "via"),
			  "gateway must be unicast");
	conf_json_pop(x, n);
	r->has_via = 1;
	return rc;
}

static int
read_neigh(struct conf_json *x, json_t *o, const struct conf *c,
	   struct conf_neigh *e)
{
	static const char *const keys[] = { "ip", "mac", "port", NULL };
	char mac[32];
	int rc, fam;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_any_addr(x, o, "ip", &e->ip4, e->ip6, &fam)) != 0)
		return rc;
	e->family = (uint8_t)fam;
	if ((rc = conf_json_str(x, o, "mac", 1, mac, sizeof(mac), NULL)) != 0)
		return rc;
	n = conf_json_push(x, "mac");
	if (conf_parse_mac(mac, e->mac) != 0)
		rc = conf_json_fail(x, json_object_get(o, "mac"),
				    "not a MAC address");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	return get_port_ref(x, o, "port", c, 1, &e->port, NULL);
}

/* A list member read element by element into a calloc'ed array. */
static int
read_list(struct conf_json *x, json_t *root, const char *key, size_t elem,
	  size_t max, void **out, unsigned int *count, const struct conf *c,
	  int (*fn)(struct conf_json *, json_t *, const struct conf *, void *))
{
	json_t *arr = json_object_get(root, key), *v;
	size_t n = conf_json_push(x, key), i;
	int rc = 0;

	*count = 0;
	if (arr == NULL)
		goto out;
	if (!json_is_array(arr)) {
		rc = conf_json_fail(x, arr, "must be a list");
		goto out;
	}
	if (json_array_size(arr) > max) {
		rc = conf_json_fail(x, NULL, "at most %zu entries", max);
		goto out;
	}
	*out = calloc(json_array_size(arr) + 1, elem);
	if (*out == NULL) {
		rc = -ENOMEM;
		snprintf(x->err, CONF_ERR_SIZE, "%s: out of memory", x->path);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		size_t m = conf_json_push_idx(x, i);

		rc = fn(x, v, c, (char *)*out + i * elem);
		conf_json_pop(x, m);
		if (rc != 0)
			goto out;
	}
	*count = (unsigned int)json_array_size(arr);
out:
	conf_json_pop(x, n);
	return rc;
}

static int
route_fn(struct conf_json *x, json_t *v, const struct conf *c, void *e)
{
	return read_route(x, v, c, e);
}

static int
neigh_fn(struct conf_json *x, json_t *v, const struct conf *c, void *e)
{
	return read_neigh(x, v, c, e);
}

static int
rfc6052_prefix(struct conf_json *x, json_t *o, const char *key, int required,
	       struct pkt_pfx6 *p, uint8_t *present)
{
	int rc, have;
	size_t n;

	rc = get_prefix(x, o, key, required, 6, NULL, p, &have);
	if (present != NULL)
		*present = (uint8_t)have;
	if (rc != 0 || !have)
		return rc;
	n = conf_json_push(x, key);
	/* Bits 64-71 of a shorter prefix are host bits: already refused. */
	if (!xlat_rfc6052_len_ok(p->len))
		rc = conf_json_fail(x, json_object_get(o, key),
				    "RFC 6052 prefix length must be 32, 40, "
				    "48, 56, 64 or 96");
	conf_json_pop(x, n);
	return rc;
}

static int
read_clat(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "clat_range", "plat_range",
		"clat_prefix", "plat_prefix", "client_port", NULL };
	struct conf_clat *k = &c->clat;
	int rc, have;
	uint8_t has_range = 0;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_prefix(x, o, "clat_range", 0, 6, NULL, &k->clat_range,
			     &have)) != 0)
		return rc;
	has_range = (uint8_t)have;
	if ((rc = get_prefix(x, o, "plat_range", 0, 6, NULL, &k->plat_range,
			     NULL)) != 0)
		return rc;
	if ((rc = rfc6052_prefix(x, o, "clat_prefix", 0, &k->clat_prefix,
				 &k->has_clat_prefix)) != 0 ||
	    (rc = rfc6052_prefix(x, o, "plat_prefix", 0, &k->plat_prefix,
				 &k->has_plat_prefix)) != 0)
		return rc;
	n = conf_json_push(x, "clat_range");
	if (has_range && k->clat_range.len != 48)
		rc = conf_json_fail(x, json_object_get(o, "clat_range"),
				    "must be a /48 (the node's MAC fills the "
				    "next 48 bits)");
	else if (!has_range && !k->has_clat_prefix)
		rc = conf_json_fail(x, NULL, "missing (or give clat_prefix)");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	n = conf_json_push(x, "plat_range");
	if (k->plat_range.len != 0 && k->plat_range.len != 48)
		rc = conf_json_fail(x, json_object_get(o, "plat_range"),
				    "must be a /48");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	/* Without plat_prefix the CLAT waits for clat.plat.set over the
	 * control socket (seed 003's set_platprefix); until then IPv4 from
	 * its clients is dropped and counted (clat_no_plat). */
	if ((rc = get_port_ref(x, o, "client_port", c, 1, &k->client_port,
			       NULL)) != 0)
		return rc;
	n = conf_json_push(x, "client_port");
	if (c->ports[k->client_port].role != CONF_ROLE_LAN4)
		rc = conf_json_fail(x, json_object_get(o, "client_port"),
			  "must name a port with role lan4");
	conf_json_pop(x, n);
	k->enabled = 1;
	return rc;
}

/* "9000-10000" or "53": a port range within 1..65535. */
static int
get_port_range(struct conf_json *x, json_t *o, const char *key, uint16_t *lo,
	       uint16_t *hi)
{
	char buf[24], *end;
	unsigned long a, b;
	int rc, have;
	size_t n;

	if ((rc = conf_json_str(x, o, key, 0, buf, sizeof(buf), &have)) != 0 ||
	    !have)
		return rc;
	n = conf_json_push(x, key);
	a = strtoul(buf, &end, 10);
	b = a;
	if (*end == '-')
		b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || !isdigit((unsigned char)buf[0]) || a < 1 ||
	    b > 65535)
		rc = conf_json_fail(x, json_object_get(o, key),
			  "must be a port or a range such as \"9000-10000\" "
			  "within 1-65535");
	else if (a > b)
		rc = conf_json_fail(x, json_object_get(o, key),
				    "range is empty");
	else {
		*lo = (uint16_t)a;
		*hi = (uint16_t)b;
	}
	conf_json_pop(x, n);
	return rc;
}

/* "tcp", "udp" or "icmp": the protocol number; -1 and an error. */
static int
proto_of(struct conf_json *x, json_t *v)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(s, "tcp") == 0)
		return PKT_PROTO_TCP;
	if (strcmp(s, "udp") == 0)
		return PKT_PROTO_UDP;
	if (strcmp(s, "icmp") == 0)
		return PKT_PROTO_ICMP;
	conf_json_fail(x, v, "must be \"tcp\", \"udp\" or \"icmp\"");
	return -1;
}

static uint8_t
proto_bit(int proto)
{
	return proto == PKT_PROTO_TCP ? CONF_PROTO_TCP :
	       proto == PKT_PROTO_UDP ? CONF_PROTO_UDP : CONF_PROTO_ICMP;
}

static int
read_pool4(struct conf_json *x, json_t *o, const struct conf *c, void *e)
{
	static const char *const keys[] = { "prefix", "ports", "protocols",
		NULL };
	struct conf_pool4 *p = e;
	json_t *protos, *v;
	int rc;
	size_t n, i;

	(void)c;
	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_prefix(x, o, "prefix", 1, 4, &p->pfx, NULL, NULL)) != 0)
		return rc;
	n = conf_json_push(x, "prefix");
	if (p->pfx.len < 16)
		rc = conf_json_fail(x, json_object_get(o, "prefix"),
			  "at most a /16 (65536 addresses)");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	p->port_lo = 1024;	/* below: the kernel's and well-known ports */
	p->port_hi = 65535;
	if ((rc = get_port_range(x, o, "ports", &p->port_lo, &p->port_hi)) != 0)
		return rc;
	protos = json_object_get(o, "protocols");
	p->protos = CONF_PROTO_TCP | CONF_PROTO_UDP | CONF_PROTO_ICMP;
	if (protos == NULL)
		return 0;
	n = conf_json_push(x, "protocols");
	if (!json_is_array(protos) || json_array_size(protos) == 0) {
		rc = conf_json_fail(x, protos,
				    "must be a non-empty list of \"tcp\", "
				    "\"udp\", \"icmp\"");
		conf_json_pop(x, n);
		return rc;
	}
	p->protos = 0;
	json_array_foreach(protos, i, v) {
		size_t m = conf_json_push_idx(x, i);
		int pr = proto_of(x, v);

		conf_json_pop(x, m);
		if (pr < 0) {
			conf_json_pop(x, n);
			return -EINVAL;
		}
		p->protos |= proto_bit(pr);
	}
	conf_json_pop(x, n);
	return 0;
}

static int
pool4_fn(struct conf_json *x, json_t *v, const struct conf *c, void *e)
{
	return read_pool4(x, v, c, e);
}

static int
read_static_bib(struct conf_json *x, json_t *o, const struct conf *c, void *e)
{
	static const char *const keys[] = { "ipv6", "port6", "ipv4", "port4",
		"protocol", NULL };
	struct conf_static_bib *b = e;
	const struct conf_plat *k = &c->plat;
	unsigned int p6 = 0, p4 = 0, i;
	uint8_t scratch6[16];
	uint32_t scratch4;
	int rc, fam, pr;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_any_addr(x, o, "ipv6", &scratch4, b->ip6, &fam)) != 0)
		return rc;
	if (fam != 6) {
		n = conf_json_push(x, "ipv6");
		rc = conf_json_fail(x, json_object_get(o, "ipv6"),
				    "not an IPv6 address");
		conf_json_pop(x, n);
		return rc;
	}
	if ((rc = get_any_addr(x, o, "ipv4", &b->ip4, scratch6, &fam)) != 0)
		return rc;
	n = conf_json_push(x, "ipv4");
	if (fam != 4)
		rc = conf_json_fail(x, json_object_get(o, "ipv4"),
				    "not an IPv4 address");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	if ((rc = conf_json_uint(x, o, "port6", 0, 65535, &p6)) != 0 ||
	    (rc = conf_json_uint(x, o, "port4", 1, 65535, &p4)) != 0)
		return rc;
	n = conf_json_push(x, "protocol");
	pr = proto_of(x, json_object_get(o, "protocol"));
	conf_json_pop(x, n);
	if (pr < 0)
		return -EINVAL;
	b->proto = (uint8_t)pr;
	b->port6 = (uint16_t)p6;
	b->port4 = (uint16_t)p4;
	/* It must be one of the pool's transport addresses. */
	for (i = 0; i < k->n_pool4; i++) {
		const struct conf_pool4 *q = &k->pool4[i];

		if (pkt_pfx4_match(&q->pfx, b->ip4) && p4 >= q->port_lo &&
		    p4 <= q->port_hi && (q->protos & proto_bit(pr)))
			return 0;
	}
	n = conf_json_push(x, "port4");
	rc = conf_json_fail(x, json_object_get(o, "port4"),
			    "ipv4:port4 is in no plat.pool4 entry serving %s",
			    pr == PKT_PROTO_TCP ? "tcp" :
			    pr == PKT_PROTO_UDP ? "udp" : "icmp");
	conf_json_pop(x, n);
	return rc;
}

static int
static_bib_fn(struct conf_json *x, json_t *v, const struct conf *c, void *e)
{
	return read_static_bib(x, v, c, e);
}

static int
read_timeouts(struct conf_json *x, json_t *o, struct conf_plat *k)
{
	static const char *const keys[] = { "udp", "tcp_est", "tcp_trans",
		"tcp_syn_hold", "icmp", NULL };
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	/* RFC 6146 section 4: the minimums of UDP_MIN, TCP_EST, TCP_TRANS,
	 * TCP_INCOMING_SYN; ICMP_DEFAULT as the floor for ICMP. */
	if ((rc = conf_json_uint(x, o, "udp", 120, 604800, &k->t_udp)) != 0 ||
	    (rc = conf_json_uint(x, o, "tcp_est", 7440, 604800,
			   &k->t_tcp_est)) != 0 ||
	    (rc = conf_json_uint(x, o, "tcp_trans", 240, 604800,
			   &k->t_tcp_trans)) != 0 ||
	    (rc = conf_json_uint(x, o, "tcp_syn_hold", 6, 600,
			   &k->t_syn_hold)) != 0 ||
	    (rc = conf_json_uint(x, o, "icmp", 60, 604800, &k->t_icmp)) != 0)
		return rc;
	return 0;
}

static int
get_abs_path(struct conf_json *x, json_t *o, const char *key, char *buf,
	     size_t size)
{
	int rc, have;
	size_t n;

	if ((rc = conf_json_str(x, o, key, 0, buf, size, &have)) != 0 || !have)
		return rc;
	if (buf[0] == '/')
		return 0;
	n = conf_json_push(x, key);
	rc = conf_json_fail(x, json_object_get(o, key),
			    "must be an absolute path");
	conf_json_pop(x, n);
	return rc;
}

static int
read_plat(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "plat_range", "plat_prefix",
		"mesh_port", "pool4", "max_sessions",
		"max_sessions_per_client", "block_size", "max_held_syns",
		"address_dependent_filtering", "timeouts", "static_bib",
		"snapshot", "block_log", NULL };
	struct conf_plat *k = &c->plat;
	struct conf_pool4 *pool = NULL;
	int rc, have_range, have_port;
	unsigned int i, j, n_pool = 0;
	json_t *v;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_prefix(x, o, "plat_range", 0, 6, NULL, &k->plat_range,
			     &have_range)) != 0 ||
	    (rc = rfc6052_prefix(x, o, "plat_prefix", 0, &k->plat_prefix,
				 &k->has_plat_prefix)) != 0)
		return rc;
	n = conf_json_push(x, "plat_range");
	if (have_range && k->plat_range.len != 48)
		rc = conf_json_fail(x, json_object_get(o, "plat_range"),
			  "must be a /48 (the mesh port's MAC fills the next "
			  "48 bits)");
	else if (!have_range && !k->has_plat_prefix)
		rc = conf_json_fail(x, NULL, "missing (or give plat_prefix)");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	if ((rc = get_port_ref(x, o, "mesh_port", c, 0, &k->mesh_port,
			       &have_port)) != 0)
		return rc;
	if (!have_port) {
		for (i = 0; i < c->n_ports; i++)
			if (c->ports[i].role == CONF_ROLE_MESH6)
				break;
		n = conf_json_push(x, "mesh_port");
		if (i == c->n_ports && !k->has_plat_prefix)
			rc = conf_json_fail(x, NULL,
					    "missing: no port with role mesh6 "
					    "to take the MAC from");
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
		k->mesh_port = (uint16_t)(i == c->n_ports ? 0 : i);
	}
	v = json_object_get(o, "pool4");
	n = conf_json_push(x, "pool4");
	if (v == NULL || (json_is_array(v) && json_array_size(v) == 0))
		rc = conf_json_fail(x, v,
				    "missing: the IPv4 addresses and ports to "
				    "translate to");
	conf_json_pop(x, n);
	if (rc != 0)
		return rc;
	if ((rc = read_list(x, o, "pool4", sizeof(struct conf_pool4),
			    CONF_MAX_POOL4, (void **)&pool, &n_pool, c,
			    pool4_fn)) != 0) {
		free(pool);
		return rc;
	}
	memcpy(k->pool4, pool, n_pool * sizeof(*pool));
	k->n_pool4 = n_pool;
	free(pool);
	/* Two entries must not share a transport address. */
	for (i = 0; i < k->n_pool4; i++)
		for (j = 0; j < i; j++) {
			const struct conf_pool4 *a = &k->pool4[i],
						*b = &k->pool4[j];
			uint8_t len = a->pfx.len < b->pfx.len ? a->pfx.len :
				      b->pfx.len;

			if (((a->pfx.addr ^ b->pfx.addr) & pkt_mask4(len)) ==
				    0 &&
			    a->port_lo <= b->port_hi &&
			    b->port_lo <= a->port_hi &&
			    (a->protos & b->protos)) {
				size_t m = conf_json_push(x, "pool4");
				size_t m2 = conf_json_push_idx(x, i);

				rc = conf_json_fail(x, NULL,
						    "overlaps pool4[%u]", j);
				conf_json_pop(x, m2);
				conf_json_pop(x, m);
				return rc;
			}
		}
	if ((rc = conf_json_uint(x, o, "max_sessions", 1, 1u << 28,
				 &k->max_sessions)) != 0 ||
	    (rc = conf_json_uint(x, o, "max_sessions_per_client", 1, 1u << 28,
				 &k->max_sessions_per_client)) != 0 ||
	    (rc = conf_json_uint(x, o, "block_size", 1, 4096,
				 &k->block_size)) != 0 ||
	    (rc = conf_json_uint(x, o, "max_held_syns", 0, 65536,
				 &k->max_held_syns)) != 0 ||
	    (rc = conf_json_bool(x, o, "address_dependent_filtering",
				 &k->adf)) != 0)
		return rc;
	v = json_object_get(o, "timeouts");
	if (v != NULL) {
		n = conf_json_push(x, "timeouts");
		rc = read_timeouts(x, v, k);
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	if ((rc = read_list(x, o, "static_bib", sizeof(struct conf_static_bib),
			    CONF_MAX_STATIC_BIB, (void **)&k->static_bib,
			    &k->n_static, c, static_bib_fn)) != 0 ||
	    (rc = get_abs_path(x, o, "snapshot", k->snapshot,
			       sizeof(k->snapshot))) != 0 ||
	    (rc = get_abs_path(x, o, "block_log", k->block_log,
			       sizeof(k->block_log))) != 0)
		return rc;
	k->enabled = 1;
	return 0;
}

/* A string member of a firewall rule object; "!" in front inverts. */
static int
fw_text(struct conf_json *x, json_t *o, const char *key, char *buf, size_t size,
	int *have, int *inv)
{
	json_t *v = json_object_get(o, key);
	size_t n;
	int rc = 0;

	*have = 0;
	*inv = 0;
	if (v == NULL)
		return 0;
	n = conf_json_push(x, key);
	if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	} else if (json_is_string(v) && json_string_length(v) < size) {
		const char *t = json_string_value(v);

		if (t[0] == '!') {
			*inv = 1;
			for (t++; *t == ' '; t++)
				;
		}
		snprintf(buf, size, "%s", t);
	} else {
		rc = conf_json_fail(x, v, "must be a string (or a number)");
	}
	conf_json_pop(x, n);
	*have = rc == 0;
	return rc;
}

/* The JSON object form of a rule: the same fields and checks as a line. */
static int
read_fw_object(struct conf_json *x, json_t *o, struct fw_ruleset *rs)
{
	static const char *const keys[] = { "chain", "src", "dst", "proto",
		"sport", "dport", "icmpv6_type", "in", "out", "state",
		"comment", "target", "reject_with", "log_prefix", "log_level",
		NULL };
	struct fw_rule r;
	struct fw_err e = { 0 };
	char buf[FW_LINE_MAX > 512 ? 512 : FW_LINE_MAX];
	const char *bad = NULL;
	unsigned int i;
	int rc, have, inv;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	fw_rule_init(&r);
	for (i = 0; keys[i] != NULL && bad == NULL; i++) {
		const char *k = keys[i];

		if ((rc = fw_text(x, o, k, buf, sizeof(buf), &have, &inv)) != 0)
			return rc;
		if (!have)
			continue;
		if (strcmp(k, "chain") == 0) {
			/* The JSON form may write the chains in lower case. */
			if (strcmp(buf, "input") == 0 ||
			    strcmp(buf, "forward") == 0 ||
			    strcmp(buf, "output") == 0)
				for (char *p = buf; *p != '\0'; p++)
					*p = (char)toupper((unsigned char)*p);
			rc = fw_rule_set_chain(&r, &rs->aliases, buf, &e);
		}
		else if (strcmp(k, "src") == 0 || strcmp(k, "dst") == 0)
			rc = fw_rule_set_addr(&r, k[0] == 'd', buf, inv, &e);
		else if (strcmp(k, "proto") == 0)
			rc = fw_rule_set_proto(&r, buf, inv, &e);
		else if (strcmp(k, "sport") == 0 || strcmp(k, "dport") == 0)
			rc = fw_rule_set_ports(&r, k[0] == 'd', buf,
					       strchr(buf, ',') != NULL, inv,
					       &e);
		else if (strcmp(k, "icmpv6_type") == 0)
			rc = fw_rule_set_icmp6(&r, buf, inv, &e);
		else if (strcmp(k, "in") == 0 || strcmp(k, "out") == 0)
			rc = fw_rule_set_iface(&r, k[0] == 'o', buf, inv, &e);
		else if (strcmp(k, "state") == 0)
			rc = fw_rule_set_state(&r, FW_STATE_KIND_CONNTRACK, buf,
					       inv, &e);
		else if (strcmp(k, "comment") == 0)
			rc = fw_rule_set_comment(&r, buf, &e);
		else if (strcmp(k, "target") == 0)
			rc = fw_rule_set_target(&r, buf, &e);
		else if (strcmp(k, "reject_with") == 0)
			rc = fw_rule_set_reject_with(&r, buf, &e);
		else if (strcmp(k, "log_prefix") == 0)
			rc = fw_rule_set_log_prefix(&r, buf, &e);
		else
			rc = fw_rule_set_log_level(&r, buf, &e);
		if (rc != 0)
			bad = k;
	}
	if (bad == NULL && fw_rule_finish(&r, &e) != 0)
		bad = "";
	if (bad == NULL && fw_ruleset_append(rs, &r, &e) != 0)
		bad = "";
	if (bad == NULL)
		return 0;
	n = bad[0] != '\0' ? conf_json_push(x, bad) : 0;
	rc = conf_json_fail(x, bad[0] != '\0' ? json_object_get(o, bad) : NULL,
			    "%s", e.msg);
	if (bad[0] != '\0')
		conf_json_pop(x, n);
	return rc;
}

static int
read_firewall(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "default_inbound",
		"accept_established", "icmpv6_allow", "interfaces", "chains",
		"rules", "conntrack", "log_rate", NULL };
	static const char *const ct_keys[] = { "max_entries", "tcp_syn",
		"tcp_est", "tcp_close", "udp", "udp_unreplied", "icmp",
		"other", NULL };
	struct conf_firewall *f = &c->firewall;
	struct fw_err e = { 0 };
	const char *key;
	json_t *v, *w;
	size_t n, i;
	int rc = 0;
	uint8_t b;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	f->rs = fw_ruleset_create();
	if (f->rs == NULL) {
		snprintf(x->err, CONF_ERR_SIZE, "out of memory");
		return -ENOMEM;
	}
	fw_conn_cfg_init(&f->conn);
	f->conn.capacity = 65536;
	f->log_rate = 10;
	v = json_object_get(o, "default_inbound");
	if (v != NULL) {
		n = conf_json_push(x, "default_inbound");
		if (!json_is_string(v) ||
		    fw_ruleset_set_default_inbound(f->rs, json_string_value(v),
						   &e) != 0)
			rc = conf_json_fail(x, v,
					    "must be \"drop\", \"accept\" or "
					    "\"reject\"");
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	if ((rc = conf_json_bool(x, o, "accept_established", &b)) != 0)
		return rc;
	if (json_object_get(o, "accept_established") != NULL)
		f->rs->accept_established = b;
	if ((rc = conf_json_uint(x, o, "log_rate", 0, 100000,
				 &f->log_rate)) != 0)
		return rc;
	v = json_object_get(o, "icmpv6_allow");
	if (v != NULL) {
		n = conf_json_push(x, "icmpv6_allow");
		if (!json_is_array(v))
			rc = conf_json_fail(
				x, v,
				"must be a list of ICMPv6 type names or "
				"numbers");
		json_array_foreach(v, i, w) {
			size_t m = conf_json_push_idx(x, i);

			if (rc == 0 && (!json_is_string(w) ||
			    fw_ruleset_icmp6_allow(f->rs, json_string_value(w),
						   &e) != 0))
				rc = conf_json_fail(x, w, "%s",
						    json_is_string(w) ? e.msg :
						    "must be a string");
			conf_json_pop(x, m);
		}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	/* Interface names of the rules: "br-lan": "lan6" (a port name). */
	v = json_object_get(o, "interfaces");
	if (v != NULL) {
		n = conf_json_push(x, "interfaces");
		if (!json_is_object(v))
			rc = conf_json_fail(
				x, v,
				"must be an object of interface name: "
				"port name");
		json_object_foreach(v, key, w) {
			size_t m;
			int idx;

			if (rc != 0)
				break;
			m = conf_json_push(x, key);
			idx = json_is_string(w) ?
			      conf_port_index(c, json_string_value(w)) : -1;
			if (strlen(key) >= CONF_IFNAME_SIZE)
				rc = conf_json_fail(
					x, NULL,
					"interface name longer than "
					"%d characters",
					CONF_IFNAME_SIZE - 1);
			else if (idx < 0)
				rc = conf_json_fail(x, w,
						    "no port of that name");
			else if (f->n_ifaliases == CONF_MAX_IFALIASES)
				rc = conf_json_fail(
					x, NULL, "at most %d interface names",
					CONF_MAX_IFALIASES);
			else {
				snprintf(f->ifaliases[f->n_ifaliases].name,
					 CONF_IFNAME_SIZE, "%s", key);
				f->ifaliases[f->n_ifaliases++].port =
					(uint16_t)idx;
			}
			conf_json_pop(x, m);
		}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	/* More chain names for the built-in chains: "zone_lan": "forward". */
	v = json_object_get(o, "chains");
	if (v != NULL) {
		n = conf_json_push(x, "chains");
		if (!json_is_object(v))
			rc = conf_json_fail(x, v,
					    "must be an object of chain name: "
					    "input, forward or output");
		json_object_foreach(v, key, w) {
			size_t m;

			if (rc != 0)
				break;
			m = conf_json_push(x, key);
			if (!json_is_string(w) ||
			    fw_aliases_add(&f->rs->aliases, key,
					   json_string_value(w), &e) != 0)
				rc = conf_json_fail(x, w, "%s",
						    json_is_string(w) ? e.msg :
						    "must be a string");
			conf_json_pop(x, m);
		}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	v = json_object_get(o, "rules");
	if (v != NULL) {
		n = conf_json_push(x, "rules");
		if (!json_is_array(v))
			rc = conf_json_fail(
				x, v,
				"must be a list of ip6tables rule lines "
				"or rule objects");
		json_array_foreach(v, i, w) {
			size_t m;

			if (rc != 0)
				break;
			m = conf_json_push_idx(x, i);
			if (json_is_string(w)) {
				/* Errors carry the column: "column 23: ..." */
				if (fw_ruleset_apply_line(f->rs,
						json_string_value(w), &e) != 0)
					rc = conf_json_fail(x, NULL, "%s",
							    e.msg);
			} else {
				rc = read_fw_object(x, w, f->rs);
			}
			conf_json_pop(x, m);
		}
		conf_json_pop(x, n);
		if (rc != 0)
			return rc;
	}
	v = json_object_get(o, "conntrack");
	if (v != NULL) {
		n = conf_json_push(x, "conntrack");
		if ((rc = conf_json_object(x, v)) != 0 ||
		    (rc = conf_json_keys(x, v, ct_keys)) != 0 ||
		    (rc = conf_json_uint(x, v, "max_entries", 64, 1u << 24,
				   &f->conn.capacity)) != 0 ||
		    (rc = conf_json_uint(x, v, "tcp_syn", 1, 604800,
				   &f->conn.tcp_syn)) != 0 ||
		    (rc = conf_json_uint(x, v, "tcp_est", 60, 604800,
				   &f->conn.tcp_est)) != 0 ||
		    (rc = conf_json_uint(x, v, "tcp_close", 1, 604800,
				   &f->conn.tcp_close)) != 0 ||
		    (rc = conf_json_uint(x, v, "udp", 1, 604800,
				   &f->conn.udp)) != 0 ||
		    (rc = conf_json_uint(x, v, "udp_unreplied", 1, 604800,
				   &f->conn.udp_unreplied)) != 0 ||
		    (rc = conf_json_uint(x, v, "icmp", 1, 604800,
				   &f->conn.icmp)) != 0 ||
		    (rc = conf_json_uint(x, v, "other", 1, 604800,
				   &f->conn.other)) != 0) {
			conf_json_pop(x, n);
			return rc;
		}
		conf_json_pop(x, n);
	}
	f->enabled = 1;
	return 0;
}

/*
 * One EAMT entry (RFC 7757 section 3.1): two prefixes whose suffixes are
 * equally long, so the host bits carry across unchanged. Overlapping
 * entries are fine (the longest prefix wins, section 3.2), but the same
 * prefix twice on either side would make the mapping ambiguous.
 */
static int
read_eam(struct conf_json *x, json_t *o, const struct conf *c,
	 struct conf_eam *e)
{
	static const char *const keys[] = { "ipv6", "ipv4", NULL };
	/* read_list() fills c->siit.eamt in place: 'e' is entry i. */
	size_t i = (size_t)(e - c->siit.eamt), j, n;
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	if ((rc = get_prefix(x, o, "ipv6", 1, 6, NULL, &e->p6, NULL)) != 0 ||
	    (rc = get_prefix(x, o, "ipv4", 1, 4, &e->p4, NULL, NULL)) != 0)
		return rc;
	if (128 - e->p6.len != 32 - e->p4.len)
		return conf_json_fail(
			x, o, "ipv6 /%u leaves %u bits but ipv4 /%u leaves %u",
			e->p6.len, 128 - e->p6.len, e->p4.len, 32 - e->p4.len);
	for (j = 0; j < i; j++) {
		const struct conf_eam *d = &c->siit.eamt[j];
		const char *key = NULL;

		if (d->p4.addr == e->p4.addr && d->p4.len == e->p4.len)
			key = "ipv4";
		else if (d->p6.len == e->p6.len &&
			 memcmp(d->p6.addr, e->p6.addr, 16) == 0)
			key = "ipv6";
		if (key != NULL) {
			n = conf_json_push(x, key);
			rc = conf_json_fail(x, json_object_get(o, key),
				  "same prefix as siit.eamt[%zu].%s", j, key);
			conf_json_pop(x, n);
			return rc;
		}
	}
	return 0;
}

static int
eam_fn(struct conf_json *x, json_t *v, const struct conf *c, void *e)
{
	return read_eam(x, v, c, e);
}

/*
 * RFC 6791: IPv4 sources for the ICMPv6 errors of IPv6 routers whose
 * addresses do not translate. A plain address is a /32.
 */
static int
read_rfc6791v4(struct conf_json *x, json_t *o, struct conf_siit *s)
{
	json_t *arr = json_object_get(o, "rfc6791v4"), *v;
	size_t n = conf_json_push(x, "rfc6791v4"), i;
	int rc = 0;

	if (arr == NULL || json_is_null(arr))
		goto out;
	if (!json_is_array(arr)) {
		rc = conf_json_fail(
			x, arr, "must be a list of IPv4 addresses or prefixes");
		goto out;
	}
	if (json_array_size(arr) > CONF_MAX_RFC6791) {
		rc = conf_json_fail(x, NULL, "at most %d entries",
				    CONF_MAX_RFC6791);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		size_t m = conf_json_push_idx(x, i);
		struct pkt_pfx4 *p = &s->rfc6791v4[i];
		const char *str = json_string_value(v);

		if (str == NULL)
			rc = conf_json_fail(x, v, "must be a string");
		else if (conf_parse_pfx4(str, p) != 0)
			rc = conf_json_fail(x, v,
					    "not an IPv4 address or prefix");
		else if (p->len == 0)
			rc = conf_json_fail(x, v,
					    "prefix length must be 1..32");
		else if (p->addr & ~pkt_mask4(p->len))
			rc = conf_json_fail(x, v, "host bits set beyond /%u",
					    p->len);
		conf_json_pop(x, m);
		if (rc != 0)
			goto out;
	}
	s->n_rfc6791v4 = (unsigned int)json_array_size(arr);
out:
	conf_json_pop(x, n);
	return rc;
}

static int
cmp_desc16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)b - (int)*(const uint16_t *)a;
}

/*
 * RFC 1191 section 7 plateaus, for the MTU of an ICMPv4 "fragmentation
 * needed" that carries none (RFC 7915 section 4.2, type 3 code 4): any
 * order in the file, stored descending without duplicates.
 */
static int
read_plateaus(struct conf_json *x, json_t *o, struct conf_siit *s)
{
	uint16_t p[CONF_MAX_PLATEAUS];
	json_t *arr = json_object_get(o, "mtu_plateaus"), *v;
	size_t n = conf_json_push(x, "mtu_plateaus"), i, k;
	int rc = 0;

	if (arr == NULL)
		goto out;	/* keep the default table */
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		rc = conf_json_fail(x, arr, "must be a non-empty list of MTUs");
		goto out;
	}
	if (json_array_size(arr) > CONF_MAX_PLATEAUS) {
		rc = conf_json_fail(x, NULL, "at most %d MTUs",
				    CONF_MAX_PLATEAUS);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		size_t m = conf_json_push_idx(x, i);

		/* 68: the smallest IPv4 MTU (RFC 791). */
		if (!json_is_integer(v))
			rc = conf_json_fail(x, v, "must be an integer");
		else if (json_integer_value(v) < 68 ||
			 json_integer_value(v) > 65535)
			rc = conf_json_fail(x, v,
					    "must be between 68 and 65535");
		else
			p[i] = (uint16_t)json_integer_value(v);
		conf_json_pop(x, m);
		if (rc != 0)
			goto out;
	}
	qsort(p, json_array_size(arr), sizeof(p[0]), cmp_desc16);
	for (i = 0, k = 0; i < json_array_size(arr); i++)
		if (k == 0 || p[i] != s->mtu_plateaus[k - 1])
			s->mtu_plateaus[k++] = p[i];
	s->n_plateaus = (unsigned int)k;
out:
	conf_json_pop(x, n);
	return rc;
}

/* The RFC 7915 translator; a CLAT section uses it too. */
static int
read_siit(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "pool6", "eamt", "rfc6791v4",
		"rfc6791v6", "lowest_ipv6_mtu", "mtu_plateaus",
		"amend_udp_checksum_zero", "zeroize_traffic_class",
		"override_tos", NULL };
	struct conf_siit *s = &c->siit;
	unsigned int mtu = s->lowest_ipv6_mtu;
	json_t *v;
	int rc, have;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	/* null or absent: the EAMT alone (RFC 7757 section 3.2). */
	if ((rc = rfc6052_prefix(x, o, "pool6", 0, &s->pool6,
				 &s->has_pool6)) != 0)
		return rc;
	v = json_object_get(o, "eamt");
	if (v != NULL && !json_is_null(v) &&
	    (rc = read_list(x, o, "eamt", sizeof(struct conf_eam),
			    CONF_MAX_EAM, (void **)&s->eamt, &s->n_eamt, c,
			    eam_fn)) != 0)
		return rc;
	if ((rc = read_rfc6791v4(x, o, s)) != 0)
		return rc;
	if ((rc = get_prefix(x, o, "rfc6791v6", 0, 6, NULL, &s->rfc6791v6,
			     &have)) != 0)
		return rc;
	if (have && s->rfc6791v6.len == 0) {
		n = conf_json_push(x, "rfc6791v6");
		rc = conf_json_fail(x, json_object_get(o, "rfc6791v6"),
			  "prefix length must be 1..128");
		conf_json_pop(x, n);
		return rc;
	}
	s->has_rfc6791v6 = (uint8_t)have;
	/*
	 * RFC 7915 section 4 (DF=0 IPv4 is fragmented to fit); RFC 8200
	 * section 5: no IPv6 link is below 1280.
	 */
	if ((rc = conf_json_uint(x, o, "lowest_ipv6_mtu", PKT_IP6_MIN_MTU, 9000,
			   &mtu)) != 0)
		return rc;
	s->lowest_ipv6_mtu = (uint16_t)mtu;
	if ((rc = read_plateaus(x, o, s)) != 0 ||
	    (rc = conf_json_bool(x, o, "amend_udp_checksum_zero",
			   &s->amend_udp_checksum_zero)) != 0 ||
	    (rc = conf_json_bool(x, o, "zeroize_traffic_class",
			   &s->zeroize_traffic_class)) != 0)
		return rc;
	v = json_object_get(o, "override_tos");
	if (v != NULL && !json_is_null(v)) {
		unsigned int tos = 0;

		if ((rc = conf_json_uint(x, o, "override_tos", 0, 255,
					 &tos)) != 0)
			return rc;
		s->has_override_tos = 1;
		s->override_tos = (uint8_t)tos;
	}
	s->enabled = 1;
	return 0;
}

static int
read_workers(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "lcores", "burst",
		"idle_sleep_us", "mbufs", NULL };
	json_t *v;
	int rc;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	v = json_object_get(o, "lcores");
	if (v != NULL && !(json_is_string(v) &&
			   strcmp(json_string_value(v), "auto") == 0)) {
		if (json_is_string(v)) {
			n = conf_json_push(x, "lcores");
			rc = conf_json_fail(
				x, v,
				"must be \"auto\" or a number of workers");
			conf_json_pop(x, n);
			return rc;
		}
		if ((rc = conf_json_uint(x, o, "lcores", 1, 128,
				   &c->workers.lcores)) != 0)
			return rc;
	}
	if ((rc = conf_json_uint(x, o, "burst", 1, 256,
				 &c->workers.burst)) != 0 ||
	    (rc = conf_json_uint(x, o, "mbufs", 1024, 1u << 24,
				 &c->workers.mbufs)) != 0)
		return rc;
	return conf_json_uint(x, o, "idle_sleep_us", 0, 100000,
			&c->workers.idle_sleep_us);
}

/* rtm_protocol names as iproute2's /etc/iproute2/rt_protos has them. */
static const struct {
	const char *name;
	unsigned int n;
} rt_protos[] = {
	{ "redirect", 1 }, { "kernel", 2 }, { "boot", 3 }, { "static", 4 },
	{ "ra", 9 }, { "dhcp", 16 }, { "zebra", 11 }, { "bird", 12 },
	{ "babel", 42 }, { "bgp", 186 }, { "isis", 187 }, { "ospf", 188 },
	{ "rip", 189 },
};

static int
read_kroutes(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "table", "protocols", NULL };
	struct conf_kernel_routes *k = &c->kernel_routes;
	json_t *arr, *v;
	size_t n, i, j;
	int rc = 0;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	k->enabled = 1;
	k->table = 254;		/* RT_TABLE_MAIN */
	if ((rc = conf_json_uint(x, o, "table", 1, 0xfffffffeu,
				 &k->table)) != 0)
		return rc;
	arr = json_object_get(o, "protocols");
	if (arr == NULL) {
		/* Everything but the kernel's own (connected) routes and
		 * redirects. */
		memset(k->protos, 0xff, sizeof(k->protos));
		k->protos[0] &= (uint8_t)~((1u << 1) | (1u << 2));
		return 0;
	}
	n = conf_json_push(x, "protocols");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		rc = conf_json_fail(
			x, arr,
			"must be a non-empty list of protocol names "
			"or numbers");
	json_array_foreach(arr, i, v) {
		size_t m;
		long p = -1;

		if (rc != 0)
			break;
		m = conf_json_push_idx(x, i);
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= 255)
			p = (long)json_integer_value(v);
		for (j = 0; p < 0 && json_is_string(v) &&
		     j < sizeof(rt_protos) / sizeof(rt_protos[0]); j++)
			if (strcmp(json_string_value(v), rt_protos[j].name) ==
			    0)
				p = rt_protos[j].n;
		if (p < 0)
			rc = conf_json_fail(
				x, v,
				"not a route protocol (a name of "
				"/etc/iproute2/rt_protos such as babel, "
				"static, boot, or 0..255)");
		else
			k->protos[p / 8] |= (uint8_t)(1u << (p % 8));
		conf_json_pop(x, m);
	}
	conf_json_pop(x, n);
	return rc;
}

/* A /96 prefix at 'key' of 'o' into 'out'. */
static int
get_pfx96(struct conf_json *x, json_t *o, const char *key, uint8_t *out)
{
	char buf[64];
	struct pkt_pfx6 p;
	size_t n;
	int rc;

	if ((rc = conf_json_str(x, o, key, 1, buf, sizeof(buf), NULL)) != 0)
		return rc;
	n = conf_json_push(x, key);
	if (conf_parse_pfx6(buf, &p) != 0 || p.len != 96)
		rc = conf_json_fail(x, json_object_get(o, key),
				    "must be an IPv6 /96");
	else
		memcpy(out, p.addr, 16);
	conf_json_pop(x, n);
	return rc;
}

static int
read_roam_entry(struct conf_json *x, json_t *o, struct conf *c,
		struct conf_roam_entry *e)
{
	static const char *const keys[] = { "kind", "client", "plat", "from",
		"to", "lease", NULL };
	char kind[8];
	uint8_t scratch6[16];
	int rc, fam;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0 ||
	    (rc = conf_json_str(x, o, "kind", 1, kind, sizeof(kind),
				NULL)) != 0)
		return rc;
	n = conf_json_push(x, "kind");
	if (strcmp(kind, "clat") != 0 && strcmp(kind, "plat") != 0)
		rc = conf_json_fail(x, json_object_get(o, "kind"),
				    "must be \"clat\" or "
				    "\"plat\"");
	conf_json_pop(x, n);
	if (rc != 0 ||
	    (rc = get_any_addr(x, o, "client", &e->client, scratch6,
			       &fam)) != 0)
		return rc;
	if (fam != 4) {
		n = conf_json_push(x, "client");
		rc = conf_json_fail(x, json_object_get(o, "client"),
				    "not an IPv4 address");
		conf_json_pop(x, n);
		return rc;
	}
	e->client = htonl(e->client);
	e->is_plat = kind[0] == 'p';
	e->lease = c->roam.max_lease;
	if ((rc = conf_json_uint(x, o, "lease", 1, c->roam.max_lease,
			   &e->lease)) != 0)
		return rc;
	if (!e->is_plat)
		return get_pfx96(x, o, "plat", e->a);
	if ((rc = get_pfx96(x, o, "from", e->a)) != 0)
		return rc;
	return get_pfx96(x, o, "to", e->b);
}

static int
read_roam(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "max_entries", "max_lease",
		"pin_recent", "pin_lease", "entries", NULL };
	json_t *arr, *v;
	size_t n, i;
	int rc;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	c->roam.enabled = 1;
	if ((rc = conf_json_uint(x, o, "max_entries", 1, 1u << 22,
			   &c->roam.max_entries)) != 0 ||
	    (rc = conf_json_uint(x, o, "max_lease", 1, 30 * 86400,
			   &c->roam.max_lease)) != 0 ||
	    (rc = conf_json_uint(x, o, "pin_recent", 0, 86400,
			   &c->roam.pin_recent)) != 0)
		return rc;
	if ((rc = conf_json_uint(x, o, "pin_lease", 1, 30 * 86400,
			   &c->roam.pin_lease)) != 0)
		return rc;
	arr = json_object_get(o, "entries");
	if (arr == NULL)
		return 0;
	n = conf_json_push(x, "entries");
	if (!json_is_array(arr))
		rc = conf_json_fail(x, arr, "must be a list");
	else if (json_array_size(arr) > CONF_ROAM_STATIC_MAX)
		rc = conf_json_fail(
			x, NULL, "at most %d entries (add more with roam.add)",
			CONF_ROAM_STATIC_MAX);
	json_array_foreach(arr, i, v) {
		size_t m;

		if (rc != 0)
			break;
		m = conf_json_push_idx(x, i);
		rc = read_roam_entry(x, v, c, &c->roam.entries[i]);
		conf_json_pop(x, m);
		c->roam.n_entries = (unsigned int)i + 1;
	}
	conf_json_pop(x, n);
	return rc;
}

static int
read_control(struct conf_json *x, json_t *o, struct conf *c)
{
	static const char *const keys[] = { "socket", "mode", "group",
		"max_clients", NULL };
	char mode[8] = "";
	char *end;
	int rc, have;
	size_t n;

	if ((rc = conf_json_object(x, o)) != 0 ||
	    (rc = conf_json_keys(x, o, keys)) != 0)
		return rc;
	c->control.enabled = 1;
	if ((rc = conf_json_str(x, o, "socket", 0, c->control.socket,
				sizeof(c->control.socket), NULL)) != 0 ||
	    (rc = conf_json_str(x, o, "group", 0, c->control.group,
				sizeof(c->control.group), NULL)) != 0 ||
	    (rc = conf_json_uint(x, o, "max_clients", 1, 1024,
				 &c->control.max_clients)) != 0 ||
	    (rc = conf_json_str(x, o, "mode", 0, mode, sizeof(mode),
				&have)) != 0)
		return rc;
	if (c->control.socket[0] != '/') {
		n = conf_json_push(x, "socket");
		rc = conf_json_fail(x, json_object_get(o, "socket"),
			  "must be an absolute path");
		conf_json_pop(x, n);
		return rc;
	}
	if (!have)
		return 0;
	n = conf_json_push(x, "mode");
	c->control.mode = (unsigned int)strtoul(mode, &end, 8);
	if (*end != '\0' || c->control.mode > 0777)
		rc = conf_json_fail(x, json_object_get(o, "mode"),
			  "must be an octal file mode such as \"0660\"");
	conf_json_pop(x, n);
	return rc;
}

/*
 * What the siit section translates between. Without a clat section it is
 * a plain RFC 7915 translator between a lan4 and a mesh6 port; with one,
 * the CLAT's PLAT prefix is the pool6 (RFC 6877) and a
 * different siit.pool6 would be a second, contradicting answer.
 */
static int
validate_siit(struct conf_json *x, json_t *root, const struct conf *c)
{
	const struct conf_siit *s = &c->siit;
	json_t *pool6 = json_object_get(json_object_get(root, "siit"), "pool6");
	int lan4 = 0, mesh6 = 0;
	unsigned int i;

	if (!s->enabled)
		return 0;
	if (c->clat.enabled) {
		if (!s->has_pool6)
			return 0;
		snprintf(x->path, sizeof(x->path), "siit.pool6");
		if (!c->clat.has_plat_prefix)
			return conf_json_fail(x, pool6,
					      "must be absent when the CLAT "
					      "chooses its PLAT at run time");
		if (s->pool6.len != c->clat.plat_prefix.len ||
		    memcmp(s->pool6.addr, c->clat.plat_prefix.addr, 16) != 0)
			return conf_json_fail(
				x, pool6,
				"must be absent or equal to "
				"clat.plat_prefix: the CLAT's PLAT prefix "
				"is its pool6");
		return 0;
	}
	if (!s->has_pool6 && s->n_eamt == 0) {
		snprintf(x->path, sizeof(x->path), "siit");
		return conf_json_fail(
			x, NULL, "nothing to translate: give pool6 or eamt");
	}
	for (i = 0; i < c->n_ports; i++) {
		lan4 |= c->ports[i].role == CONF_ROLE_LAN4;
		mesh6 |= c->ports[i].role == CONF_ROLE_MESH6;
	}
	if (!lan4 || !mesh6) {
		snprintf(x->path, sizeof(x->path), "ports");
		return conf_json_fail(
			x, NULL,
			"no port with role %s: siit without clat "
			"translates between a lan4 and a mesh6 port",
			lan4 ? "mesh6" : "lan4");
	}
	return 0;
}

/* Cross-section checks that need every section read. */
static int
validate(struct conf_json *x, json_t *root, struct conf *c)
{
	unsigned int i, j, k;
	int rc;

	for (i = 0; i < c->n_ports; i++) {
		const struct conf_port *p = &c->ports[i];

		for (j = 0; j < p->n_ip4; j++) {
			uint32_t a = p->ip4[j].addr,
				 m = pkt_mask4(p->ip4[j].len);

			if (p->ip4[j].len < 31 &&
			    ((a & ~m) == 0 || (a & ~m) == ~m)) {
				snprintf(x->path, sizeof(x->path),
					 "ports[%u].ipv4[%u]", i, j);
				return conf_json_fail(
					x, NULL,
					"\"%u.%u.%u.%u/%u\": the "
					"network or broadcast address of "
					"its subnet",
					a >> 24, (a >> 16) & 0xff,
					(a >> 8) & 0xff, a & 0xff,
					p->ip4[j].len);
			}
			for (k = 0; k < c->n_ports; k++) {
				unsigned int l;

				for (l = 0; l < c->ports[k].n_ip4; l++) {
					if ((k != i || l != j) &&
					    c->ports[k].ip4[l].addr == a) {
						snprintf(x->path,
							 sizeof(x->path),
							 "ports[%u].ipv4[%u]",
							 i, j);
						return conf_json_fail(
							x, NULL,
							"\"%u.%u.%u.%u\""
							": address used "
							"twice",
							a >> 24,
							(a >> 16) & 0xff,
							(a >> 8) & 0xff,
							a & 0xff);
					}
				}
			}
		}
	}
	if ((rc = validate_siit(x, root, c)) != 0)
		return rc;
	x->path[0] = '\0';
	return 0;
}

static void
set_defaults(struct conf *c)
{
	/* RFC 1191 section 7, table 7-1: the plateaus in use. */
	static const uint16_t plateaus[] = { 65535, 32000, 17914, 8166, 4352,
		2002, 1492, 1006, 508, 296, 68 };

	/* The CLAT runs the siit engine too, with or without a section. */
	c->siit.lowest_ipv6_mtu = PKT_IP6_MIN_MTU;
	/* RFC 7915 4.5: an unfragmented UDP datagram without checksum
	 * SHOULD get one computed; false drops them, as Jool's default. */
	c->siit.amend_udp_checksum_zero = 1;
	memcpy(c->siit.mtu_plateaus, plateaus, sizeof(plateaus));
	c->siit.n_plateaus = sizeof(plateaus) / sizeof(plateaus[0]);
	c->workers.burst = 32;
	snprintf(c->control.socket, sizeof(c->control.socket),
		 "/run/meshxlat/ctl.sock");
	c->control.mode = 0660;
	c->control.max_clients = 128;
	/* RFC 6146 section 4 defaults; seed 003's block of 64 ports. */
	c->plat.max_sessions = 1u << 20;
	c->plat.max_sessions_per_client = 2048;
	c->plat.block_size = 64;
	c->plat.max_held_syns = 256;
	c->plat.t_udp = 300;
	c->plat.t_tcp_est = 7440;
	c->plat.t_tcp_trans = 240;
	c->plat.t_syn_hold = 6;
	c->plat.t_icmp = 60;
	c->roam.max_entries = 65536;
	c->roam.max_lease = 86400;
	c->roam.pin_recent = 600;
	c->roam.pin_lease = 3600;
}

static int
load(json_t *root, struct conf **out, char *err)
{
	static const char *const keys[] = { "ports", "routes", "neighbours",
		"siit", "clat", "plat", "firewall", "roam", "kernel_routes",
		"control", "workers", NULL };
	struct conf_json x = { .err = err, .err_size = CONF_ERR_SIZE };
	struct conf *c;
	json_t *v;
	size_t n;
	int rc;

	if (!json_is_object(root)) {
		rc = conf_json_fail(&x, NULL,
				    "the config must be a JSON object");
		goto out_json;
	}
	if ((rc = conf_json_keys(&x, root, keys)) != 0)
		goto out_json;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rc = -ENOMEM;
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		goto out_json;
	}
	set_defaults(c);

	n = conf_json_push(&x, "ports");
	rc = read_ports(&x, json_object_get(root, "ports"), c);
	conf_json_pop(&x, n);
	if (rc != 0)
		goto out_free;
	if ((rc = read_list(&x, root, "routes", sizeof(struct conf_route),
			    65536, (void **)&c->routes, &c->n_routes, c,
			    route_fn)) != 0 ||
	    (rc = read_list(&x, root, "neighbours", sizeof(struct conf_neigh),
			    4096, (void **)&c->neighs, &c->n_neighs, c,
			    neigh_fn)) != 0)
		goto out_free;

	struct {
		const char *key;
		int (*fn)(struct conf_json *, json_t *, struct conf *);
	} sections[] = {
		{ "siit", read_siit }, { "clat", read_clat },
		{ "plat", read_plat }, { "firewall", read_firewall },
		{ "roam", read_roam }, { "kernel_routes", read_kroutes },
		{ "workers", read_workers },
		{ "control", read_control },
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		v = json_object_get(root, sections[i].key);
		if (v == NULL)
			continue;
		n = conf_json_push(&x, sections[i].key);
		rc = sections[i].fn(&x, v, c);
		conf_json_pop(&x, n);
		if (rc != 0)
			goto out_free;
	}
	if ((rc = validate(&x, root, c)) != 0)
		goto out_free;
	json_decref(root);
	*out = c;
	return 0;

out_free:
	conf_free(c);
out_json:
	json_decref(root);
	return rc;
}

int
conf_load_file(const char *path, struct conf **out, char *err)
{
	json_error_t je;
	json_t *root;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, CONF_ERR_SIZE, "%s:%d:%d: %s", path, je.line,
			 je.column, je.text);
		return -EINVAL;
	}
	return load(root, out, err);
}

int
conf_load_string(const char *json, const char *name, struct conf **out,
		 char *err)
{
	json_error_t je;
	json_t *root;

	root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, CONF_ERR_SIZE, "%s:%d:%d: %s", name, je.line,
			 je.column, je.text);
		return -EINVAL;
	}
	return load(root, out, err);
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->routes);
	free(c->neighs);
	free(c->siit.eamt);
	free(c->plat.static_bib);
	fw_ruleset_free(c->firewall.rs);
	free(c);
}

static int
dup_array(void **dst, const void *src, size_t n, size_t elem)
{
	*dst = NULL;
	if (n == 0 || src == NULL)
		return 0;
	*dst = malloc(n * elem);
	if (*dst == NULL)
		return -ENOMEM;
	memcpy(*dst, src, n * elem);
	return 0;
}

struct conf *
conf_dup(const struct conf *c)
{
	struct conf *d = malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	*d = *c;
	d->routes = NULL;
	d->neighs = NULL;
	d->siit.eamt = NULL;
	d->plat.static_bib = NULL;
	d->firewall.rs = NULL;
	if (c->firewall.rs != NULL &&
	    (d->firewall.rs = fw_ruleset_copy(c->firewall.rs)) == NULL) {
		conf_free(d);
		return NULL;
	}
	if (dup_array((void **)&d->plat.static_bib, c->plat.static_bib,
		      c->plat.n_static, sizeof(*c->plat.static_bib)) != 0 ||
	    dup_array((void **)&d->routes, c->routes, c->n_routes,
		      sizeof(*c->routes)) != 0 ||
	    dup_array((void **)&d->neighs, c->neighs, c->n_neighs,
		      sizeof(*c->neighs)) != 0 ||
	    dup_array((void **)&d->siit.eamt, c->siit.eamt, c->siit.n_eamt,
		      sizeof(*c->siit.eamt)) != 0) {
		conf_free(d);
		return NULL;
	}
	return d;
}

int
conf_port_index(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_ports; i++)
		if (strcmp(c->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}
