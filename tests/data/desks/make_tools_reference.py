#!/usr/bin/python3
"""Reference values for the desks' get_fx_rates tool (issue 17): cross rates through the euro
read straight from ../fx/ecb_exr_2000-2001.csv (the price of 1 unit of a currency in the base =
base per EUR / currency per EUR), with the Python standard library. shock_portfolio computes what
`sextant-cli shock` does; its reference is ../shock/make_shock_reference.py's.

Usage: /usr/bin/python3 make_tools_reference.py > tools_reference.json
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def per_eur():
    rates = {}
    with open(os.path.join(HERE, "..", "fx", "ecb_exr_2000-2001.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["OBS_VALUE"] != "":
                rates.setdefault(row["CURRENCY"], {})[row["TIME_PERIOD"]] = float(row["OBS_VALUE"])
    return rates


def cross(rates, currency, base, day):
    """Base per 1 currency on @day, or on the newest day with both rates when day is None."""
    def leg(code, d):
        return 1.0 if code == "EUR" else rates[code].get(d)
    days = sorted(set(rates["USD"]) | set(rates["GBP"]))
    if day is None:
        day = max(d for d in days if leg(currency, d) is not None and leg(base, d) is not None)
    return leg(base, day) / leg(currency, day), day


FX_CASES = [
    {"base": "GBP", "currencies": ["USD", "EUR"], "date": "2001-06-15"},
    {"base": "EUR", "currencies": ["USD", "GBP"], "date": None},
    {"base": "USD", "currencies": ["GBP"], "date": "2000-03-01"},
]


def main():
    rates = per_eur()
    fx = []
    for case in FX_CASES:
        out = []
        for c in case["currencies"]:
            value, day = cross(rates, c, case["base"], case["date"])
            out.append({"currency": c, "rate": value, "date": day})
        fx.append({"input": {k: v for k, v in case.items() if v is not None}, "rates": out})

    json.dump({"source": "make_tools_reference.py", "fx": fx}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
