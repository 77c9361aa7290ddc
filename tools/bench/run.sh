#!/usr/bin/env bash
# Runs one benchmark scenario of docs/benchmarks.md and keeps its JSON result in .run/bench/.
#
#   tools/bench/run.sh p1 | p1-cluster | p2 | p3 | p4 | p5 | p6 | p6-cluster | p7 [extra load generator options]
#   tools/bench/run.sh queue-store [--lengths 1000,50000] [--changes 200] [--batch 50]
#   tools/bench/run.sh hot-queue [--waiting 1000 50000 100000] [--callers 64] [--rate 5000] [other options: --help]
#
# p1..p7 start the embedded default themselves (one silo on SQLite, one frontend; stopped at the end).
# p7 runs the same chat load twice, on one frontend and on three, to compare the frontends' summed CPU.
# p1-cluster starts deploy/cluster.sh with 2 silos, 3 frontends and PostgreSQL, and loads it from
# 3 generator processes (each process may hold at most 20,000 open files here), then stops the cluster.
# p6-cluster does the same with a surge of 51,000 into one queue (issue 16, point 5).
# queue-store measures the storage of one queue change alone (tools/QueueStoreBench), on SQLite files in
# .run/bench and on a private PostgreSQL it starts with deploy/postgres.sh and stops at the end.
# hot-queue measures one language queue on its own (tools/HotQueueBench: a silo in the benchmark's process,
# set up by the Silo's own code, called directly): joins and dequeues a second by line length, and a surge of
# 5,000 joins a second at 100,000 waiting; on SQLite in .run/bench and on a private PostgreSQL, as queue-store.
# It builds only its own project; the other scenarios build the solution.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scenario=${1:?usage: tools/bench/run.sh p1|p1-cluster|p2|p3|p4|p5|p6|p6-cluster|p7|queue-store|hot-queue [options]}
shift

deploy/prerequisites.sh
if [ "$scenario" = hot-queue ]; then
  dotnet build tools/HotQueueBench -c Release --nologo -v quiet
else
  dotnet build OrleansSupport.sln -c Release --nologo -v quiet
fi
mkdir -p .run/bench
generator=(dotnet "$root/tools/LoadGenerator/bin/Release/net10.0/OrleansSupport.LoadGenerator.dll")
stamp=$(date -u +%Y%m%dT%H%M%SZ)

# Starts a private PostgreSQL (deploy/postgres.sh) on the first free loopback port from 55500 and sets $server
# to its connection string; at exit it is stopped and removed, with the paths given after its name.
start_private_postgres() {
  # The data directory's parents must be enterable by the postgres user: not under /root.
  pgdata=/tmp/orleans-support-$1-$$
  shift
  local port=55500
  while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
  removed=("$pgdata" "$@")
  trap 'deploy/postgres.sh stop "$pgdata"; rm -rf "${removed[@]}"' EXIT
  server=$(deploy/postgres.sh start "$pgdata" "$port" | tail -n 1)
}

# Loads the local cluster's three frontends from three generator processes (each process may hold at most
# 20,000 open files here), waits for them all and prints their reports; fails if one failed. $1 names the
# result files, $2 is the first generator's operators (the others run none), the rest go to every generator.
load_cluster_from_three_generators() {
  local name=$1 first_operators=$2 urls=http://127.0.0.1:5081,http://127.0.0.1:5082,http://127.0.0.1:5083
  shift 2
  local pids=() status=0 i operators pid
  for i in 0 1 2; do
    operators=0
    if [ "$i" = 0 ]; then operators=$first_operators; fi
    "${generator[@]}" --url "$urls" --operators "$operators" --quiet --output ".run/bench/$name-$stamp-$i.json" "$@" \
      > ".run/bench/$name-$stamp-$i.txt" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  cat .run/bench/"$name-$stamp"-*.txt
  return "$status"
}

case "$scenario" in
  p1) exec "${generator[@]}" --scenario connections --output ".run/bench/p1-$stamp.json" "$@" ;;
  p2) exec "${generator[@]}" --scenario storm --output ".run/bench/p2-$stamp.json" "$@" ;;
  p3) exec "${generator[@]}" --scenario throughput --output ".run/bench/p3-$stamp.json" "$@" ;;
  p4) exec "${generator[@]}" --scenario spike --output ".run/bench/p4-$stamp.json" "$@" ;;
  p5) exec "${generator[@]}" --scenario soak --output ".run/bench/p5-$stamp.json" "$@" ;;
  p6) exec "${generator[@]}" --scenario surge --output ".run/bench/p6-$stamp.json" "$@" ;;
  p7)
    for n in 1 3; do
      "${generator[@]}" --scenario scaleout --frontends "$n" --output ".run/bench/p7-$stamp-$n.json" "$@"
    done
    ;;
  p1-cluster)
    # Every session comes from 127.0.0.1: the per-address limit on new chats is off for the run.
    export Support__Limits__SessionsPerAddressPerMinute=0
    FRONTENDS=3 deploy/cluster.sh start
    trap 'deploy/cluster.sh stop' EXIT
    load_cluster_from_three_generators p1-cluster 0 --scenario connections --customers 16667 --ramp 100 --duration 240 "$@"
    ;;
  p6-cluster)
    # 51,000 into the English queue at 120 a second over the local cluster, three generator processes (each
    # may hold at most 20,000 open files); the first one also runs 2 operators of capacity 1, so every number
    # moves while the line builds up to over 50,000. At 300 a second the two cores of this machine are full
    # and customers time out (docs/benchmarks.md, "P6 on the local cluster").
    # A cluster of its own, on an empty database: waiters left by an earlier run would be measured too.
    export Support__Limits__SessionsPerAddressPerMinute=0
    export ORLEANS_SUPPORT_CLUSTER_STATE=$root/.run/bench/p6-cluster-$stamp-state
    FRONTENDS=3 deploy/cluster.sh start
    # The state folder goes at exit; what the servers warned of stays, counted and with its first lines.
    keep_warnings() {
      local kept=".run/bench/p6-cluster-$stamp-warnings" log
      mkdir -p "$kept"
      for log in "$ORLEANS_SUPPORT_CLUSTER_STATE"/*.log; do
        grep -E '^(warn|fail|crit): ' "$log" | sort | uniq -c | sort -rn > "$kept/$(basename "$log" .log)-counts.txt" || true
        grep -m 100 -A 15 -E '^(warn|fail|crit): ' "$log" > "$kept/$(basename "$log" .log)-first.txt" || true
      done
    }
    trap 'deploy/cluster.sh stop; keep_warnings; rm -rf "$ORLEANS_SUPPORT_CLUSTER_STATE"' EXIT
    ORLEANS_SUPPORT_SUPERVISOR_PASSWORD=$(cat "$ORLEANS_SUPPORT_CLUSTER_STATE/supervisor-password")
    export ORLEANS_SUPPORT_SUPERVISOR_PASSWORD
    load_cluster_from_three_generators p6-cluster 2 --scenario surge --customers 17000 --ramp 40 --duration 540 "$@"
    ;;
  queue-store)
    sqlite=".run/bench/queue-store-$stamp"
    start_private_postgres queue-bench "$sqlite"
    dotnet "$root/tools/QueueStoreBench/bin/Release/net10.0/OrleansSupport.QueueStoreBench.dll" \
      --directory "$sqlite" --postgres "$server" "$@" \
      | tee ".run/bench/queue-store-$stamp.txt"
    ;;
  hot-queue)
    sqlite=".run/bench/hot-queue-$stamp"
    start_private_postgres hot-queue-bench "$sqlite"
    # Exits 3 when a surge did not pass the floor; the tables are printed either way.
    dotnet "$root/tools/HotQueueBench/bin/Release/net10.0/OrleansSupport.HotQueueBench.dll" \
      --providers Sqlite PostgreSQL --sqlite-directory "$sqlite" --postgres "$server" \
      --json ".run/bench/hot-queue-$stamp.json" "$@" \
      | tee ".run/bench/hot-queue-$stamp.txt"
    ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
