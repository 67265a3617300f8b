#!/usr/bin/env bash
# One command for a fresh machine: set up, then run the main job on the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
. .venv/bin/activate
clientguard import examples/sample_chat.json --client "Кофейня «Пенка»"
clientguard clients
