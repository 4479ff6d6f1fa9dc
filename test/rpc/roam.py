#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""roam.add/del/list, their events and clat.plat.set's pins over the real
socket (issue 7, seed 003, doc/roaming.md).

Three daemons, one after the other:

 1. node BC, a CLAT and a PLAT at once on net_null ports (max_lease
    7200): roam.add of both kinds with the answer's fields and a
    roam.added event; roam.list with expires_in, filtered by kind;
    replacing an entry (replaced true, roam.removed reason replaced, then
    roam.added); a kind plat entry replaced with another "to" or another
    "from" leaves no stray half behind; roam.del (removed counts, both
    halves of a plat entry go, reason deleted); lease 0 and lease >
    max_lease refused with -32602 naming "lease"; a /64 instead of a /96
    refused naming the field; a lease of 1 s expires (roam.removed
    reason expired, roam.list empty), waited for at most 10 s.
 2. a PLAT without CLAT, max_entries 3: kind clat is refused; a second
    plat entry (two slots) does not fit in the one left: -32004, and
    nothing of it is half there.
 3. a CLAT whose lan4 port replays two clients' packets (net_pcap
    infinite_rx; mesh is a net_null sink): clat.plat.set to another /96
    answers pinned >= 1 with a roam.added event per pin, roam.list shows
    both clients pinned to the old PLAT, and their packets keep going
    there (roam_clat_out grows);
    clat.plat.del prefix=<old> answers unpinned 2 and the entries go with
    reason plat_gone. Then a roam.add with a 2 s lease: roam_clat_out
    grows while it lives and stands still after its roam.removed
    (expired) while xlat46 goes on.

And first, static entries (roam.entries) that cannot be: kind clat on a
PLAT without CLAT, kind plat from a /96 to itself, more than
roam.max_entries: the daemon does not start, and says which entry.

usage: roam.py MESHXLAT WORKDIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True      # the source tree may be read-only
from rpclib import Conn, check, code, failures, start  # noqa: E402

try:
    from scapy.all import IP, UDP, Ether, Raw, wrpcap
except ImportError:
    print("scapy is not importable (apt install python3-scapy): skipped")
    sys.exit(77)

MX, WORK = sys.argv[1], sys.argv[2]
SOCK = os.path.join(WORK, "ctl.sock")

# Seed 003's prefixes: a node's /96 is its range (/48) + its MAC.
CLAT_RANGE = "fddd:1337:1337::/48"
CLATB = "fddd:1337:1337:1234:5678:9abc::/96"     # node BC's own (lan4 MAC)
CLATD = "fddd:1337:1337:200:0:d1::/96"
CLATE = "fddd:1337:1337:200:0:e1::/96"
PLATB = "64:ff9b:1:abcd:ef01:2345::/96"          # node BC's CLAT's PLAT
PLATC = "64:ff9b:1:200:0:c1::/96"
PLATF = "64:ff9b:1:200:0:f1::/96"
OWN_PLAT = "64:ff9b::/96"                        # node BC's PLAT
CLIENT = "192.168.0.23"
LAN4_MAC = "12:34:56:78:9a:bc"


def lan4(dev):
    return {"name": "lan4", "device": dev, "role": "lan4", "mac": LAN4_MAC,
            "ipv4": ["192.168.0.254/24"]}


def mesh(dev):
    return {"name": "mesh", "device": dev, "role": "mesh6",
            "mac": "02:00:00:00:00:02", "ipv6": ["2001:db8:1c0:2:1::1/64"]}


def wan(dev):
    return {"name": "wan", "device": dev, "role": "wan4",
            "mac": "02:00:00:00:00:03", "ipv4": ["10.23.0.2/24"]}


PLAT = {"plat_prefix": OWN_PLAT,
        "pool4": [{"prefix": "10.23.0.9/32", "ports": "9000-10000"}]}
NEIGH6 = {"ip": "2001:db8:1c0:2:1::2", "mac": "02:00:00:00:00:99",
          "port": "mesh"}
ROUTE6 = {"prefix": "::/0", "port": "mesh", "via": "2001:db8:1c0:2:1::2"}

CONF_BC = {
    "ports": [lan4("net_null0"), mesh("net_null1"), wan("net_null2")],
    "routes": [ROUTE6, {"prefix": "0.0.0.0/0", "port": "wan",
                        "via": "10.23.0.1"}],
    "neighbours": [NEIGH6],
    "clat": {"clat_range": CLAT_RANGE, "plat_prefix": PLATB,
             "client_port": "lan4"},
    "plat": PLAT,
    "roam": {"max_lease": 7200},
    "workers": {"lcores": 1, "idle_sleep_us": 100},
}

CONF_C = {
    "ports": [mesh("net_null0"), wan("net_null1")],
    "routes": [ROUTE6],
    "neighbours": [NEIGH6],
    "plat": PLAT,
    "roam": {"max_entries": 3},
    "workers": {"lcores": 1, "idle_sleep_us": 100},
}

CONF_B = {
    "ports": [lan4("net_pcap0"), mesh("net_null0")],
    "routes": [ROUTE6],
    "neighbours": [NEIGH6],
    "clat": {"clat_range": CLAT_RANGE, "plat_prefix": PLATB,
             "client_port": "lan4"},
    "roam": {"pin_recent": 600, "pin_lease": 3600},
    "workers": {"lcores": 1, "idle_sleep_us": 100},
}


def run(name, conf, vdevs, body):
    """Start meshxlat with 'conf' on 'vdevs', call body(ctl, events),
    stop it; checks that it exits cleanly."""
    d = os.path.join(WORK, name)
    os.makedirs(d)
    conf_path = os.path.join(d, "conf.json")
    with open(conf_path, "w") as f:
        json.dump(conf, f)
    eal = ["--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0,1",
           "--file-prefix", "mxroam%s%d" % (name, os.getpid()),
           "--no-telemetry", "--log-level", "lib.eal:warning"]
    for v in vdevs:
        eal += ["--vdev", v]
    log = os.path.join(d, "meshxlat.log")
    if os.path.exists(SOCK):
        os.unlink(SOCK)
    p = start([MX] + eal + ["--", "--config", conf_path, "--socket", SOCK],
              SOCK, log)
    try:
        c, ev = Conn(SOCK), Conn(SOCK)
        ev.call("events.subscribe", {"filter": "roam."})
        body(c, ev)
        c.close()
        ev.close()
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(30)
        except Exception:
            p.kill()
            rc = p.wait()
    check(rc == 0, "%s: meshxlat exits cleanly (rc=%s)" % (name, rc))
    if failures:
        with open(log) as f:
            print(f.read()[-3000:])


def event(ev, timeout=5):
    """The next event's params ({} when none comes within 'timeout')."""
    ev.s.settimeout(timeout)
    try:
        rep = ev.line()
    except OSError:
        return {}
    finally:
        ev.s.settimeout(20)
    return rep.get("params", {}) if rep else {}


def no_event(ev):
    e = event(ev, 0.3)
    return e == {}


def err_names(rep, field):
    """An error that names 'field' (the message or data.field)."""
    e = (rep or {}).get("error", {})
    data = e.get("data")
    return field in e.get("message", "") or \
        (isinstance(data, dict) and data.get("field") == field)


def entries(c, kind=None):
    rep = c.call("roam.list", {"kind": kind} if kind else {})
    return rep["result"]["entries"]


def used(c):
    return c.call("roam.list")["result"]["used"]


# --- 1. node BC ----------------------------------------------------------------
def node_bc(c, ev):
    rep = c.call("roam.add", {"kind": "clat", "client": CLIENT,
                              "plat": PLATC, "lease": 600})
    r = rep.get("result", {})
    check(r.get("kind") == "clat" and r.get("client") == CLIENT and
          r.get("plat") == PLATC and r.get("lease") == 600 and
          r.get("replaced") is False,
          "roam.add kind=clat answers kind, client, plat, lease, replaced "
          "false (%s)" % rep)
    e = event(ev)
    check(e == {"event": "roam.added", "kind": "clat", "client": CLIENT,
                "plat": PLATC, "lease": "600"},
          "a roam.added event with kind, client, plat, lease (%s)" % e)

    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATD, "to": CLATE, "lease": 900})
    r = rep.get("result", {})
    check(r.get("kind") == "plat" and r.get("from") == CLATD and
          r.get("to") == CLATE and r.get("replaced") is False,
          "roam.add kind=plat answers from and to (%s)" % rep)
    e = event(ev)
    check(e == {"event": "roam.added", "kind": "plat", "client": CLIENT,
                "from": CLATD, "to": CLATE, "lease": "900"},
          "its roam.added event has from and to (%s)" % e)

    lst = entries(c)
    clat = [x for x in lst if x["kind"] == "clat"]
    plat = [x for x in lst if x["kind"] == "plat"]
    check(len(lst) == 2 and len(clat) == 1 and len(plat) == 1,
          "roam.list: one entry of each kind (%s)" % lst)
    check(clat and clat[0]["client"] == CLIENT and
          clat[0]["plat"] == PLATC and 540 <= clat[0]["expires_in"] <= 600,
          "the clat entry: client, plat, expires_in of its 600 s (%s)" %
          clat)
    check(plat and plat[0]["from"] == CLATD and plat[0]["to"] == CLATE and
          840 <= plat[0]["expires_in"] <= 900,
          "the plat entry: from, to, expires_in of its 900 s (%s)" % plat)
    check([x["kind"] for x in entries(c, "plat")] == ["plat"] and
          [x["kind"] for x in entries(c, "clat")] == ["clat"],
          "roam.list kind= filters")
    check(used(c) == 3, "the plat entry takes two slots (rofromD and "
          "rotoB), the clat one one")

    # replace: the same key, another PLAT
    rep = c.call("roam.add", {"kind": "clat", "client": CLIENT,
                              "plat": PLATF, "lease": 60})
    check(rep.get("result", {}).get("replaced") is True,
          "roam.add of an existing client: replaced true (%s)" % rep)
    e1, e2 = event(ev), event(ev)
    check(e1 == {"event": "roam.removed", "kind": "clat", "client": CLIENT,
                 "plat": PLATC, "reason": "replaced"},
          "roam.removed reason replaced names the old PLAT (%s)" % e1)
    check(e2.get("event") == "roam.added" and e2.get("plat") == PLATF,
          "then roam.added with the new one (%s)" % e2)
    clat = entries(c, "clat")
    check(len(clat) == 1 and clat[0]["plat"] == PLATF and
          clat[0]["expires_in"] <= 60, "one clat entry, the new PLAT and "
          "lease (%s)" % clat)

    # a plat entry is (client, from): another "to" replaces it whole
    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATD, "to": CLATB, "lease": 900})
    check(rep.get("result", {}).get("replaced") is True,
          "kind plat, the same client and from, another to: replaced "
          "(%s)" % rep)
    e1, e2 = event(ev), event(ev)
    check(e1.get("event") == "roam.removed" and
          e1.get("reason") == "replaced" and e1.get("from") == CLATD and
          e2.get("event") == "roam.added" and e2.get("to") == CLATB,
          "roam.removed replaced, then roam.added (%s, %s)" % (e1, e2))
    plat = entries(c, "plat")
    check(len(plat) == 1 and plat[0]["to"] == CLATB,
          "one plat entry, to the new node (%s)" % plat)
    check(used(c) == 3, "and no stray rofromD half of the old one "
          "(used %d)" % used(c))
    # the client moved on from B to E: the same old address, so the entry
    # keyed by the new node's address must not keep a second "from"
    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATE, "to": CLATB, "lease": 900})
    check("result" in rep, "kind plat, another from, the same to (%s)" % rep)
    evs = [event(ev), event(ev)]
    check(sorted(e.get("event") for e in evs) ==
          ["roam.added", "roam.removed"],
          "the old entry's roam.removed and the new one's roam.added (%s)"
          % evs)
    plat = entries(c, "plat")
    check(len(plat) == 1 and plat[0]["from"] == CLATE, "one plat entry "
          "from the new old node (%s)" % plat)
    check(used(c) == 3, "and no stray rotoB half (used %d)" % used(c))

    # roam.del
    rep = c.call("roam.del", {"kind": "plat", "client": CLIENT,
                              "from": CLATD})
    check(rep.get("result", {}).get("removed") == 0,
          "roam.del of a plat entry that is not there: removed 0 (%s)" % rep)
    rep = c.call("roam.del", {"kind": "plat", "client": CLIENT,
                              "from": CLATE})
    check(rep.get("result", {}).get("removed") == 1,
          "roam.del kind=plat: removed 1 (%s)" % rep)
    e = event(ev)
    check(e == {"event": "roam.removed", "kind": "plat", "client": CLIENT,
                "from": CLATE, "reason": "deleted"},
          "roam.removed reason deleted (%s)" % e)
    check(entries(c, "plat") == [] and used(c) == 1,
          "both halves of the plat entry went (used %d)" % used(c))
    rep = c.call("roam.del", {"kind": "clat", "client": CLIENT})
    check(rep.get("result", {}).get("removed") == 1, "roam.del kind=clat: "
          "removed 1")
    e = event(ev)
    check(e.get("reason") == "deleted" and e.get("kind") == "clat",
          "its roam.removed (%s)" % e)
    rep = c.call("roam.del", {"kind": "clat", "client": CLIENT})
    check(rep.get("result", {}).get("removed") == 0 and no_event(ev),
          "again: removed 0, no event")
    check(used(c) == 0, "the table is empty")

    # bad input
    bad = [
        ({"kind": "clat", "client": CLIENT, "plat": PLATC, "lease": 0},
         "lease"),
        ({"kind": "clat", "client": CLIENT, "plat": PLATC, "lease": 7201},
         "lease"),
        ({"kind": "plat", "client": CLIENT, "from": CLATD, "to": CLATE,
          "lease": 0}, "lease"),
        ({"kind": "plat", "client": CLIENT, "from": CLATD, "to": CLATE,
          "lease": 86400}, "lease"),
        ({"kind": "clat", "client": CLIENT, "plat": "64:ff9b:1:200::/64",
          "lease": 60}, "plat"),
        ({"kind": "plat", "client": CLIENT, "from": "fddd:1337:1337:200::/64",
          "to": CLATE, "lease": 60}, "from"),
        ({"kind": "plat", "client": CLIENT, "from": CLATD,
          "to": "fddd:1337:1337:200::/64", "lease": 60}, "to"),
        ({"kind": "plat", "client": CLIENT, "to": CLATE, "lease": 60},
         "from"),
        ({"kind": "clat", "client": "2001:db8::1", "plat": PLATC,
          "lease": 60}, "client"),
    ]
    for params, field in bad:
        rep = c.call("roam.add", params)
        check(code(rep) == -32602 and err_names(rep, field),
              "roam.add %s refused with -32602 naming %s (%s)" %
              (params, field, rep.get("error")))
    check(used(c) == 0 and no_event(ev), "refusals added nothing and sent "
          "no event")

    # expiry
    rep = c.call("roam.add", {"kind": "clat", "client": CLIENT,
                              "plat": PLATC, "lease": 1})
    check("result" in rep, "a lease of 1 s is taken")
    e = event(ev)
    check(e.get("event") == "roam.added" and e.get("kind") == "clat",
          "roam.added for it (%s)" % e)
    e = event(ev, 10)
    check(e == {"event": "roam.removed", "kind": "clat", "client": CLIENT,
                "plat": PLATC, "reason": "expired"},
          "it expires: roam.removed reason expired (%s)" % e)
    check(entries(c) == [] and used(c) == 0, "roam.list is empty after")
    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATD, "to": CLATE, "lease": 1})
    check("result" in rep, "a plat entry with a lease of 1 s is taken")
    e = event(ev)
    check(e.get("event") == "roam.added" and e.get("kind") == "plat",
          "roam.added for it (%s)" % e)
    e = event(ev, 10)
    check(e.get("reason") == "expired" and e.get("kind") == "plat" and
          used(c) == 0, "a plat entry expires whole (%s)" % e)


# --- 2. a PLAT only, a small table -------------------------------------------
def node_c(c, ev):
    rep = c.call("roam.add", {"kind": "clat", "client": CLIENT,
                              "plat": PLATC, "lease": 60})
    check(code(rep) == -32000 and "CLAT" in rep["error"]["message"],
          "kind clat on a node without CLAT is refused (%s)" %
          rep.get("error"))
    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATD, "to": CLATB, "lease": 60})
    check("result" in rep, "a plat entry fits (two of three slots)")
    e = event(ev)
    check(e.get("event") == "roam.added", "roam.added for it (%s)" % e)
    rep = c.call("roam.add", {"kind": "plat", "client": "192.168.0.24",
                              "from": CLATD, "to": CLATB, "lease": 60})
    check(code(rep) == -32004, "a second one does not: -32004 (%s)" %
          rep.get("error"))
    lst = entries(c)
    check(len(lst) == 1 and lst[0]["client"] == CLIENT and used(c) == 2,
          "nothing of it was half added (%s, used %d)" % (lst, used(c)))
    check(no_event(ev), "and no event for it")
    rep = c.call("roam.add", {"kind": "plat", "client": CLIENT,
                              "from": CLATD, "to": CLATB, "lease": 120})
    check(rep.get("result", {}).get("replaced") is True,
          "replacing the entry in a full table works (%s)" % rep)
    rep = c.call("roam.list")
    check(rep["result"]["capacity"] == 3, "roam.list: capacity 3")


# --- 3. a CLAT with clients ---------------------------------------------------
CLIENTS = ["192.168.0.1", "192.168.0.2"]


def write_pcap(path):
    frames = []
    for i in range(64):
        for cl in CLIENTS:
            frames.append(Ether(src="02:00:00:00:00:11", dst=LAN4_MAC) /
                          IP(src=cl, dst="198.51.100.7", ttl=64) /
                          UDP(sport=40000 + i, dport=7777) /
                          Raw(bytes(32)))
    wrpcap(path, frames)


def counters(c):
    return c.call("stats.get")["result"]["events"]


def wait_counter(c, name, above, tries=100):
    """Poll (100 x 50 ms at most) until counter 'name' > 'above'."""
    v = 0
    for _ in range(tries):
        v = counters(c).get(name, 0)
        if v > above:
            break
        time.sleep(0.05)
    return v


def node_b(c, ev):
    check(wait_counter(c, "xlat46", 0) > 0, "the CLAT translates its "
          "clients' packets")
    check(counters(c).get("roam_clat_out", 0) == 0, "no remap yet")
    rep = c.call("clat.plat.set", {"prefix": PLATC})
    r = rep.get("result", {})
    check(r.get("changed") is True and r.get("pinned", 0) >= 1,
          "clat.plat.set to another /96: pinned >= 1 (%s)" % rep)
    check(r.get("pinned") == 2, "both clients seen are pinned (%s)" % r)
    evs = [event(ev), event(ev)]
    check(sorted(e.get("client", "") for e in evs) == CLIENTS and
          all(e.get("event") == "roam.added" and e.get("kind") == "clat" and
              e.get("plat") == PLATB and e.get("lease") == "3600"
              for e in evs),
          "a roam.added event for each pin (%s)" % evs)
    lst = entries(c)
    check(sorted(x["client"] for x in lst) == CLIENTS and
          all(x["kind"] == "clat" and x["plat"] == PLATB and
              3540 <= x["expires_in"] <= 3600 for x in lst),
          "roam.list: the clients pinned to the old PLAT for pin_lease "
          "(%s)" % lst)
    n0 = counters(c).get("roam_clat_out", 0)
    check(wait_counter(c, "roam_clat_out", n0) > n0,
          "their packets keep going to the old PLAT: roam_clat_out grows")

    rep = c.call("clat.plat.del", {"prefix": PLATB})
    r = rep.get("result", {})
    check(r.get("unpinned") == 2, "clat.plat.del prefix=<old>: unpinned 2 "
          "(%s)" % rep)
    evs = [event(ev), event(ev)]
    check(sorted(e.get("client", "") for e in evs) == CLIENTS and
          all(e.get("event") == "roam.removed" and
              e.get("reason") == "plat_gone" and e.get("plat") == PLATB
              for e in evs),
          "roam.removed reason plat_gone for each (%s)" % evs)
    check(entries(c) == [], "roam.list is empty")
    check(c.call("clat.plat.get")["result"].get("prefix") == PLATC,
          "the current PLAT stays")

    # the data plane forgets an expired lease at once
    rep = c.call("roam.add", {"kind": "clat", "client": CLIENTS[0],
                              "plat": PLATF, "lease": 2})
    check("result" in rep, "roam.add with a 2 s lease")
    event(ev)
    n0 = counters(c).get("roam_clat_out", 0)
    check(wait_counter(c, "roam_clat_out", n0) > n0,
          "while it lives, the client's packets are remapped")
    e = event(ev, 10)
    check(e.get("reason") == "expired", "it expires (%s)" % e)
    time.sleep(0.2)
    a = counters(c)
    time.sleep(0.5)
    b = counters(c)
    check(b.get("xlat46", 0) > a.get("xlat46", 0) and
          b.get("roam_clat_out", 0) == a.get("roam_clat_out", 0),
          "after it: packets flow, none is remapped (xlat46 %d -> %d, "
          "roam_clat_out %d -> %d)" % (a.get("xlat46", 0),
                                       b.get("xlat46", 0),
                                       a.get("roam_clat_out", 0),
                                       b.get("roam_clat_out", 0)))


# --- 4. static entries the daemon cannot take -------------------------------
def bad_config(name, conf, vdevs, text):
    """meshxlat refuses to start with 'conf': a non-zero exit within 30 s
    and 'text' in its output."""
    d = os.path.join(WORK, name)
    os.makedirs(d)
    conf_path = os.path.join(d, "conf.json")
    with open(conf_path, "w") as f:
        json.dump(conf, f)
    cmd = [MX, "--no-huge", "-m", "512", "--no-shconf", "--no-pci",
           "-l", "0,1", "--file-prefix", "mxroam%s%d" % (name, os.getpid()),
           "--no-telemetry", "--log-level", "lib.eal:warning"]
    for v in vdevs:
        cmd += ["--vdev", v]
    cmd += ["--", "--config", conf_path]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        rc, out = r.returncode, r.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, out = None, "(still running after 30 s)"
    check(rc not in (0, None) and text in out,
          "%s: refused at start, saying %r (rc=%s, %s)" %
          (name, text, rc, out.strip().splitlines()[-1:] if out else ""))


def static_refusals():
    nulls = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
    conf = json.loads(json.dumps(CONF_C))
    conf["roam"] = {"entries": [{"kind": "clat", "client": CLIENT,
                                 "plat": PLATC, "lease": 60}]}
    bad_config("static_clat_on_plat", conf, nulls, "roam.entries[0]")
    conf["roam"] = {"entries": [{"kind": "plat", "client": CLIENT,
                                 "from": CLATD, "to": CLATD,
                                 "lease": 60}]}
    bad_config("static_from_is_to", conf, nulls, "roam.entries[0]")
    conf["roam"] = {"max_entries": 3, "entries": [
        {"kind": "plat", "client": CLIENT, "from": CLATD, "to": CLATB,
         "lease": 60},
        {"kind": "plat", "client": "192.168.0.24", "from": CLATD,
         "to": CLATB, "lease": 60}]}
    bad_config("static_full", conf, nulls, "roam.entries[1]")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    static_refusals()
    run("bc", CONF_BC, ["net_null0,no-rx=1", "net_null1,no-rx=1",
                        "net_null2,no-rx=1"], node_bc)
    run("c", CONF_C, ["net_null0,no-rx=1", "net_null1,no-rx=1"], node_c)
    pcap = os.path.join(WORK, "clients.pcap")
    write_pcap(pcap)
    run("b", CONF_B, ["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                      "net_null0,no-rx=1"], node_b)
    if failures:
        sys.exit("%d checks failed" % len(failures))


main()
