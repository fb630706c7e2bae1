"""The derivative operators of refopt.ad: grad, value_and_grad, vjp, jvp, hvp, hessian, jacobian.

All take a function written against :mod:`refopt.ad.numpy` (autograd style) and differentiate it
with respect to one positional argument (``argnum``), a float64 array of any shape (lists,
integers and float32 are converted to float64; complex and boolean input is refused, as are a
non-callable ``fun`` and non-integer ``argnum`` / ``chunk`` / ``memory``).

* ``vjp(f, x) -> (f(x), pullback)``, ``pullback(ȳ) = J(x)ᵀ ȳ`` — one reverse sweep
  (Griewank & Walther 2008, *Evaluating Derivatives*, §3.2).
* ``jvp(f, x, v) -> (f(x), J(x) v)`` — one forward (tangent) sweep (§3.1).
* ``grad(f)(x) = ∇f(x)`` — the pullback of ȳ = 1; ``f`` must return a scalar.
* ``hvp(f)(x, v) = ∇²f(x) v`` — forward-over-reverse: the tangent of the gradient computation
  in the direction v (Pearlmutter 1994, Neural Computation 6(1), 147–160, the R{·} operator);
  costs a small constant times one gradient.
* ``jacobian(f)(x)`` — forward mode with the P = x.size unit directions pushed as one batch of
  tangents (a leading axis on every tangent), in chunks; shape ``f(x).shape + x.shape``.
* ``hessian(f)(x) = jacobian(grad(f))(x)`` — forward-over-reverse with batched directions: row
  block H[i:i+B] is the tangent of ∇f along e_i..e_{i+B-1}, all B pushed through one sweep, so the
  Python work is that of P/B gradient evaluations while NumPy/BLAS does the arithmetic on
  (B, ...) arrays. Shape ``x.shape + x.shape``; the result is the exact Hessian up to rounding and
  is *not* symmetrised (|H − Hᵀ| is a rounding-level diagnostic).

**Memory bound of jacobian/hessian** (the chunking). A probe pushes one dense direction (all
ones) and the forward trace counts the tangent entries it creates (``ForwardTrace.elements``: every
tangent of every intermediate, live or already freed, so an upper bound on what one direction
keeps alive; unit directions can only create fewer, through structural zeros). The unit
directions then go in chunks of B = max(1, memory // (8 · that count)), so the tangents of one
chunk never occupy more than ``memory`` bytes (default :data:`MEMORY` = 256 MiB), plus the output
itself (P · f(x).size doubles). Pass ``chunk=B`` to fix the chunk size (and skip the probe).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..arguments import function, integer, real_array
from . import numpy as rnp
from .graph import Box, ForwardTrace, ReverseTrace, backward, primal, shape_of, unbox

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "hvp", "hessian", "jacobian", "MEMORY"]

MEMORY = 256 * 2**20
"""Default bound (bytes) on the tangent memory of one chunk of directions in jacobian/hessian."""


def _input(x, who: str, name: str = "x"):
    """The point to differentiate at, as float64 (boxes of outer traces pass unchanged)."""
    if isinstance(x, Box):
        return x
    return real_array(x, f"{who}: {name}", min_size=0, finite=False).reshape(np.shape(x))


def _operator(fun, argnum, who: str, chunk=None, memory=MEMORY):
    """The checked arguments of an operator: fun callable, argnum, chunk, memory integers."""
    function(fun, f"{who}: fun")
    integer(argnum, f"{who}: argnum")
    integer(chunk, f"{who}: chunk", low=1, allow_none=True)
    integer(memory, f"{who}: memory (bytes)", low=1)


def _output(y, who: str):
    """A function's result as an array-like; lists of boxes are stacked."""
    if isinstance(y, (list, tuple)):
        y = rnp.asarray(y)
    v = primal(y)
    if not isinstance(v, (np.ndarray, np.generic, int, float)) or np.asarray(v).dtype.kind not in "biuf":
        raise TypeError(f"{who}: the function must return a real array or scalar; it returned "
                        f"{type(v).__name__}")
    return y


def _scalar(y, who: str):
    y = _output(y, who)
    s = shape_of(y)
    if s != ():
        raise TypeError(f"{who}: the function must return a scalar (shape ()); it returned an array "
                        f"of shape {s} — use jacobian for vector-valued functions, or reduce it")
    return y


def _at(fun: Callable, args: tuple, argnum: int) -> Callable:
    """fun as a function of args[argnum] alone."""
    if not -len(args) <= argnum < len(args):
        raise ValueError(f"argnum {argnum} is out of range for {len(args)} positional arguments")
    argnum %= len(args)
    return lambda xi: fun(*args[:argnum], xi, *args[argnum + 1:])


def _vjp(f: Callable, x, who: str):
    trace = ReverseTrace()
    xb = trace.leaf(x)
    y = _output(f(xb), who)

    def pullback(g):
        g = _input(g, who, "the cotangent")
        if shape_of(g) != shape_of(y):
            raise ValueError(f"{who}: the cotangent must have the output's shape {shape_of(y)}, "
                             f"got {shape_of(g)}")
        xbar = None
        if isinstance(y, Box) and y.trace is trace:
            xbar = backward(y, g, xb, rnp.add)
        if xbar is None:  # the output does not depend on x
            return np.zeros(shape_of(x))
        return xbar if isinstance(xbar, Box) else np.asarray(xbar, dtype=np.float64)

    return unbox(y, trace), pullback


def _forward(f: Callable, x, V):
    """Push the B tangents V (shape (B,) + x.shape) through f: (f(x), tangents, trace)."""
    trace = ForwardTrace(shape_of(V)[0])
    y = _output(f(trace.leaf(x, V)), "jvp")
    if isinstance(y, Box) and y.trace is trace:
        return y.value, y.tangent, trace
    return y, np.zeros(shape_of(V)[:1] + shape_of(y)), trace


def vjp(fun: Callable, x) -> tuple:
    """(fun(x), pullback) with pullback(ȳ) = J(x)ᵀ ȳ (reverse mode)."""
    function(fun, "vjp: fun")
    return _vjp(fun, _input(x, "vjp"), "vjp")


def jvp(fun: Callable, x, v) -> tuple:
    """(fun(x), J(x) v) by one forward sweep; v has x's shape."""
    function(fun, "jvp: fun")
    x = _input(x, "jvp")
    v = _input(v, "jvp", "the tangent v")
    if shape_of(v) != shape_of(x):
        raise ValueError(f"jvp: the tangent v must have x's shape {shape_of(x)}, got {shape_of(v)}")
    V = rnp.reshape(v, (1,) + shape_of(x))
    y, T, _ = _forward(fun, x, V)
    return y, T[0]


def _value_and_grad(fun, args, argnum, who):
    f = _at(fun, args, argnum)
    x = _input(args[argnum], who)
    trace = ReverseTrace()
    xb = trace.leaf(x)
    y = _scalar(f(xb), who)
    if not (isinstance(y, Box) and y.trace is trace):
        return y, np.zeros(shape_of(x))
    xbar = backward(y, np.float64(1.0), xb, rnp.add)
    return y.value, xbar if isinstance(xbar, Box) else np.asarray(xbar, dtype=np.float64)


def value_and_grad(fun: Callable, argnum: int = 0) -> Callable:
    """(*args) -> (f(*args), ∇_{args[argnum]} f); f must return a scalar."""
    _operator(fun, argnum, "value_and_grad")

    def value_and_gradient(*args):
        return _value_and_grad(fun, args, argnum, "value_and_grad")
    return value_and_gradient


def grad(fun: Callable, argnum: int = 0) -> Callable:
    """(*args) -> ∇_{args[argnum]} f(*args) by one reverse sweep; f must return a scalar."""
    _operator(fun, argnum, "grad")

    def gradient(*args):
        return _value_and_grad(fun, args, argnum, "grad")[1]
    return gradient


def hvp(fun: Callable, argnum: int = 0) -> Callable:
    """(*args, v) -> ∇²f v (forward-over-reverse, Pearlmutter 1994); v is the LAST argument."""
    _operator(fun, argnum, "hvp")

    def hessian_vector_product(*args_v):
        if len(args_v) < 2:
            raise TypeError("hvp(f)(*args, v): give the point(s) and the direction v")
        args, v = args_v[:-1], args_v[-1]
        f = _at(fun, args, argnum)
        return jvp(lambda xi: _value_and_grad(f, (xi,), 0, "hvp")[1], args[argnum], v)[1]
    return hessian_vector_product


def _chunked_jacobian(f: Callable, x, chunk: int | None, memory: int):
    """Rows ∂f/∂x_k for all k (shape (P,) + f(x).shape), the directions batched in chunks."""
    xs = shape_of(x)
    P = int(np.prod(xs))
    if chunk is None:
        # probe: the tangent entries one dense direction creates (a unit direction may skip work
        # through structural zeros, a dense one never does, so this bounds every chunk)
        _, _, trace = _forward(f, x, np.ones((1,) + xs))
        chunk = max(1, min(P, int(memory) // (8 * max(trace.elements, 1))))
    blocks = []
    for start in range(0, P, int(chunk)):
        b = min(int(chunk), P - start)
        V = np.zeros((b, P))
        V[np.arange(b), start + np.arange(b)] = 1.0
        blocks.append(_forward(f, x, V.reshape((b,) + xs))[1])
    return blocks[0] if len(blocks) == 1 else rnp.concatenate(blocks, axis=0)


def _move_rows_last(T, xs: tuple):
    """(P,) + ys -> ys + xs."""
    nd = len(shape_of(T))
    J = rnp.transpose(T, tuple(range(1, nd)) + (0,))
    return rnp.reshape(J, shape_of(J)[:-1] + xs)


def jacobian(fun: Callable, argnum: int = 0, chunk: int | None = None, memory: int = MEMORY) -> Callable:
    """(*args) -> ∂f/∂x of shape f(x).shape + x.shape (batched forward mode, chunked: see module)."""
    _operator(fun, argnum, "jacobian", chunk, memory)

    def jac(*args):
        x = _input(args[argnum], "jacobian")
        T = _chunked_jacobian(_at(fun, args, argnum), x, chunk, memory)
        return _move_rows_last(T, shape_of(x))
    return jac


def hessian(fun: Callable, argnum: int = 0, chunk: int | None = None, memory: int = MEMORY) -> Callable:
    """(*args) -> ∇²f of shape x.shape + x.shape: forward-over-reverse, directions batched."""
    _operator(fun, argnum, "hessian", chunk, memory)

    def hess(*args):
        x = _input(args[argnum], "hessian")
        f = _at(fun, args, argnum)
        T = _chunked_jacobian(lambda xi: _value_and_grad(f, (xi,), 0, "hessian")[1], x, chunk, memory)
        return _move_rows_last(T, shape_of(x))
    return hess
