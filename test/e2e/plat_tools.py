#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Traffic helpers for the PLAT end-to-end tests (test/e2e/plat_*.sh): small
servers that log who talked to them, so a test can check the source address
and port the NAT64 chose, and clients that check what comes back. Python's
standard library only. Every server stops by itself after LIFE seconds.

  http-serve ADDR PORT DIR LIFE    HTTP/1.0 file server; logs "peer A P GET /f"
  dns-serve ADDR PORT LIFE         answers A queries with 192.0.2.53 (RFC 1035
                                   wire format); logs "peer A P NAME"
  dns-ask SERVER PORT NAME         one A query, 3 tries of 2 s; checks the id,
                                   the question and the answer 192.0.2.53
  icmp-log LIFE                    logs "peer A ID" for each ICMP echo request
                                   (a raw socket: sees what the kernel answers)
  peers LOG LO HI ADDR [MIN]       every "peer" line of LOG came from ADDR with
                                   a port (or echo id) in LO..HI; at least MIN
  flows-recv ADDR PORT LIFE        stress receiver: echoes every datagram and
                                   checks its per-flow sequence; prints a JSON
                                   summary when a datagram "END N" arrives
  flows-send DST PORT SRCS FLOWS N PPS OUT   stress sender (see flows_send),
                                   writes what it saw to the JSON file OUT
  owner ADDR6 N                    the shard of an IPv6 client among N
                                   (doc/nat64.md, "Sharding")
  snap-check SNAP N POOL4 LO BLOCK FLOWS_JSON [PLAT_STATS_JSON]
                                   the NAT64 snapshot SNAP of N shards holds
                                   the sender's UDP flows once each, every one
                                   in the shard that owns its client and port;
                                   and as many sessions per shard as the
                                   daemon's plat.stats.get said before it
"""
import ipaddress
import json
import os
import re
import select
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

DNS_ANSWER = "192.0.2.53"


def log(*a):
    print(*a, flush=True)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def stop_after(life):
    """A watchdog: the process ends after 'life' seconds whatever it does."""
    t = threading.Timer(life, lambda: os._exit(0))
    t.daemon = True
    t.start()


# --- HTTP ---------------------------------------------------------------

def http_serve(addr, port, directory, life):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=directory, **kw)

        def log_message(self, fmt, *args):
            log("peer %s %d %s" % (self.client_address[0],
                                   self.client_address[1], fmt % args))

    class Server(ThreadingHTTPServer):
        address_family = family_of(addr)
        daemon_threads = True

    stop_after(life)
    srv = Server((addr, port), Handler)
    log("listening on [%s]:%d" % (addr, port))
    srv.serve_forever()


# --- DNS (RFC 1035 section 4) ------------------------------------------

def dns_name(msg, off):
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            return ".".join(labels), off
        if n >= 0xc0:
            raise ValueError("compressed name in a question")
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n


def dns_encode(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def dns_serve(addr, port, life):
    stop_after(life)
    s = socket.socket(family_of(addr), socket.SOCK_DGRAM)
    s.bind((addr, port))
    log("listening on [%s]:%d" % (addr, port))
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            qid, flags, qd = struct.unpack("!HHH", msg[:6])
            name, off = dns_name(msg, 12)
            qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        except (ValueError, IndexError, struct.error):
            log("bad query from %s %d" % (peer[0], peer[1]))
            continue
        log("peer %s %d %s type %d" % (peer[0], peer[1], name, qtype))
        question = msg[12:off + 4]
        answers = b""
        an = 0
        if qtype == 1 and qclass == 1:
            # A pointer to the name in the question (offset 12).
            answers = struct.pack("!HHHIH", 0xc00c, 1, 1, 60, 4) + \
                socket.inet_aton(DNS_ANSWER)
            an = 1
        # QR, AA, RD copied, RA.
        rflags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080
        s.sendto(struct.pack("!HHHHHH", qid, rflags, 1, an, 0, 0) +
                 question + answers, peer)


def dns_ask(server, port, name):
    qid = struct.unpack("!H", os.urandom(2))[0]
    query = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + \
        dns_encode(name) + struct.pack("!HH", 1, 1)
    s = socket.socket(family_of(server), socket.SOCK_DGRAM)
    s.settimeout(2.0)
    s.connect((server, port))
    log("local %s" % (s.getsockname(),))
    for attempt in range(1, 4):
        s.send(query)
        log("try %d: asked [%s]:%d for %s A, id %d" % (attempt, server, port,
                                                       name, qid))
        try:
            msg = s.recv(4096)
        except socket.timeout:
            log("try %d: no answer in 2 s" % attempt)
            continue
        rid, flags, qd, an = struct.unpack("!HHHH", msg[:8])
        qname, off = dns_name(msg, 12)
        off += 4
        if rid != qid or not flags & 0x8000 or qname != name or an < 1:
            log("bad answer: id %d flags %#x name %s answers %d" %
                (rid, flags, qname, an))
            return 1
        # The answer: a name pointer, type, class, ttl, rdlength, rdata.
        atype, aclass, ttl, rdlen = struct.unpack("!HHIH", msg[off + 2:off + 12])
        rdata = msg[off + 12:off + 12 + rdlen]
        got = socket.inet_ntoa(rdata) if atype == 1 and rdlen == 4 else "?"
        log("try %d: %s A %s (ttl %d)" % (attempt, qname, got, ttl))
        return 0 if got == DNS_ANSWER else 1
    return 1


# --- ICMP -----------------------------------------------------------------

def icmp_log(life):
    stop_after(life)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    log("listening for ICMP echo requests")
    while True:
        pkt, peer = s.recvfrom(65535)
        ihl = (pkt[0] & 0xf) * 4
        if len(pkt) < ihl + 8 or pkt[ihl] != 8:
            continue
        ident, seq = struct.unpack("!HH", pkt[ihl + 4:ihl + 8])
        log("peer %s %d echo seq %d" % (peer[0], ident, seq))


def peers(path, lo, hi, addr, least=1):
    """Every 'peer A P' line of 'path' has A == addr and lo <= P <= hi."""
    seen = bad = 0
    ports = set()
    with open(path) as f:
        for line in f:
            m = re.match(r"peer (\S+) (\d+)", line)
            if m is None:
                continue
            seen += 1
            a, p = m.group(1), int(m.group(2))
            ports.add(p)
            if a != addr or not lo <= p <= hi:
                bad += 1
                log("unexpected peer %s %d" % (a, p))
    log("%d requests from %s, ports %s" %
        (seen, addr, ",".join(str(p) for p in sorted(ports)[:20])))
    return 0 if seen >= least and bad == 0 else 1


# --- the handoff stress: many flows with sequence numbers ------------------

HDR = struct.Struct("!4sHIQ")   # magic, flow, seq, send time (ns)
MAGIC = b"MXSQ"


class Seq:
    """
    The sequence numbers of one flow as they arrive: each should be one
    more than the last. A gap counts as loss, a number below the last as
    reordering, the last one again as a duplicate.
    """

    def __init__(self):
        self.next = self.n = self.lost = self.reord = self.dup = 0

    def see(self, seq):
        self.n += 1
        if seq == self.next:
            self.next += 1
        elif seq > self.next:
            self.lost += seq - self.next
            self.next = seq + 1
        elif seq == self.next - 1:
            self.dup += 1
        else:
            self.reord += 1


def flows_recv(addr, port, life):
    """
    Echo every datagram back to its sender and check, per flow (the
    sender's address and port), that the sequence numbers only grow by
    one: a gap is loss, a smaller number is reordering, the same one a
    duplicate. "END" from a sender prints the summary as one JSON line.
    """
    stop_after(life)
    s = socket.socket(family_of(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((addr, port))
    log("listening on [%s]:%d" % (addr, port))
    flows = {}
    while True:
        data, peer = s.recvfrom(2048)
        if data.startswith(b"END "):
            count = int(data[4:])
            st = {"flows": len(flows), "received": 0, "lost": 0,
                  "reordered": 0, "duplicates": 0, "peers": {}}
            for (a, p), f in flows.items():
                st["received"] += f.n
                st["lost"] += f.lost + max(0, count - f.next)
                st["reordered"] += f.reord
                st["duplicates"] += f.dup
                st["peers"].setdefault(a, []).append(p)
            log("summary " + json.dumps(st, sort_keys=True))
            s.sendto(b"END-ACK " + json.dumps(st).encode(), peer)
            continue
        if len(data) < HDR.size or data[:4] != MAGIC:
            continue
        _, flow, seq, _ = HDR.unpack_from(data)
        flows.setdefault(peer[:2], Seq()).see(seq)
        s.sendto(data, peer)


def flows_send(dst, port, srcs, nflows, count, pps, out):
    """
    'nflows' UDP flows, spread round-robin over the source addresses
    'srcs' (comma-separated), each sending 'count' datagrams numbered from
    0, all interleaved at about 'pps' datagrams per second. Checks the
    echoes the same way the receiver checks the datagrams, then asks the
    receiver for its summary and prints both as JSON; writes them, with
    every flow's source address and port (and those of the summary's
    own flow, "ctl"), to the file 'out'. Exits 0 when nothing was
    reordered or duplicated in either direction and the receiver saw
    every flow; losses are reported, not judged.
    """
    srcs = srcs.split(",")
    socks = []
    for i in range(nflows):
        s = socket.socket(family_of(dst), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind((srcs[i % len(srcs)], 0))
        s.connect((dst, port))
        s.setblocking(False)
        socks.append(s)
    back = [Seq() for _ in range(nflows)]

    def drain(deadline=0.0):
        while True:
            left = max(0.0, deadline - time.monotonic())
            r, _, _ = select.select(socks, [], [], left)
            if not r:
                return
            for s in r:
                while True:
                    try:
                        data = s.recv(2048)
                    except BlockingIOError:
                        break
                    except ConnectionRefusedError:
                        continue
                    if len(data) < HDR.size or data[:4] != MAGIC:
                        continue
                    _, flow, seq, _ = HDR.unpack_from(data)
                    back[flow].see(seq)

    t0 = time.monotonic()
    sent = 0
    pad = b"x" * 64
    for seq in range(count):
        for flow, s in enumerate(socks):
            s.send(HDR.pack(MAGIC, flow, seq, time.monotonic_ns()) + pad)
            sent += 1
            due = t0 + sent / pps
            if time.monotonic() < due:
                drain(due)
    elapsed = time.monotonic() - t0
    drain(time.monotonic() + 2.0)
    # The receiver's view.
    ctl = socket.socket(family_of(dst), socket.SOCK_DGRAM)
    ctl.settimeout(2.0)
    ctl.connect((dst, port))
    remote = None
    for _ in range(5):
        ctl.send(b"END %d" % count)
        try:
            reply = ctl.recv(1 << 20)
        except socket.timeout:
            continue
        if reply.startswith(b"END-ACK "):
            remote = json.loads(reply[8:])
            break
    ports = sorted(s.getsockname()[1] for s in socks)
    flows = [list(s.getsockname()[:2]) for s in socks]
    res = {
        "sent": sent, "seconds": round(elapsed, 2),
        "pps": round(sent / elapsed) if elapsed > 0 else 0,
        "echoed": sum(b.n for b in back),
        "echo_lost": sum(b.lost + count - b.next for b in back),
        "echo_reordered": sum(b.reord for b in back),
        "echo_duplicates": sum(b.dup for b in back),
        "flows_with_echo_loss": sum(1 for b in back
                                    if b.lost or b.next != count),
        "client_ports": [ports[0], ports[-1]],
    }
    log("sender " + json.dumps(res, sort_keys=True))
    with open(out, "w") as f:
        json.dump({"sender": res, "receiver": remote, "flows": flows,
                   "ctl": list(ctl.getsockname()[:2])}, f)
    if remote is None:
        log("no summary from the receiver")
        return 1
    remote = dict(remote)
    remote.pop("peers", None)
    log("receiver " + json.dumps(remote, sort_keys=True))
    ok = (remote["reordered"] == 0 and remote["duplicates"] == 0 and
          res["echo_reordered"] == 0 and res["echo_duplicates"] == 0 and
          remote["flows"] == nflows)
    return 0 if ok else 1


# --- the NAT64 snapshot (doc/nat64.md, "Snapshots") ------------------------

def fmix64(x):
    m = (1 << 64) - 1
    x ^= x >> 33
    x = (x * 0xff51afd7ed558ccd) & m
    x ^= x >> 33
    x = (x * 0xc4ceb9fe1a85ec53) & m
    x ^= x >> 33
    return x


def owner_in2out(addr6, n):
    """The shard of an IPv6 client: doc/nat64.md's formula."""
    b = ipaddress.IPv6Address(addr6).packed
    hi, lo = struct.unpack(">QQ", b)
    h = fmix64(hi ^ fmix64(lo ^ 0x9e3779b97f4a7c15))
    return ((h >> 32) * n) >> 32


def snap_sections(path):
    """The shards' sections of a snapshot file: (header, sessions)."""
    data = open(path, "rb").read()
    off = 0
    while off < len(data):
        hdr = data[off:off + 64]
        magic, ver, hsize, shard, n, fp, wall, nblk, nsess, flags = \
            struct.unpack("<8sIIIIQQIII", hdr[:52])
        if magic != b"MXNAT64S" or ver != 1 or hsize != 64:
            raise ValueError("section at %d: not a version 1 snapshot" % off)
        size = 64 + 32 * nblk + 40 * nsess
        crc, = struct.unpack("<I", data[off + size:off + size + 4])
        if zlib.crc32(data[off:off + size]) != crc:
            raise ValueError("section of shard %d: bad CRC" % shard)
        sess = []
        p = off + 64 + 32 * nblk
        for _ in range(nsess):
            r = data[p:p + 40]
            a6 = str(ipaddress.IPv6Address(r[:16]))
            a4, rem4, port6, port4, rport, proto, state, left = \
                struct.unpack("<IIHHHBBI", r[16:36])
            sess.append({"addr6": a6, "addr4": a4, "rem4": rem4,
                         "port6": port6, "port4": port4, "rport": rport,
                         "proto": proto, "left": left})
            p += 40
        yield {"shard": shard, "n": n, "blocks": nblk}, sess
        off += size + 4


def snap_check(path, n, pool4, lo, block, flows_json, live_json=None):
    """
    Every UDP flow of the sender has exactly one session, in the shard
    that owns its client (in2out) and whose slice holds its pool port
    (out2in); no shard holds a UDP session the sender did not make; the
    pool ports are the ones the receiver saw. With 'live_json' (the
    daemon's plat.stats.get just before it stopped), each shard saved as
    many sessions, of all protocols, as it reported.
    """
    want = json.load(open(flows_json))
    flows = {(str(ipaddress.IPv6Address(a)), p) for a, p in want["flows"]}
    ctl = want["ctl"]
    flows.add((str(ipaddress.IPv6Address(ctl[0])), ctl[1]))
    pool = int(ipaddress.IPv4Address(pool4))
    seen = {}
    ports4 = set()
    bad = 0
    per_shard = []
    all_per_shard = []
    for i, (hdr, sess) in enumerate(snap_sections(path)):
        if hdr["shard"] != i or hdr["n"] != n:
            log("section %d is shard %d of %d" % (i, hdr["shard"], hdr["n"]))
            return 1
        udp = [x for x in sess if x["proto"] == 17]
        per_shard.append(len(udp))
        all_per_shard.append(len(sess))
        for x in udp:
            key = (x["addr6"], x["port6"])
            seen[key] = seen.get(key, 0) + 1
            ports4.add(x["port4"])
            own6 = owner_in2out(x["addr6"], n)
            own4 = ((x["port4"] - lo) // block) % n
            if x["addr4"] != pool or own6 != i or own4 != i:
                bad += 1
                log("shard %d: session [%s]:%d -> %d owned by %d (client) "
                    "and %d (port)" % (i, x["addr6"], x["port6"], x["port4"],
                                       own6, own4))
    if len(per_shard) != n:
        log("%d sections, %d shards" % (len(per_shard), n))
        return 1
    expect = [0] * n
    for a, _ in flows:
        expect[owner_in2out(a, n)] += 1
    missing = flows - set(seen)
    extra = set(seen) - flows
    twice = [k for k, v in seen.items() if v > 1]
    recv_ports = {p for ps in (want.get("receiver") or {}).get("peers",
                                                                {}).values()
                  for p in ps}
    log("UDP sessions per shard %s, expected from the clients' hash %s" %
        (per_shard, expect))
    log("flows %d (+1 ctl): missing %d, unknown %d, twice %d, misplaced %d; "
        "pool ports %d, of which the receiver saw %d" %
        (len(flows) - 1, len(missing), len(extra), len(twice), bad,
         len(ports4), len(recv_ports & ports4)))
    ok = (not missing and not extra and not twice and bad == 0 and
          per_shard == expect and len(ports4) == len(flows) and
          recv_ports <= ports4 and len(recv_ports) == len(flows) - 1)
    if live_json is not None:
        live = [sh["sessions"] for sh in json.load(open(live_json))["shards"]]
        log("sessions per shard, all protocols: saved %s, reported live %s" %
            (all_per_shard, live))
        ok = ok and live == all_per_shard
    return 0 if ok else 1


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, a = argv[1], argv[2:]
    if cmd == "http-serve":
        http_serve(a[0], int(a[1]), a[2], float(a[3]))
    elif cmd == "dns-serve":
        dns_serve(a[0], int(a[1]), float(a[2]))
    elif cmd == "dns-ask":
        return dns_ask(a[0], int(a[1]), a[2])
    elif cmd == "icmp-log":
        icmp_log(float(a[0]))
    elif cmd == "peers":
        return peers(a[0], int(a[1]), int(a[2]), a[3],
                     int(a[4]) if len(a) > 4 else 1)
    elif cmd == "flows-recv":
        flows_recv(a[0], int(a[1]), float(a[2]))
    elif cmd == "flows-send":
        return flows_send(a[0], int(a[1]), a[2], int(a[3]), int(a[4]),
                          float(a[5]), a[6])
    elif cmd == "owner":
        log(owner_in2out(a[0], int(a[1])))
    elif cmd == "snap-check":
        return snap_check(a[0], int(a[1]), a[2], int(a[3]), int(a[4]), a[5],
                          a[6] if len(a) > 6 else None)
    else:
        sys.stderr.write("unknown command %s\n%s" % (cmd, __doc__))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
