"""Every method of ``refopt.minimize`` from the standard start of each of the 35 Moré–Garbow–
Hillstrom problems (Moré, Garbow & Hillstrom 1981): final f against the literature f*, iterations and
evaluations.

    refopt reproduce mgh-suite [--quick] [--out DIR]

Each method runs with its defaults (gtol 1e-5 in the ∞-norm, maxiter 200 n, strong-Wolfe line
search; Newton with the exact Hessian). A run counts as solved when its final f is within 1e-4
relative (1e-10 absolute) of the best value known: the registered f* where the literature gives
one, else the best f any method reached. The table shows f − f_best per method (a run that
stopped with success=False is marked "!"); ``--quick`` caps every run at 100 iterations.
The seed is unused (the protocol is deterministic).
"""
from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from ..functions import get
from ..optim import minimize
from . import write_rows

SUMMARY = "every minimize method from x0 on the 35 MGH problems: final f vs f*, iterations, evaluations"

METHODS = ("bfgs", "newton", "ogr", "ogr-diag", "ogr-subspace", "gd")
RTOL, ATOL = 1e-4, 1e-10


def solved(f: float, best: float) -> bool:
    return bool(np.isfinite(f) and f - best <= RTOL * abs(best) + ATOL)


def run(quick: bool = False, seed: int = 0, progress=None, *, problems=range(1, 36)) -> dict:
    """All methods on the MGH problems numbered ``problems`` (default all 35)."""
    rows, t0 = [], time.perf_counter()
    for k in problems:
        tf = get(f"mgh{k:02d}")
        runs = {}
        for method in METHODS:
            if progress is not None:
                progress(f"mgh-suite: mgh{k:02d} {tf.name:<28} {method:<13} [{time.perf_counter() - t0:.0f} s]")
            options = {"maxiter": 100} if quick else {}
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = minimize(tf, tf.x0, method=method, options=options)
            runs[method] = dict(f=float(res.fun), nit=int(res.nit), nfev=int(res.nfev), nhev=int(res.nhev),
                                success=bool(res.success), message=res.message, seconds=time.perf_counter() - t)
        finals = [r["f"] for r in runs.values() if np.isfinite(r["f"])]
        best = tf.fstar if tf.fstar is not None else min(finals)
        for method, r in runs.items():
            rows.append(dict(problem=tf.name, alias=f"mgh{k:02d}", n=tf.n, m=tf.m, fstar=tf.fstar, best=best,
                             method=method, solved=solved(r["f"], best), **r))
    return {"rows": rows, "quick": quick, "seconds": time.perf_counter() - t0}


def _gap(r: dict) -> str:
    return ("" if r["success"] else "!") + f"{r['f'] - r['best']:.1e}"


def table(data: dict) -> str:
    rows = data["rows"]
    head = f"{'problem':<30}{'n':>3}{'f*':>11}  " + "".join(f"{m:>22}" for m in METHODS)
    lines = ["MGH suite from x0 (f - f_best / iterations / evaluations; '!' = ended with success=False; "
             f"solved: within {RTOL:g} relative of f_best)" + (" -- quick: maxiter 100" if data["quick"] else ""),
             head, "-" * len(head)]
    for i in range(0, len(rows), len(METHODS)):
        group = rows[i:i + len(METHODS)]
        r0 = group[0]
        fstar = "-" if r0["fstar"] is None else f"{r0['fstar']:.4g}"
        cells = "".join(f"{_gap(r):>10}/{r['nit']:>5}/{r['nfev']:>5}" for r in group)
        lines.append(f"{r0['problem']:<30}{r0['n']:>3}{fstar:>11}  {cells}")
    lines.append("")
    for m in METHODS:
        mine = [r for r in rows if r["method"] == m]
        lines.append(f"{m:<13} solved {sum(r['solved'] for r in mine):>2} of {len(mine)}; "
                     f"evaluations {sum(r['nfev'] for r in mine):>7}; "
                     f"ended with success=False {sum(not r['success'] for r in mine):>2}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    return [write_rows(Path(out) / "mgh_suite.csv", data["rows"])]
