"""Levy function (the d-dimensional form of Surjanovic & Bingham's VLSE), any n >= 1.

Source: A. V. Levy and A. Montalvo, "The tunneling algorithm for the global minimization of
functions", SIAM J. Sci. Stat. Comput. 6 (1985) 15-29; in the form of M. Laguna and
R. Marti, J. Global Optim. 33 (2005) 235-255, and Surjanovic & Bingham (VLSE), whose definition
refopt follows:

    w_i = 1 + (x_i - 1) / 4
    f(x) = sin^2(pi w_1) + sum_{i=1}^{n-1} (w_i - 1)^2 [1 + 10 sin^2(pi w_i + 1)]
           + (w_n - 1)^2 [1 + sin^2(2 pi w_n)]

Domain [-10, 10]^n; f* = 0 at x* = (1, ..., 1).

Trap: two forms circulate. VLSE (its R and MATLAB code, and ports such as niapy, benchmarkfcns)
use sin^2(pi w_i + 1) inside the sum, which makes f separable; Levy & Montalvo's original form has
sin^2(pi w_{i+1}) there (coupling neighbours), and some pages print that form with VLSE's name.
refopt implements the VLSE form ("levy" with domain [-10, 10] and x* = 1 is that one). Both have
f* = 0 at x* = 1 (every sum term carries (w_i - 1)^2).

Derivatives (by hand). f = sum_i a_i(w_i), with dw_i/dx_i = 1/4, so df/dx_i = a_i'(w_i)/4 and
d2f/dx_i^2 = a_i''(w_i)/16, off-diagonal 0. Using (sin^2 u)' = sin 2u, (sin^2 u)'' = 2 cos 2u:
    T1(w) = sin^2(pi w):           T1' = pi sin(2 pi w),  T1'' = 2 pi^2 cos(2 pi w)     [i = 1]
    T2(w) = (w-1)^2 q, q = 1 + 10 sin^2(pi w + 1), q' = 10 pi sin(2 pi w + 2),
            q'' = 20 pi^2 cos(2 pi w + 2):  T2' = 2(w-1) q + (w-1)^2 q',
            T2'' = 2 q + 4 (w-1) q' + (w-1)^2 q''                                       [i < n]
    T3(w) = (w-1)^2 r, r = 1 + sin^2(2 pi w), r' = 2 pi sin(4 pi w), r'' = 8 pi^2 cos(4 pi w):
            T3' = 2(w-1) r + (w-1)^2 r',  T3'' = 2 r + 4 (w-1) r' + (w-1)^2 r''            [i = n]

x0: the literature gives none; refopt uses x_i = -4 (w_i = -1/4; inside the box, not stationary).
"""
import numpy as np

from ..registry import register

PI = np.pi


def f(x, p, out):
    n = x.shape[0]
    w1 = 1.0 + (x[0] - 1.0) / 4.0
    s = np.sin(PI * w1) ** 2
    for i in range(n - 1):
        w = 1.0 + (x[i] - 1.0) / 4.0
        s += (w - 1.0) ** 2 * (1.0 + 10.0 * np.sin(PI * w + 1.0) ** 2)
    wn = 1.0 + (x[n - 1] - 1.0) / 4.0
    s += (wn - 1.0) ** 2 * (1.0 + np.sin(2.0 * PI * wn) ** 2)
    out[0] = s


def grad(x, p, g):
    n = x.shape[0]
    for i in range(n):
        w = 1.0 + (x[i] - 1.0) / 4.0
        v = w - 1.0
        d = x[i] * 0.0
        if i == 0:
            d += PI * np.sin(2.0 * PI * w)
        if i < n - 1:
            q = 1.0 + 10.0 * np.sin(PI * w + 1.0) ** 2
            dq = 10.0 * PI * np.sin(2.0 * PI * w + 2.0)
            d += 2.0 * v * q + v * v * dq
        if i == n - 1:
            r = 1.0 + np.sin(2.0 * PI * w) ** 2
            dr = 2.0 * PI * np.sin(4.0 * PI * w)
            d += 2.0 * v * r + v * v * dr
        g[i] = d / 4.0


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        w = 1.0 + (x[i] - 1.0) / 4.0
        v = w - 1.0
        d2 = x[i] * 0.0
        if i == 0:
            d2 += 2.0 * PI * PI * np.cos(2.0 * PI * w)
        if i < n - 1:
            q = 1.0 + 10.0 * np.sin(PI * w + 1.0) ** 2
            dq = 10.0 * PI * np.sin(2.0 * PI * w + 2.0)
            ddq = 20.0 * PI * PI * np.cos(2.0 * PI * w + 2.0)
            d2 += 2.0 * q + 4.0 * v * dq + v * v * ddq
        if i == n - 1:
            r = 1.0 + np.sin(2.0 * PI * w) ** 2
            dr = 2.0 * PI * np.sin(4.0 * PI * w)
            ddr = 8.0 * PI * PI * np.cos(4.0 * PI * w)
            d2 += 2.0 * r + 4.0 * v * dr + v * v * ddr
        H[i, i] = d2 / 16.0


register(
    "levy",
    f=f, grad=grad, hess=hess,
    n=2, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    x0=lambda n, m: np.full(n, -4.0),
    xstar=lambda n, m: np.ones(n), fstar=0.0,
    bounds=(-10.0, 10.0),
    formula="w_i = 1 + (x_i - 1)/4;  f = sin^2(pi w_1) + sum_{i=1}^{n-1} (w_i - 1)^2 "
            "(1 + 10 sin^2(pi w_i + 1)) + (w_n - 1)^2 (1 + sin^2(2 pi w_n))",
    source="Levy & Montalvo (1985), SIAM J. Sci. Stat. Comput. 6:15-29; Laguna & Marti (2005), "
           "J. Global Optim. 33:235-255; Surjanovic & Bingham, VLSE (form used here)",
    notes="VLSE form, with sin^2(pi w_i + 1) in the sum (separable); the original Levy-Montalvo "
          "form has sin^2(pi w_{i+1}) there. Same f* = 0 at x* = 1. x0 is not part of the usual "
          "definition: refopt uses -4 in every coordinate.",
)
