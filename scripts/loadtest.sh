#!/usr/bin/env bash
# Load test: 100 simultaneous users for 60 s against gunicorn on 127.0.0.1, then a check that nothing was lost.
#
#   make loadtest            (or: bash scripts/loadtest.sh)
#
# 1. drops and creates the PostgreSQL database DATABASE_URL (default danvan_load on 127.0.0.1, user postgres; its
#    name must contain "load", so that a production database is never dropped by mistake), migrates it and seeds the
#    accounts (manage.py seed_load_users: 10 đảng bộ × 10 chi bộ, a secretary per chi bộ, 2 approvers per đảng bộ,
#    and one registration per chi bộ already sent, so that approvers have work from the start);
# 2. starts gunicorn with production settings (DJANGO_DEBUG=False, django-axes on) as the README deploys it, except
#    plain HTTP on loopback (TLS ends at the load balancer in production) and static files from the finders (the test
#    requests pages only, so no collectstatic);
# 3. runs locust headless (loadtest/locustfile.py, installed into loadtest/.venv): 20 approvers and 80 secretaries
#    log in once each, then secretaries register and send Mẫu 1, approvers receive or return, through the real forms;
# 4. compares what the users were told with the database (loadtest/check_results.py) and prints a summary to paste
#    into docs/benchmarks.md.
# Exits non-zero on any HTTP failure, count mismatch, server traceback or worker timeout. Everything of a run (locust
# CSV files, gunicorn and access logs, results.json) stays in loadtest/results/<date-time>/; the database is kept for
# inspection until the next run.
#
# Settings (environment): LOADTEST_USERS (100), LOADTEST_SPAWN_RATE (10 per second), LOADTEST_RUN_TIME (60s),
# LOADTEST_APPROVERS (20 of the users), LOADTEST_WORKERS (gunicorn processes, 4), LOADTEST_THREADS (threads per
# process, 1), LOADTEST_PORT (8710), LOADTEST_THINK_MIN / LOADTEST_THINK_MAX (seconds between two pages, 2 and 6),
# LOADTEST_BACKLOG (registrations already sent per chi bộ, 1), LOADTEST_OUT (the run's directory), DATABASE_URL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

USERS="${LOADTEST_USERS:-100}"
SPAWN_RATE="${LOADTEST_SPAWN_RATE:-10}"
RUN_TIME="${LOADTEST_RUN_TIME:-60s}"
WORKERS="${LOADTEST_WORKERS:-4}"
THREADS="${LOADTEST_THREADS:-1}"
PORT="${LOADTEST_PORT:-8710}"
OUT="${LOADTEST_OUT:-loadtest/results/$(date +%Y%m%d-%H%M%S)}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/danvan_load}"
export LOADTEST_APPROVERS="${LOADTEST_APPROVERS:-20}"

say() { echo "loadtest: $*" >&2; }
die() { echo "loadtest: ERROR: $*" >&2; exit 1; }

bash scripts/bootstrap.sh

# --- locust, in a virtualenv of its own ------------------------------------------------------------------------------
# Not in .venv: locust brings a pytest plugin that every test run of the project would load. The packages both
# environments have (greenlet, brotli, pytest…) are held at the versions of constraints.txt.
LOAD_VENV=loadtest/.venv
WANT="$(cat loadtest/requirements.txt constraints.txt <(.venv/bin/python -VV) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$LOAD_VENV/.stamp" 2>/dev/null || true)" != "$WANT" ]; then
    say "installing locust into $LOAD_VENV"
    rm -rf "$LOAD_VENV"
    .venv/bin/python -m venv "$LOAD_VENV"
    PIP_LOG="$(mktemp)"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore "$LOAD_VENV/bin/python" -m pip install \
        -r loadtest/requirements.txt -c constraints.txt >"$PIP_LOG" 2>&1 \
        || { cat "$PIP_LOG" >&2; rm -f "$PIP_LOG"; die "pip install locust failed"; }
    rm -f "$PIP_LOG"
    echo "$WANT" >"$LOAD_VENV/.stamp"
fi

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# --- production settings, on loopback ---------------------------------------------------------------------------------
export DJANGO_DEBUG=False
DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=False DJANGO_SECURE_COOKIES=False
export DJANGO_STATIC_MANIFEST=False
export DJANGO_MEDIA_ROOT="$OUT/media"
export DJANGO_PORTAL_BASE_URL="http://127.0.0.1:$PORT"

# --- a fresh database -------------------------------------------------------------------------------------------------
say "fresh database ${DATABASE_URL##*/}"
.venv/bin/python - <<'PY' || die "could not create the database (is PostgreSQL running and DATABASE_URL right?)"
import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
if config["ENGINE"] != "django.db.backends.postgresql":
    sys.exit("loadtest: DATABASE_URL must point to PostgreSQL")
name = config["NAME"]
if "load" not in name:
    sys.exit(f"loadtest: refusing to drop database {name!r}: its name must contain 'load'")
connection = psycopg2.connect(
    dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None, host=config["HOST"] or None,
    port=config["PORT"] or None,
)
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
PY
.venv/bin/python manage.py migrate --noinput >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }
# Other work in progress in this checkout (a model changed, its migration not written yet) would show up as 500s.
.venv/bin/python manage.py makemigrations --check --dry-run >>"$OUT/migrate.log" 2>&1 \
    || die "the models have changes without a migration (see $OUT/migrate.log); run again once they are migrated"
.venv/bin/python manage.py seed_load_users --force --backlog "${LOADTEST_BACKLOG:-1}" \
    --accounts-file "$OUT/accounts.json" 2>>"$OUT/migrate.log"
DJANGO_LOG_LEVEL=WARNING .venv/bin/python loadtest/check_results.py "$OUT" --baseline

# --- gunicorn ---------------------------------------------------------------------------------------------------------
if .venv/bin/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $PORT)) != 0)"; then
    die "port $PORT is already in use; set LOADTEST_PORT"
fi
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT
# As the README's systemd unit (-w 4 --max-requests 1000 --timeout 60); no control socket, so that two runs (or
# another gunicorn of this account) never share one. Sync workers close each connection after its response; with
# LOADTEST_THREADS > 1 (gthread) gunicorn keeps connections alive for 2 s and a request sent on one just as it closes
# fails with "Remote end closed connection without response" (locust's client, unlike a browser, does not retry).
.venv/bin/gunicorn danvan.wsgi --workers "$WORKERS" --threads "$THREADS" --max-requests 1000 --timeout 60 \
    --bind "127.0.0.1:$PORT" --no-control-socket --access-logfile "$OUT/access.log" \
    --access-logformat '%(s)s %(M)sms %(t)s "%(r)s" %(b)s' >"$OUT/gunicorn.log" 2>&1 &
SERVER_PID=$!
.venv/bin/python - "$PORT" <<'PY' || { tail -n 30 "$OUT/gunicorn.log" >&2; die "gunicorn did not answer /healthz"; }
import sys
import time
import urllib.request

for _ in range(120):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
say "gunicorn: $WORKERS worker(s) × $THREADS thread(s) on 127.0.0.1:$PORT; locust: $USERS users, +$SPAWN_RATE/s, $RUN_TIME"

# --- locust -----------------------------------------------------------------------------------------------------------
set +e
LOADTEST_ACCOUNTS="$OUT/accounts.json" LOADTEST_RESULTS="$OUT/results.json" \
    "$LOAD_VENV/bin/locust" -f loadtest/locustfile.py --headless --only-summary \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 30 \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" >"$OUT/locust.log" 2>&1
LOCUST_RC=$?
set -e
stop_server

# --- checks -----------------------------------------------------------------------------------------------------------
FAILED=0
if [ "$LOCUST_RC" -ne 0 ]; then
    say "locust exited with $LOCUST_RC (see $OUT/locust.log)"
    FAILED=1
fi
if [ ! -f "$OUT/results.json" ]; then
    tail -n 30 "$OUT/locust.log" >&2
    die "locust wrote no results"
fi
if grep -q -e "Traceback" -e "WORKER TIMEOUT" "$OUT/gunicorn.log"; then
    say "the server logged errors:"
    grep -e "Traceback" -e "WORKER TIMEOUT" "$OUT/gunicorn.log" | head -n 5 | cut -c 1-400 >&2
    FAILED=1
fi
NON_2XX="$(awk '{print $1}' "$OUT/access.log" | grep -c -v -E '^(200|302)$' || true)"
if [ "$NON_2XX" -ne 0 ]; then
    say "$NON_2XX responses were neither 200 nor 302 (see $OUT/access.log)"
    FAILED=1
fi
echo
echo "Load test $(date '+%d/%m/%Y %H:%M'), $(nproc) cores: gunicorn $WORKERS worker(s) × $THREADS thread(s), PostgreSQL;" \
    "locust $USERS users (+$SPAWN_RATE/s), $RUN_TIME, think time ${LOADTEST_THINK_MIN:-2}–${LOADTEST_THINK_MAX:-6} s."
echo
DJANGO_LOG_LEVEL=WARNING .venv/bin/python loadtest/check_results.py "$OUT" --users "$USERS" || FAILED=1
echo
say "run directory: $OUT"
exit "$FAILED"
