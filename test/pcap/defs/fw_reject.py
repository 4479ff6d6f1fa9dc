# SPDX-License-Identifier: BSD-3-Clause
"""
REJECT: the packet is dropped (fw_reject) and answered. An ICMPv6
destination unreachable (RFC 4443 section 3.1) with the rule's code goes
back out of the port the packet came in, from the box's address on that
port (the one in the sender's subnet when there are several), quoting the
packet as received; tcp-reset answers with a TCP RST as a closed port
would (RFC 9293 section 3.10.7.1): to a segment with ACK,
<SEQ=SEG.ACK><CTL=RST>; to one without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
<CTL=RST,ACK>, where SYN and FIN count in SEG.LEN; a RST is never
answered. The RST comes from the address the segment was sent to, like
ip6tables' REJECT, with hop limit 64 and window 0.
"""

from mxpcap import *  # noqa: F401,F403

RULES = [
    SEED_RULE,
    "-A forwarding_rule -d %s -p tcp --dport 23 -j REJECT" % fw_laptop,
    "-A forwarding_rule -p udp --dport 137 -j REJECT "
    "--reject-with icmp6-port-unreachable",
    "-A forwarding_rule -p tcp --dport 113 -j REJECT --reject-with "
    "icmp6-no-route",
    "-A forwarding_rule -p tcp --dport 25 -j REJECT --reject-with tcp-reset",
    "-A forwarding_rule -i br-lan -p tcp --dport 6667 -j REJECT",
    LAN_OUT_RULE,
]
CFG = fw_config(rules=RULES)


def tcp_in(dport, flags="S", seq=0x10000, ack=0, data=b"", dst=fw_laptop):
    return from_wan(IPv6(src=fw_outside, dst=dst, hlim=57) /
                    TCP(sport=51234, dport=dport, flags=flags, seq=seq,
                        ack=ack, window=64800) / Raw(data))


def unreach(inp, code, src=fw_wan_ip6, port_mac=fw_wan_mac):
    # from the box's address on the ingress port, back to the sender's
    # MAC, the packet quoted as it arrived (hop limit not decremented)
    return icmp6_error(inp, ICMPv6DestUnreach, code, src, port_mac)


def rst(inp, seq, ack, flags):
    """The RST for TCP segment 'inp' (from the Internet), out of wan."""
    t = inp[TCP]
    return Exp(Ether(src=fw_wan_mac, dst=fw_gw_mac) /
               IPv6(src=inp[IPv6].dst, dst=inp[IPv6].src, hlim=64) /
               TCP(sport=t.dport, dport=t.sport, seq=seq, ack=ack,
                   flags=flags, window=0))


@case
def fw_reject_default_adm():
    """REJECT without --reject-with: ICMPv6 administratively prohibited
    (type 1 code 1, the default here)"""
    inp = tcp_in(23)
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [unreach(inp, 1)]},
                   drops={"fw_reject": 1},
                   counters={"icmp_error": 1, "fw_accepted": 0})


@case
def fw_reject_port_unreach():
    """--reject-with icmp6-port-unreachable on UDP: type 1 code 4"""
    inp = from_wan(IPv6(src=fw_outside, dst=fw_printer, hlim=57) /
                   UDP(sport=137, dport=137) / Raw(payload(50)))
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [unreach(inp, 4)]},
                   drops={"fw_reject": 1}, counters={"icmp_error": 1})


@case
def fw_reject_no_route():
    """--reject-with icmp6-no-route: type 1 code 0"""
    inp = tcp_in(113)
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [unreach(inp, 0)]},
                   drops={"fw_reject": 1}, counters={"icmp_error": 1})


@case
def fw_reject_from_lan_prefix_b():
    """a LAN host of prefix B rejected on its way out (IRC): the error
    comes from the box's prefix B address, out of the lan port"""
    inp = from_lan(IPv6(src=fw_server_b, dst=fw_outside, hlim=64) /
                   TCP(sport=40000, dport=6667, flags="S", seq=1),
                   fw_server_mac)
    return fw_case(config=CFG, inp={FW_LAN: [inp]},
                   out={FW_LAN: [unreach(inp, 1, fw_lan_b, fw_lan_mac)]},
                   drops={"fw_reject": 1}, counters={"icmp_error": 1})


@case
def fw_reject_big_quote():
    """a 1400-byte packet rejected: the quote is cut so the error is 1280
    bytes (RFC 4443 section 2.4 (c))"""
    inp = tcp_in(23, flags="PA", ack=1, data=payload(1340))
    exp = unreach(inp, 1)
    assert len(exp.pkt[IPv6]) == 1280
    return fw_case(config=CFG, inp={FW_WAN: [inp]}, out={FW_WAN: [exp]},
                   drops={"fw_reject": 1}, counters={"icmp_error": 1})


@case
def fw_reject_rst_syn():
    """tcp-reset to a SYN (no ACK): RST,ACK with SEQ=0 ACK=SEG.SEQ+1 (the
    SYN counts one)"""
    inp = tcp_in(25, seq=0xfffffff0)
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [rst(inp, 0, 0xfffffff1, "RA")]},
                   drops={"fw_reject": 1},
                   counters={"tcp_reset": 1, "icmp_error": 0})


@case
def fw_reject_rst_syn_data():
    """tcp-reset to a SYN carrying 10 bytes (TCP fast open): ACK = SEG.SEQ
    + 10 + 1"""
    inp = tcp_in(25, seq=1000, data=payload(10))
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [rst(inp, 0, 1011, "RA")]},
                   drops={"fw_reject": 1}, counters={"tcp_reset": 1})


@case
def fw_reject_rst_seq_wraps():
    """SEG.SEQ + SEG.LEN wraps around 2^32"""
    inp = tcp_in(25, flags="S", seq=0xfffffffa, data=payload(20))
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [rst(inp, 0, (0xfffffffa + 21) & 0xffffffff,
                                     "RA")]},
                   drops={"fw_reject": 1}, counters={"tcp_reset": 1})


@case
def fw_reject_rst_ack():
    """tcp-reset to a segment with ACK and data: RST with SEQ=SEG.ACK, no
    ACK flag, ACK field 0"""
    inp = tcp_in(25, flags="PA", seq=5000, ack=0x89abcdef, data=payload(20))
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [rst(inp, 0x89abcdef, 0, "R")]},
                   drops={"fw_reject": 1}, counters={"tcp_reset": 1})


@case
def fw_reject_rst_fin():
    """tcp-reset to a FIN without ACK carrying 5 bytes: ACK = SEG.SEQ + 5
    + 1 (the FIN counts one)"""
    inp = tcp_in(25, flags="F", seq=300, data=payload(5))
    return fw_case(config=CFG, inp={FW_WAN: [inp]},
                   out={FW_WAN: [rst(inp, 0, 306, "RA")]},
                   drops={"fw_reject": 1}, counters={"tcp_reset": 1})


@case
def fw_reject_rst_not_answered():
    """a RST that hits the tcp-reset rule is dropped and not answered"""
    inp = tcp_in(25, flags="R", seq=300)
    return fw_case(config=CFG, inp={FW_WAN: [inp]}, out={},
                   drops={"fw_reject": 1},
                   counters={"tcp_reset": 0, "icmp_error": 0})


@case
def fw_reject_policy():
    """default_inbound "reject": what no rule takes gets administratively
    prohibited; the seed's rule still accepts 443 to the server"""
    cfg = fw_config(default_inbound="reject")
    a, b = tcp_in(8080), tcp_in(443, dst=fw_server_a)
    return fw_case(config=cfg, inp={FW_WAN: [a, b]},
                   out={FW_WAN: [unreach(a, 1)],
                        FW_LAN: [to_lan(b, fw_server_mac)]},
                   drops={"fw_reject": 1},
                   counters={"icmp_error": 1, "fw_accepted": 1})


@case
def fw_reject_policy_icmp_error():
    """the reject policy meets an ICMPv6 error (not allow-listed, about
    no known flow): dropped and not answered, never an error about an
    error (RFC 4443 section 2.4 (e.1))"""
    cfg = fw_config(default_inbound="reject", icmpv6_allow=["echo-request"])
    quoted = bytes(IPv6(src=fw_laptop, dst=fw_outside2) / UDP())
    inp = from_wan(IPv6(src=fw_router, dst=fw_laptop, hlim=50) /
                   icmp6_msg(1, 3, body=quoted))
    return fw_case(config=cfg, inp={FW_WAN: [inp]}, out={},
                   drops={"fw_reject": 1}, counters={"icmp_error": 0})
