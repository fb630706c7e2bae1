"""The line searches of :mod:`refopt.optim.linesearch`, compiled: the twin the Numba loops call.

Same algorithms, same constants, same order of operations (N&W Alg. 3.5 + 3.6 with Moré–Thuente's
extrapolation and the safeguarded interpolation of eq. 3.59; Alg. 3.1 backtracking) — read
:mod:`refopt.optim.linesearch` for the mathematics; this file only restates it without Python
objects, and compiles the scalar step rules of that module (the cubic, the extrapolation and the
interpolation step) from their very source, so that both searches compute the same trial steps. The objective is a test
function's kernels ``fk(x, prm, out)`` / ``gk(x, prm, g)`` (first-class function arguments, see
``Spec.jit``). A trial is the triple (α, φ(α), φ'(α)); only the newest trial's point and gradient
are kept (in ``x_t``, ``g_t``), because an accepted step is always the newest trial.

Each search returns ``(code, alpha, f, nfev, a, b, nonfinite)``: ``code`` indexes
:data:`refopt.optim.linesearch.MESSAGES` (0 and 1 are successes), ``a``, ``b`` are the numbers of
its message, ``nonfinite`` whether a trial met a non-finite value; on success ``x_t``, ``g_t``
hold the accepted point and its gradient. tests/test_numba_path.py holds these equal to the
plain searches.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .linesearch import CODE
from .linesearch import _cubic_minimizer as _cubic_minimizer_py
from .linesearch import _extrapolation_step as _extrapolation_step_py
from .linesearch import _interpolation_step as _interpolation_step_py

WOLFE, ARMIJO = CODE["wolfe"], CODE["armijo"]
NOT_DESCENT, SLOPE_OVERFLOW = CODE["not_descent"], CODE["slope_overflow"]
UNSPLITTABLE, ZOOM_MAXITER = CODE["unsplittable"], CODE["zoom_maxiter"]
ALPHA_MAX, BRACKET_MAXITER, ARMIJO_MAXITER = CODE["alpha_max"], CODE["bracket_maxiter"], CODE["armijo_maxiter"]

_jit = njit(cache=True, error_model="numpy")  # IEEE division (inf/NaN), as NumPy does


@_jit
def evaluate(fk, gk, prm, x, g, out):
    """f(x) into the return value and ∇f(x) into g (one evaluation)."""
    fk(x, prm, out)
    gk(x, prm, g)
    return out[0]


@_jit
def _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out):
    """φ(α), φ'(α) at x_t = x + αp (g_t = ∇f(x_t)); (NaN, NaN, False) without an evaluation when
    x_t is not finite. Returns (φ, φ', evaluated)."""
    for i in range(x.size):
        x_t[i] = x[i] + alpha * p[i]
    if not np.all(np.isfinite(x_t)):
        return math.nan, math.nan, False
    f = evaluate(fk, gk, prm, x_t, g_t, out)
    return f, np.dot(g_t, p), True


@_jit
def _finite(phi, dphi):
    return math.isfinite(phi) and math.isfinite(dphi)


# The scalar step rules of linesearch.py, compiled from their very source:
_cubic_minimizer = _jit(_cubic_minimizer_py)  # N&W eq. 3.59
_extrapolation_step = _jit(_extrapolation_step_py)  # bracketing: Moré–Thuente's extrapolation
_interpolation_step = _jit(_interpolation_step_py)  # zoom: safeguarded cubic / M–T case 1


@_jit
def _trial_step(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi):
    """linesearch._trial_step: the cubic of eq. 3.59, then the safeguarded interpolation step."""
    cubic = _cubic_minimizer(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi)
    return _interpolation_step(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi, cubic)


@_jit
def _refusal(dphi0):
    """linesearch._slope: the code of the refusal when φ'(0) = g0ᵀp is not a finite negative
    number (p not a descent direction), else −1."""
    if not math.isfinite(dphi0):
        return SLOPE_OVERFLOW
    if dphi0 >= 0:
        return NOT_DESCENT
    return -1


@_jit
def strong_wolfe(fk, gk, prm, x, p, f0, g0, alpha0, c1, c2, alpha_max, maxiter, x_t, g_t, out):
    """N&W Algorithm 3.5 with the zoom of Algorithm 3.6 (twin of linesearch.strong_wolfe)."""
    dphi0 = np.dot(g0, p)
    refused = _refusal(dphi0)
    if refused >= 0:
        return refused, 0.0, f0, 0, dphi0, math.nan, False
    nfev = 0
    nonfinite = False
    prev_a, prev_phi, prev_dphi = 0.0, f0, dphi0
    alpha = alpha0
    zoom = False
    for i in range(1, maxiter + 1):
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        sufficient = finite and phi <= f0 + c1 * alpha * dphi0
        if not sufficient or (i > 1 and phi >= prev_phi):
            lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi = prev_a, prev_phi, prev_dphi, alpha, phi, dphi
            zoom = True
            break
        if abs(dphi) <= c2 * abs(dphi0):
            return WOLFE, alpha, phi, nfev, math.nan, math.nan, nonfinite
        if dphi >= 0:
            lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi = alpha, phi, dphi, prev_a, prev_phi, prev_dphi
            zoom = True
            break
        if alpha >= alpha_max:
            return ALPHA_MAX, 0.0, f0, nfev, alpha_max, math.nan, nonfinite
        cubic = _cubic_minimizer(prev_a, prev_phi, prev_dphi, alpha, phi, dphi)
        next_alpha = _extrapolation_step(prev_a, prev_dphi, alpha, dphi, cubic, alpha_max)
        prev_a, prev_phi, prev_dphi = alpha, phi, dphi
        alpha = next_alpha
    if not zoom:
        return BRACKET_MAXITER, 0.0, f0, nfev, alpha, math.nan, nonfinite
    for _ in range(maxiter - i):  # the zoom (Alg. 3.6)
        alpha_j = _trial_step(lo_a, lo_phi, lo_dphi, hi_a, hi_phi, hi_dphi)
        if alpha_j == lo_a or alpha_j == hi_a:
            return UNSPLITTABLE, 0.0, f0, nfev, lo_a, hi_a, nonfinite
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha_j, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        sufficient = finite and phi <= f0 + c1 * alpha_j * dphi0
        if not sufficient or phi >= lo_phi:
            hi_a, hi_phi, hi_dphi = alpha_j, phi, dphi
        else:
            if finite and abs(dphi) <= c2 * abs(dphi0):
                return WOLFE, alpha_j, phi, nfev, math.nan, math.nan, nonfinite
            if dphi * (hi_a - lo_a) >= 0:
                hi_a, hi_phi, hi_dphi = lo_a, lo_phi, lo_dphi
            lo_a, lo_phi, lo_dphi = alpha_j, phi, dphi
    return ZOOM_MAXITER, 0.0, f0, nfev, min(lo_a, hi_a), max(lo_a, hi_a), nonfinite


@_jit
def armijo(fk, gk, prm, x, p, f0, g0, alpha0, c1, rho, maxiter, x_t, g_t, out):
    """N&W Algorithm 3.1, geometric backtracking (twin of linesearch.armijo)."""
    dphi0 = np.dot(g0, p)
    refused = _refusal(dphi0)
    if refused >= 0:
        return refused, 0.0, f0, 0, dphi0, math.nan, False
    nfev = 0
    nonfinite = False
    alpha = alpha0
    for k in range(maxiter):
        if k > 0:
            alpha *= rho
        phi, dphi, evaluated = _phi(fk, gk, prm, x, p, alpha, x_t, g_t, out)
        nfev += evaluated
        finite = _finite(phi, dphi)
        nonfinite |= not finite
        if finite and phi <= f0 + c1 * alpha * dphi0:
            return ARMIJO, alpha, phi, nfev, math.nan, math.nan, nonfinite
    return ARMIJO_MAXITER, 0.0, f0, nfev, alpha, math.nan, nonfinite
