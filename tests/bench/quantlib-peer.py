"""QuantLib as bench-rates' peer (issue 17): the same bond and curve-fit work in the same run.

    /usr/bin/python3 quantlib-peer.py BONDS ROUNDS

Builds BONDS semi-annual act/act-icma FixedRateBonds (coupons 1 % + i × 1e-6, maturity
2034-11-15, settlement 2026-12-07, as bench-rates does), then times, inside Python, a clean
price, modified duration and convexity from a 4 % yield for each, and separately one
scipy.optimize.least_squares Svensson fit of 30 zero rates from one start; best of ROUNDS.
Prints "bonds_seconds fit_seconds" on the first line and what ran on the second, or
"PEER UNAVAILABLE: ..." with status 3 when QuantLib or SciPy cannot be imported (Debian's
quantlib-python and python3-scipy; see tests/data/rates/README.md).
"""
import math
import platform
import sys
import time

try:
    import numpy as np
    import QuantLib as ql
    from scipy.optimize import least_squares
except ImportError as error:
    print(f"PEER UNAVAILABLE: {sys.executable} cannot import {error.name} "
          "(Debian packages quantlib-python, python3-scipy)")
    sys.exit(3)


def bonds(count):
    maturity, settle = ql.Date(15, 11, 2034), ql.Date(7, 12, 2026)
    ql.Settings.instance().evaluationDate = settle
    schedule = ql.Schedule(ql.Date(15, 5, 2026), maturity, ql.Period(ql.Semiannual),
                           ql.NullCalendar(), ql.Unadjusted, ql.Unadjusted,
                           ql.DateGeneration.Backward, False)
    dc = ql.ActualActual(ql.ActualActual.ISMA)
    return [ql.FixedRateBond(0, 100.0, schedule, [0.01 + i * 1e-6], dc) for i in range(count)], dc, settle


def time_bonds(count, rounds):
    built, dc, settle = bonds(count)
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        for bond in built:
            rate = ql.InterestRate(0.04, dc, ql.Compounded, ql.Semiannual)
            ql.BondFunctions.cleanPrice(bond, rate, settle)
            ql.BondFunctions.duration(bond, rate, ql.Duration.Modified, settle)
            ql.BondFunctions.convexity(bond, rate, settle)
        best = min(best, time.perf_counter() - start)
    return best


def svensson(p, t):
    x1, x2 = t / p[4], t / p[5]
    s1 = (1 - np.exp(-x1)) / x1
    return p[0] + p[1] * s1 + p[2] * (s1 - np.exp(-x1)) + p[3] * ((1 - np.exp(-x2)) / x2 - np.exp(-x2))


def time_fit(rounds):
    t = 0.25 + np.arange(30.0)
    z = 4 + 0.5 * (1 - np.exp(-t / 2)) - 0.3 * np.exp(-t / 5) * t / 5
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        least_squares(lambda p: svensson(p, t) - z, [z[-1], z[0] - z[-1], 0, 0, 1.0, 5.0],
                      bounds=([-np.inf] * 4 + [0.1, 0.1], [np.inf] * 4 + [30, 30]))
        best = min(best, time.perf_counter() - start)
    return best


def main():
    count, rounds = int(sys.argv[1]), int(sys.argv[2])
    print(repr(time_bonds(count, rounds)), repr(time_fit(rounds)))
    print(f"QuantLib {ql.__version__} and SciPy on Python {platform.python_version()} "
          f"({sys.executable})")


if __name__ == "__main__":
    main()
