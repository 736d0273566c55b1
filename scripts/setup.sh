#!/usr/bin/env bash
# Create .venv (Python 3.11 or 3.12) and install vocmine with the exact versions in requirements.lock.
# Idempotent: a second run only checks what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  PY="${PYTHON:-}"
  if [ -z "$PY" ]; then
    for cand in python3.11 python3.12 python3; do
      if command -v "$cand" >/dev/null 2>&1; then PY="$cand"; break; fi
    done
  fi
  if [ -z "$PY" ]; then echo "error: no python3 found; install Python 3.11 and retry" >&2; exit 2; fi
  if ! "$PY" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'; then
    echo "error: vocmine needs Python 3.11 or 3.12 (found $("$PY" --version)); set PYTHON=/path/to/python3.11" >&2
    exit 2
  fi
  echo "creating .venv with $("$PY" --version)"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
echo "installing vocmine and its locked dependencies (first time: a few minutes, ~1 GB with models)"
# (the grep hides this machine's pip-config noise about absent local mirrors; real errors still show)
.venv/bin/python -m pip install --quiet --constraint requirements.lock --editable ".[dev]" 2>&1 \
  | { grep -v -e "is ignored: it is neither a file nor a directory" || true; }
exit "${PIPESTATUS[0]}"
