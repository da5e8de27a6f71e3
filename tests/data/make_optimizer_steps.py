#!/usr/bin/python3
"""Writes optimizer_steps.json: three update steps of each optimizer on a fixed
parameter and gradient sequence, computed here with numpy from PyTorch's
documented algorithms (torch.optim: SGD with momentum, dampening 0, nesterov;
Adam with L2 weight decay; AdamW; RMSprop), which tests/test_optimizers.cpp
replays against tapegrad's optimizers.

Run once with Debian's python3-numpy from this folder:
/usr/bin/python3 make_optimizer_steps.py. The tests do not run it.
"""
import json

import numpy as np

rs = np.random.RandomState(0)
w0 = rs.randn(3, 4)
grads = [rs.randn(3, 4) for _ in range(3)]


def sgd(lr, momentum=0.0, nesterov=False, wd=0.0):
    p, buf, out = w0.copy(), None, []
    for g in grads:
        g = g + wd * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
        out.append(p.copy())
    return out


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, decoupled=False):
    p, m, v, out = w0.copy(), np.zeros_like(w0), np.zeros_like(w0), []
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mhat = m / (1 - b1 ** t)
        vhat = v / (1 - b2 ** t)
        p = p - lr * mhat / (np.sqrt(vhat) + eps)
        out.append(p.copy())
    return out


def rmsprop(lr, alpha=0.99, eps=1e-8, wd=0.0):
    p, v, out = w0.copy(), np.zeros_like(w0), []
    for g in grads:
        g = g + wd * p
        v = alpha * v + (1 - alpha) * g * g
        p = p - lr * g / (np.sqrt(v) + eps)
        out.append(p.copy())
    return out


cases = {
    "gd_weight_decay": sgd(0.1, wd=0.05),
    "momentum_classic": sgd(0.1, momentum=0.9),
    "momentum_nesterov": sgd(0.1, momentum=0.9, nesterov=True),
    "momentum_classic_weight_decay": sgd(0.1, momentum=0.9, wd=0.05),
    "adam_l2": adam(0.01, wd=0.05),
    "adamw": adam(0.01, wd=0.05, decoupled=True),
    "rmsprop": rmsprop(0.01),
    "rmsprop_weight_decay": rmsprop(0.01, alpha=0.9, wd=0.05),
}
doc = {
    "numpy": np.__version__,
    "w0": w0.tolist(),
    "grads": [g.tolist() for g in grads],
    "steps": {name: [w.tolist() for w in ws] for name, ws in cases.items()},
}
with open("optimizer_steps.json", "w") as f:
    json.dump(doc, f, indent=1)
