"""Gradient descent: p_k = −∇f_k, with a line search or a fixed step (``options["step"]``).

The baseline of every comparison (N&W §3.3: linear convergence at rate ((κ−1)/(κ+1))² with
exact line searches on a quadratic of condition number κ). The shared loop is
:mod:`refopt.optim.descent`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from .descent import Method, compiled_path, descend, run_compiled
from .options import DEFAULTS
from .objective import Objective

__all__ = ["gd", "GD_OPTIONS"]

GD_OPTIONS = DEFAULTS["gd"]


class SteepestDescent(Method):
    def direction(self, x, f, g):
        return -g


def gd(
    obj: Objective,
    x0: np.ndarray,
    line_search: str | None = "wolfe",
    callback: Callable | None = None,
    **options,
) -> OptimizeResult:
    """Minimize by gradient descent; ``options`` as in :data:`GD_OPTIONS`."""
    opt = {**GD_OPTIONS, **options}
    if compiled_path(obj, opt, callback):
        return run_compiled(obj, x0, "gd", opt, line_search)
    return descend(obj, x0, SteepestDescent(), opt, line_search, callback)
