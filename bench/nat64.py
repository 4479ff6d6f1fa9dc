#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
bench/nat64.py: the PLAT (stateful NAT64) through the whole daemon.

    bench/nat64.py [--build DIR] [--flows "1000 100000 1000000"]
                   [--seconds S] [--workers 1|2] [--roam-clients K]
                   [--roam-only]

For each flow count:
  1. in2out: a pcap of one UDP frame per flow (pktgen-scripts/gen_nat64.py,
     seeded) replays forever into the mesh port (net_pcap infinite_rx), the
     IPv4 side is net_null. The first pass creates the sessions: the setup
     rate is flows / the time until plat.stats.get counts them all. Then
     Mpps and cycles per packet (worker busy cycles, rx to tx) over S
     seconds of established flows, and the bytes per session.
  2. out2in: the sessions are listed (plat.session.list), the daemon stops
     and saves them (plat.snapshot), a pcap of one IPv4 reply per session
     is written, and the daemon starts again from the snapshot with that
     pcap replaying into the wan port: Mpps and cycles per packet of
     established out2in flows.
With --roam-clients K (seed 003's roaming at the PLAT): K clients, 16
flows each (pktgen-scripts/gen_roam.py), K roam.add entries over one
control connection (2 K remap entries), and three runs of the in2out
replay: "roam-off" (no roam section, clients at their old CLAT /96),
"roam-miss" (the entries loaded, the same packets: every packet is looked
up and misses), "roam-hit" (every client roamed: each packet is remapped
to its old address before NAT64). roam-hit minus roam-miss is what a
remapped packet adds; roam-miss minus roam-off what the lookup costs
every packet. --roam-only skips the flow counts.
Writes BUILD/bench-nat64.csv and prints a table. Prints figures, never
fails on them; exits non-zero only when it cannot run.
"""
import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def config(work, flows, workers):
    return {
        "ports": [
            {"name": "mesh", "device": "net_pcap0", "role": "mesh6",
             "mac": "02:00:00:00:00:02", "ipv6": ["2001:db8:b::1/64"]},
            {"name": "wan", "device": "net_pcap1", "role": "wan4",
             "mac": "02:00:00:00:00:03", "ipv4": ["10.23.0.9/16"]},
        ],
        "routes": [{"prefix": "0.0.0.0/0", "port": "wan",
                    "via": "10.23.0.1"},
                   {"prefix": "2001:db8:b::/48", "port": "mesh"}],
        "neighbours": [
            {"ip": "10.23.0.1", "mac": "02:00:00:00:00:01", "port": "wan"},
        ],
        "plat": {"plat_prefix": "64:ff9b::/96",
                 "pool4": [{"prefix": "10.23.0.0/16",
                            "ports": "1024-65535"}],
                 "max_sessions": max(2 * flows, 4096),
                 "snapshot": os.path.join(work, "plat.snap")},
        "workers": {"lcores": workers, "mbufs": flows + 65536},
        "control": {"socket": os.path.join(work, "ctl.sock")},
    }


class Daemon:
    def __init__(self, build, work, conf, vdevs, workers, name):
        lcores = ["-l", "0,1"] if workers == 1 else \
            ["--lcores", "0@0,1@0,2@1"]
        self.log = open(os.path.join(work, name + ".log"), "w")
        self.ctl = [os.path.join(build, "app/meshxlatctl/meshxlatctl"),
                    "--socket", conf["control"]["socket"], "--json"]
        path = os.path.join(work, name + ".json")
        with open(path, "w") as f:
            json.dump(conf, f)
        cmd = [os.path.join(build, "app/meshxlat/meshxlat"), "--no-huge",
               "-m", str(1024 + conf["workers"]["mbufs"] * 6 // 1024),
               "--no-shconf", "--no-pci", "--no-telemetry",
               "--file-prefix", "mxbench-nat64"] + lcores
        for v in vdevs:
            cmd += ["--vdev", v]
        cmd += ["--", "--config", path]
        self.p = subprocess.Popen(cmd, stdout=self.log,
                                  stderr=subprocess.STDOUT)
        for _ in range(1200):
            if os.path.exists(conf["control"]["socket"]):
                if self.call("sys.info.get") is not None:
                    return
            if self.p.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        sys.exit("bench/nat64: the daemon did not start (see %s)" %
                 self.log.name)

    def call(self, method, *args):
        r = subprocess.run(self.ctl + [method] + list(args),
                           capture_output=True, text=True, timeout=120)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(120)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.log.close()


def sample(d):
    s = d.call("stats.get")
    rx = sum(p["rx_pkts"] for p in s["ports"])
    busy = sum(w["busy_cycles"] for w in s["workers"])
    return time.monotonic(), rx, busy


def measure(d, seconds):
    t0, rx0, b0 = sample(d)
    time.sleep(seconds)
    t1, rx1, b1 = sample(d)
    n = rx1 - rx0
    return (n / (t1 - t0) / 1e6 if t1 > t0 else 0.0,
            (b1 - b0) / n if n else 0.0)


def run(build, work, flows, seconds, workers, rows):
    os.makedirs(work, exist_ok=True)
    for f in ("plat.snap", "ctl.sock"):
        try:
            os.unlink(os.path.join(work, f))
        except FileNotFoundError:
            pass
    gen = os.path.join(TOP, "pktgen-scripts", "gen_nat64.py")
    in_pcap = os.path.join(work, "in2out-%d.pcap" % flows)
    subprocess.run(["/usr/bin/python3", gen, "in2out", str(flows), in_pcap],
                   check=True, stdout=subprocess.DEVNULL)
    conf = config(work, flows, workers)
    conf["ports"][1]["device"] = "net_null1"
    d = Daemon(build, work, conf,
               ["net_pcap0,rx_pcap=%s,infinite_rx=1" % in_pcap,
                "net_null1,no-rx=1"], workers, "in2out-%d" % flows)
    try:
        # The setup rate between two samples taken while the first pass
        # runs: the replay starts with the port, before we can look, so
        # the time from our start would be wrong. When the first sample
        # already sees every session (a small table), there is none.
        t0 = time.monotonic()
        created, first, done = 0, None, None
        while time.monotonic() - t0 < 300:
            st = d.call("plat.stats.get")
            created = st["sessions"]["udp"] if st else 0
            now = time.monotonic()
            if created >= flows:
                done = (now, created)
                break
            if first is None and created > 0:
                first = (now, created)
            time.sleep(0.02)
        setup_per_s = ""
        if first is not None and done is not None and done[0] > first[0]:
            setup_per_s = round((done[1] - first[1]) / (done[0] - first[0]))
        mpps, cyc = measure(d, seconds)
        st = d.call("plat.stats.get")
        bps = st["bytes_per_session"]
        rows.append({"scenario": "nat64-in2out", "flows": flows,
                     "workers": workers, "mpps": round(mpps, 3),
                     "cycles_per_pkt": round(cyc, 1),
                     "setup_per_s": setup_per_s,
                     "bytes_per_session": bps})
        # The sessions, for the replies.
        sessions = []
        cursor = None
        while True:
            args = ["limit=10000"] + (["cursor=" + cursor] if cursor else [])
            page = d.call("plat.session.list", *args)
            if page is None:
                break
            sessions += [{"addr4": s["addr4"], "port4": s["port4"],
                          "remote": s["remote"], "rport": s["rport"]}
                         for s in page["sessions"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    finally:
        d.stop()
    sess_path = os.path.join(work, "sessions-%d.json" % flows)
    with open(sess_path, "w") as f:
        json.dump(sessions, f)
    out_pcap = os.path.join(work, "out2in-%d.pcap" % flows)
    subprocess.run(["/usr/bin/python3", gen, "out2in", sess_path, out_pcap],
                   check=True, stdout=subprocess.DEVNULL)
    conf["ports"][0]["device"] = "net_null0"
    conf["ports"][1]["device"] = "net_pcap1"
    d = Daemon(build, work, conf,
               ["net_null0,no-rx=1",
                "net_pcap1,rx_pcap=%s,infinite_rx=1" % out_pcap],
               workers, "out2in-%d" % flows)
    try:
        time.sleep(1)
        mpps, cyc = measure(d, seconds)
        st = d.call("plat.stats.get")
        restored = st["sessions"]["udp"] if st else 0
        rows.append({"scenario": "nat64-out2in", "flows": flows,
                     "workers": workers, "mpps": round(mpps, 3),
                     "cycles_per_pkt": round(cyc, 1),
                     "setup_per_s": "",
                     "bytes_per_session": st["bytes_per_session"] if st
                     else "", "restored": restored})
    finally:
        d.stop()


def roam_run(build, work, clients, seconds, workers, rows):
    """The roamed-clients scenarios (see the docstring)."""
    sys.path.insert(0, os.path.join(TOP, "test", "rpc"))
    sys.dont_write_bytecode = True
    from rpclib import Conn
    os.makedirs(work, exist_ok=True)
    gen = os.path.join(TOP, "pktgen-scripts", "gen_roam.py")
    flows = clients * 16
    pcaps = {}
    for pct in (0, 100):
        pcaps[pct] = os.path.join(work, "roam%d-%d.pcap" % (pct, clients))
        subprocess.run(["/usr/bin/python3", gen, str(flows), pcaps[pct],
                        os.path.join(work, "roam%d-%d.json" % (pct, clients)),
                        "--roamed", str(pct)],
                       check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(work, "roam100-%d.json" % clients)) as f:
        entries = json.load(f)
    for name, pct, with_roam in (("roam-off", 0, False),
                                 ("roam-miss", 0, True),
                                 ("roam-hit", 100, True)):
        try:
            os.unlink(os.path.join(work, "ctl.sock"))
        except FileNotFoundError:
            pass
        conf = config(work, flows, workers)
        conf["ports"][1]["device"] = "net_null1"
        del conf["plat"]["snapshot"]
        # the seed's CLAT prefixes are behind the mesh
        conf["routes"].append({"prefix": "fddd:1337:1337::/48",
                               "port": "mesh"})
        if with_roam:
            conf["roam"] = {"max_entries": max(65536, 4 * len(entries))}
        d = Daemon(build, work, conf,
                   ["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcaps[pct],
                    "net_null1,no-rx=1"], workers, "%s-%d" % (name, clients))
        try:
            added, t0 = 0, time.monotonic()
            if with_roam:
                c = Conn(conf["control"]["socket"], timeout=120)
                retries = 0
                for e in entries:
                    # Each roam.add rebuilds and publishes the table; a
                    # burst of them can outrun the workers' quiescent
                    # points ("too many changes in flight", -32000):
                    # wait a little and send it again.
                    for _ in range(100):
                        rep = c.call("roam.add", e)
                        if rep is None or "result" in rep or \
                                rep.get("error", {}).get("code") != -32000:
                            break
                        retries += 1
                        time.sleep(0.01)
                    added += bool(rep and "result" in rep)
                if retries:
                    print("%s: %d roam.add retried (changes in flight)" %
                          (name, retries))
                c.close()
            add_s = time.monotonic() - t0
            t0 = time.monotonic()
            while time.monotonic() - t0 < 120:
                st = d.call("plat.stats.get")
                if st and st["sessions"]["udp"] >= flows:
                    break
                time.sleep(0.05)
            mpps, cyc = measure(d, seconds)
            s = d.call("stats.get")
            ev = {}
            for k in ("roam_plat_in", "nat64_in2out"):
                ev[k] = s.get("events", {}).get(k, "") if s else ""
            rows.append({"scenario": "nat64-" + name, "flows": flows,
                         "workers": workers, "mpps": round(mpps, 3),
                         "cycles_per_pkt": round(cyc, 1),
                         "setup_per_s": "", "bytes_per_session": "",
                         "restored": "",
                         "roam_entries": 2 * added if with_roam else 0,
                         "roam_add_s": round(add_s, 2) if with_roam
                         else "",
                         "roam_plat_in": ev["roam_plat_in"]})
        finally:
            d.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get(
        "MX_BUILD", os.path.join(TOP, "build")))
    ap.add_argument("--flows", default="1000 100000 1000000")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--workers", type=int, default=1, choices=(1, 2))
    ap.add_argument("--roam-clients", type=int, default=0)
    ap.add_argument("--roam-only", action="store_true")
    ap.add_argument("--csv", help="default BUILD/bench-nat64.csv")
    a = ap.parse_args()
    work = os.path.join(a.build, "bench-nat64")
    rows = []
    for flows in [] if a.roam_only else [int(x) for x in a.flows.split()]:
        run(a.build, work, flows, a.seconds, a.workers, rows)
    if a.roam_clients > 0:
        roam_run(a.build, work, a.roam_clients, a.seconds, a.workers, rows)
    path = a.csv or os.path.join(a.build, "bench-nat64.csv")
    keys = ["scenario", "flows", "workers", "mpps", "cycles_per_pkt",
            "setup_per_s", "bytes_per_session", "restored", "roam_entries",
            "roam_add_s", "roam_plat_in"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    fmt = "%-16s %8s %7s %7s %11s %11s %9s %9s %9s %9s %12s"
    print(fmt % tuple(keys))
    for r in rows:
        print(fmt % tuple(str(r.get(k, "")) for k in keys))
    print("written to", path)


if __name__ == "__main__":
    main()
