#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The sitemap at full scale: a generated corpus of N tiny records (default
# 52,000, more than one sitemap file's 50,000 URLs), indexed, served with
# two workers; prints what two cold sitemap requests at once cost and how
# long /healthz waits meanwhile, then the time of /sitemap.xml and of
# each file it lists, first and repeated.  Works with an old binary too
# (one /sitemap.xml, no files), for before/after figures.
#
# usage: bench/sitemap-stress.sh PATH/TO/teilhabe [N] [WORKDIR]
#   WORKDIR keeps corpus and index between runs (default /tmp/sitemap-stress)
set -eu
BIN=$1
N=${2:-52000}
DIR=${3:-/tmp/sitemap-stress}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
if [ ! -f "$DIR/n-$N" ]; then
  python3 "$ROOT/bench/gen-tiny-corpus.py" "$ROOT" "$N" "$DIR/corpus"
  rm -rf "$DIR/index"
  "$BIN" index --db "$DIR/index" "$DIR/corpus" 2>&1 | grep -v island | tail -1
  touch "$DIR/n-$N"
fi
"$BIN" serve --db "$DIR/index" --port 0 --threads 2 2>"$DIR/serve.log" &
PID=$!
trap 'kill $PID' EXIT
for _ in $(seq 50); do
  grep -q listening "$DIR/serve.log" && break
  sleep 0.2
done
BASE=$(sed -n 's|.*listening on \(http://[^ ]*\)/$|\1|p' "$DIR/serve.log")
t() { curl -s -o "$DIR/out" -w "%{http_code} %{size_download} bytes %{time_total} s" "$BASE$1"; }
# Cold: two sitemap requests at once (both workers), then /healthz.
curl -s -o /dev/null -w "cold   /sitemap.xml: %{http_code} %{time_total} s\n" "$BASE/sitemap.xml" &
C1=$!
curl -s -o /dev/null -w "cold   /sitemap.xml: %{http_code} %{time_total} s (at once)\n" "$BASE/sitemap.xml" &
C2=$!
sleep 0.3
echo "/healthz during both: $(curl -s -o /dev/null -w '%{http_code} %{time_total} s' "$BASE/healthz")"
wait $C1 $C2
echo "first  /sitemap.xml: $(t /sitemap.xml)"
echo "again  /sitemap.xml: $(t /sitemap.xml)"
for p in $(grep -o 'sitemap-[0-9]*\.xml' "$DIR/out" | sort -u); do
  echo "first  /$p: $(t /$p) ($(grep -c '<url>' "$DIR/out") URLs)"
  echo "again  /$p: $(t /$p)"
done
