r"""Exact stochastic Newton with batch size 1 against SGD and full-batch Newton, on a small MLP.

Mehouachi & Kasmi, "Exact stochastic second order deep learning" (arXiv 2104.03804, 2021): for
batch size 1 and a suitable regularisation the stochastic Hessian, its eigenvalues and the Newton
direction have closed forms, and non-convexity is handled by an absolute-value (spectral)
adjustment. Only the paper's abstract was consulted; the formulas below are refopt's reading
(:mod:`refopt.nn.sample_newton` derives them), not the paper's equations, and the protocol is
this module's.

**The method.** The objective is the L2-regularised training loss

    F(θ) = (1/N) Σ_i ℓ_i(θ) + (λ/2)‖θ‖²  =  (1/N) Σ_i F_i(θ),   F_i = ℓ_i + (λ/2)‖θ‖².

The Hessian of one sample's loss is low rank, ∇²ℓ_i = U C Uᵀ with U (P × r) orthonormal, built from
the sample's forward and backward quantities h̃_j and δ_j, and C = UᵀHU (r × r) from r
Hessian–vector products; r = Σ_{j<L−1} T_j + (C_out − [softmax]) + Σ_{j≥1} fan_in_j generically,
against P = Σ (fan_in + 1) T. Hence ∇²F_i = λI + UCUᵀ has the eigenvalues λ (P − r times) and
λ + μ_k, and with C = QΛQᵀ, g_i = ∇F_i(θ),

    d_i = U Q |λ + Λ|⁻¹ Qᵀ Uᵀ g_i + (g_i − U Uᵀ g_i)/λ,      θ ← θ − η d_i,            (ESN)

the saddle-free ("|·|") exact Newton direction of F_i; here |λ + μ_k| is also floored at λ, so
that no eigendirection of V is stepped further than in the complement. The complement term
equals θ − UUᵀθ (∇ℓ_i ∈ span U): in V^⊥ the step is weight decay of rate η, whatever λ is.

**Protocol** (choices of this module):

* Task: teacher–student regression as in ``partition-newton``: N = 256 inputs x ~ N(0, I₆),
  a [6, 12, 12, 1] tanh teacher with twice LeCun's scale, label noise 0.05; the student has the
  same shape (P = 253, r = 49), mse loss, λ = 1e-2, starts from ``mlp.init(seed)``.
* SGD: batch 1, θ ← θ − α ∇F_i(θ), α = 0.03 (the best of {0.01, 0.03, 0.1, 0.3} over 10 epochs
  in a preliminary run; 0.3 diverges).
* ESN: batch 1, the step above with η = 0.003 and floor λ (the best of η ∈ {0.003, 0.01, 0.03,
  0.1}, floor ∈ {0, λ}, λ ∈ {1e-3, 1e-2, 1e-1} in the same preliminary run: larger η or no
  floor diverge or oscillate, every setting stalls at F ≈ 1).
* Both stochastic methods visit the samples in a seeded permutation per epoch (the same for both).
* Full Newton: :func:`refopt.minimize` method "newton" (saddle-free, refopt's defaults) with the
  exact full-batch Hessian ``mlp.hessian`` + λI and a Wolfe line search; one step sees N samples.
* Recorded: F(θ) on all samples after every epoch (N samples seen; one Newton step), and the wall
  time of the updates (evaluating F is not timed); r, the bound and the dense rank of the
  per-sample Hessian (``numpy.linalg.matrix_rank`` of ``mlp.hessian`` on one row) for a few samples
  at the start and at the end; the cost of one step of each method.

**What the runs show** (``refopt reproduce exact-stochastic-newton``, seed 0, 20 epochs): r = 49 =
the bound = the dense rank at every sample checked, against P = 253, with ‖UCUᵀ − H‖/‖H‖ ≤ 1e-15;
one ESN step costs about 2.2 ms (SGD 0.21 ms; a full Newton step, N = 256, about 38 ms). But the
exact per-sample Newton step trains worse than SGD: after 5120 samples F = 1.33 (best 1.03) for
ESN, 0.171 for SGD and 0.172 for 20 full Newton steps. In the quick runs (3 epochs) of seeds
0–3 ESN ends 3.1, 1.9, 1.4 and 1.6 times above SGD. The exact Newton step of one sample's F_i
fits that sample in the r directions where it has curvature and, in the P − r others, pulls θ to
zero at rate η: the regulariser that makes ∇²F_i invertible dominates the step, and a larger η
makes the per-sample fit unstable. This reading does not reproduce the abstract's claim that the
exact stochastic method is adequate for training; the paper's own regulariser or step rule may
differ.

Full protocol: 20 epochs (16 s on 2 unloaded cores); ``quick``: 3 epochs (about 5 s after the first
run's Numba compilation). The wall times are the machine's: with other jobs running on the same
cores one run measured 29 ms per ESN step, 156 s for the full protocol and 31 s for ``quick``; the
ordering of the methods per sample seen does not depend on it.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .. import arguments as _a
from ..files import save_figure
from . import write_rows

SUMMARY = "exact stochastic Newton, batch 1 (Mehouachi & Kasmi 2021): low-rank per-sample Hessian vs SGD and Newton"

N_SAMPLES, SIZES, NOISE, TEACHER_SCALE = 256, (6, 12, 12, 1), 0.05, 2.0
LAM, SGD_LR, ESN_STEP = 1e-2, 0.03, 0.003
FULL, QUICK = {"epochs": 20}, {"epochs": 3}
RANK_SAMPLES = 4
METHODS = ("SGD", "ESN |·|", "Newton")


def problem(seed: int = 0):
    """(mlp, X, y, θ0) of the module docstring."""
    from ..nn import MLP, teacher_student

    mlp = MLP(list(SIZES), "tanh")
    teacher = TEACHER_SCALE * mlp.init(seed + 1000)
    X, y, _ = teacher_student(mlp, N_SAMPLES, seed=seed + 100, noise=NOISE, theta_star=teacher)
    return mlp, X, y[:, 0], mlp.init(seed)


def objective(mlp, X, y, lam: float):
    """F(θ) = L(θ) + (λ/2)‖θ‖², its gradient and Hessian (dense, exact)."""
    def f(th):
        return mlp.loss(th, X, y) + 0.5 * lam * float(th @ th)

    def grad(th):
        return mlp.grad(th, X, y) + lam * th

    def hess(th):
        H = mlp.hessian(th, X, y)
        H[np.diag_indices_from(H)] += lam
        return H

    return f, grad, hess


def stochastic_run(mlp, X, y, theta0, method: str, epochs: int, seed: int, lam: float = LAM):
    """SGD or ESN with batch 1: F after every epoch, the update time, and per-step timings."""
    from ..nn.sample_newton import newton_direction, sample_factors

    f, _, _ = objective(mlp, X, y, lam)
    rng = np.random.default_rng([seed, 2104])
    th = theta0.copy()
    F, times, elapsed, status = [f(th)], [0.0], 0.0, "ok"
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        t0 = time.perf_counter()
        for i in order:
            if method == "SGD":
                th = th - SGD_LR * (mlp.grad(th, X[i:i + 1], y[i:i + 1]) + lam * th)
            else:
                fac = sample_factors(mlp, th, X[i], y[i])
                th = th - ESN_STEP * newton_direction(fac, th, lam, saddle_free=True, floor=lam)
            if not np.all(np.isfinite(th)):
                status = "diverged"
                break
        elapsed += time.perf_counter() - t0
        F.append(f(th) if status == "ok" else np.nan)
        times.append(elapsed)
        if status != "ok":
            break
    steps = (len(F) - 1) * X.shape[0]
    return dict(method=method, F=np.array(F), time=np.array(times), samples=np.arange(len(F)) * X.shape[0],
                ms_per_step=1e3 * elapsed / max(1, steps), status=status, theta=th)


def newton_run(mlp, X, y, theta0, steps: int, lam: float = LAM):
    """Full-batch saddle-free Newton with a Wolfe line search: F after every step (N samples each)."""
    from .. import minimize

    f, grad, hess = objective(mlp, X, y, lam)
    # one untimed step first: what Numba compiles or loads on the first call is not a step's cost
    minimize(f, theta0, jac=grad, method="newton", hess=hess, options={"maxiter": 1, "gtol": 0.0})
    xs, stamps = [theta0.copy()], [0.0]
    t0 = time.perf_counter()

    def callback(xk):
        stamps.append(time.perf_counter() - t0)
        xs.append(np.array(xk, copy=True))

    res = minimize(f, theta0, jac=grad, method="newton", hess=hess, callback=callback,
                   options={"maxiter": steps, "gtol": 0.0})
    F = np.array([f(x) for x in xs])
    n = len(F) - 1
    return dict(method="Newton", F=F, time=np.array(stamps), samples=np.arange(len(F)) * X.shape[0],
                ms_per_step=1e3 * stamps[-1] / max(1, n), status=str(res.message), theta=xs[-1])


def rank_rows(mlp, X, y, theta, when: str, seed: int):
    """r, the bound (5) and the dense rank of the per-sample Hessian for RANK_SAMPLES samples."""
    from ..nn.sample_newton import rank_bound, sample_factors

    rows = []
    for i in np.random.default_rng([seed, 7]).choice(X.shape[0], RANK_SAMPLES, replace=False):
        t0 = time.perf_counter()
        fac = sample_factors(mlp, theta, X[i], y[i])
        ms = 1e3 * (time.perf_counter() - t0)
        H = mlp.hessian(theta, X[i:i + 1], y[i:i + 1])
        rows.append(dict(when=when, sample=int(i), P=mlp.n_params, r=fac.rank, bound=rank_bound(mlp),
                         dense_rank=int(np.linalg.matrix_rank(H)),
                         factor_error=float(np.linalg.norm(fac.U @ fac.C @ fac.U.T - H) / np.linalg.norm(H)),
                         ms_factors=ms))
    return rows


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    quick = _a.flag(quick, "quick")
    seed = _a.integer(seed, "seed", low=0)
    progress = _a.function(progress, "progress", allow_none=True)
    epochs = (QUICK if quick else FULL)["epochs"]
    mlp, X, y, theta0 = problem(seed)
    runs = []
    for method in METHODS:
        if progress is not None:
            progress(f"exact-stochastic-newton: {method}, {epochs} epochs of N = {N_SAMPLES}")
        if method == "Newton":
            runs.append(newton_run(mlp, X, y, theta0, epochs))
        else:
            runs.append(stochastic_run(mlp, X, y, theta0, method, epochs, seed))
    esn = next(r for r in runs if r["method"] == "ESN |·|")
    ranks = rank_rows(mlp, X, y, theta0, "start", seed) + rank_rows(mlp, X, y, esn["theta"], "end of ESN", seed)
    return dict(quick=quick, seed=seed, epochs=epochs, lam=LAM, P=mlp.n_params, runs=runs, ranks=ranks)


def summary(data: dict) -> list[dict]:
    rows = []
    for r in data["runs"]:
        rows.append(dict(method=r["method"], P=data["P"], lam=data["lam"], samples_seen=int(r["samples"][-1]),
                         initial_F=float(r["F"][0]), final_F=float(r["F"][-1]), best_F=float(np.nanmin(r["F"])),
                         seconds=float(r["time"][-1]), ms_per_step=float(r["ms_per_step"]), status=r["status"]))
    return rows


def table(data: dict) -> str:
    lines = [f"exact stochastic Newton ({'quick' if data['quick'] else 'full'} protocol, seed {data['seed']}, "
             f"{data['epochs']} epochs, N = {N_SAMPLES}, λ = {data['lam']:g}): F = L + (λ/2)‖θ‖² on all samples",
             f"SGD α = {SGD_LR:g}; ESN: saddle-free exact per-sample Newton, η = {ESN_STEP:g}, |λ+μ| floored at λ; "
             f"Newton: full-batch saddle-free Newton + Wolfe (one step = N samples)",
             f"{'method':>8} {'samples':>8} {'F(0)':>8} {'F(end)':>9} {'best F':>9} {'seconds':>8} {'ms/step':>8}  status"]
    for r in summary(data):
        lines.append(f"{r['method']:>8} {r['samples_seen']:>8d} {r['initial_F']:>8.4f} {r['final_F']:>9.4g} "
                     f"{r['best_F']:>9.4g} {r['seconds']:>8.2f} {r['ms_per_step']:>8.3f}  {r['status']}")
    lines += ["", "per-sample Hessian: r = dim span U against P, the bound (5) and the dense rank",
              f"{'when':>11} {'sample':>6} {'P':>4} {'r':>3} {'bound':>5} {'dense':>5} {'‖UCUᵀ−H‖/‖H‖':>14} {'ms':>6}"]
    for r in data["ranks"]:
        lines.append(f"{r['when']:>11} {r['sample']:>6d} {r['P']:>4d} {r['r']:>3d} {r['bound']:>5d} "
                     f"{r['dense_rank']:>5d} {r['factor_error']:>14.2e} {r['ms_factors']:>6.2f}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    curves = [dict(method=r["method"], samples=int(s), epoch=float(s / N_SAMPLES), F=float(F), seconds=float(t))
              for r in data["runs"] for s, F, t in zip(r["samples"], r["F"], r["time"])]
    paths = [write_rows(out / "exact_stochastic_newton_curves.csv", curves),
             write_rows(out / "exact_stochastic_newton_summary.csv", summary(data)),
             write_rows(out / "exact_stochastic_newton_ranks.csv", data["ranks"])]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, r in enumerate(data["runs"]):
        style = dict(color=f"C{k}", marker="o", ms=3, label=r["method"])
        axes[0].semilogy(r["samples"] / N_SAMPLES, r["F"], **style)
        axes[1].loglog(np.maximum(r["time"], 1e-4), r["F"], **style)
    axes[0].set_xlabel("samples seen / N (epochs; one Newton step = one epoch)")
    axes[1].set_xlabel("wall seconds of the updates (first point at 1e-4 s)")
    for ax in axes:
        ax.set_ylabel("F = L + (λ/2)‖θ‖² (all samples)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=9)
    r0 = data["ranks"][0]
    axes[0].set_title(f"against samples seen (P = {r0['P']}, per-sample rank r = {r0['r']})", fontsize=10)
    axes[1].set_title("against wall time", fontsize=10)
    fig.suptitle(f"exact stochastic Newton (batch 1) vs SGD and full Newton — λ = {data['lam']:g}, "
                 f"seed {data['seed']}", fontsize=11)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "exact_stochastic_newton.png", dpi=110))
    plt.close(fig)
    return paths
