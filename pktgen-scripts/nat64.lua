-- SPDX-License-Identifier: BSD-3-Clause
--
-- nat64.lua: the bench/nat64.py PLAT scenarios on real NICs with
-- Pktgen-DPDK (stateful NAT64, in2out: IPv6 clients -> IPv4 Internet).
--
-- NOT RUN HERE: there is no Pktgen-DPDK on these VMs and no NIC pair; this
-- script follows the Pktgen-DPDK Lua API as clat.lua does and must be
-- checked against the Pktgen version you use.
--
-- Wiring: Pktgen port 0 <-> meshxlat's mesh port (the PLAT's IPv6 side,
-- MAC 02:00:00:00:00:02 in bench/nat64.py's config), Pktgen port 1 <->
-- its wan port (IPv4, 10.23.0.9/16, next hop 10.23.0.1: give that
-- neighbour Pktgen port 1's MAC). Port 1 counts the translated packets.
--
-- Two ways:
--   1. replay the pcaps of gen_nat64.py (exactly bench/nat64.py's packets,
--      one frame per flow, seeded order; or gen_roam.py's for roamed
--      clients, after their roam.add entries):
--        python3 pktgen-scripts/gen_nat64.py in2out 100000 in2out.pcap
--        pktgen -l 0-4 -n 4 -- -P -m "[1:2].0,[3:4].1" -s 0:in2out.pcap \
--          -f pktgen-scripts/nat64.lua          # with MODE = "pcap"
--      Pktgen loads the whole pcap into mbufs: a 1 M-flow file needs a
--      mempool of over 1 M mbufs; use range mode for 1 M flows.
--   2. range mode (MODE = "range", the default): Pktgen builds the flows:
--      UDP from CLIENTS clients 2001:db8:b::1, ::2, ... (an odd count) with
--      source ports 10000..10000+PORTS-1 to 64:ff9b::198.18.0.1 port 53.
--      Pktgen steps every range field at each packet, so the pairs (client,
--      port) repeat after lcm(CLIENTS, PORTS) = CLIENTS x PORTS packets
--      when CLIENTS is odd and PORTS a power of two: FLOWS = 1 000 ->
--      1 x 1024, 100 000 -> 99 x 1024, 1 000 000 -> 977 x 1024 flows.
--      PORTS stays at 1024, under the PLAT's sessions per client.
--   The first pass creates the sessions (the setup rate); established
--   flows follow. The out2in direction needs the sessions' pool addresses
--   and ports: replay gen_nat64.py out2in's pcap (written from
--   'meshxlatctl --json plat.session.list') on port 1 instead.
--
-- Frame size: 84 bytes on the IPv6 side (64 once translated), FCS
-- included; IMIX: PKT_SIZE per run (84, 590, 1518) or gen_nat64.py --imix.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local MODE = "range"        -- "range" or "pcap"
local FLOWS = 100000        -- 1000, 100000 or 1000000
local PKT_SIZE = 84
local SECONDS = 10
local RATE = 100            -- percent of line rate

local MESH_MAC = "02:00:00:00:00:02"
local PORTS = 1024

local function setup_range()
	local clients = math.max(1, math.floor(FLOWS / PORTS))
	if clients % 2 == 0 then clients = clients + 1 end

	pktgen.set_proto("0", "udp")
	pktgen.set_type("0", "ipv6")
	pktgen.set_mac("0", "dst", MESH_MAC)
	pktgen.range.dst_mac("0", "start", MESH_MAC)
	pktgen.range.src_ip("0", "start", "2001:db8:b::1")
	pktgen.range.src_ip("0", "inc", "::1")
	pktgen.range.src_ip("0", "min", "2001:db8:b::1")
	pktgen.range.src_ip("0", "max", string.format("2001:db8:b::%x", clients))
	pktgen.range.dst_ip("0", "start", "64:ff9b::c612:1")
	pktgen.range.dst_ip("0", "inc", "::")
	pktgen.range.src_port("0", "start", 10000)
	pktgen.range.src_port("0", "inc", 1)
	pktgen.range.src_port("0", "min", 10000)
	pktgen.range.src_port("0", "max", 10000 + PORTS - 1)
	pktgen.range.dst_port("0", "start", 53)
	pktgen.range.dst_port("0", "inc", 0)
	pktgen.range.pkt_size("0", "start", PKT_SIZE)
	pktgen.range.pkt_size("0", "inc", 0)
	pktgen.set_range("0", "on")
	printf("nat64.lua: %d clients x %d ports = %d flows\n", clients, PORTS,
	       clients * PORTS)
end

if MODE == "pcap" then
	pktgen.pcap("0", "on")       -- the file given with -s 0:FILE
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
	printf("sent %d on port 0, %d translated back on port 1: %.2f Mpps " ..
	       "in, %.2f Mpps out, loss %.2f %%\n", tx.opackets, rx.ipackets,
	       tx.opackets / SECONDS / 1e6, rx.ipackets / SECONDS / 1e6,
	       tx.opackets > 0 and 100 * (1 - rx.ipackets / tx.opackets) or 0)
end
