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
                                   summary when a datagram "END" arrives
  flows-send DST PORT SRCS FLOWS N PPS   stress sender (see flows_send)
"""
import json
import os
import re
import select
import socket
import struct
import sys
import threading
import time
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
        if data.startswith(b"END"):
            st = {"flows": len(flows), "received": 0, "lost": 0,
                  "reordered": 0, "duplicates": 0, "peers": {}}
            for (a, p), f in flows.items():
                st["received"] += f.n
                st["lost"] += f.lost
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


def flows_send(dst, port, srcs, nflows, count, pps):
    """
    'nflows' UDP flows, spread round-robin over the source addresses
    'srcs' (comma-separated), each sending 'count' datagrams numbered from
    0, all interleaved at about 'pps' datagrams per second. Checks the
    echoes the same way the receiver checks the datagrams, then asks the
    receiver for its summary and prints both as JSON. Exits 0 when
    nothing was reordered or duplicated in either direction.
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
        ctl.send(b"END")
        try:
            reply = ctl.recv(1 << 20)
        except socket.timeout:
            continue
        if reply.startswith(b"END-ACK "):
            remote = json.loads(reply[8:])
            break
    ports = sorted(s.getsockname()[1] for s in socks)
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
    if remote is None:
        log("no summary from the receiver")
        return 1
    remote.pop("peers", None)
    log("receiver " + json.dumps(remote, sort_keys=True))
    ok = (remote["reordered"] == 0 and remote["duplicates"] == 0 and
          res["echo_reordered"] == 0 and res["echo_duplicates"] == 0 and
          remote["flows"] == nflows)
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
                          float(a[5]))
    else:
        sys.stderr.write("unknown command %s\n%s" % (cmd, __doc__))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
