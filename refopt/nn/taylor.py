r"""The first three derivatives of the MLP's loss along a line, by univariate Taylor propagation.

For a direction v in parameter space let φ(t) = L(θ + t v), L = (1/N) Σ_i ℓ(f(x_i; θ), y_i).
Every intermediate quantity of the forward pass becomes a function of t, and its derivatives at
t = 0 are pushed through the network to order 3 (univariate Taylor propagation: Griewank &
Walther, *Evaluating Derivatives*, 2nd ed., SIAM 2008, ch. 13, "Taylor and Tensor Coefficients"). Everything here is in **derivative form**: a subscript
k is the k-th derivative in t at t = 0, a_k = dᵏa/dtᵏ (the Taylor coefficient times k!).

Notation of :mod:`refopt.nn.hessian`: layer j takes h_j (h_0 = X) and computes z_j = h_j W_j + b_j,
h_{j+1} = σ(z_j) for j < L−1, f = z_{L−1}. Along the line W_j(t) = W_j + t Ẇ_j and
b_j(t) = b_j + t ḃ_j are linear, and the inputs do not move (h_{0,k} = 0 for k ≥ 1).

**Affine layer.** h W is bilinear in (h, W), so its derivatives are those of a product of two
truncated series, (a b)_k = Σ_i C(k, i) a_i b_{k−i} (Leibniz); W(t) has only W and Ẇ:

    z_0 = h_0 W + b,    z_1 = h_1 W + h_0 Ẇ + ḃ,    z_2 = h_2 W + 2 h_1 Ẇ,    z_3 = h_3 W + 3 h_2 Ẇ

**Activation** (elementwise; Faà di Bruno to order 3, σ', σ'', σ''' of :mod:`refopt.nn.activations`
at z_0):

    h_1 = σ' z_1,    h_2 = σ' z_2 + σ'' z_1²,    h_3 = σ' z_3 + 3 σ'' z_1 z_2 + σ''' z_1³

**Loss** along the output curve f(t) (f_k = z_{L−1,k}), per sample, with r = ∂ℓ/∂f, M = ∂²ℓ/∂f²
and ℓ'''[u, u, u] the third derivative along u (:mod:`refopt.nn.losses`), all at f_0:

    φ(0)   = mean ℓ(f_0)
    φ'(0)  = mean r·f_1
    φ''(0) = mean (f_1ᵀ M f_1 + r·f_2)
    φ'''(0)= mean (ℓ'''[f_1, f_1, f_1] + 3 f_1ᵀ M f_2 + r·f_3)

The result is exact up to rounding (no step, no truncation). Cost: seven matrix products per
layer (h_k W for k = 0…3 and h_k Ẇ for k = 0…2), O(N P), all samples at once; the only Python
loop is over layers. With v zero outside one group of parameters, φ'''(0) is the
pure third derivative of L along that group's block of v.
"""
from __future__ import annotations

import numpy as np

from .activations import Activation
from .losses import Loss

__all__ = ["directional_derivatives"]


def directional_derivatives(params, tangent, X: np.ndarray, Y: np.ndarray, act: Activation,
                            loss: Loss) -> tuple[float, float, float, float]:
    """(φ(0), φ'(0), φ''(0), φ'''(0)) of φ(t) = L(θ + t v) (module docstring).

    ``params`` = [(W_j, b_j or None)] is θ unflattened, ``tangent`` = [(Ẇ_j, ḃ_j or None)] is v in
    the same form; X (N, d_in) and Y (the loss's canonical (N, C) targets) already validated.
    """
    N = X.shape[0]
    last = len(params) - 1
    h = None  # [h_0, h_1, h_2, h_3] of the current layer's input; None for the fixed inputs X
    for j, ((W, b), (Wd, bd)) in enumerate(zip(params, tangent)):
        if h is None:
            z0 = X @ W
            z1 = X @ Wd
            z2 = z3 = np.zeros_like(z0)
        else:
            h0, h1, h2, h3 = h
            z0 = h0 @ W
            z1 = h1 @ W + h0 @ Wd
            z2 = h2 @ W + 2.0 * (h1 @ Wd)
            z3 = h3 @ W + 3.0 * (h2 @ Wd)
        if b is not None:
            z0 = z0 + b
            z1 = z1 + bd
        if j < last:
            s1, s2, s3 = act.d1(z0), act.d2(z0), act.d3(z0)
            h = [act(z0), s1 * z1, s1 * z2 + s2 * z1 * z1, s1 * z3 + 3.0 * s2 * z1 * z2 + s3 * z1 ** 3]
    f0, f1, f2, f3 = z0, z1, z2, z3
    r = loss.residual(f0, Y)
    Mf1 = np.matmul(loss.curvature(f0, Y), f1[:, :, None])[:, :, 0]
    d0 = loss(f0, Y)
    d1 = float(np.sum(r * f1)) / N
    d2 = float(np.sum(f1 * Mf1) + np.sum(r * f2)) / N
    d3 = float(np.sum(loss.third(f0, Y, f1)) + 3.0 * np.sum(f2 * Mf1) + np.sum(r * f3)) / N
    return d0, d1, d2, d3
