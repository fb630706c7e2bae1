"""refopt.ad's generic Hessian against autograd (and JAX, when installed) on the MLP workloads.

    python benchmarks/bench_ad.py [--sizes 10,32,1:512 20,64,16,1:1024] [--repeat 2] [--no-jax]

Workload: tanh MLP, mse loss L = 1/(2N) Σ ‖f(x_i) − y_i‖², float64, W ~ N(0, 1/fan_in),
b = 0, X and y standard normal, seeded. The loss is written ONCE below against a namespace ``xp``
(refopt.ad.numpy, autograd.numpy or jax.numpy), independent of refopt.nn. Each peer runs in this
process, hot (one untimed warm-up; JAX's compile is in the warm-up), best of ``--repeat`` runs.
Reported: seconds, refopt / peer ratios (issue goal: refopt.ad within 3x of autograd), and the
max relative difference of the Hessians (they must agree to round-off).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

import refopt.ad as ad
import refopt.ad.numpy as rnp
from refopt.verify import max_relative_error


def loss(theta, X, y, sizes, xp):
    """mse of a tanh MLP; θ holds, per layer, W (fan_in × fan_out, row-major) then b."""
    h, k = X, 0
    for j, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = xp.reshape(theta[k:k + a * b], (a, b))
        bias = theta[k + a * b:k + a * b + b]
        k += a * b + b
        h = h @ W + bias
        if j < len(sizes) - 2:
            h = xp.tanh(h)
    r = h - y
    return xp.sum(r * r) / (2 * X.shape[0])


def workload(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    parts = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        parts += [rng.normal(0.0, 1.0 / np.sqrt(a), a * b), np.zeros(b)]
    return np.concatenate(parts), rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))


def best_time(f, repeat):
    out, best = None, np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", nargs="+", default=["10,32,1:512", "20,64,16,1:1024"])
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--no-jax", action="store_true")
    args = p.parse_args()
    peers = {}
    try:
        import autograd
        import autograd.numpy as anp
        peers["autograd"] = lambda th, X, y, s: autograd.hessian(lambda t: loss(t, X, y, s, anp))(th)
    except ImportError:
        print("autograd not installed: no autograd column")
    if not args.no_jax:
        try:
            import jax
            jax.config.update("jax_enable_x64", True)
            import jax.numpy as jnp
            jitted = {}

            def jax_hessian(th, X, y, s):
                key = (tuple(s), X.shape)
                if key not in jitted:
                    jitted[key] = jax.jit(jax.hessian(lambda t, X, y: loss(t, X, y, s, jnp)))
                return np.asarray(jitted[key](th, X, y).block_until_ready())
            peers["jax jit"] = jax_hessian
        except ImportError:
            print("jax not installed: no JAX column")

    print(f"threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"cores={os.cpu_count()}; hot, best of {args.repeat}")
    print(f"{'sizes':<14}{'n':>6}{'P':>6}  {'refopt.ad s':>11}  " +
          "  ".join(f"{name + ' s':>11}{'ratio':>7}{'maxdiff':>9}" for name in peers))
    for spec in args.sizes:
        s, n = spec.split(":")
        sizes, n = [int(v) for v in s.split(",")], int(n)
        theta, X, y = workload(sizes, n)
        ours = ad.hessian(lambda t: loss(t, X, y, sizes, rnp))
        ours(theta)  # warm-up
        t_ours, H = best_time(lambda: ours(theta), args.repeat)
        row = f"{s:<14}{n:>6}{theta.size:>6}  {t_ours:>11.3f}  "
        for name, peer in peers.items():
            peer(theta, X, y, sizes)  # warm-up (JAX compiles here)
            t_peer, Hp = best_time(lambda: peer(theta, X, y, sizes), 1 if name == "autograd" else args.repeat)
            row += f"{t_peer:>11.3f}{t_ours / t_peer:>7.2f}{max_relative_error(H, Hp)[0]:>9.1e}  "
        print(row, flush=True)
    print("ratio = refopt.ad time / peer time (issue goal vs autograd: <= 3)")


if __name__ == "__main__":
    main()
