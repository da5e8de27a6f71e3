#!/usr/bin/python3
"""Writes numpy_sums.json: np.sum of randn arrays past numpy's 8192-element
buffer, whole and along axis 1, which tests/test_sums.cpp recomputes with
tapegrad's sums on the same random_state draws and compares bit for bit.

Run once with Debian's python3-numpy (apt-get install python3-numpy) from this
folder: /usr/bin/python3 make_numpy_sums.py. The tests do not run it. Sums are
written as hexadecimal floats (float.hex) so every bit is kept.
"""
import json

import numpy as np

cases = []
for seed in range(4):
    for shape in [(1, 4219), (1, 8192), (1, 8193), (1, 10000), (1, 16385), (1, 20000), (1, 100000),
                  (3, 9000), (300, 100), (2, 20000), (20000, 2)]:
        a = np.random.RandomState(seed).randn(*shape)
        cases.append({
            "seed": seed,
            "shape": list(shape),
            "sum": float(np.sum(a)).hex(),
            "nansum_with_nans": None,
            "sum_axis1": [float(x).hex() for x in np.sum(a, axis=1)] if shape[0] <= 300 else None,
            "sum_axis0": [float(x).hex() for x in np.sum(a, axis=0)] if shape[1] <= 100 else None,
        })
        # np.nansum with every 7th element NaN (the course's cost sums its terms this way).
        b = a.copy().ravel()
        b[::7] = np.nan
        cases[-1]["nansum_with_nans"] = float(np.nansum(b)).hex()

with open("numpy_sums.json", "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1)
