#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The helpers below run through check and wait_until (SC2317).
# shellcheck disable=SC2317
#
# roam_tcp: seed 003's roaming with real hosts and four meshxlat nodes. An
# IPv4 client downloads a file over TCP through CLAT node A and PLAT C; in
# the middle of the download its veth is moved from A's bridge to B's (a
# Wi-Fi client walking to the next node), and the test programs what the
# mesh agent would: on B "the client keeps PLAT C" (roam.add kind=clat), on
# C "CLATB:client is CLATA:client" (roam.add kind=plat). The download must
# finish with the right bytes. doc/roaming.md has the tables.
#
#                       sw (bridges only)
#   client 192.168.0.1 [c]--[cp] ga --[alp]--[al] A lan4 \  192.168.0.254,
#        (.2 too)              or gb --[blp]--[bl] B lan4 /  the same MAC on both
#
#   A mesh6 ::a [am]--[amp] \                      / [cmp]--[cm] C mesh6 ::c
#   B mesh6 ::b [bm]--[bmp] -- gm (2001:db8:1c0:2:1::/64) -- [dmp]--[dm] D mesh6 ::d
#
#   C wan4 198.51.100.1 [cw]--[cwp] \
#   D wan4 198.51.100.2 [dw]--[dwp] -- gw -- [sp]--[s] server 198.51.100.7
#                                           10.23.0.9 via .1, 10.23.0.10 via .2
#
# A and B serve the same client subnet with the same gateway address and MAC
# (gluon's next-node address), so the moved client keeps its ARP entry.
# Prefixes as in the seed, /48 + a MAC: CLATA fddd:1337:1337:200:5e10:a::/96,
# CLATB ...:b::/96 (given as clat_prefix: the lan4 MACs are the same);
# PLATC 64:ff9b:1:200:5e10:c::/96 (plat_range + C's mesh MAC), PLATD ...:d::.
# A's CLAT uses PLAT C, B's uses PLAT D: what keeps the old flow on C after
# the move is the remap, nothing else. Static routes stand in for babel;
# C reaches CLATB by a link route and a static neighbour (the others by
# routes via the nodes), so a remapped reply must be resolved by its new
# address.
#
# Steps:
#  1. negative control: the move WITHOUT roam entries breaks a download
#     (curl gives up: nothing arrives for --speed-time seconds);
#  2. the client is back on A; two downloads (a fast one, a slow one) start,
#     the client moves to B, roam.add on B and C (and roam.del on A, which
#     has nothing): the fast download completes with the right SHA-256, the
#     counters roam_clat_out/in on B and roam_plat_in/out on C rose;
#  3. a new connection of the roamed client still goes through C (seed 003:
#     the client keeps its PLAT for the lease); one from a new client
#     address on B goes through D (the server logs the pool addresses);
#  4. roam.del on C: the slow download, which was moving until then, stops
#     being remapped (C's roam counters stand still, the server's
#     retransmissions go to A) and curl gives up;
#  5. roam.del on B: a new connection of the client now leaves through D;
#  6. an onward roam told to C (from=CLATA to=CLATE) replaces the client's
#     entry: one is left, not two.
#
# The four daemons run -l 0,1 with workers.idle_sleep_us, two with their
# worker on CPU 1 and two on CPU 0, so that they share a 2-core machine.
#
# Usage: roam_tcp.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/roam_lib.sh
. "$(dirname "$0")/roam_lib.sh"

e2e_init roam_tcp "$@"
[ -n "$MESHXLATCTL" ] || e2e_error "no meshxlatctl (pass it after meshxlat)"

PLAT_TOOLS=$(readlink -f "$(dirname "$0")/plat_tools.py")
CLIENT4=192.168.0.1
CLIENT4_NEW=192.168.0.2		# a client B has never seen
GW4=192.168.0.254
LAN_MAC=12:34:56:78:9a:bc	# A's and B's lan4: one next-node address
MESH6=2001:db8:1c0:2:1
CLATA=fddd:1337:1337:200:5e10:a::/96
CLATB=fddd:1337:1337:200:5e10:b::/96
PLAT_RANGE=64:ff9b:1::/48
PLATC=64:ff9b:1:200:5e10:c::/96
PLATD=64:ff9b:1:200:5e10:d::/96
POOLC=10.23.0.9
POOLD=10.23.0.10
POOL_PORTS=9000-10000
SERVER4=198.51.100.7
HTTP_PORT=8000
LEASE=600
# Downloads: big enough to last several seconds at the rate curl is held
# to. The client's TCP receive buffer is kept small, so the bytes still
# to come are on the wire, not already in the client's socket.
SIZE_FAST=$((3 * 1024 * 1024))		# at 256 KiB/s: about 12 s
SIZE_SLOW=$((4 * 1024 * 1024))		# at 64 KiB/s: about 64 s
RATE_FAST=256k
RATE_SLOW=64k
STALL=8					# curl's --speed-time: a stall, s

# ---- topology ----------------------------------------------------------------
for ns in client sw na nb nc nd server; do
	add_ns "$ns"
	ns_no_ipv6 "$ns"
done

C_IF=$(e2e_if c)
# node ends (af_packet ports) and their peers in sw
AL_IF=$(e2e_if al); BL_IF=$(e2e_if bl)
AM_IF=$(e2e_if am); BM_IF=$(e2e_if bm); CM_IF=$(e2e_if cm); DM_IF=$(e2e_if dm)
CW_IF=$(e2e_if cw); DW_IF=$(e2e_if dw)
S_IF=$(e2e_if s)
# bridges: A's client LAN, B's client LAN, the mesh, the IPv4 uplink
GA=$(e2e_if ga); GB=$(e2e_if gb); GM=$(e2e_if gm); GW=$(e2e_if gw)
CP_IF=$(e2e_if cp)

SW=$(e2e_ns sw)
for br in "$GA" "$GB" "$GM" "$GW"; do
	ip -n "$SW" link add "$br" type bridge || e2e_error "bridge $br"
	ip -n "$SW" link set "$br" up || e2e_error "bridge $br up"
done
add_veth client "$C_IF" sw "$CP_IF"
add_veth na "$AL_IF" sw "$(e2e_if alp)"
add_veth nb "$BL_IF" sw "$(e2e_if blp)"
add_veth na "$AM_IF" sw "$(e2e_if amp)"
add_veth nb "$BM_IF" sw "$(e2e_if bmp)"
add_veth nc "$CM_IF" sw "$(e2e_if cmp)"
add_veth nd "$DM_IF" sw "$(e2e_if dmp)"
add_veth nc "$CW_IF" sw "$(e2e_if cwp)"
add_veth nd "$DW_IF" sw "$(e2e_if dwp)"
add_veth server "$S_IF" sw "$(e2e_if sp)"
ns_no_ipv6 na "$AL_IF" "$AM_IF"
ns_no_ipv6 nb "$BL_IF" "$BM_IF"
ns_no_ipv6 nc "$CM_IF" "$CW_IF"
ns_no_ipv6 nd "$DM_IF" "$DW_IF"

enslave alp "$GA"
enslave blp "$GB"
for p in amp bmp cmp dmp; do enslave "$p" "$GM"; done
for p in cwp dwp sp; do enslave "$p" "$GW"; done
enslave cp "$GA"

# The client and the server: 1480-byte MTUs, so that a full IPv4 packet is
# a full 1500-byte IPv6 one on the mesh (the mesh MTU is not under test).
CLIENT=$(e2e_ns client)
SERVER=$(e2e_ns server)
ip -n "$CLIENT" link set "$C_IF" mtu 1480 || e2e_error "client mtu"
ip -n "$CLIENT" addr add "$CLIENT4/24" dev "$C_IF" || e2e_error "client address"
ip -n "$CLIENT" addr add "$CLIENT4_NEW/24" dev "$C_IF" ||
	e2e_error "client's second address"
ip -n "$CLIENT" route add default via "$GW4" src "$CLIENT4" ||
	e2e_error "client route"
ns_sysctl client "net.ipv4.tcp_rmem=4096 16384 65536"
ip -n "$SERVER" link set "$S_IF" mtu 1480 || e2e_error "server mtu"
ip -n "$SERVER" addr add "$SERVER4/24" dev "$S_IF" || e2e_error "server address"
ip -n "$SERVER" route add "$POOLC/32" via 198.51.100.1 || e2e_error "route C"
ip -n "$SERVER" route add "$POOLD/32" via 198.51.100.2 || e2e_error "route D"

E2E_DIAG+=("ip -n $SW link show master $GA; ip -n $SW link show master $GB")
E2E_DIAG+=("bridge -n $SW fdb show br $GA; bridge -n $SW fdb show br $GB")
e2e_capture client "$C_IF"
e2e_capture server "$S_IF"

# ---- the four nodes --------------------------------------------------------------
# clat_conf FILE NODE CLAT_PREFIX PLAT_PREFIX
clat_conf()
{
	cat >"$1" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "$LAN_MAC", "ipv4": ["$GW4/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:5e:10:00:0$2", "ipv6": ["$MESH6::$2/64"]}
  ],
  "routes": [
    {"prefix": "$PLATC", "port": "mesh", "via": "$MESH6::c"},
    {"prefix": "$PLATD", "port": "mesh", "via": "$MESH6::d"}
  ],
  "clat": {"clat_prefix": "$3", "plat_prefix": "$4", "client_port": "lan4"},
  "roam": {"max_entries": 1024, "max_lease": 3600},
  "workers": {"lcores": 1, "idle_sleep_us": 100}
}
EOF
}

# plat_conf FILE NODE WAN4 POOL4 ROUTE_TO_CLATB [NEIGHBOURS]
plat_conf()
{
	cat >"$1" <<EOF
{
  "ports": [
    {"name": "mesh", "device": "net_af_packet0", "role": "mesh6",
     "mac": "02:00:5e:10:00:0$2", "ipv6": ["$MESH6::$2/64"]},
    {"name": "wan", "device": "net_af_packet1", "role": "wan4",
     "mac": "02:00:5e:10:01:0$2", "ipv4": ["$3/24"]}
  ],
  "routes": [
    {"prefix": "$CLATA", "port": "mesh", "via": "$MESH6::a"},
    $5
  ],
  "neighbours": [${6:-}],
  "plat": {
    "plat_range": "$PLAT_RANGE",
    "mesh_port": "mesh",
    "pool4": [{"prefix": "$4/32", "ports": "$POOL_PORTS"}],
    "max_sessions": 4096
  },
  "roam": {"max_entries": 1024, "max_lease": 3600},
  "workers": {"lcores": 1, "idle_sleep_us": 100}
}
EOF
}

SOCK_A=$E2E_DIR/a.sock
SOCK_B=$E2E_DIR/b.sock
SOCK_C=$MX_SOCK		# C is "the" daemon of lib.sh (MX_*)
SOCK_D=$E2E_DIR/d.sock
clat_conf "$E2E_DIR/a.json" a "$CLATA" "$PLATC"
clat_conf "$E2E_DIR/b.json" b "$CLATB" "$PLATD"
# D routes CLATB via B. C has it as a link route, with a static neighbour
# for the roamed client's new address: the reply C remaps to CLATB must be
# resolved by that address, not by the old one (CLATA:client), which C has
# no neighbour for.
plat_conf "$MX_CONF" c 198.51.100.1 "$POOLC" \
	"{\"prefix\": \"$CLATB\", \"port\": \"mesh\"}" \
	"{\"ip\": \"${CLATB%::/96}:c0a8:1\", \"mac\": \"02:00:5e:10:00:0b\", \"port\": \"mesh\"}"
plat_conf "$E2E_DIR/d.json" d 198.51.100.2 "$POOLD" \
	"{\"prefix\": \"$CLATB\", \"port\": \"mesh\", \"via\": \"$MESH6::b\"}"

node_eal c 512
mx_start nc "${EAL[@]}" \
	--vdev "net_af_packet0,iface=$CM_IF" --vdev "net_af_packet1,iface=$CW_IF" \
	-- --config "$MX_CONF" --socket "$SOCK_C" --stats-json "$MX_STATS"
node_eal d 512 --main-lcore 1
mx_extra_start d nd "${EAL[@]}" \
	--vdev "net_af_packet0,iface=$DM_IF" --vdev "net_af_packet1,iface=$DW_IF" \
	-- --config "$E2E_DIR/d.json" --socket "$SOCK_D"
node_eal a 256
mx_extra_start a na "${EAL[@]}" \
	--vdev "net_af_packet0,iface=$AL_IF" --vdev "net_af_packet1,iface=$AM_IF" \
	-- --config "$E2E_DIR/a.json" --socket "$SOCK_A"
node_eal b 256 --main-lcore 1
mx_extra_start b nb "${EAL[@]}" \
	--vdev "net_af_packet0,iface=$BL_IF" --vdev "net_af_packet1,iface=$BM_IF" \
	-- --config "$E2E_DIR/b.json" --socket "$SOCK_B"
e2e_ctl_sock a "$SOCK_A"
e2e_ctl_sock b "$SOCK_B"
e2e_ctl_sock d "$SOCK_D"
for n in a b c d; do
	eval "s=\$SOCK_${n^^}"
	E2E_DIAG+=("$MESHXLATCTL --socket $s --timeout 5 roam.list")
done

wait_until 60 0.5 "PLAT C answers ping on 198.51.100.1" \
	ns_exec server ping -n -c 1 -W 1 198.51.100.1
wait_until 60 0.5 "PLAT D answers ping on 198.51.100.2" \
	ns_exec server ping -n -c 1 -W 1 198.51.100.2
wait_until 60 0.5 "node A answers ping on $GW4" \
	ns_exec client ping -n -c 1 -W 1 "$GW4"
for n in b c d; do
	eval "s=\$SOCK_${n^^}"
	wait_until 60 0.5 "node $n's control socket" mxctl --socket "$s" roam.list
done

# ---- the server ------------------------------------------------------------------
WWW=$E2E_DIR/www
mkdir -p "$WWW" || e2e_error "mkdir $WWW"
e2e_random_file "$WWW/fast" "$SIZE_FAST"
e2e_random_file "$WWW/slow" "$SIZE_SLOW"
# small ones, one name per request so the server's log tells them apart
e2e_random_file "$WWW/first" 65536
for f in back roamed newclient after; do
	cp "$WWW/first" "$WWW/$f" || e2e_error "cp $f"
done
roam_http_start

# ---- helpers ---------------------------------------------------------------------
# move_client NODE: the client's veth into node NODE's (a|b) bridge.
move_client()
{
	local br=$GA

	[ "$1" = a ] || br=$GB
	ip -n "$SW" link set "$CP_IF" master "$br" &&
		echo "client now on node $1's bridge $br"
}

# ev SOCK NAME: one event counter of a node.
ev()
{
	mxctl --socket "$1" --json stats.get all=true |
		"$PY3" -c 'import json, sys; print(json.load(sys.stdin)["events"][sys.argv[1]])' "$2"
}

# fetch_bg NAME FILE RATE [SRC]: a rate-limited download in the background,
# into $E2E_DIR/NAME.out; curl gives up when nothing comes for $STALL s.
fetch_bg()
{
	bg_start "$1" client timeout 150 curl -sS -g --connect-timeout 10 \
		--max-time 140 --limit-rate "$3" --speed-limit 1024 \
		--speed-time "$STALL" ${4:+--interface "$4"} \
		-w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
		-o "$E2E_DIR/$1.out" "$URL/$2"
}

# roam_list_is SOCK USED [TO...]: the node's roam.list has the plat
# entries of the client to these /96s, in this order, and USED entries in
# its database (two per plat entry).
roam_list_is()
{
	mxctl --socket "$1" --json roam.list | "$PY3" -c '
import json, sys
r = json.load(sys.stdin)
to = [e["to"] for e in r["entries"] if e["kind"] == "plat"]
print("entries to %s, used %d" % (to, r["used"]))
sys.exit(0 if r["used"] == int(sys.argv[1]) and to == sys.argv[2:] else 1)' \
		"${@:2}"
}

# failed RC: a helper's exit status says it ended, unsuccessfully (124:
# bg_wait's "still running").
failed()
{
	[ "$1" != 0 ] && [ "$1" != 124 ]
}

# ---- the path before any move -----------------------------------------------------
check "client on A: a download through A and PLAT C" fetch client first
check "the server saw it from C's pool $POOLC" served_from first "$POOLC"

# ---- 1. negative control: the move without roam entries ------------------------------
fetch_bg lost slow "$RATE_SLOW"
wait_until 100 0.1 "the download 'lost' has 128 KiB" \
	at_least "$E2E_DIR/lost.out" 131072
check "client moves to node B (no roam entries anywhere)" move_client b
bg_wait lost $((STALL + 30))
RC=$?
check "without roaming the download breaks: curl gives up (exit $RC)" \
	failed "$RC"
check "it had not got the whole file ($(size_of "$E2E_DIR/lost.out") of $SIZE_SLOW bytes)" \
	test "$(size_of "$E2E_DIR/lost.out")" -lt "$SIZE_SLOW"
check "node B remapped nothing" mx_check_stats --socket "$SOCK_B" \
	'events["roam_clat_out"] == 0' 'events["roam_clat_in"] == 0'

check "client moves back to node A" move_client a
wait_until 30 1 "client reaches the server through A again" \
	ns_exec client curl -sS --max-time 3 -o /dev/null "$URL/back"

# ---- 2. the move with roam entries --------------------------------------------------
fetch_bg fast fast "$RATE_FAST"
fetch_bg slow slow "$RATE_SLOW"
wait_until 100 0.1 "the download 'fast' has 256 KiB" \
	at_least "$E2E_DIR/fast.out" 262144
wait_until 100 0.1 "the download 'slow' has 64 KiB" \
	at_least "$E2E_DIR/slow.out" 65536
check "client moves to node B" move_client b
FAST_AT_MOVE=$(size_of "$E2E_DIR/fast.out")
SLOW_AT_MOVE=$(size_of "$E2E_DIR/slow.out")
[ "$FAST_AT_MOVE" -lt "$SIZE_FAST" ] ||
	e2e_error "the download was over before the move: nothing tested"

# What the mesh agent does (seed 003): B learns the client's old CLAT (A)
# and PLAT (C); B keeps the client on PLAT C; C maps B's address to A's;
# A forgets the client.
check "B: roam.add kind=clat client=$CLIENT4 plat=$PLATC lease=$LEASE" \
	mxctl --socket "$SOCK_B" roam.add kind=clat client="$CLIENT4" \
	plat="$PLATC" lease="$LEASE"
check "C: roam.add kind=plat client=$CLIENT4 from=$CLATA to=$CLATB lease=$LEASE" \
	mxctl --socket "$SOCK_C" roam.add kind=plat client="$CLIENT4" \
	from="$CLATA" to="$CLATB" lease="$LEASE"
check_output "A: roam.del kind=clat client=$CLIENT4 (A had no entry)" \
	'removed[": ]+0' \
	mxctl --socket "$SOCK_A" roam.del kind=clat client="$CLIENT4"
check_output "B lists its entry" "$CLIENT4.*$PLATC" \
	mxctl --socket "$SOCK_B" roam.list
check_output "C lists its entry" "$CLIENT4.*$CLATA.*$CLATB" \
	mxctl --socket "$SOCK_C" roam.list

bg_wait fast 90
RC=$?
e2e_log "== 'fast' had $FAST_AT_MOVE of $SIZE_FAST bytes at the move"
check "the download that was running at the move completed (curl exit $RC)" \
	test "$RC" = 0
check "  ... with the right bytes" same_file "$WWW/fast" "$E2E_DIR/fast.out"
check "  ... from C's pool $POOLC" served_from fast "$POOLC"
check "B sent the client's packets to PLAT C and took its replies" \
	mx_check_stats --socket "$SOCK_B" 'events["roam_clat_out"] > 100' \
	'events["roam_clat_in"] > 1000'
check "C mapped them to CLATA and the replies to CLATB" \
	mx_check_stats --socket "$SOCK_C" 'events["roam_plat_in"] > 100' \
	'events["roam_plat_out"] > 1000'
# A rate-limited receiver's window updates lost during the move leave the
# server on its persist timer, which backs off: allow it a few seconds.
wait_until 40 0.5 "the slow download moves again after the move" \
	more_than "$E2E_DIR/slow.out" "$SLOW_AT_MOVE"
check "the slow download is running and moving after the move" \
	more_than "$E2E_DIR/slow.out" "$SLOW_AT_MOVE"

# ---- 3. new connections -----------------------------------------------------------
check "a new connection of the roamed client (on B)" fetch client roamed
check "  ... still leaves through C: the client keeps its PLAT for the lease" \
	served_from roamed "$POOLC"
check "a new client $CLIENT4_NEW on B downloads" fetch client newclient "$CLIENT4_NEW"
check "  ... through B's PLAT, D: the server saw D's pool $POOLD" \
	served_from newclient "$POOLD"

# ---- 4. roam.del on C: the old flow is no longer remapped --------------------------
SLOW_AT_DEL=$(size_of "$E2E_DIR/slow.out")
check "the slow download is still running" bg_alive slow
check_output "C: roam.del kind=plat client=$CLIENT4 from=$CLATA" \
	'removed[": ]+1' \
	mxctl --socket "$SOCK_C" roam.del kind=plat client="$CLIENT4" from="$CLATA"
check_output "C lists no entry" '^used: 0$' \
	mxctl --socket "$SOCK_C" roam.list
C_IN=$(ev "$SOCK_C" roam_plat_in)
C_OUT=$(ev "$SOCK_C" roam_plat_out)
C_O2I=$(ev "$SOCK_C" nat64_out2in)
A_64=$(ev "$SOCK_A" xlat64)
bg_wait slow $((STALL + 30))
RC=$?
e2e_log "== 'slow' had $SLOW_AT_MOVE bytes at the move, $SLOW_AT_DEL at roam.del," \
	"$(size_of "$E2E_DIR/slow.out") at the end, of $SIZE_SLOW"
check "the old flow breaks: curl gives up (exit $RC)" failed "$RC"
check "  ... it had moved between the roam and roam.del" \
	test "$SLOW_AT_DEL" -gt "$SLOW_AT_MOVE"
check "C translated the server's retransmissions but remapped nothing after roam.del (nat64_out2in $C_O2I, roam_plat_in $C_IN, roam_plat_out $C_OUT before)" \
	mx_check_stats --socket "$SOCK_C" "events['nat64_out2in'] > $C_O2I" \
	"events['roam_plat_in'] == $C_IN" "events['roam_plat_out'] == $C_OUT"
check "the server's packets of the old flow went to CLATA again: A translated more (xlat64 was $A_64)" \
	mx_check_stats --socket "$SOCK_A" "events['xlat64'] > $A_64"

# ---- 5. roam.del on B: the client's new connections use D ---------------------------
check_output "B: roam.del kind=clat client=$CLIENT4" 'removed[": ]+1' \
	mxctl --socket "$SOCK_B" roam.del kind=clat client="$CLIENT4"
check "a new connection of the client after its entries are gone" \
	fetch client after
check "  ... leaves through D: the server saw D's pool $POOLD" \
	served_from after "$POOLD"

# ---- 6. the client roams on: C keeps one entry for it ---------------------------------
# Seed 003 on C: "delete any old ipset rules for that client". Had the
# client gone on from B to a node E, E's agent tells C from=CLATA to=CLATE:
# the pair for CLATB goes (reason "replaced"), one entry is left.
CLATE=fddd:1337:1337:200:5e10:e::/96
check "C: roam.add from=$CLATA to=$CLATB again" \
	mxctl --socket "$SOCK_C" roam.add kind=plat client="$CLIENT4" \
	from="$CLATA" to="$CLATB" lease="$LEASE"
check_output "C: roam.add from=$CLATA to=$CLATE (roamed on) replaces it" \
	'replaced: yes' \
	mxctl --socket "$SOCK_C" roam.add kind=plat client="$CLIENT4" \
	from="$CLATA" to="$CLATE" lease="$LEASE"
check "C lists one entry, to CLATE, and holds its two halves only" \
	roam_list_is "$SOCK_C" 2 "$CLATE"
check_output "C: roam.del from=$CLATA removes it all" 'removed[": ]+1' \
	mxctl --socket "$SOCK_C" roam.del kind=plat client="$CLIENT4" from="$CLATA"
check_output "C holds nothing" '^used: 0$' mxctl --socket "$SOCK_C" roam.list

# ---- the end ----------------------------------------------------------------------
mx_stop_check
for n in a b d; do
	mx_extra_stop "$n"
	check "node $n exited 0 on SIGTERM" test "$MX_RC" = 0
done
e2e_pass
