"""MGH 16 — Brown and Dennis function (Moré, Garbow, Hillstrom 1981, problem 16).

n = 4, m >= n (default m = 20).

    t_i = i / 5,   a_i = x1 + t_i x2 − exp(t_i),   b_i = x3 + x4 sin(t_i) − cos(t_i),
    r_i(x) = a_i² + b_i²,     f = Σ_{i=1}^m r_i².

x0 = (25, 5, −5, −1); f* = 85822.2 for m = 20 (x* ≈ (−11.5944, 13.2036, −0.403439, 0.236779),
refined here to full precision). The literature gives no f* for other m.

Trap: one public R port starts from (25, 5, −5, +1); the paper's x4 is −1.

Derivatives (by hand). With v_i = (1, t_i, 0, 0) and w_i = (0, 0, 1, sin t_i):

    ∇r_i = 2 (a_i v_i + b_i w_i) = 2 (a_i, t_i a_i, b_i, sin(t_i) b_i),
    ∇²r_i = 2 (v_i v_iᵀ + w_i w_iᵀ)   (constant),

and f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i). Note f is a sum of fourth powers of
affine functions, so at x* it is large and the residuals do not vanish.
"""
import numpy as np
from numba import njit

from ..least_squares import ls_hessian
from ..registry import register


@njit(cache=True)
def _eval(x, m, g, J, S):
    """One pass over the m residuals; returns f = Σ r_i².

    Also fills what is asked for (pass None for what is not wanted):
      g (4)     ← ∇f = 2 Σ_i r_i ∇r_i  (= 2 Jᵀr, accumulated without storing J);
      J (m, 4)  ← the Jacobian, row i = ∇r_i;
      S (4, 4)  ← Σ_i r_i ∇²r_i, so that ∇²f = 2 (JᵀJ + S).
    Numba compiles one version per pattern of None arguments and drops the `is None` tests
    at compile time: f and grad pay nothing for the outputs they do not ask for.
    """
    ssq = x[0] * 0.0
    s0 = x[0] * 0.0  # Σ r_i
    s1 = x[0] * 0.0  # Σ r_i t_i
    s2 = x[0] * 0.0  # Σ r_i t_i²
    c1 = x[0] * 0.0  # Σ r_i sin t_i
    c2 = x[0] * 0.0  # Σ r_i sin² t_i
    if g is not None:
        for j in range(4):
            g[j] = x[0] * 0.0
    for i in range(m):
        t = (i + 1) / 5.0
        st = np.sin(t)
        a = x[0] + t * x[1] - np.exp(t)
        b = x[2] + x[3] * st - np.cos(t)
        r = a * a + b * b
        ssq += r * r
        if g is None and J is None:
            continue  # f only: no derivatives
        dr1 = 2.0 * a
        dr2 = 2.0 * t * a
        dr3 = 2.0 * b
        dr4 = 2.0 * st * b
        if g is not None:
            g[0] += dr1 * r
            g[1] += dr2 * r
            g[2] += dr3 * r
            g[3] += dr4 * r
        if J is not None:
            J[i, 0] = dr1
            J[i, 1] = dr2
            J[i, 2] = dr3
            J[i, 3] = dr4
        if S is not None:
            s0 += r
            s1 += r * t
            s2 += r * t * t
            c1 += r * st
            c2 += r * st * st
    if g is not None:
        g *= 2.0
    if S is not None:
        S[:, :] = 0.0
        S[0, 0] = 2.0 * s0
        S[0, 1] = 2.0 * s1
        S[1, 0] = 2.0 * s1
        S[1, 1] = 2.0 * s2
        S[2, 2] = 2.0 * s0
        S[2, 3] = 2.0 * c1
        S[3, 2] = 2.0 * c1
        S[3, 3] = 2.0 * c2
    return ssq


def f(x, p, out):
    out[0] = _eval(x, int(p[0]), None, None, None)


def grad(x, p, g):
    _eval(x, int(p[0]), g, None, None)


def hess(x, p, H):
    m = int(p[0])
    J = np.empty((m, 4), x.dtype)
    S = np.empty((4, 4), x.dtype)
    _eval(x, m, None, J, S)
    ls_hessian(J, S, H)


# x* for m = 20, refined by Newton iterations on the hand-derived Hessian from the published point
# (|grad f(x*)| ~ 1e-10 at f ~ 8.6e4); f(x*) = 85822.201626356.
XSTAR20 = [-11.594439904762165, 13.203630051207204, -0.40343948817685954, 0.2367787744557363]

register(
    "brown_dennis",
    aliases=("mgh16",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, m=20,
    m_allowed=lambda n, m: m >= 4, m_text="m >= 4",
    x0=[25.0, 5.0, -5.0, -1.0],
    xstar=lambda n, m: XSTAR20 if m == 20 else None,
    fstar=lambda n, m: 85822.20162635634 if m == 20 else None,
    fstar_literature="85822.2",
    formula=(
        "f = sum_{i=1}^m ((x1 + t_i x2 - exp(t_i))^2 + (x3 + x4 sin(t_i) - cos(t_i))^2)^2, "
        "t_i = i/5"
    ),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 16; Brown & Dennis (1971)",
    notes=(
        "Trap: one public R port has x0 = (25, 5, -5, 1); the paper's x0 has x4 = -1. f* = "
        "85822.2 is the literature value for m = 20 (none is given for other m); x* for m = 20 "
        "was refined by a tight minimization from the published point."
    ),
)
