#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Seed corpora for the libFuzzer targets of test/fuzz (tools/fuzz.sh runs
this): representative packets for fuzz_xlat (with its two selector bytes,
see fuzz_xlat.c) and fuzz_parse (bare packets), configs for fuzz_conf
(conf/*.json plus a few SIIT ones), operation sequences for fuzz_nat64
(see the byte format at the top of fuzz_nat64.c), ip6tables lines for
fuzz_rule (the seeds' rules and one of each option), requests for
fuzz_rpc, IPv6 packets for fuzz_roam, the DDNS agent's inputs for
fuzz_ddns and roaming datagrams, babeld lines and configs for
fuzz_mesh.

    seeds.py OUTDIR    writes OUTDIR/corpus-fuzz_{xlat,parse,conf,rpc,nat64,rule,roam,ddns,mesh}/
"""

import glob
import hashlib
import ipaddress
import logging
import os
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (ICMP, IP, TCP, UDP, IPv6, IPOption_LSRR,  # noqa: E402
                       IPOption_NOP, IPOption_RR, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, ICMPv6DestUnreach,
                       ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6PacketTooBig,
                       ICMPv6ParamProblem, ICMPv6TimeExceeded, Raw, raw)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def embed(pfx, v4):
    """RFC 6052 section 2.2: 'v4' in prefix 'pfx' (u-octet skipped)."""
    net = ipaddress.IPv6Network(pfx)
    p = bytearray(net.network_address.packed)
    a = ipaddress.IPv4Address(v4).packed
    pos = net.prefixlen // 8
    for b in a:
        if pos == 8:
            pos = 9
        p[pos] = b
        pos += 1
    return str(ipaddress.IPv6Address(bytes(p)))


def eam(p6, v4, p4):
    """RFC 7757: host bits of 'v4' under IPv4 prefix 'p4' into 'p6'."""
    n4 = ipaddress.IPv4Network(p4)
    n6 = ipaddress.IPv6Network(p6)
    host = int(ipaddress.IPv4Address(v4)) - int(n4.network_address)
    return str(ipaddress.IPv6Address(int(n6.network_address) + host))


# Per fuzz_xlat config: (selector config index, client-side IPv4 host h4,
# its IPv6 form h6, IPv4-side host r4, its IPv6 form r6, an untranslatable
# IPv6 router). 4->6 packets go h4 -> r4, 6->4 packets r6 -> h6.
CLAT6 = "fddd:1337:1337:1234:5678:9abc::/96"
PLAT6 = "64:ff9b:1:abcd:ef01:2345::/96"
CFGS = [
    (0, "192.168.0.10", embed(CLAT6, "192.168.0.10"),
     "198.51.100.7", embed(PLAT6, "198.51.100.7")),
    (1, "198.51.100.7", eam("2001:db8:3::/120", "198.51.100.7",
                            "198.51.100.0/24"),
     "8.8.8.8", embed("64:ff9b::/96", "8.8.8.8")),
    (2, "192.0.2.1", "2001:db8:4::1",
     "8.8.4.4", embed("2001:db8:100::/40", "8.8.4.4")),
    (3, "9.9.9.9", embed("2001:db8::/32", "9.9.9.9"),
     "1.1.1.1", embed("2001:db8::/32", "1.1.1.1")),
    (5, "10.1.2.3", embed("fddd:1337:1337:1::/64", "10.1.2.3"),
     "203.0.113.9", embed("2001:db8:64:6400::/56", "203.0.113.9")),
    (6, "100.0.0.1", embed("2001:db8:46::/48", "100.0.0.1"),
     "45.0.0.1", embed("2001:db8:46::/48", "45.0.0.1")),
]
ROUTER4 = "203.0.113.254"       # no IPv6 form in most configs
ROUTER6 = "2001:db8:ffff:ffff::1"

PAY = bytes(range(256)) * 6


def pkts46(h4, r4):
    """IPv4 packets h4 -> r4 (and errors about r4 -> h4 packets)."""
    out = []
    ip = IP(src=h4, dst=r4, ttl=64, id=0x4242)
    rev = IP(src=r4, dst=h4, ttl=50, id=7)
    out.append(ip / TCP(sport=40000, dport=443, flags="S", seq=1))
    out.append(ip / TCP(sport=40000, dport=443, flags="PA") / PAY[:100])
    out.append(IP(src=h4, dst=r4, tos=0xb8, flags="DF") /
               TCP(sport=1, dport=80, flags="A") / PAY[:1400])
    out.append(ip / UDP(sport=5353, dport=53) / PAY[:40])
    u = ip / UDP(sport=5353, dport=53) / PAY[:33]
    u = IP(raw(u))
    u[UDP].chksum = 0
    out.append(u)                                       # UDP csum 0
    out.append(ip / ICMP(type=8, id=0xbeef, seq=1) / PAY[:56])
    out.append(ip / ICMP(type=0, id=0xbeef, seq=1) / PAY[:56])
    out.append(ip / ICMP(type=13))                      # timestamp: drop
    # Fragments: first with MF, a later one, a UDP csum 0 fragment.
    f = ip / UDP(sport=1000, dport=2000) / PAY[:600]
    b = raw(f)
    out.append(IP(src=h4, dst=r4, id=99, flags="MF", proto=17) / b[20:220])
    out.append(IP(src=h4, dst=r4, id=99, frag=25, proto=17) / b[220:])
    out.append(IP(src=h4, dst=r4, id=99, flags="MF", proto=1) / PAY[:64])
    # Options: NOP + record route, and an unexpired loose source route.
    out.append(IP(src=h4, dst=r4, options=[IPOption_NOP(),
                                           IPOption_RR(routers=["1.2.3.4"])])
               / UDP(sport=7, dport=7) / (b"x" * 10))
    out.append(IP(src=h4, dst=r4, options=[IPOption_LSRR(
        routers=["1.2.3.4", "5.6.7.8"])]) / UDP(sport=7, dport=7))
    # ICMP errors about a packet r4 -> h4 sent by h4 (a host behind us)
    # or by a router without an IPv6 form.
    inner_udp = raw(rev / UDP(sport=53, dport=5353) / PAY[:20])
    inner_tcp = raw(rev / TCP(sport=443, dport=40000, flags="SA"))
    inner_echo = raw(rev / ICMP(type=8, id=3, seq=4) / PAY[:30])
    for src in (h4, ROUTER4):
        e = IP(src=src, dst=r4, ttl=60)
        out.append(e / ICMP(type=3, code=3) / inner_udp)
        out.append(e / ICMP(type=3, code=4, nexthopmtu=1400) / inner_tcp)
        out.append(e / ICMP(type=3, code=4, nexthopmtu=0) / inner_tcp)
        out.append(e / ICMP(type=11, code=0) / inner_echo[:28])
    e = IP(src=h4, dst=r4)
    out.append(e / ICMP(type=3, code=2) / inner_udp)
    out.append(e / ICMP(type=3, code=13) / inner_tcp[:28])
    out.append(e / ICMP(type=12, code=0, ptr=12) / inner_udp)
    out.append(e / ICMP(type=12, code=0, ptr=5) / inner_udp)
    inner_frag = raw(IP(src=r4, dst=h4, id=5, flags="MF", proto=17) /
                     PAY[:48])
    out.append(e / ICMP(type=3, code=1) / inner_frag)
    # RFC 4884: length 32 words (128 bytes of original datagram), then
    # an extension structure (version 2, one MPLS object).
    orig = (inner_udp + bytes(128))[:128]
    ext = bytes([0x20, 0, 0, 0]) + struct.pack("!HBB", 8, 1, 1) + b"\0\0\1\xff"
    i = ICMP(type=11, code=0, length=32) / (orig + ext)
    out.append(e / i)
    i = ICMP(type=3, code=1, length=8) / (inner_udp[:32] + ext)
    out.append(e / i)
    # A long error, truncated when translated (RFC 4443 2.4 c).
    out.append(e / ICMP(type=3, code=3) /
               raw(rev / UDP(sport=1, dport=2) / PAY[:1300]))
    return out


def pkts64(h6, r6):
    """IPv6 packets r6 -> h6 (and errors about h6 -> r6 packets)."""
    out = []
    ip = IPv6(src=r6, dst=h6, hlim=64, tc=0x20, fl=0x12345)
    rev = IPv6(src=h6, dst=r6, hlim=50)
    out.append(ip / TCP(sport=443, dport=40000, flags="SA"))
    out.append(ip / TCP(sport=443, dport=40000, flags="PA") / PAY[:200])
    out.append(ip / TCP(sport=443, dport=40000, flags="A") / PAY[:1300])
    out.append(ip / UDP(sport=53, dport=5353) / PAY[:40])
    u = IPv6(raw(ip / UDP(sport=53, dport=5353) / PAY[:20]))
    u[UDP].chksum = 0
    out.append(u)
    out.append(ip / ICMPv6EchoRequest(id=1, seq=2) / PAY[:56])
    out.append(ip / ICMPv6EchoReply(id=1, seq=2) / PAY[:56])
    # Extension headers.
    out.append(IPv6(src=r6, dst=h6) / IPv6ExtHdrHopByHop() /
               IPv6ExtHdrDestOpt() / UDP(sport=1, dport=2) / b"abc")
    out.append(IPv6(src=r6, dst=h6) /
               IPv6ExtHdrRouting(type=0, segleft=0, addresses=[r6]) /
               TCP(sport=1, dport=2))
    out.append(IPv6(src=r6, dst=h6) /
               IPv6ExtHdrRouting(type=0, segleft=1, addresses=[r6]) /
               UDP(sport=1, dport=2))
    # Fragments.
    b = raw(UDP(sport=3, dport=4) / PAY[:500])
    out.append(IPv6(src=r6, dst=h6) /
               IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcdef) /
               b[:200])
    out.append(IPv6(src=r6, dst=h6) /
               IPv6ExtHdrFragment(nh=17, offset=25, m=0, id=0xabcdef) /
               b[200:])
    out.append(IPv6(src=r6, dst=h6) /
               IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=1) / PAY[:64])
    # ICMPv6 errors about a packet h6 -> r6, from r6 or from a router.
    inner_udp = raw(rev / UDP(sport=5353, dport=53) / PAY[:20])
    inner_tcp = raw(rev / TCP(sport=40000, dport=443, flags="S"))
    inner_echo = raw(rev / ICMPv6EchoRequest(id=3, seq=4) / PAY[:30])
    inner_ext = raw(rev / IPv6ExtHdrDestOpt() /
                    IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=9) /
                    UDP(sport=1, dport=2) / PAY[:16])
    for src in (r6, ROUTER6):
        e = IPv6(src=src, dst=h6, hlim=60)
        out.append(e / ICMPv6DestUnreach(code=4) / inner_udp)
        out.append(e / ICMPv6PacketTooBig(mtu=1280) / inner_tcp)
        out.append(e / ICMPv6TimeExceeded(code=0) / inner_echo)
        out.append(e / ICMPv6DestUnreach(code=0) / inner_ext)
    e = IPv6(src=r6, dst=h6)
    out.append(e / ICMPv6ParamProblem(code=0, ptr=7) / inner_udp)
    out.append(e / ICMPv6ParamProblem(code=0, ptr=2) / inner_udp)
    out.append(e / ICMPv6ParamProblem(code=1, ptr=6) / inner_udp)
    out.append(e / ICMPv6DestUnreach(code=1) / inner_tcp[:48])
    # RFC 4884: length 16 (128 bytes of original datagram), extension.
    orig = (inner_udp + bytes(128))[:128]
    ext = bytes([0x20, 0, 0, 0]) + struct.pack("!HBB", 8, 1, 1) + b"\0\0\1\xff"
    t = ICMPv6TimeExceeded(code=0)
    t.length = 16
    out.append(e / t / (orig + ext))
    out.append(e / ICMPv6DestUnreach(code=3) /
               raw(rev / UDP(sport=1, dport=2) / PAY[:1100]))
    return out


WRITTEN = {}


def write(d, data):
    os.makedirs(d, exist_ok=True)
    WRITTEN[d] = WRITTEN.get(d, 0) + 1
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


SIIT_CONF = """{
  "ports": [
    { "name": "lan4", "device": "net_null0", "role": "lan4",
      "mtu": 1500, "ipv4": ["192.0.2.254/24"], "kernel_mirror": "mx0" },
    { "name": "mesh", "device": "net_null1", "role": "mesh6",
      "mac": "02:00:00:00:00:02", "ipv6": ["2001:db8:1::1/64"] }
  ],
  "routes": [
    { "prefix": "0.0.0.0/0", "port": "lan4", "via": "192.0.2.1" },
    { "prefix": "2001:db8:3::/120", "port": "mesh" }
  ],
  "neighbours": [
    { "ip": "192.0.2.1", "mac": "02:00:00:00:00:01", "port": "lan4" }
  ],
  "siit": {
    "pool6": "64:ff9b::/96",
    "eamt": [
      { "ipv6": "2001:db8:3::/120", "ipv4": "198.51.100.0/24" },
      { "ipv6": "2001:db8:4::1", "ipv4": "192.0.2.1" }
    ],
    "rfc6791v4": ["203.0.113.0/28", "192.0.2.77"],
    "rfc6791v6": "2001:db8:ffff::/96",
    "lowest_ipv6_mtu": 1400,
    "mtu_plateaus": [1500, 576, 1006, 1500],
    "amend_udp_checksum_zero": true,
    "zeroize_traffic_class": false,
    "override_tos": null
  },
  "workers": { "lcores": "auto", "burst": 64, "idle_sleep_us": 0 },
  "control": { "socket": "/run/meshxlat.sock", "mode": 432 }
}
"""

CLAT_SIIT_CONF = """{
  "ports": [
    { "name": "lan4", "device": "net_pcap0", "role": "lan4",
      "mac": "12:34:56:78:9a:bc", "ipv4": ["192.168.0.254/24"] },
    { "name": "mesh", "device": "net_pcap1", "role": "mesh6",
      "ipv6": ["2001:db8:1c0:2:1::1/64"] },
    { "name": "up", "device": "0000:03:00.0", "role": "wan6" }
  ],
  "clat": {
    "clat_range": "fddd:1337:1337::/48",
    "plat_range": "fddd:1337:1338::/48",
    "clat_prefix": "fddd:1337:1337:1234:5678:9abc::/96",
    "plat_prefix": "64:ff9b:1:abcd:ef01:2345::/96",
    "client_port": "lan4"
  },
  "siit": { "zeroize_traffic_class": true, "override_tos": 32,
            "pool6": "64:ff9b:1:abcd:ef01:2345::/96" }
}
"""


# fuzz_nat64 operations (test/fuzz/fuzz_nat64.c): opcode, then arguments.
N_TCP, N_UDP, N_ICMP = 0, 1, 2
SYN, ACK, FIN, RST = 0x02, 0x10, 0x01, 0x04


def n_in(client, port, rem, rport, proto, flags=0):
    return bytes([0, client, port, rem, rport, proto, flags])


def n_out(addr, port, rem, rport, proto, flags=0, cookie=False):
    return bytes([1, addr, port & 0xff, port >> 8, rem, rport,
                  proto | (0x80 if cookie else 0), flags])


def n_clock(secs):
    return bytes([3, secs & 0xff, secs >> 8])


NAT64_SEEDS = [
    # UDP and ICMP flows, a walk, a snapshot, expiry after UDP_DEFAULT.
    bytes([0x00]) + n_in(1, 5, 0, 53, N_UDP) + n_in(1, 6, 1, 53, N_UDP) +
    n_in(2, 7, 2, 0, N_ICMP) + n_in(3, 200, 3, 80, N_TCP, SYN) +
    bytes([8, 0, 0, 2]) + bytes([6, 0, 30]) + n_clock(301) +
    bytes([2, 255, 0]) + bytes([4, 1, 5, 0, 53, N_UDP, 0]),
    # ADF: an unsolicited SYN held, then the IPv6 SYN of the same flow
    # (simultaneous open, port 9005 preserved), then the holds popped.
    bytes([0x01]) + n_out(0, 5, 1, 77, N_TCP, SYN, True) +
    n_in(1, 5, 1, 77, N_TCP, SYN) + bytes([5, 4]) +
    n_out(0, 5, 1, 77, N_TCP, ACK) + n_clock(7) + bytes([5, 7]),
    # Two shards and a static BIB entry: inbound to it, outbound from it,
    # a corrupted snapshot, a clean one.
    bytes([0x18]) + n_out(0, 1, 0, 99, N_TCP, SYN) +
    n_in(3, 22, 0, 99, N_TCP, SYN | ACK) + n_in(3, 40, 1, 80, N_TCP, SYN) +
    bytes([6, 1, 77]) + bytes([6, 0, 0]) + bytes([8, 1, 0, 1]),
    # Bulk with block size 16, then RST and FIN through the table.
    bytes([0x04]) + bytes([9, 3]) + n_in(4, 1, 0, 80, N_TCP, SYN)[1:] +
    n_in(4, 2, 0, 80, N_UDP)[1:] + n_in(5, 3, 1, 80, N_ICMP)[1:] +
    n_in(4, 4, 2, 81, N_TCP, SYN)[1:] + n_in(4, 1, 0, 80, N_TCP, RST) +
    n_in(4, 1, 0, 80, N_TCP, FIN | ACK) + n_clock(8000) + bytes([2, 255, 1]),
]


RULES = [
    # shared/seeds 002 (verbatim, with its line continuations) and 004.
    "ip6tables -A forwarding_rule \\\n"
    "    -d ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff \\\n"
    "    -p tcp -m tcp \\\n    --dport 443 \\\n"
    "    -m comment --comment \"Inbound-HTTPS\" \\\n"
    "    -o br-lan -j ACCEPT",
    "ip6tables -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT",
    "ip6tables -A INPUT -p icmpv6 --icmpv6-type packet-too-big -j ACCEPT",
    "ip6tables -A INPUT -m state --state NEW -p tcp --dport 22 \\\n"
    "  -j ACCEPT",
    "ip6tables -A INPUT -i lo -j ACCEPT",
    "ip6tables -A INPUT -j LOG",
    "ip6tables -P INPUT DROP",
    "ip6tables -t mangle -F",
    "ip6tables -X",
    "-I FORWARD 2 ! -s 2001:db8::/32 -p udp -m multiport "
    "! --dports 53,123,1000:2000 -j REJECT --reject-with "
    "icmp6-port-unreachable",
    "-A INPUT -p icmpv6 ! --icmpv6-type 1/4 -m conntrack --ctstate "
    "RELATED -j ACCEPT",
    "-R OUTPUT 1 -d ffff:0:ffff::ff/ffff:0:ffff::ff -o wan -j LOG "
    "--log-prefix 'out: ' --log-level debug",
    "-D FORWARD -p tcp --sport=1024: -j REJECT --reject-with tcp-reset",
    "-A INPUT -m comment --comment \"a \\\"b\\\" c\" -j DROP # x",
]


# fuzz_ddns: selector byte (see fuzz_ddns.c), status byte, input.
DDNS_SEEDS = [
    bytes([1, 0]) + b'{"jsonrpc":"2.0","method":"event","params":{"event":'
    b'"prefix.changed","port":"lan6","prefix":"2001:db8:7:2::/64",'
    b'"previous":"2001:db8:1:2::/64"}}',
    bytes([1, 0]) + b'{"jsonrpc":"2.0","id":2,"result":{"prefixes":[{"port":'
    b'"lan6","prefix":"2001:db8:1:2::/64"}]}}',
    bytes([2, 0]) + b'key "ddns-key" {\n\talgorithm hmac-sha256;\n\tsecret '
    b'"X+gnPeSdV8d6/iyg8Fs83ehvMBs++JaofxBo5bRdff8=";\n};\n',
    bytes([3, 2]) + b'; TSIG error with server: tsig indicates error\n'
    b'update failed: NOTAUTH(BADSIG)\n',
    bytes([4, 0]) + b';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n'
    b'nas.home.example.\t60\tIN\tAAAA\t2001:db8::1\n',
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT,
                                                             "build-fuzz")
    dx = os.path.join(out, "corpus-fuzz_xlat")
    dp = os.path.join(out, "corpus-fuzz_parse")
    dc = os.path.join(out, "corpus-fuzz_conf")
    dn = os.path.join(out, "corpus-fuzz_nat64")
    dr6 = os.path.join(out, "corpus-fuzz_roam")
    for seed in NAT64_SEEDS:
        write(dn, seed)
    drl = os.path.join(out, "corpus-fuzz_rule")
    for rule in RULES:
        write(drl, rule.encode())
    for cfg, h4, h6, r4, r6 in CFGS:
        for k, p in enumerate(pkts46(h4, r4)):
            b = raw(p)
            # bits: config, amend on odd k, both checksum fix-ups on
            # every third; ctx byte: headroom/tailroom/MTU variants.
            sel = (cfg << 1) | ((k & 1) << 4) | (0x60 if k % 3 == 0 else 0)
            write(dx, bytes([sel, (k * 0x15) & 0x7f if k % 4 == 3 else 0])
                  + b)
            if cfg == 0:
                write(dp, b)
        for k, p in enumerate(pkts64(h6, r6)):
            b = raw(p)
            sel = 1 | (cfg << 1) | (0x40 if k % 3 == 0 else 0)
            write(dx, bytes([sel, (k * 0x15) & 0x7f if k % 4 == 3 else 0])
                  + b)
            if cfg == 0:
                write(dp, b)
                # fuzz_roam: all four modes, hits (bit 4), see fuzz_roam.c
                write(dr6, bytes([(k & 3) | ((k % 3) << 2) | 0x10, k >> 2])
                      + b)
    # A link-layer trailer after the IP packet (Ethernet padding).
    write(dx, bytes([0, 0]) + raw(IP(src="192.168.0.10", dst="198.51.100.7")
                                  / UDP(sport=1, dport=2)) + bytes(18))
    for path in sorted(glob.glob(os.path.join(ROOT, "conf", "*.json"))):
        with open(path, "rb") as f:
            write(dc, f.read())
    write(dc, SIIT_CONF.encode())
    write(dc, CLAT_SIIT_CONF.encode())
    write(dc, b'{"ports": [], "siit": {"pool6": "2001:db8:100::/40"}}')
    for s in (b"192.0.2.0/24", b"2001:db8::/32", b"12:34:56:78:9a:bc",
              b"::ffff:1.2.3.4/128"):
        write(dc, s)
    dr = os.path.join(out, "corpus-fuzz_rpc")
    os.makedirs(dr, exist_ok=True)
    for s in (
            b'{"jsonrpc":"2.0","method":"x.all.set","id":1,"params":'
            b'{"s":"a","n":5,"b":true,"ip":"10.0.0.1","prefix":'
            b'"2001:db8::/32","mac":"02:00:00:00:00:01","level":"bb"}}',
            b'{"jsonrpc":"2.0","method":"x.all.set","id":"z","params":'
            b'[7,"0x10","off","::1","10.0.0.0/8",null,"a"]}',
            b'[{"jsonrpc":"2.0","method":"x.none.get"},'
            b'{"jsonrpc":"2.0","method":"x.fail.get","id":2,"params":'
            b'{"n":-1}},1,[]]',
            b'x.all.set prefix=1.2.3.4/32 mac=02:00:00:00:00:01 "quoted"',
            b'x.fail.get n=3'):
        write(dr, s)
    dd = os.path.join(out, "corpus-fuzz_ddns")
    for path in sorted(glob.glob(os.path.join(ROOT, "conf", "ddns",
                                              "*.json"))):
        with open(path, "rb") as f:
            write(dd, bytes([0, 0]) + f.read())
    for s in DDNS_SEEDS:
        write(dd, s)
    # fuzz_mesh (app/agents/mesh): mode byte, then a message without its
    # HMAC (mode 1 signs it), babeld lines (2), the agent's config (3).
    dm = os.path.join(out, "corpus-fuzz_mesh")
    os.makedirs(dm, exist_ok=True)
    mac = bytes.fromhex("123456789abc") + b"\0\0"
    clatd = bytes.fromhex("fddd13371337dddddddddddd")
    clatb = bytes.fromhex("fddd13371337bbbbbbbbbbbb")
    platc = bytes.fromhex("0064ff9b0001cccccccccc00")
    ip_lease = bytes([192, 168, 0, 23]) + (3600).to_bytes(4, "big")
    for t, body in ((1, mac), (2, mac + b"\xee" * 16 + clatd + ip_lease +
                                platc),
                    (3, mac + clatd + ip_lease + clatb + platc)):
        hdr = bytes([1, t, 0, 0]) + (1800000000).to_bytes(8, "big") + \
            bytes(range(16))
        # the last byte sets the timestamp in mode 1: 0 is 'now'
        write(dm, b"\x01" + hdr + body)
        write(dm, b"\x00" + hdr + body + bytes(32))
    write(dm, b"\x02add route 55e1 prefix 64:ff9b:1:200:5e10:11::/96 from "
          b"::/0 installed yes id 4c:b4 metric 224 refmetric 128 via "
          b"fe80::1 if mx0\nchange route 55e1 prefix "
          b"64:ff9b:1:200:5e10:11::/96 from ::/0 installed no metric 65535"
          b"\nflush route 55e1\nok\n")
    write(dm, b'\x03{"babeld": "/run/babeld.sock", "plat_range": '
          b'"64:ff9b:1::/48", "select": {"threshold": 64}, "roam": '
          b'{"key_file": "k", "clat_prefix": "fddd:1337:1337:1:2:3::/96", '
          b'"client_net": "fddd:1337:1337:1::/64"}}')
    print("seeds: %d xlat, %d parse, %d conf, %d rpc, %d nat64, %d rule, "
          "%d mesh inputs in %s" % (WRITTEN[dx], WRITTEN[dp], WRITTEN[dc],
                                    WRITTEN[dr], WRITTEN[dn], WRITTEN[drl],
                                    WRITTEN[dm], out))


if __name__ == "__main__":
    main()
