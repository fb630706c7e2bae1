"""Layer blocks as Kronecker sums (exact facts), and `refopt reproduce decoupling --quick`
against the predictions of Wu, Zhu, Wu, Wang & Ge (2020)."""
import csv

import numpy as np
import pytest

from refopt import MLP
from refopt.cli import main
from refopt.nn.kronecker import kronecker_top
from refopt.spectral import numerical_rank


def softmax_net_data(act, seed=0):
    mlp = MLP([4, 6, 5, 3], activation=act, loss="softmax_ce")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 4)) + 0.5
    return mlp, X, rng.integers(0, 3, 40), mlp.init(seed + 1)


@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_last_layer_block_is_the_softmax_kronecker_sum(act):
    """H_W = E[xxᵀ ⊗ (diag p − ppᵀ)] for the last layer under softmax cross-entropy, with x the
    (bias-augmented) last hidden layer, computed here by an independent forward pass."""
    mlp, X, y, th = softmax_net_data(act)
    (W0, b0), (W1, b1), (W2, b2) = mlp.unflatten(th)
    sigma = (lambda z: np.maximum(z, 0.0)) if act == "relu" else np.tanh
    h = sigma(sigma(X @ W0 + b0) @ W1 + b1)
    z = h @ W2 + b2
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    x = np.hstack([h, np.ones((len(X), 1))])
    expected = np.mean([np.kron(np.outer(xi, xi), np.diag(pi) - np.outer(pi, pi)) for xi, pi in zip(x, p)], axis=0)
    np.testing.assert_allclose(mlp.layer_hessian(th, X, y, 2), expected, rtol=0, atol=1e-15)
    for pi in p:  # diag p − ppᵀ has c − 1 nonzero eigenvalues (its null vector is the ones vector)
        assert numerical_rank(np.diag(pi) - np.outer(pi, pi)).rank == 2


@pytest.mark.parametrize("act", ["relu", "tanh", "gelu"])
def test_every_layer_block_is_a_kronecker_sum(act):
    mlp, X, y, th = softmax_net_data(act, seed=2)
    for layer in range(mlp.n_layers):
        F = mlp.layer_factors(th, X, y, layer)
        np.testing.assert_allclose(F.exact_block(), mlp.layer_hessian(th, X, y, layer), rtol=0, atol=1e-14)
        np.testing.assert_allclose(F.inputs, np.mean([np.outer(r, r) for r in F.h], axis=0), rtol=1e-13)


def test_kronecker_top_against_eigh():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((5, 5)); A = A @ A.T
    B = rng.standard_normal((3, 3)); B = B @ B.T
    lam, V = kronecker_top(A, B, 4)
    K = np.kron(A, B)
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(K)[::-1][:4], rtol=1e-12)
    np.testing.assert_allclose(K @ V, V * lam, atol=1e-12 * lam[0])
    np.testing.assert_allclose(V.T @ V, np.eye(4), atol=1e-13)
    with pytest.raises(ValueError, match="A must be symmetric"):
        kronecker_top(np.triu(np.ones((3, 3))), np.eye(2), 2)
    with pytest.raises(ValueError, match="B must be a square"):
        kronecker_top(np.eye(2), np.ones((2, 3)), 2)


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("decoupling")
    assert main(["reproduce", "decoupling", "--quick", "--out", str(out)]) == 0
    with open(out / "decoupling_summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    return out, {(r["activation"], r["inputs"], int(r["layer"])): {k: float(v) for k, v in r.items()
                                                                  if k not in ("activation", "inputs")} for r in rows}


def test_decoupling_quick_files(quick):
    out, rows = quick
    for name in ("decoupling.png", "decoupling_eigenvalues.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(rows) == 2 * 2 * 3


def test_decoupling_predictions(quick):
    _, rows = quick
    for key, r in rows.items():
        assert r["overlap"] > 10 * r["baseline"], key  # the Kronecker eigenspace is far from random
        assert r["rank1"] > 0.5, key  # the top eigenvector is dominated by one rank-1 term
    for inputs in ("uncentred", "centred"):  # nonnegative (ReLU) inputs: v₁ ≈ E[x]/‖E[x]‖
        for layer in (1, 2):
            assert rows["relu", inputs, layer]["mean_alignment"] > 0.8
    for act in ("relu", "tanh"):  # centring the data removes that direction from the first layer
        assert rows[act, "uncentred", 0]["mean_alignment"] > 0.8 > 0.5 > rows[act, "centred", 0]["mean_alignment"]
