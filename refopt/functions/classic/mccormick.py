"""McCormick function, n = 2.

Source: G. P. McCormick (1976), "Computability of global solutions to factorable nonconvex
programs: Part I - Convex underestimating problems", Math. Programming 10, 147-175 (as cited by
Jamil & Yang 2013); domain and minimum as in Surjanovic & Bingham (VLSE).

    f(x, y) = sin(x + y) + (x - y)^2 - 1.5 x + 2.5 y + 1

Derivatives (by hand), with s = sin(x + y), k = cos(x + y):
    df/dx = k + 2 (x - y) - 1.5,     df/dy = k - 2 (x - y) + 2.5,
    d2f/dx2 = -s + 2,   d2f/dxdy = -s - 2,   d2f/dy2 = -s + 2.
Stationary points in closed form: adding the two gradient equations gives cos(x + y) = -1/2,
subtracting them gives x - y = 1. The global minimum (x + y = -2 pi / 3, where sin < 0 makes the
Hessian positive definite) is therefore exact:
    x* = (1/2 - pi/3, -1/2 - pi/3) = (-0.5471975511965977, -1.5471975511965979),
    f* = -sqrt(3)/2 - pi/3 = -1.913222954981036 (literature: -1.913222954981037).
Another interior local minimum at x + y = 4 pi / 3: (1/2 + 2 pi/3, -1/2 + 2 pi/3)
= (2.594395102393196, 1.594395102393196), f = 2 pi/3 - sqrt(3)/2 = 1.228369698608757.
Domain [-1.5, 4] x [-3, 4] (VLSE); Jamil & Yang and others use x2 in [-3, 3].
The Hessian has eigenvalues 4 (along (1, -1)) and -2 sin(x + y) (along (1, 1)).
Traps: some pages print x* = (0.54719, -1.54719) (sign of x1 lost) and call f "convex" (it is
not: the Hessian is indefinite wherever sin(x + y) > 0).

x0: the literature gives none; refopt uses (0, 0) (gradient (-0.5, 3.5), not stationary).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    d = x[0] - x[1]
    out[0] = np.sin(x[0] + x[1]) + d * d - 1.5 * x[0] + 2.5 * x[1] + 1.0


def grad(x, p, g):
    k = np.cos(x[0] + x[1])
    d = x[0] - x[1]
    g[0] = k + 2.0 * d - 1.5
    g[1] = k - 2.0 * d + 2.5


def hess(x, p, H):
    s = np.sin(x[0] + x[1])
    hxy = -s - 2.0
    H[0, 0] = 2.0 - s
    H[0, 1] = hxy
    H[1, 0] = hxy
    H[1, 1] = 2.0 - s


register(
    "mccormick",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[0.0, 0.0],
    # x* = (1/2 − π/3, −1/2 − π/3), the doubles nearest (refined in 120 digits; the float64
    # expressions 0.5 - np.pi / 3.0 are off by one and two units in the last place)
    xstar=[-0.5471975511965977, -1.5471975511965979], fstar=-1.9132229549810364,
    fstar_literature="-1.913222954981037",
    bounds=([-1.5, -3.0], [4.0, 4.0]),
    formula="f = sin(x1 + x2) + (x1 - x2)^2 - 1.5 x1 + 2.5 x2 + 1",
    source="McCormick (1976), Math. Programming 10; Jamil & Yang (2013); "
           "Surjanovic & Bingham, VLSE",
    local_minima=({"x": (0.5 + 2.0 * np.pi / 3.0, -0.5 + 2.0 * np.pi / 3.0),
                   "f": 2.0 * np.pi / 3.0 - np.sqrt(3.0) / 2.0},),
    notes="x* = (1/2 - pi/3, -1/2 - pi/3) and f* = -sqrt(3)/2 - pi/3 exactly (from cos(x1+x2) = "
          "-1/2, x1 - x2 = 1). local_minima lists the other interior minimum "
          "(1/2 + 2pi/3, -1/2 + 2pi/3) as records with x and f. Bounds x2 in [-3, 4] as in VLSE (Jamil & "
          "Yang use [-3, 3]). x0 is not part of the usual definition: refopt uses (0, 0). The Hessian at x0 is singular (eigenvalues 0 and 4): pure Newton is undefined at x0 (a deliberate test of saddle-free methods).",
)
