#!/usr/bin/env bash
# One command for the test suite: set up, lint, run every test (including real Whisper end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The Prefect UI test drives Debian's chromium through chromium-driver (test tools cannot download a
# browser here). Install both when missing and this machine can; otherwise say what to run.
if ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
    echo "installing chromium and chromium-driver (Debian) for the Prefect UI test"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "error: the Prefect UI test needs Debian's chromium and chromium-driver at /usr/bin;" \
      "install them (sudo apt-get install -y chromium chromium-driver) and run this again" >&2
    exit 2
  fi
fi
export PREFECT_HOME="${PREFECT_HOME:-$(mktemp -d)}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
