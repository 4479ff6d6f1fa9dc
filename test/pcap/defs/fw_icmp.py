# SPDX-License-Identifier: BSD-3-Clause
"""
ICMPv6 through the firewall: the allow-list (seed 004's ALLOWED_ICMP)
lets its types through whatever their state, every other type meets the
policy; rules come before the list; echo replies to what the LAN sent
are ESTABLISHED. Neighbour discovery with the box is never filtered, even
with an allow-list that leaves it out.
"""

from mxpcap import *  # noqa: F401,F403
from scapy.layers.inet6 import ICMPv6NIQueryNOOP  # noqa: E402,F401

ND_ONLY = ["neighbour-solicitation", "neighbour-advertisement"]
ECHO_ONLY = ["echo-request"]


def echo_in(dst=fw_laptop, ident=0x77, seq=1):
    return from_wan(IPv6(src=fw_outside, dst=dst, hlim=50) /
                    ICMPv6EchoRequest(id=ident, seq=seq, data=payload(24)))


@case
def fw_icmp_echo_allowed():
    """an echo request from the Internet to the laptop: echo-request is
    in the allow-list, forwarded"""
    inp = echo_in()
    return fw_case(inp={FW_WAN: [inp]},
                   out={FW_LAN: [to_lan(inp, fw_laptop_mac)]},
                   counters={"fw_accepted": 1, "fwd6": 1})


@case
def fw_icmp_echo_not_listed():
    """the same with an allow-list of neighbour discovery only: dropped"""
    return fw_case(inp={FW_WAN: [echo_in()]}, out={},
                   config=fw_config(icmpv6_allow=ND_ONLY),
                   drops={"fw_drop": 1}, counters={"fw_accepted": 0})


@case
def fw_icmp_types_not_listed():
    """types outside seed 004's list, forwarded to the laptop: MLD query
    (130), router renumbering (138), node information query (139), an
    unassigned type (200), an unassigned error type (5): all dropped"""
    inp = [from_wan(IPv6(src=fw_outside, dst=fw_laptop, hlim=50) /
                    icmp6_msg(t, 0, body=payload(16)))
           for t in (130, 138, 139, 200, 5)]
    return fw_case(inp={FW_WAN: inp}, out={}, drops={"fw_drop": 5},
                   counters={"fw_accepted": 0})


@case
def fw_icmp_listed_types_pass():
    """the listed types that make sense forwarded pass: packet too big,
    destination unreachable, time exceeded, parameter problem, echo reply
    (untracked ones: the list does not look at the state)"""
    quoted = bytes(IPv6(src=fw_laptop, dst=fw_outside2, hlim=60) /
                   UDP(sport=1, dport=2))
    msgs = [(2, 0, u32(1280)), (1, 4, u32(0)), (3, 0, u32(0)),
            (4, 0, u32(40)), (129, 0, b"\x00\x09\x00\x01")]
    inp = [from_wan(IPv6(src=fw_router, dst=fw_laptop, hlim=50) /
                    icmp6_msg(t, c, rest, quoted if t < 128 else b""))
           for t, c, rest in msgs]
    return fw_case(inp={FW_WAN: inp},
                   out={FW_LAN: [to_lan(f, fw_laptop_mac) for f in inp]},
                   counters={"fw_accepted": 5, "fwd6": 5})


@case
def fw_icmp_code_range():
    """an allow-list entry with a code ("1/4", port unreachable): code 4
    passes, code 3 of the same type is dropped"""
    quoted = bytes(IPv6(src=fw_laptop, dst=fw_outside2) / UDP())
    ok = from_wan(IPv6(src=fw_outside2, dst=fw_laptop, hlim=50) /
                  icmp6_msg(1, 4, body=quoted))
    bad = from_wan(IPv6(src=fw_outside2, dst=fw_laptop, hlim=50) /
                   icmp6_msg(1, 3, body=quoted))
    return fw_case(inp={FW_WAN: [ok, bad]},
                   config=fw_config(icmpv6_allow=["1/4"]),
                   out={FW_LAN: [to_lan(ok, fw_laptop_mac)]},
                   drops={"fw_drop": 1}, counters={"fw_accepted": 1})


@case
def fw_icmp_rule_before_list():
    """a rule comes before the allow-list: "-p icmpv6 --icmpv6-type
    echo-request -d <laptop> -j DROP" drops the listed type for the
    laptop, the printer still gets it"""
    cfg = fw_config(rules=[SEED_RULE, LAN_OUT_RULE,
                           "-A forwarding_rule -p icmpv6 --icmpv6-type "
                           "echo-request -d %s -j DROP" % fw_laptop])
    a, b = echo_in(), echo_in(dst=fw_printer)
    return fw_case(inp={FW_WAN: [a, b]}, config=cfg,
                   out={FW_LAN: [to_lan(b, fw_printer_mac)]},
                   drops={"fw_drop": 1}, counters={"fw_accepted": 1})


@case
def fw_icmp_echo_reply_tracked():
    """without echo-reply in the list, the reply to the laptop's ping
    comes in as ESTABLISHED; a reply with another identifier does not"""
    req = from_lan(IPv6(src=fw_laptop, dst=fw_outside, hlim=64) /
                   ICMPv6EchoRequest(id=0x4242, seq=3, data=payload(16)),
                   fw_laptop_mac)
    rep = from_wan(IPv6(src=fw_outside, dst=fw_laptop, hlim=50) /
                   ICMPv6EchoReply(id=0x4242, seq=3, data=payload(16)))
    other = from_wan(IPv6(src=fw_outside, dst=fw_laptop, hlim=50) /
                     ICMPv6EchoReply(id=0x4243, seq=3, data=payload(16)))
    return fw_case(config=fw_config(icmpv6_allow=ECHO_ONLY),
                   seq=[(FW_LAN, req), (FW_WAN, other), (FW_WAN, rep)],
                   out={FW_WAN: [to_wan(req)],
                        FW_LAN: [to_lan(rep, fw_laptop_mac)]},
                   drops={"fw_drop": 1},
                   counters={"fw_accepted": 2, "fwd6": 2})


# --- neighbour discovery with the box: never filtered ------------------------
def na_from_box(target, dst, dst_mac, port_mac):
    """RFC 4861 section 7.2.4: solicited NA from the target, R S O, TLLA."""
    return (Ether(src=port_mac, dst=dst_mac) /
            IPv6(src=target, dst=dst, hlim=255) /
            ICMPv6ND_NA(R=1, S=1, O=1, tgt=target) /
            ICMPv6NDOptDstLLAddr(lladdr=port_mac))


def ns_from_gw(dst, hlim=255):
    """The gateway's NS for the wan address, from its global address."""
    p = from_wan(IPv6(src=fw_gw, dst=dst, hlim=hlim) /
                 ICMPv6ND_NS(tgt=fw_wan_ip6) /
                 ICMPv6NDOptSrcLLAddr(lladdr=fw_gw_mac))
    if dst != fw_wan_ip6:
        p[Ether].dst = mcast_mac6(dst)
    return p


NA_TO_GW = na_from_box(fw_wan_ip6, fw_gw, fw_gw_mac, fw_wan_mac)


@case
def fw_nd_ns_multicast():
    """NS for the wan address from the gateway's global address, to the
    solicited-node group: answered, with an allow-list without ND"""
    return fw_case(inp={FW_WAN: [ns_from_gw(solicited_node(fw_wan_ip6))]},
                   config=fw_config(icmpv6_allow=ECHO_ONLY),
                   out={FW_WAN: [NA_TO_GW]}, counters={"nd_advert": 1})


@case
def fw_nd_ns_unicast_global():
    """a unicast NS (RFC 4861 section 7.3.3 unreachability detection)
    from the gateway's global address to the wan global address: not
    filtered, answered, with an allow-list without ND"""
    return fw_case(inp={FW_WAN: [ns_from_gw(fw_wan_ip6)]},
                   config=fw_config(icmpv6_allow=ECHO_ONLY),
                   out={FW_WAN: [NA_TO_GW]}, counters={"nd_advert": 1})


@case
def fw_nd_na_unicast_resolves():
    """the gateway is no static neighbour: the laptop's packet waits, the
    box solicits it from its global wan address, and the gateway's NA
    comes back unicast to that global address: not filtered (allow-list
    without ND), learned, the packet goes out"""
    cfg = fw_config(icmpv6_allow=ECHO_ONLY)
    cfg["neighbours"] = [n for n in cfg["neighbours"] if n["ip"] != fw_gw]
    syn = from_lan(IPv6(src=fw_laptop, dst=fw_outside, hlim=64) /
                   TCP(sport=40100, dport=443, flags="S", seq=1),
                   fw_laptop_mac)
    ns = (Ether(src=fw_wan_mac, dst=mcast_mac6(solicited_node(fw_gw))) /
          IPv6(src=fw_wan_ip6, dst=solicited_node(fw_gw), hlim=255) /
          ICMPv6ND_NS(tgt=fw_gw) / ICMPv6NDOptSrcLLAddr(lladdr=fw_wan_mac))
    na = from_wan(IPv6(src=fw_gw, dst=fw_wan_ip6, hlim=255) /
                  ICMPv6ND_NA(R=1, S=1, O=1, tgt=fw_gw) /
                  ICMPv6NDOptDstLLAddr(lladdr=fw_gw_mac))
    return fw_case(config=cfg, seq=[(FW_LAN, syn), (FW_WAN, na)],
                   out={FW_WAN: [ns, to_wan(syn)]},
                   counters={"nd_solicit": 1, "fwd6": 1, "fw_accepted": 1})


@case
def fw_nd_ns_hlim64_filtered():
    """an NS with hop limit 64 may come from off-link (RFC 4861 section
    7.1.1): it is no exception, INPUT drops it (allow-list without ND)"""
    return fw_case(inp={FW_WAN: [ns_from_gw(fw_wan_ip6, hlim=64)]},
                   config=fw_config(icmpv6_allow=ECHO_ONLY), out={},
                   drops={"fw_drop": 1}, counters={"nd_advert": 0})
