# SPDX-License-Identifier: BSD-3-Clause
"""What the scripts of the rpc suite share: a JSON-RPC 2.0 client of the
control socket and the ok/FAIL lines they print."""
import json
import socket

failures = []


def check(cond, what):
    print(("ok " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


class Conn:
    """One client connection: send lines, read reply lines."""

    def __init__(self, sock, timeout=20):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(sock)
        self.buf = b""
        self.next_id = 1

    def send_raw(self, data):
        self.s.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def call(self, method, params=None):
        req = {"jsonrpc": "2.0", "method": method, "id": self.next_id}
        if params is not None:
            req["params"] = params
        self.next_id += 1
        self.send_raw(json.dumps(req).encode() + b"\n")
        while True:
            rep = self.line()
            if rep is None or "id" in rep:
                return rep

    def close(self):
        self.s.close()


def code(rep):
    return rep.get("error", {}).get("code") if rep else None
