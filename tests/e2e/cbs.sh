#!/bin/bash
# tests/e2e/cbs.sh — basisctl cbs (issue 15): CBS StatLine tables through
# indicators/cbs.ini into the normal ingest. A local TLS server
# (cbsserver.py, the self-signed certificate of tests/data/tls trusted with
# --ca) serves a recorded three-page TypedDataSet; every value in the ledger
# must equal the pages'. Also a file source with Perioden and a dimension
# filter, and the messages for unknown keys and a wrong unit.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
data=$abs_top_srcdir/tests/data/cbs
tls=$abs_top_srcdir/tests/data/tls
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-cbs-XXXXXX")
pid=
pass=0
fail=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$state"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

b() { "$ctl" -s "$state/st" -c "$abs_top_srcdir/indicators" "$@"; }
b init >/dev/null || exit 99

python3 "$abs_top_srcdir/tests/e2e/cbsserver.py" "$data" "$tls/cert.pem" \
    "$tls/key.pem" "$state/port" "$state/requests" 2>"$state/server.log" &
pid=$!
for _ in $(seq 100); do [ -s "$state/port" ] && break; sleep 0.1; done
[ -s "$state/port" ] || { cat "$state/server.log"; echo "no server"; exit 1; }
url=https://127.0.0.1:$(cat "$state/port")/ODataApi/odata/85984NED

# Without --ca the self-signed server is not trusted: nothing is stored.
b cbs "$url" >"$state/out" 2>&1
check "untrusted certificate refused" test $? -eq 1
check "certificate message" grep -q 'ophalen mislukt' "$state/out"
check "plain http refused" sh -c "'$ctl' -s '$state/st' cbs http://127.0.0.1:1/x 2>&1 | grep -q 'alleen https://'"

b cbs --ca "$tls/cert.pem" "$url" >"$state/out" 2>&1
check "import over https exits 0" test $? -eq 0
check "three pages followed" grep -q 'CBS 85984NED: 3 pagina' "$state/out"
check "pages fetched through nextLink" test "$(grep -c 'TypedDataSet' "$state/requests")" -eq 3
check "TableInfos read for the year" grep -q '/85984NED/TableInfos' "$state/requests"

# Expected feed rows from the pages themselves: GM rows only, codes
# trimmed, nulls skipped, year = TableInfos Period - 1 (verschuiving).
python3 - "$data/85984NED" >"$state/want" <<'PY'
import json, sys, os
d = sys.argv[1]
year = int(json.load(open(os.path.join(d, "TableInfos.json")))["value"][0]["Period"]) - 1
for page in ("TypedDataSet.json", "TypedDataSet-skip5.json", "TypedDataSet-skip8.json"):
    for r in json.load(open(os.path.join(d, page)))["value"]:
        gm = r["WijkenEnBuurten"].strip()
        if not gm.startswith("GM"):
            continue
        inw, hh, bij = r["AantalInwoners_5"], r["HuishoudensTotaal_29"], r["PersonenPerSoortUitkeringBijstand_87"]
        if inw is not None:
            print(f"{gm},inwoners,{year},{inw},,")
        if hh is not None:
            print(f"{gm},huishoudens,{year},{hh},,")
        if bij is not None and inw is not None:
            print(f"{gm},bijstand_per_1000_inwoners,{year}-12,,{bij},{inw}")
PY
: >"$state/got"
for gm in $(cut -d, -f1 "$state/want" | sort -u); do
	for ind in inwoners huishoudens bijstand_per_1000_inwoners; do
		b export "$gm" "$ind" | tail -n +2 | awk -F, -v i="$ind" '{
		    if (i == "bijstand_per_1000_inwoners") print $1","$2","$3",,"$5","$6;
		    else print $1","$2","$3","$4",,"}' >>"$state/got"
	done
done
check "ledger values equal the pages'" diff <(sort "$state/want") <(sort "$state/got")
check "five gemeenten, no NL01/PV/WK/BU" test "$(cut -d, -f1 "$state/want" | sort -u | wc -l)" -eq 5
check "null skipped (Groningen huishoudens)" sh -c "! grep -q '^GM0014,huishoudens' '$state/got'"
python3 -c "
import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
print(c.execute('select leverancier from feed').fetchall())" "$state/st/basis.db" >"$state/lev"
check "leverancier is 'CBS 85984NED'" grep -q "'CBS 85984NED'" "$state/lev"

# The same table again is a duplicate feed: nothing changes.
b cbs --ca "$tls/cert.pem" "$url" >"$state/out" 2>&1
check "re-import is a duplicate" grep -q 'CBS 85984NED: al eerder ontvangen' "$state/out"

# A file source with Perioden, a Geslacht filter and padded codes.
b cbs --koppeling "$data/bijstand.ini" "$data/bijstand/TypedDataSet.json" >"$state/out" 2>&1
check "file import exits 0" test $? -eq 0
check "file import: 2 gemeenten x 2 months" grep -q '4 waarden' "$state/out"
b export GM0599 pw_bestand | tail -n +2 | cut -d, -f3,4 >"$state/got"
check "filtered to Geslacht totaal" diff <(printf '2024-01,37500\n2024-02,37400\n') "$state/got"

# Unknown keys are named with the ones the table has; a wrong unit stops.
printf '[pw_bestand]\nonderwerp = Bijstand_*\n' >"$state/k1.ini"
b cbs --koppeling "$state/k1.ini" "$data/bijstand/TypedDataSet.json" >"$state/out" 2>&1
check "unknown topic lists the available ones" grep -q 'Bijstand_\* staat niet in tabel 99999NED (onderwerpen: Bijstandsuitkeringen_2, Duizendtallen_3)' "$state/out"
printf '[pw_bestand]\nonderwerp = Duizendtallen_*\neenheid = aantal\nfilter = Geslacht:T001038\n' >"$state/k2.ini"
b cbs --koppeling "$state/k2.ini" "$data/bijstand/TypedDataSet.json" >"$state/out" 2>&1
check "unit checked against DataProperties" grep -q "Duizendtallen_3 heeft eenheid 'x 1 000'" "$state/out"
printf '[pw_bestand]\nonderwerp = Bijstandsuitkeringen_*\nfilter = Leeftijd:10000\n' >"$state/k3.ini"
b cbs --koppeling "$state/k3.ini" "$data/bijstand/TypedDataSet.json" >"$state/out" 2>&1
check "unknown dimension lists the dimensions" grep -q "dimensie 'Leeftijd' staat niet in tabel 99999NED (dimensies: Geslacht)" "$state/out"
printf '[pw_bestand]\nonderwerp = Bijstandsuitkeringen_*\n' >"$state/k4.ini"
b cbs --koppeling "$state/k4.ini" "$data/bijstand/TypedDataSet.json" >"$state/out" 2>&1
check "unfiltered dimension refused" grep -q "heeft dimensie 'Geslacht'" "$state/out"

echo "cbs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
