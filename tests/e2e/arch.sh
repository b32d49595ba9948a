#!/bin/bash
# tests/e2e/arch.sh — the real basisd over HTTP for the cross-cutting rules
# of issue 10: one error kind → one status, strict numbers in every query
# parameter and in the config, the baseline in the snapshot. A temp state
# and config on a free port; under ASan when built so.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-arch-XXXXXX")
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
b() { "$ctl" -s "$state" -c "$cat" "$@"; }

b init >/dev/null || exit 99
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
sed -i -E 's/^port = 8080$/port = 0/' "$state/basisd.conf"

start() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
	    "$daemon" -d -f "$state/basisd.conf" >"$state/log" 2>&1 &
	pid=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$state/log"; echo "basisd did not start"; exit 1; }
	base=http://127.0.0.1:$port
}
start

# http METHOD PATH [curl args…] → body in $state/body, status in $code
http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s -o "$state/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
has() { grep -q -- "$1" "$state/body"; }

{
	echo 'gemeente;indicator;periode;waarde'
	for gm in GM0363 GM0599 GM0518 GM0344; do
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			echo "$gm;pw_bestand;2024-$m;$((30000 + 10#$m * 10 + ${gm:3:3}))"
		done
	done
} >"$state/good.csv"
http POST /api/v1/feeds -H "Authorization: Bearer $beheer" \
    -H 'Content-Type: text/csv' --data-binary "@$state/good.csv"
check "feed → 201 ($code)" test "$code" = 201

# ---- error kinds: the producer says what failed, one table the status.
# 'van' after 'tot' is the caller's mistake; it used to come back as 500.
http GET '/chart/GM0363/pw_bestand.svg?van=2024-06&tot=2024-01'
check "chart van > tot → 400 ($code)" test "$code" = 400
check "chart van > tot names the reason" has "'van' ligt na 'tot'"
# An unknown group is "not found" on the series chart and the comparison.
http GET '/chart/GM0363/pw_bestand.svg?groep=provincie:Nergens'
check "chart unknown group → 404 ($code)" test "$code" = 404
http GET '/api/v1/vergelijk/pw_bestand?groep=provincie:Nergens'
check "vergelijk unknown group → 404 ($code)" test "$code" = 404

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
check "SIGTERM → exit 0 (got $rc)" test "$rc" = 0
if grep -q 'Sanitizer' "$state/log"; then bad "sanitizer report"; grep -A20 Sanitizer "$state/log" | head -40; fi
echo "e2e arch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
