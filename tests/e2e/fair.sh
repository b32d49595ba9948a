#!/bin/bash
# tests/e2e/fair.sh — numbers a raadslid can defend (issue 11), through the
# real basisd over HTTP: counts compared as rates (domain §3.9), context
# never ranked, verdicts only on enough peers. Each check reproduces a
# defect seen on main before the fix.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
py=/usr/bin/python3
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-fair-XXXXXX")
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
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
# jq-like assertion on the last body: PY EXPRESSION over d
expect() { local d=$1; shift; check "$d" "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert ($1), json.dumps(d)[:1500]" "$state/body"; }

b() { "$ctl" -s "$state" -c "$cat" "$@"; }
b init >/dev/null || exit 99
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
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

http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s -o "$state/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
post_feed() { # FILE [query]
	http POST "/api/v1/feeds${2:-}" -H "Authorization: Bearer $beheer" \
	    -H 'Content-Type: text/csv' --data-binary "@$1"
}
has() { grep -q -- "$1" "$state/body"; }

# ---- 1. rates, not counts (domain §3.9) ----
# Almere 1 000 uitkeringen on 232 102 inwoners (4,3 per 1.000), Zeewolde
# 200 on 24 579 (8,1), Ameland 80 on 3 800 (21,1), Amsterdam 40 000 on
# 930 000 (43,0). Ranked as counts (lager_beter) Ameland was first and
# Zeewolde ahead of Almere.
cat >"$state/rates.csv" <<'CSV'
gemeente;indicator;periode;waarde
GM0034;pw_bestand;2024-06;1000
GM0050;pw_bestand;2024-06;200
GM0060;pw_bestand;2024-06;80
GM0363;pw_bestand;2024-06;40000
GM0034;inwoners;2024;232102
GM0050;inwoners;2024;24579
GM0060;inwoners;2024;3800
GM0363;inwoners;2024;930000
GM0034;pw_bestand;2024-05;1000
GM0363;pw_bestand;2024-05;40000
GM0034;pw_uitstroom_werk;2024-06;10
GM0363;pw_uitstroom_werk;2024-06;461
CSV
post_feed "$state/rates.csv"
check "rates feed → 201 ($code)" test "$code" = 201

http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06'
ranks='{g["code"]: g["rang"] for g in d["gemeenten"] if g["rang"]}'
expect "pw_bestand ranked per 1.000 inwoners: Almere, Zeewolde, Ameland, Amsterdam" \
    "$ranks == {'GM0034': 1, 'GM0050': 2, 'GM0060': 3, 'GM0363': 4}"
expect "the comparison names its rate and noemer" \
    "d['vergelijk_als']['als'] == 'per_1000_inwoners' and d['vergelijk_als']['noemer'] == ['inwoners'] and d['vergelijk_als']['gerangschikt']"
expect "rows show the rate and the count itself" \
    "[(round(g['waarde'], 1), g['aantal']) for g in d['gemeenten'] if g['code'] == 'GM0050'] == [(8.1, 200)]"
expect "the counts are still summed for the country" \
    "d['totaal']['landelijk']['waarde'] == 41280 and d['totaal']['landelijk']['n'] == 4"
expect "the national figure is the rate Σaantal/Σinwoners, not the sum" \
    "abs(d['landelijk']['waarde'] - 41280 / 1190481 * 1000) < 1e-6 and d['landelijk']['weergave'] == '34,7 per 1.000'"

http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06&als=aantal'
expect "?als=aantal shows the counts without any rank" \
    "all(g['rang'] is None for g in d['gemeenten']) and not d['vergelijk_als']['gerangschikt'] and d['landelijk']['waarde'] == 41280"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06&als=iets'
check "unknown als → 400 ($code)" test "$code" = 400

http GET '/api/v1/vergelijk/inwoners?periode=2024'
expect "context (inwoners) is never ranked, and says why" \
    "all(g['rang'] is None for g in d['gemeenten']) and 'context' in d['vergelijk_als']['reden']"

http GET '/chart/vergelijk/pw_bestand.svg?periode=2024-06'
check "ranked chart of a count: no national sum drawn" sh -c "! grep -q '41.280' '$state/body'"
check "ranked chart draws the national rate" has '34,7'

http GET '/api/v1/dashboard/GM0363'
tile='[t for t in d["tegels"] if t["indicator"]["id"] == "%s"][0]'
expect "dashboard: uitstroom naar werk with too few peers gets no verdict" \
    "($(printf "$tile" pw_uitstroom_werk))['positie'] is None or ($(printf "$tile" pw_uitstroom_werk))['positie']['oordeel'] in ('geen',)"
expect "dashboard: inwoners (context) is never judged" \
    "($(printf "$tile" inwoners))['positie'] is None or ($(printf "$tile" inwoners))['positie']['oordeel'] == 'geen'"

# ---- 3. ambiguous numbers are refused, not guessed (domain §3.11) ----
# On main "41,250" was stored as a revision 41,25 replacing 40 000.
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-06;41,250\n' >"$state/amb.csv"
post_feed "$state/amb.csv"
check "41,250 for a count → 422 ($code)" test "$code" = 422
check "the row error proposes 41.250" has 'bedoelt u 41.250?'
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_uitstroom_werk;2024-07;12,5\n' >"$state/frac.csv"
post_feed "$state/frac.csv"
check "a fractional count of uitkeringen → 422 ($code)" test "$code" = 422
check "the row error says whole numbers" has 'hele aantallen'
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-06&tot=2024-06'
expect "the stored value is unchanged" "[v['waarde'] for v in d['waarden']] == [40000]"

echo "fair: $pass passed, $fail failed"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || { echo "basisd exited $rc"; tail -20 "$state/log"; fail=$((fail + 1)); }
[ "$fail" -eq 0 ]
