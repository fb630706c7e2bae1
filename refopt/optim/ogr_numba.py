"""The OGR family's regression and step, compiled: one set of kernels for both loops.

:mod:`refopt.optim.ogr` explains the method (and cites its sources) and owns the public names; this file
holds its arithmetic as Numba functions over plain arrays, so that the plain loop
(:mod:`refopt.optim.descent`, through the Method classes of ogr.py) and the compiled loop
(:mod:`refopt.optim.descent_numba`) run the very same machine code — they agree bit for bit.

State (arrays made by :func:`new_state`; the names of ogr.py's docstring):

    prm  [β, ε, eps_l, η, lr_out (NaN: none)]
    vs   (6, n): θ̄, ḡ, λ (eigenvalues of Cθθ; ogr-diag: the estimate h), g_last, diag Cθθ, diag Cgθ
    ms   (4, n, n) for ogr: Cθθ, Cgθ, O (eigenvectors of Cθθ), M (the estimate in the basis O)
    V    (d, n) and dm (4, d, d) for ogr-subspace: C_uu, C_wu, O_d, M_d
    ss   [samples, updates since the last full eigendecomposition, has estimate, c⊥θθ, c⊥gθ, h⊥ (NaN: none)]

**Full OGR: three n × n products per iteration, and an eigendecomposition only where the
estimate is indefinite** (instead of two eigendecompositions). The Lyapunov solve needs the
eigenbasis of Cθθ, and the EMA update Cθθ ← (1 − β)Cθθ + β(θ − θ̄)(θ − θ̄)ᵀ is a rank-one
modification, so the basis is *followed* (:func:`refopt.optim.eigen_update.rank_one_update`)
rather than recomputed, and recomputed from Cθθ itself (``np.linalg.eigh``) every n updates to
keep rounding from accumulating. The estimate is kept in that basis, H = O M Oᵀ with
M_ij = (Oᵀ(Cgθ + Cgθᵀ)O)_ij / (λ_i + λ_j); H itself is formed only when asked for. The saddle-free
step needs |H|; when M − δ̂I has a Cholesky factor, δ̂ = eps_l·max(1, ‖M‖_F) ≥ δ (‖M‖_F ≥ max|l|),
every eigenvalue of H exceeds the floor δ, so |H| floored is H itself and Δ = −O M⁻¹ Oᵀ v by
Cholesky; otherwise (H indefinite or nearly singular, e.g. while fewer than n + 1 samples leave
unvisited directions) M is diagonalized. Both give the step of ogr.py's formula to rounding.
Measured at n = 100 (benchmarks/bench_ogr.py): the followed basis costs ~0.45 ms where an
eigendecomposition costs ~1.5 ms; a whole iteration 0.8–1.0 ms where the estimate is positive
definite, 1.5–2.3 ms where it is not (3.5 ms before).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .eigen_update import rank_one_update

__all__ = ["FULL", "DIAG", "SUBSPACE", "new_state", "ingest", "direction", "search_direction",
           "estimate", "lyapunov_coefficients", "diagonal_estimate", "step_in_basis", "floored",
           "cap", "orth", "rotate", "initial_basis", "sandwich"]

FULL, DIAG, SUBSPACE = 0, 1, 2
P_BETA, P_EPS, P_EPS_L, P_ETA, P_LR_OUT = range(5)
S_COUNT, S_SINCE, S_HAS, S_OUT_TT, S_OUT_GT, S_H_OUT = range(6)
THETA_BAR, G_BAR, LAM, G_LAST, C_TT_DIAG, C_GT_DIAG = range(6)


def new_state(kind: int, n: int, d: int, beta: float, eps: float, eps_l: float, eta: float = 1.0,
              lr_out: float | None = None):
    """(prm, vs, ms, V, dm, ss) for a fresh run of ``kind`` (FULL, DIAG, SUBSPACE)."""
    prm = np.array([beta, eps, eps_l, eta, np.nan if lr_out is None else lr_out])
    vs = np.zeros((6, n))
    ms = np.zeros((4, n, n) if kind == FULL else (0, 1, 1))
    if kind == FULL:
        ms[2] = np.eye(n)  # Cθθ = 0 = I·0·Iᵀ
    V = np.zeros((d, n) if kind == SUBSPACE else (0, 1))
    dm = np.zeros((4, d, d) if kind == SUBSPACE else (0, 1, 1))
    ss = np.array([0.0, 0.0, 0.0, 0.0, 0.0, np.nan])
    return prm, vs, ms, V, dm, ss


# -- shared pieces -------------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def lyapunov_coefficients(lam, O, S, eps, M):
    """M_ij = (Oᵀ S O)_ij / (λ_i + λ_j + 2ελ_max), unvisited block (λ ≤ ελ_max) zeroed, into M.

    ogr.py's lyapunov_hessian in the basis O (its docstring gives the reasons). Returns False when
    λ_max ≤ 0 (no spread: no estimate)."""
    n = lam.size
    lam_max = np.max(lam) if n > 0 else 0.0
    if not lam_max > 0.0:
        return False
    T = O.T @ S @ O
    floor = eps * lam_max
    for i in range(n):
        li = max(lam[i], 0.0)  # Cθθ is PSD: rounding below 0 clipped
        for j in range(i, n):
            lj = max(lam[j], 0.0)
            if li <= floor and lj <= floor:
                v = 0.0
            else:
                v = 0.5 * (T[i, j] + T[j, i]) / (li + lj + 2.0 * floor)
            M[i, j] = v
            M[j, i] = v
    return True


@njit(cache=True, error_model="numpy")
def floored(l, eps_l):
    """max(|l_i|, δ), δ = eps_l·max(1, max|l|): the saddle-free curvatures."""
    a = np.abs(l)
    return np.maximum(a, eps_l * max(1.0, np.max(a)))


@njit(cache=True, error_model="numpy")
def _cholesky_solve(L, b):
    """x with L Lᵀ x = b (L lower triangular): forward then back substitution, O(n²)."""
    n = b.size
    z = np.empty(n)
    for i in range(n):
        acc = b[i]
        for k in range(i):
            acc -= L[i, k] * z[k]
        z[i] = acc / L[i, i]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):
        acc = z[i]
        for k in range(i + 1, n):
            acc -= L[k, i] * x[k]
        x[i] = acc / L[i, i]
    return x


@njit(cache=True, error_model="numpy")
def step_in_basis(O, M, v, eps_l):
    """Δ = −Q diag(1/max(|l|, δ)) Qᵀ v for H = O M Oᵀ = Q diag(l) Qᵀ, and max|l| (for h⊥'s floor).

    Cholesky when M − δ̂I is positive definite (δ̂ = eps_l·max(1, ‖M‖_F) bounds the floor δ from
    above, so no curvature is floored and |H| = H); M = W diag(l) Wᵀ, Q = O W otherwise. The
    shortcut needs δ̂ well above the rounding of a Cholesky factorization (~n ε_mach ‖M‖), so it is
    taken only when eps_l ≥ 64 n ε_mach (with eps_l = 1e-300 a factorization can succeed on an M
    whose smallest eigenvalue is −3e-16‖M‖)."""
    n = v.size
    vt = O.T @ v
    frob = math.sqrt(np.sum(M * M))
    shifted = M - eps_l * max(1.0, frob) * np.eye(n)
    ok = eps_l >= 64.0 * n * 2.220446049250313e-16
    if ok:
        try:
            np.linalg.cholesky(shifted)
            L = np.linalg.cholesky(M)
        except Exception:  # not positive definite beyond the floor
            ok = False
    if ok:
        x = _cholesky_solve(L, vt)
        # max|l| only enters the outside rate's floor; its bound ‖M‖_F is not used for that
        return -(O @ x), np.nan
    l, W = np.linalg.eigh(M)
    curv = floored(l, eps_l)
    return -(O @ (W @ ((W.T @ vt) / curv))), np.max(curv)


# -- the three regressions ------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def _ema_means(theta, g, beta, vs):
    """θ̄ ← θ̄ + β(θ − θ̄), ḡ ← ḡ + β(g − ḡ); returns θ − θ̄, g − ḡ (on the updated means)."""
    vs[THETA_BAR] += beta * (theta - vs[THETA_BAR])
    vs[G_BAR] += beta * (g - vs[G_BAR])
    return theta - vs[THETA_BAR], g - vs[G_BAR]


@njit(cache=True, error_model="numpy")
def _ingest_full(theta, g, prm, vs, ms, ss):
    beta = prm[P_BETA]
    n = theta.size
    dt, dg = _ema_means(theta, g, beta, vs)
    C_tt, C_gt, O, M = ms[0], ms[1], ms[2], ms[3]
    C_tt += beta * (np.outer(dt, dt) - C_tt)
    C_gt += beta * (np.outer(dg, dt) - C_gt)
    lam = vs[LAM]
    if ss[S_SINCE] >= n or not rank_one_update(lam, O, 1.0 - beta, beta, dt):
        lam_new, O_new = np.linalg.eigh(C_tt)
        lam[:] = lam_new
        O[:, :] = O_new
        ss[S_SINCE] = 0.0
    else:
        ss[S_SINCE] += 1.0
    return lyapunov_coefficients(lam, O, C_gt + C_gt.T, prm[P_EPS], M)


@njit(cache=True, error_model="numpy")
def _ingest_diag(theta, g, prm, vs):
    beta = prm[P_BETA]
    dt, dg = _ema_means(theta, g, beta, vs)
    c_tt, c_gt, h = vs[C_TT_DIAG], vs[C_GT_DIAG], vs[LAM]
    c_tt += beta * (dt * dt - c_tt)
    c_gt += beta * (dg * dt - c_gt)
    return diagonal_estimate(c_tt, c_gt, prm[P_EPS], h)


@njit(cache=True, error_model="numpy")
def diagonal_estimate(c_tt, c_gt, eps, h):
    """h_i = Cgθ,ii / (Cθθ,ii + ε·max_j Cθθ,jj) into h, 0 for unvisited coordinates (Cθθ,ii ≤ ε·max);
    False when Cθθ = 0."""
    c_max = np.max(c_tt)
    if not c_max > 0.0:
        return False
    floor = eps * c_max
    for i in range(h.size):  # unvisited coordinates get 0, as in lyapunov_coefficients
        h[i] = c_gt[i] / (c_tt[i] + floor) if c_tt[i] > floor else 0.0
    return True


@njit(cache=True, error_model="numpy")
def orth(M):
    """Orthonormal rows spanning the rows of M (d × n): Q of the QR of Mᵀ with diag(R) > 0."""
    Q, R = np.linalg.qr(np.ascontiguousarray(M.T))
    out = np.empty((M.shape[0], M.shape[1]))
    for k in range(M.shape[0]):
        sign = -1.0 if R[k, k] < 0.0 else 1.0
        out[k, :] = sign * Q[:, k]
    return out


@njit(cache=True, error_model="numpy")
def initial_basis(g, d):
    """ĝ followed by the DCT-II vectors c_k[i] = cos(π k (i + ½)/n), k = 0, 1, ..., orthonormalized
    (Gram–Schmidt; a cosine nearly inside the span of the rows before it is skipped)."""
    n = g.size
    rows = np.zeros((d, n))
    count = 0
    norm_g = math.sqrt(np.dot(g, g))
    if norm_g > 0.0:
        rows[0] = g / norm_g
        count = 1
    k = 0
    while count < d:
        c = np.cos(np.pi * k * (np.arange(n) + 0.5) / n)
        k += 1
        for r in range(count):
            c = c - np.dot(rows[r], c) * rows[r]
        nc = math.sqrt(np.dot(c, c))
        if nc > 1e-6 * math.sqrt(n):
            rows[count] = c / nc
            count += 1
    return orth(rows)


@njit(cache=True, error_model="numpy")
def rotate(V, dm, y, eta):
    """V ← orth(V + η (V ŷ) ŷᵀ); C ← R C Rᵀ with R = V⁺Vᵀ for C_uu and C_wu."""
    ny = math.sqrt(np.dot(y, y))
    if not ny > 0.0:
        return
    yh = y / ny
    V_new = orth(V + eta * np.outer(V @ yh, yh))
    R = V_new @ V.T
    dm[0] = R @ dm[0] @ R.T
    dm[1] = R @ dm[1] @ R.T
    V[:, :] = V_new


@njit(cache=True, error_model="numpy")
def _ingest_subspace(theta, g, prm, vs, V, dm, ss, first):
    beta = prm[P_BETA]
    d, n = V.shape
    if first:
        V[:, :] = initial_basis(g, d)
    else:
        rotate(V, dm, g - vs[G_LAST], prm[P_ETA])
        dt, dg = _ema_means(theta, g, beta, vs)
        u, w = V @ dt, V @ dg  # V(θ − θ̄), V(g − ḡ)
        dm[0] += beta * (np.outer(u, u) - dm[0])
        dm[1] += beta * (np.outer(w, u) - dm[1])
        if d < n:
            dt_out, dg_out = dt - V.T @ u, dg - V.T @ w
            ss[S_OUT_TT] += beta * (np.dot(dt_out, dt_out) - ss[S_OUT_TT])
            ss[S_OUT_GT] += beta * (np.dot(dg_out, dt_out) - ss[S_OUT_GT])
            if ss[S_OUT_TT] > 0.0:
                ss[S_H_OUT] = ss[S_OUT_GT] / ss[S_OUT_TT]
    vs[G_LAST, :] = g
    lam, O = np.linalg.eigh(dm[0])
    dm[2] = O
    return lyapunov_coefficients(lam, O, dm[1] + dm[1].T, prm[P_EPS], dm[3])


@njit(cache=True, error_model="numpy")
def ingest(kind, theta, g, prm, vs, ms, V, dm, ss):
    """Fold the sample (θ, g) into the regression of ``kind`` and refresh its estimate.

    The first sample only sets the means (θ̄ = θ₀, ḡ = g₀) and, for the subspace, the basis."""
    if ss[S_COUNT] == 0.0:
        vs[THETA_BAR, :] = theta
        vs[G_BAR, :] = g
        has = _ingest_subspace(theta, g, prm, vs, V, dm, ss, True) if kind == SUBSPACE else False
    elif kind == FULL:
        has = _ingest_full(theta, g, prm, vs, ms, ss)
    elif kind == DIAG:
        has = _ingest_diag(theta, g, prm, vs)
    else:
        has = _ingest_subspace(theta, g, prm, vs, V, dm, ss, False)
    ss[S_COUNT] += 1.0
    ss[S_HAS] = 1.0 if has else 0.0
    return has


@njit(cache=True, error_model="numpy")
def direction(kind, v, prm, vs, ms, V, dm, ss):
    """The saddle-free Newton direction Δ(v) of ``kind`` (before the cap), given an estimate."""
    eps_l = prm[P_EPS_L]
    if kind == FULL:
        return step_in_basis(ms[2], ms[3], v, eps_l)[0]
    if kind == DIAG:
        return -v / floored(vs[LAM], eps_l)
    d, n = V.shape
    a = V @ v
    delta_d, curv_max = step_in_basis(dm[2], dm[3], a, eps_l)
    p = V.T @ delta_d
    if d < n:
        if not math.isnan(prm[P_LR_OUT]):
            rate = prm[P_LR_OUT]
        else:
            if math.isnan(curv_max):  # the Cholesky branch: the floor needs max(|l|, δ) of H_d
                curv_max = np.max(floored(np.linalg.eigvalsh(dm[3]), eps_l))
            h = abs(ss[S_H_OUT]) if not math.isnan(ss[S_H_OUT]) else 0.0
            rate = 1.0 / max(h, eps_l * max(1.0, curv_max))
        p -= rate * (v - V.T @ a)  # −η⊥ (I − VᵀV) v
    return p


@njit(cache=True, error_model="numpy")
def cap(p, max_step):
    """p shortened to ‖p‖₂ = max_step when longer."""
    length = math.sqrt(np.dot(p, p))
    return p * (max_step / length) if length > max_step else p


@njit(cache=True, error_model="numpy")
def search_direction(kind, g, m, gamma, fallback, max_step, prm, vs, ms, V, dm, ss):
    """ogr.py's iteration direction: m ← m + γ(g − m) (m = g when γ is NaN: no momentum); −m capped
    while there is no estimate (returns scaled = False: the loop's rule picks the first trial
    step); else the saddle-free Δ(m), Δ(g) instead when ``fallback`` (a line search with momentum)
    and Δ(m) does not descend, capped at ``max_step``."""
    if math.isnan(gamma) or ss[S_COUNT] <= 1.0:  # m₀ = g₀ (only x₀ sampled so far)
        m[:] = g
    else:
        m += gamma * (g - m)
    if ss[S_HAS] == 0.0:
        return cap(-m, max_step), False
    p = direction(kind, m, prm, vs, ms, V, dm, ss)
    if fallback and not np.dot(g, p) < 0.0:
        p = direction(kind, g, prm, vs, ms, V, dm, ss)
    return cap(p, max_step), True


@njit(cache=True, error_model="numpy")
def sandwich(O, M):
    """O M Oᵀ, symmetrized: an estimate kept in a basis (ogr's O, the subspace's O_d), in the
    coordinates around it."""
    H = O @ M @ O.T
    return 0.5 * (H + H.T)


@njit(cache=True, error_model="numpy")
def estimate(kind, vs, ms, V, dm):
    """Ĥ in the coordinates of θ: O M Oᵀ (ogr), diag(h) (ogr-diag), Vᵀ H_d V with H_d = O_d M_d O_dᵀ
    (subspace)."""
    if kind == FULL:
        return sandwich(ms[2], ms[3])
    if kind == DIAG:
        return np.diag(vs[LAM])
    return sandwich(np.ascontiguousarray(V.T), sandwich(dm[2], dm[3]))
