#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plat_handoff: the PLAT with two workers under many flows. Each worker
# owns a shard of the NAT64 state: in2out by a hash of the client's IPv6
# address, out2in by the pool port's slice (doc/nat64.md, "Sharding").
# A packet that arrives on the other worker is handed to the owner over an
# SPSC ring (plat.c). af_packet with qpairs=2 spreads the packets over the
# two workers by the kernel's flow hash (PACKET_FANOUT_HASH), which knows
# nothing of the owners, so about half the packets of each direction are
# handed off.
#
# The topology is plat_lib.sh's, with 8 host addresses (both shards own
# some: checked from the documented hash). 200 UDP flows, 25 per address,
# each send 100 datagrams numbered 0..99, interleaved, at 4000 datagrams
# per second; the IPv4 receiver checks each flow's sequence and echoes
# every datagram; the sender checks the echoes the same way (plat_tools.py
# flows-send, flows-recv).
#
# Checks:
#  - no datagram reordered or duplicated within a flow, either direction;
#  - handoff happened (handoff > 0), the rings never overflowed, and
#    meshxlat dropped nothing but ICMPv6 to the box it cannot punt (the
#    host's MLD reports): every loss, if any, was outside meshxlat;
#  - the sessions are consistent: plat.stats.get counts one UDP session
#    and BIB entry per flow, its shards add up, its "ok" verdicts equal
#    the packets stats.get counts as translated; at SIGTERM the daemon
#    saves its shards (plat.snapshot): each flow has exactly one UDP
#    session, in the shard that owns both its client and its pool port,
#    the shards hold as many as the hash gives them and as many sessions
#    as plat.stats.get reported.
# Loss is measured and printed (af_packet's own drops show as rx_missed),
# not failed on. Each client first pings the server through the PLAT, so
# its address is resolved (ND) before the flows start.
#
# The rate is moderate on purpose. Measured here at about 100 000/s (the
# sender's top speed; E2E_HANDOFF_PPS=100000): the af_packet rings (512
# frames) fill and DPDK 22.11's af_packet always sets
# PACKET_FANOUT_FLAG_ROLLOVER, so the kernel moves packets of a flow to
# the other queue, i.e. to the other worker: hundreds reordered before
# meshxlat sees them. With E2E_AFP_EXTRA=,framecnt=8192 that stops (no
# reordering in 6 runs) and the 1024-entry handoff rings overflow instead
# (handoff_full, counted).
#
# Two workers and the main lcore on a 2-CPU machine: --lcores 0@0,1@0,2@1
# (the main lcore mostly sleeps; as bench/run does).
#
# Usage: plat_handoff.sh PATH/TO/meshxlat [PATH/TO/meshxlatctl]; root only.

# shellcheck source=test/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init plat_handoff "$@"

# shellcheck source=test/e2e/plat_lib.sh
. "$(dirname "$0")/plat_lib.sh"

# E2E_HANDOFF_PPS=N: another rate (see above).
FLOWS=200
COUNT=100
PPS=${E2E_HANDOFF_PPS:-4000}
UDP_PORT=7000
SNAP=$E2E_DIR/plat.snapshot
RESULT=$E2E_DIR/flows.json
# shellcheck disable=SC2054 # "0@0,1@0,2@1" is one argument
PLAT_LCORES=(--lcores 0@0,1@0,2@1)
SRCS=()
for i in 10 11 12 13 14 15 16 17; do
	SRCS+=("2001:db8:1c0:2:1::$i")
done
srcs_csv=$(IFS=,; printf '%s' "${SRCS[*]}")

# shellcheck disable=SC2317 # called through check
shards_of_clients()
{
	local a o0=0 o1=0

	for a in "${SRCS[@]}"; do
		if [ "$("$PY3" "$PLAT_TOOLS" owner "$a" 2)" = 0 ]; then
			o0=$((o0 + 1))
		else
			o1=$((o1 + 1))
		fi
	done
	echo "clients per shard: $o0 $o1"
	[ "$o0" -gt 0 ] && [ "$o1" -gt 0 ]
}
check "both shards own some of the ${#SRCS[@]} clients" shards_of_clients

plat_topology "$HOST6" "${SRCS[@]}"
plat_config "\"snapshot\": \"$SNAP\"" '{"lcores": 2, "idle_sleep_us": 50}'
plat_start 2

# shellcheck disable=SC2317 # called through check
ports_have_2_queues()
{
	mxctl --json port.list | "$PY3" -c 'import json, sys
ports = json.load(sys.stdin)["ports"]
for p in ports:
    print("%s: %d rx queues, %d tx queues" % (p["port"], p["rx_queues"],
                                             p["tx_queues"]))
assert all(p["rx_queues"] == 2 and p["tx_queues"] == 2 for p in ports)'
}
check "two workers: two queues on each port" ports_have_2_queues
# Each client pings the server through the PLAT first, so the daemon has
# resolved every address by ND before the flows start (an echo reply from
# the daemon itself goes back to the sender's MAC and teaches it nothing).
# These are ICMP sessions; the check of the saved shards counts UDP.
for a in "${SRCS[@]}"; do
	wait_until 20 0.2 "$a pings the server through the PLAT" \
		ns_exec host ping -n -6 -c 1 -W 1 -I "$a" "$SERVER6"
done

bg_start recv server timeout 250 "$PY3" "$PLAT_TOOLS" flows-recv "$SERVER4" \
	"$UDP_PORT" 240
wait_until 50 0.1 "the receiver on $SERVER4:$UDP_PORT" \
	e2e_listening server u "$UDP_PORT"

check "$FLOWS UDP flows x $COUNT datagrams at $PPS/s: no reordering, no duplicates" \
	ns_exec host timeout 120 "$PY3" "$PLAT_TOOLS" flows-send "$SERVER6" \
	"$UDP_PORT" "$srcs_csv" "$FLOWS" "$COUNT" "$PPS" "$RESULT"

check "the receiver saw every flow from $POOL4" \
	"$PY3" -c 'import json, sys
r = json.load(open(sys.argv[1]))["receiver"]
peers = r["peers"]
print("peers:", {a: len(p) for a, p in peers.items()})
assert list(peers) == [sys.argv[2]] and len(peers[sys.argv[2]]) == int(sys.argv[3])
' "$RESULT" "$POOL4" "$FLOWS"

e2e_log "== loss: $("$PY3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
s, r = d["sender"], d["receiver"]
print("sent %d at %d/s; receiver got %d, lost %d; echoes back %d, lost %d "
      "(%d flows with echo loss)" % (s["sent"], s["pps"], r["received"],
      r["lost"], s["echoed"], s["echo_lost"], s["flows_with_echo_loss"]))
' "$RESULT")"

# Translated: every datagram that reached the daemon, in both directions
# (the summary's flow adds one each way); handoff counts both directions.
check "handoff happened, no ring overflowed, meshxlat dropped nothing" \
	mx_check_stats 'events["handoff"] > 0' \
	'drops["handoff_full"] == 0' \
	"events[\"nat64_in2out\"] >= 0.99 * $((FLOWS * COUNT))" \
	"events[\"nat64_out2in\"] >= 0.99 * $((FLOWS * COUNT))" \
	'other_drops("local_icmp") == {}' \
	'all(w["rx_pkts"] > 1000 for w in workers)'
e2e_log "== af_packet: $(mxctl --json stats.get | "$PY3" -c 'import json, sys
s = json.load(sys.stdin)
print(", ".join("%s rx_missed %d" % (p["port"], p["rx_missed"])
                for p in s["ports"]) + "; handed off %d of %d translated" %
      (s["events"].get("handoff", 0),
       s["events"].get("nat64_in2out", 0) + s["events"].get("nat64_out2in", 0)))
')"

# The PLAT's own view (plat.stats.get): one UDP session per flow (and the
# summary's), as many verdicts "ok" as packets translated, and the shards
# add up.
# (stats-now.json is what mx_check_stats read above.)
PLAT_STATS=$E2E_DIR/plat-stats.json
mxctl --json plat.stats.get >"$PLAT_STATS" || e2e_fail "plat.stats.get failed"
check "the PLAT's session counts agree with the traffic and each other" \
	"$PY3" -c 'import json, sys
p = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
flows = int(sys.argv[3])
shards = [x["sessions"] for x in p["shards"]]
translated = s["events"]["nat64_in2out"] + s["events"]["nat64_out2in"]
print("sessions per shard %s, by protocol %s; verdicts %s; translated %d"
      % (shards, p["sessions"], p["verdicts"], translated))
assert p["sessions"]["udp"] == flows + 1 and p["bib"]["udp"] == flows + 1
assert sum(shards) == sum(p["sessions"].values())
assert p["verdicts"]["ok"] == translated
' "$PLAT_STATS" "$E2E_DIR/stats-now.json" "$FLOWS"

mx_stop_check
check "the sessions in the saved shards match the flows and the counts" \
	"$PY3" "$PLAT_TOOLS" snap-check "$SNAP" 2 "$POOL4" 9000 64 "$RESULT" \
	"$PLAT_STATS"
e2e_pass
