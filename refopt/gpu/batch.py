"""f, ∇f and ∇²f of a test function at many points in one call, on the CPU or a GPU.

    f_batch(fn, X)    -> (N,)        grad_batch(fn, X) -> (N, n)        hess_batch(fn, X) -> (N, n, n)

``fn`` is a test function's name or a :class:`refopt.functions.TestFunction` (its n and m), X an
(N, n) array of points. The per-point formulas are the function's own hand-derived kernels — the
ones ``TestFunction.f``/``grad``/``hess`` run — compiled for the device (:mod:`refopt.gpu.kernels`):
on the CPU by Numba with a ``prange`` over the points, on a GPU by numba.cuda with a thread per
point. Both run the same arithmetic as the CPU gufuncs of ``TestFunction.f_batch`` and friends; the
GPU's ``exp``/``sin``/... are libdevice's, correctly rounded to within an ulp or two, so the two
devices agree to a few ulps, not bit for bit.
"""
from __future__ import annotations

import numpy as np

from ..arguments import real_array
from ..functions import TestFunction, get
from .device import resolve
from .kernels import THREADS, cpu_points, why_no_device_kernel

__all__ = ["f_batch", "grad_batch", "hess_batch", "as_function", "run_points"]


def as_function(fn) -> TestFunction:
    """A TestFunction from a name (default n, m) or a TestFunction."""
    if isinstance(fn, TestFunction):
        return fn
    if isinstance(fn, str):
        return get(fn)
    raise TypeError(f"fn must be a test function's name or a refopt.functions.TestFunction; got {type(fn).__name__}")


def run_points(kind: str, fn, X, device: str = "auto") -> np.ndarray:
    """The kernel ``kind`` ("f", "grad", "hess") of ``fn`` at the rows of X on ``device``."""
    tf = as_function(fn)
    X = np.ascontiguousarray(real_array(X, f"{tf.name}: X", shape=(None, tf.n), min_size=0))
    where = resolve(device, tf.name, why_no_device_kernel(tf.name))
    N, n = X.shape
    shape = {"f": (N, 1), "grad": (N, n), "hess": (N, n, n)}[kind]
    if N == 0:
        return np.empty(shape[:1] if kind == "f" else shape)
    if where == "cpu":
        out = np.empty(shape)
        cpu_points()(tf.spec.jit(kind), X, tf.p, out)
    else:
        from numba import cuda

        from .cuda_kernels import cuda_points

        with np.errstate(all="ignore"):  # as on a GPU, which raises no floating-point flags (the simulator would)
            d_out = cuda.device_array(shape)
            cuda_points(tf.name, kind)[(N + THREADS - 1) // THREADS, THREADS](cuda.to_device(X), cuda.to_device(tf.p), d_out)
        out = d_out.copy_to_host()
    return out[:, 0] if kind == "f" else out


def f_batch(fn, X, device: str = "auto") -> np.ndarray:
    """f at each row of X (N, n) -> (N,); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("f", fn, X, device)


def grad_batch(fn, X, device: str = "auto") -> np.ndarray:
    """∇f at each row of X (N, n) -> (N, n); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("grad", fn, X, device)


def hess_batch(fn, X, device: str = "auto") -> np.ndarray:
    """∇²f at each row of X (N, n) -> (N, n, n); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("hess", fn, X, device)
