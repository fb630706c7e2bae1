"""`refopt reproduce stochastic-newton --quick`: runs, writes CSV + PNGs, and the curves make sense."""
import csv

import numpy as np

from refopt.cli import main


def test_reproduce_stochastic_newton_quick(tmp_path, capsys):
    assert main(["reproduce", "stochastic-newton", "--quick", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "tr(H⁻¹)" in out and "FAILED" not in out
    for name in ("stochastic_newton.csv", "stochastic_newton_error.png", "stochastic_newton_hessian.png"):
        assert (tmp_path / name).stat().st_size > 1000
    rows = list(csv.DictReader(open(tmp_path / "stochastic_newton.csv")))
    assert {r["method"] for r in rows} == {"sgd", "sn", "hybrid", "wasn"}
    assert {(r["model"], r["r"]) for r in rows} == {("d5", "0.5"), ("d5", "5.0"), ("d50", "0.5"), ("d50", "5.0")}

    def curve(model, r, method, col="mse"):
        sel = [x for x in rows if x["model"] == model and x["r"] == r and x["method"] == method]
        return np.array([int(x["n"]) for x in sel]), np.array([float(x[col]) for x in sel])

    for method in ("sn", "hybrid", "wasn"):
        n, mse = curve("d5", "5.0", method)
        assert mse[0] > 20.0 and mse[-1] < 0.01             # from ‖θ_0 − θ‖² ≈ 25 to ~tr(H⁻¹)/n
        assert 0.2 < n[-1] * mse[-1] / 76.5 < 3.0           # tr(H⁻¹) = 76.5 for the classic model
        _, he = curve("d5", "5.0", method, "hessian_error")
        assert he[-1] < 0.1 < he[0]
    n, sgd = curve("d5", "5.0", "sgd")
    _, hyb = curve("d5", "5.0", "hybrid")
    assert sgd[-1] > 10 * hyb[-1]                           # the first-order baseline is far behind
