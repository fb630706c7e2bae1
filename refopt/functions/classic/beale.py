"""Beale function (the classic 2-D global-optimization form), n = 2.

Source: E. M. L. Beale (1958), "On an iterative method for finding a local minimum of a function
of more than one variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton
University; the same function is Moré, Garbow & Hillstrom (1981) problem 5 (registered separately
as ``mgh_beale`` / ``mgh05``). Domain as in Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

With c = (1.5, 2.25, 2.625) and, for i = 1, 2, 3, the residuals
    r_i(x, y) = c_i - x (1 - y^i) = c_i - x + x y^i,
    f(x, y)   = r_1^2 + r_2^2 + r_3^2.

Domain [-4.5, 4.5]^2; f* = 0 at x* = (3, 0.5) (all three residuals vanish there).
Features: along x = 0 the function is constant, f = 1.5^2 + 2.25^2 + 2.625^2 = 14.203125, and
(0, 1) is a saddle point: every grad r_i vanishes there, and the Hessian is [[0, 27.75], [27.75, 0]].
Trap: one public Python port sets the third constant to 2.652 instead of 2.625.

x0: the classic definition gives none; refopt uses (1, 1), the standard starting point of
MGH problem 5 (gradient (0, 27.75) there, not stationary).

The kernels are those of MGH 5 (refopt/functions/mgh/beale.py): one derivation, registered
twice with different metadata (bounds and the classic name here).
"""
from ..mgh.beale import f, grad, hess  # the kernels of MGH 5: one derivation
from ..registry import register


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
