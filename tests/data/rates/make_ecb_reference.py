#!/usr/bin/python3
"""Reference values for `sextant-cli curve --source ecb` on ecb_yc_aaa_synthetic.csv: the ECB
publishes spot rates itself (Svensson model, continuous compounding), so what Sextant computes
from them is the forward between tenors, (z_i t_i - z_(i-1) t_(i-1)) / (t_i - t_(i-1)) with t the
tenor in years (numpy), and the Nelson-Siegel / Svensson fits of make_curve_reference.py (SciPy).

Usage: /usr/bin/python3 make_ecb_reference.py > ecb_curve_reference.json
"""
import csv
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_curve_reference import fit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def months(tenor):
    return float(tenor[:-1]) * (12 if tenor.endswith("Y") else 1)


def main():
    days = {}
    with open(os.path.join(HERE, "ecb_yc_aaa_synthetic.csv"), newline="") as f:
        for row in csv.DictReader(f):
            kind, tenor = row["DATA_TYPE_FM"].split("_")
            if row["OBS_VALUE"] in ("", "NaN"):
                continue
            days.setdefault(row["TIME_PERIOD"], {"PY": {}, "SR": {}})[kind][months(tenor)] = \
                float(row["OBS_VALUE"])
    out = {"source": "ecb_yc_aaa_synthetic.csv", "curves": []}
    for day in sorted(days):
        spot = days[day]["SR"]
        m = sorted(spot)
        t = np.array(m) / 12
        z = np.array([spot[k] for k in m])
        tz = t * z
        forward = [z[0]] + list((tz[1:] - tz[:-1]) / (t[1:] - t[:-1]))
        out["curves"].append({
            "date": day,
            "tenors": list(t),
            "par": [days[day]["PY"].get(k) for k in m],
            "zero": list(z),
            "forward": forward,
            "nelson_siegel": fit(t, z, False),
            "svensson": fit(t, z, True),
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
