#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the demo's input pcaps (conf/demo/{lan4,mesh}-in.pcap).

The demo (meshxlat with no --config) runs conf/demo.json: an IPv4 client
192.168.0.1 behind the lan4 port talks to 198.51.100.10 and .53 through
the CLAT; the replies come back over the mesh from the PLAT prefix. The
files are byte-identical on every run (fixed timestamps), so they are
committed; rerun this after changing the scenario.

Usage: gen_demo.py [OUTDIR]   (default: conf/demo beside this script)
"""
import os
import sys

from scapy.all import (ARP, DNS, DNSQR, DNSRR, ICMP, ICMPv6EchoReply,
                       ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IP, IPv6, TCP, UDP,
                       Ether, wrpcap)

CLIENT_MAC = "02:00:00:00:00:01"
LAN4_MAC = "12:34:56:78:9a:bc"
MESH_MAC = "02:00:00:00:00:02"
MESH_GW_MAC = "02:00:00:00:00:99"
CLIENT = "192.168.0.1"
BOX4 = "192.168.0.254"
SERVER = "198.51.100.10"
RESOLVER = "198.51.100.53"
# clat_range fddd:1337:1337::/48 + lan4 MAC 12:34:56:78:9a:bc
CLAT_PREFIX = "fddd:1337:1337:1234:5678:9abc:"
PLAT_PREFIX = "64:ff9b:1:abcd:ef01:2345:"
MESH_GW = "2001:db8:1c0:2:1::2"
BOX6 = "2001:db8:1c0:2:1::1"


def embed(prefix, v4):
    a, b, c, d = (int(x) for x in v4.split("."))
    return "%s%x:%x" % (prefix, a << 8 | b, c << 8 | d)


def lan4_packets():
    eth = Ether(src=CLIENT_MAC, dst=LAN4_MAC)
    return [
        Ether(src=CLIENT_MAC, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=CLIENT_MAC, psrc=CLIENT, pdst=BOX4),
        eth / IP(src=CLIENT, dst=BOX4, id=1) / ICMP(id=7, seq=1) / b"ping box",
        eth / IP(src=CLIENT, dst=SERVER, id=2) / ICMP(id=7, seq=2) / b"hello",
        eth / IP(src=CLIENT, dst=RESOLVER, id=3) / UDP(sport=40000, dport=53) /
        DNS(id=0x1234, rd=1, qd=DNSQR(qname="example.org", qtype="A")),
        eth / IP(src=CLIENT, dst=SERVER, id=4, flags="DF") /
        TCP(sport=40001, dport=443, flags="S", seq=1000),
        eth / IP(src=CLIENT, dst=SERVER, id=5, ttl=1) /
        UDP(sport=40002, dport=33434) / b"traceroute",
    ]


def mesh_packets():
    eth = Ether(src=MESH_GW_MAC, dst=MESH_MAC)
    client6 = embed(CLAT_PREFIX, CLIENT)
    return [
        Ether(src=MESH_GW_MAC, dst="33:33:ff:00:00:01") /
        IPv6(src=MESH_GW, dst="ff02::1:ff00:1", hlim=255) /
        ICMPv6ND_NS(tgt=BOX6) / ICMPv6NDOptSrcLLAddr(lladdr=MESH_GW_MAC),
        eth / IPv6(src=embed(PLAT_PREFIX, SERVER), dst=client6, hlim=60) /
        ICMPv6EchoReply(id=7, seq=2) / b"hello",
        eth / IPv6(src=embed(PLAT_PREFIX, RESOLVER), dst=client6, hlim=60) /
        UDP(sport=53, dport=40000) /
        DNS(id=0x1234, qr=1, rd=1, ra=1,
            qd=DNSQR(qname="example.org", qtype="A"),
            an=DNSRR(rrname="example.org", type="A", ttl=300,
                     rdata="198.51.100.10")),
        eth / IPv6(src=embed(PLAT_PREFIX, SERVER), dst=client6, hlim=60) /
        TCP(sport=443, dport=40001, flags="SA", seq=5000, ack=1001),
    ]


def write(path, pkts):
    for i, p in enumerate(pkts):
        p.time = 1700000000 + i / 1000.0
    wrpcap(path, pkts)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "conf", "demo")
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "lan4-in.pcap"), lan4_packets())
    write(os.path.join(out, "mesh-in.pcap"), mesh_packets())


if __name__ == "__main__":
    main()
