r"""Training MLPs by Newton's method on a summary of the Hessian (Wolinski 2023), against GD, BFGS, Newton.

P. Wolinski, "Adapting Newton's method to neural networks through a summary of higher-order
derivatives" (2023). The parameters are split into S groups — here one per tensor, W_l and b_l,
so S = 2 × layers — and moved along the gradient u = g with one rate per group,

    θ_s ← θ_s − λ η_s u_s,     η = H̄⁻¹ ḡ,     ḡ_s = u_sᵀ g_s,     H̄_st = u_sᵀ H_st u_t,

the Newton step of the S-variable function η ↦ L(θ − Σ_s η_s u_s): S Hessian–vector products per
step, never the P × P Hessian (:mod:`refopt.optim.partition_newton`). The paper's cubic variant
replaces η by the minimizer of the anisotropic cubic model −ḡᵀη + ½ηᵀH̄η + (λ_int/6)‖Dη‖³,
D = diag(|∂³L/∂η_s³|^{1/3}), which takes S third directional derivatives more (Taylor mode,
:mod:`refopt.nn.taylor`).

Protocol (this module's decisions; the paper trains on MNIST/CIFAR-10 with mini-batches):

1. Two synthetic full-batch tasks, N = 256 inputs x ~ N(0, I₆) labelled by a teacher network of the
   student's shape whose weights are twice LeCun's scale (:func:`refopt.nn.teacher_student`):
   **regression** [6, 12, 12, 1] tanh, mse, label noise 0.05 (P = 253); **classification**
   [6, 12, 12, 3] tanh, softmax cross-entropy, labels = the teacher's argmax (P = 279).
   The student starts from ``mlp.init(seed)``.
2. Methods, each with its stated defaults, all from the same start and for the same number of steps
   (a step is one update; line-search trials are not counted as steps but are timed):

   ==================  ==========================================================================
   GD                  p = −g, Wolfe line search (refopt's defaults: c₁ = 1e-4, c₂ = 0.9)
   BFGS                refopt's BFGS, Wolfe line search
   Newton              saddle-free Newton with the exact (structured) Hessian, Wolfe line search
   PN λ=0.1            partition Newton, damping λ = 0.1 (the public code's), rates clipped at 0,
                       fixed step (no line search)
   PN + Wolfe          partition Newton, λ = 1, rates clipped at 0 (so p is a descent direction),
                       Wolfe line search from α = 1
   PN cubic            partition Newton with the cubic term, λ_int = 10 (the public code's default),
                       λ = 1, rates clipped at 0, fixed step
   PN cubic + Wolfe    the same, with a Wolfe line search from α = 1
   ==================  ==========================================================================

3. Recorded per step: the loss and the wall time of the optimization (:func:`refopt.nn.train`;
   each method first takes two untimed steps, so that loading its compiled kernels is not timed).

What it shows (``refopt reproduce partition-newton``, seed 0, 600 steps; the table has the rest):
with a Wolfe search or the cubic term, partition Newton needs fewer steps than GD to reach 1 % of
the initial loss (regression 292 and 480 against 535; classification 177 and 146 against 215) at
S = 6 HVPs per step, and on the classification task the cubic variant ends lowest of all
(1e-14 after 600 steps, where GD is at 2e-5 and BFGS and Newton stop at 1e-10 – 1e-11 when their
line searches fail at rounding level). BFGS (curvature accumulated over steps) and Newton (all P²
curvature at every step) reach 1 % in 30–57 steps; Newton costs the most wall time per step
(about 40–60 ms, against 1–7 ms for partition Newton and about 1 ms for BFGS), and in wall time BFGS is
the fastest here. The public code's fixed damping 0.1 without a line search oscillates on the
regression task and stalls on the classification task: at step 23 every rate of the summary is
negative and clipped to 0, so there is no step (status 5, with that message). The summary's Newton
step is only as good as H̄ is positive definite; the line search repairs that. The cubic term
without a line search is not safe either: on the regression task (quick protocol, seed 1) it
diverges (loss 4e6 within ten steps) until the cubic model is unbounded below (status 5). L is
quadratic along the last layer's tensors (mse, linear output), so D_s = 0 there and an
indefinite H̄ is not regularised in those groups; with the Wolfe search it trains like the plain
summary with one.

Full protocol: 600 steps (about a minute on 2 cores); ``quick``: 80 steps (about ten seconds).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..files import save_figure
from . import write_rows

SUMMARY = "partition-summary Newton (Wolinski 2023) training MLPs, against GD, BFGS and Newton"

N_SAMPLES, WIDTH, NOISE, TEACHER_SCALE = 256, (6, 12, 12), 0.05, 2.0
TASKS = ("regression", "classification")
METHODS = {  # name -> (refopt method, line search, options)
    "GD": ("gd", "wolfe", {}),
    "BFGS": ("bfgs", "wolfe", {}),
    "Newton": ("newton", "wolfe", {}),
    "PN λ=0.1": ("partition-newton", None, {"damping": 0.1, "clip": True}),
    "PN + Wolfe": ("partition-newton", "wolfe", {"clip": True}),
    "PN cubic": ("partition-newton", None, {"lambda_int": 10.0, "clip": True}),
    "PN cubic + Wolfe": ("partition-newton", "wolfe", {"lambda_int": 10.0, "clip": True}),
}
FULL, QUICK = {"steps": 600}, {"steps": 80}


def problem(task: str, seed: int = 0):
    """(objective, x0) of one task (module docstring, step 1)."""
    from ..nn import MLP, teacher_student

    if task == "regression":
        mlp = MLP(list(WIDTH) + [1], "tanh")
        noise = NOISE
    elif task == "classification":
        mlp = MLP(list(WIDTH) + [3], "tanh", loss="softmax_ce")
        noise = 0.0
    else:
        raise ValueError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    teacher = TEACHER_SCALE * mlp.init(seed + 1000)
    X, y, _ = teacher_student(mlp, N_SAMPLES, seed=seed + 100, noise=noise, theta_star=teacher)
    return mlp.objective(X, y), mlp.init(seed)


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    from ..nn import train

    steps = (QUICK if quick else FULL)["steps"]
    runs = []
    for task in TASKS:
        obj, x0 = problem(task, seed)
        for name, (method, line_search, options) in METHODS.items():
            if progress is not None:
                progress(f"partition-newton: {task}, {name} ({steps} steps)")
            # two untimed steps first: what Numba loads on a method's first call is not its step's cost
            train(obj, x0, method=method, steps=2, line_search=line_search, options=options)
            res = train(obj, x0, method=method, steps=steps, line_search=line_search, options=options)
            h = res.history
            runs.append({"task": task, "method": name, "P": obj.n, "S": len(obj.groups), "step": h["step"],
                         "loss": h["loss"], "time": h["time"], "status": res.status, "message": res.message,
                         "nfev": res.nfev, "nhev": res.nhev})
    return {"quick": quick, "seed": seed, "steps": steps, "runs": runs}


def summary(data: dict) -> list[dict]:
    """Per task × method: the final loss, the steps taken, the time per step, and the steps and
    seconds to reach 1e-2 × the initial loss (NaN where never reached)."""
    rows = []
    for r in data["runs"]:
        target = 1e-2 * r["loss"][0]
        hit = np.flatnonzero(r["loss"] <= target)
        taken = int(r["step"][-1])
        rows.append({"task": r["task"], "method": r["method"], "P": r["P"], "S": r["S"],
                     "initial_loss": float(r["loss"][0]), "final_loss": float(r["loss"][-1]), "steps": taken,
                     "ms_per_step": 1e3 * float(r["time"][-1]) / max(1, taken),
                     "steps_to_1pct": int(r["step"][hit[0]]) if hit.size else np.nan,
                     "seconds_to_1pct": float(r["time"][hit[0]]) if hit.size else np.nan,
                     "nfev": r["nfev"], "nhev": r["nhev"], "status": r["status"]})
    return rows


def table(data: dict) -> str:
    lines = [f"partition-summary Newton ({'quick' if data['quick'] else 'full'} protocol, seed {data['seed']}, "
             f"{data['steps']} steps, N = {N_SAMPLES}): loss after the steps; steps and seconds to 1 % of the "
             f"initial loss"]
    head = f"{'task':>15} {'method':>16} {'P':>4} {'S':>2} {'final loss':>11} {'ms/step':>8} {'steps→1%':>9} " \
           f"{'s→1%':>7} {'nfev':>6} {'nhev':>6} {'status':>6}"
    lines.append(head)
    for r in summary(data):
        s1 = "-" if np.isnan(r["steps_to_1pct"]) else f"{r['steps_to_1pct']:d}"
        t1 = "-" if np.isnan(r["seconds_to_1pct"]) else f"{r['seconds_to_1pct']:.3f}"
        lines.append(f"{r['task']:>15} {r['method']:>16} {r['P']:>4} {r['S']:>2} {r['final_loss']:>11.3e} "
                     f"{r['ms_per_step']:>8.2f} {s1:>9} {t1:>7} {r['nfev']:>6} {r['nhev']:>6} {r['status']:>6}")
    stalled = [r for r in data["runs"] if r["status"] not in (0, 1)]
    for r in stalled:
        lines.append(f"  {r['task']}, {r['method']}: {r['message']}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    rows = [{"task": r["task"], "method": r["method"], "step": int(k), "loss": float(f), "seconds": float(t)}
            for r in data["runs"] for k, f, t in zip(r["step"], r["loss"], r["time"])]
    paths = [write_rows(out / "partition_newton_runs.csv", rows),
             write_rows(out / "partition_newton_summary.csv", summary(data))]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    colors = {name: f"C{i}" for i, name in enumerate(METHODS)}
    for i, task in enumerate(TASKS):
        for r in (r for r in data["runs"] if r["task"] == task):
            style = "-" if r["method"].startswith("PN") else "--"
            axes[i, 0].semilogy(r["step"], r["loss"], style, color=colors[r["method"]], label=r["method"])
            axes[i, 1].semilogy(np.maximum(r["time"], 1e-4), r["loss"], style, color=colors[r["method"]],
                                label=r["method"])
        axes[i, 0].set_title(f"{task}: loss against steps", fontsize=10)
        axes[i, 1].set_title(f"{task}: loss against wall time", fontsize=10)
        axes[i, 1].set_xscale("log")
        axes[i, 0].set_xlabel("step")
        axes[i, 1].set_xlabel("seconds")
        axes[i, 0].set_ylabel("training loss")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(f"partition-summary Newton (one group per tensor) vs GD, BFGS, Newton — seed {data['seed']}",
                 fontsize=11)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "partition_newton.png", dpi=110))
    plt.close(fig)
    return paths
