r"""The MLP's exact derivatives by structure: forward pass, gradient, HVP, Hessian, GGN, layer blocks.

Notation (0-based layers j = 0 … L−1). Layer j takes h_j (h_0 = X) and computes
z_j = h_j W_j + b_j; h_{j+1} = σ(z_j) for j < L−1; the output is f = z_{L−1}. With a bias the input
is augmented, h̃_j = [h_j, 1] (S_j = fan_in + 1 columns) and W̃_j = [W_j; b_j] (S_j × T_j): the
row-major flattening of W̃_j is exactly the documented layout (W row-major, then b), so the
parameter (s, t) of layer j is entry (s, t) of W̃_j. L(θ) = (1/N) Σ_i ℓ(f_i), r_i = ∂ℓ/∂f_i,
M_i = ∂²ℓ/∂f_i² (:mod:`refopt.nn.losses`).

**Backward quantities** (per sample; backpropagation of δ, Rumelhart, Hinton & Williams 1986,
and the backward recursion of the pre-activation Hessian, Botev, Ritter & Barber 2017, §2):

    δ_{L−1} = r,   g_j = δ_{j+1} W_{j+1}ᵀ,   δ_j = σ'(z_j) ⊙ g_j,   d_j = σ''(z_j) ⊙ g_j
    G_{L−1,L−1} = M,   G_jj = D_j W_{j+1} G_{j+1,j+1} W_{j+1}ᵀ D_j + diag(d_j),   D_j = diag σ'(z_j)
    A_{k,m} = ∂z_m/∂z_k = D_k W_{k+1} D_{k+1} W_{k+2} … W_m,    G_km = A_{k,m} G_mm  (k ≤ m)

G_jj = ∂²ℓ_i/∂z_j² is the full Hessian of the loss in the pre-activations of layer j.

**The Hessian blocks** (derived here; with ∂L/∂W̃_k[s,t] = (1/N) Σ_i h̃_k[i,s] δ_k[i,t] and δ_k a
function of z_k and the later weights, differentiate δ_k along W̃_m): for layers k ≤ m,

    H[(k,s,t),(m,p,q)] = (1/N) Σ_i h̃_k[i,s] h̃_m[i,p] G_km[i,t,q]                        (I)
                       + (1/N) Σ_i h̃_k[i,s] B_k,m[i,t,p] δ_m[i,q]     (k < m only)        (II)

with B_k,m = ∂h_m/∂z_k = A_{k,m−1} D_{m−1} (zero in the bias column). Term (I) with d ≡ 0 is the
Gauss–Newton matrix (1/N) Σ J_iᵀ M_i J_i; d and (II) are the curvature of the network itself
(σ'' and the bilinearity of W_k and W_m). For ReLU σ'' = 0, so the diagonal blocks (I, k = m)
equal those of the GGN — the diag(H) = diag(GGN) invariant of piecewise-linear nets. For adjacent layers
(m = k+1), B = D_k is diagonal and (II) is one small product.

**How it is computed.** All per-sample quantities are batched over samples (a chunk of them at a
time). G_km for a column m comes from G_mm by the pull-back G_km = D_k W_{k+1} G_{k+1,m}: one
matrix product per layer on the stacked (chunk · T_m, T_{k+1}) array. Each block sum (I) is a
Gram product over samples, written as one BLAS product: rows (s, p) = h̃_k[:, s] ⊙ h̃_m[:, p]
(n × rows), columns (t, q) = G_km (n × T_k T_m), then permuted into the (s, t) × (p, q) layout.
A diagonal block is symmetric in s ↔ p and in t ↔ q separately (G_kk is symmetric), so only
pairs s ≤ p and t ≤ q are formed, and the lower triangle of H is mirrored at the end (the result
is exactly symmetric). Term (II) is the same kind of product with δ_m on the row side and B on
the column side. Cost: Σ_{k<m} N P_k P_m + Σ_k N P_k²/4 multiply–adds (+ term (II) for
non-adjacent layers), below the N P²/2 of the Gauss–Newton product JᵀJ for one output; no Python
loop over samples or parameters (the loops run over layers and groups of rows s).

**Memory bound.** Peak ≈ 8 P² bytes (the result) + 8 · chunk · w bytes (the per-sample arrays
of one chunk: w = Σ_j (S_j + 6 T_j) + C² + 3 max_m Σ_{k≤m} T_k T_m + the width of one Gram row
group, :func:`_per_sample_width`) + 3 · ``GRAM_BYTES`` (the result of one Gram product and the
unpacked copy of its tiles; never more than the block they belong to). ``chunk=None`` takes the fewest chunks whose per-sample arrays fit
in ``CHUNK_BYTES`` (256 MiB), of equal size. Measured (tracemalloc) for [20,64,64,1], N = 1024:
P = 5569, result 237 MiB, peak 440 MiB. The result does not depend on the chunk (a test holds
chunk 1 equal to one chunk of all samples).

The HVP is Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact multiplication by the
Hessian", §4): forward-mode tangents ż_j, ḣ_j through the forward pass and through the backward
pass, O(N P) per product, with no P × P matrix.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, numpy_namespace
from .losses import Loss

__all__ = ["forward", "gradient", "hvp", "tangent_product", "quadratic_forms", "tape", "preactivation_hessians", "structured_hessian", "CHUNK_BYTES", "GRAM_BYTES"]

CHUNK_BYTES = 256 * 2**20
"""Budget for the per-sample arrays of one chunk when ``chunk=None``."""
GRAM_BYTES = 32 * 2**20
"""Budget for the result of one Gram product (a group of rows (s, p) of a block)."""


def forward(params, X, act: Activation, xp=np, keep: bool = False):
    """f = z_{L−1} for the layers ``params`` = [(W_j, b_j or None)]; written once against ``xp``.

    With ``keep`` also returns the layer inputs [h_0 … h_{L−1}] and pre-activations [z_0 … z_{L−1}].
    """
    xp = numpy_namespace(xp)
    h, hs, zs = X, [X], []
    last = len(params) - 1
    for j, (W, b) in enumerate(params):
        z = h @ W
        if b is not None:
            z = z + b
        zs.append(z)
        if j < last:
            h = act.value(z, xp)
            hs.append(h)
    return (z, hs, zs) if keep else z


def _augment(h, bias: bool):
    """h̃ = [h, 1] with a bias, h without."""
    if not bias:
        return h
    out = np.empty((h.shape[0], h.shape[1] + 1))
    out[:, :-1] = h
    out[:, -1] = 1.0
    return out


@dataclass
class Tape:
    """Per-sample quantities of one chunk (notation of the module docstring)."""

    h: list        # h̃_j (n, S_j), j = 0 … L−1
    z: list        # z_j (n, T_j)
    s1: list       # σ'(z_j), j < L−1
    s2: list       # σ''(z_j), j < L−1
    delta: list    # δ_j = ∂ℓ_i/∂z_j (n, T_j)
    g: list        # g_j = δ_{j+1} W_{j+1}ᵀ, j < L−1
    M: np.ndarray  # ∂²ℓ/∂f² (n, C, C)
    inputs: list = None  # h_j without the column of ones (n, fan_in): the same arrays as the forward pass


def tape(params, X, Y, act: Activation, loss: Loss, curvature: bool = True) -> Tape:
    """Forward pass, then the backward sweep of δ (unscaled: per sample, not divided by N)."""
    bias = params[0][1] is not None
    f, hs, zs = forward(params, X, act, keep=True)
    s1 = [act.d1(z) for z in zs[:-1]]
    s2 = [act.d2(z) for z in zs[:-1]] if curvature else []
    delta = [None] * len(params)
    g = [None] * (len(params) - 1)
    delta[-1] = loss.residual(f, Y)
    for j in range(len(params) - 2, -1, -1):
        g[j] = delta[j + 1] @ params[j + 1][0].T
        delta[j] = s1[j] * g[j]
    return Tape([_augment(h, bias) for h in hs], zs, s1, s2, delta, g, loss.curvature(f, Y), hs)


def _grad_blocks(t: Tape, n_total: int) -> list:
    """∂L/∂W̃_j = (1/N) h̃_jᵀ δ_j, flattened row-major (the parameter layout)."""
    return [(h.T @ d).ravel() / n_total for h, d in zip(t.h, t.delta)]


def gradient(params, X, Y, act: Activation, loss: Loss) -> np.ndarray:
    """∇L(θ) in the flat layout (backpropagation)."""
    return np.concatenate(_grad_blocks(tape(params, X, Y, act, loss, curvature=False), X.shape[0]))


def hvp(params, tangent, X, Y, act: Activation, loss: Loss, curvature: bool = True) -> np.ndarray:
    """H v by the R-operator (Pearlmutter 1994): ``tangent`` = [(Ẇ_j, ḃ_j or None)] is v unflattened.

    With ``curvature=False`` the Gauss–Newton product G v instead (:func:`tangent_product`).
    """
    return tangent_product(tape(params, X, Y, act, loss, curvature), params, tangent, X.shape[0], curvature)


def tangent_product(t: Tape, params, tangent, N: int, curvature: bool = True) -> np.ndarray:
    """H v (``curvature``) or the Gauss–Newton product G v from a recorded :class:`Tape`.

    Forward: ż_j = ḣ_j W_j + h_j Ẇ_j + ḃ_j, ḣ_{j+1} = σ'(z_j) ż_j;  output: ṙ = M ż_{L−1}.
    Backward: δ̇_j = σ'(z_j) (δ̇_{j+1} W_{j+1}ᵀ + δ_{j+1} Ẇ_{j+1}ᵀ) + σ''(z_j) ż_j g_j,
    (H v)_{W̃_j} = (1/N) (h̃_jᵀ δ̇_j + [ḣ_j; 0]ᵀ δ_j).
    G v = (1/N) Σ J_iᵀ M_i J_i v is the same sweep without the three terms that differentiate the
    network a second time (δ_{j+1} Ẇᵀ, σ'' ż g, ḣᵀδ): Jv forward, M, then Jᵀ backward.
    """
    if curvature and len(t.s2) < len(params) - 1:
        raise ValueError("the tape was recorded without curvature (σ''): record it with curvature=True")
    L = len(params)
    zdot, hdot = [], [None]  # ḣ_0 = 0: the inputs do not move, so its products are skipped
    for j, ((W, _), (Wd, bd)) in enumerate(zip(params, tangent)):
        zd = t.inputs[j] @ Wd
        if j > 0:
            zd += hdot[j] @ W
        if bd is not None:
            zd += bd
        zdot.append(zd)
        if j < L - 1:
            hdot.append(t.s1[j] * zd)
    ddot = np.matmul(t.M, zdot[-1][:, :, None])[:, :, 0]
    out = [None] * L
    for j in range(L - 1, -1, -1):
        blk = t.h[j].T @ ddot
        if curvature and j > 0:
            blk[:hdot[j].shape[1]] += hdot[j].T @ t.delta[j]
        out[j] = blk.ravel() / N
        if j > 0:
            W, Wd = params[j][0], tangent[j][0]
            if curvature:
                ddot = t.s1[j - 1] * (ddot @ W.T + t.delta[j] @ Wd.T) + t.s2[j - 1] * zdot[j - 1] * t.g[j - 1]
            else:
                ddot = t.s1[j - 1] * (ddot @ W.T)
    return np.concatenate(out)


def quadratic_forms(t: Tape, params, tangents, N: int) -> np.ndarray:
    """The matrix of ∇²L(θ) in the directions v_1 … v_S: Q_st = v_sᵀ ∇²L v_t (S × S), from S
    forward tangent sweeps and the recorded tape — no backward sweep per direction.

    ``tangents[s]`` = [(Ẇ_j or None, ḃ_j or None)]: v_s unflattened, None for a zero block (a
    direction living on one tensor then costs the layers from that tensor's on). With the forward
    tangents ż_j^s = ḣ_j^s W_j + h_j Ẇ_j^s + ḃ_j^s, ḣ_{j+1}^s = σ'(z_j) ż_j^s along v_s, the second
    derivative of L(θ + Σ η_s v_s) is, per sample (second-order chain rule: z̈ and ḧ are driven by
    the sources ḣ^s Ẇ^t + ḣ^t Ẇ^s in z_j and σ''(z_j) ż^s ż^t in h_{j+1}, and the adjoints of z_j
    and h_{j+1} are δ_j and g_j):

        Q_st = (1/N) Σ_i [ ż_{L−1}^sᵀ M ż_{L−1}^t + Σ_j ⟨δ_j, ḣ_j^s Ẇ_j^t + ḣ_j^t Ẇ_j^s⟩
                           + Σ_{j<L−1} ⟨g_j, σ''(z_j) ż_j^s ż_j^t⟩ ]

    (Wolinski 2023's "derive then contract" summary H̄, for v_s = u_s.) The tape must be recorded
    with curvature.
    """
    if len(t.s2) < len(params) - 1:
        raise ValueError("the tape was recorded without curvature (σ''): record it with curvature=True")
    L, S = len(params), len(tangents)
    zdot = [[None] * L for _ in range(S)]
    hdot = [[None] * L for _ in range(S)]  # ḣ_0 = 0: the inputs do not move
    for s, tangent in enumerate(tangents):
        for j, ((W, _), (Wd, bd)) in enumerate(zip(params, tangent)):
            zd = hdot[s][j] @ W if hdot[s][j] is not None else None
            if Wd is not None:
                zd = t.inputs[j] @ Wd if zd is None else zd + t.inputs[j] @ Wd
            if bd is not None:
                zd = np.broadcast_to(bd, (t.inputs[j].shape[0], bd.size)).copy() if zd is None else zd + bd
            zdot[s][j] = zd
            if j < L - 1 and zd is not None:
                hdot[s][j + 1] = t.s1[j] * zd
    Q = np.zeros((S, S))
    n = t.delta[-1].shape[0]

    def stack(j):
        Z = np.zeros((S, n, params[j][0].shape[1]))
        for s in range(S):
            if zdot[s][j] is not None:
                Z[s] = zdot[s][j]
        return Z

    Z = stack(L - 1)  # the output term ż ᵀ M ż
    MZ = np.einsum("ncd,snd->snc", t.M, Z)
    Q += np.einsum("snc,tnc->st", Z, MZ)
    for j in range(L - 1):  # the activations' curvature
        Z = stack(j)
        Q += np.einsum("sni,tni->st", Z * (t.s2[j] * t.g[j])[None], Z)
    for j in range(1, L):  # the bilinearity of h_j W_j
        B = np.zeros((S, S))
        for s in range(S):
            if hdot[s][j] is None:
                continue
            C = hdot[s][j].T @ t.delta[j]  # Σ_i ḣ_j^s ⊗ δ_j, fan_in × T_j
            for r in range(S):
                Wd = tangents[r][j][0]
                if Wd is not None:
                    B[s, r] = np.sum(C * Wd)
        Q += B + B.T
    return Q / N


# ------------------------------------------------------------------------------------------------
# the structured Hessian / GGN
# ------------------------------------------------------------------------------------------------
def _pull(Gt, W, s1):
    """G_km ← D_k W_{k+1} G_{k+1,m}, on the transposed stack Gt (n, T_m, T_{k+1}) -> (n, T_m, T_k)."""
    n, Tm, Tk1 = Gt.shape
    out = (Gt.reshape(n * Tm, Tk1) @ W.T).reshape(n, Tm, W.shape[0])
    out *= s1[:, None, :]
    return out


def _next_G(Gt, W, s1, d):
    """G_{m−1,m−1} = D W_m G_mm W_mᵀ D + diag(d) from Gt_{m−1,m} = G_mm W_mᵀ D (n, T_m, T_{m−1})."""
    n, Tm, Tk = Gt.shape
    G = (np.ascontiguousarray(Gt.transpose(0, 2, 1)).reshape(n * Tk, Tm) @ W.T).reshape(n, Tk, Tk)
    G *= s1[:, None, :]
    if d is not None:
        idx = np.arange(Tk)
        G[:, idx, idx] += d
    return G


def preactivation_hessians(t: Tape, params, curvature: bool = True) -> list:
    """[G_jj] (n, T_j, T_j), j = 0 … L−1: ∂²ℓ_i/∂z_j² per sample, by the backward recursion of the
    module docstring (the same pull-back the structured Hessian uses); without ``curvature`` the
    σ'' terms are dropped (the Gauss–Newton recursion)."""
    if curvature and len(t.s2) < len(params) - 1:
        raise ValueError("the tape was recorded without curvature (σ''): record it with curvature=True")
    G = [None] * len(params)
    G[-1] = t.M
    for m in range(len(params) - 1, 0, -1):
        d = t.s2[m - 1] * t.g[m - 1] if curvature else None
        W, s1 = params[m][0], t.s1[m - 1]
        G[m - 1] = _next_G(_pull(G[m], W, s1), W, s1, d)
    return G


def _block_view(H, r0, c0, shape):
    """H[r0:, c0:] seen as (S_k, T_k, S_m, T_m) without copying."""
    Sk, Tk, Sm, Tm = shape
    v = H[r0:r0 + Sk * Tk, c0:c0 + Sm * Tm].view()
    v.shape = shape  # raises instead of silently copying
    return v


def _gram_diag(H4, h, G):
    """H4[s, :, p, :] += Σ_i h[i,s] h[i,p] G[i] (T × T) for p ≥ s: term (I) of a diagonal block.

    The sum is symmetric in s ↔ p and, G_i being symmetric, in t ↔ q: only pairs s ≤ p and
    t ≤ q enter the product (a quarter of the block's multiply–adds), and the T × T tiles are
    unpacked from the t ≤ q columns by one gather.
    """
    n, S = h.shape
    T = H4.shape[1]
    iu = np.triu_indices(T)
    Y = G[:, iu[0], iu[1]]  # (n, T(T+1)/2), entries t ≤ q
    packed = np.empty((T, T), dtype=np.intp)
    packed[iu] = np.arange(iu[0].size)
    packed[iu[1], iu[0]] = packed[iu]
    packed = packed.ravel()
    rows_cap = max(S, GRAM_BYTES // (8 * Y.shape[1]))
    s = 0
    while s < S:
        e, rows = s + 1, S - s
        while e < S and rows + S - e <= rows_cap:
            rows += S - e
            e += 1
        X = np.empty((n, rows))
        r = 0
        for u in range(s, e):
            np.multiply(h[:, u:u + 1], h[:, u:], out=X[:, r:r + S - u])
            r += S - u
        R = X.T @ Y
        r = 0
        for u in range(s, e):
            w = S - u
            H4[u, :, u:, :] += np.take(R[r:r + w], packed, axis=1).reshape(w, T, T).transpose(1, 0, 2)
            r += w
        s = e


def _gram_rows(H4, left, right, Y, order):
    """H4[s, ...] += Σ_i left[i,s] right[i,a] Y[i,b], permuted by ``order``: terms (I) and (II).

    Rows of the product are (s, a) pairs, a group of s at a time; Y is (n, ·).
    """
    n, S = left.shape
    A = right.shape[1]
    g = max(1, GRAM_BYTES // (8 * A * Y.shape[1]))
    for s0 in range(0, S, g):
        s1 = min(S, s0 + g)
        X = (left[:, s0:s1, None] * right[:, None, :]).reshape(n, (s1 - s0) * A)
        R = (X.T @ Y).reshape((s1 - s0, A) + order[0])
        H4[s0:s1] += R.transpose(order[1])


def _per_sample_width(sizes, bias) -> int:
    """w: float64 entries per sample held at once (tape + one column of G_km + one Gram row group)."""
    S = [a + bias for a in sizes[:-1]]
    T = list(sizes[1:])
    column = max(sum(T[k] * T[m] for k in range(m + 1)) for m in range(len(T)))
    rows = max(max(min(S[m] * (S[m] + 1) // 2, max(S[m], GRAM_BYTES // (4 * T[m] * (T[m] + 1)))),
                   max((min(S[k] * S[m], max(S[m], GRAM_BYTES // (8 * T[k] * T[m]))) for k in range(m)),
                       default=0))
               for m in range(len(T)))
    return sum(S) + 6 * sum(T) + T[-1] ** 2 + 3 * column + rows


def default_chunk(sizes, bias: bool, N: int) -> int:
    """Samples per chunk: the fewest chunks whose per-sample arrays fit in ``CHUNK_BYTES``, balanced."""
    most = max(1, CHUNK_BYTES // (8 * _per_sample_width(sizes, bias)))
    pieces = -(-N // most)
    return int(-(-N // pieces))


def _assemble(H, offsets, params, t: Tape, curvature: bool, layer):
    """Add the unscaled (Σ_i, not 1/N) upper-triangle blocks of one chunk into H."""
    L = len(params)
    S = [h.shape[1] for h in t.h]
    T = [W.shape[1] for W, _ in params]
    lo = 0 if layer is None else layer

    def view(k, m):
        return _block_view(H, offsets[k], offsets[m], (S[k], T[k], S[m], T[m]))

    G = t.M  # G_{L−1,L−1}
    for m in range(L - 1, lo - 1, -1):
        if layer is None or layer == m:
            _gram_diag(view(m, m), t.h[m], G)
        if m == lo:
            break
        d = t.s2[m - 1] * t.g[m - 1] if curvature else None
        Gt = G  # Gt_{k,m} = G_kmᵀ, starting at k = m
        for k in range(m - 1, (lo if layer is None else m - 1) - 1, -1):
            Gt = _pull(Gt, params[k + 1][0], t.s1[k])
            if k == m - 1:
                G_next = _next_G(Gt, params[m][0], t.s1[m - 1], d)
            if layer is None:  # term (I), off-diagonal: rows (s, p), columns (t, q)
                Y = np.ascontiguousarray(Gt.transpose(0, 2, 1)).reshape(Gt.shape[0], -1)
                _gram_rows(view(k, m), t.h[k], t.h[m], Y, ((T[k], T[m]), (0, 2, 1, 3)))
        if curvature and layer is None:
            _curvature_blocks(view, params, t, m)
        G = G_next


def _curvature_blocks(view, params, t: Tape, m: int):
    """Term (II) for the blocks (k, m), k < m: h̃_k ⊗ B_k,m ⊗ δ_m summed over samples."""
    j = m - 1  # h_m = σ(z_j)
    n = t.delta[m].shape[0]
    Tj, Tm = params[m][0].shape
    # adjacent, k = j: B = D_j is diagonal, so only p = t is touched
    Z = (t.s1[j][:, :, None] * t.delta[m][:, None, :]).reshape(n, Tj * Tm)
    C = (t.h[j].T @ Z).reshape(-1, Tj, Tm)
    idx = np.arange(Tj)
    H4 = view(j, m)
    H4[:, idx, idx, :] += C
    # k < j: Bt_{k,j} = (A_{k,j} D_j)ᵀ by the same pull-back, from Bt_{j−1,j} = D_j W_jᵀ D_{j−1}
    if j == 0:
        return
    Bt = t.s1[j][:, :, None] * params[j][0].T[None, :, :] * t.s1[j - 1][:, None, :]
    for k in range(j - 1, -1, -1):
        if k < j - 1:
            Bt = _pull(Bt, params[k + 1][0], t.s1[k])
        Tk = Bt.shape[2]
        Y = Bt.reshape(n, Tj * Tk)
        _gram_rows(view(k, m)[:, :, :Tj, :], t.h[k], t.delta[m], Y, ((Tj, Tk), (0, 3, 2, 1)))


def _mirror_upper(H, panel: int = 256):
    """Copy the upper triangle onto the lower one (H exactly symmetric)."""
    P = H.shape[0]
    for r0 in range(0, P, panel):
        r1 = min(P, r0 + panel)
        D = H[r0:r1, r0:r1]
        low = np.tril_indices(r1 - r0, -1)
        D[low] = D.T[low]
        H[r1:, r0:r1] = H[r0:r1, r1:].T


def structured_hessian(params, X, Y, act: Activation, loss: Loss, *, curvature: bool = True,
                       layer: int | None = None, chunk: int | None = None) -> np.ndarray:
    """The exact Hessian (``curvature=True``) or the GGN (``False``) of L = (1/N) Σ ℓ(f_i).

    ``layer=None`` gives the full P × P matrix; ``layer=j`` only the diagonal block of layer j
    (its W̃_j entries, P_j × P_j). Samples are processed ``chunk`` at a time (memory bound in the
    module docstring; ``None`` = automatic).
    """
    N = X.shape[0]
    bias = params[0][1] is not None
    sizes = [params[0][0].shape[0]] + [W.shape[1] for W, _ in params]
    widths = [(a + bias) * b for a, b in zip(sizes[:-1], sizes[1:])]
    offsets = np.concatenate([[0], np.cumsum(widths)]).astype(int)
    if layer is not None:
        offsets = offsets - offsets[layer]
        P = widths[layer]
    else:
        P = int(offsets[-1])
    chunk = default_chunk(sizes, bias, N) if chunk is None else int(chunk)
    H = np.zeros((P, P))
    for i0 in range(0, N, chunk):
        sl = slice(i0, min(N, i0 + chunk))
        _assemble(H, offsets, params, tape(params, X[sl], Y[sl], act, loss, curvature), curvature, layer)
    _mirror_upper(H)
    H *= 1.0 / N
    return H
