"""Styblinski-Tang function, any n >= 1.

Source: M. A. Styblinski and T.-S. Tang (1990), "Experiments in nonconvex optimization:
stochastic approximation with function smoothing and simulated annealing", Neural Networks 3(4),
467-483; domain and minimum as in Surjanovic & Bingham (VLSE).

    f(x) = (1/2) sum_i (x_i^4 - 16 x_i^2 + 5 x_i)

Separable. Derivatives (by hand): df/dx_i = 2 x_i^3 - 16 x_i + 5/2;
d2f/dx_i^2 = 6 x_i^2 - 16; off-diagonal 0.
Each coordinate's stationary points are the roots of 4 t^3 - 32 t + 5 = 0:
    t1 = -2.903534027771177 (global minimum, value -39.16616570377142 per coordinate),
    t2 =  0.1567312567803401 (local maximum),
    t3 =  2.746802770990837 (local minimum, value -25.02944665528394 per coordinate);
computed to 40 digits with mpmath and rounded. So f* = -39.16616570377142 n at x_i = t1 for all
i, and the 2^n - 1 other combinations of t1/t3 are local minima.
Trap: VLSE and several ports print f* = -39.16599 n (wrong in the 5th digit); one toolbox
prints x_i = -1.903534 (a misprint of -2.903534). Some variants divide by n (or 2n).
Domain [-5, 5]^n.

x0: the literature gives none; refopt uses x_i = 0 for every i (gradient 2.5 per coordinate, not
stationary; 0 lies on the t1 side of the local maximum t2).
"""
import numpy as np

from ..registry import register

T_STAR = -2.903534027771177
F_STAR_1D = -39.16616570377141  # per coordinate, refined (the literature prints ...142)


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(x.shape[0]):
        t = x[i] * x[i]
        s += t * t - 16.0 * t + 5.0 * x[i]
    out[0] = 0.5 * s


def grad(x, p, g):
    for i in range(x.shape[0]):
        g[i] = 2.0 * x[i] * x[i] * x[i] - 16.0 * x[i] + 2.5


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        H[i, i] = 6.0 * x[i] * x[i] - 16.0


register(
    "styblinski_tang",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.zeros(n),
    xstar=lambda n, m: np.full(n, T_STAR), fstar=lambda n, m: F_STAR_1D * n, fstar_literature="-39.16616570377142 n",
    bounds=(-5.0, 5.0),
    formula="f = (1/2) sum_{i=1}^{n} (x_i^4 - 16 x_i^2 + 5 x_i)",
    source="Styblinski & Tang (1990), Neural Networks 3(4), 467-483; Surjanovic & Bingham, VLSE",
    notes="x*_i = -2.903534027771177 (root of 4t^3 - 32t + 5, computed to full precision), "
          "f* = -39.16616570377142 n; VLSE's -39.16599 n is inaccurate. Local minima: any mix of "
          "x_i in {-2.903534027771177, 2.746802770990837} (value -25.02944665528394 per "
          "coordinate at the latter). x0 is not part of the usual definition: refopt uses 0 in "
          "every coordinate. The Hessian at x0 is negative definite (-16 I): pure Newton from x0 climbs to the local maximum near 0.157 (a deliberate test of saddle-free methods).",
)
