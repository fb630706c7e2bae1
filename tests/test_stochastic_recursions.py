"""The four streaming recursions: Numba loops vs NumPy twins vs an independent direct-solve reference.

Tolerances: loop vs twin, relative 1e-12 (∞-norm) after 2000 samples (they differ only in the
order of summation of PΦ and one rounding in the Sherman–Morrison update; measured ≤ 7e-16);
loop vs the direct reference (S kept explicitly, one linear solve a sample, weighted average as an
explicit sum), relative 1e-9 after 300 samples.
"""
import numpy as np
import pytest

from refopt.stochastic import recursions as R
from refopt.stochastic import fit_logistic, make_logistic, start_point

THETA = np.array([-1.5, 0.5, 0.0, 1.0])


def rel(a, b):
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


@pytest.fixture(scope="module")
def data():
    X, y = make_logistic(2000, THETA, kind="toeplitz", rho=0.5, seed=7)
    return X, y, start_point(THETA, 3.0, seed=8)


def _state(method, theta0):
    d = theta0.size
    if method == "sgd":
        return [theta0.copy(), theta0.copy()]
    if method == "wasn":
        return [theta0.copy(), theta0.copy(), np.eye(d), np.zeros(1)]
    return [theta0.copy(), np.eye(d)]


CASES = {
    "sgd": (R.sgd_loop, R.sgd_numpy, lambda n0: (n0, 1.0, 0.75, False)),
    "sgd-avg": (R.sgd_loop, R.sgd_numpy, lambda n0: (n0, 0.5, 0.6, True)),
    "sn": (R.sn_loop, R.sn_numpy, lambda n0: (n0, 0.05, 0.3)),
    "hybrid": (R.hybrid_loop, R.hybrid_numpy, lambda n0: (0.8, 0.2)),
    "wasn": (R.wasn_loop, R.wasn_numpy, lambda n0: (n0, 0.3, 0.75, 2.0, 0.05, 0.3)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_numba_loop_equals_numpy_twin(case, data):
    X, y, theta0 = data
    loop, twin, args = CASES[case]
    method = case.split("-")[0]
    a, b = _state(method, theta0), _state(method, theta0)
    assert loop(X, y, *a, *args(0)) == -1
    assert twin(X, y, *b, *args(0)) == -1
    for u, v in zip(a, b):
        if np.any(v):
            assert rel(u, v) < 1e-12
    assert not np.allclose(a[0], theta0)  # it moved


def _direct(method, X, y, theta0, p):
    """Straight from the papers' equations: S kept as a matrix, S_k θ-step by a linear solve."""
    d = theta0.size
    theta, S = theta0.copy(), np.eye(d)
    path, Ss = [theta0.copy()], []
    theta_bar = theta0.copy()
    for k in range(1, X.shape[0] + 1):
        phi, Y = X[k - 1], y[k - 1]
        pi = 1.0 / (1.0 + np.exp(-theta @ phi))
        if method == "sn":
            c = max(pi * (1 - pi), p["c"] / k ** p["b"])
        elif method == "hybrid":
            c = p["alpha"] * pi * (1 - pi) + p["beta"] * (Y - pi) ** 2
        else:  # wasn: the weight at the average of the iterates so far
            pib = 1.0 / (1.0 + np.exp(-theta_bar @ phi))
            c = max(pib * (1 - pib), p["c"] / k ** p["b"])
        S = S + c * np.outer(phi, phi)  # S updated before the step
        gain = 1.0 if method != "wasn" else p["c_gamma"] * k ** -p["gamma"] * (k + 1)
        theta = theta + gain * np.linalg.solve(S, phi) * (Y - pi)
        path.append(theta.copy())
        if method == "wasn":
            j = np.arange(1, len(path))  # the average runs over θ_1..θ_k (θ_0 excluded)
            w = np.log(j + 1.0) ** p["omega"]
            theta_bar = (w[:, None] * np.array(path[1:])).sum(0) / w.sum()
        Ss.append(S)
    return (theta_bar if method == "wasn" else theta), S


@pytest.mark.parametrize("method,params", [
    ("sn", {"c": 0.05, "b": 0.3}),
    ("sn", {"c": 1.0, "b": 0.25}),                  # truncation active for a while
    ("hybrid", {"alpha": 0.8, "beta": 0.2}),
    ("hybrid", {"alpha": 0.0, "beta": 1.0}),
    ("wasn", {"c_gamma": 0.3, "gamma": 0.75, "omega": 2.0, "c": 0.01, "b": 0.25}),
    ("wasn", {"c_gamma": 1.0, "gamma": 0.6, "omega": 0.0, "c": 0.1, "b": 0.4}),  # ω = 0: uniform
])
def test_loops_equal_direct_solve_reference(method, params, data):
    X, y, theta0 = data
    X, y = X[:300], y[:300]
    res = fit_logistic(X, y, method=method, theta0=theta0, **params)
    theta_ref, S_ref = _direct(method, X, y, theta0, params)
    assert rel(res.theta, theta_ref) < 1e-9
    assert rel(res.hessian_estimate, S_ref / 300) < 1e-9


def test_hybrid_one_sample_closed_form():
    # θ_0 = 0, Φ = (1, 2), Y = 1: π = ½, r = ½, π(1 − π) = r² = ¼ so c = (α + β)/4 = ¼;
    # S_1 = I + ¼ΦΦᵀ, ΦᵀΦ = 5, θ_1 = S_1⁻¹Φ r = Φ·½/(1 + 5/4) = (2/9, 4/9).
    res = fit_logistic([[1.0, 2.0]], [1], method="hybrid", alpha=0.3, beta=0.7)
    np.testing.assert_allclose(res.theta, [2 / 9, 4 / 9], rtol=1e-15)
    np.testing.assert_allclose(res.hessian_estimate, [[1.25, 0.5], [0.5, 2.0]], rtol=1e-15)


def test_sn_truncation_closed_form():
    # k = 1: a = max(¼, c·1^{−b}) = c = 1 → S_1 = I + ΦΦᵀ, θ_1 = Φ·½/(1 + 5) = Φ/12
    res = fit_logistic([[1.0, 2.0]], [1], method="sn", c=1.0, b=0.25)
    np.testing.assert_allclose(res.theta, [1 / 12, 2 / 12], rtol=1e-15)
    # two samples: the floor at k = 2 is 2^{−1/4} = 0.8409 > ¼
    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    res2 = fit_logistic(X, [1, 0], method="sn", c=1.0, b=0.25)
    S = np.eye(2) + np.outer(X[0], X[0]) + 2 ** -0.25 * np.outer(X[1], X[1])
    np.testing.assert_allclose(res2.hessian_estimate, S / 2, rtol=1e-14)


def test_sgd_closed_form_and_average():
    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    res = fit_logistic(X, [1, 0], method="sgd", c_gamma=2.0, gamma=1.0, average=True)
    t1 = 2.0 * 0.5 * X[0]                                     # γ_1 = 2, r_1 = ½
    t2 = t1 + 1.0 * (0 - 1 / (1 + np.exp(-t1 @ X[1]))) * X[1]  # γ_2 = 1
    np.testing.assert_allclose(res.iterate, t2, rtol=1e-15)
    np.testing.assert_allclose(res.theta, (t1 + t2) / 2, rtol=1e-15)  # θ_0 has no weight
    assert res.hessian_estimate is None


def test_inverse_stays_exactly_symmetric(data):
    X, y, theta0 = data
    theta, P = theta0.copy(), np.eye(THETA.size)
    R.hybrid_loop(X, y, theta, P, 0.8, 0.2)
    assert np.array_equal(P, P.T)
    assert np.all(np.linalg.eigvalsh(P) > 0)


def test_loop_reports_the_sample_where_values_stop_being_finite():
    X = np.array([[1.0, 0.0], [1e308, 1e308], [1.0, 1.0]])
    theta, P = np.zeros(2), np.eye(2)
    assert R.hybrid_loop(X, np.array([1.0, 0.0, 1.0]), theta, P, 0.8, 0.2) == 1
    assert R.hybrid_numpy(X, np.array([1.0, 0.0, 1.0]), np.zeros(2), np.eye(2), 0.8, 0.2) == 1


def test_end_of_chunk_check_catches_a_non_finite_state():
    theta, P = np.zeros(3), np.eye(3)
    assert R._bad_end(5, theta, P) == -1
    P[1, 2] = np.inf
    assert R._bad_end(5, theta, P) == 4
    P[1, 2], theta[0] = 0.0, np.nan
    assert R._bad_end(5, theta, P) == 4
