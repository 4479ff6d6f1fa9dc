# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# The topology of the one-PLAT tests (plat_basic, plat_restart,
# plat_handoff), sourced after lib.sh and e2e_init:
#
#   host (IPv6 only)              mx (meshxlat)                  server (IPv4 only)
#   2001:db8:1c0:2:1::2/64 [h]---[m] mesh6 2001:db8:1c0:2:1::1/64
#   64:ff9b::/96 via ::1              wan4 198.51.100.1/24 [w]---[s] 198.51.100.7/24
#                                     pool 10.23.0.9/32              10.23.0.9 via .1
#
# The server is 64:ff9b::c633:6407 to the host (RFC 6052, the well-known
# prefix). The daemon's wan4 port answers ARP for the pool address, but the
# server reaches the pool through a route via the port's own address, as
# an upstream router would. Both ports have fixed MACs, so a restarted
# daemon looks the same to the hosts.
#
#	plat_topology ADDR6...		# namespaces, veths, addresses, routes;
#					# ADDR6: the host's addresses in the /64
#	plat_config PLAT_EXTRA WORKERS	# $MX_CONF; PLAT_EXTRA: more members of
#					# the plat section (JSON, may be empty),
#					# WORKERS: the workers section
#	plat_start QUEUES		# mx_start on af_packet vdevs (QUEUES
#					# queue pairs each: one per worker) with
#					# PLAT_LCORES, then wait until it answers;
#					# E2E_AFP_EXTRA=",framecnt=8192" adds
#					# af_packet devargs
#	plat_http_start DIR		# the servers on SERVER4, logging their
#	plat_dns_start			# peers to $E2E_DIR/{http,dns}.log
#
# plat_464xlat uses the servers and the constants too.
#
# The test scripts read these.
# shellcheck disable=SC2034
PLAT_TOOLS=$(readlink -f "$(dirname "$0")/plat_tools.py")
PLAT_PREFIX=64:ff9b::/96
POOL4=10.23.0.9
POOL_PORTS=9000-10000
SERVER4=198.51.100.7
SERVER6=64:ff9b::c633:6407	# SERVER4 in PLAT_PREFIX
PLAT_MGMT6=64:ff9b::c000:1	# 192.0.0.1 in PLAT_PREFIX (seed 003)
WAN4_ADDR=198.51.100.1
MESH_ADDR=2001:db8:1c0:2:1::1
HOST6=2001:db8:1c0:2:1::2
# shellcheck disable=SC2054 # "0,1" is one argument
PLAT_LCORES=(-l 0,1)		# EAL's lcores: the main one and one worker
HTTP_PORT=8000
DNS_PORT=53

H_IF=$(e2e_if h)	# host's veth
M_IF=$(e2e_if m)	# daemon's mesh6 veth
W_IF=$(e2e_if w)	# daemon's wan4 veth
S_IF=$(e2e_if s)	# server's veth

plat_topology()
{
	local a

	add_ns host
	add_ns server
	add_ns mx
	ns_no_ipv6 server
	ns_no_ipv6 mx
	add_veth host "$H_IF" mx "$M_IF"
	add_veth server "$S_IF" mx "$W_IF"
	ns_no_ipv6 mx "$M_IF" "$W_IF"

	for a in "$@"; do
		ip -n "$(e2e_ns host)" addr add "$a/64" dev "$H_IF" nodad ||
			e2e_error "host address $a"
	done
	ip -n "$(e2e_ns host)" route add "$PLAT_PREFIX" via "$MESH_ADDR" \
		dev "$H_IF" || e2e_error "host route"
	ip -n "$(e2e_ns server)" addr add "$SERVER4/24" dev "$S_IF" ||
		e2e_error "server address"
	ip -n "$(e2e_ns server)" route add "$POOL4/32" via "$WAN4_ADDR" ||
		e2e_error "server route"

	E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $M_IF")
	E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -d link show $W_IF")
	e2e_capture host "$H_IF"
	e2e_capture server "$S_IF"
}

plat_config()
{
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
    "pool4": [{"prefix": "$POOL4/32", "ports": "$POOL_PORTS"}],
    ${1:+$1,}
    "max_sessions": 65536
  },
  "workers": $2
}
EOF
}

plat_start()
{
	local q=$1 qa=
	# shellcheck disable=SC2054 # "-m 512" etc. are pairs, not lists
	local eal=(--no-huge -m 512 --no-shconf --no-pci "${PLAT_LCORES[@]}"
		--file-prefix "$MX_FILE_PREFIX")

	[ "$q" = 1 ] || qa=",qpairs=$q"
	qa=$qa${E2E_AFP_EXTRA:-}
	mx_start mx "${eal[@]}" \
		--vdev "net_af_packet0,iface=$M_IF$qa" \
		--vdev "net_af_packet1,iface=$W_IF$qa" \
		-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"
	# Fine-grained (a restart measures this gap): up to 30 s.
	wait_until 150 0.1 "meshxlat answers ping on $MESH_ADDR" \
		ns_exec host ping -n -6 -c 1 -W 0.1 "$MESH_ADDR"
	wait_until 20 0.5 "meshxlat answers ping on $WAN4_ADDR" \
		ns_exec server ping -n -c 1 -W 1 "$WAN4_ADDR"
}

plat_http_start()
{
	bg_start http server timeout 250 "$PY3" "$PLAT_TOOLS" http-serve \
		"$SERVER4" "$HTTP_PORT" "$1" 240
	wait_until 50 0.1 "HTTP server on $SERVER4:$HTTP_PORT" \
		e2e_listening server t "$HTTP_PORT"
}

plat_dns_start()
{
	bg_start dns server timeout 250 "$PY3" "$PLAT_TOOLS" dns-serve \
		"$SERVER4" "$DNS_PORT" 240
	wait_until 50 0.1 "DNS server on $SERVER4:$DNS_PORT" \
		e2e_listening server u "$DNS_PORT"
}
