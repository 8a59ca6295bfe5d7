#!/usr/bin/python3
"""Reference P&L of `sextant-cli shock` on desk_book.csv (tests/test-cli-shock.c), from QuantLib
1.29 (curve, bond cash flows, prices with a z-spread) and plain Python arithmetic, written apart
from Sextant's code.

The book (base EUR) holds desk_book.csv: a dollar stock (ACME, closes in acme_2025-02.csv), three
fixed-rate bonds and cash in USD, EUR and GBP. Valuation day: the Treasury par curve of
2025-02-28 (../rates/treasury_par_2025-02.csv), bootstrapped as ../rates/make_curve_reference.py
does (that script's `bootstrap`, imported). Conventions of the shock, as Sextant states them:

- A bond settles on the curve's day; its schedule is ../rates/make_bond_reference.py's
  (`bond_for`, imported). Dirty price per 100 = QuantLib's `BondFunctions.cleanPrice` on the curve
  under a `ZeroSpreadedTermStructure` of the bond's spread (continuous, act/365f; 0 without one) plus its accrued amount; value =
  dirty / 100 × face.
- Rates shock: every par yield moves by the size, the curve is bootstrapped again and the bond
  repriced with the same spread: rates P&L = (P_after − P) / 100 × face.
- Spreads shock (bonds with a spread only): spread duration D = Σ t·pv / Σ pv over the cash flows
  after settlement (pv = flow × discount × e^(−s t), t act/365f from the curve), P&L = −D × Δs ×
  value, on today's curve.
- FX: a holding's value in EUR is its value in its currency divided by the ECB's units of that
  currency per euro on the day (or the latest of the 5 days before; ecb_exr_2025-01-02.csv). A
  shock of x to a currency moves what its holdings are worth in EUR after the rates and spread
  moves by x: fx P&L = (value + rates P&L + spreads P&L) in EUR × x.
- The stock is worth 1000 × its close of the day in EUR; it moves with the FX shock only.

Usage: /usr/bin/python3 make_shock_reference.py > shock_reference.json
       /usr/bin/python3 make_shock_reference.py --rates 100 --spreads 0 --fx USD=-10 \
           > shock_reference_question.json
(--rates and --spreads in bp, --fx in percent; without options, the scenario of
shock_reference.json: +100 bp, +50 bp, USD -10 %, GBP +5 %.)
"""
import argparse
import csv
import datetime
import json
import math
import os
import sys

import QuantLib as ql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "rates"))
from make_bond_reference import bond_for  # noqa: E402
from make_curve_reference import bootstrap, read_par_curves  # noqa: E402

DAY = "2025-02-28"
BASE = "EUR"
RATES = 0.01          # --rates +100bp
SPREADS = 0.005       # --spreads +50bp
FX = {"USD": -0.10, "GBP": 0.05}   # --fx USD=-10% --fx GBP=+5%
A365 = ql.Actual365Fixed()


def per_eur(currency, day):
    """Units of @currency per euro on @day or the latest of the 5 days before."""
    if currency == "EUR":
        return 1.0
    rates = {}
    with open(os.path.join(HERE, "ecb_exr_2025-01-02.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["CURRENCY"] == currency and row["OBS_VALUE"] != "":
                rates[row["TIME_PERIOD"]] = float(row["OBS_VALUE"])
    d = datetime.date.fromisoformat(day)
    for back in range(6):
        iso = (d - datetime.timedelta(days=back)).isoformat()
        if iso in rates:
            return rates[iso]
    raise SystemExit(f"no {currency} rate near {day}")


def close_of(day):
    with open(os.path.join(HERE, "acme_2025-02.csv"), newline="") as f:
        closes = {row["Date"]: float(row["Close"]) for row in csv.DictReader(f)}
    return closes[max(d for d in closes if d <= day)], max(d for d in closes if d <= day)


def price(curve, bond, settle, spread):
    """Dirty price per 100 and spread duration on @curve with z-spread @spread."""
    spreaded = ql.ZeroSpreadedTermStructure(ql.YieldTermStructureHandle(curve),
                                            ql.QuoteHandle(ql.SimpleQuote(spread)), ql.Continuous,
                                            ql.Annual, A365)
    clean = ql.BondFunctions.cleanPrice(bond, spreaded, settle)
    dirty = clean + ql.BondFunctions.accruedAmount(bond, settle)
    pv_sum = tpv_sum = 0.0
    for flow in bond.cashflows():
        if flow.date() <= settle:
            continue
        t = curve.timeFromReference(flow.date())
        pv = flow.amount() * curve.discount(flow.date()) * math.exp(-spread * t)
        pv_sum += pv
        tpv_sum += t * pv
    return dirty, tpv_sum / pv_sum, pv_sum


def parse_scenario():
    global RATES, SPREADS, FX
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", type=float, help="bp")
    parser.add_argument("--spreads", type=float, help="bp")
    parser.add_argument("--fx", action="append", help="CUR=PERCENT")
    args = parser.parse_args()
    if args.rates is not None:
        RATES = args.rates / 1e4
    if args.spreads is not None:
        SPREADS = args.spreads / 1e4
    if args.fx is not None:
        FX = {c.upper(): float(p) / 100 for c, p in (one.split("=") for one in args.fx)}


def main():
    parse_scenario()
    settle = ql.Date(DAY, "%Y-%m-%d")
    ql.Settings.instance().evaluationDate = settle
    points = read_par_curves()[DAY]
    curve = bootstrap(settle, points)
    shocked = bootstrap(settle, points, shift=lambda months: RATES)
    holdings = []
    with open(os.path.join(HERE, "desk_book.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        kind, currency, quantity = row["type"], row["currency"], float(row["quantity"])
        eur_per_unit = 1.0 / per_eur(currency, DAY)
        out = {"kind": kind, "currency": currency}
        rates_local = spreads_local = 0.0
        if kind == "equity":
            close, as_of = close_of(DAY)
            value_local = quantity * close
            out.update(symbol=row["symbol"], as_of=as_of)
            value = quantity * (close * eur_per_unit)
        else:
            if kind == "cash":
                value_local = quantity
                out.update(symbol="CASH:" + currency)
            else:
                freq = {"2": 2, "annual": 1}[row["frequency"]]
                spread_text = row["spread"].replace("bp", "")
                spread = float(spread_text) / 1e4 if spread_text else 0.0
                bond = bond_for(float(row["coupon"]), ql.Date(row["maturity"], "%Y-%m-%d"), settle,
                                freq, row["day_count"], 100)
                dirty, duration, check = price(curve, bond, settle, spread)
                assert abs(check - dirty) < 1e-9 * dirty, (check, dirty)
                after, _, _ = price(shocked, bond, settle, spread)
                value_local = dirty / 100 * quantity
                rates_local = (after - dirty) / 100 * quantity
                if spread_text:
                    spreads_local = -duration * SPREADS * value_local
                out.update(symbol=row["symbol"], dirty_price=dirty, dirty_price_after=after,
                           spread_duration=duration)
            value = value_local * eur_per_unit
        shock = FX.get(currency, 0.0)
        rates_pnl = rates_local * eur_per_unit
        spreads_pnl = spreads_local * eur_per_unit
        fx_pnl = (value + rates_pnl + spreads_pnl) * shock
        out.update(value=value, rates_pnl=rates_pnl, spreads_pnl=spreads_pnl, fx_pnl=fx_pnl,
                   pnl=rates_pnl + spreads_pnl + fx_pnl)
        holdings.append(out)
    total = {key: math.fsum(h[key] for h in holdings)
             for key in ("value", "pnl", "rates_pnl", "spreads_pnl", "fx_pnl")}
    json.dump({"date": DAY, "base_currency": BASE, "holdings": holdings, "total": total},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
