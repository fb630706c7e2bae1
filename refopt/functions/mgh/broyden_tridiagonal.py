"""MGH 30 — Broyden tridiagonal function (Moré, Garbow, Hillstrom 1981, problem 30; Broyden 1965).

Variable n >= 1, m = n. With x_0 = x_{n+1} = 0,

    r_i = (3 − 2 x_i) x_i − x_{i−1} − 2 x_{i+1} + 1,      i = 1..n,
    f   = Σ_i r_i².

Hand derivation. The Jacobian is tridiagonal: J_ii = d_i = 3 − 4 x_i, J_{i,i−1} = −1,
J_{i,i+1} = −2 (where those columns exist); ∇²r_i has the single entry ∂²r_i/∂x_i² = −4, so
S = diag(−4 r_i). Column j of J holds d_j (row j), −2 (row j − 1) and −1 (row j + 1), hence
    ∂f/∂x_j   = 2 (d_j r_j − 2 r_{j−1} − r_{j+1})                       (absent terms = 0),
    ∂²f/∂x_j² = 2 (d_j² + 4 [j > 1] + [j < n] − 4 r_j),
    ∂²f/∂x_j∂x_{j+1} = 2 (−2 d_j − d_{j+1}),   ∂²f/∂x_j∂x_{j+2} = 2 · (−1)(−2) = 4,
    all other entries 0 (O(n) work plus the O(n²) zeroing of H).

x0 = (−1, ..., −1); f* = 0 (the tridiagonal system has a real solution); x* has no closed form,
so refopt gives none.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    s = x[0] * 0.0
    for i in range(n):
        r = (3.0 - 2.0 * x[i]) * x[i] + 1.0
        if i > 0:
            r -= x[i - 1]
        if i < n - 1:
            r -= 2.0 * x[i + 1]
        s += r * r
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    r = np.empty(n, x.dtype)
    for i in range(n):
        v = (3.0 - 2.0 * x[i]) * x[i] + 1.0
        if i > 0:
            v -= x[i - 1]
        if i < n - 1:
            v -= 2.0 * x[i + 1]
        r[i] = v
    for j in range(n):
        s = (3.0 - 4.0 * x[j]) * r[j]
        if j > 0:
            s -= 2.0 * r[j - 1]
        if j < n - 1:
            s -= r[j + 1]
        g[j] = 2.0 * s


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    for i in range(n):
        r = (3.0 - 2.0 * x[i]) * x[i] + 1.0
        if i > 0:
            r -= x[i - 1]
        if i < n - 1:
            r -= 2.0 * x[i + 1]
        d = 3.0 - 4.0 * x[i]
        v = d * d - 4.0 * r
        if i > 0:
            v += 4.0
        if i < n - 1:
            v += 1.0
        H[i, i] = 2.0 * v
    for j in range(n - 1):
        v = 2.0 * (-2.0 * (3.0 - 4.0 * x[j]) - (3.0 - 4.0 * x[j + 1]))
        H[j, j + 1] = v
        H[j + 1, j] = v
    for j in range(n - 2):
        H[j, j + 2] = 4.0
        H[j + 2, j] = 4.0


register(
    "broyden_tridiagonal",
    aliases=("mgh30",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=lambda n, m: np.full(n, -1.0), fstar=0.0,
    formula="f = sum_{i=1..n} ((3 - 2 x_i) x_i - x_{i-1} - 2 x_{i+1} + 1)^2, x_0 = x_{n+1} = 0",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 30; Broyden (1965)",
    notes="m = n. x0 = -1. f* = 0; the minimizer has no closed form, so no x* is given.",
)
