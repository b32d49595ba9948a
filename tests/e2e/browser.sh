#!/bin/sh
# tests/e2e/browser.sh — the dashboard in headless Chromium against the REAL
# basisd with the synthetic demo data (Automake test; see browser.py).
#
# Exit 77 (skip) only when chromium, chromium-driver or python3-selenium is
# missing AND BASISD_REQUIRE_BROWSER is not set; with it set, a missing
# browser is a failure, so CI never skips silently.
# Screenshots: $BASISD_SCREENSHOTS, default $abs_top_builddir/tests/e2e/screenshots.
set -u

: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
py=/usr/bin/python3	# Debian's python with python3-selenium, not a pyenv one
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
shots=${BASISD_SCREENSHOTS:-$abs_top_builddir/tests/e2e/screenshots}
pid=
state=

say() { printf 'browser.sh: %s\n' "$*"; }

missing=
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
{ [ -x "$py" ] && "$py" -c 'import selenium' 2>/dev/null; } ||
	missing="$missing python3-selenium"
if [ -n "$missing" ]; then
	if [ -n "${BASISD_REQUIRE_BROWSER:-}" ]; then
		say "niet geïnstalleerd:$missing (BASISD_REQUIRE_BROWSER is gezet)"
		exit 1
	fi
	say "overgeslagen, niet geïnstalleerd:$missing"
	exit 77
fi
for f in "$ctl" "$daemon"; do
	[ -x "$f" ] || { say "$f ontbreekt: eerst bouwen"; exit 99; }
done

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	[ -n "$state" ] && rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-e2e.XXXXXX") || exit 99
cat=$abs_top_srcdir/indicators

"$ctl" -s "$state" -c "$cat" init >"$state/init.log" 2>&1 ||
	{ cat "$state/init.log"; say "basisctl init mislukt"; exit 1; }
"$ctl" -s "$state" -c "$cat" demo-data --van 2024 --tot 2025 --load \
	>"$state/demo.log" 2>&1 ||
	{ tail -n 20 "$state/demo.log"; say "demo-data mislukt"; exit 1; }
# The alerts pages: a manager to sign in with, a beheer token to send the
# feed that makes a rule fire (browser.py reads both from the environment).
manager=jan
wachtwoord=wachtwoord
printf '%s\n' "$wachtwoord" | "$ctl" -s "$state" -c "$cat" user add "$manager" \
	--rol manager --gemeente GM0363 >"$state/user.log" 2>&1 ||
	{ cat "$state/user.log"; say "user add mislukt"; exit 1; }
beheer=$("$ctl" -s "$state" -c "$cat" token add --rol beheer --naam e2e \
	2>"$state/token.log") && [ -n "$beheer" ] ||
	{ cat "$state/token.log"; say "token add mislukt"; exit 1; }

# Port 0: the kernel picks a free port when basisd binds, and basisd logs
# it; choosing one here and binding it later would race other tests.
conf=$state/basisd.conf
sed -i -E "s/^([[:space:]]*port[[:space:]]*=[[:space:]]*)8080[[:space:]]*$/\\10/" "$conf"
grep -Eq "^[[:space:]]*port[[:space:]]*=[[:space:]]*0[[:space:]]*$" "$conf" ||
	{ cat "$conf"; say "geen 'port = 8080' in $conf om te vervangen"; exit 1; }

# librrd leaks ~55 bytes inside every rrd_graph_v (tests/lsan.supp); the
# suppression matches only with full stacks.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
    "$daemon" -d -f "$conf" >"$state/basisd.log" 2>&1 &
pid=$!
port=
for _ in $(seq 600); do
	port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/basisd.log")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$port" ] || { tail -n 30 "$state/basisd.log"; say "basisd kwam niet op"; exit 1; }
base=http://127.0.0.1:$port

# Wait for /healthz (up to 60 s: sanitizer builds start slowly).
"$py" - "$base/healthz" "$pid" <<'EOF' || { tail -n 30 "$state/basisd.log"; say "basisd kwam niet op"; exit 1; }
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(600):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOF

# axe-core (npm) for the accessibility checks of every page state, installed
# into the build tree on first use; without it the checks fail when
# BASISD_REQUIRE_BROWSER is set (CI) and are skipped otherwise.
tools=${BASISD_NPM_TOOLS:-$abs_top_builddir/tests/npm-tools}
axe=$tools/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ] && command -v npm >/dev/null 2>&1; then
	mkdir -p "$tools"
	npm install --prefix "$tools" --no-audit --no-fund --silent axe-core@4 \
	    >"$tools/axe-install.log" 2>&1 || true
fi
if [ ! -f "$axe" ]; then
	[ -n "${BASISD_REQUIRE_BROWSER:-}" ] && { say "axe-core niet te installeren"; exit 1; }
	say "axe-core ontbreekt: toegankelijkheidscontrole overgeslagen"
	axe=
fi

rm -rf "$shots"
mkdir -p "$shots"
BASISD_AXE=$axe BASISD_MANAGER=$manager BASISD_WACHTWOORD=$wachtwoord BASISD_BEHEER_TOKEN=$beheer \
    "$py" "$abs_top_srcdir/tests/e2e/browser.py" "$base" "$shots"
rc=$?

# SIGTERM drains and exits cleanly (design.md §10); anything else is a bug,
# including a sanitizer report at exit.
kill -TERM "$pid"
wait "$pid"
drc=$?
pid=
if [ "$drc" -ne 0 ]; then
	tail -n 40 "$state/basisd.log"
	say "basisd stopte met status $drc na SIGTERM"
	rc=1
elif [ "$rc" -ne 0 ]; then
	tail -n 20 "$state/basisd.log"
fi
exit "$rc"
