"""Powell function (extended Powell singular function), n a multiple of 4.

Source: M. J. D. Powell, "An iterative method for finding stationary values of a function of
several variables", Computer J. 5 (1962) 147-151 (n = 4); extended form as in Moré, Garbow &
Hillstrom (1981), problems 13 and 22, and Surjanovic & Bingham (VLSE). The same function is
registered as MGH 22 ("extended_powell_singular"); this is its classic-benchmark entry.

For each block k = 1..n/4, with (a, b, c, d) = (x_{4k-3}, x_{4k-2}, x_{4k-1}, x_{4k}):
    f(x) = sum_k [ (a + 10 b)^2 + 5 (c - d)^2 + (b - 2 c)^4 + 10 (a - d)^4 ]

Domain [-4, 5]^n; f* = 0 at x* = 0, where the Hessian is singular (rank 2 per block).

Derivatives (by hand; t1 = a + 10 b, t2 = c - d, t3 = b - 2 c, t4 = a - d):
    df/da = 2 t1 + 40 t4^3,  df/db = 20 t1 + 4 t3^3,
    df/dc = 10 t2 - 8 t3^3,  df/dd = -10 t2 - 40 t4^3
    Hessian, block diagonal with 4x4 blocks:
    H_aa = 2 + 120 t4^2, H_ab = 20, H_ac = 0, H_ad = -120 t4^2,
    H_bb = 200 + 12 t3^2, H_bc = -24 t3^2, H_bd = 0,
    H_cc = 10 + 48 t3^2, H_cd = -10, H_dd = 10 + 120 t4^2.

x0: the classic-benchmark literature gives none; refopt uses MGH's (3, -1, 0, 1) repeated per
block (inside [-4, 5]^n).

Implementation note: powers of x-dependent values are written as products (t*t*t), not t**3:
Numba evaluates a complex ** int through the complex pow, which spoils the complex-step check.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    s = x[0] * 0.0
    for k in range(x.shape[0] // 4):
        a = x[4 * k]
        b = x[4 * k + 1]
        c = x[4 * k + 2]
        d = x[4 * k + 3]
        t1 = a + 10.0 * b
        t2 = c - d
        t3 = b - 2.0 * c
        t4 = a - d
        q3 = t3 * t3
        q4 = t4 * t4
        s += t1 * t1 + 5.0 * t2 * t2 + q3 * q3 + 10.0 * q4 * q4
    out[0] = s


def grad(x, p, g):
    for k in range(x.shape[0] // 4):
        a = x[4 * k]
        b = x[4 * k + 1]
        c = x[4 * k + 2]
        d = x[4 * k + 3]
        t1 = a + 10.0 * b
        t2 = c - d
        t3 = b - 2.0 * c
        t4 = a - d
        c3 = t3 * t3 * t3
        c4 = t4 * t4 * t4
        g[4 * k] = 2.0 * t1 + 40.0 * c4
        g[4 * k + 1] = 20.0 * t1 + 4.0 * c3
        g[4 * k + 2] = 10.0 * t2 - 8.0 * c3
        g[4 * k + 3] = -10.0 * t2 - 40.0 * c4


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    for k in range(n // 4):
        i = 4 * k
        t3 = x[i + 1] - 2.0 * x[i + 2]
        t4 = x[i] - x[i + 3]
        q3 = t3 * t3
        q4 = t4 * t4
        H[i, i] = 2.0 + 120.0 * q4
        H[i, i + 1] = 20.0
        H[i + 1, i] = 20.0
        H[i, i + 3] = -120.0 * q4
        H[i + 3, i] = -120.0 * q4
        H[i + 1, i + 1] = 200.0 + 12.0 * q3
        H[i + 1, i + 2] = -24.0 * q3
        H[i + 2, i + 1] = -24.0 * q3
        H[i + 2, i + 2] = 10.0 + 48.0 * q3
        H[i + 2, i + 3] = -10.0
        H[i + 3, i + 2] = -10.0
        H[i + 3, i + 3] = 10.0 + 120.0 * q4


register(
    "powell",
    f=f, grad=grad, hess=hess,
    n=4, n_allowed=lambda n: n >= 4 and n % 4 == 0, n_text="n a positive multiple of 4",
    x0=lambda n, m: np.tile([3.0, -1.0, 0.0, 1.0], n // 4),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-4.0, 5.0),
    formula="f = sum_{k=1}^{n/4} [(x_{4k-3} + 10 x_{4k-2})^2 + 5 (x_{4k-1} - x_{4k})^2 "
            "+ (x_{4k-2} - 2 x_{4k-1})^4 + 10 (x_{4k-3} - x_{4k})^4]",
    source="Powell (1962), Computer J. 5:147-151; Moré, Garbow & Hillstrom (1981) "
           "problems 13, 22; Surjanovic & Bingham, VLSE",
    notes="Same function as MGH 22 (extended Powell singular). Hessian singular at x* = 0 "
          "(slow, non-quadratic convergence of Newton-type methods). x0 is taken from MGH: "
          "(3, -1, 0, 1) repeated.",
)
