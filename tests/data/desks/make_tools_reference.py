#!/usr/bin/python3
"""Reference values for the desks' agent tools (issue 17): get_fx_rates and shock_portfolio.

FX: cross rates through the euro read straight from ../fx/ecb_exr_2000-2001.csv (the price of
1 unit of a currency in the base = base per EUR / currency per EUR), with the Python standard
library. Bonds: QuantLib 1.29 (Debian 12's quantlib-python) with the conventions of
../rates/make_bond_reference.py (whose bond_for() is reused): each bond is repriced at its yield
moved by the rates shock, then by rates and spreads together; its value in the base currency
uses the ECB cross rate of the valuation day, moved by its currency's shock.

Usage: /usr/bin/python3 make_tools_reference.py > tools_reference.json
"""
import csv
import json
import os
import sys

import QuantLib as ql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "rates"))
from make_bond_reference import DAY_COUNTS, FREQUENCIES, bond_for, date  # noqa: E402


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

SETTLEMENT = "2001-06-15"
BONDS = [
    {"name": "Bund 5% 2011", "coupon": 5.0, "maturity": "2011-06-15", "frequency": 1,
     "day_count": "act/act-icma", "face": 1000000.0, "yield": 5.2, "currency": "EUR"},
    {"name": "UST 6% 2031", "coupon": 6.0, "maturity": "2031-02-15", "frequency": 2,
     "day_count": "act/act-icma", "face": 2000000.0, "yield": 5.5, "currency": "USD"},
    {"name": "Gilt 4.25% 2005", "coupon": 4.25, "maturity": "2005-12-07", "frequency": 2,
     "day_count": "act/365f", "face": 500000.0, "yield": 4.9, "currency": "GBP"},
]
SCENARIO = {"base_currency": "EUR", "rates_bp": 100.0, "spreads_bp": 50.0,
            "fx": [{"currency": "USD", "shock_percent": -10.0}]}


def dirty(b, settle, y):
    bond = bond_for(b["coupon"], date(b["maturity"]), settle, b["frequency"], b["day_count"], b["face"])
    rate = ql.InterestRate(y, DAY_COUNTS[b["day_count"]], ql.Compounded, FREQUENCIES[b["frequency"]])
    return ql.BondFunctions.cleanPrice(bond, rate, settle) + ql.BondFunctions.accruedAmount(bond, settle)


def main():
    rates = per_eur()
    fx = []
    for case in FX_CASES:
        out = []
        for c in case["currencies"]:
            value, day = cross(rates, c, case["base"], case["date"])
            out.append({"currency": c, "rate": value, "date": day})
        fx.append({"input": {k: v for k, v in case.items() if v is not None}, "rates": out})

    settle = date(SETTLEMENT)
    ql.Settings.instance().evaluationDate = settle
    dr = SCENARIO["rates_bp"] / 10000.0
    ds = SCENARIO["spreads_bp"] / 10000.0
    shocks = {s["currency"]: s["shock_percent"] / 100.0 for s in SCENARIO["fx"]}
    positions = []
    totals = {"rates_pnl": 0.0, "spread_pnl": 0.0, "fx_pnl": 0.0, "total_pnl": 0.0}
    for b in BONDS:
        rate = cross(rates, b["currency"], SCENARIO["base_currency"], SETTLEMENT)[0] \
            if b["currency"] != SCENARIO["base_currency"] else 1.0
        y = b["yield"] / 100.0
        v0 = b["face"] * dirty(b, settle, y) / 100.0 * rate
        v_rates = b["face"] * dirty(b, settle, y + dr) / 100.0 * rate
        v_both = b["face"] * dirty(b, settle, y + dr + ds) / 100.0 * rate
        f = shocks.get(b["currency"], 0.0)
        p = {"name": b["name"], "value": v0, "rates_pnl": v_rates - v0, "spread_pnl": v_both - v_rates,
             "fx_pnl": v_both * f, "pnl": v_both * (1 + f) - v0}
        positions.append(p)
        for k in ("rates_pnl", "spread_pnl", "fx_pnl"):
            totals[k] += p[k]
        totals["total_pnl"] += p["pnl"]
    shock_input = dict(SCENARIO, settlement=SETTLEMENT, bonds=BONDS)
    json.dump({"source": "make_tools_reference.py (QuantLib %s)" % ql.__version__,
               "fx": fx,
               "shock": {"input": shock_input, "positions": positions, **totals}},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
