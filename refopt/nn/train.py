r"""Training a network by a named method, recording what the curvature papers plot.

    res = train(mlp.objective(X, y), method="partition-newton", steps=200)
    res = train(obj, method="gd", lr=3.0, steps=5000, record=("sharpness", "margin"), every=10)
    res = train(obj, method="gd", lr=0.1, steps=1000, batch_size=32, seed=0)      # SGD

x_{k+1} = x_k + α_k p_k with p_k from the method. **Full batch** (``batch_size=None``), the run is
:func:`refopt.minimize` itself on the :class:`~refopt.nn.NetworkObjective`: every method it has
("gd", "bfgs", "newton", "partition-newton", "ogr", …), its line searches (``line_search=None``,
the default here, takes the fixed step ``lr``), its options, statuses and messages; ``steps`` is its
``maxiter`` and its gradient test is off (gtol = 0) unless ``options`` sets one. **Mini-batch**
(``batch_size=B``): at step k the objective is the mean loss over B samples (a seeded permutation
per epoch, taken in order), and the step is the method's own direction on that batch with the fixed
step ``lr`` — for the methods whose direction needs no memory of (s, y) pairs, "gd" (SGD) and
"partition-newton" (the stochastic variant of Wolinski 2023, H̄ from the batch's HVPs).

**The history** (``res.history``, arrays over the recorded steps k = 0, every, 2·every, …, and the
last): ``step``; ``loss`` L(x_k) on all samples; ``grad_norm`` ‖∇L(x_k)‖₂ (all samples);
``step_length`` ‖x_k − x_{k−1}‖₂ (NaN at k = 0); ``time`` the wall seconds of the optimization
up to x_k (what recording costs is not counted); ``batch_loss`` (mini-batch runs) the loss of the
batch step k used, at x_{k−1} (NaN at k = 0); and, on request (``record``), ``sharpness`` λ_max(∇²L(x_k)) by Lanczos
on HVPs and ``margin`` the normalized margin min_i ỹ_i f(x_i)/‖x_k‖ (negative when a sample is
misclassified: shown, not hidden).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import arguments as a
from .objective import NetworkObjective

__all__ = ["train", "TrainResult", "MINIBATCH_METHODS", "RECORDS"]

MINIBATCH_METHODS = ("gd", "partition-newton")
RECORDS = ("sharpness", "margin")


@dataclass
class TrainResult:
    """x: the final trained parameters; history: the recorded columns (module docstring);
    status, message: the run's outcome (minimize's statuses, for full batch and mini-batch alike);
    success: the run took its steps (status 1) or reached a zero gradient (0) without a failure;
    nfev, nhev, n3ev: the evaluations the steps took (gradients; Hessian–vector products or formed
    Hessians; third directional derivatives); result: minimize's OptimizeResult (full batch)."""

    x: np.ndarray
    history: dict
    success: bool
    status: int
    message: str
    method: str
    nfev: int = 0
    nhev: int = 0
    n3ev: int = 0
    result: object = None
    extras: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        h = self.history
        return (f"TrainResult(method={self.method!r}, steps={int(h['step'][-1])}, loss={h['loss'][-1]:.6g}, "
                f"success={self.success}, message={self.message!r})")


class _Seen:
    """The objective as minimize sees it, remembering its last evaluations (so that the recorder
    reads f and ∇f at the accepted iterate without evaluating again)."""

    def __init__(self, obj: NetworkObjective, keep: int = 4):
        self.obj, self.keep, self.seen = obj, keep, {}
        self.groups = obj.groups
        self.hvp, self.hess, self.third, self.summary = obj.hvp, obj.hess, obj.third, obj.summary

    def value_and_grad(self, x):
        f, g = self.obj.value_and_grad(x)
        self.seen[x.tobytes()] = (f, g)
        while len(self.seen) > self.keep:
            self.seen.pop(next(iter(self.seen)))
        return f, g

    def at(self, x):
        got = self.seen.get(np.ascontiguousarray(x, dtype=np.float64).tobytes())
        if got is None:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # reported as a status
                got = self.obj.value_and_grad(x)
        return got


def _norm(v) -> float:
    """‖v‖₂ without overflow for representable norms (scaled by max |v_i|)."""
    v = np.asarray(v, dtype=np.float64)
    big = float(np.max(np.abs(v))) if v.size else 0.0
    if not np.isfinite(big):
        return big if not np.isnan(big) else np.nan
    return big * float(np.linalg.norm(v / big)) if big > 0.0 else 0.0


class _Recorder:
    """The history: ``seen(x, f, g)`` is called once per iterate x_0, x_1, … and keeps a row at
    the recorded steps; ``finish`` adds the last iterate's row where ``every`` skipped it. Times
    exclude the recorder's own work."""

    def __init__(self, obj, record, every, steps, progress, seed):
        self.obj, self.record, self.every, self.steps, self.progress, self.seed = obj, record, every, steps, progress, seed
        self.cols = {k: [] for k in ("step", "loss", "grad_norm", "step_length", "time", *record)}
        self.k, self.elapsed, self.x_prev, self.x_last = -1, 0.0, None, None
        self.t0 = time.perf_counter()

    def start_clock(self):
        self.t0 = time.perf_counter()

    def pause(self):
        self.elapsed += time.perf_counter() - self.t0

    def seen(self, x, f=None, g=None, extra=None):
        """Iterate k = (the previous k) + 1; its row when k is a recorded step (f and g None: they
        are evaluated there, untimed)."""
        self.pause()
        self.k += 1
        if self.k % self.every == 0 or self.k == self.steps:
            self._row(x, self.x_last, f, g, extra)
        self.x_prev, self.x_last = self.x_last, np.array(x, copy=True)
        self.start_clock()

    def finish(self, extra=None):
        """The last iterate's row, if it has none yet (the run ended between recorded steps)."""
        if self.x_last is not None and (not self.cols["step"] or self.cols["step"][-1] != self.k):
            self._row(self.x_last, self.x_prev, None, None, extra)

    def _row(self, x, prev, f, g, extra):
        if f is None or g is None:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a diverged run is reported
                f, g = self.obj.value_and_grad(x)  # bookkeeping: not timed
        c = self.cols
        finite = bool(np.isfinite(f) and np.all(np.isfinite(g)))
        c["step"].append(self.k)
        c["loss"].append(float(f))
        c["grad_norm"].append(_norm(g))
        c["step_length"].append(_norm(x - prev) if prev is not None else np.nan)
        c["time"].append(self.elapsed)
        if "sharpness" in self.record:  # a diverged iterate has no spectrum to report: NaN
            c["sharpness"].append(self.obj.sharpness(x, seed=self.seed) if finite else np.nan)
        if "margin" in self.record:
            c["margin"].append(self.obj.normalized_margin(x) if finite and np.any(x) else np.nan)
        for key, value in (extra or {}).items():
            c.setdefault(key, []).append(value)
        if self.progress is not None and (self.k % max(1, self.steps // 10) < self.every or self.k == self.steps):
            self.progress(f"step {self.k}/{self.steps}: loss {float(f):.4g}")

    def history(self) -> dict:
        return {k: np.asarray(v, dtype=np.int64 if k == "step" else np.float64) for k, v in self.cols.items()}


def _check(objective, x0, method, steps, lr, batch_size, record, every, progress, seed):
    if not isinstance(objective, NetworkObjective):
        raise TypeError(f"objective must be a refopt.nn.NetworkObjective (mlp.objective(X, y)); got {a.describe(objective)}")
    from ..optim.minimize import METHODS

    method = a.choice(method.lower() if isinstance(method, str) else method, "method", tuple(METHODS))
    steps = a.integer(steps, "steps", low=0)
    lr = a.real(lr, "lr (the fixed step)", low=0.0, low_open=True, allow_none=True)
    batch_size = a.integer(batch_size, "batch_size", low=1, high=objective.X.shape[0], allow_none=True)
    if batch_size is not None and method not in MINIBATCH_METHODS:
        raise ValueError(f"batch_size needs a method without (s, y) memory, one of {MINIBATCH_METHODS}; got {method!r}")
    if isinstance(record, str) or not isinstance(record, (list, tuple)):
        raise TypeError(f"record must be a list of names from {RECORDS}; got {a.describe(record)}")
    record = tuple(a.choice(r, "record", RECORDS) for r in record)
    if "margin" in record and objective.mlp.loss_name == "mse":
        raise ValueError("record 'margin' needs a classification loss ('logistic' or 'softmax_ce'); the loss is 'mse'")
    every = a.integer(every, "every", low=1)
    a.function(progress, "progress", allow_none=True)
    seed = a.seed(seed)
    x = objective.init(seed or 0) if x0 is None else np.array(a.real_array(x0, "x0", shape=(objective.n,)), copy=True)
    return x, method, steps, lr, batch_size, record, every, seed


def train(objective: NetworkObjective, x0=None, method: str = "gd", steps: int = 100, lr: float | None = None,
          batch_size: int | None = None, seed: int | None = 0, line_search: str | None = None,
          options: dict | None = None, record=(), every: int = 1, progress: Callable | None = None) -> TrainResult:
    """Train ``objective`` (a NetworkObjective) from ``x0`` (default ``objective.init(seed)``) by
    ``method`` for ``steps`` steps; see the module docstring."""
    from ..optim.minimize import LINE_SEARCHES

    x, method, steps, lr, batch_size, record, every, seed = _check(
        objective, x0, method, steps, lr, batch_size, record, every, progress, seed)
    line_search = a.choice(line_search, "line_search", LINE_SEARCHES)
    opt = dict(a.options_dict(options))
    for key in ("maxiter", "callback"):
        if key in opt:
            raise ValueError(f"options['{key}'] is set by train (steps); remove it")
    step_key = "lr" if method.startswith("ogr") else "step"
    if lr is not None:
        if line_search is not None:
            raise ValueError(f"lr (the fixed step) has no effect with line_search={line_search!r}: give one of them")
        if step_key in opt:
            raise ValueError(f"give the fixed step once: lr or options['{step_key}'], not both")
        opt[step_key] = lr
    rec = _Recorder(objective, record, every, steps, progress, seed or 0)
    if batch_size is None:
        return _full_batch(objective, x, method, steps, line_search, opt, rec)
    if line_search is not None:
        raise ValueError("line_search must be None with batch_size (mini-batch steps are fixed)")
    return _mini_batch(objective, x, method, steps, batch_size, seed, opt, rec)


def _full_batch(objective, x, method, steps, line_search, opt, rec) -> TrainResult:
    from ..optim import minimize

    seen = _Seen(objective)
    rec.seen(x, *seen.at(x))

    def callback(xk):
        rec.seen(xk, *seen.at(xk))

    rec.start_clock()
    res = minimize(seen, x, method=method, line_search=line_search,
                   options={"gtol": 0.0, **opt, "maxiter": steps}, callback=callback)
    rec.pause()
    rec.finish()
    extras = {k: res[k] for k in ("rates", "summary_hess", "summary_grad", "third_scale") if k in res}
    return TrainResult(res.x, rec.history(), int(res.status) in (0, 1), int(res.status), res.message, method,
                       int(res.nfev), int(res.nhev), int(res.get("n3ev", 0)), res, extras)


def _mini_batch(objective, x, method, steps, batch_size, seed, opt, rec) -> TrainResult:
    from ..optim import options as schema
    from ..optim.loop import fixed_step, plain_evaluations
    from ..optim.minimize import METHODS
    from ..optim.objective import Objective

    m = METHODS[method]
    n = objective.n
    ignored = sorted(k for k in opt if k in schema.COMMON and k != "step")
    if ignored:
        raise ValueError(f"options {ignored} have no effect with batch_size (fixed, unclamped mini-batch steps, no "
                         f"stopping test); the mini-batch options are the method's own and 'step'")
    opt = schema.check(method, m.OPTIONS, {**opt, "maxiter": steps}, n)
    if hasattr(m, "complete"):
        opt = m.complete(opt, Objective(objective, n))
    params, alpha = m.params(opt, n, None), fixed_step(opt)
    rng = np.random.default_rng(seed)
    N = objective.X.shape[0]
    order, at = rng.permutation(N), 0
    counts = np.zeros(3, dtype=np.int64)
    state, status, message, nfev, f_used = None, 1, "Maximum number of iterations has been exceeded.", 0, np.nan
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        f_all, g_all = objective.value_and_grad(x)
    rec.seen(x, f_all, g_all, extra={"batch_loss": np.nan})
    if not (np.isfinite(f_all) and np.all(np.isfinite(g_all))):
        steps, status, message = 0, 3, "NaN or inf encountered (at the starting point)"
    for k in range(1, steps + 1):
        if at + batch_size > N:
            order, at = rng.permutation(N), 0
        rows, at = order[at:at + batch_size], at + batch_size
        ob = Objective(objective.batch(np.sort(rows)), n)
        ev = plain_evaluations(ob, None, counts)
        f, g = ob.fg(x)
        nfev += 1
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            status, message = 3, f"NaN or inf encountered (in the loss or gradient of the batch of step {k})"
            break
        if state is None:
            state = m.init(params, x, f, g)
        state, p, _ = m.direction(state, params, ev, x, f, g)
        if not np.all(np.isfinite(p)):
            reason = m.failure(state) if hasattr(m, "failure") else ""
            status = 5 if reason else 3
            message = (f"The step could not be formed. (at step {k}: {reason})" if reason
                       else f"NaN or inf encountered (in the search direction at step {k})")
            break
        x_new = x + alpha * p
        state = m.update(state, params, x_new - x, np.full(n, np.nan), alpha, x, g)
        x, f_used = x_new, f
        rec.seen(x, extra={"batch_loss": f})  # its row, where recorded: L and ∇L on all samples
        if rec.cols["step"] and rec.cols["step"][-1] == k and not np.isfinite(rec.cols["loss"][-1]):
            status, message = 3, f"NaN or inf encountered (at step {k}: the loss on all samples)"
            break
    rec.pause()
    rec.finish(extra={"batch_loss": f_used})
    extras = m.extras(state) if state is not None else {}
    return TrainResult(x, rec.history(), status == 1, status, message, method, nfev, int(counts[1]), int(counts[2]),
                       None, extras)
