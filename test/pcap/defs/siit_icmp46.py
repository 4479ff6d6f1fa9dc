# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, ICMPv4 -> ICMPv6 (RFC 7915 sections 4.2 and 4.3).

The story of every error case: IPv6 host a6 (2001:db8:6::5, EAM
198.51.100.5) sent a packet to h4 (64:ff9b::203.0.113.50); the box
translated it; IPv4 router r4 (203.0.113.99) answers with an ICMPv4 error
quoting the IPv4 form. The box must give a6 an ICMPv6 error that quotes
the IPv6 form: outer src 64:ff9b::203.0.113.99, hop limit TTL - 1; inner
header translated like a normal packet except that its TTL is not
decremented; the inner transport checksum updated as if computed over the
whole inner IPv6 packet (built whole with Scapy here, then cut to the
quoted length + 20). Informational types other than echo are silently
dropped.
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()
A4 = x64(a6)                    # 198.51.100.5


def inner_pair(l4_4, l4_6, ttl=50, tos=0, n=None, src4=A4, dst4=h4,
               options=None, ip_kw=None, nh=None):
    """(quote4, quote6): the first n bytes of the inner IPv4 packet and the
    matching first n+20 (- options) bytes of its IPv6 form."""
    ip_kw = ip_kw or {}
    p4 = IP(src=src4, dst=dst4, ttl=ttl, tos=tos, id=0x4242, flags="DF",
            options=options or [], **ip_kw) / l4_4
    p6 = IPv6(src=x46(src4), dst=x46(dst4), hlim=ttl, tc=tos, fl=0,
              **({} if nh is None else {"nh": nh})) / l4_6
    b4, b6 = bytes(p4), bytes(p6)
    if n is None:
        n = len(b4)
    hl = (b4[0] & 0xf) * 4
    return b4[:n], b6[:n - hl + 40]


def udp_pair(n=None, size=20, **kw):
    return inner_pair(UDP(sport=40000, dport=4444) / Raw(payload(size, 9)),
                      UDP(sport=40000, dport=4444) / Raw(payload(size, 9)),
                      n=n, **kw)


def err(t4, c4, t6, c6, rest4=b"\0\0\0\0", rest6=b"\0\0\0\0", pair=None,
        ttl=64, tos=0, src=r4, config=CFG, exp_src=None):
    q4, q6 = pair or udp_pair()
    inp = from_gw4(IP(src=src, dst=A4, ttl=ttl, tos=tos, proto=1) /
                   Raw(icmp4_raw(t4, c4, rest4, q4)))
    exp = to_gw6(IPv6(src=exp_src or x46(src), dst=a6, hlim=ttl - 1, tc=tos,
                      fl=0) / icmp6_msg(t6, c6, rest6, q6))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=config,
                counters={"xlat46": 1})


def dropped(t4, c4, rest4=b"\0\0\0\0", body=None, reason="xlat_icmp_type"):
    if body is None:
        body = udp_pair()[0]
    inp = from_gw4(IP(src=r4, dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(t4, c4, rest4, body)))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG, drops={reason: 1},
                counters={"xlat46": 0, "icmp_error": 0})


def info_dropped(t4, c4=0, body=b"\0" * 12):
    inp = from_gw4(IP(src=h4, dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(t4, c4, b"\0\x01\0\x02", body)))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"xlat_icmp_type": 1},
                counters={"xlat46": 0, "icmp_error": 0})


# --- informational ------------------------------------------------------------
@case
def siit46_icmp_timestamp():
    """timestamp request (13): silently dropped (4.2)"""
    return info_dropped(13)


@case
def siit46_icmp_timestamp_reply():
    """timestamp reply (14): silently dropped"""
    return info_dropped(14)


@case
def siit46_icmp_info_request():
    """information request (15): silently dropped"""
    return info_dropped(15, body=b"")


@case
def siit46_icmp_info_reply():
    """information reply (16): silently dropped"""
    return info_dropped(16, body=b"")


@case
def siit46_icmp_mask_request():
    """address mask request (17): silently dropped"""
    return info_dropped(17, body=b"\0" * 4)


@case
def siit46_icmp_mask_reply():
    """address mask reply (18): silently dropped"""
    return info_dropped(18, body=b"\xff\xff\xff\0")


@case
def siit46_icmp_router_adv():
    """router advertisement (9): single hop, silently dropped"""
    return info_dropped(9, body=b"\xc0\x00\x02\xfe\0\0\0\0")


@case
def siit46_icmp_router_sol():
    """router solicitation (10): silently dropped"""
    return info_dropped(10, body=b"")


@case
def siit46_icmp_unknown_type():
    """an unknown ICMPv4 type (42 is not in RFC 7915): silently dropped"""
    return info_dropped(42)


@case
def siit46_icmp_unknown_type_253():
    """experimental type 253: silently dropped"""
    return info_dropped(253)


@case
def siit46_icmp_echo_code1():
    """echo request with a non-zero code keeps it (4.2 changes the type
    only)"""
    inp = from_gw4(IP(src=h4, dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(8, 1, b"\0\x09\0\x01", payload(8))))
    exp = to_gw6(IPv6(src=x46(h4), dst=a6, hlim=63) /
                 icmp6_msg(128, 1, b"\0\x09\0\x01", payload(8)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=CFG)


# --- error types without translation -----------------------------------------
@case
def siit46_icmp_source_quench():
    """source quench (4): silently dropped"""
    return dropped(4, 0)


@case
def siit46_icmp_redirect():
    """redirect (5): single hop, silently dropped"""
    return dropped(5, 1, rest4=bytes([192, 0, 2, 7]))


@case
def siit46_icmp_alt_host():
    """alternative host address (6): silently dropped"""
    return dropped(6, 0)


@case
def siit46_icmp_unknown_error():
    """an unknown ICMPv4 type with an error-like body (19): dropped"""
    return dropped(19, 0)


# --- destination unreachable --------------------------------------------------
def _du(code, c6):
    return err(3, code, 1, c6)


@case
def siit46_du_net():
    """3/0 net unreachable -> 1/0 no route"""
    return _du(0, 0)


@case
def siit46_du_host():
    """3/1 host unreachable -> 1/0"""
    return _du(1, 0)


@case
def siit46_du_proto():
    """3/2 protocol unreachable -> 4/1 parameter problem, pointer 6 (the
    IPv6 Next Header field)"""
    pair = inner_pair(Raw(payload(12)), Raw(payload(12)), ip_kw={"proto": 253},
                      nh=253)
    q4, q6 = pair
    assert q6[6] == 253
    return err(3, 2, 4, 1, rest6=u32(6), pair=pair)


@case
def siit46_du_port():
    """3/3 port unreachable -> 1/4 port unreachable"""
    return _du(3, 4)


@case
def siit46_du_srcroute():
    """3/5 source route failed -> 1/0"""
    return _du(5, 0)


@case
def siit46_du_net_unknown():
    """3/6 destination network unknown -> 1/0"""
    return _du(6, 0)


@case
def siit46_du_host_unknown():
    """3/7 destination host unknown -> 1/0"""
    return _du(7, 0)


@case
def siit46_du_isolated():
    """3/8 source host isolated -> 1/0"""
    return _du(8, 0)


@case
def siit46_du_net_prohib():
    """3/9 network administratively prohibited -> 1/1"""
    return _du(9, 1)


@case
def siit46_du_host_prohib():
    """3/10 host administratively prohibited -> 1/1"""
    return _du(10, 1)


@case
def siit46_du_net_tos():
    """3/11 network unreachable for TOS -> 1/0"""
    return _du(11, 0)


@case
def siit46_du_host_tos():
    """3/12 host unreachable for TOS -> 1/0"""
    return _du(12, 0)


@case
def siit46_du_admin():
    """3/13 communication administratively prohibited -> 1/1"""
    return _du(13, 1)


@case
def siit46_du_precedence():
    """3/14 host precedence violation: silently dropped"""
    return dropped(3, 14)


@case
def siit46_du_cutoff():
    """3/15 precedence cutoff in effect -> 1/1"""
    return _du(15, 1)


@case
def siit46_du_code16():
    """3/16, an unknown code: silently dropped"""
    return dropped(3, 16)


# --- time exceeded --------------------------------------------------------------
@case
def siit46_te_transit():
    """11/0 TTL exceeded in transit -> 3/0"""
    return err(11, 0, 3, 0)


@case
def siit46_te_reassembly():
    """11/1 fragment reassembly time exceeded -> 3/1"""
    return err(11, 1, 3, 1)


@case
def siit46_te_tos():
    """the outer TOS of the error goes to the traffic class, and the
    outer TTL is decremented"""
    return err(11, 0, 3, 0, ttl=9, tos=0xc0)


# --- parameter problem ----------------------------------------------------------
def _pp(code, p4, p6):
    return err(12, code, 4, 0, rest4=bytes([p4, 0, 0, 0]), rest6=u32(p6))


def _pp_drop(code, p4):
    return dropped(12, code, rest4=bytes([p4, 0, 0, 0]))


@case
def siit46_pp_ptr0():
    """12/0 pointer 0 (version/IHL) -> 4/0 pointer 0 (figure 3)"""
    return _pp(0, 0, 0)


@case
def siit46_pp_ptr1():
    """pointer 1 (TOS) -> 1 (traffic class)"""
    return _pp(0, 1, 1)


@case
def siit46_pp_ptr2():
    """pointer 2 (total length) -> 4 (payload length)"""
    return _pp(0, 2, 4)


@case
def siit46_pp_ptr3():
    """pointer 3 (total length, low byte) -> 4"""
    return _pp(0, 3, 4)


@case
def siit46_pp_ptr8():
    """pointer 8 (TTL) -> 7 (hop limit)"""
    return _pp(0, 8, 7)


@case
def siit46_pp_ptr9():
    """pointer 9 (protocol) -> 6 (next header)"""
    return _pp(0, 9, 6)


@case
def siit46_pp_ptr12():
    """pointer 12 (source address) -> 8"""
    return _pp(0, 12, 8)


@case
def siit46_pp_ptr15():
    """pointer 15 (last byte of the source) -> 8"""
    return _pp(0, 15, 8)


@case
def siit46_pp_ptr16():
    """pointer 16 (destination address) -> 24"""
    return _pp(0, 16, 24)


@case
def siit46_pp_ptr19():
    """pointer 19 (last byte of the destination) -> 24"""
    return _pp(0, 19, 24)


@case
def siit46_pp_ptr4_na():
    """pointer 4 (identification) is n/a: silently dropped"""
    return _pp_drop(0, 4)


@case
def siit46_pp_ptr6_na():
    """pointer 6 (flags/offset) is n/a: silently dropped"""
    return _pp_drop(0, 6)


@case
def siit46_pp_ptr10_na():
    """pointer 10 (header checksum) is n/a: silently dropped"""
    return _pp_drop(0, 10)


@case
def siit46_pp_ptr20_unlisted():
    """pointer 20 (options) is not listed: silently dropped"""
    return _pp_drop(0, 20)


@case
def siit46_pp_missing_option():
    """12/1 missing a required option: silently dropped"""
    return _pp_drop(1, 0)


@case
def siit46_pp_bad_length():
    """12/2 bad length -> 4/0 with the pointer mapped (2 -> 4)"""
    return _pp(2, 2, 4)


@case
def siit46_pp_code3():
    """12/3, an unknown code: silently dropped"""
    return _pp_drop(3, 0)


# --- the packet in error (4.3) ------------------------------------------------
@case
def siit46_inner_tcp():
    """inner TCP: addresses and TCP checksum translated, inner TTL kept"""
    opts = [("MSS", 1400)]
    pair = inner_pair(TCP(sport=5000, dport=80, flags="S", options=opts),
                      TCP(sport=5000, dport=80, flags="S", options=opts),
                      ttl=1)
    return err(11, 0, 3, 0, pair=pair)


@case
def siit46_inner_tcp_8bytes():
    """an inner TCP header cut after 8 bytes (RFC 792 minimum): nothing to
    fix but the addresses"""
    pair = inner_pair(TCP(sport=5000, dport=80, seq=77),
                      TCP(sport=5000, dport=80, seq=77), n=28)
    assert len(pair[1]) == 48
    return err(3, 3, 1, 4, pair=pair)


@case
def siit46_inner_udp_truncated():
    """inner UDP cut mid-payload: the inner checksum is that of the whole
    inner IPv6 packet, the inner payload length that of the whole too"""
    pair = udp_pair(n=100, size=400)
    return err(3, 3, 1, 4, pair=pair)


@case
def siit46_inner_udp_header_only():
    """inner UDP quoted up to its header (28 bytes)"""
    return err(3, 1, 1, 0, pair=udp_pair(n=28, size=64))


@case
def siit46_inner_echo():
    """inner ICMPv4 echo request -> inner ICMPv6 echo request with its
    checksum over the IPv6 pseudo header"""
    pair = inner_pair(ICMP(type=8, id=7, seq=8) / Raw(payload(24)),
                      ICMPv6EchoRequest(id=7, seq=8, data=payload(24)))
    return err(11, 0, 3, 0, pair=pair)


@case
def siit46_inner_options():
    """inner IPv4 options are dropped from the inner IPv6 header"""
    pair = inner_pair(UDP(sport=1, dport=2) / Raw(payload(8)),
                      UDP(sport=1, dport=2) / Raw(payload(8)),
                      options=[IPOption(b"\x01\x01\x01\x00")])
    return err(3, 3, 1, 4, pair=pair)


@case
def siit46_inner_tos():
    """the inner TOS goes to the inner traffic class"""
    return err(3, 3, 1, 4, pair=udp_pair(tos=0x2e))


@case
def siit46_inner_later_fragment():
    """an inner non-first fragment gets a Fragment Header (id, offset, M
    from the inner IPv4 header)"""
    data = payload(40, 3)
    q4 = bytes(IP(src=A4, dst=h4, ttl=50, id=0x4242, flags="MF", frag=185,
                  proto=17) / Raw(data))
    q6 = bytes(IPv6(src=a6, dst=x46(h4), hlim=50, nh=44) /
               IPv6ExtHdrFragment(nh=17, offset=185, m=1, id=0x4242) /
               Raw(data))
    return err(3, 3, 1, 4, pair=(q4, q6))


@case
def siit46_inner_first_fragment():
    """an inner first fragment: Fragment Header, and the UDP checksum of
    the whole datagram adjusted for the IPv6 pseudo header"""
    full = payload(1000, 4)
    u4 = l4_over4(A4, h4, UDP(sport=7, dport=9) / Raw(full))
    u6 = l4_over6(a6, x46(h4), UDP(sport=7, dport=9) / Raw(full))
    q4 = bytes(IP(src=A4, dst=h4, ttl=50, id=0x99, flags="MF", proto=17) /
               Raw(u4[:64]))
    q6 = bytes(IPv6(src=a6, dst=x46(h4), hlim=50, nh=44) /
               IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x99) /
               Raw(u6[:64]))
    return err(11, 1, 3, 1, pair=(q4, q6))


@case
def siit46_inner_eam_both():
    """inner addresses both via the EAMT"""
    return err(3, 3, 1, 4, pair=udp_pair(dst4="203.0.113.7"))


@case
def siit46_error_src_eam():
    """an error from a router inside an EAM: outer source via the EAMT"""
    return err(3, 1, 1, 0, src="203.0.113.7", exp_src=s7)


@case
def siit46_error_src_illegal():
    """an error from an 'illegal' source (0.0.0.1) is silently dropped:
    4.1 Source Address ('SHOULD silently drop', RFC 1812 5.3.7)"""
    q4, _ = udp_pair()
    inp = from_gw4(IP(src="0.0.0.1", dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(11, 0, b"\0\0\0\0", q4)))
    return Case(inp={LAN4: [inp]}, out={}, config=CFG,
                drops={"ip4_martian": 1},
                counters={"xlat46": 0, "icmp_error": 0})


@case
def siit46_inner_nested_error():
    """an ICMPv4 error quoting an ICMPv4 error: only one level is
    translated, the packet is dropped (4.3 MUST)"""
    deep = bytes(IP(src=h4, dst=A4, ttl=3) / UDP(sport=1, dport=2))
    body = bytes(IP(src=A4, dst=h4, ttl=50, proto=1) /
                 Raw(icmp4_raw(3, 3, body=deep)))
    return dropped(3, 1, body=body, reason="xlat_icmp_inner")


@case
def siit46_large_error():
    """a 1200-byte ICMPv4 error becomes a 1240-byte ICMPv6 error (fits
    both the 1280 guideline and the mesh MTU: nothing cut)"""
    pair = udp_pair(size=1200 - 28 - 28)
    case_ = err(3, 3, 1, 4, pair=pair)
    assert len(case_.out[MESH][0].pkt[IPv6]) == 1240
    return case_


@case
def siit46_rfc4884_ext():
    """RFC 4884 extension: ICMPv4 length 33 words (132 bytes) -> ICMPv6
    length 19 words of 8 (152 bytes); the extension follows untouched
    (4.2 ICMP Error Payload MUST)"""
    q4, q6 = udp_pair(n=132, size=300)
    assert len(q6) == 152
    ext = bytearray(b"\x20\x00\x00\x00" + b"\x00\x08\x01\x01" +
                    u32(0x12345100))
    from scapy.utils import checksum
    ext[2:4] = checksum(bytes(ext)).to_bytes(2, "big")
    inp = from_gw4(IP(src=r4, dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(3, 3, b"\0\x21\0\0", q4 + bytes(ext))))
    exp = to_gw6(IPv6(src=x46(r4), dst=a6, hlim=63) /
                 icmp6_msg(1, 4, b"\x13\0\0\0", q6 + bytes(ext)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=CFG)


@case
def siit46_rfc6791v6():
    """EAMT-only (pool6 null): an ICMPv4 error from a router with no IPv6
    form gets its source from rfc6791v6 (chosen behaviour, the IPv4 ->
    IPv6 counterpart of RFC 6791)"""
    cfg = siit_config(pool6=None)
    pair = udp_pair(dst4="203.0.113.7")
    return err(11, 0, 3, 0, pair=pair, config=cfg, exp_src=rfc6791_6)
