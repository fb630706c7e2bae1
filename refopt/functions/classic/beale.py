"""Beale function (the classic 2-D global-optimization form), n = 2.

Source: E. M. L. Beale (1958), "On an iterative method for finding a local minimum of a function
of more than one variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton
University; the same function is Moré, Garbow & Hillstrom (1981) problem 5 (registered separately
as ``mgh_beale`` / ``mgh05``). Domain as in Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

With c = (1.5, 2.25, 2.625) and, for i = 1, 2, 3, the residuals
    r_i(x, y) = c_i - x (1 - y^i) = c_i - x + x y^i,
    f(x, y)   = r_1^2 + r_2^2 + r_3^2.

Derivatives (by hand), written through the residuals:
    dr_i/dx = y^i - 1,          dr_i/dy = i x y^(i-1),
    d2r_i/dx2 = 0,  d2r_i/dxdy = i y^(i-1),  d2r_i/dy2 = i (i-1) x y^(i-2),
    grad f = 2 sum_i r_i grad r_i,
    Hess f = 2 sum_i [grad r_i grad r_i^T + r_i Hess r_i].

Domain [-4.5, 4.5]^2; f* = 0 at x* = (3, 0.5) (all three residuals vanish there).
Features: along x = 0 the function is constant, f = 1.5^2 + 2.25^2 + 2.625^2 = 14.203125, and
(0, 1) is a saddle point: every grad r_i vanishes there, and the Hessian is [[0, 27.75], [27.75, 0]].
Trap: one public Python port sets the third constant to 2.652 instead of 2.625.

x0: the classic definition gives none; refopt uses (1, 1), the standard starting point of
MGH problem 5 (gradient (0, 27.75) there, not stationary).
"""
from ..registry import register

C1, C2, C3 = 1.5, 2.25, 2.625


def f(x, p, out):
    a = x[0]
    b = x[1]
    r1 = C1 - a + a * b
    r2 = C2 - a + a * b * b
    r3 = C3 - a + a * b * b * b
    out[0] = r1 * r1 + r2 * r2 + r3 * r3


def grad(x, p, g):
    a = x[0]
    b = x[1]
    b2 = b * b
    b3 = b2 * b
    r1 = C1 - a + a * b
    r2 = C2 - a + a * b2
    r3 = C3 - a + a * b3
    g[0] = 2.0 * (r1 * (b - 1.0) + r2 * (b2 - 1.0) + r3 * (b3 - 1.0))
    g[1] = 2.0 * (r1 * a + r2 * 2.0 * a * b + r3 * 3.0 * a * b2)


def hess(x, p, H):
    a = x[0]
    b = x[1]
    b2 = b * b
    b3 = b2 * b
    r1 = C1 - a + a * b
    r2 = C2 - a + a * b2
    r3 = C3 - a + a * b3
    # first derivatives of the residuals
    u1, v1 = b - 1.0, a
    u2, v2 = b2 - 1.0, 2.0 * a * b
    u3, v3 = b3 - 1.0, 3.0 * a * b2
    hxx = 2.0 * (u1 * u1 + u2 * u2 + u3 * u3)
    hxy = 2.0 * (u1 * v1 + u2 * v2 + u3 * v3 + r1 + r2 * 2.0 * b + r3 * 3.0 * b2)
    hyy = 2.0 * (v1 * v1 + v2 * v2 + v3 * v3 + r2 * 2.0 * a + r3 * 6.0 * a * b)
    H[0, 0] = hxx
    H[0, 1] = hxy
    H[1, 0] = hxy
    H[1, 1] = hyy


register(
    "beale",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[1.0, 1.0], xstar=[3.0, 0.5], fstar=0.0,
    bounds=(-4.5, 4.5),
    formula="f = (1.5 - x1 + x1 x2)^2 + (2.25 - x1 + x1 x2^2)^2 + (2.625 - x1 + x1 x2^3)^2",
    source="Beale (1958), Tech. Rep. 25, Statistical Techniques Research Group, Princeton; "
           "More, Garbow, Hillstrom (1981) problem 5; Surjanovic & Bingham, VLSE",
    notes="Same function as mgh_beale (MGH 5). x0 is not part of the classic definition: refopt "
          "uses (1, 1), MGH 5's starting point. f = 14.203125 on the whole line x1 = 0; (0, 1) is "
          "a saddle point (Hessian [[0, 27.75], [27.75, 0]]). A public port misprints 2.625 as 2.652.",
)
