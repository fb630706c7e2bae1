"""MGH 12 — Box three-dimensional function (Moré, Garbow, Hillstrom 1981, problem 12; Box 1966).

n = 3, m >= n (default m = 10).

    t_i = 0.1 i,   c_i = exp(−t_i) − exp(−10 t_i),
    r_i(x) = exp(−t_i x1) − exp(−t_i x2) − x3 c_i,     f = Σ_{i=1}^m r_i².

x0 = (0, 10, 20). f* = 0 at x* = (1, 10, 1), and also at (10, 1, −1) and on the whole line
{x1 = x2, x3 = 0}: the global minimum is not isolated.

Derivatives (by hand). With A_i = exp(−t_i x1), B_i = exp(−t_i x2):

    ∇r_i = (−t_i A_i, t_i B_i, −c_i),
    ∇²r_i: (1,1) = t_i² A_i, (2,2) = −t_i² B_i, every other entry 0,

and f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i).
"""
import numpy as np
from numba import njit

from ..least_squares import ls_hessian
from ..registry import register


@njit(cache=True)
def _eval(x, m, g, J, S):
    """One pass over the m residuals; returns f = Σ r_i².

    Also fills what is asked for (pass None for what is not wanted):
      g (3)     ← ∇f = 2 Σ_i r_i ∇r_i  (= 2 Jᵀr, accumulated without storing J);
      J (m, 3)  ← the Jacobian, row i = ∇r_i;
      S (3, 3)  ← Σ_i r_i ∇²r_i, so that ∇²f = 2 (JᵀJ + S).
    Numba compiles one version per pattern of None arguments and drops the `is None` tests
    at compile time: f and grad pay nothing for the outputs they do not ask for.
    """
    ssq = x[0] * 0.0
    s11 = x[0] * 0.0
    s22 = x[0] * 0.0
    if g is not None:
        for j in range(3):
            g[j] = x[0] * 0.0
    for i in range(m):
        t = 0.1 * (i + 1)
        c = np.exp(-t) - np.exp(-10.0 * t)
        A = np.exp(-t * x[0])
        B = np.exp(-t * x[1])
        r = A - B - x[2] * c
        ssq += r * r
        if g is None and J is None:
            continue  # f only: no derivatives
        dr1 = -t * A
        dr2 = t * B
        dr3 = -c
        if g is not None:
            g[0] += dr1 * r
            g[1] += dr2 * r
            g[2] += dr3 * r
        if J is not None:
            J[i, 0] = dr1
            J[i, 1] = dr2
            J[i, 2] = dr3
        if S is not None:
            s11 += r * t * t * A
            s22 -= r * t * t * B
    if g is not None:
        g *= 2.0
    if S is not None:
        S[:, :] = 0.0
        S[0, 0] = s11
        S[1, 1] = s22
    return ssq


def f(x, p, out):
    out[0] = _eval(x, int(p[0]), None, None, None)


def grad(x, p, g):
    _eval(x, int(p[0]), g, None, None)


def hess(x, p, H):
    m = int(p[0])
    J = np.empty((m, 3), x.dtype)
    S = np.empty((3, 3), x.dtype)
    _eval(x, m, None, J, S)
    ls_hessian(J, S, H)


register(
    "box_3d",
    aliases=("mgh12",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=10,
    m_allowed=lambda n, m: m >= 3, m_text="m >= 3",
    x0=[0.0, 10.0, 20.0],
    xstar=[1.0, 10.0, 1.0], fstar=0.0,
    formula=(
        "f = sum_{i=1}^m (exp(-t_i x1) - exp(-t_i x2) - x3 (exp(-t_i) - exp(-10 t_i)))^2, "
        "t_i = 0.1 i"
    ),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 12; Box (1966)",
    notes=(
        "f* = 0 is attained at (1, 10, 1), at (10, 1, -1) and on the line x1 = x2, x3 = 0, for "
        "every m; refopt reports x* = (1, 10, 1)."
    ),
)
