# SPDX-License-Identifier: BSD-3-Clause
"""
Plain SIIT, Explicit Address Mappings (RFC 7757) and EAMT-only set-ups
(pool6 null), hairpinning.

EAMT lookups take the longest matching prefix on the side being looked up
and copy the suffix (RFC 7757 sections 3.2 and 3.3); the EAMT is tried
before pool6 in both directions. Hairpinning (RFC 7757 section 4.2): an
IPv6 packet to the pool6 form of an EAM IPv4 address is translated to IPv4
and, its IPv4 destination belonging to the IPv6 side, back to IPv6, the
destination by the EAMT and the source by pool6 (RFC 6052) so that the
reply comes back to the same address; chosen: the hop limit is decremented
once, the box being one router hop.
"""

from mxpcap import *  # noqa: F401,F403

EAMT_LPM = SIIT_EAMT + [("2001:db8:8::/124", "198.51.100.32/28")]
CFG_LPM = siit_config(eamt=EAMT_LPM)
CFG_EAMONLY = siit_config(pool6=None)
A4 = x64(a6)
H6 = x46(h4)


def ok46(dst4, dst6, config, src4=h4, src6=None):
    inp = from_gw4(IP(src=src4, dst=dst4, ttl=64) / UDP(sport=5, dport=6) /
                   Raw(payload(10)))
    exp = to_gw6(IPv6(src=src6 or x46(src4), dst=dst6, hlim=63) /
                 UDP(sport=5, dport=6) / Raw(payload(10)))
    return Case(inp={LAN4: [inp]}, out={MESH: [exp]}, config=config,
                counters={"xlat46": 1})


def ok64(src6, src4, config, dst6=H6, dst4=h4):
    inp = from_gw6(IPv6(src=src6, dst=dst6, hlim=64) / UDP(sport=5, dport=6) /
                   Raw(payload(10)))
    exp = to_gw4(IP(src=src4, dst=dst4, ttl=63, id=0, flags=0) /
                 UDP(sport=5, dport=6) / Raw(payload(10)))
    return Case(inp={MESH: [inp]}, out={LAN4: [exp]}, config=config,
                counters={"xlat64": 1})


@case
def siit_eam_lpm46_inner():
    """198.51.100.33 matches /24 and /28: the /28 wins -> 2001:db8:8::1"""
    return ok46("198.51.100.33", "2001:db8:8::1", CFG_LPM)


@case
def siit_eam_lpm46_below():
    """198.51.100.31 only matches the /24 -> 2001:db8:6::1f"""
    return ok46("198.51.100.31", "2001:db8:6::1f", CFG_LPM)


@case
def siit_eam_lpm46_above():
    """198.51.100.48 only matches the /24 -> 2001:db8:6::30"""
    return ok46("198.51.100.48", "2001:db8:6::30", CFG_LPM)


@case
def siit_eam_lpm64():
    """2001:db8:8::2 -> 198.51.100.34 by the /124"""
    return ok64("2001:db8:8::2", "198.51.100.34", CFG_LPM)


@case
def siit_eam_prefix_first():
    """the first address of an EAM: 198.51.100.0 -> 2001:db8:6::"""
    return ok46("198.51.100.0", "2001:db8:6::", siit_config())


@case
def siit_eam_over_pool6():
    """an EAM IPv4 source wins over pool6: 198.51.100.7 -> 2001:db8:6::7
    (RFC 7757 3.2)"""
    return ok46(A4, a6, siit_config(), src4="198.51.100.7",
                src6="2001:db8:6::7")


@case
def siit_eam_only46():
    """pool6 null: EAM source and destination are translated"""
    return ok46(A4, a6, CFG_EAMONLY, src4="203.0.113.7", src6=s7)


@case
def siit_eam_only64():
    """pool6 null: EAM source to an EAM destination"""
    return ok64(a6, A4, CFG_EAMONLY, dst6=s7, dst4="203.0.113.7")


@case
def siit_eam_only46_src_miss():
    """pool6 null: an IPv4 source outside the EAMT has no IPv6 form: not
    translated, ICMPv4 3/13 (4.4)"""
    inp = from_gw4(IP(src=h4, dst=A4, ttl=64) / UDP(sport=5, dport=6))
    return Case(inp={LAN4: [inp]}, out={LAN4: [box4_error(inp, 3, 13)]},
                config=CFG_EAMONLY, drops={"xlat_src": 1})


@case
def siit_eam_only64_src_miss():
    """pool6 null: a pool6-looking source is not translatable: ICMPv6 1/1
    (5.4)"""
    inp = from_gw6(IPv6(src=n6p, dst=s7, hlim=64) / UDP(sport=5, dport=6))
    return Case(inp={MESH: [inp]}, out={MESH: [box6_error(inp, 1, 1)]},
                config=CFG_EAMONLY, drops={"xlat_src": 1})


def _hairpin(l4_in, l4_out, dst4="198.51.100.200", dst6=a6b):
    inp = from_gw6(IPv6(src=a6, dst=embed96(siit_pool6, dst4), hlim=64) /
                   l4_in)
    exp = to_gw6(IPv6(src=embed96(siit_pool6, A4), dst=dst6, hlim=63) /
                 l4_out)
    return Case(inp={MESH: [inp]}, out={MESH: [exp]}, config=siit_config())


@case
def siit_eam_hairpin_udp():
    """hairpinning: a6 -> 64:ff9b::198.51.100.200 comes back as
    64:ff9b::198.51.100.5 -> 2001:db8:6::c8 (RFC 7757 4.2)"""
    return _hairpin(UDP(sport=5, dport=6) / Raw(payload(20)),
                    UDP(sport=5, dport=6) / Raw(payload(20)))


@case
def siit_eam_hairpin_tcp():
    """hairpinning of TCP to the /128 EAM host"""
    return _hairpin(TCP(sport=5, dport=80, flags="S"),
                    TCP(sport=5, dport=80, flags="S"),
                    dst4="203.0.113.7", dst6=s7)


@case
def siit_eam_hairpin_echo():
    """hairpinning of an ICMPv6 echo request (still ICMPv6 on the way
    out, checksum over the new pseudo header)"""
    return _hairpin(ICMPv6EchoRequest(id=1, seq=2, data=payload(16)),
                    ICMPv6EchoRequest(id=1, seq=2, data=payload(16)))
