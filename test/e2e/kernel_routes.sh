#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# kernel_routes: what a routing daemon installs in the kernel through a
# port's mirror becomes a route of the data path, and an address the
# kernel takes on the mirror becomes the box's (the kernel_routes
# section; app/meshxlat/kroute.c). babeld needs exactly this; here `ip
# route ... proto babel` stands in for it, which is what babeld itself
# does through rtnetlink.
#
#   lan host 2001:db8:1::2 [h]---[l] meshxlat lan 2001:db8:1::1/64
#                                    meshxlat mesh 2001:db8:2::1/64 [m]---[r] router 2001:db8:2::2/64
#                                    TAP "k" (mesh's mirror): 2001:db8:2::1/64      holds 2001:db8:99::1
#
# Checks: without a route the lan host cannot reach 2001:db8:99::1; a
# `proto babel` route through the TAP makes it reachable within seconds
# (route.list type kernel); a `proto static` route is not imported
# (protocols: ["babel"]); an address added to the TAP is the box's
# (meshxlat answers ping on it, a UDP service of the kernel on it answers
# the router); deleting the route and the address takes them away again.
#
# route_has PREFIX TYPE: route.list holds PREFIX with TYPE ("" for any).
# 0 yes, 1 no, 2 when route.list could not be read (so that "! route_has"
# does not pass on a dead socket: use route_lacks).
route_has()
{
	local out

	out=$(mxctl --json route.list) || return 2
	printf '%s' "$out" | "$PY3" -c 'import json, sys
try:
    r = json.load(sys.stdin)["routes"]
except (ValueError, KeyError):
    sys.exit(2)
sys.exit(0 if any(x["prefix"] == sys.argv[1] and
                  sys.argv[2] in ("", x["type"]) for x in r) else 1)' "$1" "$2"
}

# route_lacks PREFIX...: route.list was read and holds none of them.
route_lacks()
{
	local p

	for p in "$@"; do
		route_has "$p" ''
		[ $? -eq 1 ] || return 1
	done
}

# Usage: kernel_routes.sh PATH/TO/meshxlat PATH/TO/meshxlatctl; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init kernel_routes "$@"

H_IF=$(e2e_if h)
L_IF=$(e2e_if l)
M_IF=$(e2e_if m)
R_IF=$(e2e_if r)
K_IF=$(e2e_if k)
FAR=2001:db8:99::1
AGENT=2001:db8:2::77

add_ns host
add_ns mx
add_ns router
add_veth host "$H_IF" mx "$L_IF"
add_veth mx "$M_IF" router "$R_IF"
ns_exec host ip -6 addr add 2001:db8:1::2/64 dev "$H_IF" nodad
ns_exec host ip -6 route add default via 2001:db8:1::1
ns_exec router ip -6 addr add 2001:db8:2::2/64 dev "$R_IF" nodad
ns_exec router ip -6 addr add "$FAR/64" dev lo nodad
ns_exec router ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1
ns_sysctl router net.ipv6.conf.all.forwarding=1 >/dev/null

cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "lan", "device": "net_af_packet0", "role": "mesh6",
     "ipv6": ["2001:db8:1::1/64"]},
    {"name": "mesh", "device": "net_af_packet1", "role": "mesh6",
     "mac": "02:00:00:00:02:01", "ipv6": ["2001:db8:2::1/64"],
     "kernel_mirror": "$K_IF"}
  ],
  "kernel_routes": {"protocols": ["babel"]},
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

mx_start mx "${MX_EAL[@]}" --vdev "net_af_packet0,iface=$L_IF" \
	--vdev "net_af_packet1,iface=$M_IF" \
	-- --config "$MX_CONF" --socket "$MX_SOCK" --stats-json "$MX_STATS"
wait_until 60 0.5 "the kernel mirror $K_IF exists" \
	ns_exec mx ip link show "$K_IF"
ns_exec mx ip -6 addr add 2001:db8:2::1/64 dev "$K_IF" nodad ||
	e2e_error "tap address"
ns_exec mx ip link set "$K_IF" up || e2e_error "tap up"
wait_until 60 0.5 "the control socket" mxctl sys.info.get
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -6 route")
E2E_DIAG+=("$MESHXLATCTL --socket $MX_SOCK route.list")

wait_until 30 0.5 "meshxlat answers the lan host" \
	ns_exec host ping -n -c 1 -W 1 2001:db8:1::1
check "no route to $FAR yet" \
	sh -c "! ip netns exec $(e2e_ns host) ping -n -c 1 -W 1 $FAR"

ns_exec mx ip -6 route add 2001:db8:99::/64 via 2001:db8:2::2 dev "$K_IF" \
	proto babel || e2e_error "babel route"
ns_exec mx ip -6 route add 2001:db8:98::/64 via 2001:db8:2::2 dev "$K_IF" \
	proto static || e2e_error "static route"
wait_until 20 0.2 "the babel route is imported" \
	route_has 2001:db8:99::/64 kernel
check "the lan host reaches $FAR through it (3 of 3)" \
	ping_all host -n -c 3 -i 0.2 -W 2 "$FAR"
check "the proto static route is not imported" \
	route_lacks 2001:db8:98::/64

ns_exec mx ip -6 addr add "$AGENT/128" dev "$K_IF" nodad ||
	e2e_error "agent address"
wait_until 20 0.2 "the kernel's address is the box's" \
	route_has "$AGENT/128" kernel-local
check "meshxlat answers ping on it (3 of 3)" \
	ping_all router -n -c 3 -i 0.2 -W 2 "$AGENT"
udp_echo_start agent-udp mx "$AGENT" 5523
check "a UDP service of the kernel on it answers the router" \
	udp_ask router "$AGENT" 5523 100

ns_exec mx ip -6 route del 2001:db8:99::/64 dev "$K_IF" ||
	e2e_error "route del"
ns_exec mx ip -6 addr del "$AGENT/128" dev "$K_IF" || e2e_error "addr del"
wait_until 20 0.2 "the route and the address are gone" \
	route_lacks 2001:db8:99::/64 "$AGENT/128"
check "and $FAR is unreachable again" \
	sh -c "! ip netns exec $(e2e_ns host) ping -n -c 1 -W 1 $FAR"

mx_stop_check
e2e_pass
