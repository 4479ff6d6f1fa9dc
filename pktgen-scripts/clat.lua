-- SPDX-License-Identifier: BSD-3-Clause
--
-- clat.lua: the bench/run CLAT scenarios on real NICs with Pktgen-DPDK.
--
-- NOT RUN HERE: there is no Pktgen-DPDK on these VMs and no NIC pair; this
-- script follows the Pktgen-DPDK Lua API (pktgen.set, pktgen.set_ipaddr,
-- pktgen.range.*, pktgen.pcap, pktgen.start/stop, pktgen.portStats) and
-- must be checked against the Pktgen version you use.
--
-- Wiring: Pktgen port 0 <-> meshxlat lan4 port, Pktgen port 1 <-> meshxlat
-- mesh port (conf/demo.json: lan4 MAC 12:34:56:78:9a:bc, mesh MAC
-- 02:00:00:00:00:02; meshxlat's static neighbours must carry the MACs of
-- Pktgen's ports instead of 02:00:00:00:00:01 / 02:00:00:00:00:99).
--
-- Two ways:
--   1. replay the pcaps of gen_clat.py (exactly the bench/run packets):
--        pktgen -l 0-4 -n 4 -- -P -m "[1:2].0,[3:4].1" \
--          -s 0:out/clat46-udp64.pcap -s 1:out/clat64-udp64.pcap \
--          -f pktgen-scripts/clat.lua
--      (-s P:FILE loads a pcap on port P; MODE = "pcap" below enables it)
--   2. range mode (MODE = "range"): the same flows built by Pktgen itself:
--      IPv4 UDP from 192.168.0.1 to 198.18.0.0 + flow, sport 1024 + flow,
--      on port 0; port 1 sends the IPv6 replies from the PLAT prefix to
--      the CLAT prefix.
--
-- Frame sizes are Pktgen's (FCS included): 64 on the IPv4 side, 84 on the
-- IPv6 side, as in gen_clat.py.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local MODE = "range"        -- "range" or "pcap"
local SCENARIO = "both"     -- "clat46" (port 0 only), "clat64" (port 1), "both"
local FLOWS = 256
local SECONDS = 10
local RATE = 100            -- percent of line rate

local LAN4_MAC = "12:34:56:78:9a:bc"
local MESH_MAC = "02:00:00:00:00:02"

local function ports()
	if SCENARIO == "clat46" then return "0" end
	if SCENARIO == "clat64" then return "1" end
	return "0,1"
end

local function setup_range()
	-- port 0: IPv4 client -> lan4
	pktgen.set_proto("0", "udp")
	pktgen.set_type("0", "ipv4")
	pktgen.set_mac("0", "dst", LAN4_MAC)
	pktgen.set_ipaddr("0", "src", "192.168.0.1/24")
	pktgen.set_ipaddr("0", "dst", "198.18.0.0")
	pktgen.range.dst_mac("0", "start", LAN4_MAC)
	pktgen.range.src_ip("0", "start", "192.168.0.1")
	pktgen.range.src_ip("0", "inc", "0.0.0.0")
	pktgen.range.dst_ip("0", "start", "198.18.0.0")
	pktgen.range.dst_ip("0", "inc", "0.0.0.1")
	pktgen.range.dst_ip("0", "min", "198.18.0.0")
	pktgen.range.dst_ip("0", "max", string.format("198.18.%d.%d",
		math.floor((FLOWS - 1) / 256), (FLOWS - 1) % 256))
	pktgen.range.src_port("0", "start", 1024)
	pktgen.range.src_port("0", "inc", 1)
	pktgen.range.src_port("0", "min", 1024)
	pktgen.range.src_port("0", "max", 1024 + FLOWS - 1)
	pktgen.range.dst_port("0", "start", 9)
	pktgen.range.dst_port("0", "inc", 0)
	pktgen.range.pkt_size("0", "start", 64)
	pktgen.range.pkt_size("0", "inc", 0)

	-- port 1: IPv6 replies, PLAT prefix + 198.18.x.y -> CLAT prefix +
	-- 192.168.0.1 (fddd:1337:1337:1234:5678:9abc:c0a8:1)
	pktgen.set_proto("1", "udp")
	pktgen.set_type("1", "ipv6")
	pktgen.set_mac("1", "dst", MESH_MAC)
	pktgen.range.dst_mac("1", "start", MESH_MAC)
	pktgen.range.src_ip("1", "start", "64:ff9b:1:abcd:ef01:2345:c612:0")
	pktgen.range.src_ip("1", "inc", "::1")
	pktgen.range.src_ip("1", "min", "64:ff9b:1:abcd:ef01:2345:c612:0")
	pktgen.range.src_ip("1", "max", string.format(
		"64:ff9b:1:abcd:ef01:2345:c612:%x", FLOWS - 1))
	pktgen.range.dst_ip("1", "start", "fddd:1337:1337:1234:5678:9abc:c0a8:1")
	pktgen.range.dst_ip("1", "inc", "::")
	pktgen.range.src_port("1", "start", 9)
	pktgen.range.src_port("1", "inc", 0)
	pktgen.range.dst_port("1", "start", 1024)
	pktgen.range.dst_port("1", "inc", 1)
	pktgen.range.dst_port("1", "min", 1024)
	pktgen.range.dst_port("1", "max", 1024 + FLOWS - 1)
	pktgen.range.pkt_size("1", "start", 84)
	pktgen.range.pkt_size("1", "inc", 0)

	pktgen.set_range("0,1", "on")
end

if MODE == "pcap" then
	pktgen.pcap("0,1", "on")     -- the files given with -s
else
	setup_range()
end
pktgen.set("0,1", "rate", RATE)
pktgen.clr()
pktgen.start(ports())
pktgen.delay(SECONDS * 1000)
pktgen.stop(ports())
pktgen.delay(500)

for _, p in ipairs({0, 1}) do
	local s = pktgen.portStats(tostring(p), "port")[p]
	if s ~= nil then
		printf("port %d: opackets %d ipackets %d -> tx %.2f Mpps rx %.2f Mpps\n",
		       p, s.opackets, s.ipackets,
		       s.opackets / SECONDS / 1e6, s.ipackets / SECONDS / 1e6)
	end
end
