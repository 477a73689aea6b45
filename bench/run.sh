#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The benchmark at REHADAT scale, one command (docs/benchmarks.md):
# installs Debian's German documentation (the text of the corpora) and
# what the reference needs, builds a release build, then runs
# bench/harness.py with the arguments given.
#
# usage: bench/run.sh [--sizes 1000,10000,100000] [--out DIR]
#                     [--queries N] [--duration S] [--repeats R] [--keep]
#                     [--skip-served] [--svg FILE] [--report-only]
# env:   BUILD (default build-release), the release build directory
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build-release}

need=()
for p in manpages-de gimp-help-de libreoffice-help-de debian-edu-doc-de \
  python3-xapian wrk curl; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
    need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release -Dtests=disabled
fi
ninja -C "$build" teilhabe bench/teilhabe-bench-search

# python3-xapian is Debian's: use Debian's python.
exec /usr/bin/python3 bench/harness.py --build "$build" "$@"
