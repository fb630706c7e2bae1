"""``refopt.minimize`` — one front door to every method, scipy.optimize's conventions.

    minimize(fun, x0, method="bfgs", jac=None, hess=None, line_search="wolfe",
             options=None, callback=None, args=()) -> scipy.optimize.OptimizeResult

``fun`` is a callable (with ``jac`` a callable or ``True`` when fun returns (f, g), and ``hess``
where the method needs it), a :class:`~refopt.functions.TestFunction`, or a test function's
name (its hand-derived derivatives are used). Options keep scipy's names where scipy has the
same knob (gtol, norm, maxiter, c1, c2, disp); ``options={"trace": True}`` adds ``res.trace``.
Bad input raises ValueError / TypeError; a numerical failure mid-run returns success=False
with a message naming the iteration.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .bfgs import BFGS_OPTIONS, bfgs
from .gd import GD_OPTIONS, gd
from .newton import NEWTON_OPTIONS, newton
from .objective import Objective
from .ogr import OGR_DIAG_OPTIONS, OGR_OPTIONS, OGR_SUBSPACE_OPTIONS, ogr, ogr_diag, ogr_subspace

__all__ = ["minimize", "METHODS", "LINE_SEARCHES"]

METHODS = {
    "bfgs": (bfgs, BFGS_OPTIONS),
    "newton": (newton, NEWTON_OPTIONS),
    "gd": (gd, GD_OPTIONS),
    "ogr": (ogr, OGR_OPTIONS),
    "ogr-diag": (ogr_diag, OGR_DIAG_OPTIONS),
    "ogr-subspace": (ogr_subspace, OGR_SUBSPACE_OPTIONS),
}
LINE_SEARCHES = ("wolfe", "armijo", None)


def _x0(x0) -> np.ndarray:
    x = np.asarray(x0)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"x0 must be real numbers, got dtype {x.dtype}")
    x = np.array(x, dtype=np.float64).reshape(-1) if x.ndim <= 1 else None
    if x is None or x.size == 0:
        raise ValueError(f"x0 must be a non-empty 1-D array, got shape {np.shape(x0)}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 has non-finite entries")
    return x


def minimize(
    fun,
    x0,
    method: str = "bfgs",
    jac=None,
    hess=None,
    line_search: str | None = "wolfe",
    options: dict | None = None,
    callback: Callable | None = None,
    args: tuple = (),
) -> OptimizeResult:
    """Minimize ``fun`` from ``x0``; see the module docstring."""
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(f"unknown method {method!r}; available: {', '.join(METHODS)}")
    if line_search not in LINE_SEARCHES:
        raise ValueError(f"unknown line_search {line_search!r}; use 'wolfe', 'armijo' or None")
    solver, defaults = METHODS[method.lower()]
    options = dict(options or {})
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ValueError(f"unknown options for {method}: {unknown}; allowed: {sorted(defaults)}")
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable")
    x = _x0(x0)
    obj = Objective(fun, x.size, jac=jac, hess=hess, args=args)
    if obj.test_function is not None:
        x = obj.test_function._point(x)  # its own checks: shape and finiteness
    return solver(obj, x, line_search=line_search, callback=callback, **options)
