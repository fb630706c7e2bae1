"""Griewank function, any n >= 1.

Source: A. O. Griewank, "Generalized descent for global optimization", J. Optim. Theory Appl. 34
(1981) 11-39; as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

    f(x) = 1 + sum_i x_i^2 / 4000 - prod_i cos(x_i / sqrt(i))      (i = 1..n)

Domain [-600, 600]^n; f* = 0 at x* = 0; very many regularly spaced local minima.

Derivatives (by hand). Write c_i = cos(x_i/sqrt(i)), s_i = sin(x_i/sqrt(i)), P = prod_j c_j,
R_i = prod_{j != i} c_j and R_ik = prod_{j != i,k} c_j (formed from prefix/suffix products, never
by dividing P by a cosine that may vanish):
    df/dx_i       = x_i / 2000 + (s_i / sqrt(i)) R_i
    d2f/dx_i^2    = 1/2000 + (c_i / i) R_i           (= 1/2000 + P / i)
    d2f/dx_i dx_k = -(s_i s_k / sqrt(i k)) R_ik      (i != k)
The Hessian is dense: O(n^2) with a running middle product for each row.

Trap: the divisor is sqrt(i) with i counted from 1; 0-based ports either divide by sqrt(0) or
(one seen) skip x_1 altogether.

x0: the literature gives none; refopt uses x_i = 100 (inside the box, far from 0, many local
minima in between; not stationary since df/dx_i contains 100/2000).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    s = x[0] * 0.0
    prod = x[0] * 0.0 + 1.0
    for i in range(n):
        s += x[i] * x[i]
        prod *= np.cos(x[i] / np.sqrt(i + 1.0))
    out[0] = 1.0 + s / 4000.0 - prod


def grad(x, p, g):
    n = x.shape[0]
    c = np.empty(n, x.dtype)
    pre = np.empty(n + 1, x.dtype)   # pre[i] = prod_{j < i} c_j
    suf = np.empty(n + 1, x.dtype)   # suf[i] = prod_{j >= i} c_j
    for i in range(n):
        c[i] = np.cos(x[i] / np.sqrt(i + 1.0))
    pre[0] = 1.0
    for i in range(n):
        pre[i + 1] = pre[i] * c[i]
    suf[n] = 1.0
    for i in range(n - 1, -1, -1):
        suf[i] = suf[i + 1] * c[i]
    for i in range(n):
        r = np.sqrt(i + 1.0)
        g[i] = x[i] / 2000.0 + np.sin(x[i] / r) / r * (pre[i] * suf[i + 1])


def hess(x, p, H):
    n = x.shape[0]
    c = np.empty(n, x.dtype)
    t = np.empty(n, x.dtype)         # t_i = s_i / sqrt(i)
    pre = np.empty(n + 1, x.dtype)
    suf = np.empty(n + 1, x.dtype)
    for i in range(n):
        r = np.sqrt(i + 1.0)
        c[i] = np.cos(x[i] / r)
        t[i] = np.sin(x[i] / r) / r
    pre[0] = 1.0
    for i in range(n):
        pre[i + 1] = pre[i] * c[i]
    suf[n] = 1.0
    for i in range(n - 1, -1, -1):
        suf[i] = suf[i + 1] * c[i]
    for i in range(n):
        H[i, i] = 1.0 / 2000.0 + c[i] / (i + 1.0) * (pre[i] * suf[i + 1])
        mid = x[0] * 0.0 + 1.0       # prod_{i < j < k} c_j
        for k in range(i + 1, n):
            h = -t[i] * t[k] * (pre[i] * mid * suf[k + 1])
            H[i, k] = h
            H[k, i] = h
            mid = mid * c[k]


register(
    "griewank",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, 100.0),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    bounds=(-600.0, 600.0),
    formula="f = 1 + sum_i x_i^2 / 4000 - prod_i cos(x_i / sqrt(i)),  i = 1..n",
    source="Griewank (1981), J. Optim. Theory Appl. 34:11-39; Surjanovic & Bingham, VLSE; "
           "Jamil & Yang (2013)",
    notes="x0 is not part of the usual definition: refopt uses 100 in every coordinate.",
)
