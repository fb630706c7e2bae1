r"""A layer's Hessian block as a sum of Kronecker products, and its Kronecker approximation.

For layer j (z_j = h̃_j W̃_j, W̃_j = [W_j; b_j] of shape S × T, the parameter (s, t) at index s·T + t)
the diagonal block of the Hessian is exactly

    H_jj = (1/N) Σ_i (h̃_i h̃_iᵀ) ⊗ G_i,        G_i = ∂²ℓ_i/∂z_j²   (T × T)

(term (I) of :mod:`refopt.nn.hessian` with k = m; G_i holds the σ'' terms of later layers, so this
is the exact block for every activation). For the last layer under ``softmax_ce``, G_i = diag p_i −
p_i p_iᵀ (p_i the softmax output), of rank c − 1.

**Decoupling conjecture** (Wu, Zhu, Wu, Wang & Ge 2020, "Dissecting Hessian: understanding common
structure of Hessian in neural networks", §3): H_jj ≈ E[h̃h̃ᵀ] ⊗ E[G]. Then the eigenpairs are
(ν_a μ_b, v_a ⊗ u_b) for E[h̃h̃ᵀ] = Σ ν_a v_a v_aᵀ and E[G] = Σ μ_b u_b u_bᵀ; an eigenvector v ⊗ u
reshaped to the weight's S × T shape is the rank-1 matrix v uᵀ, and with nonnegative inputs
(after a ReLU) v₁ ≈ E[h̃]/‖E[h̃]‖. :func:`layer_factors` returns the two factors and E[h̃];
:func:`kronecker_top` the top-k eigenpairs of their Kronecker product without forming it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..arguments import integer
from . import hessian as _h

__all__ = ["layer_factors", "kronecker_top", "LayerFactors"]


class LayerFactors(NamedTuple):
    """E[h̃h̃ᵀ] (S × S), E[G] (T × T), E[h̃] (S,), and the per-sample h̃ (N × S) and G (N × T × T)."""

    inputs: np.ndarray
    outputs: np.ndarray
    mean_input: np.ndarray
    h: np.ndarray
    G: np.ndarray

    def exact_block(self) -> np.ndarray:
        """(1/N) Σ_i (h̃_i h̃_iᵀ) ⊗ G_i — equal to ``MLP.layer_hessian``."""
        N, S = self.h.shape
        T = self.G.shape[1]
        B = np.einsum("is,ip,itq->stpq", self.h, self.h, self.G, optimize=True) / N
        return B.reshape(S * T, S * T)

    def kronecker(self) -> np.ndarray:
        """E[h̃h̃ᵀ] ⊗ E[G], in the same layout."""
        return np.kron(self.inputs, self.outputs)


def layer_factors(mlp, theta, X, y, layer: int) -> LayerFactors:
    """The Kronecker factors of layer ``layer``'s Hessian block (module docstring)."""
    layer = mlp._check_layer(layer, allow_none=False)
    params, X, Y = mlp._data(theta, X, y)
    t = _h.tape(params, X, Y, mlp.act, mlp.loss_fn)
    G = _h.preactivation_hessians(t, params)[layer]
    h = t.h[layer]
    N = X.shape[0]
    return LayerFactors(h.T @ h / N, G.mean(axis=0), h.mean(axis=0), h, G)


def kronecker_top(A: np.ndarray, B: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest eigenvalues of A ⊗ B (descending) and their eigenvectors v_a ⊗ u_b, for
    symmetric factors A and B (checked: the rule of refopt.spectral's operators)."""
    from ..spectral.operator import as_operator

    nu, V = np.linalg.eigh(as_operator(A, name="A").dense)
    mu, U = np.linalg.eigh(as_operator(B, name="B").dense)
    k = integer(k, "k", low=1, high=nu.size * mu.size)
    prod = np.outer(nu, mu).ravel()
    top = np.argsort(-prod, kind="stable")[:k]
    a, b = np.divmod(top, mu.size)
    vecs = np.einsum("sk,tk->stk", V[:, a], U[:, b]).reshape(nu.size * mu.size, k)
    return prod[top], vecs
