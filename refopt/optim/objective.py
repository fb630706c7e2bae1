"""The objective as an optimizer sees it: f, ∇f and (optionally) ∇²f behind counters and checks.

``minimize`` accepts a callable with ``jac``/``hess``/``hessp`` callables (or ``jac=True`` when the
callable returns ``(f, g)``), a :class:`~refopt.functions.TestFunction`, a test function's name, or a
**differentiable objective**: any object with the methods

    value_and_grad(x) -> (f, g)       hvp(x, v) -> ∇²f(x) v
    hess(x) -> ∇²f(x)   (optional)    third(x, v) -> ∇³f(x)[v, v, v]   (optional)
    summary(x, V) -> V ∇²f(x) Vᵀ for the rows of V (optional; else from hvp row by row)

and optionally an attribute ``groups`` (a partition of the indices, the default groups of
partition Newton) — :class:`refopt.nn.NetworkObjective` is one. This module turns any of them into
one :class:`Objective` so that every method sees the same thing: ``fg(x) -> (f, g)``,
``hess(x) -> H``, ``hvp(x, v)`` and ``third(x, v)`` where the source offers them, with the counts
nfev / njev / nhev that scipy reports, shapes checked on every call, and non-finite values
reported (never silently used).
"""
from __future__ import annotations

import numpy as np

from ..arguments import real_result

__all__ = ["Objective"]


class Objective:
    """f, ∇f and ∇²f of one problem, counted and checked.

    Parameters
    ----------
    fun : callable f(x, *args) -> float (or -> (f, g) with ``jac=True``), a TestFunction, or the
        name of one (then its hand-derived gradient and Hessian are used).
    n : the dimension of x.
    jac : callable g(x, *args) -> (n,), True, or None (None is an error: refopt does not guess
        derivatives by finite differences inside an optimizer).
    hess : callable H(x, *args) -> (n, n), or None.
    hessp : callable hessp(x, v, *args) -> ∇²f(x) v (n,), or None (scipy's name).
    """

    def __init__(self, fun, n: int, jac=None, hess=None, args: tuple = (), hessp=None):
        from ..functions import TestFunction, get

        self._third, self._summary, self.groups = None, None, None
        if _differentiable(fun):
            if jac is not None or hess is not None or hessp is not None or args:
                raise ValueError(f"{type(fun).__name__} brings its own derivatives: pass no jac, hess, hessp or args")
            obj = fun
            fun, jac, hessp = obj.value_and_grad, True, (lambda x, v: obj.hvp(x, v))
            hess = getattr(obj, "hess", None)
            self._third = getattr(obj, "third", None)
            self._summary = getattr(obj, "summary", None)
            self.groups = getattr(obj, "groups", None)
        if isinstance(fun, str):
            try:
                fun = get(fun, n=n)
            except ValueError as exc:
                raise ValueError(f"fun = {fun!r} with x0 of {n} entries: {exc}") from None
        if isinstance(fun, TestFunction):
            if fun.n != n:
                raise ValueError(f"x0 has {n} entries but {fun.name} was built for n = {fun.n}")
            if jac is not None or hess is not None or hessp is not None:
                raise ValueError("a TestFunction brings its own jac and hess: pass no jac, hess or hessp")
            if args:
                raise ValueError(f"a TestFunction takes no args; got args of length {len(args)}")
            self.test_function = fun
            f, jac, hess, args = fun.f, fun.grad, fun.hess, ()
        elif callable(fun):
            self.test_function = None
            f = fun
        else:
            raise TypeError(f"fun must be a callable, a TestFunction or a name, got {type(fun).__name__}")
        if jac is None:
            raise ValueError("jac is required: a callable returning the gradient, or True if fun returns (f, g)")
        if not (jac is True or callable(jac)):
            raise TypeError(f"jac must be a callable or True, got {jac!r}")
        if hess is not None and not callable(hess):
            raise TypeError(f"hess must be a callable or None, got {type(hess).__name__}")
        if hessp is not None and not callable(hessp):
            raise TypeError(f"hessp must be a callable or None, got {type(hessp).__name__}")
        self.n = n
        self._f, self._jac, self._hess, self._hessp, self._args = f, jac, hess, hessp, tuple(args)
        self.nfev = self.njev = self.nhev = 0

    @property
    def has_hess(self) -> bool:
        return self._hess is not None

    @property
    def has_hvp(self) -> bool:
        """Whether Hessian–vector products come without forming ∇²f (``hessp`` or an objective's ``hvp``)."""
        return self._hessp is not None

    @property
    def has_third(self) -> bool:
        return self._third is not None

    def hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """∇²f(x) v, shape (n,) (counted by the caller)."""
        out = real_result(self._hessp(x, v, *self._args), "the Hessian-vector product (hessp)")
        out = out.reshape(-1) if out.ndim <= 1 else out
        if out.shape != (self.n,):
            raise ValueError(f"the Hessian-vector product must have shape ({self.n},), got {np.shape(out)}")
        return out

    def summary(self, x: np.ndarray, V: np.ndarray) -> np.ndarray:
        """V ∇²f(x) Vᵀ for the rows of V (k × n): the objective's own ``summary`` where it has one
        (a network records its forward pass once for all rows), else one product per row."""
        if self._summary is not None:
            out = real_result(self._summary(x, V), "the curvature summary (summary)")
            if out.shape != (V.shape[0], V.shape[0]):
                raise ValueError(f"the curvature summary must have shape {(V.shape[0],) * 2}, got {out.shape}")
            return out
        return V @ np.stack([self.hvp(x, v) for v in V]).T

    def third(self, x: np.ndarray, v: np.ndarray) -> float:
        """∇³f(x)[v, v, v], the third derivative of t ↦ f(x + t v) at 0 (counted by the caller)."""
        out = real_result(self._third(x, v), "the third directional derivative (third)")
        if out.size != 1:
            raise ValueError(f"the third directional derivative must be a scalar, got shape {out.shape}")
        return float(out.reshape(()))

    def fg(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """(f(x), ∇f(x)); counts one function and one gradient evaluation."""
        self.nfev += 1
        self.njev += 1
        # Overflow at a trial point is expected and handled (non-finite values end a line
        # search step or the run, with a message); NumPy's warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self._jac is True:
                out = self._f(x, *self._args)
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise ValueError("with jac=True, fun must return a pair (f, g)")
                f, g = out
            else:
                f = self._f(x, *self._args)
                g = self._jac(x, *self._args)
        f = _scalar(f)
        g = real_result(g, "the gradient (jac)")
        g = g.reshape(-1) if g.ndim <= 1 else g
        if g.shape != (self.n,):
            raise ValueError(f"the gradient must have shape ({self.n},), got {np.shape(g)}")
        return f, g

    def hess(self, x: np.ndarray) -> np.ndarray:
        """∇²f(x), shape (n, n); counts one Hessian evaluation."""
        if self._hess is None:
            raise ValueError("this method needs the Hessian: pass hess=callable")
        self.nhev += 1
        H = real_result(self._hess(x, *self._args), "the Hessian (hess)")
        if H.shape != (self.n, self.n):
            raise ValueError(f"the Hessian must have shape ({self.n}, {self.n}), got {H.shape}")
        return H


    def exact_hessian(self, x: np.ndarray) -> np.ndarray:
        """∇²f(x) for diagnostics (the trace's Hessian-estimate error); not counted in nhev."""
        return np.asarray(self._hess(x, *self._args), dtype=np.float64)


def _differentiable(fun) -> bool:
    """Whether ``fun`` is a differentiable objective (module docstring): value_and_grad and hvp."""
    return callable(getattr(fun, "value_and_grad", None)) and callable(getattr(fun, "hvp", None))


def _scalar(f) -> float:
    a = real_result(f, "fun")
    if a.size != 1:
        raise ValueError(f"fun must return a scalar, got shape {a.shape}")
    return float(a.reshape(()))
