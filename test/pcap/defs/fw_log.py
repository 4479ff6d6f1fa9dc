# SPDX-License-Identifier: BSD-3-Clause
"""
LOG rules report and go on with the next rule (seed 004: "-A FORWARD -j
LOG" before the DROP policy). A LOG record and every dropped packet
reach the main lcore as one record each (counter fw_log) and become a
log line in the shape of the kernel's LOG target, at most log_rate a
second (the rest are counted and said to be suppressed).
"""

from mxpcap import *  # noqa: F401,F403


def syn_in(dst, dport, sport=50500):
    return from_wan(IPv6(src=fw_outside, dst=dst, hlim=57) /
                    TCP(sport=sport, dport=dport, flags="S", seq=1))


@case
def fw_log_then_accept():
    """a LOG rule with a prefix, then the rule that accepts: one record,
    one line with the prefix and ACTION=ACCEPT, the packet forwarded"""
    cfg = fw_config(rules=[
        SEED_RULE,
        "-A forwarding_rule -p tcp --dport 8443 -j LOG "
        "--log-prefix 'fw-8443: '",
        "-A forwarding_rule -d ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff "
        "-p tcp --dport 8443 -o br-lan -j ACCEPT",
        LAN_OUT_RULE])
    inp = syn_in(fw_server_a, 8443)
    return fw_case(config=cfg, inp={FW_WAN: [inp]},
                   out={FW_LAN: [to_lan(inp, fw_server_mac)]},
                   counters={"fw_log": 1, "fw_accepted": 1, "fwd6": 1},
                   logs=["fw-8443: IN=wan OUT=lan SRC=2001:db8:beef::7 "
                         "DST=%s LEN=60 PROTO=6 SPT=50500 DPT=8443 "
                         "CHAIN=FORWARD RULE=2 ACTION=ACCEPT" % fw_server_a])


@case
def fw_log_then_drop():
    """seed 004's "-A FORWARD -j LOG" after the seed's rule: the accepted
    443 is not logged, the packet to the laptop is logged once (no
    second record for its drop) and dropped by the policy"""
    cfg = fw_config(rules=[SEED_RULE, LAN_OUT_RULE, "-A FORWARD -j LOG"])
    ok, bad = syn_in(fw_server_a, 443), syn_in(fw_laptop, 22)
    return fw_case(config=cfg, inp={FW_WAN: [ok, bad]},
                   out={FW_LAN: [to_lan(ok, fw_server_mac)]},
                   drops={"fw_drop": 1},
                   counters={"fw_log": 1, "fw_accepted": 1},
                   logs=["IN=wan OUT=lan SRC=2001:db8:beef::7 DST=%s LEN=60 "
                         "PROTO=6 SPT=50500 DPT=22 CHAIN=FORWARD RULE=3 "
                         "ACTION=DROP" % fw_laptop])


@case
def fw_log_drop_without_rule():
    """without a LOG rule a dropped packet is still one record (RULE=0:
    the policy decided)"""
    return fw_case(inp={FW_WAN: [syn_in(fw_printer, 631)]}, out={},
                   drops={"fw_drop": 1}, counters={"fw_log": 1},
                   logs=["DST=%s LEN=60 PROTO=6 SPT=50500 DPT=631 "
                         "CHAIN=FORWARD RULE=0 ACTION=DROP" % fw_printer])


@case
def fw_log_rate():
    """log_rate 2: of ten drops in one go the worker passes on two records
    (fw_log_capped counts the eight others) and the main lcore writes two
    lines; the eight are said to be suppressed (the note comes with the
    next second, hence the longer idle exit)"""
    cfg = fw_config(log_rate=2)
    inp = [syn_in(fw_printer, 631, sport=50600 + i) for i in range(10)]
    return fw_case(config=cfg, inp={FW_WAN: inp}, out={},
                   drops={"fw_drop": 10},
                   counters={"fw_log": 2, "fw_log_capped": 8},
                   idle_exit=1500,
                   logs=["firewall: 8 log lines suppressed (log_rate 2 per "
                         "second)"])


@case
def fw_log_prefix_no_space():
    """a prefix without a trailing space gets one before IN= (the kernel
    would write "fw-x:IN="); one with a trailing space keeps just that
    one (fw_log_then_accept)"""
    cfg = fw_config(rules=[SEED_RULE, "-A FORWARD -j LOG --log-prefix fw-x:"])
    return fw_case(config=cfg, inp={FW_WAN: [syn_in(fw_laptop, 22)]},
                   out={}, drops={"fw_drop": 1}, counters={"fw_log": 1},
                   logs=["firewall: fw-x: IN=wan OUT=lan "])
