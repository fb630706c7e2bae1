"""The oracle API: check_grad / check_hessian find planted errors and pass correct derivatives."""
import numpy as np
import pytest

from refopt import check_grad, check_hessian
from refopt.verify import richardson_gradient, richardson_hessian


def f(x):
    return np.sum(np.exp(x[:-1]) * np.sin(x[1:])) + 0.5 * x @ x


def grad(x):
    g = x.copy()
    g[:-1] += np.exp(x[:-1]) * np.sin(x[1:])
    g[1:] += np.exp(x[:-1]) * np.cos(x[1:])
    return g


def hess(x):
    n = x.size
    H = np.eye(n)
    e, s, c = np.exp(x[:-1]), np.sin(x[1:]), np.cos(x[1:])
    i = np.arange(n - 1)
    H[i, i] += e * s
    H[i + 1, i + 1] += -e * s
    H[i, i + 1] += e * c
    H[i + 1, i] += e * c
    return H


X = np.array([0.3, -1.1, 0.7, 2.0])


@pytest.mark.parametrize("method", ["richardson", "complex"])
def test_correct_gradient_passes(method):
    res = check_grad(f, grad, X, method=method)
    assert res.error <= (1e-10 if method == "richardson" else 1e-14)


def test_planted_gradient_error_is_found_at_its_entry():
    def bad(x):
        g = grad(x)
        g[2] *= 1 + 1e-6
        return g

    err, worst = check_grad(f, bad, X)
    assert worst == (2,)
    assert 1e-7 < err < 1e-5


def test_hessian_from_gradient_and_from_f():
    assert check_hessian(grad, hess, X).error <= 1e-10
    assert check_hessian(grad, hess, X, method="complex").error <= 1e-14
    assert check_hessian(f, hess, X).error <= 1e-8  # second differences of f: less accurate


def test_planted_hessian_error_is_found():
    def bad(x):
        H = hess(x)
        H[1, 2] += 1e-4
        H[2, 1] += 1e-4
        return H

    res = check_hessian(grad, bad, X)
    assert res.worst in [(1, 2), (2, 1)]
    assert res.error > 1e-6


def test_richardson_meets_a_known_derivative():
    x = np.array([0.5, 1.5])
    fun = lambda z: np.exp(z[0]) * np.cos(z[1])  # noqa: E731
    exact = np.array([np.exp(0.5) * np.cos(1.5), -np.exp(0.5) * np.sin(1.5)])
    np.testing.assert_allclose(richardson_gradient(fun, x), exact, rtol=1e-11)
    H = np.exp(0.5) * np.array([[np.cos(1.5), -np.sin(1.5)], [-np.sin(1.5), -np.cos(1.5)]])
    np.testing.assert_allclose(richardson_hessian(fun, x), H, rtol=1e-8, atol=1e-9)


def test_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        check_grad(f, grad, X, method="forward")
    with pytest.raises(ValueError, match="shape"):
        check_grad(f, lambda x: grad(x)[:-1], X)
    with pytest.raises(ValueError, match="non-finite"):
        check_grad(f, grad, np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="shape"):
        check_hessian(grad, lambda x: hess(x)[:2], X)
    with pytest.raises(ValueError, match="needs the gradient"):
        check_hessian(f, hess, X, method="complex")
