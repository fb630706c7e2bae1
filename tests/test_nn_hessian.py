"""The MLP's structured exact Hessian, GGN, HVP, layer blocks and gradient against independent methods.

Tolerances (max relative error, norm-wise in the ∞-norm, refopt.verify):
* vs Richardson-extrapolated central differences of the exact gradient / loss / output: 1e-7;
* vs the generic reverse-mode Hessian of refopt.ad (same function, independent derivative): 1e-10;
* between two exact paths of refopt.nn (HVP vs H v, chunked vs not, block vs full): 1e-12.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from refopt.nn import MLP, teacher_student
from refopt.nn.hessian import forward
from refopt.verify import max_relative_error, richardson_jacobian

SMOOTH = ["tanh", "erf", "sigmoid", "softplus", "gelu", "leaky_softplus:0.3", "poly3", "linear"]
ALL = SMOOTH + ["relu", "poly2", "leaky_softplus"]
LOSSES = ["mse", "logistic", "softmax_ce"]


def problem(sizes, activation="tanh", loss="mse", bias=True, n=6, seed=0):
    m = MLP(sizes, activation=activation, bias=bias, loss=loss)
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(m.n_params) * 0.8
    X = rng.standard_normal((n, sizes[0]))
    C = sizes[-1]
    if loss == "mse":
        y = rng.standard_normal((n, C))
    elif loss == "logistic":
        y = rng.integers(0, 2, n)
    else:
        y = rng.integers(0, C, n)
    return m, theta, X, y


def err(a, b):
    return max_relative_error(a, b)[0]


CASES = [([3, 4, 2], a, "mse", True) for a in SMOOTH] + [
    ([2, 3, 3, 1], "tanh", "logistic", True), ([2, 3, 3, 1], "gelu", "logistic", False),
    ([3, 3, 2, 3], "softplus", "softmax_ce", True), ([2, 4, 3], "erf", "softmax_ce", False),
    ([2, 3, 2, 2, 2], "sigmoid", "mse", True), ([4, 2], "linear", "softmax_ce", True),
]


@pytest.mark.parametrize("sizes,activation,loss,bias", CASES)
def test_hessian_is_the_jacobian_of_the_gradient(sizes, activation, loss, bias):
    m, theta, X, y = problem(sizes, activation, loss, bias)
    H_fd = richardson_jacobian(lambda th: m.grad(th, X, y), theta)
    assert err(m.hessian(theta, X, y), H_fd) < 1e-7


@pytest.mark.parametrize("sizes,activation,loss,bias", CASES[::3])
def test_gradient_matches_finite_differences_of_the_loss(sizes, activation, loss, bias):
    m, theta, X, y = problem(sizes, activation, loss, bias, seed=1)
    assert err(m.grad(theta, X, y), richardson_jacobian(lambda th: m.loss(th, X, y), theta)) < 1e-8


@pytest.mark.parametrize("sizes,activation,loss", [([3, 4, 3, 2], "tanh", "mse"), ([2, 3, 4, 1], "gelu", "logistic"),
                                                   ([3, 2, 3, 3], "relu", "softmax_ce")])
def test_hvp_equals_hessian_times_v(sizes, activation, loss):
    m, theta, X, y = problem(sizes, activation, loss, seed=2)
    H = m.hessian(theta, X, y)
    for v in np.random.default_rng(3).standard_normal((3, m.n_params)):
        assert err(m.hvp(theta, X, y, v), H @ v) < 1e-12


@pytest.mark.parametrize("sizes,activation,loss,bias", [([3, 4, 3, 2], "tanh", "mse", True),
                                                        ([2, 3, 4, 1], "erf", "logistic", False),
                                                        ([3, 3, 2, 3], "softplus", "softmax_ce", True)])
def test_ggn_is_symmetric_psd_and_equals_JtMJ(sizes, activation, loss, bias):
    m, theta, X, y = problem(sizes, activation, loss, bias, n=7, seed=4)
    G = m.ggn(theta, X, y)
    # J_i from finite differences of the network output, M_i written out here per loss
    J = richardson_jacobian(lambda th: m.predict(th, X), theta)  # (N, C, P)
    f = m.predict(theta, X)
    if loss == "mse":
        M = np.broadcast_to(np.eye(f.shape[1]), (len(X),) + (f.shape[1],) * 2)
    elif loss == "logistic":
        s = 1 / (1 + np.exp(-f))
        M = (s * (1 - s))[:, :, None]
    else:
        p = np.exp(f - f.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        M = np.stack([np.diag(q) - np.outer(q, q) for q in p])
    ref = np.einsum("icp,icd,idq->pq", J, M, J) / len(X)
    assert err(G, ref) < 1e-7
    np.testing.assert_array_equal(G, G.T)
    assert np.linalg.eigvalsh(G).min() > -1e-12 * np.abs(G).max()


@pytest.mark.parametrize("curvature", [True, False])
def test_chunking_does_not_change_the_result(curvature):
    m, theta, X, y = problem([3, 5, 4, 2], "tanh", "softmax_ce", n=9, seed=5)
    f = m.hessian if curvature else m.ggn
    full = f(theta, X, y, chunk=9)
    for chunk in (1, 4):
        assert err(f(theta, X, y, chunk=chunk), full) < 1e-12
    np.testing.assert_array_equal(f(theta, X, y), full)  # the automatic chunk takes all 9 samples


def test_memory_budgets_change_only_the_grouping(monkeypatch):
    """Tiny budgets force one sample per chunk and one row s per Gram product: same matrix."""
    import refopt.nn.hessian as nh

    m, theta, X, y = problem([3, 5, 4, 2], "softplus", "mse", n=5, seed=10)
    ref = m.hessian(theta, X, y)
    assert nh.default_chunk(m.sizes, True, 5) == 5
    monkeypatch.setattr(nh, "CHUNK_BYTES", 1)
    monkeypatch.setattr(nh, "GRAM_BYTES", 1)
    assert nh.default_chunk(m.sizes, True, 5) == 1
    assert err(m.hessian(theta, X, y), ref) < 1e-12


def test_peak_memory_within_the_stated_bound(monkeypatch):
    """Peak (tracemalloc) <= 8 P² + 8 · chunk · w + 3 GRAM_BYTES (hessian.py docstring) + 256 KiB."""
    import tracemalloc

    import refopt.nn.hessian as nh

    monkeypatch.setattr(nh, "CHUNK_BYTES", 2**21)
    monkeypatch.setattr(nh, "GRAM_BYTES", 2**20)
    m, theta, X, y = problem([8, 30, 20, 2], "tanh", "softmax_ce", n=3000, seed=11)
    params, Xc, Y = m._data(theta, X, y)
    chunk = nh.default_chunk(m.sizes, True, 3000)
    assert chunk < 3000
    tracemalloc.start()
    H = nh.structured_hessian(params, Xc, Y, m.act, m.loss_fn)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    bound = H.nbytes + 8 * chunk * nh._per_sample_width(m.sizes, True) + 3 * nh.GRAM_BYTES
    assert peak <= bound + 2**18, (peak, bound)


def test_layer_hessian_is_the_diagonal_block():
    m, theta, X, y = problem([3, 4, 3, 2], "gelu", "mse", seed=6)
    H = m.hessian(theta, X, y)
    for j, sl in enumerate(m.slices):
        assert err(m.layer_hessian(theta, X, y, j), H[sl, sl]) < 1e-12
    assert err(m.layer_hessian(theta, X, y, -1), H[m.slices[-1], m.slices[-1]]) < 1e-12


def test_relu_net_hessian_diagonal_equals_ggn_diagonal():
    """Piecewise-linear nets have diag(H) = diag(GGN) (H from refopt.ad)."""
    m, theta, X, y = problem([3, 5, 4, 2], "relu", "softmax_ce", n=8, seed=7)
    H = m.hessian_generic(theta, X, y)
    G = m.ggn(theta, X, y)
    assert err(np.diag(G), np.diag(H)) < 1e-10
    assert np.abs(H - G).max() > 1e-3 * np.abs(H).max()  # the off-diagonal blocks do differ


# ---- literature: teacher–student at the teacher (Couto et al. 2025) ---------------------------------
def test_linear_teacher_student_rank_and_spectrum():
    Ni, Nh, N = 3, 5, 40
    m = MLP([Ni, Nh, 1], activation="linear", bias=False)
    X, y, theta = teacher_student(m, N, seed=8)
    theta = theta * 1.7  # a teacher not at the init scale
    y = m.predict(theta, X)
    lam = np.linalg.eigvalsh(m.hessian(theta, X, y))
    assert np.sum(lam > 1e-10 * lam.max()) == Ni
    (W1, _), (W2, _) = m.unflatten(theta)  # W1 (Ni, Nh) is the paper's W₁ᵀ; W2 (Nh, 1)
    C = X.T @ X / N
    expected = np.sort(np.linalg.eigvals((np.sum(W2 ** 2) * np.eye(Ni) + W1 @ W1.T) @ C).real)
    np.testing.assert_allclose(lam[-Ni:], expected, rtol=1e-10)
    assert np.abs(lam[:-Ni]).max() < 1e-12 * lam.max()


@pytest.mark.parametrize("activation,Ni,Nh,rank", [("poly2", 3, 4, 6), ("poly2", 4, 2, 7), ("erf", 3, 3, 12)])
def test_teacher_student_rank_laws(activation, Ni, Nh, rank):
    """rank H at θ*: z² → Ni(Ni+1)/2 (Nh ≥ Ni) or Nh·Ni − Nh(Nh−1)/2; erf → Nh(Ni+1) (full)."""
    m = MLP([Ni, Nh, 1], activation=activation, bias=False)
    X, y, theta = teacher_student(m, 80, seed=9)
    s = np.linalg.svd(m.hessian(theta, X, y), compute_uv=False)
    assert np.sum(s > 1e-9 * s[0]) == rank


# ---- the two independent exact Hessians, over random architectures ----------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(depth=st.integers(1, 3), widths=st.lists(st.integers(1, 6), min_size=4, max_size=4),
       activation=st.sampled_from(ALL), bias=st.booleans(), loss=st.sampled_from(LOSSES),
       n=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_fast_hessian_equals_generic_ad_hessian(depth, widths, activation, bias, loss, n, seed):
    sizes = widths[:depth + 1]
    sizes[-1] = 1 if loss == "logistic" else max(sizes[-1], 2) if loss == "softmax_ce" else sizes[-1]
    m, theta, X, y = problem(sizes, activation, loss, bias, n=n, seed=seed)
    if activation == "relu":  # σ'(0) is a convention: stay off the kink
        _, _, zs = forward(m.unflatten(theta), X, m.act, keep=True)
        assume(all(np.all(z != 0) for z in zs[:-1]))
    H_ad = m.hessian_generic(theta, X, y)
    assert err(m.hessian(theta, X, y), H_ad) < 1e-10
    if depth == 1:  # one linear layer: f is linear in θ, so H is its Gauss–Newton matrix
        assert err(m.ggn(theta, X, y), H_ad) < 1e-10
