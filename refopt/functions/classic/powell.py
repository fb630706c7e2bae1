"""Powell function (extended Powell singular function), n a multiple of 4.

Source: M. J. D. Powell, "An iterative method for finding stationary values of a function of
several variables", Computer J. 5 (1962) 147-151 (n = 4); extended form as in Moré, Garbow &
Hillstrom (1981), problems 13 and 22, and Surjanovic & Bingham (VLSE). The same function is
registered as MGH 22 ("extended_powell_singular"); this is its classic-benchmark entry.

For each block k = 1..n/4, with (a, b, c, d) = (x_{4k-3}, x_{4k-2}, x_{4k-1}, x_{4k}):
    f(x) = sum_k [ (a + 10 b)^2 + 5 (c - d)^2 + (b - 2 c)^4 + 10 (a - d)^4 ]

Domain [-4, 5]^n; f* = 0 at x* = 0, where the Hessian is singular (rank 2 per block).

x0: the classic-benchmark literature gives none; refopt uses MGH's (3, -1, 0, 1) repeated per
block (inside [-4, 5]^n).

The kernels are those of MGH 22 (refopt/functions/mgh/extended_powell_singular.py): one
derivation, registered twice with different metadata (bounds and the classic name here).
"""
import numpy as np

from ..mgh.extended_powell_singular import f, grad, hess  # MGH 22's kernels: one derivation
from ..registry import register


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
