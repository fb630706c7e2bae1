"""BFGS — Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), Algorithm 6.1.

With H_k the approximation of the *inverse* Hessian:

    p_k = −H_k ∇f_k                                   (6.18)
    x_{k+1} = x_k + α_k p_k,  α_k from a line search (strong Wolfe by default, c1 = 1e-4, c2 = 0.9)
    s_k = x_{k+1} − x_k,  y_k = ∇f_{k+1} − ∇f_k,  ρ_k = 1 / (y_kᵀ s_k)
    H_{k+1} = (I − ρ_k s_k y_kᵀ) H_k (I − ρ_k y_k s_kᵀ) + ρ_k s_k s_kᵀ      (6.17)

expanded as H⁺ = H − ρ (H y sᵀ + s yᵀH) + (ρ² yᵀH y + ρ) s sᵀ (one matrix-vector product).
H_0 = I, rescaled before the first update to (yᵀs / yᵀy) I (eq. 6.20).

Initial trial step of the line search (N&W §3.5): α = 1 is the natural step of a quasi-Newton
method and is tried whenever it is plausible, but a first step −g with H_0 = I has no scale: a
huge gradient would throw the iterate far away (Jennrich–Sampson from x0 lands on its plateau
f = 2020). So α_init = min(1, 1.01 · 2 (f_k − f_{k−1}) / ∇f_kᵀp_k) (eq. 3.60, capped at 1 as N&W
recommend for quasi-Newton methods), with f_{−1} = f_0 + ‖∇f_0‖₂ / 2 on the first iteration, which
makes the first trial step 1.01/‖∇f_0‖₂, of length about one (the convention scipy follows too).

When yᵀs is not safely positive — yᵀs ≤ ε_curv ‖s‖ ‖y‖ with ε_curv = 1e-10 (a Wolfe step
guarantees yᵀs > 0, an Armijo or fixed step does not) — the update is either skipped
(``update="skip"``, the default) or damped (``update="damped"``, Powell's rule, N&W Procedure
18.2): with B = H⁻¹, r = θ y + (1 − θ) B s where θ = 1 if sᵀy ≥ 0.2 sᵀBs, else
θ = 0.8 sᵀBs / (sᵀBs − sᵀy), and r replaces y. Since s = −α H g, B s = −α g exactly, so damping
needs no inverse. The skipped count is reported in ``nskip``.

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

from .linesearch import armijo, strong_wolfe
from .objective import Objective, finite
from .trace import Trace, hessian_error

__all__ = ["bfgs", "BFGS_OPTIONS"]

CURVATURE_EPS = 1e-10

BFGS_OPTIONS = {
    "gtol": 1e-5,
    "norm": np.inf,
    "maxiter": None,  # 200 n
    "c1": 1e-4,
    "c2": 0.9,
    "step": 1.0,
    "update": "skip",
    "trace": False,
    "disp": False,
}

STATUS = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of iterations has been exceeded.",
    2: "Line search failed.",
    3: "NaN or inf encountered.",
    4: "No progress: the step did not change x.",
}


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


def bfgs(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize with BFGS (Algorithm 6.1); ``options`` as in :data:`BFGS_OPTIONS`."""
    opt = {**BFGS_OPTIONS, **options}
    n = x0.size
    maxiter = 200 * n if opt["maxiter"] is None else int(opt["maxiter"])
    if opt["update"] not in ("skip", "damped"):
        raise ValueError(f"options['update'] must be 'skip' or 'damped', got {opt['update']!r}")
    gnorm = lambda g: float(np.linalg.norm(g, ord=opt["norm"]))  # noqa: E731
    trace = Trace() if opt["trace"] else None
    exact = obj.exact_hessian if (trace is not None and obj.has_hess) else None

    x = x0.copy()
    f, g = obj.fg(x)
    f_prev = f + 0.5 * float(np.linalg.norm(g))
    H = np.eye(n)
    scaled = False
    nskip = 0
    status, detail, k = None, "", 0
    if not finite(f, g):
        status, detail = 3, "at the starting point"
    if trace is not None:
        trace.record(x, f, gnorm(g), hess_error=hessian_error(np.linalg.inv(H), exact(x)) if exact else np.nan)

    while status is None:
        if gnorm(g) <= opt["gtol"]:
            status = 0
            break
        if k >= maxiter:
            status = 1
            break
        p = -H @ g
        if not g @ p < 0.0:  # H lost positive definiteness to rounding: restart from steepest descent
            H, p = np.eye(n), -g
        slope = float(g @ p)
        alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / slope) if f_prev > f else 1.0
        if line_search == "wolfe":
            ls = strong_wolfe(obj.fg, x, p, f, g, alpha0=alpha_init, c1=opt["c1"], c2=opt["c2"])
        elif line_search == "armijo":
            ls = armijo(obj.fg, x, p, f, g, alpha0=alpha_init, c1=opt["c1"])
        else:
            alpha = float(opt["step"])
            x_new = x + alpha * p
            f_new, g_new = obj.fg(x_new)
            ls = OptimizeResult(alpha=alpha, x=x_new, f=f_new, g=g_new, success=True, message="")
        k += 1
        if not ls.success:
            status, detail = 2, f"at iteration {k}: {ls.message}"
            break
        if not finite(ls.f, ls.g):
            status, detail = 3, f"at iteration {k} (f = {ls.f})"
            break
        s, y = ls.x - x, ls.g - g
        if not np.any(s):
            status, detail = 4, f"at iteration {k}"
            break
        Bs = -ls.alpha * g  # B s with B = H⁻¹, since s = −α H g
        f_prev = f
        x, f, g = ls.x, ls.f, ls.g
        if opt["update"] == "damped":
            y = _damped(y, s, Bs)
        sy = y @ s
        if sy > CURVATURE_EPS * np.linalg.norm(s) * np.linalg.norm(y):
            if not scaled:
                H = (sy / (y @ y)) * np.eye(n)  # eq. (6.20)
                scaled = True
            H = _inverse_update(H, s, y)
        else:
            nskip += 1
        if trace is not None:
            err = hessian_error(np.linalg.inv(H), exact(x)) if exact else np.nan
            trace.record(x, f, gnorm(g), step=ls.alpha, hess_error=err)
        if callback is not None:
            callback(x.copy())

    message = STATUS[status] + (f" ({detail})" if detail else "")
    if opt["disp"]:
        print(f"{message}\n  f = {f:.6e}, iterations {k}, nfev {obj.nfev}, njev {obj.njev}")
    res = OptimizeResult(
        x=x, fun=f, jac=g, hess_inv=H, nit=k, nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev,
        status=status, success=status == 0, message=message, nskip=nskip,
    )
    if trace is not None:
        res.trace = trace.as_arrays()
    return res
