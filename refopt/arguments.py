"""The argument checks every public entry point uses: one line per refusal, naming the argument,
what was given (type, and shape for arrays) and what is allowed.

    TypeError   the kind is wrong: a string for a number, a float where an int is required, a
                bool for a number, complex numbers, a non-callable where a function is expected;
    ValueError  the kind is right, the value is not: out of range, NaN or inf, a wrong shape or
                length, an unknown name.

Nothing is coerced silently: 2.7 is not an int, True is not 1, complex is not real.
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Callable, Sequence

import numpy as np

__all__ = ["describe", "integer", "real", "flag", "choice", "real_array", "real_result", "seed",
           "function", "options_dict", "args_tuple"]


def describe(value) -> str:
    """What was given, for a message: ``float 2.7``, ``str 'abc'``, ``ndarray complex128 (3,)``."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.dtype} of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def integer(value, name: str, low: int | None = None, high: int | None = None,
            allow_none: bool = False) -> int | None:
    """An int (NumPy integers too) in [low, high]; None where allowed."""
    if value is None and allow_none:
        return None
    what = "an int" + (" or None" if allow_none else "")
    if not _is_int(value):
        raise TypeError(f"{name} must be {what}; got {describe(value)}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        lo = "" if low is None else f"{low} <= "
        hi = "" if high is None else f" <= {high}"
        raise ValueError(f"{name} must be an int with {lo}{name}{hi}; got {v}")
    return v


def real(value, name: str, low: float = -math.inf, high: float = math.inf, *, low_open: bool = False,
         high_open: bool = False, allow_none: bool = False, allow_inf: bool = False) -> float | None:
    """A real number (ints and NumPy scalars too, not bools) in the interval; finite unless
    ``allow_inf``; None where allowed."""
    if value is None and allow_none:
        return None
    if not _is_real(value):
        what = "a real number" + (" or None" if allow_none else "")
        raise TypeError(f"{name} must be {what}; got {describe(value)}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{name} must be a finite number; got {v}")
    ok = (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}; got {v:g}")
    return v


def flag(value, name: str) -> bool:
    """True or False (NumPy's bool too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def choice(value, name: str, allowed: Sequence, none: bool = False):
    """One of ``allowed`` (strings compared exactly; None where ``none`` or listed)."""
    shown = ", ".join(repr(a) for a in allowed) + (", None" if none else "")
    if value is None:
        if none or None in allowed:
            return None
        raise TypeError(f"{name} must be one of {shown}; got None")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {shown}; got {describe(value)}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return value


def real_array(value, name: str, shape: tuple | None = None, finite: bool = True,
               ndim: int | None = None, min_size: int = 1) -> np.ndarray:
    """A real array as C-contiguous float64 (lists and ints converted; bools, complex, strings
    and objects refused). ``shape`` may hold None for a free axis; ``ndim`` checks the rank only."""
    if callable(value) and not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be an array of real numbers; got {describe(value)}")
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers; got {describe(value)} "
                        f"(not a rectangular array)") from None
    if a.dtype.kind not in "iuf":
        kind = {"b": "booleans", "c": "complex numbers"}.get(a.dtype.kind, f"dtype {a.dtype}")
        raise TypeError(f"{name} must be an array of real numbers; got {kind} "
                        f"({describe(value) if not isinstance(value, np.ndarray) else a.dtype})")
    if shape is not None:
        if a.ndim != len(shape) or any(s is not None and s != k for s, k in zip(shape, a.shape)):
            want = "(" + ", ".join("N" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
            raise ValueError(f"{name} must have shape {want}; got shape {a.shape}")
    elif ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D; got shape {a.shape}")
    if a.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} entr{'y' if min_size == 1 else 'ies'}; "
                         f"got shape {a.shape}")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if finite and not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite; it has {int(np.sum(~np.isfinite(a)))} NaN or inf entries")
    return a


def real_result(value, what: str) -> np.ndarray:
    """What a user's function returned, as float64; complex, boolean or non-numeric results are
    refused (never cast: a complex gradient would lose its imaginary part silently)."""
    out = np.asarray(value)
    if out.dtype.kind not in "iuf":
        raise TypeError(f"{what} must return real numbers; got dtype {out.dtype}")
    return out.astype(np.float64)


def seed(value, name: str = "seed", generator: bool = False):
    """None or an int >= 0 (a seed for numpy.random.default_rng); a numpy Generator too where
    ``generator``."""
    if generator and isinstance(value, np.random.Generator):
        return value
    if value is not None and not _is_int(value):
        what = "None, an int >= 0" + (" or a numpy.random.Generator" if generator else "")
        raise TypeError(f"{name} must be {what}; got {describe(value)}")
    return integer(value, name, low=0, allow_none=True)


def function(value, name: str, allow_none: bool = False) -> Callable | None:
    if value is None and allow_none:
        return None
    if not callable(value):
        raise TypeError(f"{name} must be callable{' or None' if allow_none else ''}; got {describe(value)}")
    return value


def options_dict(value, name: str = "options") -> dict:
    """None or a dict with string keys, as a new dict."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict or None; got {describe(value)}")
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise TypeError(f"{name} keys must be strings; got {describe(bad[0])}")
    return dict(value)


def args_tuple(value, name: str = "args") -> tuple:
    """A tuple of extra arguments (a list is refused: scipy's convention is a tuple)."""
    if not isinstance(value, tuple):
        raise TypeError(f"{name} must be a tuple of extra arguments; got {describe(value)}")
    return value
