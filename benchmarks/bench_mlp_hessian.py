"""Exact Hessian of an MLP loss: refopt's structured Hessian against JAX, PyTorch and autograd.

    python benchmarks/bench_mlp_hessian.py [--quick] [--repeat K] [--skip autograd,torch.func]

Workloads: tanh hidden layers, mse loss, float64, W ~ N(0, 1/fan_in), biases on (set
to N(0, 0.1²) so they are not a special point), Gaussian inputs and targets:
[10,32,1] n=512 (P=385); [20,64,16,1] n=1024 (P=2401); [20,64,64,1] n=1024 (P=5569).
``--quick`` runs only the first two.

Every peer differentiates the SAME loss — ``MLP._loss`` written once against a namespace, here
``jax.numpy``, ``torch`` or ``autograd.numpy`` — in the same process: ``jax.jit(jax.hessian)``,
``torch.func.hessian`` and ``autograd.hessian`` (each only if importable), refopt's structured
Hessian (``MLP.hessian``), its Gauss–Newton part (``MLP.ggn``) and the generic ``refopt.ad``
Hessian (if ``refopt.ad`` exists). Times are "hot": the best of ``--repeat`` calls after one
warm-up call (which includes JAX's compilation); calls slower than 5 s are timed once without
the warm-up (except JAX). Each peer's Hessian is compared with refopt's (max relative error).
autograd is skipped at P=5569 (minutes), and so is the generic refopt.ad Hessian.
Prints a table of times, ratios to JAX, and how the time grows with P (slope of log t vs log P).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from refopt.nn import MLP

WORKLOADS = [([10, 32, 1], 512), ([20, 64, 16, 1], 1024), ([20, 64, 64, 1], 1024)]


def workload(sizes, n, seed=0):
    mlp = MLP(sizes, activation="tanh", bias=True, loss="mse")
    rng = np.random.default_rng(seed)
    theta = mlp.init(seed)
    for sl, a, b in zip(mlp.slices, sizes[:-1], sizes[1:]):
        theta[sl.start + a * b:sl.stop] = 0.1 * rng.standard_normal(b)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.standard_normal((n, sizes[-1]))
    return mlp, theta, X, y


def peers(mlp, X, y):
    """name -> (zero-argument builder returning a function theta -> Hessian as NumPy)."""
    Y = mlp.loss_fn.targets(y, X.shape[0], mlp.sizes[-1])
    out = {}
    out["refopt"] = lambda: (lambda th: mlp.hessian(th, X, y))
    out["refopt ggn"] = lambda: (lambda th: mlp.ggn(th, X, y))
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        def build_jax():
            Xj, Yj = jnp.asarray(X), jnp.asarray(Y)
            h = jax.jit(jax.hessian(lambda th: mlp._loss(th, Xj, Yj, xp=jnp)))
            return lambda th: np.asarray(h(jnp.asarray(th)).block_until_ready())
        out["jax jit"] = build_jax
    except ImportError:
        pass
    try:
        import torch
        import torch.func

        def build_torch():
            Xt, Yt = torch.as_tensor(X), torch.as_tensor(Y)
            h = torch.func.hessian(lambda th: mlp._loss(th, Xt, Yt, xp=torch))
            return lambda th: h(torch.as_tensor(th)).numpy()
        out["torch.func"] = build_torch
    except ImportError:
        pass
    try:
        import autograd
        import autograd.numpy as anp

        def build_autograd():
            h = autograd.hessian(lambda th: mlp._loss(th, X, Y, xp=anp))
            return lambda th: np.asarray(h(th))
        out["autograd"] = build_autograd
    except ImportError:
        pass
    try:
        from refopt import ad
        out["refopt.ad"] = lambda: (lambda th: mlp.hessian_generic(th, X, y))
    except ImportError:
        pass
    return out


def timed(fn, theta, repeat, warm):
    if warm:
        fn(theta)
    best, H = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        H = fn(theta)
        best = min(best, time.perf_counter() - t)
        if best > 5.0:
            break
    return best, H


def run(quick=False, repeat=3, skip=()):
    rows = []
    for sizes, n in WORKLOADS[:2] if quick else WORKLOADS:
        mlp, theta, X, y = workload(sizes, n)
        ref = None
        for name, build in peers(mlp, X, y).items():
            if name in skip or (mlp.n_params > 3000 and name in ("autograd", "refopt.ad")):
                continue
            fn = build()
            slow = name in ("autograd", "refopt.ad", "torch.func") and mlp.n_params > 2000
            t, H = timed(fn, theta, 1 if slow else repeat, warm=not slow or name == "jax jit")
            if name == "refopt":
                ref = H
            err = float(np.max(np.abs(H - ref)) / np.max(np.abs(ref))) if name != "refopt ggn" else float("nan")
            rows.append(dict(sizes=sizes, n=n, P=mlp.n_params, peer=name, t=t, err=err))
            print(f"  {str(sizes):<16} P={mlp.n_params:<5} {name:<11} {t:9.4f} s   err vs refopt {err:.1e}", flush=True)
    return rows


def table(rows) -> str:
    Ps = sorted({r["P"] for r in rows})
    names = list(dict.fromkeys(r["peer"] for r in rows))
    t = {(r["peer"], r["P"]): r["t"] for r in rows}
    lines = ["time (s) and ratio to jax jit, same process:",
             f"{'peer':<12}" + "".join(f"{'P=' + str(P):>22}" for P in Ps) + f"{'slope':>8}{'last2':>7}"]
    for name in names:
        cells = ""
        for P in Ps:
            if (name, P) not in t:
                cells += f"{'—':>22}"
                continue
            ratio = t[(name, P)] / t[("jax jit", P)] if ("jax jit", P) in t else float("nan")
            cells += f"{t[(name, P)]:>12.4f} ({ratio:5.2f}x)"
        pts = [(P, t[(name, P)]) for P in Ps if (name, P) in t]
        logs = np.log(np.array(pts, dtype=float)) if len(pts) > 1 else None
        slope = np.polyfit(logs[:, 0], logs[:, 1], 1)[0] if logs is not None else float("nan")
        last2 = (logs[-1, 1] - logs[-2, 1]) / (logs[-1, 0] - logs[-2, 0]) if logs is not None else float("nan")
        lines.append(f"{name:<12}{cells}{slope:>8.2f}{last2:>7.2f}")
    lines.append("slope: least-squares exponent a in t ~ P^a over the sizes timed; last2: the same "
                 "between the two largest sizes timed.")
    if all(("autograd", P) in t for P in Ps[:2]):
        lines.append("refopt speed-up over autograd: " + ", ".join(
            f"P={P}: {t[('autograd', P)] / t[('refopt', P)]:.0f}x" for P in Ps if ("autograd", P) in t))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only P=385 and P=2401")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per peer (best kept)")
    ap.add_argument("--skip", default="", help="comma-separated peers not to run (e.g. autograd,refopt.ad)")
    args = ap.parse_args()
    print(table(run(args.quick, args.repeat, tuple(filter(None, args.skip.split(","))))))


if __name__ == "__main__":
    main()
