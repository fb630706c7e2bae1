r"""The Hessian of a teacher–student network at the teacher: spectrum, rank, late-time learning.

Couto, Mourão, Figueiredo & Ribeiro (2025). Student and teacher y = W₂ g(W₁ x), W₁ ∈ R^{N_h × N_i},
W₂ ∈ R^{1 × N_h}, no biases, L = (1/2N) Σ (y_i − y_i*)² (refopt: ``MLP([N_i, N_h, 1], g,
bias=False, loss="mse")``, whose W₁ is stored as (N_i, N_h), the transpose). At θ = teacher the
residuals vanish and H = (1/N) Σ J_iᵀJ_i, the Gauss–Newton matrix; refopt forms it exactly.

1. **Spectrum of linear nets.** For g(z) = z, J_i = A x_i with A = [w₂ ⊗ I; W₁] (P × N_i), so
   H = A C Aᵀ, C = XᵀX/N, and its N_i nonzero eigenvalues are eig(C^{½}(‖w₂‖² I + W₁ᵀW₁)C^{½}). With
   whitened inputs (C = I exactly: X = √N Q, Q with orthonormal columns — the limit the law is
   stated in) and teachers W₁ ~ N(0, σ₁²), W₂ ~ N(0, σ₂²), the eigenvalues pooled over many teachers
   follow σ₂² χ²_{N_h} ⊛ σ₁² N_h · MP(N_i/N_h) (:func:`refopt.spectral.mp_chi2_density`). Printed:
   the Kolmogorov–Smirnov distance of the pooled eigenvalues to that law, and, for contrast, to the
   law with the χ² shift replaced by its mean σ₂² N_h (what one gets by forgetting that ‖w₂‖² is
   random, one draw per teacher). Also checked per teacher: the exact Hessian's nonzero
   eigenvalues against eig(‖w₂‖² I + W₁ᵀW₁) (to rounding), and rank H = N_i.
   Decision (the paper's figure does not state them): σ₁² = 1/N_i, σ₂² = 1/N_h (refopt's LeCun
   init), N = 4 N_i whitened samples, (N_i, N_h) = (10, 20) and (30, 10).
2. **Rank = effective number of parameters** (N ≥ P Gaussian samples, teacher = ``mlp.init``): linear
   N_i; g = z²: N_i(N_i + 1)/2 if N_h ≥ N_i, else N_h N_i − N_h(N_h − 1)/2; g = z³:
   min(C(N_i + 2, 3), N_h N_i); erf: full, N_h(N_i + 1). Measured by
   :func:`refopt.spectral.numerical_rank` (default rule), whose gap σ_r/σ_{r+1} is printed.
3. **Late-time gradient descent.** Near θ*, L(θ) ≈ ½ (θ − θ*)ᵀH(θ − θ*), so GD with step η from
   θ₀ = θ* + ε d gives L_t = ½ Σ_k λ_k c_k² (1 − ηλ_k)^{2t}, c = Vᵀ(θ₀ − θ*): the smallest nonzero
   eigenvalues rule late-time learning. Measured on an erf net [4, 3, 1] (its Hessian is full
   rank with eigenvalues over four decades), N = 200, η = 1/λ_max, ε = 1e-3, ‖d‖ = 1; printed: the
   largest relative deviation of the measured loss from the prediction (O(ε): the cubic terms)
   and the share of the slow modes (λ < λ_max/100) in the loss at t = 0 and at the end.

Full protocol: 500 teachers per shape, 20 000 GD steps (about two minutes on 2 cores). ``quick``: 60 and
4 000 (a few seconds).
"""
from __future__ import annotations

from math import comb
from pathlib import Path

import numpy as np

from ..files import save_figure
from . import write_rows

SUMMARY = "teacher-student Hessians (Couto et al. 2025): MP⊛χ² spectrum, rank table, late-time GD"

SHAPES = ((10, 20), (30, 10))
RANK_SHAPES = ((6, 4), (6, 30), (4, 6), (3, 10), (5, 5))
RANK_ACTIVATIONS = ("linear", "poly2", "poly3", "erf")
GD = dict(ni=4, nh=3, N=200, eps=1e-3)
SLOW = 1e-2
"""Modes with λ < SLOW · λ_max are the slow ones whose share of the loss grows with t."""


def whitened_inputs(N: int, ni: int, rng: np.random.Generator) -> np.ndarray:
    """X (N × N_i) with XᵀX/N = I exactly."""
    Q, _ = np.linalg.qr(rng.standard_normal((N, ni)))
    return np.sqrt(N) * Q


def expected_rank(activation: str, ni: int, nh: int) -> int:
    """Rank of H at the teacher (Couto et al. 2025, and one dimension lost per symmetry)."""
    if activation == "linear":
        return ni
    if activation == "erf":
        return nh * (ni + 1)
    k = int(activation[4:])
    if k == 2:
        return ni * (ni + 1) // 2 if nh >= ni else nh * ni - nh * (nh - 1) // 2
    return min(comb(ni + k - 1, k), nh * ni)


def linear_spectrum(ni: int, nh: int, teachers: int, rng: np.random.Generator) -> dict:
    """Pooled nonzero eigenvalues of the exact Hessian at ``teachers`` linear teachers."""
    from .. import MLP
    from ..spectral import numerical_rank

    mlp = MLP([ni, nh, 1], activation="linear", bias=False, loss="mse")
    pooled, formula_err, ranks, gaps = [], 0.0, set(), []
    for _ in range(teachers):
        theta = mlp.init(int(rng.integers(2**31)))
        X = whitened_inputs(4 * ni, ni, rng)
        H = mlp.hessian(theta, X, mlp.predict(theta, X))
        rank = numerical_rank(H)
        ranks.add(rank.rank)
        gaps.append(rank.gap)
        top = np.linalg.eigvalsh(H)[-ni:]
        (W1, _), (W2, _) = mlp.unflatten(theta)  # W1 is (N_i, N_h): the paper's W₁ᵀ
        law = np.linalg.eigvalsh(float(np.sum(W2 ** 2)) * np.eye(ni) + W1 @ W1.T)
        formula_err = max(formula_err, float(np.max(np.abs(top - law)) / law.max()))
        pooled.append(top)
    return dict(ni=ni, nh=nh, teachers=teachers, eigenvalues=np.concatenate(pooled),
                formula_error=formula_err, ranks=sorted(ranks), min_gap=float(min(gaps)))


def ks_distances(eigenvalues: np.ndarray, ni: int, nh: int) -> tuple[float, float]:
    """KS distance to the MP⊛χ² law and to the law with the χ² shift fixed at its mean."""
    from scipy import stats

    from ..spectral import marchenko_pastur_density, mp_chi2_cdf

    s1, s2 = 1 / np.sqrt(ni), 1 / np.sqrt(nh)
    ks = stats.kstest(eigenvalues, lambda x: mp_chi2_cdf(x, ni, nh, s1, s2)).statistic
    q, shift, scale = ni / nh, s2 ** 2 * nh, s1 ** 2 * nh
    grid = np.linspace((1 - np.sqrt(q)) ** 2, (1 + np.sqrt(q)) ** 2, 20001)
    dens = marchenko_pastur_density(grid, q)
    atom = max(0.0, 1 - 1 / q)  # the MP atom at μ = 0 (q > 1): mass at λ = shift exactly
    cdf = atom + np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(grid))])

    def fixed_cdf(x):
        u = (np.asarray(x) - shift) / scale
        return np.where(u < 0, 0.0, np.interp(u, grid, cdf, left=atom))

    fixed = stats.kstest(eigenvalues, fixed_cdf).statistic
    return float(ks), float(fixed)


def rank_table(rng: np.random.Generator) -> list[dict]:
    from .. import MLP
    from ..spectral import numerical_rank

    rows = []
    for act in RANK_ACTIVATIONS:
        for ni, nh in RANK_SHAPES:
            mlp = MLP([ni, nh, 1], activation=act, bias=False, loss="mse")
            theta = mlp.init(int(rng.integers(2**31)))
            X = rng.standard_normal((2 * mlp.n_params + 50, ni))
            res = numerical_rank(mlp.hessian(theta, X, mlp.predict(theta, X)))
            rows.append(dict(activation=act, ni=ni, nh=nh, P=mlp.n_params, rank=res.rank,
                             expected=expected_rank(act, ni, nh), gap=res.gap))
    return rows


def late_time_gd(steps: int, rng: np.random.Generator) -> dict:
    from .. import MLP

    mlp = MLP([GD["ni"], GD["nh"], 1], activation="erf", bias=False, loss="mse")
    theta_star = mlp.init(int(rng.integers(2**31)))
    X = rng.standard_normal((GD["N"], GD["ni"]))
    y = mlp.predict(theta_star, X)
    lam, V = np.linalg.eigh(mlp.hessian(theta_star, X, y))
    d = rng.standard_normal(mlp.n_params)
    theta = theta_star + GD["eps"] * d / np.linalg.norm(d)
    eta = 1.0 / lam[-1]
    c = V.T @ (theta - theta_star)
    loss = np.empty(steps)
    for t in range(steps):
        loss[t] = mlp.loss(theta, X, y)
        theta = theta - eta * mlp.grad(theta, X, y)
    t = np.arange(steps)
    modes = 0.5 * lam * c ** 2 * (1 - eta * lam)[None, :] ** (2 * t[:, None])
    slow = lam < SLOW * lam[-1]
    return dict(eigenvalues=lam, eta=eta, loss=loss, predicted=modes.sum(axis=1),
                slow=modes[:, slow].sum(axis=1), n_slow=int(slow.sum()), steps=steps)


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    rng = np.random.default_rng([seed, 2025])
    teachers = 60 if quick else 500
    spectra = []
    for ni, nh in SHAPES:
        if progress is not None:
            progress(f"teacher-student: linear spectrum (N_i, N_h) = ({ni}, {nh}), {teachers} teachers")
        s = linear_spectrum(ni, nh, teachers, rng)
        s["ks"], s["ks_fixed_shift"] = ks_distances(s["eigenvalues"], ni, nh)
        spectra.append(s)
    if progress is not None:
        progress("teacher-student: rank table")
    ranks = rank_table(rng)
    if progress is not None:
        progress("teacher-student: late-time gradient descent")
    gd = late_time_gd(4000 if quick else 20000, rng)
    return dict(quick=quick, seed=seed, spectra=spectra, ranks=ranks, gd=gd)


def gd_summary(gd: dict) -> tuple[float, float, float]:
    """Largest relative deviation from the prediction; the slow modes' share of the predicted
    loss at t = 0 and at the end."""
    rel = np.abs(gd["loss"] - gd["predicted"]) / gd["predicted"]
    share = gd["slow"] / gd["predicted"]
    return float(rel.max()), float(share[0]), float(share[-1])


def table(data: dict) -> str:
    lines = [f"teacher-student Hessians at the teacher ({'quick' if data['quick'] else 'full'} protocol, "
             f"seed {data['seed']})", "",
             "1. linear nets, whitened inputs: nonzero eigenvalues pooled over teachers vs MP⊛χ²",
             f"{'N_i':>4} {'N_h':>4} {'teachers':>8} {'rank':>5} {'min gap':>9} {'|eig - formula|':>15} "
             f"{'KS(MP⊛χ²)':>10} {'KS(fixed shift)':>15}"]
    for s in data["spectra"]:
        lines.append(f"{s['ni']:>4} {s['nh']:>4} {s['teachers']:>8} {','.join(map(str, s['ranks'])):>5} "
                     f"{s['min_gap']:>9.2g} {s['formula_error']:>15.2g} {s['ks']:>10.4f} {s['ks_fixed_shift']:>15.4f}")
    lines += ["", "2. rank of H at the teacher (N >= P samples) against the formulas",
              f"{'g':>7} {'N_i':>4} {'N_h':>4} {'P':>4} {'rank':>5} {'formula':>7} {'gap':>9}"]
    for r in data["ranks"]:
        mark = "" if r["rank"] == r["expected"] else "   MISMATCH"
        lines.append(f"{r['activation']:>7} {r['ni']:>4} {r['nh']:>4} {r['P']:>4} {r['rank']:>5} "
                     f"{r['expected']:>7} {r['gap']:>9.2g}{mark}")
    gd = data["gd"]
    worst, share0, share1 = gd_summary(gd)
    lam = gd["eigenvalues"]
    lines += ["", f"3. late-time GD on erf [{GD['ni']}, {GD['nh']}, 1], η = 1/λ_max = {gd['eta']:.4g}, "
              f"{gd['steps']} steps, ε = {GD['eps']:g}",
              f"   eigenvalues {lam[0]:.3g} … {lam[-1]:.3g}; loss {gd['loss'][0]:.3g} → {gd['loss'][-1]:.3g}",
              f"   max |L_t − ½Σλc²(1−ηλ)^(2t)| / prediction = {worst:.2e}",
              f"   the {gd['n_slow']} modes with λ < {SLOW:g} λ_max hold {share0:.1%} of the loss at t = 0 and "
              f"{share1:.1%} at the end"]
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..spectral import mp_chi2_density

    out = Path(out)
    paths = [write_rows(out / "spectrum.csv", [dict(ni=s["ni"], nh=s["nh"], eigenvalue=float(v))
                                               for s in data["spectra"] for v in s["eigenvalues"]]),
             write_rows(out / "spectrum_summary.csv", [
                 dict(ni=s["ni"], nh=s["nh"], teachers=s["teachers"], ranks=" ".join(map(str, s["ranks"])),
                      min_gap=s["min_gap"], formula_error=s["formula_error"], ks=s["ks"],
                      ks_fixed_shift=s["ks_fixed_shift"]) for s in data["spectra"]]),
             write_rows(out / "ranks.csv", data["ranks"])]
    gd = data["gd"]
    paths.append(write_rows(out / "late_time_gd.csv", [
        dict(t=t, loss=float(a), predicted=float(b), slow_modes=float(c))
        for t, (a, b, c) in enumerate(zip(gd["loss"], gd["predicted"], gd["slow"]))]))

    fig, axes = plt.subplots(1, len(data["spectra"]), figsize=(5.2 * len(data["spectra"]), 3.8))
    for ax, s in zip(np.atleast_1d(axes), data["spectra"]):
        ni, nh = s["ni"], s["nh"]
        ev = s["eigenvalues"]
        ax.hist(ev, bins=60, density=True, color="0.75", label=f"exact H, {s['teachers']} teachers")
        x = np.linspace(0, ev.max() * 1.05, 600)
        ax.plot(x, mp_chi2_density(x, ni, nh, 1 / np.sqrt(ni), 1 / np.sqrt(nh)), "C3", lw=1.6,
                label=f"σ₂²χ²$_{{{nh}}}$ ⊛ MP (KS {s['ks']:.3f})")
        ax.set_title(f"linear, (N_i, N_h) = ({ni}, {nh})", fontsize=10)
        ax.set_xlabel("nonzero eigenvalue λ of H at the teacher")
        ax.set_ylabel("density")
        ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "spectrum.png", dpi=110))
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(10.5, 3.8))
    t = np.arange(gd["steps"])
    axes[0].semilogy(t, gd["loss"], "k", lw=2.2, label="measured L_t")
    axes[0].semilogy(t, gd["predicted"], "C1--", lw=1.2, label="½ Σ λ_k c_k² (1 − ηλ_k)^{2t}")
    axes[0].semilogy(t, gd["slow"], "C0:", lw=1.4, label=f"the {gd['n_slow']} modes with λ < {SLOW:g} λ_max")
    axes[0].set_xlabel("GD step t")
    axes[0].set_ylabel("loss")
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"erf [{GD['ni']}, {GD['nh']}, 1] from θ* + {GD['eps']:g}·d", fontsize=10)
    axes[1].semilogy(t, np.abs(gd["loss"] - gd["predicted"]) / gd["predicted"], "C2")
    axes[1].set_xlabel("GD step t")
    axes[1].set_ylabel("|measured − predicted| / predicted")
    axes[1].set_title("deviation from the eigen-mode prediction", fontsize=10)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "late_time_gd.png", dpi=110))
    plt.close(fig)
    return paths
