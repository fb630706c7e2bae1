"""Partition-summary Newton (Wolinski 2023): its limits (Newton, Cauchy), its summary against the
full Hessian, its invariance to rescaling a group, its cubic step, statuses and both runs."""
import numpy as np
import pytest

from refopt import MLP, minimize
from refopt.optim.partition_newton import cubic_rates, group_labels

A = np.array([[3.0, 1.0, 0.5, 0.0], [1.0, 2.0, 0.2, 0.1], [0.5, 0.2, 1.5, -0.3], [0.0, 0.1, -0.3, 1.0]])
B = np.array([1.0, -2.0, 0.5, 0.3])
X0 = np.array([0.3, 0.7, -1.0, 0.4])


def quartic(x):
    """A convex non-quadratic function: ½xᵀAx − bᵀx + ¼Σx⁴ (its Hessian changes with x)."""
    return 0.5 * x @ A @ x - B @ x + 0.25 * np.sum(x ** 4)


def quartic_grad(x):
    return A @ x - B + x ** 3


def quartic_hess(x):
    return A + np.diag(3 * x ** 2)


def one_step(groups=None, **kw):
    opts = {"maxiter": 1, "gtol": 0.0, **({} if groups is None else {"groups": groups}), **kw}
    return minimize(quartic, X0, method="partition-newton", jac=quartic_grad, hess=quartic_hess,
                    line_search=None, options=opts)


def net():
    rng = np.random.default_rng(3)
    mlp = MLP([3, 4, 2], "tanh")
    X = rng.standard_normal((20, 3))
    y = rng.standard_normal((20, 2))
    return mlp, mlp.objective(X, y), mlp.init(1)


def test_singleton_groups_give_newtons_step():
    g, H = quartic_grad(X0), quartic_hess(X0)
    newton = X0 - np.linalg.solve(H, g)
    res = one_step()  # the default groups of a callable: one per coordinate
    np.testing.assert_allclose(res.x, newton, rtol=1e-13, atol=1e-14)
    # on a network, the objective's HVPs in place of a formed Hessian
    mlp, obj, x0 = net()
    res = minimize(obj, x0, method="partition-newton", line_search=None,
                   options={"maxiter": 1, "gtol": 0.0, "groups": [[i] for i in range(obj.n)]})
    g, H = obj.grad(x0), obj.hess(x0)
    np.testing.assert_allclose(res.x, x0 - np.linalg.solve(H, g), rtol=1e-9, atol=1e-11)
    assert res.nhev == obj.n  # one product per group


def test_one_group_gives_the_cauchy_step():
    g, H = quartic_grad(X0), quartic_hess(X0)
    res = one_step([[0, 1, 2, 3]])
    np.testing.assert_allclose(res.x, X0 - (g @ g) / (g @ H @ g) * g, rtol=1e-14)
    assert res.rates.shape == (1,)
    np.testing.assert_allclose(res.rates[0], (g @ g) / (g @ H @ g), rtol=1e-14)


def test_summary_against_the_full_hessian():
    mlp, obj, x0 = net()
    res = minimize(obj, x0, method="partition-newton", line_search=None, options={"maxiter": 1, "gtol": 0.0})
    g, H = obj.grad(x0), obj.hess(x0)
    U = np.zeros((obj.n, len(obj.groups)))
    for s, grp in enumerate(obj.groups):
        U[grp, s] = g[grp]
    scale = np.max(np.abs(U.T @ H @ U))
    np.testing.assert_allclose(res.summary_hess, U.T @ H @ U, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(res.summary_grad, U.T @ g, rtol=1e-13)
    eta = np.linalg.solve(U.T @ H @ U, U.T @ g)
    np.testing.assert_allclose(res.x, x0 - U @ eta, rtol=1e-9, atol=1e-12)
    assert len(obj.groups) == 4 and obj.group_names == ["W0", "b0", "W1", "b1"]


def test_invariant_to_rescaling_a_group():
    """f'(x') = f(Cx') with C scaling group s by c: the step mapped back by C is the same."""
    groups = [[0, 1], [2], [3]]
    for c in (1e-3, 7.0):
        C = np.array([c, c, 1.0, 1.0])
        res = one_step(groups, momentum=0.5)
        res2 = minimize(lambda z: quartic(C * z), X0 / C, method="partition-newton",
                        jac=lambda z: C * quartic_grad(C * z), hess=lambda z: C[:, None] * quartic_hess(C * z) * C,
                        line_search=None, options={"maxiter": 1, "gtol": 0.0, "groups": groups, "momentum": 0.5})
        np.testing.assert_allclose(C * res2.x, res.x, rtol=1e-12)


def test_singular_summary_is_a_status_not_a_nan_step():
    f = lambda x: 0.5 * (x[0] + x[1]) ** 2  # noqa: E731  H = [[1, 1], [1, 1]]
    jac = lambda x: np.full(2, x[0] + x[1])  # noqa: E731
    hess = lambda x: np.ones((2, 2))  # noqa: E731
    res = minimize(f, [1.0, 2.0], method="partition-newton", jac=jac, hess=hess, line_search=None)
    assert res.status == 5 and not res.success
    assert "singular" in res.message and "ridge" in res.message
    res = minimize(f, [1.0, 2.0], method="partition-newton", jac=jac, hess=hess, line_search=None,
                   options={"ridge": 1e-3, "maxiter": 5})
    assert res.status in (0, 1) and np.all(np.isfinite(res.x))


def test_groups_are_checked():
    assert list(group_labels([[2, 0], [1]], 3)) == [0, 1, 0]
    for bad, word in (([[0], [0, 1]], "overlap"), ([[0]], "leaves 1 indices out"), ([[], [0, 1]], "empty"),
                      ([[0, 1], [2]], "outside"), ([[0, 0], [1]], "twice")):
        with pytest.raises(ValueError, match=word):
            group_labels(bad, 2)


def test_cubic_rates_solve_their_equation():
    """η = (H̄ + ½λ‖Dη‖D²)⁻¹ḡ holds at the returned η, H̄ + ½λ‖Dη‖D² ⪰ 0 (the largest-norm
    solution), for a definite and an indefinite H̄."""
    rng = np.random.default_rng(0)
    for shift in (3.0, -2.0):
        M = rng.standard_normal((4, 4))
        Hbar = M @ M.T / 4 + shift * np.eye(4)
        gbar, D, lam = rng.standard_normal(4), np.abs(rng.standard_normal(4)) + 0.1, 2.5
        eta, code = cubic_rates(Hbar, gbar, D, lam, 0.0, np.ones(4, dtype=bool))
        assert code == 0
        r = np.linalg.norm(D * eta)
        K = Hbar + 0.5 * lam * r * np.diag(D ** 2)
        np.testing.assert_allclose(K @ eta, gbar, rtol=1e-10, atol=1e-12)
        assert np.linalg.eigvalsh(K).min() > -1e-12
    # D = 0: no third-order change, the plain rates
    eta, _ = cubic_rates(Hbar + 5 * np.eye(4), gbar, np.zeros(4), 2.5, 0.0, np.ones(4, dtype=bool))
    np.testing.assert_allclose(eta, np.linalg.solve(Hbar + 5 * np.eye(4), gbar), rtol=1e-12)


def test_cubic_needs_third_derivatives():
    with pytest.raises(ValueError, match="lambda_int"):
        minimize("rosenbrock", [-1.2, 1.0], method="partition-newton", options={"lambda_int": 1.0})


def test_compiled_and_plain_runs_agree():
    a = minimize("rosenbrock", [-1.2, 1.0], method="partition-newton", options={"trace": True})
    b = minimize("rosenbrock", [-1.2, 1.0], method="partition-newton", options={"trace": True, "numba": False})
    assert a.success and np.allclose(a.x, 1.0, atol=1e-6)
    assert (a.nit, a.nfev, a.nhev, a.message) == (b.nit, b.nfev, b.nhev, b.message)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.trace["f"], b.trace["f"])


def test_third_derivatives_of_the_summary_against_finite_differences():
    """D_sss = ∂³L/∂η_s³ along each group's block of u, against a central difference of the
    function itself (step h; truncation O(h²) D⁽⁵⁾, Richardson-extrapolated; tolerance stated)."""
    mlp, obj, x0 = net()
    res = minimize(obj, x0, method="partition-newton", line_search=None,
                   options={"maxiter": 1, "gtol": 0.0, "lambda_int": 1.0})
    g = obj.grad(x0)
    assert res.n3ev == len(obj.groups)
    for s, grp in enumerate(obj.groups):
        u = np.zeros(obj.n)
        u[grp] = g[grp]
        phi = lambda t: obj.value(x0 - t * u)  # noqa: E731

        def d3(h):
            return (phi(2 * h) - 2 * phi(h) + 2 * phi(-h) - phi(-2 * h)) / (2 * h ** 3)

        h = 0.05 / max(1e-3, np.linalg.norm(u))
        fd = (4 * d3(h / 2) - d3(h)) / 3  # O(h⁴) after one Richardson step
        exact = obj.third(x0, -u)
        # the difference's rounding: ~ 6 ε |φ| / (h/2)³; its truncation after extrapolation ~ 1e-4 |D|
        tol = 6 * 2.2e-16 * abs(phi(0.0)) / (h / 2) ** 3 + 1e-4 * abs(exact)
        assert abs(fd - exact) <= tol, (s, fd, exact, tol)
        np.testing.assert_allclose(res.third_scale[s], abs(exact) ** (1 / 3), rtol=1e-12, atol=1e-300)


def test_cubic_rates_are_the_global_minimizer_of_the_cubic_model():
    """m(η) = −ḡᵀη + ½ηᵀH̄η + (λ/6)‖Dη‖³: the returned η is no worse than a local search from many
    starts (Nesterov & Polyak 2006, Thm. 10: the global minimizer has H̄ + ½λ‖Dη‖D² ⪰ 0)."""
    from scipy.optimize import minimize as sp_minimize

    rng = np.random.default_rng(1)
    for _ in range(3):
        M = rng.standard_normal((3, 3))
        Hbar = 0.5 * (M + M.T)
        gbar, D, lam = rng.standard_normal(3), np.abs(rng.standard_normal(3)) + 0.2, 1.5
        model = lambda e: -gbar @ e + 0.5 * e @ Hbar @ e + lam / 6 * np.linalg.norm(D * e) ** 3  # noqa: E731
        eta, _ = cubic_rates(Hbar, gbar, D, lam, 0.0, np.ones(3, dtype=bool))
        best = min(sp_minimize(model, rng.standard_normal(3) * 3, method="BFGS", options={"gtol": 1e-12}).fun
                   for _ in range(20))
        assert model(eta) <= best + 1e-9 * (1 + abs(best))


def test_reproduce_partition_newton_quick(tmp_path):
    """The experiment's quick protocol: the summary's Newton step with a line search trains faster
    per step than gradient descent on both tasks, and full Newton (all P² curvature) faster still —
    the ordering Wolinski (2023) reports between first-order methods, the summary and full curvature."""
    import csv

    from refopt.cli import main

    assert main(["reproduce", "partition-newton", "--quick", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "partition_newton.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tmp_path / "partition_newton_summary.csv") as fh:
        rows = {(r["task"], r["method"]): r for r in csv.DictReader(fh)}
    for task in ("regression", "classification"):
        final = {m: float(rows[(task, m)]["final_loss"]) for m in ("GD", "PN + Wolfe", "Newton", "BFGS")}
        assert final["PN + Wolfe"] < final["GD"] and final["BFGS"] < final["GD"], (task, final)
        assert final["Newton"] < final["PN + Wolfe"], (task, final)
        assert int(rows[(task, "PN + Wolfe")]["status"]) == 1
        assert int(rows[(task, "PN + Wolfe")]["nhev"]) == 6 * int(rows[(task, "PN + Wolfe")]["steps"])
    assert float(rows[("classification", "PN cubic + Wolfe")]["final_loss"]) < float(rows[("classification", "GD")]["final_loss"])


def _cubic_model(Hbar, gbar, D, lam):
    return lambda e: -gbar @ e + 0.5 * e @ Hbar @ e + lam / 6 * np.linalg.norm(D * e) ** 3


def _multistart_best(model, S, rng, starts=30):
    from scipy.optimize import minimize as sp_minimize

    return min(sp_minimize(model, rng.standard_normal(S) * 5, method="BFGS", options={"gtol": 1e-12}).fun
               for _ in range(starts))


def test_cubic_rates_where_some_third_derivatives_vanish():
    """A network under mse is quadratic along its last layer (D_s = 0 there): the cubic step is
    solved without D⁻¹, and is still the model's global minimizer to rounding."""
    mlp, obj, x0 = net()
    res = minimize(obj, x0, method="partition-newton", line_search=None,
                   options={"maxiter": 1, "gtol": 0.0, "lambda_int": 10.0})
    Hbar, gbar, D = res.summary_hess, res.summary_grad, res.third_scale
    assert np.count_nonzero(D == 0.0) == 2  # W1 and b1
    eta = res.rates
    r = np.linalg.norm(D * eta)
    np.testing.assert_allclose((Hbar + 5.0 * r * np.diag(D ** 2)) @ eta, gbar, rtol=0, atol=1e-10 * np.abs(gbar).max())
    model = _cubic_model(Hbar, gbar, D, 10.0)
    best = _multistart_best(model, 4, np.random.default_rng(2))
    assert model(eta) <= best + 1e-10 * abs(best)


def test_cubic_rates_hard_case_and_unbounded_model():
    ones = np.ones(3, dtype=bool)
    rng = np.random.default_rng(4)
    # the hard case: ḡ orthogonal to the lowest eigenvector of an indefinite H̄ (and ḡ = 0)
    Hbar, D = np.diag([-1.0, 2.0, 3.0]), np.ones(3)
    for gbar in (np.array([0.0, 1.0, 1.0]), np.zeros(3)):
        eta, code = cubic_rates(Hbar, gbar, D, 1.0, 0.0, ones)
        model = _cubic_model(Hbar, gbar, D, 1.0)
        assert code == 0 and model(eta) <= _multistart_best(model, 3, rng) + 1e-12
        r = np.linalg.norm(D * eta)
        np.testing.assert_allclose((Hbar + 0.5 * r * np.diag(D ** 2)) @ eta, gbar, atol=1e-12)
    # D_s = 0 where H̄ is indefinite: the model is unbounded below — code 2, a status, not a step
    eta, code = cubic_rates(np.diag([1.0, -1.0, 2.0]), np.ones(3), np.array([1.0, 0.0, 1.0]), 1.0, 0.0, ones)
    assert code == 2 and np.all(np.isnan(eta))


def test_the_singularity_test_is_invariant_to_rescaling_a_group():
    """A well-conditioned quadratic whose second group's gradient falls to rounding level first:
    H̄ = diag(1e-6, 1e-32) is badly scaled, not singular (its Jacobi-scaled form has eigenvalues
    near 1); rescaling a group by 1e-6 changes nothing."""
    A3 = np.array([[3.0, 1, 0.5], [1, 2, 0.2], [0.5, 0.2, 1.5]])
    b3 = np.array([1.0, -2, 0.5])
    for c in (1.0, 1e-6):
        C = np.array([1.0, 1.0, c])
        res = minimize(lambda z: 0.5 * (C * z) @ A3 @ (C * z) - b3 @ (C * z), np.zeros(3),
                       jac=lambda z: C * (A3 @ (C * z) - b3), hessp=lambda z, v: C * (A3 @ (C * v)),
                       method="partition-newton", options={"groups": [[0, 1], [2]], "gtol": 1e-7})
        assert res.status == 0, res.message
        np.testing.assert_allclose(C * res.x, np.linalg.solve(A3, b3), rtol=1e-6)


def test_every_rate_clipped_is_a_status():
    f = lambda x: -0.5 * x @ x + 0.25 * np.sum(x ** 4)  # noqa: E731  a maximum at 0
    for ls in ("wolfe", None):
        res = minimize(f, [0.1, 0.2], jac=lambda x: -x + x ** 3, hess=lambda x: np.diag(-1 + 3 * x ** 2),
                       method="partition-newton", line_search=ls, options={"clip": True})
        assert res.status == 5 and "clipped" in res.message


def test_hessp_is_refused_where_it_would_be_ignored():
    with pytest.raises(ValueError, match="hessp"):
        minimize("rosenbrock", [-1.2, 1.0], method="partition-newton", hessp=lambda x, v: v)
    with pytest.raises(ValueError, match="hessp"):
        minimize(quartic, X0, jac=quartic_grad, method="bfgs", hessp=lambda x, v: v)
