-- SPDX-License-Identifier: BSD-3-Clause
--
-- fw.lua: the bench/fw.py firewall scenario on real NICs with Pktgen-DPDK:
-- TCP SYNs from the Internet to the home gateway's suffix server on 443,
-- against 10, 1 000 or 10 000 rules.
--
-- NOT RUN HERE: there is no Pktgen-DPDK on these VMs and no NIC pair; this
-- script follows the Pktgen-DPDK Lua API as clat.lua does and must be
-- checked against the Pktgen version you use (the TCP flags call in
-- particular differs between versions).
--
-- Set-up: the daemon with the config of 'gen_fw.py config RULES.txt SOCK
-- conf.json', its wan device and lan device set to the NICs, the wan
-- next hop 2001:db8:ffff:1::fe and the server under both LAN prefixes
-- given Pktgen's MACs (port 0 on wan, port 1 on lan). RULES.txt is
-- 'gen_fw.py rules N-1' (N rules with the seed's). Every SYN is a NEW
-- connection that only the last rule accepts, so each packet walks the
-- whole classification and the connection update, as in bench/fw.py.
--
-- Two ways:
--   1. replay gen_fw.py's pcap (exactly bench/fw.py's packets):
--        python3 pktgen-scripts/gen_fw.py traffic 1024 syn.pcap
--        pktgen -l 0-4 -n 4 -- -P -m "[1:2].0,[3:4].1" -s 0:syn.pcap \
--          -f pktgen-scripts/fw.lua             # with MODE = "pcap"
--   2. range mode (MODE = "range"): SYNs from 2001:db8:beef::7 ... (HOSTS
--      hosts, an odd count) with source ports 10000..10511 to the server
--      2001:db8:1234:1:1234:5678:abcd:ef01 port 443: HOSTS x 512 flows.
--      74-byte frames, as gen_fw.py's.
-- Swap rulesets while it runs (fw.ruleset.replace, test/rpc/fw_swap.py)
-- to see that no packet is lost.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local MODE = "range"        -- "range" or "pcap"
local HOSTS = 3
local SECONDS = 10
local RATE = 100            -- percent of line rate

local WAN_MAC = "02:00:00:00:06:01"

local function setup_range()
	pktgen.set_proto("0", "tcp")
	pktgen.set_type("0", "ipv6")
	pktgen.set_mac("0", "dst", WAN_MAC)
	pktgen.range.dst_mac("0", "start", WAN_MAC)
	pktgen.range.src_ip("0", "start", "2001:db8:beef::7")
	pktgen.range.src_ip("0", "inc", "::1")
	pktgen.range.src_ip("0", "min", "2001:db8:beef::7")
	pktgen.range.src_ip("0", "max", string.format("2001:db8:beef::%x",
	                    7 + HOSTS - 1))
	pktgen.range.dst_ip("0", "start", "2001:db8:1234:1:1234:5678:abcd:ef01")
	pktgen.range.dst_ip("0", "inc", "::")
	pktgen.range.src_port("0", "start", 10000)
	pktgen.range.src_port("0", "inc", 1)
	pktgen.range.src_port("0", "min", 10000)
	pktgen.range.src_port("0", "max", 10511)
	pktgen.range.dst_port("0", "start", 443)
	pktgen.range.dst_port("0", "inc", 0)
	pktgen.range.tcp_flags("0", "set", "syn")   -- check: Pktgen version
	pktgen.range.pkt_size("0", "start", 74)
	pktgen.range.pkt_size("0", "inc", 0)
	pktgen.set_range("0", "on")
end

if MODE == "pcap" then
	pktgen.pcap("0", "on")
else
	setup_range()
end
pktgen.set("0", "rate", RATE)
pktgen.clr()
pktgen.start("0")
pktgen.delay(SECONDS * 1000)
pktgen.stop("0")
pktgen.delay(500)

local tx = pktgen.portStats("0", "port")[0]
local rx = pktgen.portStats("1", "port")[1]
if tx ~= nil and rx ~= nil then
	printf("sent %d SYNs on port 0, %d accepted through to port 1: " ..
	       "%.2f Mpps in, %.2f Mpps out\n", tx.opackets, rx.ipackets,
	       tx.opackets / SECONDS / 1e6, rx.ipackets / SECONDS / 1e6)
end
