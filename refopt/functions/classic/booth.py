"""Booth function, n = 2.

Source: as usually cited, Jamil & Yang (2013), "A literature survey of benchmark functions for
global optimization problems", IJMMNO 4(2), 150-194 (Booth function); Surjanovic & Bingham, VLSE.

    f(x, y) = (x + 2 y - 7)^2 + (2 x + y - 5)^2

A convex quadratic. Derivatives (by hand), with u = x + 2y - 7 and v = 2x + y - 5:
    df/dx = 2u + 4v = 10 x + 8 y - 34,   df/dy = 4u + 2v = 8 x + 10 y - 38,
    Hessian = [[10, 8], [8, 10]] (constant, eigenvalues 2 and 18).
Domain [-10, 10]^2; f* = 0 at x* = (1, 3), the only stationary point.

x0: the literature gives none; refopt uses (0, 0) (gradient (-34, -38), not stationary).
"""
from ..registry import register


def f(x, p, out):
    u = x[0] + 2.0 * x[1] - 7.0
    v = 2.0 * x[0] + x[1] - 5.0
    out[0] = u * u + v * v


def grad(x, p, g):
    u = x[0] + 2.0 * x[1] - 7.0
    v = 2.0 * x[0] + x[1] - 5.0
    g[0] = 2.0 * u + 4.0 * v
    g[1] = 4.0 * u + 2.0 * v


def hess(x, p, H):
    H[0, 0] = 10.0
    H[0, 1] = 8.0
    H[1, 0] = 8.0
    H[1, 1] = 10.0


register(
    "booth",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[0.0, 0.0], xstar=[1.0, 3.0], fstar=0.0,
    bounds=(-10.0, 10.0),
    formula="f = (x1 + 2 x2 - 7)^2 + (2 x1 + x2 - 5)^2",
    source="Jamil & Yang (2013), IJMMNO 4(2), 150-194; Surjanovic & Bingham, VLSE",
    notes="x0 is not part of the usual definition: refopt uses (0, 0). Convex quadratic with "
          "constant Hessian [[10, 8], [8, 10]].",
)
