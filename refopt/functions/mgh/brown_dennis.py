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

from ..registry import register


def f(x, p, out):
    m = int(p[0])
    s = x[0] * 0.0
    for i in range(m):
        t = (i + 1) / 5.0
        a = x[0] + t * x[1] - np.exp(t)
        b = x[2] + x[3] * np.sin(t) - np.cos(t)
        r = a * a + b * b
        s += r * r
    out[0] = s


def grad(x, p, g):
    m = int(p[0])
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    s3 = x[0] * 0.0
    s4 = x[0] * 0.0
    for i in range(m):
        t = (i + 1) / 5.0
        st = np.sin(t)
        a = x[0] + t * x[1] - np.exp(t)
        b = x[2] + x[3] * st - np.cos(t)
        r = a * a + b * b
        s1 += 2.0 * a * r
        s2 += 2.0 * t * a * r
        s3 += 2.0 * b * r
        s4 += 2.0 * st * b * r
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3
    g[3] = 2.0 * s4


def hess(x, p, H):
    # ∇r_i = (j1, j2, j3, j4); r_i ∇²r_i = 2 r_i (v_i v_iᵀ + w_i w_iᵀ) adds to the entries
    # (1,1), (1,2), (2,2) [v_i = (1, t_i, 0, 0)] and (3,3), (3,4), (4,4) [w_i = (0, 0, 1, sin t_i)].
    m = int(p[0])
    h11 = x[0] * 0.0
    h12 = x[0] * 0.0
    h13 = x[0] * 0.0
    h14 = x[0] * 0.0
    h22 = x[0] * 0.0
    h23 = x[0] * 0.0
    h24 = x[0] * 0.0
    h33 = x[0] * 0.0
    h34 = x[0] * 0.0
    h44 = x[0] * 0.0
    for i in range(m):
        t = (i + 1) / 5.0
        st = np.sin(t)
        a = x[0] + t * x[1] - np.exp(t)
        b = x[2] + x[3] * st - np.cos(t)
        r = a * a + b * b
        j1 = 2.0 * a
        j2 = 2.0 * t * a
        j3 = 2.0 * b
        j4 = 2.0 * st * b
        c = 2.0 * r
        h11 += j1 * j1 + c
        h12 += j1 * j2 + c * t
        h13 += j1 * j3
        h14 += j1 * j4
        h22 += j2 * j2 + c * t * t
        h23 += j2 * j3
        h24 += j2 * j4
        h33 += j3 * j3 + c
        h34 += j3 * j4 + c * st
        h44 += j4 * j4 + c * st * st
    H[0, 0] = 2.0 * h11
    H[1, 1] = 2.0 * h22
    H[2, 2] = 2.0 * h33
    H[3, 3] = 2.0 * h44
    H[0, 1] = 2.0 * h12
    H[1, 0] = 2.0 * h12
    H[0, 2] = 2.0 * h13
    H[2, 0] = 2.0 * h13
    H[0, 3] = 2.0 * h14
    H[3, 0] = 2.0 * h14
    H[1, 2] = 2.0 * h23
    H[2, 1] = 2.0 * h23
    H[1, 3] = 2.0 * h24
    H[3, 1] = 2.0 * h24
    H[2, 3] = 2.0 * h34
    H[3, 2] = 2.0 * h34


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
