"""One partition-summary Newton step on an MLP with P ≈ 10⁵ parameters, against one gradient.

    python benchmarks/bench_partition_newton.py [--repeat K] [--quick]

Workload: [64, 256, 256, 10] tanh, mse, N = 512 Gaussian inputs and targets (P = 85 002), one
group per tensor (S = 6), u = the gradient. Times are the best of ``--repeat`` calls after one
warm-up call:

* gradient: ``NetworkObjective.value_and_grad`` (one forward, one backward pass);
* one HVP: ``NetworkObjective.hvp`` (the R-operator: tape + forward and backward tangent sweeps);
* S HVPs: the summary H̄ = Uᵀ H U formed from S R-operator products (the direct way);
* summary: H̄ from one tape and S forward tangent sweeps (``quadratic_forms``, what refopt uses);
* step: a gradient, the summary and the S × S solve — one iteration of the method;
* cubic extra: the S third directional derivatives (Taylor mode) the cubic variant adds.

The goal: one step ≤ (S + 2) × one gradient's time. ``--quick``: a [32, 128, 128, 10] net.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from refopt.nn import MLP
from refopt.nn import hessian as _h
from refopt.optim.partition_newton import summary_rates


def best(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    sizes = [32, 128, 128, 10] if args.quick else [64, 256, 256, 10]
    rng = np.random.default_rng(0)
    mlp = MLP(sizes, "tanh")
    X, y = rng.standard_normal((512, sizes[0])), rng.standard_normal((512, sizes[-1]))
    obj = mlp.objective(X, y)
    x = obj.init(0)
    g = obj.grad(x)
    S = len(obj.groups)
    U = np.zeros((S, obj.n))
    for s, grp in enumerate(obj.groups):
        U[s, grp] = g[grp]
    v = rng.standard_normal(obj.n)

    def by_hvps():
        params, t = obj._tape(x, curvature=True)
        HU = np.stack([_h.tangent_product(t, params, obj._tangent(u), X.shape[0]) for u in U])
        return U @ HU.T

    def step():
        f, gk = obj.value_and_grad(x)
        Hbar = obj.summary(x, U)
        eta, _ = summary_rates(0.5 * (Hbar + Hbar.T), U @ gk, 0.0, np.ones(S, dtype=bool))
        return x - eta[np.repeat(np.arange(S), [len(grp) for grp in obj.groups])] * gk

    Q_direct, Q_forward = by_hvps(), obj.summary(x, U)
    agree = float(np.max(np.abs(Q_direct - Q_forward)) / np.max(np.abs(Q_direct)))
    times = {
        "gradient": best(lambda: obj.value_and_grad(x), args.repeat),
        "one HVP": best(lambda: obj.hvp(x, v), args.repeat),
        f"{S} HVPs -> summary": best(by_hvps, args.repeat),
        "summary (forward tangents)": best(lambda: obj.summary(x, U), args.repeat),
        "step (gradient + summary + solve)": best(step, args.repeat),
        f"cubic extra ({S} third derivatives)": best(lambda: [obj.third(x, u) for u in U], args.repeat),
    }
    base = times["gradient"]
    print(f"partition-summary Newton on MLP {sizes} tanh mse, N = 512, P = {obj.n}, S = {S} groups "
          f"(best of {args.repeat})")
    print(f"{'':38} {'ms':>8} {'x gradient':>11}")
    for name, t in times.items():
        print(f"{name:38} {1e3 * t:8.2f} {t / base:11.2f}")
    ratio = times["step (gradient + summary + solve)"] / base
    print(f"goal: step <= (S + 2) = {S + 2} gradients: measured {ratio:.2f} -> {'met' if ratio <= S + 2 else 'NOT met'}")
    print(f"the two summaries agree to {agree:.1e} (max relative difference)")


if __name__ == "__main__":
    main()
