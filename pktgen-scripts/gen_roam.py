#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Replay traffic of roamed clients at their PLAT (seed 003, doc/roaming.md),
written without Scapy, identical on every run.

    gen_roam.py FLOWS OUT.pcap ENTRIES.json [--roamed PCT] [--nodes N]
                [--flows-per-client K] [--seed S] [--imix]

One IPv6 UDP frame per flow, in a seeded random order, into the PLAT's
mesh port (MAC 02:00:00:00:00:02, as gen_nat64.py and bench/nat64.py),
to 64:ff9b::/96 + 198.18.0.0/15. Client c (K flows each, default 16) has
the IPv4 address 10.0.0.0 + c and got its lease at node D = c mod N
(N nodes, default 16): its old CLAT address is CLATD:10.x.y.z, where a
node's CLAT /96 is the seed's fddd:1337:1337::/48 plus the node's MAC
(02:00:00:00:01:NN). PCT per cent of the clients (default 50, chosen
with the seed) roamed to another node B and send from CLATB:10.x.y.z;
the others still send from CLATD.

ENTRIES.json lists what the PLAT needs to map the roamed ones back, one
roam.add each (a ROAM_FROM entry and a ROAM_TO entry in the daemon):
    [{"kind": "plat", "client": "10.0.0.3", "from": "CLATD/96",
      "to": "CLATB/96", "lease": 86400}, ...]
one object per line: send each as the params of a roam.add request
(doc/rpc.md) before the replay, as bench/nat64.py --roam-clients does. --imix: gen_nat64.py's IMIX sizes
instead of 64-byte frames.
"""
import ipaddress
import json
import random
import struct
import sys

sys.dont_write_bytecode = True      # the source tree may be read-only
from gen_nat64 import (MESH_MAC, PEER_MAC, csum_add, fold,  # noqa: E402
                       payload, pcap_header, pcap_record)

CLAT_RANGE = bytes.fromhex("fddd13371337")     # the seed's /48


def clat96(node):
    """Node 'node''s CLAT /96: the /48 plus its MAC 02:00:00:00:01:NN."""
    return CLAT_RANGE + bytes([2, 0, 0, 0, 1, node])


def prefix(p96):
    return "%s/96" % ipaddress.IPv6Address(p96 + bytes(4)).compressed


def generate(flows, roamed_pct, nodes, per_client, seed, imix):
    rnd = random.Random(seed)
    rnd_size = random.Random(seed + 1) if imix else None
    clients = (flows + per_client - 1) // per_client
    roamed = set(rnd.sample(range(clients),
                            round(clients * roamed_pct / 100.0)))
    entries = []
    src = {}
    for c in range(clients):
        d = c % nodes
        client4 = struct.pack("!I", 0x0a000000 + c)
        if c in roamed:
            # Any node but D, spread with the client number.
            b = (d + 1 + (c // nodes) % (nodes - 1)) % nodes
            src[c] = clat96(b) + client4
            entries.append({"kind": "plat",
                            "client": "10.%d.%d.%d" % tuple(client4[1:]),
                            "from": prefix(clat96(d)),
                            "to": prefix(clat96(b)), "lease": 86400})
        else:
            src[c] = clat96(d) + client4
    order = list(range(flows))
    rnd.shuffle(order)
    frames = []
    for f in order:
        c, k = divmod(f, per_client)
        pl = payload(rnd_size)
        udp_len = 8 + len(pl)
        rem = 0xc6120000 + (f * 2654435761) % 0x20000      # 198.18.0.0/15
        dst = bytes.fromhex("0064ff9b0000000000000000") + \
            struct.pack("!I", rem)
        sport, dport = 10000 + k, 53
        s = csum_add(csum_add(0, pl) + 17 + 2 * udp_len, src[c] + dst) + \
            sport + dport
        udp = struct.pack("!HHHH", sport, dport, udp_len, fold(s)) + pl
        ip6 = struct.pack("!IHBB", 6 << 28, udp_len, 17, 64) + src[c] + dst
        frames.append(MESH_MAC + PEER_MAC + b"\x86\xdd" + ip6 + udp)
    return frames, entries


def main():
    args = sys.argv[1:]
    opts = {"--roamed": 50.0, "--nodes": 16, "--flows-per-client": 16,
            "--seed": 3}
    for o in list(opts):
        if o in args:
            i = args.index(o)
            opts[o] = type(opts[o])(args[i + 1])
            del args[i:i + 2]
    imix = "--imix" in args
    if imix:
        args.remove("--imix")
    if len(args) != 3 or not 2 <= opts["--nodes"] <= 256 or \
            not 0 <= opts["--roamed"] <= 100 or \
            opts["--flows-per-client"] < 1:
        sys.exit(__doc__)
    frames, entries = generate(int(args[0]), opts["--roamed"],
                               opts["--nodes"], opts["--flows-per-client"],
                               opts["--seed"], imix)
    with open(args[1], "wb") as out:
        out.write(pcap_header())
        for fr in frames:
            out.write(pcap_record(fr))
    with open(args[2], "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(e) for e in entries) +
                "\n]\n")
    print("%s: %d frames; %s: %d roamed clients" % (
        args[1], len(frames), args[2], len(entries)))


if __name__ == "__main__":
    main()
