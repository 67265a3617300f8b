#!/usr/bin/env bash
# One command for a fresh machine: set up, then run the main job on the bundled sample:
# import the chat (idempotently) into the default SQLite database, analyse it, print
# the profile and write a self-contained HTML report next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
. .venv/bin/activate
out="${CLIENTGUARD_DEMO_OUT:-sample_report.html}"
# its last line says where the report is, in the interface language (ui.html_written)
clientguard analyze examples/sample_chat.json --case examples/sample_case.yaml --html "$out"
