#!/bin/bash
# tests/e2e/edge.sh — the HTTP edge of the real basisd (issue 16 items 2,
# 4, 8 and 9): invalid UTF-8 is a clean 400 without a leak, van after tot
# a 400, no UBSan abort on an empty period, an Atom feed that stays XML,
# gzip with Vary and its own ETag, ETag and Last-Modified on cacheable
# answers with 304s that carry the 200's length, CORS and OPTIONS, 405 for
# POST /, security headers on pages, unknown and long queries, path
# traversal with --path-as-is, slow clients (slowloris), and a second
# daemon on "::" with TLS: IPv4 clients reach it and the session cookie
# is Secure. Under ASan when built so.
set -u
. "$(dirname "$0")/lib.sh"
edge="$py $abs_top_srcdir/tests/e2e/edge.py"
e2e_state edge
pid2=	# the TLS daemon; e2e_cleanup stops it too
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 ||
	{ echo "user add failed"; exit 1; }

# start CONF LOG: the daemon in the background, its pid in $started and
# its port in $port. ASan's quarantine is off so RSS shows leaks, not
# freed memory held back.
start() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0:quarantine_size_mb=0" \
	    "$daemon" -d -f "$1" >"$2" 2>&1 &
	started=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*luistert op https*://.*:\([0-9]*\)/ .*|\1|p' "$2")
		[ -n "$port" ] && return 0
		sleep 0.1
	done
	cat "$2"
	echo "basisd did not start"
	exit 1
}
start "$state/basisd.conf" "$state/log"
pid=$started
base=http://127.0.0.1:$port

# http METHOD PATH [curl args…] → body in $state/body, headers in
# $state/head, status in $code
http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s --path-as-is -o "$state/body" -D "$state/head" \
	    -w '%{http_code}' -X "$m" "$@" "$base$p")
}
# hdr NAME: the value of a response header ("" when absent)
hdr() { sed -n "s/^$1: *\(.*\)\r\$/\1/Ip" "$state/head" | head -1; }
nhdr() { grep -ci "^$1:" "$state/head"; }
json_ok() { "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$state/body"; }

{
	echo 'gemeente;indicator;periode;waarde;teller;noemer'
	for gm in GM0363 GM0599 GM0518 GM0344; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			echo "$gm;pw_bestand;2024-$m;$((30000 + 10#$m * 10 + ${gm:3:3}));;"
		done
	done
} >"$state/good.csv"
http POST /api/v1/feeds -H "Authorization: Bearer $beheer" \
    -H 'Content-Type: text/csv' --data-binary "@$state/good.csv"
check "feed → 201 ($code)" test "$code" = 201

# ---- item 2: invalid UTF-8 → 400 with a JSON body, and no leak
for p in '/api/v1/indicators/%ff' '/api/v1/series/%ff/pw_bestand' \
    '/api/v1/series/GM0363/pw_bestand?van=%ff' \
    '/api/v1/vergelijk/pw_bestand?groep=%ff' '/api/v1/gemeenten/%c0%af' \
    '/chart/%ed%a0%80/pw_bestand.svg'; do
	http GET "$p"
	check "$p → 400 ($code)" test "$code" = 400
	check "$p → JSON error" json_ok
done
read -r rss0 rss1 statuses <<<"$($edge utf8-loop "$port" "$pid" 10000)"
check "10000 invalid UTF-8 requests all 400 ($statuses)" test "$statuses" = 400
check "RSS flat over 10000 invalid UTF-8 requests (${rss0} → ${rss1} kB)" \
    test $((rss1 - rss0)) -lt 1536

# ---- item 8: an empty period, van after tot
http GET '/api/v1/vergelijk/pw_bestand?periode=1900-01'
check "vergelijk of a period without data → 200 ($code)" test "$code" = 200
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-05&tot=2024-01'
check "series van after tot → 400 ($code)" test "$code" = 400
http GET '/chart/GM0363/pw_bestand.svg?van=2024-05&tot=2024-01'
check "chart van after tot → 400 ($code)" test "$code" = 400

# ---- item 8: U+FFFE (and a control character) in a rule name; the Atom
# feed must stay well-formed XML
jar=$state/cookies
http POST /api/v1/sessie -c "$jar" -H 'Content-Type: application/json' \
    --data-binary '{"naam": "jan", "wachtwoord": "geheim-wachtwoord"}'
check "sign-in → 200 ($code)" test "$code" = 200
check "no Secure cookie without TLS" test -z "$(hdr Set-Cookie | grep -i secure)"
csrf=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$state/body")
rule='{"naam": "Raar \ufffe\u0001 teken", "soort": "drempel", "gemeente": "GM0363", "indicator": "pw_bestand", "params": {"richting": "boven", "drempel": 30000}}'
http POST /api/v1/alerts/rules -b "$jar" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" --data-binary "$rule"
check "rule with U+FFFE → 201 ($code)" test "$code" = 201
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-01;46000\n' >"$state/hoog.csv"
http POST /api/v1/feeds -H "Authorization: Bearer $beheer" \
    -H 'Content-Type: text/csv' --data-binary "@$state/hoog.csv"
http POST "/api/v1/alerts/feedtoken" -b "$jar" -H "X-CSRF-Token: $csrf"
ftok=$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("token") or "")' "$state/body")
for _ in $(seq 50); do
	http GET "/alerts.atom?token=$ftok"
	grep -q '<entry>' "$state/body" && break
	sleep 0.1
done
check "Atom feed has the event" grep -q '<entry>' "$state/body"
check "Atom feed is well-formed XML" "$py" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$state/body"

# ---- item 9: gzip, ETag, Last-Modified, 304
for p in /api/v1/indicators /api/v1/gemeenten.csv /api/v1/openapi.json \
    /api/v1/series/GM0363/pw_bestand /chart/GM0363/pw_bestand.svg / \
    /js/main.js /css/basisd.css; do
	http GET "$p" -H 'Accept-Encoding: gzip'
	check "$p gzipped ($(hdr Content-Encoding))" test "$(hdr Content-Encoding)" = gzip
	check "$p Vary: Accept-Encoding" test "$(hdr Vary)" = Accept-Encoding
	check "$p gunzips" "$py" -c 'import gzip,sys; gzip.decompress(open(sys.argv[1],"rb").read())' "$state/body"
	etag=$(hdr ETag) lm=$(hdr Last-Modified) zlen=$(hdr Content-Length)
	check "$p has an ETag" test -n "$etag"
	http GET "$p"
	check "$p identity not gzipped" test -z "$(hdr Content-Encoding)"
	check "$p identity has another ETag" test "$(hdr ETag)" != "$etag"
	http GET "$p" -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag"
	check "$p If-None-Match → 304 ($code)" test "$code" = 304
	check "$p 304 has the 200's length, once ($(hdr Content-Length))" \
	    test "$(hdr Content-Length)" = "$zlen" -a "$(nhdr Content-Length)" = 1
	check "$p has Last-Modified" test -n "$lm"
	http GET "$p" -H "If-Modified-Since: $lm"
	check "$p If-Modified-Since → 304 ($code)" test "$code" = 304
	http GET "$p" -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT"
	check "$p older If-Modified-Since → 200 ($code)" test "$code" = 200
done
http GET /api/v1/series/GM0363/pw_bestand -H 'Accept-Encoding: gzip;q=0'
check "gzip;q=0 → identity" test -z "$(hdr Content-Encoding)"

# ---- item 9: CORS and OPTIONS, 405 for POST /
http GET /api/v1/indicators -H 'Origin: https://voorbeeld.nl'
check "public GET has Access-Control-Allow-Origin: *" test "$(hdr Access-Control-Allow-Origin)" = '*'
http OPTIONS /api/v1/series/GM0363/pw_bestand -H 'Origin: https://voorbeeld.nl' \
    -H 'Access-Control-Request-Method: GET'
check "OPTIONS preflight → 204 ($code)" test "$code" = 204
check "preflight allows GET" grep -qi '^Access-Control-Allow-Methods: GET' "$state/head"
check "OPTIONS lists Allow ($(hdr Allow))" test "$(hdr Allow)" = 'GET, HEAD, OPTIONS'
http GET /api/v1/sessie -b "$jar"
check "session route has no CORS" test -z "$(hdr Access-Control-Allow-Origin)"
http POST /
check "POST / → 405 ($code)" test "$code" = 405
check "POST / Allow ($(hdr Allow))" test "$(hdr Allow)" = 'GET, HEAD, OPTIONS'

# ---- item 9: security headers on pages
for p in / /gemeente/GM0363 /alerts; do
	http GET "$p"
	check "$p CSP with frame-ancestors" grep -qi "^Content-Security-Policy: .*frame-ancestors 'none'" "$state/head"
	check "$p X-Frame-Options" test "$(hdr X-Frame-Options)" = DENY
	check "$p Referrer-Policy" test -n "$(hdr Referrer-Policy)"
	check "$p nosniff" test "$(hdr X-Content-Type-Options)" = nosniff
done

# ---- item 9: unknown parameters are ignored (not in the cache key), long
# queries up to max_url work
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-01'
e1=$(hdr ETag)
http GET '/api/v1/series/GM0363/pw_bestand?van=2024-01&utm_source=x'
check "unknown parameter ignored ($code)" test "$code" = 200 -a "$(hdr ETag)" = "$e1"
long=$(printf 'x%.0s' $(seq 600))
http GET "/api/v1/series/GM0363/pw_bestand?van=2024-01&per=maand&herindeling=$long"
check "600-byte query → 200 ($code)" test "$code" = 200

# ---- path traversal, as sent (curl would otherwise squash the dots)
for p in '/css/../../etc/passwd' '/../basisd.conf' '/js/%2e%2e/%2e%2e/basisd.conf'; do
	http GET "$p"
	check "no traversal $p ($code)" test "$code" = 400 -o "$code" = 404
	check "$p does not leak the file" test -z "$(grep -l 'root:\|state_dir' "$state/body")"
done

# ---- item 4: 270 slow clients (one header byte every 2 s) from nine
# addresses; real clients are still answered within a few seconds
read -r worst failed opened <<<"$($edge slowloris "$port" 270 20)"
check "slowloris: real clients answered ($failed failed)" test "$failed" = 0
check "slowloris: slowest real answer ${worst} s < 3 s" \
    "$py" -c "import sys; sys.exit(0 if float('$worst') < 3 else 1)"
check "slow clients cut, one summary line in the log" \
    test "$(grep -c 'trage verbindingen zonder volledig verzoek gesloten' "$state/log")" = 1

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
check "SIGTERM → exit 0 (got $rc)" test "$rc" = 0
if grep -q 'Sanitizer' "$state/log"; then bad "sanitizer report"; grep -A20 Sanitizer "$state/log" | head -40; fi

# ---- item 8: a feed's stored report is final in the commit itself. The
# follow-up write that used to add the id, time and counts is made to fail
# (a trigger stands in for a crash right after COMMIT): the feed must then
# be stored with its final report, or not at all, never with "levering": 0.
"$py" - "$state/basis.db" <<'PY' || bad "trigger not installed"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TRIGGER crash_after_commit BEFORE UPDATE OF report ON feed "
           "BEGIN SELECT RAISE(ABORT, 'crash'); END")
db.commit()
PY
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2025-02;41000\n' >"$state/late.csv"
b ingest "$state/late.csv" >/dev/null 2>&1
check "every stored report carries its feed's id and time" "$py" - "$state/basis.db" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for fid, rec, rep in db.execute("SELECT id, received_at, report FROM feed"):
    r = json.loads(rep)
    assert r["levering"] == fid and r["ontvangen"] == rec, (fid, r["levering"])
db.execute("DROP TRIGGER crash_after_commit")
db.commit()
PY

# ---- item 9: listen = :: takes IPv4 clients too; TLS makes the cookie
# Secure
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$state/key.pem" -out "$state/cert.pem" >/dev/null 2>&1 ||
	{ echo "openssl failed"; exit 1; }
sed -E -e 's/^#? *listen *=.*/listen = ::/' \
    -e "s|^#? *tls_cert *=.*|tls_cert = $state/cert.pem|" \
    -e "s|^#? *tls_key *=.*|tls_key = $state/key.pem|" \
    "$state/basisd.conf" >"$state/tls.conf"
start "$state/tls.conf" "$state/log2"
pid2=$started
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/healthz")
check "listen = :: answers IPv4 (127.0.0.1 → $code)" test "$code" = 200
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://[::1]:$port/healthz")
check "listen = :: answers IPv6 (::1 → $code)" test "$code" = 200
curl -sk -D "$state/head" -o /dev/null -H 'Content-Type: application/json' \
    --data-binary '{"naam": "jan", "wachtwoord": "geheim-wachtwoord"}' \
    "https://127.0.0.1:$port/api/v1/sessie"
check "TLS session cookie is Secure" grep -qi '^Set-Cookie: .*; Secure' "$state/head"
curl -sk -D "$state/head" -o /dev/null -X DELETE -b "basisd_sessie=x" \
    "https://127.0.0.1:$port/api/v1/sessie"
check "TLS cookie clearing is Secure too" grep -qi '^Set-Cookie: .*Max-Age=0.*; Secure' "$state/head"
kill -TERM "$pid2"
rc=0
wait "$pid2" || rc=$?
pid2=
check "TLS daemon SIGTERM → exit 0 (got $rc)" test "$rc" = 0
if grep -q 'Sanitizer' "$state/log2"; then bad "sanitizer report (TLS)"; grep -A20 Sanitizer "$state/log2" | head -40; fi

echo "edge: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
