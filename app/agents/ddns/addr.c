/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses for the DDNS agent: a host's stable interface id (given, or
 * the EUI-64 of its MAC), prefix + id, and which of this host's own
 * addresses carries the prefix when the agent runs on a plain Linux host
 * (the rtnetlink dump is taken apart here, so the tests feed it bytes).
 */
#include "ddns.h"

#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

void
ddns_eui64(const uint8_t mac[6], uint8_t id[8])
{
	/*
	 * RFC 4291 appendix A: OUI, then FF FE, then the rest, and the
	 * "u" bit inverted so that a universal MAC gives u = 1.
	 */
	id[0] = mac[0] ^ 0x02;
	id[1] = mac[1];
	id[2] = mac[2];
	id[3] = 0xff;
	id[4] = 0xfe;
	id[5] = mac[3];
	id[6] = mac[4];
	id[7] = mac[5];
}

void
ddns_compose(const uint8_t prefix[16], const uint8_t suffix[8],
	     uint8_t out[16])
{
	memcpy(out, prefix, 8);
	memcpy(out + 8, suffix, 8);
}

int
ddns_suffix_parse(const char *s, uint8_t suffix[8])
{
	uint8_t a[16];
	static const uint8_t zero[8];

	if (strchr(s, '/') != NULL || inet_pton(AF_INET6, s, a) != 1)
		return -EINVAL;
	if (memcmp(a, zero, 8) != 0)
		return -EINVAL;
	memcpy(suffix, a + 8, 8);
	return 0;
}

/*
 * 0: a global unicast address; -1 never: link-local, multicast, loopback,
 * IPv4-mapped and the like, and ULAs (RFC 4193, fc00::/7: Linux calls
 * them scope global, but nobody outside can reach them, and a ULA in a
 * public zone would only mislead; during renumbering, when the new
 * address is still tentative and the old one deprecated, falling back
 * to the ULA would publish it for a moment).
 */
static int
addr_rank(const struct ddns_ifaddr *a)
{
	static const uint8_t loop[16] = { [15] = 1 };

	if (a->scope != RT_SCOPE_UNIVERSE)
		return -1;
	if (a->flags & (IFA_F_TEMPORARY | IFA_F_DEPRECATED | IFA_F_TENTATIVE |
			IFA_F_DADFAILED))
		return -1;
	if (a->preferred == 0)		/* deprecated by its lifetime */
		return -1;
	if (a->addr[0] == 0xff || (a->addr[0] == 0xfe &&
				   (a->addr[1] & 0xc0) == 0x80))
		return -1;
	if (memcmp(a->addr, loop, 16) == 0)
		return -1;
	/* ::ffff:0:0/96 and the like carry no prefix of ours. */
	if (a->addr[0] == 0 && a->addr[1] == 0)
		return -1;
	if ((a->addr[0] & 0xfe) == 0xfc)
		return -1;
	return 0;
}

int
ddns_pick_addr(const struct ddns_ifaddr *a, unsigned int n)
{
	int best = -1, best_rank = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		int r = addr_rank(&a[i]);

		if (r < 0)
			continue;
		if (best >= 0) {
			const struct ddns_ifaddr *b = &a[best];

			if (r > best_rank)
				continue;
			if (r == best_rank) {
				if (a[i].cstamp < b->cstamp)
					continue;
				if (a[i].cstamp == b->cstamp &&
				    memcmp(a[i].addr, b->addr, 16) >= 0)
					continue;
			}
		}
		best = (int)i;
		best_rank = r;
	}
	return best;
}

/* One RTM_NEWADDR message of an AF_INET6 address of 'ifindex'. */
static int
nl_one_addr(const struct nlmsghdr *h, int ifindex, struct ddns_ifaddr *o)
{
	const struct ifaddrmsg *ifa;
	const struct rtattr *rta;
	size_t left;
	int have_addr = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return -EBADMSG;
	ifa = NLMSG_DATA(h);
	if (ifa->ifa_family != AF_INET6 || (int)ifa->ifa_index != ifindex)
		return 0;
	memset(o, 0, sizeof(*o));
	o->plen = ifa->ifa_prefixlen;
	o->scope = ifa->ifa_scope;
	o->flags = ifa->ifa_flags;
	o->preferred = UINT32_MAX;
	left = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa));
	rta = (const struct rtattr *)((const char *)ifa +
				      NLMSG_ALIGN(sizeof(*ifa)));
	for (; RTA_OK(rta, left); rta = RTA_NEXT(rta, left)) {
		size_t plen = RTA_PAYLOAD(rta);

		switch (rta->rta_type) {
		case IFA_ADDRESS:
		case IFA_LOCAL:
			if (plen != 16)
				return -EBADMSG;
			/* IFA_LOCAL wins on point-to-point links. */
			if (!have_addr || rta->rta_type == IFA_LOCAL)
				memcpy(o->addr, RTA_DATA(rta), 16);
			have_addr = 1;
			break;
		case IFA_FLAGS:
			/* The 32-bit flags; ifa_flags has only 8 of them. */
			if (plen != sizeof(uint32_t))
				return -EBADMSG;
			memcpy(&o->flags, RTA_DATA(rta), sizeof(uint32_t));
			break;
		case IFA_CACHEINFO: {
			struct ifa_cacheinfo ci;

			if (plen != sizeof(ci))
				return -EBADMSG;
			memcpy(&ci, RTA_DATA(rta), sizeof(ci));
			o->preferred = ci.ifa_prefered;
			o->cstamp = ci.cstamp;
			break;
		}
		default:
			break;
		}
	}
	return have_addr ? 1 : -EBADMSG;
}

int
ddns_nl_addrs(const void *buf, size_t len, int ifindex,
	      struct ddns_ifaddr *out, unsigned int max, unsigned int *n)
{
	const struct nlmsghdr *h = buf;
	size_t left = len;

	/*
	 * NLMSG_OK checks that the header fits and nlmsg_len is within
	 * 'left'. The step is ours, not NLMSG_NEXT, which wraps 'left'
	 * after a last message of unaligned length.
	 */
	while (NLMSG_OK(h, left)) {
		size_t step = NLMSG_ALIGN(h->nlmsg_len);

		/* The addresses changed during the dump: it may miss some. */
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			return -EINTR;
		int rc;

		switch (h->nlmsg_type) {
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EBADMSG;
			return e->error < 0 ? e->error : -EPROTO;
		}
		case RTM_NEWADDR:
			if (*n >= max)
				break;	/* more than we keep: ignored */
			rc = nl_one_addr(h, ifindex, &out[*n]);
			if (rc < 0)
				return rc;
			*n += (unsigned int)rc;
			break;
		default:
			break;
		}
		if (step >= left)
			return 0;
		left -= step;
		h = (const struct nlmsghdr *)((const char *)h + step);
	}
	return left == 0 ? 0 : -EBADMSG;
}
