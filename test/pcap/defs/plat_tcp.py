# SPDX-License-Identifier: BSD-3-Clause
"""
PLAT (stateful NAT64, RFC 6146): TCP (section 3.5.2), in plat_config()
(see plat_basic.py): the state machine of 3.5.2.2 as seen from the wire,
the static TCP entry of client_s (8080 <-> 10.23.0.9:9080), unsolicited
IPv4 SYNs held for TCP_INCOMING_SYN and what becomes of them.

Order: a worker handles the frames of port 0 (mesh) before those of
port 1 (wan) in each turn. Cases whose story starts on the IPv4 side run
with workers.burst = 1, one frame per port per turn, mesh first; where
an IPv4 frame must come before a mesh frame, the mesh frame of that turn
is an echo to the PLAT's own address (mgmt_echo), answered on the mesh.

Timeouts run on --nat64-clock-speed: 100 makes TCP_INCOMING_SYN (6 s)
last 60 ms (a lifetime ends within one second of NAT64 time after it
is due: at most 70 ms), well inside the 1 s the daemon then idles.
"""

from mxpcap import *  # noqa: F401,F403

CFG = plat_config()
CFG1 = plat_config(burst=1)
R4 = remote4
T6, T4 = S_TCP[1], S_TCP[2]             # client_s's TCP entry: 8080, 9080
OPTS = [("MSS", 1440), ("SAckOK", b""), ("Timestamp", (1234567, 0)),
        ("NOP", None), ("WScale", 7)]
FAST = ["--nat64-clock-speed", "100"]


def v6tcp(src, sport, dport, flags, seq=1000, ack=0, data=b"", hlim=64,
          options=None, dst4=R4):
    return from_mesh6(IPv6(src=src, dst=x6(dst4), hlim=hlim) /
                      TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                          ack=ack, window=64800, options=options or []) /
                      Raw(data))


def v4tcp(sport, dport, flags, seq=5000, ack=0, data=b"", ttl=50,
          options=None, src4=R4):
    return from_wan4(IP(src=src4, dst=plat_pool4, ttl=ttl, id=0x77) /
                     TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                         ack=ack, window=29200, options=options or []) /
                     Raw(data))


def out4(sport, dport, flags, seq=1000, ack=0, data=b"", ttl=63,
         options=None, free=None, dst4=R4):
    """A client's segment as it leaves: from the pool, TTL = hop limit - 1,
    everything of TCP but the source port (and checksum) untouched."""
    if free is not None:
        sport = free.placeholder()
    return to_wan4(IP(src=plat_pool4, dst=dst4, ttl=ttl, flags=0) /
                   TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                       ack=ack, window=64800, options=options or []) /
                   Raw(data), free_sport=free)


def out6(dst6, sport, dport, flags, seq=5000, ack=0, data=b"", hlim=49,
         options=None, src4=R4):
    """An IPv4 host's segment as it reaches the client: from the PLAT form
    of its address, hop limit = TTL - 1, the destination port the
    client's."""
    return to_mesh6(IPv6(src=x6(src4), dst=dst6, hlim=hlim) /
                    TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                        ack=ack, window=29200, options=options or []) /
                    Raw(data))


# --- opened from the IPv6 side (3.5.2.1) -------------------------------------
@case
def plat_tcp_syn_in2out():
    """a client's SYN leaves from the pool (3.5.2.1: a new BIB entry and
    session, V6 INIT): src 10.23.0.9 and a port in 9000-10000 of the
    client's parity; sequence numbers, window and options untouched"""
    inp = v6tcp(client_a, 51000, 443, "S", options=OPTS)
    # what changed: IPv6 -> IPv4 from the pool, sport 51000 -> a pool
    # port (masked, checked), hop limit 64 -> TTL 63, TCP checksum
    exp = out4(None, 443, "S", options=OPTS, free=FreePort(parity=51000))
    return Case(inp={P_MESH: [inp]}, out={P_WAN: [exp]}, config=CFG,
                counters={"nat64_in2out": 1})


@case
def plat_tcp_handshake_from_v6():
    """client_s opens to R4 from its static port: SYN out (V6 INIT), R4's
    SYN+ACK back (V4 SYN: ESTABLISHED), the client's ACK and data out
    (3.5.2.2)"""
    syn = v6tcp(client_s, T6, 443, "S", seq=100, options=OPTS)
    synack = v4tcp(443, T4, "SA", seq=7000, ack=101)
    ack = v6tcp(client_s, T6, 443, "A", seq=101, ack=7001)
    data = v6tcp(client_s, T6, 443, "PA", seq=101, ack=7001,
                 data=payload(100))
    # burst 1: turn 1 SYN then SYN+ACK, turn 2 ACK, turn 3 data
    return Case(inp={P_MESH: [syn, ack, data], P_WAN: [synack]},
                out={P_WAN: [out4(T4, 443, "S", seq=100, options=OPTS),
                             out4(T4, 443, "A", seq=101, ack=7001),
                             out4(T4, 443, "PA", seq=101, ack=7001,
                                  data=payload(100))],
                     P_MESH: [out6(client_s, 443, T6, "SA", seq=7000,
                                   ack=101)]},
                config=CFG1, counters={"nat64_in2out": 3,
                                       "nat64_out2in": 1})


@case
def plat_tcp_v6_not_syn():
    """a client's segment other than a SYN, with no BIB entry, is dropped
    (3.5.2.2, CLOSED state: only a SYN opens; nothing else without a
    BIB entry is translated); no session is made"""
    a = v6tcp(client_a, 51000, 443, "A", seq=1, ack=1)
    b = v6tcp(client_a, 51001, 443, "F", seq=1, ack=1)
    return Case(inp={P_MESH: [a, b]}, out={}, config=CFG,
                drops={"nat64_no_bib": 2},
                counters={"nat64_in2out": 0, "icmp_error": 0})


# --- opened from the IPv4 side (3.5.2.2) -------------------------------------
@case
def plat_tcp_v4_syn_static():
    """an IPv4 SYN to client_s's static port (a server behind the PLAT)
    reaches client_s at port 8080 (3.5.2.2, CLOSED: V4 SYN with a BIB
    entry and endpoint-independent filtering -> V4 INIT)"""
    syn = v4tcp(33000, T4, "S", options=OPTS)
    # what changed: src R4 -> 64:ff9b::R4, dst 10.23.0.9:9080 ->
    # client_s:8080, TTL 50 -> hop limit 49, TCP checksum
    return Case(inp={P_WAN: [syn]},
                out={P_MESH: [out6(client_s, 33000, T6, "S",
                                   options=OPTS)]},
                config=CFG, counters={"nat64_out2in": 1, "nat64_held": 0})


@case
def plat_tcp_handshake_from_v4():
    """a whole handshake opened from the IPv4 side to client_s's static
    entry: SYN in (V4 INIT), client_s's SYN+ACK out (ESTABLISHED, from
    10.23.0.9:9080), R4's ACK in"""
    req1, rep1 = mgmt_echo(1)
    syn = v4tcp(33000, T4, "S", seq=5000)
    synack = v6tcp(client_s, T6, 33000, "SA", seq=900, ack=5001)
    ack = v4tcp(33000, T4, "A", seq=5001, ack=901)
    # burst 1: turn 1 echo then SYN, turn 2 SYN+ACK then ACK
    return Case(inp={P_MESH: [req1, synack], P_WAN: [syn, ack]},
                out={P_MESH: [rep1,
                              out6(client_s, 33000, T6, "S", seq=5000),
                              out6(client_s, 33000, T6, "A", seq=5001,
                                   ack=901)],
                     P_WAN: [out4(T4, 33000, "SA", seq=900, ack=5001)]},
                config=CFG1, counters={"nat64_in2out": 1,
                                       "nat64_out2in": 2, "echo_reply": 1})


@case
def plat_tcp_v4_not_syn_static():
    """an IPv4 segment other than a SYN to client_s's static entry, with
    no session, is translated through the BIB entry (3.5.2.2, CLOSED:
    "If there is a corresponding entry in the TCP BIB, other packets
    SHOULD be translated and forwarded")"""
    ack = v4tcp(33000, T4, "A", seq=5001, ack=901, data=payload(10))
    return Case(inp={P_WAN: [ack]},
                out={P_MESH: [out6(client_s, 33000, T6, "A", seq=5001,
                                   ack=901, data=payload(10))]},
                config=CFG, counters={"nat64_out2in": 1})


@case
def plat_tcp_v4_not_syn_no_bib():
    """an IPv4 segment other than a SYN to a pool port nobody holds is
    dropped, and not held (only SYNs are, 3.5.2.2)"""
    a = v4tcp(33000, 9600, "A", seq=1, ack=1)
    b = v4tcp(33000, 9601, "R", seq=1)
    return Case(inp={P_WAN: [a, b]}, out={}, config=CFG,
                drops={"nat64_no_bib": 2},
                counters={"nat64_held": 0, "icmp_error": 0})


# --- unsolicited IPv4 SYNs: held (3.5.2.2) -----------------------------------
@case
def plat_tcp_syn_held_timeout():
    """an unsolicited IPv4 SYN (no BIB entry) is held for TCP_INCOMING_SYN
    (6 s, here on a clock 100 times faster) and, no IPv6 SYN having
    come, answered with ICMP port unreachable containing it (3.5.2.2:
    "Otherwise, the NAT64 MUST send an ICMP Port Unreachable error
    (Type 3, Code 3) containing the stored packet")"""
    syn = v4tcp(33001, 9600, "S", options=OPTS)
    # the error comes from the wan port's address, to the sender's MAC,
    # quoting the SYN as it arrived
    return Case(inp={P_WAN: [syn]},
                out={P_WAN: [icmp4_error(syn, 3, 3, plat_wan_ip4,
                                         wan_mac)]},
                config=CFG, args=FAST, idle_exit=1000,
                drops={"nat64_syn_timeout": 1},
                counters={"nat64_held": 1, "nat64_out2in": 0,
                          "icmp_error": 1})


@case
def plat_tcp_syn_held_no_answer_yet():
    """while TCP_INCOMING_SYN runs (6 s on a real clock) the held SYN is
    neither translated nor answered"""
    syn = v4tcp(33001, 9600, "S")
    return Case(inp={P_WAN: [syn]}, out={}, config=CFG,
                drops={"nat64_syn_timeout": 0},
                counters={"nat64_held": 1, "nat64_out2in": 0,
                          "icmp_error": 0})


@case
def plat_tcp_adf_syn_held():
    """with address-dependent filtering, an IPv4 SYN to client_s's static
    entry from a host it has no session with is held like an
    unsolicited one (3.5.2.2: the filtered SYN is stored), then answered
    with port unreachable, not with the 3/13 of a filtered datagram"""
    cfg = plat_config(address_dependent_filtering=True)
    syn = v4tcp(33006, T4, "S", seq=5000)
    return Case(inp={P_WAN: [syn]},
                out={P_WAN: [icmp4_error(syn, 3, 3, plat_wan_ip4,
                                         wan_mac)]},
                config=cfg, args=FAST, idle_exit=1000,
                drops={"nat64_syn_timeout": 1},
                counters={"nat64_held": 1, "nat64_out2in": 0})


@case
def plat_tcp_simultaneous_open():
    """simultaneous open (3.5.2.2): an IPv4 SYN to 10.23.0.9:9600 is held;
    the client then sends its SYN from port 9600 to the same remote,
    which gets the BIB entry 10.23.0.9:9600 (the port is kept): the IPv6
    SYN is translated and the held SYN discarded ("If during this
    interval the NAT64 receives and translates an outgoing SYN for the
    connection, the stored packet MUST be discarded")"""
    req1, rep1 = mgmt_echo(1)
    syn4 = v4tcp(33002, 9600, "S", seq=5000)
    syn6 = v6tcp(client_a, 9600, 33002, "S", seq=100)
    # burst 1: turn 1 echo then the IPv4 SYN (held), turn 2 the IPv6 SYN
    return Case(inp={P_MESH: [req1, syn6], P_WAN: [syn4]},
                out={P_MESH: [rep1],
                     P_WAN: [out4(9600, 33002, "S", seq=100)]},
                config=CFG1, drops={"nat64_syn_released": 1},
                counters={"nat64_held": 1, "nat64_in2out": 1,
                          "nat64_out2in": 0, "echo_reply": 1,
                          "icmp_error": 0})


@case
def plat_tcp_held_other_remote():
    """the held SYN is bound to its remote: a client SYN from port 9600 to
    another host takes the port but does not release it, which then
    runs out and is answered with port unreachable (3.5.2.2)"""
    req1, rep1 = mgmt_echo(1)
    syn4 = v4tcp(33003, 9600, "S", seq=5000)
    syn6 = v6tcp(client_a, 9600, 33003, "S", seq=100, dst4=remote4b)
    return Case(inp={P_MESH: [req1, syn6], P_WAN: [syn4]},
                out={P_MESH: [rep1],
                     P_WAN: [out4(9600, 33003, "S", seq=100, dst4=remote4b),
                             icmp4_error(syn4, 3, 3, plat_wan_ip4,
                                         wan_mac)]},
                config=CFG1, args=FAST, idle_exit=1000,
                drops={"nat64_syn_timeout": 1},
                counters={"nat64_held": 1, "nat64_in2out": 1,
                          "echo_reply": 1})


@case
def plat_tcp_hold_full():
    """held SYNs are bounded (max_held_syns, here 1): a second unsolicited
    SYN is refused at once with port unreachable (the answer 3.5.2.2
    gives a SYN that is not kept); the first one's retransmission (same
    tuple) is dropped, it is held already"""
    cfg = plat_config(max_held_syns=1)
    a = v4tcp(33004, 9600, "S", seq=5000)
    b = v4tcp(33005, 9601, "S", seq=6000)
    a2 = v4tcp(33004, 9600, "S", seq=5000)
    return Case(inp={P_WAN: [a, b, a2]},
                out={P_WAN: [icmp4_error(b, 3, 3, plat_wan_ip4, wan_mac)]},
                config=cfg, drops={"nat64_hold_full": 1,
                                   "nat64_hold_dup": 1},
                counters={"nat64_held": 1, "icmp_error": 1})
