#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/browser/run.sh BINARY - the browser suite: the real site in
# Debian's headless Chromium, driven by playwright-core, checked by axe-core.
#
#   1. installs the npm packages from package-lock.json when missing
#      (playwright-core and @axe-core/playwright; never a browser download:
#      the tests use /usr/bin/chromium, or $CHROMIUM)
#   2. indexes tests/fixtures/corpus and the real corpus (corpus/, with
#      every kind of record) into two temporary directories
#   3. starts `BINARY serve --port 0` on each and reads their URLs
#   4. runs tests/browser/*.test.mjs with node's built-in test runner
#      (TEILHABE_URL: the fixture site, TEILHABE_CORPUS_URL: the real one)
#   5. stops both servers and writes "<passed> <failed>" to
#      build/browser-results.txt (read by ./test.sh)
# Exits non-zero when a test failed or the suite could not run.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: tests/browser/run.sh PATH/TO/teilhabe" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
results="$root/build/browser-results.txt"
mkdir -p "$root/build"
echo "0 1" >"$results" # until the suite has run, count it as failed

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm "$CHROMIUM"; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: '$tool' not found (apt-get install chromium nodejs npm)" >&2
    exit 1
  }
done
[ -x "$bin" ] || { echo "run.sh: '$bin' is not an executable" >&2; exit 1; }

if [ ! -f "$here/node_modules/playwright-core/package.json" ] ||
  [ ! -f "$here/node_modules/@axe-core/playwright/package.json" ]; then
  echo "installing npm packages for the browser tests" >&2
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/teilhabe-browser.XXXXXX")
servers=()
cleanup() {
  for pid in ${servers[@]+"${servers[@]}"}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME CORPUS: indexes CORPUS into $tmp/NAME, starts a server on it
# and sets $base to its URL; exits when either fails.
start() {
  local name=$1 corpus=$2 pid
  if ! "$bin" index --db "$tmp/$name" "$corpus" >"$tmp/$name-index.log" 2>&1; then
    echo "run.sh: indexing $corpus failed:" >&2
    cat "$tmp/$name-index.log" >&2
    exit 1
  fi
  # The log exists before the server starts: the loop below may read it
  # before the background shell has opened it (a race seen in CI).
  : >"$tmp/$name-server.log"
  "$bin" serve --db "$tmp/$name" --port 0 2>>"$tmp/$name-server.log" &
  pid=$!
  servers+=("$pid")
  base=
  for _ in $(seq 1 100); do
    base=$(sed -n 's|.*listening on \(http://[^ ]*\)/$|\1|p' "$tmp/$name-server.log" | head -n 1)
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$base" ]; then
    echo "run.sh: the server for $corpus did not start:" >&2
    cat "$tmp/$name-server.log" >&2
    exit 1
  fi
}

start index "$root/tests/fixtures/corpus"
fixture_base=$base
start corpus "$root/corpus"
corpus_base=$base
echo "browser tests against $fixture_base (fixtures) and $corpus_base (corpus)" >&2

rc=0
(cd "$here" && TEILHABE_URL="$fixture_base" TEILHABE_CORPUS_URL="$corpus_base" node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tmp/results.tap" \
  ./*.test.mjs) || rc=$?

passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/results.tap" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/results.tap" | tail -n 1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner itself failed (a file did not load, a hook threw)
fi
echo "$passed $failed" >"$results"
echo "browser tests: $passed passed, $failed failed" >&2
exit "$rc"
