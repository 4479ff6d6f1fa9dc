#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plat_basic: an IPv6-only host reaches an IPv4-only server through the
# PLAT (stateful NAT64, RFC 6146), seed 003's pool 10.23.0.9 ports
# 9000-10000.
#
#   host (IPv6 only)             mx (meshxlat)                 server (IPv4 only)
#   2001:db8:1c0:2:1::2/64 [h]---[m] mesh6 2001:db8:1c0:2:1::1/64
#   64:ff9b::/96 via ::1              wan4 198.51.100.1/24 [w]---[s] 198.51.100.7/24
#                                     pool 10.23.0.9/32              10.23.0.9 via .1
#
# The server is 64:ff9b::c633:6407 to the host (RFC 6052, the well-known
# prefix). The daemon's wan4 port answers ARP for the pool address, but the
# server reaches the pool through a route via the port's own address, as
# an upstream router would. The servers log the address and port of every
# peer, so the test sees what the NAT64 chose: 10.23.0.9 and a port (or
# ICMP echo identifier) in 9000-10000.
#
# Checks: ping, DNS over UDP, a 3 MiB HTTP download (sha256) and its
# speed, unsolicited IPv4 to the pool is dropped and counted, the PLAT's
# own address (prefix + 192.0.0.1) answers ping, the counters.
#
# Usage: plat_basic.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init plat_basic "$@"

TOOLS=$(readlink -f "$(dirname "$0")/plat_tools.py")
PLAT_PREFIX=64:ff9b::/96
POOL4=10.23.0.9
SERVER4=198.51.100.7
SERVER6=64:ff9b::c633:6407	# SERVER4 in PLAT_PREFIX
PLAT_MGMT6=64:ff9b::c000:1	# 192.0.0.1 in PLAT_PREFIX (seed 003)
WAN4_ADDR=198.51.100.1
MESH_ADDR=2001:db8:1c0:2:1::1
HOST6=2001:db8:1c0:2:1::2
HTTP_PORT=8000
DNS_PORT=53
SIZE=$((3 * 1024 * 1024))

H_IF=$(e2e_if h)	# host's veth
M_IF=$(e2e_if m)	# daemon's mesh6 veth
W_IF=$(e2e_if w)	# daemon's wan4 veth
S_IF=$(e2e_if s)	# server's veth

# ---- topology ----------------------------------------------------------------
add_ns host
add_ns server
add_ns mx
ns_no_ipv6 server
ns_no_ipv6 mx
add_veth host "$H_IF" mx "$M_IF"
add_veth server "$S_IF" mx "$W_IF"
ns_no_ipv6 mx "$M_IF" "$W_IF"

ip -n "$(e2e_ns host)" addr add "$HOST6/64" dev "$H_IF" nodad ||
	e2e_error "host address"
ip -n "$(e2e_ns host)" route add "$PLAT_PREFIX" via "$MESH_ADDR" dev "$H_IF" ||
	e2e_error "host route"
ip -n "$(e2e_ns server)" addr add "$SERVER4/24" dev "$S_IF" ||
	e2e_error "server address"
ip -n "$(e2e_ns server)" route add "$POOL4/32" via "$WAN4_ADDR" ||
	e2e_error "server route"

E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $M_IF")
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $W_IF")

e2e_capture host "$H_IF"
e2e_capture server "$S_IF"

# ---- the daemon --------------------------------------------------------------
cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "mesh", "device": "net_af_packet0", "role": "mesh6",
     "mac": "02:00:5e:10:00:01", "ipv6": ["$MESH_ADDR/64"]},
    {"name": "wan", "device": "net_af_packet1", "role": "wan4",
     "mac": "02:00:5e:10:00:02", "ipv4": ["$WAN4_ADDR/24"]}
  ],
  "plat": {
    "plat_prefix": "$PLAT_PREFIX",
    "pool4": [{"prefix": "$POOL4/32", "ports": "9000-10000"}]
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

mx_start mx "${MX_EAL[@]}" \
	--vdev "net_af_packet0,iface=$M_IF" \
	--vdev "net_af_packet1,iface=$W_IF" \
	-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"

wait_until 60 0.5 "meshxlat answers ping on $MESH_ADDR" \
	ns_exec host ping -n -6 -c 1 -W 1 "$MESH_ADDR"
wait_until 20 0.5 "meshxlat answers ping on $WAN4_ADDR" \
	ns_exec server ping -n -c 1 -W 1 "$WAN4_ADDR"

# ---- servers -----------------------------------------------------------------
mkdir -p "$E2E_DIR/www" || e2e_error "mkdir www"
e2e_random_file "$E2E_DIR/www/blob" "$SIZE"
bg_start http server timeout 250 "$PY3" "$TOOLS" http-serve "$SERVER4" \
	"$HTTP_PORT" "$E2E_DIR/www" 240
wait_until 50 0.1 "HTTP server on $SERVER4:$HTTP_PORT" \
	e2e_listening server t "$HTTP_PORT"
bg_start dns server timeout 250 "$PY3" "$TOOLS" dns-serve "$SERVER4" \
	"$DNS_PORT" 240
wait_until 50 0.1 "DNS server on $SERVER4:$DNS_PORT" \
	e2e_listening server u "$DNS_PORT"
bg_start icmp server timeout 250 "$PY3" "$TOOLS" icmp-log 240
wait_until 50 0.1 "ICMP logger" grep -q listening "$E2E_DIR/icmp.log"

# ---- checks ------------------------------------------------------------------
check "host pings $SERVER6 ($SERVER4) through the PLAT (3 of 3)" \
	ping_all host -n -6 -c 3 -i 0.2 -W 2 "$SERVER6"

check "the server saw the echo requests from $POOL4, identifier in 9000-10000" \
	"$PY3" "$TOOLS" peers "$E2E_DIR/icmp.log" 9000 10000 "$POOL4" 3

check "host asks the DNS server at [$SERVER6]:$DNS_PORT over UDP" \
	ns_exec host timeout 15 "$PY3" "$TOOLS" dns-ask "$SERVER6" "$DNS_PORT" \
	www.example.test

check "the DNS server saw the query from $POOL4, port in 9000-10000" \
	"$PY3" "$TOOLS" peers "$E2E_DIR/dns.log" 9000 10000 "$POOL4"

check "host downloads 3 MiB over HTTP from [$SERVER6]:$HTTP_PORT" \
	http_fetch_check host "http://[$SERVER6]:$HTTP_PORT/blob" \
	"$E2E_DIR/fetched" "$E2E_DIR/www/blob"

check "the HTTP server saw the connection from $POOL4, port in 9000-10000" \
	"$PY3" "$TOOLS" peers "$E2E_DIR/http.log" 9000 10000 "$POOL4"

check "the PLAT answers ping on its own address $PLAT_MGMT6 (prefix + 192.0.0.1)" \
	ping_all host -n -6 -c 2 -i 0.2 -W 2 "$PLAT_MGMT6"

# Unsolicited: the server to a pool port nobody holds. Nothing comes back
# to the host, and the daemon counts it (RFC 6146 3.5.1: silently dropped).
check "the server sends 3 unsolicited datagrams to $POOL4:9999" \
	ns_exec server "$PY3" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3):
    s.sendto(b"unsolicited", (sys.argv[1], 9999))' "$POOL4"

# The data segments (about 2200 of them) went out2in, the ACKs in2out. No
# drop but the unsolicited datagrams; local_icmp counts the host's MLD
# reports (ICMPv6 to the box that meshxlat does not answer and, without a
# kernel mirror, cannot punt).
check "the counters: translated both ways, the unsolicited ones dropped" \
	mx_check_stats 'events["nat64_in2out"] > 300' \
	'events["nat64_out2in"] > 2000' 'drops["nat64_no_bib"] == 3' \
	'other_drops("nat64_no_bib", "local_icmp") == {}' \
	'events["handoff"] == 0'

mx_stop_check
e2e_log "== NAT64 counters: $(mx_stat nat64_in2out nat64_out2in nat64_no_bib | tr '\n' ' ')"
e2e_pass
