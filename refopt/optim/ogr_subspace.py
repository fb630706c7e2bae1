"""Subspace OGR: the gradient regression inside an online d-dimensional basis, Newton there and
a gradient step outside (Duda 2019, arXiv:1901.11457, "multiple statistically relevant directions").

The regression, the step and the decisions shared with full OGR are those of :mod:`refopt.optim.ogr`;
what is particular to the subspace:

Subspace (``ogr-subspace``, options ``d`` (default None: min(5, n)), ``eta`` (default 1),
``lr_out`` (default None)). V (d × n, orthonormal rows) starts as ĝ₀ = g₀/‖g₀‖ completed by
the cosine (DCT-II) vectors c_k[i] = cos(π k (i + ½)/n), k = 0, 1, ..., orthonormalized
(deterministic, so that other implementations can reproduce it, and not aligned with the
coordinate axes, which a random start would also avoid but not reproducibly). At
every new sample, with y = g_k − g_{k−1} the newest gradient change and ŷ = y/‖y‖,

    V ← orth(V + η (V ŷ) ŷᵀ)          (orth: QR of the transpose with diag(R) > 0, so V is unique)

a step of Oja's subspace rule (power iteration with I + η ŷŷᵀ): the direction of span(V) nearest to
ŷ turns toward ŷ, the directions of span(V) orthogonal to ŷ stay exactly as they were. Why the
gradient *change* and not the gradient itself: on a quadratic y = A s, so ŷ is the step s amplified
by the curvature, and the basis converges to the top eigenspace of A — the directions where a
gradient step is unstable and Newton is needed. Pulled toward ĝ (the recent gradients), V also
drifts toward high curvature, but slowly: on the 50-D quadratic of the tests (eigenvalues 1000,
300, 100 and 47 in [1, 2], d = 5; four random instances, three line-search settings, ‖g‖∞ ≤ 1e-5)
the ĝ rule took 97–389 iterations, the ŷ rule 48–66 (full OGR ~52, BFGS ~87). Replacing the oldest
direction by the newest gradient (a cyclic memory) was rejected: it forgets a high-curvature
direction as soon as the Newton step has solved it, the outside step then lets it grow back, and
the basis cycles. When V rotates to V⁺ the d × d statistics follow, C ← R C Rᵀ with R = V⁺Vᵀ (exact
for the part of the samples inside span(V)); θ̄ and ḡ stay in the full space. The step is

    Δ = Vᵀ Δ_d − η⊥ (I − VᵀV) v,    Δ_d the saddle-free Newton step of H_d on V v,

with η⊥ = ``lr_out`` when given, else 1/max(|h⊥|, δ), where h⊥ is the same EMA regression with an
isotropic model h⊥·I on the complement, h⊥ = E[(I − VᵀV)(g − ḡ) · (I − VᵀV)(θ − θ̄)] /
E[‖(I − VᵀV)(θ − θ̄)‖²] (a Barzilai–Borwein-like scalar). While V misses a high-curvature
direction, h⊥ is large and the outside step cautious; once V holds the top curvatures, h⊥ is the
mean curvature left outside. With d = n the complement is empty and the method is ``ogr`` in a
rotated basis. Ĥ = Vᵀ H_d V is the estimate reported.

The default β is min(0.5, 10/(d + 1)): the window holds the d + 1 samples a d × d regression needs.
"""
from __future__ import annotations

import math
import sys
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .loop import Loop
from .options import choice, dimension, real
from . import regression
from .regression import (common_params, default_beta, ema_means, floored, initial_basis, lyapunov_coefficients,
                         ogr_direction, rotate, sandwich, step_in_basis)

__all__ = ["OPTIONS", "State", "Params"]

def _init(v, name, n):
    if v == "prior":
        raise ValueError(f"{name} = 'prior' is offered by ogr and ogr-diag; ogr-subspace starts from the first "
                         f"sample (its basis begins with the first gradient): use 'first-sample'")
    return choice("first-sample")(v, name, n)


OPTIONS = {**regression.OPTIONS, "d": (None, dimension), "eta": (1.0, real(low=0.0, low_open=True)),
           "lr_out": (None, real(low=0.0, low_open=True, allow_none=True)), "init": ("first-sample", _init)}
NEEDS_HESSIAN = False


class State(NamedTuple):
    count: int              # samples folded in
    has: bool               # an estimate exists in span(V)
    theta_bar: np.ndarray   # θ̄ (in the full space)
    g_bar: np.ndarray       # ḡ (in the full space)
    g_last: np.ndarray      # the newest sample's gradient (the next one's change ŷ is taken from it)
    V: np.ndarray           # the basis, d × n, orthonormal rows
    C_uu: np.ndarray        # E[u uᵀ], u = V(θ − θ̄)
    C_wu: np.ndarray        # E[w uᵀ], w = V(g − ḡ)
    O_d: np.ndarray         # eigenvectors of C_uu
    M_d: np.ndarray         # the estimate in that basis: H_d = O_d M_d O_dᵀ
    c_tt_out: float         # E[‖(I − VᵀV)(θ − θ̄)‖²]
    c_gt_out: float         # E[(I − VᵀV)(g − ḡ) · (I − VᵀV)(θ − θ̄)]
    h_out: float            # h⊥ = c_gt_out / c_tt_out (NaN until defined)
    m: np.ndarray           # the momentum average (g itself without momentum)


class Params(NamedTuple):
    beta: float
    eps: float
    eps_l: float
    max_step: float
    gamma: float      # NaN: no momentum
    fallback: bool
    prior: bool       # always False: init="prior" is full and diagonal OGR's
    absolute: bool    # eps_scale="absolute"
    d: int            # the dimension of the basis
    eta: float        # the rotation's rate η
    lr_out: float     # η⊥ when given (NaN: 1/max(|h⊥|, δ))


def params(opt: dict, n: int, line_search) -> Params:
    d = min(5, n) if opt["d"] is None else int(opt["d"])
    lr_out = math.nan if opt["lr_out"] is None else float(opt["lr_out"])
    return Params(*common_params(opt, line_search, default_beta(d)), d, float(opt["eta"]), lr_out)


@njit(cache=True, error_model="numpy")
def fold(state, params, theta, g):
    """Fold the sample (θ, g) in: the first sets the means and the basis; later ones turn V toward the
    gradient change, then update the d × d statistics and h⊥; the estimate is refreshed."""
    d, n = state.V.shape
    c_tt_out, c_gt_out, h_out = state.c_tt_out, state.c_gt_out, state.h_out
    if state.count == 0:
        state.theta_bar[:] = theta
        state.g_bar[:] = g
        state.V[:, :] = initial_basis(g, d)
    else:
        beta = params.beta
        rotate(state.V, state.C_uu, state.C_wu, g - state.g_last, params.eta)
        dt, dg = ema_means(theta, g, beta, state.theta_bar, state.g_bar)
        u, w = state.V @ dt, state.V @ dg  # V(θ − θ̄), V(g − ḡ)
        state.C_uu[:, :] += beta * (np.outer(u, u) - state.C_uu)
        state.C_wu[:, :] += beta * (np.outer(w, u) - state.C_wu)
        if d < n:
            dt_out, dg_out = dt - state.V.T @ u, dg - state.V.T @ w
            c_tt_out += beta * (np.dot(dt_out, dt_out) - c_tt_out)
            c_gt_out += beta * (np.dot(dg_out, dt_out) - c_gt_out)
            if c_tt_out > 0.0:
                h_out = c_gt_out / c_tt_out
    state.g_last[:] = g
    if not (np.all(np.isfinite(state.C_uu)) and np.all(np.isfinite(state.C_wu)) and np.all(np.isfinite(state.V))):
        state.M_d[:, :] = np.nan  # the statistics overflowed: the next direction is NaN (status 3)
        return State(state.count + 1, True, state.theta_bar, state.g_bar, state.g_last, state.V, state.C_uu,
                     state.C_wu, state.O_d, state.M_d, c_tt_out, c_gt_out, h_out, state.m)
    lam, O = np.linalg.eigh(state.C_uu)
    state.O_d[:, :] = O
    has = lyapunov_coefficients(lam, state.O_d, state.C_wu + state.C_wu.T, params.eps, state.M_d, params.absolute)
    return State(state.count + 1, has, state.theta_bar, state.g_bar, state.g_last, state.V, state.C_uu, state.C_wu,
                 state.O_d, state.M_d, c_tt_out, c_gt_out, h_out, state.m)


@register_jitable
def delta(state, params, v):
    """Δ = Vᵀ Δ_d − η⊥ (I − VᵀV) v, Δ_d the saddle-free step of H_d on V v (:func:`split_step`)."""
    return split_step(state, params, v)


@njit(cache=True, error_model="numpy")
def split_step(state, params, v):
    """Δ(v) = Vᵀ Δ_d − η⊥ (I − VᵀV) v."""
    V = state.V
    d, n = V.shape
    a = V @ v
    delta_d, curv_max = step_in_basis(state.O_d, state.M_d, a, params.eps_l)
    if not np.all(np.isfinite(delta_d)):  # overflowed statistics: no step
        return np.full(n, np.nan)
    p = V.T @ delta_d
    if d < n:
        if not math.isnan(params.lr_out):
            rate = params.lr_out
        else:
            if math.isnan(curv_max):  # the Cholesky branch: the floor needs max(|l|, δ) of H_d
                curv_max = np.max(floored(np.linalg.eigvalsh(state.M_d), params.eps_l))
            h = abs(state.h_out) if not math.isnan(state.h_out) else 0.0
            rate = 1.0 / max(h, params.eps_l * max(1.0, curv_max))
        p -= rate * (v - V.T @ a)  # −η⊥ (I − VᵀV) v
    return p


def init(params, x, f, g):
    n, d = x.size, params.d
    empty = State(0, False, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros((d, n)), np.zeros((d, d)),
                  np.zeros((d, d)), np.zeros((d, d)), np.zeros((d, d)), 0.0, 0.0, math.nan, np.zeros(n))
    return fold(empty, params, x, g)


def direction(state, params, ev, x, f, g):
    p, scaled = ogr_direction(delta, state, params, g)
    return state, p, scaled


def update(state, params, s, y, alpha, x_old, g_old):
    return fold(state, params, x_old + s, g_old + y)


def hess_subspace(state) -> np.ndarray:
    """H_d = O_d M_d O_dᵀ."""
    return sandwich(state.O_d, state.M_d)


def estimate(state, params, x):
    """Ĥ = Vᵀ H_d V."""
    return state.has, sandwich(np.ascontiguousarray(state.V.T), sandwich(state.O_d, state.M_d))


def extras(state) -> dict:
    has = state.has
    return {"hess": estimate(state, None, None)[1] if has else None, "basis": state.V.copy(),
            "hess_subspace": hess_subspace(state) if has else None}


LOOP = Loop(sys.modules[__name__])
