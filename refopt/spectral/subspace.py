r"""Overlap of two k-dimensional subspaces (Gur-Ari, Roberts & Dyer 2018; Wu et al. 2020, §4).

For orthonormal bases V₁, V₂ (n × k), overlap(V₁, V₂) = ‖V₁ᵀV₂‖²_F / k = (1/k) Σ cos²(principal
angles): 1 for the same subspace, 0 for orthogonal ones, and k/n in expectation for two
independent uniformly random subspaces (the baseline a measured overlap is read against).
Columns must be orthonormal: max |VᵀV − I| ≤ ``ORTHONORMAL_TOL``, else ValueError (a
non-orthonormal basis would give a number with no meaning).
"""
from __future__ import annotations

import numpy as np

from ..arguments import real_array

__all__ = ["overlap", "ORTHONORMAL_TOL"]

ORTHONORMAL_TOL = 1e-8


def _basis(V, name: str) -> np.ndarray:
    V = real_array(V, name)
    if V.ndim == 1:
        V = V.reshape(-1, 1)
    if V.ndim != 2:
        raise ValueError(f"{name} must be an n x k array of orthonormal columns (or one unit vector); got shape {V.shape}")
    n, k = V.shape
    if k > n:
        raise ValueError(f"{name} must have at most as many columns as rows (n x k, k <= n); got shape {V.shape}")
    err = float(np.max(np.abs(V.T @ V - np.eye(k))))
    if err > ORTHONORMAL_TOL:
        raise ValueError(f"{name} must have orthonormal columns: max |V^T V - I| <= {ORTHONORMAL_TOL:g}; "
                         f"got {err:.3g}")
    return V


def overlap(V1, V2) -> float:
    """‖V₁ᵀV₂‖²_F / k for two orthonormal n × k bases (a 1-D array is one unit vector, k = 1)."""
    V1, V2 = _basis(V1, "V1"), _basis(V2, "V2")
    if V1.shape != V2.shape:
        raise ValueError(f"V1 and V2 must have the same shape (n, k); got {V1.shape} and {V2.shape}")
    return float(np.sum((V1.T @ V2) ** 2) / V1.shape[1])
