# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# BIND9 for the DDNS tests (sourced after lib.sh): a primary for the zone
# home.example. in namespace NS, that accepts RFC 2136 updates of AAAA
# records signed with one TSIG key (tsig-keygen), and nothing else.
#
#	dns_setup DIR			# keys: DIR/good.key, DIR/wrong.key
#	dns_zone_add "nas IN AAAA 2001:db8::1"	# before dns_start
#	dns_start NS ADDR		# named -g in NS on [ADDR]:53
#	dns_stop			# SIGTERM, by PID; dns_start again
#	dns_aaaa NAME			# the AAAA records named serves, sorted
#
# Both keys are called "ddns-key"; wrong.key has another secret, so the
# server answers NOTAUTH(BADSIG).

DNS_DIR=
DNS_NS=
DNS_ADDR=
DNS_NAME=named
DNS_RUNS=0

dns_setup()
{
	local t

	for t in named tsig-keygen nsupdate dig; do
		command -v "$t" >/dev/null 2>&1 ||
			e2e_skip "no $t (Debian: bind9 bind9-dnsutils)"
	done
	DNS_DIR=$1
	mkdir -p "$DNS_DIR" || e2e_error "mkdir $DNS_DIR"
	tsig-keygen -a hmac-sha256 ddns-key >"$DNS_DIR/good.key" ||
		e2e_error "tsig-keygen failed"
	tsig-keygen -a hmac-sha256 ddns-key >"$DNS_DIR/wrong.key" ||
		e2e_error "tsig-keygen failed"
	cat >"$DNS_DIR/home.example.db" <<EOZ
\$TTL 60
@	IN SOA ns.home.example. hostmaster.home.example. 1 60 60 600 60
@	IN NS ns.home.example.
ns	IN AAAA fd53::53
EOZ
}

dns_zone_add()
{
	printf '%s\n' "$1" >>"$DNS_DIR/home.example.db"
}

# dns_start NS ADDR: named in the foreground (-g), logging to
# $E2E_DIR/named.log (named-2.log ... on later starts).
dns_start()
{
	DNS_NS=$1
	DNS_ADDR=$2
	cat >"$DNS_DIR/named.conf" <<EOC
options {
	directory "$DNS_DIR";
	pid-file "$DNS_DIR/named.pid";
	session-keyfile "$DNS_DIR/session.key";
	managed-keys-directory "$DNS_DIR";
	listen-on { none; };
	listen-on-v6 port 53 { $DNS_ADDR; };
	recursion no;
	dnssec-validation no;
	notify no;
	allow-query { any; };
};
controls { };
include "$DNS_DIR/good.key";
zone "home.example" {
	type primary;
	file "$DNS_DIR/home.example.db";
	update-policy { grant ddns-key zonesub AAAA; };
};
EOC
	DNS_RUNS=$((DNS_RUNS + 1))
	DNS_NAME=named
	[ "$DNS_RUNS" = 1 ] || DNS_NAME=named-$DNS_RUNS
	bg_start "$DNS_NAME" "$DNS_NS" timeout 280 named -g -c "$DNS_DIR/named.conf"
	wait_until 50 0.2 "named answers on [$DNS_ADDR]:53" dns_soa
}

dns_soa()
{
	ns_exec "$DNS_NS" dig -r @"$DNS_ADDR" +time=1 +tries=1 +short \
		home.example SOA | grep -q hostmaster
}

dns_stop()
{
	bg_stop "$DNS_NAME"
}

# dns_aaaa NAME: the AAAA addresses of NAME.home.example, sorted, one a
# line (nothing when there are none).
dns_aaaa()
{
	ns_exec "$DNS_NS" dig -r @"$DNS_ADDR" +time=1 +tries=2 +short \
		"$1.home.example" AAAA | sort
}

# dns_expect NAME ADDR: the server has exactly ADDR for NAME.
dns_expect()
{
	local got
	got=$(dns_aaaa "$1")
	[ "$got" = "$2" ]
}
