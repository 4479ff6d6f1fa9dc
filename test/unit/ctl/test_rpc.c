/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ctl/rpc.c over a real Unix socket in a temporary directory, server
 * and clients in one thread (the clients never block; the server is
 * polled while they wait): requests split across writes and several in
 * one write, an over-long line answered and skipped, the client limit,
 * events with filters, a client that never reads (the others are still
 * served and its queue stays bounded), a last line without a newline, a
 * peer of another user refused (as root: a child that drops to nobody),
 * and the socket file rules (stale replaced, live or non-socket refused).
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <jansson.h>

#include "ctl.h"

#define WAIT_POLLS	400	/* x 5 ms: a bound, never a timing check */

static char dir[32], path[64];

static int
echo(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	const struct ctl_val *v = ctl_arg(a, "n");

	(void)arg;
	ctl_out_i64(o, "n", v != NULL ? v->i : -1);
	return 0;
}

/* A reply as big as asked: for the client that never reads. */
static int
big(const struct ctl_args *a, struct ctl_out *o, void *arg)
{
	static char chunk[1025];
	int64_t i, n = ctl_arg(a, "kib")->i;

	(void)arg;
	memset(chunk, 'x', sizeof(chunk) - 1);
	ctl_out_arr(o, "data");
	for (i = 0; i < n; i++)
		ctl_out_str(o, NULL, chunk);
	ctl_out_end(o);
	return 0;
}

static const struct ctl_param echo_params[] = {
	{ .name = "n", .type = CTL_T_INT, .min = 0, .max = 1 << 30 },
	{ .name = NULL },
};

static const struct ctl_param big_params[] = {
	{ .name = "kib", .type = CTL_T_INT, .min = 0, .max = 1 << 16,
	  .required = 1 },
	{ .name = NULL },
};

static const struct ctl_cmd cmds[] = {
	{ .method = "test.echo", .params = echo_params, .fn = echo },
	{ .method = "test.big", .params = big_params, .fn = big },
};

struct fixture {
	struct ctl_registry *r;
	struct ctl_rpc *s;
};

static struct ctl_rpc *
server(struct ctl_registry *r, unsigned int max_clients, size_t max_request,
       size_t max_output)
{
	struct ctl_rpc_cfg cfg = {
		.path = path, .mode = 0600, .gid = (gid_t)-1,
		.max_clients = max_clients, .max_request = max_request,
		.max_output = max_output,
	};
	char err[256];
	struct ctl_rpc *s = ctl_rpc_create(r, &cfg, err, sizeof(err));

	if (s == NULL)
		fail_msg("ctl_rpc_create: %s", err);
	return s;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned int i;

	assert_non_null(f);
	snprintf(dir, sizeof(dir), "/tmp/mx-ctl-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* A parent that does not exist yet: the server makes it. */
	snprintf(path, sizeof(path), "%s/run/ctl.sock", dir);
	f->r = ctl_registry_create();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(ctl_register(f->r, &cmds[i]), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char sub[64];

	ctl_rpc_free(f->s);
	ctl_registry_free(f->r);
	unlink(path);
	snprintf(sub, sizeof(sub), "%s/run", dir);
	rmdir(sub);
	rmdir(dir);
	free(f);
	return 0;
}

static int
connect_client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void
send_all(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);

		assert_true(n > 0);
		off += (size_t)n;
	}
}

/*
 * Poll the server until 'fd' has a whole line; return it parsed. NULL
 * when the server closed the connection first.
 */
static json_t *
read_line(struct ctl_rpc *s, int fd)
{
	/* Bytes after the line, kept per descriptor for the next call. */
	static char bufs[64][1 << 14];
	static size_t haves[64];
	char *buf;
	size_t *h;
	unsigned int i;

	assert_true(fd >= 0 && fd < 64);
	buf = bufs[fd];
	h = &haves[fd];
#define have (*h)

	for (i = 0; i < WAIT_POLLS; i++) {
		char *nl = memchr(buf, '\n', have);
		ssize_t n;

		if (nl != NULL) {
			json_t *j = json_loadb(buf, (size_t)(nl - buf), 0, NULL);

			assert_non_null(j);
			have -= (size_t)(nl - buf) + 1;
			memmove(buf, nl + 1, have);
			return j;
		}
		n = recv(fd, buf + have, sizeof(bufs[0]) - have, MSG_DONTWAIT);
		if (n == 0) {
			have = 0;
			return NULL;
		}
		if (n > 0) {
			have += (size_t)n;
			continue;
		}
		ctl_rpc_poll(s, 5);
	}
#undef have
	fail_msg("no reply from the server");
	return NULL;
}

static int64_t
result_n(json_t *rep)
{
	json_t *res = json_object_get(rep, "result");

	assert_non_null(res);
	return json_integer_value(json_object_get(res, "n"));
}

static int
error_code(json_t *rep)
{
	return (int)json_integer_value(json_object_get(json_object_get(rep,
						"error"), "code"));
}

static void
test_rpc_lines_split_and_joined(void **state)
{
	struct fixture *f = *state;
	int fd;
	json_t *j;

	f->s = server(f->r, 0, 0, 0);
	fd = connect_client();
	/* One request in three writes. */
	send_all(fd, "{\"jsonrpc\":\"2.0\",");
	ctl_rpc_poll(f->s, 0);
	send_all(fd, "\"method\":\"test.echo\",\"params\":{\"n\":1}");
	ctl_rpc_poll(f->s, 0);
	send_all(fd, ",\"id\":1}\r\n");
	j = read_line(f->s, fd);
	assert_int_equal(result_n(j), 1);
	json_decref(j);
	/* Three requests (and a blank line) in one write, replies in order. */
	send_all(fd, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":"
		 "[2],\"id\":2}\n\n{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\","
		 "\"params\":[3],\"id\":3}\n{\"jsonrpc\":\"2.0\",\"method\":"
		 "\"test.echo\",\"params\":[4],\"id\":4}\n");
	for (int64_t n = 2; n <= 4; n++) {
		j = read_line(f->s, fd);
		assert_int_equal(result_n(j), n);
		json_decref(j);
	}
	close(fd);
}

static void
test_rpc_overlong_line_answered_and_skipped(void **state)
{
	struct fixture *f = *state;
	char *huge = malloc(5000);
	struct ctl_rpc_stats st;
	int fd;
	json_t *j;

	assert_non_null(huge);
	f->s = server(f->r, 0, 1024, 0);
	fd = connect_client();
	memset(huge, ' ', 4999);
	huge[4999] = '\0';
	memcpy(huge, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\"", 37);
	send_all(fd, huge);
	send_all(fd, huge);
	send_all(fd, "}\n{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":"
		 "[5],\"id\":5}\n");
	j = read_line(f->s, fd);
	assert_int_equal(error_code(j), CTL_E_REQUEST);
	json_decref(j);
	/* The connection lives on and the next line is served. */
	j = read_line(f->s, fd);
	assert_int_equal(result_n(j), 5);
	json_decref(j);
	ctl_rpc_stats(f->s, &st);
	assert_int_equal(st.too_large, 1);
	close(fd);
	free(huge);
}

static void
test_rpc_client_limit(void **state)
{
	struct fixture *f = *state;
	struct ctl_rpc_stats st;
	int a, b, c;
	json_t *j;

	f->s = server(f->r, 2, 0, 0);
	a = connect_client();
	b = connect_client();
	ctl_rpc_poll(f->s, 0);
	c = connect_client();
	j = read_line(f->s, c);
	assert_int_equal(error_code(j), CTL_E_DENIED);
	json_decref(j);
	assert_null(read_line(f->s, c));	/* and closed */
	close(c);
	/* A slot frees when a client leaves. */
	close(a);
	ctl_rpc_poll(f->s, 0);
	ctl_rpc_poll(f->s, 0);
	c = connect_client();
	send_all(c, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"id\":7}\n");
	j = read_line(f->s, c);
	assert_int_equal(result_n(j), -1);
	json_decref(j);
	ctl_rpc_stats(f->s, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.clients, 2);
	close(b);
	close(c);
}

static void
fill_event(struct ctl_out *o, void *arg)
{
	ctl_out_str(o, "prefix", arg);
}

static void
test_rpc_events_with_filters(void **state)
{
	struct fixture *f = *state;
	int all, clat, none;
	json_t *j, *p;

	f->s = server(f->r, 0, 0, 0);
	all = connect_client();
	clat = connect_client();
	none = connect_client();
	send_all(all, "{\"jsonrpc\":\"2.0\",\"method\":\"events.subscribe\","
		 "\"id\":1}\n");
	json_decref(read_line(f->s, all));
	send_all(clat, "{\"jsonrpc\":\"2.0\",\"method\":\"events.subscribe\","
		 "\"params\":{\"filter\":\"clat.,x.\"},\"id\":1}\n");
	json_decref(read_line(f->s, clat));

	ctl_rpc_event(f->s, "plat.pool.exhausted", NULL, NULL);
	ctl_rpc_event(f->s, "clat.plat.changed", fill_event, "64:ff9b::/96");
	j = read_line(f->s, all);
	assert_null(json_object_get(j, "id"));
	assert_string_equal(json_string_value(json_object_get(j, "method")),
			    "event");
	p = json_object_get(j, "params");
	assert_string_equal(json_string_value(json_object_get(p, "event")),
			    "plat.pool.exhausted");
	json_decref(j);
	j = read_line(f->s, all);
	json_decref(j);
	j = read_line(f->s, clat);	/* the plat event was filtered out */
	p = json_object_get(j, "params");
	assert_string_equal(json_string_value(json_object_get(p, "event")),
			    "clat.plat.changed");
	assert_string_equal(json_string_value(json_object_get(p, "prefix")),
			    "64:ff9b::/96");
	json_decref(j);
	/* The one that did not subscribe gets its own reply first. */
	send_all(none, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"id\":1}\n");
	j = read_line(f->s, none);
	assert_non_null(json_object_get(j, "result"));
	json_decref(j);
	/* Unsubscribed: nothing more. */
	send_all(all, "{\"jsonrpc\":\"2.0\",\"method\":\"events.unsubscribe\","
		 "\"id\":2}\n");
	json_decref(read_line(f->s, all));
	ctl_rpc_event(f->s, "clat.plat.changed", fill_event, "x");
	send_all(all, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"id\":3}\n");
	j = read_line(f->s, all);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 3);
	json_decref(j);
	close(all);
	close(clat);
	close(none);
}

static void
test_rpc_client_that_never_reads(void **state)
{
	static const char big_req[] = "{\"jsonrpc\":\"2.0\",\"method\":"
		"\"test.big\",\"params\":{\"kib\":512},\"id\":1}\n";
	struct fixture *f = *state;
	struct ctl_rpc_stats st;
	unsigned int i;
	int slow, ok, sndbuf = 4096;
	json_t *j;

	f->s = server(f->r, 0, 0, 4 << 20);
	slow = connect_client();
	setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
	ok = connect_client();
	/* 512 KiB replies, 20 MiB in all, far more than the socket holds:
	 * the server queues up to half of max_output, then stops reading
	 * this client. */
	for (i = 0; i < 40; i++) {
		if (send(slow, big_req, strlen(big_req),
			 MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			break;
		ctl_rpc_poll(f->s, 0);
	}
	for (i = 0; i < 50; i++) {
		char req[96];

		snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"method\":"
			 "\"test.echo\",\"params\":[%u],\"id\":%u}\n", i, i);
		send_all(ok, req);
		j = read_line(f->s, ok);
		assert_int_equal(result_n(j), i);
		json_decref(j);
	}
	ctl_rpc_stats(f->s, &st);
	assert_int_equal(st.slow_cut, 0);
	assert_true(st.requests < 40 + 50);	/* 'slow' is held back */
	/* A single reply larger than max_output cuts its client off. */
	send_all(ok, "{\"jsonrpc\":\"2.0\",\"method\":\"test.big\",\"params\":"
		 "{\"kib\":8192},\"id\":1}\n");
	assert_null(read_line(f->s, ok));
	ctl_rpc_stats(f->s, &st);
	assert_int_equal(st.slow_cut, 1);
	close(slow);
	close(ok);
}

static void
test_rpc_last_line_without_newline(void **state)
{
	struct fixture *f = *state;
	int fd;
	json_t *j;

	f->s = server(f->r, 0, 0, 0);
	fd = connect_client();
	send_all(fd, "{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":"
		 "[9],\"id\":9}");
	shutdown(fd, SHUT_WR);
	j = read_line(f->s, fd);
	assert_int_equal(result_n(j), 9);
	json_decref(j);
	assert_null(read_line(f->s, fd));
	close(fd);
}

static void
test_rpc_other_user_refused(void **state)
{
	struct fixture *f = *state;
	struct ctl_rpc_stats st;
	char rundir[64];
	unsigned int i;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip();
	f->s = server(f->r, 0, 0, 0);
	/* Let 'nobody' reach the socket, so SO_PEERCRED is what refuses. */
	snprintf(rundir, sizeof(rundir), "%s/run", dir);
	chmod(dir, 0755);
	chmod(rundir, 0755);
	chmod(path, 0666);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[512];
		ssize_t n;
		int fd;

		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		fd = connect_client();
		fcntl(fd, F_SETFL, 0);
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			_exit(3);
		buf[n] = '\0';
		_exit(strstr(buf, "\"code\":-32003") != NULL &&
		      strstr(buf, "permission denied") != NULL ? 0 : 4);
	}
	for (i = 0; i < WAIT_POLLS; i++) {
		ctl_rpc_poll(f->s, 5);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	assert_true(i < WAIT_POLLS);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	ctl_rpc_stats(f->s, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.accepted, 0);
}

static void
test_rpc_socket_file_rules(void **state)
{
	struct fixture *f = *state;
	struct ctl_rpc_cfg cfg = { .path = path, .mode = 0600, .gid = (gid_t)-1 };
	struct ctl_rpc *s2;
	struct stat st;
	char err[256];
	int fd;

	f->s = server(f->r, 0, 0, 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A live server is not taken over. */
	assert_null(ctl_rpc_create(f->r, &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "another meshxlat answers there"));
	/* A stale socket file (no one listening) is replaced. */
	ctl_rpc_free(f->s);
	f->s = NULL;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	close(fd);
	s2 = ctl_rpc_create(f->r, &cfg, err, sizeof(err));
	assert_non_null(s2);
	ctl_rpc_free(s2);
	assert_int_equal(stat(path, &st), -1);	/* removed on free */
	/* A regular file is never removed. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_null(ctl_rpc_create(f->r, &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "is not a socket"));
	unlink(path);
	cfg.path = "/tmp/an/extremely/long/path/that/does/not/fit/into/the/"
		   "sun_path/member/of/struct/sockaddr_un/at/all/ctl.sock";
	assert_null(ctl_rpc_create(f->r, &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "longer than"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rpc_lines_split_and_joined,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_rpc_overlong_line_answered_and_skipped, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_rpc_client_limit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rpc_events_with_filters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpc_client_that_never_reads,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpc_last_line_without_newline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpc_other_user_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpc_socket_file_rules,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
