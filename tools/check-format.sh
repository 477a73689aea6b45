#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fails when a C/C++ file is not formatted with the repository's
# .clang-format (BasedOnStyle: LLVM); prints the files to fix.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=1
  fi
done < <(git ls-files '*.c' '*.h' '*.cc' 2>/dev/null || find include src indexer web tests tools -name '*.[ch]' -o -name '*.cc')
exit $bad
