#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# meshxlat-ddns as a user meets it, without network or root: every
# example in conf/ddns/ passes --check (with a key file written here:
# --check parses it but never sends), and bad input is refused with a
# message naming the key path and value, or the key file and what is
# wrong with it, exit status 1; no arguments: usage, exit 2.
#
# Usage: ddns.sh PATH/TO/meshxlat-ddns SOURCE_ROOT WORKDIR
set -u
DDNS=$1
SRC=$2
WORK=$3
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

rm -rf "$WORK"
mkdir -p "$WORK" || exit 99
KEY=$WORK/ddns.key
cat >"$KEY" <<'EOK'
key "ddns-key" {
	algorithm hmac-sha256;
	secret "bm90IGEgcmVhbCBzZWNyZXQsIGp1c3QgZm9yIC0tY2hlY2sK";
};
EOK

# 1. The examples.
for f in "$SRC"/conf/ddns/*.json; do
	sed -e "s#/etc/meshxlat/ddns.key#$KEY#" "$f" >"$WORK/ex.json"
	if out=$("$DDNS" --config "$WORK/ex.json" --check 2>&1) &&
	   printf '%s\n' "$out" | grep -q 'key "ddns-key" (hmac-sha256)'; then
		ok "check $(basename "$f")"
		printf '%s\n' "$out" | sed -e 's/^/    | /'
	else
		bad "check $(basename "$f")" "$out"
	fi
done

# 2. Bad configs and keys: exit 1 and the message.
# expect NAME WANT(regex) CONFIG-TEXT [KEY-TEXT]
expect()
{
	local name=$1 want=$2 out rc key=$KEY

	printf '%s\n' "$3" >"$WORK/bad.json"
	if [ $# -ge 4 ]; then
		key=$WORK/bad.key
		printf '%s\n' "$4" >"$key"
	fi
	sed -i -e "s#KEYFILE#$key#" "$WORK/bad.json"
	out=$("$DDNS" --config "$WORK/bad.json" --check 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -Eq -- "$want"; then
		ok "bad $name: $out"
	else
		bad "bad $name" "rc=$rc, wanted /$want/: $out"
	fi
}
GOOD_REST='"server": {"address": "::1"}, "key": "KEYFILE",
  "source": {"linux": {"interface": "br0"}}'
expect mac 'config: hosts\[0\]\.mac: "12:34:56": not a MAC address' \
	"{\"zone\": \"h\", \"hosts\": [{\"name\": \"a\", \"mac\": \"12:34:56\"}], $GOOD_REST}"
expect syntax "config: $WORK/bad.json:[0-9]+:[0-9]+: " '{"zone": '
expect key-missing "key: $WORK/nokey: No such file" \
	'{"zone": "h", "hosts": [{"name": "a", "suffix": "::1"}], "server": {"address": "::1"}, "key": "'"$WORK"'/nokey", "source": {"linux": {"interface": "br0"}}}'
expect key-nosecret 'key: .*bad.key: key "k": no secret' \
	"{\"zone\": \"h\", \"hosts\": [{\"name\": \"a\", \"suffix\": \"::1\"}], $GOOD_REST}" \
	'key "k" { algorithm hmac-sha256; };'
out=$("$DDNS" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "usage: meshxlat-ddns"; then
	ok "no arguments: usage, exit 2"
else
	bad "no arguments" "rc=$rc: $out"
fi
out=$("$DDNS" --config "$WORK/nonexistent.json" 2>&1)
rc=$?
if [ $rc -eq 1 ] &&
   printf '%s\n' "$out" | grep -q "nonexistent.json: No such file"; then
	ok "missing config: $out"
else
	bad "missing config" "rc=$rc: $out"
fi

rm -rf "$WORK"
[ $fails -eq 0 ]
