"""Matyas function, n = 2.

Source: J. Matyas (1965), "Random optimization", Automation and Remote Control 26(2), 246-253
(as cited by Jamil & Yang 2013); domain and minimum as in Surjanovic & Bingham (VLSE).

    f(x, y) = 0.26 (x^2 + y^2) - 0.48 x y

A convex quadratic. Derivatives (by hand):
    df/dx = 0.52 x - 0.48 y,     df/dy = 0.52 y - 0.48 x,
    Hessian = [[0.52, -0.48], [-0.48, 0.52]] (constant; eigenvalues 0.04 along (1, 1) and 1.0
    along (1, -1): condition number 25).
Domain [-10, 10]^2 (Hedar's collection uses [-10, 15]^2); f* = 0 at x* = (0, 0).

x0: the literature gives none; refopt uses (1, 2), a point off both eigen-directions (gradient
(-0.44, 0.56), not stationary).
"""
from ..registry import register


def f(x, p, out):
    out[0] = 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1]


def grad(x, p, g):
    g[0] = 0.52 * x[0] - 0.48 * x[1]
    g[1] = 0.52 * x[1] - 0.48 * x[0]


def hess(x, p, H):
    H[0, 0] = 0.52
    H[0, 1] = -0.48
    H[1, 0] = -0.48
    H[1, 1] = 0.52


register(
    "matyas",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[1.0, 2.0], xstar=[0.0, 0.0], fstar=0.0,
    bounds=(-10.0, 10.0),
    formula="f = 0.26 (x1^2 + x2^2) - 0.48 x1 x2",
    source="Matyas (1965), Automation and Remote Control 26(2); Jamil & Yang (2013); "
           "Surjanovic & Bingham, VLSE",
    notes="Convex quadratic, Hessian eigenvalues 0.04 and 1 (condition 25). x0 is not part of "
          "the usual definition: refopt uses (1, 2).",
)
