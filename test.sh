#!/usr/bin/env bash
# Runs every OrleansSupport test and ends with one line: "N passed, N failed" (", N skipped" if any).
set -uo pipefail
cd "$(dirname "$0")"

deploy/prerequisites.sh --with-browser || exit 1
dotnet build OrleansSupport.sln -c Release --nologo -v quiet || exit 1

results=.run/test-results
rm -rf "$results"
dotnet test OrleansSupport.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?

# Sum the counters of every test project's TRX report.
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "=\""); v = kv[2]; sub(/".*/, "", v); c[kv[1]] += v } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1 # the run broke before reporting (a crash, a build step): never report it green
fi

# Name every failed test with the first lines of its message, last, where a truncated log still shows them.
cat "$results"/*.trx 2>/dev/null | awk '
  /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); inside = 1; next }
  inside && /<Message>/ { sub(/.*<Message>/, ""); printf "FAILED %s: ", name; inside = 0; message = 1; lines = 0 }
  message { done = sub(/<\/Message>.*/, ""); if (lines++ < 12) print substr($0, 1, 400); if (done) message = 0; next }
  inside && /<\/UnitTestResult>/ { print "FAILED " name; inside = 0 }'

line="${passed:-0} passed, ${failed:-0} failed"
[ "${skipped:-0}" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit "$status"
