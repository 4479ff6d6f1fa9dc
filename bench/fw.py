#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
bench/fw.py: the firewall through the whole daemon.

    bench/fw.py [--build DIR] [--rules "10 1000 10000"] [--seconds S]
                [--swaps K] [--csv FILE]

For each rule count N (pktgen-scripts/gen_fw.py: a home gateway's host
rules, by random suffix, address or /64, then seed 002's rule, the only
one that accepts the traffic), the daemon forwards a replay of TCP SYNs
from the Internet to the suffix server's 443 (net_pcap infinite_rx into
the wan port, 1024 flows, every packet NEW: the connection lookup, the
rte_acl classification and the connection update, all of it) to a
net_null lan port. Figures over S seconds from stats.get: Mpps and the
worker's cycles per packet (busy cycles / packets, rx to tx). "none" is
the same daemon and traffic without a firewall section: the difference
is the firewall's cost. Then K swaps (fw.ruleset.replace, alternating N
and N + 1 rules) while the traffic flows: the time the RPC takes
(parse, rte_acl build, snapshot, publish), median and worst.
--csv FILE also writes the table as CSV (rules,mpps,cycles_per_pkt,
fw_cycles_per_pkt,start_s,swap_med_ms,swap_max_ms,drops).
Prints figures, never fails on them; exits non-zero only when it cannot
run.
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
sys.path.insert(0, os.path.join(TOP, "test", "rpc"))
sys.dont_write_bytecode = True
from rpclib import Conn, start  # noqa: E402

GEN = os.path.join(TOP, "pktgen-scripts", "gen_fw.py")


def gen(*args):
    subprocess.run(["/usr/bin/python3", GEN] + [str(a) for a in args],
                   check=True, stdout=subprocess.DEVNULL)


class Daemon:
    def __init__(self, build, work, conf, pcap):
        self.sock = conf["control"]["socket"]
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        path = os.path.join(work, "conf.json")
        with open(path, "w") as f:
            json.dump(conf, f)
        self.p = start(
            [os.path.join(build, "app/meshxlat/meshxlat"), "--no-huge",
             "-m", "1024", "--no-shconf", "--no-pci", "--no-telemetry",
             "-l", "0,1", "--file-prefix", "mxbench-fw",
             "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
             "--vdev", "net_null0,no-rx=1", "--", "--config", path],
            self.sock, os.path.join(work, "meshxlat.log"), 6000)
        self.c = Conn(self.sock, timeout=300)

    def call(self, method, params=None):
        rep = self.c.call(method, params)
        return rep.get("result") if rep else None

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(120)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def sample(d):
    s = d.call("stats.get")
    return (time.monotonic(), sum(w["rx_pkts"] for w in s["workers"]),
            sum(w["busy_cycles"] for w in s["workers"]),
            s["drops"])


def measure(d, seconds):
    time.sleep(1)                       # past the start and the first pass
    t0, rx0, b0, _ = sample(d)
    time.sleep(seconds)
    t1, rx1, b1, drops = sample(d)
    n = rx1 - rx0
    return (n / (t1 - t0) / 1e6, (b1 - b0) / n if n else 0.0,
            {k: v for k, v in drops.items() if v})


def run(build, work, n, seconds, swaps, pcap):
    os.makedirs(work, exist_ok=True)
    sock = os.path.join(work, "ctl.sock")
    conf_path = os.path.join(work, "conf.json")
    if n == 0:
        rules = [os.path.join(work, "r1.txt")]
        gen("rules", 0, rules[0])
        gen("config", rules[0], sock, conf_path)
        with open(conf_path) as f:
            conf = json.load(f)
        del conf["firewall"]
    else:
        rules = [os.path.join(work, "r%d.txt" % k) for k in (n, n + 1)]
        gen("rules", n - 1, rules[0])
        gen("rules", n, rules[1])
        gen("config", rules[0], sock, conf_path)
        with open(conf_path) as f:
            conf = json.load(f)
    t = time.monotonic()
    d = Daemon(build, work, conf, pcap)
    start_s = time.monotonic() - t
    try:
        mpps, cyc, drops = measure(d, seconds)
        row = {"rules": n or "none", "mpps": mpps, "cycles": cyc,
               "start_s": start_s, "drops": drops}
        if n and swaps:
            lines = [open(r).read() for r in rules]
            times = []
            for i in range(swaps):
                t = time.monotonic()
                r = d.call("fw.ruleset.replace",
                           {"lines": lines[(i + 1) % 2]})
                if r is None:
                    print("swap %d failed (see %s/meshxlat.log)" % (i, work))
                    break
                times.append(time.monotonic() - t)
            times.sort()
            if times:
                row["swap_med_ms"] = times[len(times) // 2] * 1000
                row["swap_max_ms"] = times[-1] * 1000
            fw = d.call("fw.rule.list", {"chain": "forward"})
            row["rules_now"] = len(fw["rules"]) if fw else "?"
    finally:
        d.c.close()
        d.stop()
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get(
        "MX_BUILD", os.path.join(TOP, "build")))
    ap.add_argument("--rules", default="10 1000 10000")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--swaps", type=int, default=5)
    ap.add_argument("--csv", help="also write the table to this CSV file")
    a = ap.parse_args()
    work = os.path.join(a.build, "bench-fw")
    os.makedirs(work, exist_ok=True)
    pcap = os.path.join(work, "syn.pcap")
    gen("traffic", 1024, pcap)
    rows = [run(a.build, os.path.join(work, "none"), 0, a.seconds, 0, pcap)]
    for n in [int(x) for x in a.rules.split()]:
        rows.append(run(a.build, os.path.join(work, str(n)), n, a.seconds,
                        a.swaps, pcap))
    base = rows[0]["cycles"]
    print("%-6s %7s %9s %9s %8s %10s %10s  %s" % (
        "rules", "Mpps", "cyc/pkt", "fw cyc", "start s", "swap med",
        "swap max", "drops"))
    for r in rows:
        print("%-6s %7.3f %9.1f %9s %8.2f %10s %10s  %s" % (
            r["rules"], r["mpps"], r["cycles"],
            "%.1f" % (r["cycles"] - base) if r["rules"] != "none" else "-",
            r["start_s"],
            "%.0f ms" % r["swap_med_ms"] if "swap_med_ms" in r else "-",
            "%.0f ms" % r["swap_max_ms"] if "swap_max_ms" in r else "-",
            r["drops"] or "none"))
    print("cyc/pkt: the worker's busy cycles per packet (rx to tx, the "
          "pcap PMD included); fw cyc: minus the run without a firewall; "
          "swap: fw.ruleset.replace round trip, N <-> N+1 rules, under "
          "the traffic")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["rules", "mpps", "cycles_per_pkt",
                        "fw_cycles_per_pkt", "start_s", "swap_med_ms",
                        "swap_max_ms", "drops"])
            for r in rows:
                w.writerow([
                    r["rules"], "%.3f" % r["mpps"], "%.1f" % r["cycles"],
                    "%.1f" % (r["cycles"] - base)
                    if r["rules"] != "none" else "",
                    "%.2f" % r["start_s"],
                    "%.1f" % r["swap_med_ms"] if "swap_med_ms" in r else "",
                    "%.1f" % r["swap_max_ms"] if "swap_max_ms" in r else "",
                    sum(r["drops"].values())])
        print("CSV:", a.csv)


if __name__ == "__main__":
    main()
