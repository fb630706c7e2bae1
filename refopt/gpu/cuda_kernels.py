"""The CUDA kernels of :mod:`refopt.gpu`: a thread per point (:func:`cuda_points`) or per start
(:func:`cuda_descend`), each closing over ``cuda.jit(device=True)`` wrappers of the shared
sources (see :mod:`refopt.gpu.kernels`). Imported only when a call runs on "cuda": it imports
numba.cuda at the top, which is also what lets the CUDA simulator swap in its own ``cuda`` module.
"""
from __future__ import annotations

import functools

from numba import cuda

from .kernels import point, start

__all__ = ["cuda_points", "cuda_descend", "cuda_nonfinite_rows", "W_ROWS", "STRIDED_DOT_WARNING"]

STRIDED_DOT_WARNING = ".*np.dot\\(\\) is faster on contiguous arrays"
"""The message (a ``warnings`` filter pattern) of the NumbaPerformanceWarning that compiling
:func:`cuda_descend`'s kernel raises: Numba's CPU typing of np.dot sees the work arrays' strided
rows, which the CUDA np.dot of :mod:`refopt.gpu.device_numpy` reads entry by entry anyway."""

W_ROWS = 9
"""Vectors per start in the GPU work array: descend_one's eight and the iterate x."""


@functools.cache
def _device_function(pyfunc):
    from .device_numpy import install

    install()
    return cuda.jit(device=True)(pyfunc)


@functools.cache
def cuda_points(spec_name: str, kind: str):
    """The CUDA kernel of ``kind`` for the function ``spec_name``: out[i] ← kernel(X[i])."""
    from ..functions.registry import specs

    kernel = _device_function(getattr(specs()[spec_name], kind))

    def points(X, prm, out):
        i = cuda.grid(1)
        if i < X.shape[0]:
            point(kernel, X, prm, out, i)

    return cuda.jit(points)


@functools.cache
def cuda_descend(spec_name: str):
    """The CUDA kernel of one optimizer run per start (a thread per start) for ``spec_name``."""
    from ..functions.registry import specs
    from ..optim.bfgs import inverse_direction, inverse_update

    spec = specs()[spec_name]
    fk, gk, hk = (_device_function(getattr(spec, kind)) for kind in ("f", "grad", "hess"))
    direction, update = _device_function(inverse_direction.py_func), _device_function(inverse_update.py_func)

    def descend(newton, X, prm, gtol, maxiter, c1, c2, wolfe, W, M, out, fval, info):
        # W (9, n, N), M (3, n, n, N), out (1, N): the start is the fastest axis, so the threads of
        # a warp, at the same step of their runs, touch neighbouring addresses (coalesced)
        i = cuda.grid(1)
        if i < X.shape[0]:
            w = W[:, :, i]
            x = w[8]  # the iterate, moved out of X's start-major rows for the same reason
            for j in range(x.shape[0]):
                x[j] = X[i, j]
            start(newton, fk, gk, hk, direction, update, prm, x, gtol, maxiter, c1, c2, wolfe, w, M[:, :, :, i],
                  out[:, i], fval, info, i)
            for j in range(x.shape[0]):
                X[i, j] = x[j]

    return cuda.jit(descend)


@functools.cache
def cuda_nonfinite_rows():
    """The CUDA kernel that counts the rows of X with a NaN or inf entry into bad[0]."""
    from ..optim.vector import all_finite

    from .device_numpy import install

    install()

    def nonfinite_rows(X, bad):
        i = cuda.grid(1)
        if i < X.shape[0] and not all_finite(X[i]):
            cuda.atomic.add(bad, 0, 1)

    return cuda.jit(nonfinite_rows)
