"""MGH 14 — Wood function (Moré, Garbow, Hillstrom 1981, problem 14; Colville 1968).

n = 4, m = 6.

    r1 = 10 (x2 − x1²),   r2 = 1 − x1,   r3 = √90 (x4 − x3²),   r4 = 1 − x3,
    r5 = √10 (x2 + x4 − 2),   r6 = (x2 − x4) / √10,
    f = 100 (x2 − x1²)² + (1 − x1)² + 90 (x4 − x3²)² + (1 − x3)²
        + 10 (x2 + x4 − 2)² + 0.1 (x2 − x4)².

The last two terms equal 10.1 ((x2 − 1)² + (x4 − 1)²) + 19.8 (x2 − 1)(x4 − 1), the form in which
the same function appears as the "Colville" function of global-optimization collections.
x0 = (−3, −1, −3, −1); f* = 0 at x* = (1, 1, 1, 1).

Derivatives (by hand, closed form):

    ∂f/∂x1 = −400 x1 (x2 − x1²) − 2 (1 − x1)
    ∂f/∂x2 = 200 (x2 − x1²) + 20 (x2 + x4 − 2) + 0.2 (x2 − x4)
    ∂f/∂x3 = −360 x3 (x4 − x3²) − 2 (1 − x3)
    ∂f/∂x4 = 180 (x4 − x3²) + 20 (x2 + x4 − 2) − 0.2 (x2 − x4)
    ∇²f: H11 = 1200 x1² − 400 x2 + 2, H12 = −400 x1, H22 = 220.2, H24 = 19.8,
         H33 = 1080 x3² − 360 x4 + 2, H34 = −360 x3, H44 = 200.2, H13 = H14 = H23 = 0.
"""
from ..registry import register


def f(x, p, out):
    u = x[1] - x[0] * x[0]
    w = x[3] - x[2] * x[2]
    s = x[1] + x[3] - 2.0
    dd = x[1] - x[3]
    out[0] = (
        100.0 * u * u + (1.0 - x[0]) * (1.0 - x[0]) + 90.0 * w * w + (1.0 - x[2]) * (1.0 - x[2])
        + 10.0 * s * s + 0.1 * dd * dd
    )


def grad(x, p, g):
    u = x[1] - x[0] * x[0]
    w = x[3] - x[2] * x[2]
    s = x[1] + x[3] - 2.0
    dd = x[1] - x[3]
    g[0] = -400.0 * x[0] * u - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * u + 20.0 * s + 0.2 * dd
    g[2] = -360.0 * x[2] * w - 2.0 * (1.0 - x[2])
    g[3] = 180.0 * w + 20.0 * s - 0.2 * dd


def hess(x, p, H):
    H[0, 0] = 1200.0 * x[0] * x[0] - 400.0 * x[1] + 2.0
    H[1, 1] = 220.2
    H[2, 2] = 1080.0 * x[2] * x[2] - 360.0 * x[3] + 2.0
    H[3, 3] = 200.2
    H[0, 1] = -400.0 * x[0]
    H[1, 0] = -400.0 * x[0]
    H[0, 2] = 0.0
    H[2, 0] = 0.0
    H[0, 3] = 0.0
    H[3, 0] = 0.0
    H[1, 2] = 0.0
    H[2, 1] = 0.0
    H[1, 3] = 19.8
    H[3, 1] = 19.8
    H[2, 3] = -360.0 * x[2]
    H[3, 2] = -360.0 * x[2]


register(
    "wood",
    aliases=("mgh14",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, m=6,
    x0=[-3.0, -1.0, -3.0, -1.0],
    xstar=[1.0, 1.0, 1.0, 1.0], fstar=0.0,
    formula=(
        "f = 100 (x2 - x1^2)^2 + (1 - x1)^2 + 90 (x4 - x3^2)^2 + (1 - x3)^2 "
        "+ 10 (x2 + x4 - 2)^2 + 0.1 (x2 - x4)^2"
    ),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 14; Colville (1968)",
    notes=(
        "Same function as the classic 'Colville' function (10.1((x2-1)^2 + (x4-1)^2) + "
        "19.8(x2-1)(x4-1) = 10(x2+x4-2)^2 + 0.1(x2-x4)^2)."
    ),
)
