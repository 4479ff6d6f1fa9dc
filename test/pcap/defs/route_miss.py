# SPDX-License-Identifier: BSD-3-Clause
"""
No route to the destination (RFC 1812 section 5.2.7.1, RFC 4443 section
3.1): the packet is dropped and answered with destination unreachable
(v4 type 3 code 0 "net unreachable"; v6 type 1 code 0 "no route") from the
ingress port, quoting the packet as received. For 4->6 the route lookup is
for the translated IPv6 destination and comes after the TTL check.
"""

from mxpcap import *  # noqa: F401,F403

# the base config without the route to the PLAT prefix
NO_ROUTES = config_with(routes=[])


def udp46(ttl=64, size=None, dst=remote4):
    data = payload(12 if size is None else size - 28)
    return (Ether(src=client4_mac, dst=lan4_mac) /
            IP(src=client4, dst=dst, ttl=ttl, id=0x2222) /
            UDP(sport=40000, dport=7777) / Raw(data))


@case
def miss46_udp():
    """4->6 with no route to the PLAT prefix: ICMPv4 net unreachable"""
    inp = udp46()
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 3, 0, lan4_ip4, lan4_mac)]},
                config=NO_ROUTES, drops={"no_route": 1},
                counters={"icmp_error": 1, "xlat46": 0})


@case
def miss46_echo():
    """an echo request that cannot be routed gets the error too (only
    errors about ICMP errors are suppressed, RFC 1812 4.3.2.7)"""
    inp = (Ether(src=client4_mac, dst=lan4_mac) /
           IP(src=client4, dst=remote4b, ttl=64) /
           ICMP(type=8, id=1, seq=1) / Raw(payload(56)))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 3, 0, lan4_ip4, lan4_mac)]},
                config=NO_ROUTES, drops={"no_route": 1},
                counters={"icmp_error": 1})


@case
def miss46_big():
    """the quote is cut so the ICMPv4 error is 576 bytes"""
    inp = udp46(size=1300)
    exp = icmp4_error(inp, 3, 0, lan4_ip4, lan4_mac)
    assert len(exp.pkt[IP]) == 576
    return Case(inp={LAN4: [inp]}, out={LAN4: [exp]}, config=NO_ROUTES,
                drops={"no_route": 1}, counters={"icmp_error": 1})


@case
def miss46_ttl1():
    """TTL 1 and no route: the TTL check comes first -> time exceeded"""
    inp = udp46(ttl=1)
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)]},
                config=NO_ROUTES, drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1})


@case
def miss64_udp():
    """6->4 to a CLAT address whose IPv4 part is not on lan4 and with no
    IPv4 default route: ICMPv6 no route from the mesh address"""
    inp = (Ether(src=gw6_mac, dst=mesh_mac) /
           IPv6(src=p6(remote4), dst=c6("10.1.2.3"), hlim=64) /
           UDP(sport=7777, dport=40000) / Raw(payload(12)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6DestUnreach, 0, mesh_ip6,
                                        mesh_mac)]},
                drops={"no_route": 1}, counters={"icmp_error": 1,
                                                 "xlat64": 0})


@case
def miss6_fwd():
    """plain IPv6 to an unrouted destination: ICMPv6 no route"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src=remote6, dst="2001:db8:ffff::1", hlim=64) /
           TCP(sport=40000, dport=80, flags="S"))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6DestUnreach, 0, mesh_ip6,
                                        mesh_mac)]},
                drops={"no_route": 1}, counters={"icmp_error": 1,
                                                 "fwd6": 0})


@case
def miss6_fwd_big():
    """the quote is cut so the ICMPv6 error is 1280 bytes"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src=remote6, dst="2001:db8:ffff::1", hlim=64) /
           UDP(sport=40000, dport=7777) / Raw(payload(1400)))
    exp = icmp6_error(inp, ICMPv6DestUnreach, 0, mesh_ip6, mesh_mac)
    assert len(exp.pkt[IPv6]) == 1280
    return Case(inp={MESH: [inp]}, out={MESH: [exp]},
                drops={"no_route": 1}, counters={"icmp_error": 1})


@case
def miss4_fwd():
    """plain IPv4 router without a default route: ICMPv4 net unreachable
    from the wan address"""
    inp = (Ether(src=wan_gw4_mac, dst=wan_mac) /
           IP(src=remote4, dst="172.16.5.5", ttl=64) /
           UDP(sport=7777, dport=40000) / Raw(payload(12)))
    return Case(inp={WAN: [inp]},
                out={WAN: [icmp4_error(inp, 3, 0, wan_ip4, wan_mac)]},
                config=wan_config(default_route=False),
                drops={"no_route": 1}, counters={"icmp_error": 1})
