#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
A second, independent writer of the mesh agent's roaming messages
(doc/mesh-agent.md, "Wire format"), for the e2e tests: it plays a node
that holds the site key, or an attacker that does not.

    mesh_tools.py roam --to ADDR --key FILE --client IP --clatd P96
                  --clatb P96 --platc P96 [--lease S] [--ts-offset S]
                  [--truncate N] [--times N] [--port P] [--mac MAC]

sends one ROAM (the same bytes --times times: a replay) and prints what
it sent. --key FILE holds the hex key; a wrong key is just another file.
"""

import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import sys
import time

VERSION = 1
CLAIM, INFO, ROAM = 1, 2, 3


def p96(s):
    net = ipaddress.IPv6Network(s)
    if net.prefixlen != 96:
        raise SystemExit("%s: not a /96" % s)
    return net.network_address.packed[:12]


def roam_msg(key, mac, clatd, client, lease, clatb, platc, ts):
    hdr = struct.pack("!BBHQ", VERSION, ROAM, 0, ts) + os.urandom(16)
    body = (mac + b"\0\0" + clatd + ipaddress.IPv4Address(client).packed +
            struct.pack("!I", lease) + clatb + platc)
    msg = hdr + body
    return msg + hmac.new(key, msg, hashlib.sha256).digest()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("roam")
    r.add_argument("--to", required=True)
    r.add_argument("--port", type=int, default=5524)
    r.add_argument("--key", required=True)
    r.add_argument("--mac", default="12:34:56:78:9a:bc")
    r.add_argument("--client", required=True)
    r.add_argument("--clatd", required=True)
    r.add_argument("--clatb", required=True)
    r.add_argument("--platc", required=True)
    r.add_argument("--lease", type=int, default=3600)
    r.add_argument("--ts-offset", type=int, default=0)
    r.add_argument("--truncate", type=int, default=0)
    r.add_argument("--times", type=int, default=1)
    a = ap.parse_args()

    with open(a.key) as f:
        key = bytes.fromhex("".join(f.read().split()))
    mac = bytes.fromhex(a.mac.replace(":", ""))
    msg = roam_msg(key, mac, p96(a.clatd), a.client, a.lease, p96(a.clatb),
                   p96(a.platc), int(time.time()) + a.ts_offset)
    if a.truncate:
        msg = msg[:a.truncate]
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    for i in range(a.times):
        s.sendto(msg, (a.to, a.port))
        print("sent %d bytes to [%s]:%d (%d of %d), nonce %s" %
              (len(msg), a.to, a.port, i + 1, a.times, msg[12:28].hex()))
        time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
