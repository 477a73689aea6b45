#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where the time goes (docs/benchmarks.md, "At REHADAT scale"): perf
# profiles of `teilhabe index --full` over a generated corpus and of the
# server under wrk (8 connections) walking a query list, each written
# as a flat report (self time by library and by function) and a
# call-graph report (time including callees).
#
# usage: bench/profile.sh BUILD CORPUS QUERIES.tsv OUT_DIR [SECONDS]
#   BUILD     a release build (bench/run.sh makes build-release)
#   CORPUS    e.g. OUT/corpus-10000 of bench/run.sh --keep
#   QUERIES   its queries (OUT/work-10000/queries.tsv)
set -euo pipefail
build=$1 corpus=$2 queries=$3 out=$4 secs=${5:-15}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

report() { # DATA NAME; whole reports first, so no pipe is cut short
  perf report -i "$1" --no-children --sort dso --stdio -g none \
    >"$out/$2-dso.full" 2>/dev/null
  perf report -i "$1" --no-children --sort dso,sym --stdio -g none \
    >"$out/$2-self.full" 2>/dev/null
  perf report -i "$1" --children --sort sym --stdio -g none \
    >"$out/$2-children.full" 2>/dev/null
  for r in dso self children; do
    grep '%' "$out/$2-$r.full" | grep -v '^#' | head -60 >"$out/$2-$r.txt" || true
  done
}

[ -f "$out/index.data" ] || rm -rf "$out/idx" "$out"/idx.*

# Indexing: a low sampling rate keeps the DWARF call stacks small.  A
# profile recorded before (OUT/index.data, with its index) is reused.
[ -f "$out/index.data" ] && [ -e "$out/idx" ] ||
  perf record -F 49 --call-graph dwarf,16384 -o "$out/index.data" -- \
  "$build/teilhabe" index --full --quiet --db "$out/idx" "$corpus" \
  >/dev/null 2>"$out/index-perf.log"
report "$out/index.data" index

# Serving: the API walked by wrk, the server alone recorded.
/usr/bin/python3 - "$queries" "$out/paths.txt" <<'PY'
import sys, urllib.parse
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f.read().splitlines():
        q, *fs = line.split("\t")
        o.write("/api/search?" + urllib.parse.urlencode(
            [("q", q)] + [tuple(x.split("=", 1)) for x in fs]) + "\n")
PY
"$build/teilhabe" serve --db "$out/idx" --port 0 --max-connections-per-ip 0 \
  2>"$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
port=
for _ in $(seq 50); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start" >&2; exit 1; }
for _ in $(seq 20); do curl -s -o /dev/null "http://127.0.0.1:$port/api/search?q=Datei"; done
perf record -F 99 --call-graph dwarf,16384 -p "$server" -o "$out/serve.data" \
  2>"$out/serve-perf.log" &
perf=$!
wrk -t2 -c8 -d"${secs}s" -s "$here/wrk-walk.lua" "http://127.0.0.1:$port" \
  -- "$out/paths.txt" 2 >"$out/wrk.txt"
kill -INT $perf
wait $perf || true
report "$out/serve.data" serve
echo "reports in $out: index-*.txt, serve-*.txt" >&2
