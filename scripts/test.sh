#!/usr/bin/env bash
# The whole test suite: lint, then the tests once on SQLite and again on PostgreSQL when it is
# installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest "$@")

echo "== lint (ruff, import contracts)"
.venv/bin/ruff check kansou tests scripts benchmarks
.venv/bin/ruff format --check --quiet kansou tests scripts benchmarks
.venv/bin/lint-imports --no-cache

echo "== tests on SQLite"
env -u DATABASE_URL "${PYTEST[@]}"

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    eval "$(scripts/postgres-start)"
    echo "== tests on PostgreSQL ($DATABASE_URL)"
    "${PYTEST[@]}"
else
    echo "== PostgreSQL not installed (or not root): PostgreSQL run skipped"
fi
