#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The newcomer's first command: install what is missing, build into
# build/, and run the embedded demo (a CLAT on pcap ports: no hardware, no
# hugepages, no root needed for the run itself). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo
exec build/app/meshxlat/meshxlat
