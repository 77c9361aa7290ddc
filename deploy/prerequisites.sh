#!/usr/bin/env bash
# Installs what building and running OrleansSupport needs besides the .NET 10 SDK, when it is missing.
# Debian packages only; safe to run again.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet was not found on PATH)." >&2
  exit 1
fi

missing=()
# npm installs the browser's SignalR client (@microsoft/signalr) at build time.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
if [ "${1:-}" = "--with-browser" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
