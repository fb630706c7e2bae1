"""MGH 35 — Chebyquad function (Moré, Garbow, Hillstrom 1981, problem 35; Fletcher 1965).

Variable n >= 1 and m >= n (default n = 8, m = n). With the shifted Chebyshev polynomials
T_i(2x − 1) on [0, 1] (T_0(u) = 1, T_1(u) = u, T_{i+1}(u) = 2u T_i(u) − T_{i−1}(u)), u_j = 2 x_j − 1,

    r_i = (1/n) Σ_{j=1..n} T_i(u_j) − ∫_0^1 T_i(2x − 1) dx,      i = 1..m,
    ∫_0^1 T_i(2x − 1) dx = ½ ∫_{−1}^{1} T_i(u) du = 0 for odd i, −1/(i² − 1) for even i,
    f = Σ_i r_i².

So r_i = (1/n) Σ_j T_i(u_j) + [i even] / (i² − 1); f = 0 exactly when the x_j are the nodes of
an n-point equal-weight (Chebyshev) quadrature rule exact for polynomials of degree m.

Hand derivation. Differentiating the three-term recurrence in u gives the derivatives' own
recurrences (T'_0 = 0, T'_1 = 1, T''_0 = T''_1 = 0):
    T'_{i+1}  = 2 T_i + 2u T'_i − T'_{i−1},
    T''_{i+1} = 4 T'_i + 2u T''_i − T''_{i−1}.
With du/dx = 2: J_ij = ∂r_i/∂x_j = (2/n) T'_i(u_j); residual i depends on x_j only through the
term T_i(u_j)/n, so ∇²r_i is diagonal with entries (4/n) T''_i(u_j), and
    ∂f/∂x_j = 2 Σ_i r_i J_ij,
    ∂²f/∂x_j∂x_k = 2 ( Σ_i J_ij J_ik + δ_jk Σ_i r_i (4/n) T''_i(u_j) ).
Cost: O(m n) for f and grad, O(m n²) for the Hessian.

x0_j = j/(n+1). f* (m = n, from the paper): 0 for n = 1..7 and n = 9 (equal-weight quadrature
rules exist), 3.51687e-3 for n = 8, 6.50395e-3 for n = 10; refopt gives f* only for these (m = n)
cases. The minimizers have no closed form (and any permutation of one is one), so no x* is given.
Default m = n as in the Fortran port of Birgin, Gardenghi, Martínez and Santos (note that port
allows m > n but still sums only n residuals in f; refopt, like MINPACK's and the paper's
definition, sums all m).
"""
import numpy as np
from numba import njit

from ..registry import register


@njit(cache=True)
def _residuals(x, m, r):
    """r_i (i = 1..m, stored at r[i-1]) by the three-term recurrence, one x_j at a time."""
    n = x.shape[0]
    for i in range(m):
        r[i] = x[0] * 0.0
    for j in range(n):
        u = 2.0 * x[j] - 1.0
        t_prev = u * 0.0 + 1.0      # T_0
        t = u                       # T_1
        for i in range(m):
            r[i] += t
            t_next = 2.0 * u * t - t_prev
            t_prev = t
            t = t_next
    inv_n = 1.0 / n
    for i in range(m):
        r[i] = inv_n * r[i]
    # even i only (a loop, not a branch: a branch lets LLVM evaluate 1/(i^2 - 1) at i = 1 too,
    # which raises a spurious divide-by-zero flag)
    for k in range(2, m + 1, 2):
        r[k - 1] += 1.0 / (k * k - 1.0)


def f(x, p, out):
    m = int(p[0])
    r = np.empty(m, x.dtype)
    _residuals(x, m, r)
    s = x[0] * 0.0
    for i in range(m):
        s += r[i] * r[i]
    out[0] = s


def grad(x, p, g):
    m = int(p[0])
    n = x.shape[0]
    r = np.empty(m, x.dtype)
    _residuals(x, m, r)
    c = 2.0 * 2.0 / n                  # 2 (from f = r.r) * (2/n) (from J)
    for j in range(n):
        u = 2.0 * x[j] - 1.0
        t_prev = u * 0.0 + 1.0         # T_0
        t = u                          # T_1
        d_prev = u * 0.0               # T'_0
        d = u * 0.0 + 1.0              # T'_1
        s = x[0] * 0.0
        for i in range(m):
            s += r[i] * d
            t_next = 2.0 * u * t - t_prev
            d_next = 2.0 * t + 2.0 * u * d - d_prev
            t_prev = t
            t = t_next
            d_prev = d
            d = d_next
        g[j] = c * s


def hess(x, p, H):
    m = int(p[0])
    n = x.shape[0]
    r = np.empty(m, x.dtype)
    _residuals(x, m, r)
    J = np.empty((m, n), x.dtype)
    Sd = np.empty(n, x.dtype)
    for j in range(n):
        u = 2.0 * x[j] - 1.0
        t_prev = u * 0.0 + 1.0         # T_0
        t = u                          # T_1
        d_prev = u * 0.0               # T'_0
        d = u * 0.0 + 1.0              # T'_1
        e_prev = u * 0.0               # T''_0
        e = u * 0.0                    # T''_1
        s = x[0] * 0.0
        for i in range(m):
            J[i, j] = (2.0 / n) * d
            s += r[i] * e
            t_next = 2.0 * u * t - t_prev
            d_next = 2.0 * t + 2.0 * u * d - d_prev
            e_next = 4.0 * d + 2.0 * u * e - e_prev
            t_prev = t
            t = t_next
            d_prev = d
            d = d_next
            e_prev = e
            e = e_next
        Sd[j] = (4.0 / n) * s
    for j in range(n):
        for k in range(j + 1):
            s = x[0] * 0.0
            for i in range(m):
                s += J[i, j] * J[i, k]
            if k == j:
                s += Sd[j]
            H[j, k] = 2.0 * s
            H[k, j] = 2.0 * s


_FSTAR_M_EQ_N = {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0, 7: 0.0, 8: 3.51687e-3,
                 9: 0.0, 10: 6.50395e-3}


def _fstar(n, m):
    if m != n:
        return None
    return _FSTAR_M_EQ_N.get(n)


register(
    "chebyquad",
    aliases=("mgh35",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=8, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=8, m_default=lambda n: n, m_allowed=lambda n, m: m >= n, m_text="any m >= n",
    x0=lambda n, m: np.arange(1, n + 1) / (n + 1.0),
    fstar=_fstar,
    formula=("f = sum_{i=1..m} ((1/n) sum_{j=1..n} T_i(2 x_j - 1) - int_0^1 T_i(2 t - 1) dt)^2, "
             "T_i Chebyshev of the first kind; the integral is 0 (i odd), -1/(i^2 - 1) (i even)"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 35; Fletcher (1965)",
    notes=("m >= n free; default m = n, as in the Fortran port of Birgin, Gardenghi, Martinez and "
           "Santos (that port's f sums only n residuals even when m > n; refopt sums all m, as the "
           "paper and MINPACK do). f* for m = n only: 0 for n = 1..7 and 9, 3.51687e-3 (n = 8), "
           "6.50395e-3 (n = 10). f is invariant under permutations of x, so minimizers are not "
           "unique; no x* is given."),
)
