"""BFGS — Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), Algorithm 6.1.

With H_k the approximation of the *inverse* Hessian:

    p_k = −H_k ∇f_k                                   (6.18)
    x_{k+1} = x_k + α_k p_k,  α_k from a line search (strong Wolfe by default, c1 = 1e-4, c2 = 0.9)
    s_k = x_{k+1} − x_k,  y_k = ∇f_{k+1} − ∇f_k,  ρ_k = 1 / (y_kᵀ s_k)
    H_{k+1} = (I − ρ_k s_k y_kᵀ) H_k (I − ρ_k y_k s_kᵀ) + ρ_k s_k s_kᵀ      (6.17)

expanded as H⁺ = H − ρ (H y sᵀ + s yᵀH) + (ρ² yᵀH y + ρ) s sᵀ (one matrix-vector product).
H_0 = I, rescaled before the first update to (yᵀs / yᵀy) I (eq. 6.20) — option ``h0="scaled"``,
the default; ``h0="identity"`` keeps H_0 = I as scipy does.

Initial trial step of the line search. Before H has a scale (the first iteration, or always with
``h0="identity"``) the shared rule of eq. 3.60 picks it; once eq. 6.20 has scaled H, the
quasi-Newton step is tried with α = 1 first, as N&W §3.5 recommend for quasi-Newton methods
(eq. 3.60 would cut well-scaled steps short on plateaus: Watson, MGH 20, needs 54 evaluations
with α = 1 and 64 with eq. 3.60; over the 35 MGH problems from x0, 10 x0 and 100 x0 this
rule solves 70 runs and eq. 3.60 throughout 68, with 9567 and 10436 evaluations in all; see
benchmarks/bench_bfgs.py).

The line search, its initial trial step, the stopping test and the failure handling are
the shared loop of :mod:`refopt.optim.loop`; this file is the method: its state (H, whether H has
its scale yet, the skipped updates) and its steps.

Stopping: ‖∇f‖ ≤ gtol in the norm ``norm`` (scipy's defaults: gtol = 1e-5, ∞-norm,
maxiter = 200 n). A failed line search, a step that does not move x, or a non-finite f or ∇f
ends the run with success=False and a message naming the iteration. With
``line_search=None`` the step is fixed (α = ``step``), the ablation of the OGR study; a fixed
step that increases f is accepted as is (that is the ablation's point), but a non-finite value
ends the run.
"""
from __future__ import annotations

import math
import sys
from typing import NamedTuple

import numpy as np
from numba import njit

from .loop import Loop
from .options import COMMON, choice

__all__ = ["OPTIONS", "State", "Params", "CURVATURE_EPS", "inverse_direction", "inverse_update"]

CURVATURE_EPS = 1e-10
"""An update is skipped when yᵀs <= CURVATURE_EPS ‖s‖ ‖y‖ (not safely positive)."""

OPTIONS = {**COMMON, "update": ("skip", choice("skip", "damped")), "h0": ("scaled", choice("scaled", "identity"))}
NEEDS_HESSIAN = False


class State(NamedTuple):
    H: np.ndarray   # the inverse-Hessian approximation H_k
    scaled: bool    # H carries a scale (after eq. 6.20, or from the start with h0="identity")
    nskip: int      # updates skipped (yᵀs not safely positive)


class Params(NamedTuple):
    damped: bool       # Powell's damping instead of skipping (update="damped")
    scale_h0: bool     # eq. 6.20 before the first update (h0="scaled")
    curvature_eps: float


def params(opt: dict, n: int, line_search) -> Params:
    return Params(opt["update"] == "damped", opt["h0"] == "scaled", CURVATURE_EPS)


def init(params, x, f, g):
    """H_0 = I; it has no scale yet when eq. 6.20 is to give it one."""
    return State(np.eye(x.size), not params.scale_h0, 0)


def direction(state, params, ev, x, f, g):
    """p = −H g (6.18); α = 1 first once eq. 6.20 has scaled H (module docstring)."""
    H = state.H
    p = np.empty(g.size)
    if not inverse_direction(H, g, p) < 0.0:  # H lost positive definiteness to rounding: restart from steepest descent
        H = np.eye(g.size)
        p = -g
    return State(H, state.scaled, state.nskip), p, params.scale_h0 and state.scaled


def update(state, params, s, y, alpha, x_old, g_old):
    """Eq. 6.17, with eq. 6.20 before the first update; Powell's damping (N&W Procedure 18.2)
    with B s = −α g_old where asked; skipped when yᵀs is not safely positive."""
    if params.damped:  # r = θ y + (1 − θ) B s, so that sᵀr ≥ 0.2 sᵀBs
        Bs = -alpha * g_old
        sBs, sy0 = np.dot(s, Bs), np.dot(s, y)
        theta = 1.0 if sy0 >= 0.2 * sBs else 0.8 * sBs / (sBs - sy0)
        y = theta * y + (1.0 - theta) * Bs
    H = state.H
    if not inverse_update(H, s, y, np.empty(s.size), state.scaled, params.curvature_eps):
        return State(H, state.scaled, state.nskip + 1)
    return State(H, True, state.nskip)


@njit(cache=True, error_model="numpy")
def inverse_direction(H, g, p):
    """p ← −H g (eq. 6.18) by row dot products; returns gᵀp. Compiled, and called so by both runs
    (NumPy's and Numba's BLAS part in the last bits); without allocation, so that the multi-start
    kernels of :mod:`refopt.gpu` run this very source on the GPU."""
    for i in range(g.size):
        p[i] = -np.dot(H[i], g)
    return np.dot(g, p)


@njit(cache=True, error_model="numpy")
def inverse_update(H, s, y, Hy, scaled, curvature_eps):
    """H ← H⁺ in place by eq. 6.17, expanded as H − ρ(H y sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ, after
    H ← (yᵀs / yᵀy) I (eq. 6.20) when H has no scale yet (``scaled`` False); Hy is workspace. False,
    with H untouched, when yᵀs <= curvature_eps ‖s‖‖y‖ (the update is skipped). Entry by entry and
    without allocation, so that the multi-start kernels of :mod:`refopt.gpu` run this very source
    on the GPU."""
    n = s.size
    sy = np.dot(y, s)
    if not sy > curvature_eps * math.sqrt(np.dot(s, s)) * math.sqrt(np.dot(y, y)):
        return False
    if not scaled:
        c = sy / np.dot(y, y)  # eq. (6.20)
        for i in range(n):
            for j in range(n):
                H[i, j] = 0.0
            H[i, i] = c
    rho = 1.0 / sy
    for i in range(n):
        Hy[i] = np.dot(H[i], y)
    coef = rho * rho * np.dot(y, Hy) + rho
    for i in range(n):
        for j in range(n):
            H[i, j] = H[i, j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + coef * (s[i] * s[j])
    return True


def estimate(state, params, x):
    """The Hessian estimate H_k⁻¹ (for the trace; none where H overflowed)."""
    if not np.all(np.isfinite(state.H)):
        return False, state.H
    return True, np.linalg.inv(state.H)


def extras(state) -> dict:
    return {"hess_inv": state.H, "nskip": int(state.nskip)}


LOOP = Loop(sys.modules[__name__])
