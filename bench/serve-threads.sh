#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Served throughput and latency by number of server threads
# (docs/benchmarks.md, "At REHADAT scale"): for each round and each N in
# THREADS, a fresh `serve --threads N`, 20 warm-up requests, then
# `wrk -t2 -c8` for SECONDS walking PATHS (one request path a line, e.g.
# work-10000/paths.txt of bench/run.sh --keep) with bench/wrk-walk.lua.
# Prints one line per run: requests/s and wrk-walk's p50/p90/p99 (µs).
#
# usage: bench/serve-threads.sh BINARY DB PATHS ROUNDS SECONDS THREADS...
set -euo pipefail
[ $# -ge 6 ] || {
  sed -n 's/^# \{0,1\}//p' "$0" | sed -n '/^usage/p' >&2
  exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serve-lib.sh"
bin=$1 db=$2 paths=$3 rounds=$4 secs=$5
shift 5
for r in $(seq "$rounds"); do
  for t in "$@"; do
    serve_start "$bin" "$db" --threads "$t" --max-connections-per-ip 0
    port=$SERVE_PORT
    for _ in $(seq 20); do
      curl -s -o /dev/null "http://127.0.0.1:$port/api/search?q=Arbeit"
    done
    out=$(wrk -t2 -c8 -d"${secs}s" --timeout 10s -s "$here/wrk-walk.lua" \
      "http://127.0.0.1:$port" -- "$paths" 2)
    rps=$(echo "$out" | sed -n 's/Requests\/sec:\s*//p')
    lat=$(echo "$out" | grep -o 'p50=[0-9]* p90=[0-9]* p99=[0-9]*')
    echo "round $r threads $t: $rps req/s, $lat"
    serve_stop
  done
done
