"""Batched f / gradient / Hessian: refopt's Numba gufunc kernels against NumPy-vectorized formulas.

    python benchmarks/bench_functions.py [--quick]

Workloads (the foundation issue): 10^6 points at n = 2 and 10^4 points at n = 100, for
Rosenbrock (chained), Rastrigin and MGH 26 (Trigonometric, a dense Hessian). The NumPy twins
below are written the way a careful NumPy user would: whole-batch array expressions, no Python
loop over points. Both sides are checked equal before timing; the table reports the best of
several runs and the ratio NumPy time / refopt time (> 1: refopt faster). Hot timings: the
Numba kernels are compiled (or loaded from cache) before the clock starts. Outputs are
allocated by each side, as a user would call them.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from refopt.functions import get

TWO_PI = 2.0 * np.pi


# ---- NumPy-vectorized twins: X has shape (N, n) -------------------------------------------
def rosen_f(X):
    return np.sum(100.0 * (X[:, 1:] - X[:, :-1] ** 2) ** 2 + (1.0 - X[:, :-1]) ** 2, axis=1)


def rosen_grad(X):
    t = X[:, 1:] - X[:, :-1] ** 2
    G = np.zeros_like(X)
    G[:, :-1] = -400.0 * X[:, :-1] * t - 2.0 * (1.0 - X[:, :-1])
    G[:, 1:] += 200.0 * t
    return G


def rosen_hess(X):
    N, n = X.shape
    H = np.zeros((N, n, n))
    d = np.zeros((N, n))
    d[:, :-1] = 1200.0 * X[:, :-1] ** 2 - 400.0 * X[:, 1:] + 2.0
    d[:, 1:] += 200.0
    i = np.arange(n)
    H[:, i, i] = d
    H[:, i[:-1], i[1:]] = -400.0 * X[:, :-1]
    H[:, i[1:], i[:-1]] = -400.0 * X[:, :-1]
    return H


def rastrigin_f(X):
    return 10.0 * X.shape[1] + np.sum(X**2 - 10.0 * np.cos(TWO_PI * X), axis=1)


def rastrigin_grad(X):
    return 2.0 * X + 10.0 * TWO_PI * np.sin(TWO_PI * X)


def rastrigin_hess(X):
    N, n = X.shape
    H = np.zeros((N, n, n))
    i = np.arange(n)
    H[:, i, i] = 2.0 + 10.0 * TWO_PI**2 * np.cos(TWO_PI * X)
    return H


def _trig_parts(X):
    """r_i = n − Σ cos x_j + i(1 − cos x_i) − sin x_i; J = 1 sᵀ + diag(d), d_i = i sin x_i − cos x_i."""
    N, n = X.shape
    i = np.arange(1, n + 1)
    c, s = np.cos(X), np.sin(X)
    r = n - c.sum(axis=1, keepdims=True) + i * (1.0 - c) - s
    d = i * s - c
    return i, c, s, r, d


def trig_f(X):
    return np.sum(_trig_parts(X)[3] ** 2, axis=1)


def trig_grad(X):
    i, c, s, r, d = _trig_parts(X)
    return 2.0 * (s * r.sum(axis=1, keepdims=True) + d * r)


def trig_hess(X):
    # H = 2 (JᵀJ + Σ r_i ∇²r_i) = 2 (n s sᵀ + s dᵀ + d sᵀ + diag(d² + (Σr) cos x + r (i cos x + sin x)))
    N, n = X.shape
    i, c, s, r, d = _trig_parts(X)
    H = n * s[:, :, None] * s[:, None, :]
    H += s[:, :, None] * d[:, None, :]
    H += d[:, :, None] * s[:, None, :]
    k = np.arange(n)
    H[:, k, k] += d**2 + r.sum(axis=1, keepdims=True) * c + r * (i * c + s)
    H *= 2.0
    return H


TWINS = {
    "rosenbrock": (rosen_f, rosen_grad, rosen_hess),
    "rastrigin": (rastrigin_f, rastrigin_grad, rastrigin_hess),
    "trigonometric": (trig_f, trig_grad, trig_hess),
}


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(quick: bool = False) -> list[dict]:
    rows = []
    sizes = [(10**5, 2), (10**3, 100)] if quick else [(10**6, 2), (10**4, 100)]
    rng = np.random.default_rng(0)
    for name, twins in TWINS.items():
        for N, n in sizes:
            tf = get(name, n=n)
            X = rng.uniform(-2.0, 2.0, size=(N, n))
            for kind, twin, mine in zip(("f", "grad", "hess"), twins, (tf.f_batch, tf.grad_batch, tf.hess_batch)):
                a, b = twin(X), mine(X)  # also warms the Numba kernel
                scale = np.max(np.abs(a))
                assert np.max(np.abs(a - b)) <= 1e-12 * scale, f"{name} {kind}: NumPy twin and refopt differ"
                del a, b
                repeat = 2 if (kind == "hess" and n == 100) else 5
                t_np = best_time(lambda: twin(X), repeat)
                t_ro = best_time(lambda: mine(X), repeat)
                rows.append(dict(function=name, N=N, n=n, kind=kind, numpy_s=t_np, refopt_s=t_ro, ratio=t_np / t_ro))
                print(f"{name:<14}{N:>9}{n:>5}  {kind:<5}{t_np:>10.4f}{t_ro:>10.4f}{t_np / t_ro:>8.1f}x", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller batches")
    args = ap.parse_args()
    print(f"{'function':<14}{'N':>9}{'n':>5}  {'what':<5}{'numpy s':>10}{'refopt s':>10}{'ratio':>9}")
    run(args.quick)


if __name__ == "__main__":
    main()
