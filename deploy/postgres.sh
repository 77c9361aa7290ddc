#!/usr/bin/env bash
# A private PostgreSQL instance for development and tests, kept in a data directory of its own.
#
#   deploy/postgres.sh start  <data-dir> <port>   initialise if empty, start, create orleans_support;
#                                                 prints the connection string as its last line
#   deploy/postgres.sh stop   <data-dir>          fast shutdown; fine if it is not running
#   deploy/postgres.sh status <data-dir>          exit 0 when running, 3 when not (as pg_ctl does)
#
# It never touches Debian's default cluster (/etc/postgresql, port 5432) nor any server it did not
# start from <data-dir>: installing the package may start that cluster, and it is left as it is.
set -euo pipefail

readonly DATABASE=orleans_support
readonly READY_TIMEOUT=30

usage() {
  echo "usage: $0 start <data-dir> <port> | stop <data-dir> | status <data-dir>" >&2
  exit 2
}

# The newest server installed; Debian keeps each major version under /usr/lib/postgresql/<major>/bin.
find_bindir() {
  local ctl
  ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$ctl" ]; then dirname "$ctl"; fi
}

ensure_server_installed() {
  if [ -z "$(find_bindir)" ]; then
    echo "PostgreSQL server binaries are missing; installing Debian's postgresql package..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  BINDIR=$(find_bindir)
  if [ -z "$BINDIR" ]; then
    echo "PostgreSQL server binaries are still missing after the install." >&2
    exit 1
  fi
}

# Everything that touches the data directory runs as postgres, from a directory postgres can enter.
as_postgres() {
  (cd / && runuser -u postgres -- "$@")
}

is_running() {
  [ -f "$DATADIR/PG_VERSION" ] && as_postgres "$BINDIR/pg_ctl" status -D "$DATADIR" >/dev/null 2>&1
}

# The port a running server really listens on: line 4 of postmaster.pid.
running_port() {
  sed -n 4p "$DATADIR/postmaster.pid"
}

# Unix sockets have a path limit of about 107 bytes; fall back to /tmp for deep data directories.
socket_dir() {
  if [ $(( ${#DATADIR} + 20 )) -lt 100 ]; then echo "$DATADIR"; else echo /tmp; fi
}

init_if_empty() {
  mkdir -p "$DATADIR"
  if [ -z "$(ls -A "$DATADIR")" ]; then
    chown postgres:postgres "$DATADIR"
    chmod 700 "$DATADIR"
    # Every parent must be enterable by postgres, or initdb fails with a less helpful message.
    if ! runuser -u postgres -- test -w "$DATADIR"; then
      echo "The postgres user cannot write $DATADIR (check the permissions of its parents)." >&2
      exit 1
    fi
    # trust: a throwaway instance that listens only on 127.0.0.1. C collation, UTF8: the same on any machine.
    as_postgres "$BINDIR/initdb" -D "$DATADIR" --auth=trust --username=postgres \
      --encoding=UTF8 --locale=C >/dev/null
  elif [ ! -f "$DATADIR/PG_VERSION" ]; then
    echo "$DATADIR is neither empty nor a PostgreSQL data directory; refusing to use it." >&2
    exit 1
  fi
}

wait_ready() {
  local port=$1 waited=0
  until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
    if [ "$waited" -ge "$READY_TIMEOUT" ]; then
      echo "PostgreSQL did not accept connections on 127.0.0.1:$port within ${READY_TIMEOUT}s; see $DATADIR/server.log:" >&2
      tail -n 20 "$DATADIR/server.log" >&2 || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

ensure_database() {
  local port=$1
  local psql=("$BINDIR/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
    # Another start may create it in between; only a database that is still missing is an error.
    "${psql[@]}" -c "CREATE DATABASE $DATABASE" 2>/dev/null \
      || [ -n "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]
  fi
}

cmd_start() {
  local port=$1
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "Not a port: $port" >&2
    exit 2
  fi
  ensure_server_installed
  init_if_empty
  if is_running; then
    local actual
    actual=$(running_port)
    if [ "$actual" != "$port" ]; then
      echo "The server of $DATADIR is already running on port $actual, not $port; stop it first." >&2
      exit 1
    fi
    echo "Already running: $DATADIR (port $port)." >&2
  else
    touch "$DATADIR/server.log"
    chown postgres:postgres "$DATADIR/server.log"
    # Only 127.0.0.1, the given port, and a socket directory of our own: nothing shared with other clusters.
    if ! as_postgres "$BINDIR/pg_ctl" start -D "$DATADIR" -l "$DATADIR/server.log" -w -t "$READY_TIMEOUT" \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$(socket_dir)' -c max_connections=300" >/dev/null; then
      echo "PostgreSQL failed to start; see $DATADIR/server.log:" >&2
      tail -n 20 "$DATADIR/server.log" >&2 || true
      exit 1
    fi
  fi
  wait_ready "$port"
  ensure_database "$port"
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$DATABASE"
}

cmd_stop() {
  BINDIR=$(find_bindir)
  if [ -z "$BINDIR" ] || ! is_running; then
    echo "Not running: $DATADIR."
    return 0
  fi
  as_postgres "$BINDIR/pg_ctl" stop -D "$DATADIR" -m fast -w -t "$READY_TIMEOUT" >/dev/null
  echo "Stopped: $DATADIR."
}

cmd_status() {
  BINDIR=$(find_bindir)
  if [ -n "$BINDIR" ] && is_running; then
    echo "Running: $DATADIR (pid $(sed -n 1p "$DATADIR/postmaster.pid"), port $(running_port))."
    return 0
  fi
  echo "Not running: $DATADIR."
  return 3
}

[ $# -ge 2 ] || usage
action=$1
# Absolute, so that running as postgres from / still finds it.
DATADIR=$(realpath -m -- "$2")
BINDIR=

case "$action" in
  start) [ $# -eq 3 ] || usage; cmd_start "$3" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop ;;
  status) [ $# -eq 2 ] || usage; cmd_status ;;
  *) usage ;;
esac
