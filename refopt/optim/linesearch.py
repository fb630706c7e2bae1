"""Line searches: strong Wolfe (bracketing + zoom) and Armijo backtracking.

Reference: J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer 2006
(N&W below), Chapter 3.

A line search looks at f along a ray from x in the direction p through the one-variable function

    φ(α) = f(x + α p),        φ'(α) = ∇f(x + α p)ᵀ p,

so φ(0) = f0 and φ'(0) = g0ᵀp, which must be negative (p a descent direction). A step α > 0 is
accepted by the **strong Wolfe conditions** (N&W eq. 3.7)

    sufficient decrease (3.7a)   φ(α) ≤ φ(0) + c1 α φ'(0)
    curvature           (3.7b)   |φ'(α)| ≤ c2 |φ'(0)|,           0 < c1 < c2 < 1,

or, by the Armijo backtracking search, by (3.7a) alone (N&W eq. 3.4, Algorithm 3.1).

The user supplies ``fg(x) -> (f, g)``, which evaluates the value and the gradient together; one call
is one evaluation and ``nfev`` counts the calls. Because every call yields the gradient too, φ'(α)
is known at every trial step, so the cubic interpolation of the zoom always has both values and
both derivatives at its two ends.

Non-finite values. A trial step where f or g is not finite (inf or NaN: overflow, leaving the
domain) is treated as a step that went *too far*: it fails the sufficient-decrease test and the
search shrinks the step towards the last good one (the usual practice). A trial point
x + αp that is itself not finite is treated the same way without calling ``fg`` (it does not count
in ``nfev``). If the search cannot recover, it reports ``success=False`` and says that non-finite
values were met.

On failure the result holds α = 0, a copy of x, f0 and a copy of g0 (the starting point), with
``message`` saying why; the number of evaluations already spent is still reported in ``nfev``.

**One source, two runs.** The searches are written once (:func:`wolfe_search`, :func:`armijo_search`
and the scalar step rules), in the subset of Python that Numba compiles, and marked
``register_jitable``: the compiled step of the descent loop (:func:`refopt.optim.loop.advance`) compiles them
into its machine code, with a test function's kernels ``fk(x, prm, out)`` / ``gk(x, prm, g)``;
:func:`strong_wolfe` and :func:`armijo` run the very same functions as plain Python, with the
kernels wrapping the user's ``fg``. A trial is the triple (α, φ(α), φ'(α)); only the newest trial's
point and gradient are kept (in ``x_t``, ``g_t``), because an accepted step is always the newest
trial. Each search returns ``(code, alpha, f, nfev, a, b, nonfinite)``: ``code`` indexes
:data:`MESSAGES` (0 and 1 are successes), ``a``, ``b`` are the numbers of its message,
``nonfinite`` whether a trial met a non-finite value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numba.extending import register_jitable

from .vector import all_finite, axpy

__all__ = ["LineSearchResult", "strong_wolfe", "armijo", "wolfe_search", "armijo_search", "evaluate",
           "EXTRAPOLATION", "SAFEGUARD", "MESSAGES", "message"]

FG = Callable[[np.ndarray], "tuple[float, np.ndarray]"]

EXTRAPOLATION = (1.1, 4.0)
"""Bracketing phase of :func:`strong_wolfe`: the next trial step α_{i+1} is clamped into
[α_i + 1.1 Δ, α_i + 4 Δ], Δ = α_i − α_{i−1} (Moré–Thuente's xtrapl and xtrapu, MINPACK-2 dcsrch);
see :func:`_extrapolation_step`."""

SAFEGUARD = 0.1
"""Zoom of :func:`strong_wolfe`: the interpolated trial step is clamped into
[a + SAFEGUARD·w, b − SAFEGUARD·w], a < b the ends of the bracket and w = b − a; without a finite
interpolant the zoom bisects. See :func:`_interpolation_step`."""


@dataclass
class LineSearchResult:
    """Outcome of a line search.

    alpha   : accepted step (0.0 on failure)
    x       : x + alpha p (a copy of x on failure)
    f       : f at the returned x
    g       : gradient at the returned x
    nfev    : number of (f, g) evaluations made by the search
    success : True when the acceptance conditions hold at the returned step
    message : what happened, in words
    """

    alpha: float
    x: np.ndarray
    f: float
    g: np.ndarray
    nfev: int
    success: bool
    message: str


MESSAGES = (
    # (key, text): every outcome of a search, in words; a search reports the index of its key
    # here and the numbers a, b (and m, its maxiter) of the text.
    ("wolfe", "strong Wolfe conditions hold"),
    ("armijo", "sufficient decrease holds"),
    ("not_descent", "p is not a descent direction: g0·p = {a:.6g} >= 0 (a line search needs g0·p < 0)"),
    ("slope_overflow", "g0·p = {a} is not finite (overflow): no line search possible"),
    ("unsplittable", "zoom: the bracket [{a:.6g}, {b:.6g}] cannot be split further"),
    ("zoom_maxiter", "maxiter reached in zoom with bracket [{a:.6g}, {b:.6g}]"),
    ("alpha_max", "reached alpha_max = {a:.6g} with φ still decreasing: f may be unbounded below along p"),
    ("bracket_maxiter", "maxiter = {m} reached while bracketing (last α = {a:.6g})"),
    ("armijo_maxiter", "maxiter = {m} reached without sufficient decrease (last α = {a:.6g})"),
)
CODE = {key: i for i, (key, _) in enumerate(MESSAGES)}
NONFINITE_NOTE = " (non-finite f or g met at some trial steps)"


def message(key: str | int, a: float = math.nan, b: float = math.nan, m: int = 0, nonfinite: bool = False) -> str:
    """The text of outcome ``key`` (a key of :data:`MESSAGES` or its index) with its numbers."""
    text = MESSAGES[key if isinstance(key, int) else CODE[key]][1].format(a=a, b=b, m=m)
    return text + (NONFINITE_NOTE if nonfinite else "")


# -- argument checks --------------------------------------------------------------------------------


def _real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    return float(value)


def _common_arguments(x, p, f0, g0, alpha0, maxiter):
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    g0 = np.asarray(g0, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x must be an array with at least one dimension, e.g. shape (n,)")
    if p.shape != x.shape:
        raise ValueError(f"p must have the shape of x, {x.shape}; got {p.shape}")
    if g0.shape != x.shape:
        raise ValueError(f"g0 must have the shape of x, {x.shape}; got {g0.shape}")
    for name, arr in (("x", x), ("p", p), ("g0", g0)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
    f0 = _real(f0, "f0")
    if not math.isfinite(f0):
        raise ValueError(f"f0 must be finite, got {f0}")
    alpha0 = _real(alpha0, "alpha0")
    if not (alpha0 > 0 and math.isfinite(alpha0)):
        raise ValueError(f"alpha0 must be a finite number > 0, got {alpha0}")
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
        raise ValueError(f"maxiter must be an int >= 1, got {maxiter!r}")
    return x, p, f0, g0, alpha0, int(maxiter)


# -- the scalar step rules (N&W eq. 3.59; Moré–Thuente) -----------------------------------------------


@register_jitable
def _cubic_minimizer(a: float, phi_a: float, dphi_a: float, b: float, phi_b: float, dphi_b: float) -> float:
    """Minimizer of the cubic that matches φ and φ' at α = a and α = b (N&W eq. 3.59).

    With a = α_{i−1}, b = α_i:
        d1 = φ'(a) + φ'(b) − 3 (φ(a) − φ(b)) / (a − b)
        d2 = sign(b − a) √(d1² − φ'(a) φ'(b))
        α  = b − (b − a) [φ'(b) + d2 − d1] / [φ'(b) − φ'(a) + 2 d2]
    The square root is taken after dividing by s = max(|d1|, |φ'(a)|, |φ'(b)|), so that huge slopes
    (badly scaled problems) do not overflow. Returns NaN when the cubic has no local minimizer
    (negative radicand) or the formula breaks down (zero denominator, non-finite input).
    Plain scalar code (compiled into the descent loop, run as Python by the plain searches).
    """
    d1 = dphi_a + dphi_b - 3.0 * (phi_a - phi_b) / (a - b)
    s = max(abs(d1), abs(dphi_a), abs(dphi_b))
    if not math.isfinite(s) or s == 0.0:
        return math.nan
    radicand = (d1 / s) * (d1 / s) - (dphi_a / s) * (dphi_b / s)
    if radicand < 0.0:
        return math.nan
    d2 = math.copysign(s * math.sqrt(radicand), b - a)
    denominator = dphi_b - dphi_a + 2.0 * d2
    if denominator == 0.0:
        return math.nan
    return b - (b - a) * (dphi_b + d2 - d1) / denominator


@register_jitable
def _extrapolation_step(a: float, dphi_a: float, b: float, dphi_b: float, cubic: float, alpha_max: float) -> float:
    """The next trial step of the bracketing phase, beyond b = α_i > a = α_{i−1} ≥ 0.

    Called only where Alg. 3.5 has found no bracket yet: φ(b) < φ(a), φ'(a) < 0, φ'(b) < 0
    (φ still falls, and too steeply for (3.7b)). ``cubic`` is the minimizer of the cubic through
    φ, φ' at a and b (eq. 3.59, NaN when there is none). N&W leave the choice of
    α_{i+1} ∈ (α_i, α_max) open ("interpolation ... or some constant multiple of α_i", p. 61); this is
    the rule of Moré & Thuente (ACM TOMS 20 (1994) 286–307, §4 cases 3 and 4 without a bracket;
    MINPACK-2 dcsrch/dcstep, the search scipy's BFGS uses) with Δ = b − a:

    * |φ'(b)| < |φ'(a)| (the slope flattens; M–T case 3): when the cubic has its minimizer beyond
      b, the farther of it and the secant step b + φ'(b) Δ / (φ'(a) − φ'(b)), where the linear
      model of φ' through a and b vanishes; when it has none beyond b (the cubic keeps falling),
      the upper bound.
    * otherwise (M–T case 4: φ' is not flattening, nothing predicts a minimizer): the upper bound;

    then clamped into [b + 1.1 Δ, b + 4 Δ] (M–T's xtrapl = 1.1, xtrapu = 4) and to alpha_max.
    The lower bound makes the gaps α_{i+1} − α_i grow geometrically, so α_max is reached in
    finitely many trials, as Alg. 3.5 requires; the upper bound keeps a trial from jumping
    further than a cubic model of two points can be trusted. Where φ is nearly linear (M–T case 4,
    or a secant step beyond 4Δ) the trials are α_1 (4^i − 1)/3 = α_1, 5 α_1, 21 α_1, ...: about
    half the evaluations of doubling for the same reach (e.g. MGH 4 from x0, first step from
    5·10⁻⁷ to 0.033: 9 trials instead of 17).
    Plain scalar code (compiled into the descent loop, run as Python by the plain searches).
    """
    delta = b - a
    lower = b + XTRAPL * delta
    upper = b + XTRAPU * delta
    step = upper
    if abs(dphi_b) < abs(dphi_a):  # case 3
        secant = b + dphi_b * delta / (dphi_a - dphi_b)
        if math.isfinite(cubic) and cubic > b:
            step = cubic
        if math.isfinite(secant) and secant > step:
            step = secant
    return min(max(step, lower), upper, alpha_max)


@register_jitable
def _interpolation_step(lo_a: float, lo_phi: float, lo_dphi: float, hi_a: float, hi_phi: float, hi_dphi: float,
                        cubic: float) -> float:
    """The zoom's next trial step between α_lo and α_hi (either may be the larger).

    With a < b the two ends and w = b − a:

    1. α_c = ``cubic``, the minimizer of the cubic through φ, φ' at both ends (eq. 3.59, from
       :func:`_cubic_minimizer`; NaN when there is none).
    2. When φ(α_hi) > φ(α_lo) (Moré & Thuente 1994, §4 case 1; MINPACK-2 dcstep): also α_q, the
       minimizer of the quadratic through φ(α_lo), φ'(α_lo), φ(α_hi),
           α_q = α_lo + φ'(α_lo) d² / (2 (φ(α_lo) − φ(α_hi) + φ'(α_lo) d)),   d = α_hi − α_lo,
       which lies strictly between α_lo and the midpoint (φ'(α_lo) d < 0 by the zoom's invariant).
       If α_c is the nearer of the two to α_lo, take α_c, else (α_c + α_q)/2. The reason
       (M–T): a large rise φ(α_hi) ≫ φ(α_lo) with a steep φ'(α_hi) (exponentials, the first step
       of a badly scaled problem) is fitted poorly by the cubic, whose minimizer then sits too
       close to α_hi; the quadratic ignores φ'(α_hi) and errs the other way; their mean is the
       compromise M–T adopt. (E.g. BFGS's first step on MGH 17 and MGH 35 from x0, where the
       trial overshoots by orders of magnitude: 5 evaluations instead of 9, 4 instead of 6.)
    3. Safeguard: clamped into [a + 0.1 w, b − 0.1 w] (a trial too close to an end moves to the
       nearest safe point, so the bracket shrinks by at least 10 % while the interpolant's
       information is kept); without a finite interpolant, or with a non-finite end, bisect:
       α = (a + b)/2. Clamping rather than bisecting a trial that falls near an end roughly halves
       the evaluations on badly scaled problems (MGH 3 along −g: 10 instead of 27).

    Plain scalar code (compiled into the descent loop, run as Python by the plain searches).
    """
    a, b = min(lo_a, hi_a), max(lo_a, hi_a)
    w = b - a
    if math.isfinite(lo_phi) and math.isfinite(lo_dphi) and math.isfinite(hi_phi) and math.isfinite(hi_dphi):
        alpha = cubic
        if math.isfinite(alpha) and hi_phi > lo_phi:
            d = hi_a - lo_a
            quadratic = lo_a + lo_dphi * d / (2.0 * ((lo_phi - hi_phi) / d + lo_dphi))
            if math.isfinite(quadratic) and abs(quadratic - lo_a) < abs(alpha - lo_a):
                alpha = alpha + 0.5 * (quadratic - alpha)
        if math.isfinite(alpha):
            return min(max(alpha, a + SAFE * w), b - SAFE * w)
    return a + 0.5 * w



# -- the searches, written once ---------------------------------------------------------------------

XTRAPL, XTRAPU = EXTRAPOLATION
SAFE = SAFEGUARD
WOLFE, ARMIJO = CODE["wolfe"], CODE["armijo"]
NOT_DESCENT, SLOPE_OVERFLOW = CODE["not_descent"], CODE["slope_overflow"]
UNSPLITTABLE, ZOOM_MAXITER = CODE["unsplittable"], CODE["zoom_maxiter"]
ALPHA_MAX, BRACKET_MAXITER, ARMIJO_MAXITER = CODE["alpha_max"], CODE["bracket_maxiter"], CODE["armijo_maxiter"]


@register_jitable
def evaluate(fk, gk, prm, x, g, out):
    """f(x) into the return value and ∇f(x) into g (one evaluation)."""
    fk(x, prm, out)
    gk(x, prm, g)
    return out[0]


@register_jitable
def _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out):
    """φ(α), φ'(α) at x_t = x + αp (g_t = ∇f(x_t)); (NaN, NaN, False) without an evaluation when
    x_t is not finite. Returns (φ, φ', evaluated)."""
    axpy(x_t, x, alpha, p)
    if not all_finite(x_t):
        return math.nan, math.nan, False
    f = evaluate(fk, gk, prm, x_t, g_t, out)
    return f, np.dot(g_t, p), True


@register_jitable
def _finite(phi, dphi):
    """A trial whose φ or φ' is not finite (f or any entry of g non-finite) went "too far"."""
    return math.isfinite(phi) and math.isfinite(dphi)


@register_jitable
def _refusal(dphi0):
    """The code of the refusal when φ'(0) = g0ᵀp is not a finite negative number (p not a descent
    direction), else −1."""
    if not math.isfinite(dphi0):
        return SLOPE_OVERFLOW
    if dphi0 >= 0:
        return NOT_DESCENT
    return -1


@register_jitable
def _zoom(fk, gk, prm, x, p, f0, dphi0, c1, c2, lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi, iterations,
          x_t, g_t, out):
    """N&W Algorithm 3.6. Invariants: the bracket between α_lo and α_hi contains strong Wolfe
    steps; α_lo has the lowest φ among the steps met that satisfy sufficient decrease; and
    φ'(α_lo)(α_hi − α_lo) < 0. Returns (code, α, φ, nfev, a, b, nonfinite)."""
    nfev = 0
    nonfinite = False
    for _ in range(iterations):
        cubic = _cubic_minimizer(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi)
        alpha_j = _interpolation_step(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi, cubic)
        if alpha_j == lo_a or alpha_j == hi_a:  # the bracket is below the spacing of floats
            return UNSPLITTABLE, 0.0, f0, nfev, lo_a, hi_a, nonfinite
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha_j, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        sufficient = finite and phi <= f0 + c1 * alpha_j * dphi0  # (3.7a)
        if not sufficient or phi >= lo_phi:
            hi_a, hi_phi, hi_dphi = alpha_j, phi, dphi
        else:
            if finite and abs(dphi) <= c2 * abs(dphi0):  # (3.7b)
                return WOLFE, alpha_j, phi, nfev, math.nan, math.nan, nonfinite
            if dphi * (hi_a - lo_a) >= 0:
                hi_a, hi_phi, hi_dphi = lo_a, lo_phi, lo_dphi
            lo_a, lo_phi, lo_dphi = alpha_j, phi, dphi
    return ZOOM_MAXITER, 0.0, f0, nfev, min(lo_a, hi_a), max(lo_a, hi_a), nonfinite


@register_jitable
def wolfe_search(fk, gk, prm, x, p, f0, g0, alpha0, c1, c2, alpha_max, maxiter, x_t, g_t, out):
    """N&W Algorithm 3.5 (bracketing) with the zoom of Algorithm 3.6; see :func:`strong_wolfe`."""
    dphi0 = np.dot(g0, p)
    refused = _refusal(dphi0)
    if refused >= 0:
        return refused, 0.0, f0, 0, dphi0, math.nan, False
    nfev = 0
    nonfinite = False
    prev_a, prev_phi, prev_dphi = 0.0, f0, dphi0  # α_0 = 0
    alpha = alpha0
    for i in range(1, maxiter + 1):
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        sufficient = finite and phi <= f0 + c1 * alpha * dphi0  # (3.7a)
        if not sufficient or (i > 1 and phi >= prev_phi):
            code, a_z, phi_z, used, a, b, nf = _zoom(fk, gk, prm, x, p, f0, dphi0, c1, c2, prev_a, prev_phi,
                                                     prev_dphi, alpha, phi, dphi, maxiter - i, x_t, g_t, out)
            return code, a_z, phi_z, nfev + used, a, b, nonfinite or nf
        if abs(dphi) <= c2 * abs(dphi0):  # (3.7b)
            return WOLFE, alpha, phi, nfev, math.nan, math.nan, nonfinite
        if dphi >= 0:  # the minimum was passed: zoom(α_i, α_{i−1})
            code, a_z, phi_z, used, a, b, nf = _zoom(fk, gk, prm, x, p, f0, dphi0, c1, c2, alpha, phi, dphi,
                                                     prev_a, prev_phi, prev_dphi, maxiter - i, x_t, g_t, out)
            return code, a_z, phi_z, nfev + used, a, b, nonfinite or nf
        if alpha >= alpha_max:
            return ALPHA_MAX, 0.0, f0, nfev, alpha_max, math.nan, nonfinite
        cubic = _cubic_minimizer(prev_a, prev_phi, prev_dphi, alpha, phi, dphi)
        next_alpha = _extrapolation_step(prev_a, prev_dphi, alpha, dphi, cubic, alpha_max)
        prev_a, prev_phi, prev_dphi = alpha, phi, dphi
        alpha = next_alpha
    return BRACKET_MAXITER, 0.0, f0, nfev, alpha, math.nan, nonfinite


@register_jitable
def armijo_search(fk, gk, prm, x, p, f0, g0, alpha0, c1, rho, maxiter, x_t, g_t, out):
    """N&W Algorithm 3.1, geometric backtracking; see :func:`armijo`."""
    dphi0 = np.dot(g0, p)
    refused = _refusal(dphi0)
    if refused >= 0:
        return refused, 0.0, f0, 0, dphi0, math.nan, False
    nfev = 0
    nonfinite = False
    alpha = alpha0
    for k in range(maxiter):
        if k > 0:
            alpha *= rho  # α ← ρ α
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        if finite and phi <= f0 + c1 * alpha * dphi0:  # (3.4)
            return ARMIJO, alpha, phi, nfev, math.nan, math.nan, nonfinite
    return ARMIJO_MAXITER, 0.0, f0, nfev, alpha, math.nan, nonfinite


# -- the plain run: a user's fg as the kernels --------------------------------------------------------

class _Kernels:
    """fk / gk over a user's ``fg(x) -> (f, g)``: one call of fg per evaluation (fk calls it, gk
    hands over the gradient of the same point). fg gets a fresh copy of the point, and runs under
    the caller's floating-point error settings (the search itself silences its own overflows)."""

    def __init__(self, fg, shape, errors):
        self.fg, self.shape, self.errors = fg, shape, errors
        self.g = None

    def f(self, x, prm, out):
        with np.errstate(**self.errors):
            f, g = self.fg(x.reshape(self.shape).copy())
        g = np.asarray(g, dtype=np.float64)
        if g.shape != self.shape:
            raise ValueError(f"fg returned a gradient of shape {g.shape}; expected the shape of x, {self.shape}")
        out[0] = float(f)
        self.g = g.reshape(-1)

    def grad(self, x, prm, g):
        g[:] = self.g


def _run(search, fg, x, p, f0, g0, *constants, m):
    """Run ``search`` as plain Python on ``fg``; its outcome as a LineSearchResult."""
    shape = x.shape  # the searches work on flat vectors; fg sees the caller's shape
    kernels = _Kernels(fg, shape, np.geterr())
    x_t, g_t, out = np.empty(x.size), np.empty(x.size), np.empty(1)
    with np.errstate(all="ignore"):  # overflowing trial points and slopes are expected and handled
        code, alpha, f, nfev, a, b, nonfinite = search(kernels.f, kernels.grad, None, x.reshape(-1), p.reshape(-1),
                                                       f0, g0.reshape(-1), *constants, x_t, g_t, out)
    text = message(int(code), a, b, m, nonfinite)
    if code in (WOLFE, ARMIJO):
        return LineSearchResult(float(alpha), x_t.reshape(shape), float(f), g_t.reshape(shape), int(nfev), True, text)
    return LineSearchResult(0.0, x.copy(), f0, g0.copy(), int(nfev), False, text)


# -- the public searches ------------------------------------------------------------------------------

def strong_wolfe(
    fg: FG,
    x: np.ndarray,
    p: np.ndarray,
    f0: float,
    g0: np.ndarray,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    c2: float = 0.9,
    alpha_max: float = 1e10,
    maxiter: int = 40,
) -> LineSearchResult:
    """Find a step α satisfying the strong Wolfe conditions (N&W eq. 3.7) along the descent
    direction p from x, by N&W Algorithm 3.5 (bracketing) with the zoom of Algorithm 3.6.

    Bracketing (Alg. 3.5): try α_1 = alpha0, α_2, ... At each α_i: if sufficient decrease (3.7a)
    fails or φ(α_i) ≥ φ(α_{i−1}) (i > 1), a strong Wolfe step lies between α_{i−1} and α_i:
    zoom(α_{i−1}, α_i). Else if the curvature condition (3.7b) holds, accept α_i. Else if
    φ'(α_i) ≥ 0, the minimum was passed: zoom(α_i, α_{i−1}). Else grow the step by Moré–Thuente's
    extrapolation (:func:`_extrapolation_step`): the cubic or secant model of φ' predicts where φ'
    vanishes, and α_{i+1} is that prediction clamped into [α_i + 1.1 Δ, α_i + 4 Δ] and to
    alpha_max, Δ = α_i − α_{i−1}; where nothing predicts a minimizer (φ nearly linear) the trials
    are alpha0 · (1, 5, 21, 85, ...). α_0 = 0, with φ(0) = f0, φ'(0) = g0ᵀp.

    Zoom (Alg. 3.6): the trial step α_j between α_lo and α_hi (:func:`_interpolation_step`) is the
    minimizer of the cubic that interpolates φ and φ' at both ends (eq. 3.59), or, where
    φ(α_hi) > φ(α_lo) and the quadratic through φ(α_lo), φ'(α_lo), φ(α_hi) has its minimizer nearer
    to α_lo, the mean of the two minimizers (Moré–Thuente's case 1); **safeguarded**: with a < b
    the ends and w = b − a, it is clamped into [a + 0.1 w, b − 0.1 w]; without a finite
    interpolant, α_j = (a + b)/2 (bisection). So every trial cuts the bracket to at most 0.9 of its
    width. A trial whose f or g is not finite counts as failing (3.7a) (too far), and the next
    trial bisects towards α_lo.

    Parameters
    ----------
    fg : callable x -> (f, g), value and gradient together (one call = one evaluation).
    x, p : the current point and the search direction, arrays of the same shape; g0ᵀp < 0.
    f0, g0 : f and its gradient at x.
    alpha0 : first trial step, 0 < alpha0 <= alpha_max (1 is right for Newton and quasi-Newton).
    c1, c2 : the constants of (3.7), 0 < c1 < c2 < 1 (c2 = 0.9 for quasi-Newton, 0.1 for CG).
    alpha_max : largest step tried in the bracketing phase.
    maxiter : largest number of trial steps (bracketing and zoom together); so nfev <= maxiter.

    Returns
    -------
    LineSearchResult; ``success`` is True exactly when (3.7a) and (3.7b) hold at the returned step.
    When p is not a descent direction, success is False with nfev = 0 (no exception).

    Raises
    ------
    ValueError : c1, c2 not 0 < c1 < c2 < 1; alpha0 <= 0 or > alpha_max; maxiter < 1;
        shapes of x, p, g0 (or of a gradient returned by fg) that differ; non-finite inputs.
    """
    x, p, f0, g0, alpha0, maxiter = _common_arguments(x, p, f0, g0, alpha0, maxiter)
    c1, c2, alpha_max = _real(c1, "c1"), _real(c2, "c2"), _real(alpha_max, "alpha_max")
    if not 0.0 < c1 < c2 < 1.0:
        raise ValueError(f"c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1 = {c1}, c2 = {c2}")
    if not alpha0 <= alpha_max:
        raise ValueError(f"alpha_max must be >= alpha0 = {alpha0}, got {alpha_max}")
    return _run(wolfe_search, fg, x, p, f0, g0, alpha0, c1, c2, alpha_max, maxiter, m=maxiter)


def armijo(
    fg: FG,
    x: np.ndarray,
    p: np.ndarray,
    f0: float,
    g0: np.ndarray,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    rho: float = 0.5,
    maxiter: int = 60,
) -> LineSearchResult:
    """Backtracking line search (N&W Algorithm 3.1): α ← alpha0, then α ← ρ α until the
    sufficient-decrease condition φ(α) ≤ φ(0) + c1 α φ'(0) (N&W eq. 3.4) holds.

    Choice: plain geometric backtracking with the fixed factor ρ, no interpolation, so the trial
    steps are exactly alpha0, ρ alpha0, ρ² alpha0, ... (easy to predict and to reproduce in another
    language). A trial with non-finite f or g fails the test and is shrunk like any other.

    Parameters
    ----------
    fg, x, p, f0, g0 : as in :func:`strong_wolfe`.
    alpha0 : first trial step, > 0.
    c1 : sufficient-decrease constant, 0 < c1 < 1.
    rho : contraction factor, 0 < rho < 1.
    maxiter : largest number of trial steps; so nfev <= maxiter.

    Returns
    -------
    LineSearchResult with the value and gradient at the accepted step (fg returns both, so the
    gradient comes at no extra cost); success is True exactly when (3.4) holds there. When p is
    not a descent direction, success is False with nfev = 0 (no exception).

    Raises
    ------
    ValueError : c1 not in (0, 1); rho not in (0, 1); alpha0 <= 0; maxiter < 1; shapes of x, p,
        g0 (or of a gradient returned by fg) that differ; non-finite inputs.
    """
    x, p, f0, g0, alpha0, maxiter = _common_arguments(x, p, f0, g0, alpha0, maxiter)
    c1, rho = _real(c1, "c1"), _real(rho, "rho")
    if not 0.0 < c1 < 1.0:
        raise ValueError(f"c1 must satisfy 0 < c1 < 1, got {c1}")
    if not 0.0 < rho < 1.0:
        raise ValueError(f"rho must satisfy 0 < rho < 1, got {rho}")
    return _run(armijo_search, fg, x, p, f0, g0, alpha0, c1, rho, maxiter, m=maxiter)
