"""Himmelblau function, n = 2.

Source: D. M. Himmelblau (1972), Applied Nonlinear Programming, McGraw-Hill; domain and minima as
usually cited (Jamil & Yang 2013; Wikipedia "Himmelblau's function").

    a = x^2 + y - 11,   b = x + y^2 - 7,   f(x, y) = a^2 + b^2

Derivatives (by hand):
    df/dx = 4 x a + 2 b,          df/dy = 2 a + 4 y b,
    d2f/dx2 = 4 a + 8 x^2 + 2,    d2f/dxdy = 4 x + 4 y,    d2f/dy2 = 4 b + 8 y^2 + 2.
Domain [-5, 5]^2. Four global minima, all with f = 0 (a = b = 0); refopt's x* is (3, 2), the
exact one. The other three (roots of a quartic, computed here to 40 digits with mpmath and
rounded to double):
    (-2.805118086952745,  3.131312518250573)
    (-3.779310253377747, -3.283185991286170)
    ( 3.584428340330492, -1.848126526964404)
A local maximum at (-0.2708445906673476, -0.9230385564799815), f = 181.6165215225827, and four
saddle points.

x0: the literature gives none; refopt uses (0, 0) (gradient (-14, -22), not stationary).
"""
from ..registry import register

def f(x, p, out):
    a = x[0] * x[0] + x[1] - 11.0
    b = x[0] + x[1] * x[1] - 7.0
    out[0] = a * a + b * b


def grad(x, p, g):
    a = x[0] * x[0] + x[1] - 11.0
    b = x[0] + x[1] * x[1] - 7.0
    g[0] = 4.0 * x[0] * a + 2.0 * b
    g[1] = 2.0 * a + 4.0 * x[1] * b


def hess(x, p, H):
    a = x[0] * x[0] + x[1] - 11.0
    b = x[0] + x[1] * x[1] - 7.0
    hxy = 4.0 * (x[0] + x[1])
    H[0, 0] = 4.0 * a + 8.0 * x[0] * x[0] + 2.0
    H[0, 1] = hxy
    H[1, 0] = hxy
    H[1, 1] = 4.0 * b + 8.0 * x[1] * x[1] + 2.0


register(
    "himmelblau",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[0.0, 0.0], xstar=[3.0, 2.0], fstar=0.0,
    bounds=(-5.0, 5.0),
    formula="f = (x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2",
    source="Himmelblau (1972), Applied Nonlinear Programming, McGraw-Hill; Jamil & Yang (2013)",
    notes="Four global minima with f = 0: x* = (3, 2) (exact) and, to double precision, "
          "(-2.805118086952745, 3.131312518250573), (-3.779310253377747, -3.283185991286170), "
          "(3.584428340330492, -1.848126526964404). Local maximum at "
          "(-0.2708445906673476, -0.9230385564799815), f = 181.6165215225827. x0 is not part of "
          "the usual definition: refopt uses (0, 0). The Hessian at x0 is negative definite: pure Newton from x0 climbs to the local maximum (-0.2708, -0.9230) (a deliberate test of saddle-free methods).",
)
