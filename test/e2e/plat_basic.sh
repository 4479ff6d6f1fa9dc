#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plat_basic: an IPv6-only host reaches an IPv4-only server through the
# PLAT (stateful NAT64, RFC 6146), seed 003's pool 10.23.0.9 ports
# 9000-10000.
#
# The topology is plat_lib.sh's (host -- mx -- server). The servers log
# the address and port of every peer, so the test sees what the NAT64
# chose: 10.23.0.9 and a port (or ICMP echo identifier) in 9000-10000.
#
# Checks: ping, DNS over UDP, a 3 MiB HTTP download (sha256) and its
# speed, unsolicited IPv4 to the pool is dropped and counted, the PLAT's
# own address (prefix + 192.0.0.1) answers ping, the counters.
#
# Usage: plat_basic.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init plat_basic "$@"

# shellcheck source=test/e2e/plat_lib.sh
. "$(dirname "$0")/plat_lib.sh"

SIZE=$((3 * 1024 * 1024))

plat_topology "$HOST6"
plat_config "" '{"lcores": 1, "idle_sleep_us": 50}'
plat_start 1

# ---- servers -----------------------------------------------------------------
mkdir -p "$E2E_DIR/www" || e2e_error "mkdir www"
e2e_random_file "$E2E_DIR/www/blob" "$SIZE"
plat_http_start "$E2E_DIR/www"
plat_dns_start
bg_start icmp server timeout 250 "$PY3" "$PLAT_TOOLS" icmp-log 240
wait_until 50 0.1 "ICMP logger" grep -q listening "$E2E_DIR/icmp.log"

# ---- checks ------------------------------------------------------------------
check "host pings $SERVER6 ($SERVER4) through the PLAT (3 of 3)" \
	ping_all host -n -6 -c 3 -i 0.2 -W 2 "$SERVER6"

check "the server saw the echo requests from $POOL4, identifier in 9000-10000" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/icmp.log" 9000 10000 "$POOL4" 3

check "host asks the DNS server at [$SERVER6]:$DNS_PORT over UDP" \
	ns_exec host timeout 15 "$PY3" "$PLAT_TOOLS" dns-ask "$SERVER6" "$DNS_PORT" \
	www.example.test

check "the DNS server saw the query from $POOL4, port in 9000-10000" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/dns.log" 9000 10000 "$POOL4"

check "host downloads 3 MiB over HTTP from [$SERVER6]:$HTTP_PORT" \
	http_fetch_check host "http://[$SERVER6]:$HTTP_PORT/blob" \
	"$E2E_DIR/fetched" "$E2E_DIR/www/blob"

check "the HTTP server saw the connection from $POOL4, port in 9000-10000" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/http.log" 9000 10000 "$POOL4"

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
