#!/bin/bash
# tests/docs.sh — the documentation is checked like code (issue 15):
#  - every man page passes `mandoc -Tlint` without a single message (dates,
#    escapes, line lengths) and names the version of configure.ac;
#  - every example feed in basisd-feed(5) VOORBEELDEN is ingested and
#    accepted, so the examples cannot drift from the validator.
# Without mandoc the lint part is skipped, unless BASISD_REQUIRE_BROWSER=1
# (./quickstart test, CI), which installs it and must never skip.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
doc=$abs_top_srcdir/doc
tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-docs-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

version=$("$ctl" -V | sed 's/^basisctl //')
if command -v mandoc >/dev/null; then
	for m in "$doc"/*.[58]; do
		out=$(mandoc -Tlint -Wall "$m" 2>&1)
		if [ -z "$out" ]; then ok; else bad "mandoc -Tlint $m"; echo "$out"; fi
		if grep -q "^\.TH .* \"basisd $version\"" "$m"; then ok
		else bad "$m: .TH does not name basisd $version"; fi
	done
elif [ "${BASISD_REQUIRE_BROWSER:-0}" = 1 ]; then
	bad "mandoc is missing (apt-get install mandoc)"
else
	echo "SKIP: mandoc not installed: man pages not linted"
fi

# The VOORBEELDEN blocks (.nf … .fi) as files, roff escapes undone.
awk -v dir="$tmp" '
	/^\.SH VOORBEELDEN/ { on = 1; next }
	/^\.SH / { on = 0 }
	on && /^\.nf/ { n++; f = dir "/voorbeeld" n ".csv"; next }
	on && /^\.fi/ { f = ""; next }
	on && f != "" && !/^\./ { gsub(/\\-/, "-"); print > f }
' "$doc/basisd-feed.5"
n=$(ls "$tmp"/voorbeeld*.csv 2>/dev/null | wc -l)
[ "$n" -ge 3 ] && ok || bad "found $n examples in basisd-feed(5), expected 3 or more"
"$ctl" -s "$tmp/st" -c "$abs_top_srcdir/indicators" init >/dev/null || exit 99
for f in "$tmp"/voorbeeld*.csv; do
	if "$ctl" -s "$tmp/st" ingest "$f" >"$tmp/out" 2>&1; then ok
	else bad "basisd-feed(5) example $(basename "$f") is refused"; cat "$tmp/out"; fi
done

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
