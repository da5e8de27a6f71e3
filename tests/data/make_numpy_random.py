#!/usr/bin/python3
"""Writes numpy_random.json: reference outputs of numpy's legacy RandomState,
which tests/test_numpy_random.cpp replays against tapegrad::random_state.

Run once with Debian's python3-numpy (apt-get install python3-numpy) from this
folder: /usr/bin/python3 make_numpy_random.py. The tests do not run it.
Each case seeds a fresh RandomState, then makes calls in order; a call's
'values' are its output flattened row-major.
"""
import json

import numpy as np


def run(seed, calls):
    rs = np.random.RandomState(seed)
    out = []
    for call in calls:
        fn = call["fn"]
        if fn == "seed":
            rs.seed(call["seed"])
            out.append(dict(call))
            continue
        if fn == "rand":
            v = rs.rand(*call["shape"])
        elif fn == "randn":
            v = rs.randn(*call["shape"])
        elif fn == "normal":
            v = rs.normal(call["loc"], call["scale"], size=tuple(call["shape"]))
        elif fn == "permutation":
            v = rs.permutation(call["n"])
        elif fn == "shuffle":
            v = np.arange(call["n"])
            rs.shuffle(v)
        else:
            raise ValueError(fn)
        rec = dict(call)
        rec["values"] = [x.item() for x in np.asarray(v).ravel(order="C")]
        out.append(rec)
    return {"seed": seed, "calls": out}


cases = [
    run(1, [{"fn": "rand", "shape": [20, 10]}]),
    run(3, [{"fn": "randn", "shape": [15, 10]}, {"fn": "randn", "shape": [3, 1]}]),
    # An odd number of normals leaves one cached: rand() must not disturb it,
    # and the next randn() starts with it.
    run(2, [{"fn": "randn", "shape": [3, 1]}, {"fn": "rand", "shape": [2, 2]}, {"fn": "randn", "shape": [5, 1]}]),
    # Seeding clears the cached normal.
    run(11, [{"fn": "randn", "shape": [7, 1]}, {"fn": "seed", "seed": 11}, {"fn": "randn", "shape": [7, 1]}]),
    run(5, [{"fn": "normal", "loc": 1.5, "scale": 0.05, "shape": [50, 2]}]),
    run(0, [{"fn": "normal", "loc": 0.0, "scale": 10.0, "shape": [4, 3]}]),
    run(7, [{"fn": "permutation", "n": 100}, {"fn": "shuffle", "n": 37}, {"fn": "permutation", "n": 1},
            {"fn": "permutation", "n": 2}, {"fn": "rand", "shape": [3, 1]}]),
    run(1, [{"fn": "permutation", "n": 300}, {"fn": "shuffle", "n": 300}]),
    run(4294967295, [{"fn": "rand", "shape": [5, 1]}, {"fn": "randn", "shape": [5, 1]}]),
    run(123, [{"fn": "rand", "shape": [1, 100]}, {"fn": "randn", "shape": [1, 101]},
              {"fn": "normal", "loc": -2.0, "scale": 0.5, "shape": [10, 10]}]),
]

# np.sum's pairwise summation: sums of uniform values of several lengths
# (below 8, up to 128, and recursive halving above), in float64.
sums = []
rs = np.random.RandomState(99)
for n in [1, 5, 8, 9, 100, 128, 129, 300, 1000, 4219]:
    v = rs.rand(n) * 2.0 - 1.0
    sums.append({"values": v.tolist(), "sum": float(np.sum(v))})

with open("numpy_random.json", "w") as f:
    json.dump({"numpy_version": np.__version__, "cases": cases, "sums": sums}, f)
    f.write("\n")
