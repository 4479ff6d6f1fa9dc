/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-ddns, the pure part: everything the agent decides without a
 * socket, a clock or a child process, so that the cmocka tests and the
 * fuzz target link it alone.
 *
 *   conf.c   the agent's JSON config -> 'struct ddns_conf' (errors name
 *            the key path and the value, as lib/conf does); the BIND key
 *            file's name and algorithm
 *   addr.c   EUI-64 interface ids (RFC 4291 appendix A), prefix + suffix,
 *            the choice of the host's own address (Linux source)
 *   proto.c  the nsupdate script (RFC 2136 through nsupdate), what
 *            nsupdate's and dig's output mean, the backoff schedule, the
 *            control socket's prefix.get reply and prefix.changed events
 *
 * main.c is the process around it: poll loop, child processes (nsupdate
 * and dig from bind9-dnsutils, never a shell), rtnetlink, the control
 * socket through lib/ctl's client side.
 *
 * Threading: single-threaded; nothing here keeps state between calls
 * except what the caller passes in.
 */
#ifndef DDNS_H
#define DDNS_H

#include <stddef.h>
#include <stdint.h>

#define DDNS_MAX_HOSTS		64
#define DDNS_NAME_SIZE		256	/* a domain name, with its final dot */
#define DDNS_PATH_SIZE		256
#define DDNS_IFNAME_SIZE	16	/* IFNAMSIZ */
#define DDNS_ERR_SIZE		512
#define DDNS_ADDR_STR		46	/* INET6_ADDRSTRLEN */

enum ddns_source {
	DDNS_SRC_MESHXLAT,	/* prefix.get + prefix.changed events */
	DDNS_SRC_LINUX,		/* the host's own global addresses */
};

struct ddns_host {
	char name[DDNS_NAME_SIZE];	/* as configured ("nas", "@", "a.b.") */
	char fqdn[DDNS_NAME_SIZE];	/* absolute, with the final dot */
	uint8_t suffix[8];		/* the interface id: low 64 bits */
	uint8_t from_mac;		/* 'suffix' is the EUI-64 of 'mac' */
	uint8_t mac[6];
};

struct ddns_conf {
	char zone[DDNS_NAME_SIZE];	/* absolute, with the final dot */
	char server[DDNS_ADDR_STR];	/* an IPv4 or IPv6 literal */
	uint16_t port;			/* default 53 */
	char key_file[DDNS_PATH_SIZE];	/* BIND key file (tsig-keygen) */
	uint32_t ttl;			/* of the AAAA records, default 300 */
	unsigned int n_hosts;
	struct ddns_host hosts[DDNS_MAX_HOSTS];
	enum ddns_source source;
	char socket[DDNS_PATH_SIZE];	/* meshxlat: control socket */
	char port_name[32];		/* meshxlat: the LAN port ("lan6") */
	char ifname[DDNS_IFNAME_SIZE];	/* linux: the interface ("br0") */
	uint32_t retry_min_ms;		/* backoff bounds, default 1 s .. */
	uint32_t retry_max_ms;		/* .. 60 s */
	uint32_t auth_retry_s;		/* after a rejected key, default 3600 */
	uint32_t timeout_s;		/* one nsupdate/dig run, default 10 */
};

/*
 * Load the agent's config from JSON 'text' into 'c'. Returns 0, or
 * -EINVAL with 'err' (DDNS_ERR_SIZE bytes) naming the key path and the
 * value: "hosts[1].mac: \"12:34\": not a MAC address". 'name' prefixes
 * JSON syntax errors (a file name). The key file is not read here.
 */
int ddns_conf_load_string(const char *text, size_t len, const char *name,
			  struct ddns_conf *c, char *err);
/* The same, from the file at 'path'. */
int ddns_conf_load_file(const char *path, struct ddns_conf *c, char *err);

/*
 * The name and algorithm of the first key clause of a BIND key file
 * ('text', as tsig-keygen writes it: key "name" { algorithm A; secret
 * "..."; };). Returns 0, or -EINVAL with 'err' saying what is missing.
 * The secret itself is left to nsupdate.
 */
int ddns_key_parse(const char *text, size_t len, char *name, size_t name_size,
		   char *alg, size_t alg_size, char *err, size_t err_size);

/* --- addresses (addr.c) ------------------------------------------------- */
/*
 * The modified EUI-64 interface id of a 48-bit MAC (RFC 4291 appendix A):
 * FF FE in the middle and the universal/local bit (0x02 of the first
 * octet) inverted.
 */
void ddns_eui64(const uint8_t mac[6], uint8_t id[8]);

/* 'out' = the first 64 bits of 'prefix', then 'suffix'. */
void ddns_compose(const uint8_t prefix[16], const uint8_t suffix[8],
		  uint8_t out[16]);

/*
 * A suffix as configured ("::1234:5678:abcd:ef01"): an IPv6 address whose
 * high 64 bits are zero. 0 or -EINVAL.
 */
int ddns_suffix_parse(const char *s, uint8_t suffix[8]);

/* One of the host's IPv6 addresses, as rtnetlink reports it. */
struct ddns_ifaddr {
	uint8_t addr[16];
	uint8_t plen;
	uint8_t scope;			/* RT_SCOPE_*, 0 = universe */
	uint32_t flags;			/* IFA_F_* */
	uint32_t preferred;		/* preferred lifetime, s (~0 forever) */
	uint32_t cstamp;		/* creation time, 1/100 s since boot */
};

/*
 * Which address gives the prefix, the seed's `ip -6 addr show primary
 * scope global`: scope global; not temporary (RFC 8981 addresses are the
 * kernel's "secondary"), deprecated, tentative or DAD-failed; and not
 * link-local, multicast or a ULA (fc00::/7, not reachable from outside
 * however the kernel scopes it). Among those,
 * the newest (SLAAC renumbering adds the new address before the old one
 * goes; the new one is what the host will keep), ties broken by the lower
 * address so that the answer never depends on dump order. Returns an
 * index into 'a', or -1 when none fits.
 */
int ddns_pick_addr(const struct ddns_ifaddr *a, unsigned int n);

/*
 * The addresses of interface 'ifindex' in one rtnetlink message buffer
 * (RTM_NEWADDR messages, as a RTM_GETADDR dump returns them), appended to
 * 'out' (room for 'max', '*n' in use). Returns 1 when the buffer ends the
 * dump (NLMSG_DONE), 0 when more is to come, -EBADMSG for a truncated or
 * malformed message, -EINTR when the kernel flags the dump as
 * inconsistent (NLM_F_DUMP_INTR: dump again), -errno for an NLMSG_ERROR.
 */
int ddns_nl_addrs(const void *buf, size_t len, int ifindex,
		  struct ddns_ifaddr *out, unsigned int max, unsigned int *n);

/* --- DNS and the control socket (proto.c) ------------------------------ */
/*
 * The nsupdate input that replaces the AAAA RRset of each host in 'which'
 * ('n' indices into c->hosts) by 'addrs[i]' (RFC 2136 section 2.5.2
 * "delete an RRset", then 2.5.1 "add to an RRset", in one message so the
 * server applies them together, section 3.7). Written into 'buf'. Returns
 * its length, or -ENOSPC.
 */
int ddns_nsupdate_script(const struct ddns_conf *c, const unsigned int *which,
			 const uint8_t (*addrs)[16], unsigned int n, char *buf,
			 size_t size);

enum ddns_result {
	DDNS_OK,		/* done */
	DDNS_RETRY,		/* timed out, refused, SERVFAIL: back off */
	DDNS_AUTH,		/* the server rejected the key (NOTAUTH,
				 * BADKEY, BADSIG, BADTIME) or the update
				 * (REFUSED), or nsupdate could not read
				 * the key: no retry storm */
};

/*
 * What an nsupdate run meant: its exit status 'status' (-1: killed) and
 * output. 'why' gets the line that says so ("update failed:
 * NOTAUTH(BADSIG)"), for the log.
 */
enum ddns_result ddns_nsupdate_result(int status, const char *out, size_t len,
				      char *why, size_t why_size);

/*
 * The answer of `dig +noall +comments +answer NAME AAAA` for 'fqdn':
 * DDNS_OK with '*n' AAAA addresses in 'addrs' (at most 'max'; NXDOMAIN
 * or NOERROR without them is 0 addresses), or DDNS_RETRY when there was
 * no usable answer ('why' says what dig said).
 */
enum ddns_result ddns_dig_parse(int status, const char *out, size_t len,
				const char *fqdn, uint8_t (*addrs)[16],
				unsigned int max, unsigned int *n, char *why,
				size_t why_size);

/*
 * Exponential backoff: the delay after 'prev' ms (0: the first failure)
 * within [min_ms, max_ms]: min, 2 min, 4 min, ... max, max.
 */
uint32_t ddns_backoff_next(uint32_t prev, uint32_t min_ms, uint32_t max_ms);

/* A prefix as the control socket reports it. */
struct ddns_prefix {
	uint8_t present;		/* 0: the port has no prefix ("") */
	uint8_t addr[16];
	uint8_t len;
};

enum ddns_msg {
	DDNS_MSG_PREFIX,	/* 'p' is the port's prefix now */
	DDNS_MSG_REFRESH,	/* our port changed to a prefix shorter than
				 * /64: ask prefix.get for its /64 */
	DDNS_MSG_OTHER,		/* valid, not about our port's prefix */
	DDNS_MSG_BAD,		/* malformed: log, count, ignore */
};

/*
 * One line from the control socket: a `prefix.changed` event for 'port'
 * (params {"event":"prefix.changed","port":P,"prefix":"..."/"", ...}),
 * or the reply to the request with id 'get_id' (prefix.get: result
 * {"prefixes":[{"port":P,"prefix":"..."}, ...]}; a port that is not
 * listed has no prefix). 'why' says what was wrong for DDNS_MSG_BAD.
 * A prefix is "" or at most a /64 (the hosts' suffixes are 64 bits, RFC
 * 4291 section 2.5.1); an event with a shorter one (prefix.set given a
 * delegated /56 moves the port's /64 inside it, keeping its subnet bits)
 * is DDNS_MSG_REFRESH, a prefix.get reply's shorter one counts as its
 * first /64. 'p->len' is 64 whenever 'p->present'.
 */
enum ddns_msg ddns_ctl_line(const char *line, size_t len, const char *port,
			    long get_id, struct ddns_prefix *p, char *why,
			    size_t why_size);

/*
 * Lines of a stream (the control socket): bytes in, whole lines out. A
 * line longer than 'max' bytes is dropped whole, up to its newline, and
 * counted, so a peer cannot make us buffer without bound.
 */
struct ddns_lines {
	size_t max;			/* longest line kept, bytes */
	char *buf;
	size_t len, cap;
	int skip;			/* inside an overlong line */
};

typedef void (*ddns_line_fn)(const char *line, size_t len, void *arg);

/*
 * Feed 'n' bytes of 'data' to 'l'; 'fn' gets every complete, non-empty
 * line, without its newline. Returns how many overlong lines were
 * dropped, or -ENOMEM (the partial line is lost).
 */
int ddns_lines_feed(struct ddns_lines *l, const char *data, size_t n,
		    ddns_line_fn fn, void *arg);

/* Forget a partial line (the stream was closed); keeps the buffer. */
void ddns_lines_reset(struct ddns_lines *l);
void ddns_lines_free(struct ddns_lines *l);

#endif /* DDNS_H */
