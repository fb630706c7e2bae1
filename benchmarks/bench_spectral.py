"""Top-20 Hessian eigenpairs of an MLP, matrix-free: refopt against PyHessian and curvlinops; HVPs against JAX.

    python benchmarks/bench_spectral.py [--quick] [--repeat K] [--hvp-repeat K] [--omp-passive]
                                        [--skip pyhessian,curvlinops,jax,torch]

Workload (the same network, parameters and data for every peer, float64 everywhere):
``MLP([784, 128, 10], activation="tanh", loss="softmax_ce")`` (P = 101 770), θ = ``mlp.init(0)``,
X ~ N(0, 1) of shape (1000, 784) and integer labels y in 0…9, both from ``default_rng(0)``.
``--quick``: [64, 32, 10], N = 200 (P = 2410), a smoke run of seconds. The identical PyTorch
model (``nn.Linear`` weight = Wᵀ, CrossEntropyLoss(reduction="mean")) is checked first: its loss
and its HVP for one random v must match ``mlp.loss`` / ``mlp.hvp`` to 1e-11 relative (asserted).

1. Top-20 eigenvalues (largest algebraic) by Hessian–vector products, H never formed. Each call
   is timed whole — making the operator (refopt's recorded forward pass, PyHessian's
   ``backward(create_graph=True)``, curvlinops' operator) plus the eigensolver — best of
   ``--repeat`` calls (one call when a call takes > 30 s), after an untimed warm-up product:
   * refopt: ``lanczos_topk(mlp.hessian_operator(θ, X, y), k=20, which="LA", tol=1e-10,
     vectors=True)`` (thick-restart Lanczos; the 20 measured residuals are in its time);
   * PyHessian: ``hessian(model, criterion, data=(X, y), cuda=False).eigenvalues(top_n=20)`` with
     its defaults (power iteration with deflation, tol 1e-3, maxIter 100 per eigenvalue; it
     finds the largest |λ|); HVPs counted by wrapping its ``hessian_vector_product`` in a counter
     (its code is otherwise untouched). Its ``trace`` and ``density`` are also tried once
     (short runs), and whether they run under this torch is reported;
   * curvlinops: ``HessianLinearOperator(model, loss, params, [(X, y)],
     check_deterministic=False).to_scipy()`` with ``scipy.sparse.linalg.eigsh(k=20, which="LA",
     tol=1e-10)`` — ARPACK's test ‖Hv − λv‖ ≤ tol·|λ| is the same as refopt's, and the basis
     (ncv = 41) and the start vector are the same as refopt's default.
   * refopt again with tol=1e-3 (PyHessian's number; refopt's test is on the residual), an
     extra row for the speed at PyHessian-like accuracy (its ratio column is against the first row).
   Accuracy, the same for all, measured with refopt's operator (the same H) on the returned
   unit vectors: max_i ‖Hv_i − λ_i v_i‖ / |λ_i|, and the max relative difference of the sorted
   eigenvalues to refopt's.
2. One HVP at the same size, best of ``--hvp-repeat`` after a warm-up (JAX compiles there):
   ``MLP.hvp`` (forward pass + R-operator), refopt's operator product ``op @ v`` (reuses the
   recorded pass), JAX ``jit(jvp(grad(loss)))`` (forward-over-reverse, the same
   ``MLP._loss`` written against jax.numpy), torch double backward (fresh graph, and with the
   gradient graph kept, PyHessian-style), and ``torch.func.jvp(grad)`` (the product curvlinops vmaps, with jacrev).
   Each result is compared with ``MLP.hvp`` (relative 2-norm difference).

Everything runs in this one process; torch's threads are set to the BLAS thread count
(OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, else the core count). Mixing libraries in one process has
a cost of its own: idle OpenMP (torch) and OpenBLAS (numpy, scipy's ARPACK) worker threads spin
for a while after each call and take the cores from the other library — curvlinops + eigsh,
which alternates the two on every product, is hit hardest. ``--omp-passive`` sets
OMP_WAIT_POLICY=PASSIVE before torch loads (it helps curvlinops and slows PyHessian's many small
torch calls). Other work on the machine inflates every time, the OpenMP-threaded torch peers'
most of all: the CPU-seconds other processes used during the run are printed at the end.
Ratios are refopt time / peer time (goals: top-20 ≤ 0.5 against each peer at equal or better
accuracy; ``MLP.hvp`` ≤ 1.0 against JAX).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

import numpy as np
from scipy.sparse.linalg import LinearOperator, eigsh

import refopt
from refopt.spectral import lanczos_topk

K, TOL = 20, 1e-10
LOOSE = 1e-3  # PyHessian's default tol, for an extra refopt row
LOOSE_NAME = "1e-3"


def threads() -> int:
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def workload(quick: bool):
    sizes, n = ([64, 32, 10], 200) if quick else ([784, 128, 10], 1000)
    mlp = refopt.MLP(sizes, activation="tanh", loss="softmax_ce")
    theta = mlp.init(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    return mlp, theta, X, y


def torch_order(mlp) -> np.ndarray:
    """perm with θ_torch = θ_refopt[perm]: per layer Wᵀ (out × in) row-major, then b."""
    idx, parts = np.arange(mlp.n_params), []
    for sl, a, b in zip(mlp.slices, mlp.sizes[:-1], mlp.sizes[1:]):
        parts += [idx[sl.start:sl.start + a * b].reshape(a, b).T.ravel(), idx[sl.start + a * b:sl.stop]]
    return np.concatenate(parts)


def best(fn, repeat: int, slow: float = 30.0):
    out, t_best = None, np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        t_best = min(t_best, time.perf_counter() - t)
        if t_best > slow:
            break
    return t_best, out


def rel(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)) / np.linalg.norm(b))


def accuracy(op, lam, V, lam_ref):
    """max relative residual of the unit-normalised pairs under refopt's H, max rel. eigenvalue diff."""
    lam = np.asarray(lam, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    V = V / np.linalg.norm(V, axis=0)
    R = op.matmat(V) - V * lam
    res = np.linalg.norm(R, axis=0) / np.abs(lam)
    a, b = np.sort(lam)[::-1], np.sort(lam_ref)[::-1]
    return float(res.max()), float(np.max(np.abs(a - b) / np.abs(b)))


class TorchSide:
    """The identical torch model and data, and conversions between the two parameter orders."""

    def __init__(self, mlp, theta, X, y, torch):
        self.torch, self.mlp = torch, mlp
        self.perm = torch_order(mlp)
        self.X = torch.as_tensor(X)
        self.y = torch.as_tensor(y, dtype=torch.long)
        self.theta = theta
        self.criterion = torch.nn.CrossEntropyLoss(reduction="mean")

    def model(self):
        nn, torch = self.torch.nn, self.torch
        layers = []
        for j, ((W, b), a, c) in enumerate(zip(self.mlp.unflatten(self.theta), self.mlp.sizes[:-1],
                                               self.mlp.sizes[1:])):
            lin = nn.Linear(a, c, bias=True, dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(torch.as_tensor(W.T))
                lin.bias.copy_(torch.as_tensor(b))
            layers.append(lin)
            if j < self.mlp.n_layers - 1:
                layers.append(nn.Tanh())
        return nn.Sequential(*layers)

    def to_torch(self, v) -> list:
        flat, out, k = np.asarray(v)[self.perm], [], 0
        for p in self.model().parameters():
            out.append(self.torch.as_tensor(flat[k:k + p.numel()].reshape(p.shape).copy()))
            k += p.numel()
        return out

    def to_refopt(self, flat_torch) -> np.ndarray:
        """A torch-order vector (P,) or matrix (P, k) in refopt's order."""
        flat_torch = np.asarray(flat_torch)
        out = np.empty_like(flat_torch)
        out[self.perm] = flat_torch
        return out

    def double_backward(self, model, retain=False):
        torch = self.torch
        params = list(model.parameters())
        loss = self.criterion(model(self.X), self.y)
        g = torch.autograd.grad(loss, params, create_graph=True)
        return (lambda v: torch.autograd.grad(g, params, grad_outputs=v, retain_graph=True)) if retain else \
            (lambda v: torch.autograd.grad(g, params, grad_outputs=v))

    def flat(self, tensors) -> np.ndarray:
        return self.to_refopt(np.concatenate([t.detach().reshape(-1).numpy() for t in tensors]))


# ------------------------------------------------------------------------------------------------
# 1. top-20
# ------------------------------------------------------------------------------------------------
def run_refopt(mlp, theta, X, y, tol=TOL):
    r = lanczos_topk(mlp.hessian_operator(theta, X, y), k=K, which="LA", tol=tol, vectors=True)
    return r.eigenvalues, r.eigenvectors, r.matvecs, f"{int(r.converged.sum())}/{K} converged, {r.restarts} restarts"


def run_pyhessian(ts, pyh_module):
    torch = ts.torch
    count = [0]
    original = pyh_module.hessian_vector_product

    def counted(gradsH, params, v):
        count[0] += 1
        return original(gradsH, params, v)

    torch.manual_seed(0)
    pyh_module.hessian_vector_product = counted
    try:
        h = pyh_module.hessian(ts.model(), ts.criterion, data=(ts.X, ts.y), cuda=False)
        lam, vecs = h.eigenvalues(top_n=K)
    finally:
        pyh_module.hessian_vector_product = original
    V = np.stack([ts.flat(v) for v in vecs], axis=1)
    neg = sum(1 for x in lam if x < 0)
    return np.array(lam), V, count[0], f"power iteration, {count[0] / K:.0f} HVPs/eigenvalue" + (
        f", {neg} negative" if neg else "")


def run_curvlinops(ts, HessianLinearOperator, P):
    model = ts.model()
    H = HessianLinearOperator(model, ts.criterion, list(model.parameters()), [(ts.X, ts.y)],
                              check_deterministic=False).to_scipy()
    count = [0]

    def mv(v):
        count[0] += 1
        return H @ v

    op = LinearOperator(H.shape, matvec=mv, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(P)
    lam, V = eigsh(op, k=K, which="LA", tol=TOL, v0=v0)
    order = np.argsort(lam)[::-1]
    return lam[order], ts.to_refopt(V[:, order]), count[0], "ARPACK eigsh"


def curvlinops_product(ts, HessianLinearOperator, v):
    model = ts.model()
    H = HessianLinearOperator(model, ts.criterion, list(model.parameters()), [(ts.X, ts.y)],
                              check_deterministic=False).to_scipy()
    return ts.to_refopt(H @ v[ts.perm])


def pyhessian_features(ts, pyh_module) -> list:
    notes = []
    torch = ts.torch
    torch.manual_seed(0)
    h = pyh_module.hessian(ts.model(), ts.criterion, data=(ts.X, ts.y), cuda=False)
    for what, call in (("trace(maxIter=10)", lambda: float(np.mean(h.trace(maxIter=10)))),
                       ("density(iter=10, n_v=1)", lambda: len(h.density(iter=10, n_v=1)[0][0]))):
        try:
            out = call()
            notes.append(f"PyHessian {what}: runs ({'estimate' if 'trace' in what else 'nodes'} {out:.6g})")
        except Exception as e:  # report the peer's own failure, do not patch it
            notes.append(f"PyHessian {what}: FAILS with {type(e).__name__}: {' '.join(str(e).split())}")
    return notes


def top_k(mlp, theta, X, y, ts, peers, repeat):
    op_check = mlp.hessian_operator(theta, X, y)
    v = np.random.default_rng(2).standard_normal(mlp.n_params)
    rows, notes = [], []
    # warm-up: one product of each kind (numba / torch lazy initialisation), untimed
    op_check @ v
    t_ref, (lam_ref, V_ref, mv_ref, note) = best(lambda: run_refopt(mlp, theta, X, y), repeat)
    res, _ = accuracy(op_check, lam_ref, V_ref, lam_ref)
    rows.append(("refopt lanczos_topk", t_ref, mv_ref, res, 0.0, note))
    print(f"  refopt      {t_ref:8.2f} s  {mv_ref:5d} HVPs  max rel residual {res:.1e}", flush=True)
    for name, (fn, warm) in peers.items():
        try:
            warm(v)  # untimed: the peer's first product (lazy torch / functorch initialisation)
            t, (lam, V, mv, note) = best(fn, repeat)
        except Exception as e:
            notes.append(f"{name}: FAILS with {type(e).__name__}: {' '.join(str(e).split())}")
            print(f"  {name:<11} failed: {type(e).__name__}: {e}", flush=True)
            continue
        res, diff = accuracy(op_check, lam, V, lam_ref)
        rows.append((name, t, mv, res, diff, note))
        print(f"  {name:<11} {t:8.2f} s  {mv:5d} HVPs  max rel residual {res:.1e}  eig diff {diff:.1e}", flush=True)
    if "PyHessian" in peers:  # refopt at PyHessian's tolerance number, for speed at like accuracy
        t_lo, (lam, V, mv, note) = best(lambda: run_refopt(mlp, theta, X, y, LOOSE), repeat)
        res, diff = accuracy(op_check, lam, V, lam_ref)
        rows.append((f"refopt tol={LOOSE_NAME}", t_lo, mv, res, diff, note))
        t_pyh = next(r[1] for r in rows if r[0] == "PyHessian")
        notes.append(f"refopt tol={LOOSE_NAME} / PyHessian time: {t_lo / t_pyh:.2f}x (residuals "
                     f"{res:.1e} vs {next(r[3] for r in rows if r[0] == 'PyHessian'):.1e})")
        print(f"  refopt tol={LOOSE_NAME} {t_lo:8.2f} s  {mv:5d} HVPs  max rel residual {res:.1e}  eig diff {diff:.1e}",
              flush=True)
    return rows, notes, lam_ref


def top_k_table(rows) -> str:
    t_ref = rows[0][1]
    lines = [f"top-{K} eigenpairs (which=LA), wall time incl. operator setup; accuracy under refopt's H:",
             f"{'peer':<22}{'time s':>9}{'HVPs':>7}{'ms/HVP':>8}{'max ‖Hv−λv‖/|λ|':>17}{'max Δλ/λ':>10}"
             f"{'refopt/peer':>13}  notes"]
    for name, t, mv, res, diff, note in rows:
        lines.append(f"{name:<22}{t:>9.2f}{mv:>7d}{1e3 * t / mv:>8.1f}{res:>17.1e}{diff:>10.1e}"
                     f"{t_ref / t:>12.2f}x  {note}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# 2. one HVP
# ------------------------------------------------------------------------------------------------
def hvp_products(mlp, theta, X, y, ts, jax_mods, repeat):
    v = np.random.default_rng(1).standard_normal(mlp.n_params)
    ref = mlp.hvp(theta, X, y, v)
    cands = {"refopt MLP.hvp": lambda: mlp.hvp(theta, X, y, v)}
    op = mlp.hessian_operator(theta, X, y)
    cands["refopt op @ v"] = lambda: op @ v
    if jax_mods is not None:
        jax, jnp = jax_mods
        Y = mlp.loss_fn.targets(y, X.shape[0], mlp.sizes[-1])
        Xj, Yj, thj, vj = jnp.asarray(X), jnp.asarray(Y), jnp.asarray(theta), jnp.asarray(v)

        def f(th, X, Y):
            return mlp._loss(th, X, Y, xp=jnp)

        hj = jax.jit(lambda th, v, X, Y: jax.jvp(lambda t: jax.grad(f)(t, X, Y), (th,), (v,))[1])
        cands["jax jit(jvp(grad))"] = lambda: np.asarray(hj(thj, vj, Xj, Yj).block_until_ready())
    if ts is not None:
        torch = ts.torch
        vt = ts.to_torch(v)
        model = ts.model()
        cands["torch double backward"] = lambda: ts.flat(ts.double_backward(model)(vt))
        kept = ts.double_backward(ts.model(), retain=True)
        cands["torch 2nd backward only"] = lambda: ts.flat(kept(vt))
        from torch.func import functional_call, grad, jvp
        m2 = ts.model()
        names = [n for n, _ in m2.named_parameters()]
        p0 = tuple(p.detach() for p in m2.parameters())

        def lossf(*ps):
            return ts.criterion(functional_call(m2, dict(zip(names, ps)), (ts.X,)), ts.y)

        gradf = grad(lossf, argnums=tuple(range(len(p0))))
        cands["torch.func jvp(grad)"] = lambda: ts.flat(jvp(gradf, p0, tuple(vt))[1])
    rows = []
    for name, fn in cands.items():
        fn()  # warm-up (JAX compiles here)
        t, out = best(fn, repeat)
        rows.append((name, t, rel(out, ref)))
        print(f"  {name:<24} {1e3 * t:8.2f} ms   rel diff to MLP.hvp {rows[-1][2]:.1e}", flush=True)
    return rows


def hvp_table(rows) -> str:
    t_hvp, t_op = rows[0][1], rows[1][1]
    lines = ["one Hessian-vector product, best of repeats after warm-up:",
             f"{'product':<26}{'ms':>9}{'MLP.hvp/this':>14}{'op@v/this':>11}{'rel diff to MLP.hvp':>21}"]
    for name, t, d in rows:
        lines.append(f"{name:<26}{1e3 * t:>9.2f}{t_hvp / t:>13.2f}x{t_op / t:>10.2f}x{d:>21.1e}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
def check_torch(mlp, theta, X, y, ts):
    """The torch model is the same function: loss and one HVP agree with refopt's."""
    model = ts.model()
    loss_t = ts.criterion(model(ts.X), ts.y).item()
    loss_r = mlp.loss(theta, X, y)
    v = np.random.default_rng(3).standard_normal(mlp.n_params)
    hv_t = ts.flat(ts.double_backward(model)(ts.to_torch(v)))
    hv_r = mlp.hvp(theta, X, y, v)
    e_loss, e_hvp = abs(loss_t - loss_r) / abs(loss_r), rel(hv_t, hv_r)
    print(f"torch model check: loss rel diff {e_loss:.1e}, HVP rel diff {e_hvp:.1e}")
    assert e_loss < 1e-11 and e_hvp < 1e-11, "the torch model is not refopt's network"


def busy_seconds() -> float:
    """CPU-seconds the whole machine has been busy (Linux /proc/stat), NaN elsewhere."""
    try:
        with open("/proc/stat") as fh:
            v = [int(x) for x in fh.readline().split()[1:]]
        return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def main() -> None:
    busy0, own0, wall0 = busy_seconds(), sum(os.times()[:2]), time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="[64, 32, 10], N=200 (smoke run)")
    ap.add_argument("--repeat", type=int, default=2, help="timed top-k calls per peer (best kept)")
    ap.add_argument("--hvp-repeat", type=int, default=10, help="timed products per HVP variant")
    ap.add_argument("--skip", default="", help="comma-separated: pyhessian,curvlinops,jax,torch")
    ap.add_argument("--omp-passive", action="store_true",
                    help="set OMP_WAIT_POLICY=PASSIVE before torch loads (idle OpenMP threads sleep "
                         "instead of spinning against OpenBLAS's; see the module docstring)")
    args = ap.parse_args()
    if args.omp_passive:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    skip = set(filter(None, args.skip.split(",")))
    # PyHessian calls loss.backward(create_graph=True), on which torch warns each time
    warnings.filterwarnings("ignore", message="Using backward\\(\\) with create_graph=True")

    mlp, theta, X, y = workload(args.quick)
    nthreads = threads()
    versions = [f"refopt {refopt.__version__}", f"numpy {np.__version__}"]
    ts, jax_mods, peers, notes = None, None, {}, []
    try:
        if "torch" in skip:
            raise ImportError("--skip torch")
        import torch
        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(nthreads)
        ts = TorchSide(mlp, theta, X, y, torch)
        versions.append(f"torch {torch.__version__}")
    except ImportError as e:
        notes.append(f"torch not installed or skipped ({e}): no PyHessian, curvlinops or torch columns")
    if ts is not None and "pyhessian" not in skip:
        try:
            import pyhessian  # noqa: F401
            pyh = sys.modules["pyhessian.hessian"]
            peers["PyHessian"] = (lambda: run_pyhessian(ts, pyh),
                                  lambda v: ts.double_backward(ts.model(), retain=True)(ts.to_torch(v)))
            from importlib.metadata import version
            versions.append(f"pyhessian {version('pyhessian')}")
        except ImportError as e:
            notes.append(f"pyhessian not installed ({e}): no PyHessian row")
    if ts is not None and "curvlinops" not in skip:
        try:
            from curvlinops import HessianLinearOperator
            peers["curvlinops eigsh"] = (lambda: run_curvlinops(ts, HessianLinearOperator, mlp.n_params),
                                         lambda v: curvlinops_product(ts, HessianLinearOperator, v))
            from importlib.metadata import version
            versions.append(f"curvlinops-for-pytorch {version('curvlinops-for-pytorch')}")
        except ImportError as e:
            notes.append(f"curvlinops-for-pytorch not installed ({e}): no curvlinops row")
    if "jax" not in skip:
        try:
            import jax
            jax.config.update("jax_enable_x64", True)
            import jax.numpy as jnp
            import jaxlib
            jax_mods = (jax, jnp)
            versions.append(f"jax {jax.__version__}, jaxlib {jaxlib.__version__}")
        except ImportError as e:
            notes.append(f"jax not installed ({e}): no JAX row")

    load = os.getloadavg()[0]
    print(f"{mlp!r}, N={X.shape[0]}; threads: BLAS/torch {nthreads}, cores {os.cpu_count()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}; 1-min load average {load:.2f}")
    print("versions: " + ", ".join(versions))
    for n in notes:
        print(n)
    if ts is not None:
        check_torch(mlp, theta, X, y, ts)

    print(f"1. top-{K} eigenpairs (best of {args.repeat}):", flush=True)
    rows, notes1, _ = top_k(mlp, theta, X, y, ts, peers, args.repeat)
    if "PyHessian" in peers:
        notes1 += pyhessian_features(ts, sys.modules["pyhessian.hessian"])
    print(f"2. one HVP (best of {args.hvp_repeat}):", flush=True)
    hrows = hvp_products(mlp, theta, X, y, ts, jax_mods, args.hvp_repeat)

    t_ref, mv_ref = rows[0][1], rows[0][2]
    t_mv = next(t for name, t, _ in hrows if name == "refopt op @ v")
    notes1.insert(0, f"refopt: {mv_ref} products x {1e3 * t_mv:.1f} ms (op @ v, section 2) = {mv_ref * t_mv:.2f} s "
                     f"of {t_ref:.2f} s ({100 * mv_ref * t_mv / t_ref:.0f}% in HVPs; the rest is "
                     f"reorthogonalisation, restarts, Rayleigh-Ritz, setup)")
    print()
    print(top_k_table(rows))
    for n in notes1:
        print("  " + n)
    print()
    print(hvp_table(hrows))
    print("ratios: refopt time / peer time (goals: top-20 <= 0.5x each peer at equal or better "
          "accuracy; MLP.hvp <= 1.0x jax jit(jvp(grad)))")
    other = busy_seconds() - busy0 - (sum(os.times()[:2]) - own0)
    if other == other:  # not NaN (Linux)
        other = max(0.0, other)
        print(f"other processes on the machine used {other:.0f} CPU-s during the run "
              f"(wall {time.perf_counter() - wall0:.0f} s on {os.cpu_count()} cores)"
              + ("  (WARNING: times are inflated)" if other > 5 else ""))


if __name__ == "__main__":
    main()
