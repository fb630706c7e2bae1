"""Known traps of public MGH ports (Moré, Garbow & Hillstrom 1981) and f(x0) against the published tables.

f(x0) values: the 'f(x0)' column commonly tabulated for the MGH problems at their standard
starting points (6 significant digits); they come from outside refopt and catch a wrong residual,
datum or start that a derivative check cannot see.
"""
import numpy as np
import pytest

from refopt.functions import get, specs

F_AT_X0 = {
    "mgh01": 24.2, "mgh02": 400.5, "mgh03": 1.13526, "mgh04": 0.999998e12, "mgh05": 14.2031,
    "mgh06": 4171.31, "mgh07": 2500.0, "mgh08": 41.6817, "mgh09": 3.88811e-6, "mgh10": 1.69361e9,
    "mgh11": 12.1107, "mgh12": 1031.15, "mgh13": 215.0, "mgh14": 19192.0, "mgh15": 5.31317e-3,
    "mgh16": 7.92669e6, "mgh17": 0.879026, "mgh18": 0.779071, "mgh19": 2.09342, "mgh20": 30.0,
    "mgh21": 121.0, "mgh22": 645.0, "mgh23": 885.063, "mgh24": 2.34001, "mgh25": 2.19855e6,
    "mgh27": 273.248, "mgh30": 21.0, "mgh31": 360.0, "mgh35": 3.86177e-2,
}


@pytest.mark.parametrize("alias,value", sorted(F_AT_X0.items()))
def test_f_at_x0_matches_published_table(alias, value):
    tf = get(alias)
    assert tf.f(tf.x0) == pytest.approx(value, rel=5e-6)


def test_gulf_uses_the_absolute_value_the_1981_paper_misprints():
    """r_i = exp(−|y_i − x2|^x3 / x1) − t_i with y_i = 25 + (−50 ln t_i)^(2/3), t_i = i/100."""
    tf = get("gulf_research_development")
    t = np.arange(1, tf.m + 1) / 100.0
    y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
    x = np.array([40.0, 45.0, 1.3])  # x2 = 45 lies inside the range of y: both signs of y − x2
    assert np.any(y < x[1]) and np.any(y > x[1])
    r = np.exp(-np.abs(y - x[1]) ** x[2] / x[0]) - t
    assert tf.f(x) == pytest.approx(np.sum(r**2), rel=1e-13)
    assert tf.f(np.array([50.0, 25.0, 1.5])) <= 1e-25


def test_brown_dennis_start_has_x4_minus_one():
    tf = get("brown_dennis")
    np.testing.assert_array_equal(tf.x0, [25.0, 5.0, -5.0, -1.0])
    assert tf.f(tf.x0) == pytest.approx(7.92669e6, rel=1e-6)


def test_biggs_exp6_minimum_is_zero_not_the_listed_value():
    tf = get("biggs_exp6")
    assert tf.fstar == 0.0
    np.testing.assert_array_equal(tf.xstar, [1.0, 10.0, 1.0, 5.0, 4.0, 3.0])
    assert tf.f(tf.xstar) <= 1e-28
    listed = [e for e in specs()["biggs_exp6"].local_minima if abs(e["f"] - 5.65565e-3) < 1e-8]
    assert listed, "the paper's 5.65565e-3 should stay on record"
    assert tf.f(np.array(listed[0]["x"])) == pytest.approx(5.65565e-3, rel=1e-5)


@pytest.mark.parametrize("name", list(specs()))
def test_recorded_other_stationary_points(name):
    """Every recorded non-global stationary point with a location is stationary with its value."""
    for e in specs()[name].local_minima:
        if e["x"] is None:
            continue
        m = e.get("m")
        tf = get(name, m=m) if m is not None else get(name)
        x = np.asarray(e["x"], dtype=float)
        assert tf.f(x) == pytest.approx(e["f"], rel=1e-5)
        assert np.max(np.abs(tf.grad(x))) <= 1e-6 * max(1.0, np.max(np.abs(tf.grad(tf.x0))))
