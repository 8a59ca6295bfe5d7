#!/bin/sh
# The whole test suite, as CI runs it: installs what is missing, then builds and tests twice —
# a normal build and an AddressSanitizer + UndefinedBehaviorSanitizer build — headless, under
# Xvfb, in a private D-Bus session with an unlocked gnome-keyring. Warnings are errors.
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

run_suite () {
  name=$1; dir=$2; shift 2
  echo "== $name: configure and build"
  configure "$dir" -Dwerror=true "$@"
  meson compile -C "$dir"
  echo "== $name: test"
  SEXTANT_HOME_RECORD="$dir/test-home" headless \
    meson test -C "$dir" --print-errorlogs --num-processes "$jobs" > "$dir/suite.log" || true
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
}

# No key a test stores may ever reach a log, a database or any file the suite wrote. The test keys
# are fixed strings in tests/*.c; this lists them once more on purpose.
check_no_secret_leaks () {
  dir=$1
  home=$(cat "$dir/test-home" 2>/dev/null || true)
  for key in wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY sextant-test-finnhub-key-5f2c1a \
             sextant-test-alpha-vantage-9d41e7; do
    if grep -rlF "$key" "$dir/meson-logs" "$dir/test-output" ${home:+"$home/.local/state"} \
         ${home:+"$home/.local/share/sextant"} 2>/dev/null; then
      echo "SECRET LEAK: a test key appears in the files above"
      status=1
      total_fail=$(( ${total_fail:-0} + 1 ))
    fi
  done
}

run_suite "normal build" _build-test -Dbuildtype=debugoptimized
check_no_secret_leaks _build-test

# tests/meson.build gives the sanitized tests their ASAN/UBSAN/LSAN options.
run_suite "sanitizer build" _build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debug

if [ -x tests/fuzz/run-fuzzers.sh ]; then
  echo "== fuzzing"
  if tests/fuzz/run-fuzzers.sh _build-fuzz 20; then
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
