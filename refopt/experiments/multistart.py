r"""Basins of attraction of Newton and BFGS on three 2-D test functions, one run per grid point.

Every point of a G × G grid over the function's usual domain starts one run of
:func:`refopt.gpu.multistart` (on a GPU when there is one, else Numba's ``prange`` on the CPU):

* Newton — the exact Hessian with the Levenberg–Marquardt shift of Nocedal & Wright Algorithm 3.3
  (``minimize``'s ``method="newton", options={"modify": "lm"}``), strong Wolfe line search;
* BFGS — ``minimize``'s BFGS (N&W Algorithm 6.1, H_0 scaled by eq. 6.20), strong Wolfe.

Both stop at ‖∇f‖_∞ ≤ 1e-6 or after 200 n = 400 iterations. (Not much tighter: near a minimum f
changes by about ‖∇f‖²/λ per step, and below ‖∇f‖ ≈ 1e-8 that falls under the rounding of f — of
order 1e-16 |f| — so the line search can no longer find a decrease and the run ends as a failed
search; with gtol = 1e-10 a quarter of the camel's runs ended so, on their minimum.) A run is
labelled by the minimum it ends at: the end point has converged (status 0), ∇²f there is positive
definite, and it lies within 1e-4 of a known local minimum (‖x − x*‖ ≲ ‖∇f‖/λ_min ≈ 1e-6 here, and
the minima are at least 0.3 apart); anything else is "other" (a saddle, a maximum, a failed
search, no convergence). The known minima:

* **Himmelblau** on [−5, 5]²: the four global minima, f = 0 (Himmelblau 1972; the three inexact ones
  as refopt's ``himmelblau`` records them, roots of a quartic computed to 40 digits);
* **six-hump camel** on [−3, 3] × [−2, 2]: the two global minima f = −1.0316… and the four local ones
  (refopt's ``six_hump_camel``: x* and ``local_minima``);
* **Rastrigin**, n = 2, on [−5.12, 5.12]²: f is separable, and near each integer k with |k| ≤ 5 the
  one-variable part x² − 10 cos 2πx has a local minimum m_k, the root of x + 10π sin 2πx = 0 next to
  k (found here by Newton's method in one variable); the 121 minima (m_i, m_j) are labelled by
  their lattice point (i, j).

What is measured, per function and method: the fraction of starts that reach each minimum (the CSV
summary), the fraction labelled "other", the fraction that reach the known minimum nearest to their
start ("nearest": how local the method is), and the iterations per run (the second panel of each
figure). Checks (tests): every converged end point with a positive definite Hessian is a known
minimum; each minimum is reached; the six-hump camel's basins are symmetric under x → −x
(f(−x) = f(x)), Rastrigin's under the eight symmetries of the square, so the fractions of
symmetric minima agree up to the starts on the grid's symmetry lines.

Full protocol: G = 1000 (10⁶ starts per function and method). ``quick``: G = 120.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..files import save_figure
from ..functions import get
from . import write_rows

SUMMARY = "basins of attraction of Newton and BFGS on Himmelblau, six-hump camel and Rastrigin (multistart)"

FUNCTIONS = ("himmelblau", "six_hump_camel", "rastrigin")
METHODS = ("newton", "bfgs")
GTOL = 1e-6
MATCH = 1e-4
GRID = {True: 120, False: 1000}

HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286170),
    (3.584428340330492, -1.848126526964404),
)


def rastrigin_minimum(k: int) -> float:
    """m_k: the local minimum of x² − 10 cos 2πx next to the integer k (Newton in one variable on
    its derivative's zero, x + 10π sin 2πx = 0, from x = k)."""
    x = float(k)
    for _ in range(50):
        d1 = 2.0 * x + 20.0 * math.pi * math.sin(2.0 * math.pi * x)
        d2 = 2.0 + 40.0 * math.pi ** 2 * math.cos(2.0 * math.pi * x)
        step = d1 / d2
        x -= step
        if abs(step) < 1e-16 * max(1.0, abs(x)):
            break
    return x


def known_minima(name: str) -> tuple[list[str], np.ndarray]:
    """The labels and points of the known local minima of ``name`` (module docstring)."""
    if name == "himmelblau":
        points = np.array(HIMMELBLAU_MINIMA)
        labels = [f"({x:.4f}, {y:.4f})" for x, y in points]
    elif name == "six_hump_camel":
        tf = get(name)
        points = np.array([tf.xstar, -tf.xstar] + [m["x"] for m in tf.spec.local_minima])
        labels = [f"({x:.4f}, {y:.4f})" for x, y in points]
    else:
        m = {k: rastrigin_minimum(k) for k in range(-5, 6)}
        pairs = [(i, j) for i in range(-5, 6) for j in range(-5, 6)]
        points = np.array([(m[i], m[j]) for i, j in pairs])
        labels = [f"({i}, {j})" for i, j in pairs]
    return labels, points


def nearest_point(x: np.ndarray, points: np.ndarray, chunk: int = 50_000) -> tuple[np.ndarray, np.ndarray]:
    """For each row of x: the index of the nearest row of ``points`` and the distance to it
    (in chunks of rows, so that 10⁶ rows against 121 points stay small)."""
    index, distance = np.empty(len(x), dtype=np.int64), np.empty(len(x))
    for k in range(0, len(x), chunk):
        d = np.linalg.norm(x[k:k + chunk, None, :] - points[None, :, :], axis=2)
        index[k:k + chunk] = np.argmin(d, axis=1)
        distance[k:k + chunk] = d[np.arange(len(d)), index[k:k + chunk]]
    return index, distance


def label_runs(name: str, x: np.ndarray, status: np.ndarray) -> np.ndarray:
    """The index of the known minimum each run ends at, −1 for "other" (module docstring)."""
    tf = get(name)
    _, points = known_minima(name)
    nearest, distance = nearest_point(x, points)
    H = tf.hess_batch(x)
    a, b, c = H[:, 0, 0], H[:, 0, 1], H[:, 1, 1]
    definite = (a > 0) & (a * c - b * b > 0)
    ok = (status == 0) & definite & (distance <= MATCH)
    return np.where(ok, nearest, -1)


def grid(name: str, G: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The G × G grid of starts over the domain (cell centres, so that a symmetric domain gives a
    grid symmetric about its centre): (xs, ys, starts (G², 2), row-major with y slowest)."""
    lo, hi = get(name).bounds
    xs = lo[0] + (np.arange(G) + 0.5) * (hi[0] - lo[0]) / G
    ys = lo[1] + (np.arange(G) + 0.5) * (hi[1] - lo[1]) / G
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([X.ravel(), Y.ravel()])


def run(quick: bool = False, seed: int = 0, progress=None, device: str = "auto") -> dict:
    """All basins; ``seed`` is unused (the protocol is deterministic)."""
    import time

    from ..gpu import multistart
    from ..gpu.device import resolve

    device = resolve(device, "multistart", None)  # once, so "auto" on a CPU says so once
    G = GRID[bool(quick)]
    data = {"G": G, "gtol": GTOL, "functions": {}}
    for name in FUNCTIONS:
        xs, ys, starts = grid(name, G)
        labels, points = known_minima(name)
        entry = {"xs": xs, "ys": ys, "labels": labels, "points": points, "runs": {}}
        for method in METHODS:
            t0 = time.perf_counter()
            res = multistart(name, starts, method=method, device=device, gtol=GTOL)
            seconds = time.perf_counter() - t0
            minimum = label_runs(name, res.x, res.status)
            nearest = nearest_point(starts, points)[0]
            entry["runs"][method] = {
                "minimum": minimum.reshape(G, G), "nearest": float(np.mean(minimum == nearest)),
                "nit": res.nit.reshape(G, G), "status": res.status.reshape(G, G),
                "seconds": seconds, "device": res.device,
            }
            if progress:
                progress(f"{name} {method}: {G * G} starts in {seconds:.1f} s on {res.device}")
        data["functions"][name] = entry
    return data


def summary_rows(data: dict) -> list[dict]:
    """Per function, method and minimum: the fraction of starts that reach it (and "other")."""
    rows = []
    for name, e in data["functions"].items():
        for method, r in e["runs"].items():
            m = r["minimum"].ravel()
            total = m.size
            counts = np.bincount(m + 1, minlength=len(e["labels"]) + 1)
            for k, label in enumerate(e["labels"]):
                rows.append(dict(function=name, method=method, minimum=label, x1=float(e["points"][k, 0]),
                                 x2=float(e["points"][k, 1]), starts=int(counts[k + 1]),
                                 fraction=counts[k + 1] / total,
                                 mean_nit=float(r["nit"].ravel()[m == k].mean()) if counts[k + 1] else float("nan")))
            rows.append(dict(function=name, method=method, minimum="other", x1=float("nan"), x2=float("nan"),
                             starts=int(counts[0]), fraction=counts[0] / total,
                             mean_nit=float(r["nit"].ravel()[m == -1].mean()) if counts[0] else float("nan")))
    return rows


def table(data: dict) -> str:
    lines = [f"grid {data['G']} x {data['G']} of starts per function; gtol = {data['gtol']:g}",
             f"{'function':16s} {'method':7s} {'minima reached':>14s} {'largest basin':>28s} {'other':>7s} "
             f"{'nearest':>7s} {'mean nit':>8s} {'time':>8s}"]
    for name, e in data["functions"].items():
        for method, r in e["runs"].items():
            m = r["minimum"].ravel()
            counts = np.bincount(m[m >= 0], minlength=len(e["labels"]))
            big = int(np.argmax(counts))
            lines.append(f"{name:16s} {method:7s} {int(np.sum(counts > 0)):>6d} of {len(e['labels']):<5d} "
                         f"{e['labels'][big]:>18s} {counts[big] / m.size:>8.1%} {np.mean(m < 0):>7.2%} {r['nearest']:>7.1%} "
                         f"{r['nit'].mean():>8.2f} {r['seconds']:>6.1f} s")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    out = Path(out)
    paths = [write_rows(out / "multistart_summary.csv", summary_rows(data))]
    for name, e in data["functions"].items():
        k = len(e["labels"])
        rng = np.random.default_rng(1)  # a fixed shuffle of colours, so that neighbouring minima differ
        base = plt.get_cmap("tab20")(np.arange(20) % 20)
        colours = np.vstack([[0.0, 0.0, 0.0, 1.0], base[rng.permutation(k) % 20] if k > 20 else base[:k]])
        cmap = ListedColormap(colours)
        extent = (e["xs"][0], e["xs"][-1], e["ys"][0], e["ys"][-1])
        fig, axes = plt.subplots(2, 2, figsize=(11, 9.5))
        for col, (method, r) in enumerate(e["runs"].items()):
            ax = axes[0, col]
            ax.imshow(r["minimum"] + 1, origin="lower", extent=extent, cmap=cmap, vmin=-0.5, vmax=k + 0.5,
                      interpolation="nearest", aspect="auto")
            ax.plot(e["points"][:, 0], e["points"][:, 1], "w+", ms=6 if k <= 20 else 3, mew=1.2)
            if k <= 20:
                from matplotlib.patches import Patch

                ax.legend(handles=[Patch(color=colours[j + 1], label=e["labels"][j]) for j in range(k)], fontsize=7,
                          loc="upper right", framealpha=0.8)
            ax.set_title(f"{name}, {method}: minimum reached (black: other, {np.mean(r['minimum'] < 0):.1%})",
                         fontsize=9)
            ax = axes[1, col]
            im = ax.imshow(r["nit"], origin="lower", extent=extent, cmap="viridis", interpolation="nearest",
                           aspect="auto", norm=matplotlib.colors.LogNorm(vmin=1, vmax=max(2, r["nit"].max())))
            fig.colorbar(im, ax=ax, fraction=0.046)
            ax.set_title(f"{name}, {method}: iterations (mean {r['nit'].mean():.1f})", fontsize=9)
        for ax in axes.ravel():
            ax.set_xlabel("x1 (start)")
            ax.set_ylabel("x2 (start)")
        fig.suptitle(f"{data['G']} × {data['G']} starts, one run each, ‖∇f‖∞ ≤ {data['gtol']:g}", fontsize=10)
        fig.tight_layout()
        paths.append(save_figure(fig, out / f"multistart_{name}.png", dpi=100))
        plt.close(fig)
    return paths
