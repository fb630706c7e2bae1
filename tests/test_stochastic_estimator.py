"""Streaming form: chunks == one call (to the bit), checkpoints, intercept, defaults, bad input."""
import numpy as np
import pytest

from refopt.stochastic import DEFAULTS, METHODS, StreamingLogistic, fit_logistic, make_logistic, start_point

THETA = np.array([0.5, -1.0, 2.0])  # intercept 0.5, then two features


@pytest.fixture(scope="module")
def data():
    X, y = make_logistic(3000, THETA, intercept=True, seed=11)
    return X, y


def _chunks(n, rng):
    cuts = np.sort(rng.choice(np.arange(1, n), size=12, replace=False))
    cuts = np.concatenate([[0, 0], cuts[:3], [cuts[3]], cuts[3:], [n]])  # includes empty chunks
    return list(zip(cuts[:-1], cuts[1:]))


@pytest.mark.parametrize("method", [*METHODS, "sgd-avg"])
def test_chunks_give_the_same_numbers_to_the_bit(method, data):
    X, y = data
    params = {"average": True} if method == "sgd-avg" else {}
    method = method.split("-")[0]
    theta0 = start_point(THETA, 2.0, seed=1)
    cps = np.array([1, 2, 7, 100, 101, 555, 1999, 2000, 3000])
    one = fit_logistic(X, y, method, theta0=theta0, intercept=True, theta_true=THETA, checkpoints=cps, **params)
    est = StreamingLogistic(method, theta0=theta0, intercept=True, theta_true=THETA, checkpoints=cps, **params)
    for a, b in _chunks(len(y), np.random.default_rng(3)):
        est.partial_fit(X[a:b], y[a:b])
    many = est.result()
    assert many.n == one.n == 3000
    assert np.array_equal(many.theta, one.theta)
    assert np.array_equal(many.checkpoints, cps) and np.array_equal(one.checkpoints, cps)
    assert np.array_equal(many.errors, one.errors)
    if method != "sgd":
        assert np.array_equal(many.hessian_estimate, one.hessian_estimate)


def test_checkpoint_errors_match_separate_shorter_runs(data):
    X, y = data
    res = fit_logistic(X, y, "hybrid", intercept=True, theta_true=THETA, checkpoints=np.array([10, 500, 2500]))
    for m, e in zip(res.checkpoints, res.errors):
        th = fit_logistic(X[:m], y[:m], "hybrid", intercept=True).theta
        assert e == np.sum((th - THETA) ** 2)


def test_default_checkpoints_are_log_spaced_and_end_at_n(data):
    X, y = data
    res = fit_logistic(X, y, "sn", intercept=True, theta_true=THETA)
    assert res.checkpoints[0] == 1 and res.checkpoints[-1] == 3000
    assert np.all(np.diff(res.checkpoints) > 0)
    assert 30 <= res.checkpoints.size <= 40  # 10 a decade over 3.5 decades


def test_intercept_is_a_leading_column_of_ones(data):
    X, y = data
    a = fit_logistic(X, y, "wasn", intercept=True)
    b = fit_logistic(np.hstack([np.ones((len(y), 1)), X]), y, "wasn")
    assert np.array_equal(a.theta, b.theta)
    assert a.theta.size == 3


@pytest.mark.parametrize("method", METHODS)
def test_defaults_are_the_documented_values(method, data):
    X, y = data
    documented = {"hybrid": dict(alpha=0.8, beta=0.2), "sn": dict(c=0.01, b=0.25),
                  "wasn": dict(c_gamma=0.3, gamma=0.75, omega=2.0, c=0.01, b=0.25),
                  "sgd": dict(c_gamma=1.0, gamma=0.75, average=False)}[method]
    assert DEFAULTS[method] == documented
    a = fit_logistic(X[:500], y[:500], method, intercept=True)
    b = fit_logistic(X[:500], y[:500], method, intercept=True, **documented)
    assert np.array_equal(a.theta, b.theta) and a.params == documented
    other = dict(documented)
    key = next(iter(other))
    other[key] = other[key] * 0.5 + (0.1 if key == "alpha" else 0.0)
    c = fit_logistic(X[:500], y[:500], method, intercept=True, **other)
    assert not np.array_equal(a.theta, c.theta)  # the parameter is used


def test_hybrid_with_beta_zero_is_untruncated_sn(data):
    X, y = data
    a = fit_logistic(X, y, "hybrid", intercept=True, alpha=1.0, beta=0.0)
    b = fit_logistic(X, y, "sn", intercept=True, c=0.0, b=0.25)
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-13)


@pytest.mark.parametrize("X,y,match", [
    ([[1.0, 2.0], [3.0, 4.0]], [0, 2], r"labels\) must be 0 or 1"),
    ([[1.0, 2.0], [3.0, 4.0]], [0.5, 1], r"labels\) must be 0 or 1"),
    ([[1.0, 2.0], [3.0, 4.0]], [0, 1, 1], "one label per row"),
    ([[1.0, np.nan], [3.0, 4.0]], [0, 1], "must be finite"),
    ([[1.0, np.inf], [3.0, 4.0]], [0, 1], "must be finite"),
    ([1.0, 2.0], [0, 1], "2-D"),
    ([["a", "b"]], [0], "real numbers"),
])
def test_bad_input_raises(X, y, match):
    with pytest.raises((TypeError, ValueError), match=match):
        fit_logistic(X, y)


def test_rejected_chunk_leaves_the_state_unchanged(data):
    X, y = data
    est = StreamingLogistic("wasn", intercept=True, theta_true=THETA, checkpoints=np.array([100, 200, 300]))
    est.partial_fit(X[:150], y[:150])
    before = (est.theta, est.hessian_estimate, est.n, est.result().errors)
    bad = X[150:300].copy()
    bad[70, 1] = np.nan
    with pytest.raises(ValueError, match="must be finite"):
        est.partial_fit(bad, y[150:300])
    with pytest.raises(ValueError, match="columns"):
        est.partial_fit(X[150:300, :1], y[150:300])
    after = (est.theta, est.hessian_estimate, est.n, est.result().errors)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1])
    assert before[2] == after[2] == 150 and np.array_equal(before[3], after[3])
    est.partial_fit(X[150:300], y[150:300])  # the stream goes on as if the bad chunk never came
    ref = fit_logistic(X[:300], y[:300], "wasn", intercept=True, theta_true=THETA, checkpoints=np.array([100, 200, 300]))
    assert np.array_equal(est.theta, ref.theta) and np.array_equal(est.result().errors, ref.errors)


def test_numerical_failure_is_reported_not_silent():
    X = np.array([[1.0, 0.0], [1.0, 0.5], [1e308, 1e308], [1.0, 1.0]])
    res = fit_logistic(X, [1, 0, 1, 0], "hybrid")
    assert not res.success and "sample 3" in res.message
    assert res.n == 0 and np.array_equal(res.theta, np.zeros(2))  # state of the last good chunk
    est = StreamingLogistic("sn")
    est.partial_fit(X[:2], [1, 0])
    est.partial_fit(X[2:], [1, 0])
    assert not est.success and est.n == 2
    with pytest.raises(ValueError, match="numerical failure"):
        est.partial_fit(X[:1], [1])


@pytest.mark.parametrize("method,params,match", [
    ("newton", {}, "method must be one of"),
    ("hybrid", {"gamma": 0.7}, "unknown parameters"),
    ("sn", {"b": 0.5}, r"b must be in \(0, 1/2\)"),
    ("sn", {"c": -1.0}, "c must be >= 0"),
    ("wasn", {"gamma": 1.0}, r"gamma must be in \(1/2, 1\)"),
    ("sgd", {"gamma": 0.5}, "gamma must be in"),
    ("hybrid", {"alpha": 0.0, "beta": 0.0}, "alpha \\+ beta"),
    ("hybrid", {"alpha": np.nan}, "finite number"),
])
def test_bad_parameters_raise(method, params, match):
    with pytest.raises(ValueError, match=match):
        StreamingLogistic(method, **params)


def test_other_argument_checks():
    with pytest.raises(ValueError, match="checkpoints need theta_true"):
        StreamingLogistic("sn", checkpoints=np.array([1, 2]))
    with pytest.raises(ValueError, match="strictly increasing"):
        StreamingLogistic("sn", theta_true=[0.0], checkpoints=np.array([2, 1]))
    with pytest.raises(ValueError, match="theta_true has 2"):
        StreamingLogistic("sn", theta0=[0.0, 0.0, 0.0], theta_true=[0.0, 1.0])
    with pytest.raises(ValueError, match="SGD keeps no Hessian"):
        StreamingLogistic("sgd", hessian_true=np.eye(2))
    with pytest.raises(TypeError, match="average"):
        StreamingLogistic("sgd", average=1)
    with pytest.raises(ValueError, match="no data yet"):
        StreamingLogistic("sn").result()
