"""A real symmetric n × n operator seen only through products with it.

Every routine of :mod:`refopt.spectral` accepts the operator in one of three forms:

* a dense array (n × n, real, symmetric: max |A − Aᵀ| ≤ ``SYMMETRY_RTOL`` · max |A|; it is then
  used as (A + Aᵀ)/2, so that the products and the exact eigenvalues are of the same matrix);
* a scipy sparse matrix (shape (n, n), symmetric by the same rule, checked in O(nnz));
* a ``scipy.sparse.linalg.LinearOperator`` (shape (n, n); its ``matmat`` is used for blocks);
* a callable ``matvec(v) -> A v`` together with ``n``.

Each product is checked: real, shape (n,) (a column (n, 1) is taken as (n,)) or (n, k) for a
block, finite. A product that is not
is a ValueError naming what was expected — an estimator fed a NaN would return a NaN that looks
like a number. Symmetry of a matrix-free operator cannot be checked without n products; the
routines assume it (a network's Hessian and GGN operators are symmetric by construction).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..arguments import describe, integer, real_array

__all__ = ["Operator", "as_operator", "SYMMETRY_RTOL"]

SYMMETRY_RTOL = 1e-10
"""A dense matrix is symmetric when max |A − Aᵀ| ≤ SYMMETRY_RTOL · max |A| (exactly symmetric for
the structured Hessians refopt forms; finite-difference Hessians are not, and are refused)."""


class Operator:
    """``n``, ``matvec(v)``, ``matmat(V)`` with checked results; ``dense`` when given as a matrix;
    ``products`` counts the matrix–vector products taken (a block of k counts k)."""

    def __init__(self, n: int, matvec: Callable, matmat: Callable | None = None,
                 dense: np.ndarray | None = None, name: str = "matvec"):
        self.n, self._matvec, self._matmat, self.dense, self.name = n, matvec, matmat, dense, name
        self.products = 0

    def _checked(self, out, shape) -> np.ndarray:
        try:
            a = np.asarray(out)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name} must return an array of shape {shape}; got {describe(out)}") from None
        if a.dtype.kind not in "iuf":
            raise ValueError(f"{self.name} must return real numbers of shape {shape}; got dtype {a.dtype}")
        if len(shape) == 1 and a.shape == (shape[0], 1):
            a = a.reshape(shape)
        if a.shape != shape:
            raise ValueError(f"{self.name} must return an array of shape {shape}; got shape {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{self.name} returned {int(np.sum(~np.isfinite(a)))} NaN or inf entries "
                             f"(a product with a finite vector must be finite)")
        return np.asarray(a, dtype=np.float64)

    def matvec(self, v: np.ndarray) -> np.ndarray:
        self.products += 1
        return self._checked(self._matvec(v), (self.n,))

    def matmat(self, V: np.ndarray) -> np.ndarray:
        """A V for V of shape (n, k), by the operator's own block product where it has one."""
        k = V.shape[1]
        if self._matmat is None:
            return np.column_stack([self.matvec(V[:, j]) for j in range(k)]) if k else np.empty((self.n, 0))
        self.products += k
        return self._checked(self._matmat(V), (self.n, k))


def as_operator(A, n: int | None = None, name: str = "matvec") -> Operator:
    """The :class:`Operator` of A (dense array, LinearOperator, sparse matrix, or callable with n)."""
    from scipy.sparse import issparse
    from scipy.sparse.linalg import LinearOperator

    if n is not None:
        n = integer(n, "n (the operator's size)", low=1)
    if isinstance(A, Operator):
        if n is not None and n != A.n:
            raise ValueError(f"n must equal the operator's size {A.n}; got {n}")
        return A
    if isinstance(A, LinearOperator) or issparse(A):
        shape = A.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError(f"{name} must be square (n, n); got shape {shape}")
        if n is not None and n != shape[0]:
            raise ValueError(f"n must equal the operator's size {shape[0]}; got {n}")
        if isinstance(A, LinearOperator):
            return Operator(shape[0], A.matvec, A.matmat, name=name)
        scale = float(abs(A).max()) if A.nnz else 0.0
        asym = float(abs(A - A.T).max()) if A.nnz else 0.0
        if asym > SYMMETRY_RTOL * scale:
            raise ValueError(f"{name} must be symmetric: max |A - A^T| <= {SYMMETRY_RTOL:g} * max |A|; "
                             f"got {asym:.3g} against max |A| = {scale:.3g}")
        return Operator(shape[0], lambda v: A @ v, lambda V: A @ V, name=name)
    if callable(A) and not isinstance(A, np.ndarray):
        if n is None:
            raise TypeError(f"n (the operator's size) must be given with a callable {name}; got None")
        return Operator(n, A, name=name)
    if isinstance(A, (np.ndarray, list, tuple)):
        M = real_array(A, name, ndim=2)
        if M.shape[0] != M.shape[1]:
            raise ValueError(f"{name} must be a square matrix (n, n); got shape {M.shape}")
        if n is not None and n != M.shape[0]:
            raise ValueError(f"n must equal the matrix size {M.shape[0]}; got {n}")
        scale = float(np.max(np.abs(M))) if M.size else 0.0
        asym = float(np.max(np.abs(M - M.T))) if M.size else 0.0
        if asym > SYMMETRY_RTOL * scale:
            raise ValueError(f"{name} must be symmetric: max |A - A^T| <= {SYMMETRY_RTOL:g} * max |A|; "
                             f"got {asym:.3g} against max |A| = {scale:.3g}")
        S = 0.5 * (M + M.T)
        return Operator(S.shape[0], lambda v: S @ v, lambda V: S @ V, dense=S, name=name)
    raise TypeError(f"{name} must be a symmetric matrix, a scipy LinearOperator or a callable "
                    f"matvec(v) with n; got {describe(A)}")


def unit_start(op: Operator, start, rng: np.random.Generator) -> np.ndarray:
    """The unit start vector: ``start`` (checked, normalised) or a seeded Gaussian direction."""
    if start is None:
        u = rng.standard_normal(op.n)
    else:
        u = real_array(start, "start", shape=(op.n,))
    norm = float(np.linalg.norm(u))
    if norm == 0.0:
        raise ValueError("start must be a nonzero vector; got all zeros")
    return u / norm
