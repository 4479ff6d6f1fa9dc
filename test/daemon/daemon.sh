#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The daemon as a user meets it: the demo, --check-config on every example
# config, bad configs refused with the key path and value before any port
# starts, a missing device, SIGTERM with --stats-json, the piped CLI, and
# doc/counters.md, rpc.md and cli.md being what the binary generates.
#
# usage: daemon.sh MESHXLAT SOURCE_ROOT WORKDIR
set -u
MX=$(readlink -f "$1") SRC=$2 WORK=$3
mkdir -p "$WORK"
pass=0 fail=0
EAL=(--no-huge -m 256 --no-shconf --no-pci --no-telemetry -l 0,1
     --log-level lib.eal:warning)

ok()  { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# 1. The embedded demo translates both ways and answers ARP/ND/echo.
out=$(cd "$WORK" && timeout 60 "$MX" 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q "translated: 3 IPv4->IPv6, 3 IPv6->IPv4" <<<"$out" &&
   grep -q "answered: 1 ARP, 1 ND, 1 echo; sent 1 ICMP errors" <<<"$out"; then
	ok demo
else
	bad demo "rc=$rc: $out"
fi

# 2. Every example config is valid.
for f in "$SRC"/conf/*.json; do
	if out=$("$MX" --check-config "$f" 2>&1); then
		ok "check-config $(basename "$f")"
	else
		bad "check-config $(basename "$f")" "$out"
	fi
done

# 3. Bad configs: exit 1, nothing started, the message names path and value.
check_bad() {	# name expected-message json
	local name=$1 want=$2 f="$WORK/bad-$1.json" out rc
	printf '%s\n' "$3" > "$f"
	out=$(timeout 30 "$MX" "${EAL[@]}" --file-prefix mxd-$$ \
		--vdev net_null0 --vdev net_null1 -- --config "$f" 2>&1); rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out" &&
	   ! grep -q "meshxlat: .* s, " <<<"$out"; then
		ok "bad config $name"
	else
		bad "bad config $name" "rc=$rc, wanted '$want': $out"
	fi
}
P0='{"name":"a","device":"net_null0","role":"lan4","ipv4":["192.168.0.254/24"]}'
P1='{"name":"m","device":"net_null1","role":"mesh6","ipv6":["2001:db8::1/64"]}'
check_bad mtu "ports[1].mtu: 70000: must be between 1280 and 9000" \
	"{\"ports\":[$P0,{\"name\":\"m\",\"device\":\"net_null1\",\"role\":\"mesh6\",\"mtu\":70000}]}"
check_bad unknown-key "ports[0].colour: unknown key" \
	'{"ports":[{"name":"a","device":"net_null0","role":"lan4","colour":"red"}]}'
check_bad role 'ports[0].role: "lan6": must be lan4, mesh6, wan4 or wan6' \
	'{"ports":[{"name":"a","device":"net_null0","role":"lan6"}]}'
check_bad route-port 'routes[0].port: "wan": no port of that name' \
	"{\"ports\":[$P0],\"routes\":[{\"prefix\":\"0.0.0.0/0\",\"port\":\"wan\"}]}"
check_bad route-family 'routes[0].via: "fe80::1": gateway family differs' \
	"{\"ports\":[$P0],\"routes\":[{\"prefix\":\"10.0.0.0/8\",\"port\":\"a\",\"via\":\"fe80::1\"}]}"
check_bad clat-range 'clat.clat_range: "fddd::/64": must be a /48' \
	"{\"ports\":[$P0,$P1],\"clat\":{\"clat_range\":\"fddd::/64\",\"plat_prefix\":\"64:ff9b::/96\",\"client_port\":\"a\"}}"
check_bad clat-port 'clat.client_port: "m": must name a port with role lan4' \
	"{\"ports\":[$P0,$P1],\"clat\":{\"clat_range\":\"fddd::/48\",\"plat_prefix\":\"64:ff9b::/96\",\"client_port\":\"m\"}}"
check_bad plat-pool 'plat.pool4: missing' \
	"{\"ports\":[$P0],\"plat\":{\"plat_prefix\":\"64:ff9b::/96\"}}"
# refused when the PLAT starts (lib/nat64 checks the whole section)
check_bad plat-limits 'plat: max_sessions_per_client: 2048: must be between 1 and max_sessions (2)' \
	"{\"ports\":[$P0,$P1],\"plat\":{\"plat_prefix\":\"64:ff9b::/96\",\"pool4\":[{\"prefix\":\"10.23.0.9/32\"}],\"max_sessions\":2}}"
check_bad json "bad-json.json:1:" '{"ports": [}'
check_bad dup-key "duplicate object key" '{"ports":[], "ports":[]}'
check_bad no-device 'ports[0].device: "net_pcap7": no such DPDK device' \
	'{"ports":[{"name":"a","device":"net_pcap7","role":"lan4"}]}'
check_bad empty "expected near end of file" ""
out=$("$MX" --check-config "$WORK/nonexistent.json" 2>&1) && \
	bad "check-config missing" "$out" || ok "check-config missing file"

# 4. SIGTERM stops it cleanly and --stats-json has every counter.
cat > "$WORK/null.json" <<JSON
{"ports":[$P0,$P1],"workers":{"idle_sleep_us":1000}}
JSON
rm -f "$WORK/stats.json"
"$MX" "${EAL[@]}" --file-prefix mxd-$$ --vdev net_null0 --vdev net_null1 \
	-- --config "$WORK/null.json" --stats-json "$WORK/stats.json" \
	> "$WORK/sigterm.log" 2>&1 &
pid=$!
sleep 2
kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
if kill -0 $pid 2>/dev/null; then
	kill -KILL $pid; bad sigterm "did not stop within 10 s"
elif wait $pid && /usr/bin/python3 - "$WORK/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["ports"]["a"]["rx_packets"] > 0, s["ports"]
assert "ttl_exceeded" in s["drops"] and "xlat46" in s["counters"]
assert s["workers"][0]["busy_cycles"] > 0
PY
then
	ok "sigterm with stats json"
else
	bad sigterm "$(cat "$WORK/sigterm.log")"
fi

# 5. The command line, driven through a pipe.
out=$(printf 'port list\nstats get\nhelp\nneigh add 10.9.9.9 02:00:00:00:00:09 port=a\nneigh list port=a\nneigh del ip=10.9.9.9 port=zz\nquit\n' | timeout 30 "$MX" \
	"${EAL[@]}" --file-prefix mxd-$$ --vdev net_null0 --vdev net_null1 \
	-- --config "$WORK/null.json" -i 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q "^  a  *0  *net_null0  *lan4 " <<<"$out" &&
   grep -q "^  stats get \[all=<all>\] \[reset_max=<reset_max>\]: " <<<"$out" &&
   grep -q "^  m  *1  *net_null1  *mesh6 " <<<"$out" &&
   grep -q "^  10.9.9.9  *02:00:00:00:00:09  *a  *static" <<<"$out" &&
   grep -q "^error -32001: port 'zz': no such port" <<<"$out" &&
   grep -q "port m " <<<"$out"; then
	ok "cli piped"
else
	bad "cli piped" "rc=$rc: $out"
fi

# 6. doc/counters.md, doc/rpc.md and doc/cli.md are generated from the
# code (the drop list and the command registry).
for d in counters rpc cli; do
	if "$MX" --$d-md | diff -u "$SRC/doc/$d.md" - > "$WORK/$d.diff"; then
		ok "doc/$d.md up to date"
	else
		bad "doc/$d.md" "regenerate with meshxlat --$d-md: $(cat "$WORK/$d.diff")"
	fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
