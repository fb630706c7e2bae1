"""MGH 11 — Gulf research and development function (Moré, Garbow, Hillstrom 1981, problem 11).

n = 3, n <= m <= 100 (default m = 99).

    t_i = i / 100,   y_i = 25 + (−50 ln t_i)^(2/3),   d_i = y_i − x2,
    r_i(x) = exp(−|d_i|^x3 / x1) − t_i,               f = Σ_{i=1}^m r_i².

x0 = (5, 2.5, 0.15); f* = 0 at x* = (50, 25, 1.5) (there |d_i|^1.5 / 50 = −ln t_i, so r_i = 0
exactly, for every m).

Trap — a misprint in the paper. The 1981 paper prints the inner term as |y_i mi x2|, where
"mi" is a typesetting slip for the minus sign. The intended term, the one the authors' own
Fortran (ACM Algorithm 566, and the HESFCN Hessians of Averbukh, Figueroa and Schlick) and the
Tomlab port evaluate, is |y_i − x2|. Only with it is x* = (50, 25, 1.5) a zero of every
residual. refopt uses |y_i − x2|.

Derivatives (derived by hand). With a_i = |d_i|, L_i = ln a_i, v_i = a_i^x3 / x1, e_i = exp(−v_i):
since ∂a_i/∂x2 = −sign(d_i) and sign(d_i) a_i^(x3−1) = a_i^x3 / d_i,

    ∇v = (−v/x1, −x3 v/d, v L)
    ∇²v: v_11 = 2v/x1²,  v_12 = x3 v/(x1 d),  v_13 = −v L/x1,
         v_22 = x3 (x3 − 1) v/d²,  v_23 = −v (1 + x3 L)/d,  v_33 = v L²
    r = e − t,   ∇r = −e ∇v,   ∇²r = e (∇v ∇vᵀ − ∇²v)

and f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i).

Smoothness (the choice made here). |d_i|^x3 is not analytic where x2 = y_i, so the function is
registered with analytic = False (float64 kernels only, checked by Richardson differences) and
smooth = False (for x3 <= 1 the term |d_i|^x3 has a kink or cusp at x2 = y_i; for 1 < x3 < 2
its second derivative is unbounded there; for other x3 not an even integer a higher derivative
jumps or blows up).
On the open set {x1 != 0, x2 != y_i for all i <= m}, which holds x0 and, for m <= 99, x*
(x2 = 25 < y_99 ≈ 25.63), f is real-analytic and the formulas above are exact; on the
half-space x2 < min y_i it equals the analytic function with (y_i − x2)^x3 in place of
|d_i|^x3 — refopt keeps the absolute value of the definition.
At a point with d_i = 0 exactly the kernels take a_i^x3 = 0 (x3 > 0) and set every derivative of
v_i to zero: the limit, exact for the gradient when x3 > 1 and for the Hessian when x3 > 2 or
r_i = 0 (the case m = 100 at x*, where y_100 = 25 = x2 and r_100 = 0).
"""
import numpy as np
from numba import njit

from ..least_squares import ls_hessian
from ..registry import register

M_MAX = 100
T = np.arange(1, M_MAX + 1, dtype=np.float64) / 100.0
# −50 ln t_i >= 0; for i = 100 it is −0.0, clipped to +0.0 so y_100 = 25 exactly.
Y = 25.0 + np.maximum(-50.0 * np.log(T), 0.0) ** (2.0 / 3.0)
TINY = 1e-150


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
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    ssq = x1 * 0.0
    if g is not None:
        for j in range(3):
            g[j] = x1 * 0.0
    if S is not None:
        S[:, :] = 0.0
    for i in range(m):
        d = Y[i] - x2
        a = abs(d)
        # a^x3 (pow(0, x3) = 0 for x3 > 0, 1 for x3 = 0, +inf for x3 < 0: the limits).
        v = a ** x3 / x1
        e = np.exp(-v)
        r = e - T[i]
        ssq += r * r
        if g is None and J is None:
            continue  # f only: no derivatives
        # TINY keeps log and divisions finite at d = 0 without a branch (a branch lets the
        # compiler evaluate log(0) speculatively and raise a spurious floating-point flag).
        # It changes nothing elsewhere: a nonzero d = y_i - x2 with y_i >= 25 has |d| >= 1e-15,
        # so d + TINY == d exactly. At d = 0 (x3 > 0) v = 0, so every derivative below is 0.
        L = np.log(a + TINY)
        d_s = d + TINY
        v1 = -v / x1
        v2 = -x3 * v / d_s
        v3 = v * L
        # ∇r_i = −e ∇v
        dr1 = -e * v1
        dr2 = -e * v2
        dr3 = -e * v3
        if g is not None:
            g[0] += dr1 * r
            g[1] += dr2 * r
            g[2] += dr3 * r
        if J is not None:
            J[i, 0] = dr1
            J[i, 1] = dr2
            J[i, 2] = dr3
        if S is not None:
            h11 = 2.0 * v / (x1 * x1)
            h12 = x3 * v / (x1 * d_s)
            h13 = -v * L / x1
            h22 = x3 * (x3 - 1.0) * v / (d_s * d_s)
            h23 = -v * (1.0 + x3 * L) / d_s
            h33 = v * L * L
            # S += r_i ∇²r_i = r_i e (∇v ∇vᵀ − ∇²v), lower triangle
            c = r * e
            S[0, 0] += c * (v1 * v1 - h11)
            S[1, 0] += c * (v2 * v1 - h12)
            S[2, 0] += c * (v3 * v1 - h13)
            S[1, 1] += c * (v2 * v2 - h22)
            S[2, 1] += c * (v3 * v2 - h23)
            S[2, 2] += c * (v3 * v3 - h33)
    if g is not None:
        g *= 2.0
    if S is not None:
        S[0, 1] = S[1, 0]
        S[0, 2] = S[2, 0]
        S[1, 2] = S[2, 1]
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
    "gulf_research_development",
    aliases=("mgh11",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=99,
    m_allowed=lambda n, m: 3 <= m <= 100, m_text="3 <= m <= 100",
    x0=[5.0, 2.5, 0.15],
    # x0, its neighbours and x* have x2 < y_i for every i; these cross the y_i (|d_i| both ways)
    branch_points=[(30.0, 40.0, 2.5), (45.0, 26.0, 1.2)],
    xstar=[50.0, 25.0, 1.5], fstar=0.0,
    smooth=False, analytic=False,
    formula=(
        "f = sum_{i=1}^m (exp(-|y_i - x2|^x3 / x1) - t_i)^2, t_i = i/100, "
        "y_i = 25 + (-50 ln t_i)^(2/3)"
    ),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 11",
    notes=(
        "Trap: the 1981 paper misprints the inner term as |y_i mi x2| ('mi' = minus); the "
        "intended term, used by the authors' Fortran (ACM Alg. 566) and here, is |y_i - x2|, "
        "which makes (50, 25, 1.5) a zero of every residual. Because of |.| the function is "
        "registered analytic=False (no complex-step kernel) and smooth=False (not "
        "differentiable at x2 = y_i when x3 <= 1, unbounded second derivative there when "
        "1 < x3 < 2); it is real-analytic where x1 != 0 and x2 != y_i for all i, which contains "
        "x0 and, for m <= 99, x*. At d_i = 0 exactly the kernels use the limits (|d|^x3 = 0 "
        "and zero derivatives); for m = 100, y_100 = 25 = x2* and r_100(x*) = 0, so the "
        "Hessian at x* is still exact."
    ),
)
