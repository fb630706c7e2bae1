"""Independent derivatives, and the checks that hold analytic ones against them.

Two references, never the code under test:

* **complex step** (Squire & Trapp 1998; Martins, Sturdza & Alonso 2003): for f analytic,
  ∂f/∂x_i = Im f(x + i h e_i) / h + O(h²) with no subtractive cancellation, so h = 1e-20 gives the
  derivative to machine precision. Applied to the gradient it gives the Hessian column by column.
* **Richardson-extrapolated central differences**: D(h) = [φ(x + h e) − φ(x − h e)] / (2h) has an
  error series in h², h⁴, ...; with steps h_k = h₀/2^k the tableau
  T[k][j] = (4^j T[k][j−1] − T[k−1][j−1]) / (4^j − 1) removes them term by term. Among the
  extrapolated entries the one whose difference to its neighbour (the error estimate) is smallest is
  kept, entry by entry, so a too-large h₀ (truncation) and a too-small h (round-off) are both
  avoided. Used where the function is not analytic or not available for complex input.

Error measure (stated once, used everywhere): the **max relative error** of an analytic array a
against a reference b is ``max_i |a_i − b_i| / max(max_i |b_i|, floor)`` — the largest entry error
relative to the largest reference entry (norm-wise relative error in the ∞-norm); ``floor`` (1e-300
by default) only avoids 0/0 when both are exactly zero. ``worst`` is the index of the largest
entry error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = [
    "CheckResult",
    "complex_step_gradient",
    "complex_step_jacobian",
    "richardson_gradient",
    "richardson_jacobian",
    "richardson_hessian",
    "max_relative_error",
    "check_grad",
    "check_hessian",
    "sample_points",
    "verify_function",
    "GRAD_RTOL",
    "HESS_RTOL",
]

GRAD_RTOL = 1e-8
"""Tolerance on the max relative gradient error (against complex step or Richardson)."""
HESS_RTOL = 1e-6
"""Tolerance on the max relative Hessian error."""

COMPLEX_STEP = 1e-20


@dataclass
class CheckResult:
    """Outcome of a derivative check.

    ``error`` is the max relative error (module docstring), ``worst`` the index of the worst entry,
    ``analytic`` / ``reference`` the two arrays compared, ``method`` how the reference was made.
    """

    error: float
    worst: tuple
    analytic: np.ndarray
    reference: np.ndarray
    method: str

    def __float__(self) -> float:
        return self.error

    def __iter__(self):  # allows ``err, worst = check_grad(...)``
        return iter((self.error, self.worst))

    def passed(self, rtol: float) -> bool:
        return bool(self.error <= rtol)


def max_relative_error(a, b, floor: float = 1e-300) -> tuple[float, tuple]:
    """max_i |a_i − b_i| / max(max_i |b_i|, floor), and the index of the largest |a_i − b_i|."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: analytic {a.shape} vs reference {b.shape}")
    diff = np.abs(a - b)
    if diff.size == 0:
        return 0.0, ()
    worst = np.unravel_index(int(np.nanargmax(diff)) if not np.isnan(diff).all() else 0, diff.shape)
    if not np.all(np.isfinite(diff)):
        return float("inf"), tuple(int(i) for i in worst)
    scale = max(float(np.max(np.abs(b))), floor)
    return float(diff[worst] / scale), tuple(int(i) for i in worst)


# --------------------------------------------------------------------------------------------
# complex step
# --------------------------------------------------------------------------------------------
def complex_step_jacobian(fun: Callable, x, h: float = COMPLEX_STEP) -> np.ndarray:
    """J[..., i] = Im fun(x + i h e_i) / h for an analytic ``fun`` taking complex x.

    With fun = f (scalar) this is the gradient; with fun = ∇f it is the Hessian (columns).
    """
    x = np.asarray(x, dtype=np.float64)
    cols = []
    for i in range(x.size):
        z = x.astype(np.complex128)
        z[i] += 1j * h
        cols.append(np.imag(np.asarray(fun(z))) / h)
    return np.stack(cols, axis=-1)


def complex_step_gradient(f: Callable, x, h: float = COMPLEX_STEP) -> np.ndarray:
    """∇f by the complex step; f must be analytic and accept complex input."""
    return complex_step_jacobian(f, x, h)


# --------------------------------------------------------------------------------------------
# Richardson-extrapolated central differences
# --------------------------------------------------------------------------------------------
def _richardson(estimate: Callable[[float], np.ndarray], h0: float, levels: int = 8, order: int = 4):
    """Best entry of the Richardson tableau of an estimate with an error series in h².

    ``estimate(h)`` is a central-difference estimate (any shape). Returns (value, error estimate).
    """
    rows = []
    best = err = None
    for k in range(levels):
        row = [np.asarray(estimate(h0 / 2.0**k), dtype=np.float64)]
        for j in range(1, min(k, order) + 1):
            c = 4.0**j
            row.append((c * row[j - 1] - rows[k - 1][j - 1]) / (c - 1.0))
        for j in range(1, len(row)):
            if j < len(rows[k - 1]):
                e = np.abs(row[j] - rows[k - 1][j])
                if best is None:
                    best, err = row[j].copy(), e
                else:
                    better = e < err
                    best = np.where(better, row[j], best)
                    err = np.where(better, e, err)
        rows.append(row)
    return best, err


def _step(x, h0):
    return h0 * np.maximum(1.0, np.abs(x))


def richardson_jacobian(fun: Callable, x, h0: float = 1e-2) -> np.ndarray:
    """J[..., i] ≈ ∂fun/∂x_i by Richardson-extrapolated central differences (fun real-valued)."""
    x = np.asarray(x, dtype=np.float64)
    steps = _step(x, h0)
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = 1.0

        def central(h, e=e):
            return (np.asarray(fun(x + h * e)) - np.asarray(fun(x - h * e))) / (2.0 * h)

        # estimate(h) uses the absolute step h·steps[i]; rescale to the derivative in x_i.
        val, _ = _richardson(lambda t: central(t * steps[i]), 1.0)
        cols.append(val)
    return np.stack(cols, axis=-1)


def richardson_gradient(f: Callable, x, h0: float = 1e-2) -> np.ndarray:
    """∇f by Richardson-extrapolated central differences."""
    return richardson_jacobian(f, x, h0)


def richardson_hessian(f: Callable, x, h0: float = 1e-2) -> np.ndarray:
    """∇²f from values only: the four-point second difference, Richardson-extrapolated.

    H_ij ≈ [f(x + h_i e_i + h_j e_j) − f(x + h_i e_i − h_j e_j) − f(x − h_i e_i + h_j e_j)
            + f(x − h_i e_i − h_j e_j)] / (4 h_i h_j), error series in h².
    Less accurate than differencing a gradient (round-off grows like ε|f|/h²).
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    steps = _step(x, h0)

    def second(t):
        H = np.empty((n, n))
        for i in range(n):
            for j in range(i + 1):
                di = np.zeros(n)
                dj = np.zeros(n)
                di[i] = t * steps[i]
                dj[j] = t * steps[j]
                v = f(x + di + dj) - f(x + di - dj) - f(x - di + dj) + f(x - di - dj)
                H[i, j] = H[j, i] = v / (4.0 * di[i] * dj[j])
        return H

    val, _ = _richardson(second, 1.0)
    return val


# --------------------------------------------------------------------------------------------
# the checks users call
# --------------------------------------------------------------------------------------------
_METHODS = ("richardson", "complex")


def _check_point(x) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind not in "biuf" or x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D real array, got dtype {x.dtype}, shape {x.shape}")
    x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x has non-finite entries")
    return x


def _check_method(method: str) -> str:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    return method


def check_grad(f: Callable, grad: Callable, x, method: str = "richardson") -> CheckResult:
    """Compare ``grad(x)`` with an independent gradient of ``f`` at ``x``.

    ``method="richardson"`` (default, safe for any f) or ``"complex"`` (complex step: exact to
    machine precision, but only valid if f is analytic and written to accept complex x — a
    function using abs(), max() or comparisons silently gives a wrong reference).
    Returns a :class:`CheckResult` (``error`` = max relative error, ``worst`` = worst entry).
    """
    x = _check_point(x)
    method = _check_method(method)
    g = np.asarray(grad(x), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"grad(x) must have shape {x.shape}, got {g.shape}")
    if method == "complex":
        ref = complex_step_gradient(f, x)
    else:
        ref = richardson_gradient(lambda z: float(f(z)), x)
    err, worst = max_relative_error(g, ref)
    return CheckResult(err, worst, g, ref, method)


def check_hessian(grad_or_f: Callable, hess: Callable, x, method: str = "richardson") -> CheckResult:
    """Compare ``hess(x)`` with an independent Hessian at ``x``.

    ``grad_or_f`` may be the gradient (the reference is then its Jacobian, by Richardson or
    complex step) or the function itself (scalar output; Richardson second differences only).
    Which one is decided by calling it once at x. Asymmetry of ``hess(x)`` counts as error
    against the (symmetrized) reference.
    """
    x = _check_point(x)
    method = _check_method(method)
    n = x.size
    H = np.asarray(hess(x), dtype=np.float64)
    if H.shape != (n, n):
        raise ValueError(f"hess(x) must have shape ({n}, {n}), got {H.shape}")
    probe = np.asarray(grad_or_f(x))
    if probe.shape == (n,):
        if method == "complex":
            ref = complex_step_jacobian(grad_or_f, x)
        else:
            ref = richardson_jacobian(lambda z: np.asarray(grad_or_f(z), dtype=np.float64), x)
        ref = 0.5 * (ref + ref.T)
        how = f"{method} Jacobian of the gradient"
    elif probe.size == 1:
        if method == "complex":
            raise ValueError("method='complex' needs the gradient, not f (it differentiates once)")
        ref = richardson_hessian(lambda z: float(grad_or_f(z)), x)
        how = "richardson second differences of f"
    else:
        raise ValueError(f"grad_or_f(x) must return a scalar or shape ({n},), got {probe.shape}")
    err, worst = max_relative_error(H, ref)
    return CheckResult(err, worst, H, ref, how)


# --------------------------------------------------------------------------------------------
# whole test functions
# --------------------------------------------------------------------------------------------
def sample_points(tf, k: int, seed: int) -> np.ndarray:
    """k reproducible points for a TestFunction: uniform in its bounds when it has bounds,
    otherwise x0 + 0.1·(1 + |x0|)·N(0, 1) (a 10 % neighbourhood of the standard start)."""
    rng = np.random.default_rng(seed)
    if tf.bounds is not None:
        lo, hi = tf.bounds
        return rng.uniform(lo, hi, size=(k, tf.n))
    return tf.x0 + 0.1 * (1.0 + np.abs(tf.x0)) * rng.standard_normal((k, tf.n))


@dataclass
class FunctionReport:
    """Worst derivative errors of one TestFunction over its check points."""

    name: str
    n: int
    m: int | None
    method: str
    grad_error: float
    hess_error: float
    fstar_error: float | None  # |f(x*) − f*| / max(|f*|, 1) where both are known
    symmetric: bool

    @property
    def passed(self) -> bool:
        ok = self.grad_error <= GRAD_RTOL and self.hess_error <= HESS_RTOL and self.symmetric
        return ok and (self.fstar_error is None or self.fstar_error <= FSTAR_RTOL)


FSTAR_RTOL = 1e-5
"""f(x*) against the literature f*: the tables give 6 significant digits."""


def fstar_error(tf) -> float | None:
    """|f(x*) − f*| / max(|f*|, 1e-7) where the literature gives both x* and f*.

    With f* = 0 this is |f(x*)| / 1e-7, so the FSTAR_RTOL test asks f(x*) ≤ 1e-12.
    """
    if tf.xstar is None or tf.fstar is None:
        return None
    return abs(tf.f(tf.xstar) - tf.fstar) / max(abs(tf.fstar), 1e-7)


def verify_function(tf, points: np.ndarray | None = None, seed: int = 0) -> FunctionReport:
    """Check a TestFunction's hand-derived gradient and Hessian at x0 and 3 sampled points.

    The reference is the complex step for analytic functions, Richardson differences otherwise;
    the Hessian reference differentiates the (already checked) analytic gradient.
    """
    if points is None:
        points = np.vstack([tf.x0, sample_points(tf, 3, seed)])
    method = "complex" if tf.analytic else "richardson"
    g_err = h_err = 0.0
    symmetric = True
    for x in points:
        g, H = tf.grad(x), tf.hess(x)
        symmetric &= bool(np.array_equal(H, H.T))
        if tf.analytic:
            g_ref = complex_step_gradient(tf.f_complex, x)
            H_ref = complex_step_jacobian(tf.grad_complex, x)
        else:
            g_ref = richardson_gradient(tf.f, x)
            H_ref = richardson_jacobian(tf.grad, x)
        g_err = max(g_err, max_relative_error(g, g_ref)[0])
        h_err = max(h_err, max_relative_error(H, H_ref)[0])
    return FunctionReport(tf.name, tf.n, tf.m, method, g_err, h_err, fstar_error(tf), symmetric)
