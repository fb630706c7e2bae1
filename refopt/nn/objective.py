r"""A network's training loss as an objective of its (trained) parameters: what optimizers see.

    obj = NetworkObjective(mlp, X, y)                       # all parameters trained
    obj = NetworkObjective(mlp, X, y, theta, layers=[0])    # layer 0 trained, the others fixed at θ
    refopt.minimize(obj, obj.init(seed), method="partition-newton")

The variable x is the vector of the trained parameters, in the layout of :class:`~refopt.nn.MLP`
(the trained layers' W then b, in layer order); the other entries of θ keep the values of
``theta``. With ``layers`` the two-layer model of Cai et al. (2024), f(w; x) = (1/m) Σ_j a_j φ(w_jᵀx)
with the output weights a_j/m fixed, is ``MLP([d, m, 1], "leaky_softplus", bias=False,
loss="logistic")`` with layer 1 fixed.

The objective is a *differentiable objective* for :func:`refopt.minimize`
(:mod:`refopt.optim.objective`): ``value_and_grad`` (backpropagation), ``hvp`` (the R-operator),
``summary`` (V H Vᵀ for a few directions, from one recorded forward pass), ``hess`` (the structured
exact Hessian), ``third`` (∇³L[v, v, v] by Taylor mode, :mod:`refopt.nn.taylor`) and ``groups``
(one group per trained tensor, W_j and b_j, the default of partition Newton). Besides: the
per-sample margins and the normalized margin, the sharpness (the largest Hessian eigenvalue, by
Lanczos on HVPs, :func:`refopt.spectral.lanczos_topk`) and ``batch`` (the objective on a subset
of the samples, for mini-batch training).
"""
from __future__ import annotations

import numpy as np

from ..arguments import describe, real_array
from . import hessian as _h

__all__ = ["NetworkObjective"]


class NetworkObjective:
    """L(x) = (1/N) Σ_i ℓ(f(x_i; θ(x)), y_i) of an :class:`~refopt.nn.MLP` (module docstring)."""

    def __init__(self, mlp, X, y, theta=None, layers=None):
        from .mlp import MLP

        if not isinstance(mlp, MLP):
            raise TypeError(f"mlp must be a refopt.MLP; got {describe(mlp)}")
        self.mlp = mlp
        X = mlp._check_X(X)
        if X.shape[0] == 0:
            raise ValueError("X must hold at least one sample")
        self.X = X
        self.Y = mlp.loss_fn.targets(y, X.shape[0], mlp.sizes[-1])
        if layers is None:
            self.layers = tuple(range(mlp.n_layers))
        else:
            if not isinstance(layers, (list, tuple)) or not layers:
                raise TypeError(f"layers must be None or a non-empty list of layer indices; got {describe(layers)}")
            chosen = sorted({mlp._check_layer(j, allow_none=False) for j in layers})
            if len(chosen) != len(layers):
                raise ValueError(f"layers names a layer twice: {list(layers)}")
            self.layers = tuple(chosen)
        partial = len(self.layers) < mlp.n_layers
        if theta is None and partial:
            raise ValueError("theta (the values of the layers that are not trained) is needed with layers")
        self.theta = np.zeros(mlp.n_params) if theta is None else np.array(mlp._check_theta(theta), copy=True)
        self.index = np.concatenate([np.arange(mlp.slices[j].start, mlp.slices[j].stop) for j in self.layers])
        self.n = int(self.index.size)
        self.groups, start = [], 0
        for j in self.layers:
            a, b = mlp.sizes[j], mlp.sizes[j + 1]
            self.groups.append(list(range(start, start + a * b)))
            if mlp.bias:
                self.groups.append(list(range(start + a * b, start + (a + 1) * b)))
            start += (a + mlp.bias) * b
        self.group_names = [f"{kind}{j}" for j in self.layers for kind in (("W", "b") if mlp.bias else ("W",))]

    def __repr__(self) -> str:
        return (f"NetworkObjective({self.mlp!r}, N={self.X.shape[0]}, layers={list(self.layers)})"
                f"  # {self.n} trained parameters")

    # ---- x and θ -----------------------------------------------------------------------------
    def full(self, x) -> np.ndarray:
        """θ with the trained entries set to x."""
        x = real_array(x, "x", shape=(self.n,))
        theta = self.theta.copy()
        theta[self.index] = x
        return theta

    def _tangent(self, v, name: str = "v") -> list:
        v = real_array(v, name, shape=(self.n,))
        full = np.zeros(self.mlp.n_params)
        full[self.index] = v
        return self.mlp.unflatten(full)

    def init(self, seed: int = 0) -> np.ndarray:
        """x from :meth:`MLP.init` (LeCun normal W, zero b) for the trained layers."""
        return self.mlp.init(seed)[self.index]

    def batch(self, rows) -> "NetworkObjective":
        """The same objective on the samples ``rows`` (indices into X)."""
        rows = np.asarray(rows)
        if rows.ndim != 1 or rows.size == 0 or rows.dtype.kind not in "iu":
            raise ValueError(f"rows must be a non-empty 1-D array of sample indices; got {describe(rows)}")
        if rows.min() < 0 or rows.max() >= self.X.shape[0]:
            raise ValueError(f"rows must be sample indices in 0 … {self.X.shape[0] - 1}")
        out = object.__new__(NetworkObjective)
        out.__dict__.update(self.__dict__)
        out.X, out.Y = self.X[rows], self.Y[rows]
        return out

    # ---- derivatives -------------------------------------------------------------------------
    def _tape(self, x, curvature: bool):
        params = self.mlp.unflatten(self.full(x))
        return params, _h.tape(params, self.X, self.Y, self.mlp.act, self.mlp.loss_fn, curvature=curvature)

    def value(self, x) -> float:
        """L(x)."""
        return self.mlp.loss_fn(_h.forward(self.mlp.unflatten(self.full(x)), self.X, self.mlp.act), self.Y)

    __call__ = value

    def value_and_grad(self, x) -> tuple[float, np.ndarray]:
        """(L(x), ∇L(x)) from one forward and one backward pass."""
        params, t = self._tape(x, curvature=False)
        value = self.mlp.loss_fn(t.z[-1], self.Y)
        grad = np.concatenate([(h.T @ d).ravel() for h, d in zip(t.h, t.delta)]) / self.X.shape[0]
        return value, grad[self.index]

    def grad(self, x) -> np.ndarray:
        """∇L(x)."""
        return self.value_and_grad(x)[1]

    def hvp(self, x, v) -> np.ndarray:
        """∇²L(x) v by the R-operator."""
        params, t = self._tape(x, curvature=True)
        return _h.tangent_product(t, params, self._tangent(v), self.X.shape[0])[self.index]

    def summary(self, x, V) -> np.ndarray:
        """V ∇²L(x) Vᵀ for the rows of V (k × n): one recorded forward pass and backward δ, then one
        forward tangent sweep per row (:func:`refopt.nn.hessian.quadratic_forms`); a row that is
        zero outside one tensor costs the layers from that tensor's on."""
        V = real_array(V, "V", shape=(None, self.n))
        params, t = self._tape(x, curvature=True)
        tangents = []
        for v in V:
            blocks = self._tangent(v)
            tangents.append([(W if np.any(W) else None, None if b is None or not np.any(b) else b) for W, b in blocks])
        return _h.quadratic_forms(t, params, tangents, self.X.shape[0])

    def hess(self, x) -> np.ndarray:
        """∇²L(x) (n × n), the structured exact Hessian (its block of the trained layers)."""
        theta = self.full(x)
        if len(self.layers) == self.mlp.n_layers:
            return self.mlp.hessian(theta, self.X, self.Y)
        if len(self.layers) == 1:
            return self.mlp.layer_hessian(theta, self.X, self.Y, self.layers[0])
        return self.mlp.hessian(theta, self.X, self.Y)[np.ix_(self.index, self.index)]

    def third(self, x, v) -> float:
        """∇³L(x)[v, v, v] = d³/dt³ L(x + t v) at t = 0, by univariate Taylor mode."""
        full = np.zeros(self.mlp.n_params)
        full[self.index] = real_array(v, "v", shape=(self.n,))
        return float(self.mlp.directional_derivatives(self.full(x), self.X, self.Y, full)[3])

    # ---- what training records ---------------------------------------------------------------
    def margins(self, x) -> np.ndarray:
        """Per-sample margins: ỹ_i f_i with ỹ = 2y − 1 (logistic); f_{i,y_i} − max_{k≠y_i} f_ik
        (softmax_ce). Negative where a sample is misclassified. Not defined for mse."""
        f = _h.forward(self.mlp.unflatten(self.full(x)), self.X, self.mlp.act)
        if self.mlp.loss_name == "logistic":
            return (2.0 * self.Y[:, 0] - 1.0) * f[:, 0]
        if self.mlp.loss_name == "softmax_ce":
            own = np.sum(f * self.Y, axis=1)
            other = np.max(np.where(self.Y > 0, -np.inf, f), axis=1)
            return own - other
        raise ValueError("margins need a classification loss ('logistic' or 'softmax_ce'); this one is 'mse'")

    def normalized_margin(self, x) -> float:
        """min_i margin_i / ‖x‖₂ (Cai et al. 2024; Lyu & Li 2020 for 1-homogeneous models); it is
        negative, not hidden, when some sample is misclassified (data not separated)."""
        x = real_array(x, "x", shape=(self.n,))
        norm = float(np.linalg.norm(x))
        if norm == 0.0:
            raise ValueError("the normalized margin is undefined at x = 0")
        return float(np.min(self.margins(x)) / norm)

    def sharpness(self, x, seed: int = 0, tol: float = 1e-8) -> float:
        """λ_max(∇²L(x)), the largest eigenvalue, by thick-restart Lanczos on R-operator products
        (one recorded forward pass; residual tolerance ``tol`` relative to the operator's scale)."""
        from ..spectral import lanczos_topk

        params, t = self._tape(x, curvature=True)
        N = self.X.shape[0]

        def matvec(v):
            return _h.tangent_product(t, params, self._tangent(v), N)[self.index]

        return float(lanczos_topk(matvec, self.n, k=1, seed=seed, which="LA", tol=tol).eigenvalues[0])
