#!/bin/bash
# tests/e2e/disclosure.sh — disclosure control on every output (issue 12,
# domain §3.5), through the real basisd over HTTP:
#  1. the attacker (disclosure.py): every published number of a small state
#     — a tiny gemeente among a few others in overlapping groups (alle,
#     provincie, grootteklasse, vergelijkbaar, an own group of two),
#     monthly data with duurklassen, a ratio with a teller of people, the
#     benchmark's flows — written as linear equations, and no small figure
#     determined by exact elimination; on two states;
#  2. the leaks the issue names, each as it was seen;
#  3. two states that differ only in a suppressed cell give byte-identical
#     charts, map, series and comparisons.
set -u
. "$(dirname "$0")/lib.sh"
expect() { local d=$1; shift; check "$d" "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert ($1), json.dumps(d)[:1500]" "$state/body"; }

# The state: Fryslân's islands and Harlingen, 2024 by month (and December
# 2023 for the benchmark), generated with the true values beside it.
# $1: directory; $2: Harlingen's December instroom (3 or 2: both small).
make_state() {
	"$py" - "$1" "$2" <<'PY'
import json, sys
out, dec = sys.argv[1], int(sys.argv[2])
G = ["GM0096", "GM0093", "GM0060", "GM0088", "GM0072"]
inw = {"GM0096": 1223, "GM0093": 4865, "GM0060": 3847, "GM0088": 977, "GM0072": 16260}
# bestand per duurklasse: Ameland one small klasse (4) beside others and
# zeros, Terschelling four small ones, Schiermonnikoog 3 + 5, Vlieland tiny
# (3, later 6), Harlingen nothing small
duur = {"GM0096": lambda m: [3, 0, 0, 0, 0, 0, 0] if m <= 6 else [2, 4, 0, 0, 0, 0, 0],
        "GM0093": lambda m: [12, 4, 3, 2, 1, 8, 10],
        "GM0060": lambda m: [10, 8, 8, 4, 0, 0, 0],
        "GM0088": lambda m: [3, 5, 0, 0, 0, 0, 0],
        "GM0072": lambda m: [60, 50, 40, 50, 50, 30, 20]}
instroom = {"GM0096": lambda m: 1 if m in (2, 7) else 0,
            "GM0093": lambda m: 2,
            "GM0060": lambda m: 5,
            "GM0088": lambda m: 1 if m == 5 else 0,
            "GM0072": lambda m: dec if m == 12 else 10}
# the benchmark's flows: Harlingen's opleiding (1 in March) would come out
# of the realised figure minus werk; Terschelling's two small flows do not
flows = {"GM0072": {"werk": lambda m: 5, "opleiding": lambda m: 1 if m == 3 else 0,
                    "ondernemer": lambda m: 0, "deeltijd": lambda m: 0},
         "GM0093": {"werk": lambda m: 1 if m <= 2 else 2, "opleiding": lambda m: 1 if m <= 2 else 0,
                    "ondernemer": lambda m: 0, "deeltijd": lambda m: 1 if m % 3 == 0 else 0}}
rows, cells = [], []
def put(gm, ind, per, w=None, t=None, n=None):
    rows.append(f"{gm};{ind};{per};{'' if w is None else w};{'' if t is None else t};{'' if n is None else n}")
    cells.append([gm, ind, per, w, t, n])
for gm in G:
    put(gm, "inwoners", "2024", w=inw[gm])
    months = [(2023, 12)] + [(2024, m) for m in range(1, 13)]
    for y, m in months:
        per = f"{y}-{m:02d}"
        d = duur[gm](m if y == 2024 else 1)
        for k in range(7):
            put(gm, f"pw_bestand_duur_{k + 1}", per, w=d[k])
        put(gm, "pw_bestand", per, w=sum(d))
        if y == 2024 and gm == "GM0072" and m % 3 == 0:
            # Zoetermeer's trend (issue 12): the ratio is suppressed (noemer
            # 15 < 20) while the tiles showed both counts it is built from
            q = f"{y}-Q{m // 3}"
            put(gm, "esc_ontruiming_voorkomen", q, w=12)
            put(gm, "esc_behandeld", q, w=15)
            put(gm, "esc_ontruiming_voorkomen_pct", q, t=12, n=15)
        if y == 2024:
            put(gm, "bijstand_per_1000_inwoners", per, t=sum(d), n=inw[gm])
            put(gm, "pw_instroom", per, w=instroom[gm](m))
            for f, fn in flows.get(gm, {}).items():
                put(gm, f"pw_uitstroom_{f}", per, w=fn(m))
with open(f"{out}/feed.csv", "w") as fh:
    fh.write("gemeente;indicator;periode;waarde;teller;noemer\n" + "\n".join(rows) + "\n")
json.dump({"cells": cells, "gemeenten": G}, open(f"{out}/truth.json", "w"))
PY
}

# An own group of two, Vlieland and Terschelling (issue 12: a two-member
# group published its total while the other member was published too).
e2e_state disclosure
mkdir "$state/cat"
cp -r "$cat"/. "$state/cat/"
cat=$state/cat
printf '\n[eilanden-twee]\nnaam = Twee eilanden\nomschrijving = Vlieland en Terschelling (test)\ngemeenten = GM0096 GM0093\n' >>"$cat/groepen.ini"
sed -i -E "s|^catalog_dir = .*|catalog_dir = $cat|" "$state/basisd.conf"
make_state "$state" 3
check "state A ingested" b ingest "$state/feed.csv"
e2e_start

# ---- 2. the leaks of the issue, as they were seen ----
# Kapelle-like: October 10, November 10, December 3 — December is <5 and
# the quarter gave 23
http GET '/api/v1/series/GM0072/pw_instroom?per=kwartaal'
expect "Q4 of a small December withheld (was 23)" "[v['onderdrukt'] and v['waarde'] is None for v in d['waarden'] if v['periode'] == '2024-Q4'] == [True]"
expect "Q1–Q3 published" "[v['waarde'] for v in d['waarden'] if v['periode'] != '2024-Q4'] == [30, 30, 30]"
http GET '/api/v1/vergelijk/pw_instroom?periode=2024-Q4&groep=alle&als=aantal'
expect "vergelijk 2024-Q4 withholds Harlingen too" "[r['weergave'] for r in d['gemeenten'] if r['code'] == 'GM0072'] == ['x']"
http GET '/api/v1/series/GM0072/pw_instroom.csv?per=jaar'
check "the year CSV does not carry 113" bash -c "! grep -q ';113' '$state/body'"
# a ratio's teller of people: Vlieland 3 uitkeringen per 1.223 inwoners
http GET '/api/v1/series/GM0096/bijstand_per_1000_inwoners?van=2024-01&tot=2024-01'
expect "teller 3 of 1.223 suppressed (was published)" "d['waarden'][0]['onderdrukt'] and d['waarden'][0]['teller'] is None"
# components of a whole: Ameland's duurklasse 4 (4) beside six others and
# the bestand; the smallest other non-zero part is withheld, not the bestand
http GET '/api/v1/series/GM0060/pw_bestand_duur_2?van=2024-01&tot=2024-01'
expect "duurklasse 2 (8) withheld to protect duurklasse 4 (4)" "d['waarden'][0]['onderdrukt'] and d['waarden'][0]['weergave'] == 'x'"
http GET '/api/v1/series/GM0060/pw_bestand_duur_3?van=2024-01&tot=2024-01'
expect "duurklasse 3 (8) stays published" "d['waarden'][0]['waarde'] == 8"
http GET '/api/v1/series/GM0060/pw_bestand?van=2024-01&tot=2024-01'
expect "the bestand (30) stays published" "d['waarden'][0]['waarde'] == 30"
# groups: the own group of two sums published cells only (Terschelling's
# instroom is 2 a month: every month suppressed, so no group figure)
http GET '/api/v1/vergelijk/pw_instroom?periode=2024-03&groep=eilanden-twee&als=aantal'
expect "a group of two: no figure from fewer than two published cells" "d['groepcijfer']['waarde'] is None and d['groepcijfer']['weergave'] == 'x'"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-01&groep=provincie-friesland&als=aantal'
expect "provincie total over the published cells (40 + 30 + 8 + 300), n 4 of 5" "d['groepcijfer']['waarde'] == 378 and d['groepcijfer']['n'] == 4 and d['groepcijfer']['onvolledig']"
# the benchmark: Harlingen's realised figure minus werk would give
# opleiding (1); per duurklasse the expected value of a withheld klasse
http GET '/api/v1/benchmark/uitstroom/GM0072?jaar=2024'
check "benchmark refused when it would reveal a small flow (422, got $code)" test "$code" = 422
expect "and says so" "'onthullen' in d['fout']"
http GET '/api/v1/benchmark/uitstroom/GM0093?jaar=2024'
check "Terschelling's benchmark published (200, got $code: $(cat "$state/body"))" test "$code" = 200
expect "its small duurklassen 2-5 have no expected figure" "d['verwacht_per_duurklasse'][1:5] == [None] * 4 and None not in d['verwacht_per_duurklasse'][5:] and d['verwacht_per_duurklasse'][0] is not None"
# Schiermonnikoog: 3 + 5 and the bestand; the expected figure weighs the
# two klassen differently and would give both
http GET '/api/v1/series/GM0088/pw_bestand_duur_2?van=2024-01&tot=2024-01'
expect "Schiermonnikoog's duurklasse 2 (5) withheld for duurklasse 1 (3)" "d['waarden'][0]['weergave'] == 'x'"
# the dashboard's change line: "vorige 0, verschil 2" gave a <5 away
http GET '/api/v1/dashboard/GM0096'
expect "no change line beside a suppressed value" "all(t['verandering'] is None or t['laatste']['onderdrukt'] is False or all(v is None for v in t['verandering'].values()) for t in d['tegels'])"
# a ratio with a small noemer beside the counts it is built from: the
# noemer's count goes, the teller's (published anyway) stays
http GET '/api/v1/series/GM0072/esc_behandeld?per=kwartaal'
expect "esc_behandeld (15, the noemer) withheld" "all(v['weergave'] == 'x' for v in d['waarden'])"
http GET '/api/v1/series/GM0072/esc_ontruiming_voorkomen_pct?per=kwartaal'
expect "the ratio 12 of 15 suppressed (noemer < 20)" "all(v['onderdrukt'] for v in d['waarden'])"
http GET '/api/v1/series/GM0072/esc_ontruiming_voorkomen?per=jaar'
expect "the year's 48 voorkomen stay published" "[v['waarde'] for v in d['waarden']] == [48]"
# charts: a suppressed point is a gap, said in the legend
http GET '/chart/GM0072/pw_instroom.png?w=800&h=300'
check "PNG chart 200" test "$code" = 200

# ---- 1. the attacker ----
# (and the outputs compared byte for byte with state B in part 3)
compared=('/chart/GM0072/pw_instroom.png?w=800&h=300' '/chart/GM0072/pw_instroom.svg'
    '/api/v1/series/GM0072/pw_instroom?per=kwartaal' '/api/v1/series/GM0072/pw_instroom?per=jaar'
    '/api/v1/series/GM0072/pw_instroom?per=halfjaar' '/api/v1/vergelijk/pw_instroom?periode=2024&groep=alle'
    '/api/v1/vergelijk/pw_instroom?periode=2024-Q4&groep=provincie-friesland'
    '/chart/kaart/pw_instroom.svg?periode=2024-Q4' '/chart/vergelijk/pw_instroom.svg?periode=2024-12'
    '/api/v1/dashboard/GM0072')
check "attacker on state A: nothing determined" "$py" "$abs_top_srcdir/tests/e2e/disclosure.py" "$base" "$state/truth.json" "$cat" eilanden-twee
for u in "${compared[@]}"; do
	n=$(echo "$u" | md5sum | cut -c1-8)
	curl -s -o "$state/a-$n" "$base$u"
done

# ---- 2b. a cached answer follows its family (issue 16): a feed that
# makes Harlingen's duurklasse 7 small (20 -> 3, bestand 300 -> 283) must
# withdraw duurklasse 6 (30, the smallest other part) from every cached
# answer, though the feed did not touch duurklasse 6: a stale 30 gave the
# 3 away as 283 minus the others ----
u6='/api/v1/series/GM0072/pw_bestand_duur_6?van=2024-02&tot=2024-02'
v6='/api/v1/vergelijk/pw_bestand_duur_6?periode=2024-02&groep=alle&als=aantal'
http GET "$u6"
expect "duurklasse 6 published before (30)" "d['waarden'][0]['waarde'] == 30"
http GET "$v6"
expect "and in the comparison" "[r['waarde'] for r in d['gemeenten'] if r['code'] == 'GM0072'] == [30]"
tok=$(b token add --rol beheer --naam familie 2>/dev/null | grep -o 'bsd_[A-Za-z0-9_-]*' | head -n1)
printf 'gemeente;indicator;periode;waarde\nGM0072;pw_bestand_duur_7;2024-02;3\nGM0072;pw_bestand;2024-02;283\n' >"$state/fam.csv"
post_feed "$tok" "$state/fam.csv"
check "the correction is accepted (201, got $code)" test "$code" = 201
http GET "$u6"
expect "duurklasse 6 now withheld in the series" "d['waarden'][0]['weergave'] == 'x' and d['waarden'][0]['waarde'] is None"
http GET "$v6"
expect "and in the comparison" "[r['weergave'] for r in d['gemeenten'] if r['code'] == 'GM0072'] == ['x']"
e2e_stop

# ---- 3. state B: Harlingen's December 2 instead of 3 (both suppressed) ----
state_a=$state
cat=$abs_top_srcdir/indicators
e2e_state disclosure-b
cp -r "$state_a/cat" "$state/cat"
cat=$state/cat
sed -i -E "s|^catalog_dir = .*|catalog_dir = $cat|" "$state/basisd.conf"
make_state "$state" 2
check "state B ingested" b ingest "$state/feed.csv"
e2e_start
# (series and comparisons of every group but the peer groups: the
# dashboards, benchmark and peer groups are as in state A)
check "attacker on state B: nothing determined" env DISCLOSURE_SKIP=vergelijkbaar,dashboard,benchmark \
    "$py" "$abs_top_srcdir/tests/e2e/disclosure.py" "$base" "$state/truth.json" "$cat" eilanden-twee
for u in "${compared[@]}"; do
	n=$(echo "$u" | md5sum | cut -c1-8)
	curl -s -o "$state/b-$n" "$base$u"
	check "identical bytes for $u" cmp -s "$state_a/a-$n" "$state/b-$n"
done
e2e_stop
rm -rf "$state_a"

# ---- 4. the national demo for one indicator: pw_instroom in 2024, all
# 342 gemeenten, alle, provincies and grootteklassen ----
state_b=$state
cat=$abs_top_srcdir/indicators
e2e_state disclosure-demo
rm -rf "$state_b"
check "demo data loaded" b demo-data --van 2024 --tot 2024 --load
"$py" - "$state/basis.db" "$state/truth.json" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT gemeente, indicator, periode, waarde, teller, noemer FROM observation "
                  "WHERE current = 1 AND indicator = 'pw_instroom' AND periode LIKE '2024-%'").fetchall()
json.dump({"cells": [list(r) for r in rows], "gemeenten": sorted({r[0] for r in rows})},
          open(sys.argv[2], "w"))
PY
e2e_start
check "attacker on the national demo (pw_instroom 2024): nothing determined" \
    env DISCLOSURE_SKIP=vergelijkbaar,dashboard,benchmark "$py" \
    "$abs_top_srcdir/tests/e2e/disclosure.py" "$base" "$state/truth.json" "$cat"
e2e_stop
e2e_done
