#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Rulesets and replay traffic for the firewall's load tests (test/rpc/
fw_swap.py) and benchmark (bench/fw.py), without Scapy, identical on
every run.

    gen_fw.py rules N OUT.txt [--seed S]
        N ip6tables lines of the shapes a home gateway's ruleset has
        (the seed 002 kind: a host by stable suffix with a port, a host by
        address with a UDP port, a /64 with a multiport list), none of
        which matches the traffic below, then seed 002's rule itself
        (N + 1 lines in all). The first N lines do not depend on N: the
        file for N + 1 is the file for N with one more rule before the
        seed's.
        Lines are kept short (86 bytes on average): 10 000 rules fit in
        one fw.ruleset.replace request (1 MiB).
    gen_fw.py config RULES.txt SOCKET OUT.json
        the daemon config the traffic is addressed to: wan (wan6) on
        net_pcap0, 2001:db8:ffff:1::1/64, default route via ...::fe; lan
        (mesh6) on net_null0 with the two prefixes and the suffix server
        as a static neighbour under both; the firewall with the rules of
        RULES.txt ("br-lan" is lan), default_inbound drop; one worker;
        the control socket SOCKET.
    gen_fw.py traffic FLOWS OUT.pcap [--seed S]
        one TCP SYN per flow from the Internet (2001:db8:beef::/64 hosts,
        ports 10000+) to port 443 of the suffix server under the LAN's
        two prefixes (2001:db8:1234:1::/64, 2001:db8:5678:2::/64),
        addressed to the wan port's MAC (02:00:00:00:06:01), 74-byte
        frames. Each is a NEW connection (a SYN again before any answer
        stays NEW) that only the seed's rule accepts.
"""
import ipaddress
import json
import random
import struct
import sys

sys.dont_write_bytecode = True      # the source tree may be read-only
from gen_nat64 import csum_add, fold, pcap_header, pcap_record  # noqa: E402

WAN_MAC = bytes.fromhex("020000000601")
GW_MAC = bytes.fromhex("0200000006fe")
SUFFIX = bytes.fromhex("12345678abcdef01")
PREFIXES = [bytes.fromhex("20010db812340001"), bytes.fromhex("20010db856780002")]
SEED_RULE = ("-A forwarding_rule -d ::1234:5678:abcd:ef01/"
             "::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 "
             "-m comment --comment Inbound-HTTPS -o br-lan -j ACCEPT")


def ip6(b):
    return ipaddress.IPv6Address(b).compressed


def rules(n, seed):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        port = rnd.randrange(1, 65536)
        if i % 3 == 0:
            suffix = struct.pack("!Q", rnd.getrandbits(64))
            if suffix == SUFFIX:
                suffix = bytes(8)
            out.append("-A FORWARD -d %s/::ffff:ffff:ffff:ffff -p tcp "
                       "--dport %d -j ACCEPT" %
                       (ip6(bytes(8) + suffix), port))
        elif i % 3 == 1:
            host = (bytes.fromhex("20010db81234") +
                    struct.pack("!HQ", rnd.randrange(0x100, 0x10000),
                                rnd.getrandbits(64)))
            out.append("-A FORWARD -d %s -p udp --dport %d -j ACCEPT" %
                       (ip6(host), port))
        else:
            net = bytes.fromhex("20010db8") + struct.pack(
                "!HH", rnd.randrange(0x9000, 0x10000), rnd.getrandbits(16))
            out.append("-A FORWARD -d %s/64 -p tcp -m multiport "
                       "--dports 80,%d,8080 -j ACCEPT" %
                       (ip6(net + bytes(8)), port))
    return out + [SEED_RULE]


def config(rules, sock):
    server = "02:00:00:00:06:11"
    return {
        "ports": [
            {"name": "wan", "device": "net_pcap0", "role": "wan6",
             "mac": "02:00:00:00:06:01", "ipv6": ["2001:db8:ffff:1::1/64"]},
            {"name": "lan", "device": "net_null0", "role": "mesh6",
             "mac": "02:00:00:00:06:02",
             "ipv6": ["2001:db8:1234:1::1/64", "2001:db8:5678:2::1/64"]},
        ],
        "routes": [{"prefix": "::/0", "port": "wan",
                    "via": "2001:db8:ffff:1::fe"}],
        "neighbours": [
            {"ip": "2001:db8:ffff:1::fe", "mac": "02:00:00:00:06:fe",
             "port": "wan"}] + [
            {"ip": ip6(p + SUFFIX), "mac": server, "port": "lan"}
            for p in PREFIXES],
        "firewall": {"default_inbound": "drop",
                     "interfaces": {"br-lan": "lan"}, "rules": rules},
        "workers": {"lcores": 1},
        "control": {"socket": sock},
    }


def traffic(flows, seed):
    rnd = random.Random(seed)
    order = list(range(flows))
    rnd.shuffle(order)
    for f in order:
        host, k = divmod(f, 512)
        src = bytes.fromhex("20010db8beef0000") + struct.pack("!Q", host + 7)
        dst = PREFIXES[f % 2] + SUFFIX
        sport, seq = 10000 + k, (f * 2654435761) & 0xffffffff
        tcp = struct.pack("!HHIIBBHHH", sport, 443, seq, 0, 5 << 4, 0x02,
                          64800, 0, 0)
        c = fold(csum_add(csum_add(0, src + dst), tcp) + 6 + len(tcp))
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        ip = struct.pack("!IHBB", 6 << 28, len(tcp), 6, 57) + src + dst
        yield WAN_MAC + GW_MAC + b"\x86\xdd" + ip + tcp


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if args[:1] == ["config"] and len(args) == 4:
        with open(args[1]) as f:
            lines = f.read().splitlines()
        with open(args[3], "w") as f:
            json.dump(config(lines, args[2]), f, indent=1)
        print("%s: %d rules" % (args[3], len(lines)))
        return
    if len(args) != 3 or args[0] not in ("rules", "traffic"):
        sys.exit(__doc__)
    n = int(args[1])
    if args[0] == "rules":
        lines = rules(n, seed)
        with open(args[2], "w") as f:
            f.write("\n".join(lines) + "\n")
        print("%s: %d rules" % (args[2], len(lines)))
        return
    k = 0
    with open(args[2], "wb") as out:
        out.write(pcap_header())
        for fr in traffic(n, seed):
            out.write(pcap_record(fr))
            k += 1
    print("%s: %d frames" % (args[2], k))


if __name__ == "__main__":
    main()
