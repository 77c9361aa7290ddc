#!/usr/bin/env bash
# Starts the whole OrleansSupport system on this machine: one silo on the embedded SQLite store
# (./data) and the web frontend. Prints the URL; Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

deploy/prerequisites.sh
# What this makes from here on (the database, the keys that sign login cookies, the logs) is for this
# user only; set after the prerequisites, whose packages keep their own modes.
umask 077
echo "Building..."
dotnet publish Silo/Silo.csproj -c Release -o .run/silo --nologo -v quiet
dotnet publish WebFrontend/WebFrontend.csproj -c Release -o .run/web --nologo -v quiet

mkdir -p data .run
chmod 700 data
export Storage__ConnectionString="Data Source=$root/data/orleans-support.db"
# This deployment's own keys for login cookies: a cookie of another instance is refused here.
export DataProtection__KeysDirectory="$root/data/keys"
# Two glibc heaps per process instead of one per thread (up to 16 here): SQLite's native allocations
# spread over many heaps kept the silo growing through the 20-minute soak (docs/benchmarks.md, P5).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# The first supervisor: a random password made once for this machine's data, kept beside it (never in git).
if [ ! -s data/supervisor-password ]; then
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > data/supervisor-password
  chmod 600 data/supervisor-password
fi
export Accounts__Supervisor__UserName="${Accounts__Supervisor__UserName:-supervisor}"
export Accounts__Supervisor__Password="${Accounts__Supervisor__Password:-$(cat data/supervisor-password)}"
url="${ORLEANS_SUPPORT_URL:-http://127.0.0.1:5080}"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

(cd .run/silo && exec dotnet OrleansSupport.Silo.dll) > .run/silo.log 2>&1 &
pids+=($!)
echo "Waiting for the silo (log: .run/silo.log)..."
for _ in $(seq 1 60); do
  if (echo > /dev/tcp/127.0.0.1/30000) 2>/dev/null; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || { cat .run/silo.log; exit 1; }
  sleep 1
done

(cd .run/web && exec dotnet OrleansSupport.WebFrontend.dll --urls "$url") > .run/web.log 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  if curl -fs "$url/" >/dev/null 2>&1; then break; fi
  kill -0 "${pids[1]}" 2>/dev/null || { cat .run/web.log; exit 1; }
  sleep 1
done

echo
echo "OrleansSupport is running:"
echo "  help center:    $url/"
echo "  operator page:  $url/operator.html"
echo "  first login:    $Accounts__Supervisor__UserName / $Accounts__Supervisor__Password  (supervisor; creates operators)"
echo "Logs in .run/. Press Ctrl+C to stop."
wait
