#!/bin/bash
# tests/e2e/dash.sh — the dashboard's server side against the real basisd
# (issue 14): the map /chart/kaart/… (every member of the group drawn,
# each value the published one of the vergelijk JSON, suppressed hatched,
# missing grey, the marked gemeente outlined, source and herindelingen
# said, cached per data version). Under ASan when built so.
set -u
. "$(dirname "$0")/lib.sh"
e2e_state dash

lev=$(b token add --rol leverancier --gemeente GM0034 --naam almere 2>/dev/null)

# Flevoland (6 gemeenten): four published, Urk suppressed (noemer 8 < 10),
# Lelystad without data. 2021 for the note on herindelingen.
cat >"$state/flevo.csv" <<'CSV'
gemeente;indicator;periode;waarde;teller;noemer
GM0034;pw_uitstroom_resultaat_pct;2024;;260;1200
GM0050;pw_uitstroom_resultaat_pct;2024;;30;200
GM0171;pw_uitstroom_resultaat_pct;2024;;45;300
GM0184;pw_uitstroom_resultaat_pct;2024;;3;8
GM0303;pw_uitstroom_resultaat_pct;2024;;50;250
GM0034;pw_uitstroom_resultaat_pct;2021;;250;1000
GM0034;pw_bestand;2024-11;11800;;
GM0034;pw_bestand;2024-12;12000;;
CSV
b ingest "$state/flevo.csv" >/dev/null 2>&1 || { echo "ingest failed"; exit 1; }

# A www_dir of its own: the map's boundaries are taken away while serving
# (below) to show that a render no longer reads them.
cp -r "$abs_top_srcdir/www" "$state/www" && chmod -R u+w "$state/www"
sed -i -E "s|^www_dir = .*|www_dir = $state/www|" "$state/basisd.conf"

e2e_start


ind=pw_uitstroom_resultaat_pct
q="periode=2024&groep=provincie-flevoland"
http GET "/api/v1/vergelijk/$ind?$q"
cp "$state/body" "$state/vgl.json"
http GET "/chart/kaart/$ind.svg?$q&markeer=GM0034"
check "kaart 200 ($code)" test "$code" = 200
cp "$state/body" "$state/kaart.svg"
# The published numbers of the comparison, one by one, on the map.
check "every member drawn, linked, with the JSON's value" "$py" - \
    "$state/vgl.json" "$state/kaart.svg" <<'PY'
import json, sys, xml.etree.ElementTree as E
ns = {"s": "http://www.w3.org/2000/svg"}
vgl = json.load(open(sys.argv[1]))
svg = E.parse(sys.argv[2]).getroot()
links = {}
for a in svg.iterfind(".//s:g[@class='leden']/s:a", ns):
    p = a.find("s:path", ns)
    links[p.get("data-gm")] = (a.get("href"), p.get("data-weergave"), a.find("s:title", ns).text, p.get("fill"))
want = {g["code"]: g for g in vgl["gemeenten"]}
assert len(want) == 6 and set(links) == set(want), (sorted(links), sorted(want))
for code, g in want.items():
    href, weergave, title, fill = links[code]
    assert href == "/gemeente/" + code, href
    assert weergave == g["weergave"], (code, weergave, g["weergave"])
    assert title.startswith(g["naam"] + ": "), title
assert links["GM0034"][2] == "Almere: 21,7%", links["GM0034"]
assert links["GM0184"][3] == "url(#kaart-arcering)", links["GM0184"]
assert "onderdrukt" in links["GM0184"][2]
for code, g in want.items():
    assert (links[code][3] == "url(#kaart-arcering)") == g["onderdrukt"], (code, links[code], g)
assert links["GM0995"][3] == "#BDBDBD" and links["GM0995"][2] == "Lelystad: geen gegevens", links["GM0995"]
assert len({links[c][3] for c in ("GM0034", "GM0303")}) == 2
PY
check "marked gemeente outlined" has 'class="gemarkeerd" data-gm="GM0034"'
check "source on the map" has 'Bron kaart: CBS/PDOK'
check "legend in Dutch numbers" grep -Eq '>(minder dan|[0-9]+,[0-9] tot) [0-9]+,[0-9]' "$state/body"
# Suppression (Urk, and a second cell so the group figure cannot give it
# away) and missing data counted as the JSON has them.
nsup=$("$py" -c 'import json,sys; print(sum(g["onderdrukt"] for g in json.load(open(sys.argv[1]))["gemeenten"]))' "$state/vgl.json")
check "legend explains hatching ($nsup)" has "onderdrukt: te kleine aantallen ($nsup)"
check "legend explains grey" has 'geen gegevens geleverd (1)'
check "provincie borders drawn" "$py" -c 'import sys; assert open(sys.argv[1]).read().count("<path") > 6 + 12' "$state/body"
check "no herindeling note for 2024" test "$(grep -c heringedeeld "$state/body")" = 0

http GET "/chart/kaart/$ind.svg?periode=2021&groep=provincie-flevoland"
check "kaart 2021 200 ($code)" test "$code" = 200
check "2021: herindelingen since then named" has 'heringedeeld: Purmerend, Dijk en Waard'

http GET "/chart/kaart/$ind.svg?w=10"
check "w out of range → 400 ($code)" test "$code" = 400
http GET "/chart/kaart/$ind.svg?markeer=GM9999"
check "unknown markeer → 404 ($code)" test "$code" = 404
http GET "/chart/kaart/onbekend.svg"
check "unknown indicator → 404 ($code)" test "$code" = 404
http GET "/chart/kaart/$ind.svg?groep=bestaat-niet"
check "unknown group → 404 ($code)" test "$code" = 404

# The boundaries are parsed once, with the snapshot (issue 14: every
# uncached map read and parsed 330 kB of GeoJSON, 110–190 ms): with the
# files gone, new renders (other widths: cache misses) still draw every
# gemeente. The mean render time is basisd's own figure from /metrics.
metric() { curl -s "$base/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
mv "$state/www/geo" "$state/geo-weg"
r0=$(metric basisd_chart_renders_total); s0=$(metric basisd_chart_render_seconds_total)
for w in 401 433 467 511 559; do
	http GET "/chart/kaart/$ind.svg?groep=alle&w=$w"
	[ "$code" = 200 ] || break
done
check "uncached maps without the files on disk ($code)" test "$code" = 200
check "all 342 gemeenten drawn from memory" "$py" -c 'import sys; assert open(sys.argv[1]).read().count("data-gm=") >= 342' "$state/body"
r1=$(metric basisd_chart_renders_total); s1=$(metric basisd_chart_render_seconds_total)
check "5 renders counted ($r0 → $r1)" test "$((r1 - r0))" = 5
"$py" -c 'import sys; r0, r1, s0, s1 = map(float, sys.argv[1:]); print("kaart alle (342), ongecached: %.1f ms per render (gemiddeld over %d)" % ((s1 - s0) / (r1 - r0) * 1000, r1 - r0))' "$r0" "$r1" "$s0" "$s1"
mv "$state/geo-weg" "$state/www/geo"

# Cached per data version: a new feed shows on the map without a restart.
etag=$(curl -s -D - -o /dev/null "$base/chart/kaart/$ind.svg?$q" | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
check "kaart has an ETag" test -n "$etag"
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0995;pw_uitstroom_resultaat_pct;2024;;40;400\n' >"$state/lely.csv"
b ingest "$state/lely.csv" >/dev/null 2>&1
sleep 0.3
http GET "/chart/kaart/$ind.svg?$q" -H "If-None-Match: $etag"
check "after an ingest the map is new ($code)" test "$code" = 200
check "Lelystad now 10,0" has 'Lelystad: 10,0%'

# The trend chart (issue 14 item 3): our own SVG, readable at the width it
# is asked for: text of 13 units, y from 0, a point per yearly value, a gap
# where years are missing, the latest value labelled in Dutch.
http GET "/chart/GM0034/$ind.svg?groep=provincie-flevoland&w=390&h=320"
check "trend 200 ($code)" test "$code" = 200
check "trend: readable, from 0, points, gap, latest labelled" "$py" - "$state/body" <<'PY'
import sys, xml.etree.ElementTree as E
ns = {"s": "http://www.w3.org/2000/svg"}
svg = E.parse(sys.argv[1]).getroot()
assert svg.get("width") == "390" and int(svg.get("font-size")) >= 12, svg.attrib
texts = [t.text for t in svg.iterfind(".//s:text", ns)]
sizes = [int(t.get("font-size", svg.get("font-size"))) for t in svg.iterfind(".//s:text", ns)]
assert min(sizes) >= 12, sizes
assert "0" in texts and "20" in texts, texts          # y from 0 (21,7% and 25%)
assert "2021" in texts and "2024" in texts, texts     # year labels, the last one whole
pts = [c.find("s:title", ns).text for c in svg.iterfind(".//s:circle", ns)]
assert pts == ["2021: 25,0%", "2024: 21,7%"], pts     # one point per year
own = [p for p in svg.iterfind(".//s:polyline", ns) if p.get("stroke") == "#08519C"]
assert len(own) == 2, [p.attrib for p in own]        # 2022-2023 missing: a gap
lab = svg.find(".//s:text[@class='laatste']", ns)
assert lab is not None and lab.text == "21,7%", lab
assert svg.find(".//s:path", ns) is None              # text as text, no glyph paths
PY
http GET "/chart/GM0034/pw_bestand.svg?w=720&h=360"
check "count trend: thousands with a dot, no comparison lines" "$py" - "$state/body" <<'PY'
import sys, xml.etree.ElementTree as E
ns = {"s": "http://www.w3.org/2000/svg"}
svg = E.parse(sys.argv[1]).getroot()
texts = [t.text for t in svg.iterfind(".//s:text", ns)]
assert "10.000" in texts, texts
assert svg.find(".//s:text[@class='laatste']", ns).text == "12.000 uitkeringen"
assert "Nederland" not in texts and svg.find(".//s:polygon", ns) is None, texts
PY

# Numbers typed in a form are read as in a feed (the alerts page saved
# "38.000" as 38): /api/v1/getal echoes what was read.
http GET "/api/v1/getal?tekst=38.000"
check "38.000 is 38000 ($code)" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["waarde"] == 38000 and d["weergave"] == "38.000", d' "$state/body"
http GET "/api/v1/getal?tekst=12,5"
check "12,5 is 12.5" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["waarde"] == 12.5 and d["weergave"] == "12,5", d' "$state/body"
http GET "/api/v1/getal?tekst=twaalf"
check "no number → 400 in Dutch ($code)" test "$code" = 400
check "400 says what to write" has 'schrijf bijvoorbeeld 38.000'

# Group names say their inwoner range (the menu read "Grootteklasse 1…8").
http GET /api/v1/groepen
check "size classes named with inwoners" has '"Grootteklasse 4 (20.000 tot 50.000 inwoners)"'

# The kern block: per year the gemeente's and every peer's cell of the
# comparison with groep=vergelijkbaar-GM.
http GET /api/v1/kern/GM0034
check "kern 200 ($code)" test "$code" = 200
cp "$state/body" "$state/kern.json"
http GET "/api/v1/vergelijk/$ind?periode=2024&groep=vergelijkbaar-GM0034"
check "kern cells equal the comparison's" "$py" - "$state/kern.json" "$state/body" <<'PY'
import json, sys
k, v = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
x = next(i for i in k["indicatoren"] if i["indicator"]["id"] == "pw_uitstroom_resultaat_pct")
y = next(j for j in x["jaren"] if j["periode"] == "2024")
rows = {g["code"]: g["weergave"] for g in v["gemeenten"]}
assert y["gemeente"]["weergave"] == rows["GM0034"] == "21,7", (y["gemeente"], rows)
assert k["peergroep"]["id"] == "vergelijkbaar-GM0034", k["peergroep"]  # peers need feature data; browser.py checks their names
for p in y["peers"]:
    assert rows[p["code"]] == p["weergave"], (p, rows)
assert y["groepcijfer"] == v["groepcijfer"], (y["groepcijfer"], v["groepcijfer"])
PY

# The comparison as CSV (issue 14 item 6): Python's csv module reads it,
# every row stands on its own (indicator, periode, groep, synthetisch, n/N,
# the group and national figures) and every figure is the JSON's.
for x in '' '&excel=1'; do
	http GET "/api/v1/vergelijk/$ind?$q"
	cp "$state/body" "$state/vgl.json"
	http GET "/api/v1/vergelijk/$ind.csv?$q$x"
	check "vergelijk CSV$x 200 ($code)" test "$code" = 200
	check "vergelijk CSV$x: complete columns, the JSON's figures" "$py" - \
	    "$state/vgl.json" "$state/body" "$x" <<'PY'
import csv, io, json, sys
v = json.load(open(sys.argv[1]))
raw = open(sys.argv[2], "rb").read()
excel = bool(sys.argv[3])
assert raw.startswith(b"\xef\xbb\xbf") == excel
text = raw.decode("utf-8-sig")
rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
num = lambda s: None if s == "" else float(s.replace(",", ".") if excel else s)
cols = ("indicator periode groep groep_naam synthetisch vergelijk_als zoals_op rang code naam "
        "waarde teller noemer aantal weergave status onvolledig onderdrukt peildatum").split()
agg = "n N waarde teller noemer weergave status onvolledig".split()
want = cols + ["groep_" + a for a in agg] + ["landelijk_" + a for a in agg]
assert list(rows[0].keys()) == want, list(rows[0].keys())
assert [r["code"] for r in rows] == [g["code"] for g in v["gemeenten"]], rows
jn = lambda b: "ja" if b else "nee"
for r, g in zip(rows, v["gemeenten"]):
    assert r["indicator"] == v["indicator"]["id"] and r["periode"] == v["periode"], r
    assert r["groep"] == v["groep"]["id"] and r["groep_naam"] == v["groep"]["naam"], r
    assert r["synthetisch"] == jn(v["synthetisch"]) and r["zoals_op"] == "", r
    assert r["vergelijk_als"] == v["vergelijk_als"]["als"], r
    assert r["naam"] == g["naam"] and r["weergave"] == g["weergave"], (r, g)
    assert num(r["rang"]) == g["rang"], (r, g)
    for k in ("waarde", "teller", "noemer"):
        assert num(r[k]) == g[k], (k, r, g)
    assert r["status"] == g["status"] and r["onvolledig"] == jn(g["onvolledig"]), (r, g)
    assert r["onderdrukt"] == jn(g["onderdrukt"]), (r, g)
    assert r["peildatum"] == (g["peildatum"] or ""), (r, g)
    for who, a in (("groep", v["groepcijfer"]), ("landelijk", v["landelijk"])):
        for k in ("n", "N", "waarde", "teller", "noemer"):
            assert num(r[who + "_" + k]) == a[k], (who, k, r, a)
        assert r[who + "_weergave"] == a["weergave"] and r[who + "_status"] == a["status"], (r, a)
        assert r[who + "_onvolledig"] == jn(a["onvolledig"]), (r, a)
urk = next(r for r in rows if r["code"] == "GM0184")
assert urk["onderdrukt"] == "ja" and urk["waarde"] == urk["teller"] == "" and urk["rang"] == "", urk
assert rows[0]["groep_N"] == "6" and rows[0]["landelijk_N"] == "342", rows[0]
PY
done
head -1 "$state/body" >"$state/vgl-head.csv"
http GET /api/v1/openapi.json
check "openapi names the CSV's columns" "$py" - "$state/body" "$state/vgl-head.csv" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))["paths"]["/api/v1/vergelijk/{id}.csv"]["get"]["responses"]["200"]["description"]
named = set(re.findall(r"[a-z_]+(?:_[nN])?\b|groep_N", d))
cols = open(sys.argv[2], encoding="utf-8-sig").read().strip().split(";")
for c in cols:
    if not c.startswith("landelijk_"):
        assert c in named, (c, d)
PY
http GET "/api/v1/vergelijk/pw_bestand.csv?periode=2024-12&groep=provincie-flevoland"
check "count CSV: ranked as a rate, the count beside it" "$py" - "$state/body" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
alm = next(r for r in rows if r["code"] == "GM0034")
assert alm["vergelijk_als"] == "per_1000_inwoners" and alm["aantal"] == "12000", alm
PY

# Aanleveren: a dry run (?proef=1) checks and reports like a real feed
# and stores nothing; the same file then stores.
printf 'gemeente;indicator;periode;waarde\nGM0034;pw_bestand;2025-01;12100\n' >"$state/proef.csv"
post() { code=$(curl -s -o "$state/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $lev" -H 'Content-Type: text/csv' --data-binary "@$2" "$base/api/v1/feeds$1"); }
post '?proef=1' "$state/proef.csv"
check "proef → 200 ($code)" test "$code" = 200
check "proef report says so, no levering" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["proef"] is True and d["status"] == "geaccepteerd" and d["levering"] == 0 and d["regels"]["goed"] == 1, d' "$state/body"
http GET "/api/v1/series/GM0034/pw_bestand?van=2025-01&tot=2025-01"
check "proef stored nothing" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["waarden"] == [], d' "$state/body"
printf 'gemeente;indicator;periode;waarde\nGM0034;pw_bestand;2025-13;5\n' >"$state/proef-fout.csv"
post '?proef=1' "$state/proef-fout.csv"
check "proef of a bad file → 422 with the line ($code)" grep -q '"regel": 2' "$state/body"
post '' "$state/proef.csv"
check "then stored → 201 ($code)" test "$code" = 201
http GET "/api/v1/series/GM0034/pw_bestand?van=2025-01&tot=2025-01"
check "value stored after the real upload" has '"waarde": *12100'
http GET /aanleveren
check "Aanleveren page served ($code)" test "$code" = 200

e2e_stop
e2e_done
