# SPDX-License-Identifier: BSD-3-Clause
"""
The firewall on forwarded IPv6 (FORWARD chain): seed 002's rule opens
TCP port 443 of the host with the stable suffix ::1234:5678:abcd:ef01
under whatever prefix the ISP gives, and default_inbound "drop" keeps
everything else out (counted as fw_drop). The rule is loaded verbatim,
backslash-newlines and "-m comment" included (mxpcap.SEED_RULE).
"""

from mxpcap import *  # noqa: F401,F403


def syn_in(dst, dport=443, sport=51000, seq=0x1000, src=fw_outside):
    """A connection attempt from the Internet."""
    return from_wan(IPv6(src=src, dst=dst, hlim=57) /
                    TCP(sport=sport, dport=dport, flags="S", seq=seq,
                        window=64800, options=[("MSS", 1440)]))


@case
def fw_suffix_443_prefix_a():
    """TCP SYN from the Internet to the suffix host's 443 under LAN
    prefix A: the seed's rule accepts it, forwarded to the server"""
    inp = syn_in(fw_server_a)
    # what changed: Ethernet (lan port -> server), hop limit 57 -> 56
    return fw_case(inp={FW_WAN: [inp]},
                out={FW_LAN: [to_lan(inp, fw_server_mac)]},
                counters={"fw_accepted": 1, "fwd6": 1, "fw_log": 0})


@case
def fw_suffix_443_prefix_b():
    """the same host under the LAN's second /64 (prefix B): the same rule
    accepts it, no prefix is written anywhere in the rule"""
    inp = syn_in(fw_server_b, sport=51001)
    return fw_case(inp={FW_WAN: [inp]},
                out={FW_LAN: [to_lan(inp, fw_server_mac)]},
                counters={"fw_accepted": 1, "fwd6": 1})


RENUMBERED = "3fff:a:b:c::"             # RFC 9637 documentation space


@case
def fw_suffix_443_renumbered():
    """after the ISP renumbered the LAN (a config whose only LAN prefix is
    another /64, not even in 2001:db8::/32) the same rule lets the suffix
    host's 443 in"""
    cfg = fw_config(lan_pfx=(RENUMBERED,))
    inp = syn_in(with_suffix(RENUMBERED), sport=51002)
    assert inp[IPv6].dst == "3fff:a:b:c:1234:5678:abcd:ef01"
    return fw_case(inp={FW_WAN: [inp]}, config=cfg,
                out={FW_LAN: [to_lan(inp, fw_server_mac)]},
                counters={"fw_accepted": 1, "fwd6": 1})


@case
def fw_suffix_other_host():
    """443 of another LAN host (the laptop): no rule, the FORWARD policy
    (default_inbound drop) drops it"""
    inp = syn_in(fw_laptop)
    return fw_case(inp={FW_WAN: [inp]}, out={}, drops={"fw_drop": 1},
                counters={"fw_accepted": 0, "fwd6": 0, "fw_log": 1})


@case
def fw_suffix_near_miss():
    """a host whose suffix differs from the rule's in the last bit only
    (...:ef00): dropped, the mask compares all 64 bits"""
    inp = syn_in(with_suffix(fw_pfx_a, "::1234:5678:abcd:ef00"))
    return fw_case(inp={FW_WAN: [inp]}, out={}, drops={"fw_drop": 1},
                counters={"fw_accepted": 0})


@case
def fw_suffix_prefix_bits_ignored():
    """the suffix rule ignores the first 64 bits, but only those: a host
    whose interface id carries the suffix in its upper half only
    (prefix A + ::abcd:ef01:1234:5678, the halves swapped) is dropped"""
    inp = syn_in(with_suffix(fw_pfx_a, "::abcd:ef01:1234:5678"))
    return fw_case(inp={FW_WAN: [inp]}, out={}, drops={"fw_drop": 1},
                counters={"fw_accepted": 0})


@case
def fw_suffix_other_port():
    """the suffix host's port 22: dropped (the rule names 443 only)"""
    inp = syn_in(fw_server_a, dport=22)
    return fw_case(inp={FW_WAN: [inp]}, out={}, drops={"fw_drop": 1},
                counters={"fw_accepted": 0})


@case
def fw_suffix_udp_443():
    """UDP to the suffix host's 443 (QUIC): dropped, the rule is -p tcp"""
    inp = from_wan(IPv6(src=fw_outside, dst=fw_server_a, hlim=57) /
                   UDP(sport=51000, dport=443) / Raw(payload(40)))
    return fw_case(inp={FW_WAN: [inp]}, out={}, drops={"fw_drop": 1},
                counters={"fw_accepted": 0})


WAN_SUFFIX_HOST = with_suffix("2001:db8:ffff:1::")
WAN_SUFFIX_MAC = "02:00:00:00:06:44"


@case
def fw_suffix_out_not_lan():
    """a host with the suffix on the wan side (2001:db8:ffff:1 + suffix,
    reached back out of the wan port): the rule's "-o br-lan" does not
    match, dropped"""
    cfg = fw_config(extra_neigh=[(WAN_SUFFIX_HOST, WAN_SUFFIX_MAC, "wan")])
    inp = syn_in(WAN_SUFFIX_HOST)
    return fw_case(inp={FW_WAN: [inp]}, out={}, config=cfg,
                drops={"fw_drop": 1}, counters={"fw_accepted": 0})


@case
def fw_suffix_burst():
    """one burst of eight: the classifier decides each packet on its own
    (accepted to A and B, dropped to the laptop, the printer, port 80)"""
    dsts = [(fw_server_a, 443, True), (fw_laptop, 443, False),
            (fw_server_b, 443, True), (fw_printer, 443, False),
            (fw_server_a, 80, False), (fw_server_b, 443, True),
            (fw_server_a, 443, True), (fw_laptop, 22, False)]
    inp = [syn_in(d, dport=p, sport=52000 + i) for i, (d, p, _) in
           enumerate(dsts)]
    out = [to_lan(f, fw_server_mac) for f, (_, _, ok) in zip(inp, dsts)
           if ok]
    return fw_case(inp={FW_WAN: inp}, out={FW_LAN: out},
                drops={"fw_drop": 4}, counters={"fw_accepted": 4, "fwd6": 4})


@case
def fw_suffix_lan_out():
    """the laptop's connection to the Internet goes out (the LAN's way
    out, OpenWrt's lan->wan forwarding, is a rule: FORWARD's policy is
    default_inbound for both directions)"""
    inp = from_lan(IPv6(src=fw_laptop, dst=fw_outside, hlim=64) /
                   TCP(sport=40000, dport=443, flags="S", seq=7),
                   fw_laptop_mac)
    return fw_case(inp={FW_LAN: [inp]}, out={FW_WAN: [to_wan(inp)]},
                counters={"fw_accepted": 1, "fwd6": 1})
