"""MGH 1 — Rosenbrock (Moré, Garbow, Hillstrom 1981, problem 1). n = 2, m = 2.

r1 = 10 (x2 − x1²),  r2 = 1 − x1;  f = r1² + r2² = 100 (x2 − x1²)² + (1 − x1)².
x0 = (−1.2, 1), f* = 0 at x* = (1, 1).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    out[0] = 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


def grad(x, p, g):
    g[0] = -400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * (x[1] - x[0] ** 2)


def hess(x, p, H):
    H[0, 0] = 1200.0 * x[0] ** 2 - 400.0 * x[1] + 2.0
    H[0, 1] = -400.0 * x[0]
    H[1, 0] = -400.0 * x[0]
    H[1, 1] = 200.0


register(
    "mgh_rosenbrock",
    aliases=("mgh01",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=2,
    x0=[-1.2, 1.0], xstar=[1.0, 1.0], fstar=0.0,
    formula="f = (10(x2 - x1^2))^2 + (1 - x1)^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 1",
)
