/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes and addresses from the kernel (the `kernel_routes` section): what
 * a routing daemon such as babeld installs through the ports' kernel
 * mirror interfaces becomes a route of the data path, and an address the
 * kernel holds on a mirror becomes an address of the box that meshxlat
 * delivers to the kernel. So babeld, and agents that listen on their own
 * addresses, run unchanged beside a poll-mode data plane (the idea of
 * fd.io VPP's linux-cp plugin, done small).
 *
 * The main lcore listens on rtnetlink (RTMGRP_*_ROUTE and *_IFADDR) without
 * blocking, keeps the imported set, and applies it as a config transaction
 * (mx_ctl_apply, which merges it into every config it builds) at most
 * every MIN_GAP seconds, so a burst of route changes costs one rebuild.
 * Imported routes are marked conf_route.kernel and never written back.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "ctl.h"
#include "mx.h"

#define KR_MAX		16384	/* imported routes and addresses */
#define MIN_GAP		0.1	/* seconds between two rebuilds */
#define READS_PER_POLL	64	/* netlink messages read per control turn */

static struct {
	int fd;				/* events, -1: off */
	int ifindex[CONF_MAX_PORTS];	/* of each port's mirror, 0: none */
	struct conf_route *r;		/* the imported set */
	unsigned int n;
	int dirty;
	double last;
	uint64_t imported, ignored, errors;
} kr = { .fd = -1 };

static int
port_of_ifindex(int idx)
{
	unsigned int i;

	for (i = 0; i < CONF_MAX_PORTS; i++)
		if (kr.ifindex[i] != 0 && kr.ifindex[i] == idx)
			return (int)i;
	return -1;
}

static int
same_key(const struct conf_route *a, const struct conf_route *b)
{
	if (a->family != b->family || a->local != b->local)
		return 0;
	if (a->family == 4)
		return a->pfx4.addr == b->pfx4.addr && a->pfx4.len == b->pfx4.len;
	return a->pfx6.len == b->pfx6.len &&
	       memcmp(a->pfx6.addr, b->pfx6.addr, 16) == 0;
}

/* Add or replace ('add'), or delete, 'e' in the imported set. */
static void
update(const struct conf_route *e, int add)
{
	unsigned int i;

	for (i = 0; i < kr.n; i++)
		if (same_key(&kr.r[i], e))
			break;
	if (!add) {
		if (i == kr.n)
			return;
		kr.r[i] = kr.r[--kr.n];
		kr.dirty = 1;
		return;
	}
	if (i < kr.n) {
		if (memcmp(&kr.r[i], e, sizeof(*e)) != 0) {
			kr.r[i] = *e;
			kr.dirty = 1;
		}
		return;
	}
	if (kr.n == KR_MAX) {
		kr.ignored++;
		return;
	}
	kr.r[kr.n++] = *e;
	kr.imported++;
	kr.dirty = 1;
}

static int
want_proto(const struct conf_kernel_routes *k, unsigned int p)
{
	return (k->protos[p / 8] >> (p % 8)) & 1;
}

static void
on_route(const struct conf *c, const struct nlmsghdr *h)
{
	const struct rtmsg *rm = NLMSG_DATA(h);
	int len = (int)RTM_PAYLOAD(h), port = -1;
	const struct rtattr *a;
	const void *dst = NULL, *gw = NULL;
	unsigned int table = rm->rtm_table, alen;
	struct conf_route e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rm)) ||
	    (rm->rtm_family != AF_INET && rm->rtm_family != AF_INET6))
		return;
	alen = rm->rtm_family == AF_INET ? 4 : 16;
	for (a = RTM_RTA(rm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_DST:
			/* A short attribute is a malformed message: taken as
			 * no address, the route is dropped below. */
			dst = RTA_PAYLOAD(a) >= alen ? RTA_DATA(a) : NULL;
			if (dst == NULL)
				return;
			break;
		case RTA_GATEWAY:
			gw = RTA_PAYLOAD(a) >= alen ? RTA_DATA(a) : NULL;
			if (gw == NULL)
				return;
			break;
		case RTA_OIF:
			if (RTA_PAYLOAD(a) >= sizeof(int))
				port = port_of_ifindex(*(const int *)RTA_DATA(a));
			break;
		case RTA_TABLE:
			if (RTA_PAYLOAD(a) >= sizeof(uint32_t))
				table = *(const uint32_t *)RTA_DATA(a);
			break;
		}
	}
	/* Unicast routes of the table asked for, through a mirror, by a
	 * protocol asked for; multipath routes (no RTA_OIF) are not. */
	if (port < 0 || table != c->kernel_routes.table ||
	    rm->rtm_type != RTN_UNICAST ||
	    !want_proto(&c->kernel_routes, rm->rtm_protocol))
		return;
	memset(&e, 0, sizeof(e));
	e.family = rm->rtm_family == AF_INET ? 4 : 6;
	e.port = (uint16_t)port;
	e.kernel = 1;
	if (e.family == 4) {
		uint32_t v = 0;

		if (rm->rtm_dst_len > 32)
			return;
		if (dst != NULL)
			memcpy(&v, dst, 4);
		e.pfx4.addr = ntohl(v) & pkt_mask4(rm->rtm_dst_len);
		e.pfx4.len = rm->rtm_dst_len;
		if (gw != NULL) {
			memcpy(&v, gw, 4);
			e.via4 = ntohl(v);
			e.has_via = 1;
		}
	} else {
		if (rm->rtm_dst_len > 128)
			return;
		if (dst != NULL)
			memcpy(e.pfx6.addr, dst, 16);
		/* The kernel's link-local and multicast routes of every
		 * interface are not the mesh's. */
		if (pkt_ip6_is_linklocal(e.pfx6.addr) ||
		    pkt_ip6_is_multicast(e.pfx6.addr))
			return;
		e.pfx6.len = rm->rtm_dst_len;
		if (gw != NULL) {
			memcpy(e.via6, gw, 16);
			e.has_via = 1;
		}
	}
	update(&e, h->nlmsg_type == RTM_NEWROUTE);
}

static void
on_addr(const struct nlmsghdr *h)
{
	const struct ifaddrmsg *am = NLMSG_DATA(h);
	int len = (int)IFA_PAYLOAD(h), port;
	const struct rtattr *a;
	const void *addr = NULL, *local = NULL;
	struct conf_route e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*am)) ||
	    (port = port_of_ifindex((int)am->ifa_index)) < 0)
		return;
	/* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer's on a
	 * point-to-point link, and the only one IPv6 usually sends. */
	for (a = IFA_RTA(am); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (RTA_PAYLOAD(a) < (am->ifa_family == AF_INET ? 4u : 16u))
			continue;
		if (a->rta_type == IFA_LOCAL)
			local = RTA_DATA(a);
		else if (a->rta_type == IFA_ADDRESS)
			addr = RTA_DATA(a);
	}
	if (local != NULL)
		addr = local;
	if (addr == NULL)
		return;
	memset(&e, 0, sizeof(e));
	e.port = (uint16_t)port;
	e.kernel = 1;
	e.local = 1;
	if (am->ifa_family == AF_INET) {
		uint32_t v;

		memcpy(&v, addr, 4);
		e.family = 4;
		e.pfx4.addr = ntohl(v);
		e.pfx4.len = 32;
	} else if (am->ifa_family == AF_INET6) {
		e.family = 6;
		memcpy(e.pfx6.addr, addr, 16);
		e.pfx6.len = 128;
		/* Its link-local address is the port's own already. */
		if (pkt_ip6_is_linklocal(e.pfx6.addr))
			return;
	} else {
		return;
	}
	update(&e, h->nlmsg_type == RTM_NEWADDR);
}

/* Take in what 'n' bytes of netlink messages say; 1 at NLMSG_DONE. */
static int
parse(const struct conf *c, const void *buf, size_t n)
{
	const struct nlmsghdr *h;
	int len = (int)n;

	/* NLMSG_NEXT can leave 'len' below zero after a last message that
	 * is not aligned: NLMSG_OK must not see it as a huge unsigned. */
	for (h = buf; len > 0 && NLMSG_OK(h, (unsigned int)len);
	     h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			kr.errors++;	/* counted; the next change resyncs */
		switch (h->nlmsg_type) {
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR:
			kr.errors++;
			return 1;
		case RTM_NEWROUTE:
		case RTM_DELROUTE:
			on_route(c, h);
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			on_addr(h);
			break;
		}
	}
	return 0;
}

/* A whole dump of 'type' for 'family', on its own socket (blocking, at
 * start only). */
static int
dump(const struct conf *c, int type, int family, char *err)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req;
	static char buf[1 << 16];
	int fd, done = 0, rounds = 0;
	ssize_t got;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		snprintf(err, CONF_ERR_SIZE, "kernel_routes: netlink: %s",
			 strerror(errno));
		return -errno;
	}
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = (uint16_t)type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	req.g.rtgen_family = (unsigned char)family;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		snprintf(err, CONF_ERR_SIZE, "kernel_routes: netlink dump: %s",
			 strerror(errno));
		close(fd);
		return -EIO;
	}
	/* A dump ends with NLMSG_DONE; bound the reads all the same. */
	while (!done && rounds++ < 100000 &&
	       (got = recv(fd, buf, sizeof(buf), 0)) > 0)
		done = parse(c, buf, (size_t)got);
	close(fd);
	return 0;
}

int
mx_kroute_init(struct mx_ctl *x, char *err)
{
	const struct conf *c = x->dp->snap->conf;
	struct sockaddr_nl sa;
	unsigned int i;
	int rc;

	if (!c->kernel_routes.enabled)
		return 0;
	memset(kr.ifindex, 0, sizeof(kr.ifindex));
	for (i = 0; i < c->n_ports; i++)
		if (c->ports[i].kernel_mirror[0] != '\0')
			kr.ifindex[i] = (int)if_nametoindex(
				c->ports[i].kernel_mirror);
	kr.r = calloc(KR_MAX, sizeof(*kr.r));
	if (kr.r == NULL) {
		snprintf(err, CONF_ERR_SIZE, "kernel_routes: out of memory");
		return -ENOMEM;
	}
	kr.n = 0;
	/* Events first, then the dumps: a change between the two is seen
	 * twice, which update() takes in its stride. */
	kr.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_ROUTE);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE |
		       RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	if (kr.fd < 0 || bind(kr.fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(err, CONF_ERR_SIZE, "kernel_routes: netlink: %s",
			 strerror(errno));
		mx_kroute_fini();
		return -EIO;
	}
	if ((rc = dump(c, RTM_GETADDR, AF_UNSPEC, err)) != 0 ||
	    (rc = dump(c, RTM_GETROUTE, AF_INET, err)) != 0 ||
	    (rc = dump(c, RTM_GETROUTE, AF_INET6, err)) != 0) {
		mx_kroute_fini();
		return rc;
	}
	kr.dirty = 1;
	mx_kroute_poll(x);
	return 0;
}

void
mx_kroute_fini(void)
{
	if (kr.fd >= 0)
		close(kr.fd);
	kr.fd = -1;
	free(kr.r);
	kr.r = NULL;
	kr.n = 0;
}

int
mx_kroute_merge(struct conf *c, char *err)
{
	struct conf_route *r;
	unsigned int i, n = 0;

	if (kr.fd < 0)
		return 0;
	r = calloc(c->n_routes + kr.n + 1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, CONF_ERR_SIZE, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < c->n_routes; i++)
		if (!c->routes[i].kernel)
			r[n++] = c->routes[i];
	memcpy(r + n, kr.r, kr.n * sizeof(*r));
	free(c->routes);
	c->routes = r;
	c->n_routes = n + kr.n;
	return 0;
}

void
mx_kroute_poll(struct mx_ctl *x)
{
	static char buf[1 << 16];
	char err[CONF_ERR_SIZE];
	struct conf *c;
	double now;
	ssize_t got;
	int i;

	if (kr.fd < 0)
		return;
	for (i = 0; i < READS_PER_POLL &&
	     (got = recv(kr.fd, buf, sizeof(buf), 0)) > 0; i++)
		parse(x->dp->snap->conf, buf, (size_t)got);
	now = mx_now();
	if (!kr.dirty || now - kr.last < MIN_GAP)
		return;
	kr.last = now;
	kr.dirty = 0;
	c = conf_dup(x->dp->snap->conf);
	if (c == NULL) {
		kr.errors++;
		kr.dirty = 1;
		return;
	}
	/* mx_ctl_apply merges the imported set. */
	if (mx_ctl_apply(x, c, err) != 0) {
		kr.errors++;
		fprintf(stderr, "meshxlat: kernel_routes: %s\n", err);
		conf_free(c);
	}
}

void
mx_kroute_stats(struct ctl_out *o)
{
	if (kr.fd < 0)
		return;
	ctl_out_obj(o, "kernel_routes");
	ctl_out_u64(o, "held", kr.n);
	ctl_out_u64(o, "imported", kr.imported);
	ctl_out_u64(o, "ignored_full", kr.ignored);
	ctl_out_u64(o, "errors", kr.errors);
	ctl_out_end(o);
}
