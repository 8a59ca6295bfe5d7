#!/usr/bin/python3
"""Writes the synthetic inputs of tests/test-cli-shock.c into this folder:

- ecb_exr_2025-01-02.csv: euro reference rates of USD and GBP on the weekdays of 2 January to
  28 February 2025 in the ECB Data Portal's csvdata layout (the layout and attribute values of
  ../fx/make_ecb_fixture.py), made up by a seeded log-normal random walk rounded to the ECB's
  4 decimals; 17 February 2025 has an empty USD and GBP value with status M, as the service
  writes a missing observation (missing, never zero).
- acme_2025-02.csv: daily closes (Date,Close) of a made-up dollar stock ACME on the same days.

The values are not ECB or market figures. No numpy needed: random is seeded.

Run: /usr/bin/python3 make_shock_fixtures.py   (writes both files next to this script)
"""
import datetime
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ("KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
          "OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,"
          "DOM_SER_IDS,PUBL_ECB,PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,"
          "NAT_TITLE,SOURCE_AGENCY,SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT")
CURRENCIES = [("GBP", "UK pound sterling", 0.8310, 0.004), ("USD", "US dollar", 1.0350, 0.005)]
MISSING = {"2025-02-17"}
FIRST, LAST = datetime.date(2025, 1, 2), datetime.date(2025, 2, 28)


def weekdays():
    day = FIRST
    while day <= LAST:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def write_rates(rng):
    lines = [HEADER]
    for code, name, value, vol in CURRENCIES:
        title = f"{name}/Euro"
        compl = f"\"ECB reference exchange rate, {name}/Euro, 2:15 pm (C.E.T.)\""
        for day in weekdays():
            iso = day.isoformat()
            value *= math.exp(rng.gauss(0.0, vol))
            obs, status = ("", "M") if iso in MISSING else (f"{value:.4f}", "A")
            lines.append(f"EXR.D.{code}.EUR.SP00.A,D,{code},EUR,SP00,A,{iso},{obs},{status},F,,,P1D,"
                         f",A,,,,,,,,,,4,,4F0,,{title},{compl},{code},0")
    with open(os.path.join(HERE, "ecb_exr_2025-01-02.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_closes(rng):
    close = 87.50
    lines = ["Date,Close"]
    for day in weekdays():
        close *= math.exp(rng.gauss(0.0, 0.015))
        lines.append(f"{day.isoformat()},{close:.2f}")
    with open(os.path.join(HERE, "acme_2025-02.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    rng = random.Random(17)
    write_rates(rng)
    write_closes(rng)


if __name__ == "__main__":
    main()
