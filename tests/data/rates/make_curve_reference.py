#!/usr/bin/python3
"""Yield-curve reference values: QuantLib 1.29 for the bootstrap, discount factors, forwards, key-rate
durations and curve shocks; numpy/scipy for interpolation and the Nelson-Siegel / Svensson fits.

Reads treasury_par_2025-02.csv (the US Treasury's daily par yield curve CSV shape) with Python's
csv module, and writes curve_reference.json. Conventions are in README.md; every one is coded
here independently of Sextant.

Usage: /usr/bin/python3 make_curve_reference.py > curve_reference.json
"""
import csv
import json
import math
import os
import sys

import numpy as np
import QuantLib as ql
from scipy.interpolate import PchipInterpolator
from scipy.optimize import least_squares

HERE = os.path.dirname(os.path.abspath(__file__))
# (curve day, the fixture row whose yields it uses): two real days, and the 2025-02-28 yields
# put on 2024-08-30 (synthetic), a month end whose 6-month maturity, 28 February, is short of
# a whole half year back: that par bond has a short first coupon.
DATES = [("2025-02-28", "2025-02-28"), ("2025-02-14", "2025-02-14"), ("2024-08-30", "2025-02-28")]
QUERY_TIMES = [0.05, 0.1, 0.3, 0.75, 1.5, 2.5, 4.0, 6.0, 8.5, 12.0, 15.0, 25.0, 29.5]
TAU_MIN, TAU_MAX = 0.1, 30.0
A365 = ql.Actual365Fixed()
ICMA = ql.ActualActual(ql.ActualActual.ISMA)


def months_of(header):
    number, unit = header.split()
    return float(number) * (12 if unit.startswith("Yr") else 1)


def read_par_curves():
    with open(os.path.join(HERE, "treasury_par_2025-02.csv"), newline="") as f:
        rows = list(csv.reader(f))
    tenors = [months_of(h) for h in rows[0][1:]]
    curves = {}
    for row in rows[1:]:
        month, day, year = row[0].split("/")
        points = [(m, float(v) / 100) for m, v in zip(tenors, row[1:]) if v not in ("", ".")]
        curves[f"{year}-{month}-{day}"] = points
    return curves


def maturity(as_of, months):
    if months == 1.5:
        return as_of + 42
    return as_of + ql.Period(int(months), ql.Months)


def bootstrap(as_of, points, shift=None):
    shift = shift or (lambda months: 0.0)
    helpers = []
    for months, rate in points:
        r = rate + shift(months)
        if months < 6:
            period = ql.Period(6, ql.Weeks) if months == 1.5 else ql.Period(int(months), ql.Months)
            helpers.append(ql.DepositRateHelper(ql.QuoteHandle(ql.SimpleQuote(r)), period, 0,
                                                ql.NullCalendar(), ql.Unadjusted, False, A365))
        else:
            schedule = ql.Schedule(as_of, maturity(as_of, months), ql.Period(ql.Semiannual),
                                   ql.NullCalendar(), ql.Unadjusted, ql.Unadjusted,
                                   ql.DateGeneration.Backward, False)
            helpers.append(ql.FixedRateBondHelper(ql.QuoteHandle(ql.SimpleQuote(100.0)), 0, 100.0,
                                                  schedule, [r], ICMA))
    curve = ql.PiecewiseLogLinearDiscount(as_of, helpers, A365, ql.IterativeBootstrap(1e-15))
    curve.enableExtrapolation()
    return curve


def ns_loadings(t, tau):
    x = t / tau
    slope = (1 - np.exp(-x)) / x
    return slope, slope - np.exp(-x)


def model(params, t, svensson):
    s1, c1 = ns_loadings(t, params[4])
    z = params[0] + params[1] * s1 + params[2] * c1
    if svensson:
        _, c2 = ns_loadings(t, params[5])
        z = z + params[3] * c2
    return z


def fit(t, z, svensson):
    """Least squares on all parameters (scipy's trust-region-reflective method) from a grid of
    starting decay times; the best of all runs."""
    best = None
    grid = np.exp(np.linspace(math.log(1.2 * TAU_MIN), math.log(0.8 * TAU_MAX), 16))
    starts = [(a, b) for a in grid for b in grid] if svensson else [(a, 2 * a) for a in grid]
    for tau1, tau2 in starts:
        x0 = [z[-1], z[0] - z[-1], 0.0, 0.0, tau1, tau2]
        lower = [-np.inf] * 4 + [TAU_MIN, TAU_MIN]
        upper = [np.inf] * 4 + [TAU_MAX, TAU_MAX]
        fun = (lambda p: model(p, t, True) - z) if svensson else \
              (lambda p: model([p[0], p[1], p[2], 0.0, p[3]], t, False) - z)
        if not svensson:
            x0 = [x0[0], x0[1], x0[2], tau1]
            lower, upper = lower[:3] + [TAU_MIN], upper[:3] + [TAU_MAX]
        r = least_squares(fun, x0, bounds=(lower, upper), method="trf", xtol=1e-15,
                          ftol=1e-15, gtol=1e-15, max_nfev=20000)
        if best is None or r.cost < best.cost:
            best = r
    p = list(best.x)
    if svensson:
        params = dict(zip(["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"], p))
        fitted = model(p, t, True)
    else:
        params = dict(zip(["beta0", "beta1", "beta2", "tau"], p))
        fitted = model([p[0], p[1], p[2], 0.0, p[3]], t, False)
    rmse = float(np.sqrt(np.mean((fitted - z) ** 2)))
    return {"params": params, "rmse": rmse, "fitted": list(fitted)}


def shock_shape(kind, size, first, last):
    belly = min(max(5.0, first), last)

    def shift(months):
        years = months / 12
        if kind == "parallel":
            return size
        if kind == "twist":
            return size * ((years - first) / (last - first) - 0.5)
        u = (years - first) / (belly - first) if years <= belly else (last - years) / (last - belly)
        return size * (1 - 2 * u)
    return shift


def bond_on(as_of, coupon, maturity_text, face):
    mat = ql.Date(maturity_text, "%Y-%m-%d")
    eom = ql.Date.isEndOfMonth(mat)
    tenor = ql.Period(ql.Semiannual)
    k = 1
    while ql.NullCalendar().advance(mat, -k * tenor, ql.Unadjusted, eom) > as_of:
        k += 1
    issue = ql.NullCalendar().advance(mat, -(k + 1) * tenor, ql.Unadjusted, eom)
    schedule = ql.Schedule(issue, mat, tenor, ql.NullCalendar(), ql.Unadjusted, ql.Unadjusted,
                           ql.DateGeneration.Backward, eom)
    return ql.FixedRateBond(0, face, schedule, [coupon], ICMA)


def dirty_on(bond, curve):
    bond.setPricingEngine(ql.DiscountingBondEngine(ql.YieldTermStructureHandle(curve)))
    return bond.dirtyPrice()


def risk(as_of, points, curve):
    coupon, mat, face = 0.0425, "2034-11-15", 1000000.0
    bond = bond_on(as_of, coupon, mat, face)
    base = dirty_on(bond, curve)
    krd = []
    for key, _ in points:
        up = dirty_on(bond, bootstrap(as_of, points, lambda m: 1e-4 if m == key else 0.0))
        down = dirty_on(bond, bootstrap(as_of, points, lambda m: -1e-4 if m == key else 0.0))
        krd.append((down - up) / (2 * base * 1e-4))
    first, last = points[0][0] / 12, points[-1][0] / 12
    shocks = {}
    for kind, size in (("parallel", 0.01), ("twist", 0.005), ("butterfly", 0.0025)):
        shifted = dirty_on(bond, bootstrap(as_of, points, shock_shape(kind, size, first, last)))
        shocks[kind] = {"size_bp": size * 1e4, "dirty_price": shifted,
                        "pnl": (shifted - base) / 100 * face}
    return {"coupon": coupon * 100, "maturity": mat, "frequency": 2, "day_count": "act/act-icma",
            "face": face, "dirty_price": base, "key_rate_durations": krd, "shocks": shocks}


def main():
    par_curves = read_par_curves()
    out = {"source": "treasury_par_2025-02.csv", "quantlib": ql.__version__, "curves": []}
    for text, row in DATES:
        as_of = ql.Date(text, "%Y-%m-%d")
        ql.Settings.instance().evaluationDate = as_of
        points = par_curves[row]
        curve = bootstrap(as_of, points)
        dates = [maturity(as_of, m) for m, _ in points]
        times = [A365.yearFraction(as_of, d) for d in dates]
        zero = [curve.zeroRate(d, A365, ql.Continuous).rate() * 100 for d in dates]
        forward = [curve.forwardRate(p, d, A365, ql.Continuous).rate() * 100
                   for p, d in zip([as_of] + dates[:-1], dates)]
        t, z = np.array(times), np.array(zero)
        pchip = PchipInterpolator(t, z)
        out["curves"].append({
            "date": text,
            "yields_of": row,
            "tenors": [m / 12 for m, _ in points],
            "months": [m for m, _ in points],
            "par": [r * 100 for _, r in points],
            "times": times,
            "discount": [curve.discount(d) for d in dates],
            "zero": zero,
            "forward": forward,
            "query_times": QUERY_TIMES,
            "query_discount": [curve.discount(q) for q in QUERY_TIMES],
            "query_zero_linear": list(np.interp(QUERY_TIMES, t, z)),
            "query_zero_pchip": [float(pchip(q)) if t[0] <= q <= t[-1] else None
                                 for q in QUERY_TIMES],
            "nelson_siegel": fit(t, z, False),
            "svensson": fit(t, z, True),
            "bond": risk(as_of, points, curve),
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
