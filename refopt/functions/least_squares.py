"""Assembly of a least-squares objective from its residuals (Moré, Garbow, Hillstrom 1981).

Every MGH problem is f(x) = Σ_i r_i(x)², with residuals r (m,), Jacobian J_ij = ∂r_i/∂x_j (m, n)
and residual Hessians ∇²r_i. Then, exactly,

    f = rᵀr,        ∇f = 2 Jᵀ r,        ∇²f = 2 (JᵀJ + S),   S = Σ_i r_i ∇²r_i.

A problem module derives r, J and S by hand and calls these helpers; they work for float64
and complex128 arrays alike (the complex-step check feeds complex x), so they use r·r, never |r|².
"""
import numpy as np
from numba import njit

__all__ = ["sum_of_squares", "ls_gradient", "ls_hessian"]


@njit(cache=True)
def sum_of_squares(r):
    """f = Σ r_i² (no conjugation: valid for complex-step input)."""
    s = r[0] * 0.0
    for i in range(r.shape[0]):
        s += r[i] * r[i]
    return s


@njit(cache=True)
def ls_gradient(r, J, g):
    """g ← 2 Jᵀ r."""
    m, n = J.shape
    for j in range(n):
        s = r[0] * 0.0
        for i in range(m):
            s += J[i, j] * r[i]
        g[j] = 2.0 * s


@njit(cache=True)
def ls_hessian(J, S, H):
    """H ← 2 (JᵀJ + S), with S = Σ_i r_i ∇²r_i already formed (symmetric)."""
    m, n = J.shape
    for j in range(n):
        for k in range(j + 1):
            s = S[j, k]
            for i in range(m):
                s += J[i, j] * J[i, k]
            H[j, k] = 2.0 * s
            H[k, j] = 2.0 * s
