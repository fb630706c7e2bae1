"""What the shared per-point sources need from NumPy inside CUDA device code, given to the CUDA
target once (:func:`install`) before refopt compiles a kernel for a GPU.

The test functions' kernels, the line searches and the Cholesky factorization are written once, in
the subset of Python that Numba compiles for the CPU. Four pieces of that subset have no CUDA
implementation in numba-cuda (0.30) and get one here, each the same arithmetic entry by entry:

* the ufuncs ``np.exp``, ``np.sqrt``, ``np.absolute`` on float64 scalars (numba-cuda types them but
  has no lowering: "KeyError: <ufunc 'exp'>"): the libdevice functions of ``math.exp``,
  ``math.sqrt``, ``math.fabs``;
* ``np.dot`` of two 1-D arrays (numba-cuda's own overload fails to type: its typing and
  implementation argument names differ): Σ a_i b_i in index order;
* :func:`refopt.optim.vector.axpy` and :func:`~refopt.optim.vector.all_finite`, the line searches'
  two vector idioms, whose NumPy forms allocate temporaries a device function cannot.

Under the CUDA simulator nothing is compiled (the kernels run as Python and NumPy itself), so
:func:`install` does nothing there.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["install"]

_installed = False


def _ufuncs() -> None:
    from numba.cuda.mathimpl import get_unary_impl_for_fn_and_ty
    from numba.cuda.ufuncs import ufunc_db

    db = ufunc_db()
    for ufunc, fn in ((np.exp, math.exp), (np.sqrt, math.sqrt), (np.absolute, math.fabs)):
        if ufunc in db:
            continue

        def lower(context, builder, sig, args, fn=fn):
            return get_unary_impl_for_fn_and_ty(fn, sig.args[0])(context, builder, sig, args)

        db[ufunc] = {"d->d": lower}


def _overloads() -> None:
    from numba import types
    from numba.cuda.extending import overload

    from ..optim.vector import all_finite, axpy

    def vectors(*args):
        return all(isinstance(a, types.Array) and a.ndim == 1 for a in args)

    @overload(np.dot, target="cuda")
    def dot(a, b):
        if vectors(a, b):
            def impl(a, b):
                s = 0.0
                for i in range(a.shape[0]):
                    s += a[i] * b[i]
                return s
            return impl

    @overload(axpy, target="cuda")
    def axpy_cuda(x_t, x, alpha, p):
        if vectors(x_t, x, p):
            def impl(x_t, x, alpha, p):
                for i in range(x.shape[0]):
                    x_t[i] = x[i] + alpha * p[i]
            return impl

    @overload(all_finite, target="cuda")
    def all_finite_cuda(v):
        if vectors(v):
            def impl(v):
                for i in range(v.shape[0]):
                    if not math.isfinite(v[i]):
                        return False
                return True
            return impl


def install() -> None:
    """Give the CUDA target the pieces above (once; a no-op under the simulator)."""
    global _installed
    if _installed:
        return
    from numba import config

    if not config.ENABLE_CUDASIM:
        _ufuncs()
        _overloads()
    _installed = True
