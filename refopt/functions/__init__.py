"""Standard test functions with hand-derived gradients and Hessians (Numba gufunc kernels).

``names()`` lists them, ``get(name, n=None, m=None)`` returns a :class:`TestFunction`.
"""
from .registry import TestFunction, get, names, register, specs

__all__ = ["TestFunction", "get", "names", "register", "specs"]
