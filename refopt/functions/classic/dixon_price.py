"""Dixon-Price function, any n >= 1.

Source: L. C. W. Dixon and R. C. Price, "Truncated Newton method for sparse unconstrained
optimization using automatic differentiation", J. Optim. Theory Appl. 60 (1989) 261-275; as
listed by Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

    f(x) = (x_1 - 1)^2 + sum_{i=2}^n i (2 x_i^2 - x_{i-1})^2

Domain [-10, 10]^n; f* = 0 at x_i = 2^(-(2^i - 2)/2^i) = 2^(2^(1-i) - 1)  (i = 1..n), i.e.
x_1 = 1 and 2 x_i^2 = x_{i-1}. The sign of x_n is free (x_n -> -x_n is a second global minimizer
for n >= 2); refopt gives the all-positive one.

Derivatives (by hand; u_i = 2 x_i^2 - x_{i-1}, du_i/dx_i = 4 x_i, du_i/dx_{i-1} = -1):
    df/dx_1 gets 2 (x_1 - 1);  for i >= 2: df/dx_i gets 8 i x_i u_i, df/dx_{i-1} gets -2 i u_i.
    Hessian (tridiagonal), from 2 i (grad u_i grad u_i^T + u_i Hess u_i):
    H_11 gets 2;  for i >= 2: H_ii gets 2 i (16 x_i^2 + 4 u_i), H_{i-1,i-1} gets 2 i,
    H_{i,i-1} = H_{i-1,i} = -8 i x_i.

x0: the literature gives none; refopt uses x_i = 2 (inside the box, not stationary for any n;
x_i = 1 would be the minimizer when n = 1).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    s = (x[0] - 1.0) ** 2
    for i in range(1, n):
        u = 2.0 * x[i] * x[i] - x[i - 1]
        s += (i + 1.0) * u * u
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    for i in range(n):
        g[i] = 0.0
    g[0] = 2.0 * (x[0] - 1.0)
    for i in range(1, n):
        k = i + 1.0
        u = 2.0 * x[i] * x[i] - x[i - 1]
        g[i] += 8.0 * k * x[i] * u
        g[i - 1] += -2.0 * k * u


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    H[0, 0] = 2.0
    for i in range(1, n):
        k = i + 1.0
        u = 2.0 * x[i] * x[i] - x[i - 1]
        H[i, i] += 2.0 * k * (16.0 * x[i] * x[i] + 4.0 * u)
        H[i - 1, i - 1] += 2.0 * k
        h = -8.0 * k * x[i]
        H[i, i - 1] = h
        H[i - 1, i] = h


def _xstar(n, m):
    i = np.arange(1, n + 1, dtype=np.float64)
    return 2.0 ** (2.0 ** (1.0 - i) - 1.0)


register(
    "dixon_price",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 2.0),
    xstar=_xstar, fstar=0.0,
    bounds=(-10.0, 10.0),
    formula="f = (x_1 - 1)^2 + sum_{i=2}^n i (2 x_i^2 - x_{i-1})^2",
    source="Dixon & Price (1989), J. Optim. Theory Appl. 60:261-275; Surjanovic & Bingham, VLSE",
    notes="x* given with x_n > 0; x_n -> -x_n is also a global minimizer (n >= 2). x0 is not part "
          "of the usual definition: refopt uses 2 in every coordinate.",
)
