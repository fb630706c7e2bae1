"""MGH 25 — Variably dimensioned function (Moré, Garbow, Hillstrom 1981, problem 25).
Any n >= 1 (default 10), m = n + 2.

Residuals, with s = Σ_{j=1}^n j (x_j − 1):

    r_i = x_i − 1 (1 <= i <= n),     r_{n+1} = s,     r_{n+2} = s²;
    f = Σ_i (x_i − 1)² + s² + s⁴.

Hand-derived derivatives (∂s/∂x_k = k, s is linear):

    ∂f/∂x_k = 2 (x_k − 1) + (2 s + 4 s³) k,
    ∂²f/∂x_j∂x_k = 2 δ_jk + (2 + 12 s²) j k          (identity plus rank one; O(n²), no work array).

x0 = (1 − 1/n, 1 − 2/n, …, 0); f* = 0 at x* = (1, …, 1).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    s = x[0] * 0.0
    acc = x[0] * 0.0
    for j in range(n):
        e = x[j] - 1.0
        acc += e * e
        s += (j + 1) * e
    s2 = s * s
    out[0] = acc + s2 + s2 * s2


def grad(x, p, g):
    n = x.shape[0]
    s = x[0] * 0.0
    for j in range(n):
        s += (j + 1) * (x[j] - 1.0)
    c = 2.0 * s + 4.0 * s * s * s
    for k in range(n):
        g[k] = 2.0 * (x[k] - 1.0) + c * (k + 1)


def hess(x, p, H):
    n = x.shape[0]
    s = x[0] * 0.0
    for j in range(n):
        s += (j + 1) * (x[j] - 1.0)
    c = 2.0 + 12.0 * s * s
    for j in range(n):
        for k in range(j):
            v = c * ((j + 1) * (k + 1))
            H[j, k] = v
            H[k, j] = v
        H[j, j] = 2.0 + c * ((j + 1) * (j + 1))


register(
    "variably_dimensioned",
    aliases=("mgh25",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=12, m_default=lambda n: n + 2,
    x0=lambda n, m: 1.0 - np.arange(1.0, n + 1.0) / n,
    xstar=lambda n, m: np.ones(n), fstar=0.0,
    formula="f = sum_{i=1}^n (x_i - 1)^2 + s^2 + s^4,  s = sum_{j=1}^n j (x_j - 1)",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 25",
    notes="m = n + 2.",
)
