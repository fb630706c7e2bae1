"""Trid function, any n >= 1.

Source: as listed by Surjanovic & Bingham (VLSE), Hedar's GO test problems and Jamil & Yang (2013)
(Trid 6, Trid 10); from Adorio & Diliman, "MVF - Multivariate test functions library in C" (2005).

    f(x) = sum_{i=1}^n (x_i - 1)^2 - sum_{i=2}^n x_i x_{i-1}

Domain [-n^2, n^2]^n; convex quadratic; f* = -n (n + 4)(n - 1) / 6 at x_i = i (n + 1 - i)
(e.g. n = 6: -50, n = 10: -210; n = 1 degenerates to (x_1 - 1)^2 with f* = 0 at 1, which the
same formulas give).

Trap: Hedar's GO test-problem page lists f* = -200 for n = 10; the closed form (and direct
evaluation at x*, where the gradient vanishes and f is convex) gives -210, as e.g. the
benchmarkfcns documentation states.

Derivatives (by hand):
    df/dx_i = 2 (x_i - 1) - x_{i-1} [i > 1] - x_{i+1} [i < n]
    Hessian constant and tridiagonal: 2 on the diagonal, -1 on the first off-diagonals.
(The minimizer solves this tridiagonal system: 2 x_i - x_{i-1} - x_{i+1} = 2 with x_0 = x_{n+1} = 0,
whose solution is the parabola x_i = i (n + 1 - i).)

x0: the literature gives none; refopt uses x = 0 (inside the box; the gradient there is -2 in
every coordinate, so it is not stationary).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    s = (x[0] - 1.0) ** 2
    for i in range(1, n):
        s += (x[i] - 1.0) ** 2 - x[i] * x[i - 1]
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    for i in range(n):
        d = 2.0 * (x[i] - 1.0)
        if i > 0:
            d = d - x[i - 1]
        if i < n - 1:
            d = d - x[i + 1]
        g[i] = d


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        H[i, i] = 2.0
    for i in range(1, n):
        H[i, i - 1] = -1.0
        H[i - 1, i] = -1.0


register(
    "trid",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.zeros(n),
    xstar=lambda n, m: np.array([i * (n + 1.0 - i) for i in range(1, n + 1)]),
    fstar=lambda n, m: -n * (n + 4) * (n - 1) / 6.0,
    bounds=lambda n, m: (-float(n * n), float(n * n)),
    formula="f = sum_{i=1}^n (x_i - 1)^2 - sum_{i=2}^n x_i x_{i-1}",
    source="Adorio & Diliman (2005), MVF library; Surjanovic & Bingham, VLSE; Jamil & Yang (2013)",
    notes="Convex quadratic; f* = -n(n+4)(n-1)/6 at x_i = i(n+1-i); the domain [-n^2, n^2] "
          "depends on n. For n = 10, f* = -210 (the -200 on Hedar's GO page is a misprint). "
          "x0 is not part of the usual definition: refopt uses x = 0.",
)
