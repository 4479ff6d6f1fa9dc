# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Helpers for the e2e tests of the mesh agent (meshxlat-mesh) with real
# babeld; sourced after lib.sh. They talk to babeld's local socket, to the
# agents' control sockets and to meshxlat's with a Python expression over
# the JSON answer, so a check prints what it saw.

# mesh_babeld NAME NS IF SOCK [ARG...]: babeld on IF in NS with 1 s hellos,
# its local socket SOCK (-G), its own pid and state files; the node's own
# addresses are not redistributed unless an ARG allows some first. No
# hysteresis (smoothing-half-life 0, babeld.conf(5): "suitable for wired
# networks"): a node that first learned a route through a neighbour, before
# its direct link was up, otherwise keeps the longer path for up to ~30 s.
mesh_babeld()
{
	local name=$1 ns=$2 ifc=$3 sock=$4
	shift 4

	bg_start "$name" "$ns" timeout 290 babeld -H 1 \
		-I "$E2E_DIR/$name.pid" -S "$E2E_DIR/$name.state" -G "$sock" \
		-C 'smoothing-half-life 0' \
		"$@" -C 'redistribute local deny' "$ifc"
}

# mesh_babel_installed NS SOCK PREFIX METRIC...: babeld (local socket SOCK
# in NS) has installed each PREFIX with METRIC ('dump').
mesh_babel_installed()
{
	local ns=$1 sock=$2
	shift 2

	ns_exec "$ns" timeout 5 "$PY3" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(3)
s.sendall(b"dump\n")
buf = b""
# the greeting ends with "ok", then the dump does
while buf.split(b"\n").count(b"ok") < 2:
    d = s.recv(65536)
    if not d:
        break
    buf += d
want = dict(zip(sys.argv[2::2], sys.argv[3::2]))
got = {}
for line in buf.decode().splitlines():
    w = line.split()
    if len(w) > 4 and w[1] == "route" and "installed" in w:
        if w[w.index("installed") + 1] == "yes":
            got[w[w.index("prefix") + 1]] = w[w.index("metric") + 1]
print(got)
sys.exit(0 if all(got.get(p) == m for p, m in want.items()) else 1)' \
		"$sock" "$@"
}

# mesh_kroute NS PREFIX: the kernel of NS has a babel route to PREFIX.
mesh_kroute()
{
	ip -n "$(e2e_ns "$1")" -6 route show proto babel | grep -q "^$2 "
}

# mesh_json SOCK METHOD EXPR [key=value...]: call METHOD on a control
# socket (meshxlat's or an agent's) and evaluate the Python expression
# EXPR over its result 'r'; succeeds when it is True.
mesh_json()
{
	local s=$1 m=$2 e=$3
	shift 3

	mxctl --socket "$s" --json "$m" "$@" | "$PY3" -c '
import json, sys
r = json.load(sys.stdin)
ok = eval(sys.argv[1])
print("%s -> %s" % (sys.argv[1], ok))
sys.exit(0 if ok is True else 1)' "$e"
}

# mesh_get SOCK METHOD EXPR: print the value of EXPR over the result 'r'.
mesh_get()
{
	mxctl --socket "$1" --json "$2" | "$PY3" -c '
import json, sys
r = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$3"
}

# mesh_client_addr NET64 MAC: the client's MAC-derived address, NET64 +
# the modified EUI-64 of MAC (RFC 4291 appendix A), as the agent makes it.
mesh_client_addr()
{
	"$PY3" -c '
import ipaddress, sys
net = ipaddress.IPv6Network(sys.argv[1])
m = bytes.fromhex(sys.argv[2].replace(":", ""))
iid = bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:6]
print(ipaddress.IPv6Address(net.network_address.packed[:8] + iid))' "$1" "$2"
}
