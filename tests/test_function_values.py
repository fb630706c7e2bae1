"""Function values against the literature, scipy, and the known traps of public ports."""
import numpy as np
import pytest
import scipy.optimize as so

from conftest import ALL
from refopt.functions import get
from refopt.functions.catalog import EPS, FLOOR, K, load



def _golden_at_xstar(name):
    return {g["label"]: g for g in load(name)["golden"]}["xstar"]


@pytest.mark.parametrize("name", [n for n in ALL if get(n).xstar is not None and get(n).fstar is not None])
def test_f_at_xstar_is_the_recorded_fstar(name):
    """f* is f at the exact minimizer to double precision (refined in high precision where the
    literature gives few digits, test_oracle.py); the kernel at the double x* is within the
    bound of its exact value's scale."""
    tf = get(name)
    scale = _golden_at_xstar(name)["f_scale"]
    assert abs(tf.f(tf.xstar) - tf.fstar) <= K * (EPS * scale + FLOOR)


@pytest.mark.parametrize("name", [n for n in ALL if get(n).xstar is not None and n != "ackley"])
def test_xstar_is_stationary_to_the_gradients_own_scale(name):
    """|∇f(x*)_i| within the bound of its scale at x*, plus what rounding x* to doubles moves it:
    Σ_j |H_ij| |x*_j| ε (x* is the double nearest the minimizer). Ackley's x* is a kink."""
    tf = get(name)
    g = _golden_at_xstar(name)
    allowed = K * (EPS * np.array(g["grad_scale"]) + FLOOR) + EPS * np.abs(np.array(g["hess"])) @ np.abs(tf.xstar)
    assert np.all(np.abs(tf.grad(tf.xstar)) <= allowed)


@pytest.mark.parametrize("n", [2, 3, 7, 30])
def test_rosenbrock_equals_scipy(n, rng):
    tf = get("rosenbrock", n=n)
    for x in rng.uniform(-2, 2, size=(5, n)):
        assert tf.f(x) == pytest.approx(so.rosen(x), rel=1e-14, abs=1e-14)
        np.testing.assert_allclose(tf.grad(x), so.rosen_der(x), rtol=1e-13, atol=1e-12)
        np.testing.assert_allclose(tf.hess(x), so.rosen_hess(x), rtol=1e-13, atol=1e-12)


def test_mgh01_is_the_2d_rosenbrock(rng):
    a, b = get("mgh01"), get("rosenbrock")
    for x in rng.uniform(-2, 2, size=(5, 2)):
        assert a.f(x) == pytest.approx(b.f(x), rel=1e-14)
    np.testing.assert_array_equal(a.x0, [-1.2, 1.0])


@pytest.mark.parametrize("name", ALL)
def test_metadata_shapes(name):
    tf = get(name)
    assert tf.x0.shape == (tf.n,)
    assert tf.xstar is None or tf.xstar.shape == (tf.n,)
    if tf.bounds is not None:
        lo, hi = tf.bounds
        assert np.all(lo < hi)
        assert np.all(lo <= tf.x0) and np.all(tf.x0 <= hi), "x0 outside the bounds"
        if tf.xstar is not None:
            assert np.all(lo <= tf.xstar) and np.all(tf.xstar <= hi)
    assert tf.source and tf.formula


def test_there_are_35_mgh_problems_and_20_classics():
    from refopt.functions import names

    mgh = names("mgh")
    assert len(mgh) == 35
    assert [get(f"mgh{k:02d}").name for k in range(1, 36)] == mgh
    assert len(names("classic")) >= 20
