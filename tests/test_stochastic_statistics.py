"""Statistical behaviour (Bercu, Godichon-Baggioni & Portier 2020): the methods land near the MLE,
S_n/n → H(θ), and over seeded replications n·Cov(θ_n − θ) → H⁻¹. Every test is seeded; tolerances
stated where used."""
import numpy as np
import pytest
from scipy.integrate import quad

from refopt import check_grad, check_hessian
from refopt.stochastic import (covariance, fit_logistic, logistic_mle, make_logistic, population_hessian,
                               start_point)
from refopt.stochastic.mle import logistic_grad, logistic_hess, logistic_loss

THETA = np.array([0.3, -1.0, 0.5, 1.0])  # intercept first


@pytest.fixture(scope="module")
def big():
    X, y = make_logistic(200_000, THETA, intercept=True, seed=2024)
    return X, y, logistic_mle(X, y, intercept=True)


def test_mle_derivatives_match_finite_differences():
    X, y = make_logistic(200, THETA, intercept=True, seed=1)
    Phi = np.hstack([np.ones((200, 1)), X])
    t = np.array([0.1, -0.4, 0.9, 0.2])
    f = lambda th: logistic_loss(th, Phi, y)  # noqa: E731
    g = lambda th: logistic_grad(th, Phi, y)  # noqa: E731
    assert check_grad(f, g, t).error < 1e-8
    assert check_hessian(g, lambda th: logistic_hess(th, Phi, y), t).error < 1e-8


def test_mle_is_a_stationary_point(big):
    X, y, mle = big
    assert mle.success, mle.message
    Phi = np.hstack([np.ones((len(y), 1)), X])
    assert np.max(np.abs(logistic_grad(mle.x, Phi, y))) < 1e-10
    assert np.linalg.norm(mle.x - THETA) < 0.05  # √(tr H⁻¹ / n) ≈ 0.015 here


@pytest.mark.parametrize("method,bound", [("hybrid", 0.15), ("sn", 0.15), ("wasn", 0.5)])
def test_every_newton_method_lands_near_the_mle(method, bound, big):
    # Efficient methods satisfy θ_n − θ̂_n = o(n^{-1/2}) while θ̂_n − θ ~ n^{-1/2}: the ratio must be
    # small. WASN gets a looser bound: its average keeps the early iterates (weights log(k+1)²),
    # a bias that decays like 1/n (measured ratios 0.2–0.8 at n = 10⁵, 0.08–0.37 at 10⁶).
    X, y, mle = big
    res = fit_logistic(X, y, method, theta0=start_point(THETA, 0.5, seed=3), intercept=True)
    ratio = np.linalg.norm(res.theta - mle.x) / np.linalg.norm(mle.x - THETA)
    assert ratio < bound


@pytest.mark.parametrize("method", ["hybrid", "sn", "wasn"])
def test_hessian_estimate_converges_to_the_population_hessian(method, big):
    X, y, _ = big
    H = population_hessian(THETA, np.eye(3), intercept=True)
    res = fit_logistic(X, y, method, theta0=start_point(THETA, 5.0, seed=4), intercept=True)
    err = np.linalg.norm(res.hessian_estimate - H) / np.linalg.norm(H)
    assert err < 0.03  # measured 0.006–0.009; O(n^{-1/2}) sampling error plus the truncation bias
    early = fit_logistic(X[:1000], y[:1000], method, theta0=start_point(THETA, 5.0, seed=4), intercept=True)
    assert np.linalg.norm(early.hessian_estimate - H) / np.linalg.norm(H) > 2 * err


def _whitened(method, n, R, seed, **params):
    """Z_r = √n Lᵀ(θ_n − θ), H = LLᵀ: asymptotically N(0, I) for an efficient method."""
    theta = np.array([-1.0, 0.5, 1.0])
    L = np.linalg.cholesky(population_hessian(theta, np.eye(3)))
    rng = np.random.default_rng(seed)
    Z = np.empty((R, 3))
    for r in range(R):
        X, y = make_logistic(n, theta, seed=rng)
        res = fit_logistic(X, y, method, theta0=start_point(theta, 1.0, seed=rng), **params)
        Z[r] = np.sqrt(n) * L.T @ (res.theta - theta)
    return Z


@pytest.mark.parametrize("method,n,R,tol", [("hybrid", 2000, 500, 0.15), ("sn", 2000, 500, 0.15),
                                            ("wasn", 5000, 300, 0.3)])
def test_n_cov_approaches_inverse_hessian(method, n, R, tol):
    # n·Cov(θ_n − θ) → H⁻¹ ⇔ the whitened C = mean ZZᵀ → I. Statistic: mean ‖Z‖²/d → 1, whose
    # sampling sd is √(2/(dR)) = 0.037 at R = 500 (0.047 at R = 300). Tolerance: |· − 1| ≤ tol and
    # the eigenvalues of C in [1 − 2 tol, 1 + 2 tol]. Measured (R = 1000): 1.06 (hybrid, SN) at
    # n = 2000, and WASN, slower to reach its limit, 1.18 at n = 5000.
    Z = _whitened(method, n, R, seed=77)
    C = Z.T @ Z / R
    assert abs(np.trace(C) / 3 - 1.0) < tol
    lam = np.linalg.eigvalsh(C)
    assert lam.min() > 1 - 2 * tol and lam.max() < 1 + 2 * tol


def test_the_covariance_statistic_rejects_an_inefficient_method():
    # the same statistic for plain SGD (γ_k = k^{-3/4}, not efficient) is far from 1
    Z = _whitened("sgd", 2000, 100, seed=78)
    assert np.trace(Z.T @ Z / 100) / 3 > 2.0


@pytest.mark.parametrize("theta,kind,intercept", [
    (np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), "gaussian", False),
    (np.array([0.7, 1.0, -0.5, 0.25]), "toeplitz", True),
    (np.array([0.0, 0.0]), "gaussian", False),          # β = 0: H = diag(¼) exactly
])
def test_population_hessian_against_quadrature_and_monte_carlo(theta, kind, intercept):
    p = theta.size - intercept
    cov = covariance(p, kind, rho=0.6)
    H = population_hessian(theta, cov, intercept=intercept)
    assert np.array_equal(H, H.T)
    t0, beta = (theta[0], theta[1:]) if intercept else (0.0, theta)
    sd = np.sqrt(beta @ cov @ beta)
    if sd == 0:
        np.testing.assert_allclose(H, 0.25 * cov, rtol=1e-14)  # π(0)(1 − π(0)) = ¼
    elif intercept:  # H_00 = E[w(θ_0 + s)] against adaptive quadrature
        m0 = quad(lambda s: 0.25 / np.cosh(0.5 * (t0 + s)) ** 2 * np.exp(-0.5 * (s / sd) ** 2) / (sd * np.sqrt(2 * np.pi)),
                  -40 * sd, 40 * sd, epsabs=1e-14, limit=200)[0]
        assert H[0, 0] == pytest.approx(m0, rel=1e-10)
    # the whole matrix against a Monte Carlo average of π(1 − π)ΦΦᵀ (4e5 draws; tolerance 3 %)
    X, _ = make_logistic(400_000, theta, kind, rho=0.6, intercept=intercept, seed=5)
    Phi = np.hstack([np.ones((len(X), 1)), X]) if intercept else X
    pi = 1.0 / (1.0 + np.exp(-Phi @ theta))
    H_mc = (Phi * (pi * (1 - pi))[:, None]).T @ Phi / len(X)
    assert np.linalg.norm(H - H_mc) / np.linalg.norm(H) < 0.03


def test_population_hessian_moments_against_adaptive_quadrature():
    theta = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    H = population_hessian(theta, np.eye(5))
    sd = np.sqrt(10.0)
    dens = lambda s: np.exp(-0.5 * (s / sd) ** 2) / (sd * np.sqrt(2 * np.pi))  # noqa: E731
    w = lambda s: 0.25 / np.cosh(0.5 * s) ** 2  # π(1 − π)  # noqa: E731
    m0 = quad(lambda s: w(s) * dens(s), -60, 60, epsabs=1e-15, limit=400)[0]
    m2 = quad(lambda s: w(s) * s * s * dens(s), -60, 60, epsabs=1e-15, limit=400)[0]
    u = theta / np.linalg.norm(theta)
    assert u @ H @ u == pytest.approx(m2 / 10.0, rel=1e-12)   # along θ: E[w s²]/σ²
    v = np.array([1.0, 1.0, 0.0, 1.0, 1.0]) / 2.0            # ⟂ θ (Σ = I): E[w]
    assert v @ H @ v == pytest.approx(m0, rel=1e-12)
    assert v @ H @ u == pytest.approx(0.0, abs=1e-15)
