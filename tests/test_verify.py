"""The oracle API: check_grad / check_hessian find planted errors and pass correct derivatives,
entry by entry, and say nothing they cannot know."""
import numpy as np
import pytest

from conftest import ALL
from refopt import check_grad, check_hessian
from refopt.functions import get
from refopt.verify import natural_size, richardson_gradient, richardson_hessian


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
    assert res.ok and res.units <= 0.1
    assert res.error <= (1e-10 if method == "richardson" else 1e-14)


def test_planted_gradient_error_is_found_at_its_entry():
    def bad(x):
        g = grad(x)
        g[2] *= 1 + 1e-6
        return g

    res = check_grad(f, bad, X)
    err, worst = res
    assert worst == (2,) and not res.ok
    assert 1e-7 < err < 1e-5


def test_hessian_from_gradient_and_from_f():
    assert check_hessian(grad, hess, X).ok and check_hessian(grad, hess, X).error <= 1e-10
    assert check_hessian(grad, hess, X, method="complex").error <= 1e-14
    res = check_hessian(f, hess, X, fun_is="f")  # second differences of f: less accurate
    assert res.ok
    # the exact Hessian lies within the reference's own error estimate, entry by entry (a bound
    # on truncation and rounding, so it holds whatever the machine's libm rounds to); a relative
    # error is no measure here: several entries of this H are 0
    assert np.all(np.abs(res.analytic - res.reference) <= res.reference_error)


def test_what_fun_is_is_said_not_guessed():
    """n = 1, f = x³: f returns one number, like a gradient of length 1. Told it is f, the
    check differentiates twice (H = 6x passes, H = f' = 3x² fails); told it is the gradient,
    f' = 3x² is differentiated once."""
    x = np.array([0.7])
    cube = lambda z: z**3  # noqa: E731
    assert check_hessian(cube, lambda z: np.array([[6 * z[0]]]), x, fun_is="f").ok
    assert not check_hessian(cube, lambda z: np.array([[3 * z[0] ** 2]]), x, fun_is="f").ok
    assert check_hessian(lambda z: 3 * z**2, lambda z: np.array([[6 * z[0]]]), x).ok
    with pytest.raises(ValueError, match="fun_is='grad'.*pass fun_is='f'"):
        check_hessian(lambda z: float(z[0] ** 3), lambda z: np.array([[6 * z[0]]]), x)
    with pytest.raises(ValueError, match="fun_is must be one of"):
        check_hessian(grad, hess, X, fun_is="gradient")


def test_planted_hessian_error_is_found():
    def bad(x):
        H = hess(x)
        H[1, 2] += 1e-4
        H[2, 1] += 1e-4
        return H

    res = check_hessian(grad, bad, X)
    assert res.worst in [(1, 2), (2, 1)] and not res.ok
    assert res.error > 1e-6


def test_one_flipped_sign_in_a_badly_scaled_hessian_is_caught():
    """Meyer at x0: Hessian entries from 9e3 to 2e12. Each entry's sign flipped (with its
    mirror) in turn: every flip is caught, the smallest entry's too."""
    tf = get("meyer")
    x = tf.x0
    H = tf.hess(x)
    assert np.max(np.abs(H)) / np.min(np.abs(H)) > 1e8
    assert check_hessian(tf.grad, tf.hess, x).ok
    for i in range(3):
        for j in range(i + 1):
            bad = H.copy()
            bad[i, j], bad[j, i] = -H[i, j], -H[j, i]
            assert not check_hessian(tf.grad, lambda z, B=bad: B, x).ok, (i, j)


@pytest.mark.parametrize("name", ALL)
def test_richardson_check_of_every_function(name):
    """check_hessian by Richardson differences of the gradient at x0: passes the kernel, and a
    flipped sign of any entry above 1e-8 of its natural size √(|H_ii H_jj|) is caught (the
    differences resolve entries to about 1e-10 of that size)."""
    tf = get(name)
    x = tf.x0
    res = check_hessian(tf.grad, tf.hess, x)
    assert res.ok, (res.worst, res.units)
    H = res.analytic
    above = np.abs(H) > 1e-8 * natural_size(H)
    assert np.all(2 * np.abs(H[above]) > res.tolerance[above])
    g = check_grad(tf.f, tf.grad, x)
    assert g.ok, (g.worst, g.units)


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
    with pytest.raises(ValueError, match="x must be finite"):
        check_grad(f, grad, np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="shape"):
        check_hessian(grad, lambda x: hess(x)[:2], X)
    with pytest.raises(ValueError, match="needs the gradient"):
        check_hessian(f, hess, X, method="complex", fun_is="f")
    with pytest.raises(TypeError, match="real"):
        check_grad(f, lambda x: grad(x) + 0j, X)
    with pytest.raises(ValueError, match="rtol"):
        check_grad(f, grad, X, rtol=-1.0)
