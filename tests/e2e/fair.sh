#!/bin/bash
# tests/e2e/fair.sh — numbers a raadslid can defend (issue 11), through the
# real basisd over HTTP: counts compared as rates (domain §3.9), context
# never ranked, verdicts only on enough peers. Each check reproduces a
# defect seen on main before the fix.
set -u
. "$(dirname "$0")/lib.sh"
e2e_state fair
# A catalogue of our own: the ZRM version check edits it (SIGHUP).
cp -R "$cat" "$state/indicators"
sed -i "s|^catalog_dir = .*|catalog_dir = $state/indicators|" "$state/basisd.conf"
cat=$state/indicators
# jq-like assertion on the last body: PY EXPRESSION over d
expect() { local d=$1; shift; check "$d" "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert ($1), json.dumps(d)[:1500]" "$state/body"; }

beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)

e2e_start

post_feed() { # FILE [query]
	http POST "/api/v1/feeds${2:-}" -H "Authorization: Bearer $beheer" \
	    -H 'Content-Type: text/csv' --data-binary "@$1"
}

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

# A change needs to be large enough to be judged: Zeewolde 199 → 200
# (+0,5%) was "ongunstig"; Ameland 60 → 80 (+33%) is.
printf 'gemeente;indicator;periode;waarde\nGM0050;pw_bestand;2024-05;199\nGM0060;pw_bestand;2024-05;60\n' >"$state/change.csv"
post_feed "$state/change.csv"
http GET '/api/v1/dashboard/GM0050'
expect "+1 (+0,5%) is not judged" \
    "($(printf "$tile" pw_bestand))['verandering']['vorige']['oordeel'] == 'geen'"
http GET '/api/v1/dashboard/GM0060'
expect "+33% on a lager_beter count is ongunstig" \
    "($(printf "$tile" pw_bestand))['verandering']['vorige']['oordeel'] == 'ongunstig'"

# ---- 4. boundaries (domain §3.10) ----
# Heerhugowaard 1 000 + Langedijk 300 (Dijk en Waard since 2022) + Weesp
# 500 (Amsterdam since 2022-03) + Amsterdam 40 000 in 2021-12: on main the
# country was 40 000, n 1 of 342. Eemsdelta (2021) from 2 of its 3
# predecessors in 2020-12 was shown as complete.
cat >"$state/grenzen.csv" <<'CSV'
gemeente;indicator;periode;waarde
GM0398;pw_bestand;2021-12;1000
GM0416;pw_bestand;2021-12;300
GM0457;pw_bestand;2021-12;500
GM0363;pw_bestand;2021-12;40000
GM0003;pw_bestand;2020-12;800
GM0010;pw_bestand;2020-12;500
CSV
post_feed "$state/grenzen.csv"
check "boundaries feed → 201 ($code)" test "$code" = 201
http GET '/api/v1/vergelijk/pw_bestand?periode=2021-12&groep=alle'
expect "2021-12 country counts the merged gemeenten: 41 800 from 4" \
    "d['totaal']['landelijk']['waarde'] == 41800 and d['totaal']['landelijk']['n'] == 4"
expect "2021-12 on that period's boundaries: N = 352, stated" \
    "d['totaal']['landelijk']['N'] == 352 and d['grenzen']['soort'] == 'periode' and d['groep']['leden'] == 352"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06&groep=alle'
expect "2024-06 on today's boundaries: N = 342" \
    "d['grenzen']['soort'] == 'vandaag' and d['landelijk']['N'] == 342"
http GET '/api/v1/series/GM1979/pw_bestand?herindeling=1'
expect "merged series from 2 of 3 predecessors stays onvolledig" \
    "[(v['waarde'], v['onvolledig']) for v in d['waarden'] if v['periode'] == '2020-12'] == [(1300, True)]"
http GET '/api/v1/series/GM1979/pw_bestand?herindeling=1&per=jaar'
expect "… also per jaar" \
    "[v['onvolledig'] for v in d['waarden'] if v['periode'] == '2020'] == [True]"

# ---- 5. peers (vergelijkbare gemeenten) ----
# On main a gemeente without context data got no peers, a gemeente missing
# a feature came closer (distances scaled up), and the default features
# were two sizes on a raw scale plus bijstand density (an outcome).
{
	echo 'gemeente;indicator;periode;waarde'
	n=0
	for gm in GM0637 GM0599 GM0518 GM0344 GM0014 GM0772 GM0855 GM0034 GM0202 GM0268 GM0193 GM0153 GM0503; do
		n=$((n + 1))
		echo "$gm;inwoners;2023;$((100000 + n * 7919))"
		echo "$gm;huishoudens;2023;$((45000 + n * 3001))"
	done
} >"$state/peers.csv"
post_feed "$state/peers.csv"
check "peers feed → 201 ($code)" test "$code" = 201
http GET '/api/v1/gemeenten/GM0096/vergelijkbaar'
expect "a gemeente without context data still gets peers (register inwoners)" \
    "len(d['vergelijkbaar']) == 10"
http GET '/api/v1/gemeenten/GM0637/vergelijkbaar'
expect "default features: log inwoners and household size, no outcome indicator" \
    "[f['id'] for f in d['kenmerken']] == ['inwoners', 'huishoudensgrootte'] and d['kenmerken'][0]['schaal'] == 'log10'"
expect "features carry mean, sd and the own z-score" \
    "all(f['sd'] is not None and f['gemiddelde'] is not None and f['eigen_z'] is not None for f in d['kenmerken'])"
expect "peers have names, distances and z-scores" \
    "all(p['naam'] and p['afstand'] is not None and set(p['z']) == {'inwoners', 'huishoudensgrootte'} for p in d['vergelijkbaar'])"
expect "a gemeente missing a feature never comes before one that has them all" \
    "[p['kenmerken'] for p in d['vergelijkbaar']] == sorted([p['kenmerken'] for p in d['vergelijkbaar']], reverse=True) and d['vergelijkbaar'][0]['kenmerken'] == 2 and 'GM0096' not in [p['code'] for p in d['vergelijkbaar']]"

# ---- 6. flags that reach the reader ----
# An 11-month year was ranked beside 12-month years; a quarter's stand
# from February was shown without its peildatum; group figures had no
# status; a sum over 2 of 4 members was onvolledig: false.
{
	echo 'gemeente;indicator;periode;waarde;status'
	for gm in GM0637 GM0599 GM0518 GM0344 GM0014 GM0772; do
		echo "$gm;pw_bestand;2022-12;1000;definitief"
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			[ "$gm" = GM0772 ] && [ "$m" = 12 ] && continue
			echo "$gm;pw_uitstroom_werk;2023-$m;$((${gm:5:1} + 1));definitief"
		done
	done
	echo "GM0153;pw_bestand;2024-04;700;definitief"
	echo "GM0153;pw_bestand;2024-05;710;definitief"
	echo "GM0363;pw_bestand;2019-12;39000;voorlopig"
	echo "GM0599;pw_bestand;2019-12;35000;voorlopig"
} >"$state/flags.csv"
post_feed "$state/flags.csv"
check "flags feed → 201 ($code)" test "$code" = 201
http GET '/api/v1/vergelijk/pw_uitstroom_werk?periode=2023'
expect "an 11-month year is flagged and not ranked" \
    "[(g['onvolledig'], g['rang']) for g in d['gemeenten'] if g['code'] == 'GM0772'] == [(True, None)]"
expect "the 12-month years are ranked" \
    "{g['code']: g['rang'] for g in d['gemeenten'] if g['rang']} == {'GM0599': 1, 'GM0518': 2, 'GM0637': 3, 'GM0344': 4, 'GM0014': 4}"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-Q2&als=aantal'
expect "a quarter's stand names the peildatum used" \
    "[(g['peildatum'], g['onvolledig']) for g in d['gemeenten'] if g['code'] == 'GM0153'] == [('2024-05', True)]"
http GET '/api/v1/series/GM0153/pw_bestand?per=kwartaal'
expect "… also in the series" \
    "[v['peildatum'] for v in d['waarden'] if v['periode'] == '2024-Q2'] == ['2024-05']"
http GET '/api/v1/vergelijk/pw_bestand?periode=2019-12&groep=G4&als=aantal'
expect "group figures carry the members' status" \
    "d['groepcijfer']['status'] == 'voorlopig' and d['landelijk']['status'] == 'voorlopig'"
expect "a sum over 2 of 4 members is onvolledig" \
    "d['groepcijfer']['n'] == 2 and d['groepcijfer']['N'] == 4 and d['groepcijfer']['onvolledig'] is True"

# ---- 7. family definitions ----
# pl_stijgers_pct per jaar counted 100 clients as 200 (each halfjaar
# again); stijgers 60 and dalers 50 of the same 100 clients and treden
# that do not add up were accepted; esc_ontruiming_voorkomen_pct had the
# aangezegde cases as noemer, so 25 prevented of 20 aangezegd was refused.
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0363;pl_stijgers_pct;2024-H1;;30;100\nGM0363;pl_stijgers_pct;2024-H2;;40;100\n' >"$state/pl.csv"
post_feed "$state/pl.csv"
check "ladder feed → 201 ($code)" test "$code" = 201
http GET '/api/v1/series/GM0363/pl_stijgers_pct?per=jaar'
check "pl_stijgers_pct per=jaar is refused, not double counted ($code)" test "$code" = 400
check "… and says why" has 'opnieuw tellen'
http GET '/api/v1/vergelijk/pl_stijgers_pct?periode=2024'
check "… also in the comparison ($code)" test "$code" = 400
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0599;pl_stijgers_pct;2024-H1;;60;100\nGM0599;pl_dalers_pct;2024-H1;;50;100\n' >"$state/pl2.csv"
post_feed "$state/pl2.csv"
check "stijgers 60% + dalers 50% of the same clients → 422 ($code)" test "$code" = 422
check "… named" has 'samen meer dan de 100 gemeten'
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0599;pl_stijgers_pct;2024-H1;;30;100\nGM0599;pl_dalers_pct;2024-H1;;20;90\n' >"$state/pl3.csv"
post_feed "$state/pl3.csv"
check "stijgers and dalers with different noemers → 422 ($code)" test "$code" = 422
# "gelijk gebleven" was missing: the third share of the clients measured
# twice, over the same noemer as stijgers and dalers (domain §5).
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0599;pl_stijgers_pct;2024-H2;;30;100\nGM0599;pl_gelijk_pct;2024-H2;;50;100\nGM0599;pl_dalers_pct;2024-H2;;20;100\n' >"$state/gelijk.csv"
post_feed "$state/gelijk.csv"
check "stijgers 30 + gelijk 50 + dalers 20 of 100 → 201 ($code)" test "$code" = 201
http GET '/api/v1/series/GM0599/pl_gelijk_pct?van=2024-H2&tot=2024-H2'
expect "the API serves gelijk gebleven as 50% of the 100 clients" \
    "[(v['waarde'], v['teller'], v['noemer']) for v in d['waarden']] == [(50, 50, 100)]"
http GET '/api/v1/indicators/pl_gelijk_pct'
expect "… as a catalogue indicator over the clients measured twice" \
    "'twee metingen' in d['noemer'] and d['richting'] == 'neutraal'"
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0599;pl_stijgers_pct;2025-H1;;30;100\nGM0599;pl_gelijk_pct;2025-H1;;40;100\nGM0599;pl_dalers_pct;2025-H1;;20;100\n' >"$state/gelijk2.csv"
post_feed "$state/gelijk2.csv"
check "gelijk 40 where noemer − stijgers − dalers = 50 → 422 ($code)" test "$code" = 422
expect "… a row error on line 3, column teller, value 40" \
    "[(p['regel'], p['kolom'], p['waarde']) for p in d['problemen']] == [(3, 'teller', '40')] and 'noemer − stijgers − dalers' in d['problemen'][0]['reden']"
{
	echo 'gemeente;indicator;periode;waarde;teller;noemer'
	for k in 1 2 3 4 5 6; do echo "GM0518;pl_trede_$k;2024-H1;10;;"; done
	echo "GM0518;pl_gemiddelde_trede;2024-H1;;210;70"
} >"$state/treden.csv"
post_feed "$state/treden.csv"
check "treden that do not add up to the clients measured → 422 ($code)" test "$code" = 422
check "… named" has 'tellen samen 60'
printf 'gemeente;indicator;periode;waarde;teller;noemer\nGM0599;esc_ontruiming_voorkomen_pct;2024-Q1;;25;32\n' >"$state/esc.csv"
post_feed "$state/esc.csv"
check "25 prevented of 32 handled cases → 201 ($code)" test "$code" = 201
http GET '/api/v1/indicators/esc_ontruiming_voorkomen_pct'
check "its noemer is the cases handled" has 'behandeld'

# ---- data before the indicator existed (its catalogue sinds) ----
# ZRM 2017 scores for 2016 were accepted although the catalogue says sinds
# 2017; future periods were already row errors, earlier ones were not.
printf 'gemeente;indicator;periode;waarde;teller;noemer;versie\nGM0599;zrm_financien_gem;2017-H1;;300;100;2017\nGM0599;zrm_financien_gem;2016-H2;;300;100;2017\n' >"$state/sinds.csv"
post_feed "$state/sinds.csv"
check "ZRM data for 2016-H2 (sinds 2017) → 422 ($code)" test "$code" = 422
expect "… a Dutch row error naming line 3, column periode and 2016-H2" \
    "[(p['regel'], p['kolom'], p['waarde']) for p in d['problemen']] == [(3, 'periode', '2016-H2')] and 'vóór het begin van zrm_financien_gem (sinds 2017' in d['problemen'][0]['reden']"
http GET '/api/v1/series/GM0599/zrm_financien_gem'
expect "… and nothing of that feed is stored" "d['waarden'] == [] or all(v['waarde'] is None for v in d['waarden'])"

# ---- the ZRM version (domain §6) ----
# A ZRM feed had no version column: ZRM 2013 scores (11 leefgebieden) were
# stored under the 2017 indicators and summed and ranked with them.
printf 'gemeente;indicator;periode;teller;noemer\nGM0599;zrm_financien_gem;2024-H1;300;100\n' >"$state/zrm0.csv"
post_feed "$state/zrm0.csv"
check "a ZRM row without versie → 422 ($code)" test "$code" = 422
expect "… the row error names the column versie" \
    "[(p['regel'], p['kolom']) for p in d['problemen']] == [(2, 'versie')] and 'versie ontbreekt' in d['problemen'][0]['reden']"
printf 'gemeente;indicator;periode;teller;noemer;versie\nGM0599;zrm_financien_gem;2024-H1;300;100;2017\nGM0518;zrm_financien_gem;2024-H1;280;100;2013\n' >"$state/zrm13.csv"
post_feed "$state/zrm13.csv"
check "ZRM 2013 scores beside ZRM 2017 ones → 422 ($code)" test "$code" = 422
expect "… refused on line 3 with the value 2013, not mapped" \
    "[(p['regel'], p['kolom'], p['waarde']) for p in d['problemen']] == [(3, 'versie', '2013')] and 'niet samengeteld of vergeleken' in d['problemen'][0]['reden']"
printf 'gemeente;indicator;periode;teller;noemer;versie\nGM0599;zrm_financien_gem;2024-H1;300;100;2017\nGM0518;zrm_financien_gem;2024-H1;280;100;ZRM 2017\n' >"$state/zrm17.csv"
post_feed "$state/zrm17.csv"
check "ZRM 2017 scores → 201 ($code)" test "$code" = 201
printf 'gemeente;indicator;periode;teller;noemer;toelichting;versie\nGM0599;zrm_financien_gem;2024-H1;310;100;herteld;2017\n' >"$state/zrm17b.csv"
post_feed "$state/zrm17b.csv"
check "a revision of it → 201 ($code)" test "$code" = 201
http GET '/api/v1/series/GM0599/zrm_financien_gem?van=2024-H1&tot=2024-H1'
expect "the series names its ZRM version" "d['zrm_versie'] == '2017' and [v['waarde'] for v in d['waarden']] == [3.1]"
expect "… and each stored revision carries it" \
    "[(c['revisie'], c['versie']) for c in d['correcties']] == [(2, '2017')]"
http GET '/api/v1/indicators/zrm_financien_gem'
expect "the indicator names its ZRM version" "d['zrm_versie'] == '2017'"
http GET '/api/v1/indicators/pw_bestand'
expect "… other indicators have none" "d['zrm_versie'] is None"
b export GM0599 zrm_financien_gem --historie >"$state/zrm.csv"
check "export --historie shows the version per revision" grep -q '^GM0599,zrm_financien_gem,2024-H1,2,ja,.*,herteld,2017' "$state/zrm.csv"
# A catalogue that moves an id to another ZRM version would mix the new
# scores with the stored 2017 ones: SIGHUP refuses it, the old one stays.
sed -i 's/^zrm_versie = 2017$/zrm_versie = 2013/' "$cat/zrm_financien_gem.ini"
kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'herladen mislukt' "$state/log" && break; sleep 0.1; done
check "SIGHUP with zrm_financien_gem on ZRM 2013 over stored 2017 values is refused" \
    grep -q 'zrm_financien_gem: de catalogus noemt ZRM 2013, het grootboek heeft waarden van ZRM 2017' "$state/log"
http GET '/api/v1/indicators/zrm_financien_gem'
expect "… and the 2017 catalogue stays" "d['zrm_versie'] == '2017'"
sed -i 's/^zrm_versie = 2013$/zrm_versie = 2017/' "$cat/zrm_financien_gem.ini"

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

# ---- 2. the uitstroom benchmark (domain §4) ----
# The seed: 120 uitkeringen at 7% werk+opleiding (4-year klasse, methode
# hoog) → 8,4 expected; 22 werk + 2 opleiding + 4 deeltijd = 26 realised
# → 17,6 extra (opleiding and deeltijd are small numbers: with werk alone
# the realised figure minus werk would give deeltijd, and the benchmark is
# refused — tests/e2e/disclosure.sh)
# → € 616.000 at € 35.000; netto with € 75.000 other savings and
# € 165.000 costs → € 526.000. Broedplaats: 13 of 86 = 15% against 5–10%.
# GM0344 delivers only 9 months; GM0518 no bestand per duurklasse.
{
	echo 'gemeente;indicator;periode;waarde'
	for k in 1 2 3 4 5 6 7; do
		echo "GM0637;pw_bestand_duur_$k;2023-12;$([ $k = 4 ] && echo 120 || echo 0)"
		echo "GM0599;pw_bestand_duur_$k;2023-12;$([ $k = 3 ] && echo 86 || echo 0)"
		echo "GM0344;pw_bestand_duur_$k;2023-12;$([ $k = 4 ] && echo 100 || echo 0)"
	done
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "GM0637;pw_uitstroom_werk;2024-$m;$([ $m -le 2 ] && echo 1 || echo 2)"
		echo "GM0637;pw_uitstroom_opleiding;2024-$m;$([ $m -le 2 ] && echo 1 || echo 0)"
		echo "GM0637;pw_uitstroom_deeltijd;2024-$m;$((10#$m % 3 == 0 ? 1 : 0))"
		echo "GM0599;pw_uitstroom_werk;2024-$m;$([ $m = 12 ] && echo 2 || echo 1)"
		for gm in GM0637 GM0599 GM0518; do
			[ $gm = GM0637 ] || echo "$gm;pw_uitstroom_opleiding;2024-$m;0"
			echo "$gm;pw_uitstroom_ondernemer;2024-$m;0"
		done
		echo "GM0599;pw_uitstroom_deeltijd;2024-$m;0"
		echo "GM0518;pw_uitstroom_werk;2024-$m;3"
		echo "GM0518;pw_uitstroom_deeltijd;2024-$m;0"
		if [ "$m" -le 9 ]; then
			echo "GM0344;pw_uitstroom_werk;2024-$m;2"
			for i in opleiding ondernemer deeltijd; do echo "GM0344;pw_uitstroom_$i;2024-$m;0"; done
		fi
	done
} >"$state/bench.csv"
post_feed "$state/bench.csv"
check "benchmark feed → 201 ($code)" test "$code" = 201

http GET '/api/v1/benchmark/uitstroom/GM0637?jaar=2024&methode=hoog&bedrag=35.000&overige=75000&kosten=165000'
check "seed benchmark → 200 ($code)" test "$code" = 200
expect "seed: 26 realised, 8,4 expected, 17,6 extra" \
    "d['gerealiseerd'] == 26 and abs(d['verwacht'] - 8.4) < 1e-9 and abs(d['extra'] - 17.6) < 1e-9"
expect "seed: € 616.000 bruto, € 526.000 netto" \
    "abs(d['maatschappelijk']['euro'] - 616000) < 1e-6 and abs(d['netto']['euro'] - 526000) < 1e-6 and d['netto']['grondslag'] == 'netto'"
expect "the werk+opleiding column by default, named" \
    "d['kolom'] == 'werk_opleiding' and 'werk of opleiding' in d['kolom_tekst'] and 'werk of opleiding' in d['toelichting']"
expect "unit words: uitkeringen, not mensen" \
    "'mensen' not in d['toelichting'] and '26,0 uitkeringen' in d['toelichting']"

http GET '/api/v1/benchmark/uitstroom/GM0599?jaar=2024'
expect "Broedplaats: 13 of 86 = 15,1% against 5–10%" \
    "abs(d['uitstroom_pct'] - 1300/86) < 1e-9 and abs(d['verwacht_pct_bereik']['laag'] - 5) < 1e-9 and abs(d['verwacht_pct_bereik']['hoog'] - 10) < 1e-9"
http GET '/api/v1/benchmark/uitstroom/GM0599?jaar=2024&kolom=alle&methode=hoog'
expect "kolom=alle is a parameter; a negative extra is 'minder dan verwacht', not a besparing" \
    "d['kolom'] == 'alle' and d['extra'] < 0 and d['extra_tekst'] == 'minder dan verwacht' and d['maatschappelijk']['label'].startswith('minder dan verwacht') and 'minder dan verwacht' in d['toelichting']"
http GET '/api/v1/benchmark/uitstroom/GM0599?jaar=2024&kolom=iets'
check "unknown kolom → 400 ($code)" test "$code" = 400

http GET '/api/v1/benchmark/uitstroom/GM0518?jaar=2024'
check "missing bestand → 422 ($code)" test "$code" = 422
check "missing input named with its peildatum" has 'pw_bestand_duur_1 op peildatum 31-12-2023'
check "not worded as a negative value" sh -c "! grep -q 'moet 0 of meer' '$state/body'"

http GET '/api/v1/benchmark/uitstroom/GM0344?jaar=2024'
check "9 months of flows are refused ($code)" test "$code" = 422
check "the missing months are named" has '2024-10, 2024-11, 2024-12'
http GET '/api/v1/benchmark/uitstroom/GM0344?jaar=2024&schatten=1&methode=hoog'
expect "?schatten=1 extrapolates 9 months to a year, labelled geschat" \
    "d['status'] == 'geschat' and d['maanden'] == 9 and d['gerealiseerd'] == 24 and 'geschat: 9 maanden' in d['toelichting']"

# ---- 8. as of a date, and correction notes ----
# A correction of Amsterdam's 2024-06 bestand; the first revision is dated
# back to 2025-01-15 in the ledger (as if the report was written then).
printf 'gemeente;indicator;periode;waarde;toelichting\nGM0363;pw_bestand;2024-06;40100;correctie na controle van de uitkeringsadministratie\n' >"$state/corr.csv"
post_feed "$state/corr.csv"
check "correction feed → 201 ($code)" test "$code" = 201
"$py" - "$state/basis.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("UPDATE observation SET recorded_at = '2025-01-15T10:00:00Z' WHERE gemeente = 'GM0363' AND indicator = 'pw_bestand' AND periode = '2024-06' AND revisie = 1")
db.commit()
PY
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-06&tot=2024-06'
expect "now: the corrected value" "[v['waarde'] for v in d['waarden']] == [40100]"
expect "the correction note is in the series" \
    "[(c['revisie'], c['toelichting']) for c in d['correcties'] if c['periode'] == '2024-06'] == [(2, 'correctie na controle van de uitkeringsadministratie')]"
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-06&tot=2024-06&zoals_op=2025-02-01'
expect "as of 2025-02-01: the value as it stood then" \
    "[v['waarde'] for v in d['waarden']] == [40000] and d['zoals_op'] == '2025-02-01'"
http GET '/api/v1/series/GM0363/pw_bestand?zoals_op=2025-01-01'
expect "as of before any delivery: nothing" "d['waarden'] == []"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06&zoals_op=2025-02-01'
expect "vergelijk as of 2025-02-01 has the old count" \
    "[g['aantal'] for g in d['gemeenten'] if g['code'] == 'GM0363'] == [40000] and d['zoals_op'] == '2025-02-01'"
http GET '/api/v1/vergelijk/pw_bestand?periode=2024-06&zoals_op=2025-02-30'
check "an impossible date → 400 ($code)" test "$code" = 400

e2e_stop
e2e_done
