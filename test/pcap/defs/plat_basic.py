# SPDX-License-Identifier: BSD-3-Clause
"""
PLAT (stateful NAT64, RFC 6146): UDP both ways, mapping and filtering,
hairpinning, fragments, and what the box answers for itself.

Topology: plat_config() in mxpcap.py (mesh = IPv6 clients behind gw6,
wan = IPv4 through wan_gw4, PLAT prefix 64:ff9b::/96, pool 10.23.0.9
ports 9000-10000, static BIB entries of client_s). Every expected packet
is written from the RFCs: IPv6 -> IPv4 is RFC 7915 section 5 with the
session's addresses and ports (RFC 6146 section 3.7): src = the pool
address and a pool port, dst = the IPv4 address embedded in the IPv6
destination (RFC 6052), TTL = hop limit - 1, TOS = traffic class, DF 0
for packets of 1260 bytes or less, identification free (masked);
IPv4 -> IPv6 is RFC 7915 section 4: src = PLAT prefix + IPv4 source,
dst = the client of the BIB entry, hop limit = TTL - 1, flow label 0.
Transport checksums are Scapy's, over the new pseudo header and ports.

The port of a dynamic BIB entry is the NAT's choice (RFC 6146 3.5.1.1,
RFC 6056): it is masked and checked against the pool range and the
parity of the client's port instead (FreePort). Where a case needs a
known mapping it uses a static BIB entry, or a client port inside the
pool range, which doc/nat64.md promises to keep when it is free.
"""

from mxpcap import *  # noqa: F401,F403
from scapy.all import IPv6ExtHdrFragment, fragment, fragment6

CFG = plat_config()
R4, R4B = remote4, remote4b             # IPv4 servers beyond wan_gw4
S_PORT6, S_PORT4 = S_UDP[1], S_UDP[2]   # client_s's static UDP entry


def v6udp(src, dst4, sport, dport, data, hlim=64, tc=0, fl=0):
    return from_mesh6(IPv6(src=src, dst=x6(dst4), hlim=hlim, tc=tc, fl=fl) /
                      UDP(sport=sport, dport=dport) / Raw(data))


def v4udp(src4, sport, dport, data, ttl=50, tos=0, dst4=plat_pool4):
    return from_wan4(IP(src=src4, dst=dst4, ttl=ttl, tos=tos, id=0x3131) /
                     UDP(sport=sport, dport=dport) / Raw(data))


def out4udp(dst4, sport, dport, data, ttl=63, tos=0, free=None):
    """The IPv4 form of a client's UDP datagram; 'free' is the FreePort
    when the source port is the NAT's choice."""
    if free is not None:
        sport = free.placeholder()
    return to_wan4(IP(src=plat_pool4, dst=dst4, ttl=ttl, tos=tos, id=0,
                      flags=0) /
                   UDP(sport=sport, dport=dport) / Raw(data),
                   free_sport=free)


def out6udp(src4, dst6, sport, dport, data, hlim=49, tc=0):
    """The IPv6 form of an IPv4 datagram for client dst6."""
    return to_mesh6(IPv6(src=x6(src4), dst=dst6, hlim=hlim, tc=tc, fl=0) /
                    UDP(sport=sport, dport=dport) / Raw(data))


# --- IPv6 -> IPv4, dynamic BIB entries ---------------------------------------
@case
def plat_udp_in2out():
    """a client's UDP datagram leaves from the pool (RFC 6146 3.5.1: a new
    BIB entry and session; 3.5.1.1: "an IPv4 transport address ...
    from the pool"): src 10.23.0.9 and a port in 9000-10000 of the
    client's parity, dst the IPv4 address embedded in 64:ff9b::/96"""
    data = payload(21)
    inp = v6udp(client_a, R4, 40000, 7777, data)
    # what changed: IPv6 -> IPv4 header, src client_a -> 10.23.0.9, sport
    # 40000 -> a pool port (masked, checked), hop limit 64 -> TTL 63, UDP
    # checksum over the IPv4 pseudo header and the new port
    exp = out4udp(R4, None, 7777, data, free=FreePort(parity=40000))
    return Case(inp={P_MESH: [inp]}, out={P_WAN: [exp]}, config=CFG,
                counters={"nat64_in2out": 1, "nat64_out2in": 0})


@case
def plat_udp_tclass():
    """traffic class becomes the TOS, the flow label goes (RFC 7915 5.1,
    which RFC 6146 3.7 applies); an odd hop limit is decremented too"""
    data = payload(40, 3)
    inp = v6udp(client_a, R4, 40001, 5004, data, hlim=17, tc=0xb8,
                fl=0x12345)
    # what changed: tc 0xb8 -> tos 0xb8, flow label dropped, TTL 16
    exp = out4udp(R4, None, 5004, data, ttl=16, tos=0xb8,
                  free=FreePort(parity=40001))
    return Case(inp={P_MESH: [inp]}, out={P_WAN: [exp]}, config=CFG,
                counters={"nat64_in2out": 1})


@case
def plat_udp_eim():
    """endpoint-independent mapping (RFC 6146 3.5.1, RFC 4787 REQ-1): one
    client port keeps one IPv4 port for every destination; another port
    of the same client gets another IPv4 port, from the same block (the
    client fills its block first, doc/nat64.md)"""
    d1, d2, d3 = payload(10, 1), payload(11, 2), payload(12, 3)
    ins = [v6udp(client_a, R4, 40000, 7777, d1),
           v6udp(client_a, R4B, 40000, 8888, d2),
           v6udp(client_a, R4, 40003, 7777, d3)]
    # what changed: as plat_udp_in2out; the first two share their port,
    # the third differs from it; all three lie in one 64-port block
    exps = [out4udp(R4, None, 7777, d1,
                    free=FreePort(parity=0, same="x", unique="bib",
                                  block="a")),
            out4udp(R4B, None, 8888, d2,
                    free=FreePort(parity=0, same="x", block="a")),
            out4udp(R4, None, 7777, d3,
                    free=FreePort(parity=1, unique="bib", block="a"))]
    return Case(inp={P_MESH: ins}, out={P_WAN: exps}, config=CFG,
                counters={"nat64_in2out": 3})


@case
def plat_udp_two_clients():
    """two clients using the same source port get different IPv4 ports
    (RFC 4787 REQ-3: no port overloading) from different blocks (RFC
    6888 REQ-2: a block is one client's)"""
    d1, d2 = payload(10, 4), payload(10, 5)
    ins = [v6udp(client_a, R4, 40000, 7777, d1),
           v6udp(client_b, R4, 40000, 7777, d2)]
    exps = [out4udp(R4, None, 7777, d1,
                    free=FreePort(parity=0, unique="bib", block="a")),
            out4udp(R4, None, 7777, d2,
                    free=FreePort(parity=0, unique="bib", block="b"))]
    c = Case(inp={P_MESH: ins}, out={P_WAN: exps}, config=CFG,
             counters={"nat64_in2out": 2})
    return c


@case
def plat_udp_port_kept():
    """a client port inside the pool range that is free is kept (doc/
    nat64.md "Port blocks": port preservation, RFC 4787 REQ-3's
    "preserving the port" where it does not overload), so the reply to
    it needs no static entry: it reaches the client (3.5.1, EIF)"""
    d1, d2 = payload(33, 6), payload(17, 7)
    out_req = v6udp(client_a, R4, 9500, 7777, d1)
    reply = v4udp(R4, 7777, 9500, d2)
    # what changed: src -> 10.23.0.9, port 9500 kept; the reply: src ->
    # 64:ff9b::R4, dst 10.23.0.9:9500 -> client_a:9500, TTL 50 -> hop
    # limit 49
    return Case(inp={P_MESH: [out_req], P_WAN: [reply]},
                out={P_WAN: [out4udp(R4, 9500, 7777, d1)],
                     P_MESH: [out6udp(R4, client_a, 7777, 9500, d2)]},
                config=CFG, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1})


# --- static BIB entries, filtering -------------------------------------------
@case
def plat_udp_static_in2out():
    """a static BIB entry (RFC 6146 3.1) fixes the mapping: client_s port
    5353 leaves as 10.23.0.9:9053"""
    data = payload(30, 8)
    inp = v6udp(client_s, R4, S_PORT6, 7777, data)
    # what changed: src client_s:5353 -> 10.23.0.9:9053 (the static entry)
    return Case(inp={P_MESH: [inp]},
                out={P_WAN: [out4udp(R4, S_PORT4, 7777, data)]},
                config=CFG, counters={"nat64_in2out": 1})


@case
def plat_udp_static_reply():
    """the reply to a session of a static entry reaches the client's own
    address and port (RFC 6146 3.5.1: the BIB entry of (T,t) gives
    (X,x)); its source is the server under the PLAT prefix"""
    d1, d2 = payload(30, 8), payload(99, 9)
    req = v6udp(client_s, R4, S_PORT6, 7777, d1)
    reply = v4udp(R4, 7777, S_PORT4, d2, ttl=50, tos=0x10)
    # what changed: src R4 -> 64:ff9b::R4, dst 10.23.0.9:9053 ->
    # client_s:5353, TTL 50 -> hop limit 49, tos -> traffic class
    return Case(inp={P_MESH: [req], P_WAN: [reply]},
                out={P_WAN: [out4udp(R4, S_PORT4, 7777, d1)],
                     P_MESH: [out6udp(R4, client_s, 7777, S_PORT6, d2,
                                      tc=0x10)]},
                config=CFG, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1})


@case
def plat_udp_eif():
    """endpoint-independent filtering (the default; RFC 6146 3.5.1 "if
    the NAT64 filters on its IPv4 interface" is optional, RFC 4787
    REQ-8): a datagram from a host the client never talked to, to the
    client's BIB entry, creates a session and passes"""
    data = payload(20, 10)
    inp = v4udp(R4B, 4444, S_PORT4, data, ttl=40)
    return Case(inp={P_WAN: [inp]},
                out={P_MESH: [out6udp(R4B, client_s, 4444, S_PORT6, data,
                                      hlim=39)]},
                config=CFG, counters={"nat64_out2in": 1})


@case
def plat_udp_adf():
    """address-dependent filtering (RFC 6146 3.5.1: "the NAT64 checks
    whether the incoming packet is allowed ... session table entry with
    ... X'"): after client_s sent to R4, R4 gets through from any port,
    R4B is discarded with ICMP type 3 code 13 (the MAY of 3.5.1)"""
    cfg = plat_config(address_dependent_filtering=True)
    d0, d1, d2, d3 = (payload(16, i) for i in range(11, 15))
    req = v6udp(client_s, R4, S_PORT6, 7777, d0)
    ok1 = v4udp(R4, 7777, S_PORT4, d1)
    ok2 = v4udp(R4, 7778, S_PORT4, d2)      # same address, other port
    bad = v4udp(R4B, 7777, S_PORT4, d3)
    # what changed for bad: nothing passes; the error comes from the wan
    # port's address and quotes the datagram as it arrived
    return Case(inp={P_MESH: [req], P_WAN: [ok1, ok2, bad]},
                out={P_WAN: [out4udp(R4, S_PORT4, 7777, d0),
                             icmp4_error(bad, 3, 13, plat_wan_ip4,
                                         wan_mac)],
                     P_MESH: [out6udp(R4, client_s, 7777, S_PORT6, d1),
                              out6udp(R4, client_s, 7778, S_PORT6, d2)]},
                config=cfg, drops={"nat64_filtered": 1},
                counters={"nat64_in2out": 1, "nat64_out2in": 2,
                          "icmp_error": 1})


@case
def plat_udp_adf_unsolicited():
    """with address-dependent filtering, a datagram to a static entry
    that has no session at all is filtered as well (3.5.1)"""
    cfg = plat_config(address_dependent_filtering=True)
    inp = v4udp(R4B, 4444, S_PORT4, payload(20, 10))
    return Case(inp={P_WAN: [inp]},
                out={P_WAN: [icmp4_error(inp, 3, 13, plat_wan_ip4,
                                         wan_mac)]},
                config=cfg, drops={"nat64_filtered": 1},
                counters={"nat64_out2in": 0})


@case
def plat_udp_no_bib():
    """unsolicited IPv4 UDP to a pool port nobody holds is dropped (RFC
    6146 3.5.1: "If such an entry does not exist, the packet MUST be
    dropped"; the ICMP error is a MAY, not sent), also to a port outside
    the pool's range"""
    a = v4udp(R4, 7777, 9999, payload(20))
    b = v4udp(R4, 7777, 22, payload(20))
    return Case(inp={P_WAN: [a, b]}, out={}, config=CFG,
                drops={"nat64_no_bib": 2},
                counters={"nat64_out2in": 0, "icmp_error": 0})


# --- hairpinning (RFC 6146 3.8) ----------------------------------------------
@case
def plat_hairpin():
    """hairpinning (RFC 6146 3.8): client_a sends to the PLAT form of the
    pool address and client_s's static port; client_s gets it from
    64:ff9b::10.23.0.9 and client_a's own IPv4 port, the transport
    address it would answer to. The box is one router hop, so the hop
    limit goes down by one (the choice RFC 7757 4.2 hairpinning makes in
    doc/conformance/rfc7915.md; RFC 6146 does not say)"""
    data = payload(40, 15)
    inp = v6udp(client_a, plat_pool4, 9500, S_PORT4, data)
    # what changed: src client_a:9500 -> 64:ff9b::10.23.0.9:9500 (its
    # mapping, port kept), dst 64:ff9b::10.23.0.9:9053 -> client_s:5353,
    # hop limit 64 -> 63
    exp = to_mesh6(IPv6(src=x6(plat_pool4), dst=client_s, hlim=63) /
                   UDP(sport=9500, dport=S_PORT6) / Raw(data))
    return Case(inp={P_MESH: [inp]}, out={P_MESH: [exp]}, config=CFG,
                counters={"nat64_in2out": 1, "nat64_out2in": 1,
                          "nat64_hairpin": 1})


@case
def plat_hairpin_hlim2():
    """a hairpinned datagram that arrives with hop limit 2 leaves with 1
    (one hop); with hop limit 1 it gets ICMPv6 time exceeded on the mesh
    (RFC 4443 3.3), not an IPv4 error on an IPv6 link"""
    a = v6udp(client_a, plat_pool4, 9500, S_PORT4, payload(8, 1), hlim=2)
    b = v6udp(client_a, plat_pool4, 9500, S_PORT4, payload(8, 2), hlim=1)
    exp = to_mesh6(IPv6(src=x6(plat_pool4), dst=client_s, hlim=1) /
                   UDP(sport=9500, dport=S_PORT6) / Raw(payload(8, 1)))
    return Case(inp={P_MESH: [b, a]},
                out={P_MESH: [icmp6_error(b, ICMPv6TimeExceeded, 0,
                                          mesh_ip6, mesh_mac), exp]},
                config=CFG, drops={"ttl_exceeded": 1},
                counters={"nat64_hairpin": 1, "icmp_error": 1})


@case
def plat_hairpin_no_bib():
    """a hairpinned datagram to a pool port nobody holds ends as any
    unsolicited IPv4 datagram does (3.8 then 3.5.1): dropped"""
    inp = v6udp(client_a, plat_pool4, 9500, 9999, payload(10))
    return Case(inp={P_MESH: [inp]}, out={}, config=CFG,
                drops={"nat64_no_bib": 1},
                counters={"nat64_in2out": 1, "nat64_hairpin": 1,
                          "nat64_out2in": 0})


# --- fragments ---------------------------------------------------------------
@case
def plat_frag6_reassembled():
    """an IPv6 datagram in two fragments is reassembled and leaves as one
    IPv4 datagram from the pool (RFC 6146 3.4: the PLAT needs the ports,
    which only the first fragment has, so it reassembles)"""
    data = payload(1000, 5)
    whole = (IPv6(src=client_a, dst=x6(R4), hlim=64) /
             IPv6ExtHdrFragment(id=0x77) /
             UDP(sport=40000, dport=7777) / Raw(data))
    frags = [from_mesh6(f) for f in fragment6(whole, 600)]
    assert len(frags) == 2
    # what changed: two fragments -> one IPv4 datagram (1028 bytes, DF
    # clear: its sender fragmented it), src 10.23.0.9 and a pool port
    exp = out4udp(R4, None, 7777, data, free=FreePort(parity=40000))
    return Case(inp={P_MESH: frags}, out={P_WAN: [exp]}, config=CFG,
                counters={"nat64_reassembled": 1, "nat64_in2out": 1})


@case
def plat_frag6_lone():
    """a later fragment whose first never comes is held for reassembly
    and dropped when FRAGMENT_MIN (2 s, RFC 6146 section 4) runs out:
    nat64_reass_timeout, nothing leaves"""
    inp = from_mesh6(IPv6(src=client_a, dst=x6(R4), hlim=64) /
                     IPv6ExtHdrFragment(nh=17, offset=8, m=0, id=0x77) /
                     Raw(payload(64)))
    return Case(inp={P_MESH: [inp]}, out={}, config=CFG,
                drops={"nat64_reass_timeout": 1},
                counters={"nat64_in2out": 0, "icmp_error": 0},
                idle_exit=3000)


@case
def plat_frag4_reassembled():
    """an IPv4 reply in two fragments to a static entry's port is
    reassembled and reaches the client as one IPv6 datagram"""
    data = payload(600, 6)
    whole = IP(src=R4, dst=plat_pool4, ttl=50, id=9) / \
        UDP(sport=7777, dport=S_PORT4) / Raw(data)
    frags = [from_wan4(f) for f in fragment(whole, 320)]
    assert len(frags) == 2
    # what changed: two IPv4 fragments -> one IPv6 datagram to client_s
    return Case(inp={P_WAN: frags},
                out={P_MESH: [out6udp(R4, client_s, 7777, S_PORT6, data)]},
                config=CFG, counters={"nat64_reassembled": 1,
                                      "nat64_out2in": 1})


# --- routing around the PLAT -------------------------------------------------
@case
def plat_hlim1():
    """hop limit 1 to the PLAT prefix: time exceeded from the mesh address
    (RFC 7915 5.1: the translator is a router first, RFC 4443 3.3), no
    session; TTL 1 to the pool: ICMP time exceeded from the wan
    address (RFC 1812 5.3.1)"""
    a = v6udp(client_a, R4, 40000, 7777, payload(8), hlim=1)
    b = v4udp(R4, 7777, S_PORT4, payload(8), ttl=1)
    return Case(inp={P_MESH: [a], P_WAN: [b]},
                out={P_MESH: [icmp6_error(a, ICMPv6TimeExceeded, 0,
                                          mesh_ip6, mesh_mac)],
                     P_WAN: [icmp4_error(b, 11, 0, plat_wan_ip4, wan_mac)]},
                config=CFG, drops={"ttl_exceeded": 2},
                counters={"nat64_in2out": 0, "nat64_out2in": 0,
                          "icmp_error": 2})


@case
def plat_range_prefix():
    """without plat_prefix the PLAT prefix is plat_range + the mesh port's
    MAC (seed 003: 64:ff9b:1::/48 + 02:00:00:00:00:02 =
    64:ff9b:1:200:0:2::/96): UDP to it is translated, its 192.0.0.1 is
    answered"""
    pfx = "64:ff9b:1:200:0:2::/96"
    cfg = plat_config(plat_prefix=None, plat_range=plat_range)
    data = payload(20, 16)
    a = from_mesh6(IPv6(src=client_s, dst=x6(R4, pfx), hlim=64) /
                   UDP(sport=S_PORT6, dport=7777) / Raw(data))
    req, rep = mgmt_echo(1, prefix=pfx)
    return Case(inp={P_MESH: [a, req]},
                out={P_WAN: [out4udp(R4, S_PORT4, 7777, data)],
                     P_MESH: [rep]},
                config=cfg, counters={"nat64_in2out": 1, "echo_reply": 1})


@case
def plat_shared_address():
    """the pool address may be the wan port's own (CONFIG-DRAFT; seed 003
    keeps the PLAT to ports 9000-10000 of 10.23.0.9 "so the kernel's own
    masquerade on the same address never collides"): what the pool
    serves goes to the PLAT, the rest is the box's own traffic: a ping
    with an identifier outside the range is answered, TCP to port 22 is
    for the kernel (no mirror port here: local_no_punt); inside the
    range, a static entry translates, a port nobody holds is dropped"""
    cfg = plat_config()
    cfg["ports"][1]["ipv4"] = [plat_pool4 + "/24"]
    data = payload(16, 17)
    udp = v4udp(R4, 7777, S_PORT4, data)
    ping = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50, id=0x4444) /
                     ICMP(type=8, id=5, seq=1) / Raw(data))
    ping_in = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                        ICMP(type=8, id=9500, seq=1) / Raw(data))
    ssh = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    TCP(sport=33333, dport=22, flags="S"))
    free = v4udp(R4, 7777, 9999, data)
    # the echo reply: addresses swapped, TTL 64 (RFC 1122 3.2.2.6)
    pong = Exp(Ether(src=wan_mac, dst=wan_gw4_mac) /
               IP(src=plat_pool4, dst=R4, ttl=64, id=0x4444) /
               ICMP(type=0, id=5, seq=1) / Raw(data))
    return Case(inp={P_WAN: [udp, ping, ping_in, ssh, free]},
                out={P_MESH: [out6udp(R4, client_s, 7777, S_PORT6, data)],
                     P_WAN: [pong]},
                config=cfg, drops={"nat64_no_bib": 2, "local_no_punt": 1},
                counters={"nat64_out2in": 1, "echo_reply": 1})


# --- what the box answers itself ---------------------------------------------
@case
def plat_mgmt_echo():
    """every PLAT answers at its prefix + 192.0.0.1 (seed 003): an echo
    request there gets an echo reply from that address (RFC 4443 4.2);
    nothing is translated"""
    req, rep = mgmt_echo(7)
    return Case(inp={P_MESH: [req]}, out={P_MESH: [rep]}, config=CFG,
                counters={"echo_reply": 1, "nat64_in2out": 0})


@case
def plat_arp_pool():
    """the wan port answers ARP for the pool address with its own MAC
    (CONFIG-DRAFT: "a PLAT answers for its pool on wan4 ports"), and
    not for a neighbouring address that is neither its own nor pooled"""
    a = (Ether(src=wan_gw4_mac, dst=BCAST) /
         ARP(op=1, hwsrc=wan_gw4_mac, psrc=wan_gw4, hwdst=ZERO_MAC,
             pdst=plat_pool4))
    b = (Ether(src=wan_gw4_mac, dst=BCAST) /
         ARP(op=1, hwsrc=wan_gw4_mac, psrc=wan_gw4, hwdst=ZERO_MAC,
             pdst="10.23.0.10"))
    # what changed: op 1 -> 2, the wan MAC for 10.23.0.9, back to the
    # requester
    rep = Exp(Ether(src=wan_mac, dst=wan_gw4_mac) /
              ARP(op=2, hwsrc=wan_mac, psrc=plat_pool4, hwdst=wan_gw4_mac,
                  pdst=wan_gw4), pad_ok=True)
    return Case(inp={P_WAN: [a, b]}, out={P_WAN: [rep]}, config=CFG,
                drops={"arp_not_ours": 1}, counters={"arp_reply": 1})
