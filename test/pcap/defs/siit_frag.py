# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT and fragments (RFC 7915 sections 4, 4.1, 4.5, 5.1, 5.1.1).

IPv4 -> IPv6: a fragment (MF or offset != 0) gets a Fragment Header: next
header = protocol, offset and M copied, identification = the IPv4 one in
the low 16 bits (high bits 0), payload length + 8. A DF=0 packet whose
IPv6 form exceeds lowest_ipv6_mtu (1280) is fragmented so that every piece
fits; chosen split: greedy, every piece but the last as large as allowed
(a multiple of 8). The transport checksum of a first fragment is that of
the whole datagram (built whole with Scapy, then cut).

IPv6 -> IPv4: identification = low 16 bits of the Fragment Header's, MF =
M, DF = 0, offset copied, protocol = the Fragment Header's next header.
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()
A4 = x64(a6)
H6 = x46(h4)


def v4f(**kw):
    kw.setdefault("ttl", 64)
    return IP(src=h4, dst=A4, **kw)


def v6f(nh, offset, m, ident, data, hlim=63):
    return (IPv6(src=H6, dst=a6, hlim=hlim, nh=44) /
            IPv6ExtHdrFragment(nh=nh, offset=offset, m=m, id=ident) /
            Raw(data))


def ok46(inp, exps, config=CFG):
    return Case(inp={LAN4: [inp]}, out={MESH: [to_gw6(e) for e in exps]},
                config=config)


def udp_full(n, seed=1, sport=5, dport=6):
    """(transport bytes over IPv4, over IPv6) of one whole UDP datagram"""
    l4 = UDP(sport=sport, dport=dport) / Raw(payload(n, seed))
    return l4_over4(h4, A4, l4), l4_over6(H6, a6, l4)


# --- IPv4 fragments -> IPv6 fragments ---------------------------------------
@case
def siit_frag46_first():
    """first fragment (MF, offset 0): Fragment Header, M=1, id copied;
    UDP checksum of the whole datagram over the IPv6 pseudo header"""
    u4, u6 = udp_full(1000)
    inp = from_gw4(v4f(id=0xbeef, flags="MF", proto=17) / Raw(u4[:200]))
    return ok46(inp, [v6f(17, 0, 1, 0xbeef, u6[:200])])


@case
def siit_frag46_middle():
    """middle fragment (MF, offset 25): offset and M copied"""
    u4, u6 = udp_full(1000)
    inp = from_gw4(v4f(id=0xbeef, flags="MF", frag=25, proto=17) /
                   Raw(u4[200:400]))
    return ok46(inp, [v6f(17, 25, 1, 0xbeef, u4[200:400])])


@case
def siit_frag46_last():
    """last fragment (offset 125, no MF): M=0"""
    u4, u6 = udp_full(1000)
    inp = from_gw4(v4f(id=0xbeef, frag=125, proto=17) / Raw(u4[1000:]))
    return ok46(inp, [v6f(17, 125, 0, 0xbeef, u4[1000:])])


@case
def siit_frag46_tcp_first():
    """TCP first fragment: checksum adjusted by the pseudo header only"""
    l4 = TCP(sport=80, dport=9, flags="PA") / Raw(payload(600, 2))
    t4, t6 = l4_over4(h4, A4, l4), l4_over6(H6, a6, l4)
    inp = from_gw4(v4f(id=0x0102, flags="MF", proto=6) / Raw(t4[:304]))
    return ok46(inp, [v6f(6, 0, 1, 0x0102, t6[:304])])


@case
def siit_frag46_df_mf():
    """a fragment with DF and MF set, small: translated as a fragment"""
    u4, u6 = udp_full(500)
    inp = from_gw4(v4f(id=0x4d2, flags="DF+MF", proto=17) / Raw(u4[:104]))
    return ok46(inp, [v6f(17, 0, 1, 0x4d2, u6[:104])])


@case
def siit_frag46_proto_unknown():
    """a later fragment of an unknown protocol: next header copied"""
    inp = from_gw4(v4f(id=9, frag=3, proto=47) / Raw(payload(16)))
    return ok46(inp, [v6f(47, 3, 0, 9, payload(16))])


@case
def siit_frag46_icmp_first():
    """a fragmented ICMPv4 echo is not translated (1.2): dropped, ICMPv4
    3/13 back (4.4: not an ICMPv4 error)"""
    msg = icmp4_raw(8, 0, b"\0\1\0\1", payload(300))
    inp = from_gw4(v4f(id=7, flags="MF", proto=1) / Raw(msg[:104]))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 13)]},
                config=CFG, drops={"xlat_fragment": 1})


@case
def siit_frag46_icmp_later():
    """a later fragment of ICMPv4: dropped too, silently: no ICMP error
    about a fragment other than the first (RFC 1812 4.3.2.7)"""
    inp = from_gw4(v4f(id=7, frag=13, proto=1) / Raw(payload(96)))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"xlat_fragment": 1}, counters={"icmp_error": 0})


@case
def siit_frag46_udp_csum0():
    """first fragment of UDP with checksum 0: SHOULD be dropped (4.5), the
    ICMPv4 3/13 of 4.4 sent"""
    inp = from_gw4(v4f(id=8, flags="MF", proto=17) /
                   UDP(sport=5, dport=6, len=1008, chksum=0) /
                   Raw(payload(96)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 13)]},
                config=CFG, drops={"xlat_udp_csum0": 1})


@case
def siit_frag46_udp_csum0_amend():
    """the same with amend_udp_checksum_zero: still dropped (the checksum
    cannot be computed from a fragment)"""
    inp = from_gw4(v4f(id=8, flags="MF", proto=17) /
                   UDP(sport=5, dport=6, len=1008, chksum=0) /
                   Raw(payload(96)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 13)]},
                config=siit_config(amend_udp_checksum_zero=True),
                drops={"xlat_udp_csum0": 1})


# --- DF=0 packets larger than lowest_ipv6_mtu ------------------------------------
def _split(total4, lowest=1280, ident=0x3039, config=CFG, first_off=0,
           mf=False, whole=True):
    """IPv4 UDP packet (DF=0) of 'total4' bytes and its IPv6 fragments"""
    n = total4 - 28
    u4, u6 = udp_full(n, seed=3)
    if whole:
        inp = from_gw4(v4f(id=ident, proto=17) / Raw(u4))
        body = u6
    else:
        inp = from_gw4(v4f(id=ident, flags="MF" if mf else 0, frag=first_off,
                           proto=17) / Raw(u4))
        body = u6 if first_off == 0 else u4
    per = (lowest - 48) // 8 * 8
    exps, off = [], 0
    while off < len(body):
        piece = body[off:off + per]
        last = off + per >= len(body)
        exps.append(v6f(17, first_off + off // 8, 0 if last and not mf else 1,
                        ident, piece))
        off += per
    for e in exps:
        assert len(e) <= lowest
    return ok46(inp, exps, config=config)


@case
def siit_frag46_df0_1400():
    """a 1400-byte DF=0 packet becomes two IPv6 fragments of at most 1280
    bytes (1232 + 148 bytes of payload), id = the IPv4 id (4.1 SHOULD)"""
    return _split(1400)


@case
def siit_frag46_df0_1261():
    """1261 bytes DF=0 (IPv6 form 1281): fragmented, 1232 + 9"""
    return _split(1261)


@case
def siit_frag46_df0_1260():
    """1260 bytes DF=0 (IPv6 form 1280 = lowest_ipv6_mtu): no Fragment
    Header (4 MUST NOT for non-fragmented packets)"""
    data = payload(1260 - 28)
    inp = from_gw4(v4f(id=1) / UDP(sport=5, dport=6) / Raw(data))
    return ok46(inp, [IPv6(src=H6, dst=a6, hlim=63) / UDP(sport=5, dport=6) /
                      Raw(data)])


@case
def siit_frag46_df0_1480():
    """1480 bytes DF=0: two fragments (1232 + 1228)"""
    return _split(1480)


@case
def siit_frag46_lowest_1500():
    """lowest_ipv6_mtu 1500: a 1400-byte DF=0 packet is not fragmented
    (4 MUST provide the setting)"""
    data = payload(1400 - 28)
    inp = from_gw4(v4f(id=1) / UDP(sport=5, dport=6) / Raw(data))
    return ok46(inp, [IPv6(src=H6, dst=a6, hlim=63) / UDP(sport=5, dport=6) /
                      Raw(data)], config=siit_config(lowest_ipv6_mtu=1500))


@case
def siit_frag46_lowest_1400():
    """lowest_ipv6_mtu 1400: a 1480-byte DF=0 packet -> 1352 + 108"""
    return _split(1480, lowest=1400,
                  config=siit_config(lowest_ipv6_mtu=1400))


@case
def siit_frag46_big_first_fragment():
    """a 1404-byte first fragment (DF=0): re-fragmented, both pieces M=1"""
    return _split(1404, whole=False, mf=True)


@case
def siit_frag46_big_last_fragment():
    """a 1328-byte last fragment at offset 100: pieces at 100 and 254, the
    last with M=0"""
    return _split(1328, whole=False, first_off=100, mf=False)


@case
def siit_frag46_df0_echo():
    """a 1400-byte DF=0 echo request: ICMPv6 checksum over the whole
    message, then fragmented"""
    e6 = bytes(IPv6(src=H6, dst=a6) /
               ICMPv6EchoRequest(id=1, seq=1, data=payload(1372)))[40:]
    inp = from_gw4(v4f(id=0x77) / ICMP(type=8, id=1, seq=1) /
                   Raw(payload(1372)))
    return ok46(inp, [v6f(58, 0, 1, 0x77, e6[:1232]),
                      v6f(58, 154, 0, 0x77, e6[1232:])])


# --- IPv6 fragments -> IPv4 fragments ---------------------------------------
def v6in(ext, data, hlim=64, src=a6):
    return from_gw6(IPv6(src=src, dst=H6, hlim=hlim) / ext / Raw(data))


def v4out(proto, ident, flags, frag, data, ttl=63):
    return to_gw4(IP(src=A4, dst=h4, ttl=ttl, id=ident, flags=flags,
                     frag=frag, proto=proto) / Raw(data), free_id=False)


def ok64(inp, exp, config=CFG):
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config)


def udp_full6(n, seed=2):
    l4 = UDP(sport=4444, dport=7) / Raw(payload(n, seed))
    return l4_over6(a6, H6, l4), l4_over4(A4, h4, l4)


@case
def siit_frag64_first():
    """first fragment: IPv4 id = low 16 bits, MF, DF 0 (5.1.1); UDP
    checksum adjusted for the IPv4 pseudo header"""
    u6, u4 = udp_full6(800)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x12345678),
               u6[:400])
    return ok64(inp, v4out(17, 0x5678, "MF", 0, u4[:400]))


@case
def siit_frag64_middle():
    """middle fragment: offset copied, MF"""
    u6, u4 = udp_full6(800)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=50, m=1, id=0x12345678),
               u6[400:600])
    return ok64(inp, v4out(17, 0x5678, "MF", 50, u6[400:600]))


@case
def siit_frag64_last():
    """last fragment: MF clear"""
    u6, u4 = udp_full6(800)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=75, m=0, id=0xffff0001),
               u6[600:])
    return ok64(inp, v4out(17, 1, 0, 75, u6[600:]))


@case
def siit_frag64_tcp_first():
    """TCP first fragment"""
    l4 = TCP(sport=443, dport=9, flags="A") / Raw(payload(500, 5))
    t6, t4 = l4_over6(a6, H6, l4), l4_over4(A4, h4, l4)
    inp = v6in(IPv6ExtHdrFragment(nh=6, offset=0, m=1, id=0xa0b0c0d0),
               t6[:256])
    return ok64(inp, v4out(6, 0xc0d0, "MF", 0, t4[:256]))


@case
def siit_frag64_atomic():
    """an atomic fragment (offset 0, M 0): id copied, DF 0, MF 0"""
    u6, u4 = udp_full6(40)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=0, m=0, id=0x10203), u6)
    return ok64(inp, v4out(17, 0x203, 0, 0, u4))


@case
def siit_frag64_atomic_big():
    """a 1400-byte atomic fragment: DF stays 0 (5.1.1 clears DF)"""
    u6, u4 = udp_full6(1352)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=0, m=0, id=0x4444), u6)
    return ok64(inp, v4out(17, 0x4444, 0, 0, u4))


@case
def siit_frag64_hbh_before():
    """hop-by-hop before the Fragment Header: skipped"""
    u6, u4 = udp_full6(100)
    inp = v6in(IPv6ExtHdrHopByHop() /
               IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x99), u6[:64])
    return ok64(inp, v4out(17, 0x99, "MF", 0, u4[:64]))


@case
def siit_frag64_unknown_proto():
    """a later fragment of GRE: protocol 47 copied"""
    inp = v6in(IPv6ExtHdrFragment(nh=47, offset=9, m=1, id=0x55),
               payload(32))
    return ok64(inp, v4out(47, 0x55, "MF", 9, payload(32)))


def _after(nh):
    inp = v6in(IPv6ExtHdrFragment(nh=nh, offset=0, m=1, id=0x66),
               b"\x11\x00" + bytes(6) + payload(40))
    return Case(inp={MESH: [inp]}, out={MESH: [box6_error(inp, 1, 1)]},
                config=CFG, drops={"xlat_frag_exthdr": 1})


@case
def siit_frag64_hbh_after():
    """a hop-by-hop header after the Fragment Header: SHOULD be dropped
    (5.1); ICMPv6 1/1 back (5.4)"""
    return _after(0)


@case
def siit_frag64_dstopt_after():
    """destination options after the Fragment Header: dropped, 1/1"""
    return _after(60)


@case
def siit_frag64_routing_after():
    """a routing header after the Fragment Header: dropped, 1/1"""
    return _after(43)


@case
def siit_frag64_icmp():
    """a fragmented ICMPv6 echo is not translated (1.2); no error about an
    ICMPv6 message (5.4)"""
    e6 = bytes(IPv6(src=a6, dst=H6) /
               ICMPv6EchoRequest(id=1, seq=1, data=payload(300)))[40:]
    inp = v6in(IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=3), e6[:104])
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"xlat_fragment": 1}, counters={"icmp_error": 0})


@case
def siit_frag64_hlim1():
    """a fragment with hop limit 1: ICMPv6 time exceeded"""
    u6, u4 = udp_full6(100)
    inp = v6in(IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x99), u6[:64],
               hlim=1)
    return Case(inp={MESH: [inp]}, out={MESH: [box6_error(inp, 3, 0)]},
                config=CFG, drops={"ttl_exceeded": 1})
