#!/bin/sh
# Runs the libFuzzer targets (Bedrock's event stream and Converse parsers, each market provider's
# parser, the CSV importer) for a bounded time each; fails on any crash, leak, sanitizer report
# or GLib CRITICAL or WARNING (libFuzzer exits non-zero on all of them; tests/fuzz/fuzz-glib.h
# turns a CRITICAL into an abort whose input is saved).
#
# Usage: [FUZZ_TARGETS="…"] tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS
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
# FUZZ_TARGETS picks some of them (e.g. "provider-yahoo csv-importer").
targets=${FUZZ_TARGETS:-"event-stream converse-response provider-alphavantage provider-finnhub
provider-yahoo provider-stooq csv-importer"}
ninja -C "$build" $(for t in $targets; do printf 'tests/fuzz/fuzz-%s ' "$t"; done) >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/event-stream" "$work/converse"
mkdir -p "$work/provider-alphavantage" "$work/provider-finnhub" "$work/provider-yahoo" \
  "$work/provider-stooq" "$work/csv-importer"

# Event-stream seeds: every vector, behind the split-position byte the target reads first.
find "$reference/bedrock/eventstream" -name '*.bin' | while IFS= read -r f; do
  seed="$work/event-stream/$(echo "$f" | tr '/' '_')"
  printf '\007' > "$seed"
  cat "$f" >> "$seed"
done
cp "$src"/tests/fuzz/seeds-converse/*.json "$work/converse/"
find "$reference/bedrock/eventstream/bedrock" -name '*.decoded.json' | while IFS= read -r f; do
  cp "$f" "$work/converse/$(echo "$f" | tr '/' '_')"
done

# Provider seeds: every fixture of a provider, behind the byte that picks the status and content
# type (0: HTTP 200 JSON; 20: HTTP 200 text/csv; see tests/fuzz/fuzz-provider.h).
for p in alphavantage finnhub yahoo stooq; do
  selector='\000'
  [ "$p" = stooq ] && selector='\024'
  find "$reference/market-apis" "$reference/providers" -name "${p}_*" 2>/dev/null | while IFS= read -r f; do
    seed="$work/provider-$p/$(basename "$f")"
    printf "$selector" > "$seed"
    cat "$f" >> "$seed"
  done
  # Inputs that once failed, kept whole (selector byte included).
  find "$src/tests/fuzz/regressions" -name "${p}-*" 2>/dev/null | while IFS= read -r f; do
    cp "$f" "$work/provider-$p/regression-$(basename "$f")"
  done
done
# CSV importer seeds: the CSV files of the tests, behind the date-format byte (0: detect).
find "$reference" -name '*.csv' -size -64k | while IFS= read -r f; do
  seed="$work/csv-importer/$(echo "$f" | tr '/' '_')"
  printf '\000' > "$seed"
  cat "$f" >> "$seed"
done
find "$src/tests/fuzz/regressions" -name 'csv-importer-*' 2>/dev/null | while IFS= read -r f; do
  cp "$f" "$work/csv-importer/regression-$(basename "$f")"
done

status=0
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for target in $targets; do
  corpus=$work/$target
  [ "$target" = converse-response ] && corpus=$work/converse
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
