#!/usr/bin/env bash
# A local OrleansSupport cluster on loopback: PostgreSQL (its own data directory, port 55432, run as the
# postgres user), two silos and two web frontends (FRONTENDS=N for more, on ports 5081, 5082, ...), all in
# cluster mode, talking to each other over mutual TLS with certificates of the cluster's own authority.
#
#   deploy/cluster.sh start    build, start everything, print the URLs
#   deploy/cluster.sh stop     stop the processes this script started (by their PIDs), then PostgreSQL
#   deploy/cluster.sh status
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# ORLEANS_SUPPORT_CLUSTER_STATE puts a cluster of its own elsewhere (a benchmark that needs an empty database).
state=${ORLEANS_SUPPORT_CLUSTER_STATE:-$root/.run/cluster}
pg_data=$state/postgres
pg_port=${ORLEANS_SUPPORT_PG_PORT:-55432}
frontend_ports=()
for ((i = 0; i < ${FRONTENDS:-2}; i++)); do frontend_ports+=($((5081 + i))); done

connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=orleans_support"

common_environment() {
  export Storage__Provider=PostgreSQL
  export Storage__ConnectionString="$connection"
  export Cluster__Mode=AdoNet
  export Cluster__ClusterId=orleans-support
  export Cluster__ServiceId=orleans-support
  export Cluster__AdvertisedIP=127.0.0.1
  # The frontends sign and read login cookies with this cluster's own keys (a folder for this user only).
  export DataProtection__KeysDirectory="$state/keys"
  # Mutual TLS between silos and frontends, with this cluster's own authority (deploy/cluster-certificates.sh).
  export Cluster__Tls__Authority="$state/certificates/authority.crt"
  # Two glibc heaps per process, as in run.sh (docs/benchmarks.md, P5).
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
}

# Starts a host in the background and records its PID, so that stop ends exactly what start began.
# Its log is for this user only (the state folder itself stays enterable: PostgreSQL's data lives in it).
launch() {
  local name=$1 dir=$2 mask; shift 2
  mask=$(umask)
  umask 077
  (cd "$dir" && exec dotnet "$@") > "$state/$name.log" 2>&1 &
  echo $! > "$state/$name.pid"
  umask "$mask"
}

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$(cat "$state/$name.pid")" 2>/dev/null || { cat "$state/$name.log"; return 1; }
    sleep 1
  done
  echo "$name did not listen on $port within 60 s (log: $state/$name.log)" >&2
  return 1
}

start() {
  mkdir -p "$state"
  deploy/prerequisites.sh
  echo "Building..."
  dotnet publish Silo/Silo.csproj -c Release -o "$state/silo" --nologo -v quiet
  dotnet publish WebFrontend/WebFrontend.csproj -c Release -o "$state/web" --nologo -v quiet

  echo "Starting PostgreSQL on 127.0.0.1:$pg_port..."
  deploy/postgres.sh start "$pg_data" "$pg_port" >/dev/null

  common_environment
  deploy/cluster-certificates.sh "$state/certificates" silo frontend
  if [ ! -s "$state/supervisor-password" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$state/supervisor-password"
    chmod 600 "$state/supervisor-password"
  fi
  export Accounts__Supervisor__UserName=supervisor
  export Accounts__Supervisor__Password="$(cat "$state/supervisor-password")"
  for i in 0 1; do
    Cluster__SiloPort=$((11111 + i)) Cluster__GatewayPort=$((30000 + i)) Health__Urls="http://127.0.0.1:$((18081 + i))" \
      Cluster__Tls__Certificate="$state/certificates/silo.crt" Cluster__Tls__Key="$state/certificates/silo.key" \
      launch "silo$i" "$state/silo" OrleansSupport.Silo.dll
    wait_port $((30000 + i)) "silo$i"
  done
  for i in "${!frontend_ports[@]}"; do
    Cluster__Tls__Certificate="$state/certificates/frontend.crt" Cluster__Tls__Key="$state/certificates/frontend.key" \
      launch "web$i" "$state/web" OrleansSupport.WebFrontend.dll --urls "http://127.0.0.1:${frontend_ports[$i]}"
    wait_port "${frontend_ports[$i]}" "web$i"
  done

  echo
  echo "OrleansSupport cluster is running (logs in $state):"
  for port in "${frontend_ports[@]}"; do
    echo "  http://127.0.0.1:$port/   (operators: /operator.html)"
  done
  echo "First login: supervisor / $Accounts__Supervisor__Password"
  echo "Stop it with: deploy/cluster.sh stop"
}

stop() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  [ -d "$pg_data" ] && deploy/postgres.sh stop "$pg_data" >/dev/null
  echo "Stopped."
}

status() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || { echo "not running"; return 0; }
    name=$(basename "$pidfile" .pid)
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$name: running"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
