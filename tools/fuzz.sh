#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# libFuzzer targets of test/fuzz (STYLE.md section 8, "fuzz"): build them
# with clang from the pure core libraries (lib/pkt, lib/xlat, lib/nat64,
# lib/conf, lib/ctl, lib/roam, the pure part of lib/fw; no DPDK/EAL) into
# build-fuzz/, write the seed corpora
# (test/fuzz/seeds.py, needs scapy), then run each target for a bounded
# time with ASan+UBSan (LeakSanitizer on).
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Default time: 60 s for fuzz_xlat, 20 s for the others; a number given
# applies to every target. Corpora grow in build-fuzz/corpus-<target>/
# and are kept between runs; crash, leak and timeout inputs land in
# build-fuzz/artifacts/. Reproduce one with
#   build-fuzz/<target> build-fuzz/artifacts/<file>
# Exits non-zero when a target does not build or finds anything.
# Environment: CC (clang-14, else clang), FUZZ_FLAGS (extra libFuzzer
# flags, e.g. -jobs=4 or -fork=2 -ignore_crashes=1 to keep going past
# crashes).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

OUT=build-fuzz
ALL_TARGETS="fuzz_xlat fuzz_parse fuzz_conf fuzz_rpc fuzz_nat64 fuzz_rule fuzz_roam
	fuzz_ddns fuzz_mesh"
SECS=
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
	SECS=$1
	shift
fi
TARGETS=${*:-$ALL_TARGETS}

if [ -z "${CC:-}" ]; then
	CC=clang
	command -v clang-14 >/dev/null && CC=clang-14
fi
if ! command -v "$CC" >/dev/null; then
	echo "fuzz.sh: $CC not found (Debian: clang-14 libclang-rt-14-dev)" >&2
	exit 1
fi

CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Ilib/pkt -Ilib/xlat -Ilib/nat64 -Ilib/conf -Ilib/ctl -Ilib/fw -Ilib/roam
	-Iapp/agents/ddns"
JANSSON=$(pkg-config --cflags --libs jansson) || {
	echo "fuzz.sh: jansson not found by pkg-config (libjansson-dev)" >&2
	exit 1
}

mkdir -p "$OUT/artifacts"

# The library sources each target links (globs: new files join in; lib/fw
# by name, as its rule_acl.c needs DPDK).
FW_PURE="lib/fw/conn.c lib/fw/counters.c lib/fw/rule.c lib/fw/rule_format.c
	lib/fw/rule_parse.c lib/fw/ruleset.c"
srcs() {
	case $1 in
	fuzz_parse) echo lib/pkt/*.c ;;
	fuzz_xlat) echo lib/pkt/*.c lib/xlat/*.c ;;
	fuzz_rpc) echo lib/pkt/*.c lib/xlat/*.c lib/conf/*.c lib/ctl/*.c $FW_PURE ;;
	fuzz_nat64) echo lib/pkt/*.c lib/nat64/*.c ;;
	fuzz_rule) echo lib/pkt/*.c $FW_PURE ;;
	fuzz_roam) echo lib/pkt/*.c lib/roam/*.c ;;
	fuzz_ddns) echo lib/pkt/*.c lib/xlat/*.c lib/conf/*.c $FW_PURE \
		app/agents/ddns/addr.c app/agents/ddns/conf.c \
		app/agents/ddns/proto.c ;;
	fuzz_mesh) echo lib/pkt/*.c lib/xlat/*.c lib/conf/*.c $FW_PURE \
		app/agents/mesh/babel.c app/agents/mesh/conf.c \
		app/agents/mesh/msg.c app/agents/mesh/select.c \
		-Iapp/agents/mesh -lcrypto ;;
	*) echo lib/pkt/*.c lib/xlat/*.c lib/conf/*.c $FW_PURE ;;
	esac
}

build() {
	# shellcheck disable=SC2046,SC2086
	"$CC" $CFLAGS -o "$OUT/$1" "test/fuzz/$1.c" $(srcs "$1") $JANSSON \
		2>"$OUT/$1.build.log"
}

secs_for() {
	if [ -n "$SECS" ]; then
		echo "$SECS"
	elif [ "$1" = fuzz_xlat ]; then
		echo 60
	else
		echo 20
	fi
}

# libFuzzer flags per target: input size bound and dictionary.
flags_for() {
	case $1 in
	fuzz_xlat) echo -max_len=2048 ;;
	fuzz_parse) echo -max_len=2048 ;;
	fuzz_conf) echo -max_len=8192 -dict=test/fuzz/conf.dict ;;
	fuzz_rpc) echo -max_len=4096 -dict=test/fuzz/rpc.dict ;;
	fuzz_nat64) echo -max_len=4096 ;;
	fuzz_rule) echo -max_len=4096 -dict=test/fuzz/rule.dict ;;
	fuzz_roam) echo -max_len=2048 ;;
	fuzz_ddns) echo -max_len=4096 -dict=test/fuzz/ddns.dict ;;
	fuzz_mesh) echo -max_len=2048 ;;
	esac
}

if /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	/usr/bin/python3 test/fuzz/seeds.py "$OUT" ||
		echo "fuzz.sh: seeds.py failed; fuzzing from the kept corpora" >&2
else
	echo "fuzz.sh: no scapy for /usr/bin/python3 (python3-scapy):" \
		"no seed corpus" >&2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

pass=0
fail=0
for t in $TARGETS; do
	if [ ! -f "test/fuzz/$t.c" ]; then
		echo "$t: FAIL (no test/fuzz/$t.c)"
		fail=$((fail + 1))
		continue
	fi
	if ! build "$t"; then
		echo "$t: FAIL (build, see $OUT/$t.build.log)"
		sed -n '1,20p' "$OUT/$t.build.log" >&2
		fail=$((fail + 1))
		continue
	fi
	mkdir -p "$OUT/corpus-$t"
	log=$OUT/$t.log
	before=$(find "$OUT/artifacts" -name "$t-*" | wc -l)
	# shellcheck disable=SC2046,SC2086
	"$OUT/$t" -max_total_time="$(secs_for "$t")" -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" $(flags_for "$t") \
		${FUZZ_FLAGS:-} "$OUT/corpus-$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -1)
	# -fork prints no final stats: take the last status line.
	[ -n "$execs" ] ||
		execs=$(sed -n 's/^#\([0-9][0-9]*\):* .*/\1/p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
	corp=$(find "$OUT/corpus-$t" -type f | wc -l)
	new=$(($(find "$OUT/artifacts" -name "$t-*" | wc -l) - before))
	if [ $rc -eq 0 ]; then
		echo "$t: ok, ${execs:-?} execs, ${cov:-cov: ?}, corpus $corp"
		pass=$((pass + 1))
	else
		what=$(grep -Eo 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer)[^(]*|runtime error: .*|deadly signal' "$log" |
		       head -1 | sed 's/ on address.*//')
		# The first frame in our code: a lib function or a check.
		where=$(grep -Eo ' in [a-zA-Z0-9_]+ [^ ]*/(lib|test/fuzz)/[^ ]*' \
			"$log" | head -1 | sed 's# in ##; s# .*/\(lib\|test\)/# \1/#')
		[ -z "$where" ] || what="$what at $where"
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" |
		      tail -1)
		echo "$t: FAIL (exit $rc: ${what:-see $log}), ${execs:-?} execs," \
			"${cov:-cov: ?}; $new new artifact(s), last" \
			"${art:-?}; log $log"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
