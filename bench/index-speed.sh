#!/usr/bin/env bash
# Indexing speed of several teilhabe binaries on the same corpus, runs
# interleaved so machine noise hits all alike; prints the median
# articles/s of each and its ratio to the first (the reference).
#
# usage: bench/index-speed.sh CORPUS RUNS BINARY [BINARY...]
set -euo pipefail
corpus=$1
runs=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(find "$corpus" -name '*.md' ! -name README.md | wc -l)
declare -A times
for r in $(seq "$runs"); do
  for b in "$@"; do
    rm -rf "$tmp/db" "$tmp/db.gen"
    t0=$(date +%s.%N)
    "$b" index --full --quiet --db "$tmp/db" "$corpus" >/dev/null 2>&1
    t1=$(date +%s.%N)
    times[$b]+="$(echo "$t1 - $t0" | bc -l) "
  done
done
ref=
for b in "$@"; do
  med=$(echo "${times[$b]}" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rate=$(echo "$n / $med" | bc -l)
  [ -n "$ref" ] || ref=$rate
  printf '%-45s %7.2f s  %7.1f articles/s  %5.2f x\n' "$b" "$med" "$rate" "$(echo "$rate / $ref" | bc -l)"
done
