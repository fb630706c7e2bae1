"""Stochastic Newton for streaming logistic regression: error curves of SGD, SN, hybrid and WASN.

Reproduces the kind of figure in the simulation sections of Bercu, Godichon-Baggioni & Portier
(2020), Boyer & Godichon-Baggioni (2023) and Bercu, Fredes & Gbaguidi (2025): the mean squared error
‖θ_n − θ‖² against n on log-log axes, averaged over replications.

Protocol.

1. Two models: d = 5, θ = (−2, −1, 0, 1, 2), x ~ N(0, I₅) (the classic); and d = 50 with
   Toeplitz(0.9) design, Σ_ij = 0.9^{|i−j|}, and θ ∝ (−2, ..., 2) evenly spaced, scaled to
   θᵀΣθ = 10, the signal strength θᵀΣθ = ‖θ‖² = 10 of the d = 5 model (the sources do not fix θ
   for d = 50; an unscaled ramp gives θᵀΣθ ≈ 1300 and labels that are nearly deterministic).
2. Starts θ_0 = θ + r·Z/‖Z‖ (Z ~ N(0, I)) at r = 0.5 (near) and r = 5 (far); one start and one
   data stream per replication, shared by the four methods (common random numbers).
3. Each method with its documented defaults (refopt.stochastic.DEFAULTS) reads the stream once,
   fed in chunks (``StreamingLogistic.partial_fit``); ‖θ_m − θ‖² and the Hessian-estimate error
   ‖S_m/m − H(θ)‖_F/‖H(θ)‖_F are recorded 10 times a decade; H(θ) is the exact population
   Hessian (refopt.stochastic.population_hessian).
4. Reference line: for the efficient methods n·E‖θ_n − θ‖² → tr(H⁻¹) (√n(θ_n − θ) → N(0, H⁻¹)),
   so the curves should approach tr(H⁻¹)/n; plain SGD decays like n^{−γ} instead.

Full protocol: d = 5 with n = 10⁶ and 50 replications, d = 50 with n = 3·10⁵ and 20 (a few
minutes on 2 cores). ``quick``: n = 2·10⁴ / 5·10³ and 4 / 2 replications.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ..files import atomic_path, save_figure

SUMMARY = "stochastic Newton (SN, hybrid, WASN) vs SGD on streaming logistic regression: error vs n"

METHODS = ("sgd", "sn", "hybrid", "wasn")
RADII = (0.5, 5.0)
CHUNK = 50_000


def models(quick: bool) -> list[dict]:
    """The two settings of the protocol, with their sample sizes."""
    from ..stochastic import covariance

    d50 = np.linspace(-2.0, 2.0, 50)
    cov50 = covariance(50, "toeplitz", rho=0.9)
    d50 *= np.sqrt(10.0 / (d50 @ cov50 @ d50))
    return [
        dict(name="d5", d=5, kind="gaussian", theta=np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), cov=np.eye(5),
             n=20_000 if quick else 1_000_000, reps=4 if quick else 50),
        dict(name="d50", d=50, kind="toeplitz", theta=d50, cov=cov50,
             n=5_000 if quick else 300_000, reps=2 if quick else 20),
    ]


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    from ..stochastic import StreamingLogistic, default_checkpoints, population_hessian, start_point, stream

    out = {"quick": quick, "seed": seed, "models": []}
    for mi, m in enumerate(models(quick)):
        H = population_hessian(m["theta"], m["cov"])
        cps = np.union1d(default_checkpoints(m["n"]), [m["n"]])
        err = {(r, meth): np.zeros(cps.size) for r in RADII for meth in METHODS}
        herr = {(r, meth): np.zeros(cps.size) for r in RADII for meth in METHODS if meth != "sgd"}
        failures = []
        for rep in range(m["reps"]):
            if progress is not None:
                progress(f"stochastic-newton: {m['name']} replication {rep + 1}/{m['reps']}")
            ss = np.random.SeedSequence([seed, mi, rep]).spawn(len(RADII) + 1)
            ests = {}
            for ri, r in enumerate(RADII):
                theta0 = start_point(m["theta"], r, seed=np.random.default_rng(ss[ri]))
                for meth in METHODS:
                    ests[r, meth] = StreamingLogistic(
                        meth, theta0=theta0, theta_true=m["theta"], checkpoints=cps,
                        hessian_true=None if meth == "sgd" else H)
            for X, y in stream(m["n"], CHUNK, m["theta"], m["kind"], rho=0.9, seed=np.random.default_rng(ss[-1])):
                for est in ests.values():
                    est.partial_fit(X, y)
            for key, est in ests.items():
                res = est.result()
                if not res.success:
                    failures.append(f"{m['name']} r={key[0]} {key[1]} rep {rep}: {res.message}")
                    continue
                err[key] += res.errors / m["reps"]
                if key in herr:
                    herr[key] += res.hessian_errors / m["reps"]
        out["models"].append(dict(
            name=m["name"], d=m["d"], kind=m["kind"], n=m["n"], reps=m["reps"], theta=m["theta"],
            trace_Hinv=float(np.trace(np.linalg.inv(H))), checkpoints=cps, mse=err, hessian_error=herr,
            failures=failures))
    return out


def table(data: dict) -> str:
    lines = [f"stochastic Newton for logistic regression ({'quick' if data['quick'] else 'full'} protocol, "
             f"seed {data['seed']}): mean ‖θ_n − θ‖² over replications; n·MSE → tr(H⁻¹) for efficient methods"]
    for m in data["models"]:
        n = m["n"]
        lines.append(f"\n{m['name']}: d = {m['d']}, {m['kind']} design, n = {n:,}, {m['reps']} replications, "
                     f"tr(H⁻¹) = {m['trace_Hinv']:.4g}")
        lines.append(f"{'start':>7} {'method':>7} {'MSE at n/100':>13} {'MSE at n':>11} {'n·MSE':>9} "
                     f"{'Hess err at n':>14}")
        cps = m["checkpoints"]
        early = int(np.searchsorted(cps, max(n // 100, 1)))
        for (r, meth), mse in m["mse"].items():
            he = m["hessian_error"].get((r, meth))
            lines.append(f"{r:>7g} {meth:>7} {mse[early]:>13.3e} {mse[-1]:>11.3e} {n * mse[-1]:>9.3g} "
                         f"{'-' if he is None else f'{he[-1]:.3e}':>14}")
        for f in m["failures"]:
            lines.append(f"  FAILED: {f}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    csv_path = out / "stochastic_newton.csv"
    with atomic_path(csv_path) as tmp, open(tmp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["model", "d", "design", "r", "method", "n", "mse", "hessian_error", "trace_Hinv_over_n"])
        for m in data["models"]:
            for (r, meth), mse in m["mse"].items():
                he = m["hessian_error"].get((r, meth))
                for i, k in enumerate(m["checkpoints"]):
                    w.writerow([m["name"], m["d"], m["kind"], r, meth, int(k), f"{mse[i]:.10g}",
                                "" if he is None else f"{he[i]:.10g}", f"{m['trace_Hinv'] / k:.10g}"])
    paths = [csv_path]
    colors = {"sgd": "tab:gray", "sn": "tab:blue", "hybrid": "tab:red", "wasn": "tab:green"}
    for what, fname, ylabel in (("mse", "stochastic_newton_error.png", "mean ‖θ_n − θ‖²"),
                                ("hessian_error", "stochastic_newton_hessian.png", "‖S_n/n − H‖_F / ‖H‖_F")):
        models_ = data["models"]
        fig, axes = plt.subplots(len(models_), len(RADII), figsize=(5 * len(RADII), 3.6 * len(models_)),
                                 squeeze=False)
        for i, m in enumerate(models_):
            for j, r in enumerate(RADII):
                ax = axes[i, j]
                for meth in METHODS:
                    curve = m[what].get((r, meth))
                    if curve is not None:
                        ax.loglog(m["checkpoints"], curve, label=meth, color=colors[meth])
                if what == "mse":
                    ax.loglog(m["checkpoints"], m["trace_Hinv"] / m["checkpoints"], "k--", lw=0.8,
                              label="tr(H⁻¹)/n")
                ax.set_title(f"{m['name']} ({m['kind']}), r = {r:g}, {m['reps']} reps", fontsize=9)
                ax.set_xlabel("n")
                ax.set_ylabel(ylabel)
                ax.grid(True, which="major", alpha=0.3)
                ax.legend(fontsize=7)
        fig.tight_layout()
        path = out / fname
        save_figure(fig, path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths
