#!/usr/bin/python3
"""Fixed-rate bond reference values from QuantLib (Debian 12 package quantlib-python, 1.29).

Writes bond_reference.csv: one row per case, the bond's terms, what was given (a yield or a
clean price) and QuantLib's figures, printed with 17 significant digits. Sextant's conventions
(README.md in this folder) are QuantLib FixedRateBond's: schedule backward from maturity,
unadjusted, NullCalendar, end-of-month exactly when the maturity is a month's last day; no
settlement lag; the bond is issued one whole coupon period before the last coupon day on or
before settlement, so every period from settlement on is regular.

Usage: /usr/bin/python3 make_bond_reference.py > bond_reference.csv
"""
import csv
import sys

import QuantLib as ql

DAY_COUNTS = {
    "act/act-icma": ql.ActualActual(ql.ActualActual.ISMA),
    "30/360": ql.Thirty360(ql.Thirty360.BondBasis),
    "act/360": ql.Actual360(),
    "act/365f": ql.Actual365Fixed(),
}
FREQUENCIES = {1: ql.Annual, 2: ql.Semiannual, 4: ql.Quarterly, 12: ql.Monthly}

# coupon %, maturity, settlement, frequency, day count, face, given ("yield" or "price"), value
CASES = [
    (4.25, "2034-11-15", "2026-12-07", 2, "act/act-icma", 100, "yield", 4.10),
    (4.25, "2034-11-15", "2026-12-07", 2, "act/act-icma", 100, "price", 101.125),
    (0.0, "2031-05-15", "2026-12-07", 2, "act/act-icma", 100, "yield", 3.9),
    (6.5, "2055-08-31", "2026-02-28", 2, "act/act-icma", 1000000, "yield", 4.87),
    (6.5, "2055-08-31", "2026-02-28", 2, "act/act-icma", 1000000, "price", 124.5),
    (2.0, "2028-02-29", "2026-08-31", 2, "act/act-icma", 100, "yield", 3.5),
    (3.0, "2030-06-15", "2026-06-15", 2, "act/act-icma", 100, "yield", 3.0),
    (3.0, "2030-06-15", "2026-06-15", 2, "act/act-icma", 100, "price", 99.0),
    (5.0, "2036-03-31", "2026-12-31", 1, "30/360", 100, "yield", 4.4),
    (5.0, "2036-03-31", "2026-05-31", 4, "30/360", 100, "yield", 4.4),
    (5.0, "2036-03-30", "2026-05-31", 4, "30/360", 100, "price", 103.75),
    (7.125, "2029-01-31", "2026-07-30", 12, "30/360", 100, "yield", 5.6),
    (1.5, "2027-09-01", "2026-12-07", 4, "act/360", 100, "yield", 2.25),
    (1.5, "2027-09-01", "2026-12-07", 4, "act/360", 100, "price", 99.2),
    (8.0, "2045-10-15", "2026-01-20", 2, "act/360", 5000, "yield", 9.75),
    (3.75, "2033-07-04", "2026-04-01", 1, "act/365f", 100, "yield", 3.2),
    (3.75, "2033-07-04", "2026-04-01", 1, "act/365f", 100, "price", 97.3),
    (4.0, "2030-12-31", "2026-12-07", 12, "act/act-icma", 100, "yield", 4.0),
    (4.0, "2027-01-15", "2026-12-07", 2, "act/act-icma", 100, "yield", -0.5),
    (12.0, "2040-02-15", "2026-12-07", 4, "act/act-icma", 100, "price", 160.0),
]


def date(text):
    return ql.Date(text, "%Y-%m-%d")


def bond_for(coupon, maturity, settlement, frequency, day_count, face):
    tenor = ql.Period(FREQUENCIES[frequency])
    eom = ql.Date.isEndOfMonth(maturity)
    k = 1
    while True:
        day = ql.NullCalendar().advance(maturity, -k * tenor, ql.Unadjusted, eom)
        if day <= settlement:
            issue = ql.NullCalendar().advance(maturity, -(k + 1) * tenor, ql.Unadjusted, eom)
            break
        k += 1
    schedule = ql.Schedule(issue, maturity, tenor, ql.NullCalendar(), ql.Unadjusted,
                           ql.Unadjusted, ql.DateGeneration.Backward, eom)
    return ql.FixedRateBond(0, face, schedule, [coupon / 100.0], DAY_COUNTS[day_count])


def main():
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["coupon", "maturity", "settlement", "frequency", "day_count", "face", "given",
                     "value", "clean_price", "dirty_price", "accrued", "yield",
                     "macaulay_duration", "modified_duration", "convexity", "dv01"])
    for coupon, maturity, settlement, frequency, day_count, face, given, value in CASES:
        settle = date(settlement)
        ql.Settings.instance().evaluationDate = settle
        bond = bond_for(coupon, date(maturity), settle, frequency, day_count, face)
        dc, freq = DAY_COUNTS[day_count], FREQUENCIES[frequency]
        if given == "yield":
            y = value / 100.0
        else:
            y = ql.BondFunctions.bondYield(bond, value, dc,
                                           ql.Compounded, freq, settle, 1e-15, 1000, 0.05)
        rate = ql.InterestRate(y, dc, ql.Compounded, freq)
        clean = ql.BondFunctions.cleanPrice(bond, rate, settle)
        accrued = ql.BondFunctions.accruedAmount(bond, settle)
        dirty = clean + accrued
        modified = ql.BondFunctions.duration(bond, rate, ql.Duration.Modified, settle)
        macaulay = ql.BondFunctions.duration(bond, rate, ql.Duration.Macaulay, settle)
        convexity = ql.BondFunctions.convexity(bond, rate, settle)
        dv01 = -ql.BondFunctions.basisPointValue(bond, rate, settle)
        figures = [clean, dirty, accrued, y * 100.0, macaulay, modified, convexity, dv01]
        writer.writerow([coupon, maturity, settlement, frequency, day_count, face, given, value]
                        + ["%.17g" % x for x in figures])


if __name__ == "__main__":
    main()
