# SPDX-License-Identifier: BSD-3-Clause
"""What the scripts of the rpc suite share: a JSON-RPC 2.0 client of the
control socket and the ok/FAIL lines they print."""
import json
import os
import socket
import subprocess
import sys
import time

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


def start(cmd, sock, log_path, tries=300):
    """Run the daemon command 'cmd' (output to 'log_path') and wait until
    its control socket 'sock' accepts a connection, 'tries' x 50 ms at
    most; exit the script with the log when it does not."""
    log = open(log_path, "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(tries):
        if os.path.exists(sock):
            try:
                Conn(sock).close()
                return p
            except OSError:
                pass
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    p.wait()
    with open(log_path) as f:
        print(f.read())
    sys.exit("meshxlat did not open its control socket")
