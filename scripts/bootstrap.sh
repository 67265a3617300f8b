#!/usr/bin/env bash
# Create .venv and install clientguard (pinned deps). Argument: "run" (runtime only) or "dev".
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-run}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
stamp=".venv/.installed-$kind"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  python -m pip install -q --upgrade pip >/dev/null
  if [ "$kind" = dev ]; then
    python -m pip install -q -e ".[dev,web,pdf]"
  else
    python -m pip install -q -e ".[web,pdf]"
  fi
  touch "$stamp"
fi
