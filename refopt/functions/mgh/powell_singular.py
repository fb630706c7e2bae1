"""MGH 13 — Powell singular function (Moré, Garbow, Hillstrom 1981, problem 13; Powell 1962).

n = 4, m = 4.

    r1 = x1 + 10 x2,   r2 = √5 (x3 − x4),   r3 = (x2 − 2 x3)²,   r4 = √10 (x1 − x4)²
    f = (x1 + 10 x2)² + 5 (x3 − x4)² + (x2 − 2 x3)⁴ + 10 (x1 − x4)⁴.

x0 = (3, −1, 0, 1); f* = 0 at x* = 0, where the Hessian is singular (rank 2: the quartic terms
contribute nothing there), so Newton-type methods converge only linearly.

Derivatives (by hand, closed form). With a = x1 + 10 x2, b = x3 − x4, c = x2 − 2 x3, d = x1 − x4:

    ∇f = (2a + 40 d³,  20a + 4c³,  10b − 8c³,  −10b − 40d³)
    ∇²f = [[2 + 120d²,  20,          0,            −120d²    ],
           [20,         200 + 12c²,  −24c²,         0        ],
           [0,          −24c²,       10 + 48c²,    −10       ],
           [−120d²,     0,           −10,          10 + 120d²]]

The N-variable generalisation is MGH 22 ("extended_powell_singular"); the classic
global-optimization "powell" is a different registration.
"""
from ..registry import register


def f(x, p, out):
    a = x[0] + 10.0 * x[1]
    b = x[2] - x[3]
    c = x[1] - 2.0 * x[2]
    d = x[0] - x[3]
    c2 = c * c
    d2 = d * d
    out[0] = a * a + 5.0 * b * b + c2 * c2 + 10.0 * d2 * d2


def grad(x, p, g):
    a = x[0] + 10.0 * x[1]
    b = x[2] - x[3]
    c = x[1] - 2.0 * x[2]
    d = x[0] - x[3]
    c3 = c * c * c
    d3 = d * d * d
    g[0] = 2.0 * a + 40.0 * d3
    g[1] = 20.0 * a + 4.0 * c3
    g[2] = 10.0 * b - 8.0 * c3
    g[3] = -10.0 * b - 40.0 * d3


def hess(x, p, H):
    c = x[1] - 2.0 * x[2]
    d = x[0] - x[3]
    c2 = 12.0 * c * c
    d2 = 120.0 * d * d
    H[0, 0] = 2.0 + d2
    H[1, 1] = 200.0 + c2
    H[2, 2] = 10.0 + 4.0 * c2
    H[3, 3] = 10.0 + d2
    H[0, 1] = 20.0
    H[1, 0] = 20.0
    H[0, 2] = 0.0
    H[2, 0] = 0.0
    H[0, 3] = -d2
    H[3, 0] = -d2
    H[1, 2] = -2.0 * c2
    H[2, 1] = -2.0 * c2
    H[1, 3] = 0.0
    H[3, 1] = 0.0
    H[2, 3] = -10.0
    H[3, 2] = -10.0


register(
    "powell_singular",
    aliases=("mgh13",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, m=4,
    x0=[3.0, -1.0, 0.0, 1.0],
    xstar=[0.0, 0.0, 0.0, 0.0], fstar=0.0,
    formula="f = (x1 + 10 x2)^2 + 5 (x3 - x4)^2 + (x2 - 2 x3)^4 + 10 (x1 - x4)^4",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 13; Powell (1962)",
    notes=(
        "The Hessian at x* = 0 is singular (rank 2). Not to be confused with the classic "
        "N-dimensional 'powell' or with MGH 22 'extended_powell_singular'."
    ),
)
