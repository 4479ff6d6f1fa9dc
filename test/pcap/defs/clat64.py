# SPDX-License-Identifier: BSD-3-Clause
"""
CLAT IPv6 -> IPv4 (RFC 7915 section 5, addresses per RFC 6052 /96).

Expected IPv4 header from the RFC: src = the IPv4 address embedded in the
PLAT prefix, dst = the last 32 bits of the CLAT-prefix destination, tos =
traffic class, DF set iff the IPv4 packet is larger than 1260 bytes, MF 0,
offset 0, TTL = hop limit - 1, protocol = next header after the skipped
extension headers (58 -> 1). The identification is left free by the RFC
("set according to a Fragment Identification generator"): it is built as 0
and masked. Ethernet: lan4 MAC -> the client's MAC.
"""

from mxpcap import *  # noqa: F401,F403
from scapy.all import ICMPv6DestUnreach


def from_mesh(l3, eth_dst=mesh_mac):
    return Ether(src=gw6_mac, dst=eth_dst) / l3


def to_client(l3):
    return Exp(Ether(src=lan4_mac, dst=client4_mac) / l3, free_ip4_id=True)


@case
def clat64_udp():
    """UDP from a PLAT-prefix source to our CLAT prefix is translated"""
    data = payload(33)
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    UDP(sport=7777, dport=40000) / Raw(data))
    # what changed: IPv6 header -> IPv4 header, hop limit 64 -> TTL 63,
    # UDP checksum over the IPv4 pseudo header
    exp = to_client(IP(src=remote4, dst=client4, tos=0, id=0, flags=0,
                       ttl=63, proto=17) /
                    UDP(sport=7777, dport=40000) / Raw(data))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_tcp_synack():
    """TCP SYN-ACK with options and traffic class 0x28 is translated"""
    opts = [("MSS", 1440), ("NOP", None), ("NOP", None), ("SAckOK", b""),
            ("NOP", None), ("WScale", 9)]
    inp = from_mesh(IPv6(src=p6(remote4b), dst=c6(client4), hlim=57,
                         tc=0x28, fl=0x12345) /
                    TCP(sport=443, dport=51000, seq=5000, ack=1001,
                        flags="SA", window=65160, options=opts))
    # what changed: tc 0x28 -> tos 0x28, the flow label is lost, TTL 56
    exp = to_client(IP(src=remote4b, dst=client4, tos=0x28, id=0, flags=0,
                       ttl=56, proto=6) /
                    TCP(sport=443, dport=51000, seq=5000, ack=1001,
                        flags="SA", window=65160, options=opts))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_echo_request():
    """ICMPv6 echo request -> ICMP echo request (RFC 7915 section 5.2)"""
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    ICMPv6EchoRequest(id=0x55, seq=1, data=payload(56)))
    # what changed: type 128 -> 8, protocol 1, checksum without pseudo header
    exp = to_client(IP(src=remote4, dst=client4, id=0, flags=0, ttl=63,
                       proto=1) /
                    ICMP(type=8, id=0x55, seq=1) / Raw(payload(56)))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_echo_reply():
    """ICMPv6 echo reply -> ICMP echo reply"""
    inp = from_mesh(IPv6(src=p6(remote4b), dst=c6(client4), hlim=2) /
                    ICMPv6EchoReply(id=0xbeef, seq=0x102, data=payload(5)))
    # what changed: type 129 -> 0, TTL 1
    exp = to_client(IP(src=remote4b, dst=client4, id=0, flags=0, ttl=1,
                       proto=1) /
                    ICMP(type=0, id=0xbeef, seq=0x102) / Raw(payload(5)))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


def _sized(total4, df):
    """A UDP packet whose IPv4 translation is 'total4' bytes long."""
    data = payload(total4 - 28, 1)
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    UDP(sport=9, dport=9) / Raw(data))
    exp = to_client(IP(src=remote4, dst=client4, id=0, ttl=63, proto=17,
                       flags="DF" if df else 0) /
                    UDP(sport=9, dport=9) / Raw(data))
    assert len(exp.pkt[IP]) == total4
    return inp, exp


@case
def clat64_df_1260():
    """a translation of exactly 1260 bytes has DF clear (RFC 7915 5.1)"""
    inp, exp = _sized(1260, df=False)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_df_1261():
    """a translation of 1261 bytes has DF set (RFC 7915 5.1)"""
    inp, exp = _sized(1261, df=True)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_hopbyhop():
    """a hop-by-hop options header is skipped (RFC 7915 section 5.1)"""
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                    UDP(sport=7777, dport=40000) / Raw(payload(12)))
    # what changed: the 8-byte extension header is gone; protocol = UDP
    exp = to_client(IP(src=remote4, dst=client4, id=0, ttl=63, proto=17) /
                    UDP(sport=7777, dport=40000) / Raw(payload(12)))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_dstopt_routing():
    """destination options and a routing header with segments left 0 are
    skipped"""
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]) /
                    IPv6ExtHdrRouting(type=0, segleft=0, addresses=[]) /
                    TCP(sport=443, dport=50000, flags="A", seq=1, ack=2))
    # what changed: 24 bytes of extension headers gone; protocol = TCP
    exp = to_client(IP(src=remote4, dst=client4, id=0, ttl=63, proto=6) /
                    TCP(sport=443, dport=50000, flags="A", seq=1, ack=2))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_on_lan4_port():
    """IPv6 to the CLAT prefix is translated whatever port it came in on"""
    inp = (Ether(src=other_mac, dst=lan4_mac) /
           IPv6(src=p6(remote4), dst=c6(client4), hlim=10) /
           UDP(sport=7777, dport=40000) / Raw(payload(4)))
    exp = to_client(IP(src=remote4, dst=client4, id=0, ttl=9, proto=17) /
                    UDP(sport=7777, dport=40000) / Raw(payload(4)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1})


@case
def clat64_udp_csum0():
    """UDP with a zero checksum over IPv6 is invalid: dropped"""
    inp = from_mesh(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                    UDP(sport=7777, dport=40000, chksum=0) / Raw(payload(9)))
    return Case(inp={MESH: [inp]}, out={}, drops={"xlat_udp_csum0": 1},
                counters={"xlat64": 0})


@case
def clat64_src_not_plat():
    """a source outside the PLAT prefix has no IPv4 form: dropped, and
    'administratively prohibited' goes back (RFC 7915 5.4)"""
    inp = from_mesh(IPv6(src=remote6, dst=c6(client4), hlim=64) /
                    UDP(sport=7777, dport=40000) / Raw(payload(9)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6DestUnreach, 1, mesh_ip6,
                                        mesh_mac)]},
                drops={"xlat_src": 1}, counters={"xlat64": 0})


@case
def clat64_burst_order():
    """a burst of mixed packets leaves in order"""
    ins, outs = [], []
    for i in range(5):
        if i % 2 == 0:
            l6 = UDP(sport=7777, dport=40000 + i) / Raw(payload(i + 1, i))
            l4 = UDP(sport=7777, dport=40000 + i) / Raw(payload(i + 1, i))
            proto = 17
        else:
            l6 = ICMPv6EchoReply(id=i, seq=i, data=payload(i, i))
            l4 = ICMP(type=0, id=i, seq=i) / Raw(payload(i, i))
            proto = 1
        ins.append(from_mesh(IPv6(src=p6(remote4), dst=c6(client4),
                                  hlim=64, tc=i) / l6))
        outs.append(to_client(IP(src=remote4, dst=client4, tos=i, id=0,
                                 ttl=63, proto=proto) / l4))
    return Case(inp={MESH: ins}, out={LAN4: outs}, counters={"xlat64": 5})
