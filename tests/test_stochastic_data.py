"""Seeded data generators: covariances, labels, starts, streams."""
import numpy as np
import pytest

from refopt.stochastic import covariance, design, labels, make_logistic, start_point, stream


@pytest.mark.parametrize("kind", ["gaussian", "toeplitz", "ill-conditioned"])
def test_design_has_the_stated_covariance(kind):
    X = design(200_000, 6, kind, rho=0.9, cond=100.0, seed=1)
    S = covariance(6, kind, rho=0.9, cond=100.0)
    emp = X.T @ X / len(X)
    assert np.max(np.abs(emp - S)) < 0.02  # sd of an entry ≤ √2/√n = 0.003
    if kind == "toeplitz":
        assert S[0, 3] == pytest.approx(0.9 ** 3)
    if kind == "ill-conditioned":
        assert np.linalg.cond(S) == pytest.approx(100.0)


def test_labels_follow_the_logistic_model():
    theta = np.array([1.0, -2.0])
    X, y = make_logistic(200_000, theta, seed=3)
    assert set(np.unique(y)) == {0.0, 1.0}
    # bins of z = θᵀx: the frequency of 1s matches π(z) (binomial sd ≤ 0.5/√count)
    z = X @ theta
    for lo, hi in [(-3, -2), (-0.5, 0.5), (1, 2)]:
        m = (z > lo) & (z < hi)
        assert abs(y[m].mean() - np.mean(1 / (1 + np.exp(-z[m])))) < 4 * 0.5 / np.sqrt(m.sum())
    # intercept: θ_0 shifts every logit; extreme logits give certain labels, no overflow
    Xb = np.zeros((1000, 1))
    assert labels(Xb, [800.0, 1.0], intercept=True, seed=0).min() == 1.0
    assert labels(Xb, [-800.0, 1.0], intercept=True, seed=0).max() == 0.0


def test_seeded_and_reproducible():
    a = make_logistic(100, [1.0, 2.0], "toeplitz", seed=9)
    b = make_logistic(100, [1.0, 2.0], "toeplitz", seed=9)
    c = make_logistic(100, [1.0, 2.0], "toeplitz", seed=10)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    chunks = list(stream(250, 100, [1.0, 2.0], seed=4))
    assert [len(y) for _, y in chunks] == [100, 100, 50]
    again = list(stream(250, 100, [1.0, 2.0], seed=4))
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(chunks, again))


def test_start_point_is_at_distance_r():
    theta = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    for r in (0.5, 5.0):
        t0 = start_point(theta, r, seed=1)
        assert np.linalg.norm(t0 - theta) == pytest.approx(r, rel=1e-14)


@pytest.mark.parametrize("call,match", [
    (lambda: design(10, 3, "laplace"), r"kind \(the design\) must be one of"),
    (lambda: design(10, 3, "toeplitz", rho=1.0), "rho"),
    (lambda: design(10, 3, "ill-conditioned", cond=0.5), "cond"),
    (lambda: labels(np.zeros((5, 2)), [1.0, 2.0, 3.0]), "theta must have 2"),
    (lambda: list(stream(10, 0, [1.0])), "chunk"),
])
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()
