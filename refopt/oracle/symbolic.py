"""The symbolic twin of each test function: a definition, and f, ∇f, ∇²f derived from it.

A definition is written once from the literature (the formula and the data tables of the paper,
not from refopt's kernels) against a symbolic module ``S`` — SymPy or SymEngine, whose
expressions share one API — so the same source can be differentiated by either. The golden
values use SymEngine: SymPy takes over 30 s for the Hessian of Osborne 2
alone, SymEngine 0.1 s, and the catalog test regenerates every function. A test holds SymEngine's
derivatives equal to SymPy's on the smaller functions.

Definitions are registered by name with :func:`define` (least-squares problems return their
residuals, ``f = Σ r_i²``; the others return f) and looked up with :func:`derivatives`.
Every number in a definition is exact: data tables are decimal strings read as rationals
(``dec("1.366") = 1366/1000``), so the truth is the function of the printed data, and a float64
implementation is held to it with the rounding of its data counted in its error scale.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable

__all__ = ["define", "definition", "derivatives", "dec", "Derivatives", "DEFINITIONS"]


@dataclass(frozen=True)
class Definition:
    name: str
    build: Callable  # (S, x, n, m) -> residual list (least squares) or f
    least_squares: bool


DEFINITIONS: dict[str, Definition] = {}


def define(name: str, least_squares: bool = False):
    """Register ``build(S, x, n, m)`` as the symbolic definition of the function ``name``."""

    def register(build):
        if name in DEFINITIONS:
            raise ValueError(f"symbolic definition of {name!r} given twice")
        DEFINITIONS[name] = Definition(name, build, least_squares)
        return build

    return register


def dec(S, text: str):
    """The exact rational value of a decimal string, as a symbolic number of module ``S``."""
    q = Fraction(text)
    return S.Rational(q.numerator, q.denominator)


def _load():
    from . import classic, mgh  # noqa: F401  (their modules call define())


def definition(name: str) -> Definition:
    _load()
    if name not in DEFINITIONS:
        raise ValueError(f"no symbolic definition of {name!r}")
    return DEFINITIONS[name]


def symbols(S, n: int) -> list:
    return [S.Symbol(f"x{i + 1}") for i in range(n)]


def objective(S, name: str, n: int, m: int | None):
    """(symbols, f) of ``name`` at (n, m) in module S."""
    d = definition(name)
    x = symbols(S, n)
    out = d.build(S, x, n, m)
    if d.least_squares:
        if m is not None and len(out) != m:
            raise AssertionError(f"{name}: {len(out)} residuals, expected m = {m}")
        out = S.Add(*[r**2 for r in out])
    return x, S.sympify(out)


@dataclass(frozen=True)
class Derivatives:
    """f, ∇f and the lower triangle of ∇²f (``hess[i][j]``, j <= i) of one function at (n, m)."""

    x: list
    f: object
    grad: list
    hess: list


@lru_cache(maxsize=None)
def derivatives(name: str, n: int, m: int | None) -> Derivatives:
    """f, ∇f, ∇²f of ``name`` derived by SymEngine (cached per process)."""
    import symengine as se

    x, f = objective(se, name, n, m)
    grad = [f.diff(xi) for xi in x]
    hess = [[grad[i].diff(x[j]) for j in range(i + 1)] for i in range(n)]
    return Derivatives(x, f, grad, hess)
