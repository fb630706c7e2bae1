"""MGH 8 — Bard function (Moré, Garbow, Hillstrom 1981, problem 8). n = 3, m = 15.

Residuals, i = 1..15, with u_i = i, v_i = 16 − i, w_i = min(u_i, v_i):
    r_i = y_i − (x1 + u_i / (v_i x2 + w_i x3)),   f = Σ r_i²,
    y = (0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39).

Hand derivation, with d_i = v_i x2 + w_i x3:
    ∂r_i/∂x1 = −1,   ∂r_i/∂x2 = u_i v_i / d_i²,   ∂r_i/∂x3 = u_i w_i / d_i²,
    ∂²r_i/∂x2² = −2 u_i v_i² / d_i³,   ∂²r_i/∂x2∂x3 = −2 u_i v_i w_i / d_i³,
    ∂²r_i/∂x3² = −2 u_i w_i² / d_i³,   all second derivatives in x1 vanish;
    ∇f = 2 Jᵀr,   ∇²f = 2 (JᵀJ + Σ_i r_i ∇²r_i), accumulated point by point (no work arrays).

x0 = (1, 1, 1); f* = 8.21487e−3 (MGH). The minimizer, solved to 50 digits here (mpmath, scratch
script), is x* = (0.08241055974978893, 1.1330360920297216, 2.3436951786425371),
f = 8.2148773065789747e−3. MGH also list f = 17.4286 at (0.8406, −∞, −∞), a minimum at infinity
(recorded in local_minima with x = None). f has poles on the planes d_i = 0.
Formula checked against MINPACK's ssqfcn (its problem 8) and NLSProblems.jl mgh08.
"""
import numpy as np

from ..registry import register

Y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39,
              0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39])
XSTAR = (0.082410559749788932414044468409983, 1.1330360920297215620587184185344,
         2.3436951786425371401417496168915)


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(1, 16):
        v = 16.0 - i
        w = float(min(i, 16 - i))
        r = Y[i - 1] - (x[0] + i / (v * x[1] + w * x[2]))
        s += r * r
    out[0] = s


def grad(x, p, g):
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    s3 = x[0] * 0.0
    for i in range(1, 16):
        v = 16.0 - i
        w = float(min(i, 16 - i))
        d = v * x[1] + w * x[2]
        r = Y[i - 1] - (x[0] + i / d)
        k = i / (d * d) * r
        s1 -= r
        s2 += v * k
        s3 += w * k
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3


def hess(x, p, H):
    h11 = 0.0
    h12 = x[0] * 0.0
    h13 = x[0] * 0.0
    h22 = x[0] * 0.0
    h23 = x[0] * 0.0
    h33 = x[0] * 0.0
    for i in range(1, 16):
        u = float(i)
        v = 16.0 - i
        w = float(min(i, 16 - i))
        d = v * x[1] + w * x[2]
        r = Y[i - 1] - (x[0] + u / d)
        d2 = d * d
        j2 = u * v / d2
        j3 = u * w / d2
        c = -2.0 * u / (d2 * d) * r  # r_i times ∂²r_i / (a b) for the pair (a, b) in {v, w}
        h11 += 1.0
        h12 -= j2
        h13 -= j3
        h22 += j2 * j2 + c * v * v
        h23 += j2 * j3 + c * v * w
        h33 += j3 * j3 + c * w * w
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
    "bard",
    aliases=("mgh08",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=15,
    x0=[1.0, 1.0, 1.0], xstar=XSTAR, fstar=0.008214877306578975, fstar_literature="8.21487e-3",
    local_minima=(
        {"f": 17.4286, "x": None,
         "note": "MGH (1981): approached as x2, x3 -> -inf with x1 -> 0.8406 (at infinity)"},
    ),
    formula="f = sum_{i=1..15} (y_i - (x1 + i / ((16 - i) x2 + min(i, 16 - i) x3)))^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 8; Bard (1970)",
    notes="x* computed here to full precision; MGH also report f = 17.4286 at "
          "(0.8406, -inf, -inf), a minimum at infinity. Poles where (16-i) x2 + min(i,16-i) x3 = 0.",
)
