"""Throughput of the streaming logistic-regression recursions (samples per second), one core.

    python benchmarks/bench_stochastic.py [--repeat 3]

For each method (SGD, SN, hybrid, WASN) and d = 10, 50, 200: the Numba loop of
refopt.stochastic.recursions on a Gaussian design (θ scaled to θᵀθ = 10, start θ_0 = 0), against
its NumPy twin — the same recursion one sample at a time with NumPy operations (BLAS u = PΦ,
P −= k·uuᵀ), the natural pure-NumPy implementation. Same process, BLAS pinned to one thread
(OPENBLAS/MKL/OMP_NUM_THREADS=1, set before NumPy is imported), best of ``--repeat`` runs,
compilation excluded (one warm-up call). The Numba side is timed through the kernel itself (no
input checks; ``fit_logistic`` adds a finiteness check of X, about 1 ns a number).
Target: hybrid at d = 10 ≥ 3e6 samples/s and ≥ 50x the NumPy loop.
"""
from __future__ import annotations

import argparse
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from refopt.stochastic import make_logistic  # noqa: E402
from refopt.stochastic import recursions as R  # noqa: E402

SIZES = {10: (1_000_000, 20_000), 50: (200_000, 10_000), 200: (20_000, 2_000)}  # d: (n numba, n numpy)
DEFAULTS = {"sgd": (1.0, 0.75, False), "sn": (0.01, 0.25), "hybrid": (0.8, 0.2),
                "wasn": (0.3, 0.75, 2.0, 0.01, 0.25)}


def _call(method: str, numba: bool, X, y, d: int) -> None:
    theta, theta_bar, P, W = np.zeros(d), np.zeros(d), np.eye(d), np.zeros(1)
    p = DEFAULTS[method]
    f = {"sgd": (R.sgd_loop, R.sgd_numpy), "sn": (R.sn_loop, R.sn_numpy),
         "hybrid": (R.hybrid_loop, R.hybrid_numpy), "wasn": (R.wasn_loop, R.wasn_numpy)}[method][0 if numba else 1]
    if method == "sgd":
        f(X, y, theta, theta_bar, 0, *p)
    elif method == "sn":
        f(X, y, theta, P, 0, *p)
    elif method == "hybrid":
        f(X, y, theta, P, *p)
    else:
        f(X, y, theta, theta_bar, P, W, 0, *p)


def throughput(method: str, numba: bool, X, y, repeat: int) -> float:
    d = X.shape[1]
    if numba:
        _call(method, True, X[:10], y[:10], d)  # compile / load from cache
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        _call(method, numba, X, y, d)
        best = min(best, time.perf_counter() - t)
    return X.shape[0] / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'method':<8}{'d':>5}{'Numba samples/s':>17}{'NumPy samples/s':>17}{'ratio':>8}")
    for d, (n_fast, n_slow) in SIZES.items():
        theta = np.linspace(-1.0, 1.0, d)
        theta *= np.sqrt(10.0) / np.linalg.norm(theta)
        X, y = make_logistic(n_fast, theta, seed=0)
        for method in ("sgd", "sn", "hybrid", "wasn"):
            fast = throughput(method, True, X, y, args.repeat)
            slow = throughput(method, False, X[:n_slow], y[:n_slow], 1)
            print(f"{method:<8}{d:>5}{fast:>17.3e}{slow:>17.3e}{fast / slow:>7.0f}x", flush=True)


if __name__ == "__main__":
    main()
