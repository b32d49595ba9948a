#!/bin/sh
# bench/http.sh — basisd's HTTP and chart path against the raw libraries in
# the same run (issue 4 item 11), on a state with the national demo:
#   1. cached chart and JSON series: requests/s (wrk) against bench/http_raw
#      serving a body of the same size with the same threads;
#   1b. gzip: dashboard JSON and catalogue, identity against gzip
#      (requests/s, CPU per request, bytes), beside zlib itself
#      (bench/gzip_raw) on the same body;
#   2. uncached chart: per-request time (curl, distinct gemeenten, median)
#      against rrd_graph_v on the same arguments in one process and
#      against the `rrdtool graph` CLI (bench/graph_raw);
#   3. basisd's VmRSS and VmHWM with the demo loaded and after the runs.
# Run from the build directory: `make bench-http`. BENCH_STATE=DIR reuses a
# state made by `basisctl init` + `demo-data --load` (else one is built in
# a temp dir, ~1 min). Needs wrk, curl and rrdtool.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
dur=${BENCH_DURATION:-5s}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
rounds=${BENCH_ROUNDS:-2}	# wrk rounds, raw and basisd alternating; best counts
ncharts=${BENCH_CHARTS:-15}	# distinct gemeenten for the uncached chart
ind=pw_bestand
gm=GM0363
for t in wrk curl rrdtool; do
	command -v $t >/dev/null || { echo "bench/http: $t niet gevonden"; exit 0; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-bench-http-XXXXXX")
bd= raw=
cleanup() {
	for p in $bd $raw; do kill "$p" 2>/dev/null || :; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- 1. the state and the daemon
state=${BENCH_STATE:-$tmp/state}
if [ ! -f "$state/basis.db" ]; then
	t0=$(date +%s)
	./src/basisctl -s "$state" -c "$top/indicators" init >/dev/null
	./src/basisctl -s "$state" demo-data --load >/dev/null
	echo "landelijke demo geladen in $(($(date +%s) - t0)) s ($state)"
fi
sed -E 's/^#? *port = [0-9]+$/port = 0/' "$state/basisd.conf" >"$tmp/basisd.conf"

# start_bg LOG CMD…: start in the background, $! in $started
start_bg() { log=$1; shift; "$@" >"$log" 2>&1 & started=$!; }
# wait_port LOG PATTERN: the port the program printed
wait_port() {
	for _ in $(seq 100); do
		p=$(sed -n "s|$2|\\1|p" "$1")
		[ -n "$p" ] && { echo "$p"; return; }
		sleep 0.1
	done
	cat "$1" >&2
	echo "bench/http: server start mislukt" >&2
	exit 1
}
start_bg "$tmp/basisd.log" ./src/basisd -d -f "$tmp/basisd.conf"
bd=$started
bd_port=$(wait_port "$tmp/basisd.log" '.*luistert op http://[^:]*:\([0-9]*\)/.*')
base=http://127.0.0.1:$bd_port

rss() {
	awk -v w="$1" '/^VmRSS|^VmHWM/ { printf "%s%s %.1f MB", s, $1, $2 / 1024
	    s = ", " } END { printf " (%s)\n", w }' "/proc/$bd/status"
}
rss "na start met de landelijke demo"

# ---- 2. cached chart and JSON series against http_raw of the same size
size() { curl -s -o /dev/null -w '%{http_code} %{size_download}' "$1"; }
# rps URL PID: requests/s, and the server's CPU time per request in µs
# (utime + stime from /proc: steadier than requests/s on a shared machine)
hz=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rps() {
	c0=$(cpu "$2")
	wrk -t"$threads" -c"$conns" -d"$dur" ${3:+-H "$3"} "$1" >"$tmp/wrk" 2>&1 || :
	c1=$(cpu "$2")
	grep -q 'Non-2xx' "$tmp/wrk" && { cat "$tmp/wrk" >&2; echo 0 0; return; }
	awk -v c="$((c1 - c0))" -v hz="$hz" '/requests in/ { n = $1 }
	    /^Requests\/sec:/ { r = $2 }
	    END { printf "%s %.1f\n", r, n ? c / hz * 1e6 / n : 0 }' "$tmp/wrk"
}
# best RESULT…: the highest requests/s and the lowest CPU per request
best() { printf '%s\n' "$@" | awk 'NF == 2 { if ($1 > r) r = $1
	if (u == "" || $2 < u) u = $2 } END { print r + 0, u + 0 }'; }

cached() { # NAME PATH
	set -- "$1" "$2" $(size "$base$2")	# the first request fills the cache
	[ "$3" = 200 ] || { echo "bench/http: $2 gaf $3"; exit 1; }
	start_bg "$tmp/raw-$4.log" ./bench/http_raw 0 4 "$4"
	raw=$started
	raw_port=$(wait_port "$tmp/raw-$4.log" 'poort \([0-9]*\)')
	rr= br=
	for _ in $(seq "$rounds"); do
		rr="$rr
$(rps "http://127.0.0.1:$raw_port/" "$raw")"
		br="$br
$(rps "$base$2" "$bd")"
	done
	kill "$raw"; wait "$raw" 2>/dev/null || :; raw=
	echo "$(best "$br") $(best "$rr")" | awk -v n="$1" -v s="$4" '{
	    printf "%-16s %6d bytes: basisd %6.0f/s, http_raw %6.0f/s, " \
		"verhouding %.2f (doel >= 0.70)\n", n, s, $1, $3, $1 / $3
	    printf "%-16s %12s CPU per verzoek: basisd %.1f µs, http_raw " \
		"%.1f µs, verhouding %.2f\n", "", "", $2, $4, $4 / $2 }'
}
echo "wrk -t$threads -c$conns -d$dur, beste van $rounds rondes:"
cached "grafiek (cache)" "/chart/$gm/$ind.svg"
cached "JSON-reeks" "/api/v1/series/$gm/$ind"

# ---- 2b. gzip: identity against Accept-Encoding: gzip in the same run.
# The dashboard JSON is a cached route (its gzip variant is cached beside
# it, compressed once); the catalogue is not a cached route but is
# compressed once per distinct body too (api.c's gzip cache). zlib itself
# on the same bytes (bench/gzip_raw, level 4) is the raw-library side:
# what every request would cost without those caches.
gzipped() { # NAME PATH
	idb=$(curl -s -o /dev/null -w '%{size_download}' "$base$2")
	gzb=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$base$2")
	raw_us=$(curl -s "$base$2" | ./bench/gzip_raw 300 | cut -d' ' -f1)
	ri= rg=
	for _ in $(seq "$rounds"); do
		ri="$ri
$(rps "$base$2" "$bd")"
		rg="$rg
$(rps "$base$2" "$bd" 'Accept-Encoding: gzip')"
	done
	echo "$(best "$ri") $(best "$rg")" | awk -v n="$1" -v i="$idb" -v g="$gzb" \
	    -v z="$raw_us" '{
	    printf "%-16s %6d bytes, gzip %5d bytes (%.1f×): %6.0f/s, gzip " \
		"%6.0f/s, verhouding %.2f\n", n, i, g, i / g, $1, $3, $3 / $1
	    printf "%-16s %12s CPU per verzoek: %.1f µs, gzip %.1f µs " \
		"(verschil %.1f µs; zlib zelf per keer %.1f µs)\n", "", "", $2, $4, \
		$4 - $2, z }'
}
echo "gzip (wrk -t$threads -c$conns -d$dur, beste van $rounds rondes):"
gzipped "dashboard-JSON" "/api/v1/dashboard/$gm"
gzipped "catalogus-JSON" "/api/v1/indicators"

# ---- 3. uncached chart: basisd per request, then librrd and the CLI
gms=$(cd "$state/rrd" && ls -d GM*/"$ind.rrd" | cut -d/ -f1 | grep -v "$gm" |
    awk -v n="$ncharts" 'NR % 7 == 1 && c++ < n')
: >"$tmp/basisd.ms"
for g in $gms; do
	# the first request builds the gemeente's peer band (timed apart);
	# the second misses the response cache only: another query (unknown
	# parameters are ignored, so it names the default group explicitly)
	curl -s -o /dev/null -w '%{time_total}\n' "$base/chart/$g/$ind.svg" >>"$tmp/koud.ms"
	curl -s -o /dev/null -w "$g %{size_download} %{time_total}\n" \
	    "$base/chart/$g/$ind.svg?groep=vergelijkbaar-$g" >>"$tmp/basisd.ms"
done
rss "na de metingen"
kill "$bd"; wait "$bd" 2>/dev/null || :; bd=

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
./bench/graph_raw -w "$tmp/basisd.conf" "$ind" "$gm" $gms >"$tmp/librrd.ms"
./bench/graph_raw -c "$tmp/basisd.conf" "$ind" $gms >"$tmp/cli.ms"
# same arguments, so the same image (give or take cairo's surface ids)
grep '^GM' "$tmp/librrd.ms" | paste -d' ' "$tmp/basisd.ms" - | awk '
    { d = $2 - $5; if (d < -4 || d > 4) { print "bench/http: " $1 \
	" verschilt: basisd " $2 " bytes, librrd " $5; bad = 1 } }
    END { exit bad }'
k=$(awk '{ print $1 * 1000 }' "$tmp/koud.ms" | median)
b=$(awk '{ print $3 * 1000 }' "$tmp/basisd.ms" | median)
l=$(awk '$1 ~ /^GM/ { print $3 }' "$tmp/librrd.ms" | median)
c=$(awk '$1 ~ /^GM/ { print $3 }' "$tmp/cli.ms" | median)
awk -v n="$(echo $gms | wc -w)" -v k="$k" -v b="$b" -v l="$l" -v c="$c" 'BEGIN {
    printf "grafiek zonder cache, mediaan over %d gemeenten:\n", n
    printf "  basisd           %7.1f ms per verzoek (eerste verzoek, met " \
	"bouw van de vergelijkingsband: %.1f ms)\n", b, k
    printf "  rrd_graph_v      %7.1f ms (zelfde argumenten, één proces)\n", l
    printf "  rrdtool graph    %7.1f ms (CLI, een proces per grafiek)\n", c
    printf "  basisd/librrd    %7.2f (doel <= 1.30)\n", b / l
    printf "  CLI/basisd       %7.2f (doel >= 3)\n", c / b }'
