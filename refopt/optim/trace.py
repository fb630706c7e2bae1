"""The per-iteration record an optimizer keeps when ``options={"trace": True}``.

Row k describes the iterate after k iterations: x_k, f_k, ‖g_k‖ (in the norm of the stopping
test), the step length α used to reach it (NaN for k = 0), and — when the exact Hessian is
known — the relative error of the method's Hessian estimate, ‖Ĥ_k − ∇²f(x_k)‖_F / ‖∇²f(x_k)‖_F
(NaN where the method has no estimate or no exact Hessian exists), and the number of function
evaluations spent so far (``nfev``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Trace", "hessian_error"]


def hessian_error(H_hat: np.ndarray, H: np.ndarray) -> float:
    """‖Ĥ − H‖_F / ‖H‖_F (‖Ĥ‖_F when H = 0)."""
    scale = np.linalg.norm(H)
    err = np.linalg.norm(H_hat - H)
    return float(err / scale) if scale > 0 else float(err)


@dataclass
class Trace:
    """Columns as lists while running; ``as_arrays()`` for the result."""

    x: list = field(default_factory=list)
    f: list = field(default_factory=list)
    gnorm: list = field(default_factory=list)
    step: list = field(default_factory=list)
    hess_error: list = field(default_factory=list)
    nfev: list = field(default_factory=list)

    def record(self, x, f, gnorm, step=np.nan, hess_error=np.nan, nfev=0) -> None:
        self.x.append(np.array(x, dtype=np.float64))
        self.f.append(float(f))
        self.gnorm.append(float(gnorm))
        self.step.append(float(step))
        self.hess_error.append(float(hess_error))
        self.nfev.append(int(nfev))

    def as_arrays(self) -> dict:
        return {
            "x": np.array(self.x),
            "f": np.array(self.f),
            "gnorm": np.array(self.gnorm),
            "step": np.array(self.step),
            "hess_error": np.array(self.hess_error),
            "nfev": np.array(self.nfev),
        }
