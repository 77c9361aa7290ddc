#!/usr/bin/env bash
# The certificates of one cluster's mutual TLS (docs/security.md, "Ports"): a private authority, made once
# and kept, and a certificate it issues for each named host. Silos and frontends accept only peers whose
# certificate this authority issued.
#
#   deploy/cluster-certificates.sh DIR NAME...
#
# Writes DIR/authority.crt and .key, and DIR/NAME.crt and .key for each NAME missing, all for this user only.
# The authority's key signs new hosts' certificates; keep it off the hosts that do not need it.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DIR NAME..." >&2; exit 2; }
dir=$1
shift
umask 077
mkdir -p "$dir"
command -v openssl >/dev/null || { echo "openssl is missing (apt-get install openssl)" >&2; exit 1; }

if [ ! -s "$dir/authority.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=OrleansSupport cluster authority" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/authority.key" -out "$dir/authority.crt" 2>/dev/null
fi

for name in "$@"; do
  [ -s "$dir/$name.crt" ] && [ -s "$dir/$name.key" ] && continue
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  # Server and client use: a silo accepts connections and makes them to other silos.
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/authority.crt" -CAkey "$dir/authority.key" -CAcreateserial -days 825 \
    -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n') \
    -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr"
done
