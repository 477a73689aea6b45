#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Served throughput over distinct queries: every query of
# tests/relevance/queries.tsv as API search, as API search with a facet
# filter and as results page (about 750 paths), sent by wrk with two
# threads and eight connections for DURATION seconds.  With a second
# binary and index, the two are measured one after the other, alternating,
# ROUNDS times each (a fair comparison on a shared machine).
#
# usage: bench/throughput.sh BINARY DB [BASELINE BASELINE_DB [ROUNDS [DURATION]]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serve-lib.sh"
rounds=${5:-3}
duration=${6:-20}
paths=$(mktemp)
trap 'rm -f "$paths"' EXIT
python3 - "$here/../tests/relevance/queries.tsv" >"$paths" <<'PY'
import sys, urllib.parse
for line in open(sys.argv[1], encoding="utf-8"):
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 2 or line.startswith("#") or cols[0] == "style":
        continue
    q = urllib.parse.quote(cols[1])
    print("/api/search?q=" + q)
    print("/api/search?q=" + q + "&audience=arbeitgeber")
    print("/suche?q=" + q)
PY
export PATHS="$paths"

run() { # binary db -> requests/s, p99
  serve_start "$1" "$2"
  port=$SERVE_PORT
  wrk -t2 -c8 -d2s -s "$here/distinct-queries.lua" "http://127.0.0.1:$port" >/dev/null
  wrk -t2 -c8 -d"${duration}s" --latency -s "$here/distinct-queries.lua" \
    "http://127.0.0.1:$port" |
    awk -v name="$1" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2}
                      END {printf "%-40s %10s req/s  p99 %s\n", name, rps, p99}'
  serve_stop
}

for _ in $(seq "$rounds"); do
  run "$1" "$2"
  if [ $# -ge 4 ]; then run "$3" "$4"; fi
done
