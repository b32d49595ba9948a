#!/bin/bash
# tests/e2e/perf.sh — the real basisd over HTTP for the response cache of
# issue 16: an upload drops only the cached answers built from what it
# touched (it used to drop the whole cache, so under a public read load
# every upload made every dashboard and chart expensive again), what it
# touched is fresh at once, and a write by another process (basisctl
# ingest beside the daemon) still makes everything fresh.
set -u
. "$abs_top_srcdir/tests/e2e/lib.sh"

e2e_state perf
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
{
	echo 'gemeente;indicator;periode;waarde'
	for gm in GM0363 GM0599 GM0518 GM0344; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			echo "$gm;pw_bestand;2024-$m;$((30000 + 10#$m * 10 + 10#${gm:3:3}))"
		done
		echo "$gm;pl_trede_1;2024-H1;$((300 + 10#${gm:3:3} % 50))"
		echo "$gm;pl_trede_1;2024-H2;$((310 + 10#${gm:3:3} % 50))"
	done
} >"$state/base.csv"
b ingest "$state/base.csv" >/dev/null || exit 99
e2e_start

# metric NAME: its value on /metrics
metric() { curl -s "$base/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
# get PATH: one GET that must answer 200
get() { http GET "$1"; check "GET $1 → 200 ($code)" test "$code" = 200; }

other=/api/v1/series/GM0363/pl_trede_1
get "$other"
get "/api/v1/vergelijk/pw_bestand"
check "comparison before: latest period 2024-12" pyjson 'd["periode"] == "2024-12"'
get "/chart/GM0363/pl_trede_1.svg"
get "$other"
side=$(find "$state" -path '*vergelijkbaar-GM0363*' -name 'pl_trede_1.versie' | head -n1)
check "the chart built GM0363's peer band of pl_trede_1" test -n "$side"
peer0=$(cat "$side" 2>/dev/null)
h0=$(metric basisd_cache_hits_total) m0=$(metric basisd_cache_misses_total)

# An upload of one gemeente's pw_bestand.
printf 'gemeente;indicator;periode;waarde\nGM0599;pw_bestand;2025-01;31999\n' >"$state/up.csv"
post_feed "$beheer" "$state/up.csv"
check "upload → 201 ($code)" test "$code" = 201

# What it did not touch is still cached: pl_trede_1's series and chart
# (not pw_instroom: counts are compared through a rate, and pw_instroom's
# noemer is pw_bestand).
get "$other"
get "/chart/GM0363/pl_trede_1.svg"
h1=$(metric basisd_cache_hits_total) m1=$(metric basisd_cache_misses_total)
check "untouched answers stay cached: hits $h0 → $h1 (want +2)" \
    test "$((h1 - h0))" = 2
check "untouched answers stay cached: misses $m0 → $m1 (want +0)" \
    test "$((m1 - m0))" = 0

# Nor is the peer band of another indicator rebuilt by a chart asked
# afresh (it used to follow the ledger's data version: every upload made
# every peer band a ~270 ms rebuild on the request path).
get "/chart/GM0363/pl_trede_1.svg?w=700"
check "peer band of an untouched indicator kept ($peer0 → $(cat "$side"))" \
    test "$(cat "$side")" = "$peer0"

# What it touched is fresh at once: the comparison's latest period and
# the gemeente's series.
get "/api/v1/vergelijk/pw_bestand"
check "comparison after: latest period 2025-01" pyjson 'd["periode"] == "2025-01"'
get "/api/v1/series/GM0599/pw_bestand"
check "series after: the new month" pyjson 'd["waarden"][-1]["periode"] == "2025-01"'

# A write beside the daemon (another process) is not stamped by the
# daemon's hooks: the data version moving on makes everything fresh.
printf 'gemeente;indicator;periode;waarde\nGM0363;pl_trede_1;2025-H1;399\n' >"$state/side.csv"
b ingest "$state/side.csv" >/dev/null
check "basisctl ingest beside the daemon" test $? = 0
sleep 0.3	# APP_VERSION_TTL_MS: the daemon reads the version at most every 100 ms
get "$other"
check "outside write: series shows its half year" pyjson 'd["waarden"][-1]["periode"] == "2025-H1"'

e2e_stop
e2e_done
