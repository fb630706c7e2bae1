"""`refopt reproduce large-stepsize --quick`: the predictions of Cai, Wu, Mei, Lindsey & Bartlett
(2024) on the command's own CSV files (t* is recomputed here from the recorded risks), the
experiment's input checks, and the model's Hessian against the generic autodiff."""
import csv

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import load

PNG = b"\x89PNG\r\n\x1a\n"
DATASETS = ("five-point", "xor")


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def histories(out, name):
    """{η: {column: array}} from history_<name>.csv, in increasing η."""
    runs = {}
    for r in read(out / f"history_{name}.csv"):
        cols = runs.setdefault(float(r["eta"]), {k: [] for k in ("step", "risk", "margin")})
        for k in cols:
            cols[k].append(float(r[k]))
    return {eta: {k: np.array(v) for k, v in runs[eta].items()} for eta in sorted(runs)}


def monotone_start(risk, tol=1e-12):
    """The first t after which L_t ≥ L_{t+1} ≥ … (rises below tol are rounding of the loss)."""
    up = np.nonzero(np.diff(risk) > tol)[0]
    return 0 if up.size == 0 else int(up[-1]) + 1


def check_predictions(out):
    """The paper's claims, on one quick run's files (also used by hand for other seeds)."""
    for name in DATASETS:
        runs = histories(out, name)
        etas = list(runs)
        small, large = runs[etas[0]], runs[etas[-1]]
        # small step: monotone from the start (the classical regime, η < 2/λ_max)
        assert monotone_start(small["risk"]) == 0, name
        # largest step: an oscillating phase, then monotone up to T
        t = monotone_start(large["risk"])
        assert 0 < t < large["risk"].size - 50, (name, t)
        assert np.max(large["risk"][:t + 1]) > large["risk"][0], name  # the risk rose above L(w_0)
        # at equal T the large step is far ahead (the paper: Õ(1/T²) against Ω(1/T))
        assert large["risk"][-1] < 0.1 * small["risk"][-1], name
        finals = [runs[eta]["risk"][-1] for eta in etas]
        assert all(b < a for a, b in zip(finals, finals[1:])), (name, finals)
        for eta in etas:
            r = runs[eta]
            t = monotone_start(r["risk"])
            if t > 0:  # margin improvement in the monotone phase: γ(T) > 0 and γ(T) > γ(t*)
                assert r["margin"][-1] > 0 and r["margin"][-1] > r["margin"][t], (name, eta)
    # five-point: the risk never rose from below 2/η (the threshold of order 1/η: c₀ ≥ 2 here)
    for eta, r in histories(out, "five-point").items():
        up = np.nonzero(np.diff(r["risk"]) > 1e-12)[0]
        if up.size:
            assert eta * r["risk"][up].min() > 2.0, eta


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("large_stepsize")
    assert main(["reproduce", "large-stepsize", "--quick", "--out", str(out)]) == 0
    return out


def test_files(quick):
    mod = load("large-stepsize")
    for name in DATASETS:
        assert (quick / f"large_stepsize_{name}.png").read_bytes()[:8] == PNG
        rows = read(quick / f"history_{name}.csv")
        assert len(rows) == len(mod.DATASETS[name]["etas"]) * (mod.QUICK["steps"] + 1)  # every step
    table = read(quick / "large_stepsize_table.csv")
    assert [r["dataset"] for r in table] == [n for n in DATASETS for _ in mod.DATASETS[n]["etas"]]
    for r in table:  # the table's t* is the history's
        runs = histories(quick, r["dataset"])
        assert int(r["t_star"]) == monotone_start(runs[float(r["eta"])]["risk"])


def test_paper_predictions(quick):
    check_predictions(quick)


def test_xor_data_is_separable_and_bounded():
    mod = load("large-stepsize")
    X, y = mod.xor_data(np.random.default_rng(3))
    assert X.shape == (40, 10) and set(y.tolist()) == {-1.0, 1.0}
    assert np.max(np.linalg.norm(X, axis=1)) == pytest.approx(1.0)
    assert np.min(y * X[:, 2]) > 0  # e_3 separates: linearly separable, as the theory needs
    assert np.all(np.sign(X[:, 0] * X[:, 1]) == y)  # the XOR labels of the clusters


def test_bad_input():
    mod = load("large-stepsize")
    X, y = mod.FIVE_POINT_X, mod.FIVE_POINT_Y
    with pytest.raises(ValueError, match="labels ±1"):
        mod.two_layer(X, (y + 1) / 2, 2)  # 0/1 labels are not the paper's ±1
    with pytest.raises(ValueError, match="labels ±1"):
        mod.two_layer(X, y[:4], 2)
    with pytest.raises(ValueError, match="both classes"):
        mod.two_layer(X, np.ones(5), 2)
    with pytest.raises(ValueError, match="m"):
        mod.two_layer(X, y, 0)
    obj = mod.two_layer(X, y, 2)
    w0 = 0.1 * np.ones(obj.n)
    for eta in (0.0, -1.0):
        with pytest.raises(ValueError, match="eta"):
            mod.gd_run(obj, w0, eta, 10, 5)
    with pytest.raises(ValueError, match="gamma"):
        mod.xor_data(np.random.default_rng(0), gamma=0.0)
    with pytest.raises(ValueError, match="risk"):
        mod.monotone_start(np.ones((2, 2)))


def test_model_hessian_matches_autodiff():
    """NetworkObjective.hess for the trained first layer against refopt.ad on the full θ."""
    mod = load("large-stepsize")
    obj = mod.two_layer(mod.FIVE_POINT_X, mod.FIVE_POINT_Y, 2)
    w = np.random.default_rng(7).standard_normal(obj.n)
    theta = obj.full(w)
    assert np.allclose(theta[obj.mlp.slices[1]], [0.5, -0.5])  # a_j / m with a = (+1, −1)
    H_ad = obj.mlp.hessian_generic(theta, obj.X, obj.Y)[np.ix_(obj.index, obj.index)]
    np.testing.assert_allclose(obj.hess(w), H_ad, rtol=1e-10, atol=1e-14 * np.abs(H_ad).max())
    # and the loss is the paper's log(1 + exp(−y f)) with y = ±1
    f = obj.mlp.predict(theta, obj.X)[:, 0]
    assert obj.value(w) == pytest.approx(np.mean(np.log1p(np.exp(-mod.FIVE_POINT_Y * f))), rel=1e-13)
