# SPDX-License-Identifier: BSD-3-Clause
"""
Shared vocabulary of the golden-packet cases (test/pcap/defs/*.py).

The definitions import everything from here: the named constants of the
test topology (addresses and MACs), the RFC helpers used to build EXPECTED
packets independently of meshxlat (RFC 6052 embedding, modified EUI-64,
solicited-node multicast), the default daemon config, and the 'Case' and
'Exp' records that run_cases.py consumes.

Topology (port index = net_pcapN vdev = position in the config's ports):

    port 0 "lan4" (role lan4, CLAT client port)   port 1 "mesh" (role mesh6)
    12:34:56:78:9a:bc  192.168.0.254/24            02:00:00:00:00:02
    client4 192.168.0.1 (02:00:00:00:00:11)        2001:db8:1c0:2:1::1/64
                                                   gw6 2001:db8:1c0:2:1::2
                                                       (02:00:00:00:00:99)

Nothing here looks at meshxlat's code: every expected byte follows from
the RFCs and from the daemon contract written in the case comments.
"""

import copy
import ipaddress
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, IPv6, Raw,  # noqa: F401
                       Padding, Dot1Q, IPOption, IPOption_RR, IPOption_LSRR,
                       IPOption_SSRR, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       ICMPv6EchoRequest, ICMPv6EchoReply, ICMPv6ND_NS,
                       ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr,
                       ICMPv6TimeExceeded, ICMPv6DestUnreach, PadN)

# --- topology ---------------------------------------------------------------
LAN4, MESH = 0, 1                       # port indexes (net_pcap0, net_pcap1)
PORT_NAMES = {LAN4: "lan4", MESH: "mesh"}

lan4_mac = "12:34:56:78:9a:bc"
lan4_ip4 = "192.168.0.254"
lan4_net4 = "192.168.0.0/24"
mesh_mac = "02:00:00:00:00:02"
mesh_ip6 = "2001:db8:1c0:2:1::1"
mesh_net6 = "2001:db8:1c0:2:1::/64"

client4 = "192.168.0.1"                 # static neighbour on lan4
client4_mac = "02:00:00:00:00:11"
client4b = "192.168.0.2"                # on lan4, NOT a static neighbour
client4b_mac = "02:00:00:00:00:12"
stranger4 = "192.168.0.50"              # pings the box, not a neighbour
stranger4_mac = "02:00:00:00:00:50"

gw6 = "2001:db8:1c0:2:1::2"             # static neighbour on mesh
gw6_mac = "02:00:00:00:00:99"
gw6_ll = "fe80::99"
peer6 = "2001:db8:1c0:2:1::3"           # on mesh, NOT a static neighbour
other_mac = "02:00:00:00:00:98"         # some other host on the mesh
remote6 = "2001:db8:aaaa::5"            # beyond the mesh

clat_range = "fddd:1337:1337::/48"
plat_prefix = "64:ff9b:1:abcd:ef01:2345::/96"
remote4 = "198.51.100.7"                # an IPv4 host behind the PLAT
remote4b = "203.0.113.9"

BCAST = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"
ALL_NODES = "ff02::1"


# --- RFC helpers --------------------------------------------------------------
def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def embed96(prefix, v4):
    """RFC 6052 section 2.2, /96: the IPv4 address in the last 32 bits."""
    net = ipaddress.IPv6Network(prefix)
    assert net.prefixlen == 96
    return str(ipaddress.IPv6Address(int(net.network_address) |
                                     int(ipaddress.IPv4Address(v4))))


def clat_prefix_of(rng, mac):
    """Architecture: clat_range (/48) + the client port's MAC (48 bits)."""
    net = ipaddress.IPv6Network(rng)
    assert net.prefixlen == 48
    n = int(net.network_address) | (int.from_bytes(mac_bytes(mac), "big") << 32)
    return "%s/96" % ipaddress.IPv6Address(n)


def link_local(mac):
    """RFC 4291 appendix A: modified EUI-64 (flip U/L, insert ff:fe)."""
    b = bytearray(mac_bytes(mac))
    b[0] ^= 0x02
    iid = bytes(b[:3]) + b"\xff\xfe" + bytes(b[3:])
    return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + iid))


def solicited_node(ip6):
    """RFC 4291 section 2.7.1: ff02::1:ffXX:XXXX."""
    low = int(ipaddress.IPv6Address(ip6)) & 0xffffff
    return str(ipaddress.IPv6Address(
        int(ipaddress.IPv6Address("ff02::1:ff00:0")) | low))


def mcast_mac6(ip6):
    """RFC 2464 section 7: 33:33 + the last 32 bits."""
    b = ipaddress.IPv6Address(ip6).packed[-4:]
    return "33:33:" + ":".join("%02x" % x for x in b)


clat_prefix = clat_prefix_of(clat_range, lan4_mac)     # fddd:1337:1337:1234:5678:9abc::/96
lan4_ll = link_local(lan4_mac)                          # fe80::1034:56ff:fe78:9abc
mesh_ll = link_local(mesh_mac)                          # fe80::ff:fe00:2


def c6(v4):
    """The IPv6 address of an IPv4 client: CLAT prefix + v4."""
    return embed96(clat_prefix, v4)


def p6(v4):
    """The IPv6 address of an IPv4 server: PLAT prefix + v4."""
    return embed96(plat_prefix, v4)


assert clat_prefix == "fddd:1337:1337:1234:5678:9abc::/96"
assert lan4_ll == "fe80::1034:56ff:fe78:9abc"
assert mesh_ll == "fe80::ff:fe00:2"
assert p6("192.0.2.33") == "64:ff9b:1:abcd:ef01:2345:c000:221"


def payload(n, seed=0):
    """n deterministic payload bytes."""
    return bytes((seed + i * 7) & 0xff for i in range(n))


def ip4_bytes(pkt):
    """The IPv4/IPv6 packet of an Ether frame, as bytes (no padding)."""
    ip = pkt.getlayer(IP) or pkt.getlayer(IPv6)
    b = bytes(ip)
    if ip.__class__ is IP:
        return b[:ip.len] if ip.len is not None else b
    return b[:40 + ip.plen] if ip.plen is not None else b


def icmp4_error(inp_frame, typ, code, src, port_mac):
    """
    The ICMPv4 error the box sends back for 'inp_frame' (RFC 792/1812):
    IPv4 src = 'src' (first address of the ingress port), dst = original
    source, TTL 64, id 0 (masked anyway), DF 0, tos 0; payload = the
    invoking IPv4 packet as received, truncated to keep the error <= 576
    bytes (RFC 1812 section 4.3.2.3); Ethernet back to the sender.
    """
    orig = inp_frame[IP]
    inner = ip4_bytes(inp_frame)[:576 - 28]
    return Exp(Ether(src=port_mac, dst=inp_frame[Ether].src) /
               IP(src=src, dst=orig.src, ttl=64, id=0, flags=0, tos=0) /
               ICMP(type=typ, code=code) / Raw(inner), free_ip4_id=True)


def icmp6_error(inp_frame, cls, code, src, port_mac):
    """
    The ICMPv6 error for 'inp_frame' (RFC 4443 section 2.4): src = 'src',
    dst = original source, hop limit 64, tc 0, fl 0; payload = as much of
    the invoking packet as fits in 1280 bytes.
    """
    orig = inp_frame[IPv6]
    inner = ip4_bytes(inp_frame)[:1280 - 48]
    return Exp(Ether(src=port_mac, dst=inp_frame[Ether].src) /
               IPv6(src=src, dst=orig.src, hlim=64, tc=0, fl=0) /
               cls(code=code) / Raw(inner))


# --- the default daemon config -------------------------------------------------
def base_config():
    return {
        "ports": [
            {"name": "lan4", "device": "net_pcap0", "role": "lan4",
             "mac": lan4_mac, "mtu": 1500,
             "ipv4": [lan4_ip4 + "/24"], "ipv6": []},
            {"name": "mesh", "device": "net_pcap1", "role": "mesh6",
             "mac": mesh_mac, "mtu": 1500, "ipv6": [mesh_ip6 + "/64"]},
        ],
        "routes": [
            {"prefix": plat_prefix, "port": "mesh", "via": gw6},
        ],
        "neighbours": [
            {"ip": gw6, "mac": gw6_mac, "port": "mesh"},
            {"ip": client4, "mac": client4_mac, "port": "lan4"},
        ],
        "clat": {"clat_range": clat_range, "plat_prefix": plat_prefix,
                 "client_port": "lan4"},
        "workers": {"lcores": 1},
    }


# --- records -------------------------------------------------------------------
class Exp:
    """
    One expected output frame.

    free_ip4_id: the outermost IPv4 identification is left free by the RFC
        (RFC 7915 section 5.1 "set according to a Fragment Identification
        generator"; packets the box builds itself), so those 2 bytes and the
        header checksum that covers them are masked; the checksum is still
        verified on its own.
    pad_ok: the frame may carry zero padding up to 60 bytes (frames the box
        builds from scratch, such as ARP, where both forms are valid).
    free_inner_ip4_id: the identification of the IPv4 packet quoted in an
        ICMPv4 error is free too (RFC 7915 section 5.1 applied to the packet
        in error, section 5.3), so it is masked with the inner header
        checksum and the ICMPv4 checksum that cover it (the ICMPv4 checksum
        is still verified on its own).
    free_sport: a FreePort: the source port (ICMP: the query identifier)
        of the outermost transport header is the NAT's choice (RFC 6146
        section 3.5.1.1: "the NAT64 ... selects an IPv4 transport address
        from the pool"; RFC 6056 asks for it to be hard to guess), so those
        2 bytes and the transport checksum that covers them are masked. The
        runner checks the value against the FreePort's rules instead, and
        still verifies the checksum on its own.
    """

    def __init__(self, pkt, free_ip4_id=False, pad_ok=False,
                 free_inner_ip4_id=False, free_sport=None):
        self.pkt = pkt
        self.free_ip4_id = free_ip4_id
        self.pad_ok = pad_ok
        self.free_inner_ip4_id = free_inner_ip4_id
        self.free_sport = free_sport

    def frame(self):
        return bytes(self.pkt)

    def masks(self):
        """[(offset, size)] of the masked bytes."""
        out = []
        if self.free_ip4_id and self.pkt.haslayer(IP):
            off = len(self.pkt) - len(self.pkt[IP])
            out += [(off + 4, 2), (off + 10, 2)]
        if self.free_inner_ip4_id and self.pkt.haslayer(IP):
            b = bytes(self.pkt)
            off = len(self.pkt) - len(self.pkt[IP])
            icmp = off + (b[off] & 0xf) * 4
            inner = icmp + 8
            out += [(icmp + 2, 2), (inner + 4, 2), (inner + 10, 2)]
        if self.free_sport is not None:
            port, csum = self.sport_offsets()
            out += [(port, 2), (csum, 2)]
        return out

    def sport_offsets(self):
        """(offset of the source port or ICMP identifier, offset of the
        transport checksum) in the frame."""
        ip = self.pkt.getlayer(IP) or self.pkt.getlayer(IPv6)
        off = len(self.pkt) - len(ip)
        if ip.__class__ is IP:
            l4 = off + (bytes(ip)[0] & 0xf) * 4
            nh = ip.proto
        else:
            l4 = off + 40
            nh = ip.nh
        if nh in (1, 58):
            return l4 + 4, l4 + 2       # echo identifier, checksum
        assert nh in (6, 17), "free_sport: no port in protocol %d" % nh
        return l4, l4 + (16 if nh == 6 else 6)

    def port_of(self, frame):
        """The value at the free source port's place in 'frame'."""
        off = self.sport_offsets()[0]
        return int.from_bytes(frame[off:off + 2], "big")


class FreePort:
    """
    What a port the NAT chose must satisfy (Exp.free_sport): inside
    [lo, hi] (the pool's port range, RFC 6146 section 3.5.1.1: from the
    pool), and optionally of the parity of 'parity' (RFC 4787 REQ-4,
    RFC 7857 section 9: the parity of the client's port is kept where
    possible), in the 'block_size'-port block that starts at 'lo' + k *
    block_size together with every port of the same 'block' tag (the
    client's ports come from its block), equal to every port of the same
    'same' tag (endpoint-independent mapping, RFC 4787 REQ-1: one client
    port, one IPv4 port for every destination), different from every
    port of the same 'unique' tag (two BIB entries never share one).
    """

    def __init__(self, lo=None, hi=None, parity=None, same=None,
                 unique=None, block=None, block_size=64):
        self.lo = plat_ports[0] if lo is None else lo
        self.hi = plat_ports[1] if hi is None else hi
        self.parity = parity
        self.same = same
        self.unique = unique
        self.block = block
        self.block_size = block_size

    def errors(self, v):
        """What is wrong with port value v on its own."""
        out = []
        if not self.lo <= v <= self.hi:
            out.append("port %d outside %d-%d" % (v, self.lo, self.hi))
        if self.parity is not None and v % 2 != self.parity % 2:
            out.append("port %d: parity differs from the client's %d"
                       % (v, self.parity))
        return out

    def block_of(self, v):
        return (v - self.lo) // self.block_size

    def placeholder(self):
        """A value that obeys the rules on its own: what the expected
        packet carries in the masked place."""
        v = self.lo
        if self.parity is not None and v % 2 != self.parity % 2:
            v += 1
        return v


class Case:
    """
    One golden-packet case; the @case decorator names it after the function
    and takes its docstring as the description.

    inp:      {port: [frames]} fed to the daemon, in order.
    out:      {port: [Exp or frame]} expected on each port, in order; a port
              missing here must stay silent.
    drops:    {reason: n} expected drop counters; every other reason must be
              0. A key "a|b" means the sum of reasons a and b (where the
              contract allows either).
    counters: {name: n} expected values of these counters (others free).
    config:   the daemon config (default: base_config()).
    idle_exit: --idle-exit in ms (1500 for cases that wait for a timeout).
    ignore:   a predicate on an output frame (a Scapy Ether); frames for
              which it is true are left out before comparing. Only for
              frames whose presence depends on timing, never to hide a bug.
    args:     more daemon options after '--' (e.g. --nat64-clock-speed).
    then:     a Case run after this one, as a restart of the daemon in the
              same case directory (its files in the subdirectory "then"),
              with its own input, output and counters; the string
              "@CASEDIR@" in either config stands for the case directory
              (for state kept across the restart, plat.snapshot). Its
              name and docstring are this case's.
    seq:      instead of 'inp': [(port, frame)] processed in exactly this
              order across ports (a reply must meet the state its request
              created). See sequence() for how; the config then runs one
              worker with bursts of one packet, and the filler frames it
              needs are counted in 'fillers' (dropped as eth_not_us, which
              the runner expects on top of 'drops').
    logs:     substrings that must each appear in the daemon's output
              (log.txt), such as a LOG rule's prefix.
    """

    def __init__(self, inp=None, out=None, drops=None, counters=None,
                 config=None, idle_exit=300, ignore=None, args=None,
                 then=None, seq=None, logs=None):
        self.name = None
        self.doc = ""
        self.out = {p: [x if isinstance(x, Exp) else Exp(x) for x in lst]
                    for p, lst in (out or {}).items()}
        self.drops = drops or {}
        self.counters = counters or {}
        self.config = config if config is not None else base_config()
        self.idle_exit = idle_exit
        self.ignore = ignore
        self.args = list(args or [])
        self.then = then
        self.logs = list(logs or [])
        self.fillers = 0
        assert inp is None or seq is None, "give inp or seq, not both"
        if seq is not None:
            self.config = copy.deepcopy(self.config)
            self.config["workers"] = dict(self.config.get("workers", {}),
                                          lcores=1, burst=1)
            inp, self.fillers = sequence(seq)
        self.inp = inp or {}


# --- ordering input across ports --------------------------------------------
FILLER_MAC = "02:00:00:00:ff:fe"        # nobody's: dropped as eth_not_us


def filler():
    """A frame the daemon drops first thing (unicast for another MAC,
    eth_not_us): it takes a port's turn without touching any state."""
    return (Ether(src="02:00:00:00:ff:fd", dst=FILLER_MAC, type=0x88b5) /
            Raw(bytes(46)))


def sequence(seq):
    """
    Turn [(port, frame)] into per-port input that meshxlat processes in
    exactly the order of 'seq'.

    net_pcap replays each port's file as fast as it is polled, so two
    files have no order between them. But one worker polls its ports in
    config order, one rx burst each per turn (worker.c mx_worker_main,
    ports started before the worker is launched), and with bursts of one
    packet a turn takes at most one frame from each port: frame k of a
    port's file is seen in turn k. A step goes into the current turn when
    its port comes later in the poll order than the last port used in
    that turn, else into the next turn; a port with nothing to say in a
    turn before its next frame gets a filler. Returns ({port: [frames]},
    number of fillers).
    """
    ports = {}
    turn, last = 0, -1
    for port, frame in seq:
        if port <= last:
            turn, last = turn + 1, -1
        lst = ports.setdefault(port, [])
        while len(lst) < turn:
            lst.append(filler())
        lst.append(frame)
        last = port
    n = sum(1 for lst in ports.values() for f in lst
            if f.haslayer(Ether) and f[Ether].dst == FILLER_MAC)
    return ports, n


def case(fn):
    """
    Decorator: build the Case that 'fn' returns, name it after 'fn' and
    append it to the CASES list of the defining module (created on first
    use), which run_cases.py reads.
    """
    c = fn()
    assert isinstance(c, Case), fn.__name__
    c.name = fn.__name__
    c.doc = " ".join((fn.__doc__ or "").split())
    t = c.then
    while t is not None:
        t.name, t.doc = c.name, c.doc
        t = t.then
    lst = sys.modules[fn.__module__].__dict__.setdefault("CASES", [])
    assert all(x.name != c.name for x in lst), c.name
    lst.append(c)
    return fn


def config_with(**changes):
    """base_config() with top-level keys replaced."""
    c = base_config()
    c.update(copy.deepcopy(changes))
    return c


# --- a plain IPv4 router: lan4 + wan4, no CLAT ------------------------------
WAN = 1                                 # port 1 in wan_config()
wan_mac = "02:00:00:00:00:03"
wan_ip4 = "10.23.0.9"
wan_gw4 = "10.23.0.1"
wan_gw4_mac = "02:00:00:00:00:a1"


def wan_config(default_route=True):
    """Port 1 becomes an IPv4 uplink; no clat section, so IPv4 is routed."""
    return {
        "ports": [
            {"name": "lan4", "device": "net_pcap0", "role": "lan4",
             "mac": lan4_mac, "mtu": 1500,
             "ipv4": [lan4_ip4 + "/24"], "ipv6": []},
            {"name": "wan", "device": "net_pcap1", "role": "wan4",
             "mac": wan_mac, "mtu": 1500, "ipv4": [wan_ip4 + "/24"]},
        ],
        "routes": ([{"prefix": "0.0.0.0/0", "port": "wan", "via": wan_gw4}]
                   if default_route else []),
        "neighbours": [
            {"ip": wan_gw4, "mac": wan_gw4_mac, "port": "wan"},
            {"ip": client4, "mac": client4_mac, "port": "lan4"},
        ],
        "workers": {"lcores": 1},
    }


# --- plain SIIT (RFC 7915): lan4 = the IPv4 side, mesh = the IPv6 side ------
from scapy.all import IPv6ExtHdrFragment, ICMPv6PacketTooBig  # noqa: E402,F401
# Used by defs/siit_*.py. No clat section: IPv4 arriving on lan4 whose
# destination translates (EAMT first, RFC 7757; else pool6, RFC 6052) goes
# out as IPv6 by the IPv6 table, IPv6 to pool6 or an EAM IPv6 prefix goes
# out as IPv4 by the IPv4 table.
#
#   port 0 "lan4" 12:34:56:78:9a:bc 192.0.2.1/24     port 1 "mesh" 02:00:00:00:00:02
#   gw4 192.0.2.254 (02:00:00:00:00:a4)               2001:db8:1::1/64
#   0.0.0.0/0 via gw4                                 gw6s 2001:db8:1::fe (02:00:00:00:00:a6)
#                                                     ::/0 via gw6s
siit_ip4 = "192.0.2.1"                  # lan4 port address (ICMPv4 errors)
siit_ip6 = "2001:db8:1::1"              # mesh port address (ICMPv6 errors)
gw4 = "192.0.2.254"
gw4_mac = "02:00:00:00:00:a4"
gw6s = "2001:db8:1::fe"
gw6s_mac = "02:00:00:00:00:a6"
siit_pool6 = "64:ff9b::/96"
SIIT_EAMT = [("2001:db8:6::/120", "198.51.100.0/24"),
             ("2001:db8:7::1/128", "203.0.113.7/32")]
rfc6791_4 = "192.0.0.8"                 # the one-address RFC 6791 IPv4 pool
rfc6791_6 = "2001:db8:ffff::1"          # the one-address RFC 6791 IPv6 pool

h4 = "203.0.113.50"                     # IPv4 host beyond gw4 (pool6)
h4b = "203.0.113.51"
r4 = "203.0.113.99"                     # an IPv4 router beyond gw4
a6 = "2001:db8:6::5"                    # IPv6 host, EAM <-> 198.51.100.5
a6b = "2001:db8:6::c8"                  # IPv6 host, EAM <-> 198.51.100.200
s7 = "2001:db8:7::1"                    # IPv6 host, EAM /128 <-> 203.0.113.7
n6p = "64:ff9b::a01:203"                # IPv6 host with a pool6 address (10.1.2.3)
r6 = "2001:db8:aaaa::1"                 # IPv6 router with no IPv4 form
r6t = "2001:db8:6::fe"                  # IPv6 router, EAM <-> 198.51.100.254


def eam_map(addr, eamt, to6):
    """RFC 7757 section 3.2/3.3: longest matching EAM, suffix copied."""
    best = None
    for p6, p4 in eamt:
        n6, n4 = ipaddress.IPv6Network(p6), ipaddress.IPv4Network(p4)
        src, dst = (n4, n6) if to6 else (n6, n4)
        a = ipaddress.ip_address(addr)
        if a.version != src.version or a not in src:
            continue
        if best is None or src.prefixlen > best[0].prefixlen:
            best = (src, dst)
    if best is None:
        return None
    src, dst = best
    suffix = int(ipaddress.ip_address(addr)) - int(src.network_address)
    return str(ipaddress.ip_address(int(dst.network_address) + suffix))


def x46(v4, eamt=SIIT_EAMT, pool6=siit_pool6):
    """The IPv6 form of an IPv4 address: EAMT, else pool6 (RFC 6052)."""
    m = eam_map(v4, eamt, True)
    if m is not None:
        return m
    return None if pool6 is None else embed96(pool6, v4)


def x64(v6, eamt=SIIT_EAMT, pool6=siit_pool6):
    """The IPv4 form of an IPv6 address: EAMT, else pool6, else None."""
    m = eam_map(v6, eamt, False)
    if m is not None:
        return m
    if pool6 is not None and ipaddress.IPv6Address(v6) in \
            ipaddress.IPv6Network(pool6):
        return str(ipaddress.IPv4Address(
            int(ipaddress.IPv6Address(v6)) & 0xffffffff))
    return None


assert x46("198.51.100.5") == a6 and x64(a6) == "198.51.100.5"
assert x46("203.0.113.7") == s7 and x64(s7) == "203.0.113.7"
assert x46(h4) == "64:ff9b::cb00:7132" and x64(n6p) == "10.1.2.3"
assert x64(r6) is None


def siit_config(lan4_mtu=1500, mesh_mtu=1500, eamt=SIIT_EAMT, **siit):
    """The plain SIIT topology above; keyword arguments replace keys of
    the siit section."""
    s = {"pool6": siit_pool6,
         "eamt": [{"ipv6": a, "ipv4": b} for a, b in eamt],
         "rfc6791v4": [rfc6791_4],
         "rfc6791v6": rfc6791_6 + "/128",
         "lowest_ipv6_mtu": 1280,
         "amend_udp_checksum_zero": False,
         "zeroize_traffic_class": False,
         "override_tos": None}
    s.update(copy.deepcopy(siit))
    return {
        "ports": [
            {"name": "lan4", "device": "net_pcap0", "role": "lan4",
             "mac": lan4_mac, "mtu": lan4_mtu,
             "ipv4": [siit_ip4 + "/24"], "ipv6": []},
            {"name": "mesh", "device": "net_pcap1", "role": "mesh6",
             "mac": mesh_mac, "mtu": mesh_mtu,
             "ipv6": [siit_ip6 + "/64"]},
        ],
        "routes": [
            {"prefix": "0.0.0.0/0", "port": "lan4", "via": gw4},
            {"prefix": "::/0", "port": "mesh", "via": gw6s},
        ],
        "neighbours": [
            {"ip": gw4, "mac": gw4_mac, "port": "lan4"},
            {"ip": gw6s, "mac": gw6s_mac, "port": "mesh"},
        ],
        "siit": s,
        "workers": {"lcores": 1},
    }


def from_gw4(l3):
    return Ether(src=gw4_mac, dst=lan4_mac) / l3


def from_gw6(l3):
    return Ether(src=gw6s_mac, dst=mesh_mac) / l3


def to_gw6(l3):
    return Exp(Ether(src=mesh_mac, dst=gw6s_mac) / l3)


def to_gw4(l3, free_id=True, free_inner_id=False):
    return Exp(Ether(src=lan4_mac, dst=gw4_mac) / l3, free_ip4_id=free_id,
               free_inner_ip4_id=free_inner_id)


def icmp4_raw(typ, code, rest=b"\0\0\0\0", body=b""):
    """An ICMPv4 message as bytes (RFC 792), checksum filled in."""
    from scapy.utils import checksum
    b = bytearray(bytes([typ, code, 0, 0]) + bytes(rest) + bytes(body))
    c = checksum(bytes(b))
    b[2:4] = c.to_bytes(2, "big")
    return bytes(b)


def icmp6_msg(typ, code, rest=b"\0\0\0\0", body=b""):
    """An ICMPv6 message (RFC 4443) as a Scapy layer; Scapy fills in the
    checksum over the IPv6 pseudo header."""
    from scapy.layers.inet6 import ICMPv6Unknown
    return ICMPv6Unknown(type=typ, code=code, msgbody=bytes(rest) + bytes(body))


def u32(n):
    return int(n).to_bytes(4, "big")


def l4_over6(src6, dst6, l4):
    """Transport bytes with the checksum over the IPv6 pseudo header."""
    return bytes(IPv6(src=src6, dst=dst6) / l4)[40:]


def l4_over4(src4, dst4, l4):
    """Transport bytes with the checksum over the IPv4 pseudo header."""
    return bytes(IP(src=src4, dst=dst4) / l4)[20:]


def box4_error(inp_frame, typ, code, rest=b"\0\0\0\0"):
    """An ICMPv4 error the SIIT box sends itself (RFC 792/1812), from the
    lan4 address back to the sender of 'inp_frame', quoting it as received
    (576 bytes at most)."""
    orig = inp_frame[IP]
    inner = ip4_bytes(inp_frame)[:576 - 28]
    return Exp(Ether(src=lan4_mac, dst=inp_frame[Ether].src) /
               IP(src=siit_ip4, dst=orig.src, ttl=64, id=0, flags=0, tos=0,
                  proto=1) /
               Raw(icmp4_raw(typ, code, rest, inner)), free_ip4_id=True)


def box6_error(inp_frame, typ, code, rest=b"\0\0\0\0"):
    """An ICMPv6 error the SIIT box sends itself (RFC 4443), from the mesh
    address back to the sender, quoting as much as fits in 1280 bytes."""
    orig = inp_frame[IPv6]
    inner = ip4_bytes(inp_frame)[:1280 - 48]
    return Exp(Ether(src=mesh_mac, dst=inp_frame[Ether].src) /
               IPv6(src=siit_ip6, dst=orig.src, hlim=64, tc=0, fl=0) /
               icmp6_msg(typ, code, rest, inner))


# --- the PLAT: stateful NAT64 (RFC 6146) -------------------------------------
# Used by defs/plat_*.py. Seed 003: IPv6 clients of the mesh (behind the
# CLATs of other nodes) reach IPv4 through this node's PLAT prefix, and
# leave from the pool 10.23.0.9/32, ports 9000-10000.
#
#   port 0 "mesh" (mesh6) ..:00:00:02        port 1 "wan" (wan4) ..:00:00:03
#   2001:db8:1c0:2:1::1/64                   10.23.0.2/24
#   clat_range via gw6 2001:db8:1c0:2:1::2   0.0.0.0/0 via wan_gw4 10.23.0.1
#     (static neighbour 02:00:00:00:00:99)     (static neighbour ..:00:a1)
#   plat_prefix 64:ff9b::/96                 pool4 10.23.0.9/32 9000-10000
#
# Mesh first: a worker polls its ports in config order, so in one turn the
# IPv6 input of a case is handled before its IPv4 input (a request before
# the reply), each port's frames in one burst (at most workers.burst).
P_MESH, P_WAN = 0, 1
plat_wan_ip4 = "10.23.0.2"              # the wan port's own address
plat_pool4 = "10.23.0.9"                # the NAT64 pool (seed 003)
plat_ports = (9000, 10000)
plat_prefix64 = "64:ff9b::/96"          # this PLAT's prefix (RFC 6052 WKP)
plat_range = "64:ff9b:1::/48"           # the site's plat_range (seed 003)
mgmt4 = "192.0.0.1"                     # prefix + 192.0.0.1: the PLAT itself

node_b_mac = "02:00:00:00:00:b1"        # another mesh node, a CLAT
node_b_prefix = clat_prefix_of(clat_range, node_b_mac)


def cb6(v4):
    """An IPv4 client of node B's CLAT as the PLAT sees it."""
    return embed96(node_b_prefix, v4)


client_a = cb6("192.168.1.23")          # dynamic sessions
client_b = cb6("192.168.1.42")          # a second client (no starvation)
client_s = cb6("192.168.1.5")           # a server behind static BIB entries
mesh_rtr6 = "2001:db8:1c0:2:1::fe"      # an IPv6 router of the mesh
rtr4 = "203.0.113.254"                  # an IPv4 router beyond wan_gw4

# Static BIB entries of client_s (RFC 6146 section 3.1, "manually
# configured"): (protocol, IPv6 port, IPv4 port).
S_UDP = (17, 5353, 9053)
S_TCP = (6, 8080, 9080)
S_ICMP = (1, 0x0707, 9007)


def x6(v4, prefix=plat_prefix64):
    """The IPv6 form of IPv4 address v4 under this PLAT's prefix (RFC 6052)."""
    return embed96(prefix, v4)


assert node_b_prefix == "fddd:1337:1337:200:0:b1::/96"
assert client_a == "fddd:1337:1337:200:0:b1:c0a8:117"
assert x6(plat_pool4) == "64:ff9b::a17:9"


def static_bib(entries=(S_UDP, S_TCP, S_ICMP), host=None):
    return [{"ipv6": host or client_s, "port6": p6_, "ipv4": plat_pool4,
             "port4": p4_, "protocol": {6: "tcp", 17: "udp", 1: "icmp"}[pr]}
            for pr, p6_, p4_ in entries]


def plat_section(**changes):
    """The plat section: keyword arguments replace its keys."""
    s = {"plat_prefix": plat_prefix64,
         "pool4": [{"prefix": plat_pool4 + "/32",
                    "ports": "%d-%d" % plat_ports}],
         "static_bib": static_bib()}
    s.update(copy.deepcopy(changes))
    return {k: v for k, v in s.items() if v is not None}


def plat_config(burst=None, **plat):
    """The PLAT topology above; keyword arguments replace keys of the
    plat section (None removes one)."""
    c = {
        "ports": [
            {"name": "mesh", "device": "net_pcap0", "role": "mesh6",
             "mac": mesh_mac, "mtu": 1500, "ipv6": [mesh_ip6 + "/64"]},
            {"name": "wan", "device": "net_pcap1", "role": "wan4",
             "mac": wan_mac, "mtu": 1500, "ipv4": [plat_wan_ip4 + "/24"]},
        ],
        "routes": [
            {"prefix": "0.0.0.0/0", "port": "wan", "via": wan_gw4},
            {"prefix": clat_range, "port": "mesh", "via": gw6},
        ],
        "neighbours": [
            {"ip": wan_gw4, "mac": wan_gw4_mac, "port": "wan"},
            {"ip": gw6, "mac": gw6_mac, "port": "mesh"},
        ],
        "plat": plat_section(**plat),
        "workers": {"lcores": 1},
    }
    if burst is not None:
        c["workers"]["burst"] = burst
    return c


def from_mesh6(l3):
    """A packet of an IPv6 client, through the mesh router gw6."""
    return Ether(src=gw6_mac, dst=mesh_mac) / l3


def from_wan4(l3):
    """A packet from the IPv4 Internet, through wan_gw4."""
    return Ether(src=wan_gw4_mac, dst=wan_mac) / l3


def to_wan4(l3, free_sport=None, free_id=True, free_inner_id=False):
    """What the PLAT sends to the IPv4 side, through wan_gw4. The IPv4
    identification is free (RFC 7915 section 5.1, applied by RFC 6146
    section 3.7), hence masked by default."""
    return Exp(Ether(src=wan_mac, dst=wan_gw4_mac) / l3, free_ip4_id=free_id,
               free_inner_ip4_id=free_inner_id, free_sport=free_sport)


def to_mesh6(l3):
    """What the PLAT sends to an IPv6 client, through gw6."""
    return Exp(Ether(src=mesh_mac, dst=gw6_mac) / l3)


def mgmt_echo(seq, src=None, prefix=plat_prefix64):
    """(request, expected reply): an echo to the PLAT's own address,
    prefix + 192.0.0.1 (seed 003), answered from that address (RFC 4443
    section 4.2), hop limit 64, back to the sender's MAC."""
    src = src or client_a
    req = from_mesh6(IPv6(src=src, dst=x6(mgmt4, prefix), hlim=64) /
                     ICMPv6EchoRequest(id=0x6d67, seq=seq,
                                       data=payload(16, seq)))
    rep = to_mesh6(IPv6(src=x6(mgmt4, prefix), dst=src, hlim=64) /
                   ICMPv6EchoReply(id=0x6d67, seq=seq, data=payload(16, seq)))
    return req, rep



# --- CLAT and PLAT on one node (seed 003) ------------------------------------
# "Platnodes can also be clatnodes at the same time having also a CLAT
# device which traffic is directly routed to its own PLAT device": the
# lan4 port of base_config() (clients 192.168.0.0/24, CLAT prefix from
# the lan4 MAC) in front of plat_config()'s mesh and wan, the CLAT's PLAT
# prefix being this node's own. Ports polled in this order.
N_LAN4, N_MESH, N_WAN = 0, 1, 2


def node_config(**plat):
    c = plat_config(**plat)
    c["ports"] = [base_config()["ports"][0]] + c["ports"]
    for i, p in enumerate(c["ports"]):
        p["device"] = "net_pcap%d" % i
    c["neighbours"].append({"ip": client4, "mac": client4_mac,
                            "port": "lan4"})
    c["clat"] = {"clat_range": clat_range,
                 "plat_prefix": c["plat"]["plat_prefix"],
                 "client_port": "lan4"}
    return c


def nat64_owner_in2out(addr6, n):
    """The shard of an IPv6 client among n (doc/nat64.md, "Sharding":
    fixed and documented because snapshots depend on it): MurmurHash3's
    fmix64 over the big-endian halves of the address."""
    m = (1 << 64) - 1

    def fmix64(k):
        k ^= k >> 33
        k = (k * 0xff51afd7ed558ccd) & m
        k ^= k >> 33
        k = (k * 0xc4ceb9fe1a85ec53) & m
        return k ^ (k >> 33)
    b = ipaddress.IPv6Address(addr6).packed
    hi, lo = int.from_bytes(b[:8], "big"), int.from_bytes(b[8:], "big")
    h = fmix64(hi ^ fmix64(lo ^ 0x9e3779b97f4a7c15))
    return ((h >> 32) * n) >> 32
# --- an IPv6 home gateway with the firewall (defs/fw_*.py) -------------------
# Seed 002's home network: the ISP's uplink on "wan" (role wan6), the home
# LAN on "lan" (role mesh6: the IPv6 side; the rules call it br-lan, as
# OpenWrt does, through firewall.interfaces). The LAN has two /64s, as a
# home does that gets two prefixes (or keeps the old one for a while
# after a renumbering); the server has the seed's stable suffix in both.
#
#   port 0 "wan" (wan6), 02:00:00:00:06:01, 2001:db8:ffff:1::1/64;
#     ::/0 via fw_gw 2001:db8:ffff:1::fe (02:00:00:00:06:fe), the
#     outside hosts beyond it
#   port 1 "lan" (mesh6), 02:00:00:00:06:02, 2001:db8:1234:1::1/64
#     (prefix A) and 2001:db8:5678:2::1/64 (prefix B); static neighbours:
#     the server, A:1234:5678:abcd:ef01 and B:1234:5678:abcd:ef01
#     (02:00:00:00:06:11), the laptop and the printer on prefix A
FW_WAN, FW_LAN = 0, 1
fw_wan_mac = "02:00:00:00:06:01"
fw_lan_mac = "02:00:00:00:06:02"
fw_wan_ip6 = "2001:db8:ffff:1::1"
fw_gw = "2001:db8:ffff:1::fe"
fw_gw_mac = "02:00:00:00:06:fe"
fw_gw_ll = "fe80::6fe"
fw_pfx_a = "2001:db8:1234:1::"          # the LAN's /64s
fw_pfx_b = "2001:db8:5678:2::"
fw_lan_a = "2001:db8:1234:1::1"         # the box on each of them
fw_lan_b = "2001:db8:5678:2::1"
fw_suffix = "::1234:5678:abcd:ef01"     # seed 002's server suffix
fw_server_mac = "02:00:00:00:06:11"
fw_laptop = "2001:db8:1234:1:a8bb:ccff:fedd:eeff"
fw_laptop_mac = "02:00:00:00:06:22"
fw_printer = "2001:db8:1234:1::abcd"
fw_printer_mac = "02:00:00:00:06:33"
fw_outside = "2001:db8:beef::7"         # hosts on the Internet
fw_outside2 = "2001:db8:cafe::9"
fw_router = "2001:db8:beef:ffff::1"     # a router on the way to them

# Seed 002, as the user pastes it (the "$ " prompt left out).
SEED_RULE = """ip6tables -A forwarding_rule \\
    -d ::1234:5678:abcd:ef01/::ffff:ffff:ffff:ffff \\
    -p tcp -m tcp \\
    --dport 443 \\
    -m comment --comment "Inbound-HTTPS" \\
    -o br-lan -j ACCEPT"""
# OpenWrt's lan -> wan forwarding: the LAN may go out (FORWARD's policy is
# default_inbound for both directions, doc/firewall.md).
LAN_OUT_RULE = "-A forwarding_rule -i br-lan -j ACCEPT"
# Seed 004's ALLOWED_ICMP.
SEED_ICMP6 = ["packet-too-big", "destination-unreachable", "time-exceeded",
              "parameter-problem", "echo-request", "echo-reply",
              "router-advertisement", "neighbour-solicitation",
              "neighbour-advertisement"]


def with_suffix(prefix, suffix=fw_suffix):
    """The address with 'prefix''s first 64 bits and 'suffix''s last 64."""
    p = int(ipaddress.IPv6Address(prefix)) >> 64 << 64
    s = int(ipaddress.IPv6Address(suffix)) & ((1 << 64) - 1)
    return str(ipaddress.IPv6Address(p | s))


fw_server_a = with_suffix(fw_pfx_a)
fw_server_b = with_suffix(fw_pfx_b)
assert fw_server_a == "2001:db8:1234:1:1234:5678:abcd:ef01"
assert fw_server_b == "2001:db8:5678:2:1234:5678:abcd:ef01"


def fw_config(rules=None, icmpv6_allow=None, lan_pfx=(fw_pfx_a, fw_pfx_b),
              default_inbound="drop", extra_neigh=(), **fw):
    """
    The gateway above; 'rules' default to the seed's rule and the LAN's
    way out, 'icmpv6_allow' to seed 004's list; 'lan_pfx' the LAN /64s
    (the box is ::1 in each, the server the seed's suffix); keyword
    arguments add keys to the firewall section.
    """
    lan = [str(ipaddress.IPv6Address(p)) for p in lan_pfx]
    neigh = [{"ip": fw_gw, "mac": fw_gw_mac, "port": "wan"},
             {"ip": fw_laptop, "mac": fw_laptop_mac, "port": "lan"},
             {"ip": fw_printer, "mac": fw_printer_mac, "port": "lan"}]
    neigh += [{"ip": with_suffix(p), "mac": fw_server_mac, "port": "lan"}
              for p in lan]
    neigh += [{"ip": a, "mac": m, "port": p} for a, m, p in extra_neigh]
    f = {"default_inbound": default_inbound,
         "icmpv6_allow": list(SEED_ICMP6 if icmpv6_allow is None
                              else icmpv6_allow),
         "interfaces": {"br-lan": "lan"},
         "rules": list([SEED_RULE, LAN_OUT_RULE] if rules is None
                       else rules)}
    f.update(copy.deepcopy(fw))
    return {
        "ports": [
            {"name": "wan", "device": "net_pcap0", "role": "wan6",
             "mac": fw_wan_mac, "mtu": 1500, "ipv6": [fw_wan_ip6 + "/64"]},
            {"name": "lan", "device": "net_pcap1", "role": "mesh6",
             "mac": fw_lan_mac, "mtu": 1500,
             "ipv6": [str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(p))
                                                + 1)) + "/64" for p in lan]},
        ],
        "routes": [{"prefix": "::/0", "port": "wan", "via": fw_gw}],
        "neighbours": neigh,
        "firewall": f,
        "workers": {"lcores": 1},
    }


def from_wan(l3, src_mac=fw_gw_mac):
    """A packet from the Internet, as the ISP's gateway hands it over."""
    return Ether(src=src_mac, dst=fw_wan_mac) / l3


def from_lan(l3, src_mac):
    return Ether(src=src_mac, dst=fw_lan_mac) / l3


def fwd_to(inp, port_mac, dst_mac):
    """'inp' forwarded by the box (RFC 8200 section 3: hop limit - 1;
    nothing else of the IPv6 packet changes), new Ethernet header."""
    ip = inp[IPv6].copy()
    ip.hlim -= 1
    return Exp(Ether(src=port_mac, dst=dst_mac) / ip)


def to_lan(inp, dst_mac):
    return fwd_to(inp, fw_lan_mac, dst_mac)


def to_wan(inp):
    return fwd_to(inp, fw_wan_mac, fw_gw_mac)


def fw_case(**kw):
    """A Case on fw_config() unless it brings its own config."""
    if kw.get("config") is None:
        kw["config"] = fw_config()
    return Case(**kw)
