# SPDX-License-Identifier: BSD-3-Clause
# Per-stage cycles per packet as a multiple of the floor (a bare 4->6
# header rewrite measured in the same meshxlat-bench run); bar labels are
# the cycles. Lines: the issue's 2x (CLAT) and 4x (NAT64) targets.
width = 1150
load common
set title "Per-stage cost per packet, as a multiple of the floor (labels: cycles)"
set ylabel "x floor"
set style fill solid 0.7 border -1
set boxwidth 0.7
set xtics rotate by -40 left font ",10"
set yrange [0:*]
set offsets 0.5, 0.5, 0, 0
set bmargin 11
set rmargin 8
plot csv using 0:3:xtic(1) skip 1 with boxes lc rgb "#4878a8", \
     "" using 0:3:(sprintf("%.0f", $2)) skip 1 with labels offset 0,0.7 font ",9", \
     2 with lines dt 2 lc rgb "#c03030" title "2x (CLAT target)", \
     4 with lines dt 3 lc rgb "#e08000" title "4x (NAT64 target)"
