#!/bin/bash
# tests/e2e/arch.sh — the real basisd over HTTP for the cross-cutting rules
# of issue 10: one error kind → one status, strict numbers in every query
# parameter and in the config, the baseline in the snapshot. A temp state
# and config on a free port; under ASan when built so.
set -u
. "$abs_top_srcdir/tests/e2e/lib.sh"

e2e_state arch
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
e2e_start

{
	echo 'gemeente;indicator;periode;waarde'
	for gm in GM0363 GM0599 GM0518 GM0344; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			echo "$gm;pw_bestand;2024-$m;$((30000 + 10#$m * 10 + ${gm:3:3}))"
		done
	done
} >"$state/good.csv"
post_feed "$beheer" "$state/good.csv"
check "feed → 201 ($code)" test "$code" = 201

# ---- error kinds: the producer says what failed, one table the status.
# 'van' after 'tot' is the caller's mistake; it used to come back as 500.
http GET '/chart/GM0363/pw_bestand.svg?van=2024-06&tot=2024-01'
check "chart van > tot → 400 ($code)" test "$code" = 400
check "chart van > tot names the reason" has "'van' ligt na 'tot'"
# An unknown group is "not found" on the series chart and the comparison.
http GET '/chart/GM0363/pw_bestand.svg?groep=provincie:Nergens'
check "chart unknown group → 404 ($code)" test "$code" = 404
http GET '/api/v1/vergelijk/pw_bestand?groep=provincie:Nergens'
check "vergelijk unknown group → 404 ($code)" test "$code" = 404

e2e_stop
e2e_done
