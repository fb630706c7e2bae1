"""The four streaming recursions for logistic regression, each as a Numba loop and its NumPy twin.

Model: samples (Φ_k, Y_k) i.i.d. with Y | Φ ~ Bernoulli(π(θᵀΦ)),
π(x) = 1/(1 + e^{−x}). Each recursion reads the samples once, in order, and keeps a state of
O(d²) numbers (O(d) for SGD); k below is the *global* index of a sample (1, 2, ...), so a stream
fed in chunks gives the same numbers as one call (the caller passes ``n0``, the samples seen).

Shared pieces (symbols of the papers):

    π_k = π(θ_{k−1}ᵀΦ_k),   r_k = Y_k − π_k             prediction and residual
    S_k = S_{k−1} + c_k Φ_kΦ_kᵀ,   S_0 = I               the (unnormalised) Hessian estimate
    P = S⁻¹ by Sherman–Morrison, O(d²) a sample, no solve:
        u = P_{k−1}Φ_k,  q = Φ_kᵀu,  P_k = P_{k−1} − c_k u uᵀ / (1 + c_k q),  S_k⁻¹Φ_k = u / (1 + c_k q)

* **SN** (Bercu, Godichon-Baggioni & Portier 2020, "An efficient stochastic Newton algorithm for
  parameter estimation in logistic regressions", SIAM J. Control Optim. 58(1), the recursion
  and its truncated version): c_k = a_k = max(π_k(1 − π_k), c·k^{−b}), b ∈ (0, ½);
  θ_k = θ_{k−1} + S_k⁻¹Φ_k r_k.
* **Hybrid SN** (Bercu, Fredes & Gbaguidi 2025): c_k = α π_k(1 − π_k) + β r_k², no truncation.
  At the true θ, E[r_k² | Φ_k] = π_k(1 − π_k), so both terms estimate H = E[π(1 − π)ΦΦᵀ]; r_k²
  does not vanish where θ_{k−1} is far off (a confident wrong prediction gives r² ≈ 1), which is
  what the truncation is for in SN. θ_k = θ_{k−1} + S_k⁻¹Φ_k r_k.
* **WASN** (Boyer & Godichon-Baggioni 2023, "On the asymptotic rate of convergence of stochastic
  Newton algorithms and their weighted averaged versions", Comput. Optim. Appl. 84): a
  Newton step with the normalised estimate S̄_k = S_k/(k + 1) and a step γ_k = c_γ k^{−γ},
  γ ∈ (½, 1), θ_k = θ_{k−1} + γ_k S̄_k⁻¹ Φ_k r_k, and the weighted average
  θ̄_k = Σ_{j≤k} w_j θ_j / Σ_{j≤k} w_j, w_j = log(j + 1)^ω, computed as
  W_k = W_{k−1} + w_k, θ̄_k = θ̄_{k−1} + (w_k / W_k)(θ_k − θ̄_{k−1}), W_0 = 0, θ̄_0 = θ_0.
  Decision: the average runs over θ_1, ..., θ_k, never θ_0 (for ω > 0 the same as giving θ_0
  its weight log(1)^ω = 0; for ω = 0 it is the plain mean of θ_1..θ_k, not 0⁰ = 1 for θ_0).
  The Hessian weight is taken at the average: a_k = max(π(θ̄_{k−1}ᵀΦ_k)(1 − π(θ̄_{k−1}ᵀΦ_k)), c·k^{−b}). θ̄ is the estimate.
* **SGD** (the first-order baseline): θ_k = θ_{k−1} + γ_k Φ_k r_k, γ_k = c_γ k^{−γ}, optionally
  with the uniform (Polyak–Ruppert) average of θ_1..θ_k, θ̄_k = θ̄_{k−1} + (θ_k − θ̄_{k−1})/k.

Decision (the paper leaves it open for the hybrid; it is taken the same way for all three Newton
methods): **S is updated with the current sample before the step** (S_k, not S_{k−1}, in the step
of sample k), as Bercu, Godichon-Baggioni & Portier (2020) write SN. It costs nothing —
S_k⁻¹Φ_k = u/(1 + c_k q) comes out of the Sherman–Morrison update — and it damps the first steps:
‖S_k⁻¹Φ_k r_k‖ ≤ ‖u‖/(1 + c_k q).

How the loops are written (benchmarks/bench_stochastic.py measures them):
* no allocation per sample: the work vectors u, u_next, v are allocated once per call;
* one pass over P a sample: the rank-one update of sample k and the product P_kΦ_{k+1} that
  sample k + 1 needs are done together, row by row (:func:`_sherman_morrison_next`);
* P is kept exactly symmetric, and the symmetry is used for contiguous access:
  u = PΦ = Σ_j Φ_j P[j, :] runs over rows (vectorisable, no reduction), and the update is written
  P ← P − v vᵀ with v = u·√(c/(1 + cq)) (c ≥ 0, q ≥ 0), whose every entry v_i·v_j = v_j·v_i is
  symmetric to the bit;
* no fastmath: the loops keep IEEE semantics. The NumPy twins compute the same formulas with
  BLAS products (u = P @ Φ) and the plain update P −= (c/(1 + cq)) u uᵀ, so they differ from the
  loops in the order of summation and one rounding; tests/test_stochastic_recursions.py holds
  them equal to a relative 1e-12 after 2000 samples (measured: ≤ 7e-16).

Every loop returns −1, or the index (in the chunk) of the first sample at which a non-finite
value appeared (θᵀΦ or ΦᵀPΦ; the last index of the chunk when θ or P ends non-finite); the
caller then discards the state it passed in (it passes copies).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "sgd_loop", "sn_loop", "hybrid_loop", "wasn_loop",
    "sgd_numpy", "sn_numpy", "hybrid_numpy", "wasn_numpy",
    "sigmoid",
]

_INF = math.inf


# --------------------------------------------------------------------------- shared pieces
@njit(cache=True)
def sigmoid(z: float) -> float:
    """π(z) = 1 / (1 + e^{−z}); e^{−z} = inf for z < −709 gives 0, never NaN."""
    return 1.0 / (1.0 + math.exp(-z))


@njit(cache=True)
def _dot(a, b) -> float:
    s = 0.0
    for j in range(a.size):
        s += a[j] * b[j]
    return s


@njit(cache=True)
def _matvec(P, X, s, u) -> None:
    """u ← P X[s] as Σ_j X[s, j] P[j, :] (P symmetric: rows are columns; contiguous, no reduction)."""
    d = u.size
    for i in range(d):
        u[i] = 0.0
    for j in range(d):
        f = X[s, j]
        for i in range(d):
            u[i] += f * P[j, i]


@njit(cache=True)
def _sherman_morrison_next(P, u, c, q, v, X, s, u_next) -> None:
    """P ← P − c u uᵀ/(1 + cq), written P − v vᵀ with v = u √(c/(1 + cq)), and in the same pass
    over P the next sample's u_next = P X[s] (:func:`_matvec`'s order of summation, so results do
    not depend on where a stream is cut into chunks)."""
    d = u.size
    k = math.sqrt(c / (1.0 + c * q))
    for i in range(d):
        v[i] = k * u[i]
        u_next[i] = 0.0
    for j in range(d):
        vj = v[j]
        f = X[s, j]
        for i in range(d):
            t = P[j, i] - vj * v[i]
            P[j, i] = t
            u_next[i] += f * t


@njit(cache=True)
def _bad_end(n, theta, P) -> int:
    """After a chunk: n − 1 if θ or P holds a non-finite value (an overflow in the last sample's
    update shows up in θᵀΦ or ΦᵀPΦ of the next sample only), else −1."""
    s = 0.0
    for j in range(theta.size):
        s += theta[j] * 0.0
    for j in range(P.shape[0]):
        for i in range(P.shape[1]):
            s += P[j, i] * 0.0
    return -1 if s == 0.0 else n - 1


@njit(cache=True)
def _axpy(alpha, x, y) -> None:
    """y ← y + αx."""
    for j in range(y.size):
        y[j] += alpha * x[j]


@njit(cache=True)
def _average(theta_bar, theta, w, W) -> float:
    """W ← W + w; θ̄ ← θ̄ + (w/W)(θ − θ̄); returns the new W (w = 0 at W = 0 leaves θ̄)."""
    W += w
    if W > 0.0:
        f = w / W
        for j in range(theta.size):
            theta_bar[j] += f * (theta[j] - theta_bar[j])
    return W


# --------------------------------------------------------------------------- Numba loops
@njit(cache=True)
def sgd_loop(X, y, theta, theta_bar, n0, c_gamma, gamma, average):
    """SGD θ_k = θ_{k−1} + c_γ k^{−γ} Φ_k r_k (+ uniform average θ̄ if ``average``), in place."""
    n = X.shape[0]
    for i in range(n):
        k = n0 + i + 1
        phi = X[i]
        z = _dot(theta, phi)
        if not abs(z) < _INF:
            return i
        r = y[i] - sigmoid(z)
        _axpy(c_gamma * k ** (-gamma) * r, phi, theta)
        if average:
            _average(theta_bar, theta, 1.0, k - 1.0)
    return -1


@njit(cache=True)
def sn_loop(X, y, theta, P, n0, c, b):
    """Truncated stochastic Newton (Bercu et al. 2020); θ and P = S⁻¹ updated in place."""
    n, d = X.shape
    u, u_next, v = np.empty(d), np.empty(d), np.empty(d)
    if n > 0:
        _matvec(P, X, 0, u)
    for i in range(n):
        k = n0 + i + 1
        phi = X[i]
        z = _dot(theta, phi)
        p = sigmoid(z)
        a = max(p * (1.0 - p), c * k ** (-b))
        q = _dot(phi, u)  # u = P_{k−1}Φ_k
        if not (abs(z) < _INF and q < _INF):
            return i
        _sherman_morrison_next(P, u, a, q, v, X, min(i + 1, n - 1), u_next)
        _axpy((y[i] - p) / (1.0 + a * q), u, theta)  # S_k⁻¹Φ_k = u/(1 + aq)
        u, u_next = u_next, u
    return _bad_end(n, theta, P)


@njit(cache=True)
def hybrid_loop(X, y, theta, P, alpha, beta):
    """Hybrid stochastic Newton (Bercu, Fredes & Gbaguidi 2025); θ and P = S⁻¹ in place.

    The benchmarked kernel: :func:`_sherman_morrison_next` is written out inline here (the
    same arithmetic in the same order, so the same bits), measured 1.25–2x faster at d = 10 than
    the call."""
    n, d = X.shape
    u, u_next, v = np.empty(d), np.empty(d), np.empty(d)
    if n > 0:
        _matvec(P, X, 0, u)
    for i in range(n):
        phi = X[i]
        z = _dot(theta, phi)
        p = sigmoid(z)
        r = y[i] - p
        c = alpha * p * (1.0 - p) + beta * r * r
        q = _dot(phi, u)
        if not (abs(z) < _INF and q < _INF):
            return i
        nxt = X[min(i + 1, n - 1)]
        k = math.sqrt(c / (1.0 + c * q))
        for j in range(d):
            v[j] = k * u[j]
            u_next[j] = 0.0
        for j in range(d):
            Pj = P[j]
            vj = v[j]
            f = nxt[j]
            for l in range(d):
                t = Pj[l] - vj * v[l]
                Pj[l] = t
                u_next[l] += f * t
        g = r / (1.0 + c * q)
        for j in range(d):
            theta[j] += g * u[j]
        u, u_next = u_next, u
    return _bad_end(n, theta, P)


@njit(cache=True)
def wasn_loop(X, y, theta, theta_bar, P, W, n0, c_gamma, gamma, omega, c, b):
    """Weighted averaged SN (Boyer & Godichon-Baggioni 2023); θ, θ̄, P, W[0] in place."""
    n, d = X.shape
    u, u_next, v = np.empty(d), np.empty(d), np.empty(d)
    if n > 0:
        _matvec(P, X, 0, u)
    for i in range(n):
        k = n0 + i + 1
        phi = X[i]
        zbar = _dot(theta_bar, phi)
        pbar = sigmoid(zbar)
        a = max(pbar * (1.0 - pbar), c * k ** (-b))
        z = _dot(theta, phi)
        q = _dot(phi, u)
        if not (abs(z) < _INF and abs(zbar) < _INF and q < _INF):
            return i
        _sherman_morrison_next(P, u, a, q, v, X, min(i + 1, n - 1), u_next)
        # γ_k S̄_k⁻¹Φ_k r_k with S̄_k = S_k/(k + 1)
        _axpy(c_gamma * k ** (-gamma) * (k + 1.0) * (y[i] - sigmoid(z)) / (1.0 + a * q), u, theta)
        W[0] = _average(theta_bar, theta, math.log(k + 1.0) ** omega, W[0])
        u, u_next = u_next, u
    return _bad_end(n, theta, P)


# --------------------------------------------------------------------------- NumPy twins
# Same recursions, one sample at a time with NumPy operations (allocating, BLAS products): the
# reference the loops are held to, and the "pure NumPy" side of the benchmark.

def _sigmoid_np(z: float) -> float:
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-z)))


def _sm_numpy(P: np.ndarray, phi: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    with np.errstate(over="ignore", invalid="ignore"):  # reported by the caller as a failure
        u = P @ phi
        q = float(phi @ u)
        P -= (c / (1.0 + c * q)) * np.outer(u, u)
    return u, q


def _fail(z: float, q: float = 0.0) -> bool:
    return not (np.isfinite(z) and np.isfinite(q))


def sgd_numpy(X, y, theta, theta_bar, n0, c_gamma, gamma, average) -> int:
    for i in range(X.shape[0]):
        k = n0 + i + 1
        z = float(theta @ X[i])
        if _fail(z):
            return i
        theta += c_gamma * k ** (-gamma) * (y[i] - _sigmoid_np(z)) * X[i]
        if average:
            theta_bar += (theta - theta_bar) / k
    return -1


def sn_numpy(X, y, theta, P, n0, c, b) -> int:
    for i in range(X.shape[0]):
        k = n0 + i + 1
        z = float(theta @ X[i])
        p = _sigmoid_np(z)
        a = max(p * (1.0 - p), c * k ** (-b))
        u, q = _sm_numpy(P, X[i], a)
        if _fail(z, q):
            return i
        theta += (y[i] - p) / (1.0 + a * q) * u
    return -1


def hybrid_numpy(X, y, theta, P, alpha, beta) -> int:
    for i in range(X.shape[0]):
        z = float(theta @ X[i])
        p = _sigmoid_np(z)
        r = y[i] - p
        c = alpha * p * (1.0 - p) + beta * r * r
        u, q = _sm_numpy(P, X[i], c)
        if _fail(z, q):
            return i
        theta += r / (1.0 + c * q) * u
    return -1


def wasn_numpy(X, y, theta, theta_bar, P, W, n0, c_gamma, gamma, omega, c, b) -> int:
    for i in range(X.shape[0]):
        k = n0 + i + 1
        zbar = float(theta_bar @ X[i])
        pbar = _sigmoid_np(zbar)
        a = max(pbar * (1.0 - pbar), c * k ** (-b))
        z = float(theta @ X[i])
        u, q = _sm_numpy(P, X[i], a)
        if _fail(z, q) or _fail(zbar):
            return i
        theta += c_gamma * k ** (-gamma) * (k + 1.0) * (y[i] - _sigmoid_np(z)) / (1.0 + a * q) * u
        w = np.log(k + 1.0) ** omega
        W[0] += w
        if W[0] > 0.0:
            theta_bar += (w / W[0]) * (theta - theta_bar)
    return -1
