"""The full-data logistic MLE reports when no finite MLE exists, and certifies it when it does."""
import numpy as np
import pytest

from refopt.stochastic import logistic_mle, make_logistic
from refopt.stochastic.mle import STATUS_NOT_IDENTIFIABLE, STATUS_SEPARATED, logistic_grad


def test_overlapping_data_give_a_certified_minimizer():
    X, y = make_logistic(2000, [-2.0, -1.0, 0.0, 1.0, 2.0], seed=0)
    res = logistic_mle(X, y)
    assert res.success and res.status == 0
    assert np.linalg.norm(logistic_grad(res.x, X, y)) < 1e-9
    np.testing.assert_allclose(res.x, [-2, -1, 0, 1, 2], atol=0.2)


def test_completely_separated_data_have_no_finite_mle():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 2))
    y = (X @ [1.0, -0.5] > 0).astype(float)
    res = logistic_mle(X, y)
    assert not res.success and res.status == STATUS_SEPARATED
    assert "completely separated" in res.message and "quasi" not in res.message
    w = res.separating_direction
    assert np.all(((2 * y - 1)[:, None] * X) @ w > 0)


def test_quasi_completely_separated_data_have_no_finite_mle():
    """Separated by x1 >= 0 except for points on the boundary x1 = 0 with both labels."""
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(float)
    X = np.vstack([X, [[0.0, 0.5], [0.0, 0.5]]])
    y = np.r_[y, 1.0, 0.0]
    res = logistic_mle(X, y)
    assert not res.success and res.status == STATUS_SEPARATED
    assert "quasi-completely separated" in res.message


def test_a_single_sample_has_no_finite_mle():
    res = logistic_mle([[0.7]], [1.0])
    assert not res.success and res.status == STATUS_SEPARATED


def test_a_rank_deficient_design_is_not_identifiable():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(50)
    res = logistic_mle(np.c_[x, 2 * x], (rng.random(50) < 0.5).astype(float))
    assert not res.success and res.status == STATUS_NOT_IDENTIFIABLE and "rank 1 < 2" in res.message
    assert np.all(np.isnan(res.x))


def test_an_intercept_only_design_with_one_label_is_separated():
    res = logistic_mle(np.zeros((5, 1)) + 1.0, np.ones(5))
    assert not res.success and res.status == STATUS_SEPARATED


@pytest.mark.parametrize("maxiter", [1, 2])
def test_newton_stopped_early_on_overlapping_data_is_not_called_a_success(maxiter):
    X, y = make_logistic(500, [3.0, -3.0], seed=4)
    res = logistic_mle(X, y, maxiter=maxiter)
    assert not res.success and res.status != STATUS_SEPARATED
