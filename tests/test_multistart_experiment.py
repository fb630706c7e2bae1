"""`refopt reproduce multistart --quick`: basins of attraction of Newton and BFGS. Checked: the
one-variable Rastrigin minima against their defining equation, the labelling against exact
minima, every minimum reached, the symmetries of the basins that the functions' symmetries
predict, and the command's CSV read back."""
import csv
import math

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import load
from refopt.functions import get
from refopt.gpu import DeviceNotice, cuda_available

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def mod():
    return load("multistart")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("multistart")
    args = ["reproduce", "multistart", "--quick", "--out", str(out)]
    if cuda_available():
        assert main(args) == 0
    else:  # the default device="auto" says, once per run, that it falls back to the CPU
        with pytest.warns(DeviceNotice, match="no CUDA GPU"):
            assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def data(mod):
    return mod.run(quick=True, device="cpu")


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def test_rastrigin_minima_solve_their_equation(mod):
    for k in range(-5, 6):
        m = mod.rastrigin_minimum(k)
        assert abs(m - k) < 0.05
        assert abs(m + 10 * math.pi * math.sin(2 * math.pi * m)) < 1e-12 * max(1, abs(m))
        assert 2 + 40 * math.pi ** 2 * math.cos(2 * math.pi * m) > 0  # a minimum
    assert mod.rastrigin_minimum(0) == 0.0
    tf = get("rastrigin")
    _, points = mod.known_minima("rastrigin")
    assert len(points) == 121
    assert np.max(np.abs(tf.grad_batch(points))) < 1e-11


def test_labels(mod):
    labels, points = mod.known_minima("himmelblau")
    assert len(labels) == 4 and np.max(np.abs(get("himmelblau").grad_batch(points))) < 1e-12
    x = np.vstack([points + 1e-7, [[-0.2708445906673476, -0.9230385564799815]], points[:1] + 1e-3])
    got = mod.label_runs("himmelblau", x, np.array([0, 0, 0, 0, 0, 0]))
    assert list(got) == [0, 1, 2, 3, -1, -1]  # the local maximum and a point 1e-3 away: "other"
    assert list(mod.label_runs("himmelblau", points, np.array([0, 2, 0, 1]))) == [0, -1, 2, -1]


def test_every_minimum_reached_and_few_others(data):
    for name, e in data["functions"].items():
        for method, r in e["runs"].items():
            m = r["minimum"].ravel()
            assert set(np.unique(m[m >= 0])) == set(range(len(e["labels"]))), (name, method)
            assert np.mean(m < 0) < (0.001 if name != "rastrigin" else 0.05), (name, method)
            assert r["device"] == "cpu"


def fractions(e, method):
    m = e["runs"][method]["minimum"].ravel()
    return np.bincount(m[m >= 0], minlength=len(e["labels"])) / m.size


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_camel_basins_symmetric_under_x_to_minus_x(data, method):
    """f(−x) = f(x): the run from −x0 mirrors the run from x0, and the cell-centred grid is
    symmetric, so a minimum and its mirror image have basins of equal size."""
    e = data["functions"]["six_hump_camel"]
    frac = fractions(e, method)
    points = e["points"]
    for k, p in enumerate(points):
        mirror = int(np.argmin(np.linalg.norm(points + p, axis=1)))
        assert frac[k] == pytest.approx(frac[mirror], abs=0.002)
    # the mirrored basin maps: start (i, j) -> (G−1−i, G−1−j), minimum k -> its mirror
    M = e["runs"][method]["minimum"]
    mirror_of = np.array([int(np.argmin(np.linalg.norm(points + p, axis=1))) for p in points] + [-1])
    assert np.mean(mirror_of[M[::-1, ::-1]] == M) > 0.99


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_rastrigin_basins_have_the_squares_symmetries(data, method):
    e = data["functions"]["rastrigin"]
    frac = fractions(e, method).reshape(11, 11)  # [i + 5, j + 5] for the minimum near (i, j)
    for sym in (frac[::-1, :], frac[:, ::-1], frac.T):
        assert np.max(np.abs(sym - frac)) <= 0.003


def test_command_writes_its_files(quick, mod):
    for name in mod.FUNCTIONS:
        assert (quick / f"multistart_{name}.png").read_bytes()[:8] == PNG
    rows = read(quick / "multistart_summary.csv")
    for name in mod.FUNCTIONS:
        for method in mod.METHODS:
            part = [r for r in rows if r["function"] == name and r["method"] == method]
            assert sum(float(r["fraction"]) for r in part) == pytest.approx(1.0, abs=1e-12)
            assert sum(int(r["starts"]) for r in part) == mod.GRID[True] ** 2
    assert len(rows) == 2 * (4 + 1) + 2 * (6 + 1) + 2 * (121 + 1)


def test_table(data, mod):
    text = mod.table(data)
    assert "himmelblau       newton       4 of 4" in text
    assert "rastrigin        bfgs       121 of 121" in text
