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
the shared loop of :mod:`refopt.optim.descent`.

Stopping: ‖∇f‖ ≤ gtol in the norm ``norm`` (scipy's defaults: gtol = 1e-5, ∞-norm,
maxiter = 200 n). A failed line search, a step that does not move x, or a non-finite f or ∇f
ends the run with success=False and a message naming the iteration. With
``line_search=None`` the step is fixed (α = ``step``), the ablation of the OGR study; a fixed
step that increases f is accepted as is (that is the ablation's point), but a non-finite value
ends the run.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .descent import Method, compiled_path, descend, run_compiled
from .options import DEFAULTS
from .objective import Objective

__all__ = ["bfgs", "BFGS_OPTIONS"]

CURVATURE_EPS = 1e-10

BFGS_OPTIONS = DEFAULTS["bfgs"]


def _inverse_update(H: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Eq. (6.17): H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs), in O(n²)."""
    rho = 1.0 / (y @ s)
    Hy = H @ y
    return H - rho * (np.outer(Hy, s) + np.outer(s, Hy)) + (rho * rho * (y @ Hy) + rho) * np.outer(s, s)


def _damped(y: np.ndarray, s: np.ndarray, Bs: np.ndarray) -> np.ndarray:
    """Powell's damping (N&W Procedure 18.2): r = θ y + (1 − θ) B s, so that sᵀr ≥ 0.2 sᵀBs."""
    sBs, sy = s @ Bs, s @ y
    theta = 1.0 if sy >= 0.2 * sBs else 0.8 * sBs / (sBs - sy)
    return theta * y + (1.0 - theta) * Bs


class BFGS(Method):
    """The inverse-Hessian approximation H and its update (eqs. 6.17, 6.20, Procedure 18.2)."""

    def __init__(self, n: int, update: str = "skip", h0: str = "scaled"):
        self.H = np.eye(n)
        self.damped = update == "damped"
        self.scale_h0 = h0 == "scaled"
        self.scaled = not self.scale_h0  # True once H carries a scale (after eq. 6.20)
        self.nskip = 0

    @property
    def scaled_direction(self) -> bool:
        """α = 1 first once eq. 6.20 has given H a scale (see the module docstring)."""
        return self.scale_h0 and self.scaled

    def direction(self, x, f, g):
        p = -self.H @ g  # (6.18)
        if not g @ p < 0.0:  # H lost positive definiteness to rounding: restart from steepest descent
            self.H = np.eye(g.size)
            p = -g
        return p

    def update(self, s, y, alpha, g_old):
        if self.damped:
            y = _damped(y, s, -alpha * g_old)  # B s = −α g, since s = −α H g
        sy = y @ s
        with np.errstate(over="ignore"):  # ‖y‖ overflowing to inf means: skip the update
            threshold = CURVATURE_EPS * np.linalg.norm(s) * np.linalg.norm(y)
        if sy > threshold:
            if not self.scaled:
                self.H = (sy / (y @ y)) * np.eye(s.size)  # eq. (6.20)
                self.scaled = True
            self.H = _inverse_update(self.H, s, y)
        else:
            self.nskip += 1

    def estimate(self, x):
        return np.linalg.inv(self.H)

    def extras(self):
        return {"hess_inv": self.H, "nskip": self.nskip}


def bfgs(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with BFGS (Algorithm 6.1); ``options`` as in :data:`BFGS_OPTIONS`.

    For a TestFunction without a callback the compiled twin of this loop runs
    (:mod:`refopt.optim.descent_numba`; ``numba=False`` forces the plain loop)."""
    opt = {**BFGS_OPTIONS, **options}
    method = BFGS(x0.size, opt["update"], opt["h0"])
    if compiled_path(obj, opt, callback):
        return run_compiled(obj, x0, "bfgs", opt, line_search, CURVATURE_EPS)
    return descend(obj, x0, method, opt, line_search, callback)
