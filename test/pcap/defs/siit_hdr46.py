# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, IPv4 -> IPv6 header translation (RFC 7915 sections 4, 4.1, 4.4,
4.5; addresses per RFC 7757 EAMT then RFC 6052 pool6).

Expected packets come from the RFC text: version 6, traffic class = TOS
(or 0 with zeroize_traffic_class), flow label 0, payload length = total
length - IHL*4, next header = protocol (1 -> 58), hop limit = TTL - 1,
options ignored, no Fragment Header for unfragmented packets that fit.
Transport checksums are computed by Scapy over the IPv6 pseudo header.
Input: from gw4 on lan4; output: to gw6s on mesh (route ::/0).
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()


def v4(dst="198.51.100.5", src=h4, **kw):
    kw.setdefault("ttl", 64)
    return IP(src=src, dst=dst, **kw)


def v6(dst="198.51.100.5", src=h4, hlim=63, **kw):
    return IPv6(src=x46(src), dst=x46(dst), hlim=hlim, fl=0, **kw)


def ok(inp, exp, config=CFG, n=1):
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=config,
                counters={"xlat46": n})


@case
def siit46_udp():
    """UDP to an EAM address: src via pool6, dst via EAMT (RFC 7757)"""
    inp = from_gw4(v4(id=0x1234) / UDP(sport=40000, dport=4444) /
                   Raw(payload(21)))
    # what changed: IPv6 header, src 64:ff9b::203.0.113.50,
    # dst 2001:db8:6::5, hop limit 63, UDP checksum over the IPv6 pseudo header
    exp = to_gw6(v6(nh=17) / UDP(sport=40000, dport=4444) / Raw(payload(21)))
    return ok(inp, exp)


@case
def siit46_udp_empty():
    """UDP with no payload"""
    inp = from_gw4(v4() / UDP(sport=1, dport=2))
    return ok(inp, to_gw6(v6(nh=17) / UDP(sport=1, dport=2)))


@case
def siit46_tcp_syn():
    """TCP SYN with options: options and sequence numbers untouched"""
    opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
            ("NOP", None), ("WScale", 7)]
    inp = from_gw4(v4(flags="DF") / TCP(sport=50000, dport=443, seq=9,
                                       flags="S", options=opts))
    # DF has no IPv6 counterpart and the packet fits: no Fragment Header
    exp = to_gw6(v6(nh=6) / TCP(sport=50000, dport=443, seq=9, flags="S",
                                options=opts))
    return ok(inp, exp)


@case
def siit46_tcp_data():
    """TCP data segment, odd length"""
    inp = from_gw4(v4(dst="198.51.100.200", ttl=20) /
                   TCP(sport=80, dport=51000, flags="PA", seq=5, ack=6) /
                   Raw(payload(333, 3)))
    exp = to_gw6(v6(dst="198.51.100.200", hlim=19, nh=6) /
                 TCP(sport=80, dport=51000, flags="PA", seq=5, ack=6) /
                 Raw(payload(333, 3)))
    return ok(inp, exp)


@case
def siit46_eam_host():
    """a /32 <-> /128 EAM maps one address (RFC 7757 section 3)"""
    inp = from_gw4(v4(dst="203.0.113.7") / UDP(sport=5, dport=6) /
                   Raw(payload(8)))
    exp = to_gw6(IPv6(src=x46(h4), dst=s7, hlim=63) / UDP(sport=5, dport=6) /
                 Raw(payload(8)))
    return ok(inp, exp)


@case
def siit46_eam_suffix():
    """the EAM suffix is copied: 198.51.100.255 -> 2001:db8:6::ff"""
    inp = from_gw4(v4(dst="198.51.100.255") / UDP(sport=5, dport=6))
    exp = to_gw6(IPv6(src=x46(h4), dst="2001:db8:6::ff", hlim=63) /
                 UDP(sport=5, dport=6))
    return ok(inp, exp)


@case
def siit46_src_eam():
    """an IPv4 source inside an EAM is translated by the EAMT too"""
    inp = from_gw4(v4(src="203.0.113.7", dst="198.51.100.9") /
                   UDP(sport=5, dport=6))
    exp = to_gw6(IPv6(src=s7, dst="2001:db8:6::9", hlim=63) /
                 UDP(sport=5, dport=6))
    return ok(inp, exp)


@case
def siit46_dst_pool6():
    """a destination outside the EAMT goes through pool6 (RFC 6052 /96)"""
    inp = from_gw4(v4(dst="10.1.2.3") / UDP(sport=5, dport=6))
    exp = to_gw6(IPv6(src=x46(h4), dst=n6p, hlim=63) / UDP(sport=5, dport=6))
    return ok(inp, exp)


@case
def siit46_echo_request():
    """ICMPv4 echo request -> ICMPv6 echo request (4.2: type 8 -> 128)"""
    inp = from_gw4(v4() / ICMP(type=8, id=0x77, seq=3) / Raw(payload(56)))
    # checksum now includes the IPv6 pseudo header
    exp = to_gw6(v6(nh=58) / ICMPv6EchoRequest(id=0x77, seq=3,
                                               data=payload(56)))
    return ok(inp, exp)


@case
def siit46_echo_reply():
    """ICMPv4 echo reply -> ICMPv6 echo reply (type 0 -> 129)"""
    inp = from_gw4(v4() / ICMP(type=0, id=1, seq=0xffff) / Raw(payload(7)))
    exp = to_gw6(v6(nh=58) / ICMPv6EchoReply(id=1, seq=0xffff,
                                             data=payload(7)))
    return ok(inp, exp)


@case
def siit46_tos():
    """TOS is copied to the traffic class by default (4.1)"""
    inp = from_gw4(v4(tos=0xb8) / UDP(sport=5, dport=6) / Raw(payload(4)))
    exp = to_gw6(v6(tc=0xb8) / UDP(sport=5, dport=6) / Raw(payload(4)))
    return ok(inp, exp)


@case
def siit46_tos_ecn():
    """all 8 bits are copied, ECN included"""
    inp = from_gw4(v4(tos=0x03) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6(tc=0x03) / UDP(sport=5, dport=6)))


@case
def siit46_zeroize_tc():
    """zeroize_traffic_class: TOS ignored, traffic class 0 (4.1 SHOULD)"""
    inp = from_gw4(v4(tos=0xb8) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6(tc=0) / UDP(sport=5, dport=6)),
              config=siit_config(zeroize_traffic_class=True))


@case
def siit46_override_tos_no_effect():
    """override_tos concerns IPv6 -> IPv4 only: TOS still copied 4 -> 6"""
    inp = from_gw4(v4(tos=0x28) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6(tc=0x28) / UDP(sport=5, dport=6)),
              config=siit_config(override_tos=0x10))


@case
def siit46_ttl2():
    """TTL 2 leaves as hop limit 1 (the box is a router, 4.1)"""
    inp = from_gw4(v4(ttl=2) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6(hlim=1) / UDP(sport=5, dport=6)))


@case
def siit46_ttl255():
    """TTL 255 -> hop limit 254"""
    inp = from_gw4(v4(ttl=255) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6(hlim=254) / UDP(sport=5, dport=6)))


@case
def siit46_ttl1():
    """TTL 1: not translated, ICMPv4 time exceeded (11/0) from the lan4
    address (4.1 Hop Limit: the translator MUST check for zero)"""
    inp = from_gw4(v4(ttl=1) / UDP(sport=5, dport=6) / Raw(payload(20)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 11, 0)]},
                config=CFG, drops={"ttl_exceeded": 1},
                counters={"icmp_error": 1, "xlat46": 0})


@case
def siit46_ttl0():
    """TTL 0 is treated as expired"""
    inp = from_gw4(v4(ttl=0) / TCP(sport=5, dport=6))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 11, 0)]},
                config=CFG, drops={"ttl_exceeded": 1})


@case
def siit46_ttl1_icmp_error():
    """an ICMPv4 error with TTL 1 expires silently (RFC 1812 4.3.2.7: no
    error about an error)"""
    q = bytes(IP(src="198.51.100.5", dst=h4, ttl=60) / UDP(sport=1, dport=2))
    inp = from_gw4(v4(src=r4, ttl=1, proto=1) / Raw(icmp4_raw(3, 3, body=q)))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"ttl_exceeded": 1}, counters={"icmp_error": 0})


@case
def siit46_options_rr():
    """a record route option is ignored (4.1 MUST); payload length counts
    from the end of the options"""
    inp = from_gw4(v4(options=[IPOption_RR(routers=["0.0.0.0"] * 2)]) /
                   UDP(sport=5, dport=6) / Raw(payload(16)))
    assert Ether(bytes(inp))[IP].ihl == 8
    return ok(inp, to_gw6(v6() / UDP(sport=5, dport=6) / Raw(payload(16))))


@case
def siit46_options_nop_eol():
    """NOP/EOL padding options are ignored"""
    inp = from_gw4(v4(options=[IPOption(b"\x01\x01\x01\x00")]) /
                   TCP(sport=5, dport=6, flags="A"))
    return ok(inp, to_gw6(v6() / TCP(sport=5, dport=6, flags="A")))


@case
def siit46_options_timestamp():
    """a timestamp option (type 68) is ignored"""
    ts = b"\x44\x0c\x05\x00" + bytes(8)
    inp = from_gw4(v4(options=[IPOption(ts)]) / UDP(sport=5, dport=6))
    return ok(inp, to_gw6(v6() / UDP(sport=5, dport=6)))


@case
def siit46_options_max():
    """40 bytes of options (IHL 15) are ignored"""
    inp = from_gw4(v4(options=[IPOption_RR(routers=["0.0.0.0"] * 9),
                               IPOption(b"\x00")]) /
                   UDP(sport=5, dport=6) / Raw(payload(3)))
    assert Ether(bytes(inp))[IP].ihl == 15
    return ok(inp, to_gw6(v6() / UDP(sport=5, dport=6) / Raw(payload(3))))


@case
def siit46_lsrr():
    """an unexpired loose source route: not translated, ICMPv4 3/5 (source
    route failed) SHOULD be returned (4.1)"""
    inp = from_gw4(v4(options=[IPOption_LSRR(routers=["203.0.113.1"])]) /
                   UDP(sport=5, dport=6) / Raw(payload(16)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 5)]},
                config=CFG, drops={"xlat_ip4_options": 1},
                counters={"xlat46": 0, "icmp_error": 1})


@case
def siit46_ssrr():
    """an unexpired strict source route: ICMPv4 3/5 too"""
    inp = from_gw4(v4(options=[IPOption_SSRR(routers=["203.0.113.1",
                                                      "203.0.113.2"])]) /
                   TCP(sport=5, dport=6))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 5)]},
                config=CFG, drops={"xlat_ip4_options": 1})


@case
def siit46_lsrr_expired():
    """an expired source route (pointer past the last address) is just an
    option: ignored, the packet is translated (4.1 says 'unexpired')"""
    # A raw transport: Scapy would sum a UDP checksum against the last
    # address of the route, which is not where an expired route points.
    inp = from_gw4(v4(proto=253, options=[IPOption_LSRR(pointer=8,
                                             routers=["203.0.113.1"])]) /
                   Raw(payload(12, 3)))
    assert bytes(Ether(bytes(inp))[IP])[20:23] == b"\x83\x07\x08"
    return ok(inp, to_gw6(v6(nh=253) / Raw(payload(12, 3))))


@case
def siit46_proto_gre():
    """an unknown transport (GRE, 47) is forwarded as is (4.5 MUST)"""
    inp = from_gw4(v4(proto=47) / Raw(payload(30, 1)))
    return ok(inp, to_gw6(v6(nh=47) / Raw(payload(30, 1))))


@case
def siit46_proto_253():
    """experimental protocol 253, empty payload: next header 253"""
    inp = from_gw4(v4(proto=253))
    return ok(inp, to_gw6(v6(nh=253)))


@case
def siit46_proto_dccp():
    """DCCP (33) untouched when not supported (4.5: OPTIONAL, forwarded)"""
    inp = from_gw4(v4(proto=33) / Raw(payload(24, 2)))
    return ok(inp, to_gw6(v6(nh=33) / Raw(payload(24, 2))))


@case
def siit46_igmp():
    """IGMP is single hop: silently dropped (4.2)"""
    inp = from_gw4(v4(proto=2) / Raw(bytes.fromhex("1164ee9b00000000")))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"xlat_proto": 1}, counters={"icmp_error": 0})


@case
def siit46_udp_csum0_drop():
    """UDP checksum 0, amend_udp_checksum_zero off: dropped (4.5), and the
    ICMPv4 3/13 of 4.4 sent back"""
    inp = from_gw4(v4() / UDP(sport=5, dport=6, chksum=0) / Raw(payload(4)))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 13)]},
                config=CFG, drops={"xlat_udp_csum0": 1},
                counters={"xlat46": 0})


@case
def siit46_udp_csum0_amend():
    """UDP checksum 0 with amend_udp_checksum_zero: the IPv6 checksum is
    computed (4.5 option 2)"""
    inp = from_gw4(v4() / UDP(sport=5, dport=6, chksum=0) / Raw(payload(4)))
    return ok(inp, to_gw6(v6() / UDP(sport=5, dport=6) / Raw(payload(4))),
              config=siit_config(amend_udp_checksum_zero=True))


@case
def siit46_udp_csum0_amend_odd():
    """the amended checksum over an odd-length payload"""
    inp = from_gw4(v4() / UDP(sport=7, dport=9, chksum=0) /
                   Raw(payload(1001, 4)))
    return ok(inp, to_gw6(v6() / UDP(sport=7, dport=9) /
                          Raw(payload(1001, 4))),
              config=siit_config(amend_udp_checksum_zero=True))


@case
def siit46_udp_csum_ffff():
    """a UDP checksum that becomes 0 over IPv6 is sent as 0xffff"""
    # search a payload whose IPv6 checksum computes to 0 (sent as 0xffff)
    for i in range(1 << 16):
        data = i.to_bytes(2, "big") + payload(6)
        u6 = l4_over6(x46(h4), a6, UDP(sport=5, dport=6) / Raw(data))
        if u6[6:8] == b"\xff\xff":
            break
    inp = from_gw4(v4() / UDP(sport=5, dport=6) / Raw(data))
    return ok(inp, to_gw6(v6(nh=17) / Raw(u6)))


@case
def siit46_martian_src_zero():
    """source 0.0.0.0 is illegal: silently dropped (4.1, RFC 1812 5.3.7)"""
    inp = from_gw4(v4(src="0.0.0.0") / UDP(sport=5, dport=6))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"ip4_martian|xlat_src": 1}, counters={"icmp_error": 0})


@case
def siit46_martian_src_loopback():
    """source 127.0.0.1 is illegal: silently dropped"""
    inp = from_gw4(v4(src="127.0.0.1") / UDP(sport=5, dport=6))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"ip4_martian|xlat_src": 1}, counters={"icmp_error": 0})


@case
def siit46_to_box():
    """an echo request for the lan4 address is answered, not translated"""
    inp = from_gw4(IP(src=h4, dst=siit_ip4, ttl=64, id=7) /
                   ICMP(type=8, id=5, seq=1) / Raw(payload(8)))
    exp = Exp(Ether(src=lan4_mac, dst=gw4_mac) /
              IP(src=siit_ip4, dst=h4, ttl=64, id=0, flags=0) /
              ICMP(type=0, id=5, seq=1) / Raw(payload(8)), free_ip4_id=True)
    return Case(inp={LAN4: [inp]}, out={LAN4: [exp]}, config=CFG,
                counters={"xlat46": 0, "echo_reply": 1})


@case
def siit46_jumbo():
    """a 8000-byte DF packet with 9000-byte MTUs is translated whole"""
    data = payload(8000 - 28, 5)
    inp = from_gw4(v4(flags="DF") / UDP(sport=5, dport=6) / Raw(data))
    return ok(inp, to_gw6(v6() / UDP(sport=5, dport=6) / Raw(data)),
              config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


@case
def siit46_burst_order():
    """a burst of mixed packets leaves in order (4: SHOULD keep order)"""
    ins, outs = [], []
    for i in range(6):
        if i % 3 == 0:
            l4a = UDP(sport=4000 + i, dport=4444) / Raw(payload(i + 1, i))
            l4b = UDP(sport=4000 + i, dport=4444) / Raw(payload(i + 1, i))
        elif i % 3 == 1:
            l4a = TCP(sport=4000 + i, dport=22, flags="A", seq=i)
            l4b = TCP(sport=4000 + i, dport=22, flags="A", seq=i)
        else:
            l4a = ICMP(type=8, id=i, seq=i) / Raw(payload(i, i))
            l4b = ICMPv6EchoRequest(id=i, seq=i, data=payload(i, i))
        ins.append(from_gw4(v4(ttl=64 - i, tos=i) / l4a))
        outs.append(to_gw6(v6(hlim=63 - i, tc=i) / l4b))
    return Case(inp={LAN4: ins}, out={MESH: outs}, config=CFG,
                counters={"xlat46": 6})
