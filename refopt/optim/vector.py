"""Two vector idioms of the line searches, named so that each target compiles them its own way.

    axpy(x_t, x, α, p)   x_t ← x + α p        all_finite(v)   every entry of v is finite

On the CPU (plain Python and Numba) they are the NumPy expressions below. CUDA device code cannot
form the temporary arrays these expressions make, so :mod:`refopt.gpu.device_numpy` gives the
CUDA target the same operations entry by entry (the same arithmetic: one multiply and one add per
entry); that is what lets the multi-start kernels run the very line searches ``minimize`` runs.
"""
from __future__ import annotations

import numpy as np
from numba.extending import register_jitable

__all__ = ["axpy", "all_finite"]


@register_jitable
def axpy(x_t, x, alpha, p):
    """x_t ← x + α p (in place). (``np.asarray`` changes nothing for an array; it lets the CUDA
    simulator's array views, which have no arithmetic of their own, run this line too.)"""
    x_t[:] = np.asarray(x) + alpha * np.asarray(p)


@register_jitable
def all_finite(v):
    """Whether every entry of v is finite."""
    return np.all(np.isfinite(np.asarray(v)))
