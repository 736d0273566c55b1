#!/usr/bin/env bash
# Operators' one command: start a local Prefect server with its UI (http://127.0.0.1:4200) and serve the
# vocmine deployments voc-nightly (on the configured schedule) and voc-reprocess. Ctrl-C stops both.
#   VOCMINE_CONFIG        config file (default configs/default.yaml): inbox, db, schedule, retries, task runner
#   VOCMINE_PREFECT_HOST  / VOCMINE_PREFECT_PORT   where the server listens (default 127.0.0.1 / 4200)
#   PREFECT_HOME          server database and logs (default ./.prefect)
# If a Prefect server already answers on that address, it is used and left running.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/prefect ] || bash scripts/setup.sh
HOST="${VOCMINE_PREFECT_HOST:-127.0.0.1}"
PORT="${VOCMINE_PREFECT_PORT:-4200}"
CONFIG="${VOCMINE_CONFIG:-configs/default.yaml}"
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
mkdir -p "$PREFECT_HOME"
URL="http://$HOST:$PORT"
healthy() { .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
  "$URL/api/health" >/dev/null 2>&1; }

if healthy; then
  echo "using the Prefect server already running at $URL"
else
  echo "starting the Prefect server at $URL (log: $PREFECT_HOME/server.log)"
  # the UI is told where the API is, else it assumes port 4200
  PREFECT_SERVER_UI_API_URL="$URL/api" .venv/bin/prefect server start --host "$HOST" --port "$PORT" \
    >"$PREFECT_HOME/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
  trap 'exit 130' INT TERM
  for _ in $(seq 1 180); do
    healthy && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "error: the Prefect server did not start; see $PREFECT_HOME/server.log" >&2
      tail -20 "$PREFECT_HOME/server.log" >&2
      exit 1
    fi
    sleep 1
  done
  healthy || { echo "error: no answer from $URL/api/health after 180 s; see $PREFECT_HOME/server.log" >&2; exit 1; }
fi
export PREFECT_API_URL="$URL/api"
echo "serving voc-nightly and voc-reprocess with $CONFIG; UI: $URL/deployments"
.venv/bin/python -m pipelines.deployments --config "$CONFIG"
