"""The full-data maximum-likelihood estimate, the reference the streaming estimates are judged by.

For samples (Φ_i, Y_i), i = 1..N, the mean negative log-likelihood of logistic regression and
its exact derivatives (z_i = θᵀΦ_i, π_i = π(z_i)):

    L(θ)   = (1/N) Σ_i [log(1 + e^{z_i}) − Y_i z_i]
    ∇L(θ)  = (1/N) Σ_i (π_i − Y_i) Φ_i
    ∇²L(θ) = (1/N) Σ_i π_i(1 − π_i) Φ_iΦ_iᵀ

L is convex; its minimiser θ̂_N is found by ``refopt.minimize(method="newton")`` (exact Hessian,
strong Wolfe line search). Under the model, √N(θ̂_N − θ) → N(0, H⁻¹), the same limit as the
efficient stochastic Newton methods, which therefore approach θ̂_N faster than θ̂_N approaches θ
(the property tests/test_stochastic_statistics.py checks).

**When no finite MLE exists.** With s_i = 2Y_i − 1 and a_i = s_i Φ_i, the MLE is finite iff no
w ≠ 0 has a_iᵀw ≥ 0 for every i (Albert & Anderson 1984, Biometrika 71(1)): otherwise the data
are completely (all > 0) or quasi-completely separated, L keeps decreasing along w and Newton's
iterates diverge while ∇L → 0 — a "converged" run would report huge coefficients. So the result
is certified instead of trusted:

* Φ without full column rank: the MLE is not unique (status 6), reported before any iteration;
* after Newton, a finite minimizer is **certified** near θ̂ when ‖∇L(θ̂)‖₂ < λ_min(∇²L(θ̂)) /
  (e R), R = max_i ‖Φ_i‖₂. Proof: π(1 − π) changes by at most a factor e^{|δ|} when z moves by δ,
  so on the ball ‖θ − θ̂‖ ≤ 1/R, ∇²L ⪰ e^{−1} ∇²L(θ̂) and L is μ = λ_min/e strongly convex there;
  a μ-strongly convex function whose gradient at the centre is below μ·(radius) has its
  minimizer inside the ball. Cost: one d × d eigenvalue problem;
* otherwise (not certified) a linear program decides: maximize Σ_i a_iᵀw subject to a_iᵀw ≥ 0,
  −1 ≤ w ≤ 1 (scipy's HiGHS); a positive optimum means separation (status 5, the separating
  direction in ``res.separating_direction``, the kind in the message); a zero optimum means the
  data overlap and Newton simply did not converge (its own status). The LP runs only on this
  failure path.
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


STATUS_SEPARATED = 5
STATUS_NOT_IDENTIFIABLE = 6


def logistic_mle(X, y, intercept: bool = False, theta0=None, gtol: float = 1e-10,
                 maxiter: int = 100) -> OptimizeResult:
    """θ̂_N by Newton's method on the full data; ``res.x`` is the estimate (θ_0 the intercept).

    ``res.success`` is True only for a certified finite minimizer (module docstring); separable
    data give status 5 and a message naming complete or quasi-complete separation, a design
    without full column rank status 6.
    """
    from ..arguments import flag, integer, real, real_array
    from ..optim import minimize
    from .estimator import check_data

    X, y = check_data(X, y)
    Phi = features(X, flag(intercept, "intercept"))
    gtol = real(gtol, "gtol", low=0.0, low_open=True)
    maxiter = integer(maxiter, "maxiter", low=1)
    d = Phi.shape[1]
    x0 = np.zeros(d) if theta0 is None else real_array(theta0, "theta0", shape=(d,))
    if np.linalg.matrix_rank(Phi) < d:
        return OptimizeResult(x=np.full(d, np.nan), success=False, status=STATUS_NOT_IDENTIFIABLE,
                              message=f"the MLE is not unique: the design (with intercept column: "
                                      f"{intercept}) has rank {np.linalg.matrix_rank(Phi)} < {d}",
                              nit=0, nfev=0, njev=0, nhev=0)
    res = minimize(logistic_loss, x0, method="newton", jac=logistic_grad, hess=logistic_hess,
                   args=(Phi, y), options={"gtol": gtol, "maxiter": maxiter})
    if _certified(res.x, Phi, y):
        return res
    w, complete = _separation(Phi, y)
    if w is None:
        res.success = False
        if res.status == 0:
            res.message = "Newton stopped without a certified minimizer (the data overlap; try a larger maxiter)"
        return res
    kind = "completely" if complete else "quasi-completely"
    res.update(success=False, status=STATUS_SEPARATED, separating_direction=w,
               message=f"no finite MLE: the data are {kind} separated (a_iᵀw >= 0 for every sample "
                       f"along separating_direction w); the likelihood has no maximum")
    return res


def _certified(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> bool:
    """‖∇L(θ)‖ < λ_min(∇²L(θ)) / (e R): a finite minimizer lies within 1/R of θ."""
    if not np.all(np.isfinite(theta)):
        return False
    g = np.linalg.norm(logistic_grad(theta, Phi, y))
    lam = np.linalg.eigvalsh(logistic_hess(theta, Phi, y))[0]
    R = np.max(np.linalg.norm(Phi, axis=1))
    return bool(lam > 0 and g < lam / (np.e * R))


def _separation(Phi: np.ndarray, y: np.ndarray):
    """(w, complete): a separating direction (None when the data overlap) and whether every
    sample can be strictly on its side (a second LP: maximize t with a_iᵀw >= t; then w is its
    strictly separating solution)."""
    from scipy.optimize import linprog

    A = (2.0 * y - 1.0)[:, None] * Phi
    n, d = A.shape
    box = [(-1.0, 1.0)] * d
    lp = linprog(-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(n), bounds=box, method="highs")
    scale = np.abs(A).sum()
    if lp.status != 0 or -lp.fun <= 1e-9 * scale:
        return None, False
    strict = linprog(np.r_[np.zeros(d), -1.0], A_ub=np.c_[-A, np.ones(n)], b_ub=np.zeros(n),
                     bounds=box + [(None, 1.0)], method="highs")
    if strict.status == 0 and -strict.fun > 1e-9 * np.abs(A).max():
        return strict.x[:d], True  # a_iᵀw >= t > 0 for every sample
    return lp.x, False
