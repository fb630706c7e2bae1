"""Many optimizer runs at once: one Newton or BFGS run per start, on the CPU or a GPU.

    res = multistart(fn, X0, method="newton" | "bfgs", device="auto", gtol=1e-5, maxiter=None)

Each row of X0 (N, n) starts one run of :func:`refopt.gpu.run.descend_one` — ``minimize``'s loop
rules, line searches and steps compiled for the device: on the CPU a ``prange`` over the starts,
on a GPU a thread per start. ``method="newton"`` is ``minimize``'s Newton with
``options={"modify": "lm"}`` (the Levenberg–Marquardt shift of N&W Algorithm 3.3: a Cholesky
factorization per step, which a GPU thread can do; the default saddle-free modification needs an
eigendecomposition per step, which it cannot); ``method="bfgs"`` is ``minimize``'s BFGS with its
defaults. The result holds, per start, what ``minimize`` returns for that start (tests hold them
equal).
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import OptimizeResult

from .. import arguments as a
from ..arguments import real_array
from ..optim.loop import STATUS
from .batch import as_function
from .device import gpu_array, resolve
from .kernels import THREADS, cpu_bfgs, cpu_descend, why_no_device_kernel

__all__ = ["multistart", "METHODS", "LINE_SEARCHES"]

METHODS = ("newton", "bfgs")
LINE_SEARCHES = ("wolfe", "armijo")


def multistart(fn, X0, method: str = "newton", device: str = "auto", gtol: float = 1e-5, maxiter: int | None = None,
               line_search: str = "wolfe", c1: float = 1e-4, c2: float = 0.9) -> OptimizeResult:
    """One ``method`` run from each row of X0 (N, n).

    Parameters
    ----------
    fn : a test function's name or a :class:`refopt.functions.TestFunction`.
    X0 : (N, n) starts, finite: a NumPy array or one on a GPU (copied to the host; the result is
        on the host).
    method : "newton" (with the "lm" modification) or "bfgs".
    device : "auto" | "cuda" | "cpu" (:mod:`refopt.gpu.device`).
    gtol : stop when ‖∇f‖_∞ <= gtol (``minimize``'s default norm).
    maxiter : iterations per run (None: 200 n, ``minimize``'s default).
    line_search, c1, c2 : "wolfe" (strong Wolfe, c1 < c2) or "armijo" (c1 only), as in ``minimize``.

    Returns
    -------
    OptimizeResult with, per start (axis 0): ``x`` (N, n) the last iterate, ``fun`` (N,), ``nit``,
    ``nfev``, ``nhev`` (N,) int64, ``status`` (N,) int64 with ``minimize``'s codes, ``success`` /
    ``converged`` (N,) bool (status 0); and ``messages`` {status: text}, ``method``, ``device`` (the
    one it ran on).
    """
    tf = as_function(fn)
    method = a.choice(method, "method", METHODS)
    line_search = a.choice(line_search, "line_search", LINE_SEARCHES)
    gtol = a.real(gtol, "gtol", low=0.0)
    maxiter = a.integer(maxiter, "maxiter", low=0, high=2**62, allow_none=True)
    maxiter = 200 * tf.n if maxiter is None else maxiter
    c1 = a.real(c1, "c1", low=0.0, high=1.0, low_open=True, high_open=True)
    c2 = a.real(c2, "c2", low=0.0, high=1.0, low_open=True, high_open=True)
    if line_search == "wolfe" and not c1 < c2:
        raise ValueError(f"the strong Wolfe conditions need c1 < c2; got c1 = {c1:g}, c2 = {c2:g}")
    d_X0 = gpu_array(X0)
    X = real_array(X0 if d_X0 is None else d_X0.copy_to_host(), f"{tf.name}: X0", shape=(None, tf.n), min_size=0).copy()
    where = resolve(device, tf.name, why_no_device_kernel(tf.name))
    N, n = X.shape
    fval, info = np.empty(N), np.empty((N, 4), dtype=np.int64)
    newton, wolfe = method == "newton", line_search == "wolfe"
    if N and where == "cpu":
        s = tf.spec
        W, M, out = np.empty((N, 8, n)), np.empty((N, 3, n, n)), np.empty((N, 1))  # work arrays: written before read
        cpu_descend()(newton, s.jit("f"), s.jit("grad"), s.jit("hess"), cpu_bfgs("direction"), cpu_bfgs("update"), X, tf.p, gtol, maxiter,
                      c1, c2, wolfe, W, M, out, fval, info)
    elif N:
        from numba import cuda

        from .cuda_kernels import STRIDED_DOT_WARNING, W_ROWS, cuda_descend

        d_X, d_fval = cuda.to_device(X), cuda.device_array(N)
        d_info = cuda.device_array((N, 4), dtype=np.int64)
        work = cuda.device_array((W_ROWS, n, N)), cuda.device_array((3, n, n, N)), cuda.device_array((1, N))
        # a GPU raises no floating-point flags (the simulator would); the first call compiles
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.filterwarnings("ignore", STRIDED_DOT_WARNING)
            cuda_descend(tf.name)[(N + THREADS - 1) // THREADS, THREADS](newton, d_X, cuda.to_device(tf.p), gtol, maxiter,
                                                                          c1, c2, wolfe, *work, d_fval, d_info)
        X, fval, info = d_X.copy_to_host(), d_fval.copy_to_host(), d_info.copy_to_host()
    status = info[:, 0].copy()
    return OptimizeResult(x=X, fun=fval, nit=info[:, 1].copy(), nfev=info[:, 2].copy(), nhev=info[:, 3].copy(),
                          status=status, success=status == 0, converged=status == 0, messages=dict(STATUS),
                          method=method, device=where)
