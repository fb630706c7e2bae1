"""Losses of the network output f (N × C): the mean value, and per sample r = ∂ℓ/∂f, M = ∂²ℓ/∂f², ℓ'''.

L(θ) = (1/N) Σ_i ℓ(f_i, y_i). The structured Hessian (:mod:`refopt.nn.hessian`) needs, per
sample i, the residual r_i = ∂ℓ/∂f_i (C) and the output Hessian M_i = ∂²ℓ/∂f_i² (C × C): then
H = (1/N) Σ_i J_iᵀ M_i J_i + (1/N) Σ_i Σ_k r_ik ∇²_θ f_ik  (Gauss–Newton part + curvature part).
For all three losses M_i ⪰ 0, so the Gauss–Newton matrix is PSD and equals the Fisher
information of the matching likelihood (Gaussian / Bernoulli / categorical, Martens 2020 §9.2).
Third-order tools (:mod:`refopt.nn.taylor`) also need, per sample, the third derivative along
one direction u_i ∈ R^C, ℓ'''(f_i)[u_i, u_i, u_i] (``third``, derived by hand, last column).

=============  ===================================  =========  ===============================  =====================
name           ℓ(f, y)                              r = ∂ℓ/∂f  M = ∂²ℓ/∂f²                      ℓ'''(f)[u, u, u]
=============  ===================================  =========  ===============================  =====================
mse            ½ ‖f − y‖²                           f − y      I                                0
logistic       softplus(f) − y f  (C = 1, y ∈ {0,1}) s − y      s(1 − s),  s = sigmoid(f)        s(1 − s)(1 − 2s) u³
softmax_ce     logsumexp(f) − Σ_k y_k f_k  (C ≥ 2)  p − y      diag(p) − p pᵀ,  p = softmax(f)  Σ_k p_k (u_k − p·u)³
=============  ===================================  =========  ===============================  =====================

The targets enter ℓ linearly, so the third derivative does not depend on y. For ``softmax_ce``
it is the third cumulant of u under the distribution p (the derivatives of logsumexp along u are
the cumulants of u under p): Σ_k p_k u_k³ − 3 (Σ p u²)(Σ p u) + 2 (Σ p u)³ = Σ_k p_k (u_k − p·u)³,
evaluated in the centred form (the raw moments cancel badly when p is nearly one-hot and u large).

So ``mse`` is L = 1/(2N) Σ ‖f_i − y_i‖². ``logistic`` is the mean binary cross-entropy of
one logit. ``softmax_ce`` takes integer labels (shape (N,), values 0 … C−1) or one-hot rows
(N, C); both are turned into one-hot rows. Targets are checked by :meth:`Loss.targets`, which
raises ValueError naming the expected shape and values.

The value is written once against a namespace ``xp`` (NumPy or ``refopt.ad.numpy``); logsumexp is
a chain of pairwise ``logaddexp`` (stable, and needs no max-reduction in the AD namespace).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special

from ..arguments import real_array
from .activations import numpy_namespace

__all__ = ["Loss", "get_loss", "LOSS_NAMES"]

LOSS_NAMES = ("mse", "logistic", "softmax_ce")


@dataclass(frozen=True)
class Loss:
    """One loss: ``value(f, Y, xp)`` = L (mean over samples), ``residual`` r, ``curvature`` M,
    ``third`` the per-sample third derivative along a direction u."""

    name: str
    value: Callable      # (f, Y, xp) -> (1/N) Σ ℓ(f_i, Y_i)
    residual: Callable   # (f, Y) -> r (N, C)
    curvature: Callable  # (f, Y) -> M (N, C, C)
    targets: Callable    # (y, N, C) -> Y (N, C) float64, validated
    third: Callable      # (f, Y, u) -> ℓ'''(f_i)[u_i, u_i, u_i] (N,)

    def __call__(self, f, Y) -> float:
        return float(self.value(f, Y, numpy_namespace()))


def _finite(y, what="y"):
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{what} must be finite (no NaN or inf)")


def _as_matrix(y, N, C, what):
    """y of shape (N, C), or (N,) when C == 1, as float64 (N, C); ValueError otherwise."""
    y = real_array(y, what, min_size=0, finite=False)
    if C == 1 and y.shape == (N,):
        y = y.reshape(N, 1)
    if y.shape != (N, C):
        expected = f"({N}, {C})" + (f" or ({N},)" if C == 1 else "")
        raise ValueError(f"y must have shape {expected} for {N} samples and {C} outputs; got {y.shape}")
    _finite(y)
    return y


# --- mse ----------------------------------------------------------------------------------------
def _mse_value(f, Y, xp):
    e = f - Y
    return 0.5 * xp.sum(e * e) / Y.shape[0]


def _mse_residual(f, Y):
    return f - Y


def _mse_curvature(f, Y):
    N, C = f.shape
    return np.broadcast_to(np.eye(C), (N, C, C)).copy()


def _mse_third(f, Y, u):
    return np.zeros(f.shape[0])


def _mse_targets(y, N, C):
    return _as_matrix(y, N, C, "y (mse targets)")


# --- logistic -----------------------------------------------------------------------------------
def _logistic_value(f, Y, xp):
    return xp.sum(xp.softplus(f) - Y * f) / Y.shape[0]


def _logistic_residual(f, Y):
    return special.expit(f) - Y


def _logistic_curvature(f, Y):
    s = special.expit(f)
    return (s * (1.0 - s))[:, :, None]


def _logistic_third(f, Y, u):
    s = special.expit(f)
    return np.sum(s * (1.0 - s) * (1.0 - 2.0 * s) * u ** 3, axis=1)


def _logistic_targets(y, N, C):
    if C != 1:
        raise ValueError(f"loss 'logistic' needs a single output logit (sizes[-1] == 1); got {C} outputs")
    Y = _as_matrix(y, N, 1, "y (logistic labels)")
    if not np.all((Y == 0.0) | (Y == 1.0)):
        raise ValueError("y (logistic labels) must be 0 or 1")
    return Y


# --- softmax cross-entropy ----------------------------------------------------------------------
def _softmax_value(f, Y, xp):
    lse = f[:, 0]
    for k in range(1, Y.shape[1]):
        lse = xp.logaddexp(lse, f[:, k])
    return (xp.sum(lse) - xp.sum(f * Y)) / Y.shape[0]


def _softmax_residual(f, Y):
    return special.softmax(f, axis=1) - Y


def _softmax_curvature(f, Y):
    p = special.softmax(f, axis=1)
    M = -p[:, :, None] * p[:, None, :]
    idx = np.arange(p.shape[1])
    M[:, idx, idx] += p
    return M


def _softmax_third(f, Y, u):
    p = special.softmax(f, axis=1)
    w = u - np.sum(p * u, axis=1, keepdims=True)  # centred: no cancellation of the u³ terms
    return np.sum(p * w ** 3, axis=1)


def _softmax_targets(y, N, C):
    if C < 2:
        raise ValueError(f"loss 'softmax_ce' needs at least 2 outputs (classes); got {C}")
    y = np.asarray(y)
    if y.dtype.kind not in "iuf":
        raise TypeError(f"y (softmax_ce labels) must be integer labels or one-hot rows; got dtype {y.dtype}")
    if y.ndim == 1:
        if y.shape != (N,):
            raise ValueError(f"integer labels y must have shape ({N},); got {y.shape}")
        if y.dtype.kind == "f":
            _finite(y)
        labels = y.astype(np.int64)
        if not (np.all(labels == y) and np.all((labels >= 0) & (labels < C))):
            raise ValueError(f"integer labels y must be integers in 0..{C - 1}")
        Y = np.zeros((N, C))
        Y[np.arange(N), labels] = 1.0
        return Y
    Y = _as_matrix(y, N, C, f"y (one-hot labels, or integer labels of shape ({N},))")
    if not (np.all((Y == 0.0) | (Y == 1.0)) and np.all(Y.sum(axis=1) == 1.0)):
        raise ValueError(f"one-hot labels y of shape ({N}, {C}) must have exactly one 1 per row, zeros elsewhere")
    return Y


_LOSSES = {
    "mse": Loss("mse", _mse_value, _mse_residual, _mse_curvature, _mse_targets, _mse_third),
    "logistic": Loss("logistic", _logistic_value, _logistic_residual, _logistic_curvature, _logistic_targets,
                     _logistic_third),
    "softmax_ce": Loss("softmax_ce", _softmax_value, _softmax_residual, _softmax_curvature, _softmax_targets,
                       _softmax_third),
}


def get_loss(name) -> Loss:
    """The loss called ``name``; ValueError naming the known losses."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name.strip().lower() not in _LOSSES:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(LOSS_NAMES)}")
    return _LOSSES[name.strip().lower()]
