#!/usr/bin/env bash
# Prepares this checkout to run: system libraries, .venv and the pinned Python packages.
#
#   bash scripts/bootstrap.sh               what the portal needs (called by scripts/start.sh)
#   bash scripts/bootstrap.sh --test-tools  plus Chromium, poppler-utils and fonts-liberation2 (scripts/test.sh)
#
# Installs the dependencies and the "dev" extra of pyproject.toml, at the versions pinned in constraints.txt,
# and only again when pyproject.toml, constraints.txt or the Python version changed (stamp file in .venv).
# Missing Debian packages are installed with apt-get when run as root; otherwise it stops and prints the
# exact command to run. Prints nothing when there is nothing to do. Run it as a command, not with `source`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.bootstrap-stamp"
MIN_PYTHON="3.11"

TEST_TOOLS=0
for arg in "$@"; do
    case "$arg" in
        --test-tools) TEST_TOOLS=1 ;;
        *) echo "bootstrap: unknown option $arg (only --test-tools)" >&2; exit 2 ;;
    esac
done

say() { echo "bootstrap: $*" >&2; }
die() { echo "bootstrap: ERROR: $*" >&2; exit 1; }

# Installs Debian packages as root (apt-get update first), or stops with the command a person must run.
apt_install() {
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian packages: $*"
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null \
            || die "apt-get update failed"
        apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null \
            || die "apt-get install $* failed"
    elif command -v apt-get >/dev/null 2>&1; then
        die "missing system packages. Run:
    sudo apt-get update && sudo apt-get install -y $*
then run this command again."
    else
        die "missing system packages (Debian names): $*. Install their equivalents, then run this command again."
    fi
}

LIBS=""  # `ldconfig -p`, read once (a pipe into `grep -q` could fail with SIGPIPE under pipefail)
has_lib() {
    if [ -z "$LIBS" ]; then
        LIBS="$("$(command -v ldconfig || echo /sbin/ldconfig)" -p 2>/dev/null || true)"
    fi
    grep -q "[[:space:]]$1 " <<<"$LIBS"
}

# --- Python interpreter -------------------------------------------------------------------------------------

python_ok() {  # is $1 a Python >= MIN_PYTHON?
    "$1" -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$MIN_PYTHON'.split('.'))))" 2>/dev/null
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [ -x "$VENV/bin/python" ] && ! python_ok "$VENV/bin/python"; then
    say "$VENV is broken or older than Python $MIN_PYTHON; creating it again"
    rm -rf "$VENV"
fi

MISSING=()  # Debian packages to install
PY=""       # the interpreter to create .venv with, if it must be created
if [ ! -x "$VENV/bin/python" ]; then
    PY="$(find_python)" || die "Python $MIN_PYTHON or newer not found (tried python3, python3.13, python3.12, python3.11;
set PYTHON=/path/to/python3 to choose one)."
    if ! "$PY" -c "import ensurepip, venv" 2>/dev/null; then
        # Debian ships venv's pip bootstrap in a separate package.
        MISSING+=("python$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
    fi
fi

# --- System libraries ---------------------------------------------------------------------------------------

# WeasyPrint (PDF forms) loads Pango >= 1.44, PangoFT2 and HarfBuzz-subset at import time.
has_lib libpango-1.0.so.0 || MISSING+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || MISSING+=(libpangoft2-1.0-0)
has_lib libharfbuzz-subset.so.0 || MISSING+=(libharfbuzz-subset0)

if [ "$TEST_TOOLS" -eq 1 ]; then
    # Playwright drives Debian's Chromium (never `playwright install`); PDF tests read PDFs with poppler.
    [ -x /usr/bin/chromium ] || MISSING+=(chromium)
    { command -v pdffonts && command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || MISSING+=(poppler-utils)
    [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || MISSING+=(fonts-liberation2)
fi

if [ "${#MISSING[@]}" -gt 0 ]; then
    apt_install "${MISSING[@]}"
fi

if [ -n "$PY" ]; then
    say "creating .venv with $PY ($("$PY" --version 2>&1))"
    "$PY" -m venv "$VENV" || die "could not create $VENV"
fi

# --- Python packages ----------------------------------------------------------------------------------------

[ -f "$ROOT/constraints.txt" ] || die "constraints.txt is missing"

WANT="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" <("$VENV/bin/python" -VV) | sha256sum | cut -d' ' -f1)"
HAVE="$(cat "$STAMP" 2>/dev/null || true)"

if [ "$WANT" != "$HAVE" ]; then
    say "installing Python packages pinned in constraints.txt into .venv"
    REQS="$(mktemp)"
    LOG="$(mktemp)"
    trap 'rm -f "$REQS" "$LOG"' EXIT
    # The project's own dependencies plus the "dev" extra, read from pyproject.toml. The project itself is
    # not installed (it has no package to install), so no build backend needs to be fetched.
    "$VENV/bin/python" - "$ROOT/pyproject.toml" >"$REQS" <<'PY'
import sys
import tomllib

with open(sys.argv[1], "rb") as f:
    project = tomllib.load(f)["project"]
for requirement in project["dependencies"] + project.get("optional-dependencies", {}).get("dev", []):
    print(requirement)
PY
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_PROGRESS_BAR=off
    # pip's output is shown only if it fails.
    "$VENV/bin/python" -m pip install -r "$REQS" -c "$ROOT/constraints.txt" >"$LOG" 2>&1 \
        || { cat "$LOG" >&2; die "pip install failed (see above)"; }
    "$VENV/bin/python" -m pip check >/dev/null || { "$VENV/bin/python" -m pip check >&2; die "pip check failed"; }
    "$VENV/bin/python" -c "from weasyprint.text.ffi import pango; assert pango.pango_version() >= 14400" \
        2>/dev/null || die "WeasyPrint cannot load Pango >= 1.44. On Debian/Ubuntu:
    sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    echo "$WANT" >"$STAMP"
fi
