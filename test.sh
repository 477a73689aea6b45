#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./test.sh - install what is missing, build, and run every test:
#   0. that every C/C++ file is clang-formatted
#   1. the check unit suites and the end-to-end tests (real binary, real HTTP)
#   2. the same again built with AddressSanitizer and UBSan
#   3. the browser suite in headless Chromium (when tests/browser exists)
#   4. the Debian package: built, lintian, installed, used, purged
# Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
. tools/deps.sh
ensure_packages "${TEILHABE_BUILD_PKGS[@]}" "${TEILHABE_TEST_PKGS[@]}"

passed=0
failed=0
# run_meson DIR [meson setup options...] - build DIR and run its tests.
run_meson() {
  local dir=$1
  shift
  if [ ! -d "$dir" ]; then
    meson setup "$dir" "$@" >/dev/null
  fi
  meson compile -C "$dir" >/dev/null
  local rc=0
  meson test -C "$dir" --print-errorlogs --verbose --num-processes 2 || rc=$?
  local log="$dir/meson-logs/testlog.json"
  if [ -f "$log" ]; then
    local ok bad
    ok=$(grep -c '"result": "OK"' "$log" || true)
    bad=$(grep -c '"result": "\(FAIL\|TIMEOUT\|ERROR\)"' "$log" || true)
    passed=$((passed + ok))
    failed=$((failed + bad))
  fi
  [ "$rc" -eq 0 ] || failed=$((failed > 0 ? failed : 1))
}

echo "== formatting (clang-format, .clang-format)"
if tools/check-format.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo "== unit and end-to-end tests"
run_meson build --buildtype=debugoptimized

echo "== the same under AddressSanitizer and UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_meson build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

echo "== search quality against plain Xapian (tests/relevance)"
if python3 tests/relevance/run.py build/teilhabe . --check; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

if [ -d tests/browser ]; then
  echo "== browser tests (headless Chromium)"
  ensure_browser_deps
  rc=0
  tests/browser/run.sh build/teilhabe || rc=$?
  if [ -f build/browser-results.txt ]; then
    read -r ok bad < build/browser-results.txt
    passed=$((passed + ok))
    failed=$((failed + bad))
  fi
  [ "$rc" -eq 0 ] || failed=$((failed > 0 ? failed : 1))
fi

echo "== the Debian package (build, lintian, dpkg -i, index and serve, purge)"
ensure_packages "${TEILHABE_PACKAGE_PKGS[@]}"
rc=0
tests/package/run.sh || rc=$?
if [ -f build/package-results.txt ]; then
  read -r ok bad < build/package-results.txt
  passed=$((passed + ok))
  failed=$((failed + bad))
fi
[ "$rc" -eq 0 ] || failed=$((failed > 0 ? failed : 1))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
