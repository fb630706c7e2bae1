"""The descent loop every line-search method shares, written once and run two ways.

    x_{k+1} = x_k + α_k p_k,   p_k from the method,   α_k from a line search or fixed

**One source, two runs.** :func:`descend` is the loop; a method is its file's named state and
four functions ``init``, ``direction``, ``update``, ``estimate`` (they may update the state's arrays
in place; the loop keeps no older state). The loop and every helper
it calls are written in the subset of Python that Numba compiles (``register_jitable``), so the
very same code runs

* compiled, for test functions: their hand-derived kernels ``fk, gk, hk`` arrive as first-class
  functions with one signature, and so do the method's steps and the method-independent step
  (:func:`advance`, with the line searches) and trace row (:func:`record`), so the loop compiles
  once per method as a thin driver, each piece once, all cached on disk (``init`` runs once, in
  Python); and
* as plain Python, for any callable (the kernels are thin wrappers over
  :class:`~refopt.optim.objective.Objective`), with a callback if one is given.

Both runs take the same checked options (:mod:`refopt.optim.options`) and give the same iterates,
counts, statuses and messages: there is no second copy to keep equal.

**The method contract.** A method file defines

    State                      a NamedTuple (the method's memory, in the paper's symbols)
    Params                     a NamedTuple of its options, typed (``params(options, n, line_search)``
                               builds it)
    init(params, x, f, g)                  -> state
    direction(state, params, ev, x, f, g)  -> (state, p, scaled)
    update(state, params, s, y, alpha, x_old, g_old) -> state
                                              (the step s = x⁺ − x_old, y = ∇f⁺ − g_old, its α)
    estimate(state, params, x)             -> (has_estimate, Ĥ)    (for the trace)
    extras(state)                          -> dict of result fields (plain Python)

``scaled`` says whether p carries its own length (Newton, a scaled quasi-Newton step): then the
line search starts from α = 1; otherwise from eq. 3.60 below. ``ev`` is the evaluation tuple
(:func:`fg`, :func:`hess`, :func:`curvature_summary` and :func:`third_derivatives` read it), for
methods that evaluate more than f and g (Newton, partition Newton). A method may also define
``failure(state) -> str``: when its direction is not finite and this names a reason (a singular
matrix, say), the run ends with status 5 and that reason instead of status 3.

**Shared rules** (N&W = Nocedal & Wright, *Numerical Optimization*, 2nd ed., 2006):

* stop when ‖∇f‖ ≤ gtol in the norm ``norm`` (status 0), or after ``maxiter`` iterations (1);
* line search "wolfe" (N&W Alg. 3.5/3.6), "armijo" (Alg. 3.1), or None: the fixed step
  ``options["step"]``; a failed search ends the run (2, with the search's message);
* initial trial step (N&W §3.5): α = 1 whenever the direction is scaled; else
  α_init = min(1, 1.01 · 2 (f_k − f_{k−1}) / ∇f_kᵀp_k) (eq. 3.60, capped at 1), with
  f_{−1} = f_0 + ‖∇f_0‖₂ / 2, which makes the first trial step 1.01/‖∇f_0‖₂ long along −∇f_0 (scipy's
  convention too), so a huge first gradient does not throw the iterate far away;
* NaN or inf in f, ∇f or p ends the run (3, the iteration named); a step that does not move x (4);
  a step the method could not form, with its reason (5);
* a step cap (the OGR family's ``cap="step"``): the step is shortened to ‖x⁺ − x‖₂ = ``max_step``
  when longer — the fixed step before its one evaluation; the accepted step of a line search after
  it, f and ∇f then evaluated again there (counted in nfev);
* box clamping (option ``bounds``): each accepted iterate is clamped into [lo, hi] and f, ∇f are
  evaluated again there when the clamp moved it (counted in nfev); s and y are taken between the
  clamped iterates. This is the protocol of the OGR-vs-BFGS study (Przybysz, Kołek, Sobota & Duda
  2025), not a bound-constrained method: the stopping test reads the full gradient.
* the trace (``options["trace"]``): row k holds x_k, f_k, ‖g_k‖, the step α that reached it (NaN
  for k = 0), the relative error ‖Ĥ_k − ∇²f(x_k)‖_F / ‖∇²f(x_k)‖_F of the method's Hessian estimate
  (NaN without an estimate or an exact Hessian; the exact Hessian is not counted in nhev) and
  nfev so far. Its arrays grow by doubling, so no length is fixed in advance.
"""
from __future__ import annotations

import functools
import math
import warnings
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.core.errors import NumbaExperimentalFeatureWarning
from numba.extending import register_jitable
from scipy.optimize import OptimizeResult

from .linesearch import armijo_search, evaluate, message, wolfe_search

__all__ = ["descend", "Loop", "Settings", "STATUS", "LINE_SEARCH_CODE", "vector_norm", "clamp", "fg", "hess",
           "curvature_summary", "third_derivatives", "plain_evaluations",
           "max_iterations"]

STATUS = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of iterations has been exceeded.",
    2: "Line search failed.",
    3: "NaN or inf encountered.",
    4: "No progress: the step did not change x.",
    5: "The step could not be formed.",
}
LINE_SEARCH_CODE = {"wolfe": 0, "armijo": 1, None: 2}
WOLFE_MAXITER, ARMIJO_MAXITER, ARMIJO_RHO, ALPHA_MAX = 40, 60, 0.5, 1e10
TRACE_COLUMNS = 5  # f, ‖g‖, α, Hessian-estimate error, nfev


class Settings(NamedTuple):
    """The common options as the loop reads them (checked by refopt.optim.options)."""

    gtol: float
    norm: float
    maxiter: int
    c1: float
    c2: float
    step: float
    line_search: int
    trace: bool
    has_box: bool
    has_hess: bool
    step_cap: float   # the cap on ‖x⁺ − x‖₂ after the step rule (the OGR family's cap="step"); inf: none


def fixed_step(opt: dict) -> float:
    """The step without a line search: options["step"], named "lr" (learning rate) by the OGR family."""
    return float(opt["lr"] if "lr" in opt else opt["step"])


def max_iterations(opt: dict, n: int) -> int:
    """options["maxiter"], or scipy's default 200 n when it is None."""
    return 200 * n if opt["maxiter"] is None else int(opt["maxiter"])


# ------------------------------------------------------------------------------------------------
# helpers of the loop (one source for both runs)
# ------------------------------------------------------------------------------------------------
@register_jitable
def vector_norm(g, order):
    """np.linalg.norm(g, order) for a vector, in one arithmetic for both runs (2-norm = √(gᵀg))."""
    if order == np.inf:
        return np.max(np.abs(g))
    if order == -np.inf:
        return np.min(np.abs(g))
    if order == 2.0:
        return math.sqrt(np.dot(g, g))
    acc = 0.0  # a scalar loop: np.sum adds pairwise in NumPy and in order in Numba
    if order == 1.0:
        for v in g:
            acc += abs(v)
        return acc
    for v in g:
        acc += abs(v) ** order
    return acc ** (1.0 / order)


@register_jitable
def clamp(x, lo, hi):
    """x ← min(max(x, lo), hi) in place; whether it moved x."""
    c = np.minimum(np.maximum(x, lo), hi)
    moved = not np.array_equal(c, x)
    x[:] = c
    return moved


@register_jitable
def frobenius(A):
    """‖A‖_F = √(Σ a²)."""
    a = A.ravel()
    return math.sqrt(np.dot(a, a))


@register_jitable
def fg(ev, x, g):
    """f(x), and ∇f(x) into g: one evaluation (counted)."""
    ev[7][0] += 1
    return evaluate(ev[0], ev[1], ev[5], x, g, ev[6])


@register_jitable
def hess(ev, x, H):
    """∇²f(x) into H (counted in nhev)."""
    ev[7][1] += 1
    ev[2](x, ev[5], H)


@register_jitable
def curvature_summary(ev, x, V, Hbar, H):
    """Hbar = V ∇²f(x) Vᵀ for the rows of V (directions): from the objective's Hessian–vector
    products where it offers them (ev[10]; each row's product counted in nhev, as scipy counts
    ``hessp`` calls), else by forming ∇²f(x) into H once (one nhev)."""
    if ev[10]:
        ev[7][1] += V.shape[0]
        ev[8](x, ev[5], V, Hbar)
    else:
        hess(ev, x, H)
        Hbar[:, :] = dense_forms(V, H)


@njit(cache=True, error_model="numpy")
def dense_forms(V, H):
    """V H Vᵀ, compiled and called so by both runs (NumPy's and Numba's BLAS may part in the last bits)."""
    return V @ H @ V.T


@register_jitable
def third_derivatives(ev, x, V, out):
    """out[j] = ∇³f(x)[v_j, v_j, v_j] for the rows v_j of V, the objective's third directional
    derivatives (counted in the third entry of the counts)."""
    ev[7][2] += V.shape[0]
    ev[9](x, ev[5], V, out)


@register_jitable
def _finite(f, g):
    return math.isfinite(f) and np.all(np.isfinite(g))


@register_jitable
def _grow(tr, tr_x):
    """The trace arrays with twice the rows (the old rows copied)."""
    rows = tr.shape[0]
    new, new_x = np.full((2 * rows, tr.shape[1]), np.nan), np.empty((2 * rows, tr_x.shape[1]))
    new[:rows] = tr
    new_x[:rows] = tr_x
    return new, new_x


@register_jitable
def record(has_estimate, H_hat, st, ev, x, f, g, alpha, tr, tr_x, rows, Hx):
    """Row ``rows`` of the trace (module docstring); the arrays grow when full."""
    if rows == tr.shape[0]:
        tr, tr_x = _grow(tr, tr_x)
    err = math.nan
    if has_estimate and st.has_hess:
        ev[3](x, ev[5], Hx)  # the exact Hessian, for the diagnostic only (not counted)
        scale = frobenius(Hx)
        err = frobenius(H_hat - Hx)
        if scale > 0.0:
            err = err / scale
    tr[rows, 0] = f
    tr[rows, 1] = vector_norm(g, st.norm)
    tr[rows, 2] = alpha
    tr[rows, 3] = err
    tr[rows, 4] = ev[7][0]
    tr_x[rows, :] = x
    return tr, tr_x, rows + 1


# ------------------------------------------------------------------------------------------------
# the loop
# ------------------------------------------------------------------------------------------------
@register_jitable
def cap_step(x, x_t, s, step_cap):
    """x_t ← x + (x_t − x)·step_cap/‖x_t − x‖₂ when that is longer than step_cap (s: workspace);
    True when it moved x_t. A non-finite x_t is left alone (the checks after the step end the run)."""
    if not step_cap < math.inf:
        return False
    s[:] = x_t - x
    length = math.sqrt(np.dot(s, s))
    if not length > step_cap or not math.isfinite(length):
        return False
    x_t[:] = x + s * (step_cap / length)
    return True


@register_jitable
def advance(ev, st, x, f, g, p, scaled, f_prev, lo, hi, x_t, g_t, s, y):
    """One step from x along p, the part of an iteration no method changes: the first trial step,
    the line search or the fixed step, the box clamp and the checks (module docstring).

    Returns (status, α, f⁺, code, a, b, nonfinite, where). status −1: the step is taken, x_t and
    g_t hold x⁺ and ∇f⁺, s = x⁺ − x and y = ∇f⁺ − ∇f. Otherwise the run ends with that status: 2
    (the search failed: its code, a, b, nonfinite), 3 (f⁺ or ∇f⁺ not finite; a = f⁺, where = 2) or
    4 (x did not move)."""
    nan = math.nan
    if scaled or not f_prev > f:
        alpha_init = 1.0
    else:
        alpha_init = min(1.0, 1.01 * 2.0 * (f - f_prev) / np.dot(g, p))  # eq. 3.60
    if st.line_search == 0:
        code, alpha, f_new, used, a, b, nonfinite = wolfe_search(
            ev[0], ev[1], ev[5], x, p, f, g, alpha_init, st.c1, st.c2, ALPHA_MAX, WOLFE_MAXITER, x_t, g_t, ev[6])
        ok = code == 0
    elif st.line_search == 1:
        code, alpha, f_new, used, a, b, nonfinite = armijo_search(
            ev[0], ev[1], ev[5], x, p, f, g, alpha_init, st.c1, ARMIJO_RHO, ARMIJO_MAXITER, x_t, g_t, ev[6])
        ok = code == 1
    else:  # the fixed step, capped before its one evaluation
        alpha = st.step
        x_t[:] = x + alpha * p
        cap_step(x, x_t, s, st.step_cap)
        code, a, b, nonfinite, ok, used = 0, nan, nan, False, True, 0
        if np.all(np.isfinite(x_t)):
            f_new = fg(ev, x_t, g_t)
        else:  # thrown to infinity: no evaluation, the run ends below (status 3)
            f_new = nan
            g_t[:] = nan
    ev[7][0] += used
    if not ok:
        return 2, alpha, f_new, code, a, b, nonfinite, 0
    if st.line_search <= 1 and _finite(f_new, g_t):  # the searched step capped: evaluate there
        if cap_step(x, x_t, s, st.step_cap):
            f_new = fg(ev, x_t, g_t)
    if st.has_box and _finite(f_new, g_t):
        if clamp(x_t, lo, hi):  # the clamp moved x: evaluate there
            f_new = fg(ev, x_t, g_t)
    if not _finite(f_new, g_t):
        return 3, alpha, f_new, 0, f_new, nan, False, 2
    s[:] = x_t - x
    y[:] = g_t - g
    if not np.any(s):
        return 4, alpha, f_new, 0, nan, nan, False, 0
    return -1, alpha, f_new, 0, nan, nan, False, 0


def descend(ev, calls, params, st, state, x, f, g, lo, hi, tr, tr_x):
    """The loop, from the evaluated start x (clamped), f = f(x), g = ∇f(x) and the method's first
    state. ``calls`` = (advance, record, direction, update, estimate): the method-independent step
    and trace row, and the method's three steps — their plain source (plain run), or the same
    source compiled (compiled run) and passed as first-class functions, called through their
    address: no method's loop compiles another's code, and the shared two are compiled once.

    Returns (outcome, x, g, state, tr, tr_x): outcome = (status, f, nit, rows of the trace, the
    line search's code, a, b, nonfinite, where): ``where`` 0 = at the start, 1 = in the search
    direction, 2 = after the step (status 3's detail)."""
    advance, record, direction, update, estimate = calls
    n = x.size
    nan = math.nan
    x_t, g_t, s, y = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    Hx = np.empty((n, n)) if st.has_hess and st.trace else np.empty((1, 1))
    f_prev = f + 0.5 * math.sqrt(np.dot(g, g))
    k, rows = 0, 0
    if not _finite(f, g):
        return (3, f, k, rows, 0, nan, nan, False, 0), x, g, state, tr, tr_x
    if st.trace:
        has, H_hat = estimate(state, params, x)
        tr, tr_x, rows = record(has, H_hat, st, ev, x, f, g, nan, tr, tr_x, rows, Hx)
    while True:
        if vector_norm(g, st.norm) <= st.gtol:
            return (0, f, k, rows, 0, nan, nan, False, 0), x, g, state, tr, tr_x
        if k >= st.maxiter:
            return (1, f, k, rows, 0, nan, nan, False, 0), x, g, state, tr, tr_x
        state, p, scaled = direction(state, params, ev, x, f, g)
        k += 1
        if not np.all(np.isfinite(p)):
            return (3, f, k, rows, 0, nan, nan, False, 1), x, g, state, tr, tr_x
        status, alpha, f_new, code, a, b, nonfinite, where = advance(
            ev, st, x, f, g, p, scaled, f_prev, lo, hi, x_t, g_t, s, y)
        if status >= 0:
            return (status, f, k, rows, code, a, b, nonfinite, where), x, g, state, tr, tr_x
        x_old, g_old, f_prev = x, g, f
        x, g, f = x_t, g_t, f_new  # the new iterate (fresh arrays for the next trial points)
        x_t, g_t = np.empty(n), np.empty(n)
        state = update(state, params, s, y, alpha, x_old, g_old)
        if st.trace:
            has, H_hat = estimate(state, params, x)
            tr, tr_x, rows = record(has, H_hat, st, ev, x, f, g, alpha, tr, tr_x, rows, Hx)
        ev[4](x)  # the callback (a no-op in the compiled run)


# ------------------------------------------------------------------------------------------------
# the two runs
# ------------------------------------------------------------------------------------------------
def _no_callback(x):
    """The compiled run's callback: nothing."""


class _Plain:
    """fk, gk, hk (and the exact Hessian, and the callback) over an Objective, for the plain run:
    one call of ``obj.fg`` per evaluation (fk calls it, gk hands over the same point's gradient)."""

    def __init__(self, obj, callback):
        self.obj, self.callback, self.g = obj, callback, None

    def f(self, x, prm, out):
        out[0], self.g = self.obj.fg(x.copy())

    def grad(self, x, prm, g):
        g[:] = self.g

    def hess(self, x, prm, H):
        H[:, :] = self.obj.hess(x.copy())

    def exact(self, x, prm, H):
        H[:, :] = self.obj.exact_hessian(x.copy())

    def summary(self, x, prm, V, Hbar):
        Hbar[:, :] = self.obj.summary(x.copy(), V.copy())

    def third(self, x, prm, V, out):
        for j in range(V.shape[0]):
            out[j] = self.obj.third(x.copy(), V[j].copy())

    def after_step(self, x):
        if self.callback is not None:
            self.callback(x.copy())


def plain_evaluations(obj, callback=None, counts=None) -> tuple:
    """The evaluation tuple ``ev`` of the plain run over an Objective (the compiled run's has the
    same fields, compiled): what a method's ``direction`` reads through :func:`fg`, :func:`hess`,
    :func:`curvature_summary` and :func:`third_derivatives`. ``counts`` (int64, 3) receives nfev,
    nhev and the third derivatives taken."""
    k = _Plain(obj, callback)
    counts = np.zeros(3, dtype=np.int64) if counts is None else counts
    return (k.f, k.grad, k.hess, k.exact, k.after_step, np.zeros(1), np.empty(1), counts, k.summary, k.third,
            obj.has_hvp, obj.has_third)


class Loop:
    """A method's loop: ``run(obj, x0, options, line_search, callback)`` chooses the run
    (compiled for a TestFunction without callback unless ``numba=False``, plain otherwise) and
    returns the OptimizeResult."""

    def __init__(self, method):
        self.method = method  # the method's module: State, Params, params, init, direction, ...
        self.steps = tuple(register_jitable(getattr(method, name)) for name in ("direction", "update", "estimate"))
        self._guarded = _guarded(*self.steps)  # what the compiled run compiles (see _guarded)
        self._compiled = None

    def compiled(self, params, state, trace: bool):
        """(the compiled loop, its calls), built and compiled, or loaded from Numba's cache, on first use:
        the loop specialised to the method's types, its steps compiled with explicit signatures.
        Without a trace, stand-ins take the places of ``record`` and ``estimate``, so a run that
        keeps no trace does not compile them."""
        from numba import njit, typeof, types

        if self._compiled is None:
            ev, settings, vec, mat, step, row = _types()
            i64, f64, b1 = types.int64, types.float64, types.boolean
            state_t, params_t = typeof(state), typeof(params)
            signatures = (step, row,
                          types.Tuple((state_t, vec, b1))(state_t, params_t, ev, vec, f64, vec),  # direction
                          state_t(state_t, params_t, vec, vec, f64, vec, vec),                    # update
                          types.Tuple((b1, types.float64[:, :]))(state_t, params_t, vec))         # estimate
            calls_t = types.Tuple(tuple(types.FunctionType(sig) for sig in signatures))
            outcome = types.Tuple((i64, f64, i64, i64, i64, f64, f64, b1, i64))
            result = types.Tuple((outcome, vec, vec, state_t, mat, mat))
            signature = result(ev, calls_t, params_t, settings, state_t, vec, f64, vec, vec, vec, mat, mat)
            loop = njit(signature, cache=True, error_model="numpy")(descend)
            # the machine code's own entry: the arguments' types are fixed by construction (run()
            # builds them), so the dispatcher's typing of ten first-class functions at every call
            # (about 1 ms) is skipped
            self._compiled = {"loop": loop.overloads[signature.args].entry_point, "signatures": signatures}
        c = self._compiled
        direction, update, estimate = self._guarded
        names = ("direction", "update", "estimate" if trace else "no_estimate")
        for name, sig, fn in zip(names, c["signatures"][2:], (direction, update, estimate if trace else _no_estimate)):
            if name not in c:
                c[name] = FirstClass(njit(sig, cache=True, error_model="numpy")(fn))
        return c["loop"], (shared("advance"), shared("record" if trace else "no_record")) + tuple(c[n] for n in names)

    def run(self, obj, x0: np.ndarray, opt: dict, line_search, callback=None) -> OptimizeResult:
        m = self.method
        n = x0.size
        params = m.params(opt, n, line_search)
        compiled = bool(opt["numba"]) and obj.test_function is not None and callback is None
        has_hess = obj.has_hess
        st = Settings(float(opt["gtol"]), float(opt["norm"]), max_iterations(opt, n), float(opt["c1"]),
                      float(opt["c2"]), fixed_step(opt), LINE_SEARCH_CODE[line_search],
                      bool(opt["trace"]), opt["bounds"] is not None, bool(has_hess and opt["trace"]),
                      float(opt["max_step"]) if opt.get("cap") == "step" else math.inf)
        if opt["bounds"] is not None:
            lo, hi = (np.ascontiguousarray(b, dtype=np.float64) for b in opt["bounds"])
        else:
            lo, hi = np.zeros(1), np.zeros(1)
        rows = min(st.maxiter + 1, 1024) if st.trace else 1
        tr, tr_x = np.full((rows, TRACE_COLUMNS), np.nan), np.empty((rows, n if st.trace else 1))
        counts = np.zeros(3, dtype=np.int64)  # nfev, nhev, third directional derivatives
        if compiled:
            tf = obj.test_function
            # only a method that needs it, or the trace, compiles the function's Hessian kernel
            hk = FirstClass.of(tf.spec.jit("hess")) if (m.NEEDS_HESSIAN or st.trace) else shared("no_hessian")
            ev = (FirstClass.of(tf.spec.jit("f")), FirstClass.of(tf.spec.jit("grad")), hk, hk, shared("no_callback"),
                  tf.p, np.empty(1), counts, shared("no_summary"), shared("no_third"), False, False)
        else:
            ev = plain_evaluations(obj, callback, counts)
        # the start: x₀ clamped into the box, evaluated, and the method's first state
        x = np.array(x0, dtype=np.float64)
        if st.has_box:
            clamp(x, lo, hi)
        g = np.empty(n)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            f = fg(ev, x, g)
            state = m.init(params, x, f, g)
        if compiled:
            with warnings.catch_warnings():  # Numba calls first-class function types experimental
                warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
                loop, calls = self.compiled(params, state, st.trace)
        else:
            loop, calls = descend, (advance, record) + self.steps
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            outcome, x, g, state, tr, tr_x = loop(ev, calls, params, st, state, x, float(f), g, lo, hi, tr, tr_x)
        status, f, nit, nrec, code, a, b, nonfinite, where = outcome
        nfev, nhev = int(counts[0]), int(counts[1])
        text = outcome_message(int(status), int(nit), int(code), a, b, bool(nonfinite), int(where), line_search)
        reason = m.failure(state) if hasattr(m, "failure") and status == 3 and where == 1 else ""
        if reason:  # the method declined to form the step and said why (e.g. a singular matrix)
            status, text = 5, f"{STATUS[5]} (at iteration {nit}: {reason})"
        if opt["disp"]:
            print(f"{text}\n  f = {f:.6e}, iterations {nit}, nfev {nfev}, njev {nfev}, nhev {nhev}")
        res = OptimizeResult(x=x, fun=float(f), jac=g, nit=int(nit), nfev=nfev, njev=nfev, nhev=nhev,
                             status=int(status), success=int(status) == 0, message=text, **m.extras(state))
        if getattr(m, "USES_THIRD", False):
            res.n3ev = int(counts[2])  # third directional derivatives taken
        if st.trace:
            res.trace = trace_columns(tr, tr_x, int(nrec))
        return res


def _guarded(direction, update, estimate):
    """The method's steps for the compiled run. A function called through its address cannot pass
    an exception on (Numba prints it and goes on with an undefined result), so any exception there —
    a LAPACK routine refusing a non-finite matrix, say — becomes a NaN direction (the run ends with
    status 3, as the plain run does where NumPy returns NaN) or no estimate. ``update`` raises
    nothing the methods know of (their statistics are checked for overflow where they are made)."""

    def guarded_direction(state, params, ev, x, f, g):
        try:
            return direction(state, params, ev, x, f, g)
        except Exception:
            return state, np.full(x.size, np.nan), True

    def guarded_estimate(state, params, x):
        try:
            return estimate(state, params, x)
        except Exception:
            return False, np.zeros((1, 1))

    return guarded_direction, update, guarded_estimate


class FirstClass:
    """A compiled function (a dispatcher with one explicit signature) as a first-class function
    argument of the compiled loop. Its Numba type and the address of its C wrapper are found once
    here; handed the dispatcher itself, Numba would type it and look its addresses up again at
    every call of the loop (about 0.2 ms per function, ten of them: more than a short run takes)."""

    _known: dict = {}

    def __init__(self, dispatcher):
        from numba import types
        from numba.experimental.function_type import _get_wrapper_address

        signature = dispatcher.nopython_signatures[0]
        self.dispatcher = dispatcher  # keeps the machine code alive
        with warnings.catch_warnings():  # Numba calls first-class function types experimental
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            self._numba_type_ = types.FunctionType(signature)
            self._address = _get_wrapper_address(dispatcher, signature)

    def __wrapper_address__(self) -> int:
        return self._address

    def __call__(self, *args):
        return self.dispatcher(*args)

    @classmethod
    def of(cls, dispatcher) -> "FirstClass":
        """The one FirstClass of ``dispatcher`` (made on first use)."""
        if dispatcher not in cls._known:
            cls._known[dispatcher] = cls(dispatcher)
        return cls._known[dispatcher]


@functools.cache
def _types():
    """The Numba types of the evaluation tuple and the settings (the same for every method), and of
    a vector and a matrix."""
    from numba import typeof, types

    from ..functions.registry import JIT_SIGNATURE

    with warnings.catch_warnings():  # Numba calls first-class function types experimental
        warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
        vec, mat, ivec = types.float64[::1], types.float64[:, ::1], types.int64[::1]
        i64, f64, b1 = types.int64, types.float64, types.boolean
        kernel = types.FunctionType(JIT_SIGNATURE["f"])
        hessian = types.FunctionType(JIT_SIGNATURE["hess"])
        callback = types.FunctionType(types.void(vec))
        summary = types.FunctionType(types.void(vec, vec, mat, mat))
        third = types.FunctionType(types.void(vec, vec, mat, vec))
        ev = types.Tuple((kernel, kernel, hessian, hessian, callback, vec, vec, ivec, summary, third, b1, b1))
        settings = typeof(Settings(1.0, 1.0, 1, 1.0, 1.0, 1.0, 1, True, True, True, 1.0))
        step = types.Tuple((i64, f64, f64, i64, f64, f64, b1, i64))(
            ev, settings, vec, f64, vec, vec, b1, f64, vec, vec, vec, vec, vec, vec)
        row = types.Tuple((mat, mat, i64))(b1, types.float64[:, :], settings, ev, vec, f64, vec, f64, mat, mat, i64, mat)
        return ev, settings, vec, mat, step, row


_SHARED = {}


def shared(name: str) -> "FirstClass":
    """A piece every method's compiled loop shares, compiled once and cached on disk: ``advance``,
    ``record``, or a stand-in (``no_record``, ``no_callback``, ``no_hessian``) that takes a piece's
    place where it is never called. The loops receive them as first-class functions (called through
    their address), so their code is not linked into, and optimized again with, each method's loop:
    a method's compiled loop is only its own steps."""
    if name not in _SHARED:
        from numba import njit, types

        from ..functions.registry import JIT_SIGNATURE

        _, _, vec, mat, step, row = _types()
        sig, fn = {"advance": (step, advance), "record": (row, record), "no_record": (row, _no_record),
                   "no_callback": (types.void(vec), _no_callback),
                   "no_hessian": (JIT_SIGNATURE["hess"], _no_hessian),
                   "no_summary": (types.void(vec, vec, mat, mat), _no_summary),
                   "no_third": (types.void(vec, vec, mat, vec), _no_third)}[name]
        _SHARED[name] = FirstClass(njit(sig, cache=True, error_model="numpy")(fn))
    return _SHARED[name]


def _no_record(has_estimate, H_hat, st, ev, x, f, g, alpha, tr, tr_x, rows, Hx):
    """Stands in for :func:`record` where no trace is kept (never called)."""
    return tr, tr_x, rows


def _no_estimate(state, params, x):
    """Stands in for a method's ``estimate`` where no trace is kept (never called)."""
    return False, np.zeros((1, 1))


def _no_hessian(x, prm, H):
    """Stands in for the Hessian kernel where the method never calls it and no trace is kept."""
    H[:, :] = np.nan


def _no_summary(x, prm, V, Hbar):
    """Stands in for the objective's curvature summary where it has none (never called)."""
    Hbar[:, :] = np.nan


def _no_third(x, prm, V, out):
    """Stands in for third directional derivatives where the objective has none (never called)."""
    out[:] = np.nan


_WHERE = ("at the starting point", "in the search direction at iteration {k}", "at iteration {k} (f = {a})")


def outcome_message(status, k, code, a, b, nonfinite, where, line_search) -> str:
    """The result's message: the status in words, and where and why for statuses 2–4."""
    if status == 2:
        maxiter = WOLFE_MAXITER if line_search == "wolfe" else ARMIJO_MAXITER
        detail = f"at iteration {k}: " + message(code, a, b, maxiter, nonfinite)
    elif status == 3:
        detail = _WHERE[where].format(k=k, a=a)
    elif status == 4:
        detail = f"at iteration {k}"
    else:
        detail = ""
    return STATUS[status] + (f" ({detail})" if detail else "")


def trace_columns(tr, tr_x, rows: int) -> dict:
    """The result's trace: the first ``rows`` rows of the recorded arrays, as named columns."""
    return {"x": tr_x[:rows].copy(), "f": tr[:rows, 0].copy(), "gnorm": tr[:rows, 1].copy(),
            "step": tr[:rows, 2].copy(), "hess_error": tr[:rows, 3].copy(), "nfev": tr[:rows, 4].astype(np.int64)}
