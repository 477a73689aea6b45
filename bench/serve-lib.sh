# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the bench scripts that measure a served index: start a
# server on a free port and stop it.
#
#   serve_start BINARY DB [SERVE OPTIONS...]  sets SERVE_PID and SERVE_PORT
#   serve_stop

serve_start() {
  local bin=$1 db=$2
  shift 2
  SERVE_LOG=$(mktemp)
  "$bin" serve --db "$db" --port 0 "$@" 2>"$SERVE_LOG" &
  SERVE_PID=$!
  SERVE_PORT=""
  for _ in $(seq 100); do
    SERVE_PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$SERVE_LOG")
    [ -n "$SERVE_PORT" ] && return 0
    sleep 0.1
  done
  echo "serve did not start:" >&2
  cat "$SERVE_LOG" >&2
  return 1
}

serve_stop() {
  kill "$SERVE_PID"
  wait "$SERVE_PID" 2>/dev/null || true
  rm -f "$SERVE_LOG"
}
