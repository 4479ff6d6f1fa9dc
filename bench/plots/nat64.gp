# SPDX-License-Identifier: BSD-3-Clause
# The PLAT against the number of sessions: the whole daemon's Mpps (left)
# and cycles per packet, with lib/nat64's bulk lookup alone (right).
load common
set multiplot layout 1,2 title "Stateful NAT64 (PLAT) against the number of sessions" offset 0,-0.5
set logscale x
set xlabel "sessions"
set format x "%.0s%c"
set xrange [500:2000000]
set key inside top right
set ylabel "Mpps (whole daemon, 1 worker)"
set yrange [0:*]
plot csv using 1:2 skip 1 with linespoints pt 7 title "in2out", \
     "" using 1:3 skip 1 with linespoints pt 5 title "out2in"
set ylabel "cycles per packet"
plot csv using 1:4 skip 1 with linespoints pt 7 title "daemon in2out", \
     "" using 1:5 skip 1 with linespoints pt 5 title "daemon out2in", \
     "" using 1:6 skip 1 with linespoints pt 7 dt 2 title "lib lookup in2out (bulk 32)", \
     "" using 1:7 skip 1 with linespoints pt 5 dt 2 title "lib lookup out2in (bulk 32)"
unset multiplot
