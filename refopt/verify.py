"""Independent derivatives, and the checks that hold analytic ones against them, entry by entry.

Two references, never the code under test:

* **complex step** (Squire & Trapp 1998; Martins, Sturdza & Alonso 2003): for f analytic,
  ∂f/∂x_i = Im f(x + i h e_i) / h + O(h²) with no subtractive cancellation, so h = 1e-20 gives the
  derivative to machine precision. Applied to the gradient it gives the Hessian column by column.
* **Richardson-extrapolated central differences**: D(h) = [φ(x + h e) − φ(x − h e)] / (2h) has an
  error series in h², h⁴, ...; with steps h_k = h₀/2^k the tableau
  T[k][j] = (4^j T[k][j−1] − T[k−1][j−1]) / (4^j − 1) removes them term by term. Among the
  extrapolated entries the one whose difference to its neighbour (its error estimate) is smallest
  is kept, entry by entry, so a too-large h₀ (truncation) and a too-small h (round-off) are both
  avoided; that difference is returned as the entry's own error estimate.

**The comparison is componentwise** (:func:`compare`). Entry a_k of the derivative under test is
held to its reference r_k with the tolerance

    t_k = rtol · (|r_k| + η σ_k) + κ e_k,        η = 1e-3, κ = 10,

where e_k is the reference's own error estimate for that entry (Richardson: its tableau
difference; complex-step Hessian: its asymmetry |r_kl − r_lk|, which is rounding only; complex-step
gradient: 0) plus the **resolution** of the code under test at x — how much entry k changes when
every coordinate of x moves by 16 units in its last place (two seeded sign patterns): no entry can
be checked below it, and at a stationary point the gradient is nothing else — and σ_k is the natural size of the entry: for a Hessian σ_ij = √(|r_ii| |r_jj|)
(for a positive semidefinite matrix |H_ij| ≤ √(H_ii H_jj), and rounding errors of H_ij are of that
order; the measure is invariant under a rescaling of the variables), for a gradient σ_i = ‖r‖∞.
A result is reported as the worst entry's error **in units of its tolerance** (pass: ≤ 1), so a
flipped sign, a swapped pair or a factor 2 in any entry that stands above the reference's noise is
caught, however small the entry is next to the largest one.

``max_relative_error`` (the largest entry error over the largest reference entry, the ∞-norm
relative error) is kept for tests that compare two exact computations of the same array.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .arguments import choice, function, real, real_array, real_result

__all__ = [
    "CheckResult",
    "compare",
    "complex_step_gradient",
    "complex_step_jacobian",
    "richardson_gradient",
    "richardson_jacobian",
    "richardson_hessian",
    "max_relative_error",
    "check_grad",
    "check_hessian",
    "sample_points",
    "check_points",
    "verify_function",
    "GRAD_RTOL",
    "HESS_RTOL",
    "COMPLEX_RTOL",
    "ETA",
    "KAPPA",
]

GRAD_RTOL = 1e-8
"""Componentwise tolerance of a gradient against Richardson differences."""
HESS_RTOL = 1e-6
"""Componentwise tolerance of a Hessian against Richardson differences (of the gradient or of f)."""
COMPLEX_RTOL = 1e-11
"""Componentwise tolerance against the complex step (exact up to rounding)."""
ETA = 1e-3
"""Weight of an entry's natural size σ in its tolerance (see the module docstring)."""
KAPPA = 10.0
"""Weight of the reference's own error estimate in the tolerance."""

COMPLEX_STEP = 1e-20
_EPS = np.finfo(np.float64).eps


@dataclass
class CheckResult:
    """Outcome of a componentwise derivative check (module docstring).

    ``units`` is the worst entry's error in units of its tolerance (pass: ``units <= 1``),
    ``worst`` its index, ``error`` its relative error |a − r| / (|r| + η σ); ``analytic`` /
    ``reference`` the arrays compared, ``reference_error`` the reference's own error estimate per
    entry, ``tolerance`` the per-entry tolerances, ``method`` how the reference was made.
    """

    error: float
    worst: tuple
    units: float
    analytic: np.ndarray
    reference: np.ndarray
    reference_error: np.ndarray
    tolerance: np.ndarray
    method: str
    rtol: float

    def __float__(self) -> float:
        return self.error

    def __iter__(self):  # allows ``err, worst = check_grad(...)``
        return iter((self.error, self.worst))

    @property
    def ok(self) -> bool:
        """Every entry within its tolerance."""
        return bool(self.units <= 1.0)

    def passed(self, rtol: float | None = None) -> bool:
        """``ok``, or, with ``rtol``, whether the worst relative entry error is <= rtol."""
        return self.ok if rtol is None else bool(self.error <= rtol)


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


def natural_size(ref: np.ndarray) -> np.ndarray:
    """σ of every entry: √(|r_ii| |r_jj|) for a square matrix, ‖r‖∞ for a vector."""
    ref = np.abs(np.asarray(ref, dtype=np.float64))
    top = float(np.max(ref)) if ref.size else 0.0
    if ref.ndim == 2 and ref.shape[0] == ref.shape[1]:
        d = np.sqrt(np.diag(ref))
        return np.outer(d, d)
    return np.full(ref.shape, top)


def _symmetrized(J: np.ndarray, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A Jacobian of a gradient made symmetric, with its error estimate: the mean of the two
    estimates of each entry, and half their difference added to the estimated error."""
    return 0.5 * (J + J.T), 0.5 * (E + E.T) + 0.5 * np.abs(J - J.T)


RESOLUTION_ULPS = 16.0


def resolution(fun: Callable, x: np.ndarray, value: np.ndarray) -> np.ndarray:
    """max over two seeded sign patterns s of |fun(x + 16 ε s∘|x|) − fun(x)|, entry by entry: the
    change a few units in the last place of x make (what no comparison can resolve)."""
    signs = np.random.default_rng(0).choice([-1.0, 1.0], size=(2, x.size))
    res = np.zeros_like(value)
    for s in signs:
        moved = np.asarray(fun(x + RESOLUTION_ULPS * _EPS * s * np.abs(x)), dtype=np.float64)
        res = np.maximum(res, np.abs(moved - value))
    return res


def compare(analytic, reference, reference_error=None, *, rtol: float, method: str = "") -> CheckResult:
    """Hold ``analytic`` to ``reference`` entry by entry (the tolerance of the module docstring)."""
    a = np.asarray(analytic, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if a.shape != r.shape:
        raise ValueError(f"shapes differ: analytic {a.shape} vs reference {r.shape}")
    e = np.zeros_like(r) if reference_error is None else np.asarray(reference_error, dtype=np.float64)
    size = np.abs(r) + ETA * natural_size(r)
    tol = rtol * size + KAPPA * e
    diff = np.abs(a - r)
    with np.errstate(divide="ignore", invalid="ignore"):
        units = np.where(diff == 0.0, 0.0, diff / tol)
        rel = np.where(diff == 0.0, 0.0, diff / size)
    units = np.where(np.isfinite(diff), units, np.inf)
    if units.size == 0:
        return CheckResult(0.0, (), 0.0, a, r, e, tol, method, rtol)
    k = np.unravel_index(int(np.argmax(units)), units.shape)
    return CheckResult(float(rel[k]), tuple(int(i) for i in k), float(units[k]), a, r, e, tol, method, rtol)


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


def complex_step_hessian(grad: Callable, x, h: float = COMPLEX_STEP) -> tuple[np.ndarray, np.ndarray]:
    """(H, e): the symmetrized complex-step Jacobian of ``grad`` and its asymmetry |J − Jᵀ| (the
    rounding of the reference, entry by entry)."""
    J = complex_step_jacobian(grad, x, h)
    return 0.5 * (J + J.T), np.abs(J - J.T)


# --------------------------------------------------------------------------------------------
# Richardson-extrapolated central differences
# --------------------------------------------------------------------------------------------
def _richardson(estimate: Callable[[float], tuple], h0: float, levels: int = 8, order: int = 4):
    """Best entry of the Richardson tableau of an estimate with an error series in h².

    ``estimate(h)`` returns a central-difference estimate (any shape) and a bound on its rounding
    error (ε times the magnitude of the values differenced, over the step). The error of tableau
    entry T[k][j] is taken as |T[k][j] − T[k−1][j]| (truncation) plus 2·R_k (rounding of its finest
    step, amplified by the extrapolation weights, whose absolute sum is below 2); the entry with
    the smallest error is kept, entry by entry. Returns (value, error estimate).
    """
    rows = []
    best = err = None
    for k in range(levels):
        d, rounding = estimate(h0 / 2.0**k)
        row = [np.asarray(d, dtype=np.float64)]
        for j in range(1, min(k, order) + 1):
            c = 4.0**j
            row.append((c * row[j - 1] - rows[k - 1][j - 1]) / (c - 1.0))
        for j in range(1, len(row)):
            if j < len(rows[k - 1]):
                e = np.abs(row[j] - rows[k - 1][j]) + 2.0 * rounding
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


def richardson_jacobian(fun: Callable, x, h0: float = 1e-2, error: bool = False):
    """J[..., i] ≈ ∂fun/∂x_i by Richardson-extrapolated central differences (fun real-valued).

    With ``error=True`` returns (J, E), E the tableau's error estimate of every entry.
    """
    x = np.asarray(x, dtype=np.float64)
    steps = _step(x, h0)
    cols, errs = [], []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = 1.0

        def central(h, e=e):
            up, down = np.asarray(fun(x + h * e), np.float64), np.asarray(fun(x - h * e), np.float64)
            return (up - down) / (2.0 * h), _EPS * (np.abs(up) + np.abs(down)) / (2.0 * h)

        # estimate(h) uses the absolute step h·steps[i]; rescale to the derivative in x_i.
        val, err = _richardson(lambda t: central(t * steps[i]), 1.0)
        cols.append(val)
        errs.append(err)
    J = np.stack(cols, axis=-1)
    return (J, np.stack(errs, axis=-1)) if error else J


def richardson_gradient(f: Callable, x, h0: float = 1e-2, error: bool = False):
    """∇f by Richardson-extrapolated central differences (``error=True``: with its estimate)."""
    return richardson_jacobian(f, x, h0, error)


def richardson_hessian(f: Callable, x, h0: float = 1e-2, error: bool = False):
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
        R = np.empty((n, n))
        for i in range(n):
            for j in range(i + 1):
                di = np.zeros(n)
                dj = np.zeros(n)
                di[i] = t * steps[i]
                dj[j] = t * steps[j]
                corners = [f(x + di + dj), f(x + di - dj), f(x - di + dj), f(x - di - dj)]
                v = corners[0] - corners[1] - corners[2] + corners[3]
                H[i, j] = H[j, i] = v / (4.0 * di[i] * dj[j])
                R[i, j] = R[j, i] = _EPS * sum(abs(c) for c in corners) / (4.0 * di[i] * dj[j])
        return H, R

    val, err = _richardson(second, 1.0)
    return (val, err) if error else val


# --------------------------------------------------------------------------------------------
# the checks users call
# --------------------------------------------------------------------------------------------
_METHODS = ("richardson", "complex")
_FUN_IS = ("grad", "f")


def _check_point(x) -> np.ndarray:
    return real_array(x, "x", ndim=1)


def _check_rtol(rtol, default: float) -> float:
    return default if rtol is None else real(rtol, "rtol", low=0.0, low_open=True)


def _real_output(value, shape: tuple, what: str) -> np.ndarray:
    out = real_result(value, what)
    if out.shape != shape:
        raise ValueError(f"{what} must have shape {shape}, got {out.shape}")
    return out


def check_grad(f: Callable, grad: Callable, x, method: str = "richardson", rtol: float | None = None) -> CheckResult:
    """Compare ``grad(x)`` with an independent gradient of ``f`` at ``x``, entry by entry.

    ``method="richardson"`` (default, safe for any f; rtol default 1e-8) or ``"complex"``
    (complex step: exact to machine precision, rtol default 1e-11, but only valid if f is
    analytic and written to accept complex x — a function using abs(), max() or comparisons
    silently gives a wrong reference). Returns a :class:`CheckResult` (``units`` <= 1: pass).
    """
    function(f, "f")
    function(grad, "grad")
    x = _check_point(x)
    method = choice(method, "method", _METHODS)
    g = _real_output(grad(x), x.shape, "grad(x)")
    if method == "complex":
        ref, err = complex_step_gradient(f, x), 0.0
        rtol = _check_rtol(rtol, COMPLEX_RTOL)
    else:
        ref, err = richardson_gradient(lambda z: float(np.asarray(f(z)).reshape(())), x, error=True)
        rtol = _check_rtol(rtol, GRAD_RTOL)
    return compare(g, ref, err + resolution(grad, x, g), rtol=rtol, method=method)


def check_hessian(fun: Callable, hess: Callable, x, method: str = "richardson", fun_is: str = "grad",
                  rtol: float | None = None) -> CheckResult:
    """Compare ``hess(x)`` with an independent Hessian at ``x``, entry by entry.

    ``fun_is`` says what ``fun`` is — nothing is guessed from its output:

    * ``"grad"`` (default): fun is the gradient; the reference is its Jacobian, by Richardson
      differences (rtol default 1e-6) or the complex step (rtol default 1e-11), symmetrized;
    * ``"f"``: fun is the function; the reference is its Richardson second differences (less
      accurate; rtol default 1e-6). ``method="complex"`` needs the gradient.

    Asymmetry of ``hess(x)`` counts as error against the (symmetric) reference.
    """
    function(fun, "fun")
    function(hess, "hess")
    x = _check_point(x)
    method = choice(method, "method", _METHODS)
    fun_is = choice(fun_is, "fun_is", _FUN_IS)
    n = x.size
    H = _real_output(hess(x), (n, n), "hess(x)")
    if fun_is == "grad":
        _real_output(fun(x), (n,), "fun(x) with fun_is='grad' (pass fun_is='f' for the function)")
        if method == "complex":
            ref, err = complex_step_hessian(fun, x)
            rtol = _check_rtol(rtol, COMPLEX_RTOL)
        else:
            ref, err = _symmetrized(*richardson_jacobian(lambda z: _real_output(fun(z), (n,), "fun(x)"), x, error=True))
            rtol = _check_rtol(rtol, HESS_RTOL)
        how = f"{method} Jacobian of the gradient"
    else:
        if method == "complex":
            raise ValueError("method='complex' needs the gradient (fun_is='grad'): it differentiates once")
        value = real_result(fun(x), "fun(x)")
        if value.size != 1:
            raise ValueError(f"fun(x) with fun_is='f' must return one number, got shape {value.shape}")
        ref, err = richardson_hessian(lambda z: float(np.asarray(fun(z)).reshape(())), x, error=True)
        rtol = _check_rtol(rtol, HESS_RTOL)
        how = "richardson second differences of f"
    return compare(H, ref, err + resolution(hess, x, H), rtol=rtol, method=how)


# --------------------------------------------------------------------------------------------
# whole test functions
# --------------------------------------------------------------------------------------------
def sample_points(tf, k: int, seed: int) -> np.ndarray:
    """k reproducible points for a TestFunction: uniform in its bounds when it has bounds,
    otherwise uniform in the box x0 ± 0.1·(1 + |x0|) around the standard start.

    Only uniform draws and IEEE additions and multiplications: the same points on every machine
    (no libm call, unlike a normal distribution's sampler)."""
    rng = np.random.default_rng(seed)
    if tf.bounds is not None:
        lo, hi = tf.bounds
        return rng.uniform(lo, hi, size=(k, tf.n))
    half = 0.1 * (1.0 + np.abs(tf.x0))
    return rng.uniform(tf.x0 - half, tf.x0 + half, size=(k, tf.n))


def check_points(tf, seed: int = 0, k: int = 3) -> np.ndarray:
    """x0, k sampled points and the function's branch points (at the default n)."""
    pts = [tf.x0, *sample_points(tf, k, seed)]
    if tf.n == tf.spec.n:
        pts += [np.array(p) for p in tf.spec.branch_points]
    return np.vstack(pts)


@dataclass
class FunctionReport:
    """Worst derivative errors of one TestFunction over its check points, in tolerance units."""

    name: str
    n: int
    m: int | None
    method: str
    grad_units: float
    hess_units: float
    fstar_error: float | None  # |f(x*) − f*| / max(|f*|, 1e-7) where both are known
    symmetric: bool
    exact_units: float | None = None  # against the catalog's exact values (None: no catalog)
    exact_where: str = ""

    @property
    def passed(self) -> bool:
        ok = self.grad_units <= 1.0 and self.hess_units <= 1.0 and self.symmetric
        ok = ok and (self.exact_units is None or self.exact_units <= 1.0)
        return ok and (self.fstar_error is None or self.fstar_error <= FSTAR_RTOL)


FSTAR_RTOL = 1e-5
"""f(x*) against the recorded f*: the literature tables give 6 significant digits."""


def fstar_error(tf) -> float | None:
    """|f(x*) − f*| / max(|f*|, 1e-7) where both x* and f* are known.

    With f* = 0 this is |f(x*)| / 1e-7, so the FSTAR_RTOL test asks f(x*) ≤ 1e-12.
    """
    if tf.xstar is None or tf.fstar is None:
        return None
    return abs(tf.f(tf.xstar) - tf.fstar) / max(abs(tf.fstar), 1e-7)


def verify_function(tf, points: np.ndarray | None = None, seed: int = 0, catalog: dict | None = None) -> FunctionReport:
    """Check a TestFunction's hand-derived gradient and Hessian, entry by entry, at its check
    points (x0, 3 sampled points, branch points), and against the exact values of its catalog
    entry when one is given.

    The reference is the complex step for analytic functions, Richardson differences otherwise;
    the Hessian reference differentiates the (already checked) analytic gradient.
    """
    if points is None:
        points = check_points(tf, seed)
    method = "complex" if tf.analytic else "richardson"
    g_units = h_units = 0.0
    symmetric = True
    for x in points:
        g, H = tf.grad(x), tf.hess(x)
        symmetric &= bool(np.array_equal(H, H.T))
        if tf.analytic:
            g_ref, g_err, g_tol = complex_step_gradient(tf.f_complex, x), 0.0, COMPLEX_RTOL
            (H_ref, H_err), h_tol = complex_step_hessian(tf.grad_complex, x), COMPLEX_RTOL
        else:
            (g_ref, g_err), g_tol = richardson_gradient(tf.f, x, error=True), GRAD_RTOL
            (H_ref, H_err), h_tol = _symmetrized(*richardson_jacobian(tf.grad, x, error=True)), HESS_RTOL
        rg = compare(g, g_ref, g_err + resolution(tf.grad, x, g), rtol=g_tol)
        rh = compare(H, H_ref, H_err + resolution(tf.hess, x, H), rtol=h_tol)
        g_units = max(g_units, rg.units)
        h_units = max(h_units, rh.units)
    exact_units, where = (None, "")
    if catalog is not None:
        from .functions.catalog import exact_error

        exact_units, where = exact_error(tf, catalog)
    return FunctionReport(tf.name, tf.n, tf.m, method, g_units, h_units, fstar_error(tf), symmetric,
                          exact_units, where)
