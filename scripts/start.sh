#!/usr/bin/env bash
# Starts the portal with demo data on SQLite at http://127.0.0.1:8000 (Ctrl+C stops it).
# Run from anywhere: bash scripts/start.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/bootstrap.sh

export DJANGO_DEBUG=True
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
