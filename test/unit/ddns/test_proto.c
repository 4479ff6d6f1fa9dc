/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/agents/ddns/proto.c: the nsupdate script, byte for byte (RFC 2136
 * section 2.5.2 delete-RRset then 2.5.1 add, one message); what
 * nsupdate's output means (the lines are what BIND 9.18's nsupdate
 * printed against named for a good key, a key with another secret, an
 * unknown key name, a policy refusal and a stopped server); dig's answers
 * (NOERROR, NXDOMAIN, SERVFAIL, no server); the backoff schedule; and the
 * control socket's lines: prefix.get replies, prefix.changed events for
 * our port and others, and malformed lines, which must be reported, not
 * taken; the stream split into lines, fed whole or a byte at a time,
 * with overlong lines dropped and counted.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>

#include "ddns.h"

static void
a6(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static const char *conf_json =
	"{\"zone\": \"home.example\","
	" \"server\": {\"address\": \"2001:db8::53\", \"port\": 5353},"
	" \"key\": \"/k\", \"ttl\": 60,"
	" \"hosts\": [{\"name\": \"nas\", \"suffix\": \"::1234:5678:abcd:ef01\"},"
	"   {\"name\": \"printer\", \"mac\": \"12:34:56:78:9a:bc\"}],"
	" \"source\": {\"meshxlat\": {\"socket\": \"/s\", \"port\": \"lan6\"}}}";

static void
load(struct ddns_conf *c)
{
	char err[DDNS_ERR_SIZE] = "";

	if (ddns_conf_load_string(conf_json, strlen(conf_json), "t", c, err))
		fail_msg("%s", err);
}

static void
test_ddns_nsupdate_script_text(void **state)
{
	static struct ddns_conf c;
	unsigned int which[2] = { 1, 0 };
	uint8_t addrs[2][16];
	char buf[1024];
	int len;

	(void)state;
	load(&c);
	a6("2001:db8:7:2:1034:56ff:fe78:9abc", addrs[0]);
	a6("2001:db8:7:2:1234:5678:abcd:ef01", addrs[1]);
	len = ddns_nsupdate_script(&c, which, (const uint8_t (*)[16])addrs, 2,
				   buf, sizeof(buf));
	assert_string_equal(buf,
		"server 2001:db8::53 5353\n"
		"zone home.example.\n"
		"update delete printer.home.example. AAAA\n"
		"update add printer.home.example. 60 AAAA "
		"2001:db8:7:2:1034:56ff:fe78:9abc\n"
		"update delete nas.home.example. AAAA\n"
		"update add nas.home.example. 60 AAAA "
		"2001:db8:7:2:1234:5678:abcd:ef01\n"
		"send\n");
	assert_int_equal(len, (int)strlen(buf));
	/* too small a buffer, at every size: -ENOSPC, never an overflow */
	for (size_t s = 0; s < strlen(buf) + 1; s++)
		assert_int_equal(ddns_nsupdate_script(&c, which,
				 (const uint8_t (*)[16])addrs, 2, buf, s),
				 -ENOSPC);
	which[0] = 7;
	assert_int_equal(ddns_nsupdate_script(&c, which,
			 (const uint8_t (*)[16])addrs, 1, buf, sizeof(buf)),
			 -EINVAL);
}

static void
test_ddns_nsupdate_result(void **state)
{
	static const struct {
		int status;
		const char *out;
		enum ddns_result want;
		const char *why;
	} t[] = {
		{ 0, "", DDNS_OK, "ok" },
		{ 2, "; TSIG error with server: tsig indicates error\n"
		     "update failed: NOTAUTH(BADSIG)\n", DDNS_AUTH,
		  "update failed: NOTAUTH(BADSIG)" },
		{ 2, "; TSIG error with server: tsig indicates error\n"
		     "update failed: NOTAUTH(BADKEY)\n", DDNS_AUTH,
		  "update failed: NOTAUTH(BADKEY)" },
		{ 2, "update failed: REFUSED\n", DDNS_AUTH,
		  "update failed: REFUSED" },
		{ 2, "update failed: NOTZONE\n", DDNS_AUTH,
		  "update failed: NOTZONE" },
		{ 1, "could not read key from /etc/k.{private,key}: file not "
		     "found\n", DDNS_AUTH, "could not read key from" },
		{ 2, "; Communication with ::1#5354 failed: connection "
		     "refused\n", DDNS_RETRY,
		  "Communication with ::1#5354 failed: connection refused" },
		{ 2, "; Communication with 2001:db8::53#53 failed: timed out\n",
		  DDNS_RETRY, "Communication with 2001:db8::53#53 failed" },
		{ 2, "update failed: SERVFAIL\n", DDNS_RETRY,
		  "update failed: SERVFAIL" },
		{ -1, "", DDNS_RETRY, "nsupdate did not finish in time" },
		{ 3, "", DDNS_RETRY, "nsupdate exit status 3" },
		/* an exit status of 0 with a refusal in the output: refused */
		{ 0, "update failed: NOTAUTH\n", DDNS_AUTH,
		  "update failed: NOTAUTH" },
		/* control characters never reach the log */
		{ 2, "\x1b[31mupdate failed: SERVFAIL\r\n", DDNS_RETRY,
		  "[31mupdate failed: SERVFAIL " },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char why[128] = "";
		enum ddns_result r = ddns_nsupdate_result(t[i].status, t[i].out,
						strlen(t[i].out), why,
						sizeof(why));

		if (r != t[i].want ||
		    strncmp(why, t[i].why, strlen(t[i].why)) != 0)
			fail_msg("case %zu: %d \"%s\"", i, r, why);
	}
}

static const char *dig_found =
	";; Got answer:\n"
	";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 20075\n"
	";; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"
	"\n"
	";; OPT PSEUDOSECTION:\n"
	"; EDNS: version: 0, flags:; udp: 1232\n"
	";; ANSWER SECTION:\n"
	"NAS.home.example.\t60\tIN\tAAAA\t2001:db8::1\n"
	"other.home.example.\t60\tIN\tAAAA\t2001:db8::2\n"
	"nas.home.example.\t60\tIN\tTXT\t\"x\"\n";

static void
test_ddns_dig_parse(void **state)
{
	const char *fqdn = "nas.home.example.";
	uint8_t addrs[4][16], want[16];
	char why[128];
	unsigned int n = 99;
	static const char *nx =
		";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1\n";
	static const char *servfail =
		";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 1\n";
	static const char *down =
		";; communications error to ::1#5354: connection refused\n"
		";; no servers could be reached\n";
	static const char *two =
		";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n"
		"nas.home.example. 60 IN AAAA 2001:db8::1\n"
		"nas.home.example. 60 IN AAAA 2001:db8::3\n";

	(void)state;
	assert_int_equal(ddns_dig_parse(0, dig_found, strlen(dig_found), fqdn,
					addrs, 4, &n, why, sizeof(why)),
			 DDNS_OK);
	assert_int_equal(n, 1);
	a6("2001:db8::1", want);
	assert_memory_equal(addrs[0], want, 16);

	assert_int_equal(ddns_dig_parse(0, nx, strlen(nx), fqdn, addrs, 4, &n,
					why, sizeof(why)), DDNS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ddns_dig_parse(0, two, strlen(two), fqdn, addrs, 4,
					&n, why, sizeof(why)), DDNS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ddns_dig_parse(0, two, strlen(two), fqdn, addrs, 1,
					&n, why, sizeof(why)), DDNS_OK);
	assert_int_equal(n, 1);

	assert_int_equal(ddns_dig_parse(0, servfail, strlen(servfail), fqdn,
					addrs, 4, &n, why, sizeof(why)),
			 DDNS_RETRY);
	assert_string_equal(why, "status: SERVFAIL");
	assert_int_equal(ddns_dig_parse(9, down, strlen(down), fqdn, addrs, 4,
					&n, why, sizeof(why)), DDNS_RETRY);
	assert_int_equal(n, 0);
	assert_string_equal(why, ";; communications error to ::1#5354: "
			    "connection refused");
	/* exit 0 but no header: nothing we can trust */
	assert_int_equal(ddns_dig_parse(0, "", 0, fqdn, addrs, 4, &n, why,
					sizeof(why)), DDNS_RETRY);
}

static void
test_ddns_backoff_schedule(void **state)
{
	static const uint32_t want[] = { 1000, 2000, 4000, 8000, 16000,
					 32000, 60000, 60000 };
	uint32_t d = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		d = ddns_backoff_next(d, 1000, 60000);
		assert_int_equal(d, want[i]);
	}
	/* no overflow near the top, odd bounds, a zero minimum */
	assert_int_equal(ddns_backoff_next(UINT32_MAX - 1, 1000, UINT32_MAX),
			 UINT32_MAX);
	assert_int_equal(ddns_backoff_next(0, 500, 4000), 500);
	assert_int_equal(ddns_backoff_next(2000, 500, 3000), 3000);
	assert_int_equal(ddns_backoff_next(0, 0, 0), 1);
	assert_int_equal(ddns_backoff_next(7, 5000, 100), 5000);
}

static enum ddns_msg
line(const char *s, struct ddns_prefix *p, char *why)
{
	return ddns_ctl_line(s, strlen(s), "lan6", 2, p, why, 128);
}

static void
test_ddns_ctl_prefix_get_and_events(void **state)
{
	struct ddns_prefix p;
	uint8_t want[16];
	char why[128];

	(void)state;
	a6("2001:db8:1:2::", want);
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":"
			      "{\"prefixes\":[{\"port\":\"wan6\",\"prefix\":"
			      "\"2001:db8:ffff:1::/64\"},{\"port\":\"lan6\","
			      "\"prefix\":\"2001:db8:1:2::/64\"}]}}", &p, why),
			 DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 1);
	assert_int_equal(p.len, 64);
	assert_memory_equal(p.addr, want, 8);
	/* our port not listed, or "": no prefix */
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":"
			      "{\"prefixes\":[]}}", &p, why), DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 0);
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":"
			      "{\"prefixes\":[{\"port\":\"lan6\",\"prefix\":"
			      "\"\"}]}}", &p, why), DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 0);
	/* the reply to events.subscribe */
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"
			      "{\"subscribed\":true}}", &p, why),
			 DDNS_MSG_OTHER);

	a6("2001:db8:7:2::", want);
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"method\":\"event\","
			      "\"params\":{\"event\":\"prefix.changed\","
			      "\"port\":\"lan6\",\"prefix\":"
			      "\"2001:db8:7:2::/64\",\"previous\":"
			      "\"2001:db8:1:2::/64\"}}", &p, why),
			 DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 1);
	assert_memory_equal(p.addr, want, 8);
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"method\":\"event\","
			      "\"params\":{\"event\":\"prefix.changed\","
			      "\"port\":\"lan6\",\"prefix\":\"\",\"previous\":"
			      "\"2001:db8:7:2::/64\"}}", &p, why),
			 DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 0);
	/* another port, another event */
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"method\":\"event\","
			      "\"params\":{\"event\":\"prefix.changed\","
			      "\"port\":\"lan7\",\"prefix\":\"junk\"}}", &p, why),
			 DDNS_MSG_OTHER);
	/* a delegated /56 given to prefix.set: ask prefix.get */
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"method\":\"event\","
			      "\"params\":{\"event\":\"prefix.changed\","
			      "\"port\":\"lan6\",\"prefix\":"
			      "\"2001:db8:7:200::/56\"}}", &p, why),
			 DDNS_MSG_REFRESH);
	assert_int_equal(p.present, 0);
	/* prefix.get with a port prefix shorter than /64: its first /64,
	 * bits past the length ignored */
	a6("2001:db8:7::", want);
	assert_int_equal(line("{\"id\":2,\"result\":{\"prefixes\":[{"
			      "\"port\":\"lan6\",\"prefix\":"
			      "\"2001:db8:7:ff::/48\"}]}}", &p, why),
			 DDNS_MSG_PREFIX);
	assert_int_equal(p.present, 1);
	assert_int_equal(p.len, 64);
	assert_memory_equal(p.addr, want, 8);
	assert_int_equal(line("{\"jsonrpc\":\"2.0\",\"method\":\"event\","
			      "\"params\":{\"event\":\"roam.added\","
			      "\"kind\":\"clat\"}}", &p, why), DDNS_MSG_OTHER);
}

static void
test_ddns_ctl_malformed_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} t[] = {
		{ "", "not a JSON object" },
		{ "not json", "not a JSON object" },
		{ "[1,2]", "not a JSON object" },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"event\"}",
		  "event without params object" },
		{ "{\"method\":\"event\",\"params\":{\"port\":\"lan6\"}}",
		  "event without an \"event\" name" },
		{ "{\"method\":\"event\",\"params\":{\"event\":7}}",
		  "event without an \"event\" name" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\"}}", "prefix.changed without a \"port\"" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\",\"port\":\"lan6\"}}",
		  "\"prefix\" is missing or not a string" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\",\"port\":\"lan6\",\"prefix\":64}}",
		  "\"prefix\" is missing or not a string" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\",\"port\":\"lan6\",\"prefix\":\"10.0.0.0/8\"}}",
		  "\"prefix\": \"10.0.0.0/8\" is not an IPv6 prefix" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\",\"port\":\"lan6\",\"prefix\":"
		  "\"2001:db8::1/80\"}}", "\"prefix\": \"2001:db8::1/80\" is "
		  "longer than /64" },
		{ "{\"method\":\"event\",\"params\":{\"event\":"
		  "\"prefix.changed\",\"port\":\"lan6\",\"prefix\":"
		  "\"2001:db8::\\u0000/64\"}}", "not a JSON object" },
		{ "{\"id\":2}", "a reply without result or error" },
		{ "{\"id\":\"2\",\"result\":{}}", "a reply without an integer id" },
		{ "{\"id\":2,\"result\":{}}", "prefix.get: no \"prefixes\" array" },
		{ "{\"id\":2,\"result\":{\"prefixes\":[{\"prefix\":\"\"}]}}",
		  "prefix.get: prefixes[0] has no \"port\"" },
		{ "{\"id\":2,\"result\":{\"prefixes\":[{\"port\":\"lan6\","
		  "\"prefix\":\"2001:db8::/128\"}]}}",
		  "\"prefix\": \"2001:db8::/128\" is longer than /64" },
		{ "{\"id\":2,\"error\":{\"code\":-32601,\"message\":"
		  "\"no such method\"}}", "request 2 failed: no such method" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ddns_prefix p;
		char why[128] = "";
		enum ddns_msg m = line(t[i].line, &p, why);

		if (m != DDNS_MSG_BAD ||
		    strncmp(why, t[i].why, strlen(t[i].why)) != 0)
			fail_msg("case %zu: %d \"%s\"", i, m, why);
		assert_int_equal(p.present, 0);
	}
}

struct got {
	char text[512];			/* the lines, each followed by '|' */
	unsigned int n;
};

static void
got_line(const char *line, size_t len, void *arg)
{
	struct got *g = arg;
	size_t o = strlen(g->text);

	assert_true(len > 0);
	assert_null(memchr(line, '\n', len));
	assert_true(o + len + 2 <= sizeof(g->text));
	memcpy(g->text + o, line, len);
	g->text[o + len] = '|';
	g->text[o + len + 1] = '\0';
	g->n++;
}

static void
test_ddns_lines_split_and_drop_overlong(void **state)
{
	static const char in[] = "{\"a\":1}\n\n{\"b\":2}\n0123456789ABCDEF"
				 "-too-long\n{\"c\":3}\npartial";
	struct ddns_lines l = { .max = 16 };
	struct got g = { .n = 0 };
	size_t i;
	int dropped = 0, rc;

	(void)state;
	/* all at once */
	rc = ddns_lines_feed(&l, in, strlen(in), got_line, &g);
	assert_int_equal(rc, 1);
	assert_string_equal(g.text, "{\"a\":1}|{\"b\":2}|{\"c\":3}|");
	/* the partial line waits for its newline */
	assert_int_equal(ddns_lines_feed(&l, "!\n", 2, got_line, &g), 0);
	assert_string_equal(g.text, "{\"a\":1}|{\"b\":2}|{\"c\":3}|partial!|");

	/* one byte at a time: the same lines, the same drop */
	memset(&g, 0, sizeof(g));
	ddns_lines_reset(&l);
	for (i = 0; i < strlen(in); i++) {
		rc = ddns_lines_feed(&l, in + i, 1, got_line, &g);
		assert_true(rc >= 0);
		dropped += rc;
	}
	assert_int_equal(dropped, 1);
	assert_string_equal(g.text, "{\"a\":1}|{\"b\":2}|{\"c\":3}|");
	/* a reset (the socket closed) forgets "partial" */
	ddns_lines_reset(&l);
	assert_int_equal(ddns_lines_feed(&l, "x\n", 2, got_line, &g), 0);
	assert_string_equal(g.text, "{\"a\":1}|{\"b\":2}|{\"c\":3}|x|");
	/* exactly 'max' is kept, 'max' + 1 is not */
	memset(&g, 0, sizeof(g));
	assert_int_equal(ddns_lines_feed(&l, "0123456789abcdef\n0123456789abcdefg"
					 "\nz\n", 37, got_line, &g), 1);
	assert_string_equal(g.text, "0123456789abcdef|z|");
	ddns_lines_free(&l);
	ddns_lines_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddns_nsupdate_script_text),
		cmocka_unit_test(test_ddns_nsupdate_result),
		cmocka_unit_test(test_ddns_dig_parse),
		cmocka_unit_test(test_ddns_backoff_schedule),
		cmocka_unit_test(test_ddns_ctl_prefix_get_and_events),
		cmocka_unit_test(test_ddns_ctl_malformed_lines),
		cmocka_unit_test(test_ddns_lines_split_and_drop_overlong),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
