"""Bohachevsky function 1, n = 2.

Source: I. O. Bohachevsky, M. E. Johnson and M. L. Stein, "Generalized simulated annealing for
function optimization", Technometrics 28 (1986) 209-217; as listed by Surjanovic & Bingham (VLSE,
the first of three Bohachevsky functions) and Jamil & Yang (2013).

    f(x) = x1^2 + 2 x2^2 - 0.3 cos(3 pi x1) - 0.4 cos(4 pi x2) + 0.7

Domain [-100, 100]^2; f* = 0 at x* = (0, 0). Separable.

Derivatives (by hand):
    df/dx1 = 2 x1 + 0.9 pi sin(3 pi x1),      df/dx2 = 4 x2 + 1.6 pi sin(4 pi x2)
    d2f/dx1^2 = 2 + 2.7 pi^2 cos(3 pi x1),    d2f/dx2^2 = 4 + 6.4 pi^2 cos(4 pi x2),  H_12 = 0.

x0: the literature gives none; refopt uses (2.3, -1.7) (inside the box, in the multimodal region
near the origin; not stationary).
"""
import numpy as np

from ..registry import register

PI = np.pi


def f(x, p, out):
    out[0] = (x[0] * x[0] + 2.0 * x[1] * x[1] - 0.3 * np.cos(3.0 * PI * x[0])
              - 0.4 * np.cos(4.0 * PI * x[1]) + 0.7)


def grad(x, p, g):
    g[0] = 2.0 * x[0] + 0.9 * PI * np.sin(3.0 * PI * x[0])
    g[1] = 4.0 * x[1] + 1.6 * PI * np.sin(4.0 * PI * x[1])


def hess(x, p, H):
    H[0, 0] = 2.0 + 2.7 * PI * PI * np.cos(3.0 * PI * x[0])
    H[1, 1] = 4.0 + 6.4 * PI * PI * np.cos(4.0 * PI * x[1])
    H[0, 1] = 0.0
    H[1, 0] = 0.0


register(
    "bohachevsky",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=np.array([2.3, -1.7]),
    xstar=np.zeros(2), fstar=0.0,
    bounds=(-100.0, 100.0),
    formula="f = x1^2 + 2 x2^2 - 0.3 cos(3 pi x1) - 0.4 cos(4 pi x2) + 0.7",
    source="Bohachevsky, Johnson & Stein (1986), Technometrics 28:209-217 (function 1); "
           "Surjanovic & Bingham, VLSE",
    notes="Bohachevsky function 1 (of three). x0 is not part of the usual definition: refopt "
          "uses (2.3, -1.7).",
)
