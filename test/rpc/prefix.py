#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""prefix.get/set/del renumber a port of the running daemon (issue 9).

meshxlat runs conf/home-gateway.json's shape on net_null ports, with a
static route and a static neighbour inside the LAN prefix and firewall
rules of three kinds: seed 002's suffix rule, a rule naming the LAN
prefix, and one naming the WAN's. Checks, over the real socket:

 - prefix.get lists the LAN and WAN prefixes;
 - prefix.set moves the LAN's addresses (interface ids kept), its
   connected route, the static route and neighbour inside it; the FIB the
   workers use answers "local" for the new address and no longer for the
   old; the answer lists only the rule that named the old LAN prefix; a
   prefix.changed event arrives with port, prefix and previous;
 - the same prefix again changes nothing and sends no event;
 - prefix.del withdraws the addresses, the next prefix.set (a /56 this
   time) brings them back inside it with their subnet id and /64;
 - bad input: unknown port, IPv4, link-local, /128 and host bits set are
   refused with the field named, and the running config is unchanged;
 - config.reload of the original file (addresses differ: allowed) goes
   back to the first prefix.

usage: prefix.py MESHXLAT WORKDIR
"""
import json
import os
import shutil
import signal
import sys

sys.dont_write_bytecode = True      # the source tree may be read-only
from rpclib import Conn, check, code, failures, start  # noqa: E402

MX, WORK = sys.argv[1], sys.argv[2]
SOCK = os.path.join(WORK, "ctl.sock")
PREFIX = "mxprefix%d" % os.getpid()

CONF = {
    "ports": [
        {"name": "wan", "device": "net_null0", "role": "wan6",
         "ipv6": ["2001:db8:ffff::2/64"]},
        {"name": "lan", "device": "net_null1", "role": "mesh6",
         "ipv6": ["2001:db8:1:2::1/64", "fd00:1:2::1/64"]},
    ],
    "routes": [
        {"prefix": "::/0", "port": "wan", "via": "2001:db8:ffff::1"},
        {"prefix": "2001:db8:1:2:8000::/65", "port": "lan",
         "via": "2001:db8:1:2::fe"},
    ],
    "neighbours": [
        {"port": "lan", "ip": "2001:db8:1:2::fe", "mac": "02:00:00:00:00:fe"},
    ],
    "firewall": {
        "default_inbound": "drop",
        "interfaces": {"br-lan": "lan", "wan": "wan"},
        "rules": [
            "-A forwarding_rule -d ::1234:5678:abcd:ef01/"
            "::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment "
            "--comment \"Inbound-HTTPS\" -o br-lan -j ACCEPT",
            "-A FORWARD -d 2001:db8:1:2::10/128 -p tcp --dport 22 "
            "-j ACCEPT",
            "-A FORWARD -s 2001:db8:ffff::/48 -j ACCEPT",
            "-A FORWARD -i br-lan -j ACCEPT",
        ],
    },
    "workers": {"lcores": 1, "idle_sleep_us": 100},
}


def lookup(c, addr):
    r = c.call("route.lookup", {"ip": addr})
    return r.get("result", {}) if r else {}


def lan_addrs(c):
    for p in c.call("port.list")["result"]["ports"]:
        if p["port"] == "lan":
            return sorted(p["ipv6"])
    return None


def prefixes(c):
    return {p["port"]: p["prefix"]
            for p in c.call("prefix.get")["result"]["prefixes"]}


def routes(c):
    return [(r["prefix"], r["via"]) for r in
            c.call("route.list")["result"]["routes"]
            if r["type"] == "static"]


def event(ev, timeout=20):
    """The next event's params ({} when none comes within 'timeout')."""
    ev.s.settimeout(timeout)
    try:
        rep = ev.line()
    except OSError:
        return {}
    finally:
        ev.s.settimeout(20)
    return rep.get("params", {}) if rep else {}


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    conf_path = os.path.join(WORK, "conf.json")
    with open(conf_path, "w") as f:
        json.dump(CONF, f)
    eal = ["--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0,1",
           "--file-prefix", PREFIX, "--no-telemetry",
           "--log-level", "lib.eal:warning",
           "--vdev", "net_null0", "--vdev", "net_null1"]
    p = start([MX] + eal + ["--", "--config", conf_path, "--socket", SOCK],
              SOCK, os.path.join(WORK, "meshxlat.log"))
    try:
        c, ev = Conn(SOCK), Conn(SOCK)
        ev.call("events.subscribe", {"filter": "prefix."})

        check(prefixes(c) == {"wan": "2001:db8:ffff::/64",
                              "lan": "2001:db8:1:2::/64"},
              "prefix.get: the WAN and LAN prefixes (%s)" % prefixes(c))
        check(lookup(c, "2001:db8:1:2::1").get("type") == "local",
              "the first LAN address is the box's")

        rep = c.call("prefix.set", {"port": "lan",
                                    "prefix": "2001:db8:7:2::/64"})
        r = rep.get("result", {})
        check(r.get("changed") is True and
              r.get("previous") == "2001:db8:1:2::/64" and
              r.get("prefix") == "2001:db8:7:2::/64",
              "prefix.set renumbers the LAN (%s)" % rep)
        check(sorted(r.get("addresses", [])) ==
              ["2001:db8:7:2::1/64", "fd00:1:2::1/64"],
              "the LAN address keeps its interface id, the ULA stays")
        named = [x["rule"] for x in r.get("fw_rules", [])]
        check(len(named) == 1 and "2001:db8:1:2::10" in named[0],
              "only the rule naming the old LAN prefix is reported, not "
              "the suffix rule nor the WAN's (%s)" % named)
        check(lan_addrs(c) == ["2001:db8:7:2::1/64", "fd00:1:2::1/64"],
              "port.list shows the new address")
        check(lookup(c, "2001:db8:7:2::1").get("type") == "local" and
              lookup(c, "2001:db8:1:2::1").get("type") != "local",
              "the workers' FIB: the new address is local, the old is not")
        check(lookup(c, "2001:db8:7:2::99").get("port") == "lan",
              "the connected route moved with it")
        check(("2001:db8:7:2:8000::/65", "2001:db8:7:2::fe") in routes(c),
              "the static route inside the prefix moved (%s)" % routes(c))
        nb = [n["ip"] for n in
              c.call("neigh.list")["result"]["neighbours"]]
        check("2001:db8:7:2::fe" in nb and "2001:db8:1:2::fe" not in nb,
              "the static neighbour moved (%s)" % nb)
        e = event(ev)
        check(e.get("event") == "prefix.changed" and e.get("port") == "lan"
              and e.get("prefix") == "2001:db8:7:2::/64" and
              e.get("previous") == "2001:db8:1:2::/64",
              "a prefix.changed event (%s)" % e)

        rep = c.call("prefix.set", {"port": "lan",
                                    "prefix": "2001:db8:7:2::/64"})
        check(rep["result"]["changed"] is False, "the same prefix: no "
              "change")

        rep = c.call("prefix.del", {"port": "lan"})
        check(rep.get("result", {}).get("changed") is True and
              rep["result"]["addresses"] == ["fd00:1:2::1/64"],
              "prefix.del withdraws the LAN's global address (%s)" % rep)
        check(prefixes(c).get("lan") == "", "prefix.get: no LAN prefix")
        check(lookup(c, "2001:db8:7:2::1").get("type") != "local",
              "the withdrawn address is not local any more")
        e = event(ev)
        check(e.get("prefix") == "" and
              e.get("previous") == "2001:db8:7:2::/64",
              "the event of the withdrawal (%s); none for the "
              "unchanged set" % e)
        rep = c.call("prefix.set", {"port": "lan",
                                    "prefix": "2001:db8:9:200::/56"})
        r = rep.get("result", {})
        check(sorted(r.get("addresses", [])) ==
              ["2001:db8:9:202::1/64", "fd00:1:2::1/64"],
              "a /56 after prefix.del: the parked address returns inside it "
              "with its subnet id and its /64 (%s)" % r.get("addresses"))
        check(("2001:db8:9:202:8000::/65", "2001:db8:9:202::fe")
              in routes(c), "and the static route with it")
        e = event(ev)
        check(e.get("event") == "prefix.changed" and
              e.get("prefix") == "2001:db8:9:200::/56" and
              e.get("previous") == "",
              "prefix.changed names the delegated /56 (%s)" % e)

        bad = [({"port": "nope", "prefix": "2001:db8:5::/64"}, -32001),
               ({"port": "lan", "prefix": "10.0.0.0/8"}, -32602),
               ({"port": "lan", "prefix": "fe80::/64"}, -32602),
               ({"port": "lan", "prefix": "2001:db8:5::1/128"}, -32602),
               ({"port": "lan", "prefix": "2001:db8:5::1/64"}, -32602),
               ({"port": "lan"}, -32602)]
        for params, want in bad:
            rep = c.call("prefix.set", params)
            check(code(rep) == want, "prefix.set %s refused with %d (%s)" %
                  (params, want, rep.get("error")))
        check(prefixes(c).get("lan") == "2001:db8:9:202::/64",
              "refusals changed nothing")
        e = event(ev, 1)
        check(e == {}, "and sent no event (%s)" % e)

        rep = c.call("config.reload", {"file": conf_path})
        check(rep is not None and "result" in rep,
              "config.reload with other addresses is allowed (%s)" % rep)
        check(prefixes(c).get("lan") == "2001:db8:1:2::/64" and
              lookup(c, "2001:db8:1:2::1").get("type") == "local",
              "and brings the first prefix back")
        c.close()
        ev.close()
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(30)
        except Exception:
            p.kill()
            rc = p.wait()
    check(rc == 0, "meshxlat exits cleanly (rc=%s)" % rc)
    if failures:
        with open(os.path.join(WORK, "meshxlat.log")) as f:
            print(f.read()[-3000:])
        sys.exit("%d checks failed" % len(failures))


main()
