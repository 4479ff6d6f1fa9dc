# SPDX-License-Identifier: BSD-3-Clause
"""
Connection state in the firewall: replies to what the LAN opened come in
as ESTABLISHED, ICMPv6 errors about a tracked flow as RELATED, although
no rule lets them in (default_inbound drop). A reply is only a reply
after its request went through the box, so these cases give their input
as one sequence across both ports ('seq', mxpcap.sequence: one worker,
bursts of one packet, fillers where a port must wait its turn).
"""

from mxpcap import *  # noqa: F401,F403

# An allow-list without the ICMPv6 error types: what lets an error in
# here can only be its state (seed 004's list has all four error types,
# which accept any error, tracked or not, as ip6tables would).
NO_ERRORS = ["echo-request", "neighbour-solicitation",
             "neighbour-advertisement"]
# OpenWrt's "drop invalid", in front of the seed's rules.
DROP_INVALID = "-A forwarding_rule -m state --state INVALID -j DROP"

L_PORT, R_PORT = 40001, 443


def lan_tcp(flags, seq, ack=0, data=b"", sport=L_PORT, dport=R_PORT,
            dst=fw_outside):
    return from_lan(IPv6(src=fw_laptop, dst=dst, hlim=64) /
                    TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                        ack=ack, window=65000) / Raw(data), fw_laptop_mac)


def wan_tcp(flags, seq, ack=0, data=b"", sport=R_PORT, dport=L_PORT,
            src=fw_outside):
    return from_wan(IPv6(src=src, dst=fw_laptop, hlim=55) /
                    TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                        ack=ack, window=65000) / Raw(data))


@case
def fw_est_tcp_handshake():
    """the laptop connects out: SYN out, the SYN+ACK comes in as
    ESTABLISHED, the ACK goes out, the server's data comes in"""
    s = lan_tcp("S", 100)
    sa = wan_tcp("SA", 9000, 101)
    a = lan_tcp("A", 101, 9001)
    d = wan_tcp("PA", 9001, 101, payload(300, 1))
    return fw_case(seq=[(FW_LAN, s), (FW_WAN, sa), (FW_LAN, a), (FW_WAN, d)],
                   out={FW_WAN: [to_wan(s), to_wan(a)],
                        FW_LAN: [to_lan(sa, fw_laptop_mac),
                                 to_lan(d, fw_laptop_mac)]},
                   counters={"fw_accepted": 4, "fwd6": 4})


@case
def fw_est_reply_first():
    """the same SYN+ACK arriving before the laptop's SYN is no reply:
    dropped (INVALID, no rule); the SYN then goes out"""
    s = lan_tcp("S", 100)
    sa = wan_tcp("SA", 9000, 101)
    return fw_case(seq=[(FW_WAN, sa), (FW_LAN, s)],
                   out={FW_WAN: [to_wan(s)]}, drops={"fw_drop": 1},
                   counters={"fw_accepted": 1, "fwd6": 1})


@case
def fw_est_other_remote_port():
    """after the laptop's SYN to outside:443, a SYN+ACK from outside:444
    to the same laptop port belongs to no connection: dropped"""
    s = lan_tcp("S", 100)
    sa = wan_tcp("SA", 9000, 101, sport=444)
    return fw_case(seq=[(FW_LAN, s), (FW_WAN, sa)],
                   out={FW_WAN: [to_wan(s)]}, drops={"fw_drop": 1},
                   counters={"fw_accepted": 1})


@case
def fw_est_other_remote_host():
    """... and one from another Internet host: dropped"""
    s = lan_tcp("S", 100)
    sa = wan_tcp("SA", 9000, 101, src=fw_outside2)
    return fw_case(seq=[(FW_LAN, s), (FW_WAN, sa)],
                   out={FW_WAN: [to_wan(s)]}, drops={"fw_drop": 1},
                   counters={"fw_accepted": 1})


def lan_udp(sport=53001, dport=53, dst=fw_outside, data=None):
    return from_lan(IPv6(src=fw_laptop, dst=dst, hlim=64) /
                    UDP(sport=sport, dport=dport) /
                    Raw(payload(30) if data is None else data),
                    fw_laptop_mac)


def wan_udp(sport=53, dport=53001, src=fw_outside, data=None):
    return from_wan(IPv6(src=src, dst=fw_laptop, hlim=55) /
                    UDP(sport=sport, dport=dport) /
                    Raw(payload(80, 3) if data is None else data))


@case
def fw_est_udp_reply():
    """a DNS query out, its answer in (ESTABLISHED); an unrelated datagram
    from the same server to the same laptop port but from port 5353 is
    dropped"""
    q = lan_udp()
    r = wan_udp()
    x = wan_udp(sport=5353)
    return fw_case(seq=[(FW_LAN, q), (FW_WAN, r), (FW_WAN, x)],
                   out={FW_WAN: [to_wan(q)], FW_LAN: [to_lan(r,
                                                           fw_laptop_mac)]},
                   drops={"fw_drop": 1},
                   counters={"fw_accepted": 2, "fwd6": 2})


@case
def fw_est_inbound_server_reply():
    """a connection the seed's rule let in: the server's SYN+ACK goes out
    and the client's next segment comes in as ESTABLISHED (no rule for
    either: the LAN's way out is not even needed for the reply)"""
    cfg = fw_config(rules=[SEED_RULE])
    s = from_wan(IPv6(src=fw_outside, dst=fw_server_a, hlim=57) /
                 TCP(sport=51500, dport=443, flags="S", seq=5))
    sa = from_lan(IPv6(src=fw_server_a, dst=fw_outside, hlim=64) /
                  TCP(sport=443, dport=51500, flags="SA", seq=70, ack=6),
                  fw_server_mac)
    a = from_wan(IPv6(src=fw_outside, dst=fw_server_a, hlim=57) /
                 TCP(sport=51500, dport=443, flags="A", seq=6, ack=71))
    # the laptop may not go out in this config: dropped
    lap = lan_tcp("S", 100)
    return fw_case(config=cfg,
                   seq=[(FW_WAN, s), (FW_LAN, sa), (FW_WAN, a),
                        (FW_LAN, lap)],
                   out={FW_LAN: [to_lan(s, fw_server_mac),
                                 to_lan(a, fw_server_mac)],
                        FW_WAN: [to_wan(sa)]},
                   drops={"fw_drop": 1},
                   counters={"fw_accepted": 3, "fwd6": 3})


def err_about(inner_frame, cls=ICMPv6DestUnreach, code=1, src=fw_router,
              **kw):
    """An ICMPv6 error from a router on the way, quoting the packet as
    the laptop sent it (the box decremented the hop limit: 63)."""
    q = inner_frame[IPv6].copy()
    q.hlim -= 1
    return from_wan(IPv6(src=src, dst=q.src, hlim=60) / cls(code=code, **kw)
                    / Raw(bytes(q)))


@case
def fw_related_unreach():
    """destination unreachable (code 3, address) about the laptop's
    connection: RELATED, let in although the allow-list has no error
    types and no rule matches"""
    s = lan_tcp("S", 100)
    e = err_about(s, code=3)
    return fw_case(config=fw_config(icmpv6_allow=NO_ERRORS),
                   seq=[(FW_LAN, s), (FW_WAN, e)],
                   out={FW_WAN: [to_wan(s)],
                        FW_LAN: [to_lan(e, fw_laptop_mac)]},
                   counters={"fw_accepted": 2, "fwd6": 2})


@case
def fw_related_too_big():
    """packet too big (RFC 8201 path MTU discovery) about the laptop's
    UDP flow: RELATED"""
    q = lan_udp(data=payload(1400))
    e = err_about(q, cls=ICMPv6PacketTooBig, code=0, mtu=1280)
    # RFC 4443 section 2.4 (c): the router quotes what fits in 1280
    e[Raw].load = e[Raw].load[:1280 - 48]
    return fw_case(config=fw_config(icmpv6_allow=NO_ERRORS),
                   seq=[(FW_LAN, q), (FW_WAN, e)],
                   out={FW_WAN: [to_wan(q)],
                        FW_LAN: [to_lan(e, fw_laptop_mac)]},
                   counters={"fw_accepted": 2, "fwd6": 2})


@case
def fw_related_unknown_flow():
    """the same error about a connection the laptop never opened (another
    source port): INVALID, not allow-listed here: dropped"""
    s = lan_tcp("S", 100)
    other = lan_tcp("S", 100, sport=L_PORT + 1)
    e = err_about(other, code=3)
    return fw_case(config=fw_config(icmpv6_allow=NO_ERRORS),
                   seq=[(FW_LAN, s), (FW_WAN, e)],
                   out={FW_WAN: [to_wan(s)]}, drops={"fw_drop": 1},
                   counters={"fw_accepted": 1})


@case
def fw_related_unknown_drop_invalid():
    """with seed 004's allow-list (every error type) and OpenWrt's "drop
    invalid" rule in front: the error about the tracked connection is
    RELATED and comes in, the one about an unknown flow is INVALID and
    dropped by the rule"""
    cfg = fw_config(rules=[DROP_INVALID, SEED_RULE, LAN_OUT_RULE])
    s = lan_tcp("S", 100)
    good = err_about(s, code=3)
    bad = err_about(lan_tcp("S", 100, sport=L_PORT + 1), code=3)
    return fw_case(config=cfg,
                   seq=[(FW_LAN, s), (FW_WAN, bad), (FW_WAN, good)],
                   out={FW_WAN: [to_wan(s)],
                        FW_LAN: [to_lan(good, fw_laptop_mac)]},
                   drops={"fw_drop": 1},
                   counters={"fw_accepted": 2, "fwd6": 2})


@case
def fw_related_unknown_allowlisted():
    """with seed 004's allow-list alone, an error about an unknown flow
    comes in: destination-unreachable is allowed whatever its state, as
    the seed's "-p icmpv6 --icmpv6-type destination-unreachable -j
    ACCEPT" does in ip6tables (doc/firewall.md, step 3)"""
    e = err_about(lan_tcp("S", 100, sport=L_PORT + 1), code=3)
    return fw_case(inp={FW_WAN: [e]},
                   out={FW_LAN: [to_lan(e, fw_laptop_mac)]},
                   counters={"fw_accepted": 1, "fwd6": 1})
