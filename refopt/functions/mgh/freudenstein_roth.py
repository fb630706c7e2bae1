"""MGH 2 — Freudenstein and Roth function (Moré, Garbow, Hillstrom 1981, problem 2). n = 2, m = 2.

Residuals
    r1 = −13 + x1 + ((5 − x2) x2 − 2) x2  = −13 + x1 − x2³ + 5 x2² − 2 x2,
    r2 = −29 + x1 + ((x2 + 1) x2 − 14) x2 = −29 + x1 + x2³ + x2² − 14 x2,
    f  = r1² + r2².

Hand derivation. Jacobian rows (1, a1), (1, a2) with
    a1 = ∂r1/∂x2 = −3 x2² + 10 x2 − 2,   a2 = ∂r2/∂x2 = 3 x2² + 2 x2 − 14.
The only non-zero second derivatives are ∂²r1/∂x2² = 10 − 6 x2 and ∂²r2/∂x2² = 6 x2 + 2, so
    ∇f  = 2 (r1 + r2,  r1 a1 + r2 a2),
    H11 = 4,   H12 = 2 (a1 + a2),
    H22 = 2 (a1² + a2² + r1 (10 − 6 x2) + r2 (6 x2 + 2)).

x0 = (0.5, −2); f* = 0 at x* = (5, 4). MGH also list a local minimum f = 48.9842... at
(11.41..., −0.8968...); computed here to 50 digits (mpmath, scratch script):
x = (11.412778986902094, −0.8968052532744765), f = 48.984253679240021...
Methods started at x0 often stop there. Formula checked against MINPACK's ssqfcn (problem 7 of
its numbering) and NLSProblems.jl mgh02.
"""
from ..registry import register

LOCAL_X = (11.41277898690209392724582651527404, -0.89680525327447651818854337118149)
LOCAL_F = 48.98425367924002119998997805966960


def f(x, p, out):
    x1 = x[0]
    x2 = x[1]
    r1 = -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2
    r2 = -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2
    out[0] = r1 * r1 + r2 * r2


def grad(x, p, g):
    x1 = x[0]
    x2 = x[1]
    r1 = -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2
    r2 = -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2
    a1 = (-3.0 * x2 + 10.0) * x2 - 2.0
    a2 = (3.0 * x2 + 2.0) * x2 - 14.0
    g[0] = 2.0 * (r1 + r2)
    g[1] = 2.0 * (r1 * a1 + r2 * a2)


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    r1 = -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2
    r2 = -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2
    a1 = (-3.0 * x2 + 10.0) * x2 - 2.0
    a2 = (3.0 * x2 + 2.0) * x2 - 14.0
    h12 = 2.0 * (a1 + a2)
    H[0, 0] = 4.0
    H[0, 1] = h12
    H[1, 0] = h12
    H[1, 1] = 2.0 * (a1 * a1 + a2 * a2 + r1 * (10.0 - 6.0 * x2) + r2 * (6.0 * x2 + 2.0))


register(
    "freudenstein_roth",
    aliases=("mgh02",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=2,
    x0=[0.5, -2.0], xstar=[5.0, 4.0], fstar=0.0,
    local_minima=(
        {"f": LOCAL_F, "x": LOCAL_X,
         "note": "MGH list 48.9842 at (11.41..., -0.8968...); computed to full precision"},
    ),
    formula="f = (-13 + x1 + ((5 - x2) x2 - 2) x2)^2 + (-29 + x1 + ((x2 + 1) x2 - 14) x2)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 2; Freudenstein & Roth (1963)",
    notes="Local minimum f = 48.98425367924002 at (11.412778986902094, -0.8968052532744765) "
          "(MGH: 48.9842 at (11.41..., -0.8968...)); methods started at x0 often stop there.",
)
