"""MGH 10 — Meyer function (Moré, Garbow, Hillstrom 1981, problem 10). n = 3, m = 16.

Residuals, i = 1..16, with t_i = 45 + 5 i:
    r_i = x1 exp(x2 / (t_i + x3)) − y_i,   f = Σ r_i²,
    y = (34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147, 4427,
         3820, 3307, 2872).

Hand derivation, with d = t_i + x3 and e = exp(x2/d):
    ∂r/∂x1 = e,   ∂r/∂x2 = x1 e / d,   ∂r/∂x3 = −x1 x2 e / d²,
    ∂²r/∂x1² = 0,   ∂²r/∂x1∂x2 = e / d,   ∂²r/∂x1∂x3 = −x2 e / d²,
    ∂²r/∂x2² = x1 e / d²,   ∂²r/∂x2∂x3 = −x1 e (x2 + d) / d³,
    ∂²r/∂x3² = x1 x2 e (x2 + 2 d) / d⁴;
    ∇f = 2 Jᵀr,   ∇²f = 2 (JᵀJ + Σ_i r_i ∇²r_i), accumulated point by point.

Scaling. At x* the variables span 6 orders of magnitude (x1 ~ 6e−3, x2 ~ 6e3, x3 ~ 3e2),
e reaches ~6e6 and each residual is a difference of two numbers ~1e4 that agree to 3–4 digits.
The Hessian at x* has eigenvalues ~2.5e−2, 4.2e4 and 2.5e14 (condition ~1e16). In float64 a
rounding of x2/d by one ulp moves r_i by ~1e−11 and ∂f/∂x1 = 2 Σ e r_i by ~1e−4, so the computed
gradient at the (rounded) x* is ~5e−4 in its first component although the exact one is ~2e−4
there: this is inherent in the problem, not an error of the derivation. The kernels compute
q = 1/d, e = exp(x2 q) once per residual and build every derivative from x1·e·q products, with
no subtraction of large terms other than r_i itself. Checked against complex-step (exact) and
against 40-digit mpmath derivatives at x0, x* and random points (agreement ~1e−15 relative).

x0 = (0.02, 4000, 250); f* = 87.9458 (MGH). Solved to 50 digits here (mpmath, scratch script):
x* = (5.6096364710280525e−3, 6181.3463462863723, 345.22363462413650), f = 87.945855170851121
(GSL's test suite lists the same x* to 12 digits). Formula checked against MINPACK's ssqfcn (its
problem 10), NLSProblems.jl mgh10 and GSL's test_meyer.c.
"""
import numpy as np

from ..registry import register

Y = np.array([34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0,
              8261.0, 7030.0, 6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0])
XSTAR = (5.6096364710280525352547266518149e-03, 6181.3463462863722793772257077423,
         345.22363462413649590360074665933)


def f(x, p, out):
    acc = x[0] * 0.0
    for i in range(1, 17):
        r = x[0] * np.exp(x[1] / (45.0 + 5.0 * i + x[2])) - Y[i - 1]
        acc += r * r
    out[0] = acc


def grad(x, p, g):
    x1 = x[0]
    x2 = x[1]
    a1 = x1 * 0.0
    a2 = x1 * 0.0
    a3 = x1 * 0.0
    for i in range(1, 17):
        q = 1.0 / (45.0 + 5.0 * i + x[2])
        e = np.exp(x2 * q)
        er = e * (x1 * e - Y[i - 1])
        a1 += er
        a2 += er * q
        a3 += er * q * q
    g[0] = 2.0 * a1
    g[1] = 2.0 * x1 * a2
    g[2] = -2.0 * x1 * x2 * a3


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    h11 = x1 * 0.0
    h12 = x1 * 0.0
    h13 = x1 * 0.0
    h22 = x1 * 0.0
    h23 = x1 * 0.0
    h33 = x1 * 0.0
    for i in range(1, 17):
        d = 45.0 + 5.0 * i + x[2]
        q = 1.0 / d
        e = np.exp(x2 * q)
        r = x1 * e - Y[i - 1]
        j1 = e
        j2 = x1 * e * q
        j3 = -x2 * q * j2
        h11 += j1 * j1
        h12 += j1 * j2 + e * q * r
        h13 += j1 * j3 - x2 * e * q * q * r
        h22 += j2 * j2 + j2 * q * r
        h23 += j2 * j3 - j2 * q * q * (x2 + d) * r
        h33 += j3 * j3 - j3 * q * q * (x2 + 2.0 * d) * r
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
    "meyer",
    aliases=("mgh10",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=16,
    x0=[0.02, 4000.0, 250.0], xstar=XSTAR, fstar=87.94585517085112, fstar_literature="87.9458",
    formula="f = sum_{i=1..16} (x1 exp(x2 / (45 + 5 i + x3)) - y_i)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 10; Meyer (1970)",
    notes="Badly scaled (x1 ~ 6e-3, x2 ~ 6e3, x3 ~ 3e2); x* computed here to full precision.",
)
