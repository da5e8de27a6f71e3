#!/usr/bin/python3
"""Writes spirals.json: numpy's linspace on a few ranges, and the 3-class spiral
data set by the recipe make_spirals documents (CS231n's spiral data:
np.random.seed(0), 100 points per class, noise 0.2), which
tests/test_make_spirals.cpp compares with tapegrad's linspace and make_spirals.

Run once with Debian's python3-numpy from this folder:
/usr/bin/python3 make_spirals.py. The tests do not run it.
"""
import json

import numpy as np

linspaces = []
for start, stop, n, endpoint in [(0.0, 1.0, 100, True), (8.0, 12.0, 100, True), (0.0, np.pi, 150, True),
                                 (0.0, 2 * np.pi, 7, False), (0.0, np.pi, 1, True), (-3.5, 0.1, 11, True),
                                 (2.0, 2.0, 4, True)]:
    values = np.linspace(start, stop, n, endpoint=endpoint)
    linspaces.append({"start": start, "stop": stop, "n": n, "endpoint": endpoint, "values": values.tolist()})


def spirals(seed, N, K, noise):
    np.random.seed(seed)
    X = np.zeros((N * K, 2))
    y = np.zeros(N * K)
    for j in range(K):
        ix = range(N * j, N * (j + 1))
        r = np.linspace(0.0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return {"seed": seed, "points_per_class": N, "classes": K, "noise": noise, "X": X.T.tolist(), "y": y.tolist()}


with open("spirals.json", "w") as f:
    json.dump({"linspace": linspaces, "spirals": [spirals(0, 100, 3, 0.2), spirals(7, 5, 4, 0.5)]}, f)
