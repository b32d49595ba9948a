#!/bin/bash
# tests/e2e/auth.sh — the real basisd under authenticated load and abuse
# (issue 16): threads above the reader pool with 40 clients posting and
# reading feeds (once a deadlock), back-pressure on a burst of big uploads
# (429 with Retry-After while /healthz stays fast), feed reports by token
# id, the scope check before the duplicate check, refused feeds kept and
# listed, sign-in throttling, bodies only after authentication, and the
# security events in the log at info.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
py=/usr/bin/python3
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-auth-XXXXXX")
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
check() { local d=$1; shift; if "$@"; then ok; echo "ok: $d"; else bad "$d"; fi; }

b() { "$ctl" -s "$state" -c "$cat" "$@"; }
b init >/dev/null || exit 99
ams=$(b token add --rol leverancier --gemeente GM0363 --naam ams 2>/dev/null)
# Unnamed, and another gemeente's token that happens to be named
# "basisctl": names must not decide who reads a feed.
anon=$(b token add --rol leverancier --gemeente GM0363 2>/dev/null)
rdam=$(b token add --rol leverancier --gemeente GM0599 --naam basisctl 2>/dev/null)
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 ||
	{ echo "user add failed"; exit 99; }
sed -i -E 's/^port = 8080$/port = 0/; s/^#* *threads = .*/threads = 16/; s/^#* *per_ip_connections = .*/per_ip_connections = 128/' "$state/basisd.conf"
grep -q '^threads = 16' "$state/basisd.conf" || { echo "threads not set"; exit 99; }

start_daemon() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
	    "$daemon" -d -f "$state/basisd.conf" >>"$state/log" 2>&1 &
	pid=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/log" | tail -1)
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$state/log"; echo "basisd did not start"; exit 1; }
	base=http://127.0.0.1:$port
}
# stop_daemon: SIGTERM must stop it within 20 s (a deadlocked daemon
# ignores it); then it is killed and the test fails.
stop_daemon() {
	local rc=0
	kill -TERM "$pid"
	for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		bad "SIGTERM did not stop basisd within 20 s"
		kill -KILL "$pid"
	fi
	wait "$pid" || rc=$?
	pid=
	check "SIGTERM → exit 0 (got $rc)" test "$rc" = 0
}
start_daemon

http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s --max-time 60 -o "$state/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
post_feed() { # TOKEN FILE [query]
	http POST "/api/v1/feeds${3:-}" -H "Authorization: Bearer $1" \
	    -H 'Content-Type: text/csv' --data-binary "@$2"
}
has() { grep -q -- "$1" "$state/body"; }
field() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$state/body" "$1"; }
# healthz_fast: /healthz answers 200 within a second.
healthz_fast() {
	local c
	c=$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' "$base/healthz")
	[ "$c" = 200 ]
}

# ---- feed reports by token id, scope before duplicate (defect 7)
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-01;30100\n' >"$state/ams.csv"
post_feed "$anon" "$state/ams.csv" '?naam=ams.csv'
check "unnamed GM0363 token posts → 201 ($code)" test "$code" = 201
fid=$(field levering)
http GET "/api/v1/feeds/$fid" -H "Authorization: Bearer $anon"
check "unnamed token reads its own feed → 200 ($code)" test "$code" = 200
http GET "/api/v1/feeds/$fid" -H "Authorization: Bearer $rdam"
check "GM0599 token named 'basisctl' cannot read it → 404 ($code)" test "$code" = 404
http GET "/api/v1/feeds/$fid" -H "Authorization: Bearer $ams"
check "another GM0363 token does not read it by name → 404 ($code)" test "$code" = 404
http GET "/api/v1/feeds/$fid" -H "Authorization: Bearer $beheer"
check "beheer reads every feed → 200 ($code)" test "$code" = 200
post_feed "$rdam" "$state/ams.csv"
check "GM0599 re-sending GM0363's file → 403 ($code)" test "$code" = 403
check "… and learns nothing of the other feed" test "$(field levering)" = 0
post_feed "$anon" "$state/ams.csv"
check "own resend → 200 al_ontvangen ($code)" test "$code" = 200
check "own resend names the feed" test "$(field levering)" = "$fid"
post_feed "$ams" "$state/ams.csv"
check "resend by another token in scope → 200 ($code)" test "$code" = 200

# ---- refused feeds kept with their report and listed for beheer
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-13;5\n' >"$state/bad.csv"
post_feed "$ams" "$state/bad.csv" '?naam=kapot.csv'
check "bad feed → 422 ($code)" test "$code" = 422
http GET /api/v1/feeds/afgewezen -H "Authorization: Bearer $beheer"
check "beheer lists refused feeds → 200 ($code)" test "$code" = 200
check "the refused feeds are listed with their reports" "$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))["afgewezen"]
st = sorted((r["status"], r["bestand"]) for r in d)
assert [s for s, _ in st] == ["afgekeurd", "geweigerd"], st
k = [r for r in d if r["status"] == "afgekeurd"][0]
assert k["bestand"] == "kapot.csv" and k["leverancier"] == "ams", k
assert k["rapport"]["problemen"][0]["regel"] == 2, k
assert k["van"] == "127.0.0.1", k' "$state/body"
http GET /api/v1/feeds/afgewezen -H "Authorization: Bearer $ams"
check "a supplier cannot list refused feeds → 403 ($code)" test "$code" = 403
check "basisctl afgewezen lists them" sh -c "'$ctl' -s '$state' -c '$cat' afgewezen | grep -q kapot.csv"
rid=$(b afgewezen | awk '/kapot.csv/ { print $1 }')
check "basisctl afgewezen ID prints the report" sh -c "'$ctl' -s '$state' -c '$cat' afgewezen $rid | grep -q '\"regel\": 2'"

# ---- the log: bad tokens and feed outcomes at info (who, what, outcome)
post_feed "bsd_notavalidtokenatallxxxxxxxxxxxxxxxxxxxxxxxx" "$state/ams.csv"
check "bad token → 401 ($code)" test "$code" = 401
check "bad token logged with the address" grep -q 'toegang geweigerd: POST feeds_post van 127.0.0.1' "$state/log"
check "feed outcome logged with token and address" grep -q "levering 'kapot.csv' van token [0-9]* (ams) uit 127.0.0.1: afgekeurd (422)" "$state/log"
check "the refusal is logged" grep -q "geweigerd (403)" "$state/log"

# ---- sign-in throttling (defect 5): 30 wrong passwords, then the right one
# is refused (429 + Retry-After) until the backoff has passed
signin() { # PASSWORD
	code=$(curl -s --max-time 30 -o "$state/body" -D "$state/hdr" -w '%{http_code}' \
	    -c "$state/jar" -H 'Content-Type: application/json' \
	    --data-binary "{\"naam\": \"jan\", \"wachtwoord\": \"$1\"}" "$base/api/v1/sessie")
}
: >"$state/guesses"
for i in $(seq 30); do signin "fout-$i"; echo "$code" >>"$state/guesses"; done
check "wrong passwords: 401 first, then 429 ($(sort "$state/guesses" | uniq -c | tr '\n' ' '))" \
    sh -c "head -5 '$state/guesses' | grep -qx 401 && grep -qx 429 '$state/guesses' && ! grep -qvxE '401|429' '$state/guesses'"
signin geheim-wachtwoord
check "the right password during the backoff → 429 ($code)" test "$code" = 429
retry=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$state/hdr")
check "429 says when to retry (Retry-After: $retry)" test -n "$retry"
[ -n "$retry" ] && [ "$retry" -le 60 ] && sleep $((retry + 1))
signin geheim-wachtwoord
check "after the backoff the right password → 200 ($code)" test "$code" = 200
jancsrf=$(field csrf)
check "failed sign-ins logged with the address" grep -q "aanmelden mislukt: 'jan' van 127.0.0.1" "$state/log"
check "throttled sign-ins logged" grep -q "aanmelden geweigerd: 'jan' van 127.0.0.1" "$state/log"
# 8 clients guessing at once: the password checks are bounded, /healthz
# stays fast meanwhile.
jobs_=()
for n in $(seq 8); do
	( for i in $(seq 6); do curl -s --max-time 30 -o /dev/null -H 'Content-Type: application/json' \
	    --data-binary "{\"naam\": \"gast$n\", \"wachtwoord\": \"x$i\"}" "$base/api/v1/sessie"; done ) &
	jobs_+=($!)
done
slow=0
for _ in 1 2 3 4 5; do healthz_fast || slow=$((slow + 1)); sleep 0.2; done
wait "${jobs_[@]}"
check "/healthz fast while 8 clients guess passwords ($slow slow)" test "$slow" = 0

# ---- alert rules: scope on the members as resolved (defect 7): a rule on
# vergelijkbaar-GM0599 is not GM0363's manager's to see, edit or delete
http POST /api/v1/alerts/rules -H "Authorization: Bearer $beheer" -H 'Content-Type: application/json' \
    --data-binary '{"naam": "Rotterdam en vergelijkbaar", "soort": "drempel", "groep": "vergelijkbaar-GM0599", "indicator": "pw_bestand", "params": {"richting": "boven", "drempel": 40000}}'
check "beheer creates a rule on vergelijkbaar-GM0599 → 201 ($code)" test "$code" = 201
rule=$(field id)
http GET /api/v1/alerts/rules -b "$state/jar"
check "GM0363's manager does not list it" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(r["id"] != int(sys.argv[2]) for r in d["regels"]), d' "$state/body" "$rule"
http GET "/api/v1/alerts/rules/$rule" -b "$state/jar"
check "… cannot read it → 403 ($code)" test "$code" = 403
http DELETE "/api/v1/alerts/rules/$rule" -b "$state/jar" -H "X-CSRF-Token: $jancsrf"
check "… cannot delete it → 403 ($code)" test "$code" = 403
http POST /api/v1/alerts/rules -b "$state/jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $jancsrf" \
    --data-binary '{"naam": "x", "soort": "drempel", "groep": "vergelijkbaar-GM0599", "indicator": "pw_bestand", "params": {"richting": "boven", "drempel": 1}}'
check "… cannot create one → 403 ($code)" test "$code" = 403
http GET "/api/v1/alerts/rules/$rule" -H "Authorization: Bearer $beheer"
check "the rule is still there for beheer → 200 ($code)" test "$code" = 200

# ---- threads above the reader pool, 40 clients posting and reading feeds
# with valid tokens (defect 1: hung for good within a second)
client() { # N
	local i
	for i in 1 2 3 4 5; do
		printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2023-%02d;%d\n' \
		    $((i + 1)) $((20000 + $1 * 10 + i)) >"$state/c$1.csv"
		curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' \
		    -H "Authorization: Bearer $ams" -H 'Content-Type: text/csv' \
		    --data-binary "@$state/c$1.csv" "$base/api/v1/feeds"
		curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' \
		    -H "Authorization: Bearer $anon" "$base/api/v1/feeds/$fid"
	done
}
t0=$(date +%s)
jobs_=()
for n in $(seq 40); do client "$n" >"$state/load.$n" & jobs_+=($!); done
wait "${jobs_[@]}"
t1=$(date +%s)
cat "$state"/load.* >"$state/load"
check "400 requests under load all answered ($(grep -c . "$state/load"))" test "$(grep -c '^[0-9][0-9][0-9]$' "$state/load")" = 400
check "no request hung or failed ($(sort "$state/load" | uniq -c | tr '\n' ' '))" sh -c "! grep -qvE '^(200|201|429)$' '$state/load'"
check "the load finished in $((t1 - t0)) s (< 60)" test $((t1 - t0)) -lt 60
check "/healthz answers after the load" healthz_fast

# ---- bodies only after authentication (defect 3): 20 clients sending 30 MB
# each without a valid token are answered 401 before their bodies are read
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"; }
head -c $((30 << 20)) /dev/zero | tr '\0' 'a' >"$state/huge.csv"
rss0=$(rss)
jobs_=()
for n in $(seq 20); do
	curl -s --max-time 60 --limit-rate 4M -o /dev/null -w '%{http_code}\n' \
	    -H "Authorization: Bearer bsd_notavalidtokenatallxxxxxxxxxxxxxxxxxxxxxxxx" \
	    -H 'Content-Type: text/csv' -H 'Expect:' --data-binary "@$state/huge.csv" \
	    "$base/api/v1/feeds" >"$state/hugeout.$n" 2>/dev/null &
	jobs_+=($!)
done
sleep 3
rss1=$(rss)
wait "${jobs_[@]}"
cat "$state"/hugeout.* >"$state/hugec"
check "unauthenticated 30 MB bodies held no memory (RSS $rss0 → $rss1 MB)" test $((rss1 - rss0)) -lt 100
check "… and were refused 401 ($(sort "$state/hugec" | uniq -c | tr '\n' ' '))" grep -q '^401$' "$state/hugec"
check "… none was read and answered otherwise" sh -c "! grep -qvE '^(401|000)$' '$state/hugec'"
# A JSON body is small: a 1 MB sign-in is 413, not parsed.
"$py" -c 'import json; print(json.dumps({"k%d" % i: i for i in range(100000)}))' >"$state/keys.json"
http POST /api/v1/sessie -H 'Content-Type: application/json' --data-binary "@$state/keys.json"
check "a 1 MB sign-in body → 413 ($code)" test "$code" = 413
# A chunked upload over max_body (32 MB) gets 413, not a cut connection.
code=$(head -c $((100 << 20)) /dev/zero | curl -s --max-time 60 -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $beheer" -H 'Content-Type: text/csv' \
    -H 'Transfer-Encoding: chunked' -X POST -T - "$base/api/v1/feeds")
check "100 MB chunked upload → 413 ($code)" test "$code" = 413
check "/healthz after the big bodies" healthz_fast

# ---- 12 concurrent big uploads: back-pressure reachable (defect 6). Each
# body (~380 kB) is past the in-memory part of the spool, so it goes
# through a temp file.
big() { # N: 342 gemeenten × 36 months, values differing per N
	awk -F';' -v n="$1" 'NR == 1 { print "gemeente;indicator;periode;waarde"; next }
	    { for (m = 1; m <= 36; m++) printf "%s;pw_bestand;%d-%02d;%d\n", $1, 2020 + int((m - 1) / 12), (m - 1) % 12 + 1, 1000 + n * 7 + m }' \
	    "$cat/gemeenten.csv"
}
for n in $(seq 12); do big "$n" >"$state/big$n.csv"; done
jobs_=()
for n in $(seq 12); do
	curl -sS --max-time 300 -o /dev/null -D "$state/bigh.$n" -w '%{http_code}\n' \
	    -H "Authorization: Bearer $beheer" -H 'Content-Type: text/csv' \
	    --data-binary "@$state/big$n.csv" "$base/api/v1/feeds" >"$state/bigc.$n" 2>"$state/bige.$n" &
	jobs_+=($!)
done
sleep 0.5
slow=0
for _ in 1 2 3 4 5; do healthz_fast || slow=$((slow + 1)); sleep 0.2; done
wait "${jobs_[@]}"
cat "$state"/bigc.* >"$state/bigc"
check "/healthz stayed fast during the burst ($slow slow)" test "$slow" = 0
check "some uploads got 429 ($(sort "$state/bigc" | uniq -c | tr '\n' ' '))" grep -q '^429$' "$state/bigc"
check "the others were stored" grep -q '^201$' "$state/bigc"
check "no upload failed otherwise ($(sort "$state/bigc" | uniq -c | tr "\n" " "))" sh -c "! grep -qvE '^(201|429)$' '$state/bigc'"
cat "$state"/bige.* | sort | uniq -c
check "429 carries Retry-After" sh -c "grep -il '^retry-after: [0-9]' '$state'/bigh.* | grep -q ."

stop_daemon
if grep -q 'Sanitizer' "$state/log"; then bad "sanitizer report"; grep -A20 Sanitizer "$state/log" | head -40; fi
echo "auth e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
