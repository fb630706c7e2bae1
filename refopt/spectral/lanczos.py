r"""Lanczos tridiagonalisation and the top-k eigenpairs of a symmetric operator.

**Lanczos** (Lanczos 1950; Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 10.1.1).
From a unit vector v₁ the recurrence

    w = A v_j − α_j v_j − β_{j−1} v_{j−1},   α_j = v_jᵀ A v_j,   β_j = ‖w‖,   v_{j+1} = w / β_j

builds an orthonormal basis V_m of the Krylov space K_m(A, v₁) in which A is tridiagonal:
T_m = V_mᵀ A V_m, with A V_m = V_m T_m + β_m v_{m+1} e_mᵀ. In floating point the v_j lose
orthogonality as soon as a Ritz value converges (Paige 1971), and copies ("ghosts") of the
converged eigenvalues appear in T_m. ``reorth="full"`` orthogonalises w against every earlier v
twice ("twice is enough", Parlett 1980, §6.9), which keeps ‖V_mᵀV_m − I‖ at rounding level.
``orthogonality_loss`` reports ‖V_mᵀV_m − I‖₂ either way.

The recurrence stops early when β_j ≤ ``BREAKDOWN`` · √n · ε · ‖T_j‖ (ε the float64 epsilon): β_j is
then at the rounding level of the product A v_j, so the Krylov space is invariant to working
precision (for example a matrix with fewer than m distinct eigenvalues, or a low-rank Hessian);
T_j's eigenvalues are then eigenvalues of A to that precision and the result has j < m steps. A
small β far above rounding (a large dynamic range, λ_max/λ ≈ 10¹²) is not taken for an invariant
space.

**Top-k eigenpairs** (:func:`lanczos_topk`): thick-restart Lanczos (Wu & Simon 2000, "Thick-restart
Lanczos method for large symmetric eigenvalue problems", SIAM J. Matrix Anal. Appl. 22) with full
reorthogonalisation. A basis of ``basis`` vectors is built; the Rayleigh–Ritz pairs (θ_i, V y_i)
of S = VᵀAV are formed; the residual of each is ‖A V y_i − θ_i V y_i‖ = β |e_mᵀ y_i| by the Lanczos
relation (in exact arithmetic; in floating point the measured residual adds a rounding-level part,
of order ε‖A‖, which the estimate does not see). The wanted pairs are converged when

    ‖A v − θ v‖ ≤ max(tol · |θ|, 10 √n ε ‖S‖₂)        (ε the float64 epsilon)

otherwise the basis restarts from the kept Ritz vectors (the wanted k and the next (basis − k)/2
in the same order) and the residual direction, so S becomes an arrowhead matrix and the Lanczos
relation still holds. A residual at the rounding level of one product, 10√n ε‖S‖, counts as
converged whatever ``tol`` asks: no Krylov method resolves more, and an eigenvalue near zero of an
operator of large norm is then known to that absolute accuracy (λ_max/λ ≈ 10¹²: a test). With
``vectors=True`` the residuals are also measured directly, one product
per eigenpair (``residuals``), so the stated residual is a measurement, not an estimate.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..arguments import choice, flag, integer, real
from ..arguments import seed as seed_
from .operator import Operator, as_operator, unit_start

__all__ = ["lanczos", "lanczos_topk", "LanczosResult", "TopK", "BREAKDOWN"]

EPS = np.finfo(np.float64).eps
BREAKDOWN = 10.0
"""β_j ≤ BREAKDOWN · √n · ε · (the largest |T| entry so far) is taken as an invariant Krylov space."""


class LanczosResult(NamedTuple):
    """T = V^T A V (steps × steps, tridiagonal), its diagonal ``alpha`` and off-diagonal ``beta``,
    the basis V (n × steps), the unit start vector, ‖VᵀV − I‖₂, the last β (the norm of the next,
    unused direction: 0 at an invariant space) and the number of products taken."""

    T: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    V: np.ndarray
    start: np.ndarray
    orthogonality_loss: float
    residual_norm: float
    steps: int
    matvecs: int


def _orthogonalise(Q: np.ndarray, w: np.ndarray) -> np.ndarray:
    """w minus its projection on the orthonormal columns Q, twice; returns the coefficients Qᵀw."""
    h = Q.T @ w
    w -= Q @ h
    h2 = Q.T @ w
    w -= Q @ h2
    return h + h2


def _loss_of_orthogonality(V: np.ndarray) -> float:
    G = V.T @ V
    G[np.diag_indices_from(G)] -= 1.0
    return float(np.linalg.norm(G, 2)) if G.size else 0.0


def lanczos(matvec, n: int | None = None, steps: int = 30, seed: int | None = 0, reorth: str = "full",
            start=None) -> LanczosResult:
    """``steps`` Lanczos steps on the symmetric operator from a unit start (``start``, or a seeded
    Gaussian direction); see the module docstring for the recurrence and the early stop."""
    op = as_operator(matvec, n)
    steps = integer(steps, "steps", low=1, high=op.n)
    reorth = choice(reorth, "reorth", ("full", "none"))
    rng = np.random.default_rng(seed_(seed, generator=True))
    return _lanczos(op, steps, unit_start(op, start, rng), reorth == "full")


def _lanczos(op: Operator, steps: int, u: np.ndarray, full: bool) -> LanczosResult:
    n = op.n
    V = np.zeros((n, steps), order="F")  # column-major: the leading columns V[:, :j] are contiguous
    alpha, beta = np.zeros(steps), np.zeros(steps)
    V[:, 0] = u
    scale, done = 0.0, steps
    cut = BREAKDOWN * np.sqrt(n) * EPS
    before = op.products
    for j in range(steps):
        w = op.matvec(V[:, j])
        alpha[j] = V[:, j] @ w
        w -= alpha[j] * V[:, j]
        if j > 0:
            w -= beta[j - 1] * V[:, j - 1]
        if full:
            _orthogonalise(V[:, :j + 1], w)
        beta[j] = np.linalg.norm(w)
        scale = max(scale, abs(alpha[j]), beta[j])
        if beta[j] <= cut * scale:
            done = j + 1
            break
        if j + 1 < steps:
            V[:, j + 1] = w / beta[j]
    V, alpha, last, beta = V[:, :done], alpha[:done], float(beta[done - 1]), beta[:done - 1]
    T = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    return LanczosResult(T, alpha, beta, V, u, _loss_of_orthogonality(V), last, done, op.products - before)


# ------------------------------------------------------------------------------------------------
# top-k: thick-restart Lanczos
# ------------------------------------------------------------------------------------------------
class TopK(NamedTuple):
    """Eigenvalues in the order of ``which`` (LA: largest first; SA: smallest first; BE: ascending;
    LM: largest |λ| first), eigenvectors (n × k, or None), residuals ‖Av − λv‖ (measured when
    vectors were asked for, else the exact Lanczos-relation values β|e_mᵀy|), which converged,
    the products taken and the restarts."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray | None
    residuals: np.ndarray
    converged: np.ndarray
    matvecs: int
    restarts: int


def _wanted_order(theta: np.ndarray, which: str, count: int) -> np.ndarray:
    """Indices of the ``count`` Ritz values wanted first (theta ascending)."""
    m = theta.size
    if which == "LA":
        return np.arange(m - 1, m - 1 - count, -1)
    if which == "SA":
        return np.arange(count)
    if which == "LM":
        return np.argsort(-np.abs(theta), kind="stable")[:count]
    low = count // 2  # BE: half from each end, one more from the top when count is odd (ARPACK)
    return np.concatenate([np.arange(low), np.arange(m - (count - low), m)])


def lanczos_topk(matvec, n: int | None = None, k: int = 6, seed: int | None = 0, which: str = "LA",
                 tol: float = 1e-10, vectors: bool = False, basis: int | None = None,
                 maxiter: int = 1000) -> TopK:
    """The k extreme eigenpairs of a symmetric operator by thick-restart Lanczos (module docstring).

    ``which``: "LA" largest algebraic, "SA" smallest, "BE" both ends, "LM" largest magnitude.
    ``basis``: vectors held between restarts (default min(n, max(2k + 1, 20)), scipy's ``ncv``).
    ``maxiter``: restarts at most; pairs not converged by then are returned with converged False.
    """
    op = as_operator(matvec, n)
    n = op.n
    k = integer(k, "k (eigenpairs wanted)", low=1, high=n)
    which = choice(which, "which", ("LA", "SA", "BE", "LM"))
    tol = real(tol, "tol", low=0.0, low_open=True, high=1.0)
    vectors = flag(vectors, "vectors")
    m = integer(basis, "basis", low=k, high=n, allow_none=True)
    m = min(n, max(2 * k + 1, 20)) if m is None else m
    if m == k and m < n:
        raise ValueError(f"basis must exceed k when k < n (room to restart); got basis {m}, k {k}")
    maxiter = integer(maxiter, "maxiter", low=1)
    rng = np.random.default_rng(seed_(seed, generator=True))
    before = op.products

    Q = np.zeros((n, m), order="F")  # column-major: the leading columns Q[:, :j] are contiguous
    S = np.zeros((m, m))
    cut = BREAKDOWN * np.sqrt(n) * EPS
    Q[:, 0] = unit_start(op, None, rng)
    kept, restarts = 0, 0
    while True:
        # extend the basis from column `kept` to m, recording S = QᵀAQ column by column
        scale = float(np.max(np.abs(S[:kept, :kept]))) if kept else 0.0
        f, b = None, 0.0
        for j in range(kept, m):
            w = op.matvec(Q[:, j])
            h = _orthogonalise(Q[:, :j + 1], w)
            S[:j + 1, j] = h
            S[j, :j + 1] = h
            b = float(np.linalg.norm(w))
            scale = max(scale, float(np.max(np.abs(h))), b)
            if j + 1 == m:
                f = w / b if b > cut * scale else None
                break
            if b <= cut * scale:  # invariant space: continue from a fresh orthogonal direction
                b = 0.0
                w = rng.standard_normal(n)
                _orthogonalise(Q[:, :j + 1], w)
                Q[:, j + 1] = w / np.linalg.norm(w)
            else:
                Q[:, j + 1] = w / b
        theta, Y = np.linalg.eigh(S)
        if f is None:
            b = 0.0
        res = b * np.abs(Y[-1, :])
        floor = cut * float(np.max(np.abs(theta)))  # the rounding level of one product
        want = _wanted_order(theta, which, k)
        done = res[want] <= np.maximum(tol * np.abs(theta[want]), floor)
        if np.all(done) or m == n or restarts >= maxiter:
            break
        keep = _wanted_order(theta, which, min(m - 1, k + (m - k) // 2))
        Q[:, :keep.size] = Q @ Y[:, keep]  # (a new array, copied into the leading columns)
        S[:] = 0.0
        S[np.arange(keep.size), np.arange(keep.size)] = theta[keep]
        Q[:, keep.size] = f
        kept = keep.size + 0  # column keep.size holds f; the loop starts there
        restarts += 1

    lam = theta[want]
    if which == "BE":
        order = np.argsort(lam, kind="stable")
        want, lam, done = want[order], lam[order], done[order]
    vecs = Q @ Y[:, want] if vectors else None
    residuals = res[want]
    if vectors:
        AV = op.matmat(vecs)
        residuals = np.linalg.norm(AV - vecs * lam, axis=0)
        done = residuals <= np.maximum(tol * np.abs(lam), floor)
    return TopK(lam, vecs, residuals, done, op.products - before, restarts)
