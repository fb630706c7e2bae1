"""refopt — a small reference implementation of second-order optimization and Hessian analysis.

NumPy + Numba, no framework. See README.md and DESIGN.md for the map.
"""
from . import functions


__version__ = "0.1.0"
__all__ = ["functions", "check_grad", "check_hessian", "__version__"]
