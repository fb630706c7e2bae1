"""Colville function, n = 4.

Source: A. R. Colville, "A comparative study on nonlinear programming codes", IBM New York
Scientific Center Report 320-2949 (1968); as listed by Surjanovic & Bingham (VLSE) and Jamil & Yang
(2013). It is the same function as Wood's function, MGH problem 14 (Moré, Garbow & Hillstrom 1981).

    f(x) = 100 (x1^2 - x2)^2 + (x1 - 1)^2 + (x3 - 1)^2 + 90 (x3^2 - x4)^2
           + 10.1 ((x2 - 1)^2 + (x4 - 1)^2) + 19.8 (x2 - 1)(x4 - 1)

Domain [-10, 10]^4; f* = 0 at x* = (1, 1, 1, 1).

Derivatives (by hand):
    df/dx1 = 400 x1 (x1^2 - x2) + 2 (x1 - 1)
    df/dx2 = -200 (x1^2 - x2) + 20.2 (x2 - 1) + 19.8 (x4 - 1)
    df/dx3 = 360 x3 (x3^2 - x4) + 2 (x3 - 1)
    df/dx4 = -180 (x3^2 - x4) + 20.2 (x4 - 1) + 19.8 (x2 - 1)
    H_11 = 1200 x1^2 - 400 x2 + 2,  H_12 = -400 x1,  H_22 = 220.2,  H_24 = 19.8,
    H_33 = 1080 x3^2 - 360 x4 + 2,  H_34 = -360 x3,  H_44 = 200.2,  all other entries 0.

x0: the classic-benchmark lists give none; refopt uses (-3, -1, -3, -1), the standard starting
point of Wood's function in MGH (and Colville's study).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    a = x[0] * x[0] - x[1]
    b = x[2] * x[2] - x[3]
    u = x[1] - 1.0
    v = x[3] - 1.0
    out[0] = (100.0 * a * a + (x[0] - 1.0) ** 2 + (x[2] - 1.0) ** 2 + 90.0 * b * b
              + 10.1 * (u * u + v * v) + 19.8 * u * v)


def grad(x, p, g):
    a = x[0] * x[0] - x[1]
    b = x[2] * x[2] - x[3]
    u = x[1] - 1.0
    v = x[3] - 1.0
    g[0] = 400.0 * x[0] * a + 2.0 * (x[0] - 1.0)
    g[1] = -200.0 * a + 20.2 * u + 19.8 * v
    g[2] = 360.0 * x[2] * b + 2.0 * (x[2] - 1.0)
    g[3] = -180.0 * b + 20.2 * v + 19.8 * u


def hess(x, p, H):
    for i in range(4):
        for j in range(4):
            H[i, j] = 0.0
    H[0, 0] = 1200.0 * x[0] * x[0] - 400.0 * x[1] + 2.0
    H[0, 1] = -400.0 * x[0]
    H[1, 0] = -400.0 * x[0]
    H[1, 1] = 220.2
    H[1, 3] = 19.8
    H[3, 1] = 19.8
    H[2, 2] = 1080.0 * x[2] * x[2] - 360.0 * x[3] + 2.0
    H[2, 3] = -360.0 * x[2]
    H[3, 2] = -360.0 * x[2]
    H[3, 3] = 200.2


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
