"""Per-iteration cost of the OGR family against BFGS at n = 100 (the aim: within 3x of BFGS).

    python benchmarks/bench_ogr.py

Same problems, same strong-Wolfe line search, same process, best of 3, gtol = 0 (so the runs go
on until maxiter or until the line search can make no more progress). Two regimes for OGR:

* **warm-up**: the first 60 iterations. Fewer than n + 1 samples leave unvisited directions,
  where the estimate is indefinite, so full OGR diagonalizes its estimate at every iteration.
* **steady**: iterations 150 to 400, timed as the difference of a 400- and a 150-iteration run.
  Full OGR takes its Cholesky step wherever its estimate is safely positive definite.

BFGS's cost per iteration is the same in both (O(n²)); its run from x0 is timed whole. Each
method runs both loops: the compiled one (test functions, the default) and the plain Python one
(``numba=False``, what a Python callable gets); ratios are to BFGS in the same loop. Full OGR's
O(n³) — three 100 x 100 products per iteration plus, when indefinite, an eigendecomposition — is
the point of the measurement; run with OPENBLAS_NUM_THREADS=1 on a shared machine: a
multithreaded LAPACK on busy cores spins and makes a 100 x 100 eigh 100 times slower.
"""
from __future__ import annotations

import time

from refopt.functions import get
from refopt.optim import minimize

N = 100
PROBLEMS = ("extended_rosenbrock", "trigonometric", "broyden_banded")
METHODS = ("bfgs", "ogr", "ogr-diag", "ogr-subspace")
LOOPS = (("compiled", {}), ("plain", {"numba": False}))


def timed(tf, method: str, options: dict, repeat: int = 3) -> tuple[float, int]:
    minimize(tf, tf.x0, method=method, options=options)  # compile / warm up
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        res = minimize(tf, tf.x0, method=method, options=options)
        best = min(best, time.perf_counter() - t)
    return best, res.nit


def per_iteration(tf, method: str, extra: dict) -> dict:
    """Microseconds per iteration: warm-up (first 60) and steady (150 → 400)."""
    t60, n60 = timed(tf, method, {"maxiter": 60, "gtol": 0.0, **extra})
    out = {"warm-up": 1e6 * t60 / max(n60, 1), "nit": n60}
    if method != "bfgs":
        t1, n1 = timed(tf, method, {"maxiter": 150, "gtol": 0.0, **extra}, repeat=2)
        t2, n2 = timed(tf, method, {"maxiter": 400, "gtol": 0.0, **extra}, repeat=2)
        out["steady"] = 1e6 * (t2 - t1) / (n2 - n1) if n2 > n1 else float("nan")
    return out


def main() -> None:
    print(f"n = {N}, strong Wolfe; microseconds per iteration; ratio to BFGS in the same loop")
    for name in PROBLEMS:
        tf = get(name, n=N)
        print(f"\n{name} (n = {N})")
        for loop, extra in LOOPS:
            base = per_iteration(tf, "bfgs", extra)
            print(f"  {loop:<9}bfgs          {base['warm-up']:>7.0f} us ({base['nit']} iterations)")
            for method in METHODS[1:]:
                r = per_iteration(tf, method, extra)
                print(f"  {loop:<9}{method:<14}{r['warm-up']:>7.0f} us warm-up ({r['warm-up'] / base['warm-up']:>5.2f}x)"
                      f"   {r['steady']:>7.0f} us steady ({r['steady'] / base['warm-up']:>5.2f}x)")


if __name__ == "__main__":
    main()
