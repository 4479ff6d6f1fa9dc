#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/plots/plot.sh RESULTS [OUTDIR]: draw the SVG plots of the
# benchmark suite from the plot-*.csv files bench/all writes into RESULTS
# (BUILD/bench-results). One gnuplot script per plot, next to this file;
# a plot whose CSV has no data is skipped. doc/bench/ holds the committed
# ones: bench/plots/plot.sh build/bench-results doc/bench
set -u
here=$(cd "$(dirname "$0")" && pwd)
res=${1:?usage: plot.sh RESULTS [OUTDIR]}
outdir=${2:-$res}
command -v gnuplot >/dev/null || { echo "no gnuplot (apt-get install gnuplot-nox)"; exit 1; }
mkdir -p "$outdir" || exit 1
made='' skipped=''
for gp in "$here"/*.gp; do
	[ "$(basename "$gp")" = common.gp ] && continue
	name=$(basename "$gp" .gp)
	csv=$res/plot-$name.csv
	if [ ! -f "$csv" ] || [ "$(wc -l <"$csv")" -lt 2 ]; then
		skipped="$skipped $name"
		continue
	fi
	if gnuplot -e "common='$here/common.gp'; csv='$csv'; out='$outdir/$name.svg'" "$gp" \
		2>"$outdir/$name.gnuplot.log"; then
		rm -f "$outdir/$name.gnuplot.log"
		made="$made $name.svg"
	else
		skipped="$skipped $name(error:$outdir/$name.gnuplot.log)"
	fi
done
echo "wrote${made:- nothing} in $outdir${skipped:+; skipped:$skipped}"
