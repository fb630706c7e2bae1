"""The rule table: one row per primitive — its value, its VJP rule and its JVP rule.

``RULES[name]`` is a :class:`Rule` with

* ``value(*args, **kw)`` — the NumPy computation on plain arrays;
* ``vjp(i, ȳ, y, *args, **kw)`` — the cotangent of argument i, ``(∂y/∂x_i)ᵀ ȳ``, shaped like
  ``args[i]`` (reverse mode; Griewank & Walther 2008, *Evaluating Derivatives*, §3.2);
* ``jvp(ẋs, y, *args, **kw)`` — the output tangent ``Σ_i (∂y/∂x_i) ẋ_i`` for the tangents ``ẋs``
  (None for an argument that is a constant). Tangents carry a leading batch axis of B
  directions: ``ẋ_i.shape == (B,) + args[i].shape`` and the result has shape ``(B,) + y.shape``.

Every rule is written with the operations of :mod:`refopt.ad.numpy` (``rnp``) and the operators of
boxes, never with raw NumPy on possibly traced values. The imports run one way, namespace → rules:
:mod:`refopt.ad.numpy` imports this table and generates its primitive functions and its NumPy-ufunc
routing from the rows; the rules reach the namespace at call time, through the one it installed in
:mod:`refopt.ad.graph` (``graph.namespace()``, below as ``rnp``), never by importing it: so the derivative computations are
themselves differentiable, which is what makes Hessians (forward-over-reverse) and higher
derivatives work. Masks (which branch of ``maximum``, ``abs`` or ``where`` is taken) are computed on
the plain values and enter as constants: their derivative is zero where it exists.

**Elementwise** primitives (broadcasting, ``elementwise=True``) are declared by their partial
derivatives ∂y/∂x_i as functions of (y, *args); :func:`elementwise` derives both columns from them:
``vjp_i = unbroadcast(ȳ · ∂_i)`` (summing over the axes NumPy broadcast) and
``jvp = Σ_i ẋ_i · ∂_i`` (with ẋ_i aligned to y's rank behind the batch axis). A partial that is the
constant ±1 costs no multiplication, and a tangent entering twice (x * x) is multiplied once, by
the sum of its partials.

Decisions where the derivative is not defined (documented here, tested in tests/test_ad_rules.py):

* ``abs``: d|x|/dx = sign(x), so 0 at x = 0 (the minimum-norm subgradient).
* ``relu``: derivative 1 for x > 0, 0 for x <= 0 (as PyTorch and JAX; 0 is a subgradient at 0).
* ``maximum``/``minimum``: at ties x == y each argument receives half (the symmetric choice; the
  derivative of maximum(x, x) = x is then 1). ``max``/``min`` reductions split the cotangent
  equally among tied maximisers for the same reason.
* ``power`` x**y, derivative in the exponent y: x**y · log x for x > 0, and 0 for x <= 0 (there
  x**y is real only for integer y, and it is not differentiable in y).
* ``prod``: the cotangent of x_i is the product of the *other* entries; computed as prod/x_i when
  no entry is zero, and as an explicit product of the others (O(L²) for L reduced entries) when
  one is, so zeros give exact derivatives, not NaN.
* ``sqrt`` at 0, ``log`` at 0: the derivative is inf (IEEE), as the mathematics says.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.special as sps

from .graph import namespace as rnp  # refopt.ad.numpy, installed in graph when it is imported
from .graph import primal, shape_of

__all__ = ["Rule", "RULES", "elementwise"]


@dataclass(frozen=True)
class Rule:
    """A primitive: value, VJP rule, JVP rule (see the module docstring for the signatures).

    Elementwise rows also give ``nargs`` (the number of arguments), ``aliases`` (further names of
    the same function in the namespace, NumPy's spellings) — the namespace function of each row is
    generated from them, and a NumPy ufunc ``value`` applied to a traced value is routed to it.
    """

    name: str
    value: Callable
    vjp: Callable
    jvp: Callable
    elementwise: bool = False
    nargs: int = 0
    aliases: tuple = ()


# ------------------------------------------------------------------------------------------------
# shape helpers (traced: they only call rnp operations)
# ------------------------------------------------------------------------------------------------
def _unbroadcast(g, shape: tuple):
    """Sum ``g`` over the axes NumPy broadcast when it made an array of ``shape`` bigger."""
    gs = shape_of(g)
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    axes = tuple(range(lead)) + tuple(lead + k for k, d in enumerate(shape) if d == 1 and gs[lead + k] != 1)
    if axes:
        g = rnp.sum(g, axis=axes)
    return rnp.reshape(g, shape) if shape_of(g) != shape else g


def _align(t, ndim: int):
    """Tangent (B,) + s -> (B,) + (1,)*(ndim - len(s)) + s, so it broadcasts against rank-ndim values."""
    ts = shape_of(t)
    missing = ndim - (len(ts) - 1)
    return t if missing == 0 else rnp.reshape(t, ts[:1] + (1,) * missing + ts[1:])


def _fill(t, ans):
    """Broadcast a tangent to exactly (B,) + y.shape."""
    want = shape_of(t)[:1] + shape_of(ans)
    return t if shape_of(t) == want else rnp.broadcast_to(t, want)


def _scale(t, d):
    """t · d, without the multiplication when d is the constant 1 or -1."""
    if isinstance(d, (int, float)) and not isinstance(d, bool):
        if d == 1:
            return t
        if d == -1:
            return -t
    return t * d


def _kept(g, xshape: tuple, axes: tuple, keepdims: bool):
    """A reduction's cotangent reshaped to keepdims form (1 on the reduced axes)."""
    if keepdims:
        return g
    return rnp.reshape(g, tuple(1 if k in axes else d for k, d in enumerate(xshape)))


def _shift(axes: tuple) -> tuple:
    """Axes of a value -> the same axes of its batched tangent."""
    return tuple(a + 1 for a in axes)


# ------------------------------------------------------------------------------------------------
# elementwise primitives: value + partial derivatives
# ------------------------------------------------------------------------------------------------
def elementwise(name: str, value: Callable, *partials: Callable, aliases: tuple = ()) -> Rule:
    """A broadcasting primitive from its value and ∂y/∂x_i = partials[i](y, *args)."""

    def vjp(i, g, ans, *args):
        return _unbroadcast(_scale(g, partials[i](ans, *args)), shape_of(args[i]))

    def jvp(ts, ans, *args):
        # a tangent that enters twice (x * x) is scaled once by the sum of its partials: the
        # partials have the value's shape, the tangents carry B directions, so this saves passes
        terms = []
        for t, d in zip(ts, partials):
            if t is not None:
                dv = d(ans, *args)
                same = [k for k, (t0, _) in enumerate(terms) if t0 is t]
                if same:
                    terms[same[0]] = (t, terms[same[0]][1] + dv)
                else:
                    terms.append((t, dv))
        ndim = len(shape_of(ans))
        out = None
        for t, dv in terms:
            term = _scale(_align(t, ndim), dv)
            out = term if out is None else out + term
        return _fill(out, ans)

    return Rule(name, value, vjp, jvp, elementwise=True, nargs=len(partials), aliases=tuple(aliases))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _relu(x):
    return np.maximum(x, 0.0)


def _tie_mask(x, y):
    """∂max(x, y)/∂x as a constant: 1 where x > y, 1/2 at ties, 0 elsewhere."""
    x, y = primal(x), primal(y)
    return np.where(x > y, 1.0, np.where(x == y, 0.5, 0.0))


def _power_dx(ans, x, y):
    """∂(x**y)/∂x = y x**(y-1); plain small exponents avoid a pow."""
    if isinstance(y, (int, float)) and not isinstance(y, bool):
        if y == 0:
            return 0.0
        if y == 1:
            return 1
        if y == 2:
            return 2.0 * x
    return y * x ** (y - 1)


def _power_dy(ans, x, y):
    """∂(x**y)/∂y = x**y log x for x > 0, 0 elsewhere (see the module docstring)."""
    positive = primal(x) > 0
    return ans * rnp.log(rnp.where(positive, x, 1.0)) * positive


_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)  # erf'(x) = (2/√π) e^{−x²}

_ELEMENTWISE = [
    elementwise("negative", np.negative, lambda y, x: -1),
    elementwise("exp", np.exp, lambda y, x: y),
    elementwise("expm1", np.expm1, lambda y, x: y + 1.0),
    elementwise("log", np.log, lambda y, x: 1.0 / x),
    elementwise("log1p", np.log1p, lambda y, x: 1.0 / (1.0 + x)),
    elementwise("sqrt", np.sqrt, lambda y, x: 0.5 / y),
    elementwise("sin", np.sin, lambda y, x: rnp.cos(x)),
    elementwise("cos", np.cos, lambda y, x: -rnp.sin(x)),
    elementwise("tan", np.tan, lambda y, x: 1.0 + y * y),
    elementwise("arctan", np.arctan, lambda y, x: 1.0 / (1.0 + x * x)),
    elementwise("sinh", np.sinh, lambda y, x: rnp.cosh(x)),
    elementwise("cosh", np.cosh, lambda y, x: rnp.sinh(x)),
    elementwise("tanh", np.tanh, lambda y, x: 1.0 - y * y),
    elementwise("erf", sps.erf, lambda y, x: _TWO_OVER_SQRT_PI * rnp.exp(-(x * x))),
    elementwise("sigmoid", sps.expit, lambda y, x: y * (1.0 - y), aliases=("expit",)),
    elementwise("softplus", _softplus, lambda y, x: rnp.sigmoid(x)),
    elementwise("abs", np.abs, lambda y, x: np.sign(primal(x)), aliases=("absolute",)),
    elementwise("relu", _relu, lambda y, x: (primal(x) > 0).astype(np.float64)),
    elementwise("add", np.add, lambda y, a, b: 1, lambda y, a, b: 1),
    elementwise("subtract", np.subtract, lambda y, a, b: 1, lambda y, a, b: -1),
    elementwise("multiply", np.multiply, lambda y, a, b: b, lambda y, a, b: a),
    elementwise("divide", np.divide, lambda y, a, b: 1.0 / b, lambda y, a, b: -y / b, aliases=("true_divide",)),
    elementwise("power", np.power, _power_dx, _power_dy),
    elementwise("maximum", np.maximum, lambda y, a, b: _tie_mask(a, b), lambda y, a, b: _tie_mask(b, a)),
    elementwise("minimum", np.minimum, lambda y, a, b: _tie_mask(b, a), lambda y, a, b: _tie_mask(a, b)),
    elementwise("logaddexp", np.logaddexp, lambda y, a, b: rnp.exp(a - y), lambda y, a, b: rnp.exp(b - y)),
]


# ------------------------------------------------------------------------------------------------
# where(cond, x, y): elementwise in x and y, cond a constant mask
# ------------------------------------------------------------------------------------------------
def _where_vjp(i, g, ans, cond, x, y):
    picked = rnp.where(cond, g, 0.0) if i == 1 else rnp.where(cond, 0.0, g)
    return _unbroadcast(picked, shape_of(x if i == 1 else y))


def _where_jvp(ts, ans, cond, x, y):
    ndim = len(shape_of(ans))
    tx = 0.0 if ts[1] is None else _align(ts[1], ndim)
    ty = 0.0 if ts[2] is None else _align(ts[2], ndim)
    return _fill(rnp.where(cond, tx, ty), ans)


# ------------------------------------------------------------------------------------------------
# reductions (axes arrive normalised: a tuple of non-negative ints)
# ------------------------------------------------------------------------------------------------
def _sum_value(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


def _sum_vjp(i, g, ans, x, axis, keepdims):
    return rnp.broadcast_to(_kept(g, shape_of(x), axis, keepdims), shape_of(x))


def _sum_jvp(ts, ans, x, axis, keepdims):
    return rnp.sum(ts[0], axis=_shift(axis), keepdims=keepdims)


def _extremum(name: str, reduce: Callable) -> Rule:
    """max/min over axes: the cotangent goes to the maximisers, split equally among ties."""

    def share(x, ans, axis, keepdims):
        xv = primal(x)
        hit = xv == reduce(xv, axis=axis, keepdims=True)
        return hit / np.sum(hit, axis=axis, keepdims=True)

    def value(x, axis, keepdims):
        return reduce(x, axis=axis, keepdims=keepdims)

    def vjp(i, g, ans, x, axis, keepdims):
        return _kept(g, shape_of(x), axis, keepdims) * share(x, ans, axis, keepdims)

    def jvp(ts, ans, x, axis, keepdims):
        return rnp.sum(ts[0] * share(x, ans, axis, keepdims), axis=_shift(axis), keepdims=keepdims)

    return Rule(name, value, vjp, jvp)


def _others_product(x, axis: tuple):
    """Π_{j≠i} x_j over the reduced axes, for every entry i (shape of x); traced."""
    xv = primal(x)
    if np.all(xv != 0):
        return rnp.prod(x, axis=axis, keepdims=True) / x
    # zeros present: move the reduced axes last, flatten them to L, multiply the L-1 others.
    shape = shape_of(x)
    keep = tuple(k for k in range(len(shape)) if k not in axis)
    order = keep + axis
    L = int(np.prod([shape[k] for k in axis]))
    moved = rnp.reshape(rnp.transpose(x, order), tuple(shape[k] for k in keep) + (L,))
    others = rnp.where(np.eye(L, dtype=bool), 1.0, rnp.expand_dims(moved, -2))
    out = rnp.prod(others, axis=-1)
    out = rnp.reshape(out, tuple(shape[k] for k in order))
    return rnp.transpose(out, tuple(np.argsort(order)))


def _prod_value(x, axis, keepdims):
    return np.prod(x, axis=axis, keepdims=keepdims)


def _prod_vjp(i, g, ans, x, axis, keepdims):
    return _kept(g, shape_of(x), axis, keepdims) * _others_product(x, axis)


def _prod_jvp(ts, ans, x, axis, keepdims):
    return rnp.sum(ts[0] * _others_product(x, axis), axis=_shift(axis), keepdims=keepdims)


# ------------------------------------------------------------------------------------------------
# matmul (NumPy semantics: 1-D operands are promoted to a row / column and squeezed afterwards)
# ------------------------------------------------------------------------------------------------
def _matmul_value(a, b):
    """np.matmul, with a stack of matrices against ONE matrix done as one tall GEMM.

    The batched tangents of the Hessian sweep meet single matrices all the time ((B, n, k) @ (k, m)
    and (n, k) @ (B, k, m)). NumPy runs those as B small GEMMs, which multithreaded OpenBLAS
    handles badly on a busy machine (measured up to 10x slower than one GEMM on the project's
    2-core machine); reshaping them into one GEMM is robust: (B·n, k) @ (k, m) for the first case,
    (n, k) @ (k, B·m) for the second (whose result, viewed as (B, n, m), keeps its last axis
    contiguous, so the elementwise work that follows stays fast). Other cases are np.matmul.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim > 2 and b.ndim <= 2:  # (..., n, k) @ (k, m) or (k,)
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + b.shape[1:])
    if a.ndim <= 2 and b.ndim > 2:  # (n, k) or (k,) @ (..., k, m)
        bk = np.moveaxis(b, -2, 0)  # (k, ..., m)
        r = (a @ bk.reshape(bk.shape[0], -1)).reshape(a.shape[:-1] + bk.shape[1:])  # (n, ..., m)
        return np.moveaxis(r, 0, -2) if a.ndim == 2 else r
    return np.matmul(a, b)


def _as_matrices(a, b):
    """Shapes of the promoted operands: a -> (..., n, k), b -> (..., k, m)."""
    sa, sb = shape_of(a), shape_of(b)
    return (sa if len(sa) > 1 else (1,) + sa), (sb if len(sb) > 1 else sb + (1,))


def _swap(x):
    nd = len(shape_of(x))
    return rnp.transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


def _promoted(ans_shape: tuple, sa: tuple, sb: tuple) -> tuple:
    """Shape of a @ b before NumPy drops the axes of 1-D operands."""
    if len(sa) == 1 and len(sb) == 1:
        return (1, 1)
    if len(sa) == 1:
        return ans_shape[:-1] + (1,) + ans_shape[-1:]
    if len(sb) == 1:
        return ans_shape + (1,)
    return ans_shape


def _matmul_vjp(i, g, ans, a, b):
    sa, sb = shape_of(a), shape_of(b)
    sa2, sb2 = _as_matrices(a, b)
    g2 = rnp.reshape(g, _promoted(shape_of(ans), sa, sb))
    if i == 0:  # ā = ȳ bᵀ
        return rnp.reshape(_unbroadcast(rnp.matmul(g2, _swap(rnp.reshape(b, sb2))), sa2), sa)
    # b̄ = aᵀ ȳ
    return rnp.reshape(_unbroadcast(rnp.matmul(_swap(rnp.reshape(a, sa2)), g2), sb2), sb)


def _matmul_jvp(ts, ans, a, b):
    sa2, sb2 = _as_matrices(a, b)
    nbatch = max(len(sa2), len(sb2)) - 2
    out = None
    for t, s2, other, left in ((ts[0], sa2, b, True), (ts[1], sb2, a, False)):
        if t is None:
            continue
        B = shape_of(t)[0]
        t2 = rnp.reshape(t, (B,) + (1,) * (nbatch - (len(s2) - 2)) + s2)
        if left:
            term = rnp.matmul(t2, rnp.reshape(other, sb2))
        else:
            term = rnp.matmul(rnp.reshape(other, sa2), t2)
        term = rnp.reshape(term, (B,) + shape_of(ans))
        out = term if out is None else out + term
    return out


# ------------------------------------------------------------------------------------------------
# shape and structure (reshape/transpose/broadcast_to take normalised tuples)
# ------------------------------------------------------------------------------------------------
def _reshape_vjp(i, g, ans, x, shape):
    return rnp.reshape(g, shape_of(x))


def _reshape_jvp(ts, ans, x, shape):
    return rnp.reshape(ts[0], shape_of(ts[0])[:1] + shape)


def _transpose_vjp(i, g, ans, x, axes):
    return rnp.transpose(g, tuple(int(k) for k in np.argsort(axes)))


def _transpose_jvp(ts, ans, x, axes):
    return rnp.transpose(ts[0], (0,) + _shift(axes))


def _broadcast_to_vjp(i, g, ans, x, shape):
    return _unbroadcast(g, shape_of(x))


def _broadcast_to_jvp(ts, ans, x, shape):
    t = _align(ts[0], len(shape))
    return rnp.broadcast_to(t, shape_of(t)[:1] + shape)


# ------------------------------------------------------------------------------------------------
# indexing: getitem and its adjoint untake (scatter-add into zeros); indices arrive normalised by
# rnp.getitem: a tuple of ints, slices, None and integer arrays (boolean masks become their
# nonzero() arrays, Ellipsis is expanded)
# ------------------------------------------------------------------------------------------------
def _batch_axis(idx: tuple) -> int:
    """Where the batch axis lands in t[(slice(None),) + idx] (NumPy's advanced-indexing rule).

    Advanced entries (ints and arrays, when at least one array is present) that are adjacent keep
    their place; separated ones move to the front, ahead of the batch axis.
    """
    if not any(isinstance(e, np.ndarray) for e in idx):
        return 0
    adv = [k for k, e in enumerate(idx) if not (isinstance(e, slice) or e is None)]
    if adv[-1] - adv[0] + 1 == len(adv):
        return 0
    return len(np.broadcast_shapes(*(np.shape(idx[k]) for k in adv)))


def _has_array(idx: tuple) -> bool:
    return any(isinstance(e, np.ndarray) for e in idx)


def _getitem_value(x, idx):
    return np.asarray(x)[idx]


def _getitem_vjp(i, g, ans, x, idx):
    return rnp.untake(g, idx, shape_of(x))


def _getitem_jvp(ts, ans, x, idx):
    t = rnp.getitem(ts[0], (slice(None),) + idx)
    if isinstance(t, np.ndarray) and not t.any():
        # structural zero (e.g. the unit directions of one layer seen from another layer's slice of θ)
        return None
    pos = _batch_axis(idx)
    return t if pos == 0 else rnp.moveaxis(t, pos, 0)


def _untake_value(g, idx, shape):
    z = np.zeros(shape, dtype=np.result_type(g, np.float64))
    if _has_array(idx):
        np.add.at(z, idx, g)  # repeated integer indices accumulate
    else:
        z[idx] = g  # basic indexing never repeats an entry
    return z


def _untake_vjp(i, g, ans, u, idx, shape):
    return rnp.getitem(g, idx)


def _untake_jvp(ts, ans, u, idx, shape):
    t = ts[0]
    pos = _batch_axis(idx)
    if pos != 0:
        t = rnp.moveaxis(t, 0, pos)
    return rnp.untake(t, (slice(None),) + idx, shape_of(ts[0])[:1] + shape)


def _concatenate_value(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concatenate_vjp(i, g, ans, *xs, axis):
    start = sum(shape_of(x)[axis] for x in xs[:i])
    stop = start + shape_of(xs[i])[axis]
    return rnp.getitem(g, (slice(None),) * axis + (slice(start, stop),))


def _concatenate_jvp(ts, ans, *xs, axis):
    B = next(shape_of(t)[0] for t in ts if t is not None)
    parts = [np.zeros((B,) + shape_of(x)) if t is None else t for t, x in zip(ts, xs)]
    return rnp.concatenate(parts, axis=axis + 1)


_STRUCTURAL = [
    Rule("where", np.where, _where_vjp, _where_jvp),
    Rule("sum", _sum_value, _sum_vjp, _sum_jvp),
    _extremum("max", np.max),
    _extremum("min", np.min),
    Rule("prod", _prod_value, _prod_vjp, _prod_jvp),
    Rule("matmul", _matmul_value, _matmul_vjp, _matmul_jvp),
    Rule("reshape", np.reshape, _reshape_vjp, _reshape_jvp),
    Rule("transpose", np.transpose, _transpose_vjp, _transpose_jvp),
    Rule("broadcast_to", np.broadcast_to, _broadcast_to_vjp, _broadcast_to_jvp),
    Rule("getitem", _getitem_value, _getitem_vjp, _getitem_jvp),
    Rule("untake", _untake_value, _untake_vjp, _untake_jvp),
    Rule("concatenate", _concatenate_value, _concatenate_vjp, _concatenate_jvp),
]

RULES: dict[str, Rule] = {r.name: r for r in _ELEMENTWISE + _STRUCTURAL}
"""The table: primitive name -> Rule(value, vjp, jvp). Everything else in rnp is composed of these."""
