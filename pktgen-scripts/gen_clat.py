#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write replay pcaps for the CLAT benchmark scenarios of conf/demo.json.

The files are byte-identical on every run: the RNG has a fixed seed, the
timestamps are fixed and scapy computes every checksum.

Scenarios (one pcap each, "mixed" has one per port):

  clat46-udp64.pcap   IPv4 client -> lan4, 64-byte frames (60 B in the
                      pcap, the FCS is not captured), N flows
  clat46-imix.pcap    the same flows, 7:4:1 of 64/570/1518-byte frames
  clat64-udp64.pcap   IPv6 replies from the PLAT prefix -> mesh: the
                      IPv6 frame of the 64-byte IPv4 frame (84 B wire)
  clat64-imix.pcap    7:4:1 of the IPv6 frames of 64/570/1518 B IPv4 frames
  mixed-lan4.pcap     both directions at once, 70 % UDP, 20 % TCP ACKs,
  mixed-mesh.pcap     10 % ICMP echo, frame sizes from the IMIX

Frame sizes are wire sizes including the 4-byte FCS, as Pktgen-DPDK and
RFC 2544 count them, and they name the IPv4 frame: its IPv6 twin is 20
bytes longer. The 1518-byte IMIX frame is the exception: the largest IPv6
frame that fits a 1500-byte MTU is 1518 B, so the large packet is a
1518 B IPv6 frame, 1498 B as IPv4, and nothing is fragmented in either
direction (4->6 of a 1518 B IPv4 frame would be fragmented or refused).

Addresses (conf/demo.json): client 192.168.0.1, MAC 02:00:00:00:00:01 ->
lan4 MAC 12:34:56:78:9a:bc; IPv4 destinations are 198.18.0.0/15 (RFC 2544
benchmarking range), flow i = destination 198.18.(i / 256).(i % 256) and
source port 1024 + i. Replies come from the PLAT prefix
64:ff9b:1:abcd:ef01:2345::/96 + destination to the CLAT prefix
fddd:1337:1337:1234:5678:9abc::/96 + client, MAC 02:00:00:00:00:99 -> mesh
MAC 02:00:00:00:00:02.

Usage: gen_clat.py [--out DIR] [--flows N] [--packets N] [--seed S]

--packets is per pcap (default 1024). net_pcap's infinite_rx loads the
whole file into mbufs of the daemon's pool (about 10 k mbufs with one
worker), so keep it in the low thousands.
"""
import argparse
import os
import random
import sys

from scapy.all import ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest, IPv6
from scapy.utils import PcapWriter

CLIENT_MAC = "02:00:00:00:00:01"
LAN4_MAC = "12:34:56:78:9a:bc"
MESH_MAC = "02:00:00:00:00:02"
MESH_GW_MAC = "02:00:00:00:00:99"
CLIENT = "192.168.0.1"
CLAT_PREFIX = "fddd:1337:1337:1234:5678:9abc:"
PLAT_PREFIX = "64:ff9b:1:abcd:ef01:2345:"
T0 = 1700000000          # fixed capture time, one microsecond apart
FCS = 4
IMIX = [(64, 7), (570, 4), (1518, 1)]
V6_MAX_FRAME = 1518      # 1500 MTU


def embed(prefix, v4):
    a, b, c, d = (int(x) for x in v4.split("."))
    return "%s%x:%x" % (prefix, a << 8 | b, c << 8 | d)


def flow_dst(i):
    return "198.18.%d.%d" % ((i >> 8) & 0xff, i & 0xff)


def v4_frame(size):
    """IPv4 frame length in the pcap (no FCS) for a wire size."""
    if size + 20 > V6_MAX_FRAME:
        size = V6_MAX_FRAME - 20
    return size - FCS


def payload(n, rng):
    return bytes(rng.getrandbits(8) for _ in range(max(n, 0)))


def pkt46(i, size, proto, rng):
    """Client -> server, IPv4 on lan4: a frame of v4_frame(size) bytes."""
    flen = v4_frame(size)
    eth = Ether(src=CLIENT_MAC, dst=LAN4_MAC)
    # DF set, as Linux sets it on TCP and on UDP with path MTU discovery:
    # without it RFC 7915 (and meshxlat, lowest_ipv6_mtu 1280) fragments
    # every IPv4 packet that becomes an IPv6 packet over 1280 bytes.
    ip = IP(src=CLIENT, dst=flow_dst(i), id=(i * 7) & 0xffff, ttl=64,
            flags="DF")
    if proto == "tcp":
        l4, hl = TCP(sport=1024 + i, dport=443, flags="A",
                     seq=1000 + i, ack=5000), 20
    elif proto == "icmp":
        l4, hl = ICMP(id=i & 0xffff, seq=1), 8
    else:
        l4, hl = UDP(sport=1024 + i, dport=9), 8
    return eth / ip / l4 / payload(flen - 14 - 20 - hl, rng)


def pkt64(i, size, proto, rng):
    """Server -> client, IPv6 on the mesh: the IPv6 twin of pkt46."""
    flen = v4_frame(size) + 20
    eth = Ether(src=MESH_GW_MAC, dst=MESH_MAC)
    ip = IPv6(src=embed(PLAT_PREFIX, flow_dst(i)),
              dst=embed(CLAT_PREFIX, CLIENT), hlim=64)
    if proto == "tcp":
        l4, hl = TCP(sport=443, dport=1024 + i, flags="A",
                     seq=5000, ack=1000 + i), 20
    elif proto == "icmp":
        # An echo request towards the client (an echo reply would be
        # just as good: both translate, neither is answered).
        l4, hl = ICMPv6EchoRequest(id=i & 0xffff, seq=1), 8
    else:
        l4, hl = UDP(sport=9, dport=1024 + i), 8
    return eth / ip / l4 / payload(flen - 14 - 40 - hl, rng)


def imix_sizes(n, rng):
    pattern = [s for s, w in IMIX for _ in range(w)]
    out = []
    while len(out) < n:
        block = list(pattern)
        rng.shuffle(block)
        out.extend(block)
    return out[:n]


def proto_mix(n, rng):
    return [rng.choices(["udp", "tcp", "icmp"], [7, 2, 1])[0]
            for _ in range(n)]


def write(path, pkts):
    w = PcapWriter(path, linktype=1, sync=False)
    for k, p in enumerate(pkts):
        p.time = T0 + k * 1e-6
        w.write(p)
    w.close()


def scenarios(flows, n, seed):
    def rng(name):
        return random.Random("%d/%s" % (seed, name))

    def flow_seq(r):
        # every flow once in order, then uniformly random flows
        return [k if k < flows else r.randrange(flows) for k in range(n)]

    r = rng("clat46-udp64")
    yield "clat46-udp64.pcap", [pkt46(f, 64, "udp", r) for f in flow_seq(r)]
    r = rng("clat46-imix")
    yield "clat46-imix.pcap", [pkt46(f, s, "udp", r) for f, s in
                               zip(flow_seq(r), imix_sizes(n, r))]
    r = rng("clat64-udp64")
    yield "clat64-udp64.pcap", [pkt64(f, 64, "udp", r) for f in flow_seq(r)]
    r = rng("clat64-imix")
    yield "clat64-imix.pcap", [pkt64(f, s, "udp", r) for f, s in
                               zip(flow_seq(r), imix_sizes(n, r))]
    r = rng("mixed-lan4")
    yield "mixed-lan4.pcap", [pkt46(f, s, p, r) for f, s, p in
                              zip(flow_seq(r), imix_sizes(n, r),
                                  proto_mix(n, r))]
    r = rng("mixed-mesh")
    yield "mixed-mesh.pcap", [pkt64(f, s, p, r) for f, s, p in
                              zip(flow_seq(r), imix_sizes(n, r),
                                  proto_mix(n, r))]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "out"))
    ap.add_argument("--flows", type=int, default=256)
    ap.add_argument("--packets", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=7915)
    a = ap.parse_args()
    if not 1 <= a.flows <= 65536 - 1024 or a.packets < 1:
        ap.error("--flows 1..64512, --packets >= 1")
    os.makedirs(a.out, exist_ok=True)
    for name, pkts in scenarios(a.flows, a.packets, a.seed):
        write(os.path.join(a.out, name), pkts)
        print("%s: %d packets, %d flows" % (os.path.join(a.out, name),
                                            len(pkts), min(a.flows,
                                                           len(pkts))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
