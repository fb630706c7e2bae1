"""MGH 4 — Brown badly scaled function (Moré, Garbow, Hillstrom 1981, problem 4). n = 2, m = 3.

Residuals
    r1 = x1 − 10⁶,   r2 = x2 − 2·10⁻⁶,   r3 = x1 x2 − 2,   f = r1² + r2² + r3².

Hand derivation. Jacobian rows (1, 0), (0, 1), (x2, x1); the only curvature is
∇²r3 = [[0, 1], [1, 0]]. Hence
    ∇f  = 2 (r1 + x2 r3,  r2 + x1 r3),
    H11 = 2 (1 + x2²),   H22 = 2 (1 + x1²),   H12 = 2 (x1 x2 + r3) = 4 (x1 x2 − 1).

x0 = (1, 1); f* = 0 at x* = (10⁶, 2·10⁻⁶) (all three residuals vanish: 10⁶ · 2·10⁻⁶ = 2).
Formula checked against the MGH paper and NLSProblems.jl mgh04.
"""
from ..registry import register


def f(x, p, out):
    r1 = x[0] - 1.0e6
    r2 = x[1] - 2.0e-6
    r3 = x[0] * x[1] - 2.0
    out[0] = r1 * r1 + r2 * r2 + r3 * r3


def grad(x, p, g):
    r3 = x[0] * x[1] - 2.0
    g[0] = 2.0 * ((x[0] - 1.0e6) + x[1] * r3)
    g[1] = 2.0 * ((x[1] - 2.0e-6) + x[0] * r3)


def hess(x, p, H):
    h12 = 4.0 * (x[0] * x[1] - 1.0)
    H[0, 0] = 2.0 * (1.0 + x[1] * x[1])
    H[0, 1] = h12
    H[1, 0] = h12
    H[1, 1] = 2.0 * (1.0 + x[0] * x[0])


register(
    "brown_badly_scaled",
    aliases=("mgh04",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=3,
    x0=[1.0, 1.0], xstar=[1.0e6, 2.0e-6], fstar=0.0,
    formula="f = (x1 - 1e6)^2 + (x2 - 2e-6)^2 + (x1 x2 - 2)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 4",
)
