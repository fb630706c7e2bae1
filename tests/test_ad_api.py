"""refopt.ad's operators: Hessians of the standard test functions against the hand-derived ones,
hvp against hessian, jacobian against Richardson differences, nesting, chunking, bad input.

Tolerances (max relative error, refopt.verify.max_relative_error):
* AD Hessian / gradient vs the hand-derived kernels of refopt.functions: 1e-10 (both exact; the
  difference is round-off in different operation orders);
* hvp vs hessian @ v, chunked vs unchunked Hessian: 1e-12 (same arithmetic, different batching);
* Jacobians/Hessians vs Richardson-extrapolated differences of values/gradients: 1e-7.
"""
import numpy as np
import pytest

import refopt.ad as ad
import refopt.ad.numpy as rnp
from refopt.functions import get
from refopt.verify import max_relative_error, richardson_jacobian

RTOL_EXACT = 1e-10
RTOL_SAME = 1e-12
RTOL_FD = 1e-7


# ------------------------------------------------------------------------------------------------
# the standard test functions, written once more against rnp (independently of refopt.functions)
# ------------------------------------------------------------------------------------------------
def rosenbrock(x):
    return rnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def beale(x):
    c = np.array([1.5, 2.25, 2.625])
    r = c - x[0] + x[0] * x[1] ** np.arange(1, 4)
    return rnp.sum(r * r)


def himmelblau(x):
    return (x[0] ** 2 + x[1] - 11.0) ** 2 + (x[0] + x[1] ** 2 - 7.0) ** 2


def trigonometric(x):  # MGH 26
    n = x.shape[0]
    i = np.arange(1, n + 1)
    r = n - rnp.sum(rnp.cos(x)) + i * (1.0 - rnp.cos(x)) - rnp.sin(x)
    return rnp.sum(r ** 2)


def rastrigin(x):
    return 10.0 * x.shape[0] + rnp.sum(x * x - 10.0 * rnp.cos(2.0 * rnp.pi * x))


def ackley(x):
    n = x.shape[0]
    return (-20.0 * rnp.exp(-0.2 * rnp.sqrt(rnp.sum(x * x) / n))
            - rnp.exp(rnp.sum(rnp.cos(2.0 * rnp.pi * x)) / n) + 20.0 + rnp.e)


def styblinski_tang(x):
    return 0.5 * rnp.sum(x ** 4 - 16.0 * x ** 2 + 5.0 * x)


STANDARD = [("rosenbrock", rosenbrock, 5), ("beale", beale, 2), ("himmelblau", himmelblau, 2),
            ("trigonometric", trigonometric, 6), ("rastrigin", rastrigin, 4), ("ackley", ackley, 3),
            ("styblinski_tang", styblinski_tang, 3)]


@pytest.mark.parametrize("name, f, n", STANDARD, ids=[s[0] for s in STANDARD])
def test_standard_function_hessians_match_hand_derived(name, f, n):
    tf = get(name, n=n)
    rng = np.random.default_rng(7 + n)
    for _ in range(3):
        x = rng.uniform(-2.0, 2.0, size=n)
        if name == "ackley":  # away from the kink at 0
            x = x + np.sign(x) * 0.5
        H = ad.hessian(f)(x)
        assert H.shape == (n, n)
        assert max_relative_error(H, tf.hess(x))[0] <= RTOL_EXACT
        assert max_relative_error(ad.grad(f)(x), tf.grad(x))[0] <= RTOL_EXACT


def test_hvp_equals_hessian_times_v():
    rng = np.random.default_rng(1)
    for _, f, n in STANDARD:
        x, v = rng.uniform(0.5, 1.5, size=n), rng.normal(size=n)
        H = ad.hessian(f)(x)
        assert max_relative_error(ad.hvp(f)(x, v), H @ v)[0] <= RTOL_SAME


def mlp_loss(theta, X, y):
    """A 3-4-2 tanh MLP, mse loss — the workload shape of refopt.nn (layout: W row-major, then b)."""
    W1 = theta[:12].reshape(3, 4)
    b1 = theta[12:16]
    W2 = theta[16:24].reshape(4, 2)
    b2 = theta[24:26]
    r = rnp.tanh(X @ W1 + b1) @ W2 + b2 - y
    return rnp.sum(r * r) / (2 * X.shape[0])


def test_mlp_hessian_against_differences_of_the_gradient():
    rng = np.random.default_rng(2)
    theta, X, y = rng.normal(size=26) * 0.7, rng.normal(size=(9, 3)), rng.normal(size=(9, 2))
    g = ad.grad(mlp_loss)(theta, X, y)
    assert max_relative_error(g, richardson_jacobian(lambda t: mlp_loss(t, X, y), theta))[0] <= RTOL_FD
    H = ad.hessian(mlp_loss)(theta, X, y)
    ref = richardson_jacobian(lambda t: ad.grad(mlp_loss)(t, X, y), theta)
    assert max_relative_error(H, ref)[0] <= RTOL_FD
    # chunking changes the batching, not the numbers
    for chunk in (1, 5, 26):
        assert max_relative_error(ad.hessian(mlp_loss, chunk=chunk)(theta, X, y), H)[0] <= RTOL_SAME
    assert max_relative_error(ad.hessian(mlp_loss, memory=1)(theta, X, y), H)[0] <= RTOL_SAME
    # argnum: the Hessian in X is an honest second derivative too
    HX = ad.hessian(mlp_loss, argnum=1)(theta, X, y)
    assert HX.shape == (9, 3, 9, 3)
    refX = richardson_jacobian(lambda Xf: ad.grad(mlp_loss, argnum=1)(theta, Xf.reshape(9, 3), y).ravel(),
                               X.ravel()).reshape(9, 3, 9, 3)
    assert max_relative_error(HX, refX)[0] <= RTOL_FD


def test_mlp_hessian_against_autograd():
    autograd = pytest.importorskip("autograd")
    import autograd.numpy as anp

    def loss(theta, X, y, xp):
        W1, b1, W2, b2 = theta[:12].reshape(3, 4), theta[12:16], theta[16:24].reshape(4, 2), theta[24:26]
        r = xp.tanh(X @ W1 + b1) @ W2 + b2 - y
        return xp.sum(r * r) / (2 * X.shape[0])

    rng = np.random.default_rng(3)
    theta, X, y = rng.normal(size=26), rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    H = ad.hessian(lambda t: loss(t, X, y, rnp))(theta)
    Ha = autograd.hessian(lambda t: loss(t, X, y, anp))(theta)
    assert max_relative_error(H, Ha)[0] <= RTOL_EXACT


# ------------------------------------------------------------------------------------------------
# jacobian, jvp/vjp shapes, broadcasting through whole functions, nesting
# ------------------------------------------------------------------------------------------------
def test_jacobian_of_a_broadcasting_function():
    A = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, 2.0]])

    def f(x):  # x (2, 3) -> (4, 2, 3): broadcasting against a (4, 1, 1) constant and a row mean
        return rnp.sin(x)[None] * np.arange(1.0, 5.0)[:, None, None] + rnp.mean(x * A, axis=1, keepdims=True)

    x = np.random.default_rng(4).normal(size=(2, 3))
    J = ad.jacobian(f)(x)
    assert J.shape == (4, 2, 3, 2, 3)
    ref = richardson_jacobian(lambda z: f(z.reshape(2, 3)), x.ravel()).reshape(4, 2, 3, 2, 3)
    assert max_relative_error(J, ref)[0] <= RTOL_FD
    # rows of J are vjps, columns are jvps
    u, v = np.random.default_rng(5).normal(size=(4, 2, 3)), np.random.default_rng(6).normal(size=(2, 3))
    assert max_relative_error(ad.vjp(f, x)[1](u), np.tensordot(u, J, 3))[0] <= RTOL_SAME
    assert max_relative_error(ad.jvp(f, x, v)[1], np.tensordot(J, v, 2))[0] <= RTOL_SAME


def test_third_derivative_by_nesting():
    """d³/dx³ [sin(x) x³] in closed form, by reverse∘reverse∘reverse and forward∘reverse∘reverse."""
    f = lambda x: rnp.sin(x) * x ** 3  # noqa: E731
    x = 0.7
    s, c = np.sin(x), np.cos(x)
    exact = -c * x ** 3 - 9 * s * x ** 2 + 18 * c * x + 6 * s
    d3 = ad.grad(ad.grad(ad.grad(f)))(x)
    assert d3 == pytest.approx(exact, rel=1e-13)
    assert ad.jvp(ad.grad(ad.grad(f)), x, 1.0)[1] == pytest.approx(exact, rel=1e-13)
    # the Hessian of a Hessian-vector product is a third derivative tensor contraction
    g = lambda z: rnp.sum(rnp.tanh(z) ** 3)  # noqa: E731
    z, v = np.array([0.2, -0.4]), np.array([1.0, 2.0])
    T = ad.jacobian(ad.hessian(g))(z)  # (2, 2, 2), diagonal
    t = np.tanh(z)
    d = 1 - t * t
    third = 6 * d ** 3 - 42 * t * t * d ** 2 + 12 * t ** 4 * d  # d³/dz³ tanh(z)³
    assert np.allclose(np.einsum("iii->i", T), third, rtol=1e-12, atol=0)
    assert max_relative_error(ad.jacobian(lambda q: ad.hvp(g)(q, v))(z), T @ v)[0] <= RTOL_SAME


def test_closure_over_an_outer_variable_is_kept_apart():
    """d/dx [x · d/dy (x y)] = d/dx [x · x] = 2x (perturbation confusion would give x)."""
    f = lambda x: x * ad.grad(lambda y: x * y)(3.0)  # noqa: E731
    assert ad.grad(f)(1.5) == 3.0


def test_value_and_grad_and_constant_functions():
    f = lambda x: rnp.sum(x ** 2)  # noqa: E731
    val, g = ad.value_and_grad(f)(np.array([1.0, 2.0]))
    assert val == 5.0 and np.array_equal(g, [2.0, 4.0])
    assert np.array_equal(ad.grad(lambda x: 3.0)(np.ones(3)), np.zeros(3))
    assert np.array_equal(ad.hessian(lambda x: 3.0)(np.ones(2)), np.zeros((2, 2)))
    assert np.array_equal(ad.jvp(lambda x: np.ones(2), np.ones(3), np.ones(3))[1], np.zeros(2))


def test_namespace_on_plain_arrays_is_numpy():
    x = np.random.default_rng(8).normal(size=(3, 4))
    assert np.array_equal(rnp.tanh(x), np.tanh(x))
    assert np.array_equal(rnp.sum(x, axis=0), x.sum(axis=0))
    assert np.array_equal(rnp.stack([x, x], axis=1), np.stack([x, x], axis=1))
    assert np.allclose(rnp.logsumexp(x, axis=1), np.log(np.exp(x).sum(axis=1)), rtol=1e-14, atol=0)
    assert rnp.softplus(np.array(800.0)) == 800.0  # no overflow


def test_numpy_ufuncs_and_arrays_on_the_left_route_to_the_namespace():
    x = np.array([0.3, 0.9])
    g = ad.grad(lambda t: np.sum(np.exp(t) * np.array([1.0, 2.0]) + np.array(1.0) / t))(x)
    assert np.allclose(g, np.exp(x) * [1.0, 2.0] - 1.0 / x ** 2, rtol=1e-15)


def test_asarray_of_boxes_and_composites():
    f = lambda x: rnp.sum(rnp.asarray([x[0] * x[1], rnp.sin(x[0])]) ** 2)  # noqa: E731
    x = np.array([0.4, -1.1])
    ref = richardson_jacobian(f, x)
    assert max_relative_error(ad.grad(f)(x), ref)[0] <= RTOL_FD
    for comp in (lambda z: rnp.var(z), lambda z: rnp.std(z), lambda z: rnp.linalg.norm(z),
                 lambda z: rnp.logsumexp(z), lambda z: rnp.sum(rnp.clip(z, -0.5, 0.5)),
                 lambda z: rnp.sum(rnp.outer(z, z)), lambda z: rnp.dot(z, z) + rnp.vdot(z, z),
                 lambda z: rnp.sum(rnp.moveaxis(rnp.stack([z, 2 * z]), 0, 1) * np.array([[1.0, -3.0]])),
                 lambda z: rnp.sum(rnp.squeeze(rnp.expand_dims(z, 0)) ** 3),
                 lambda z: rnp.sum(rnp.hstack([z, z[:1]]) ** 2) + rnp.sum(rnp.vstack([z, z]) * np.eye(2, 3)),
                 lambda z: rnp.sum(rnp.swapaxes(rnp.reshape(z, (1, 3)), 0, 1) * np.ones((3, 1))),
                 lambda z: rnp.sum(rnp.reciprocal(z) + rnp.square(z)) + rnp.inner(z, z),
                 lambda z: rnp.mean(rnp.atleast_1d(rnp.sum(z)) * z, axis=0)):
        z = np.array([0.3, -1.2, 2.0])
        assert max_relative_error(ad.grad(comp)(z), richardson_jacobian(comp, z))[0] <= RTOL_FD


# ------------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------------
def test_non_scalar_output_is_refused_naming_the_shape():
    for op in (ad.grad, ad.hessian, ad.value_and_grad):
        with pytest.raises(TypeError, match=r"scalar.*shape \(3,\)"):
            op(lambda x: x * 2.0)(np.ones(3))
    with pytest.raises(TypeError, match="scalar"):
        ad.hvp(lambda x: x * 2.0)(np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match="real array or scalar"):
        ad.grad(lambda x: "loss")(np.ones(3))


def test_bad_arguments():
    with pytest.raises(TypeError, match="complex"):
        ad.grad(lambda x: rnp.sum(x))(np.ones(2) + 1j)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        ad.jvp(rnp.sin, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="argnum"):
        ad.grad(lambda x: rnp.sum(x), argnum=2)(np.ones(2))
    with pytest.raises(ValueError, match="chunk"):
        ad.hessian(lambda x: rnp.sum(x), chunk=0)(np.ones(2))
    with pytest.raises(ValueError, match="cotangent"):
        ad.vjp(rnp.sin, np.ones(3))[1](np.ones(2))


def test_operations_that_would_drop_the_derivative_raise():
    def bad_asarray(x):
        return np.sum(np.asarray(x))

    def bad_float(x):
        return float(x[0])

    def bad_setitem(x):
        x[0] = 1.0
        return rnp.sum(x)

    def bad_ufunc(x):
        return rnp.sum(np.arcsinh(x))

    for f, match in ((bad_asarray, "plain NumPy array"), (bad_float, "float"),
                     (bad_setitem, "immutable"), (bad_ufunc, "arcsinh")):
        with pytest.raises(TypeError, match=match):
            ad.grad(f)(np.ones(2))


def test_unit_directions_skip_structural_zeros():
    """A slice of x whose tangents are all zero is a constant for the forward trace: a unit
    direction inside x[3:] does no tangent work on x[:3] (fewer tangent entries than a dense one),
    and the Hessian rows it gives are still exact (closed form)."""
    from refopt.ad.api import _forward

    f = lambda x: rnp.sum(rnp.sin(x[:3]) ** 2) + rnp.sum(x[3:] ** 3)  # noqa: E731
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    e = np.zeros((1, 5))
    e[0, 4] = 1.0
    dense = _forward(f, x, np.ones((1, 5)))[2].elements
    unit = _forward(f, x, e)[2].elements
    assert unit < dense
    H = ad.hessian(f, chunk=1)(x)
    assert np.allclose(np.diag(H), np.r_[2 * np.cos(2 * x[:3]), 6 * x[3:]], rtol=1e-14, atol=0)
    assert np.count_nonzero(H - np.diag(np.diag(H))) == 0
