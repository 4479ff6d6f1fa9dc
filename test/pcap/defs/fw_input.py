# SPDX-License-Identifier: BSD-3-Clause
"""
The INPUT chain: unicast IPv6 for one of the box's own global addresses
(on any port). After INPUT the packet goes to LOCAL6, which answers
echo requests and neighbour discovery itself and hands everything else
to the port's kernel mirror; these ports have none, so a TCP SYN that
INPUT accepts ends as local_no_punt (with a kernel_mirror the kernel's
sshd would get it). Link-local and multicast traffic for the box is not
filtered. default_inbound is INPUT's policy too, for the LAN as well.
"""

from mxpcap import *  # noqa: F401,F403

SSH_IN = "-A INPUT -p tcp --dport 22 -j ACCEPT"
SSH_LAN = "-A input_rule -i br-lan -p tcp --dport 22 -j ACCEPT"


def syn(src, dst, dport=22, from_port=FW_WAN, mac=fw_gw_mac, sport=50700):
    l3 = (IPv6(src=src, dst=dst, hlim=60) /
          TCP(sport=sport, dport=dport, flags="S", seq=9))
    return from_wan(l3, mac) if from_port == FW_WAN else from_lan(l3, mac)


@case
def fw_input_ssh_dropped():
    """TCP SYN from the Internet to the box's wan address, port 22, no
    rule: INPUT's policy drops it"""
    return fw_case(inp={FW_WAN: [syn(fw_outside, fw_wan_ip6)]}, out={},
                   drops={"fw_drop": 1}, counters={"fw_accepted": 0},
                   logs=["CHAIN=INPUT RULE=0 ACTION=DROP"])


@case
def fw_input_ssh_allowed():
    """with "-A INPUT -p tcp --dport 22 -j ACCEPT" the SYN passes INPUT
    and reaches LOCAL6, which has no kernel mirror to give it to:
    local_no_punt instead of fw_drop"""
    cfg = fw_config(rules=[SEED_RULE, LAN_OUT_RULE, SSH_IN])
    return fw_case(config=cfg, inp={FW_WAN: [syn(fw_outside, fw_wan_ip6)]},
                   out={}, drops={"local_no_punt": 1},
                   counters={"fw_accepted": 1})


@case
def fw_input_other_port_still_dropped():
    """... and port 23 is still dropped by INPUT"""
    cfg = fw_config(rules=[SEED_RULE, LAN_OUT_RULE, SSH_IN])
    return fw_case(config=cfg,
                   inp={FW_WAN: [syn(fw_outside, fw_wan_ip6, dport=23)]},
                   out={}, drops={"fw_drop": 1}, counters={"fw_accepted": 0})


@case
def fw_input_lan_address():
    """the box's LAN address reached from the Internet is INPUT too (not
    FORWARD): the seed's FORWARD rules do not apply, dropped"""
    return fw_case(inp={FW_WAN: [syn(fw_outside, fw_lan_a, dport=443)]},
                   out={}, drops={"fw_drop": 1},
                   logs=["CHAIN=INPUT RULE=0 ACTION=DROP"])


@case
def fw_input_by_interface():
    """"-A input_rule -i br-lan -p tcp --dport 22 -j ACCEPT": the laptop
    gets through INPUT (to local_no_punt), the Internet does not"""
    cfg = fw_config(rules=[SEED_RULE, LAN_OUT_RULE, SSH_LAN])
    lan = syn(fw_laptop, fw_lan_a, from_port=FW_LAN, mac=fw_laptop_mac)
    wan = syn(fw_outside, fw_lan_a)
    return fw_case(config=cfg, inp={FW_LAN: [lan], FW_WAN: [wan]}, out={},
                   drops={"fw_drop": 1, "local_no_punt": 1},
                   counters={"fw_accepted": 1})


@case
def fw_input_echo():
    """an echo request from the Internet to the wan address: allow-listed
    (seed 004), answered; the reply is the box's own and leaves
    unfiltered"""
    req = from_wan(IPv6(src=fw_outside, dst=fw_wan_ip6, hlim=50) /
                   ICMPv6EchoRequest(id=7, seq=1, data=payload(32)))
    rep = (Ether(src=fw_wan_mac, dst=fw_gw_mac) /
           IPv6(src=fw_wan_ip6, dst=fw_outside, hlim=64) /
           ICMPv6EchoReply(id=7, seq=1, data=payload(32)))
    return fw_case(inp={FW_WAN: [req]}, out={FW_WAN: [rep]},
                   counters={"echo_reply": 1, "fw_accepted": 1})


@case
def fw_input_echo_not_listed():
    """the same with an allow-list of neighbour discovery only: dropped
    by INPUT, not answered"""
    req = from_wan(IPv6(src=fw_outside, dst=fw_wan_ip6, hlim=50) /
                   ICMPv6EchoRequest(id=7, seq=1, data=payload(32)))
    cfg = fw_config(icmpv6_allow=["neighbour-solicitation",
                                  "neighbour-advertisement"])
    return fw_case(config=cfg, inp={FW_WAN: [req]}, out={},
                   drops={"fw_drop": 1}, counters={"echo_reply": 0})


@case
def fw_input_linklocal_not_filtered():
    """TCP from the gateway's link-local address to the box's link-local
    address: not filtered (link-local is never), on to LOCAL6"""
    inp = syn(fw_gw_ll, link_local(fw_wan_mac))
    return fw_case(inp={FW_WAN: [inp]}, out={},
                   drops={"local_no_punt": 1}, counters={"fw_accepted": 0})


@case
def fw_input_multicast_not_filtered():
    """UDP to a multicast group (DHCPv6 servers, ff02::1:2) from a LAN
    host: not filtered, on to LOCAL6"""
    inp = from_lan(IPv6(src="fe80::22", dst="ff02::1:2", hlim=1) /
                   UDP(sport=546, dport=547) / Raw(payload(20)),
                   fw_laptop_mac)
    inp[Ether].dst = "33:33:00:01:00:02"
    return fw_case(inp={FW_LAN: [inp]}, out={},
                   drops={"local_no_punt": 1}, counters={"fw_accepted": 0})
