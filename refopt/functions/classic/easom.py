"""Easom function, n = 2.

Source: E. E. Easom, "A survey of global optimization techniques", M. Eng. thesis, University of
Louisville (1990); as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

    f(x) = -cos(x1) cos(x2) E,   E = exp(-(x1 - pi)^2 - (x2 - pi)^2)

A flat plateau (f ~ 0) with a single narrow well; f* = -1 at x* = (pi, pi). Domain [-100, 100]^2.

Derivatives (by hand; a = x1 - pi, b = x2 - pi, c_k = cos x_k, s_k = sin x_k):
    dE/dx1 = -2 a E, so
    df/dx1 = E c2 (s1 + 2 a c1),              df/dx2 = E c1 (s2 + 2 b c2)
    d2f/dx1^2 = E c2 (3 c1 - 4 a s1 - 4 a^2 c1),
    d2f/dx2^2 = E c1 (3 c2 - 4 b s2 - 4 b^2 c2),
    d2f/dx1dx2 = -E (s1 + 2 a c1)(s2 + 2 b c2).
At x*, the Hessian is 3 I.

x0: the literature gives none; refopt uses (2, 2.5), inside the well's basin where E ~ 0.18 and the
gradient is not negligible (far out on the plateau E underflows and every local method stalls).
"""
import numpy as np

from ..registry import register

PI = np.pi


def f(x, p, out):
    a = x[0] - PI
    b = x[1] - PI
    out[0] = -np.cos(x[0]) * np.cos(x[1]) * np.exp(-a * a - b * b)


def grad(x, p, g):
    a = x[0] - PI
    b = x[1] - PI
    e = np.exp(-a * a - b * b)
    c1 = np.cos(x[0])
    c2 = np.cos(x[1])
    g[0] = e * c2 * (np.sin(x[0]) + 2.0 * a * c1)
    g[1] = e * c1 * (np.sin(x[1]) + 2.0 * b * c2)


def hess(x, p, H):
    a = x[0] - PI
    b = x[1] - PI
    e = np.exp(-a * a - b * b)
    c1 = np.cos(x[0])
    c2 = np.cos(x[1])
    s1 = np.sin(x[0])
    s2 = np.sin(x[1])
    H[0, 0] = e * c2 * (3.0 * c1 - 4.0 * a * s1 - 4.0 * a * a * c1)
    H[1, 1] = e * c1 * (3.0 * c2 - 4.0 * b * s2 - 4.0 * b * b * c2)
    h01 = -e * (s1 + 2.0 * a * c1) * (s2 + 2.0 * b * c2)
    H[0, 1] = h01
    H[1, 0] = h01


register(
    "easom",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=np.array([2.0, 2.5]),
    xstar=np.array([np.pi, np.pi]), fstar=-1.0,
    bounds=(-100.0, 100.0),
    formula="f = -cos(x1) cos(x2) exp(-(x1 - pi)^2 - (x2 - pi)^2)",
    source="Easom (1990), M.Eng. thesis, Univ. of Louisville; Surjanovic & Bingham, VLSE; "
           "Jamil & Yang (2013)",
    notes="x0 is not part of the usual definition: refopt uses (2, 2.5), inside the basin of the "
          "well (on the plateau far from (pi, pi) the gradient underflows to 0).",
)
