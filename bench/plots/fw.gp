# SPDX-License-Identifier: BSD-3-Clause
# The firewall's cycles per packet against the number of rules: rte_acl
# classify alone (bench_fw_acl, default method) and the firewall's share
# of the whole daemon (bench/fw.py: cycles minus those without a firewall).
load common
set title "Firewall: cycles per packet against the number of rules"
set logscale x
set xlabel "rules"
set ylabel "cycles per packet"
set yrange [0:*]
set xrange [5:20000]
plot csv using 1:3 skip 1 with linespoints pt 7 title "classify, host rules", \
     "" using 1:4 skip 1 with linespoints pt 5 title "classify, mixed rules", \
     "" using 1:2 skip 1 with linespoints pt 9 title "whole daemon: firewall's share (new connections)", \
     100 with lines dt 2 lc rgb "#c03030" title "100 cycles (target at 1 000 rules)"
