"""Modified Newton (saddle-free, Levenberg–Marquardt shift) and gradient descent."""
import numpy as np
import pytest

from refopt.functions import get
from refopt.optim import minimize
from refopt.optim.newton import saddle_free, shifted_cholesky_solve


def test_saddle_free_matrix_is_the_absolute_value():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    lam = np.array([-3.0, -1e-12, 0.5, 2.0, 7.0])
    H = (Q * lam) @ Q.T
    B = saddle_free(H, eps=1e-8)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(B)), np.sort(np.maximum(np.abs(lam), 7e-8)), rtol=1e-9, atol=1e-12)


def test_shifted_cholesky_solves_the_shifted_system():
    H = np.array([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3, -1
    g = np.array([1.0, -2.0])
    p, tau = shifted_cholesky_solve(H, g)
    assert tau > 1.0  # must exceed the most negative eigenvalue's magnitude
    np.testing.assert_allclose((H + tau * np.eye(2)) @ p, -g, rtol=1e-12)
    p0, tau0 = shifted_cholesky_solve(np.diag([2.0, 4.0]), g)
    assert tau0 == 0.0
    np.testing.assert_allclose(p0, [-0.5, 0.5])


@pytest.mark.parametrize("modify", ["saddle-free", "lm"])
def test_newton_converges_quadratically_on_rosenbrock(modify):
    res = minimize("rosenbrock", [-1.2, 1.0], method="newton", options={"modify": modify, "gtol": 1e-12})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-12)
    assert res.nit < 30
    assert res.nhev == res.nit


def test_newton_takes_one_step_on_a_quadratic():
    A = np.array([[4.0, 1.0], [1.0, 3.0]])
    b = np.array([1.0, 2.0])
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(2), method="newton",
                   jac=lambda x: A @ x - b, hess=lambda x: A, options={"gtol": 1e-12})
    assert res.nit == 1 and res.nfev == 2
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-14)


def test_saddle_free_newton_leaves_a_saddle_that_pure_newton_would_seek():
    # f = x² − y² + y⁴/4: saddle at 0, minima at (0, ±√2). Pure Newton from (0.1, 0.1) goes to the saddle.
    f = lambda z: z[0] ** 2 - z[1] ** 2 + z[1] ** 4 / 4  # noqa: E731
    g = lambda z: np.array([2 * z[0], -2 * z[1] + z[1] ** 3])  # noqa: E731
    h = lambda z: np.diag([2.0, -2.0 + 3 * z[1] ** 2])  # noqa: E731
    res = minimize(f, [0.1, 0.1], method="newton", jac=g, hess=h, options={"gtol": 1e-10})
    assert res.success
    np.testing.assert_allclose(res.x, [0.0, np.sqrt(2.0)], atol=1e-9)
    assert res.fun == pytest.approx(-1.0)


@pytest.mark.parametrize("alias", ["mgh07", "mgh13", "mgh14", "mgh25", "mgh31"])
def test_newton_on_mgh_zero_residual_problems(alias):
    tf = get(alias)
    res = minimize(tf, tf.x0, method="newton", options={"gtol": 1e-8})
    assert res.success, res.message
    assert res.fun <= 1e-10  # Powell singular (mgh13): singular Hessian at x*, linear convergence


def test_newton_needs_a_hessian():
    with pytest.raises(ValueError, match="needs the Hessian"):
        minimize(lambda x: x @ x, np.ones(2), method="newton", jac=lambda x: 2 * x)
    with pytest.raises(ValueError, match="modify"):
        minimize("rosenbrock", [0.0, 0.0], method="newton", options={"modify": "abs"})


def test_gd_on_ill_conditioned_quadratic_is_linear_at_the_predicted_rate():
    """Exact-ish line search GD on diag(1, κ): error contracts by about ((κ−1)/(κ+1))² per step."""
    kappa = 10.0
    A = np.diag([1.0, kappa])
    res = minimize(lambda x: 0.5 * x @ A @ x, np.array([kappa, 1.0]), method="gd", jac=lambda x: A @ x,
                   options={"c2": 0.01, "gtol": 1e-8, "trace": True})
    assert res.success
    f = res.trace["f"]
    rates = f[2:12] / f[1:11]
    bound = ((kappa - 1) / (kappa + 1)) ** 2
    assert np.all(rates <= bound * 1.05)
    assert np.median(rates) >= 0.5 * bound  # and not much faster: that is GD's zig-zag


def test_gd_fixed_step_diverges_cleanly_when_too_large():
    res = minimize("sphere", [1.0, 1.0], method="gd", line_search=None, options={"step": 1.5, "maxiter": 5000})
    assert not res.success
    assert res.status in (3, 1)
