# SPDX-License-Identifier: BSD-3-Clause
"""
Malformed input: every broken frame is a counted drop with its reason, never
a crash and never output; Ethernet padding after a short IPv4 packet is
accepted and stripped.
"""

import struct

from mxpcap import *  # noqa: F401,F403


def inet_csum(b):
    """RFC 1071."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth4(l3_bytes, eth_type=0x0800, src=client4_mac, dst=lan4_mac):
    return Ether(src=src, dst=dst, type=eth_type) / Raw(l3_bytes)


def good_ip4(n=12):
    return bytes(IP(src=client4, dst=remote4, ttl=64, id=0x5555) /
                 UDP(sport=40000, dport=7777) / Raw(payload(n)))


def patch_ip4(b, ver_ihl=None, tot_len=None, csum="fix", csum_len=20):
    """Rewrite header fields of the IPv4 bytes 'b'; the header checksum is
    recomputed over 'csum_len' bytes ("fix") or set to the given value."""
    b = bytearray(b)
    if ver_ihl is not None:
        b[0] = ver_ihl
    if tot_len is not None:
        b[2:4] = struct.pack("!H", tot_len)
    if csum == "fix":
        b[10:12] = b"\0\0"
        b[10:12] = struct.pack("!H", inet_csum(bytes(b[:csum_len])))
    else:
        b[10:12] = struct.pack("!H", csum)
    return bytes(b)


def good_ip6(n=12):
    return bytes(IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
                 UDP(sport=7777, dport=40000) / Raw(payload(n)))


def from_mesh(l3_bytes):
    return Ether(src=gw6_mac, dst=mesh_mac, type=0x86dd) / Raw(l3_bytes)


@case
def bad_eth_trunc():
    """a 10-byte frame is shorter than an Ethernet header"""
    return Case(inp={LAN4: [bytes(Ether(src=client4_mac, dst=lan4_mac))[:10]]},
                out={}, drops={"eth_trunc": 1})


@case
def bad_eth_vlan():
    """802.1Q tagged frames are not handled"""
    inp = (Ether(src=client4_mac, dst=lan4_mac) / Dot1Q(vlan=5) /
           IP(src=client4, dst=remote4) / UDP(sport=1, dport=2))
    return Case(inp={LAN4: [inp]}, out={}, drops={"eth_type": 1})


@case
def bad_eth_type():
    """an unknown ethertype (0x88b5, local experimental)"""
    inp = eth4(payload(46), eth_type=0x88b5)
    return Case(inp={LAN4: [inp]}, out={}, drops={"eth_type": 1})


@case
def bad_eth_not_us():
    """a unicast frame for another MAC, though the IPv4 inside is fine"""
    inp = eth4(good_ip4(), dst="02:00:00:00:00:77")
    return Case(inp={LAN4: [inp]}, out={}, drops={"eth_not_us": 1},
                counters={"xlat46": 0})


@case
def bad_ip4_trunc():
    """an IPv4 ethertype with only 12 bytes of packet"""
    return Case(inp={LAN4: [eth4(good_ip4()[:12])]}, out={},
                drops={"ip4_trunc": 1})


@case
def bad_ip4_version():
    """an IPv6 packet behind the IPv4 ethertype"""
    return Case(inp={LAN4: [eth4(good_ip6())]}, out={},
                drops={"ip4_version": 1})


@case
def bad_ip6_version():
    """an IPv4 packet (48 bytes) behind the IPv6 ethertype"""
    return Case(inp={MESH: [from_mesh(good_ip4(20))]}, out={},
                drops={"ip6_version": 1})


@case
def bad_ip4_ihl_small():
    """IHL 4 (16 bytes) is below the minimum header"""
    b = patch_ip4(good_ip4(), ver_ihl=0x44)
    return Case(inp={LAN4: [eth4(b)]}, out={}, drops={"ip4_ihl": 1})


@case
def bad_ip4_ihl_beyond():
    """IHL 15 (60 bytes) in a 40-byte packet"""
    b = patch_ip4(good_ip4(), ver_ihl=0x4f)
    assert len(b) == 40
    return Case(inp={LAN4: [eth4(b)]}, out={}, drops={"ip4_ihl": 1})


@case
def bad_ip4_len_small():
    """total length 10, below the header length"""
    b = patch_ip4(good_ip4(), tot_len=10)
    return Case(inp={LAN4: [eth4(b)]}, out={}, drops={"ip4_len": 1})


@case
def bad_ip4_len_big():
    """total length 200 in a frame carrying 40 bytes"""
    b = patch_ip4(good_ip4(), tot_len=200)
    return Case(inp={LAN4: [eth4(b)]}, out={}, drops={"ip4_len": 1})


@case
def bad_ip4_csum():
    """a wrong IPv4 header checksum"""
    good = patch_ip4(good_ip4())
    bad = patch_ip4(good, csum=struct.unpack("!H", good[10:12])[0] ^ 0x0f0f)
    return Case(inp={LAN4: [eth4(bad)]}, out={}, drops={"ip4_csum": 1},
                counters={"xlat46": 0})


@case
def bad_ip4_csum_to_box():
    """a wrong header checksum on an echo to the box: no reply"""
    b = bytearray(bytes(IP(src=client4, dst=lan4_ip4, ttl=64) /
                        ICMP(type=8, id=1, seq=1) / Raw(payload(8))))
    b[10] ^= 0xff
    return Case(inp={LAN4: [eth4(bytes(b))]}, out={}, drops={"ip4_csum": 1},
                counters={"echo_reply": 0})


@case
def bad_ip6_trunc():
    """an IPv6 ethertype with 30 bytes of packet"""
    return Case(inp={MESH: [from_mesh(good_ip6()[:30])]}, out={},
                drops={"ip6_trunc": 1})


@case
def bad_ip6_len():
    """payload length 500 in a frame carrying 20 bytes of payload"""
    b = bytearray(good_ip6())
    b[4:6] = struct.pack("!H", 500)
    return Case(inp={MESH: [from_mesh(bytes(b))]}, out={},
                drops={"ip6_len": 1}, counters={"xlat64": 0})


@case
def bad_ip6_exthdr():
    """a hop-by-hop header cut after 4 of its 8 bytes (payload length 4)"""
    b = bytes(IPv6(src=p6(remote4), dst=c6(client4), hlim=64, nh=0,
                   plen=4)) + b"\x11\x00\x01\x02"
    return Case(inp={MESH: [from_mesh(b)]}, out={},
                drops={"ip6_exthdr": 1}, counters={"xlat64": 0})


@case
def bad_l4_trunc_udp46():
    """4->6 UDP with only 4 bytes of UDP header"""
    b = patch_ip4(good_ip4()[:24], tot_len=24)
    return Case(inp={LAN4: [eth4(b)]}, out={}, drops={"l4_trunc": 1},
                counters={"xlat46": 0})


@case
def bad_l4_trunc_tcp64():
    """6->4 TCP with only 10 bytes of TCP header"""
    b = bytes(IPv6(src=p6(remote4), dst=c6(client4), hlim=64, nh=6,
                   plen=10)) + bytes(TCP(sport=443, dport=50000))[:10]
    return Case(inp={MESH: [from_mesh(b)]}, out={}, drops={"l4_trunc": 1},
                counters={"xlat64": 0})


@case
def pad_clat46_udp():
    """a 2-byte UDP datagram in a frame padded to 60 bytes: translated,
    and the IPv6 frame carries no padding"""
    inp = (Ether(src=client4_mac, dst=lan4_mac) /
           IP(src=client4, dst=remote4, ttl=64) /
           UDP(sport=40000, dport=7777) / Raw(b"hi"))
    inp = inp / Padding(b"\0" * (60 - len(inp)))
    assert len(inp) == 60
    # what changed: as clat46_udp; the 16 bytes of padding are gone
    exp = (Ether(src=mesh_mac, dst=gw6_mac) /
           IPv6(src=c6(client4), dst=p6(remote4), hlim=63, nh=17) /
           UDP(sport=40000, dport=7777) / Raw(b"hi"))
    assert len(exp) == 64
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1})


@case
def pad_ping4():
    """an echo request without data padded to 60 bytes: the 42-byte reply
    carries no padding"""
    inp = (Ether(src=client4_mac, dst=lan4_mac) /
           IP(src=client4, dst=lan4_ip4, ttl=64, id=7) /
           ICMP(type=8, id=0x10, seq=1))
    inp = inp / Padding(b"\xaa" * (60 - len(inp)))
    exp = Exp(Ether(src=lan4_mac, dst=client4_mac) /
              IP(src=lan4_ip4, dst=client4, ttl=64, id=0) /
              ICMP(type=0, id=0x10, seq=1), free_ip4_id=True)
    assert len(exp.pkt) == 42
    return Case(inp={LAN4: [inp]}, out={LAN4: [exp]},
                counters={"echo_reply": 1})


@case
def bad_mixed_burst():
    """broken packets between good ones: the good ones still go through,
    in order, and each broken one is counted once"""
    def udp(i):
        return (Ether(src=client4_mac, dst=lan4_mac) /
                IP(src=client4, dst=remote4, ttl=64) /
                UDP(sport=40000 + i, dport=7777) / Raw(payload(10, i)))

    def xl(i):
        return (Ether(src=mesh_mac, dst=gw6_mac) /
                IPv6(src=c6(client4), dst=p6(remote4), hlim=63) /
                UDP(sport=40000 + i, dport=7777) / Raw(payload(10, i)))
    bad_csum = patch_ip4(bytes(udp(1)[IP]), csum=0x1234)
    ins = [udp(0), eth4(bad_csum), udp(2), eth4(good_ip4()[:12]), udp(4),
           bytes(Ether(src=client4_mac, dst=lan4_mac))[:6]]
    return Case(inp={LAN4: ins}, out={MESH: [xl(0), xl(2), xl(4)]},
                drops={"ip4_csum": 1, "ip4_trunc": 1, "eth_trunc": 1},
                counters={"xlat46": 3})
