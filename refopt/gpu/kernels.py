"""The compiled pieces of :mod:`refopt.gpu`, built from the shared sources on first use.

Per point, ``point(kernel, X, prm, out, i)`` calls a test function's hand-derived kernel on row i
(out[i] is f's one-entry row, ∇f or ∇²f); per start, :func:`refopt.gpu.run.descend_one` runs one
optimizer. Each is compiled twice from its one source:

* CPU: ``numba.njit(parallel=True)`` drivers with a ``prange`` over the rows, taking the kernels
  as first-class functions (``Spec.jit``), so one compiled driver serves every test function and
  is cached on disk;
* CUDA (:mod:`refopt.gpu.cuda_kernels`): a kernel per (function, kind) — a thread per row — closing over ``cuda.jit(device=True)``
  wrappers of the very same Python kernels (the function's own ``f``, ``grad``, ``hess`` and
  :func:`refopt.optim.bfgs.inverse_update`).

A function whose kernels allocate work arrays (``np.empty`` and the like: CUDA device code cannot)
has no GPU kernel; :data:`NO_DEVICE_KERNEL` names them with the reason, and a test compiles every
other function for a GPU (PTX, compute capability 8.0) to hold this list exact.
"""
from __future__ import annotations

import functools
import warnings

from numba import prange
from numba.extending import register_jitable

from .run import descend_one

__all__ = ["NO_DEVICE_KERNEL", "why_no_device_kernel", "point", "start", "cpu_points", "cpu_descend", "cpu_bfgs",
           "THREADS"]

_WORK = "its {} kernel allocates a work array, which CUDA device code cannot"
NO_DEVICE_KERNEL = {
    "osborne_1": _WORK.format("hess"),
    "biggs_exp6": _WORK.format("hess"),
    "osborne_2": _WORK.format("hess"),
    "watson": _WORK.format("hess"),
    "trigonometric": _WORK.format("grad and hess"),
    "discrete_boundary_value": _WORK.format("grad and hess"),
    "discrete_integral_equation": _WORK.format("f, grad and hess"),
    "broyden_tridiagonal": _WORK.format("grad"),
    "broyden_banded": _WORK.format("hess"),
    "chebyquad": _WORK.format("f, grad and hess"),
    "griewank": _WORK.format("grad and hess"),
}
"""Test functions without a GPU kernel, with the reason (their CPU path works as for all others)."""

THREADS = 128
"""Threads per block of the CUDA kernels (a thread per point or start)."""


def why_no_device_kernel(name: str) -> str | None:
    """Why the function ``name`` has no GPU kernel, or None when it has one."""
    return NO_DEVICE_KERNEL.get(name)


@register_jitable
def point(kernel, X, prm, out, i):
    """The kernel on row i of X into out[i]."""
    kernel(X[i], prm, out[i])


@register_jitable
def start(newton, fk, gk, hk, direction, update, prm, x, gtol, maxiter, c1, c2, wolfe, W, M, out, fval, info, i):
    """Run i: one optimizer run from x (overwritten by its last iterate) on its own work arrays
    W (vectors), M (matrices), out (f's one entry); f into fval[i], (status, nit, nfev, nhev) into
    info[i]."""
    status, f, nit, nfev, nhev = descend_one(newton, fk, gk, hk, direction, update, prm, x, gtol, maxiter, c1, c2,
                                             wolfe, W, M, out)
    fval[i] = f
    info[i, 0] = status
    info[i, 1] = nit
    info[i, 2] = nfev
    info[i, 3] = nhev


# -- CPU: prange drivers, for every function --------------------------------------------------------

def _points(kernel, X, prm, out):
    for i in prange(X.shape[0]):
        point(kernel, X, prm, out, i)


def _descend(newton, fk, gk, hk, direction, update, X, prm, gtol, maxiter, c1, c2, wolfe, W, M, out, fval, info):
    for i in prange(X.shape[0]):  # W (N, 8, n), M (N, 3, n, n), out (N, 1): a run's rows are contiguous
        start(newton, fk, gk, hk, direction, update, prm, X[i], gtol, maxiter, c1, c2, wolfe, W[i], M[i], out[i], fval,
              info, i)


def _compile_parallel(pyfunc, signatures):
    from numba import njit
    from numba.core.errors import NumbaExperimentalFeatureWarning

    with warnings.catch_warnings():  # Numba calls first-class function types experimental
        warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
        return njit(signatures, parallel=True, cache=True, error_model="numpy")(pyfunc)


@functools.cache
def _types():
    from numba import types

    from ..functions.registry import JIT_SIGNATURE

    vec, mat, ten = types.float64[::1], types.float64[:, ::1], types.float64[:, :, ::1]
    with warnings.catch_warnings():
        from numba.core.errors import NumbaExperimentalFeatureWarning

        warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
        fn = {k: types.FunctionType(JIT_SIGNATURE[k]) for k in ("f", "grad", "hess")}
        sigs = {"direction": types.float64(mat, vec, vec),
                "update": types.boolean(mat, vec, vec, vec, types.boolean, types.float64)}
        fn.update({k: types.FunctionType(v) for k, v in sigs.items()})
    return vec, mat, ten, fn, sigs


@functools.cache
def cpu_points():
    """The CPU driver of f/grad/hess over rows, compiled for its three output kinds."""
    from numba import types

    vec, mat, ten, fn, _ = _types()
    sigs = [types.void(fn["f"], mat, vec, mat), types.void(fn["grad"], mat, vec, mat),
            types.void(fn["hess"], mat, vec, ten)]
    return _compile_parallel(_points, sigs)


@functools.cache
def cpu_descend():
    """The CPU driver of one optimizer run per start."""
    from numba import types

    vec, mat, ten, fn, _ = _types()
    b1, f64, i64 = types.boolean, types.float64, types.int64
    sig = types.void(b1, fn["f"], fn["grad"], fn["hess"], fn["direction"], fn["update"], mat, vec, f64, i64, f64, f64, b1, ten,
                     types.float64[:, :, :, ::1], mat, vec, types.int64[:, ::1])
    return _compile_parallel(_descend, [sig])


@functools.cache
def cpu_bfgs(name: str):
    """:func:`refopt.optim.bfgs.inverse_direction` or ``inverse_update`` with one signature (a
    first-class argument of the CPU driver)."""
    from numba import njit

    from ..optim import bfgs

    return njit(_types()[4][name], cache=True, error_model="numpy")(getattr(bfgs, f"inverse_{name}").py_func)
