"""MGH 31 — Broyden banded function (Moré, Garbow, Hillstrom 1981, problem 31; Broyden 1971).

Variable n >= 1, m = n, lower bandwidth ml = 5, upper bandwidth mu = 1:

    r_i = x_i (2 + 5 x_i²) + 1 − Σ_{j ∈ J_i} x_j (1 + x_j),
    J_i = { j : j ≠ i, max(1, i − ml) <= j <= min(n, i + mu) },
    f   = Σ_i r_i².

Hand derivation. Row i of the Jacobian is nonzero only in columns max(1, i−5)..min(n, i+1):
    J_ii = 2 + 15 x_i²,      J_ij = −(1 + 2 x_j)  for j ∈ J_i.
Every ∇²r_i is diagonal: ∂²r_i/∂x_i² = 30 x_i and ∂²r_i/∂x_j² = −2 for j ∈ J_i. So
    S = Σ_i r_i ∇²r_i = diag_j( 30 x_j r_j − 2 Σ_{i : j ∈ J_i} r_i ),
    ∇f = 2 Jᵀ r,      ∇²f = 2 (JᵀJ + S),
with JᵀJ accumulated row by row over the (at most 7 × 7) band of each row: O(49 n) work plus the
O(n²) zeroing of H; JᵀJ has bandwidth 6 on each side.

x0 = (−1, ..., −1); f* = 0; x* has no closed form, so refopt gives none.
"""
import numpy as np

from ..registry import register

ML = 5
MU = 1


def f(x, p, out):
    n = x.shape[0]
    s = x[0] * 0.0
    for i in range(n):
        r = x[i] * (2.0 + 5.0 * x[i] * x[i]) + 1.0
        for j in range(max(0, i - ML), min(n - 1, i + MU) + 1):
            if j != i:
                r -= x[j] * (1.0 + x[j])
        s += r * r
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    for j in range(n):
        g[j] = 0.0
    for i in range(n):
        lo = max(0, i - ML)
        hi = min(n - 1, i + MU)
        r = x[i] * (2.0 + 5.0 * x[i] * x[i]) + 1.0
        for j in range(lo, hi + 1):
            if j != i:
                r -= x[j] * (1.0 + x[j])
        for j in range(lo, hi + 1):
            if j == i:
                g[j] += 2.0 * (2.0 + 15.0 * x[i] * x[i]) * r
            else:
                g[j] -= 2.0 * (1.0 + 2.0 * x[j]) * r


def hess(x, p, H):
    n = x.shape[0]
    for a in range(n):
        for b in range(n):
            H[a, b] = 0.0
    Jrow = np.empty(ML + MU + 1, x.dtype)
    for i in range(n):
        lo = max(0, i - ML)
        hi = min(n - 1, i + MU)
        r = x[i] * (2.0 + 5.0 * x[i] * x[i]) + 1.0
        for j in range(lo, hi + 1):
            if j != i:
                r -= x[j] * (1.0 + x[j])
        for j in range(lo, hi + 1):
            if j == i:
                Jrow[j - lo] = 2.0 + 15.0 * x[i] * x[i]
                H[i, i] += 30.0 * x[i] * r          # S: d2 r_i / dx_i^2 = 30 x_i
            else:
                Jrow[j - lo] = -(1.0 + 2.0 * x[j])
                H[j, j] -= 2.0 * r                  # S: d2 r_i / dx_j^2 = -2
        # lower triangle of J^T J, row i's contribution
        for a in range(lo, hi + 1):
            for b in range(lo, a + 1):
                H[a, b] += Jrow[a - lo] * Jrow[b - lo]
    for a in range(n):
        H[a, a] = 2.0 * H[a, a]
        for b in range(a):
            v = 2.0 * H[a, b]
            H[a, b] = v
            H[b, a] = v


register(
    "broyden_banded",
    aliases=("mgh31",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=lambda n, m: np.full(n, -1.0), fstar=0.0,
    formula=("f = sum_{i=1..n} (x_i (2 + 5 x_i^2) + 1 - sum_{j in J_i} x_j (1 + x_j))^2, "
             "J_i = {j != i : max(1, i-5) <= j <= min(n, i+1)}"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 31; Broyden (1971)",
    notes=("m = n; bandwidths ml = 5 (below), mu = 1 (above). x0 = -1. f* = 0; the minimizer has "
           "no closed form, so no x* is given."),
)
