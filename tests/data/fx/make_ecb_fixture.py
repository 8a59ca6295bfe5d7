#!/usr/bin/python3
"""Writes ecb_exr_2000-2001.csv: synthetic euro reference rates in the ECB Data Portal's csvdata
layout (the columns, order and attribute values of a real `format=csvdata` answer), one row per
currency and weekday from 2000-01-03 to 2001-12-31, sorted by key then date as the service sorts.

The values are made up (a seeded log-normal random walk rounded to the ECB's published decimals),
not ECB figures: the tests need rates that overlap the bundled 1990-2001 demo closes, which the
ECB's real series do too, but a made-up series can be regenerated and shipped freely.
TARGET closing days (1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December) have a row
with an empty value and status M, as the service returns them. No numpy needed: random is seeded.

Run: /usr/bin/python3 tests/data/fx/make_ecb_fixture.py > tests/data/fx/ecb_exr_2000-2001.csv
"""
import datetime
import math
import random

HEADER = ("KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
          "OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,"
          "DOM_SER_IDS,PUBL_ECB,PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,"
          "NAT_TITLE,SOURCE_AGENCY,SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT")

# code, name, first value, daily volatility, decimals (the ECB's DECIMALS attribute)
CURRENCIES = [
    ("GBP", "UK pound sterling", 0.6280, 0.004, 4),
    ("USD", "US dollar", 1.0090, 0.006, 4),
]

CLOSED = {
    "2000-01-01", "2000-04-21", "2000-04-24", "2000-05-01", "2000-12-25", "2000-12-26",
    "2001-01-01", "2001-04-13", "2001-04-16", "2001-05-01", "2001-12-25", "2001-12-26",
}


def weekdays(first, last):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def main():
    rng = random.Random(14)
    print(HEADER)
    for code, name, value, vol, decimals in CURRENCIES:
        title = f"{name}/Euro"
        compl = f"\"ECB reference exchange rate, {name}/Euro, 2:15 pm (C.E.T.)\""
        for day in weekdays(datetime.date(2000, 1, 3), datetime.date(2001, 12, 31)):
            iso = day.isoformat()
            value *= math.exp(rng.gauss(0.0, vol))
            if iso in CLOSED:
                obs, status = "", "M"
            else:
                obs, status = f"{value:.{decimals}f}", "A"
            print(f"EXR.D.{code}.EUR.SP00.A,D,{code},EUR,SP00,A,{iso},{obs},{status},F,,,P1D,,A,,,,"
                  f",,,,,,{decimals},,4F0,,{title},{compl},{code},0")


if __name__ == "__main__":
    main()
