# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster on 127.0.0.1 for the store tests.
# start_postgres exports PVE_TEST_POSTGRES_URL (or says why the tests will skip);
# stop_postgres stops the cluster and deletes its folder.
PVE_PG_DIR=""
PVE_PG_BIN=""

_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ -n "${PVE_TEST_POSTGRES_URL:-}" ]; then
    echo "Using the PostgreSQL in PVE_TEST_POSTGRES_URL for the store tests."
    return 0
  fi
  PVE_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PVE_PG_BIN" ] || [ ! -x "$PVE_PG_BIN/initdb" ]; then
    echo "No PostgreSQL server binaries: the PostgreSQL store tests will be skipped." >&2
    return 0
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "No 'postgres' user to run the server: the PostgreSQL store tests will be skipped." >&2
    return 0
  fi
  PVE_PG_DIR=$(mktemp -d)
  [ "$(id -u)" = 0 ] && chown postgres "$PVE_PG_DIR"
  local port
  port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if ! { _pg_as_owner "$PVE_PG_BIN/initdb" -D "$PVE_PG_DIR/data" -A trust -U pve -E UTF8 \
      --no-sync >/dev/null &&
    _pg_as_owner "$PVE_PG_BIN/pg_ctl" -D "$PVE_PG_DIR/data" -l "$PVE_PG_DIR/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $PVE_PG_DIR -F -c max_connections=100" start >/dev/null &&
    _pg_as_owner "$PVE_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U pve pve_test; }; then
    echo "PostgreSQL did not start (log: $PVE_PG_DIR/server.log): its store tests will be skipped." >&2
    return 0
  fi
  export PVE_TEST_POSTGRES_URL="postgresql+psycopg://pve@127.0.0.1:$port/pve_test"
  echo "PostgreSQL $("$PVE_PG_BIN/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "$PVE_PG_DIR" ] && [ -d "$PVE_PG_DIR/data" ]; then
    _pg_as_owner "$PVE_PG_BIN/pg_ctl" -D "$PVE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PVE_PG_DIR"
  fi
}
