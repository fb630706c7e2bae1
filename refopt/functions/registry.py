"""The registry of standard test functions: the ``TestFunction`` record, ``get`` and ``names``.

Every function is declared once, by the module that derives it, with :func:`register`. A
declaration carries three hand-derived kernels written for a *single point* and the metadata
(x0, x*, f*, bounds, source). The kernels have the shape of a NumPy generalized ufunc::

    f(x, p, out)      out[0] = f(x)           layout (n),(q)->()
    grad(x, p, g)     g[:]   = ∇f(x)          layout (n),(q)->(n)
    hess(x, p, H)     H[:,:] = ∇²f(x)         layout (n),(q)->(n,n)   (every entry written)

``p`` is a float64 vector of the function's parameters (by default ``[m]``, the number of
residuals of a least-squares problem). Numba compiles each kernel into a ``guvectorize``d gufunc
the first time it is used (``cache=True``), so the very same code serves one point ``x`` of shape
(n,) and a batch ``X`` of shape (N, n): NumPy's gufunc loop does the batching, with no Python
loop and no per-point allocation of the outputs. Kernels of functions flagged ``analytic`` are
also compiled for complex128 input: the complex-step method of :mod:`refopt.verify` checks the
hand derivation against them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..arguments import choice, real_array

__all__ = ["TestFunction", "register", "get", "names", "specs"]

# (layout, real signature, complex signature) per kind of kernel.
_LAYOUT = {
    "f": "(n),(q)->()",
    "grad": "(n),(q)->(n)",
    "hess": "(n),(q)->(n,n)",
}
_OUT_TYPE = {"f": "{t}[:]", "grad": "{t}[:]", "hess": "{t}[:, :]"}


def _signature(kind: str, dtype: str) -> str:
    return f"void({dtype}[:], float64[:], {_OUT_TYPE[kind].format(t=dtype)})"


@dataclass
class Spec:
    """How a function is declared: kernels, dimension rules and metadata (see :func:`register`)."""

    name: str
    f: Callable
    grad: Callable
    hess: Callable
    n: int
    x0: Callable[[int, int | None], np.ndarray]
    source: str
    formula: str
    m: int | None = None
    n_allowed: Callable[[int], bool] = None  # type: ignore[assignment]
    n_text: str = ""
    m_default: Callable[[int], int] | None = None
    m_allowed: Callable[[int, int], bool] | None = None
    m_text: str = ""
    xstar: Callable | None = None
    fstar: Callable | None = None
    bounds: Callable | None = None
    smooth: bool = True
    analytic: bool = True
    params: Callable[[int, int | None], np.ndarray] | None = None
    aliases: tuple[str, ...] = ()
    notes: str = ""
    local_minima: tuple = ()
    branch_points: tuple = ()
    fstar_literature: str | dict | None = None
    kind: str = "classic"
    _compiled: dict = field(default_factory=dict, repr=False)

    def kernel(self, kind: str, complex_: bool = False):
        """The gufunc of ``kind`` ('f', 'grad', 'hess'), compiled (or loaded from cache) once."""
        key = (kind, complex_)
        if key not in self._compiled:
            from numba import guvectorize

            if complex_ and not self.analytic:
                raise ValueError(f"{self.name} is not analytic: no complex-step kernel")
            sig = _signature(kind, "complex128" if complex_ else "float64")
            self._compiled[key] = guvectorize([sig], _LAYOUT[kind], cache=True)(getattr(self, kind))
        return self._compiled[key]

    def jit(self, kind: str):
        """The kernel ``kind`` as a plain ``njit`` function of C-contiguous float64 arrays, with an
        explicit signature, so that compiled optimizers (``refopt.optim.loop``) can take it
        as a first-class function argument: one compiled optimizer serves every test function, and
        both are cached on disk."""
        key = (kind, "jit")
        if key not in self._compiled:
            from numba import njit

            self._compiled[key] = njit(JIT_SIGNATURE[kind], cache=True, error_model="numpy")(getattr(self, kind))
        return self._compiled[key]


def _jit_signatures() -> dict:
    from numba import types

    vec, mat = types.float64[::1], types.float64[:, ::1]
    return {"f": types.void(vec, vec, vec), "grad": types.void(vec, vec, vec), "hess": types.void(vec, vec, mat)}


class _LazySignatures(dict):
    """JIT_SIGNATURE[kind]: the njit signature of a kernel (built on first use: imports numba)."""

    def __missing__(self, kind):
        self.update(_jit_signatures())
        return dict.__getitem__(self, kind)


JIT_SIGNATURE = _LazySignatures()

_SPECS: dict[str, Spec] = {}
_ALIASES: dict[str, str] = {}
_ordered = False


def _as_callable(value):
    """Metadata may be given as a constant or as a callable of (n, m); make it a callable."""
    if value is None or callable(value):
        return value
    return lambda *args: value


def register(
    name: str,
    *,
    f: Callable,
    grad: Callable,
    hess: Callable,
    n: int,
    x0,
    source: str,
    formula: str,
    m: int | None = None,
    n_allowed: Callable[[int], bool] | None = None,
    n_text: str | None = None,
    m_default: Callable[[int], int] | None = None,
    m_allowed: Callable[[int, int], bool] | None = None,
    m_text: str = "",
    xstar=None,
    fstar=None,
    bounds=None,
    smooth: bool = True,
    analytic: bool = True,
    params: Callable[[int, int | None], Sequence[float]] | None = None,
    aliases: Sequence[str] = (),
    notes: str = "",
    local_minima: Sequence = (),
    branch_points: Sequence = (),
    fstar_literature: str | dict | None = None,
    kind: str = "classic",
) -> Spec:
    """Declare a test function.

    Parameters
    ----------
    name, aliases : the canonical name and other names it answers to ("mgh01", ...).
    f, grad, hess : the hand-derived single-point kernels (plain Python, Numba-compilable).
    n : default dimension. ``n_allowed(n)`` says which n are allowed (default: only ``n``),
        ``n_text`` says it in words for error messages.
    m : default number of residuals for least-squares problems (None for others);
        ``m_default(n)`` gives it as a function of n, ``m_allowed(n, m)`` / ``m_text`` validate a
        user's m. A function with ``m is None`` takes no m.
    x0, xstar, fstar, bounds : constants or callables of (n, m). ``bounds`` gives (lo, hi) with
        scalars or arrays; ``xstar``/``fstar`` may return None where the literature gives none.
    smooth : derivatives exist everywhere (False for Ackley at 0, Schwefel on the axes, ...).
    analytic : the kernels accept complex input and the function is complex-analytic, so the
        complex-step derivative is exact (False when abs/max/sign are involved).
    params : callable (n, m) -> parameter vector p passed to kernels (default ``[m or 0]``).
    local_minima : other notable stationary points or limiting values (non-global minima,
        saddles a paper lists as minima, limits at infinity), each a dict
        {"f": value, "x": point or None, "note": optional words, "m": the m it holds for when
        not the default}; informative only (a test checks each recorded x is stationary).
    branch_points : points (at the default n) on each side of a piecewise definition that the
        standard points do not reach (Helical valley's x1 > 0, Gulf R&D's y_i < x2), so that
        every branch is checked and has golden values.
    fstar : f at the exact minimizer, to double precision (where x* is not exact in the
        literature it was refined in high precision; the catalog's tests hold it).
    fstar_literature : f* as the literature prints it (a string: its digits are its precision),
        or a dict {n: string} for the dimensions the literature lists.
    kind : "mgh" or "classic".
    """
    if name in _SPECS or name in _ALIASES:
        raise ValueError(f"test function {name!r} is registered twice")
    for entry in local_minima:
        if not (isinstance(entry, dict) and "f" in entry and "x" in entry):
            raise ValueError(f"{name}: local_minima entries are dicts with keys 'f' and 'x'")
    spec = Spec(
        name=name,
        f=f,
        grad=grad,
        hess=hess,
        n=n,
        x0=_as_callable(x0),
        source=source,
        formula=formula,
        m=m,
        n_allowed=n_allowed or (lambda k, _n=n: k == _n),
        n_text=n_text or (f"n = {n}" if n_allowed is None else "see docs"),
        m_default=m_default if m_default is not None else (None if m is None else (lambda k, _m=m: _m)),
        m_allowed=m_allowed,
        m_text=m_text,
        xstar=_as_callable(xstar),
        fstar=_as_callable(fstar),
        bounds=_as_callable(bounds),
        smooth=smooth,
        analytic=analytic,
        params=params,
        aliases=tuple(aliases),
        notes=notes,
        local_minima=tuple(local_minima),
        branch_points=tuple(tuple(float(v) for v in p) for p in branch_points),
        fstar_literature=fstar_literature,
        kind=kind,
    )
    global _ordered
    _SPECS[name] = spec
    _ordered = False
    for alias in spec.aliases:
        if alias in _SPECS or alias in _ALIASES:
            raise ValueError(f"alias {alias!r} of {name!r} is already taken")
        _ALIASES[alias] = name
    return spec


def _load_all() -> None:
    """Import the function packages (their modules call register()), then order the registry:
    MGH 1..35 first, then classics A-Z. Cheap after the first call."""
    global _ordered
    if _ordered:
        return
    from . import classic, mgh  # noqa: F401

    def order(spec: Spec):
        number = [int(a[3:]) for a in spec.aliases if a.startswith("mgh") and a[3:].isdigit()]
        return (0, number[0], "") if number else (1, 0, spec.name)

    ordered = sorted(_SPECS.values(), key=order)
    _SPECS.clear()
    _SPECS.update((s.name, s) for s in ordered)
    _ordered = True


def specs() -> dict[str, Spec]:
    """All declarations by canonical name (registration order: MGH 1..35, then classics)."""
    _load_all()
    return dict(_SPECS)


def names(kind: str | None = None) -> list[str]:
    """Canonical names of all test functions (``kind`` = "mgh" or "classic" to filter)."""
    _load_all()
    choice(kind, "kind", ("mgh", "classic"), none=True)
    return [s.name for s in _SPECS.values() if kind is None or s.kind == kind]


def _lookup(name: str) -> Spec:
    _load_all()
    if not isinstance(name, str):
        raise TypeError(f"a test function name must be a str, got {type(name).__name__}")
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _SPECS:
        raise ValueError(
            f"unknown test function {name!r}; known names: {', '.join(names())} "
            f"(MGH problems also answer to mgh01..mgh35)"
        )
    return _SPECS[key]


def get(name: str, n: int | None = None, m: int | None = None) -> "TestFunction":
    """The test function ``name`` in dimension ``n`` with ``m`` residuals (defaults if None)."""
    return TestFunction(_lookup(name), n, m)


def _check_int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an int, got {value!r}")
    return int(value)


class TestFunction:
    """A standard test function at a fixed (n, m), with hand-derived derivatives.

    Attributes: ``name n m x0 xstar fstar bounds source formula smooth analytic``.
    Methods: ``f(x) grad(x) hess(x)`` for one point of shape (n,), ``f_batch(X) grad_batch(X)
    hess_batch(X)`` for N points of shape (N, n). Every input is checked (shape, finiteness).
    """

    __test__ = False  # not a pytest test class

    def __init__(self, spec: Spec, n: int | None = None, m: int | None = None):
        self.spec = spec
        self.name = spec.name
        n = spec.n if n is None else _check_int(n, "n")
        if not spec.n_allowed(n):
            raise ValueError(f"{spec.name}: n = {n} is not allowed; allowed: {spec.n_text}")
        if spec.m_default is None:
            if m is not None:
                raise ValueError(f"{spec.name} is not a least-squares problem: it takes no m")
        else:
            m = spec.m_default(n) if m is None else _check_int(m, "m")
            if spec.m_allowed is not None and not spec.m_allowed(n, m):
                raise ValueError(f"{spec.name}: m = {m} is not allowed for n = {n}; allowed: {spec.m_text}")
            if spec.m_allowed is None and m != spec.m_default(n):
                raise ValueError(f"{spec.name}: m = {m} is not allowed; m must be {spec.m_default(n)}")
        self.n, self.m = n, m
        self.p = np.ascontiguousarray(
            spec.params(n, m) if spec.params is not None else [float(m or 0)], dtype=np.float64
        )
        self.x0 = np.array(spec.x0(n, m), dtype=np.float64)
        xs = spec.xstar(n, m) if spec.xstar is not None else None
        self.xstar = None if xs is None else np.array(xs, dtype=np.float64)
        fs = spec.fstar(n, m) if spec.fstar is not None else None
        self.fstar = None if fs is None else float(fs)
        lit = spec.fstar_literature
        self.fstar_literature = None if fs is None else (lit.get(n) if isinstance(lit, dict) else lit)
        b = spec.bounds(n, m) if spec.bounds is not None else None
        self.bounds = None if b is None else (
            np.broadcast_to(np.asarray(b[0], dtype=np.float64), (n,)).copy(),
            np.broadcast_to(np.asarray(b[1], dtype=np.float64), (n,)).copy(),
        )
        self.source, self.formula, self.notes = spec.source, spec.formula, spec.notes
        self.smooth, self.analytic, self.kind = spec.smooth, spec.analytic, spec.kind
        self.aliases = spec.aliases
        if self.x0.shape != (n,):
            raise AssertionError(f"{self.name}: x0 has shape {self.x0.shape}, expected ({n},)")

    def __repr__(self) -> str:
        m = "" if self.m is None else f", m={self.m}"
        return f"TestFunction({self.name!r}, n={self.n}{m})"

    # -- input checks -------------------------------------------------------------------------
    def _point(self, x) -> np.ndarray:
        return real_array(x, f"{self.name}: x", shape=(self.n,))

    def _points(self, X) -> np.ndarray:
        return real_array(X, f"{self.name}: X", shape=(None, self.n), min_size=0)

    # -- one point ----------------------------------------------------------------------------
    def f(self, x) -> float:
        """f(x) for x of shape (n,)."""
        return float(self.spec.kernel("f")(self._point(x), self.p))

    def grad(self, x) -> np.ndarray:
        """∇f(x), shape (n,)."""
        return self.spec.kernel("grad")(self._point(x), self.p)

    def hess(self, x) -> np.ndarray:
        """∇²f(x), shape (n, n), symmetric."""
        return self.spec.kernel("hess")(self._point(x), self.p)

    # -- N points -----------------------------------------------------------------------------
    def f_batch(self, X) -> np.ndarray:
        """f at each row of X (N, n) -> (N,)."""
        return self.spec.kernel("f")(self._points(X), self.p)

    def grad_batch(self, X) -> np.ndarray:
        """∇f at each row of X (N, n) -> (N, n)."""
        return self.spec.kernel("grad")(self._points(X), self.p)

    def hess_batch(self, X) -> np.ndarray:
        """∇²f at each row of X (N, n) -> (N, n, n)."""
        return self.spec.kernel("hess")(self._points(X), self.p)

    # -- complex input, for the complex-step check (analytic functions only) -----------------
    def f_complex(self, z) -> complex:
        """f at complex z (no input checks); only for analytic functions."""
        return complex(self.spec.kernel("f", True)(np.asarray(z, np.complex128), self.p))

    def grad_complex(self, z) -> np.ndarray:
        """∇f at complex z (no input checks); only for analytic functions."""
        return self.spec.kernel("grad", True)(np.asarray(z, np.complex128), self.p)
