# SPDX-License-Identifier: BSD-3-Clause
"""
PLAT (stateful NAT64, RFC 6146): running out of ports and sessions, and
lifetimes, in plat_config() (see plat_basic.py) with small pools.

Exhaustion: a pool of 10.23.0.9 ports 9000-9015 (or 9000-9007) cut in
blocks of 4 ports; with max_blocks_per_client left at 0 a client may hold
a quarter of the blocks, at least one (doc/nat64.md, "Port blocks"). The
clients use source ports inside the pool, which the PLAT keeps when free,
so every mapping is known. A refused IPv6 packet gets ICMPv6 destination
unreachable code 3 (RFC 6146 3.5.1.1 and 3.5.2.1: "If it is not possible
to allocate an appropriate IPv4 transport address or create a BIB entry
... The NAT64 SHOULD send an ICMPv6 Destination Unreachable error message
with Code 3 (Address Unreachable)") from the mesh port's address, quoting
the packet as it arrived; ICMP queries are refused silently (3.5.3 asks
for no error).

Lifetimes: a case runs the daemon twice (Case.then) with plat.snapshot
in the case directory, so sessions cross the restart. In the first run
--nat64-clock-speed 1000 turns the 400 ms the daemon idles before it
exits into 400 s of NAT64 time: a UDP session (120 s) or an ICMP one
(60 s) made by the first run's packet is gone when the second run gets
the answer; the same two runs with a clock 100 times faster (40 s) show
the answer passing.
"""

from mxpcap import *  # noqa: F401,F403

R4, R4B = remote4, remote4b
client_c = cb6("192.168.1.77")          # a third client


def small(ports, **plat):
    """A pool of 10.23.0.9 'ports' in blocks of 4, no static entries."""
    return plat_config(pool4=[{"prefix": plat_pool4 + "/32",
                               "ports": ports}],
                       block_size=4, static_bib=None, **plat)


def udp(src, sport, dst4=R4, dport=7777, seed=0):
    return from_mesh6(IPv6(src=src, dst=x6(dst4), hlim=64) /
                      UDP(sport=sport, dport=dport) /
                      Raw(payload(12, seed)))


def udp_out(sport, dst4=R4, dport=7777, seed=0):
    """udp() as it leaves: from 10.23.0.9 and the same port."""
    return to_wan4(IP(src=plat_pool4, dst=dst4, ttl=63, flags=0) /
                   UDP(sport=sport, dport=dport) / Raw(payload(12, seed)))


def refused(frame):
    """RFC 6146 3.5.1.1's address unreachable for 'frame'."""
    return icmp6_error(frame, ICMPv6DestUnreach, 3, mesh_ip6, mesh_mac)


# --- exhaustion --------------------------------------------------------------
@case
def plat_limit_client_blocks():
    """a client whose block is full and who may hold no more blocks is
    refused with ICMPv6 address unreachable (3.5.1.1) while another
    client still gets a block (RFC 6888 REQ-4: no client starves the
    others)"""
    cfg = small("9000-9015")
    a = [udp(client_a, 9000 + i, seed=i) for i in range(5)]
    b = udp(client_b, 9004, seed=9)
    # client_a's ports 9000-9003 fill its block; 9004 is in a block it
    # may not have; client_b gets that block and keeps its port 9004
    return Case(inp={P_MESH: a + [b]},
                out={P_WAN: [udp_out(9000 + i, seed=i) for i in range(4)] +
                     [udp_out(9004, seed=9)],
                     P_MESH: [refused(a[4])]},
                config=cfg, drops={"nat64_client_blocks": 1},
                counters={"nat64_in2out": 5, "icmp_error": 1})


@case
def plat_limit_client_sessions():
    """a client at max_sessions_per_client (here 2) is refused a third
    session, even through its existing BIB entry (RFC 6888 REQ-4,
    3.5.1.1); another client is still served"""
    cfg = small("9000-9015", max_sessions_per_client=2)
    a = [udp(client_a, 9000, dst4=d, seed=i)
         for i, d in enumerate((R4, R4B, "198.51.100.99"))]
    b = udp(client_b, 9004, seed=5)
    return Case(inp={P_MESH: a + [b]},
                out={P_WAN: [udp_out(9000, dst4=R4, seed=0),
                             udp_out(9000, dst4=R4B, seed=1),
                             udp_out(9004, seed=5)],
                     P_MESH: [refused(a[2])]},
                config=cfg, drops={"nat64_client_sessions": 1},
                counters={"nat64_in2out": 3, "icmp_error": 1})


def third_refused(cfg, reason, send, sent, c_port=9001, answered=True):
    """client_a (port 9000) and client_b (port 9004) get through, client_c
    (port c_port) is refused for 'reason', with address unreachable if
    'answered'. send(src, port, seed) makes a client's packet, sent(port,
    seed) its IPv4 form."""
    c = send(client_c, c_port, 3)
    out = {P_WAN: [sent(9000, 1), sent(9004, 2)]}
    if answered:
        out[P_MESH] = [refused(c)]
    return Case(inp={P_MESH: [send(client_a, 9000, 1),
                              send(client_b, 9004, 2), c]},
                out=out, config=cfg, drops={reason: 1},
                counters={"nat64_in2out": 2, "icmp_error": int(answered)})


def syn(src, sport, seed):
    return from_mesh6(IPv6(src=src, dst=x6(R4), hlim=64) /
                      TCP(sport=sport, dport=443, flags="S", seq=seed))


def syn_out(sport, seed):
    return to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                   TCP(sport=sport, dport=443, flags="S", seq=seed))


def echo(src, ident, seed):
    return from_mesh6(IPv6(src=src, dst=x6(R4), hlim=64) /
                      ICMPv6EchoRequest(id=ident, seq=seed,
                                        data=payload(8, seed)))


def echo_out(ident, seed):
    return to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                   ICMP(type=8, id=ident, seq=seed) / Raw(payload(8, seed)))


@case
def plat_limit_pool_exhausted():
    """two blocks, two clients holding one each: a third client finds no
    free block on the address and is refused with address unreachable
    (3.5.1.1, nat64_pool_exhausted)"""
    return third_refused(small("9000-9007"), "nat64_pool_exhausted",
                         lambda s, p, n: udp(s, p, seed=n),
                         lambda p, n: udp_out(p, seed=n))


@case
def plat_limit_tcp_exhausted():
    """the same for a TCP SYN (3.5.2.1: address unreachable SHOULD be
    sent); TCP has blocks of its own, so the two clients hold TCP
    blocks here"""
    return third_refused(small("9000-9007"), "nat64_pool_exhausted", syn,
                         syn_out)


@case
def plat_limit_icmp_silent():
    """an echo request that gets no identifier is dropped without an
    ICMPv6 error: 3.5.3, unlike 3.5.1.1 and 3.5.2.1, only says "the
    packet is discarded\""""
    return third_refused(small("9000-9007"), "nat64_pool_exhausted", echo,
                         echo_out, answered=False)


@case
def plat_limit_max_sessions():
    """when the box holds max_sessions (here 2) sessions, a new one is
    refused with address unreachable whoever asks and whatever block
    is free (3.5.1.1, nat64_max_sessions)"""
    return third_refused(small("9000-9015", max_sessions=2,
                               max_sessions_per_client=2),
                         "nat64_max_sessions",
                         lambda s, p, n: udp(s, p, seed=n),
                         lambda p, n: udp_out(p, seed=n), c_port=9008)


# --- lifetimes (RFC 6146 section 4), across a restart ------------------------
SNAP = plat_config(snapshot="@CASEDIR@/plat.snap",
                   timeouts={"udp": 120, "icmp": 60})
FAST = ["--nat64-clock-speed", "1000"]


def udp_reply(dport=9500):
    return from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                     UDP(sport=7777, dport=dport) / Raw(payload(9, 4)))


@case
def plat_udp_expired():
    """a UDP session whose lifetime (UDP_MIN, 120 s) ran out is gone (RFC
    6146 3.5.1 and 4): client_a's datagram from port 9500 leaves as
    10.23.0.9:9500; after 400 s of NAT64 time, and a restart, R4's
    answer to 10.23.0.9:9500 finds no BIB entry and is dropped"""
    a = udp(client_a, 9500)
    return Case(inp={P_MESH: [a]}, out={P_WAN: [udp_out(9500)]},
                config=SNAP, args=FAST, idle_exit=400,
                counters={"nat64_in2out": 1},
                then=Case(inp={P_WAN: [udp_reply()]}, out={}, config=SNAP,
                          drops={"nat64_no_bib": 1},
                          counters={"nat64_out2in": 0}))


@case
def plat_udp_kept_over_restart():
    """the counterpart of plat_udp_expired on a clock 10 times slower (the
    same 400 ms are 40 s of NAT64 time, less than UDP_MIN): the session
    lives on through the restart (plat.snapshot) and R4's answer reaches
    client_a:9500"""
    a = udp(client_a, 9500)
    rep = udp_reply()
    # what changed in the answer: src R4 -> 64:ff9b::R4, dst
    # 10.23.0.9:9500 -> client_a:9500, TTL 50 -> hop limit 49
    exp = to_mesh6(IPv6(src=x6(R4), dst=client_a, hlim=49) /
                   UDP(sport=7777, dport=9500) / Raw(payload(9, 4)))
    return Case(inp={P_MESH: [a]}, out={P_WAN: [udp_out(9500)]},
                config=SNAP, args=["--nat64-clock-speed", "100"],
                idle_exit=400, counters={"nat64_in2out": 1},
                then=Case(inp={P_WAN: [rep]}, out={P_MESH: [exp]},
                          config=SNAP, counters={"nat64_out2in": 1}))


@case
def plat_icmp_expired():
    """an ICMP query session lives ICMP_DEFAULT (60 s) at least and then
    goes (3.5.3, 4): the echo reply to client_a's identifier 9500,
    400 s of NAT64 time later, finds no BIB entry"""
    req = from_mesh6(IPv6(src=client_a, dst=x6(R4), hlim=64) /
                     ICMPv6EchoRequest(id=9500, seq=1, data=payload(8)))
    out = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                  ICMP(type=8, id=9500, seq=1) / Raw(payload(8)))
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    ICMP(type=0, id=9500, seq=1) / Raw(payload(8)))
    return Case(inp={P_MESH: [req]}, out={P_WAN: [out]},
                config=SNAP, args=FAST, idle_exit=400,
                counters={"nat64_in2out": 1},
                then=Case(inp={P_WAN: [rep]}, out={}, config=SNAP,
                          drops={"nat64_no_bib": 1}))


@case
def plat_tcp_trans_expired():
    """a TCP session that never got past V6 INIT lives TCP_TRANS (240 s)
    and then closes (3.5.2.2): 400 s of NAT64 time after client_a's SYN
    from port 9500, R4's ACK to 10.23.0.9:9500 finds no BIB entry"""
    syn = from_mesh6(IPv6(src=client_a, dst=x6(R4), hlim=64) /
                     TCP(sport=9500, dport=443, flags="S", seq=1))
    out = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                  TCP(sport=9500, dport=443, flags="S", seq=1))
    ack = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    TCP(sport=443, dport=9500, flags="A", seq=7, ack=2))
    return Case(inp={P_MESH: [syn]}, out={P_WAN: [out]},
                config=SNAP, args=FAST, idle_exit=400,
                counters={"nat64_in2out": 1},
                then=Case(inp={P_WAN: [ack]}, out={}, config=SNAP,
                          drops={"nat64_no_bib": 1}))
