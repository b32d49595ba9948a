#!/bin/bash
# tests/e2e/daemon.sh — the real basisd end to end (issue 4): a temp state
# and config on a free port; good, bad, unauthorised and out-of-scope
# uploads; a file through the inbox; JSON, CSV, SVG and PNG; ETag → 304;
# SIGHUP reload; SIGTERM stop with exit 0. Under ASan when built so.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
py=/usr/bin/python3
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-e2e-XXXXXX")
pid=
pass=0
fail=0

cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -rf "$state"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND…: the command must succeed.
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

b() { "$ctl" -s "$state" -c "$cat" "$@"; }
b init >/dev/null || exit 99
lev=$(b token add --rol leverancier --gemeente GM0363 --naam ams 2>/dev/null)
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
sed -i -E 's/^port = 8080$/port = 0/' "$state/basisd.conf"
# Alerts: a manager account and a command that records what it is given.
sed -i -E "s|^\[alerts\]$|[alerts]\ncommand = /bin/sh $abs_top_srcdir/tests/data/alert-command.sh $state/alerts.out|" "$state/basisd.conf"
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 ||
	{ echo "user add failed"; exit 1; }

# librrd leaks ~55 bytes inside every rrd_graph_v (tests/lsan.supp); the
# suppression matches only with full stacks.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
    "$daemon" -d -f "$state/basisd.conf" >"$state/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$state/log"; echo "basisd did not start"; exit 1; }
base=http://127.0.0.1:$port

# http METHOD PATH [curl args…] → body in $state/body, status in $code
http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s -o "$state/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
post_feed() { # TOKEN FILE [query]
	http POST "/api/v1/feeds${3:-}" -H "Authorization: Bearer $1" \
	    -H 'Content-Type: text/csv' --data-binary "@$2"
}
has() { grep -q -- "$1" "$state/body"; }

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
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-12&groep=G4'
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

kill -HUP "$pid"
sleep 0.5
http GET /api/v1/indicators
check "serving after SIGHUP ($code)" test "$code" = 200
check "reload logged" grep -q herladen "$state/log"

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
check "SIGTERM → exit 0 (got $rc)" test "$rc" = 0
if grep -q 'Sanitizer' "$state/log"; then bad "sanitizer report"; grep -A20 Sanitizer "$state/log" | head -40; fi
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
