#!/bin/bash
# tests/crash.sh — kill -9 `basisctl ingest` at random moments over many runs
# (issue 3, item 11). Afterwards: every feed that was acknowledged is in the
# ledger, no feed is there in part, and `basisctl verify` is clean.
set -u
ctl="$abs_top_builddir/src/basisctl"
cat="$abs_top_srcdir/indicators"
runs=${CRASH_RUNS:-40}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-crash-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
st="$tmp/state"
b() { "$ctl" -s "$st" -c "$cat" "$@"; }

b init >/dev/null || exit 1
# Feeds that do not overlap (one gemeente each), so a re-delivery of a feed
# that was not stored must come out as all-new: anything else is a partial.
b demo-data --van 2022 --tot 2025 --uit "$tmp/all" >/dev/null || exit 1
feeds=()
for f in "$tmp"/all/demo-GM*.csv; do
	feeds+=("$f")
	[ ${#feeds[@]} -ge 12 ] && break
done
acked="$tmp/acked"; : >"$acked"
RANDOM=${CRASH_SEED:-4242}
for ((i = 0; i < runs; i++)); do
	f=${feeds[$((RANDOM % ${#feeds[@]}))]}
	b ingest "$f" >"$tmp/out" 2>&1 &
	pid=$!
	# 0–600 ms: before parse, mid-commit, during RRD writes, after.
	sleep "0.$(printf '%03d' $((RANDOM % 600)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q 'levering [0-9]' "$tmp/out" && echo "$f" >>"$acked"
done
echo "crash: $runs runs, $(sort -u "$acked" | wc -l) feeds acknowledged before the kill"
fail=0
# Every acknowledged feed must be there: a resend is recognised.
for f in $(sort -u "$acked"); do
	if ! b ingest --json "$f" | grep -q '"status": "al_ontvangen"'; then
		echo "FAIL: acknowledged feed $f is not in the ledger"; fail=1
	fi
done
# No partial feed: every other feed is either whole (already received) or
# entirely absent (all rows new).
for f in "${feeds[@]}"; do
	out=$(b ingest --json "$f")
	echo "$out" | grep -q '"status": "al_ontvangen"' && continue
	if ! echo "$out" | grep -q '"ongewijzigd": 0'; then
		echo "FAIL: $f was stored in part:"; echo "$out" | head -n 30; fail=1
	fi
done
if ! b verify >"$tmp/verify" 2>&1; then
	echo "FAIL: verify after crashes:"; head -n 20 "$tmp/verify"; fail=1
fi
[ $fail -eq 0 ] && echo "crash: ledger whole, verify clean"
exit $fail
