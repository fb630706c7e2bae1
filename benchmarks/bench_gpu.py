"""refopt.gpu: the GPU (numba.cuda) against refopt's CPU path (Numba prange over all cores), float64,
in one process.

    python benchmarks/bench_gpu.py [--points N] [--repeat K] [--quick]

Workloads (N = 10⁶ points or starts unless ``--points``; ``--quick``: N = 10⁵):

* ``hess_batch`` of Rosenbrock, n = 2, at N points;
* ``hess_batch`` of Rosenbrock, n = 100, at N points, in chunks of 10⁴ points (a chunk's Hessians
  are 800 MB; all 10⁶ would be 80 GB);
* ``multistart`` Newton (Levenberg–Marquardt shift, strong Wolfe) on Himmelblau from N starts
  uniform in [−5, 5]², gtol 1e-8.

Times are end to end as a user sees them — host arrays in, host arrays out, the transfers to and
from the GPU included — the best of ``--repeat`` calls after one warm-up call (which compiles).
Each GPU result is compared with the CPU's (max relative difference; multistart: the fraction of
starts with the same status and end point within 1e-8). Without a GPU (``numba.cuda.is_available()``
False) only the CPU column is measured, and the table says so. Run it on a machine with a GPU and
the numba-cuda package: ``pip install '.[cuda]'``.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from refopt.functions import get
from refopt.gpu import cuda_available, hess_batch, multistart

CHUNK = 10_000


def best(fn, repeat):
    fn()  # warm-up: compiles (or loads from the cache)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def chunked_hessians(tf, X, device):
    """hess_batch over X in chunks; returns the last chunk (for the comparison) and a checksum."""
    total, last = 0.0, None
    for k in range(0, len(X), CHUNK):
        last = hess_batch(tf, X[k:k + CHUNK], device=device)
        total += float(last[:, 0, 0].sum())
    return last, total


def workloads(N, seed=0):
    rng = np.random.default_rng(seed)
    r2, r100, himmelblau = get("rosenbrock", n=2), get("rosenbrock", n=100), get("himmelblau")
    X2 = rng.uniform(-2, 2, (N, 2))
    X100 = rng.uniform(-2, 2, (N, 100))
    S = rng.uniform(-5, 5, (N, 2))
    return [
        (f"hess_batch rosenbrock n=2, {N:.0e} points", lambda d: hess_batch(r2, X2, device=d), "array"),
        (f"hess_batch rosenbrock n=100, {N:.0e} points", lambda d: chunked_hessians(r100, X100, d)[0], "array"),
        (f"multistart newton himmelblau, {N:.0e} starts",
         lambda d: multistart(himmelblau, S, method="newton", device=d, gtol=1e-8), "runs"),
    ]


def agreement(kind, a, b) -> str:
    if kind == "array":
        scale = max(1.0, float(np.max(np.abs(b))))
        return f"max rel diff {float(np.max(np.abs(a - b))) / scale:.1e}"
    same = (a.status == b.status) & (np.max(np.abs(a.x - b.x), axis=1) <= 1e-8)
    return f"same end: {np.mean(same):.4%}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    N = args.points or (100_000 if args.quick else 1_000_000)
    gpu = cuda_available()
    print(f"refopt.gpu benchmark: N = {N}, float64, {os.cpu_count()} CPU cores, GPU: "
          f"{_gpu_name() if gpu else 'none (numba.cuda.is_available() is False): CPU column only'}")
    print(f"{'workload':48s} {'CPU prange':>12s} {'GPU':>10s} {'GPU speed-up':>13s}  agreement")
    for name, call, kind in workloads(N):
        t_cpu, out_cpu = best(lambda: call("cpu"), args.repeat)
        if gpu:
            t_gpu, out_gpu = best(lambda: call("cuda"), args.repeat)
            print(f"{name:48s} {t_cpu:>10.3f} s {t_gpu:>8.3f} s {t_cpu / t_gpu:>12.1f}x  {agreement(kind, out_gpu, out_cpu)}")
        else:
            print(f"{name:48s} {t_cpu:>10.3f} s {'-':>10s} {'-':>13s}")


def _gpu_name() -> str:
    from numba import cuda

    device = cuda.get_current_device()
    name = device.name.decode() if isinstance(device.name, bytes) else str(device.name)
    return f"{name} (compute capability {device.compute_capability[0]}.{device.compute_capability[1]})"


if __name__ == "__main__":
    main()
