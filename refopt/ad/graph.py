"""Traced values ("boxes"), the traces that make them, and the backward sweep.

A function written against :mod:`refopt.ad.numpy` runs on ordinary NumPy arrays. To differentiate
it, the API (:mod:`refopt.ad.api`) starts a *trace* and hands the function a **box**: a wrapper of
the input value that belongs to that trace. Every primitive of the rule table
(:mod:`refopt.ad.rules`) is applied through :func:`bind`, which

1. finds the innermost trace among the boxed arguments (the one with the highest ``level``:
   traces started later are nested inside earlier ones),
2. unwraps the arguments that belong to that trace and applies the primitive to the unwrapped
   values — recursively, so arguments boxed by outer traces are handled one level down,
3. wraps the result in a new box of the innermost trace, which records what derivative work needs:

   * a :class:`ReverseTrace` (reverse mode, Griewank & Walther 2008, *Evaluating Derivatives*,
     ch. 3: the adjoint sweep) records the primitive, its unwrapped arguments and which of them were
     boxed: the nodes form the computational graph, and :func:`backward` walks it from the output to
     the input, applying each primitive's VJP rule ``x̄_i += (∂f/∂x_i)ᵀ ȳ``;
   * a :class:`ForwardTrace` (forward mode, tangent propagation, Griewank & Walther ch. 3: the
     tangent sweep ẏ = Σ_i (∂f/∂x_i) ẋ_i) computes the output tangent at once with the JVP rule.
     Tangents carry a **leading batch axis** of B directions (``tangent.shape == (B,) +
     value.shape``), so one sweep pushes B directions at once: the Hessian is built from
     chunks of P directions in a handful of sweeps instead of P separate ones. A JVP rule may
     answer None (a tangent exactly zero in all B directions): the result is then left unboxed,
     a constant for this trace, and nothing downstream of it does tangent work.

Because the VJP and JVP rules are themselves written with the namespace's traced operations, the
work done by a backward sweep is traced again by any outer trace. That gives higher derivatives
by nesting: Hessian-vector products are forward-over-reverse (the tangent of the gradient computation;
Pearlmutter 1994, *Fast exact multiplication by the Hessian*, Neural Computation 6(1)), and
reverse-over-reverse or forward-over-forward work the same way. The ordering of traces by level
keeps nested derivatives apart ("perturbation confusion", Siskind & Pearlmutter 2005).
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np

__all__ = ["Box", "ReverseBox", "ForwardBox", "ReverseTrace", "ForwardTrace", "bind", "backward",
           "primal", "shape_of", "unbox", "namespace", "install_namespace"]


class _Namespace:
    """Attribute access to the differentiable namespace (refopt.ad.numpy) once it has installed
    itself: the rule table computes its derivatives with it, without importing it (the imports
    run one way: namespace → rules → graph)."""

    module = None

    def __getattr__(self, name: str):
        if _Namespace.module is None:
            raise RuntimeError("refopt.ad.numpy is not imported yet: import refopt.ad (or refopt.ad.numpy) first")
        return getattr(_Namespace.module, name)


namespace = _Namespace()


def install_namespace(module) -> None:
    """Called once by refopt.ad.numpy at the end of its import."""
    _Namespace.module = module

_levels = itertools.count(1)


class Trace:
    """A derivative computation in progress; boxes of a later (inner) trace have a higher level."""

    __slots__ = ("level",)

    def __init__(self) -> None:
        self.level = next(_levels)


class Box:
    """A value traced by one trace; ``value`` is an ndarray/scalar or a box of an outer trace.

    The arithmetic operators, ``.T``, ``.shape`` etc. are attached by :mod:`refopt.ad.numpy`, so
    that a box behaves like the array it wraps.
    """

    __slots__ = ("value", "trace")
    __hash__ = None  # comparisons are elementwise, as for arrays

    def __init__(self, value: Any, trace: Trace) -> None:
        self.value = value
        self.trace = trace


class ReverseBox(Box):
    """A node of the reverse-mode graph: ``value = rule.value(*inner, **kw)``.

    ``parents`` lists (argument position, box) for the arguments that belong to the same trace;
    ``inner`` holds all arguments unwrapped by one level (the VJP rules see these).
    """

    __slots__ = ("rule", "parents", "inner", "kw")

    def __init__(self, value, trace, rule=None, parents=(), inner=(), kw=None) -> None:
        super().__init__(value, trace)
        self.rule = rule
        self.parents = parents
        self.inner = inner
        self.kw = kw if kw is not None else {}


class ForwardBox(Box):
    """A value with its tangents: ``tangent.shape == (B,) + value.shape`` (B directions)."""

    __slots__ = ("tangent",)

    def __init__(self, value, trace, tangent) -> None:
        super().__init__(value, trace)
        self.tangent = tangent


class ReverseTrace(Trace):
    """Reverse mode: record the graph; :func:`backward` sweeps it."""

    __slots__ = ()

    def leaf(self, value) -> ReverseBox:
        return ReverseBox(value, self)

    def process(self, rule, ans, args, boxed, inner, kw) -> ReverseBox:
        return ReverseBox(ans, self, rule, tuple((i, args[i]) for i in boxed), inner, kw)


class ForwardTrace(Trace):
    """Forward mode with B tangent directions at once.

    ``elements`` counts the tangent entries this trace has created (its memory meter: the
    Hessian and Jacobian drivers size their chunks of directions with it).
    """

    __slots__ = ("batch", "elements")

    def __init__(self, batch: int) -> None:
        super().__init__()
        self.batch = batch
        self.elements = 0

    def leaf(self, value, tangent) -> ForwardBox:
        return ForwardBox(value, self, tangent)

    def process(self, rule, ans, args, boxed, inner, kw) -> ForwardBox:
        ts = [None] * len(args)
        for i in boxed:
            ts[i] = args[i].tangent
        t = rule.jvp(ts, ans, *inner, **kw)
        if t is None:  # a structural zero: the result is a constant for this trace
            return ans
        self.elements += int(np.prod(shape_of(t)))
        return ForwardBox(ans, self, t)


def bind(rule, *args, **kw):
    """Apply a primitive (a row of the rule table) to possibly boxed positional arguments.

    Keyword arguments are static (axes, shapes, indices): they are never boxed.
    """
    top = None
    for a in args:
        if isinstance(a, Box) and (top is None or a.trace.level > top.level):
            top = a.trace
    if top is None:
        return rule.value(*args, **kw)
    inner = list(args)
    boxed = []
    for i, a in enumerate(args):
        if isinstance(a, Box) and a.trace is top:
            inner[i] = a.value
            boxed.append(i)
    ans = bind(rule, *inner, **kw)
    return top.process(rule, ans, args, boxed, tuple(inner), kw)


def primal(x):
    """The plain value under all boxes (used for masks and shapes: no derivative flows)."""
    while isinstance(x, Box):
        x = x.value
    return x


def shape_of(x) -> tuple:
    """Shape of an array, scalar or box."""
    return np.shape(primal(x))


def unbox(x, trace: Trace):
    """Strip the box of ``trace`` (if ``x`` belongs to it); leave anything else alone."""
    return x.value if isinstance(x, Box) and x.trace is trace else x


def _toposort(end: ReverseBox):
    """Nodes reachable from ``end``, each yielded after every node that consumes it (Kahn)."""
    pending = {}
    stack = [end]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in pending:
            pending[key] += 1
        else:
            pending[key] = 1
            stack.extend(p for _, p in node.parents)
    ready = [end]
    while ready:
        node = ready.pop()
        yield node
        for _, parent in node.parents:
            key = id(parent)
            if pending[key] == 1:
                ready.append(parent)
            else:
                pending[key] -= 1


def backward(end: ReverseBox, seed, leaf: ReverseBox, accumulate: Callable):
    """The adjoint sweep: x̄ for ``leaf`` given ȳ = ``seed`` for ``end``; None if unreached.

    Each node's cotangent is complete when it is visited (all its consumers came first); the rule
    ``vjp(i, ȳ, y, *args, **kw)`` gives the contribution to argument i, and contributions to one
    node are summed with ``accumulate`` (the traced ``add``, so outer traces see the sweep).
    """
    cot = {id(end): seed}
    for node in _toposort(end):
        g = cot.pop(id(node), None)
        if node is leaf:
            return g
        if g is None:
            continue
        rule = node.rule
        for i, parent in node.parents:
            gi = rule.vjp(i, g, node.value, *node.inner, **node.kw)
            key = id(parent)
            cot[key] = gi if key not in cot else accumulate(cot[key], gi)
    return None
