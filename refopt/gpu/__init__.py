"""Batched derivatives and massively multi-start Newton/BFGS, on the CPU or a GPU (numba.cuda).

    f_batch(fn, X, device="auto")   grad_batch(fn, X, device)   hess_batch(fn, X, device)
    multistart(fn, X0, method="newton" | "bfgs", device="auto", gtol=1e-5, maxiter=None)

``device`` is "cpu" (Numba ``prange``), "cuda" (numba.cuda, from the ``cuda`` extra: ``pip install
'refopt[cuda]'``) or "auto" (the GPU when there is one). Every formula is the CPU's own source: the
test functions' hand-derived kernels, ``minimize``'s line searches, the Newton step's Cholesky
factorization and the BFGS update, compiled once for each device (:mod:`refopt.gpu.kernels`).
:func:`names` lists the functions with a GPU kernel.
"""
from __future__ import annotations

from .batch import f_batch, grad_batch, hess_batch
from .device import DEVICES, DeviceNotice, cuda_available
from .kernels import NO_DEVICE_KERNEL
from .multistart import multistart

__all__ = ["f_batch", "grad_batch", "hess_batch", "multistart", "names", "DEVICES", "DeviceNotice",
           "cuda_available", "NO_DEVICE_KERNEL"]


def names() -> list[str]:
    """The test functions with a GPU kernel (all others run on the CPU only)."""
    from ..functions import names as all_names

    return [name for name in all_names() if name not in NO_DEVICE_KERNEL]
