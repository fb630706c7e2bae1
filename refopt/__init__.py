"""refopt — a small reference implementation of second-order optimization and Hessian analysis.

NumPy + Numba, no framework. See README.md for the tour and docs/ for the derivations and decisions.
Heavier parts (``ad``, ``nn``/``MLP``, ``spectral``, ``stochastic``, ``experiments``) are imported on first use.
"""
from __future__ import annotations

import importlib

from . import functions
from .optim import minimize
from .verify import check_grad, check_hessian

__version__ = "0.1.0"
__all__ = ["functions", "minimize", "check_grad", "check_hessian", "ad", "nn", "MLP", "spectral",
           "stochastic", "experiments", "__version__"]

_LAZY = {"ad": "refopt.ad", "nn": "refopt.nn", "spectral": "refopt.spectral", "stochastic": "refopt.stochastic",
         "experiments": "refopt.experiments"}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(_LAZY[name])
    if name == "MLP":
        return importlib.import_module("refopt.nn").MLP
    raise AttributeError(f"module 'refopt' has no attribute {name!r}")
