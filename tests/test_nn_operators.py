"""An MLP's matrix-free Hessian, GGN and layer-block operators against the structured matrices
(an independent code path: Gram products over samples, not the R-operator), and the spectral
tools run on them against dense eigh."""
import numpy as np
import pytest
from scipy.sparse.linalg import LinearOperator, eigsh

from refopt import MLP
from refopt import spectral as sp

NETS = [([3, 5, 4, 2], "tanh", "mse", True), ([4, 6, 3], "relu", "softmax_ce", True),
        ([3, 4, 1], "erf", "logistic", False), ([2, 3, 3, 2], "gelu", "softmax_ce", False)]


def data(mlp, N=25, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, mlp.sizes[0]))
    C = mlp.sizes[-1]
    if mlp.loss_name == "mse":
        y = rng.standard_normal((N, C))
    elif mlp.loss_name == "softmax_ce":
        y = rng.integers(0, C, N)
    else:
        y = rng.integers(0, 2, N).astype(float)
    return X, y


@pytest.mark.parametrize("sizes,act,loss,bias", NETS)
def test_operators_equal_the_structured_matrices(sizes, act, loss, bias):
    mlp = MLP(sizes, activation=act, loss=loss, bias=bias)
    X, y = data(mlp)
    th = mlp.init(1)
    H, G = mlp.hessian(th, X, y), mlp.ggn(th, X, y)
    I = np.eye(mlp.n_params)
    for M, op in ((H, mlp.hessian_operator(th, X, y)), (G, mlp.ggn_operator(th, X, y))):
        assert isinstance(op, LinearOperator) and op.shape == M.shape
        np.testing.assert_allclose(op @ I, M, rtol=0, atol=1e-13 * np.abs(M).max())
    for layer in range(mlp.n_layers):
        sl = mlp.slices[layer]
        for M, op in ((H, mlp.hessian_operator(th, X, y, layer=layer)), (G, mlp.ggn_operator(th, X, y, layer=layer))):
            blk = op @ np.eye(op.shape[0])
            np.testing.assert_allclose(blk, M[sl, sl], rtol=0, atol=1e-13 * np.abs(M).max())
    # the operator's product is the MLP's own HVP
    v = np.random.default_rng(2).standard_normal(mlp.n_params)
    np.testing.assert_allclose(mlp.hessian_operator(th, X, y) @ v, mlp.hvp(th, X, y, v), rtol=1e-13, atol=1e-15)


def test_spectral_tools_on_a_network_match_eigh():
    mlp = MLP([5, 8, 3], activation="tanh", loss="softmax_ce")
    X, y = data(mlp, N=60, seed=3)
    th = mlp.init(4)
    H = mlp.hessian(th, X, y)
    lam = np.linalg.eigvalsh(H)
    op = mlp.hessian_operator(th, X, y)
    top = sp.lanczos_topk(op, k=5, which="BE", vectors=True)
    np.testing.assert_allclose(top.eigenvalues, np.concatenate([lam[:2], lam[-3:]]), rtol=1e-9, atol=1e-12)
    assert top.converged.all()
    vals, _ = eigsh(op, k=3, which="LA")  # scipy's ARPACK accepts the operator as it is
    np.testing.assert_allclose(np.sort(vals), lam[-3:], rtol=1e-9)
    # a layer-wise spectrum and trace, matrix-free
    sl = mlp.slices[1]
    blk = mlp.hessian_operator(th, X, y, layer=1)
    np.testing.assert_allclose(sp.lanczos_topk(blk, k=2).eigenvalues, np.linalg.eigvalsh(H[sl, sl])[::-1][:2], rtol=1e-9)
    B = H[sl, sl]
    s = 200
    before = blk.products
    est = sp.hutchinson_trace(blk, samples=s, seed=5).estimate
    sd = np.sqrt(2 * (np.sum(B * B) - np.sum(np.diag(B) ** 2)) / s)
    assert abs(est - np.trace(B)) <= 4.5 * sd
    assert blk.products - before == s


def test_relu_hessian_diagonal_equals_ggn_diagonal():
    """Piecewise-linear nets: σ'' = 0, so every diagonal entry of H is that of the GGN."""
    mlp = MLP([4, 7, 5, 3], activation="relu", loss="softmax_ce")
    X, y = data(mlp, N=40, seed=6)
    th = mlp.init(7)
    I = np.eye(mlp.n_params)
    dh = np.einsum("ij,ij->j", I, mlp.hessian_operator(th, X, y) @ I)
    dg = np.einsum("ij,ij->j", I, mlp.ggn_operator(th, X, y) @ I)
    np.testing.assert_allclose(dh, dg, rtol=1e-12, atol=1e-15)
    assert not np.allclose(mlp.hessian(th, X, y), mlp.ggn(th, X, y))  # the off-diagonal blocks differ


def test_an_operator_keeps_its_own_copy_of_theta_and_X():
    mlp = MLP([3, 4, 2])
    X, y = data(mlp, N=10)
    th = mlp.init(0)
    v = np.random.default_rng(1).standard_normal(mlp.n_params)
    op = mlp.hessian_operator(th, X, y)
    before = op @ v
    th += 0.3
    X *= 2.0
    np.testing.assert_array_equal(op @ v, before)


def test_operator_bad_input():
    mlp = MLP([3, 4, 2])
    X, y = data(mlp, N=5)
    th = mlp.init(0)
    op = mlp.hessian_operator(th, X, y)
    with pytest.raises(ValueError, match="v must have shape"):
        op.matvec(np.ones(3))
    with pytest.raises(ValueError, match="layer"):
        mlp.ggn_operator(th, X, y, layer=2)
    with pytest.raises(TypeError, match="layer"):
        mlp.hessian_operator(th, X, y, layer=1.0)
    from refopt.nn.operators import CurvatureOperator

    with pytest.raises(ValueError, match="kind"):
        CurvatureOperator(mlp, th, X, y, kind="hesian")
