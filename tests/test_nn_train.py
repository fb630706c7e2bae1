"""The network objective (θ restricted to trained layers) and the training API, against
independent computations: the MLP's own derivatives, dense Hessians, hand-written GD/SGD loops."""
import numpy as np
import pytest

from refopt import MLP, minimize
from refopt.nn import NetworkObjective, train

RNG = np.random.default_rng(5)
X = RNG.standard_normal((30, 3))
Y_REG = np.sin(X @ np.array([1.0, -2.0, 0.5]))
Y_CLS = (X[:, 0] - X[:, 1] > 0).astype(float)


def test_objective_of_all_layers_is_the_mlp():
    mlp = MLP([3, 5, 1], "tanh")
    obj = mlp.objective(X, Y_REG)
    x = mlp.init(2)
    v = RNG.standard_normal(obj.n)
    f, g = obj.value_and_grad(x)
    assert f == pytest.approx(mlp.loss(x, X, Y_REG), rel=1e-14)
    np.testing.assert_allclose(g, mlp.grad(x, X, Y_REG), rtol=1e-13)
    np.testing.assert_allclose(obj.hvp(x, v), mlp.hvp(x, X, Y_REG, v), rtol=1e-12)
    H = mlp.hessian(x, X, Y_REG)
    np.testing.assert_allclose(obj.hess(x), H, rtol=1e-13)
    V = RNG.standard_normal((3, obj.n))
    np.testing.assert_allclose(obj.summary(x, V), V @ H @ V.T, rtol=1e-10, atol=1e-12)
    assert obj.sharpness(x) == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-8)


def test_fixed_layers_restrict_the_derivatives():
    """The two-layer model with a fixed output layer (Cai et al. 2024): layer 0 trained."""
    mlp = MLP([3, 4, 1], "leaky_softplus", bias=False, loss="logistic")
    theta = mlp.init(0)
    theta[mlp.slices[1]] = np.array([1.0, -1.0, 1.0, -1.0]) / 4
    obj = mlp.objective(X, Y_CLS, theta=theta, layers=[0])
    idx = np.arange(mlp.slices[0].start, mlp.slices[0].stop)
    assert obj.n == 12 and obj.groups == [list(range(12))]
    x = RNG.standard_normal(12)
    full = theta.copy()
    full[idx] = x
    np.testing.assert_allclose(obj.grad(x), mlp.grad(full, X, Y_CLS)[idx], rtol=1e-13)
    H_ad = mlp.hessian_generic(full, X, Y_CLS)[np.ix_(idx, idx)]  # the independent oracle, refopt.ad
    np.testing.assert_allclose(obj.hess(x), H_ad, rtol=1e-10, atol=1e-13)
    v = RNG.standard_normal(12)
    np.testing.assert_allclose(obj.hvp(x, v), H_ad @ v, rtol=1e-10, atol=1e-13)
    # margins: ỹ f / ‖w‖ with ỹ = ±1
    f = mlp.predict(full, X)[:, 0]
    assert obj.normalized_margin(x) == pytest.approx(np.min((2 * Y_CLS - 1) * f) / np.linalg.norm(x), rel=1e-14)


def test_margin_is_negative_on_data_that_is_not_separated():
    mlp = MLP([3, 4, 1], "tanh", loss="logistic")
    y = Y_CLS.copy()
    obj = mlp.objective(np.vstack([X, X[:1]]), np.append(y, 1 - y[0]))  # one point with both labels
    x = mlp.init(0)
    assert obj.normalized_margin(x) < 0
    with pytest.raises(ValueError, match="classification"):
        MLP([3, 2, 1]).objective(X, Y_REG).margins(MLP([3, 2, 1]).init(0))


def test_full_batch_gd_is_the_gd_recursion():
    mlp = MLP([3, 6, 1], "tanh")
    obj = mlp.objective(X, Y_REG)
    x = obj.init(0)
    res = train(obj, method="gd", steps=25, lr=0.3, every=5)
    xs, losses = [x], [mlp.loss(x, X, Y_REG)]
    for _ in range(25):
        x = x - 0.3 * mlp.grad(x, X, Y_REG)
        xs.append(x)
        losses.append(mlp.loss(x, X, Y_REG))
    np.testing.assert_allclose(res.x, xs[-1], rtol=1e-12)
    assert list(res.history["step"]) == [0, 5, 10, 15, 20, 25]
    np.testing.assert_allclose(res.history["loss"], losses[::5], rtol=1e-12)
    np.testing.assert_allclose(res.history["step_length"][1:],
                               [np.linalg.norm(xs[k] - xs[k - 1]) for k in (5, 10, 15, 20, 25)], rtol=1e-10)
    assert res.success and res.status == 1 and np.all(np.diff(res.history["time"]) >= 0)


def test_mini_batch_sgd_is_the_sgd_recursion():
    mlp = MLP([3, 4, 1], "tanh")
    obj = mlp.objective(X, Y_REG)
    res = train(obj, method="gd", steps=12, lr=0.2, batch_size=8, seed=3, every=4)
    rng = np.random.default_rng(3)  # the documented order: a permutation per epoch, batches in turn
    x, order, at = obj.init(3), rng.permutation(30), 0
    for _ in range(12):
        if at + 8 > 30:
            order, at = rng.permutation(30), 0
        rows = np.sort(order[at:at + 8])
        at += 8
        x = x - 0.2 * mlp.grad(x, X[rows], Y_REG[rows])
    np.testing.assert_allclose(res.x, x, rtol=1e-12)
    assert res.history["batch_loss"].shape == res.history["loss"].shape == (4,)


def test_partition_newton_trains_and_its_options_reach_the_method():
    mlp = MLP([3, 6, 1], "tanh")
    obj = mlp.objective(X, Y_REG)
    res = train(obj, method="partition-newton", steps=30, options={"damping": 0.1, "clip": True, "ridge": 1e-8})
    assert res.history["loss"][-1] < 0.1 * res.history["loss"][0]  # the public code's damping 0.1
    assert res.extras["rates"].shape == (4,) and np.all(res.extras["rates"] >= 0)
    assert res.nhev == 30 * 4
    direct = minimize(obj, obj.init(0), method="partition-newton", line_search=None,
                      options={"damping": 0.1, "clip": True, "ridge": 1e-8, "maxiter": 30, "gtol": 0.0})
    np.testing.assert_array_equal(direct.x, res.x)


def test_sharpness_is_recorded_on_request():
    mlp = MLP([3, 3, 1], "tanh")
    obj = mlp.objective(X, Y_REG)
    res = train(obj, method="gd", steps=4, lr=0.1, record=("sharpness",), every=2)
    H = mlp.hessian(res.x, X, Y_REG)
    assert res.history["sharpness"][-1] == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-8)


@pytest.mark.parametrize("kw,word", [
    ({"method": "bfgs", "batch_size": 4}, "batch_size"),
    ({"steps": -1}, "steps"),
    ({"lr": 0.0}, "lr"),
    ({"lr": -1.0}, "lr"),
    ({"batch_size": 0}, "batch_size"),
    ({"record": ("curvature",)}, "record"),
    ({"record": "sharpness"}, "record"),
    ({"every": 0}, "every"),
    ({"method": "adam"}, "method"),
    ({"options": {"maxiter": 3}}, "maxiter"),
    ({"options": {"damping": 0.0}, "method": "partition-newton"}, "damping"),
    ({"x0": np.ones(3)}, "x0"),
    ({"batch_size": 4, "line_search": "wolfe"}, "line_search"),
])
def test_bad_training_input(kw, word):
    obj = MLP([3, 2, 1]).objective(X, Y_REG)
    with pytest.raises((TypeError, ValueError), match=word):
        train(obj, **kw)


def test_bad_objective_input():
    mlp = MLP([3, 2, 1])
    with pytest.raises(ValueError, match="theta"):
        NetworkObjective(mlp, X, Y_REG, layers=[0])
    with pytest.raises(ValueError, match="layer"):
        NetworkObjective(mlp, X, Y_REG, theta=mlp.init(0), layers=[2])
    with pytest.raises(TypeError, match="mlp"):
        NetworkObjective("mlp", X, Y_REG)
    with pytest.raises(TypeError, match="NetworkObjective"):
        train(mlp)


@pytest.mark.parametrize("act,loss,bias", [("tanh", "mse", True), ("gelu", "softmax_ce", False),
                                           ("softplus", "logistic", True), ("relu", "softmax_ce", True)])
def test_summary_by_forward_tangents_is_the_dense_quadratic_form(act, loss, bias):
    """V H Vᵀ from forward tangents only (hessian.quadratic_forms) against the structured Hessian,
    for per-tensor rows (zero blocks skipped), dense rows and a mix, three hidden layers."""
    out = 1 if loss in ("mse", "logistic") else 3
    mlp = MLP([3, 4, 5, 3, out], act, bias=bias, loss=loss)
    y = {"mse": Y_REG, "logistic": Y_CLS, "softmax_ce": (Y_CLS + (X[:, 2] > 0)).astype(int)}[loss]
    obj = mlp.objective(X, y)
    x = mlp.init(4) + 0.1 * RNG.standard_normal(obj.n)
    H = obj.hess(x)
    g = obj.grad(x)
    V = np.zeros((len(obj.groups) + 2, obj.n))
    for s, grp in enumerate(obj.groups):
        V[s, grp] = g[grp]
    V[-2] = RNG.standard_normal(obj.n)
    V[-1, obj.groups[0] + obj.groups[-1]] = 1.0  # two tensors, first and last layer
    Q = obj.summary(x, V)
    scale = np.max(np.abs(V @ H @ V.T))
    np.testing.assert_allclose(Q, V @ H @ V.T, rtol=0, atol=1e-12 * scale)


def test_a_failed_mini_batch_run_ends_with_the_last_iterate_recorded_once():
    mlp = MLP([3, 4, 1], "tanh", loss="logistic")
    obj = mlp.objective(X, Y_CLS)
    res = train(obj, method="partition-newton", steps=12, batch_size=5, every=4, record=("sharpness", "margin"))
    steps = list(res.history["step"])
    assert steps == sorted(set(steps))  # no row twice
    assert res.history["loss"][-1] == pytest.approx(obj.value(res.x), rel=1e-12)
    assert {len(v) for v in res.history.values()} == {len(steps)}
    if res.status != 1:
        assert not res.success and res.message


def test_divergence_is_a_status_even_when_sharpness_is_recorded():
    mlp = MLP([3, 4, 2], "relu")
    obj = mlp.objective(X, np.c_[Y_REG, Y_REG])
    for kw in ({"batch_size": 5}, {}):
        res = train(obj, method="gd", steps=5, lr=1e150, record=("sharpness",), **kw)
        assert res.status == 3 and not res.success and "NaN or inf" in res.message
    res = train(obj, x0=np.full(obj.n, 1e120), method="gd", steps=3, lr=0.1, record=("sharpness",))
    assert res.status == 3 and "starting point" in res.message


def test_training_refuses_what_it_would_ignore():
    obj = MLP([3, 2, 1]).objective(X, Y_REG)
    with pytest.raises(ValueError, match="bounds"):
        train(obj, batch_size=5, options={"bounds": (-1.0, 1.0)})
    with pytest.raises(ValueError, match="lr"):
        train(obj, lr=0.1, line_search="wolfe")
    with pytest.raises(ValueError, match="step"):
        train(obj, lr=0.1, options={"step": 0.2})


def test_norms_do_not_overflow():
    from refopt.nn.train import _norm

    assert _norm(np.full(3, 1e300)) == pytest.approx(np.sqrt(3) * 1e300, rel=1e-15)
