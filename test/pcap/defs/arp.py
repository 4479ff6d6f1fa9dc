# SPDX-License-Identifier: BSD-3-Clause
"""ARP (RFC 826) on the lan4 port: answering, refusing, resolving."""

from mxpcap import *  # noqa: F401,F403


def arp_req(src_mac, src_ip, target, eth_dst=BCAST):
    return (Ether(src=src_mac, dst=eth_dst) /
            ARP(op=1, hwsrc=src_mac, psrc=src_ip, hwdst=ZERO_MAC, pdst=target))


def arp_reply_from_box(req):
    # what changed: op 1 -> 2, the box fills in its MAC, the sender's
    # fields become the target's, Ethernet goes back to the requester
    return Exp(Ether(src=lan4_mac, dst=req[Ether].src) /
               ARP(op=2, hwsrc=lan4_mac, psrc=req[ARP].pdst,
                   hwdst=req[ARP].hwsrc, pdst=req[ARP].psrc), pad_ok=True)


@case
def arp_request_ours():
    """broadcast ARP request for the lan4 address is answered"""
    req = arp_req(client4_mac, client4, lan4_ip4)
    return Case(inp={LAN4: [req]},
                out={LAN4: [arp_reply_from_box(req)]},
                counters={"arp_reply": 1})


@case
def arp_request_unicast():
    """unicast ARP request (eth dst = port MAC, a re-validation) from a
    host that is not a static neighbour is answered"""
    req = arp_req(stranger4_mac, stranger4, lan4_ip4, eth_dst=lan4_mac)
    return Case(inp={LAN4: [req]},
                out={LAN4: [arp_reply_from_box(req)]},
                counters={"arp_reply": 1})


@case
def arp_request_padded():
    """ARP request padded to 60 bytes as it is on the wire is answered"""
    req = arp_req(client4_mac, client4, lan4_ip4) / Padding(b"\0" * 18)
    assert len(req) == 60
    return Case(inp={LAN4: [req]},
                out={LAN4: [arp_reply_from_box(req)]},
                counters={"arp_reply": 1})


@case
def arp_request_not_ours():
    """ARP request for another address of the subnet is dropped"""
    req = arp_req(client4_mac, client4, "192.168.0.77")
    return Case(inp={LAN4: [req]}, out={},
                drops={"arp_not_ours": 1}, counters={"arp_reply": 0})


@case
def arp_request_other_mac():
    """ARP request unicast to another MAC: not for us at layer 2"""
    req = arp_req(client4_mac, client4, lan4_ip4, eth_dst="02:00:00:00:00:77")
    return Case(inp={LAN4: [req]}, out={}, drops={"eth_not_us": 1})


@case
def arp_requests_two():
    """two requesters in a row get one reply each, in order"""
    r1 = arp_req(client4_mac, client4, lan4_ip4)
    r2 = arp_req(client4b_mac, client4b, lan4_ip4)
    return Case(inp={LAN4: [r1, r2]},
                out={LAN4: [arp_reply_from_box(r1), arp_reply_from_box(r2)]},
                counters={"arp_reply": 2})


@case
def arp_resolve_timeout():
    """6->4 packet to a client that is not a known neighbour: the box
    broadcasts one ARP request from its lan4 address, nobody answers, the
    queued packet is dropped after ~1 s"""
    pkt = (Ether(src=gw6_mac, dst=mesh_mac) /
           IPv6(src=p6(remote4), dst=c6(client4b), hlim=64) /
           UDP(sport=7777, dport=40000) / Raw(payload(20)))
    # what the box sends instead: who-has 192.168.0.2 tell 192.168.0.254
    req = Exp(Ether(src=lan4_mac, dst=BCAST) /
              ARP(op=1, hwsrc=lan4_mac, psrc=lan4_ip4, hwdst=ZERO_MAC,
                  pdst=client4b), pad_ok=True)
    return Case(inp={MESH: [pkt]}, out={LAN4: [req]},
                drops={"neigh_timeout": 1}, counters={"arp_request": 1},
                idle_exit=1500)


@case
def arp_learn_from_request():
    """the sender of an ARP request for our address is learned (RFC 826
    'merge'): a 6->4 packet to that client right after goes to its MAC and
    nothing times out. Whether the box also sends its own who-has before
    the learned entry lands is a matter of timing, so those are ignored."""
    req = arp_req(client4b_mac, client4b, lan4_ip4)
    pkt = (Ether(src=gw6_mac, dst=mesh_mac) /
           IPv6(src=p6(remote4), dst=c6(client4b), hlim=64) /
           UDP(sport=7777, dport=40000) / Raw(payload(20)))
    # what changed: translated as in clat64_udp, Ethernet to the learned MAC
    exp = Exp(Ether(src=lan4_mac, dst=client4b_mac) /
              IP(src=remote4, dst=client4b, id=0, ttl=63, proto=17) /
              UDP(sport=7777, dport=40000) / Raw(payload(20)),
              free_ip4_id=True)

    def own_who_has(f):
        return f.haslayer(ARP) and f[ARP].op == 1 and f[ARP].hwsrc == lan4_mac
    return Case(inp={LAN4: [req], MESH: [pkt]},
                out={LAN4: [arp_reply_from_box(req), exp]},
                counters={"arp_reply": 1, "xlat64": 1}, ignore=own_who_has)
