#!/bin/bash
# tests/e2e/openapi.sh — the OpenAPI document of the real basisd (issue 15):
# linted by an independent validator (Redocly CLI, npm, installed into the
# build tree on first use) with every recommended rule as an error, then
# live answers of every kind of route checked against the schemas it
# declares (openapi.py, python3-jsonschema).
set -u
. "$(dirname "$0")/lib.sh"
tools=${BASISD_NPM_TOOLS:-$abs_top_builddir/tests/npm-tools}
redocly=$tools/node_modules/.bin/redocly

# The validator: skipped (77) only where npm cannot be reached and CI's
# BASISD_REQUIRE_BROWSER is not set; CI always runs it.
if [ ! -x "$redocly" ]; then
	mkdir -p "$tools"
	npm install --prefix "$tools" --no-audit --no-fund --silent \
	    @redocly/cli@2 >"$tools/install.log" 2>&1 || true
fi
if [ ! -x "$redocly" ]; then
	cat "$tools/install.log" 2>/dev/null | tail -5
	[ -n "${BASISD_REQUIRE_BROWSER:-}" ] && { echo "no Redocly CLI"; exit 1; }
	echo "SKIP: Redocly CLI not installable"; exit 77
fi

e2e_state openapi
beheer=$(b token add --rol beheer --naam beheer 2>/dev/null)
lev=$(b token add --rol leverancier --gemeente GM0363 --naam ams 2>/dev/null)
printf 'geheim-wachtwoord\n' | b user add jan --rol manager --gemeente GM0363 >/dev/null 2>&1 ||
	{ echo "user add failed"; exit 1; }
e2e_start

http GET /api/v1/openapi.json
check "openapi.json 200 ($code)" test "$code" = 200
cp "$state/body" "$state/openapi.json"
NO_COLOR=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    "$redocly" lint --config "$abs_top_srcdir/tests/redocly.yaml" \
    --format stylish "$state/openapi.json" >"$state/lint" 2>&1
rc=$?
check "redocly lint: no errors or warnings (exit $rc)" test "$rc" -eq 0
check "redocly lint says valid" grep -q 'is valid' "$state/lint"
grep -E '(error|warning) ' "$state/lint" | head -20
check "live answers match their schemas" "$py" \
    "$abs_top_srcdir/tests/e2e/openapi.py" "$base" "$state/openapi.json" \
    "$beheer" "$lev"

e2e_stop
e2e_done
