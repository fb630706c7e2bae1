"""Seeded synthetic data for streaming logistic regression, as in the stochastic Newton papers' simulations.

Designs x ~ N(0, Σ) in R^p, with three covariances (:func:`covariance`):

* ``"gaussian"``         Σ = I (the classic: θ = (−2, −1, 0, 1, 2), x ~ N(0, I₅));
* ``"toeplitz"``         Σ_ij = ρ^{|i−j|}, drawn without a matrix factorisation as the AR(1)
                         chain x_1 = e_1, x_j = ρ x_{j−1} + √(1 − ρ²) e_j (e i.i.d. N(0, 1)),
                         whose covariance is exactly ρ^{|i−j|};
* ``"ill-conditioned"``  Σ = diag(s_j²), s_j = κ^{−(j−1)/(2(p−1))}: the scales run from 1 down to
                         κ^{−1/2}, so cond(Σ) = κ (``cond``).

Labels Y | x ~ Bernoulli(π(θᵀΦ)) with Φ = x, or Φ = (1, x) when ``intercept`` (then θ_0 is the
intercept and θ has p + 1 entries). Far and near starts θ_0 = θ + r·Z/‖Z‖, Z ~ N(0, I)
(:func:`start_point`). Every function takes ``seed``: an int, a ``numpy.random.Generator`` or None.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from ..arguments import choice, flag, integer, real, real_array
from ..arguments import seed as seed_

__all__ = ["DESIGNS", "covariance", "design", "labels", "make_logistic", "stream", "start_point", "features"]

DESIGNS = ("gaussian", "toeplitz", "ill-conditioned")


def _check_design(kind: str, rho: float, cond: float) -> None:
    choice(kind, "kind (the design)", DESIGNS)
    real(rho, "rho", low=-1.0, high=1.0, low_open=True, high_open=True)
    real(cond, "cond", low=1.0)


def _scales(p: int, cond: float) -> np.ndarray:
    return cond ** (-np.arange(p) / (2.0 * max(p - 1, 1)))


def covariance(p: int, kind: str = "gaussian", rho: float = 0.9, cond: float = 1e3) -> np.ndarray:
    """Σ of the design ``kind`` in dimension p (see the module docstring)."""
    _check_design(kind, rho, cond)
    p = integer(p, "p (features)", low=1)
    if kind == "toeplitz":
        idx = np.arange(p)
        return rho ** np.abs(idx[:, None] - idx[None, :]).astype(float)
    if kind == "ill-conditioned":
        return np.diag(_scales(p, cond) ** 2)
    return np.eye(p)


def design(n: int, p: int, kind: str = "gaussian", rho: float = 0.9, cond: float = 1e3,
           seed=None) -> np.ndarray:
    """n draws x ~ N(0, Σ) as an (n, p) C-contiguous array."""
    _check_design(kind, rho, cond)
    n = integer(n, "n (samples)", low=0)
    p = integer(p, "p (features)", low=1)
    rng = np.random.default_rng(seed_(seed, generator=True))
    X = rng.standard_normal((int(n), int(p)))
    if kind == "toeplitz":
        s = np.sqrt(1.0 - rho * rho)
        for j in range(1, p):
            X[:, j] = rho * X[:, j - 1] + s * X[:, j]
    elif kind == "ill-conditioned":
        X *= _scales(p, cond)
    return X


def features(X: np.ndarray, intercept: bool) -> np.ndarray:
    """Φ: the rows of X, with a leading 1 when ``intercept``."""
    if not intercept:
        return X
    return np.hstack([np.ones((X.shape[0], 1)), X])


def labels(X: np.ndarray, theta, intercept: bool = False, seed=None) -> np.ndarray:
    """Y_i ~ Bernoulli(π(θᵀΦ_i)) as float64 0.0 / 1.0."""
    theta = real_array(theta, "theta", ndim=1)
    X = real_array(X, "X", ndim=2, min_size=0)
    Phi = features(X, flag(intercept, "intercept"))
    if theta.shape != (Phi.shape[1],):
        raise ValueError(f"theta must have {Phi.shape[1]} entries for X with {X.shape[1]} features"
                         f"{' and an intercept' if intercept else ''}; got shape {theta.shape}")
    rng = np.random.default_rng(seed_(seed, generator=True))
    # U < π(z) written as log(U) − log(1 − U) < z: no overflow of e^{−z}
    U = rng.random(X.shape[0])
    with np.errstate(divide="ignore"):
        return (np.log(U) - np.log1p(-U) < Phi @ theta).astype(np.float64)


def make_logistic(n: int, theta, kind: str = "gaussian", rho: float = 0.9, cond: float = 1e3,
                  intercept: bool = False, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): n samples of the logistic model with parameter θ (θ_0 the intercept if any)."""
    theta = real_array(theta, "theta", ndim=1)
    p = theta.size - (1 if flag(intercept, "intercept") else 0)
    if p < 1:
        raise ValueError(f"theta must have at least {2 if intercept else 1} entries (intercept: {intercept}); "
                         f"got {theta.size}")
    rng = np.random.default_rng(seed_(seed, generator=True))
    X = design(n, p, kind, rho, cond, seed=rng)
    return X, labels(X, theta, intercept, seed=rng)


def stream(n: int, chunk: int, theta, kind: str = "gaussian", rho: float = 0.9, cond: float = 1e3,
           intercept: bool = False, seed=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The same model as :func:`make_logistic`, n samples yielded in chunks of ≤ ``chunk`` rows
    (for streams larger than memory). Seeded: the same arguments give the same chunks."""
    chunk = integer(chunk, "chunk", low=1)
    n = integer(n, "n (samples)", low=0)
    rng = np.random.default_rng(seed_(seed, generator=True))
    done = 0
    while done < n:
        m = min(int(chunk), n - done)
        yield make_logistic(m, theta, kind, rho, cond, intercept, seed=rng)
        done += m


def start_point(theta, r: float, seed=None) -> np.ndarray:
    """θ + r·Z/‖Z‖ with Z ~ N(0, I): a start at distance exactly r from θ, direction uniform."""
    theta = real_array(theta, "theta", ndim=1)
    r = real(r, "r (distance)", low=0.0)
    Z = np.random.default_rng(seed_(seed, generator=True)).standard_normal(theta.size)
    return theta + r * Z / np.linalg.norm(Z)
