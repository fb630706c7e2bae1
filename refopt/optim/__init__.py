"""Optimizers: ``minimize`` (the front door), line searches, BFGS, ... (see DESIGN.md).

``optim`` takes callables and never knows where derivatives come from.
"""
from .minimize import minimize

__all__ = ["minimize"]
