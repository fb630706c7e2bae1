"""OGR, diagonal OGR and subspace OGR (refopt.optim.ogr) through refopt.minimize and directly."""
import numpy as np
import pytest
import scipy.linalg

from conftest import Counting
from refopt.functions import get
from refopt.optim import minimize
from refopt.optim import ogr as full_ogr
from refopt.optim import regression
from refopt.optim.objective import Objective
from refopt.optim.ogr import GradientRegression
from refopt.optim.options import check
from refopt.optim.regression import default_beta, initial_basis, lyapunov_hessian, saddle_free_step

METHODS = ["ogr", "ogr-diag", "ogr-subspace"]
LINE_SEARCHES = ["wolfe", "armijo", None]


def random_spd(n, kappa, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.logspace(0, np.log10(kappa), n)
    return (Q * lam) @ Q.T, rng.standard_normal(n)


def quadratic(A, b):
    return dict(fun=lambda x: 0.5 * x @ A @ x - b @ x, jac=lambda x: A @ x - b, hess=lambda x: A)


# f = x² − y² + y⁴/4: a saddle at 0, minima f = −1 at (0, ±√2)
def saddle_f(z):
    return z[0] ** 2 - z[1] ** 2 + z[1] ** 4 / 4


def saddle_g(z):
    return np.array([2 * z[0], -2 * z[1] + z[1] ** 3])


def saddle_h(z):
    return np.diag([2.0, -2.0 + 3 * z[1] ** 2])


# -- the regression and the step, on constructed inputs ---------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_lyapunov_solve_matches_scipy(n):
    rng = np.random.default_rng(n)
    X = rng.standard_normal((n, n))
    C = X @ X.T + 0.1 * np.eye(n)  # random SPD
    C_gt = rng.standard_normal((n, n))  # random, not symmetric
    Q = C_gt + C_gt.T
    H = lyapunov_hessian(C, C_gt, eps=0.0)
    np.testing.assert_allclose(H, scipy.linalg.solve_continuous_lyapunov(C, Q), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(H @ C + C @ H, Q, atol=1e-10 * np.abs(Q).max())
    np.testing.assert_array_equal(H, H.T)
    # with ε: the same equation for C + ε λ_max(C) I
    eps = 1e-3
    C_eps = C + eps * np.linalg.eigvalsh(C)[-1] * np.eye(n)
    np.testing.assert_allclose(lyapunov_hessian(C, C_gt, eps), scipy.linalg.solve_sylvester(C_eps, C_eps, Q),
                               rtol=1e-9, atol=1e-12)


def test_lyapunov_has_no_estimate_without_spread():
    assert lyapunov_hessian(np.zeros((3, 3)), np.ones((3, 3)), 1e-10) is None
    reg = GradientRegression(3, 0.5)
    reg.add(np.ones(3), np.ones(3))
    assert reg.hessian(1e-10) is None


def test_ema_recursions_by_hand():
    # one coordinate, β = 0.5, samples (0, 0) and (1, 2): θ̄ = 0.5, ḡ = 1,
    # Cθθ = 0.5·(1 − 0.5)² = 0.125, Cgθ = 0.5·(2 − 1)(1 − 0.5) = 0.25
    reg = GradientRegression(1, 0.5)
    reg.add(np.zeros(1), np.zeros(1))
    reg.add(np.ones(1), np.full(1, 2.0))
    assert (reg.theta_bar[0], reg.g_bar[0], reg.C_tt[0, 0], reg.C_gt[0, 0]) == (0.5, 1.0, 0.125, 0.25)
    assert reg.hessian(0.0)[0, 0] == 2.0
    diag = GradientRegression(1, 0.5, diagonal=True)
    diag.add(np.zeros(1), np.zeros(1))
    diag.add(np.ones(1), np.full(1, 2.0))
    assert (diag.C_tt[0], diag.C_gt[0], diag.hessian(0.0)[0]) == (0.125, 0.25, 2.0)


@pytest.mark.parametrize("beta", [0.1, 0.3, 0.5])
def test_regression_recovers_A_from_n_plus_1_generic_samples(beta):
    n = 5
    A, b = random_spd(n, 50.0, seed=3)
    rng = np.random.default_rng(4)
    thetas = rng.standard_normal((n + 1, n))
    reg = GradientRegression(n, beta)
    for k, theta in enumerate(thetas):
        reg.add(theta, A @ theta - b)
        if k == n - 1:  # n samples: the deviations span only n − 1 directions
            assert np.linalg.norm(reg.hessian(1e-12) - A) > 1e-2 * np.linalg.norm(A)
    np.testing.assert_allclose(reg.hessian(1e-12), A, rtol=1e-7, atol=1e-7 * np.abs(A).max())
    # the diagonal regression is exact when A is diagonal
    D = np.diag(np.diag(A))
    dreg = GradientRegression(n, beta, diagonal=True)
    for theta in thetas[:2]:
        dreg.add(theta, D @ theta - b)
    np.testing.assert_allclose(dreg.hessian(1e-12), np.diag(A), rtol=1e-9)


def test_unvisited_directions_get_zero_curvature_not_rounding_noise():
    n = 6
    A, _ = random_spd(n, 10.0, seed=8)
    u = np.random.default_rng(9).standard_normal(n)
    C = 0.3 * np.outer(u, u)  # samples along u only
    C_gt = A @ C + 1e-17 * np.random.default_rng(10).standard_normal((n, n))  # rounding-level noise
    H = lyapunov_hessian(C, C_gt, eps=1e-12)
    P = scipy.linalg.null_space(u[None, :])  # the n − 1 unvisited directions
    assert np.abs(P.T @ H @ P).max() < 1e-12 * np.abs(H).max()  # noise / 2ελ_max would be ~1e-5
    # the visited direction and its cross terms are the least-squares answer: H u = A u
    np.testing.assert_allclose(H @ u, A @ u, rtol=1e-9, atol=1e-9 * np.linalg.norm(A @ u))


def test_saddle_free_step_uses_absolute_eigenvalues_and_the_floor():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lam = np.array([-3.0, 0.0, 0.5, 2.0])
    H = (Q * lam) @ Q.T
    v = rng.standard_normal(4)
    step, curv = saddle_free_step(H, v, eps_l=1e-2)
    B = (Q * np.array([3.0, 3e-2, 0.5, 2.0])) @ Q.T  # |l|, and the floor 1e-2·max(1, 3) for l = 0
    np.testing.assert_allclose(step, -np.linalg.solve(B, v), rtol=1e-9)
    np.testing.assert_allclose(np.sort(curv), [3e-2, 0.5, 2.0, 3.0], rtol=1e-9)
    assert v @ step < 0  # a descent direction for v = g


def test_momentum_direction_falls_back_to_the_gradient_when_it_does_not_descend():
    A = np.diag([1.0, 4.0])
    x0, x1 = np.array([1.0, 1.0]), np.array([-0.5, -1.2])
    g0, g1 = A @ x0, A @ x1  # g1 points against g0
    opt = check("ogr", full_ogr.OPTIONS, {"momentum": 0.1, "beta": 0.5, "max_step": np.inf}, 2)
    for line_search, expect_fallback in (("wolfe", True), (None, False)):
        prm = full_ogr.params(opt, 2, line_search)
        state = full_ogr.init(prm, x0, 0.0, g0)
        state, _, scaled = full_ogr.direction(state, prm, None, x0, 0.0, g0)
        assert not scaled  # one sample: no estimate yet
        state = full_ogr.update(state, prm, x1 - x0, g1 - g0, 1.0, x0, g0)
        state, p, scaled = full_ogr.direction(state, prm, None, x1, 0.0, g1)
        assert scaled
        H = full_ogr.estimate(state, prm, x1)[1]
        mom = g0 + 0.1 * (g1 - g0)
        u = x1 - x0  # two samples: the estimate is right along u only (H u = A u), indefinite here
        np.testing.assert_allclose(H @ u, A @ u, rtol=1e-9)
        expected = saddle_free_step(H, g1 if expect_fallback else mom, 1e-6)[0]
        assert g1 @ saddle_free_step(H, mom, 1e-6)[0] > 0  # the momentum step would ascend
        np.testing.assert_allclose(p, expected, rtol=1e-12)


def test_subspace_rotation_rule():
    rng = np.random.default_rng(11)
    n, d = 8, 3
    V = initial_basis(rng.standard_normal(n), d)
    C_uu, C_wu = np.eye(d), np.diag([1.0, 2.0, 3.0])
    V_old, y = V.copy(), rng.standard_normal(n)
    full_uu, full_wu = V_old.T @ C_uu @ V_old, V_old.T @ C_wu @ V_old
    regression.rotate(V, C_uu, C_wu, y, 1.0)
    np.testing.assert_allclose(V @ V.T, np.eye(d), atol=1e-14)
    # directions of span(V) orthogonal to y stay in the span
    yh = y / np.linalg.norm(y)
    Z = scipy.linalg.null_space((V_old @ yh)[None, :])  # coefficients of span(V) ⟂ y (d − 1 of them)
    for z in (V_old.T @ Z).T:
        np.testing.assert_allclose(V.T @ (V @ z), z, atol=1e-13)
    # the span turns toward y: its largest cosine with ŷ grows
    assert np.linalg.norm(V @ yh) > np.linalg.norm(V_old @ yh)
    # the statistics are the old ones projected on the new span: C ← R C Rᵀ, R = V⁺Vᵀ
    np.testing.assert_allclose(C_uu, V @ full_uu @ V.T, atol=1e-14)
    np.testing.assert_allclose(C_wu, V @ full_wu @ V.T, atol=1e-14)


def test_default_beta_keeps_n_plus_1_samples_in_the_window():
    assert default_beta(2) == 0.5 and default_beta(19) == 0.5
    assert default_beta(49) == pytest.approx(0.2)
    weights = [(1 - default_beta(n)) ** (n + 1) for n in range(1, 3000)]
    assert min(weights) == pytest.approx(0.5 ** 20)  # at n = 19; far above the relative ε = 1e-10
    assert weights[-1] == pytest.approx(np.exp(-10), rel=0.05)


def test_initial_basis_is_orthonormal_and_starts_with_the_gradient():
    g = np.arange(1.0, 11.0)
    V = initial_basis(g, 4)
    np.testing.assert_allclose(V @ V.T, np.eye(4), atol=1e-14)
    np.testing.assert_allclose(V[0], g / np.linalg.norm(g), rtol=1e-14)
    np.testing.assert_array_equal(V, initial_basis(g, 4))  # deterministic
    full = initial_basis(g, 10)  # d = n: a complete orthonormal basis
    np.testing.assert_allclose(full @ full.T, np.eye(10), atol=1e-13)
    np.testing.assert_allclose(full[:4], V, atol=1e-14)


# -- full OGR ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_quadratic_solved_and_hessian_learned(line_search):
    n = 6
    A, b = random_spd(n, 100.0, seed=1)
    res = minimize(**quadratic(A, b), x0=np.zeros(n), method="ogr", line_search=line_search,
                   options={"gtol": 1e-8, "trace": True})
    assert res.success, res.message
    assert res.nit <= n + 4
    assert np.linalg.norm(res.jac) < 1e-8
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=0, atol=3e-8)  # λ_min(A) = 1
    err = res.trace["hess_error"]
    assert np.isnan(err[0])  # no estimate from one sample
    assert err[1] > 0.3 and err[-1] < 1e-5  # from a rank-1 guess to A
    assert np.min(err[n + 1:]) < 1e-5  # learned once n + 1 samples are in
    np.testing.assert_allclose(res.hess, A, rtol=1e-5, atol=1e-5 * np.abs(A).max())
    assert res.nhev == 0  # the exact Hessian only feeds the trace


def test_fifty_dim_quadratic_needs_the_n_dependent_beta():
    n = 50
    A, b = random_spd(n, 1e3, seed=5)
    q = quadratic(A, b)
    del q["hess"]
    for line_search in ("wolfe", None):
        res = minimize(**q, x0=np.zeros(n), method="ogr", line_search=line_search, options={"gtol": 1e-6})
        assert res.success and res.nit <= n + 15  # measured 57 (wolfe), 53 (fixed step)
        # β = 0.5: 0.5^51 ≈ 4e-16, the first directions fall out of the window before H is complete
        slow = minimize(**q, x0=np.zeros(n), method="ogr", line_search=line_search,
                        options={"gtol": 1e-6, "beta": 0.5, "maxiter": 1000})
        assert slow.nit > 2 * res.nit  # measured 302 and 136


@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_rosenbrock_from_standard_start(line_search):
    res = minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search=line_search,
                   options={"gtol": 1e-8, "trace": True})
    assert res.success, res.message
    assert res.fun < 1e-10
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-5)
    assert res.nit < 150  # measured: 64 (wolfe), 64 (armijo), 90 (fixed step); BFGS 41 / 48 / 76
    tr = res.trace
    assert len(tr["f"]) == res.nit + 1
    # the trace's error is the one of res.hess against the exact Hessian at res.x
    H = get("rosenbrock").hess(res.x)
    assert tr["hess_error"][-1] == pytest.approx(np.linalg.norm(res.hess - H) / np.linalg.norm(H), rel=1e-12)
    # not → 0: the EMA freezes on old, far samples once the iterates converge (module docstring,
    # "Known behaviour"); measured 0.68 / 0.40 / 0.04
    assert tr["hess_error"][-1] < 0.8


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_saddle_free_leaves_the_saddle(method, line_search):
    x0 = np.array([0.5, 1e-3])
    # pure Newton from x0 goes to the saddle (0, 0)
    x = x0.copy()
    for _ in range(8):
        x = x - np.linalg.solve(saddle_h(x), saddle_g(x))
    np.testing.assert_allclose(x, [0.0, 0.0], atol=1e-12)
    res = minimize(saddle_f, x0, method=method, jac=saddle_g, hess=saddle_h, line_search=line_search,
                   options={"gtol": 1e-7, "trace": True})
    assert res.success, res.message
    np.testing.assert_allclose(np.abs(res.x), [0.0, np.sqrt(2.0)], atol=1e-6)
    assert res.fun == pytest.approx(-1.0, abs=1e-12)
    assert np.all(np.abs(res.trace["x"][1:, 1]) > np.abs(x0[1]))  # never back toward y = 0


def test_the_estimate_sees_the_negative_curvature_and_the_step_ignores_its_sign():
    x0 = np.array([0.5, 1e-3])
    res = minimize(saddle_f, x0, method="ogr", jac=saddle_g, line_search=None, options={"maxiter": 2})
    # iterates (0.5, 0.001) → (−0.5, 0.003) (warm-up) → (−0.498, 1.003) (the y-curvature was still
    # unseen: floor and cap); now the samples span y and the estimate's y-curvature is the secant
    # slope of g_y = −2y + y³ over them, about −2 + (mean y²) ≈ −1
    x2, H = res.x, res.hess
    assert x2[1] == pytest.approx(1.003, abs=1e-3)
    l, Q = np.linalg.eigh(H)
    assert l[0] < -0.9 and abs(Q[1, 0]) > 0.999 and l[1] == pytest.approx(2.0, rel=1e-3)
    g2 = saddle_g(x2)
    newton = -np.linalg.solve(H, g2)
    assert abs(x2[1] + newton[1]) < 0.05  # Newton with the same estimate goes back to the saddle
    step, _ = saddle_free_step(H, g2, 1e-6)
    assert x2[1] + step[1] > 1.9  # the saddle-free step goes on, away from it
    res3 = minimize(saddle_f, x0, method="ogr", jac=saddle_g, line_search=None, options={"maxiter": 3})
    np.testing.assert_allclose(res3.x, x2 + step / max(1.0, np.linalg.norm(step)), rtol=1e-12)


def test_warm_up_is_a_capped_gradient_step():
    tf = get("rosenbrock")
    x0 = np.array([-1.2, 1.0])
    g0 = tf.grad(x0)
    res = minimize(tf, x0, method="ogr", line_search=None, options={"maxiter": 1, "lr": 0.5, "max_step": 0.1})
    np.testing.assert_allclose(res.x, x0 - 0.5 * 0.1 * g0 / np.linalg.norm(g0), rtol=1e-15)
    res = minimize(tf, x0, method="ogr", line_search=None,
                   options={"maxiter": 1, "lr": 1e-3, "max_step": 1e6})
    np.testing.assert_allclose(res.x, x0 - 1e-3 * g0, rtol=1e-15)


def test_max_step_caps_every_step():
    res = minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search=None,
                   options={"max_step": 0.05, "lr": 1.0, "trace": True, "maxiter": 300, "gtol": 1e-6})
    steps = np.linalg.norm(np.diff(res.trace["x"], axis=0), axis=1)
    assert steps.max() <= 0.05 * (1 + 1e-12)
    assert np.sum(steps > 0.0499) >= 5  # the cap was active
    assert res.success, res.message


@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_momentum(line_search):
    plain = minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search=line_search, options={"gtol": 1e-8})
    res = minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search=line_search,
                   options={"gtol": 1e-8, "momentum": 0.5})
    assert res.success, res.message
    assert res.fun < 1e-10
    assert res.nit != plain.nit  # momentum changes the path (measured: 78/74/122 vs 64/64/90)
    same = minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search=line_search,
                    options={"gtol": 1e-8, "momentum": 1.0})  # γ = 1: m = g (up to rounding)
    assert same.nit == plain.nit
    np.testing.assert_allclose(same.x, plain.x, rtol=1e-13)


# -- diagonal OGR -------------------------------------------------------------------------------------


@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_diag_on_separable_ill_conditioned_quadratic(line_search):
    d = np.array([1.0, 100.0, 1e4])
    A, b = np.diag(d), np.ones(3)
    res = minimize(**quadratic(A, b), x0=np.zeros(3), method="ogr-diag", line_search=line_search,
                   options={"gtol": 1e-10, "trace": True})
    assert res.success, res.message
    assert res.nit <= 4  # warm-up, then the exact diagonal Newton step
    np.testing.assert_allclose(res.x, b / d, rtol=1e-10)
    # with a line search the warm-up step is short and the stiff coordinate's spread is ~1e-8 of
    # the largest: the relative ε = 1e-12 then biases H_33 by ~1e-4 (module docstring)
    np.testing.assert_allclose(res.hess_diag, d, rtol=1e-8 if line_search is None else 1e-3)
    np.testing.assert_array_equal(res.hess, np.diag(res.hess_diag))
    assert res.trace["hess_error"][-1] < (1e-8 if line_search is None else 1e-3)
    gd = minimize(**quadratic(A, b), x0=np.zeros(3), method="gd", line_search="wolfe",
                  options={"gtol": 1e-10, "maxiter": 200})
    assert not gd.success  # plain gradient descent: κ = 10⁴


def test_diag_estimates_the_diagonal_only():
    # on a non-separable quadratic the per-coordinate slopes are not the Hessian diagonal in general,
    # so the trace error stays O(1); the run still converges with a line search
    A, b = random_spd(4, 10.0, seed=2)
    for line_search in LINE_SEARCHES:
        res = minimize(**quadratic(A, b), x0=np.zeros(4), method="ogr-diag", line_search=line_search,
                       options={"gtol": 1e-6, "trace": True})
        assert res.success, res.message
        assert res.nit < 60  # measured 38 / 32 / 38
        assert res.trace["hess_error"][-1] > 0.1  # measured 0.55 / 0.51 / 0.68
    assert np.count_nonzero(res.hess - np.diag(np.diag(res.hess))) == 0


# -- subspace OGR -------------------------------------------------------------------------------------


def few_large_eigenvalues(n=50, seed=0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.concatenate([[1000.0, 300.0, 100.0], rng.uniform(1.0, 2.0, n - 3)])
    return (Q * lam) @ Q.T, rng.standard_normal(n), Q[:, :3]


@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_subspace_on_50d_quadratic_with_few_large_eigenvalues(line_search):
    A, b, top = few_large_eigenvalues()
    res = minimize(**quadratic(A, b), x0=np.zeros(50), method="ogr-subspace", line_search=line_search,
                   options={"gtol": 1e-5, "trace": True})
    assert res.success, res.message
    assert res.nit < 100  # measured 57 / 51 / 66; BFGS 87 / 87 / 71
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), atol=1e-5)
    V = res.basis
    assert V.shape == (5, 50)
    np.testing.assert_allclose(V @ V.T, np.eye(5), atol=1e-12)
    assert np.linalg.norm(V @ top) ** 2 / 3 > 0.95  # the basis found the three stiff directions
    l = np.sort(np.linalg.eigvalsh(res.hess_subspace))
    # the d × d regression is biased by the motion outside span(V) and by the rotated statistics:
    # measured (56, 223, 779) / (115, 269, 970) / (110, 290, 911) for (100, 300, 1000)
    ratio = l[-3:] / [100.0, 300.0, 1000.0]
    assert np.all(ratio > 0.4) and np.all(ratio < 2.5)
    assert np.all(l[:2] < 3.0)
    err = res.trace["hess_error"]
    assert err[1] > 0.9 and err[-1] < 0.5
    np.testing.assert_allclose(res.hess, V.T @ res.hess_subspace @ V)


def test_subspace_with_fixed_outside_rate():
    A, b, _ = few_large_eigenvalues()
    res = minimize(**quadratic(A, b), x0=np.zeros(50), method="ogr-subspace", line_search="wolfe",
                   options={"gtol": 1e-5, "lr_out": 0.5, "maxiter": 2000})
    assert res.success, res.message
    assert res.nit < 100  # measured 52: 0.5 < 2/λ for the outside eigenvalues λ ∈ [1, 2]


def test_subspace_with_d_equal_n_is_full_ogr():
    A, b = random_spd(4, 30.0, seed=7)
    q = quadratic(A, b)
    x0 = np.array([1.0, -2.0, 0.5, 3.0])
    for line_search in LINE_SEARCHES:
        opts = {"trace": True, "gtol": 0.0, "maxiter": 6}
        full = minimize(**q, x0=x0, method="ogr", line_search=line_search, options=opts)
        sub = minimize(**q, x0=x0, method="ogr-subspace", line_search=line_search, options={**opts, "d": 4})
        assert sub.nit == full.nit == 6
        # the same numbers by another road (a rotated basis, an eigendecomposition of Cθθ where
        # ogr follows its basis by rank-one updates): equal up to rounding, amplified in the
        # first, rank-deficient iterations, whose steps go through floored near-zero curvatures
        # of H and the cap (measured 6e-4; the textbook road of lyapunov_hessian and
        # saddle_free_step differs from either by as much)
        np.testing.assert_allclose(sub.trace["x"], full.trace["x"], rtol=3e-3, atol=1e-8)
        np.testing.assert_allclose(sub.hess, full.hess, rtol=0, atol=1e-6 * np.abs(A).max())


# -- bookkeeping: counts, failures, options -----------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("line_search", LINE_SEARCHES)
def test_counts_equal_the_calls(method, line_search):
    tf = get("rosenbrock", n=4)
    c = Counting(tf)
    res = minimize(c.f, tf.x0, jac=c.g, hess=tf.hess, method=method, line_search=line_search,
                   options={"maxiter": 40, "trace": True})
    assert (res.nfev, res.njev) == (c.nf, c.ng)
    assert res.nfev >= res.nit + 1
    assert res.nhev == 0


def first_iteration_past(method, threshold):
    """The iteration at which x[0] first exceeds threshold on Rosenbrock (fixed step, clean run)."""
    res = minimize("rosenbrock", [-1.2, 1.0], method=method, line_search=None,
                   options={"trace": True, "lr": 0.01, "maxiter": 300})
    return int(np.argmax(res.trace["x"][:, 0] > threshold))


@pytest.mark.parametrize("method", METHODS)
def test_nan_mid_run_ends_with_failure_naming_the_iteration(method):
    tf = get("rosenbrock")
    k = first_iteration_past(method, -1.1)
    assert k > 1

    def f(x):
        return np.nan if x[0] > -1.1 else tf.f(x)

    res = minimize(f, tf.x0, jac=tf.grad, method=method, line_search=None,
                   options={"lr": 0.01, "maxiter": 300})
    assert not res.success and res.status == 3
    assert f"iteration {k}" in res.message
    assert np.all(np.isfinite(res.x)) and res.x[0] <= -1.1 and np.isfinite(res.fun)
    assert res.nit == k


def test_inf_gradient_and_nan_at_start():
    res = minimize(lambda x: x @ x, np.ones(2), jac=lambda x: np.full(2, np.inf) if x[0] < 0.5 else 2 * x,
                   method="ogr", line_search=None, options={"lr": 0.4, "max_step": 10.0})  # x₁ = (0.2, 0.2)
    assert not res.success and res.status == 3 and "iteration 1" in res.message
    res = minimize(lambda x: np.nan, np.ones(2), jac=lambda x: np.ones(2), method="ogr")
    assert not res.success and "starting point" in res.message


def test_line_search_failure_is_reported():
    # a gradient inconsistent with f: no step ever gives sufficient decrease
    res = minimize(lambda x: x @ x, np.ones(2), jac=lambda x: -2 * x, method="ogr", line_search="wolfe")
    assert not res.success and res.status == 2 and "iteration 1" in res.message


@pytest.mark.parametrize(
    "method,options",
    [
        ("ogr", {"beta": 0.0}),
        ("ogr", {"beta": 1.0}),
        ("ogr", {"beta": -0.2}),
        ("ogr", {"beta": "0.3"}),
        ("ogr", {"eps": 0.0}),
        ("ogr", {"eps_l": -1e-6}),
        ("ogr", {"lr": 0.0}),
        ("ogr", {"lr": np.inf}),
        ("ogr", {"max_step": 0.0}),
        ("ogr", {"momentum": 0.0}),
        ("ogr", {"momentum": 1.5}),
        ("ogr", {"c1": 0.95}),
        ("ogr", {"gtol": -1.0}),
        ("ogr", {"maxiter": -1}),
        ("ogr", {"maxiter": 2.5}),
        ("ogr", {"norm": 0.5}),
        ("ogr", {"trace": "yes"}),
        ("ogr", {"d": 2}),
        ("ogr", {"step": 1.0}),
        ("ogr-diag", {"eps_l": np.nan}),
        ("ogr-subspace", {"d": 0}),
        ("ogr-subspace", {"d": 5}),  # n = 4
        ("ogr-subspace", {"d": 2.0}),
        ("ogr-subspace", {"eta": 0.0}),
        ("ogr-subspace", {"lr_out": -1.0}),
    ],
)
def test_bad_options(method, options):
    with pytest.raises((TypeError, ValueError), match="option"):
        minimize("rosenbrock", np.array([-1.2, 1.0, -1.2, 1.0]), method=method, options=options)


def test_bad_options_name_the_option():
    with pytest.raises(ValueError, match=r"unknown options for ogr: \['step'\]"):
        minimize("rosenbrock", [-1.2, 1.0], method="ogr", options={"step": 0.1})
    with pytest.raises(ValueError, match=r"options\['beta'\] must lie in \(0, 1\); got 2"):
        minimize("rosenbrock", [-1.2, 1.0], method="ogr", options={"beta": 2.0})
    with pytest.raises(ValueError, match="line_search must be one of"):
        minimize("rosenbrock", [-1.2, 1.0], method="ogr", line_search="exact")


@pytest.mark.parametrize("method", METHODS)
def test_callback_and_result_fields(method):
    seen = []
    res = minimize("beale", [1.0, 1.0], method=method, callback=lambda x: seen.append(x),
                   options={"gtol": 1e-8})
    assert res.success, res.message
    assert len(seen) == res.nit
    np.testing.assert_array_equal(seen[-1], res.x)
    np.testing.assert_allclose(res.x, [3.0, 0.5], atol=1e-6)
    assert res.hess.shape == (2, 2)
    assert "trace" not in res


# -- the fast road (followed eigenbasis, Cholesky step) against the textbook one ---------------------


@pytest.mark.parametrize("name, n", [("extended_rosenbrock", 6), ("trigonometric", 8), ("broyden_banded", 10)])
def test_followed_basis_and_cholesky_step_match_the_textbook_solve(name, n):
    """At every iteration of a run, ogr's estimate O M Oᵀ (eigenbasis of Cθθ followed by rank-one
    updates, refreshed every n) equals lyapunov_hessian on the same statistics (a fresh eigh), and
    its step (Cholesky when M − δ̂I is positive definite, else eigh of M) equals saddle_free_step on
    that H; both branches of the step occur."""
    import types

    from refopt.optim.loop import Loop

    tf = get(name, n=n)
    opt = check("ogr", full_ogr.OPTIONS, {"maxiter": 6 * n, "gtol": 1e-10, "numba": False}, n)
    prm = full_ogr.params(opt, n, "wolfe")
    seen = {"cholesky": 0, "eigh": 0}
    errors = []

    def checked(state, params, ev, x, f, g):
        state, p, scaled = full_ogr.direction(state, params, ev, x, f, g)
        if state.has:
            H_ref = lyapunov_hessian(state.C_tt, state.C_gt, prm.eps)
            scale = np.linalg.norm(H_ref)
            errors.append(np.linalg.norm(full_ogr.estimate(state, params, x)[1] - H_ref) / scale)
            step_ref = regression.cap(saddle_free_step(H_ref, g, prm.eps_l)[0], prm.max_step)
            # both roads are backward stable: they differ by rounding amplified by cond(Cθθ + εI)
            # (measured ≤ 2e-16·cond) and, for the step, by the condition κ of the floored |H|
            lc = np.linalg.eigvalsh(state.C_tt)
            lc = np.maximum(lc, 0.0) + prm.eps * lc[-1]
            cond_c = lc[-1] / lc[0]
            curv = np.abs(np.linalg.eigvalsh(H_ref))
            kappa = curv.max() / max(curv.min(), prm.eps_l * max(1.0, curv.max()))
            assert errors[-1] <= 1e-14 * cond_c
            assert np.linalg.norm(p - step_ref) <= 1e-14 * cond_c * kappa * np.linalg.norm(step_ref)
            shift = prm.eps_l * max(1.0, np.linalg.norm(state.M))
            seen["cholesky" if np.all(np.linalg.eigvalsh(state.M) > shift) else "eigh"] += 1
        return state, p, scaled

    method = types.SimpleNamespace(**{k: getattr(full_ogr, k) for k in dir(full_ogr)})
    method.direction = checked
    res = Loop(method).run(Objective(tf.f, n, tf.grad, tf.hess), tf.x0.copy(), opt, "wolfe")
    assert res.nit > 2 * n  # past at least one refresh of the basis
    assert seen["cholesky"] > 0 and seen["eigh"] > 0, seen


@pytest.mark.parametrize("scale", [1e-100, 1e-80, 1e-40])
def test_ogr_does_not_depend_on_the_units_of_x(scale):
    """f(x) = ½ (x/s)ᵀA(x/s) − bᵀ(x/s) in units s ≤ 1: the same run as s = 1, in the same number
    of iterations (ε and the floor are relative, the cap is given in those units, the eigenbasis
    update rescales its secular problem; before it did, s = 1e-80 ended in a failed line search).
    Units s ≫ 1 are not invariant: the shared first trial step 1.01/‖∇f₀‖ (loop.py, scipy's
    convention) is then far too short."""
    A, b = random_spd(20, 100.0, seed=12)
    runs = []
    for s in (1.0, scale):
        q = dict(fun=lambda x, s=s: 0.5 * (x / s) @ A @ (x / s) - b @ (x / s),
                 jac=lambda x, s=s: (A @ (x / s) - b) / s)
        res = minimize(**q, x0=np.full(20, s), method="ogr",
                       options={"max_step": 10.0 * s, "gtol": 1e-9 / s, "maxiter": 500})
        assert res.success, res.message
        runs.append(res)
    assert runs[1].nit == runs[0].nit
    np.testing.assert_allclose(runs[1].x / scale, runs[0].x, rtol=1e-6)


@pytest.mark.parametrize("method", ["bfgs", "gd", "newton", "ogr", "ogr-diag", "ogr-subspace"])
@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_a_non_finite_first_gradient_ends_the_run_at_the_start(method, bad):
    """The first state is made from ∇f(x₀) before the loop checks it: an inf or NaN there must
    still end the run with status 3 (once, ogr-subspace's basis looped forever on an inf)."""
    for d in ((None, 1) if method == "ogr-subspace" else (None,)):
        options = {"d": d} if d is not None else {}
        res = minimize(lambda x: float(x @ x), np.ones(3), method=method, options=options,
                       jac=lambda x: np.r_[bad, 2 * x[1:]], hess=lambda x: 2 * np.eye(3))
        assert res.status == 3 and "starting point" in res.message


def test_gradient_regression_before_and_after_its_first_sample():
    reg = GradientRegression(3, 0.5)
    assert reg.count == 0 and reg.hessian(1e-12) is None
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        reg.add(np.ones(5), np.ones(5))
    reg.add(np.ones(3), np.ones(3))
    assert reg.count == 1 and reg.beta == 0.5


def test_scalar_bounds_hold_for_every_coordinate():
    tf = get("rastrigin", n=6)
    res = minimize(tf, np.full(6, 4.0), method="ogr", options={"bounds": (-5.12, 5.12), "maxiter": 50})
    box = minimize(tf, np.full(6, 4.0), method="ogr",
                   options={"bounds": (np.full(6, -5.12), np.full(6, 5.12)), "maxiter": 50})
    np.testing.assert_array_equal(res.x, box.x)


# ---- the authors' variant: the prior start, an absolute ε, no floor, the cap after the step ------
def _lyapunov(C, G):
    """H with H C + C H = G + Gᵀ (scipy's continuous Lyapunov solver, independent of refopt)."""
    from scipy.linalg import solve_continuous_lyapunov

    H = solve_continuous_lyapunov(C, G + G.T)
    return 0.5 * (H + H.T)


def _authors_steps(A, b, x0, beta, lr, cap, eps, steps, diagonal=False):
    """Hand-written OGR from the prior θ̄ = ḡ = 0, Cθθ = Cgθ = I on f = ½xᵀAx − bᵀx: EMA updates,
    H from the Lyapunov equation on Cθθ + εI (or H_ii = Cgθ,ii/(Cθθ,ii + ε)), Δ = −Q|L|⁻¹Qᵀg with
    no floor, x⁺ = x + lr Δ, then ‖x⁺ − x‖ capped."""
    n = x0.size
    tb, gb, C, G = np.zeros(n), np.zeros(n), np.eye(n), np.eye(n)
    x, xs = x0.copy(), [x0.copy()]
    for _ in range(steps + 1):
        g = A @ x - b
        tb, gb = tb + beta * (x - tb), gb + beta * (g - gb)
        dt, dg = x - tb, g - gb
        C, G = C + beta * (np.outer(dt, dt) - C), G + beta * (np.outer(dg, dt) - G)
        if len(xs) > steps:
            break
        if diagonal:
            delta = -g / np.abs(np.diag(G) / (np.diag(C) + eps))
        else:
            lam, Q = np.linalg.eigh(_lyapunov(C + eps * np.eye(n), G))
            delta = -Q @ ((Q.T @ g) / np.abs(lam))
        step = lr * delta
        if np.linalg.norm(step) > cap:
            step *= cap / np.linalg.norm(step)
        x = x + step
        xs.append(x.copy())
    return np.array(xs)


@pytest.mark.parametrize("method", ["ogr", "ogr-diag"])
@pytest.mark.parametrize("lr,cap", [(0.6, 2.5), (0.5, 0.3)])
def test_prior_start_reproduces_hand_computed_steps(method, lr, cap):
    """init="prior" with the authors' settings (β = 0.2, absolute ε = 1e-12, no floor, the cap after
    lr): the first two steps on a 2-D quadratic equal the hand-written recursion."""
    A = np.array([[3.0, 0.8], [0.8, 1.0]]) if method == "ogr" else np.diag([3.0, 0.5])
    b = np.array([1.0, -2.0])
    x0 = np.array([1.5, -0.7])
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, x0, jac=lambda x: A @ x - b, method=method,
                   line_search=None, options={"init": "prior", "beta": 0.2, "eps": 1e-12, "eps_scale": "absolute",
                                              "eps_l": 0.0, "lr": lr, "max_step": cap, "cap": "step",
                                              "maxiter": 2, "gtol": 0.0, "trace": True})
    hand = _authors_steps(A, b, x0, 0.2, lr, cap, 1e-12, 2, diagonal=method == "ogr-diag")
    np.testing.assert_allclose(res.trace["x"], hand, rtol=1e-12, atol=1e-14)
    # the prior is not the first sample: the first step already differs from the warm-up step
    first = minimize(lambda x: 0.5 * x @ A @ x - b @ x, x0, jac=lambda x: A @ x - b, method=method,
                     line_search=None, options={"lr": lr, "max_step": cap, "maxiter": 1, "gtol": 0.0})
    assert not np.allclose(first.x, hand[1])


def test_cap_after_the_line_search_bounds_every_step():
    tf = get("rosenbrock")
    res = minimize(tf, [-1.2, 1.0], method="ogr", line_search="armijo",
                   options={"cap": "step", "max_step": 0.1, "maxiter": 50, "trace": True})
    steps = np.linalg.norm(np.diff(res.trace["x"], axis=0), axis=1)
    assert steps.max() <= 0.1 * (1 + 1e-12) and np.isclose(steps.max(), 0.1)
    for method in ("ogr", "ogr-diag"):  # the compiled and the plain run of the authors' variant agree
        fast, plain = (minimize(tf, [-1.2, 1.0], method=method, line_search="armijo",
                                options={"cap": "step", "max_step": 0.1, "init": "prior", "eps_scale": "absolute",
                                         "eps_l": 0.0, "numba": numba}) for numba in (True, False))
        np.testing.assert_array_equal(fast.x, plain.x)
        assert (fast.nit, fast.nfev, fast.message) == (plain.nit, plain.nfev, plain.message)


def test_fixed_step_cap_is_applied_before_the_one_evaluation():
    """cap="step" with a fixed lr: each step is shortened before f is evaluated, so one evaluation
    per step (nfev = nit + 1), and a step whose uncapped point is not finite does not end the run."""
    calls = []

    def f(x):
        calls.append(x.copy())
        return float(np.exp(min(x @ x, 800.0)) if x @ x < 700.0 else np.inf)

    def jac(x):
        return 2.0 * x * np.exp(x @ x) if x @ x < 700.0 else np.full(x.size, np.inf)

    x0 = np.array([1.0, -0.5])
    for numba in (True, False):
        calls.clear()
        res = minimize(f, x0, jac=jac, method="ogr", line_search=None,
                       options={"lr": 100.0, "max_step": 0.2, "cap": "step", "maxiter": 8, "gtol": 0.0,
                                "trace": True, "numba": numba})
        assert res.status == 1, res.message  # ran its 8 steps: the uncapped points (|x| ~ 100) never evaluated
        assert res.nfev == res.nit + 1 == len(calls)
        assert max(np.linalg.norm(c) for c in calls) < 1.2
        steps = np.linalg.norm(np.diff(res.trace["x"], axis=0), axis=1)
        assert steps.max() <= 0.2 * (1 + 1e-12)


def test_prior_is_refused_by_the_subspace_variant():
    with pytest.raises(ValueError, match="init"):
        minimize("rosenbrock", [-1.2, 1.0], method="ogr-subspace", options={"init": "prior"})
