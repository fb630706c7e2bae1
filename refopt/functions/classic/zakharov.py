"""Zakharov function, any n >= 1.

Source: as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang (2013); the function
is attributed to V. V. Zakharov (see also Rahnamayan, Tizhoosh, Salama 2007).

    f(x) = sum_i x_i^2 + S^2 + S^4,   S = sum_i 0.5 i x_i   (i = 1..n)

Domain [-5, 10]^n; f* = 0 at x* = 0 (unimodal).

Derivatives (by hand; dS/dx_k = k/2):
    df/dx_k       = 2 x_k + (2 S + 4 S^3) k / 2  = 2 x_k + (S + 2 S^3) k
    d2f/dx_k dx_l = 2 [k = l] + (2 + 12 S^2) k l / 4  = 2 [k = l] + (0.5 + 3 S^2) k l
(dense rank-one update of 2 I).

Trap: the weights are 0.5 i with i counted from 1; some Python ports loop `for i in range(n)`
and so weight x_1 by 0.

x0: the literature gives none; refopt uses x_i = 1 (inside the box, not stationary).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    s2 = x[0] * 0.0
    s = x[0] * 0.0
    for i in range(x.shape[0]):
        s2 += x[i] * x[i]
        s += 0.5 * (i + 1.0) * x[i]
    out[0] = s2 + s * s + s * s * s * s


def grad(x, p, g):
    n = x.shape[0]
    s = x[0] * 0.0
    for i in range(n):
        s += 0.5 * (i + 1.0) * x[i]
    a = s + 2.0 * s * s * s
    for k in range(n):
        g[k] = 2.0 * x[k] + a * (k + 1.0)


def hess(x, p, H):
    n = x.shape[0]
    s = x[0] * 0.0
    for i in range(n):
        s += 0.5 * (i + 1.0) * x[i]
    b = 0.5 + 3.0 * s * s
    for k in range(n):
        for l in range(k + 1):
            h = b * ((k + 1.0) * (l + 1.0))
            if k == l:
                h = h + 2.0
            H[k, l] = h
            H[l, k] = h


register(
    "zakharov",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.ones(n),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-5.0, 10.0),
    formula="f = sum_i x_i^2 + S^2 + S^4,  S = sum_i 0.5 i x_i,  i = 1..n",
    source="Surjanovic & Bingham, VLSE (Zakharov); Jamil & Yang (2013)",
    notes="x0 is not part of the usual definition: refopt uses 1 in every coordinate.",
)
