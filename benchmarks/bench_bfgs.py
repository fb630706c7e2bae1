"""refopt BFGS against scipy.optimize BFGS on the 35 MGH problems from their standard x0.

    python benchmarks/bench_bfgs.py

Same objective and gradient callables (refopt's hand-derived kernels) for both, same process,
each method's defaults (gtol 1e-5 in the ∞-norm, maxiter 200 n). A run "solves" a problem when
its final f is within 1e-4 relative (1e-10 absolute) of the best known value: the literature f*
where refopt records one, else the better of the two runs. Reports per problem f, nfev and time,
then the totals the issue asks for: problems solved, median nfev ratio (refopt / scipy), total
wall time ratio.
"""
from __future__ import annotations

import time
import warnings

import numpy as np
import scipy.optimize as so

from refopt.functions import get
from refopt.optim import minimize


def solved(f: float, best: float) -> bool:
    return f - best <= 1e-4 * abs(best) + 1e-10


def run() -> list[dict]:
    rows = []
    for k in range(1, 36):
        tf = get(f"mgh{k:02d}")
        tf.f(tf.x0), tf.grad(tf.x0)  # compile before timing
        t = time.perf_counter()
        ours = minimize(tf.f, tf.x0, jac=tf.grad)
        t_ours = time.perf_counter() - t
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            theirs = so.minimize(tf.f, tf.x0, jac=tf.grad, method="BFGS")
            t_theirs = time.perf_counter() - t
        best = tf.fstar if tf.fstar is not None else min(ours.fun, theirs.fun)
        rows.append(dict(problem=tf.name, alias=f"mgh{k:02d}", n=tf.n, best=best,
                         f_refopt=ours.fun, f_scipy=theirs.fun, nfev_refopt=ours.nfev, nfev_scipy=theirs.nfev,
                         t_refopt=t_ours, t_scipy=t_theirs,
                         ok_refopt=solved(ours.fun, best), ok_scipy=solved(theirs.fun, best)))
    return rows


def main() -> None:
    rows = run()
    print(f"{'problem':<30}{'n':>3}  {'refopt f':>12}{'scipy f':>12}  {'nfev r/s':>11}  {'time r/s (ms)':>15}  solved r/s")
    for r in rows:
        print(f"{r['problem']:<30}{r['n']:>3}  {r['f_refopt']:>12.4e}{r['f_scipy']:>12.4e}  "
              f"{r['nfev_refopt']:>5}/{r['nfev_scipy']:<5}  {1e3 * r['t_refopt']:>7.1f}/{1e3 * r['t_scipy']:<7.1f}  "
              f"{'yes' if r['ok_refopt'] else 'NO':>3}/{'yes' if r['ok_scipy'] else 'NO'}")
    ratio = np.median([r["nfev_refopt"] / r["nfev_scipy"] for r in rows])
    t_r, t_s = sum(r["t_refopt"] for r in rows), sum(r["t_scipy"] for r in rows)
    print(f"\nsolved: refopt {sum(r['ok_refopt'] for r in rows)}, scipy {sum(r['ok_scipy'] for r in rows)} of {len(rows)}")
    print(f"median nfev ratio refopt/scipy: {ratio:.2f}")
    print(f"total wall time: refopt {t_r:.2f} s, scipy {t_s:.2f} s, ratio {t_r / t_s:.2f}")


if __name__ == "__main__":
    main()
