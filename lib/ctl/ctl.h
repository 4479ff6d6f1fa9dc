/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one command registry of meshxlat, and its JSON-RPC 2.0 face.
 *
 * Every command the daemon offers is one 'struct ctl_cmd': a method name
 * "<lib>.<noun>.<verb>", typed parameters, a handler and a help text. The
 * same registry serves the control socket (ctl_rpc_*), the interactive CLI
 * (app/meshxlat/cli.c builds its cmdline tokens from ctl_cmd_walk()) and
 * meshxlatctl (a client of the socket), so a command exists in all three
 * faces or in none.
 *
 * Handlers get validated, typed arguments ('struct ctl_args') and fill a
 * result through the 'struct ctl_out' builder; they never see JSON or a
 * socket (the shape of DPDK's rte_tel_data and OVS unixctl replies). Only
 * this library and lib/conf know jansson.
 *
 * Threading: everything here runs on the control lcore. A registry is
 * filled at start-up and read afterwards; handlers run one at a time.
 * Shutdown order: ctl_rpc_free(), then ctl_registry_free().
 */
#ifndef CTL_H
#define CTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hdr.h"

/* JSON-RPC 2.0 error codes (section 5.1), then ours (-32000..-32099 is
 * the range the spec leaves to the server). */
#define CTL_E_PARSE		-32700	/* not JSON */
#define CTL_E_REQUEST		-32600	/* JSON, but not a request */
#define CTL_E_METHOD		-32601	/* no such method */
#define CTL_E_PARAMS		-32602	/* a parameter is missing or bad */
#define CTL_E_INTERNAL		-32603	/* our fault */
#define CTL_E_FAILED		-32000	/* the operation failed; see message */
#define CTL_E_NOT_FOUND		-32001	/* the object named does not exist */
#define CTL_E_EXISTS		-32002	/* the object already exists */
#define CTL_E_DENIED		-32003	/* the peer may not do this */
#define CTL_E_LIMIT		-32004	/* too large, too many, table full */

#define CTL_MAX_PARAMS		12
#define CTL_NAME_MAX		64	/* method names */
#define CTL_STR_MAX		1024	/* a string argument, bytes, unless
					 * its parameter says otherwise */

enum ctl_type {
	CTL_T_STR,	/* a string shorter than 'max' bytes (0: CTL_STR_MAX) */
	CTL_T_INT,	/* integer within [min, max] */
	CTL_T_BOOL,	/* true/false (text: true/false/yes/no/on/off/1/0) */
	CTL_T_IP,	/* IPv4 or IPv6 address (no length) */
	CTL_T_PFX,	/* IPv4 or IPv6 prefix "a/len"; no /len = host */
	CTL_T_MAC,	/* 12:34:56:78:9a:bc */
	CTL_T_ENUM,	/* one word of 'choices' ("drop|accept") */
};

struct ctl_param {
	const char *name;
	enum ctl_type type;
	uint8_t required;
	int64_t min, max;		/* CTL_T_INT; max: CTL_T_STR too */
	const char *choices;		/* CTL_T_ENUM: words separated by | */
	const char *help;
};

/* One parsed argument. */
struct ctl_val {
	uint8_t set;			/* given by the caller */
	uint8_t family;			/* CTL_T_IP, CTL_T_PFX: 4 or 6 */
	int64_t i;			/* CTL_T_INT, CTL_T_BOOL, CTL_T_ENUM index */
	const char *s;			/* CTL_T_STR and CTL_T_ENUM word */
	struct pkt_pfx4 p4;		/* family 4: host order (len 32 for IP) */
	struct pkt_pfx6 p6;		/* family 6 (len 128 for IP) */
	uint8_t mac[6];
	char buf[24];			/* holds 's' for a number given to a
					 * string parameter */
};

struct ctl_args {
	const struct ctl_param *params;
	unsigned int n;
	struct ctl_val v[CTL_MAX_PARAMS];
	void *conn;			/* the connection, for events.* */
	int privileged;			/* root or the configured group */
};

struct ctl_out;

/*
 * A handler: read 'a', fill 'o', return 0; or return the result of
 * ctl_err() (a negative number) after which 'o' is discarded.
 */
typedef int (*ctl_handler_fn)(const struct ctl_args *a, struct ctl_out *o,
			      void *arg);

#define CTL_F_WRITE	0x1	/* changes state: privileged peers only */

struct ctl_cmd {
	const char *method;		/* "nat64.pool.add" */
	const char *help;		/* one line */
	const struct ctl_param *params;	/* NULL-name terminated, or NULL */
	ctl_handler_fn fn;
	void *arg;
	unsigned int flags;		/* CTL_F_* */
};

struct ctl_registry;

struct ctl_registry *ctl_registry_create(void);
void ctl_registry_free(struct ctl_registry *r);

/*
 * Add 'cmd' (kept by pointer: static storage). Returns 0, -EINVAL for a
 * method name that is not lower-case dot-separated words or a parameter
 * table that is too long or inconsistent, -EEXIST for a duplicate,
 * -ENOMEM.
 */
int ctl_register(struct ctl_registry *r, const struct ctl_cmd *cmd);

const struct ctl_cmd *ctl_lookup(const struct ctl_registry *r,
				 const char *method);

/* Commands in method-name order; stops when 'fn' returns non-zero. */
int ctl_cmd_walk(const struct ctl_registry *r,
		 int (*fn)(const struct ctl_cmd *c, void *arg), void *arg);

unsigned int ctl_cmd_n_params(const struct ctl_cmd *c);

/* The argument called 'name', or NULL when not given. */
const struct ctl_val *ctl_arg(const struct ctl_args *a, const char *name);

/* --- the result builder ------------------------------------------------ */
/*
 * Values are added to the innermost open object (with a key) or array
 * (key NULL). The result starts as an empty object.
 */
void ctl_out_str(struct ctl_out *o, const char *key, const char *s);
void ctl_out_fmt(struct ctl_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ctl_out_u64(struct ctl_out *o, const char *key, uint64_t v);
void ctl_out_i64(struct ctl_out *o, const char *key, int64_t v);
void ctl_out_bool(struct ctl_out *o, const char *key, int v);
void ctl_out_real(struct ctl_out *o, const char *key, double v);
void ctl_out_null(struct ctl_out *o, const char *key);
/* IPv4 (host order) or IPv6 address, with "/len" when len >= 0. */
void ctl_out_ip4(struct ctl_out *o, const char *key, uint32_t a, int len);
void ctl_out_ip6(struct ctl_out *o, const char *key, const uint8_t *a,
		 int len);
void ctl_out_mac(struct ctl_out *o, const char *key, const uint8_t *mac);
void ctl_out_obj(struct ctl_out *o, const char *key);
void ctl_out_arr(struct ctl_out *o, const char *key);
void ctl_out_end(struct ctl_out *o);

/*
 * Make the reply an error: 'code' (CTL_E_*), a message, and "data":
 * {"field": 'field'} when 'field' is not NULL. Returns 'code' so a handler
 * can 'return ctl_err(...)'.
 */
int ctl_err(struct ctl_out *o, int code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* --- calling commands ---------------------------------------------------- */
/*
 * Run one JSON-RPC 2.0 message (a request, a notification or a batch) of
 * 'len' bytes. Returns the reply line (malloc'ed, no trailing newline; free
 * it) or NULL when nothing is to be sent back (only notifications).
 * 'conn' and 'privileged' are passed to handlers in 'struct ctl_args'.
 */
char *ctl_rpc_handle(const struct ctl_registry *r, const char *msg,
		     size_t len, void *conn, int privileged);

/*
 * Run 'method' with arguments from text words "key=value" (the CLI and
 * meshxlatctl way; a word without '=' fills the next parameter in table
 * order). Writes the result as JSON ('*json', malloc'ed) and returns 0,
 * or returns the error code and writes the message to 'err'.
 */
int ctl_call_words(const struct ctl_registry *r, const char *method,
		   int argc, char *const *argv, int privileged, char **json,
		   char *err, size_t err_size);

/*
 * Build a JSON-RPC params object from "key=value" words: a value that is
 * a JSON number, true, false or null is sent as such, anything else as a
 * string (the server converts a string for an integer parameter). Returns
 * the JSON text (malloc'ed) or NULL with 'err' filled.
 */
char *ctl_words_to_params(int argc, char *const *argv, char *err,
			  size_t err_size);

/*
 * Print a JSON result for people: an object of scalars as "key: value"
 * lines, an array of objects as a table with a header, nested objects as
 * indented sections. Returns 0, or -EINVAL when 'json' is not JSON.
 */
int ctl_render_text(FILE *f, const char *json);

/* --- the control socket -------------------------------------------------- */
struct ctl_rpc_cfg {
	const char *path;		/* Unix socket path */
	unsigned int mode;		/* file mode of the socket, e.g. 0660 */
	gid_t gid;			/* group of the socket and of
					 * privileged peers; (gid_t)-1: none */
	unsigned int max_clients;	/* 0: 128 */
	size_t max_request;		/* bytes per line, 0: 1 MiB */
	size_t max_output;		/* queued reply bytes per client before
					 * it is cut off, 0: 16 MiB */
};

struct ctl_rpc_stats {
	uint64_t accepted, refused, closed;
	uint64_t requests, errors;
	uint64_t too_large;		/* lines over max_request */
	uint64_t slow_cut;		/* clients cut off for not reading */
	uint64_t events_sent, events_dropped;
	unsigned int clients, subscribers;
};

struct ctl_rpc;

/*
 * Listen on cfg->path (an old socket file there is replaced; a missing
 * parent directory is created with mode 0755). Returns the server, or NULL
 * with 'err' filled. Registers events.subscribe and events.unsubscribe
 * unless ctl_events_register() did already.
 */
struct ctl_rpc *ctl_rpc_create(struct ctl_registry *r,
			       const struct ctl_rpc_cfg *cfg, char *err,
			       size_t err_size);
void ctl_rpc_free(struct ctl_rpc *s);

/* Register events.subscribe/unsubscribe (they act on the connection that
 * calls them, so they work with any server on the registry). */
int ctl_events_register(struct ctl_registry *r);

/*
 * Accept, read, run and write what is ready, waiting at most 'timeout_ms'
 * (0: do not wait) for something to happen. Never blocks on a client: a
 * client that does not read its replies is cut off past max_output, and
 * each client runs at most a few requests per call so none starves the
 * others. Returns the number of requests handled.
 */
int ctl_rpc_poll(struct ctl_rpc *s, int timeout_ms);

/*
 * Send the notification {"method": "event", "params": {"event": 'name',
 * ...}} to every subscriber whose filter matches 'name'. 'fill' adds the
 * event's fields to 'o' (may be NULL).
 */
void ctl_rpc_event(struct ctl_rpc *s, const char *name,
		   void (*fill)(struct ctl_out *o, void *arg), void *arg);

void ctl_rpc_stats(const struct ctl_rpc *s, struct ctl_rpc_stats *st);

/* doc/rpc.md and doc/cli.md from the registry (doc.c). */
void ctl_doc_rpc_md(FILE *f, const struct ctl_registry *r);
void ctl_doc_cli_md(FILE *f, const struct ctl_registry *r);

/* --- the client side (meshxlatctl, agents) ------------------------------ */
/* Connect to the socket at 'path': a descriptor, or -errno with 'err'. */
int ctl_client_connect(const char *path, char *err, size_t err_size);

/* A request line (malloc'ed, no newline) for 'method' with 'params' (a
 * JSON object text, or NULL); NULL when 'params' is not JSON. */
char *ctl_client_request(const char *method, const char *params, long id);

struct ctl_reply {
	int is_event;			/* a notification ("method": "event") */
	long id;
	char *result;			/* JSON text (malloc'ed), or NULL */
	int code;			/* 0, or the error code */
	char message[512];
	char field[CTL_NAME_MAX];
};

/* Take a reply line apart. 0, or -EBADMSG when it is not one. Free
 * r->result. */
int ctl_reply_parse(const char *line, size_t len, struct ctl_reply *r);

/* Indented JSON text of 'json' (malloc'ed into '*out'). */
int ctl_json_pretty(const char *json, char **out);

/* The string member 'key' of the object 'json' (malloc'ed into '*out'),
 * or -ENOENT. */
int ctl_json_get_str(const char *json, const char *key, char **out);

#endif /* CTL_H */
