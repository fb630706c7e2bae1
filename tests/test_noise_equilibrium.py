"""`refopt reproduce noise-equilibrium --quick`: the exact discrete identities C_{t+1} = C_t(1 − η²g_t²)
and C_{t+1} = C_t + η²(WĜᵀĜWᵀ − UᵀĜĜᵀU) at every step, SGD's noise equilibrium against GD's
conservation on the command's own CSV files, the hand gradient against MLP.grad, and the input checks."""
import csv

import numpy as np
import pytest

from refopt import MLP
from refopt.cli import main
from refopt.experiments import load

PNG = b"\x89PNG\r\n\x1a\n"
EPS = np.finfo(float).eps
mod = load("noise-equilibrium")


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def num(row, key):
    return float(row[key])


# ---- the exact identities, every step --------------------------------------------------------
@pytest.mark.parametrize("batch", [1, 4])
def test_scalar_identity_every_step(batch):
    """C_{t+1} = C_t (1 − η²g_t²) with g_t = batch mean of (u w x − y) x, at every step, to rounding:
    each side is a few roundings of numbers of size (1 + η|g|)²(u² + w²), so 16 ε of that bounds
    the difference (the worst step measured is far inside it)."""
    u0, w0 = [2.0, 0.3, 1.5, 0.2, -3.0], [0.3, 2.0, -0.5, 0.1, 0.05]
    res = mod.scalar_sgd(u0, w0, 0.02, 3000, 0.5, seed=11, batch=batch, trace=True)
    u, w, g = res["trace_u"], res["trace_w"], res["trace_g"]
    C = u * u - w * w
    eta = 0.02
    err = np.abs(C[1:] - C[:-1] * (1.0 - eta ** 2 * g ** 2))
    scale = (1.0 + eta * np.abs(g)) ** 2 * (u[:-1] ** 2 + w[:-1] ** 2)
    assert np.all(err <= 16 * EPS * scale)
    assert np.median(np.abs(C[1:] - C[:-1])) > 1e6 * err.max()  # C moves; the identity tracks each move
    # the run's summary: C_T = C_0 Π(1 − η²g_t²)
    pred = res["C0"] * res["sign_factor"] * np.exp(res["log_factor"])
    np.testing.assert_allclose(res["C_final"], pred, rtol=1e-11)
    np.testing.assert_allclose(C[-1], res["C_final"], rtol=0, atol=0)


def test_scalar_identity_needs_x_squared():
    """Without the x in g (g' = uwx − y, the derivative w.r.t. the output), C_t(1 − η²g'²) misses
    C_{t+1} far beyond rounding: g must be the derivative with respect to the product uw."""
    res = mod.scalar_sgd([2.0], [0.3], 0.02, 200, 0.5, seed=3, trace=True)
    u, w, g = res["trace_u"][:, 0], res["trace_w"][:, 0], res["trace_g"][:, 0]
    rng = np.random.default_rng(3)  # the same stream: x then y for one chunk
    X = rng.standard_normal((200, 1, 1))[:, 0, 0]
    Y = 0.625 * X + 0.5 * rng.standard_normal((200, 1, 1))[:, 0, 0]
    np.testing.assert_allclose(g, (u[:-1] * w[:-1] * X - Y) * X, rtol=1e-14)  # g = (p x − y) x
    C = u * u - w * w
    wrong = np.abs(C[1:] - C[:-1] * (1.0 - 0.02 ** 2 * (u[:-1] * w[:-1] * X - Y) ** 2))
    assert np.median(wrong) > 1e6 * EPS * np.median(u ** 2 + w ** 2)


def test_scalar_gd_keeps_C_up_to_the_discrete_drift():
    """GD: C_T = C_0 Π(1 − η²G_t²), G_t = u_t w_t − p*, and from the reference start the total
    relative change is about η G_0² / (2(u₀² + w₀²)) (G_t decays by 1 − η(u² + w²) per step)."""
    res = mod.scalar_gd([2.0, 0.2], [0.3, 0.1], 0.02, 5000)
    ratio = res["C_final"] / res["C0"]
    np.testing.assert_allclose(ratio, res["sign_factor"] * np.exp(res["log_factor"]), rtol=1e-12)
    G0, kappa = 2.0 * 0.3 - 0.625, 4.0 + 0.09
    assert 1 - ratio[0] == pytest.approx(0.02 * G0 ** 2 / (2 * kappa), rel=0.3)
    assert 1e-3 < 1 - ratio[1] < 3e-2  # near the origin G stays ≈ −p* for a while: a larger drift
    assert res["C_final"][0] == pytest.approx(3.91, abs=1e-5)


def test_matrix_identity_every_step():
    """C_{t+1} − C_t = η²(W ĜᵀĜ Wᵀ − Uᵀ Ĝ Ĝᵀ U) entrywise at every step (batch 1 and 3), to
    rounding of the products of size (1 + η‖Ĝ‖)²(‖U‖² + ‖W‖²)."""
    prob = mod.matrix_problem("anisotropic", 3, seed=5)
    eta = 0.02
    for batch in (1, 3):
        res = mod.matrix_sgd(prob["U0"], prob["W0"], prob["target"], prob["cov_x"], 0.5, eta, 400, seed=2,
                             batch=batch, trace=True)
        U, W, G = res["trace_U"], res["trace_W"], res["trace_G"]
        Ut, Wt, Gt = (np.swapaxes(a, -1, -2) for a in (U, W, G))
        C = Ut @ U - W @ Wt
        pred = eta ** 2 * (W[:-1] @ Gt @ G @ Wt[:-1] - Ut[:-1] @ G @ Gt @ U[:-1])
        err = np.abs(C[1:] - C[:-1] - pred).max(axis=(-2, -1))
        scale = ((1 + eta * np.linalg.norm(G, axis=(-2, -1))) ** 2
                 * (np.linalg.norm(U[:-1], axis=(-2, -1)) ** 2 + np.linalg.norm(W[:-1], axis=(-2, -1)) ** 2))
        assert np.all(err <= 16 * EPS * scale)
        assert np.median(np.abs(pred).max(axis=(-2, -1))) > 1e6 * err.max()
        # one sample: W ĜᵀĜ Wᵀ = ‖r‖² (Wx)(Wx)ᵀ, Ĝ = r xᵀ of rank one
        if batch == 1:
            assert np.all(np.linalg.matrix_rank(G[:5, 0]) == 1)


def test_matrix_gd_identity_and_conservation():
    prob = mod.matrix_problem("isotropic", 2, seed=1)
    res = mod.matrix_gd(prob["U0"], prob["W0"], prob["target"], prob["cov_x"], 0.02, 3000)
    err = np.abs(res["C"] - res["C0"] - res["drift"]).max(axis=(1, 2))
    assert np.all(err <= 16 * EPS * res["rounding"])
    change = np.linalg.norm(res["C"] - res["C0"], axis=(1, 2)) / np.linalg.norm(res["C0"], axis=(1, 2))
    assert np.all(change < 0.02)  # GD keeps its imbalance (the drift is the discreteness of the step)
    assert np.all(res["residual"][-1] > 0.4)


# ---- the hand gradient and refopt's MLP --------------------------------------------------------
def test_factor_gradient_matches_mlp_grad():
    rng = np.random.default_rng(8)
    d, k, dp, N = 5, 3, 4, 7
    U, W = rng.standard_normal((dp, k)), rng.standard_normal((k, d))
    X, Y = rng.standard_normal((N, d)), rng.standard_normal((N, dp))
    mlp = MLP([d, k, dp], "linear", bias=False, loss="mse")
    theta = mod.to_theta(U, W)
    U2, W2 = mod.from_theta(mlp, theta)
    assert np.array_equal(U2, U) and np.array_equal(W2, W)
    (W0, _), (W1, _) = mlp.unflatten(theta)
    assert np.array_equal(W0, W.T) and np.array_equal(W1, U.T)  # refopt's layers are Wᵀ and Uᵀ
    np.testing.assert_allclose(mlp.predict(theta, X), X @ W.T @ U.T, rtol=1e-14)
    gU, gW, G = mod.factor_gradient(U, W, X, Y)
    mU, mW = mod.from_theta(mlp, mlp.grad(theta, X, Y))
    np.testing.assert_allclose(gU, mU, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gW, mW, rtol=1e-12, atol=1e-14)
    R = X @ W.T @ U.T - Y
    np.testing.assert_allclose(G, R.T @ X / N, rtol=1e-14)
    assert mlp.loss(theta, X, Y) == pytest.approx(0.5 * np.sum(R ** 2) / N, rel=1e-14)
    # stacked starts give the per-start gradients
    gUs, gWs, _ = mod.factor_gradient(np.stack([U, 2 * U]), np.stack([W, W]), np.stack([X, X]), np.stack([Y, Y]))
    np.testing.assert_allclose(gUs[0], gU, rtol=1e-14)
    np.testing.assert_allclose(gWs[1], mod.factor_gradient(2 * U, W, X, Y)[1], rtol=1e-14)


def test_balanced_factors_satisfy_the_equilibrium():
    rng = np.random.default_rng(4)
    U, W = rng.standard_normal((5, 3)), rng.standard_normal((3, 5))
    Sx, Se = np.diag([4.0, 2.0, 1.0, 0.5, 0.25]), np.diag([0.3, 0.2, 0.2, 0.1, 0.5])
    Ub, Wb = mod.balanced_factors(U, W, Sx, Se)
    np.testing.assert_allclose(Ub @ Wb, U @ W, rtol=1e-12, atol=1e-12)
    assert mod.balance_residual(Ub, Wb, Sx, Se) < 1e-13
    assert mod.balance_residual(U, W, Sx, Se) > 0.1
    # isotropic with d = d': the balance is UᵀU = WWᵀ; with d = 6, d' = 3: UᵀU = ½ WWᵀ
    Ub, Wb = mod.balanced_factors(U, W, np.eye(5), 0.25 * np.eye(5))
    assert mod.naive_residual(Ub, Wb) < 1e-13
    U3, W6 = rng.standard_normal((3, 2)), rng.standard_normal((2, 6))
    Ub, Wb = mod.balanced_factors(U3, W6, np.eye(6), np.eye(3))
    np.testing.assert_allclose(Ub.T @ Ub, 0.5 * Wb @ Wb.T, rtol=1e-12, atol=1e-12)


# ---- the experiment ----------------------------------------------------------------------------
def check_predictions(out):
    """The paper's claims on one quick run's CSV files (also run by hand for seeds 1–3)."""
    q = mod.QUICK
    scalar = read(out / "noise_equilibrium_scalar.csv")
    assert len(scalar) == 2 * len(mod.SCALAR["starts"])
    eta, sigma, p = mod.SCALAR["eta"], mod.SCALAR["noise"], mod.SCALAR["product"]
    T = q["scalar_steps"]
    for r in scalar:
        # identity (1) over the whole run: C_T = C_0 Π(1 − η²g_t²), in units of ε Σ_t (u_t² + w_t²)
        assert num(r, "identity_error") <= 16.0, r
        assert num(r, "ratio") == pytest.approx(num(r, "predicted_ratio"), rel=1e-6, abs=1e-12)
        if r["method"] == "SGD":
            # ln|C_T/C_0| = Σ ln|1 − η²g²| ≤ −η² Σ g², and Σ g² ≈ T E g² ≥ T σ² with a relative
            # spread √(Var(ε²x²)/T)/σ² = √(8/T) ≈ 1 % at T = 1e5: 0.8 η²σ²T is a safe bound
            assert abs(num(r, "ratio")) <= np.exp(-0.8 * eta ** 2 * sigma ** 2 * T), r
            # ... and the end point is u = w = √p* (means over the last tenth; p fluctuates by ~0.07)
            assert num(r, "u_late") == pytest.approx(np.sqrt(p), abs=0.05), r
            assert num(r, "w_late") == pytest.approx(np.sqrt(p), abs=0.05), r
        else:
            # GD keeps C up to the discrete drift Π(1 − η²G_t²), at most 2 % from these starts
            assert abs(num(r, "ratio") - 1.0) < 0.02, r
            assert np.sign(num(r, "C_final")) == np.sign(num(r, "C0"))
    ref = [r for r in scalar if r["method"] == "GD" and num(r, "u0") == 2.0 and num(r, "w0") == 0.3]
    assert num(ref[0], "C_final") == pytest.approx(3.91, abs=1e-4)

    rows = read(out / "noise_equilibrium_matrix.csv")
    assert len(rows) == len(mod.CASES) * 2 * q["starts"]
    for r in rows:
        if r["method"] == "SGD":
            assert num(r, "residual") < 0.1, r  # the predicted balance (3), O(η) bias included
            assert num(r, "residual") < 0.2 * num(r, "residual_start"), r
            # ρ₀ is what the balanced point of the final UW has
            assert num(r, "naive") == pytest.approx(num(r, "naive_predicted"), abs=0.06), r
            if r["case"] == "isotropic":
                assert num(r, "naive") == pytest.approx(num(r, "residual"), rel=1e-9)  # d = d', Σx = I
            else:  # UᵀU − WWᵀ does not go to 0
                assert num(r, "naive") > 0.2 and num(r, "naive") > 3 * num(r, "residual"), r
            if r["case"] == "rectangular":
                assert num(r, "naive") == pytest.approx(1 / 3, abs=0.04)  # UᵀU = ½WWᵀ: ρ₀ = ½/(3/2)
        else:
            assert num(r, "residual") > 0.4, r  # GD keeps its initial imbalance
            assert num(r, "fit") < 0.1, r  # ... while it fits P* (slowly along weak directions)
            assert num(r, "C_change") == pytest.approx(num(r, "predicted_change"), rel=1e-6, abs=1e-12)
            assert num(r, "C_change") < 0.02
            assert num(r, "identity_error") <= 16.0
    for case in mod.CASES:
        fits = [num(r, "fit") for r in rows if r["method"] == "GD" and r["case"] == case]
        assert np.median(fits) < 0.05, (case, fits)
    hist = read(out / "noise_equilibrium_matrix_history.csv")
    assert {h["case"] for h in hist} == set(mod.CASES)
    assert all(h["method"] in ("SGD", "GD") for h in hist)


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("noise_equilibrium")
    assert main(["reproduce", "noise-equilibrium", "--quick", "--out", str(out)]) == 0
    return out


def test_files(quick):
    for name in ("scalar", "matrix"):
        assert (quick / f"noise_equilibrium_{name}.png").read_bytes()[:8] == PNG
    hist = read(quick / "noise_equilibrium_scalar_history.csv")
    starts = len(mod.SCALAR["starts"])
    assert len(hist) % (2 * starts) == 0
    last = {(h["method"], h["start"]): h for h in hist}  # the last recorded row of each run
    for r in read(quick / "noise_equilibrium_scalar.csv"):
        h = last[(r["method"], r["start"])]
        assert int(h["step"]) == mod.QUICK["scalar_steps"]
        assert num(h, "C") == num(r, "C_final") and num(h, "u") == num(r, "u_final")
        assert num(h, "C") == pytest.approx(num(h, "u") ** 2 - num(h, "w") ** 2, rel=1e-12, abs=1e-15)


def test_paper_predictions(quick):
    check_predictions(quick)


def test_bad_input():
    for eta in (0.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="eta"):
            mod.scalar_sgd(2.0, 0.3, eta, 10, 0.5)
        with pytest.raises(ValueError, match="eta"):
            mod.scalar_gd(2.0, 0.3, eta, 10)
    with pytest.raises(ValueError, match="u0"):
        mod.scalar_sgd(float("nan"), 0.3, 0.02, 10, 0.5)
    with pytest.raises(ValueError, match="w0"):
        mod.scalar_gd(2.0, float("inf"), 0.02, 10)
    with pytest.raises(ValueError, match="u0 and w0"):
        mod.scalar_sgd([1.0, 2.0], [0.3], 0.02, 10, 0.5)
    with pytest.raises(ValueError, match="steps"):
        mod.scalar_sgd(2.0, 0.3, 0.02, 0, 0.5)
    with pytest.raises(TypeError, match="steps"):
        mod.scalar_sgd(2.0, 0.3, 0.02, 10.0, 0.5)
    with pytest.raises(ValueError, match="noise"):
        mod.scalar_sgd(2.0, 0.3, 0.02, 10, -0.5)
    with pytest.raises(ValueError, match="seed"):
        mod.scalar_sgd(2.0, 0.3, 0.02, 10, 0.5, seed=-1)
    with pytest.raises(ValueError, match="batch"):
        mod.scalar_sgd(2.0, 0.3, 0.02, 10, 0.5, batch=0)
    prob = mod.matrix_problem("isotropic", 2)
    args = (prob["U0"], prob["W0"], prob["target"], prob["cov_x"])
    with pytest.raises(ValueError, match="eta"):
        mod.matrix_sgd(*args, 0.5, 0.0, 10)
    with pytest.raises(ValueError, match="noise"):
        mod.matrix_sgd(*args, -1.0, 0.02, 10)
    with pytest.raises(ValueError, match="steps"):
        mod.matrix_gd(*args, 0.02, 0)
    with pytest.raises(ValueError, match="U0"):
        mod.matrix_gd(np.full_like(prob["U0"], np.nan), *args[1:], 0.02, 10)
    with pytest.raises(ValueError, match="W0"):
        mod.matrix_sgd(prob["U0"], prob["W0"][:, :2], *args[2:], 0.5, 0.02, 10)
    with pytest.raises(ValueError, match="target"):
        mod.matrix_sgd(prob["U0"], prob["W0"], prob["target"][:3], prob["cov_x"], 0.5, 0.02, 10)
    with pytest.raises(ValueError, match="cov_x"):
        mod.matrix_sgd(*args[:3], -np.eye(5), 0.5, 0.02, 10)
    with pytest.raises(ValueError, match="average"):
        mod.matrix_sgd(*args, 0.5, 0.02, 10, average=0.0)
    with pytest.raises(ValueError, match="case"):
        mod.matrix_problem("diagonal", 2)
    with pytest.raises(ValueError, match="starts"):
        mod.matrix_problem("isotropic", 0)
    with pytest.raises(TypeError, match="quick"):
        mod.run(quick="yes")
    with pytest.raises(ValueError, match="seed"):
        mod.run(seed=-1)
    with pytest.raises(TypeError, match="progress"):
        mod.run(progress="print")
