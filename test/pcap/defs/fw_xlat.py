# SPDX-License-Identifier: BSD-3-Clause
"""
What the translators carry is not filtered: on a CLAT node with a
firewall that drops everything (default_inbound drop, no rule, no
allow-list), IPv4 from the clients still goes out translated and IPv6 to
the CLAT prefix still comes in translated, while plain IPv6 forwarded by
the same box meets FORWARD and is dropped.
"""

from mxpcap import *  # noqa: F401,F403

CFG = config_with(firewall={"default_inbound": "drop", "icmpv6_allow": []})


@case
def fw_xlat46_not_filtered():
    """IPv4 UDP from a client: translated and sent (xlat46), fw untouched"""
    data = payload(21)
    inp = (Ether(src=client4_mac, dst=lan4_mac) /
           IP(src=client4, dst=remote4, ttl=64) /
           UDP(sport=40000, dport=7777) / Raw(data))
    exp = (Ether(src=mesh_mac, dst=gw6_mac) /
           IPv6(src=c6(client4), dst=p6(remote4), hlim=63, nh=17) /
           UDP(sport=40000, dport=7777) / Raw(data))
    return Case(config=CFG, inp={LAN4: [inp]}, out={MESH: [exp]},
                counters={"xlat46": 1, "fw_accepted": 0, "fw_log": 0})


@case
def fw_xlat64_not_filtered():
    """unsolicited IPv6 UDP to the CLAT prefix: translated to the client
    (xlat64), not filtered"""
    data = payload(33)
    inp = (Ether(src=gw6_mac, dst=mesh_mac) /
           IPv6(src=p6(remote4), dst=c6(client4), hlim=64) /
           UDP(sport=7777, dport=40000) / Raw(data))
    exp = Exp(Ether(src=lan4_mac, dst=client4_mac) /
              IP(src=remote4, dst=client4, tos=0, id=0, flags=0, ttl=63,
                 proto=17) / UDP(sport=7777, dport=40000) / Raw(data),
              free_ip4_id=True)
    return Case(config=CFG, inp={MESH: [inp]}, out={LAN4: [exp]},
                counters={"xlat64": 1, "fw_accepted": 0, "fw_log": 0})


@case
def fw_xlat_plain_ipv6_filtered():
    """plain IPv6 forwarded by the same box (mesh to the PLAT route)
    meets FORWARD: dropped"""
    inp = (Ether(src=other_mac, dst=mesh_mac) /
           IPv6(src=remote6, dst=p6(remote4), hlim=64) /
           UDP(sport=1, dport=2) / Raw(payload(8)))
    return Case(config=CFG, inp={MESH: [inp]}, out={},
                drops={"fw_drop": 1}, counters={"fwd6": 0})
