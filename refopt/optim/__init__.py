"""Optimizers: ``minimize`` (the front door), line searches, BFGS, Newton, GD, the OGR family.

``optim`` takes callables and never knows where derivatives come from.
"""
from .minimize import minimize

__all__ = ["minimize"]
