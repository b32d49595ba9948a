#!/bin/sh
# bench/ingest.sh — the national backfill (every active gemeente × the
# basisset × 120 months, the first round of `basisctl demo-data`) end to end
# through `basisctl ingest`, against the same series written by a raw loop
# of rrd_create_r + one batched rrd_update_r per file (bench/rrd_raw), in
# the same run; then `basisctl rebuild --all` per series. Prints values/s
# of both, the ratio and the seconds. Target (issue 3 item 12): ratio
# >= 0.5 and the whole backfill < 60 s. Run from the build directory:
# `make bench-ingest`. BENCH_FEEDS=N limits the run to the first N feeds.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cat=$top/indicators
ctl=./src/basisctl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
b() { st=$1; shift; "$ctl" -s "$st" -c "$cat" "$@"; }

# Not timed: the feeds and two empty state directories.
b "$tmp/gen" init >/dev/null
b "$tmp/gen" demo-data --uit "$tmp/feeds" >/dev/null
b "$tmp/state" init >/dev/null
mkdir "$tmp/raw"
set -- "$tmp"/feeds/demo-GM*.csv
if [ -n "${BENCH_FEEDS:-}" ]; then
	n=0; keep=""
	for f; do n=$((n + 1)); [ $n -le "$BENCH_FEEDS" ] && keep="$keep $f"; done
	# shellcheck disable=SC2086
	set -- $keep
fi
echo "bench/ingest: $# leveringen"
sync

t0=$(now)
b "$tmp/state" ingest "$@" >/dev/null
t1=$(now)
sync
raw=$(./bench/rrd_raw "$cat" "$tmp/raw" "$@")
sync
t2=$(now)
b "$tmp/state" rebuild --reeksen >/dev/null
t3=$(now)
# The group bands ingest recomputes at the end of a backfill (the raw side
# has nothing like them): timed on their own to split the figure.
b "$tmp/state" rebuild --banden >/dev/null
t4=$(now)
series=$(find "$tmp/state/rrd" -path '*/_band' -prune -o -name '*.rrd' -print | wc -l)

echo "$raw"
echo "$raw" | awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v t4="$t4" \
    -v series="$series" '{
	values = $4; raw_s = $6; raw_vps = $8
	ing_s = t1 - t0; ing_vps = values / ing_s; reb_s = t3 - t2; band_s = t4 - t3
	ser_s = ing_s - band_s; ser_vps = values / ser_s
	printf "basisctl ingest: %d waarden, %.2f s, %.0f waarden/s (met groepsbanden)\n", values, ing_s, ing_vps
	printf "  waarvan groepsbanden: %.2f s; grootboek + reeksen: %.2f s, %.0f waarden/s\n", band_s, ser_s, ser_vps
	printf "verhouding ingest/raw: %.2f; zonder groepsbanden %.2f (doel >= 0.5)\n", ing_vps / raw_vps, ser_vps / raw_vps
	printf "totaal backfill: %.2f s (doel < 60 s)\n", ing_s
	printf "rebuild --reeksen: %d reeksen, %.2f s, %.2f ms per reeks\n", series, reb_s, 1000 * reb_s / series
}'
