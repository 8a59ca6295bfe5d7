#!/bin/sh
# Installs, from Debian 12's own archive, the peers that bench-optimizer and bench-scenarios time
# in the same run: R with quadprog (quadprog-peer.R) and numpy (numpy-peer.py). Only the
# benchmarks need them, never the test suite.
set -eu

exec sh "$(dirname "$0")/../install-deps.sh" r-base-core r-cran-quadprog python3 python3-numpy
