r"""Numerical rank with the rule stated and the gap that makes it believable.

The singular values σ₁ ≥ … ≥ σ_p of H (for a symmetric H, the |eigenvalues|, from ``eigvalsh``)
are counted above the threshold

    tol = σ₁ · max(rows, cols) · ε        (ε = 2⁻⁵² the float64 epsilon)

unless ``tol`` is given — the rule of LAPACK's and NumPy's ``matrix_rank`` (Golub & Van Loan,
*Matrix Computations*, §5.4.1; Press et al., *Numerical Recipes*, §2.6): a matrix formed in float64
carries entry errors of order ε‖H‖, which perturb singular values by up to that much times a
modest factor. The count alone can mislead near the threshold, so the result reports the gap
σ_r / σ_{r+1} around the cut: a rank is well determined when the gap is many orders of magnitude
(a teacher–student Hessian shows ~10¹⁰ and more), and doubtful when it is near 1.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..arguments import real, real_array
from .operator import SYMMETRY_RTOL

__all__ = ["numerical_rank", "RankResult"]


class RankResult(NamedTuple):
    """rank r; the threshold used; the singular values (descending); gap = σ_r / σ_{r+1}
    (inf when r = min(rows, cols) or σ_{r+1} = 0; nan when r = 0)."""

    rank: int
    tol: float
    singular_values: np.ndarray
    gap: float


def numerical_rank(H, tol: float | None = None) -> RankResult:
    """The number of singular values of H above ``tol`` (default: σ₁ · max(H.shape) · ε)."""
    A = real_array(H, "H", ndim=2)
    tol = real(tol, "tol", low=0.0, allow_none=True)
    scale = float(np.max(np.abs(A)))
    square = A.shape[0] == A.shape[1]
    if square and float(np.max(np.abs(A - A.T))) <= SYMMETRY_RTOL * scale:
        sv = np.sort(np.abs(np.linalg.eigvalsh(0.5 * (A + A.T))))[::-1]
    else:
        sv = np.linalg.svd(A, compute_uv=False)
    if tol is None:
        tol = float(sv[0]) * max(A.shape) * np.finfo(np.float64).eps
    r = int(np.sum(sv > tol))
    if r == 0:
        gap = float("nan")
    elif r == sv.size or sv[r] == 0.0:
        gap = float("inf")
    else:
        gap = float(sv[r - 1] / sv[r])
    return RankResult(r, float(tol), sv, gap)
