# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Helpers of the roaming e2e tests (roam_tcp.sh, mesh_roam.sh): four
# meshxlat nodes behind one switch namespace $SW, an HTTP server whose log
# tells which PLAT pool a request came from, and downloads checked by
# SHA-256. Sourced after lib.sh.

# enslave IF BRIDGE: the switch side IF (an e2e_if name) into BRIDGE.
enslave()
{
	ip -n "$SW" link set "$(e2e_if "$1")" master "$2" ||
		e2e_error "$1 into bridge $2"
}

# node_eal NODE MEGABYTES LCORE_OPTS...: EAL's arguments of one node in
# EAL (a PLAT, or a node with kernel_routes, needs 512: its route tables
# are rebuilt beside the live ones).
node_eal()
{
	local n=$1 m=$2
	shift 2
	# shellcheck disable=SC2054,SC2034 # "-l 0,1" is one argument; the caller uses EAL
	EAL=(--no-huge -m "$m" --no-shconf --no-pci -l 0,1 "$@"
		--file-prefix "$MX_FILE_PREFIX-$n")
}

# roam_http_start: the HTTP server on $SERVER4:$HTTP_PORT in namespace
# server, serving $WWW (files made by the caller); sets URL.
roam_http_start()
{
	bg_start http server timeout 280 "$PY3" "$PLAT_TOOLS" http-serve \
		"$SERVER4" "$HTTP_PORT" "$WWW" 270
	wait_until 50 0.1 "HTTP server on $SERVER4:$HTTP_PORT" \
		e2e_listening server t "$HTTP_PORT"
	URL=http://$SERVER4:$HTTP_PORT
}

# size_of FILE: its size in bytes (0 when it does not exist yet).
size_of()
{
	stat -c %s "$1" 2>/dev/null || echo 0
}

at_least()
{
	[ "$(size_of "$1")" -ge "$2" ]
}

# more_than FILE BYTES: FILE has grown past BYTES; says its size.
more_than()
{
	local n

	n=$(size_of "$1")
	echo "$1: $n bytes (was $2)"
	[ "$n" -gt "$2" ]
}

# same_file A B: equal SHA-256.
same_file()
{
	local a b

	a=$(sha256sum <"$1") && b=$(sha256sum <"$2") || return 1
	echo "sha256 served:  ${a%% *}"
	echo "sha256 fetched: ${b%% *}"
	[ "$a" = "$b" ]
}

# served_from FILE ADDR: the server's log has requests for /FILE, all from
# ADDR with a port in the pools' range (9000-10000).
served_from()
{
	local lines

	lines=$(grep -E "^peer [0-9.]+ [0-9]+ \"GET /$1 " "$E2E_DIR/http.log")
	printf '%s\n' "$lines"
	printf '%s\n' "$lines" | "$PY3" -c '
import sys
addr = sys.argv[1]
peers = [l.split()[1:3] for l in sys.stdin if l.startswith("peer ")]
ok = [p for p in peers if p[0] == addr and 9000 <= int(p[1]) <= 10000]
sys.exit(0 if peers and len(ok) == len(peers) else 1)' "$2"
}

# fetch NS NAME [SRC]: the small file NAME from namespace NS (from address
# SRC), checked.
fetch()
{
	ns_exec "$1" curl -sS -g --connect-timeout 10 --max-time 30 \
		${3:+--interface "$3"} -o "$E2E_DIR/$2.out" \
		-w 'HTTP %{http_code}, %{size_download} bytes\n' "$URL/$2" &&
		same_file "$WWW/$2" "$E2E_DIR/$2.out"
}
