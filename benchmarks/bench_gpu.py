"""refopt.gpu: the GPU (numba.cuda) against refopt's CPU path (Numba prange over all cores), float64,
in one process.

    python benchmarks/bench_gpu.py [--points N] [--repeat K] [--quick]

Workloads (N = 10⁶ points or starts unless ``--points``; ``--quick``: N = 10⁵):

* ``hess_batch`` of Rosenbrock, n = 2, at N points;
* ``hess_batch`` of Rosenbrock, n = 100, at N points, in chunks of 10⁴ points (a chunk's Hessians
  are 800 MB; all 10⁶ would be 80 GB);
* ``multistart`` Newton (Levenberg–Marquardt shift, strong Wolfe) on Himmelblau from N starts
  uniform in [−5, 5]², gtol 1e-8.

Times are the best of ``--repeat`` calls after one warm-up call (which compiles). "GPU" is end to
end as a user with NumPy arrays sees it — host arrays in, host arrays out, the transfers to and
from the GPU included; "GPU resident" (the batches) starts from X already on the GPU and leaves the
result there (``cuda.synchronize()`` before the clock stops): the kernels' own speed, which the
transfers over the bus can hide (10⁶ Hessians at n = 2 are 32 MB, at n = 100 80 GB).
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


def chunked_hessians(tf, X, chunk, device):
    """hess_batch over X (on the host or the GPU) in chunks of ``chunk`` points; the last chunk's
    Hessians (for the comparison)."""
    for k in range(0, X.shape[0], chunk):
        last = hess_batch(tf, X[k:k + chunk], device=device)
    return last


def resident(tf, X, chunk):
    """A call of chunked_hessians over X already on the GPU, each result left there."""
    from numba import cuda

    d_X = cuda.to_device(X)

    def run():
        last = chunked_hessians(tf, d_X, chunk, "cuda")
        cuda.synchronize()
        return last

    return run


def workloads(N, seed=0):
    """(name, call(device), kind, X for the resident run or None, its chunk)."""
    rng = np.random.default_rng(seed)
    r2, r100, himmelblau = get("rosenbrock", n=2), get("rosenbrock", n=100), get("himmelblau")
    X2 = rng.uniform(-2, 2, (N, 2))
    X100 = rng.uniform(-2, 2, (N, 100))
    S = rng.uniform(-5, 5, (N, 2))
    return [
        (f"hess_batch rosenbrock n=2, {N:.0e} points", lambda d: hess_batch(r2, X2, device=d), "array", (r2, X2, N)),
        (f"hess_batch rosenbrock n=100, {N:.0e} points", lambda d: chunked_hessians(r100, X100, CHUNK, d), "array",
         (r100, X100, CHUNK)),
        (f"multistart newton himmelblau, {N:.0e} starts",
         lambda d: multistart(himmelblau, S, method="newton", device=d, gtol=1e-8), "runs", None),
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
    print(f"{'workload':48s} {'CPU prange':>12s} {'GPU':>10s} {'speed-up':>9s} {'GPU resident':>13s} {'speed-up':>9s}"
          f"  agreement (end to end; resident)")
    for name, call, kind, on_gpu in workloads(N):
        t_cpu, out_cpu = best(lambda: call("cpu"), args.repeat)
        if not gpu:
            print(f"{name:48s} {t_cpu:>10.3f} s {'-':>10s} {'-':>9s} {'-':>13s} {'-':>9s}")
            continue
        t_gpu, out_gpu = best(lambda: call("cuda"), args.repeat)
        line = f"{name:48s} {t_cpu:>10.3f} s {t_gpu:>8.3f} s {t_cpu / t_gpu:>8.1f}x"
        if on_gpu is None:
            print(f"{line} {'-':>13s} {'-':>9s}  {agreement(kind, out_gpu, out_cpu)}")
            continue
        t_res, last = best(resident(*on_gpu), args.repeat)
        print(f"{line} {t_res:>11.4f} s {t_cpu / t_res:>8.1f}x  {agreement(kind, out_gpu, out_cpu)}; "
              f"{agreement(kind, last.copy_to_host(), out_cpu)}")


def _gpu_name() -> str:
    from numba import cuda

    from refopt.gpu.device import simulated

    if simulated():  # NUMBA_ENABLE_CUDASIM=1: a dry run of the GPU code path, not a measurement
        return "the CUDA simulator (a dry run: its times mean nothing)"
    device = cuda.get_current_device()
    name = device.name.decode() if isinstance(device.name, bytes) else str(device.name)
    return f"{name} (compute capability {device.compute_capability[0]}.{device.compute_capability[1]})"


if __name__ == "__main__":
    main()
