#!/bin/bash
# tests/e2e/daemon.sh — the real basisd end to end (issue 4): a temp state
# and config on a free port; good, bad, unauthorised and out-of-scope
# uploads; a file through the inbox; JSON, CSV, SVG and PNG; ETag → 304;
# SIGHUP reload; SIGTERM stop with exit 0. Under ASan when built so.
set -u
. "$(dirname "$0")/lib.sh"
e2e_state e2e
lev=$(b token add --rol leverancier --gemeente GM0363 --naam ams 2>/dev/null)
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
# Alerts: a manager account and a command that records what it is given.
sed -i -E "s|^\[alerts\]$|[alerts]\ncommand = /bin/sh $abs_top_srcdir/tests/data/alert-command.sh $state/alerts.out|" "$state/basisd.conf"
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 ||
	{ echo "user add failed"; exit 1; }
e2e_start

# A small feed: four gemeenten, a year of monthly bestand and one ratio.
{
	echo 'gemeente;indicator;periode;waarde;teller;noemer'
	for gm in GM0363 GM0599 GM0518 GM0344; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			echo "$gm;pw_bestand;2024-$m;$((30000 + 10#$m * 10 + ${gm:3:3}));;"
		done
		echo "$gm;pw_uitstroom_resultaat_pct;2024;;${gm:4:2}00;3${gm:3:3}0"
	done
} >"$state/good.csv"
post_feed "$beheer" "$state/good.csv" '?naam=good.csv'
check "good feed → 201 ($code)" test "$code" = 201
check "report says geaccepteerd" has '"status": "geaccepteerd"'
post_feed "$beheer" "$state/good.csv"
check "resend → 200 ($code)" test "$code" = 200
check "resend is al_ontvangen" has al_ontvangen

printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-13;5\nGM9999;pw_bestand;2024-01;5\n' >"$state/bad.csv"
post_feed "$beheer" "$state/bad.csv"
check "bad feed → 422 ($code)" test "$code" = 422
check "bad period named with its line" has '"regel": 2'
check "unknown gemeente named" has GM9999

post_feed "" "$state/good.csv"
check "no token → 401 ($code)" test "$code" = 401
post_feed "bsd_notavalidtokenatallxxxxxxxxxxxxxxxxxxxxxxxx" "$state/good.csv"
check "bad token → 401 ($code)" test "$code" = 401
printf 'gemeente;indicator;periode;waarde\nGM0599;pw_bestand;2025-01;5\n' >"$state/scope.csv"
post_feed "$lev" "$state/scope.csv"
check "out of scope → 403 ($code)" test "$code" = 403
check "403 names the line" has '"regel": 2'
http POST /api/v1/feeds -H "Authorization: Bearer $lev" -H 'Content-Type: application/json' --data-binary '{}'
check "wrong content type → 415 ($code)" test "$code" = 415

# The inbox: write elsewhere, rename in; it must land in verwerkt/.
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-01;31234\n' >"$state/inbox/.drop.tmp"
touch -d '-1 minute' "$state/inbox/.drop.tmp"
mv "$state/inbox/.drop.tmp" "$state/inbox/drop.csv"
for _ in $(seq 100); do
	ls "$state/inbox/verwerkt/"*drop.csv >/dev/null 2>&1 && break
	sleep 0.1
done
check "inbox file moved to verwerkt" ls "$state/inbox/verwerkt/"*drop.csv.json
http GET '/api/v1/series/GM0363/pw_bestand?van=2025-01'
check "inbox value served" has '"waarde": *31234'

# Herindelingen: Beemster (GM0370) merged into Purmerend (GM0439) in 2022;
# Haaren (GM0788) was split in 2021 and is reported, not assigned.
printf 'gemeente;indicator;periode;waarde\nGM0370;pw_bestand;2021-06;100\nGM0439;pw_bestand;2021-06;1000\nGM0788;pw_bestand;2020-06;50\nGM0855;pw_bestand;2020-06;5000\n' >"$state/oud.csv"
post_feed "$beheer" "$state/oud.csv"
check "feed with old codes → 201 ($code)" test "$code" = 201
http GET '/api/v1/series/GM0439/pw_bestand?herindeling=1'
check "merged history sums Beemster into Purmerend" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [v["waarde"] for v in d["waarden"] if v["periode"] == "2021-06"] == [1100], d' "$state/body"
http GET '/api/v1/series/GM0855/pw_bestand?herindeling=1'
check "split Haaren reported, not assigned" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["herindeling"]["niet_toegewezen"][0]["gemeente"] == "GM0788" and [v["waarde"] for v in d["waarden"]] == [5000], d' "$state/body"

http GET /api/v1/series/GM0363/pw_bestand
check "series JSON 200" test "$code" = 200
check "series JSON parses" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["waarden"]) == 13' "$state/body"
http GET '/api/v1/series/GM0363/pw_uitstroom_resultaat_pct.csv?excel=1'
check "series CSV (Excel) has ; and decimal comma" grep -q '^.*GM0363;Amsterdam;pw_uitstroom_resultaat_pct;2024;[0-9]*,[0-9]' "$state/body"
http GET '/api/v1/vergelijk/pw_uitstroom_resultaat_pct?periode=2024&groep=G4'
check "vergelijk G4 ranks four" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [g["rang"] for g in d["gemeenten"]] == [1,2,3,4], d' "$state/body"

http GET '/chart/GM0363/pw_bestand.svg?groep=G4'
check "chart SVG 200 ($code)" test "$code" = 200
check "chart SVG parses" "$py" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$state/body"
http GET '/chart/GM0363/pw_bestand.png?w=400&h=200'
check "chart PNG signature" "$py" -c 'import sys; assert open(sys.argv[1],"rb").read(8) == b"\x89PNG\r\n\x1a\n"' "$state/body"
http GET '/chart/vergelijk/pw_bestand.svg?periode=2024-12&markeer=GM0363'
check "cross-section SVG parses" "$py" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$state/body"

etag=$(curl -s -D - -o /dev/null "$base/chart/GM0363/pw_bestand.svg" | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
check "chart has an ETag" test -n "$etag"
http GET /chart/GM0363/pw_bestand.svg -H "If-None-Match: $etag"
check "If-None-Match → 304 ($code)" test "$code" = 304

http GET /metrics
check "metrics count accepted feeds (good, inbox, old codes)" grep -q '^basisd_feeds_accepted_total 3' "$state/body"
check "metrics count chart renders" grep -q '^basisd_chart_renders_total [1-9]' "$state/body"
http GET /api/v1/openapi.json
check "openapi lists the series route" has '/api/v1/series/{gm}/{id}'
http GET /healthz
check "healthz 200" test "$code" = 200
http GET /gemeente/GM0363
check "dashboard page served" has '<html'
http GET '/css/../../etc/passwd' --path-as-is  # as sent, not squashed by curl
check "no path traversal ($code)" test "$code" != 200

# Alerts over HTTP: sign in, create a rule, cross it, no duplicate, Atom.
jar=$state/cookies
http POST /api/v1/sessie -c "$jar" -H 'Content-Type: application/json' \
    --data-binary '{"naam": "jan", "wachtwoord": "geheim-wachtwoord"}'
check "sign-in → 200 ($code)" test "$code" = 200
csrf=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$state/body")
rule='{"naam": "Bestand te hoog", "soort": "drempel", "gemeente": "GM0363", "indicator": "pw_bestand", "params": {"richting": "boven", "drempel": 40000}}'
http POST /api/v1/alerts/rules -b "$jar" -H 'Content-Type: application/json' --data-binary "$rule"
check "session write without CSRF token → 403 ($code)" test "$code" = 403
http POST /api/v1/alerts/rules -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" --data-binary "$rule"
check "rule created with the X-CSRF-Token header → 201 ($code)" test "$code" = 201
rule=${rule%\}}', "csrf": "'$csrf'"}'
other=${rule/GM0363/GM0599}
http POST /api/v1/alerts/rules -b "$jar" -H 'Content-Type: application/json' --data-binary "$other"
check "rule outside the manager's gemeenten → 403 ($code)" test "$code" = 403
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-02;45000\n' >"$state/hoog1.csv"
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-03;46000\n' >"$state/hoog2.csv"
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-04;30000\n' >"$state/laag.csv"
post_feed "$beheer" "$state/hoog1.csv"
post_feed "$beheer" "$state/hoog2.csv"
http GET '/api/v1/alerts?status=alle' -b "$jar"
check "crossing twice → exactly one event" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["meldingen"]) == 1, d' "$state/body"
for _ in $(seq 50); do [ -s "$state/alerts.out" ] && break; sleep 0.1; done
check "alert command called once" test "$(grep -c . "$state/alerts.out" 2>/dev/null)" = 1
post_feed "$beheer" "$state/laag.csv"
http GET '/api/v1/alerts?status=opgeheven' -b "$jar"
check "back in range → resolved" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["meldingen"]) == 1, d' "$state/body"
http POST "/api/v1/alerts/feedtoken?csrf=$csrf" -b "$jar" -H 'Content-Type: application/json' --data-binary "{\"csrf\": \"$csrf\"}"
ftok=$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("token") or d.get("feedtoken") or "")' "$state/body")
http GET "/alerts.atom?token=$ftok"
check "Atom feed has the event ($code)" grep -q '<entry>' "$state/body"

# /metrics through the Prometheus parser: code and method labels, process,
# build, last-ingest and size metrics (issue 15).
http GET /metrics
check "metrics 200 ($code)" test "$code" = 200
check "metrics lint and content" "$py" "$abs_top_srcdir/tests/e2e/metrics.py" "$state/body"

# The catalogue and the register as CSV (issue 15: they sent JSON).
for f in indicators gemeenten; do
	ct=$(curl -s -o "$state/body" -w '%{content_type}' "$base/api/v1/$f.csv")
	check "$f.csv is text/csv ($ct)" test "${ct%%;*}" = text/csv
done
check "gemeenten.csv has the header and Zoetermeer" sh -c "head -1 '$state/body' | grep -q '^code,naam,provincie' && grep -q '^GM0637,Zoetermeer,' '$state/body'"

kill -HUP "$pid"
# a reload reads the catalogue, the register and the map's boundaries:
# under a loaded machine that takes longer than a fixed half second
for _ in $(seq 100); do grep -q herladen "$state/log" && break; sleep 0.1; done
http GET /api/v1/indicators
check "serving after SIGHUP ($code)" test "$code" = 200
check "reload logged" grep -q herladen "$state/log"

e2e_stop
e2e_done
