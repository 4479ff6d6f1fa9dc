/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one list of reasons a packet is dropped. Every drop on the data path
 * names one of these and bumps its per-lcore counter; the enum, the names
 * used in stats output (stats JSON, RPC later) and doc/counters.md are all
 * generated from this list, so adding a reason here is the whole job.
 *
 * X(NAME, "key", "what happened and what the box did about it")
 */
#ifndef PKT_DROP_H
#define PKT_DROP_H

#define PKT_DROP_LIST(X) \
	X(NONE, "none", "not dropped (never counted)") \
	X(ETH_TRUNC, "eth_trunc", "frame shorter than an Ethernet header") \
	X(ETH_TYPE, "eth_type", "ethertype other than IPv4, IPv6 and ARP (VLAN tags included)") \
	X(ETH_NOT_US, "eth_not_us", "unicast frame for another MAC address") \
	X(ARP_MALFORMED, "arp_malformed", "ARP packet truncated or not Ethernet/IPv4") \
	X(MBUF_CHAIN, "mbuf_chain", "frame spread over several buffers (larger than the configured MTU allows)") \
	X(ARP_NOT_OURS, "arp_not_ours", "ARP request for an address that is not ours") \
	X(IP4_TRUNC, "ip4_trunc", "IPv4 packet shorter than its header") \
	X(IP4_VERSION, "ip4_version", "IPv4 ethertype with a version other than 4") \
	X(IP4_IHL, "ip4_ihl", "IPv4 header length below 20 bytes or beyond the packet") \
	X(IP4_LEN, "ip4_len", "IPv4 total length below the header length or beyond the frame") \
	X(IP4_CSUM, "ip4_csum", "IPv4 header checksum does not verify") \
	X(IP4_MARTIAN, "ip4_martian", "IPv4 source is multicast, broadcast, loopback or unspecified, or destination is loopback/unspecified") \
	X(IP6_TRUNC, "ip6_trunc", "IPv6 packet shorter than its header") \
	X(IP6_VERSION, "ip6_version", "IPv6 ethertype with a version other than 6") \
	X(IP6_LEN, "ip6_len", "IPv6 payload length beyond the frame") \
	X(IP6_EXTHDR, "ip6_exthdr", "IPv6 extension header chain truncated or too long") \
	X(IP6_MARTIAN, "ip6_martian", "IPv6 source is multicast, loopback or unspecified, or destination is unspecified or loopback") \
	X(IP6_SCOPE, "ip6_scope", "link-local source or destination on a packet that would be forwarded (RFC 4291 section 2.5.6)") \
	X(L4_TRUNC, "l4_trunc", "transport header truncated") \
	X(ICMP_CSUM, "icmp_csum", "ICMP/ICMPv6 checksum of a packet for this box does not verify") \
	X(ND_INVALID, "nd_invalid", "neighbour discovery message failing RFC 4861 section 7.1.1/7.1.2 validation") \
	X(ND_NOT_OURS, "nd_not_ours", "neighbour solicitation for an address that is not ours") \
	X(LOCAL_ICMP, "local_icmp", "ICMP for this box other than echo request (consumed)") \
	X(LOCAL_NO_PUNT, "local_no_punt", "packet for this box that meshxlat does not answer and the port has no kernel mirror") \
	X(TTL_EXCEEDED, "ttl_exceeded", "TTL or hop limit expired in forwarding (ICMP time exceeded sent)") \
	X(NO_ROUTE, "no_route", "no route to the destination (ICMP destination unreachable sent)") \
	X(NEIGH_QUEUE_FULL, "neigh_queue_full", "next hop unresolved and the resolution queue is full") \
	X(NEIGH_TIMEOUT, "neigh_timeout", "next hop did not answer ARP/neighbour solicitation in time") \
	X(MTU_EXCEEDED, "mtu_exceeded", "packet larger than the egress MTU (ICMP packet too big, or fragmentation needed when DF is set, sent)") \
	X(XLAT_FRAGMENT, "xlat_fragment", "fragment the translator cannot handle yet") \
	X(XLAT_FRAG_EXTHDR, "xlat_frag_exthdr", "IPv6 first fragment with extension headers after the fragment header (RFC 7915 section 5.1: not translated)") \
	X(XLAT_SEGMENTS_LEFT, "xlat_segments_left", "IPv6 routing header with segments left (RFC 7915 section 5.1: not translated, ICMPv6 parameter problem sent)") \
	X(XLAT_IP4_OPTIONS, "xlat_ip4_options", "IPv4 source route option (RFC 7915 section 4.1: not translated)") \
	X(XLAT_SRC, "xlat_src", "source address that has no translation (RFC 6052 section 3.1, not in the expected prefix)") \
	X(XLAT_DST, "xlat_dst", "destination address that has no translation") \
	X(XLAT_PROTO, "xlat_proto", "transport protocol the translator does not handle") \
	X(XLAT_ICMP_INNER, "xlat_icmp_inner", "ICMP error whose inner packet cannot be translated (truncated or bad header, an error about an error, addresses without a translation)") \
	X(XLAT_ICMP_TYPE, "xlat_icmp_type", "ICMP type with no translation (RFC 7915 sections 4.2 and 5.2: silently dropped)") \
	X(XLAT_UDP_CSUM0, "xlat_udp_csum0", "UDP with a zero checksum that cannot be translated (IPv4 fragment, RFC 7915 section 4.5; IPv6, where zero is invalid)") \
	X(CLAT_NO_PLAT, "clat_no_plat", "IPv4 from a CLAT client while no PLAT prefix is selected (clat.plat.set; ICMP net unreachable sent)") \
	X(NAT64_PROTO, "nat64_proto", "PLAT: protocol the pool does not serve, or not TCP, UDP or ICMP") \
	X(NAT64_NO_BIB, "nat64_no_bib", "PLAT: IPv4 packet for a pool address and port nobody holds, or IPv6 TCP that is no SYN and has no session (RFC 6146 3.5.2; silently dropped)") \
	X(NAT64_FILTERED, "nat64_filtered", "PLAT: address-dependent filtering, no session with this remote address (ICMP administratively prohibited sent)") \
	X(NAT64_NO_SESSION, "nat64_no_session", "PLAT: ICMP error about a flow without a session (RFC 6146 3.5.4)") \
	X(NAT64_POOL_EXHAUSTED, "nat64_pool_exhausted", "PLAT: no free port block on the client's IPv4 address (ICMPv6 address unreachable sent, RFC 6146 3.5.1.1)") \
	X(NAT64_CLIENT_BLOCKS, "nat64_client_blocks", "PLAT: the client's port blocks are full and it may have no more (ICMPv6 address unreachable sent)") \
	X(NAT64_MAX_SESSIONS, "nat64_max_sessions", "PLAT: the shard's session table is full (ICMPv6 address unreachable sent)") \
	X(NAT64_CLIENT_SESSIONS, "nat64_client_sessions", "PLAT: the client has max_sessions_per_client sessions (ICMPv6 address unreachable sent)") \
	X(NAT64_TABLE_FULL, "nat64_table_full", "PLAT: a client, block or hash table of the shard is full (ICMPv6 address unreachable sent)") \
	X(NAT64_HOLD_FULL, "nat64_hold_full", "PLAT: unsolicited IPv4 SYN and no room to hold it (ICMP port unreachable sent)") \
	X(NAT64_HOLD_DUP, "nat64_hold_dup", "PLAT: IPv4 SYN for a tuple whose SYN is already held") \
	X(NAT64_SYN_TIMEOUT, "nat64_syn_timeout", "PLAT: held unsolicited IPv4 SYN not answered from IPv6 within TCP_INCOMING_SYN (ICMP port unreachable sent, RFC 6146 3.5.2.2)") \
	X(NAT64_SYN_RELEASED, "nat64_syn_released", "PLAT: held IPv4 SYN dropped because the IPv6 side opened the flow (simultaneous open)") \
	X(NAT64_FRAGMENT, "nat64_fragment", "PLAT: fragment it cannot reassemble (IPv6 extension headers before the fragment header, or the reassembly table is full)") \
	X(NAT64_REASS_TIMEOUT, "nat64_reass_timeout", "PLAT: fragment whose packet was not complete within FRAGMENT_MIN, 2 s (RFC 6146 section 4)") \
	X(NAT64_REASS_TOO_BIG, "nat64_reass_too_big", "PLAT: reassembled packet larger than the reassembly buffer (9000 bytes)") \
	X(HANDOFF_FULL, "handoff_full", "the ring to the worker that owns the packet's state (PLAT session, firewall connection) was full") \
	X(FW_DROP, "fw_drop", "firewall: dropped by a DROP rule or the chain's DROP policy") \
	X(FW_REJECT, "fw_reject", "firewall: rejected by a REJECT rule or policy (ICMPv6 error or TCP reset sent)") \
	X(FW_CONN_FULL, "fw_conn_full", "firewall: accepted but the connection table of the worker is full") \
	X(XLAT_HEADROOM, "xlat_headroom", "no headroom in the buffer to grow the header") \
	X(TX_FULL, "tx_full", "transmit queue full")

#define PKT_DROP_ENUM(n, k, d) PKT_DROP_##n,
enum pkt_drop {
	PKT_DROP_LIST(PKT_DROP_ENUM)
	PKT_DROP_MAX
};
#undef PKT_DROP_ENUM

/* The stats key ("ip4_csum") of reason 'r', or "?" when out of range. */
const char *pkt_drop_name(unsigned int r);
/* One sentence on what reason 'r' means. */
const char *pkt_drop_desc(unsigned int r);

#endif /* PKT_DROP_H */
