"""Line searches (refopt.optim.linesearch): strong Wolfe (N&W Alg. 3.5/3.6) and Armijo (Alg. 3.1).

Every accepted step is checked *from outside*: f and g are recomputed at the returned point and the
conditions of N&W eq. 3.7 are asserted directly; nfev is held against a counting wrapper.
"""
import math

import numpy as np
import pytest
import scipy.optimize

from refopt.functions import get, names
from refopt.optim.linesearch import (
    LineSearchResult,
    _cubic_minimizer,
    _extrapolation_step,
    armijo,
    strong_wolfe,
)


# -- helpers ---------------------------------------------------------------------------------------


class Counted:
    """fg wrapper that counts calls and records the points it was called at."""

    def __init__(self, fg):
        self.fg = fg
        self.calls = 0
        self.points = []

    def __call__(self, x):
        self.calls += 1
        self.points.append(np.array(x, dtype=float))
        return self.fg(x)

    def alphas(self, x, p):
        """The trial steps α, recovered from the recorded points x + αp."""
        k = int(np.argmax(np.abs(p)))
        return [float((z[k] - x[k]) / p[k]) for z in self.points]


def tf_fg(tf):
    return Counted(lambda z: (tf.f(z), tf.grad(z)))


def assert_result_consistent(res, fg_plain, x, p, counted):
    """The result is what it says: nfev = calls, x = x + αp, f and g are the values at x."""
    assert isinstance(res, LineSearchResult)
    assert res.nfev == counted.calls
    if res.success:
        assert res.alpha > 0
        np.testing.assert_array_equal(res.x, x + res.alpha * p)
        f, g = fg_plain(res.x)
        assert res.f == f
        np.testing.assert_array_equal(res.g, g)
    else:
        assert res.alpha == 0.0
        np.testing.assert_array_equal(res.x, x)
        assert isinstance(res.message, str) and res.message


def assert_strong_wolfe(fg_plain, x, p, f0, g0, res, c1, c2):
    """N&W eq. 3.7, recomputed from fresh values of f and g at the returned point."""
    assert res.success, res.message
    f, g = fg_plain(x + res.alpha * p)
    dphi0 = float(g0 @ p)
    assert f <= f0 + c1 * res.alpha * dphi0, "sufficient decrease (3.7a) fails"
    assert abs(float(g @ p)) <= c2 * abs(dphi0), "curvature (3.7b) fails"


def run_wolfe(fg_plain, x, p, f0=None, g0=None, **kw):
    if f0 is None:
        f0, g0 = fg_plain(x)
    counted = Counted(fg_plain)
    res = strong_wolfe(counted, x, p, f0, g0, **kw)
    assert_result_consistent(res, fg_plain, x, p, counted)
    if res.success:
        # Alg. 3.5/3.6 keep α_lo as the lowest φ among the trials with sufficient decrease, and
        # accept only below it: no finite trial that satisfies (3.7a) is lower than the returned step.
        c1 = kw.get("c1", 1e-4)
        dphi0 = float(g0 @ p)
        for alpha, z in zip(counted.alphas(x, p), counted.points):
            fz, gz = fg_plain(z)
            if np.all(np.isfinite(gz)) and fz <= f0 + c1 * alpha * dphi0:
                assert res.f <= fz
    return res, counted, f0, g0


def quadratic(A, b):
    """f = ½ xᵀAx − bᵀx."""
    A = np.atleast_2d(np.asarray(A, float))
    b = np.atleast_1d(np.asarray(b, float))
    return lambda x: (0.5 * x @ A @ x - b @ x, A @ x - b)


C_PAIRS = [(1e-4, 0.9), (1e-4, 0.1), (0.3, 0.4)]


# -- the cubic of eq. 3.59 -------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [(0.5, 3.0), (3.0, 0.5), (1.0, 2.5), (-1.0, 2.2)])
def test_cubic_minimizer_is_exact_on_a_cubic(a, b):
    # φ(α) = α³ − 3α² + 1 has its local minimizer at α = 2.
    phi = lambda t: t**3 - 3 * t**2 + 1
    dphi = lambda t: 3 * t**2 - 6 * t
    assert _cubic_minimizer(a, phi(a), dphi(a), b, phi(b), dphi(b)) == pytest.approx(2.0, rel=1e-12)


def test_cubic_minimizer_is_exact_on_a_quadratic_and_nan_without_minimizer():
    phi = lambda t: 7 * (t - 0.3) ** 2 + 1
    dphi = lambda t: 14 * (t - 0.3)
    assert _cubic_minimizer(0.0, phi(0), dphi(0), 1.0, phi(1), dphi(1)) == pytest.approx(0.3, rel=1e-12)
    # φ(α) = α³ + α is strictly increasing: no local minimizer, so no cubic step.
    psi = lambda t: t**3 + t
    dpsi = lambda t: 3 * t**2 + 1
    assert math.isnan(_cubic_minimizer(0.0, psi(0), dpsi(0), 1.0, psi(1), dpsi(1)))
    # Huge slopes (badly scaled problems) do not overflow: same minimizer for φ scaled by 1e300.
    s = 1e300
    assert _cubic_minimizer(0.0, s * phi(0), s * dphi(0), 1.0, s * phi(1), s * dphi(1)) == pytest.approx(0.3)


# -- 1-D quadratic: the exact step is known ----------------------------------------------------------


def test_quadratic_exact_step_found_by_one_cubic():
    # f = ½·4(x − 3)² from x = 0 along p = −g = 12: φ(α) = 2(12α − 3)², α* = 1/4.
    fg = quadratic([[4.0]], [12.0])
    x = np.zeros(1)
    f0, g0 = fg(x)
    p = -g0
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0, c2=0.1)
    # α0 = 1 fails (3.7a); the cubic through φ, φ' at 0 and 1 is the quadratic itself.
    assert counted.alphas(x, p) == pytest.approx([1.0, 0.25], rel=1e-14)
    assert res.nfev == 2
    assert res.alpha == pytest.approx(0.25, rel=1e-14)
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.1)


@pytest.mark.parametrize("c1, c2", C_PAIRS)
@pytest.mark.parametrize("alpha0", [1e-3, 0.1, 1.0, 10.0, 1e3])
def test_quadratic_step_within_c2_of_exact(c1, c2, alpha0, rng):
    # On a quadratic, φ'(α) = (α − α*) pᵀAp and φ'(0) = −α* pᵀAp, so (3.7b) is exactly
    # |α − α*| ≤ c2 α*: with c2 small the step is close to the exact minimizer.
    n = 5
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.logspace(0, 4, n)) @ Q.T
    b = rng.standard_normal(n)
    fg = quadratic(A, b)
    x = rng.standard_normal(n)
    f0, g0 = fg(x)
    p = -g0
    alpha_star = (g0 @ g0) / (p @ A @ p)
    res, *_ = run_wolfe(fg, x, p, f0, g0, alpha0=alpha0, c1=c1, c2=c2)
    assert_strong_wolfe(fg, x, p, f0, g0, res, c1, c2)
    assert abs(res.alpha - alpha_star) <= c2 * alpha_star * (1 + 1e-10)


# -- the safeguard of the zoom ---------------------------------------------------------------------


def test_zoom_clamps_a_cubic_step_too_close_to_an_end():
    # 1-D quadratic with exact step α* = 0.02 and α0 = 1. The cubic is exact (0.02), but it is clamped
    # into [a + 0.1w, b − 0.1w]: [0.1, 0.9] -> 0.1 (fails 3.7a: φ(0.1) > 0); then [0.01, 0.09] holds 0.02.
    fg = quadratic([[50.0]], [1.0])  # x* = 0.02, from x = 0 along p = −g = 1
    x = np.zeros(1)
    f0, g0 = fg(x)
    p = -g0
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0, c2=0.1)
    assert counted.alphas(x, p) == pytest.approx([1.0, 0.1, 0.02], rel=1e-12)
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.1)


def test_zoom_clamps_near_the_upper_end():
    # α* = 0.95 and α0 = 1: (3.7a) holds at 1, φ'(1) > 0 but |φ'(1)| = 0.05/0.95 |φ'(0)| > 0.01 |φ'(0)|:
    # zoom(1, 0). The cubic gives 0.95, outside [0.1, 0.9]: clamped to 0.9, where φ' < 0 and the
    # curvature test fails, so the bracket becomes [0.9, 1] and the cubic's 0.95 is inside it.
    fg = quadratic([[1.0]], [0.95])
    x = np.zeros(1)
    f0, g0 = fg(x)
    p = -g0 / 0.95  # p = 1, α* = 0.95
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0, c1=1e-4, c2=0.01)
    assert counted.alphas(x, p) == pytest.approx([1.0, 0.9, 0.95], rel=1e-14)
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.01)


def test_zoom_takes_the_mean_of_cubic_and_quadratic_after_a_steep_rise():
    # φ(α) = −α + 10α⁴ from α0 = 1: φ(1) = 9 > φ(0) = 0, φ'(1) = 39 (Moré–Thuente's case 1). By hand:
    # the cubic of eq. 3.59 (d1 = 11, d2 = √160) has its minimizer at 1 − (28 + √160)/(40 + 2√160)
    # = 0.3775; the quadratic through φ(0), φ'(0), φ(1) at 1/(2·10) = 0.05, nearer to α_lo = 0; so the
    # trial is their mean 0.2137, inside [0.1, 0.9]. There |φ'| = 0.61 ≤ 0.9: accepted after 2
    # evaluations (the cubic step alone has φ'(0.3775) = 1.15 > 0.9 and would need a third).
    fg = lambda z: (float(-z[0] + 10 * z[0] ** 4), np.array([-1.0 + 40 * z[0] ** 3]))
    x = np.zeros(1)
    f0, g0 = fg(x)
    p = np.ones(1)
    cubic = 1 - (28 + math.sqrt(160)) / (40 + 2 * math.sqrt(160))
    assert cubic == pytest.approx(0.37748517734, rel=1e-10)
    assert abs(fg(np.array([cubic]))[1][0]) > 0.9  # the plain cubic step would fail (3.7b)
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0)
    assert counted.alphas(x, p) == pytest.approx([1.0, (cubic + 0.05) / 2], rel=1e-12)
    assert res.nfev == 2
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.9)


# -- standard and badly scaled test functions --------------------------------------------------------

# (name, point or None for x0). The points with a positive definite Hessian give the Newton-like
# direction −H⁻¹g; at x0, mgh03 and mgh10 have indefinite Hessians, hence the other points
# (mgh03: near x* = (1.098e-5, 9.106); mgh10: x* scaled by 1 ± 1e-3).
MGH10_PD_POINT = np.array([5.60963647e-03 * 1.001, 6.18134635e03 * 0.999, 3.45223635e02 * 1.001])
CASES_GRADIENT = [("rosenbrock", None), ("mgh03", None), ("mgh04", None), ("mgh10", None)]
CASES_NEWTON = [
    ("rosenbrock", None),
    ("mgh03", np.array([2e-5, 5.0])),
    ("mgh04", None),
    ("mgh10", MGH10_PD_POINT),
]


def newton_direction(tf, x):
    H = tf.hess(x)
    assert np.all(np.linalg.eigvalsh(H) > 0), "test setup: the Hessian must be positive definite here"
    return -np.linalg.solve(H, tf.grad(x))


@pytest.mark.parametrize("c1, c2", C_PAIRS)
@pytest.mark.parametrize("name, point", CASES_GRADIENT)
def test_wolfe_along_negative_gradient(name, point, c1, c2):
    tf = get(name)
    x = tf.x0 if point is None else point
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, c1=c1, c2=c2)
    assert_strong_wolfe(fg, x, -g0, f0, g0, res, c1, c2)
    assert res.f < f0


@pytest.mark.parametrize("c1, c2", C_PAIRS)
@pytest.mark.parametrize("name, point", CASES_NEWTON, ids=[c[0] for c in CASES_NEWTON])
def test_wolfe_along_newton_direction(name, point, c1, c2):
    tf = get(name)
    x = tf.x0 if point is None else point
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    p = newton_direction(tf, x)
    res, *_ = run_wolfe(fg, x, p, f0, g0, c1=c1, c2=c2)
    assert_strong_wolfe(fg, x, p, f0, g0, res, c1, c2)


def test_unit_step_accepted_without_further_evaluations():
    # Rosenbrock from x0 along the Newton direction: α = 1 satisfies both conditions (f 24.2 -> 4.73).
    tf = get("rosenbrock")
    x = tf.x0
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, newton_direction(tf, x), f0, g0)
    assert res.alpha == 1.0 and res.nfev == 1
    assert res.f == pytest.approx(4.731884325266608, rel=1e-12)


def test_badly_scaled_gradient_step_with_scale_aware_alpha0():
    # At the mgh10 point above |g| ~ 1e11: with alpha0 = 1/|g| the search succeeds with few evaluations.
    tf = get("mgh10")
    x = MGH10_PD_POINT
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, alpha0=1 / np.linalg.norm(g0))
    assert_strong_wolfe(fg, x, -g0, f0, g0, res, 1e-4, 0.9)
    assert res.nfev <= 20


MGH = names("mgh")


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("c2", [0.9, 0.1])
@pytest.mark.parametrize("name", MGH)
def test_wolfe_on_every_mgh_problem_from_x0(name, c2):
    tf = get(name)
    x = tf.x0
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    assert np.any(g0 != 0)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, c2=c2)
    assert_strong_wolfe(fg, x, -g0, f0, g0, res, 1e-4, c2)


# -- bracketing phase: the step must grow (Moré–Thuente's extrapolation) ----------------------------


def test_extrapolation_step_by_hand():
    # No bracket yet, a = 1, b = 2 (Δ = 1): the step lies in [2 + 1.1, 2 + 4] = [3.1, 6].
    # φ' not flattening (|φ'(b)| ≥ |φ'(a)|, M–T case 4): the upper bound, whatever the cubic says.
    assert _extrapolation_step(1.0, -1.0, 2.0, -1.0, 2.5, 1e10) == 6.0
    assert _extrapolation_step(1.0, -1.0, 2.0, -2.0, math.nan, 1e10) == 6.0
    # Flattening (case 3), φ'(b) = −0.6: the secant step is 2 + (−0.6)(1)/(−1 + 0.6) = 3.5; with a
    # cubic minimizer beyond b the farther of the two; without one (none, or one behind b: the cubic
    # predicts no minimizer ahead) the upper bound, as in M–T.
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.6, 4.2, 1e10) == 4.2
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.6, 3.2, 1e10) == pytest.approx(3.5, rel=1e-15)
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.6, math.nan, 1e10) == 6.0
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.6, 1.5, 1e10) == 6.0
    # Clamped: cubic 2.05 and secant 2 + 0.1/0.9 = 2.11 are raised to 3.1; the secant
    # 2 + 0.9/0.1 = 11 is cut to 6; and never beyond alpha_max.
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.1, 2.05, 1e10) == pytest.approx(3.1, rel=1e-15)
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.9, 2.5, 1e10) == 6.0
    assert _extrapolation_step(1.0, -1.0, 2.0, -0.9, 2.5, 4.0) == 4.0


def test_step_grows_by_extrapolation_on_a_nearly_linear_function():
    # f(x) = √(1 + x²) from x = −100: φ' ≈ −1 for a long way; (3.7b) with c2 = 0.9 needs
    # |x| ≤ 2.06, i.e. α ≈ 100, far beyond alpha0 = 0.01. Nothing predicts a minimizer within
    # 4Δ, so α_{i+1} = α_i + 4(α_i − α_{i−1}): α_i = 0.01 (4^i − 1)/3 = 0.01, 0.05, 0.21, 0.85, ...,
    # 218.45 (x = +118 > x at 54.61: bracketed), twice as fast as doubling.
    fg = lambda z: (float(np.sqrt(1 + z[0] ** 2)), z / np.sqrt(1 + z**2))
    x = np.array([-100.0])
    f0, g0 = fg(x)
    p = -g0
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0, alpha0=0.01)
    trials = counted.alphas(x, p)
    assert trials[:8] == pytest.approx([0.01 * (4**i - 1) / 3 for i in range(1, 9)], rel=1e-12)
    assert all(54.61 < a < 218.45 for a in trials[8:])  # then the zoom, inside the bracket
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.9)
    assert abs(res.x[0]) <= 2.07


def test_tiny_alpha0_on_quadratic_grows_then_accepts():
    # f = 2(x − 3)², α* = 0.25 along p = −g = 12; φ' is linear, so the secant (and the cubic) step is
    # exactly 0.25 from any two trials. From alpha0 = 1e-3 it is clamped to the upper bound
    # α_i + 4Δ: 5e-3, 0.021, 0.085; then 0.25 lies in [0.085 + 1.1·0.064, 0.085 + 4·0.064] = [0.1554,
    # 0.341] and is taken: φ'(0.25) = 0, accepted.
    fg = quadratic([[4.0]], [12.0])
    x = np.zeros(1)
    f0, g0 = fg(x)
    res, counted, _, _ = run_wolfe(fg, x, -g0, f0, g0, alpha0=1e-3, c2=0.1)
    assert counted.alphas(x, -g0) == pytest.approx([1e-3, 5e-3, 2.1e-2, 8.5e-2, 0.25], rel=1e-12)
    assert_strong_wolfe(fg, x, -g0, f0, g0, res, 1e-4, 0.1)
    assert res.alpha == pytest.approx(0.25, rel=1e-12)


def test_extrapolation_keeps_its_lower_bound():
    # Same quadratic from alpha0 = 0.2: |φ'(0.2)| = 0.2 |φ'(0)| > 0.1 |φ'(0)|, so extrapolate. The
    # secant says 0.25, but the step must grow by at least 1.1 Δ: 0.2 + 0.22 = 0.42 (φ(0.42) > φ(0.2)),
    # then zoom(0.2, 0.42), whose cubic is exact: 0.25.
    fg = quadratic([[4.0]], [12.0])
    x = np.zeros(1)
    f0, g0 = fg(x)
    res, counted, _, _ = run_wolfe(fg, x, -g0, f0, g0, alpha0=0.2, c2=0.1)
    assert counted.alphas(x, -g0) == pytest.approx([0.2, 0.42, 0.25], rel=1e-12)
    assert res.alpha == pytest.approx(0.25, rel=1e-12)


def test_bracketing_zooms_when_phi_rises_despite_sufficient_decrease():
    # φ(α) = −α + h exp(−((α − 4.8)/1)²), h = 4.5: a bump on a downhill line. At α = 1, (3.7a) holds
    # and φ' ≈ −1 (not flat enough for c2 = 0.5, and not flattening: the next trial is 1 + 4·1 = 5);
    # at α = 5, (3.7a) still holds (φ ≈ −0.68) and φ' < 0, but φ(5) ≥ φ(1): Alg. 3.5 must
    # zoom(1, 5) (the valley before the bump) instead of growing the step down the line forever.
    h, c, w = 4.5, 4.8, 1.0
    bump = lambda t: h * np.exp(-(((t - c) / w) ** 2))
    fg = lambda z: (float(-z[0] + bump(z[0])), np.array([-1.0 - 2 * (z[0] - c) / w**2 * bump(z[0])]))
    x = np.zeros(1)
    p = np.ones(1)
    f0, g0 = fg(x)
    f1, g1 = fg(x + 1.0)
    f5, g5 = fg(x + 5.0)
    assert f5 <= f0 + 1e-4 * 5 * g0[0] and f5 >= f1 and g5[0] < 0 and g1[0] < -0.5  # the setup
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0, c2=0.5)
    trials = counted.alphas(x, p)
    assert trials[:2] == pytest.approx([1.0, 5.0], rel=1e-15)
    assert all(1.0 < a < 5.0 for a in trials[2:])
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.5)


@pytest.mark.parametrize("case", ["overshoot", "nearly_linear", "rosenbrock", "mgh03"])
def test_zoom_is_entered_with_the_invariants_of_algorithm_3_6(case, monkeypatch):
    # N&W p. 61: on entry to zoom(α_lo, α_hi), α_lo satisfies (3.7a) and has the lower φ of the
    # two (or α_hi fails (3.7a)), and φ'(α_lo)(α_hi − α_lo) < 0. The order of the two arguments
    # matters when φ'(α_i) ≥ 0: then α_i, not α_{i−1}, is α_lo.
    import refopt.optim.linesearch as ls

    entries = []
    zoom = ls._zoom  # the plain run calls the one source's _zoom through the module: spy on it

    def spy(fk, gk, prm, x, p, f0, dphi0, c1, c2, lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi, *rest):
        entries.append(((lo_a, lo_phi, lo_dphi), (hi_a, hi_phi, hi_dphi), (f0, dphi0, c1)))
        return zoom(fk, gk, prm, x, p, f0, dphi0, c1, c2, lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi, *rest)

    monkeypatch.setattr(ls, "_zoom", spy)
    if case == "overshoot":  # α* = 0.25, α0 = 0.3: φ(0.3) < φ(0) and φ'(0.3) > 0
        fg, x, alpha0 = quadratic([[4.0]], [12.0]), np.zeros(1), 0.3
    elif case == "nearly_linear":
        fg = lambda z: (float(np.sqrt(1 + z[0] ** 2)), z / np.sqrt(1 + z**2))
        x, alpha0 = np.array([-100.0]), 0.01
    else:
        tf = get(case)
        fg, x, alpha0 = (lambda z: (tf.f(z), tf.grad(z))), tf.x0, 1.0
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, alpha0=alpha0, c2=0.1)
    assert res.success and len(entries) == 1
    (lo_a, lo_phi, lo_dphi), (hi_a, hi_phi, hi_dphi), (f0, dphi0, c1) = entries[0]

    def sufficient(a, phi):  # (3.7a)
        return math.isfinite(phi) and phi <= f0 + c1 * a * dphi0

    assert lo_a == 0.0 or sufficient(lo_a, lo_phi)
    assert (not sufficient(hi_a, hi_phi)) or lo_phi <= hi_phi
    assert lo_dphi * (hi_a - lo_a) < 0


def test_unbounded_below_stops_at_alpha_max():
    # f(x) = −x: φ decreases forever, φ' constant (never flattening): trials (4^i − 1)/3 = 1, 5, 21,
    # ..., 5726623061 (i = 17, exact in floating point), then alpha_max = 1e10: 18 evaluations.
    fg = lambda z: (float(-z[0]), np.array([-1.0]))
    x = np.zeros(1)
    f0, g0 = fg(x)
    res, counted, _, _ = run_wolfe(fg, x, np.ones(1), f0, g0)
    assert not res.success
    assert "alpha_max" in res.message
    assert res.nfev == 18
    assert counted.alphas(x, np.ones(1)) == [(4**i - 1) / 3 for i in range(1, 18)] + [1e10]


# -- failures that must be clean -------------------------------------------------------------------


@pytest.mark.parametrize("search", [strong_wolfe, armijo])
@pytest.mark.parametrize("direction", ["ascent", "zero", "orthogonal"])
def test_non_descent_direction_is_reported_not_raised(search, direction):
    tf = get("rosenbrock")
    x = tf.x0
    f0, g0 = tf.f(x), tf.grad(x)
    p = {"ascent": g0, "zero": np.zeros(2), "orthogonal": np.array([-g0[1], g0[0]])}[direction]
    counted = tf_fg(tf)
    res = search(counted, x, p, f0, g0)
    assert not res.success
    assert "descent" in res.message
    assert res.nfev == 0 and counted.calls == 0
    assert res.alpha == 0.0 and res.f == f0
    np.testing.assert_array_equal(res.x, x)
    np.testing.assert_array_equal(res.g, g0)


def test_maxiter_exhausted_is_a_clean_failure():
    tf = get("rosenbrock")
    x = tf.x0
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    for maxiter in (1, 2, 3):
        res, counted, _, _ = run_wolfe(fg, x, -g0, f0, g0, maxiter=maxiter)  # needs 8 evaluations
        assert not res.success
        assert "maxiter" in res.message
        assert res.nfev == maxiter
        assert res.x is not x


def test_kink_without_wolfe_step_fails_cleanly():
    # Ackley along −g from x0 = (1.3, 1.3) runs through its minimum at 0, where f has a kink: |φ'|
    # jumps from −14.94 to +14.94 there, more than c2 |φ'(0)| = 2.79 with c2 = 0.1. No strong Wolfe
    # step exists near the minimum; the zoom closes in on the kink and stops.
    tf = get("ackley")
    x = tf.x0
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, c2=0.1)
    assert not res.success
    assert res.nfev <= 40
    # with c2 = 0.9 an acceptable step exists and is found
    res9, *_ = run_wolfe(fg, x, -g0, f0, g0, c2=0.9)
    assert_strong_wolfe(fg, x, -g0, f0, g0, res9, 1e-4, 0.9)


def wall(kind, at=1.0):
    """f = (x − 2)² for x < at; beyond, f or g is not finite (kind 'nan f', 'inf f', 'nan g')."""

    def fg(z):
        x = z[0]
        f, g = (x - 2.0) ** 2, np.array([2.0 * (x - 2.0)])
        if x >= at:
            if kind == "nan f":
                f = math.nan
            elif kind == "inf f":
                f = math.inf
            else:
                g = np.array([math.nan])
        return f, g

    return fg


@pytest.mark.parametrize("kind", ["nan f", "inf f", "nan g"])
def test_non_finite_beyond_a_wall_still_gives_a_wolfe_step(kind):
    # From x = 0 along p = 4: φ(α) = (4α − 2)² for α < 1/4, non-finite beyond. α0 = 1 lands past the
    # wall; the search shrinks (1, 0.5, 0.25 all bad) and accepts 0.125 (x = 0.5, |φ'| = 12 ≤ 14.4).
    fg = wall(kind)
    x = np.zeros(1)
    f0, g0 = fg(x)
    p = -g0
    res, counted, _, _ = run_wolfe(fg, x, p, f0, g0)
    assert_strong_wolfe(fg, x, p, f0, g0, res, 1e-4, 0.9)
    assert math.isfinite(res.f) and np.all(np.isfinite(res.g))
    assert counted.alphas(x, p)[:3] == pytest.approx([1.0, 0.5, 0.25])


@pytest.mark.parametrize("kind", ["nan f", "inf f", "nan g"])
def test_non_finite_wall_before_any_wolfe_step_fails_cleanly(kind):
    # Same function with c2 = 0.1: (3.7b) needs x ≥ 1.8, all beyond the wall at x = 1.
    fg = wall(kind)
    x = np.zeros(1)
    f0, g0 = fg(x)
    res, *_ = run_wolfe(fg, x, -g0, f0, g0, c2=0.1)
    assert not res.success
    assert "non-finite" in res.message
    assert res.f == f0 and res.nfev <= 40


def test_non_finite_everywhere_but_x0():
    fg0 = wall("nan f", at=1e-300)
    x = np.zeros(1)
    f0, g0 = 4.0, np.array([-4.0])
    for search in (strong_wolfe, armijo):
        counted = Counted(fg0)
        res = search(counted, x, -g0, f0, g0)
        assert not res.success and "non-finite" in res.message
        assert res.nfev == counted.calls
        assert res.alpha == 0.0


def test_overflowing_trial_point_is_not_evaluated():
    # alpha_max large and p huge: x + αp overflows to inf; fg must never see it.
    seen = []

    def fg(z):
        seen.append(np.all(np.isfinite(z)))
        with np.errstate(over="ignore"):
            return float(-np.sum(z)), -np.ones_like(z)  # linear, unbounded below

    x = np.zeros(2)
    f0, g0 = fg(x)
    res = strong_wolfe(fg, x, np.array([1e300, 1e300]), f0, g0, alpha_max=1e300, maxiter=40)
    assert not res.success and "non-finite" in res.message
    assert all(seen)
    assert res.nfev == len(seen) - 1  # the first call above is ours


# -- argument validation ---------------------------------------------------------------------------


def _args():
    tf = get("rosenbrock")
    x = tf.x0
    return (lambda z: (tf.f(z), tf.grad(z))), x, -tf.grad(x), tf.f(x), tf.grad(x)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"c1": 0.0}, "0 < c1 < c2 < 1"),
        ({"c1": -1e-4}, "0 < c1 < c2 < 1"),
        ({"c2": 1.0}, "0 < c1 < c2 < 1"),
        ({"c1": 0.5, "c2": 0.4}, "0 < c1 < c2 < 1"),
        ({"c1": 0.5, "c2": 0.5}, "0 < c1 < c2 < 1"),
        ({"c2": float("nan")}, "0 < c1 < c2 < 1"),
        ({"alpha0": 0.0}, "alpha0"),
        ({"alpha0": -1.0}, "alpha0"),
        ({"alpha0": float("nan")}, "alpha0"),
        ({"alpha0": float("inf")}, "alpha0"),
        ({"alpha0": 10.0, "alpha_max": 5.0}, "alpha_max"),
        ({"maxiter": 0}, "maxiter"),
        ({"maxiter": 2.5}, "maxiter"),
        ({"c1": "0.1"}, "c1"),
    ],
)
def test_strong_wolfe_rejects_bad_arguments(kwargs, match):
    fg, x, p, f0, g0 = _args()
    with pytest.raises(ValueError, match=match.replace("(", r"\(")):
        strong_wolfe(fg, x, p, f0, g0, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"c1": 0.0}, "c1"),
        ({"c1": 1.0}, "c1"),
        ({"rho": 0.0}, "rho"),
        ({"rho": 1.0}, "rho"),
        ({"rho": 1.5}, "rho"),
        ({"alpha0": 0.0}, "alpha0"),
        ({"maxiter": 0}, "maxiter"),
    ],
)
def test_armijo_rejects_bad_arguments(kwargs, match):
    fg, x, p, f0, g0 = _args()
    with pytest.raises(ValueError, match=match):
        armijo(fg, x, p, f0, g0, **kwargs)


@pytest.mark.parametrize("search", [strong_wolfe, armijo])
def test_shapes_and_finiteness_are_checked(search):
    fg, x, p, f0, g0 = _args()
    with pytest.raises(ValueError, match=r"p must have the shape of x"):
        search(fg, x, np.ones(3), f0, g0)
    with pytest.raises(ValueError, match=r"g0 must have the shape of x"):
        search(fg, x, p, f0, np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"x must be an array"):
        search(fg, np.float64(1.0), np.float64(-1.0), f0, np.float64(1.0))
    with pytest.raises(ValueError, match="f0 must be finite"):
        search(fg, x, p, float("nan"), g0)
    with pytest.raises(ValueError, match="x must be finite"):
        search(fg, np.array([np.inf, 1.0]), p, f0, g0)
    bad_fg = lambda z: (1.0, np.ones(3))
    with pytest.raises(ValueError, match=r"fg returned a gradient of shape \(3,\)"):
        search(bad_fg, x, p, f0, g0)


def test_inputs_are_not_modified():
    fg, x, p, f0, g0 = _args()
    copies = [a.copy() for a in (x, p, g0)]
    strong_wolfe(fg, x, p, f0, g0)
    armijo(fg, x, p, f0, g0)
    for a, c in zip((x, p, g0), copies):
        np.testing.assert_array_equal(a, c)


# -- against scipy's strong Wolfe search (MINPACK dcsrch) ---------------------------------------------


SCIPY_CASES = [
    ("rosenbrock", None, "gradient", 0.9),
    ("rosenbrock", None, "gradient", 0.1),
    ("rosenbrock", None, "newton", 0.9),
    ("mgh04", None, "gradient", 0.9),
    ("mgh03", np.array([2e-5, 5.0]), "newton", 0.9),
    ("mgh10", MGH10_PD_POINT, "newton", 0.1),
    ("beale", None, "gradient", 0.1),
]


@pytest.mark.parametrize("name, point, direction, c2", SCIPY_CASES)
def test_both_ours_and_scipys_steps_satisfy_strong_wolfe(name, point, direction, c2):
    tf = get(name)
    x = tf.x0 if point is None else point
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    p = -g0 if direction == "gradient" else newton_direction(tf, x)
    c1 = 1e-4
    ours, *_ = run_wolfe(fg, x, p, f0, g0, c1=c1, c2=c2)
    alpha_sp, *_ = scipy.optimize.line_search(tf.f, tf.grad, x, p, gfk=g0, old_fval=f0, c1=c1, c2=c2)
    assert alpha_sp is not None, "scipy's search failed on a case chosen for it to succeed"
    assert_strong_wolfe(fg, x, p, f0, g0, ours, c1, c2)
    assert_strong_wolfe(
        fg, x, p, f0, g0, LineSearchResult(alpha_sp, x + alpha_sp * p, 0.0, g0, 0, True, ""), c1, c2
    )


# -- Armijo backtracking ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.parametrize("rho", [0.5, 0.1, 0.9])
@pytest.mark.parametrize("name, point", CASES_GRADIENT + [("mgh03", np.array([2e-5, 5.0]))])
def test_armijo_returns_first_acceptable_step_of_the_geometric_sequence(name, point, rho):
    tf = get(name)
    x = tf.x0 if point is None else point
    fg = lambda z: (tf.f(z), tf.grad(z))
    f0, g0 = fg(x)
    p = -g0
    c1 = 1e-4
    counted = Counted(fg)
    res = armijo(counted, x, p, f0, g0, c1=c1, rho=rho, maxiter=400)
    assert_result_consistent(res, fg, x, p, counted)
    assert res.success, res.message
    sequence = [1.0]  # alpha0, ρ alpha0, ρ² alpha0, ... by repeated multiplication, as in the code
    while len(sequence) < res.nfev:
        sequence.append(sequence[-1] * rho)
    assert counted.alphas(x, p) == pytest.approx(sequence, rel=1e-12)
    assert res.alpha == sequence[-1]
    dphi0 = g0 @ p
    assert tf.f(res.x) <= f0 + c1 * res.alpha * dphi0  # (3.4) holds at the accepted step
    for alpha in sequence[:-1]:  # and at no earlier trial
        z = x + alpha * p
        assert not (tf.f(z) <= f0 + c1 * alpha * dphi0)


def test_armijo_recovers_from_non_finite_and_reports_maxiter():
    fg = wall("nan f")
    x = np.zeros(1)
    f0, g0 = fg(x)
    counted = Counted(fg)
    res = armijo(counted, x, -g0, f0, g0)  # trials 1, 0.5, 0.25 are past the wall; 0.125 is fine
    assert res.success and res.alpha == 0.125 and res.nfev == counted.calls == 4
    counted = Counted(fg)
    res = armijo(counted, x, -g0, f0, g0, maxiter=2)
    assert not res.success and "maxiter" in res.message and "non-finite" in res.message
    assert res.nfev == counted.calls == 2
