"""`refopt reproduce exact-stochastic-newton --quick`: the command's CSV files read back and
checked — the per-sample rank against the bound and the dense rank, the factors' error, and the
ordering of the three methods that the runs show (seeds 0–3 checked by hand, module docstring)."""
import csv

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import load

PNG = b"\x89PNG\r\n\x1a\n"


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("exact_stochastic_newton")
    assert main(["reproduce", "exact-stochastic-newton", "--quick", "--out", str(out)]) == 0
    return out


def curves(out):
    runs = {}
    for r in read(out / "exact_stochastic_newton_curves.csv"):
        c = runs.setdefault(r["method"], {"samples": [], "F": [], "seconds": []})
        for k in c:
            c[k].append(float(r[k]))
    return {m: {k: np.array(v) for k, v in c.items()} for m, c in runs.items()}


def test_files(quick):
    mod = load("exact-stochastic-newton")
    assert (quick / "exact_stochastic_newton.png").read_bytes()[:8] == PNG
    runs = curves(quick)
    assert list(runs) == list(mod.METHODS)
    for name, c in runs.items():
        assert c["samples"].size == mod.QUICK["epochs"] + 1, name
        assert np.all(np.diff(c["samples"]) == mod.N_SAMPLES) and np.all(np.diff(c["seconds"]) >= 0)
        assert np.all(np.isfinite(c["F"]))
    summary = read(quick / "exact_stochastic_newton_summary.csv")
    assert [r["method"] for r in summary] == list(mod.METHODS)
    for r in summary:
        assert float(r["final_F"]) == runs[r["method"]]["F"][-1]


def test_rank_of_the_sample_hessian(quick):
    """r = the bound (5) = numpy's rank of the dense per-sample Hessian, far below P; H = UCUᵀ."""
    rows = read(quick / "exact_stochastic_newton_ranks.csv")
    assert len(rows) == 2 * load("exact-stochastic-newton").RANK_SAMPLES
    for r in rows:
        assert int(r["r"]) == int(r["bound"]) == int(r["dense_rank"]) == 49
        assert int(r["P"]) == 253
        assert float(r["factor_error"]) < 1e-10


def test_what_the_runs_show(quick):
    """At equal samples seen SGD ends below the exact stochastic Newton step: quick runs, seeds 0–3,
    ESN / SGD final F = 3.1, 1.9, 1.4, 1.6; every method decreases F (ESN to 0.63–0.76 of F(0))."""
    runs = curves(quick)
    F0 = runs["SGD"]["F"][0]
    assert all(c["F"][0] == F0 for c in runs.values())  # the same start
    assert runs["SGD"]["F"][-1] < 0.8 * runs["ESN |·|"]["F"][-1]
    assert runs["ESN |·|"]["F"][-1] < 0.9 * F0
    assert runs["Newton"]["F"][-1] < F0


def test_bad_input():
    mod = load("exact-stochastic-newton")
    with pytest.raises(TypeError, match="quick"):
        mod.run(quick=1)
    with pytest.raises(ValueError, match="seed"):
        mod.run(seed=-1)
    with pytest.raises(TypeError, match="seed"):
        mod.run(seed=1.5)
    with pytest.raises(TypeError, match="progress"):
        mod.run(quick=True, progress="print")
