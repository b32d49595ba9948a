#!/bin/bash
# tests/e2e/authz.sh — the authorisation matrix against the real basisd
# (issue 16): every route of the route table × {no credentials, bad token,
# revoked token, session without CSRF header, other gemeente, own}, each
# cell with its expected status (tests/e2e/authz.py holds the table).
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
py=/usr/bin/python3
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-authz-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -rf "$state"
}
trap cleanup EXIT

b() { "$ctl" -s "$state" -c "$cat" "$@"; }
b init >/dev/null || exit 99
tok() { b token add "$@" 2>/dev/null; }
lev_own=$(tok --rol leverancier --gemeente GM0363 --naam ams)
lev_other=$(tok --rol leverancier --gemeente GM0599 --naam rdam)
man_own=$(tok --rol manager --gemeente GM0363 --naam ams-manager)
man_other=$(tok --rol manager --gemeente GM0599 --naam rdam-manager)
beheer=$(tok --rol beheer --naam beheer)
revoked=$(tok --rol beheer --naam oud)
b token revoke "$(b token list | awk '$2 == "oud" { print $1 }')" >/dev/null || exit 99
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 || exit 99
sed -i -E 's/^port = 8080$/port = 0/' "$state/basisd.conf"

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
j() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$state/body" "$1"; }
post() { # PATH TOKEN TYPE BODY
	curl -s -o "$state/body" -X POST -H "Authorization: Bearer $2" -H "Content-Type: $3" \
	    --data-binary "$4" "$base$1"
}

post /api/v1/feeds "$lev_own" text/csv $'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-01;30100\n'
feed=$(j levering)
rule='{"naam": "m", "soort": "drempel", "gemeente": "GM0363", "indicator": "pw_bestand", "params": {"richting": "boven", "drempel": 40000}}'
post /api/v1/alerts/rules "$man_own" application/json "$rule"; rule_id=$(j id)
post /api/v1/alerts/rules "$man_own" application/json "$rule"; rule_del=$(j id)
curl -s -o "$state/body" -c "$state/jar" -H 'Content-Type: application/json' \
    --data-binary '{"naam": "jan", "wachtwoord": "geheim-wachtwoord"}' "$base/api/v1/sessie"
csrf=$(j csrf)
cookie=$(awk '$6 == "basisd_sessie" { print $6 "=" $7 }' "$state/jar")
curl -s -o "$state/body" -b "$state/jar" -H "X-CSRF-Token: $csrf" -X POST "$base/api/v1/alerts/feedtoken"
feedtoken=$(j token)
for v in feed rule_id rule_del csrf cookie feedtoken; do
	[ -n "${!v}" ] || { echo "setup: no $v"; cat "$state/log"; exit 1; }
done
"$py" - "$state/creds.json" <<PY
import json, sys
json.dump({"lev_own": "$lev_own", "lev_other": "$lev_other",
    "man_own": "$man_own", "man_other": "$man_other", "beheer": "$beheer",
    "revoked": "$revoked", "bad": "bsd_notavalidtokenatallxxxxxxxxxxxxxxxxxxxxxxxx",
    "feed": $feed, "rule": $rule_id, "rule_del": $rule_del, "csrf": "$csrf",
    "cookie": "$cookie", "feedtoken": "$feedtoken",
    "password": "geheim-wachtwoord"}, open(sys.argv[1], "w"))
PY
rc=0
"$py" "$abs_top_srcdir/tests/e2e/authz.py" "$base" "$state/creds.json" || rc=1
kill -TERM "$pid"
wait "$pid" || { echo "FAIL: basisd exit $?"; rc=1; }
pid=
if grep -q 'Sanitizer' "$state/log"; then echo "FAIL: sanitizer report"; grep -A20 Sanitizer "$state/log" | head -40; rc=1; fi
exit $rc
