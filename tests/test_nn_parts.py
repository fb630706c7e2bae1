"""refopt.nn building blocks: the activation table, the losses, the MLP layout and its input checks."""
import numpy as np
import pytest
from scipy import special, stats

from refopt.nn import MLP, get_activation, get_loss, teacher_student
from refopt.verify import max_relative_error, richardson_hessian, richardson_jacobian

SMOOTH = ["linear", "tanh", "erf", "sigmoid", "softplus", "gelu", "leaky_softplus", "leaky_softplus:0.2",
          "poly1", "poly2", "poly3", "poly5"]
Z = np.array([-2.7, -1.3, -0.6, -0.05, 0.3, 0.8, 1.7, 3.1])


def _fd_derivative(fun, z):
    """Elementwise derivative by Richardson-extrapolated central differences (diag of the Jacobian)."""
    return np.diag(richardson_jacobian(fun, z))


@pytest.mark.parametrize("name", SMOOTH + ["relu"])
def test_activation_derivatives_match_finite_differences(name):
    act = get_activation(name)
    funcs = [act] + [act.d1, act.d2, act.d3]
    for k in range(3):
        err, _ = max_relative_error(funcs[k + 1](Z), _fd_derivative(funcs[k], Z), floor=1.0)
        assert err < 1e-9, (name, k + 1, err)


def test_activation_values_against_closed_forms():
    Phi = stats.norm.cdf
    closed = {
        "linear": Z, "tanh": np.tanh(Z), "erf": special.erf(Z), "sigmoid": 1 / (1 + np.exp(-Z)),
        "softplus": np.log1p(np.exp(Z)), "relu": np.where(Z > 0, Z, 0.0), "gelu": Z * Phi(Z),
        "leaky_softplus": 0.5 * Z + 0.5 * np.log1p(np.exp(Z)),
        "leaky_softplus:0.2": 0.2 * Z + 0.8 * np.log1p(np.exp(Z)), "poly3": Z ** 3, "poly1": Z,
    }
    for name, ref in closed.items():
        np.testing.assert_allclose(get_activation(name)(Z), ref, rtol=1e-14, atol=1e-15, err_msg=name)
    act = get_activation("relu")
    assert act.d1(np.array([0.0]))[0] == 0.0  # the documented choice σ'(0) = 0
    assert get_activation("poly2").d3(Z).tolist() == [0.0] * Z.size


@pytest.mark.parametrize("bad", ["swish", "poly0", "poly", "polyx", "leaky_softplus0.5", ""])
def test_unknown_activation_names_the_known_ones(bad):
    with pytest.raises(ValueError, match="tanh"):
        get_activation(bad)


@pytest.mark.parametrize("bad", ["leaky_softplus:2", "leaky_softplus:-0.1", "leaky_softplus:abc", "leaky_softplus:nan"])
def test_leaky_softplus_slope_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=r"needs a slope c in \[0, 1\]"):
        get_activation(bad)


def test_non_string_activation_is_a_type_error():
    with pytest.raises(TypeError, match="activation must be a name"):
        get_activation(3)


# ---- losses ------------------------------------------------------------------------------------
def _targets(name, rng, C):
    if name == "mse":
        return rng.standard_normal(C)
    if name == "logistic":
        return np.array([1.0])
    return np.eye(C)[1]


@pytest.mark.parametrize("name,C", [("mse", 3), ("logistic", 1), ("softmax_ce", 4)])
def test_loss_residual_and_curvature_match_finite_differences(name, C):
    rng = np.random.default_rng(3)
    loss = get_loss(name)
    f0 = rng.standard_normal(C)
    y = _targets(name, rng, C)[None, :]

    def ell(f):
        return loss(f[None, :], y)

    r = loss.residual(f0[None, :], y)[0]
    M = loss.curvature(f0[None, :], y)[0]
    assert max_relative_error(r, richardson_jacobian(ell, f0))[0] < 1e-10
    assert max_relative_error(M, richardson_hessian(ell, f0))[0] < 1e-6
    assert np.all(np.linalg.eigvalsh(M) > -1e-14)  # M ⪰ 0 for all three losses


def test_loss_values_against_their_textbook_forms():
    rng = np.random.default_rng(4)
    f = rng.standard_normal((6, 3))
    Y = rng.standard_normal((6, 3))
    assert np.isclose(get_loss("mse")(f, Y), np.sum((f - Y) ** 2) / 12, rtol=1e-14)
    f1, y1 = f[:, :1], (rng.random((6, 1)) > 0.5).astype(float)
    s = 1 / (1 + np.exp(-f1))
    assert np.isclose(get_loss("logistic")(f1, y1), -np.mean(y1 * np.log(s) + (1 - y1) * np.log(1 - s)), rtol=1e-13)
    labels = np.array([0, 2, 1, 1, 0, 2])
    ref = np.mean(special.logsumexp(f, axis=1) - f[np.arange(6), labels])
    ce = get_loss("softmax_ce")
    assert np.isclose(ce(f, ce.targets(labels, 6, 3)), ref, rtol=1e-13)
    np.testing.assert_array_equal(ce.targets(labels, 6, 3), ce.targets(np.eye(3)[labels], 6, 3))


def test_softmax_value_is_stable_for_large_logits():
    ce = get_loss("softmax_ce")
    f = np.array([[1000.0, 0.0, -1000.0]])
    assert np.isclose(ce(f, ce.targets(np.array([1]), 1, 3)), 1000.0, rtol=1e-14)


@pytest.mark.parametrize("name,y,N,C,match", [
    ("mse", np.zeros((4, 2)), 4, 3, r"shape \(4, 3\)"),
    ("mse", np.array([0.0, np.nan, 0, 0]), 4, 1, "finite"),
    ("logistic", np.array([0, 1, 2, 1]), 4, 1, "0 or 1"),
    ("logistic", np.zeros(4), 4, 2, "single output"),
    ("softmax_ce", np.array([0, 1, 3, 1]), 4, 3, r"integers in 0\.\.2"),
    ("softmax_ce", np.array([0, 1.5, 1, 1]), 4, 3, "integers"),
    ("softmax_ce", np.full((4, 3), 1 / 3), 4, 3, "one-hot"),
    ("softmax_ce", np.zeros(4), 4, 1, "at least 2"),
])
def test_bad_targets_name_the_expected_form(name, y, N, C, match):
    with pytest.raises(ValueError, match=match):
        get_loss(name).targets(y, N, C)


def test_unknown_loss_names_the_known_ones():
    with pytest.raises(ValueError, match="mse, logistic, softmax_ce"):
        get_loss("hinge")


# ---- the MLP: layout, forward pass, input checks ------------------------------------------------
def test_layout_and_forward_by_hand():
    """θ = [W1 row-major, b1, W2 row-major, b2]; f = tanh(X W1 + b1) W2 + b2 (layout in the README)."""
    m = MLP([3, 4, 2], activation="tanh")
    assert m.n_params == 3 * 4 + 4 + 4 * 2 + 2
    theta = np.arange(m.n_params, dtype=float) / 10 - 1.0
    W1, b1 = theta[:12].reshape(3, 4), theta[12:16]
    W2, b2 = theta[16:24].reshape(4, 2), theta[24:26]
    X = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_allclose(m.predict(theta, X), np.tanh(X @ W1 + b1) @ W2 + b2, rtol=1e-14)
    np.testing.assert_array_equal(m.flatten(m.unflatten(theta)), theta)
    nb = MLP([3, 4, 2], bias=False)
    assert nb.n_params == 20 and nb.unflatten(np.ones(20))[1][1] is None


def test_init_scale_and_zero_bias():
    m = MLP([400, 300, 1])
    theta = m.init(seed=1)
    W, b = m.unflatten(theta)[0]
    assert abs(W.std() * np.sqrt(400) - 1.0) < 0.01  # W ~ N(0, 1/fan_in)
    assert np.all(b == 0)
    np.testing.assert_array_equal(theta, m.init(seed=1))


def test_teacher_student_labels():
    for loss, out in [("mse", 2), ("logistic", 1), ("softmax_ce", 3)]:
        m = MLP([4, 5, out], loss=loss)
        X, y, th = teacher_student(m, 30, seed=2)
        assert X.shape == (30, 4)
        if loss == "mse":
            assert m.loss(th, X, y) == 0.0
        else:
            f = m.predict(th, X)
            pred = (f[:, 0] > 0) if loss == "logistic" else np.argmax(f, axis=1)
            np.testing.assert_array_equal(pred, y)


@pytest.mark.parametrize("call,match", [
    (lambda m, th, X, y: m.loss(th[:-1], X, y), r"theta must have shape \(14,\); got shape \(13,\)"),
    (lambda m, th, X, y: m.grad(th.reshape(1, -1), X, y), r"shape \(14,\)"),
    (lambda m, th, X, y: m.hessian(th, X[:, :2], y), r"X must have shape \(N, 3\); got shape \(5, 2\)"),
    (lambda m, th, X, y: m.ggn(th, X, y[:-1]), r"y must have shape \(5, 2\)"),
    (lambda m, th, X, y: m.loss(np.where(th > 0, np.nan, th), X, y), "theta must be finite"),
    (lambda m, th, X, y: m.grad(th, np.where(X > 0, np.inf, X), y), "X must be finite"),
    (lambda m, th, X, y: m.hessian(th, X, np.where(y > 0, np.nan, y)), "finite"),
    (lambda m, th, X, y: m.hvp(th, X, y, np.ones(3)), r"v must have shape \(14,\)"),
    (lambda m, th, X, y: m.layer_hessian(th, X, y, 2), r"layer must be an int with -2 <= layer <= 1; got 2"),
    (lambda m, th, X, y: m.hessian(th, X, y, chunk=0), r"chunk \(samples per block\) must be an int with 1 <="),
])
def test_bad_input_names_the_expected_shape(call, match):
    m = MLP([3, 2, 2])
    rng = np.random.default_rng(0)
    th, X, y = m.init(0), rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    with pytest.raises(ValueError, match=match):
        call(m, th, X, y)


@pytest.mark.parametrize("kwargs,match", [
    (dict(sizes=[3]), r"sizes must be a list of >= 2 positive ints"),
    (dict(sizes=[3, 0, 1]), r"sizes\[1\] must be an int with 1 <= sizes\[1\]; got 0"),
    (dict(sizes=[3, 2], activation="swish"), "unknown activation 'swish'"),
    (dict(sizes=[3, 2], loss="hinge"), "unknown loss 'hinge'"),
    (dict(sizes=[3, 2], loss="logistic"), r"sizes\[-1\] == 1"),
    (dict(sizes=[3, 1], loss="softmax_ce"), r"sizes\[-1\] >= 2"),
])
def test_bad_architecture(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        MLP(**kwargs)
