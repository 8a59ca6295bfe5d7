#!/bin/sh
# Builds the benchmark's peers, TA-Lib and Tulip Indicators, from the C sources their npm
# packages ship (talib: src/lib/src/ta_*; tulind: external/tiamalgamation.c), inside a build
# folder. Nothing here is committed or installed.
#
#   build-peers.sh OUTDIR SRCDIR [CC]
#
# OUTDIR receives libbench-peer-talib.a and libbench-peer-tulip.a (each peer plus its adapter,
# SRCDIR/bench-peer-<name>.c, for bench-indicators); OUTDIR/peers holds the tarballs, the
# unpacked packages, a log, and libta-lib.a and libtulip.a (the peers alone, which
# tests/data/ta/make_talib_reference.sh links). Both peers and both
# adapters get the same flags: plain $CC -O2. When a package cannot be fetched or built, its
# bench-peer library still appears, holding only the adapter compiled with
# BENCH_PEER_MISSING defined as the reason, so that the benchmark says which peer was unavailable
# and why; this script then still succeeds.

set -u

outdir=$1
srcdir=$2
cc=${3:-cc}
cflags="-O2"

mkdir -p "$outdir/peers" || exit 1
libdir=$(cd "$outdir" && pwd)
outdir="$libdir/peers"
log="$outdir/build-peers.log"
: > "$log"

# fetch PACKAGE DIR NAME: npm pack PACKAGE into OUTDIR and unpack it as OUTDIR/DIR, or say in
# OUTDIR/NAME.missing why not
fetch ()
{
  if [ -d "$outdir/$2" ]; then
    return 0
  fi
  if ! command -v npm > /dev/null 2>&1; then
    echo "npm is not installed" > "$outdir/$3.missing"
    return 1
  fi
  tarball=$(cd "$outdir" && npm pack --silent "$1" 2>> "$log" | tail -n 1)
  if [ -z "$tarball" ] || [ ! -f "$outdir/$tarball" ]; then
    echo "npm pack $1 failed (see $log)" > "$outdir/$3.missing"
    return 1
  fi
  rm -rf "$outdir/$2.tmp" && mkdir "$outdir/$2.tmp" &&
    tar -xzf "$outdir/$tarball" -C "$outdir/$2.tmp" &&
    mv "$outdir/$2.tmp/package" "$outdir/$2" && rm -rf "$outdir/$2.tmp" && return 0
  echo "could not unpack $tarball" > "$outdir/$3.missing"
  return 1
}

# compile LIB OBJDIR FLAGS SOURCES…: each source with $cc $cflags FLAGS, archived as LIB
compile ()
{
  lib=$1 objdir=$2 flags=$3
  shift 3
  rm -rf "$objdir" && mkdir -p "$objdir" || return 1
  for src in "$@"; do
    # shellcheck disable=SC2086
    $cc $cflags $flags -c "$src" -o "$objdir/$(basename "$src" .c).o" >> "$log" 2>&1 || return 1
  done
  rm -f "$lib" && ar rcs "$lib" "$objdir"/*.o
}

# adapter NAME FLAGS: the bench-peer library, the peer inside when it was built
adapter ()
{
  if [ -f "$outdir/$1.missing" ]; then
    reason=$(tr -d '"\\' < "$outdir/$1.missing")
    printf '#define BENCH_PEER_MISSING "%s"\n#include "%s"\n' "$reason" \
      "$srcdir/bench-peer-$1.c" > "$outdir/bench-peer-$1-missing.c"
    compile "$libdir/libbench-peer-$1.a" "$outdir/obj-bench-$1" "" \
      "$outdir/bench-peer-$1-missing.c" || exit 1
    echo "build-peers: $1 unavailable: $reason"
    return
  fi
  # shellcheck disable=SC2086
  compile "$libdir/libbench-peer-$1.a" "$outdir/obj-bench-$1" "$2" "$srcdir/bench-peer-$1.c" &&
    ar rcs "$libdir/libbench-peer-$1.a" "$outdir/obj-$1"/*.o || exit 1
  echo "build-peers: $1 built"
}

# TA-Lib: the functions the benchmark and the reference generator call, and what they call
rm -f "$outdir/talib.missing" "$outdir/tulip.missing"
if fetch talib talib talib; then
  ta="$outdir/talib/src/lib"
  set --
  for f in ATR BBANDS DEMA EMA KAMA MA MACD MAMA OBV RSI SMA STDDEV STOCH T3 TEMA TRANGE TRIMA \
           VAR WMA utility; do
    set -- "$@" "$ta/src/ta_func/ta_$f.c"
  done
  set -- "$@" "$ta/src/ta_common/ta_global.c" "$ta/src/ta_common/ta_retcode.c" \
         "$ta/src/ta_common/ta_version.c"
  talib_flags="-I$ta/include -I$ta/src/ta_common -I$ta/src/ta_func"
  compile "$outdir/libta-lib.a" "$outdir/obj-talib" "$talib_flags" "$@" ||
    echo "compiling TA-Lib failed (see $log)" > "$outdir/talib.missing"
fi
if fetch tulind tulind tulip; then
  compile "$outdir/libtulip.a" "$outdir/obj-tulip" "" "$outdir/tulind/external/tiamalgamation.c" ||
    echo "compiling Tulip Indicators failed (see $log)" > "$outdir/tulip.missing"
fi

adapter talib "-I$outdir/talib/src/lib/include"
adapter tulip "-I$outdir/tulind/external"
