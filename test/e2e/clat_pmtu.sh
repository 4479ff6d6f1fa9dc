#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# clat_pmtu: ICMP errors from IPv6 routers behind the CLAT reach IPv4
# clients translated (RFC 7915 section 5.2, with an RFC 6791 source for a
# router whose address has no IPv4 form), so that traceroute shows every
# hop and path MTU discovery works across a 1280-byte IPv6 link.
#
#   client 192.168.0.1 [c]--[l] meshxlat [m]--[a] router [b]--[s] server
#          /24                  CLAT          mtu 1500  mtu 1280  lo: 198.51.100.10
#                                                                  in the PLAT prefix
#
# Checks: TTL 1 -> time exceeded from the CLAT itself; TTL 2 -> the
# router's ICMPv6 time exceeded, translated, from the RFC 6791 address;
# TTL 3 -> the server answers. A TCP upload of 1 MiB with full-size
# segments: the router's "packet too big" (1280), translated to
# "fragmentation needed" (1260), shrinks the client's segments; the server
# receives every byte (sha256).
#
# Usage: clat_pmtu.sh PATH/TO/meshxlat; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init clat_pmtu "$@"

CLIENT4=192.168.0.1
LAN4_ADDR=192.168.0.254
SERVER4=198.51.100.10
SERVER6=64:ff9b:1:abcd:ef01:2345:c633:640a
MESH_ADDR=2001:db8:1c0:2:1::1
ROUTER_A=2001:db8:1c0:2:1::2
ROUTER_B=2001:db8:1c0:3::1
SERVER_B=2001:db8:1c0:3::2
RFC6791=192.0.0.9
TCP_PORT=5001

C_IF=$(e2e_if c) L_IF=$(e2e_if l) M_IF=$(e2e_if m)
A_IF=$(e2e_if a) B_IF=$(e2e_if b) S_IF=$(e2e_if s)

add_ns client
add_ns mx
add_ns router
add_ns server
ns_no_ipv6 client
ns_no_ipv6 mx
add_veth client "$C_IF" mx "$L_IF"
add_veth mx "$M_IF" router "$A_IF"
add_veth router "$B_IF" server "$S_IF"
ns_no_ipv6 mx "$L_IF" "$M_IF"

ip -n "$(e2e_ns client)" addr add "$CLIENT4/24" dev "$C_IF" || e2e_error client
ip -n "$(e2e_ns client)" route add default via "$LAN4_ADDR" || e2e_error route
ip -n "$(e2e_ns router)" addr add "$ROUTER_A/64" dev "$A_IF" nodad || e2e_error ra
ip -n "$(e2e_ns router)" addr add "$ROUTER_B/64" dev "$B_IF" nodad || e2e_error rb
ns_sysctl router net.ipv6.conf.all.forwarding=1
ip -n "$(e2e_ns router)" route add fddd:1337:1337::/48 via "$MESH_ADDR" ||
	e2e_error "router route"
# The 1280-byte link: a locked route MTU, so that the server's own MSS
# (from its 1500-byte interface) does not hide it from TCP.
ip -n "$(e2e_ns router)" route add 64:ff9b:1:abcd:ef01:2345::/96 \
	via "$SERVER_B" mtu lock 1280 || e2e_error "router route 2"
ip -n "$(e2e_ns server)" addr add "$SERVER_B/64" dev "$S_IF" nodad ||
	e2e_error "server address"
ip -n "$(e2e_ns server)" addr add "$SERVER6/128" dev lo || e2e_error lo
ip -n "$(e2e_ns server)" route add default via "$ROUTER_B" ||
	e2e_error "server route"
e2e_capture client "$C_IF"
e2e_capture server "$S_IF"

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
     "via": "$ROUTER_A"}
  ],
  "siit": { "rfc6791v4": ["$RFC6791"] },
  "clat": {
    "clat_range": "fddd:1337:1337::/48",
    "plat_prefix": "64:ff9b:1:abcd:ef01:2345::/96",
    "client_port": "lan4"
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

mx_start mx "${MX_EAL[@]}" \
	--vdev "net_af_packet0,iface=$L_IF" --vdev "net_af_packet1,iface=$M_IF" \
	-- --config "$MX_CONF" --stats-json "$MX_STATS"
wait_until 60 0.5 "the server answers through the CLAT" \
	ns_exec client ping -n -c 1 -W 1 "$SERVER4"

check_output "hop 1: time exceeded from the CLAT ($LAN4_ADDR)" \
	"From $LAN4_ADDR .*Time to live exceeded" \
	ns_exec client ping -n -c 1 -t 1 -W 2 "$SERVER4"
check_output "hop 2: the router's ICMPv6 time exceeded, translated, from $RFC6791" \
	"From $RFC6791 .*Time to live exceeded" \
	ns_exec client ping -n -c 1 -t 2 -W 2 "$SERVER4"
check "hop 3: the server answers" \
	ping_all client -n -c 1 -t 3 -W 2 "$SERVER4"

# A sink that reads until EOF and answers with the SHA-256 of what it got.
SINK_PY='
import hashlib, socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
s.settimeout(200)
c, _ = s.accept()
c.settimeout(60)
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(65536)
    if not b:
        break
    h.update(b)
    n += len(b)
c.sendall(h.hexdigest().encode())
c.close()
print("received %d bytes" % n, flush=True)
'
# The sender: full-size segments (DF set by Linux), then half-close and
# wait for the sink's digest.
SEND_PY='
import hashlib, socket, sys
data = open(sys.argv[3], "rb").read()
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
c.sendall(data)
c.shutdown(socket.SHUT_WR)
got = c.recv(100).decode()
want = hashlib.sha256(data).hexdigest()
print("sent %d bytes, sink sha256 %s" % (len(data), got))
sys.exit(0 if got == want else 1)
'
e2e_random_file "$E2E_DIR/upload" $((1024 * 1024))
bg_start sink server timeout 250 "$PY3" -c "$SINK_PY" "$SERVER6" "$TCP_PORT"
wait_until 50 0.1 "TCP sink on [$SERVER6]:$TCP_PORT" \
	e2e_listening server t "$TCP_PORT"
check "1 MiB TCP upload across the 1280-byte link (path MTU discovery)" \
	ns_exec client timeout 90 "$PY3" -c "$SEND_PY" "$SERVER4" "$TCP_PORT" \
	"$E2E_DIR/upload"
# 1260 = the router's 1280 - 20 (RFC 7915 5.2): only the translated
# "packet too big" can have taught the client that.
check_output "the client learned the smaller path MTU" "mtu 1260" \
	ns_exec client ip route get "$SERVER4"
mx_stop_check
e2e_log "== $(mx_stat xlat46 xlat64 icmp_error mtu_exceeded | tr '\n' ' ')"
e2e_pass
