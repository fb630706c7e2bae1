"""``refopt.ad.numpy`` — the NumPy-like namespace differentiable functions are written with.

    import refopt.ad.numpy as rnp

    def loss(theta, X, y, xp=rnp):
        W = theta[:6].reshape(3, 2)
        return xp.mean(xp.sum((xp.tanh(X @ W) - y) ** 2, axis=1))

On plain arrays every function here returns exactly what NumPy (or scipy.special, for ``erf``,
``sigmoid``/``expit``) returns. On traced values (boxes, :mod:`refopt.ad.graph`) the primitives of
the rule table (:mod:`refopt.ad.rules`) record or propagate derivatives, and the composites below
are built from those primitives only, so they need no rules of their own.

* primitives: the rows of ``RULES`` (exp, log, ..., add, multiply, ..., sum, max, min, prod,
  matmul, reshape, transpose, broadcast_to, getitem, untake, concatenate, where);
* composites: mean, var, std, square, reciprocal, dot, outer, stack, expand_dims, squeeze,
  swapaxes, moveaxis, ravel, clip, logsumexp, linalg.norm;
* non-differentiable helpers (they act on the plain values and return plain arrays, so no
  derivative flows through them): comparisons, sign, floor, ceil, round, argmax, isfinite, ...;
* constants and array creation pass through to NumPy (pi, e, inf, newaxis, float64, zeros, ones,
  eye, arange, linspace, full, ...). ``asarray``/``array`` of a list that holds boxes stacks them.

Boxes support the array operators (+ − * / ** @, unary −, abs, indexing, comparisons), ``.T``,
``.shape``, ``.ndim``, ``.size``, ``.reshape``, ``.sum`` and friends. NumPy ufuncs applied to a
box (``np.exp(box)``, or ``ndarray + box``) are routed here; ``float(box)`` and ``np.asarray(box)``
raise TypeError, since they would silently drop the derivative.
"""
from __future__ import annotations

import builtins
import sys
from typing import Any

import numpy as _np

from . import rules as _rules
from .graph import Box, bind, install_namespace, primal, shape_of

# ------------------------------------------------------------------------------------------------
# constants and array creation (plain NumPy)
# ------------------------------------------------------------------------------------------------
pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = None
float64 = _np.float64
float32 = _np.float32
int64 = _np.int64
bool_ = _np.bool_
ndarray = _np.ndarray
zeros = _np.zeros
ones = _np.ones
full = _np.full
empty = _np.empty
eye = _np.eye
identity = _np.identity
arange = _np.arange
linspace = _np.linspace
finfo = _np.finfo
errstate = _np.errstate


def _prim(name: str):
    def apply(*args, **kw):
        return bind(_rules.RULES[name], *args, **kw)
    return apply


def _arg(x):
    """Lists and tuples become arrays; boxes, arrays and scalars pass."""
    if isinstance(x, (list, tuple)):
        return asarray(x)
    return x


def _elementwise(name: str, nargs: int):
    """The namespace function of an elementwise primitive (lists become arrays first)."""
    rule_apply = _prim(name)

    def f(*args):
        if len(args) != nargs:
            raise TypeError(f"{name}() takes {nargs} argument{'s' if nargs > 1 else ''}, got {len(args)}")
        return rule_apply(*(_arg(a) for a in args))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise{', broadcasting' if nargs > 1 else ''} {name} (primitive; derivative in refopt.ad.rules)."
    return f


# the elementwise primitives, one function per row of the rule table (and its NumPy aliases)
for _rule in _rules.RULES.values():
    if _rule.elementwise:
        _f = _elementwise(_rule.name, _rule.nargs)
        for _name in (_rule.name, *_rule.aliases):
            globals()[_name] = _f
del _rule, _f, _name

_where = _prim("where")
_sum = _prim("sum")
_max = _prim("max")
_min = _prim("min")
_prod = _prim("prod")
_matmul = _prim("matmul")
_reshape = _prim("reshape")
_transpose = _prim("transpose")
_broadcast_to = _prim("broadcast_to")
_getitem = _prim("getitem")
_untake = _prim("untake")
_concatenate = _prim("concatenate")


# ------------------------------------------------------------------------------------------------
# array facts
# ------------------------------------------------------------------------------------------------
def shape(x) -> tuple:
    return shape_of(x)


def ndim(x) -> int:
    return len(shape_of(x))


def size(x) -> int:
    return int(_np.prod(shape_of(x)))


def _axes(axis, nd: int) -> tuple:
    """Normalise an axis argument to a sorted tuple of non-negative ints (None: all axes)."""
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, (int, _np.integer)):
        axis = (axis,)
    out = []
    for a in axis:
        a = int(a)
        if not -nd <= a < nd:
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {nd}")
        out.append(a % nd)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(out))


# ------------------------------------------------------------------------------------------------
# reductions
# ------------------------------------------------------------------------------------------------
def sum(x, axis=None, keepdims=False):  # noqa: A001
    """Σ over ``axis`` (None: all), NumPy semantics (primitive)."""
    x = _arg(x)
    axes = _axes(axis, ndim(x))
    if not axes and not isinstance(x, Box):
        return _np.asarray(x)
    return _sum(x, axis=axes, keepdims=bool(keepdims))


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Maximum over ``axis``; ties share the derivative equally (primitive)."""
    x = _arg(x)
    return _max(x, axis=_axes(axis, ndim(x)), keepdims=bool(keepdims))


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Minimum over ``axis``; ties share the derivative equally (primitive)."""
    x = _arg(x)
    return _min(x, axis=_axes(axis, ndim(x)), keepdims=bool(keepdims))


amax = max
amin = min


def prod(x, axis=None, keepdims=False):
    """Π over ``axis``; exact derivatives also when entries are zero (primitive)."""
    x = _arg(x)
    return _prod(x, axis=_axes(axis, ndim(x)), keepdims=bool(keepdims))


def mean(x, axis=None, keepdims=False):
    """Σ / count over ``axis`` (composite)."""
    x = _arg(x)
    axes = _axes(axis, ndim(x))
    count = int(_np.prod([shape_of(x)[a] for a in axes]))
    return sum(x, axes, keepdims) / count


def var(x, axis=None, keepdims=False, ddof=0):
    """Mean squared deviation (composite): Σ (x − mean)² / (count − ddof)."""
    x = _arg(x)
    axes = _axes(axis, ndim(x))
    count = int(_np.prod([shape_of(x)[a] for a in axes]))
    d = x - mean(x, axes, keepdims=True)
    return sum(d * d, axes, keepdims) / (count - ddof)


def std(x, axis=None, keepdims=False, ddof=0):
    """sqrt(var) (composite; the derivative is inf where the deviation is exactly 0)."""
    return sqrt(var(x, axis, keepdims, ddof))


def logsumexp(x, axis=None, keepdims=False):
    """log Σ exp x, shifted by the (constant) maximum for stability (composite)."""
    x = _arg(x)
    axes = _axes(axis, ndim(x))
    m = _np.max(primal(x), axis=axes, keepdims=True)
    m = _np.where(_np.isfinite(m), m, 0.0)
    out = log(sum(exp(x - m), axes, keepdims=True)) + m
    return out if keepdims else reshape(out, tuple(d for k, d in enumerate(shape_of(out)) if k not in axes))


# ------------------------------------------------------------------------------------------------
# elementwise composites
# ------------------------------------------------------------------------------------------------
def square(x):
    """x · x."""
    x = _arg(x)
    return x * x


def reciprocal(x):
    """1 / x."""
    return divide(1.0, x)


def clip(x, a_min, a_max):
    """minimum(maximum(x, a_min), a_max) (ties at the bounds share the derivative, see rules)."""
    out = x
    if a_min is not None:
        out = maximum(out, a_min)
    if a_max is not None:
        out = minimum(out, a_max)
    return out


def where(condition, x, y):
    """x where condition else y; the condition is a constant (primitive)."""
    return _where(_np.asarray(primal(condition), dtype=bool), _arg(x), _arg(y))


# ------------------------------------------------------------------------------------------------
# linear algebra
# ------------------------------------------------------------------------------------------------
def matmul(a, b):
    """a @ b with NumPy's rules (primitive)."""
    a, b = _arg(a), _arg(b)
    if ndim(a) == 0 or ndim(b) == 0:
        raise ValueError("matmul: input operand does not have enough dimensions (use * for scalars)")
    return _matmul(a, b)


def dot(a, b):
    """np.dot for operands of rank <= 2 (matmul, or * with a scalar); higher ranks: ValueError."""
    a, b = _arg(a), _arg(b)
    if ndim(a) == 0 or ndim(b) == 0:
        return a * b
    if ndim(a) > 2 or ndim(b) > 2:
        raise ValueError("refopt.ad.numpy.dot supports operands of rank <= 2; use matmul or sum(a * b)")
    return _matmul(a, b)


def outer(a, b):
    """a_i b_j (of the flattened operands)."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def inner(a, b):
    """Σ_k a[..., k] b[..., k] for 1-D operands (dot)."""
    return dot(a, b)


def vdot(a, b):
    return sum(ravel(a) * ravel(b))


class _Linalg:
    """``rnp.linalg``: only ``norm`` (2-norm of a vector, Frobenius norm otherwise; composite)."""

    @staticmethod
    def norm(x, axis=None, keepdims=False):
        x = _arg(x)
        return sqrt(sum(x * x, axis, keepdims))


linalg = _Linalg()


# ------------------------------------------------------------------------------------------------
# shape and structure
# ------------------------------------------------------------------------------------------------
def reshape(x, shape, order="C"):  # noqa: A002
    """Reshape (row-major only; primitive). ``shape`` may contain one -1."""
    if order != "C":
        raise ValueError("refopt.ad.numpy.reshape supports order='C' only")
    x = _arg(x)
    if isinstance(shape, (int, _np.integer)):
        shape = (shape,)
    shape = tuple(int(d) for d in shape)
    old = shape_of(x)
    if -1 in shape:
        known = int(_np.prod([d for d in shape if d != -1]))
        shape = tuple(int(_np.prod(old)) // builtins.max(known, 1) if d == -1 else d for d in shape)
    if int(_np.prod(shape)) != int(_np.prod(old)):
        raise ValueError(f"cannot reshape an array of shape {old} into shape {shape}")
    if shape == old:
        return x
    return _reshape(x, shape=shape)


def ravel(x):
    return reshape(x, (-1,))


def transpose(x, axes=None):
    """Permute axes (reverse them when ``axes`` is None; primitive)."""
    x = _arg(x)
    nd = ndim(x)
    axes = tuple(range(nd))[::-1] if axes is None else tuple(int(a) % nd if nd else int(a) for a in axes)
    if sorted(axes) != list(range(nd)):
        raise ValueError(f"axes {axes} are not a permutation of {nd} axes")
    if axes == tuple(range(nd)):
        return x
    return _transpose(x, axes=axes)


def swapaxes(x, a, b):
    nd = ndim(x)
    perm = list(range(nd))
    perm[a % nd], perm[b % nd] = perm[b % nd], perm[a % nd]
    return transpose(x, perm)


def moveaxis(x, source, destination):
    nd = ndim(x)
    source, destination = source % nd, destination % nd
    perm = [k for k in range(nd) if k != source]
    perm.insert(destination, source)
    return transpose(x, perm)


def expand_dims(x, axis):
    s = list(shape_of(x))
    s.insert(axis % (len(s) + 1), 1)
    return reshape(x, tuple(s))


def squeeze(x, axis=None):
    s = shape_of(x)
    axes = tuple(k for k, d in enumerate(s) if d == 1) if axis is None else _axes(axis, len(s))
    if builtins.any(s[k] != 1 for k in axes):
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    return reshape(x, tuple(d for k, d in enumerate(s) if k not in axes))


def broadcast_to(x, shape):
    """Broadcast to ``shape`` (primitive; its VJP sums over the broadcast axes)."""
    x = _arg(x)
    shape = (int(shape),) if isinstance(shape, (int, _np.integer)) else tuple(int(d) for d in shape)
    if shape_of(x) == shape:
        return x
    _np.broadcast_shapes(shape_of(x), shape)  # raises ValueError if impossible
    return _broadcast_to(x, shape=shape)


def atleast_1d(x):
    return reshape(x, (1,)) if ndim(x) == 0 else x


def concatenate(arrays, axis=0):
    """Join along an existing axis (primitive; axis=None flattens first)."""
    arrays = [_arg(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays, axis = [ravel(a) for a in arrays], 0
    nd = ndim(arrays[0])
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    if not builtins.any(isinstance(a, Box) for a in arrays):
        return _np.concatenate(arrays, axis=axis)
    return _concatenate(*arrays, axis=int(axis) % nd)


def stack(arrays, axis=0):
    """Join along a new axis (composite: expand_dims + concatenate)."""
    arrays = [_arg(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    nd = ndim(arrays[0]) + 1
    return concatenate([expand_dims(a, axis % nd) for a in arrays], axis=axis % nd)


def hstack(arrays):
    arrays = [atleast_1d(_arg(a)) for a in arrays]
    return concatenate(arrays, axis=0 if ndim(arrays[0]) == 1 else 1)


def vstack(arrays):
    arrays = [_arg(a) for a in arrays]
    arrays = [reshape(a, (1, -1)) if ndim(a) < 2 else a for a in arrays]
    return concatenate(arrays, axis=0)


def _normalize_index(idx, nd: int) -> tuple:
    """Index -> tuple of ints, slices, None and int arrays; Ellipsis expanded, masks -> nonzero()."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    out = []
    for item in idx:
        item = primal(item)
        if isinstance(item, list):
            item = _np.asarray(item)
        if isinstance(item, _np.ndarray):
            if item.dtype == bool:
                if item.ndim == 0:
                    raise TypeError("refopt.ad.numpy: a 0-d boolean index is not supported")
                out.extend(_np.nonzero(item))
                continue
            if not _np.issubdtype(item.dtype, _np.integer):
                raise TypeError(f"arrays used as indices must be of integer or boolean type, not {item.dtype}")
            if item.ndim == 0:
                item = int(item)
        elif isinstance(item, (bool, _np.bool_)):
            raise TypeError("refopt.ad.numpy: a boolean scalar index is not supported")
        elif isinstance(item, _np.integer):
            item = int(item)
        out.append(item)
    n_ell = builtins.sum(1 for i in out if i is Ellipsis)
    if n_ell > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = builtins.sum(1 for i in out if i is not None and i is not Ellipsis)
    if n_ell:
        k = next(j for j, i in enumerate(out) if i is Ellipsis)
        out[k:k + 1] = [slice(None)] * (nd - used)
    return tuple(out)


def getitem(x, idx):
    """x[idx]: basic slicing and integer/boolean array indexing (primitive)."""
    x = _arg(x)
    idx = _normalize_index(idx, ndim(x))
    if not isinstance(x, Box):
        return _np.asarray(x)[idx]
    return _getitem(x, idx=idx)


def untake(g, idx, shape):
    """Zeros of ``shape`` with ``g`` added at ``idx`` (repeats accumulate): the adjoint of getitem.

    Not a NumPy function; a primitive of the rule table (the VJP of indexing). ``idx`` is taken
    as normalised already (see getitem).
    """
    return _untake(g, idx=tuple(idx), shape=tuple(shape))


# ------------------------------------------------------------------------------------------------
# array construction that understands boxes
# ------------------------------------------------------------------------------------------------
def _holds_box(x) -> bool:
    if isinstance(x, Box):
        return True
    if isinstance(x, (list, tuple)):
        return builtins.any(_holds_box(i) for i in x)
    return False


def asarray(x, dtype=None):
    """np.asarray for plain data; a box is returned as is; a list holding boxes is stacked."""
    if isinstance(x, Box):
        return x
    if isinstance(x, (list, tuple)) and _holds_box(x):
        return stack([asarray(i) for i in x])
    return _np.asarray(x, dtype=dtype)


def array(x, dtype=None):
    if isinstance(x, Box) or (isinstance(x, (list, tuple)) and _holds_box(x)):
        return asarray(x)
    return _np.array(x, dtype=dtype)


def zeros_like(x, dtype=None):
    return _np.zeros_like(primal(x), dtype=dtype)


def ones_like(x, dtype=None):
    return _np.ones_like(primal(x), dtype=dtype)


def full_like(x, fill_value, dtype=None):
    return _np.full_like(primal(x), fill_value, dtype=dtype)


# ------------------------------------------------------------------------------------------------
# non-differentiable helpers: act on the plain values, return plain arrays
# ------------------------------------------------------------------------------------------------
def _on_values(f):
    def g(*args, **kw):
        return f(*(primal(a) for a in args), **kw)
    g.__name__ = f.__name__
    g.__doc__ = f"numpy.{f.__name__} on the plain values (no derivative flows)."
    return g


for _f in (_np.sign, _np.floor, _np.ceil, _np.round, _np.rint, _np.argmax, _np.argmin, _np.argsort,
           _np.isfinite, _np.isnan, _np.isinf, _np.greater, _np.greater_equal, _np.less,
           _np.less_equal, _np.equal, _np.not_equal, _np.logical_and, _np.logical_or,
           _np.logical_not, _np.all, _np.any, _np.allclose, _np.nonzero):
    setattr(sys.modules[__name__], _f.__name__, _on_values(_f))
round_ = _on_values(_np.round)
del _f


# ------------------------------------------------------------------------------------------------
# the array interface of boxes
# ------------------------------------------------------------------------------------------------
def _rev(f):
    return lambda self, other: f(_arg(other), self)


_UFUNCS = {r.value: globals()[r.name] for r in _rules.RULES.values()
           if r.elementwise and isinstance(r.value, _np.ufunc)}
"""A NumPy (or scipy.special) ufunc applied to a box runs the namespace function of its rule; the
composites below are NumPy ufuncs too."""
_UFUNCS.update({_np.matmul: matmul, _np.square: square, _np.reciprocal: reciprocal})


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    if method == "__call__" and not kwargs:
        if ufunc in _UFUNCS:
            return _UFUNCS[ufunc](*inputs)
        if ufunc.__name__ in ("greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                              "sign", "isfinite", "isnan", "isinf", "floor", "ceil", "rint"):
            return ufunc(*(primal(i) for i in inputs))
    raise TypeError(f"numpy.{ufunc.__name__}{'' if method == '__call__' else '.' + method} "
                    f"{'with ' + str(sorted(kwargs)) + ' ' if kwargs else ''}cannot be applied to a "
                    f"traced value; write the function with refopt.ad.numpy (rnp) instead")


def _no_array(self, *args, **kwargs):
    raise TypeError("a traced value cannot be converted to a plain NumPy array (the derivative would "
                    "be lost); write the function with refopt.ad.numpy (rnp) throughout")


def _no_float(self):
    raise TypeError("float()/int() of a traced value would drop its derivative; keep it an array "
                    "(use rnp functions), or take refopt.ad.graph.primal(x) on purpose")


def _no_setitem(self, idx, value):
    raise TypeError("traced values are immutable (no item assignment); build the array with "
                    "rnp.where, rnp.concatenate/stack or rnp.untake instead")


def _astype(self, dtype, copy=True):
    if _np.dtype(dtype) != _np.float64:
        raise TypeError(f"a traced value is float64; astype({dtype}) is not differentiable")
    return self


def _iter(self):
    for k in range(len(self)):
        yield self[k]


def _len(self):
    s = shape_of(self)
    if not s:
        raise TypeError("len() of unsized object")
    return s[0]


def _method_reshape(self, *shape, order="C"):
    return reshape(self, shape[0] if len(shape) == 1 and not isinstance(shape[0], int) else shape, order)


def _method_transpose(self, *axes):
    return transpose(self, None if not axes else (axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes))


def _reduction_method(f):
    """x.sum(...) etc., also as called by np.sum(box) (which passes out=None, dtype=None)."""
    def method(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
        if out is not None or kw or (dtype is not None and _np.dtype(dtype) != _np.float64):
            raise TypeError(f"{f.__name__} of a traced value supports axis and keepdims only")
        return f(self, axis=axis, keepdims=keepdims)
    method.__name__ = f.__name__
    return method


def _repr(self):
    return f"{type(self).__name__}(level={self.trace.level}, value={primal(self)!r})"


_BOX_METHODS: dict[str, Any] = {
    "__add__": add, "__radd__": _rev(add), "__sub__": subtract, "__rsub__": _rev(subtract),
    "__mul__": multiply, "__rmul__": _rev(multiply), "__truediv__": divide,
    "__rtruediv__": _rev(divide), "__pow__": power, "__rpow__": _rev(power),
    "__matmul__": matmul, "__rmatmul__": _rev(matmul), "__neg__": negative,
    "__pos__": lambda self: self, "__abs__": abs, "__getitem__": getitem,
    "__lt__": lambda s, o: _np.less(primal(s), primal(o)),
    "__le__": lambda s, o: _np.less_equal(primal(s), primal(o)),
    "__gt__": lambda s, o: _np.greater(primal(s), primal(o)),
    "__ge__": lambda s, o: _np.greater_equal(primal(s), primal(o)),
    "__eq__": lambda s, o: _np.equal(primal(s), primal(o)),
    "__ne__": lambda s, o: _np.not_equal(primal(s), primal(o)),
    "__bool__": lambda s: bool(primal(s)),
    "__float__": _no_float, "__int__": _no_float, "__complex__": _no_float,
    "__array__": _no_array, "__array_ufunc__": _array_ufunc, "__array_priority__": 1000.0,
    "__len__": _len, "__iter__": _iter, "__repr__": _repr, "__setitem__": _no_setitem,
    "shape": property(shape_of), "ndim": property(ndim), "size": property(size),
    "dtype": property(lambda s: _np.result_type(primal(s))), "T": property(transpose),
    "reshape": _method_reshape, "transpose": _method_transpose, "ravel": ravel, "flatten": ravel,
    "sum": _reduction_method(sum), "mean": _reduction_method(mean), "max": _reduction_method(max),
    "min": _reduction_method(min), "prod": _reduction_method(prod), "var": var, "std": std,
    "dot": dot, "astype": _astype, "squeeze": squeeze, "clip": clip,
}
for _name, _attr in _BOX_METHODS.items():
    setattr(Box, _name, _attr)
del _name, _attr

install_namespace(sys.modules[__name__])
