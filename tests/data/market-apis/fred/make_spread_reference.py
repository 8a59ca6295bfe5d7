#!/usr/bin/python3
"""Reference figures of the desks' get_credit_spreads tool (tests/test-fred.c) on
oas_synthetic_graph.csv (synthetic values, see README.md), computed with numpy apart from
Sextant's code: the latest value and its date, its percentile rank in the history (the share of
observations at or below it, in percent), min, max, mean and numpy's default (linear)
percentiles 5, 25, 50, 75 and 95. An empty value is missing, never zero.

Usage: /usr/bin/python3 make_spread_reference.py > oas_synthetic_stats.json
"""
import csv
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, "oas_synthetic_graph.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    present = [(r["observation_date"], float(r["BAMLH0A0HYM2"])) for r in rows if r["BAMLH0A0HYM2"] not in ("", ".")]
    values = np.array([v for _, v in present])
    latest_date, latest = present[-1]
    out = {
        "series": "BAMLH0A0HYM2",
        "latest_date": latest_date,
        "latest": latest,
        "latest_percentile_rank": float(np.mean(values <= latest) * 100),
        "min": float(values.min()),
        "max": float(values.max()),
        "mean": float(values.mean()),
        "percentiles": {"p%d" % p: float(np.percentile(values, p)) for p in (5, 25, 50, 75, 95)},
        "observations": len(present),
        "missing": len(rows) - len(present),
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
