/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Roaming remap tables (seed 003, l3roamd's ipsets and /96 NETMAP rules).
 *
 * An IPv4 client that roams from node A to node B keeps its IPv4 exit,
 * PLAT C, and its old CLAT address CLATD:CLIENTIP (node D gave it its
 * lease), so the sessions of C's NAT64 survive. Three kinds of entry,
 * each a key (the kind and a 16-byte IPv6 address) mapped to a /96
 * prefix (the "target", 12 bytes) until an absolute expiry time:
 *
 *   ROAM_CLAT  node B, ipset proamD. Key CLATB:CLIENTIP, target PLATC.
 *              Outgoing (after the CLAT's 4->6): source matches ->
 *              destination /96 becomes PLATC. Incoming (before 6->4):
 *              destination matches and source inside PLATC/96 -> source
 *              /96 becomes the node's current PLAT, which the CLAT takes.
 *   ROAM_FROM  node C, ipset rofromD. Key CLATB:CLIENTIP, target CLATD:
 *              before NAT64 in2out, source /96 becomes CLATD.
 *   ROAM_TO    node C, ipset rotoB. Key CLATD:CLIENTIP, target CLATB:
 *              after NAT64 out2in, destination /96 becomes CLATB.
 *
 * Two structures:
 *  - 'struct roam_db', the control plane's mutable database: add or
 *    replace, delete, delete by target (a PLAT that is gone), expiry,
 *    walk. One writer (the control lcore), no locking inside.
 *  - 'struct roam_table', an immutable lookup table built from a db with
 *    roam_table_build(): open addressing on 64-byte buckets of four
 *    16-byte slots, /96 prefixes interned in a small shared array. The
 *    data-plane workers only read it; the control plane publishes each new
 *    table as an RCU snapshot and frees the old one after a grace period,
 *    so a reader never sees a table change under it. A lookup takes 'now'
 *    and treats an entry whose time has come as absent: expiry takes
 *    effect at once, without a writer; the db's roam_db_expire() only
 *    tidies up (and reports) later.
 *
 * Time: 'now' and 'expires' are on one monotonic clock the caller chooses
 * (seconds, ms, ns, TSC cycles: the library only compares them). An entry
 * is present while now < expires.
 *
 * The rewrite itself (netmap.c) is /96 NETMAP: the upper 96 bits of the
 * IPv6 source or destination are replaced, the low 32 bits (the client's
 * or the server's IPv4 address, RFC 6052) kept, and every checksum that
 * covers the address is fixed incrementally (RFC 1624).
 *
 * Pure C (libc and lib/pkt); no DPDK, no EAL.
 */
#ifndef ROAM_H
#define ROAM_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"

/* Bytes of a /96 prefix. */
#define ROAM_PFX_LEN	12

/* Distinct /96 prefixes (keys' and targets') one db can hold. */
#define ROAM_PFX_MAX	65535u

/* Largest capacity roam_db_create() takes. */
#define ROAM_CAPACITY_MAX (1u << 24)

enum roam_kind {
	ROAM_CLAT = 0,	/* node B: CLATB:CLIENTIP -> PLATC (proamD) */
	ROAM_FROM = 1,	/* PLAT C: CLATB:CLIENTIP -> CLATD (rofromD) */
	ROAM_TO = 2,	/* PLAT C: CLATD:CLIENTIP -> CLATB (rotoB) */
};
#define ROAM_KIND_MAX	3
/* In filters (roam_db_del_target, roam_db_flush): every kind. */
#define ROAM_KIND_ANY	ROAM_KIND_MAX

/* The name of 'kind' ("clat", "from", "to"), or "?" when out of range. */
const char *roam_kind_name(unsigned int kind);

/* One entry as the db hands it out (a copy, or a const pointer). */
struct roam_entry {
	uint64_t expires;		/* absent from now >= expires */
	uint8_t addr[16];		/* key address */
	uint8_t target[ROAM_PFX_LEN];	/* the /96 it is mapped to */
	uint8_t kind;			/* enum roam_kind */
};

/* Called for each entry that an operation removes or visits. */
typedef void roam_entry_fn(const struct roam_entry *e, void *arg);
/* Walk callback: return non-zero to stop the walk. */
typedef int roam_walk_fn(const struct roam_entry *e, void *arg);

/* ---------------------------------------------------------------------
 * Control plane: the database. Single writer; nothing here is for the
 * workers.
 */
struct roam_db;

/*
 * A db for up to 'capacity' entries (1..ROAM_CAPACITY_MAX) whose tables
 * hash with the secret 'seed' (take it from a good random source, so that
 * remote hosts cannot aim keys at one bucket). Memory, all allocated
 * here: 80 to 130 bytes per entry of capacity (entries, index, interned
 * /96s). Returns NULL with errno EINVAL or ENOMEM.
 */
struct roam_db *roam_db_create(uint32_t capacity, uint64_t seed);

/* Free 'db' (NULL is a no-op). Tables built from it stay valid. */
void roam_db_free(struct roam_db *db);

/*
 * Add the entry (kind, 'addr') -> 'target' until 'expires', or replace
 * the entry with that key (then its previous value is copied to 'old'
 * when 'old' is not NULL). Returns 0 when added, 1 when replaced,
 * -EINVAL (kind out of range, expires 0), -ENOSPC (the db holds
 * 'capacity' entries) or -ENOBUFS (ROAM_PFX_MAX distinct /96 prefixes in
 * use); on error the db is unchanged. O(1).
 */
int roam_db_add(struct roam_db *db, unsigned int kind, const uint8_t *addr,
		const uint8_t *target, uint64_t expires, struct roam_entry *old);

/*
 * Delete the entry (kind, 'addr'), copying it to 'old' when not NULL.
 * Returns 0, or -ENOENT when there is none. O(1).
 */
int roam_db_del(struct roam_db *db, unsigned int kind, const uint8_t *addr,
		struct roam_entry *old);

/* The entry (kind, 'addr'), expired or not, or NULL. Valid until the
 * next change of 'db'. */
const struct roam_entry *roam_db_find(const struct roam_db *db,
				      unsigned int kind, const uint8_t *addr);

/*
 * Delete every entry of 'kind' (or of every kind with ROAM_KIND_ANY)
 * whose target is the /96 'target' (seed 003's del_platprefix: the PLAT
 * is gone). 'fn', when not NULL, sees each entry just before it goes.
 * Returns the number deleted. O(entries).
 */
uint32_t roam_db_del_target(struct roam_db *db, unsigned int kind,
			    const uint8_t *target, roam_entry_fn *fn,
			    void *arg);

/*
 * Delete every entry with expires <= 'now'; 'fn', when not NULL, sees each
 * just before it goes (for the "roam.removed" events). Returns the number
 * deleted. O(entries): call it from a control-plane timer.
 */
uint32_t roam_db_expire(struct roam_db *db, uint64_t now, roam_entry_fn *fn,
			void *arg);

/* Delete every entry of 'kind' (ROAM_KIND_ANY: all); returns how many. */
uint32_t roam_db_flush(struct roam_db *db, unsigned int kind);

/*
 * Call 'fn' for each entry, in no particular order, until it returns
 * non-zero (that value is returned; 0 after a full walk). 'fn' must not
 * change 'db'.
 */
int roam_db_walk(const struct roam_db *db, roam_walk_fn *fn, void *arg);

/* Entries held (expired ones included until roam_db_expire()). */
uint32_t roam_db_count(const struct roam_db *db);
/* Entries of 'kind'. */
uint32_t roam_db_count_kind(const struct roam_db *db, unsigned int kind);
/* The capacity given to roam_db_create(). */
uint32_t roam_db_capacity(const struct roam_db *db);
/* Distinct /96 prefixes in use by keys and targets. */
uint32_t roam_db_prefixes(const struct roam_db *db);

/* ---------------------------------------------------------------------
 * Data plane: the immutable lookup table.
 */
struct roam_table;

/*
 * Build a lookup table holding every entry of 'db' (expired ones too: a
 * lookup skips them). The table is one allocation, independent of 'db'
 * afterwards. Cost: O(entries), on the control lcore. Returns NULL with
 * errno ENOMEM.
 */
struct roam_table *roam_table_build(const struct roam_db *db);

/* Free 't' (NULL is a no-op); after the RCU grace period of its readers. */
void roam_table_free(struct roam_table *t);

/*
 * The /96 target (12 bytes, inside 't') of the entry (kind, 'addr') if
 * there is one and now < its expiry, else NULL. Reads one 64-byte bucket
 * (rarely two) and the small prefix array; no writes. Any number of
 * threads may look up at once.
 */
const uint8_t *roam_table_lookup(const struct roam_table *t,
				 unsigned int kind, const uint8_t *addr,
				 uint64_t now);

/* Prefetch the bucket of (kind, 'addr'), for lookups over a burst. */
void roam_table_prefetch(const struct roam_table *t, unsigned int kind,
			 const uint8_t *addr);

/* Entries in 't' (of every kind). */
uint32_t roam_table_count(const struct roam_table *t);
/* Bytes 't' occupies (header, slots and prefixes). */
size_t roam_table_size(const struct roam_table *t);

/* ---------------------------------------------------------------------
 * The rewrite (netmap.c). 'l3' is the IPv6 header at the start of a
 * writable flat buffer of 'len' bytes (bytes after the IPv6 payload
 * length are a link trailer and are not touched).
 */
#define ROAM_SRC	0
#define ROAM_DST	1

/*
 * /96 NETMAP: replace the upper 96 bits of the source ('which' ROAM_SRC)
 * or destination (ROAM_DST) address with 'pfx' (12 bytes) and fix by
 * difference (RFC 1624) every checksum that covers it: TCP, UDP (a zero
 * UDP checksum stays zero) and ICMPv6 through the pseudo-header; in an
 * ICMPv6 error (types 1-4) also the matching address of the packet inside
 * (outer destination -> inner source, outer source -> inner destination,
 * when its /96 is the one replaced), the inner transport checksum when the
 * quoted bytes hold it, and the ICMPv6 checksum over both. A non-first
 * fragment has no transport header: only the address changes.
 *
 * Returns PKT_DROP_NONE, or why the packet cannot be rewritten, and then
 * the packet is unchanged: the pkt_parse_ip6() reasons (IP6_TRUNC,
 * IP6_VERSION, IP6_LEN, IP6_EXTHDR: truncated, bad length, too many or
 * truncated extension headers), L4_TRUNC (the transport header of an
 * unfragmented or first-fragment packet is cut short), XLAT_ICMP_INNER
 * (an ICMPv6 error whose inner IPv6 header is missing or not version 6),
 * XLAT_SEGMENTS_LEFT (a destination rewrite with a routing header still
 * to be followed, RFC 8200 section 8.1: the checksum covers the final
 * destination, not this one).
 */
enum pkt_drop roam_netmap6(uint8_t *l3, uint32_t len, int which,
			   const uint8_t *pfx);

/*
 * The four places of the packet path where a table applies (see the
 * kinds above and shared/ARCHITECTURE.md, "The packet path").
 */
enum roam_step {
	ROAM_STEP_CLAT_OUT,	/* node B, after clat46: ROAM_CLAT by src */
	ROAM_STEP_CLAT_IN,	/* node B, before clat64: ROAM_CLAT by dst */
	ROAM_STEP_PLAT_IN2OUT,	/* PLAT, before nat64 in2out: ROAM_FROM */
	ROAM_STEP_PLAT_OUT2IN,	/* PLAT, after nat64 out2in: ROAM_TO */
};

/*
 * Look the packet up in 't' for 'step' and rewrite it on a hit.
 * 'plat' (12 bytes) is the node's current PLAT /96, used by
 * ROAM_STEP_CLAT_IN only (NULL: no PLAT, nothing is rewritten). On a
 * miss the packet is not parsed beyond its fixed header. Sets *remapped
 * to 1 when the packet was rewritten, else 0. Returns PKT_DROP_NONE or a
 * reason of roam_netmap6() (then the packet is unchanged and should be
 * dropped and counted). A NULL 't' is an empty table.
 */
enum pkt_drop roam_apply(const struct roam_table *t, enum roam_step step,
			 const uint8_t *plat, uint64_t now, uint8_t *l3,
			 uint32_t len, int *remapped);

#endif /* ROAM_H */
