/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: JSON-RPC 2.0 over a Unix stream socket, one message
 * per line (rpc_msg.c runs each line against the registry).
 *
 * Everything is non-blocking and bounded so that no client can stall the
 * control lcore or another client (OVS lib/unixctl.c and jsonrpc.c work
 * the same way):
 * - a line longer than max_request gets an error and is skipped to its
 *   end; the connection lives on;
 * - each client runs at most CLIENT_BURST requests per poll, in turn;
 * - replies are queued per client; while a client has more than half of
 *   max_output unread, its further requests wait (back pressure) and
 *   events for it are dropped and counted; a single reply that would pass
 *   max_output cuts the client off;
 * - the peer's credentials (SO_PEERCRED) are checked at accept: root, the
 *   daemon's own user or the socket's group, else one error line and
 *   close.
 */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ctl_priv.h"

#define CLIENT_BURST	16	/* requests per client per poll */
#define READ_CHUNK	65536
#define EPOLL_EVENTS	64
#define FILTER_SIZE	256

struct client {
	struct ctl_rpc *srv;
	int fd;
	int privileged;
	uid_t uid;
	pid_t pid;
	char *in;			/* unparsed bytes */
	size_t in_len, in_cap;
	char *out;			/* unsent bytes: out[out_off..out_len) */
	size_t out_off, out_len, out_cap;
	uint8_t discarding;		/* skipping an over-long line */
	uint8_t eof;			/* peer closed its side */
	uint32_t events;		/* what epoll waits for */
	uint8_t dead;
	uint8_t subscribed;
	char filter[FILTER_SIZE];	/* event name prefixes, comma-separated */
};

struct ctl_rpc {
	struct ctl_registry *reg;
	struct ctl_rpc_cfg cfg;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int lfd, epfd;
	struct client **clients;	/* [max_clients], NULL = free slot */
	unsigned int rr;		/* round-robin start */
	struct ctl_rpc_stats st;
};

/* --- output ---------------------------------------------------------------- */

static size_t
out_pending(const struct client *c)
{
	return c->out_len - c->out_off;
}

/*
 * What to wait for: EPOLLOUT while replies are unsent; EPOLLIN unless the
 * client is held back (too much unread output, or a full input buffer
 * that waits for client_run), so a held client costs no wake-ups.
 */
static void
arm(struct ctl_rpc *s, struct client *c)
{
	uint32_t want = 0;
	struct epoll_event ev;

	if (out_pending(c) > 0)
		want |= EPOLLOUT;
	if (out_pending(c) <= s->cfg.max_output / 2 &&
	    c->in_len <= s->cfg.max_request &&
	    !c->eof)
		want |= EPOLLIN;
	if (c->events == want || c->dead)
		return;
	c->events = want;
	ev.events = want;
	ev.data.ptr = c;
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
flush(struct client *c)
{
	while (out_pending(c) > 0) {
		ssize_t n = send(c->fd, c->out + c->out_off, out_pending(c),
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = 1;
			break;
		}
		c->out_off += (size_t)n;
	}
	if (out_pending(c) == 0)
		c->out_off = c->out_len = 0;
}

/* Queue 'line' and a newline. Returns 0, or -ENOBUFS past 'limit'. */
static int
queue(struct client *c, const char *line, size_t len, size_t limit)
{
	size_t need;

	if (out_pending(c) + len + 1 > limit)
		return -ENOBUFS;
	if (c->out_off > 0 && c->out_len + len + 1 > c->out_cap) {
		memmove(c->out, c->out + c->out_off, out_pending(c));
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	need = c->out_len + len + 1;
	if (need > c->out_cap) {
		size_t cap = c->out_cap == 0 ? 4096 : c->out_cap;
		char *n;

		while (cap < need)
			cap *= 2;
		n = realloc(c->out, cap);
		if (n == NULL)
			return -ENOMEM;
		c->out = n;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, line, len);
	c->out[c->out_len + len] = '\n';
	c->out_len = need;
	return 0;
}

static void
reply(struct ctl_rpc *s, struct client *c, const char *line)
{
	if (queue(c, line, strlen(line), s->cfg.max_output) != 0) {
		/* It never reads: let it go rather than hold its replies. */
		s->st.slow_cut++;
		c->dead = 1;
		return;
	}
	flush(c);
}

/* --- clients --------------------------------------------------------------- */

static void
client_close(struct ctl_rpc *s, unsigned int slot)
{
	struct client *c = s->clients[slot];

	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->subscribed)
		s->st.subscribers--;
	free(c->in);
	free(c->out);
	free(c);
	s->clients[slot] = NULL;
	s->st.clients--;
	s->st.closed++;
}

static void
refuse(int fd, const char *why)
{
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"error\":"
		     "{\"code\":%d,\"message\":\"%s\"},\"id\":null}\n",
		     CTL_E_DENIED, why);
	if (n > 0 && send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		n = 0;	/* nothing more to do for a peer we refuse */
	close(fd);
}

static int
peer_privileged(const struct ctl_rpc *s, const struct ucred *cr)
{
	return cr->uid == 0 || cr->uid == geteuid() ||
	       (s->cfg.gid != (gid_t)-1 && cr->gid == s->cfg.gid);
}

static void
accept_all(struct ctl_rpc *s)
{
	unsigned int i;

	for (i = 0; i < 64; i++) {
		struct epoll_event ev = { .events = EPOLLIN };
		socklen_t len = sizeof(struct ucred);
		struct ucred cr;
		struct client *c;
		unsigned int slot;
		int fd;

		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0 ||
		    !peer_privileged(s, &cr)) {
			s->st.refused++;
			refuse(fd, "permission denied: only root, the daemon's "
			       "user or the control group may connect");
			continue;
		}
		for (slot = 0; slot < s->cfg.max_clients; slot++)
			if (s->clients[slot] == NULL)
				break;
		if (slot == s->cfg.max_clients) {
			s->st.refused++;
			refuse(fd, "too many clients");
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			s->st.refused++;
			refuse(fd, "out of memory");
			continue;
		}
		c->srv = s;
		c->fd = fd;
		c->events = EPOLLIN;
		c->uid = cr.uid;
		c->pid = cr.pid;
		c->privileged = 1;
		ev.data.ptr = c;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			free(c);
			s->st.refused++;
			refuse(fd, "internal error");
			continue;
		}
		s->clients[slot] = c;
		s->st.clients++;
		s->st.accepted++;
	}
}

/* Read what is there, up to one chunk. */
static void
client_read(struct ctl_rpc *s, struct client *c)
{
	size_t want = s->cfg.max_request + 1;
	ssize_t n;

	if (c->in_cap < want && c->in_len + READ_CHUNK > c->in_cap) {
		size_t cap = c->in_cap == 0 ? 4096 : 2 * c->in_cap;
		char *p;

		if (cap > want)
			cap = want;
		p = realloc(c->in, cap);
		if (p == NULL) {
			c->dead = 1;
			return;
		}
		c->in = p;
		c->in_cap = cap;
	}
	if (c->in_len == c->in_cap)
		return;		/* the line check below makes room */
	n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len,
		 MSG_DONTWAIT);
	if (n == 0) {
		c->eof = 1;
	} else if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			c->dead = 1;
	} else {
		c->in_len += (size_t)n;
	}
}

static void
run_line(struct ctl_rpc *s, struct client *c, const char *line, size_t len)
{
	char *r;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
			   line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	s->st.requests++;
	r = ctl_rpc_handle(s->reg, line, len, c, c->privileged);
	if (r == NULL)
		return;
	if (strstr(r, "\"error\":{") != NULL)
		s->st.errors++;
	reply(s, c, r);
	free(r);
}

static void
too_large(struct ctl_rpc *s, struct client *c)
{
	char line[160];

	s->st.too_large++;
	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":"
		 "%d,\"message\":\"request longer than %zu bytes\"},"
		 "\"id\":null}", CTL_E_REQUEST, s->cfg.max_request);
	reply(s, c, line);
}

/* Run up to CLIENT_BURST complete lines. Returns how many ran. */
static int
client_run(struct ctl_rpc *s, struct client *c)
{
	size_t start = 0;
	int done = 0;

	if (c->in_len == 0)
		return 0;
	while (done < CLIENT_BURST && !c->dead &&
	       out_pending(c) <= s->cfg.max_output / 2) {
		char *nl = memchr(c->in + start, '\n', c->in_len - start);

		if (nl == NULL) {
			if (c->eof && c->in_len > start && !c->discarding) {
				/* A last line without its newline. */
				run_line(s, c, c->in + start,
					 c->in_len - start);
				done++;
				start = c->in_len;
			}
			break;
		}
		if (c->discarding)
			c->discarding = 0;
		else
			run_line(s, c, c->in + start, (size_t)(nl - c->in) - start);
		done++;
		start = (size_t)(nl - c->in) + 1;
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->in_len > s->cfg.max_request) {
		/* No newline within the limit: answer once, then skip to the
		 * end of that line. */
		if (!c->discarding)
			too_large(s, c);
		c->discarding = 1;
		c->in_len = 0;
	}
	return done;
}

static int
has_line(const struct client *c)
{
	return c->in_len > 0 &&
	       (memchr(c->in, '\n', c->in_len) != NULL || c->eof);
}

int
ctl_rpc_poll(struct ctl_rpc *s, int timeout_ms)
{
	struct epoll_event ev[EPOLL_EVENTS];
	unsigned int i, k;
	int n, done = 0;

	/* Lines left over from the last poll (burst limit, back pressure)
	 * run without waiting. */
	for (i = 0; i < s->cfg.max_clients; i++)
		if (s->clients[i] != NULL && has_line(s->clients[i]) &&
		    out_pending(s->clients[i]) <= s->cfg.max_output / 2)
			timeout_ms = 0;
	n = epoll_wait(s->epfd, ev, EPOLL_EVENTS, timeout_ms);
	for (k = 0; n > 0 && k < (unsigned int)n; k++) {
		struct client *c = ev[k].data.ptr;

		if (c == NULL) {
			accept_all(s);
			continue;
		}
		if (ev[k].events & EPOLLOUT)
			flush(c);
		if (ev[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			client_read(s, c);
	}
	/* Run requests round-robin from a moving start. */
	for (k = 0; k < s->cfg.max_clients; k++) {
		unsigned int slot = (s->rr + k) % s->cfg.max_clients;
		struct client *c = s->clients[slot];

		if (c == NULL)
			continue;
		if (!c->dead)
			done += client_run(s, c);
		if (c->dead || (c->eof && !has_line(c) && out_pending(c) == 0))
			client_close(s, slot);
		else
			arm(s, c);
	}
	s->rr = (s->rr + 1) % s->cfg.max_clients;
	return done;
}

/* --- events --------------------------------------------------------------- */

static int
filter_match(const char *filter, const char *name)
{
	const char *p = filter;

	if (*p == '\0')
		return 1;
	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t l = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (l > 0 && strncmp(name, p, l) == 0)
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

void
ctl_rpc_event(struct ctl_rpc *s, const char *name,
	      void (*fill)(struct ctl_out *o, void *arg), void *arg)
{
	struct ctl_out *o;
	json_t *params, *msg;
	unsigned int i;
	char *line;

	if (s == NULL || s->st.subscribers == 0)
		return;
	o = ctl_out_create();
	if (o == NULL)
		return;
	ctl_out_str(o, "event", name);
	if (fill != NULL)
		fill(o, arg);
	params = ctl_out_result(o);
	msg = json_pack("{s:s, s:s, s:O}", "jsonrpc", "2.0", "method",
			"event", "params", params);
	line = msg != NULL ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	ctl_out_free(o);
	if (line == NULL)
		return;
	for (i = 0; i < s->cfg.max_clients; i++) {
		struct client *c = s->clients[i];

		if (c == NULL || !c->subscribed || c->dead ||
		    !filter_match(c->filter, name))
			continue;
		if (queue(c, line, strlen(line), s->cfg.max_output / 2) != 0) {
			s->st.events_dropped++;
			continue;
		}
		s->st.events_sent++;
		flush(c);
	}
	free(line);
}

static int
cmd_subscribe(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *f = ctl_arg(a, "filter");
	struct client *c = a->conn;

	(void)arg;
	if (c == NULL)
		return ctl_err(o, CTL_E_FAILED, NULL, "events are sent over "
			       "the control socket only (meshxlatctl events)");
	snprintf(c->filter, sizeof(c->filter), "%s", f != NULL ? f->s : "");
	if (!c->subscribed)
		c->srv->st.subscribers++;
	c->subscribed = 1;
	ctl_out_bool(o, "subscribed", 1);
	ctl_out_str(o, "filter", c->filter);
	return 0;
}

static int
cmd_unsubscribe(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	struct client *c = a->conn;

	(void)arg;
	if (c != NULL && c->subscribed) {
		c->subscribed = 0;
		c->srv->st.subscribers--;
	}
	ctl_out_bool(o, "subscribed", 0);
	return 0;
}

static const struct ctl_param subscribe_params[] = {
	{ .name = "filter", .type = CTL_T_STR,
	  .help = "event name prefixes, comma-separated (\"clat.,plat.\"); "
		  "empty: all" },
	{ .name = NULL },
};

static const struct ctl_cmd subscribe_cmd = {
	.method = "events.subscribe",
	.help = "receive events as notifications on this connection",
	.params = subscribe_params,
	.fn = cmd_subscribe,
};

static const struct ctl_cmd unsubscribe_cmd = {
	.method = "events.unsubscribe",
	.help = "stop receiving events on this connection",
	.fn = cmd_unsubscribe,
};

int
ctl_events_register(struct ctl_registry *r)
{
	int rc;

	if (ctl_lookup(r, subscribe_cmd.method) != NULL)
		return 0;
	if ((rc = ctl_register(r, &subscribe_cmd)) != 0)
		return rc;
	return ctl_register(r, &unsubscribe_cmd);
}

/* --- setup ----------------------------------------------------------------- */

static int
make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;
	size_t i;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	for (i = 1; dir[i] != '\0'; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return -errno;
		dir[i] = '/';
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Refuse to take over the socket of a daemon that still answers. */
static int
in_use(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return rc;
}

struct ctl_rpc *
ctl_rpc_create(struct ctl_registry *r, const struct ctl_rpc_cfg *cfg,
	       char *err, size_t err_size)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_rpc *s;
	struct stat st;
	int rc;

	if (strlen(cfg->path) >= sizeof(sa.sun_path)) {
		snprintf(err, err_size, "control.socket: %s: longer than %zu "
			 "bytes", cfg->path, sizeof(sa.sun_path) - 1);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		goto nomem;
	s->reg = r;
	s->cfg = *cfg;
	s->lfd = s->epfd = -1;
	if (s->cfg.max_clients == 0)
		s->cfg.max_clients = 128;
	if (s->cfg.max_request == 0)
		s->cfg.max_request = 1 << 20;
	if (s->cfg.max_output == 0)
		s->cfg.max_output = 16 << 20;
	snprintf(s->path, sizeof(s->path), "%s", cfg->path);
	s->cfg.path = s->path;
	s->clients = calloc(s->cfg.max_clients, sizeof(*s->clients));
	if (s->clients == NULL)
		goto nomem;
	memcpy(sa.sun_path, s->path, strlen(s->path) + 1);

	if ((rc = make_parent(s->path)) != 0) {
		snprintf(err, err_size, "control.socket: %s: cannot create its "
			 "directory: %s", s->path, strerror(-rc));
		goto fail;
	}
	if (lstat(s->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, err_size, "control.socket: %s exists and "
				 "is not a socket", s->path);
			goto fail;
		}
		if (in_use(&sa)) {
			snprintf(err, err_size, "control.socket: %s: another "
				 "meshxlat answers there", s->path);
			goto fail;
		}
		unlink(s->path);
	}
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 ||
	    bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(s->path, cfg->mode) != 0 ||
	    (cfg->gid != (gid_t)-1 && chown(s->path, (uid_t)-1, cfg->gid) != 0) ||
	    listen(s->lfd, 128) != 0) {
		snprintf(err, err_size, "control.socket: %s: %s", s->path,
			 strerror(errno));
		goto fail;
	}
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &ev) != 0) {
		snprintf(err, err_size, "epoll: %s", strerror(errno));
		goto fail;
	}
	if (ctl_events_register(r) != 0)
		goto nomem;
	return s;
nomem:
	snprintf(err, err_size, "control socket: out of memory");
fail:
	ctl_rpc_free(s);
	return NULL;
}

void
ctl_rpc_free(struct ctl_rpc *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	for (i = 0; s->clients != NULL && i < s->cfg.max_clients; i++)
		if (s->clients[i] != NULL) {
			flush(s->clients[i]);
			client_close(s, i);
		}
	if (s->lfd >= 0) {
		close(s->lfd);
		unlink(s->path);
	}
	if (s->epfd >= 0)
		close(s->epfd);
	free(s->clients);
	free(s);
}

void
ctl_rpc_stats(const struct ctl_rpc *s, struct ctl_rpc_stats *st)
{
	*st = s->st;
}
