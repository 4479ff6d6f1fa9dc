#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The helpers run through check and wait_until, which shellcheck cannot
# follow:
# shellcheck disable=SC2317
#
# ddns_linux: meshxlat-ddns on a plain Linux host (seed 002's home server
# with its cron script, as a daemon) against a real BIND9 primary.
#
#   dns (named)                       home (the server, runs the agent)
#   fd53::53/64 [d]------------------[h] fd53::2/64
#   zone home.example., TSIG key      [b] LAN side (veth): its address, renumbered
#   "ddns-key", updates of AAAA           PREFIX::1234:5678:abcd:ef01/64
#                                         (+ a ULA that must be ignored)
#
# Hosts: nas (suffix ::1234:5678:abcd:ef01, this host) and printer (MAC
# 12:34:56:78:9a:bc, EUI-64 suffix ::1034:56ff:fe78:9abc). The zone starts
# with nas already right, so the first run sends printer only.
#
# Checks:
#  1. start: dig shows both names under prefix 1; one nsupdate run, one
#     record (nas was right already: asked with dig first);
#  2. renumber twice the way SLAAC does (add the new address, deprecate
#     the old one, remove it): each time dig shows both names under the
#     new prefix (polled, bounded);
#  3. a restart of the agent sends nothing (the server has it all);
#  4. named stopped, then two changes: the agent fails and backs off;
#     named started again: the newest prefix arrives, the one between
#     is never sent;
#  5. an agent with a wrong TSIG key (same name, other secret): one clear
#     error naming the key, and no more nsupdate runs while the prefix
#     stays; the next change tries exactly once more; the zone is never
#     changed by it.
#
# Usage: ddns_linux.sh MESHXLAT MESHXLATCTL MESHXLAT-DDNS; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/ddns_lib.sh
. "$(dirname "$0")/ddns_lib.sh"

e2e_init ddns_linux "$1"
DDNS=${3:-}
[ -x "$DDNS" ] || e2e_error "usage: $0 MESHXLAT MESHXLATCTL MESHXLAT-DDNS"
DDNS=$(readlink -f "$DDNS")
dns_setup "$E2E_DIR/dns"

SUF=1234:5678:abcd:ef01		# nas
PSUF=1034:56ff:fe78:9abc	# printer, from its MAC
P1=2001:db8:1:1
P2=2001:db8:2:1
P3=2001:db8:3:1
P4=2001:db8:4:1
P5=2001:db8:5:1
P6=2001:db8:6:1

D_IF=$(e2e_if d)
H_IF=$(e2e_if h)
B_IF=$(e2e_if b)

add_ns dns
add_ns home
add_veth dns "$D_IF" home "$H_IF"
ip -n "$(e2e_ns dns)" addr add fd53::53/64 dev "$D_IF" || e2e_error "addr"
ip -n "$(e2e_ns home)" addr add fd53::2/64 dev "$H_IF" || e2e_error "addr"
# The LAN side: a veth pair inside the namespace (no dummy module needed).
ip -n "$(e2e_ns home)" link add "$B_IF" type veth peer name "$(e2e_if c)" ||
	e2e_error "veth $B_IF"
ip -n "$(e2e_ns home)" link set "$(e2e_if c)" up || e2e_error "veth up"
ip -n "$(e2e_ns home)" link set "$B_IF" up || e2e_error "veth up"
ip -n "$(e2e_ns home)" addr add "fd00:1:2:3:$SUF/64" dev "$B_IF" ||
	e2e_error "addr"
ip -n "$(e2e_ns home)" addr add "$P1:$SUF/64" dev "$B_IF" || e2e_error "addr"

dns_zone_add "nas	IN AAAA $P1:$SUF"
dns_start dns fd53::53
E2E_DIAG+=("ns_exec dns dig -r @fd53::53 +short nas.home.example AAAA")
E2E_DIAG+=("ns_exec dns dig -r @fd53::53 +short printer.home.example AAAA")

# conf KEYFILE OUT
write_conf()
{
	cat >"$2" <<EOC
{
	"zone": "home.example",
	"server": { "address": "fd53::53", "port": 53 },
	"key": "$1",
	"ttl": 60,
	"timeout": 3,
	"hosts": [
		{ "name": "nas", "suffix": "::$SUF" },
		{ "name": "printer", "mac": "12:34:56:78:9a:bc" }
	],
	"source": { "linux": { "interface": "$B_IF" } },
	"retry": { "min": 0.5, "max": 4, "after_auth_error": 600 }
}
EOC
}
write_conf "$E2E_DIR/dns/good.key" "$E2E_DIR/ddns.json"
write_conf "$E2E_DIR/dns/wrong.key" "$E2E_DIR/ddns-wrong.json"

check "the config and key load (--check)" "$DDNS" --config "$E2E_DIR/ddns.json" --check

# renumber NEW OLD: SLAAC's order: the new address comes, the old one is
# deprecated (preferred_lft 0), then it goes.
renumber()
{
	local ns
	ns=$(e2e_ns home)
	ip -n "$ns" addr add "$1:$SUF/64" dev "$B_IF" &&
	ip -n "$ns" addr change "$2:$SUF/64" dev "$B_IF" preferred_lft 0 &&
	ip -n "$ns" addr del "$2:$SUF/64" dev "$B_IF"
}

# both_at PREFIX: dig shows nas and printer under PREFIX.
both_at()
{
	dns_expect nas "$1:$SUF" && dns_expect printer "$1:$PSUF"
}

# log_count NAME REGEX MIN: the agent's log NAME has MIN or more lines
# matching REGEX.
log_count()
{
	[ "$(grep -Ec -- "$2" "$E2E_DIR/$1.log")" -ge "$3" ]
}

# failed_after P: the agent's log has an update failure after it took
# prefix P.
failed_after()
{
	awk -v p="prefix $1::/64 " 'index($0, p) { seen = 1 }
		seen && /update failed/ { ok = 1 } END { exit !ok }' \
		"$E2E_DIR/ddns.log"
}

runs()
{
	grep -c "sending an update" "$E2E_DIR/$1.log"
}

# stats_of NAME: SIGUSR1 to the agent NAME, wait for the stats line;
# prints it. We started 'timeout 280 meshxlat-ddns' (bg_start): the
# signal goes to its only child, the agent, by PID.
stats_of()
{
	local i pid="" child n
	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		[ "${E2E_PID_NAMES[$i]}" = "$1" ] && pid=${E2E_PIDS[$i]}
	done
	[ -n "$pid" ] || return 1
	child=$(pgrep -P "$pid" | head -n 1)
	[ -n "$child" ] || return 1
	n=$(grep -c "stats:" "$E2E_DIR/$1.log")
	kill -USR1 "$child" || return 1
	for ((i = 0; i < 50; i++)); do
		[ "$(grep -c "stats:" "$E2E_DIR/$1.log")" -gt "$n" ] && break
		sleep 0.1
	done
	grep "stats:" "$E2E_DIR/$1.log" | tail -n 1
}

# agent_stop NAME: SIGTERM by PID (in this shell, so bg_wait forgets
# it), then check that it exited 0.
agent_stop()
{
	local i rc
	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		if [ "${E2E_PID_NAMES[$i]}" = "$1" ] && [ -n "${E2E_PIDS[$i]}" ]; then
			kill -TERM "${E2E_PIDS[$i]}"
		fi
	done
	bg_wait "$1" 10
	rc=$?
	check "$1 stopped on SIGTERM with exit status 0" test "$rc" = 0
}

# ---- 1. start ----------------------------------------------------------------
bg_start ddns home timeout 280 "$DDNS" --config "$E2E_DIR/ddns.json"
wait_until 40 0.25 "dig shows nas and printer under $P1" both_at "$P1"
check_output "the agent found nas right and asked the server first" \
	"nas.home.example. AAAA on the server: $P1:$SUF" cat "$E2E_DIR/ddns.log"
check_output "one nsupdate run, one record (printer only)" \
	"^1 1$" bash -c "echo \$(grep -c 'sending an update' '$E2E_DIR/ddns.log') \$(grep -c 'changed .* AAAA' '$E2E_DIR/ddns.log')"
check_output "the ULA on the interface was not taken" \
	"prefix $P1::/64 \(was none\) from linux" cat "$E2E_DIR/ddns.log"

# ---- 2. renumber twice ---------------------------------------------------------
check "renumber $P1 -> $P2 (add, deprecate, remove)" renumber "$P2" "$P1"
wait_until 40 0.25 "dig shows both under $P2" both_at "$P2"
check "renumber $P2 -> $P3" renumber "$P3" "$P2"
wait_until 40 0.25 "dig shows both under $P3" both_at "$P3"
check_output "each change logged with UTC time, old and new address" \
	"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z meshxlat-ddns: changed nas.home.example. AAAA $P3:$SUF \(was $P2:$SUF\)" \
	cat "$E2E_DIR/ddns.log"
check_output "three nsupdate runs so far (start, two renumberings)" \
	"^3$" runs ddns

# ---- 3. restart sends nothing -------------------------------------------------
agent_stop ddns
mv "$E2E_DIR/ddns.log" "$E2E_DIR/ddns-1.log"
bg_start ddns home timeout 280 "$DDNS" --config "$E2E_DIR/ddns.json"
wait_until 40 0.25 "the restarted agent asked the server about printer" \
	grep -q "printer.home.example. AAAA on the server: $P3:$PSUF" "$E2E_DIR/ddns.log"
check_output "after a restart: no nsupdate run (dig said all is right)" \
	"nsupdate_runs=0 dig_runs=2 " stats_of ddns

# ---- 4. named down during two changes --------------------------------------------
# The prefix changes to P3b while named is down, then to P4 before it is
# back: only P4 is ever sent (the newest prefix wins).
P3B=2001:db8:3b:1
dns_stop
check "renumber $P3 -> $P3B while named is down" renumber "$P3B" "$P3"
wait_until 40 0.25 "the agent failed and backs off" \
	grep -q "update failed: .*retrying in" "$E2E_DIR/ddns.log"
wait_until 40 0.25 "it retried at least once" \
	log_count ddns "update failed" 2
check "renumber $P3B -> $P4, named still down" renumber "$P4" "$P3B"
wait_until 40 0.25 "the agent tried $P4 and failed too" failed_after "$P4"
dns_start dns fd53::53
wait_until 40 0.25 "once named is back, dig shows both under $P4" both_at "$P4"
check_output "the retries are in the log, then the change from $P3" \
	"changed nas.home.example. AAAA $P4:$SUF \(was $P3:$SUF\)" \
	cat "$E2E_DIR/ddns.log"
check "$P3B was never published" \
	bash -c "! grep 'changed .*$P3B' '$E2E_DIR/ddns.log'"
check "the ULA was never published (any run so far)" \
	bash -c "! grep 'changed .*AAAA fd00:' '$E2E_DIR/ddns-1.log' '$E2E_DIR/ddns.log'"
agent_stop ddns

# ---- 5. wrong TSIG key ---------------------------------------------------------
bg_start ddns-wrong home timeout 280 "$DDNS" --config "$E2E_DIR/ddns-wrong.json"
wait_until 40 0.25 "the wrong-key agent has the server's view" \
	grep -q "printer.home.example. AAAA on the server: $P4:$PSUF" "$E2E_DIR/ddns-wrong.log"
check "renumber $P4 -> $P5" renumber "$P5" "$P4"
wait_until 40 0.25 "a clear error naming the key" \
	grep -q "ERROR: .*rejected the update signed with TSIG key \"ddns-key\" (hmac-sha256, file $E2E_DIR/dns/wrong.key): update failed: NOTAUTH" \
	"$E2E_DIR/ddns-wrong.log"
# With retry.min 0.5 s and max 4 s, a retry loop would run nsupdate
# four or more times in 6 s; the policy says once.
sleep 6
check_output "one nsupdate run for that prefix, no retry storm" "^1$" runs ddns-wrong
check "the zone kept $P4 (the server refused the update)" both_at "$P4"
check "renumber $P5 -> $P6" renumber "$P6" "$P5"
wait_until 40 0.25 "the new prefix is tried once more" \
	log_count ddns-wrong "sending an update" 2
sleep 3
check_output "and only once" "^2$" runs ddns-wrong
check_output "the agent counted two auth failures" \
	"nsupdate_runs=2 .*auth_failures=2 " stats_of ddns-wrong
agent_stop ddns-wrong
e2e_show_file "agent log (first run)" "$E2E_DIR/ddns-1.log"
e2e_show_file "agent log (second run)" "$E2E_DIR/ddns.log"
e2e_show_file "agent log (wrong key)" "$E2E_DIR/ddns-wrong.log"
e2e_pass
