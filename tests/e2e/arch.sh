#!/bin/bash
# tests/e2e/arch.sh — the real basisd over HTTP for the cross-cutting rules
# of issue 10: one error kind → one status, strict numbers in every query
# parameter and in the config, the baseline in the snapshot. A temp state
# and config on a free port; under ASan when built so.
set -u
. "$abs_top_srcdir/tests/e2e/lib.sh"

e2e_state arch
# An own copy of the catalogue: the baseline in it is edited below.
cp -r "$cat" "$state/cat"
cat=$state/cat
sed -i -E "s|^catalog_dir = .*|catalog_dir = $cat|" "$state/basisd.conf"
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
http GET '/chart/GM0363/pw_bestand.svg?groep=provincie-Nergens'
check "chart unknown group → 404 ($code)" test "$code" = 404
http GET '/api/v1/vergelijk/pw_bestand?groep=provincie-Nergens'
check "vergelijk unknown group → 404 ($code)" test "$code" = 404

# ---- strict numbers: atoi wrapped these to w=200 and jaar=2024, and
# atoll read feed 1 from "1 OR 1=1".
http GET '/chart/GM0363/pw_bestand.svg?w=4294967496'
check "w=4294967496 → 400 ($code)" test "$code" = 400
check "w names its range" has 'w: 4294967496 ligt buiten het bereik 200–2000'
http GET '/chart/GM0363/pw_bestand.svg?w=400abc'
check "w=400abc → 400 ($code)" test "$code" = 400
http GET '/chart/GM0363/pw_bestand.svg?w=400&h=300'
check "w=400&h=300 → 200 ($code)" test "$code" = 200
http GET '/api/v1/benchmark/uitstroom/GM0363?jaar=4294969320'
check "jaar=4294969320 → 400 ($code)" test "$code" = 400
http GET '/api/v1/gemeenten/GM0363/vergelijkbaar?k=5x'
check "k=5x → 400 ($code)" test "$code" = 400
http GET '/api/v1/feeds/1' -H "Authorization: Bearer $beheer"
check "feed 1 → 200 ($code)" test "$code" = 200
http GET '/api/v1/feeds/1%20OR%201=1' -H "Authorization: Bearer $beheer"
check "feed '1 OR 1=1' → 404, not feed 1 ($code)" test "$code" = 404
http GET '/api/v1/vergelijk/pw_bestand?groep=grootteklasse-8'
check "grootteklasse-8 → 200 ($code)" test "$code" = 200
http GET '/api/v1/vergelijk/pw_bestand?groep=grootteklasse-%208'
check "grootteklasse-' 8' → 404 ($code)" test "$code" = 404

# ---- the baseline is part of the snapshot: read at start and on SIGHUP,
# not from disk per request (it used to be, so an edit showed at once and
# `basisd -n` never saw it).
{
	echo 'gemeente;indicator;periode;waarde'
	for k in 1 2 3 4 5 6 7; do echo "GM0363;pw_bestand_duur_$k;2023-12;$((k * 1000))"; done
	for f in werk opleiding ondernemer deeltijd; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "GM0363;pw_uitstroom_$f;2024-$m;100"; done
	done
} >"$state/duur.csv"
post_feed "$beheer" "$state/duur.csv"
check "duurklassen feed → 201 ($code)" test "$code" = 201
http GET '/api/v1/benchmark/uitstroom/GM0363?jaar=2024'
check "benchmark → 200 ($code)" test "$code" = 200
check "benchmark uses baseline 1.0" pyjson 'd["baseline_versie"] == "1.0"'
verwacht=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["verwacht"])' "$state/body" 2>/dev/null)
sed -i -E 's/^versie = 1\.0$/versie = 2.0-test/; s/^(alle|werk_opleiding)_(laag|hoog) = .*/\1_\2 = 0.5/' "$cat/uitstroom-baseline.ini"
http GET '/api/v1/benchmark/uitstroom/GM0363?jaar=2024'
check "an edit without SIGHUP changes nothing" pyjson 'd["baseline_versie"] == "1.0"'
kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'baseline 2.0-test herladen' "$state/log" && break; sleep 0.1; done
check "reload names the new baseline" grep -q 'baseline 2.0-test herladen' "$state/log"
http GET '/api/v1/benchmark/uitstroom/GM0363?jaar=2024'
check "after SIGHUP the new baseline" pyjson 'd["baseline_versie"] == "2.0-test"'
check "after SIGHUP a new figure" pyjson "d['verwacht'] != $verwacht"
# A broken baseline: basisd -n fails, and SIGHUP keeps the old snapshot.
sed -i -E 's/^alle_laag = .*/alle_laag = 1,5/' "$cat/uitstroom-baseline.ini"
"$daemon" -n -f "$state/basisd.conf" >"$state/n.out" 2>&1
check "basisd -n fails on a broken baseline" test $? -ne 0
check "basisd -n names the baseline line" grep -q "uitstroom-baseline.ini:[0-9]*: '1,5' is geen getal" "$state/n.out"
kill -HUP "$pid"
sleep 0.5
http GET '/api/v1/benchmark/uitstroom/GM0363?jaar=2024'
check "a broken baseline on SIGHUP keeps the old one" pyjson 'd["baseline_versie"] == "2.0-test"'

e2e_stop

# ---- the config: a size suffix used to overflow a negative value into
# range (-17179869183G was read as 1 GiB).
cp "$state/basisd.conf" "$state/bad.conf"
sed -i -E 's/^\[server\]$/[server]\nmax_body = -17179869183G/' "$state/bad.conf"
check "bad.conf has the negative size" grep -q '^max_body = -17179869183G' "$state/bad.conf"
"$daemon" -n -f "$state/bad.conf" >"$state/n.out" 2>&1
check "basisd -n refuses max_body = -17179869183G" test $? -ne 0
check "the refusal names the key" grep -q 'max_body: -17179869183G ligt buiten het bereik' "$state/n.out"
e2e_done
