"""Colville function, n = 4.

Source: A. R. Colville, "A comparative study on nonlinear programming codes", IBM New York
Scientific Center Report 320-2949 (1968); as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang
(2013). It is the same function as Wood's function, MGH problem 14 (Moré, Garbow & Hillstrom 1981).

    f(x) = 100 (x1^2 - x2)^2 + (x1 - 1)^2 + (x3 - 1)^2 + 90 (x3^2 - x4)^2
           + 10.1 ((x2 - 1)^2 + (x4 - 1)^2) + 19.8 (x2 - 1)(x4 - 1)

Domain [-10, 10]^4; f* = 0 at x* = (1, 1, 1, 1).

x0: the classic-benchmark lists give none; refopt uses (-3, -1, -3, -1), the standard starting
point of Wood's function in MGH (and Colville's study).

The kernels are those of MGH 14, Wood (refopt/functions/mgh/wood.py): one derivation,
registered twice with different metadata.
"""
import numpy as np

from ..mgh.wood import f, grad, hess  # the kernels of MGH 14: one derivation
from ..registry import register


register(
    "colville",
    f=f, grad=grad, hess=hess,
    n=4,
    x0=np.array([-3.0, -1.0, -3.0, -1.0]),
    xstar=np.ones(4), fstar=0.0,
    bounds=(-10.0, 10.0),
    formula="f = 100 (x1^2 - x2)^2 + (x1 - 1)^2 + (x3 - 1)^2 + 90 (x3^2 - x4)^2 "
            "+ 10.1 ((x2 - 1)^2 + (x4 - 1)^2) + 19.8 (x2 - 1)(x4 - 1)",
    source="Colville (1968), IBM NY Scientific Center Report 320-2949; Surjanovic & Bingham, VLSE; "
           "= Wood function, Moré, Garbow & Hillstrom (1981) problem 14",
    notes="Same function as MGH 14 (Wood). x0 is taken from MGH 14: (-3, -1, -3, -1).",
)
