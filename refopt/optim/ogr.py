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

solved entry by entry in the eigenbasis of Cθθ + εI = O Λ Oᵀ (:func:`lyapunov_hessian`):

    H = O [ (Oᵀ(Cgθ + Cgθᵀ)O)_ij / (λ_i + λ_j) ] Oᵀ.

On a quadratic, g − ḡ = A(θ − θ̄) for every sample (the EMA of an affine map is the map of the
EMA), so Cgθ = A Cθθ and H = A as soon as the samples span the space (n + 1 affinely independent
iterates), up to the ε regularisation.

The step is a *saddle-free* Newton step (Dauphin et al. 2014) with the estimate H = Q L Qᵀ:

    Δ = −Q diag(1 / max(|l_i|, δ)) Qᵀ v,     δ = eps_l · max(1, max_i |l_i|)
(:func:`saddle_free_step`)

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
                    definite and by an eigendecomposition of H otherwise (ogr_numba.py explains it:
                    three n × n products per iteration, plus the eigendecomposition of H when it is
                    indefinite — always while fewer than n + 1 samples leave unvisited directions).
* ``ogr-diag``      one regression per coordinate, H_ii = Cgθ,ii / (Cθθ,ii + ε) (O(n); exact on
                    separable functions), with the same floor: Δ_i = −v_i / max(|H_ii|, δ).
* ``ogr-subspace``  the regression on the projections V(θ − θ̄), V(g − ḡ) onto an online
                    orthonormal basis V (d × n), a saddle-free Newton step inside span(V) and a
                    gradient (or momentum) step outside it; see "Subspace" below.

Decisions on what the sources leave open (each one is exercised in tests/test_ogr.py):

* **First sample.** θ̄ = θ₀, ḡ = g₀, Cθθ = Cgθ = 0 (the averages start at the first sample, not
  at 0, so they carry no bias toward the origin). Samples are the *accepted* iterates only; the
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
* **Floor δ (``eps_l``, default 1e-6)**, relative as in refopt's Newton, δ = eps_l·max(1, max|l|).
  It only matters where the estimate sees (almost) no curvature; the cap then bounds the step.
* **Cap ``max_step`` (default 1.0)** on ‖Δ‖₂, before the learning rate or the line search. It acts
  while the estimate is poor (first iterations, unvisited directions), not near a minimizer of a
  well-scaled problem. It is absolute, in the units of θ: give it the scale of the problem
  (``np.inf``: no cap).
* **Warm-up.** With one sample Cθθ = 0 and there is no estimate. The first direction is −v capped
  at ``max_step`` (the step with H = I). With a line search its first trial step comes from the
  shared rule of :mod:`refopt.optim.descent` (N&W eq. 3.60: a trial step ~1.01 long along −g₀);
  with a fixed step it is lr·Δ. From the second iterate on Cθθ ≠ 0 (the step moved x; a step that
  does not move x ends the run) and the OGR step is used, a line search starting from α = 1.
* **Momentum (``momentum`` = γ in (0, 1], default None: v = g)**, m₀ = g₀. A momentum direction
  need not descend; with a line search, when gᵀΔ ≥ 0 the iteration falls back to v = g.
* **Learning rate ``lr`` (default 1.0)**, used with ``line_search=None`` only: lr = 1 is the full
  Newton step of the model (exact on a quadratic once H is learned).

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

Where the arithmetic runs. The regression, the estimate and the step are the compiled kernels of
:mod:`refopt.optim.ogr_numba`, called by the Method classes below (plain loop, any callable) and
by the compiled loop of :mod:`refopt.optim.descent_numba` (test functions): the two loops give the
same iterates bit for bit. :func:`lyapunov_hessian` and :func:`saddle_free_step` are the
textbook statements (a fresh eigendecomposition each), which tests/test_ogr.py holds the fast
road to within rounding times the conditioning of Cθθ and of |H|.

Failures are those of the shared loop (:mod:`refopt.optim.descent`): NaN or inf in f, ∇f or the
direction ends the run with success=False and the iteration named, as does a failed line
search. ``res.hess`` is the last estimate Ĥ (n × n; for ogr-diag the diagonal matrix, the vector
also in ``res.hess_diag``; for ogr-subspace VᵀH_dV, with ``res.basis`` = V and
``res.hess_subspace`` = H_d). With ``trace``, ``hess_error`` is ‖Ĥ_k − ∇²f(x_k)‖_F / ‖∇²f(x_k)‖_F
where the exact Hessian is known, Ĥ_k including the sample at x_k (NaN at x₀: no estimate yet).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .descent import Method, compiled_path, descend, run_compiled
from . import ogr_numba as kernels
from .objective import Objective
from .options import DEFAULTS

__all__ = [
    "ogr",
    "ogr_diag",
    "ogr_subspace",
    "OGR_OPTIONS",
    "OGR_DIAG_OPTIONS",
    "OGR_SUBSPACE_OPTIONS",
    "GradientRegression",
    "lyapunov_hessian",
    "saddle_free_step",
    "default_beta",
    "initial_basis",
]

OGR_OPTIONS = DEFAULTS["ogr"]  # beta None: min(0.5, 10/(n + 1)); see the module docstring
OGR_DIAG_OPTIONS = DEFAULTS["ogr-diag"]  # beta None means 0.5 here
OGR_SUBSPACE_OPTIONS = DEFAULTS["ogr-subspace"]  # d None: min(5, n); beta None: min(0.5, 10/(d + 1))


def default_beta(k: int) -> float:
    """β = min(0.5, 10/(k + 1)) for a regression with k unknowns per gradient (k = n or d)."""
    return min(0.5, 10.0 / (k + 1))


# -- the regression ------------------------------------------------------------------------------
#
# The arithmetic lives in ogr_numba.py (compiled, shared with the compiled loop); lyapunov_hessian,
# saddle_free_step and GradientRegression are its textbook statements — one eigendecomposition of
# Cθθ and one of H each time — kept as the reference the tests hold the fast path to.


def lyapunov_hessian(C_tt: np.ndarray, C_gt: np.ndarray, eps: float) -> np.ndarray | None:
    """The symmetric H with H C + C H = C_gt + C_gtᵀ, where C = C_tt + ε λ_max(C_tt) I.

    Solved in the eigenbasis of C = O Λ Oᵀ: H_ij = (Oᵀ(C_gt + C_gtᵀ)O)_ij / (λ_i + λ_j), then
    H ← O H Oᵀ. Eigendirections of C_tt with λ_i ≤ ε λ_max count as unvisited: between two of them
    the numerator, which is 0 in exact arithmetic and only rounding noise in floating point, is set
    to 0, so H is exactly 0 there (and the saddle-free floor decides the step), not noise / 2ελ_max.
    Returns None when C_tt = 0 (the samples have no spread: nothing to regress on).
    """
    lam, O = np.linalg.eigh(C_tt)
    O = np.ascontiguousarray(O)
    M = np.empty_like(C_tt)
    if not kernels.lyapunov_coefficients(lam, O, C_gt + C_gt.T, float(eps), M):
        return None
    return kernels.sandwich(O, M)


def saddle_free_step(H: np.ndarray, v: np.ndarray, eps_l: float) -> tuple[np.ndarray, np.ndarray]:
    """Δ = −Q diag(1/max(|l|, δ)) Qᵀ v for H = Q diag(l) Qᵀ, δ = eps_l·max(1, max|l|).

    Returns (Δ, max(|l|, δ)): the step and the curvatures it used.
    """
    l, Q = np.linalg.eigh(H)
    curv = kernels.floored(l, float(eps_l))
    return -(Q @ ((Q.T @ v) / curv)), curv


class GradientRegression:
    """EMA statistics θ̄, ḡ, Cθθ, Cgθ of the samples (θ, g), the newest sample of weight β.

    ``diagonal=True`` keeps only the diagonals of Cθθ and Cgθ (vectors), for ogr-diag. The
    updates are those of the methods (ogr_numba.ingest); :meth:`hessian` solves afresh.
    """

    def __init__(self, n: int, beta: float, diagonal: bool = False):
        self.beta, self.diagonal = beta, diagonal
        self.kind = kernels.DIAG if diagonal else kernels.FULL
        self._state = kernels.new_state(self.kind, n, 1, beta, 1e-12, 1e-6)
        vs, ms = self._state[1], self._state[2]
        self.theta_bar, self.g_bar = vs[kernels.THETA_BAR], vs[kernels.G_BAR]
        if diagonal:
            self.C_tt, self.C_gt = vs[kernels.C_TT_DIAG], vs[kernels.C_GT_DIAG]
        else:
            self.C_tt, self.C_gt = ms[0], ms[1]

    @property
    def count(self) -> int:
        return int(self._state[5][kernels.S_COUNT])

    def add(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Fold in one sample (θ, g): the EMA updates of the module docstring."""
        kernels.ingest(self.kind, _vector(theta), _vector(g), *self._state)

    def hessian(self, eps: float) -> np.ndarray | None:
        """The symmetric least-squares H (full), or the vector of H_ii (diagonal); None if Cθθ = 0."""
        if not self.diagonal:
            return lyapunov_hessian(self.C_tt, self.C_gt, eps)
        h = np.empty_like(self.C_tt)
        return h if kernels.diagonal_estimate(self.C_tt, self.C_gt, float(eps), h) else None


def _vector(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


# -- options --------------------------------------------------------------------------------------


def _resolved(options: dict, n: int, defaults: dict, beta_dim: int | None) -> dict:
    """Defaults filled in and the derived values set: β and d where None, the shared loop's
    fixed step = lr. (Types and ranges are checked by :func:`refopt.optim.options.check`.)"""
    opt = {**defaults, **options}
    if "d" in defaults:
        opt["d"] = beta_dim = min(5, n) if opt["d"] is None else int(opt["d"])
    if opt["beta"] is None:
        opt["beta"] = 0.5 if beta_dim is None else default_beta(beta_dim)
    opt["beta"] = float(opt["beta"])
    opt["step"] = float(opt["lr"])  # the shared loop's fixed step is the learning rate
    return opt


# -- the three methods ----------------------------------------------------------------------------


class _OGRBase(Method):
    """The three variants: a regression ``kind`` of ogr_numba, its state arrays, and the iteration
    of the module docstring (samples, momentum, warm-up, the descent fallback, the cap), run by the
    compiled kernels that the compiled loop (descent_numba.py) calls too."""

    kind = kernels.FULL

    def __init__(self, n: int, opt: dict, line_search: str | None):
        self.opt = opt
        self.line_search = line_search
        d = int(opt.get("d") or 1)
        self.state = kernels.new_state(self.kind, n, d, opt["beta"], float(opt["eps"]), float(opt["eps_l"]),
                                       float(opt.get("eta", 1.0)), opt.get("lr_out"))
        self.gamma = math.nan if opt["momentum"] is None else float(opt["momentum"])
        self.fallback = line_search is not None and opt["momentum"] is not None
        self.m = np.zeros(n)
        self.scaled_direction = False  # warm-up: the shared rule picks the first trial step
        self._x = self._g = None

    @property
    def nsamples(self) -> int:
        return int(self.state[5][kernels.S_COUNT])

    def has_estimate(self) -> bool:
        return bool(self.state[5][kernels.S_HAS])

    def direction(self, x, f, g):
        if self.nsamples == 0:
            self._add(x, g)  # x₀; later samples come in through update()
        self._x, self._g = x, g
        p, self.scaled_direction = kernels.search_direction(
            self.kind, _vector(g), self.m, self.gamma, self.fallback, float(self.opt["max_step"]), *self.state)
        return p

    def update(self, s, y, alpha, g_old):
        # the new iterate x + s with gradient g + y is the next sample (so that the trace's
        # estimate at x_{k+1} already includes it)
        self._add(self._x + s, g_old + y)

    def _add(self, theta, g):
        kernels.ingest(self.kind, _vector(theta), _vector(g), *self.state)

    def estimate(self, x):
        if not self.has_estimate():
            return None
        prm, vs, ms, V, dm, ss = self.state
        return kernels.estimate(self.kind, vs, ms, V, dm)

    def extras(self):
        return {"hess": self.estimate(None)}


class OGR(_OGRBase):
    """Full OGR: the n × n Lyapunov estimate and its saddle-free Newton step."""

    kind = kernels.FULL

    @property
    def H(self) -> np.ndarray | None:
        return self.estimate(None)


class OGRDiag(_OGRBase):
    """Diagonal OGR: H_ii = Cgθ,ii / (Cθθ,ii + ε), Δ_i = −v_i / max(|H_ii|, δ)."""

    kind = kernels.DIAG

    def extras(self):
        h = self.state[1][kernels.LAM].copy() if self.has_estimate() else None
        return {"hess": self.estimate(None), "hess_diag": h}


def initial_basis(g: np.ndarray, d: int) -> np.ndarray:
    """ĝ followed by the DCT-II vectors c_k[i] = cos(π k (i + ½)/n), k = 0, 1, ..., orthonormalized
    (Gram–Schmidt; a cosine nearly inside the span of the rows before it is skipped)."""
    return kernels.initial_basis(_vector(g), int(d))


class OGRSubspace(_OGRBase):
    """Subspace OGR: Newton on the d × d regression in span(V), a gradient step outside it."""

    kind = kernels.SUBSPACE

    @property
    def V(self) -> np.ndarray:
        return self.state[3]

    @property
    def C_uu(self) -> np.ndarray:
        return self.state[4][0]

    @property
    def C_wu(self) -> np.ndarray:
        return self.state[4][1]

    def H_d(self) -> np.ndarray | None:
        """The d × d estimate in span(V): O_d M_d O_dᵀ."""
        if not self.has_estimate():
            return None
        return kernels.sandwich(self.state[4][2], self.state[4][3])

    def extras(self):
        return {"hess": self.estimate(None), "basis": self.V.copy(), "hess_subspace": self.H_d()}


# -- entry points (the calling convention of refopt.optim.bfgs) -------------------------------------

_NAMES = {OGR: "ogr", OGRDiag: "ogr-diag", OGRSubspace: "ogr-subspace"}


def _run(cls, defaults: dict, beta_dim, obj: Objective, x0: np.ndarray, line_search, callback,
         options: dict) -> OptimizeResult:
    opt = _resolved(options, x0.size, defaults, beta_dim)
    method = cls(x0.size, opt, line_search)
    if compiled_path(obj, opt, callback):
        return run_compiled(obj, x0, _NAMES[cls], opt, line_search, ogr_method=method)
    return descend(obj, x0, method, opt, line_search, callback)


def ogr(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with full OGR (saddle-free Newton on the regressed n × n Hessian).

    ``options`` as in :data:`OGR_OPTIONS`; every default is explained in the module docstring.
    """
    return _run(OGR, OGR_OPTIONS, x0.size, obj, x0, line_search, callback, options)


def ogr_diag(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with diagonal OGR (one regression per coordinate); options as in
    :data:`OGR_DIAG_OPTIONS` (β defaults to 0.5)."""
    return _run(OGRDiag, OGR_DIAG_OPTIONS, None, obj, x0, line_search, callback, options)


def ogr_subspace(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with subspace OGR (Newton in an online d-dimensional basis, a gradient step
    outside it); options as in :data:`OGR_SUBSPACE_OPTIONS` (adds ``d``, ``eta``, ``lr_out``)."""
    return _run(OGRSubspace, OGR_SUBSPACE_OPTIONS, None, obj, x0, line_search, callback, options)
