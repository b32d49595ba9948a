#!/bin/sh
# bench/soak.sh — the soak of issue 16: the non-sanitised basisd on the
# national demo under a public read mix (bench/soak.lua: dashboard JSON,
# series, comparisons, cached and uncached charts with random parameters)
# with a feed upload every 10 s, for SOAK_SECONDS (600). Reports requests/s,
# p50/p90/p99, errors, the uploads' outcomes and times, and basisd's RSS at
# start, every minute and at the end. Target: >= 2000 req/s, p99 < 100 ms
# on the 2-core machine, RSS flat once the cache is full.
# Run from a build directory configured WITHOUT --enable-sanitizers:
# `make bench-soak`. SOAK_STATE=DIR reuses a state made by `basisctl init`
# + `demo-data --load` (else one is built in a temp dir, ~1 min; it is
# changed by the uploads, so a reused state grows by 60 small feeds).
# SOAK_CONNECTIONS (32), SOAK_THREADS (2: wrk's). Needs wrk and curl.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
secs=${SOAK_SECONDS:-600}
conns=${SOAK_CONNECTIONS:-32}
threads=${SOAK_THREADS:-2}
for t in wrk curl; do
	command -v $t >/dev/null || { echo "bench/soak: $t niet gevonden"; exit 0; }
done
if grep -q -- '-fsanitize' Makefile 2>/dev/null && grep -q '^SAN_CFLAGS = -f' Makefile; then
	echo "bench/soak: deze build heeft sanitizers; meet met een build zonder"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-soak-XXXXXX")
bd= up=
cleanup() {
	for p in $up $bd; do kill "$p" 2>/dev/null || :; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

state=${SOAK_STATE:-$tmp/state}
if [ ! -f "$state/basis.db" ]; then
	t0=$(date +%s)
	./src/basisctl -s "$state" -c "$top/indicators" init >/dev/null
	./src/basisctl -s "$state" demo-data --load >/dev/null
	echo "landelijke demo geladen in $(($(date +%s) - t0)) s ($state)"
fi
# The readers stand for many clients, but all come from 127.0.0.1: without
# the per-IP limit the uploads would find every connection taken.
sed -E -e 's/^#? *port = [0-9]+$/port = 0/' \
    -e '/^\[server\]/a per_ip_connections = 0' \
    "$state/basisd.conf" >"$tmp/basisd.conf"
tok=$(./src/basisctl -s "$state" token add --rol beheer --naam soak |
    grep -o 'bsd_[A-Za-z0-9_-]*' | head -n1)
[ -n "$tok" ] || { echo "bench/soak: geen token"; exit 1; }

./src/basisd -d -f "$tmp/basisd.conf" >"$tmp/basisd.log" 2>&1 &
bd=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*luistert op http://[^:]*:\([0-9]*\)/.*|\1|p' "$tmp/basisd.log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/basisd.log"; echo "bench/soak: start mislukt"; exit 1; }
base=http://127.0.0.1:$port

# The lists soak.lua draws from: gemeenten with data, the catalogue's
# indicators with their period kind, the standard groups.
mkdir -p "$tmp/lists"
(cd "$state/rrd" && ls -d GM*) >"$tmp/lists/gemeenten"
for f in "$top"/indicators/*.ini; do
	awk -F' *= *' '/^id *=/ { id = $2 } /^periode *=/ { p = $2 }
	    END { if (id != "" && p != "") print id, p }' "$f"
done >"$tmp/lists/indicators"
curl -sf "$base/api/v1/groepen" | grep -o '"id": *"[^"]*"' |
    sed 's/.*"\([^"]*\)"$/\1/' | grep -v '^GM' >"$tmp/lists/groepen" || :
[ -s "$tmp/lists/groepen" ] || echo nederland >"$tmp/lists/groepen"

rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$bd/status"; }
echo "basisd pid $bd, $(wc -l <"$tmp/lists/gemeenten") gemeenten, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS bij start: $(rss) MB"

# An upload every 10 s: the next month of three indicators for the next
# gemeente (new periods, as a monthly delivery is), timed by curl.
uploads() {
	i=0
	while sleep 10 && [ ! -e "$tmp/stop" ]; do
		gm=$(sed -n "$((i % $(wc -l <"$tmp/lists/gemeenten") + 1))p" "$tmp/lists/gemeenten")
		m=$((i / $(wc -l <"$tmp/lists/gemeenten") + 1))
		printf 'gemeente;indicator;periode;waarde\n%s;pw_bestand;2026-%02d;%d\n%s;pw_instroom;2026-%02d;%d\n%s;pw_uitstroom_totaal;2026-%02d;%d\n' \
		    "$gm" "$m" $((500 + i)) "$gm" "$m" $((40 + i % 7)) "$gm" "$m" $((35 + i % 5)) >"$tmp/feed.csv"
		curl -s -m 60 -o /dev/null -w '%{http_code} %{time_total}\n' \
		    -H "Authorization: Bearer $tok" -H 'Content-Type: text/csv' \
		    --data-binary @"$tmp/feed.csv" "$base/api/v1/feeds" >>"$tmp/uploads"
		i=$((i + 1))
	done
}
: >"$tmp/uploads"
uploads &
up=$!

# RSS once a minute while wrk runs.
(
	t=0
	while [ $t -lt "$secs" ]; do
		sleep 60; t=$((t + 60))
		echo "  na $t s: RSS $(rss) MB, load $(cut -d' ' -f1 /proc/loadavg)"
	done
) &
mon=$!

# The daemon's CPU time (utime + stime) over the run: on a shared machine
# a steadier figure than requests/s, and what the 2-core capacity follows.
hz=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$bd/stat"; }
metric() { curl -s "$base/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
c0=$(cpu) h0=$(metric basisd_cache_hits_total) m0=$(metric basisd_cache_misses_total)
curl -s "$base/metrics" >"$tmp/metrics0"
SOAK_LISTS=$tmp/lists wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$top/bench/soak.lua" "$base" >"$tmp/wrk.out" 2>&1 || :
kill "$mon" 2>/dev/null || :
touch "$tmp/stop"	# the upload under way finishes
wait "$up" 2>/dev/null || :
up=
c1=$(cpu) h1=$(metric basisd_cache_hits_total) m1=$(metric basisd_cache_misses_total)
curl -s "$base/metrics" >"$tmp/metrics1"
grep '^soak:' "$tmp/wrk.out" || cat "$tmp/wrk.out"
awk -v c="$((c1 - c0))" -v hz="$hz" -v h="$((h1 - h0))" -v m="$((m1 - m0))" '
    /^soak:/ { n = $2 }
    END { if (!n) exit
	printf "CPU van basisd: %.1f s voor %d verzoeken = %.2f ms per verzoek " \
	    "(2 cores vol: ~%.0f/s); cache: %d treffers, %d missers (%.1f %% " \
	    "treffers)\n", c / hz, n, c / hz * 1000 / n, 2 * n * hz / (c ? c : 1),
	    h, m, h + m ? 100 * h / (h + m) : 0 }' "$tmp/wrk.out"
awk '{ n++; if ($1 == 201 || $1 == 200) ok++; t[n] = $2 * 1000; s += $2 * 1000 }
    END { if (!n) { print "uploads: geen"; exit }
	m = 0; for (i = 1; i <= n; i++) if (t[i] > m) m = t[i]
	printf "uploads: %d, %d aanvaard, gemiddeld %.0f ms, max %.0f ms\n",
	    n, ok, s / n, m }' "$tmp/uploads"
# Per route over the run: requests, mean wall time and the handling
# thread's CPU time, from the daemon's /metrics before and after.
echo "per route (verzoeken, gemiddeld ms, CPU ms per verzoek, aandeel CPU):"
awk '
    function route(l) { sub(/.*route="/, "", l); sub(/".*/, "", l); return l }
    /^basisd_http_request_duration_seconds_count\{/ { k = route($1); n[FILENAME, k] = $2; seen[k] = 1 }
    /^basisd_http_request_duration_seconds_sum\{/ { w[FILENAME, route($1)] = $2 }
    /^basisd_http_request_cpu_seconds_total\{/ { c[FILENAME, route($1)] = $2 }
    END {
	a = ARGV[1]; b = ARGV[2]
	for (k in seen) { dc = c[b, k] - c[a, k]; tot += dc }
	for (k in seen) {
		dn = n[b, k] - n[a, k]; if (dn <= 0) continue
		dc = c[b, k] - c[a, k]
		printf "  %-16s %8d %8.2f %8.3f %5.1f %%\n", k, dn,
		    (w[b, k] - w[a, k]) * 1000 / dn, dc * 1000 / dn,
		    tot ? 100 * dc / tot : 0
	}
    }' "$tmp/metrics0" "$tmp/metrics1" | sort -k5 -rn
[ -s "$tmp/uploads" ] && echo "upload-statussen: $(cut -d' ' -f1 "$tmp/uploads" | sort | uniq -c | tr -s ' \n' ' ')"
echo "RSS aan het eind: $(rss) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
