# Sourced by run.sh and test.sh: installs the Debian 12 packages teilhabe
# SPDX-License-Identifier: GPL-2.0-or-later
# needs, but only those that are missing (so a ready machine is not
# touched and needs no network).
# shellcheck shell=bash

TEILHABE_BUILD_PKGS=(
  gcc g++ pkg-config meson ninja-build python3
  libxapian-dev xapian-tools libmicrohttpd-dev libicu-dev libyaml-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libjansson-dev zlib1g-dev
  wngerman hunspell-de-de curl scdoc
)
# systemd: systemd-analyze (units) and systemd-socket-activate; man-db:
# `man` on the installed pages; nginx, apache2-bin (the server alone, no
# service started) and openssl: the reverse-proxy test; clang: the fuzz
# smoke run (libFuzzer and its runtime, tests/fuzz/README.md).
TEILHABE_TEST_PKGS=(
  check valgrind clang-format clang python3-xapian
  systemd man-db nginx apache2-bin openssl
)
# Building and checking the Debian package (tests/package/run.sh).
TEILHABE_PACKAGE_PKGS=(debhelper dpkg-dev lintian)

# ensure_packages PKG... - apt-get installs whichever PKG is not installed.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing missing packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_browser_deps - Chromium, Node.js and npm for the browser suite.
# Checked by command, not by package: Node.js and npm are often installed
# from elsewhere (nodesource, nvm), and Debian's npm would conflict.
ensure_browser_deps() {
  local pkgs=()
  [ -x /usr/bin/chromium ] || pkgs+=(chromium)
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  [ ${#pkgs[@]} -eq 0 ] || ensure_packages "${pkgs[@]}"
}
