# SPDX-License-Identifier: BSD-3-Clause
"""
PLAT (stateful NAT64, RFC 6146): ICMP queries (section 3.5.3) and ICMP
errors (section 3.5.4), in plat_config() (see plat_basic.py).

Queries: the echo identifier plays the port on both sides (3.5.3), so an
echo request leaves with an identifier from the pool (masked and checked
when the NAT chooses it; the static ICMP entry of client_s, 0x0707 <->
9007, fixes it otherwise).

Errors: matched through the packet they quote (3.5.4: the tuple is the
quoted packet's), which must belong to an existing session; the quoted
packet is rewritten to what the other side sent: an ICMPv4 error about
10.23.0.9:9053 -> R4 reaches client_s quoting client_s:5353 ->
64:ff9b::R4, and the other way round. Headers follow RFC 7915 4.3 and
5.3: the inner TTL/hop limit is copied, not decremented; the inner
transport checksum is the one over the whole rewritten inner packet (the
quotes here are whole); the inner IPv4 identification is free (masked
with the checksums over it, which are still verified).
"""

from mxpcap import *  # noqa: F401,F403

CFG = plat_config()
R4 = remote4
S6, S4 = S_UDP[1], S_UDP[2]             # client_s's UDP entry: 5353, 9053
I6, I4 = S_ICMP[1], S_ICMP[2]           # its ICMP entry: 0x0707, 9007


def s_request(data, dport=7777):
    """client_s -> R4 from its static UDP port, and its IPv4 form."""
    inp = from_mesh6(IPv6(src=client_s, dst=x6(R4), hlim=64) /
                     UDP(sport=S6, dport=dport) / Raw(data))
    # RFC 7915 5.1: DF set above 1260 bytes
    out = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                     flags="DF" if 28 + len(data) > 1260 else 0) /
                  UDP(sport=S4, dport=dport) / Raw(data))
    return inp, out


def quote_out(data, ttl=1):
    """(IPv4, IPv6) forms of client_s's datagram to R4 as a router on the
    IPv4 side quotes it (TTL 'ttl' on arrival) and as client_s sent it."""
    q4 = bytes(IP(src=plat_pool4, dst=R4, ttl=ttl, id=0x5151, flags=0) /
               UDP(sport=S4, dport=7777) / Raw(data))
    q6 = bytes(IPv6(src=client_s, dst=x6(R4), hlim=ttl) /
               UDP(sport=S6, dport=7777) / Raw(data))
    return q4, q6


def quote_in(data, hlim=49, tc=0):
    """(IPv6, IPv4) forms of R4's datagram to client_s: as client_s (or a
    mesh router) quotes it and as R4 sent it to the pool."""
    q6 = bytes(IPv6(src=x6(R4), dst=client_s, hlim=hlim, tc=tc) /
               UDP(sport=7777, dport=S6) / Raw(data))
    # RFC 7915 5.1 applied to the inner total length: DF above 1260
    q4 = bytes(IP(src=R4, dst=plat_pool4, ttl=hlim, tos=tc, id=0,
                  flags="DF" if 28 + len(data) > 1260 else 0) /
               UDP(sport=7777, dport=S4) / Raw(data))
    return q6, q4


def err4(src4, typ, code, quote, rest=b"\0\0\0\0", ttl=64):
    return from_wan4(IP(src=src4, dst=plat_pool4, ttl=ttl, proto=1) /
                     Raw(icmp4_raw(typ, code, rest, quote)))


def err6(src6, typ, code, quote, rest=b"\0\0\0\0", hlim=64):
    return from_mesh6(IPv6(src=src6, dst=x6(R4), hlim=hlim) /
                      icmp6_msg(typ, code, rest, quote))


# --- queries (3.5.3) ---------------------------------------------------------
@case
def plat_echo_in2out():
    """an ICMPv6 echo request leaves as an ICMPv4 echo request from the
    pool (RFC 6146 3.5.3, RFC 7915 5.2: type 128 -> 8), its identifier
    chosen by the NAT (masked; in the pool range, of the client's
    parity)"""
    data = payload(56)
    inp = from_mesh6(IPv6(src=client_a, dst=x6(R4), hlim=64) /
                     ICMPv6EchoRequest(id=0x1234, seq=1, data=data))
    fp = FreePort(parity=0x1234)
    # what changed: IPv4 header from the pool, type 128 -> 8, identifier
    # 0x1234 -> a pool identifier, checksum without pseudo header
    exp = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                  ICMP(type=8, id=fp.placeholder(), seq=1) / Raw(data),
                  free_sport=fp)
    return Case(inp={P_MESH: [inp]}, out={P_WAN: [exp]}, config=CFG,
                counters={"nat64_in2out": 1})


@case
def plat_echo_id_mapping():
    """one identifier, one mapping for every destination (3.5.3 with the
    ICMP BIB, as EIM for ports); a second identifier gets another one"""
    ins, exps = [], []
    # the first two share their identifier, the third differs from it
    for dst, ident, same, unique in ((R4, 0x1234, "x", "bib"),
                                     (remote4b, 0x1234, "x", None),
                                     (R4, 0x1235, None, "bib")):
        ins.append(from_mesh6(IPv6(src=client_a, dst=x6(dst), hlim=64) /
                              ICMPv6EchoRequest(id=ident, seq=2,
                                                data=payload(8))))
        fp = FreePort(parity=ident, same=same, unique=unique, block="a")
        exps.append(to_wan4(IP(src=plat_pool4, dst=dst, ttl=63, flags=0) /
                            ICMP(type=8, id=fp.placeholder(), seq=2) /
                            Raw(payload(8)), free_sport=fp))
    return Case(inp={P_MESH: ins}, out={P_WAN: exps}, config=CFG,
                counters={"nat64_in2out": 3})


@case
def plat_echo_static_reply():
    """client_s pings R4 with identifier 0x0707 (its static ICMP entry):
    out with identifier 9007; R4's echo reply to 9007 reaches client_s
    as an ICMPv6 echo reply with 0x0707 (3.5.3, RFC 7915 4.2: 0 -> 129)"""
    data = payload(32, 1)
    req = from_mesh6(IPv6(src=client_s, dst=x6(R4), hlim=64) /
                     ICMPv6EchoRequest(id=I6, seq=9, data=data))
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    ICMP(type=0, id=I4, seq=9) / Raw(data))
    # what changed: identifier 0x0707 <-> 9007, addresses as for UDP
    return Case(inp={P_MESH: [req], P_WAN: [rep]},
                out={P_WAN: [to_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                        flags=0) /
                                     ICMP(type=8, id=I4, seq=9) /
                                     Raw(data))],
                     P_MESH: [to_mesh6(IPv6(src=x6(R4), dst=client_s,
                                            hlim=49) /
                                       ICMPv6EchoReply(id=I6, seq=9,
                                                       data=data))]},
                config=CFG, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1})


@case
def plat_echo_static_in():
    """an IPv4 host pings 10.23.0.9 with the identifier of client_s's
    static entry: with endpoint-independent filtering the request
    reaches client_s (3.5.3), which may answer"""
    data = payload(24, 2)
    inp = from_wan4(IP(src=remote4b, dst=plat_pool4, ttl=50) /
                    ICMP(type=8, id=I4, seq=3) / Raw(data))
    return Case(inp={P_WAN: [inp]},
                out={P_MESH: [to_mesh6(IPv6(src=x6(remote4b), dst=client_s,
                                            hlim=49) /
                                       ICMPv6EchoRequest(id=I6, seq=3,
                                                         data=data))]},
                config=CFG, counters={"nat64_out2in": 1})


@case
def plat_echo_no_bib():
    """an echo request or reply to the pool with an identifier nobody
    holds is dropped (3.5.3: no BIB entry, "the packet is discarded")"""
    a = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                  ICMP(type=8, id=9999, seq=1) / Raw(payload(8)))
    b = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                  ICMP(type=0, id=9998, seq=1) / Raw(payload(8)))
    return Case(inp={P_WAN: [a, b]}, out={}, config=CFG,
                drops={"nat64_no_bib": 2},
                counters={"nat64_out2in": 0, "icmp_error": 0})


# --- ICMPv4 errors about client packets (3.5.4, RFC 7915 4.2/4.3) ------------
def about_out(t4, c4, t6, c6, src4=rtr4, ttl=64, qttl=1, size=20, cut=None,
              rest4=b"\0\0\0\0", rest6=b"\0\0\0\0"):
    """client_s sends a datagram to R4; IPv4 host src4 answers with the
    ICMPv4 error t4/c4 quoting it (the first 'cut' bytes); client_s must
    get the ICMPv6 error t6/c6 from src4's PLAT address, quoting its own
    datagram: 10.23.0.9:9053 -> client_s:5353, R4 -> 64:ff9b::R4, inner
    hop limit = the quoted TTL, UDP checksum over the IPv6 pseudo
    header; outer TTL -> hop limit - 1 (RFC 7915 4.2, 4.3)."""
    data = payload(size, t4 + c4)
    req, out = s_request(data)
    q4, q6 = quote_out(data, ttl=qttl)
    if cut is not None:
        q4, q6 = q4[:cut], q6[:cut + 20]
    inp = err4(src4, t4, c4, q4, rest=rest4, ttl=ttl)
    exp = to_mesh6(IPv6(src=x6(src4), dst=client_s, hlim=ttl - 1) /
                   icmp6_msg(t6, c6, rest6, q6))
    return Case(inp={P_MESH: [req], P_WAN: [inp]},
                out={P_WAN: [out], P_MESH: [exp]}, config=CFG,
                counters={"nat64_in2out": 1, "nat64_out2in": 1})


@case
def plat_icmp4_time_exceeded():
    """an IPv4 router's time exceeded about client_s's datagram (10.23.0.9:
    9053 -> R4) reaches client_s as ICMPv6 time exceeded from the
    router's PLAT address, quoting client_s:5353 -> 64:ff9b::R4, inner
    hop limit = the quoted TTL (3.5.4; RFC 7915 4.2, 4.3)"""
    return about_out(11, 0, 3, 0)


@case
def plat_icmp4_port_unreach():
    """R4's own port unreachable about client_s's datagram becomes ICMPv6
    port unreachable from 64:ff9b::R4 (RFC 7915 4.2: 3/3 -> 1/4)"""
    return about_out(3, 3, 1, 4, src4=R4, ttl=50, qttl=40)


@case
def plat_icmp4_frag_needed():
    """fragmentation needed with next-hop MTU 1400 about client_s's
    datagram becomes packet too big with MTU 1420 (RFC 7915 4.2: + 20
    for the larger IPv6 header), so the client's path MTU discovery
    works through the PLAT; the router quotes as much as fits in 576
    bytes (RFC 1812 4.3.2.3), the ICMPv6 error the same bytes in their
    IPv6 form"""
    return about_out(3, 4, 2, 0, qttl=60, size=1372, cut=548,
                     rest4=b"\0\0" + (1400).to_bytes(2, "big"),
                     rest6=u32(1420))


@case
def plat_icmp4_about_echo():
    """an IPv4 router's time exceeded about client_s's echo request
    (identifier 9007) reaches client_s quoting its ICMPv6 echo request
    with identifier 0x0707 (3.5.4 with the ICMP BIB; RFC 7915 4.3)"""
    data = payload(16, 6)
    req = from_mesh6(IPv6(src=client_s, dst=x6(R4), hlim=64) /
                     ICMPv6EchoRequest(id=I6, seq=4, data=data))
    out = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                  ICMP(type=8, id=I4, seq=4) / Raw(data))
    q4 = bytes(IP(src=plat_pool4, dst=R4, ttl=1, id=7, flags=0) /
               ICMP(type=8, id=I4, seq=4) / Raw(data))
    q6 = bytes(IPv6(src=client_s, dst=x6(R4), hlim=1) /
               ICMPv6EchoRequest(id=I6, seq=4, data=data))
    exp = to_mesh6(IPv6(src=x6(rtr4), dst=client_s, hlim=63) /
                   icmp6_msg(3, 0, b"\0\0\0\0", q6))
    return Case(inp={P_MESH: [req], P_WAN: [err4(rtr4, 11, 0, q4)]},
                out={P_WAN: [out], P_MESH: [exp]}, config=CFG,
                counters={"nat64_in2out": 1, "nat64_out2in": 1})


# --- ICMPv6 errors about IPv4 packets (3.5.4, RFC 7915 5.2/5.3) -------------
def about_in(t6, c6, t4, c4, src6=client_s, hlim=1, size=20, cut=None,
             rest6=b"\0\0\0\0", rest4=b"\0\0\0\0"):
    """client_s sent to R4 (so the session exists); src6 (client_s, or a
    mesh router) answers R4's datagram to client_s:5353 with the ICMPv6
    error t6/c6 quoting it (the first 'cut' bytes of its IPv6 form, hop
    limit 'hlim' on arrival); R4 must get the ICMPv4 error t4/c4 from
    10.23.0.9, the transport address R4 sent to (the error's tuple is
    the quoted packet's, 3.4 and 3.5.4), quoting R4:7777 ->
    10.23.0.9:9053 with TTL = the quoted hop limit and a free
    identification; outer hop limit 64 -> TTL 63 (RFC 7915 5.2, 5.3)."""
    req, out = s_request(payload(8))
    q6, q4 = quote_in(payload(size, t6 + c6), hlim=hlim)
    if cut is not None:
        q6, q4 = q6[:cut + 20], q4[:cut]
    inp = from_mesh6(IPv6(src=src6, dst=x6(R4), hlim=64) /
                     icmp6_msg(t6, c6, rest6, q6))
    exp = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0, proto=1) /
                  Raw(icmp4_raw(t4, c4, rest4, q4)), free_inner_id=True)
    return Case(inp={P_MESH: [req, inp]}, out={P_WAN: [out, exp]},
                config=CFG, counters={"nat64_in2out": 2})


@case
def plat_icmp6_port_unreach():
    """client_s refuses R4's datagram to its port 5353: R4 gets ICMP port
    unreachable from 10.23.0.9 quoting R4:7777 -> 10.23.0.9:9053 (3.5.4;
    RFC 7915 5.2: 1/4 -> 3/3)"""
    return about_in(1, 4, 3, 3, hlim=49)


@case
def plat_icmp6_from_mesh_router():
    """a mesh router's time exceeded about R4's datagram to client_s
    reaches R4 as ICMP time exceeded from 10.23.0.9, whatever the
    router's own address (3.4: the tuple is the quoted packet's)"""
    return about_in(3, 0, 11, 0, src6=mesh_rtr6)


@case
def plat_icmp6_packet_too_big():
    """client_s's mesh says R4's datagram (1400 bytes as IPv6) does not
    fit 1300: R4 gets fragmentation needed with MTU 1280 (RFC 7915 5.2:
    MTU - 20); the quote is what an ICMPv4 error carries without being
    cut again (576 bytes, RFC 1812 4.3.2.3)"""
    return about_in(2, 0, 3, 4, src6=mesh_rtr6, hlim=40, size=1352,
                    cut=548, rest6=u32(1300),
                    rest4=b"\0\0" + (1280).to_bytes(2, "big"))


# --- errors without a session ------------------------------------------------
@case
def plat_icmp4_no_session():
    """an ICMPv4 error about a flow that has no session is dropped (3.5.4:
    the session must exist; nothing is created): a pool port nobody
    holds, and client_s's static port towards a host it never talked
    to"""
    q1 = bytes(IP(src=plat_pool4, dst=R4, ttl=1) /
               UDP(sport=9999, dport=7777) / Raw(payload(8)))
    q2 = bytes(IP(src=plat_pool4, dst=remote4b, ttl=1) /
               UDP(sport=S4, dport=7777) / Raw(payload(8)))
    return Case(inp={P_WAN: [err4(rtr4, 11, 0, q1), err4(rtr4, 11, 0, q2)]},
                out={}, config=CFG, drops={"nat64_no_session": 2},
                counters={"nat64_out2in": 0, "icmp_error": 0})


@case
def plat_icmp6_no_session():
    """an ICMPv6 error about a flow that has no session is dropped, even
    from a client with a static entry (3.5.4: lookup only, nothing
    created); no error about an error (RFC 4443 2.4 e.1)"""
    q6, _ = quote_in(payload(8))
    q6b = bytes(IPv6(src=x6(R4), dst=client_a, hlim=40) /
                UDP(sport=7777, dport=40000) / Raw(payload(8)))
    a = err6(client_s, 1, 4, q6)
    b = from_mesh6(IPv6(src=client_a, dst=x6(R4), hlim=64) /
                   icmp6_msg(1, 4, b"\0\0\0\0", q6b))
    return Case(inp={P_MESH: [a, b]}, out={}, config=CFG,
                drops={"nat64_no_session": 2},
                counters={"nat64_in2out": 0, "icmp_error": 0})
