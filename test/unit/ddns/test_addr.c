/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/agents/ddns/addr.c: modified EUI-64 interface ids (RFC 4291
 * appendix A) for the seed's MAC and RFC 7042's documentation MACs, both
 * values of the universal/local bit; prefix + suffix; suffix strings; the
 * choice of the host's own address (seed 002's `ip -6 addr show primary
 * scope global`, with SLAAC renumbering's overlap: the newest wins), which
 * must not depend on dump order; and rtnetlink dumps taken apart from
 * bytes built here, including truncated and error messages.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "ddns.h"

static void
a6(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void
test_ddns_eui64_rfc4291_appendix_a(void **state)
{
	static const struct {
		uint8_t mac[6];
		const char *addr;	/* fe80:: + the id */
	} t[] = {
		/* the seeds' MAC: u/l bit 0 (universal) -> 1 */
		{ { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc },
		  "fe80::1034:56ff:fe78:9abc" },
		/* RFC 7042 section 2.1.2 documentation unicast MAC */
		{ { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 },
		  "fe80::200:5eff:fe00:5301" },
		/* a locally administered MAC: the bit goes to 0 */
		{ { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 },
		  "fe80::5eff:fe10:1" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  "fe80::fdff:ffff:feff:ffff" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t want[16], id[8];

		a6(t[i].addr, want);
		ddns_eui64(t[i].mac, id);
		assert_memory_equal(id, want + 8, 8);
	}
}

static void
test_ddns_compose_prefix_and_suffix(void **state)
{
	uint8_t p[16], s[8], out[16], want[16];

	(void)state;
	/* host bits in the "prefix" (a whole address) are ignored */
	a6("2001:db8:1111:2222:ffff:ffff:ffff:ffff", p);
	assert_int_equal(ddns_suffix_parse("::1234:5678:abcd:ef01", s), 0);
	ddns_compose(p, s, out);
	a6("2001:db8:1111:2222:1234:5678:abcd:ef01", want);
	assert_memory_equal(out, want, 16);
}

static void
test_ddns_suffix_parse(void **state)
{
	uint8_t s[8];
	static const uint8_t one[8] = { [7] = 1 };

	(void)state;
	assert_int_equal(ddns_suffix_parse("::1", s), 0);
	assert_memory_equal(s, one, 8);
	assert_int_equal(ddns_suffix_parse("::", s), 0);
	assert_int_equal(ddns_suffix_parse("0:0:0:0:1:2:3:4", s), 0);
	assert_int_equal(ddns_suffix_parse("::1:0:0:0:0", s), -EINVAL);
	assert_int_equal(ddns_suffix_parse("2001:db8::1", s), -EINVAL);
	assert_int_equal(ddns_suffix_parse("::1/64", s), -EINVAL);
	assert_int_equal(ddns_suffix_parse("1234:5678:abcd:ef01", s), -EINVAL);
	assert_int_equal(ddns_suffix_parse("", s), -EINVAL);
}

static struct ddns_ifaddr
ia(const char *addr, uint32_t flags, uint32_t preferred, uint32_t cstamp)
{
	struct ddns_ifaddr a = { .plen = 64, .scope = RT_SCOPE_UNIVERSE,
				 .flags = flags, .preferred = preferred,
				 .cstamp = cstamp };

	a6(addr, a.addr);
	return a;
}

/* pick over 'a' and over 'a' reversed: the same address both ways. */
static int
pick_both_orders(const struct ddns_ifaddr *a, unsigned int n)
{
	struct ddns_ifaddr r[16];
	unsigned int i;
	int p, q;

	assert_true(n <= 16);
	for (i = 0; i < n; i++)
		r[i] = a[n - 1 - i];
	p = ddns_pick_addr(a, n);
	q = ddns_pick_addr(r, n);
	if (p < 0) {
		assert_int_equal(q, -1);
		return -1;
	}
	assert_true(q >= 0);
	assert_memory_equal(a[p].addr, r[q].addr, 16);
	return p;
}

static void
test_ddns_pick_primary_global(void **state)
{
	struct ddns_ifaddr a[8];
	unsigned int n = 0;
	struct ddns_ifaddr ll = ia("fe80::1", 0, ~0u, 1);

	(void)state;
	ll.scope = RT_SCOPE_LINK;
	a[n++] = ll;
	a[n++] = ia("fd00:1:2:3::1", 0, ~0u, 900);	/* ULA, newest */
	a[n++] = ia("2001:db8:9:9::77", IFA_F_TEMPORARY, 3600, 800);
	a[n++] = ia("2001:db8:1:1::1", 0, 3600, 100);	/* the one */
	a[n++] = ia("2001:db8:8:8::1", IFA_F_TENTATIVE, 3600, 850);
	a[n++] = ia("2001:db8:7:7::1", IFA_F_DADFAILED, 3600, 860);
	a[n++] = ia("ff02::1", 0, ~0u, 870);
	assert_int_equal(pick_both_orders(a, n), 3);
	/* without a usable global one, none: never the ULA, even while
	 * the new address is tentative and the old one deprecated (what
	 * e2e-ddns-linux once caught the agent publishing for 60 ms) */
	a[3] = ia("2001:db8:1:1::1", IFA_F_DEPRECATED, 3600, 100);
	assert_int_equal(pick_both_orders(a, n), -1);
	/* nothing usable */
	assert_int_equal(pick_both_orders(a, 1), -1);
	assert_int_equal(ddns_pick_addr(a, 0), -1);
}

static void
test_ddns_pick_slaac_renumbering_newest_wins(void **state)
{
	struct ddns_ifaddr a[3];

	(void)state;
	/* the new address arrives: both valid, the new one wins */
	a[0] = ia("2001:db8:1:1::5", 0, 3600, 100);
	a[1] = ia("2001:db8:2:1::5", 0, 3600, 5000);
	assert_int_equal(pick_both_orders(a, 2), 1);
	/* the old one deprecated by lifetime (preferred_lft 0) */
	a[0] = ia("2001:db8:1:1::5", 0, 0, 9000);
	assert_int_equal(pick_both_orders(a, 2), 1);
	/* same age: the lower address, whatever the order */
	a[0] = ia("2001:db8:3:1::5", 0, 3600, 5000);
	a[2] = ia("2001:db8:0:1::5", 0, 3600, 5000);
	assert_int_equal(pick_both_orders(a, 3), 2);
}

/* Append one RTM_NEWADDR (AF_INET6, 'ifindex') to 'buf' at '*off'. */
static void
nl_add(uint8_t *buf, size_t *off, int ifindex, const char *addr,
       uint8_t ifa_flags, int with_flags_attr, uint32_t flags,
       uint32_t preferred, uint32_t cstamp)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + *off);
	struct ifaddrmsg *m;
	struct rtattr *rta;
	struct ifa_cacheinfo ci = { .ifa_prefered = preferred,
				    .ifa_valid = preferred, .cstamp = cstamp };
	size_t len = NLMSG_LENGTH(sizeof(*m));

	memset(h, 0, NLMSG_SPACE(sizeof(*m)));
	m = NLMSG_DATA(h);
	m->ifa_family = AF_INET6;
	m->ifa_prefixlen = 64;
	m->ifa_flags = ifa_flags;
	m->ifa_index = (uint32_t)ifindex;
	rta = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(len));
	rta->rta_type = IFA_ADDRESS;
	rta->rta_len = RTA_LENGTH(16);
	a6(addr, RTA_DATA(rta));
	len = NLMSG_ALIGN(len) + RTA_SPACE(16);
	if (with_flags_attr) {
		rta = (struct rtattr *)((uint8_t *)h + len);
		rta->rta_type = IFA_FLAGS;
		rta->rta_len = RTA_LENGTH(4);
		memcpy(RTA_DATA(rta), &flags, 4);
		len += RTA_SPACE(4);
	}
	rta = (struct rtattr *)((uint8_t *)h + len);
	rta->rta_type = IFA_CACHEINFO;
	rta->rta_len = RTA_LENGTH(sizeof(ci));
	memcpy(RTA_DATA(rta), &ci, sizeof(ci));
	len += RTA_SPACE(sizeof(ci));
	h->nlmsg_len = (uint32_t)len;
	h->nlmsg_type = RTM_NEWADDR;
	*off += NLMSG_ALIGN(len);
}

static void
nl_done(uint8_t *buf, size_t *off, uint16_t type, int error)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + *off);
	size_t len = NLMSG_LENGTH(type == NLMSG_ERROR ?
				  sizeof(struct nlmsgerr) : sizeof(int));

	memset(h, 0, NLMSG_ALIGN(len));
	h->nlmsg_len = (uint32_t)len;
	h->nlmsg_type = type;
	memcpy(NLMSG_DATA(h), &error, sizeof(int));
	*off += NLMSG_ALIGN(len);
}

static void
test_ddns_nl_addrs_dump(void **state)
{
	uint8_t buf[2048] __attribute__((aligned(4)));
	struct ddns_ifaddr out[8];
	unsigned int n = 0;
	uint8_t want[16];
	size_t off = 0;

	(void)state;
	nl_add(buf, &off, 3, "2001:db8:1:1::5", 0, 1, 0, 3600, 100);
	nl_add(buf, &off, 4, "2001:db8:ffff::5", 0, 1, 0, 3600, 100);
	/* IFA_FLAGS has the full 32 bits and wins over ifa_flags */
	nl_add(buf, &off, 3, "2001:db8:2:1::5", 0, 1, IFA_F_DEPRECATED, 0, 200);
	nl_add(buf, &off, 3, "2001:db8:3:1::5", IFA_F_TEMPORARY, 0, 0, 3600,
	       300);
	assert_int_equal(ddns_nl_addrs(buf, off, 3, out, 8, &n), 0);
	assert_int_equal(n, 3);
	a6("2001:db8:1:1::5", want);
	assert_memory_equal(out[0].addr, want, 16);
	assert_int_equal(out[0].cstamp, 100);
	assert_int_equal(out[0].preferred, 3600);
	assert_int_equal(out[1].flags, IFA_F_DEPRECATED);
	assert_int_equal(out[2].flags, IFA_F_TEMPORARY);
	assert_int_equal(ddns_pick_addr(out, n), 0);

	/* the end of the dump */
	nl_done(buf, &off, NLMSG_DONE, 0);
	n = 0;
	assert_int_equal(ddns_nl_addrs(buf, off, 3, out, 8, &n), 1);
	assert_int_equal(n, 3);
	/* more addresses than room: the rest is ignored, no overflow */
	n = 0;
	assert_int_equal(ddns_nl_addrs(buf, off, 3, out, 2, &n), 1);
	assert_int_equal(n, 2);
}

static void
test_ddns_nl_addrs_bad(void **state)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct ddns_ifaddr out[4];
	unsigned int n = 0;
	size_t off = 0, one;

	(void)state;
	nl_add(buf, &off, 3, "2001:db8:1:1::5", 0, 1, 0, 3600, 100);
	one = off;
	/* cut inside the message */
	assert_int_equal(ddns_nl_addrs(buf, one - 4, 3, out, 4, &n), -EBADMSG);
	/* an attribute with a wrong size */
	((struct rtattr *)(buf + NLMSG_SPACE(sizeof(struct ifaddrmsg))))
		->rta_len = RTA_LENGTH(4);
	n = 0;
	assert_int_equal(ddns_nl_addrs(buf, one, 3, out, 4, &n), -EBADMSG);
	/* the kernel says the dump was inconsistent: dump again */
	((struct rtattr *)(buf + NLMSG_SPACE(sizeof(struct ifaddrmsg))))
		->rta_len = RTA_LENGTH(16);
	n = 0;
	assert_int_equal(ddns_nl_addrs(buf, one, 3, out, 4, &n), 0);
	((struct nlmsghdr *)buf)->nlmsg_flags |= NLM_F_DUMP_INTR;
	n = 0;
	assert_int_equal(ddns_nl_addrs(buf, one, 3, out, 4, &n), -EINTR);
	/* an error from the kernel */
	off = 0;
	nl_done(buf, &off, NLMSG_ERROR, -EPERM);
	assert_int_equal(ddns_nl_addrs(buf, off, 3, out, 4, &n), -EPERM);
	/* a header that claims more than there is */
	off = 0;
	nl_done(buf, &off, NLMSG_DONE, 0);
	((struct nlmsghdr *)buf)->nlmsg_len = 4000;
	assert_int_equal(ddns_nl_addrs(buf, off, 3, out, 4, &n), -EBADMSG);
	/* a last message of unaligned length ends the buffer (found by
	 * fuzz_ddns: NLMSG_NEXT would have wrapped the length left) */
	{
		uint8_t *m = malloc(18);
		struct nlmsghdr h = { .nlmsg_len = 18, .nlmsg_type = 0x99 };

		assert_non_null(m);
		memset(m, 0, 18);
		memcpy(m, &h, sizeof(h));
		assert_int_equal(ddns_nl_addrs(m, 18, 3, out, 4, &n), 0);
		free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddns_eui64_rfc4291_appendix_a),
		cmocka_unit_test(test_ddns_compose_prefix_and_suffix),
		cmocka_unit_test(test_ddns_suffix_parse),
		cmocka_unit_test(test_ddns_pick_primary_global),
		cmocka_unit_test(test_ddns_pick_slaac_renumbering_newest_wins),
		cmocka_unit_test(test_ddns_nl_addrs_dump),
		cmocka_unit_test(test_ddns_nl_addrs_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
