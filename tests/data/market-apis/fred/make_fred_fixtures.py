#!/usr/bin/python3
"""Writes the FRED fixtures of tests/test-fred.c into this folder (see README.md).

DGS10 (the 10-year Treasury constant maturity rate, a US Government work) is the "10 Yr" column
of ../../rates/treasury_par_2025-02.csv, the same numbers FRED republishes, for 10-28 February
2025; FRED lists 17 February (Presidents' Day) with the value "." and the graph download with an
empty field. BAMLH0A0HYM2 (ICE BofA US High Yield OAS) is licensed to FRED and may not be
redistributed: its fixture values are made up (a seeded random walk), never ICE's.

Run: /usr/bin/python3 make_fred_fixtures.py
"""
import csv
import datetime
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
HOLIDAY = "2025-02-17"


def treasury_10y():
    with open(os.path.join(HERE, "..", "..", "rates", "treasury_par_2025-02.csv"), newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("10 Yr")
    values = {}
    for row in rows[1:]:
        month, day, year = row[0].split("/")
        values[f"{year}-{month}-{day}"] = row[column]
    return values


def weekdays(first, last):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day.isoformat()
        day += datetime.timedelta(days=1)


def write_api(series_id, observations, start, end, name):
    answer = {
        "realtime_start": "2025-03-03", "realtime_end": "2025-03-03",
        "observation_start": start, "observation_end": end, "units": "lin",
        "output_type": 1, "file_type": "json", "order_by": "observation_date",
        "sort_order": "asc", "count": len(observations), "offset": 0, "limit": 100000,
        "observations": [{"realtime_start": "2025-03-03", "realtime_end": "2025-03-03",
                          "date": date, "value": value} for date, value in observations],
    }
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(answer, f, indent=1)
        f.write("\n")


def write_graph(series_id, observations, name):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(f"observation_date,{series_id}\n")
        for date, value in observations:
            f.write(f"{date},{'' if value == '.' else value}\n")


def main():
    tens = treasury_10y()
    days = [d for d in weekdays(datetime.date(2025, 2, 10), datetime.date(2025, 2, 28))]
    dgs10 = [(d, "." if d == HOLIDAY else tens[d]) for d in days]
    write_api("DGS10", dgs10, "2025-02-10", "2025-02-28", "dgs10_observations.json")
    write_graph("DGS10", dgs10, "dgs10_graph.csv")
    rng = random.Random(17)
    level, oas = 2.80, []
    for d in days:
        level += rng.gauss(0.0, 0.03)
        oas.append((d, "." if d == HOLIDAY else f"{level:.2f}"))
    write_api("BAMLH0A0HYM2", oas, "2025-02-10", "2025-02-28", "oas_synthetic_observations.json")
    write_graph("BAMLH0A0HYM2", oas, "oas_synthetic_graph.csv")


if __name__ == "__main__":
    main()
