#!/bin/sh
# Runs the Bedrock libFuzzer targets for a bounded time each; fails on any crash, leak or
# sanitizer report (libFuzzer exits non-zero on all of them).
#
# Usage: tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS
# BUILD_DIR must be a clang build with -Dfuzzing=true; if it does not exist it is created so.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
seconds=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
reference=$src/tests/data

if [ ! -d "$build" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true >/dev/null
fi
ninja -C "$build" tests/fuzz/fuzz-event-stream tests/fuzz/fuzz-converse-response >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/event-stream" "$work/converse"

# Event-stream seeds: every vector, behind the split-position byte the target reads first.
for f in $(find "$reference/bedrock/eventstream" -name '*.bin'); do
  seed="$work/event-stream/$(echo "$f" | tr '/' '_')"
  printf '\007' > "$seed"
  cat "$f" >> "$seed"
done
cp "$src"/tests/fuzz/seeds-converse/*.json "$work/converse/"
for f in $(find "$reference/bedrock/eventstream/bedrock" -name '*.decoded.json'); do
  cp "$f" "$work/converse/$(echo "$f" | tr '/' '_')"
done

status=0
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for target in event-stream converse-response; do
  corpus=$work/$(echo "$target" | sed 's/converse-response/converse/')
  echo "== fuzz-$target for ${seconds}s"
  mkdir -p "$build/fuzz-artifacts"
  if ! "$build/tests/fuzz/fuzz-$target" -artifact_prefix="$build/fuzz-artifacts/" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 "$corpus" > "$work/$target.log" 2>&1; then
    tail -n 60 "$work/$target.log"
    echo "fuzz-$target FAILED" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|Done' "$work/$target.log" | tail -n 2
  fi
done
exit $status
