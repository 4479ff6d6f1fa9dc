# SPDX-License-Identifier: BSD-3-Clause
"""
PLAT (stateful NAT64, RFC 6146) with two workers: each owns one shard of
the sessions, the IPv6 side by a hash of the client's address, the IPv4
side by the port's block (ARCHITECTURE.md, "Threads and state";
doc/nat64.md, "Sharding"), and a packet that arrives at a worker that
does not own its flow is handed to the owner over a ring.

plat_config() with workers.lcores 2 and the static entries of client_s
that lie in block 0 (UDP 9053, ICMP 9007: one client's entries must be
in one shard's slice). net_pcap has one rx queue, so worker 0 receives
everything; each worker sends on its own tx queue, and the runner
compares worker 0's frames, then worker 1's. The cases check which
worker did the work through the handoff counter and the frame
order. Shards of the clients (nat64_owner_in2out(), the documented
hash): client_s and client_a 0, client_d 1; pool blocks of 64 ports from
9000 alternate between the shards (9000-9063 shard 0, 9064-9127 shard 1).
"""

from mxpcap import *  # noqa: F401,F403

CFG = plat_config(static_bib=static_bib(entries=(S_UDP, S_ICMP)))
CFG["workers"].update({"lcores": 2, "idle_sleep_us": 50})
R4 = remote4
client_d = cb6("192.168.1.6")
S6, S4 = S_UDP[1], S_UDP[2]

assert nat64_owner_in2out(client_d, 2) == 1
assert nat64_owner_in2out(client_s, 2) == 0
assert nat64_owner_in2out(mesh_rtr6, 2) == 1


def udp6(src, dst4, sport, dport, data):
    return from_mesh6(IPv6(src=src, dst=x6(dst4), hlim=64) /
                      UDP(sport=sport, dport=dport) / Raw(data))


@case
def plat_workers_handoff():
    """client_d belongs to shard 1 but its datagram arrives at worker 0:
    it is handed to worker 1, which translates it from its own block
    (port 9070 kept); R4's answer to 10.23.0.9:9070 is handed to worker 1
    too, the owner of that port, and reaches client_d"""
    d1, d2 = payload(20, 1), payload(20, 2)
    req = udp6(client_d, R4, 9070, 7777, d1)
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50) /
                    UDP(sport=7777, dport=9070) / Raw(d2))
    return Case(inp={P_MESH: [req], P_WAN: [rep]},
                out={P_WAN: [to_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                        flags=0) /
                                     UDP(sport=9070, dport=7777) /
                                     Raw(d1))],
                     P_MESH: [to_mesh6(IPv6(src=x6(R4), dst=client_d,
                                            hlim=49) /
                                       UDP(sport=7777, dport=9070) /
                                       Raw(d2))]},
                config=CFG, counters={"handoff": 2,
                                      "nat64_in2out": 1,
                                      "nat64_out2in": 1})


@case
def plat_workers_router_error():
    """an ICMPv6 error from a mesh router about R4's datagram to client_s
    belongs to client_s's shard, not to the router's (RFC 6146 3.4: the
    error's tuple is the quoted packet's): worker 0 finds the session
    and R4 gets time exceeded from 10.23.0.9; nothing is handed off"""
    req = udp6(client_s, R4, S6, 7777, payload(8))
    q6 = bytes(IPv6(src=x6(R4), dst=client_s, hlim=1) /
               UDP(sport=7777, dport=S6) / Raw(payload(20, 3)))
    q4 = bytes(IP(src=R4, dst=plat_pool4, ttl=1, id=0, flags=0) /
               UDP(sport=7777, dport=S4) / Raw(payload(20, 3)))
    err = from_mesh6(IPv6(src=mesh_rtr6, dst=x6(R4), hlim=64) /
                     icmp6_msg(3, 0, b"\0\0\0\0", q6))
    return Case(inp={P_MESH: [req, err]},
                out={P_WAN: [to_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                        flags=0) /
                                     UDP(sport=S4, dport=7777) /
                                     Raw(payload(8))),
                             to_wan4(IP(src=plat_pool4, dst=R4, ttl=63,
                                        flags=0, proto=1) /
                                     Raw(icmp4_raw(11, 0, b"\0\0\0\0", q4)),
                                     free_inner_id=True)]},
                config=CFG, counters={"handoff": 0,
                                      "nat64_in2out": 2})


@case
def plat_workers_hairpin():
    """a hairpin across shards (3.8): client_d's datagram to client_s's
    static port goes to worker 1 (client_d's) for the 6->4 half, then to
    worker 0 (the owner of port 9053) for the 4->6 half, and reaches
    client_s from 64:ff9b::10.23.0.9 and client_d's port 9070"""
    data = payload(30, 4)
    req = udp6(client_d, plat_pool4, 9070, S4, data)
    return Case(inp={P_MESH: [req]},
                out={P_MESH: [to_mesh6(IPv6(src=x6(plat_pool4), dst=client_s,
                                            hlim=63) /
                                       UDP(sport=9070, dport=S6) /
                                       Raw(data))]},
                config=CFG, counters={"handoff": 2,
                                      "nat64_hairpin": 1,
                                      "nat64_in2out": 1, "nat64_out2in": 1})
