#!/usr/bin/env bash
# One command for a fresh machine: set up, then run the main job on the bundled sample:
# import the chat (idempotently) into the default SQLite database, analyse it, print
# the profile and write a self-contained HTML report next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
. .venv/bin/activate
out="${CLIENTGUARD_DEMO_OUT:-sample_report.html}"
clientguard analyze examples/sample_chat.json --case examples/sample_case.yaml --html "$out"
echo "Open $out in a browser for the full report."
