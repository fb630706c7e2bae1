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


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 1e-80, 1.0, 1e80, 1e160, 1e300])
def test_any_scale(scale):
    """The same problem multiplied by ``scale``: the secular problem is rescaled by a power of
    two, so neither 1/(d − μ)² nor the eigenvector norms leave the exponent range."""
    n = 12
    rng = np.random.default_rng(7)
    lam, Q, v = rng.random(n), orthogonal(n, 8), rng.standard_normal(n)
    lam2, Q2 = lam * scale, Q.copy()
    assert rank_one_update(lam2, Q2, 0.6, 0.4, v * np.sqrt(scale))
    lam1, Q1 = assert_update_is_exact(lam, Q, 0.6, 0.4, v)
    np.testing.assert_allclose(Q2.T @ Q2, np.eye(n), atol=1e-14)
    np.testing.assert_allclose(np.sort(lam2) / scale, np.sort(lam1), rtol=1e-13)


def test_extreme_weights_and_refusals():
    # a tiny v with a huge ρ: the update is significant and must not be dropped
    lam, Q = np.array([1e-100, 2e-100]), np.eye(2)
    v = np.array([1e-200, 1e-200])  # ρ v vᵀ = 1e-100 · ones; formed directly, v vᵀ underflows
    assert rank_one_update(lam, Q, 1.0, 1e300, v)
    expected = np.linalg.eigvalsh(np.diag([1.0, 2.0]) + np.ones((2, 2))) * 1e-100  # (5 ∓ √5)/2 · 1e-100
    np.testing.assert_allclose(np.sort(lam), expected, rtol=1e-14)
    # ρ‖v‖² that overflows is refused, not a ZeroDivisionError; non-finite input is refused
    assert not rank_one_update(np.array([1.0, 2.0]), np.eye(2), 1.0, 1e100, np.array([1e200, 1e200]))
    assert not rank_one_update(np.array([1.0, 2.0]), np.eye(2), 1.0, 0.5, np.array([np.nan, 1.0]))
    # ρ‖v‖² underflowing to 0: C is only scaled by a
    lam = np.array([1.0, 2.0])
    assert rank_one_update(lam, np.eye(2), 0.5, 1e-300, np.array([1e-200, 0.0]))
    np.testing.assert_array_equal(lam, [0.5, 1.0])


def test_long_ema_sequence_with_fast_shrinking_steps():
    """10⁴ updates with steps shrinking like 0.97^k (C's scale falls to ~1e-260): no refresh needed."""
    n = 8
    rng = np.random.default_rng(9)
    lam, Q = np.zeros(n), np.eye(n)
    for k in range(10_000):
        v = rng.standard_normal(n) * 0.97 ** (k / 2)
        assert rank_one_update(lam, Q, 0.9, 0.1, v)
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-12)
