# SPDX-License-Identifier: BSD-3-Clause
# Whole daemon, Mpps per scenario (net_pcap replay -> net_null); bar
# labels are the worker's busy cycles per packet.
load common
set title "Whole daemon: Mpps per scenario (labels: cycles per packet)"
set ylabel "Mpps"
set style fill solid 0.7 border -1
set boxwidth 0.7
set xtics rotate by -40 left font ",10"
set yrange [0:*]
set offsets 0.5, 0.5, 0, 0
set bmargin 10
set rmargin 8
plot csv using 0:2:xtic(1) skip 1 with boxes lc rgb "#58a058", \
     "" using 0:2:(sprintf("%.0f", $3)) skip 1 with labels offset 0,0.7 font ",9", \
     10 with lines dt 2 lc rgb "#c03030" title "10 Mpps (CLAT target, 1 worker)"
