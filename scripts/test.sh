#!/usr/bin/env bash
# Runs the test suite: bash scripts/test.sh [pytest arguments], e.g. bash scripts/test.sh -x -k workflow
# Uses SQLite unless DATABASE_URL is set, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan
# (pytest-django then creates and drops the database test_danvan itself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Chromium (Debian's, for Playwright), poppler-utils and fonts-liberation2 besides the Python packages.
bash scripts/bootstrap.sh --test-tools

exec .venv/bin/python -m pytest "$@"
