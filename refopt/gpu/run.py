"""One optimizer run from one start, written once and compiled twice: by Numba for the CPU (one run
per start in a ``prange`` loop) and by numba.cuda as a device function (one run per GPU thread).

    x_{k+1} = x_k + α_k p_k

* Newton (``newton=True``): p_k = −(∇²f_k + τ_k I)⁻¹ ∇f_k with τ_k from N&W Algorithm 3.3
  (:func:`refopt.optim.newton.shifted_cholesky_into`: τ = 0 where ∇²f_k is positive definite, the
  pure Newton step) — ``minimize``'s ``method="newton"`` with ``options={"modify": "lm"}``;
* BFGS: p_k = −H_k ∇f_k (N&W eq. 6.18, :func:`refopt.optim.bfgs.inverse_direction`), H_k updated
  by eq. 6.17 after the scaling 6.20 (:func:`refopt.optim.bfgs.inverse_update`), H_0 = I; H is
  reset to I when −H∇f is not a descent direction — ``minimize``'s ``method="bfgs"`` with its defaults.

The rules are those of ``minimize``'s loop (:mod:`refopt.optim.loop`): stop when ‖∇f‖_∞ ≤ gtol
(status 0) or after ``maxiter`` iterations (1); the line search is the same source —
:func:`~refopt.optim.linesearch.wolfe_search` (strong Wolfe, N&W Alg. 3.5/3.6) or
:func:`~refopt.optim.linesearch.armijo_search` (N&W Alg. 3.1) — with the same first trial step
(α = 1 for a scaled direction, else N&W eq. 3.60 with f_{−1} = f_0 + ‖∇f_0‖₂/2) and constants; a
failed search ends the run (2), a non-finite f, ∇f, ∇²f or p (3), a step that does not move x (4).

Nothing here allocates: the caller hands each run its own work arrays (``W`` eight vectors, ``M``
three n×n matrices; views whose strides are the caller's: contiguous rows on the CPU, the start
as the fastest axis on a GPU), which is what lets the same source run as a GPU device function. The
kernels ``fk, gk, hk`` and BFGS's ``inverse_direction`` and ``inverse_update`` arrive as arguments
(first-class functions on the CPU, device functions on the GPU).
"""
from __future__ import annotations

import math

import numpy as np
from numba.extending import register_jitable

from ..optim.linesearch import armijo_search, evaluate, wolfe_search
from ..optim.loop import ALPHA_MAX, ARMIJO_MAXITER, ARMIJO_RHO, WOLFE_MAXITER
from ..optim.bfgs import CURVATURE_EPS
from ..optim.newton import shifted_cholesky_into
from ..optim.vector import all_finite

__all__ = ["descend_one"]


@register_jitable
def _max_abs(v):
    """‖v‖_∞ (NaN when an entry is NaN)."""
    m = 0.0
    for i in range(v.shape[0]):
        a = abs(v[i])
        if not a <= m:
            m = a
    return m


@register_jitable
def _matrix_finite(B):
    for i in range(B.shape[0]):
        if not all_finite(B[i]):
            return False
    return True


@register_jitable
def descend_one(newton, fk, gk, hk, inverse_direction, inverse_update, prm, x, gtol, maxiter, c1, c2, wolfe, W, M, out):
    """Run from x (overwritten by the last iterate). Returns (status, f, nit, nfev, nhev)."""
    n = x.shape[0]
    g, x_t, g_t, p, s, y, z, Hy = W[0], W[1], W[2], W[3], W[4], W[5], W[6], W[7]
    B, A, L = M[0], M[1], M[2]  # B: ∇²f (Newton) or the inverse-Hessian approximation H (BFGS)
    f = evaluate(fk, gk, prm, x, g, out)
    nfev, nhev, k = 1, 0, 0
    if not (math.isfinite(f) and all_finite(g)):
        return 3, f, k, nfev, nhev
    f_prev = f + 0.5 * math.sqrt(np.dot(g, g))
    h_scaled = False  # BFGS: H has its scale (eq. 6.20) once the first update is made
    if not newton:
        for i in range(n):
            for j in range(n):
                B[i, j] = 0.0
            B[i, i] = 1.0
    while True:
        if _max_abs(g) <= gtol:
            return 0, f, k, nfev, nhev
        if k >= maxiter:
            return 1, f, k, nfev, nhev
        if newton:
            hk(x, prm, B)
            nhev += 1
            if _matrix_finite(B):
                shifted_cholesky_into(B, g, A, L, z, p)
            else:
                p[0] = math.nan
            scaled = True
        else:
            if not inverse_direction(B, g, p) < 0.0:  # H lost positive definiteness to rounding: restart from steepest descent
                for i in range(n):
                    for j in range(n):
                        B[i, j] = 0.0
                    B[i, i] = 1.0
                    p[i] = -g[i]
            scaled = h_scaled
        k += 1
        if not all_finite(p):
            return 3, f, k, nfev, nhev
        if scaled or not f_prev > f:
            alpha_init = 1.0
        else:
            alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / np.dot(g, p))  # N&W eq. 3.60
        if wolfe:
            code, alpha, f_new, used, a, b, nonfinite = wolfe_search(
                fk, gk, prm, x, p, f, g, alpha_init, c1, c2, ALPHA_MAX, WOLFE_MAXITER, x_t, g_t, out)
            ok = code == 0
        else:
            code, alpha, f_new, used, a, b, nonfinite = armijo_search(
                fk, gk, prm, x, p, f, g, alpha_init, c1, ARMIJO_RHO, ARMIJO_MAXITER, x_t, g_t, out)
            ok = code == 1
        nfev += used
        if not ok:
            return 2, f, k, nfev, nhev
        if not (math.isfinite(f_new) and all_finite(g_t)):
            return 3, f, k, nfev, nhev
        moved = False
        for i in range(n):
            s[i] = x_t[i] - x[i]
            y[i] = g_t[i] - g[i]
            moved = moved or s[i] != 0.0
        if not moved:
            return 4, f, k, nfev, nhev
        f_prev, f = f, f_new
        for i in range(n):
            x[i] = x_t[i]
            g[i] = g_t[i]
        if not newton:
            if inverse_update(B, s, y, Hy, h_scaled, CURVATURE_EPS):
                h_scaled = True
