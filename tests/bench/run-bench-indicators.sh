#!/bin/sh
# Builds bench-indicators with its peers (TA-Lib and Tulip Indicators from their npm packages, see
# build-peers.sh) in the build folder, then runs it.
#
#   run-bench-indicators.sh NINJA BUILDDIR
#
# The benchmark() runs this script rather than naming the executable: meson builds whatever a
# benchmark names as part of every default build, and a plain `meson compile` must not run npm.
# Benchmarks run one at a time, so this ninja call does not race another.

set -eu

"$1" -C "$2" tests/bench/bench-indicators >&2
exec "$2/tests/bench/bench-indicators"
