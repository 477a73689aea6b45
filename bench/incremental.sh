#!/usr/bin/env bash
# Measures `teilhabe index` on a synthetic corpus: a full build, an update
# with nothing changed, and an update after editing one article (the
# librarian's everyday case), each as the median of RUNS runs, and checks
# that the search shows the edit.
#
# usage: bench/incremental.sh [BINARY] [ARTICLES] [RUNS]
set -euo pipefail
bin=${1:-build-release/teilhabe}
n=${2:-10000}
runs=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$(dirname "$0")/gen-corpus.py" corpus "$n" "$tmp/corpus"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { # secs CMD... - wall time of CMD in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

lint=$(for _ in $(seq "$runs"); do secs "$bin" lint --quiet "$tmp/corpus"; done | median)
full=$(for i in $(seq "$runs"); do secs "$bin" index --full --db "$tmp/db$i" "$tmp/corpus"; done | median)
"$bin" index --db "$tmp/db" "$tmp/corpus" >/dev/null 2>&1
same=$(for _ in $(seq "$runs"); do secs "$bin" index --db "$tmp/db" "$tmp/corpus"; done | median)
target=$(find "$tmp/corpus" -name 'kinderkrankengeld-7.md')
one=$(for i in $(seq "$runs"); do
  echo "Benchmark-Änderung $i: Zitronenfalter$i." >> "$target"
  secs "$bin" index --db "$tmp/db" "$tmp/corpus"
done | median)
found=$("$bin" search --db "$tmp/db" --json "Zitronenfalter$runs" | python3 -c \
  'import json,sys; print(",".join(r["id"] for r in json.load(sys.stdin)["results"]))')

printf 'articles: %s, runs: %s (medians, seconds)\n' "$n" "$runs"
printf '  lint (reference: parse and check all)  %.3f\n' "$lint"
printf '  index --full                           %.3f  (%.0f articles/s)\n' "$full" "$(echo "$n / $full" | bc -l)"
printf '  index, nothing changed                 %.3f\n' "$same"
printf '  index, one article changed             %.3f  (%.2f x lint, %.3f x full)\n' \
  "$one" "$(echo "$one / $lint" | bc -l)" "$(echo "$one / $full" | bc -l)"
printf '  search finds the edit:                 %s\n' "$found"
