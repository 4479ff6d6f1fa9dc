/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-mesh: the mesh agent of a meshxlat node (seed 003's prefixd and
 * l3roamd in one process).
 *
 *   meshxlat-mesh --config FILE [--verbose]
 *
 * One single-threaded poll loop around:
 * - babeld's local interface ("monitor"): babel routes -> PLAT candidates
 *   -> the choice (select.c) -> clat.plat.set / clat.plat.del on meshxlat;
 * - ICMPv6 echo probes to the chosen PLAT's management address;
 * - the roaming exchange on UDP (msg.c): CLAIM, INFO, ROAM with an
 *   HMAC-SHA256 over the site key; roam.add / roam.del on meshxlat;
 * - meshxlat's control socket (lib/ctl client side), reconnected with
 *   backoff; after a reconnect the PLAT choice and the roaming entries
 *   are programmed again, because a restarted meshxlat has forgotten them;
 * - its own control socket (lib/ctl server side): mesh.client.*,
 *   mesh.plat.get, mesh.stats.get, mesh.roam.list.
 * Every decision goes to stderr with its reason, time in UTC. Anything a
 * peer can trigger is logged rate-limited and counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctl.h"
#include "mesh.h"

#define MAX_CLIENTS	4096
#define MAX_PLAT_ROAMS	4096
#define MAX_CLAIMS	64
#define LINE_MAX_SIZE	65536
#define MX_TIMEOUT_MS	3000
#define EVAL_EVERY_MS	1000
#define LOG_BURST	5		/* rejection lines per reason ... */
#define LOG_PERIOD_MS	10000		/* ... per this long */

enum { TX_CLAIM, TX_INFO, TX_ROAM, TX_MAX };

struct client {
	uint8_t mac[6];
	uint32_t ip4;			/* host order */
	uint64_t until_ms;		/* lease end, monotonic */
	uint8_t clatd[16];		/* CLAT prefix of the lease (/96) */
	uint8_t has_platc;
	uint8_t platc[16];		/* PLAT of the lease (/96) */
	uint8_t roamed;			/* came with an INFO: roam.add kind=clat */
	uint8_t addr_added;		/* its MAC-derived address is ours */
};

struct plat_roam {			/* on the PLAT: roam.add kind=plat */
	uint32_t ip4;
	uint8_t clatd[16], clatb[16];
	uint64_t until_ms;
};

#define CLAIM_TRIES_MAX	10		/* conf.c's bound of claim_tries */

struct claim {
	uint8_t active;
	uint8_t mac[6];
	/* Every try has its own nonce (a repeated one would be a replay);
	 * an INFO may answer any of them, late ones included. */
	uint8_t nonce[CLAIM_TRIES_MAX][MESH_MSG_NONCE];
	uint32_t tries;
	uint64_t next_ms;
};

struct linebuf {
	char *buf;
	size_t len, cap;
};

struct agent {
	struct mesh_conf c;
	/* babeld */
	int bfd;
	struct linebuf bin;
	unsigned int oks;		/* "ok" lines since connect */
	uint8_t synced;			/* the monitor dump is complete */
	uint64_t b_retry_ms, b_backoff_ms;
	struct mesh_routes *routes;
	struct mesh_cand cands[MESH_MAX_CANDS];
	unsigned int n_cands;
	struct mesh_sel sel;
	uint8_t dirty;
	uint64_t next_eval_ms;
	uint64_t settle_until_ms;	/* babeld (re)connected: learning */
	/* meshxlat */
	int mfd;
	struct linebuf min;
	long m_id;
	uint64_t m_retry_ms, m_backoff_ms;
	uint8_t m_sync;			/* program meshxlat again */
	/* probes */
	int pfd;
	uint16_t p_ident, p_seq;
	uint8_t p_out;			/* a probe is outstanding */
	uint8_t p_dst[16];
	uint64_t p_sent_ms, p_next_ms;
	/* the exchange */
	int ufd;
	struct mesh_replay replay;
	struct client clients[MAX_CLIENTS];
	unsigned int n_clients;
	struct plat_roam proams[MAX_PLAT_ROAMS];
	unsigned int n_proams;
	struct claim claims[MAX_CLAIMS];
	/* our control socket */
	struct ctl_registry *reg;
	struct ctl_rpc *rpc;
	/* counters */
	uint64_t rx[4], tx[TX_MAX], rej[MESH_REJ_MAX];
	uint64_t babel_lines, babel_bad, babel_connects, mx_connects;
	uint64_t mx_errors, probes_sent, probes_ok, probes_lost;
	uint64_t claims_unanswered, send_errors;
	uint64_t log_start[MESH_REJ_MAX], log_n[MESH_REJ_MAX];
	char last_reason[320];
	int verbose;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
wall_s(void)
{
	return (uint64_t)time(NULL);
}

static void
logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
logf_(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ meshxlat-mesh: ", when,
		ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

#define LOG(...) logf_(__VA_ARGS__)

static const char *
pfx_str(const uint8_t *a, unsigned int len, char *buf, size_t size)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	snprintf(buf, size, "%s/%u", s, len);
	return buf;
}

static const char *
ip6_str(const uint8_t *a, char *buf, size_t size)
{
	inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	return buf;
}

static const char *
ip4_str(uint32_t a, char *buf, size_t size)
{
	struct in_addr in = { .s_addr = htonl(a) };

	inet_ntop(AF_INET, &in, buf, (socklen_t)size);
	return buf;
}

static const char *
mac_str(const uint8_t *m, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

static uint64_t
backoff_next(uint64_t *cur, const struct mesh_conf *c)
{
	uint64_t d = *cur == 0 ? c->retry_min_ms : *cur;

	*cur = d * 2 > c->retry_max_ms ? c->retry_max_ms : d * 2;
	return d;
}

/* Rejections: counted always, logged LOG_BURST per reason per period. */
static void
reject(struct agent *a, enum mesh_reject r, const struct sockaddr_in6 *from,
       const char *what)
{
	uint64_t now = mono_ms();
	char s[INET6_ADDRSTRLEN];

	a->rej[r]++;
	if (now - a->log_start[r] >= LOG_PERIOD_MS) {
		if (a->log_n[r] > LOG_BURST)
			LOG("reject %s: %" PRIu64 " more not logged",
			    mesh_reject_name(r), a->log_n[r] - LOG_BURST);
		a->log_start[r] = now;
		a->log_n[r] = 0;
	}
	if (a->log_n[r]++ < LOG_BURST)
		LOG("reject %s from [%s]:%u: %s%s%s", mesh_reject_name(r),
		    from != NULL ? ip6_str(from->sin6_addr.s6_addr, s,
					   sizeof(s)) : "?",
		    from != NULL ? ntohs(from->sin6_port) : 0,
		    mesh_reject_help(r), what != NULL ? ": " : "",
		    what != NULL ? what : "");
}

/* ---- line buffers ------------------------------------------------------- */

/* Read what 'fd' has into 'b'. 1 ok, 0 EOF, -1 error or overlong line. */
static int
lb_fill(struct linebuf *b, int fd)
{
	ssize_t n;

	if (b->cap - b->len < 4096) {
		size_t cap = b->cap == 0 ? 16384 : b->cap * 2;
		char *p;

		if (cap > LINE_MAX_SIZE * 2)
			return -1;
		p = realloc(b->buf, cap);
		if (p == NULL)
			return -1;
		b->buf = p;
		b->cap = cap;
	}
	n = recv(fd, b->buf + b->len, b->cap - b->len - 1, MSG_DONTWAIT);
	if (n == 0)
		return 0;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 1 : -1;
	b->len += (size_t)n;
	return 1;
}

/* The next complete line (NUL-terminated, in 'out', LINE_MAX_SIZE),
 * removed from 'b'. 1, or 0 when none is complete. */
static int
lb_line(struct linebuf *b, char *out)
{
	char *nl = b->len > 0 ? memchr(b->buf, '\n', b->len) : NULL;
	size_t l;

	if (nl == NULL)
		return 0;
	l = (size_t)(nl - b->buf);
	if (l >= LINE_MAX_SIZE)
		l = LINE_MAX_SIZE - 1;
	memcpy(out, b->buf, l);
	out[l] = '\0';
	l = (size_t)(nl - b->buf) + 1;
	memmove(b->buf, b->buf + l, b->len - l);
	b->len -= l;
	return 1;
}

static int
send_all(int fd, const char *s, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = { .fd = fd, .events = POLLOUT };

				if (poll(&p, 1, 1000) <= 0)
					return -1;
				continue;
			}
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/* ---- meshxlat ----------------------------------------------------------- */

static void
mx_down(struct agent *a, const char *why)
{
	if (a->mfd >= 0) {
		LOG("meshxlat: connection lost (%s); reconnecting", why);
		close(a->mfd);
	}
	a->mfd = -1;
	a->min.len = 0;
	a->m_retry_ms = mono_ms() + backoff_next(&a->m_backoff_ms, &a->c);
}

static void
mx_connect(struct agent *a)
{
	char err[512];
	int fd;

	if (a->mfd >= 0 || mono_ms() < a->m_retry_ms ||
	    a->c.meshxlat_socket[0] == '\0')
		return;
	fd = ctl_client_connect(a->c.meshxlat_socket, err, sizeof(err));
	if (fd < 0) {
		uint64_t d = backoff_next(&a->m_backoff_ms, &a->c);

		if (a->verbose || a->mx_connects == 0)
			LOG("meshxlat: %s; again in %" PRIu64 " ms", err, d);
		a->m_retry_ms = mono_ms() + d;
		return;
	}
	a->mfd = fd;
	a->m_backoff_ms = 0;
	a->mx_connects++;
	a->m_sync = 1;
	LOG("meshxlat: connected to %s", a->c.meshxlat_socket);
}

/*
 * Call 'method' on meshxlat and wait for its reply (bounded). Returns 0
 * and '*result' (malloc'ed, may be NULL if not wanted), the JSON-RPC error
 * code (< 0) with 'err', or -1 when the connection failed (it is then
 * closed and retried with backoff).
 */
static int
mx_call(struct agent *a, const char *method, const char *params,
	char **result, char *err, size_t err_size)
{
	static char line[LINE_MAX_SIZE];
	uint64_t deadline;
	char *req;
	long id;

	if (result != NULL)
		*result = NULL;
	if (a->c.meshxlat_socket[0] == '\0') {
		/* No meshxlat on this node: nothing to program. */
		return 0;
	}
	mx_connect(a);
	if (a->mfd < 0) {
		snprintf(err, err_size, "meshxlat is not connected");
		return -1;
	}
	id = ++a->m_id;
	req = ctl_client_request(method, params, id);
	if (req == NULL) {
		snprintf(err, err_size, "cannot build the request");
		return CTL_E_INTERNAL;
	}
	if (send_all(a->mfd, req, strlen(req)) != 0 ||
	    send_all(a->mfd, "\n", 1) != 0) {
		free(req);
		snprintf(err, err_size, "send: %s", strerror(errno));
		mx_down(a, err);
		return -1;
	}
	free(req);
	deadline = mono_ms() + MX_TIMEOUT_MS;
	for (;;) {
		struct ctl_reply rep;
		struct pollfd p = { .fd = a->mfd, .events = POLLIN };
		uint64_t now;
		int rc;

		while (lb_line(&a->min, line)) {
			if (ctl_reply_parse(line, strlen(line), &rep) != 0)
				continue;
			if (rep.is_event || rep.id != id) {
				free(rep.result);
				continue;
			}
			if (rep.code != 0) {
				snprintf(err, err_size, "%s%s%s%s", rep.message,
					 rep.field[0] ? " (" : "", rep.field,
					 rep.field[0] ? ")" : "");
				free(rep.result);
				a->mx_errors++;
				return rep.code;
			}
			if (result != NULL)
				*result = rep.result;
			else
				free(rep.result);
			return 0;
		}
		now = mono_ms();
		if (now >= deadline) {
			snprintf(err, err_size, "no reply to %s in %d ms",
				 method, MX_TIMEOUT_MS);
			mx_down(a, err);
			return -1;
		}
		if (poll(&p, 1, (int)(deadline - now)) < 0 && errno != EINTR) {
			snprintf(err, err_size, "poll: %s", strerror(errno));
			mx_down(a, err);
			return -1;
		}
		rc = lb_fill(&a->min, a->mfd);
		if (rc <= 0) {
			snprintf(err, err_size, "%s", rc == 0 ?
				 "meshxlat closed the connection" :
				 "read error");
			mx_down(a, err);
			return -1;
		}
	}
}

/* A call whose failure is logged; returns mx_call()'s result. */
static int
mx_do(struct agent *a, const char *method, const char *params)
{
	char err[600];
	int rc = mx_call(a, method, params, NULL, err, sizeof(err));

	if (rc != 0)
		LOG("meshxlat: %s %s: %s", method, params != NULL ? params : "",
		    err);
	else if (a->verbose)
		LOG("meshxlat: %s %s: ok", method, params != NULL ? params : "");
	return rc;
}

/*
 * meshxlat's PLAT := the agent's choice. The new PLAT first, then the old
 * one is named gone: meshxlat moves the clients pinned to it to the
 * current PLAT (seed 003's set_platprefix, then del_platprefix), with no
 * moment without a PLAT.
 */
static int
mx_apply_plat(struct agent *a, const struct mesh_decision *d)
{
	char p[128], params[192];
	int rc = 0;

	if (a->sel.has_cur) {
		snprintf(params, sizeof(params), "{\"prefix\":\"%s\"}",
			 pfx_str(a->sel.cur.addr, 96, p, sizeof(p)));
		rc = mx_do(a, "clat.plat.set", params);
		if (rc != 0 || d == NULL || !d->old_gone || !d->has_old)
			return rc;
	}
	if (d != NULL && d->has_old) {
		snprintf(params, sizeof(params), "{\"prefix\":\"%s\"}",
			 pfx_str(d->old_pfx.addr, 96, p, sizeof(p)));
		rc = mx_do(a, "clat.plat.del", params);
		/* A meshxlat without the parameter: the plain form, which
		 * is right only when nothing else is set. */
		if (rc == CTL_E_PARAMS && !a->sel.has_cur)
			rc = mx_do(a, "clat.plat.del", NULL);
		return rc;
	}
	return mx_do(a, "clat.plat.del", NULL);
}

static void
roam_add_clat(struct agent *a, const struct client *cl, uint64_t now)
{
	char ip[16], p[128], params[256];
	uint64_t left = cl->until_ms > now ? (cl->until_ms - now + 999) / 1000
					   : 1;

	snprintf(params, sizeof(params), "{\"kind\":\"clat\",\"client\":"
		 "\"%s\",\"plat\":\"%s\",\"lease\":%" PRIu64 "}",
		 ip4_str(cl->ip4, ip, sizeof(ip)),
		 pfx_str(cl->platc, 96, p, sizeof(p)), left);
	mx_do(a, "roam.add", params);
}

static void
roam_add_plat(struct agent *a, const struct plat_roam *r, uint64_t now)
{
	char ip[16], f[128], t[128], params[384];
	uint64_t left = r->until_ms > now ? (r->until_ms - now + 999) / 1000
					  : 1;

	snprintf(params, sizeof(params), "{\"kind\":\"plat\",\"client\":"
		 "\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"lease\":%" PRIu64 "}",
		 ip4_str(r->ip4, ip, sizeof(ip)),
		 pfx_str(r->clatd, 96, f, sizeof(f)),
		 pfx_str(r->clatb, 96, t, sizeof(t)), left);
	mx_do(a, "roam.add", params);
}

/* After a (re)connect: meshxlat may have restarted and forgotten. */
static void
mx_sync(struct agent *a)
{
	uint64_t now = mono_ms();
	unsigned int i;

	if (a->mfd < 0 || !a->m_sync)
		return;
	a->m_sync = 0;
	/* Without a choice there is nothing to restore: a node that is
	 * only a PLAT never chooses one. */
	if (a->sel.has_cur && mx_apply_plat(a, NULL) == -1)
		return;
	for (i = 0; i < a->n_clients && a->mfd >= 0; i++)
		if (a->clients[i].roamed && a->clients[i].until_ms > now)
			roam_add_clat(a, &a->clients[i], now);
	for (i = 0; i < a->n_proams && a->mfd >= 0; i++)
		if (a->proams[i].until_ms > now)
			roam_add_plat(a, &a->proams[i], now);
}

/* ---- babeld ------------------------------------------------------------- */

static void
babel_down(struct agent *a, const char *why)
{
	if (a->bfd >= 0) {
		LOG("babeld: connection lost (%s); reconnecting; the PLAT "
		    "stays as it is until babeld is back", why);
		close(a->bfd);
	}
	a->bfd = -1;
	a->bin.len = 0;
	a->synced = 0;
	mesh_routes_init(a->routes);
	a->b_retry_ms = mono_ms() + backoff_next(&a->b_backoff_ms, &a->c);
}

static void
babel_connect(struct agent *a)
{
	int fd = -1;

	if (a->bfd >= 0 || mono_ms() < a->b_retry_ms)
		return;
	if (a->c.babeld[0] == '/') {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		memcpy(sa.sun_path, a->c.babeld, sizeof(sa.sun_path) - 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa,
				       sizeof(sa)) != 0) {
			close(fd);
			fd = -1;
		}
	} else {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
			.sin6_port = htons((uint16_t)atoi(a->c.babeld)),
			.sin6_addr = IN6ADDR_LOOPBACK_INIT };

		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa,
				       sizeof(sa)) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		uint64_t d = backoff_next(&a->b_backoff_ms, &a->c);

		if (a->verbose || a->babel_connects == 0)
			LOG("babeld: cannot connect to %s (%s); again in %"
			    PRIu64 " ms", a->c.babeld, strerror(errno), d);
		a->b_retry_ms = mono_ms() + d;
		return;
	}
	if (send_all(fd, "monitor\n", 8) != 0) {
		close(fd);
		a->b_retry_ms = mono_ms() + backoff_next(&a->b_backoff_ms,
							 &a->c);
		return;
	}
	a->bfd = fd;
	a->oks = 0;
	a->synced = 0;
	a->b_backoff_ms = 0;
	a->babel_connects++;
	a->settle_until_ms = mono_ms() + a->c.settle_ms;
	mesh_routes_init(a->routes);
	LOG("babeld: connected to %s, monitoring", a->c.babeld);
}

static void
babel_read(struct agent *a)
{
	static char line[LINE_MAX_SIZE];
	int rc = lb_fill(&a->bin, a->bfd);

	while (lb_line(&a->bin, line)) {
		struct mesh_babel_route r;
		enum mesh_babel_verb v;
		int bad;

		a->babel_lines++;
		v = mesh_babel_parse(line, strlen(line), &r, &bad);
		if (bad) {
			a->babel_bad++;
			if (a->babel_bad <= 10)
				LOG("babeld: cannot read the line \"%.200s\"",
				    line);
		}
		if (a->verbose > 1)
			LOG("babeld: %s", line);
		switch (v) {
		case MESH_BABEL_OK:
			/* The greeting ends with "ok", then the monitor
			 * dump does. */
			if (++a->oks == 2) {
				a->synced = 1;
				a->dirty = 1;
				LOG("babeld: %u PLAT routes after the dump",
				    a->routes->n);
			}
			break;
		case MESH_BABEL_BAD:
			LOG("babeld: refused a request: %.200s", line);
			break;
		case MESH_BABEL_ADD:
		case MESH_BABEL_CHANGE:
			/* Only routes that can be PLATs are kept: the table
			 * stays small however large the mesh. A route's id
			 * names one prefix, so a flush of one never kept is
			 * a miss. */
			if (r.family != 6 || r.prefix.len != 96 ||
			    !pkt_pfx6_match(&a->c.plat_range, r.prefix.addr))
				break;
			/* fall through */
		case MESH_BABEL_FLUSH:
			mesh_routes_apply(a->routes, v, &r);
			a->dirty = 1;
			break;
		default:
			break;
		}
	}
	if (rc <= 0)
		babel_down(a, rc == 0 ? "babeld closed it" : "read error");
}

/* ---- the PLAT choice ---------------------------------------------------- */

static void
log_cands(struct agent *a, const struct mesh_cand *c, unsigned int n)
{
	char buf[1024], p[128];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < sizeof(buf) - 160; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"%s%s metric %u", i ? ", " : "",
					pfx_str(c[i].prefix.addr, 96, p,
						sizeof(p)), c[i].metric);
	(void)a;
	LOG("candidates: %s", n ? buf : "none");
}

static void
evaluate(struct agent *a, uint64_t now)
{
	struct mesh_cand c[MESH_MAX_CANDS];
	struct mesh_decision d;
	char o[128], n[128];
	unsigned int k;

	if (!a->synced)
		return;
	a->dirty = 0;
	a->next_eval_ms = now + EVAL_EVERY_MS;
	k = mesh_routes_cands(a->routes, &a->c.plat_range, c, MESH_MAX_CANDS);
	/* 'c' is zeroed up to MESH_MAX_CANDS (padding included) */
	if (k != a->n_cands || memcmp(c, a->cands, k * sizeof(c[0])) != 0) {
		memcpy(a->cands, c, k * sizeof(c[0]));
		a->n_cands = k;
		log_cands(a, c, k);
	}
	if (now < a->settle_until_ms && a->sel.has_cur) {
		unsigned int i;

		/* A babeld that just (re)started does not know every route
		 * yet: wait before calling the current PLAT lost. */
		for (i = 0; i < k; i++)
			if (memcmp(c[i].prefix.addr, a->sel.cur.addr, 16) == 0)
				break;
		if (i == k)
			return;
	}
	if (!mesh_sel_eval(&a->sel, c, k, now, &d))
		return;
	if (d.has_old)
		pfx_str(d.old_pfx.addr, 96, o, sizeof(o));
	else
		snprintf(o, sizeof(o), "none");
	if (d.has_new)
		pfx_str(d.new_pfx.addr, 96, n, sizeof(n));
	else
		snprintf(n, sizeof(n), "none");
	switch (d.reason) {
	case MESH_R_BETTER:
		snprintf(a->last_reason, sizeof(a->last_reason),
			 "%s: metric %u beats %u by more than the threshold %u,"
			 " hold-down %" PRIu64 " s passed",
			 mesh_reason_name(d.reason), d.new_metric,
			 d.old_metric, a->c.sel.threshold,
			 a->c.sel.hold_down_ms / 1000);
		break;
	case MESH_R_PROBES:
		snprintf(a->last_reason, sizeof(a->last_reason),
			 "%s: %u probes of %s in a row unanswered",
			 mesh_reason_name(d.reason), a->c.sel.probe_failures,
			 o);
		break;
	default:
		snprintf(a->last_reason, sizeof(a->last_reason), "%s",
			 mesh_reason_name(d.reason));
		break;
	}
	LOG("plat: %s (metric %u) -> %s (metric %u): %s", o,
	    d.has_old ? d.old_metric : 0, n, d.has_new ? d.new_metric : 0,
	    a->last_reason);
	a->p_out = 0;
	a->p_next_ms = now;
	if (mx_apply_plat(a, &d) == -1)
		a->m_sync = 1;
}

/* ---- probes ------------------------------------------------------------- */

static void
probe_open(struct agent *a)
{
	struct icmp6_filter f;
	uint16_t r;

	if (a->c.probe_interval_ms == 0)
		return;
	a->pfd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			IPPROTO_ICMPV6);
	if (a->pfd < 0) {
		LOG("probes: no raw ICMPv6 socket (%s): probes are off",
		    strerror(errno));
		a->c.probe_interval_ms = 0;
		a->sel.cfg.probe_failures = 0;
		return;
	}
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	setsockopt(a->pfd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint16_t)getpid();
	a->p_ident = r;
}

static void
probe_tick(struct agent *a, uint64_t now)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct icmp6_hdr h;
	uint8_t pkt[sizeof(h) + 8];

	if (a->pfd < 0 || !a->sel.has_cur)
		return;
	if (a->p_out && now - a->p_sent_ms >= a->c.probe_timeout_ms) {
		char s[INET6_ADDRSTRLEN];

		a->p_out = 0;
		a->probes_lost++;
		mesh_sel_probe(&a->sel, 0);
		LOG("probe: no echo reply from %s (%u in a row)",
		    ip6_str(a->p_dst, s, sizeof(s)), a->sel.probe_fails);
		a->dirty = 1;
	}
	if (a->p_out || now < a->p_next_ms)
		return;
	mesh_plat_mgmt_addr(&a->sel.cur, a->p_dst);
	memset(&h, 0, sizeof(h));
	h.icmp6_type = ICMP6_ECHO_REQUEST;
	h.icmp6_id = htons(a->p_ident);
	h.icmp6_seq = htons(++a->p_seq);
	memcpy(pkt, &h, sizeof(h));
	memcpy(pkt + sizeof(h), "mxmesh\0\0", 8);
	memcpy(&sa.sin6_addr, a->p_dst, 16);
	a->p_sent_ms = now;
	a->p_next_ms = now + a->c.probe_interval_ms;
	if (sendto(a->pfd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		/* No route is a lost probe too. */
		if (a->verbose)
			LOG("probe: sendto: %s", strerror(errno));
	}
	a->p_out = 1;
	a->probes_sent++;
}

static void
probe_read(struct agent *a)
{
	uint8_t buf[1500];
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(a->pfd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl)) > 0) {
		struct icmp6_hdr h;

		fl = sizeof(from);
		if ((size_t)n < sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		if (h.icmp6_type != ICMP6_ECHO_REPLY ||
		    ntohs(h.icmp6_id) != a->p_ident ||
		    ntohs(h.icmp6_seq) != a->p_seq || !a->p_out ||
		    memcmp(&from.sin6_addr, a->p_dst, 16) != 0)
			continue;
		a->p_out = 0;
		a->probes_ok++;
		if (a->sel.probe_fails > 0)
			a->dirty = 1;
		mesh_sel_probe(&a->sel, 1);
	}
}

/* ---- the MAC-derived addresses (rtnetlink) ------------------------------ */

static int
addr_change(struct agent *a, const uint8_t *addr, int add)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr e;
	} ack;
	struct rtattr *rta;
	unsigned int idx;
	int fd, rc = -1;

	if (a->c.claim_if[0] == '\0')
		return 0;
	idx = if_nametoindex(a->c.claim_if);
	if (idx == 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			     (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	req.ifa.ifa_family = AF_INET6;
	req.ifa.ifa_prefixlen = 128;
	req.ifa.ifa_flags = IFA_F_NODAD;
	req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	req.ifa.ifa_index = idx;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = IFA_LOCAL;
	rta->rta_len = RTA_LENGTH(16);
	memcpy(RTA_DATA(rta), addr, 16);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, &req, req.nh.nlmsg_len, 0) == (ssize_t)req.nh.nlmsg_len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 1000) == 1 &&
		    recv(fd, &ack, sizeof(ack), 0) >= (ssize_t)sizeof(ack) &&
		    ack.nh.nlmsg_type == NLMSG_ERROR)
			rc = ack.e.error == 0 || (!add &&
				ack.e.error == -EADDRNOTAVAIL) ? 0 : -1;
	}
	close(fd);
	return rc;
}

static void
client_addr(struct agent *a, struct client *cl, int add)
{
	uint8_t addr[16];
	char s[INET6_ADDRSTRLEN], m[18];

	if (a->c.claim_if[0] == '\0' || (add && cl->addr_added) ||
	    (!add && !cl->addr_added))
		return;
	mesh_client_addr(&a->c.client_net, cl->mac, addr);
	if (addr_change(a, addr, add) != 0) {
		LOG("client %s: cannot %s %s on %s", mac_str(cl->mac, m,
		    sizeof(m)), add ? "add" : "remove",
		    ip6_str(addr, s, sizeof(s)), a->c.claim_if);
		return;
	}
	cl->addr_added = (uint8_t)add;
}

/* ---- clients and the exchange ------------------------------------------- */

static struct client *
client_find(struct agent *a, const uint8_t *mac)
{
	unsigned int i;

	for (i = 0; i < a->n_clients; i++)
		if (memcmp(a->clients[i].mac, mac, 6) == 0)
			return &a->clients[i];
	return NULL;
}

static void
client_remove(struct agent *a, struct client *cl)
{
	client_addr(a, cl, 0);
	*cl = a->clients[--a->n_clients];
}

static struct client *
client_new(struct agent *a, const uint8_t *mac)
{
	struct client *cl = client_find(a, mac);

	if (cl != NULL)
		return cl;
	if (a->n_clients == MAX_CLIENTS)
		return NULL;
	cl = &a->clients[a->n_clients++];
	memset(cl, 0, sizeof(*cl));
	memcpy(cl->mac, mac, 6);
	return cl;
}

static void
udp_send(struct agent *a, const struct mesh_msg *m, const uint8_t *dst,
	 uint16_t port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	uint8_t buf[MESH_MSG_MAX];
	size_t n = mesh_msg_encode(m, a->c.key, a->c.key_len, buf,
				   sizeof(buf));
	char s[INET6_ADDRSTRLEN];

	memcpy(&sa.sin6_addr, dst, 16);
	if (n == 0 || sendto(a->ufd, buf, n, 0, (struct sockaddr *)&sa,
			     sizeof(sa)) != (ssize_t)n) {
		a->send_errors++;
		LOG("roam: cannot send %u to [%s]:%u: %s", m->type,
		    ip6_str(dst, s, sizeof(s)), port, strerror(errno));
		return;
	}
	a->tx[m->type - 1]++;
}

static void
msg_new(struct mesh_msg *m, uint8_t type, const uint8_t *mac)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->ts = wall_s();
	if (getrandom(m->nonce, sizeof(m->nonce), 0) != sizeof(m->nonce))
		abort();	/* no randomness: no safe nonces */
	memcpy(m->mac, mac, 6);
}

static void
claim_send(struct agent *a, struct claim *c)
{
	struct mesh_msg m;
	struct pkt_pfx6 net = a->c.client_net;
	uint8_t dst[16];

	if (c->tries >= CLAIM_TRIES_MAX)
		return;
	msg_new(&m, MESH_MSG_CLAIM, c->mac);
	memcpy(c->nonce[c->tries], m.nonce, MESH_MSG_NONCE);
	mesh_client_addr(&net, c->mac, dst);
	udp_send(a, &m, dst, a->c.port);
	c->tries++;
	c->next_ms = mono_ms() + a->c.claim_timeout_ms;
}

static void
claims_tick(struct agent *a, uint64_t now)
{
	unsigned int i;
	char m[18];

	for (i = 0; i < MAX_CLAIMS; i++) {
		struct claim *c = &a->claims[i];

		if (!c->active || now < c->next_ms)
			continue;
		if (c->tries >= a->c.claim_tries) {
			c->active = 0;
			a->claims_unanswered++;
			LOG("claim %s: no INFO after %u tries: a client new to "
			    "the mesh", mac_str(c->mac, m, sizeof(m)),
			    c->tries);
			continue;
		}
		claim_send(a, c);
	}
}

/* Node A: a CLAIM for one of our clients. Answer INFO, then let go. */
static int
on_claim(struct agent *a, const struct mesh_msg *m,
	 const struct sockaddr_in6 *from, uint64_t now)
{
	struct client *cl = client_find(a, m->mac);
	struct mesh_msg r;
	char s[18], ip[16];
	uint64_t left;

	if (cl == NULL || cl->until_ms <= now) {
		reject(a, MESH_REJ_not_for_us, from, "CLAIM for a client "
		       "we do not serve");
		return 0;
	}
	if (!cl->has_platc) {
		if (!a->sel.has_cur) {
			LOG("claim %s: the client has no PLAT; no INFO",
			    mac_str(m->mac, s, sizeof(s)));
			return 1;
		}
		memcpy(cl->platc, a->sel.cur.addr, 16);
		cl->has_platc = 1;
	}
	left = (cl->until_ms - now + 999) / 1000;
	msg_new(&r, MESH_MSG_INFO, m->mac);
	memcpy(r.echo, m->nonce, sizeof(r.echo));
	memcpy(r.clatd, cl->clatd, 16);
	r.client = cl->ip4;
	r.lease = (uint32_t)(left > a->c.lease_max ? a->c.lease_max : left);
	memcpy(r.platc, cl->platc, 16);
	udp_send(a, &r, from->sin6_addr.s6_addr, ntohs(from->sin6_port));
	LOG("claim %s: INFO to the new node; client %s, lease %u s left; "
	    "dropping it here", mac_str(m->mac, s, sizeof(s)),
	    ip4_str(cl->ip4, ip, sizeof(ip)), r.lease);
	if (cl->roamed) {
		char params[128];

		snprintf(params, sizeof(params), "{\"kind\":\"clat\","
			 "\"client\":\"%s\"}", ip);
		mx_do(a, "roam.del", params);
	}
	client_remove(a, cl);
	return 1;
}

static void
plat_roam_apply(struct agent *a, const struct mesh_msg *m, uint64_t now)
{
	struct plat_roam *r = NULL;
	unsigned int i;
	char ip[16], f[128], t[128];

	for (i = 0; i < a->n_proams; i++)
		if (a->proams[i].ip4 == m->client &&
		    memcmp(a->proams[i].clatd, m->clatd, 16) == 0)
			r = &a->proams[i];
	if (r == NULL && a->n_proams < MAX_PLAT_ROAMS)
		r = &a->proams[a->n_proams++];
	if (r == NULL) {
		LOG("roam: table full (%u), entry not kept", MAX_PLAT_ROAMS);
		return;
	}
	r->ip4 = m->client;
	memcpy(r->clatd, m->clatd, 16);
	memcpy(r->clatb, m->clatb, 16);
	r->until_ms = now + (uint64_t)m->lease * 1000;
	LOG("roam: client %s moved from %s to %s, lease %u s",
	    ip4_str(m->client, ip, sizeof(ip)), pfx_str(m->clatd, 96, f,
	    sizeof(f)), pfx_str(m->clatb, 96, t, sizeof(t)), m->lease);
	roam_add_plat(a, r, now);
}

/* Node B: ROAM to the client's PLAT (seed 003: "sends a ROAM packet to
 * PLATC:192.0.0.1"), or apply it here when we are that PLAT. Again at
 * each lease renewal, so that the PLAT's entry lives as long as ours. */
static void
roam_tell_plat(struct agent *a, const struct client *cl, uint64_t now)
{
	struct pkt_pfx6 platc = { .len = 96 };
	struct mesh_msg r;
	uint64_t left = cl->until_ms > now ? (cl->until_ms - now + 999) / 1000
					   : 1;
	uint8_t dst[16];

	msg_new(&r, MESH_MSG_ROAM, cl->mac);
	memcpy(r.clatd, cl->clatd, 16);
	r.client = cl->ip4;
	r.lease = (uint32_t)(left > a->c.lease_max ? a->c.lease_max : left);
	memcpy(r.clatb, a->c.clat_prefix.addr, 16);
	memcpy(r.platc, cl->platc, 16);
	if (a->c.has_plat_prefix &&
	    memcmp(a->c.plat_prefix.addr, cl->platc, 12) == 0) {
		plat_roam_apply(a, &r, now);	/* we are PLATC ourselves */
		return;
	}
	memcpy(platc.addr, cl->platc, 16);
	mesh_plat_mgmt_addr(&platc, dst);
	udp_send(a, &r, dst, a->c.port);
}

/* Node B: the INFO answering our CLAIM. Tell the PLAT, program ours. */
static int
on_info(struct agent *a, const struct mesh_msg *m,
	const struct sockaddr_in6 *from, uint64_t now)
{
	struct claim *c = NULL;
	struct client *cl;
	unsigned int i;
	char s[18], ip[16], p[128], q[128];

	for (i = 0; i < MAX_CLAIMS; i++) {
		unsigned int k;

		if (!a->claims[i].active ||
		    memcmp(a->claims[i].mac, m->mac, 6) != 0)
			continue;
		for (k = 0; k < a->claims[i].tries; k++)
			if (memcmp(a->claims[i].nonce[k], m->echo,
				   MESH_MSG_NONCE) == 0)
				c = &a->claims[i];
	}
	if (c == NULL) {
		reject(a, MESH_REJ_unexpected, from, "INFO");
		return 0;
	}
	c->active = 0;
	cl = client_new(a, m->mac);
	if (cl == NULL) {
		LOG("info %s: client table full", mac_str(m->mac, s,
							  sizeof(s)));
		return 1;
	}
	cl->ip4 = m->client;
	cl->until_ms = now + (uint64_t)m->lease * 1000;
	memcpy(cl->clatd, m->clatd, 16);
	memcpy(cl->platc, m->platc, 16);
	cl->has_platc = 1;
	cl->roamed = 1;
	LOG("info %s: client %s roamed here, CLAT %s, PLAT %s, lease %u s",
	    mac_str(m->mac, s, sizeof(s)), ip4_str(m->client, ip, sizeof(ip)),
	    pfx_str(m->clatd, 96, p, sizeof(p)), pfx_str(m->platc, 96, q,
	    sizeof(q)), m->lease);
	roam_tell_plat(a, cl, now);
	roam_add_clat(a, cl, now);
	client_addr(a, cl, 1);
	return 1;
}

/* PLAT C: a ROAM for us. */
static int
on_roam(struct agent *a, const struct mesh_msg *m,
	const struct sockaddr_in6 *from, uint64_t now)
{
	if (!a->c.has_plat_prefix ||
	    memcmp(a->c.plat_prefix.addr, m->platc, 12) != 0) {
		reject(a, MESH_REJ_not_for_us, from, "ROAM for another PLAT");
		return 0;
	}
	plat_roam_apply(a, m, now);
	return 1;
}

static void
udp_read(struct agent *a)
{
	struct mesh_verify_cfg vc = { .key = a->c.key,
		.key_len = a->c.key_len, .window_s = a->c.window_s,
		.lease_max = a->c.lease_max };
	uint8_t buf[MESH_MSG_MAX + 1];
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(a->ufd, buf, sizeof(buf), MSG_TRUNC,
			     (struct sockaddr *)&from, &fl)) >= 0) {
		uint64_t now = mono_ms();
		struct mesh_msg m;
		enum mesh_reject r;

		fl = sizeof(from);
		/* MSG_TRUNC: 'n' is the datagram's real size, so an
		 * oversized one is seen as such. */
		r = mesh_msg_verify(&vc, &a->replay, buf,
				    (size_t)n > sizeof(buf) ? sizeof(buf)
							    : (size_t)n,
				    wall_s(), &m);
		if (r == MESH_REJ_NONE && (size_t)n > sizeof(buf))
			r = MESH_REJ_oversized;
		if (r != MESH_REJ_NONE) {
			reject(a, r, &from, NULL);
			continue;
		}
		/* rx counts the messages accepted, rejected[] the rest. */
		if ((m.type == MESH_MSG_CLAIM && on_claim(a, &m, &from, now)) ||
		    (m.type == MESH_MSG_INFO && on_info(a, &m, &from, now)) ||
		    (m.type == MESH_MSG_ROAM && on_roam(a, &m, &from, now)))
			a->rx[m.type]++;
	}
}

static void
leases_tick(struct agent *a, uint64_t now)
{
	unsigned int i;
	char s[18];

	for (i = 0; i < a->n_clients;) {
		if (a->clients[i].until_ms <= now) {
			LOG("client %s: lease over", mac_str(a->clients[i].mac,
				s, sizeof(s)));
			client_remove(a, &a->clients[i]);
			continue;
		}
		i++;
	}
	for (i = 0; i < a->n_proams;) {
		if (a->proams[i].until_ms <= now) {
			a->proams[i] = a->proams[--a->n_proams];
			continue;
		}
		i++;
	}
}

/* ---- our control socket ------------------------------------------------- */

static int
cmd_client_add(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	struct agent *a = arg;
	const struct ctl_val *mac = ctl_arg(ar, "mac"), *ip = ctl_arg(ar, "ip4");
	const struct ctl_val *lease = ctl_arg(ar, "lease");
	struct client *cl;
	char s[18], ipb[16];

	if (ip->family != 4)
		return ctl_err(o, CTL_E_PARAMS, "ip4", "ip4: not an IPv4 "
			       "address");
	if ((mac->mac[0] & 1) != 0)
		return ctl_err(o, CTL_E_PARAMS, "mac", "mac: a multicast MAC");
	if (!a->c.roam)
		return ctl_err(o, CTL_E_FAILED, NULL, "no roaming: the config "
			       "has no \"roam\" section");
	if (lease->i > (int64_t)a->c.lease_max)
		return ctl_err(o, CTL_E_PARAMS, "lease", "lease: above "
			       "lease_max %u", a->c.lease_max);
	cl = client_new(a, mac->mac);
	if (cl == NULL)
		return ctl_err(o, CTL_E_LIMIT, NULL, "client table full");
	/* A lease from our own DHCP server: the client's CLAT is ours and
	 * its PLAT the one chosen now (seed 003: "CLATD ... when it
	 * received its lease"). */
	cl->ip4 = ip->p4.addr;
	cl->until_ms = mono_ms() + (uint64_t)lease->i * 1000;
	if (!cl->roamed) {
		memcpy(cl->clatd, a->c.clat_prefix.addr, 16);
		cl->has_platc = a->sel.has_cur;
		if (a->sel.has_cur)
			memcpy(cl->platc, a->sel.cur.addr, 16);
	}
	client_addr(a, cl, 1);
	if (cl->roamed) {
		/* A renewal at this node of a client that roamed here: its
		 * entries here and on its PLAT must last as long. */
		roam_tell_plat(a, cl, mono_ms());
		roam_add_clat(a, cl, mono_ms());
	}
	LOG("client %s: lease of %s for %" PRId64 " s%s", mac_str(cl->mac, s,
	    sizeof(s)), ip4_str(cl->ip4, ipb, sizeof(ipb)), lease->i,
	    cl->roamed ? " (roamed here)" : "");
	ctl_out_mac(o, "mac", cl->mac);
	ctl_out_ip4(o, "ip4", cl->ip4, -1);
	ctl_out_bool(o, "roamed", cl->roamed);
	return 0;
}

static int
cmd_client_claim(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	struct agent *a = arg;
	const struct ctl_val *mac = ctl_arg(ar, "mac");
	unsigned int i;
	char s[18];

	if (!a->c.roam)
		return ctl_err(o, CTL_E_FAILED, NULL, "no roaming: the config "
			       "has no \"roam\" section");
	if ((mac->mac[0] & 1) != 0)
		return ctl_err(o, CTL_E_PARAMS, "mac", "mac: a multicast MAC");
	if (client_find(a, mac->mac) != NULL)
		return ctl_err(o, CTL_E_EXISTS, "mac", "mac: already a client "
			       "of this node");
	for (i = 0; i < MAX_CLAIMS; i++)
		if (!a->claims[i].active ||
		    memcmp(a->claims[i].mac, mac->mac, 6) == 0)
			break;
	if (i == MAX_CLAIMS)
		return ctl_err(o, CTL_E_LIMIT, NULL, "too many CLAIMs waiting");
	memset(&a->claims[i], 0, sizeof(a->claims[i]));
	a->claims[i].active = 1;
	memcpy(a->claims[i].mac, mac->mac, 6);
	claim_send(a, &a->claims[i]);
	LOG("claim %s: sent", mac_str(mac->mac, s, sizeof(s)));
	ctl_out_mac(o, "mac", mac->mac);
	ctl_out_bool(o, "sent", 1);
	return 0;
}

static int
cmd_client_del(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	struct agent *a = arg;
	struct client *cl = client_find(a, ctl_arg(ar, "mac")->mac);

	if (cl == NULL)
		return ctl_err(o, CTL_E_NOT_FOUND, "mac", "mac: not a client "
			       "of this node");
	if (cl->roamed) {
		char ip[16], params[128];

		snprintf(params, sizeof(params), "{\"kind\":\"clat\","
			 "\"client\":\"%s\"}", ip4_str(cl->ip4, ip, sizeof(ip)));
		mx_do(a, "roam.del", params);
	}
	client_remove(a, cl);
	ctl_out_u64(o, "removed", 1);
	return 0;
}

static int
cmd_client_list(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	struct agent *a = arg;
	uint64_t now = mono_ms();
	unsigned int i;

	(void)ar;
	ctl_out_arr(o, "clients");
	for (i = 0; i < a->n_clients; i++) {
		const struct client *cl = &a->clients[i];

		ctl_out_obj(o, NULL);
		ctl_out_mac(o, "mac", cl->mac);
		ctl_out_ip4(o, "ip4", cl->ip4, -1);
		ctl_out_ip6(o, "clat", cl->clatd, 96);
		if (cl->has_platc)
			ctl_out_ip6(o, "plat", cl->platc, 96);
		else
			ctl_out_str(o, "plat", "");
		ctl_out_bool(o, "roamed", cl->roamed);
		ctl_out_u64(o, "expires_in", cl->until_ms > now ?
			    (cl->until_ms - now) / 1000 : 0);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static int
cmd_roam_list(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	struct agent *a = arg;
	uint64_t now = mono_ms();
	unsigned int i;

	(void)ar;
	ctl_out_arr(o, "entries");
	for (i = 0; i < a->n_proams; i++) {
		const struct plat_roam *r = &a->proams[i];

		ctl_out_obj(o, NULL);
		ctl_out_ip4(o, "client", r->ip4, -1);
		ctl_out_ip6(o, "from", r->clatd, 96);
		ctl_out_ip6(o, "to", r->clatb, 96);
		ctl_out_u64(o, "expires_in", r->until_ms > now ?
			    (r->until_ms - now) / 1000 : 0);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static int
cmd_stats(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	static const char *const types[] = { "claim", "info", "roam" };
	struct agent *a = arg;
	unsigned int i;
	uint64_t total = 0;

	(void)ar;
	ctl_out_obj(o, "rx");
	for (i = 0; i < 3; i++)
		ctl_out_u64(o, types[i], a->rx[i + 1]);
	ctl_out_end(o);
	ctl_out_obj(o, "tx");
	for (i = 0; i < 3; i++)
		ctl_out_u64(o, types[i], a->tx[i]);
	ctl_out_end(o);
	ctl_out_obj(o, "rejected");
	for (i = 1; i < MESH_REJ_MAX; i++) {
		ctl_out_u64(o, mesh_reject_name(i), a->rej[i]);
		total += a->rej[i];
	}
	ctl_out_end(o);
	ctl_out_u64(o, "rejected_total", total);
	ctl_out_u64(o, "replay_evicted", a->replay.evicted);
	ctl_out_u64(o, "claims_unanswered", a->claims_unanswered);
	ctl_out_u64(o, "send_errors", a->send_errors);
	ctl_out_u64(o, "plat_switches", a->sel.switches);
	ctl_out_u64(o, "probes_sent", a->probes_sent);
	ctl_out_u64(o, "probes_ok", a->probes_ok);
	ctl_out_u64(o, "probes_lost", a->probes_lost);
	ctl_out_u64(o, "babel_connects", a->babel_connects);
	ctl_out_u64(o, "babel_lines", a->babel_lines);
	ctl_out_u64(o, "babel_bad_lines", a->babel_bad);
	ctl_out_u64(o, "babel_routes", a->routes->n);	/* /96s in range */
	ctl_out_u64(o, "babel_table_full", a->routes->full);
	ctl_out_u64(o, "meshxlat_connects", a->mx_connects);
	ctl_out_u64(o, "meshxlat_errors", a->mx_errors);
	ctl_out_u64(o, "clients", a->n_clients);
	ctl_out_u64(o, "plat_roams", a->n_proams);
	return 0;
}

static int
cmd_plat(const struct ctl_args *ar, struct ctl_out *o, void *arg)
{
	static const char *const held[] = { "", "threshold", "hold_down" };
	struct agent *a = arg;
	unsigned int i;

	(void)ar;
	if (a->sel.has_cur)
		ctl_out_ip6(o, "prefix", a->sel.cur.addr, 96);
	else
		ctl_out_str(o, "prefix", "");
	ctl_out_u64(o, "metric", a->sel.has_cur ? a->sel.cur_metric : 0);
	ctl_out_str(o, "reason", a->last_reason);
	ctl_out_str(o, "held_by", held[a->sel.held < 3 ? a->sel.held : 0]);
	ctl_out_u64(o, "probe_failures", a->sel.probe_fails);
	ctl_out_bool(o, "babeld", a->synced);
	ctl_out_bool(o, "meshxlat", a->mfd >= 0);
	ctl_out_u64(o, "switches", a->sel.switches);
	ctl_out_arr(o, "candidates");
	for (i = 0; i < a->n_cands; i++) {
		ctl_out_obj(o, NULL);
		ctl_out_ip6(o, "prefix", a->cands[i].prefix.addr, 96);
		ctl_out_u64(o, "metric", a->cands[i].metric);
		ctl_out_end(o);
	}
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param p_add[] = {
	{ .name = "mac", .type = CTL_T_MAC, .required = 1,
	  .help = "the client's MAC" },
	{ .name = "ip4", .type = CTL_T_IP, .required = 1,
	  .help = "its IPv4 address (the DHCP lease)" },
	{ .name = "lease", .type = CTL_T_INT, .required = 1, .min = 1,
	  .max = 365 * 86400, .help = "lease time, seconds" },
	{ .name = NULL },
};

static const struct ctl_param p_mac[] = {
	{ .name = "mac", .type = CTL_T_MAC, .required = 1,
	  .help = "the client's MAC" },
	{ .name = NULL },
};

static struct ctl_cmd cmds[] = {
	{ .method = "mesh.client.add", .fn = cmd_client_add, .params = p_add,
	  .flags = CTL_F_WRITE,
	  .help = "a DHCP lease of this node (dnsmasq --dhcp-script)" },
	{ .method = "mesh.client.claim", .fn = cmd_client_claim,
	  .params = p_mac, .flags = CTL_F_WRITE,
	  .help = "a client associated: ask the mesh who served it (CLAIM)" },
	{ .method = "mesh.client.del", .fn = cmd_client_del, .params = p_mac,
	  .flags = CTL_F_WRITE, .help = "forget a client" },
	{ .method = "mesh.client.list", .fn = cmd_client_list,
	  .help = "the clients of this node" },
	{ .method = "mesh.roam.list", .fn = cmd_roam_list,
	  .help = "roamed clients this node maps as their PLAT" },
	{ .method = "mesh.stats.get", .fn = cmd_stats,
	  .help = "messages, rejections by reason, probes, connections" },
	{ .method = "mesh.plat.get", .fn = cmd_plat,
	  .help = "the chosen PLAT, why, and the candidates" },
};

/* ---- start-up ----------------------------------------------------------- */

static int
load_key(struct mesh_conf *c, char *err)
{
	char buf[1024];
	size_t n;
	FILE *f = fopen(c->key_file, "r");
	int rc;

	if (f == NULL) {
		snprintf(err, MESH_ERR_SIZE, "roam.key_file: %s: %s",
			 c->key_file, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	rc = mesh_key_parse(buf, n, c->key, err);
	explicit_bzero(buf, sizeof(buf));
	if (rc < 0)
		return -1;
	c->key_len = (size_t)rc;
	return 0;
}

static int
udp_open(struct agent *a)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(a->c.port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1;

	a->ufd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			0);
	if (a->ufd < 0)
		return -1;
	setsockopt(a->ufd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(a->ufd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Answers go from the address a CLAIM was sent to; free-bind lets
	 * the socket sit on [::] while addresses come and go. */
	setsockopt(a->ufd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one));
	return bind(a->ufd, (struct sockaddr *)&sa, sizeof(sa));
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: meshxlat-mesh --config FILE [--verbose]...\n"
		"  the mesh agent: PLAT choice from babeld's routes and the\n"
		"  roaming exchange (doc/mesh-agent.md)\n");
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct agent A;
	struct agent *a = &A;
	const char *cfg = NULL;
	char err[MESH_ERR_SIZE];
	unsigned int i;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfg = optarg;
			break;
		case 'v':
			a->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (cfg == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (mesh_conf_load_file(cfg, &a->c, err) != 0 ||
	    (a->c.roam && load_key(&a->c, err) != 0)) {
		fprintf(stderr, "meshxlat-mesh: %s\n", err);
		return 2;
	}
	a->routes = calloc(1, sizeof(*a->routes));
	if (a->routes == NULL)
		return 1;
	a->bfd = a->mfd = a->pfd = a->ufd = -1;
	mesh_routes_init(a->routes);
	mesh_sel_init(&a->sel, &a->c.sel);
	mesh_replay_init(&a->replay);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (a->c.roam && udp_open(a) != 0) {
		fprintf(stderr, "meshxlat-mesh: UDP port %u: %s\n", a->c.port,
			strerror(errno));
		return 1;
	}
	probe_open(a);
	if (a->c.control_socket[0] != '\0') {
		struct ctl_rpc_cfg rc = { .path = a->c.control_socket,
					  .mode = 0660, .gid = (gid_t)-1 };

		a->reg = ctl_registry_create();
		if (a->reg == NULL)
			return 1;
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			struct ctl_cmd *c = &cmds[i];

			c->arg = a;
			if (ctl_register(a->reg, c) != 0) {
				fprintf(stderr, "meshxlat-mesh: cannot register "
					"%s\n", c->method);
				return 1;
			}
		}
		a->rpc = ctl_rpc_create(a->reg, &rc, err, sizeof(err));
		if (a->rpc == NULL) {
			fprintf(stderr, "meshxlat-mesh: %s\n", err);
			return 1;
		}
	}
	LOG("started: plat_range %s, threshold %u, hold-down %" PRIu64
	    " s, probes every %u ms (%u lost: gone)%s",
	    pfx_str(a->c.plat_range.addr, 48, err, sizeof(err)),
	    a->c.sel.threshold, a->c.sel.hold_down_ms / 1000,
	    a->c.probe_interval_ms, a->c.sel.probe_failures,
	    a->c.roam ? ", roaming on" : "");

	while (!stop) {
		struct pollfd p[4];
		int np = 0, ib = -1, im = -1, ip = -1, iu = -1;
		uint64_t now;

		babel_connect(a);
		mx_connect(a);
		mx_sync(a);
		if (a->bfd >= 0) {
			p[np] = (struct pollfd){ .fd = a->bfd, .events = POLLIN };
			ib = np++;
		}
		if (a->mfd >= 0) {
			p[np] = (struct pollfd){ .fd = a->mfd, .events = POLLIN };
			im = np++;
		}
		if (a->pfd >= 0) {
			p[np] = (struct pollfd){ .fd = a->pfd, .events = POLLIN };
			ip = np++;
		}
		if (a->ufd >= 0) {
			p[np] = (struct pollfd){ .fd = a->ufd, .events = POLLIN };
			iu = np++;
		}
		if (poll(p, (nfds_t)np, a->rpc != NULL ? 20 : 50) < 0 &&
		    errno != EINTR)
			break;
		if (ib >= 0 && p[ib].revents)
			babel_read(a);
		if (im >= 0 && p[im].revents && a->mfd >= 0) {
			/* Nothing is expected between calls: EOF means
			 * meshxlat went away. */
			static char line[LINE_MAX_SIZE];
			int rc = lb_fill(&a->min, a->mfd);

			while (lb_line(&a->min, line))
				;
			if (rc <= 0)
				mx_down(a, rc == 0 ? "meshxlat closed it" :
					"read error");
		}
		if (ip >= 0 && p[ip].revents)
			probe_read(a);
		if (iu >= 0 && p[iu].revents)
			udp_read(a);
		if (a->rpc != NULL)
			ctl_rpc_poll(a->rpc, 0);
		now = mono_ms();
		probe_tick(a, now);
		claims_tick(a, now);
		leases_tick(a, now);
		if (a->dirty || now >= a->next_eval_ms)
			evaluate(a, now);
	}
	LOG("stopping");
	for (i = 0; i < a->n_clients; i++)
		client_addr(a, &a->clients[i], 0);
	ctl_rpc_free(a->rpc);
	ctl_registry_free(a->reg);
	if (a->bfd >= 0)
		close(a->bfd);
	if (a->mfd >= 0)
		close(a->mfd);
	if (a->pfd >= 0)
		close(a->pfd);
	if (a->ufd >= 0)
		close(a->ufd);
	free(a->routes);
	free(a->bin.buf);
	free(a->min.buf);
	explicit_bzero(a->c.key, sizeof(a->c.key));
	return 0;
}
