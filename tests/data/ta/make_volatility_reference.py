#!/usr/bin/python3
"""Writes the rolling volatility of one price file as CSV on stdout: an independent reference
for sextant_rolling_volatility_compute (), whose convention it follows (TA-Lib has no such
function). Run by make_talib_reference.sh with Debian's python3-numpy.

    make_volatility_reference.py PRICES.csv CLOSE_COLUMN

Column rolling_vol_20: at row i (0-based, i >= 20), the sample standard deviation (ddof=1) of
the 20 log returns log(p[j] / p[j-1]), j = i-19 .. i, times sqrt(252). numpy computes each
window afresh (two-pass, no running sums). A cell is empty before row 20 and where the window
touches a missing ("NA") price. Values printed with 17 significant digits.
"""

import csv
import sys

import numpy as np

WINDOW = 20
PERIODS_PER_YEAR = 252


def main():
    path, column = sys.argv[1], sys.argv[2]
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    dates = [r["date"] for r in rows]
    prices = np.array([np.nan if r[column] == "NA" else float(r[column]) for r in rows])
    returns = np.log(prices[1:] / prices[:-1])

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "rolling_vol_%d" % WINDOW])
    for i, date in enumerate(dates):
        cell = ""
        if i >= WINDOW:
            window = returns[i - WINDOW:i]
            if not np.isnan(window).any():
                vol = np.std(window, ddof=1) * np.sqrt(PERIODS_PER_YEAR)
                cell = format(float(vol), ".17g")
        out.writerow([date, cell])


if __name__ == "__main__":
    main()
