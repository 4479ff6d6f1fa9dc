#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The control socket against the real daemon, with traffic flowing.

meshxlat runs a CLAT on two virtual ports: lan4 replays a pcap of IPv4
client packets forever (net_pcap infinite_rx), mesh is a net_null sink.
Then, over the real Unix socket:

 1. JSON-RPC 2.0 conformance: every standard error code that a peer can
    cause, our own codes, batches, notifications, an oversized line, bytes
    that are not UTF-8, a NUL byte, and a peer of another user refused
    (SO_PEERCRED; as root only).
 2. events.subscribe: clat.plat.changed and config.reloaded arrive.
 3. meshxlatctl: exit codes, tables, --json equal to the socket's result.
 4. Load: 100 clients at once, 20 requests each (stats.get and
    neigh.list), all answered; the daemon's memory does not grow over a
    second round. Figures are printed, never asserted on time.
 5. capture.start to a pcapng file (stops itself at max_packets; the
    file reads back with scapy: every packet the translated IPv6 of the
    replay), trace.start (the stages and verdict of the next packets), and
    the /meshxlat/* commands on DPDK's telemetry socket.
 6. Hitless reload: 100 config.reload calls alternating two configs whose
    routes differ (so each builds new tables) and whose PLAT prefix
    differs, with clat.plat.set calls in between; at exit every packet
    received on lan4 left on mesh: none lost, none misrouted, no drop
    counter moved.

usage: rpc.py MESHXLAT MESHXLATCTL WORKDIR
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True      # the source tree may be read-only
import rpclib  # noqa: E402
from rpclib import Conn as _Conn, check, code, failures  # noqa: E402

MX, CTL, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SOCK = os.path.join(WORK, "run", "ctl.sock")
LAN4_MAC = "02:00:00:00:0a:01"
PREFIX = "mxrpc%d" % os.getpid()


def write_pcap(path):
    """64 IPv4/UDP packets from two CLAT clients to the Internet."""
    from scapy.all import Ether, IP, UDP, Raw, wrpcap
    pkts = []
    for i in range(64):
        pkts.append(Ether(dst=LAN4_MAC, src="02:00:00:00:0c:%02x" % (i % 2))
                    / IP(src="192.168.0.%d" % (10 + i % 2),
                         dst="198.51.100.%d" % (1 + i % 16), ttl=64)
                    / UDP(sport=40000 + i, dport=53) / Raw(b"x" * 18))
    wrpcap(path, pkts)


def config(route_pfx, plat):
    return {
        "ports": [
            {"name": "lan4", "device": "net_pcap0", "role": "lan4",
             "mac": LAN4_MAC, "ipv4": ["192.168.0.254/24"]},
            {"name": "mesh", "device": "net_null0", "role": "mesh6",
             "mac": "02:00:00:00:0a:02", "ipv6": ["2001:db8:1::1/64"]},
        ],
        "routes": [
            {"prefix": "::/0", "port": "mesh", "via": "fe80::1"},
            {"prefix": route_pfx, "port": "lan4", "via": "192.168.0.1"},
        ],
        "neighbours": [
            {"ip": "fe80::1", "mac": "02:00:00:00:00:01", "port": "mesh"},
            {"ip": "192.168.0.1", "mac": "02:00:00:00:00:02",
             "port": "lan4"},
        ],
        "clat": {"clat_range": "fddd:1337:1337::/48", "plat_prefix": plat,
                 "client_port": "lan4"},
        "control": {"socket": SOCK, "mode": "0666"},
    }


def Conn():
    return _Conn(SOCK)


def start_daemon(conf_path, stats_path):
    eal = ["--no-huge", "-m", "512", "--no-shconf", "--no-pci",
           "-l", "0,1", "--file-prefix", PREFIX,
           "--log-level", "lib.eal:warning",
           "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" %
           os.path.join(WORK, "lan4.pcap"),
           "--vdev", "net_null0,no-rx=1"]
    return rpclib.start([MX] + eal + ["--", "--config", conf_path,
                                      "--stats-json", stats_path],
                        SOCK, os.path.join(WORK, "meshxlat.log"))


def conformance():
    c = Conn()
    check(code(c.call("no.such.method")) == -32601, "unknown method -32601")
    c.send_raw(b'{"jsonrpc":"2.0","method":"sys.info.get",\n')
    check(code(c.line()) == -32700, "truncated JSON -32700")
    c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"sys.info.get","x":"\xff\xfe"}\n')
    check(code(c.line()) == -32700, "bytes that are not UTF-8 -32700")
    c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"sys\x00.info.get"}\n')
    check(code(c.line()) == -32700, "a NUL byte -32700")
    c.send_raw(b'{"jsonrpc":"1.0","id":7,"method":"sys.info.get"}\n')
    rep = c.line()
    check(code(rep) == -32600 and rep["id"] == 7, "wrong version -32600")
    check(code(c.call("neigh.add", {"ip": "10.0.0.1", "mac": "nope",
                                      "port": "lan4"})) == -32602 and True,
          "bad MAC -32602")
    rep = c.call("neigh.add", {"ip": "10.0.0.1", "mac": "02:00:00:00:00:09"})
    check(code(rep) == -32602 and rep["error"]["data"]["field"] == "port",
          "missing parameter -32602 names the field")
    rep = c.call("neigh.del", {"ip": "10.9.9.9", "port": "lan4"})
    check(code(rep) == -32001, "deleting what is not there -32001")
    rep = c.call("config.reload", {"file": "/nonexistent.json"})
    check(code(rep) == -32000 and "unchanged" in rep["error"]["message"],
          "bad reload -32000, running config unchanged")
    rep = c.call("clat.plat.set", {"prefix": "64:ff9b::/95"})
    check(code(rep) == -32602, "PLAT prefix of a bad length -32602")
    rep = c.call("clat.plat.set", {"prefix": "64:ff9b:0:0:ff00::/64"})
    check(code(rep) == -32602, "PLAT /64 with bits 64-71 set -32602")
    # Seed 003: plat_range + a MAC; its third octet lands in bits 64-71.
    was = c.call("clat.plat.get")["result"]["prefix"]
    rep = c.call("clat.plat.set", {"prefix": "64:ff9b:1:1234:5678:9abc::/96"})
    check("result" in rep, "PLAT /96 from plat_range + MAC accepted")
    c.call("clat.plat.set", {"prefix": was})
    # A batch with a notification, an invalid member and a good call.
    c.send_raw(json.dumps([
        {"jsonrpc": "2.0", "method": "sys.info.get"},
        {"jsonrpc": "2.0", "method": "sys.info.get", "id": "a"},
        42,
        {"jsonrpc": "2.0", "method": "nope", "id": "b"}]).encode() + b"\n")
    rep = c.line()
    check(isinstance(rep, list) and len(rep) == 3 and
          rep[0]["id"] == "a" and "result" in rep[0] and
          code(rep[1]) == -32600 and code(rep[2]) == -32601,
          "batch: 3 replies for 4 entries, in order")
    c.send_raw(b"[]\n")
    check(code(c.line()) == -32600, "empty batch -32600")
    # Notifications get no reply: the next line answers the request after.
    c.send_raw(b'{"jsonrpc":"2.0","method":"sys.info.get"}\n'
               b'{"jsonrpc":"2.0","method":"nope"}\n')
    rep = c.call("sys.info.get")
    check(rep is not None and rep.get("id") == c.next_id - 1,
          "notifications are not answered")
    # Over the 1 MiB line limit: an error, and the connection goes on.
    c.send_raw(b'{"jsonrpc":"2.0","method":"sys.info.get","id":1,"p":"' +
               b"y" * (2 << 20) + b'"}\n')
    check(code(c.line()) == -32600, "2 MiB line -32600")
    check("result" in c.call("sys.info.get"), "connection usable after it")
    c.close()

    if os.geteuid() == 0:
        pid = os.fork()
        if pid == 0:
            rc = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                n = Conn()
                rep = n.line()
                rc = 0 if code(rep) == -32003 else 3
            except Exception:
                rc = 4
            os._exit(rc)
        _, status = os.waitpid(pid, 0)
        check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
              "a peer of another user is refused -32003")
    else:
        print("skip peer of another user (needs root)")


def events():
    sub, other = Conn(), Conn()
    rep = sub.call("events.subscribe", {"filter": "clat.,config."})
    check(rep["result"]["subscribed"] is True, "events.subscribe")
    other.call("clat.plat.set", {"prefix": "64:ff9b:1:2::/64"})
    ev = sub.line()
    check(ev.get("method") == "event" and "id" not in ev and
          ev["params"]["event"] == "clat.plat.changed" and
          ev["params"]["prefix"] == "64:ff9b:1:2::/64",
          "clat.plat.changed event")
    other.call("config.reload")
    ev = sub.line()
    check(ev["params"]["event"] == "config.reloaded",
          "config.reloaded event")
    sub.close()
    other.close()


def ctl(*args, env=None):
    r = subprocess.run([CTL, "--socket", SOCK] + list(args),
                       capture_output=True, text=True, timeout=30, env=env)
    if r.returncode != 0 or r.stderr:
        print("  meshxlatctl %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                 r.stderr.strip()))
    return r.returncode, r.stdout, r.stderr


def meshxlatctl():
    rc, out, _ = ctl("port", "list")
    check(rc == 0 and "lan4" in out and "mesh6" in out and
          out.startswith("ports:"), "meshxlatctl port list (table)")
    rc, out, _ = ctl("--json", "sys.info.get")
    info = json.loads(out)
    check(rc == 0 and info["mode"] == "clat", "meshxlatctl --json")
    c = Conn()
    want = c.call("route.list")["result"]
    c.close()
    rc, out, _ = ctl("route.list", "--json")
    check(rc == 0 and json.loads(out) == want,
          "meshxlatctl --json equals the socket's result")
    rc, _, err = ctl("neigh", "del", "ip=10.1.1.1", "port=lan4")
    check(rc == 1 and "-32001" in err, "meshxlatctl error: exit 1")
    rc, _, err = ctl("--timeout", "soon", "sys.info.get")
    check(rc == 2 and "not a number" in err, "meshxlatctl usage: exit 2")
    r = subprocess.run([CTL, "--socket", WORK + "/none.sock", "sys.info.get"],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "is meshxlat running" in r.stderr,
          "meshxlatctl without a daemon: exit 2")
    rc, out, _ = ctl("metrics")
    check(rc == 0 and 'meshxlat_port_packets_total{port="lan4",dir="rx"}'
          in out and "# TYPE meshxlat_drops_total counter" in out,
          "meshxlatctl metrics (Prometheus text)")
    rc, out, _ = ctl("ctl.method.list", "--json")
    methods = {m["method"] for m in json.loads(out)["methods"]}
    check({"stats.get", "clat.plat.set", "config.reload", "events.subscribe",
           "neigh.add"} <= methods, "ctl.method.list")


def wait_for(c, method, cond, what):
    for _ in range(200):
        rep = c.call(method)["result"]
        if cond(rep):
            return rep
        time.sleep(0.05)
    check(False, what)
    return rep


def capture_and_trace():
    from scapy.all import rdpcap, IPv6, UDP
    c = Conn()
    path = os.path.join(WORK, "mesh.pcapng")
    # Nothing is dropped: this capture runs until stopped.
    rep = c.call("capture.start", {"file": path, "dir": "drops"})
    check("result" in rep and rep["result"]["running"],
          "capture.start dir=drops")
    rep = c.call("capture.start", {"file": path + "2"})
    check(code(rep) == -32002, "a second capture is refused -32002")
    rep = c.call("capture.stop")
    check(rep["result"]["packets"] == 0 and
          rep["result"]["stopped_by"] == "capture.stop", "capture.stop")
    rep = c.call("capture.start", {"file": path, "port": "mesh",
                                   "max_packets": 200})
    check("result" in rep and rep["result"]["running"], "capture.start")
    rep = wait_for(c, "capture.get", lambda r: not r["running"],
                   "capture stops itself at max_packets")
    check(rep["packets"] == 200 and rep["stopped_by"] == "max_packets reached",
          "capture: 200 packets, stopped by max_packets (%s)" % rep)
    pkts = rdpcap(path)
    ok = all(IPv6 in p and UDP in p and p[IPv6].dst.startswith("64:ff9b:")
             and p[UDP].dport == 53 for p in pkts)
    check(len(pkts) == 200 and ok,
          "capture file: 200 translated IPv6/UDP packets (read by scapy)")
    rep = c.call("capture.start", {"file": "/nonexistent/dir/x.pcapng"})
    check(code(rep) == -32000, "capture to a bad path -32000")
    rep = c.call("capture.start", {"file": path, "drop": "no_such_reason"})
    check(code(rep) == -32602, "capture of an unknown drop reason -32602")
    rep = c.call("capture.stop")
    check(code(rep) == -32001, "capture.stop without a capture -32001")

    rep = c.call("trace.start", {"count": 5, "addr": "198.51.100.0/24"})
    check("result" in rep, "trace.start")
    rep = wait_for(c, "trace.get", lambda r: r["traced"] == 5,
                   "trace gets 5 packets")
    good = [p for p in rep["packets"]
            if p["path"] == "eth > ip4 > xlat46 > neigh" and
            p["verdict"] == "tx mesh" and "198.51.100." in p["summary"]]
    check(len(good) == 5, "trace: each packet eth > ip4 > xlat46 > neigh, "
          "tx mesh")
    rep = c.call("trace.stop")
    check(rep["result"]["traced"] == 5, "trace.stop returns the trace")
    c.close()


def telemetry():
    import glob
    paths = glob.glob("/var/run/dpdk/%s/dpdk_telemetry.v2" % PREFIX) + \
        glob.glob(os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/nonexist"),
                               "dpdk", PREFIX, "dpdk_telemetry.v2"))
    if not paths:
        check(False, "DPDK telemetry socket exists")
        return
    t = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    t.settimeout(10)
    t.connect(paths[0])
    json.loads(t.recv(1 << 16))
    t.send(b"/meshxlat/stats")
    rep = json.loads(t.recv(1 << 16))["/meshxlat/stats"]
    check(rep["rx_pkts"] > 0 and rep["xlat46"] > 0,
          "telemetry /meshxlat/stats")
    t.send(b"/meshxlat/ports,lan4")
    rep = json.loads(t.recv(1 << 16))["/meshxlat/ports"]
    check(sorted(rep) == ["lan4_rx_bytes", "lan4_rx_pkts", "lan4_tx_bytes",
                          "lan4_tx_pkts"] and rep["lan4_rx_pkts"] > 0,
          "telemetry /meshxlat/ports,lan4 (%s)" % rep)
    t.close()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load(pid):
    def client(i, out):
        lat = []
        try:
            c = Conn()
            for k in range(20):
                t = time.monotonic()
                rep = c.call("stats.get" if k % 2 == 0 else "neigh.list")
                lat.append(time.monotonic() - t)
                if rep is None or "result" not in rep:
                    break
            c.close()
        except OSError:
            pass
        out[i] = lat

    rss = []
    probe = Conn()
    probe.call("stats.get", {"reset_max": True})
    time.sleep(1)
    w = probe.call("stats.get", {"reset_max": True})["result"]["workers"]
    print("idle control plane: longest worker poll %.1f us in 1 s" %
          max(x["poll_max_us"] for x in w))
    for rnd in range(2):
        res = [None] * 100
        threads = [threading.Thread(target=client, args=(i, res))
                   for i in range(100)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        dt = time.monotonic() - t0
        done = sum(len(r) for r in res if r)
        worst = max(max(r) for r in res if r)
        print("load round %d: 100 clients x 20 requests: %d answered in "
              "%.2f s (%.0f/s), slowest reply %.1f ms" %
              (rnd + 1, done, dt, done / dt, worst * 1000))
        check(done == 2000, "load round %d: every client got every reply" %
              (rnd + 1))
        rss.append(rss_kib(pid))
        w = probe.call("stats.get", {"reset_max": True})["result"]["workers"]
        print("load round %d: longest worker poll %.1f us (on 2 cores the "
              "100 client threads preempt the worker too)" %
              (rnd + 1, max(x["poll_max_us"] for x in w)))
    probe.close()
    print("daemon RSS after round 1: %d KiB, after round 2: %d KiB" %
          (rss[0], rss[1]))
    if "ASAN_OPTIONS" in os.environ:
        # ASan keeps freed memory in quarantine: RSS says nothing there,
        # its leak check at exit does.
        print("skip RSS growth check under ASan")
    else:
        check(rss[1] - rss[0] < 4096, "no memory growth under load (< 4 MiB)")


def reload(conf_a, conf_b):
    c = Conn()
    times = []
    ok = 0
    for i in range(100):
        rep = c.call("config.reload", {"file": conf_a if i % 2 else conf_b})
        if "result" in rep:
            ok += 1
            times.append(rep["result"]["seconds"])
        elif ok == i:
            print("reload %d failed: %s" % (i, rep))
        if i % 10 == 5:
            c.call("clat.plat.set", {"prefix": "64:ff9b:%x::/96" % i})
    c.close()
    check(ok == 100, "100 reloads alternating two configs")
    if times:
        times.sort()
        print("reload: median %.1f ms, worst %.1f ms" %
              (times[50] * 1000, times[-1] * 1000))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.chmod(WORK, 0o755)
    write_pcap(os.path.join(WORK, "lan4.pcap"))
    conf_a = os.path.join(WORK, "a.json")
    conf_b = os.path.join(WORK, "b.json")
    with open(conf_a, "w") as f:
        json.dump(config("203.0.113.0/24", "64:ff9b::/96"), f)
    with open(conf_b, "w") as f:
        json.dump(config("198.18.0.0/15", "64:ff9b:1:abcd:ef01:2345::/96"), f)
    stats_path = os.path.join(WORK, "stats.json")
    p = start_daemon(conf_a, stats_path)
    try:
        os.chmod(os.path.dirname(SOCK), 0o755)
        conformance()
        events()
        meshxlatctl()
        capture_and_trace()
        telemetry()
        load(p.pid)
        reload(conf_a, conf_b)
        c = Conn()
        c.call("sys.quit")
        c.close()
        p.wait(60)
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            p.wait(30)
    check(p.returncode == 0, "meshxlat exited cleanly")
    st = json.load(open(stats_path))
    rx = st["ports"]["lan4"]["rx_packets"]
    tx = st["ports"]["mesh"]["tx_packets"]
    drops = {k: v for k, v in st["drops"].items() if v}
    print("traffic during the test: %d packets in on lan4, %d out on mesh, "
          "drops %s" % (rx, tx, drops or "none"))
    check(rx > 0 and rx == tx and st["ports"]["lan4"]["tx_packets"] == 0,
          "no packet lost or misrouted across the reloads")
    check(not drops, "no drop counter moved")
    if failures:
        print(open(os.path.join(WORK, "meshxlat.log")).read()[-3000:])
        sys.exit("%d failures" % len(failures))


main()
