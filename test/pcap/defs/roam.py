# SPDX-License-Identifier: BSD-3-Clause
"""
Roaming in the data plane (seed 003, doc/roaming.md): the client that
got its IPv4 lease (CLIENTIP) at node D and its IPv4 exit at PLAT C, and
roamed to node B. The remap entries come from the config's roam.entries.

Node B (a CLAT, base_config() with a roam section): its CLAT prefix is
CLATB (clat_prefix, from the lan4 MAC), its current PLAT is PLATB
(plat_prefix, via gw6). client4 keeps PLATC (plat_range + node C's MAC,
via gwc6). The seed's rules on B:

  ip6tables -t nat -A PREROUTING -i clat -m set --match-set proamD src
      -j NETMAP --to PLATC/96
  ip6tables -t nat -A POSTROUTING -o clat -s PLATC/96 -m set
      --match-set proamD dst -j NETMAP --to PLATB/96

So client4's packets, translated by RFC 7915 section 4 (src CLATB +
client, dst PLATB + server), leave with their destination /96 replaced
by PLATC (the low 32 bits, the server, kept) and are routed toward PLATC;
replies from PLATC + server get the source /96 PLATB back and are then
translated by RFC 7915 section 5 as any reply from the node's PLAT. A
/96 NETMAP changes addresses only: every transport checksum is the one
over the new pseudo header (RFC 1624's incremental update must give the
same bytes as a full computation, which Scapy does here). In an ICMP
error the quoted packet went the other way, so the quoted address of
the same /96 changes with the outer one.

Node C (a PLAT, plat_config() with a roam section): the seed's rules

  ip6tables -t nat -I POSTROUTING -o plat -m set --match-set rofromD src
      -j NETMAP --to CLATD/96
  ip6tables -t nat -A PREROUTING -i plat -m set --match-set rotoB dst
      -j NETMAP --to CLATB/96

So a packet from CLATB:CLIENTIP is NAT64'd (RFC 6146) as if it came from
CLATD:CLIENTIP, its old address, whose BIB entries and sessions it
finds; what NAT64 sends to CLATD:CLIENTIP goes to CLATB:CLIENTIP
instead, routed toward CLATB (a /96 route via gwb6, where CLATD goes by
clat_range via gw6). An ICMPv4 error about the session reaches CLATB
with the quoted packet's source CLATB:CLIENTIP too (RFC 7915 4.2/4.3,
the quote being what the client sent). CLATD:CLIENTIP has the static
BIB entries of plat_config() (UDP 5353 <-> 9053, TCP 8080 <-> 9080), so
a packet that IS remapped leaves from a known port and one that is not
gets the NAT's choice (RFC 6146 3.5.1.1) instead.
"""

from mxpcap import *  # noqa: F401,F403
from scapy.all import IPv6ExtHdrFragment, fragment6

R4 = remote4


def pfx_of(rng, mac):
    """Seed 003: a node's CLAT or PLAT /96 is its range + its MAC."""
    return clat_prefix_of(rng, mac)


# --- node B: a CLAT whose client keeps another PLAT ---------------------------
node_c_mac = "02:00:00:00:00:c1"
PLATC = pfx_of(plat_range, node_c_mac)          # 64:ff9b:1:200:0:c1::/96
gwc6 = "2001:db8:1c0:2:1::c"                    # the mesh's way to PLATC
gwc6_mac = "02:00:00:00:00:9c"
assert PLATC == "64:ff9b:1:200:0:c1::/96"
CLATB_B = clat_prefix                           # node B's own CLAT /96


def pc6(v4):
    """Server v4 under PLATC (RFC 6052 /96)."""
    return embed96(PLATC, v4)


def b_config(entries=None, roam=True):
    """base_config() with a route to PLATC via gwc6 and a roam section
    whose entries pin client4 to PLATC (a year's worth of lease is not
    allowed: an hour)."""
    c = base_config()
    c["routes"].append({"prefix": PLATC, "port": "mesh", "via": gwc6})
    c["neighbours"].append({"ip": gwc6, "mac": gwc6_mac, "port": "mesh"})
    if entries is None:
        entries = [{"kind": "clat", "client": client4, "plat": PLATC,
                    "lease": 3600}]
    if roam:
        c["roam"] = {"entries": entries}
    return c


B_CFG = b_config()


def from_client(l3, mac=client4_mac):
    return Ether(src=mac, dst=lan4_mac) / l3


def from_c(l3):
    """A packet from PLATC's side of the mesh, through gwc6."""
    return Ether(src=gwc6_mac, dst=mesh_mac) / l3


def to_c(l3):
    return Exp(Ether(src=mesh_mac, dst=gwc6_mac) / l3)


def to_b_plat(l3):
    """Toward the node's current PLAT, through gw6."""
    return Exp(Ether(src=mesh_mac, dst=gw6_mac) / l3)


def to_client(l3):
    return Exp(Ether(src=lan4_mac, dst=client4_mac) / l3, free_ip4_id=True)


@case
def roam_clat_out_udp():
    """node B: roamed client4's datagram is translated (RFC 7915 4) and
    its destination /96 becomes PLATC (seed: PREROUTING NETMAP --to
    PLATC/96), sent toward PLATC (via gwc6), not to the node's PLAT"""
    data = payload(21, 1)
    inp = from_client(IP(src=client4, dst=R4, ttl=64, id=0x1234) /
                      UDP(sport=40000, dport=7777) / Raw(data))
    # what changed: IPv4 -> IPv6, src CLATB:client4, dst PLATC:R4 (not
    # PLATB:R4), hop limit 63, UDP checksum over that pseudo header;
    # Ethernet to gwc6
    exp = to_c(IPv6(src=c6(client4), dst=pc6(R4), hlim=63, nh=17) /
               UDP(sport=40000, dport=7777) / Raw(data))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=B_CFG,
                counters={"xlat46": 1, "roam_clat_out": 1,
                          "roam_clat_in": 0})


@case
def roam_clat_in_udp():
    """node B: a reply from PLATC:R4 to CLATB:client4 reaches client4 from
    R4 (seed: POSTROUTING NETMAP --to PLATB/96, then RFC 7915 5)"""
    data = payload(33, 2)
    inp = from_c(IPv6(src=pc6(R4), dst=c6(client4), hlim=64) /
                 UDP(sport=7777, dport=40000) / Raw(data))
    # what changed: IPv6 -> IPv4, src R4 (the low 32 bits), dst client4,
    # TTL 63, UDP checksum over the IPv4 pseudo header
    exp = to_client(IP(src=R4, dst=client4, id=0, flags=0, ttl=63,
                       proto=17) /
                    UDP(sport=7777, dport=40000) / Raw(data))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=B_CFG,
                counters={"xlat64": 1, "roam_clat_in": 1,
                          "roam_clat_out": 0})


@case
def roam_clat_tcp():
    """node B: client4's TCP SYN goes to PLATC:R4 and the SYN-ACK from
    PLATC:R4 comes back to it; options and sequence numbers untouched"""
    opts = [("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]
    syn = from_client(IP(src=client4, dst=R4, ttl=64, flags="DF") /
                      TCP(sport=51000, dport=443, seq=1000, flags="S",
                          window=64240, options=opts))
    sa = from_c(IPv6(src=pc6(R4), dst=c6(client4), hlim=60) /
                TCP(sport=443, dport=51000, seq=7000, ack=1001, flags="SA",
                    window=65535, options=opts))
    return Case(inp={LAN4: [syn], MESH: [sa]},
                out={MESH: [to_c(IPv6(src=c6(client4), dst=pc6(R4), hlim=63,
                                      nh=6) /
                                 TCP(sport=51000, dport=443, seq=1000,
                                     flags="S", window=64240,
                                     options=opts))],
                     LAN4: [to_client(IP(src=R4, dst=client4, id=0,
                                         flags=0, ttl=59, proto=6) /
                                      TCP(sport=443, dport=51000, seq=7000,
                                          ack=1001, flags="SA",
                                          window=65535, options=opts))]},
                config=B_CFG, counters={"xlat46": 1, "xlat64": 1,
                                        "roam_clat_out": 1,
                                        "roam_clat_in": 1})


@case
def roam_clat_echo():
    """node B: client4's ping becomes an ICMPv6 echo request to PLATC:R4
    (RFC 7915 4.2; the ICMPv6 checksum covers the new pseudo header),
    the echo reply from PLATC:R4 an ICMP echo reply from R4"""
    data = payload(24, 3)
    req = from_client(IP(src=client4, dst=R4, ttl=64) /
                      ICMP(type=8, id=0x77, seq=5) / Raw(data))
    rep = from_c(IPv6(src=pc6(R4), dst=c6(client4), hlim=64) /
                 ICMPv6EchoReply(id=0x77, seq=5, data=data))
    return Case(inp={LAN4: [req], MESH: [rep]},
                out={MESH: [to_c(IPv6(src=c6(client4), dst=pc6(R4), hlim=63)
                                 / ICMPv6EchoRequest(id=0x77, seq=5,
                                                     data=data))],
                     LAN4: [to_client(IP(src=R4, dst=client4, id=0,
                                         flags=0, ttl=63) /
                                      ICMP(type=0, id=0x77, seq=5) /
                                      Raw(data))]},
                config=B_CFG, counters={"roam_clat_out": 1,
                                        "roam_clat_in": 1})


@case
def roam_clat_icmp_error_in():
    """node B: an ICMPv6 time exceeded from a router under PLATC (PLATC:
    rtr4) quoting client4's datagram as it left B (CLATB:client4 ->
    PLATC:R4) reaches client4 as ICMPv4 time exceeded from rtr4 quoting
    client4 -> R4 (RFC 7915 5.2/5.3): the outer source and the quoted
    destination both had PLATC"""
    data = payload(20, 4)
    q6 = bytes(IPv6(src=c6(client4), dst=pc6(R4), hlim=1) /
               UDP(sport=40000, dport=7777) / Raw(data))
    q4 = bytes(IP(src=client4, dst=R4, ttl=1, id=0, flags=0) /
               UDP(sport=40000, dport=7777) / Raw(data))
    inp = from_c(IPv6(src=pc6(rtr4), dst=c6(client4), hlim=64) /
                 icmp6_msg(3, 0, b"\0\0\0\0", q6))
    # what changed: ICMPv6 3/0 -> ICMPv4 11/0 (RFC 7915 5.2), from rtr4,
    # TTL 63; the quote: IPv6 -> IPv4, client4 -> R4, TTL = the quoted
    # hop limit, identification free (masked with the checksums over it)
    exp = Exp(Ether(src=lan4_mac, dst=client4_mac) /
              IP(src=rtr4, dst=client4, ttl=63, id=0, flags=0, proto=1) /
              Raw(icmp4_raw(11, 0, b"\0\0\0\0", q4)),
              free_ip4_id=True, free_inner_ip4_id=True)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=B_CFG,
                counters={"xlat64": 1, "roam_clat_in": 1})


@case
def roam_clat_icmp_error_out():
    """node B: client4 answers R4's datagram with ICMP port unreachable:
    it leaves as ICMPv6 port unreachable to PLATC:R4, quoting PLATC:R4
    -> CLATB:client4, the datagram as PLATC sent it (RFC 7915 4.2/4.3;
    the quoted source had the /96 that the outer destination got)"""
    data = payload(16, 5)
    q4 = bytes(IP(src=R4, dst=client4, ttl=63, id=0x4242, flags=0) /
               UDP(sport=7777, dport=40000) / Raw(data))
    q6 = bytes(IPv6(src=pc6(R4), dst=c6(client4), hlim=63) /
               UDP(sport=7777, dport=40000) / Raw(data))
    inp = from_client(IP(src=client4, dst=R4, ttl=64, proto=1) /
                      Raw(icmp4_raw(3, 3, b"\0\0\0\0", q4)))
    exp = to_c(IPv6(src=c6(client4), dst=pc6(R4), hlim=63) /
               icmp6_msg(1, 4, b"\0\0\0\0", q6))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=B_CFG,
                counters={"xlat46": 1, "roam_clat_out": 1})


@case
def roam_clat_other_client():
    """node B: client4b has no entry: its datagram goes to the node's PLAT
    (PLATB:R4 via gw6) as plain RFC 7915 4 says; no remap"""
    data = payload(21, 6)
    inp = from_client(IP(src=client4b, dst=R4, ttl=64) /
                      UDP(sport=40000, dport=7777) / Raw(data),
                      mac=client4b_mac)
    exp = to_b_plat(IPv6(src=c6(client4b), dst=p6(R4), hlim=63, nh=17) /
                    UDP(sport=40000, dport=7777) / Raw(data))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=B_CFG,
                counters={"xlat46": 1, "roam_clat_out": 0})


@case
def roam_clat_reply_not_roamed():
    """node B: a reply from PLATC to client4b, who has no entry, has a
    source outside the CLAT's PLAT prefix: dropped as the CLAT drops it
    (xlat_src), 'administratively prohibited' back to PLATC:R4 (RFC
    7915 5.4), routed via gwc6"""
    inp = from_c(IPv6(src=pc6(R4), dst=c6(client4b), hlim=64) /
                 UDP(sport=7777, dport=40000) / Raw(payload(9, 7)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6DestUnreach, 1,
                                        mesh_ip6, mesh_mac)]},
                config=B_CFG, drops={"xlat_src": 1},
                counters={"xlat64": 0, "roam_clat_in": 0})


@case
def roam_clat_absent():
    """node B with a roam section but no entry for client4 (another
    client's only): client4 uses the node's PLAT (PLATB:R4 via gw6), and
    a reply from PLATC to it is refused as in roam_clat_reply_not_roamed"""
    cfg = b_config(entries=[{"kind": "clat", "client": "192.168.0.77",
                             "plat": PLATC, "lease": 60}])
    data = payload(21, 8)
    out = from_client(IP(src=client4, dst=R4, ttl=64) /
                      UDP(sport=40000, dport=7777) / Raw(data))
    back = from_c(IPv6(src=pc6(R4), dst=c6(client4), hlim=64) /
                  UDP(sport=7777, dport=40000) / Raw(payload(9, 9)))
    return Case(inp={LAN4: [out], MESH: [back]},
                out={MESH: [to_b_plat(IPv6(src=c6(client4), dst=p6(R4),
                                           hlim=63, nh=17) /
                                      UDP(sport=40000, dport=7777) /
                                      Raw(data)),
                            icmp6_error(back, ICMPv6DestUnreach, 1,
                                        mesh_ip6, mesh_mac)]},
                config=cfg, drops={"xlat_src": 1},
                counters={"xlat46": 1, "xlat64": 0, "roam_clat_out": 0,
                          "roam_clat_in": 0})


@case
def roam_clat_reply_from_own_plat():
    """node B: a roamed client still takes replies from the node's current
    PLAT (PLATB:R4b): nothing to remap, plain RFC 7915 5"""
    data = payload(12, 10)
    inp = from_c(IPv6(src=p6(remote4b), dst=c6(client4), hlim=64) /
                 UDP(sport=53, dport=40000) / Raw(data))
    exp = to_client(IP(src=remote4b, dst=client4, id=0, flags=0, ttl=63,
                       proto=17) / UDP(sport=53, dport=40000) / Raw(data))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=B_CFG,
                counters={"xlat64": 1, "roam_clat_in": 0})


@case
def roam_clat_in_hlim1():
    """node B: a reply from PLATC:R4 to roamed client4 that arrives with
    hop limit 1 gets ICMPv6 time exceeded (RFC 7915 5.1: a router first;
    RFC 4443 3.3) back to PLATC:R4, the source it came from, quoting it
    as it came (RFC 4443 2.4), not as the NETMAP to PLATB would have
    made it"""
    inp = from_c(IPv6(src=pc6(R4), dst=c6(client4), hlim=1) /
                 UDP(sport=7777, dport=40000) / Raw(payload(9, 31)))
    return Case(inp={MESH: [inp]},
                out={MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0,
                                        mesh_ip6, mesh_mac)]},
                config=B_CFG, drops={"ttl_exceeded": 1},
                counters={"xlat64": 0, "icmp_error": 1})


@case
def roam_clat_fragments():
    """node B: roamed client4's UDP datagram in two IPv4 fragments leaves
    as two IPv6 fragments to PLATC:R4 (RFC 7915 4.1: a Fragment Header,
    offset and M copied, identification the IPv4 one); the first carries
    the UDP checksum of the whole datagram over the pseudo header with
    PLATC:R4, the second no transport header, only its address moves"""
    l4 = UDP(sport=40000, dport=7777) / Raw(payload(300, 32))
    u4 = l4_over4(client4, R4, l4)
    u6 = l4_over6(c6(client4), pc6(R4), l4)
    f1 = from_client(IP(src=client4, dst=R4, ttl=64, id=0xbeef, flags="MF",
                        proto=17) / Raw(u4[:200]))
    f2 = from_client(IP(src=client4, dst=R4, ttl=64, id=0xbeef, frag=25,
                        proto=17) / Raw(u4[200:]))

    def v6frag(offset, m, data):
        return to_c(IPv6(src=c6(client4), dst=pc6(R4), hlim=63, nh=44) /
                    IPv6ExtHdrFragment(nh=17, offset=offset, m=m,
                                       id=0xbeef) / Raw(data))
    return Case(inp={LAN4: [f1, f2]},
                out={MESH: [v6frag(0, 1, u6[:200]), v6frag(25, 0, u6[200:])]},
                config=B_CFG, counters={"xlat46": 2, "roam_clat_out": 2})


# --- node C: the PLAT the client keeps -----------------------------------------
CLATD = pfx_of(clat_range, "02:00:00:00:00:d1")  # where it got its lease
CLATB = node_b_prefix                            # where it is now
CLIENTIP = "192.168.0.23"                        # the seed's
OTHERIP = "192.168.0.24"
gwb6 = "2001:db8:1c0:2:1::b"                     # the mesh's way to CLATB
gwb6_mac = "02:00:00:00:00:9b"
assert CLATD == "fddd:1337:1337:200:0:d1::/96"
assert CLATB == "fddd:1337:1337:200:0:b1::/96"
OLD6 = embed96(CLATD, CLIENTIP)                  # CLATD:CLIENTIP
NEW6 = embed96(CLATB, CLIENTIP)                  # CLATB:CLIENTIP
SU6, SU4 = S_UDP[1], S_UDP[2]                    # OLD6's static 5353/9053
ST6, ST4 = S_TCP[1], S_TCP[2]                    # and 8080/9080


def c_config(entries=None, roam=True):
    """plat_config() whose static BIB entries are the roamed client's old
    address, with a route to CLATB via gwb6 and the roam entry."""
    c = plat_config(static_bib=static_bib(host=OLD6))
    c["routes"].append({"prefix": CLATB, "port": "mesh", "via": gwb6})
    c["neighbours"].append({"ip": gwb6, "mac": gwb6_mac, "port": "mesh"})
    if entries is None:
        entries = [{"kind": "plat", "client": CLIENTIP, "from": CLATD,
                    "to": CLATB, "lease": 3600}]
    if roam:
        c["roam"] = {"entries": entries}
    return c


C_CFG = c_config()


def from_b(l3):
    """A packet of node B's clients, through gwb6."""
    return Ether(src=gwb6_mac, dst=mesh_mac) / l3


def to_b(l3):
    return Exp(Ether(src=mesh_mac, dst=gwb6_mac) / l3)


def v6udp(src, sport, dport, data, dst4=R4, hlim=64):
    return IPv6(src=src, dst=x6(dst4), hlim=hlim) / \
        UDP(sport=sport, dport=dport) / Raw(data)


def out4udp(sport, dport, data, free=None, dst4=R4):
    if free is not None:
        sport = free.placeholder()
    return to_wan4(IP(src=plat_pool4, dst=dst4, ttl=63, flags=0) /
                   UDP(sport=sport, dport=dport) / Raw(data),
                   free_sport=free)


def v4udp(sport, dport, data, ttl=50):
    return from_wan4(IP(src=R4, dst=plat_pool4, ttl=ttl, id=0x3131) /
                     UDP(sport=sport, dport=dport) / Raw(data))


@case
def roam_plat_static_out():
    """node C: a datagram from CLATB:CLIENTIP port 5353 is NAT64'd as
    CLATD:CLIENTIP (seed: rofromD NETMAP before NAT64), so it takes that
    address's BIB entry: 10.23.0.9:9053"""
    data = payload(21, 11)
    inp = from_b(v6udp(NEW6, SU6, 7777, data))
    # what changed: IPv6 -> IPv4 (RFC 7915 5 with RFC 6146 3.7), src
    # 10.23.0.9:9053 (OLD6's static entry), TTL 63
    return Case(inp={P_MESH: [inp]}, out={P_WAN: [out4udp(SU4, 7777, data)]},
                config=C_CFG, counters={"nat64_in2out": 1,
                                        "roam_plat_in": 1,
                                        "roam_plat_out": 0})


@case
def roam_plat_same_mapping():
    """node C: CLATD:CLIENTIP port 40000 sends first (before the roam, say);
    then CLATB:CLIENTIP from port 40000: the same BIB entry, the same
    pool port (RFC 4787 REQ-1 holds across the roam: one client port,
    one mapping)"""
    d1, d2 = payload(10, 12), payload(11, 13)
    ins = [from_mesh6(v6udp(OLD6, 40000, 7777, d1)),
           from_b(v6udp(NEW6, 40000, 8888, d2, dst4=remote4b))]
    exps = [out4udp(None, 7777, d1, free=FreePort(parity=0, same="m")),
            out4udp(None, 8888, d2, free=FreePort(parity=0, same="m"),
                    dst4=remote4b)]
    return Case(inp={P_MESH: ins}, out={P_WAN: exps}, config=C_CFG,
                counters={"nat64_in2out": 2, "roam_plat_in": 1})


@case
def roam_plat_kept_port_reply():
    """node C: CLATD:CLIENTIP took pool port 9500 (kept, doc/nat64.md);
    after the roam CLATB:CLIENTIP from 9500 leaves from 9500 again (the
    same mapping, not a new one, which would get another port), and R4's
    reply to 9500 goes to CLATB:CLIENTIP via gwb6 (seed: rotoB NETMAP
    after NAT64)"""
    d1, d2, d3 = payload(10, 14), payload(12, 15), payload(14, 16)
    ins = [from_mesh6(v6udp(OLD6, 9500, 7777, d1)),
           from_b(v6udp(NEW6, 9500, 7777, d2))]
    rep = v4udp(7777, 9500, d3)
    # what changed for the reply: IPv4 -> IPv6, src 64:ff9b::R4, dst
    # CLATD:CLIENTIP:9500 -> CLATB:CLIENTIP:9500, hop limit 49
    exp = to_b(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
               UDP(sport=7777, dport=9500) / Raw(d3))
    return Case(inp={P_MESH: ins, P_WAN: [rep]},
                out={P_WAN: [out4udp(9500, 7777, d1),
                             out4udp(9500, 7777, d2)],
                     P_MESH: [exp]},
                config=C_CFG, counters={"nat64_in2out": 2,
                                        "nat64_out2in": 1,
                                        "roam_plat_in": 1,
                                        "roam_plat_out": 1})


@case
def roam_plat_static_reply():
    """node C: R4's reply to 10.23.0.9:9053 (CLATD:CLIENTIP's entry) is
    translated to CLATD:CLIENTIP:5353 and then goes to CLATB:CLIENTIP,
    routed toward CLATB (gwb6), not CLATD (gw6)"""
    d1, d2 = payload(20, 17), payload(30, 18)
    req = from_b(v6udp(NEW6, SU6, 7777, d1))
    rep = v4udp(7777, SU4, d2)
    exp = to_b(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
               UDP(sport=7777, dport=SU6) / Raw(d2))
    return Case(inp={P_MESH: [req], P_WAN: [rep]},
                out={P_WAN: [out4udp(SU4, 7777, d1)], P_MESH: [exp]},
                config=C_CFG, counters={"nat64_in2out": 1,
                                        "nat64_out2in": 1,
                                        "roam_plat_in": 1,
                                        "roam_plat_out": 1})


@case
def roam_plat_icmp4_error():
    """node C: R4's port unreachable about the roamed client's datagram
    (quoting 10.23.0.9:9053 -> R4:7777) reaches CLATB:CLIENTIP as ICMPv6
    port unreachable from 64:ff9b::R4 (RFC 7915 4.2: 3/3 -> 1/4) whose
    quote is what the client sent, CLATB:CLIENTIP:5353 -> 64:ff9b::R4
    (RFC 6146 3.5.4 gives CLATD:CLIENTIP, the rotoB NETMAP the quoted
    source with the outer destination)"""
    data = payload(20, 19)
    req = from_b(v6udp(NEW6, SU6, 7777, data))
    q4 = bytes(IP(src=plat_pool4, dst=R4, ttl=40, id=0x5151, flags=0) /
               UDP(sport=SU4, dport=7777) / Raw(data))
    q6 = bytes(IPv6(src=NEW6, dst=x6(R4), hlim=40) /
               UDP(sport=SU6, dport=7777) / Raw(data))
    err = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50, proto=1) /
                    Raw(icmp4_raw(3, 3, b"\0\0\0\0", q4)))
    exp = to_b(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
               icmp6_msg(1, 4, b"\0\0\0\0", q6))
    return Case(inp={P_MESH: [req], P_WAN: [err]},
                out={P_WAN: [out4udp(SU4, 7777, data)], P_MESH: [exp]},
                config=C_CFG, counters={"nat64_in2out": 1,
                                        "nat64_out2in": 1,
                                        "roam_plat_in": 1,
                                        "roam_plat_out": 1})


@case
def roam_plat_icmp6_error():
    """node C: the roamed client refuses R4's datagram with ICMPv6 port
    unreachable quoting 64:ff9b::R4 -> CLATB:CLIENTIP:5353; the rofromD
    NETMAP makes both the outer source and the quoted destination
    CLATD:CLIENTIP, so RFC 6146 3.5.4 finds the session: R4 gets ICMP
    port unreachable from 10.23.0.9 quoting R4:7777 -> 10.23.0.9:9053
    (RFC 7915 5.2/5.3, inner identification free)"""
    d1, d2 = payload(8, 20), payload(20, 21)
    req = from_b(v6udp(NEW6, SU6, 7777, d1))
    q6 = bytes(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
               UDP(sport=7777, dport=SU6) / Raw(d2))
    q4 = bytes(IP(src=R4, dst=plat_pool4, ttl=49, id=0, flags=0) /
               UDP(sport=7777, dport=SU4) / Raw(d2))
    err = from_b(IPv6(src=NEW6, dst=x6(R4), hlim=64) /
                 icmp6_msg(1, 4, b"\0\0\0\0", q6))
    exp = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0, proto=1) /
                  Raw(icmp4_raw(3, 3, b"\0\0\0\0", q4)), free_inner_id=True)
    return Case(inp={P_MESH: [req, err]},
                out={P_WAN: [out4udp(SU4, 7777, d1), exp]},
                config=C_CFG, counters={"nat64_in2out": 2,
                                        "roam_plat_in": 2})


@case
def roam_plat_tcp():
    """node C: the roamed client's SYN from port 8080 leaves as
    10.23.0.9:9080 (CLATD:CLIENTIP's static TCP entry, RFC 6146 3.5.2);
    R4's SYN-ACK goes back to CLATB:CLIENTIP:8080"""
    opts = [("MSS", 1440), ("SAckOK", b""), ("WScale", 7)]
    syn = from_b(IPv6(src=NEW6, dst=x6(R4), hlim=64) /
                 TCP(sport=ST6, dport=443, flags="S", seq=1000,
                     window=64800, options=opts))
    sa = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50, id=0x77) /
                   TCP(sport=443, dport=ST4, flags="SA", seq=5000,
                       ack=1001, window=29200, options=opts))
    out = to_wan4(IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                  TCP(sport=ST4, dport=443, flags="S", seq=1000,
                      window=64800, options=opts))
    back = to_b(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
                TCP(sport=443, dport=ST6, flags="SA", seq=5000, ack=1001,
                    window=29200, options=opts))
    return Case(inp={P_MESH: [syn], P_WAN: [sa]},
                out={P_WAN: [out], P_MESH: [back]}, config=C_CFG,
                counters={"nat64_in2out": 1, "nat64_out2in": 1,
                          "roam_plat_in": 1, "roam_plat_out": 1})


@case
def roam_plat_fragments():
    """node C: the roamed client's datagram in two IPv6 fragments (a first
    with the UDP header, a non-first without) is remapped fragment by
    fragment, reassembled (RFC 6146 3.4) and leaves as one IPv4 datagram
    from CLATD:CLIENTIP's entry, 10.23.0.9:9053"""
    data = payload(1000, 22)
    whole = (IPv6(src=NEW6, dst=x6(R4), hlim=64) /
             IPv6ExtHdrFragment(id=0x99) /
             UDP(sport=SU6, dport=7777) / Raw(data))
    frags = [from_b(f) for f in fragment6(whole, 600)]
    assert len(frags) == 2
    return Case(inp={P_MESH: frags}, out={P_WAN: [out4udp(SU4, 7777, data)]},
                config=C_CFG, counters={"nat64_reassembled": 1,
                                        "nat64_in2out": 1,
                                        "roam_plat_in": 2})


@case
def roam_plat_other_client():
    """node C: CLATB:OTHERIP has no entry: NAT64'd as itself, a port of
    the NAT's choice (RFC 6146 3.5.1.1); no remap either way"""
    data = payload(21, 23)
    inp = from_b(v6udp(embed96(CLATB, OTHERIP), SU6, 7777, data))
    return Case(inp={P_MESH: [inp]},
                out={P_WAN: [out4udp(None, 7777, data,
                                     free=FreePort(parity=SU6))]},
                config=C_CFG, counters={"nat64_in2out": 1,
                                        "roam_plat_in": 0})


@case
def roam_plat_absent():
    """node C without an entry for the client (a roam section with
    another client's only): CLATB:CLIENTIP:5353 is a client of its own
    (the NAT's port, not CLATD:CLIENTIP's 9053), and R4's reply to 9053
    goes to CLATD:CLIENTIP via gw6"""
    cfg = c_config(entries=[{"kind": "plat", "client": OTHERIP,
                             "from": CLATD, "to": CLATB, "lease": 60}])
    d1, d2 = payload(21, 24), payload(22, 25)
    inp = from_b(v6udp(NEW6, SU6, 7777, d1))
    rep = v4udp(7777, SU4, d2)
    return Case(inp={P_MESH: [inp], P_WAN: [rep]},
                out={P_WAN: [out4udp(None, 7777, d1,
                                     free=FreePort(parity=SU6))],
                     P_MESH: [to_mesh6(IPv6(src=x6(R4), dst=OLD6, hlim=49) /
                                       UDP(sport=7777, dport=SU6) /
                                       Raw(d2))]},
                config=cfg, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1,
                                      "roam_plat_in": 0,
                                      "roam_plat_out": 0})


@case
def roam_plat_onlink_reply():
    """node C with CLATB/96 on the mesh link itself (a route without a
    gateway; node B's CLAT answers for its addresses, here a static
    neighbour): R4's reply goes to the link-layer address of the new
    address CLATB:CLIENTIP, the one the packet now carries, not of
    CLATD:CLIENTIP (RFC 4861 7.2: resolve the next hop, which on-link is
    the destination)"""
    cfg = c_config()
    cfg["routes"] = [r for r in cfg["routes"] if r["prefix"] != CLATB]
    cfg["routes"].append({"prefix": CLATB, "port": "mesh"})
    cfg["neighbours"].append({"ip": NEW6, "mac": gwb6_mac, "port": "mesh"})
    d1, d2 = payload(20, 26), payload(30, 27)
    req = from_b(v6udp(NEW6, SU6, 7777, d1))
    rep = v4udp(7777, SU4, d2)
    exp = to_b(IPv6(src=x6(R4), dst=NEW6, hlim=49) /
               UDP(sport=7777, dport=SU6) / Raw(d2))
    return Case(inp={P_MESH: [req], P_WAN: [rep]},
                out={P_WAN: [out4udp(SU4, 7777, d1)], P_MESH: [exp]},
                config=cfg, counters={"nat64_in2out": 1,
                                      "nat64_out2in": 1,
                                      "roam_plat_in": 1,
                                      "roam_plat_out": 1})


@case
def roam_plat_hlim1():
    """node C: the roamed client's datagram with hop limit 1 gets ICMPv6
    time exceeded (RFC 4443 3.3, RFC 7915 5.1: a router first) back to
    where it came from, CLATB:CLIENTIP via gwb6, quoting it as it came
    (RFC 4443 2.4), not to CLATD:CLIENTIP, the address NAT64 knows it
    by; no session"""
    inp = from_b(v6udp(NEW6, SU6, 7777, payload(8, 28), hlim=1))
    return Case(inp={P_MESH: [inp]},
                out={P_MESH: [icmp6_error(inp, ICMPv6TimeExceeded, 0,
                                          mesh_ip6, mesh_mac)]},
                config=C_CFG, drops={"ttl_exceeded": 1},
                counters={"nat64_in2out": 0, "roam_plat_in": 1,
                          "icmp_error": 1})


# --- a PLAT node the client roamed to (seed 003: "Platnodes can also be
# clatnodes ... This is required for allowing its clients to roam") -------
@case
def roam_node_roamed_here():
    """a node that is CLAT and PLAT (node_config()) where client4 roamed
    to from node D: its packet, translated by the node's CLAT (src
    CLATB:client4, CLATB the node's own CLAT prefix), goes to the node's
    PLAT, which takes it as CLATD:client4 (that address's static UDP
    entry, 9053); R4's reply to 9053 comes back to CLATD:client4, then to
    CLATB:client4, the node's own CLAT, and client4 gets it as IPv4"""
    d1, d2 = payload(21, 29), payload(33, 30)
    old = embed96(CLATD, client4)
    cfg = node_config(static_bib=static_bib(host=old))
    cfg["roam"] = {"entries": [{"kind": "plat", "client": client4,
                                "from": CLATD, "to": clat_prefix,
                                "lease": 3600}]}
    req = Ether(src=client4_mac, dst=lan4_mac) / \
        IP(src=client4, dst=R4, ttl=64, id=0x1111) / \
        UDP(sport=SU6, dport=7777) / Raw(d1)
    rep = from_wan4(IP(src=R4, dst=plat_pool4, ttl=50, id=0x2222) /
                    UDP(sport=7777, dport=SU4) / Raw(d2))
    # what changed: out, client4:5353 -> 10.23.0.9:9053 (CLATD:client4's
    # entry), TTL 63; back, 10.23.0.9:9053 -> client4:5353, TTL 49
    return Case(inp={N_LAN4: [req], N_WAN: [rep]},
                out={N_WAN: [Exp(Ether(src=wan_mac, dst=wan_gw4_mac) /
                                 IP(src=plat_pool4, dst=R4, ttl=63, flags=0) /
                                 UDP(sport=SU4, dport=7777) / Raw(d1),
                                 free_ip4_id=True)],
                     N_LAN4: [Exp(Ether(src=lan4_mac, dst=client4_mac) /
                                  IP(src=R4, dst=client4, ttl=49, flags=0) /
                                  UDP(sport=7777, dport=SU6) / Raw(d2),
                                  free_ip4_id=True)]},
                config=cfg, counters={"xlat46": 1, "nat64_in2out": 1,
                                      "nat64_out2in": 1, "xlat64": 1,
                                      "roam_plat_in": 1,
                                      "roam_plat_out": 1})
