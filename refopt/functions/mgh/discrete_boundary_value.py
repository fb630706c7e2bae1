"""MGH 28 — Discrete boundary value function (Moré, Garbow, Hillstrom 1981, problem 28).

Variable n >= 1, m = n. With h = 1/(n+1), t_i = i h and the boundary values x_0 = x_{n+1} = 0,

    r_i = 2 x_i − x_{i−1} − x_{i+1} + h² (x_i + t_i + 1)³ / 2,      i = 1..n,
    f   = Σ_i r_i².

It is the central-difference discretisation of the two-point boundary value problem
u'' = ½ (u + t + 1)³, u(0) = u(1) = 0 (Moré–Garbow–Hillstrom; Moré & Cosnard 1979).

Hand derivation. Write z_i = x_i + t_i + 1. The Jacobian is tridiagonal:
    J_ii = d_i = 2 + (3/2) h² z_i²,   J_{i,i−1} = J_{i,i+1} = −1 (where those columns exist);
each residual has a single nonzero second derivative, ∂²r_i/∂x_i² = 3 h² z_i, so
S = Σ_i r_i ∇²r_i is diagonal with S_ii = 3 h² z_i r_i. Hence
    ∂f/∂x_j   = 2 (d_j r_j − r_{j−1} − r_{j+1})                        (absent terms = 0),
    ∂²f/∂x_j² = 2 (d_j² + [j > 1] + [j < n] + 3 h² z_j r_j),
    ∂²f/∂x_j∂x_{j+1} = −2 (d_j + d_{j+1}),   ∂²f/∂x_j∂x_{j+2} = 2,   all other entries 0
(the pentadiagonal JᵀJ written out; built in O(n) plus the O(n²) zeroing of H).

x0_j = t_j (t_j − 1); f* = 0 (the discrete BVP has a solution). x* has no closed form, so refopt
gives none. For n = 1 the single residual is 2 x_1 + h² (x_1 + t_1 + 1)³/2 (a port that writes the
first and last residuals separately double-counts it at n = 1).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    hh = 0.5 * h * h
    s = x[0] * 0.0
    for i in range(n):
        z = x[i] + (i + 1) * h + 1.0
        r = 2.0 * x[i] + hh * z * z * z
        if i > 0:
            r -= x[i - 1]
        if i < n - 1:
            r -= x[i + 1]
        s += r * r
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    h2 = h * h
    r = np.empty(n, x.dtype)
    d = np.empty(n, x.dtype)
    for i in range(n):
        z = x[i] + (i + 1) * h + 1.0
        v = 2.0 * x[i] + 0.5 * h2 * z * z * z
        if i > 0:
            v -= x[i - 1]
        if i < n - 1:
            v -= x[i + 1]
        r[i] = v
        d[i] = 2.0 + 1.5 * h2 * z * z
    for j in range(n):
        s = d[j] * r[j]
        if j > 0:
            s -= r[j - 1]
        if j < n - 1:
            s -= r[j + 1]
        g[j] = 2.0 * s


def hess(x, p, H):
    n = x.shape[0]
    h = 1.0 / (n + 1)
    h2 = h * h
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    d = np.empty(n, x.dtype)
    for i in range(n):
        z = x[i] + (i + 1) * h + 1.0
        r = 2.0 * x[i] + 0.5 * h2 * z * z * z
        if i > 0:
            r -= x[i - 1]
        if i < n - 1:
            r -= x[i + 1]
        d[i] = 2.0 + 1.5 * h2 * z * z
        diag = d[i] * d[i] + 3.0 * h2 * z * r
        if i > 0:
            diag += 1.0
        if i < n - 1:
            diag += 1.0
        H[i, i] = 2.0 * diag
    for j in range(n - 1):
        v = -2.0 * (d[j] + d[j + 1])
        H[j, j + 1] = v
        H[j + 1, j] = v
    for j in range(n - 2):
        H[j, j + 2] = 2.0
        H[j + 2, j] = 2.0


def _x0(n, m):
    t = np.arange(1, n + 1) / (n + 1.0)
    return t * (t - 1.0)


register(
    "discrete_boundary_value",
    aliases=("mgh28",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=_x0, fstar=0.0,
    formula=("f = sum_{i=1..n} (2 x_i - x_{i-1} - x_{i+1} + h^2 (x_i + t_i + 1)^3 / 2)^2, "
             "h = 1/(n+1), t_i = i h, x_0 = x_{n+1} = 0"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 28",
    notes=("m = n. x0_j = t_j (t_j - 1). f* = 0; the minimizer (the solution of the discrete "
           "boundary value problem) has no closed form, so no x* is given."),
)
