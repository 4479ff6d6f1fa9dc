#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# suite_smoke.sh BUILD: the benchmark tooling works, whatever the figures.
#  1. every replay generator of pktgen-scripts/ writes byte-identical
#     files on two runs with one seed, and different ones with another
#     seed (so the comparison can fail);
#  2. bench/all --quick runs the stages, clat, nat64 and fw steps into a
#     scratch directory, exits 0, and writes every step's CSV with a
#     positive figure where one is expected, and the summary.
# Nothing here looks at how fast anything was (STYLE.md: benchmarks print
# figures, tests never time them).
set -u
BUILD=$(cd "${1:?usage: suite_smoke.sh BUILD}" && pwd) || exit 99
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY3=/usr/bin/python3
GEN=$TOP/pktgen-scripts
WORK=$(mktemp -d /tmp/mxbenchsmoke.XXXXXX) || exit 99
trap 'rm -rf "$WORK"' EXIT
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

"$PY3" -c 'import scapy' 2>/dev/null || { echo "SKIP: no scapy"; exit 77; }

# gen RUN SEED: every generator, small sizes, into $WORK/RUN.
gen()
{
	local d=$WORK/$1 s=$2

	mkdir -p "$d/clat" &&
	"$PY3" "$GEN/gen_clat.py" --out "$d/clat" --flows 16 --packets 64 \
		--seed "$s" >/dev/null &&
	"$PY3" "$GEN/gen_nat64.py" in2out 2048 "$d/nat64.pcap" --seed "$s" \
		>/dev/null &&
	"$PY3" "$GEN/gen_nat64.py" in2out 2048 "$d/nat64-imix.pcap" \
		--seed "$s" --imix >/dev/null &&
	"$PY3" "$GEN/gen_fw.py" rules 100 "$d/rules.txt" --seed "$s" \
		>/dev/null &&
	"$PY3" "$GEN/gen_roam.py" 1024 "$d/roam.pcap" "$d/roam.json" \
		--seed "$s" >/dev/null
}

sums() { (cd "$WORK/$1" && find . -type f | sort | xargs sha256sum); }

if gen a 7 && gen b 7 && gen c 8; then
	n=$(sums a | wc -l)
	if [ "$n" -ge 10 ] && [ "$(sums a)" = "$(sums b)" ]; then
		ok "generators: $n files, identical on two runs with seed 7"
	else
		bad "generators: the two runs with seed 7 differ ($n files)"
		diff <(sums a) <(sums b)
	fi
	same=$(comm -12 <(sums a | cut -d' ' -f1 | sort) \
		<(sums c | cut -d' ' -f1 | sort) | wc -l)
	if [ "$same" -eq 0 ]; then
		ok "generators: seed 8 gives other files than seed 7"
	else
		bad "generators: $same files of seed 8 equal seed 7's"
	fi
	cnt=$("$PY3" -c '
import sys
from scapy.all import rdpcap
print(len(rdpcap(sys.argv[1])))' "$WORK/a/nat64.pcap")
	[ "$cnt" = 2048 ] && ok "gen_nat64: 2048 flows, 2048 packets" ||
		bad "gen_nat64: $cnt packets for 2048 flows"
else
	bad "a generator failed"
fi

RES=$WORK/results
if "$PY3" "$TOP/bench/all" --build "$BUILD" --quick \
	--only "stages clat nat64 fw" --results "$RES" --no-plots \
	>"$WORK/all.log" 2>&1; then
	ok "bench/all --quick ran (exit 0)"
else
	bad "bench/all --quick failed; its output:"
	tail -n 40 "$WORK/all.log"
	for f in "$RES"/logs/*.log; do
		[ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }
	done
fi
"$PY3" - "$RES" <<'PYEOF' || fails=$((fails + 1))
import csv, os, sys
res = sys.argv[1]
want = {  # CSV: a column that holds a per-packet or per-second figure
    "stages.csv": "median_cycles",
    "daemon-clat.csv": "mpps",
    "daemon-nat64.csv": "mpps",
    "daemon-fw.csv": "mpps",
    "summary.csv": "value",
}
bad = 0
for name, col in want.items():
    p = os.path.join(res, name)
    try:
        rows = list(csv.DictReader(open(p)))
    except OSError as e:
        print("FAIL %s: %s" % (name, e)); bad += 1; continue
    vals = [r.get(col, "") for r in rows]
    pos = [v for v in vals if v not in ("", None) and float(v) > 0]
    if rows and len(pos) == len(vals):
        print("ok   %s: %d rows, every %s positive" % (name, len(rows), col))
    else:
        print("FAIL %s: %d rows, %s = %s" % (name, len(rows), col, vals[:8])); bad += 1
t = {r["step"]: r["status"] for r in csv.DictReader(open(os.path.join(res, "timings.csv")))}
for st in ("stages", "clat", "nat64", "fw"):
    if t.get(st) != "ok":
        print("FAIL step %s: %s" % (st, t.get(st))); bad += 1
if not os.path.getsize(os.path.join(res, "summary.md")):
    print("FAIL summary.md is empty"); bad += 1
sys.exit(1 if bad else 0)
PYEOF

echo "$fails failed"
[ "$fails" -eq 0 ]
