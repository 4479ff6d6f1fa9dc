#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# kernel_mirror: traffic for the box that meshxlat does not answer itself
# reaches the kernel through the port's TAP mirror, and what the kernel
# sends through the TAP leaves by the port (ARCHITECTURE.md: "Traffic for
# the box itself ... is punted to a kernel mirror interface").
#
#   client 192.168.0.1/24 [c]---[l] meshxlat lan4 192.168.0.254/24
#                                   kernel_mirror TAP "k": 192.168.0.254/24,
#                                   the port's MAC, in the daemon's namespace
#
# Checks: a UDP service of the kernel (standing in for babeld, DHCP, SSH)
# answers the client; the kernel pings the client (its ARP request goes out
# through the port, the reply and the echo reply come back through the
# TAP); meshxlat itself still answers ping; the punt and from_kernel
# counters moved.
#
# Usage: kernel_mirror.sh PATH/TO/meshxlat; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init kernel_mirror "$@"

CLIENT4=192.168.0.1
BOX4=192.168.0.254
UDP_PORT=6696		# babel's

C_IF=$(e2e_if c)
L_IF=$(e2e_if l)
K_IF=$(e2e_if k)

add_ns client
add_ns mx
ns_no_ipv6 client
ns_no_ipv6 mx
add_veth client "$C_IF" mx "$L_IF"
ns_no_ipv6 mx "$L_IF"
ip -n "$(e2e_ns client)" addr add "$CLIENT4/24" dev "$C_IF" ||
	e2e_error "client address"
e2e_capture client "$C_IF"

cat >"$MX_CONF" <<EOF
{
  "ports": [
    {"name": "lan4", "device": "net_af_packet0", "role": "lan4",
     "mac": "12:34:56:78:9a:bc", "ipv4": ["$BOX4/24"],
     "kernel_mirror": "$K_IF"}
  ],
  "workers": {"lcores": 1, "idle_sleep_us": 50}
}
EOF

mx_start mx "${MX_EAL[@]}" --vdev "net_af_packet0,iface=$L_IF" \
	-- --config "$MX_CONF" --stats-json "$MX_STATS"
wait_until 60 0.5 "the kernel mirror $K_IF exists" \
	ns_exec mx ip link show "$K_IF"
check "the mirror has the port's MAC" \
	sh -c "ip netns exec $(e2e_ns mx) ip link show $K_IF | grep -q 12:34:56:78:9a:bc"
ip -n "$(e2e_ns mx)" addr add "$BOX4/24" dev "$K_IF" || e2e_error "tap address"
ip -n "$(e2e_ns mx)" link set "$K_IF" up || e2e_error "tap up"
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip -s link show $K_IF")
E2E_DIAG+=("ip netns exec $(e2e_ns mx) ip neigh")

wait_until 60 0.5 "meshxlat answers ping on $BOX4" \
	ns_exec client ping -n -c 1 -W 1 "$BOX4"

udp_echo_start kernel-udp mx "$BOX4" "$UDP_PORT"
check "a UDP service of the kernel on $BOX4:$UDP_PORT answers the client" \
	udp_ask client "$BOX4" "$UDP_PORT" 100

check "the kernel pings the client through the mirror (3 of 3)" \
	ping_all mx -n -c 3 -i 0.2 -W 2 "$CLIENT4"

check "meshxlat itself still answers the client's ping (3 of 3)" \
	ping_all client -n -c 3 -i 0.2 -W 2 "$BOX4"

mx_stop_check
check "packets were punted to the kernel and sent by it" \
	"$PY3" -c 'import json, sys
c = json.load(open(sys.argv[1]))["counters"]
print("punt", c["punt"], "from_kernel", c["from_kernel"])
assert c["punt"] >= 4 and c["from_kernel"] >= 4' "$MX_STATS"
e2e_pass
