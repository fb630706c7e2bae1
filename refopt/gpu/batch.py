"""f, ∇f and ∇²f of a test function at many points in one call, on the CPU or a GPU.

    f_batch(fn, X)    -> (N,)        grad_batch(fn, X) -> (N, n)        hess_batch(fn, X) -> (N, n, n)

``fn`` is a test function's name or a :class:`refopt.functions.TestFunction` (its n and m), X an
(N, n) array of points. The per-point formulas are the function's own hand-derived kernels — the
ones ``TestFunction.f``/``grad``/``hess`` run — compiled for the device (:mod:`refopt.gpu.kernels`):
on the CPU by Numba with a ``prange`` over the points, on a GPU by numba.cuda with a thread per
point. Both run the same arithmetic as the CPU gufuncs of ``TestFunction.f_batch`` and friends; the
GPU's ``exp``/``sin``/... are libdevice's, correctly rounded to within an ulp or two, so the two
devices agree to a few ulps, not bit for bit.

X may already be on a GPU (a numba.cuda device array, a CuPy array, a PyTorch CUDA tensor: anything
with ``__cuda_array_interface__``; float64): on the GPU the result is then a numba.cuda device array
and nothing crosses to the host but a finiteness flag; on the CPU X is copied to the host first.
From a NumPy X the result is a NumPy array on either device.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..arguments import real_array
from ..functions import TestFunction, get
from .device import gpu_array, resolve
from .kernels import THREADS, cpu_points, why_no_device_kernel

if TYPE_CHECKING:
    from numba.cuda.cudadrv.devicearray import DeviceNDArray

__all__ = ["f_batch", "grad_batch", "hess_batch", "as_function", "run_points"]


def as_function(fn) -> TestFunction:
    """A TestFunction from a name (default n, m) or a TestFunction."""
    if isinstance(fn, TestFunction):
        return fn
    if isinstance(fn, str):
        return get(fn)
    raise TypeError(f"fn must be a test function's name or a refopt.functions.TestFunction; got {type(fn).__name__}")


def run_points(kind: str, fn, X, device: str = "auto") -> np.ndarray | DeviceNDArray:
    """The kernel ``kind`` ("f", "grad", "hess") of ``fn`` at the rows of X on ``device``."""
    tf = as_function(fn)
    where = resolve(device, tf.name, why_no_device_kernel(tf.name))
    d_X = gpu_array(X)
    if d_X is not None and where == "cuda":
        return _on_gpu(kind, tf, _checked_gpu_array(d_X, tf))
    if d_X is not None:
        X = d_X.copy_to_host()
    X = real_array(X, f"{tf.name}: X", shape=(None, tf.n), min_size=0)
    if where == "cpu" or X.shape[0] == 0:
        out = np.empty(_shape(kind, *X.shape))
        if X.shape[0]:
            cpu_points()(tf.spec.jit(kind), X, tf.p, out)
        return out[:, 0] if kind == "f" else out
    from numba import cuda

    return _on_gpu(kind, tf, cuda.to_device(X)).copy_to_host()


def _shape(kind, N, n):
    return {"f": (N, 1), "grad": (N, n), "hess": (N, n, n)}[kind]


def _on_gpu(kind, tf, d_X):
    """The kernel at the rows of the device array d_X; the result stays on the GPU."""
    from numba import cuda

    from .cuda_kernels import cuda_points

    N, n = d_X.shape
    d_out = cuda.device_array(_shape(kind, N, n))
    if N:
        with np.errstate(all="ignore"):  # as on a GPU, which raises no floating-point flags (the simulator would)
            cuda_points(tf.name, kind)[(N + THREADS - 1) // THREADS, THREADS](d_X, cuda.to_device(tf.p), d_out)
    return d_out.reshape(N) if kind == "f" else d_out


def _checked_gpu_array(d_X, tf):
    """A GPU array X checked as :func:`refopt.arguments.real_array` checks a host one: float64,
    shape (N, n), finite (a kernel looks; only a flag comes back)."""
    from numba import cuda

    from .cuda_kernels import cuda_nonfinite_rows

    name = f"{tf.name}: X"
    if d_X.dtype != np.float64:
        raise TypeError(f"{name} on the GPU must be float64 (it is not converted there); got {d_X.dtype}")
    if len(d_X.shape) != 2 or d_X.shape[1] != tf.n:
        raise ValueError(f"{name} must have shape (N, {tf.n}); got shape {tuple(d_X.shape)}")
    N = d_X.shape[0]
    if N:
        d_bad = cuda.to_device(np.zeros(1, dtype=np.int64))
        cuda_nonfinite_rows()[(N + THREADS - 1) // THREADS, THREADS](d_X, d_bad)
        bad = int(d_bad.copy_to_host()[0])
        if bad:
            raise ValueError(f"{name} must be finite; {bad} of its rows have NaN or inf entries")
    return d_X


def f_batch(fn, X, device: str = "auto") -> np.ndarray | DeviceNDArray:
    """f at each row of X (N, n) -> (N,); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("f", fn, X, device)


def grad_batch(fn, X, device: str = "auto") -> np.ndarray | DeviceNDArray:
    """∇f at each row of X (N, n) -> (N, n); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("grad", fn, X, device)


def hess_batch(fn, X, device: str = "auto") -> np.ndarray | DeviceNDArray:
    """∇²f at each row of X (N, n) -> (N, n, n); ``device`` "auto" | "cuda" | "cpu"."""
    return run_points("hess", fn, X, device)
