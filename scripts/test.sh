#!/usr/bin/env bash
# Set up (idempotently) and run the whole test suite: lint, types, tests.
# Usage: scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
scripts/system_deps.sh
. .venv/bin/activate
echo "== ruff"; ruff check clientguard tests bench
echo "== mypy"; mypy
echo "== pytest"
# PostgreSQL: tests use CLIENTGUARD_TEST_PG (default below); see tests/README.md to start a server.
export CLIENTGUARD_TEST_PG="${CLIENTGUARD_TEST_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
# Redis: left unset, each test process claims a free database 8-15 on 127.0.0.1:6379 (see
# tests/README.md), so two runs at once never flush each other's; CLIENTGUARD_TEST_REDIS overrides.
set +e
python -m pytest "$@"
rc=$?
set -e
# 5 = no tests collected; that is a failure for us, never a silent pass.
exit $rc
