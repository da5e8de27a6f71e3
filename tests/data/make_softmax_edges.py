#!/usr/bin/python3
"""Writes softmax_edges.json: values and gradients of softmax, log_softmax,
softmax_cross_entropy (class indices and probabilities), mse_loss, mae_loss and
the shape ops at edge inputs, computed here with numpy from PyTorch's documented
formulas (torch.nn.functional.softmax / log_softmax over dim 0 with its max
shift, cross_entropy as nll_loss(log_softmax) with mean reduction, and with a
probabilities target -(target * log_softmax).sum(0).mean(); mse_loss, l1_loss;
torch.narrow, torch.cat, torch.reshape), which tests/test_softmax_edges.cpp
replays against tapegrad. Gradients follow PyTorch's backward formulas: softmax
y * (g - sum(g * y)), log_softmax g - exp(y) * sum(g), nll_loss -onehot / m,
mse 2 (p - t) / n, l1 sign(p - t) / n.

Examples are columns, so the class axis is 0. Non-finite numbers are written
as the strings "nan", "inf", "-inf" (JSON has no such numbers).

Run once with Debian's python3-numpy from this folder:
/usr/bin/python3 make_softmax_edges.py. The tests do not run it.
"""
import json

import numpy as np

inf, nan = np.inf, np.nan


def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def log_softmax(z):
    shift = z - np.max(z, axis=0, keepdims=True)
    return shift - np.log(np.sum(np.exp(shift), axis=0, keepdims=True))


def softmax_backward(g, y):
    return y * (g - np.sum(g * y, axis=0, keepdims=True))


def log_softmax_backward(g, y):
    return g - np.exp(y) * np.sum(g, axis=0, keepdims=True)


def cross_entropy_indices(z, labels):
    m = z.shape[1]
    logp = log_softmax(z)
    idx = labels[0].astype(int)
    loss = np.sum(-logp[idx, np.arange(m)]) / m
    dlogp = np.zeros_like(z)
    dlogp[idx, np.arange(m)] = -1.0 / m  # nll_loss backward, mean reduction
    return loss, log_softmax_backward(dlogp, logp)


def cross_entropy_probabilities(z, y):
    m = z.shape[1]
    logp = log_softmax(z)
    loss = np.sum(-np.sum(y * logp, axis=0)) / m
    return loss, log_softmax_backward(-y / m, logp)


# Each column an edge: extreme logits both ways, all equal (tiny, huge, ordinary),
# large mixed, and extremes next to a moderate value.
Z = np.array([[1e300, -1e300, 1e300, 1000.0, 0.5, -1e300],
              [-1e300, -1e300, 1e300, 0.0, 0.5, 1e300],
              [0.0, -1e300, 1e300, -1000.0, 0.5, 5.0]])
# A single class (K = 1): softmax 1, log_softmax 0, gradient 0.
Z1 = np.array([[3.0, -1e300, 1e300]])
# +inf or NaN in a column makes it NaN; -inf is a probability of 0.
Zbad = np.array([[inf, nan, -inf],
                 [0.0, 0.0, 0.0],
                 [1.0, 1.0, 1.0]])
rs = np.random.RandomState(14)
G = rs.randn(3, 6)
G1 = rs.randn(1, 3)
Gbad = rs.randn(3, 3)

cases = []


def enc(a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    def one(x):
        if np.isnan(x):
            return "nan"
        if np.isinf(x):
            return "inf" if x > 0 else "-inf"
        return float(x)
    return [[one(x) for x in row] for row in a]


def add(op, inputs, seed, value, grads, scalars=None):
    cases.append({"op": op, "inputs": [enc(x) for x in inputs], "scalars": scalars or [],
                  "seed": enc(seed), "value": enc(value), "grads": [enc(g) if g is not None else None for g in grads]})


with np.errstate(invalid="ignore", over="ignore"):
    for z, g in [(Z, G), (Z1, G1), (Zbad, Gbad)]:
        y = softmax(z)
        add("softmax", [z], g, y, [softmax_backward(g, y)])
        ly = log_softmax(z)
        add("log_softmax", [z], g, ly, [log_softmax_backward(g, ly)])

one = np.ones((1, 1))
labels = np.array([[0.0, 1.0, 2.0, 1.0, 0.0, 2.0]])
loss, dz = cross_entropy_indices(Z, labels)
add("softmax_cross_entropy", [Z, labels], one, loss, [dz, None])
labels1 = np.zeros((1, 3))
loss, dz = cross_entropy_indices(Z1, labels1)
add("softmax_cross_entropy", [Z1, labels1], one, loss, [dz, None])
# Soft labels; one one-hot column; the last column sums to 2 (PyTorch does not normalize).
Y = np.array([[0.2, 1.0, 0.25, 0.0, 0.1, 0.5],
              [0.3, 0.0, 0.25, 1.0, 0.6, 1.0],
              [0.5, 0.0, 0.5, 0.0, 0.3, 0.5]])
loss, dz = cross_entropy_probabilities(Z, Y)
add("softmax_cross_entropy", [Z, Y], one, loss, [dz, None])
seed = np.array([[0.75]])  # a chosen seed for the loss
loss, dz = cross_entropy_indices(Z, labels)
add("softmax_cross_entropy", [Z, labels], seed, loss, [0.75 * dz, None])

# Regression losses with p == t elements (mae's gradient is 0 there).
P = np.array([[0.5, -1.25, 2.0], [3.0, 0.1, -0.7]])
T = np.array([[0.5, 1.0, -2.0], [3.0, 0.3, -0.7]])
n = P.size
add("mse_loss", [P, T], seed, np.mean((P - T) ** 2), [0.75 * 2 * (P - T) / n, -0.75 * 2 * (P - T) / n])
add("mae_loss", [P, T], seed, np.mean(np.abs(P - T)), [0.75 * np.sign(P - T) / n, -0.75 * np.sign(P - T) / n])

# Shape ops on small matrices with a non-trivial seed.
A = np.arange(12.0).reshape(3, 4) * 0.5 - 2.0
B = rs.randn(2, 4)
C = rs.randn(3, 2)
for op, begin, end in [("slice_rows", 1, 3), ("slice_rows", 0, 1), ("slice_cols", 1, 3), ("slice_cols", 3, 4)]:
    out = A[begin:end, :] if op == "slice_rows" else A[:, begin:end]
    s = rs.randn(*out.shape)
    da = np.zeros_like(A)
    if op == "slice_rows":
        da[begin:end, :] = s
    else:
        da[:, begin:end] = s
    add(op, [A], s, out, [da], [begin, end])
out = np.concatenate([A, B], axis=0)
s = rs.randn(*out.shape)
add("concat_rows", [A, B], s, out, [s[:3, :], s[3:, :]])
out = np.concatenate([A, C], axis=1)
s = rs.randn(*out.shape)
add("concat_cols", [A, C], s, out, [s[:, :4], s[:, 4:]])
for rows, cols in [(2, 6), (12, 1), (1, 12)]:
    out = A.reshape(rows, cols)
    s = rs.randn(rows, cols)
    add("reshape", [A], s, out, [s.reshape(A.shape)], [rows, cols])

with open("softmax_edges.json", "w") as f:
    json.dump({"cases": cases}, f, indent=1, allow_nan=False)
    f.write("\n")
