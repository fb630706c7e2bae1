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

from ..registry import register

M_MAX = 100
T = np.arange(1, M_MAX + 1, dtype=np.float64) / 100.0
# −50 ln t_i >= 0; for i = 100 it is −0.0, clipped to +0.0 so y_100 = 25 exactly.
Y = 25.0 + np.maximum(-50.0 * np.log(T), 0.0) ** (2.0 / 3.0)
TINY = 1e-150


def f(x, p, out):
    m = int(p[0])
    s = x[0] * 0.0
    for i in range(m):
        a = abs(Y[i] - x[1])
        # a^x3 (pow(0, x3) = 0 for x3 > 0, 1 for x3 = 0, +inf for x3 < 0: the limits).
        r = np.exp(-(a ** x[2] / x[0])) - T[i]
        s += r * r
    out[0] = s


def grad(x, p, g):
    m = int(p[0])
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    s1 = x1 * 0.0
    s2 = x1 * 0.0
    s3 = x1 * 0.0
    for i in range(m):
        d = Y[i] - x2
        a = abs(d)
        v = a ** x3 / x1
        e = np.exp(-v)
        r = e - T[i]
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
        s1 += -e * v1 * r
        s2 += -e * v2 * r
        s3 += -e * v3 * r
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3


def hess(x, p, H):
    m = int(p[0])
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    h11 = x1 * 0.0
    h12 = x1 * 0.0
    h13 = x1 * 0.0
    h22 = x1 * 0.0
    h23 = x1 * 0.0
    h33 = x1 * 0.0
    for i in range(m):
        d = Y[i] - x2
        a = abs(d)
        v = a ** x3 / x1
        e = np.exp(-v)
        r = e - T[i]
        L = np.log(a + TINY)  # TINY: see grad
        d_s = d + TINY
        v1 = -v / x1
        v2 = -x3 * v / d_s
        v3 = v * L
        v11 = 2.0 * v / (x1 * x1)
        v12 = x3 * v / (x1 * d_s)
        v13 = -v * L / x1
        v22 = x3 * (x3 - 1.0) * v / (d_s * d_s)
        v23 = -v * (1.0 + x3 * L) / d_s
        v33 = v * L * L
        # ∇r_i = −e ∇v;  r_i ∇²r_i = r_i e (∇v ∇vᵀ − ∇²v)
        j1 = -e * v1
        j2 = -e * v2
        j3 = -e * v3
        c = r * e
        h11 += j1 * j1 + c * (v1 * v1 - v11)
        h12 += j1 * j2 + c * (v2 * v1 - v12)
        h13 += j1 * j3 + c * (v3 * v1 - v13)
        h22 += j2 * j2 + c * (v2 * v2 - v22)
        h23 += j2 * j3 + c * (v3 * v2 - v23)
        h33 += j3 * j3 + c * (v3 * v3 - v33)
    H[0, 0] = 2.0 * h11
    H[1, 1] = 2.0 * h22
    H[2, 2] = 2.0 * h33
    H[0, 1] = 2.0 * h12
    H[1, 0] = 2.0 * h12
    H[0, 2] = 2.0 * h13
    H[2, 0] = 2.0 * h13
    H[1, 2] = 2.0 * h23
    H[2, 1] = 2.0 * h23


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
