"""`refopt reproduce pruning-limit --quick`: the prediction of Zhang et al. (2024) — the fixed point
of ρ(R(ρ)) = ρ — checked piece by piece (hand-computed ρ(R), a bisection root, a direct R(ρ), SLQ
against the exact spectrum), and the command's own CSV files read back."""
import csv

import numpy as np
import pytest

from refopt import MLP
from refopt.cli import main
from refopt.experiments import load

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def mod():
    return load("pruning-limit")


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


# ---- the formulas ---------------------------------------------------------------------------------
def test_predicted_fraction_by_hand(mod):
    # λ = (2, −0.5, 0), ε = 0.25: r² = 2ε/|λ| = (0.25, 1, ∞); at R = 1, r²/(R² + r²) = (0.2, 0.5, 1)
    lam = np.array([2.0, -0.5, 0.0])
    assert mod.predicted_fraction(lam, 0.25, 1.0) == pytest.approx(1.7 / 3, rel=1e-14)
    assert mod.predicted_fraction(lam, 0.25, 0.0) == 1.0  # R = 0: everything removable
    # weighted (a density p): (1·0.2 + 1·0.5 + 2·1) / 4
    assert mod.predicted_fraction(lam, 0.25, 1.0, weights=[1.0, 1.0, 2.0]) == pytest.approx(0.675, rel=1e-14)
    # R = 2: r²/(4 + r²) = (0.25/4.25, 1/5, 1)
    got = mod.predicted_fraction(lam, 0.25, np.array([1.0, 2.0]))
    np.testing.assert_allclose(got, [1.7 / 3, (0.25 / 4.25 + 0.2 + 1.0) / 3], rtol=1e-14)
    # a negative eigenvalue counts as its |λ|; a tiny one as nearly fully removable
    assert mod.predicted_fraction([-3.0], 0.5, 1.0) == mod.predicted_fraction([3.0], 0.5, 1.0) == 0.25
    assert mod.predicted_fraction([1e-30], 0.5, 10.0) == 1.0


def test_prune_distance_direct(mod):
    rng = np.random.default_rng(3)
    w = rng.standard_normal(137)
    w[:5] = 0.0
    order = np.argsort(np.abs(w))
    for rho in (0.0, 0.01, 0.3, 0.5, 0.77, 1.0):
        k = int(np.floor(rho * w.size + 0.5))
        direct = np.sqrt(np.sum(w[order[:k]] ** 2))
        assert mod.prune_distance(w, rho) == pytest.approx(direct, rel=1e-14, abs=1e-300)
        pruned = mod.magnitude_prune(w, rho)
        assert np.count_nonzero(pruned == 0.0) == max(k, 5)  # 5 were zero already
        kept = pruned != 0.0
        if kept.any() and k > 0:  # every kept weight is at least as large as every removed one
            assert np.abs(w[kept]).min() >= np.abs(w[order[:k]]).max()
        assert np.array_equal(pruned[kept], w[kept])
    rhos = np.linspace(0, 1, 57)
    np.testing.assert_allclose(mod.distance_curve(w, rhos), [mod.prune_distance(w, r) for r in rhos], rtol=1e-13)
    assert mod.prune_distance(w, 1.0) == pytest.approx(np.linalg.norm(w), rel=1e-14)


def test_fixed_point_scan_against_bisection(mod):
    rng = np.random.default_rng(11)
    for P, eps in ((60, 0.05), (300, 0.3), (500, 1e-3)):
        lam = np.concatenate([rng.lognormal(-3, 2, P - P // 5), -rng.lognormal(-6, 1, P // 5)])
        w = rng.standard_normal(P) * rng.lognormal(0, 1, P)

        def F(r):
            return mod.predicted_fraction(lam, eps, mod.prune_distance(w, r)) - r

        lo, hi = 0.0, 1.0  # F(0) = 1 > 0; F strictly decreasing; the root is sup{ρ : F(ρ) ≥ 0}
        assert F(lo) > 0
        if F(hi) >= 0:
            root = 1.0
        else:
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if F(mid) >= 0 else (lo, mid)
            root = lo
        got = mod.predicted_limit(lam, w, eps)  # 1000 sparsities: within one grid step below
        assert root - 1.0 / 999 - 1e-12 <= got <= root + 1e-12, (P, got, root)
        coarse = mod.predicted_limit(lam, w, eps, grid=11)
        assert root - 0.1 - 1e-12 <= coarse <= root + 1e-12
    # all directions flat: everything removable
    assert mod.predicted_limit(np.zeros(10), np.ones(10), 1.0) == 1.0


def test_slq_rule_is_exact_with_a_full_krylov_space(mod):
    """With as many Lanczos steps as parameters, the SLQ rule of ρ(R) is uᵀ g(H) u exactly (u the
    probe), the quadrature identity behind the SLQ prediction."""
    from refopt.spectral import slq_density

    mlp = MLP([3, 4, 2], "tanh", bias=False, loss="softmax_ce")
    X, y = mod.make_task(0, 3, 40)
    y = (y > 0).astype(float)  # two classes
    w = mlp.init(1)
    H = mlp.hessian(w, X, y)
    lam, Q = np.linalg.eigh(H)
    s = slq_density(lambda v: mlp.hvp(w, X, y, v), mlp.n_params, steps=mlp.n_params, probes=1, seed=0)
    u = s.starts[0]
    for R in (0.1, 1.0, 5.0):
        quad = mod.predicted_fraction(s.nodes[0], 0.05, R, weights=s.weights[0])
        g = 0.1 / (0.1 + R ** 2 * np.abs(lam))
        assert quad == pytest.approx(float((Q.T @ u) ** 2 @ g), abs=1e-8)


def test_network_pieces(mod):
    mlp = MLP([4, 5, 3], "tanh", bias=False, loss="softmax_ce")
    X, y = mod.make_task(2, 4, 50)
    w = mlp.init(0)
    ell = mod.per_sample_loss(mlp, w, X, y)
    assert ell.shape == (50,) and np.all(ell > 0)
    assert ell.mean() == pytest.approx(mlp.loss(w, X, y), rel=1e-13)
    np.testing.assert_array_equal(mod.soft_threshold(np.array([-2.0, -0.1, 0.0, 0.3, 1.0]), 0.5),
                                  [-1.5, 0.0, 0.0, 0.0, 0.5])
    keep = mod.prune_mask(w, 0.5)
    w2 = mod.sgd(mlp, X, y, w, 3, mask=keep)
    assert np.all(w2[~keep] == 0.0) and np.mean(w2[keep] != w[keep]) > 0.5  # (a unit cut off keeps its inputs)
    assert mlp.loss(w2, X, y) < mlp.loss(np.where(keep, w, 0.0), X, y)  # the retraining helps
    w3 = mod.sgd(mlp, X, y, w, 20, l1=0.5)  # strong L1 with the proximal step: exact zeros
    assert np.mean(w3 == 0.0) > 0.1 and not np.any(mod.sgd(mlp, X, y, w, 20) == 0.0)


def test_bad_input(mod):
    lam, w = np.ones(4), np.arange(1.0, 5.0)
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="rho"):
            mod.magnitude_prune(w, bad)
        with pytest.raises(ValueError, match="rho"):
            mod.prune_distance(w, bad)
    for bad in (0.0, -1.0, float("inf")):
        with pytest.raises(ValueError, match="eps"):
            mod.predicted_fraction(lam, bad, 1.0)
        with pytest.raises(ValueError, match="eps"):
            mod.predicted_limit(lam, w, bad)
    with pytest.raises(ValueError, match="eigenvalues"):
        mod.predicted_fraction([], 0.1, 1.0)
    with pytest.raises(ValueError, match="eigenvalues"):
        mod.predicted_limit([1.0, np.nan], w, 0.1)
    with pytest.raises(ValueError, match="w"):
        mod.prune_distance([], 0.5)
    with pytest.raises(ValueError, match="w"):
        mod.predicted_limit(lam, [1.0, np.inf], 0.1)
    with pytest.raises(ValueError, match="R"):
        mod.predicted_fraction(lam, 0.1, -1.0)
    with pytest.raises(ValueError, match="R"):
        mod.predicted_fraction(lam, 0.1, np.nan)
    with pytest.raises(ValueError, match="weights"):
        mod.predicted_fraction(lam, 0.1, 1.0, weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="weights"):
        mod.predicted_fraction(lam, 0.1, 1.0, weights=[-1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="grid"):
        mod.predicted_limit(lam, w, 0.1, grid=1)
    with pytest.raises(ValueError, match="rhos"):
        mod.distance_curve(w, [0.5, 1.2])
    mlp = MLP([2, 2], "tanh", bias=False, loss="softmax_ce")
    X2, y2 = np.ones((4, 2)), np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="mask"):
        mod.sgd(mlp, X2, y2, np.zeros(4), 1, mask=np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        mod.sgd(mlp, X2, y2, np.zeros(4), 1, mask=np.ones(4))
    with pytest.raises(ValueError, match="epochs"):
        mod.sgd(mlp, X2, y2, np.zeros(4), -1)
    with pytest.raises(ValueError, match="l1"):
        mod.sgd(mlp, X2, y2, np.zeros(4), 1, l1=-1.0)
    with pytest.raises(ValueError, match="momentum"):
        mod.sgd(mlp, X2, y2, np.zeros(4), 1, momentum=1.0)
    with pytest.raises(TypeError, match="quick"):
        mod.run(quick=1)
    with pytest.raises(ValueError, match="seed"):
        mod.run(quick=True, seed=-1)


# ---- the command --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("pruning_limit")
    assert main(["reproduce", "pruning-limit", "--quick", "--out", str(out)]) == 0
    return out


def check_run(out, mod):
    """The claims on one quick run's files (also run by hand for seeds 0–3)."""
    table = read(out / "pruning_limit_table.csv")
    assert [float(r["l1"]) for r in table] == list(mod.L1_STRENGTHS)
    pred = read(out / "pruning_limit_prediction.csv")
    losses = read(out / "pruning_limit_losses.csv")
    P = int(table[0]["P"])
    for r in table:
        l1 = float(r["l1"])
        exact, slq, meas, gap = (float(r[k]) for k in ("limit_exact", "limit_slq", "limit_measured", "curve_gap"))
        # the scan, redone on the CSV's curves: the largest ρ with ρ(R(ρ)) ≥ ρ
        rows = [q for q in pred if float(q["l1"]) == l1]
        assert len(rows) == mod.GRID
        rho = np.array([float(q["rho"]) for q in rows])
        for col, lim in (("pred_exact", exact), ("pred_slq", slq)):
            curve = np.array([float(q[col]) for q in rows])
            assert rho[np.nonzero(curve >= rho)[0][-1]] == lim
        # SLQ against exact: the limits differ by at most the largest gap of the two curves (ρ(R(ρ)) − ρ
        # falls with slope ≤ −1) plus one grid step; the gap itself is within three standard
        # deviations of a one-probe Hutchinson estimate of (1/P) tr g(H), g ∈ [0, 1]: 3/√(2P)
        assert abs(slq - exact) <= gap + 1.0 / (mod.GRID - 1) + 1e-12
        assert gap <= 3.0 / np.sqrt(2 * P), (l1, gap)
        # the measured limit, recomputed from the loss CSV
        pts = [(float(q["rho"]), float(q["loss_retrained"])) for q in losses if float(q["l1"]) == l1]
        thr = float(r["threshold"])
        assert thr == pytest.approx(float(r["loss"]) + float(r["eps"]), rel=1e-14)
        at = dict(pts)
        assert at[meas] <= thr  # the limit itself is inside the sublevel set ...
        assert all(L <= thr for q, L in pts if q <= meas and q in at)  # ... and everything before it
        above = [q for q, L in pts if q > meas and L > thr]  # ... and a failure within the refinement
        assert above and min(above) - meas <= mod.QUICK["coarse"] / 2 ** mod.QUICK["refine"] + 1e-12
    ex = [float(r["limit_exact"]) for r in table]
    me = [float(r["limit_measured"]) for r in table]
    # stronger L1 → higher limits, predicted and measured (weakly between neighbours, strictly overall)
    assert all(b >= a - 1e-12 for a, b in zip(ex, ex[1:])) and ex[-1] > ex[0] + 0.05, ex
    assert all(b >= a - 0.02 for a, b in zip(me, me[1:])) and me[-1] > me[0] + 0.05, me
    # without retraining the pruned net leaves the sublevel set no later than after retraining
    for r in table:
        assert float(r["limit_no_retrain"]) <= float(r["limit_measured"]) + 1e-12
    # predicted (exact) against measured: within 0.06 (seeds 0–3 of the quick protocol: at most 0.031)
    for a, b in zip(ex, me):
        assert abs(a - b) <= 0.06, (ex, me)


def test_files(quick, mod):
    assert (quick / "pruning_limit.png").read_bytes()[:8] == PNG
    check_run(quick, mod)
