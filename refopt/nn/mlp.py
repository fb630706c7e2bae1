"""The multilayer perceptron and its exact derivatives on a flat float64 θ.

    MLP(sizes, activation="tanh", bias=True, loss="mse")

``sizes`` = [d_in, width_1, …, d_out]; hidden layers apply the activation, the output layer is
linear (f = h_{L−1} W_{L−1} + b_{L−1}). **Parameter layout** (stable, shared with golden files):
for each layer in order, W of shape (fan_in, fan_out) flattened row-major, then b (fan_out);
the layer computes h @ W + b. ``.slices[j]`` is the index range of layer j.

Loss L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i) (:mod:`refopt.nn.losses`). Derivatives:

* ``.grad`` backpropagation; ``.hvp`` Pearlmutter's R-operator, O(N P);
* ``.directional_derivatives``: φ(0), φ'(0), φ''(0), φ'''(0) of φ(t) = L(θ + t v), exact, by
  univariate Taylor propagation to order 3 (:mod:`refopt.nn.taylor`), O(N P);
* ``.hessian`` / ``.ggn`` / ``.layer_hessian``: the structured exact Hessian of
  :mod:`refopt.nn.hessian` (its docstring states the formulas and the memory bound);
* ``.hessian_operator`` / ``.ggn_operator``: the same matrices (or a layer block) matrix-free,
  as scipy LinearOperators for :mod:`refopt.spectral` (:mod:`refopt.nn.operators`);
* ``.hessian_generic``: the independent oracle — the same forward pass and loss (written once
  against a namespace ``xp``) differentiated by ``refopt.ad``.

Targets y: ``mse`` (N, C) (or (N,) when C = 1); ``logistic`` labels 0/1, (N,) or (N, 1);
``softmax_ce`` integer labels (N,) in 0…C−1 or one-hot (N, C). Wrong shapes, unknown names and
non-finite inputs raise ValueError naming what was expected.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import arguments
from ..arguments import describe, flag, integer, real_array
from . import hessian as _h
from . import taylor as _taylor
from .activations import get_activation, numpy_namespace
from .losses import get_loss

__all__ = ["MLP"]


class MLP:
    """A fully connected network with a flat parameter vector (see the module docstring)."""

    def __init__(self, sizes: Sequence[int], activation: str = "tanh", bias: bool = True, loss: str = "mse"):
        if not isinstance(sizes, (list, tuple, np.ndarray)) or len(sizes) < 2:
            raise TypeError(f"sizes must be a list of >= 2 positive ints [d_in, hidden..., d_out]; "
                            f"got {describe(sizes)}")
        self.sizes = tuple(integer(a, f"sizes[{k}]", low=1) for k, a in enumerate(sizes))
        self.act = get_activation(activation)
        self.activation = self.act.name
        self.loss_fn = get_loss(loss)
        self.loss_name = self.loss_fn.name
        self.bias = flag(bias, "bias")
        if self.loss_name == "logistic" and sizes[-1] != 1:
            raise ValueError(f"loss 'logistic' needs sizes[-1] == 1 (one logit); got sizes {sizes}")
        if self.loss_name == "softmax_ce" and sizes[-1] < 2:
            raise ValueError(f"loss 'softmax_ce' needs sizes[-1] >= 2 (classes); got sizes {sizes}")
        self.slices, start = [], 0
        for a, b in zip(sizes[:-1], sizes[1:]):
            width = (a + self.bias) * b
            self.slices.append(slice(start, start + width))
            start += width
        self.n_params = start
        self.n_layers = len(sizes) - 1

    def __repr__(self) -> str:
        return (f"MLP(sizes={list(self.sizes)}, activation={self.activation!r}, bias={self.bias}, "
                f"loss={self.loss_name!r})  # {self.n_params} parameters")

    # ---- parameters --------------------------------------------------------------------------
    def init(self, seed: int = 0) -> np.ndarray:
        """θ with W ~ N(0, 1/fan_in) (LeCun normal) and b = 0."""
        rng = np.random.default_rng(arguments.seed(seed))
        parts = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            parts.append(rng.standard_normal(a * b) / np.sqrt(a))
            if self.bias:
                parts.append(np.zeros(b))
        return np.concatenate(parts)

    def unflatten(self, theta, xp=np) -> list:
        """[(W_j, b_j)] views of θ (b_j None without bias); works on AD arrays with ``xp``."""
        if xp is np:
            theta = self._check_theta(theta)
        out = []
        for sl, a, b in zip(self.slices, self.sizes[:-1], self.sizes[1:]):
            W = theta[sl.start:sl.start + a * b].reshape(a, b)
            out.append((W, theta[sl.start + a * b:sl.stop] if self.bias else None))
        return out

    def flatten(self, params) -> np.ndarray:
        """Inverse of :meth:`unflatten`."""
        parts = []
        for (W, b), a, c in zip(params, self.sizes[:-1], self.sizes[1:]):
            parts.append(np.asarray(W, dtype=np.float64).reshape(a * c))
            if self.bias:
                parts.append(np.asarray(b, dtype=np.float64).reshape(c))
        return np.concatenate(parts)

    # ---- input checks ------------------------------------------------------------------------
    def _check_theta(self, theta, name: str = "theta") -> np.ndarray:
        return real_array(theta, name, shape=(self.n_params,))

    def _check_X(self, X) -> np.ndarray:
        X = real_array(X, "X", min_size=0, finite=False)
        if self.sizes[0] == 1 and X.ndim == 1:
            X = X.reshape(-1, 1)
        return real_array(X, "X", shape=(None, self.sizes[0]))

    def _data(self, theta, X, y):
        X = self._check_X(X)
        return self.unflatten(theta), X, self.loss_fn.targets(y, X.shape[0], self.sizes[-1])

    # ---- values ------------------------------------------------------------------------------
    def predict(self, theta, X) -> np.ndarray:
        """Network output f (N, d_out)."""
        return _h.forward(self.unflatten(theta), self._check_X(X), self.act)

    def _loss(self, theta, X, Y, xp=np):
        """L(θ) written once against ``xp`` (NumPy, or ``refopt.ad.numpy`` for the AD oracle).

        X and Y must already be validated (Y in the canonical (N, C) form of the loss).
        """
        f = _h.forward(self.unflatten(theta, xp=xp), X, self.act, xp=xp)
        return self.loss_fn.value(f, Y, numpy_namespace(xp))

    def loss(self, theta, X, y) -> float:
        """L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i)."""
        params, X, Y = self._data(theta, X, y)
        return self.loss_fn(_h.forward(params, X, self.act), Y)

    def grad(self, theta, X, y) -> np.ndarray:
        """∇L(θ) (backpropagation), shape (P,)."""
        return _h.gradient(*self._data(theta, X, y), self.act, self.loss_fn)

    def hvp(self, theta, X, y, v) -> np.ndarray:
        """∇²L(θ) v by the R-operator, O(N P), shape (P,)."""
        params, X, Y = self._data(theta, X, y)
        v = self._check_theta(v, "v")
        return _h.hvp(params, self.unflatten(v), X, Y, self.act, self.loss_fn)

    def directional_derivatives(self, theta, X, y, v) -> np.ndarray:
        """[φ(0), φ'(0), φ''(0), φ'''(0)] of φ(t) = L(θ + t v), by Taylor propagation, shape (4,)."""
        params, X, Y = self._data(theta, X, y)
        v = self._check_theta(v, "v")
        return np.array(_taylor.directional_derivatives(params, self.unflatten(v), X, Y, self.act,
                                                        self.loss_fn))

    # ---- matrices ----------------------------------------------------------------------------
    def hessian(self, theta, X, y, chunk: int | None = None) -> np.ndarray:
        """The exact Hessian ∇²L(θ) (P × P), structured (:mod:`refopt.nn.hessian`)."""
        return _h.structured_hessian(*self._data(theta, X, y), self.act, self.loss_fn,
                                     chunk=self._check_chunk(chunk))

    def ggn(self, theta, X, y, chunk: int | None = None) -> np.ndarray:
        """Generalized Gauss–Newton (1/N) Σ J_iᵀ M_i J_i (= Fisher for these losses), P × P, PSD."""
        return _h.structured_hessian(*self._data(theta, X, y), self.act, self.loss_fn,
                                     curvature=False, chunk=self._check_chunk(chunk))

    def layer_hessian(self, theta, X, y, layer: int, chunk: int | None = None) -> np.ndarray:
        """The diagonal block of ∇²L(θ) for layer ``layer`` (its W then b), P_j × P_j."""
        return _h.structured_hessian(*self._data(theta, X, y), self.act, self.loss_fn,
                                     layer=self._check_layer(layer, allow_none=False),
                                     chunk=self._check_chunk(chunk))

    # ---- matrix-free operators (refopt.nn.operators) -------------------------------------------
    def hessian_operator(self, theta, X, y, layer: int | None = None):
        """∇²L(θ) (or the block of ``layer``) as a scipy LinearOperator: products by the R-operator."""
        from .operators import CurvatureOperator

        return CurvatureOperator(self, theta, X, y, "hessian", self._check_layer(layer))

    def ggn_operator(self, theta, X, y, layer: int | None = None):
        """The Gauss–Newton matrix (or the block of ``layer``) as a scipy LinearOperator."""
        from .operators import CurvatureOperator

        return CurvatureOperator(self, theta, X, y, "ggn", self._check_layer(layer))

    def layer_factors(self, theta, X, y, layer: int):
        """E[h̃h̃ᵀ], E[G] of layer ``layer``: H_jj = E[h̃h̃ᵀ ⊗ G] exactly (:mod:`refopt.nn.kronecker`)."""
        from .kronecker import layer_factors

        return layer_factors(self, theta, X, y, layer)

    def objective(self, X, y, theta=None, layers=None):
        """The loss on (X, y) as an objective of the trained parameters (:class:`~refopt.nn.NetworkObjective`):
        for :func:`refopt.minimize` and :func:`refopt.nn.train`; ``layers`` trained, the others fixed at θ."""
        from .objective import NetworkObjective

        return NetworkObjective(self, X, y, theta=theta, layers=layers)

    def _check_layer(self, layer, allow_none: bool = True):
        layer = integer(layer, "layer", low=-self.n_layers, high=self.n_layers - 1, allow_none=allow_none)
        return None if layer is None else int(layer) % self.n_layers

    def hessian_generic(self, theta, X, y) -> np.ndarray:
        """The same Hessian by the generic autodiff ``refopt.ad`` (slow; the independent oracle)."""
        from refopt import ad

        _, X, Y = self._data(theta, X, y)
        return np.asarray(ad.hessian(lambda th: self._loss(th, X, Y, xp=ad.numpy))(
            self._check_theta(theta)), dtype=np.float64)

    @staticmethod
    def _check_chunk(chunk):
        return integer(chunk, "chunk (samples per block)", low=1, allow_none=True)
