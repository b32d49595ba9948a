#!/bin/sh
# bench/http.sh — requests/s of basisd's /healthz against a bare
# libmicrohttpd responder (bench/http_raw) in the same run, same threads
# and wrk settings; prints both and the ratio. Needs wrk. Run from the
# build directory: `make bench`.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
dur=${BENCH_DURATION:-5s}
conns=${BENCH_CONNECTIONS:-32}
raw_port=${BENCH_RAW_PORT:-18081}
bd_port=${BENCH_BASISD_PORT:-18080}
command -v wrk >/dev/null || { echo "bench/http: wrk niet gevonden"; exit 0; }

www=$top/www
[ -d "$www" ] || www=$(mktemp -d)
./bench/http_raw "$raw_port" 4 & raw=$!
BASISD_PORT=$bd_port BASISD_WWW_DIR=$www ./src/basisd -d & bd=$!
trap 'kill $raw $bd 2>/dev/null || :' EXIT
sleep 1

rps() { wrk -t2 -c"$conns" -d"$dur" "$1" | sed -n 's/^Requests\/sec: *//p'; }
r=$(rps "http://127.0.0.1:$raw_port/healthz")
b=$(rps "http://127.0.0.1:$bd_port/healthz")
echo "http_raw:  $r verzoeken/s"
echo "basisd:    $b verzoeken/s (/healthz)"
awk -v r="$r" -v b="$b" 'BEGIN { printf "verhouding basisd/raw: %.2f\n", b / r }'
