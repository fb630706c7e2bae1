"""Newton's method with the exact Hessian, made safe where ∇²f is not positive definite.

    p_k = −B_k⁻¹ ∇f_k,   B_k a positive definite modification of ∇²f(x_k)

Two modifications (``options["modify"]``):

* ``"saddle-free"`` (default): with ∇²f = Q diag(λ) Qᵀ, B = Q diag(max(|λ_i|, δ)) Qᵀ — negative
  curvature is turned into ascent-free descent (Dauphin et al. 2014, "saddle-free Newton"; the
  modification of N&W §3.4, eq. 3.41 with absolute values), δ = ``eps`` · max(1, max_i |λ_i|).
* ``"lm"``: Levenberg–Marquardt shift B = ∇²f + τ I, with τ found as in N&W Algorithm 3.3
  (Cholesky with added multiple of the identity): τ = 0 if every diagonal entry is positive, else
  τ = β − min_i a_ii; while the Cholesky factorization fails, τ ← max(2τ, β); β = 1e-3 ·
  max(1, max_i |a_ii|) (N&W take β = 1e-3 for a well-scaled matrix; refopt scales it).

Where ∇²f is positive definite both give the pure Newton step. Newton keeps no Hessian estimate
(it uses the exact one), so its trace has no Hessian-estimate error; ``res.hess`` is the last B. The step length comes from the
shared loop (:mod:`refopt.optim.loop`), starting from α = 1, the natural Newton step.
"""
from __future__ import annotations

import math
import sys
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import register_jitable

from .loop import Loop, hess
from .options import COMMON, UNIT_OPEN, choice

__all__ = ["OPTIONS", "State", "Params", "saddle_free", "shifted_cholesky_solve", "shifted_cholesky_into",
           "cholesky_into", "cholesky_solve_into"]

OPTIONS = {**COMMON, "modify": ("saddle-free", choice("saddle-free", "lm")), "eps": (1e-8, UNIT_OPEN)}
NEEDS_HESSIAN = True


@njit(cache=True, error_model="numpy")
def saddle_free(H: np.ndarray, eps: float) -> np.ndarray:
    """B = Q diag(max(|λ|, δ)) Qᵀ with δ = eps · max(1, max |λ|)."""
    lam, Q = np.linalg.eigh(H)
    floor = eps * max(1.0, np.max(np.abs(lam)))
    return (Q * np.maximum(np.abs(lam), floor)) @ Q.T


@njit(cache=True, error_model="numpy")
def saddle_free_step(H: np.ndarray, g: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """(B, p = −B⁻¹g) for the saddle-free B; p is NaN where |λ| overflowed (LAPACK refuses
    non-finite input). Compiled, and called so by both runs: NumPy's and Numba's LAPACK builds
    part in the last bits, and an eigendecomposition passes that on to the iterates."""
    B = saddle_free(H, eps)
    if not np.all(np.isfinite(B)):
        return B, np.full(g.size, np.nan)
    return B, -np.linalg.solve(B, g)


@register_jitable
def cholesky_into(A: np.ndarray, L: np.ndarray) -> bool:
    """L lower triangular with L Lᵀ = A, row by row (Cholesky–Banachiewicz; Golub & Van Loan §4.2),
    written into L (its upper triangle set to 0); False at the first pivot that is not positive (or
    not finite): A is not positive definite. Each entry is one dot product of two contiguous rows,
    so the compiled and the plain run factor in the same arithmetic (LAPACK's potrf, as NumPy and
    Numba call it, does not). No allocation: the multi-start kernels of :mod:`refopt.gpu` run it
    on the GPU as it is."""
    n = A.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            L[i, j] = 0.0
    for i in range(n):
        for j in range(i + 1):
            s = A[i, j] - np.dot(L[i, :j], L[j, :j]) if j > 0 else A[i, j]
            if i == j:
                if not s > 0.0:
                    return False
                L[i, i] = math.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    return True


@register_jitable
def cholesky_solve_into(L: np.ndarray, b: np.ndarray, z: np.ndarray, U: np.ndarray, x: np.ndarray) -> None:
    """x with L Lᵀ x = b: forward substitution into z, then back substitution with U ← Lᵀ (workspace),
    both by dot products of contiguous rows (z may be b)."""
    n = b.size
    for i in range(n):
        z[i] = (b[i] - np.dot(L[i, :i], z[:i]) if i > 0 else b[i]) / L[i, i]
    for i in range(n):
        for j in range(n):
            U[i, j] = L[j, i]
    for i in range(n - 1, -1, -1):
        x[i] = (z[i] - np.dot(U[i, i + 1:], x[i + 1:]) if i < n - 1 else z[i]) / U[i, i]


@register_jitable
def shifted_cholesky_into(H: np.ndarray, g: np.ndarray, A: np.ndarray, L: np.ndarray, z: np.ndarray,
                          p: np.ndarray) -> float:
    """Solve (H + τI) p = −g with τ from N&W Algorithm 3.3 into p (A = H + τI, L its factor and z
    are workspace); returns τ. p is NaN when no τ was found (only for a non-finite H, which the
    loop reports as NaN)."""
    n = g.size
    d_min, d_max = math.inf, 0.0
    for i in range(n):
        d_min = min(d_min, H[i, i])
        d_max = max(d_max, abs(H[i, i]))
    beta = 1e-3 * max(1.0, d_max)
    tau = 0.0 if d_min > 0 else beta - d_min
    for _ in range(200):
        for i in range(n):
            for j in range(n):
                A[i, j] = H[i, j]
            A[i, i] = H[i, i] + tau
        if cholesky_into(A, L):
            for i in range(n):
                z[i] = -g[i]
            cholesky_solve_into(L, z, z, A, p)  # A, factored, is free: it takes Lᵀ
            return tau
        tau = max(2.0 * tau, beta)
    for i in range(n):
        p[i] = math.nan
    return tau


@register_jitable
def shifted_cholesky_solve(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, float]:
    """(p, τ) with (H + τI) p = −g, τ from N&W Algorithm 3.3 (:func:`shifted_cholesky_into`)."""
    n = g.size
    A, L, z, p = np.empty((n, n)), np.empty((n, n)), np.empty(n), np.empty(n)
    tau = shifted_cholesky_into(H, g, A, L, z, p)
    return p, tau


class State(NamedTuple):
    B: np.ndarray      # the last modified Hessian (the result's ``hess``)
    Hx: np.ndarray     # ∇²f(x_k), work space
    evaluated: bool    # whether a Hessian was evaluated yet


class Params(NamedTuple):
    lm: bool     # modify="lm" (else saddle-free)
    eps: float   # the saddle-free floor


def params(opt: dict, n: int, line_search) -> Params:
    return Params(opt["modify"] == "lm", float(opt["eps"]))


def init(params, x, f, g):
    n = x.size
    return State(np.eye(n), np.empty((n, n)), False)


def direction(state, params, ev, x, f, g):
    """p = −B⁻¹∇f with B the chosen modification of ∇²f(x); p carries its own length."""
    H = state.Hx
    hess(ev, x, H)
    if not np.all(np.isfinite(H)):
        return State(state.B, H, True), np.full(g.size, np.nan), True
    if params.lm:
        p, tau = shifted_cholesky_solve(H, g)
        B = H + tau * np.eye(g.size)
    else:
        B, p = saddle_free_step(H, g, params.eps)
    return State(B, H, True), p, True


def update(state, params, s, y, alpha, x_old, g_old):
    """Newton keeps no estimate: nothing to learn from the step."""
    return state


def estimate(state, params, x):
    """None: Newton uses the exact Hessian."""
    return False, state.B


def extras(state) -> dict:
    return {"hess": state.B if state.evaluated else None}


LOOP = Loop(sys.modules[__name__])
