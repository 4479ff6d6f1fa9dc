# SPDX-License-Identifier: BSD-3-Clause
"""
CLAT IPv4 -> IPv6 (RFC 7915 section 4, addresses per RFC 6052 /96).

Every expected packet is written out from the RFC: IPv6 src = CLAT prefix +
IPv4 src, dst = PLAT prefix + IPv4 dst, traffic class = TOS, flow label 0,
hop limit = TTL - 1, next header = protocol (ICMP -> 58), options dropped;
transport checksums are left to Scapy (recomputed over the IPv6 pseudo
header, which is what the incremental update must give).
"""

from mxpcap import *  # noqa: F401,F403
from scapy.all import ICMPv6DestUnreach, IPv6ExtHdrFragment


def from_client(l3):
    return Ether(src=client4_mac, dst=lan4_mac) / l3


def to_mesh(l3):
    # Ethernet: our mesh MAC to the PLAT route's next hop (static neighbour)
    return Ether(src=mesh_mac, dst=gw6_mac) / l3


@case
def clat46_udp():
    """UDP with an odd payload size is translated"""
    data = payload(21)
    inp = from_client(IP(src=client4, dst=remote4, ttl=64, id=0x1234) /
                      UDP(sport=40000, dport=7777) / Raw(data))
    # what changed: IPv4 header -> IPv6 header, TTL 64 -> hop limit 63,
    # UDP checksum now covers the IPv6 pseudo header
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), tc=0, fl=0,
                       hlim=63, nh=17) /
                  UDP(sport=40000, dport=7777) / Raw(data))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_tcp_syn():
    """TCP SYN with options is translated, options untouched"""
    opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1234567, 0)),
            ("NOP", None), ("WScale", 7)]
    inp = from_client(IP(src=client4, dst=remote4b, ttl=64, flags="DF") /
                      TCP(sport=51000, dport=443, seq=1000, flags="S",
                          window=64240, options=opts))
    # what changed: IPv6 header, hop limit 63, TCP checksum; DF has no
    # IPv6 counterpart and the packet is small, so no fragment header
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4b), hlim=63, nh=6) /
                  TCP(sport=51000, dport=443, seq=1000, flags="S",
                      window=64240, options=opts))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_tcp_data_big():
    """1400-byte TCP segment (DF) is translated whole"""
    data = payload(1360, 9)
    inp = from_client(IP(src=client4, dst=remote4, ttl=33, flags="DF") /
                      TCP(sport=51000, dport=80, seq=7, ack=99, flags="PA") /
                      Raw(data))
    assert len(inp[IP]) == 1400
    # what changed: IPv6 header (1420 bytes in all), hop limit 32
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=32, nh=6) /
                  TCP(sport=51000, dport=80, seq=7, ack=99, flags="PA") /
                  Raw(data))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_tos():
    """TOS is copied to the traffic class (RFC 7915 section 4.1)"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64, tos=0xb8) /
                      UDP(sport=5004, dport=5004) / Raw(payload(40)))
    # what changed: tos 0xb8 (EF) -> tc 0xb8, the rest as clat46_udp
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), tc=0xb8, hlim=63,
                       nh=17) /
                  UDP(sport=5004, dport=5004) / Raw(payload(40)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_udp_csum0():
    """UDP without checksum (0) gets one computed, since IPv6 requires it
    (RFC 7915 section 4.5)"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64) /
                      UDP(sport=40001, dport=4123, chksum=0) /
                      Raw(payload(48)))
    # what changed: checksum 0 -> the full IPv6 UDP checksum
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63, nh=17) /
                  UDP(sport=40001, dport=4123) / Raw(payload(48)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_echo_request():
    """ICMP echo request -> ICMPv6 echo request (RFC 7915 section 4.2)"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64) /
                      ICMP(type=8, id=0x77, seq=3) / Raw(payload(56)))
    # what changed: type 8 -> 128, next header 58, checksum now includes
    # the IPv6 pseudo header; id/seq/data kept
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63, nh=58) /
                  ICMPv6EchoRequest(id=0x77, seq=3, data=payload(56)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_echo_reply():
    """ICMP echo reply -> ICMPv6 echo reply"""
    inp = from_client(IP(src=client4, dst=remote4b, ttl=128) /
                      ICMP(type=0, id=0x1, seq=0xffff) / Raw(payload(7)))
    # what changed: type 0 -> 129, hop limit 127
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4b), hlim=127, nh=58) /
                  ICMPv6EchoReply(id=0x1, seq=0xffff, data=payload(7)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_options_dropped():
    """IPv4 options other than source routes are dropped from the
    translation (RFC 7915 section 4.1); the payload length counts from
    the end of the options"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64,
                         options=[IPOption_RR(routers=["0.0.0.0"] * 2)]) /
                      UDP(sport=40000, dport=7777) / Raw(payload(16)))
    assert Ether(bytes(inp))[IP].ihl == 8
    # what changed: the 12 bytes of options are gone
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63, nh=17) /
                  UDP(sport=40000, dport=7777) / Raw(payload(16)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


def _csum_delta(csum, s4, d4, s6, d6):
    """RFC 1624 update of 'csum' for the pseudo-header address change."""
    import socket
    import struct

    def words(b):
        return sum(struct.unpack("!%dH" % (len(b) // 2), b))
    old = words(socket.inet_aton(s4) + socket.inet_aton(d4))
    new = words(socket.inet_pton(socket.AF_INET6, s6) +
                socket.inet_pton(socket.AF_INET6, d6))

    # HC' = ~(~HC + ~m + m'), folded sums
    def fold(x):
        while x >> 16:
            x = (x & 0xffff) + (x >> 16)
        return x
    s = (~csum & 0xffff) + (~fold(old) & 0xffff) + fold(new)
    return ~fold(s) & 0xffff


@case
def clat46_lsrr():
    """a loose source route option is not translated (RFC 7915 section
    4.1: 'the packet MUST NOT be translated') and "source route failed"
    goes back (type 3 code 5, SHOULD), about the packet as it arrived"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64,
                         options=[IPOption_LSRR(routers=[remote4b])]) /
                      UDP(sport=40000, dport=7777) / Raw(payload(16)))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 3, 5, lan4_ip4, lan4_mac)]},
                drops={"xlat_ip4_options": 1},
                counters={"xlat46": 0, "icmp_error": 1})


@case
def clat46_ssrr():
    """a strict source route option is not translated either"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64,
                         options=[IPOption_SSRR(routers=[remote4b])]) /
                      TCP(sport=1, dport=2))
    return Case(inp={LAN4: [inp]},
                out={LAN4: [icmp4_error(inp, 3, 5, lan4_ip4, lan4_mac)]},
                drops={"xlat_ip4_options": 1})


@case
def clat46_first_fragment():
    """first fragment (MF set, offset 0): a fragment header carries the
    IPv4 identification (low 16 bits), offset 0 and M (RFC 7915 4.1); the
    UDP checksum covers the whole datagram and is adjusted by difference"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64, flags="MF",
                         id=0x99) /
                      UDP(sport=40000, dport=7777, len=1008, chksum=0x1234) /
                      Raw(payload(40)))
    udp = bytes(inp[UDP])
    # the checksum by the pseudo-header difference, computed here
    exp_udp = UDP(udp)
    exp_udp.chksum = _csum_delta(0x1234, client4, remote4, c6(client4),
                                 p6(remote4))
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63) /
                  IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x99) /
                  Raw(bytes(exp_udp)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_later_fragment():
    """non-first fragment (offset 185, last): fragment header with offset
    185, M clear, same identification; the payload is untouched"""
    inp = from_client(IP(src=client4, dst=remote4, ttl=64, frag=185,
                         id=0x99, proto=17) / Raw(payload(40)))
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63) /
                  IPv6ExtHdrFragment(nh=17, offset=185, m=0, id=0x99) /
                  Raw(payload(40)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_icmp_unreach():
    """an ICMP port unreachable from a client about a packet that came from
    the mesh is translated with its inner packet (RFC 7915 4.2, 4.3): type
    1 code 4, inner IPv4 -> IPv6 with the addresses mapped back"""
    quoted = IP(src=remote4, dst=client4, ttl=50) / UDP(sport=7777,
                                                        dport=40000)
    inp = from_client(IP(src=client4, dst=remote4, ttl=64) /
                      ICMP(type=3, code=3) / Raw(bytes(quoted)))
    inner6 = (IPv6(src=p6(remote4), dst=c6(client4), hlim=50, plen=8) /
              UDP(sport=7777, dport=40000, len=8))
    exp = to_mesh(IPv6(src=c6(client4), dst=p6(remote4), hlim=63) /
                  ICMPv6DestUnreach(code=4) / Raw(bytes(inner6)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def clat46_burst_order():
    """a burst of mixed packets leaves in order"""
    ins, outs = [], []
    for i in range(6):
        if i % 3 == 0:
            l4_4 = UDP(sport=40000 + i, dport=7777) / Raw(payload(10 + i, i))
            l4_6 = UDP(sport=40000 + i, dport=7777) / Raw(payload(10 + i, i))
            nh = 17
        elif i % 3 == 1:
            l4_4 = TCP(sport=50000 + i, dport=22, flags="A", seq=i)
            l4_6 = TCP(sport=50000 + i, dport=22, flags="A", seq=i)
            nh = 6
        else:
            l4_4 = ICMP(type=8, id=i, seq=i) / Raw(payload(i, i))
            l4_6 = ICMPv6EchoRequest(id=i, seq=i, data=payload(i, i))
            nh = 58
        ins.append(from_client(IP(src=client4, dst=remote4, ttl=64 - i) /
                               l4_4))
        # what changed: as in the single cases, hop limit = TTL - 1
        outs.append(to_mesh(IPv6(src=c6(client4), dst=p6(remote4),
                                 hlim=63 - i, nh=nh) / l4_6))
    return Case(inp={LAN4: ins}, out={MESH: outs},
                counters={"xlat46": 6})
