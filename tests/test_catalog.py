"""The language-neutral catalog: every function has a file, and the files do not drift."""
import json
from pathlib import Path

import numpy as np
import pytest

from conftest import ALL
from refopt.functions import get
from refopt.functions.catalog import drift, entry, export

CATALOG = Path(__file__).resolve().parents[1] / "test_functions"


@pytest.mark.parametrize("name", ALL)
def test_catalog_file_matches_regenerated_entry(name):
    path = CATALOG / f"{name}.json"
    assert path.exists(), f"{path} missing: run `refopt functions export`"
    stored = json.loads(path.read_text())
    assert drift(stored, entry(name)) == []


def test_no_stale_catalog_files():
    assert sorted(p.stem for p in CATALOG.glob("*.json")) == sorted(ALL)


@pytest.mark.parametrize("name", ["mgh01", "rastrigin", "mgh_rosenbrock"])
def test_golden_values_reproduce_from_plain_json(name):
    """What another language does: read x, compare f, grad, hess with its own implementation."""
    tf = get(name)
    stored = json.loads((CATALOG / f"{tf.name}.json").read_text())
    for g in stored["golden"]:
        x = np.array(g["x"])
        assert tf.f(x) == g["f"]
        np.testing.assert_array_equal(tf.grad(x), g["grad"])
        np.testing.assert_array_equal(tf.hess(x), g["hess"])
    labels = [g["label"] for g in stored["golden"]]
    assert labels[0] == "x0" and labels[-3:] == ["p1", "p2", "p3"]


def test_drift_is_detected(tmp_path):
    export(tmp_path, ["rosenbrock"])
    stored = json.loads((tmp_path / "rosenbrock.json").read_text())
    stored["golden"][2]["hess"][0][1] *= 1 + 1e-12
    stored["fstar"] = 1.0
    problems = drift(stored, entry("rosenbrock"))
    assert any("hess" in p for p in problems) and any("fstar" in p for p in problems)


def test_json_floats_round_trip_exactly(tmp_path):
    export(tmp_path, ["mgh01"])
    stored = json.loads((tmp_path / "mgh_rosenbrock.json").read_text())
    tf = get("mgh01")
    x = np.array(stored["golden"][-1]["x"])
    assert stored["golden"][-1]["f"] == tf.f(x)
