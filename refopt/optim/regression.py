"""The gradient regression of the OGR family: the pieces its three variants share.

:mod:`refopt.optim.ogr` explains the method and cites its sources; :mod:`refopt.optim.ogr_diag`
and :mod:`refopt.optim.ogr_subspace` are its two other variants. This file holds what they have in
common, each piece written once:

* the options they share (:class:`Params`) and the default weight β (:func:`default_beta`);
* the EMA of the means (:func:`ema_means`), the Lyapunov solve in the eigenbasis of Cθθ
  (:func:`lyapunov_coefficients`), the diagonal estimate (:func:`diagonal_estimate`);
* the saddle-free step in a basis (:func:`step_in_basis`, with the floor :func:`floored`), the
  cap, and the iteration's direction rule — momentum, warm-up, descent fallback
  (:func:`ogr_direction`);
* the subspace's basis (:func:`initial_basis`, :func:`rotate`, :func:`orth`);
* the textbook statements :func:`lyapunov_hessian` and :func:`saddle_free_step` (a fresh
  eigendecomposition each), which the tests hold the fast road to.

The regression's arithmetic (the folds, the Lyapunov solve, the step in a basis) is compiled
(``njit``) and both runs of the one loop call the same machine code, LAPACK calls included; what
runs as NumPy in the plain run (the direction rule, the cap) is elementwise or a dot product. So
the compiled and the plain run of an OGR method agree bit for bit.

**Full OGR: three n × n products per iteration, and an eigendecomposition only where the
estimate is indefinite** (instead of two eigendecompositions). The Lyapunov solve needs the
eigenbasis of Cθθ, and the EMA update Cθθ ← (1 − β)Cθθ + β(θ − θ̄)(θ − θ̄)ᵀ is a rank-one
modification, so the basis is *followed* (:func:`refopt.optim.eigen_update.rank_one_update`)
rather than recomputed, and recomputed from Cθθ itself (``np.linalg.eigh``) every n updates to
keep rounding from accumulating. The estimate is kept in that basis, H = O M Oᵀ with
M_ij = (Oᵀ(Cgθ + Cgθᵀ)O)_ij / (λ_i + λ_j); H itself is formed only when asked for. The saddle-free
step needs |H|; when M − δ̂I has a Cholesky factor, δ̂ = eps_l·max(1, ‖M‖_F) ≥ δ (‖M‖_F ≥ max|l|),
every eigenvalue of H exceeds the floor δ, so |H| floored is H itself and Δ = −O M⁻¹ Oᵀ v by
Cholesky; otherwise (H indefinite or nearly singular, e.g. while fewer than n + 1 samples leave
unvisited directions) M is diagonalized. Both give the step of the textbook formula to rounding.
Measured at n = 100 (benchmarks/bench_ogr.py): the followed basis costs ~0.45 ms where an
eigendecomposition costs ~1.5 ms; a whole iteration 0.8–1.0 ms where the estimate is positive
definite, 1.5–2.3 ms where it is not (3.5 ms before).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .options import COMMON, choice, real

__all__ = ["OPTIONS", "Params", "common_params", "default_beta", "ema_means", "lyapunov_coefficients", "diagonal_estimate",
           "floored", "step_in_basis", "cap", "ogr_direction", "orth", "initial_basis", "rotate", "sandwich",
           "lyapunov_hessian", "saddle_free_step"]


OPTIONS = {
    **{key: rule for key, rule in COMMON.items() if key != "step"},
    "beta": (None, real(low=0.0, high=1.0, low_open=True, high_open=True, allow_none=True)),
    "eps": (1e-12, real(low=0.0, high=1.0, low_open=True)),
    "eps_scale": ("relative", choice("relative", "absolute")),
    "eps_l": (1e-6, real(low=0.0, high=1.0)),
    "lr": (1.0, real(low=0.0, low_open=True)),
    "max_step": (1.0, real(low=0.0, low_open=True, allow_inf=True)),
    "cap": ("direction", choice("direction", "step")),
    "momentum": (None, real(low=0.0, high=1.0, low_open=True, allow_none=True)),
    "init": ("first-sample", choice("first-sample", "prior")),
}
"""The options of full and diagonal OGR (``lr`` is the fixed step without a line search)."""


class Params(NamedTuple):
    """The options of full and diagonal OGR, as their steps read them."""

    beta: float       # β, the weight of the newest sample
    eps: float        # ε, relative: Cθθ + ε λ_max(Cθθ) I
    eps_l: float      # the saddle-free floor δ = eps_l · max(1, max |l|)
    max_step: float   # the cap on ‖Δ‖₂ (inf: none, or capped after the step: cap="step")
    gamma: float      # the momentum weight γ (NaN: no momentum, v = g)
    fallback: bool    # with a line search and momentum: Δ(g) where Δ(m) does not descend
    prior: bool       # init="prior": the statistics start from θ̄ = ḡ = 0, Cθθ = Cgθ = I
    absolute: bool    # eps_scale="absolute": Cθθ + εI, no direction counted as unvisited


def default_beta(k: int) -> float:
    """β = min(0.5, 10/(k + 1)) for a regression with k unknowns per gradient (k = n or d)."""
    return min(0.5, 10.0 / (k + 1))


def common_params(opt: dict, line_search, beta: float) -> Params:
    """Params from the checked options; ``beta`` the variant's β when options["beta"] is None."""
    gamma = math.nan if opt["momentum"] is None else float(opt["momentum"])
    max_step = math.inf if opt["cap"] == "step" else float(opt["max_step"])  # the loop caps the step instead
    return Params(float(beta if opt["beta"] is None else opt["beta"]), float(opt["eps"]), float(opt["eps_l"]),
                  max_step, gamma, line_search is not None and opt["momentum"] is not None,
                  opt["init"] == "prior", opt["eps_scale"] == "absolute")


@njit(cache=True, error_model="numpy")
def ema_means(theta, g, beta, theta_bar, g_bar):
    """θ̄ ← θ̄ + β(θ − θ̄), ḡ ← ḡ + β(g − ḡ) in place; returns θ − θ̄, g − ḡ (on the updated means)."""
    theta_bar += beta * (theta - theta_bar)
    g_bar += beta * (g - g_bar)
    return theta - theta_bar, g - g_bar


@njit(cache=True, error_model="numpy")
def lyapunov_coefficients(lam, O, S, eps, M, absolute=False):
    """M_ij = (Oᵀ S O)_ij / (λ_i + λ_j + 2ελ_max), unvisited block (λ ≤ ελ_max) zeroed, into M;
    with ``absolute`` M_ij = (Oᵀ S O)_ij / (λ_i + λ_j + 2ε), nothing zeroed (the Lyapunov equation
    on Cθθ + εI as it stands).

    :func:`lyapunov_hessian` in the basis O (its docstring gives the reasons). Returns False when
    λ_max ≤ 0 (no spread: no estimate)."""
    n = lam.size
    lam_max = np.max(lam) if n > 0 else 0.0
    if not lam_max > 0.0:
        return False
    T = O.T @ S @ O
    floor = eps if absolute else eps * lam_max
    for i in range(n):
        li = max(lam[i], 0.0)  # Cθθ is PSD: rounding below 0 clipped
        for j in range(i, n):
            lj = max(lam[j], 0.0)
            if not absolute and li <= floor and lj <= floor:
                v = 0.0
            else:
                v = 0.5 * (T[i, j] + T[j, i]) / (li + lj + 2.0 * floor)
            M[i, j] = v
            M[j, i] = v
    return True


@njit(cache=True, error_model="numpy")
def floored(l, eps_l):
    """max(|l_i|, δ), δ = eps_l·max(1, max|l|): the saddle-free curvatures."""
    a = np.abs(l)
    return np.maximum(a, eps_l * max(1.0, np.max(a)))


@njit(cache=True, error_model="numpy")
def _cholesky_solve(L, b):
    """x with L Lᵀ x = b (L lower triangular): forward then back substitution, O(n²)."""
    n = b.size
    z = np.empty(n)
    for i in range(n):
        acc = b[i]
        for k in range(i):
            acc -= L[i, k] * z[k]
        z[i] = acc / L[i, i]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):
        acc = z[i]
        for k in range(i + 1, n):
            acc -= L[k, i] * x[k]
        x[i] = acc / L[i, i]
    return x


@njit(cache=True, error_model="numpy")
def step_in_basis(O, M, v, eps_l):
    """Δ = −Q diag(1/max(|l|, δ)) Qᵀ v for H = O M Oᵀ = Q diag(l) Qᵀ, and max|l| (for h⊥'s floor).

    Cholesky when M − δ̂I is positive definite (δ̂ = eps_l·max(1, ‖M‖_F) bounds the floor δ from
    above, so no curvature is floored and |H| = H); M = W diag(l) Wᵀ, Q = O W otherwise. The
    shortcut needs δ̂ well above the rounding of a Cholesky factorization (~n ε_mach ‖M‖), so it is
    taken only when eps_l ≥ 64 n ε_mach (with eps_l = 1e-300 a factorization can succeed on an M
    whose smallest eigenvalue is −3e-16‖M‖)."""
    n = v.size
    if not (np.all(np.isfinite(M)) and np.all(np.isfinite(v))):  # overflowed statistics: no step
        return np.full(n, np.nan), np.nan
    vt = O.T @ v
    frob = math.sqrt(np.sum(M * M))
    shifted = M - eps_l * max(1.0, frob) * np.eye(n)
    ok = eps_l >= 64.0 * n * 2.220446049250313e-16
    if ok:
        try:
            np.linalg.cholesky(shifted)
            L = np.linalg.cholesky(M)
        except Exception:  # not positive definite beyond the floor
            ok = False
    if ok:
        x = _cholesky_solve(L, vt)
        # max|l| only enters the outside rate's floor; its bound ‖M‖_F is not used for that
        return -(O @ x), np.nan
    l, W = np.linalg.eigh(M)
    curv = floored(l, eps_l)
    return -(O @ (W @ ((W.T @ vt) / curv))), np.max(curv)


# -- the three regressions ------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def diagonal_estimate(c_tt, c_gt, eps, h, absolute=False):
    """h_i = Cgθ,ii / (Cθθ,ii + ε·max_j Cθθ,jj) into h, 0 for unvisited coordinates (Cθθ,ii ≤ ε·max);
    with ``absolute`` h_i = Cgθ,ii / (Cθθ,ii + ε) for every i. False when Cθθ = 0."""
    c_max = np.max(c_tt)
    if not c_max > 0.0:
        return False
    floor = eps if absolute else eps * c_max
    for i in range(h.size):  # unvisited coordinates get 0, as in lyapunov_coefficients
        h[i] = c_gt[i] / (c_tt[i] + floor) if (absolute or c_tt[i] > floor) else 0.0
    return True


@njit(cache=True, error_model="numpy")
def orth(M):
    """Orthonormal rows spanning the rows of M (d × n): Q of the QR of Mᵀ with diag(R) > 0."""
    Q, R = np.linalg.qr(np.ascontiguousarray(M.T))
    out = np.empty((M.shape[0], M.shape[1]))
    for k in range(M.shape[0]):
        sign = -1.0 if R[k, k] < 0.0 else 1.0
        out[k, :] = sign * Q[:, k]
    return out


@njit(cache=True, error_model="numpy")
def initial_basis(g, d):
    """ĝ followed by the DCT-II vectors c_k[i] = cos(π k (i + ½)/n), k = 0, 1, ..., orthonormalized
    (Gram–Schmidt; a cosine nearly inside the span of the rows before it is skipped). ĝ is left
    out when g is 0 or not finite (the run then ends at the start, status 3)."""
    n = g.size
    rows = np.zeros((d, n))
    count = 0
    norm_g = math.sqrt(np.dot(g, g))
    if norm_g > 0.0 and math.isfinite(norm_g):
        rows[0] = g / norm_g
        count = 1
    k = 0
    while count < d:
        c = np.cos(np.pi * k * (np.arange(n) + 0.5) / n)
        k += 1
        for r in range(count):
            c = c - np.dot(rows[r], c) * rows[r]
        nc = math.sqrt(np.dot(c, c))
        if nc > 1e-6 * math.sqrt(n):
            rows[count] = c / nc
            count += 1
    return orth(rows)


@njit(cache=True, error_model="numpy")
def rotate(V, C_uu, C_wu, y, eta):
    """V ← orth(V + η (V ŷ) ŷᵀ); C ← R C Rᵀ with R = V⁺Vᵀ for C_uu and C_wu (all in place)."""
    ny = math.sqrt(np.dot(y, y))
    if not ny > 0.0:
        return
    yh = y / ny
    V_new = orth(V + eta * np.outer(V @ yh, yh))
    R = V_new @ V.T
    C_uu[:, :] = R @ C_uu @ R.T
    C_wu[:, :] = R @ C_wu @ R.T
    V[:, :] = V_new


@njit(cache=True, error_model="numpy")
def cap(p, max_step):
    """p shortened to ‖p‖₂ = max_step when longer."""
    length = math.sqrt(np.dot(p, p))
    return p * (max_step / length) if length > max_step else p


@njit(cache=True, error_model="numpy")
def sandwich(O, M):
    """O M Oᵀ, symmetrized: an estimate kept in a basis (ogr's O, the subspace's O_d), in the
    coordinates around it."""
    H = O @ M @ O.T
    return 0.5 * (H + H.T)


@register_jitable
def ogr_direction(delta, state, params, g):
    """The iteration's direction, for every variant (``delta(state, params, v)`` its saddle-free
    step Δ(v) before the cap): m ← m + γ(g − m) (m = g without momentum, and m₀ = g₀); −m capped
    while there is no estimate (scaled = False: the loop's rule picks the first trial step); else
    Δ(m), or Δ(g) where ``fallback`` (a line search with momentum) and Δ(m) does not descend, capped
    at ``max_step``. Returns (p, scaled)."""
    m = state.m
    if math.isnan(params.gamma) or state.count <= 1 + params.prior:  # only x₀ sampled so far: m₀ = g₀
        m[:] = g
    else:
        m += params.gamma * (g - m)
    if not state.has:
        return cap(-m, params.max_step), False
    p = delta(state, params, m)
    if params.fallback and not np.dot(g, p) < 0.0:
        p = delta(state, params, g)
    return cap(p, params.max_step), True


# -- the textbook statements ----------------------------------------------------------------------


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
    if not lyapunov_coefficients(lam, O, C_gt + C_gt.T, float(eps), M):
        return None
    return sandwich(O, M)


def saddle_free_step(H: np.ndarray, v: np.ndarray, eps_l: float) -> tuple[np.ndarray, np.ndarray]:
    """Δ = −Q diag(1/max(|l|, δ)) Qᵀ v for H = Q diag(l) Qᵀ, δ = eps_l·max(1, max|l|).

    Returns (Δ, max(|l|, δ)): the step and the curvatures it used.
    """
    l, Q = np.linalg.eigh(H)
    curv = floored(l, float(eps_l))
    return -(Q @ ((Q.T @ v) / curv)), curv
