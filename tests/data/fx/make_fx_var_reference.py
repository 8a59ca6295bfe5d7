#!/usr/bin/python3
"""Reference FX value at risk for tests/test-cli-book.c, computed with numpy from the committed
ECB fixture alone (ecb_exr_2000-2001.csv), by the documented rule, not Sextant's code.

The "Euro book" of the test holds dollar stocks only, in a euro base: its FX exposure is all
in USD (100 % of its value). One USD is worth 1 / (USD per EUR) euros on each ECB date; the
book's FX change on a date is the change of that value since the previous ECB date with a
value (TARGET closing days, rows without a value, are skipped), over the dates from the first
to the last of the range. Historical VaR is minus the linear (type-7) quantile of those changes
at 1 - confidence, ES minus the mean of the changes at or below that quantile; both are
fractions of the book's value (the amounts are these times the book's value).

Run: /usr/bin/python3 tests/data/fx/make_fx_var_reference.py > tests/data/fx/fx_var_reference.json
"""
import csv
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FROM, TO = "2000-01-03", "2000-12-29"
CONFIDENCES = (0.95, 0.99)


def usd_per_eur():
    rows = []
    with open(os.path.join(HERE, "ecb_exr_2000-2001.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["CURRENCY"] != "USD" or row["OBS_VALUE"] == "":
                continue
            if FROM <= row["TIME_PERIOD"] <= TO:
                rows.append((row["TIME_PERIOD"], float(row["OBS_VALUE"])))
    rows.sort()
    return rows


def main():
    rates = usd_per_eur()
    value_in_eur = 1.0 / np.array([rate for _, rate in rates])
    changes = value_in_eur[1:] / value_in_eur[:-1] - 1.0
    levels = []
    for confidence in CONFIDENCES:
        q = np.quantile(changes, 1.0 - confidence, method="linear")
        levels.append({"confidence": confidence,
                       "var_share": float(-q),
                       "es_share": float(-changes[changes <= q].mean())})
    json.dump({"portfolio": "Euro book", "from": rates[0][0], "to": TO,
               "changes": int(changes.size), "numpy": np.__version__, "levels": levels},
              os.sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
