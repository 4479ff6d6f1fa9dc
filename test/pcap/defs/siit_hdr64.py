# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, IPv6 -> IPv4 header translation (RFC 7915 sections 5, 5.1,
5.4, 5.5; addresses per RFC 7757 EAMT then RFC 6052 pool6).

Expected IPv4 header from the RFC: version 4, IHL 5, TOS = traffic class
(or override_tos), total length = 20 + what follows the skipped extension
headers, identification free ("Fragment Identification generator": built
as 0 and masked), DF set iff the IPv4 packet is larger than 1260 bytes, MF
0, offset 0, TTL = hop limit - 1, protocol = first next header that is not
hop-by-hop/destination options/routing (58 -> 1). Input: from gw6s on
mesh; output: to gw4 on lan4 (route 0.0.0.0/0).
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()


def v6(src=a6, dst=None, hlim=64, **kw):
    return IPv6(src=src, dst=dst or x46(h4), hlim=hlim, **kw)


def v4(src=a6, dst=None, ttl=63, **kw):
    kw.setdefault("id", 0)
    kw.setdefault("flags", 0)
    return IP(src=x64(src), dst=x64(dst or x46(h4)), ttl=ttl, **kw)


def ok(inp, exp, config=CFG):
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config,
                counters={"xlat64": 1})


def rejected(inp, typ, code, reason, rest=b"\0\0\0\0", config=CFG):
    return Case(inp={MESH: [inp]}, out={MESH: [box6_error(inp, typ, code,
                                                          rest)]},
                config=config, drops={reason: 1},
                counters={"xlat64": 0, "icmp_error": 1})


@case
def siit64_udp():
    """UDP from an EAM source to a pool6 destination"""
    inp = from_gw6(v6() / UDP(sport=53, dport=40000) / Raw(payload(33)))
    # what changed: IPv4 header 198.51.100.5 -> 203.0.113.50, TTL 63,
    # UDP checksum over the IPv4 pseudo header
    exp = to_gw4(v4(proto=17) / UDP(sport=53, dport=40000) /
                 Raw(payload(33)))
    return ok(inp, exp)


@case
def siit64_tcp():
    """TCP SYN-ACK with options"""
    opts = [("MSS", 1440), ("NOP", None), ("WScale", 9)]
    inp = from_gw6(v6(hlim=57) / TCP(sport=443, dport=5000, seq=1, ack=2,
                                     flags="SA", options=opts))
    exp = to_gw4(v4(ttl=56, proto=6) / TCP(sport=443, dport=5000, seq=1,
                                           ack=2, flags="SA", options=opts))
    return ok(inp, exp)


@case
def siit64_src_pool6():
    """a pool6 source (IPv4-translatable, RFC 6052) is translated"""
    inp = from_gw6(v6(src=n6p) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(src=n6p) / UDP(sport=5, dport=6)))


@case
def siit64_src_eam128():
    """a /128 EAM source maps to its /32"""
    inp = from_gw6(v6(src=s7) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(src=s7) / UDP(sport=5, dport=6)))


@case
def siit64_dst_eam():
    """a destination inside an EAM IPv6 prefix is translated (RFC 7757)"""
    inp = from_gw6(v6(src=n6p, dst=s7) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(IP(src="10.1.2.3", dst="203.0.113.7", ttl=63,
                             id=0, flags=0) / UDP(sport=5, dport=6)))


@case
def siit64_echo_request():
    """ICMPv6 echo request -> ICMPv4 echo request (5.2: 128 -> 8)"""
    inp = from_gw6(v6() / ICMPv6EchoRequest(id=0x55, seq=1,
                                            data=payload(56)))
    exp = to_gw4(v4(proto=1) / ICMP(type=8, id=0x55, seq=1) /
                 Raw(payload(56)))
    return ok(inp, exp)


@case
def siit64_echo_reply():
    """ICMPv6 echo reply -> ICMPv4 echo reply (129 -> 0)"""
    inp = from_gw6(v6() / ICMPv6EchoReply(id=0xbeef, seq=2, data=payload(5)))
    exp = to_gw4(v4(proto=1) / ICMP(type=0, id=0xbeef, seq=2) /
                 Raw(payload(5)))
    return ok(inp, exp)


@case
def siit64_tc():
    """traffic class -> TOS, all 8 bits (5.1); the flow label is lost"""
    inp = from_gw6(v6(tc=0xb9, fl=0xabcde) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(tos=0xb9) / UDP(sport=5, dport=6)))


@case
def siit64_override_tos():
    """override_tos: the traffic class is ignored, TOS = the configured
    value (5.1 SHOULD)"""
    inp = from_gw6(v6(tc=0xb8) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(tos=0x20) / UDP(sport=5, dport=6)),
              config=siit_config(override_tos=0x20))


@case
def siit64_override_tos_zero():
    """override_tos 0 is a value, not 'off'"""
    inp = from_gw6(v6(tc=0xb8) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(tos=0) / UDP(sport=5, dport=6)),
              config=siit_config(override_tos=0))


@case
def siit64_zeroize_no_effect():
    """zeroize_traffic_class concerns IPv4 -> IPv6 only"""
    inp = from_gw6(v6(tc=0x48) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(tos=0x48) / UDP(sport=5, dport=6)),
              config=siit_config(zeroize_traffic_class=True))


@case
def siit64_hlim2():
    """hop limit 2 leaves as TTL 1"""
    inp = from_gw6(v6(hlim=2) / UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4(ttl=1) / UDP(sport=5, dport=6)))


@case
def siit64_hlim1():
    """hop limit 1: ICMPv6 time exceeded (3/0) from the mesh address
    (5.1 TTL: MUST check for zero)"""
    inp = from_gw6(v6(hlim=1) / UDP(sport=5, dport=6) / Raw(payload(9)))
    return rejected(inp, 3, 0, "ttl_exceeded")


@case
def siit64_hlim0():
    """hop limit 0 is expired too"""
    inp = from_gw6(v6(hlim=0) / TCP(sport=5, dport=6))
    return rejected(inp, 3, 0, "ttl_exceeded")


@case
def siit64_hlim1_icmp_error():
    """an ICMPv6 error with hop limit 1 expires silently (RFC 4443 2.4 e)"""
    q = bytes(IPv6(src=x46(h4), dst=a6, hlim=3) / UDP(sport=1, dport=2))
    inp = from_gw6(v6(src=r6t, hlim=1) / icmp6_msg(1, 4, body=q))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 0})


def _sized(total4, **kw):
    data = payload(total4 - 28, 1)
    inp = from_gw6(v6() / UDP(sport=9, dport=9) / Raw(data))
    exp = to_gw4(v4(**kw) / UDP(sport=9, dport=9) / Raw(data))
    assert len(exp.pkt[IP]) == total4
    return ok(inp, exp)


@case
def siit64_df_1260():
    """an IPv4 result of 1260 bytes has DF clear (5: MUST)"""
    return _sized(1260)


@case
def siit64_df_1261():
    """an IPv4 result of 1261 bytes has DF set (5: MUST)"""
    return _sized(1261, flags="DF")


@case
def siit64_df_1500():
    """a full-size 1500-byte result has DF set"""
    return _sized(1500, flags="DF")


@case
def siit64_df_small():
    """a tiny packet has DF clear"""
    return _sized(28)


@case
def siit64_hopbyhop():
    """a hop-by-hop header is ignored, total length and protocol skip it"""
    inp = from_gw6(v6() / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)])
                   / UDP(sport=5, dport=6) / Raw(payload(12)))
    return ok(inp, to_gw4(v4(proto=17) / UDP(sport=5, dport=6) /
                          Raw(payload(12))))


@case
def siit64_dstopt():
    """a destination options header is skipped"""
    inp = from_gw6(v6() / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)])
                   / TCP(sport=5, dport=6, flags="A"))
    return ok(inp, to_gw4(v4(proto=6) / TCP(sport=5, dport=6, flags="A")))


@case
def siit64_routing_seg0():
    """a routing header with segments left 0 is skipped"""
    inp = from_gw6(v6() / IPv6ExtHdrRouting(type=0, segleft=0,
                                            addresses=[r6]) /
                   UDP(sport=5, dport=6))
    return ok(inp, to_gw4(v4() / UDP(sport=5, dport=6)))


@case
def siit64_three_exthdrs():
    """hop-by-hop + dstopts + routing(0) before ICMPv6: all skipped; the
    ICMPv6 checksum loses the pseudo header"""
    inp = from_gw6(v6() / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
                   IPv6ExtHdrRouting(type=0, segleft=0) /
                   ICMPv6EchoRequest(id=1, seq=2, data=payload(10)))
    return ok(inp, to_gw4(v4(proto=1) / ICMP(type=8, id=1, seq=2) /
                          Raw(payload(10))))


@case
def siit64_routing_segleft():
    """routing header with segments left 1: not translated, ICMPv6 4/0
    pointing at Segments Left (offset 43) SHOULD be returned (5.1)"""
    inp = from_gw6(v6() / IPv6ExtHdrRouting(type=0, segleft=1,
                                            addresses=[r6]) /
                   UDP(sport=5, dport=6) / Raw(payload(8)))
    return rejected(inp, 4, 0, "xlat_segments_left", rest=u32(43))


@case
def siit64_routing_segleft_after_hbh():
    """segments left behind an 8-byte hop-by-hop header: pointer 51"""
    inp = from_gw6(v6() / IPv6ExtHdrHopByHop() /
                   IPv6ExtHdrRouting(type=4, segleft=2,
                                     addresses=[r6, r6t]) /
                   TCP(sport=5, dport=6))
    return rejected(inp, 4, 0, "xlat_segments_left", rest=u32(51))


@case
def siit64_routing_segleft_icmp():
    """segments left on an ICMPv6 echo: still an ICMPv6 4/0 (it is not an
    ICMPv6 error)"""
    inp = from_gw6(v6() / IPv6ExtHdrRouting(type=0, segleft=1,
                                            addresses=[r6]) /
                   ICMPv6EchoRequest(id=3, seq=4))
    return rejected(inp, 4, 0, "xlat_segments_left", rest=u32(43))


@case
def siit64_no_next_header():
    """next header 59 (no next header): protocol 59, empty payload"""
    inp = from_gw6(v6(nh=59))
    return ok(inp, to_gw4(v4(proto=59)))


@case
def siit64_no_next_header_after_dstopt():
    """dstopts then no next header: the ext header is skipped"""
    inp = from_gw6(v6() / IPv6ExtHdrDestOpt(nh=59))
    return ok(inp, to_gw4(v4(proto=59)))


@case
def siit64_proto_gre():
    """an unknown transport (GRE) is forwarded unchanged (5.5 MUST)"""
    inp = from_gw6(v6(nh=47) / Raw(payload(30, 2)))
    return ok(inp, to_gw4(v4(proto=47) / Raw(payload(30, 2))))


@case
def siit64_proto_253():
    """protocol 253 after a hop-by-hop header"""
    inp = from_gw6(v6() / IPv6ExtHdrHopByHop(nh=253) / Raw(payload(17)))
    return ok(inp, to_gw4(v4(proto=253) / Raw(payload(17))))


@case
def siit64_src_untranslatable():
    """a source with no IPv4 form (not in pool6 nor the EAMT): discarded,
    ICMPv6 1/1 SHOULD be sent (5.4)"""
    inp = from_gw6(v6(src=r6) / UDP(sport=5, dport=6) / Raw(payload(4)))
    return rejected(inp, 1, 1, "xlat_src")


@case
def siit64_src_untranslatable_icmp():
    """the same for an ICMPv6 echo: no ICMPv6 error about an ICMPv6
    message (5.4), silent drop"""
    inp = from_gw6(v6(src=r6) / ICMPv6EchoRequest(id=1, seq=1))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"xlat_src": 1}, counters={"icmp_error": 0})


@case
def siit64_src_loopback():
    """source ::1 is illegal: silently dropped (5.1 SHOULD)"""
    inp = from_gw6(v6(src="::1") / UDP(sport=5, dport=6))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"ip6_martian|xlat_src": 1}, counters={"icmp_error": 0})


@case
def siit64_src_pool6_loopback():
    """a pool6 source embedding 127.0.0.1 is illegal as IPv4: silently
    dropped (5.1, RFC 1812 5.3.7)"""
    inp = from_gw6(v6(src=embed96(siit_pool6, "127.0.0.1")) /
                   UDP(sport=5, dport=6))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"xlat_src|ip4_martian": 1}, counters={"icmp_error": 0})


@case
def siit64_udp_csum0():
    """UDP with a zero checksum over IPv6 is invalid (RFC 8200 8.1):
    dropped, whatever amend_udp_checksum_zero says"""
    inp = from_gw6(v6() / UDP(sport=5, dport=6, chksum=0) / Raw(payload(9)))
    return Case(inp={MESH: [inp]}, out={}, config=siit_config(
        amend_udp_checksum_zero=True), drops={"xlat_udp_csum0": 1},
        counters={"xlat64": 0})


@case
def siit64_to_box():
    """an echo request for the mesh address is answered, not translated"""
    inp = from_gw6(IPv6(src=a6, dst=siit_ip6, hlim=64) /
                   ICMPv6EchoRequest(id=5, seq=1, data=payload(8)))
    exp = Exp(Ether(src=mesh_mac, dst=gw6s_mac) /
              IPv6(src=siit_ip6, dst=a6, hlim=64) /
              ICMPv6EchoReply(id=5, seq=1, data=payload(8)))
    return Case(inp={MESH: [inp]}, out={MESH: [exp]}, config=CFG,
                counters={"xlat64": 0, "echo_reply": 1})


@case
def siit64_jumbo():
    """an 8000-byte IPv4 result with 9000-byte MTUs: DF set, not cut"""
    data = payload(8000 - 28, 6)
    inp = from_gw6(v6() / UDP(sport=5, dport=6) / Raw(data))
    return ok(inp, to_gw4(v4(flags="DF") / UDP(sport=5, dport=6) / Raw(data)),
              config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


@case
def siit64_burst_order():
    """a burst of mixed packets leaves in order (5: SHOULD keep order)"""
    ins, outs = [], []
    for i in range(5):
        if i % 2 == 0:
            l6 = UDP(sport=7, dport=4000 + i) / Raw(payload(i + 1, i))
            l4 = UDP(sport=7, dport=4000 + i) / Raw(payload(i + 1, i))
        else:
            l6 = ICMPv6EchoReply(id=i, seq=i, data=payload(i, i))
            l4 = ICMP(type=0, id=i, seq=i) / Raw(payload(i, i))
        ins.append(from_gw6(v6(tc=i) / l6))
        outs.append(to_gw4(v4(tos=i) / l4))
    return Case(inp={MESH: ins}, out={LAN4: outs}, config=CFG,
                counters={"xlat64": 5})
