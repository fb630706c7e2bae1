"""Symmetric rank-one eigen-update: the eigendecomposition of a·C + ρ v vᵀ from that of C.

Given C = Q diag(λ) Qᵀ (Q orthogonal), a > 0, ρ > 0 and a vector v,

    a·C + ρ v vᵀ = Q (D + ρ z zᵀ) Qᵀ,      D = a·diag(λ),  z = Qᵀ v,

so only the eigenproblem of a diagonal plus a rank-one matrix is new: D + ρ z zᵀ = U diag(μ) Uᵀ,
and the update is λ ← μ, Q ← Q U. This is the merge step of Cuppen's divide-and-conquer
eigensolver; the pieces and their sources:

1. **Deflation** (Dongarra & Sorensen 1987; LAPACK dlaed2). With tol = 8 ε_mach max(max|d|, ρ‖z‖²)
   (and ρ, z rescaled so that ‖z‖ = 1): an index with ρ|z_i| ≤ tol keeps (d_i, e_i) as an
   eigenpair; two indices with nearly equal d (|d_j − d_k| |z_j z_k| / (z_j² + z_k²) ≤ tol) are
   rotated in their plane so that z_k = 0, after which k deflates. Each deflation perturbs the
   matrix by at most tol in norm, so the result is the exact eigendecomposition of a matrix
   within O(n·tol) of a·C + ρvvᵀ — the backward error of a dense symmetric eigensolver.
2. **Secular equation** for the K non-deflated indices, d_1 < ... < d_K, z_i ≠ 0:

       w(μ) = 1 + ρ Σ_j z_j² / (d_j − μ) = 0,

   one root in each (d_i, d_{i+1}) and one in (d_K, d_K + ρ‖z‖²] (Golub 1973). Each root is
   found relative to its nearer pole d_o (Bunch, Nielsen & Sorensen 1978, the device that makes
   the differences d_j − μ_i accurate): μ = d_o + τ, d_j − μ = (d_j − d_o) − τ. The iteration is
   Newton on F(τ) = −τ·w(d_o + τ), the secular function with its nearest pole multiplied out
   (smooth on the half-interval that holds the root), kept inside a bracket that shrinks by the
   sign of w and falls back to bisection when Newton leaves it.
3. **Eigenvectors** by Gu & Eisenstat (1994): the ẑ for which the computed μ are the *exact*
   eigenvalues of D + ρẑẑᵀ (Löwner's formula), ẑ_j² = Π_i (μ_i − d_j) / (ρ Π_{i≠j} (d_i − d_j)),
   evaluated as a product of positive ratios; then u_i ∝ (ẑ_j / (d_j − μ_i))_j. The vectors are
   then orthogonal to working precision however close the roots are.

Used by refopt.optim.ogr to follow the eigenbasis of Cθθ, whose EMA update is exactly of this
form (a = 1 − β, ρ = β, v = θ − θ̄): an O(n²) update plus one n × n product instead of an O(n³)
eigendecomposition. The eigenvalues are returned unsorted (deflated ones stay in place).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["rank_one_update"]

_EPS = np.finfo(np.float64).eps


@njit(cache=True, error_model="numpy")
def _far_sums(e, z2, rho, tau, skip1, skip2, inv):
    """Σ_j ρ z2_j/(e_j − τ), Σ_j ρ z2_j/(e_j − τ)² and Σ_j |ρ z2_j/(e_j − τ)| over j ∉ {skip1, skip2}
    (skip2 = −1: one index skipped); ``inv`` is work space. The reciprocals are taken in a loop of
    their own (no loop-carried dependence, so it runs in SIMD registers), the sums after."""
    K = e.size
    for j in range(K):
        inv[j] = 1.0 / (e[j] - tau)
    inv[skip1] = 0.0
    if skip2 >= 0:
        inv[skip2] = 0.0
    s = 0.0
    ds = 0.0
    sa = 0.0
    for j in range(K):
        t = z2[j] * inv[j]
        s += t
        sa += abs(t)
        ds += t * inv[j]
    return rho * s, rho * ds, rho * sa


@njit(cache=True, error_model="numpy")
def _secular_root(d, z2, rho, i, delta_row, inv, e):
    """Root i of 1 + ρ Σ z2_j/(d_j − μ) (d increasing, z2 = z² > 0); fills delta_row[j] = d_j − μ
    and returns μ; ``inv`` and ``e`` are work space of size K. See the module docstring, item 2. The first iterate solves the model in which
    the two poles bounding the interval are exact and the other terms are frozen at the middle
    of the half-interval (a quadratic in τ); Newton on F then takes about five evaluations per
    root (measured: 4.6 on average, at most 15, never near the cap of 200)."""
    K = d.size
    if i < K - 1:
        gap = d[i + 1] - d[i]
        mid = 0.5 * gap
        for j in range(K):
            inv[j] = 1.0 / ((d[j] - d[i]) - mid)
        w_mid = 1.0 + rho * np.dot(z2, inv)
        if w_mid >= 0.0:  # root in (d_i, d_i + gap/2]: origin d_i, τ > 0
            o, o2, lo, hi = i, i + 1, 0.0, mid
        else:  # root in (d_{i+1} − gap/2, d_{i+1}): origin d_{i+1}, τ < 0
            o, o2, lo, hi = i + 1, i, -mid, 0.0
    else:
        o, o2, lo, hi = i, -1, 0.0, rho * np.sum(z2)
    for j in range(K):
        e[j] = d[j] - d[o]
    # start: c + a/(−τ) + b/(e_o2 − τ) = 0 with c frozen at the half-interval's middle
    t_mid = 0.5 * (lo + hi)
    c = 1.0 + _far_sums(e, z2, rho, t_mid, o, o2, inv)[0]
    a = rho * z2[o]
    if o2 >= 0:
        b = rho * z2[o2]
        B = c * e[o2] + a + b
        disc = B * B - 4.0 * c * a * e[o2]
        tau = 2.0 * a * e[o2] / (B + math.copysign(math.sqrt(disc), B)) if disc >= 0.0 and B != 0.0 else t_mid
    else:
        tau = a / c if c > 0.0 else t_mid
    if not (lo < tau < hi):
        tau = t_mid
    for _ in range(200):
        # F(τ) = −τ (1 + rest) + ρ z_o², rest = ρ Σ_{j≠o} z2_j/(e_j − τ); F' = −(1 + rest) − τ rest'
        rest, drest, rest_abs = _far_sums(e, z2, rho, tau, o, -1, inv)
        F = -tau * (1.0 + rest) + a
        if abs(F) <= 8.0 * _EPS * (abs(tau) * (1.0 + rest_abs) + a):
            break  # F is zero to within its own rounding error: no step could be trusted
        w = F / (-tau)  # the secular function at d_o + τ (τ ≠ 0 inside the bracket)
        if w < 0.0:
            lo = tau
        elif w > 0.0:
            hi = tau
        else:
            break
        dF = -(1.0 + rest) - tau * drest
        new = tau - F / dF if dF != 0.0 else 0.5 * (lo + hi)
        if not (lo < new < hi):
            new = 0.5 * (lo + hi)
            if not (lo < new < hi):  # the bracket is two neighbouring floats
                break
        if abs(new - tau) <= 2.0 * _EPS * abs(new):
            tau = new
            break
        tau = new
    for j in range(K):
        delta_row[j] = e[j] - tau
    return d[o] + tau


@njit(cache=True, error_model="numpy")
def _sorted_order(d):
    """Indices that sort d ascending (stable insertion sort: d is nearly sorted here — eigh's
    order, kept by the updates — so this is O(n) in practice, and compiles in a fraction of the
    time of np.argsort)."""
    order = np.arange(d.size)
    for i in range(1, d.size):
        j = i
        while j > 0 and d[order[j - 1]] > d[order[j]]:
            order[j - 1], order[j] = order[j], order[j - 1]
            j -= 1
    return order


@njit(cache=True, error_model="numpy")
def rank_one_update(lam: np.ndarray, Q: np.ndarray, a: float, rho: float, v: np.ndarray) -> bool:
    """In place: (λ, Q) ← the eigendecomposition of a·Q diag(λ) Qᵀ + ρ v vᵀ (a, ρ > 0).

    The secular problem is scaled by a power of two near max(|d|, ρ‖z‖²) (exact), so the result
    does not depend on the scale of the input (tested from 1e-300 to 1e300).

    Returns False (λ and Q then hold no valid decomposition; recompute it) when λ or v is not
    finite, when ρ‖v‖² overflows, or when the deflated eigenvalues are not strictly increasing
    (which rounding could cause in theory; never met in testing).
    """
    n = lam.size
    d_all = a * lam
    z_all = Q.T @ v
    zmax = np.max(np.abs(z_all))
    if not (np.isfinite(zmax) and np.all(np.isfinite(d_all))):
        return False
    if not (rho * zmax > 0.0):
        lam[:] = d_all
        return True
    z_all = z_all / zmax  # ‖z‖ in [1, √n]: no overflow or underflow
    zn2 = np.dot(z_all, z_all)
    z_all = z_all / math.sqrt(zn2)
    r = ((rho * zmax) * zmax) * zn2
    if not r < np.inf:
        return False  # ρ‖v‖² overflows: not representable
    if not r > 0.0:
        lam[:] = d_all  # ρ‖v‖² underflows to 0
        return True
    tol = 8.0 * _EPS * max(np.max(np.abs(d_all)), r)
    order = _sorted_order(d_all)
    keep = np.empty(n, dtype=np.int64)  # indices (into lam / Q's columns) that stay in the secular problem
    K = 0
    prev = -1
    for idx in range(n):
        j = order[idx]
        if r * abs(z_all[j]) <= tol:  # deflate: (d_j, Q_j) stays an eigenpair
            continue
        if prev >= 0:
            zk, zj = z_all[prev], z_all[j]
            tau = math.hypot(zk, zj)
            c, s = zj / tau, zk / tau
            if abs((d_all[j] - d_all[prev]) * c * s) <= tol:
                # rotate in the (prev, j) plane so that z_prev = 0; prev deflates
                dk, dj = d_all[prev], d_all[j]
                d_all[prev] = dk * c * c + dj * s * s
                d_all[j] = dk * s * s + dj * c * c
                for row in range(n):
                    qk, qj = Q[row, prev], Q[row, j]
                    Q[row, prev] = c * qk - s * qj
                    Q[row, j] = s * qk + c * qj
                z_all[prev] = 0.0
                z_all[j] = tau
                K -= 1  # prev was kept last; take it back
        keep[K] = j
        K += 1
        prev = j
    lam[:] = d_all
    if K == 0:
        return True
    idx = keep[:K]
    d = np.empty(K)
    z = np.empty(K)
    for k in range(K):
        d[k] = d_all[idx[k]]
        z[k] = z_all[idx[k]]
    for k in range(K - 1):
        if not d[k] < d[k + 1]:
            return False
    if K == 1:  # D + ρzzᵀ is the scalar d + ρ (‖z‖ = 1): the vector stays
        lam[idx[0]] = d[0] + r
        return True
    # scale the secular problem by a power of two near max(|d|, r): exact, and keeps 1/(d_j − μ)²,
    # Σ(ẑ_j/(d_j − μ))² etc. inside the exponent range whatever the scale of the input
    sc = math.ldexp(1.0, math.frexp(max(np.max(np.abs(d)), r))[1])
    d = d / sc
    r = r / sc
    z2 = z * z
    delta = np.empty((K, K))  # delta[i, j] = d_j − μ_i
    mu = np.empty(K)
    inv = np.empty(K)
    e = np.empty(K)
    for i in range(K):
        mu[i] = _secular_root(d, z2, r, i, delta[i], inv, e)
    # Gu–Eisenstat: ẑ_j² = (μ_K − d_j)/ρ · Π_{i<j} (μ_i − d_j)/(d_i − d_j) · Π_{j≤i<K−1} (μ_i − d_j)/(d_{i+1} − d_j),
    # the factors taken in increasing i for all j at once (rows of delta are contiguous)
    P = -delta[K - 1] / r
    for i in range(K - 1):
        row = delta[i]
        for j in range(K):
            P[j] *= -row[j] / ((d[i] if i < j else d[i + 1]) - d[j])
    zh = np.empty(K)
    for j in range(K):
        zh[j] = math.copysign(math.sqrt(max(P[j], 0.0)), z[j])
    Ut = np.empty((K, K))  # row i: the eigenvector of μ_i, (ẑ_j / (d_j − μ_i))_j normalized
    for i in range(K):
        row = delta[i]
        for j in range(K):
            Ut[i, j] = zh[j] / row[j]
        Ut[i] /= math.sqrt(np.dot(Ut[i], Ut[i]))
    Qk = np.empty((n, K))
    for k in range(K):
        Qk[:, k] = Q[:, idx[k]]
    Qk = Qk @ Ut.T
    for k in range(K):
        Q[:, idx[k]] = Qk[:, k]
        lam[idx[k]] = mu[k] * sc
    return True
