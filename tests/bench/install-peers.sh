#!/bin/sh
# Installs, from Debian 12's own archive, the peers that bench-optimizer and bench-scenarios time
# in the same run: R with quadprog (quadprog-peer.R) and numpy (numpy-peer.py). Only the
# benchmarks need them, never the test suite (tests/install-deps.sh). Packages already present
# are skipped, so a second run costs a second.
set -eu

packages="
  r-base-core r-cran-quadprog
  python3 python3-numpy
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-peers: all packages present"
  exit 0
fi

echo "install-peers: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
