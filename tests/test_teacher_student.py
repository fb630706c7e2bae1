"""`refopt reproduce teacher-student --quick`: its numbers against the literature's formulas
(Couto, Mourão, Figueiredo & Ribeiro 2025), not against outputs of the code under test."""
import csv
from math import comb

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import load


def rows(path):
    with open(path) as fh:
        return [{k: (v if k in ("activation", "ranks") else float(v)) for k, v in r.items()} for r in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """The command's files, read back (the CSVs carry every number the table prints)."""
    out = tmp_path_factory.mktemp("teacher_student")
    assert main(["reproduce", "teacher-student", "--quick", "--out", str(out)]) == 0
    gd = rows(out / "late_time_gd.csv")
    data = dict(ranks=rows(out / "ranks.csv"), spectra=rows(out / "spectrum_summary.csv"),
                gd={k: np.array([r[k] for r in gd]) for k in ("loss", "predicted")}
                | {"slow": np.array([r["slow_modes"] for r in gd])})
    return out, load("teacher-student"), data


def literature_rank(g, ni, nh):
    """The ranks as the paper states them (written out here, independently of the module)."""
    return {"linear": ni, "erf": nh * (ni + 1),
            "poly2": ni * (ni + 1) // 2 if nh >= ni else nh * ni - nh * (nh - 1) // 2,
            "poly3": min(comb(ni + 2, 3), nh * ni)}[g]


def test_files(quick):
    out, _, _ = quick
    for name in ("spectrum.png", "late_time_gd.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(rows(out / "ranks.csv")) == 20
    assert len(rows(out / "spectrum.csv")) == 60 * (10 + 30)  # every pooled eigenvalue


def test_rank_table_matches_the_formulas(quick):
    _, _, data = quick
    assert {(r["activation"], r["ni"], r["nh"]) for r in data["ranks"]} >= {("poly3", 6, 4), ("poly2", 6, 30), ("poly2", 6, 4)}
    for r in data["ranks"]:
        assert r["rank"] == literature_rank(r["activation"], int(r["ni"]), int(r["nh"])), r
        assert r["gap"] > 1e5  # a rank far from the threshold, not a borderline count
    # the documented special cases: z³ with N_h = 4, N_i = 6 has rank 24; z² with N_i = 6: 21 / 18
    got = {(r["activation"], int(r["ni"]), int(r["nh"])): r["rank"] for r in data["ranks"]}
    assert (got["poly3", 6, 4], got["poly2", 6, 30], got["poly2", 6, 4]) == (24, 21, 18)


def test_linear_spectrum_follows_the_mp_chi2_law(quick):
    _, _, data = quick
    for s in data["spectra"]:
        assert s["ranks"] == str(int(s["ni"]))
        assert s["formula_error"] < 1e-12  # eig H = eig(‖w₂‖² I + W₁ᵀW₁) exactly, teacher by teacher
        # finite N_i, N_h and 60 teachers: the law is asymptotic, so KS is small, not zero; the law
        # with the χ² shift fixed at its mean is clearly worse
        assert s["ks"] < 0.08
        assert s["ks_fixed_shift"] > s["ks"] + 0.02


def test_late_time_gd_follows_the_eigenmode_prediction(quick):
    _, mod, data = quick
    worst, share0, share1 = mod.gd_summary(data["gd"])
    assert worst < 10 * mod.GD["eps"]  # the quadratic model's error is O(ε)
    assert share0 < 0.1 and share1 > 0.9  # the smallest eigenvalues rule late-time learning
