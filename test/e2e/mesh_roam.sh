#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The helpers below run through check and wait_until (SC2317).
# shellcheck disable=SC2317
#
# mesh_roam: issue 7's whole proof with real daemons, the mesh agents doing
# the work. Four meshxlat nodes, each with babeld on its mesh port's kernel
# mirror TAP and a meshxlat-mesh agent; every mesh route comes from babel
# through kernel_routes (no static mesh routes). Nothing is programmed by
# hand but what a DHCP server's hook (mesh.client.add) and an access
# point's association hook (mesh.client.claim) would call.
#
#                       sw (bridges only)
#   client  192.168.0.1 [c]--[cp] ga --[alp]--[al] A lan4 \  192.168.0.254,
#   client2 192.168.0.2 [e]--[ep] gb --[blp]--[bl] B lan4 /  the same MAC
#
#   A mesh6 ::a [am]--[amp] \                        / [cmp]--[cm] C mesh6 ::c
#   B mesh6 ::b [bm]--[bmp] -- gm (2001:db8:1c0:5::/64) -- [dmp]--[dm] D mesh6 ::d
#   attacker X ::66 [x]--[xp] /
#
#   C wan4 198.51.100.1 [cw]--[cwp] \
#   D wan4 198.51.100.2 [dw]--[dwp] -- gw -- [sp]--[s] server 198.51.100.7
#                                           10.23.0.9 via .1, 10.23.0.10 via .2
#
# Each node: meshxlat, its mesh port's kernel mirror TAP ([ak].. [dk]) with
# the port's address, babeld on the TAP, the agent on the TAP's kernel.
#   A, B: CLATs (CLATA fddd:1337:1337:200:5e10:a::/96, CLATB ...:b::/96),
#         no PLAT configured: the agent sets it. babeld announces the
#         node's CLAT /96 (a blackhole kernel route, seed 003's
#         'redistribute ip clat_range eq 96') and the clients' MAC-derived
#         /128s, which the agent puts on the TAP (claim_if).
#   C, D: PLATs (64:ff9b:1:200:5e10:c::/96, ...:d::/96, pools 10.23.0.9,
#         10.23.0.10); babeld announces the PLAT /96 with metric 100 (C)
#         and 200 (D), so the CLAT nodes see C at 196, D at 296 and take C.
#         The management address PLAT + 192.0.0.1 sits on the TAP: meshxlat
#         answers the agents' probes on it and passes the ROAMs (UDP) to
#         the kernel, to the PLAT's agent.
#
# Steps:
#  1. the agents of A and B choose PLAT C from babel's metrics;
#  2. the client's lease at A (mesh.client.add on A's agent): its
#     MAC-derived address goes on A's TAP and babel carries it to B;
#  3. a rate-limited download through A and C; the client's veth moves to
#     B's bridge and B's agent is told (mesh.client.claim): CLAIM B->A,
#     INFO A->B, ROAM B->C; B's and C's meshxlats get their roam entries
#     from the agents, A lets the client go; the download completes with
#     the right SHA-256, from C's pool, and C's remap counters rose;
#  4. C's babeld stops (its route is withdrawn): both CLAT nodes move to D
#     within the hold-down (route_lost), B's meshxlat reports
#     clat.plat.changed; B drops the roamed client's pin to C, so its new
#     connections leave through D, and so do a new client's on B (its
#     lease at B);
#  5. an attacker on the mesh sends C's agent a ROAM signed with a wrong
#     key: refused (bad_mac) and nothing changes on C.
#
# Four meshxlat (-l 0,1 with idle_sleep_us, two workers on each CPU), four
# babeld and four agents share a 2-core machine.
#
# Usage: mesh_roam.sh PATH/TO/meshxlat PATH/TO/meshxlatctl
#        PATH/TO/meshxlat-mesh; root only; needs babeld and openssl.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/mesh_lib.sh
. "$(dirname "$0")/mesh_lib.sh"
# shellcheck source=test/e2e/roam_lib.sh
. "$(dirname "$0")/roam_lib.sh"

AGENT=${3:-}
e2e_init mesh_roam "$1" "$2"
command -v babeld >/dev/null 2>&1 || e2e_skip "no babeld (Debian: babeld)"
command -v openssl >/dev/null 2>&1 || e2e_skip "no openssl"
if [ -z "$AGENT" ] || [ ! -x "$AGENT" ]; then
	e2e_error "usage: $0 MESHXLAT MESHXLATCTL MESHXLAT-MESH"
fi
[ -n "$MESHXLATCTL" ] || e2e_error "no meshxlatctl"
PLAT_TOOLS=$(readlink -f "$(dirname "$0")/plat_tools.py")
MESH_TOOLS=$(readlink -f "$(dirname "$0")/mesh_tools.py")

CLIENT4=192.168.0.1
CLIENT4_NEW=192.168.0.2
CLIENT_MAC=02:00:00:c1:00:01
CLIENT2_MAC=02:00:00:c1:00:02
GW4=192.168.0.254
LAN_MAC=12:34:56:78:9a:bc	# A's and B's lan4: one next-node address
MESH6=2001:db8:1c0:5
CLAT_RANGE=fddd:1337:1337::/48
CLATA=fddd:1337:1337:200:5e10:a::/96
CLATB=fddd:1337:1337:200:5e10:b::/96
CLATX=fddd:1337:1337:66::/96		# the attacker's
CLIENT_NET=fddd:1337:1337:c1::/64
PLAT_RANGE=64:ff9b:1::/48
PLATC=64:ff9b:1:200:5e10:c::/96
PLATD=64:ff9b:1:200:5e10:d::/96
MGMT_C=64:ff9b:1:200:5e10:c:c000:1
MGMT_D=64:ff9b:1:200:5e10:d:c000:1
POOLC=10.23.0.9
POOLD=10.23.0.10
SERVER4=198.51.100.7
HTTP_PORT=8000
LEASE=600
THRESHOLD=64
HOLD_S=20
SIZE_FAST=$((3 * 1024 * 1024))		# at 256 KiB/s: about 12 s
RATE_FAST=256k
STALL=10				# curl's --speed-time: a stall, s
KEY=$E2E_DIR/site.key
BADKEY=$E2E_DIR/wrong.key
CLIENT_ADDR=$(mesh_client_addr "$CLIENT_NET" "$CLIENT_MAC") ||
	e2e_error "client address"

# ---- topology ----------------------------------------------------------------
for ns in client client2 sw server; do
	add_ns "$ns"
	ns_no_ipv6 "$ns"
done
for ns in na nb nc nd x; do
	add_ns "$ns"	# IPv6 on: the TAPs (and X) need it
done

SW=$(e2e_ns sw)
GA=$(e2e_if ga); GB=$(e2e_if gb); GM=$(e2e_if gm); GW=$(e2e_if gw)
for br in "$GA" "$GB" "$GW"; do
	ip -n "$SW" link add "$br" type bridge || e2e_error "bridge $br"
done
# No multicast snooping: babel's ff02::1:6 reaches every port whatever MLD
# reports the bridge did or did not see.
ip -n "$SW" link add "$GM" type bridge mcast_snooping 0 || e2e_error "bridge $GM"
for br in "$GA" "$GB" "$GM" "$GW"; do
	ip -n "$SW" link set "$br" up || e2e_error "bridge $br up"
done

C_IF=$(e2e_if c); E_IF=$(e2e_if e); X_IF=$(e2e_if x); S_IF=$(e2e_if s)
CP_IF=$(e2e_if cp)
add_veth client "$C_IF" sw "$CP_IF"
add_veth client2 "$E_IF" sw "$(e2e_if ep)"
add_veth x "$X_IF" sw "$(e2e_if xp)"
add_veth server "$S_IF" sw "$(e2e_if sp)"
for n in a b c d; do
	# node ends (af_packet ports) and their peers in sw
	case $n in
	a|b) add_veth "n$n" "$(e2e_if "${n}l")" sw "$(e2e_if "${n}lp")"
	     ns_no_ipv6 "n$n" "$(e2e_if "${n}l")" ;;
	c|d) add_veth "n$n" "$(e2e_if "${n}w")" sw "$(e2e_if "${n}wp")"
	     ns_no_ipv6 "n$n" "$(e2e_if "${n}w")" ;;
	esac
	add_veth "n$n" "$(e2e_if "${n}m")" sw "$(e2e_if "${n}mp")"
	ns_no_ipv6 "n$n" "$(e2e_if "${n}m")"
done

enslave alp "$GA"
enslave blp "$GB"
for p in amp bmp cmp dmp xp; do enslave "$p" "$GM"; done
for p in cwp dwp sp; do enslave "$p" "$GW"; done
enslave cp "$GA"
enslave ep "$GB"

# The clients and the server: 1480-byte MTUs, so that a full IPv4 packet
# is a full 1500-byte IPv6 one on the mesh (the mesh MTU is not under test).
setup_client()
{
	local ns=$1 ifc=$2 mac=$3 ip4=$4

	if ! { ip -n "$(e2e_ns "$ns")" link set "$ifc" address "$mac" &&
	       ip -n "$(e2e_ns "$ns")" link set "$ifc" mtu 1480 &&
	       ip -n "$(e2e_ns "$ns")" addr add "$ip4/24" dev "$ifc" &&
	       ip -n "$(e2e_ns "$ns")" route add default via "$GW4"; }; then
		e2e_error "client $ns"
	fi
	ns_sysctl "$ns" "net.ipv4.tcp_rmem=4096 16384 65536"
}
setup_client client "$C_IF" "$CLIENT_MAC" "$CLIENT4"
setup_client client2 "$E_IF" "$CLIENT2_MAC" "$CLIENT4_NEW"
SERVER=$(e2e_ns server)
ip -n "$SERVER" link set "$S_IF" mtu 1480 || e2e_error "server mtu"
ip -n "$SERVER" addr add "$SERVER4/24" dev "$S_IF" || e2e_error "server address"
ip -n "$SERVER" route add "$POOLC/32" via 198.51.100.1 || e2e_error "route C"
ip -n "$SERVER" route add "$POOLD/32" via 198.51.100.2 || e2e_error "route D"
# X, on the mesh link, knows where C is (anyone there learns it from babel).
ip -n "$(e2e_ns x)" addr add "$MESH6::66/64" dev "$X_IF" nodad ||
	e2e_error "X address"
ip -n "$(e2e_ns x)" route add "$PLATC" via "$MESH6::c" || e2e_error "X route"

E2E_DIAG+=("ip -n $SW link show master $GA; ip -n $SW link show master $GB")
e2e_capture client "$C_IF"
e2e_capture server "$S_IF"

# ---- the four meshxlat nodes ---------------------------------------------------
# clat_conf FILE NODE CLAT_PREFIX
clat_conf()
{
	cat >"$1" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "$LAN_MAC", "ipv4": ["$GW4/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:5e:10:00:0$2", "ipv6": ["$MESH6::$2/64"],
     "kernel_mirror": "$(e2e_if "${2}k")"}
  ],
  "clat": {"clat_prefix": "$3", "plat_range": "$PLAT_RANGE",
           "client_port": "lan4"},
  "roam": {"max_entries": 1024, "max_lease": 86400},
  "kernel_routes": {"protocols": ["babel"]},
  "workers": {"lcores": 1, "idle_sleep_us": 100}
}
EOF
}

# plat_conf FILE NODE WAN4 POOL4
plat_conf()
{
	cat >"$1" <<EOF
{
  "ports": [
    {"name": "mesh", "device": "net_af_packet0", "role": "mesh6",
     "mac": "02:00:5e:10:00:0$2", "ipv6": ["$MESH6::$2/64"],
     "kernel_mirror": "$(e2e_if "${2}k")"},
    {"name": "wan", "device": "net_af_packet1", "role": "wan4",
     "mac": "02:00:5e:10:01:0$2", "ipv4": ["$3/24"]}
  ],
  "plat": {
    "plat_range": "$PLAT_RANGE",
    "mesh_port": "mesh",
    "pool4": [{"prefix": "$4/32", "ports": "9000-10000"}],
    "max_sessions": 4096
  },
  "roam": {"max_entries": 1024, "max_lease": 86400},
  "kernel_routes": {"protocols": ["babel"]},
  "workers": {"lcores": 1, "idle_sleep_us": 100}
}
EOF
}

SOCK_A=$E2E_DIR/a.sock
SOCK_B=$E2E_DIR/b.sock
SOCK_C=$MX_SOCK		# C is "the" daemon of lib.sh (MX_*)
SOCK_D=$E2E_DIR/d.sock
clat_conf "$E2E_DIR/a.json" a "$CLATA"
clat_conf "$E2E_DIR/b.json" b "$CLATB"
plat_conf "$MX_CONF" c 198.51.100.1 "$POOLC"
plat_conf "$E2E_DIR/d.json" d 198.51.100.2 "$POOLD"

node_eal c 512
mx_start nc "${EAL[@]}" --vdev "net_af_packet0,iface=$(e2e_if cm)" \
	--vdev "net_af_packet1,iface=$(e2e_if cw)" \
	-- --config "$MX_CONF" --socket "$SOCK_C" --stats-json "$MX_STATS"
node_eal d 512 --main-lcore 1
mx_extra_start d nd "${EAL[@]}" --vdev "net_af_packet0,iface=$(e2e_if dm)" \
	--vdev "net_af_packet1,iface=$(e2e_if dw)" \
	-- --config "$E2E_DIR/d.json" --socket "$SOCK_D"
node_eal a 512
mx_extra_start a na "${EAL[@]}" --vdev "net_af_packet0,iface=$(e2e_if al)" \
	--vdev "net_af_packet1,iface=$(e2e_if am)" \
	-- --config "$E2E_DIR/a.json" --socket "$SOCK_A"
node_eal b 512 --main-lcore 1
mx_extra_start b nb "${EAL[@]}" --vdev "net_af_packet0,iface=$(e2e_if bl)" \
	--vdev "net_af_packet1,iface=$(e2e_if bm)" \
	-- --config "$E2E_DIR/b.json" --socket "$SOCK_B"
e2e_ctl_sock a "$SOCK_A"
e2e_ctl_sock b "$SOCK_B"
e2e_ctl_sock d "$SOCK_D"

for n in a b c d; do
	eval "s=\$SOCK_${n^^}"
	wait_until 60 0.5 "node $n's control socket" mxctl --socket "$s" roam.list
	wait_until 20 0.5 "node $n's kernel mirror" \
		ns_exec "n$n" ip link show "$(e2e_if "${n}k")"
	k=$(e2e_if "${n}k")
	ip -n "$(e2e_ns "n$n")" addr add "$MESH6::$n/64" dev "$k" nodad ||
		e2e_error "TAP address on $n"
	ip -n "$(e2e_ns "n$n")" link set "$k" up || e2e_error "TAP up on $n"
	E2E_DIAG+=("ip -n $(e2e_ns "n$n") -6 route; ip -n $(e2e_ns "n$n") -6 addr show dev $k")
	E2E_DIAG+=("$MESHXLATCTL --socket $s --timeout 5 route.list")
	E2E_DIAG+=("$MESHXLATCTL --socket $s --timeout 5 roam.list")
done
# What babeld redistributes: each CLAT node's /96 and each PLAT's, as
# kernel routes of the node (they go nowhere in the kernel: meshxlat
# translates those packets), and each PLAT's management address, on the
# TAP so that it is the box's (kernel-local) and reaches the agent.
ip -n "$(e2e_ns na)" route add blackhole "$CLATA" proto static || e2e_error "A /96"
ip -n "$(e2e_ns nb)" route add blackhole "$CLATB" proto static || e2e_error "B /96"
ip -n "$(e2e_ns nc)" route add blackhole "$PLATC" proto static || e2e_error "C /96"
ip -n "$(e2e_ns nd)" route add blackhole "$PLATD" proto static || e2e_error "D /96"
ip -n "$(e2e_ns nc)" addr add "$MGMT_C/128" dev "$(e2e_if ck)" nodad ||
	e2e_error "C management address"
ip -n "$(e2e_ns nd)" addr add "$MGMT_D/128" dev "$(e2e_if dk)" nodad ||
	e2e_error "D management address"

wait_until 60 0.5 "PLAT C answers ping on 198.51.100.1" \
	ns_exec server ping -n -c 1 -W 1 198.51.100.1
wait_until 60 0.5 "PLAT D answers ping on 198.51.100.2" \
	ns_exec server ping -n -c 1 -W 1 198.51.100.2
wait_until 60 0.5 "node A answers the client's ping on $GW4" \
	ns_exec client ping -n -c 1 -W 1 "$GW4"

# ---- babel -------------------------------------------------------------------
for n in a b; do
	mesh_babeld "babeld-$n" "n$n" "$(e2e_if "${n}k")" "$E2E_DIR/babel-$n.sock" \
		-C "redistribute ip $CLAT_RANGE eq 96 allow" \
		-C "redistribute local ip $CLIENT_NET eq 128 allow"
done
mesh_babeld babeld-c nc "$(e2e_if ck)" "$E2E_DIR/babel-c.sock" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 100"
mesh_babeld babeld-d nd "$(e2e_if dk)" "$E2E_DIR/babel-d.sock" \
	-C "redistribute ip $PLAT_RANGE eq 96 metric 200"
for n in a b; do
	wait_until 90 0.5 "babeld on $n installed C at 196 and D at 296" \
		mesh_babel_installed "n$n" "$E2E_DIR/babel-$n.sock" \
		"$PLATC" 196 "$PLATD" 296
done
for n in c d; do
	wait_until 60 0.5 "babel on $n: routes to CLATA and CLATB" \
		sh -c "ip -n $(e2e_ns "n$n") -6 route show proto babel | grep -q '^${CLATA%/96}/96 ' &&
		       ip -n $(e2e_ns "n$n") -6 route show proto babel | grep -q '^${CLATB%/96}/96 '"
done
check "B's kernel: the babel routes" \
	ip -n "$(e2e_ns nb)" -6 route show proto babel
# kernel_routes: the babel routes are meshxlat's too
route_has()
{
	mesh_json "$1" route.list \
		"any(x['prefix'] == '$2' and x['type'] == 'kernel' for x in r['routes'])"
}
wait_until 20 0.5 "A's meshxlat imported the route to PLAT C" \
	route_has "$SOCK_A" "$PLATC"
wait_until 20 0.5 "B's meshxlat imported the route to PLAT D" \
	route_has "$SOCK_B" "$PLATD"
wait_until 20 0.5 "C's meshxlat imported the route to CLATB" \
	route_has "$SOCK_C" "$CLATB"
check "no static routes on C (route.list)" \
	mesh_json "$SOCK_C" route.list \
	"[x['prefix'] for x in r['routes'] if x['type'] == 'static'] == []"

# ---- the agents ------------------------------------------------------------------
openssl rand -hex 32 >"$KEY" || e2e_error "key"
openssl rand -hex 32 >"$BADKEY" || e2e_error "wrong key"
chmod 600 "$KEY" "$BADKEY"
asock() { printf '%s/agent-%s.sock' "$E2E_DIR" "$1"; }
AGENT_NAMES=()
for n in a b c d; do
	eval "s=\$SOCK_${n^^}"
	case $n in
	a) clat=$CLATA; plat="" ;;
	b) clat=$CLATB; plat="" ;;
	# a PLAT serves no clients here: a /96 of its own all the same
	c) clat=fddd:1337:1337:c::/96; plat="\"plat_prefix\": \"$PLATC\"," ;;
	d) clat=fddd:1337:1337:d::/96; plat="\"plat_prefix\": \"$PLATD\"," ;;
	esac
	cat >"$E2E_DIR/agent-$n.json" <<EOF
{
  "meshxlat_socket": "$s",
  "control_socket": "$(asock $n)",
  "babeld": "$E2E_DIR/babel-$n.sock",
  "plat_range": "$PLAT_RANGE",
  "select": {"threshold": $THRESHOLD, "hold_down_s": $HOLD_S,
             "probe_interval_ms": 1000, "probe_timeout_ms": 800,
             "probe_failures": 3, "bad_s": 120, "settle_s": 5},
  "retry_min_ms": 200, "retry_max_ms": 2000,
  "roam": {"key_file": "$KEY", "clat_prefix": "$clat", $plat
           "client_net": "$CLIENT_NET", "claim_if": "$(e2e_if "${n}k")",
           "window_s": 30, "lease_max": 86400,
           "claim_timeout_ms": 500, "claim_tries": 4}
}
EOF
done
# B's meshxlat's events, from before its first PLAT
bg_start events-b nb timeout 280 "$MESHXLATCTL" --socket "$SOCK_B" \
	events filter=clat.plat.
for n in a b c d; do
	bg_start "agent-$n" "n$n" timeout 280 "$AGENT" \
		--config "$E2E_DIR/agent-$n.json"
	AGENT_NAMES+=("agent-$n")
	E2E_CTL_SOCKS+=("agent-$n:$(asock $n)")
done
for n in a b c d; do
	wait_until 40 0.25 "agent $n listens" test -S "$(asock $n)"
done

# ---- 1. the CLAT nodes' agents choose PLAT C -------------------------------------
wait_until 40 0.5 "A's agent set PLAT C on A's meshxlat" \
	mesh_json "$SOCK_A" clat.plat.get "r.get('prefix') == '$PLATC'"
wait_until 40 0.5 "B's agent set PLAT C on B's meshxlat" \
	mesh_json "$SOCK_B" clat.plat.get "r.get('prefix') == '$PLATC'"
check "A's agent: C (196) over D (296), reason initial" \
	mesh_json "$(asock a)" mesh.plat.get \
	"r['prefix'] == '$PLATC' and r['reason'] == 'initial' and sorted((c['prefix'], c['metric']) for c in r['candidates']) == [('$PLATC', 196), ('$PLATD', 296)]"
wait_until 20 0.25 "B's event stream: clat.plat.changed to C" \
	grep -q "^prefix: *$PLATC\$" "$E2E_DIR/events-b.log"

# ---- the server ------------------------------------------------------------------
WWW=$E2E_DIR/www
mkdir -p "$WWW" || e2e_error "mkdir $WWW"
e2e_random_file "$WWW/fast" "$SIZE_FAST"
e2e_random_file "$WWW/first" 65536
for f in roamed newclient; do
	cp "$WWW/first" "$WWW/$f" || e2e_error "cp $f"
done
roam_http_start

move_client()
{
	ip -n "$SW" link set "$CP_IF" master "$1" &&
		echo "client now on bridge $1"
}

# ---- 2. the client's lease at A ------------------------------------------------------
check "A's DHCP hook: mesh.client.add mac=$CLIENT_MAC ip4=$CLIENT4" \
	mxctl --socket "$(asock a)" mesh.client.add mac="$CLIENT_MAC" \
	ip4="$CLIENT4" lease="$LEASE"
check_output "A's agent put the client's MAC-derived address on A's TAP" \
	"$CLIENT_ADDR/128" ip -n "$(e2e_ns na)" -6 addr show dev "$(e2e_if ak)"
wait_until 60 0.5 "babel carries $CLIENT_ADDR to B" \
	mesh_kroute nb "$CLIENT_ADDR"
check "the client downloads through A" fetch client first
check "  ... through PLAT C: the server saw C's pool $POOLC" \
	served_from first "$POOLC"

# ---- 3. the client roams from A to B during a download ----------------------------
bg_start fast client timeout 150 curl -sS -g --connect-timeout 10 \
	--max-time 140 --limit-rate "$RATE_FAST" --speed-limit 1024 \
	--speed-time "$STALL" \
	-w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
	-o "$E2E_DIR/fast.out" "$URL/fast"
wait_until 100 0.1 "the download has 256 KiB" \
	at_least "$E2E_DIR/fast.out" 262144
check "client moves to node B's bridge" move_client "$GB"
T0=$(date +%s.%N)
check "B's association hook: mesh.client.claim mac=$CLIENT_MAC" \
	mxctl --socket "$(asock b)" mesh.client.claim mac="$CLIENT_MAC"
AT_MOVE=$(size_of "$E2E_DIR/fast.out")
[ "$AT_MOVE" -lt "$SIZE_FAST" ] ||
	e2e_error "the download was over before the move: nothing tested"
wait_until 40 0.1 "C's meshxlat: roam entry CLATA:client <-> CLATB:client (from C's agent)" \
	mesh_json "$SOCK_C" roam.list \
	"[(e['kind'], e['client'], e['from'], e['to']) for e in r['entries']] == [('plat', '$CLIENT4', '$CLATA', '$CLATB')]"
T1=$(date +%s.%N)
e2e_log "== figure: mesh.client.claim on B -> entry on C's meshxlat in $("$PY3" -c "print('%.2f s' % ($T1 - $T0))")"
check "B's agent took the client over: CLATD A, PLAT C, roamed" \
	mesh_json "$(asock b)" mesh.client.list \
	"[(c['ip4'], c['clat'], c['plat'], c['roamed']) for c in r['clients']] == [('$CLIENT4', '$CLATA', '$PLATC', True)]"
check "B's meshxlat: roam entry kind=clat (the client keeps PLAT C)" \
	mesh_json "$SOCK_B" roam.list \
	"any(e['kind'] == 'clat' and e['client'] == '$CLIENT4' and e['plat'] == '$PLATC' for e in r['entries'])"
check "C's agent lists the ROAM" \
	mesh_json "$(asock c)" mesh.roam.list \
	"[(e['client'], e['from'], e['to']) for e in r['entries']] == [('$CLIENT4', '$CLATA', '$CLATB')]"
check "A's agent let the client go" \
	mesh_json "$(asock a)" mesh.client.list "r['clients'] == []"
check_output "  ... and took its address off A's TAP" '^$' \
	sh -c "ip -n $(e2e_ns na) -6 addr show dev $(e2e_if ak) | grep '$CLIENT_ADDR'"
msgs_so_far()
{
	mesh_json "$(asock a)" mesh.stats.get \
		"r['rx']['claim'] >= 1 and r['tx']['info'] == 1 and r['rejected_total'] == 0" &&
	mesh_json "$(asock b)" mesh.stats.get \
		"r['rx']['info'] == 1 and r['tx']['roam'] == 1 and r['rejected_total'] == 0" &&
	mesh_json "$(asock c)" mesh.stats.get \
		"r['rx']['roam'] == 1 and r['rejected_total'] == 0"
}
check "the messages: A got the CLAIM and sent INFO, B sent the ROAM, C took it; nothing refused" \
	msgs_so_far

bg_wait fast 120
RC=$?
e2e_log "== the download had $AT_MOVE of $SIZE_FAST bytes at the move"
check "the download that was running at the move completed (curl exit $RC)" \
	test "$RC" = 0
check "  ... with the right bytes" same_file "$WWW/fast" "$E2E_DIR/fast.out"
check "  ... from C's pool $POOLC" served_from fast "$POOLC"
check "C mapped CLATB:client to CLATA:client and the replies back" \
	mx_check_stats --socket "$SOCK_C" 'events["roam_plat_in"] > 100' \
	'events["roam_plat_out"] > 1000'

# ---- 4. C's route is withdrawn: the CLAT nodes move to D -----------------------------
plat_is()
{
	mesh_json "$1" clat.plat.get "r.get('prefix') == '$2'"
}
T0=$(date +%s.%N)
bg_stop babeld-c
wait_until $((HOLD_S * 4)) 0.25 "B's meshxlat on PLAT D within the hold-down ($HOLD_S s)" \
	plat_is "$SOCK_B" "$PLATD"
T1=$(date +%s.%N)
e2e_log "== figure: C's babeld stopped -> B's meshxlat on D in $("$PY3" -c "print('%.2f s' % ($T1 - $T0))")"
wait_until $((HOLD_S * 4)) 0.25 "A's meshxlat on PLAT D within the hold-down" \
	plat_is "$SOCK_A" "$PLATD"
check_output "B's agent logged the move and its reason" \
	"-> $PLATD .*route_lost" cat "$E2E_DIR/agent-b.log"
check_output "A's agent too" "-> $PLATD .*route_lost" cat "$E2E_DIR/agent-a.log"
wait_until 20 0.25 "B's event stream shows the move to D" \
	grep -q "^prefix: *$PLATD\$" "$E2E_DIR/events-b.log"
check_output "meshxlatctl events on B: clat.plat.changed, prefix D, previous C" \
	"previous: *$PLATC" sh -c "grep -B3 -A3 '^prefix: *$PLATD\$' $E2E_DIR/events-b.log"
check_output "  ... (event name, in the same event)" "event: *clat.plat.changed" \
	sh -c "grep -B3 -A3 '^prefix: *$PLATD\$' $E2E_DIR/events-b.log"

# Seed 003's del_platprefix: B's pin of the roamed client to the lost
# PLAT went with the move, so its new connections leave through D too.
check "B's meshxlat dropped the roamed client's entry to the lost PLAT C" \
	mesh_json "$SOCK_B" roam.list \
	"[e for e in r['entries'] if e.get('plat') == '$PLATC'] == []"
check "a new connection of the roamed client (on B)" fetch client roamed
check "  ... leaves through D: the server saw D's pool $POOLD" \
	served_from roamed "$POOLD"
check "a new client at B: its lease (mesh.client.add on B's agent)" \
	mxctl --socket "$(asock b)" mesh.client.add mac="$CLIENT2_MAC" \
	ip4="$CLIENT4_NEW" lease="$LEASE"
check "the new client's new connection" fetch client2 newclient
check "  ... leaves through D: the server saw D's pool $POOLD" \
	served_from newclient "$POOLD"

# ---- 5. a forged ROAM to C's agent ------------------------------------------------
# strip expires_in: what must not change is what maps where
C_MX=$(mesh_get "$SOCK_C" roam.list \
	"sorted((e['kind'], e['client'], e.get('from'), e.get('to')) for e in r['entries'])")
C_AG=$(mesh_get "$(asock c)" mesh.roam.list \
	"sorted((e['client'], e['from'], e['to']) for e in r['entries'])")
e2e_log "== C before: meshxlat $C_MX; agent $C_AG"
check "X: a ROAM for the client to X's CLAT, signed with a wrong key" \
	ns_exec x timeout 10 "$PY3" "$MESH_TOOLS" roam --to "$MGMT_C" \
	--key "$BADKEY" --mac "$CLIENT_MAC" --client "$CLIENT4" \
	--clatd "$CLATA" --clatb "$CLATX" --platc "$PLATC"
wait_until 20 0.25 "C's agent refused it (bad_mac)" \
	mesh_json "$(asock c)" mesh.stats.get \
	"r['rejected'].get('bad_mac') == 1 and r['rejected_total'] == 1 and r['rx']['roam'] == 1"
check "C's meshxlat holds the same entries" \
	mesh_json "$SOCK_C" roam.list \
	"str(sorted((e['kind'], e['client'], e.get('from'), e.get('to')) for e in r['entries'])) == \"$C_MX\""
check "C's agent too" \
	mesh_json "$(asock c)" mesh.roam.list \
	"str(sorted((e['client'], e['from'], e['to']) for e in r['entries'])) == \"$C_AG\""
check_output "C's agent logged the refusal" \
	"reject bad_mac from \\[$MESH6::66\\]" cat "$E2E_DIR/agent-c.log"

# ---- the end ----------------------------------------------------------------------
for a in "${AGENT_NAMES[@]}"; do
	check "$a is still running" e2e_pid_alive "$(bg_pid "$a")"
done
check "the agents' decisions" \
	grep -h -E 'plat: |reject ' "$E2E_DIR/agent-a.log" "$E2E_DIR/agent-b.log" \
	"$E2E_DIR/agent-c.log"
for a in "${AGENT_NAMES[@]}"; do
	bg_stop "$a"
done
mx_stop_check
for n in a b d; do
	mx_extra_stop "$n"
	check "node $n exited 0 on SIGTERM" test "$MX_RC" = 0
done
e2e_pass
