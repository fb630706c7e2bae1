"""refopt.spectral against dense eigh on matrices with known spectra.

Deterministic checks are held to rounding-level tolerances stated per test. Estimators are held
to tolerances derived from their variance: with the probe count s and the one-probe variance
V (Rademacher Hutchinson 2(‖A‖²_F − Σ A_ii²), Gaussian 2‖A‖²_F), an estimate must lie within
Z·√(V/s) of the truth, Z = 4.5 (two-sided normal tail 7e-6; every seed is fixed, so a pass is
reproducible, and the bound is not tuned to the seed)."""
import math

import numpy as np
import pytest
from scipy import integrate, stats

from refopt import spectral as sp

Z = 4.5


def known(n, eigenvalues, seed=0):
    """A dense symmetric matrix Q diag(λ) Qᵀ with a random orthogonal Q (and Q)."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T), Q


# ---------------------------------------------------------------------------------------------
# numerical rank
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("symmetric", [True, False])
def test_numerical_rank_of_a_matrix_with_known_singular_values(symmetric):
    rng = np.random.default_rng(3)
    n, r = 40, 7
    s = np.geomspace(10.0, 1e-4, r)
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V = U if symmetric else np.linalg.qr(rng.standard_normal((n, n)))[0]
    H = (U[:, :r] * s) @ V[:, :r].T
    if symmetric:
        H = 0.5 * (H + H.T)
    res = sp.numerical_rank(H)
    assert res.rank == r
    assert res.tol == pytest.approx(10.0 * n * np.finfo(float).eps, rel=1e-10)
    assert res.gap > 1e8  # 1e-4 against rounding noise ~1e-15
    np.testing.assert_allclose(res.singular_values[:r], s, rtol=1e-10)
    assert sp.numerical_rank(H, tol=5e-4).rank == r - 1  # an explicit threshold is used as given


def test_numerical_rank_edge_cases():
    zero = sp.numerical_rank(np.zeros((3, 3)))
    assert zero.rank == 0 and math.isnan(zero.gap)
    full = sp.numerical_rank(np.eye(4))
    assert full.rank == 4 and full.gap == math.inf


# ---------------------------------------------------------------------------------------------
# Lanczos
# ---------------------------------------------------------------------------------------------
def test_lanczos_builds_the_projection_and_keeps_orthogonality():
    A, _ = known(120, np.linspace(-2.0, 5.0, 120))
    res = sp.lanczos(A, steps=40, seed=1)
    V = res.V
    assert res.steps == 40 and V.shape == (120, 40)
    assert res.orthogonality_loss < 1e-13
    np.testing.assert_allclose(V.T @ A @ V, res.T, atol=1e-12 * 5.0)
    # the Lanczos relation A V = V T + β v_{m+1} e_mᵀ: the residual is orthogonal to V and of norm β
    R = A @ V - V @ res.T
    assert np.linalg.norm(R[:, :-1]) < 1e-11
    assert np.linalg.norm(R[:, -1]) == pytest.approx(res.residual_norm, rel=1e-10)
    np.testing.assert_allclose(res.alpha, np.diag(res.T))
    np.testing.assert_allclose(res.beta, np.diag(res.T, 1))


def test_lanczos_without_reorthogonalisation_shows_ghosts():
    """80 steps on a 300 × 300 matrix with an isolated top eigenvalue: without
    re-orthogonalisation ‖VᵀV − I‖ grows to O(1) and λ_max appears several times in T."""
    A, _ = known(300, np.concatenate([[100.0], np.linspace(0.0, 1.0, 299)]))
    plain = sp.lanczos(A, steps=80, seed=0, reorth="none")
    full = sp.lanczos(A, steps=80, seed=0, reorth="full")
    copies = [int(np.sum(np.abs(np.linalg.eigvalsh(r.T) - 100.0) < 1e-8)) for r in (plain, full)]
    assert plain.orthogonality_loss > 1.0 and copies[0] >= 2
    assert full.orthogonality_loss < 1e-13 and copies[1] == 1


def test_lanczos_stops_on_an_invariant_krylov_space():
    """4 distinct eigenvalues, n = 60: the Krylov space is 4-dimensional. The matrix is a signed
    permutation of diag(λ), so its eigenvalues are exactly the four (Q diag(λ) Qᵀ with a rounded Q
    splits each cluster by ~n ε ‖A‖, as large as the breakdown threshold itself: whether Lanczos
    stops then depends on the machine's last bits)."""
    values = np.repeat([-1.0, 0.5, 2.0, 7.0], 15)
    rng = np.random.default_rng(5)
    P = np.zeros((60, 60))
    P[np.arange(60), rng.permutation(60)] = rng.choice([-1.0, 1.0], 60)
    A = (P * values) @ P.T  # exact: one nonzero product per entry
    res = sp.lanczos(A, steps=20, seed=2)
    assert res.steps == 4
    np.testing.assert_allclose(np.linalg.eigvalsh(res.T), [-1.0, 0.5, 2.0, 7.0], atol=1e-12)


def test_a_large_dynamic_range_is_not_an_invariant_space():
    """λ_max = 1e12 beside eigenvalues in [0, 0.5]: β_j ≈ 0.1 is tiny next to ‖A‖ but far above
    rounding, so the recurrence goes on; the smallest eigenvalues are then found to the absolute
    accuracy 10√n ε‖A‖ ≈ 0.03 that products with A allow, and reported converged on that floor."""
    values = np.concatenate([[1e12], np.linspace(0.0, 0.5, 199)])
    A, _ = known(200, values, seed=3)
    assert sp.lanczos(A, steps=30).steps == 30
    floor = 10 * math.sqrt(200) * np.finfo(float).eps * 1e12
    res = sp.lanczos_topk(A, k=3, which="SA", vectors=True)
    assert res.converged.all() and np.all(res.residuals <= floor)
    np.testing.assert_allclose(res.eigenvalues, np.linalg.eigvalsh(A)[:3], atol=floor)
    top = sp.lanczos_topk(A, k=2, which="LA")  # the top, relative to its own size
    np.testing.assert_allclose(top.eigenvalues, [1e12, 0.5], rtol=1e-10, atol=floor)


def test_lanczos_start_vector():
    A, _ = known(30, np.arange(30.0))
    u = np.arange(1.0, 31.0)
    res = sp.lanczos(A, steps=5, start=u)
    np.testing.assert_allclose(res.V[:, 0], u / np.linalg.norm(u))


# ---------------------------------------------------------------------------------------------
# top-k
# ---------------------------------------------------------------------------------------------
SPECTRUM = np.linspace(-3.0, 10.0, 200)
EXPECTED = {"LA": SPECTRUM[::-1][:6], "SA": SPECTRUM[:6], "BE": np.concatenate([SPECTRUM[:3], SPECTRUM[-3:]]),
            "LM": SPECTRUM[::-1][:6]}


@pytest.mark.parametrize("which", ["LA", "SA", "BE", "LM"])
def test_lanczos_topk_against_eigh(which):
    A, Q = known(200, SPECTRUM, seed=4)
    res = sp.lanczos_topk(A, k=6, which=which, tol=1e-10, vectors=True, seed=5)
    assert res.converged.all()
    np.testing.assert_allclose(res.eigenvalues, EXPECTED[which], rtol=1e-9, atol=1e-9)
    # the measured residuals meet the stated test; so do the estimates of a run without vectors
    measured = np.linalg.norm(A @ res.eigenvectors - res.eigenvectors * res.eigenvalues, axis=0)
    assert np.all(measured <= 1e-10 * np.abs(res.eigenvalues))
    est = sp.lanczos_topk(A, k=6, which=which, tol=1e-10, seed=5)
    np.testing.assert_array_equal(est.eigenvalues, res.eigenvalues)
    assert est.converged.all() and np.all(est.residuals <= 1e-10 * np.abs(est.eigenvalues))
    # each vector is the eigenvector of its eigenvalue (the spectrum is simple)
    for lam, v in zip(res.eigenvalues, res.eigenvectors.T):
        q = Q[:, int(np.argmin(np.abs(SPECTRUM - lam)))]
        assert abs(q @ v) == pytest.approx(1.0, abs=1e-9)


def test_lanczos_topk_residual_estimate_is_the_measured_one():
    """Without vectors the residuals are the Lanczos relation's β|e_mᵀy|; they match the measured
    ‖Av − λv‖ of the same pairs (full re-orthogonalisation keeps the relation exact)."""
    A, _ = known(150, np.geomspace(1e-3, 1e2, 150), seed=6)
    est = sp.lanczos_topk(A, k=4, tol=1e-6, seed=1)
    got = sp.lanczos_topk(A, k=4, tol=1e-6, seed=1, vectors=True)
    np.testing.assert_allclose(est.eigenvalues, got.eigenvalues, rtol=0, atol=0)
    np.testing.assert_allclose(est.residuals, got.residuals, rtol=1e-3, atol=1e-13)


def test_lanczos_topk_all_and_small():
    A, _ = known(8, np.arange(1.0, 9.0))
    res = sp.lanczos_topk(A, k=8, which="SA")
    np.testing.assert_allclose(res.eigenvalues, np.arange(1.0, 9.0), rtol=1e-12)
    # a low-rank operator: the Krylov space closes early, the zero eigenvalues are still found
    B, _ = known(50, np.concatenate([np.arange(1.0, 6.0), np.zeros(45)]), seed=7)
    res = sp.lanczos_topk(B, k=7, which="LA")
    np.testing.assert_allclose(res.eigenvalues, [5, 4, 3, 2, 1, 0, 0], atol=1e-10)


def test_lanczos_topk_takes_a_callable_and_a_linear_operator():
    from scipy.sparse.linalg import aslinearoperator

    A, _ = known(60, np.linspace(0.0, 1.0, 60), seed=8)
    by_call = sp.lanczos_topk(lambda v: A @ v, 60, k=3)
    by_op = sp.lanczos_topk(aslinearoperator(A), k=3)
    np.testing.assert_allclose(by_call.eigenvalues, SPECTRUM_01 := np.linspace(0.0, 1.0, 60)[::-1][:3], rtol=1e-9)
    np.testing.assert_allclose(by_op.eigenvalues, SPECTRUM_01, rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# Hutchinson, Hutch++, diagonal
# ---------------------------------------------------------------------------------------------
def dense_test_matrix(n=50, seed=9):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    return 0.5 * (B + B.T) + np.diag(rng.uniform(1.0, 3.0, n))


def one_probe_variance(A, dist):
    fro2 = float(np.sum(A * A))
    return 2 * (fro2 - float(np.sum(np.diag(A) ** 2))) if dist == "rademacher" else 2 * fro2


@pytest.mark.parametrize("dist", ["rademacher", "gaussian"])
def test_hutchinson_trace_within_its_standard_deviation(dist):
    A = dense_test_matrix()
    s = 400
    res = sp.hutchinson_trace(A, samples=s, seed=11, dist=dist)
    sd = math.sqrt(one_probe_variance(A, dist) / s)
    assert abs(res.estimate - np.trace(A)) <= Z * sd
    assert res.matvecs == s and res.values.shape == (s,)
    assert res.estimate == pytest.approx(float(np.mean(res.values)), rel=1e-14)


@pytest.mark.parametrize("dist", ["rademacher", "gaussian"])
def test_hutchinson_one_probe_variance_is_the_formula(dist):
    """The sample variance of R one-probe forms against the closed form, within Z standard errors
    of a sample variance (√((m₄ − V²)/R), m₄ the forms' fourth central moment)."""
    A = dense_test_matrix(n=20, seed=12)
    R = 20000
    q = sp.hutchinson_trace(A, samples=R, seed=13, dist=dist).values
    V = one_probe_variance(A, dist)
    m4 = float(np.mean((q - q.mean()) ** 4))
    assert abs(float(np.var(q, ddof=1)) - V) <= Z * math.sqrt((m4 - V ** 2) / R)


def test_hutchinson_is_exact_for_a_diagonal_matrix_with_rademacher_probes():
    A = np.diag(np.arange(1.0, 11.0))
    res = sp.hutchinson_trace(A, samples=7, seed=0)
    assert res.estimate == 55.0 and res.stderr == 0.0


def test_hutchpp_is_exact_on_low_rank_and_beats_hutchinson_on_decaying_spectra():
    low, _ = known(80, np.concatenate([np.linspace(1.0, 4.0, 10), np.zeros(70)]), seed=14)
    res = sp.hutchpp_trace(low, matvecs=36, seed=0)  # sketch of 12 >= rank 10
    assert res.estimate == pytest.approx(np.trace(low), rel=1e-12)
    assert res.matvecs == 36
    decay, _ = known(80, 1.0 / np.arange(1, 81) ** 2, seed=15)
    truth = np.trace(decay)
    e_pp = [abs(sp.hutchpp_trace(decay, matvecs=30, seed=s).estimate - truth) for s in range(20)]
    e_h = [abs(sp.hutchinson_trace(decay, samples=30, seed=s).estimate - truth) for s in range(20)]
    assert np.mean(e_pp) < 0.25 * np.mean(e_h)


@pytest.mark.parametrize("dist", ["rademacher", "gaussian"])
def test_hutchinson_diagonal_within_its_standard_deviation(dist):
    A = dense_test_matrix(n=30, seed=16)
    s = 300
    res = sp.hutchinson_diagonal(A, samples=s, seed=17, dist=dist)
    off = np.sum(A * A, axis=1) - np.diag(A) ** 2
    var = off if dist == "rademacher" else off + 2 * np.diag(A) ** 2
    assert np.all(np.abs(res.estimate - np.diag(A)) <= Z * np.sqrt(var / s))
    np.testing.assert_allclose(res.stderr, np.sqrt(var / s), rtol=0.35)  # a sample sd of 300 probes


def test_hutchpp_spends_nothing_once_the_sketch_spans_everything():
    A = dense_test_matrix(n=4, seed=30)
    res = sp.hutchpp_trace(A, matvecs=99)
    assert res.estimate == pytest.approx(np.trace(A), rel=1e-12) and res.stderr == 0.0
    assert res.matvecs == 8  # the sketch (4) and its exact trace (4)


def test_hutchinson_diagonal_exact_for_diagonal():
    A = np.diag([3.0, -1.0, 2.5])
    np.testing.assert_array_equal(sp.hutchinson_diagonal(A, samples=4).estimate, [3.0, -1.0, 2.5])


# ---------------------------------------------------------------------------------------------
# SLQ
# ---------------------------------------------------------------------------------------------
def test_slq_quadrature_identity_and_first_components():
    """Σ_j w_j θ_j^k = uᵀA^k u for k ≤ 2m − 1, with w_j the squared FIRST components."""
    A, _ = known(100, np.linspace(-1.0, 2.0, 100), seed=18)
    m = 12
    res = sp.slq_density(A, steps=m, probes=3, seed=19)
    assert res.nodes.shape == (3, m)
    np.testing.assert_allclose(res.weights.sum(axis=1), 1.0, rtol=1e-13)
    for p in range(3):
        u = res.starts[p]
        w = u.copy()
        for k in range(2 * m):
            lhs = float(np.sum(res.weights[p] * res.nodes[p] ** k))
            assert lhs == pytest.approx(float(u @ w), rel=1e-11, abs=1e-12 * 2.0 ** k)
            w = A @ w
    assert np.all(res.orthogonality_loss < 1e-13)


def test_slq_exact_rule_on_few_distinct_eigenvalues():
    """A matrix with 3 distinct eigenvalues: the Krylov space closes after 3 steps; the nodes are
    the eigenvalues and the weights the squared projections of u on the eigenspaces."""
    values = np.repeat([-2.0, 1.0, 4.0], [10, 25, 15])
    A, Q = known(50, values, seed=20)
    res = sp.slq_density(A, steps=10, probes=2, seed=21)
    assert list(res.steps) == [3, 3]
    for p in range(2):
        u = res.starts[p]
        proj = [float(np.sum((Q[:, values == v].T @ u) ** 2)) for v in (-2.0, 1.0, 4.0)]
        np.testing.assert_allclose(res.nodes[p, :3], [-2.0, 1.0, 4.0], atol=1e-12)
        np.testing.assert_allclose(res.weights[p, :3], proj, rtol=1e-10)
        np.testing.assert_array_equal(res.weights[p, 3:], 0.0)


def test_slq_moments_estimate_the_trace():
    A = dense_test_matrix(n=60, seed=22)
    p = 50
    res = sp.slq_density(A, steps=8, probes=p, seed=23)
    sd = math.sqrt(one_probe_variance(A, "rademacher") / 60 ** 2 / p)  # uᵀAu = zᵀAz / n
    assert abs(res.moment(1) - np.trace(A) / 60) <= Z * sd


def test_smooth_density_conventions():
    A, _ = known(40, np.linspace(0.0, 3.0, 40), seed=24)
    res = sp.slq_density(A, steps=10, probes=2, seed=25)
    x, rho = sp.smooth_density(res, "pyhessian")
    assert x.size == 10000 and float(np.sum(rho) * (x[1] - x[0])) == pytest.approx(1.0, rel=1e-12)
    assert x[0] == pytest.approx(np.mean(res.nodes.min(axis=1)) - 0.01)
    x, rho = sp.smooth_density(res, "papyan")
    assert float(np.sum(rho) * (x[1] - x[0])) == pytest.approx(1.0, abs=1e-6)
    # one node of weight 1: a Gaussian of the convention's width
    one = sp.SLQResult(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]), np.array([2]), np.zeros(1), np.zeros((1, 2)))
    sigma = 2.0 / (1 * math.sqrt(8 * math.log(3.0))) * 0.5  # σ' (m = 2) times (b − a)/2
    x, rho = sp.smooth_density(one, "papyan", grid=np.array([0.0, sigma]))
    np.testing.assert_allclose(rho, stats.norm.pdf([0.0, sigma], scale=sigma), rtol=1e-12)
    x, rho = sp.smooth_density(one, "pyhessian")
    var = 1e-5 * max(1.0, 1.02)
    assert rho.max() == pytest.approx(1 / math.sqrt(2 * math.pi * var), rel=1e-3)


# ---------------------------------------------------------------------------------------------
# overlap
# ---------------------------------------------------------------------------------------------
def test_papyan_smoothing_of_coinciding_nodes():
    res = sp.slq_density(2.0 * np.eye(10), steps=4)
    assert list(res.steps) == [1]
    x, rho = sp.smooth_density(res, "papyan")  # b − a = 0: the unit scale max(1, |a|) = 2
    assert float(np.sum(rho) * (x[1] - x[0])) == pytest.approx(1.0, abs=1e-6)
    assert x[np.argmax(rho)] == pytest.approx(2.0, abs=x[1] - x[0])


def test_overlap_values_and_random_baseline():
    rng = np.random.default_rng(26)
    n, k = 30, 4
    V = np.linalg.qr(rng.standard_normal((n, k)))[0]
    R = np.linalg.qr(rng.standard_normal((k, k)))[0]
    assert sp.overlap(V, V @ R) == pytest.approx(1.0, rel=1e-12)  # a basis change: same subspace
    E = np.eye(n)
    assert sp.overlap(E[:, :k], E[:, k:2 * k]) == 0.0
    assert sp.overlap(E[:, 0], E[:, 0] + 0.0) == 1.0
    draws = np.array([sp.overlap(np.linalg.qr(rng.standard_normal((n, k)))[0],
                                 np.linalg.qr(rng.standard_normal((n, k)))[0]) for _ in range(2000)])
    assert abs(draws.mean() - k / n) <= Z * draws.std(ddof=1) / math.sqrt(draws.size)


def test_overlap_refuses_non_orthonormal_bases():
    with pytest.raises(ValueError, match="orthonormal"):
        sp.overlap(np.ones((5, 2)), np.eye(5)[:, :2])
    with pytest.raises(ValueError, match="same shape"):
        sp.overlap(np.eye(5)[:, :2], np.eye(5)[:, :3])


# ---------------------------------------------------------------------------------------------
# limit laws
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [0.25, 1.0, 3.0])
def test_marchenko_pastur_mass_and_moments(q):
    hi = (1 + math.sqrt(q)) ** 2
    pts = [(1 - math.sqrt(q)) ** 2, 1.0]
    mass = integrate.quad(lambda x: sp.marchenko_pastur_density(x, q), 0, hi, points=pts, limit=200)[0]
    m1 = integrate.quad(lambda x: x * sp.marchenko_pastur_density(x, q), 0, hi, points=pts, limit=200)[0]
    m2 = integrate.quad(lambda x: x * x * sp.marchenko_pastur_density(x, q), 0, hi, points=pts, limit=200)[0]
    assert mass == pytest.approx(min(1.0, 1.0 / q), rel=1e-6)
    assert m1 == pytest.approx(1.0, rel=1e-6)  # the atom at 0 adds nothing to the moments
    assert m2 == pytest.approx(1.0 + q, rel=1e-6)
    s = 2.5
    assert sp.marchenko_pastur_density(s * 1.0, q, scale=s) == pytest.approx(sp.marchenko_pastur_density(1.0, q) / s)


def test_marchenko_pastur_matches_wishart_eigenvalues():
    rng = np.random.default_rng(27)
    ni, nh = 200, 400
    lam = np.concatenate([np.linalg.eigvalsh(W.T @ W / nh) for W in rng.standard_normal((5, nh, ni))])
    q = ni / nh
    grid = np.linspace((1 - math.sqrt(q)) ** 2, (1 + math.sqrt(q)) ** 2, 4001)
    cdf = np.concatenate([[0], np.cumsum(0.5 * (sp.marchenko_pastur_density(grid[1:], q)
                                                 + sp.marchenko_pastur_density(grid[:-1], q)) * np.diff(grid))])
    ks = stats.kstest(lam, lambda x: np.interp(x, grid, cdf)).statistic
    assert ks < 0.02  # finite-size edge effects at N_i = 200 are ~1/N_i^(2/3)


@pytest.mark.parametrize("ni,nh", [(10, 20), (30, 10), (6, 4)])
def test_mp_chi2_law_against_adaptive_quadrature(ni, nh):
    s1, s2 = 1 / math.sqrt(ni), 1 / math.sqrt(nh)
    q, c = ni / nh, s1 ** 2 * nh
    atom = max(0.0, 1 - 1 / q)
    g = stats.gamma(nh / 2, scale=2 * s2 ** 2)
    lo, hi = (1 - math.sqrt(q)) ** 2, (1 + math.sqrt(q)) ** 2

    def reference(lam):  # the convolution in μ, by adaptive quadrature
        val = integrate.quad(lambda mu: g.pdf(lam - c * mu) * sp.marchenko_pastur_density(mu, q),
                             lo, min(hi, lam / c) if lam / c > lo else lo, limit=200, epsabs=1e-13)[0]
        return atom * g.pdf(lam) + val

    xs = np.array([0.3, 1.0, 2.0, 3.5, 6.0])
    dens, err = sp.mp_chi2_density(xs, ni, nh, s1, s2, error=True)
    np.testing.assert_allclose(dens, [reference(x) for x in xs], rtol=1e-7, atol=1e-10)
    grid = np.linspace(0, 40, 801)
    assert np.max(sp.mp_chi2_density(grid, ni, nh, s1, s2, error=True)[1]) < 1e-10
    mass = integrate.quad(lambda x: sp.mp_chi2_density(x, ni, nh, s1, s2), 0, np.inf, limit=200)[0]
    mean = integrate.quad(lambda x: x * sp.mp_chi2_density(x, ni, nh, s1, s2), 0, np.inf, limit=200)[0]
    assert mass == pytest.approx(1.0, rel=1e-8)
    assert mean == pytest.approx(s2 ** 2 * nh + s1 ** 2 * nh, rel=1e-8)  # E χ²_{N_h} = N_h, E μ = 1
    for x in (1.0, 3.0):
        assert sp.mp_chi2_cdf(x, ni, nh, s1, s2) == pytest.approx(
            integrate.quad(lambda t: sp.mp_chi2_density(t, ni, nh, s1, s2), 0, x, limit=200)[0], rel=1e-8)


def test_mp_chi2_below_the_support_and_one_hidden_unit():
    """N_h = 1, N_i = 3 (q = 3): below the MP support only the atom (1 − 1/q) of the χ²₁ part is left."""
    g = stats.gamma(0.5, scale=2.0)
    q, lo = 3.0, (1 - math.sqrt(3.0)) ** 2 * 1.0
    x = np.array([1e-9, 0.5 * lo, 0.3])
    dens = sp.mp_chi2_density(x, 3, 1, 1.0, 1.0)
    assert np.all(np.isfinite(dens))
    below = x < lo
    np.testing.assert_allclose(dens[below], (1 - 1 / q) * g.pdf(x[below]), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# operators and bad products
# ---------------------------------------------------------------------------------------------
def test_a_bad_product_is_refused():
    with pytest.raises(ValueError, match=r"shape \(5,\)"):
        sp.lanczos(lambda v: np.ones(4), 5, steps=2)
    with pytest.raises(ValueError, match="NaN or inf"):
        sp.hutchinson_trace(lambda v: np.full(5, np.nan), 5, samples=2)
    with pytest.raises(ValueError, match="symmetric"):
        sp.lanczos_topk(np.triu(np.ones((4, 4))), k=1)
    with pytest.raises(ValueError, match="square"):
        sp.slq_density(np.ones((3, 4)))
    with pytest.raises(TypeError, match="n .* must be given"):
        sp.hutchinson_trace(lambda v: v)
    from scipy.sparse import csr_matrix

    with pytest.raises(ValueError, match="symmetric"):
        sp.lanczos_topk(csr_matrix(np.triu(np.ones((6, 6)))), k=1)
    # a column (n, 1) is a vector
    assert sp.hutchinson_trace(lambda v: (2.0 * v).reshape(-1, 1), 3, samples=2).estimate == 6.0
