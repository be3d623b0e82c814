#!/usr/bin/env bash
# Start a PostgreSQL cluster on loopback for the store tests. Idempotent:
# reuses the cluster in $GITCREW_PG_DIR and a server that already answers.
# Tests find it through GITCREW_TEST_PG_URL (default below).
set -euo pipefail

PG_BIN="${GITCREW_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PG_DIR="${GITCREW_PG_DIR:-/var/tmp/gitcrew-pg}"
PG_PORT="${GITCREW_PG_PORT:-54329}"
PG_USER_OS=postgres

if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "PostgreSQL server binaries not found; run scripts/setup.sh test (as root)" >&2
  exit 1
fi

# initdb and postgres refuse to run as root: run them as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_USER_OS" -- "$@"; else "$@"; fi
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PG_DIR"
  chown "$PG_USER_OS" "$PG_DIR"
  chmod 700 "$PG_DIR"
fi

if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
  echo "initialising PostgreSQL cluster in $PG_DIR/data"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
fi

if ! "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; then
  # After a machine restart the lock file names a pid that may now belong to
  # another process, and postgres then refuses to start: drop it.
  lock="$PG_DIR/data/postmaster.pid"
  if [ -f "$lock" ]; then
    pid="$(head -1 "$lock")"
    if ! grep -qx 'postgres' "/proc/$pid/comm" 2>/dev/null; then
      echo "removing stale $lock"
      rm -f "$lock"
    fi
  fi
  echo "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # Sockets go in the cluster dir so that no system directory is needed.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200 -c fsync=on" >/dev/null
fi

psql_admin() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_admin -c "select 1 from pg_roles where rolname='gitcrew'")" != 1 ]; then
  psql_admin -c "create role gitcrew login password 'gitcrew'"
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname='gitcrew'")" != 1 ]; then
  psql_admin -c "create database gitcrew owner gitcrew"
fi

echo "PostgreSQL ready: GITCREW_TEST_PG_URL=postgres://gitcrew:gitcrew@127.0.0.1:$PG_PORT/gitcrew"
