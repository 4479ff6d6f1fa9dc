# SPDX-License-Identifier: BSD-3-Clause
"""Echo requests to the box's own addresses (RFC 792, RFC 4443 section 4)."""

from mxpcap import *  # noqa: F401,F403


def ping4(eth_src, src, dst, ttl=64, eth_dst=lan4_mac, data=None):
    return (Ether(src=eth_src, dst=eth_dst) /
            IP(src=src, dst=dst, ttl=ttl, id=0x1111, tos=0, flags=0) /
            ICMP(type=8, id=0x4d58, seq=7) /
            Raw(payload(56) if data is None else data))


def pong4(req, port_mac):
    # what changed: eth and IP addresses swapped, TTL 64, type 8 -> 0,
    # ICMP checksum; id/seq/payload kept; IPv4 id chosen by the box
    return Exp(Ether(src=port_mac, dst=req[Ether].src) /
               IP(src=req[IP].dst, dst=req[IP].src, ttl=64, id=0, flags=0,
                  tos=0) /
               ICMP(type=0, id=req[ICMP].id, seq=req[ICMP].seq) /
               Raw(req[Raw].load), free_ip4_id=True)


def ping6(eth_src, src, dst, port_mac, hlim=64):
    return (Ether(src=eth_src, dst=port_mac) /
            IPv6(src=src, dst=dst, hlim=hlim) /
            ICMPv6EchoRequest(id=0x4d58, seq=9, data=payload(32, 3)))


def pong6(req, port_mac):
    # what changed: addresses swapped (src = the pinged address), hop
    # limit 64, type 128 -> 129, checksum; id/seq/data kept
    r = req[ICMPv6EchoRequest]
    return (Ether(src=port_mac, dst=req[Ether].src) /
            IPv6(src=req[IPv6].dst, dst=req[IPv6].src, hlim=64, tc=0, fl=0) /
            ICMPv6EchoReply(id=r.id, seq=r.seq, data=r.data))


@case
def ping4_lan4():
    """ICMPv4 echo to the lan4 address from a client"""
    req = ping4(client4_mac, client4, lan4_ip4)
    return Case(inp={LAN4: [req]}, out={LAN4: [pong4(req, lan4_mac)]},
                counters={"echo_reply": 1, "xlat46": 0})


@case
def ping4_stranger():
    """echo from a host that is no static neighbour: the reply goes to the
    request's Ethernet source, without ARP"""
    req = ping4(stranger4_mac, stranger4, lan4_ip4)
    return Case(inp={LAN4: [req]}, out={LAN4: [pong4(req, lan4_mac)]},
                counters={"echo_reply": 1, "arp_request": 0})


@case
def ping4_ttl1():
    """TTL 1 does not matter for a packet addressed to the box itself"""
    req = ping4(client4_mac, client4, lan4_ip4, ttl=1)
    return Case(inp={LAN4: [req]}, out={LAN4: [pong4(req, lan4_mac)]},
                counters={"echo_reply": 1, "icmp_error": 0})


@case
def ping4_big():
    """1400-byte echo: the whole payload comes back"""
    req = ping4(client4_mac, client4, lan4_ip4, data=payload(1372, 5))
    assert len(req[IP]) == 1400
    return Case(inp={LAN4: [req]}, out={LAN4: [pong4(req, lan4_mac)]},
                counters={"echo_reply": 1})


@case
def ping4_bad_icmp_csum():
    """echo request with a wrong ICMP checksum is not answered"""
    req = ping4(client4_mac, client4, lan4_ip4)
    good = Ether(bytes(req))[ICMP].chksum
    req[ICMP].chksum = good ^ 0x0101            # what changed: checksum
    return Case(inp={LAN4: [req]}, out={}, drops={"icmp_csum": 1},
                counters={"echo_reply": 0})


@case
def ping4_three():
    """three echo requests in one burst: three replies in order"""
    reqs = []
    for i in range(3):
        r = ping4(client4_mac, client4, lan4_ip4, data=payload(8 + i, i))
        r[ICMP].seq = 100 + i
        reqs.append(r)
    return Case(inp={LAN4: reqs},
                out={LAN4: [pong4(r, lan4_mac) for r in reqs]},
                counters={"echo_reply": 3})


@case
def ping6_mesh_global():
    """ICMPv6 echo to the mesh global address"""
    req = ping6(gw6_mac, gw6, mesh_ip6, mesh_mac)
    return Case(inp={MESH: [req]}, out={MESH: [pong6(req, mesh_mac)]},
                counters={"echo_reply": 1, "xlat64": 0})


@case
def ping6_mesh_linklocal():
    """ICMPv6 echo to the mesh link-local address: the reply comes from
    the link-local address"""
    req = ping6(gw6_mac, gw6_ll, mesh_ll, mesh_mac)
    return Case(inp={MESH: [req]}, out={MESH: [pong6(req, mesh_mac)]},
                counters={"echo_reply": 1})


@case
def ping6_lan4_linklocal():
    """the lan4 port answers ICMPv6 echo on its EUI-64 link-local address"""
    req = ping6(client4_mac, "fe80::11", lan4_ll, lan4_mac, hlim=1)
    return Case(inp={LAN4: [req]}, out={LAN4: [pong6(req, lan4_mac)]},
                counters={"echo_reply": 1})


@case
def ping6_bad_icmp_csum():
    """ICMPv6 echo with a wrong checksum is not answered"""
    req = ping6(gw6_mac, gw6, mesh_ip6, mesh_mac)
    good = Ether(bytes(req))[ICMPv6EchoRequest].cksum
    req[ICMPv6EchoRequest].cksum = good ^ 0x8000     # what changed
    return Case(inp={MESH: [req]}, out={}, drops={"icmp_csum": 1},
                counters={"echo_reply": 0})


@case
def ping4_second_address():
    """echo to the second IPv4 address of lan4: the reply comes from it"""
    cfg = base_config()
    cfg["ports"][0]["ipv4"] = [lan4_ip4 + "/24", "10.99.0.1/16"]
    req = ping4(stranger4_mac, "10.99.0.5", "10.99.0.1")
    return Case(inp={LAN4: [req]}, out={LAN4: [pong4(req, lan4_mac)]},
                config=cfg, counters={"echo_reply": 1})
