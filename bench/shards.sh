#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/shards.sh - indexing time with 1, 2 and 4 shards written in
# parallel, and query latency on 1, 2 and 4 local shards and on 2 remote
# shards (xapian-tcpsrv on loopback), for docs/scaling.md.
#
# usage: bench/shards.sh BINARY CORPUS_DIR [ROUNDS [WORKDIR]]
#
# CORPUS_DIR: e.g. 100,000 generated articles (bench/gen-corpus.py or the
# benchmark branch's gen-docs-corpus.py).  Each layout is built once into
# WORKDIR (default /tmp/teilhabe-shards) with `index --full`; wall, user
# and system seconds come from /usr/bin/time.  Then bench/shards-latency.py
# sends the same queries to all four layouts in one paired run (ROUNDS,
# default 50).  The shard servers listen on 127.0.0.1 only and are stopped
# at the end.
set -euo pipefail

bin=$(realpath "$1")
corpus=$(realpath "$2")
rounds=${3:-50}
work=${4:-/tmp/teilhabe-shards}
here=$(dirname "$(realpath "$0")")
mkdir -p "$work"

echo "corpus: $(find "$corpus" -name '*.md' | wc -l) articles, $(du -sh "$corpus" | cut -f1)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 1 2 4; do
  rm -rf "$work/idx-$n" "$work/idx-$n.gen"
  /usr/bin/time -f "index --shards $n: %e s wall, %U s user, %S s system, %M KB max" \
    "$bin" index --quiet --full --shards "$n" --db "$work/idx-$n" "$corpus"
  du -sh "$(realpath "$work/idx-$n")" | sed "s/^/  size: /"
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stub="$work/remote.stub"
: >"$stub"
for k in 0 1; do
  port=$(free_port)
  # setsid: xapian-tcpsrv ends by signalling its whole process group.
  setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$work/idx-2/shard-$k" \
    >/dev/null 2>&1 &
  pids+=($!)
  echo "remote 127.0.0.1:$port" >>"$stub"
done
echo "#teilhabe-aux $(realpath "$work/idx-2")/aux" >>"$stub"
sleep 1

python3 "$here/shards-latency.py" "$bin" "$rounds" "single=$work/idx-1" \
  "2-local=$work/idx-2" "4-local=$work/idx-4" "2-remote=$stub"
