r"""Newton's method on a summary of the Hessian: partition-summary Newton (Wolinski 2023).

P. Wolinski, "Adapting Newton's method to neural networks through a summary of higher-order
derivatives" (2023). The parameters are split into S groups (``options["groups"]``; for a network,
one per weight tensor) and moved along a direction u (the gradient, or a momentum of it) with one
learning rate η_s per group:

    θ_p ← θ_p − λ η_s u_p        (p in group s, λ = ``damping``)

The rates are Newton's step for the function of S variables η ↦ L(θ − Σ_s η_s u_s), whose
gradient and Hessian at η = 0 are the **summary** of the full ones,

    ḡ_s = Σ_{p∈s} u_p g_p,       H̄_st = u_sᵀ H_st u_t     (S × S),       η = H̄⁻¹ ḡ,

u_s being u on group s and zero elsewhere. H̄ takes S Hessian–vector products H u_s (the
objective's ``hvp`` where it has one, else one formed Hessian), never the P × P matrix. Two
limits fix the idea: one group is steepest descent with the exact quadratic step along −g
(Cauchy: η = gᵀg / gᵀHg for u = g); one group per coordinate is Newton's step −H⁻¹g exactly
(with u = g the rates are η_p = (H⁻¹g)_p / g_p). Groups whose u_s is zero take no part (η_s = 0).
The step is invariant to rescaling a group's parameters (θ_s → c θ_s): the product η_s u_s is.

**Options** (besides the common ones; the defaults are the plain method, the public code's are
given in brackets):

* ``groups``: a list of index lists partitioning 0 … n−1 (None: the objective's own groups, e.g.
  one per tensor of a network objective, else one group per coordinate);
* ``damping`` λ > 0 (1) [0.1]; ``ridge`` ρ ≥ 0: H̄ + ρI instead of H̄ (0);
* ``momentum`` μ: u_k = μ u_{k−1} + g_k instead of g_k (None) [0.9];
* ``lambda_int``: the anisotropic cubic regularisation (None = off) [10]: with
  D = diag(|D_sss|^{1/3}), D_sss = ∂³L/∂η_s³ the third derivative along the group's block of u,
  η is the largest-norm solution of η = (H̄ + ½ λ_int ‖Dη‖ D²)⁻¹ ḡ — the cubic model's global
  minimizer — found by a scalar root find on r = ‖Dη‖ (:func:`cubic_rates`, the hard case
  included). Needs the objective's third directional derivatives;
* ``clip``: negative rates set to 0 (False; the public code clips in the cubic version); for
  u = g the step is then a descent direction, and where every rate is clipped the run ends with
  status 5 (there is no step);
* ``ema`` β: the rates smoothed, η̃_k = β η̃_{k−1} + (1 − β) η_k (None) [0.5];
* ``refresh`` k ≥ 1: H̄ and the rates recomputed every k steps, the rates kept in between with the
  current u (1) [10].

The step length comes from the shared loop from α = 1 (``line_search=None`` takes the step as
it is). A singular H̄ (judged after Jacobi scaling, so that rescaling a group does not change the
verdict), an unbounded cubic model and an all-clipped step each end the run with status 5 and a
message saying which, never with a NaN step.
Counts: ``nhev`` counts Hessian–vector products (S per summary) or formed Hessians, ``n3ev`` the
third directional derivatives.
"""
from __future__ import annotations

import math
import sys
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .. import arguments as a
from .loop import Loop, curvature_summary, third_derivatives
from .options import COMMON, UNIT_OPEN, flag, real

__all__ = ["OPTIONS", "State", "Params", "summary_rates", "cubic_rates", "group_labels"]

NEEDS_HESSIAN = True
HVP_SUFFICES = True  # Hessian–vector products are enough (hessp or an objective's hvp)
USES_THIRD = True


def group_labels(groups, n: int, name: str = "options['groups']") -> np.ndarray:
    """The group of each index (int64, shape (n,)) from a list of index lists that partitions
    0 … n−1; ValueError naming an empty, overlapping, missing or out-of-range index."""
    if not isinstance(groups, (list, tuple)) or len(groups) == 0:
        raise TypeError(f"{name} must be a non-empty list of index lists; got {a.describe(groups)}")
    labels = np.full(n, -1, dtype=np.int64)
    for s, grp in enumerate(groups):
        idx = np.asarray(grp)
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            raise TypeError(f"{name}[{s}] must be a 1-D list of integer indices; got {a.describe(grp)}")
        if idx.size == 0:
            raise ValueError(f"{name}[{s}] is empty: every group needs at least one index")
        bad = idx[(idx < 0) | (idx >= n)]
        if bad.size:
            raise ValueError(f"{name}[{s}] names index {int(bad[0])}, outside 0 … {n - 1}")
        taken = idx[labels[idx] >= 0]
        if taken.size:
            i = int(taken[0])
            raise ValueError(f"{name}: index {i} is in group {int(labels[i])} and again in group {s} "
                             f"(groups must not overlap)")
        values, counts = np.unique(idx, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(f"{name}[{s}] names index {int(values[counts > 1][0])} twice")
        labels[idx] = s
    missing = np.flatnonzero(labels < 0)
    if missing.size:
        raise ValueError(f"{name} leaves {missing.size} indices out (the first: {int(missing[0])}); "
                         f"the groups must cover 0 … {n - 1}")
    return labels


def _groups(v, name, n):
    return None if v is None else group_labels(v, n, name)


def _optional(rule):
    return lambda v, name, n: None if v is None else rule(v, name, n)


def _refresh(v, name, n):
    return a.integer(v, name, low=1)


OPTIONS = {**COMMON,
           "groups": (None, _groups),
           "damping": (1.0, real(low=0.0, low_open=True)),
           "ridge": (0.0, real(low=0.0)),
           "momentum": (None, _optional(UNIT_OPEN)),
           "lambda_int": (None, _optional(real(low=0.0, low_open=True))),
           "clip": (False, flag),
           "ema": (None, _optional(UNIT_OPEN)),
           "refresh": (1, _refresh)}

FAILURES = {1: "the summary Hessian H̄ is singular; use a (larger) options['ridge'] or other groups",
            2: "the cubic model is unbounded below: H̄ is not positive definite on the groups whose third "
               "derivative D_sss is 0; use a (larger) options['ridge']",
            3: "every rate of the summary is negative and clipped to 0 (options['clip']): the summary "
               "gives no descent step here"}


def complete(opt: dict, obj) -> dict:
    """The options that depend on the objective: the default groups (the objective's, else one per
    coordinate), whether the Hessian is formed, and the third derivatives the cubic term needs."""
    out = dict(opt)
    if out["groups"] is None:
        src = getattr(obj, "groups", None)
        out["groups"] = np.arange(obj.n, dtype=np.int64) if src is None else group_labels(src, obj.n, "the objective's groups")
    if out["lambda_int"] is not None and not obj.has_third:
        raise ValueError("options['lambda_int'] (the cubic regularisation) needs third directional derivatives: "
                         "pass an objective with third(x, v), e.g. refopt.nn.NetworkObjective")
    out["dense"] = not obj.has_hvp  # form ∇²f once per summary instead of S products
    return out


class State(NamedTuple):
    u: np.ndarray       # the direction u (the gradient, or its momentum)
    rates: np.ndarray   # η per group, as used (after clip and EMA)
    Hbar: np.ndarray    # H̄ (S × S), the last summary
    gbar: np.ndarray    # ḡ (S,)
    D: np.ndarray       # |D_sss|^{1/3} (S,), the cubic scales (zeros without the cubic term)
    V: np.ndarray       # rows u_s (S × n), work space
    H: np.ndarray       # ∇²f (n × n) where it is formed, else 1 × 1
    k: int              # steps taken
    failure: int        # 0, or the key of FAILURES that stopped the step


class Params(NamedTuple):
    group: np.ndarray   # the group of each index (n,)
    S: int
    damping: float
    ridge: float
    cubic: bool
    lam: float          # λ_int
    momentum: float     # 0: u = g
    clip: bool
    ema: float          # 0: no smoothing
    refresh: int
    dense: bool         # ∇²f is formed (the objective has no Hessian–vector products)


def params(opt: dict, n: int, line_search) -> Params:
    labels = np.ascontiguousarray(opt["groups"], dtype=np.int64)
    return Params(labels, int(labels.max()) + 1, float(opt["damping"]), float(opt["ridge"]),
                  opt["lambda_int"] is not None, float(opt["lambda_int"] or 0.0), float(opt["momentum"] or 0.0),
                  bool(opt["clip"]), float(opt["ema"] or 0.0), int(opt["refresh"]), bool(opt.get("dense", True)))


def init(params, x, f, g):
    n, S = x.size, params.S
    return State(np.zeros(n), np.zeros(S), np.zeros((S, S)), np.zeros(S), np.zeros(S), np.zeros((S, n)),
                 np.zeros((n, n)) if params.dense else np.zeros((1, 1)), 0, 0)


@njit(cache=True, error_model="numpy")
def contract(V: np.ndarray, g: np.ndarray) -> np.ndarray:
    """V g, compiled and called so by both runs (their BLAS builds may part in the last bits)."""
    return V @ g


EPS = 2.220446049250313e-16


@register_jitable
def _jacobi(A):
    """d = |diag A|^{-1/2} (1 where a diagonal entry is 0): the scaling that makes a test on
    d A d invariant to rescaling a group (u_s → c u_s scales row and column s of H̄ by c)."""
    a = np.abs(np.diag(A))
    d = np.ones(a.size)
    for i in range(a.size):
        if a[i] > 0.0:
            d[i] = 1.0 / math.sqrt(a[i])
    return d


@njit(cache=True, error_model="numpy")
def summary_rates(Hbar: np.ndarray, gbar: np.ndarray, ridge: float, active: np.ndarray) -> tuple[np.ndarray, int]:
    """η = (H̄ + ρI)⁻¹ ḡ on the active groups (η_s = 0 elsewhere); code 1 where the matrix is
    singular. Solved through the Jacobi-scaled matrix  = d A d (d = |diag A|^{-1/2}), by its
    eigendecomposition; singular means |λ|_min(Â) ≤ S ε |λ|_max(Â), a test that, like the step,
    does not change when a group is rescaled. Compiled, and called so by both runs."""
    S = gbar.size
    eta = np.zeros(S)
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return eta, 0
    A = Hbar[idx][:, idx] + ridge * np.eye(idx.size)
    b = gbar[idx]
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):
        return np.full(S, np.nan), 0
    d = _jacobi(A)
    lam, Q = np.linalg.eigh(A * np.outer(d, d))
    big = np.max(np.abs(lam))
    if not big > 0.0 or np.min(np.abs(lam)) <= S * EPS * big:
        return np.full(S, np.nan), 1
    eta[idx] = d * (Q @ ((Q.T @ (d * b)) / lam))
    return eta, 0


@register_jitable
def _lowest(A, c, d2, r):
    """λ_min(A + c r diag(d2)) and the matrix."""
    K = A + c * r * np.diag(d2)
    return np.linalg.eigvalsh(K)[0], K


@register_jitable
def _positive(A, c, d2, r):
    """Whether K(r) = A + c r diag(d2) is safely positive definite (λ_min > S ε ‖K‖)."""
    low, K = _lowest(A, c, d2, r)
    return low > A.shape[0] * EPS * np.max(np.abs(K))


@register_jitable
def _radius_gap(A, c, d2, b, r):
    """ψ(r) = ‖D K(r)⁻¹ ḡ‖ − r and η(r) = K(r)⁻¹ ḡ, for K(r) ≻ 0."""
    lam, Q = np.linalg.eigh(A + c * r * np.diag(d2))
    eta = Q @ ((Q.T @ b) / lam)
    return math.sqrt(np.dot(d2 * eta, eta)) - r, eta


@njit(cache=True, error_model="numpy")
def cubic_rates(Hbar: np.ndarray, gbar: np.ndarray, D: np.ndarray, lam_int: float, ridge: float,
                active: np.ndarray) -> tuple[np.ndarray, int]:
    """The global minimizer of the cubic model m(η) = −ḡᵀη + ½ηᵀAη + (λ_int/6)‖Dη‖³, A = H̄ + ρI,
    on the active groups: the largest-norm solution of η = (A + ½λ_int‖Dη‖D²)⁻¹ḡ.

    With K(r) = A + c r D² (c = λ_int/2) and ψ(r) = ‖D K(r)⁻¹ḡ‖ − r: the minimizer has
    r = ‖Dη‖ ≥ r_lo = inf{r : K(r) ⪰ 0} (Nesterov & Polyak 2006, Thm. 10, in the D-norm). K is
    never inverted through D⁻¹ (a group on which L is quadratic has D_s = 0): r_lo is found by
    bisection on λ_min(K(r)), which rises with r; on (r_lo, ∞) ψ falls, and its root is found by
    bisection (to a relative width of 4ε). Where ψ ≤ 0 already at r_lo (ḡ has no component along
    K(r_lo)'s null vector z: the "hard case", ḡ = 0 with an indefinite A among it), η = η_lo + τz
    with η_lo = K(r_lo)⁺ḡ and τ ≥ 0 such that ‖Dη‖ = r_lo. Code 2 where no r makes K positive
    definite: A is not positive definite on the groups with D_s = 0, and the model is unbounded
    below; groups with D_s ≤ 1e-6 max D count as D_s = 0 for that test (their D_s is rounding, and
    the r that would make K positive definite through them is astronomical). With D = 0 it is
    :func:`summary_rates`. Compiled, and called so by both runs.
    """
    S = gbar.size
    idx = np.flatnonzero(active)
    if idx.size == 0 or not np.max(D[idx]) > 0.0:
        return summary_rates(Hbar, gbar, ridge, active)
    A = Hbar[idx][:, idx] + ridge * np.eye(idx.size)
    b = gbar[idx]
    d2 = D[idx] ** 2
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b)) and np.all(np.isfinite(d2))):
        return np.full(S, np.nan), 0
    zero = np.flatnonzero(d2 <= 1e-12 * np.max(d2))  # D_s ≤ 1e-6 max D: no third-order change there
    if zero.size and np.linalg.eigvalsh(A[zero][:, zero])[0] <= 0.0:
        return np.full(S, np.nan), 2
    c = 0.5 * lam_int
    # r_lo: the smallest r (to 4ε relative) with K(r) safely positive definite
    if _positive(A, c, d2, 0.0):
        r_lo = 0.0
    else:
        lo, hi = 0.0, 1.0
        while not _positive(A, c, d2, hi):
            lo, hi = hi, 16.0 * hi
            if not c * hi * np.max(d2) < 1e300:  # no representable r makes K positive definite
                return np.full(S, np.nan), 2
        for _ in range(2000):
            mid = 0.5 * (lo + hi)
            if _positive(A, c, d2, mid):
                hi = mid
            else:
                lo = mid
            if hi - lo <= 4.0 * EPS * hi:
                break
        r_lo = hi
    gap, eta = _radius_gap(A, c, d2, b, r_lo)
    if gap <= 0.0:  # the hard case: r = r_lo, η_lo + τ z on the null vector z of K(r_lo)
        lam, Q = np.linalg.eigh(A + c * r_lo * np.diag(d2))
        z = Q[:, 0]
        coef = Q.T @ b
        coef[0] = 0.0
        w = np.ones(lam.size)
        w[0] = 0.0
        eta = Q @ (w * coef / np.where(w > 0.0, lam, 1.0))
        # ‖D(η_lo + τ z)‖² = r_lo²: a quadratic in τ, the nonnegative root
        qa, qb, qc = np.dot(d2 * z, z), 2.0 * np.dot(d2 * z, eta), np.dot(d2 * eta, eta) - r_lo * r_lo
        tau = 0.0
        if qa > 0.0:
            tau = (-qb + math.sqrt(max(qb * qb - 4.0 * qa * qc, 0.0))) / (2.0 * qa)
        eta = eta + tau * z
    else:
        lo, hi = r_lo, max(2.0 * r_lo, 1.0)
        while _radius_gap(A, c, d2, b, hi)[0] > 0.0:
            lo, hi = hi, 2.0 * hi
            if not c * hi * np.max(d2) < 1e300:
                return np.full(S, np.nan), 0  # overflow: a NaN step (status 3)
        for _ in range(2000):
            mid = 0.5 * (lo + hi)
            if _radius_gap(A, c, d2, b, mid)[0] > 0.0:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 4.0 * EPS * hi:
                break
        eta = _radius_gap(A, c, d2, b, 0.5 * (lo + hi))[1]
    out = np.zeros(S)
    out[idx] = eta
    return out, 0


def direction(state, params, ev, x, f, g):
    """p = −λ η_s u_p, the rates η from the summary (H̄, ḡ) at every ``refresh``-th step."""
    n = x.size
    u = state.u
    if params.momentum > 0.0 and state.k > 0:
        u[:] = params.momentum * u + g
    else:
        u[:] = g
    rates, Hbar, gbar, D = state.rates, state.Hbar, state.gbar, state.D
    if state.k % params.refresh == 0:
        V = state.V  # rows u_s: u on group s, 0 elsewhere
        active = np.zeros(params.S, dtype=np.bool_)
        for s in range(params.S):
            V[s] = np.where(params.group == s, u, 0.0)
            active[s] = np.any(V[s] != 0.0)
        Hbar = np.empty((params.S, params.S))
        curvature_summary(ev, x, V, Hbar, state.H)  # H̄_st = u_sᵀ H u_t
        Hbar = 0.5 * (Hbar + Hbar.T)
        gbar = contract(V, g)                       # ḡ_s = u_sᵀ g
        if params.cubic:
            d3 = np.empty(params.S)
            third_derivatives(ev, x, V, d3)
            D = np.abs(d3) ** (1.0 / 3.0)
            eta, failure = cubic_rates(Hbar, gbar, D, params.lam, params.ridge, active)
        else:
            eta, failure = summary_rates(Hbar, gbar, params.ridge, active)
        if failure != 0:
            return (State(u, rates, Hbar, gbar, D, V, state.H, state.k, failure),
                    np.full(n, np.nan), True)
        if params.clip:
            eta = np.maximum(eta, 0.0)
        if params.ema > 0.0 and state.k > 0:
            eta = params.ema * rates + (1.0 - params.ema) * eta
        if params.clip and not np.any(eta > 0.0):  # every rate clipped: no step to take
            return (State(u, rates, Hbar, gbar, D, state.V, state.H, state.k, 3),
                    np.full(n, np.nan), True)
        rates = eta
    p = -params.damping * rates[params.group] * u
    return State(u, rates, Hbar, gbar, D, state.V, state.H, state.k, 0), p, True


def update(state, params, s, y, alpha, x_old, g_old):
    return State(state.u, state.rates, state.Hbar, state.gbar, state.D, state.V, state.H,
                 state.k + 1, 0)


def estimate(state, params, x):
    """No estimate of the full Hessian (only its S × S summary, in the result)."""
    return False, np.zeros((1, 1))


def extras(state) -> dict:
    return {"rates": state.rates.copy(), "summary_hess": state.Hbar.copy(), "summary_grad": state.gbar.copy(),
            "third_scale": state.D.copy()}


def failure(state) -> str:
    """Why the last step could not be formed ('' when it could)."""
    return FAILURES.get(int(state.failure), "")


LOOP = Loop(sys.modules[__name__])
