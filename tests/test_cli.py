"""The refopt command: verify, functions list/show/export, exit codes."""
import json
import subprocess
import sys

import numpy as np
import pytest

from refopt.cli import main
from refopt.functions import registry


def test_verify_prints_a_passing_table(capsys):
    assert main(["verify", "rosenbrock", "mgh01"]) == 0
    out = capsys.readouterr().out
    assert "2 passed, 0 failed" in out
    assert out.count(" pass") >= 2
    assert "exact: against the catalog's exact values" in out and " at p" in out


def test_verify_fails_against_an_edited_exact_value(tmp_path, monkeypatch, capsys):
    """A catalog whose golden Hessian entry is off by 100 bounds makes `refopt verify` fail
    and name the entry."""
    from refopt.functions import catalog

    stored = catalog.load("booth")
    g = stored["golden"][2]
    g["hess"][0][1] += 100 * catalog.K * (catalog.EPS * g["hess_scale"][0][1] + catalog.FLOOR) + 1e-9
    (tmp_path / "booth.json").write_text(json.dumps(stored))
    monkeypatch.setattr(catalog, "default_dir", lambda: tmp_path)
    assert main(["verify", "booth"]) == 1
    assert "hess[0][1] at p1" in capsys.readouterr().out


def test_verify_fails_on_a_wrong_derivative(capsys):
    """A function registered with a planted Hessian error must show FAIL and exit 1."""

    def f(x, p, out):
        out[0] = x[0] ** 4 + x[0] * x[1]

    def grad(x, p, g):
        g[0] = 4.0 * x[0] ** 3 + x[1]
        g[1] = x[0]

    def hess(x, p, H):
        H[0, 0] = 12.0 * x[0] ** 2 * 1.001  # wrong by 0.1 %
        H[0, 1] = 1.0
        H[1, 0] = 1.0
        H[1, 1] = 0.0

    registry.register("planted_error", f=f, grad=grad, hess=hess, n=2, x0=[1.0, 2.0], source="test", formula="x1^4 + x1 x2")
    try:
        assert main(["verify", "planted_error"]) == 1
        out = capsys.readouterr().out
        assert "FAIL" in out and "failed: planted_error" in out
    finally:
        del registry._SPECS["planted_error"]


def test_unknown_name_exits_2(capsys):
    assert main(["verify", "no_such_function"]) == 2
    assert "unknown test function" in capsys.readouterr().err


def test_functions_list_and_show(capsys):
    assert main(["functions", "list"]) == 0
    out = capsys.readouterr().out
    assert "mgh_rosenbrock" in out and "mgh35" in out and "rastrigin" in out
    assert main(["functions", "show", "mgh01"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["x0"] == [-1.2, 1.0] and shown["fstar"] == 0.0


def test_export_writes_json(tmp_path, capsys):
    assert main(["functions", "export", "rastrigin", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "rastrigin.json").read_text())
    assert data["golden"][0]["label"] == "x0" and data["golden"][0]["f_scale"] > 0
    np.testing.assert_array_equal(data["xstar"], [0.0, 0.0])


def test_export_without_the_oracle_says_what_to_install(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_symengine(name, *args, **kwargs):
        if "oracle" in name:  # as where symengine, sympy or mpmath is not installed
            raise ImportError("refopt.oracle needs symengine: install the oracle extra, pip install \".[oracle]\"")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_symengine)
    assert main(["functions", "export", "rastrigin", "--out", str(tmp_path)]) == 2
    assert "oracle extra" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_python_dash_m_runs():
    r = subprocess.run([sys.executable, "-m", "refopt", "verify", "rastrigin"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "1 passed, 0 failed" in r.stdout
