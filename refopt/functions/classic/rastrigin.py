"""Rastrigin function, any n ≥ 1.

f(x) = 10 n + Σ_i [x_i² − 10 cos(2π x_i)]
∂f/∂x_i = 2 x_i + 20π sin(2π x_i);  ∂²f/∂x_i² = 2 + 40π² cos(2π x_i); off-diagonal 0.
Domain [−5.12, 5.12]^n; f* = 0 at x* = 0; a local minimum near every integer lattice point.
"""
import numpy as np

from ..registry import register

TWO_PI = 2.0 * np.pi


def f(x, p, out):
    n = x.shape[0]
    s = 10.0 * n + x[0] * 0.0
    for i in range(n):
        s += x[i] * x[i] - 10.0 * np.cos(TWO_PI * x[i])
    out[0] = s


def grad(x, p, g):
    for i in range(x.shape[0]):
        g[i] = 2.0 * x[i] + 10.0 * TWO_PI * np.sin(TWO_PI * x[i])


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        H[i, i] = 2.0 + 10.0 * TWO_PI * TWO_PI * np.cos(TWO_PI * x[i])


register(
    "rastrigin",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 2.2),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-5.12, 5.12),
    formula="f = 10 n + sum_i (x_i^2 - 10 cos(2 pi x_i))",
    source="Rastrigin (1974); Muehlenbein et al. (1991); Surjanovic & Bingham, VLSE",
    notes="x0 is not part of the usual definition: refopt uses 2.2 in every coordinate, inside the "
          "basin of the local minimum near 2 (positive definite Hessian there, gradient 64 per coordinate).",
)
