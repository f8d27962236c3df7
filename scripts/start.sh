#!/usr/bin/env bash
# Starts the portal with demo data on SQLite at http://127.0.0.1:8000 (Ctrl+C stops it), with the background task
# worker (bulk printing) running beside it and stopped with it.
# Run from anywhere: bash scripts/start.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/bootstrap.sh

export DJANGO_DEBUG=True
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo

# The database queue's worker runs in the background while runserver runs; the EXIT trap stops it however the
# script ends (Ctrl+C, runserver failing). Another task backend (DJANGO_TASKS_BACKEND) brings its own worker.
WORKER_PID=""
stop_worker() {
    if [[ -n "$WORKER_PID" ]] && kill -0 "$WORKER_PID" 2>/dev/null; then
        kill -TERM "$WORKER_PID" 2>/dev/null || true
        wait "$WORKER_PID" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
if [[ "${DJANGO_TASKS_BACKEND:-django_tasks_db.DatabaseBackend}" == "django_tasks_db.DatabaseBackend" ]]; then
    # --no-reload: one process, so that the trap's signal stops the whole worker.
    .venv/bin/python manage.py db_worker --no-reload --interval 1 &
    WORKER_PID=$!
fi
.venv/bin/python manage.py runserver 127.0.0.1:8000
