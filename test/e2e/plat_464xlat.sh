#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plat_464xlat: seed 003's whole chain with two meshxlat nodes: an IPv4
# client behind a CLAT node reaches an IPv4 server behind a PLAT node
# across an IPv6-only mesh link (RFC 6877 464XLAT).
#
#   client          clat node (meshxlat)         plat node (meshxlat)        server
#   192.168.0.1 [c]-[l] lan4 192.168.0.254/24
#                       mesh6 2001:db8:1c0:2:1::1 [a]-[b] mesh6 2001:db8:1c0:2:1::2
#                                                          wan4 198.51.100.1/24 [w]-[s] 198.51.100.7
#                                                                          10.23.0.9 via .1
#
# Addresses as in the seed: the CLAT node's prefix is clat_range
# fddd:1337:1337::/48 + its lan4 MAC 12:34:56:78:9a:bc, so the client is
# fddd:1337:1337:1234:5678:9abc::c0a8:1 on the mesh; the PLAT node's prefix
# is plat_range 64:ff9b:1::/48 (RFC 8215) + its mesh MAC 02:00:5e:10:00:11,
# 64:ff9b:1:200:5e10:11::/96, and its pool is 10.23.0.9 ports 9000-10000.
# Static routes stand in for babel: each node routes the other's /48.
#
# The CLAT node starts without a PLAT (no clat.plat_prefix), as a node
# does before its mesh agent has chosen one: the client's IPv4 is refused
# with ICMP net unreachable and counted as clat_no_plat. 'meshxlatctl clat
# plat set' then chooses the PLAT (seed 003's set_platprefix), and ping,
# DNS over UDP and an HTTP download go through both translators; the
# server sees 10.23.0.9 and a port in 9000-10000.
#
# Both daemons run -l 0,1 (their workers share CPU 1) with
# workers.idle_sleep_us so that they leave each other and the hosts time.
#
# Usage: plat_464xlat.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init plat_464xlat "$@"

# Its servers and their addresses; not its topology.
# shellcheck source=test/e2e/plat_lib.sh
. "$(dirname "$0")/plat_lib.sh"

CLIENT4=192.168.0.1
LAN4_ADDR=192.168.0.254
CLAT_RANGE=fddd:1337:1337::/48
CLAT_MAC=12:34:56:78:9a:bc
PLAT_RANGE=64:ff9b:1::/48
PLAT_MAC=02:00:5e:10:00:11
PLAT_PREFIX=64:ff9b:1:200:5e10:11::/96	# PLAT_RANGE + PLAT_MAC
MESH_CLAT=2001:db8:1c0:2:1::1
MESH_PLAT=2001:db8:1c0:2:1::2
SIZE=$((2 * 1024 * 1024))

C_IF=$(e2e_if c)	# client
L_IF=$(e2e_if l)	# clat node: lan4
A_IF=$(e2e_if a)	# clat node: mesh6
B_IF=$(e2e_if b)	# plat node: mesh6
W_IF=$(e2e_if w)	# plat node: wan4
S_IF=$(e2e_if s)	# server

# ---- topology ----------------------------------------------------------------
add_ns client
add_ns clat
add_ns plat
add_ns server
for ns in client clat plat server; do
	ns_no_ipv6 "$ns"
done
add_veth client "$C_IF" clat "$L_IF"
add_veth clat "$A_IF" plat "$B_IF"
add_veth plat "$W_IF" server "$S_IF"
ns_no_ipv6 clat "$L_IF" "$A_IF"
ns_no_ipv6 plat "$B_IF" "$W_IF"

ip -n "$(e2e_ns client)" addr add "$CLIENT4/24" dev "$C_IF" ||
	e2e_error "client address"
ip -n "$(e2e_ns client)" route add default via "$LAN4_ADDR" ||
	e2e_error "client route"
ip -n "$(e2e_ns server)" addr add "$SERVER4/24" dev "$S_IF" ||
	e2e_error "server address"
ip -n "$(e2e_ns server)" route add "$POOL4/32" via "$WAN4_ADDR" ||
	e2e_error "server route"

e2e_capture client "$C_IF"
e2e_capture server "$S_IF"

# ---- the two nodes -----------------------------------------------------------
CLAT_CONF=$E2E_DIR/clat.json
CLAT_SOCK=$E2E_DIR/clat.sock
CLAT_STATS=$E2E_DIR/clat-stats.json
cat >"$CLAT_CONF" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "$CLAT_MAC", "ipv4": ["$LAN4_ADDR/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:5e:10:00:10", "ipv6": ["$MESH_CLAT/64"]}
  ],
  "routes": [
    {"prefix": "$PLAT_RANGE", "port": "mesh", "via": "$MESH_PLAT"}
  ],
  "clat": {
    "clat_range": "$CLAT_RANGE",
    "plat_range": "$PLAT_RANGE",
    "client_port": "lan4"
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "mesh", "device": "net_af_packet0", "role": "mesh6",
     "mac": "$PLAT_MAC", "ipv6": ["$MESH_PLAT/64"]},
    {"name": "wan", "device": "net_af_packet1", "role": "wan4",
     "mac": "02:00:5e:10:00:12", "ipv4": ["$WAN4_ADDR/24"]}
  ],
  "routes": [
    {"prefix": "$CLAT_RANGE", "port": "mesh", "via": "$MESH_CLAT"}
  ],
  "plat": {
    "plat_range": "$PLAT_RANGE",
    "mesh_port": "mesh",
    "pool4": [{"prefix": "$POOL4/32", "ports": "$POOL_PORTS"}],
    "max_sessions": 65536
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

# The PLAT node is "the" daemon (MX_*), the CLAT node the extra one.
mx_start plat "${MX_EAL[@]}" \
	--vdev "net_af_packet0,iface=$B_IF" \
	--vdev "net_af_packet1,iface=$W_IF" \
	-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"
# shellcheck disable=SC2054 # "-l 0,1" is one argument
CLAT_EAL=(--no-huge -m 256 --no-shconf --no-pci -l 0,1
	--file-prefix "$MX_FILE_PREFIX-clat")
mx_extra_start clat clat "${CLAT_EAL[@]}" \
	--vdev "net_af_packet0,iface=$L_IF" \
	--vdev "net_af_packet1,iface=$A_IF" \
	-- --config "$CLAT_CONF" --socket "$CLAT_SOCK" --stats-json "$CLAT_STATS"
e2e_ctl_sock clat "$CLAT_SOCK"

wait_until 60 0.5 "the CLAT node answers ping on $LAN4_ADDR" \
	ns_exec client ping -n -c 1 -W 1 "$LAN4_ADDR"
wait_until 60 0.5 "the PLAT node answers ping on $WAN4_ADDR" \
	ns_exec server ping -n -c 1 -W 1 "$WAN4_ADDR"

# ---- servers -----------------------------------------------------------------
mkdir -p "$E2E_DIR/www" || e2e_error "mkdir www"
e2e_random_file "$E2E_DIR/www/blob" "$SIZE"
plat_http_start "$E2E_DIR/www"
plat_dns_start

# ---- no PLAT chosen yet --------------------------------------------------------
check_output "the CLAT node has no PLAT yet" '^prefix: *-?$' \
	mxctl --socket "$CLAT_SOCK" clat plat get

check_output "client to $SERVER4 without a PLAT: Destination Net Unreachable from $LAN4_ADDR" \
	"From $LAN4_ADDR.*(Destination Net Unreachable|net unreachable)" \
	ns_exec client ping -n -c 2 -i 0.2 -W 2 "$SERVER4"

check "counted as clat_no_plat on the CLAT node; nothing reached the PLAT" \
	mx_check_stats --socket "$CLAT_SOCK" 'drops["clat_no_plat"] == 2' \
	'events["xlat46"] == 0'

# ---- the mesh agent chooses the PLAT --------------------------------------------
check "meshxlatctl clat plat set prefix=$PLAT_PREFIX on the CLAT node" \
	mxctl --socket "$CLAT_SOCK" clat plat set prefix="$PLAT_PREFIX"

check_output "the CLAT node now sends to $PLAT_PREFIX" "^prefix: *$PLAT_PREFIX" \
	mxctl --socket "$CLAT_SOCK" clat plat get

check "client pings $SERVER4 through CLAT and PLAT (3 of 3)" \
	ping_all client -n -c 3 -i 0.2 -W 2 "$SERVER4"

check "client asks the DNS server $SERVER4:$DNS_PORT over UDP" \
	ns_exec client timeout 15 "$PY3" "$PLAT_TOOLS" dns-ask "$SERVER4" \
	"$DNS_PORT" www.example.test

check "the DNS server saw the query from $POOL4, port in 9000-10000" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/dns.log" 9000 10000 "$POOL4"

check "client downloads 2 MiB over HTTP from $SERVER4:$HTTP_PORT" \
	http_fetch_check client "http://$SERVER4:$HTTP_PORT/blob" \
	"$E2E_DIR/fetched" "$E2E_DIR/www/blob"

check "the HTTP server saw the connection from $POOL4, port in 9000-10000" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/http.log" 9000 10000 "$POOL4"

# The CLAT: IPv4 from the client translated (46) and back (64); its drops
# are the two refused pings and any path MTU refusals (the client's 1500
# byte packets are 1520 as IPv6). The PLAT: both ways, and nothing dropped
# but path MTU refusals to the server.
check "the CLAT node's counters" \
	mx_check_stats --socket "$CLAT_SOCK" 'events["xlat46"] > 100' \
	'events["xlat64"] > 1000' \
	'other_drops("clat_no_plat", "mtu_exceeded", "local_icmp") == {}'
check "the PLAT node's counters" \
	mx_check_stats 'events["nat64_in2out"] > 100' \
	'events["nat64_out2in"] > 1000' \
	'other_drops("mtu_exceeded", "local_icmp") == {}'

# Both nodes' counters are printed, then both stop cleanly.
mx_stop_check
mx_extra_stop clat
check "the CLAT node exited 0 on SIGTERM" test "$MX_RC" = 0
check "the CLAT node wrote its stats JSON" "$PY3" -m json.tool "$CLAT_STATS" \
	/dev/null
e2e_pass
