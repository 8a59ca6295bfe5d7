#!/bin/sh
# The whole test suite, as CI runs it: installs what is missing, then builds and tests twice —
# a normal build and an AddressSanitizer + UndefinedBehaviorSanitizer build — headless, under
# Xvfb, in a private D-Bus session with an unlocked gnome-keyring. Warnings are errors.
# After each build's tests, tests/suite-check.py makes sure no test key reached a file the tests
# wrote and that nothing skipped unless tests/allowed-skips.txt allows it.
# Exits non-zero if anything fails.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh tests/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
status=0
summary=""

configure () {
  dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

# Runs "$@" in a private session bus with a fresh home, an unlocked keyring and a virtual display.
# TMPDIR (set by the caller) holds the home and every temporary folder the tests make.
headless () {
  dbus-run-session -- sh -c '
    export HOME="$(mktemp -d)" XDG_RUNTIME_DIR="$(mktemp -d)"
    export XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
    export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
    chmod 700 "$XDG_RUNTIME_DIR"
    eval "$(printf %s sextant-test | gnome-keyring-daemon --unlock --components=secrets)"
    export SEXTANT_TEST_REQUIRE_KEYRING=1
    echo "$HOME" > "$SEXTANT_HOME_RECORD"
    exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@"' sh "$@" 2>&1 \
    | grep -v "Failed to set fd limit" || true
}

# Counts $1 more failures of check $2 (a line of the summary).
fail_check () {
  status=1
  total_fail=$(( ${total_fail:-0} + $1 ))
  summary="$summary
  $2: $1 failed"
}

run_suite () {
  name=$1; dir=$2; test_options=$3; shift 3
  echo "== $name: configure and build"
  configure "$dir" -Dwerror=true "$@"
  meson compile -C "$dir"
  echo "== $name: test"
  # Every file the tests write lands in this build's folder, fresh for each run, so that the
  # secret-leak check can read all of it: test-output, meson-logs and test-tmp (TMPDIR, hence
  # the test HOME, XDG_RUNTIME_DIR and every folder from g_dir_make_tmp or mktemp).
  rm -rf "$dir/test-tmp" "$dir/test-output" "$dir/meson-logs/testlog.json"
  mkdir -p "$dir/test-tmp"
  chmod 700 "$dir/test-tmp"
  TMPDIR="$top/$dir/test-tmp" SEXTANT_HOME_RECORD="$dir/test-home" headless \
    meson test -C "$dir" --print-errorlogs --num-processes "$jobs" $test_options > "$dir/suite.log" || true
  cat "$dir/suite.log"
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir/suite.log" | tail -n 1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir/suite.log" | tail -n 1)
  timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir/suite.log" | tail -n 1)
  ok=${ok:-0}; fail=${fail:-0}; timeout=${timeout:-0}
  if [ "$ok" -eq 0 ] || [ "$fail" -ne 0 ] || [ "$timeout" -ne 0 ]; then
    status=1
  fi
  summary="$summary
$name: $ok passed, $((fail + timeout)) failed"
  total_ok=$(( ${total_ok:-0} + ok ))
  total_fail=$(( ${total_fail:-0} + fail + timeout ))

  echo "== $name: secret leaks"
  problems=0
  python3 tests/suite-check.py leaks "$top" "$dir/meson-logs" "$dir/test-output" "$dir/test-tmp" \
    "$dir/suite.log" || problems=$?
  [ "$problems" -eq 0 ] || fail_check "$problems" "secret leaks"
  echo "== $name: skips"
  problems=0
  python3 tests/suite-check.py skips "$top" "$dir/meson-logs/testlog.json" > "$dir/skips.log" \
    || problems=$?
  cat "$dir/skips.log"
  [ "$problems" -eq 0 ] || fail_check "$problems" "unlisted skips"
  allowed=$(sed -n 's/^  /  allowed skip: /p' "$dir/skips.log")
  [ -z "$allowed" ] || summary="$summary
$allowed"
}

# The list of test keys must hold every key the tests use, or the leak check misses one.
echo "== test keys"
problems=0
python3 tests/suite-check.py keys "$top" || problems=$?
[ "$problems" -eq 0 ] || fail_check "$problems" "test keys list"

run_suite "normal build" _build-test "" -Dbuildtype=debugoptimized

# tests/meson.build gives the sanitized tests their ASAN/UBSAN/LSAN options. The sanitizers
# check at -O1, as the AddressSanitizer documentation advises for reasonable speed.
# The exhaustive suite (the CLI sweep of every command's exit codes, the full-size Batch job) runs in
# the normal build only.
# Sanitized code runs two to five times slower, so each test gets three times its time limit.
run_suite "sanitizer build" _build-asan "--no-suite exhaustive --timeout-multiplier 3" -Db_sanitize=address,undefined \
  -Db_lundef=false -Dbuildtype=debug -Doptimization=1

if [ -x tests/fuzz/run-fuzzers.sh ]; then
  echo "== fuzzing"
  if tests/fuzz/run-fuzzers.sh _build-fuzz 12; then
    summary="$summary
fuzzing: 1 passed, 0 failed"
    total_ok=$(( ${total_ok:-0} + 1 ))
  else
    summary="$summary
fuzzing: 0 passed, 1 failed"
    total_fail=$(( ${total_fail:-0} + 1 ))
    status=1
  fi
fi

echo "== summary$summary"
echo "${total_ok:-0} passed, ${total_fail:-0} failed"
exit $status
