"""Diagonal OGR: one gradient regression per coordinate (Duda 2019, arXiv:1907.07063, the
regression along one direction, run here along each coordinate axis).

    θ̄ ← θ̄ + β(θ − θ̄),  ḡ ← ḡ + β(g − ḡ)           (as in full OGR, :mod:`refopt.optim.ogr`)
    c_i ← c_i + β[(θ_i − θ̄_i)² − c_i],  d_i ← d_i + β[(g_i − ḡ_i)(θ_i − θ̄_i) − d_i]
    H_ii = d_i / (c_i + ε·max_j c_j)                (0 where c_i ≤ ε·max_j c_j: unvisited)
    Δ_i = −v_i / max(|H_ii|, δ),  δ = eps_l · max(1, max_i |H_ii|)

c and d are the diagonals of Cθθ and Cgθ. O(n) per iteration; exact on separable functions (a
diagonal Hessian) once each coordinate has moved. β defaults to 0.5: the regression of one
coordinate needs two samples. The momentum, warm-up, fallback and cap are full OGR's, and so are
the decisions its docstring records (first sample, relative ε, floor, cap). ``res.hess`` is
diag(H_ii), the vector in ``res.hess_diag``.
"""
from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .loop import Loop
from .regression import OPTIONS, Params, common_params, diagonal_estimate, ema_means, floored, ogr_direction

__all__ = ["OPTIONS", "State"]

NEEDS_HESSIAN = False


class State(NamedTuple):
    count: int              # samples folded in
    has: bool               # an estimate exists (the samples have spread)
    theta_bar: np.ndarray   # θ̄
    g_bar: np.ndarray       # ḡ
    C_tt: np.ndarray        # the diagonal of Cθθ (c above)
    C_gt: np.ndarray        # the diagonal of Cgθ (d above)
    h: np.ndarray           # the estimate H_ii
    m: np.ndarray           # the momentum average (g itself without momentum)


def params(opt: dict, n: int, line_search) -> Params:
    return common_params(opt, line_search, 0.5)


@njit(cache=True, error_model="numpy")
def fold(state, params, theta, g):
    """Fold the sample (θ, g) in and refresh H_ii; the first sample only sets the means."""
    has = False
    if state.count == 0:
        state.theta_bar[:] = theta
        state.g_bar[:] = g
    else:
        beta = params.beta
        dt, dg = ema_means(theta, g, beta, state.theta_bar, state.g_bar)
        state.C_tt[:] += beta * (dt * dt - state.C_tt)
        state.C_gt[:] += beta * (dg * dt - state.C_gt)
        has = diagonal_estimate(state.C_tt, state.C_gt, params.eps, state.h, params.absolute)
    return State(state.count + 1, has, state.theta_bar, state.g_bar, state.C_tt, state.C_gt, state.h, state.m)


@register_jitable
def delta(state, params, v):
    """Δ_i = −v_i / max(|H_ii|, δ)."""
    return -v / floored(state.h, params.eps_l)


def init(params, x, f, g):
    """Empty statistics, or with ``init="prior"`` the phantom sample θ̄ = ḡ = 0, Cθθ,ii = Cgθ,ii = 1
    (ogr.init explains it), then x₀ folded in."""
    n = x.size
    if params.prior:
        start = State(1, True, np.zeros(n), np.zeros(n), np.ones(n), np.ones(n), np.ones(n), g.copy())
    else:
        start = State(0, False, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))
    return fold(start, params, x, g)


def direction(state, params, ev, x, f, g):
    p, scaled = ogr_direction(delta, state, params, g)
    return state, p, scaled


def update(state, params, s, y, alpha, x_old, g_old):
    return fold(state, params, x_old + s, g_old + y)


def estimate(state, params, x):
    """Ĥ = diag(H_ii)."""
    return state.has, np.diag(state.h)


def extras(state) -> dict:
    return {"hess": np.diag(state.h) if state.has else None, "hess_diag": state.h.copy() if state.has else None}


LOOP = Loop(sys.modules[__name__])
