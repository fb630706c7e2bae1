"""The OGR family's compiled loop, for the hand-derived test functions (being folded into the one
loop of :mod:`refopt.optim.loop`, which BFGS, gradient descent and Newton already use).

The twin of :mod:`refopt.optim.descent`'s plain loop for the methods of :mod:`refopt.optim.ogr`:
the same steps in the same order, without Python objects, so that Numba compiles the loop, the
line search (the one source of :mod:`refopt.optim.linesearch`) and the test function's kernels
into one piece of machine code. tests/test_numba_path.py holds the two paths equal. The OGR
family's regression and step are the kernels of :mod:`refopt.optim.ogr_numba`, which its plain
Method classes call too. The kernels arrive as first-class functions (``types.FunctionType``)
with the signature of ``Spec.jit``, so the loop is compiled once and cached on disk.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from scipy.optimize import OptimizeResult

from ..functions.registry import JIT_SIGNATURE
from .descent import _box, max_iterations
from .linesearch import armijo_search as armijo
from .linesearch import evaluate
from .linesearch import wolfe_search as strong_wolfe
from .loop import (ALPHA_MAX, ARMIJO_MAXITER, ARMIJO_RHO, LINE_SEARCH_CODE, WOLFE_MAXITER, _compiled_stand_ins,
                   outcome_message, trace_columns)
from .loop import clamp as _clamp
from .loop import frobenius as _frobenius
from .loop import vector_norm as _norm
from .ogr_numba import estimate, ingest, search_direction

__all__ = ["run_compiled", "METHOD_CODE"]

METHOD_CODE = {"ogr": 4, "ogr-diag": 5, "ogr-subspace": 6}
OGR = 4  # OGR + ogr_numba's kind: the OGR family


def _descent_loop(fk, gk, hk, prm, method, x0, gtol, norm_ord, maxiter, c1, c2, step, line_search,
                  x, g, Hx,
                  gamma, fallback, max_step, oprm, vs, ms, V, dm, ss, m,
                  has_box, lo, hi, trace, tr, tr_x, nrec):
    """The loop of descent.descend with the OGR method ``method`` (METHOD_CODE); x, g are outputs;
    Hx is work space (the exact Hessian for the trace).
    The OGR family: γ (NaN: no momentum), the descent fallback, the cap, and the state of
    ogr_numba.new_state (oprm, vs, ms, V, dm, ss) with the momentum m, updated in place.
    The box (``has_box``: clamp into [lo, hi]) and, with ``trace``, the rows of descent's Trace:
    tr[row] = (f, ‖g‖, α, Hessian-estimate error, nfev), tr_x[row] = x, nrec[0] rows written.

    Returns (status, f, nit, nfev, nhev, nskip, ls_code, a, b, nonfinite, where): the descent
    status (descent.STATUS), and for status 2 the line search's outcome; ``where`` 0 = at the
    start, 1 = in the search direction, 2 = after the step (status 3's detail)."""
    n = x0.size
    nhev = 0
    out = np.empty(1)
    x_t = np.empty(n)
    g_t = np.empty(n)
    x[:] = x0
    if has_box:
        _clamp(x, lo, hi)
    f = evaluate(fk, gk, prm, x, g, out)
    nfev = 1
    f_prev = f + 0.5 * math.sqrt(np.dot(g, g))
    scaled = False  # whether OGR's direction carries its length (an estimate exists)
    nskip = 0
    k = 0
    nan = math.nan
    if not (math.isfinite(f) and np.all(np.isfinite(g))):
        return 3, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
    if trace:
        _record(method, hk, prm, x, f, g, norm_ord, nan, nfev, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec)
    while True:
        if _norm(g, norm_ord) <= gtol:
            return 0, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
        if k >= maxiter:
            return 1, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
        if ss[0] == 0.0:  # x₀ is the first sample
            ingest(method - OGR, x, g, oprm, vs, ms, V, dm, ss)
        p, scaled = search_direction(method - OGR, g, m, gamma, fallback, max_step, oprm, vs, ms, V, dm, ss)
        k += 1
        if not np.all(np.isfinite(p)):
            return 3, f, k, nfev, nhev, nskip, 0, nan, nan, False, 1
        if scaled or not f_prev > f:
            alpha_init = 1.0
        else:
            alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / np.dot(g, p))
        if line_search == 0:
            code, alpha, f_new, used, a, b, nonfinite = strong_wolfe(
                fk, gk, prm, x, p, f, g, alpha_init, c1, c2, ALPHA_MAX, WOLFE_MAXITER, x_t, g_t, out)
            ok = code == 0
        elif line_search == 1:
            code, alpha, f_new, used, a, b, nonfinite = armijo(
                fk, gk, prm, x, p, f, g, alpha_init, c1, ARMIJO_RHO, ARMIJO_MAXITER, x_t, g_t, out)
            ok = code == 1
        else:
            alpha = step
            x_t[:] = x + alpha * p
            if np.all(np.isfinite(x_t)):
                f_new, used = evaluate(fk, gk, prm, x_t, g_t, out), 1
            else:  # thrown to infinity: no evaluation, the run ends below (status 3)
                f_new, used = nan, 0
                g_t[:] = nan
            code, a, b, nonfinite, ok = 0, nan, nan, False, True
        nfev += used
        if not ok:
            return 2, f, k, nfev, nhev, nskip, code, a, b, nonfinite, 0
        if has_box and math.isfinite(f_new) and np.all(np.isfinite(g_t)) and _clamp(x_t, lo, hi):
            f_new = evaluate(fk, gk, prm, x_t, g_t, out)  # the clamp moved x: evaluate there
            nfev += 1
        if not (math.isfinite(f_new) and np.all(np.isfinite(g_t))):
            return 3, f, k, nfev, nhev, nskip, 0, f_new, nan, False, 2
        s = x_t - x
        y = g_t - g
        if not np.any(s):
            return 4, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
        g_old = g.copy()
        f_prev = f
        # the new iterate is the next sample, as x + s and g + y (ogr.py's update)
        ingest(method - OGR, x + s, g_old + y, oprm, vs, ms, V, dm, ss)
        x[:] = x_t
        g[:] = g_t
        f = f_new
        if trace:
            _record(method, hk, prm, x, f, g, norm_ord, alpha, nfev, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec)


@njit(cache=True)
def _record(method, hk, prm, x, f, g, norm_ord, alpha, nfev, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec):
    """One row of the trace (descent.descend's record): the Hessian-estimate error uses the method's
    estimate (BFGS: H⁻¹; OGR: ogr_numba.estimate) against the exact Hessian at x."""
    row = nrec[0]
    err = math.nan
    if ss[2] != 0.0:
        H_hat = estimate(method - OGR, vs, ms, V, dm)
        hk(x, prm, Hx)
        scale = _frobenius(Hx)
        err = _frobenius(H_hat - Hx)
        if scale > 0.0:
            err = err / scale
    tr[row, 0] = f
    tr[row, 1] = _norm(g, norm_ord)
    tr[row, 2] = alpha
    tr[row, 3] = err
    tr[row, 4] = nfev
    tr_x[row, :] = x
    nrec[0] = row + 1


_loop = None


def _compiled():
    """Compile (or load from Numba's cache) the loop once per process."""
    global _loop
    if _loop is None:
        vec, mat = types.float64[::1], types.float64[:, ::1]
        f64, i64, b1 = types.float64, types.int64, types.boolean
        kernel = types.FunctionType(JIT_SIGNATURE["f"])
        hessian = types.FunctionType(JIT_SIGNATURE["hess"])
        result = types.Tuple((i64, f64, i64, i64, i64, i64, i64, f64, f64, b1, i64))
        cube = types.float64[:, :, ::1]
        signature = result(kernel, kernel, hessian, vec, i64, vec, f64, f64, i64, f64, f64, f64, i64,
                           vec, vec, mat,
                           f64, b1, f64, vec, mat, cube, mat, cube, vec, vec,
                           b1, vec, vec, b1, mat, mat, types.int64[::1])
        _loop = njit(signature, cache=True, error_model="numpy")(_descent_loop)
    return _loop


def run_compiled(tf, x0: np.ndarray, method: str, opt: dict, line_search, ogr_method) -> OptimizeResult:
    """Run the compiled loop with ``method`` (a key of METHOD_CODE) on the TestFunction ``tf``;
    the result is what the plain loop returns for that method. The OGR family passes its fresh
    Method object (``ogr_method``): the loop works on its state, which then gives the extras."""
    loop = _compiled()
    n = x0.size
    code_method = METHOD_CODE[method]
    ogr_state, gamma, fallback = ogr_method.state, ogr_method.gamma, ogr_method.fallback
    max_step, mom = float(opt["max_step"]), ogr_method.m
    maxiter = max_iterations(opt, n)
    x, g, Hx = np.empty(n), np.empty(n), np.empty((n, n))
    box = _box(opt["bounds"], n)
    lo, hi = (np.array(b, dtype=np.float64) for b in box) if box is not None else (np.zeros(1), np.zeros(1))
    trace = bool(opt["trace"])
    rows = maxiter + 1 if trace else 1
    tr, tr_x, nrec = np.full((rows, 5), np.nan), np.empty((rows, n if trace else 1)), np.zeros(1, dtype=np.int64)
    status, f, k, nfev, nhev, nskip, code, a, b, nonfinite, where = loop(
        tf.spec.jit("f"), tf.spec.jit("grad"), tf.spec.jit("hess") if trace else _compiled_stand_ins()[1],
        tf.p, code_method,
        np.ascontiguousarray(x0, dtype=np.float64),
        float(opt["gtol"]), float(opt["norm"]), maxiter, float(opt["c1"]), float(opt["c2"]),
        float(opt["step"]), LINE_SEARCH_CODE[line_search], x, g, Hx,
        gamma, fallback, max_step, *ogr_state, mom, box is not None, lo, hi, trace, tr, tr_x, nrec)
    text = outcome_message(int(status), int(k), int(code), a, b, bool(nonfinite), int(where), line_search)
    if opt["disp"]:
        print(f"{text}\n  f = {f:.6e}, iterations {k}, nfev {nfev}, njev {nfev}, nhev {nhev}")
    extras = ogr_method.extras()
    res = OptimizeResult(x=x, fun=f, jac=g, nit=k, nfev=nfev, njev=nfev, nhev=nhev, status=status,
                         success=status == 0, message=text, **extras)
    if trace:
        res.trace = trace_columns(tr, tr_x, int(nrec[0]))
    return res
