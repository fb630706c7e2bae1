"""MGH 33 — Linear function, rank 1 (Moré, Garbow, Hillstrom 1981, problem 33).

Variable n >= 1 and m >= n (default m = n = 10). With s = Σ_{j=1..n} j x_j,

    r_i = i s − 1,   i = 1..m,        f = Σ_{i=1..m} (i s − 1)².

Hand derivation. J_ij = i j (rank one), S = 0 (linear residuals). With S1 = Σ_i i = m(m+1)/2 and
S2 = Σ_i i² = m(m+1)(2m+1)/6,
    f = S2 s² − 2 S1 s + m,
    ∂f/∂x_j = 2 j Σ_i i (i s − 1) = 2 j (S2 s − S1),
    ∂²f/∂x_j∂x_k = 2 j k S2.
f depends on x only through s; it is least at s = S1/S2 = 3/(2m+1), where
    f* = m − S1²/S2 = m(m − 1) / (2(2m + 1))
(the paper's value). Every point of the hyperplane Σ_j j x_j = 3/(2m+1) is a minimizer; refopt
gives x* = (3/(2m+1), 0, ..., 0), the one on the x_1 axis. f is evaluated from the residuals.

x0 = (1, ..., 1). Default m as in the Fortran port of Birgin, Gardenghi, Martínez and Santos:
m = n (= 10 at the default n).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    m = int(p[0])
    n = x.shape[0]
    s = x[0] * 0.0
    for j in range(n):
        s += (j + 1) * x[j]
    acc = x[0] * 0.0
    for i in range(1, m + 1):
        r = i * s - 1.0
        acc += r * r
    out[0] = acc


def grad(x, p, g):
    m = int(p[0])
    n = x.shape[0]
    S1 = 0.5 * m * (m + 1.0)
    S2 = m * (m + 1.0) * (2.0 * m + 1.0) / 6.0
    s = x[0] * 0.0
    for j in range(n):
        s += (j + 1) * x[j]
    c = S2 * s - S1
    for j in range(n):
        g[j] = 2.0 * (j + 1) * c


def hess(x, p, H):
    m = int(p[0])
    n = x.shape[0]
    S2 = m * (m + 1.0) * (2.0 * m + 1.0) / 6.0
    for j in range(n):
        for k in range(j + 1):
            v = 2.0 * (j + 1) * (k + 1) * S2
            H[j, k] = v
            H[k, j] = v


def _xstar(n, m):
    x = np.zeros(n)
    x[0] = 3.0 / (2.0 * m + 1.0)
    return x


register(
    "linear_rank1",
    aliases=("mgh33",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n, m_allowed=lambda n, m: m >= n, m_text="any m >= n",
    x0=lambda n, m: np.ones(n),
    xstar=_xstar,
    fstar=lambda n, m: m * (m - 1.0) / (2.0 * (2.0 * m + 1.0)),
    formula="f = sum_{i=1..m} (i sum_{j=1..n} j x_j - 1)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 33",
    notes=("m >= n free; default m = n (= 10 at the default n), as in the Fortran port of Birgin, "
           "Gardenghi, Martinez and Santos. Rank-one Jacobian: the minimizers form the hyperplane "
           "sum_j j x_j = 3/(2m+1) (singular Hessian); refopt's x* is the point "
           "(3/(2m+1), 0, ..., 0) of it."),
)
