#!/usr/bin/python3
"""Reference P&L of `sextant-cli shock` on desk_book.csv (tests/test-cli-shock.c), from QuantLib
1.29 (curve, bond cash flows, prices with a z-spread) and plain Python arithmetic, written apart
from Sextant's code.

The book (base EUR) holds desk_book.csv: a dollar stock (ACME, closes in acme_2025-02.csv), three
fixed-rate bonds (two in USD, one in EUR) and cash in USD, EUR and GBP. Valuation day: 2025-02-28,
the day of both curves. Each bond is discounted on its own currency's curve only:

- USD: the Treasury par curve of 2025-02-28 (../rates/treasury_par_2025-02.csv), bootstrapped as
  ../rates/make_curve_reference.py does (that script's `bootstrap`, imported).
- EUR: the ECB-like AAA spot curve of 2025-02-28 (the `SR_*` rows of
  ../rates/ecb_yc_aaa_synthetic.csv, synthetic), its continuously compounded spot rates taken as
  act/365f zero rates to each tenor's maturity day (the day plus the tenor's months, as
  `maturity` of make_curve_reference.py): a QuantLib `DiscountCurve` (log-linear discount
  factors, Actual365Fixed) through 1 on the day and e^(−z t) at each maturity.

Conventions of the shock, as Sextant states them:

- A bond settles on the valuation day; its schedule is ../rates/make_bond_reference.py's
  (`bond_for`, imported). Dirty price per 100 = QuantLib's `BondFunctions.cleanPrice` on the curve
  under a `ZeroSpreadedTermStructure` of the bond's spread (continuous, act/365f; 0 without one) plus its accrued amount; value =
  dirty / 100 × face.
- Rates shock: every par yield of the Treasury curve moves by the size and the curve is
  bootstrapped again; every spot rate of the euro curve moves by the size (continuously
  compounded) and the curve is built again; each bond is repriced with the same spread: rates
  P&L = (P_after − P) / 100 × face.
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
Output: the valuation day, the base currency, each curve used ("curves": currency, source, date),
each holding's figures and the totals.
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
from make_curve_reference import bootstrap, maturity, read_par_curves  # noqa: E402

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


def ecb_spot_points(day):
    """(months, spot rate as a fraction) of the ECB-like curve's SR_ rows of @day."""
    units = {"M": 1, "Y": 12}
    points = []
    with open(os.path.join(HERE, "..", "rates", "ecb_yc_aaa_synthetic.csv"), newline="") as f:
        for row in csv.DictReader(f):
            kind = row["DATA_TYPE_FM"]
            if row["TIME_PERIOD"] != day or not kind.startswith("SR_") or row["OBS_VALUE"] == "":
                continue
            tenor = kind[3:]
            points.append((int(tenor[:-1]) * units[tenor[-1]], float(row["OBS_VALUE"]) / 100))
    return sorted(points)


def zero_curve(as_of, points, shift=0.0):
    """DiscountCurve through e^(-(z + shift) t) at each tenor's maturity, t act/365f."""
    dates = [as_of]
    discounts = [1.0]
    for months, z in points:
        d = maturity(as_of, months)
        dates.append(d)
        discounts.append(math.exp(-(z + shift) * A365.yearFraction(as_of, d)))
    curve = ql.DiscountCurve(dates, discounts, A365)
    curve.enableExtrapolation()
    return curve


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
    euro = ecb_spot_points(DAY)
    assert len(euro) == 11, euro
    curves = {"USD": (bootstrap(settle, points),
                      bootstrap(settle, points, shift=lambda months: RATES)),
              "EUR": (zero_curve(settle, euro), zero_curve(settle, euro, shift=RATES))}
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
                # A bond in a currency without a curve is an error in Sextant too.
                curve, shocked = curves[currency]
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
    used = [{"currency": "USD", "source": "treasury", "date": DAY},
            {"currency": "EUR", "source": "ecb-aaa-spot", "date": DAY}]
    json.dump({"date": DAY, "base_currency": BASE, "curves": used, "holdings": holdings,
               "total": total},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
