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

from ..registry import register


def f(x, p, out):
    m = int(p[0])
    s = x[0] * 0.0
    for i in range(m):
        t = 0.1 * (i + 1)
        c = np.exp(-t) - np.exp(-10.0 * t)
        r = np.exp(-t * x[0]) - np.exp(-t * x[1]) - x[2] * c
        s += r * r
    out[0] = s


def grad(x, p, g):
    m = int(p[0])
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    s3 = x[0] * 0.0
    for i in range(m):
        t = 0.1 * (i + 1)
        c = np.exp(-t) - np.exp(-10.0 * t)
        A = np.exp(-t * x[0])
        B = np.exp(-t * x[1])
        r = A - B - x[2] * c
        s1 += -t * A * r
        s2 += t * B * r
        s3 += -c * r
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3


def hess(x, p, H):
    m = int(p[0])
    h11 = x[0] * 0.0
    h12 = x[0] * 0.0
    h13 = x[0] * 0.0
    h22 = x[0] * 0.0
    h23 = x[0] * 0.0
    h33 = x[0] * 0.0
    for i in range(m):
        t = 0.1 * (i + 1)
        c = np.exp(-t) - np.exp(-10.0 * t)
        A = np.exp(-t * x[0])
        B = np.exp(-t * x[1])
        r = A - B - x[2] * c
        j1 = -t * A
        j2 = t * B
        j3 = -c
        h11 += j1 * j1 + r * t * t * A
        h12 += j1 * j2
        h13 += j1 * j3
        h22 += j2 * j2 - r * t * t * B
        h23 += j2 * j3
        h33 += j3 * j3
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
