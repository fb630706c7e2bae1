"""OGR against BFGS on the global-optimization classics — the comparison of Przybysz, Kołek,
Sobota and Duda (2025), with its protocol.

    refopt reproduce ogr-vs-bfgs [--quick] [--out DIR] [--seed S] [--protocol paper|authors]

(``--protocol authors``: the authors' benchmark code's protocol and its controls,
:mod:`refopt.experiments.ogr_authors`.)

The protocol. Sphere, Rosenbrock, Rastrigin, Ackley, Griewank, Schwefel and Zakharov in 10-D,
Beale and Himmelblau in 2-D, each on its usual box (``TestFunction.bounds``). From 200 starts
drawn uniformly in the box, four optimizers run: OGR (``method="ogr"``, full regressed Hessian,
saddle-free step) and BFGS, each with a strong-Wolfe line search ("+LS") and without one. Every
accepted iterate is clamped into the box (``options["bounds"]``); a run stops when ‖∇f‖₂ < 1e-8
or after 2000 steps. What is recorded at every step: the best f seen so far, the evaluations
spent, and the relative Frobenius error of the method's Hessian estimate against the exact
(hand-derived) Hessian at the iterate — for OGR its regressed H, for BFGS the inverse of its
inverse-Hessian approximation. Reported: the median and quartiles of best-so-far f − f* at the
budgets of 50, 250 and 2000 steps, the success rate (best f − f* ≤ 1e-8 within the budget) and
the median number of steps to reach it.

What the paper reports, in shape: OGR (with line search) far ahead on Ackley and Rastrigin;
BFGS+LS and OGR both reach ~1e-19 on Rosenbrock; BFGS without a line search often fails.

What refopt's run finds (full protocol, seed 0, 101 s on the 2-core machine, every run in the
compiled loop): the Rosenbrock result is reproduced (median best f − f* after 250 steps 1.6e-19
for OGR+LS, 6.3e-21 for BFGS+LS; 79 % and 88 % of the starts within 1e-8), and so are Sphere,
Zakharov and Himmelblau (100 % for all four). "OGR far ahead on Ackley and Rastrigin" is **not**
reproduced: every method ends in a local minimum there (Rastrigin median 67–85, Ackley 19.5–20.6
after 2000 steps), OGR without line search only slightly lower than the line-search methods on
Rastrigin. This OGR is a local method on exact gradients with β = min(0.5, 10/(n + 1)); the
settings the paper does not give (β, momentum, the cap) were swept in
:mod:`refopt.experiments.ogr_settings` (``refopt reproduce ogr-settings``): the best of 48 gets
Rastrigin's median to 52, none reaches the global minimum from any start, none moves Ackley.
"BFGS without line search often fails" shows as lower success on Rosenbrock (78 % vs 88 %) and
Beale's quartiles, and as the worst Schwefel results; on the other functions its fixed unit
quasi-Newton step inside the clamped box does about as well.

Decisions on what the protocol leaves open (documented here, exercised by
tests/test_experiments.py):

* **Budgets count steps (iterations)**, not evaluations; a line-search step costs several
  evaluations, so the median evaluations are reported beside them.
* **Without a line search** OGR takes the full model step (lr = 1) and BFGS the quasi-Newton step
  α = 1 (p = −H∇f), the plain ablation. OGR's step cap ``max_step`` is a tenth of the box's widest
  side (its default of 1 is in absolute units and would crawl on Schwefel's ±500 box); BFGS has no
  cap, as in the paper's ablation (the clamp keeps it in the box).
* **Starts** come from ``np.random.default_rng([seed, i])`` for the i-th function and are shared
  by the four optimizers (a paired comparison).
* **f*** is the registered global minimum (0 for all nine; Schwefel with its exact constant).
* ``--quick``: 12 starts and 250 steps (about 20 s), same functions and optimizers.
"""
from __future__ import annotations

import csv
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..files import atomic_path, save_figure
from ..functions import get
from ..optim import minimize
from . import write_rows

SUMMARY = "OGR vs BFGS, with and without line search, 9 classics, 200 box starts (Przybysz et al. 2025)"

FUNCTIONS = (("sphere", 10), ("rosenbrock", 10), ("rastrigin", 10), ("ackley", 10), ("griewank", 10),
             ("schwefel", 10), ("zakharov", 10), ("beale", 2), ("himmelblau", 2))
VARIANTS = (("OGR+LS", "ogr", "wolfe"), ("OGR", "ogr", None), ("BFGS+LS", "bfgs", "wolfe"), ("BFGS", "bfgs", None))
BUDGETS = (50, 250, 2000)
TOL = 1e-8
GTOL = 1e-8
FULL = dict(starts=200, steps=2000)
QUICK = dict(starts=12, steps=250)


@dataclass
class Cell:
    """One function × one optimizer over all starts."""

    function: str
    n: int
    variant: str
    best: np.ndarray  # (starts, steps + 1): best-so-far f − f*, carried past the end of a run
    nfev: np.ndarray  # (starts, steps + 1): evaluations spent, carried likewise
    hess_error: np.ndarray  # (starts, steps + 1): NaN past the end of a run
    messages: list = field(default_factory=list)

    def at(self, budget: int) -> np.ndarray:
        return self.best[:, min(budget, self.best.shape[1] - 1)]

    def steps_to_tol(self) -> np.ndarray:
        """First step with best f − f* ≤ TOL per start (NaN if never)."""
        hit = self.best <= TOL
        first = np.argmax(hit, axis=1).astype(float)
        first[~hit.any(axis=1)] = np.nan
        return first


def _carry(values: np.ndarray, length: int, fill: float | None = None) -> np.ndarray:
    out = np.empty(length)
    k = min(values.size, length)
    out[:k] = values[:k]
    out[k:] = values[k - 1] if fill is None else fill
    return out


def run_cell(name: str, n: int, variant: tuple, starts: np.ndarray, steps: int, extra: dict | None = None) -> Cell:
    """The runs of one optimizer on one function; ``extra`` options override the protocol's."""
    label, method, line_search = variant
    tf = get(name, n=n)
    lo, hi = tf.bounds
    options = {"gtol": GTOL, "norm": 2, "maxiter": steps, "bounds": (lo, hi), "trace": True}
    if method == "ogr":
        options["max_step"] = 0.1 * float(np.max(hi - lo))
    options.update(extra or {})
    best, nfev, herr, messages = [], [], [], []
    for x0 in starts:
        res = minimize(tf, x0, method=method, line_search=line_search, options=options)
        tr = res.trace
        gap = np.maximum(np.minimum.accumulate(tr["f"]) - tf.fstar, 0.0)
        best.append(_carry(gap, steps + 1))
        nfev.append(_carry(tr["nfev"].astype(float), steps + 1))
        herr.append(_carry(tr["hess_error"], steps + 1, np.nan))
        messages.append(res.message)
    return Cell(name, n, label, np.array(best), np.array(nfev), np.array(herr), messages)


def box_starts(name: str, n: int, seed: int, count: int) -> np.ndarray:
    """The protocol's starts for the function ``name``: uniform in its box, from
    ``default_rng([seed, i])`` with i its position in FUNCTIONS (shared by every optimizer)."""
    tf = get(name, n=n)
    i = [f for f, _ in FUNCTIONS].index(name)
    return np.random.default_rng([seed, i]).uniform(tf.bounds[0], tf.bounds[1], size=(count, n))


PROTOCOLS = ("paper", "authors")
"""``--protocol``: the paper's as stated (this module), or the authors' benchmark code's
(:mod:`refopt.experiments.ogr_authors`, with its controls)."""


def run(quick: bool = False, seed: int = 0, progress=None, *, protocol: str = "paper", starts: int | None = None,
        steps: int | None = None, functions=FUNCTIONS, variants=VARIANTS) -> dict:
    """Run the protocol; returns {"cells": [Cell], "steps", "starts", "seed", "seconds"}."""
    from .. import arguments

    if arguments.choice(protocol, "protocol", PROTOCOLS) == "authors":
        from . import ogr_authors

        if functions is not FUNCTIONS or variants is not VARIANTS:
            raise ValueError("functions and variants choose cells of the paper's protocol; the authors' protocol "
                             "runs its own (refopt.experiments.ogr_authors): pass quick, seed, starts, steps")
        return ogr_authors.run(quick=quick, seed=seed, progress=progress, starts=starts, steps=steps)
    size = dict(QUICK if quick else FULL)
    size["starts"] = starts or size["starts"]
    size["steps"] = steps or size["steps"]
    cells, t0 = [], time.perf_counter()
    total, done = len(functions) * len(variants), 0
    for name, n in functions:
        x0s = box_starts(name, n, seed, size["starts"])
        for variant in variants:
            if progress is not None:
                progress(f"ogr-vs-bfgs: {name} ({n}-D) {variant[0]:<8} {size['starts']} starts   "
                         f"[{done}/{total} done, {time.perf_counter() - t0:.0f} s]")
            cells.append(run_cell(name, n, variant, x0s, size["steps"]))
            done += 1
    return {"cells": cells, "seed": seed, "seconds": time.perf_counter() - t0, **size}


def _budgets(data: dict) -> list[int]:
    return [b for b in BUDGETS if b <= data["steps"]] or [data["steps"]]


def summary_rows(data: dict) -> list[dict]:
    rows = []
    for c in data["cells"]:
        to_tol = c.steps_to_tol()
        for b in _budgets(data):
            v = c.at(b)
            q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
            solved = to_tol <= b
            rows.append(dict(function=c.function, n=c.n, variant=c.variant, budget=b, median=med, q1=q1, q3=q3,
                             success_rate=float(np.mean(solved)),
                             median_steps_to_tol=float(np.median(to_tol[solved])) if solved.any() else np.nan,
                             median_nfev=float(np.median(c.nfev[:, min(b, c.nfev.shape[1] - 1)]))))
    return rows


def table(data: dict) -> str:
    if data.get("protocol") == "authors":
        from . import ogr_authors

        return ogr_authors.table(data)
    budgets = _budgets(data)
    head = f"{'function':<17}{'method':<9}" + "".join(
        f"{'f - f* at ' + str(b) + ': median [q1, q3]':>36}" for b in budgets) + f"{'success':>9}{'steps':>7}{'nfev':>7}"
    lines = [f"OGR vs BFGS: {data['starts']} starts per function, {data['steps']} steps, seed {data['seed']} "
             f"(success: f - f* <= {TOL:g} within {budgets[-1]} steps; steps: median to get there)", head, "-" * len(head)]
    rows = summary_rows(data)
    for i in range(0, len(rows), len(budgets)):
        group = rows[i:i + len(budgets)]
        r = group[-1]
        cells = "".join(f"{g['median']:>12.2e} [{g['q1']:.1e}, {g['q3']:.1e}]" for g in group)
        steps = "-" if np.isnan(r["median_steps_to_tol"]) else f"{r['median_steps_to_tol']:.0f}"
        lines.append(f"{r['function'] + ' (' + str(r['n']) + ')':<17}{r['variant']:<9}{cells}"
                     f"{100 * r['success_rate']:>8.0f}%{steps:>7}{r['median_nfev']:>7.0f}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    """summary.csv, runs.csv, final_f.png, convergence.png, hessian_error.png in ``out`` (the
    authors' protocol: its own files, :func:`refopt.experiments.ogr_authors.report`)."""
    if data.get("protocol") == "authors":
        from . import ogr_authors

        return ogr_authors.report(data, out)
    out = Path(out)
    paths = [out / "summary.csv", out / "runs.csv"]
    write_rows(paths[0], summary_rows(data))
    budgets = _budgets(data)
    with atomic_path(paths[1]) as tmp, open(tmp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["function", "n", "variant", "start"] + [f"best_gap_{b}" for b in budgets]
                   + ["steps_to_tol", "nfev", "message"])
        for c in data["cells"]:
            to_tol = c.steps_to_tol()
            for s in range(c.best.shape[0]):
                w.writerow([c.function, c.n, c.variant, s] + [repr(float(c.at(b)[s])) for b in budgets]
                           + ["" if np.isnan(to_tol[s]) else int(to_tol[s]), int(c.nfev[s, -1]), c.messages[s]])
    return paths + _figures(data, out)


def _grid(data: dict):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(c.function for c in data["cells"]))
    cols = 3
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    return plt, fig, dict(zip(names, axes.flat))


FLOOR = 1e-20  # gaps below are drawn at the floor on log axes


def _per_step_axes(ax, title: str, fontsize: int) -> None:
    """Log y, steps on a symlog x axis from 0 (the first ten steps linear)."""
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(left=0)
    ax.set_title(title, fontsize=fontsize)
    ax.set_xlabel("step", fontsize=8)
    ax.tick_params(labelsize=7)


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    save_figure(fig, path, dpi=110)
    plt.close(fig)
    return path


def _figures(data: dict, out: Path) -> list[Path]:
    paths = []
    variants = list(dict.fromkeys(c.variant for c in data["cells"]))
    colors = dict(zip(variants, ["C0", "C1", "C3", "C2"]))
    steps = np.arange(data["steps"] + 1)

    plt, fig, axes = _grid(data)  # final best f − f*, one box per optimizer
    for name, ax in axes.items():
        cells = [c for c in data["cells"] if c.function == name]
        ax.boxplot([np.maximum(c.best[:, -1], FLOOR) for c in cells])
        ax.set_xticks(range(1, len(cells) + 1), [c.variant for c in cells])
        ax.set_yscale("log")
        ax.set_title(f"{name}: best f - f* after {data['steps']} steps", fontsize=9)
        ax.tick_params(labelsize=7)
    paths.append(_save(plt, fig, out / "final_f.png"))

    plt, fig, axes = _grid(data)  # convergence: median and quartiles of best-so-far f − f*
    for name, ax in axes.items():
        for c in (c for c in data["cells"] if c.function == name):
            q1, med, q3 = np.quantile(np.maximum(c.best, FLOOR), [0.25, 0.5, 0.75], axis=0)
            ax.plot(steps, med, color=colors[c.variant], label=c.variant, lw=1.2)
            ax.fill_between(steps, q1, q3, color=colors[c.variant], alpha=0.15)
        _per_step_axes(ax, f"{name}: best-so-far f - f* (median, IQR)", 9)
    next(iter(axes.values())).legend(fontsize=7)
    paths.append(_save(plt, fig, out / "convergence.png"))

    plt, fig, axes = _grid(data)  # Hessian-estimate error against the exact Hessian
    for name, ax in axes.items():
        for c in (c for c in data["cells"] if c.function == name):
            with warnings.catch_warnings():  # all-NaN columns: every run has ended
                warnings.simplefilter("ignore", RuntimeWarning)
                med = np.nanmedian(c.hess_error, axis=0)
            ax.plot(steps, med, color=colors[c.variant], label=c.variant, lw=1.2)
        _per_step_axes(ax, f"{name}: ||H_est - H||_F / ||H||_F (median of running starts)", 8)
    next(iter(axes.values())).legend(fontsize=7)
    paths.append(_save(plt, fig, out / "hessian_error.png"))
    return paths
