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
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["LineSearchResult", "strong_wolfe", "armijo", "EXTRAPOLATION", "SAFEGUARD", "MESSAGES", "message"]

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
    # (key, text): every outcome of a search, in words; the compiled twin in
    # linesearch_numba.py reports the index of its key here and the same numbers a, b, m.
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


# -- φ(α) and its evaluations ---------------------------------------------------------------------


@dataclass
class _Trial:
    """One evaluated step: α, the point x + αp, φ(α) = f, φ'(α) = gᵀp and g."""

    alpha: float
    x: np.ndarray
    phi: float
    dphi: float
    g: np.ndarray | None

    @property
    def finite(self) -> bool:
        return math.isfinite(self.phi) and math.isfinite(self.dphi)


class _LineFunction:
    """φ(α) = f(x + αp) and φ'(α) = ∇f(x + αp)ᵀp through ``fg``, counting the evaluations."""

    def __init__(self, fg: FG, x: np.ndarray, p: np.ndarray):
        self.fg, self.x, self.p = fg, x, p
        self.nfev = 0
        self.saw_nonfinite = False

    def __call__(self, alpha: float) -> _Trial:
        with np.errstate(over="ignore"):  # an overflowing x + αp is expected and handled just below
            x_alpha = self.x + alpha * self.p
        if not np.all(np.isfinite(x_alpha)):
            self.saw_nonfinite = True
            return _Trial(alpha, x_alpha, math.nan, math.nan, None)
        f, g = self.fg(x_alpha)
        self.nfev += 1
        f = float(f)
        g = np.asarray(g, dtype=np.float64)
        if g.shape != self.x.shape:
            raise ValueError(
                f"fg returned a gradient of shape {g.shape}; expected the shape of x, {self.x.shape}"
            )
        with np.errstate(all="ignore"):
            dphi = float(np.vdot(g, self.p))
        trial = _Trial(alpha, x_alpha, f, dphi, g)
        # A non-finite entry of g makes φ'(α) = gᵀp non-finite too (0·inf and 0·NaN are NaN), so
        # ``finite`` (φ and φ' both finite) is the one test for every non-finite case: "too far".
        if not trial.finite:
            self.saw_nonfinite = True
        return trial


@dataclass
class _Conditions:
    """The tests of N&W eq. 3.7 for φ(0) = f0, φ'(0) = dphi0 < 0."""

    f0: float
    dphi0: float
    c1: float
    c2: float

    def sufficient_decrease(self, t: _Trial) -> bool:
        """(3.7a) φ(α) ≤ φ(0) + c1 α φ'(0); never true at a non-finite step."""
        return t.finite and t.phi <= self.f0 + self.c1 * t.alpha * self.dphi0

    def curvature(self, t: _Trial) -> bool:
        """(3.7b) |φ'(α)| ≤ c2 |φ'(0)|."""
        return t.finite and abs(t.dphi) <= self.c2 * abs(self.dphi0)


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


def _slope(g0: np.ndarray, p: np.ndarray) -> tuple[float, str | None]:
    """φ'(0) = g0ᵀp, and a failure message when p is not a descent direction."""
    with np.errstate(all="ignore"):
        dphi0 = float(np.vdot(g0, p))
    if not math.isfinite(dphi0):
        return dphi0, message("slope_overflow", dphi0)
    if dphi0 >= 0:
        return dphi0, message("not_descent", dphi0)
    return dphi0, None


def _success(t: _Trial, nfev: int, text: str) -> LineSearchResult:
    return LineSearchResult(t.alpha, t.x, t.phi, t.g, nfev, True, text)


def _failure(x, f0, g0, phi: _LineFunction | None, text: str) -> LineSearchResult:
    nfev = 0 if phi is None else phi.nfev
    if phi is not None and phi.saw_nonfinite:
        text += NONFINITE_NOTE
    return LineSearchResult(0.0, x.copy(), f0, g0.copy(), nfev, False, text)


# -- strong Wolfe: N&W Algorithms 3.5 and 3.6 ---------------------------------------------------------


def _cubic_minimizer(a: float, phi_a: float, dphi_a: float, b: float, phi_b: float, dphi_b: float) -> float:
    """Minimizer of the cubic that matches φ and φ' at α = a and α = b (N&W eq. 3.59).

    With a = α_{i−1}, b = α_i:
        d1 = φ'(a) + φ'(b) − 3 (φ(a) − φ(b)) / (a − b)
        d2 = sign(b − a) √(d1² − φ'(a) φ'(b))
        α  = b − (b − a) [φ'(b) + d2 − d1] / [φ'(b) − φ'(a) + 2 d2]
    The square root is taken after dividing by s = max(|d1|, |φ'(a)|, |φ'(b)|), so that huge slopes
    (badly scaled problems) do not overflow. Returns NaN when the cubic has no local minimizer
    (negative radicand) or the formula breaks down (zero denominator, non-finite input).
    Plain scalar code, so that linesearch_numba.py compiles this very function (callers here
    silence NumPy's overflow warnings around it).
    """
    d1 = dphi_a + dphi_b - 3.0 * (phi_a - phi_b) / (a - b)
    s = max(abs(d1), abs(dphi_a), abs(dphi_b))
    if not math.isfinite(s) or s == 0.0:
        return math.nan
    radicand = (d1 / s) ** 2 - (dphi_a / s) * (dphi_b / s)
    if radicand < 0.0:
        return math.nan
    d2 = math.copysign(s * math.sqrt(radicand), b - a)
    denominator = dphi_b - dphi_a + 2.0 * d2
    if denominator == 0.0:
        return math.nan
    return b - (b - a) * (dphi_b + d2 - d1) / denominator


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
    Plain scalar code (linesearch_numba.py compiles this very function).
    """
    delta = b - a
    lower = b + EXTRAPOLATION[0] * delta
    upper = b + EXTRAPOLATION[1] * delta
    step = upper
    if abs(dphi_b) < abs(dphi_a):  # case 3
        secant = b + dphi_b * delta / (dphi_a - dphi_b)
        if math.isfinite(cubic) and cubic > b:
            step = cubic
        if math.isfinite(secant) and secant > step:
            step = secant
    return min(max(step, lower), upper, alpha_max)


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

    Plain scalar code, so that linesearch_numba.py compiles this very function (callers here
    silence NumPy's overflow warnings around it).
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
            return min(max(alpha, a + SAFEGUARD * w), b - SAFEGUARD * w)
    return a + 0.5 * w


def _trial_step(lo: _Trial, hi: _Trial) -> float:
    """:func:`_interpolation_step` for two trials."""
    with np.errstate(all="ignore"):
        cubic = _cubic_minimizer(lo.alpha, lo.phi, lo.dphi, hi.alpha, hi.phi, hi.dphi)
        return _interpolation_step(lo.alpha, lo.phi, lo.dphi, hi.alpha, hi.phi, hi.dphi, cubic)


def _zoom(phi: _LineFunction, cond: _Conditions, lo: _Trial, hi: _Trial, iterations_left: int):
    """N&W Algorithm 3.6. Invariants: the bracket between α_lo and α_hi contains strong Wolfe
    steps; α_lo has the lowest φ among the steps met that satisfy sufficient decrease; and
    φ'(α_lo)(α_hi − α_lo) < 0. Returns (accepted trial or None, message)."""
    for _ in range(iterations_left):
        alpha_j = _trial_step(lo, hi)
        if alpha_j in (lo.alpha, hi.alpha):  # the bracket is below the spacing of floats
            return None, message("unsplittable", lo.alpha, hi.alpha)
        t = phi(alpha_j)
        if not cond.sufficient_decrease(t) or t.phi >= lo.phi:
            hi = t
        else:
            if cond.curvature(t):
                return t, message("wolfe")
            if t.dphi * (hi.alpha - lo.alpha) >= 0:
                hi = lo
            lo = t
    return None, message("zoom_maxiter", min(lo.alpha, hi.alpha), max(lo.alpha, hi.alpha))


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

    dphi0, not_descent = _slope(g0, p)
    if not_descent:
        return _failure(x, f0, g0, None, not_descent)

    phi = _LineFunction(fg, x, p)
    cond = _Conditions(f0, dphi0, c1, c2)
    previous = _Trial(0.0, x, f0, dphi0, g0)  # α_0 = 0
    alpha = alpha0
    for i in range(1, maxiter + 1):
        current = phi(alpha)  # φ(α_i), φ'(α_i)
        if not cond.sufficient_decrease(current) or (i > 1 and current.phi >= previous.phi):
            found, text = _zoom(phi, cond, previous, current, maxiter - i)
            break
        if cond.curvature(current):
            return _success(current, phi.nfev, message("wolfe"))
        if current.dphi >= 0:
            found, text = _zoom(phi, cond, current, previous, maxiter - i)
            break
        if alpha >= alpha_max:
            return _failure(x, f0, g0, phi, message("alpha_max", alpha_max))
        with np.errstate(all="ignore"):
            cubic = _cubic_minimizer(previous.alpha, previous.phi, previous.dphi, current.alpha, current.phi, current.dphi)
            alpha = _extrapolation_step(previous.alpha, previous.dphi, current.alpha, current.dphi, cubic, alpha_max)
        previous = current
    else:
        return _failure(x, f0, g0, phi, message("bracket_maxiter", alpha, m=maxiter))

    if found is None:
        return _failure(x, f0, g0, phi, text)
    return _success(found, phi.nfev, text)


# -- Armijo backtracking: N&W Algorithm 3.1 ---------------------------------------------------------


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

    dphi0, not_descent = _slope(g0, p)
    if not_descent:
        return _failure(x, f0, g0, None, not_descent)

    phi = _LineFunction(fg, x, p)
    cond = _Conditions(f0, dphi0, c1, 1.0)
    alpha = alpha0
    for k in range(maxiter):
        if k > 0:
            alpha *= rho  # α ← ρ α
        t = phi(alpha)
        if cond.sufficient_decrease(t):
            return _success(t, phi.nfev, message("armijo"))
    return _failure(x, f0, g0, phi, message("armijo_maxiter", alpha, m=maxiter))
