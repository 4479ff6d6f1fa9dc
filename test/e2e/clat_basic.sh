#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# clat_basic: an IPv4-only client reaches an IPv6-only server through the
# CLAT (RFC 7915 stateless translation, RFC 6052 addresses).
#
#   client (IPv4 only)          mx (meshxlat)                 server (IPv6 only)
#   192.168.0.1/24     [c]---[l] lan4 192.168.0.254/24
#   default via .254               mesh 2001:db8:1c0:2:1::1/64 [m]---[s] 2001:db8:1c0:2:1::2/64
#                                                                   lo 64:ff9b:1:abcd:ef01:2345:c633:640a
#                                                                   fddd:1337:1337::/48 via ::1
#
# The daemon's veth ends live in their own namespace with IPv6 disabled and
# no addresses, so no kernel answers ARP or ND in its place: it has to learn
# the client's MAC by ARP and the server's by ND itself. Its lan4 MAC is
# 12:34:56:78:9a:bc, so its CLAT prefix is fddd:1337:1337:1234:5678:9abc::/96
# and the client appears to the server as ...:9abc:c0a8:1. The server,
# 198.51.100.10 to the client, is 64:ff9b:1:abcd:ef01:2345:c633:640a: the
# HTTP and UDP servers bind that address, so a reply proves that the daemon
# translated the destination.
#
# Usage: clat_basic.sh PATH/TO/meshxlat (meson passes it); root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init clat_basic "$@"

SERVER4=198.51.100.10
SERVER6=64:ff9b:1:abcd:ef01:2345:c633:640a
CLIENT4=192.168.0.1
LAN4_ADDR=192.168.0.254
MESH_ADDR=2001:db8:1c0:2:1::1
SERVER_MESH=2001:db8:1c0:2:1::2
HTTP_PORT=8080
UDP_PORT=9999

C_IF=$(e2e_if c)	# client's veth
L_IF=$(e2e_if l)	# daemon's lan4 veth
M_IF=$(e2e_if m)	# daemon's mesh6 veth
S_IF=$(e2e_if s)	# server's veth

# ---- topology ----------------------------------------------------------------
add_ns client
add_ns server
add_ns mx
ns_no_ipv6 client
ns_no_ipv6 mx
add_veth client "$C_IF" mx "$L_IF"
add_veth server "$S_IF" mx "$M_IF"
ns_no_ipv6 mx "$L_IF" "$M_IF"

ip -n "$(e2e_ns client)" addr add "$CLIENT4/24" dev "$C_IF" ||
	e2e_error "client address"
ip -n "$(e2e_ns client)" route add default via "$LAN4_ADDR" ||
	e2e_error "client route"
ip -n "$(e2e_ns server)" addr add "$SERVER_MESH/64" dev "$S_IF" nodad ||
	e2e_error "server address"
ip -n "$(e2e_ns server)" addr add "$SERVER6/128" dev lo ||
	e2e_error "server lo address"
ip -n "$(e2e_ns server)" route add fddd:1337:1337::/48 via "$MESH_ADDR" \
	dev "$S_IF" || e2e_error "server route"

E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $L_IF")
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $M_IF")

e2e_capture client "$C_IF"
e2e_capture server "$S_IF"

# ---- the daemon --------------------------------------------------------------
cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "12:34:56:78:9a:bc", "ipv4": ["$LAN4_ADDR/24"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "ipv6": ["$MESH_ADDR/64"]}
  ],
  "routes": [
    {"prefix": "64:ff9b:1:abcd:ef01:2345::/96", "port": "mesh",
     "via": "$SERVER_MESH"}
  ],
  "clat": {
    "clat_range": "fddd:1337:1337::/48",
    "plat_prefix": "64:ff9b:1:abcd:ef01:2345::/96",
    "client_port": "lan4"
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

mx_start mx "${MX_EAL[@]}" \
	--vdev "net_af_packet0,iface=$L_IF" \
	--vdev "net_af_packet1,iface=$M_IF" \
	-- --config "$MX_CONF" --stats-json "$MX_STATS"

# Ready when it answers ARP and ping on its lan4 address (EAL start-up
# takes a second or two); at most 60 x (1 s ping timeout + 0.5 s).
wait_until 60 0.5 "meshxlat answers ping on $LAN4_ADDR" \
	ns_exec client ping -n -c 1 -W 1 "$LAN4_ADDR"

# ---- checks ------------------------------------------------------------------
check "client pings the daemon's lan4 address $LAN4_ADDR (3 of 3)" \
	ping_all client -n -c 3 -i 0.2 -W 2 "$LAN4_ADDR"

check "server pings the daemon's mesh address $MESH_ADDR (3 of 3)" \
	ping_all server -n -6 -c 3 -i 0.2 -W 2 "$MESH_ADDR"

check "client pings $SERVER4 through the CLAT (3 of 3 answered)" \
	ping_all client -n -c 3 -i 0.2 -W 2 "$SERVER4"

check_output "TTL 1 to $SERVER4: Time to live exceeded from $LAN4_ADDR" \
	"From $LAN4_ADDR.*Time to live exceeded" \
	ns_exec client ping -n -c 1 -t 1 -W 2 "$SERVER4"

mkdir -p "$E2E_DIR/www" || e2e_error "mkdir www"
e2e_random_file "$E2E_DIR/www/blob" $((1024 * 1024))
http_start http server "$SERVER6" "$HTTP_PORT" "$E2E_DIR/www"
check "client fetches 1 MiB over HTTP from $SERVER4 (served on [$SERVER6])" \
	http_fetch_check client "http://$SERVER4:$HTTP_PORT/blob" \
	"$E2E_DIR/fetched" "$E2E_DIR/www/blob"

udp_echo_start udp-echo server "$SERVER6" "$UDP_PORT"
check "client gets a UDP echo from $SERVER4:$UDP_PORT (served on [$SERVER6])" \
	udp_ask client "$SERVER4" "$UDP_PORT" 100

mx_stop_check
e2e_log "== translation counters: $(mx_stat xlat46 xlat64 | tr '\n' ' ')"
e2e_pass
