/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-ddns: keeps the AAAA records of home servers (prefix + stable
 * suffix) in a DNS zone up to date while the ISP renumbers, with RFC 2136
 * dynamic updates signed with TSIG (RFC 8945). Seed 002's cron script,
 * as a small daemon that reacts within a second.
 *
 *   meshxlat-ddns --config FILE [--check]
 *
 * The prefix comes from meshxlat's control socket (prefix.get, then the
 * prefix.changed events) or, on a plain Linux host, from the host's own
 * global addresses on one interface, followed with rtnetlink. The DNS side
 * is nsupdate and dig from bind9-dnsutils, run as child processes without
 * a shell: nsupdate gets the update on stdin and signs it with the key
 * file. One child at a time; the event loop keeps reading events while it
 * runs, and the next update always carries the newest prefix.
 *
 * Policy (doc/home-gateway.md):
 * - a record is sent only when it differs from what the server has: at
 *   start dig asks, afterwards we remember what we published;
 * - server unreachable, timeout, SERVFAIL: retry with exponential backoff
 *   (retry.min .. retry.max), a new prefix restarts at once;
 * - the key or the update rejected (NOTAUTH, BADKEY, BADSIG, REFUSED...):
 *   one clear error naming the key, then nothing until the prefix changes
 *   or retry.after_auth_error seconds have passed;
 * - a malformed line from the control socket: logged (rate-limited),
 *   counted, ignored.
 * The pure decisions are in conf.c, addr.c and proto.c (unit-tested).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ctl.h"
#include "ddns.h"

extern char **environ;

#define OUT_MAX		(64 * 1024)	/* child output kept */
#define LINE_MAX_SIZE	(1 << 20)	/* control socket line */
#define MAX_IFADDRS	64
#define LINUX_RESCAN_MS	30000		/* safety net for missed events */
#define BAD_LOG_PER_MIN	10

enum job_kind { JOB_NONE, JOB_DIG, JOB_UPDATE };

struct job {
	enum job_kind kind;
	pid_t pid;
	int fd;				/* its stdout + stderr */
	char *out;
	size_t len;
	int64_t deadline;		/* SIGKILL after this */
	struct ddns_prefix prefix;	/* the newest prefix when it began */
	unsigned int host;		/* JOB_DIG */
	unsigned int n;			/* JOB_UPDATE: hosts in 'which' */
	unsigned int which[DDNS_MAX_HOSTS];
	uint8_t addrs[DDNS_MAX_HOSTS][16];
};

/* What the server has for a host, as far as we know. */
struct host_state {
	uint8_t known;			/* asked (dig) or published by us */
	uint8_t exact;			/* the RRset is exactly 'addr' */
	uint8_t addr[16];
};

struct stats {
	uint64_t nsupdate_runs, dig_runs, records_changed, update_failures;
	uint64_t auth_failures, bad_messages, prefix_changes, ctl_connects;
};

static struct agent {
	struct ddns_conf c;
	char key_name[DDNS_NAME_SIZE];
	char key_alg[64];
	struct ddns_prefix want;	/* the newest prefix */
	struct host_state hs[DDNS_MAX_HOSTS];
	struct job job;
	int64_t next_try;		/* no DNS job before this (backoff) */
	uint32_t backoff_ms;
	/* meshxlat source */
	int ctl_fd;
	struct ddns_lines lines;	/* its lines */
	int64_t ctl_retry_at;
	uint32_t ctl_backoff_ms;
	/* linux source */
	int nl_fd;
	int64_t nl_rescan_at;
	int if_missing_logged;
	/* rate limit of "bad message" log lines */
	int64_t bad_window;
	unsigned int bad_logged;
	struct stats st;
} A;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line per event on stderr, with the UTC time. */
static void __attribute__((format(printf, 1, 2)))
dlog(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char t[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ meshxlat-ddns: ", t, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static void
log_stats(void)
{
	dlog("stats: nsupdate_runs=%llu dig_runs=%llu records_changed=%llu "
	     "update_failures=%llu auth_failures=%llu bad_messages=%llu "
	     "prefix_changes=%llu ctl_connects=%llu",
	     (unsigned long long)A.st.nsupdate_runs,
	     (unsigned long long)A.st.dig_runs,
	     (unsigned long long)A.st.records_changed,
	     (unsigned long long)A.st.update_failures,
	     (unsigned long long)A.st.auth_failures,
	     (unsigned long long)A.st.bad_messages,
	     (unsigned long long)A.st.prefix_changes,
	     (unsigned long long)A.st.ctl_connects);
}

/* A malformed message: counted always, logged a few times a minute. */
static void
bad_message(const char *from, const char *why)
{
	int64_t t = now_ms();

	A.st.bad_messages++;
	if (t - A.bad_window > 60000) {
		A.bad_window = t;
		A.bad_logged = 0;
	}
	if (A.bad_logged++ < BAD_LOG_PER_MIN)
		dlog("ignored a malformed message from %s: %s (%llu so far)",
		     from, why, (unsigned long long)A.st.bad_messages);
}

static const char *
addr_str(const uint8_t *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static const char *
prefix_str(const struct ddns_prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!p->present)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%s/%u", addr_str(p->addr, a), p->len);
	return buf;
}

/* ---- the prefix -------------------------------------------------------- */

static void
set_prefix(const struct ddns_prefix *p, const char *from)
{
	char a[64], b[64];

	if (p->present == A.want.present &&
	    (!p->present || memcmp(p->addr, A.want.addr, 8) == 0))
		return;
	dlog("prefix %s (was %s) from %s", prefix_str(p, a, sizeof(a)),
	     prefix_str(&A.want, b, sizeof(b)), from);
	A.st.prefix_changes++;
	A.want = *p;
	if (!p->present) {
		/* Nothing to publish: the records stay as they are until a
		 * prefix is back (a gateway without an uplink keeps its
		 * names rather than deleting them). */
		return;
	}
	/* A new prefix is worth a try at once, even after a rejected key. */
	A.next_try = 0;
	A.backoff_ms = 0;
}

/* ---- child processes ----------------------------------------------------- */

static int
spawn(const char *const argv[], const char *input, size_t input_len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	int in[2] = { -1, -1 }, out[2];
	pid_t pid;
	int rc;

	if (pipe2(out, O_CLOEXEC) != 0)
		return -errno;
	if (input != NULL && pipe2(in, O_CLOEXEC) != 0) {
		rc = -errno;
		close(out[0]);
		close(out[1]);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	if (input != NULL)
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	/* Our blocked signals (signalfd) and ignored SIGPIPE are ours. */
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGUSR1);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv,
			  environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(out[1]);
	if (input != NULL)
		close(in[0]);
	if (rc != 0) {
		close(out[0]);
		if (input != NULL)
			close(in[1]);
		return -rc;
	}
	if (input != NULL) {
		/* At most about 40 KiB (64 hosts): fits the 64 KiB pipe,
		 * so this never blocks on a child that does not read. */
		size_t off = 0;

		while (off < input_len) {
			ssize_t w = write(in[1], input + off, input_len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;	/* it died: its status tells */
			off += (size_t)w;
		}
		close(in[1]);
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	A.job.pid = pid;
	A.job.fd = out[0];
	A.job.len = 0;
	/* nsupdate/dig have their own timeouts; this is the backstop. */
	A.job.deadline = now_ms() + 2000 * (int64_t)A.c.timeout_s + 5000;
	return 0;
}

static void
backoff(const char *what, const char *why)
{
	A.backoff_ms = ddns_backoff_next(A.backoff_ms, A.c.retry_min_ms,
					 A.c.retry_max_ms);
	A.next_try = now_ms() + A.backoff_ms;
	/* A prefix that came while the job ran is tried at once. */
	if (A.job.kind == JOB_NONE &&
	    memcmp(&A.job.prefix, &A.want, sizeof(A.want)) != 0) {
		A.next_try = 0;
		dlog("%s failed: %s; the prefix changed meanwhile: trying "
		     "again now", what, why);
		return;
	}
	dlog("%s failed: %s; retrying in %.1f s", what, why,
	     A.backoff_ms / 1000.0);
}

static void
start_dig(unsigned int h)
{
	char server[DDNS_ADDR_STR + 1], port[8], tm[24];
	const char *argv[] = { "dig", "-r", server, "-p", port, tm,
		"+tries=2", "+norecurse", "+noall", "+comments", "+answer",
		A.c.hosts[h].fqdn, "AAAA", NULL };
	int rc;

	snprintf(server, sizeof(server), "@%s", A.c.server);
	snprintf(port, sizeof(port), "%u", (unsigned int)A.c.port);
	snprintf(tm, sizeof(tm), "+time=%u",
		 A.c.timeout_s / 2 > 0 ? A.c.timeout_s / 2 : 1);
	A.job.kind = JOB_DIG;
	A.job.prefix = A.want;
	A.job.host = h;
	A.st.dig_runs++;
	rc = spawn(argv, NULL, 0);
	if (rc != 0) {
		A.job.kind = JOB_NONE;
		backoff("dig", strerror(-rc));
	}
}

static void
start_update(void)
{
	char script[DDNS_MAX_HOSTS * 2 * (DDNS_NAME_SIZE + 64) + 1024];
	char tmo[16], udp[16];
	const char *argv[] = { "nsupdate", "-k", A.c.key_file, "-t", tmo,
		"-u", udp, "-r", "2", NULL };
	int len, rc;

	len = ddns_nsupdate_script(&A.c, A.job.which,
				   (const uint8_t (*)[16])A.job.addrs,
				   A.job.n, script, sizeof(script));
	if (len < 0) {
		dlog("cannot write the update: %s", strerror(-len));
		return;
	}
	snprintf(tmo, sizeof(tmo), "%u", A.c.timeout_s);
	snprintf(udp, sizeof(udp), "%u", (A.c.timeout_s + 2) / 3);
	A.job.kind = JOB_UPDATE;
	A.job.prefix = A.want;
	A.st.nsupdate_runs++;
	dlog("sending an update of %u record%s to %s port %u with key "
	     "\"%s\" (nsupdate run %llu)", A.job.n, A.job.n == 1 ? "" : "s",
	     A.c.server, (unsigned int)A.c.port, A.key_name,
	     (unsigned long long)A.st.nsupdate_runs);
	rc = spawn(argv, script, (size_t)len);
	if (rc != 0) {
		A.job.kind = JOB_NONE;
		backoff("nsupdate", strerror(-rc));
	}
}

/* Start whatever brings the zone closer to the newest prefix. */
static void
reconcile(void)
{
	unsigned int i;

	if (A.job.kind != JOB_NONE || !A.want.present)
		return;
	if (A.next_try != 0 && now_ms() < A.next_try)
		return;
	for (i = 0; i < A.c.n_hosts; i++)
		if (!A.hs[i].known) {
			start_dig(i);
			return;
		}
	A.job.n = 0;
	for (i = 0; i < A.c.n_hosts; i++) {
		uint8_t a[16];

		ddns_compose(A.want.addr, A.c.hosts[i].suffix, a);
		if (A.hs[i].exact && memcmp(A.hs[i].addr, a, 16) == 0)
			continue;
		A.job.which[A.job.n] = i;
		memcpy(A.job.addrs[A.job.n], a, 16);
		A.job.n++;
	}
	if (A.job.n == 0) {
		A.backoff_ms = 0;
		A.next_try = 0;
		return;
	}
	start_update();
}

static void
job_done(int status)
{
	char why[300], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct job *j = &A.job;
	enum ddns_result r;
	unsigned int i;

	if (j->kind == JOB_DIG) {
		struct host_state *h = &A.hs[j->host];
		const char *fqdn = A.c.hosts[j->host].fqdn;
		uint8_t addrs[8][16];
		unsigned int n;

		r = ddns_dig_parse(status, j->out, j->len, fqdn, addrs, 8, &n,
				   why, sizeof(why));
		j->kind = JOB_NONE;
		if (r != DDNS_OK) {
			/* The server and the name, whole: */
			char what[DDNS_NAME_SIZE + sizeof(A.c.server) + 16];

			snprintf(what, sizeof(what), "asking %s for %s",
				 A.c.server, fqdn);
			backoff(what, why);
			return;
		}
		h->known = 1;
		h->exact = n == 1;
		if (n == 1)
			memcpy(h->addr, addrs[0], 16);
		dlog("%s AAAA on the server: %s%s", fqdn,
		     n == 0 ? "none" : addr_str(addrs[0], a),
		     n > 1 ? " and more" : "");
		A.backoff_ms = 0;
		A.next_try = 0;
		return;
	}

	r = ddns_nsupdate_result(status, j->out, j->len, why, sizeof(why));
	j->kind = JOB_NONE;
	switch (r) {
	case DDNS_OK:
		for (i = 0; i < j->n; i++) {
			struct host_state *h = &A.hs[j->which[i]];

			dlog("changed %s AAAA %s (was %s)",
			     A.c.hosts[j->which[i]].fqdn,
			     addr_str(j->addrs[i], a),
			     h->exact ? addr_str(h->addr, b) : "none");
			h->known = 1;
			h->exact = 1;
			memcpy(h->addr, j->addrs[i], 16);
			A.st.records_changed++;
		}
		A.backoff_ms = 0;
		A.next_try = 0;
		break;
	case DDNS_RETRY:
		A.st.update_failures++;
		backoff("update", why);
		break;
	case DDNS_AUTH:
		A.st.update_failures++;
		A.st.auth_failures++;
		A.next_try = now_ms() + 1000 * (int64_t)A.c.auth_retry_s;
		dlog("ERROR: %s port %u rejected the update signed with TSIG "
		     "key \"%s\" (%s, file %s): %s. Check that the server "
		     "knows this key with the same secret and algorithm and "
		     "that its update-policy lets it change these names. Not "
		     "retrying until the prefix changes or for %u s.",
		     A.c.server, (unsigned int)A.c.port, A.key_name,
		     A.key_alg, A.c.key_file, why, A.c.auth_retry_s);
		break;
	}
}

/* Read what the child wrote; at EOF, reap it. */
static void
job_read(void)
{
	struct job *j = &A.job;
	char buf[4096];
	int st;

	for (;;) {
		ssize_t n = read(j->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		if (j->len + (size_t)n <= OUT_MAX) {
			memcpy(j->out + j->len, buf, (size_t)n);
			j->len += (size_t)n;
		}
	}
	close(j->fd);
	j->fd = -1;
	/* Output closed: it exits now. */
	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	j->pid = -1;
	job_done(WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
job_kill(void)
{
	int st;

	if (A.job.pid <= 0)
		return;
	kill(A.job.pid, SIGKILL);
	while (waitpid(A.job.pid, &st, 0) < 0 && errno == EINTR)
		;
	A.job.pid = -1;
	if (A.job.fd >= 0)
		close(A.job.fd);
	A.job.fd = -1;
}

/* ---- meshxlat's control socket ------------------------------------------- */

#define CTL_ID_SUBSCRIBE	1
#define CTL_ID_GET		2

static int
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

static void
ctl_close(const char *why)
{
	if (A.ctl_fd >= 0)
		close(A.ctl_fd);
	A.ctl_fd = -1;
	ddns_lines_reset(&A.lines);
	A.ctl_backoff_ms = ddns_backoff_next(A.ctl_backoff_ms,
					     A.c.retry_min_ms,
					     A.c.retry_max_ms);
	A.ctl_retry_at = now_ms() + A.ctl_backoff_ms;
	dlog("control socket: %s; reconnecting in %.1f s", why,
	     A.ctl_backoff_ms / 1000.0);
}

static void
ctl_connect(void)
{
	char err[256], *sub, *get;
	int fd, ok;

	A.ctl_retry_at = 0;
	fd = ctl_client_connect(A.c.socket, err, sizeof(err));
	if (fd < 0) {
		A.ctl_fd = -1;
		ctl_close(err);
		return;
	}
	/* Subscribe first, then ask: no change falls between the two. */
	sub = ctl_client_request("events.subscribe",
				 "{\"filter\":\"prefix.\"}", CTL_ID_SUBSCRIBE);
	get = ctl_client_request("prefix.get", NULL, CTL_ID_GET);
	ok = sub != NULL && get != NULL &&
	     write_all(fd, sub, strlen(sub)) == 0 &&
	     write_all(fd, "\n", 1) == 0 &&
	     write_all(fd, get, strlen(get)) == 0 &&
	     write_all(fd, "\n", 1) == 0;
	free(sub);
	free(get);
	A.ctl_fd = fd;
	if (!ok) {
		ctl_close("cannot send the requests");
		return;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	A.st.ctl_connects++;
	A.ctl_backoff_ms = 0;
	dlog("connected to meshxlat at %s, following port %s", A.c.socket,
	     A.c.port_name);
}

static void
ctl_line(const char *line, size_t len)
{
	struct ddns_prefix p;
	char why[256];

	if (A.ctl_fd < 0)	/* closed by an earlier line of this read */
		return;
	switch (ddns_ctl_line(line, len, A.c.port_name, CTL_ID_GET, &p, why,
			      sizeof(why))) {
	case DDNS_MSG_PREFIX:
		set_prefix(&p, "meshxlat");
		break;
	case DDNS_MSG_REFRESH: {
		char *get = ctl_client_request("prefix.get", NULL, CTL_ID_GET);

		if (get == NULL || write_all(A.ctl_fd, get, strlen(get)) != 0 ||
		    write_all(A.ctl_fd, "\n", 1) != 0)
			ctl_close("cannot send prefix.get");
		free(get);
		break;
	}
	case DDNS_MSG_BAD:
		bad_message("meshxlat", why);
		break;
	case DDNS_MSG_OTHER:
		break;
	}
}

static void
ctl_line_cb(const char *line, size_t len, void *arg)
{
	(void)arg;
	ctl_line(line, len);
}

static void
ctl_read(void)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = read(A.ctl_fd, buf, sizeof(buf));
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			char why[DDNS_PATH_SIZE + 64];

			snprintf(why, sizeof(why), "%s: %s", A.c.socket,
				 n == 0 ? "closed by meshxlat" :
				 strerror(errno));
			ctl_close(why);
			return;
		}
		rc = ddns_lines_feed(&A.lines, buf, (size_t)n, ctl_line_cb,
				     NULL);
		if (rc < 0) {
			ctl_close("out of memory");
			return;
		}
		while (rc-- > 0)
			bad_message("meshxlat", "a line longer than 1 MiB");
		/* ctl_line() may have closed it (a failed prefix.get). */
		if (A.ctl_fd < 0)
			return;
	}
}

/* ---- the host's own addresses (linux source) ------------------------------ */

static int
nl_open(unsigned int groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* One RTM_GETADDR dump: the addresses of 'ifindex' into 'addrs'. */
static int
linux_dump(int ifindex, struct ddns_ifaddr *addrs, unsigned int *n)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg m;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETADDR,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		       .nlmsg_seq = 1 },
		.m = { .ifa_family = AF_INET6 },
	};
	struct timeval tv = { .tv_sec = 2 };
	static char buf[32768];
	int fd, rc = 0, tries;

	*n = 0;
	fd = nl_open(0);
	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, &req, sizeof(req), 0) < 0) {
		rc = -errno;
		goto out;
	}
	/* A dump is a few messages; bounded anyway. */
	for (tries = 0; tries < 1000; tries++) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);

		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0) {
			rc = len < 0 ? -errno : -EPIPE;
			goto out;
		}
		rc = ddns_nl_addrs(buf, (size_t)len, ifindex, addrs,
				   MAX_IFADDRS, n);
		if (rc != 0)
			break;
	}
	if (rc > 0)
		rc = 0;
out:
	close(fd);
	return rc;
}

/* The interface's addresses; the prefix of the chosen one. */
static int
linux_scan(void)
{
	struct ddns_ifaddr addrs[MAX_IFADDRS];
	struct ddns_prefix p = { 0 };
	unsigned int n = 0;
	int ifindex, rc = 0, best, i;
	char from[64];

	A.nl_rescan_at = now_ms() + LINUX_RESCAN_MS;
	ifindex = (int)if_nametoindex(A.c.ifname);
	if (ifindex == 0) {
		if (!A.if_missing_logged)
			dlog("interface %s: %s; waiting for it", A.c.ifname,
			     strerror(errno));
		A.if_missing_logged = 1;
		set_prefix(&p, "linux (no interface)");
		return 0;
	}
	A.if_missing_logged = 0;
	/* An inconsistent dump (addresses changing meanwhile) is redone. */
	for (i = 0; i < 3; i++) {
		rc = linux_dump(ifindex, addrs, &n);
		if (rc != -EINTR)
			break;
	}
	if (rc < 0) {
		dlog("reading the addresses of %s: %s", A.c.ifname,
		     strerror(-rc));
		return rc;
	}
	best = ddns_pick_addr(addrs, n);
	if (best >= 0) {
		p.present = 1;
		p.len = 64;
		memcpy(p.addr, addrs[best].addr, 8);
	}
	snprintf(from, sizeof(from), "linux %s", A.c.ifname);
	set_prefix(&p, from);
	return 0;
}

/* Notifications only say "something changed": drain, then dump again. */
static void
linux_read(void)
{
	static char buf[16384];

	for (;;) {
		ssize_t n = recv(A.nl_fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		/* ENOBUFS: we missed some; the dump covers them. */
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n <= 0)
			break;
	}
	linux_scan();
}

/* ---- main ------------------------------------------------------------------ */

static int
load_key(void)
{
	char text[65536], err[256];
	size_t len;
	FILE *f;

	f = fopen(A.c.key_file, "r");
	if (f == NULL) {
		dlog("key: %s: %s", A.c.key_file, strerror(errno));
		return -1;
	}
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (ddns_key_parse(text, len, A.key_name, sizeof(A.key_name),
			   A.key_alg, sizeof(A.key_alg), err,
			   sizeof(err)) != 0) {
		dlog("key: %s: %s", A.c.key_file, err);
		return -1;
	}
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: meshxlat-ddns --config FILE [--check]\n"
		"  --config FILE  the agent's JSON config "
		"(doc/home-gateway.md)\n"
		"  --check        load the config and the key file, print "
		"what would be published, exit\n"
		"Signals: SIGTERM/SIGINT stop, SIGUSR1 logs the counters.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	char err[DDNS_ERR_SIZE];
	int check = 0, opt, sfd, stop = 0;
	unsigned int i;
	sigset_t sigs;

	while ((opt = getopt_long(argc, argv, "c:nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (config == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (ddns_conf_load_file(config, &A.c, err) != 0) {
		dlog("config: %s", err);
		return 1;
	}
	if (load_key() != 0)
		return 1;
	if (check) {
		printf("zone %s, server %s port %u, key \"%s\" (%s), ttl %u\n",
		       A.c.zone, A.c.server, (unsigned int)A.c.port,
		       A.key_name, A.key_alg, A.c.ttl);
		for (i = 0; i < A.c.n_hosts; i++) {
			uint8_t a[16] = { 0 };
			char s[INET6_ADDRSTRLEN];

			ddns_compose(a, A.c.hosts[i].suffix, a);
			printf("%s AAAA <prefix>%s\n", A.c.hosts[i].fqdn,
			       addr_str(a, s) + 1);
		}
		if (A.c.source == DDNS_SRC_MESHXLAT)
			printf("prefix from meshxlat %s port %s\n",
			       A.c.socket, A.c.port_name);
		else
			printf("prefix from linux interface %s\n",
			       A.c.ifname);
		return 0;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		dlog("signalfd: %s", strerror(errno));
		return 1;
	}
	A.job.out = malloc(OUT_MAX);
	if (A.job.out == NULL) {
		dlog("out of memory");
		return 1;
	}
	A.job.fd = -1;
	A.job.pid = -1;
	A.ctl_fd = -1;
	A.lines.max = LINE_MAX_SIZE;
	A.nl_fd = -1;

	dlog("started: zone %s, server %s port %u, key \"%s\", %u host%s",
	     A.c.zone, A.c.server, (unsigned int)A.c.port, A.key_name,
	     A.c.n_hosts, A.c.n_hosts == 1 ? "" : "s");
	if (A.c.source == DDNS_SRC_MESHXLAT) {
		ctl_connect();
	} else {
		A.nl_fd = nl_open(RTMGRP_IPV6_IFADDR);
		if (A.nl_fd < 0) {
			dlog("rtnetlink: %s", strerror(-A.nl_fd));
			return 1;
		}
		fcntl(A.nl_fd, F_SETFL, O_NONBLOCK);
		linux_scan();
	}

	while (!stop) {
		struct pollfd pf[4];
		int np = 0, ijob = -1, isrc = -1, rc;
		int64_t t = now_ms(), wake = t + 60000;

		reconcile();
		if (A.job.kind != JOB_NONE && A.job.deadline < wake)
			wake = A.job.deadline;
		if (A.job.kind == JOB_NONE && A.want.present &&
		    A.next_try != 0 && A.next_try < wake)
			wake = A.next_try;
		if (A.c.source == DDNS_SRC_MESHXLAT && A.ctl_fd < 0 &&
		    A.ctl_retry_at < wake)
			wake = A.ctl_retry_at;
		if (A.c.source == DDNS_SRC_LINUX && A.nl_rescan_at < wake)
			wake = A.nl_rescan_at;

		pf[np++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (A.job.kind != JOB_NONE && A.job.fd >= 0) {
			ijob = np;
			pf[np++] = (struct pollfd){ .fd = A.job.fd,
						    .events = POLLIN };
		}
		if (A.ctl_fd >= 0 || A.nl_fd >= 0) {
			isrc = np;
			pf[np++] = (struct pollfd){
				.fd = A.ctl_fd >= 0 ? A.ctl_fd : A.nl_fd,
				.events = POLLIN };
		}
		rc = poll(pf, (nfds_t)np, wake > t ? (int)(wake - t) : 0);
		if (rc < 0 && errno != EINTR) {
			dlog("poll: %s", strerror(errno));
			break;
		}
		if (rc > 0 && pf[0].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGUSR1)
					log_stats();
				else
					stop = 1;
			}
		}
		if (rc > 0 && ijob >= 0 && pf[ijob].revents)
			job_read();
		if (rc > 0 && isrc >= 0 && pf[isrc].revents) {
			if (A.c.source == DDNS_SRC_MESHXLAT)
				ctl_read();
			else
				linux_read();
		}
		t = now_ms();
		if (A.job.kind != JOB_NONE && t >= A.job.deadline) {
			dlog("%s did not finish in time: killed",
			     A.job.kind == JOB_DIG ? "dig" : "nsupdate");
			job_kill();
			job_done(-1);
		}
		if (A.c.source == DDNS_SRC_MESHXLAT && A.ctl_fd < 0 &&
		    t >= A.ctl_retry_at)
			ctl_connect();
		if (A.c.source == DDNS_SRC_LINUX && t >= A.nl_rescan_at)
			linux_scan();
	}
	job_kill();
	log_stats();
	dlog("stopped");
	if (A.ctl_fd >= 0)
		close(A.ctl_fd);
	if (A.nl_fd >= 0)
		close(A.nl_fd);
	close(sfd);
	ddns_lines_free(&A.lines);
	free(A.job.out);
	return 0;
}
