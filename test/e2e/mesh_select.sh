#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# mesh_select: the mesh agent chooses the CLAT node's PLAT from real babeld
# routes (seed 003's prefixd): lowest metric, no flip on a small metric
# change (threshold), a move at once when the PLAT's route is withdrawn,
# a move when its health probes fail, and clat.plat.changed events from
# meshxlat for each move.
#
#   client [c]-[l] mx: meshxlat (CLAT), lan4 + mesh6 port [a]
#                      kernel mirror TAP [k] of the mesh port: babeld + the
#                      agent run on it, 2001:db8:1c0:3::1/64
#                  [a]-[sa] sw: bridge [sc]-[c1] C: babeld, PLAT 64:ff9b:1:200:5e10:c::/96
#                                      [sd]-[d1] D: babeld, PLAT 64:ff9b:1:200:5e10:d::/96
#
# C and D are plain namespaces: a kernel route to their /96 (blackhole, a
# stand-in for the NAT64) that
# babeld redistributes ('redistribute ip 64:ff9b:1::/48 eq 96 metric M'),
# and the PLAT's management address /96 + 192.0.0.1 on lo, which answers
# the agent's probes. Babel's packets reach the CLAT node's babeld through
# meshxlat's mesh port and its kernel mirror, so babeld runs unchanged.
#
# Metrics as the CLAT node sees them: the announced metric + 96 (the
# wired link cost). C 100 + 96 = 196, D 200 + 96 = 296: C is chosen. D
# restarts with 60: 156, better than C by 40, under the threshold 64: no
# flip. C's babeld stops and retracts its route: D at once (route_lost).
# C comes back (196, worse than D): D stays. D's management address goes: its probes
# fail three times in a row: C (probes_failed).
#
# Usage: mesh_select.sh PATH/TO/meshxlat PATH/TO/meshxlatctl
#        PATH/TO/meshxlat-mesh; root only; needs babeld.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/mesh_lib.sh
. "$(dirname "$0")/mesh_lib.sh"

AGENT=${3:-}
e2e_init mesh_select "$1" "$2"
command -v babeld >/dev/null 2>&1 || e2e_skip "no babeld (Debian: babeld)"
if [ -z "$AGENT" ] || [ ! -x "$AGENT" ]; then
	e2e_error "usage: $0 MESHXLAT MESHXLATCTL MESHXLAT-MESH"
fi
[ -n "$MESHXLATCTL" ] || e2e_error "no meshxlatctl"

PLAT_RANGE=64:ff9b:1::/48
PLAT_C=64:ff9b:1:200:5e10:c::/96
PLAT_D=64:ff9b:1:200:5e10:d::/96
MGMT_C=64:ff9b:1:200:5e10:c:c000:1
MGMT_D=64:ff9b:1:200:5e10:d:c000:1
MESH_MX=2001:db8:1c0:3::1
MESH_C=2001:db8:1c0:3::c
MESH_D=2001:db8:1c0:3::d
THRESHOLD=64
HOLD_S=4

C_IF=$(e2e_if c)	# client
L_IF=$(e2e_if l)	# mx: lan4
A_IF=$(e2e_if a)	# mx: mesh6
K_IF=$(e2e_if k)	# mx: the mesh port's kernel mirror
SA_IF=$(e2e_if sa)	# sw side of mx
SC_IF=$(e2e_if sc)	# sw side of C
SD_IF=$(e2e_if sd)	# sw side of D
C1_IF=$(e2e_if c1)	# C
D1_IF=$(e2e_if d1)	# D
BR_IF=$(e2e_if br)

AGENT_SOCK=$E2E_DIR/agent.sock
BABEL_SOCK=$E2E_DIR/babel-mx.sock
E2E_CTL_SOCKS+=("agent:$AGENT_SOCK")

# babeld_start NAME NS IF [ARG...]: babeld on IF in NS, 1 s hellos, its
# own state and pid files, nothing of its own addresses redistributed.
BABEL_RUN=0
babeld_start()
{
	local name=$1 ns=$2 ifc=$3
	shift 3

	BABEL_RUN=$((BABEL_RUN + 1))
	bg_start "$name" "$ns" timeout 280 babeld -H 1 \
		-I "$E2E_DIR/$name.$BABEL_RUN.pid" -S "$E2E_DIR/$name.state" \
		"$@" -C 'redistribute local deny' "$ifc"
}

# mxplat: the CLAT node's PLAT prefix, as meshxlatctl prints it.
mxplat()
{
	mxctl --json clat.plat.get | "$PY3" -c \
		'import json, sys; print(json.load(sys.stdin).get("prefix") or "")'
}

plat_is()
{
	[ "$(mxplat)" = "$1" ]
}

agentctl()
{
	mxctl --socket "$AGENT_SOCK" "$@"
}

# agent_cand PREFIX METRIC: the agent sees PREFIX with METRIC.
agent_cand()
{
	agentctl --json mesh.plat.get | "$PY3" -c '
import json, sys
p = json.load(sys.stdin)
sys.exit(0 if any(c["prefix"] == sys.argv[1] and c["metric"] == int(sys.argv[2])
                  for c in p["candidates"]) else 1)' "$1" "$2"
}

# held_by_threshold: the agent is on C, sees D better than C, and says the
# threshold keeps it there.
held_by_threshold()
{
	agentctl --json mesh.plat.get | "$PY3" -c '
import json, sys
p = json.load(sys.stdin)
m = {c["prefix"]: c["metric"] for c in p["candidates"]}
sys.exit(0 if p["prefix"] == sys.argv[1] and
         m.get(sys.argv[2], 1 << 30) < m.get(sys.argv[1], 0) and
         p["held_by"] == "threshold" else 1)' "$PLAT_C" "$PLAT_D"
}

# agent_num METHOD KEY: a number from the agent's METHOD result.
agent_num()
{
	agentctl --json "$1" | "$PY3" -c \
		'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

# events_to PREFIX N: at least N clat.plat.changed events to PREFIX.
events_to()
{
	[ "$(grep -c "^prefix: *$1\$" "$E2E_DIR/events.log")" -ge "$2" ]
}

probes_ok_above()
{
	[ "$(agent_num mesh.stats.get probes_ok)" -gt "$1" ]
}

# ---- topology ----------------------------------------------------------------
add_ns client
add_ns mx
add_ns sw
add_ns c
add_ns d
ns_no_ipv6 client
add_veth client "$C_IF" mx "$L_IF"
add_veth mx "$A_IF" sw "$SA_IF"
add_veth sw "$SC_IF" c "$C1_IF"
add_veth sw "$SD_IF" d "$D1_IF"
ns_no_ipv6 mx "$L_IF" "$A_IF"
ns_no_ipv6 sw
# No multicast snooping: babel's ff02::1:6 reaches every port whatever
# MLD reports the bridge did or did not see.
ip -n "$(e2e_ns sw)" link add "$BR_IF" type bridge mcast_snooping 0 ||
	e2e_error "bridge"
for i in "$SA_IF" "$SC_IF" "$SD_IF"; do
	ip -n "$(e2e_ns sw)" link set "$i" master "$BR_IF" ||
		e2e_error "bridge port $i"
done
ip -n "$(e2e_ns sw)" link set "$BR_IF" up || e2e_error "bridge up"
ip -n "$(e2e_ns client)" addr add 192.168.0.1/24 dev "$C_IF" ||
	e2e_error "client address"
ip -n "$(e2e_ns c)" addr add "$MESH_C/64" dev "$C1_IF" || e2e_error "C address"
ip -n "$(e2e_ns d)" addr add "$MESH_D/64" dev "$D1_IF" || e2e_error "D address"
ip -n "$(e2e_ns c)" route add blackhole "$PLAT_C" proto static ||
	e2e_error "C route"
ip -n "$(e2e_ns d)" route add blackhole "$PLAT_D" proto static ||
	e2e_error "D route"
ip -n "$(e2e_ns c)" addr add "$MGMT_C/128" dev lo || e2e_error "C mgmt address"
ip -n "$(e2e_ns d)" addr add "$MGMT_D/128" dev lo || e2e_error "D mgmt address"

# ---- the CLAT node -------------------------------------------------------------
cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "12:34:56:78:9a:bc", "ipv4": ["192.168.0.254/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:5e:10:00:10", "ipv6": ["$MESH_MX/64"],
     "kernel_mirror": "$K_IF"}
  ],
  "clat": {
    "clat_range": "fddd:1337:1337::/48",
    "plat_range": "$PLAT_RANGE",
    "client_port": "lan4"
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF
mx_start mx "${MX_EAL[@]}" --vdev "net_af_packet0,iface=$L_IF" \
	--vdev "net_af_packet1,iface=$A_IF" \
	-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"
wait_until 60 0.5 "the kernel mirror $K_IF exists" \
	ns_exec mx ip link show "$K_IF"
wait_until 60 0.5 "meshxlat's control socket answers" mxctl clat plat get
ip -n "$(e2e_ns mx)" addr add "$MESH_MX/64" dev "$K_IF" nodad ||
	e2e_error "tap address"
ip -n "$(e2e_ns mx)" link set "$K_IF" up || e2e_error "tap up"
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -s link show $K_IF")
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -6 route")

check_output "no PLAT before the agent runs" '^$' mxplat

# ---- babel -------------------------------------------------------------------
babeld_start babeld-mx mx "$K_IF" -G "$BABEL_SOCK"
babeld_start babeld-c c "$C1_IF" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 100"
babeld_start babeld-d d "$D1_IF" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 200"
# Babel's hellos and updates cross meshxlat's mesh port and its mirror.
wait_until 60 0.5 "babeld on the CLAT node installed C's and D's /96" \
	sh -c "ip -n $(e2e_ns mx) -6 route | grep -q '^${PLAT_C%/96}/96 .*proto babel' &&
	       ip -n $(e2e_ns mx) -6 route | grep -q '^${PLAT_D%/96}/96 .*proto babel'"
check "babel routes in the CLAT node's kernel" ip -n "$(e2e_ns mx)" -6 route
# The direct routes, not one through the other PLAT (D via C is 392):
# babeld's own dump, before the agent reads it.
wait_until 60 0.5 "babeld on the CLAT node: C at 196 and D at 296, installed" \
	mesh_babel_installed mx "$BABEL_SOCK" "$PLAT_C" 196 "$PLAT_D" 296

# ---- the agent ---------------------------------------------------------------
cat >"$E2E_DIR/agent.json" <<EOF
{
  "meshxlat_socket": "$MX_SOCK",
  "control_socket": "$AGENT_SOCK",
  "babeld": "$BABEL_SOCK",
  "plat_range": "$PLAT_RANGE",
  "select": {"threshold": $THRESHOLD, "hold_down_s": $HOLD_S,
             "probe_interval_ms": 500, "probe_timeout_ms": 400,
             "probe_failures": 3, "bad_s": 120, "settle_s": 5},
  "retry_min_ms": 200, "retry_max_ms": 2000
}
EOF
# meshxlat's events: each move is a clat.plat.changed (the first one may
# come before the subscription: the checks count from later moves).
bg_start events mx timeout 250 "$MESHXLATCTL" --socket "$MX_SOCK" \
	events filter=clat.plat.
bg_start agent mx timeout 280 "$AGENT" --config "$E2E_DIR/agent.json"
AGENT_PID=${E2E_PIDS[${#E2E_PIDS[@]} - 1]}
wait_until 40 0.25 "the agent's control socket" test -S "$AGENT_SOCK"

wait_until 40 0.5 "the agent chose C ($PLAT_C)" plat_is "$PLAT_C"
check_output "meshxlat's PLAT is C" "^prefix: *$PLAT_C" mxctl clat plat get
check_output "the agent: C with metric 196, D with 296, reason initial" \
	'"reason": "initial"' agentctl --json mesh.plat.get
check "the agent sees C at 196" agent_cand "$PLAT_C" 196
check "the agent sees D at 296" agent_cand "$PLAT_D" 296
wait_until 20 0.5 "C answers the agent's probes" \
	probes_ok_above 0

# ---- a small change: no flip ------------------------------------------------------
bg_stop babeld-d
babeld_start babeld-d d "$D1_IF" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 60"
wait_until 60 0.5 "the agent sees D at 156 (better than C's 196 by 40)" \
	agent_cand "$PLAT_D" 156
# Past the hold-down, many evaluations later: still C.
sleep $((HOLD_S + 2))
check_output "still C: 40 is not more than the threshold $THRESHOLD" \
	"^prefix: *$PLAT_C" mxctl clat plat get
# babel's link costs move under load (a lost hello raises D's metric for a
# while), so the hold is checked when D is seen better again.
wait_until 30 0.5 "the agent holds C by the threshold while D is better" \
	held_by_threshold

# ---- C's route is withdrawn: D at once ----------------------------------------
# C's babeld stops: it retracts its routes as it exits (babeld 1.12 sees a
# deleted kernel route only at its next periodic check, up to ~30 s).
T0=$(date +%s.%N)
bg_stop babeld-c
wait_until 40 0.25 "the CLAT node moved to D" plat_is "$PLAT_D"
T1=$(date +%s.%N)
e2e_log "== figure: route withdrawn -> meshxlat on D in $("$PY3" -c "print('%.2f s' % ($T1 - $T0))")"
check_output "the agent logged the move with its reason" \
	"-> $PLAT_D .*route_lost" cat "$E2E_DIR/agent.log"
wait_until 20 0.25 "the event stream shows clat.plat.changed to D" \
	grep -q "$PLAT_D" "$E2E_DIR/events.log"
# The event of this move only: the stream may hold the first one, to C.
check_output "the event: clat.plat.changed, prefix D, previous C" \
	"event: *clat.plat.changed" \
	sh -c "grep -B3 -A3 '^prefix: *$PLAT_D\$' $E2E_DIR/events.log"
check_output "... previous C" "previous: *$PLAT_C" \
	sh -c "grep -B3 -A3 '^prefix: *$PLAT_D\$' $E2E_DIR/events.log"

# ---- C comes back, worse than D: D stays --------------------------------------
babeld_start babeld-c c "$C1_IF" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 100"
# (a restarted babeld's routes can take babel's hold time to come back)
wait_until 120 0.5 "the agent sees C again at 196" \
	agent_cand "$PLAT_C" 196
sleep $((HOLD_S + 1))
check_output "D stays (it is better)" "^prefix: *$PLAT_D" mxctl clat plat get

# ---- D's probes fail: C ----------------------------------------------------------
OK0=$(agent_num mesh.stats.get probes_ok)
wait_until 20 0.5 "D answers the agent's probes" probes_ok_above $((OK0 + 1))
TO_C=$(grep -c "^prefix: *$PLAT_C\$" "$E2E_DIR/events.log")
ip -n "$(e2e_ns d)" addr del "$MGMT_D/128" dev lo || e2e_error "D mgmt del"
wait_until 40 0.25 "the CLAT node moved to C after D's probes failed" \
	plat_is "$PLAT_C"
check_output "the agent logged probes_failed" \
	"-> $PLAT_C .*probes_failed" cat "$E2E_DIR/agent.log"
check_output "D's route is still there: the move was the probes' doing" \
	"$PLAT_D" agentctl --json mesh.plat.get
wait_until 20 0.25 "the event stream shows the move back to C" \
	events_to "$PLAT_C" $((TO_C + 1))

# ---- the agent's counters and log -------------------------------------------
check "the agent's stats" agentctl mesh.stats.get
check_output "three switches: initial, route_lost, probes_failed" \
	'"switches": 3' agentctl --json mesh.plat.get
check "the agent's decisions" grep -E 'plat: |candidates' "$E2E_DIR/agent.log"
check "the agent is still running" e2e_pid_alive "$AGENT_PID"
bg_stop agent
mx_stop_check
e2e_pass
