# SPDX-License-Identifier: BSD-3-Clause
"""
A node that is CLAT and PLAT at once (seed 003: "Platnodes can also be
clatnodes at the same time having also a CLAT device which traffic is
directly routed to its own PLAT device"; ARCHITECTURE.md: "its CLAT
traffic to its own PLAT never leaves the box"). node_config() in
mxpcap.py: lan4 (port 0, the CLAT's IPv4 clients, CLAT prefix from the
lan4 MAC), mesh (port 1), wan (port 2, pool 10.23.0.9 ports
9000-10000); the CLAT's PLAT prefix is the node's own, 64:ff9b::/96.

An IPv4 client's packet is translated twice inside the box, RFC 7915
section 4 by the CLAT (src = CLAT prefix + client, dst = PLAT prefix +
server), then RFC 6146 by the PLAT (src = the pool), and leaves on wan
as IPv4; nothing goes out on the mesh. The answer takes the same way
back. The box counts as one router hop: TTL - 1 (the choice the project
makes for hairpinning, doc/conformance/rfc7915.md), and TTL 1 gets an
ICMPv4 time exceeded from the port it came in on. The IPv4
identification of both directions is free (RFC 7915 5.1), masked.
"""

from mxpcap import *  # noqa: F401,F403

CFG = node_config()
R4 = remote4


def from_client4(l3):
    return Ether(src=client4_mac, dst=lan4_mac) / l3


def to_client4(l3):
    return Exp(Ether(src=lan4_mac, dst=client4_mac) / l3, free_ip4_id=True)


def node_wan4(l3, free_sport=None):
    return Exp(Ether(src=wan_mac, dst=wan_gw4_mac) / l3, free_ip4_id=True,
               free_sport=free_sport)


@case
def plat_node_udp():
    """client4's datagram from port 9123 leaves on wan from 10.23.0.9:9123
    (the PLAT keeps a free port of its range), nothing on the mesh; R4's
    answer reaches client4 as IPv4 from R4"""
    d1, d2 = payload(21, 1), payload(33, 2)
    req = from_client4(IP(src=client4, dst=R4, ttl=64, id=0x1111) /
                       UDP(sport=9123, dport=7777) / Raw(d1))
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50, id=0x2222) /
                    UDP(sport=7777, dport=9123) / Raw(d2))
    # what changed: src 192.168.0.1:9123 -> 10.23.0.9:9123, TTL 64 -> 63;
    # the answer: dst 10.23.0.9:9123 -> 192.168.0.1:9123, TTL 50 -> 49
    return Case(inp={N_LAN4: [req], N_WAN: [rep]},
                out={N_WAN: [node_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                          flags=0) /
                                       UDP(sport=9123, dport=7777) /
                                       Raw(d1))],
                     N_LAN4: [to_client4(IP(src=R4, dst=client4, ttl=49,
                                            flags=0) /
                                         UDP(sport=7777, dport=9123) /
                                         Raw(d2))]},
                config=CFG, counters={"xlat46": 1, "nat64_in2out": 1,
                                      "nat64_out2in": 1, "xlat64": 1})


@case
def plat_node_udp_port_chosen():
    """client4's port outside the pool range is replaced by one from it
    (RFC 6146 3.5.1.1; masked, checked: in 9000-10000, even like
    40000)"""
    data = payload(10, 3)
    req = from_client4(IP(src=client4, dst=R4, ttl=64) /
                       UDP(sport=40000, dport=7777) / Raw(data))
    fp = FreePort(parity=40000)
    return Case(inp={N_LAN4: [req]},
                out={N_WAN: [node_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                          flags=0) /
                                       UDP(sport=fp.placeholder(),
                                           dport=7777) / Raw(data),
                                       free_sport=fp)]},
                config=CFG, counters={"xlat46": 1, "nat64_in2out": 1})


@case
def plat_node_echo():
    """client4's ping (identifier 9200) leaves as an echo request from
    10.23.0.9 with identifier 9200; the echo reply reaches client4 as
    an ICMP echo reply (RFC 7915 4.2 and 5.2, RFC 6146 3.5.3)"""
    data = payload(24, 4)
    req = from_client4(IP(src=client4, dst=R4, ttl=64) /
                       ICMP(type=8, id=9200, seq=1) / Raw(data))
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    ICMP(type=0, id=9200, seq=1) / Raw(data))
    return Case(inp={N_LAN4: [req], N_WAN: [rep]},
                out={N_WAN: [node_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                          flags=0) /
                                       ICMP(type=8, id=9200, seq=1) /
                                       Raw(data))],
                     N_LAN4: [to_client4(IP(src=R4, dst=client4, ttl=49,
                                            flags=0) /
                                         ICMP(type=0, id=9200, seq=1) /
                                         Raw(data))]},
                config=CFG, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1})


@case
def plat_node_ttl():
    """one hop through the box: TTL 2 leaves with 1 both ways; TTL 1 gets
    ICMPv4 time exceeded (RFC 1812 5.3.1) from the address of the port
    it came in on, lan4 or wan, an IPv4 answer on an IPv4 link"""
    up2 = from_client4(IP(src=client4, dst=R4, ttl=2) /
                       UDP(sport=9123, dport=7777) / Raw(payload(8, 5)))
    up1 = from_client4(IP(src=client4, dst=R4, ttl=1) /
                       UDP(sport=9123, dport=7777) / Raw(payload(8, 6)))
    dn2 = from_wan4(IP(src=R4, dst=plat_pool4, ttl=2) /
                    UDP(sport=7777, dport=9123) / Raw(payload(8, 7)))
    dn1 = from_wan4(IP(src=R4, dst=plat_pool4, ttl=1) /
                    UDP(sport=7777, dport=9123) / Raw(payload(8, 8)))
    return Case(inp={N_LAN4: [up2, up1], N_WAN: [dn2, dn1]},
                out={N_WAN: [node_wan4(IP(src=plat_pool4, dst=R4, ttl=1,
                                          flags=0) /
                                       UDP(sport=9123, dport=7777) /
                                       Raw(payload(8, 5))),
                             icmp4_error(dn1, 11, 0, plat_wan_ip4, wan_mac)],
                     N_LAN4: [icmp4_error(up1, 11, 0, lan4_ip4, lan4_mac),
                              to_client4(IP(src=R4, dst=client4, ttl=1,
                                            flags=0) /
                                         UDP(sport=7777, dport=9123) /
                                         Raw(payload(8, 7)))]},
                config=CFG, drops={"ttl_exceeded": 2},
                counters={"nat64_in2out": 1, "nat64_out2in": 1,
                          "icmp_error": 2})


@case
def plat_node_with_mesh_client():
    """the node's own client and a mesh client share the pool, each with
    its own block (RFC 6888 REQ-2)"""
    d1, d2 = payload(10, 9), payload(10, 10)
    own = from_client4(IP(src=client4, dst=R4, ttl=64) /
                       UDP(sport=40000, dport=7777) / Raw(d1))
    mesh = (Ether(src=gw6_mac, dst=mesh_mac) /
            IPv6(src=client_a, dst=x6(R4), hlim=64) /
            UDP(sport=40000, dport=7777) / Raw(d2))
    fa = FreePort(parity=0, unique="bib", block="own")
    fb = FreePort(parity=0, unique="bib", block="mesh")
    return Case(inp={N_LAN4: [own], N_MESH: [mesh]},
                out={N_WAN: [node_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                          flags=0) /
                                       UDP(sport=fa.placeholder(),
                                           dport=7777) / Raw(d1),
                                       free_sport=fa),
                             node_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                          flags=0) /
                                       UDP(sport=fb.placeholder(),
                                           dport=7777) / Raw(d2),
                                       free_sport=fb)]},
                config=CFG, counters={"nat64_in2out": 2})
