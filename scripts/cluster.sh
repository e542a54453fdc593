#!/usr/bin/env bash
# A real local cluster with no containers: two app replicas on loopback ports, a throwaway
# PostgreSQL they share (scenarios, decks, layers), and Debian's nginx in front with the
# configuration of deploy/nginx/pve.conf.template, on 127.0.0.1:${PVE_PROXY_PORT:-8080}.
#
#   bash scripts/cluster.sh up|down|status
#
# Environment: PVE_PROXY_PORT (8080), PVE_REPLICAS (2), PVE_CLUSTER_DIR (where its state and
# logs go; default a folder under the system's temporary directory), PYTHON (python).
# `up` prints the proxy's address; its state (ports, process ids, DATABASE_URL) is in
# $PVE_CLUSTER_DIR/state.env for `status` and `down`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python}
DIR=${PVE_CLUSTER_DIR:-${TMPDIR:-/tmp}/pve-cluster}
STATE=$DIR/state.env
PORT=${PVE_PROXY_PORT:-8080}
REPLICAS=${PVE_REPLICAS:-2}
# serve under a path (e.g. /pve): nginx's locations and Streamlit's server.baseUrlPath
BASE=${PVE_BASE_PATH:-}
BASE=${BASE%/}
[ -z "$BASE" ] || [ "${BASE:0:1}" = / ] || BASE=/$BASE

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

need_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's nginx"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  fi
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || {
    echo "nginx is not installed and cannot be installed here (not root on Debian)" >&2
    exit 3
  }
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

wait_health() {  # url, seconds
  local url=$1 deadline=$((SECONDS + $2))
  until curl -sf "$url/_stcore/health" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

up() {
  if [ -f "$STATE" ]; then echo "already up (state in $STATE); run: $0 down" >&2; exit 1; fi
  need_nginx
  mkdir -p "$DIR"
  # shellcheck source=scripts/postgres.sh
  . scripts/postgres.sh
  start_postgres >"$DIR/postgres.out" 2>&1 || true
  if [ -z "${PVE_TEST_POSTGRES_URL:-}" ]; then
    cat "$DIR/postgres.out" >&2
    echo "PostgreSQL could not start: the cluster needs it for the shared database" >&2
    exit 3
  fi
  local url=$PVE_TEST_POSTGRES_URL
  {
    echo "PVE_PG_DIR=$PVE_PG_DIR"
    echo "PVE_PG_BIN=$PVE_PG_BIN"
    echo "DATABASE_URL=$url"
    echo "PROXY=http://127.0.0.1:$PORT$BASE"
    echo "BASE=$BASE"
  } >"$STATE"
  local ports=() upstreams="" secret
  # one cookie secret for every replica, so a browser moved to another replica keeps a valid
  # XSRF cookie (uploads)
  secret=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')
  for i in $(seq 1 "$REPLICAS"); do
    local p
    p=$(free_port)
    DATABASE_URL=$url STREAMLIT_SERVER_COOKIE_SECRET=$secret "$PY" -m streamlit run "$ROOT/app.py" --server.port "$p" \
      --server.address 127.0.0.1 --server.headless true --browser.gatherUsageStats false \
      --server.baseUrlPath "${BASE#/}" \
      >"$DIR/replica$i.log" 2>&1 &
    echo "REPLICA${i}_PID=$!" >>"$STATE"
    echo "REPLICA${i}_PORT=$p" >>"$STATE"
    ports+=("$p")
    upstreams+="    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"$'\n'
  done
  # nginx's own folder (configuration, temporary files, static cache) is one its workers can
  # reach: run as root, they work as an unprivileged user, and $DIR may be private (0700)
  local ndir
  ndir=$(mktemp -d "${TMPDIR:-/tmp}/pve-nginx.XXXXXX")
  chmod 755 "$ndir"
  echo "NGINX_DIR=$ndir" >>"$STATE"
  local conf=$ndir/pve.conf
  "$PY" - "$ROOT/deploy/nginx/pve.conf.template" "$conf" "127.0.0.1:$PORT" "$ndir" "$BASE" "$upstreams" <<'PYEOF'
import sys
src, out, listen, run, base, ups = sys.argv[1:]
text = open(src, encoding="utf-8").read()
for key, value in (("__LISTEN__", listen), ("__RUN_DIR__", run), ("__BASE_PATH__", base),
                   ("__UPSTREAMS__", ups.rstrip("\n"))):
    text = text.replace(key, value)
open(out, "w", encoding="utf-8").write(text)
PYEOF
  for i in $(seq 1 "$REPLICAS"); do
    wait_health "http://127.0.0.1:${ports[$((i - 1))]}$BASE" 180 || {
      echo "replica $i did not start (log: $DIR/replica$i.log)" >&2; down; exit 1; }
  done
  "$(nginx_bin)" -t -c "$conf" -p "$ndir" -e "$ndir/error.log" >"$DIR/nginx-test.out" 2>&1 || {
    cat "$DIR/nginx-test.out" >&2; down; exit 1; }
  "$(nginx_bin)" -c "$conf" -p "$ndir" -e "$ndir/error.log"
  echo "NGINX_CONF=$conf" >>"$STATE"
  wait_health "http://127.0.0.1:$PORT$BASE" 30 || { echo "nginx does not answer on $PORT" >&2; down; exit 1; }
  echo "cluster up: http://127.0.0.1:$PORT$BASE (replicas on ports ${ports[*]}; state in $STATE)"
}

down() {
  [ -f "$STATE" ] || { echo "not up"; return 0; }
  # shellcheck source=scripts/postgres.sh
  . scripts/postgres.sh  # first: it resets PVE_PG_DIR and PVE_PG_BIN, which the state sets
  # shellcheck disable=SC1090
  . "$STATE"
  if [ -n "${NGINX_CONF:-}" ]; then
    "$(nginx_bin)" -c "$NGINX_CONF" -p "$(dirname "$NGINX_CONF")" -e "$(dirname "$NGINX_CONF")/error.log" -s stop 2>/dev/null || true
  fi
  for v in $(compgen -v | grep -E '^REPLICA[0-9]+_PID$'); do
    kill "${!v}" 2>/dev/null || true
  done
  for v in $(compgen -v | grep -E '^REPLICA[0-9]+_PID$'); do
    for _ in $(seq 1 100); do kill -0 "${!v}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${!v}" 2>/dev/null || true
  done
  stop_postgres
  if [ -n "${NGINX_DIR:-}" ] && [ -d "$NGINX_DIR" ]; then rm -rf "$NGINX_DIR"; fi
  rm -f "$STATE"
  echo "cluster down"
}

status() {
  [ -f "$STATE" ] || { echo "not up"; return 1; }
  # shellcheck disable=SC1090
  . "$STATE"
  local ok=0
  echo "proxy $PROXY: $(curl -s -o /dev/null -w '%{http_code}' "$PROXY/_stcore/health" || true)"
  for v in $(compgen -v | grep -E '^REPLICA[0-9]+_PORT$'); do
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${!v}$BASE/_stcore/health" || true)
    echo "${v%_PORT} on ${!v}: $code"
    [ "$code" = 200 ] || ok=1
  done
  return $ok
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
