"""Sphere function (De Jong's F1), any n >= 1.

Source: K. A. De Jong (1975), "An analysis of the behavior of a class of genetic adaptive
systems", PhD thesis, University of Michigan (test function F1); domain and minimum as in
Surjanovic & Bingham, Virtual Library of Simulation Experiments (VLSE), and Jamil & Yang (2013),
Int. J. Math. Modelling Num. Optimisation 4(2), 150-194.

    f(x) = sum_i x_i^2

Derivatives (by hand): df/dx_i = 2 x_i; the Hessian is the constant 2 I (off-diagonal 0).
Domain [-5.12, 5.12]^n; f* = 0 at x* = 0, the only stationary point.

x0: the literature gives none; refopt uses x_i = 3 for every i (inside the box, gradient 6 per
coordinate, so not stationary).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i]
    out[0] = s


def grad(x, p, g):
    for i in range(x.shape[0]):
        g[i] = 2.0 * x[i]


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        H[i, i] = 2.0


register(
    "sphere",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 3.0),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-5.12, 5.12),
    formula="f = sum_{i=1}^{n} x_i^2",
    source="De Jong (1975), PhD thesis, Univ. Michigan (F1); Surjanovic & Bingham, VLSE; "
           "Jamil & Yang (2013), IJMMNO 4(2)",
    notes="x0 is not part of the usual definition: refopt uses 3.0 in every coordinate.",
)
