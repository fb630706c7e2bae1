"""φ(t) = L(θ + t v) and its first three derivatives by Taylor propagation (refopt.nn.taylor).

References and tolerances (relative errors):
* φ(0), φ'(0), φ''(0) against mlp.loss, ∇L·v and vᵀ(H v) (R-operator): the same quantities by
  other exact paths, so rounding only — 1e-12 of the natural scale (‖∇L‖‖v‖, ‖v‖‖H v‖);
* φ'''(0) against Richardson-extrapolated central differences of t ↦ vᵀ H(θ + t v) v: the
  tableau's own error estimate ×10 plus the rounding of the HVP (≈ 1e-13 relative) over the
  finest step the tableau uses (see ``_richardson_tolerance``);
* φ'''(0) against forward-over-reverse-over-forward refopt.ad (jvp of θ ↦ vᵀ hvp(θ, v)): exact
  up to rounding — 1e-10 (the headroom is for softmax with large logits, where the AD path, not
  the Taylor one, loses digits);
* for networks along which φ is a polynomial of known degree d, a central stencil on 2m+1 ≥ d+1
  points differentiates it exactly: the only error is the rounding of the φ values, which is
  bounded explicitly (``_stencil_rounding``).
"""
import math

import numpy as np
import pytest

import refopt.ad as ad
import refopt.ad.numpy as rnp
from refopt.nn import MLP, get_loss
from refopt.verify import richardson_jacobian

SMOOTH = ["tanh", "erf", "sigmoid", "softplus", "gelu", "leaky_softplus", "poly3", "linear"]
OUTPUTS = {"mse": 2, "logistic": 1, "softmax_ce": 3}
HIDDEN = [[4], [4, 3], [3, 4, 3]]
EPS = np.finfo(float).eps

H0 = 1e-2              # first step of the Richardson tableau (verify.richardson_jacobian's default)
LEVELS = 8             # its steps H0 / 2^k, k = 0 … 7
HVP_ROUNDING = 1e-13   # relative rounding of one vᵀ H v: hvp vs refopt.ad's Hessian ≤ 1e-13 on these nets


def problem(hidden, activation, loss, bias=True, n=6, seed=0):
    C = OUTPUTS[loss]
    m = MLP([3, *hidden, C], activation=activation, bias=bias, loss=loss)
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(m.n_params) * 0.8
    v = rng.standard_normal(m.n_params)
    X = rng.standard_normal((n, 3))
    y = rng.standard_normal((n, C)) if loss == "mse" else rng.integers(0, max(C, 2), n)
    return m, theta, X, y, v


def configurations():
    for bias in (True, False):
        for k, hidden in enumerate(HIDDEN):
            yield bias, hidden, 10 * bias + k


# ---- φ(0), φ'(0), φ''(0) against the existing exact derivatives ---------------------------------
@pytest.mark.parametrize("loss", list(OUTPUTS))
@pytest.mark.parametrize("activation", SMOOTH)
def test_low_orders_equal_loss_gradient_and_hvp(activation, loss):
    for bias, hidden, seed in configurations():
        m, th, X, y, v = problem(hidden, activation, loss, bias, seed=seed)
        d = m.directional_derivatives(th, X, y, v)
        assert d.shape == (4,) and d.dtype == np.float64
        g, Hv = m.grad(th, X, y), m.hvp(th, X, y, v)
        what = (activation, loss, bias, hidden)
        assert abs(d[0] - m.loss(th, X, y)) <= 1e-14 * abs(d[0]), what
        assert abs(d[1] - g @ v) <= 1e-12 * np.linalg.norm(g) * np.linalg.norm(v), what
        assert abs(d[2] - v @ Hv) <= 1e-12 * np.linalg.norm(v) * np.linalg.norm(Hv), what


# ---- φ'''(0): (a) finite differences of vᵀ H(θ + t v) v ------------------------------------------
def _richardson_tolerance(E, ref, g0):
    """10 E (the tableau's estimate) + the HVP's own rounding over the finest step H0 / 2^(LEVELS−1)."""
    return 10.0 * E + HVP_ROUNDING * max(abs(ref), abs(g0)) / (H0 / 2.0 ** (LEVELS - 1))


# ---- φ'''(0): (b) the generic autodiff, nested --------------------------------------------------
def _ad_third(m, th, X, y, v):
    """d/dt vᵀ ∇²L(θ + t v) v at 0: a jvp of refopt.ad's hvp (forward over reverse over forward)."""
    _, X, Y = m._data(th, X, y)

    def fun(t):
        return m._loss(t, X, Y, xp=ad.numpy)

    return float(ad.jvp(lambda t: rnp.dot(v, ad.hvp(fun)(t, v)), th, v)[1])


@pytest.mark.parametrize("loss", list(OUTPUTS))
@pytest.mark.parametrize("activation", SMOOTH)
def test_third_order_matches_two_independent_references(activation, loss):
    """(a) Richardson differences of t ↦ vᵀ H(θ + t v) v (tolerance above); (b) the nested
    refopt.ad jvp of its hvp (rtol 1e-10)."""
    for bias, hidden, seed in configurations():
        m, th, X, y, v = problem(hidden, activation, loss, bias, seed=seed)
        d3 = m.directional_derivatives(th, X, y, v)[3]

        def curvature_along(t):
            return v @ m.hvp(th + t[0] * v, X, y, v)

        J, E = richardson_jacobian(curvature_along, np.zeros(1), h0=H0, error=True)
        ref, tol = J[0], _richardson_tolerance(E[0], J[0], curvature_along([0.0]))
        assert abs(d3 - ref) <= tol, ("richardson", activation, loss, bias, hidden, d3, ref, tol)
        ref = _ad_third(m, th, X, y, v)
        assert abs(d3 - ref) <= 1e-10 * abs(ref), ("refopt.ad", activation, loss, bias, hidden, d3, ref)


def test_third_order_along_one_layer_block():
    """v zero outside one layer: the pure third derivative along that block (the D_sss use)."""
    m, th, X, y, v = problem([4, 3], "tanh", "softmax_ce", seed=5)
    for sl in m.slices:
        u = np.zeros_like(v)
        u[sl] = v[sl]
        d3 = m.directional_derivatives(th, X, y, u)[3]
        ref = _ad_third(m, th, X, y, u)
        assert abs(d3 - ref) <= 1e-12 * abs(ref), (sl, d3, ref)


# ---- φ'''(0): (c) exact stencils where φ is a polynomial ----------------------------------------
def _stencil(m_half: int, order: int) -> np.ndarray:
    """Weights c_k, k = −m…m, with Σ c_k φ(k h) / h^order = φ^(order)(0) for every polynomial of
    degree ≤ 2m (the conditions Σ c_k k^n / n! = [n = order], n = 0…2m)."""
    k = np.arange(-m_half, m_half + 1, dtype=float)
    V = np.array([k ** n / math.factorial(n) for n in range(2 * m_half + 1)])
    return np.linalg.solve(V, np.eye(2 * m_half + 1)[order])


def _stencil_rounding(c, values, h, order):
    """Bound on the stencil's error from the rounding of the φ values: each φ(k h) is a mean of
    N loss terms computed through the network, taken to carry 64 ε of the largest value."""
    return 64 * EPS * np.sum(np.abs(c)) * np.max(np.abs(values)) / h ** order


def test_five_point_stencil_weights():
    np.testing.assert_allclose(_stencil(2, 3), [-0.5, 1.0, 0.0, -1.0, 0.5], atol=1e-14)
    np.testing.assert_allclose(_stencil(3, 3), [1 / 8, -1, 13 / 8, 0, -13 / 8, 1, -1 / 8], atol=1e-13)


@pytest.mark.parametrize("activation,hidden,degree", [
    ("linear", [4], 4),      # f quadratic in t, mse squares it: degree 4, a 5-point stencil is exact
    ("linear", [4, 3], 6),   # f cubic: degree 6, 7 points
    ("poly2", [4], 6),       # z_0 linear, h_1 = z_0² quadratic, f cubic: degree 6, 7 points
])
@pytest.mark.parametrize("bias", [True, False])
def test_polynomial_lines_are_differentiated_exactly(activation, hidden, degree, bias):
    m, th, X, y, v = problem(hidden, activation, "mse", bias, seed=3)
    d = m.directional_derivatives(th, X, y, v)
    m_half = degree // 2
    h = 0.5
    values = np.array([m.loss(th + k * h * v, X, y) for k in range(-m_half, m_half + 1)])
    for order in (1, 2, 3):
        c = _stencil(m_half, order)
        ref = c @ values / h ** order
        tol = _stencil_rounding(c, values, h, order)
        assert abs(d[order] - ref) <= tol, (activation, hidden, bias, order, d[order], ref, tol)
    # the degree is right: one more point pair sees no change in φ''' (the next term is zero)
    c = _stencil(m_half + 1, 3)
    wider = np.array([m.loss(th + k * h * v, X, y) for k in range(-m_half - 1, m_half + 2)])
    assert abs(c @ wider / h ** 3 - d[3]) <= _stencil_rounding(c, wider, h, 3)


# ---- the loss's third derivative --------------------------------------------------------------
@pytest.mark.parametrize("loss", list(OUTPUTS))
def test_loss_third_matches_differences_of_its_curvature(loss):
    """ℓ'''(f)[u, u, u] = d/dt uᵀ M(f + t u) u at 0, per sample, by Richardson differences."""
    C = OUTPUTS[loss]
    rng = np.random.default_rng(11)
    lf = get_loss(loss)
    f, u = 2.0 * rng.standard_normal((7, C)), rng.standard_normal((7, C))
    Y = lf.targets(rng.standard_normal((7, C)) if loss == "mse" else rng.integers(0, max(C, 2), 7), 7, C)

    def quadratic(t):
        return np.einsum("nc,ncd,nd->n", u, lf.curvature(f + t[0] * u, Y), u)

    J, E = richardson_jacobian(quadratic, np.zeros(1), error=True)
    third = lf.third(f, Y, u)
    assert third.shape == (7,)
    # tableau estimate ×10 + rounding of M (a few ε of its entries) over the finest step 1e-2/2^7
    tol = 10.0 * E[:, 0] + 16 * EPS * np.sum(u * u, axis=1) / (1e-2 / 2 ** 7)
    assert np.all(np.abs(third - J[:, 0]) <= tol), (loss, third, J[:, 0], tol)
    if loss == "mse":
        assert np.all(third == 0.0)


def test_softmax_third_is_shift_invariant_and_stable():
    """ℓ(f + s·1) = ℓ(f), so u and u + c·1 give the same ℓ''' — also for c large next to u, where
    the raw-moment form E u³ − 3 E u² E u + 2 (E u)³ would cancel to a few digits."""
    rng = np.random.default_rng(2)
    lf = get_loss("softmax_ce")
    f, u = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    Y = lf.targets(rng.integers(0, 4, 5), 5, 4)
    base = lf.third(f, Y, u)
    np.testing.assert_allclose(lf.third(f, Y, u + 1e3), base, rtol=1e-10, atol=1e-12)
    p = np.exp(f) / np.exp(f).sum(axis=1, keepdims=True)
    raw = (np.sum(p * u ** 3, 1) - 3 * np.sum(p * u * u, 1) * np.sum(p * u, 1) + 2 * np.sum(p * u, 1) ** 3)
    np.testing.assert_allclose(base, raw, rtol=1e-12, atol=1e-14)


# ---- input checks -------------------------------------------------------------------------------
@pytest.mark.parametrize("make_v,match", [
    (lambda v: v[:-1], r"v must have shape \(26,\); got shape \(25,\)"),
    (lambda v: v.reshape(1, -1), r"v must have shape \(26,\)"),
    (lambda v: np.where(v > 0, np.nan, v), "v must be finite"),
    (lambda v: np.where(v > 0, np.inf, v), "v must be finite"),
])
def test_bad_direction_names_v(make_v, match):
    m, th, X, y, v = problem([4], "tanh", "mse")
    assert m.n_params == 26
    with pytest.raises(ValueError, match=match):
        m.directional_derivatives(th, X, y, make_v(v))


def test_bad_theta_and_data_are_refused_as_for_hvp():
    m, th, X, y, v = problem([4], "tanh", "mse")
    with pytest.raises(ValueError, match=r"theta must have shape \(26,\)"):
        m.directional_derivatives(th[:-1], X, y, v)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 3\)"):
        m.directional_derivatives(th, X[:, :2], y, v)
    with pytest.raises(ValueError, match=r"y must have shape \(6, 2\)"):
        m.directional_derivatives(th, X, y[:-1], v)
