"""The options of every method, checked once: one schema of the common options and each method's.

A method's file declares its table ``OPTIONS`` (name → (default, rule)): :data:`COMMON` and its own
entries, built from the rules below. ``check(method, table, options, n)`` returns the complete
options (defaults filled in) or raises TypeError / ValueError naming the option, what was given
and what is allowed. ``minimize`` calls it before choosing the plain or the compiled run, so both
runs see the same checked values. The tables, in short:

====================  ===============  ================================================================
option                default          allowed
====================  ===============  ================================================================
gtol                  1e-5             real >= 0: stop when ‖∇f‖ <= gtol
norm                  inf              real >= 1, or ±inf: the norm of that test
maxiter               None (200 n)     None or int in [0, 2⁶²]
c1, c2                1e-4, 0.9        reals in (0, 1) with c1 < c2 (line-search constants)
step                  1.0              real > 0: the fixed step without a line search
trace, disp, numba    False, False,    True or False (numba: compiled loop for test functions)
                      True
bounds                None             None or (lo, hi): reals or arrays of shape (n,), lo <= hi
bfgs: update, h0      "skip",          "skip" | "damped";  "scaled" | "identity"
                      "scaled"
newton: modify, eps   "saddle-free",   "saddle-free" | "lm";  real in (0, 1)
                      1e-8
partition-newton:     groups None,     groups: None or index lists partitioning 0 … n−1; damping > 0;
                      damping 1,       ridge >= 0; momentum, ema: None or real in (0, 1);
                      ridge 0, ...     lambda_int: None or real > 0; clip: flag; refresh: int >= 1
ogr*: beta            None             None or real in (0, 1)
ogr*: eps, eps_l      1e-12, 1e-6      reals in (0, 1] (eps_l: [0, 1], 0 = no floor)
ogr*: eps_scale       "relative"       "relative" | "absolute"
ogr*: lr              1.0              real > 0 (ogr methods take lr where others take step)
ogr*: max_step        1.0              real > 0, inf allowed (no cap)
ogr*: cap             "direction"      "direction" (‖Δ‖ before lr / search) | "step" (‖x⁺ − x‖ after)
ogr*: momentum        None             None or real in (0, 1]
ogr, ogr-diag: init   "first-sample"   "first-sample" | "prior" (ogr-subspace: "first-sample")
ogr-subspace: d       None (min(5,n))  None or int in [1, n]
ogr-subspace: eta     1.0              real > 0
ogr-subspace: lr_out  None             None or real > 0
====================  ===============  ================================================================
"""
from __future__ import annotations

import math

import numpy as np

from .. import arguments as a

__all__ = ["check", "COMMON", "UNIT_OPEN", "real", "choice", "flag", "dimension"]


def real(**limits):
    """The rule: a real number within ``limits`` (those of refopt.arguments.real)."""
    return lambda v, name, n: a.real(v, name, **limits)


def choice(*allowed):
    """The rule: one of ``allowed``."""
    return lambda v, name, n: a.choice(v, name, allowed)


def flag(v, name, n):
    """The rule: True or False."""
    return a.flag(v, name)


def dimension(v, name, n):
    """The rule: None or an int in [1, n]."""
    return a.integer(v, name, low=1, high=n, allow_none=True)


def _maxiter(v, name, n):
    return a.integer(v, name, low=0, high=2**62, allow_none=True)  # the compiled loop counts in int64


def _norm(v, name, n):
    value = a.real(v, name, allow_inf=True)
    if not (value >= 1 or value == -math.inf):
        raise ValueError(f"{name} must be a real >= 1 or ±inf; got {value:g}")
    return value


def _bounds(v, name, n):
    if v is None:
        return None
    if not isinstance(v, (tuple, list)) or len(v) != 2:
        raise TypeError(f"{name} must be None or a pair (lo, hi); got {a.describe(v)}")
    lo, hi = (_bound(b, f"{name}[{k}]", n) for k, b in enumerate(v))
    if np.any(np.isnan(lo)) or np.any(np.isnan(hi)) or np.any(lo > hi):
        raise ValueError(f"{name} needs lo <= hi in every coordinate (no NaN)")
    return lo, hi


def _bound(b, name, n):
    arr = a.real_array(b, name, finite=False)
    if np.ndim(b) == 0:
        arr = arr.reshape(())  # a scalar bound holds for every coordinate
    if arr.shape not in ((), (n,)):
        raise ValueError(f"{name} must be a real or an array of shape ({n},); got shape {arr.shape}")
    return np.broadcast_to(arr, (n,)).copy()


UNIT_OPEN = real(low=0.0, high=1.0, low_open=True, high_open=True)
"""The rule: a real in (0, 1)."""

COMMON = {
    "gtol": (1e-5, real(low=0.0)),
    "norm": (np.inf, _norm),
    "maxiter": (None, _maxiter),
    "c1": (1e-4, UNIT_OPEN),
    "c2": (0.9, UNIT_OPEN),
    "step": (1.0, real(low=0.0, low_open=True)),
    "trace": (False, flag),
    "disp": (False, flag),
    "bounds": (None, _bounds),
    "numba": (True, flag),
}
"""The options every method shares (the OGR family names the fixed step ``lr`` instead of ``step``)."""


def check(method: str, table: dict, options, n: int) -> dict:
    """Every option of ``method`` (its ``table``) checked, type and range, and the defaults filled in."""
    given = a.options_dict(options)
    unknown = sorted(set(given) - set(table))
    if unknown:
        raise ValueError(f"unknown options for {method}: {unknown}; allowed: {sorted(table)}")
    out = {}
    for key, (default, rule) in table.items():
        out[key] = rule(given.get(key, default), f"options['{key}']", n)
    if not out["c1"] < out["c2"]:
        raise ValueError(f"options c1 < c2 required; got c1 = {out['c1']:g}, c2 = {out['c2']:g}")
    return out
