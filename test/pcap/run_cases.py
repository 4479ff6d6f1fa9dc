#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Golden-packet runner: feeds the cases of test/pcap/defs/*.py through the
real meshxlat on net_pcap vdevs and compares what comes out.

    run_cases.py --meshxlat PATH --defs defs/clat46.py --workdir DIR [--case NAME]
    run_cases.py --self-check --defs defs/*.py --workdir DIR

For each case it writes DIR/<case>/in<N>.pcap (an empty pcap for ports
without input), expect<N>.pcap (for a human with wireshark), conf.json,
runs

    meshxlat --no-huge -m 512 --no-shconf --no-pci -l 0,1
             --file-prefix mxpcap-<case>-<pid>
             --vdev net_pcap0,rx_pcap=in0.pcap,tx_pcap=out0.pcap
             --vdev net_pcap1,rx_pcap=in1.pcap,tx_pcap=out1.pcap
             -- --config conf.json --idle-exit MS --stats-json stats.json

(plus the case's own options, Case.args) with a 30 s timeout, requires
exit code 0, then for every port compares the output frames with the
expected ones byte by byte (after the masks each expected packet declares),
checks the ports the NAT chose against their rules (Exp.free_sport: range,
parity, one block, equal or distinct across frames), verifies every
IPv4/TCP/UDP/ICMP/ICMPv6 checksum of every output frame, and checks the
drop reasons and counters in the stats JSON (and the texts a case
expects in the daemon's output, Case.logs). A config with workers.lcores
N > 1 runs N workers (sharing the CPUs after the first) and writes one tx
pcap per worker and port (out<N>.q<K>.pcap), compared as one sequence in
worker order: worker 0's frames, then worker 1's. A case with Case.then is
restarted once more per 'then' in the same directory (files of the
restart in DIR/<case>/then/), each run checked as above: the way to test
state that outlives a run (plat.snapshot) or time that passed before an
input arrives. It prints 'ok <case>' or 'FAIL <case>: why' (followed by a
Scapy diff), then 'N passed, M failed'; the exit status is 1 on any
failure, 77 (skip) when Scapy is missing.

--self-check needs no daemon: it writes the pcaps and validates the
definitions (unique names, known drop reasons and counters, checksums of
every expected packet, masks inside the frame).
"""

import argparse
import difflib
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # the source tree may be read-only

try:
    import scapy.all as S  # noqa: E402
except ImportError:
    print("scapy is not importable (apt install python3-scapy): skipped")
    sys.exit(77)


DRAIN_TIMEOUT_S = 30
KNOWN_COUNTERS = {"xlat46", "xlat64", "fwd4", "fwd6", "arp_reply",
                  "arp_request", "nd_advert", "nd_solicit", "echo_reply",
                  "icmp_error", "icmp_ratelimited", "punt", "neigh_queued",
                  "neigh_learned", "tcp_reset", "fw_accepted", "fw_log",
                  "fw_log_lost", "fw_log_capped", "nat64_in2out",
                  "nat64_out2in", "nat64_hairpin", "handoff", "nat64_held",
                  "nat64_reassembled", "roam_clat_out", "roam_clat_in",
                  "roam_plat_in", "roam_plat_out"}


# --- pcap files ------------------------------------------------------------
def write_pcap(path, frames):
    """Classic pcap, LINKTYPE_ETHERNET, microsecond timestamps 1 us apart."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            b = bytes(fr)
            f.write(struct.pack("<IIII", 1700000000, i, len(b), len(b)))
            f.write(b)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: no pcap header (%d bytes)" % (path, len(data)))
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        end = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        end = ">"
    else:
        raise ValueError("%s: not a pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError("%s: linktype %d, not Ethernet" % (path, linktype))
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        if incl != orig:
            raise ValueError("%s: frame %d truncated in the capture"
                             % (path, len(out)))
        out.append(data[off:off + incl])
        off += incl
    if off != len(data):
        raise ValueError("%s: trailing garbage" % path)
    return out


# --- definitions -------------------------------------------------------------
def load_defs(path):
    name = "defs_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    cases = getattr(mod, "CASES", [])
    if not cases:
        raise ValueError("%s defines no case" % path)
    return cases


def drop_reasons():
    """The stats keys of lib/pkt/drop.h (second column of the X-macro)."""
    path = os.path.join(HERE, "..", "..", "lib", "pkt", "drop.h")
    try:
        with open(path) as f:
            return set(re.findall(r'X\(\s*\w+\s*,\s*"(\w+)"', f.read()))
    except OSError:
        return None


# --- checksums -----------------------------------------------------------------
ICMP4_ERRORS = {3, 4, 5, 11, 12}
ICMP6_ERRORS = {1, 2, 3, 4}


def _layers(p):
    out = []
    while p is not None and not isinstance(p, S.NoPayload):
        out.append(p)
        p = p.payload
    return out


def _csum_field(layer):
    names = [f.name for f in layer.fields_desc]
    for n in ("chksum", "cksum"):
        if n in names:
            return n
    return None


def _stop_after(layer):
    """True for layers after which the bytes are an inner (quoted) packet."""
    if isinstance(layer, S.ICMP) and layer.type in ICMP4_ERRORS:
        return True
    if (layer.__class__.__name__.startswith("ICMPv6") and
            "type" in layer.fields and layer.type in ICMP6_ERRORS):
        return True
    return False


def checksum_errors(frame):
    """Every IP/TCP/UDP/ICMP/ICMPv6 checksum of 'frame' that is wrong."""
    errs = []
    pkt = S.Ether(frame)
    layers = _layers(pkt)
    for i, layer in enumerate(layers):
        if isinstance(layer, (S.Raw, S.Padding)):
            break
        name = layer.__class__.__name__
        if name.lower().endswith(("error", "error6")):
            break
        if isinstance(layer, S.IPv6ExtHdrFragment) or (
                isinstance(layer, S.IP) and (layer.flags.MF or layer.frag)):
            # A fragment's transport checksum covers the whole datagram:
            # only the IPv4 header checksum can be checked here.
            if isinstance(layer, S.IP):
                q = S.Ether(frame)
                _layers(q)[i].chksum = None
                want = _layers(S.Ether(bytes(q)))[i].chksum
                if want != layer.chksum:
                    errs.append("IP.chksum 0x%04x, should be 0x%04x"
                                % (layer.chksum, want))
            break
        fld = _csum_field(layer)
        if fld is not None:
            got = getattr(layer, fld)
            if isinstance(layer, S.UDP) and got == 0 and \
                    isinstance(layer.underlayer, S.IP):
                pass        # RFC 768: no checksum over IPv4
            else:
                q = S.Ether(frame)
                setattr(_layers(q)[i], fld, None)
                want = getattr(_layers(S.Ether(bytes(q)))[i], fld)
                if want != got:
                    errs.append("%s.%s 0x%04x, should be 0x%04x"
                                % (name, fld, got, want))
        if _stop_after(layer):
            break
    return errs


# --- comparing ---------------------------------------------------------------
def show(frame):
    try:
        return S.Ether(frame).show2(dump=True)
    except Exception as e:          # a frame Scapy cannot even parse
        return "<unparsable: %s> %s" % (e, frame.hex())


def masked(b, masks):
    b = bytearray(b)
    for off, size in masks:
        b[off:off + size] = bytes(size)
    return bytes(b)


def hexline(b, off):
    lo = max(0, off - 8)
    return "%04x: %s" % (lo, b[lo:lo + 24].hex(" "))


def compare_frame(exp, got):
    """None if 'got' matches the Exp 'exp', else (why, details)."""
    want = exp.frame()
    if exp.pad_ok and len(got) > len(want) and len(got) <= 60 and \
            not any(got[len(want):]):
        got = got[:len(want)]
    m = exp.masks()
    a, b = masked(want, m), masked(got, m)
    if a == b:
        return None
    n = min(len(a), len(b))
    first = next((i for i in range(n) if a[i] != b[i]), n)
    why = "byte %d differs" % first
    if len(a) != len(b):
        why += " (length expected %d, got %d)" % (len(a), len(b))
    if first < n:
        why += " (expected 0x%02x, got 0x%02x)" % (a[first], b[first])
    det = ["expected " + hexline(a, first), "got      " + hexline(b, first)]
    if m:
        det.append("masked (offset, size): %s" % m)
    det += list(difflib.unified_diff(show(want).splitlines(),
                                     show(got).splitlines(),
                                     "expected", "got", lineterm="", n=2))
    return why, det


# --- running one case ---------------------------------------------------------
def runtime_dir(prefix):
    if os.geteuid() == 0:
        return os.path.join("/var/run/dpdk", prefix)
    base = os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    return os.path.join(base, "dpdk", prefix)


def write_case_files(c, d):
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        f = os.path.join(d, f)
        if os.path.isdir(f) and not os.path.islink(f):
            shutil.rmtree(f)        # an earlier restart run ("then")
        else:
            os.unlink(f)
    ports = range(len(c.config["ports"]))
    for p in ports:
        write_pcap(os.path.join(d, "in%d.pcap" % p), c.inp.get(p, []))
        write_pcap(os.path.join(d, "expect%d.pcap" % p),
                   [e.frame() for e in c.out.get(p, [])])
    with open(os.path.join(d, "conf.json"), "w") as f:
        f.write(json.dumps(c.config, indent=2).replace("@CASEDIR@",
                                                        case_dir(d)))
    return ports


def case_dir(d):
    """The directory of the case whose run writes to 'd': Case.then runs
    go to DIR/then, DIR/then/then, ..."""
    while os.path.basename(d) == "then":
        d = os.path.dirname(d)
    return d


def n_workers(c):
    """The worker lcores a case's config asks for (1 unless it says)."""
    n = c.config.get("workers", {}).get("lcores", 1)
    return n if isinstance(n, int) and n > 1 else 1


def out_files(c, d, p):
    """The tx pcap(s) of port p: one per worker (each worker has its own
    tx queue, and net_pcap one file per tx queue), in worker order."""
    n = n_workers(c)
    if n == 1:
        return [os.path.join(d, "out%d.pcap" % p)]
    return [os.path.join(d, "out%d.q%d.pcap" % (p, q)) for q in range(n)]


def lcores(n):
    """EAL lcores for n workers: the main one on CPU 0, the workers on the
    other CPUs, sharing them when there are fewer (a test needs no speed)."""
    if n == 1:
        return ["-l", "0,1"]
    cpus = max(2, os.cpu_count() or 2)
    return ["--lcores", ",".join(["0@0"] + ["%d@%d" % (i, 1 + (i - 1) %
                                                      (cpus - 1))
                                            for i in range(1, n + 1)])]


def run_daemon(exe, c, d, ports):
    prefix = "mxpcap-%s-%d" % (c.name, os.getpid())
    cmd = [exe, "--no-huge", "-m", "512", "--no-shconf", "--no-pci"] + \
        lcores(n_workers(c)) + ["--file-prefix", prefix]
    for p in ports:
        cmd += ["--vdev", "net_pcap%d,rx_pcap=%s%s" % (
            p, os.path.join(d, "in%d.pcap" % p),
            "".join(",tx_pcap=" + f for f in out_files(c, d, p)))]
    cmd += ["--", "--config", os.path.join(d, "conf.json"),
            "--idle-exit", str(c.idle_exit),
            "--stats-json", os.path.join(d, "stats.json")] + c.args
    with open(os.path.join(d, "cmdline"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    log = os.path.join(d, "log.txt")
    try:
        with open(log, "w") as lf:
            rc = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                timeout=DRAIN_TIMEOUT_S).returncode
        why = None if rc == 0 else "meshxlat exited with %d" % rc
    except subprocess.TimeoutExpired:
        why = "meshxlat still running after %d s (killed)" % DRAIN_TIMEOUT_S
    finally:
        shutil.rmtree(runtime_dir(prefix), ignore_errors=True)
    if why is None:
        return None, []
    with open(log, errors="replace") as f:
        tail = f.read().splitlines()[-25:]
    return why, ["log (%s):" % log] + ["  " + x for x in tail]


def check_stats(c, d):
    """[(why, details)] for every counter that is not as expected."""
    errs = []
    path = os.path.join(d, "stats.json")
    try:
        with open(path) as f:
            st = json.load(f)
    except (OSError, ValueError) as e:
        return [("no stats JSON (%s)" % e, [])]
    drops = {k: v for k, v in st.get("drops", {}).items() if v}
    want = dict(c.drops)
    if c.fillers:
        # the frames that kept the order of a 'seq' case (mxpcap.sequence)
        want["eth_not_us"] = want.get("eth_not_us", 0) + c.fillers
    for key, n in want.items():
        got = sum(drops.get(k, 0) for k in key.split("|"))
        if got != n:
            errs.append(("drop %s = %d, expected %d" % (key, got, n), []))
    covered = {k for key in want for k in key.split("|")}
    for k, v in sorted(drops.items()):
        if k not in covered:
            errs.append(("unexpected drop %s = %d" % (k, v), []))
    cnt = st.get("counters", {})
    for k, n in c.counters.items():
        # The daemon writes every counter, zeros too: a missing one is a
        # renamed or lost counter, not a zero.
        if k not in cnt:
            errs.append(("counter %s missing from the stats" % k, []))
        elif cnt[k] != n:
            errs.append(("counter %s = %s, expected %d"
                         % (k, cnt.get(k), n), []))
    for p, frames in c.inp.items():
        name = c.config["ports"][p]["name"]
        ps = st.get("ports", {}).get(name, {})
        if "rx_packets" in ps and ps["rx_packets"] != len(frames):
            errs.append(("port %s rx_packets = %d, fed %d"
                         % (name, ps["rx_packets"], len(frames)), []))
    if errs:
        errs[-1][1].append("stats: drops %s counters %s" % (
            json.dumps(drops, sort_keys=True),
            json.dumps({k: v for k, v in cnt.items() if v}, sort_keys=True)))
    return errs


def check_output(c, d, ports):
    errs = []
    groups = {}                 # (kind, tag) -> [(where, port value)]
    for p in ports:
        name = c.config["ports"][p]["name"]
        try:
            got = [f for path in out_files(c, d, p) for f in read_pcap(path)]
        except (OSError, ValueError) as e:
            errs.append(("port %s: %s" % (name, e), []))
            continue
        if c.ignore is not None:
            got = [g for g in got if not c.ignore(S.Ether(g))]
        exp = c.out.get(p, [])
        for i in range(max(len(got), len(exp))):
            where = "port %s frame %d" % (name, i)
            if i >= len(exp):
                errs.append(("%s: unexpected %s" % (
                    where, S.Ether(got[i]).summary()),
                    show(got[i]).splitlines()))
                continue
            if i >= len(got):
                errs.append(("%s: missing %s" % (
                    where, exp[i].pkt.summary()),
                    show(exp[i].frame()).splitlines()))
                continue
            r = compare_frame(exp[i], got[i])
            if r is not None:
                errs.append(("%s: %s" % (where, r[0]), r[1]))
            for e in checksum_errors(got[i]):
                errs.append(("%s: bad checksum %s" % (where, e), []))
            fp = exp[i].free_sport
            if fp is not None and len(got[i]) >= len(exp[i].frame()):
                v = exp[i].port_of(got[i])
                for e in fp.errors(v):
                    errs.append(("%s: %s" % (where, e), []))
                for kind in ("same", "unique", "block"):
                    tag = getattr(fp, kind)
                    if tag is not None:
                        groups.setdefault((kind, tag), []).append(
                            (where, v if kind != "block" else
                             fp.block_of(v)))
    for (kind, tag), vals in sorted(groups.items()):
        got = [v for _, v in vals]
        if kind == "unique" and len(set(got)) != len(got):
            errs.append(("ports %r should all differ: %s" % (tag, got), []))
        elif kind != "unique" and len(set(got)) != 1:
            errs.append(("%s %r should be one %s: %s" % (
                "ports" if kind == "same" else "blocks of ports", tag,
                "value" if kind == "same" else "block",
                ", ".join("%s: %d" % w for w in vals)), []))
    return errs


def check_logs(c, d):
    """[(why, details)] for every expected log text the daemon did not
    print."""
    if not c.logs:
        return []
    with open(os.path.join(d, "log.txt"), errors="replace") as f:
        text = f.read()
    return [("log has no %r" % s, ["log (%s):" % os.path.join(d, "log.txt")]
             + ["  " + x for x in text.splitlines()[-15:]])
            for s in c.logs if s not in text]


def run_case(exe, c, workdir):
    d = os.path.join(workdir, c.name)
    errs, run = [], 1
    while c is not None:
        ports = write_case_files(c, d)
        why, det = run_daemon(exe, c, d, ports)
        if why is not None:
            r = [(why, det)]
        else:
            r = (check_output(c, d, ports) + check_stats(c, d) +
                 check_logs(c, d))
        # which run of a restarted case went wrong
        errs += [(("run %d: " % run if run > 1 or c.then else "") + w, x)
                 for w, x in r]
        if why is not None:
            break
        c, d, run = c.then, os.path.join(d, "then"), run + 1
    return errs


# --- self-check ----------------------------------------------------------------
def self_check(c, workdir, reasons):
    errs, d = [], os.path.join(workdir, c.name)
    while c is not None:
        errs += self_check_run(c, d, reasons)
        c, d = c.then, os.path.join(d, "then")
    return errs


def self_check_run(c, d, reasons):
    errs = []
    write_case_files(c, d)
    if not re.fullmatch(r"[a-z0-9_]{1,40}", c.name):
        errs.append(("name %r: want [a-z0-9_], at most 40" % c.name, []))
    if not c.doc:
        errs.append(("no docstring", []))
    nports = len(c.config["ports"])
    for p in list(c.inp) + list(c.out):
        if not 0 <= p < nports:
            errs.append(("port %r is not in the config" % p, []))
    if not c.out and not c.drops:
        errs.append(("expects neither output nor a drop", []))
    for key in c.drops:
        for k in key.split("|"):
            if reasons is not None and k not in reasons:
                errs.append(("drop reason %r is not in drop.h" % k, []))
    for k in c.counters:
        if k not in KNOWN_COUNTERS:
            errs.append(("unknown counter %r" % k, []))
    for p, lst in c.out.items():
        for i, e in enumerate(lst):
            b = e.frame()
            for ce in checksum_errors(b):
                errs.append(("expected port %d frame %d: %s" % (p, i, ce),
                             []))
            for off, size in e.masks():
                if off + size > len(b):
                    errs.append(("mask beyond frame %d/%d" % (p, i), []))
            if e.free_sport is not None:
                for fe in e.free_sport.errors(e.port_of(b)):
                    errs.append(("expected port %d frame %d: %s (the "
                                 "placeholder must obey its own rules)"
                                 % (p, i, fe), []))
    return errs


# --- main ------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--meshxlat", help="the daemon executable")
    ap.add_argument("--defs", nargs="+", required=True,
                    help="case definition files (defs/*.py)")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--case", action="append",
                    help="run only this case (repeatable)")
    ap.add_argument("--self-check", action="store_true",
                    help="validate the definitions, run no daemon")
    ap.add_argument("--list", action="store_true", help="list the cases")
    a = ap.parse_args()
    if not a.self_check and not a.list and a.meshxlat is None:
        ap.error("--meshxlat is required (or --self-check / --list)")

    cases = []
    for path in a.defs:
        cases += load_defs(path)
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        print("FAIL duplicate case names: %s" % " ".join(sorted(dup)))
        return 1
    if a.case:
        unknown = set(a.case) - set(names)
        if unknown:
            print("FAIL no such case: %s" % " ".join(sorted(unknown)))
            return 1
        cases = [c for c in cases if c.name in a.case]
    if a.list:
        for c in cases:
            print("%-34s %s" % (c.name, c.doc))
        return 0

    os.makedirs(a.workdir, exist_ok=True)
    workdir = os.path.abspath(a.workdir)
    exe = os.path.abspath(a.meshxlat) if a.meshxlat else None
    reasons = drop_reasons()
    passed = failed = 0
    for c in cases:
        if a.self_check:
            errs = self_check(c, workdir, reasons)
        else:
            errs = run_case(exe, c, workdir)
        if not errs:
            passed += 1
            print("ok %s" % c.name)
            continue
        failed += 1
        print("FAIL %s: %s" % (c.name, "; ".join(w for w, _ in errs)))
        print("  | %s" % c.doc)
        for _, det in errs:
            for line in det:
                print("  | " + line)
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
