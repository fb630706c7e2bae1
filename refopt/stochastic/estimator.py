"""Streaming logistic regression: the state of a recursion, fed in chunks, and its result.

    est = StreamingLogistic("hybrid", theta_true=theta)     # or "sn", "wasn", "sgd"
    for X, y in chunks:            est.partial_fit(X, y)     # data larger than memory
    res = est.result()             # LogisticFit: theta, hessian_estimate (S_n/n), n, errors ...

    res = fit_logistic(X, y, method="hybrid", theta_true=theta)   # the same, in one call

The recursions are in :mod:`refopt.stochastic.recursions` (equations and sources there). The state
is θ (and θ̄ for averaged methods), P = S_n⁻¹, the weight sum W and the sample count n; every
recursion indexes samples globally, so feeding the stream in chunks of any sizes gives the same
numbers *to the bit* as one call (tests/test_stochastic_estimator.py checks it).

Parameters of each method (``**params``; defaults in :data:`DEFAULTS`) and why these defaults:

* ``"hybrid"``: ``alpha=0.8, beta=0.2``, weight c_k = α π_k(1 − π_k) + β (Y_k − π_k)².
  α + β = 1 keeps the unit Newton gain (E[c_k | Φ_k] = π_k(1 − π_k) at the true θ, so S_n/n → H).
  β > 0 keeps c_k away from 0 where π(1 − π) vanishes, with no truncation; α > 0 lowers the noise
  of c_k (given Φ the r² term has variance π(1 − π)(2π − 1)², the π(1 − π) term none). Measured
  (10 / 6 replications, d = 5 N(0, I) and d = 50 Toeplitz(0.9), r = 0.5 and 5, α on
  0..1 with β = 1 − α): a large β *slows* far starts — a confident wrong prediction gives
  r² ≈ 1 ≫ π(1 − π), S grows early and shortens the steps (d = 5, r = 5, n = 10⁴:
  ‖θ_n − θ‖² = 0.50 at β = 1, 0.015 at β = ½, 0.011 at β ≤ 0.2) — while β = 0 (untruncated SN)
  is slowest on the first 100 samples at d = 50 (16.6 vs 6.9 at β = 0.2, r = 0.5). β = 0.2 was
  within a factor 1.7 of the best α on every (d, r, n) cell and within 12 % from n = 10³ on,
  for the θ error and the Hessian error alike.
* ``"sn"``: truncation ``c=0.01, b=0.25``: a_k = max(π_k(1 − π_k), c·k^{−b}). b ∈ (0, ½) as the
  theory requires; b = ¼ lets the floor fade (0.01 → 0.0003 at k = 10⁶) while it still bounds
  the first steps; c = 0.01 is small against π(1 − π) ≤ ¼. Measured on the same grid: c = 0.1
  or c = 1 bias S_n/n (Hessian error 0.020 vs 0.014 at d = 5, n = 10⁵) and slow far starts;
  c = 1e-10 (no truncation) is as good here, but the theory needs the floor.
* ``"wasn"``: ``c_gamma=0.3, gamma=0.75, omega=2.0`` (γ_k = c_γ k^{−γ}, weights log(k + 1)^ω; γ and
  ω as in the authors' public code) and the SN truncation ``c=0.01, b=0.25``. c_γ is measured:
  the step γ_k S̄_k⁻¹ = c_γ k^{−γ}(k + 1) S_k⁻¹ is k^{1−γ} times longer than Newton's, and at
  c_γ = 1 the d = 50 Toeplitz runs overshoot (‖θ_n − θ‖² ≈ 100 at n = 10³, 0.11 at 5·10⁴) where
  c_γ = 0.3 gives 4.5 and 0.092 (d = 5: the same final error, 6.1e-4).
* ``"sgd"``: ``c_gamma=1.0, gamma=0.75, average=False`` (γ_k = c_γ k^{−γ}; ``average=True`` returns
  the Polyak–Ruppert average, asymptotically efficient like the Newton methods; plain SGD is
  not, its error decays like k^{−γ}). A baseline, not tuned.

Initial Hessian estimate S_0 = I (all Newton methods): the papers' choice; it makes P = S⁻¹ ≤ I
and so bounds the first steps. ``hessian_estimate`` is S_n/n (S_0 included), computed from P
by one inversion when asked for; SGD keeps none (None).

Input checks: labels must be 0/1, X finite and 2-D, X and y of one length, else ValueError;
a rejected chunk leaves the state unchanged. A non-finite value inside a recursion (data of
absurd scale) ends the stream: the state stays at the end of the last good chunk, ``success``
is False and ``message`` names the sample.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..arguments import choice, describe, flag, integer, real, real_array
from . import recursions as R
from .data import features

__all__ = ["StreamingLogistic", "LogisticFit", "fit_logistic", "DEFAULTS", "METHODS",
           "default_checkpoints", "check_data"]

METHODS = ("hybrid", "sn", "wasn", "sgd")
DEFAULTS: dict[str, dict] = {
    "hybrid": {"alpha": 0.8, "beta": 0.2},
    "sn": {"c": 0.01, "b": 0.25},
    "wasn": {"c_gamma": 0.3, "gamma": 0.75, "omega": 2.0, "c": 0.01, "b": 0.25},
    "sgd": {"c_gamma": 1.0, "gamma": 0.75, "average": False},
}


@dataclass(frozen=True)
class LogisticFit:
    """What a streaming fit returns.

    theta: the estimate (θ̄ for WASN and averaged SGD); hessian_estimate: S_n/n (None for SGD or
    n = 0); n: samples seen; checkpoints / errors: ‖θ_m − θ‖² at the sample counts m in
    ``checkpoints`` (when ``theta_true`` was given); hessian_errors: ‖S_m/m − H‖_F/‖H‖_F there (when
    ``hessian_true`` was given); success / message: False and the reason after a numerical failure.
    """

    theta: np.ndarray
    hessian_estimate: np.ndarray | None
    n: int
    method: str
    params: dict
    intercept: bool
    success: bool = True
    message: str = "ok"
    checkpoints: np.ndarray | None = None
    errors: np.ndarray | None = None
    hessian_errors: np.ndarray | None = None
    iterate: np.ndarray | None = field(default=None, repr=False)  # θ_n itself for averaged methods


def default_checkpoints(n_max: int = 10**12, per_decade: int = 10) -> np.ndarray:
    """Log-spaced sample counts 1, 2, ..., ⌊10^{j/per_decade}⌋ ≤ n_max (distinct integers)."""
    n_max = integer(n_max, "n_max", low=1)
    per_decade = integer(per_decade, "per_decade", low=1)
    top = int(np.floor(per_decade * np.log10(max(n_max, 1)))) + 1
    return np.unique(np.floor(10.0 ** (np.arange(top) / per_decade)).astype(np.int64))


def check_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) as C-contiguous float64 (n, p) and (n,), or TypeError / ValueError naming what is
    wrong (labels: the numbers 0 and 1; booleans are refused like every bool-for-number)."""
    X = real_array(X, "X (n samples, p features)", ndim=2, min_size=0)
    y = real_array(y, "y (labels 0 or 1)", ndim=1, min_size=0)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one label per row of X ({X.shape[0]}), got shape {y.shape}")
    if not np.all((y == 0.0) | (y == 1.0)):
        bad = y[(y != 0.0) & (y != 1.0)][:3]
        raise ValueError(f"y (labels) must be 0 or 1, got e.g. {bad.tolist()}")
    return X, y


def _check_params(method: str, params: dict) -> dict:
    choice(method, "method", METHODS)
    unknown = sorted(set(params) - set(DEFAULTS[method]))
    if unknown:
        raise ValueError(f"unknown parameters for {method!r}: {unknown}; allowed: {sorted(DEFAULTS[method])}")
    p = {**DEFAULTS[method], **params}
    for key, value in p.items():
        p[key] = flag(value, key) if key == "average" else real(value, key)
    rules = {
        "alpha": (lambda v: v >= 0, ">= 0"), "beta": (lambda v: v >= 0, ">= 0"),
        "c": (lambda v: v >= 0, ">= 0"), "b": (lambda v: 0 < v < 0.5, "in (0, 1/2)"),
        "c_gamma": (lambda v: v > 0, "> 0"), "omega": (lambda v: v >= 0, ">= 0"),
        "gamma": ((lambda v: 0.5 < v < 1) if method == "wasn" else (lambda v: 0.5 < v <= 1),
                  "in (1/2, 1)" if method == "wasn" else "in (1/2, 1]"),
    }
    for key, (ok, text) in rules.items():
        if key in p and not ok(p[key]):
            raise ValueError(f"{method}: {key} must be {text}, got {p[key]}")
    if method == "hybrid" and p["alpha"] + p["beta"] <= 0:
        raise ValueError("hybrid: alpha + beta must be > 0 (alpha + beta = 1 keeps the unit Newton gain)")
    return p


class StreamingLogistic:
    """Streaming logistic regression by ``method``; feed chunks with :meth:`partial_fit`.

    Parameters
    ----------
    method : "hybrid" (default), "sn", "wasn" or "sgd"; ``**params`` as in :data:`DEFAULTS`.
    theta0 : the start θ_0 (default 0); fixes the dimension, else the first chunk does.
    intercept : prepend Φ_0 = 1 to every sample (θ_0 is then the intercept).
    theta_true : if given, ‖θ_m − θ‖² is recorded at the sample counts m in ``checkpoints``
        (default :func:`default_checkpoints`, 10 a decade).
    hessian_true : if given (Newton methods), ‖S_m/m − H‖_F / ‖H‖_F is recorded there too.
    """

    def __init__(self, method: str = "hybrid", *, theta0=None, intercept: bool = False,
                 theta_true=None, checkpoints=None, hessian_true=None, **params):
        self.method = method if not isinstance(method, str) else method.lower()
        self.params = _check_params(self.method, params)
        self.intercept = flag(intercept, "intercept")
        self.theta_true = None if theta_true is None else _vector(theta_true, "theta_true")
        self.hessian_true = None if hessian_true is None else real_array(hessian_true, "hessian_true", ndim=2)
        if self.hessian_true is not None and self.method == "sgd":
            raise ValueError("hessian_true: SGD keeps no Hessian estimate")
        if checkpoints is not None and self.theta_true is None and self.hessian_true is None:
            raise ValueError("checkpoints need theta_true (or hessian_true) to record errors against")
        self.checkpoints = default_checkpoints() if checkpoints is None else _checkpoints(checkpoints)
        self.n = 0
        self.success, self.message = True, "ok"
        self._recorded: list[int] = []
        self._errors: list[float] = []
        self._herrors: list[float] = []
        self._theta = self._theta_bar = self._P = None
        self._W = np.zeros(1)
        if theta0 is not None:
            self._init_state(_vector(theta0, "theta0"))

    # ---------------------------------------------------------------- state
    def _init_state(self, theta0: np.ndarray) -> None:
        d = theta0.size
        for name, other in (("theta_true", self.theta_true), ("hessian_true", self.hessian_true)):
            if other is not None and other.shape[0] != d:
                raise ValueError(f"{name} has {other.shape[0]} rows/entries, theta has {d}")
        if self.hessian_true is not None and self.hessian_true.shape != (d, d):
            raise ValueError(f"hessian_true must have shape ({d}, {d}), got {self.hessian_true.shape}")
        self._theta = theta0.copy()
        self._theta_bar = theta0.copy()
        self._P = None if self.method == "sgd" else np.eye(d)

    @property
    def dim(self) -> int | None:
        return None if self._theta is None else self._theta.size

    @property
    def averaged(self) -> bool:
        return self.method == "wasn" or (self.method == "sgd" and self.params["average"])

    @property
    def theta(self) -> np.ndarray | None:
        """The current estimate (θ̄ for averaged methods)."""
        if self._theta is None:
            return None
        return (self._theta_bar if self.averaged else self._theta).copy()

    @property
    def hessian_estimate(self) -> np.ndarray | None:
        """S_n/n (S_0 = I included); None for SGD or before the first sample."""
        if self._P is None or self.n == 0:
            return None
        return _inverse(self._P) / self.n

    # ---------------------------------------------------------------- feeding
    def partial_fit(self, X, y) -> "StreamingLogistic":
        """Run the recursion over the chunk (X, y); returns self. Bad chunks raise ValueError and
        leave the state as it was."""
        if not self.success:
            raise ValueError(f"this stream stopped after a numerical failure ({self.message}); start a new one")
        X, y = check_data(X, y)
        Phi = features(X, self.intercept)
        if self._theta is None:
            self._init_state(np.zeros(Phi.shape[1]))
        elif Phi.shape[1] != self._theta.size:
            raise ValueError(f"X must have {self._theta.size - self.intercept} columns "
                             f"(theta has {self._theta.size} entries), got {X.shape[1]}")
        state = [self._theta.copy(), self._theta_bar.copy(),
                 None if self._P is None else self._P.copy(), self._W.copy()]
        recorded, errs, herrs = [], [], []
        n, m = self.n, Phi.shape[0]
        cps = self.checkpoints[(self.checkpoints > n) & (self.checkpoints <= n + m)] if self._tracking else []
        stops = [int(c) - n for c in cps]
        if not stops or stops[-1] != m:
            stops.append(m)
        start = 0
        for stop in stops:
            if stop > start:
                bad = self._run(Phi[start:stop], y[start:stop], n + start, state)
                if bad >= 0:
                    self.success = False
                    self.message = (f"non-finite value at sample {n + start + bad + 1} "
                                    f"(state kept at sample {n})")
                    return self
            start = stop
            if n + stop in cps:
                recorded.append(n + stop)
                errs.append(self._error(state))
                herrs.append(self._hessian_error(state[2], n + stop))
        self._theta, self._theta_bar, self._P, self._W = state
        self.n += m
        self._recorded += recorded
        self._errors += errs
        self._herrors += herrs
        return self

    @property
    def _tracking(self) -> bool:
        return self.theta_true is not None or self.hessian_true is not None

    def _run(self, Phi, y, n0, state) -> int:
        theta, theta_bar, P, W = state
        p = self.params
        if self.method == "hybrid":
            return R.hybrid_loop(Phi, y, theta, P, p["alpha"], p["beta"])
        if self.method == "sn":
            return R.sn_loop(Phi, y, theta, P, n0, p["c"], p["b"])
        if self.method == "wasn":
            return R.wasn_loop(Phi, y, theta, theta_bar, P, W, n0, p["c_gamma"], p["gamma"], p["omega"],
                               p["c"], p["b"])
        return R.sgd_loop(Phi, y, theta, theta_bar, n0, p["c_gamma"], p["gamma"], p["average"])

    def _error(self, state) -> float:
        if self.theta_true is None:
            return np.nan
        est = state[1] if self.averaged else state[0]
        return float(np.sum((est - self.theta_true) ** 2))

    def _hessian_error(self, P, m: int) -> float:
        if self.hessian_true is None:
            return np.nan
        D = _inverse(P) / m - self.hessian_true
        return float(np.linalg.norm(D) / np.linalg.norm(self.hessian_true))

    def result(self) -> LogisticFit:
        """The estimate and the recorded errors so far."""
        if self._theta is None:
            raise ValueError("no data yet: call partial_fit first (or pass theta0)")
        track = self._tracking
        return LogisticFit(
            theta=self.theta, hessian_estimate=self.hessian_estimate, n=self.n, method=self.method,
            params=dict(self.params), intercept=self.intercept, success=self.success, message=self.message,
            checkpoints=np.array(self._recorded, dtype=np.int64) if track else None,
            errors=np.array(self._errors) if self.theta_true is not None else None,
            hessian_errors=np.array(self._herrors) if self.hessian_true is not None else None,
            iterate=self._theta.copy() if self.averaged else None,
        )


def fit_logistic(X, y, method: str = "hybrid", theta0=None, intercept: bool = False, theta_true=None,
                 checkpoints=None, hessian_true=None, **params) -> LogisticFit:
    """One pass of ``method`` over (X, y); the same as one :meth:`StreamingLogistic.partial_fit`.

    With ``theta_true`` and no ``checkpoints``, errors are recorded 10 times a decade and at n.
    """
    if checkpoints is None and (theta_true is not None or hessian_true is not None):
        n = np.shape(X)[0] if np.ndim(X) == 2 else 0
        checkpoints = np.union1d(default_checkpoints(max(n, 1)), [max(n, 1)])
    est = StreamingLogistic(method, theta0=theta0, intercept=intercept, theta_true=theta_true,
                            checkpoints=checkpoints, hessian_true=hessian_true, **params)
    return est.partial_fit(X, y).result()


def _vector(v, name: str) -> np.ndarray:
    return real_array(v, name, ndim=1)


def _checkpoints(c) -> np.ndarray:
    a = np.asarray(c)
    if a.dtype.kind not in "iu":
        raise TypeError(f"checkpoints must be integers (sample counts); got {describe(c)}")
    if a.ndim != 1 or np.any(a < 1) or np.any(np.diff(a) <= 0):
        raise ValueError("checkpoints must be a 1-D array of strictly increasing positive integers")
    return a.astype(np.int64)


def _inverse(P: np.ndarray) -> np.ndarray:
    S = np.linalg.inv(P)
    return 0.5 * (S + S.T)
