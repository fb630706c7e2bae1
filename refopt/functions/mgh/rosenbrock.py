"""MGH 1 — Rosenbrock (Moré, Garbow, Hillstrom 1981, problem 1). n = 2, m = 2.

r1 = 10 (x2 − x1²),  r2 = 1 − x1;  f = r1² + r2² = 100 (x2 − x1²)² + (1 − x1)².
x0 = (−1.2, 1), f* = 0 at x* = (1, 1).

The kernels are those of the classic chained Rosenbrock (refopt/functions/classic/rosenbrock.py),
which at n = 2 is exactly this function: one derivation, registered with MGH 1's metadata.
"""
from ..classic.rosenbrock import f, grad, hess  # the chained Rosenbrock at n = 2
from ..registry import register


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
