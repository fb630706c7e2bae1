"""Per-iteration cost of the OGR family against BFGS at n = 100 (issue: within 3x of BFGS).

    python benchmarks/bench_ogr.py

Same problems, same strong-Wolfe line search, same process; 60 iterations from x0 with gtol = 0
(so every run does all of them), best of 3. Reported per iteration and per evaluation, and the
ratio to BFGS's plain loop (the OGR family runs on the same plain loop; BFGS's compiled loop is
shown too). The O(n³) of full OGR — two symmetric eigendecompositions per iteration (of Cθθ for
the Lyapunov solve, of H for the saddle-free step) — is the point of the measurement; run with
OPENBLAS_NUM_THREADS=1 on a shared machine: a multithreaded LAPACK on busy cores spins and makes
a 100 x 100 eigh 100 times slower.
"""
from __future__ import annotations

import time

from refopt.functions import get
from refopt.optim import minimize

N, ITERATIONS = 100, 60
PROBLEMS = ("extended_rosenbrock", "trigonometric", "broyden_banded")
METHODS = (("bfgs (compiled)", "bfgs", {}), ("bfgs", "bfgs", {"numba": False}),
           ("ogr", "ogr", {}), ("ogr-diag", "ogr-diag", {}), ("ogr-subspace", "ogr-subspace", {}))


def per_iteration(tf, method: str, extra: dict, repeat: int = 3) -> tuple[float, float, int]:
    options = {"maxiter": ITERATIONS, "gtol": 0.0, **extra}
    minimize(tf, tf.x0, method=method, options=options)  # compile / warm up
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        res = minimize(tf, tf.x0, method=method, options=options)
        best = min(best, time.perf_counter() - t)
    return best / max(res.nit, 1), best / max(res.nfev, 1), res.nit


def main() -> None:
    print(f"n = {N}, {ITERATIONS} iterations, strong Wolfe; microseconds per iteration (per evaluation); "
          f"ratio to BFGS's plain loop")
    for name in PROBLEMS:
        tf = get(name, n=N)
        times = {label: per_iteration(tf, method, extra) for label, method, extra in METHODS}
        base = times["bfgs"][0]
        print(f"\n{name} (n = {N})")
        for label, (it, ev, nit) in times.items():
            print(f"  {label:<16}{1e6 * it:>9.0f} us/iter ({1e6 * ev:>7.0f} us/eval, {nit} iterations)"
                  f"   {it / base:>6.2f}x")


if __name__ == "__main__":
    main()
