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
shared loop (:mod:`refopt.optim.descent`), starting from α = 1, the natural Newton step.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .descent import Method, compiled_path, descend, run_compiled
from .options import DEFAULTS
from .objective import Objective

__all__ = ["newton", "NEWTON_OPTIONS", "saddle_free", "shifted_cholesky_solve"]

NEWTON_OPTIONS = DEFAULTS["newton"]


def saddle_free(H: np.ndarray, eps: float) -> np.ndarray:
    """B = Q diag(max(|λ|, δ)) Qᵀ with δ = eps · max(1, max |λ|)."""
    lam, Q = np.linalg.eigh(H)
    floor = eps * max(1.0, float(np.max(np.abs(lam))))
    return (Q * np.maximum(np.abs(lam), floor)) @ Q.T


def shifted_cholesky_solve(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, float]:
    """Solve (H + τI) p = −g with τ from N&W Algorithm 3.3; returns (p, τ)."""
    d = np.diag(H)
    beta = 1e-3 * max(1.0, float(np.max(np.abs(d))))
    tau = 0.0 if np.min(d) > 0 else beta - float(np.min(d))
    eye = np.eye(H.shape[0])
    for _ in range(200):
        try:
            L = np.linalg.cholesky(H + tau * eye)
            break
        except np.linalg.LinAlgError:
            tau = max(2.0 * tau, beta)
    else:  # pragma: no cover - only for non-finite H, which the loop reports as NaN
        return np.full_like(g, np.nan), tau
    z = np.linalg.solve(L, -g)
    return np.linalg.solve(L.T, z), tau


class Newton(Method):
    scaled_direction = True

    def __init__(self, obj: Objective, modify: str, eps: float):
        self.obj, self.modify, self.eps = obj, modify, float(eps)
        self.B = None

    def direction(self, x, f, g):
        H = self.obj.hess(x)
        if not np.all(np.isfinite(H)):
            return np.full_like(g, np.nan)
        if self.modify == "saddle-free":
            self.B = saddle_free(H, self.eps)
            p = -np.linalg.solve(self.B, g)
        else:
            p, tau = shifted_cholesky_solve(H, g)
            self.B = H + tau * np.eye(g.size)
        return p

    def extras(self):
        return {"hess": self.B}


def newton(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with modified Newton; ``options`` as in :data:`NEWTON_OPTIONS`."""
    opt = {**NEWTON_OPTIONS, **options}
    if not obj.has_hess:
        raise ValueError("method 'newton' needs the Hessian: pass hess=callable (or a TestFunction)")
    method = Newton(obj, opt["modify"], opt["eps"])
    if compiled_path(obj, opt, callback):
        return run_compiled(obj, x0, f"newton {opt['modify']}", opt, line_search)
    return descend(obj, x0, method, opt, line_search, callback)
