#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plat_restart: a long TCP transfer through the PLAT survives a restart of
# meshxlat. At a clean stop (SIGTERM) the daemon saves its NAT64 sessions
# to plat.snapshot; the next start with the same config restores them, so
# the connection keeps its pool port and the server's retransmissions find
# their way back to the client once the daemon is up again.
#
# The topology is plat_lib.sh's (host -- mx -- server); the ports' MACs are
# fixed in the config, so the hosts' neighbour entries stay right across
# the restart, and the daemon learns the hosts again by ARP and ND.
#
# The host downloads 4 MiB with curl --limit-rate 400k (about 10 s) through
# a receive window of at most 64 KiB, so the data still to come is on the
# server's side; after 3 s meshxlat gets SIGTERM and is started again at
# once. Checks: the
# transfer was under way at the stop, the first run saved the sessions,
# the second restored them ("restored N PLAT sessions", N >= 1), the
# download completes with the right sha256 within its time limit, the
# server saw one connection, and no data packet was refused for want of a
# session (nat64_no_bib) after the restart. Prints the gap: from SIGTERM
# to the new daemon answering ping.
#
# Usage: plat_restart.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init plat_restart "$@"

# shellcheck source=test/e2e/plat_lib.sh
. "$(dirname "$0")/plat_lib.sh"

SIZE=$((4 * 1024 * 1024))
RATE=400k
SNAP=$E2E_DIR/plat.snapshot

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

plat_topology "$HOST6"
# A small receive window (at most 64 KiB) keeps the data in the server's
# socket, not in the host's: most of it has to cross the restarted PLAT.
ns_sysctl host "net.ipv4.tcp_rmem=4096 16384 65536"
plat_config "\"snapshot\": \"$SNAP\"" '{"lcores": 1, "idle_sleep_us": 50}'
MX_LOG=$E2E_DIR/meshxlat-1.log
MX_STATS=$E2E_DIR/stats-1.json
plat_start 1

mkdir -p "$E2E_DIR/www" || e2e_error "mkdir www"
e2e_random_file "$E2E_DIR/www/blob" "$SIZE"
plat_http_start "$E2E_DIR/www"

# ---- the long transfer ----------------------------------------------------------
bg_start curl host curl -sS -g --connect-timeout 10 --max-time 90 \
	--limit-rate "$RATE" -o "$E2E_DIR/fetched" \
	-w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
	"http://[$SERVER6]:$HTTP_PORT/blob"
sleep 3

fetched_size() { stat -c %s "$E2E_DIR/fetched" 2>/dev/null || echo 0; }
check "the transfer is under way: $(fetched_size) of $SIZE bytes after 3 s" \
	test "$(fetched_size)" -gt 0 -a "$(fetched_size)" -lt "$SIZE"

# ---- restart -------------------------------------------------------------------
t_stop=$(now)
mx_stop
t_exit=$(now)
check "meshxlat exited 0 on SIGTERM" test "$MX_RC" = 0
check_output "it saved the PLAT sessions" "PLAT sessions saved to $SNAP" \
	cat "$MX_LOG"
check "the snapshot file exists" test -s "$SNAP"

MX_LOG=$E2E_DIR/meshxlat-2.log
MX_STATS=$E2E_DIR/stats.json
fetched_at_stop=$(fetched_size)
plat_start 1
t_ready=$(now)
e2e_log "== restart: stopped in $(elapsed "$t_stop" "$t_exit") s; up again" \
	"(answers ping) $(elapsed "$t_stop" "$t_ready") s after SIGTERM;" \
	"$(fetched_size) bytes fetched by then ($fetched_at_stop at the stop)"

check_output "the new daemon restored the sessions" \
	"restored [1-9][0-9]* PLAT sessions from $SNAP" cat "$MX_LOG"

# ---- the transfer completes --------------------------------------------------------
# Not inside check: that runs its command in a subshell, which cannot
# wait for our child.
bg_wait curl 60
rc=$?
check "curl's report" cat "$E2E_DIR/curl.log"
check "the transfer completes (curl exits 0 within 60 s, got $rc)" \
	test "$rc" = 0
check "the content is right" cmp "$E2E_DIR/www/blob" "$E2E_DIR/fetched"
check "the server saw one connection, from $POOL4, port in $POOL_PORTS" \
	"$PY3" "$PLAT_TOOLS" peers "$E2E_DIR/http.log" 9000 10000 "$POOL4"

# After the restart the data (out2in) and the ACKs (in2out) went through
# the restored session: nothing was dropped for want of one.
check "the restarted daemon translated the rest of the transfer" \
	mx_check_stats 'events["nat64_out2in"] > 100' \
	'events["nat64_in2out"] > 20' 'drops["nat64_no_bib"] == 0' \
	'other_drops("local_icmp") == {}'

mx_stop_check
e2e_pass
