"""`refopt reproduce ogr-vs-bfgs`, `ogr-settings` and `mgh-suite` in their quick forms, and the
box clamp the study relies on. Expected values are literature facts (f* of the test functions,
the paper's reported shapes), never outputs of the code under test."""
import csv

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import EXPERIMENTS, load
from refopt.functions import get
from refopt.optim import minimize


@pytest.fixture(scope="module")
def ogr_vs_bfgs(tmp_path_factory):
    out = tmp_path_factory.mktemp("ogr_vs_bfgs")
    assert main(["reproduce", "ogr-vs-bfgs", "--quick", "--out", str(out)]) == 0
    with open(out / "summary.csv") as fh:
        summary = list(csv.DictReader(fh))
    with open(out / "runs.csv") as fh:
        runs = list(csv.DictReader(fh))
    return out, summary, runs


def cell(summary, function, variant, budget):
    (row,) = [r for r in summary if (r["function"], r["variant"], r["budget"]) == (function, variant, str(budget))]
    return row


def test_ogr_vs_bfgs_outputs(ogr_vs_bfgs):
    out, summary, runs = ogr_vs_bfgs
    mod = load("ogr-vs-bfgs")
    cells = len(mod.FUNCTIONS) * len(mod.VARIANTS)
    assert len(summary) == cells * 2  # budgets 50 and 250 in the quick protocol
    assert len(runs) == cells * mod.QUICK["starts"]
    for name in ("final_f.png", "convergence.png", "hessian_error.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for r in summary:  # quartiles are ordered and gaps are >= 0 (f* is the global minimum)
        assert 0 <= float(r["q1"]) <= float(r["median"]) <= float(r["q3"])


def test_ogr_vs_bfgs_literature_shape(ogr_vs_bfgs):
    _, summary, _ = ogr_vs_bfgs
    # a convex quadratic and Himmelblau (four global minima, f* = 0): every optimizer, every start
    for variant in ("OGR+LS", "OGR", "BFGS+LS", "BFGS"):
        assert float(cell(summary, "sphere", variant, 250)["success_rate"]) == 1.0
        assert float(cell(summary, "himmelblau", variant, 250)["success_rate"]) == 1.0
    # "BFGS+LS and OGR both reach ~1e-19 on Rosenbrock" (Przybysz et al. 2025)
    for variant in ("OGR+LS", "BFGS+LS"):
        assert float(cell(summary, "rosenbrock", variant, 250)["median"]) < 1e-15
    # best-so-far f never increases with the budget
    for r50 in (r for r in summary if r["budget"] == "50"):
        r250 = cell(summary, r50["function"], r50["variant"], 250)
        assert float(r250["median"]) <= float(r50["median"])


def test_ogr_settings_quick(tmp_path):
    """The sweep's table and CSV; its BFGS+LS row is the study's BFGS+LS cell on the same starts
    (one start generator, one run_cell); Rastrigin's local minima other than the global one lie
    at f ≥ 0.99 (the nearest, one coordinate at x ≈ ±0.995), so a run that fails has a gap of at
    least that."""
    mod = load("ogr-settings")
    assert main(["reproduce", "ogr-settings", "--quick", "--out", str(tmp_path)]) == 0
    with open(tmp_path / "settings.csv") as fh:
        rows = list(csv.DictReader(fh))
    per_function = len(mod.BASELINES) + len(mod.settings(mod.QUICK))
    assert len(rows) == len(mod.FUNCTIONS) * per_function == 20
    for r in rows:
        assert 0 <= float(r["q1"]) <= float(r["median"]) <= float(r["q3"])
        assert 0.0 <= float(r["success_rate"]) <= 1.0
        if r["function"] == "rastrigin" and float(r["success_rate"]) == 0.0:
            assert float(r["minimum"]) > 0.99
    study = load("ogr-vs-bfgs")
    starts = study.box_starts("rastrigin", 10, 0, mod.QUICK["starts"])
    cell_ = study.run_cell("rastrigin", 10, ("BFGS+LS", "bfgs", "wolfe"), starts, mod.QUICK["steps"])
    (row,) = [r for r in rows if r["function"] == "rastrigin" and r["optimizer"] == "BFGS+LS"]
    assert float(row["median"]) == np.median(cell_.best[:, -1])


def test_mgh_suite_quick(tmp_path):
    mod = load("mgh-suite")
    problems = (1, 5, 8, 12, 15, 26)  # a subset: each problem compiles its own kernels on a cold cache
    data = mod.run(quick=True, problems=problems)
    rows = data["rows"]
    assert len(rows) == len(problems) * len(mod.METHODS)
    by = {(r["alias"], r["method"]): r for r in rows}
    # literature minima: Rosenbrock 0 at (1, 1), Beale 0, Box 3-D 0, Bard 8.21487e-3, Kowalik-Osborne 3.07505e-4
    for alias, fstar in (("mgh01", 0.0), ("mgh05", 0.0), ("mgh12", 0.0), ("mgh08", 8.21487e-3), ("mgh15", 3.07505e-4)):
        for method in ("bfgs", "newton"):
            assert by[alias, method]["f"] == pytest.approx(fstar, rel=1e-5, abs=1e-9), (alias, method)
    assert all(r["nit"] <= 100 for r in rows)
    paths = mod.report(data, tmp_path)
    with open(paths[0]) as fh:
        assert len(list(csv.DictReader(fh))) == len(rows)
    assert "bfgs" in mod.table(data)


def test_reproduce_list_and_unknown(capsys):
    assert main(["reproduce", "--list"]) == 0
    listed = capsys.readouterr().out
    for name in ("ogr-vs-bfgs", "mgh-suite"):
        assert name in listed and name in EXPERIMENTS
    assert main(["reproduce", "no-such-study"]) == 2
    assert "known" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["bfgs", "ogr", "gd", "newton"])
def test_bounds_clamp_every_iterate(method):
    tf = get("rastrigin", n=4)
    lo, hi = np.full(4, -1.0), np.full(4, 2.0)
    res = minimize(tf, np.full(4, 1.9), method=method, line_search=None,
                   options={"bounds": (lo, hi), "trace": True, "maxiter": 30})
    X = res.trace["x"]
    assert np.all(X >= lo) and np.all(X <= hi)
    # the recorded f is f at the clamped iterate (re-evaluated when the clamp moved it)
    np.testing.assert_allclose(res.trace["f"], [tf.f(x) for x in X], rtol=0, atol=0)


def test_bounds_rejected_when_malformed():
    with pytest.raises(ValueError, match="bounds"):
        minimize("rastrigin", np.zeros(2), options={"bounds": (1.0, -1.0)})
    with pytest.raises(ValueError, match="bounds"):
        minimize("rastrigin", np.zeros(2), options={"bounds": (np.zeros(3), np.ones(3))})
