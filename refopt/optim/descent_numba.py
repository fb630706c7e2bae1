"""The shared descent loop with the whole iteration compiled, for the hand-derived test functions:
BFGS, gradient descent, Newton and the OGR family.

The twin of :mod:`refopt.optim.descent` with the methods of :mod:`refopt.optim.bfgs`,
:mod:`refopt.optim.gd`, :mod:`refopt.optim.newton` and :mod:`refopt.optim.ogr` (read those files for the mathematics:
N&W Algorithm 6.1, eqs. 6.17, 6.18, 6.20, Procedure 18.2, Algorithm 3.3, the initial trial step
of eq. 3.60, the saddle-free modification): the same steps in the same order, restated without
Python objects so that Numba compiles the loop, the line search
(the one source of :mod:`refopt.optim.linesearch`) and the test function's kernels into one piece of machine
code. ``minimize`` takes this path when ``fun`` is a TestFunction (or its name) and no callback is
asked for (a trace is kept and a box clamps the iterates here too, unless the
preallocated trace would pass 256 MiB); ``options={"numba": False}`` forces the plain path.
tests/test_numba_path.py holds the two paths equal. The OGR family's regression and step are the
kernels of :mod:`refopt.optim.ogr_numba`, which its plain Method classes call too.

One compiled loop serves every test function: the kernels arrive as first-class functions
(``types.FunctionType``) with the signature of ``Spec.jit``, so the loop is compiled once and
cached on disk, not once per function.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from scipy.optimize import OptimizeResult

from ..functions.registry import JIT_SIGNATURE
from .descent import STATUS, _box, max_iterations
from .linesearch import armijo_search as armijo
from .linesearch import evaluate, message
from .linesearch import wolfe_search as strong_wolfe
from .ogr_numba import DIAG, estimate, ingest, new_state, search_direction

__all__ = ["run_compiled", "LINE_SEARCH_CODE", "METHOD_CODE"]

LINE_SEARCH_CODE = {"wolfe": 0, "armijo": 1, None: 2}
METHOD_CODE = {"bfgs": 0, "gd": 1, "newton saddle-free": 2, "newton lm": 3, "ogr": 4, "ogr-diag": 5,
               "ogr-subspace": 6}
BFGS, GD, NEWTON_SF, NEWTON_LM, OGR = 0, 1, 2, 3, 4  # OGR + ogr_numba's kind: the OGR family


def _no_hessian(x, prm, H):
    """Stands in for the Hessian kernel where the method never calls it (BFGS, GD), so that only
    Newton compiles a test function's Hessian kernel."""
    H[:, :] = np.nan


_no_hessian = njit(JIT_SIGNATURE["hess"], cache=True)(_no_hessian)


@njit(cache=True)
def _shifted_cholesky_solve(Hx, g):
    """newton.shifted_cholesky_solve (N&W Algorithm 3.3), compiled: (p, τ)."""
    n = g.size
    d = np.diag(Hx).copy()
    beta = 1e-3 * max(1.0, np.max(np.abs(d)))
    tau = 0.0 if np.min(d) > 0 else beta - np.min(d)
    eye = np.eye(n)
    L = np.empty((n, n))
    ok = False
    for _ in range(200):
        try:
            L = np.linalg.cholesky(Hx + tau * eye)
            ok = True
            break
        except Exception:  # not positive definite
            tau = max(2.0 * tau, beta)
    if not ok:
        return np.full(n, np.nan), tau
    z = np.linalg.solve(L, -g)
    return np.linalg.solve(L.T, z), tau


@njit(cache=True)
def _norm(g, ord):
    """np.linalg.norm(g, ord) for a vector, in the same arithmetic (2-norm = √(gᵀg))."""
    if ord == np.inf:
        return np.max(np.abs(g))
    if ord == -np.inf:
        return np.min(np.abs(g))
    if ord == 2.0:
        return math.sqrt(np.dot(g, g))
    if ord == 1.0:
        return np.sum(np.abs(g))
    if ord == 0.0:
        return float(np.sum(g != 0.0))
    return np.sum(np.abs(g) ** ord) ** (1.0 / ord)


def _descent_loop(fk, gk, hk, prm, method, x0, gtol, norm_ord, maxiter, c1, c2, step, line_search,
                  scale_h0, damped, curvature_eps, eps, x, g, H, Hx,
                  gamma, fallback, max_step, oprm, vs, ms, V, dm, ss, m,
                  has_box, lo, hi, trace, tr, tr_x, nrec):
    """The loop of descent.descend with the method ``method`` (METHOD_CODE); x, g, H are outputs
    (H: BFGS's inverse-Hessian approximation, or Newton's modified Hessian B); Hx is work space.
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
    H[:, :] = np.eye(n)
    scaled = False  # OGR: whether its direction carries its length (an estimate exists)
    has_scale = not scale_h0  # identity H0: eq. 3.60 throughout; scaled: α = 1 once H has a scale
    nskip = 0
    k = 0
    nan = math.nan
    if not (math.isfinite(f) and np.all(np.isfinite(g))):
        return 3, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
    if trace:
        _record(method, hk, prm, x, f, g, norm_ord, nan, nfev, H, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec)
    while True:
        if _norm(g, norm_ord) <= gtol:
            return 0, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
        if k >= maxiter:
            return 1, f, k, nfev, nhev, nskip, 0, nan, nan, False, 0
        if method == BFGS:
            p = -H @ g  # (6.18)
            if not np.dot(g, p) < 0.0:
                H[:, :] = np.eye(n)
                p = -g
        elif method == GD:
            p = -g
        elif method >= OGR:
            if ss[0] == 0.0:  # x₀ is the first sample
                ingest(method - OGR, x, g, oprm, vs, ms, V, dm, ss)
            p, scaled = search_direction(method - OGR, g, m, gamma, fallback, max_step, oprm, vs, ms, V, dm, ss)
        else:  # Newton with a modified exact Hessian
            hk(x, prm, Hx)
            nhev += 1
            if not np.all(np.isfinite(Hx)):
                p = np.full(n, nan)
            elif method == NEWTON_SF:  # B = Q diag(max(|λ|, δ)) Qᵀ
                lam, Q = np.linalg.eigh(Hx)
                floor = eps * max(1.0, np.max(np.abs(lam)))
                H[:, :] = (Q * np.maximum(np.abs(lam), floor)) @ Q.T
                p = -np.linalg.solve(H, g)
            else:
                p, tau = _shifted_cholesky_solve(Hx, g)
                H[:, :] = Hx + tau * np.eye(n)
        k += 1
        if not np.all(np.isfinite(p)):
            return 3, f, k, nfev, nhev, nskip, 0, nan, nan, False, 1
        if ((method == NEWTON_SF or method == NEWTON_LM) or (method == BFGS and scale_h0 and has_scale)
                or (method >= OGR and scaled) or not f_prev > f):
            alpha_init = 1.0
        else:
            alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / np.dot(g, p))
        if line_search == 0:
            code, alpha, f_new, used, a, b, nonfinite = strong_wolfe(
                fk, gk, prm, x, p, f, g, alpha_init, c1, c2, 1e10, 40, x_t, g_t, out)
            ok = code == 0
        elif line_search == 1:
            code, alpha, f_new, used, a, b, nonfinite = armijo(
                fk, gk, prm, x, p, f, g, alpha_init, c1, 0.5, 60, x_t, g_t, out)
            ok = code == 1
        else:
            alpha = step
            for i in range(n):
                x_t[i] = x[i] + alpha * p[i]
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
        if method >= OGR:  # the new iterate is the next sample, as x + s and g + y (ogr.py's update)
            ingest(method - OGR, x + s, g_old + y, oprm, vs, ms, V, dm, ss)
        x[:] = x_t
        g[:] = g_t
        f = f_new
        if method == BFGS:
            if damped:  # Powell's damping, B s = −α g_old (Procedure 18.2)
                Bs = -alpha * g_old
                sBs, sy0 = np.dot(s, Bs), np.dot(s, y)
                theta = 1.0 if sy0 >= 0.2 * sBs else 0.8 * sBs / (sBs - sy0)
                y = theta * y + (1.0 - theta) * Bs
            sy = np.dot(y, s)
            if sy > curvature_eps * math.sqrt(np.dot(s, s)) * math.sqrt(np.dot(y, y)):
                if not has_scale:
                    H[:, :] = (sy / np.dot(y, y)) * np.eye(n)  # eq. (6.20)
                    has_scale = True
                rho = 1.0 / np.dot(y, s)  # eq. (6.17)
                Hy = H @ y
                H[:, :] = H - rho * (np.outer(Hy, s) + np.outer(s, Hy)) + (rho * rho * np.dot(y, Hy) + rho) * np.outer(s, s)
            else:
                nskip += 1
        if trace:
            _record(method, hk, prm, x, f, g, norm_ord, alpha, nfev, H, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec)


@njit(cache=True)
def _clamp(x, lo, hi):
    """x ← min(max(x, lo), hi) in place (np.clip); whether it moved x."""
    moved = False
    for i in range(x.size):
        c = min(max(x[i], lo[i]), hi[i])
        if c != x[i]:
            x[i] = c
            moved = True
    return moved


@njit(cache=True)
def _frobenius(A):
    """‖A‖_F as numpy computes it for a 2-D array: √(Σ a²) by a dot product of the flattened A."""
    a = A.ravel()
    return math.sqrt(np.dot(a, a))


@njit(cache=True)
def _record(method, hk, prm, x, f, g, norm_ord, alpha, nfev, H, Hx, oprm, vs, ms, V, dm, ss, tr, tr_x, nrec):
    """One row of the trace (descent.descend's record): the Hessian-estimate error uses the method's
    estimate (BFGS: H⁻¹; OGR: ogr_numba.estimate) against the exact Hessian at x."""
    row = nrec[0]
    err = math.nan
    if method == BFGS or (method >= OGR and ss[2] != 0.0):
        H_hat = np.linalg.inv(H) if method == BFGS else estimate(method - OGR, vs, ms, V, dm)
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
                           b1, b1, f64, f64, vec, vec, mat, mat,
                           f64, b1, f64, vec, mat, cube, mat, cube, vec, vec,
                           b1, vec, vec, b1, mat, mat, types.int64[::1])
        _loop = njit(signature, cache=True, error_model="numpy")(_descent_loop)
    return _loop


_WHERE = ("at the starting point", "in the search direction at iteration {k}", "at iteration {k} (f = {a})")


def run_compiled(tf, x0: np.ndarray, method: str, opt: dict, line_search,
                 curvature_eps: float = 0.0, ogr_method=None) -> OptimizeResult:
    """Run the compiled loop with ``method`` (a key of METHOD_CODE) on the TestFunction ``tf``;
    the result is what the plain loop returns for that method. The OGR family passes its fresh
    Method object (``ogr_method``): the loop works on its state, which then gives the extras."""
    loop = _compiled()
    n = x0.size
    code_method = METHOD_CODE[method]
    if ogr_method is None:
        # a stand-in state the loop never reads (the smallest one: ogr-diag's of size 1)
        ogr_state, gamma, fallback, max_step, mom = new_state(DIAG, 1, 1, 0.5, 0.0, 0.0), math.nan, False, math.inf, np.zeros(1)
    else:
        ogr_state, gamma, fallback = ogr_method.state, ogr_method.gamma, ogr_method.fallback
        max_step, mom = float(opt["max_step"]), ogr_method.m
    maxiter = max_iterations(opt, n)
    x, g, H, Hx = np.empty(n), np.empty(n), np.empty((n, n)), np.empty((n, n))
    box = _box(opt["bounds"], n)
    lo, hi = (np.array(b, dtype=np.float64) for b in box) if box is not None else (np.zeros(1), np.zeros(1))
    trace = bool(opt["trace"])
    rows = maxiter + 1 if trace else 1
    tr, tr_x, nrec = np.full((rows, 5), np.nan), np.empty((rows, n if trace else 1)), np.zeros(1, dtype=np.int64)
    newton = code_method in (NEWTON_SF, NEWTON_LM)
    status, f, k, nfev, nhev, nskip, code, a, b, nonfinite, where = loop(
        tf.spec.jit("f"), tf.spec.jit("grad"), tf.spec.jit("hess") if newton or trace else _no_hessian,
        tf.p, code_method,
        np.ascontiguousarray(x0, dtype=np.float64),
        float(opt["gtol"]), float(opt["norm"]), maxiter, float(opt["c1"]), float(opt["c2"]),
        float(opt["step"]), LINE_SEARCH_CODE[line_search], opt.get("h0") == "scaled",
        opt.get("update") == "damped", curvature_eps, float(opt.get("eps", 0.0)), x, g, H, Hx,
        gamma, fallback, max_step, *ogr_state, mom, box is not None, lo, hi, trace, tr, tr_x, nrec)
    if status == 2:
        detail = f"at iteration {k}: " + message(int(code), a, b, 40 if line_search == "wolfe" else 60, nonfinite)
    elif status == 3:
        detail = _WHERE[where].format(k=k, a=a)
    elif status == 4:
        detail = f"at iteration {k}"
    else:
        detail = ""
    text = STATUS[status] + (f" ({detail})" if detail else "")
    if opt["disp"]:
        print(f"{text}\n  f = {f:.6e}, iterations {k}, nfev {nfev}, njev {nfev}, nhev {nhev}")
    if code_method == BFGS:
        extras = {"hess_inv": H, "nskip": nskip}
    elif code_method == GD:
        extras = {}
    elif code_method >= OGR:
        extras = ogr_method.extras()
    else:
        extras = {"hess": H if nhev > 0 else None}
    res = OptimizeResult(x=x, fun=f, jac=g, nit=k, nfev=nfev, njev=nfev, nhev=nhev, status=status,
                         success=status == 0, message=text, **extras)
    if trace:
        m = int(nrec[0])
        res.trace = {"x": tr_x[:m].copy(), "f": tr[:m, 0].copy(), "gnorm": tr[:m, 1].copy(),
                     "step": tr[:m, 2].copy(), "hess_error": tr[:m, 3].copy(),
                     "nfev": tr[:m, 4].astype(np.int64)}
    return res
