#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian packages listed in tools/debian-packages.txt that are
# missing. As root it runs apt-get itself; otherwise through sudo, and only
# when something is missing (so a normal user with everything installed
# never needs root). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
	case "$pkg" in ''|'#'*) continue ;; esac
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done < tools/debian-packages.txt

[ ${#missing[@]} -eq 0 ] && exit 0
echo "meshxlat: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null; then
	SUDO=(sudo)
else
	echo "meshxlat: please install as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
