#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./test.sh - install what is missing, build, and run every test:
#   0. that every C/C++ file is clang-formatted
#   1. the check unit suites and the end-to-end tests (real binary, real HTTP)
#   2. the same again built with AddressSanitizer and UBSan
#   2b. a short run of every libFuzzer target (when clang can build them)
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
  # A failed setup or build is reported with its output and counted;
  # the other sections still run.
  local setup_log
  setup_log=$(mktemp)
  if [ ! -d "$dir" ] && ! meson setup "$dir" "$@" >"$setup_log" 2>&1; then
    echo "meson setup $dir failed:"
    tail -n 40 "$setup_log"
    rm -f "$setup_log"
    failed=$((failed + 1))
    return 0
  fi
  rm -f "$setup_log"
  if ! meson compile -C "$dir" >"$dir/compile.log" 2>&1; then
    echo "building $dir failed:"
    grep -E -B2 -A8 'error|FAILED' "$dir/compile.log" | tail -n 60
    failed=$((failed + 1))
    return 0
  fi
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

# fuzz_smoke - builds the libFuzzer targets (tests/fuzz/README.md) in
# build-fuzz and runs each for FUZZ_SECONDS on a copy of its corpus: a
# crash, a leak or a broken promise fails the target.
FUZZ_SECONDS=${TEILHABE_FUZZ_SECONDS:-12}
fuzz_smoke() {
  local targets=(article yaml cite query analysis request rules) t
  if [ ! -d build-fuzz ]; then
    CC=clang CXX=clang++ meson setup build-fuzz -Db_sanitize=address,undefined \
      -Db_lundef=false >/dev/null
  fi
  if ! ninja -C build-fuzz "${targets[@]/#/tests/fuzz/fuzz-}" >build-fuzz/compile.log 2>&1; then
    echo "building the fuzz targets failed:"
    grep -E -B2 -A8 'error|FAILED' build-fuzz/compile.log | tail -n 60
    failed=$((failed + 1))
    return
  fi
  for t in "${targets[@]}"; do
    local len=8192 corpus dict=()
    case $t in
      cite) len=1024 ;;
      query) len=600 ;;
      analysis) len=2048 ;;
      request | rules) len=4096 ;;
    esac
    [ -f "tests/fuzz/fuzz-$t.dict" ] && dict=("-dict=tests/fuzz/fuzz-$t.dict")
    corpus=$(mktemp -d)
    cp tests/fuzz/corpus/"$t"/* "$corpus"/
    if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
      "build-fuzz/tests/fuzz/fuzz-$t" -max_total_time="$FUZZ_SECONDS" \
      -max_len="$len" -timeout=10 "${dict[@]}" \
      -artifact_prefix="build-fuzz/crash-$t-" "$corpus" >"build-fuzz/fuzz-$t.log" 2>&1; then
      echo "fuzz-$t: $(grep -o '#[0-9]*[[:space:]]*DONE.*exec/s: [0-9]*' "build-fuzz/fuzz-$t.log" | tail -1)"
      passed=$((passed + 1))
    else
      echo "fuzz-$t: FAILED (build-fuzz/fuzz-$t.log, build-fuzz/crash-$t-*)"
      tail -30 "build-fuzz/fuzz-$t.log"
      failed=$((failed + 1))
    fi
    rm -rf "$corpus"
  done
}

echo "== fuzz smoke run, ${FUZZ_SECONDS} s per target (libFuzzer, ASan, UBSan)"
if command -v clang >/dev/null &&
  echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
  clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  fuzz_smoke
else
  echo "skipped: clang with -fsanitize=fuzzer is not installed"
fi

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
