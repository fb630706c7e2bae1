"""Synthetic teacher–student data (Couto, Mourão, Figueiredo & Ribeiro 2025).

A teacher network of the student's own architecture labels Gaussian inputs x ~ N(0, I):
y = f(x; θ*) (+ Gaussian noise for ``mse``). For ``logistic`` the label is [f > 0] and for
``softmax_ce`` argmax_k f_k (integer labels), so the teacher is a perfect classifier. At θ = θ*
with ``mse`` and no noise the residuals vanish and the Hessian equals the Gauss–Newton matrix
(1/N) Σ J_iᵀ J_i — the setting of the rank and spectrum laws of Couto et al. (2025).
"""
from __future__ import annotations

import numpy as np

from ..arguments import describe, integer, real
from ..arguments import seed as seed_

__all__ = ["teacher_student"]


def teacher_student(mlp, n: int, seed: int = 0, noise: float = 0.0, theta_star=None):
    """(X, y, θ*) with X (n, d_in) standard normal and y labelled by the teacher θ*.

    ``theta_star`` defaults to ``mlp.init(seed)`` (W ~ N(0, 1/fan_in), b = 0).
    """
    from .mlp import MLP

    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be a refopt.MLP; got {describe(mlp)}")
    n = integer(n, "n (number of samples)", low=1)
    noise = real(noise, "noise", low=0.0)
    rng = np.random.default_rng(seed_(seed))
    theta = mlp.init(seed) if theta_star is None else mlp._check_theta(theta_star, "theta_star")
    X = rng.standard_normal((int(n), mlp.sizes[0]))
    f = mlp.predict(theta, X)
    if mlp.loss_name == "mse":
        y = f + noise * rng.standard_normal(f.shape)
    elif mlp.loss_name == "logistic":
        y = (f[:, 0] > 0).astype(np.float64)
    else:
        y = np.argmax(f, axis=1)
    return X, y, theta
