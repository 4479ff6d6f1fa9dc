#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/tayga.sh: meshxlat next to TAYGA on the same netns path, NAT64
# direction (IPv6 sender -> IPv4 receiver), small UDP datagrams. Root.
#
#   bench/tayga.sh [--build DIR] [--seconds S] [--payload B] [--idle-sleep-us U]
#                  [--csv FILE]
#
#   gen  (2001:db8:a::2) --veth-- xlat --veth-- sink (203.0.113.2)
#                                  |
#     ceiling: plain kernel IPv6 forwarding to 2001:db8:b::2 in sink
#     tayga:   TAYGA 0.9.2 on tun nat64, prefix 2001:db8:64::/96,
#              map 192.168.255.2 <-> 2001:db8:a::2 (static)
#     meshxlat: SIIT, pool6 2001:db8:64::/96, EAMT 2001:db8:a::2/128 <->
#              192.168.255.2/32, ports on net_af_packet over the two veths
#
# The sender (bench/udpflood.c, built on the fly) floods 18-byte UDP
# payloads (64-byte IPv4 frames, 84-byte IPv6 frames, FCS included) to
# 2001:db8:64::203.0.113.2 (2001:db8:b::2 for the ceiling) for S seconds (default
# 5, at most 30) with sendmmsg; a receiver in sink counts with recvmmsg.
#
# Not 64:ff9b::/96: TAYGA (rightly, RFC 6052 section 3.1) refuses to
# translate to documentation and private IPv4 addresses under the
# well-known prefix ("Destination unreachable: No route"), so both
# translators use a network-specific prefix.
#
# Per path: sent/s, delivered/s, loss %, and the CPU cost per translated
# packet: TAYGA's utime+stime from /proc/PID/stat over the window divided
# by the packets it wrote back to its tun; meshxlat's workers' busy_cycles
# (--stats-json) divided by xlat64 and by tsc_hz; the note also gives its
# whole process's utime+stime per delivered packet (with the default
# idle_sleep_us 0 the worker polls flat out, so that is one core's worth
# of time whatever the rate: try --idle-sleep-us 50). Kernel softirq work
# (veth, tun, IP stacks) is in neither figure.
#
# --csv FILE also writes the table (path,sent_pps,delivered_pps,
# sink_rx_pps,loss_pct,ns_per_pkt,cycles_per_pkt,vs_tayga,note).
#
# Cleanup deletes the namespaces and kills only the PIDs started here.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${MX_BUILD:-$top/build}
seconds=5
payload=18
idle_sleep=0
csv=
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--payload) payload=$2; shift 2 ;;
	--idle-sleep-us) idle_sleep=$2; shift 2 ;;
	--csv) csv=$2; shift 2 ;;
	-h|--help) sed -n '3,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
case $seconds in ''|*[!0-9]*) seconds=5 ;; esac
[ "$seconds" -le 30 ] || seconds=30
[ "$seconds" -ge 1 ] || seconds=1

die()
{
	echo "bench/tayga.sh: $*" >&2
	exit 2
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, af_packet)"
for t in ip ethtool cc; do
	command -v $t >/dev/null || die "no $t"
done
mx=$build/app/meshxlat/meshxlat
[ -x "$mx" ] || die "no $mx (meson setup $build $top && ninja -C $build)"
TAYGA=$(command -v tayga || echo /usr/sbin/tayga)
if [ ! -x "$TAYGA" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y tayga >/dev/null 2>&1
	TAYGA=$(command -v tayga || echo /usr/sbin/tayga)
fi
[ -x "$TAYGA" ] || echo "note: tayga not installable: its row is skipped"

tmp=$(mktemp -d /tmp/mxtayga.XXXXXX) || die "mktemp"
cc -O2 -o "$tmp/udpflood" "$here/udpflood.c" || die "cannot build udpflood"
UF=$tmp/udpflood

P=mxtg$$-
NS_GEN=${P}gen NS_X=${P}xlat NS_SINK=${P}sink
PIDS=()

cleanup()
{
	local p
	[ "$BASHPID" = "$$" ] || return 0	# never in a subshell
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.3
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for n in "$NS_GEN" "$NS_X" "$NS_SINK"; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$tmp" /var/run/dpdk/mxtayga 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nx() { ip netns exec "$@"; }

# Fresh namespaces and veths for each path: no state carries over.
topo()
{
	local n
	for n in "$NS_GEN" "$NS_X" "$NS_SINK"; do
		ip netns del "$n" 2>/dev/null
		ip netns add "$n" || die "ip netns add $n"
		nx "$n" ip link set lo up
	done
	ip link add g0 netns "$NS_GEN" type veth peer name x0 netns "$NS_X" ||
		die "veth"
	ip link add s0 netns "$NS_SINK" type veth peer name x1 netns "$NS_X" ||
		die "veth"
	for d in "$NS_GEN g0" "$NS_X x0" "$NS_X x1" "$NS_SINK s0"; do
		set -- $d
		nx "$1" ethtool -K "$2" tx off >/dev/null 2>&1
		nx "$1" ip link set "$2" up
	done
	nx "$NS_GEN" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.g0.accept_dad=0
	nx "$NS_GEN" ip -6 addr add 2001:db8:a::2/64 dev g0 nodad
	nx "$NS_GEN" ip -6 route add default via 2001:db8:a::1
	nx "$NS_SINK" ip addr add 203.0.113.2/24 dev s0
	nx "$NS_SINK" ip route add default via 203.0.113.1
	nx "$NS_SINK" ip -6 addr add 2001:db8:b::2/64 dev s0 nodad
	nx "$NS_SINK" ip -6 route add default via 2001:db8:b::1
}

# xlat namespace as a kernel router (ceiling) or TAYGA host.
xlat_kernel()
{
	nx "$NS_X" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1
	nx "$NS_X" ip -6 addr add 2001:db8:a::1/64 dev x0 nodad
	nx "$NS_X" ip -6 addr add 2001:db8:b::1/64 dev x1 nodad
	nx "$NS_X" ip addr add 203.0.113.1/24 dev x1
}

ifstat() # NS IF FIELD(rx_packets|tx_packets)
{
	cat "/sys/class/net/$2/statistics/$3" 2>/dev/null ||
		nx "$1" cat "/sys/class/net/$2/statistics/$3"
}

cputicks() # PID -> utime+stime in clock ticks
{
	awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# measure NAME DST: run receiver + sender, sets SENT DELIV SINKRX
measure()
{
	local dst=$1 raddr=$2 rout=$tmp/recv.out rp
	ip netns exec "$NS_SINK" "$UF" recv "$raddr" 9 >"$rout" 2>&1 &
	rp=$!
	PIDS+=("$rp")
	for _ in $(seq 50); do grep -q ready "$rout" && break; sleep 0.05; done
	# warm-up: resolve neighbours, create TAYGA state, before timing
	nx "$NS_GEN" "$UF" send "$dst" 9 0.2 "$payload" >/dev/null 2>&1
	sleep 0.5
	local rx0
	rx0=$(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets)
	pre_window
	nx "$NS_GEN" "$UF" send "$dst" 9 "$seconds" "$payload" >"$tmp/send.out" 2>&1
	sleep 0.5
	post_window
	kill -INT "$rp" 2>/dev/null
	wait "$rp" 2>/dev/null
	SENT=$(awk '/^sent/{print $2}' "$tmp/send.out")
	# The receiver also counted the warm-up datagrams: WARM is the sink's
	# rx frame count before the window (warm-up datagrams plus a few
	# ND/ARP frames), so DELIV may be short by those few frames.
	DELIV_ALL=$(awk '/^received/{print $2}' "$rout")
	SINKRX=$(( $(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets) - rx0 ))
	DELIV=$(( DELIV_ALL - WARM ))
	[ "$DELIV" -ge 0 ] || DELIV=0
}

results=()
row() # name sent delivered sinkrx cpu_ns cpu_cyc note
{
	results+=("$*")
}

pre_window() { :; }
post_window() { :; }

# Count the warm-up datagrams the receiver got (before the window).
warm_count()
{
	WARM=$(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets)
}

echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
echo "window: $seconds s per path, UDP payload $payload B"
echo

######## 1. ceiling: kernel IPv6 forwarding
topo
xlat_kernel
pre_window() { WARM=$(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets); }
measure 2001:db8:b::2 ::
row "kernel-ipv6-fwd $SENT $DELIV $SINKRX - - ceiling,_no_translation"

######## 2. TAYGA
if [ -x "$TAYGA" ]; then
	topo
	xlat_kernel
	cat >"$tmp/tayga.conf" <<EOF
tun-device nat64
ipv4-addr 192.168.255.1
ipv6-addr 2001:db8:ff::1
prefix 2001:db8:64::/96
map 192.168.255.2 2001:db8:a::2
data-dir $tmp/tayga-data
EOF
	mkdir -p "$tmp/tayga-data"
	nx "$NS_X" "$TAYGA" -c "$tmp/tayga.conf" --mktun >/dev/null 2>&1
	nx "$NS_X" ip link set nat64 up
	nx "$NS_X" ip route add 192.168.255.0/24 dev nat64
	nx "$NS_X" ip -6 route add 2001:db8:64::/96 dev nat64
	ip netns exec "$NS_X" "$TAYGA" -c "$tmp/tayga.conf" -d >"$tmp/tayga.log" 2>&1 &
	tp=$!
	PIDS+=("$tp")
	sleep 0.5
	if kill -0 "$tp" 2>/dev/null; then
		pre_window()
		{
			WARM=$(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets)
			T0=$(cputicks "$tp")
			TUN0=$(nx "$NS_X" cat /sys/class/net/nat64/statistics/rx_packets)
		}
		post_window()
		{
			T1=$(cputicks "$tp")
			TUN1=$(nx "$NS_X" cat /sys/class/net/nat64/statistics/rx_packets)
		}
		measure 2001:db8:64::cb00:7102 0.0.0.0
		DELIV=$(( DELIV_ALL - WARM ))
		hz=$(getconf CLK_TCK)
		xl=$(( TUN1 - TUN0 ))
		ns=$(awk -v t=$((T1 - T0)) -v hz="$hz" -v n="$xl" \
			'BEGIN{ if (n > 0) printf "%.0f", t / hz * 1e9 / n; else print "-" }')
		tsc=$(awk '/MHz/{print $4; exit}' /proc/cpuinfo)
		cyc=$(awk -v ns="$ns" -v mhz="$tsc" 'BEGIN{ if (ns != "-") printf "%.0f", ns * mhz / 1000; else print "-" }')
		row "tayga $SENT $DELIV $SINKRX $ns $cyc cpu=$((T1 - T0))_ticks/${hz}Hz,_translated=$xl"
	else
		echo "tayga did not start:"; cat "$tmp/tayga.log"
		row "tayga 0 0 0 - - did_not_start"
	fi
	kill -TERM "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
fi

######## 3. meshxlat (SIIT on af_packet)
topo
# the daemon owns x0/x1: no addresses on them, MACs from the veths
x0mac=$(nx "$NS_X" cat /sys/class/net/x0/address)
x1mac=$(nx "$NS_X" cat /sys/class/net/x1/address)
g0mac=$(nx "$NS_GEN" cat /sys/class/net/g0/address)
s0mac=$(nx "$NS_SINK" cat /sys/class/net/s0/address)
nx "$NS_GEN" ip -6 neigh replace 2001:db8:a::1 lladdr "$x0mac" dev g0 nud permanent
nx "$NS_SINK" ip neigh replace 203.0.113.1 lladdr "$x1mac" dev s0 nud permanent
cat >"$tmp/mx.json" <<EOF
{
  "ports": [
    { "name": "lan4", "device": "net_af_packet0", "role": "lan4",
      "mac": "$x1mac", "ipv4": ["203.0.113.1/24"] },
    { "name": "mesh", "device": "net_af_packet1", "role": "mesh6",
      "mac": "$x0mac", "ipv6": ["2001:db8:a::1/64"] }
  ],
  "neighbours": [
    { "ip": "203.0.113.2", "mac": "$s0mac", "port": "lan4" },
    { "ip": "2001:db8:a::2", "mac": "$g0mac", "port": "mesh" }
  ],
  "siit": {
    "pool6": "2001:db8:64::/96",
    "eamt": [ { "ipv6": "2001:db8:a::2/128", "ipv4": "192.168.255.2/32" } ]
  },
  "workers": { "lcores": 1, "idle_sleep_us": $idle_sleep }
}
EOF
ip netns exec "$NS_X" "$mx" --no-huge -m 512 --no-shconf --no-pci -l 0,1 \
	--file-prefix mxtayga --log-level lib.eal:warning \
	--vdev net_af_packet0,iface=x1 --vdev net_af_packet1,iface=x0 -- \
	--config "$tmp/mx.json" --stats-json "$tmp/mx-stats.json" \
	>"$tmp/mx.log" 2>&1 &
mp=$!
PIDS+=("$mp")
for _ in $(seq 50); do
	grep -q "meshxlat: running\|workers\|ports up\|CLAT\|SIIT" "$tmp/mx.log" 2>/dev/null && break
	kill -0 "$mp" 2>/dev/null || break
	sleep 0.1
done
sleep 1
if kill -0 "$mp" 2>/dev/null; then
	pre_window()
	{
		WARM=$(nx "$NS_SINK" cat /sys/class/net/s0/statistics/rx_packets)
		T0=$(cputicks "$mp")
	}
	post_window() { T1=$(cputicks "$mp"); }
	measure 2001:db8:64::cb00:7102 0.0.0.0
	hz=$(getconf CLK_TCK)
	pns=$(awk -v t=$((T1 - T0)) -v hz="$hz" -v n="$SINKRX" \
		'BEGIN{ if (n > 0) printf "%.0f", t / hz * 1e9 / n; else print "-" }')
	DELIV=$(( DELIV_ALL - WARM ))
	kill -INT "$mp" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$mp" 2>/dev/null || break; sleep 0.1; done
	wait "$mp" 2>/dev/null
	if [ -s "$tmp/mx-stats.json" ]; then
		read -r ns cyc xl <<<"$(/usr/bin/python3 - "$tmp/mx-stats.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
busy = sum(w["busy_cycles"] for w in j["workers"])
n = j["counters"].get("xlat64", 0)
hz = j["tsc_hz"]
if n:
    print("%.0f %.0f %d" % (busy / hz * 1e9 / n, busy / n, n))
else:
    print("- - 0")
EOF
)"
		row "meshxlat $SENT $DELIV $SINKRX $ns $cyc busy_cycles,_xlat64=${xl}_(incl._warm-up);_process_cpu=$((T1 - T0))_ticks=${pns}_ns/pkt"
	else
		row "meshxlat $SENT $DELIV $SINKRX - - no_stats_json"
	fi
else
	echo "meshxlat did not start:"; tail -5 "$tmp/mx.log"
	row "meshxlat 0 0 0 - - did_not_start"
fi

######## report
echo
printf '%-16s %11s %11s %11s %7s %9s %9s %8s  %s\n' path sent/s delivered/s sink_rx/s loss% ns/pkt cyc/pkt vs_tayga note
tay_d=
for r in "${results[@]}"; do
	set -- $r
	[ "$1" = tayga ] && tay_d=$3
done
[ -z "$csv" ] || echo "path,sent_pps,delivered_pps,sink_rx_pps,loss_pct,ns_per_pkt,cycles_per_pkt,vs_tayga,note" >"$csv"
for r in "${results[@]}"; do
	set -- $r
	name=$1 sent=$2 del=$3 srx=$4 ns=$5 cyc=$6 note=${7:-}
	awk -v n="$name" -v s="$sent" -v d="$del" -v r="$srx" -v T="$seconds" \
	    -v ns="$ns" -v cyc="$cyc" -v td="${tay_d:-0}" -v note="$note" \
	    -v csv="$csv" 'BEGIN{
		loss = s > 0 ? 100 * (1 - d / s) : 0
		ratio = td > 0 ? sprintf("%.2fx", d / td) : "-"
		printf "%-16s %11.0f %11.0f %11.0f %7.1f %9s %9s %8s  %s\n",
			n, s / T, d / T, r / T, loss, ns, cyc, ratio, note
		if (csv != "") {
			gsub(/,/, ";", note)
			printf "%s,%.0f,%.0f,%.0f,%.1f,%s,%s,%s,%s\n", n, s / T,
				d / T, r / T, loss, ns == "-" ? "" : ns,
				cyc == "-" ? "" : cyc,
				ratio == "-" ? "" : substr(ratio, 1,
				length(ratio) - 1), note >>csv
		} }'
done
echo "(delivered = datagrams the sink's socket received in the window;"
echo " vs_tayga = delivered/s relative to TAYGA's; cyc/pkt for TAYGA uses the"
echo " cpu MHz of /proc/cpuinfo)"
exit 0
