#!/usr/bin/env bash
# The one test command: installs what the tests need, builds the England bundle when the
# official files are there, then runs every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}

"$PY" -m pip install -q --disable-pip-version-check -r requirements.txt

# Debian packages the browser, database and board-pack tests need (root on Debian: installed here).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
# the chart theme's font (Liberation Sans): without it charts are drawn wider in a fallback font
compgen -G "/usr/share/fonts/truetype/liberation*/LiberationSans-Regular.ttf" >/dev/null || need+=(fonts-liberation2)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
# the board pack's render check opens the PowerPoint file in LibreOffice (headless)
[ -x /usr/bin/soffice ] || need+=(libreoffice-impress)
# the local cluster's proxy (scripts/cluster.sh; tests/e2e/test_cluster.py)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages (${need[*]}): the tests that need them will be skipped." >&2
  fi
fi

# Real England data: built from the official files when the folder is there.
RAW=${PVE_RAW_DIR:-../shared/data/raw}
if [ -d "$RAW" ]; then
  RAW=$(cd "$RAW" && pwd)
  export PVE_RAW_DIR="$RAW"
  "$PY" -m dashboard build-england --raw "$RAW" --out data/england
else
  echo "No official data folder at $RAW: England tests will be skipped (set PVE_RAW_DIR)." >&2
fi

# PostgreSQL for the store tests: a throwaway cluster on 127.0.0.1, stopped on exit.
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
trap stop_postgres EXIT
start_postgres

status=0
"$PY" -m pytest "$@" || status=$?
exit "$status"
