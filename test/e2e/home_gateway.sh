#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The helpers run through check and wait_until, which shellcheck cannot
# follow:
# shellcheck disable=SC2317
#
# home_gateway: seed 002 end to end. meshxlat is the home gateway (its
# firewall has the seed's suffix rule), the ISP renumbers the LAN twice
# (prefix.set, as a DHCPv6-PD hook would call it; the LAN hosts move
# their addresses the way SLAAC does), and meshxlat-ddns, following
# meshxlat's prefix.changed events, keeps the names in a real BIND9.
#
#   outside (the Internet, the ISP,        mx (meshxlat + meshxlat-ddns)
#   and the DNS provider: named)
#   2001:db8:ffff:1::fe/64 [o]---------[w] wan6 2001:db8:ffff:1::1/64
#   2001:db8::/32 via ...ffff:1::1          lan6 P::1/64 [l]----[p0] br0 (sw)
#   fd53::53/64 [n]----------------------[m] fd53::2/64     server [s]--[p1]
#   named: zone home.example., TSIG key  (the agent's way to named: a side
#   HTTP on :80 (the laptop's target)     link of the box's own kernel)
#                                          server P:1234:5678:abcd:ef01
#                                            HTTPS 443 (the seed's rule),
#                                            HTTP 8080 (closed)
#                                          laptop [t]--[p2] P:1034:56ff:fe78:9abc
#                                            (MAC 12:34:56:78:9a:bc), :22
#
# The agent's hosts: nas (the server's suffix) and laptop (by its MAC,
# EUI-64). P is 2001:db8:1234:1::/64, then 2001:db8:1234:2::/64, then
# 2001:db8:5678:7::/64 (another delegation altogether).
#
# Then the delegation is withdrawn (prefix.del: the names stay) and a /56
# arrives (the LAN keeps its subnet id: 2001:db8:9a00:7::/64; the event
# has the /56, so the agent asks prefix.get).
#
# Each prefix: dig from outside shows the new AAAA of both names within a
# few seconds (polled); outside reaches https://nas.home.example/ through
# the firewall (curl --resolve with the address dig gave), and nothing
# else: the server's 8080 and the laptop's 22 and 443 by name are dropped
# (curl times out); the laptop's own connection to the Internet works.
# Then meshxlat restarts (with the last prefix in its config, as a hook
# would have written it): the agent reconnects by itself and sends
# nothing, the names being right already.
#
# Usage: home_gateway.sh MESHXLAT MESHXLATCTL MESHXLAT-DDNS; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=test/e2e/ddns_lib.sh
. "$(dirname "$0")/ddns_lib.sh"

e2e_init home_gateway "$1" "$2"
MXCTL=${2:-}
DDNS=${3:-}
if [ ! -x "$MXCTL" ] || [ ! -x "$DDNS" ]; then
	e2e_error "usage: $0 MESHXLAT MESHXLATCTL MESHXLAT-DDNS"
fi
DDNS=$(readlink -f "$DDNS")
command -v openssl >/dev/null 2>&1 ||
	e2e_error "missing tool: openssl (Debian: openssl)"
dns_setup "$E2E_DIR/dns"

WAN_ADDR=2001:db8:ffff:1::1
GW=2001:db8:ffff:1::fe
SUF=1234:5678:abcd:ef01
LSUF=1034:56ff:fe78:9abc
LMAC=12:34:56:78:9a:bc
P1=2001:db8:1234:1
P2=2001:db8:1234:2
P3=2001:db8:5678:7
P4=2001:db8:9a00:7	# after prefix.del and a /56: 2001:db8:9a00::/56
SOCK=$E2E_DIR/ctl.sock

O_IF=$(e2e_if o)
W_IF=$(e2e_if w)
L_IF=$(e2e_if l)
S_IF=$(e2e_if s)
T_IF=$(e2e_if t)
N_IF=$(e2e_if n)
M_IF=$(e2e_if m)
P0=$(e2e_if p0)
P1IF=$(e2e_if p1)
P2IF=$(e2e_if p2)

# ---- topology ----------------------------------------------------------------
for n in outside mx sw server laptop; do
	add_ns "$n"
done
ns_no_ipv6 sw
add_veth outside "$O_IF" mx "$W_IF"
add_veth mx "$L_IF" sw "$P0"
add_veth server "$S_IF" sw "$P1IF"
add_veth laptop "$T_IF" sw "$P2IF"
add_veth outside "$N_IF" mx "$M_IF"
# meshxlat's ports have IPv6 off on the kernel side: meshxlat answers.
ns_no_ipv6 mx "$W_IF" "$L_IF"
ns_no_ipv6 sw "$P0" "$P1IF" "$P2IF"

SW=$(e2e_ns sw)
ip -n "$SW" link add br0 type bridge mcast_snooping 0 || e2e_error "bridge"
for p in "$P0" "$P1IF" "$P2IF"; do
	ip -n "$SW" link set "$p" master br0 || e2e_error "bridge port $p"
done
ns_no_ipv6 sw br0
ip -n "$SW" link set br0 up || e2e_error "bridge up"

ip -n "$(e2e_ns outside)" addr add "$GW/64" dev "$O_IF" nodad ||
	e2e_error "outside address"
ip -n "$(e2e_ns outside)" route add 2001:db8::/32 via "$WAN_ADDR" \
	dev "$O_IF" || e2e_error "outside route"
ip -n "$(e2e_ns outside)" addr add fd53::53/64 dev "$N_IF" nodad ||
	e2e_error "named's address"
ip -n "$(e2e_ns mx)" addr add fd53::2/64 dev "$M_IF" nodad ||
	e2e_error "the box's side link"
ip -n "$(e2e_ns laptop)" link set "$T_IF" address "$LMAC" ||
	e2e_error "laptop MAC"

# host_addr NS IF PREFIX SUFFIX: SLAAC's way to a new prefix: the new
# address and the default route through the gateway's new address come,
# the old address is deprecated (preferred_lft 0), then removed.
host_addr()
{
	local ns old
	ns=$(e2e_ns "$1")
	old=$(ip -n "$ns" -6 -o addr show dev "$2" scope global |
	      awk '{print $4}')
	ip -n "$ns" addr add "$3:$4/64" dev "$2" nodad || return 1
	ip -n "$ns" -6 route replace default via "$3::1" dev "$2" || return 1
	for a in $old; do
		ip -n "$ns" addr change "$a" dev "$2" preferred_lft 0 &&
		ip -n "$ns" addr del "$a" dev "$2" || return 1
	done
	ip -n "$ns" -6 -o addr show dev "$2" scope global
}
host_addr server "$S_IF" "$P1" "$SUF" >/dev/null || e2e_error "server address"
host_addr laptop "$T_IF" "$P1" "$LSUF" >/dev/null || e2e_error "laptop address"

# ---- named, the daemon, the agent ------------------------------------------------
dns_start outside fd53::53

SEED_RULE='-A forwarding_rule -d ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff -p tcp -m tcp --dport 443 -m comment --comment \"Inbound-HTTPS\" -o br-lan -j ACCEPT'
LAN_OUT='-A forwarding_rule -i br-lan -j ACCEPT'
# write_mx_conf LAN_PREFIX
write_mx_conf()
{
	cat >"$MX_CONF" <<EOC
{
  "ports": [
    {"name": "wan6", "device": "net_af_packet0", "role": "wan6",
     "ipv6": ["$WAN_ADDR/64"]},
    {"name": "lan6", "device": "net_af_packet1", "role": "mesh6",
     "ipv6": ["$1::1/64"]}
  ],
  "routes": [{"prefix": "::/0", "port": "wan6", "via": "$GW"}],
  "firewall": {
    "default_inbound": "drop",
    "interfaces": {"br-lan": "lan6"},
    "icmpv6_allow": ["packet-too-big", "destination-unreachable",
                     "time-exceeded", "parameter-problem", "echo-request",
                     "echo-reply", "neighbour-solicitation",
                     "neighbour-advertisement"],
    "rules": ["$SEED_RULE", "$LAN_OUT"]
  },
  "workers": {"lcores": 1, "idle_sleep_us": 50},
  "control": {"socket": "$SOCK"}
}
EOC
}
write_mx_conf "$P1"
mx_up()
{
	mx_start mx "${MX_EAL[@]}" \
		--vdev "net_af_packet0,iface=$W_IF" \
		--vdev "net_af_packet1,iface=$L_IF" \
		-- --config "$MX_CONF" --stats-json "$MX_STATS"
}
mx_up
E2E_DIAG+=("$MXCTL --socket $SOCK prefix.get")
E2E_DIAG+=("$MXCTL --socket $SOCK fw.rule.list")
wait_until 60 0.5 "meshxlat answers ping on $P1::1 from the laptop" \
	ns_exec laptop ping -n -c 1 -W 1 "$P1::1"
wait_until 20 0.5 "the socket answers prefix.get" \
	"$MXCTL" --socket "$SOCK" --timeout 5 prefix.get

cat >"$E2E_DIR/ddns.json" <<EOC
{
	"zone": "home.example",
	"server": { "address": "fd53::53" },
	"key": "$E2E_DIR/dns/good.key",
	"ttl": 60,
	"timeout": 3,
	"hosts": [
		{ "name": "nas", "suffix": "::$SUF" },
		{ "name": "laptop", "mac": "$LMAC" }
	],
	"source": { "meshxlat": { "socket": "$SOCK", "port": "lan6" } },
	"retry": { "min": 0.5, "max": 4 }
}
EOC
bg_start ddns mx timeout 280 "$DDNS" --config "$E2E_DIR/ddns.json"

# ---- the services --------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-days 2 -subj "/CN=nas.home.example" -keyout "$E2E_DIR/key.pem" \
	-out "$E2E_DIR/cert.pem" >"$E2E_DIR/openssl.log" 2>&1 ||
	e2e_error "openssl req failed (see $E2E_DIR/openssl.log)"
mkdir -p "$E2E_DIR/www" "$E2E_DIR/www-out" || e2e_error "mkdir"
echo "the home server's page" >"$E2E_DIR/www/index.html"
echo "a page on the Internet" >"$E2E_DIR/www-out/index.html"
# Bound to :: so that they keep serving on each new address.
HTTPS_PY='
import functools, http.server, socket, ssl, sys
port, cert, key, d = sys.argv[1:5]
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
s = S(("::", int(port)),
      functools.partial(http.server.SimpleHTTPRequestHandler, directory=d))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.serve_forever()
'
bg_start https server timeout 270 "$PY3" -c "$HTTPS_PY" 443 \
	"$E2E_DIR/cert.pem" "$E2E_DIR/key.pem" "$E2E_DIR/www"
wait_until 50 0.1 "HTTPS server on :443" e2e_listening server t 443
http_start http-8080 server :: 8080 "$E2E_DIR/www"
http_start ssh-ish laptop :: 22 "$E2E_DIR/www"
bg_start https-laptop laptop timeout 270 "$PY3" -c "$HTTPS_PY" 443 \
	"$E2E_DIR/cert.pem" "$E2E_DIR/key.pem" "$E2E_DIR/www"
http_start http-out outside "$GW" 80 "$E2E_DIR/www-out"

# ---- helpers -----------------------------------------------------------------
both_at()
{
	dns_expect nas "$1:$SUF" && dns_expect laptop "$1:$LSUF"
}

# by_name URL PORT NAME: curl from outside, NAME resolved by asking our
# named (dig), not /etc/hosts: curl --resolve NAME:PORT:[ADDR].
by_name()
{
	local a
	a=$(dns_aaaa "$3")
	[ -n "$a" ] || { echo "no AAAA for $3"; return 1; }
	echo "dig: $3.home.example AAAA $a"
	ns_exec outside curl -sS -g -k --connect-timeout "${4:-5}" \
		--max-time "${5:-10}" \
		--resolve "$3.home.example:$2:[$a]" \
		-w '\nHTTP %{http_code} in %{time_total} s\n' "$1"
}

blocked_by_name()
{
	local rc
	by_name "$1" "$2" "$3" 3 5 >/dev/null
	rc=$?
	echo "curl exit $rc (28: timed out)"
	[ "$rc" -eq 28 ]
}

fetch()
{
	ns_exec "$1" curl -sS -g -k --connect-timeout 5 --max-time 10 \
		-w '\nHTTP %{http_code} in %{time_total} s\n' "$2"
}

# check_prefix P: the whole story for one prefix.
check_prefix()
{
	wait_until 40 0.25 "dig from outside: nas and laptop under $1" \
		both_at "$1"
	check_output "outside fetches https://nas.home.example/ by name" \
		"the home server's page" \
		by_name "https://nas.home.example/" 443 nas
	check "outside cannot reach nas.home.example:8080" \
		blocked_by_name "http://nas.home.example:8080/" 8080 nas
	check "outside cannot reach laptop.home.example:22" \
		blocked_by_name "http://laptop.home.example:22/" 22 laptop
	check "outside cannot reach laptop.home.example:443" \
		blocked_by_name "https://laptop.home.example/" 443 laptop
	check_output "the laptop gets out (http://[$GW]/)" \
		"a page on the Internet" fetch laptop "http://[$GW]:80/"
}

# renumber P: what a DHCPv6-PD hook and the LAN's SLAAC do.
renumber()
{
	check_output "prefix.set lan6 $1::/64 (the hook)" '"changed": true' \
		"$MXCTL" --socket "$SOCK" --json prefix.set port=lan6 \
		prefix="$1::/64"
	check "the server moves to $1:$SUF" host_addr server "$S_IF" "$1" "$SUF"
	check "the laptop moves to $1:$LSUF" host_addr laptop "$T_IF" "$1" "$LSUF"
}

# ---- checks ------------------------------------------------------------------
check_prefix "$P1"
check_output "the agent took the prefix from meshxlat" \
	"prefix $P1::/64 \(was none\) from meshxlat" cat "$E2E_DIR/ddns.log"
renumber "$P2"
check_prefix "$P2"
renumber "$P3"
check_prefix "$P3"
check_output "each change logged, with the old address" \
	"changed nas.home.example. AAAA $P3:$SUF \(was $P2:$SUF\)" \
	cat "$E2E_DIR/ddns.log"
check_output "three nsupdate runs: start and two renumberings" \
	"^3$" grep -c "sending an update" "$E2E_DIR/ddns.log"

# The delegation is withdrawn, then a /56 comes: meshxlat keeps the LAN's
# subnet id (7) inside it, the event carries the /56, and the agent asks
# prefix.get for the LAN's /64.
check_output "prefix.del lan6 (the hook, on 'unbound')" '"changed": true' \
	"$MXCTL" --socket "$SOCK" --json prefix.del port=lan6
wait_until 40 0.25 "the agent saw the prefix go" \
	grep -q "prefix none (was $P3::/64) from meshxlat" "$E2E_DIR/ddns.log"
check "the names stay meanwhile" both_at "$P3"
check_output "prefix.set lan6 2001:db8:9a00::/56 (a new delegation)" \
	'"changed": true' "$MXCTL" --socket "$SOCK" --json prefix.set \
	port=lan6 prefix=2001:db8:9a00::/56
check_output "the LAN is $P4::/64 (subnet id kept)" "\"$P4::/64\"" \
	"$MXCTL" --socket "$SOCK" --json prefix.get
check "the server moves to $P4:$SUF" host_addr server "$S_IF" "$P4" "$SUF"
check "the laptop moves to $P4:$LSUF" host_addr laptop "$T_IF" "$P4" "$LSUF"
check_prefix "$P4"
check_output "four nsupdate runs" \
	"^4$" grep -c "sending an update" "$E2E_DIR/ddns.log"

# meshxlat restarts with the last prefix in its config.
mx_stop
check "meshxlat exited 0 on SIGTERM" test "$MX_RC" = 0
write_mx_conf "$P4"
mx_up
wait_until 60 0.5 "meshxlat is back (ping $P4::1 from the laptop)" \
	ns_exec laptop ping -n -c 1 -W 1 "$P4::1"
reconnected()
{
	[ "$(grep -c 'connected to meshxlat' "$E2E_DIR/ddns.log")" -ge 2 ]
}
wait_until 60 0.5 "the agent reconnected by itself" reconnected
sleep 1
check_output "and sent nothing: the names are right (still 4 runs)" \
	"^4$" grep -c "sending an update" "$E2E_DIR/ddns.log"
check_prefix "$P4"

mx_stop_check
e2e_show_file "agent log" "$E2E_DIR/ddns.log"
e2e_pass
