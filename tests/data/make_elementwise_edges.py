#!/usr/bin/python3
"""Writes elementwise_edges.json: values and gradients of the elementwise ops,
activations and extrema at their edge values (0, -0.0, tiny and huge inputs,
ties, NaN, infinities), computed here with numpy from PyTorch's documented
formulas
  torch.abs, torch.pow, torch.clamp, torch.log1p, torch.expm1,
  torch.nn.functional.leaky_relu, elu, softplus,
  torch.maximum, torch.minimum,
  torch.max, torch.amax, torch.min, torch.amin,
and the backward rules of PyTorch's derivatives.yaml, independently of
tapegrad's C++.
tests/test_elementwise_edges.cpp replays them against tapegrad's ops.

Every gradient is for a seed of ones. JSON has no NaN or infinity: they are
written as the strings "nan", "inf" and "-inf". A case marked "exact" uses only
+, -, *, /, comparisons and abs, so tapegrad must give the same doubles; the
others go through exp, log1p, expm1 or pow and are compared to a few ulps.

Run once with Debian's python3-numpy from this folder:
/usr/bin/python3 make_elementwise_edges.py. The tests do not run it.
"""
import json
import math

import numpy as np


def enc(v):
    """A double as JSON: a number, or "nan", "inf", "-inf"."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def mat(a):
    return [[enc(v) for v in row] for row in np.atleast_2d(np.asarray(a, dtype=np.float64))]


def sign(x):
    # torch.sign: (0 < x) - (x < 0), so 0 at +-0 and for NaN
    return (0 < x).astype(np.float64) - (x < 0).astype(np.float64)


def abs_(x, _):
    return np.abs(x), sign(x)


def pow_(x, s):
    p = s[0]
    y = np.power(x, p)
    # derivatives.yaml, pow.Tensor_Scalar: 0 when the exponent is 0, else p x^(p-1)
    d = np.zeros_like(x) if p == 0 else p * np.power(x, p - 1)
    return y, d


def clamp(x, s):
    lo, hi = s
    # torch.clamp: min(max(x, lo), hi), NaN propagating; gradient where lo <= x <= hi
    y = np.minimum(np.maximum(x, lo), hi)
    return y, ((x >= lo) & (x <= hi)).astype(np.float64)


def log1p(x, _):
    return np.log1p(x), 1.0 / (x + 1.0)


def expm1(x, _):
    y = np.expm1(x)
    return y, y + 1.0  # derivatives.yaml: grad * (result + 1)


def leaky_relu(x, s):
    slope = s[0]
    # x if x > 0 else negative_slope * x; the backward takes the same branch
    return np.where(x > 0, x, slope * x), np.where(x > 0, 1.0, slope)


def elu(x, s):
    alpha = s[0]
    # alpha (exp(x) - 1) for x <= 0, computed as expm1; backward alpha exp(x) there
    return np.where(x <= 0, alpha * np.expm1(x), x), np.where(x <= 0, alpha * np.exp(x), 1.0)


def softplus(x, _):
    # beta 1, threshold 20: x above the threshold, else log(1 + exp(x));
    # backward z / (z + 1), z = exp(x), and 1 above the threshold
    z = np.exp(x)
    return np.where(x > 20, x, np.log1p(z)), np.where(x > 20, 1.0, z / (z + 1.0))


def unary(op, f, xs, scalars=(0.0, 0.0), exact=False):
    x = np.array(xs, dtype=np.float64)
    y, d = f(x, scalars)
    return {"op": op, "scalars": list(scalars), "exact": exact, "x": mat(x), "y": mat(y), "dx": mat(d)}


def reduce_to(g, shape):
    """A broadcast operand's gradient: summed back onto its own shape."""
    for axis in (0, 1):
        if shape[axis] == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def binary(op, a, b):
    a = np.atleast_2d(np.array(a, dtype=np.float64))
    b = np.atleast_2d(np.array(b, dtype=np.float64))
    A, B = np.broadcast_arrays(a, b)
    half = np.where(A == B, 0.5, 1.0)
    # derivatives.yaml: where(self == other, grad / 2, grad), then masked to 0 for
    # the smaller (maximum) or larger (minimum) operand
    if op == "maximum":
        y = np.maximum(A, B)  # NaN if either is NaN, as torch.maximum
        da, db = np.where(A < B, 0.0, half), np.where(A > B, 0.0, half)
    else:
        y = np.minimum(A, B)
        da, db = np.where(A > B, 0.0, half), np.where(A < B, 0.0, half)
    return {"op": op, "a": mat(a), "b": mat(b), "y": mat(y), "da": mat(reduce_to(da, a.shape)),
            "db": mat(reduce_to(db, b.shape))}


def extreme(op, x, axis):
    x = np.array(x, dtype=np.float64)
    y = (np.max if op == "max" else np.min)(x, axis=axis, keepdims=True)  # NaN if any reduced is NaN
    # Ties share the gradient equally (torch.amax / amin: grad / count over the
    # elements equal to the result); where the result is NaN the NaN elements are
    # the extreme (torch.max's evenly_distribute_backward).
    mask = (x == y) | (np.isnan(x) & np.isnan(y))
    count = mask.sum(axis=axis, keepdims=True)
    dx = np.where(mask, 1.0 / np.broadcast_to(count, x.shape), 0.0)
    return {"op": op, "axis": -1 if axis is None else axis, "x": mat(x), "y": mat(y), "dx": mat(dx)}


nan, inf = float("nan"), float("inf")
tiny, huge = 1e-300, 1e308
kinks = [0.0, -0.0, tiny, -tiny, -1e3, 1e3]

with np.errstate(all="ignore"):
    unary_cases = [
        unary("abs", abs_, [0.0, -0.0, tiny, -tiny, huge, -huge], exact=True),
        unary("pow", pow_, [0.0], (0.0, 0.0), exact=True),
        unary("pow", pow_, [0.0], (2.0, 0.0), exact=True),
        unary("pow", pow_, [0.0], (0.5, 0.0), exact=True),
        unary("pow", pow_, [0.0], (-1.0, 0.0), exact=True),
        unary("pow", pow_, [-2.0], (3.0, 0.0), exact=True),
        unary("clamp", clamp, [-1.0, 1.5, 0.25, -3.0, 7.0, nan, -inf, inf], (-1.0, 1.5), exact=True),
        unary("log1p", log1p, [1e-17, -0.5, -1.0, huge]),
        unary("expm1", expm1, [1e-17, -745.0, 710.0, 0.0]),
        unary("leaky_relu", leaky_relu, kinks, (0.01, 0.0), exact=True),
        unary("leaky_relu", leaky_relu, kinks, (0.2, 0.0), exact=True),
        unary("elu", elu, kinks, (1.0, 0.0)),
        unary("elu", elu, kinks, (0.5, 0.0)),
        unary("softplus", softplus, [-1000.0, -30.0, 0.0, 19.999, 20.0, 20.001, 30.0, 1000.0]),
    ]
    pairs_a = [[1.0, -2.0, 3.0, nan, 1.0, nan, inf, -inf, inf, -inf, inf, 0.0]]
    pairs_b = [[1.0, 3.0, -2.0, 1.0, nan, nan, inf, -inf, 5.0, 5.0, -inf, -0.0]]
    # A broadcast column: its gradient sums a row's ties (halves) and wins.
    block = [[1.0, 2.0, 3.0], [4.0, nan, 4.0]]
    column = [[2.0], [4.0]]
    binary_cases = [binary(op, a, b) for op in ("maximum", "minimum")
                    for a, b in ((pairs_a, pairs_b), (block, column), (column, block))]
    ties = [[1.0, 3.0, 3.0], [1.0, 0.0, -1.0]]          # a tie in row 0, in column 0, and in the whole max
    with_nan = [[1.0, nan, 2.0], [0.0, 5.0, nan]]        # NaN in two columns and both rows
    infinite = [[inf, inf, -inf], [-inf, 2.0, -inf]]     # tied infinities
    constant = [[2.0, 2.0], [2.0, 2.0]]                  # every element tied
    extreme_cases = [extreme(op, x, axis) for op in ("max", "min") for x in (ties, with_nan, infinite, constant)
                     for axis in (None, 0, 1)]

doc = {
    "numpy": np.__version__,
    "unary": unary_cases,
    "binary": binary_cases,
    "extreme": extreme_cases,
}
with open("elementwise_edges.json", "w") as f:
    json.dump(doc, f, indent=1)
