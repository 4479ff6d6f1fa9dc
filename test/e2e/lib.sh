# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Helpers for the end-to-end tests: real Linux hosts in network namespaces
# that talk through meshxlat running on net_af_packet vdevs. In the style of
# OVS tests/system-common-macros.at (ADD_NAMESPACES, ADD_VETH, NS_CHECK_EXEC)
# and Jool test/namespace-create.sh.
#
# A test sources this file, then:
#
#	e2e_init NAME "$@"		# skips (77) unless root and 'ip netns' works
#	add_ns client			# namespace "${E2E_ID}client", lo up
#	add_veth client "$(e2e_if c)" mx "$(e2e_if l)"
#	mx_start mx "${MX_EAL[@]}" --vdev ... -- --config F --stats-json "$MX_STATS"
#	wait_until 40 0.5 "DESC" ns_exec client ping -c 1 -W 1 ADDR
#	check "DESC" ns_exec client CMD...
#	mx_stop_check			# SIGTERM, clean exit, stats JSON written
#	e2e_pass
#
# With "--socket $MX_SOCK" among the daemon's arguments, 'mxctl METHOD...'
# talks to it, and the teardown prints its 'stats.get' (and its NAT64
# sessions, if the daemon has a method for them) before stopping it. A
# second daemon (two nodes of a mesh) is mx_extra_start NAME NS ARG... and
# mx_extra_stop NAME; give it its own --file-prefix "$MX_FILE_PREFIX-NAME"
# and its own socket, and register that with e2e_ctl_sock.
#
# Names: everything this run creates carries E2E_ID ("mx" + our PID), so two
# runs never collide and cleanup deletes only what this run made. Interface
# names stay under the kernel's 15 characters.
#
# Processes: we kill only the PIDs we started ourselves, by PID. They are our
# unreaped children ('ip netns exec' execs its command without forking), so
# their PIDs cannot have been reused by anyone else.
#
# Every wait is bounded in tries and time; every command that talks to the
# network has its own timeout.
#
# Environment:
#	E2E_KEEP=1	keep the work directory (logs, config, stats) on success
#	E2E_TCPDUMP=1	capture on the host-side veths (see e2e_capture) and
#			print the packets on failure

# The test scripts read MX_EAL, MX_CONF and friends.
# shellcheck disable=SC2034
E2E_ID="mx$$"
E2E_NAME=
E2E_DIR=
E2E_NS=()		# short names of our namespaces
E2E_PIDS=()		# helpers we started (servers, tcpdump), by PID
E2E_PID_NAMES=()
E2E_CAPTURES=()		# pcap files written by e2e_capture
E2E_STEP=0
E2E_FAILED=0
E2E_FAIL_WHY=
E2E_PASSED=0
E2E_CLEANING=0
E2E_DIAG=()		# commands run on failure before teardown, one string each
E2E_CTL_SOCKS=()	# "name:path" of control sockets dumped at teardown
E2E_MX_EXTRA=()		# "name:pid" of extra daemons (mx_extra_start)

MESHXLAT=
MESHXLATCTL=
MX_SOCK=
MX_PID=
MX_RC=
MX_LOG=
MX_STATS=
MX_CONF=
MX_FILE_PREFIX="mxe2e-$$"
# shellcheck disable=SC2054 # "-l 0,1" is one argument
MX_EAL=(--no-huge -m 512 --no-shconf --no-pci -l 0,1
	--file-prefix "$MX_FILE_PREFIX")
PY3=/usr/bin/python3

e2e_log()
{
	printf '%s\n' "$*"
}

# Print stdin indented, so command output stands apart from the step lines.
e2e_indent()
{
	sed -e 's/^/    | /'
}

e2e_skip()
{
	e2e_log "SKIP: $*"
	exit 77
}

e2e_fail()
{
	E2E_FAILED=1
	E2E_FAIL_WHY="$*"
	e2e_log "FAIL: $*"
	exit 1
}

# A failure of the harness itself, not of the daemon (meson: ERROR).
e2e_error()
{
	E2E_FAILED=1
	e2e_log "ERROR: $*"
	exit 99
}

# e2e_init NAME MESHXLAT_BINARY [MESHXLATCTL_BINARY]
e2e_init()
{
	local missing=() t

	E2E_NAME=$1
	MESHXLAT=${2:-${MESHXLAT:-}}
	MESHXLATCTL=${3:-${MESHXLATCTL:-}}

	[ "$(id -u)" = 0 ] || e2e_skip "$E2E_NAME needs root"
	command -v ip >/dev/null 2>&1 || e2e_skip "no 'ip' (iproute2)"
	ip netns list >/dev/null 2>&1 || e2e_skip "'ip netns' is unavailable"

	for t in ethtool curl ping sysctl ss timeout sha256sum; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[ -x "$PY3" ] || missing+=("$PY3")
	[ ${#missing[@]} -eq 0 ] ||
		e2e_error "missing tools: ${missing[*]}" \
			"(Debian: iproute2 ethtool curl iputils-ping python3 procps coreutils)"
	[ -n "$MESHXLAT" ] || e2e_error "usage: $0 PATH/TO/meshxlat"
	[ -x "$MESHXLAT" ] || e2e_error "not an executable: $MESHXLAT"
	MESHXLAT=$(readlink -f "$MESHXLAT")
	# meson passes meshxlatctl; by hand it is found in the build tree.
	[ -n "$MESHXLATCTL" ] ||
		MESHXLATCTL=$(dirname "$MESHXLAT")/../meshxlatctl/meshxlatctl
	if [ -x "$MESHXLATCTL" ]; then
		MESHXLATCTL=$(readlink -f "$MESHXLATCTL")
	else
		MESHXLATCTL=
	fi

	# A container can be root without the right to make namespaces.
	if ! ip netns add "${E2E_ID}probe" 2>/dev/null; then
		e2e_skip "cannot create a network namespace"
	fi
	ip netns del "${E2E_ID}probe"

	E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mxe2e-$E2E_NAME.XXXXXX") ||
		e2e_error "mktemp failed"
	MX_LOG=$E2E_DIR/meshxlat.log
	MX_STATS=$E2E_DIR/stats.json
	MX_CONF=$E2E_DIR/meshxlat.json
	MX_SOCK=$E2E_DIR/ctl.sock
	E2E_CTL_SOCKS=("meshxlat:$MX_SOCK")

	trap e2e_cleanup EXIT
	trap 'e2e_log "interrupted (SIGINT)"; E2E_FAILED=1; exit 130' INT
	trap 'e2e_log "terminated (SIGTERM)"; E2E_FAILED=1; exit 143' TERM

	e2e_log "== $E2E_NAME: id $E2E_ID, work dir $E2E_DIR"
	e2e_log "== daemon: $MESHXLAT"
}

# The full name of a namespace or an interface of this run.
e2e_ns()
{
	printf '%s%s' "$E2E_ID" "$1"
}

e2e_if()
{
	local n="$E2E_ID$1"

	[ ${#n} -le 15 ] || e2e_error "interface name too long: $n"
	printf '%s' "$n"
}

# ns_exec NS CMD...: run CMD in our namespace NS (short name).
ns_exec()
{
	local ns
	ns=$(e2e_ns "$1")
	shift
	ip netns exec "$ns" "$@"
}

# ns_sysctl NS KEY=VALUE...
ns_sysctl()
{
	local ns=$1 kv
	shift
	for kv in "$@"; do
		ns_exec "$ns" sysctl -qw "$kv" >/dev/null ||
			e2e_error "sysctl $kv in $ns failed"
	done
}

# add_ns NS: a namespace with lo up, no IPv6 DAD and no router
# advertisements, so addresses work at once and nothing autoconfigures.
add_ns()
{
	local ns
	ns=$(e2e_ns "$1")

	ip netns add "$ns" || e2e_error "ip netns add $ns failed"
	E2E_NS+=("$1")
	ip -n "$ns" link set lo up || e2e_error "lo up in $ns failed"
	if ns_exec "$1" test -d /proc/sys/net/ipv6; then
		ns_sysctl "$1" net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 \
			net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0
	fi
	e2e_log "== namespace $ns"
}

# ns_no_ipv6 NS [IF...]: disable IPv6 on the given interfaces, or on the
# whole namespace (all, default, lo) when none is given.
ns_no_ipv6()
{
	local ns=$1 i
	shift

	ns_exec "$ns" test -d /proc/sys/net/ipv6 || return 0
	if [ $# -eq 0 ]; then
		set -- all default lo
	fi
	for i in "$@"; do
		ns_sysctl "$ns" "net.ipv6.conf.$i.disable_ipv6=1"
	done
}

# add_veth NS_A IF_A NS_B IF_B: a veth pair, created directly inside the two
# namespaces (the root namespace never sees it), both ends up. TX checksum
# offload is turned off on both ends: a Linux host on a veth otherwise sends
# TCP and UDP with partial checksums, which reach af_packet as bad
# checksums (shared/DPDK-NOTES.md). Turning it off also turns off TSO.
add_veth()
{
	local nsa nsb
	nsa=$(e2e_ns "$1")
	nsb=$(e2e_ns "$3")

	ip link add name "$2" netns "$nsa" type veth \
		peer name "$4" netns "$nsb" ||
		e2e_error "veth $2 ($nsa) <-> $4 ($nsb) failed"
	ns_exec "$1" ethtool -K "$2" tx off >/dev/null 2>&1 ||
		e2e_error "ethtool -K $2 tx off failed"
	ns_exec "$3" ethtool -K "$4" tx off >/dev/null 2>&1 ||
		e2e_error "ethtool -K $4 tx off failed"
	ip -n "$nsa" link set "$2" up || e2e_error "$2 up failed"
	ip -n "$nsb" link set "$4" up || e2e_error "$4 up failed"
	e2e_log "== veth $2 ($nsa) <-> $4 ($nsb)"
}

# The first line of a command, cut to 100 characters, for the log.
e2e_short()
{
	local s=${1%%$'\n'*}

	[ ${#s} -le 100 ] || s="${s:0:97}..."
	[ "$s" = "$1" ] || s="$s [...]"
	printf '%s' "$s"
}

e2e_pid_alive()
{
	local st

	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# bg_start NAME NS CMD...: run CMD in the background in namespace NS, output
# to $E2E_DIR/NAME.log; the PID is remembered and killed at cleanup. Give CMD
# its own time limit (timeout(1)) so nothing outlives a killed test by long.
bg_start()
{
	local name=$1 ns
	ns=$(e2e_ns "$2")
	shift 2

	ip netns exec "$ns" "$@" >"$E2E_DIR/$name.log" 2>&1 </dev/null &
	E2E_PIDS+=($!)
	E2E_PID_NAMES+=("$name")
	e2e_log "== started $name (pid $!) in $ns: $(e2e_short "$*")"
}

# bg_wait NAME SECONDS: wait up to SECONDS for the helper NAME to exit;
# returns its exit status (124 if it is still running, and then it stays
# ours, to be killed at teardown). Once reaped it is forgotten, so its PID
# is never signalled again.
bg_wait()
{
	local i t pid=

	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		if [ "${E2E_PID_NAMES[$i]}" = "$1" ] && [ -n "${E2E_PIDS[$i]}" ]; then
			pid=${E2E_PIDS[$i]}
			break
		fi
	done
	[ -n "$pid" ] || e2e_error "bg_wait: no helper $1"
	for ((t = 0; t < $2 * 5; t++)); do
		e2e_pid_alive "$pid" || break
		sleep 0.2
	done
	! e2e_pid_alive "$pid" || return 124
	E2E_PIDS[i]=
	wait "$pid"
}

# bg_pid NAME: the PID of the running helper NAME.
bg_pid()
{
	local i

	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		if [ "${E2E_PID_NAMES[$i]}" = "$1" ] &&
		   [ -n "${E2E_PIDS[$i]}" ]; then
			printf '%s\n' "${E2E_PIDS[$i]}"
			return 0
		fi
	done
	return 1
}

# bg_alive NAME: the helper NAME still runs.
bg_alive()
{
	local pid

	pid=$(bg_pid "$1") && e2e_pid_alive "$pid"
}

# bg_stop NAME: stop the helper NAME we started (by its PID) and forget it.
bg_stop()
{
	local i

	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		if [ "${E2E_PID_NAMES[$i]}" = "$1" ] &&
		   [ -n "${E2E_PIDS[$i]}" ]; then
			e2e_kill_pid "${E2E_PIDS[$i]}"
			E2E_PIDS[i]=
			e2e_log "== stopped $1"
		fi
	done
}

# Stop one helper we started: SIGTERM, up to 5 s, then SIGKILL.
e2e_kill_pid()
{
	local pid=$1 i

	if e2e_pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			e2e_pid_alive "$pid" || break
			sleep 0.1
		done
		e2e_pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
}

# e2e_capture NS IF: tcpdump on IF into $E2E_DIR, if E2E_TCPDUMP=1. Capture
# on the hosts' side: af_packet sends with PACKET_QDISC_BYPASS, which other
# packet sockets on the daemon's side do not see.
e2e_capture()
{
	local f

	[ "${E2E_TCPDUMP:-0}" = 1 ] || return 0
	command -v tcpdump >/dev/null 2>&1 ||
		e2e_error "E2E_TCPDUMP=1 but no tcpdump"
	f=$E2E_DIR/$2.pcap
	bg_start "tcpdump-$2" "$1" timeout 290 tcpdump -p -U --immediate-mode -B 32768 -n -i "$2" -w "$f"
	E2E_CAPTURES+=("$1:$f")
	# tcpdump needs a moment to attach; bounded.
	wait_until 20 0.1 "tcpdump on $2" test -s "$E2E_DIR/tcpdump-$2.log"
}

# wait_until TRIES INTERVAL DESC CMD...: run CMD until it succeeds, at most
# TRIES times, INTERVAL seconds apart. Fails the test if it never does, or
# if the daemon dies while we wait.
wait_until()
{
	local tries=$1 ival=$2 desc=$3 i
	shift 3

	for ((i = 1; i <= tries; i++)); do
		if "$@" >/dev/null 2>&1; then
			e2e_log "== ready: $desc (try $i)"
			return 0
		fi
		if [ -n "$MX_PID" ] && ! e2e_pid_alive "$MX_PID"; then
			e2e_fail "daemon exited while waiting for: $desc"
		fi
		mx_extra_alive ||
			e2e_fail "a second daemon exited while waiting for: $desc"
		sleep "$ival"
	done
	e2e_fail "not ready after $tries tries ${ival}s apart: $desc"
}

# check DESC CMD...: one step of the test; prints the command and its
# output, fails the test if it exits non-zero.
check()
{
	local desc=$1 out rc
	shift

	E2E_STEP=$((E2E_STEP + 1))
	e2e_log "[$E2E_STEP] $desc"
	e2e_log "    \$ $*"
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | e2e_indent
	if [ $rc -ne 0 ]; then
		e2e_log "    FAILED (exit $rc)"
		e2e_fail "step $E2E_STEP: $desc"
	fi
	e2e_log "    ok"
}

# check_output DESC REGEX CMD...: like check, but passes when the output
# matches the extended REGEX, whatever the exit status.
check_output()
{
	local desc=$1 re=$2 out rc
	shift 2

	E2E_STEP=$((E2E_STEP + 1))
	e2e_log "[$E2E_STEP] $desc"
	e2e_log "    \$ $*"
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | e2e_indent
	if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
		e2e_log "    FAILED (exit $rc; output does not match /$re/)"
		e2e_fail "step $E2E_STEP: $desc"
	fi
	e2e_log "    ok (exit $rc)"
}

# ---- the daemon -------------------------------------------------------------

# mx_start NS ARG...: start the daemon in namespace NS with ARG... (EAL args,
# --, app args), output to $MX_LOG.
mx_start()
{
	local ns
	ns=$(e2e_ns "$1")
	shift

	[ -z "$MX_PID" ] || e2e_error "daemon already running"
	e2e_log "== starting meshxlat in $ns:"
	e2e_log "   $MESHXLAT $*"
	ip netns exec "$ns" "$MESHXLAT" "$@" >"$MX_LOG" 2>&1 </dev/null &
	MX_PID=$!
	e2e_log "== meshxlat pid $MX_PID, log $MX_LOG"
}

# mx_stop_pid PID WHAT: SIGTERM a daemon we started, wait up to 15 s, then
# SIGKILL. Sets MX_RC to its exit status (128+N for a signal).
mx_stop_pid()
{
	local pid=$1 what=$2 i

	if e2e_pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 150; i++)); do
			e2e_pid_alive "$pid" || break
			sleep 0.1
		done
		if e2e_pid_alive "$pid"; then
			e2e_log "== $what did not stop in 15 s after SIGTERM: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
		fi
	else
		e2e_log "== $what (pid $pid) had already exited"
	fi
	wait "$pid" 2>/dev/null
	MX_RC=$?
	e2e_log "== $what exit status $MX_RC"
}

# mx_stop: stop our daemon (mx_stop_pid). Only ever signals MX_PID.
mx_stop()
{
	[ -n "$MX_PID" ] || return 0
	mx_stop_pid "$MX_PID" meshxlat
	MX_PID=
}

# The last step of a test: the daemon is still running, stops cleanly on
# SIGTERM and has written a stats JSON that parses.
mx_stop_check()
{
	check "meshxlat is still running" e2e_pid_alive "$MX_PID"
	e2e_dump_ctl
	mx_stop
	check "meshxlat exited 0 on SIGTERM" test "$MX_RC" = 0
	check "meshxlat wrote its stats JSON" \
		"$PY3" -c 'import json, sys; json.load(open(sys.argv[1])); print("valid JSON, %s" % sys.argv[1])' \
		"$MX_STATS"
}

# mxctl [--socket PATH] METHOD [key=value...]: meshxlatctl on our daemon's
# socket ($MX_SOCK) or the given one, bounded to 10 s.
mxctl()
{
	local sock=$MX_SOCK

	[ -n "$MESHXLATCTL" ] || e2e_error "no meshxlatctl (pass it after meshxlat)"
	if [ "${1:-}" = --socket ]; then
		sock=$2
		shift 2
	fi
	timeout 15 "$MESHXLATCTL" --socket "$sock" --timeout 10 "$@"
}

# e2e_ctl_sock NAME PATH: dump this control socket's counters at teardown.
e2e_ctl_sock()
{
	E2E_CTL_SOCKS+=("$1:$2")
}

# mx_extra_start NAME NS ARG...: a further daemon (another node), output to
# $E2E_DIR/NAME.log; stopped by mx_extra_stop NAME or at teardown.
mx_extra_start()
{
	local name=$1 ns
	ns=$(e2e_ns "$2")
	shift 2

	e2e_log "== starting meshxlat $name in $ns:"
	e2e_log "   $MESHXLAT $*"
	ip netns exec "$ns" "$MESHXLAT" "$@" >"$E2E_DIR/$name.log" 2>&1 </dev/null &
	E2E_MX_EXTRA+=("$name:$!")
	e2e_log "== meshxlat $name pid $!, log $E2E_DIR/$name.log"
}

# All extra daemons still run.
mx_extra_alive()
{
	local e

	for e in "${E2E_MX_EXTRA[@]}"; do
		[ -z "$e" ] || e2e_pid_alive "${e#*:}" || return 1
	done
	return 0
}

# mx_extra_stop NAME: stop it as mx_stop does; MX_RC is its exit status.
# It is forgotten afterwards, so its PID is never signalled again.
mx_extra_stop()
{
	local i pid=

	for ((i = 0; i < ${#E2E_MX_EXTRA[@]}; i++)); do
		if [ "${E2E_MX_EXTRA[$i]%%:*}" = "$1" ]; then
			pid=${E2E_MX_EXTRA[$i]#*:}
			E2E_MX_EXTRA[i]=
			break
		fi
	done
	[ -z "$pid" ] || mx_stop_pid "$pid" "meshxlat $1"
}

# Counters of every daemon that still answers on its socket, and its NAT64
# state (plat.stats.get, the first page of plat.session.list) when it has
# those methods. mx_stop_check and the
# teardown call it.
e2e_dump_ctl()
{
	local e name sock m ms

	[ -n "$MESHXLATCTL" ] || return 0
	for e in "${E2E_CTL_SOCKS[@]}"; do
		name=${e%%:*}
		sock=${e#*:}
		[ -S "$sock" ] || continue
		e2e_log "== $name: meshxlatctl stats.get"
		mxctl --socket "$sock" stats.get 2>&1 | e2e_indent
		ms=$(mxctl --socket "$sock" ctl.method.list 2>/dev/null |
		     grep -Eo '[a-z0-9_]+(\.[a-z0-9_]+)+' |
		     grep -E '^plat\.stats\.get$|session[a-z0-9_.]*\.list$' |
		     sort -u)
		[ -n "$ms" ] ||
			e2e_log "== $name: (no method lists NAT64 sessions)"
		for m in $ms; do
			e2e_log "== $name: meshxlatctl $m"
			mxctl --socket "$sock" "$m" 2>&1 | head -n 200 | e2e_indent
		done
	done
}

# mx_check_stats [--socket PATH] EXPR...: read the daemon's stats.get now
# and check each Python expression over 'drops' and 'events' (dicts of every
# counter by name), 'ports' (by port name) and 'workers' (a list).
# other_drops(NAME...) is the dict of drop counters that are not 0, but for
# those named. Prints every expression and the non-zero drops; fails when
# an expression is not True.
mx_check_stats()
{
	local sock=$MX_SOCK f=$E2E_DIR/stats-now.json

	if [ "${1:-}" = --socket ]; then
		sock=$2
		shift 2
	fi
	mxctl --socket "$sock" --json stats.get all=true >"$f" || return 1
	"$PY3" - "$f" "$@" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
drops = s["drops"]
env = {"drops": drops, "events": s["events"], "workers": s["workers"],
       "ports": {p["port"]: p for p in s["ports"]}}
env["other_drops"] = lambda *allowed: {k: v for k, v in drops.items()
                                       if v and k not in allowed}
ok = True
for expr in sys.argv[2:]:
    try:
        r = eval(expr, dict(env))
    except Exception as e:
        r = "%s: %s" % (type(e).__name__, e)
    print("%s %s" % ("ok  " if r is True else "FAIL", expr))
    if r is not True:
        ok = False
        if r is not False:
            print("     -> %s" % (r,))
print("drops: %s" % ({k: v for k, v in drops.items() if v} or "none"))
print("events: %s" % ({k: v for k, v in s["events"].items() if v}))
sys.exit(0 if ok else 1)
EOF
}

# mx_stat NAME: print every numeric member called NAME in the stats JSON
# (at any depth), one "path=value" a line. For information only: the shape
# of the JSON is the daemon's business.
mx_stat()
{
	[ -s "$MX_STATS" ] || return 0
	"$PY3" - "$MX_STATS" "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
want = set(sys.argv[2:])
def walk(v, path):
    if isinstance(v, dict):
        for k, x in v.items():
            p = path + "." + k if path else k
            if k in want and isinstance(x, (int, float)):
                print("%s=%s" % (p, x))
            walk(x, p)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, "%s[%d]" % (path, i))
walk(doc, "")
EOF
}

# ---- traffic helpers ---------------------------------------------------------

# A UDP echo server: binds ADDR PORT (IPv6 or IPv4), echoes up to 100
# datagrams, exits after LIFETIME seconds.
E2E_UDP_ECHO_PY='
import socket, sys, time
addr, port, life = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((addr, port))
print("listening on [%s]:%d" % (addr, port), flush=True)
end = time.monotonic() + life
n = 0
while n < 100:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data, peer = s.recvfrom(65535)
    except socket.timeout:
        break
    s.sendto(data, peer)
    n += 1
    print("echoed %d bytes to %s" % (len(data), peer), flush=True)
'

# Send one datagram to HOST PORT and expect the same bytes back from
# HOST PORT; up to 3 tries, 2 s each.
E2E_UDP_ASK_PY='
import os, socket, sys
host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
payload = (b"meshxlat-e2e-" + os.urandom(size).hex().encode())[:size]
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(2.0)
s.connect((host, port))
print("local %s" % (s.getsockname(),))
for attempt in range(1, 4):
    s.send(payload)
    print("try %d: sent %d bytes to %s:%d" % (attempt, len(payload), host, port))
    try:
        data, peer = s.recvfrom(65535)
    except socket.timeout:
        print("try %d: no answer in 2 s" % attempt)
        continue
    except ConnectionRefusedError:
        print("try %d: ICMP port unreachable" % attempt)
        continue
    print("try %d: got %d bytes from %s:%d" % (attempt, len(data), peer[0], peer[1]))
    if data != payload:
        print("payload differs")
        sys.exit(1)
    sys.exit(0)
sys.exit(1)
'

# udp_echo_start NAME NS ADDR PORT: start an echo server, wait until bound.
udp_echo_start()
{
	bg_start "$1" "$2" timeout 250 "$PY3" -c "$E2E_UDP_ECHO_PY" "$3" "$4" 240
	wait_until 50 0.1 "UDP echo server on [$3]:$4" \
		e2e_listening "$2" u "$4"
}

# udp_ask NS HOST PORT [SIZE]: one echo exchange, from NS.
udp_ask()
{
	ns_exec "$1" timeout 15 "$PY3" -c "$E2E_UDP_ASK_PY" "$2" "$3" "${4:-64}"
}

# ping_all NS PING_ARGS...: ping from NS; every echo request must be
# answered (ping itself succeeds when one of them is).
ping_all()
{
	local ns=$1 out rc
	shift

	out=$(ns_exec "$ns" ping "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] || return $rc
	printf '%s\n' "$out" |
		grep -Eq '^([0-9]+) packets transmitted, \1 received'
}

# e2e_listening NS t|u PORT: something listens on PORT in NS.
e2e_listening()
{
	ns_exec "$1" ss -Hln"$2" "sport = :$3" | grep -q .
}

# http_start NAME NS ADDR PORT DIR: python3 http.server, wait until bound.
http_start()
{
	bg_start "$1" "$2" timeout 250 "$PY3" -m http.server "$4" \
		--bind "$3" --directory "$5"
	wait_until 50 0.1 "HTTP server on [$3]:$4" e2e_listening "$2" t "$4"
}

# http_fetch_check NS URL OUT REF: fetch URL from NS into OUT (bounded) and
# compare its SHA-256 with that of REF.
http_fetch_check()
{
	local a b

	ns_exec "$1" curl -sS -g --connect-timeout 10 --max-time 60 \
		-o "$3" -w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s, %{speed_download} B/s\n' \
		"$2" || return 1
	a=$(sha256sum <"$4") || return 1
	b=$(sha256sum <"$3") || return 1
	echo "sha256 served:  ${a%% *}"
	echo "sha256 fetched: ${b%% *}"
	[ "$a" = "$b" ]
}

# e2e_random_file PATH SIZE
e2e_random_file()
{
	head -c "$2" /dev/urandom >"$1" || e2e_error "cannot write $1"
}

# ---- teardown ----------------------------------------------------------------

# On failure: state of the hosts, for the report.
e2e_diagnose()
{
	local ns c

	e2e_log "== diagnostics"
	for ns in "${E2E_NS[@]}"; do
		e2e_log "-- $(e2e_ns "$ns"): ip -s link; ip addr; ip route; ip neigh"
		{
			ip -n "$(e2e_ns "$ns")" -s link
			ip -n "$(e2e_ns "$ns")" addr
			ip -n "$(e2e_ns "$ns")" route
			ip -n "$(e2e_ns "$ns")" -6 route
			ip -n "$(e2e_ns "$ns")" neigh
			ip -n "$(e2e_ns "$ns")" -6 neigh
		} 2>&1 | e2e_indent
	done
	for c in "${E2E_DIAG[@]}"; do
		e2e_log "-- $c"
		eval "$c" 2>&1 | e2e_indent
	done
}

e2e_show_file()
{
	local what=$1 f=$2 max=${3:-0}

	if [ ! -e "$f" ]; then
		e2e_log "== $what: none ($f)"
	elif [ "$max" -gt 0 ] && [ "$(wc -l <"$f")" -gt "$max" ]; then
		e2e_log "== $what (last $max lines of $f):"
		tail -n "$max" "$f" | e2e_indent
	else
		e2e_log "== $what ($f):"
		e2e_indent <"$f"
	fi
}

e2e_cleanup()
{
	local rc=$? i ns left cap e d

	[ "$E2E_CLEANING" = 0 ] || return
	E2E_CLEANING=1
	trap '' INT TERM
	[ $rc -eq 0 ] || [ $rc -eq 77 ] || E2E_FAILED=1
	[ $rc -ne 0 ] || [ "$E2E_PASSED" = 1 ] || [ "$E2E_FAILED" = 1 ] ||
		{ E2E_FAILED=1; rc=1; e2e_log "test ended without e2e_pass"; }

	e2e_log "== teardown"
	[ "$E2E_FAILED" = 0 ] || e2e_diagnose

	e2e_dump_ctl
	mx_stop
	for e in "${E2E_MX_EXTRA[@]}"; do
		[ -z "$e" ] || mx_extra_stop "${e%%:*}"
	done
	for ((i = 0; i < ${#E2E_PIDS[@]}; i++)); do
		[ -z "${E2E_PIDS[$i]}" ] || e2e_kill_pid "${E2E_PIDS[$i]}"
	done

	if [ -n "$MX_LOG" ] && [ -e "$MX_LOG" ]; then
		if [ "$E2E_FAILED" = 1 ]; then
			e2e_show_file "meshxlat log" "$MX_LOG"
		else
			e2e_show_file "meshxlat log" "$MX_LOG" 20
		fi
	fi
	if [ -n "$MX_STATS" ] && [ -s "$MX_STATS" ]; then
		e2e_log "== meshxlat stats ($MX_STATS):"
		{ "$PY3" -m json.tool "$MX_STATS" 2>/dev/null ||
			cat "$MX_STATS"; } | e2e_indent
	elif [ -n "$MX_STATS" ]; then
		e2e_log "== meshxlat stats: not written ($MX_STATS)"
	fi
	if [ "$E2E_FAILED" = 1 ]; then
		for ((i = 0; i < ${#E2E_PID_NAMES[@]}; i++)); do
			case ${E2E_PID_NAMES[$i]} in tcpdump-*) continue ;; esac
			e2e_show_file "${E2E_PID_NAMES[$i]} log" \
				"$E2E_DIR/${E2E_PID_NAMES[$i]}.log" 40
		done
		for cap in "${E2E_CAPTURES[@]}"; do
			e2e_log "== capture ${cap#*:} (its last 160 lines):"
			tcpdump -n -e -v -r "${cap#*:}" 2>/dev/null | tail -n 160 |
				e2e_indent
		done
	fi

	for ns in "${E2E_NS[@]}"; do
		ip netns del "$(e2e_ns "$ns")" 2>/dev/null ||
			e2e_log "== could not delete namespace $(e2e_ns "$ns")"
	done
	left=$(ip netns list 2>/dev/null | grep -c "^$E2E_ID")
	[ "$left" = 0 ] || e2e_log "== WARNING: $left namespaces of $E2E_ID left"
	left=$(ip -o link 2>/dev/null | grep -c ": $E2E_ID")
	[ "$left" = 0 ] || e2e_log "== WARNING: $left links of $E2E_ID left"
	# EAL's runtime directories for our --file-prefix (and the extra
	# daemons' $MX_FILE_PREFIX-NAME), if it made them.
	for d in "/var/run/dpdk/$MX_FILE_PREFIX" "/var/run/dpdk/$MX_FILE_PREFIX-"*; do
		[ ! -d "$d" ] || rm -rf "$d"
	done

	if [ -n "$E2E_DIR" ] && [ -d "$E2E_DIR" ]; then
		if [ "$E2E_FAILED" = 0 ] && [ "${E2E_KEEP:-0}" != 1 ]; then
			rm -rf "$E2E_DIR"
		else
			e2e_log "== kept $E2E_DIR"
		fi
	fi

	if [ $rc -eq 77 ]; then
		:
	elif [ "$E2E_FAILED" = 0 ]; then
		e2e_log "PASS: $E2E_NAME ($E2E_STEP steps)"
	else
		# Again at the very end: CI shows only the tail of a long dump.
		e2e_log "FAIL: $E2E_NAME (exit $rc)${E2E_FAIL_WHY:+: $E2E_FAIL_WHY}"
	fi
	exit $rc
}

e2e_pass()
{
	E2E_PASSED=1
	exit 0
}
