"""MGH 29 — Discrete integral equation function (Moré, Garbow, Hillstrom 1981, problem 29).

Variable n >= 1, m = n. With h = 1/(n+1), t_i = i h and z_j = x_j + t_j + 1,

    r_i = x_i + (h/2) [ (1 − t_i) Σ_{j=1..i} t_j z_j³ + t_i Σ_{j=i+1..n} (1 − t_j) z_j³ ],
    f   = Σ_i r_i²,

the trapezoidal discretisation of u(t) + ½ ∫_0^1 K(t, s) (u(s) + s + 1)³ ds = 0 with the Green's
kernel K(t, s) = min(t, s)(1 − max(t, s)). Writing w_ij = min(t_i, t_j)(1 − max(t_i, t_j)) (a
symmetric matrix), r_i = x_i + (h/2) Σ_j w_ij z_j³.

Hand derivation. With D_j = (3/2) h z_j²:
    J_ij = δ_ij + w_ij D_j,      ∇²r_i = diag_j( 3 h w_ij z_j ),
so S = Σ_i r_i ∇²r_i = diag(3 h z_j q_j) with q_j = Σ_i w_ij r_i. Then
    ∂f/∂x_j = 2 (r_j + D_j q_j),
    ∂²f/∂x_j∂x_k = 2 [ δ_jk + w_jk (D_j + D_k) + D_j D_k M_jk + δ_jk 3 h z_j q_j ],
with the constant matrix M_jk = Σ_i w_ij w_ik, which for j <= k splits by the position of i as
    M_jk = (1−t_j)(1−t_k) Σ_{i<=j} t_i² + t_j (1−t_k) Σ_{j<i<=k} t_i (1−t_i) + t_j t_k Σ_{i>k} (1−t_i)².
The residuals, q (prefix/suffix sums) and the partial sums of M cost O(n); the Hessian O(n²).

x0_j = t_j (t_j − 1); f* = 0 (the discrete equation has a solution); x* has no closed form, so
refopt gives none.
"""
import numpy as np
from numba import njit

from ..registry import register


@njit(cache=True)
def _residuals(x, r, h):
    """r_i (O(n): a prefix sum over j <= i and a suffix sum over j > i)."""
    n = x.shape[0]
    # suffix sums B_i = sum_{j>i} (1 - t_j) z_j^3, stored in r for the moment
    acc = x[0] * 0.0
    for i in range(n - 1, -1, -1):
        r[i] = acc
        t = (i + 1) * h
        z = x[i] + t + 1.0
        acc += (1.0 - t) * z * z * z
    acc = x[0] * 0.0
    for i in range(n):
        t = (i + 1) * h
        z = x[i] + t + 1.0
        acc += t * z * z * z
        r[i] = x[i] + 0.5 * h * ((1.0 - t) * acc + t * r[i])


@njit(cache=True)
def _q(r, q, h):
    """q_j = sum_i w_ij r_i = (1 - t_j) sum_{i<j} t_i r_i + t_j sum_{i>=j} (1 - t_i) r_i."""
    n = r.shape[0]
    acc = r[0] * 0.0
    for j in range(n - 1, -1, -1):
        t = (j + 1) * h
        acc += (1.0 - t) * r[j]
        q[j] = t * acc
    acc = r[0] * 0.0
    for j in range(n):
        t = (j + 1) * h
        q[j] += (1.0 - t) * acc
        acc += t * r[j]


def f(x, p, out):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    r = np.empty(n, x.dtype)
    _residuals(x, r, h)
    s = x[0] * 0.0
    for i in range(n):
        s += r[i] * r[i]
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    r = np.empty(n, x.dtype)
    q = np.empty(n, x.dtype)
    _residuals(x, r, h)
    _q(r, q, h)
    for j in range(n):
        z = x[j] + (j + 1) * h + 1.0
        g[j] = 2.0 * (r[j] + 1.5 * h * z * z * q[j])


def hess(x, p, H):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    r = np.empty(n, x.dtype)
    q = np.empty(n, x.dtype)
    D = np.empty(n, x.dtype)
    _residuals(x, r, h)
    _q(r, q, h)
    # partial sums for M: P[j] = sum_{i<=j} t_i^2, C[j] = sum_{i<=j} t_i (1 - t_i),
    # R[k] = sum_{i>k} (1 - t_i)^2   (0-based indices)
    P = np.empty(n)
    C = np.empty(n)
    R = np.empty(n)
    a = 0.0
    b = 0.0
    for i in range(n):
        t = (i + 1) * h
        a += t * t
        b += t * (1.0 - t)
        P[i] = a
        C[i] = b
    a = 0.0
    for i in range(n - 1, -1, -1):
        R[i] = a
        t = (i + 1) * h
        a += (1.0 - t) * (1.0 - t)
    for j in range(n):
        z = x[j] + (j + 1) * h + 1.0
        D[j] = 1.5 * h * z * z
    for j in range(n):
        tj = (j + 1) * h
        for k in range(j, n):
            tk = (k + 1) * h
            M = (1.0 - tj) * (1.0 - tk) * P[j] + tj * (1.0 - tk) * (C[k] - C[j]) + tj * tk * R[k]
            w = tj * (1.0 - tk)
            v = w * (D[j] + D[k]) + D[j] * D[k] * M
            if k == j:
                z = x[j] + tj + 1.0
                v += 1.0 + 3.0 * h * z * q[j]
            H[j, k] = 2.0 * v
            H[k, j] = 2.0 * v


def _x0(n, m):
    t = np.arange(1, n + 1) / (n + 1.0)
    return t * (t - 1.0)


register(
    "discrete_integral_equation",
    aliases=("mgh29",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=_x0, fstar=0.0,
    formula=("f = sum_{i=1..n} r_i^2, r_i = x_i + (h/2) [ (1 - t_i) sum_{j<=i} t_j (x_j + t_j + 1)^3 "
             "+ t_i sum_{j>i} (1 - t_j) (x_j + t_j + 1)^3 ], h = 1/(n+1), t_i = i h"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 29",
    notes=("m = n. x0_j = t_j (t_j - 1). f* = 0; the minimizer (the solution of the discrete "
           "integral equation) has no closed form, so no x* is given."),
)
