# tests/e2e/lib.sh — the shared harness of the end-to-end scripts: a temp
# state and catalogue, basisctl on it, the real basisd on a free port, curl
# helpers and the pass/fail tally. Source it, then call e2e_state (and
# e2e_start for a daemon); end with e2e_done.
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
py=/usr/bin/python3
pid=
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND…: the command must succeed.
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

e2e_cleanup() {
	local p
	for p in $pid ${pid2:-}; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p"
	done
	rm -rf "$state"
}

# e2e_state NAME: a fresh state directory (init'ed, port 0) in $state.
e2e_state() {
	state=$(mktemp -d "${TMPDIR:-/tmp}/basisd-$1-XXXXXX")
	trap e2e_cleanup EXIT
	b init >/dev/null || exit 99
	sed -i -E 's/^port = 8080$/port = 0/' "$state/basisd.conf"
}

b() { "$ctl" -s "$state" -c "$cat" "$@"; }

# e2e_start [basisd args…]: start basisd on $state, set $pid and $base.
# librrd leaks ~55 bytes inside every rrd_graph_v (tests/lsan.supp); the
# suppression matches only with full stacks.
e2e_start() {
	: >"$state/log"
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0" \
	    "$daemon" -d -f "$state/basisd.conf" "$@" >>"$state/log" 2>&1 &
	pid=$!
	port=
	# Up to 60 s: under ASan with full malloc stacks, loading the national
	# demo's values into memory (obsmem) takes 10 s and more on a loaded
	# machine; a small state starts in well under one.
	for _ in $(seq 600); do
		port=$(sed -n 's|.*luistert op http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$state/log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$state/log"; echo "basisd did not start"; exit 1; }
	base=http://127.0.0.1:$port
}

# e2e_stop: SIGTERM, and the daemon must exit 0.
e2e_stop() {
	local rc=0
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	pid=
	check "SIGTERM → exit 0 (got $rc)" test "$rc" = 0
}

# http METHOD PATH [curl args…] → body in $state/body, status in $code
http() {
	local m=$1 p=$2; shift 2
	code=$(curl -s -o "$state/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
post_feed() { # TOKEN FILE [query]
	http POST "/api/v1/feeds${3:-}" -H "Authorization: Bearer $1" \
	    -H 'Content-Type: text/csv' --data-binary "@$2"
}
has() { grep -q -- "$1" "$state/body"; }
# pyjson EXPR: a Python assertion on the JSON body as d.
pyjson() { "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert $1, d" "$state/body"; }

# e2e_done: no sanitizer report in the daemon's log; the tally; exit status.
e2e_done() {
	if [ -f "$state/log" ] && grep -q 'Sanitizer' "$state/log"; then
		bad "sanitizer report"
		grep -A20 Sanitizer "$state/log" | head -40
	fi
	echo "e2e: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
