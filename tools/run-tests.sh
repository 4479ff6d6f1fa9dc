#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#  1. install what is missing (tools/deps.sh),
#  2. build/ with warnings as errors, every suite (unit, lib, pcap, e2e; e2e
#     needs root and skips otherwise),
#  3. build-asan/ with ASan+UBSan, the unit, lib, daemon and pcap suites,
#  4. the libFuzzer targets for a bounded time (tools/fuzz.sh).
# Idempotent; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh || exit 1

setup() {	# dir [meson options...]: configure and build, or exit
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null || exit 1
	else
		meson setup "$dir" "$@" >/dev/null || exit 1
	fi
	ninja -C "$dir" || exit 1
}

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
status=0

setup build -Ddeveloper_mode=true
meson test -C build --print-errorlogs --num-processes 2 | tee -a "$LOG" ||
	status=1

# LeakSanitizer stays on: the daemon frees all it allocates, and EAL
# cleans up after itself in rte_eal_cleanup().
setup build-asan -Ddeveloper_mode=true -Db_sanitize=address,undefined \
	-Db_lundef=false -Dbuildtype=debug
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
	meson test -C build-asan --suite unit --suite lib --suite daemon \
	--suite pcap --suite rpc \
	--print-errorlogs --num-processes 2 | tee -a "$LOG" || status=1

# Every parser of outside input, fuzzed for a bounded time (~2 min).
tools/fuzz.sh | tee -a "$LOG" || status=1

# One closing line over all runs (fuzz.sh prints its own in the same
# 'N passed, M failed' form, counted here as well).
awk '/^Ok:/ {ok += $2} /^Fail:/ {f += $2} /^Timeout:/ {f += $2}
     /^[0-9]+ passed, [0-9]+ failed$/ {ok += $1; f += $3}
     /^Unexpected Pass:/ {f += $3} /^Skipped:/ {sk += $2}
     END {printf "tests: %d passed, %d failed, %d skipped\n", ok, f, sk}' "$LOG"
exit $status
