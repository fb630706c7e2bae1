"""BFGS (N&W Alg. 6.1) through refopt.minimize: convergence, counts, failures, bad input."""
import numpy as np
import pytest
import scipy.optimize as so

from conftest import Counting
from refopt.functions import get
from refopt.optim import minimize


def test_rosenbrock_from_x0_reaches_the_minimizer():
    res = minimize("rosenbrock", [-1.2, 1.0], options={"gtol": 1e-10})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-9)
    assert res.fun < 1e-18
    assert res.nit < 60


def test_counts_equal_the_calls():
    c = Counting(get("rosenbrock", n=4))
    res = minimize(c.f, c.tf.x0, jac=c.g)
    assert res.success
    assert (res.nfev, res.njev) == (c.nf, c.ng)
    assert res.nhev == 0


def test_convex_quadratic_is_solved_and_inverse_hessian_learned():
    rng = np.random.default_rng(1)
    Q = rng.standard_normal((6, 6))
    A = Q @ Q.T + 6 * np.eye(6)
    b = rng.standard_normal(6)
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(6), jac=lambda x: A @ x - b,
                   hess=lambda x: A, options={"gtol": 1e-7, "trace": True})  # f moves by ~eps|f| below
    assert res.success
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-6, atol=1e-8)
    assert res.nit <= 3 * 6
    assert res.nhev == 0  # the exact Hessian only feeds the trace, uncounted
    # the BFGS estimate inv(H_k) approaches A: ‖inv(H) − A‖_F / ‖A‖_F falls below 10 %
    assert res.trace["hess_error"][-1] < 0.1 < res.trace["hess_error"][0]


def test_jac_true_and_args():
    tf = get("mgh14")

    def fg(x, scale):
        return scale * tf.f(x), scale * tf.grad(x)

    res = minimize(fg, tf.x0, jac=True, args=(2.0,), options={"gtol": 1e-8})
    assert res.success
    np.testing.assert_allclose(res.x, np.ones(4), atol=1e-7)


@pytest.mark.parametrize("alias", ["mgh01", "mgh05", "mgh07", "mgh13", "mgh14", "mgh21", "mgh25", "mgh30"])
def test_zero_residual_mgh_problems_reach_fstar(alias):
    tf = get(alias)
    res = minimize(tf, tf.x0, options={"gtol": 1e-8, "maxiter": 5000})
    assert res.success, res.message
    assert res.fun <= 1e-10


@pytest.mark.parametrize("alias", ["mgh08", "mgh09", "mgh15", "mgh17", "mgh20"])
def test_nonzero_residual_mgh_problems_match_the_literature_fstar(alias):
    tf = get(alias)
    res = minimize(tf, tf.x0, options={"gtol": 1e-9, "maxiter": 5000})
    assert res.fun == pytest.approx(tf.fstar, rel=1e-5)


def test_agrees_with_scipy_bfgs_on_wood():
    tf = get("mgh14")
    ours = minimize(tf, tf.x0)
    theirs = so.minimize(tf.f, tf.x0, jac=tf.grad, method="BFGS")
    assert ours.success and theirs.success
    np.testing.assert_allclose(ours.x, theirs.x, atol=1e-4)


@pytest.mark.parametrize("line_search", ["armijo", None])
def test_other_line_searches_run(line_search):
    opts = {"maxiter": 20000, "gtol": 1e-6}
    if line_search is None:
        opts["step"] = 0.5
    res = minimize("sphere", np.array([3.0, -2.0]), line_search=line_search, options=opts)
    assert res.success, res.message
    assert res.fun < 1e-10


@pytest.mark.parametrize("update", ["skip", "damped"])
def test_armijo_on_rosenbrock_with_skip_or_damped_update(update):
    res = minimize("rosenbrock", [-1.2, 1.0], line_search="armijo", options={"update": update, "maxiter": 2000})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-4)


def test_nan_mid_run_ends_with_failure_naming_the_iteration():
    tf = get("rosenbrock")

    def f(x):
        return np.nan if x[0] > -0.5 else tf.f(x)

    res = minimize(f, tf.x0, jac=tf.grad, line_search=None, options={"step": 1e-3})
    assert not res.success
    assert "iteration" in res.message
    assert np.all(np.isfinite(res.x)) and res.x[0] <= -0.5


def test_nan_at_start():
    res = minimize(lambda x: np.nan, np.ones(2), jac=lambda x: np.ones(2))
    assert not res.success and res.status == 3 and "starting point" in res.message


def test_trace_has_hessian_error_against_exact_hessian():
    res = minimize("rosenbrock", [-1.2, 1.0], options={"trace": True, "gtol": 1e-10})
    tr = res.trace
    assert len(tr["f"]) == res.nit + 1
    assert tr["f"][0] == pytest.approx(24.2)
    assert np.all(np.isnan(tr["step"][:1])) and np.all(tr["step"][1:] > 0)
    # BFGS's estimate inv(H_k) converges to the exact Hessian at the solution (superlinear phase)
    assert tr["hess_error"][-1] < 0.2 < tr["hess_error"][0]


def test_callback_sees_every_iterate():
    seen = []
    res = minimize("rosenbrock", [-1.2, 1.0], callback=lambda x: seen.append(x))
    assert len(seen) == res.nit
    np.testing.assert_array_equal(seen[-1], res.x)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(method="lbfgs"), "method must be one of"),
        (dict(line_search="exact"), "line_search must be one of"),
        (dict(options={"gtoll": 1e-3}), "unknown options"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        minimize("rosenbrock", [-1.2, 1.0], **kwargs)


def test_bad_x0_and_callables():
    with pytest.raises(ValueError, match="x0 must be finite"):
        minimize("rosenbrock", [np.nan, 1.0])
    with pytest.raises(ValueError, match="n = 2"):
        minimize("mgh01", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="jac is required"):
        minimize(lambda x: x @ x, np.ones(3))
    with pytest.raises(ValueError, match=r"gradient must have shape \(3,\)"):
        minimize(lambda x: x @ x, np.ones(3), jac=lambda x: np.ones(2))
    with pytest.raises(ValueError, match="scalar"):
        minimize(lambda x: x, np.ones(3), jac=lambda x: np.ones(3))
