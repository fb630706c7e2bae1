"""refopt — a small reference implementation of second-order optimization and Hessian analysis.

NumPy + Numba, no framework. See README.md for the tour and DESIGN.md for the map.
"""
from . import functions
from .optim import minimize
from .verify import check_grad, check_hessian

__version__ = "0.1.0"
__all__ = ["functions", "minimize", "check_grad", "check_hessian", "__version__"]
