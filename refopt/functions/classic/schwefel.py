"""Schwefel function (Schwefel 2.26 in some lists), any n >= 1.

Source: H.-P. Schwefel, "Numerical Optimization of Computer Models", Wiley (1981), problem 2.26;
as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

    f(x) = C n - sum_i x_i sin(sqrt(|x_i|)),     literature: C = 418.9829

Domain [-500, 500]^n; global minimum at x_i = 420.968746... in every coordinate, f* = 0.

The constant. C is meant to be max_{0 < u <= 500} u sin(sqrt(u)), so that f* = 0. With t = sqrt(u)
the maximum solves d/dt (t^2 sin t) = t (2 sin t + t cos t) = 0, i.e. tan t = -t/2, near t = 20.5:
    t* = 20.51752290994168787...,  u* = t*^2 = 420.96874635998202731...,
    C  = u* sin t* = 418.98288727243370627...    (computed with mpmath at 40 digits)
The published 418.9829 is C rounded to 7 significant digits; with it f(x*) = 1.2727566e-5 n, not 0.
refopt uses C to 16 digits, the decimal 418.9828872724337, so that f - f* is a meaningful
optimality gap down to rounding. That decimal is 6.27e-15 below the true maximum, so the exact
minimum of refopt's function is f* = (418.9828872724337 - C) n = -6.274786435195601e-15 n (the
refined value the catalog records; in float64, f(x*) is that up to rounding, ~1e-13). The two
definitions differ only by the constant; derivatives are identical.

Derivatives (by hand). Each term is h(x) = x sin(sqrt|x|), an odd function. With t = sqrt(|x|):
    h'(x)  = sin t + (t/2) cos t                        (even; h'(0) = 0, so f is C^1)
    h''(x) = sign(x) [ 3 cos(t) / (4 t) - sin(t) / 4 ]  (odd; -> +-inf as x -> 0+-)
    df/dx_i = -h'(x_i);  d2f/dx_i^2 = -h''(x_i);  off-diagonal 0.
The second derivative does not exist at x_i = 0 (smooth=False); the Hessian kernel writes 0 there
(the value is undefined; 0 is a placeholder). |x| is involved, so analytic=False (no complex step).

x0: the literature gives none; refopt uses x_i = 100 (inside the box, away from the kink at 0 and
from the global minimizer; not stationary).
"""
import numpy as np

from ..registry import register

# max_{u>0, u<=500} u sin(sqrt(u)), to double precision (mpmath: 418.982887272433706274786...).
C = 418.9828872724337
# its argmax u* (mpmath: 420.968746359982027311844365...).
XSTAR = 420.96874635998205
# f* per coordinate: 418.9828872724337 - C (mpmath, 60 digits: -6.2747864351956007e-15).
F_STAR_1D = -6.274786435195601e-15


def f(x, p, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += C - x[i] * np.sin(np.sqrt(np.abs(x[i])))
    out[0] = s


def grad(x, p, g):
    for i in range(x.shape[0]):
        t = np.sqrt(np.abs(x[i]))
        g[i] = -(np.sin(t) + 0.5 * t * np.cos(t))


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        xi = x[i]
        if xi != 0.0:
            t = np.sqrt(np.abs(xi))
            d2 = 0.75 * np.cos(t) / t - 0.25 * np.sin(t)
            H[i, i] = -d2 if xi > 0.0 else d2


register(
    "schwefel",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 100.0),
    branch_points=[(-300.5, 250.25), (-420.96874635998205, -100.0)],  # |x_i| of both signs
    xstar=lambda n, m: np.full(n, XSTAR), fstar=lambda n, m: F_STAR_1D * n, fstar_literature="0",
    bounds=(-500.0, 500.0),
    smooth=False, analytic=False,
    formula="f = 418.9828872724337 n - sum_i x_i sin(sqrt(|x_i|))",
    source="Schwefel (1981), Numerical Optimization of Computer Models, problem 2.26; "
           "Surjanovic & Bingham, VLSE",
    notes="The usual constant 418.9829 is replaced by C = max u sin(sqrt u) (attained at "
          "u = 420.96874635998202...) to 16 digits, 418.9828872724337, so that f* is 0 to "
          "rounding: exactly, f* = -6.274786435195601e-15 n (the decimal is that far below the "
          "maximum); with 418.9829, f would be larger by 1.2727566e-5 n everywhere. Not twice differentiable "
          "at x_i = 0 (the Hessian kernel writes 0 there). x0 is not part of the usual definition: "
          "refopt uses 100 in every coordinate.",
)
