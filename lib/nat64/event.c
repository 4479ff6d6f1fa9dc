/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The block log (RFC 6888 section 4; logging per block instead of per
 * session is what keeps CGN logs affordable, as RFC 7422 argues): one
 * record when a block goes to a client, one when it comes back, kept in
 * a fixed ring per shard that the owner drains into a message for the
 * control plane. A full ring drops the new record and counts it; the
 * control plane reports the count.
 */
#include "nat64.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "nat64_priv.h"

void
nat64_event_blk(struct nat64_shard *sh, uint32_t b, uint8_t type,
		uint64_t end_ms)
{
	const struct nat64_blk *bk = &sh->blk[b];
	struct nat64_event *ev;

	if (sh->ev_tail - sh->ev_head > sh->ev_mask) {
		sh->events_lost++;
		return;
	}
	ev = &sh->ev[sh->ev_tail & sh->ev_mask];
	ev->type = type;
	ev->proto = nat64_proto_of(bk->pi);
	ev->port_lo = bk->lo;
	ev->port_hi = (uint16_t)(bk->lo + bk->n_ports - 1);
	ev->addr4 = bk->addr4;
	memcpy(ev->client, sh->cli[bk->client].addr6, 16);
	ev->start_ms = bk->start_ms;
	ev->end_ms = end_ms;
	sh->ev_tail++;
}

unsigned int
nat64_shard_events_drain(struct nat64_shard *sh, struct nat64_event *out,
			 unsigned int n)
{
	unsigned int k = 0;

	while (k < n && sh->ev_head != sh->ev_tail) {
		out[k++] = sh->ev[sh->ev_head & sh->ev_mask];
		sh->ev_head++;
	}
	return k;
}

int
nat64_event_format(const struct nat64_event *ev, char *buf, size_t size)
{
	static const char *const protos[NAT64_NPROTO] = { "tcp", "udp",
							   "icmp" };
	char a6[INET6_ADDRSTRLEN], end[24];
	int pi = nat64_pi(ev->proto);

	if (inet_ntop(AF_INET6, ev->client, a6, sizeof(a6)) == NULL)
		snprintf(a6, sizeof(a6), "?");
	if (ev->type == NAT64_EV_BLOCK_FREE)
		snprintf(end, sizeof(end), "%llu",
			 (unsigned long long)ev->end_ms);
	else
		snprintf(end, sizeof(end), "-");
	return snprintf(buf, size, "%s %s %s %u.%u.%u.%u %u-%u %llu %s",
			ev->type == NAT64_EV_BLOCK_FREE ? "free" : "alloc",
			pi >= 0 ? protos[pi] : "?", a6, ev->addr4 >> 24,
			(ev->addr4 >> 16) & 0xff, (ev->addr4 >> 8) & 0xff,
			ev->addr4 & 0xff, ev->port_lo, ev->port_hi,
			(unsigned long long)ev->start_ms, end);
}
