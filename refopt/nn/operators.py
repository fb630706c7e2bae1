r"""An MLP's curvature as matrix-free operators: the Hessian, the Gauss–Newton matrix, a layer block.

    op = mlp.hessian_operator(theta, X, y)            # ∇²L(θ), P × P, never formed
    op = mlp.ggn_operator(theta, X, y)                # G = (1/N) Σ J_iᵀ M_i J_i (PSD)
    op = mlp.hessian_operator(theta, X, y, layer=j)   # the diagonal block of layer j (W_j then b_j)

Each is a ``scipy.sparse.linalg.LinearOperator`` (float64, symmetric), so it works with scipy's
``eigsh``/``cg`` and with every routine of :mod:`refopt.spectral` (``lanczos_topk(op, k=20)``,
``hutchinson_trace(op)``, ``slq_density(op)``, …): layer-wise spectra and traces come from the
same tools. A product is one R-operator sweep (:func:`refopt.nn.hessian.tangent_product`), O(N P):
the forward pass and the backward δ are recorded once when the operator is made (the tape), and
every product reuses them. A layer block's product is the full product with v zero outside the
layer, restricted to the layer (the same cost as a full one).
"""
from __future__ import annotations

import numpy as np
from scipy.sparse.linalg import LinearOperator

from ..arguments import choice, real_array
from . import hessian as _h

__all__ = ["CurvatureOperator"]


class CurvatureOperator(LinearOperator):
    """H (``kind="hessian"``) or G (``kind="ggn"``) of ``mlp`` at (θ, X, y), or its block of
    ``layer``; ``products`` counts the products taken (a block of k counts k)."""

    def __init__(self, mlp, theta, X, y, kind: str = "hessian", layer: int | None = None):
        from .mlp import MLP

        if not isinstance(mlp, MLP):
            raise TypeError(f"mlp must be a refopt.MLP; got {type(mlp).__name__}")
        kind = choice(kind, "kind", ("hessian", "ggn"))
        layer = mlp._check_layer(layer)
        # private copies: the tape is recorded at this θ and X, and later edits of the caller's
        # arrays in place must not change (or half-change) the operator
        theta = np.array(mlp._check_theta(theta), copy=True)
        params, X, Y = mlp._data(theta, np.array(X, dtype=np.float64, copy=True), y)
        self.mlp, self.kind, self.layer = mlp, kind, layer
        self._params, self._N = params, X.shape[0]
        self._curvature = kind == "hessian"
        self._tape = _h.tape(params, X, Y, mlp.act, mlp.loss_fn, curvature=self._curvature)
        self._slice = slice(0, mlp.n_params) if layer is None else mlp.slices[layer]
        n = self._slice.stop - self._slice.start
        self.products = 0
        super().__init__(dtype=np.float64, shape=(n, n))

    def _full(self, v: np.ndarray) -> np.ndarray:
        if self.layer is None:
            return v
        full = np.zeros(self.mlp.n_params)
        full[self._slice] = v
        return full

    def _matvec(self, v):
        v = real_array(np.ravel(v), "v", shape=(self.shape[0],))
        self.products += 1
        out = _h.tangent_product(self._tape, self._params, self.mlp.unflatten(self._full(v)), self._N,
                                 self._curvature)
        return out[self._slice]

    def matvec(self, v):
        """A v for v of shape (P,) or (P, 1) (the operator's size; ValueError naming it otherwise)."""
        v = real_array(v, "v", min_size=0)
        if v.shape not in ((self.shape[0],), (self.shape[0], 1)):
            raise ValueError(f"v must have shape ({self.shape[0]},) or ({self.shape[0]}, 1); got shape {v.shape}")
        return super().matvec(v)

    def _rmatvec(self, v):  # symmetric
        return self._matvec(v)

    def _adjoint(self):
        return self

    def __repr__(self) -> str:
        what = "Hessian" if self._curvature else "Gauss-Newton matrix"
        where = "" if self.layer is None else f", block of layer {self.layer}"
        return f"<{self.shape[0]}x{self.shape[0]} {what} operator of {self.mlp!r}{where}>"
