"""The objective as an optimizer sees it: f, ∇f and (optionally) ∇²f behind counters and checks.

``minimize`` accepts a callable with ``jac``/``hess`` callables (or ``jac=True`` when the callable
returns ``(f, g)``), a :class:`~refopt.functions.TestFunction`, or a test function's name. This
module turns any of them into one :class:`Objective` so that every method sees the same thing:
``fg(x) -> (f, g)`` and ``hess(x) -> H``, with the counts nfev / njev / nhev that scipy reports,
shapes checked on the first call, and non-finite values reported (never silently used).
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
    """

    def __init__(self, fun, n: int, jac=None, hess=None, args: tuple = ()):
        from ..functions import TestFunction, get

        if isinstance(fun, str):
            try:
                fun = get(fun, n=n)
            except ValueError as exc:
                raise ValueError(f"fun = {fun!r} with x0 of {n} entries: {exc}") from None
        if isinstance(fun, TestFunction):
            if fun.n != n:
                raise ValueError(f"x0 has {n} entries but {fun.name} was built for n = {fun.n}")
            if jac is not None or hess is not None:
                raise ValueError("a TestFunction brings its own jac and hess: pass neither")
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
        self.n = n
        self._f, self._jac, self._hess, self._args = f, jac, hess, tuple(args)
        self.nfev = self.njev = self.nhev = 0

    @property
    def has_hess(self) -> bool:
        return self._hess is not None

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


def _scalar(f) -> float:
    a = real_result(f, "fun")
    if a.size != 1:
        raise ValueError(f"fun must return a scalar, got shape {a.shape}")
    return float(a.reshape(()))
