# SPDX-License-Identifier: BSD-3-Clause
"""Neighbour discovery (RFC 4861): NS answered with NA, invalid NS, own NS."""

from mxpcap import *  # noqa: F401,F403


def ns(eth_src, src, target, sll=None, eth_dst=None, dst=None, hlim=255):
    """An NS for 'target', multicast to its solicited-node group unless
    'dst' is given; with an SLLA option when 'sll' is given."""
    dst = dst or solicited_node(target)
    p = (Ether(src=eth_src, dst=eth_dst or mcast_mac6(dst)) /
         IPv6(src=src, dst=dst, hlim=hlim) / ICMPv6ND_NS(tgt=target))
    if sll is not None:
        p = p / ICMPv6NDOptSrcLLAddr(lladdr=sll)
    return p


def na_from_box(req, port_mac):
    """RFC 4861 section 7.2.4: src = the target, dst = the NS source, R S O
    set, TLLA = our MAC; Ethernet to the SLLA, else to the NS sender."""
    target = req[ICMPv6ND_NS].tgt
    if req.haslayer(ICMPv6NDOptSrcLLAddr):
        eth_dst = req[ICMPv6NDOptSrcLLAddr].lladdr
    else:
        eth_dst = req[Ether].src
    return (Ether(src=port_mac, dst=eth_dst) /
            IPv6(src=target, dst=req[IPv6].src, hlim=255, tc=0, fl=0) /
            ICMPv6ND_NA(R=1, S=1, O=1, tgt=target) /
            ICMPv6NDOptDstLLAddr(lladdr=port_mac))


@case
def nd_ns_global():
    """NS for the mesh global address, multicast with SLLA: NA back"""
    req = ns(gw6_mac, gw6, mesh_ip6, sll=gw6_mac)
    return Case(inp={MESH: [req]}, out={MESH: [na_from_box(req, mesh_mac)]},
                counters={"nd_advert": 1})


@case
def nd_ns_sll_differs():
    """NS whose SLLA differs from its Ethernet source: the NA goes to the
    SLLA (RFC 4861 section 7.2.4 "link-layer address of the sender")"""
    req = ns(other_mac, gw6, mesh_ip6, sll=gw6_mac)
    return Case(inp={MESH: [req]}, out={MESH: [na_from_box(req, mesh_mac)]},
                counters={"nd_advert": 1})


@case
def nd_ns_linklocal_unicast():
    """unicast NS (no SLLA) for the mesh link-local address, from a
    link-local source: NA to the NS's Ethernet source"""
    req = ns(gw6_mac, gw6_ll, mesh_ll, dst=mesh_ll, eth_dst=mesh_mac)
    return Case(inp={MESH: [req]}, out={MESH: [na_from_box(req, mesh_mac)]},
                counters={"nd_advert": 1})


@case
def nd_ns_lan4_linklocal():
    """the lan4 port has no IPv6 address in the config but still owns its
    EUI-64 link-local address and answers NS for it"""
    req = ns(client4_mac, "fe80::11", lan4_ll, sll=client4_mac)
    return Case(inp={LAN4: [req]}, out={LAN4: [na_from_box(req, lan4_mac)]},
                counters={"nd_advert": 1})


@case
def nd_ns_dad():
    """DAD probe (source ::, no SLLA) for our address: the NA is
    multicast to all-nodes with S clear (RFC 4861 section 7.2.4)"""
    req = ns(other_mac, "::", mesh_ip6)
    # what changed from a normal NA: dst ff02::1 / 33:33:00:00:00:01, S=0
    exp = (Ether(src=mesh_mac, dst=mcast_mac6(ALL_NODES)) /
           IPv6(src=mesh_ip6, dst=ALL_NODES, hlim=255) /
           ICMPv6ND_NA(R=1, S=0, O=1, tgt=mesh_ip6) /
           ICMPv6NDOptDstLLAddr(lladdr=mesh_mac))
    return Case(inp={MESH: [req]}, out={MESH: [exp]},
                counters={"nd_advert": 1})


@case
def nd_ns_hlim_not_255():
    """NS with hop limit 64 may come from off-link: dropped (RFC 4861
    section 7.1.1)"""
    req = ns(gw6_mac, gw6, mesh_ip6, sll=gw6_mac, hlim=64)
    return Case(inp={MESH: [req]}, out={}, drops={"nd_invalid": 1},
                counters={"nd_advert": 0})


@case
def nd_ns_bad_checksum():
    """NS with a wrong ICMPv6 checksum is dropped (RFC 4861 section 7.1.1;
    counted as invalid ND or as a bad ICMP checksum)"""
    req = ns(gw6_mac, gw6, mesh_ip6, sll=gw6_mac)
    good = Ether(bytes(req))[ICMPv6ND_NS].cksum
    req[ICMPv6ND_NS].cksum = good ^ 0x5a5a       # what changed: checksum
    return Case(inp={MESH: [req]}, out={},
                drops={"nd_invalid|icmp_csum": 1}, counters={"nd_advert": 0})


@case
def nd_ns_not_ours():
    """NS for another address of the mesh subnet is not answered"""
    req = ns(gw6_mac, gw6, peer6, sll=gw6_mac)
    return Case(inp={MESH: [req]}, out={}, drops={"nd_not_ours": 1},
                counters={"nd_advert": 0})


def _udp46(ttl=64):
    return (Ether(src=client4_mac, dst=lan4_mac) /
            IP(src=client4, dst=remote4, ttl=ttl, id=0x4242) /
            UDP(sport=40000, dport=7777) / Raw(payload(20)))


@case
def nd_resolve_timeout_global():
    """the PLAT route goes via a mesh host that is not a static neighbour:
    the translated packet waits for one NS (to the solicited-node group of
    the next hop, from our global address in its subnet, hop limit 255,
    SLLA) and is dropped after ~1 s without an answer"""
    cfg = config_with(routes=[{"prefix": plat_prefix, "port": "mesh",
                               "via": peer6}])
    exp = (Ether(src=mesh_mac, dst=mcast_mac6(solicited_node(peer6))) /
           IPv6(src=mesh_ip6, dst=solicited_node(peer6), hlim=255) /
           ICMPv6ND_NS(tgt=peer6) / ICMPv6NDOptSrcLLAddr(lladdr=mesh_mac))
    return Case(inp={LAN4: [_udp46()]}, out={MESH: [exp]}, config=cfg,
                drops={"neigh_timeout": 1}, counters={"nd_solicit": 1},
                idle_exit=1500)


@case
def nd_resolve_timeout_linklocal():
    """next hop given as a link-local address (as babel does): the NS comes
    from our link-local address, since no global one shares its subnet"""
    cfg = config_with(routes=[{"prefix": plat_prefix, "port": "mesh",
                               "via": "fe80::77"}])
    exp = (Ether(src=mesh_mac, dst=mcast_mac6(solicited_node("fe80::77"))) /
           IPv6(src=mesh_ll, dst=solicited_node("fe80::77"), hlim=255) /
           ICMPv6ND_NS(tgt="fe80::77") / ICMPv6NDOptSrcLLAddr(lladdr=mesh_mac))
    return Case(inp={LAN4: [_udp46()]}, out={MESH: [exp]}, config=cfg,
                drops={"neigh_timeout": 1}, counters={"nd_solicit": 1},
                idle_exit=1500)


@case
def nd_ns_second_address():
    """NS for the second global address of the mesh port is answered"""
    cfg = base_config()
    cfg["ports"][1]["ipv6"] = [mesh_ip6 + "/64", "fd00:99::1/64"]
    req = ns(other_mac, "fd00:99::5", "fd00:99::1", sll=other_mac)
    return Case(inp={MESH: [req]}, out={MESH: [na_from_box(req, mesh_mac)]},
                config=cfg, counters={"nd_advert": 1})
