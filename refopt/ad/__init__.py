"""refopt.ad — reverse-mode (and forward-mode) automatic differentiation over NumPy arrays.

Written here, framework-free: no JAX, PyTorch or autograd inside. Write the function with the
NumPy-like namespace and differentiate it autograd-style::

    import refopt.ad as ad
    import refopt.ad.numpy as rnp

    f = lambda x: rnp.sum(rnp.tanh(x) ** 2)
    ad.grad(f)(x); ad.hessian(f)(x); ad.hvp(f)(x, v); ad.jacobian(rnp.sin)(x)

Layout (one idea per file): ``graph.py`` boxes, traces and the backward sweep; ``rules.py`` the
table of primitives (value, VJP rule, JVP rule); ``numpy.py`` the namespace; ``api.py`` the
operators. Higher derivatives nest: the VJP/JVP rules are written with traced operations.
"""
from . import numpy
from .api import MEMORY, grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from .rules import RULES

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "hvp", "hessian", "jacobian", "numpy", "RULES",
           "MEMORY"]
