#!/bin/bash
# tests/e2e/store.sh — the RRD store through the real basisd (issue 13):
# history more than twelve years apart in any order stays verify-clean and
# charted, future periods are refused with the line, column and value, a
# withdrawn value leaves API and chart but not the history, deleted,
# truncated and overwritten series files heal while the API answers from
# the ledger, rebuild gets past a series it cannot write, and an unwritable
# rrd directory (a full disk) recovers without a restart.
set -u
. "$(dirname "$0")/lib.sh"
e2e_state store
# History twelve years apart needs periods before the shipped catalogue's
# sinds (2015; earlier periods are row errors): a copy that starts in 2010.
cp -R "$cat" "$state/indicators"
sed -i 's/^sinds = 2015$/sinds = 2010/' "$state/indicators/pw_bestand.ini" \
    "$state/indicators/pw_uitstroom_totaal.ini"
sed -i "s|^catalog_dir = .*|catalog_dir = $state/indicators|" "$state/basisd.conf"
cat=$state/indicators
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
not() { ! "$@"; }
e2e_start

post_csv() { # CSV-TEXT
	printf 'gemeente;indicator;periode;waarde\n%s\n' "$1" >"$state/feed.csv"
	http POST /api/v1/feeds -H "Authorization: Bearer $beheer" \
	    -H 'Content-Type: text/csv' --data-binary "@$state/feed.csv"
}
# value GM IND PERIODE: the current value the API serves ("" when none)
value() {
	http GET "/api/v1/series/$1/$2?van=$3&tot=$3"
	"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=[w["waarde"] for w in d.get("waarden", []) if w["periode"] == sys.argv[2]]; print(v[0] if v else "")' "$state/body" "$3"
}
# charted GM IND VAN TOT: the chart over [VAN, TOT] draws the gemeente's
# own values: the trend SVG (chart_trend) has a line in its colour
# (#08519C) or, for a value without neighbours, a point with its <title>;
# the legend is a separate <line>.
charted() {
	http GET "/chart/$1/$2.svg?van=$3&tot=$4"
	[ "$code" = 200 ] && grep -Eq '<polyline fill="none" stroke="#08519C"|<circle [^>]*fill="#08519C"' "$state/body"
}
verify_clean() { b verify >"$state/verify.out" 2>&1 || { cat "$state/verify.out"; return 1; }; }

# --- out-of-order history more than twelve years apart -----------------
post_csv 'GM0014;pw_bestand;2014-01;9100'
check "2014-01 accepted ($code)" test "$code" = 201
post_csv 'GM0014;pw_bestand;2026-06;9200'
check "2026-06 accepted ($code)" test "$code" = 201
check "2014-01 still served" test "$(value GM0014 pw_bestand 2014-01)" = 9100
check "2014-01 charted" charted GM0014 pw_bestand 2013-10 2014-04
check "2026-06 charted" charted GM0014 pw_bestand 2026-03 2026-09
check "no line where there is no value" not charted GM0014 pw_bestand 2019-01 2019-06
check "verify clean after 2014 then 2026" verify_clean

# an older value than the series holds: 2012-11 into one ending 2024-12
post_csv 'GM0080;pw_uitstroom_totaal;2015-01;40'$'\n''GM0080;pw_uitstroom_totaal;2024-12;50'
check "series to 2024-12 accepted ($code)" test "$code" = 201
post_csv 'GM0080;pw_uitstroom_totaal;2012-11;30'
check "2012-11 accepted ($code)" test "$code" = 201
check "2012-11 served" test "$(value GM0080 pw_uitstroom_totaal 2012-11)" = 30
check "2012-11 charted" charted GM0080 pw_uitstroom_totaal 2012-08 2013-02
check "2024-12 still charted" charted GM0080 pw_uitstroom_totaal 2024-09 2025-03
check "verify clean after 2012-11" verify_clean

# --- future periods ----------------------------------------------------
post_csv 'GM0363;pw_bestand;2042-01;5'
check "future period → 422 ($code)" test "$code" = 422
check "future period named with line, column and value" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["problemen"][0]; assert (p["regel"], p["kolom"], p["waarde"]) == (2, "periode", "2042-01") and "toekomst" in p["reden"], d' "$state/body"
check "nothing stored for the future" test "$(value GM0363 pw_bestand 2042-01)" = ""

# --- withdrawal ----------------------------------------------------------
post_csv 'GM0363;pw_bestand;2024-01;100'$'\n''GM0363;pw_bestand;2024-02;200'$'\n''GM0363;pw_bestand;2024-03;300'
check "series for withdrawal accepted ($code)" test "$code" = 201
check "2024-02 charted before" charted GM0363 pw_bestand 2024-02 2024-02
lev=$(b token add --rol leverancier --naam lev 2>/dev/null)
http DELETE /api/v1/series/GM0363/pw_bestand/2024-02 -H "Authorization: Bearer $lev"
check "withdrawal by a supplier → 403 ($code)" test "$code" = 403
http DELETE /api/v1/series/GM0363/pw_bestand/2024-02
check "withdrawal without token → 401 ($code)" test "$code" = 401
http DELETE '/api/v1/series/GM0363/pw_bestand/2024-02?toelichting=dubbel%20geteld' -H "Authorization: Bearer $beheer"
check "withdrawal by beheer → 200 ($code)" test "$code" = 200
check "withdrawal answers ingetrokken" has '"ingetrokken"'
check "withdrawn value gone from the API" test "$(value GM0363 pw_bestand 2024-02)" = ""
check "neighbours stay" test "$(value GM0363 pw_bestand 2024-03)" = 300
check "withdrawn value gone from the chart" not charted GM0363 pw_bestand 2024-02 2024-02
check "2024-03 still charted" charted GM0363 pw_bestand 2024-03 2024-03
b export GM0363 pw_bestand --historie >"$state/hist.csv"
check "export --historie keeps the value and the withdrawal" grep -q '^GM0363,pw_bestand,2024-02,2,nee,200,.*,ingetrokken,.*,dubbel geteld' "$state/hist.csv"
check "export --historie keeps revision 1" grep -q '^GM0363,pw_bestand,2024-02,1,nee,200,' "$state/hist.csv"
http DELETE /api/v1/series/GM0363/pw_bestand/2024-02 -H "Authorization: Bearer $beheer"
check "withdrawing again → 404 ($code)" test "$code" = 404
check "verify clean after the withdrawal" verify_clean
post_csv 'GM0363;pw_bestand;2024-02;250'
check "a new value after the withdrawal is accepted ($code)" test "$code" = 201
check "the new value is served" test "$(value GM0363 pw_bestand 2024-02)" = 250
check "revision 3 after the withdrawal" sh -c "'$ctl' -s '$state' -c '$cat' export GM0363 pw_bestand --historie | grep -q '^GM0363,pw_bestand,2024-02,3,ja,250,'"
b intrekken GM0363 pw_bestand 2024-01 --toelichting fout >/dev/null
check "basisctl intrekken" test "$(value GM0363 pw_bestand 2024-01)" = ""
check "verify clean after basisctl intrekken" verify_clean
http GET /api/v1/openapi.json
check "openapi lists the withdrawal route" has '/api/v1/series/{gm}/{id}/{periode}'

# --- damaged series files heal on first use ------------------------------
rows=''
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do rows="$rows${rows:+$'\n'}GM0599;pw_bestand;2024-$m;$((500 + 10#$m))"; done
post_csv "$rows"
check "series for the damage tests accepted ($code)" test "$code" = 201
rrd=$state/rrd/GM0599/pw_bestand.rrd
size=$(stat -c %s "$rrd")
damage() { # NAME: delete, truncate or overwrite the data rows
	case $1 in
	delete) rm -f "$rrd" ;;
	truncate) truncate -s $((size / 2)) "$rrd" ;;
	garbage) "$py" -c 'import os,sys; f=open(sys.argv[1],"r+b"); f.seek(-1200, 2); f.write(os.urandom(1200))' "$rrd" ;;
	esac
}
# a chart is cached per query: each damage asks a range of its own
m=3
for d in delete truncate garbage; do
	damage $d
	m=$((m + 1))
	check "$d: the API still answers from the ledger" test "$(value GM0599 pw_bestand 2024-06)" = 506
	check "$d: chart drawn after the file healed" charted GM0599 pw_bestand 2024-0$m 2024-0$((m + 1))
	check "$d: file back at its size" test "$(stat -c %s "$rrd" 2>/dev/null)" = "$size"
	check "$d: verify clean, no restart" verify_clean
done
# a file of the daily layout before issue 13 is converted on first use
if command -v rrdtool >/dev/null; then
	rm -f "$rrd"
	rrdtool create "$rrd" --start 1700000000 --step 86400 \
	    DS:waarde:GAUGE:3024000:U:U RRA:AVERAGE:0.5:1:4400
	check "old layout: chart drawn after the conversion" charted GM0599 pw_bestand 2024-08 2024-09
	check "old layout: verify clean" verify_clean
fi
check "healing logged with the reason" grep -q 'GM0599 pw_bestand: rrd-bestand .*opnieuw opgebouwd' "$state/log"

# a series path blocked by a directory: the chart says so without a path,
# rebuild reports it and heals the others
rm -f "$rrd" && mkdir -p "$rrd/blok" && touch "$rrd/blok/x"
rm -f "$state/rrd/GM0014/pw_bestand.rrd"
http GET '/chart/GM0599/pw_bestand.svg?van=2024-01&tot=2024-12'
check "unhealable chart → 503 ($code)" test "$code" = 503
check "no file path in the public error" not grep -q "$state" "$state/body"
b rebuild --reeksen >"$state/rebuild.out" 2>&1
check "rebuild with one blocked series exits non-zero" test $? -ne 0
check "rebuild names the blocked series" grep -q 'GM0599/pw_bestand' "$state/rebuild.out"
check "rebuild healed the other series" test -f "$state/rrd/GM0014/pw_bestand.rrd"
rm -rf "$rrd"
b rebuild --reeksen >/dev/null 2>&1
check "verify clean once the path is free" verify_clean

e2e_stop
check "no 'onbekende fout' in the log" not grep -q 'onbekende fout' "$state/log"

# --- a full disk recovers without a restart ------------------------------
# The rrd directory of one gemeente made unwritable stands in for a full
# disk: writes fail there, the ledger still takes the feed. As root the
# daemon runs as nobody, for whom the mode bits count.
sed -i -E 's/^\[server\]$/[server]\nherstel_interval = 1/' "$state/basisd.conf"
as=()
if [ "$(id -u)" = 0 ]; then
	chown -R nobody:nogroup "$state"
	as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
: >"$state/log"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
    "${as[@]}" "$daemon" -d -f "$state/basisd.conf" >>"$state/log" 2>&1 &
pid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$state/log"; echo "basisd did not start"; exit 1; }
base=http://127.0.0.1:$port
chmod 555 "$state/rrd/GM0363" && chmod 444 "$state/rrd/GM0363/"*.rrd
post_csv 'GM0363;pw_bestand;2025-01;555'$'\n''GM0363;pw_bestand;2025-02;556'
check "feed during the full disk accepted ($code)" test "$code" = 201
check "the value is served from the ledger" test "$(value GM0363 pw_bestand 2025-02)" = 556
sleep 1.5
b verify >"$state/verify.out" 2>&1
check "verify reports the pending series" grep -q 'GM0363 pw_bestand: nog niet bijgewerkt' "$state/verify.out"
check "the real reason is logged" grep -q 'Permission denied' "$state/log"
chmod 755 "$state/rrd/GM0363" && chmod 644 "$state/rrd/GM0363/"*.rrd
for _ in $(seq 50); do b verify >/dev/null 2>&1 && break; sleep 0.2; done
check "verify clean after the disk recovered, no restart" verify_clean
check "2025-02 charted" charted GM0363 pw_bestand 2025-01 2025-03
check "no 'onbekende fout' in the log" not grep -q 'onbekende fout' "$state/log"

e2e_stop
e2e_done
