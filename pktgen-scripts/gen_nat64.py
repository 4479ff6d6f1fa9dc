#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Replay pcaps for the PLAT (stateful NAT64) benchmarks, written without
Scapy so that a million flows take seconds: one 64-byte Ethernet frame
per flow, in a seeded random order (lookups hit the tables all over, not
in creation order), identical on every run.

    gen_nat64.py in2out FLOWS OUT.pcap [--seed N] [--imix]
        IPv6 UDP from 2001:db8:b::/64 clients (1024 flows each, below
        max_sessions_per_client) to 64:ff9b::/96 + 198.18.0.0/15.
        --imix: IMIX sizes instead of 64-byte frames, 7:4:1 of
        64/570/1498-byte IPv4 frames once translated (84/590/1518 as
        IPv6, FCS included: the largest needs no fragment either way),
        drawn from a second RNG so the order of the flows is the same.
    gen_nat64.py out2in SESSIONS.json OUT.pcap [--seed N]
        IPv4 UDP replies to the pool transport addresses of the sessions
        that 'meshxlatctl --json plat.session.list' gave (a JSON list of
        {"addr4", "port4", "remote", "rport"} objects).

Frames are addressed to the MACs the benchmark config gives the ports
(mesh 02:00:00:00:00:02, wan 02:00:00:00:00:03).
"""
import json
import random
import socket
import struct
import sys

MESH_MAC = bytes.fromhex("020000000002")
WAN_MAC = bytes.fromhex("020000000003")
PEER_MAC = bytes.fromhex("020000000033")
GW_MAC = bytes.fromhex("020000000001")
PAYLOAD = b"meshxlat-bench!!"          # 16 bytes: 64-byte IPv4 frames


def csum_add(s, data):
    if len(data) % 2:
        data += b"\0"
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    return s


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff or 0xffff


def pcap_header():
    return struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def pcap_record(frame):
    return struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame


# IMIX (7:4:1), as payload bytes of a UDP datagram: IPv4 frames of 64,
# 570 and 1498 bytes with the FCS (64 is the padded minimum frame).
IMIX = [len(PAYLOAD)] * 7 + [570 - 46] * 4 + [1498 - 46]


def payload(rnd_size):
    """The default 16-byte payload, or an IMIX size if rnd_size."""
    if rnd_size is None:
        return PAYLOAD
    n = rnd_size.choice(IMIX)
    return (PAYLOAD * (n // len(PAYLOAD) + 1))[:n]


def in2out(flows, seed, imix=False):
    rnd = random.Random(seed)
    rnd_size = random.Random(seed + 1) if imix else None
    order = list(range(flows))
    rnd.shuffle(order)
    for f in order:
        pl = payload(rnd_size)
        udp_len = 8 + len(pl)
        base = csum_add(0, pl) + udp_len + 17 + udp_len
        client, k = divmod(f, 1024)
        src = bytes.fromhex("20010db8000b0000") + struct.pack("!Q", client + 1)
        rem = 0xc6120000 + (f * 2654435761) % 0x20000      # 198.18.0.0/15
        dst = bytes.fromhex("0064ff9b0000000000000000") + struct.pack("!I", rem)
        sport = 10000 + k
        dport = 53
        s = csum_add(base, src + dst) + sport + dport
        udp = struct.pack("!HHHH", sport, dport, udp_len, fold(s)) + pl
        ip6 = struct.pack("!IHBB", 6 << 28, udp_len, 17, 64) + src + dst
        yield MESH_MAC + PEER_MAC + b"\x86\xdd" + ip6 + udp


def ip4_csum(h):
    return fold(csum_add(0, h))


def out2in(sessions, seed):
    rnd = random.Random(seed)
    udp_len = 8 + len(PAYLOAD)
    rnd.shuffle(sessions)
    for s in sessions:
        src = socket.inet_aton(s["remote"])
        dst = socket.inet_aton(s["addr4"])
        sport, dport = s["rport"], s["port4"]
        c = csum_add(csum_add(0, PAYLOAD), src + dst) + 17 + udp_len + \
            udp_len + sport + dport
        udp = struct.pack("!HHHH", sport, dport, udp_len, fold(c)) + PAYLOAD
        h = struct.pack("!BBHHHBBH", 0x45, 0, 20 + udp_len, 0, 0, 64, 17,
                        0) + src + dst
        h = h[:10] + struct.pack("!H", ip4_csum(h)) + h[12:]
        yield WAN_MAC + GW_MAC + b"\x08\x00" + h + udp


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    imix = "--imix" in args
    if imix:
        args.remove("--imix")
    if len(args) != 3 or args[0] not in ("in2out", "out2in"):
        sys.exit(__doc__)
    if args[0] == "in2out":
        frames = in2out(int(args[1]), seed, imix)
    else:
        with open(args[1]) as f:
            frames = out2in(json.load(f), seed)
    n = 0
    with open(args[2], "wb") as out:
        out.write(pcap_header())
        for fr in frames:
            out.write(pcap_record(fr))
            n += 1
    print("%s: %d frames" % (args[2], n))


if __name__ == "__main__":
    main()
