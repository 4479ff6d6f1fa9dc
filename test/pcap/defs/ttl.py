# SPDX-License-Identifier: BSD-3-Clause
"""
TTL / hop limit in forwarding and translation (RFC 1812 section 5.3.1,
RFC 8200 section 3, RFC 7915 sections 4.1 and 5.1): a packet that must be
forwarded with TTL/hop limit <= 1 is dropped and answered with ICMP time
exceeded (v4 type 11 code 0, RFC 792; v6 type 3 code 0, RFC 4443 3.3),
sent from the ingress port, quoting the packet as received.
"""

from mxpcap import *  # noqa: F401,F403


def udp46(ttl, size=None):
    data = payload(20 if size is None else size - 28)
    return (Ether(src=client4_mac, dst=lan4_mac) /
            IP(src=client4, dst=remote4, ttl=ttl, id=0x3333, flags="DF") /
            UDP(sport=40000, dport=7777) / Raw(data))


def udp64(hlim, size=None, eth_src=gw6_mac, port_mac=mesh_mac):
    data = payload(16 if size is None else size - 48)
    return (Ether(src=eth_src, dst=port_mac) /
            IPv6(src=p6(remote4), dst=c6(client4), hlim=hlim) /
            UDP(sport=7777, dport=40000) / Raw(data))


@case
def ttl46_expired():
    """4->6 with TTL 1: ICMPv4 time exceeded from the lan4 address"""
    inp = udp46(ttl=1)
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)]},
                drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1, "xlat46": 0})


@case
def ttl46_zero():
    """4->6 with TTL 0 is treated like TTL 1"""
    inp = udp46(ttl=0)
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)]},
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 1})


@case
def ttl46_two():
    """4->6 with TTL 2 goes out with hop limit 1"""
    inp = udp46(ttl=2)
    # what changed: translated as in clat46_udp, hop limit 1
    exp = (Ether(src=mesh_mac, dst=gw6_mac) /
           IPv6(src=c6(client4), dst=p6(remote4), hlim=1, nh=17) /
           UDP(sport=40000, dport=7777) / Raw(payload(20)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1, "icmp_error": 0})


@case
def ttl46_expired_big():
    """the quote in an ICMPv4 error is cut so the error is 576 bytes"""
    inp = udp46(ttl=1, size=1400)
    exp = icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)
    assert len(exp.pkt[IP]) == 576
    return Case(inp={LAN4: [inp]}, out={LAN4: [exp]},
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 1})


@case
def ttl46_expired_stranger():
    """the error goes to the Ethernet source of the expired frame, even
    when that host is no known neighbour"""
    inp = (Ether(src=stranger4_mac, dst=lan4_mac) /
           IP(src=stranger4, dst=remote4b, ttl=1) /
           ICMP(type=8, id=9, seq=9) / Raw(payload(24)))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)]},
                drops={"ttl_exceeded": 1}, counters={"arp_request": 0})


@case
def ttl64_expired():
    """6->4 with hop limit 1: ICMPv6 time exceeded from the mesh global
    address, back out of the mesh port"""
    inp = udp64(hlim=1)
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0, mesh_ip6,
                                        mesh_mac)]},
                drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1, "xlat64": 0})


@case
def ttl64_two():
    """6->4 with hop limit 2 goes out with TTL 1"""
    inp = udp64(hlim=2)
    exp = Exp(Ether(src=lan4_mac, dst=client4_mac) /
              IP(src=remote4, dst=client4, id=0, ttl=1, proto=17) /
              UDP(sport=7777, dport=40000) / Raw(payload(16)), free_ip4_id=True)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1, "icmp_error": 0})


@case
def ttl64_expired_big():
    """the quote in an ICMPv6 error is cut so the error is 1280 bytes"""
    inp = udp64(hlim=1, size=1450)
    exp = icmp6_error(inp, ICMPv6TimeExceeded, 0, mesh_ip6, mesh_mac)
    assert len(exp.pkt[IPv6]) == 1280
    return Case(inp={MESH: [inp]}, out={MESH: [exp]},
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 1})


@case
def ttl64_expired_lan4():
    """hop limit 1 on the lan4 port, which has no global IPv6 address:
    the error comes from its link-local address"""
    inp = udp64(hlim=1, eth_src=other_mac, port_mac=lan4_mac)
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp6_error(inp, ICMPv6TimeExceeded, 0, lan4_ll,
                                        lan4_mac)]},
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 1})


@case
def ttl_fwd6():
    """plain IPv6 forwarding (mesh to a mesh neighbour): hop limit - 1"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src=remote6, dst=gw6, hlim=64, tc=0x10, fl=0xabcde) /
           TCP(sport=1234, dport=22, flags="S"))
    # what changed: Ethernet rewritten to the neighbour, hop limit 63
    exp = (Ether(src=mesh_mac, dst=gw6_mac) /
           IPv6(src=remote6, dst=gw6, hlim=63, tc=0x10, fl=0xabcde) /
           TCP(sport=1234, dport=22, flags="S"))
    return Case(inp={MESH: [inp]}, out={MESH: [exp]},
                counters={"fwd6": 1})


@case
def ttl_fwd6_expired():
    """plain IPv6 forwarding with hop limit 1: time exceeded"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src=remote6, dst=gw6, hlim=1) /
           UDP(sport=1234, dport=6000) / Raw(payload(30)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0, mesh_ip6,
                                        mesh_mac)]},
                drops={"ttl_exceeded": 1}, counters={"fwd6": 0})


@case
def ttl_fwd4():
    """plain IPv4 forwarding (wan4 to a lan4 client, no CLAT configured):
    TTL - 1 and the header checksum updated (RFC 1624)"""
    inp = (Ether(src=wan_gw4_mac, dst=wan_mac) /
           IP(src=remote4, dst=client4, ttl=50, id=0x4567, tos=0x20,
              flags="DF") /
           UDP(sport=7777, dport=40000) / Raw(payload(30)))
    # what changed: Ethernet rewritten, TTL 49, header checksum
    exp = (Ether(src=lan4_mac, dst=client4_mac) /
           IP(src=remote4, dst=client4, ttl=49, id=0x4567, tos=0x20,
              flags="DF") /
           UDP(sport=7777, dport=40000) / Raw(payload(30)))
    return Case(inp={WAN: [inp]}, out={LAN4: [exp]}, config=wan_config(),
                counters={"fwd4": 1})


@case
def ttl_fwd4_expired():
    """plain IPv4 forwarding with TTL 1: time exceeded from the wan address"""
    inp = (Ether(src=wan_gw4_mac, dst=wan_mac) /
           IP(src=remote4, dst=client4, ttl=1) /
           TCP(sport=443, dport=50000, flags="SA"))
    return Case(inp={WAN: [inp]},
                out={WAN: [icmp4_error(inp, 11, 0, wan_ip4, wan_mac)]},
                config=wan_config(), drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1, "fwd4": 0})


def _two_addr_config():
    cfg = base_config()
    cfg["ports"][0]["ipv4"] = [lan4_ip4 + "/24", "10.99.0.1/16"]
    cfg["ports"][1]["ipv6"] = [mesh_ip6 + "/64", "fd00:99::1/64"]
    return cfg


@case
def ttl46_expired_subnet_addr():
    """a port with two IPv4 addresses sends the error from the one in the
    sender's subnet (RFC 1812 4.3.2.4 leaves the choice to the router; this
    one is on-link for the sender)"""
    inp = (Ether(src=stranger4_mac, dst=lan4_mac) /
           IP(src="10.99.0.5", dst=remote4, ttl=1) /
           UDP(sport=40000, dport=7777) / Raw(payload(8)))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, "10.99.0.1", lan4_mac)]},
                config=_two_addr_config(), drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1})


@case
def ttl46_expired_first_addr():
    """a sender in neither subnet gets the error from the first address"""
    inp = (Ether(src=stranger4_mac, dst=lan4_mac) /
           IP(src="172.16.5.5", dst=remote4, ttl=1) /
           UDP(sport=40000, dport=7777) / Raw(payload(8)))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 11, 0, lan4_ip4, lan4_mac)]},
                config=_two_addr_config(), drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1})


@case
def ttl64_expired_subnet_addr():
    """a port with two global IPv6 addresses sends the error from the one
    in the sender's prefix"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src="fd00:99::5", dst=c6(client4), hlim=1) /
           UDP(sport=7777, dport=40000) / Raw(payload(8)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0,
                                        "fd00:99::1", mesh_mac)]},
                config=_two_addr_config(), drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1})


@case
def ttl64_expired_first_addr():
    """a sender in neither prefix gets the error from the first address"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src="2001:db8:77::5", dst=c6(client4), hlim=1) /
           UDP(sport=7777, dport=40000) / Raw(payload(8)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0, mesh_ip6,
                                        mesh_mac)]},
                config=_two_addr_config(), drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1})
