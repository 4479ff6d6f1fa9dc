/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The meshxlat configuration as plain C structs.
 *
 * conf_load_file()/conf_load_string() read the JSON config (shape in
 * doc/configuration.md), check every key, type and value, and either
 * return a complete 'struct conf' or an error that names the key path and
 * the bad value ("ports[1].mtu: 70000: must be between 1280 and 9000").
 * Nothing half-loaded ever escapes: the daemon builds its run-time tables
 * from a 'struct conf' only after it loaded whole.
 *
 * Only this library knows jansson. Threading: the control lcore loads and
 * frees; a loaded 'struct conf' is never changed afterwards.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>
#include <stdint.h>

#include "fw.h"
#include "hdr.h"

#define CONF_MAX_PORTS		16
#define CONF_MAX_ADDRS		8
#define CONF_NAME_SIZE		32
#define CONF_DEV_SIZE		128
#define CONF_IFNAME_SIZE	16	/* IFNAMSIZ */
#define CONF_PATH_SIZE		256
#define CONF_ERR_SIZE		640

enum conf_role {
	CONF_ROLE_LAN4,		/* IPv4 clients of the CLAT */
	CONF_ROLE_MESH6,	/* the IPv6-only mesh */
	CONF_ROLE_WAN4,		/* IPv4 uplink (PLAT side) */
	CONF_ROLE_WAN6,		/* IPv6 uplink of a home gateway */
	CONF_ROLE_MAX
};

/* "lan4", "mesh6", ... */
const char *conf_role_name(enum conf_role r);

struct conf_port {
	char name[CONF_NAME_SIZE];	/* how the config refers to it */
	char device[CONF_DEV_SIZE];	/* DPDK device name (net_pcap0, PCI) */
	enum conf_role role;
	uint16_t mtu;			/* L3 MTU, default 1500 */
	uint8_t has_mac;		/* else the device's own MAC */
	uint8_t mac[PKT_ETH_ALEN];
	uint8_t n_ip4, n_ip6;
	struct pkt_pfx4 ip4[CONF_MAX_ADDRS];	/* host order */
	struct pkt_pfx6 ip6[CONF_MAX_ADDRS];
	/* TAP interface that mirrors this port to the kernel, "" for none */
	char kernel_mirror[CONF_IFNAME_SIZE];
};

struct conf_route {
	uint8_t family;		/* 4 or 6 */
	uint8_t has_via;	/* else on-link */
	uint16_t port;		/* index into conf.ports */
	struct pkt_pfx4 pfx4;
	struct pkt_pfx6 pfx6;
	uint32_t via4;		/* host order */
	uint8_t via6[16];
	/* Not from the config file: imported from the kernel's table
	 * (kernel_routes, app/meshxlat/kroute.c); 'local' is an address of
	 * the kernel's, delivered to it through the port's mirror. */
	uint8_t kernel;
	uint8_t local;
};

/* Routes the kernel holds through the ports' mirror interfaces (what
 * babeld installs) become routes of the data path too. */
struct conf_kernel_routes {
	uint8_t enabled;		/* the section is in the config */
	unsigned int table;		/* the kernel's table, default main */
	uint8_t protos[32];		/* bit per rtm_protocol imported */
};

struct conf_neigh {
	uint8_t family;
	uint16_t port;
	uint32_t ip4;		/* host order */
	uint8_t ip6[16];
	uint8_t mac[PKT_ETH_ALEN];
};

struct conf_clat {
	uint8_t enabled;
	uint8_t has_clat_prefix;	/* explicit, else clat_range + MAC */
	uint8_t has_plat_prefix;	/* else chosen at run time */
	uint16_t client_port;		/* index of the lan4 port */
	struct pkt_pfx6 clat_range;	/* /48 */
	struct pkt_pfx6 plat_range;	/* /48, may be unset (len 0) */
	struct pkt_pfx6 clat_prefix;
	struct pkt_pfx6 plat_prefix;
};

#define CONF_MAX_EAM		4096
#define CONF_MAX_RFC6791	64
#define CONF_MAX_PLATEAUS	32

/* One Explicit Address Mapping (RFC 7757): equal suffix lengths. */
struct conf_eam {
	struct pkt_pfx6 p6;
	struct pkt_pfx4 p4;		/* host order */
};

struct conf_siit {
	uint8_t enabled;		/* the section is in the config */
	uint8_t zeroize_traffic_class;
	uint8_t has_override_tos;
	uint8_t override_tos;
	uint8_t has_pool6;		/* "pool6": null or absent -> 0 */
	uint8_t amend_udp_checksum_zero;
	uint8_t has_rfc6791v6;
	struct pkt_pfx6 pool6;		/* RFC 6052 prefix */
	struct pkt_pfx6 rfc6791v6;
	unsigned int n_eamt;
	struct conf_eam *eamt;		/* calloc'ed, in config order */
	unsigned int n_rfc6791v4;
	struct pkt_pfx4 rfc6791v4[CONF_MAX_RFC6791];	/* host order */
	uint16_t lowest_ipv6_mtu;	/* 1280..9000, default 1280 */
	unsigned int n_plateaus;	/* default: the RFC 1191 table */
	uint16_t mtu_plateaus[CONF_MAX_PLATEAUS];	/* descending */
};

#define CONF_MAX_POOL4		32
#define CONF_MAX_STATIC_BIB	512

/* Protocol bits of a pool4 entry. */
#define CONF_PROTO_TCP		0x1
#define CONF_PROTO_UDP		0x2
#define CONF_PROTO_ICMP		0x4

struct conf_pool4 {
	struct pkt_pfx4 pfx;		/* host order, /16../32 */
	uint16_t port_lo, port_hi;	/* "9000-10000" */
	uint8_t protos;			/* CONF_PROTO_* */
};

struct conf_static_bib {
	uint8_t ip6[16];
	uint32_t ip4;			/* host order */
	uint16_t port6, port4;
	uint8_t proto;			/* PKT_PROTO_TCP, _UDP or _ICMP */
};

/* The stateful NAT64 (RFC 6146) of a PLAT node. */
struct conf_plat {
	uint8_t enabled;
	uint8_t has_plat_prefix;	/* else plat_range + mesh port's MAC */
	uint8_t adf;			/* address-dependent filtering */
	uint16_t mesh_port;		/* index: its MAC makes the prefix */
	struct pkt_pfx6 plat_range;	/* /48 */
	struct pkt_pfx6 plat_prefix;	/* RFC 6052 prefix */
	unsigned int n_pool4;
	struct conf_pool4 pool4[CONF_MAX_POOL4];
	unsigned int max_sessions;	/* default 1048576 */
	unsigned int max_sessions_per_client;	/* default 2048 */
	unsigned int block_size;	/* ports per block, default 64 */
	unsigned int max_held_syns;	/* default 256 */
	/* RFC 6146 section 4 lifetimes, seconds */
	unsigned int t_udp, t_tcp_est, t_tcp_trans, t_syn_hold, t_icmp;
	unsigned int n_static;
	struct conf_static_bib *static_bib;	/* calloc'ed */
	char snapshot[CONF_PATH_SIZE];	/* sessions across restarts, "" none */
	char block_log[CONF_PATH_SIZE];	/* one line per port block, "" none */
};

#define CONF_MAX_IFALIASES	32

/* An interface name of ip6tables rules ("br-lan") and the port it is. */
struct conf_ifalias {
	char name[CONF_IFNAME_SIZE];
	uint16_t port;			/* index into conf.ports */
};

/* The IPv6 firewall (lib/fw; doc/firewall.md). */
struct conf_firewall {
	uint8_t enabled;
	struct fw_ruleset *rs;		/* owned: rules, policies, allow-list */
	unsigned int n_ifaliases;
	struct conf_ifalias ifaliases[CONF_MAX_IFALIASES];
	struct fw_conn_cfg conn;	/* connection tracking per worker */
	unsigned int log_rate;		/* log lines per second, at most */
};

/* Roaming (seed 003): remap tables for clients that moved between nodes
 * (lib/roam, doc/roaming.md). */
#define CONF_ROAM_STATIC_MAX	64

/* An entry the config sets at start, as roam.add would. */
struct conf_roam_entry {
	uint8_t is_plat;		/* kind plat (else clat) */
	uint32_t client;		/* IPv4, network order */
	uint8_t a[16];			/* clat: the PLAT /96; plat: from */
	uint8_t b[16];			/* plat: to */
	unsigned int lease;		/* seconds from start */
};

struct conf_roam {
	uint8_t enabled;		/* the section is in the config */
	unsigned int max_entries;	/* remap entries, default 65536 */
	unsigned int max_lease;		/* longest lease accepted, s */
	unsigned int pin_recent;	/* clat.plat.set pins the clients seen
					 * in the last this many seconds */
	unsigned int pin_lease;		/* how long such a pin lasts, s */
	unsigned int n_entries;
	struct conf_roam_entry entries[CONF_ROAM_STATIC_MAX];
};

struct conf_workers {
	unsigned int lcores;		/* 0 = every worker lcore EAL has */
	unsigned int burst;		/* 1..256, default 32 */
	unsigned int idle_sleep_us;	/* sleep after an all-empty poll */
	unsigned int mbufs;		/* packet buffers, 0: what the rings
					 * need (a pcap replay needs one per
					 * packet of its file) */
};

struct conf_control {
	uint8_t enabled;		/* the section is in the config */
	char socket[CONF_PATH_SIZE];
	unsigned int mode;		/* file mode of the socket */
	char group[CONF_NAME_SIZE];	/* its group: members may connect */
	unsigned int max_clients;	/* default 128 */
};

struct conf {
	unsigned int n_ports, n_routes, n_neighs;
	struct conf_port ports[CONF_MAX_PORTS];
	struct conf_route *routes;
	struct conf_neigh *neighs;
	struct conf_siit siit;
	struct conf_clat clat;
	struct conf_plat plat;
	struct conf_firewall firewall;
	struct conf_roam roam;
	struct conf_kernel_routes kernel_routes;
	struct conf_workers workers;
	struct conf_control control;
};

/*
 * Load the config in file 'path'. Returns 0 and sets '*out' (free with
 * conf_free()), or -EINVAL/-ENOMEM/-ENOENT and writes a one-line message
 * to 'err' (CONF_ERR_SIZE bytes), naming the key path and the value.
 */
int conf_load_file(const char *path, struct conf **out, char *err);

/* The same for a config held in a string ('name' is used in messages). */
int conf_load_string(const char *json, const char *name, struct conf **out,
		     char *err);

void conf_free(struct conf *c);

/* A deep copy of 'c' (free with conf_free()), or NULL when out of memory. */
struct conf *conf_dup(const struct conf *c);

/* Index of the port called 'name', or -1. */
int conf_port_index(const struct conf *c, const char *name);

/* Parsers shared with the CLI and RPC: 0 or -EINVAL. */
int conf_parse_pfx4(const char *s, struct pkt_pfx4 *out);
int conf_parse_pfx6(const char *s, struct pkt_pfx6 *out);
int conf_parse_mac(const char *s, uint8_t *mac);

#endif /* CONF_H */
