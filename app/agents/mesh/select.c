/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PLAT choice (seed 003: "prefixd checks for /96 routes in the
 * plat_range and selects the one with the lowest metric ... reconfigures
 * the CLAT device if a specific threshold is exceeded regarding the metric
 * differences ... or if connectivity issues are detected (route lost, ping
 * fail etc.)").
 *
 * Rules, in order, at every evaluation:
 *  1. the current PLAT failed 'probe_failures' probes in a row: leave it
 *     at once for the best other candidate (and do not come back to it
 *     for 'bad_ms'); with no other candidate, keep it: a PLAT that might
 *     work beats none;
 *  2. the current PLAT has no route any more: the best candidate at once,
 *     or none;
 *  3. no current PLAT: the best candidate;
 *  4. a candidate better by MORE than 'threshold', and 'hold_down_ms'
 *     passed since the last switch: switch to it. Smaller differences
 *     never flip the choice (babel metrics wobble with link quality), and
 *     the hold-down bounds the rate of switches whatever the metrics do.
 * Every switch moves new clients only; meshxlat keeps existing clients on
 * the PLAT they use (pinned), unless the old PLAT is gone (rules 1 and 2).
 */
#include "mesh.h"

#include <string.h>

static const char *const reason_names[] = {
	[MESH_R_NONE] = "none",
	[MESH_R_INITIAL] = "initial",
	[MESH_R_BETTER] = "better_metric",
	[MESH_R_LOST] = "route_lost",
	[MESH_R_PROBES] = "probes_failed",
	[MESH_R_NONE_LEFT] = "no_candidate",
};

const char *
mesh_reason_name(enum mesh_reason r)
{
	return (unsigned int)r < sizeof(reason_names) / sizeof(reason_names[0])
	       ? reason_names[r] : "?";
}

void
mesh_sel_init(struct mesh_sel *s, const struct mesh_sel_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
}

void
mesh_sel_probe(struct mesh_sel *s, int ok)
{
	if (!s->has_cur)
		return;
	if (ok)
		s->probe_fails = 0;
	else if (s->probe_fails < 0xffffffffu)
		s->probe_fails++;
}

static int
same(const struct pkt_pfx6 *a, const struct pkt_pfx6 *b)
{
	return a->len == b->len && memcmp(a->addr, b->addr, 16) == 0;
}

/* The best candidate other than 'skip' and not the bad one; -1 if none. */
static int
best(const struct mesh_sel *s, const struct mesh_cand *c, unsigned int n,
     const struct pkt_pfx6 *skip, uint64_t now_ms)
{
	unsigned int i;
	int b = -1;

	for (i = 0; i < n; i++) {
		if (skip != NULL && same(&c[i].prefix, skip))
			continue;
		if (s->has_bad && now_ms < s->bad_until_ms &&
		    same(&c[i].prefix, &s->bad))
			continue;
		if (b < 0 || c[i].metric < c[b].metric)
			b = (int)i;
	}
	return b;
}

static int
decide(struct mesh_sel *s, struct mesh_decision *d, enum mesh_reason why,
       const struct mesh_cand *to, uint64_t now_ms, int old_gone)
{
	d->reason = why;
	d->has_old = s->has_cur;
	d->old_pfx = s->cur;
	d->old_metric = s->cur_metric;
	d->old_gone = (uint8_t)(s->has_cur && old_gone);
	d->has_new = to != NULL;
	if (to != NULL) {
		d->new_pfx = to->prefix;
		d->new_metric = to->metric;
		s->cur = to->prefix;
		s->cur_metric = to->metric;
	} else {
		memset(&s->cur, 0, sizeof(s->cur));
		s->cur_metric = MESH_METRIC_INF;
	}
	s->has_cur = to != NULL;
	s->probe_fails = 0;
	s->last_switch_ms = now_ms;
	s->held = 0;
	s->switches++;
	return 1;
}

int
mesh_sel_eval(struct mesh_sel *s, const struct mesh_cand *c, unsigned int n,
	      uint64_t now_ms, struct mesh_decision *d)
{
	const struct mesh_cand *cur = NULL;
	unsigned int i;
	int b;

	memset(d, 0, sizeof(*d));
	if (s->has_bad && now_ms >= s->bad_until_ms)
		s->has_bad = 0;
	if (s->has_cur)
		for (i = 0; i < n; i++)
			if (same(&c[i].prefix, &s->cur))
				cur = &c[i];
	if (cur != NULL)
		s->cur_metric = cur->metric;

	/* 1. Failed probes. */
	if (cur != NULL && s->cfg.probe_failures > 0 &&
	    s->probe_fails >= s->cfg.probe_failures) {
		b = best(s, c, n, &s->cur, now_ms);
		if (b < 0)
			return 0;
		s->has_bad = 1;
		s->bad = s->cur;
		s->bad_until_ms = now_ms + s->cfg.bad_ms;
		return decide(s, d, MESH_R_PROBES, &c[b], now_ms, 1);
	}
	/* 2. The route is gone. */
	if (s->has_cur && cur == NULL) {
		b = best(s, c, n, NULL, now_ms);
		return decide(s, d, b >= 0 ? MESH_R_LOST : MESH_R_NONE_LEFT,
			      b >= 0 ? &c[b] : NULL, now_ms, 1);
	}
	b = best(s, c, n, NULL, now_ms);
	if (b < 0)
		return 0;
	/* 3. The first PLAT. */
	if (!s->has_cur)
		return decide(s, d, MESH_R_INITIAL, &c[b], now_ms, 0);
	/* 4. Hysteresis. */
	s->held = 0;
	if (same(&c[b].prefix, &s->cur) ||
	    (uint64_t)c[b].metric + s->cfg.threshold >= cur->metric) {
		if (!same(&c[b].prefix, &s->cur))
			s->held = 1;
		return 0;
	}
	if (now_ms - s->last_switch_ms < s->cfg.hold_down_ms) {
		s->held = 2;
		return 0;
	}
	return decide(s, d, MESH_R_BETTER, &c[b], now_ms, 0);
}
