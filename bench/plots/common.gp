# SPDX-License-Identifier: BSD-3-Clause
# Shared settings of the benchmark plots (loaded by each bench/plots/*.gp).
if (!exists("width")) width = 900
if (exists("png")) {
	set terminal pngcairo size width,480 noenhanced font "sans,10" background "white"
} else {
	set terminal svg size width,480 dynamic noenhanced font "sans,12" background "white"
}
set output out
set datafile separator ","
set key above noautotitle
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
