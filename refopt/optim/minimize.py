"""``refopt.minimize`` — one front door to every method, scipy.optimize's conventions.

    minimize(fun, x0, method="bfgs", jac=None, hess=None, line_search="wolfe",
             options=None, callback=None, args=(), hessp=None) -> scipy.optimize.OptimizeResult

``fun`` is a callable (with ``jac`` a callable or ``True`` when fun returns (f, g), and ``hess``
or ``hessp`` where the method needs them), a :class:`~refopt.functions.TestFunction`, a test
function's name (its hand-derived derivatives are used), or a differentiable objective such as
:class:`refopt.nn.NetworkObjective` (:mod:`refopt.optim.objective`). Options keep scipy's names where scipy has the
same knob (gtol, norm, maxiter, c1, c2, disp); ``options={"trace": True}`` adds ``res.trace``.
Bad input raises ValueError / TypeError naming the argument (every option is checked by
:mod:`refopt.optim.options`, for the plain and the compiled loop alike); a numerical failure
mid-run returns success=False with a message naming the iteration.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .. import arguments
from . import options as schema
from . import bfgs, gd, newton, ogr, ogr_diag, ogr_subspace, partition_newton
from .objective import Objective

__all__ = ["minimize", "METHODS", "LINE_SEARCHES"]

METHODS = {"bfgs": bfgs, "newton": newton, "gd": gd, "ogr": ogr, "ogr-diag": ogr_diag, "ogr-subspace": ogr_subspace,
           "partition-newton": partition_newton}
"""The methods: each a module of :mod:`refopt.optim` (its options ``OPTIONS``, its state and steps,
its ``LOOP``); adding a method is its file and its entry here."""
LINE_SEARCHES = ("wolfe", "armijo", None)


def _x0(x0) -> np.ndarray:
    x = arguments.real_array(x0, "x0")
    if x.ndim > 1:
        raise ValueError(f"x0 must be a 1-D array (or a scalar); got shape {x.shape}")
    return x.reshape(-1)


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
    hessp: Callable | None = None,
) -> OptimizeResult:
    """Minimize ``fun`` from ``x0``; see the module docstring."""
    method = arguments.choice(method.lower() if isinstance(method, str) else method, "method", tuple(METHODS))
    line_search = arguments.choice(line_search, "line_search", LINE_SEARCHES)
    arguments.function(callback, "callback", allow_none=True)
    args = arguments.args_tuple(args)
    x = _x0(x0)
    m = METHODS[method]
    opt = schema.check(method, m.OPTIONS, options, x.size)  # the same checked options for both runs
    if hessp is not None and not getattr(m, "HVP_SUFFICES", False):
        users = sorted(k for k, mod in METHODS.items() if getattr(mod, "HVP_SUFFICES", False))
        raise ValueError(f"hessp is used by {', '.join(users)} only; method '{method}' would ignore it")
    obj = Objective(fun, x.size, jac=jac, hess=hess, args=args, hessp=hessp)
    if m.NEEDS_HESSIAN and not (obj.has_hess or (getattr(m, "HVP_SUFFICES", False) and obj.has_hvp)):
        also = " or hessp=callable" if getattr(m, "HVP_SUFFICES", False) else ""
        raise ValueError(f"method '{method}' needs the Hessian: pass hess=callable{also} (or a TestFunction)")
    if hasattr(m, "complete"):  # options whose defaults or checks depend on the objective
        opt = m.complete(opt, obj)
    if obj.test_function is not None:
        x = obj.test_function._point(x)  # its own checks: shape and finiteness
    return m.LOOP.run(obj, x, opt, line_search, callback)
