"""MGH 3 — Powell badly scaled function (Moré, Garbow, Hillstrom 1981, problem 3). n = 2, m = 2.

Residuals
    r1 = 10⁴ x1 x2 − 1,   r2 = exp(−x1) + exp(−x2) − 1.0001,   f = r1² + r2².

Hand derivation, with e1 = exp(−x1), e2 = exp(−x2). Jacobian rows (10⁴ x2, 10⁴ x1) and
(−e1, −e2); ∇²r1 = [[0, 10⁴], [10⁴, 0]], ∇²r2 = diag(e1, e2). Hence
    ∇f  = 2 (10⁴ x2 r1 − e1 r2,  10⁴ x1 r1 − e2 r2),
    H11 = 2 (10⁸ x2² + e1² + r2 e1),   H22 = 2 (10⁸ x1² + e2² + r2 e2),
    H12 = 2 (10⁸ x1 x2 + e1 e2 + 10⁴ r1).

x0 = (0, 1); f* = 0. MGH give x* ≈ (1.098...e−5, 9.106...); both residuals vanish there, and the
root was solved here to 50 digits (mpmath findroot, scratch script):
    x* = (1.0981593296998174556837616e−5, 9.1061467398665240109467105).
Because f is symmetric in (x1, x2), the swapped point (9.106..., 1.098...e−5) is a second global
minimizer. The two variables differ in scale by ~10⁶ near x*: this is the point of the problem.
Formula checked against the MGH paper, NLSProblems.jl mgh03 and the MINPACK test drivers for
unconstrained minimization and nonlinear equations (it is not in MINPACK's least-squares set).
Trap: at least one public port writes 10 x1 x2 instead of 10⁴ x1 x2 in r1.
"""
import numpy as np

from ..registry import register

XSTAR = (1.0981593296998174556837616456252e-05, 9.1061467398665240109467104903197)


def f(x, p, out):
    r1 = 1.0e4 * x[0] * x[1] - 1.0
    r2 = np.exp(-x[0]) + np.exp(-x[1]) - 1.0001
    out[0] = r1 * r1 + r2 * r2


def grad(x, p, g):
    e1 = np.exp(-x[0])
    e2 = np.exp(-x[1])
    r1 = 1.0e4 * x[0] * x[1] - 1.0
    r2 = e1 + e2 - 1.0001
    g[0] = 2.0 * (1.0e4 * x[1] * r1 - e1 * r2)
    g[1] = 2.0 * (1.0e4 * x[0] * r1 - e2 * r2)


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    e1 = np.exp(-x1)
    e2 = np.exp(-x2)
    r1 = 1.0e4 * x1 * x2 - 1.0
    r2 = e1 + e2 - 1.0001
    h12 = 2.0 * (1.0e8 * x1 * x2 + e1 * e2 + 1.0e4 * r1)
    H[0, 0] = 2.0 * (1.0e8 * x2 * x2 + e1 * e1 + r2 * e1)
    H[0, 1] = h12
    H[1, 0] = h12
    H[1, 1] = 2.0 * (1.0e8 * x1 * x1 + e2 * e2 + r2 * e2)


register(
    "powell_badly_scaled",
    aliases=("mgh03",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=2,
    x0=[0.0, 1.0], xstar=XSTAR, fstar=0.0,
    formula="f = (1e4 x1 x2 - 1)^2 + (exp(-x1) + exp(-x2) - 1.0001)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 3; Powell (1970)",
    notes="x* solved to full precision (MGH give 1.098e-5, 9.106); f is symmetric, so the "
          "swapped point is also a global minimizer.",
)
