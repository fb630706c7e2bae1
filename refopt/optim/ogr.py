"""OGR — online gradient regression: a Hessian estimated by regressing gradients on positions.

Sources: J. Duda, "Improving SGD convergence by online linear regression of gradients in multiple
statistically relevant directions", arXiv:1901.11457 (2019) — the EMA regression, its symmetric
solution and the subspace variant; J. Duda, "SGD momentum optimizer with step estimation by online
parabola model", arXiv:1907.07063 (2019) — the regression along one direction, of which diagonal
OGR runs one per coordinate; M. Przybysz, Ł. Kołek, M. Sobota, J. Duda (2025) — OGR as a
second-order optimizer compared with BFGS, with and without line search, Hessian quality judged
against the exact Hessian. The equations used here come from these three papers.

The idea. Near a point, f(θ) ≈ h + ½(θ − p)ᵀH(θ − p), so ∇f(θ) ≈ H(θ − p): the gradient is an
affine function of the position and H is the slope of a linear regression of the gradients g on
the positions θ. OGR fits that regression online from the iterates, with exponential moving
averages (EMA) in which the newest sample has weight β:

    θ̄ ← θ̄ + β(θ − θ̄)                       ḡ ← ḡ + β(g − ḡ)
    Cθθ ← Cθθ + β[(θ − θ̄)(θ − θ̄)ᵀ − Cθθ]    Cgθ ← Cgθ + β[(g − ḡ)(θ − θ̄)ᵀ − Cgθ]

(centred on the means just updated). The least-squares slope Cgθ Cθθ⁻¹ is not symmetric; the
*symmetric* H that minimizes the same squared residual solves the Lyapunov equation

    H Cθθ + Cθθ H = Cgθ + Cgθᵀ,

solved entry by entry in the eigenbasis of Cθθ + εI = O Λ Oᵀ (:func:`~refopt.optim.regression.lyapunov_hessian`):

    H = O [ (Oᵀ(Cgθ + Cgθᵀ)O)_ij / (λ_i + λ_j) ] Oᵀ.

On a quadratic, g − ḡ = A(θ − θ̄) for every sample (the EMA of an affine map is the map of the
EMA), so Cgθ = A Cθθ and H = A as soon as the samples span the space (n + 1 affinely independent
iterates), up to the ε regularisation.

The step is a *saddle-free* Newton step (Dauphin et al. 2014) with the estimate H = Q L Qᵀ:

    Δ = −Q diag(1 / max(|l_i|, δ)) Qᵀ v,     δ = eps_l · max(1, max_i |l_i|)
(:func:`~refopt.optim.regression.saddle_free_step`)

with v the current gradient g, or a momentum average m ← m + γ(g − m) when ``momentum`` = γ is
set. |l_i| turns negative curvature into a step that descends along it (OGR walks away from a
saddle that Newton's method is attracted to); the floor δ bounds the step where the estimate
sees no curvature. Δ is capped, ‖Δ‖₂ ≤ ``max_step``, then scaled by a fixed learning rate
(``line_search=None``: x ← x + lr·Δ) or by a line search along Δ (strong Wolfe or Armijo, first
trial α = 1). With v = g, Δ is a descent direction: −gᵀΔ = gᵀB⁻¹g > 0 for the positive definite
B = Q diag(max(|l|, δ)) Qᵀ.

Three variants, one regression:

* ``ogr``           the full n × n H, O(n³) per iteration: the eigenbasis of Cθθ is followed by
                    rank-one updates (refopt.optim.eigen_update; recomputed every n of them), the
                    estimate kept in that basis, the step by Cholesky when H is safely positive
                    definite and by an eigendecomposition of H otherwise (regression.py explains it:
                    three n × n products per iteration, plus the eigendecomposition of H when it is
                    indefinite — always while fewer than n + 1 samples leave unvisited directions).
* ``ogr-diag``      one regression per coordinate, H_ii = Cgθ,ii / (Cθθ,ii + ε) (O(n); exact on
                    separable functions), with the same floor: Δ_i = −v_i / max(|H_ii|, δ).
* ``ogr-subspace``  the regression on the projections V(θ − θ̄), V(g − ḡ) onto an online
                    orthonormal basis V (d × n), a saddle-free Newton step inside span(V) and a
                    gradient (or momentum) step outside it (its file explains the basis).

Decisions on what the sources leave open (each one is exercised in tests/test_ogr.py):

* **First sample** (``init="first-sample"``, the default). θ̄ = θ₀, ḡ = g₀, Cθθ = Cgθ = 0 (the
  averages start at the first sample, not at 0, so they carry no bias toward the origin).
  ``init="prior"`` is the start of the authors' public benchmark code (Przybysz et al.'s
  repository): θ̄ = ḡ = 0 and Cθθ = Cgθ = I before the first sample — a phantom sample saying "the
  gradient is 0 at the origin, with Hessian I", whose weight decays as (1 − β)^k. It gives an
  estimate (≈ I) from the first step, and it pulls the early estimates, and so the early steps,
  toward the origin: on functions whose minimizer is the origin (Sphere, Rastrigin, Ackley,
  Griewank, Zakharov) that is information about the answer, and translating the function moves
  the answer but not the prior. ``ogr-diag`` takes the same prior on the diagonal;
  ``ogr-subspace`` refuses it (its basis begins with the first gradient). Samples are the *accepted* iterates only; the
  trial points of a line search are not, so the statistics do not depend on how a step length
  was found.
* **β (``beta``)**: default None, meaning min(0.5, 10/(n + 1)) for ``ogr``, 0.5 for
  ``ogr-diag`` and min(0.5, 10/(d + 1)) for ``ogr-subspace``. The sources use 0.2–0.5, written
  for noisy (stochastic) gradients. With exact gradients there is no noise to average and the
  shortest memory of that range wins: the means θ̄, ḡ lag behind the iterates, and the lag puts a
  bias into Cgθ on curved functions (measured: Rosenbrock from (−1.2, 1) takes 164 iterations at
  β = 0.3 with a Wolfe search, 70 at β = 0.5). But the window must hold the n + 1 samples that
  determine H: the sample n + 1 iterations back has relative weight (1 − β)^(n+1), which with
  this β is at least 0.5²⁰ ≈ 1e−6 for every n (it rises toward e^(−10) ≈ 4.5e−5 as n grows), far
  above the ε floor. With β = 0.5 and n = 50 it would be 0.5⁵¹ ≈ 4e−16: a 50-D quadratic then
  takes 136–302 iterations instead of 53–57. The regression of one coordinate needs 2 samples,
  so ``ogr-diag`` keeps 0.5.
* **ε (``eps``, default 1e-12) is relative**: Cθθ + ε·λ_max(Cθθ)·I. An absolute ε would swamp
  Cθθ as the iterates converge and their spread shrinks (and would depend on the units of θ).
  The relative one scales H_ij by (λ_i + λ_j)/(λ_i + λ_j + 2ελ_max): a relative error of about
  ε·cond(Cθθ) in sampled directions, and Cθθ gets ill-conditioned fast (steps of very different
  lengths, weights (1 − β)^k): with ε = 1e-10 a 6-D quadratic kept a 1e-4 Hessian error, with
  1e-12 about 1e-8. ε must stay well above the rounding of the eigenvalues of Cθθ (~n·1e-16·λ_max),
  which it exists to absorb. In ``ogr-diag`` the same ε·max_j Cθθ,jj is added to every Cθθ,ii (so
  a coordinate whose spread is 1e-8 of the largest one carries a 1e-4 relative bias). Directions
  no sample has moved along (λ_i = 0) get H_ij = 0 between two of them and the least-squares
  cross term otherwise (directions with λ_i ≤ ε·λ_max count as unvisited: their block, rounding
  noise, is zeroed, so the step there is set by the floor and the cap, not by noise).
  ``eps_scale="absolute"`` takes Cθθ + εI as it stands, with no direction counted as unvisited
  (the authors' code, with ε = 1e-12).
* **Floor δ (``eps_l``, default 1e-6)**, relative as in refopt's Newton, δ = eps_l·max(1, max|l|).
  It only matters where the estimate sees (almost) no curvature; the cap then bounds the step.
  ``eps_l=0``: no floor (the authors'); a curvature exactly 0 then gives an infinite step, which
  ends the run with status 3.
* **Cap ``max_step`` (default 1.0)** on ‖Δ‖₂, before the learning rate or the line search. It acts
  while the estimate is poor (first iterations, unvisited directions), not near a minimizer of a
  well-scaled problem. It is absolute, in the units of θ: give it the scale of the problem
  (``np.inf``: no cap). ``cap="step"`` caps the whole step instead, ‖x⁺ − x‖₂ ≤ max_step after
  the learning rate or the line search (the authors' order; f and ∇f are then evaluated at the
  capped point, :mod:`refopt.optim.loop`).
* **Warm-up.** With one sample Cθθ = 0 and there is no estimate. The first direction is −v capped
  at ``max_step`` (the step with H = I). With a line search its first trial step comes from the
  shared rule of :mod:`refopt.optim.loop` (N&W eq. 3.60: a trial step ~1.01 long along −g₀);
  with a fixed step it is lr·Δ. From the second iterate on Cθθ ≠ 0 (the step moved x; a step that
  does not move x ends the run) and the OGR step is used, a line search starting from α = 1.
* **Momentum (``momentum`` = γ in (0, 1], default None: v = g)**, m₀ = g₀. A momentum direction
  need not descend; with a line search, when gᵀΔ ≥ 0 the iteration falls back to v = g.
* **Learning rate ``lr`` (default 1.0)**, used with ``line_search=None`` only: lr = 1 is the full
  Newton step of the model (exact on a quadratic once H is learned).

Known behaviour (measured; see the tests). The EMA weights samples by age, but a least-squares fit
is dominated by the samples with the largest spread: once the iterates converge faster than roughly
(1 − β)^(k/2), the old, far samples keep dominating Cθθ and Cgθ and the estimate freezes, so the
final convergence is linear (not superlinear as for BFGS) and the Hessian error on a non-quadratic
function stalls (Rosenbrock from (−1.2, 1), at ‖g‖∞ ≤ 1e-8: 0.68 / 0.40 / 0.04 with Wolfe / Armijo
/ a fixed step). On an exact quadratic there is no such bias (g − ḡ = A(θ − θ̄) for any weights)
and the error falls to ~1e-9. A side effect: with a line search and a gtol near the rounding level
of f (‖g‖² / curvature ≈ ulp(f)), the biased direction can leave no representable decrease and the
search fails (status 2) where BFGS or Newton still end with success; f and x are then as good as
the precision allows.

Where the arithmetic runs. The three variants are three method files of the one loop
(:mod:`refopt.optim.loop`): this one, :mod:`refopt.optim.ogr_diag` and :mod:`refopt.optim.ogr_subspace`,
each a named state and the steps ``init``, ``direction``, ``update``, ``estimate``. What they share —
the EMA of the means, the Lyapunov solve, the saddle-free step, the direction rule — is written once
in :mod:`refopt.optim.regression`, compiled, and called by both runs of the loop: the compiled and
the plain run agree bit for bit. :func:`~refopt.optim.regression.lyapunov_hessian` and
:func:`~refopt.optim.regression.saddle_free_step` are the textbook statements (a fresh
eigendecomposition each), which tests/test_ogr.py holds the fast road to within rounding times the
conditioning of Cθθ and of |H|.

Failures are those of the shared loop: NaN or inf in f, ∇f or the direction ends the run with
success=False and the iteration named, as does a failed line search. ``res.hess`` is the last
estimate Ĥ (n × n; for ogr-diag the diagonal matrix, the vector also in ``res.hess_diag``; for
ogr-subspace VᵀH_dV, with ``res.basis`` = V and ``res.hess_subspace`` = H_d). With ``trace``,
``hess_error`` is ‖Ĥ_k − ∇²f(x_k)‖_F / ‖∇²f(x_k)‖_F where the exact Hessian is known, Ĥ_k
including the sample at x_k (NaN at x₀: no estimate yet).
"""
from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .eigen_update import rank_one_update
from .loop import Loop
from .regression import (OPTIONS, Params, common_params, default_beta, ema_means, lyapunov_coefficients, ogr_direction,
                         sandwich, step_in_basis)

__all__ = ["OPTIONS", "GradientRegression", "State"]

NEEDS_HESSIAN = False


class State(NamedTuple):
    """Full OGR's memory: the EMA statistics, the eigenbasis of Cθθ it follows, the estimate."""

    count: int              # samples folded in
    has: bool               # an estimate exists (the samples have spread)
    since: int              # rank-one updates of the basis since it was last recomputed
    theta_bar: np.ndarray   # θ̄
    g_bar: np.ndarray       # ḡ
    C_tt: np.ndarray        # Cθθ
    C_gt: np.ndarray        # Cgθ
    lam: np.ndarray         # eigenvalues of Cθθ (unsorted: the followed basis keeps its order)
    O: np.ndarray           # eigenvectors of Cθθ, as columns
    M: np.ndarray           # the estimate in that basis: Ĥ = O M Oᵀ
    m: np.ndarray           # the momentum average (g itself without momentum)


def params(opt: dict, n: int, line_search) -> Params:
    return common_params(opt, line_search, default_beta(n))


@njit(cache=True, error_model="numpy")
def fold(state, params, theta, g):
    """Fold the sample (θ, g) into the statistics and refresh the estimate (module docstring): the
    first sample only sets the means; Cθθ's eigenbasis is followed by a rank-one update and
    recomputed every n of them (or when the update declines)."""
    n = theta.size
    since, has = state.since, False
    if state.count == 0:
        state.theta_bar[:] = theta
        state.g_bar[:] = g
    else:
        beta = params.beta
        dt, dg = ema_means(theta, g, beta, state.theta_bar, state.g_bar)
        state.C_tt[:, :] += beta * (np.outer(dt, dt) - state.C_tt)
        state.C_gt[:, :] += beta * (np.outer(dg, dt) - state.C_gt)
        if not (np.all(np.isfinite(state.C_tt)) and np.all(np.isfinite(state.C_gt))):
            state.M[:, :] = np.nan  # the statistics overflowed: the next direction is NaN (status 3)
            return State(state.count + 1, True, since, state.theta_bar, state.g_bar, state.C_tt, state.C_gt,
                         state.lam, state.O, state.M, state.m)
        if since >= n or not rank_one_update(state.lam, state.O, 1.0 - beta, beta, dt):
            lam, O = np.linalg.eigh(state.C_tt)
            state.lam[:] = lam
            state.O[:, :] = O
            since = 0
        else:
            since += 1
        has = lyapunov_coefficients(state.lam, state.O, state.C_gt + state.C_gt.T, params.eps, state.M, params.absolute)
    return State(state.count + 1, has, since, state.theta_bar, state.g_bar, state.C_tt, state.C_gt, state.lam,
                 state.O, state.M, state.m)


@register_jitable
def delta(state, params, v):
    """Δ(v) = −Q diag(1/max(|l|, δ)) Qᵀ v for Ĥ = O M Oᵀ = Q diag(l) Qᵀ."""
    return step_in_basis(state.O, state.M, v, params.eps_l)[0]


def init(params, x, f, g):
    """Empty statistics (Cθθ = 0 = I·0·Iᵀ), then x₀ as the first sample; with ``init="prior"`` the
    statistics of a phantom sample instead (θ̄ = ḡ = 0, Cθθ = Cgθ = I: "the gradient is 0 at the
    origin, with Hessian I", whose weight then decays as (1 − β)^k), into which x₀ is folded as
    the first real sample."""
    n = x.size
    if params.prior:
        start = State(1, True, 0, np.zeros(n), np.zeros(n), np.eye(n), np.eye(n), np.ones(n), np.eye(n), np.eye(n),
                      g.copy())
    else:
        start = State(0, False, 0, np.zeros(n), np.zeros(n), np.zeros((n, n)), np.zeros((n, n)), np.zeros(n),
                      np.eye(n), np.zeros((n, n)), np.zeros(n))
    return fold(start, params, x, g)


def direction(state, params, ev, x, f, g):
    """The saddle-free Newton step on Ĥ (momentum, warm-up, fallback, cap: regression.ogr_direction)."""
    p, scaled = ogr_direction(delta, state, params, g)
    return state, p, scaled


def update(state, params, s, y, alpha, x_old, g_old):
    """The new iterate is the next sample, as x + s with gradient g + y."""
    return fold(state, params, x_old + s, g_old + y)


def estimate(state, params, x):
    """Ĥ = O M Oᵀ."""
    return state.has, sandwich(state.O, state.M)


def extras(state) -> dict:
    return {"hess": sandwich(state.O, state.M) if state.has else None}


class GradientRegression:
    """The EMA statistics θ̄, ḡ, Cθθ, Cgθ of samples (θ, g) in R^n, the newest of weight β, fed one
    sample at a time by the methods' own fold (``diagonal=True``: diagonal OGR's, with the diagonals
    of Cθθ and Cgθ as vectors); :meth:`hessian` solves afresh, the textbook way."""

    def __init__(self, n: int, beta: float, diagonal: bool = False):
        from . import ogr_diag

        self.n, self.beta, self.diagonal = int(n), float(beta), diagonal
        self._method = ogr_diag if diagonal else sys.modules[__name__]
        self._params = Params(self.beta, 1e-12, 1e-6, np.inf, np.nan, False, False, False)
        z = np.zeros(self.n)
        self._state = self._method.init(self._params, z, 0.0, z)._replace(count=0)  # no sample yet

    def add(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Fold in one sample (θ, g): the EMA updates of the module docstring."""
        theta, g = (np.ascontiguousarray(a, dtype=np.float64) for a in (theta, g))
        if theta.shape != (self.n,) or g.shape != (self.n,):
            raise ValueError(f"theta and g must have shape ({self.n},); got {theta.shape} and {g.shape}")
        self._state = self._method.fold(self._state, self._params, theta, g)

    count = property(lambda self: int(self._state.count), doc="samples folded in")
    theta_bar = property(lambda self: self._state.theta_bar, doc="θ̄")
    g_bar = property(lambda self: self._state.g_bar, doc="ḡ")
    C_tt = property(lambda self: self._state.C_tt, doc="Cθθ (its diagonal when diagonal=True)")
    C_gt = property(lambda self: self._state.C_gt, doc="Cgθ (its diagonal when diagonal=True)")

    def hessian(self, eps: float) -> np.ndarray | None:
        """The symmetric least-squares H (full), or the vector of H_ii (diagonal); None if Cθθ = 0."""
        from .regression import diagonal_estimate, lyapunov_hessian

        if not self.diagonal:
            return lyapunov_hessian(self.C_tt, self.C_gt, eps)
        h = np.empty_like(self.C_tt)
        return h if diagonal_estimate(self.C_tt, self.C_gt, float(eps), h) else None


LOOP = Loop(sys.modules[__name__])
