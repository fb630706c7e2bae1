r"""The Hessian of one sample's loss is low rank: its exact factors, eigenvalues and Newton step.

Mehouachi & Kasmi, "Exact stochastic second order deep learning" (arXiv 2104.03804, 2021)
state in their abstract that for batch size 1 and a suitable regularisation the stochastic
Hessian, its exact eigenvalues and the Newton direction have closed forms, and that
non-convexity is handled by an absolute-value ("spectral") adjustment. Only the abstract was
consulted here; the derivation below, the choice of the regulariser (λ/2)‖θ‖² and every
numerical decision are refopt's own reading, not the paper's equations.

**Notation** (that of :mod:`refopt.nn.hessian`, 0-based layers j = 0 … L−1, one sample x).
Layer j takes h_j (h_0 = x), computes z_j = h_j W_j + b_j, and h_{j+1} = σ(z_j) for j < L−1;
f = z_{L−1}. With a bias h̃_j = (h_j, 1) and W̃_j = [W_j; b_j] (S_j × T_j, S_j = fan_in + 1;
without a bias h̃_j = h_j, S_j = fan_in). δ_j = ∂ℓ/∂z_j, so that

    ∂ℓ/∂W̃_j = h̃_j δ_jᵀ,   in the flat layout (W̃_j row-major)   vec = h̃_j ⊗ δ_j.          (1)

**Where the columns of the Hessian live.** A column of H = ∇²ℓ is the derivative of the
gradient along some direction v. Differentiating (1):

    d(h̃_j ⊗ δ_j) = dh̃_j ⊗ δ_j + h̃_j ⊗ dδ_j.                                            (2)

The bias entry of h̃_j is the constant 1, so dh̃_j = (dh_j, 0); and dh_j = σ'(z_{j−1}) ⊙ dz_{j−1}
for j ≥ 1, while dh_0 = 0 (the input does not move). The backward recursion gives
dδ_j = σ'(z_j) ⊙ (dδ_{j+1} W_{j+1}ᵀ + δ_{j+1} dW_{j+1}ᵀ) + σ''(z_j) ⊙ g_j ⊙ dz_j (g_j = δ_{j+1}W_{j+1}ᵀ)
for j < L−1, and dδ_{L−1} = M dz_{L−1} with M = ∂²ℓ/∂f². So the layer-j part of every column lies in

    V_j = span{ e_a ⊗ δ_j : a ∈ A_j }  +  span{ h̃_j ⊗ q : q ∈ Q_j },                        (3)

    A_j = ∅ for j = 0,   A_j = {a ≤ fan_in : σ'(z_{j−1})_a ≠ 0} for j ≥ 1,
    Q_j = span{e_t : σ'(z_j)_t ≠ 0 or σ''(z_j)_t g_{j,t} ≠ 0} for j < L−1,
    Q_{L−1} = R^C (mse, logistic),   Q_{L−1} = 1^⊥ (softmax_ce: M 1 = p − p Σ_k p_k = 0).

(The masks are exact zero tests; they only matter where σ' or σ'' vanish, as for ReLU's inactive
units; for tanh, erf, sigmoid, … they keep every unit.) Layers occupy disjoint coordinates of θ,
so the column space of H lies in V = V_0 ⊕ … ⊕ V_{L−1}, and with U (P × r) an orthonormal basis of V,

    H = U C Uᵀ,   C = Uᵀ H U  (r × r),   r = dim V.                                          (4)

The data gradient (1) lies in V as well: h̃_j ⊗ δ_j = Σ_t δ_{j,t} h̃_j ⊗ e_t, δ_j vanishes where
σ'(z_j) does, and δ_{L−1} = p − y ∈ 1^⊥ for softmax_ce.

**The dimension.** The two families of (3) are each orthonormal after scaling (different rows
e_a; one vector h̃_j). They meet only in multiples of h̃_j ⊗ δ_j (e_a ⊗ δ_j has a zero bias row,
h̃_j ⊗ q has q in it), which is in the first family only without a bias. Generically (every mask
full, δ_j ≠ 0, h̃_j ≠ 0) therefore

    r = Σ_j |Q_j| + Σ_{j≥1} (fan_in_j − [no bias])
      = Σ_{j<L−1} T_j + (C − [softmax_ce]) + Σ_{j≥1} n_j − (L − 1)[no bias]                  (5)

(:func:`rank_bound`), against P = Σ_j (fan_in_j + [bias]) T_j: for [6, 12, 12, 1] with a bias,
r = 49 of P = 253. This is the bound n_1 + Σ_{l≥2} (n_{l−1} + n_l) of a first count, less the
overlaps and the softmax's null direction. In degenerate samples (δ_j = 0; h_j = 0 without a bias; dead ReLU units) r is smaller. V is a
direct sum of per-layer pieces, so where H couples the layers more tightly than that, dim V
exceeds rank H and C is singular: at a zero residual of mse, H = JᵀJ has rank ≤ C while V has
C dimensions per layer. Eqs. (4)–(8) hold all the same. The tests hold r equal to
``numpy.linalg.matrix_rank`` of the dense per-sample Hessian (``MLP.hessian`` on the one row) on
generic samples, and ≥ it always.

**How U and C are computed.** The sets of (3) are refined into subspaces by two recursions over
the layers, with exact zero tests: forward, dz_j is free where h̃_j ≠ 0, else in W_jᵀ G_j, and
dh_{j+1} ∈ G_{j+1} = σ'(z_j) ⊙ (that space) (G_0 = 0); backward, dδ_{L−1} ∈ R_{L−1} = Q_{L−1} and
dδ_j ∈ R_j = span(σ'(z_j) ⊙ W_{j+1} R_{j+1}, {e_t : σ'_t ≠ 0} if δ_{j+1} ≠ 0, σ''(z_j) g_j ⊙ (space of dz_j)).
Generically every one is the whole space (then no SVD is needed for it); they shrink only where units are
inactive or a layer's δ or h vanishes. Per layer, the unit vectors u ⊗ δ_j/‖δ_j‖ (u ∈ G_j, zero bias
row) and h̃_j/‖h̃_j‖ ⊗ q (q ∈ R_j) are the columns of K_j (P_j × k_j; a family whose δ_j or h̃_j is
exactly zero is left out), and U_j = the left singular vectors of K_j whose singular value exceeds
max(P_j, k_j) · ε · σ_max(K_j) (NumPy's ``matrix_rank`` rule; without a bias the exact overlap has
σ = 0 up to rounding, the others are ≥ 1/(√2‖h_j‖) or so). U is block diagonal by layer.
C = Uᵀ(H U) from r Hessian–vector products (Pearlmutter's R-operator of :func:`refopt.nn.hessian.tangent_product`, here with the r directions stacked on a
leading axis, :func:`hvps`, on one recorded forward and backward pass of the sample), symmetrised.
Cost: one forward/backward pass, O(Σ_j P_j k_j²) for the SVDs, r HVPs of O(P) each, O(P r) for the products with U and O(r³) for the eigendecomposition of C; memory P·r.

**Regularised spectrum and Newton step.** With the regulariser (λ/2)‖θ‖², λ > 0, the per-sample
objective ℓ(θ) + (λ/2)‖θ‖² has Hessian λI + U C Uᵀ. With C = QΛQᵀ (Λ = diag μ_1 … μ_r), its
eigenvalues are exactly

    λ (multiplicity P − r)   and   λ + μ_k,  k = 1 … r,                                      (6)

(eigenvectors: the orthogonal complement of V, and U q_k). With g = ∇ℓ(θ) + λθ, the Newton
direction (the step is θ ← θ − α d) is

    d = (λI + U C Uᵀ)⁻¹ g = U (λI + C)⁻¹ Uᵀ g + (g − U Uᵀ g)/λ,                               (7)

exact for any orthonormal U (split g into its parts in V and V^⊥). Since ∇ℓ ∈ V, the second
term is (λθ − λUUᵀθ)/λ = θ − UUᵀθ: a full step (α = 1) sets the part of θ outside V to zero, and
a step α shrinks it by the factor 1 − α — the regulariser acts on V^⊥ as weight decay of rate α.
The **saddle-free** direction replaces each λ + μ_k by |λ + μ_k| (the absolute Hessian |λI + H|):

    d_|·| = U Q diag(1/|λ + μ_k|) Qᵀ Uᵀ g + (g − U Uᵀ g)/λ,                                  (8)

a descent direction of the regularised per-sample objective whenever g ≠ 0 (|λI + H| is positive
definite unless some λ + μ_k = 0). ``floor`` (≥ 0, default 0) replaces |λ + μ_k| by
max(|λ + μ_k|, floor), a bound on the step in every eigendirection of V. A direction whose
matrix is singular to working precision (min_k |λ + μ_k| ≤ r ε max(λ, max_k |λ + μ_k|)) raises
numpy.linalg.LinAlgError.

Inputs: ``x`` one sample, shape (d_in,) or (1, d_in); ``y`` its target as the loss takes it for
one sample (mse: (C,), or a number when C = 1; logistic: 0 or 1; softmax_ce: an integer label or a
one-hot row (C,)); θ of shape (P,); λ a finite number > 0 (ValueError naming ``lam`` otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import arguments as _a
from . import hessian as _h

__all__ = ["sample_hessian_factors", "sample_spectrum", "sample_newton_direction", "sample_gradient",
           "rank_bound", "SampleFactors", "sample_factors", "newton_direction", "hvps"]

EPS = np.finfo(np.float64).eps


@dataclass
class SampleFactors:
    """What one sample's forward/backward pass gives: U (P × r, orthonormal, block diagonal by
    layer), C = UᵀHU (r × r, symmetric), the data gradient ∇ℓ (P,), the per-layer dimensions
    of V_j (``layer_ranks``) and the generic bound (5) (``bound``)."""

    U: np.ndarray
    C: np.ndarray
    grad: np.ndarray
    layer_ranks: list
    bound: int

    @property
    def rank(self) -> int:
        return int(self.U.shape[1])


def rank_bound(mlp) -> int:
    """The generic r of eq. (5): Σ_{j<L−1} T_j + (C − [softmax_ce]) + Σ_{j≥1} (fan_in_j − [no bias])."""
    _check_mlp(mlp)
    sizes, L = mlp.sizes, mlp.n_layers
    r = sum(sizes[1:-1]) + sizes[-1] - (mlp.loss_name == "softmax_ce")
    r += sum(sizes[j] - (not mlp.bias) for j in range(1, L))
    return int(r)


def _check_mlp(mlp):
    from .mlp import MLP

    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be a refopt.MLP; got {_a.describe(mlp)}")


def _one_sample(mlp, theta, x, y):
    """(params, X (1, d_in), Y (1, C)) validated."""
    _check_mlp(mlp)
    theta = mlp._check_theta(theta)
    d = mlp.sizes[0]
    x = _a.real_array(x, "x (one sample)", finite=False)
    if x.shape not in ((d,), (1, d)) and not (d == 1 and x.shape == ()):
        raise ValueError(f"x (one sample) must have shape ({d},) or (1, {d}); got shape {x.shape}")
    X = _a.real_array(x.reshape(1, d), "x (one sample)")
    C = mlp.sizes[-1]
    yy = np.asarray(y)
    if yy.dtype.kind == "b":
        raise TypeError(f"y (the target of one sample) must be numbers, not booleans; got {_a.describe(y)}")
    if yy.ndim == 0:
        yy = yy.reshape(1)
    elif yy.ndim == 1 and yy.size == C and C > 1:
        yy = yy.reshape(1, C)
    elif not ((yy.ndim == 1 and yy.size == 1) or (yy.ndim == 2 and yy.shape[0] == 1)):
        raise ValueError(f"y (the target of one sample) must have shape ({C},) or be one number or label; "
                         f"got shape {yy.shape}")
    Y = mlp.loss_fn.targets(yy, 1, C)
    return mlp.unflatten(theta), X, Y, theta


def _span(M: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the column space of M: left singular vectors whose singular value
    exceeds max(rows, cols) · ε · σ_max (NumPy's ``matrix_rank`` rule); M's zero columns dropped."""
    if M.shape[1]:
        M = M[:, np.any(M != 0.0, axis=0)]
    if M.shape[1] == 0:
        return np.zeros((M.shape[0], 0))
    W, s, _ = np.linalg.svd(M, full_matrices=False)
    return W[:, s > max(M.shape) * EPS * s[0]]


def _units(mask: np.ndarray) -> np.ndarray:
    """The columns e_t, t where ``mask`` holds."""
    return np.eye(mask.size)[:, mask]


def _families(mlp, t, params):
    """Per layer j: (G_j, R_j), orthonormal bases of the spaces that dh_j and dδ_j range over
    (eq. 3 and its refinement by exact zeros), from the forward and backward recursions."""
    L = mlp.n_layers
    T = mlp.sizes[1:]
    # forward: G_j ∋ dh_j (G_0 = 0), F_j ∋ dz_j = dh_j W_j + h_j dW_j + db_j
    G, F = [np.zeros((mlp.sizes[0], 0))], []
    for j in range(L):
        if np.any(t.h[j][0] != 0.0):  # h̃_j ≠ 0 (always, with a bias): dz_j is free
            F.append(np.eye(T[j]))
        else:
            F.append(_span(params[j][0].T @ G[j]))
        if j < L - 1:
            s1 = t.s1[j][0]
            G.append(F[j] if np.all(s1 != 0.0) and F[j].shape[1] == T[j] else _span(s1[:, None] * F[j]))
    # backward: R_j ∋ dδ_j; dδ_{L−1} = M dz_{L−1}
    R = [None] * L
    if mlp.loss_name == "softmax_ce":
        R[-1] = _ones_complement(T[-1])
    else:
        R[-1] = np.eye(T[-1]) if np.any(t.M[0] != 0.0) else np.zeros((T[-1], 0))
    for j in range(L - 2, -1, -1):
        s1 = t.s1[j][0]
        curv = t.s2[j][0] * t.g[j][0]
        free = (s1 != 0.0) if np.any(t.delta[j + 1][0] != 0.0) else np.zeros(T[j], dtype=bool)
        free = free | ((curv != 0.0) if F[j].shape[1] == T[j] else np.zeros(T[j], dtype=bool))
        if np.all(free):
            R[j] = np.eye(T[j])
            continue
        parts = [s1[:, None] * (params[j + 1][0] @ R[j + 1]), _units(free)]
        if F[j].shape[1] < T[j]:
            parts.append(curv[:, None] * F[j])
        R[j] = _span(np.concatenate(parts, axis=1))
    return G, R


def _unit_columns(mlp, t, params):
    """Per layer, K_j (P_j × k_j): the unit vectors u ⊗ δ̂_j (u ∈ G_j, zero bias row) and
    ĥ_j ⊗ q (q ∈ R_j) of eq. (3) as columns."""
    G, R = _families(mlp, t, params)
    out = []
    for j in range(mlp.n_layers):
        fan_in, T = mlp.sizes[j], mlp.sizes[j + 1]
        S = fan_in + mlp.bias
        h, delta = t.h[j][0], t.delta[j][0]
        cols = []
        nd = np.linalg.norm(delta)
        if nd > 0.0 and G[j].shape[1]:
            A = np.zeros((S, G[j].shape[1]))
            A[:fan_in] = G[j]
            cols.append(np.einsum("sk,t->stk", A, delta / nd).reshape(S * T, -1))
        nh = np.linalg.norm(h)
        if nh > 0.0 and R[j].shape[1]:
            cols.append(np.einsum("s,tk->stk", h / nh, R[j]).reshape(S * T, -1))
        out.append(np.concatenate(cols, axis=1) if cols else np.zeros((S * T, 0)))
    return out


def _ones_complement(C: int) -> np.ndarray:
    """An orthonormal basis of 1^⊥ in R^C (C × (C − 1)): the Helmert contrasts."""
    Q = np.zeros((C, C - 1))
    for k in range(1, C):
        Q[:k, k - 1] = 1.0
        Q[k, k - 1] = -k
        Q[:, k - 1] /= np.sqrt(k * (k + 1.0))
    return Q


def hvps(mlp, t, params, V: np.ndarray) -> np.ndarray:
    """H V for the k columns of V (P × k) at once, H the Hessian of the one sample of the tape ``t``:
    Pearlmutter's R-operator (:func:`refopt.nn.hessian.tangent_product`, the same recursions) with
    a leading axis over the k directions. Forward: ż_j = ḣ_j W_j + h_j Ẇ_j + ḃ_j, ḣ_{j+1} = σ'(z_j) ż_j;
    ṙ = M ż_{L−1}; backward: δ̇_j = σ'(z_j)(δ̇_{j+1} W_{j+1}ᵀ + δ_{j+1} Ẇ_{j+1}ᵀ) + σ''(z_j) g_j ż_j,
    (HV)_{W̃_j} = h̃_j ⊗ δ̇_j + [ḣ_j; 0] ⊗ δ_j."""
    L, k, bias = mlp.n_layers, V.shape[1], mlp.bias
    Wd, bd = [], []
    for sl, a, b in zip(mlp.slices, mlp.sizes[:-1], mlp.sizes[1:]):
        blk = V[sl].T  # (k, P_j)
        Wd.append(blk[:, :a * b].reshape(k, a, b))
        bd.append(blk[:, a * b:] if bias else None)
    zdot, hdot = [], [None]
    for j in range(L):
        zd = np.einsum("s,kst->kt", t.inputs[j][0], Wd[j])
        if j > 0:
            zd += hdot[j] @ params[j][0]
        if bias:
            zd += bd[j]
        zdot.append(zd)
        if j < L - 1:
            hdot.append(t.s1[j][0] * zd)
    ddot = zdot[-1] @ t.M[0].T
    out = [None] * L
    for j in range(L - 1, -1, -1):
        blk = t.h[j][0][None, :, None] * ddot[:, None, :]  # (k, S_j, T_j)
        if j > 0:
            blk[:, :mlp.sizes[j]] += hdot[j][:, :, None] * t.delta[j][0][None, None, :]
            ddot = (t.s1[j - 1][0] * (ddot @ params[j][0].T + np.einsum("t,kst->ks", t.delta[j][0], Wd[j]))
                    + t.s2[j - 1][0] * t.g[j - 1][0] * zdot[j - 1])
        out[j] = blk.reshape(k, blk.shape[1] * blk.shape[2])
    return np.concatenate(out, axis=1).T


def sample_factors(mlp, theta, x, y) -> SampleFactors:
    """U, C = UᵀHU, ∇ℓ and the dimensions of eqs. (3)–(5) for one sample (see the module docstring)."""
    params, X, Y, _ = _one_sample(mlp, theta, x, y)
    t = _h.tape(params, X, Y, mlp.act, mlp.loss_fn, curvature=True)
    P = mlp.n_params
    blocks = [_span(K) for K in _unit_columns(mlp, t, params)]
    r = sum(b.shape[1] for b in blocks)
    U = np.zeros((P, r))
    c = 0
    for sl, b in zip(mlp.slices, blocks):
        U[sl, c:c + b.shape[1]] = b
        c += b.shape[1]
    C = U.T @ hvps(mlp, t, params, U)
    C = 0.5 * (C + C.T)
    grad = np.concatenate([np.outer(h[0], d[0]).ravel() for h, d in zip(t.h, t.delta)])
    return SampleFactors(U, C, grad, [b.shape[1] for b in blocks], rank_bound(mlp))


def sample_hessian_factors(mlp, theta, x, y) -> tuple[np.ndarray, np.ndarray]:
    """(U, C) with ∇²ℓ(θ; x, y) = U C Uᵀ exactly (eq. 4): U (P × r) orthonormal, C (r × r) symmetric."""
    f = sample_factors(mlp, theta, x, y)
    return f.U, f.C


def sample_gradient(mlp, theta, x, y) -> np.ndarray:
    """∇ℓ(θ; x, y) of one sample (eq. 1), shape (P,)."""
    params, X, Y, _ = _one_sample(mlp, theta, x, y)
    return _h.gradient(params, X, Y, mlp.act, mlp.loss_fn)


def _lam(lam) -> float:
    return _a.real(lam, "lam (the L2 regularisation λ)", low=0.0, low_open=True)


def sample_spectrum(mlp, theta, x, y, lam) -> tuple[np.ndarray, int]:
    """The exact spectrum of λI + ∇²ℓ(θ; x, y) (eq. 6): (values, m) with ``values`` = λ + eig(C)
    (r values, ascending) and m = P − r the multiplicity of the further eigenvalue λ."""
    lam = _lam(lam)
    f = sample_factors(mlp, theta, x, y)
    return lam + np.linalg.eigvalsh(f.C), mlp.n_params - f.rank


def newton_direction(f: SampleFactors, theta, lam: float, saddle_free: bool = True,
                     floor: float = 0.0) -> np.ndarray:
    """Eq. (7) (or (8) with ``saddle_free``) from computed factors; θ and λ as validated."""
    U = f.U
    g = f.grad + lam * theta
    Ug = U.T @ g
    mu, Q = np.linalg.eigh(f.C)
    m = lam + mu
    if saddle_free:
        m = np.maximum(np.abs(m), floor)
    if m.size and np.min(np.abs(m)) <= m.size * EPS * max(lam, float(np.max(np.abs(m)))):
        raise np.linalg.LinAlgError("λI + H of the sample is singular to working precision "
                                    f"(min |λ + μ| = {float(np.min(np.abs(m))):.3g})")
    inside = U @ (Q @ ((Q.T @ Ug) / m))
    return inside + (g - U @ Ug) / lam


def sample_newton_direction(mlp, theta, x, y, lam, saddle_free: bool = True, floor=0.0) -> np.ndarray:
    """d = (λI + ∇²ℓ)⁻¹ (∇ℓ + λθ) by eq. (7), or the saddle-free |λI + ∇²ℓ|⁻¹(∇ℓ + λθ) of eq. (8)
    (``saddle_free``, the default; ``floor`` ≥ 0 bounds |λ + μ_k| below). The step is θ − α d."""
    lam = _lam(lam)
    saddle_free = _a.flag(saddle_free, "saddle_free")
    floor = _a.real(floor, "floor (the least adjusted eigenvalue)", low=0.0)
    f = sample_factors(mlp, theta, x, y)
    return newton_direction(f, mlp._check_theta(theta), lam, saddle_free, floor)
