#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checks are functions called through check(), not unreachable code.
# shellcheck disable=SC2317
# tests/package/run.sh - the Debian package, built and used the way an
# administrator would (docs/deploy.md):
#
#   1. copies the source tree (the files git knows, and new ones it does
#      not ignore) to a temporary folder and builds it there with
#      `dpkg-buildpackage -us -uc -b` (nocheck: ./test.sh has run the
#      tests on the same sources already)
#   2. lintian: any error or warning fails (remaining tags are overridden,
#      with reasons, in debian/teilhabe.lintian-overrides)
#   3. `dpkg -i`, then with the installed files only: `teilhabe --version`,
#      `man teilhabe`, `systemd-analyze verify` of the installed units,
#      `teilhabe index` with /etc/teilhabe/teilhabe.conf (the shipped
#      corpus into /var/lib/teilhabe), `teilhabe serve` answering /healthz,
#      /api/version and a search, and serving on a socket passed the way
#      systemd passes it (systemd-socket-activate)
#   4. `dpkg --purge`: the machine is as before
#
# Needs root (or sudo) for dpkg; refuses to run where a teilhabe package
# is installed already.  Prints one line per check and writes
# "<passed> <failed>" to build/package-results.txt (read by ./test.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
results="$root/build/package-results.txt"
mkdir -p "$root/build"
echo "0 1" >"$results" # until the checks have run, count it as failed

passed=0
failed=0
# check NAME COMMAND... - runs COMMAND, counts and prints the outcome.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}
finish() {
  echo "$passed $failed" >"$results"
  echo "package: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "run.sh: needs root or sudo for dpkg -i" >&2
    exit 1
  }
  sudo=(sudo)
fi
if dpkg-query -W -f='${Status}' teilhabe 2>/dev/null | grep -q "installed"; then
  echo "run.sh: a teilhabe package is installed here; not touching it" >&2
  exit 1
fi

tmp=$(mktemp -d /tmp/teilhabe-package-XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if dpkg-query -W -f='${Status}' teilhabe 2>/dev/null | grep -q "installed"; then
    "${sudo[@]}" dpkg --purge teilhabe >/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. build
start=$(date +%s)
mkdir "$tmp/src"
(cd "$root" && git ls-files -co --exclude-standard -z |
  xargs -0 cp --parents -t "$tmp/src")
build() {
  (cd "$tmp/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
    dpkg-buildpackage -us -uc -b -Pnocheck >"$tmp/build.log" 2>&1) ||
    { tail -30 "$tmp/build.log"; return 1; }
}
check "dpkg-buildpackage -us -uc -b" build
debs=("$tmp"/teilhabe_*_*.deb)
deb=${debs[0]}
[ -f "$deb" ] || finish
echo "     built $(basename "$deb") in $(($(date +%s) - start)) s"

# 2. lintian
lint() {
  lintian --fail-on error,warning --info "$tmp"/teilhabe_*.changes 2>&1 |
    grep -v "running with root privileges"
  return "${PIPESTATUS[0]}"
}
check "lintian: no errors or warnings" lint

# 3. install and use
check "dpkg -i" "${sudo[@]}" dpkg -i "$deb"
# One version: meson.build's, in the program and in debian/changelog.
version() {
  local want
  want=$(sed -n "s/^ *version : '\(.*\)',/\1/p" "$root/meson.build")
  [ "$(/usr/bin/teilhabe --version)" = "teilhabe $want" ] &&
    [ "$(dpkg-query -W -f='${Version}' teilhabe)" = "$want" ]
}
check "teilhabe --version and the package version are meson.build's" version
man_page() {
  command -v man >/dev/null || { echo "man-db is not installed"; return 1; }
  MANWIDTH=80 man -P cat teilhabe | grep -q "socket activation" &&
    MANWIDTH=80 man -P cat teilhabe.conf | grep -q "\[serve\]"
}
check "man teilhabe, man teilhabe.conf" man_page
verify_units() {
  systemd-analyze verify /lib/systemd/system/teilhabe.socket \
    /lib/systemd/system/teilhabe.service \
    /lib/systemd/system/teilhabe-index.service \
    /lib/systemd/system/teilhabe-index.timer
}
check "systemd-analyze verify of the installed units" verify_units
index() {
  "${sudo[@]}" /usr/bin/teilhabe index &&
    [ -L /var/lib/teilhabe/index ]
}
check "teilhabe index (shipped corpus, /etc/teilhabe/teilhabe.conf)" index

# The installed binary and configuration, a free port.
serve() {
  : >"$tmp/serve.log" # read below, maybe before the server opened it
  "${sudo[@]}" /usr/bin/teilhabe serve --port 0 2>>"$tmp/serve.log" &
  server_pid=$!
  local url=
  for _ in $(seq 100); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.log")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$tmp/serve.log"; return 1; }
  [ "$(curl -sf "${url}healthz")" = "ok" ] &&
    curl -sf "${url}api/version" | grep -q '"records":[1-9]' &&
    curl -sf "${url}api/search?q=K%C3%BCndigungsschutz" | grep -q '"total":[1-9]'
  local rc=$?
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null
  server_pid=
  return "$rc"
}
check "teilhabe serve: /healthz, /api/version, a search" serve

activated() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${sudo[@]}" systemd-socket-activate -l "127.0.0.1:$port" \
    /usr/bin/teilhabe serve 2>"$tmp/activate.log" &
  server_pid=$!
  local ok=1
  for _ in $(seq 50); do
    if [ "$(curl -sf "http://127.0.0.1:$port/healthz")" = "ok" ]; then
      ok=0
      break
    fi
    sleep 0.1
  done
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null
  server_pid=
  [ "$ok" -eq 0 ] && grep -q "passed by systemd" "$tmp/activate.log"
}
check "teilhabe serve on a socket passed by systemd-socket-activate" activated

# 4. remove
purge() {
  "${sudo[@]}" dpkg --purge teilhabe >/dev/null &&
    [ ! -e /usr/bin/teilhabe ] && [ ! -e /etc/teilhabe ] &&
    [ ! -e /var/lib/teilhabe ]
}
check "dpkg --purge leaves nothing behind" purge
finish
