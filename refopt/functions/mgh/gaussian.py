"""MGH 9 — Gaussian function (Moré, Garbow, Hillstrom 1981, problem 9). n = 3, m = 15.

Residuals, i = 1..15, with t_i = (8 − i)/2:
    r_i = x1 exp(−x2 (t_i − x3)² / 2) − y_i,   f = Σ r_i²,
    y_i = y_{16−i} = 0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521 (i = 1..7), y_8 = 0.3989.

Hand derivation, with s = t_i − x3 and e = exp(−x2 s²/2) (note ∂s/∂x3 = −1):
    ∂r/∂x1 = e,   ∂r/∂x2 = −x1 s² e / 2,   ∂r/∂x3 = x1 x2 s e,
    ∂²r/∂x1² = 0,   ∂²r/∂x1∂x2 = −s² e / 2,   ∂²r/∂x1∂x3 = x2 s e,
    ∂²r/∂x2² = x1 s⁴ e / 4,   ∂²r/∂x2∂x3 = x1 s e (1 − x2 s² / 2),
    ∂²r/∂x3² = x1 x2 e (x2 s² − 1);
    ∇f = 2 Jᵀr,   ∇²f = 2 (JᵀJ + Σ_i r_i ∇²r_i), accumulated point by point.

x0 = (0.4, 1, 0); f* = 1.12793e−8 (MGH). The data are symmetric about t = 0, so x3* = 0 exactly;
solved to 50 digits here (mpmath, scratch script): x* = (0.39895613783875668, 1.0000190844878057,
0), f = 1.1279327696186480e−8. Formula checked against the MGH paper and NLSProblems.jl mgh09.
"""
import numpy as np

from ..registry import register

Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
              0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009])
XSTAR = (0.39895613783875668025397396656945, 1.0000190844878056964977925337216, 0.0)


def f(x, p, out):
    acc = x[0] * 0.0
    for i in range(1, 16):
        s = 0.5 * (8 - i) - x[2]
        r = x[0] * np.exp(-0.5 * x[1] * s * s) - Y[i - 1]
        acc += r * r
    out[0] = acc


def grad(x, p, g):
    x1 = x[0]
    x2 = x[1]
    a1 = x1 * 0.0
    a2 = x1 * 0.0
    a3 = x1 * 0.0
    for i in range(1, 16):
        s = 0.5 * (8 - i) - x[2]
        e = np.exp(-0.5 * x2 * s * s)
        r = x1 * e - Y[i - 1]
        a1 += e * r
        a2 += s * s * e * r
        a3 += s * e * r
    g[0] = 2.0 * a1
    g[1] = -x1 * a2
    g[2] = 2.0 * x1 * x2 * a3


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    h11 = x1 * 0.0
    h12 = x1 * 0.0
    h13 = x1 * 0.0
    h22 = x1 * 0.0
    h23 = x1 * 0.0
    h33 = x1 * 0.0
    for i in range(1, 16):
        s = 0.5 * (8 - i) - x[2]
        s2 = s * s
        e = np.exp(-0.5 * x2 * s2)
        r = x1 * e - Y[i - 1]
        j1 = e
        j2 = -0.5 * x1 * s2 * e
        j3 = x1 * x2 * s * e
        h11 += j1 * j1
        h12 += j1 * j2 - 0.5 * s2 * e * r
        h13 += j1 * j3 + x2 * s * e * r
        h22 += j2 * j2 + 0.25 * x1 * s2 * s2 * e * r
        h23 += j2 * j3 + x1 * s * e * (1.0 - 0.5 * x2 * s2) * r
        h33 += j3 * j3 + x1 * x2 * e * (x2 * s2 - 1.0) * r
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
    "gaussian",
    aliases=("mgh09",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=15,
    x0=[0.4, 1.0, 0.0], xstar=XSTAR, fstar=1.127932769618648e-08, fstar_literature="1.12793e-8",
    formula="f = sum_{i=1..15} (x1 exp(-x2 (t_i - x3)^2 / 2) - y_i)^2, t_i = (8 - i)/2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 9",
    notes="x* computed here to full precision; x3* = 0 exactly by the symmetry of the data.",
)
