/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlatctl: the command-line client of the control socket, like
 * ovs-appctl or vppctl.
 *
 *   meshxlatctl [--socket PATH] [--json] [--timeout S] METHOD [key=value...]
 *   meshxlatctl [--socket PATH] events [filter=PREFIXES] [--count N]
 *   meshxlatctl [--socket PATH] metrics
 *
 * METHOD is a method name ("neigh.add") or its words ("neigh add").
 * Results are printed as tables for people, or as the exact JSON result
 * with --json. Exit status: 0 success, 1 the method failed, 2 usage or
 * connection problems.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include "ctl.h"

#define DEFAULT_SOCKET	"/run/meshxlat/ctl.sock"
#define LINE_MAX_SIZE	(64u << 20)	/* a reply line, bytes */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: meshxlatctl [--socket PATH] [--json] [--timeout S] "
		"METHOD [key=value ...]\n"
		"       meshxlatctl [--socket PATH] events [filter=PREFIXES] "
		"[--count N]\n"
		"       meshxlatctl [--socket PATH] metrics\n\n"
		"  METHOD           a method such as neigh.add, or its words: "
		"neigh add\n"
		"  --socket PATH    control socket (default $MESHXLAT_SOCKET or "
		DEFAULT_SOCKET ")\n"
		"  --json           print the result as JSON\n"
		"  --timeout S      give up after S seconds (default 10; events: "
		"none)\n"
		"  --count N        events: stop after N events\n\n"
		"'meshxlatctl ctl.method.list' lists every method and its "
		"parameters.\n");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
send_line(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return send(fd, "\n", 1, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

struct reader {
	int fd;
	char *buf;
	size_t len, cap;
};

/*
 * The next line from the socket (NUL-terminated in place, valid until
 * the next call), waiting until 'deadline' (0: forever). NULL on EOF,
 * timeout or error; 'why' says which.
 */
static char *
read_line(struct reader *r, double deadline, const char **why)
{
	static size_t consumed;

	if (consumed > 0) {
		memmove(r->buf, r->buf + consumed, r->len - consumed);
		r->len -= consumed;
		consumed = 0;
	}
	for (;;) {
		char *nl = r->len > 0 ? memchr(r->buf, '\n', r->len) : NULL;
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;

		if (nl != NULL) {
			*nl = '\0';
			consumed = (size_t)(nl - r->buf) + 1;
			return r->buf;
		}
		if (r->len + 65536 > r->cap) {
			size_t cap = r->cap == 0 ? 131072 : 2 * r->cap;
			char *b;

			if (cap > LINE_MAX_SIZE) {
				*why = "reply too long";
				return NULL;
			}
			b = realloc(r->buf, cap);
			if (b == NULL) {
				*why = "out of memory";
				return NULL;
			}
			r->buf = b;
			r->cap = cap;
		}
		if (deadline > 0) {
			double left = deadline - now();

			if (left <= 0) {
				*why = "no reply in time";
				return NULL;
			}
			wait_ms = (int)(left * 1000) + 1;
		}
		if (stop) {
			*why = "interrupted";
			return NULL;
		}
		n = poll(&p, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		n = recv(r->fd, r->buf + r->len, r->cap - r->len - 1, 0);
		if (n == 0) {
			*why = "meshxlat closed the connection";
			return NULL;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*why = strerror(errno);
			return NULL;
		}
		r->len += (size_t)n;
	}
}

/* "neigh" "add" "ip=..." -> method "neigh.add", args from "ip=...". */
static int
method_of(int argc, char **argv, char *method, size_t size)
{
	int i;

	method[0] = '\0';
	for (i = 0; i < argc && strchr(argv[i], '=') == NULL; i++) {
		size_t l = strlen(method);

		if (l + strlen(argv[i]) + 2 > size)
			return -1;
		snprintf(method + l, size - l, "%s%s", l > 0 ? "." : "",
			 argv[i]);
	}
	return i;
}

static int
print_result(const char *json, int as_json)
{
	char *pretty = NULL;

	if (!as_json)
		return ctl_render_text(stdout, json) == 0 ? 0 : 1;
	if (ctl_json_pretty(json, &pretty) != 0)
		return 1;
	printf("%s\n", pretty);
	free(pretty);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = getenv("MESHXLAT_SOCKET"), *why = "";
	struct reader rd = { .fd = -1 };
	double timeout = 10, deadline;
	char method[CTL_NAME_MAX], err[512], *params, *req, *line;
	long count = -1, seen = 0;
	int as_json = 0, events, metrics, first, c, rc = 2;
	struct ctl_reply rep;

	if (sock == NULL || *sock == '\0')
		sock = DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "+s:jt:n:h", lo, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			as_json = 1;
			break;
		case 't':
			timeout = strtod(optarg, &end);
			if (*end != '\0' || timeout < 0) {
				fprintf(stderr, "meshxlatctl: --timeout %s: not a "
					"number of seconds\n", optarg);
				return 2;
			}
			break;
		case 'n':
			count = strtol(optarg, &end, 10);
			if (*end != '\0' || count < 1) {
				fprintf(stderr, "meshxlatctl: --count %s: not a "
					"positive number\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	/* Options may also follow the method (meshxlatctl events --count 3):
	 * take them out before the words are read. */
	{
		int i, j = 0;

		for (i = 0; i < argc; i++) {
			if (strcmp(argv[i], "--json") == 0) {
				as_json = 1;
			} else if (strcmp(argv[i], "--count") == 0 &&
				   i + 1 < argc) {
				char *end;

				count = strtol(argv[++i], &end, 10);
				if (*end != '\0' || count < 1) {
					fprintf(stderr, "meshxlatctl: --count "
						"%s: not a positive number\n",
						argv[i]);
					return 2;
				}
			} else {
				argv[j++] = argv[i];
			}
		}
		argc = j;
	}
	first = method_of(argc, argv, method, sizeof(method));
	if (first <= 0) {
		fprintf(stderr, "meshxlatctl: %s\n", first == 0 ?
			"which method? (meshxlatctl ctl.method.list lists them)" :
			"method name too long");
		usage(stderr);
		return 2;
	}
	events = strcmp(method, "events") == 0;
	metrics = strcmp(method, "metrics") == 0;
	if (events)
		snprintf(method, sizeof(method), "events.subscribe");
	else if (metrics)
		snprintf(method, sizeof(method), "stats.metrics.get");

	params = ctl_words_to_params(argc - first, argv + first, err,
				     sizeof(err));
	if (params == NULL) {
		fprintf(stderr, "meshxlatctl: %s\n", err);
		return 2;
	}
	req = ctl_client_request(method, params, 1);
	free(params);
	rd.fd = ctl_client_connect(sock, err, sizeof(err));
	if (rd.fd < 0) {
		fprintf(stderr, "meshxlatctl: %s\n", err);
		free(req);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (req == NULL || send_line(rd.fd, req) != 0) {
		fprintf(stderr, "meshxlatctl: cannot send the request\n");
		goto out;
	}
	deadline = timeout > 0 ? now() + timeout : 0;
	line = read_line(&rd, deadline, &why);
	if (line == NULL || ctl_reply_parse(line, strlen(line), &rep) != 0) {
		fprintf(stderr, "meshxlatctl: %s\n", line == NULL ? why :
			"the reply is not JSON-RPC");
		goto out;
	}
	if (rep.code != 0) {
		fprintf(stderr, "meshxlatctl: %s: error %d: %s%s%s%s\n", method,
			rep.code, rep.message, rep.field[0] != '\0' ? " (" : "",
			rep.field, rep.field[0] != '\0' ? ")" : "");
		rc = 1;
		goto out;
	}
	if (metrics) {
		char *text = NULL;

		rc = ctl_json_get_str(rep.result, "text", &text) == 0 ? 0 : 1;
		if (text != NULL)
			fputs(text, stdout);
		free(text);
	} else if (!events) {
		rc = print_result(rep.result, as_json);
	}
	free(rep.result);
	if (!events)
		goto out;
	/* Events until interrupted or --count; no timeout by default. */
	fflush(stdout);
	rc = 0;
	while (count < 0 || seen < count) {
		line = read_line(&rd, 0, &why);
		if (line == NULL) {
			if (!stop) {
				fprintf(stderr, "meshxlatctl: %s\n", why);
				rc = 2;
			}
			break;
		}
		if (ctl_reply_parse(line, strlen(line), &rep) != 0 ||
		    !rep.is_event)
			continue;
		if (as_json)
			printf("%s\n", rep.result);
		else
			ctl_render_text(stdout, rep.result);
		fflush(stdout);
		free(rep.result);
		seen++;
	}
out:
	free(req);
	free(rd.buf);
	close(rd.fd);
	return rc;
}
