"""MGH 23 — Penalty function I (Moré, Garbow, Hillstrom 1981, problem 23). Any n >= 1, m = n + 1.

Residuals, with a = 1e−5:

    r_i = √a (x_i − 1),  1 <= i <= n;       r_{n+1} = (Σ_j x_j²) − 1/4;
    f = a Σ_i (x_i − 1)² + (Σ_j x_j² − 1/4)².

Hand-derived derivatives, with ρ = Σ_j x_j² − 1/4 (∇ρ = 2x, ∇²ρ = 2I):

    ∂f/∂x_k = 2a (x_k − 1) + 4 ρ x_k,
    ∂²f/∂x_j∂x_k = 8 x_j x_k + δ_jk (2a + 4ρ)      (rank one plus a multiple of I: O(n²), no work array).

Minimizer (derived for refopt): ∇f = 0 gives x_k (2a + 4ρ) = 2a for every k, so every stationary
point has equal coordinates x_k = c, with c a root of the cubic 2n c³ + (a − 1/2) c − a = 0. The
global minimizer is the unique positive root (p(0) = −a < 0 and p is convex for c > 0; the other
roots give larger f); it is found here by Newton's method from c = 1, which decreases
monotonically to it. x0 = (1, 2, …, n). The paper gives f* = 2.24997e−5 (n = 4) and
7.08765e−5 (n = 10); f(x*) = 2.2499775009e−5 and 7.0876514671e−5 respectively.
"""
import numpy as np

from ..registry import register

A = 1e-5  # the penalty weight a


def f(x, p, out):
    n = x.shape[0]
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    for j in range(n):
        e = x[j] - 1.0
        s1 += e * e
        s2 += x[j] * x[j]
    rho = s2 - 0.25
    out[0] = A * s1 + rho * rho


def grad(x, p, g):
    n = x.shape[0]
    s2 = x[0] * 0.0
    for j in range(n):
        s2 += x[j] * x[j]
    rho = s2 - 0.25
    for k in range(n):
        g[k] = 2.0 * A * (x[k] - 1.0) + 4.0 * rho * x[k]


def hess(x, p, H):
    n = x.shape[0]
    s2 = x[0] * 0.0
    for j in range(n):
        s2 += x[j] * x[j]
    diag = 2.0 * A + 4.0 * (s2 - 0.25)
    for j in range(n):
        for k in range(j):
            v = 8.0 * x[j] * x[k]
            H[j, k] = v
            H[k, j] = v
        H[j, j] = 8.0 * x[j] * x[j] + diag


def _xstar(n, m):
    """x* = c (1, …, 1), c the positive root of 2n c³ + (a − 1/2) c − a (Newton from c = 1)."""
    c = 1.0
    for _ in range(200):
        step = (2.0 * n * c ** 3 + (A - 0.5) * c - A) / (6.0 * n * c ** 2 + A - 0.5)
        c_new = c - step
        if c_new >= c:  # monotone decrease has stopped: converged to rounding
            break
        c = c_new
    return np.full(n, c)


_FSTAR = {4: 2.249977500899937e-05, 10: 7.087651467090369e-05}  # f(x*), refined
_FSTAR_PRINTED = {4: "2.24997e-5", 10: "7.08765e-5"}

register(
    "penalty_i",
    aliases=("mgh23",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=5, m_default=lambda n: n + 1,
    x0=lambda n, m: np.arange(1.0, n + 1.0),
    xstar=_xstar,
    fstar=lambda n, m: _FSTAR.get(n),
    fstar_literature=_FSTAR_PRINTED,
    formula="f = 1e-5 sum_{i=1}^n (x_i - 1)^2 + (sum_{j=1}^n x_j^2 - 1/4)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 23",
    notes=("m = n + 1. f* from the paper for n = 4 and 10 only. x* (all n) is derived for refopt: "
           "x_j = c, the positive root of 2n c^3 + (a - 1/2) c - a = 0 with a = 1e-5."),
)
