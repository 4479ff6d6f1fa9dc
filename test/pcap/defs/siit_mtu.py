# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, MTUs: too big packets and the Packet Too Big / Fragmentation
Needed arithmetic (RFC 7915 sections 1.4, 4, 4.1, 4.2, 5, 5.2; RFC 1191
plateaus).

Fragmentation Needed -> Packet Too Big: MTU = minimum(advertised + 20,
MTU of the IPv6 next hop (mesh), MTU of the IPv4 next hop (lan4) + 20),
never below 1280; advertised 0 -> the greatest plateau below the inner
total length is the advertised value (chosen: then + 20 like any
advertised MTU). Packet Too Big -> Fragmentation Needed: minimum(advertised
- 20, lan4 MTU, mesh MTU - 20), 8 less when the packet in error carries a
Fragment Header. Quotes are kept short so that no truncation rule matters.
"""

from mxpcap import *  # noqa: F401,F403

CFG = siit_config()
A4 = x64(a6)
H6 = x46(h4)


# --- IPv4 DF packets too big for the mesh ----------------------------------
def _df(total4, config=CFG, mtu=None):
    inp = from_gw4(IP(src=h4, dst=A4, ttl=64, flags="DF", id=3) /
                   UDP(sport=5, dport=6) / Raw(payload(total4 - 28)))
    if mtu is None:
        exp = to_gw6(IPv6(src=H6, dst=a6, hlim=63) / UDP(sport=5, dport=6) /
                     Raw(payload(total4 - 28)))
        return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=config)
    return Case(inp={LAN4: [inp]},
                out={LAN4: [box4_error(inp, 3, 4, b"\0\0" +
                                       mtu.to_bytes(2, "big"))]},
                config=config, drops={"mtu_exceeded": 1},
                counters={"icmp_error": 1, "xlat46": 0})


@case
def siit_mtu46_df_1480():
    """1480 bytes with DF: its 1500-byte IPv6 form fits the mesh"""
    return _df(1480)


@case
def siit_mtu46_df_1481():
    """1481 bytes with DF: ICMPv4 fragmentation needed, MTU 1480 (4.1
    MUST)"""
    return _df(1481, mtu=1480)


@case
def siit_mtu46_df_mesh1400():
    """mesh MTU 1400: a 1400-byte DF packet -> fragmentation needed 1380"""
    return _df(1400, config=siit_config(mesh_mtu=1400), mtu=1380)


@case
def siit_mtu46_df_mesh1400_fits():
    """mesh MTU 1400: 1380 bytes with DF fit exactly"""
    return _df(1380, config=siit_config(mesh_mtu=1400))


@case
def siit_mtu46_df_over_lowest():
    """DF set and larger than lowest_ipv6_mtu: translated whole (only DF=0
    packets are fragmented)"""
    return _df(1400)


@case
def siit_mtu46_jumbo_df():
    """9000-byte MTUs: 8990 bytes with DF -> fragmentation needed 8980"""
    return _df(8990, config=siit_config(lan4_mtu=9000, mesh_mtu=9000),
               mtu=8980)


# --- Fragmentation Needed -> Packet Too Big -----------------------------------
def _fn(adv, exp_mtu, total=1500, config=CFG):
    """r4 says the 'total'-byte packet a6 sent does not fit 'adv'"""
    l4 = UDP(sport=40000, dport=4444) / Raw(payload(total - 28, 7))
    q4 = bytes(IP(src=A4, dst=h4, ttl=50, flags="DF", id=0) / l4)[:548]
    q6 = bytes(IPv6(src=a6, dst=H6, hlim=50) / l4)[:568]
    inp = from_gw4(IP(src=r4, dst=A4, ttl=64, proto=1) /
                   Raw(icmp4_raw(3, 4, b"\0\0" + adv.to_bytes(2, "big"), q4)))
    exp = to_gw6(IPv6(src=x46(r4), dst=a6, hlim=63) /
                 icmp6_msg(2, 0, u32(exp_mtu), q6))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=config,
                counters={"xlat46": 1})


@case
def siit_mtu_fn_1400():
    """advertised 1400 -> Packet Too Big 1420"""
    return _fn(1400, 1420)


@case
def siit_mtu_fn_1480():
    """advertised 1480 -> 1500"""
    return _fn(1480, 1500)


@case
def siit_mtu_fn_1500():
    """advertised 1500 -> min(1520, mesh 1500, lan4 1500 + 20) = 1500"""
    return _fn(1500, 1500, total=1600,
               config=siit_config(lan4_mtu=9000, mesh_mtu=1500))


@case
def siit_mtu_fn_1261():
    """advertised 1261 -> 1281"""
    return _fn(1261, 1281)


@case
def siit_mtu_fn_1260():
    """advertised 1260 -> 1280"""
    return _fn(1260, 1280)


@case
def siit_mtu_fn_1000():
    """advertised 1000 -> 1280: never below the IPv6 minimum (5)"""
    return _fn(1000, 1280)


@case
def siit_mtu_fn_68():
    """advertised 68 -> 1280"""
    return _fn(68, 1280)


@case
def siit_mtu_fn_lan4_bound():
    """lan4 MTU 1400: advertised 1450 -> min(1470, 1500, 1420) = 1420"""
    return _fn(1450, 1420, config=siit_config(lan4_mtu=1400))


@case
def siit_mtu_fn_mesh_bound():
    """mesh MTU 1400: advertised 1480 -> min(1500, 1400, 1520) = 1400"""
    return _fn(1480, 1400, config=siit_config(mesh_mtu=1400))


@case
def siit_mtu_fn_jumbo():
    """9000-byte MTUs: advertised 8000 -> 8020"""
    return _fn(8000, 8020, total=8500,
               config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


@case
def siit_mtu_fn_plateau_1500():
    """advertised 0, inner total length 1500: plateau 1492 (RFC 1191),
    + 20 = 1512, bounded by the mesh MTU: 1500 (4.2 MUST use plateaus)"""
    return _fn(0, 1500)


@case
def siit_mtu_fn_plateau_1400():
    """advertised 0, inner 1400: plateau 1006 -> 1026 -> 1280 minimum"""
    return _fn(0, 1280, total=1400)


@case
def siit_mtu_fn_plateau_jumbo():
    """advertised 0, inner 9000 with 9000-byte MTUs: plateau 8166 ->
    8186"""
    return _fn(0, 8186, total=9000,
               config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


@case
def siit_mtu_fn_plateau_4352():
    """advertised 0, inner 8166 (a plateau itself: strictly less) ->
    plateau 4352 -> 4372"""
    return _fn(0, 4372, total=8166,
               config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


@case
def siit_mtu_fn_plateau_custom():
    """mtu_plateaus [5000, 2000, 1300]: advertised 0, inner 3000 -> 2000
    -> 2020"""
    return _fn(0, 2020, total=3000,
               config=siit_config(lan4_mtu=9000, mesh_mtu=9000,
                                  mtu_plateaus=[5000, 2000, 1300]))


# --- Packet Too Big -> Fragmentation Needed ---------------------------------
def _ptb(adv, exp_mtu, total=1500, config=CFG, frag=False):
    """r6t says the 'total'-byte packet h4 sent does not fit 'adv'"""
    l4 = UDP(sport=4444, dport=40000) / Raw(payload(total - 28, 6))
    if frag:
        q6 = bytes(IPv6(src=H6, dst=a6, hlim=50, nh=44) /
                   IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x1234) /
                   Raw(l4_over6(H6, a6, l4)))[:156]
        q4 = bytes(IP(src=h4, dst=A4, ttl=50, id=0x1234, flags="MF",
                      proto=17) / Raw(l4_over4(h4, A4, l4)))[:128]
    else:
        q6 = bytes(IPv6(src=H6, dst=a6, hlim=50) / l4)[:148]
        q4 = bytes(IP(src=h4, dst=A4, ttl=50, id=0,
                      flags="DF" if total - 20 > 1260 else 0) / l4)[:128]
    inp = from_gw6(IPv6(src=r6t, dst=H6, hlim=64) /
                   icmp6_msg(2, 0, u32(adv), q6))
    exp = to_gw4(IP(src=x64(r6t), dst=h4, ttl=63, id=0, flags=0, proto=1) /
                 Raw(icmp4_raw(3, 4, b"\0\0" + exp_mtu.to_bytes(2, "big"),
                               q4)), free_inner_id=not frag)
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config,
                counters={"xlat64": 1})


@case
def siit_mtu_ptb_1400():
    """Packet Too Big 1400 -> fragmentation needed 1380 (5.2 MUST)"""
    return _ptb(1400, 1380)


@case
def siit_mtu_ptb_1280():
    """Packet Too Big 1280 -> 1260"""
    return _ptb(1280, 1260)


@case
def siit_mtu_ptb_1500():
    """Packet Too Big 1500 -> min(1480, lan4 1500, mesh 1500 - 20) = 1480"""
    return _ptb(1500, 1480, total=1600)


@case
def siit_mtu_ptb_frag():
    """the packet in error has a Fragment Header: 1400 -> 1372"""
    return _ptb(1400, 1372, frag=True)


@case
def siit_mtu_ptb_lan4_bound():
    """lan4 MTU 1300: Packet Too Big 1400 -> min(1380, 1300, 1480) = 1300"""
    return _ptb(1400, 1300, config=siit_config(lan4_mtu=1300))


@case
def siit_mtu_ptb_mesh_bound():
    """mesh MTU 1400: Packet Too Big 1500 -> min(1480, 1500, 1380) = 1380"""
    return _ptb(1500, 1380, total=1400, config=siit_config(mesh_mtu=1400))


@case
def siit_mtu_ptb_jumbo():
    """9000-byte MTUs: Packet Too Big 8000 -> 7980"""
    return _ptb(8000, 7980, total=8500,
                config=siit_config(lan4_mtu=9000, mesh_mtu=9000))


# --- IPv6 packets too big for lan4 -------------------------------------------
def _big6(total6, config, mtu=None, frag=False):
    if frag:
        data = payload(total6 - 48, 4)
        inp = from_gw6(IPv6(src=a6, dst=H6, hlim=64, nh=44) /
                       IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x77) /
                       Raw(data))
    else:
        inp = from_gw6(IPv6(src=a6, dst=H6, hlim=64) /
                       UDP(sport=5, dport=6) / Raw(payload(total6 - 48, 4)))
    if mtu is None:
        exp = to_gw4(IP(src=A4, dst=h4, ttl=63, id=0, flags="DF") /
                     UDP(sport=5, dport=6) / Raw(payload(total6 - 48, 4)))
        return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config)
    return Case(inp={MESH: [inp]},
                out={MESH: [box6_error(inp, 2, 0, u32(mtu))]},
                config=config, drops={"mtu_exceeded": 1},
                counters={"icmp_error": 1, "xlat64": 0})


@case
def siit_mtu64_fits():
    """lan4 MTU 1400: a 1420-byte IPv6 packet (1400 as IPv4) fits"""
    return _big6(1420, siit_config(lan4_mtu=1400))


@case
def siit_mtu64_too_big():
    """lan4 MTU 1400: a 1421-byte IPv6 packet -> Packet Too Big 1420 from
    the mesh address (1.4 MUST)"""
    return _big6(1421, siit_config(lan4_mtu=1400), mtu=1420)


@case
def siit_mtu64_too_big_jumbo():
    """mesh 9000, lan4 1500: a 3000-byte IPv6 packet -> Packet Too Big
    1520"""
    return _big6(3000, siit_config(mesh_mtu=9000), mtu=1520)


@case
def siit_mtu64_fragment_too_big():
    """lan4 MTU 1400: a 1456-byte IPv6 fragment (1428 as IPv4, DF 0) ->
    Packet Too Big 1428: the IPv6 size whose IPv4 form (28 bytes smaller:
    the IPv4 header replaces IPv6 + fragment header) fits (the RFC allows
    this or IPv4 fragmentation; chosen: Packet Too Big)"""
    return _big6(1456, siit_config(lan4_mtu=1400), mtu=1428, frag=True)
