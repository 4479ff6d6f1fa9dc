# SPDX-License-Identifier: BSD-3-Clause
# meshxlat and TAYGA on the same netns path (bench/tayga.sh): datagrams
# delivered per second (kernel forwarding without translation as the
# reference) and CPU cycles per translated packet.
load common
set multiplot layout 1,2 title "meshxlat and TAYGA on the same veth path (NAT64 direction, 84-byte frames)"
set style fill solid 0.7 border -1
set boxwidth 0.6
set yrange [0:*]
set offsets 0.5, 0.5, 0, 0
set ylabel "delivered datagrams per second"
plot csv using 0:2:xtic(1) skip 1 with boxes lc rgb "#4878a8", \
     "" using 0:2:(sprintf("%.0f k (loss %.0f%%)", $2/1000, $4)) skip 1 with labels offset 0,0.7 font ",9"
set ylabel "CPU cycles per translated packet"
plot csv using 0:($3 > 0 ? $3 : 1/0):xtic(1) skip 1 with boxes lc rgb "#c07030", \
     "" using 0:($3 > 0 ? $3 : 1/0):(sprintf("%.0f", $3)) skip 1 with labels offset 0,0.7 font ",9"
unset multiplot
