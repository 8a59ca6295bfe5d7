#!/usr/bin/python3
"""Reference values for tests/test-book.c: portfolios valued in their base currency with the
ECB rates of ecb_exr_2000-2001.csv, computed with numpy from the committed CSV files alone.

The rules it implements are the documented ones, not Sextant's code: a close on date d in
currency C is converted to the base B with the rate of d, or of the latest earlier date within
5 calendar days that has a value (ECB series: units per 1 EUR; C to EUR divides by C per EUR,
EUR to B multiplies by B per EUR, C to B multiplies by (B per EUR) / (C per EUR) on a date both
have); a date with no such rate is an error. Weights are market values (shares x converted
close) on the last date every column shares, holdings given by weight keep it; portfolio returns
are the weighted simple returns; historical VaR is minus the linear (type-7) quantile, ES minus
the mean of the returns at or below it.

Run: /usr/bin/python3 tests/data/fx/make_book_reference.py > tests/data/fx/book_reference.json
"""
import csv
import datetime
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STALE_DAYS = 5

# BTL is a made-up sterling instrument whose closes are the Dow file's column T.
INSTRUMENTS = {"KO": ("KO", "USD"), "IBM": ("IBM", "USD"), "PG": ("PG", "USD"), "BTL": ("T", "GBP"),
               # tests/test-gui-own-book.c: AAPL fetched (the column HWP), SAP imported (DD)
               "AAPL": ("HWP", "USD"), "SAP": ("DD", "EUR")}

BOOKS = [
    {"name": "Euro book", "base": "EUR", "from": None,
     "holdings": [("KO", 100, None), ("IBM", 30, None), ("BTL", 200, None), ("PG", None, 0.1)]},
    {"name": "Sterling book", "base": "GBP", "from": "2000-06-01",
     "holdings": [("KO", 100, None), ("BTL", 200, None)]},
    {"name": "Own Book", "base": "EUR", "from": None,
     "holdings": [("AAPL", 100, None), ("SAP", 100, None)]},
]


def day(iso):
    return datetime.date.fromisoformat(iso).toordinal()


def read_closes():
    with open(os.path.join(HERE, "..", "market", "dowjones30_1990-2001_closes.csv")) as f:
        rows = list(csv.DictReader(f))
    return rows


def read_rates():
    rates = {}
    with open(os.path.join(HERE, "ecb_exr_2000-2001.csv")) as f:
        for row in csv.DictReader(f):
            value = float(row["OBS_VALUE"]) if row["OBS_VALUE"] not in ("", "NaN") else math.nan
            rates.setdefault(row["CURRENCY"], {})[day(row["TIME_PERIOD"])] = value
    return rates


def per_eur(rates, currency, d):
    """Units of currency per 1 EUR on d: the series as stored (NaN where missing)."""
    if currency == "EUR":
        return 1.0
    return rates[currency].get(d, math.nan)


def factor(rates, currency, base, d):
    """Units of base per 1 unit of currency, on d or the latest earlier usable date."""
    for back in range(STALE_DAYS + 1):
        e = d - back
        if currency == "EUR":
            f = per_eur(rates, base, e)
        elif base == "EUR":
            f = 1.0 / per_eur(rates, currency, e)
        else:
            if e not in rates[currency] or e not in rates[base]:
                continue
            f = per_eur(rates, base, e) / per_eur(rates, currency, e)
        if not math.isnan(f):
            return f
    raise ValueError(f"no {currency}/{base} rate on {datetime.date.fromordinal(d)}")


def first_rate_day(rates, currencies):
    return max(min(d for d, v in rates[c].items() if not math.isnan(v)) for c in currencies)


def compute_fx_var(base, exposure, total, first, last, rates):
    """FX value at risk: on each ECB date from first to last on which every foreign currency of
    the book (and the base, unless it is the euro) has a value, one unit of each foreign currency
    is worth (base per EUR) / (currency per EUR); the book's FX change since the previous such
    date is the sum over the currencies of exposure x (that worth's change - 1), over the book's
    value. VaR and ES as for the book's own returns."""
    foreign = sorted(c for c in exposure if c != base and exposure[c]["value"] != 0)
    if not foreign:
        return None
    needed = [c for c in foreign + [base] if c != "EUR"]
    dates = sorted(d for d in rates[needed[0]]
                   if first <= d <= last and all(not math.isnan(rates[c].get(d, math.nan)) for c in needed))
    worth = np.array([[per_eur(rates, base, d) / per_eur(rates, c, d) for c in foreign] for d in dates])
    values = np.array([exposure[c]["value"] for c in foreign])
    changes = ((worth[1:] / worth[:-1] - 1) @ values) / total
    out = {"from": datetime.date.fromordinal(dates[0]).isoformat(), "changes": int(changes.size)}
    for c in (0.95, 0.99):
        q = np.quantile(changes, 1 - c)
        out[f"var{round(c * 100)}"] = float(-q)
        out[f"es{round(c * 100)}"] = float(-changes[changes <= q].mean())
    return out


def compute(book, closes, rates):
    base = book["base"]
    currencies = sorted({INSTRUMENTS[s][1] for s, _, _ in book["holdings"]} - {base})
    needed = [c for c in currencies + ([base] if currencies else []) if c != "EUR"]
    first = day(book["from"]) if book["from"] else first_rate_day(rates, needed)
    rows = [r for r in closes if day(r["date"]) >= first]
    dates = [r["date"] for r in rows]
    table = np.empty((len(rows), len(book["holdings"])))
    for j, (symbol, _, _) in enumerate(book["holdings"]):
        column, currency = INSTRUMENTS[symbol]
        for i, r in enumerate(rows):
            close = float(r[column])
            table[i, j] = close if currency == base else close * factor(rates, currency, base, day(r["date"]))
    last = len(rows) - 1
    shares = np.array([s if s is not None else math.nan for _, s, _ in book["holdings"]])
    fixed = sum(w for _, s, w in book["holdings"] if s is None)
    by_shares = ~np.isnan(shares)
    market = shares[by_shares] * table[last, by_shares]
    weights = np.array([w if s is None else 0.0 for _, s, w in book["holdings"]])
    weights[by_shares] = market / market.sum() * (1 - fixed)
    total = market.sum() / (1 - fixed)
    values = weights * total
    returns = table[1:] / table[:-1] - 1
    portfolio = returns @ weights
    risk = {}
    for c in (0.95, 0.99):
        q = np.quantile(portfolio, 1 - c)
        risk[f"var{round(c * 100)}"] = -q
        risk[f"es{round(c * 100)}"] = -portfolio[portfolio <= q].mean()
    exposure = {}
    for (symbol, _, _), w, v in zip(book["holdings"], weights, values):
        currency = INSTRUMENTS[symbol][1]
        entry = exposure.setdefault(currency, {"currency": currency, "value": 0.0, "share": 0.0, "n_holdings": 0})
        entry["value"] += v
        entry["share"] += w
        entry["n_holdings"] += 1
    fx_var = compute_fx_var(base, exposure, total, day(dates[0]), day(dates[last]), rates)
    probes = sorted({0, 1, 75, last})
    return {
        "name": book["name"], "base": base, "from": book["from"],
        "holdings": [{"symbol": s, "shares": sh, "weight": w, "currency": INSTRUMENTS[s][1]}
                     for s, sh, w in book["holdings"]],
        "first_date": dates[0], "last_date": dates[last], "n_dates": len(dates),
        "closes": [{"date": dates[i], "values": list(table[i])} for i in probes],
        "weights": list(weights), "values": list(values), "total_value": total,
        "fx_exposure": sorted(exposure.values(), key=lambda e: (-e["share"], e["currency"])),
        "portfolio_returns_sum": float(portfolio.sum()), "n_returns": len(portfolio),
        **risk,
        "fx_var": fx_var,
    }


def main():
    closes = read_closes()
    rates = read_rates()
    out = {"generated_by": "tests/data/fx/make_book_reference.py", "numpy": np.__version__,
           "books": [compute(b, closes, rates) for b in BOOKS]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
