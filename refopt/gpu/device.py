"""Where a batched call runs: ``device="auto" | "cuda" | "cpu"``.

* ``"cpu"``: Numba's ``prange`` over the points (or starts), on every core;
* ``"cuda"``: the GPU, through numba.cuda (the ``numba-cuda`` package, the ``cuda`` extra); under
  the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1`` set before Numba is imported) the same kernels run
  as Python on the CPU — slow, for checking the kernels' logic without a GPU;
* ``"auto"``: the GPU when ``numba.cuda.is_available()`` and the function has a GPU kernel, else
  the CPU, with a one-line notice (:class:`DeviceNotice`) saying why.

An array already on a GPU (a numba.cuda device array, or anything with ``__cuda_array_interface__``:
CuPy arrays, PyTorch CUDA tensors) is recognised by :func:`gpu_array`; a call on one runs on the GPU
under "auto" and leaves its result there.
"""
from __future__ import annotations

import warnings

import numpy as np

__all__ = ["DEVICES", "DeviceNotice", "resolve", "cuda_available", "simulated", "gpu_array"]

DEVICES = ("auto", "cuda", "cpu")


class DeviceNotice(UserWarning):
    """``device="auto"`` chose the CPU: the notice says why."""


def _cuda():
    try:
        from numba import cuda
    except ImportError:  # pragma: no cover - numba-cuda missing and numba without its own target
        return None
    return cuda


def simulated() -> bool:
    """Whether numba.cuda is the simulator (NUMBA_ENABLE_CUDASIM=1 before Numba was imported)."""
    from numba import config

    return bool(config.ENABLE_CUDASIM)


def cuda_available() -> bool:
    """Whether numba.cuda can run kernels here (a GPU and its driver, or the simulator)."""
    cuda = _cuda()
    if cuda is None:
        return False
    try:
        return bool(cuda.is_available())
    except Exception:  # a broken driver install reads as "no GPU"
        return False


def gpu_array(X):
    """X as a numba.cuda device array when it lives on a GPU, else None (NumPy arrays, lists).
    numba.cuda is imported only for an object that says it is on a GPU."""
    says_gpu = hasattr(X, "__cuda_array_interface__") or getattr(X, "__cuda_ndarray__", False)
    if isinstance(X, np.ndarray) or not says_gpu:
        return None
    from numba import cuda

    if cuda.devicearray.is_cuda_ndarray(X):  # numba's own (and the simulator's) device arrays
        return X
    return cuda.as_cuda_array(X)


def resolve(device, name: str, why_not: str | None) -> str:
    """The device a call on function ``name`` runs on: "cuda" or "cpu". ``why_not`` says why the
    function has no GPU kernel (None when it has one)."""
    if not isinstance(device, str) or device not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(map(repr, DEVICES))}; got {device!r}")
    if device == "cpu":
        return "cpu"
    if device == "cuda":
        if why_not is not None:
            raise ValueError(f"{name} has no GPU kernel ({why_not}); use device='cpu' (or 'auto'). "
                             f"Functions with a GPU kernel: refopt.gpu.names()")
        if not cuda_available():
            raise ValueError("device='cuda' needs numba.cuda with a GPU (numba.cuda.is_available() is False "
                             "here; numba.cuda comes from the numba-cuda package: pip install 'refopt[cuda]') "
                             "or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1 set before importing numba); "
                             "use device='cpu' or 'auto'")
        return "cuda"
    if why_not is None and cuda_available():
        return "cuda"
    reason = f"{name} has no GPU kernel ({why_not})" if why_not is not None else "no CUDA GPU is available"
    warnings.warn(f"refopt.gpu: device='auto' runs on the CPU: {reason}", DeviceNotice, stacklevel=3)
    return "cpu"
