"""The per-sample Hessian H = U C Uᵀ of :mod:`refopt.nn.sample_newton` against the dense structured
Hessian of the one sample (``MLP.hessian`` on that row): the basis, the rank, the factors, the
regularised spectrum and the (saddle-free) Newton direction, each to 1e-10; and the input checks."""
import itertools

import numpy as np
import pytest

from refopt import MLP
from refopt.nn import hessian as _h
from refopt.nn.sample_newton import (hvps, rank_bound, sample_factors, sample_gradient, sample_hessian_factors,
                                     sample_newton_direction, sample_spectrum)

ARCHS = [[3, 5, 2], [4, 6, 5, 3], [2, 4, 1], [5, 3, 4, 2, 3]]
ACTS = ["tanh", "erf", "sigmoid", "softplus", "gelu", "leaky_softplus:0.3", "poly2", "linear"]
LOSSES = ["mse", "softmax_ce", "logistic"]


def cases(acts=ACTS):
    for sizes, act, loss, bias in itertools.product(ARCHS, acts, LOSSES, (True, False)):
        if (loss == "logistic" and sizes[-1] != 1) or (loss == "softmax_ce" and sizes[-1] < 2):
            continue
        yield sizes, act, loss, bias


def sample(mlp, seed):
    """θ (init plus noise, biases non-zero), one input and a target that is not fitted. The logits
    are kept below 4 in size: a saturated softmax (p_k ~ 1e-9) makes the *dense* Hessian's null
    direction of the softmax shift, M 1 = 0, a rounding-level singular value that matrix_rank counts.
    The hidden pre-activations are kept below 2.5 in size: a saturated unit (erf'(z) ~ 1e-15) adds
    curvature below matrix_rank's tolerance, and the dense rank then drops what is structurally there."""
    rng = np.random.default_rng(seed)
    while True:
        theta = mlp.init(seed) + 0.3 * rng.standard_normal(mlp.n_params)
        x = rng.standard_normal(mlp.sizes[0])
        f, _, zs = _h.forward(mlp.unflatten(theta), x[None], mlp.act, keep=True)
        hidden = max((np.abs(z).max() for z in zs[:-1]), default=0.0)
        if hidden < 2.5 and (mlp.loss_name == "mse" or np.abs(f).max() < 4.0):
            break
    C = mlp.sizes[-1]
    if mlp.loss_name == "mse":
        y = rng.standard_normal(C)
    elif mlp.loss_name == "softmax_ce":
        y = int(rng.integers(C))
    else:
        y = float(rng.integers(2))
    return theta, x, y


def dense(mlp, theta, x, y):
    Y = np.asarray(y, dtype=float).reshape(1, -1) if mlp.loss_name == "mse" else np.atleast_1d(y)
    return mlp.hessian(theta, x[None], Y)


def rel(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize("sizes,act,loss,bias", list(cases()))
def test_factors_against_dense_hessian(sizes, act, loss, bias):
    mlp = MLP(sizes, act, bias=bias, loss=loss)
    theta, x, y = sample(mlp, sum(sizes) + len(act) + bias)
    f = sample_factors(mlp, theta, x, y)
    H = dense(mlp, theta, x, y)
    r = f.rank
    np.testing.assert_allclose(f.U.T @ f.U, np.eye(r), atol=1e-13)          # orthonormal
    assert r == np.linalg.matrix_rank(H) == rank_bound(mlp)                # generic sample: r = rank H = eq. (5)
    assert r < mlp.n_params
    assert r <= sizes[1] + sum(a + b for a, b in zip(sizes[1:-1], sizes[2:]))  # the first count's bound
    assert rel(f.U @ f.C @ f.U.T, H) < 1e-10
    np.testing.assert_array_equal(f.C, f.C.T)
    # the data gradient lies in span U, and equals MLP.grad on the row
    g = mlp.grad(theta, x[None], np.atleast_1d(y) if loss != "mse" else np.asarray(y)[None])
    np.testing.assert_allclose(f.grad, g, rtol=1e-13, atol=1e-15 * np.abs(g).max())
    assert np.linalg.norm(f.grad - f.U @ (f.U.T @ f.grad)) <= 1e-12 * np.linalg.norm(f.grad)
    U2, C2 = sample_hessian_factors(mlp, theta, x, y)
    np.testing.assert_array_equal(U2, f.U)
    np.testing.assert_array_equal(C2, f.C)


@pytest.mark.parametrize("sizes,act,loss,bias", list(cases(["tanh", "softplus", "linear"])))
@pytest.mark.parametrize("lam", [1e-3, 0.5])
def test_spectrum_and_direction(sizes, act, loss, bias, lam):
    mlp = MLP(sizes, act, bias=bias, loss=loss)
    theta, x, y = sample(mlp, 7 * sum(sizes) + bias)
    H = dense(mlp, theta, x, y)
    A = lam * np.eye(mlp.n_params) + H
    values, mult = sample_spectrum(mlp, theta, x, y, lam)
    assert mult == mlp.n_params - values.size
    full = np.sort(np.concatenate([values, np.full(mult, lam)]))
    ref = np.linalg.eigvalsh(A)
    np.testing.assert_allclose(full, ref, rtol=0, atol=1e-10 * np.abs(ref).max())
    g = sample_gradient(mlp, theta, x, y) + lam * theta
    d = sample_newton_direction(mlp, theta, x, y, lam, saddle_free=False)
    assert rel(d, np.linalg.solve(A, g)) < 1e-10
    w, V = np.linalg.eigh(A)
    d_abs = sample_newton_direction(mlp, theta, x, y, lam)  # saddle-free: |λI + H|⁻¹ g
    assert rel(d_abs, V @ ((V.T @ g) / np.abs(w))) < 1e-10
    assert d_abs @ g > 0  # a descent direction of the regularised per-sample loss
    floor = 2.0 * lam
    d_floor = sample_newton_direction(mlp, theta, x, y, lam, floor=floor)
    # the floor acts on the r eigenvalues of V only; λ (V^⊥) stays λ
    U, C = sample_hessian_factors(mlp, theta, x, y)
    mu, Q = np.linalg.eigh(C)
    B = U @ Q @ np.diag(np.maximum(np.abs(lam + mu), floor)) @ Q.T @ U.T + lam * (np.eye(mlp.n_params) - U @ U.T)
    assert rel(d_floor, np.linalg.solve(B, g)) < 1e-10


def test_indefinite_sample_and_saddle_free():
    """A sample whose λI + H has negative eigenvalues: plain and |·| directions differ, both exact."""
    mlp = MLP([3, 8, 2], "tanh", loss="mse")
    rng = np.random.default_rng(3)
    theta = 2.0 * rng.standard_normal(mlp.n_params)
    x, y = rng.standard_normal(3), 5.0 * rng.standard_normal(2)
    lam = 1e-2
    values, _ = sample_spectrum(mlp, theta, x, y, lam)
    assert values.min() < -10 * lam  # non-convex here
    A = lam * np.eye(mlp.n_params) + dense(mlp, theta, x, y)
    g = sample_gradient(mlp, theta, x, y) + lam * theta
    w, V = np.linalg.eigh(A)
    d = sample_newton_direction(mlp, theta, x, y, lam, saddle_free=False)
    d_abs = sample_newton_direction(mlp, theta, x, y, lam, saddle_free=True)
    assert rel(d, np.linalg.solve(A, g)) < 1e-10
    assert rel(d_abs, V @ ((V.T @ g) / np.abs(w))) < 1e-10
    assert rel(d, d_abs) > 1e-3


@pytest.mark.parametrize("sizes,loss,bias", [([4, 6, 5, 3], "mse", True), ([4, 6, 5, 3], "softmax_ce", False),
                                             ([5, 3, 4, 2, 3], "mse", False), ([2, 4, 1], "logistic", True)])
def test_relu_masks(sizes, loss, bias):
    """Inactive ReLU units (σ' = σ'' = 0) are left out of V by exact zero tests: r = rank H < eq. (5)."""
    mlp = MLP(sizes, "relu", bias=bias, loss=loss)
    for seed in range(4):
        theta, x, y = sample(mlp, seed)
        f = sample_factors(mlp, theta, x, y)
        H = dense(mlp, theta, x, y)
        assert f.rank == np.linalg.matrix_rank(H) <= rank_bound(mlp)
        assert rel(f.U @ f.C @ f.U.T, H) < 1e-10 if np.any(H) else f.rank == 0


def test_degenerate_samples():
    """Zero residual (δ = 0) and a zero input without bias: V is still a valid subspace (r ≥ rank H,
    rank C = rank H) and H = U C Uᵀ, the spectrum and the direction stay exact."""
    lam = 0.1
    for bias in (True, False):
        mlp = MLP([3, 5, 4, 2], "tanh", bias=bias)
        theta, x, _ = sample(mlp, 11)
        y = mlp.predict(theta, x[None])[0]  # fitted exactly: H = JᵀJ, rank 2
        f = sample_factors(mlp, theta, x, y)
        H = dense(mlp, theta, x, y)
        assert np.linalg.matrix_rank(H) == 2 and f.rank == 3 * 2  # one R^C per layer: V ⊕ by layers
        assert np.linalg.matrix_rank(f.C) == 2
        assert rel(f.U @ f.C @ f.U.T, H) < 1e-10
        np.testing.assert_array_equal(f.grad, 0.0)
        values, mult = sample_spectrum(mlp, theta, x, y, lam)
        full = np.sort(np.concatenate([values, np.full(mult, lam)]))
        np.testing.assert_allclose(full, np.linalg.eigvalsh(lam * np.eye(mlp.n_params) + H), atol=1e-12)
        d = sample_newton_direction(mlp, theta, x, y, lam, saddle_free=False)
        assert rel(d, np.linalg.solve(lam * np.eye(mlp.n_params) + H, lam * theta)) < 1e-10
    mlp = MLP([3, 5, 2], "tanh", bias=False)
    theta = mlp.init(0)
    f = sample_factors(mlp, theta, np.zeros(3), [1.0, -1.0])  # tanh(0) = 0: every h and H vanish
    assert f.rank == 0 and f.C.shape == (0, 0)
    d = sample_newton_direction(mlp, theta, np.zeros(3), [1.0, -1.0], lam)
    np.testing.assert_allclose(d, theta, rtol=1e-15)  # (λθ)/λ


def test_batched_hvps_equal_the_r_operator():
    mlp = MLP([4, 6, 5, 3], "softplus", loss="softmax_ce")
    theta, x, y = sample(mlp, 5)
    params = mlp.unflatten(theta)
    t = _h.tape(params, x[None], mlp.loss_fn.targets(np.atleast_1d(y), 1, 3), mlp.act, mlp.loss_fn)
    V = np.random.default_rng(0).standard_normal((mlp.n_params, 7))
    HV = hvps(mlp, t, params, V)
    for k in range(7):
        np.testing.assert_allclose(HV[:, k], _h.tangent_product(t, params, mlp.unflatten(V[:, k]), 1),
                                   rtol=1e-12, atol=1e-14 * np.abs(HV).max())


def test_targets_of_one_sample():
    """y as a number, a label, a one-hot row, (C,) or (1, C): the same factors."""
    m = MLP([3, 4, 3], "tanh", loss="softmax_ce")
    theta, x, _ = sample(m, 0)
    ref = sample_factors(m, theta, x, 2)
    for y in (np.int64(2), [2], [0.0, 0.0, 1.0], [[0, 0, 1]], 2.0):
        np.testing.assert_array_equal(sample_factors(m, theta, x, y).C, ref.C)
    np.testing.assert_array_equal(sample_factors(m, theta, x[None], 2).C, ref.C)
    m = MLP([3, 4, 1], "tanh")
    theta, x, _ = sample(m, 0)
    ref = sample_factors(m, theta, x, 0.5)
    for y in ([0.5], [[0.5]], np.float64(0.5)):
        np.testing.assert_array_equal(sample_factors(m, theta, x, y).C, ref.C)


def test_rank_bound_formula():
    assert rank_bound(MLP([6, 12, 12, 1], "tanh")) == 12 + 12 + 1 + 12 + 12 == 49
    assert rank_bound(MLP([6, 12, 12, 3], "tanh", loss="softmax_ce")) == 12 + 12 + 2 + 12 + 12
    assert rank_bound(MLP([6, 12, 12, 1], "tanh", bias=False)) == 49 - 2
    assert rank_bound(MLP([6, 1], "tanh")) == 1


def test_bad_input():
    m = MLP([3, 4, 2], "tanh")
    theta, x, y = sample(m, 0)
    for lam in (0.0, -1.0, np.nan, np.inf):
        for fn in (sample_spectrum, sample_newton_direction):
            with pytest.raises(ValueError, match="lam"):
                fn(m, theta, x, y, lam)
    with pytest.raises(TypeError, match="lam"):
        sample_spectrum(m, theta, x, y, "0.1")
    with pytest.raises(TypeError, match="lam"):
        sample_newton_direction(m, theta, x, y, True)
    with pytest.raises(ValueError, match="theta"):
        sample_factors(m, theta[:-1], x, y)
    bad = theta.copy()
    bad[0] = np.nan
    with pytest.raises(ValueError, match="theta"):
        sample_factors(m, bad, x, y)
    with pytest.raises(ValueError, match="x"):
        sample_factors(m, theta, x[:2], y)
    with pytest.raises(ValueError, match="x"):
        sample_factors(m, theta, np.stack([x, x]), y)  # two samples: batch size 1 only
    with pytest.raises(ValueError, match="x"):
        sample_factors(m, theta, [np.inf, 0.0, 0.0], y)
    with pytest.raises(ValueError, match="y"):
        sample_factors(m, theta, x, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y"):
        sample_factors(m, theta, x, [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="y"):
        sample_factors(m, theta, x, [np.nan, 0.0])
    with pytest.raises(TypeError, match="y"):
        sample_factors(m, theta, x, [True, False])
    with pytest.raises(TypeError, match="mlp"):
        sample_factors("mlp", theta, x, y)
    with pytest.raises(TypeError, match="saddle_free"):
        sample_newton_direction(m, theta, x, y, 0.1, saddle_free=1)
    with pytest.raises(ValueError, match="floor"):
        sample_newton_direction(m, theta, x, y, 0.1, floor=-1.0)
    c = MLP([3, 4, 3], "tanh", loss="softmax_ce")
    theta, x, _ = sample(c, 0)
    for y in (3, -1, 0.5, [0.5, 0.5, 0.0]):
        with pytest.raises(ValueError, match="label"):
            sample_factors(c, theta, x, y)


def test_singular_regularised_hessian_is_refused():
    """λ + μ = 0 for an eigenvalue μ of C: the plain direction (7) does not exist."""
    m = MLP([3, 8, 2], "tanh")
    rng = np.random.default_rng(3)
    theta = 2.0 * rng.standard_normal(m.n_params)
    x, y = rng.standard_normal(3), 5.0 * rng.standard_normal(2)
    values, _ = sample_spectrum(m, theta, x, y, 1.0)
    mu = values - 1.0
    neg = mu[mu < 0][0]
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        sample_newton_direction(m, theta, x, y, -neg, saddle_free=False)
