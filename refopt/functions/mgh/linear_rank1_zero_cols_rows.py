"""MGH 34 — Linear function, rank 1 with zero columns and rows (Moré, Garbow, Hillstrom 1981,
problem 34).

Variable n >= 1 and m >= n (default m = n = 10). With s = Σ_{j=2..n−1} j x_j (x_1 and x_n do not
enter: the zero columns),

    r_1 = −1,   r_m = −1   (the zero rows),      r_i = (i − 1) s − 1,   2 <= i <= m − 1,
    f   = Σ_{i=1..m} r_i².

Hand derivation. J_ij = (i − 1) j for 2 <= i <= m−1 and 2 <= j <= n−1, else 0; S = 0. With
k = i − 1 running over 1..m−2, S1 = Σ k = (m−2)(m−1)/2, S2 = Σ k² = (m−2)(m−1)(2m−3)/6,
    f = 2 + S2 s² − 2 S1 s + (m − 2)            (m >= 2; f = 1 for m = 1, one residual −1),
    ∂f/∂x_j = 2 j (S2 s − S1)   for 2 <= j <= n−1, and 0 for j = 1, n,
    ∂²f/∂x_j∂x_k = 2 j k S2     for 2 <= j, k <= n−1, and 0 otherwise.
For n >= 3 the minimum is at s = S1/S2 = 3/(2m−3), where
    f* = 2 + (m−2)(m−3)/(2(2m−3)) = (m² + 3m − 6) / (2(2m − 3))
(the paper's value). Every point with Σ_{j=2..n−1} j x_j = 3/(2m−3) is a minimizer; refopt gives
x* = (0, 3/(2(2m−3)), 0, ..., 0). For n <= 2, s ≡ 0 and f ≡ m is constant: refopt then gives
f* = m and x* = 0 (every point is a minimizer; the paper's formula presumes n >= 3).

x0 = (1, ..., 1). Default m as in the Fortran port of Birgin, Gardenghi, Martínez and Santos:
m = n (= 10 at the default n).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    m = int(p[0])
    n = x.shape[0]
    s = x[0] * 0.0
    for j in range(1, n - 1):
        s += (j + 1) * x[j]
    acc = 1.0 + x[0] * 0.0                 # r_1 = -1
    if m > 1:
        acc += 1.0                         # r_m = -1
    for i in range(2, m):                  # i = 2..m-1 (1-based)
        r = (i - 1) * s - 1.0
        acc += r * r
    out[0] = acc


def grad(x, p, g):
    m = int(p[0])
    n = x.shape[0]
    S1 = 0.5 * (m - 2.0) * (m - 1.0)
    S2 = (m - 2.0) * (m - 1.0) * (2.0 * m - 3.0) / 6.0
    s = x[0] * 0.0
    for j in range(1, n - 1):
        s += (j + 1) * x[j]
    c = S2 * s - S1
    for j in range(n):
        g[j] = 0.0
    for j in range(1, n - 1):
        g[j] = 2.0 * (j + 1) * c


def hess(x, p, H):
    m = int(p[0])
    n = x.shape[0]
    S2 = (m - 2.0) * (m - 1.0) * (2.0 * m - 3.0) / 6.0
    for j in range(n):
        for k in range(n):
            H[j, k] = 0.0
    for j in range(1, n - 1):
        for k in range(1, j + 1):
            v = 2.0 * (j + 1) * (k + 1) * S2
            H[j, k] = v
            H[k, j] = v


def _fstar(n, m):
    if n <= 2:
        return float(m)
    return (m * m + 3.0 * m - 6.0) / (2.0 * (2.0 * m - 3.0))


def _xstar(n, m):
    x = np.zeros(n)
    if n >= 3:
        x[1] = 3.0 / (2.0 * (2.0 * m - 3.0))
    return x


register(
    "linear_rank1_zero_cols_rows",
    aliases=("mgh34",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n, m_allowed=lambda n, m: m >= n, m_text="any m >= n",
    x0=lambda n, m: np.ones(n),
    xstar=_xstar, fstar=_fstar,
    formula=("f = 2 + sum_{i=2..m-1} ((i - 1) sum_{j=2..n-1} j x_j - 1)^2  "
             "(residuals r_1 = r_m = -1; f = 1 if m = 1)"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 34",
    notes=("m >= n free; default m = n (= 10 at the default n), as in the Fortran port of Birgin, "
           "Gardenghi, Martinez and Santos. x_1 and x_n do not enter f. Minimizers form the "
           "hyperplane sum_{j=2..n-1} j x_j = 3/(2m-3); refopt's x* = (0, 3/(2(2m-3)), 0, ..., 0). "
           "For n <= 2, f = m is constant (f* = m, x* = 0); the paper's "
           "f* = (m^2+3m-6)/(2(2m-3)) holds for n >= 3."),
)
