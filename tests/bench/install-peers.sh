#!/bin/sh
# Installs, from Debian 12's own archive, the peers the benchmarks time in the same run: R with
# quadprog (bench-optimizer's quadprog-peer.R), numpy (bench-scenarios' numpy-peer.py), QuantLib
# and SciPy (bench-rates' quantlib-peer.py). Only the benchmarks need them, never the test suite.
set -eu

exec sh "$(dirname "$0")/../install-deps.sh" r-base-core r-cran-quadprog python3 python3-numpy quantlib-python python3-scipy
