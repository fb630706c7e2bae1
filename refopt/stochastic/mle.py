"""The full-data maximum-likelihood estimate, the reference the streaming estimates are judged by.

For samples (Φ_i, Y_i), i = 1..N, the mean negative log-likelihood of logistic regression and
its exact derivatives (z_i = θᵀΦ_i, π_i = π(z_i)):

    L(θ)   = (1/N) Σ_i [log(1 + e^{z_i}) − Y_i z_i]
    ∇L(θ)  = (1/N) Σ_i (π_i − Y_i) Φ_i
    ∇²L(θ) = (1/N) Σ_i π_i(1 − π_i) Φ_iΦ_iᵀ

L is convex; its minimiser θ̂_N is found by ``refopt.minimize(method="newton")`` (exact Hessian,
strong Wolfe line search). Under the model, √N(θ̂_N − θ) → N(0, H⁻¹), the same limit as the
efficient stochastic Newton methods, which therefore approach θ̂_N faster than θ̂_N approaches θ
(the property tests/test_stochastic_statistics.py checks). On separable data the MLE does not
exist: Newton then ends with success=False (or a huge ‖θ‖), which the result reports.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

from .data import features

__all__ = ["logistic_loss", "logistic_grad", "logistic_hess", "logistic_mle"]


def _pi(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def logistic_loss(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> float:
    z = Phi @ theta
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def logistic_grad(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> np.ndarray:
    return Phi.T @ (_pi(Phi @ theta) - y) / Phi.shape[0]


def logistic_hess(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> np.ndarray:
    p = _pi(Phi @ theta)
    H = (Phi * (p * (1.0 - p))[:, None]).T @ Phi / Phi.shape[0]
    return 0.5 * (H + H.T)


def logistic_mle(X, y, intercept: bool = False, theta0=None, gtol: float = 1e-10,
                 maxiter: int = 100) -> OptimizeResult:
    """θ̂_N by Newton's method on the full data; ``res.x`` is the estimate (θ_0 the intercept)."""
    from ..optim import minimize
    from .estimator import check_data

    X, y = check_data(X, y)
    Phi = features(X, intercept)
    x0 = np.zeros(Phi.shape[1]) if theta0 is None else theta0
    return minimize(logistic_loss, x0, method="newton", jac=logistic_grad, hess=logistic_hess,
                    args=(Phi, y), options={"gtol": gtol, "maxiter": maxiter})
