#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./run.sh - install what is missing, build, index corpus/ and serve the
# site on http://127.0.0.1:8080 (override with PORT=... BIND=...).
set -euo pipefail
cd "$(dirname "$0")"
. tools/deps.sh
ensure_packages "${TEILHABE_BUILD_PKGS[@]}"

if [ ! -d build-release ]; then
  meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
meson compile -C build-release >/dev/null

./build-release/teilhabe index --db data/index corpus
exec ./build-release/teilhabe serve --db data/index \
  --bind "${BIND:-127.0.0.1}" --port "${PORT:-8080}"
