"""The symmetric rank-one eigen-update (refopt.optim.eigen_update) against LAPACK's eigh of the
updated matrix, on the cases its deflation and root finder must survive."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refopt.optim.eigen_update import rank_one_update


def orthogonal(n, seed):
    return np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))[0]


def assert_update_is_exact(lam, Q, a, rho, v, rtol=1e-13):
    """(λ, Q) after the update: orthonormal Q, Q diag(λ) Qᵀ = a C + ρ v vᵀ, λ = eigvalsh of it."""
    T = a * ((Q * lam) @ Q.T) + rho * np.outer(v, v)
    lam2, Q2 = lam.copy(), Q.copy()
    assert rank_one_update(lam2, Q2, a, rho, v)
    n = lam.size
    scale = max(np.abs(T).max(), np.finfo(float).tiny)
    np.testing.assert_allclose(Q2.T @ Q2, np.eye(n), rtol=0, atol=20 * n * 1e-16)
    np.testing.assert_allclose((Q2 * lam2) @ Q2.T, T, rtol=0, atol=rtol * scale)
    np.testing.assert_allclose(np.sort(lam2), np.linalg.eigvalsh(T), rtol=0, atol=rtol * scale)
    return lam2, Q2


@pytest.mark.parametrize("n", [1, 2, 3, 10, 60])
def test_random_update(n):
    rng = np.random.default_rng(n)
    assert_update_is_exact(rng.random(n), orthogonal(n, n), 0.9, 0.1, rng.standard_normal(n))


@pytest.mark.parametrize(
    "case",
    ["zero", "rank 5", "clusters", "graded", "tiny v", "v an eigenvector", "v = 0", "equal pairs"],
)
def test_deflation_cases(case):
    n = 40
    rng = np.random.default_rng(1)
    Q, v = orthogonal(n, 2), rng.standard_normal(n)
    lam = rng.random(n)
    if case == "zero":  # Cθθ = 0 at the first sample: every index but one deflates by rotation
        lam, Q = np.zeros(n), np.eye(n)
    elif case == "rank 5":
        lam[5:] = 0.0
    elif case == "clusters":
        lam = np.repeat(rng.random(8), 5)
    elif case == "graded":  # the EMA's (1 − β)^k weights
        lam = np.logspace(-30, 0, n)
    elif case == "tiny v":
        v = 1e-9 * v
    elif case == "v an eigenvector":
        v = 3.0 * Q[:, 7]
    elif case == "v = 0":
        v = np.zeros(n)
    elif case == "equal pairs":  # two exactly equal eigenvalues with weight in v
        lam[3] = lam[4]
    assert_update_is_exact(lam, Q, 0.7, 0.3, v)


def test_repeated_updates_stay_exact():
    """300 EMA updates from C = 0 (the use in OGR): no drift beyond rounding."""
    n = 30
    rng = np.random.default_rng(5)
    lam, Q, C = np.zeros(n), np.eye(n), np.zeros((n, n))
    for k in range(300):
        v = rng.standard_normal(n) * 0.97 ** k  # shrinking steps, as iterates converge
        C = 0.9 * C + 0.1 * np.outer(v, v)
        assert rank_one_update(lam, Q, 0.9, 0.1, v)
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-13)
    np.testing.assert_allclose((Q * lam) @ Q.T, C, atol=1e-13 * np.abs(C).max())
    np.testing.assert_allclose(np.sort(lam), np.linalg.eigvalsh(C), atol=1e-13 * np.abs(C).max())


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**31), st.floats(0.05, 0.95),
       st.sampled_from(["random", "repeated", "zero-block"]))
def test_property_matches_eigh(n, seed, beta, kind):
    rng = np.random.default_rng(seed)
    lam = rng.random(n)
    if kind == "repeated":
        lam = np.round(lam * 2) / 2  # values in {0, 0.5, 1}: clusters
    elif kind == "zero-block":
        lam[: n // 2] = 0.0
    assert_update_is_exact(lam, orthogonal(n, seed), 1.0 - beta, beta, rng.standard_normal(n))
