"""The OGR family's plain loop (being folded into :mod:`refopt.optim.loop`, the one loop that
BFGS, gradient descent and Newton already run, compiled and plain, from one source).

    x_{k+1} = x_k + α_k p_k,   p_k from the method,   α_k from a line search or fixed

A method supplies a :class:`Method` object — ``direction(x, f, g)`` gives p_k, ``update(s, y,
alpha, g_old)`` learns from the step (BFGS's secant update; nothing for Newton or GD), and
``estimate()`` its current Hessian estimate for the trace — and this module does the rest the
same way for all of them: the line search ("wolfe": strong Wolfe, N&W Alg. 3.5/3.6; "armijo":
backtracking, Alg. 3.1; None: the fixed step ``options["step"]``), the initial trial step, the
stopping test ‖∇f‖ ≤ gtol (norm ``norm``), the failure statuses with the iteration named, the
trace and the callback.

Initial trial step of the line search (N&W §3.5): α = 1 is tried whenever it is plausible, but a
first step with no curvature information (−g with H_0 = I) has no scale, and a huge gradient
would throw the iterate far away (Jennrich–Sampson from x0 lands on its plateau f = 2020). So
α_init = min(1, 1.01 · 2 (f_k − f_{k−1}) / ∇f_kᵀp_k) (eq. 3.60, capped at 1 as N&W recommend for
(quasi-)Newton methods), with f_{−1} = f_0 + ‖∇f_0‖₂ / 2, which makes the first trial step
1.01/‖∇f_0‖₂ long along −∇f_0 (the convention scipy follows too). Methods whose directions are
already scaled (Newton) set ``scaled_direction = True`` and always start from α = 1.

Box clamping (option ``bounds`` = (lo, hi), scalars or arrays of shape (n,)): each accepted
iterate is clamped into the box, x_{k+1} = min(max(x + αp, lo), hi), and f, ∇f are evaluated
again there when the clamp moved it (counted in nfev); s and y are taken between the clamped
iterates. This is the protocol of the OGR-vs-BFGS study (Przybysz, Kołek, Sobota & Duda 2025), not
a bound-constrained method: the stopping test still reads the full gradient, so a minimizer on the
boundary with a gradient pointing out of the box is not recognized (the run goes on to maxiter).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .linesearch import LineSearchResult, armijo, strong_wolfe
from .loop import STATUS, max_iterations
from .objective import Objective, finite
from .options import COMMON
from .trace import Trace, hessian_error

__all__ = ["Method", "descend", "compiled_path", "run_compiled", "max_iterations", "COMMON_OPTIONS", "STATUS"]

COMMON_OPTIONS = {key: default for key, (default, _) in COMMON.items()}
"""The options every method shares, with their defaults (checked in :mod:`refopt.optim.options`;
maxiter None means 200 n; numba: test functions run the compiled twin of this loop)."""



class Method:
    """What a line-search method supplies to :func:`descend` (override what applies)."""

    scaled_direction = False  # True: p already carries its length (Newton): start from α = 1

    def direction(self, x: np.ndarray, f: float, g: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def update(self, s: np.ndarray, y: np.ndarray, alpha: float, g_old: np.ndarray) -> None:
        """Learn from the accepted step s = x⁺ − x, y = ∇f⁺ − ∇f."""

    def estimate(self, x: np.ndarray) -> np.ndarray | None:
        """The method's current Hessian estimate at x (None if it keeps none)."""
        return None

    def extras(self) -> dict:
        """Method-specific fields of the result (e.g. BFGS's hess_inv)."""
        return {}


def _fixed_step(obj: Objective, x, p, alpha: float) -> LineSearchResult:
    x_new = x + alpha * p
    if not np.all(np.isfinite(x_new)):  # thrown to infinity: not evaluated; the run ends (status 3)
        return LineSearchResult(alpha, x_new, np.nan, np.full_like(x, np.nan), 0, True, "fixed step")
    f_new, g_new = obj.fg(x_new)
    return LineSearchResult(alpha, x_new, f_new, g_new, 1, True, "fixed step")


def compiled_path(obj: Objective, opt: dict, callback) -> bool:
    """Whether the compiled twin (:mod:`refopt.optim.descent_numba`) runs instead of this loop:
    for test functions, unless a callback (Python at every iteration) is given. (The options
    were checked by :func:`refopt.optim.options.check`.)"""
    if opt["trace"] and opt["numba"]:  # the compiled trace is preallocated: (maxiter + 1) rows
        if (max_iterations(opt, obj.n) + 1) * (obj.n + 5) * 8 > 2**28:
            return False  # over 256 MiB: the plain loop's trace grows as it goes instead
    return opt["numba"] and obj.test_function is not None and callback is None


def run_compiled(obj: Objective, x0: np.ndarray, method: str, opt: dict, line_search,
                 ogr_method: Method) -> OptimizeResult:
    """The compiled twin's result (imports Numba on first use)."""
    from .descent_numba import run_compiled as run

    return run(obj.test_function, x0, method, opt, line_search, ogr_method)


def _box(bounds, n: int):
    """(lo, hi) as float64 arrays of shape (n,), or None (checked by the options schema)."""
    if bounds is None:
        return None
    return tuple(np.broadcast_to(np.asarray(b, dtype=np.float64), (n,)) for b in bounds)


def descend(
    obj: Objective,
    x0: np.ndarray,
    method: Method,
    opt: dict,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
) -> OptimizeResult:
    """Run the shared loop; ``opt`` holds :data:`COMMON_OPTIONS` (and the method's own)."""
    n = x0.size
    maxiter = max_iterations(opt, n)
    norm = opt["norm"]
    trace = Trace() if opt["trace"] else None

    def record(x, f, g, alpha=np.nan):
        if trace is None:
            return
        H_hat = method.estimate(x)
        err = hessian_error(H_hat, obj.exact_hessian(x)) if (H_hat is not None and obj.has_hess) else np.nan
        trace.record(x, f, np.linalg.norm(g, ord=norm), step=alpha, hess_error=err, nfev=obj.nfev)

    box = _box(opt["bounds"], n)
    x = x0.copy() if box is None else np.clip(x0, *box)
    f, g = obj.fg(x)
    with np.errstate(over="ignore"):  # a huge ‖∇f_0‖ overflows to inf: then α_init = 1
        f_prev = f + 0.5 * float(np.linalg.norm(g))
    status, detail, k = None, "", 0
    if not finite(f, g):
        status, detail = 3, "at the starting point"
    else:
        record(x, f, g)

    while status is None:
        if np.linalg.norm(g, ord=norm) <= opt["gtol"]:
            status = 0
            break
        if k >= maxiter:
            status = 1
            break
        p = method.direction(x, f, g)
        k += 1
        if not np.all(np.isfinite(p)):
            status, detail = 3, f"in the search direction at iteration {k}"
            break
        if method.scaled_direction or not f_prev > f:
            alpha_init = 1.0
        else:
            alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / float(g @ p))
        if line_search == "wolfe":
            ls = strong_wolfe(obj.fg, x, p, f, g, alpha0=alpha_init, c1=opt["c1"], c2=opt["c2"])
        elif line_search == "armijo":
            ls = armijo(obj.fg, x, p, f, g, alpha0=alpha_init, c1=opt["c1"])
        else:
            ls = _fixed_step(obj, x, p, float(opt["step"]))
        if not ls.success:
            status, detail = 2, f"at iteration {k}: {ls.message}"
            break
        if box is not None and finite(ls.f, ls.g):
            x_box = np.clip(ls.x, *box)
            if not np.array_equal(x_box, ls.x):
                ls.x = x_box
                ls.f, ls.g = obj.fg(x_box)
        if not finite(ls.f, ls.g):
            status, detail = 3, f"at iteration {k} (f = {ls.f})"
            break
        s, y = ls.x - x, ls.g - g
        if not np.any(s):
            status, detail = 4, f"at iteration {k}"
            break
        g_old = g
        f_prev = f
        x, f, g = ls.x, ls.f, ls.g
        method.update(s, y, ls.alpha, g_old)
        record(x, f, g, ls.alpha)
        if callback is not None:
            callback(x.copy())

    message = STATUS[status] + (f" ({detail})" if detail else "")
    if opt["disp"]:
        print(f"{message}\n  f = {f:.6e}, iterations {k}, nfev {obj.nfev}, njev {obj.njev}, nhev {obj.nhev}")
    res = OptimizeResult(
        x=x, fun=f, jac=g, nit=k, nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev,
        status=status, success=status == 0, message=message, **method.extras(),
    )
    if trace is not None:
        res.trace = trace.as_arrays()
    return res
