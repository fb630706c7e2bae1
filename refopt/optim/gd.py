"""Gradient descent: p_k = −∇f_k, with a line search or a fixed step (``options["step"]``).

The baseline of every comparison (N&W §3.3: linear convergence at rate ((κ−1)/(κ+1))² with
exact line searches on a quadratic of condition number κ). The loop, the line search and the
stopping test are :mod:`refopt.optim.loop`'s.
"""
from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np

from .loop import Loop
from .options import COMMON

__all__ = ["OPTIONS", "State", "Params"]

OPTIONS = COMMON
NEEDS_HESSIAN = False


class State(NamedTuple):
    steps: int  # the updates taken (gradient descent remembers nothing else)


class Params(NamedTuple):
    empty: bool  # gradient descent has no options of its own (Numba types no field-less NamedTuple)


def params(opt: dict, n: int, line_search) -> Params:
    return Params(True)


def init(params, x, f, g):
    return State(0)


def direction(state, params, ev, x, f, g):
    """p = −∇f; its length is not a step's (α from eq. 3.60)."""
    return state, -g, False


def update(state, params, s, y, alpha, x_old, g_old):
    return State(state.steps + 1)


def estimate(state, params, x):
    """No Hessian estimate."""
    return False, np.zeros((1, 1))


def extras(state) -> dict:
    return {}


LOOP = Loop(sys.modules[__name__])
