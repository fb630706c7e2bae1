"""Rosenbrock function in n ≥ 2 dimensions (the chained form scipy.optimize.rosen uses).

f(x) = Σ_{i<n} [100 (x_{i+1} − x_i²)² + (1 − x_i)²]
∂f/∂x_i = −400 x_i (x_{i+1} − x_i²) − 2 (1 − x_i)  [i < n]  + 200 (x_i − x_{i−1}²)  [i > 1]
∇²f is tridiagonal: H_ii = 1200 x_i² − 400 x_{i+1} + 2 [i < n] + 200 [i > 1],
H_{i,i+1} = H_{i+1,i} = −400 x_i.  f* = 0 at x* = 1. For n = 2 it is MGH problem 1.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    for i in range(n):
        g[i] = 0.0
    for i in range(n - 1):
        t = x[i + 1] - x[i] ** 2
        g[i] += -400.0 * x[i] * t - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * t


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    for i in range(n - 1):
        H[i, i] += 1200.0 * x[i] ** 2 - 400.0 * x[i + 1] + 2.0
        H[i + 1, i + 1] += 200.0
        H[i, i + 1] = -400.0 * x[i]
        H[i + 1, i] = -400.0 * x[i]


register(
    "rosenbrock",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 2, n_text="any n >= 2",
    x0=lambda n, m: np.where(np.arange(n) % 2 == 0, -1.2, 1.0),
    xstar=lambda n, m: np.ones(n), fstar=0.0,
    bounds=(-5.0, 10.0),
    formula="f = sum_{i=1}^{n-1} [100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2]",
    source="Rosenbrock (1960), The Computer Journal 3(3); chained form as scipy.optimize.rosen",
    notes="x0 is refopt's choice: MGH 1's (-1.2, 1) repeated. Bounds [-5, 10] as in VLSE.",
)
