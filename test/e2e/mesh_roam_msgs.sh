#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# mesh_roam_msgs: seed 003's roaming exchange between three mesh agents
# with real babeld, and what a PLAT's agent does with forged messages.
#
#   A [a1]--+                     nodes on one link (a bridge in sw); each
#   B [b1]--+-- sw: bridge        runs babeld and the agent on that link
#   C [c1]--+                     X is an attacker on the same link
#   X [x1]--+
#
#   A: the node that served the client (CLAT fddd:1337:1337:a::/96, no
#      meshxlat); the client's MAC-derived address sits on its lo and
#      babel carries it (redistribute local)
#   B: the node the client roams to (CLAT fddd:1337:1337:1234:5600:b::/96), a
#      meshxlat CLAT whose control socket its agent programs
#   C: the PLAT (64:ff9b:1:200:5e10:c::/96, management address ::c000:1
#      on lo), with a meshxlat PLAT its agent programs
#
# The client 192.168.0.23 (MAC 12:34:56:78:9a:bc) has its lease from A
# (mesh.client.add on A's agent, as a DHCP hook would call it), then
# associates with B (mesh.client.claim on B's agent): B sends CLAIM to the
# MAC-derived address, A answers INFO and lets go, B sends ROAM to C's
# management address and programs roam.add kind=clat on its meshxlat; C's
# agent programs roam.add kind=plat on its meshxlat. Then X sends ROAMs to
# C: with the wrong key, a good one twice (replay), LEASETIME 0, an old
# timestamp, a truncated one, one for another PLAT; each is refused and
# counted by reason, except the good one, and C's meshxlat holds exactly
# the entries it should. The client renews its lease at B: the entries on
# B and C follow. Last, B's meshxlat restarts (B's agent programs
# the PLAT and the client's entry again) and B's babeld restarts (the
# agent reconnects and keeps the PLAT).
#
# Usage: mesh_roam_msgs.sh PATH/TO/meshxlat PATH/TO/meshxlatctl
#        PATH/TO/meshxlat-mesh; root only; needs babeld.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/mesh_lib.sh
. "$(dirname "$0")/mesh_lib.sh"

AGENT=${3:-}
e2e_init mesh_roam_msgs "$1" "$2"
command -v babeld >/dev/null 2>&1 || e2e_skip "no babeld (Debian: babeld)"
if [ -z "$AGENT" ] || [ ! -x "$AGENT" ]; then
	e2e_error "usage: $0 MESHXLAT MESHXLATCTL MESHXLAT-MESH"
fi
[ -n "$MESHXLATCTL" ] || e2e_error "no meshxlatctl"
TOOLS=$(dirname "$0")/mesh_tools.py

PLAT_RANGE=64:ff9b:1::/48
PLAT_C=64:ff9b:1:200:5e10:c::/96
PLAT_E=64:ff9b:1:200:5e10:e::/96	# another PLAT (nobody)
MGMT_C=64:ff9b:1:200:5e10:c:c000:1
CLAT_A=fddd:1337:1337:a::/96
CLAT_B=fddd:1337:1337:1234:5600:b::/96	# B's meshxlat: clat_range + lan4 MAC
CLAT_X=fddd:1337:1337:66::/96		# the attacker's
CLIENT_NET=fddd:1337:1337:c1::/64
CLIENT_MAC=12:34:56:78:9a:bc
CLIENT_ADDR=fddd:1337:1337:c1:1034:56ff:fe78:9abc	# CLIENT_NET + EUI-64
CLIENT4=192.168.0.23
MESH=2001:db8:1c0:4

SW_BR=$(e2e_if br)
KEY=$E2E_DIR/site.key
BADKEY=$E2E_DIR/wrong.key

sock() { printf '%s/agent-%s.sock' "$E2E_DIR" "$1"; }
agentctl() { local n=$1; shift; mxctl --socket "$(sock "$n")" "$@"; }
# agent_json NODE METHOD EXPR: mesh_json over the agent of NODE.
agent_json() { mesh_json "$(sock "$1")" "$2" "$3"; }

stats_so_far()
{
	agent_json a mesh.stats.get \
		"r['rx']['claim'] >= 1 and r['tx']['info'] == 1 and r['rejected_total'] == 0" &&
	agent_json b mesh.stats.get \
		"r['rx']['info'] == 1 and r['tx']['roam'] == 1 and r['rejected_total'] == 0" &&
	agent_json c mesh.stats.get \
		"r['rx']['roam'] == 1 and r['rejected_total'] == 0"
}

# ---- topology ----------------------------------------------------------------
add_ns sw
ns_no_ipv6 sw
ip -n "$(e2e_ns sw)" link add "$SW_BR" type bridge mcast_snooping 0 ||
	e2e_error "bridge"
ip -n "$(e2e_ns sw)" link set "$SW_BR" up || e2e_error "bridge up"
n=1
for node in a b c x; do
	add_ns "$node"
	add_veth "$node" "$(e2e_if "${node}1")" sw "$(e2e_if "s$node")"
	ip -n "$(e2e_ns sw)" link set "$(e2e_if "s$node")" master "$SW_BR" ||
		e2e_error "bridge port"
	ip -n "$(e2e_ns "$node")" addr add "$MESH::$n/64" \
		dev "$(e2e_if "${node}1")" nodad || e2e_error "address"
	n=$((n + 1))
done
ip -n "$(e2e_ns c)" route add blackhole "$PLAT_C" proto static ||
	e2e_error "C's PLAT route"
ip -n "$(e2e_ns c)" addr add "$MGMT_C/128" dev lo || e2e_error "C mgmt"
# X knows where C is (anyone on the link can learn it from babel).
ip -n "$(e2e_ns x)" route add "$PLAT_C" via "$MESH::3" ||
	e2e_error "X's route"

openssl rand -hex 32 >"$KEY" || e2e_error "key"
openssl rand -hex 32 >"$BADKEY" || e2e_error "wrong key"
chmod 600 "$KEY" "$BADKEY"

# ---- babel: C announces its PLAT, A will announce the client's address -------
for node in a b c; do
	extra=()
	case $node in
	a) extra=(-C "redistribute local ip $CLIENT_NET eq 128 allow") ;;
	c) extra=(-C "redistribute ip $PLAT_RANGE eq 96 metric 100") ;;
	esac
	bg_start "babeld-$node" "$node" timeout 280 babeld -H 1 \
		-I "$E2E_DIR/babeld-$node.pid" -S "$E2E_DIR/babeld-$node.state" \
		-G "$E2E_DIR/babel-$node.sock" "${extra[@]}" \
		-C 'redistribute local deny' "$(e2e_if "${node}1")"
done
wait_until 60 0.5 "A and B have a babel route to C's PLAT" \
	sh -c "ip -n $(e2e_ns a) -6 route | grep -q '^${PLAT_C%/96}/96 .*proto babel' &&
	       ip -n $(e2e_ns b) -6 route | grep -q '^${PLAT_C%/96}/96 .*proto babel'"

# ---- meshxlat on B (CLAT) and C (PLAT), ports on links of their own ---------
for node in b c; do
	add_ns "${node}p"
	add_veth "$node" "$(e2e_if "${node}p")" "${node}p" "$(e2e_if "${node}q")"
	add_veth "$node" "$(e2e_if "${node}r")" "${node}p" "$(e2e_if "${node}s")"
	ns_no_ipv6 "$node" "$(e2e_if "${node}p")" "$(e2e_if "${node}r")"
done
cat >"$E2E_DIR/mx-b.json" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "12:34:56:00:00:0b", "ipv4": ["192.168.0.254/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:5e:10:00:0b", "ipv6": ["$MESH:1::b/64"]}
  ],
  "clat": {"clat_range": "fddd:1337:1337::/48", "plat_range": "$PLAT_RANGE",
           "client_port": "lan4"},
  "roam": {"max_lease": 86400},
  "workers": {"lcores": 1, "idle_sleep_us": 200}
}
EOF
cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "mesh", "device": "net_af_packet0", "role": "mesh6",
     "mac": "02:00:5e:10:00:0c", "ipv6": ["$MESH:1::c/64"]},
    {"name": "wan", "device": "net_af_packet1", "role": "wan4",
     "mac": "02:00:5e:10:00:0d", "ipv4": ["198.51.100.1/24"]}
  ],
  "plat": {"plat_range": "$PLAT_RANGE", "mesh_port": "mesh",
           "pool4": [{"prefix": "10.23.0.9/32", "ports": "9000-10000"}]},
  "roam": {"max_lease": 86400},
  "workers": {"lcores": 1, "idle_sleep_us": 200}
}
EOF
MX_B_SOCK=$E2E_DIR/mx-b.sock
mx_start c "${MX_EAL[@]}" --vdev "net_af_packet0,iface=$(e2e_if cp)" \
	--vdev "net_af_packet1,iface=$(e2e_if cr)" \
	-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"
# shellcheck disable=SC2054 # "-l 0,1" is one argument
mx_extra_start mx-b b --no-huge -m 256 --no-shconf --no-pci -l 0,1 \
	--file-prefix "$MX_FILE_PREFIX-b" \
	--vdev "net_af_packet0,iface=$(e2e_if bp)" \
	--vdev "net_af_packet1,iface=$(e2e_if br)" \
	-- --config "$E2E_DIR/mx-b.json" --socket "$MX_B_SOCK"
e2e_ctl_sock mx-b "$MX_B_SOCK"
wait_until 60 0.5 "C's meshxlat answers" mxctl roam.list
wait_until 60 0.5 "B's meshxlat answers" mxctl --socket "$MX_B_SOCK" roam.list

# ---- the agents ------------------------------------------------------------------
AGENT_PIDS=()
for node in a b c; do
	case $node in
	a) mx_sock=""; clat=$CLAT_A; plat="" ;;
	b) mx_sock=$MX_B_SOCK; clat=$CLAT_B; plat="" ;;
	c) mx_sock=$MX_SOCK; clat=fddd:1337:1337:c::/96
	   plat="\"plat_prefix\": \"$PLAT_C\"," ;;
	esac
	cat >"$E2E_DIR/agent-$node.json" <<EOF
{
  "meshxlat_socket": "$mx_sock",
  "control_socket": "$(sock $node)",
  "babeld": "$E2E_DIR/babel-$node.sock",
  "plat_range": "$PLAT_RANGE",
  "select": {"probe_interval_ms": 0, "settle_s": 8},
  "retry_min_ms": 200, "retry_max_ms": 2000,
  "roam": {"key_file": "$KEY", "clat_prefix": "$clat", $plat
           "client_net": "$CLIENT_NET", "claim_if": "lo",
           "window_s": 30, "lease_max": 86400,
           "claim_timeout_ms": 500, "claim_tries": 4}
}
EOF
	bg_start "agent-$node" "$node" timeout 250 "$AGENT" \
		--config "$E2E_DIR/agent-$node.json"
	AGENT_PIDS+=("${E2E_PIDS[${#E2E_PIDS[@]} - 1]}")
	E2E_CTL_SOCKS+=("agent-$node:$(sock $node)")
done
for node in a b c; do
	wait_until 40 0.25 "agent $node listens" test -S "$(sock $node)"
done
wait_until 40 0.5 "A's agent chose PLAT C" \
	agent_json a mesh.plat.get "r['prefix'] == '$PLAT_C'"
wait_until 40 0.5 "B's agent chose PLAT C and set it on B's meshxlat" \
	mesh_json "$MX_B_SOCK" clat.plat.get "r['prefix'] == '$PLAT_C'"

# ---- the client's lease on A, then it associates with B -------------------------
check "A's DHCP hook: mesh.client.add" \
	agentctl a mesh.client.add mac=$CLIENT_MAC ip4=$CLIENT4 lease=3600
check_output "A holds the client's MAC-derived address" "$CLIENT_ADDR" \
	ip -n "$(e2e_ns a)" -6 addr show dev lo
wait_until 60 0.5 "babel carries it to B" \
	sh -c "ip -n $(e2e_ns b) -6 route | grep -q '^$CLIENT_ADDR .*proto babel'"

check "B: the client associated (mesh.client.claim)" \
	agentctl b mesh.client.claim mac=$CLIENT_MAC
wait_until 40 0.25 "B's agent took the client over (INFO from A)" \
	agent_json b mesh.client.list \
	"[c['ip4'] for c in r['clients'] if c['roamed']] == ['$CLIENT4']"
check "A let the client go" \
	agent_json a mesh.client.list "r['clients'] == []"
check_output "... and its address" '^$' \
	sh -c "ip -n $(e2e_ns a) -6 addr show dev lo | grep '$CLIENT_ADDR'"
check "B's client: CLATD is A's, PLAT is C" \
	agent_json b mesh.client.list \
	"r['clients'][0]['clat'] == '$CLAT_A' and r['clients'][0]['plat'] == '$PLAT_C'"
wait_until 40 0.25 "C's agent got the ROAM" \
	agent_json c mesh.roam.list \
	"[(e['client'], e['from'], e['to']) for e in r['entries']] == [('$CLIENT4', '$CLAT_A', '$CLAT_B')]"
check "B's meshxlat: roam.add kind=clat (the client keeps PLAT C)" \
	mesh_json "$MX_B_SOCK" roam.list \
	"any(e['kind'] == 'clat' and e['client'] == '$CLIENT4' and e['plat'] == '$PLAT_C' for e in r['entries'])"
check "C's meshxlat: roam.add kind=plat (CLATB:client <-> CLATD:client)" \
	mesh_json "$MX_SOCK" roam.list \
	"[(e['kind'], e['client'], e['from'], e['to']) for e in r['entries']] == [('plat', '$CLIENT4', '$CLAT_A', '$CLAT_B')]"
check "messages so far: A got the CLAIM, B the INFO, C the ROAM; nothing refused" \
	stats_so_far

# ---- X forges ROAMs to C ---------------------------------------------------------
xsend()
{
	ns_exec x timeout 10 "$PY3" "$TOOLS" roam --to "$MGMT_C" \
		--client "$CLIENT4" --clatd "$CLAT_A" --platc "$PLAT_C" "$@"
}
check "X: the client's traffic to X's CLAT, signed with a wrong key" \
	xsend --key "$BADKEY" --clatb "$CLAT_X"
check "X: LEASETIME 0 (with the key: a node gone bad)" \
	xsend --key "$KEY" --clatb "$CLAT_X" --lease 0
check "X: a timestamp 10 minutes old" \
	xsend --key "$KEY" --clatb "$CLAT_X" --ts-offset -600
check "X: truncated to 100 bytes" \
	xsend --key "$KEY" --clatb "$CLAT_X" --truncate 100
check "X: a ROAM for another PLAT" \
	xsend --key "$KEY" --clatb "$CLAT_X" --platc "$PLAT_E"
check "a good ROAM for 192.168.0.77, sent twice (the second is a replay)" \
	ns_exec x timeout 10 "$PY3" "$TOOLS" roam --to "$MGMT_C" \
	--key "$KEY" --client 192.168.0.77 --clatd "$CLAT_A" \
	--clatb "$CLAT_B" --platc "$PLAT_C" --mac 12:34:56:78:9a:77 --times 2
wait_until 20 0.25 "C's agent counted every refusal by reason" \
	agent_json c mesh.stats.get \
	"r['rejected'] == dict(r['rejected'], bad_mac=1, lease_zero=1, too_old=1, truncated=1, not_for_us=1, replay=1) and r['rejected_total'] == 6 and r['rx']['roam'] == 2"
check "C's agent: the counters" agentctl c mesh.stats.get
check "C's meshxlat: the client still maps to B, and the good one is in" \
	mesh_json "$MX_SOCK" roam.list \
	"sorted((e['client'], e['to']) for e in r['entries']) == [('$CLIENT4', '$CLAT_B'), ('192.168.0.77', '$CLAT_B')]"
check_output "C's agent logged the refusals" \
	"reject bad_mac from \\[$MESH::4\\]" cat "$E2E_DIR/agent-c.log"

# ---- the client renews its lease at B: B's and C's entries follow ------------
check "B's DHCP hook: a renewal for 7200 s" \
	agentctl b mesh.client.add mac=$CLIENT_MAC ip4=$CLIENT4 lease=7200
wait_until 20 0.25 "C's agent extended the entry (a new ROAM from B)" \
	agent_json c mesh.roam.list \
	"[e['expires_in'] > 7000 for e in r['entries'] if e['client'] == '$CLIENT4'] == [True]"
check "C's meshxlat: the entry lasts the new lease" \
	mesh_json "$MX_SOCK" roam.list \
	"[e['expires_in'] > 7000 for e in r['entries'] if e['client'] == '$CLIENT4'] == [True]"
check "B's meshxlat: so does the kind=clat entry" \
	mesh_json "$MX_B_SOCK" roam.list \
	"[e['expires_in'] > 7000 for e in r['entries'] if e['client'] == '$CLIENT4'] == [True]"

# ---- B's meshxlat restarts: the agent programs it again -------------------------
mx_extra_stop mx-b
check "B's meshxlat exited 0" test "$MX_RC" = 0
# shellcheck disable=SC2054 # "-l 0,1" is one argument
mx_extra_start mx-b b --no-huge -m 256 --no-shconf --no-pci -l 0,1 \
	--file-prefix "$MX_FILE_PREFIX-b" \
	--vdev "net_af_packet0,iface=$(e2e_if bp)" \
	--vdev "net_af_packet1,iface=$(e2e_if br)" \
	-- --config "$E2E_DIR/mx-b.json" --socket "$MX_B_SOCK"
wait_until 60 0.5 "B's agent set PLAT C on the new meshxlat" \
	mesh_json "$MX_B_SOCK" clat.plat.get "r['prefix'] == '$PLAT_C'"
wait_until 20 0.5 "... and replayed the client's roam.add kind=clat" \
	mesh_json "$MX_B_SOCK" roam.list \
	"any(e['kind'] == 'clat' and e['client'] == '$CLIENT4' and e['plat'] == '$PLAT_C' for e in r['entries'])"
check "B's agent reconnected once" \
	agent_json b mesh.stats.get "r['meshxlat_connects'] == 2"

# ---- B's babeld restarts: the agent reconnects, the PLAT stays ----------------
bg_stop babeld-b
bg_start babeld-b b timeout 200 babeld -H 1 -I "$E2E_DIR/babeld-b.pid" \
	-S "$E2E_DIR/babeld-b.state" -G "$E2E_DIR/babel-b.sock" \
	-C 'redistribute local deny' "$(e2e_if b1)"
wait_until 40 0.5 "B's agent is back on babeld and sees C" \
	agent_json b mesh.plat.get \
	"r['babeld'] and [c['prefix'] for c in r['candidates']] == ['$PLAT_C']"
check "B's agent: two babeld connections, still PLAT C, no switch" \
	agent_json b mesh.plat.get "r['prefix'] == '$PLAT_C' and r['switches'] == 1"
check "... and B's meshxlat still on C" \
	mesh_json "$MX_B_SOCK" clat.plat.get "r['prefix'] == '$PLAT_C'"
check "B's agent counted the reconnection" \
	agent_json b mesh.stats.get "r['babel_connects'] == 2"

# ---- bad input on the agent's own socket ----------------------------------------
check_output "mesh.client.add refuses lease 0" "lease" \
	agentctl a mesh.client.add mac=$CLIENT_MAC ip4=$CLIENT4 lease=0
check_output "mesh.client.add refuses a lease above lease_max" "lease" \
	agentctl a mesh.client.add mac=$CLIENT_MAC ip4=$CLIENT4 lease=86401

for p in "${AGENT_PIDS[@]}"; do
	check "agent (pid $p) is still running" e2e_pid_alive "$p"
done
for node in a b c; do
	bg_stop "agent-$node"
done
check "agent A removed nothing it did not add (lo has no client address)" \
	sh -c "! ip -n $(e2e_ns a) -6 addr show dev lo | grep -q '$CLIENT_ADDR'"
mx_extra_stop mx-b
check "B's meshxlat exited 0" test "$MX_RC" = 0
mx_stop_check
e2e_pass
