"""refopt BFGS against scipy.optimize BFGS on the 35 MGH problems from their standard x0.

    python benchmarks/bench_bfgs.py [--far]

Same hand-derived kernels for both, same process, each method's defaults (gtol 1e-5 in the
∞-norm, maxiter 200 n): scipy calls them as Python callables; refopt is given the TestFunction,
so its whole iteration runs compiled (refopt.optim.loop); the column "plain" is refopt's
plain-Python loop on the same callables scipy gets (identical iterates, see
tests/test_numba_path.py). ``--far`` adds the summary from 10 x0 and 100 x0 (MGH's own
far starts; x0 = 0 is shifted to 9 and 99 instead). A run "solves" a problem when
its final f is within 1e-4 relative (1e-10 absolute) of the best known value: the literature f*
where refopt records one, else the better of the two runs. Reports per problem f, nfev and time,
then the totals: problems solved, median nfev ratio (refopt / scipy), total
wall time ratio.
"""
from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import scipy.optimize as so

from refopt.experiments.mgh_suite import solved  # the suite's criterion: 1e-4 relative, 1e-10 absolute
from refopt.functions import get
from refopt.optim import minimize


def start(tf, scale: float) -> np.ndarray:
    if scale == 1:
        return tf.x0
    return scale * tf.x0 if np.any(tf.x0) else tf.x0 + (scale - 1)


def best_of(*runs, repeat: int = 3):
    """Smallest wall time of ``repeat`` calls of each run (interleaved), and the last results."""
    times, results = [np.inf] * len(runs), [None] * len(runs)
    for _ in range(repeat):
        for i, run_ in enumerate(runs):
            t = time.perf_counter()
            results[i] = run_()
            times[i] = min(times[i], time.perf_counter() - t)
    return times, results


def scipy_bfgs(tf, x0):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return so.minimize(tf.f, x0, jac=tf.grad, method="BFGS")
        except ValueError:  # scipy's line search stepped to a non-finite x; the kernel refuses it
            return so.OptimizeResult(fun=np.inf, nfev=0, message="stepped to non-finite x")


def run(scale: float = 1.0, repeat: int = 3) -> list[dict]:
    rows = []
    for k in range(1, 36):
        tf = get(f"mgh{k:02d}")
        x0 = start(tf, scale)
        minimize(tf, x0, options={"maxiter": 1})  # compile (or load) before timing
        (t_ours, t_plain, t_theirs), (ours, plain, theirs) = best_of(
            lambda: minimize(tf, x0),
            lambda: minimize(tf.f, x0, jac=tf.grad),
            lambda: scipy_bfgs(tf, x0),
            repeat=repeat,
        )
        assert plain.nfev == ours.nfev and np.array_equal(plain.x, ours.x), tf.name
        best = min(ours.fun, theirs.fun) if tf.fstar is None else min(tf.fstar, ours.fun, theirs.fun)
        rows.append(dict(problem=tf.name, alias=f"mgh{k:02d}", n=tf.n, best=best,
                         f_refopt=ours.fun, f_scipy=theirs.fun, nfev_refopt=ours.nfev, nfev_scipy=theirs.nfev,
                         t_refopt=t_ours, t_plain=t_plain, t_scipy=t_theirs,
                         ok_refopt=solved(ours.fun, best), ok_scipy=solved(theirs.fun, best)))
    return rows


def summary(rows: list[dict], label: str) -> None:
    ratio = np.median([r["nfev_refopt"] / max(r["nfev_scipy"], 1) for r in rows])
    t_r, t_p, t_s = (sum(r[k] for r in rows) for k in ("t_refopt", "t_plain", "t_scipy"))
    print(f"{label}: solved refopt {sum(r['ok_refopt'] for r in rows)}, scipy {sum(r['ok_scipy'] for r in rows)} "
          f"of {len(rows)}; median nfev ratio refopt/scipy {ratio:.3f}; total nfev "
          f"{sum(r['nfev_refopt'] for r in rows)} / {sum(r['nfev_scipy'] for r in rows)}")
    print(f"{' ' * len(label)}  wall time: refopt compiled {t_r:.3f} s, refopt plain {t_p:.3f} s, scipy {t_s:.3f} s; "
          f"compiled/scipy {t_r / t_s:.2f}, plain/scipy {t_p / t_s:.2f}")


def main() -> None:
    rows = run()
    print(f"{'problem':<30}{'n':>3}  {'refopt f':>12}{'scipy f':>12}  {'nfev r/s':>11}  "
          f"{'time r/plain/s (ms)':>22}  solved r/s")
    for r in rows:
        print(f"{r['problem']:<30}{r['n']:>3}  {r['f_refopt']:>12.4e}{r['f_scipy']:>12.4e}  "
              f"{r['nfev_refopt']:>5}/{r['nfev_scipy']:<5}  {1e3 * r['t_refopt']:>6.2f}/{1e3 * r['t_plain']:>6.1f}"
              f"/{1e3 * r['t_scipy']:<6.1f}  {'yes' if r['ok_refopt'] else 'NO':>3}/{'yes' if r['ok_scipy'] else 'NO'}")
    print()
    summary(rows, "from x0")
    if "--far" in sys.argv:
        far = run(10.0, repeat=1) + run(100.0, repeat=1)
        summary(far, "from 10 x0 and 100 x0")
        summary(rows + far, "all three starts")


if __name__ == "__main__":
    main()
