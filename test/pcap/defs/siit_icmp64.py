# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, ICMPv6 -> ICMPv4 (RFC 7915 sections 5.2 and 5.3).

The story of every error case: IPv4 host h4 (203.0.113.50) sent a packet
to 198.51.100.5; the box translated it to 64:ff9b::203.0.113.50 ->
2001:db8:6::5 (a6); IPv6 router r6t (2001:db8:6::fe, EAM 198.51.100.254)
answers with an ICMPv6 error quoting the IPv6 form. The box gives h4 an
ICMPv4 error quoting the IPv4 form: inner TTL = inner hop limit (not
decremented), inner DF by the 1260-byte rule applied to the inner total
length, inner identification free (masked with the checksums over it),
inner transport checksum as over the whole inner IPv4 packet.
Informational types other than echo are silently dropped.
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()
A4 = x64(a6)                    # 198.51.100.5
H6 = x46(h4)                    # 64:ff9b::cb00:7132


def inner_pair(l4_6, l4_4, hlim=50, tc=0, n=None, src6=H6, dst6=a6,
               nh=None, exthdrs=None, proto=None):
    """(quote6, quote4): the first n bytes of the inner IPv6 packet and the
    matching bytes of its IPv4 form."""
    kw = {} if nh is None else {"nh": nh}
    p6 = IPv6(src=src6, dst=dst6, hlim=hlim, tc=tc, **kw)
    if exthdrs is not None:
        p6 = p6 / exthdrs
    p6 = p6 / l4_6
    b6 = bytes(p6)
    ext = len(bytes(exthdrs)) if exthdrs is not None else 0
    tot4 = len(b6) - 40 - ext + 20
    kw4 = {} if proto is None else {"proto": proto}
    p4 = IP(src=x64(src6), dst=x64(dst6), ttl=hlim, tos=tc, id=0,
            flags="DF" if tot4 > 1260 else 0, **kw4) / l4_4
    b4 = bytes(p4)
    assert len(b4) == tot4
    if n is None:
        n = len(b6)
    return b6[:n], b4[:n - 40 - ext + 20]


def udp_pair(n=None, size=20, **kw):
    return inner_pair(UDP(sport=4444, dport=40000) / Raw(payload(size, 8)),
                      UDP(sport=4444, dport=40000) / Raw(payload(size, 8)),
                      n=n, **kw)


def err(t6, c6, t4, c4, rest6=b"\0\0\0\0", rest4=b"\0\0\0\0", pair=None,
        hlim=64, tc=0, src=r6t, config=CFG, exp_src=None, inner_id_free=True):
    q6, q4 = pair or udp_pair()
    inp = from_gw6(IPv6(src=src, dst=H6, hlim=hlim, tc=tc) /
                   icmp6_msg(t6, c6, rest6, q6))
    tot = 20 + 8 + len(q4)
    exp = to_gw4(IP(src=exp_src or x64(src), dst=h4, ttl=hlim - 1, tos=tc,
                    id=0, flags="DF" if tot > 1260 else 0, proto=1) /
                 Raw(icmp4_raw(t4, c4, rest4, q4)),
                 free_inner_id=inner_id_free)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config,
                counters={"xlat64": 1})


def dropped(t6, c6, rest6=b"\0\0\0\0", body=None, reason="xlat_icmp_type",
            src=r6t):
    if body is None:
        body = udp_pair()[0]
    inp = from_gw6(IPv6(src=src, dst=H6, hlim=64) /
                   icmp6_msg(t6, c6, rest6, body))
    return Case(inp={MESH: [inp]}, out={}, config=CFG, drops={reason: 1},
                counters={"xlat64": 0, "icmp_error": 0})


def info_dropped(t6, c6=0, body=b"\0" * 16, hlim=64):
    inp = from_gw6(IPv6(src=a6, dst=H6, hlim=hlim) /
                   icmp6_msg(t6, c6, b"\0\0\0\0", body))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"xlat_icmp_type": 1},
                counters={"xlat64": 0, "icmp_error": 0})


# --- informational ------------------------------------------------------------
@case
def siit64_icmp_mld_query():
    """MLD query (130): single hop, silently dropped (5.2)"""
    return info_dropped(130, hlim=1 + 63)


@case
def siit64_icmp_mld_report():
    """MLD report (131): silently dropped"""
    return info_dropped(131)


@case
def siit64_icmp_mld_done():
    """MLD done (132): silently dropped"""
    return info_dropped(132)


@case
def siit64_icmp_rs():
    """router solicitation (133) to a translated address: dropped"""
    return info_dropped(133, body=b"")


@case
def siit64_icmp_ra():
    """router advertisement (134): dropped"""
    return info_dropped(134, body=b"\0" * 8)


@case
def siit64_icmp_ns():
    """neighbour solicitation (135) for a translated address: dropped"""
    return info_dropped(135, body=ipaddress.IPv6Address(H6).packed)


@case
def siit64_icmp_na():
    """neighbour advertisement (136): dropped"""
    return info_dropped(136, body=ipaddress.IPv6Address(a6).packed)


@case
def siit64_icmp_redirect():
    """redirect (137): dropped"""
    return info_dropped(137, body=bytes(32))


@case
def siit64_icmp_node_info():
    """node information query (139), unknown to RFC 7915: dropped"""
    return info_dropped(139)


@case
def siit64_icmp_unknown_info():
    """an unknown informational type (200): silently dropped"""
    return info_dropped(200)


@case
def siit64_icmp_unknown_error():
    """an unknown error type (50): silently dropped"""
    return dropped(50, 0)


# --- destination unreachable --------------------------------------------------
@case
def siit64_du_noroute():
    """1/0 no route -> 3/1 host unreachable"""
    return err(1, 0, 3, 1)


@case
def siit64_du_prohib():
    """1/1 administratively prohibited -> 3/10"""
    return err(1, 1, 3, 10)


@case
def siit64_du_scope():
    """1/2 beyond scope of source address -> 3/1"""
    return err(1, 2, 3, 1)


@case
def siit64_du_addr():
    """1/3 address unreachable -> 3/1"""
    return err(1, 3, 3, 1)


@case
def siit64_du_port():
    """1/4 port unreachable -> 3/3"""
    return err(1, 4, 3, 3)


@case
def siit64_du_policy():
    """1/5 (source address failed policy, RFC 4443): other code, dropped"""
    return dropped(1, 5)


@case
def siit64_du_reject():
    """1/6 (reject route): other code, dropped"""
    return dropped(1, 6)


# --- time exceeded --------------------------------------------------------------
@case
def siit64_te_transit():
    """3/0 hop limit exceeded -> 11/0"""
    return err(3, 0, 11, 0)


@case
def siit64_te_reassembly():
    """3/1 fragment reassembly time exceeded -> 11/1"""
    return err(3, 1, 11, 1)


@case
def siit64_te_tc():
    """outer traffic class -> outer TOS, outer hop limit decremented"""
    return err(3, 0, 11, 0, hlim=7, tc=0xa0)


# --- parameter problem ----------------------------------------------------------
def _pp(p6, p4):
    return err(4, 0, 12, 0, rest6=u32(p6), rest4=bytes([p4, 0, 0, 0]))


@case
def siit64_pp_ptr0():
    """4/0 pointer 0 (version) -> 12/0 pointer 0 (figure 6)"""
    return _pp(0, 0)


@case
def siit64_pp_ptr1():
    """pointer 1 (traffic class) -> 1 (TOS)"""
    return _pp(1, 1)


@case
def siit64_pp_ptr4():
    """pointer 4 (payload length) -> 2 (total length)"""
    return _pp(4, 2)


@case
def siit64_pp_ptr5():
    """pointer 5 (payload length, low byte) -> 2"""
    return _pp(5, 2)


@case
def siit64_pp_ptr6():
    """pointer 6 (next header) -> 9 (protocol)"""
    return _pp(6, 9)


@case
def siit64_pp_ptr7():
    """pointer 7 (hop limit) -> 8 (TTL)"""
    return _pp(7, 8)


@case
def siit64_pp_ptr8():
    """pointer 8 (source) -> 12"""
    return _pp(8, 12)


@case
def siit64_pp_ptr23():
    """pointer 23 (last byte of the source) -> 12"""
    return _pp(23, 12)


@case
def siit64_pp_ptr24():
    """pointer 24 (destination) -> 16"""
    return _pp(24, 16)


@case
def siit64_pp_ptr39():
    """pointer 39 (last byte of the destination) -> 16"""
    return _pp(39, 16)


@case
def siit64_pp_ptr2_na():
    """pointer 2 (flow label) is n/a: silently dropped"""
    return dropped(4, 0, rest6=u32(2))


@case
def siit64_pp_ptr40_unlisted():
    """pointer 40 (past the IPv6 header) is not listed: dropped"""
    return dropped(4, 0, rest6=u32(40))


@case
def siit64_pp_nexthdr():
    """4/1 unrecognized next header -> 3/2 protocol unreachable"""
    pair = inner_pair(Raw(payload(12)), Raw(payload(12)), nh=253, proto=253)
    return err(4, 1, 3, 2, rest6=u32(6), pair=pair)


@case
def siit64_pp_option():
    """4/2 unrecognized IPv6 option: silently dropped"""
    return dropped(4, 2, rest6=u32(42))


@case
def siit64_pp_code3():
    """4/3 (RFC 7112 incomplete header chain), other code: dropped"""
    return dropped(4, 3)


# --- the packet in error (5.3) -------------------------------------------------
@case
def siit64_inner_tcp():
    """inner TCP: addresses and checksum translated, inner hop limit kept"""
    pair = inner_pair(TCP(sport=80, dport=5000, flags="SA", seq=1, ack=2),
                      TCP(sport=80, dport=5000, flags="SA", seq=1, ack=2),
                      hlim=1)
    return err(3, 0, 11, 0, pair=pair)


@case
def siit64_inner_tcp_8bytes():
    """an inner TCP header cut after 8 bytes"""
    pair = inner_pair(TCP(sport=80, dport=5000, seq=3),
                      TCP(sport=80, dport=5000, seq=3), n=48)
    return err(1, 4, 3, 3, pair=pair)


@case
def siit64_inner_udp_truncated():
    """inner UDP cut mid-payload: inner total length and checksum are
    those of the whole packet"""
    return err(1, 4, 3, 3, pair=udp_pair(n=140, size=600))


@case
def siit64_inner_big_df():
    """a 1400-byte inner packet quoted in part: inner DF set (its IPv4
    form is over 1260 bytes)"""
    return err(1, 0, 3, 1, pair=udp_pair(n=200, size=1352))


@case
def siit64_inner_echo():
    """inner ICMPv6 echo -> inner ICMPv4 echo (checksum without the
    pseudo header)"""
    pair = inner_pair(ICMPv6EchoRequest(id=3, seq=4, data=payload(20)),
                      ICMP(type=8, id=3, seq=4) / Raw(payload(20)))
    return err(3, 0, 11, 0, pair=pair)


@case
def siit64_inner_tc():
    """the inner traffic class goes to the inner TOS"""
    return err(1, 4, 3, 3, pair=udp_pair(tc=0x88))


@case
def siit64_inner_hopbyhop():
    """an inner hop-by-hop header is skipped like an outer one"""
    pair = inner_pair(UDP(sport=4444, dport=40000) / Raw(payload(8)),
                      UDP(sport=4444, dport=40000) / Raw(payload(8)),
                      exthdrs=IPv6ExtHdrHopByHop())
    return err(1, 4, 3, 3, pair=pair)


@case
def siit64_inner_fragment():
    """an inner fragment: inner id from the Fragment Header (low 16 bits),
    MF copied, DF clear, offset copied"""
    data = payload(48, 2)
    q6 = bytes(IPv6(src=H6, dst=a6, hlim=50, nh=44) /
               IPv6ExtHdrFragment(nh=17, offset=100, m=1, id=0xabcd1234) /
               Raw(data))
    q4 = bytes(IP(src=h4, dst=A4, ttl=50, id=0x1234, flags="MF", frag=100,
                  proto=17) / Raw(data))
    return err(1, 4, 3, 3, pair=(q6, q4), inner_id_free=False)


@case
def siit64_inner_eam_both():
    """inner source and destination both via the EAMT"""
    return err(1, 4, 3, 3, pair=udp_pair(src6=s7))


@case
def siit64_error_src_pool6():
    """an error from a pool6 address: outer source = its IPv4"""
    return err(1, 0, 3, 1, src=n6p)


@case
def siit64_rfc6791():
    """an error from a router with no IPv4 form: source from the RFC 6791
    pool (192.0.0.8)"""
    return err(3, 0, 11, 0, src=r6, exp_src=rfc6791_4)


@case
def siit64_rfc6791_du():
    """the same for a destination unreachable"""
    return err(1, 4, 3, 3, src="2001:db8:bbbb::77", exp_src=rfc6791_4)


@case
def siit64_inner_untranslatable():
    """an error whose inner destination has no IPv4 form: dropped, no
    error about an error"""
    q6 = bytes(IPv6(src=H6, dst=r6, hlim=50) / UDP(sport=1, dport=2))
    return dropped(1, 4, body=q6, reason="xlat_icmp_inner")


@case
def siit64_inner_nested_error():
    """an ICMPv6 error quoting an ICMPv6 error: dropped (5.3 MUST)"""
    deep = bytes(IPv6(src=a6, dst=H6, hlim=3) / UDP(sport=1, dport=2))
    body = bytes(IPv6(src=H6, dst=a6, hlim=50) / icmp6_msg(1, 4, body=deep))
    return dropped(1, 0, body=body, reason="xlat_icmp_inner")


@case
def siit64_rfc4884_ext():
    """RFC 4884 extension: ICMPv6 length 21 words of 8 (168 bytes) ->
    ICMPv4 length 37 words of 4 (148 bytes); extension untouched (5.2
    MUST adjust the length)"""
    q6, q4 = udp_pair(n=168, size=300)
    assert len(q4) == 148
    ext = bytearray(b"\x20\x00\x00\x00" + b"\x00\x08\x01\x01" +
                    u32(0x12345100))
    from scapy.utils import checksum
    ext[2:4] = checksum(bytes(ext)).to_bytes(2, "big")
    inp = from_gw6(IPv6(src=r6t, dst=H6, hlim=64) /
                   icmp6_msg(1, 4, b"\x15\0\0\0", q6 + bytes(ext)))
    exp = to_gw4(IP(src=x64(r6t), dst=h4, ttl=63, id=0, flags=0, proto=1) /
                 Raw(icmp4_raw(3, 3, b"\0\x25\0\0", q4 + bytes(ext))),
                 free_inner_id=True)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=CFG)


@case
def siit64_error_fragmented():
    """a fragmented ICMPv6 error is not translated (1.2); no error back
    about an ICMPv6 message"""
    body = udp_pair()[0]
    msg = bytes(IPv6(src=r6t, dst=H6) / icmp6_msg(1, 4, body=body))[40:]
    inp = from_gw6(IPv6(src=r6t, dst=H6, hlim=64, nh=44) /
                   IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=5) /
                   Raw(msg))
    return Case(inp={MESH: [inp]}, out={}, config=CFG,
                drops={"xlat_fragment": 1}, counters={"icmp_error": 0})
