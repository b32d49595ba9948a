#!/bin/bash
# tests/e2e/store.sh — the RRD store through the real basisd (issue 13):
# history more than twelve years apart in any order stays verify-clean and
# charted, future periods are refused with the line, column and value.
set -u
. "$(dirname "$0")/lib.sh"
e2e_state store
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
# own line: rrd_graph strokes a path 2.5 wide in its colour (#08519C) only
# where values are known; the legend is a filled box.
charted() {
	http GET "/chart/$1/$2.svg?van=$3&tot=$4"
	[ "$code" = 200 ] && grep -q 'stroke-width:2.5;[^"]*stroke:rgb(3.137255%,31.764706%,61.176471%)' "$state/body"
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

e2e_stop
e2e_done
