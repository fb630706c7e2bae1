"""Ackley function, any n >= 1 (the form due to Bäck, with a = 20, b = 0.2, c = 2 pi).

Source: D. H. Ackley (1987), A Connectionist Machine for Genetic Hillclimbing, Kluwer; the
n-dimensional form of T. Bäck (1996), Evolutionary Algorithms in Theory and Practice, OUP;
domain and minimum as in Surjanovic & Bingham (VLSE).

With S = sum_i x_i^2, r = sqrt(S / n), E = exp(-b r), D = exp((1/n) sum_i cos(c x_i)):
    f(x) = -a E - D + a + e = a (1 - E) + (e - D).
(Written as a (1 - E) + (e - D) so that f(0) is exactly 0 in floating point.)

Derivatives (by hand), valid for x != 0 (dr/dx_i = x_i / (n r)):
    df/dx_i = (a b E / (n r)) x_i + (c D / n) sin(c x_i),
    d2f/dx_i dx_j = (a b E / (n r)) [delta_ij - x_i x_j (1 + b r) / S]
                    + (c^2 D / n) [delta_ij cos(c x_i) - sin(c x_i) sin(c x_j) / n].
At x = 0 the first term has a cone-shaped kink (|x| behaviour): f is continuous but NOT
differentiable there, so ``smooth=False``. The Clarke subdifferential at 0 is the ball of radius
a b / sqrt(n) and contains 0; refopt's convention at S == 0 (x = 0, or |x| so small that S
underflows, below ~1e-154): gradient 0 (the minimum-norm subgradient, and 0 is the minimizer)
and Hessian NaN in every entry (it does not exist; its norm grows like 1/|x| near 0).

Analytic flag: away from x = 0 the function is the restriction of a holomorphic function
(principal sqrt of S near the positive real axis; exp, cos), and the kernels use no abs, max,
sign or comparisons except the exact S == 0 test, which a complex step x + i h e_k with x != 0
never triggers. So ``analytic=True``: the complex-step check is exact everywhere except at 0,
where no derivative exists anyway.
Trap: Jamil & Yang (2013) print the first constant as exp(-0.02 sqrt(...)); the standard value is
b = 0.2. Some docs state a = 10; the standard value is a = 20.
Domain [-32.768, 32.768]^n; f* = 0 at x* = 0; many local minima near the integer lattice.

x0: the literature gives none; refopt uses x_i = 1.3 for every i (a generic point inside the box,
where both the exponential and the cosine terms contribute to the gradient; not stationary).
"""
import numpy as np

from ..registry import register

A = 20.0
B = 0.2
C = 2.0 * np.pi
E1 = np.e


def f(x, p, out):
    n = x.shape[0]
    s = x[0] * 0.0
    cs = x[0] * 0.0
    for i in range(n):
        s += x[i] * x[i]
        cs += np.cos(C * x[i])
    r = np.sqrt(s / n)
    out[0] = A * (1.0 - np.exp(-B * r)) + (E1 - np.exp(cs / n))


def grad(x, p, g):
    n = x.shape[0]
    s = x[0] * 0.0
    cs = x[0] * 0.0
    for i in range(n):
        s += x[i] * x[i]
        cs += np.cos(C * x[i])
    if s == 0.0:
        for i in range(n):
            g[i] = 0.0
        return
    r = np.sqrt(s / n)
    t1 = A * B * np.exp(-B * r) / (n * r)
    t2 = C * np.exp(cs / n) / n
    for i in range(n):
        g[i] = t1 * x[i] + t2 * np.sin(C * x[i])


def hess(x, p, H):
    n = x.shape[0]
    s = x[0] * 0.0
    cs = x[0] * 0.0
    for i in range(n):
        s += x[i] * x[i]
        cs += np.cos(C * x[i])
    if s == 0.0:
        for i in range(n):
            for j in range(n):
                H[i, j] = np.nan
        return
    r = np.sqrt(s / n)
    t1 = A * B * np.exp(-B * r) / (n * r)
    q = t1 * (1.0 + B * r) / s
    d = np.exp(cs / n)
    t2 = C * C * d / n
    for i in range(n):
        si = np.sin(C * x[i])
        for j in range(i + 1, n):
            hij = -q * x[i] * x[j] - t2 * si * np.sin(C * x[j]) / n
            H[i, j] = hij
            H[j, i] = hij
        H[i, i] = t1 - q * x[i] * x[i] + t2 * (np.cos(C * x[i]) - si * si / n)


register(
    "ackley",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 1.3),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-32.768, 32.768),
    smooth=False, analytic=True,
    formula="f = -20 exp(-0.2 sqrt((1/n) sum_i x_i^2)) - exp((1/n) sum_i cos(2 pi x_i)) + 20 + e",
    source="Ackley (1987), A Connectionist Machine for Genetic Hillclimbing; Baeck (1996), "
           "Evolutionary Algorithms in Theory and Practice; Surjanovic & Bingham, VLSE",
    notes="Not differentiable at x* = 0 (cone kink of the sqrt term): smooth=False. At S = sum "
          "x_i^2 == 0 the kernels return gradient 0 (minimum-norm Clarke subgradient) and a NaN "
          "Hessian. Analytic (complex-step exact) everywhere else. Constants a=20, b=0.2, c=2 pi "
          "(Jamil & Yang 2013 misprint b as 0.02). x0 is not part of the usual definition: "
          "refopt uses 1.3 in every coordinate.",
)
