/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * meshxlat-mesh, the pure part: everything the mesh agent decides without
 * a socket or a clock of its own, so that the cmocka tests and the fuzz
 * target link it alone.
 *
 *   babel.c   babeld's local interface lines ("add route ... metric M")
 *             -> a table of babel routes -> the PLAT candidates: installed
 *             /96 routes inside plat_range, lowest metric per prefix
 *   select.c  the PLAT choice as a state machine with the time passed in:
 *             lowest metric, hysteresis (threshold + hold-down), switch at
 *             once on route loss or failed health probes (seed 003's
 *             "prefixd")
 *   msg.c     the roaming exchange's wire format (CLAIM, INFO, ROAM of
 *             seed 003), HMAC-SHA256 over a per-site key, the timestamp
 *             window, the replay cache, the rejection reasons
 *   conf.c    the agent's JSON config and key file
 *
 * main.c is the process around it: the poll loop, babeld's socket, the
 * control socket of meshxlat (lib/ctl client side) and the agent's own
 * (lib/ctl server side), the UDP socket of the exchange, ICMPv6 probes.
 *
 * Threading: single-threaded; every structure here belongs to its caller.
 */
#ifndef MESH_H
#define MESH_H

#include <stddef.h>
#include <stdint.h>

#include "hdr.h"

#define MESH_ERR_SIZE		512
#define MESH_PATH_SIZE		256
#define MESH_IFNAME_SIZE	16
#define MESH_ROUTE_ID_SIZE	24	/* babeld's route ids: a pointer in hex */
#define MESH_MAX_ROUTES		4096	/* babel routes tracked (all kinds) */
#define MESH_MAX_CANDS		64	/* PLAT candidates considered */
#define MESH_METRIC_INF		0xffffu	/* babel's infinity (RFC 8966 3.5.1) */

/* ---- babeld's local interface (babel.c) -------------------------------- */

enum mesh_babel_verb {
	MESH_BABEL_OTHER,	/* a line that is not about a route */
	MESH_BABEL_ADD,
	MESH_BABEL_CHANGE,
	MESH_BABEL_FLUSH,
	MESH_BABEL_OK,		/* "ok": the end of a dump or of a reply */
	MESH_BABEL_BAD,		/* "no" or "bad": the request failed */
};

/* One "add|change|flush route ..." line. */
struct mesh_babel_route {
	char id[MESH_ROUTE_ID_SIZE];	/* babeld's route id */
	uint8_t family;			/* 4 or 6 */
	struct pkt_pfx6 prefix;		/* family 6 only */
	struct pkt_pfx6 from;		/* source prefix, ::/0 when none */
	uint8_t installed;
	uint32_t metric, refmetric;
	char ifname[MESH_IFNAME_SIZE];
};

/*
 * Take one line of babeld's local interface apart (without its newline).
 * Returns the verb; for ADD, CHANGE and FLUSH of a route 'r' is filled.
 * Lines about interfaces, neighbours and xroutes, the greeting and
 * anything unknown are MESH_BABEL_OTHER. A route line whose fields do not
 * parse is MESH_BABEL_OTHER too and '*bad' is set, so that the caller can
 * count it. Never reads past 'len'.
 */
enum mesh_babel_verb mesh_babel_parse(const char *line, size_t len,
				      struct mesh_babel_route *r, int *bad);

/* The routes babeld told us about (by id), from which the candidates
 * come. */
struct mesh_routes {
	unsigned int n;
	uint64_t full;			/* adds refused: table full */
	struct mesh_babel_route r[MESH_MAX_ROUTES];
};

void mesh_routes_init(struct mesh_routes *t);
/* Apply one parsed route line: add or change (by id) or flush. */
void mesh_routes_apply(struct mesh_routes *t, enum mesh_babel_verb v,
		       const struct mesh_babel_route *r);

struct mesh_cand {
	struct pkt_pfx6 prefix;		/* a /96 */
	uint32_t metric;
};

/*
 * The PLAT candidates: installed IPv6 routes with a /96 prefix inside
 * 'plat_range', no source prefix, and a finite metric; one per prefix
 * (the lowest metric), sorted by metric then prefix. Returns how many
 * were written to 'out' (at most 'max').
 */
unsigned int mesh_routes_cands(const struct mesh_routes *t,
			       const struct pkt_pfx6 *plat_range,
			       struct mesh_cand *out, unsigned int max);

/* ---- the PLAT choice (select.c) ---------------------------------------- */

struct mesh_sel_cfg {
	uint32_t threshold;		/* metric: a candidate must be better
					 * than the current PLAT by MORE than
					 * this (default 96, one wired hop) */
	uint64_t hold_down_ms;		/* after a switch, no switch for a
					 * better metric for this long */
	uint32_t probe_failures;	/* this many failed probes in a row:
					 * the PLAT is gone (0: no probes) */
	uint64_t bad_ms;		/* a PLAT left for failed probes is not
					 * chosen again for this long */
};

enum mesh_reason {
	MESH_R_NONE,
	MESH_R_INITIAL,		/* no PLAT yet: the best one */
	MESH_R_BETTER,		/* better by more than the threshold and
				 * past the hold-down */
	MESH_R_LOST,		/* the current PLAT's route is gone */
	MESH_R_PROBES,		/* its health probes failed */
	MESH_R_NONE_LEFT,	/* lost and no other candidate */
};

const char *mesh_reason_name(enum mesh_reason r);

struct mesh_sel {
	struct mesh_sel_cfg cfg;
	uint8_t has_cur;
	struct pkt_pfx6 cur;		/* the chosen PLAT */
	uint32_t cur_metric;		/* its metric at the last evaluation */
	uint64_t last_switch_ms;	/* 0: never switched */
	uint32_t probe_fails;		/* in a row, for 'cur' */
	uint8_t has_bad;
	struct pkt_pfx6 bad;		/* left for failed probes ... */
	uint64_t bad_until_ms;		/* ... until then */
	/* Why the last evaluation kept the current PLAT although a better
	 * one exists (for mesh.plat.get): 0 none, 1 threshold, 2 hold-down. */
	uint8_t held;
	uint64_t switches;
};

/* One decision of mesh_sel_eval(). */
struct mesh_decision {
	enum mesh_reason reason;	/* MESH_R_NONE: nothing to do */
	uint8_t has_old, has_new;
	struct pkt_pfx6 old_pfx, new_pfx;
	uint32_t old_metric, new_metric;
	uint8_t old_gone;		/* the old PLAT is gone (lost or
					 * failed): clat.plat.del it */
};

void mesh_sel_init(struct mesh_sel *s, const struct mesh_sel_cfg *cfg);

/*
 * Decide, at time 'now_ms' (monotonic), from the current candidates
 * ('c', 'n', as mesh_routes_cands() makes them). Returns 1 and fills 'd'
 * when the PLAT changes (to another one or to none), else 0 ('d->reason'
 * MESH_R_NONE). The state moves on as decided.
 */
int mesh_sel_eval(struct mesh_sel *s, const struct mesh_cand *c,
		  unsigned int n, uint64_t now_ms, struct mesh_decision *d);

/* A health probe of the current PLAT came back (ok 1) or timed out
 * (ok 0). The next mesh_sel_eval() acts on the count. */
void mesh_sel_probe(struct mesh_sel *s, int ok);

/* ---- the roaming exchange (msg.c) -------------------------------------- */

/*
 * UDP port of the exchange. Not an IANA port: l3roamd uses 5523, we take
 * the next one so that the two never answer each other.
 */
#define MESH_ROAM_PORT		5524

#define MESH_MSG_VERSION	1
#define MESH_MSG_HDR		28	/* version..nonce */
#define MESH_MSG_MAC		32	/* HMAC-SHA256 */
#define MESH_MSG_NONCE		16
#define MESH_MSG_MAX		160	/* the largest message, bytes */
#define MESH_KEY_MIN		16
#define MESH_KEY_MAX		64

enum mesh_msg_type {
	MESH_MSG_CLAIM = 1,
	MESH_MSG_INFO = 2,
	MESH_MSG_ROAM = 3,
};

/* A message, host order, addresses as bytes. */
struct mesh_msg {
	uint8_t type;			/* enum mesh_msg_type */
	uint64_t ts;			/* sender's clock, Unix seconds */
	uint8_t nonce[MESH_MSG_NONCE];
	uint8_t mac[6];			/* the client (all types) */
	/* INFO: the nonce of the CLAIM answered. */
	uint8_t echo[MESH_MSG_NONCE];
	/* INFO and ROAM. */
	uint8_t clatd[16];		/* the CLAT prefix of the lease (/96) */
	uint32_t client;		/* CLIENTIP, host order */
	uint32_t lease;			/* LEASETIME left, seconds */
	/* INFO: PLATC; ROAM: the PLAT it is meant for (PLATC). */
	uint8_t platc[16];
	/* ROAM: CLATB, the new node's CLAT prefix (/96). */
	uint8_t clatb[16];
};

/* Size of a message of 'type' on the wire, 0 for an unknown type. */
size_t mesh_msg_size(uint8_t type);

/*
 * Write 'm' with its HMAC under 'key' to 'buf' ('size' bytes). Returns
 * the size written, or 0 when 'size' is too small or the type unknown.
 */
size_t mesh_msg_encode(const struct mesh_msg *m, const uint8_t *key,
		       size_t key_len, uint8_t *buf, size_t size);

/* Why a message was refused: every one has a counter. */
#define MESH_REJECTS(X)							\
	X(truncated, "shorter than its type says, or than a header")	\
	X(oversized, "longer than its type says")			\
	X(version, "unknown version")					\
	X(type, "unknown message type")					\
	X(bad_mac, "HMAC does not verify (forged, wrong key, altered)")	\
	X(too_old, "timestamp before the window")			\
	X(in_future, "timestamp after the window")			\
	X(replay, "nonce seen before, or older than the replay cache")	\
	X(lease_zero, "LEASETIME 0")					\
	X(lease_too_long, "LEASETIME above lease_max")			\
	X(bad_field, "a field out of range (prefix, address, MAC)")	\
	X(not_for_us, "a ROAM for another PLAT, a CLAIM for a client " \
		      "we do not serve")				\
	X(unexpected, "an INFO that answers no CLAIM of ours")

enum mesh_reject {
	MESH_REJ_NONE = 0,
#define MESH_REJ_ENUM(n, d) MESH_REJ_##n,
	MESH_REJECTS(MESH_REJ_ENUM)
#undef MESH_REJ_ENUM
	MESH_REJ_MAX
};

const char *mesh_reject_name(enum mesh_reject r);
const char *mesh_reject_help(enum mesh_reject r);

/*
 * The nonces of messages accepted lately. Bounded: when full, the oldest
 * entry goes and the 'floor' rises to its timestamp, and any message not
 * newer than the floor is a replay from then on, so that no message is
 * ever accepted twice however full the cache gets.
 */
#define MESH_REPLAY_SIZE	1024

struct mesh_replay {
	unsigned int n, head;		/* a ring in arrival order */
	uint64_t floor;			/* reject ts <= floor */
	uint64_t evicted;
	struct {
		uint64_t ts;
		uint8_t nonce[MESH_MSG_NONCE];
	} e[MESH_REPLAY_SIZE];
};

void mesh_replay_init(struct mesh_replay *r);

struct mesh_verify_cfg {
	const uint8_t *key;
	size_t key_len;
	uint32_t window_s;		/* |sender ts - our ts| allowed */
	uint32_t lease_max;		/* seconds */
};

/*
 * Check and decode the message in 'buf' ('len' bytes) received at Unix
 * time 'now': size, version, type, HMAC (in constant time), timestamp
 * within the window, nonce not seen (then remembered), lease 1..lease_max
 * and fields in range. Returns MESH_REJ_NONE and fills 'm', or why not.
 * 'not_for_us' and 'unexpected' are the caller's to decide.
 */
enum mesh_reject mesh_msg_verify(const struct mesh_verify_cfg *cfg,
				 struct mesh_replay *rc, const uint8_t *buf,
				 size_t len, uint64_t now,
				 struct mesh_msg *m);

/* The client's MAC-derived address: 'net' (a /64) + the modified EUI-64
 * of 'mac' (RFC 4291 appendix A). */
void mesh_client_addr(const struct pkt_pfx6 *net, const uint8_t *mac,
		      uint8_t *out);

/* A PLAT's management address: its /96 with 192.0.0.1 in the last 32
 * bits (seed 003: "plat_prefix:192.0.0.1"). */
void mesh_plat_mgmt_addr(const struct pkt_pfx6 *plat, uint8_t *out);

/* ---- config (conf.c) ----------------------------------------------------- */

struct mesh_conf {
	char meshxlat_socket[MESH_PATH_SIZE];	/* meshxlat's control socket */
	char control_socket[MESH_PATH_SIZE];	/* ours ("" none) */
	char babeld[MESH_PATH_SIZE];		/* "/path" or a TCP port on ::1 */
	struct pkt_pfx6 plat_range;		/* a /48 (seed 003) */
	struct mesh_sel_cfg sel;
	uint32_t settle_ms;			/* after (re)connecting to
						 * babeld, a missing route is
						 * not a lost one for this long
						 * (babeld is still learning) */
	uint32_t probe_interval_ms;		/* 0: no probes */
	uint32_t probe_timeout_ms;
	uint32_t retry_min_ms, retry_max_ms;	/* reconnect backoff */
	/* The roaming exchange; off when 'roam' is absent. */
	uint8_t roam;
	uint16_t port;				/* UDP, MESH_ROAM_PORT */
	char key_file[MESH_PATH_SIZE];
	uint8_t key[MESH_KEY_MAX];
	size_t key_len;
	struct pkt_pfx6 clat_prefix;		/* this node's CLAT /96 */
	uint8_t has_plat_prefix;
	struct pkt_pfx6 plat_prefix;		/* this node's PLAT /96, if any */
	struct pkt_pfx6 client_net;		/* /64 of the MAC-derived
						 * addresses */
	char claim_if[MESH_IFNAME_SIZE];	/* where those addresses are
						 * added ("" none) */
	uint32_t window_s;			/* timestamp window */
	uint32_t lease_max;			/* seconds */
	uint32_t claim_timeout_ms;		/* per CLAIM try */
	uint32_t claim_tries;
};

/* Load the config from JSON 'text'. Returns 0 or -EINVAL with 'err'
 * (MESH_ERR_SIZE) naming the key and the value. The key file is read by
 * mesh_key_load(). */
int mesh_conf_load_string(const char *text, size_t len, const char *name,
			  struct mesh_conf *c, char *err);
int mesh_conf_load_file(const char *path, struct mesh_conf *c, char *err);

/*
 * The site key from a key file's text: hex digits (whitespace and one
 * trailing newline allowed), MESH_KEY_MIN..MESH_KEY_MAX bytes. Returns
 * the key's size, or -EINVAL with 'err'.
 */
int mesh_key_parse(const char *text, size_t len, uint8_t *key, char *err);

#endif /* MESH_H */
