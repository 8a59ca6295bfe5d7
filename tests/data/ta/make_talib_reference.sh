#!/bin/sh
# Regenerates the reference values of this folder:
#   <name>_talib.csv, <name>_talib_extra.csv  TA-Lib's C functions (make_talib_reference.c),
#       TA-Lib compiled from the sources in its npm package by tests/bench/build-peers.sh
#   <name>_numpy.csv  rolling volatility from Debian's python3-numpy (make_volatility_reference.py)
#
#   tests/data/ta/make_talib_reference.sh [WORKDIR [OUTDIR]]
#
# WORKDIR (default: a new temporary folder) receives the npm packages and the build; OUTDIR
# (default: this folder) the CSV files. Needs npm, cc and /usr/bin/python3 with numpy.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
work=${1:-$(mktemp -d)}
out=${2:-$here}
python=${PYTHON:-/usr/bin/python3}

sh "$data/../bench/build-peers.sh" "$work" "$data/../bench" cc
if [ -f "$work/peers/talib.missing" ]; then
  echo "make_talib_reference: TA-Lib unavailable: $(cat "$work/peers/talib.missing")" >&2
  exit 1
fi
cc -O2 -I"$work/peers/talib/src/lib/include" "$here/make_talib_reference.c" \
  "$work/peers/libta-lib.a" -lm -o "$work/make_talib_reference"

mkdir -p "$out"
# name, price file in ../market, close column
while read -r name prices column; do
  "$work/make_talib_reference" "$data/market/$prices" "$column" main > "$out/${name}_talib.csv"
  "$work/make_talib_reference" "$data/market/$prices" "$column" extra \
    > "$out/${name}_talib_extra.csv"
  "$python" "$here/make_volatility_reference.py" "$data/market/$prices" "$column" \
    > "$out/${name}_numpy.csv"
  echo "make_talib_reference: $out/${name}_talib.csv, ${name}_talib_extra.csv, ${name}_numpy.csv"
done <<LIST
msft msft_2000-09_2001-09_ohlcv.csv close
sp500 sp500_2000-2020_ohlcv.csv close
spisector_spi spisector_prices.csv SPI
LIST
